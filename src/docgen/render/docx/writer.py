"""DOCX renderer: the laid-out document's paragraphs and decisions → a WordprocessingML package.

python-docx builds the package; what it has no API for (exact line heights in twips, letter
spacing, East Asian fonts, tab stops, even/odd footers, fields, sections) is set as XML here,
and the drawings anchored outside the text flow (rules, seals, labels) in drawing.py.

Word and LibreOffice put an exact line's baseline at 80 % of its height, as the PDF does, so
a paragraph of the PDF's height sets its text where the PDF does. The 版记 goes to the page the
layout gives it (LaidOutDocument.foot), in a frame held at the foot of that page: a
reader whose fonts set the body longer or shorter moves the body, never the 版记 off the foot.
Blank pages before it start a section whose footers carry no page number.
"""

from __future__ import annotations

import copy
import io
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from functools import lru_cache
from itertools import pairwise
from pathlib import PurePath

import docx
from docx.document import Document as DocxDocument
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PACKAGE_URI
from docx.opc.part import Part
from docx.opc.spec import default_content_types
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm
from docx.text.paragraph import Paragraph as DocxParagraph
from lxml import etree

from docgen.compose.paragraphs import (
    BLANK,
    MIN_SPACER_PT,
    Align,
    Anchor,
    Decoration,
    DrawnLine,
    Label,
    Para,
    ParaKind,
    Picture,
    Span,
    Tab,
)
from docgen.files.atomic import deterministic_zip
from docgen.layout.document import FootPlan, LaidOutDocument
from docgen.layout.lines import Glyph, Line, width_of
from docgen.layout.pagination import turned_pages
from docgen.layout.tables import LANDSCAPE_LEAD_PT, RowBand, table_bands
from docgen.model import Document, Kind
from docgen.profile import Profile
from docgen.render.docx.drawing import Box, DrawingIds, picture_run, rule_run, text_box_run
from docgen.render.docx.table import add_table, add_turned_table
from docgen.render.docx.tidy import StyleShelf, drop_template_leftovers, set_extended_properties
from docgen.render.docx.xml import sub, twips
from docgen.roles import Role
from docgen.text.cjk import is_wide, set_width_in_chars
from docgen.units import MM_PER_PT, TWIPS_PER_PT, pt_to_twips

_JUSTIFICATION = {
    Align.JUSTIFY: "both",
    Align.CENTER: "center",
    Align.RIGHT: "right",
    Align.LEFT: "left",
    Align.DISTRIBUTE: "distribute",
}
_OUTLINE_LEVEL = {ParaKind.HEADING1: 0, ParaKind.HEADING2: 1, ParaKind.HEADING3: 2, ParaKind.HEADING4: 3}
_GB2312_CHARSET = "86"
_CONTENT_TYPES = "http://schemas.openxmlformats.org/package/2006/content-types"
LaidLines = Sequence[Line | RowBand] | None  # what the layout decided for a paragraph; None without fonts


@lru_cache(maxsize=4)
def _template(profile: Profile, letter: bool) -> tuple[DocxDocument, StyleShelf]:
    """python-docx's default template made docgen's for ``profile`` (its defaults, page, fonts and page
    number footers, a letter's or not; the template's leftovers gone; its styles shelved), once a
    process: a copy costs less than doing it again."""
    package = docx.Document()
    _set_defaults(package, profile)
    _set_page(package, profile)
    body = package.element.body
    for element in list(body):
        if element.tag != qn("w:sectPr"):
            body.remove(element)
    _add_page_number_footers(package, profile, letter)
    drop_template_leftovers(package)
    return package, StyleShelf(package.styles.element)


def prepare(profile: Profile) -> None:
    """The templates made for ``profile``, before a document needs one."""
    for letter in (False, True):
        _template(profile, letter)


