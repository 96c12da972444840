"""Line breaking and page filling on the grid, for renderers that place every glyph (PDF).

Greedy filling as Word and LibreOffice do it, with the Chinese rules on top: 避头尾
(GB/T 15834 punctuation never starts or ends a line), squeezing a line by at most
``max_squeeze_pt`` per gap before pushing a character down, numbers and Latin words kept
whole, and no single character left alone on a paragraph's last line when a squeeze
avoids it.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from itertools import pairwise

from docgen.compose.paragraphs import Align, Anchor, Decoration, Para, Span, Tab, split_at, table_rows
from docgen.errors import DocgenError
from docgen.model import Table
from docgen.profile import MM_PER_PT, Profile
from docgen.text.cjk import NO_LINE_END, NO_LINE_START, is_hanzi, meets_western

# Numbers, Latin words, e-mail addresses and such, never broken inside (GB/T 15835 5.1); a
# closing mark before a number stays with it, as LibreOffice's break iterator keeps it.
_WORD = r"[，。、；：？！）》」』】〕〉”’]?[0-9A-Za-z]+(?:[.,@_\-/:+·%][0-9A-Za-z]+)*%?"
_UNBREAKABLE = re.compile(rf"{_WORD}|——|⸺|……|\s+")
# In a table's narrow cells a number keeps its unit too (2023年, 3项, 12亿元 as 12亿), and a short
# bracket its marks (（亿元）).
_UNIT_CHARS = "年月日时项个家处次件条座台辆所名人户元万亿倍"
_CELL_UNBREAKABLE = re.compile(rf"{_WORD}[{_UNIT_CHARS}]?|（[^（）]{{1,4}}）|——|⸺|……|\s+")
_SHORT_HEAD = 4  # a column head of up to 4 hanzi is never broken
_TOLERANCE_PT = 0.01


@dataclass(frozen=True, slots=True)
class Glyph:
    char: str
    font: str
    size: float
    width: float  # the glyph's own advance
    spacing: float  # letter spacing after it
    color: str = "000000"


@dataclass(frozen=True)
class PlacedTab:
    """A tab's glyphs and where they start on the line (from the block's left edge)."""

    glyphs: tuple[Glyph, ...]
    x: float


@dataclass(frozen=True)
class Line:
    glyphs: tuple[Glyph, ...]
    left: float  # offset of the line from the block's left edge
    available: float  # width the line may fill
    align: Align
    stretch: bool  # justified to both edges (a full line of a justified paragraph)
    keep_with_next: bool = False
    height: float = 0.0  # exact line height in points
    tabs: tuple[PlacedTab, ...] = ()
    decorations: tuple[Decoration, ...] = ()  # PARA anchors measured from this line's top
    page_break_before: bool = False
    at_foot: bool = False

    @property
    def natural_width(self) -> float:
        return width_of(self.glyphs)


def _strong_script(char: str) -> str | None:
    """'latin' for letters and digits, 'asian' for hanzi and full-width forms, None for the
    weak characters (ASCII punctuation, ·, quotes) that take the script of what precedes them."""
    if char.isascii():
        return "latin" if char.isalnum() else None
    if is_hanzi(char) or unicodedata.east_asian_width(char) in ("W", "F"):
        return "asian"
    return "latin" if unicodedata.category(char).startswith("L") else None


def _scripts(glyphs: list[Glyph]) -> list[str]:
    scripts, current = [], "asian"
    for glyph in glyphs:
        current = _strong_script(glyph.char) or current
        scripts.append(current)
    return scripts


def space_scripts(glyphs: list[Glyph], gap_em: float) -> list[Glyph]:
    """Where hanzi meet Latin letters or digits, add ``gap_em`` of the size (中西文间距); the last
    glyph before any change of script keeps no letter spacing, as Word and LibreOffice set it."""
    scripts = _scripts(glyphs)
    spaced = list(glyphs)
    for index in range(len(glyphs) - 1):
        if scripts[index] == scripts[index + 1]:
            continue
        meets = meets_western(glyphs[index].char, glyphs[index + 1].char)
        gap = gap_em * max(g.size for g in glyphs[index : index + 2]) if meets else 0.0
        spaced[index] = replace(glyphs[index], spacing=gap)
    return spaced


def _advance(glyphs: Sequence[Glyph]) -> float:
    """What a line fits by, counted as Word and LibreOffice count it so a line holds what
    theirs hold: the last glyph's (negative) letter spacing counts, a 中西文 gap after it not."""
    if not glyphs:
        return 0.0
    return width_of(glyphs) + min(glyphs[-1].spacing, 0.0)


