"""The static half of `docgen check` for DOCX: what the XML itself says about the layout."""

from __future__ import annotations

import math
import re
import zipfile
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import docx
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph as DocxParagraph
from lxml import etree

from docgen.check import NORMALLY, RECOMMENDED, REQUIRED, Finding, _text_rules, margin_finding
from docgen.cjk import width_in_chars
from docgen.errors import DocgenError
from docgen.profile import Profile
from docgen.rules import DATE, DOCUMENT_NUMBER, page_number_problem

_THEME_ATTRIBUTES = ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme")
_EMU_PER_MM = 36000


def check_docx(path: Path, profile: Profile) -> list[Finding]:
    try:
        document = docx.Document(str(path))
    except Exception as error:  # python-docx raises many kinds on a foreign or damaged file
        raise DocgenError(f"{path}: not a readable DOCX ({error})") from None
    styles = _Styles(document.styles.element)
    paragraphs = [p for p in document.paragraphs if p.text.strip()]
    return [
        *_page_setup(document, profile),
        *_line_pitch(paragraphs, styles, profile),
        *_characters_per_line(paragraphs, styles, profile),
        *_body_size(paragraphs, styles, profile),
        *_bold(paragraphs, styles),
        *_theme_fonts(path),
        *_first_line_indent(paragraphs, styles, profile),
        *_text_rules((f"paragraph {i}", p.text) for i, p in enumerate(document.paragraphs, start=1)),
        *_document_number_size(paragraphs, styles, profile),
        *_signature(paragraphs),
        *_page_number_footers(document),
    ]


class _Styles:
    """Effective paragraph and run properties: direct formatting, then the style chain, then defaults."""

    def __init__(self, root: etree._Element) -> None:
        self.by_id = {style.get(qn("w:styleId")): style for style in root.iter(qn("w:style"))}
        defaults = root.find(qn("w:docDefaults"))
        self.default_ppr = defaults.find(f"{qn('w:pPrDefault')}/{qn('w:pPr')}") if defaults is not None else None
        self.default_rpr = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}") if defaults is not None else None

    def _chain(self, style_id: str | None, kind: str) -> Iterator[etree._Element]:
        seen = set()
        while style_id and style_id in self.by_id and style_id not in seen:
            seen.add(style_id)
            style = self.by_id[style_id]
            props = style.find(qn(kind))
            if props is not None:
                yield props
            based = style.find(qn("w:basedOn"))
            style_id = based.get(qn("w:val")) if based is not None else None

    def paragraph(self, paragraph: DocxParagraph, tag: str) -> etree._Element | None:
        ppr = paragraph._p.pPr
        style_id = ppr.pStyle.val if ppr is not None and ppr.pStyle is not None else "Normal"
        for props in (ppr, *self._chain(style_id, "w:pPr"), self.default_ppr):
            found = props.find(qn(tag)) if props is not None else None
            if found is not None:
                return found
        return None

    def run(self, paragraph: DocxParagraph, run: etree._Element, tag: str) -> etree._Element | None:
        ppr = paragraph._p.pPr
        style_id = ppr.pStyle.val if ppr is not None and ppr.pStyle is not None else "Normal"
        for props in (run.find(qn("w:rPr")), *self._chain(style_id, "w:rPr"), self.default_rpr):
            found = props.find(qn(tag)) if props is not None else None
            if found is not None:
                return found
        return None

    def size_pt(self, paragraph: DocxParagraph, run: etree._Element) -> float:
        size = self.run(paragraph, run, "w:sz")
        return int(size.get(qn("w:val"))) / 2 if size is not None else 10.0


def _runs(paragraph: DocxParagraph) -> list[etree._Element]:
    return [run for run in paragraph._p.iter(qn("w:r")) if "".join(t.text or "" for t in run.iter(qn("w:t"))).strip()]


def _page_setup(document: docx.document.Document, profile: Profile) -> Iterator[Finding]:
    section = document.sections[0]
    page = profile.page
    width, height = section.page_width / _EMU_PER_MM, section.page_height / _EMU_PER_MM
    if abs(width - page.width_mm) > 1 or abs(height - page.height_mm) > 1:
        yield Finding(
            "5.2.1", REQUIRED, "paper size", "section 1", f"{width:.0f} × {height:.0f} mm", "A4, 210 × 297 mm"
        )
    margins = (
        ("top margin (天头)", section.top_margin, page.top_mm),
        ("left margin (订口)", section.left_margin, page.left_mm),
        ("right margin", section.right_margin, page.right_mm),
        ("bottom margin", section.bottom_margin, page.bottom_mm),
    )
    for name, value, expected in margins:
        finding = margin_finding(name, "section 1", value / _EMU_PER_MM, expected)
        if finding:
            yield finding