def render_docx(laid: LaidOutDocument, profile: Profile) -> bytes:
    """The DOCX file of the laid-out document as bytes (deterministic for the same input).

    With its lines (laid out with the faces the PDF uses), lines the layout squeezes are
    carried into the DOCX so that it breaks its lines where the PDF does, hanging indents start
    under the PDF's glyph, and the 版记 lands at the foot of the page the PDF puts it on. Without
    them (fonts missing) widths are estimated in 字 and the 版记 simply starts a new page.
    """
    document = laid.document
    template, shelf = _template(profile, document.kind is Kind.LETTER)
    package = copy.deepcopy(template)
    writer = _Writer(package, profile)
    foot = []
    for index, para in enumerate(laid.paras):
        lines = laid.lines[index] if laid.lines is not None else None
        if para.at_foot:
            foot.append((para, lines))
        else:
            # LibreOffice would move all of a kept paragraph over; the PDF moves its last line only.
            writer.add(replace(para, keep_with_next=False) if index in laid.split else para, lines)
    if laid.foot is not None:
        writer.add_foot(foot, laid.foot)
    if writer.section_end is not None:
        _unnumbered_section(package, writer.section_end, profile)
    _set_properties(package, document)
    shelf.restore_named(package)
    set_extended_properties(package, len(laid.pages) if laid.pages is not None else None)
    return _zipped(package)


def _zipped(package: DocxDocument) -> bytes:
    """The package as python-docx's save writes it (its content types, its relationships, then every
    part and the part's relationships), each entry deflated once with a fixed time: save deflated
    them with the time of writing, and they were inflated and deflated again to fix it."""
    opc = package.part.package
    parts = list(opc.iter_parts())
    entries = [("[Content_Types].xml", _content_types(parts)), (PACKAGE_URI.rels_uri.membername, opc.rels.xml)]
    for part in parts:
        part.before_marshal()
        entries.append((part.partname.membername, part.blob))
        if len(part.rels):
            entries.append((part.partname.rels_uri.membername, part.rels.xml))
    return deterministic_zip(entries)


def _content_types(parts: Sequence[Part]) -> bytes:
    """[Content_Types].xml (OPC, ECMA-376 part 2, 10.1.2): a Default for each extension that names its
    type, an Override for every other part, in python-docx's order (extensions, then part names)."""
    defaults, overrides = {"rels": CT.OPC_RELATIONSHIPS, "xml": CT.XML}, {}
    for part in parts:
        if (part.partname.ext.lower(), part.content_type) in default_content_types:
            defaults[part.partname.ext] = part.content_type
        else:
            overrides[str(part.partname)] = part.content_type
    types = etree.Element(f"{{{_CONTENT_TYPES}}}Types", nsmap={None: _CONTENT_TYPES})
    for extension in sorted(defaults):
        etree.SubElement(types, f"{{{_CONTENT_TYPES}}}Default", Extension=extension, ContentType=defaults[extension])
    for name in sorted(overrides):
        etree.SubElement(types, f"{{{_CONTENT_TYPES}}}Override", PartName=name, ContentType=overrides[name])
    return etree.tostring(types, encoding="UTF-8", standalone=True)


def _bands(para: Para, profile: Profile, laid: LaidLines) -> Sequence[RowBand]:
    """A table's rows as the layout sized them (without fonts: estimated from full-width characters)."""
    if laid is not None:
        return [band for band in laid if isinstance(band, RowBand)]
    return table_bands(para, _estimated_glyphs(profile), profile)


def _add_table(package: DocxDocument, para: Para, profile: Profile, laid: LaidLines) -> None:
    bands = _bands(para, profile, laid)
    add_table(
        package.element.body,
        bands,
        profile,
        lambda properties, role: _run_properties(properties, profile, role, 0.0),
    )


def _estimated_glyphs(profile: Profile) -> Callable[[Span], list[Glyph]]:
    def glyphs(span: Span) -> list[Glyph]:
        size = span.size_pt or profile.roles[span.role].size_pt
        return [Glyph(char, None, size, size * (1.0 if is_wide(char) else 0.5), 0.0) for char in span.text]

    return glyphs


