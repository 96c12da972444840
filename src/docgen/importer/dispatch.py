"""`docgen import FILE`: each kind of file to its reader, and the lines of any of them classified by
docgen.importer.text."""

from __future__ import annotations

from pathlib import Path

from docgen.importer.docx import docx_lines
from docgen.importer.html import html_lines
from docgen.importer.markdown import import_markdown
from docgen.importer.text import ImportResult, import_lines, read_text
from docgen.source.markdown import MARKDOWN_SUFFIXES


def import_file(path: Path) -> ImportResult:
    """A .docx (paragraphs, Word's own numbering, tables as rows of cells, what its formatting says),
    a saved web page (.html, the article without the portal's chrome), a Markdown draft (.md, converted
    by docgen.source.markdown) or a plain-text notice."""
    if path.suffix.lower() in MARKDOWN_SUFFIXES:
        return import_markdown(path)
    return import_lines(path, *notice_lines(path))


def notice_lines(path: Path) -> tuple[list[str], list[str]]:
    """The lines of a notice that is not Markdown, numbered as the import's report numbers them (the
    first is line 1), and notes on how they were read."""
    suffix = path.suffix.lower()
    if suffix == ".docx":
        return docx_lines(path)
    if suffix in (".html", ".htm"):
        return html_lines(path)
    lines, note = read_text(path)
    return lines, [note] if note else []
