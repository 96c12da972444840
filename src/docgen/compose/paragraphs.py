"""What composition hands the renderers: paragraphs with their faces, indents and what hangs on them.

Positions are in points. A paragraph's decorations (rules, pictures, labels) are placed
relative to the top-left corner of the text block of the page it lands on (``Anchor.BLOCK``)
or relative to the paragraph's own top (``Anchor.PARA``), x always from the block's left edge.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import Enum, StrEnum
from itertools import pairwise
from typing import TypeVar

from docgen.model import Image, Table
from docgen.roles import Role
from docgen.units import WORD_MIN_EXACT_LINE_PT

T = TypeVar("T")


class Align(Enum):
    JUSTIFY = "justify"
    CENTER = "center"
    RIGHT = "right"
    LEFT = "left"
    DISTRIBUTE = "distribute"  # every line spread to both edges, the last one too (a joint mark's names)


class ParaKind(StrEnum):
    """What a paragraph is: renderers choose by it (an HTML heading, a DOCX outline level, a signature
    block set together). The values are the HTML's class names."""

    BLANK = "blank"  # an empty grid line
    SPACER = "spacer"  # an empty paragraph of an exact height (above an element placed by millimetres)
    COPY_NUMBER = "copy_number"  # 份号
    SECRECY = "secrecy"  # 密级和保密期限
    URGENCY = "urgency"  # 紧急程度
    MARK = "mark"  # 发文机关标志
    NUMBER = "number"  # 发文字号; a 纪要's 期数, organ and date
    SIGNER = "signer"  # 签发人
    TITLE = "title"
    ADDRESSEES = "addressees"  # 主送机关
    BODY = "body"
    HEADING1 = "heading1"
    HEADING2 = "heading2"
    HEADING3 = "heading3"
    HEADING4 = "heading4"
    ITEM = "item"  # a numbered problem and its measures
    TABLE_CAPTION = "table_caption"
    TABLE = "table"
    ATTACHMENT_NOTE = "attachment_note"  # 附件说明
    ATTENDANCE = "attendance"  # 出席/请假/列席
    SIGNATURE = "signature"
    DATE = "date"  # 成文日期
    NOTE = "note"  # 附注
    ATTACHMENT_LABEL = "attachment_label"  # 附件1 over an attachment's page
    COLOPHON = "colophon"  # a row of the 版记
    LABEL = "label"  # a Label's one line, set outside the flow
    PAGE_NUMBER = "page_number"


class Anchor(Enum):
    BLOCK = "block"  # y from the top edge of the text block of the paragraph's page
    PARA = "para"  # y from the paragraph's top
    PARA_END = "para_end"  # y from the paragraph's bottom


@dataclass(frozen=True)
class Span:
    """A stretch of text in one role (the role names a face, size and colour in the profile)."""

    text: str
    role: Role
    size_pt: float | None = None  # overrides the role's size (a mark shrunk to fit the block)


@dataclass(frozen=True)
class Tab:
    """Spans set on the paragraph's (single) line at ``x_pt`` from the block's left edge,
    by their left edge, centre or right edge: a tab stop in Word's terms."""

    spans: tuple[Span, ...]
    x_pt: float
    align: Align

    @property
    def text(self) -> str:
        return "".join(span.text for span in self.spans)


@dataclass(frozen=True)
class DrawnLine:
    """A horizontal line; ``y_pt`` is the centre of the stroke."""

    y_pt: float
    x0_pt: float
    x1_pt: float
    width_pt: float
    color: str
    anchor: Anchor = Anchor.PARA


@dataclass(frozen=True)
class Picture:
    image: Image
    x_pt: float  # left edge
    y_pt: float  # top edge
    width_pt: float
    height_pt: float
    anchor: Anchor = Anchor.PARA
    description: str = ""  # alternative text: whose seal it is


@dataclass(frozen=True)
class Label:
    """Text set outside the flow (文件 beside a joint mark): one line whose baseline is at ``baseline_pt``."""

    span: Span
    x_pt: float  # left edge
    baseline_pt: float
    width_pt: float
    anchor: Anchor = Anchor.PARA


Decoration = DrawnLine | Picture | Label


@dataclass(frozen=True)
class Para:
    """One paragraph ready to set.

    ``forced_breaks`` are offsets into the text where lines end (a long title). ``hang_at``
    is the offset of the character under which continuation lines start (附件说明, 抄送).
    ``height_pt`` is an exact line height other than the grid's (the 版头's elements, placed
    by millimetres). ``at_foot`` paragraphs go to the foot of the last page, an even one (版记).
    """

    kind: ParaKind
    spans: tuple[Span, ...]
    align: Align = Align.JUSTIFY
    first_indent_chars: float = 0.0
    right_indent_chars: float = 0.0
    keep_with_next: bool = False
    forced_breaks: tuple[int, ...] = field(default=())
    hang_at: int | None = None
    tabs: tuple[Tab, ...] = ()
    decorations: tuple[Decoration, ...] = ()
    height_pt: float | None = None
    page_break_before: bool = False
    at_foot: bool = False
    table: Table | None = None  # a table set in the flow, its rows snapped to whole grid lines

    @property
    def text(self) -> str:
        if self.table is not None:
            return "".join("".join(row) for row in table_rows(self.table))
        return "".join(span.text for span in self.spans) + "".join(tab.text for tab in self.tabs)


BLANK = Para(kind=ParaKind.BLANK, spans=())
MIN_SPACER_PT = WORD_MIN_EXACT_LINE_PT  # no spacer paragraph is thinner


def split_at(items: Sequence[T], breaks: tuple[int, ...]) -> list[Sequence[T]]:
    """``items`` cut at each offset in ``breaks`` (a paragraph's forced line breaks)."""
    edges = [0, *breaks, len(items)]
    return [items[start:end] for start, end in pairwise(edges)]


def table_rows(table: Table) -> tuple[tuple[str, ...], ...]:
    """Every row of ``table`` in order: the header, the body rows, the totals."""
    return (table.header, *table.rows, *((table.totals,) if table.totals else ()))
