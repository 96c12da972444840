"""Building many documents at once: many sources, or one template and a table of rows.

The core takes any `concurrent.futures.Executor`: a local process pool by default, a Dask
cluster's executor with `--dask`. A job that fails is reported and the others go on; every
file is written atomically; a job whose inputs are unchanged since its last build is skipped.
"""

from __future__ import annotations

import csv
import glob
import hashlib
import json
import resource
import time
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Executor, Future, as_completed
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import yaml

from docgen import __version__
from docgen.build import build_files
from docgen.errors import DocgenError, SourceError
from docgen.limits import Limits
from docgen.lint import lint_source
from docgen.loader import compose_source, document_from_node
from docgen.model import Document
from docgen.output import write_atomically
from docgen.profile import Profile, load_profile

STAMPS = ".docgen"
MAX_NAME = 120


@dataclass(frozen=True)
class Job:
    """One document to build. Plain data, so it can travel to another process or machine."""

    name: str  # the output file stem
    label: str  # where it comes from, for reports: a source path, or "rows.csv row 3"
    source: Path  # the source, or the template
    out_dir: Path
    formats: tuple[str, ...]
    profile: Path
    font_dir: Path | None = None
    row: tuple[tuple[str, str], ...] | None = None  # the data row, for a template
    strict: bool = False  # lint findings fail the job instead of being reported
    limits: Limits | None = None  # None: the profile's

    def targets(self) -> dict[str, Path]:
        return {fmt: self.out_dir / f"{self.name}.{fmt}" for fmt in self.formats}


@dataclass(frozen=True)
class JobResult:
    job: Job
    status: str  # built, skipped or failed
    message: str = ""
    seconds: float = 0.0
    peak_rss_kb: int = 0
    notes: tuple[str, ...] = field(default=())
    source_error: bool = False  # the failure is the source's fault (docgen: error in source)


# ---------------------------------------------------------------- jobs


def source_jobs(
    patterns: Iterable[str],
    out_dir: Path,
    formats: tuple[str, ...],
    profile: Path,
    font_dir: Path | None,
    strict: bool = False,
    limits: Limits | None = None,
) -> list[Job]:
    """One job per source found in ``patterns`` (files, folders of *.yaml, globs)."""
    sources: list[Path] = []
    for pattern in patterns:
        path = Path(pattern)
        if path.is_dir():
            sources.extend(sorted([*path.glob("*.yaml"), *path.glob("*.yml")]))
        elif any(char in pattern for char in "*?["):
            sources.extend(sorted(Path(match) for match in glob.glob(pattern, recursive=True)))
        else:
            sources.append(path)
    if not sources:
        raise DocgenError(f"no sources found in {', '.join(patterns)}")
    jobs = [Job(s.stem, str(s), s, out_dir, formats, profile, font_dir, strict=strict, limits=limits) for s in sources]
    check_names(jobs)
    return jobs


def template_jobs(
    template: Path,
    data: Path,
    name_pattern: str | None,
    out_dir: Path,
    formats: tuple[str, ...],
    profile: Path,
    font_dir: Path | None,
    limits: Limits | None = None,
) -> list[Job]:
    """One job per data row; output names from ``name_pattern`` (``{field}`` and ``{row}``)."""
    compose_source(template, limits or _profile(profile).limits)  # a broken template fails once, before any row
    rows = read_rows(data)
    pattern = name_pattern or f"{template.stem}-{{row:0{len(str(len(rows)))}d}}"
    jobs = []
    for number, row in rows:
        try:
            name = pattern.format(row=number, **row)
        except (KeyError, IndexError, ValueError) as error:
            raise DocgenError(f"--name '{pattern}': row {number} of {data} has no field {error}") from None
        items = tuple(sorted(row.items()))
        label = f"{data} row {number}"
        jobs.append(Job(name, label, template, out_dir, formats, profile, font_dir, items, limits=limits))
    check_names(jobs)
    return jobs


def read_rows(path: Path) -> list[tuple[int, dict[str, str]]]:
    """Rows of a CSV (UTF-8, header line), YAML or JSON (a list of mappings) file, numbered as a
    user finds them: CSV by line, YAML and JSON from 1."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise DocgenError(f"{path}: cannot read the data ({error})") from None
    suffix = path.suffix.lower()
    if suffix == ".csv":
        reader = csv.DictReader(text.splitlines())
        rows = [(index + 2, dict(row)) for index, row in enumerate(reader)]
    elif suffix in (".yaml", ".yml", ".json"):
        try:
            loaded = json.loads(text) if suffix == ".json" else yaml.safe_load(text)
        except (ValueError, yaml.YAMLError) as error:
            raise DocgenError(f"{path}: not valid {suffix[1:].upper()}: {error}") from None
        if not isinstance(loaded, list) or not all(isinstance(row, dict) for row in loaded):
            raise DocgenError(f"{path}: expected a list of rows, each a mapping of field to value")
        rows = [(index + 1, row) for index, row in enumerate(loaded)]
    else:
        raise DocgenError(f"{path}: data must be .csv, .yaml or .json")
    return [(number, {str(k): "" if v is None else str(v) for k, v in row.items()}) for number, row in rows]


def name_problem(name: str) -> str | None:
    """Why ``name`` can't be an output file stem, or None."""
    if not name or not name.strip():
        return "it is empty"
    if "/" in name or "\\" in name or name.startswith(("~", ".")) or ".." in name:
        return "it would leave the output folder (/, \\, .., or a leading . or ~)"
    if any(unicodedata.category(char).startswith("C") for char in name):
        return "it contains control characters"
    if len(name) > MAX_NAME:
        return f"it is longer than {MAX_NAME} characters"
    return None


