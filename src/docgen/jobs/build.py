"""One document to its files: composed once, laid out once, every requested format rendered from
that in memory, then all written atomically together."""

from __future__ import annotations

from pathlib import Path

from docgen.compose.document import compose_paragraphs
from docgen.errors import DocgenError
from docgen.files.atomic import write_all_atomically
from docgen.i18n import _
from docgen.layout.document import LaidOutDocument
from docgen.layout.engine import lay_out
from docgen.layout.metrics import FontMetrics, font_metrics
from docgen.model import Document
from docgen.profile import Profile
from docgen.render import FORMATS


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
    laid = lay_out_document(document, profile, formats, font_dir, notes)
    write_all_atomically({targets[fmt]: FORMATS[fmt].renderer()(laid, profile) for fmt in formats})
    return notes


def lay_out_document(
    document: Document,
    profile: Profile,
    formats: tuple[str, ...] = tuple(FORMATS),
    font_dir: Path | None = None,
    notes: list[str] | None = None,
) -> LaidOutDocument:
    """``document`` composed and laid out, with the fonts when a format reads lines."""
    return lay_out(
        document, compose_paragraphs(document, profile), profile, _metrics(profile, formats, font_dir, notes)
    )


def _metrics(
    profile: Profile, formats: tuple[str, ...], font_dir: Path | None, notes: list[str] | None
) -> FontMetrics | None:
    if not any(FORMATS[fmt].uses_lines for fmt in formats):
        return None
    try:
        return font_metrics(profile, font_dir)
    except DocgenError as error:
        if any(FORMATS[fmt].paints_pages for fmt in formats):
            raise
        # A DOCX needs no font files; only the squeezed lines that match the PDF are lost.
        if notes is not None:
            notes.append(_("writing the DOCX without the PDF's line decisions: {error}").format(error=error))
        return None


def _refuse_unpublishable(document: Document, origin: str) -> None:
    """The web notice is for publication: none of a document that is not to be published."""
    from docgen.render.html.writer import unpublishable_reason

    if reason := unpublishable_reason(document):
        raise DocgenError(
            _(
                "{origin}: not building the web notice (--format html): {reason}. The web "
                "notice is for publication; build -f docx,pdf instead, or pass "
                "--allow-unpublishable if the page is for an internal site. Nothing was "
                "written"
            ).format(origin=origin, reason=reason)
        )
