"""`docgen lint draft.md` lints the Markdown draft's own text: findings on the draft's lines, fixes in the draft."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from docgen.cli import main

DRAFT = """\
---
organ: 济南市人民政府办公厅
date: 2023-04-25
addressees: 各区县人民政府(功能区管委会)
---

# 关于做好安全生产检查工作的通知

为做好检查工作,现通知如下。

## 总体要求

一是加强领导。
"""


def test_lint_reads_a_draft_as_markdown_and_names_its_lines(tmp_path: Path) -> None:
    draft = tmp_path / "draft.md"
    draft.write_text(DRAFT, encoding="utf-8")
    result = CliRunner().invoke(main, ["lint", str(draft)])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert f"{draft}:4:20: GB/T 15834: half-width ( ) around Chinese text (fixable)" in lines  # the front matter
    assert f"{draft}:9:8: GB/T 15834: half-width ',' in Chinese text (fixable)" in lines  # a paragraph
    assert f"{draft}:13:1: GB/T 9704 7.3.3: 一是 without 二是: an enumeration needs two (by hand)" in lines


def test_lint_fix_mends_the_draft_and_nothing_else(tmp_path: Path) -> None:
    draft = tmp_path / "draft.md"
    draft.write_text(DRAFT, encoding="utf-8")
    result = CliRunner().invoke(main, ["lint", "--fix", str(draft)])
    assert result.exit_code == 0, result.output
    fixed = DRAFT.replace("(功能区管委会)", "（功能区管委会）").replace("工作,现", "工作，现")
    assert draft.read_text(encoding="utf-8") == fixed
