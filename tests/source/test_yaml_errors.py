"""YAML mistakes in plain words, through the real CLI, in Chinese (the default) and in English.

Each usual mistake of a person typing a source is refused with a located message that names the
cause in words, the line as written with a caret under the column the location names, and the
hint that mends it; exit code 2, no traceback, nothing written. A misspelled key is answered only
with a key valid at that place whose value fits, and following the answer builds.
"""

from __future__ import annotations

import re
import shutil
import tempfile
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from hypothesis import given
from hypothesis import strategies as st

from docgen.cli import main
from docgen.errors import DocgenError, SourceError
from docgen.i18n import language, set_language
from docgen.source import yaml_errors
from docgen.source.loader import load_document
from fuzzing import FUZZ

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
HEAD = "title: 关于开展安全检查的通知\norgan: 某某市应急管理局\ndate: 2024-03-15\n"  # a case's own lines start at 4
SECTION = HEAD + "sections:\n  - heading: 总体要求\n"  # line 5 is the level-1 section


@dataclass(frozen=True)
class Case:
    name: str
    text: str
    line: int
    column: int
    chinese: tuple[str, ...]  # words of the message and its hint, as the zh catalog gives them
    english: tuple[str, ...]


CASES = [
    Case("half-width colon in a text value", HEAD + "closing: 特此请示: 妥否\n", 4, 14,
         ("半角冒号", "全角“：”"), ("half-width colon", "full-width colon")),
    Case("half-width colon makes a paragraph a mapping", HEAD + "preamble:\n  - 现将有关事项请示如下: 一是\n", 5, 15,
         ("“现将有关事项请示如下”", "半角冒号", "全角“：”"), ("after '现将有关事项请示如下'", "full-width colon")),
    Case("half-width colon makes a body paragraph a section", SECTION + "    body:\n      - 现将有关事项通知如下:\n",
         7, 19,
         ("“现将有关事项通知如下”", "半角冒号", "全角“：”"), ("'key: value'", "full-width colon")),
    Case("half-width colon in a bracketed list", HEAD + "addressees: [各区县人民政府:, 市政府各部门]\n", 4, 21,
         ("半角冒号", "全角“：”"), ("half-width colon", "full-width colon")),
    Case("no space after a key's colon", HEAD.replace("organ: ", "organ:"), 2, 6,
         ("“organ:”", "缺少空格", "“organ: …”"), ("no space after the colon", "'organ: …'")),
    Case("no space after a key's colon, the only key", "title:关于开展安全检查的通知\n", 1, 6,
         ("“title:”", "缺少空格"), ("no space after the colon of 'title:'",)),
    Case("no space after a header key's colon", HEAD + "header:\n  urgency:特急\n", 5, 10,
         ("“urgency:”", "缺少空格"), ("no space after the colon of 'urgency:'",)),
    Case("full-width colon after a key", HEAD + "note：此件公开发布\n", 4, 5,
         ("全角冒号", "半角冒号加一个空格"), ("full-width colon", "half-width colon and a space")),
    Case("full-width colon after a header key", HEAD + "header:\n  urgency：特急\n", 5, 10,
         ("键“urgency”", "全角冒号"), ("the key 'urgency'", "full-width colon")),
    Case("a tab indents a list", HEAD + "sections:\n\t- heading: 总体\n", 5, 1,
         ("制表符", "空格缩进"), ("a tab character", "spaces only")),
    Case("a tab indents a key", HEAD + "header:\n  urgency: 特急\n\tnumber: 济政发〔2023〕5号\n", 6, 1,
         ("制表符",), ("a tab character",)),
    Case("a key indented deeper than the one above", SECTION + "     body: 内容\n", 6, 10,
         ("缩进得多", "“heading”对齐"), ("indented more than the line above", "under 'heading'")),
    Case("a key indented between two levels", HEAD + "header:\n    urgency: 特急\n  number: 济政发〔2023〕5号\n", 6, 3,
         ("缩进了 2 个空格", "第 5 行", "4 个空格"), ("indented by 2 spaces", "by 4 spaces like line 5")),
    Case("a list item among a mapping's keys", HEAD + "- 现将有关事项通知如下。\n", 4, 1,
         ("列表项", "键值对之间"), ("a list item '- ' stands among the keys",)),
    Case("a key at the column of a list's dashes", SECTION + "  text: 各单位要高度重视。\n", 6, 3,
         ("同一列", "再缩进 2 个空格"), ("column of the list's '- '", "2 more spaces")),
    Case("a list item on its key's line", HEAD + "sections: - heading: 总体要求\n", 4, 11,
         ("同一行", "“sections:”单独占一行"), ("on the same line as its key", "'sections:' alone")),
    Case("a list where a mapping is expected", HEAD + "header:\n  - urgency: 特急\n", 5, 3,
         ("列表", "删除键名前的“- ”"), ("got a list", "remove the '- '")),
    Case("a dash without its space", HEAD + "sections:\n  -heading: 总体要求\n", 5, 3,
         ("“-”后面要加一个空格", "“- heading”"), ("followed by a space: '- heading'",)),
    Case("a quote never closed", HEAD + 'note: "此件公开发布\n', 4, 7,
         ("引号", "一直没有结束"), ("never closed",)),
    Case("a quote closed lines later", 'title: "关于开展安全检查的通知\norgan: 某某市应急管理局\ndate: "2024-03-15"\n',
         1, 8,
         ("本行没有结束", "第 3 行"), ("not closed on its line", "line 3")),
    Case("a half-width quote inside a quoted text", HEAD + 'note: "此件"公开"发布"\n', 4, 11,
         ("结束之后还有文字", "中文引号"), ("goes on after its closing quote", "Chinese quotes")),
    Case("a list never closed", HEAD + "addressees: [各区县人民政府, 市政府各部门\n", 4, 13,
         ("括号 [", "没有闭合", "用 ] 闭合"), ("never closed", "close it with ]")),
    Case("a closing bracket too many", HEAD + "addressees: [各区县人民政府, 市政府各部门]]\n", 4, 30,
         ("多了一个", "]"), ("a closing ] that no bracket opened",)),
    Case("a text beginning with a bracket", HEAD + "note: [此件]公开发布\n", 4, 7,
         ("以 [ 开头", "全角括号"), ("begins with [ reads as a list", "full-width brackets")),
    Case("a text beginning with @", HEAD + "note: @各单位\n", 4, 7,
         ("不能以“@”开头", "引号"), ("cannot begin with '@'", "quotes")),
    Case("a text beginning with *", HEAD + "note: *此件公开发布\n", 4, 7,
         ("不能以“*”开头",), ("cannot begin with '*'",)),
    Case("a backslash in double quotes", HEAD + 'note: "见附件\\一"\n', 4, 11,
         ("反斜杠", "单引号"), ("backslash", "single quotes")),
    Case("a block text not indented", HEAD + "note: |\n此件公开发布\n", 5, 1,
         ("缩进", "两个空格"), ("must be indented under its key",)),
    Case("a paragraph without its dash", HEAD + "此件公开发布。\nnote: 此件公开发布\n", 4, 1,
         ("既不是“键: 值”", "列表项"), ("neither 'key: value' nor a list item",)),
    Case("a duplicate key", HEAD + "title: 关于开展消防检查的通知\n", 4, 1,
         ("重复", "第 1 行", "只能出现一次"), ("duplicate key 'title'", "first given on line 1", "give each key once")),
    Case("a full-width space indents a key", HEAD + "\u3000note: 此件公开发布\n", 4, 1,
         ("全角空格", "半角空格"), ("full-width space", "half-width spaces")),
    Case("a second document", HEAD + "---\nnote: 此件公开发布\n", 4, 1,
         ("“---”", "只能有一个文档"), ("a line '---' ends the document",)),
    Case("a control character", HEAD + "note: 此件\x07公开发布\n", 4, 9,
         ("控制字符 U+0007", "删除"), ("control character U+0007", "delete it")),
    Case("an invisible character before a key", HEAD + "\ufeffnote: 此件公开发布\n", 4, 1,
         ("看不见的字符 U+FEFF", "删除"), ("invisible character U+FEFF",)),
    Case("a misspelled key", HEAD + "adressees: [各区县人民政府]\n", 4, 1,
         ("没有“adressees”", "是不是“addressees”"), ("unknown key 'adressees'", "did you mean 'addressees'?")),
    Case("a key of another mapping", HEAD + "urgency: 特急\n", 4, 1,
         ("没有“urgency”", "'header'", "写到那里"), ("unknown key 'urgency'", "under 'header'")),
]  # fmt: skip


