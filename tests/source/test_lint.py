"""`docgen lint`: findings on source lines, --fix that touches nothing else, --strict builds."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from docgen.cli import main
from docgen.source.lint import lint_source
from support import SAMPLE_SOURCE

HALF_WIDTH = str.maketrans({"，": ",", "：": ":", "；": ";", "（": "(", "）": ")"})


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def test_the_committed_sample_is_clean() -> None:
    assert lint_source(SAMPLE_SOURCE) == []


def test_fix_turns_the_web_texts_half_width_marks_back_into_the_committed_source(tmp_path: Path) -> None:
    """The portal's text had , : ; ( ) half-width: --fix mends all 637 and nothing else."""
    original = SAMPLE_SOURCE.read_text(encoding="utf-8")
    head, body = original.split("title:", 1)
    source = tmp_path / "report.yaml"
    source.write_text(head + "title:" + body.translate(HALF_WIDTH), encoding="utf-8")
    findings = lint_source(source)
    assert len(findings) == 637 and all(f.fix for f in findings)
    assert {f.clause for f in findings} == {"GB/T 15834"}
    code, output = run("lint", "--fix", str(source))
    assert code == 0 and "637 finding(s), 637 fixed" in output
    assert source.read_text(encoding="utf-8") == original


def test_findings_name_line_column_and_clause_and_fix_keeps_comments(tmp_path: Path) -> None:
    source = tmp_path / "notice.yaml"
    source.write_text(
        "# 草稿，勿外传\n"
        "title: 关于做好工作的通知\n"
        "date: 2024-03-05\n"
        "organ: 某局  # 落款\n"
        "preamble:\n"
        "  - 根据要求,现通知如下(请遵照执行):一是加强领导。\n"
        '  - "会议定于2024年03月05日召开"\n'
        "closing:\n"
        "  - 二〇二四年三月五日前报送。\n",
        encoding="utf-8",
    )
    code, output = run("lint", "--strict", str(source))
    assert code == 1
    lines = [line for line in output.splitlines() if line.startswith(str(source))]
    assert lines == [
        f"{source}:6:9: GB/T 15834: half-width ',' in Chinese text (fixable)",
        f"{source}:6:15: GB/T 15834: half-width ( ) around Chinese text (fixable)",
        f"{source}:6:21: GB/T 15834: half-width ( ) around Chinese text (fixable)",
        f"{source}:6:22: GB/T 15834: half-width ':' in Chinese text (fixable)",
        f"{source}:6:23: GB/T 9704 7.3.3: 一是 without 二是: an enumeration needs two (by hand)",
        f"{source}:7:10: GB/T 15835: '2024年03月05日': no leading zeros: 2024年3月5日 (fixable)",
        f"{source}:9:5: GB/T 9704 7.3.5.4: '二〇二四年三月五日': Arabic numerals: 2024年3月5日 (fixable)",
    ]
    assert run("lint", "--fix", str(source))[0] == 0
    assert source.read_text(encoding="utf-8") == (
        "# 草稿，勿外传\n"
        "title: 关于做好工作的通知\n"
        "date: 2024-03-05\n"
        "organ: 某局  # 落款\n"
        "preamble:\n"
        "  - 根据要求，现通知如下（请遵照执行）：一是加强领导。\n"
        '  - "会议定于2024年3月5日召开"\n'
        "closing:\n"
        "  - 2024年3月5日前报送。\n"
    )
    assert run("lint", "--strict", str(source))[0] == 1  # 一是 without 二是 is left to the writer


def test_build_reports_lint_findings_and_strict_refuses(tmp_path: Path) -> None:
    source = tmp_path / "n.yaml"
    text = "title: 关于做好工作的通知\norgan: 某局\ndate: 2024-03-05\npreamble:\n  - 根据要求,现通知如下。\n"
    source.write_text(text, encoding="utf-8")
    code, output = run("build", str(source), "-o", str(tmp_path / "out"), "-f", "docx")
    assert code == 0 and f"{source}:5:9: GB/T 15834: half-width ','" in output
    code, output = run("build", str(source), "-o", str(tmp_path / "strict"), "-f", "docx", "--strict")
    assert code == 2 and "lint (--strict)" in output and not (tmp_path / "strict").exists()
