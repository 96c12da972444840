"""Building many documents at once: many sources, or one template and a table of rows.

The core takes any `concurrent.futures.Executor`: a local process pool by default, a Dask
cluster's executor with `--dask`. A job that fails is reported and the others go on; a
document's files are written atomically, all or none; a job whose inputs (source or template
and row, the images the document shows, profile, fonts) are unchanged since its last build is
skipped.
"""

from __future__ import annotations

import csv
import glob
import hashlib
import io
import itertools
import json
import re
import resource
import string
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
from docgen.errors import DocgenError, SourceError, SourceLocation
from docgen.files.atomic import NAME_MAX_BYTES, longest_temporary_name, remove_stale_temporaries, write_atomically
from docgen.i18n import _
from docgen.jobs.build import build_files
from docgen.layout.metrics import font_metrics
from docgen.limits import DEFAULT_LIMITS, SOURCE_LIMIT_SETTING, Limits, read_or_refuse
from docgen.model import Document, Image
from docgen.profile import Profile, load_profile
from docgen.render import FORMATS
from docgen.source.lint import lint_source
from docgen.source.loader import EMPTY_SOURCE, compose_source, document_from_node
from docgen.source.markdown import MARKDOWN_SUFFIXES, compose_markdown, is_markdown

SOURCE_SUFFIXES = (".yaml", ".yml", *MARKDOWN_SUFFIXES)  # what a folder given to build holds
STAMPS = ".docgen"
STAMP_SUFFIX = ".stamp"
MAX_NAME = 120
MAX_CELL_CHARS = 128 * 1024  # one value of a data row; also the csv module's own limit for a field
csv.field_size_limit(MAX_CELL_CHARS)  # the default, set here because the messages state it


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
    allow_unpublishable: bool = False  # write the web notice of a classified or 不公开 document too

    def targets(self) -> dict[str, Path]:
        return {fmt: self.out_dir / f"{self.name}.{fmt}" for fmt in self.formats}


@dataclass(frozen=True)
class JobResult:
    job: Job
    status: str  # built, skipped or failed
    message: str = ""
    seconds: float = 0.0
    peak_rss_kb: int = 0
    notes: tuple[str, ...] = field(default=())  # each names its place once: "x.yaml:11:58: …" or "x.yaml: …"
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
    allow_unpublishable: bool = False,
) -> list[Job]:
    """One job per source found in ``patterns`` (files, folders of YAML sources and Markdown drafts, globs)."""
    sources: list[Path] = []
    for pattern in patterns:
        path = Path(pattern)
        if path.is_dir():
            sources.extend(sorted(found for suffix in SOURCE_SUFFIXES for found in path.glob(f"*{suffix}")))
        elif any(char in pattern for char in "*?["):
            sources.extend(sorted(Path(match) for match in glob.glob(pattern, recursive=True)))
        else:
            sources.append(path)
    if not sources:
        raise DocgenError(_("no sources found in {patterns}").format(patterns=", ".join(patterns)))
    jobs = [
        Job(s.stem, str(s), s, out_dir, formats, profile, font_dir, strict=strict, limits=limits,
            allow_unpublishable=allow_unpublishable)
        for s in sources
    ]  # fmt: skip
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
    allow_unpublishable: bool = False,
    sheet: str | None = None,
) -> list[Job]:
    """One job per data row; output names from ``name_pattern`` (``{field}`` and ``{row}``); ``sheet``: the
    sheet of an Excel workbook (default: its first)."""
    limits = limits or _profile(profile).limits
    compose_source(template, limits)  # a broken template fails once, before any row
    rows = read_rows(data, limits, sheet)
    pattern = name_pattern or f"{template.stem}-{{row:0{len(str(len(rows)))}d}}"
    _check_name_pattern(pattern)
    jobs = []
    for number, row in rows:
        name = _name_of(pattern, number, row, data)
        items = tuple(sorted(row.items()))
        label = _("{data} row {number}").format(data=data, number=number)
        jobs.append(Job(name, label, template, out_dir, formats, profile, font_dir, items, limits=limits,
                        allow_unpublishable=allow_unpublishable))  # fmt: skip
    check_names(jobs)
    return jobs