@pytest.fixture(autouse=True)
def _language_restored() -> object:
    """The CLI sets the language of the process; the tests after these find it as it was."""
    before = language()
    yield
    set_language(before)


def refusal(tmp_path: Path, text: str, lang: str) -> tuple[Path, str]:
    """The build of ``text`` refused as docgen's own error (exit 2, nothing written): (source, stderr)."""
    source = tmp_path / "notice.yaml"
    source.write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    result: Result = CliRunner().invoke(main, ["--lang", lang, "build", str(source), "-o", str(out), "-f", "html"])
    assert result.exit_code == 2, result.output
    assert isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    assert not out.exists() or not any(out.iterdir())
    return source, result.stderr


def display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(char) in ("W", "F") else 1 for char in text)


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_a_usual_mistake_is_told_in_chinese_at_its_line_with_a_caret_and_a_hint(tmp_path: Path, case: Case) -> None:
    source, stderr = refusal(tmp_path, case.text, "zh")
    lines = stderr.rstrip("\n").splitlines()
    assert f"{source}:{case.line}:{case.column}: " in lines[0], stderr
    for word in case.chinese:
        assert word in stderr, f"expected {word!r} in:\n{stderr}"
    assert not re.search(r"\b(?:the|unknown|hint|must|not valid)\b", _words(stderr)), f"English words in:\n{stderr}"
    # The excerpt: the line as written (invisible characters named), and the caret under the column.
    written = yaml_errors.source_lines(case.text)[case.line - 1]
    shown, caret = lines[1], lines[2]
    prefix = f"  {case.line} | "
    assert shown.startswith(prefix), stderr
    before = written[: case.column - 1]
    assert caret.index("^") - len(prefix) == display_width(_visible(before)), stderr
    assert _visible(written).rstrip() == shown[len(prefix) :], stderr


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_a_usual_mistake_is_told_in_english_on_request(tmp_path: Path, case: Case) -> None:
    source, stderr = refusal(tmp_path, case.text, "en")
    assert f"{source}:{case.line}:{case.column}: " in stderr.splitlines()[0], stderr
    for word in case.english:
        assert word in stderr, f"expected {word!r} in:\n{stderr}"
    assert not re.search(r"[\u4e00-\u9fff]", _words(stderr)), f"Chinese words in:\n{stderr}"