def _font_names(parent: etree._Element, name: str) -> None:
    # Every slot gets the face: digits, quotes and dashes then never fall to a Latin font.
    sub(parent, "w:rFonts", ascii=name, hAnsi=name, eastAsia=name, cs=name, hint="eastAsia")


def _run_properties(
    parent: etree._Element, profile: Profile, role: Role, spacing_pt: float, size_pt: float | None = None
) -> None:
    style = profile.roles[role]
    size = size_pt or style.size_pt
    _font_names(parent, profile.faces[style.face].office[0])
    if style.color.upper() != "000000":
        sub(parent, "w:color", val=style.color.upper())
    if spacing_pt:
        sub(parent, "w:spacing", val=twips(spacing_pt))
    # Word sizes go in half points: a size shrunk to fit (a long mark) rounds down, so its line still fits.
    half_points = str(math.floor(size * 2 + 1e-6))
    sub(parent, "w:sz", val=half_points)
    sub(parent, "w:szCs", val=half_points)
    sub(parent, "w:lang", val="en-US", eastAsia="zh-CN")


def _line_pitch(parent: etree._Element, profile: Profile, height_pt: float | None = None) -> None:
    height = twips(height_pt or profile.grid.line_pitch_pt)
    sub(parent, "w:spacing", before="0", after="0", line=height, lineRule="exact")


def _set_defaults(package: DocxDocument, profile: Profile) -> None:
    """Document defaults in the body face on the grid; no theme fonts anywhere (WPS reports them missing)."""
    styles = package.styles.element
    for fonts in styles.iter(qn("w:rFonts")):
        for attribute in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
            fonts.attrib.pop(qn(f"w:{attribute}"), None)
    defaults = styles.find(qn("w:docDefaults"))
    for child in list(defaults):
        defaults.remove(child)
    run_defaults = sub(sub(defaults, "w:rPrDefault"), "w:rPr")
    _run_properties(run_defaults, profile, Role.BODY, 0.0)
    paragraph_defaults = sub(sub(defaults, "w:pPrDefault"), "w:pPr")
    # No widow/orphan control: every full page holds all 22 lines of the grid (GB/T 9704 5.2.2).
    sub(paragraph_defaults, "w:widowControl", val="0")
    _line_pitch(paragraph_defaults, profile)
    settings = package.settings.element
    for language in settings.iter(qn("w:themeFontLang")):
        language.set(qn("w:eastAsia"), "zh-CN")
    _declare_fonts(package, profile)


def _declare_fonts(package: DocxDocument, profile: Profile) -> None:
    """Font table entries with the GB2312 charset and the next office name as alternative: the
    faces docgen sets, not the template's Latin and Japanese ones."""
    font_table = package.part.part_related_by(RT.FONT_TABLE)
    root = etree.fromstring(font_table.blob)
    for font in list(root):
        root.remove(font)
    for face in profile.faces.values():
        if not face.office:
            continue
        font = sub(root, "w:font", name=face.office[0])
        if len(face.office) > 1:
            sub(font, "w:altName", val=face.office[1])
        sub(font, "w:charset", val=_GB2312_CHARSET)
        sub(font, "w:family", val="modern")
        sub(font, "w:pitch", val="fixed")
    font_table._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _set_page(package: DocxDocument, profile: Profile) -> None:
    page = profile.page
    section = package.sections[0]
    section.page_width, section.page_height = Mm(page.width_mm), Mm(page.height_mm)
    section.top_margin, section.bottom_margin = Mm(page.top_mm), Mm(page.bottom_mm)
    section.left_margin, section.right_margin = Mm(page.left_mm), Mm(page.right_mm)
    section.gutter = 0
    # The footer's one line is as tall as the number, its baseline at baseline_ratio of it: the
    # footer ends that line's depth below the number's baseline.
    depth_mm = (1 - profile.grid.baseline_ratio) * profile.roles[Role.PAGE_NUMBER].size_pt * MM_PER_PT
    footer_mm = page.bottom_mm - profile.page_number_baseline_mm - depth_mm
    section.footer_distance = Mm(footer_mm)
    section.header_distance = Mm(15)
    grid = section._sectPr.find(qn("w:docGrid"))
    grid.set(qn("w:linePitch"), twips(profile.grid.line_pitch_pt))