def _check_name_pattern(pattern: str) -> None:
    """--name takes {field} and {row}, with a short format ({row:03d}): no attributes or indexes
    of a value ({row.real}, {district[0]}) and no width that makes a name longer than any may be."""
    try:
        fields = [(name, spec or "") for _, name, spec, _ in string.Formatter().parse(pattern) if name is not None]
    except ValueError as error:
        raise DocgenError(_("--name '{pattern}': {error}").format(pattern=pattern, error=error)) from None
    for name, spec in fields:
        if not name or name.isdigit() or "." in name or "[" in name:
            raise DocgenError(
                _("--name '{pattern}': '{{{name}}}' is not a field; write {{row}} or {{name of a field}}").format(
                    pattern=pattern, name=name
                )
            )
        if "{" in spec or any(int(width) > MAX_NAME for width in re.findall(r"\d+", spec)):
            raise DocgenError(
                _("--name '{pattern}': the format '{spec}' of {{{name}}} would make a name too long").format(
                    pattern=pattern, spec=spec, name=name
                )
            )


def _name_of(pattern: str, number: int, row: dict[str, str], data: Path) -> str:
    if "row" in row:
        raise DocgenError(
            _("{data}: a field is named 'row', which --name keeps for the row number; rename the field").format(
                data=data
            )
        )
    try:
        return pattern.format_map({**row, "row": number})
    except KeyError as error:
        raise DocgenError(
            _("--name '{pattern}': row {number} of {data} has no field {error}").format(
                pattern=pattern, number=number, data=data, error=error
            )
        ) from None
    except ValueError as error:
        raise DocgenError(
            _("--name '{pattern}': row {number} of {data}: {error}").format(
                pattern=pattern, number=number, data=data, error=error
            )
        ) from None


Rows = list[tuple[int, dict[str, str]]]


def read_rows(path: Path, limits: Limits = DEFAULT_LIMITS, sheet: str | None = None) -> Rows:
    """Rows of a CSV (UTF-8, header line), YAML or JSON (a list of mappings) file, or of an Excel
    workbook's sheet (a header row), numbered as a user finds them: CSV by the line a row starts on,
    Excel by its row, YAML and JSON from 1.

    The data gets a source's limits (size, nesting, no YAML aliases, a workbook's package bounds) and
    each value at most MAX_CELL_CHARS characters; errors name the file and, where there is one, the
    line (an Excel sheet's cell).
    """
    # Workbooks (and lxml) are imported for an Excel file's rows only: a build needs none of them.
    from docgen.files.workbook import XLSX_SUFFIX

    suffix = path.suffix.lower()
    if sheet is not None and suffix != XLSX_SUFFIX:
        raise DocgenError(
            _("{path}: --sheet names a sheet of an Excel workbook (.xlsx); this data has none").format(path=path)
        )
    if suffix == XLSX_SUFFIX:
        rows = _xlsx_rows(path, limits, sheet)
    elif suffix == ".csv":
        rows = _csv_rows(path, _data_text(path, limits))
    elif suffix in (".yaml", ".yml"):
        rows = _yaml_rows(path, limits)
    elif suffix == ".json":
        rows = _json_rows(path, _data_text(path, limits), limits)
    else:
        raise DocgenError(_("{path}: data must be .csv, .xlsx, .yaml or .json").format(path=path))
    return rows


def _data_text(path: Path, limits: Limits) -> str:
    raw = read_or_refuse(path, limits.max_source_bytes, _("the data"), _(SOURCE_LIMIT_SETTING))
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise DocgenError(
            _("{path}:{line}: the data is not UTF-8 text (save it as UTF-8)").format(path=path, line=line)
        ) from None


def _cell(value: str, where: str) -> str:
    if len(value) > MAX_CELL_CHARS:
        raise DocgenError(
            _(
                "{where}: a value of {value_count:,} characters; values are limited to {MAX_CELL_CHARS:,} characters"
            ).format(where=where, value_count=len(value), MAX_CELL_CHARS=MAX_CELL_CHARS)
        )
    return value


