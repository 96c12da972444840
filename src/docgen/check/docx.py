"""The static half of `docgen check` for DOCX: what the XML itself says about the layout.

The file may come from anyone: it is read within docx_package's bounds, and a value Word would
not accept (``w:sz="abc"``, ``w:spacing w:val="1e3"``, a missing ``w:pgSz``) counts as not given,
so it yields a finding or the default, never an exception.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import docx.document
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn
from lxml import etree

from docgen.check.clauses import (
    PAGE_NUMBER_FORM,
    body_size_finding,
    bold_finding,
    centred_signature_finding,
    characters,
    expected_margin,
    expected_paper,
    margin_finding,
    named_size,
    page_number_text_finding,
    paper_finding,
    text_findings,
)
from docgen.check.findings import Finding, Severity, paragraph_place
from docgen.files.docx_package import DocxPackage, paragraph_text, read_package, referenced_xml, related_xml
from docgen.i18n import _
from docgen.profile import Profile
from docgen.roles import Role
from docgen.text.cjk import width_in_chars
from docgen.text.rules import DATE, DOCUMENT_NUMBER, page_number_problem
from docgen.units import HALF_POINTS_PER_PT, MM_PER_PT, TWIPS_PER_PT

_THEME_ATTRIBUTES = ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme")
_DEFAULT_SIZE_PT = 10.0  # Word's size for a run no style sizes
_WHOLE = re.compile(r"-?\d{1,9}")  # ST_DecimalNumber, and no larger than any layout needs
_UNIVERSAL = re.compile(r"(-?\d{1,9}(?:\.\d{1,9})?)(mm|cm|in|pt|pc|pi)")  # ST_UniversalMeasure: "12pt", "2.5cm"
_POINTS_PER = {"mm": 72 / 25.4, "cm": 72 / 2.54, "in": 72.0, "pt": 1.0, "pc": 12.0, "pi": 12.0}
_OFF = ("0", "false", "off")
_P, _PPR, _PSTYLE, _R, _RPR, _T, _VAL = (qn(f"w:{tag}") for tag in ("p", "pPr", "pStyle", "r", "rPr", "t", "val"))


def check_docx(path: Path, profile: Profile) -> list[Finding]:
    package = read_package(path, "DOCX")
    document = package.document("DOCX")
    styles = _Styles(related_xml(document.part, RT.STYLES))
    every = [_Paragraph.of(p, styles) for p in document.element.body.iterchildren(_P)]
    paragraphs = [p for p in every if p.text.strip()]
    body = [p for p in paragraphs if p.runs and p.size_pt(p.runs[-1]) == profile.roles[Role.BODY].size_pt]
    section = _first_section(document)
    return [
        *_page_setup(section, profile),
        *_line_pitch(body, profile),
        *_characters_per_line(body, profile),
        *_body_size(paragraphs, profile),
        *_bold(paragraphs),
        *_theme_fonts(package),
        *_first_line_indent(body, profile),
        *text_findings((paragraph_place(i), p.text) for i, p in enumerate(every, start=1)),
        *_document_number_size(paragraphs, profile),
        *_signature(paragraphs, profile),
        *_page_number_footers(document, section),
    ]


def _points(value: str | None, per_point: int) -> float | None:
    """A measure in points: a whole number of 1/``per_point`` pt, or a universal measure ("12pt");
    None for a missing value or one Word would not accept."""
    if value is None:
        return None
    value = value.strip()
    if _WHOLE.fullmatch(value):
        return int(value) / per_point
    universal = _UNIVERSAL.fullmatch(value)
    return float(universal[1]) * _POINTS_PER[universal[2]] if universal else None


def _whole(value: str | None) -> int | None:
    return int(value) if value is not None and _WHOLE.fullmatch(value.strip()) else None


class _Styles:
    """Effective paragraph and run properties: direct formatting, then the style chain, then defaults."""

    def __init__(self, root: etree._Element | None) -> None:
        root = root if root is not None else etree.Element(qn("w:styles"))
        self.by_id = {style.get(qn("w:styleId")): style for style in root.iter(qn("w:style"))}
        defaults = root.find(qn("w:docDefaults"))
        self.default_ppr = defaults.find(f"{qn('w:pPrDefault')}/{qn('w:pPr')}") if defaults is not None else None
        self.default_rpr = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}") if defaults is not None else None
        self.inherited = cache(self._inherited)  # one walk per style, kind and tag, however many paragraphs ask

    def _inherited(self, style_id: str | None, kind: str, tag: str) -> etree._Element | None:
        """The first ``tag`` in the ``kind`` properties (w:pPr, w:rPr) of a style, those it is based on,
        then the defaults."""
        chain, seen = [], set()
        while style_id and style_id in self.by_id and style_id not in seen:
            seen.add(style_id)
            style = self.by_id[style_id]
            chain.append(style.find(qn(kind)))
            based = style.find(qn("w:basedOn"))
            style_id = based.get(_VAL) if based is not None else None
        chain.append(self.default_ppr if kind == "w:pPr" else self.default_rpr)
        name = qn(tag)
        return next((found for props in chain if props is not None and (found := props.find(name)) is not None), None)


@dataclass(frozen=True)
class _Paragraph:
    """One paragraph read once: its text, its runs with text, and where its properties come from."""

    element: etree._Element
    text: str
    runs: tuple[etree._Element, ...]
    direct: etree._Element | None  # its w:pPr
    style_id: str | None
    styles: _Styles

    @classmethod
    def of(cls, element: etree._Element, styles: _Styles) -> _Paragraph:
        direct = element.find(_PPR)
        style = direct.find(_PSTYLE) if direct is not None else None
        style_id = style.get(_VAL) if style is not None else "Normal"
        runs = tuple(run for run in element.iter(_R) if "".join(t.text or "" for t in run.iter(_T)).strip())
        return cls(element, paragraph_text(element), runs, direct, style_id, styles)

    def property(self, tag: str) -> etree._Element | None:
        found = self.direct.find(qn(tag)) if self.direct is not None else None
        return found if found is not None else self.styles.inherited(self.style_id, "w:pPr", tag)

    def run_property(self, run: etree._Element, tag: str) -> etree._Element | None:
        own = run.find(_RPR)
        found = own.find(qn(tag)) if own is not None else None
        return found if found is not None else self.styles.inherited(self.style_id, "w:rPr", tag)

    def size_pt(self, run: etree._Element) -> float:
        size = self.run_property(run, "w:sz")
        points = _points(size.get(_VAL), HALF_POINTS_PER_PT) if size is not None else None
        return points if points is not None and points > 0 else _DEFAULT_SIZE_PT

    def alignment(self) -> str | None:
        jc = self.property("w:jc")
        return jc.get(qn("w:val")) if jc is not None else None

    def direct_alignment(self) -> str | None:
        jc = self.element.find(f"{qn('w:pPr')}/{qn('w:jc')}")
        return jc.get(qn("w:val")) if jc is not None else None


def _first_section(document: docx.document.Document) -> etree._Element | None:
    """The first section's w:sectPr (in a paragraph that ends the section, or the body's last)."""
    found = document.element.body.xpath("./w:p/w:pPr/w:sectPr | ./w:sectPr")
    return found[0] if found else None


def _page_setup(section: etree._Element | None, profile: Profile) -> Iterator[Finding]:
    page = profile.page
    size = section.find(qn("w:pgSz")) if section is not None else None
    width, height = (_points(size.get(qn(f"w:{side}")), TWIPS_PER_PT) if size is not None else None for side in "wh")
    if width is None or height is None:
        missing = _("not given (w:pgSz)")
        yield Finding("5.2.1", Severity.REQUIRED, _("paper size"), _("section 1"), missing, expected_paper(profile))
    elif paper := paper_finding(_("section 1"), width * MM_PER_PT, height * MM_PER_PT, profile):
        yield paper
    margins = section.find(qn("w:pgMar")) if section is not None else None
    for name, side, expected in (
        (_("top margin (天头)"), "top", page.top_mm),
        (_("left margin (订口)"), "left", page.left_mm),
        (_("right margin"), "right", page.right_mm),
        (_("bottom margin"), "bottom", page.bottom_mm),
    ):
        value = _points(margins.get(qn(f"w:{side}")), TWIPS_PER_PT) if margins is not None else None
        if value is None:
            missing = _("not given (w:pgMar)")
            yield Finding("5.2.2", Severity.REQUIRED, name, _("section 1"), missing, expected_margin(expected))
        elif finding := margin_finding(name, _("section 1"), value * MM_PER_PT, expected):
            yield finding


def _line_pitch(body: list[_Paragraph], profile: Profile) -> Iterator[Finding]:
    pitches = Counter()
    for paragraph in body:
        spacing = paragraph.property("w:spacing")
        rule = spacing.get(qn("w:lineRule")) if spacing is not None else None
        line = _points(spacing.get(qn("w:line")), TWIPS_PER_PT) if spacing is not None else None
        pitches[(rule, line)] += 1
    if not pitches:
        return
    (rule, pitch), _count = pitches.most_common(1)[0]
    if rule != "exact" or pitch is None or pitch <= 0:
        if rule == "exact":
            measured = _("exact, without a valid height")
        else:
            measured = _("line spacing {rule}").format(rule=rule or _("single"))
        grid = profile.grid
        expected = _("exactly {pitch} pt, so {lines} lines fill the block").format(
            pitch=grid.line_pitch_pt, lines=grid.lines_per_page
        )
        yield Finding("5.2.2", Severity.NORMALLY, _("line pitch"), _("body paragraphs"), measured, expected)
        return
    lines = math.floor(profile.page.block_height_pt / pitch + 1e-6)
    if lines != profile.grid.lines_per_page:
        yield Finding(
            "5.2.2",
            Severity.NORMALLY,
            _("lines per page"),
            _("body paragraphs"),
            _("{lines} (exact {pitch:g} pt)").format(lines=lines, pitch=pitch),
            f"{profile.grid.lines_per_page} ({profile.grid.line_pitch_pt} pt)",
        )


def _characters_per_line(body: list[_Paragraph], profile: Profile) -> Iterator[Finding]:
    spacings = Counter()
    for paragraph in body:
        for run in paragraph.runs:
            spacing = paragraph.run_property(run, "w:spacing")
            points = _points(spacing.get(qn("w:val")), TWIPS_PER_PT) if spacing is not None else None
            spacings[points or 0.0] += 1
    if not spacings:
        return
    spacing = spacings.most_common(1)[0][0]
    size = profile.roles[Role.BODY].size_pt
    chars = math.floor((profile.page.block_width_pt - spacing) / (size + spacing) + 1e-6) if size + spacing > 0 else 0
    grid = profile.grid
    if chars != grid.chars_per_line:
        letter_spacing = f"{grid.letter_spacing_pt:g}".replace("-", "−")  # a minus sign, U+2212
        yield Finding(
            "5.2.2",
            Severity.NORMALLY,
            _("characters per line"),
            _("body runs"),
            _("{chars} (letter spacing {spacing:g} pt)").format(chars=chars, spacing=spacing),
            _("{chars_per_line} (letter spacing {letter_spacing} pt)").format(
                chars_per_line=grid.chars_per_line, letter_spacing=letter_spacing
            ),
        )


def _body_size(paragraphs: list[_Paragraph], profile: Profile) -> Iterator[Finding]:
    """The size most of the text is set in: counted by characters, so one large title run does not
    outweigh a paragraph of body text in one run."""
    sizes = Counter()
    for paragraph in paragraphs:
        for run in paragraph.runs:
            sizes[paragraph.size_pt(run)] += sum(len(t.text or "") for t in run.iter(_T))
    if sizes:
        size = sizes.most_common(1)[0][0]
        if size != profile.roles[Role.BODY].size_pt:
            yield body_size_finding(_("most text"), size, profile)


def _bold(paragraphs: list[_Paragraph]) -> Iterator[Finding]:
    for index, paragraph in enumerate(paragraphs, start=1):
        for run in paragraph.runs:
            bold = paragraph.run_property(run, "w:b")
            if bold is not None and bold.get(qn("w:val"), "1").strip() not in _OFF:
                yield bold_finding(paragraph_place(index), paragraph.text)
                return


def _theme_fonts(package: DocxPackage) -> Iterator[Finding]:
    """5.2.2 (字体和字号) names the faces, 3号仿宋 unless stated; a theme font leaves the face to the theme."""
    for part in ("word/document.xml", "word/styles.xml"):
        if part not in package.parts:
            continue
        xml = package.parts[part].decode("utf-8", "replace")
        used = sorted({name for name in _THEME_ATTRIBUTES if f"w:{name}=" in xml})
        if used:
            yield Finding(
                "5.2.2", Severity.RECOMMENDED, _("theme fonts"), part, ", ".join(used),
                _("explicit face names: WPS reports theme fonts as missing"),
            )  # fmt: skip


def _first_line_indent(body: list[_Paragraph], profile: Profile) -> Iterator[Finding]:
    expected = profile.body.first_line_indent_chars * profile.char_pitch_pt
    # Justified prose: flush-left labels (份号, 附件1), tab-stop rows and hanging lists (附件说明) aside.
    prose = [p for p in body if p.alignment() in ("both", None) and p.element.find(f".//{qn('w:tab')}") is None]
    indents = Counter()
    for paragraph in prose:
        indent = paragraph.property("w:ind")
        if indent is not None and indent.get(qn("w:hanging")):
            continue
        first = _points(indent.get(qn("w:firstLine")), TWIPS_PER_PT) if indent is not None else None
        chars = _whole(indent.get(qn("w:firstLineChars"))) if indent is not None else None
        indents[chars / 100 * profile.char_pitch_pt if chars is not None else first or 0.0] += 1
    if indents:
        indent = indents.most_common(1)[0][0]
        if abs(indent - expected) > profile.char_pitch_pt / 4:
            yield Finding(
                "7.3.3",
                Severity.NORMALLY,
                _("first-line indent"),
                _("body paragraphs"),
                _("{value:.1f} characters").format(value=indent / profile.char_pitch_pt),
                characters(profile.body.first_line_indent_chars),
            )


def _document_number_size(paragraphs: list[_Paragraph], profile: Profile) -> Iterator[Finding]:
    """7.2.4: the 发文字号 in the profile's number size (3号仿宋)."""
    expected = profile.roles[Role.NUMBER].size_pt
    for index, paragraph in enumerate(paragraphs, start=1):
        if paragraph.runs and DOCUMENT_NUMBER.match(paragraph.text.strip()):
            size = paragraph.size_pt(paragraph.runs[0])
            if size != expected:
                yield Finding(
                    "7.2.4",
                    Severity.REQUIRED,
                    _("document number size"),
                    paragraph_place(index),
                    f"{size:g} pt",
                    named_size(expected, "仿宋"),
                )


