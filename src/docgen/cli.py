"""The `docgen` command."""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import click

from docgen import __version__
from docgen.errors import DocgenError, SourceError
from docgen.limits import Limits
from docgen.profile import DEFAULT_PROFILE, Profile, load_profile
from docgen.render import FORMATS

FORMATS_HELP = ", ".join(FORMATS)

EXIT_BAD_INPUT = 2


def _formats(value: str) -> tuple[str, ...]:
    chosen = tuple(part.strip().lower() for part in value.split(",") if part.strip())
    unknown = [part for part in chosen if part not in FORMATS]
    if unknown or not chosen:
        raise click.BadParameter(f"expected a comma-separated list of {', '.join(FORMATS)}, got '{value}'")
    return chosen


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="docgen")
def main() -> None:
    """Build GB/T 9704-2012 official documents (公文) as DOCX and PDF from a YAML source."""


_POSITIVE = click.FloatRange(min=0, min_open=True)


def _limits(profile: Profile, settings: dict) -> Limits:
    """The profile's limits with the --max-… options that were given, and the --image-dir folders."""
    limits = profile.limits.with_settings(
        source_mb=settings["max_source_mb"],
        nesting=settings["max_nesting"],
        image_mb=settings["max_image_mb"],
        image_megapixels=settings["max_image_megapixels"],
    )
    # Resolved here: a job's stamp and its worker then mean the same folders wherever they run from.
    return replace(limits, image_dirs=tuple(folder.resolve() for folder in settings["image_dirs"]))


_ALLOW_UNPUBLISHABLE = click.option(
    "--allow-unpublishable", is_flag=True,
    help="Write the web notice (html) also of a document marked 秘密/机密/绝密 or noted 此件不公开.",
)  # fmt: skip


def _jobs_options(function: Callable) -> Callable:
    """Options shared by `build` and `batch`."""
    options = [
        click.option("-o", "--output", "output_dir", type=click.Path(path_type=Path, file_okay=False),
                     default=Path("out"), show_default=True, help="Folder for the built files."),
        click.option("-f", "--format", "formats", default="docx,pdf", show_default=True,
                     help=f"Comma-separated: {FORMATS_HELP}."),
        click.option("-j", "--jobs", "workers", type=click.IntRange(min=1), default=None,
                     help="Documents built at once (default: every core)."),
        click.option("--force", is_flag=True, help="Rebuild documents whose inputs have not changed."),
        click.option("--dask", "dask_address", metavar="tcp://HOST:PORT", default=None,
                     help="Build on a Dask cluster (pip install 'docgen[dask]'); outputs go to a shared path."),
        click.option("--profile", "profile_path", type=click.Path(path_type=Path, dir_okay=False),
                     default=DEFAULT_PROFILE, help="Layout profile (styles/*.yaml)."),
        click.option("--font-dir", type=click.Path(path_type=Path, file_okay=False), default=None,
                     help="A folder with the office faces (仿宋_GB2312, 方正小标宋简体, …)."),
        click.option("--max-source-mb", type=_POSITIVE, default=None, metavar="MB",
                     help="Refuse a source (or template) larger than this [profile's limits: 20]."),
        click.option("--max-nesting", type=click.IntRange(min=1), default=None, metavar="N",
                     help="Refuse lists and mappings nested deeper than this [profile's limits: 64]."),
        click.option("--max-image-mb", type=_POSITIVE, default=None, metavar="MB",
                     help="Refuse an image file (a seal) larger than this [profile's limits: 5]."),
        click.option("--max-image-megapixels", type=_POSITIVE, default=None, metavar="MP",
                     help="Refuse a PNG or JPEG with more pixels than this [profile's limits: 40]."),
        click.option("--image-dir", "image_dirs", multiple=True, metavar="DIR",
                     type=click.Path(path_type=Path, file_okay=False, exists=True),
                     help="Also take images (seals) from DIR, besides the source's own folder (repeatable)."),
        _ALLOW_UNPUBLISHABLE,
    ]  # fmt: skip
    for option in reversed(options):
        function = option(function)
    return function