def width_of(glyphs: Sequence[Glyph]) -> float:
    """From the first glyph's left edge to the last one's right edge."""
    if not glyphs:
        return 0.0
    return sum(g.width + g.spacing for g in glyphs) - glyphs[-1].spacing


def _units(glyphs: list[Glyph], unbreakable: re.Pattern[str] = _UNBREAKABLE) -> list[list[Glyph]]:
    """Glyphs grouped into pieces a line may not split."""
    text = "".join(g.char for g in glyphs)
    units: list[list[Glyph]] = []
    position = 0
    for match in unbreakable.finditer(text):
        units.extend([g] for g in glyphs[position : match.start()])
        units.append(glyphs[match.start() : match.end()])
        position = match.end()
    units.extend([g] for g in glyphs[position:])
    return units


def break_paragraph(
    para: Para, glyphs: list[Glyph], profile: Profile, tabs: Sequence[tuple[Tab, list[Glyph]]] = ()
) -> list[Line]:
    """The lines of one paragraph; ``tabs`` are its tab stops with their glyphs (single-line paragraphs)."""
    unit = profile.char_unit_pt("body")
    block = profile.page.block_width_pt
    right = para.right_indent_chars * unit
    first = para.first_indent_chars * unit
    if not glyphs:
        rows: list[list[Glyph]] = [[]]
    else:
        hang = first + width_of(glyphs[: para.hang_at]) + glyphs[para.hang_at - 1].spacing if para.hang_at else 0.0
        rows = []
        for segment in split_at(glyphs, para.forced_breaks):
            rows.extend(
                _fill(
                    _units(segment),
                    lambda index: block - right - (first if not rows and index == 0 else hang),
                    profile.grid.max_squeeze_pt,
                )
            )
    lines = []
    for index, row in enumerate(rows):
        left = first if index == 0 else hang if glyphs and para.hang_at else 0.0
        last = index == len(rows) - 1
        stretch = para.align is Align.DISTRIBUTE or (
            para.align is Align.JUSTIFY and (not last or width_of(row) > block - right - left)
        )
        lines.append(
            Line(
                tuple(row), left, block - right - left, para.align, stretch and len(row) > 1,
                para.keep_with_next and last, para.height_pt or profile.grid.line_pitch_pt,
            )
        )  # fmt: skip
    return _decorated(para, lines, _placed_tabs(tabs))


def _placed_tabs(tabs: Sequence[tuple[Tab, list[Glyph]]]) -> tuple[PlacedTab, ...]:
    placed = []
    for tab, glyphs in tabs:
        width = width_of(glyphs)
        shift = {Align.CENTER: width / 2, Align.RIGHT: width}.get(tab.align, 0.0)
        placed.append(PlacedTab(tuple(glyphs), tab.x_pt - shift))
    return tuple(placed)


def _decorated(para: Para, lines: list[Line], tabs: tuple[PlacedTab, ...]) -> list[Line]:
    """Hang the paragraph's tabs and decorations on its lines: PARA_END ones become PARA ones of the last line."""
    first, last = lines[0], lines[-1]
    ends = tuple(
        replace(d, y_pt=d.y_pt + last.height, anchor=Anchor.PARA)
        for d in para.decorations
        if d.anchor is Anchor.PARA_END
    )
    heads = tuple(d for d in para.decorations if d.anchor is not Anchor.PARA_END)
    lines[0] = replace(first, tabs=tabs, decorations=heads, page_break_before=para.page_break_before)
    if ends:
        lines[-1] = replace(lines[-1], decorations=lines[-1].decorations + ends)
    return [replace(line, at_foot=para.at_foot) for line in lines] if para.at_foot else lines


