"""DOCX renderer: composed paragraphs + layout profile → a WordprocessingML package.

python-docx builds the package; the few things it has no API for (exact line pitch in
twips, letter spacing, East Asian fonts, even/odd footers, fields) are set as XML here.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import pairwise

import docx
from docx.document import Document as DocxDocument
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm
from docx.text.paragraph import Paragraph as DocxParagraph
from lxml import etree

from docgen.compose import compose
from docgen.metrics import FontMetrics
from docgen.model import Document
from docgen.output import normalized_zip
from docgen.paras import Align, Para, Span
from docgen.profile import Profile

TWIPS_PER_PT = 20
_JUSTIFICATION = {Align.JUSTIFY: "both", Align.CENTER: "center", Align.RIGHT: "right"}
_OUTLINE_LEVEL = {"heading1": 0, "heading2": 1, "heading3": 2, "heading4": 3}
_GB2312_CHARSET = "86"


def render_docx(document: Document, profile: Profile, metrics: FontMetrics | None = None) -> bytes:
    """The DOCX file for ``document`` as bytes (deterministic for the same input).

    With ``metrics`` (the faces the PDF uses), lines the typesetter squeezes are carried
    into the DOCX so that it breaks its lines where the PDF does.
    """
    package = docx.Document()
    _drop_template_thumbnail(package)
    _set_defaults(package, profile)
    _set_page(package, profile)
    body = package.element.body
    for element in list(body):
        if element.tag != qn("w:sectPr"):
            body.remove(element)
    for para in compose(document, profile):
        _add_paragraph(package, para, profile, metrics)
    _add_page_number_footers(package, profile)
    _set_properties(package, document)
    buffer = io.BytesIO()
    package.save(buffer)
    return normalized_zip(buffer.getvalue())


def _drop_template_thumbnail(package: DocxDocument) -> None:
    """python-docx's template carries a preview picture of an English page; file browsers would show it."""
    relationships = package.part.package.rels
    for key, relationship in list(relationships.items()):
        if relationship.reltype == RT.THUMBNAIL:
            del relationships[key]


def _twips(points: float) -> str:
    return str(round(points * TWIPS_PER_PT))


def _sub(parent: etree._Element, tag: str, **attributes: str) -> etree._Element:
    """Append ``<w:tag w:key=value …>`` to ``parent``."""
    element = OxmlElement(tag)
    for key, value in attributes.items():
        element.set(qn(f"w:{key}"), value)
    parent.append(element)
    return element


def _font_names(parent: etree._Element, name: str) -> None:
    # Every slot gets the face: digits, quotes and dashes then never fall to a Latin font.
    _sub(parent, "w:rFonts", ascii=name, hAnsi=name, eastAsia=name, cs=name, hint="eastAsia")


def _run_properties(parent: etree._Element, profile: Profile, role: str, spacing_pt: float) -> None:
    style = profile.roles[role]
    _font_names(parent, profile.faces[style.face].office[0])
    if spacing_pt:
        _sub(parent, "w:spacing", val=_twips(spacing_pt))
    _sub(parent, "w:sz", val=str(round(style.size_pt * 2)))
    _sub(parent, "w:szCs", val=str(round(style.size_pt * 2)))
    _sub(parent, "w:lang", val="en-US", eastAsia="zh-CN")


def _line_pitch(parent: etree._Element, profile: Profile) -> None:
    _sub(parent, "w:spacing", before="0", after="0", line=_twips(profile.grid.line_pitch_pt), lineRule="exact")


