"""Turns the document model into the paragraphs every renderer sets: text, faces, indents.

This is where numbering is computed and where the signature rule of GB/T 9704 7.3.5 is
applied, once for all renderers. Renderers only decide how a paragraph reaches the page.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from enum import Enum
from itertools import pairwise
from typing import TypeVar

from docgen.cjk import balanced_title_lines, set_width_in_chars
from docgen.model import Block, Document, Item, Paragraph, Section
from docgen.numbering import enumeration_label, heading_label, official_date
from docgen.profile import Profile

T = TypeVar("T")


class Align(Enum):
    JUSTIFY = "justify"
    CENTER = "center"
    RIGHT = "right"


@dataclass(frozen=True)
class Span:
    """A stretch of text in one role (the role names a face and size in the profile)."""

    text: str
    role: str


@dataclass(frozen=True)
class Para:
    """One paragraph ready to set. ``lines`` are forced line breaks (a long title)."""

    kind: str
    spans: tuple[Span, ...]
    align: Align = Align.JUSTIFY
    first_indent_chars: float = 0.0
    right_indent_chars: float = 0.0
    keep_with_next: bool = False
    forced_breaks: tuple[int, ...] = field(default=())  # offsets into the text where lines end

    @property
    def text(self) -> str:
        return "".join(span.text for span in self.spans)


BLANK = Para(kind="blank", spans=())


def split_at(items: Sequence[T], breaks: tuple[int, ...]) -> list[Sequence[T]]:
    """``items`` cut at each offset in ``breaks`` (a paragraph's forced line breaks)."""
    edges = [0, *breaks, len(items)]
    return [items[start:end] for start, end in pairwise(edges)]


def compose(document: Document, profile: Profile) -> tuple[Para, ...]:
    return tuple(_compose(document, profile))


def _compose(document: Document, profile: Profile) -> Iterator[Para]:
    yield _title(document, profile)
    yield from (BLANK,) * profile.body.blank_lines_after_title
    if document.addressees:
        yield Para("addressees", (Span("、".join(document.addressees) + "：", "body"),))
    indent = profile.body.first_line_indent_chars
    for paragraph in document.preamble:
        yield _body(paragraph.text, indent)
    yield from _sections(document.sections, 1, _Counter(), indent)
    for paragraph in document.closing:
        yield _body(paragraph.text, indent)
    if document.contact:
        entries = "；".join(f"{entry.label}：{entry.value}" for entry in document.contact)
        yield _body(entries + "。", indent)
    yield from _signature(document, profile)


def _title(document: Document, profile: Profile) -> Para:
    size = profile.roles["title"].size_pt
    max_chars = int(profile.page.block_width_pt // size)
    lines = document.title_lines or balanced_title_lines(document.title, max_chars)
    breaks, offset = [], 0
    for line in lines[:-1]:
        offset += len(line)
        breaks.append(offset)
    return Para(
        "title", (Span("".join(lines), "title"),), Align.CENTER, keep_with_next=True, forced_breaks=tuple(breaks)
    )


def _body(text: str, indent: float) -> Para:
    return Para("body", (Span(text, "body"),), first_indent_chars=indent)


class _Counter:
    """Numbers of one level; shared between sections when numbering runs on."""

    def __init__(self) -> None:
        self.value = 0

    def next(self) -> int:
        self.value += 1
        return self.value


def _sections(
    blocks: tuple[Block, ...], level: int, counter: _Counter, indent: float, run_on: _Counter | None = None
) -> Iterator[Para]:
    """Paragraphs of ``blocks`` at ``level``; ``run_on`` is the counter of the level below
    when an ancestor numbers it continuously across its subsections."""
    for block in blocks:
        if isinstance(block, Paragraph):
            yield _body(block.text, indent)
        elif isinstance(block, Item):
            yield _item(block, level, counter.next(), indent)
        else:
            yield from _section(block, level, counter.next(), indent, run_on)


def _section(section: Section, level: int, number: int, indent: float, run_on: _Counter | None) -> Iterator[Para]:
    heading = Span(heading_label(level, number) + section.heading, f"heading{level}")
    if section.text:
        yield Para(f"heading{level}", (heading, Span(section.text, "body")), first_indent_chars=indent)
    else:
        yield Para(f"heading{level}", (heading,), first_indent_chars=indent, keep_with_next=True)
    children = run_on or _Counter()
    grandchildren = _Counter() if section.continuous_numbering else None
    yield from _sections(section.body, level + 1, children, indent, grandchildren)


def _item(item: Item, level: int, number: int, indent: float) -> Para:
    lead = Span(f"{heading_label(level, number)}{item.lead.value}“{item.problem}”的问题：", f"heading{level}")
    if len(item.measures) == 1:
        measures = item.measures[0]
    else:
        measures = "".join(enumeration_label(n) + text for n, text in enumerate(item.measures, start=1))
    return Para("item", (lead, Span(measures, "body")), first_indent_chars=indent)


def _signature(document: Document, profile: Profile) -> Iterator[Para]:
    """Signature and date without a seal (GB/T 9704 7.3.5.2).

    The signature stands 2 characters in from the right and the date starts 2 characters to
    the right of the signature's start; when the date is the wider, the date keeps 2 and the
    signature moves in (the W/D rule), a digit counting half a character. Widths include the
    中西文 gaps Word and LibreOffice set around digits, so the offset holds on the page.
    """
    rules = profile.signature
    gap = profile.grid.western_gap_em
    date_text = official_date(document.signature.date)
    organ_width = max(set_width_in_chars(organ, gap) for organ in document.signature.organs)
    date_width = set_width_in_chars(date_text, gap)
    shift = rules.date_offset_chars
    if date_width + shift > organ_width:
        date_indent = rules.right_indent_chars
        organ_indent = date_indent + shift + date_width - organ_width
    else:
        organ_indent = rules.right_indent_chars
        date_indent = organ_indent + organ_width - shift - date_width
    yield from (BLANK,) * rules.blank_lines_before
    for organ in document.signature.organs:
        yield Para(
            "signature", (Span(organ, "signature"),), Align.RIGHT, right_indent_chars=organ_indent, keep_with_next=True
        )
    yield Para("date", (Span(date_text, "signature"),), Align.RIGHT, right_indent_chars=date_indent)
