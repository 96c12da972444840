"""The rules the fixed-layout check (a PDF's geometry) and the DOCX check both apply, each worded once.

Each figure comes from the profile; only the tolerances are fixed here, the standard's own where it
gives one.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from docgen.check.findings import Finding, Severity
from docgen.i18n import N_, _, ngettext
from docgen.profile import Profile
from docgen.roles import Role
from docgen.text.numbering import chinese_numeral
from docgen.text.rules import date_problems, document_number_problem

MARGIN_TOLERANCE_MM = 1.0  # 5.2.2: 天头 37 mm ± 1 mm, 订口 28 mm ± 1 mm
PAPER_TOLERANCE_MM = 1.0  # 5.2.1 gives A4's 210 × 297 mm with none: a measurement's rounding
_ON_FIGURE_MM = 0.5  # a margin nearer its figure than this is on it
_SHOWN_ROUNDING_MM = 0.05  # a margin is reported to 0.1 mm: 38.04 mm reads 38.0, inside 37 ± 1
_A4_MM = (210, 297)  # GB/T 148's A4, the paper 5.2.1 names
PAGE_NUMBER_FORM = "— N —"  # 7.5: the number between two 一字线
NO_BOLD = N_("no bold: headings differ by face (黑体, 楷体), not weight")  # 7.3.3 names faces, never a weight
# The 号 of Chinese type the standard sizes text in (7.1: 3号; 7.3.2: 2号), in points.
_NAMED_SIZES = {
    42: "初号", 36: "小初", 26: "1号", 24: "小1号", 22: "2号", 18: "小2号",
    16: "3号", 15: "小3号", 14: "4号", 12: "小4号", 10.5: "5号", 9: "小5号",
}  # fmt: skip


def block_bottom_mm(profile: Profile) -> float:
    """The text block's lower edge, down from the page's top."""
    return profile.page.height_mm - profile.page.bottom_mm


def named_size(size_pt: float, face: str = "") -> str:
    """A size as the standard gives it: "16 pt (3号)", "16 pt (3号仿宋)" with ``face``; a size with no
    号 is given in points alone."""
    name = _NAMED_SIZES.get(size_pt)
    return f"{size_pt:g} pt ({name}{face})" if name else f"{size_pt:g} pt"


def characters(count: float) -> str:
    """A distance in characters, as the standard counts it: "1 character", "2 characters"."""
    return ngettext("{count:g} character", "{count:g} characters", 1 if count == 1 else 2).format(count=count)


def in_chinese(count: float) -> str:
    """A count as the standard writes it in a clause's words (右空四字): 4 → 四."""
    return chinese_numeral(int(count)) if count >= 1 and float(count).is_integer() else f"{count:g}"


def expected_paper(profile: Profile) -> str:
    size = (profile.page.width_mm, profile.page.height_mm)
    name = "A4, " if size == _A4_MM else ""
    return f"{name}{size[0]:g} × {size[1]:g} mm"


def paper_finding(where: str, width_mm: float, height_mm: float, profile: Profile) -> Finding | None:
    """5.2.1: the page is the profile's paper, to PAPER_TOLERANCE_MM."""
    page = profile.page
    if abs(width_mm - page.width_mm) <= PAPER_TOLERANCE_MM and abs(height_mm - page.height_mm) <= PAPER_TOLERANCE_MM:
        return None
    measured = f"{width_mm:.0f} × {height_mm:.0f} mm"
    return Finding("5.2.1", Severity.REQUIRED, _("paper size"), where, measured, expected_paper(profile))


def expected_margin(expected_mm: float) -> str:
    return f"{expected_mm:g} mm ± {MARGIN_TOLERANCE_MM:g}"


def margin_finding(name: str, where: str, measured_mm: float, expected_mm: float) -> Finding | None:
    """Outside the standard's ±1 mm: required; off the figure by over 0.5 mm but inside it: recommended."""
    off = abs(measured_mm - expected_mm)
    if off <= _ON_FIGURE_MM:
        return None
    outside = off > MARGIN_TOLERANCE_MM + _SHOWN_ROUNDING_MM
    severity = Severity.REQUIRED if outside else Severity.RECOMMENDED
    return Finding(
        "5.2.2",
        severity,
        name,
        where,
        f"{measured_mm:.1f} mm",
        expected_margin(expected_mm),
    )


def body_size_finding(where: str, size_pt: float, profile: Profile) -> Finding:
    """7.1: the body is in the profile's body size (3号)."""
    expected = named_size(profile.roles[Role.BODY].size_pt)
    return Finding("7.1", Severity.REQUIRED, _("body size"), where, f"{size_pt:g} pt", expected)


def bold_finding(where: str, text: str) -> Finding:
    return Finding("7.3.3", Severity.RECOMMENDED, _("bold text"), where, text[:16] + "…", _(NO_BOLD))


def centred_signature_finding(where: str, profile: Profile) -> Finding:
    """7.3.5.2: a signature centred over its date, where the clause sets them off from the right."""
    rules = profile.signature
    expected = _("signature {indent} in from the right, date {offset} right of its start").format(
        indent=characters(rules.right_indent_chars), offset=characters(rules.date_offset_chars)
    )
    return Finding("7.3.5.2", Severity.REQUIRED, _("signature centred over the date"), where, _("centred"), expected)


def page_number_text_finding(where: str, text: str, problem: str) -> Finding:
    return Finding(
        "7.5", Severity.NORMALLY, _("page number text"), where, f"{text.strip()}: {problem}", PAGE_NUMBER_FORM
    )


def text_findings(lines: Iterable[tuple[str, str]]) -> Iterator[Finding]:
    """The rules read off the text alone, for each (where, text): the date (7.3.5.4), the 发文字号 (7.2.4)."""
    for where, text in lines:
        for problem in date_problems(text):
            fix = problem.fix or problem.expected
            yield Finding("7.3.5.4", Severity.REQUIRED, _("date format"), where, problem.found, fix)
        problem = document_number_problem(text)
        if problem:
            yield Finding("7.2.4", Severity.REQUIRED, _("document number (发文字号)"), where, text.strip(), problem)