def _signature(paragraphs: list[_Paragraph], profile: Profile) -> Iterator[Finding]:
    dates = [i for i, p in enumerate(paragraphs) if DATE.fullmatch(p.text.strip()) and i > 0]
    if not dates:
        return
    date, signature = paragraphs[dates[-1]], paragraphs[dates[-1] - 1]
    centred = signature.direct_alignment() == date.direct_alignment() == "center"
    if centred and width_in_chars(signature.text.strip()) != width_in_chars(date.text.strip()):
        yield centred_signature_finding(_("last paragraphs"), profile)


def _page_number_footers(document: docx.document.Document, section: etree._Element | None) -> Iterator[Finding]:
    footers = [(_("odd-page footer"), "default")]
    settings = related_xml(document.part, RT.SETTINGS)
    even_and_odd = settings.find(qn("w:evenAndOddHeaders")) if settings is not None else None
    if even_and_odd is not None and even_and_odd.get(qn("w:val"), "1").strip() not in _OFF:
        footers.append((_("even-page footer"), "even"))
    else:
        yield Finding(
            "7.5",
            Severity.NORMALLY,
            _("odd and even footers"),
            _("settings"),
            _("one footer for all pages"),
            _("odd pages right, even pages left (w:evenAndOddHeaders)"),
        )
    for name, kind in footers:
        footer = _footer(document, section, kind)
        if footer is None or "PAGE" not in etree.tostring(footer, encoding="unicode"):
            yield Finding("7.5", Severity.NORMALLY, _("page number"), name, _("no PAGE field"), PAGE_NUMBER_FORM)
            continue
        text = "".join(t.text or "" for t in footer.iter(qn("w:t")))
        problem = page_number_problem(
            re.sub(r"\d+", "1", text) if re.search(r"\d", text) else text.replace("  ", " 1 "), 1
        )
        if problem:
            yield page_number_text_finding(name, text, problem)


def _footer(document: docx.document.Document, section: etree._Element | None, kind: str) -> etree._Element | None:
    """The first section's footer of ``kind`` (default, even), if it has one."""
    references = section.findall(qn("w:footerReference")) if section is not None else []
    reference = next((ref for ref in references if ref.get(qn("w:type"), "default") == kind), None)
    return referenced_xml(document.part, reference.get(qn("r:id"))) if reference is not None else None
