"""One document to its files: every requested format rendered in memory, then all written atomically together."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from docgen.errors import DocgenError
from docgen.files.atomic import write_all_atomically
from docgen.model import Document
from docgen.profile import Profile

FORMATS = ("docx", "pdf", "html")


def _render_docx(document: Document, profile: Profile, font_dir: Path | None, notes: list[str]) -> bytes:
    from docgen.layout.metrics import font_metrics
    from docgen.render.docx.writer import render_docx

    try:
        metrics = font_metrics(profile, font_dir)
    except DocgenError as error:
        # A DOCX needs no font files; only the squeezed lines that match the PDF are lost.
        notes.append(f"writing the DOCX without the PDF's line decisions: {error}")
        metrics = None
    return render_docx(document, profile, metrics)


def _render_pdf(document: Document, profile: Profile, font_dir: Path | None, notes: list[str]) -> bytes:
    from docgen.render.pdf.writer import render_pdf

    return render_pdf(document, profile, font_dir)


def _render_html(document: Document, profile: Profile, font_dir: Path | None, notes: list[str]) -> bytes:
    from docgen.render.html.writer import render_html

    return render_html(document, profile)


RENDERERS: dict[str, Callable[[Document, Profile, Path | None, list[str]], bytes]] = {
    "docx": _render_docx,
    "pdf": _render_pdf,
    "html": _render_html,
}


def build_files(
    document: Document,
    profile: Profile,
    formats: tuple[str, ...],
    targets: dict[str, Path],
    font_dir: Path | None,
    *,
    origin: str,
    allow_unpublishable: bool = False,
) -> list[str]:
    """Render every format first, then write them all or none; returns notes for the user.
    ``origin`` names the document's source in messages."""
    if "html" in formats and not allow_unpublishable:
        _refuse_unpublishable(document, origin)
    notes: list[str] = []
    built = {targets[fmt]: RENDERERS[fmt](document, profile, font_dir, notes) for fmt in formats}
    write_all_atomically(built)
    return notes


def _refuse_unpublishable(document: Document, origin: str) -> None:
    """The web notice is for publication: none of a document that is not to be published."""
    from docgen.render.html.writer import unpublishable_reason

    if reason := unpublishable_reason(document):
        raise DocgenError(
            f"{origin}: not building the web notice (--format html): {reason}. The web notice is for "
            "publication; build -f docx,pdf instead, or pass --allow-unpublishable if the page is for "
            "an internal site. Nothing was written"
        )