def _body_paragraphs(paragraphs: list[DocxParagraph], styles: _Styles, profile: Profile) -> list[DocxParagraph]:
    body_size = profile.roles["body"].size_pt
    return [p for p in paragraphs if _runs(p) and styles.size_pt(p, _runs(p)[-1]) == body_size]


def _line_pitch(paragraphs: list[DocxParagraph], styles: _Styles, profile: Profile) -> Iterator[Finding]:
    pitches = Counter()
    for paragraph in _body_paragraphs(paragraphs, styles, profile):
        spacing = styles.paragraph(paragraph, "w:spacing")
        rule = spacing.get(qn("w:lineRule")) if spacing is not None else None
        line = spacing.get(qn("w:line")) if spacing is not None else None
        pitches[(rule, line)] += 1
    if not pitches:
        return
    (rule, line), _ = pitches.most_common(1)[0]
    block_pt = profile.page.block_height_pt
    if rule != "exact" or line is None:
        yield Finding(
            "5.2.2",
            NORMALLY,
            "line pitch",
            "body paragraphs",
            f"line spacing {rule or 'single'}",
            f"exactly {profile.grid.line_pitch_pt} pt, so 22 lines fill the block",
        )
        return
    pitch = int(line) / 20
    lines = math.floor(block_pt / pitch + 1e-6)
    if lines != profile.grid.lines_per_page:
        yield Finding(
            "5.2.2",
            NORMALLY,
            "lines per page",
            "body paragraphs",
            f"{lines} (exact {pitch:g} pt)",
            f"{profile.grid.lines_per_page} ({profile.grid.line_pitch_pt} pt)",
        )


def _characters_per_line(paragraphs: list[DocxParagraph], styles: _Styles, profile: Profile) -> Iterator[Finding]:
    spacings = Counter()
    for paragraph in _body_paragraphs(paragraphs, styles, profile):
        for run in _runs(paragraph):
            spacing = styles.run(paragraph, run, "w:spacing")
            spacings[int(spacing.get(qn("w:val"))) / 20 if spacing is not None else 0.0] += 1
    if not spacings:
        return
    spacing = spacings.most_common(1)[0][0]
    size = profile.roles["body"].size_pt
    chars = math.floor((profile.page.block_width_pt - spacing) / (size + spacing) + 1e-6) if size + spacing > 0 else 0
    if chars != profile.grid.chars_per_line:
        yield Finding(
            "5.2.2",
            NORMALLY,
            "characters per line",
            "body runs",
            f"{chars} (letter spacing {spacing:g} pt)",
            f"{profile.grid.chars_per_line} (letter spacing −0.25 pt)",
        )


def _body_size(paragraphs: list[DocxParagraph], styles: _Styles, profile: Profile) -> Iterator[Finding]:
    sizes = Counter(styles.size_pt(p, run) for p in paragraphs for run in _runs(p))
    if sizes:
        size = sizes.most_common(1)[0][0]
        expected = profile.roles["body"].size_pt
        if size != expected:
            yield Finding("7.1", REQUIRED, "body size", "most runs", f"{size:g} pt", f"{expected:g} pt (3号)")


def _bold(paragraphs: list[DocxParagraph], styles: _Styles) -> Iterator[Finding]:
    for index, paragraph in enumerate(paragraphs, start=1):
        for run in _runs(paragraph):
            bold = styles.run(paragraph, run, "w:b")
            if bold is not None and bold.get(qn("w:val"), "1") not in ("0", "false"):
                yield Finding(
                    "7.3.3",
                    RECOMMENDED,
                    "bold text",
                    f"paragraph {index}",
                    paragraph.text[:16] + "…",
                    "no bold: headings differ by face (黑体, 楷体), not weight",
                )
                return


