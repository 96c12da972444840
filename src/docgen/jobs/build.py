"""One document to its files: composed once, laid out once, every requested format rendered from
that in memory (each on a core of its own when asked), then all written atomically together."""

from __future__ import annotations

import contextlib
import multiprocessing
import os
from multiprocessing.connection import Connection
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
    machine's spare cores at once, if it has any (for one document built alone: a batch's workers
    have the cores already)."""
    if "html" in formats and not allow_unpublishable:
        _refuse_unpublishable(document, origin)
    notes: list[str] = []
    with _RenderersBeside(_formats_beside(formats) if in_parallel else [], profile, origin) as beside:
        laid = lay_out_document(document, profile, formats, font_dir, notes)
        beside.give(laid)
        rendered = {fmt: _render(fmt, laid, profile) for fmt in formats if fmt not in beside.formats}
        rendered |= beside.results()
    write_all_atomically({targets[fmt]: rendered[fmt] for fmt in formats})
    return notes


def spare_cores() -> int:
    """The cores this process may use beside its own: what forked renderers can run on (none where
    a process cannot fork)."""
    if "fork" not in multiprocessing.get_all_start_methods():
        return 0
    return len(os.sched_getaffinity(0)) - 1 if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1) - 1


def _formats_beside(formats: tuple[str, ...]) -> list[str]:
    """The formats to render in children, one a spare core: all but the first that paints pages, which
    stays where the layout opens its fonts (the first format, if none paints)."""
    kept = next((fmt for fmt in formats if FORMATS[fmt].paints_pages), formats[0])
    return [fmt for fmt in formats if fmt != kept][: spare_cores()]


class _RenderersBeside:
    """Children that render formats beside this process: forked before the layout, each imports its
    format's libraries and makes what it makes once (the DOCX its template) while this process lays
    the document out, then is given the laid-out document (pickled: it did not exist when they were
    forked) and sends its bytes back. Nothing is laid out twice; a child's error is raised here as it
    was; leaving kills whatever still runs."""

    def __init__(self, formats: list[str], profile: Profile, origin: str) -> None:
        self.formats = formats
        self._senders: list[Connection] = []
        self._running: dict[str, bounded.Running[bytes]] = {}
        for fmt in formats:
            receiver, sender = multiprocessing.get_context("fork").Pipe(duplex=False)
            failure = _("{origin}: rendering the {format}").format(origin=origin, format=fmt.upper())
            self._running[fmt] = bounded.start(
                _render_given, fmt, profile, receiver, budget=bounded.UNBOUNDED, failure=failure
            )
            receiver.close()
            self._senders.append(sender)

    def __enter__(self) -> _RenderersBeside:
        return self

    def __exit__(self, *_: object) -> None:
        for sender in self._senders:
            sender.close()
        for child in self._running.values():
            child.close()

    def give(self, laid: LaidOutDocument) -> None:
        for sender in self._senders:
            with contextlib.suppress(OSError):  # the child ended already: its result says why
                sender.send(laid)
            sender.close()

    def results(self) -> dict[str, bytes]:
        return {fmt: child.result() for fmt, child in self._running.items()}


def _render_given(fmt: str, profile: Profile, receiver: Connection) -> bytes:
    """In a child: ready ``fmt``'s renderer for ``profile``, then render the laid-out document sent."""
    FORMATS[fmt].prepare(profile)
    return _render(fmt, receiver.recv(), profile)


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