def _set_defaults(package: DocxDocument, profile: Profile) -> None:
    """Document defaults in the body face on the grid; no theme fonts anywhere (WPS reports them missing)."""
    styles = package.styles.element
    for fonts in styles.iter(qn("w:rFonts")):
        for attribute in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
            fonts.attrib.pop(qn(f"w:{attribute}"), None)
    defaults = styles.find(qn("w:docDefaults"))
    for child in list(defaults):
        defaults.remove(child)
    run_defaults = _sub(_sub(defaults, "w:rPrDefault"), "w:rPr")
    _run_properties(run_defaults, profile, "body", 0.0)
    paragraph_defaults = _sub(_sub(defaults, "w:pPrDefault"), "w:pPr")
    # No widow/orphan control: every full page holds all 22 lines of the grid (GB/T 9704 5.2.2).
    _sub(paragraph_defaults, "w:widowControl", val="0")
    _line_pitch(paragraph_defaults, profile)
    settings = package.settings.element
    for language in settings.iter(qn("w:themeFontLang")):
        language.set(qn("w:eastAsia"), "zh-CN")
    _declare_fonts(package, profile)


def _declare_fonts(package: DocxDocument, profile: Profile) -> None:
    """Font table entries with the GB2312 charset and the next office name as alternative."""
    font_table = package.part.part_related_by(RT.FONT_TABLE)
    root = etree.fromstring(font_table.blob)
    for face in profile.faces.values():
        if not face.office:
            continue
        font = _sub(root, "w:font", name=face.office[0])
        if len(face.office) > 1:
            _sub(font, "w:altName", val=face.office[1])
        _sub(font, "w:charset", val=_GB2312_CHARSET)
        _sub(font, "w:family", val="modern")
        _sub(font, "w:pitch", val="fixed")
    font_table._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _set_page(package: DocxDocument, profile: Profile) -> None:
    page = profile.page
    section = package.sections[0]
    section.page_width, section.page_height = Mm(page.width_mm), Mm(page.height_mm)
    section.top_margin, section.bottom_margin = Mm(page.top_mm), Mm(page.bottom_mm)
    section.left_margin, section.right_margin = Mm(page.left_mm), Mm(page.right_mm)
    section.gutter = 0
    # The number line's top sits below_block_mm under the block; its line is as tall as the number.
    number_size = profile.roles["page_number"].size_pt
    footer_mm = page.bottom_mm - profile.page_number.below_block_mm - number_size * 25.4 / 72
    section.footer_distance = Mm(footer_mm)
    section.header_distance = Mm(15)
    grid = section._sectPr.find(qn("w:docGrid"))
    grid.set(qn("w:linePitch"), _twips(profile.grid.line_pitch_pt))


@dataclass(frozen=True)
class _Tightened:
    """Characters [start, end) of a paragraph that share one squeezed line."""

    start: int
    end: int
    spacing_pt: float


def _squeezed_lines(para: Para, profile: Profile, metrics: FontMetrics | None) -> tuple[_Tightened, ...]:
    """The lines the typesetter closes up (避头尾 squeeze), as tighter letter spacing.

    Word and LibreOffice would push a character down instead; with the same spacing as the
    PDF they break the line where the PDF does.
    """
    if metrics is None:
        return ()
    normal = profile.grid.letter_spacing_pt
    tightened, offset = [], 0
    for line in metrics.lines(para, profile):
        overflow = line.natural_width - line.available
        if line.stretch and overflow > 0:
            spaced = max(1, sum(1 for glyph in line.glyphs[:-1] if glyph.spacing == normal))
            spacing = math.floor((normal - overflow / spaced) * TWIPS_PER_PT) / TWIPS_PER_PT
            tightened.append(_Tightened(offset, offset + len(line.glyphs), spacing))
        offset += len(line.glyphs)
    return tuple(tightened)


