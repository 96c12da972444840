"""`docgen check` for the elements placed by millimetres: the 版头, the letter's and order's
heads, and the 版记 (GB/T 9704 7.2, 7.4, 10).

Read from a fixed-layout file's Layout (docgen.measure.pdf), like everything docgen measures. Which format a
document is in is read off page 1: a mark above the text block is a letter's (10.1), a mark
ending in 令 an order's (10.2), any other mark a 文件's or 纪要's. Large type alone is no mark
(a heading styled "Title" is 26 pt): a format's rules apply only when page 1 shows the format.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum

from docgen.check.clauses import block_bottom_mm
from docgen.check.findings import Finding, Severity, page_place
from docgen.i18n import _
from docgen.measure.pdf import Page, Stroke, TextLine, em_bottom_mm, em_top_mm
from docgen.profile import Profile
from docgen.roles import Role

_MARK_MIN_PT = 24.0  # bigger than the 2号 title: only the organ mark is set this large
_TITLE_SLACK_PT = 0.5  # a title measured this much under the profile's size is still one (a reader's rounding)
_TOLERANCE_MM = 0.5  # docgen's: 7.2 and 10 place the head's elements by millimetres and give no tolerance
_MARK_ENDINGS = ("文件", "令", "纪要")  # 7.2.4, 10.2, 10.3: a mark that names its format
# A 版记 line (7.4.2, 7.4.3): 抄送： or 主送： with its colon, or the 印发 line ending in its date.
_COLOPHON_LINE = re.compile(r"^(?:抄送|主送)[：:]|\d日印发$")


class Format(StrEnum):
    """The formats of GB/T 9704 whose heads are measured."""

    FILE = "file"  # 文件 (7.2), and 纪要 (10.3) with the same 版头
    LETTER = "letter"  # 信函 (10.1)
    ORDER = "order"  # 命令 (10.2)


@dataclass(frozen=True)
class Head:
    """What page 1 says about the document's format."""

    mark: TextLine | None
    kind: Format
    lines: tuple[TextLine, ...]  # page 1's lines above the title or body: measured here, not as body


def read_head(first: Page, strokes: list[Stroke], profile: Profile) -> Head:
    """The head of page 1 (``strokes`` are the document's): no mark unless the large type shows one."""
    marks = [line for line in first.lines if max(char.size for char in line.chars) >= _MARK_MIN_PT]
    if not marks or not _shows_a_mark(marks, strokes):
        return Head(None, Format.FILE, ())
    mark = marks[0]
    ascent = profile.header.em_ascent
    # What the mark says comes first: a letter's mark is the organ's name alone (10.1), above the block.
    if any(line.text.strip().endswith(("文件", "纪要")) for line in marks):
        kind = Format.FILE
    elif mark.text.strip().endswith("令"):
        kind = Format.ORDER
    elif em_top_mm(mark, ascent) < profile.page.top_mm:
        kind = Format.LETTER
    else:
        kind = Format.FILE
    last_mark = marks[-1]
    below = [line for line in first.lines if line.baseline_mm > last_mark.baseline_mm]
    title = next((line for line in below if any(_title_sized(char.size, profile) for char in line.chars)), None)
    if title is None and len(below) > 1:  # an order has no title: its head ends with the order number
        title = below[1]
    end = title.baseline_mm if title else last_mark.baseline_mm + 0.1
    return Head(mark, kind, tuple(line for line in first.lines if line.baseline_mm < end))


def is_title_size(size_pt: float, profile: Profile) -> bool:
    """Whether text of ``size_pt`` is set as large as the profile's title (2号), allowing a reader's rounding."""
    return size_pt >= profile.roles[Role.TITLE].size_pt - _TITLE_SLACK_PT


def _title_sized(size_pt: float, profile: Profile) -> bool:
    """A title's size: the profile's title size or over, and under an organ mark's."""
    return is_title_size(size_pt, profile) and size_pt < _MARK_MIN_PT


def _shows_a_mark(marks: list[TextLine], strokes: list[Stroke]) -> bool:
    """Whether the large type on page 1 is an organ mark: it names its format (…文件, …令, …纪要), or
    a red line lies under it (the 版头's separator, 7.2.7; the letter's double lines, 10.1)."""
    named = any(line.text.strip().endswith(_MARK_ENDINGS) for line in marks)
    underlined = any(s.page == 1 and is_red(s.color) and s.y_mm > marks[-1].baseline_mm for s in strokes)
    return named or underlined


