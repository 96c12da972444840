"""Tables in the DOCX: the rows the layout sized (whole grid lines) as a fixed-layout w:tbl.

Cells get their own exact line pitch (they must not inherit the body's 28.95 pt), the lines
the layout broke (a w:br at each break, so Word, WPS and LibreOffice break where the PDF
does), zero top and bottom margins and vertical centring; w:gridCol widths add up to the
block exactly, which WPS needs to keep the columns.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from itertools import pairwise

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from lxml import etree

from docgen.layout.tables import Cell, RowBand
from docgen.profile import Profile
from docgen.render.docx.xml import sub, twips
from docgen.roles import Role
from docgen.units import mm_to_pt, pt_to_twips

RunProperties = Callable[[etree._Element, Role], None]  # fills a w:rPr for a role


def add_table(body: etree._Element, bands: Sequence[RowBand], profile: Profile, run_properties: RunProperties) -> None:
    """Append the table whose rows are ``bands`` to ``body`` (before its final w:sectPr)."""
    table = OxmlElement("w:tbl")
    _table_properties(table, bands[0], profile)
    grid = sub(table, "w:tblGrid")
    widths = _column_twips(bands[0])
    for width in widths:
        sub(grid, "w:gridCol", w=str(width))
    for band in bands:
        _add_row(table, band, widths, profile, run_properties)
    _append(body, table)


def _table_properties(table: etree._Element, first: RowBand, profile: Profile) -> None:
    properties = sub(table, "w:tblPr")
    sub(properties, "w:tblW", w=twips(first.edges[-1] - first.edges[0]), type="dxa")
    # Word 2013 and later (compatibilityMode 15, docx_tidy) measure the indent to the table's left border,
    # not to the first cell's text as Word 2010 did: no indent puts the border on the block's edge.
    sub(properties, "w:tblInd", w="0", type="dxa")
    _borders(properties, profile)
    sub(properties, "w:tblLayout", type="fixed")
    margins = sub(properties, "w:tblCellMar")
    padding = twips(mm_to_pt(profile.table.cell_padding_mm))
    for side, width in (("top", "0"), ("left", padding), ("bottom", "0"), ("right", padding)):
        sub(margins, f"w:{side}", w=width, type="dxa")


def _add_row(
    table: etree._Element, band: RowBand, widths: list[int], profile: Profile, run_properties: RunProperties
) -> None:
    row = sub(table, "w:tr")
    properties = sub(row, "w:trPr")
    sub(properties, "w:cantSplit")
    sub(properties, "w:trHeight", val=twips(band.height), hRule="exact")
    if band.header:
        sub(properties, "w:tblHeader")  # repeated on every page the table reaches
    for cell, width in zip(band.cells, widths, strict=True):
        element = sub(row, "w:tc")
        cell_properties = sub(element, "w:tcPr")
        sub(cell_properties, "w:tcW", w=str(width), type="dxa")
        sub(cell_properties, "w:vAlign", val="center")
        pitch = twips(profile.table.cell_line_pitch_pt)
        _cell_paragraph(element, cell, _role(band), pitch, run_properties, keep_with_next=band.keep_with_next)


def _borders(properties: etree._Element, profile: Profile) -> None:
    borders = sub(properties, "w:tblBorders")
    size = str(round(mm_to_pt(profile.table.border_mm) * 8))  # eighths of a point
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        sub(borders, f"w:{side}", val="single", sz=size, space="0", color="000000")


def _cell_paragraph(
    cell_element: etree._Element,
    cell: Cell,
    role: Role,
    pitch: str,
    run_properties: RunProperties,
    keep_with_next: bool = False,
) -> None:
    """The cell's text on its own exact pitch, a w:br at each of the layout's line breaks; a row
    kept with the next (the header, the row above the totals) keeps its paragraphs with the next."""
    paragraph = sub(cell_element, "w:p")
    paragraph_properties = sub(paragraph, "w:pPr")
    if keep_with_next:
        sub(paragraph_properties, "w:keepNext")
    sub(paragraph_properties, "w:spacing", before="0", after="0", line=pitch, lineRule="exact")
    sub(paragraph_properties, "w:ind", left="0", right="0", firstLine="0")
    sub(paragraph_properties, "w:jc", val="center" if cell.centred else "left")
    for index, glyphs in enumerate(cell.rows):
        run = sub(paragraph, "w:r")
        run_properties(sub(run, "w:rPr"), role)
        if index:
            sub(run, "w:br")
        text = sub(run, "w:t")
        text.text = "".join(glyph.char for glyph in glyphs)
        text.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")


def _append(body: etree._Element, table: etree._Element) -> None:
    """Before the body's final w:sectPr."""
    section = body.find(qn("w:sectPr"))
    if section is not None:
        section.addprevious(table)
    else:
        body.append(table)