@dataclass(frozen=True)
class _Tightened:
    """Characters [start, end) of a paragraph that share one squeezed line, closed up by
    ``squeeze_pt`` after each character."""

    start: int
    end: int
    squeeze_pt: float


def _squeezed_lines(lines: Sequence[Line] | None, profile: Profile) -> tuple[_Tightened, ...]:
    """The lines the layout closes up (避头尾 squeeze), as tighter letter spacing.

    Word and LibreOffice would push a character down instead; with the same spacing as the
    PDF they break the line where the PDF does.
    """
    tightened, offset = [], 0
    for line in lines or ():
        overflow = line.natural_width - line.available
        if line.stretch and overflow > 0:
            # Shared by the characters set at their normal spacing (not those before a 中西文 gap).
            gaps = max(1, sum(1 for glyph in line.glyphs[:-1] if glyph.spacing == _normal_spacing(glyph.size, profile)))
            tightened.append(_Tightened(offset, offset + len(line.glyphs), overflow / gaps))
        offset += len(line.glyphs)
    return tuple(tightened)


class _Writer:
    """Appends paragraphs to the document body, with what hangs on them and the breaks they need."""

    def __init__(self, package: DocxDocument, profile: Profile) -> None:
        self.package = package
        self.profile = profile
        self.ids = DrawingIds()
        self.break_before = False  # the next paragraph starts a page
        self.section_end: etree._Element | None = None  # the paragraph ending the numbered pages

    def add(self, para: Para, laid: LaidLines = None) -> None:
        """``para`` with the lines the layout decided for it (None: estimated; a spacer has no text)."""
        if para.table is not None and para.table.landscape:
            self._add_turned(para, laid)
            return
        if para.table is not None:
            _add_table(self.package, para, self.profile, laid)
            return
        lines = _text_lines(laid)
        paragraph = self.package.add_paragraph()._p
        _paragraph_properties(paragraph.get_or_add_pPr(), para, self.profile, lines, self.break_before)
        self.break_before = False
        for decoration in para.decorations:
            paragraph.append(self._decoration(para, decoration, lines))
        tightened = _squeezed_lines(lines, self.profile)
        offset = 0
        for span in para.spans:
            _add_span(paragraph, span, offset, para.forced_breaks, tightened, self.profile)
            offset += len(span.text)
        for tab, gap in zip(para.tabs, _tab_gaps(para, lines, self.profile), strict=True):
            _add_tab(paragraph, tab, gap >= _MIN_TAB_PT, self.profile)

    def _add_turned(self, para: Para, laid: LaidLines) -> None:
        """A landscape table, a page at a time: each page starts with an empty lead paragraph
        (tables in a row would merge), and what follows starts a new page."""
        for group in turned_pages(_bands(para, self.profile, laid), self.profile):
            self.break_before = True
            self.add(Para(ParaKind.SPACER, (), height_pt=LANDSCAPE_LEAD_PT))
            add_turned_table(self.package.element.body, group, self.profile, self._run_properties)
        self.break_before = True

    def _run_properties(self, properties: etree._Element, role: Role) -> None:
        _run_properties(properties, self.profile, role, 0.0)

    def add_foot(self, rows: Sequence[tuple[Para, LaidLines]], plan: FootPlan) -> None:
        """The 版记's rows in one frame at the foot of the block, after the blank pages ``plan`` starts.

        Set at the foot rather than pushed there by empty lines, it stays there when a reader's
        fonts set the body longer or shorter; a body too long for the room above it takes it to
        the foot of the next page, after the body. Word sets a frame where its paragraphs fall in
        the text, LibreOffice on the page of the paragraph after it: a hairline paragraph after
        the frame. That one carries the rows' rules too, placed from the block's top (the frame's
        place is known): LibreOffice would set a frame's first paragraph's drawings on its anchor.
        """
        self._break_to_foot_page(plan)
        if self.break_before:
            self.add(_HAIRLINE)  # starts the 版记's page in Word's text flow as well
        heights = [_paragraph_height(row, _text_lines(laid), self.profile) for row, laid in rows]
        top = self.profile.page.block_height_pt - sum(heights)
        rules: list[DrawnLine] = []
        for (row, laid), height in zip(rows, heights, strict=True):
            rules += [_on_block(rule, top, height) for rule in _rules(row)]
            self.add(replace(row, decorations=tuple(d for d in row.decorations if not isinstance(d, DrawnLine))), laid)
            _frame_at_foot(self._last_paragraph(), self.profile)
            top += height
        # Fits above the frame on a full page: the block is 0.9 pt taller than its 22 grid lines.
        self.add(replace(_HAIRLINE, decorations=tuple(rules)))

    def _break_to_foot_page(self, plan: FootPlan) -> None:
        """Break to the 版记's page through the blank pages before it; a section without numbers
        starts at the first unnumbered page."""
        for index, numbered in enumerate(plan.pages):
            if not numbered and self.section_end is None:
                self.section_end = self._last_paragraph()
            else:
                self.break_before = True
            if index < len(plan.pages) - 1:
                self.add(BLANK)  # a blank page holds one empty line

    def _last_paragraph(self) -> etree._Element:
        """The body's last paragraph, to carry the section break; after a table, a hairline paragraph
        (the block's 0.9 pt beyond 22 grid lines holds it)."""
        last = self.package.element.body.find(qn("w:sectPr")).getprevious()
        if last is None or last.tag != qn("w:p"):
            self.add(Para(ParaKind.SPACER, (), height_pt=MIN_SPACER_PT))
            last = self.package.element.body.find(qn("w:sectPr")).getprevious()
        return last

    def _decoration(self, para: Para, decoration: Decoration, lines: Sequence[Line] | None) -> etree._Element:
        shift = _paragraph_height(para, lines, self.profile) if decoration.anchor is Anchor.PARA_END else 0.0
        from_paragraph = decoration.anchor is not Anchor.BLOCK
        if isinstance(decoration, DrawnLine):
            top = decoration.y_pt - decoration.width_pt / 2 + shift
            width = decoration.x1_pt - decoration.x0_pt
            box = Box(decoration.x0_pt, top, width, decoration.width_pt, from_paragraph)
            return rule_run(box, decoration.color.upper(), self.ids)
        if isinstance(decoration, Picture):
            box = Box(
                decoration.x_pt, decoration.y_pt + shift, decoration.width_pt, decoration.height_pt, from_paragraph
            )
            return self._picture(decoration, box)
        return self._label(decoration, shift, from_paragraph)

    def _picture(self, picture: Picture, box: Box) -> etree._Element:
        from docgen.render.images import raster_picture  # image support loads only for documents with pictures

        data, _ = raster_picture(picture.image)
        relationship, _ = self.package.part.get_or_add_image(io.BytesIO(data))
        return picture_run(box, relationship, PurePath(picture.image.name).name, picture.description, self.ids)

    def _label(self, label: Label, shift: float, from_paragraph: bool) -> etree._Element:
        """One line in a text box whose exact line puts the baseline where the label's is."""
        size = label.span.size_pt or self.profile.roles[label.span.role].size_pt
        height = _LABEL_LINE_EM * size
        paragraph = OxmlElement("w:p")
        properties = sub(paragraph, "w:pPr")
        _line_pitch(properties, self.profile, height)
        sub(properties, "w:ind", left="0", right="0", firstLine="0")
        sub(properties, "w:jc", val="left")
        _add_span(paragraph, label.span, 0, (), (), self.profile)
        top = label.baseline_pt - self.profile.grid.baseline_ratio * height + shift
        box = Box(label.x_pt, top, label.width_pt + size, height, from_paragraph)  # room to spare: never wraps
        return text_box_run(box, paragraph, self.ids)


