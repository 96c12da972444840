"""The `docgen` command."""

from __future__ import annotations

import gc
import sys
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import click

from docgen import __version__
from docgen.errors import DocgenError, SourceError
from docgen.i18n import LANGUAGES, N_, _, language_from_environment, speak
from docgen.limits import Limits
from docgen.profile import DEFAULT_PROFILE, Profile, load_profile
from docgen.render import FORMATS
from docgen.source.starters import KINDS as STARTER_KINDS
from docgen.text.cjk import terminal_columns, terminal_lines

FORMATS_HELP = ", ".join(FORMATS)

EXIT_BAD_INPUT = 2


def _formats(value: str) -> tuple[str, ...]:
    chosen = tuple(part.strip().lower() for part in value.split(",") if part.strip())
    unknown = [part for part in chosen if part not in FORMATS]
    if unknown or not chosen:
        message = _("expected a comma-separated list of {formats}, got '{value}'")
        raise click.BadParameter(message.format(formats=FORMATS_HELP, value=value))
    return chosen


class _Docgen(click.Group):
    """docgen's group: each run speaks the language its environment asks for, unless --lang says."""

    def make_context(self, info_name: str | None, args: list[str], parent: click.Context | None = None,
                     **extra: object) -> click.Context:  # fmt: skip
        speak(language_from_environment(), self)  # before any --help, which is shown before --lang is read
        return super().make_context(info_name, args, parent, **extra)


def _speak(_context: click.Context, _parameter: click.Parameter, value: str | None) -> None:
    if value:
        speak(value, main)


@click.group(cls=_Docgen, context_settings={"help_option_names": ["-h", "--help"]},
             help=N_("Build GB/T 9704-2012 official documents (公文) as DOCX and PDF from a YAML source."))  # fmt: skip
@click.version_option(__version__, prog_name="docgen")
@click.option("--lang", type=click.Choice(LANGUAGES), default=None, is_eager=True, expose_value=False,
              callback=_speak, help=N_("Language of messages and help: zh (the default) or en."))  # fmt: skip
def main() -> None:
    """The commands below; click shows the help given above, in the run's language."""


_click_wrap_text = click.formatting.wrap_text


def _wrap_by_columns(
    text: str, width: int = 78, initial_indent: str = "", subsequent_indent: str = "", preserve_paragraphs: bool = False
) -> str:
    """click's wrap_text, but Chinese help wraps at the terminal's width: click measured characters (a
    Chinese one takes two columns) and broke only at spaces."""
    if terminal_columns(text) == len(text):
        return _click_wrap_text(text, width, initial_indent, subsequent_indent, preserve_paragraphs)
    paragraphs = text.split("\n\n") if preserve_paragraphs else [text]
    lines = (terminal_lines(part.replace("\n", " "), width, initial_indent, subsequent_indent) for part in paragraphs)
    return "\n\n".join(lines)


click.formatting.wrap_text = _wrap_by_columns  # the one function click's help formatter wraps text with
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
    help=N_("Write the web notice (html) also of a document marked 秘密/机密/绝密 or noted 此件不公开."),
)  # fmt: skip


def _jobs_options(function: Callable) -> Callable:
    """Options shared by `build` and `batch`."""
    options = [
        click.option("-o", "--output", "output_dir", type=click.Path(path_type=Path, file_okay=False),
                     default=Path("out"), show_default=True, help=N_("Folder for the built files.")),
        click.option("-f", "--format", "formats", default="docx,pdf", show_default=True,
                     help=N_("Comma-separated: docx, pdf, html, ofd.")),
        click.option("-j", "--jobs", "workers", type=click.IntRange(min=1), default=None,
                     help=N_("Documents built at once (default: every core).")),
        click.option("--force", is_flag=True, help=N_("Rebuild documents whose inputs have not changed.")),
        click.option("--dask", "dask_address", metavar="tcp://HOST:PORT", default=None,
                     help=N_("Build on a Dask cluster (pip install 'docgen[dask]'); outputs go to a shared path.")),
        click.option("--profile", "profile_path", type=click.Path(path_type=Path, dir_okay=False),
                     default=DEFAULT_PROFILE, help=N_("Layout profile (styles/*.yaml).")),
        click.option("--font-dir", type=click.Path(path_type=Path, file_okay=False), default=None,
                     help=N_("A folder with the office faces (仿宋_GB2312, 方正小标宋简体, …).")),
        click.option("--max-source-mb", type=_POSITIVE, default=None, metavar="MB",
                     help=N_("Refuse a source (or template) larger than this [profile's limits: 20].")),
        click.option("--max-nesting", type=click.IntRange(min=1), default=None, metavar="N",
                     help=N_("Refuse lists and mappings nested deeper than this [profile's limits: 64].")),
        click.option("--max-image-mb", type=_POSITIVE, default=None, metavar="MB",
                     help=N_("Refuse an image file (a seal) larger than this [profile's limits: 5].")),
        click.option("--max-image-megapixels", type=_POSITIVE, default=None, metavar="MP",
                     help=N_("Refuse a PNG or JPEG with more pixels than this [profile's limits: 40].")),
        click.option("--image-dir", "image_dirs", multiple=True, metavar="DIR",
                     type=click.Path(path_type=Path, file_okay=False, exists=True),
                     help=N_("Also take images (seals) from DIR, besides the source's own folder (repeatable).")),
        _ALLOW_UNPUBLISHABLE,
    ]  # fmt: skip
    for option in reversed(options):
        function = option(function)
    return function