def _csv_rows(path: Path, text: str) -> Rows:
    """The csv module splits the records itself: a quoted cell keeps its line breaks, and a line
    ends only at a line feed or carriage return (not at U+2028, as it does for str.splitlines)."""
    reader = csv.reader(io.StringIO(text, newline=""))
    rows: Rows = []
    try:
        header = next(reader, [])
        if not any(header):
            raise DocgenError(
                _("{path}:1: expected a header line naming the fields (district,date,…)").format(path=path)
            )
        if repeated := next((name for name, count in Counter(header).items() if count > 1), None):
            raise DocgenError(
                _("{path}:1: the header names the field '{repeated}' twice").format(path=path, repeated=repeated)
            )
        start = reader.line_num + 1
        for record in reader:
            if record:  # a blank line is no row
                if len(record) > len(header):
                    raise DocgenError(
                        _("{path}:{start}: this row has {record_count} cells; the header has {header_count}").format(
                            path=path, start=start, record_count=len(record), header_count=len(header)
                        )
                    )
                cells = itertools.zip_longest(header, record, fillvalue="")  # missing cells at the end are empty
                rows.append((start, {name: _cell(value, f"{path}:{start}") for name, value in cells}))
            start = reader.line_num + 1
    except csv.Error as error:  # a cell over the field limit: the line that holds it, and the limit
        raise DocgenError(
            _("{path}:{line_num}: not valid CSV ({error}); values are limited to {MAX_CELL_CHARS:,} characters").format(
                path=path, line_num=reader.line_num, error=error, MAX_CELL_CHARS=MAX_CELL_CHARS
            )
        ) from None
    return rows


def _xlsx_rows(path: Path, limits: Limits, name: str | None) -> Rows:
    """The sheet's first row with anything in it names the fields; each later row with anything in it
    is a row, numbered as Excel numbers it. Values as Excel keeps them: a date as 2024-03-01, 300 as 300."""
    from docgen.files.workbook import MAX_COLUMNS, open_workbook, sheet_rows

    with open_workbook(path, limits) as book:
        names = book.workbook.sheetnames
        sheet = book.sheet(name or names[0]) if names else None
        if sheet is None:
            raise DocgenError(
                _("{path}: no sheet named '{name}' (the workbook has: {names})").format(
                    path=path, name=name, names=", ".join(names)
                )
            )
        header_row, header = next(sheet_rows(sheet, MAX_COLUMNS), (1, ()))
        fields = _xlsx_fields(path, sheet.title, header_row, header)
        rows: Rows = []
        # One column more than the header names: a value there belongs to no field.
        for number, values in sheet_rows(sheet, len(fields) + 1):
            if number > header_row:
                rows.append((number, _xlsx_row(path, sheet.title, number, fields, values)))
    return rows


def _xlsx_row(path: Path, sheet: str, number: int, fields: list[str], values: tuple[object, ...]) -> dict[str, str]:
    from docgen.files.workbook import CellLocation, cell_text

    if len(values) > len(fields) and cell_text(values[len(fields)]).strip():
        where = CellLocation(path, number, len(fields) + 1, sheet)
        raise DocgenError(_("{where}: a value in a column the header row names no field for").format(where=where))
    return {
        name: _cell(cell_text(value), str(CellLocation(path, number, column, sheet)))
        for column, (name, value) in enumerate(zip(fields, values, strict=False), 1)
    }


def _xlsx_fields(path: Path, sheet: str, row: int, header: tuple[object, ...]) -> list[str]:
    """The field names of a header row, each given once, none blank between them."""
    from docgen.files.workbook import CellLocation, cell_text

    names = [cell_text(value).strip() for value in header]
    while names and not names[-1]:
        names.pop()
    if not names:
        raise DocgenError(
            _("{path}: expected a header row naming the fields (district, …)").format(
                path=CellLocation(path, row, 1, sheet)
            )
        )
    for column, name in enumerate(names, 1):
        where = CellLocation(path, row, column, sheet)
        if not name:
            raise DocgenError(_("{where}: this column of the header row names no field").format(where=where))
        if name in names[: column - 1]:
            raise DocgenError(_("{where}: the header names the field '{name}' twice").format(where=where, name=name))
    return names


def _yaml_rows(path: Path, limits: Limits) -> Rows:
    """Read with the source loader's own checks: size before reading, no aliases, nesting."""
    try:
        root = compose_source(path, limits)
    except SourceError as error:
        if error.message == _(EMPTY_SOURCE):
            raise SourceError(error.location, _("the data is empty (expected a list of rows)")) from None
        raise
    if not isinstance(root, yaml.SequenceNode):
        raise SourceError(_at(path, root), _("expected a list of rows (lines starting with '- '), each a mapping"))
    return [(number, _yaml_row(path, node, number)) for number, node in enumerate(root.value, 1)]


