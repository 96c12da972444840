"""Tables on the grid: column widths from the source or the content, cells broken into lines,
rows sized to whole grid lines (a landscape table's along its turned frame)."""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from itertools import pairwise

from docgen.compose.paragraphs import Decoration, Para, Span, table_rows
from docgen.errors import DocgenError
from docgen.layout.lines import TOLERANCE_PT, WORD, Glyph, advance, fill_rows, units_of
from docgen.model import Table
from docgen.profile import Profile
from docgen.roles import Role
from docgen.text.cjk import NO_LINE_END, NO_LINE_START, is_hanzi
from docgen.units import MM_PER_PT

# bracket its marks (（亿元）).
_UNIT_CHARS = "年月日时项个家处次件条座台辆所名人户元万亿倍"
_CELL_UNBREAKABLE = re.compile(rf"{WORD}[{_UNIT_CHARS}]?|（[^（）]{{1,4}}）|——|⸺|……|\s+")
_SHORT_HEAD = 4  # a column head of up to 4 hanzi is never broken
_CELL_SPARE_PT = 1.0


@dataclass(frozen=True)
class Cell:
    rows: tuple[tuple[Glyph, ...], ...]  # the cell's lines
    centred: bool  # a one-line cell is centred, a longer one set flush left


@dataclass(frozen=True)
class RowBand:
    """One table row: its cells' lines, its column edges (from the block's left edge) and a
    height of whole grid lines, so the text after the table stays on the grid."""

    cells: tuple[Cell, ...]
    edges: tuple[float, ...]  # len(cells) + 1 x positions
    height: float
    header: bool
    repeat: RowBand | None = None  # the table's header row, repeated on each page the table reaches
    keep_with_next: bool = False
    page_break_before: bool = False
    at_foot: bool = False
    decorations: tuple[Decoration, ...] = ()
    landscape: bool = False  # a row of a table turned on its own pages


# A turned table runs up the page from the block's foot and stops this far short of its top:
# in the DOCX an empty paragraph of this height starts each such page (two tables in a row
# would merge into one).
LANDSCAPE_LEAD_PT = 1.0


