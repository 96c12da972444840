"""Laid pages → what a fixed-layout renderer paints: runs of glyphs, strokes and pictures at their
final places on the page (points from its top-left corner, y down).

Everything a painter would otherwise decide is decided here: where a centred or right-aligned
line starts, what justification adds (or a squeeze takes) between glyphs, where decorations
anchored to the block or to a paragraph land, a landscape page's turned frame, the page number.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from operator import attrgetter

from docgen.compose.paragraphs import Align, Anchor, DrawnLine, Label, Para, ParaKind, Picture, Span
from docgen.layout.document import Item, Page, Run, Strokes, Turned
from docgen.layout.document import Picture as PlacedPicture
from docgen.layout.lines import Glyph, Line, width_of
from docgen.layout.metrics import FontMetrics
from docgen.layout.pagination import LaidPage, PageLine
from docgen.layout.tables import RowBand
from docgen.profile import Profile
from docgen.roles import Role
from docgen.units import mm_to_pt

_TABLE_BORDER_COLOR = "000000"


def paint_pages(pages: Sequence[LaidPage], profile: Profile, metrics: FontMetrics) -> tuple[Page, ...]:
    return tuple(_page(number, laid, profile, metrics) for number, laid in enumerate(pages, start=1))


def _page(number: int, laid: LaidPage, profile: Profile, metrics: FontMetrics) -> Page:
    items: list[Item | Turned] = []
    if laid.landscape:
        items.append(_turned(laid, profile))
    else:
        for page_line in laid.lines:
            items.extend(_page_line(page_line, profile, metrics))
    if laid.numbered:
        items.extend(_page_number(number, profile, metrics))
    page = profile.page
    return Page(
        mm_to_pt(page.width_mm),
        mm_to_pt(page.height_mm),
        tuple(items),
        number if laid.numbered else None,
        laid.landscape,
    )


def _page_line(page_line: PageLine, profile: Profile, metrics: FontMetrics) -> Iterator[Item]:
    left, block_top = mm_to_pt(profile.page.left_mm), mm_to_pt(profile.page.top_mm)
    line = page_line.line
    if isinstance(line, RowBand):
        yield from _row(line, left, block_top + page_line.top, profile)
        return
    baseline = block_top + page_line.top + profile.grid.baseline_ratio * line.height
    if line.glyphs:
        yield from runs(line.glyphs, left + _start(line), baseline, _extra_per_gap(line))
    for tab in line.tabs:
        yield from runs(tab.glyphs, left + tab.x, baseline, 0.0)
    yield from _decorations(page_line, profile, metrics)


def _turned(laid: LaidPage, profile: Profile) -> Turned:
    """A landscape table's page: the frame turned a quarter left about the block's bottom-left
    corner, so the table's head faces the page's left edge (the binding edge of odd pages, the
    outer edge of even ones, clause 8) and its rows run up from the block's foot; the page
    number stays where it is on other pages."""
    page = profile.page
    foot = mm_to_pt(page.top_mm) + profile.grid.lines_per_page * profile.grid.line_pitch_pt
    rows = [page_line.line for page_line in laid.lines if isinstance(page_line.line, RowBand)]
    items: list[Item] = []
    for page_line, row in zip(laid.lines, rows, strict=True):
        items.extend(_row(row, 0.0, page_line.top, profile, column_edges=False))
    depth = laid.lines[-1].top + rows[-1].height
    # One line down the whole page for each column edge, as Word draws them.
    edges = tuple((edge, 0.0, edge, depth) for edge in rows[0].edges)
    items.append(Strokes(edges, mm_to_pt(profile.table.border_mm), _TABLE_BORDER_COLOR))
    return Turned(mm_to_pt(page.left_mm), foot, tuple(items))


def _row(row: RowBand, left: float, top: float, profile: Profile, column_edges: bool = True) -> Iterator[Item]:
    """A table row whose top-left corner is at (left, top): borders on the cell edges (the column
    edges left to the caller when ``column_edges`` is off), each cell's lines centred vertically."""
    bottom = top + row.height
    first, last = left + row.edges[0], left + row.edges[-1]
    segments = [(first, top, last, top), (first, bottom, last, bottom)]
    segments += [(left + edge, top, left + edge, bottom) for edge in row.edges] if column_edges else []
    yield Strokes(tuple(segments), mm_to_pt(profile.table.border_mm), _TABLE_BORDER_COLOR)
    pitch = profile.table.cell_line_pitch_pt
    padding = mm_to_pt(profile.table.cell_padding_mm)
    for cell, x0, x1 in zip(row.cells, row.edges, row.edges[1:], strict=False):
        # Turned cells start at the row's edge: LibreOffice doesn't centre sideways text as Word does.
        first_top = top + (0.0 if row.landscape else (row.height - len(cell.rows) * pitch) / 2)
        for index, glyphs in enumerate(cell.rows):
            baseline = first_top + index * pitch + profile.grid.baseline_ratio * pitch
            x = left + (x0 + x1 - width_of(glyphs)) / 2 if cell.centred else left + x0 + padding
            yield from runs(glyphs, x, baseline, 0.0)