_LABEL_LINE_EM = 2.0  # a label's line: tall enough that no glyph is clipped above or below


_HAIRLINE = Para(ParaKind.SPACER, (), height_pt=MIN_SPACER_PT)


def _text_lines(laid: LaidLines) -> tuple[Line, ...] | None:
    return None if laid is None else tuple(line for line in laid if isinstance(line, Line))


def _rules(para: Para) -> list[DrawnLine]:
    return [decoration for decoration in para.decorations if isinstance(decoration, DrawnLine)]


def _on_block(rule: DrawnLine, top_pt: float, height_pt: float) -> DrawnLine:
    """``rule`` of a paragraph whose top is ``top_pt`` under the block's top edge, placed from that edge."""
    shift = top_pt + (height_pt if rule.anchor is Anchor.PARA_END else 0.0)
    return replace(rule, y_pt=rule.y_pt + shift, anchor=Anchor.BLOCK)


def _frame_at_foot(paragraph: etree._Element, profile: Profile) -> None:
    """Put ``paragraph`` in the frame at the block's foot, as wide as the block, no text beside it.

    Paragraphs in a row with the same frame share it; w:framePr follows the page-break
    properties in the schema's order.
    """
    properties = paragraph.get_or_add_pPr()
    leading = sum(1 for child in properties if child.tag in (qn("w:keepNext"), qn("w:pageBreakBefore")))
    frame = OxmlElement("w:framePr")
    for key, value in (("w", twips(profile.page.block_width_pt)), ("wrap", "notBeside"), ("vAnchor", "margin"),
                       ("hAnchor", "margin"), ("xAlign", "left"), ("yAlign", "bottom")):  # fmt: skip
        frame.set(qn(f"w:{key}"), value)
    properties.insert(leading, frame)


