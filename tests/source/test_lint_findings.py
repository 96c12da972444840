"""`docgen lint` finding by finding: where each one is (line and column, inside quotes too), which
ones --fix may mend (only where the source spells the value as it reads), the run-in heading's
message, each node looked at once, and a fix that changes nothing but the fixed characters (its
byte-order mark, line endings and mode stay)."""

from __future__ import annotations

import codecs
import os
from pathlib import Path

import yaml

from docgen.i18n import _
from docgen.source.lint import LintFinding, apply_fixes, lint_source

HEAD = "title: 关于做好工作的通知\norgan: 某局\ndate: 2024-03-05\n"
RUN_IN = _("run-in heading '{heading}' ends without 。 (or ！？；：…): it would run into its text")


def write(tmp_path: Path, text: str, name: str = "notice.yaml") -> Path:
    source = tmp_path / name
    source.write_bytes(text.encode("utf-8"))
    return source


def places(findings: list[LintFinding]) -> list[tuple[int, int]]:
    return [(finding.location.line, finding.location.column) for finding in findings]


def test_findings_on_the_first_line_and_inside_quotes_name_their_columns(tmp_path: Path) -> None:
    text = "title: 关于做好工作,的通知\norgan: 某局\ndate: 2024-03-05\npreamble:\n- '各单位,请报送'\n- \"请于,前\"\n"
    source = write(tmp_path, text)
    findings = lint_source(source)
    commas = [index for index, char in enumerate(text) if char == ","]
    assert places(findings) == [(1, 14), (5, 7), (6, 6)]
    assert [finding.fix for finding in findings] == [(at, at + 1, "，") for at in commas]
    assert apply_fixes(source, findings) == 3
    assert source.read_text(encoding="utf-8") == text.replace(",", "，")


def test_a_value_the_source_spells_otherwise_is_reported_but_not_fixed(tmp_path: Path) -> None:
    """An escape (\\u62a5 for 报) makes the source's characters differ from the value's: every kind
    of finding in it is left to the writer."""
    value = "各单位,请于2023年04月05日前(周三)\\u62a5送. 谢谢"
    source = write(tmp_path, HEAD + f'preamble:\n- "{value}"\n')
    findings = lint_source(source)
    assert len(findings) == 5  # the comma, the date, both parentheses, the full stop
    assert all(finding.fix is None for finding in findings), findings
    assert apply_fixes(source, findings) == 0


def test_a_lone_yi_shi_is_reported_where_it_stands_and_a_pair_is_not(tmp_path: Path) -> None:
    text = HEAD + "preamble:\n- 一是加强领导，做到思想统一是关键。\n- 一是加强领导；二是压实责任。\n"
    findings = lint_source(write(tmp_path, text))
    assert [(f.clause, f.message) for f in findings] == [
        ("GB/T 9704 7.3.3", _("一是 without 二是: an enumeration needs two"))
    ]
    assert places(findings) == [(5, 3)]  # the first 一是, not the one in 统一是


def test_a_long_run_in_heading_is_shown_cut_to_twenty_characters(tmp_path: Path) -> None:
    twenty, twenty_one = "一" * 20, "二" * 21
    body = f"sections:\n- heading: {twenty}\n  text: 正文。\n- heading: {twenty_one}\n  text: 正文。\n"
    findings = lint_source(write(tmp_path, HEAD + body))
    assert [finding.message for finding in findings] == [
        RUN_IN.format(heading=twenty),
        RUN_IN.format(heading="二" * 19 + "…"),
    ]


def test_a_heading_that_ends_its_sentence_before_spaces_or_is_no_text_is_no_run_in(tmp_path: Path) -> None:
    body = 'sections:\n- heading: "总体要求。  "\n  text: 正文。\n- heading: 2023\n  text: 正文。\n'
    assert lint_source(write(tmp_path, HEAD + body)) == []


def test_a_node_reached_twice_is_looked_at_once(tmp_path: Path) -> None:
    """A graph that shares a node (a draft's, or YAML's aliases) gives each finding once."""
    text = HEAD + "preamble:\n- &shared 各单位,请报送\n- *shared\nclosing:\n- *shared\n"
    source = write(tmp_path, text)
    findings = lint_source(source, yaml.compose(text))
    assert places(findings) == [(5, 14)]


def test_fixing_keeps_the_byte_order_mark_the_line_endings_and_the_mode(tmp_path: Path) -> None:
    text = (HEAD + "preamble:\n- 各单位,请报送\n").replace("\n", "\r\n")
    source = tmp_path / "notice.yaml"
    source.write_bytes(codecs.BOM_UTF8 + text.encode("utf-8"))
    os.chmod(source, 0o640)
    assert apply_fixes(source, lint_source(source)) == 1
    assert source.read_bytes() == codecs.BOM_UTF8 + text.replace(",", "，").encode("utf-8")
    assert source.stat().st_mode & 0o7777 == 0o640


def test_nothing_to_fix_leaves_the_file_alone(tmp_path: Path) -> None:
    source = write(tmp_path, HEAD + "preamble:\n- 各单位请报送。\n")
    before = source.stat()
    assert apply_fixes(source, lint_source(source)) == 0
    assert source.stat().st_mtime_ns == before.st_mtime_ns and source.stat().st_ino == before.st_ino