@main.command(
    help=N_(
        "Build SOURCES (YAML files, folders of them, or globs) into OUTPUT/<name>.docx, .pdf, .html.\n\n"
        "Nothing is written for a document unless every requested format builds; a document whose source, profile, "
        "fonts and docgen version are unchanged is skipped (--force rebuilds)."
    )
)
@click.argument("sources", nargs=-1, required=True)
@_jobs_options
@click.option("--strict", is_flag=True, help=N_("Fail a document whose source `docgen lint` finds fault with."))
def build(sources: tuple[str, ...], output_dir: Path, formats: str, workers: int | None, force: bool,
          dask_address: str | None, profile_path: Path, font_dir: Path | None, strict: bool,
          allow_unpublishable: bool, **limits: object) -> None:  # fmt: skip
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


@main.command(help=N_("One document per row of --data, from TEMPLATE (a source whose text values use {{ field }})."))
@click.argument("template", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--data", "data_path", required=True, type=click.Path(path_type=Path, dir_okay=False),
              help=N_("Rows: .csv or .xlsx (a header row), .yaml or .json (a list of mappings)."))  # fmt: skip
@click.option("--sheet", default=None, help=N_("The sheet of an .xlsx --data (default: its first)."))
@click.option("--name", "name_pattern", default=None, help=N_('Output names, e.g. "{district}-{row}".'))
@_jobs_options
def batch(template: Path, data_path: Path, sheet: str | None, name_pattern: str | None, output_dir: Path, formats: str,
          workers: int | None, force: bool, dask_address: str | None, profile_path: Path,
          font_dir: Path | None, allow_unpublishable: bool, **limits: object) -> None:  # fmt: skip
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
            # One document alone renders its formats on the cores a pool would have used.
            alone = len(jobs) == 1
            results = run_batch(jobs, InlineExecutor(), force, reporter.advance, formats_in_parallel=alone)
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
        _fail(DocgenError(_("--dask needs the Dask extra: pip install 'docgen[dask]'")))
    from docgen.jobs.batch import run_batch

    try:
        client = Client(address, timeout="10s")
    except OSError as error:
        message = _("cannot reach the Dask scheduler at {address}: {error}")
        _fail(DocgenError(message.format(address=address, error=error)))
    with client:
        return run_batch(jobs, client.get_executor(pure=False), force, on_result)


@main.command(help=N_("Show which font file serves each face, and why."))
@click.option("--profile", "profile_path", type=click.Path(path_type=Path, dir_okay=False), default=DEFAULT_PROFILE)
@click.option("--font-dir", type=click.Path(path_type=Path, file_okay=False), default=None)
def fonts(profile_path: Path, font_dir: Path | None) -> None:
    from docgen.layout.fonts import resolve_faces

    try:
        profile = load_profile(profile_path)
        faces = resolve_faces(profile, font_dir)
    except DocgenError as error:
        _fail(error)
    for key, face in faces.items():
        office = " / ".join(profile.faces[key].office) or _("(fallback)")
        click.echo(f"{key:13} {office}\n{'':13} → {face.path} [{face.family}]\n{'':13}   {face.reason}")
    if any(face.family not in profile.faces[key].office for key, face in faces.items()):
        advice = _("Free stand-ins are in use. For the office faces, put them in a folder and pass --font-dir.")
        click.echo(f"\n{advice}")


