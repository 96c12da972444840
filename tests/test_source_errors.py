"""Sources that could hurt: huge, deeply nested, missing (the everyday mistakes are in test_loader.py)."""

from __future__ import annotations

from pathlib import Path

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