def _yaml_row(path: Path, node: yaml.Node, number: int) -> dict[str, str]:
    if not isinstance(node, yaml.MappingNode):
        raise SourceError(_at(path, node), _("row {number} must be a mapping of field to value").format(number=number))
    row: dict[str, str] = {}
    for key, value in node.value:
        if not isinstance(key, yaml.ScalarNode) or key.value in row:
            raise SourceError(_at(path, key), _("row {number}: each field is a name given once").format(number=number))
        if not isinstance(value, yaml.ScalarNode):
            raise SourceError(
                _at(path, value),
                _("row {number}: '{key}' must be one value, not a list or mapping").format(
                    number=number, key=key.value
                ),
            )
        text = "" if value.tag.endswith(":null") else value.value  # the value as written: 1.50, yes, 2024-03-01
        row[key.value] = _cell(text, str(_at(path, value)))
    return row


def _at(path: Path, node: yaml.Node) -> SourceLocation:
    return SourceLocation(path, node.start_mark.line + 1, node.start_mark.column + 1)


def _json_rows(path: Path, text: str, limits: Limits) -> Rows:
    try:
        loaded = json.loads(text)
    except json.JSONDecodeError as error:
        raise DocgenError(
            _("{path}:{lineno}:{colno}: not valid JSON: {msg}").format(
                path=path, lineno=error.lineno, colno=error.colno, msg=error.msg
            )
        ) from None
    except RecursionError:  # the parser recurses: deep nesting is found where it passes the limit
        line = _line_too_deep(text, limits.max_nesting)
        raise DocgenError(
            _("{path}:{line}: nested more than {max_nesting} levels deep").format(
                path=path, line=line, max_nesting=limits.max_nesting
            )
        ) from None
    if not isinstance(loaded, list):
        raise DocgenError(_("{path}: expected a list of rows, each a mapping of field to value").format(path=path))
    return [(number, _json_row(path, row, number)) for number, row in enumerate(loaded, 1)]


def _json_row(path: Path, row: object, number: int) -> dict[str, str]:
    if not isinstance(row, dict):
        raise DocgenError(
            _("{path} row {number}: expected a mapping of field to value").format(path=path, number=number)
        )
    values = {}
    for key, value in row.items():
        if isinstance(value, dict | list):
            raise DocgenError(
                _("{path} row {number}: '{key}' must be one value, not a list or mapping").format(
                    path=path, number=number, key=key
                )
            )
        text = "" if value is None else value if isinstance(value, str) else json.dumps(value)
        values[key] = _cell(text, _("{data} row {number}").format(data=path, number=number))
    return values


def _line_too_deep(text: str, max_nesting: int) -> int:
    """The line of the first bracket nested deeper than ``max_nesting`` (strings skipped)."""
    depth = 0
    for token in re.finditer(r'"(?:[^"\\]|\\.)*"|[\[{\]}]', text):
        depth += {"[": 1, "{": 1, "]": -1, "}": -1}.get(token[0], 0)
        if depth > max_nesting:
            return text.count("\n", 0, token.start()) + 1
    return 1


def name_problem(name: str) -> str | None:
    """Why ``name`` can't be an output file stem, or None."""
    if not name or not name.strip():
        return _("it is empty")
    if "/" in name or "\\" in name or name.startswith(("~", ".")) or ".." in name:
        return _("it would leave the output folder (/, \\, .., or a leading . or ~)")
    if any(unicodedata.category(char).startswith("C") for char in name):
        return _("it contains control characters")
    if len(name) > MAX_NAME:
        return _("it is longer than {MAX_NAME} characters").format(MAX_NAME=MAX_NAME)
    longest = max(longest_temporary_name(name + suffix) for suffix in (STAMP_SUFFIX, *(f".{f}" for f in FORMATS)))
    if longest > NAME_MAX_BYTES:
        room = NAME_MAX_BYTES - (longest - len(name.encode()))
        return _("it is {size} bytes in UTF-8; file names allow {room} for it (a Chinese character is 3)").format(
            size=len(name.encode()), room=room
        )
    return None


