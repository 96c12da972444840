"""Measuring written documents: where the text of a PDF actually is, and how LibreOffice lays out a DOCX.

The one place that turns output back into geometry. The tests and `docgen check` both use
it, so a figure means the same everywhere. Positions are in millimetres from the page's
top-left corner; a line's position is its baseline, read from the text matrix.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from docgen.profile import Profile
from docgen.text.cjk import width_in_chars
from docgen.units import MM_PER_PT

if TYPE_CHECKING:
    from pdfplumber.page import Page as PlumberPage

_SAME_BASELINE_PT = 1.0


@dataclass(frozen=True)
class Char:
    text: str
    font: str  # PostScript name without the subset tag
    size: float
    x0_mm: float
    x1_mm: float
    top_mm: float = 0.0  # the glyph box as pdfplumber reads it (for sideways text, its extent up the page)
    bottom_mm: float = 0.0
    origin_mm: tuple[float, float] = (0.0, 0.0)  # where its baseline starts: (x, y from the page's top)


@dataclass(frozen=True)
class TextLine:
    page: int  # 1-based
    baseline_mm: float
    chars: tuple[Char, ...]

    @property
    def text(self) -> str:
        return "".join(char.text for char in self.chars)

    @property
    def x0_mm(self) -> float:
        return self.chars[0].x0_mm

    @property
    def x1_mm(self) -> float:
        return self.chars[-1].x1_mm

    @property
    def cells(self) -> float:
        """Width in 字 as GB/T 9704 counts it (a digit is half)."""
        return width_in_chars(self.text)


@dataclass(frozen=True)
class Page:
    number: int
    width_mm: float
    height_mm: float
    lines: tuple[TextLine, ...]
    turned: tuple[Char, ...] = ()  # characters set sideways (a landscape table), not in any line


def read_pdf(path: Path) -> list[Page]:
    """Every text line of every page, top to bottom, characters left to right; characters set
    sideways (a turned table) apart, in each page's ``turned``."""
    return [_page(page) for page in _pages_of(path)]


def _pages_of(path: Path) -> Iterator[PlumberPage]:
    """pdfplumber's pages of ``path``, each closed after use: memory holds one page's objects at a time."""
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            yield page
            page.close()


def _page(page: PlumberPage) -> Page:
    height = float(page.height)
    turned = tuple(_char(char, height) for char in page.chars if not char["upright"])
    rows = _rows((char for char in page.chars if char["upright"]), height)
    lines = tuple(
        TextLine(page.page_number, key * MM_PER_PT, tuple(_char(c, height) for c in sorted(chars, key=_x0)))
        for key, chars in sorted(rows.items())
    )
    return Page(page.page_number, float(page.width) * MM_PER_PT, height * MM_PER_PT, lines, turned)


def _rows(chars: Iterable[dict], page_height: float) -> dict[float, list[dict]]:
    """Characters by line, keyed by the line's baseline (down from the top edge): a character joins
    the first line begun within 1 pt of its baseline, or begins one there.

    Lines begun are at least 1 pt apart, so each 1-pt bin of baselines holds one at most and the
    lines near a character are in its bin and the two beside it: linear time however many lines.
    """
    rows: dict[float, list[dict]] = {}
    begun: dict[int, tuple[int, float]] = {}  # bin → (the line's place in the order begun, its baseline)
    for char in chars:
        baseline = page_height - char["matrix"][5]
        bin_ = math.floor(baseline / _SAME_BASELINE_PT)
        near = [begun[b] for b in (bin_ - 1, bin_, bin_ + 1) if b in begun]
        near = [line for line in near if abs(line[1] - baseline) < _SAME_BASELINE_PT]
        if near:
            key = min(near)[1]
        else:
            key = baseline
            begun[bin_] = (len(rows), key)
            rows[key] = []
        rows[key].append(char)
    return rows


def _x0(raw: dict) -> float:
    return raw["x0"]


def _char(raw: dict, page_height: float) -> Char:
    font = str(raw["fontname"]).split("+", 1)[-1]
    box = (raw[key] * MM_PER_PT for key in ("x0", "x1", "top", "bottom"))
    origin = (raw["matrix"][4] * MM_PER_PT, (page_height - raw["matrix"][5]) * MM_PER_PT)
    return Char(raw["text"], font, round(float(raw["size"]), 2), *box, origin)


@dataclass(frozen=True)
class Grid:
    """How the text of one page sits on the profile's grid."""

    page: int
    body: tuple[TextLine, ...]  # lines inside the text block
    below: tuple[TextLine, ...]  # lines under it (the page number)
    slots: tuple[int, ...]  # grid slot of each body line, 0-based
    offsets_mm: tuple[float, ...]  # each body line's distance from its slot


def grid_of(page: Page, profile: Profile) -> Grid:
    """Assign each line inside the block to its grid slot; the slot's top is the line top.

    A line's top is its baseline less ``baseline_ratio`` of the pitch (where Word and
    LibreOffice put the baseline of an exact line), so a line on slot k has its top
    k pitches below the block's top edge.
    """
    pitch_mm = profile.grid.line_pitch_pt * MM_PER_PT
    top_mm = profile.page.top_mm
    bottom_mm = profile.page.height_mm - profile.page.bottom_mm
    body, below, slots, offsets = [], [], [], []
    for line in page.lines:
        line_top = line_top_mm(line, profile)
        if line_top < bottom_mm - pitch_mm / 2:
            slot = round((line_top - top_mm) / pitch_mm)
            body.append(line)
            slots.append(slot)
            offsets.append(line_top - (top_mm + slot * pitch_mm))
        else:
            below.append(line)
    return Grid(page.number, tuple(body), tuple(below), tuple(slots), tuple(offsets))