def _paragraph_height(para: Para, lines: Sequence[Line] | None, profile: Profile) -> float:
    if lines:
        return sum(line.height for line in lines)
    return (1 + len(para.forced_breaks)) * (para.height_pt or profile.grid.line_pitch_pt)


def _paragraph_properties(
    properties: etree._Element, para: Para, profile: Profile, lines: Sequence[Line] | None, page_break: bool
) -> None:
    """Keeps, breaks, tab stops, line height, indents, alignment, outline level — in the schema's order."""
    if para.keep_with_next:
        sub(properties, "w:keepNext")
    if page_break or para.page_break_before:
        sub(properties, "w:pageBreakBefore")
    if para.tabs:
        stops = sub(properties, "w:tabs")
        for tab in para.tabs:
            sub(stops, "w:tab", val=_TAB_ALIGNMENT[tab.align], pos=twips(tab.x_pt))
    # LibreOffice reads overflowPunct="1" as "no hanging punctuation" (it maps "0" to hanging),
    # which keeps a full line at exactly its 28 characters.
    sub(properties, "w:overflowPunct", val="1")
    _line_pitch(properties, profile, para.height_pt)
    indent = _indent(para, profile, lines)
    if indent:
        sub(properties, "w:ind", **indent)
    sub(properties, "w:jc", val=_JUSTIFICATION[para.align])
    if para.kind in _OUTLINE_LEVEL:
        sub(properties, "w:outlineLvl", val=str(_OUTLINE_LEVEL[para.kind]))


_TAB_ALIGNMENT = {Align.LEFT: "left", Align.CENTER: "center", Align.RIGHT: "right"}


