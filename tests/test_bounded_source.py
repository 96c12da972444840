"""Issue #22, the sources' part: hostile sources, profiles, ledgers and imports cost a bounded time
and memory and end in a located message, and every format sees the same text."""

from __future__ import annotations

import time
import tracemalloc
from pathlib import Path

import pytest

from docgen import loader
from docgen.compose import compose
from docgen.errors import SourceError
from docgen.importer import import_text
from docgen.loader import MAX_VALUES, load_document
from docgen.model import Section
from docgen.numbering import parse_chinese_numeral
from docgen.profile import Profile

HEAD = "title: 关于开展检查的通知\norgan: 某某局\ndate: 2023-04-25\n"


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
    assert ":5:1: not valid YAML: found character '\\t' that cannot start any token" in message


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
    headings = [para.text for para in compose(document, profile) if para.kind == "heading1"]
    assert headings[9_999:] == ["一万、第9999部分", "一万零一、第10000部分"]


# ---------------------------------------------------------------- import


def test_a_numeral_that_is_no_number_is_read_as_none() -> None:
    assert [parse_chinese_numeral(text) for text in ("一三", "十十", "", "三十一", "十")] == [None, None, None, 31, 10]


def test_labels_that_are_no_heading_numbers_import_as_paragraphs(tmp_path: Path) -> None:
    lines = ["关于开展检查的通知", "各单位：", "为做好工作，现通知如下。", "一三、检查范围", "1" * 5000 + ".标题"]
    notice = write(tmp_path, "\n".join([*lines, "某某局", "2023年4月25日", ""]), "notice.txt")
    result = import_text(notice)
    assert result.source["preamble"] == ["为做好工作，现通知如下。", "一三、检查范围", "1" * 5000 + ".标题"]
    assert "line 4: preamble paragraph (guess: its label is no heading number)" in result.report
    assert "line 5: preamble paragraph (guess: its label is no heading number)" in result.report
