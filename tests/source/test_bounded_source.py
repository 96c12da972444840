"""Issue #22, the sources' part: hostile sources, profiles, ledgers and imports cost a bounded time
and memory and end in a located message, and every format sees the same text."""

from __future__ import annotations

import codecs
import os
import stat
import time
import tracemalloc
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

from docgen.cli import main
from docgen.compose.document import compose_paragraphs
from docgen.errors import SourceError
from docgen.importer.dispatch import import_file
from docgen.ledger.reader import load_ledger
from docgen.model import Section
from docgen.profile import Face, Profile
from docgen.render.html.writer import render_html
from docgen.source import loader
from docgen.source.lint import apply_fixes, lint_source
from docgen.source.loader import MAX_VALUES, load_document
from docgen.text.numbering import parse_chinese_numeral
from support import ROOT, SAMPLE_SOURCE, laid_out, profile_refusal, profile_with

HEAD = "title: 关于开展检查的通知\norgan: 某某局\ndate: 2023-04-25\n"
LEDGER = ROOT / "data" / "ledger.yaml"


def write(tmp_path: Path, text: str, name: str = "notice.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8", newline="")
    return path


def refusal(path: Path) -> str:
    with pytest.raises(SourceError) as caught:
        load_document(path)
    return str(caught.value)


# ---------------------------------------------------------------- many values, long values


def test_a_source_of_more_values_than_any_document_is_refused_before_it_is_composed(tmp_path: Path) -> None:
    # 600 KB of `a,`: PyYAML's own parser took 20 s and 200 MB to compose it before the unknown key was seen.
    source = write(tmp_path, HEAD + "bogus: [" + ",".join(["a"] * (MAX_VALUES + 50_000)) + "]\n")
    started = time.monotonic()
    message = refusal(source)
    assert time.monotonic() - started < 5  # measured: 0.3 s
    assert message.startswith(f"{source}:4:") and f"more than {MAX_VALUES:,} texts, lists and mappings" in message


