"""Progress of a build: the fonts made ready first, then a bar with count, rate and ETA on a
terminal, plain lines otherwise."""

from __future__ import annotations

import sys
import time
from types import TracebackType

import click

from docgen.errors import DocgenError
from docgen.i18n import N_, _
from docgen.jobs.batch import Job, JobResult

_STATUS = {"built": N_("built"), "skipped": N_("skipped"), "failed": N_("failed")}  # a result's status, as shown


def prepare_fonts(jobs: list[Job]) -> None:
    """Make the fonts the jobs need ready in this process, before any worker starts: workers that
    each found them missing would all convert them at once, each saying so."""
    from docgen.layout.fonts import resolve_faces
    from docgen.profile import load_profile

    for profile, font_dir in {(job.profile, job.font_dir) for job in jobs if {"pdf", "docx"} & set(job.formats)}:
        try:
            resolve_faces(load_profile(profile), font_dir)
        except DocgenError:  # no fonts, or no profile: each job reports it with its own name
            continue


class Reporter:
    def __init__(self, total: int, verbose: bool) -> None:
        self.total = total
        self.verbose = verbose  # one document: say each file written
        self.done = 0
        self.start = time.perf_counter()
        self.bar = None
        if sys.stderr.isatty() and not verbose:
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

            self.bar = Progress(
                TextColumn(_("building")), BarColumn(), MofNCompleteColumn(),
                TextColumn(_("{rate} docs/s").format(rate="{task.fields[rate]:.1f}")), TimeRemainingColumn(),
                transient=False,
            )  # fmt: skip
            self.task = self.bar.add_task("build", total=total, rate=0.0)

    def __enter__(self) -> Reporter:
        if self.bar:
            self.bar.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        if self.bar:
            self.bar.stop()

    def advance(self, result: JobResult) -> None:
        self.done += 1
        rate = self.done / max(time.perf_counter() - self.start, 1e-9)
        for note in result.notes:
            click.echo(
                _("docgen: note: {note}").format(note=note), err=True
            )  # a note names its place (JobResult.notes)
        if self.bar:
            self.bar.update(self.task, advance=1, rate=rate)
        elif self.verbose:
            if result.status == "built":
                for target in result.job.targets().values():
                    click.echo(_("wrote {path} ({size:,} bytes)").format(path=target, size=target.stat().st_size))
            elif result.status == "skipped":
                click.echo(_("unchanged, not rebuilt: {label} (--force rebuilds)").format(label=result.job.label))
        else:
            status = _(_STATUS[result.status])
            line = f"[{self.done}/{self.total}] {status} {result.job.label} " + _("({seconds:.2f} s)").format(
                seconds=result.seconds
            )
            click.echo(line, err=True)
