"""`docgen new KIND`: every kind's starter builds as it is, with every optional element enabled, and with
each enabled alone; English keys build the same bytes; the 整改进展 ledger makes its update; an
existing file is never overwritten."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import docx
import pytest
import yaml
from click.testing import CliRunner

from docgen.cli import main
from docgen.source import keys
from docgen.source.loader import load_document
from docgen.source.starters import KINDS, LEDGER, english_names, starter_text

ROOT = Path(__file__).resolve().parents[2]
DOCUMENTS = [kind for kind in KINDS if kind != LEDGER]
OPTIONAL = re.compile(r"^( *)# (.*)$")  # an optional element's line; "## " lines explain


def enabled(text: str, lines: set[int] | None = None) -> str:
    """``text`` with the optional lines (all, or those numbered in ``lines``) taken out of their comments."""
    return "".join(
        OPTIONAL.sub(r"\1\2", line) if lines is None or number in lines else line
        for number, line in enumerate(text.splitlines(keepends=True))
    )


def elements(text: str) -> list[set[int]]:
    """The optional elements of a starter, each as the numbers of its lines: a run of commented lines
    splits where a line starts at the run's own indentation, except a list item under a key that
    opens a list or mapping (`# 附件:` then `# - …`), and a line after one that says it goes with it
    (`# 发文机关: …  # 与成文日期同写`)."""
    found: list[set[int]] = []
    base, opener, joined = -1, False, False
    for number, line in enumerate(text.splitlines()):
        match = OPTIONAL.match(line)
        if not match:
            base = -1
            continue
        content = match[1] + match[2]
        indent = len(content) - len(content.lstrip())
        listed = indent == base and opener and content.lstrip().startswith("- ")
        if base < 0 or not (indent > base or listed or joined):
            found.append(set())
            base, opener = indent, content.split("#")[0].rstrip().endswith(":")
        joined = "同写" in content
        found[-1].add(number)
    return found


def new(folder: Path, kind: str, *options: str) -> tuple[Path, object]:
    target = folder / f"{KINDS[kind]}.yaml"
    result = CliRunner().invoke(main, ["new", kind, "-o", str(target), *options])
    return target, result


def build(source: Path, *formats: str) -> dict[str, Path]:
    out = source.parent / "out"
    args = ["build", str(source), "-o", str(out), "-f", ",".join(formats), "--allow-unpublishable", "--force"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    return {fmt: out / f"{source.stem}.{fmt}" for fmt in formats}


@pytest.fixture()
def folder(tmp_path: Path) -> Path:
    """A folder with the images the starters name: 印章.png and the 命令's 签名章.png."""
    shutil.copy(ROOT / "examples" / "seal-office.png", tmp_path / "印章.png")
    shutil.copy(ROOT / "examples" / "signature-seal.png", tmp_path / "签名章.png")
    return tmp_path


@pytest.mark.parametrize("kind", DOCUMENTS, ids=[KINDS[kind] for kind in DOCUMENTS])
def test_every_kind_builds_as_it_is(kind: str, tmp_path: Path) -> None:
    source, result = new(tmp_path, kind)
    assert result.exit_code == 0, result.output
    assert str(source) in result.output and "docgen build" in result.output
    text = source.read_text(encoding="utf-8")
    assert text == starter_text(kind) and text.startswith(f"## {kind}")
    page = build(source, "html")["html"].read_text(encoding="utf-8")
    title = yaml.safe_load(text)["标题"]
    assert title in page


@pytest.mark.parametrize("kind", DOCUMENTS, ids=[KINDS[kind] for kind in DOCUMENTS])
def test_every_optional_element_enabled_builds(kind: str, folder: Path) -> None:
    """All the optional elements at once: each one's texts are in the DOCX."""
    text = starter_text(kind)
    assert len(elements(text)) >= 3, "a starter shows its optional elements commented out"
    source = folder / f"{KINDS[kind]}.yaml"
    source.write_text(enabled(text), encoding="utf-8")
    built = build(source, "docx")["docx"]
    printed = _docx_text(built)
    added = _texts_enabled(text)
    assert added, "the optional elements add texts"
    for value in added:
        assert re.sub(r"\s", "", value) in printed, f"{value!r} is not in the DOCX"


def _texts_enabled(text: str) -> set[str]:
    """The texts that enabling the optional elements adds, but for images (a date is a date to YAML)."""
    return {
        value for value in _texts(yaml.safe_load(enabled(text))) - _texts(yaml.safe_load(text)) if ".png" not in value
    }


def _texts(data: object) -> set[str]:
    if isinstance(data, dict):
        return set().union(*map(_texts, data.values()))
    if isinstance(data, list):
        return set().union(*map(_texts, data))
    return {data} if isinstance(data, str) and data.strip() else set()


