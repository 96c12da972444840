"""The JSON Schema of the source (source/schema.py): shipped as generated, valid draft-07, every example
and starter valid against it, and the loader and the schema agree.

Agreement is tested on a source that uses every key the loader takes, and on some thousand sources
made from it by one change each: an unknown key added to a mapping, a key removed, a value replaced
by a probe (another type, an empty text, a word no enumeration holds, a typed number, trailing
punctuation). For each, the schema's verdict and the loader's are the same; what the loader refuses
it refuses with an error located inside the changed element; what both accept builds. The changes
the schema cannot judge (it does not see the image files, nor count a table's cells) are listed
below, each with its reason, and the test fails if one of them stops disagreeing.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

import jsonschema
import PIL.Image
import pytest
import yaml
from click.testing import CliRunner

from docgen.cli import main
from docgen.errors import SourceError
from docgen.jobs.build import build_files
from docgen.profile import load_profile
from docgen.source import keys, loader, schema, starters
from docgen.source.loader import compose_source, load_document

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "examples").rglob("*.yaml"))
VALIDATOR = jsonschema.Draft7Validator(schema.source_schema())

Path_ = tuple[str | int, ...]  # keys and list indexes from the document's root


def editor_view(node: yaml.Node) -> object:
    """The data an editor validates: YAML's node graph with numbers, truth values and nothing
    constructed, dates kept as the text they are (YAML 1.2 has no timestamps)."""
    if isinstance(node, yaml.MappingNode):
        return {key.value: editor_view(value) for key, value in node.value}
    if isinstance(node, yaml.SequenceNode):
        return [editor_view(item) for item in node.value]
    if node.tag.endswith((":int", ":float", ":bool", ":null")):
        return yaml.SafeLoader("").construct_object(node)
    return node.value


def schema_errors(path: Path) -> list[str]:
    data = editor_view(compose_source(path))
    return [f"{'/'.join(map(str, error.absolute_path))}: {error.message}" for error in VALIDATOR.iter_errors(data)]


def inlined(node: object, definitions: dict) -> object:
    """The schema with each reference replaced by what it names (none is recursive): the same
    verdicts, reached a third faster, for the agreement test's thousand sources."""
    if isinstance(node, dict):
        if "$ref" in node:
            return inlined(definitions[node["$ref"].rsplit("/", 1)[1]], definitions)
        return {key: inlined(value, definitions) for key, value in node.items() if key != "definitions"}
    if isinstance(node, list):
        return [inlined(value, definitions) for value in node]
    return node


INLINED = jsonschema.Draft7Validator(inlined(schema.source_schema(), schema.source_schema()["definitions"]))


# ---------------------------------------------------------------- the schema itself


def test_the_shipped_schema_is_the_generated_one() -> None:
    shipped = (ROOT / "src" / "docgen" / "source" / "source.schema.json").read_text(encoding="utf-8")
    assert shipped == schema.schema_text(), "regenerate: docgen schema > src/docgen/source/source.schema.json"


