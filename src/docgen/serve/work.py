"""What the server's requests ask of the pipeline, done in worker processes.

The workers start once, from a fork server (never a fork of the threaded web server), with the profile's
fonts loaded; each request's work then runs in a child forked from a warm worker, within a wall time and a
memory budget (files/bounded), so a hostile or runaway input costs one bounded child and the worker goes on.
Every function here reads and writes only inside the job folder it is given; its results are plain data.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import json
import multiprocessing
import os
import threading
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from datetime import date
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any, TypeVar

from docgen.check.findings import Finding, pages_of
from docgen.errors import DocgenError
from docgen.files.atomic import write_atomically
from docgen.files.bounded import Budget, call
from docgen.i18n import _, language, set_language
from docgen.limits import Limits, MiB
from docgen.model import Document
from docgen.profile import Profile, load_profile
from docgen.units import mm_to_pt

T = TypeVar("T")

SOURCE_FILES = {"yaml": "source.yaml", "markdown": "source.md"}  # what the editor holds, by its syntax
PDF_FILE = "document.pdf"  # the preview's pages, measured by the check
CHECK_FILE = "check.json"
TITLE_FILE = "title.txt"
GRID_CLAUSE = "5.2"  # 5.2.1 paper, 5.2.2 the block: its lines, their pitch and characters
DEFAULT_MEMORY = 1024 * MiB  # a job's child beside its worker: the 29-page sample needs some 150 MB
# Requests waiting beyond this many a worker are told the server is busy (20 clients on 2 workers wait 10 each).
QUEUED_PER_WORKER = 32


@dataclass(frozen=True)
class Settings:
    """What every job is built with: plain data, sent to the workers once."""

    profile_path: Path
    font_dir: Path | None
    limits: Limits
    seconds: float  # one job's wall time
    memory_bytes: int  # what one job's child may add to its warm worker


class Busy(DocgenError):
    """More requests are waiting than the workers will reach soon."""


class Workshop:
    """A pool of warm workers; ``run`` awaits one job done in a bounded child of one of them.

    Each worker holds the reading end of a pipe only this process writes to: when this process ends,
    however it ends (a SIGKILL runs no clean-up, and a pool's worker waits for work for ever), the
    workers read its end and leave, and the fork server with them."""

    def __init__(self, settings: Settings, workers: int) -> None:
        self.settings = settings
        self._workers = workers
        self._waiting = 0
        self._context = multiprocessing.get_context("forkserver")
        self._context.set_forkserver_preload([__name__])
        self._lifeline, self._held = self._context.Pipe(duplex=False)  # the workers' end, this process's
        self._pool = self._started()

    def _started(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(
            self._workers, self._context, initializer=_warm, initargs=(self.settings, language(), self._lifeline)
        )

    async def run(self, task: Callable[..., T], *args: Any) -> T:
        if self._waiting >= self._workers * QUEUED_PER_WORKER:
            raise Busy(_("the server is busy with {count} requests; try again in a moment").format(count=self._waiting))
        self._waiting += 1
        try:
            return await asyncio.wrap_future(self._pool.submit(_bounded, self.settings, task, args))
        except BrokenProcessPool:  # a worker itself died (not a job's child): start the pool again
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = self._started()
            raise DocgenError(_("a worker stopped unexpectedly; try again")) from None
        finally:
            self._waiting -= 1

    async def warm_up(self) -> None:
        """Start every worker now, fonts loaded, so that the first preview is as quick as the others."""
        await asyncio.gather(*(asyncio.wrap_future(self._pool.submit(_started)) for _ in range(self._workers)))

    def shutdown(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)


def _warm(settings: Settings, speaking: str, lifeline: Connection) -> None:
    """A worker's start: the language, the profile and its fonts, and the readers the check uses, all
    loaded once so that every job's child inherits them; and a watch on the server's ``lifeline``."""
    from docgen.check import checker  # noqa: F401  (pdfplumber and pypdf, imported once)
    from docgen.layout.metrics import font_metrics

    threading.Thread(target=_leave_with_server, args=(lifeline,), daemon=True).start()
    set_language(speaking)
    with contextlib.suppress(DocgenError):  # no fonts: each job then says so, in its own words
        font_metrics(profile_of(settings), settings.font_dir)


def _leave_with_server(lifeline: Connection) -> None:
    """In a worker: wait until the server has gone (nothing is ever sent: its end closes), then leave."""
    with contextlib.suppress(EOFError, OSError):
        lifeline.recv()
    os._exit(0)


def _started() -> None:
    """Nothing: a task that makes the pool start a worker (whose initializer warms it)."""


def _bounded(settings: Settings, task: Callable[..., T], args: tuple[Any, ...]) -> T:
    budget = Budget(settings.seconds, settings.memory_bytes)
    return call(task, settings, *args, budget=budget, failure=_("this request"))


_PROFILES: dict[Path, Profile] = {}


def profile_of(settings: Settings) -> Profile:
    if settings.profile_path not in _PROFILES:
        _PROFILES[settings.profile_path] = load_profile(settings.profile_path)
    return _PROFILES[settings.profile_path]


def _document(settings: Settings, source: Path) -> tuple[Document, list[dict[str, object]]]:
    """The document the editor's source describes, and what lint finds in it, each at its line."""
    from docgen.source.lint import lint_source
    from docgen.source.loader import compose_source, document_from_node
    from docgen.source.markdown import compose_markdown, is_markdown

    limits = settings.limits
    root, notes = compose_markdown(source, limits) if is_markdown(source) else (compose_source(source, limits), [])
    document = document_from_node(root, source, limits)
    findings = [{"line": None, "text": note} for note in notes]
    findings += [{"line": f.location.line, "text": f.message} for f in lint_source(source, root)]
    return document, findings


def preview(settings: Settings, folder: Path, syntax: str) -> dict[str, object]:
    """The editor's source laid out and painted as the PDF the pages are shown from."""
    from docgen.jobs.build import lay_out_document
    from docgen.render.html.writer import unpublishable_reason
    from docgen.render.pdf.writer import render_pdf

    profile = profile_of(settings)
    document, lint = _document(settings, folder / SOURCE_FILES[syntax])
    notes: list[str] = []
    laid = lay_out_document(document, profile, ("pdf",), settings.font_dir, notes)
    write_atomically(folder / PDF_FILE, render_pdf(laid, profile))
    write_atomically(folder / TITLE_FILE, document.title.encode("utf-8"))  # the downloads' name
    return {
        "pages": len(laid.pages),
        "page_size": [round(mm_to_pt(profile.page.width_mm), 2), round(mm_to_pt(profile.page.height_mm), 2)],
        "title": document.title,
        "web_notice": unpublishable_reason(document),
        "notes": notes,
        "lint": lint,
    }


def page_image(settings: Settings, folder: Path, number: int, width: int) -> Path:
    """Page ``number`` of the preview as a PNG ``width`` pixels wide, made once."""
    import pypdfium2

    target = folder / "pages" / f"{number}-{width}.png"
    if target.exists():
        return target
    pdf = pypdfium2.PdfDocument(folder / PDF_FILE)
    try:
        if not 1 <= number <= len(pdf):
            missing = _("there is no page {number}: the document has {count}")
            raise DocgenError(missing.format(number=number, count=len(pdf)))
        page = pdf[number - 1]
        image = page.render(scale=width / page.get_width()).to_pil()
    finally:
        pdf.close()
    png = io.BytesIO()
    image.save(png, format="PNG", optimize=False)
    target.parent.mkdir(exist_ok=True)
    write_atomically(target, png.getvalue())
    return target


def check(settings: Settings, folder: Path) -> dict[str, object]:
    """``docgen check`` of the preview's PDF: its findings, each with its page where it names one."""
    from docgen.check.checker import check_file, has_required_failure

    cached = folder / CHECK_FILE
    if cached.exists():
        return json.loads(cached.read_text(encoding="utf-8"))
    findings = check_file(folder / PDF_FILE, profile_of(settings), render_docx=False)
    grid = [finding for finding in findings if finding.clause.startswith(GRID_CLAUSE)]
    block = profile_of(settings).grid
    on_grid = _("text block {lines} lines × {chars} characters").format(
        lines=block.lines_per_page, chars=block.chars_per_line
    )
    result = {
        "findings": [_finding(finding) for finding in findings],
        "passed": not has_required_failure(findings),
        "grid": {"ok": not grid, "text": "；".join(f"{f.rule}：{f.measured}" for f in grid) or on_grid},
    }
    write_atomically(cached, json.dumps(result, ensure_ascii=False).encode("utf-8"))
    return result


def _finding(finding: Finding) -> dict[str, object]:
    pages = pages_of(finding.where)
    return {**finding.as_dict(), "page": pages[0] if pages else None, "pages": pages, "text": str(finding).strip()}


def build_format(settings: Settings, folder: Path, syntax: str, fmt: str) -> Path:
    """The editor's source as a file in ``fmt``, built once; the web notice is refused for a document not
    to be published, as ``docgen build`` refuses it."""
    from docgen.jobs.build import build_files
    from docgen.render.html.writer import unpublishable_reason

    target = folder / f"document.{fmt}"
    if not target.exists():
        document, _lint = _document(settings, folder / SOURCE_FILES[syntax])
        if fmt == "html" and (reason := unpublishable_reason(document)):
            raise DocgenError(_("no web notice of this document: {reason}").format(reason=reason))
        build_files(document, profile_of(settings), (fmt,), {fmt: target}, settings.font_dir, origin=_("source"))
    return target


def check_image(settings: Settings, image: Path, name: str) -> dict[str, object]:
    """An uploaded seal image read as a source's image is (files/images: PNG, JPEG or a safe SVG, within
    the image limits): its size in pixels."""
    from docgen.files.images import load_image

    loaded = load_image(image, settings.limits, name=name)
    return {"format": loaded.format, "width": round(loaded.width_px), "height": round(loaded.height_px)}


def import_notice(settings: Settings, notice: Path, name: str) -> dict[str, object]:
    """A pasted or uploaded notice turned into a source, with the notice's lines and each decision made on them."""
    from docgen.importer.dispatch import notice_lines
    from docgen.importer.markdown import import_markdown
    from docgen.importer.text import Decision, import_lines
    from docgen.source import keys
    from docgen.source.markdown import is_markdown

    if is_markdown(notice):
        lines, result = notice.read_text(encoding="utf-8").splitlines(), import_markdown(notice)
    else:
        lines, notes = notice_lines(notice)
        result = import_lines(notice, lines, notes)
    result = result.named_in(keys.CHINESE if language() == "zh" else keys.ENGLISH)
    report = [
        {
            "line": entry.lines[0] if isinstance(entry, Decision) and entry.lines else None,
            "last": entry.lines[1] if isinstance(entry, Decision) and entry.lines else None,
            "text": str(entry),
            "unsure": isinstance(entry, Decision) and entry.unsure,
        }
        for entry in result.report
    ]
    source = result.yaml_text(name)
    return {"source": source, "syntax": "yaml", "lines": lines, "report": report, "guesses": result.guesses()}


def progress(
    settings: Settings, ledger: Path, previous: str | None, as_of: date | None, table: bool
) -> dict[str, object]:
    """The 整改进展 update of an uploaded ledger as a source, its summary and warnings, and what changed
    since ``previous`` (an earlier ledger's path, or a day of this one: YYYY-MM-DD) when one is given."""
    from docgen.ledger.diff import compare
    from docgen.ledger.excel import in_cells, open_ledger, open_previous
    from docgen.ledger.reader import view
    from docgen.ledger.update import make_update, source_text
    from docgen.source import keys

    try:
        current = view(open_ledger(ledger), as_of)
        earlier = open_previous(previous, current.ledger) if previous else None
        update = make_update(current, earlier, table)
    except DocgenError as error:
        raise in_cells(error) from None
    return {
        "source": source_text(update, current, keys.CHINESE if language() == keys.CHINESE else keys.ENGLISH),
        "syntax": "yaml",
        "summary": update.summary,
        "warnings": [str(warning) for warning in update.warnings],
        "diff": compare(earlier, current).lines() if earlier else [],
    }
