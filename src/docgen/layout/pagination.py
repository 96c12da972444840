"""Lines to pages on the 22-line grid: kept lines, page breaks, landscape tables on pages of their
own, the 版记 at the foot of an even page, unnumbered blank pages."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from docgen.layout.lines import Line
from docgen.layout.tables import RowBand, TurnedFrame
from docgen.profile import Profile


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
