"""Chinese key names beside the English ones: one documented name for every key of every mapping,
read everywhere, never mixed with English in one source, written by `docgen import --keys zh`;
examples/zh/ holds each example with Chinese keys, and each builds to the bytes of its English twin."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner, Result

from docgen.cli import main
from docgen.i18n import language, set_language
from docgen.source import keys
from docgen.source.loader import load_document

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
CHINESE_EXAMPLES = EXAMPLES / "zh"
FIXTURES = ROOT / "tests" / "fixtures"
CJK = re.compile(r"[\u4e00-\u9fff]")
# What the examples and the sample leave out: a 转发 notice's enclosed document, with published
# heading and item labels and a table's caption. Line 23 names its organs (the other case, its organ).
ENCLOSING = """\
title: 济南市人民政府办公厅关于转发市应急局2023年防汛工作方案的通知
organ: 济南市人民政府办公厅
date: 2023-05-10
addressees: [各区县人民政府, 市政府各部门]
preamble: [市应急局《2023年防汛工作方案》已经市政府同意，现转发给你们，请认真贯彻执行。]
enclosed:
  title: 2023年防汛工作方案
  addressees: [各有关单位]
  preamble: [为做好2023年防汛工作，确保安全度汛，制定本方案。]
  sections:
  - heading: 工作目标。
    number: 一、
    text: 确保不发生重大人员伤亡。
  - heading: 整改措施
    body:
    - problem: 防汛物资储备不足
      number: （一）
      measures: [增加防汛物资储备。]
    - table:
        caption: 防汛物资储备表
        header: [物资, 数量]
        rows:
        - [沙袋, "1000"]
  closing: [以上方案，请认真组织实施。]
  organs: [济南市应急管理局, 济南市水务局]
  date: 2023-05-08