def is_table_cell(line: TextLine) -> bool:
    """A table cell's line: 4号 text on the cells' own pitch, as opposed to the 版记's 4号 rows."""
    return (
        all(char.size < 15 for char in line.chars)
        and not line.text.startswith(("抄送", "主送"))
        and "印发" not in line.text
    )


def line_top_mm(line: TextLine, profile: Profile) -> float:
    """Top of a body line: its baseline less ``baseline_ratio`` of the pitch."""
    return line.baseline_mm - profile.grid.baseline_ratio * profile.grid.line_pitch_pt * MM_PER_PT


def page_number_dash_mm(line: TextLine, profile: Profile) -> float:
    """Where a page number's 一字线 stands, what 7.5 measures from the block: the profile's
    dash_rise_em of the number's size above its baseline."""
    return line.baseline_mm - profile.page_number.dash_rise_em * line.chars[0].size * MM_PER_PT


def em_top_mm(line: TextLine, em_ascent: float) -> float:
    """The top edge of a line's characters: the ideographic em box rises ``em_ascent`` of the size
    above the baseline (how the 版头's millimetres are measured, font by font the same)."""
    return line.baseline_mm - em_ascent * max(char.size for char in line.chars) * MM_PER_PT


def em_bottom_mm(line: TextLine, em_ascent: float) -> float:
    return line.baseline_mm + (1 - em_ascent) * max(char.size for char in line.chars) * MM_PER_PT


@dataclass(frozen=True)
class Stroke:
    """A horizontal line on a page: its centre line, ends, thickness and colour (RGB 0–1)."""

    page: int
    y_mm: float
    x0_mm: float
    x1_mm: float
    width_mm: float
    color: tuple[float, ...]


@dataclass(frozen=True)
class Placed:
    """A picture's box on a page."""

    page: int
    x0_mm: float
    top_mm: float
    x1_mm: float
    bottom_mm: float


_HORIZONTAL_MM = 2.0  # a filled box thinner than this is a rule drawn as a rectangle


def read_strokes(path: Path) -> list[Stroke]:
    """Horizontal rules, whether drawn as stroked lines or as thin filled boxes (LibreOffice does both)."""
    return _by_height([stroke for page in _pages_of(path) for stroke in _strokes(page)])


def _strokes(page: PlumberPage) -> Iterator[Stroke]:
    for line in page.lines:
        if abs(line["top"] - line["bottom"]) < 0.01:
            color = tuple(line.get("stroking_color") or (0,))
            yield _stroke(page.page_number, line, line["top"], line["linewidth"], color)
    for box in page.rects + page.curves:
        height = box["bottom"] - box["top"]
        if height * MM_PER_PT < _HORIZONTAL_MM and (box["x1"] - box["x0"]) * MM_PER_PT > 10:
            color = tuple(box.get("non_stroking_color") or box.get("stroking_color") or (0,))
            width = height or box.get("linewidth", 0)
            yield _stroke(page.page_number, box, (box["top"] + box["bottom"]) / 2, width, color)


def _by_height(strokes: list[Stroke]) -> list[Stroke]:
    return sorted(strokes, key=lambda stroke: (stroke.page, stroke.y_mm))


def _stroke(page: int, raw: dict, y: float, width: float, color: tuple[float, ...]) -> Stroke:
    return Stroke(page, y * MM_PER_PT, raw["x0"] * MM_PER_PT, raw["x1"] * MM_PER_PT, float(width) * MM_PER_PT, color)


def read_pictures(path: Path) -> list[Placed]:
    return [picture for page in _pages_of(path) for picture in _pictures(page)]


def _pictures(page: PlumberPage) -> Iterator[Placed]:
    for image in page.images:
        yield Placed(page.page_number, *(image[key] * MM_PER_PT for key in ("x0", "top", "x1", "bottom")))


@dataclass(frozen=True)
class Layout:
    """What docgen check measures in a PDF: its text, rules and pictures, read in one pass."""

    pages: list[Page]
    strokes: list[Stroke]
    pictures: list[Placed]


def read_layout(path: Path, share: tuple[int, int] = (0, 1)) -> Layout:
    """read_pdf, read_strokes and read_pictures of ``path`` at once: each page is parsed once, not three times.

    ``share`` (k, n) reads only every n-th page from the k-th (0-based): n readers working at once
    on one file, their Layouts joined by ``joined``.
    """
    part, parts = share
    return layout_of(page for index, page in enumerate(_pages_of(path)) if index % parts == part)


def joined(shares: Iterable[Layout]) -> Layout:
    """The Layouts of a file's shares (read_layout) as the Layout of the whole file."""
    layouts = list(shares)
    pages = sorted((page for layout in layouts for page in layout.pages), key=lambda page: page.number)
    strokes = _by_height([stroke for layout in layouts for stroke in layout.strokes])
    pictures = sorted((picture for layout in layouts for picture in layout.pictures), key=lambda picture: picture.page)
    return Layout(pages, strokes, pictures)


def layout_of(pages: Iterable[PlumberPage]) -> Layout:
    """The Layout of pages as pdfplumber gives them, or of records shaped like them (measure/ofd's):
    the one place a page's characters, rules and pictures become what check and the tests measure."""
    texts, strokes, pictures = [], [], []
    for page in pages:
        texts.append(_page(page))
        strokes.extend(_strokes(page))
        pictures.extend(_pictures(page))
    return Layout(texts, _by_height(strokes), pictures)
