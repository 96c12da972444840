"""What the DOCX takes from the PDF's pagination (typeset.layout): the page the 版记 goes on, and
which paragraphs kept with the next one the PDF splits across a page break.

Word and LibreOffice paginate for themselves; given the same lines they fill pages alike, but
the PDF keeps only a paragraph's last line with the next paragraph, where LibreOffice moves
the whole paragraph over. And neither knows that the 版记 belongs at the foot of an even page.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

from docgen.compose.paragraphs import Para
from docgen.layout.metrics import FontMetrics
from docgen.layout.typeset import LaidPage, Line, RowBand, layout
from docgen.profile import Profile


@dataclass(frozen=True)
class FootPlan:
    """How the 版记 reaches its page: the pages started after the body's last one (blank ones,
    then its own), each numbered or not; none when it shares the body's last page."""

    pages: tuple[bool, ...]


# Without glyph widths the body's end is unknown: the 版记 starts a new page.
FOOT_ON_NEW_PAGE = FootPlan((True,))


@dataclass(frozen=True)
class Pagination:
    split: frozenset[int]  # indices of paragraphs kept with the next that the PDF sets on two pages
    foot: FootPlan | None  # None: the document has no 版记
    pages: int | None  # how many pages the PDF has; None without glyph widths


def paginate_like_pdf(paras: Sequence[Para], profile: Profile, metrics: FontMetrics | None, letter: bool) -> Pagination:
    has_foot = any(para.at_foot for para in paras)
    if metrics is None:
        return Pagination(frozenset(), FOOT_ON_NEW_PAGE if has_foot else None, None)

    # Each paragraph's lines are decided once here and found again on the pages by identity: asking
    # the metrics twice could give equal but new objects (its cache is bounded), and lose them.
    lines = {id(para): metrics.lines(para, profile) for para in paras}
    pages = layout(paras, lambda para: lines[id(para)], profile, letter=letter)
    return Pagination(_split(paras, pages, lines), _foot_plan(pages) if has_foot else None, len(pages))


def _split(
    paras: Sequence[Para], pages: list[LaidPage], lines: Mapping[int, Sequence[Line | RowBand]]
) -> frozenset[int]:
    placed = _body_lines(pages)
    split = set()
    for index, para in enumerate(paras):
        if para.at_foot:
            continue
        numbers = [_page_of(line, placed) for line in lines[id(para)]]
        if para.keep_with_next and numbers[0] != numbers[-1]:
            split.add(index)
    return frozenset(split)


def _body_lines(pages: list[LaidPage]) -> Iterator[tuple[int, Line | RowBand]]:
    for number, page in enumerate(pages):
        for placed in page.lines:
            if not placed.line.at_foot:
                yield number, placed.line


def _page_of(line: Line | RowBand, placed: Iterator[tuple[int, Line | RowBand]]) -> int:
    """The page of ``line``, the next line laid out (a table's header repeated on a new page is passed over)."""
    for number, laid in placed:
        if laid is line:
            return number
    raise AssertionError("the layout lost a line")


def _foot_plan(pages: list[LaidPage]) -> FootPlan:
    """The pages the PDF starts after the body's last one (the 版记's is the last of them)."""
    body_end = max((i for i, page in enumerate(pages) if any(not p.line.at_foot for p in page.lines)), default=0)
    return FootPlan(tuple(page.numbered for page in pages[body_end + 1 :]))