def _fill(units: list[list[Glyph]], available_for: Callable[[int], float], max_squeeze: float) -> list[list[Glyph]]:
    """Greedy filling with 避头尾, squeezing before pushing down; a running total keeps it linear."""
    rows: list[list[list[Glyph]]] = []
    current: list[list[Glyph]] = []
    total, count = 0.0, 0  # width and spacing of the glyphs on the current line, and how many
    queue = deque(units)
    while queue:
        unit = queue[0]
        available = available_for(len(rows))
        unit_total = sum(g.width + g.spacing for g in unit)
        last = unit[-1].spacing
        overflow = total + unit_total - last + min(last, 0.0) - available  # as _advance counts it
        if not current and overflow > _TOLERANCE_PT and len(unit) > 1:
            queue.popleft()
            queue.extendleft(reversed([[g] for g in unit]))  # a word longer than a line breaks anywhere
            continue
        squeezable = unit[0].char in NO_LINE_START and overflow <= max_squeeze * max(count + len(unit) - 1, 1)
        if not current or overflow <= _TOLERANCE_PT or squeezable:
            current.append(queue.popleft())
            total, count = total + unit_total, count + len(unit)
            continue
        _push_down(current, queue)
        rows.append(current)
        current, total, count = [], 0.0, 0
    if current:
        rows.append(current)
    flat = [[g for u in row for g in u] for row in rows]
    return _absorb_lone_last(flat, available_for, max_squeeze)


def _fits_squeezed(glyphs: list[Glyph], available: float, max_squeeze: float) -> bool:
    gaps = max(len(glyphs) - 1, 1)
    return _advance(glyphs) - available <= max_squeeze * gaps + _TOLERANCE_PT


def _push_down(current: list[list[Glyph]], queue: deque[list[Glyph]]) -> None:
    """Move units from the end of ``current`` to the queue until no rule is broken."""
    while len(current) > 1 and (current[-1][-1].char in NO_LINE_END or queue[0][0].char in NO_LINE_START):
        queue.appendleft(current.pop())


def _absorb_lone_last(
    rows: list[list[Glyph]], available_for: Callable[[int], float], max_squeeze: float
) -> list[list[Glyph]]:
    """Pull a lone last character (with the marks that close it, 孤字) up when a squeeze allows."""
    if len(rows) > 1 and sum(glyph.char not in NO_LINE_START for glyph in rows[-1]) == 1:
        merged = rows[-2] + rows[-1]
        if _fits_squeezed(merged, available_for(len(rows) - 2), max_squeeze):
            return [*rows[:-2], merged]
    return rows


@dataclass(frozen=True)
class PageLine:
    top: float  # the line's top edge below the block's top edge, in points
    line: Line | RowBand


@dataclass
class LaidPage:
    lines: list[PageLine] = field(default_factory=list)
    numbered: bool = True
    filled: float = 0.0  # how far down the lines reach
    landscape: bool = False  # holds a turned table: tops run across the page, from its left edge

    def place(self, line: Line | RowBand, top: float | None = None) -> None:
        top = self.filled if top is None else top
        self.lines.append(PageLine(top, line))
        self.filled = top + line.height


_FIT_PT = 0.5  # rounding of exact heights may not cost a line
_CELL_SPARE_PT = 1.0