@dataclass(frozen=True)
class TurnedFrame:
    """The frame of a landscape table's page: its length runs up the block, its depth across it."""

    length: float  # along the table's rows: the block's height less the lead
    depth: float  # across: whole grid lines of the block's width

    @classmethod
    def of(cls, profile: Profile) -> TurnedFrame:
        pitch = profile.grid.line_pitch_pt
        length = profile.grid.lines_per_page * pitch - LANDSCAPE_LEAD_PT
        return cls(length, (profile.page.block_width_pt // pitch) * pitch)


CellGlyphs = list[list[list[Glyph]]]  # rows of cells of glyphs


def column_edges(table: Table, cells: CellGlyphs, profile: Profile) -> tuple[float, ...]:
    """Column edges across the block (along a turned table's frame): the source's proportions, or
    widths that follow the content of ``cells`` (the glyphs of the table's rows)."""
    block = TurnedFrame.of(profile).length if table.landscape else profile.page.block_width_pt
    if table.widths:
        widths = [block * width / sum(table.widths) for width in table.widths]
        _check_widths(table, cells, widths, profile)
    else:
        widths = _content_widths(cells, block, profile)
    edges, x = [0.0], 0.0
    for width in widths:
        x += width
        edges.append(x)
    return tuple(edges)


def _cell_margin(profile: Profile) -> float:
    """What a column's width gives beyond its text: padding both sides, the border (Word and
    LibreOffice take it from the cell's room too) and a point to spare, since they round widths
    to twips and a line that just fits must not wrap there."""
    return 2 * profile.table.cell_padding_mm / MM_PER_PT + profile.table.border_mm / MM_PER_PT + _CELL_SPARE_PT


def _cellunits_of(glyphs: list[Glyph], header: bool) -> list[list[Glyph]]:
    """A cell's unbreakable pieces: a short column head whole, numbers with their units, words."""
    if header and 1 < len(glyphs) <= _SHORT_HEAD and all(is_hanzi(glyph.char) for glyph in glyphs):
        return [glyphs]
    return units_of(glyphs, _CELL_UNBREAKABLE)


def _column_runs(cells: CellGlyphs, column: int) -> list[list[Glyph]]:
    return [unit for index, row in enumerate(cells) for unit in _cellunits_of(row[column], index == 0)]


def _content_widths(cells: CellGlyphs, block: float, profile: Profile) -> list[float]:
    """Each column at least its widest unbreakable run; the rest of the block goes first to the
    columns whose text is, row by row, the longest beyond that, up to the widest cell's one line."""
    margin = _cell_margin(profile)
    count = len(cells[0])
    least = [max((advance(u) for u in _column_runs(cells, j)), default=0.0) + margin for j in range(count)]
    natural = [max(advance(row[j]) for row in cells) + margin for j in range(count)]
    if sum(least) >= block:  # even the runs cannot all fit: they break where they must, in proportion
        return [block * width / sum(least) for width in least]
    if sum(natural) <= block:  # every cell on one line, the room over shared out
        return [block * width / sum(natural) for width in natural]
    typical = [sum(advance(row[j]) for row in cells[1:]) / max(len(cells) - 1, 1) + margin for j in range(count)]
    wants = [max(typical[j] - least[j], 0.0) for j in range(count)]
    if not sum(wants):
        wants = [natural[j] - least[j] for j in range(count)]
    spare = block - sum(least)
    widths = [least[j] + min(spare * wants[j] / sum(wants), natural[j] - least[j]) for j in range(count)]
    return [block * width / sum(widths) for width in widths]  # what a column could not take, in proportion


def _check_widths(table: Table, cells: CellGlyphs, widths: list[float], profile: Profile) -> None:
    """A DocgenError naming the table and the column whose source width cannot hold one of its unbreakable runs."""
    margin = _cell_margin(profile)
    for column, width in enumerate(widths):
        run = max(_column_runs(cells, column), key=advance, default=[])
        if advance(run) > width - margin + TOLERANCE_PT:
            where = f"{table.source}: " if table.source else ""
            head = "、".join(table.header[:3]) + ("…" if len(table.header) > 3 else "")
            text = "".join(glyph.char for glyph in run)
            raise DocgenError(
                f"{where}the table headed {head}: column {column + 1} ({table.header[column]}) is "
                f"{width * MM_PER_PT:.1f} mm wide, too narrow for “{text}”, which is not broken "
                f"({(advance(run) + margin) * MM_PER_PT:.1f} mm with the cell's padding); widen it in 'widths', "
                "or leave 'widths' out to size the columns by their content"
            )


def table_bands(para: Para, glyphs_of: Callable[[Span], list[Glyph]], profile: Profile) -> list[RowBand]:
    """The rows of ``para.table`` broken into cell lines and sized to whole grid lines. A row
    taller than a page (under its repeated header) goes on in a band of its own on the next.
    A totals row is kept with the row above it, never alone on a page."""
    table = para.table
    assert table is not None
    cells = [
        [glyphs_of(Span(text, Role.TABLE_HEADER if index == 0 else Role.TABLE)) if text else [] for text in row]
        for index, row in enumerate(table_rows(table))
    ]
    edges = column_edges(table, cells, profile)
    margin = _cell_margin(profile)
    cell_pitch = profile.table.cell_line_pitch_pt
    capacity = (
        TurnedFrame.of(profile).depth if table.landscape else profile.grid.lines_per_page * profile.grid.line_pitch_pt
    )
    bands: list[RowBand] = []
    for index, row in enumerate(cells):
        lines = [
            _cell_lines(glyphs, right - left - margin, index == 0)
            for glyphs, (left, right) in zip(row, pairwise(edges), strict=True)
        ]
        if table.totals and index == len(cells) - 1 and index > 1:
            bands[-1] = replace(bands[-1], keep_with_next=True)
        room = capacity - (bands[0].height if bands else 0.0)
        per_band = max(1, int(room // cell_pitch))
        bands.extend(_row_bands(lines, edges, per_band, index == 0, profile))
    head = replace(bands[0], keep_with_next=True, landscape=table.landscape)  # a header row never ends a page
    return [head, *(replace(band, repeat=head, landscape=table.landscape) for band in bands[1:])]


def _cell_lines(glyphs: list[Glyph], available: float, header: bool) -> tuple[tuple[Glyph, ...], ...]:
    if not glyphs:
        return ((),)
    rows = fill_rows(_cellunits_of(glyphs, header), lambda _: available, 0.0)
    return tuple(tuple(row) for row in _company_for_lone_last(rows, available))


def _company_for_lone_last(rows: list[list[Glyph]], available: float) -> list[list[Glyph]]:
    """A cell's last line of one character (局, 日) takes the piece before it down with it, as long
    as the line above keeps something: cells cannot squeeze a line to pull it up."""
    if len(rows) < 2 or sum(glyph.char not in NO_LINE_START for glyph in rows[-1]) != 1:
        return rows
    units = units_of(rows[-2], _CELL_UNBREAKABLE)
    moved = [units.pop()]
    while units and (moved[0][0].char in NO_LINE_START or units[-1][-1].char in NO_LINE_END):
        moved.insert(0, units.pop())
    last = [glyph for unit in moved for glyph in unit] + rows[-1]
    if not units or advance(last) > available + TOLERANCE_PT:
        return rows
    return [*rows[:-2], [glyph for unit in units for glyph in unit], last]


def _row_bands(
    cells: list[tuple[tuple[Glyph, ...], ...]], edges: tuple[float, ...], per_band: int, header: bool, profile: Profile
) -> list[RowBand]:
    """One row as bands of at most ``per_band`` cell lines, each a whole number of grid lines tall."""
    pitch = profile.grid.line_pitch_pt
    tallest = max(len(lines) for lines in cells)
    bands = []
    for start in range(0, tallest, per_band):
        chunk = [lines[start : start + per_band] or ((),) for lines in cells]
        height = max(1, math.ceil(max(len(lines) for lines in chunk) * profile.table.cell_line_pitch_pt / pitch - 0.01))
        centred = [len(lines) == 1 and tallest <= per_band for lines in chunk]
        band_cells = tuple(Cell(lines, flag) for lines, flag in zip(chunk, centred, strict=True))
        bands.append(RowBand(band_cells, edges, height * pitch, header and start == 0))
    return bands