@main.command()
@click.argument("sources", nargs=-1, required=True)
@_jobs_options
@click.option("--strict", is_flag=True, help="Fail a document whose source `docgen lint` finds fault with.")
def build(sources: tuple[str, ...], output_dir: Path, formats: str, workers: int | None, force: bool,
          dask_address: str | None, profile_path: Path, font_dir: Path | None, strict: bool,
          allow_unpublishable: bool, **limits: object) -> None:  # fmt: skip
    """Build SOURCES (YAML files, folders of them, or globs) into OUTPUT/<name>.docx, .pdf, .html.

    Nothing is written for a document unless every requested format builds; a document whose
    source, profile, fonts and docgen version are unchanged is skipped (--force rebuilds).
    """
    from docgen.jobs.batch import source_jobs

    try:
        profile = load_profile(profile_path)
        jobs = source_jobs(
            sources, output_dir, _formats(formats), profile_path.resolve(), font_dir, strict, _limits(profile, limits),
            allow_unpublishable,
        )  # fmt: skip
    except DocgenError as error:
        _fail(error)
    _run(jobs, workers, force, dask_address)


@main.command()
@click.argument("template", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--data", "data_path", required=True, type=click.Path(path_type=Path, dir_okay=False),
              help="Rows: .csv or .xlsx (a header row), .yaml or .json (a list of mappings).")  # fmt: skip
@click.option("--sheet", default=None, help="The sheet of an .xlsx --data (default: its first).")
@click.option("--name", "name_pattern", default=None, help='Output names, e.g. "{district}-{row}".')
@_jobs_options
def batch(template: Path, data_path: Path, sheet: str | None, name_pattern: str | None, output_dir: Path, formats: str,
          workers: int | None, force: bool, dask_address: str | None, profile_path: Path,
          font_dir: Path | None, allow_unpublishable: bool, **limits: object) -> None:  # fmt: skip
    """One document per row of --data, from TEMPLATE (a source whose text values use {{ field }})."""
    from docgen.jobs.batch import template_jobs

    try:
        profile = load_profile(profile_path)
        jobs = template_jobs(
            template, data_path, name_pattern, output_dir, _formats(formats), profile_path.resolve(), font_dir,
            _limits(profile, limits), allow_unpublishable, sheet,
        )  # fmt: skip
    except DocgenError as error:
        _fail(error)
    _run(jobs, workers, force, dask_address)


def _run(jobs: list, workers: int | None, force: bool, dask_address: str | None) -> None:
    import os
    import time
    from concurrent.futures import ProcessPoolExecutor

    from docgen.jobs.batch import InlineExecutor, run_batch, summarise
    from docgen.jobs.reporter import Reporter, prepare_fonts

    start = time.perf_counter()
    prepare_fonts(jobs)
    workers = min(workers or os.cpu_count() or 1, len(jobs))
    reporter = Reporter(len(jobs), verbose=len(jobs) == 1)
    with reporter:
        if dask_address:
            results = _run_on_dask(jobs, force, dask_address, reporter.advance)
        elif workers == 1:
            results = run_batch(jobs, InlineExecutor(), force, reporter.advance)
        else:
            with ProcessPoolExecutor(max_workers=workers) as executor:
                results = run_batch(jobs, executor, force, reporter.advance)
    failed = [result for result in results if result.status == "failed"]
    if len(jobs) == 1 and failed:
        _fail(DocgenError(failed[0].message), source=failed[0].source_error)
    for line in summarise(results, time.perf_counter() - start):
        click.echo(line, err=bool(failed))
    if failed:
        sys.exit(1)


def _run_on_dask(jobs: list, force: bool, address: str, on_result: Callable) -> list:
    try:
        from distributed import Client
    except ImportError:
        _fail(DocgenError("--dask needs the Dask extra: pip install 'docgen[dask]'"))
    from docgen.jobs.batch import run_batch

    try:
        client = Client(address, timeout="10s")
    except OSError as error:
        _fail(DocgenError(f"cannot reach the Dask scheduler at {address}: {error}"))
    with client:
        return run_batch(jobs, client.get_executor(pure=False), force, on_result)


@main.command()
@click.option("--profile", "profile_path", type=click.Path(path_type=Path, dir_okay=False), default=DEFAULT_PROFILE)
@click.option("--font-dir", type=click.Path(path_type=Path, file_okay=False), default=None)
def fonts(profile_path: Path, font_dir: Path | None) -> None:
    """Show which font file serves each face, and why."""
    from docgen.layout.fonts import INSTALL_ADVICE, resolve_faces

    try:
        profile = load_profile(profile_path)
        faces = resolve_faces(profile, font_dir)
    except DocgenError as error:
        _fail(error)
    for key, face in faces.items():
        office = " / ".join(profile.faces[key].office) or "(fallback)"
        click.echo(f"{key:13} {office}\n{'':13} → {face.path} [{face.family}]\n{'':13}   {face.reason}")
    if any("stand-in" in face.reason for face in faces.values()):
        click.echo(f"\nFree stand-ins are in use. For the office faces, {INSTALL_ADVICE.split(', or ', 1)[1]}.")