def test_docgen_schema_prints_it() -> None:
    result = CliRunner().invoke(main, ["schema"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == schema.source_schema()


def test_the_schema_is_draft_07_and_every_key_is_described_in_chinese() -> None:
    jsonschema.Draft7Validator.check_schema(schema.source_schema())
    keys = list(_properties(schema.source_schema()))
    assert len(keys) >= sum(len(getattr(loader, table)) for table in LOADER_KEY_TABLES)
    for where, key in keys:
        description = key.get("description", "")
        assert any("\u4e00" <= char <= "\u9fff" for char in description), f"{where}: {description!r}"


def _properties(node: object, where: str = "") -> Iterator[tuple[str, dict]]:
    """Every key a mapping of the schema describes, with where it is (not the conditions' narrowings)."""
    if isinstance(node, dict):
        for name, value in node.get("properties", {}).items():
            yield f"{where}/{name}", value
        for name, value in node.items():
            if name not in ("if", "then", "else"):
                yield from _properties(value, f"{where}/{name}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _properties(value, f"{where}/{index}")


@pytest.mark.parametrize("language", [keys.ENGLISH, keys.CHINESE])
def test_every_key_of_the_loader_is_described(language: str) -> None:
    """Each key the loader takes at each place is a property there, in each language, and nothing else is."""
    definitions = schema.source_schema()["definitions"]
    places = {
        "DOCUMENT_KEYS": definitions[f"document_{language}"],
        "TABLE_KEYS": definitions[f"table_{language}"],
        "SECTION_KEYS": definitions[f"section1_{language}"],
        "ITEM_KEYS": definitions[f"item_{language}"],
        "ATTACHMENT_KEYS": definitions[f"attachment_{language}"]["anyOf"][1],
    }
    for table, place in places.items():
        assert list(place["properties"]) == list(getattr(loader, table).named(language)), table


LOADER_KEY_TABLES = sorted(name for name in vars(loader) if name.endswith("_KEYS"))


# Every table of keys the loader checks a mapping against: its own names, and the table entry's.
KEY_TABLES = [*((loader, name) for name in LOADER_KEY_TABLES), (keys, "TABLE_ENTRY")]


@pytest.mark.parametrize(("module", "table"), KEY_TABLES, ids=[name for _module, name in KEY_TABLES])
def test_a_key_added_to_the_loader_alone_stops_the_schema(
    module: object, table: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Mutation: every key table of the loader is one the schema is generated from."""
    taken = getattr(module, table)
    added = keys.KeyTable(taken.name, {**taken.keys, "new_key": keys.Key("新加的键", keys.TEXT)})
    monkeypatch.setattr(module, table, added)
    with pytest.raises(schema.SchemaDrift, match="new_key"):
        schema.source_schema()


@pytest.mark.parametrize(("module", "table"), KEY_TABLES, ids=[name for _module, name in KEY_TABLES])
def test_a_key_the_loader_drops_stops_the_schema(module: object, table: str, monkeypatch: pytest.MonkeyPatch) -> None:
    taken = getattr(module, table)
    *kept, dropped = taken
    monkeypatch.setattr(module, table, keys.KeyTable(taken.name, {key: taken.keys[key] for key in kept}))
    with pytest.raises(schema.SchemaDrift, match=dropped):
        schema.source_schema()


def test_the_enumerations_are_the_loaders() -> None:
    document = schema.source_schema()["definitions"]["document_zh"]["properties"]
    assert document["格式"]["enum"] == ["文件", "信函", "命令", "纪要", "file", "letter", "order", "minutes"]
    assert document["版头"]["properties"]["紧急程度"]["enum"] == ["特急", "加急"]


# ---------------------------------------------------------------- what validates


@pytest.mark.parametrize("path", [*EXAMPLES, ROOT / "data" / "report.yaml"], ids=lambda path: path.name)
def test_every_example_validates(path: Path) -> None:
    assert schema_errors(path) == []


STARTERS = [kind for kind in starters.KINDS if kind != starters.LEDGER]  # the ledger's report is no source alone


@pytest.mark.parametrize("kind", STARTERS, ids=[starters.KINDS[kind] for kind in STARTERS])
def test_every_starter_validates_with_its_optional_elements_and_without(kind: str, tmp_path: Path) -> None:
    source = tmp_path / "source.yaml"
    for language in (keys.CHINESE, keys.ENGLISH):
        text = starters.starter_text(kind, language)
        for variant in (text, re.sub(r"^( *)# ", r"\1", text, flags=re.MULTILINE)):  # "# " lines enabled
            source.write_text(variant, encoding="utf-8")
            assert schema_errors(source) == [], variant


# ---------------------------------------------------------------- the loader and the schema agree

# Every key the loader takes, each at least once; the images are SEAL, copied beside the source.
EVERY_KEY: dict = {
    "kind": "文件",
    "header": {
        "copy_number": "000001",
        "secrecy": "秘密★1年",
        "urgency": "加急",
        "mark": ["某某市人民政府"],
        "mark_suffix": "文件",
        "number": "某政发〔2024〕3号",
        "signers": ["张三"],
    },
    "title": ["某某市人民政府关于开展", "安全生产检查的通知"],
    "organ": "某某市人民政府",
    "date": "2024-03-15",
    "seal": "印章.png",
    "signer": {"title": "市长", "seal": "印章.png"},
    "addressees": ["各区县人民政府", "市政府各部门"],
    "preamble": ["为做好安全生产工作，现将有关事项通知如下。"],
    "sections": [
        {
            "heading": "总体要求",
            "continuous_numbering": True,
            "body": [
                "各地要高度重视。",
                {
                    "heading": "压实责任",
                    "text": "各级各部门要落实责任。",
                    "body": [
                        {
                            "heading": "明确分工",
                            "body": [{"heading": "逐项落实", "number": "（1）", "body": ["第五级只有段落和表格。"]}],
                        },
                        {
                            "problem": "责任落实不到位",
                            "lead": "关于",
                            "measures": ["召开会议", "建立台账"],
                            "number": "1.",
                        },
                    ],
                },
            ],
        },
        {
            "heading": "工作安排",
            "number": "二、",
            "body": [
                {
                    "table": {
                        "caption": "检查安排表",
                        "header": ["序号", "内容", "时限"],
                        "widths": [1, 4, "2"],
                        "rows": [["1", "自查", "3月底"], ["2", None, ""]],
                        "totals": ["合计", "2项", ""],
                        "landscape": False,
                    }
                }
            ],
        },
    ],
    "closing": ["特此通知。"],
    "contact": [{"联系电话": "0531-12345678"}, {"邮政编码": "250099"}],
    "attendance": [{"出席": ["张三", "李四"]}, {"请假": "王五"}, {"列席": ["市应急局"]}],
    "attachments": ["检查要点", {"title": "检查表", "body": ["附件正文。"]}],
    "note": "此件公开发布",
    "enclosed": {
        "title": "某某省安全生产检查方案",
        "addressees": ["各市人民政府"],
        "preamble": ["现将方案印发给你们。"],
        "sections": [{"heading": "检查范围", "text": "全省各类生产经营单位。"}],
        "closing": ["请认真贯彻执行。"],
        "organ": "某某省人民政府",
        "date": "2024年3月1日",
    },
    "colophon": {
        "copy_to": ["市委办公厅", "市人大常委会办公厅"],
        "printer": "某某市人民政府办公室",
        "print_date": "2024-03-15",
    },
    "publication": {"published": "2024-03-16", "source": "市政府办公室", "editor": "李四"},
}
# The other halves of the loader's either-ors, and the kinds that number their issues.
VARIANTS = {
    "every key": EVERY_KEY,
    "joint": {**{k: v for k, v in EVERY_KEY.items() if k not in ("organ", "seal")},
              "organs": ["某某市委办公室", "某某市人民政府办公室"], "seals": ["印章.png", "印章.png"]},
    "order": {**EVERY_KEY, "kind": "命令", "header": {"mark_suffix": "令", "number": "第15号"}},
    "minutes": {**EVERY_KEY, "kind": "minutes", "header": {"number": "第3期"}},
    "least": {"title": "通知", "organ": "某某局", "date": "2024年3月15日"},
}  # fmt: skip
VARIANTS.update({f"{name}, Chinese keys": keys.with_chinese_keys(data) for name, data in list(VARIANTS.items())})
MARK = "未知的键"
# Probes a value is replaced with: other types, an empty text, a word no enumeration holds, a typed
# heading number, a typed 一是, trailing punctuation, a date the loader takes, a Chinese-numeral date.
PROBES: tuple[object, ...] = (
    {MARK: "值"}, [MARK], [], "", True, 12, None,
    "不在其中", "（二）标题", "一是措施", "标题。", "2024-3-5", "二〇二四年三月五日",
)  # fmt: skip


def nodes(data: object, path: Path_ = ()) -> Iterator[tuple[Path_, object]]:
    """Every value of ``data`` with its path, the root first."""
    yield path, data
    children = data.items() if isinstance(data, dict) else enumerate(data) if isinstance(data, list) else ()
    for key, value in children:
        yield from nodes(value, (*path, key))


REMOVE = object()


def changed(data: dict, path: Path_, change: object) -> dict:
    """A copy of ``data`` with the value at ``path`` replaced by ``change`` (or its key removed: REMOVE)."""
    result = copy.deepcopy(data)
    parent = result
    for key in path[:-1]:
        parent = parent[key]
    if change is REMOVE:
        del parent[path[-1]]
    else:
        parent[path[-1]] = change
    return result


def mutations(data: dict, only: Iterable[str] | None = None) -> Iterator[tuple[str, dict, Path_, object]]:
    """(what was changed, the changed data, the path changed, the probe or REMOVE or MARK for an added key).

    Each place is changed once however many list entries share it (the first of them), and with
    ``only`` only under those keys of the document.
    """
    seen: set[Path_] = set()
    for path, value in nodes(data):
        place = tuple("*" if isinstance(key, int) else key for key in path)
        if place in seen or (only is not None and path and path[0] not in only):
            continue
        seen.add(place)
        if isinstance(value, dict):
            yield f"{path} + {MARK}", changed(data, (*path, MARK), "值"), (*path, MARK), MARK
            for key in value:
                yield f"{path} - {key}", changed(data, (*path, key), REMOVE), (*path, key), REMOVE
        if path:
            for probe in PROBES:
                yield f"{path} = {probe!r}", changed(data, path, probe), path, probe


def known_gap(path: Path_, probe: object) -> str | None:
    """Why the schema cannot tell that the loader refuses this change, or None."""
    text_like = (isinstance(probe, int | float) and not isinstance(probe, bool)) or (
        isinstance(probe, str) and probe.strip()
    )
    if (path[-1] == "seal" or path[-2:-1] == ("seals",)) and text_like:
        return "the image files a source names are not the schema's to see"
    counted = path[-1] in ("header", "totals", "widths") or path[-2:-1] == ("rows",)
    if "table" in path and counted and (probe in ([MARK], []) or (path[-1] == "header" and text_like)):
        return "a table's rows, totals and widths are as many as its header's cells"
    if path in (("seals",), ("organs",)) and (probe == [MARK] or text_like):
        return "seals are one per organ"
    return None


# What a change makes wrong elsewhere: without its kind, an order's 第15号 is no 发文字号.
CONSEQUENCES = {("kind",): ("header", "number")}


def refusal_lines(root: yaml.Node, path: Path_, probe: object) -> range | list[int]:
    """The lines a refusal of this change may name: the changed node's, or for a key added or removed,
    the key's and the line its mapping starts on; or a line of what the change makes wrong."""
    if path in CONSEQUENCES:
        return [*_lines(root, path, probe), *_lines(root, CONSEQUENCES[path], None)]
    return _lines(root, path, probe)


def _lines(root: yaml.Node, path: Path_, probe: object) -> range:
    if probe is REMOVE or probe is MARK:
        parent = node_at(root, path[:-1])
        key = node_at(root, path) if probe is MARK else parent
        return range(min(parent.start_mark.line, key.start_mark.line) + 1, key.start_mark.line + 2)
    node = node_at(root, path)
    end = node.end_mark.line + (1 if node.end_mark.column else 0)  # a block ends at the next line's start
    return range(node.start_mark.line + 1, max(end, node.start_mark.line + 1) + 1)


def node_at(root: yaml.Node, path: Path_) -> yaml.Node:
    """The node at ``path``; the key's own node for a key added (MARK)."""
    node = root
    for key in path:
        if isinstance(node, yaml.SequenceNode):
            node = node.value[key]
        else:
            key_node, value_node = next(pair for pair in node.value if pair[0].value == key)
            node = key_node if key == MARK else value_node
    return node


def verdicts(data: dict, source: Path) -> tuple[bool, SourceError | None, yaml.Node]:
    """The schema's verdict on ``data`` as an editor sees it, the loader's error (None: it loads), and
    the composed YAML."""
    text = yaml.dump(data, Dumper=yaml.CSafeDumper, allow_unicode=True, sort_keys=False)
    root = loader.compose_text(text, source)
    valid = INLINED.is_valid(editor_view(root))
    try:
        loader.document_from_node(root, source)
    except SourceError as refused:
        return valid, refused, root
    return valid, None, root


@pytest.fixture()
def folder(tmp_path: Path) -> Path:
    """A folder with the seal the sources name: a small PNG, quick to decode a thousand times."""
    PIL.Image.new("RGBA", (40, 40), (230, 0, 18, 255)).save(tmp_path / "印章.png")
    return tmp_path


@pytest.mark.parametrize("variant", VARIANTS)
def test_the_variants_validate_and_build(variant: str, folder: Path) -> None:
    source = folder / "source.yaml"
    source.write_text(yaml.safe_dump(VARIANTS[variant], allow_unicode=True, sort_keys=False), encoding="utf-8")
    assert schema_errors(source) == []
    targets = {"html": folder / "source.html", "docx": folder / "source.docx"}
    build_files(load_document(source), load_profile(), tuple(targets), targets, None, origin=str(source),
                allow_unpublishable=True)  # fmt: skip
    assert all(target.stat().st_size > 1000 for target in targets.values())


# The variants beside "every key" are changed only where they differ from it.
CHANGED = {"every key": None, "joint": ("organs", "seals"), "order": ("kind", "header"), "minutes": ("kind", "header")}


def test_the_loader_and_the_schema_agree(folder: Path) -> None:
    """Some thousand one-change sources: the schema and the loader give the same verdict, but for the
    known gaps; every refusal is located in the changed element; what both accept loads."""
    source = folder / "source.yaml"
    disagreements, unlocated, gaps, tried = [], [], set(), 0
    for variant, only in CHANGED.items():
        for what, data, path, probe in mutations(VARIANTS[variant], only):
            tried += 1
            valid, error, root = verdicts(data, source)
            gap = known_gap(path, probe)
            if gap and valid and error is not None:
                gaps.add(gap)
            elif valid != (error is None):
                verdict = error.message if error else "accepts"
                disagreements.append(f"{variant}: {what}: schema {'accepts' if valid else 'refuses'}, loader {verdict}")
            elif error is not None and error.location.line not in refusal_lines(root, path, probe):
                unlocated.append(f"{variant}: {what}: {error}")
    assert tried > 1000
    assert disagreements == []
    assert unlocated == []
    assert gaps == {known_gap(*case) for case in GAP_CASES}, "a known gap is closed: take it out of known_gap"


GAP_CASES = [(("seal",), "其他.png"), (("sections", 0, "table", "header"), [MARK]), (("seals",), "其他.png")]


def renamings(english: object, chinese: object, path: Path_ = ()) -> Iterator[tuple[Path_, str]]:
    """Every key of ``english`` that ``chinese`` (the same source with Chinese keys) names otherwise:
    its path, and its Chinese name."""
    if isinstance(english, dict):
        for (key, value), (name, translated) in zip(english.items(), chinese.items(), strict=True):
            if key != name:
                yield (*path, key), name
            yield from renamings(value, translated, (*path, key))
    elif isinstance(english, list):
        for index, (value, translated) in enumerate(zip(english, chinese, strict=True)):
            yield from renamings(value, translated, (*path, index))


def renamed(data: dict, path: Path_, name: str) -> dict:
    result = copy.deepcopy(data)
    parent = result
    for key in path[:-1]:
        parent = parent[key]
    pairs = [(name if key == path[-1] else key, value) for key, value in parent.items()]
    parent.clear()
    parent.update(pairs)
    return result


def test_one_key_in_the_other_language_is_refused_by_both(folder: Path) -> None:
    """Each key of a source in English, named in Chinese alone: the schema refuses it, and the loader
    at that key (or, when it is the first key read, at the next, which is in the other language)."""
    source = folder / "source.yaml"
    cases = [
        (VARIANTS[variant], path, name)
        for variant in ("every key", "joint")
        for path, name in renamings(VARIANTS[variant], VARIANTS[f"{variant}, Chinese keys"])
    ]
    every_key = set().union(*(getattr(loader, table) for table in LOADER_KEY_TABLES), keys.TABLE_ENTRY)
    assert {path[-1] for _source, path, _name in cases} == every_key  # the two use every key
    for english, path, name in cases:
        valid, error, root = verdicts(renamed(english, path, name), source)
        assert not valid and error is not None, f"{path} as {name}: schema {valid}, loader {error}"
        first = path == (next(iter(english)),)
        key = root.value[1][0] if first else _key_node(root, (*path[:-1], name))
        assert error.location.line == key.start_mark.line + 1, f"{path} as {name}: {error}"


def _key_node(root: yaml.Node, path: Path_) -> yaml.Node:
    parent = node_at(root, path[:-1])
    return next(key for key, _value in parent.value if key.value == path[-1])