def _decorations(page_line: PageLine, profile: Profile, metrics: FontMetrics) -> Iterator[Item]:
    """A line's rules, pictures and labels, placed from the block (or the line's top, for PARA anchors)."""
    left, block_top = mm_to_pt(profile.page.left_mm), mm_to_pt(profile.page.top_mm)
    for decoration in page_line.line.decorations:
        x = left + (decoration.x0_pt if isinstance(decoration, DrawnLine) else decoration.x_pt)
        y = block_top + (decoration.baseline_pt if isinstance(decoration, Label) else decoration.y_pt)
        if decoration.anchor is Anchor.PARA:
            y += page_line.top
        if isinstance(decoration, DrawnLine):
            segment = (x, y, x + decoration.x1_pt - decoration.x0_pt, y)
            yield Strokes((segment,), decoration.width_pt, decoration.color)
        elif isinstance(decoration, Picture):
            yield PlacedPicture(
                decoration.image, x, y, decoration.width_pt, decoration.height_pt, decoration.description
            )
        else:
            yield from runs(tuple(metrics.glyphs(Para(ParaKind.LABEL, (decoration.span,)), profile)), x, y, 0.0)


def _page_number(number: int, profile: Profile, metrics: FontMetrics) -> Iterator[Run]:
    """`— N —` with its 一字线 below_block_mm under the block; odd pages right, even pages left (7.5)."""
    rules = profile.page_number
    page = profile.page
    text = f"{rules.dash} {number} {rules.dash}"
    glyphs = tuple(metrics.glyphs(Para(ParaKind.PAGE_NUMBER, (Span(text, Role.PAGE_NUMBER),)), profile))
    indent = rules.outer_indent_chars * profile.char_unit_pt(rules.char_unit)
    width = width_of(glyphs)
    odd = number % 2 == 1
    x = mm_to_pt(page.width_mm - page.right_mm) - indent - width if odd else mm_to_pt(page.left_mm) + indent
    baseline = mm_to_pt(page.height_mm) - mm_to_pt(page.bottom_mm - profile.page_number_baseline_mm)
    yield from runs(glyphs, x, baseline, 0.0)


def _start(line: Line) -> float:
    if line.align is Align.CENTER:
        return line.left + (line.available - line.natural_width) / 2
    if line.align is Align.RIGHT:
        return line.left + line.available - line.natural_width
    return line.left


def _extra_per_gap(line: Line) -> float:
    """Space added (or, for a squeezed line, taken) between glyphs so both edges are flush."""
    if not line.stretch or len(line.glyphs) < 2:
        return 0.0
    return (line.available - line.natural_width) / (len(line.glyphs) - 1)


def runs(glyphs: Sequence[Glyph], x: float, baseline: float, extra: float) -> Iterator[Run]:
    """Glyphs set from ``x`` with ``extra`` after each one, as runs sharing font, size, spacing and colour."""
    positions = []
    for glyph in glyphs:
        positions.append(x)
        x += glyph.width + glyph.spacing + extra
    start, count = 0, len(glyphs)
    while start < count:
        first = glyphs[start]
        look = _run_look(first)
        end = start + 1
        while end < count and _run_look(glyphs[end]) == look:
            end += 1
        assert first.font is not None, "a glyph to paint has a font file"
        text = "".join([glyph.char for glyph in glyphs[start:end]])
        yield Run(
            text, tuple(positions[start:end]), baseline, first.font, first.size, first.spacing + extra, first.color
        )
        start = end


# What glyphs of one run share: font, size, spacing and colour (a tuple made in C, compared by identity first).
_run_look = attrgetter("font", "size", "spacing", "color")
