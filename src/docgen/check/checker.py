"""`docgen check`: measure a DOCX, PDF or OFD against GB/T 9704 and say what is off.

PDFs and OFDs are read into a Layout (docgen.measure.pdf and .ofd, the same code the tests use) and
measured by docgen.check.geometry. DOCX files are read statically from their XML (docgen.check.docx) and, when
LibreOffice is installed, also measured from LibreOffice's rendering of them.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path

from docgen.check.docx import check_docx
from docgen.check.findings import Finding, Severity, collapse
from docgen.check.pdf import check_pdf
from docgen.errors import DocgenError
from docgen.i18n import _
from docgen.profile import Profile


def has_required_failure(findings: Iterable[Finding]) -> bool:
    return any(finding.severity == Severity.REQUIRED for finding in findings)


def check_file(path: Path, profile: Profile, render_docx: bool = True) -> list[Finding]:
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        return collapse(check_pdf(path, profile))
    if suffix == ".ofd":
        from docgen.check.ofd import check_ofd

        return collapse(check_ofd(path, profile))
    if suffix == ".docx":
        findings = check_docx(path, profile)
        if render_docx:
            findings.extend(_check_rendered_docx(path, profile))
        return collapse(findings)
    raise DocgenError(_("{path}: docgen check reads .docx, .pdf and .ofd files").format(path=path))


def _check_rendered_docx(path: Path, profile: Profile) -> list[Finding]:
    from docgen.layout.fonts import fontconfig_file, resolve_faces
    from docgen.measure.office import libreoffice, render_with_libreoffice

    if not libreoffice():
        return []
    try:
        fontconfig = fontconfig_file(profile, resolve_faces(profile))
    except DocgenError:
        return []
    with tempfile.TemporaryDirectory(prefix="docgen-check-") as folder:
        rendered = render_with_libreoffice(path, fontconfig, Path(folder))
        findings = check_pdf(rendered, profile)
    rendered_where = _("as LibreOffice renders it, {where}")
    return [replace(finding, where=rendered_where.format(where=finding.where)) for finding in findings]