@main.command()
@click.argument("source", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--fix", is_flag=True, help="Mend the mechanical findings in place (comments and key order kept).")
@click.option("--strict", is_flag=True, help="Exit 1 when anything is found.")
def lint(source: Path, fix: bool, strict: bool) -> None:
    """Check SOURCE against GB/T 15834 punctuation, GB/T 15835 numbers and 9704 habits."""
    from docgen.source.lint import apply_fixes, lint_source

    try:
        findings = lint_source(source)
        fixed = apply_fixes(source, findings) if fix else 0
    except DocgenError as error:
        _fail(error)
    for finding in findings:
        click.echo(str(finding))
    summary = f"{len(findings)} finding(s)" + (f", {fixed} fixed in {source}" if fix else "")
    click.echo(summary, err=True)
    if strict and len(findings) > fixed:
        sys.exit(1)


def _regular_files(_context: click.Context, parameter: click.Parameter, value: Path | tuple[Path, ...]) -> object:
    """Refuse a named pipe, device or socket before anything opens it: opening a pipe waits for a
    writer that may never come, and a device such as /dev/zero never ends."""
    for path in value if isinstance(value, tuple) else (value,):
        if path.exists() and not path.is_file():
            raise click.BadParameter(f"'{path}' is not a regular file (a named pipe, device or socket)")
    return value


@main.command("import")
@click.argument("text_file", type=click.Path(path_type=Path, dir_okay=False), callback=_regular_files)
@click.option("-o", "--output", "target", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="Where to write the source (default: beside the text, .yaml).")  # fmt: skip
@click.option("-q", "--quiet", is_flag=True, help="Don't list how each line was classified.")
def import_(text_file: Path, target: Path | None, quiet: bool) -> None:
    """Turn a notice (.docx, or plain text with one paragraph per line) into a docgen source."""
    from docgen.files.atomic import write_atomically
    from docgen.importer.dispatch import import_file

    target = target or text_file.with_suffix(".yaml")
    try:
        result = import_file(text_file)
        write_atomically(target, result.yaml_text(text_file.name).encode("utf-8"))
    except DocgenError as error:
        _fail(error)
    if not quiet:
        for line in result.report:
            click.echo(f"  {line}", err=True)
    unsure = sum("unsure" in line or "guess" in line for line in result.report)
    click.echo(f"wrote {target} ({len(result.report)} decisions, {unsure} of them guesses: see above)")


def _fail(error: DocgenError, source: bool = False) -> None:
    kind = "error in source" if source or isinstance(error, SourceError) else "error"
    click.echo(f"docgen: {kind}: {error}", err=True)
    sys.exit(EXIT_BAD_INPUT)


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path, dir_okay=False, exists=True),
                callback=_regular_files)  # fmt: skip
