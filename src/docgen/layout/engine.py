"""The layout stage: composed paragraphs → the laid-out document, every paragraph's lines decided once.

The PDF and OFD paint its pages; the DOCX takes from it each paragraph's lines (so it breaks
where the PDF does) and what Word cannot know: which kept paragraphs the pages split, and the
page the 版记 goes on. Without font files (``metrics`` None) there are no lines and no pages:
the DOCX and the web notice are still written, with widths estimated in 字.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from docgen.compose.paragraphs import Para
from docgen.layout.document import DocumentInfo, FootPlan, LaidOutDocument
from docgen.layout.lines import Line
from docgen.layout.metrics import FontMetrics
from docgen.layout.pagination import LaidPage, paginate
from docgen.layout.paint import paint_pages
from docgen.layout.tables import RowBand
from docgen.model import Document, Kind
from docgen.profile import Profile
from docgen.text.numbering import official_date

# Without glyph widths the body's end is unknown: the 版记 starts a new page.
FOOT_ON_NEW_PAGE = FootPlan((True,))


def lay_out(
    document: Document, paras: Sequence[Para], profile: Profile, metrics: FontMetrics | None
) -> LaidOutDocument:
    """``paras`` (composed from ``document``) on pages; a letter's first page has no number and
    its 版记 ends its last page (10.1)."""
    info = _info(document)
    has_foot = any(para.at_foot for para in paras)
    if metrics is None:
        return LaidOutDocument(
            document, tuple(paras), info, None, None, frozenset(), FOOT_ON_NEW_PAGE if has_foot else None, {}
        )
    lines = tuple(metrics.lines(para, profile) for para in paras)
    letter = document.kind is Kind.LETTER
    flow = [line for para_lines in lines for line in para_lines]
    pages = paginate(flow, profile, first_page_numbered=not letter, foot_on_even=not letter)
    return LaidOutDocument(
        document,
        tuple(paras),
        info,
        lines,
        paint_pages(pages, profile, metrics),
        _split(paras, lines, pages),
        _foot_plan(pages) if has_foot else None,
        metrics.faces,
    )


def _info(document: Document) -> DocumentInfo:
    date = document.signature.date
    return DocumentInfo(document.title, "、".join(document.organs), f"{document.title}（{official_date(date)}）", date)


def _split(paras: Sequence[Para], lines: Sequence[Sequence[Line | RowBand]], pages: list[LaidPage]) -> frozenset[int]:
    """Paragraphs kept with the next whose lines the pages still set on two pages: LibreOffice
    would move all of such a paragraph over, where the PDF moves its last line only."""
    placed = _body_lines(pages)
    split = set()
    for index, (para, para_lines) in enumerate(zip(paras, lines, strict=True)):
        if para.at_foot:
            continue
        numbers = [_page_of(line, placed) for line in para_lines]
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
    """The pages started after the body's last one (the 版记's is the last of them)."""
    body_end = max((i for i, page in enumerate(pages) if any(not p.line.at_foot for p in page.lines)), default=0)
    return FootPlan(tuple(page.numbered for page in pages[body_end + 1 :]))
