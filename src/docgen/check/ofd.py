"""`docgen check` of an OFD: read into the same Layout a PDF gives (docgen.measure.ofd), within the
PDF's budget, and checked by the same geometry; a font named but not embedded is a finding."""

from __future__ import annotations

from pathlib import Path

from docgen.check.findings import Finding
from docgen.check.geometry import check_layout
from docgen.check.pdf import budget_for, unembedded_font
from docgen.files import bounded
from docgen.files.bounded import Budget
from docgen.i18n import _
from docgen.measure.ofd import OfdReading, read_ofd
from docgen.profile import Profile


def check_ofd(path: Path, profile: Profile, budget: Budget | None = None) -> list[Finding]:
    reading: OfdReading = bounded.call(
        read_ofd, path, budget=budget or budget_for(path), failure=_("{path}: too complex to check").format(path=path)
    )
    fonts = [unembedded_font(name, _("the document's fonts")) for name in reading.unembedded_fonts]
    return [*check_layout(reading.layout, profile), *fonts]