def _words(stderr: str) -> str:
    """The message's own words: without the excerpt (the source's text), quoted names, and the YAML
    reader's original words, which stay as libyaml gives them."""
    kept = [line for line in stderr.splitlines() if not re.match(r"^\s+\d* \|", line)]
    kept = [line for line in kept if "YAML reader says" not in line and "YAML 解析器原文" not in line]
    text = "\n".join(kept).split(": ", 1)[-1]  # after the location
    return re.sub(r"“[^”]*”|'[^']*'|\([^)]*\)|（[^）]*）", "", text)


def _visible(text: str) -> str:
    """``text`` as an excerpt shows it: tabs and invisible characters written out."""
    return "".join("\\t" if char == "\t" else f"<U+{ord(char):04X}>" if _unprintable(char) else char for char in text)


def _unprintable(char: str) -> bool:
    return unicodedata.category(char) in ("Cc", "Cf") and char != "\t"


def test_the_yaml_readers_own_words_come_last(tmp_path: Path) -> None:
    _source, stderr = refusal(tmp_path, HEAD + "closing: 特此请示: 妥否\n", "zh")
    assert (
        stderr.rstrip().splitlines()[-1].strip()
        == "（YAML 解析器原文：mapping values are not allowed in this context）"
    )


def test_a_long_line_is_shown_around_the_column_with_the_caret_under_it(tmp_path: Path) -> None:
    text = HEAD + "closing: " + "各单位要高度重视" * 20 + ": 妥否\n"
    source, stderr = refusal(tmp_path, text, "zh")
    column = len("closing: " + "各单位要高度重视" * 20) + 1
    lines = stderr.splitlines()
    assert f"{source}:4:{column}: " in lines[0]
    shown, caret = lines[1], lines[2]
    assert shown.startswith("  4 | ...") and shown.endswith(": 妥否") and display_width(shown) < 90
    under = _char_under(shown, caret.index("^"))
    assert under == ":", (shown, caret)