def test_the_values_are_counted_before_any_node_is_built(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(loader, "MAX_VALUES", 1000)  # the same path as the real limit, in a tenth of the time
    source = write(tmp_path, HEAD + "preamble: [" + ",".join(["a"] * 100_000) + "]\n")
    tracemalloc.start()
    message = refusal(source)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert ":4:1994: more than 1,000 texts" in message  # the 1,001st: the 992nd a
    assert peak < 4 * 2**20, peak  # measured: 0.6 MB; composing the 100,000 values took 43 MB


def test_a_document_of_many_values_under_the_limit_loads(tmp_path: Path) -> None:
    source = write(tmp_path, HEAD + "preamble: [" + ",".join(["段落"] * 50_000) + "]\n")
    assert len(load_document(source).preamble) == 50_000


def test_an_unknown_key_of_a_megabyte_is_quoted_short_and_not_compared(tmp_path: Path) -> None:
    # An explicit key (`? …`) may be any length; difflib compared it with every known key.
    source = write(tmp_path, HEAD + "? " + "k" * 1_000_000 + "\n: 1\n")
    started = time.monotonic()
    message = refusal(source)
    assert time.monotonic() - started < 5
    assert f"{source}:4:3: unknown key '{'k' * 40}…' in the document" in message and len(message) < 500


def test_a_megabyte_value_of_the_wrong_kind_is_quoted_short(tmp_path: Path) -> None:
    message = refusal(write(tmp_path, HEAD + "sections: " + "字" * 1_000_000 + "\n"))
    assert f":4:11: 'sections' must be a list (lines starting with '- '), got '{'字' * 40}…'" in message
    assert len(message) < 500


def test_libyaml_names_the_character_it_cannot_read(tmp_path: Path) -> None:
    message = refusal(write(tmp_path, HEAD + "preamble:\n\t- 段落\n"))
    first, *_, last = message.splitlines()
    assert first.endswith(":5:1: not valid YAML: a tab character")  # in plain words first, libyaml's own last
    assert last == "  (the YAML reader says: found character '\\t' that cannot start any token)"


# ---------------------------------------------------------------- one character policy


@pytest.mark.parametrize("separator", ["\u2028", "\u2029", "\n"])
def test_line_and_paragraph_separators_fold_as_a_line_break_does(tmp_path: Path, separator: str) -> None:
    escaped = separator.encode("unicode_escape").decode()
    source = write(tmp_path, HEAD + f'preamble: ["第一行{escaped}  第二行", "Latin{escaped}words"]\n')
    assert [para.text for para in load_document(source).preamble] == ["第一行第二行", "Latin words"]


@pytest.mark.parametrize(
    ("value", "code", "name"),
    [("标题\\u202E倒序", "U+202E", "RIGHT-TO-LEFT OVERRIDE"), ("零\\u200B宽", "U+200B", "ZERO WIDTH SPACE"),
     ("隔\\u2066离", "U+2066", "LEFT-TO-RIGHT ISOLATE")],
)  # fmt: skip
def test_invisible_format_characters_are_refused_where_they_stand(
    tmp_path: Path, value: str, code: str, name: str
) -> None:
    body = f'sections:\n  - heading: 检查范围\n    body:\n      - table: {{header: [项目], rows: [["{value}"]]}}\n'
    message = refusal(write(tmp_path, HEAD + body))
    assert f":7:39: a table cell contains the invisible format character {code} ({name}); remove it" in message


def test_the_title_is_held_to_the_same_policy(tmp_path: Path) -> None:
    message = refusal(write(tmp_path, 'title: "测试\\u202E标题"\norgan: 某某局\ndate: 2023-04-25\n'))
    assert ":1:8: 'title' contains the invisible format character U+202E" in message


def test_ideographic_spaces_and_combining_marks_stay_text(tmp_path: Path) -> None:
    source = write(tmp_path, HEAD + 'preamble: ["联系人：张三　电话：1234", "Cafe\\u0301"]\n')
    assert [para.text for para in load_document(source).preamble] == ["联系人：张三　电话：1234", "Cafe\u0301"]


# ---------------------------------------------------------------- 10,000 sections


def test_ten_thousand_sections_are_numbered_to_the_end(tmp_path: Path, profile: Profile) -> None:
    sections = "".join(f"  - heading: 第{n}部分\n" for n in range(10_001))
    document = load_document(write(tmp_path, HEAD + "sections:\n" + sections))
    assert len(document.sections) == 10_001 and isinstance(document.sections[-1], Section)
    headings = [para.text for para in compose_paragraphs(document, profile) if para.kind == "heading1"]
    assert headings[9_999:] == ["一万、第9999部分", "一万零一、第10000部分"]


# ---------------------------------------------------------------- import


def test_a_numeral_that_is_no_number_is_read_as_none() -> None:
    assert [parse_chinese_numeral(text) for text in ("一三", "十十", "", "三十一", "十")] == [None, None, None, 31, 10]


def test_labels_that_are_no_heading_numbers_import_as_paragraphs(tmp_path: Path) -> None:
    lines = ["关于开展检查的通知", "各单位：", "为做好工作，现通知如下。", "一三、检查范围", "1" * 5000 + ".标题"]
    notice = write(tmp_path, "\n".join([*lines, "某某局", "2023年4月25日", ""]), "notice.txt")
    result = import_file(notice)
    assert result.source["preamble"] == ["为做好工作，现通知如下。", "一三、检查范围", "1" * 5000 + ".标题"]
    assert "line 4: preamble paragraph (guess: its label is no heading number)" in result.report
    assert "line 5: preamble paragraph (guess: its label is no heading number)" in result.report


# ---------------------------------------------------------------- the layout profile


def test_a_binary_profile_is_refused_by_name(tmp_path: Path) -> None:
    binary = tmp_path / "profile.yaml"
    binary.write_bytes(bytes(range(256)) * 64)
    assert (
        profile_refusal(binary)
        == f"{binary}: the layout profile is not UTF-8 text (a YAML file like styles/gbt9704.yaml)"
    )
    huge = write(tmp_path, "name: x\n" + "#" * 2 * 2**20, "huge.yaml")
    assert profile_refusal(huge).startswith(
        f"{huge}: the layout profile is 2,097,160 bytes, more than the limit of 1,048,576 bytes (1 MB)"
    )


def test_dev_zero_as_the_profile_ends_quickly_in_a_message(tmp_path: Path) -> None:
    # 1.8 GB and a MemoryError before: the profile was read whole, whatever it was
    tracemalloc.start()
    message = profile_refusal(Path("/dev/zero"))
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert message.startswith("/dev/zero: ") and ("not a regular file" in message or "at most 1,048,576" in message)
    assert peak < 8 * 2**20, peak


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [("office: [仿宋_GB2312, 仿宋, FangSong]", 'office: ["x</style><script>alert(1)</script>"]',
      "the font name 'x</style><script>alert(1)</script>' of 'faces.fangsong.office' may not hold quotes"),
     ("free: [FandolFang]", "free: ['a\"; } body { display: none']",
      "the font name 'a\"; } body { display: none' of 'faces.fangsong.free' may not hold quotes, < > { } ; or \\"),
     ('color: "FF0000"}', 'color: "red; } </style>"}',
      "'roles.mark.color' must be a colour as six hex digits RRGGBB such as FF0000, got 'red; } </style>'"),
     ('rule_color: "FF0000"', "rule_color: 0xFF0000", "'header.rule_color' must be a colour as six hex digits"),
     ("line_pitch_pt: 28.95", 'line_pitch_pt: "29pt; } </style><script>"',
      "'grid.line_pitch_pt' must be a number, got '29pt; } </style><script>'"),
     ("chars_per_line: 28", "chars_per_line: 0", "'grid.chars_per_line' must be greater than 0 and at most 100,000"),
     ("  title:      {face: xiaobiaosong", "  x{}</style>:      {face: xiaobiaosong",
      "'roles' names the role 'x{}</style>', which docgen does not set (it sets title, body, heading1,"),
     ("  title:      {face: xiaobiaosong", "  title:      {face: nosuch", "'roles.title.face' names a face"),
     ("  table_header: {face: heiti, size_pt: 14}\n", "", "'roles' lacks 'table_header', a role docgen sets"),
     ("char_unit: page_number", "char_unit: heading5", "'page_number.char_unit' names the role 'heading5', which"),
     ("dash: \"—\"", 'dash: "\\u202E"', "'page_number.dash' contains a control or format character"),
     ("  star: false", "  star: 1", "'header.star' must be true or false, got 1"),
     ("  width_mm: 210", "  width_mm: 210\n  depth_mm: 3",
      "unknown setting 'page.depth_mm' (expected one of: width_mm")],
)  # fmt: skip
def test_profile_settings_are_checked_for_what_they_may_hold(tmp_path: Path, old: str, new: str, message: str) -> None:
    path = profile_with(tmp_path, old, new)
    assert profile_refusal(path).startswith(f"{path}: layout profile: {message}")