def add_turned_table(
    body: etree._Element, bands: Sequence[RowBand], profile: Profile, run_properties: RunProperties
) -> None:
    """One page of a landscape table, turned: its rows become columns left to right, its columns
    rows from the page's foot up, its text runs bottom to top (w:textDirection btLr). The page
    stays upright, so its page number stays where every page has it (clause 8)."""
    table = OxmlElement("w:tbl")
    heights = [band.height for band in bands]
    _turned_properties(table, sum(heights), profile)
    grid = sub(table, "w:tblGrid")
    widths = _rounded(heights)
    for width in widths:
        sub(grid, "w:gridCol", w=str(width))
    lengths = _column_twips(bands[0])
    pitch = twips(profile.table.cell_line_pitch_pt)
    for column in reversed(range(len(lengths))):  # the table's first column at the foot
        row = sub(table, "w:tr")
        row_properties = sub(row, "w:trPr")
        sub(row_properties, "w:cantSplit")
        sub(row_properties, "w:trHeight", val=str(lengths[column]), hRule="exact")
        for band, width in zip(bands, widths, strict=True):
            cell = band.cells[column]
            element = sub(row, "w:tc")
            cell_properties = sub(element, "w:tcPr")
            sub(cell_properties, "w:tcW", w=str(width), type="dxa")
            sub(cell_properties, "w:textDirection", val="btLr")
            sub(cell_properties, "w:vAlign", val="top")
            _cell_paragraph(element, cell, _role(band), pitch, run_properties)
    _append(body, table)


def _role(band: RowBand) -> Role:
    return Role.TABLE_HEADER if band.header else Role.TABLE


def _column_twips(band: RowBand) -> list[int]:
    return _rounded([right - left for left, right in pairwise(band.edges)])


def _rounded(lengths: Sequence[float]) -> list[int]:
    """Lengths in twips that add up to the rounded total (each edge rounded once): WPS keeps
    columns only when w:gridCol adds up to the table's width."""
    edges, total = [0], 0.0
    for length in lengths:
        total += length
        edges.append(pt_to_twips(total))
    return [right - left for left, right in pairwise(edges)]


def _turned_properties(table: etree._Element, width_pt: float, profile: Profile) -> None:
    properties = sub(table, "w:tblPr")
    sub(properties, "w:tblW", w=twips(width_pt), type="dxa")
    # Word 2013 mode (docx_tidy) measures the indent to the left border's outer edge, and a turned
    # table's cells have no side padding: without this its text stands a border's width right of the PDF's.
    sub(properties, "w:tblInd", w=twips(-mm_to_pt(profile.table.border_mm)), type="dxa")
    _borders(properties, profile)
    sub(properties, "w:tblLayout", type="fixed")
    margins = sub(properties, "w:tblCellMar")
    padding = twips(mm_to_pt(profile.table.cell_padding_mm))  # along the turned text: the page's height
    for side, width in (("top", padding), ("left", "0"), ("bottom", padding), ("right", "0")):
        sub(margins, f"w:{side}", w=width, type="dxa")
