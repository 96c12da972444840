"""Tables in the DOCX: the rows the typesetter sized (whole grid lines) as a fixed-layout w:tbl.

Cells get their own exact line pitch (they must not inherit the body's 28.95 pt), the lines
the typesetter broke (a w:br at each break, so Word, WPS and LibreOffice break where the PDF
does), zero top and bottom margins and vertical centring; w:gridCol widths add up to the
block exactly, which WPS needs to keep the columns.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from itertools import pairwise

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from lxml import etree

from docgen.profile import Profile, mm_to_pt
from docgen.typeset import RowBand

TWIPS_PER_PT = 20
RunProperties = Callable[[etree._Element, str], None]  # fills a w:rPr for a role


def _sub(parent: etree._Element, tag: str, **attributes: str) -> etree._Element:
    element = OxmlElement(tag)
    for key, value in attributes.items():
        element.set(qn(f"w:{key}"), value)
    parent.append(element)
    return element


def _twips(points: float) -> str:
    return str(round(points * TWIPS_PER_PT))


def add_table(body: etree._Element, bands: Sequence[RowBand], profile: Profile, run_properties: RunProperties) -> None:
    """Append the table whose rows are ``bands`` to ``body`` (before its final w:sectPr)."""
    table = OxmlElement("w:tbl")
    _table_properties(table, bands[0], profile)
    grid = _sub(table, "w:tblGrid")
    edges = [round(edge * TWIPS_PER_PT) for edge in bands[0].edges]  # rounded once: columns add up
    for left, right in pairwise(edges):
        _sub(grid, "w:gridCol", w=str(right - left))
    for band in bands:
        _add_row(table, band, edges, profile, run_properties)
    section = body.find(qn("w:sectPr"))
    if section is not None:
        section.addprevious(table)
    else:
        body.append(table)


def _table_properties(table: etree._Element, first: RowBand, profile: Profile) -> None:
    properties = _sub(table, "w:tblPr")
    _sub(properties, "w:tblW", w=_twips(first.edges[-1] - first.edges[0]), type="dxa")
    # Word and LibreOffice measure the indent to the first cell's text: its border then sits on the block's edge.
    _sub(properties, "w:tblInd", w=_twips(mm_to_pt(profile.table.cell_padding_mm)), type="dxa")
    borders = _sub(properties, "w:tblBorders")
    size = str(round(mm_to_pt(profile.table.border_mm) * 8))  # eighths of a point
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        _sub(borders, f"w:{side}", val="single", sz=size, space="0", color="000000")
    _sub(properties, "w:tblLayout", type="fixed")
    margins = _sub(properties, "w:tblCellMar")
    padding = _twips(mm_to_pt(profile.table.cell_padding_mm))
    for side, width in (("top", "0"), ("left", padding), ("bottom", "0"), ("right", padding)):
        _sub(margins, f"w:{side}", w=width, type="dxa")


def _add_row(
    table: etree._Element, band: RowBand, edges: list[int], profile: Profile, run_properties: RunProperties
) -> None:
    row = _sub(table, "w:tr")
    properties = _sub(row, "w:trPr")
    _sub(properties, "w:cantSplit")
    _sub(properties, "w:trHeight", val=_twips(band.height), hRule="exact")
    if band.header:
        _sub(properties, "w:tblHeader")  # repeated on every page the table reaches
    role = "table_header" if band.header else "table"
    for cell, (left, right) in zip(band.cells, pairwise(edges), strict=True):
        element = _sub(row, "w:tc")
        cell_properties = _sub(element, "w:tcPr")
        _sub(cell_properties, "w:tcW", w=str(right - left), type="dxa")
        _sub(cell_properties, "w:vAlign", val="center")
        paragraph = _sub(element, "w:p")
        paragraph_properties = _sub(paragraph, "w:pPr")
        pitch = _twips(profile.table.cell_line_pitch_pt)
        _sub(paragraph_properties, "w:spacing", before="0", after="0", line=pitch, lineRule="exact")
        _sub(paragraph_properties, "w:ind", left="0", right="0", firstLine="0")
        _sub(paragraph_properties, "w:jc", val="center" if cell.centred else "left")
        for index, glyphs in enumerate(cell.rows):
            run = _sub(paragraph, "w:r")
            run_properties(_sub(run, "w:rPr"), role)
            if index:
                _sub(run, "w:br")
            text = _sub(run, "w:t")
            text.text = "".join(glyph.char for glyph in glyphs)
            text.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
