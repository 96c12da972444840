"""Line breaking on the grid: a paragraph's glyphs into lines.

Greedy filling as Word and LibreOffice do it, with the Chinese rules on top: 避头尾
(GB/T 15834 punctuation never starts or ends a line), squeezing a line by at most
``max_squeeze_pt`` per gap before pushing a character down, numbers and Latin words kept
whole, and no single character left alone on a paragraph's last line when a squeeze
avoids it.
"""

from __future__ import annotations

import re
import unicodedata
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from functools import cache
from typing import NamedTuple

from docgen.compose.paragraphs import Align, Anchor, Decoration, Para, Tab, split_at
from docgen.layout.fonts import FontFile
from docgen.profile import Profile
from docgen.roles import Role
from docgen.text.cjk import NO_LINE_END, NO_LINE_START, is_hanzi, meets_western

# Numbers, Latin words, e-mail addresses and such, never broken inside (GB/T 15835 5.1); a
# closing mark before a number stays with it, as LibreOffice's break iterator keeps it.
WORD = r"[，。、；：？！）》」』】〕〉”’]?[0-9A-Za-z]+(?:[.,@_\-/:+·%][0-9A-Za-z]+)*%?"
_UNBREAKABLE = re.compile(rf"{WORD}|——|⸺|……|\s+")
# In a table's narrow cells a number keeps its unit too (2023年, 3项, 12亿元 as 12亿), and a short
TOLERANCE_PT = 0.01


class Glyph(NamedTuple):
    """One character as the layout places it. A named tuple, not a dataclass: a document makes one for
    every character, and a tuple is made in a third of a frozen dataclass's time."""

    char: str
    font: FontFile | None  # None: a width estimated without a font file (DOCX without fonts)
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


@cache  # a few thousand characters at most: one look-up a glyph
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
        spaced[index] = glyphs[index]._replace(spacing=gap)
    return spaced


def advance(glyphs: Sequence[Glyph]) -> float:
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


def units_of(glyphs: list[Glyph], unbreakable: re.Pattern[str] = _UNBREAKABLE) -> list[list[Glyph]]:
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
    unit = profile.char_unit_pt(Role.BODY)
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
                fill_rows(
                    units_of(segment),
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


def fill_rows(units: list[list[Glyph]], available_for: Callable[[int], float], max_squeeze: float) -> list[list[Glyph]]:
    """Greedy filling with 避头尾, squeezing before pushing down; a running total keeps it linear."""
    rows: list[list[list[Glyph]]] = []
    current: list[list[Glyph]] = []
    total, count = 0.0, 0  # width and spacing of the glyphs on the current line, and how many
    queue = deque(units)
    available = available_for(0)  # the line's width, asked again once a line is full
    while queue:
        unit = queue[0]
        unit_total = unit[0].width + unit[0].spacing if len(unit) == 1 else sum(g.width + g.spacing for g in unit)
        last = unit[-1].spacing
        overflow = total + unit_total - last + min(last, 0.0) - available  # as _advance counts it
        if not current and overflow > TOLERANCE_PT and len(unit) > 1:
            queue.popleft()
            queue.extendleft(reversed([[g] for g in unit]))  # a word longer than a line breaks anywhere
            continue
        if (
            not current
            or overflow <= TOLERANCE_PT
            or (unit[0].char in NO_LINE_START and overflow <= max_squeeze * max(count + len(unit) - 1, 1))
        ):  # it fits, or squeezes in
            current.append(queue.popleft())
            total, count = total + unit_total, count + len(unit)
            continue
        _push_down(current, queue)
        rows.append(current)
        current, total, count = [], 0.0, 0
        available = available_for(len(rows))
    if current:
        rows.append(current)
    flat = [[g for u in row for g in u] for row in rows]
    return _absorb_lone_last(flat, available_for, max_squeeze)


def _fits_squeezed(glyphs: list[Glyph], available: float, max_squeeze: float) -> bool:
    gaps = max(len(glyphs) - 1, 1)
    return advance(glyphs) - available <= max_squeeze * gaps + TOLERANCE_PT


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
