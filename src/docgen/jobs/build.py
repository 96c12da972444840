"""One document to its files: composed once, laid out once, every requested format rendered from
that in memory (each on a core of its own when asked), then all written atomically together."""

from __future__ import annotations

import os
from pathlib import Path

from docgen.compose.document import compose_paragraphs
from docgen.errors import DocgenError
from docgen.files import bounded
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
    in_parallel: bool = False,
) -> list[str]:
    """Render every format first, then write them all or none; returns notes for the user.
    ``origin`` names the document's source in messages; ``in_parallel`` renders the formats on the
    machine's cores at once (for one document built alone: a batch's workers have the cores already)."""
    if "html" in formats and not allow_unpublishable:
        _refuse_unpublishable(document, origin)
    notes: list[str] = []
    laid = lay_out_document(document, profile, formats, font_dir, notes)
    rendered = (
        _rendered_in_parallel(laid, profile, formats, origin)
        if in_parallel
        else {fmt: _render(fmt, laid, profile) for fmt in formats}
    )
    write_all_atomically({targets[fmt]: rendered[fmt] for fmt in formats})
    return notes


def spare_cores() -> int:
    """The cores this process may use beside its own: what forked renderers can run on."""
    return len(os.sched_getaffinity(0)) - 1 if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1) - 1


def _rendered_in_parallel(
    laid: LaidOutDocument, profile: Profile, formats: tuple[str, ...], origin: str
) -> dict[str, bytes]:
    """Every format's bytes, some rendered in forked children while this process renders the rest.

    A child inherits the laid-out document (nothing is laid out or sent twice) and imports only its
    own format's libraries. The first format that paints pages stays here, where the layout opened
    its fonts. A child's error is raised here as it was."""
    kept = next((fmt for fmt in formats if FORMATS[fmt].paints_pages), formats[0])
    elsewhere = [fmt for fmt in formats if fmt != kept][: spare_cores()]
    running = {
        fmt: bounded.start(
            _render, fmt, laid, profile, budget=bounded.UNBOUNDED,
            failure=_("{origin}: rendering the {format}").format(origin=origin, format=fmt.upper()),
        )
        for fmt in elsewhere
    }  # fmt: skip
    try:
        here = {fmt: _render(fmt, laid, profile) for fmt in formats if fmt not in running}
        return {**here, **{fmt: child.result() for fmt, child in running.items()}}
    finally:
        for child in running.values():
            child.close()


def _render(fmt: str, laid: LaidOutDocument, profile: Profile) -> bytes:
    return FORMATS[fmt].renderer()(laid, profile)


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