def paginate(
    lines: Sequence[Line | RowBand], profile: Profile, first_page_numbered: bool = True, foot_on_even: bool = True
) -> list[LaidPage]:
    """Lines to pages, every slot of the grid filled; a line kept with the next moves over with it;
    a page break starts a new page; the 版记's lines go to the foot of the last page, an even one
    (7.4) unless ``foot_on_even`` is off (a letter's 版记 ends its last page, 10.1)."""
    capacity = profile.grid.lines_per_page * profile.grid.line_pitch_pt
    pages = [LaidPage(numbered=first_page_numbered)]
    body = [line for line in lines if not line.at_foot]
    index = 0
    while index < len(body):
        if _turned(body[index]):
            index = _turn(body, index, pages, profile)
            continue
        run = _kept_run(body, index)
        height = sum(line.height for line in run)
        current = pages[-1]
        fits = current.filled + height <= capacity + _FIT_PT or height > capacity
        if current.lines and (run[0].page_break_before or not fits):
            pages.append(LaidPage())
        for line in run:
            if pages[-1].filled + line.height > capacity + _FIT_PT:
                pages.append(LaidPage())
            if isinstance(line, RowBand) and line.repeat and not pages[-1].lines:
                pages[-1].place(line.repeat)
            pages[-1].place(line)
        index += len(run)
    if len(pages) > 1 and not pages[-1].lines:
        pages.pop()  # a landscape table ended the body
    _place_foot([line for line in lines if line.at_foot], pages, capacity, foot_on_even)
    return pages


def _turn(body: list[Line | RowBand], start: int, pages: list[LaidPage], profile: Profile) -> int:
    """Lay a landscape table's rows on pages of their own (tops measured across the turned frame);
    what follows starts a new page. Returns the index after the table."""
    end = start
    while end < len(body) and _turned(body[end]):
        end += 1
    for group in turned_pages(body[start:end], profile):
        page = pages[-1] if not pages[-1].lines else LaidPage()
        if page is not pages[-1]:
            pages.append(page)
        page.landscape = True
        for band in group:
            page.place(band)
    pages.append(LaidPage())
    return end


def _place_foot(foot: list[Line | RowBand], pages: list[LaidPage], capacity: float, on_even: bool) -> None:
    """The 版记 at the bottom of an even page; blank pages before it leave it and them unnumbered (7.5)."""
    if not foot:
        return
    height = sum(line.height for line in foot)
    last = pages[-1]
    if last.landscape or last.filled + height > capacity + _FIT_PT or (on_even and len(pages) % 2):
        pages.append(LaidPage())
        if on_even and len(pages) % 2:
            pages.append(LaidPage())
            pages[-2].numbered = pages[-1].numbered = False
    top = capacity - height
    for line in foot:
        pages[-1].place(line, top)
        top += line.height


def _kept_run(lines: list[Line | RowBand], start: int) -> list[Line | RowBand]:
    """The line at ``start`` and those kept with it (a heading with the next line); a page break
    (the next attachment's label) ends the run."""
    end = start
    while end < len(lines) - 1 and lines[end].keep_with_next and not _kept_apart(lines[end + 1]):
        end += 1
    return lines[start : end + 1]


def _kept_apart(line: Line | RowBand) -> bool:
    return _turned(line) or line.page_break_before


def _turned(line: Line | RowBand) -> bool:
    return isinstance(line, RowBand) and line.landscape


def layout(
    paras: Sequence[Para], lines_of: Callable[[Para], Sequence[Line | RowBand]], profile: Profile, letter: bool = False
) -> list[LaidPage]:
    """Pages of ``paras``; a letter's first page has no number and its 版记 ends its last page (10.1)."""
    lines = [line for para in paras for line in lines_of(para)]
    return paginate(lines, profile, first_page_numbered=not letter, foot_on_even=not letter)


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


def _cell_units(glyphs: list[Glyph], header: bool) -> list[list[Glyph]]:
    """A cell's unbreakable pieces: a short column head whole, numbers with their units, words."""
    if header and 1 < len(glyphs) <= _SHORT_HEAD and all(is_hanzi(glyph.char) for glyph in glyphs):
        return [glyphs]
    return _units(glyphs, _CELL_UNBREAKABLE)


def _column_runs(cells: CellGlyphs, column: int) -> list[list[Glyph]]:
    return [unit for index, row in enumerate(cells) for unit in _cell_units(row[column], index == 0)]