def _indent(para: Para, profile: Profile, lines: Sequence[Line] | None) -> dict[str, str]:
    """w:ind in twips; a hanging paragraph's continuation lines start under its hang_at-th glyph."""
    unit = profile.char_unit_pt(Role.BODY)
    first = pt_to_twips(para.first_indent_chars * unit)
    right = twips(para.right_indent_chars * unit)
    hang = _hang_pt(para, profile, lines)
    if hang is None:
        return {"right": right, "firstLine": str(first)} if first or para.right_indent_chars else {}
    left = pt_to_twips(hang)
    if left >= first:
        return {"left": str(left), "right": right, "hanging": str(left - first)}
    return {"left": str(left), "right": right, "firstLine": str(first - left)}


def _hang_pt(para: Para, profile: Profile, lines: Sequence[Line] | None) -> float | None:
    """The x of the paragraph's hang_at-th glyph on its first line: the PDF's advances, or an
    estimate in 字 of the role's size without fonts."""
    if para.hang_at is None:
        return None
    first = para.first_indent_chars * profile.char_unit_pt(Role.BODY)
    if lines and len(lines[0].glyphs) >= para.hang_at:
        return first + sum(glyph.width + glyph.spacing for glyph in lines[0].glyphs[: para.hang_at])
    role = para.spans[0].role if para.spans else Role.BODY
    chars = set_width_in_chars(para.text[: para.hang_at], profile.grid.western_gap_em)
    return first + chars * profile.char_unit_pt(role)


def _normal_spacing(size_pt: float, profile: Profile) -> float:
    """Letter spacing is for the grid's characters; other sizes are set solid unless squeezed."""
    return profile.grid.letter_spacing_pt if size_pt == profile.roles[Role.BODY].size_pt else 0.0


def _add_span(
    paragraph: etree._Element,
    span: Span,
    offset: int,
    breaks: tuple[int, ...],
    tightened: tuple[_Tightened, ...],
    profile: Profile,
) -> None:
    """Add ``span`` (starting at ``offset`` in its paragraph) as runs: a line break at each
    forced break, and the squeezed lines' characters in runs of their own spacing."""
    normal = _normal_spacing(span.size_pt or profile.roles[span.role].size_pt, profile)
    end = offset + len(span.text)
    edges = {edge for t in tightened for edge in (t.start, t.end)}
    cuts = sorted({offset, end, *(b for b in breaks if offset < b < end), *(e for e in edges if offset < e < end)})
    for start, stop in pairwise(cuts):
        squeeze = next((t.squeeze_pt for t in tightened if t.start <= start < t.end), 0.0)
        spacing = math.floor((normal - squeeze) * TWIPS_PER_PT) / TWIPS_PER_PT if squeeze else normal
        run = sub(paragraph, "w:r")
        _run_properties(sub(run, "w:rPr"), profile, span.role, spacing, span.size_pt)
        if start in breaks:
            sub(run, "w:br")
        text = sub(run, "w:t")
        text.text = span.text[start - offset : stop - offset]


_MIN_TAB_PT = 1.0


def _tab_gaps(para: Para, lines: Sequence[Line] | None, profile: Profile) -> list[float]:
    """How far each tab's text starts after the text before it ends (the PDF's glyphs, or widths in 字)."""
    if lines and len(lines[0].tabs) == len(para.tabs):
        line = lines[0]
        end = line.left + line.natural_width
        starts_ends = [(placed.x, placed.x + width_of(placed.glyphs)) for placed in line.tabs]
    else:
        unit = profile.char_unit_pt(Role.BODY)
        end = para.first_indent_chars * unit + _estimated_width(para.spans, profile)
        starts_ends = []
        for tab in para.tabs:
            width = _estimated_width(tab.spans, profile)
            start = tab.x_pt - {Align.CENTER: width / 2, Align.RIGHT: width}.get(tab.align, 0.0)
            starts_ends.append((start, start + width))
    gaps = []
    for start, tab_end in starts_ends:
        gaps.append(start - end)
        end = tab_end
    return gaps


