"""Help and messages on a terminal: Chinese wraps by the columns a terminal gives it (two a character),
breaking between characters, never before a closing mark."""

from __future__ import annotations

from docgen.text.cjk import NO_LINE_START, terminal_columns, terminal_lines

TEXT = "以网页形式使用 docgen：粘贴、上传或编写公文，边输入边看版面，下载 DOCX、PDF、OFD 和网页版。"


def test_lines_keep_within_the_width_and_lose_nothing() -> None:
    for width in range(12, 60):
        lines = terminal_lines(TEXT, width, "  ", "  ").splitlines()
        assert all(terminal_columns(line) <= width for line in lines), width
        assert "".join(line.strip() for line in lines).replace(" ", "") == TEXT.replace(" ", "")


def test_no_line_begins_with_a_closing_mark_and_no_latin_word_is_split() -> None:
    for width in range(12, 60):
        wrapped = terminal_lines(TEXT, width)
        assert not any(line.strip()[0] in NO_LINE_START for line in wrapped.splitlines()), width
        assert all(word in wrapped for word in ("docgen", "DOCX", "PDF")), width  # no newline inside a word


def test_the_first_line_takes_its_indent_and_the_others_theirs() -> None:
    lines = terminal_lines(TEXT, 30, "用法： ", "    ").splitlines()
    assert lines[0].startswith("用法： ") and all(line.startswith("    ") for line in lines[1:])
    assert terminal_columns(lines[0]) <= 30
