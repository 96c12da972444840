"""Bad sources: docgen's own error naming file, line and column, exit code 2, no output file."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from docgen.cli import main

GOOD_HEAD = "title: 关于开展检查的通知\norgan: 某某局\ndate: 2024-03-15\n"


def build(tmp_path: Path, text: str | bytes) -> tuple[int, str, Path]:
    source = tmp_path / "bad.yaml"
    if isinstance(text, bytes):
        source.write_bytes(text)
    else:
        source.write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["build", str(source), "-o", str(out), "-f", "docx,pdf,html"])
    return result.exit_code, result.output, out


CASES = [
    ("unknown key", GOOD_HEAD + "titel: x\n", 4, ["unknown key 'titel'", "did you mean 'title'"]),
    ("list for text", "title: [a, [b]]\norgan: x\ndate: 2024-01-02\n", 1, ["must be text"]),
    ("missing title", "organ: x\ndate: 2024-01-02\n", 1, ["no 'title'"]),
    ("missing date", "title: t\norgan: x\n", 1, ["no 'date'"]),
    ("impossible date", "title: t\norgan: x\ndate: 2023-02-30\n", 3, ["2023-02-30", "not a calendar date"]),
    ("date form", "title: t\norgan: x\ndate: 25/04/2023\n", 3, ["must be a date such as 2023-04-25"]),
    ("organ and organs", GOOD_HEAD + "organs: [a, b]\n", 1, ["exactly one of 'organ'", "'organs'"]),
    ("typed heading number", GOOD_HEAD + "sections:\n  - heading: 一、总体要求\n", 5, ["typed number", "computed"]),
    (
        "typed （一）",
        GOOD_HEAD + "sections:\n  - heading: 总体\n    body:\n      - heading: （一）目标\n",
        7,
        ["typed number"],
    ),
    (
        "typed 一是",
        GOOD_HEAD + "sections:\n  - heading: 总体\n    body:\n      - problem: p\n        measures: [一是加强领导。]\n",
        8,
        ["一是/二是 are computed"],
    ),
    (
        "too deep",
        GOOD_HEAD + "sections:\n  - heading: a\n    body:\n      - heading: b\n        body:\n"
        "          - heading: c\n            body:\n              - heading: d\n                body:\n"
        "                  - heading: e\n",
        13,
        ["four levels deep", "level 5"],
    ),
    ("empty text", GOOD_HEAD + "preamble: ['']\n", 4, ["must not be empty"]),
    ("duplicate key", GOOD_HEAD + "title: again\n", 4, ["duplicate key 'title'", "line 1"]),
    ("bad YAML", GOOD_HEAD + "preamble: [unclosed\n", 5, ["not valid YAML"]),
    ("alias", GOOD_HEAD + "preamble: &p [段落]\nclosing: *p\n", 4, ["anchors and aliases"]),  # names the anchor
    ("python tag", "title: !!python/object/apply:os.system [ls]\norgan: x\ndate: 2024-01-02\n", 1, ["tags"]),
    (
        "bad lead",
        GOOD_HEAD + "sections:\n  - heading: 总体\n    body:\n      - problem: p\n        lead: 对于\n"
        "        measures: [加强领导。]\n",
        8,
        ["must be 针对 or 关于"],
    ),
    ("flag not bool", GOOD_HEAD + "sections:\n  - heading: 总体\n    continuous_numbering: 是\n", 6, ["true or false"]),
    ("not a mapping", "- just\n- a list\n", 1, ["must be a mapping"]),
    ("empty file", "", 1, ["the source is empty"]),
]


@pytest.mark.parametrize(("kind", "text", "line", "words"), CASES, ids=[case[0] for case in CASES])
def test_bad_source_gets_a_located_error_and_no_file(
    tmp_path: Path, kind: str, text: str, line: int, words: list[str]
) -> None:
    code, output, out = build(tmp_path, text)
    assert code == 2, output
    assert f"bad.yaml:{line}:" in output, output
    for word in words:
        assert word in output, output
    assert "Traceback" not in output
    assert not out.exists() or not [p for p in out.iterdir() if not p.name.startswith(".")]


def test_not_utf8(tmp_path: Path) -> None:
    code, output, out = build(tmp_path, GOOD_HEAD.encode("utf-8") + "preamble: [中文]\n".encode("gbk"))
    assert code == 2 and "bad.yaml:4:" in output and "not UTF-8" in output
    assert not out.exists()


def test_missing_file(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["build", str(tmp_path / "nope.yaml"), "-o", str(tmp_path / "out")])
    assert result.exit_code == 2 and "nope.yaml" in result.output and "cannot read" in result.output


def test_deep_nesting_is_refused_before_it_can_exhaust_the_stack(tmp_path: Path) -> None:
    code, output, out = build(tmp_path, "title: " + "[" * 5000 + "]" * 5000 + "\norgan: x\ndate: 2024-01-02\n")
    assert code == 2 and "bad.yaml:1:" in output and "nested more than 64 levels" in output
    assert "RecursionError" not in output and not out.exists()


def test_an_oversized_source_is_refused_at_once(tmp_path: Path) -> None:
    code, output, out = build(tmp_path, GOOD_HEAD + "preamble:\n  - " + "字" * (7 * 1024 * 1024) + "\n")
    assert code == 2 and "bytes; sources are limited to" in output and not out.exists()