def _add_paragraph(package: DocxDocument, para: Para, profile: Profile, metrics: FontMetrics | None) -> None:
    paragraph = package.add_paragraph()
    properties = paragraph._p.get_or_add_pPr()
    if para.keep_with_next:
        _sub(properties, "w:keepNext")
    # LibreOffice reads overflowPunct="1" as "no hanging punctuation" (it maps "0" to hanging),
    # which keeps a full line at exactly its 28 characters.
    _sub(properties, "w:overflowPunct", val="1")
    _line_pitch(properties, profile)
    unit = profile.char_unit_pt("body")
    if para.first_indent_chars or para.right_indent_chars:
        _sub(
            properties,
            "w:ind",
            right=_twips(para.right_indent_chars * unit),
            firstLine=_twips(para.first_indent_chars * unit),
        )
    _sub(properties, "w:jc", val=_JUSTIFICATION[para.align])
    if para.kind in _OUTLINE_LEVEL:
        _sub(properties, "w:outlineLvl", val=str(_OUTLINE_LEVEL[para.kind]))
    tightened = _squeezed_lines(para, profile, metrics)
    offset = 0
    for span in para.spans:
        _add_span(paragraph, span, offset, para.forced_breaks, tightened, profile)
        offset += len(span.text)


def _add_span(
    paragraph: DocxParagraph,
    span: Span,
    offset: int,
    breaks: tuple[int, ...],
    tightened: tuple[_Tightened, ...],
    profile: Profile,
) -> None:
    """Add ``span`` (starting at ``offset`` in its paragraph) as runs: a line break at each
    forced break, and the squeezed lines' characters in runs of their own spacing."""
    body_sized = profile.roles[span.role].size_pt == profile.roles["body"].size_pt
    end = offset + len(span.text)
    edges = {edge for t in tightened for edge in (t.start, t.end)} if body_sized else set()
    cuts = sorted({offset, end, *(b for b in breaks if offset < b < end), *(e for e in edges if offset < e < end)})
    for start, stop in pairwise(cuts):
        spacing = profile.grid.letter_spacing_pt if body_sized else 0.0
        spacing = next((t.spacing_pt for t in tightened if body_sized and t.start <= start < t.end), spacing)
        run = paragraph.add_run()
        _run_properties(run._r.get_or_add_rPr(), profile, span.role, spacing)
        if start in breaks:
            _sub(run._r, "w:br")
        text = _sub(run._r, "w:t")
        text.text = span.text[start - offset : stop - offset]


def _add_page_number_footers(package: DocxDocument, profile: Profile) -> None:
    """`— N —` in 4号 宋体: odd pages 1 character in from the right, even pages from the left (7.5)."""
    package.settings.odd_and_even_pages_header_footer = True
    section = package.sections[0]
    indent = _twips(profile.page_number.outer_indent_chars * profile.char_unit_pt(profile.page_number.char_unit))
    for footer, align, side in ((section.footer, "right", "right"), (section.even_page_footer, "left", "left")):
        footer.is_linked_to_previous = False
        paragraph = footer.paragraphs[0]
        properties = paragraph._p.get_or_add_pPr()
        size = profile.roles["page_number"].size_pt
        _sub(properties, "w:spacing", before="0", after="0", line=_twips(size), lineRule="exact")
        _sub(properties, "w:ind", **{side: indent})
        _sub(properties, "w:jc", val=align)
        dash = profile.page_number.dash
        _number_run(paragraph, profile, f"{dash} ")
        field = _sub(paragraph._p, "w:fldSimple", instr=" PAGE ")
        _number_run(paragraph, profile, "1", parent=field)
        _number_run(paragraph, profile, f" {dash}")


def _number_run(paragraph: DocxParagraph, profile: Profile, text: str, parent: etree._Element | None = None) -> None:
    run = _sub(paragraph._p if parent is None else parent, "w:r")
    _run_properties(_sub(run, "w:rPr"), profile, "page_number", 0.0)
    element = _sub(run, "w:t")
    element.text = text
    element.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")


def _set_properties(package: DocxDocument, document: Document) -> None:
    properties = package.core_properties
    issued = datetime(
        document.signature.date.year, document.signature.date.month, document.signature.date.day, tzinfo=UTC
    )
    properties.title = document.title
    properties.author = "、".join(document.organs)
    properties.last_modified_by = properties.author
    properties.subject = document.title
    properties.created = issued
    properties.modified = issued
    properties.revision = 1
    properties.language = "zh-CN"
    properties.comments = ""
    properties.keywords = ""
    properties.category = ""