def check_names(jobs: list[Job]) -> None:
    """Every output name safe and unique, or one error listing each offender."""
    problems = [f"{job.label}: '{job.name}': {problem}" for job in jobs if (problem := name_problem(job.name))]
    counts = Counter(job.name.casefold() for job in jobs)
    twice = _("{label}: '{name}' is also the name of another document")
    problems += [twice.format(label=job.label, name=job.name) for job in jobs if counts[job.name.casefold()] > 1]
    if problems:
        raise DocgenError(_("output names rejected, nothing was built:") + "\n  " + "\n  ".join(problems))


# ---------------------------------------------------------------- one job (runs in a worker)


@cache
def _profile(path: Path) -> Profile:
    return load_profile(path)


def run_job(job: Job, force: bool = False, formats_in_parallel: bool = False) -> JobResult:
    """Build one job; never raises. Runs in a worker process or on a cluster node, or alone in this
    process, its formats then rendered at once with ``formats_in_parallel``."""
    start = time.perf_counter()
    try:
        profile = _profile(job.profile)
        stamp = job.out_dir / STAMPS / f"{job.name}{STAMP_SUFFIX}"
        inputs = _digest(job, profile)  # before the source is read: one changed meanwhile is built again next time
        document, findings = _document(job, job.limits or profile.limits)
        digest = _with_images(inputs, document)
        if not force and _up_to_date(job, stamp, digest):
            return JobResult(job, "skipped", seconds=time.perf_counter() - start, peak_rss_kb=_peak_rss())
        if findings and job.strict:
            refusal = _strict_refusal(findings, job.label)
            return JobResult(job, "failed", refusal, time.perf_counter() - start, _peak_rss(), source_error=True)
        built = build_files(
            document, profile, job.formats, job.targets(), job.font_dir,
            origin=job.label, allow_unpublishable=job.allow_unpublishable, in_parallel=formats_in_parallel,
        )  # fmt: skip
        notes = [_placed(note, job.label) for note in (*findings, *built)]
        # Not flushed to the disk: a stamp lost in a crash only has its document built again.
        write_atomically(stamp, digest.encode(), durable=False)
        return JobResult(job, "built", seconds=time.perf_counter() - start, peak_rss_kb=_peak_rss(), notes=tuple(notes))
    except DocgenError as error:
        seconds = time.perf_counter() - start
        return JobResult(job, "failed", str(error), seconds, _peak_rss(), source_error=isinstance(error, SourceError))
    except Exception as error:  # a bug must not stop the other documents; it is reported, not raised
        return JobResult(
            job,
            "failed",
            _("internal error: {name}: {error}").format(name=type(error).__name__, error=error),
            time.perf_counter() - start,
        )


def _strict_refusal(findings: list[str], label: str) -> str:
    """The findings one a line, as `docgen lint` prints them: each starts with its file (and line)."""
    listed = "\n".join(_placed(finding, label) for finding in findings)
    found = _("{count} finding(s)").format(count=len(findings))
    return _("lint (--strict) found {found}, nothing was built:\n{listed}").format(found=found, listed=listed)


def _placed(note: str, label: str) -> str:
    """``note`` naming where it comes from, once: a lint finding names its file and line already."""
    return note if note.startswith(f"{label}:") else f"{label}: {note}"


def _peak_rss() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _document(job: Job, limits: Limits) -> tuple[Document, list[str]]:
    """The job's document, and the lint findings of its source (a template row has none of its own); a
    Markdown draft's findings begin with what of it a 公文 cannot hold."""
    if job.row is None:
        # Parsed once, for the document and for lint.
        root, notes = (
            compose_markdown(job.source, limits)
            if is_markdown(job.source)
            else (compose_source(job.source, limits), [])
        )
        findings = [*notes, *(str(finding) for finding in lint_source(job.source, root))]
        return document_from_node(root, job.source, limits), findings
    from docgen.source.template import render_template

    return render_template(job.source, dict(job.row), job.label, limits), []