def _theme_fonts(path: Path) -> Iterator[Finding]:
    with zipfile.ZipFile(path) as package:
        for part in ("word/document.xml", "word/styles.xml"):
            if part not in package.namelist():
                continue
            xml = package.read(part).decode("utf-8", "replace")
            used = sorted({name for name in _THEME_ATTRIBUTES if f"w:{name}=" in xml})
            if used:
                yield Finding(
                    "7a",
                    RECOMMENDED,
                    "theme fonts",
                    part,
                    ", ".join(used),
                    "explicit face names: WPS reports theme fonts as missing",
                )


def _first_line_indent(paragraphs: list[DocxParagraph], styles: _Styles, profile: Profile) -> Iterator[Finding]:
    expected = profile.body.first_line_indent_chars * profile.char_pitch_pt
    # Justified prose: flush-left labels (份号, 附件1), tab-stop rows and hanging lists (附件说明) aside.
    body = [
        p
        for p in _body_paragraphs(paragraphs, styles, profile)
        if _alignment(p, styles) in ("both", None) and p._p.find(f".//{qn('w:tab')}") is None
    ]
    indents = Counter()
    for paragraph in body:
        indent = styles.paragraph(paragraph, "w:ind")
        if indent is not None and indent.get(qn("w:hanging")):
            continue
        first = indent.get(qn("w:firstLine")) if indent is not None else None
        chars = indent.get(qn("w:firstLineChars")) if indent is not None else None
        indents[int(chars) / 100 * profile.char_pitch_pt if chars else int(first or 0) / 20] += 1
    if indents:
        indent = indents.most_common(1)[0][0]
        if abs(indent - expected) > profile.char_pitch_pt / 4:
            yield Finding(
                "7.3.3",
                NORMALLY,
                "first-line indent",
                "body paragraphs",
                f"{indent / profile.char_pitch_pt:.1f} characters",
                "2 characters",
            )


def _alignment(paragraph: DocxParagraph, styles: _Styles) -> str | None:
    jc = styles.paragraph(paragraph, "w:jc")
    return jc.get(qn("w:val")) if jc is not None else None


def _document_number_size(paragraphs: list[DocxParagraph], styles: _Styles, profile: Profile) -> Iterator[Finding]:
    for index, paragraph in enumerate(paragraphs, start=1):
        if DOCUMENT_NUMBER.match(paragraph.text.strip()):
            size = styles.size_pt(paragraph, _runs(paragraph)[0])
            if size != profile.roles["body"].size_pt:
                yield Finding(
                    "7.2.4",
                    REQUIRED,
                    "document number size",
                    f"paragraph {index}",
                    f"{size:g} pt",
                    f"{profile.roles['body'].size_pt:g} pt (3号仿宋)",
                )


def _signature(paragraphs: list[DocxParagraph]) -> Iterator[Finding]:
    dates = [i for i, p in enumerate(paragraphs) if DATE.fullmatch(p.text.strip()) and i > 0]
    if not dates:
        return
    date, signature = paragraphs[dates[-1]], paragraphs[dates[-1] - 1]
    centred = signature.alignment is not None and signature.alignment == date.alignment == 1
    if centred and width_in_chars(signature.text.strip()) != width_in_chars(date.text.strip()):
        yield Finding(
            "7.3.5.2",
            REQUIRED,
            "signature centred over the date",
            "last paragraphs",
            "centred",
            "signature 2 characters in from the right, date 2 characters right of its start",
        )


def _page_number_footers(document: docx.document.Document) -> Iterator[Finding]:
    section = document.sections[0]
    footers = [("odd-page footer", section.footer)]
    if document.settings.odd_and_even_pages_header_footer:
        footers.append(("even-page footer", section.even_page_footer))
    else:
        yield Finding(
            "7.5",
            NORMALLY,
            "odd and even footers",
            "settings",
            "one footer for all pages",
            "odd pages right, even pages left (w:evenAndOddHeaders)",
        )
    for name, footer in footers:
        xml = etree.tostring(footer._element, encoding="unicode")
        if "PAGE" not in xml:
            yield Finding("7.5", NORMALLY, "page number", name, "no PAGE field", "— N —")
            continue
        text = "".join(t.text or "" for t in footer._element.iter(qn("w:t")))
        problem = page_number_problem(
            re.sub(r"\d+", "1", text) if re.search(r"\d", text) else text.replace("  ", " 1 "), 1
        )
        if problem:
            yield Finding("7.5", NORMALLY, "page number text", name, f"{text.strip()}: {problem}", "— N —")