def test_font_names_reach_the_stylesheet_as_escaped_css_strings(profile: Profile) -> None:
    hostile = Face("fangsong", ("x</style><script>alert(1)</script>", '"; } body { visibility: hidden'), ())
    faces = {**profile.faces, "fangsong": hostile}  # a profile built in code, past the loader's checks
    html = render_html(
        laid_out(load_document(SAMPLE_SOURCE), replace(profile, faces=faces), fonts=False),
        replace(profile, faces=faces),
    ).decode("utf-8")
    style = html[html.index("<style>") : html.index("</style>")]
    assert "<script>" not in html and "</style>" not in style[1:] and "visibility: hidden" not in style
    assert '"x\\3c \\2f style\\3e \\3c script\\3e alert\\28 1\\29 \\3c \\2f script\\3e "' in style


# ---------------------------------------------------------------- lint --fix


CRLF_SOURCE = HEAD.replace("\n", "\r\n") + "preamble:\r\n  - 根据要求,现通知如下(请遵照执行)。\r\n"
FIXED = HEAD.replace("\n", "\r\n") + "preamble:\r\n  - 根据要求，现通知如下（请遵照执行）。\r\n"


def test_fix_mends_a_crlf_source_and_keeps_its_line_endings_and_bom(tmp_path: Path) -> None:
    source = tmp_path / "notice.yaml"
    source.write_bytes(codecs.BOM_UTF8 + CRLF_SOURCE.encode("utf-8"))
    assert apply_fixes(source, lint_source(source)) == 3
    assert source.read_bytes() == codecs.BOM_UTF8 + FIXED.encode("utf-8")