def _char_under(line: str, column: int) -> str:
    """The character of ``line`` a terminal shows at display column ``column``."""
    width = 0
    for char in line:
        if width == column:
            return char
        width += display_width(char)
    return ""


def test_every_caret_stands_under_the_character_the_location_names(tmp_path: Path) -> None:
    for case in CASES:
        _source, stderr = refusal(tmp_path, case.text, "en")
        lines = stderr.splitlines()
        written = yaml_errors.source_lines(case.text)[case.line - 1]
        expected = _visible(written[case.column - 1 : case.column]) or ""
        under = _char_under(lines[1], lines[2].index("^"))
        assert expected.startswith(under) and under, (case.name, lines[1], lines[2])


# ---------------------------------------------------------------- misspelled keys: the answer builds


def example_copy(tmp_path: Path, name: str) -> Path:
    """An example with its images, in a folder of its own."""
    for image in EXAMPLES.glob("*.png"):
        shutil.copy(image, tmp_path / image.name)
    copy = tmp_path / name
    shutil.copy(EXAMPLES / name, copy)
    return copy


def build(source: Path, lang: str = "en") -> Result:
    out = source.parent / "out"
    return CliRunner().invoke(
        main, ["--lang", lang, "build", str(source), "-o", str(out), "-f", "html", "--allow-unpublishable"]
    )


SUGGESTION = re.compile(r"did you mean '([^']+)'\?|是不是“([^”]+)”？")


@pytest.mark.parametrize(
    ("example", "line", "key", "misspelled"),
    [
        ("file.yaml", "title: 济南市人民政府关于", "title", "titel"),
        ("file.yaml", "  urgency: 特急", "urgency", "urgncy"),
        ("file.yaml", "  copy_number:", "copy_number", "copynumber"),
        ("file.yaml", "- heading: 落实工作责任", "heading", "headng"),
        ("file.yaml", "      widths:", "widths", "width"),
        ("file.yaml", "  printer:", "printer", "priner"),
        ("file.yaml", "  print_date:", "print_date", "printdate"),
        ("file.yaml", "attachments:", "attachments", "attachment"),
        ("file.yaml", "colophon:", "colophon", "colophn"),
        ("upward.yaml", "  signers:", "signers", "signer"),
        ("joint.yaml", "organs:", "organs", "orgams"),
    ],
)
def test_following_the_suggestion_for_a_misspelled_key_builds(
    tmp_path: Path, example: str, line: str, key: str, misspelled: str
) -> None:
    source = example_copy(tmp_path, example)
    good = source.read_text(encoding="utf-8")
    lines = good.splitlines(keepends=True)
    number = next(index for index, text in enumerate(lines) if text.startswith(line))
    lines[number] = lines[number].replace(key, misspelled, 1)
    source.write_text("".join(lines), encoding="utf-8")
    for lang in ("zh", "en"):
        refused = build(source, lang)
        assert refused.exit_code == 2, refused.output
        assert f":{number + 1}:" in refused.stderr.splitlines()[0], refused.stderr
        match = SUGGESTION.search(refused.stderr)
        assert match, refused.stderr
        suggestion = match.group(1) or match.group(2)
        assert suggestion == key
    lines[number] = lines[number].replace(misspelled, suggestion, 1)
    source.write_text("".join(lines), encoding="utf-8")
    built = build(source)
    assert built.exit_code == 0, built.output
    assert (source.parent / "out" / source.with_suffix(".html").name).is_file()