def _content_widths(cells: CellGlyphs, block: float, profile: Profile) -> list[float]:
    """Each column at least its widest unbreakable run; the rest of the block goes first to the
    columns whose text is, row by row, the longest beyond that, up to the widest cell's one line."""
    margin = _cell_margin(profile)
    count = len(cells[0])
    least = [max((_advance(u) for u in _column_runs(cells, j)), default=0.0) + margin for j in range(count)]
    natural = [max(_advance(row[j]) for row in cells) + margin for j in range(count)]
    if sum(least) >= block:  # even the runs cannot all fit: they break where they must, in proportion
        return [block * width / sum(least) for width in least]
    if sum(natural) <= block:  # every cell on one line, the room over shared out
        return [block * width / sum(natural) for width in natural]
    typical = [sum(_advance(row[j]) for row in cells[1:]) / max(len(cells) - 1, 1) + margin for j in range(count)]
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
        run = max(_column_runs(cells, column), key=_advance, default=[])
        if _advance(run) > width - margin + _TOLERANCE_PT:
            where = f"{table.source}: " if table.source else ""
            head = "、".join(table.header[:3]) + ("…" if len(table.header) > 3 else "")
            text = "".join(glyph.char for glyph in run)
            raise DocgenError(
                f"{where}the table headed {head}: column {column + 1} ({table.header[column]}) is "
                f"{width * MM_PER_PT:.1f} mm wide, too narrow for “{text}”, which is not broken "
                f"({(_advance(run) + margin) * MM_PER_PT:.1f} mm with the cell's padding); widen it in 'widths', "
                "or leave 'widths' out to size the columns by their content"
            )


def table_bands(para: Para, glyphs_of: Callable[[Span], list[Glyph]], profile: Profile) -> list[RowBand]:
    """The rows of ``para.table`` broken into cell lines and sized to whole grid lines. A row
    taller than a page (under its repeated header) goes on in a band of its own on the next.
    A totals row is kept with the row above it, never alone on a page."""
    table = para.table
    assert table is not None
    cells = [
        [glyphs_of(Span(text, "table_header" if index == 0 else "table")) if text else [] for text in row]
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
    rows = _fill(_cell_units(glyphs, header), lambda _: available, 0.0)
    return tuple(tuple(row) for row in _company_for_lone_last(rows, available))


def _company_for_lone_last(rows: list[list[Glyph]], available: float) -> list[list[Glyph]]:
    """A cell's last line of one character (局, 日) takes the piece before it down with it, as long
    as the line above keeps something: cells cannot squeeze a line to pull it up."""
    if len(rows) < 2 or sum(glyph.char not in NO_LINE_START for glyph in rows[-1]) != 1:
        return rows
    units = _units(rows[-2], _CELL_UNBREAKABLE)
    moved = [units.pop()]
    while units and (moved[0][0].char in NO_LINE_START or units[-1][-1].char in NO_LINE_END):
        moved.insert(0, units.pop())
    last = [glyph for unit in moved for glyph in unit] + rows[-1]
    if not units or _advance(last) > available + _TOLERANCE_PT:
        return rows
    return [*rows[:-2], [glyph for unit in units for glyph in unit], last]


def turned_pages(bands: Sequence[RowBand], profile: Profile) -> list[list[RowBand]]:
    """A landscape table's rows by page: each page its header row and the rows its depth holds."""
    depth = TurnedFrame.of(profile).depth
    pages: list[list[RowBand]] = []
    for band in bands:
        if not pages or sum(b.height for b in pages[-1]) + band.height > depth + _FIT_PT:
            page = pages[-1] if pages else []
            # A band kept with the next (the row above the totals) goes over with it, if a row stays behind.
            kept = [page.pop()] if len(page) > 2 and page[-1].keep_with_next and not page[-1].header else []
            pages.append([*([] if band.header or band.repeat is None else [band.repeat]), *kept, band])
        else:
            pages[-1].append(band)
    return pages


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