def is_red(color: tuple[float, ...]) -> bool:
    """Red as a PDF gives it: RGB, or CMYK (print shops' red is magenta and yellow); a pattern is not."""
    if not all(isinstance(part, int | float) for part in color):
        return False
    if len(color) == 3:
        return color[0] > 0.8 and max(color[1:]) < 0.3
    if len(color) == 4:
        cyan, magenta, yellow, black = color
        return magenta > 0.7 and yellow > 0.7 and max(cyan, black) < 0.3
    return False


def check_head(head: Head, strokes: list[Stroke], profile: Profile) -> Iterator[Finding]:
    """Each element of the head out of place."""
    if head.mark is None:
        return
    ascent = profile.header.em_ascent
    top = em_top_mm(head.mark, ascent)
    if head.kind is Format.LETTER:  # 10.1 measures from the page's edge
        clause, expected, origin, measured = "10.1", profile.letter.mark_top_mm, _("the page's top edge"), top
    else:
        clause, rules = ("10.2", profile.order) if head.kind is Format.ORDER else ("7.2.3", profile.header)
        expected, origin, measured = rules.mark_top_mm, _("the block's top"), top - profile.page.top_mm
    if abs(measured - expected) > _TOLERANCE_MM:
        where, measured_text = (
            page_place(1),
            _("top edge {measured:.1f} mm below {origin}").format(measured=measured, origin=origin),
        )
        yield Finding(clause, Severity.REQUIRED, _("issuing-organ mark"), where, measured_text, f"{expected:g} mm")
    if head.kind is Format.FILE:
        yield from _red_line(head, strokes, profile)


def _red_line(head: Head, strokes: list[Stroke], profile: Profile) -> Iterator[Finding]:
    assert head.mark is not None
    ascent = profile.header.em_ascent
    number = next((line for line in head.lines if line.baseline_mm > head.mark.baseline_mm and "号" in line.text), None)
    red = [s for s in strokes if s.page == 1 and is_red(s.color)]
    if number is None or not red:
        if not red:
            rule, expected = _("separator line (版头分隔线)"), _("a red line across the block")
            yield Finding("7.2.6", Severity.REQUIRED, rule, page_place(1), _("none"), expected)
        return
    gap = red[0].y_mm - em_bottom_mm(number, ascent)
    expected = profile.header.rule_below_number_mm
    if abs(gap - expected) > _TOLERANCE_MM:
        measured = _("{gap:.1f} mm under the 发文字号").format(gap=gap)
        yield Finding("7.2.6", Severity.REQUIRED, _("separator line"), page_place(1), measured, f"{expected:g} mm")


def check_colophon(pages: list[Page], strokes: list[Stroke], letter: bool, profile: Profile) -> Iterator[Finding]:
    """The 版记's last line on the bottom edge of the block of the last page, an even one (7.4)."""
    page = next((p for p in reversed(pages) if any(_COLOPHON_LINE.search(line.text) for line in p.lines)), None)
    if page is None or letter:
        return
    bottom = block_bottom_mm(profile)
    width = profile.page.width_mm - profile.page.left_mm - profile.page.right_mm - 1
    lines = [s for s in strokes if s.page == page.number and s.x1_mm - s.x0_mm >= width]
    if not lines:
        expected = _("thick lines over and under the 版记")
        yield Finding("7.4.1", Severity.REQUIRED, _("版记 lines"), page_place(page.number), _("none"), expected)
        return
    if abs(lines[-1].y_mm - bottom) > _TOLERANCE_MM:
        off = lines[-1].y_mm - bottom
        side = (
            _("last line {off:.1f} mm below the block's bottom edge")
            if off > 0
            else _("last line {off:.1f} mm above the block's bottom edge")
        )
        measured = side.format(off=abs(off))
        where = page_place(page.number)
        yield Finding("7.4.1", Severity.REQUIRED, _("版记 position"), where, measured, _("on the bottom edge"))
    if page.number % 2:
        where, expected = page_place(page.number), _("the last page is an even one")
        yield Finding("7.4", Severity.NORMALLY, _("版记 page"), where, _("an odd page"), expected)


def unnumbered_pages(pages: list[Page], letter: bool, profile: Profile) -> set[int]:
    """Pages that carry no number by the standard: a letter's first page (10.1), blank pages
    and the 版记 page after them (7.5)."""
    bottom = block_bottom_mm(profile)
    blank = {
        page.number
        for page in pages
        if not page.turned and not [line for line in page.lines if line.baseline_mm < bottom]
    }
    exempt = {1} if letter else set()
    if blank and pages[-1].number - 1 in blank:
        exempt |= blank | {pages[-1].number}
    return exempt