@main.command(help=N_("Check SOURCE against GB/T 15834 punctuation, GB/T 15835 numbers and 9704 habits."))
@click.argument("source", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--fix", is_flag=True, help=N_("Mend the mechanical findings in place (comments and key order kept)."))
@click.option("--strict", is_flag=True, help=N_("Exit 1 when anything is found."))
def lint(source: Path, fix: bool, strict: bool) -> None:
    from docgen.source.lint import apply_fixes, lint_source

    try:
        findings = lint_source(source)
        fixed = apply_fixes(source, findings) if fix else 0
    except DocgenError as error:
        _fail(error)
    for finding in findings:
        click.echo(str(finding))
    summary = _("{count} finding(s)").format(count=len(findings))
    if fix:
        summary += _(", {fixed} fixed in {source}").format(fixed=fixed, source=source)
    click.echo(summary, err=True)
    if strict and len(findings) > fixed:
        sys.exit(1)


def _regular_files(_context: click.Context, parameter: click.Parameter, value: Path | tuple[Path, ...]) -> object:
    """Refuse a named pipe, device or socket before anything opens it: opening a pipe waits for a
    writer that may never come, and a device such as /dev/zero never ends."""
    for path in value if isinstance(value, tuple) else (value,):
        if path.exists() and not path.is_file():
            message = _("'{path}' is not a regular file (a named pipe, device or socket)")
            raise click.BadParameter(message.format(path=path))
    return value


@main.command(
    "import", help=N_("Turn a notice (.docx, or plain text with one paragraph per line) into a docgen source.")
)
@click.argument("text_file", type=click.Path(path_type=Path, dir_okay=False), callback=_regular_files)
@click.option("-o", "--output", "target", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help=N_("Where to write the source (default: beside the text, .yaml)."))  # fmt: skip
@click.option("-q", "--quiet", is_flag=True, help=N_("Don't list how each line was classified."))
@click.option("--keys", "key_names", type=click.Choice(["en", "zh"]), default="en", show_default=True,
              help=N_("Name the source's keys in English (title, …) or in Chinese (标题, …)."))  # fmt: skip
def import_(text_file: Path, target: Path | None, quiet: bool, key_names: str) -> None:
    from docgen.files.atomic import write_atomically
    from docgen.importer.dispatch import import_file

    target = target or text_file.with_suffix(".yaml")
    try:
        result = import_file(text_file).named_in(key_names)
        write_atomically(target, result.yaml_text(text_file.name).encode("utf-8"))
    except DocgenError as error:
        _fail(error)
    if not quiet:
        for line in result.report:
            click.echo(f"  {line}", err=True)
    summary = _("wrote {target} ({decisions} decisions, {unsure} of them guesses: see above)")
    click.echo(summary.format(target=target, decisions=len(result.report), unsure=result.guesses()))


def _fail(error: DocgenError, source: bool = False) -> None:
    kind = _("error in source") if source or isinstance(error, SourceError) else _("error")
    click.echo(f"docgen: {kind}: {error}", err=True)
    sys.exit(EXIT_BAD_INPUT)


@main.command(help=N_("Measure DOCX, PDF and OFD FILES against GB/T 9704; exit 1 when a required rule fails."))
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path, dir_okay=False, exists=True),
                callback=_regular_files)  # fmt: skip
