"""The `docgen` command."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import click

from docgen import __version__
from docgen.errors import DocgenError, SourceError
from docgen.loader import load_document
from docgen.model import Document
from docgen.output import write_atomically
from docgen.profile import DEFAULT_PROFILE, Profile, load_profile

FORMATS = ("docx", "pdf", "html")
EXIT_BAD_INPUT = 2


def _render_docx(document: Document, profile: Profile, font_dir: Path | None) -> bytes:
    from docgen.metrics import font_metrics
    from docgen.render_docx import render_docx

    try:
        metrics = font_metrics(profile, font_dir)
    except DocgenError as error:
        # A DOCX needs no font files; only the squeezed lines that match the PDF are lost.
        click.echo(f"docgen: note: writing the DOCX without the PDF's line decisions: {error}", err=True)
        metrics = None
    return render_docx(document, profile, metrics)


def _render_pdf(document: Document, profile: Profile, font_dir: Path | None) -> bytes:
    from docgen.render_pdf import render_pdf

    return render_pdf(document, profile, font_dir)


def _render_html(document: Document, profile: Profile, font_dir: Path | None) -> bytes:
    from docgen.render_html import render_html

    return render_html(document, profile)


RENDERERS: dict[str, Callable[[Document, Profile, Path | None], bytes]] = {
    "docx": _render_docx,
    "pdf": _render_pdf,
    "html": _render_html,
}


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


@main.command()
@click.argument("source", type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "-o",
    "--output",
    "output_dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("out"),
    show_default=True,
    help="Folder for the built files.",
)
@click.option(
    "-f", "--format", "formats", default="docx,pdf", show_default=True, help="Comma-separated: docx, pdf, html."
)
@click.option(
    "--profile",
    "profile_path",
    type=click.Path(path_type=Path, dir_okay=False),
    default=DEFAULT_PROFILE,
    help="Layout profile (styles/*.yaml).",
)
@click.option(
    "--font-dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="A folder with the office faces (仿宋_GB2312, 方正小标宋简体, …).",
)
def build(source: Path, output_dir: Path, formats: str, profile_path: Path, font_dir: Path | None) -> None:
    """Build SOURCE (YAML) into OUTPUT/<name>.docx and .pdf.

    Nothing is written unless every requested format builds.
    """
    chosen = _formats(formats)
    try:
        document = load_document(source)
        profile = load_profile(profile_path)
        built = {fmt: RENDERERS[fmt](document, profile, font_dir) for fmt in chosen}
        for fmt, data in built.items():
            target = output_dir / f"{source.stem}.{fmt}"
            write_atomically(target, data)
            click.echo(f"wrote {target} ({len(data):,} bytes)")
    except DocgenError as error:
        _fail(error)


@main.command()
@click.option("--profile", "profile_path", type=click.Path(path_type=Path, dir_okay=False), default=DEFAULT_PROFILE)
@click.option("--font-dir", type=click.Path(path_type=Path, file_okay=False), default=None)
def fonts(profile_path: Path, font_dir: Path | None) -> None:
    """Show which font file serves each face, and why."""
    from docgen.fonts import INSTALL_ADVICE, resolve_faces

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


def _fail(error: DocgenError) -> None:
    kind = "error in source" if isinstance(error, SourceError) else "error"
    click.echo(f"docgen: {kind}: {error}", err=True)
    sys.exit(EXIT_BAD_INPUT)


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path, dir_okay=False, exists=True))
@click.option("--json", "as_json", is_flag=True, help="Findings as JSON, for machines.")
@click.option("--no-render", is_flag=True, help="DOCX: read the XML only, don't render it with LibreOffice.")
@click.option("--profile", "profile_path", type=click.Path(path_type=Path, dir_okay=False), default=DEFAULT_PROFILE)
def check(files: tuple[Path, ...], as_json: bool, no_render: bool, profile_path: Path) -> None:
    """Measure DOCX and PDF FILES against GB/T 9704; exit 1 when a required rule fails."""
    import json

    from docgen.check import check_file, has_required_failure

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
