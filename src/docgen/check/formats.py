"""`docgen check` for the elements placed by millimetres: the 版头, the letter's and order's
heads, and the 版记 (GB/T 9704 7.2, 7.4, 10).

Read from the PDF through docgen.measure.pdf, like everything docgen measures. Which format a
document is in is read off page 1: a mark above the text block is a letter's (10.1), a mark
ending in 令 an order's (10.2), any other mark a 文件's or 纪要's. Large type alone is no mark
(a heading styled "Title" is 26 pt): a format's rules apply only when page 1 shows the format.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from docgen.measure.pdf import Page, Stroke, TextLine, em_bottom_mm, em_top_mm
from docgen.profile import Profile

REQUIRED, NORMALLY = "required", "normally"  # as docgen.check.checker words severities
Problem = tuple[str, str, str, str, str, str]  # clause, severity, rule, where, measured, expected
_MARK_MIN_PT = 24.0  # bigger than the 2号 title: only the organ mark is set this large
_TOLERANCE_MM = 0.5
_MARK_ENDINGS = ("文件", "令", "纪要")  # 7.2.4, 10.2, 10.3: a mark that names its format
# A 版记 line (7.4.2, 7.4.3): 抄送： or 主送： with its colon, or the 印发 line ending in its date.
_COLOPHON_LINE = re.compile(r"^(?:抄送|主送)[：:]|\d日印发$")


@dataclass(frozen=True)
class Head:
    """What page 1 says about the document's format."""

    mark: TextLine | None
    kind: str  # "file", "letter" or "order"
    lines: tuple[TextLine, ...]  # page 1's lines above the title or body: measured here, not as body


def read_head(first: Page, strokes: list[Stroke], profile: Profile) -> Head:
    """The head of page 1 (``strokes`` are the document's): no mark unless the large type shows one."""
    marks = [line for line in first.lines if max(char.size for char in line.chars) >= _MARK_MIN_PT]
    if not marks or not _shows_a_mark(marks, strokes):
        return Head(None, "file", ())
    mark = marks[0]
    ascent = profile.header.em_ascent
    # What the mark says comes first: a letter's mark is the organ's name alone (10.1), above the block.
    if any(line.text.strip().endswith(("文件", "纪要")) for line in marks):
        kind = "file"
    elif mark.text.strip().endswith("令"):
        kind = "order"
    elif em_top_mm(mark, ascent) < profile.page.top_mm:
        kind = "letter"
    else:
        kind = "file"
    last_mark = marks[-1]
    below = [line for line in first.lines if line.baseline_mm > last_mark.baseline_mm]
    title = next((line for line in below if any(21.5 <= char.size < _MARK_MIN_PT for char in line.chars)), None)
    if title is None and len(below) > 1:  # an order has no title: its head ends with the order number
        title = below[1]
    end = title.baseline_mm if title else last_mark.baseline_mm + 0.1
    return Head(mark, kind, tuple(line for line in first.lines if line.baseline_mm < end))


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


def check_head(head: Head, strokes: list[Stroke], profile: Profile) -> Iterator[Problem]:
    """Each element of the head out of place."""
    if head.mark is None:
        return
    ascent = profile.header.em_ascent
    top = em_top_mm(head.mark, ascent)
    if head.kind == "letter":
        expected, clause, origin = profile.letter.mark_top_mm, "10.1", "the page's top edge"
        measured = top
    else:
        rules = profile.order if head.kind == "order" else profile.header
        expected, clause, origin = rules.mark_top_mm, "10.2" if head.kind == "order" else "7.2.3", "the block's top"
        measured = top - profile.page.top_mm
    if abs(measured - expected) > _TOLERANCE_MM:
        yield (
            clause,
            REQUIRED,
            "issuing-organ mark",
            "page 1",
            f"top edge {measured:.1f} mm below {origin}",
            f"{expected:g} mm",
        )
    if head.kind == "file":
        yield from _red_line(head, strokes, profile)


def _red_line(head: Head, strokes: list[Stroke], profile: Profile) -> Iterator[Problem]:
    assert head.mark is not None
    ascent = profile.header.em_ascent
    number = next((line for line in head.lines if line.baseline_mm > head.mark.baseline_mm and "号" in line.text), None)
    red = [s for s in strokes if s.page == 1 and is_red(s.color)]
    if number is None or not red:
        if not red:
            yield "7.2.6", REQUIRED, "separator line (版头分隔线)", "page 1", "none", "a red line across the block"
        return
    gap = red[0].y_mm - em_bottom_mm(number, ascent)
    expected = profile.header.rule_below_number_mm
    if abs(gap - expected) > _TOLERANCE_MM:
        yield "7.2.6", REQUIRED, "separator line", "page 1", f"{gap:.1f} mm under the 发文字号", f"{expected:g} mm"


def check_colophon(pages: list[Page], strokes: list[Stroke], letter: bool, profile: Profile) -> Iterator[Problem]:
    """The 版记's last line on the bottom edge of the block of the last page, an even one (7.4)."""
    page = next((p for p in reversed(pages) if any(_COLOPHON_LINE.search(line.text) for line in p.lines)), None)
    if page is None or letter:
        return
    bottom = profile.page.height_mm - profile.page.bottom_mm
    width = profile.page.width_mm - profile.page.left_mm - profile.page.right_mm - 1
    lines = [s for s in strokes if s.page == page.number and s.x1_mm - s.x0_mm >= width]
    if not lines:
        yield "7.4.1", REQUIRED, "版记 lines", f"page {page.number}", "none", "thick lines over and under the 版记"
        return
    if abs(lines[-1].y_mm - bottom) > _TOLERANCE_MM:
        off = lines[-1].y_mm - bottom
        measured = f"last line {abs(off):.1f} mm {'below' if off > 0 else 'above'} the block's bottom edge"
        yield "7.4.1", REQUIRED, "版记 position", f"page {page.number}", measured, "on the bottom edge"
    if page.number % 2:
        yield "7.4", NORMALLY, "版记 page", f"page {page.number}", "an odd page", "the last page is an even one"


def unnumbered_pages(pages: list[Page], letter: bool, profile: Profile) -> set[int]:
    """Pages that carry no number by the standard: a letter's first page (10.1), blank pages
    and the 版记 page after them (7.5)."""
    bottom = profile.page.height_mm - profile.page.bottom_mm
    blank = {
        page.number
        for page in pages
        if not page.turned and not [line for line in page.lines if line.baseline_mm < bottom]
    }
    exempt = {1} if letter else set()
    if blank and pages[-1].number - 1 in blank:
        exempt |= blank | {pages[-1].number}
    return exempt