def test_fix_keeps_the_mode_and_writes_through_a_link(tmp_path: Path) -> None:
    target = write(tmp_path, CRLF_SOURCE, "private.yaml")
    target.chmod(0o600)
    link = tmp_path / "notice.yaml"
    link.symlink_to(target.name)
    result = CliRunner().invoke(main, ["lint", "--fix", str(link)])
    assert result.exit_code == 0 and "3 finding(s), 3 fixed" in result.output, result.output
    assert link.is_symlink() and os.readlink(link) == "private.yaml"
    assert target.read_bytes() == FIXED.encode("utf-8") and stat.S_IMODE(target.stat().st_mode) == 0o600
    assert sorted(path.name for path in tmp_path.iterdir()) == ["notice.yaml", "private.yaml"]  # no temporary


def test_many_findings_in_a_long_source_are_located_without_a_scan_each(tmp_path: Path) -> None:
    # Each finding counted the newlines before it and each fix copied the text: quadratic.
    source = write(tmp_path, HEAD + "preamble:\n" + "  - 甲,乙,丙,丁,戊。\n" * 20_000)
    started = time.monotonic()
    findings = lint_source(source)
    assert apply_fixes(source, findings) == 80_000 and time.monotonic() - started < 10
    assert findings[-1].location.line == 20_004 and source.read_text(encoding="utf-8").count(",") == 0


# ---------------------------------------------------------------- ledgers


@pytest.mark.parametrize("written", ["0x1F", "0b101", "1:30", ".inf", "-.inf", ".NaN", "1.0e+999"])
def test_a_quantity_yaml_reads_as_a_number_no_ledger_means_is_refused_where_it_stands(
    tmp_path: Path, written: str
) -> None:
    text = LEDGER.read_text(encoding="utf-8")
    old = "quantities: {培训干部（人）: 300}"
    path = write(tmp_path, text.replace(old, f"quantities: {{培训干部（人）: {written}}}"), "ledger.yaml")
    line = text[: text.index(old)].count("\n") + 1
    column = text.splitlines()[line - 1].index("300") + 1
    with pytest.raises(SourceError) as caught:
        load_ledger(path)
    assert str(caught.value) == (
        f"{path}:{line}:{column}: problem 1: quantity '培训干部（人）' must be a number in decimal digits such as 300 "
        f"or 12.5 (at most 1e+12), got '{written}'"
    )


def test_decimal_quantities_still_read(tmp_path: Path) -> None:
    text = LEDGER.read_text(encoding="utf-8").replace("培训干部（人）: 300}", "培训干部（人）: 1_300.5}")
    ledger = load_ledger(write(tmp_path, text, "ledger.yaml"))
    quantities = [q for group in ledger.groups for p in group.problems for m in p.measures for q in m.quantities]
    assert ("培训干部（人）", 1300.5) in quantities


LONG = "字" * 1_000_000
ITEM = "sections:\n  - heading: 标题\n    body:\n      - problem: 问题\n        measures: [措施]\n        lead: "


@pytest.mark.parametrize(
    "text",
    [HEAD.replace("2023-04-25", LONG), HEAD + f"kind: {LONG}\n", HEAD + "header: {secrecy: " + LONG + "}\n",
     HEAD + ITEM + LONG + "\n"],
    ids=["date", "kind", "secrecy", "lead"],
)  # fmt: skip
def test_a_value_of_a_megabyte_is_quoted_short_in_every_message(tmp_path: Path, text: str) -> None:
    message = refusal(write(tmp_path, text))
    assert f"'{'字' * 40}…'" in message and len(message) < 300, message[:300]