def _docx_text(path: Path) -> str:
    """Every paragraph's text of the DOCX (body, tables, text boxes), without the spaces it lays out with."""
    document = docx.Document(str(path))
    texts = [node.text or "" for node in document.element.body.iter() if node.tag.endswith("}t")]
    return re.sub(r"[\s\u3000]", "", "".join(texts))


@pytest.mark.parametrize("kind", DOCUMENTS, ids=[KINDS[kind] for kind in DOCUMENTS])
def test_each_optional_element_enabled_alone_loads(kind: str, folder: Path) -> None:
    text = starter_text(kind)
    source = folder / "source.yaml"
    for lines in elements(text):
        source.write_text(enabled(text, lines), encoding="utf-8")
        load_document(source)  # raises, naming the line, if the element does not stand alone


@pytest.mark.parametrize("kind", DOCUMENTS, ids=[KINDS[kind] for kind in DOCUMENTS])
def test_english_keys_build_the_same_document(kind: str, folder: Path) -> None:
    for variant in (lambda text: text, enabled):
        pages = []
        for language in (keys.CHINESE, keys.ENGLISH):
            source = folder / language / "source.yaml"
            source.parent.mkdir(exist_ok=True)
            shutil.copy(folder / "印章.png", source.parent)
            shutil.copy(folder / "签名章.png", source.parent)
            source.write_text(variant(starter_text(kind, language)), encoding="utf-8")
            pages.append(build(source, "html")["html"].read_bytes())
        assert pages[0] == pages[1]
    english = yaml.safe_load(enabled(starter_text(kind, keys.ENGLISH)))
    assert {"title", "organ", "date"} <= english.keys()


def test_every_chinese_key_name_stands_for_one_english_key() -> None:
    """What makes --keys en a renaming line by line: no Chinese name is two keys' in different places."""
    meanings: dict[str, set[str]] = {}
    for table in keys.TABLES.values():
        for english, key in table.keys.items():
            meanings.setdefault(key.chinese, set()).add(english)
    assert {name: found for name, found in meanings.items() if len(found) > 1} == {}
    assert english_names()["签名章"] == "seal" and english_names()["职务"] == "title"


def test_the_ledger_starter_makes_its_update(folder: Path) -> None:
    ledger, result = new(folder, LEDGER)
    assert result.exit_code == 0 and "docgen progress" in result.output, result.output
    for variant in ("as it is", "every optional element"):
        if variant != "as it is":
            ledger.write_text(enabled(ledger.read_text(encoding="utf-8")), encoding="utf-8")
        out = folder / variant
        args = ["progress", str(ledger), "-o", str(out), "-f", "html", "--table"]
        result = CliRunner().invoke(main, args)
        assert result.exit_code == 0, result.output
        page = (out / f"{ledger.stem}-progress-2024-03-31.html").read_text(encoding="utf-8")
        assert "某某问题的表述" in page and "截至目前" in page
    assert "建立完善长效机制1项" in result.output  # the mechanism enabled is counted


def test_new_never_overwrites_a_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Written as KIND.yaml where it runs; run again, it refuses and leaves the edited file alone."""
    monkeypatch.chdir(tmp_path)
    runner = CliRunner(env={"DOCGEN_LANG": "en"})
    first = runner.invoke(main, ["new", "请示"])
    assert first.exit_code == 0, first.output
    assert (tmp_path / "请示.yaml").read_text(encoding="utf-8") == starter_text("请示")
    (tmp_path / "请示.yaml").write_text("标题: 改过的稿子\n", encoding="utf-8")
    again = runner.invoke(main, ["new", "请示"])
    assert again.exit_code == 2
    assert "请示.yaml exists already" in again.stderr and "Traceback" not in again.output
    assert (tmp_path / "请示.yaml").read_text(encoding="utf-8") == "标题: 改过的稿子\n"


def test_an_unknown_kind_is_refused_with_the_kinds() -> None:
    result = CliRunner(env={"DOCGEN_LANG": "en"}).invoke(main, ["new", "决定"])
    assert result.exit_code == 2
    assert all(kind in result.output for kind in KINDS)


def test_keys_en_writes_the_english_names(tmp_path: Path) -> None:
    source, result = new(tmp_path, "函", "--keys", "en")
    assert result.exit_code == 0, result.output
    written = yaml.safe_load(source.read_text(encoding="utf-8"))
    assert list(written) == [
        "kind",
        "header",
        "title",
        "organ",
        "date",
        "addressees",
        "preamble",
        "sections",
        "closing",
    ]
    assert written["header"] == {"mark": "某某市人民政府办公室", "number": "某政办函〔2024〕1号"}


def test_a_folder_that_does_not_exist_is_named(tmp_path: Path) -> None:
    target = tmp_path / "没有的文件夹" / "通知.yaml"
    result = CliRunner(env={"DOCGEN_LANG": "en"}).invoke(main, ["new", "通知", "-o", str(target)])
    assert result.exit_code == 2
    assert f"cannot write {target}: No such file or directory" in result.stderr and not target.parent.exists()