"""
HEAD = "title: 关于开展安全检查的通知\norgan: 某某市应急管理局\ndate: 2024-03-15\n"


@pytest.fixture(autouse=True)
def _language_restored() -> Iterator[None]:
    before = language()
    yield
    set_language(before)


def in_chinese(text: str) -> tuple[str, set[tuple[str, str]]]:
    """``text`` with every key renamed to its Chinese name where it stands (comments, layout and values
    as they were), and the (table, key) pairs renamed: the tables walked as the loader walks them."""
    renamed: list[tuple[int, int, str]] = []
    seen: set[tuple[str, str]] = set()

    def walk(node: yaml.MappingNode, table: keys.KeyTable) -> None:
        for key_node, value in node.value:
            key = table.keys.get(key_node.value)
            if key is None:
                continue
            renamed.append((key_node.start_mark.index, key_node.end_mark.index, key.chinese))
            seen.add((table.name, key_node.value))
            children = value.value if isinstance(value, yaml.SequenceNode) else [value]
            for child in children if key.inner else ():
                if isinstance(child, yaml.MappingNode):
                    names = {name.value for name, _value in child.value}
                    walk(child, keys.block_table(names) if key.inner == "block" else keys.TABLES[key.inner])

    walk(yaml.compose(text, Loader=yaml.SafeLoader), keys.DOCUMENT)  # the pure loader's marks count characters
    for start, end, chinese in sorted(renamed, reverse=True):
        text = text[:start] + chinese + text[end:]
    return text, seen


def mapping_keys(node: yaml.Node) -> Iterator[str]:
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            yield key.value
            yield from mapping_keys(value)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            yield from mapping_keys(item)


def english_sources() -> dict[str, str]:
    sources = {path.name: path.read_text(encoding="utf-8") for path in sorted(EXAMPLES.glob("*.yaml"))}
    sources["report.yaml"] = (ROOT / "data" / "report.yaml").read_text(encoding="utf-8")
    sources["enclosing.yaml"] = ENCLOSING
    sources["enclosing-one.yaml"] = ENCLOSING.replace(
        "organs: [济南市应急管理局, 济南市水务局]", "organ: 济南市应急管理局"
    )
    return sources


# ---------------------------------------------------------------- the names


def test_every_key_has_one_chinese_name_of_its_own_and_the_module_documents_them() -> None:
    documented = dict(re.findall(r"^- (\w+): ((?:.|\n  )+)$", keys.__doc__ or "", re.MULTILINE))
    assert set(documented) == set(keys.TABLES) - {"enclosed"}
    for table in keys.TABLES.values():
        names = [table.chinese(key) for key in table]
        assert len(set(names)) == len(names), table.name  # a Chinese name reads back as one key
        assert all(CJK.fullmatch(char) for name in names for char in name), names
        assert set(table.english) == set(names) and not set(names) & set(table)
        listed = documented.get(table.name if table.name != "enclosed" else "document", "")
        pairs = dict(pair.split(" ") for pair in re.split(r",\s+", listed.replace("\n  ", " ").strip()))
        assert all(pairs[key] == table.chinese(key) for key in table), table.name
    assert keys.ENCLOSED.named(keys.CHINESE) == tuple(keys.DOCUMENT.chinese(key) for key in keys.ENCLOSED)


def test_a_key_means_one_thing_in_chinese_where_it_means_one_thing_in_english() -> None:
    # The same English key of the same meaning has the same Chinese name in every mapping; where the
    # meaning differs, so does the name (a signer's title is a post, the header's number a 发文字号).
    assert keys.DOCUMENT.chinese("title") == keys.ATTACHMENT.chinese("title") == "标题"
    assert keys.SECTION.chinese("body") == keys.ATTACHMENT.chinese("body") == "内容"
    assert keys.SECTION.chinese("number") == keys.ITEM.chinese("number") == "序号"
    assert keys.SIGNER.chinese("title") == "职务" and keys.HEADER.chinese("number") == "发文字号"


# ---------------------------------------------------------------- read everywhere


def test_chinese_keys_are_read_in_every_mapping_to_the_document_of_the_english_ones(tmp_path: Path) -> None:
    covered: set[tuple[str, str]] = set()
    source = tmp_path / "notice.yaml"  # both read from one path: the model names its file in places
    for image in EXAMPLES.glob("*.png"):
        (tmp_path / image.name).write_bytes(image.read_bytes())
    for name, english in english_sources().items():
        chinese, seen = in_chinese(english)
        covered |= seen
        source.write_text(english, encoding="utf-8")
        expected = load_document(source)
        source.write_text(chinese, encoding="utf-8")
        assert load_document(source) == expected, name
        assert not [key for key in mapping_keys(yaml.compose(chinese, Loader=yaml.SafeLoader)) if not CJK.search(key)]
    assert covered == {(table.name, key) for table in keys.TABLES.values() for key in table}


def test_with_chinese_keys_renames_a_source_as_the_reader_reads_it() -> None:
    for name, english in english_sources().items():
        chinese, _seen = in_chinese(english)
        assert keys.with_chinese_keys(yaml.safe_load(english)) == yaml.safe_load(chinese), name


def refused(tmp_path: Path, text: str, lang: str) -> tuple[Path, str]:
    source = tmp_path / "notice.yaml"
    source.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(main, ["--lang", lang, "build", str(source), "-o", str(tmp_path / "out"), "-f", "html"])
    assert result.exit_code == 2 and isinstance(result.exception, SystemExit), result.output
    assert not (tmp_path / "out").exists()
    return source, result.stderr


@pytest.mark.parametrize(
    ("text", "line", "column", "english", "chinese"),
    [
        ("标题: 关于开展安全检查的通知\norgan: 某某市应急管理局\n成文日期: 2024-03-15\n", 2, 1,
         "'organ' is an English key, but this source names its keys in Chinese (first '标题' on line 1): "
         "write '发文机关'",
         "“organ”是英文键名，而这个源文件用的是中文键名（第 1 行的“标题”）：请写成“发文机关”"),
        (HEAD + "header:\n  紧急程度: 特急\n", 5, 3,
         "'紧急程度' is a Chinese key, but this source names its keys in English (first 'title' on line 1): "
         "write 'urgency'",
         "“紧急程度”是中文键名，而这个源文件用的是英文键名（第 1 行的“title”）：请写成“urgency”"),
        (HEAD + "sections:\n  - 小标题: 总体要求\n", 5, 5,
         "'小标题' is a Chinese key, but this source names its keys in English (first 'title' on line 1): "
         "write 'heading'",
         "“小标题”是中文键名，而这个源文件用的是英文键名（第 1 行的“title”）：请写成“heading”"),
    ],
    ids=["an English key among Chinese ones", "a Chinese key in an English header", "a Chinese key in a section"],
)  # fmt: skip
def test_a_source_mixing_english_and_chinese_keys_is_refused_at_the_first_that_differs(
    tmp_path: Path, text: str, line: int, column: int, english: str, chinese: str
) -> None:
    for lang, message in (("en", english), ("zh", chinese)):
        source, stderr = refused(tmp_path, text, lang)
        first, shown, caret = stderr.splitlines()[:3]
        assert first.endswith(f"{source}:{line}:{column}: {message}"), stderr
        assert (
            shown == f"  {line} | {text.splitlines()[line - 1]}"
            and caret.index("^") == len(f"  {line} | ") + column - 1
        )


def test_a_misspelled_chinese_key_is_answered_with_the_chinese_keys_of_its_place(tmp_path: Path) -> None:
    _source, stderr = refused(
        tmp_path, "标题: 关于开展安全检查的通知\n发文机关: 某局\n成文日期: 2024-03-15\n版头:\n  紧急成都: 特急\n", "zh"
    )
    assert "是不是“紧急程度”？（可用的键：份号, 密级, 紧急程度, 发文机关标志, 标志后缀, 发文字号, 签发人）" in stderr, (
        stderr
    )


# ---------------------------------------------------------------- the examples in Chinese, byte for byte


def build(sources: list[Path], out: Path) -> Result:
    result = CliRunner().invoke(main, ["--lang", "en", "build", *map(str, sources), "-o", str(out), "-f", "docx,pdf"])
    assert result.exit_code == 0, result.output
    return result


def test_each_chinese_example_builds_to_the_bytes_of_its_english_twin(tmp_path: Path) -> None:
    english = sorted(EXAMPLES.glob("*.yaml"))
    chinese = sorted(CHINESE_EXAMPLES.glob("*.yaml"))
    assert [path.name for path in chinese] == [path.name for path in english]
    for path in chinese:
        text = path.read_text(encoding="utf-8")
        assert not [key for key in mapping_keys(yaml.compose(text, Loader=yaml.SafeLoader)) if not CJK.search(key)]
    build(english, tmp_path / "en")
    build(chinese, tmp_path / "zh")
    for path in english:
        for suffix in (".docx", ".pdf"):
            name = path.with_suffix(suffix).name
            written = (tmp_path / "en" / name).read_bytes()
            assert len(written) > 5000 and (tmp_path / "zh" / name).read_bytes() == written, name


# ---------------------------------------------------------------- docgen import --keys zh


@pytest.mark.parametrize(
    "notice", [FIXTURES / "tongzhi.txt", FIXTURES / "markdown" / "levels.md"], ids=["text", "markdown"]
)
def test_import_keys_zh_writes_chinese_keys_that_build_to_the_bytes_of_the_english_import(
    tmp_path: Path, notice: Path
) -> None:
    written = {}
    for names in ("en", "zh"):
        target = tmp_path / names / "notice.yaml"
        target.parent.mkdir()
        args = ["--lang", "en", "import", str(notice), "-q", "-o", str(target), "--keys", names]
        result = CliRunner().invoke(main, args)
        assert result.exit_code == 0, result.output
        written[names] = target.read_text(encoding="utf-8")
        build([target], tmp_path / names / "out")
    found = list(mapping_keys(yaml.compose(written["zh"], Loader=yaml.SafeLoader)))
    assert "标题" in found and "正文" in found and not [key for key in found if not CJK.search(key)]
    assert written["zh"] == in_chinese(written["en"])[0]  # the same source, its keys renamed
    for suffix in (".docx", ".pdf"):
        assert (tmp_path / "zh" / "out" / f"notice{suffix}").read_bytes() == (
            tmp_path / "en" / "out" / f"notice{suffix}"
        ).read_bytes()