def _digest(job: Job, profile: Profile) -> hashlib._Hash:
    """Everything the output depends on but the images: docgen, formats, profile, fonts, source, row, limits."""
    digest = hashlib.sha256()
    limits = job.limits or profile.limits
    # The limits too: a lowered limit must refuse a source built before, not skip it.
    for part in (__version__, ",".join(job.formats), _fonts_identity(profile, job), json.dumps(job.row), repr(limits)):
        digest.update(part.encode() + b"\0")
    if job.allow_unpublishable:  # a web notice built when allowed is built (so refused) again when it is not
        digest.update(b"allow-unpublishable\0")
    for path in (profile.source, job.source):
        size = path.stat().st_size if path.is_file() else 0
        # A source over the limit is refused by the loader without being read; so it is here.
        data = path.read_bytes() if 0 < size <= limits.max_source_bytes else b""
        digest.update(f"{size}:".encode() + data)
    return digest


def _with_images(digest: hashlib._Hash, document: Document) -> str:
    """``digest`` completed with the images the document shows, as they were read for it."""
    for image in _images(document):
        digest.update(f"{image.format}:{len(image.data)}:".encode() + image.data)
    return digest.hexdigest()


def _images(document: Document) -> tuple[Image, ...]:
    signer = document.signature.signer
    return (*document.signature.seals, *((signer.seal,) if signer else ()))


def _fonts_identity(profile: Profile, job: Job) -> str:
    """The font files the job is built with (those this process resolved for its documents), as they are now."""
    if not {"pdf", "docx"} & set(job.formats):
        return ""
    try:
        faces = font_metrics(profile, job.font_dir).faces
    except DocgenError:
        return "no fonts"
    return ";".join(_file_identity(face.path) for face in faces.values())


def _file_identity(path: Path) -> str:
    status = path.stat()
    return f"{path}:{status.st_size}:{int(status.st_mtime)}"


def _up_to_date(job: Job, stamp: Path, digest: str) -> bool:
    if not stamp.is_file() or stamp.read_text() != digest:
        return False
    return all(target.is_file() for target in job.targets().values())


# ---------------------------------------------------------------- many jobs


def run_batch(
    jobs: list[Job],
    executor: Executor,
    force: bool = False,
    on_result: Callable[[JobResult], None] | None = None,
    formats_in_parallel: bool = False,
) -> list[JobResult]:
    """Run ``jobs`` on ``executor``; results in the order of ``jobs``. ``formats_in_parallel`` renders
    each job's formats at once (see build_files), for a job that has the machine to itself."""
    for out_dir in {job.out_dir for job in jobs}:  # what a killed run left; a running one's are its own
        remove_stale_temporaries(out_dir)
        remove_stale_temporaries(out_dir / STAMPS)
    futures: dict[Future[JobResult], int] = {
        executor.submit(run_job, job, force, formats_in_parallel): i for i, job in enumerate(jobs)
    }
    results: list[JobResult | None] = [None] * len(jobs)
    for future in as_completed(futures):
        result = future.result()
        results[futures[future]] = result
        if on_result:
            on_result(result)
    return [result for result in results if result is not None]


def summarise(results: list[JobResult], seconds: float) -> Iterator[str]:
    counts = Counter(result.status for result in results)
    yield (
        _("{built} built, {skipped} skipped (unchanged), {failed} failed in {seconds:.1f} s{pace}").format(
            built=counts["built"],
            skipped=counts["skipped"],
            failed=counts["failed"],
            seconds=seconds,
            pace=_pace(counts["built"], seconds),
        )
    )
    for result in results:
        if result.status == "failed":
            yield _("FAILED {message}").format(message=_placed(result.message, result.job.label))


def _pace(built: int, seconds: float) -> str:
    """How fast documents were built, in the unit that reads well: documents a second when
    several are built in a second, else the seconds a document took (never "0.0 documents/s")."""
    if built == 0 or seconds <= 0:
        return ""
    if built > 1 and built >= seconds:
        return _(" ({rate:.1f} documents/s)").format(rate=built / seconds)
    each = seconds / built
    if each >= 0.1:
        return _(" ({seconds:.1f} s a document)").format(seconds=each)
    return _(" ({milliseconds:.0f} ms a document)").format(milliseconds=each * 1000)


class InlineExecutor(Executor):
    """Runs each job at once in this process: one document needs no pool."""

    def submit(self, fn: Callable, /, *args: object, **kwargs: object) -> Future:  # type: ignore[override]
        future: Future = Future()
        future.set_result(fn(*args, **kwargs))
        return future