def check_names(jobs: list[Job]) -> None:
    """Every output name safe and unique, or one error listing each offender."""
    problems = [f"{job.label}: '{job.name}': {problem}" for job in jobs if (problem := name_problem(job.name))]
    counts = Counter(job.name.casefold() for job in jobs)
    problems += [f"{job.label}: '{job.name}' is also the name of another document" for job in jobs
                 if counts[job.name.casefold()] > 1]  # fmt: skip
    if problems:
        raise DocgenError("output names rejected, nothing was built:\n  " + "\n  ".join(problems))


# ---------------------------------------------------------------- one job (runs in a worker)


@cache
def _profile(path: Path) -> Profile:
    return load_profile(path)


def run_job(job: Job, force: bool = False) -> JobResult:
    """Build one job; never raises. Runs in a worker process or on a cluster node."""
    start = time.perf_counter()
    try:
        profile = _profile(job.profile)
        stamp = job.out_dir / STAMPS / f"{job.name}.stamp"
        digest = _digest(job, profile)
        if not force and _up_to_date(job, stamp, digest):
            return JobResult(job, "skipped", seconds=time.perf_counter() - start, peak_rss_kb=_peak_rss())
        document, findings = _document(job, job.limits or profile.limits)
        if findings and job.strict:
            return JobResult(job, "failed", "lint (--strict): " + "; ".join(findings), time.perf_counter() - start)
        notes = [*findings, *build_files(document, profile, job.formats, job.targets(), job.font_dir)]
        write_atomically(stamp, digest.encode())
        return JobResult(job, "built", seconds=time.perf_counter() - start, peak_rss_kb=_peak_rss(), notes=tuple(notes))
    except DocgenError as error:
        seconds = time.perf_counter() - start
        return JobResult(job, "failed", str(error), seconds, _peak_rss(), source_error=isinstance(error, SourceError))
    except Exception as error:  # a bug must not stop the other documents; it is reported, not raised
        return JobResult(job, "failed", f"internal error: {type(error).__name__}: {error}", time.perf_counter() - start)


def _peak_rss() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _document(job: Job, limits: Limits) -> tuple[Document, list[str]]:
    """The job's document, and the lint findings of its source (a template row has none of its own)."""
    if job.row is None:
        root = compose_source(job.source, limits)  # parsed once, for the document and for lint
        findings = [str(finding) for finding in lint_source(job.source, root)]
        return document_from_node(root, job.source, limits), findings
    from docgen.template import render_template

    return render_template(job.source, dict(job.row), job.label, limits), []


def _digest(job: Job, profile: Profile) -> str:
    """Everything the output depends on: docgen, formats, profile, fonts, source, row, limits."""
    digest = hashlib.sha256()
    limits = job.limits or profile.limits
    # The limits too: a lowered limit must refuse a source built before, not skip it.
    for part in (__version__, ",".join(job.formats), _fonts_identity(profile, job), json.dumps(job.row), repr(limits)):
        digest.update(part.encode() + b"\0")
    for path in (profile.source, job.source):
        size = path.stat().st_size if path.is_file() else 0
        # A source over the limit is refused by the loader without being read; so it is here.
        data = path.read_bytes() if 0 < size <= limits.max_source_bytes else b""
        digest.update(f"{size}:".encode() + data)
    return digest.hexdigest()


def _fonts_identity(profile: Profile, job: Job) -> str:
    if not {"pdf", "docx"} & set(job.formats):
        return ""
    from docgen.fonts import resolve_faces

    try:
        faces = resolve_faces(profile, job.font_dir)
    except DocgenError:
        return "no fonts"
    return ";".join(f"{f.path}:{f.path.stat().st_size}:{int(f.path.stat().st_mtime)}" for f in faces.values())


def _up_to_date(job: Job, stamp: Path, digest: str) -> bool:
    if not stamp.is_file() or stamp.read_text() != digest:
        return False
    return all(target.is_file() for target in job.targets().values())


# ---------------------------------------------------------------- many jobs


def remove_stale_temporaries(out_dir: Path) -> int:
    """Temporary files a killed run left behind (complete outputs are never temporaries)."""
    removed = 0
    for folder in (out_dir, out_dir / STAMPS):
        for path in folder.glob(".*.tmp") if folder.is_dir() else ():
            path.unlink(missing_ok=True)
            removed += 1
    return removed


def run_batch(
    jobs: list[Job], executor: Executor, force: bool = False, on_result: Callable[[JobResult], None] | None = None
) -> list[JobResult]:
    """Run ``jobs`` on ``executor``; results in the order of ``jobs``."""
    for out_dir in {job.out_dir for job in jobs}:
        remove_stale_temporaries(out_dir)
    futures: dict[Future[JobResult], int] = {executor.submit(run_job, job, force): i for i, job in enumerate(jobs)}
    results: list[JobResult | None] = [None] * len(jobs)
    for future in as_completed(futures):
        result = future.result()
        results[futures[future]] = result
        if on_result:
            on_result(result)
    return [result for result in results if result is not None]


def summarise(results: list[JobResult], seconds: float) -> Iterator[str]:
    counts = Counter(result.status for result in results)
    rate = counts["built"] / seconds if seconds > 0 else 0.0
    yield (
        f"{counts['built']} built, {counts['skipped']} skipped (unchanged), {counts['failed']} failed "
        f"in {seconds:.1f} s ({rate:.1f} documents/s)"
    )
    for result in results:
        if result.status == "failed":
            yield f"FAILED {result.job.label}: {result.message}"


class InlineExecutor(Executor):
    """Runs each job at once in this process: one document needs no pool."""

    def submit(self, fn: Callable, /, *args: object, **kwargs: object) -> Future:  # type: ignore[override]
        future: Future = Future()
        future.set_result(fn(*args, **kwargs))
        return future
