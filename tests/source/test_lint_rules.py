"""Lint's rules for run-in headings (GB/T 9704 7.3.3) and a sentence's half-width full stop
(GB/T 15834), and how `build` prints lint's findings: each note naming its file once, and
--strict's refusal one finding a line."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from docgen.cli import main
from docgen.source.lint import lint_source

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
HEAD = "title: 关于做好工作的通知\norgan: 某局\ndate: 2024-03-05\n"


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def write(tmp_path: Path, body: str) -> Path:
    source = tmp_path / "notice.yaml"
    source.write_text(HEAD + body, encoding="utf-8")
    return source


def run_in_findings(source: Path) -> list[str]:
    return [f"{f.location.line}:{f.location.column}" for f in lint_source(source) if "run-in" in f.message]


def test_a_run_in_heading_without_a_closing_mark_is_reported_and_fixed_with_a_full_stop(tmp_path: Path) -> None:
    source = write(
        tmp_path,
        "sections:\n"
        "- heading: 总体要求  # 一、\n"
        "  text: 坚持人民至上。\n"
        "- heading: 工作安排\n"
        "  body:\n"
        "  - heading: 加强领导（牵头单位：市委）\n"
        "    text: 各单位要加强领导。\n",
    )
    code, output = run("lint", str(source))
    assert code == 0
    assert f"{source}:5:12: GB/T 9704 7.3.3: run-in heading '总体要求' ends without 。" in output
    assert f"{source}:9:14: GB/T 9704 7.3.3: run-in heading '加强领导（牵头单位：市委）'" in output
    assert run_in_findings(source) == ["5:12", "9:14"]  # 工作安排 has a body, not a text: a heading of its own
    assert run("lint", "--fix", str(source))[0] == 0
    fixed = source.read_text(encoding="utf-8")
    assert "- heading: 总体要求。  # 一、\n" in fixed and "- heading: 加强领导（牵头单位：市委）。\n" in fixed
    assert "- heading: 工作安排\n" in fixed
    assert lint_source(source) == []


ENDED = ["总体要求。", "为什么要改？", "目标：", "具体如下……", "（以下简称“方案”。）", "“方案”。"]
ENDED += ["“做到三个不放过。”", "Go!"]


@pytest.mark.parametrize("heading", ENDED)
def test_a_run_in_heading_that_ends_its_sentence_is_left_alone(tmp_path: Path, heading: str) -> None:
    source = write(tmp_path, f"sections:\n- heading: '{heading}'\n  text: 各单位要加强领导。\n")
    assert run_in_findings(source) == []


def test_a_heading_spelled_with_escapes_is_reported_but_not_rewritten(tmp_path: Path) -> None:
    source = write(tmp_path, 'sections:\n- heading: "总体\\u8981求"\n  text: 坚持人民至上。\n')
    (finding,) = lint_source(source)
    assert finding.location.line == 5 and finding.fix is None


def test_every_example_ends_its_run_in_headings() -> None:
    findings = {path.name: run_in_findings(path) for path in sorted(EXAMPLES.glob("*.yaml"))}
    assert findings and all(found == [] for found in findings.values()), findings


def test_a_half_width_full_stop_ending_a_chinese_sentence_is_fixed(tmp_path: Path) -> None:
    source = write(
        tmp_path,
        "preamble:\n"
        "- 请认真做好工作.下一步要抓好落实.\n"
        "- 会议强调（原则通过）.\n"
        "- 行距1.5倍，见www.gov.cn和附件报告.docx，e.g. Python 3.12.\n"
        "- 请于5月底前报送.  # 注\n",
    )
    findings = [f for f in lint_source(source) if "'.'" in f.message]
    assert [(f.location.line, f.location.column, f.clause) for f in findings] == [
        (5, 10, "GB/T 15834"), (5, 19, "GB/T 15834"), (6, 13, "GB/T 15834"), (8, 11, "GB/T 15834"),
    ]  # fmt: skip
    code, output = run("lint", "--fix", str(source))
    assert code == 0 and f"{source}:5:10: GB/T 15834: half-width '.' ending a Chinese sentence (fixable)" in output
    assert source.read_text(encoding="utf-8") == HEAD + (
        "preamble:\n"
        "- 请认真做好工作。下一步要抓好落实。\n"
        "- 会议强调（原则通过）。\n"
        "- 行距1.5倍，见www.gov.cn和附件报告.docx，e.g. Python 3.12.\n"
        "- 请于5月底前报送。  # 注\n"
    )


def test_builds_notes_name_the_file_once(tmp_path: Path) -> None:
    source = write(tmp_path, "preamble:\n- 根据要求,现通知如下。\n")
    code, output = run("build", str(source), "-o", str(tmp_path / "out"), "-f", "html")
    notes = [line for line in output.splitlines() if line.startswith("docgen: note:")]
    assert code == 0 and notes == [f"docgen: note: {source}:5:7: GB/T 15834: half-width ',' in Chinese text (fixable)"]


def test_strict_prints_each_finding_on_a_line_of_its_own(tmp_path: Path) -> None:
    body = "preamble:\n- 根据要求,现通知如下.\nsections:\n- heading: 总体要求\n  text: 坚持人民至上。\n"
    source = write(tmp_path, body)
    code, output = run("build", str(source), "-o", str(tmp_path / "out"), "-f", "html", "--strict")
    assert code == 2 and not (tmp_path / "out" / "notice.html").exists()
    lines = output.splitlines()
    assert lines[0] == "docgen: error in source: lint (--strict) found 3 finding(s), nothing was built:"
    assert [line.split(": ", 2)[:2] for line in lines[1:]] == [
        [f"{source}:5:7", "GB/T 15834"], [f"{source}:5:13", "GB/T 15834"], [f"{source}:7:12", "GB/T 9704 7.3.3"],
    ]  # fmt: skip


def test_strict_in_a_batch_lists_the_findings_under_the_failed_document(tmp_path: Path) -> None:
    good = tmp_path / "good.yaml"
    good.write_text(HEAD + "preamble:\n- 根据要求，现通知如下。\n", encoding="utf-8")
    bad = write(tmp_path, "preamble:\n- 根据要求,现通知如下.\n")
    code, output = run("build", str(good), str(bad), "-o", str(tmp_path / "out"), "-f", "html", "--strict", "-j", "1")
    assert code == 1
    failed = output.split(f"FAILED {bad}: ", 1)[1].splitlines()
    assert failed == [
        "lint (--strict) found 2 finding(s), nothing was built:",
        f"{bad}:5:7: GB/T 15834: half-width ',' in Chinese text (fixable)",
        f"{bad}:5:13: GB/T 15834: half-width '.' ending a Chinese sentence (fixable)",
    ]