@click.option("--json", "as_json", is_flag=True, help=N_("Findings as JSON, for machines."))
@click.option("--no-render", is_flag=True, help=N_("DOCX: read the XML only, don't render it with LibreOffice."))
@click.option("--profile", "profile_path", type=click.Path(path_type=Path, dir_okay=False), default=DEFAULT_PROFILE)
def check(files: tuple[Path, ...], as_json: bool, no_render: bool, profile_path: Path) -> None:
    import json

    from docgen.check.checker import check_files, has_required_failure

    try:
        profile = load_profile(profile_path)
        results = check_files(list(files), profile, render_docx=not no_render)  # one LibreOffice for the DOCX files
    except DocgenError as error:
        _fail(error)
    if as_json:
        report = [{"file": str(path), "findings": [f.as_dict() for f in found]} for path, found in results.items()]
        click.echo(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        for path, found in results.items():
            count = _("{count} finding(s)").format(count=len(found))
            click.echo(f"{path}: {count}" + ("" if found else _(", meets every rule checked")))
            for finding in found:
                click.echo(f"  {finding}")
    if any(has_required_failure(found) for found in results.values()):
        sys.exit(1)


@main.command(
    "progress",
    help=N_(
        "The progress update (整改进展情况) of LEDGER: written as a source, OUTPUT/NAME.yaml, and built.\n\n"
        "The summary sentence is counted from the ledger; part 二 shows each problem's measures up to the "
        "update's day. "
        "Warnings name the ledger's lines and don't stop the update."
    ),
)
@click.argument("ledger_path", metavar="LEDGER", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--as-of", "as_of", type=click.DateTime(["%Y-%m-%d"]), default=None,
              help=N_("The update's day, YYYY-MM-DD (default: the ledger's as_of)."))  # fmt: skip
@click.option("--previous", metavar="DATE|FILE", default=None,
              help=N_("The last update: a day of this ledger or an earlier snapshot; adds 本期新完成N项."))  # fmt: skip
@click.option("--table", is_flag=True, help=N_("Attach the 整改台账 table; also write it as OUTPUT/NAME.xlsx."))
@click.option("-o", "--output", "output_dir", type=click.Path(path_type=Path, file_okay=False),
              default=Path("out"), show_default=True,
              help=N_("Folder for the source and the built files."))  # fmt: skip
@click.option("-f", "--format", "formats", default="docx,pdf", show_default=True,
              help=N_("Comma-separated: docx, pdf, html, ofd."))  # fmt: skip
@click.option("--name", default=None, help=N_("Output file stem (default: LEDGER-progress-DATE)."))
@click.option("--profile", "profile_path", type=click.Path(path_type=Path, dir_okay=False), default=DEFAULT_PROFILE)
@click.option("--font-dir", type=click.Path(path_type=Path, file_okay=False), default=None)
@_ALLOW_UNPUBLISHABLE
def progress_update(ledger_path: Path, as_of: datetime | None, previous: str | None, table: bool, output_dir: Path,
                    formats: str, name: str | None, profile_path: Path, font_dir: Path | None,
                    allow_unpublishable: bool) -> None:  # fmt: skip
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
            click.echo(_("docgen: warning: {warning}").format(warning=warning), err=True)
        targets = {fmt: output_dir / f"{stem}.{fmt}" for fmt in chosen}
        notes = build_files(
            update.document, profile, chosen, targets, font_dir,
            origin=str(ledger_path), allow_unpublishable=allow_unpublishable, in_parallel=True,
        )  # fmt: skip
        # After the build: a refused or failed update leaves nothing behind, its source neither.
        written = {output_dir / f"{stem}.yaml": source_text(update, current).encode("utf-8")}
        if table:
            written[output_dir / f"{stem}.xlsx"] = ledger_workbook(current)
        write_all_atomically(written)
    except DocgenError as error:
        _fail(in_cells(error))  # a workbook's cells, where the update's checks found a fault in one
    for note in notes:
        click.echo(_("docgen: note: {note}").format(note=note), err=True)
    click.echo(update.summary)
    for path in (*written, *targets.values()):
        click.echo(_("wrote {path}").format(path=path))


@main.command(
    "diff",
    help=N_(
        "What changed in a ledger from OLD to NEW: tasks newly done, overdue tasks, new measures.\n\n"
        "OLD and NEW are ledger files, each read as of its own as_of, or one of them a DATE (YYYY-MM-DD): "
        "the other ledger as it stood that day."
    ),
)
@click.argument("old")
@click.argument("new")
@click.option("--json", "as_json", is_flag=True, help=N_("The changes as JSON, for machines."))
def diff_ledgers(old: str, new: str, as_json: bool) -> None:
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


@main.command(
    "schema",
    help=N_(
        "Print the JSON Schema of a source (draft-07), for editors: save it, e.g. as docgen.schema.json, and "
        "name it in yaml.schemas (VS Code) or a '# yaml-language-server: $schema=docgen.schema.json' line."
    ),
)
def schema_() -> None:
    from docgen.source.schema import schema_text

    click.echo(schema_text(), nl=False)


@main.command(
    "new",
    help=N_(
        "Write a commented starter source for KIND (通知, 通报, 请示, 报告, 函, 纪要, 命令, 意见, 转发通知, "
        "or 整改进展: a ledger for `docgen progress`) to FILE (default: KIND.yaml); it builds as it is. "
        "An existing file is never overwritten."
    ),
)
@click.argument("kind", type=click.Choice(list(STARTER_KINDS)))
@click.option("-o", "--output", "target", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help=N_("Where to write the starter (default: KIND.yaml here)."))  # fmt: skip
@click.option("--keys", "key_language", type=click.Choice(["zh", "en"]), default="zh", show_default=True,
              help=N_("The language of the source's keys (标题 or title); a ledger's keys are English."))  # fmt: skip
def new(kind: str, target: Path | None, key_language: str) -> None:
    from docgen.source.starters import LEDGER, write_starter

    target = target or Path(f"{kind}.yaml")
    try:
        write_starter(kind, target, key_language)
    except DocgenError as error:
        _fail(error)
    command = "progress" if kind == LEDGER else "build"
    click.echo(
        _("wrote {target}; edit its texts, then: docgen {command} {target}").format(target=target, command=command)
    )


@main.command(
    help=N_(
        "Serve docgen as a web page: paste, upload or write a notice, see its pages as you type, download "
        "DOCX, PDF, OFD and the web notice, and make a 整改进展 update from a ledger.\n\n"
        "It binds 127.0.0.1 (this machine only) unless --host says otherwise; any other host needs --token "
        "(or --auth-proxy-header behind an authenticating proxy). Nothing is sent anywhere else."
    )
)
@click.option("--host", default="127.0.0.1", show_default=True, help=N_("The address to listen on."))
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True)
@click.option("--workdir", type=click.Path(path_type=Path, file_okay=False), default=None,
              help=N_("Folder for the jobs' files (default: a new temporary folder, removed at the end)."))  # fmt: skip