def _estimated_width(spans: Sequence[Span], profile: Profile) -> float:
    gap = profile.grid.western_gap_em
    return sum(set_width_in_chars(span.text, gap) * profile.char_unit_pt(span.role) for span in spans)


def _add_tab(paragraph: etree._Element, tab: Tab, tabbed: bool, profile: Profile) -> None:
    """A tab character to the paragraph's tab stop at ``tab.x_pt``, then the tab's text. Text that
    starts where the text before it ends goes without the tab: Word and LibreOffice would take a
    tab stop they are already at (or a hair past) as passed and jump to the next one."""
    first = tab.spans[0] if tab.spans else Span("", Role.BODY)
    if tabbed:
        run = sub(paragraph, "w:r")
        _run_properties(sub(run, "w:rPr"), profile, first.role, 0.0, first.size_pt)
        sub(run, "w:tab")
    for span in tab.spans:
        _add_span(paragraph, span, 0, (), (), profile)


def _add_page_number_footers(package: DocxDocument, profile: Profile, letter: bool) -> None:
    """`— N —` in 4号 宋体: odd pages 1 character in from the right, even pages from the left (7.5);
    a letter's first page has none (10.1)."""
    package.settings.odd_and_even_pages_header_footer = True
    section = package.sections[0]
    indent = twips(profile.page_number.outer_indent_chars * profile.char_unit_pt(profile.page_number.char_unit))
    for footer, align, side in ((section.footer, "right", "right"), (section.even_page_footer, "left", "left")):
        footer.is_linked_to_previous = False
        paragraph = footer.paragraphs[0]
        properties = _footer_line(paragraph, profile)
        sub(properties, "w:ind", **{side: indent})
        sub(properties, "w:jc", val=align)
        dash = profile.page_number.dash
        _number_run(paragraph, profile, f"{dash} ")
        field = sub(paragraph._p, "w:fldSimple", instr=" PAGE ")
        _number_run(paragraph, profile, "1", parent=field)
        _number_run(paragraph, profile, f" {dash}")
    if letter:
        section.different_first_page_header_footer = True
        section.first_page_footer.is_linked_to_previous = False
        _footer_line(section.first_page_footer.paragraphs[0], profile)


def _footer_line(paragraph: DocxParagraph, profile: Profile) -> etree._Element:
    """A footer line exactly as tall as the number, numbered or empty, so every footer takes the same room."""
    properties = paragraph._p.get_or_add_pPr()
    size = profile.roles[Role.PAGE_NUMBER].size_pt
    sub(properties, "w:spacing", before="0", after="0", line=twips(size), lineRule="exact")
    return properties


def _unnumbered_section(package: DocxDocument, section_end: etree._Element, profile: Profile) -> None:
    """End the numbered pages at ``section_end``; the pages after it (blank ones and the 版记's)
    form a section starting on a new page whose footers are empty (7.5)."""
    final = package.element.body.find(qn("w:sectPr"))
    section_end.get_or_add_pPr().append(copy.deepcopy(final))  # the numbered pages keep their footers
    for reference in final.findall(qn("w:footerReference")):
        final.remove(reference)
    final.get_or_add_type().set(qn("w:val"), "nextPage")
    section = package.sections[-1]
    section.different_first_page_header_footer = False
    for footer in (section.footer, section.even_page_footer):
        footer.is_linked_to_previous = False
        _footer_line(footer.paragraphs[0], profile)


def _number_run(paragraph: DocxParagraph, profile: Profile, text: str, parent: etree._Element | None = None) -> None:
    run = sub(paragraph._p if parent is None else parent, "w:r")
    _run_properties(sub(run, "w:rPr"), profile, Role.PAGE_NUMBER, 0.0)
    element = sub(run, "w:t")
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
