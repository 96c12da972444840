"""Renderers, one folder a format: fixed layouts (PDF, OFD) paint the laid-out document's pages, the DOCX
reads its line and pagination decisions, the web notice its paragraphs.

A new format is one folder with ``render_X(laid, profile) -> bytes`` and one row in FORMATS.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module

from docgen.layout.document import LaidOutDocument
from docgen.profile import Profile

Renderer = Callable[[LaidOutDocument, Profile], bytes]


@dataclass(frozen=True)
class Format:
    name: str  # the file's suffix and the name in --format
    module: str  # where the renderer lives, imported only when the format is asked for
    function: str
    uses_lines: bool  # reads the layout's lines: the fonts are resolved for it
    paints_pages: bool  # paints the laid-out pages: nothing without the fonts
    preparation: str | None = None  # of the module: makes for a profile what each rendering copies

    def renderer(self) -> Renderer:
        return getattr(import_module(self.module), self.function)

    def prepare(self, profile: Profile) -> None:
        """The renderer imported, and what it makes once a process for ``profile`` made (a process
        that prepares while another lays the document out renders it sooner)."""
        module = import_module(self.module)
        if self.preparation:
            getattr(module, self.preparation)(profile)


FORMATS: dict[str, Format] = {
    fmt.name: fmt
    for fmt in (
        Format(
            "docx",
            "docgen.render.docx.writer",
            "render_docx",
            uses_lines=True,
            paints_pages=False,
            preparation="prepare",
        ),
        Format("pdf", "docgen.render.pdf.writer", "render_pdf", uses_lines=True, paints_pages=True),
        Format("html", "docgen.render.html.writer", "render_html", uses_lines=False, paints_pages=False),
        Format("ofd", "docgen.render.ofd.writer", "render_ofd", uses_lines=True, paints_pages=True),
    )
}
