"""`docgen check`: measure a DOCX, PDF or OFD against GB/T 9704 and say what is off.

PDFs and OFDs are read into a Layout (docgen.measure.pdf and .ofd, the same code the tests use) and
measured by docgen.check.geometry. DOCX files are read statically from their XML (docgen.check.docx) and, when
LibreOffice is installed, also measured from LibreOffice's rendering of them: one LibreOffice run for all
of them, working while the rest is checked.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable, Sequence
from contextlib import ExitStack
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from docgen.check.docx import check_docx
from docgen.check.findings import Finding, Severity, collapse
from docgen.check.pdf import check_pdf
from docgen.errors import DocgenError
from docgen.i18n import _
from docgen.profile import Profile

if TYPE_CHECKING:
    from docgen.measure.office import Rendering


def has_required_failure(findings: Iterable[Finding]) -> bool:
    return any(finding.severity == Severity.REQUIRED for finding in findings)


def check_file(path: Path, profile: Profile, render_docx: bool = True) -> list[Finding]:
    return check_files([path], profile, render_docx)[path]


def check_files(paths: Sequence[Path], profile: Profile, render_docx: bool = True) -> dict[Path, list[Finding]]:
    """Each file's findings. The DOCX files are rendered by one LibreOffice run, started first: it
    works while the PDFs and OFDs, and the DOCX files' XML, are checked here."""
    docx_files = list(dict.fromkeys(path for path in paths if path.suffix.lower() == ".docx"))
    with ExitStack() as stack:
        rendering = _rendering(docx_files, profile, stack) if render_docx and docx_files else None
        found = {path: _findings(path, profile) for path in paths}
        for docx, rendered in (rendering.wait() if rendering else {}).items():
            found[docx].extend(_as_rendered(check_pdf(rendered, profile)))
    return {path: collapse(findings) for path, findings in found.items()}


def _findings(path: Path, profile: Profile) -> list[Finding]:
    """What a file shows by itself: a PDF's or OFD's geometry, a DOCX's XML."""
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        return check_pdf(path, profile)
    if suffix == ".ofd":
        from docgen.check.ofd import check_ofd

        return check_ofd(path, profile)
    if suffix == ".docx":
        return check_docx(path, profile)
    raise DocgenError(_("{path}: docgen check reads .docx, .pdf and .ofd files").format(path=path))


def _rendering(docx_files: list[Path], profile: Profile, stack: ExitStack) -> Rendering | None:
    """LibreOffice started on ``docx_files`` (stopped when ``stack`` closes), if it and the fonts are installed."""
    from docgen.layout.fonts import fontconfig_file, resolve_faces
    from docgen.measure.office import Rendering, libreoffice

    if not libreoffice():
        return None
    try:
        fontconfig = fontconfig_file(profile, resolve_faces(profile))
    except DocgenError:
        return None
    folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="docgen-check-")))
    return stack.enter_context(Rendering(docx_files, fontconfig, folder))


def _as_rendered(findings: list[Finding]) -> list[Finding]:
    rendered_where = _("as LibreOffice renders it, {where}")
    return [replace(finding, where=rendered_where.format(where=finding.where)) for finding in findings]