@click.option("--token", default=None, envvar="DOCGEN_SERVE_TOKEN",
              help=N_("A secret every request must carry; open …/?token=TOKEN once in the browser."))  # fmt: skip
@click.option("--auth-proxy-header", default=None, metavar="HEADER",
              help=N_("Serve only requests with HEADER (X-Forwarded-User…), set by an auth proxy."))  # fmt: skip
@click.option("--workers", type=click.IntRange(1, 64), default=None, help=N_("Worker processes [default: the cores]."))
@click.option("--time-limit", type=_POSITIVE, default=60, show_default=True, metavar="SECONDS",
              help=N_("Stop any one job (a preview, a check, a download) that takes longer."))  # fmt: skip
@click.option("--max-upload-mb", type=_POSITIVE, default=20, show_default=True, metavar="MB",
              help=N_("Refuse an upload or a request larger than this."))  # fmt: skip
@click.option("--profile", "profile_path", type=click.Path(path_type=Path, dir_okay=False), default=DEFAULT_PROFILE)
@click.option("--font-dir", type=click.Path(path_type=Path, file_okay=False), default=None)
@click.option("--image-dir", "image_dirs", multiple=True, metavar="DIR",
              type=click.Path(path_type=Path, file_okay=False, exists=True),
              help=N_("Images (seals) sources may name, from DIR (repeatable); none otherwise."))  # fmt: skip
def serve(host: str, port: int, workdir: Path | None, token: str | None, auth_proxy_header: str | None,
          workers: int | None, time_limit: float, max_upload_mb: float, profile_path: Path, font_dir: Path | None,
          image_dirs: tuple[Path, ...]) -> None:  # fmt: skip
    import os
    import tempfile

    import uvicorn

    from docgen.limits import MiB
    from docgen.serve.app import Config, create_app
    from docgen.serve.guard import Rules, is_loopback
    from docgen.serve.work import DEFAULT_MEMORY, Settings

    loopback = is_loopback(host)
    if not loopback and not (token or auth_proxy_header):
        needs = _(
            "--host {host} lets other machines in: give --token SECRET (e.g. --token $(openssl rand -hex 16)), "
            "or --auth-proxy-header HEADER behind a proxy that authenticates"
        )
        _fail(DocgenError(needs.format(host=host)))
    try:
        profile = load_profile(profile_path)
    except DocgenError as error:
        _fail(error)
    limits = replace(profile.limits, image_dirs=tuple(folder.resolve() for folder in image_dirs))
    settings = Settings(profile_path.resolve(), font_dir, limits, time_limit, DEFAULT_MEMORY)
    rules = Rules(loopback, token, auth_proxy_header, int(max_upload_mb * MiB))
    # Under a --workdir, a folder of the server's own: it empties it at the start and removes it at the end.
    root = workdir.resolve() / "docgen-serve" if workdir else Path(tempfile.mkdtemp(prefix="docgen-serve-"))
    config = Config(settings, rules, root, workers or os.cpu_count() or 1)
    shown_host = f"[{host}]" if ":" in host else host
    address = f"http://{shown_host}:{port}/" + (f"?token={token}" if token else "")
    click.echo(_("docgen serve: open {address} in a browser (Ctrl+C stops it)").format(address=address), err=True)
    uvicorn.run(create_app(config), host=host, port=port, log_level="warning", server_header=False)


def run() -> None:
    """The docgen program (its console script): ``main``, and then out without the interpreter's last
    collection, which walked every object a build made (the fonts' tables, the laid-out pages) and took
    longer than painting a page. Files are closed and atexit's handlers run as ever."""
    try:
        main()
    finally:
        gc.freeze()  # the objects left are the interpreter's to free, not to search for cycles


if __name__ == "__main__":
    run()