def test_a_misspelling_is_not_answered_with_a_key_whose_value_would_not_fit(tmp_path: Path) -> None:
    # 'signers' (a list of names) is closest to 'signer', whose value is a mapping (title, seal):
    # following that would fail again. The answer is where 'signers' belongs, and moving it there builds.
    source = tmp_path / "notice.yaml"
    source.write_text(HEAD + "signers: [张三]\n", encoding="utf-8")
    refused = build(source)
    assert refused.exit_code == 2
    assert "did you mean" not in refused.stderr and "'signer'" not in refused.stderr, refused.stderr
    assert "hint: 'signers' is a key of the mapping under 'header': write it there" in refused.stderr
    source.write_text(HEAD + "header:\n  signers: [张三]\n", encoding="utf-8")
    assert build(source).exit_code == 0


def test_a_misspelling_is_answered_only_with_a_key_of_its_own_place(tmp_path: Path) -> None:
    # 'numbr' in a section is 'number' (a heading's published label), not the header's 'number'
    # (a 发文字号), and in the header the other way round: each place suggests its own.
    source = tmp_path / "notice.yaml"
    source.write_text(SECTION + "    numbr: 一、\n", encoding="utf-8")
    assert "did you mean 'number'?" in build(source).stderr
    source.write_text(HEAD + "header:\n  numbr: 济政发〔2023〕5号\n", encoding="utf-8")
    assert "did you mean 'number'? (expected one of: copy_number, secrecy, urgency" in build(source).stderr
    source.write_text(HEAD + "header:\n  heading: 总体要求\n", encoding="utf-8")
    stderr = build(source).stderr
    assert "did you mean" not in stderr and "under 'sections' / 'body'" in stderr, stderr


def test_a_chinese_misspelling_is_answered_in_chinese_and_the_answer_builds(tmp_path: Path) -> None:
    source = tmp_path / "notice.yaml"
    text = "标题: 关于开展安全检查的通知\n发文单位: 某某市应急管理局\n成文日期: 2024-03-15\n"
    source.write_text(text, encoding="utf-8")
    refused = build(source, "zh")
    assert "是不是“发文机关”？" in refused.stderr and "可用的键：标题, 发文机关" in refused.stderr, refused.stderr
    source.write_text(text.replace("发文单位", "发文机关"), encoding="utf-8")
    assert build(source).exit_code == 0


# ---------------------------------------------------------------- any slip of the keyboard


SLIPS = st.sampled_from(
    [": ", ":", "：", "\t", " ", "  ", "- ", "-", '"', "'", "[", "]", "{", "#", "@", "*", "\n", "\u3000"]
)


@FUZZ
@given(st.sampled_from(sorted(EXAMPLES.glob("*.yaml"))), st.floats(0, 1), SLIPS, st.booleans())
def test_any_slip_in_an_example_is_read_or_told_at_a_line_the_excerpt_shows(
    example: Path, where: float, slip: str, typed: bool
) -> None:
    # A slip typed (or a character deleted) anywhere in a real source: the loader reads it, or says
    # what is wrong at a line and column of the file, the excerpt showing that line with the caret
    # under that column; never another exception.
    text = example.read_text(encoding="utf-8")
    at = int(where * (len(text) - 1))
    edited = text[:at] + slip + text[at:] if typed else text[:at] + text[at + 1 :]
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / example.name
        source.write_text(edited, encoding="utf-8")
        try:
            load_document(source)
        except DocgenError as error:
            message = str(error)
            assert isinstance(error, SourceError) and message.startswith(f"{source}:"), message
            lines = message.splitlines()
            if len(lines) > 2 and lines[1].startswith("  ") and " | " in lines[1]:
                assert lines[1].split(" | ", 1)[0].strip() == str(error.location.line), message
                written = yaml_errors.source_lines(edited)[error.location.line - 1]
                column = error.location.column - 1
                under = _char_under(lines[1], lines[2].index("^"))
                assert _visible(written[column : column + 1]).startswith(under) or not written[column:].strip(), message