@click.option("--json", "as_json", is_flag=True, help="Findings as JSON, for machines.")
@click.option("--no-render", is_flag=True, help="DOCX: read the XML only, don't render it with LibreOffice.")
@click.option("--profile", "profile_path", type=click.Path(path_type=Path, dir_okay=False), default=DEFAULT_PROFILE)
def check(files: tuple[Path, ...], as_json: bool, no_render: bool, profile_path: Path) -> None:
    """Measure DOCX, PDF and OFD FILES against GB/T 9704; exit 1 when a required rule fails."""
    import json

    from docgen.check.checker import check_file, has_required_failure

    try:
        profile = load_profile(profile_path)
        results = {path: check_file(path, profile, render_docx=not no_render) for path in files}
    except DocgenError as error:
        _fail(error)
    if as_json:
        report = [{"file": str(path), "findings": [f.as_dict() for f in found]} for path, found in results.items()]
        click.echo(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        for path, found in results.items():
            click.echo(f"{path}: {len(found)} finding(s)" + ("" if found else ", meets every rule checked"))
            for finding in found:
                click.echo(f"  {finding}")
    if any(has_required_failure(found) for found in results.values()):
        sys.exit(1)


@main.command("progress")
@click.argument("ledger_path", metavar="LEDGER", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--as-of", "as_of", type=click.DateTime(["%Y-%m-%d"]), default=None,
              help="The update's day, YYYY-MM-DD (default: the ledger's as_of).")  # fmt: skip
@click.option("--previous", metavar="DATE|FILE", default=None,
              help="The last update: a day of this ledger or an earlier snapshot; adds 本期新完成N项.")  # fmt: skip
@click.option("--table", is_flag=True, help="Attach the 整改台账 table; also write it as OUTPUT/NAME.xlsx.")
@click.option("-o", "--output", "output_dir", type=click.Path(path_type=Path, file_okay=False),
              default=Path("out"), show_default=True, help="Folder for the source and the built files.")  # fmt: skip
@click.option("-f", "--format", "formats", default="docx,pdf", show_default=True,
              help=f"Comma-separated: {FORMATS_HELP}.")  # fmt: skip
@click.option("--name", default=None, help="Output file stem (default: LEDGER-progress-DATE).")
@click.option("--profile", "profile_path", type=click.Path(path_type=Path, dir_okay=False), default=DEFAULT_PROFILE)
@click.option("--font-dir", type=click.Path(path_type=Path, file_okay=False), default=None)
@_ALLOW_UNPUBLISHABLE
def progress_update(ledger_path: Path, as_of: datetime | None, previous: str | None, table: bool, output_dir: Path,
                    formats: str, name: str | None, profile_path: Path, font_dir: Path | None,
                    allow_unpublishable: bool) -> None:  # fmt: skip
    """The progress update (整改进展情况) of LEDGER: written as a source, OUTPUT/NAME.yaml, and built.

    The summary sentence is counted from the ledger; part 二 shows each problem's measures up
    to the update's day. Warnings name the ledger's lines and don't stop the update.
    """
    from docgen.files.atomic import write_all_atomically
    from docgen.jobs.batch import name_problem
    from docgen.jobs.build import build_files
    from docgen.ledger.excel import in_cells, open_ledger, open_previous
    from docgen.ledger.excel_writer import ledger_workbook
    from docgen.ledger.reader import view
    from docgen.ledger.update import make_update, source_text

    chosen = _formats(formats)
    try:
        profile = load_profile(profile_path)
        current = view(open_ledger(ledger_path), as_of.date() if as_of else None)
        update = make_update(current, open_previous(previous, current.ledger) if previous else None, table)
        stem = name or f"{ledger_path.stem}-progress-{current.day}"
        if problem := name_problem(stem):
            raise DocgenError(f"--name '{stem}': {problem}")
        for warning in update.warnings:
            click.echo(f"docgen: warning: {warning}", err=True)
        targets = {fmt: output_dir / f"{stem}.{fmt}" for fmt in chosen}
        notes = build_files(
            update.document, profile, chosen, targets, font_dir,
            origin=str(ledger_path), allow_unpublishable=allow_unpublishable,
        )  # fmt: skip
        # After the build: a refused or failed update leaves nothing behind, its source neither.
        written = {output_dir / f"{stem}.yaml": source_text(update, current).encode("utf-8")}
        if table:
            written[output_dir / f"{stem}.xlsx"] = ledger_workbook(current)
        write_all_atomically(written)
    except DocgenError as error:
        _fail(in_cells(error))  # a workbook's cells, where the update's checks found a fault in one
    for note in notes:
        click.echo(f"docgen: note: {note}", err=True)
    click.echo(update.summary)
    for path in (*written, *targets.values()):
        click.echo(f"wrote {path}")


@main.command("diff")
@click.argument("old")
@click.argument("new")
@click.option("--json", "as_json", is_flag=True, help="The changes as JSON, for machines.")
def diff_ledgers(old: str, new: str, as_json: bool) -> None:
    """What changed in a ledger from OLD to NEW: tasks newly done, overdue tasks, new measures.

    OLD and NEW are ledger files, each read as of its own as_of, or one of them a DATE
    (YYYY-MM-DD): the other ledger as it stood that day.
    """
    import json

    from docgen.ledger.diff import compare
    from docgen.ledger.excel import open_ledger_pair

    try:
        changes = compare(*open_ledger_pair(old, new))
    except DocgenError as error:
        _fail(error)
    if as_json:
        click.echo(json.dumps(changes.as_dict(), ensure_ascii=False, indent=2))
    else:
        click.echo("\n".join(changes.lines()))


if __name__ == "__main__":
    main()
