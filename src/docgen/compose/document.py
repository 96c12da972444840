"""Turns the document model into the paragraphs every renderer sets: text, faces, indents.

This is where numbering is computed and where the signature rule of GB/T 9704 7.3.5 is
applied, once for all renderers. Renderers only decide how a paragraph reaches the page.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import replace

from docgen.compose.colophon import colophon_paras
from docgen.compose.head import header_paras
from docgen.compose.paragraphs import BLANK, Align, Para, ParaKind, Span
from docgen.compose.signoff import attachment_note, attendance, note, signature
from docgen.model import Attachment, Block, Document, Enclosed, Item, Kind, Paragraph, Section, Signature, Table
from docgen.profile import Profile
from docgen.roles import Role
from docgen.text.cjk import balanced_title_lines, set_width_in_chars
from docgen.text.numbering import enumeration_label, heading_label, label_level


def compose_paragraphs(document: Document, profile: Profile) -> tuple[Para, ...]:
    head = header_paras(document, profile)
    moved = _addressees_moved(document, head, profile)
    signed = document.signature if document.kind is not Kind.MINUTES else None  # minutes: 10.3
    indent = profile.body.first_line_indent_chars
    return (
        *_signed([*head, *_body_paras(document, profile, moved)], signed, profile),
        *note(document.note, indent),
        *_enclosed(document.enclosed, profile, indent),
        *_attachment_pages(document.attachments, profile, indent),
        *colophon_paras(document.colophon, moved, document.kind, profile),
    )


# What stands between the body's text and the signature: it may not be all a page holds above it.
_NOT_BODY_TEXT = frozenset({ParaKind.BLANK, ParaKind.ATTACHMENT_NOTE, ParaKind.ATTENDANCE})


def _signed(body: list[Para], signed: Signature | None, profile: Profile) -> list[Para]:
    """``body`` and the signature block under it, if any."""
    block = list(signature(signed, profile)) if signed else []
    if block and body:
        # 7.3.5.5: when the last page cannot hold the signature block, body text goes over with it,
        # not only the 附件说明 under that text: the last text paragraph is kept with what follows.
        last = max((i for i, para in enumerate(body) if para.kind not in _NOT_BODY_TEXT), default=len(body) - 1)
        body[last:] = [replace(para, keep_with_next=True) for para in body[last:]]
    return [*body, *block]


def _enclosed(enclosed: Enclosed | None, profile: Profile, indent: float) -> Iterator[Para]:
    """The document a 转发/印发 notice passes on, from a new page: title, 主送, body, its signature."""
    if enclosed is None:
        return
    body = [replace(_title(enclosed.title, enclosed.title_lines, profile), page_break_before=True)]
    body += (BLANK,) * profile.body.blank_lines_after_title
    if enclosed.addressees:
        body.append(_addressees(enclosed.addressees))
    body += [_body(paragraph.text, indent) for paragraph in enclosed.preamble]
    body += _sections(enclosed.sections, 1, _Counter(), indent)
    body += [_body(paragraph.text, indent) for paragraph in enclosed.closing]
    signed = (
        Signature(enclosed.organs, enclosed.date, date_as_published=enclosed.date_as_published)
        if enclosed.organs and enclosed.date
        else None
    )
    yield from _signed(body, signed, profile)


def _body_paras(document: Document, profile: Profile, moved: tuple[str, ...]) -> Iterator[Para]:
    """Title, 主送, the body, 附件说明 and 出席: everything between the 版头 and the signature."""
    indent = profile.body.first_line_indent_chars
    if document.kind is not Kind.ORDER:  # an order has no title line (10.2)
        yield _title(document.title, document.title_lines, profile)
        yield from (BLANK,) * profile.body.blank_lines_after_title
    if document.addressees and not moved:
        yield _addressees(document.addressees)
    for paragraph in document.preamble:
        yield _body(paragraph.text, indent)
    yield from _sections(document.sections, 1, _Counter(), indent)
    for paragraph in document.closing:
        yield _body(paragraph.text, indent)
    if document.contact:
        entries = "；".join(f"{entry.label}：{entry.value}" for entry in document.contact)
        yield _body(entries + "。", indent)
    yield from attachment_note(document.attachments, indent)
    yield from attendance(document.attendance, indent)


def _addressees_moved(document: Document, head: list[Para], profile: Profile) -> tuple[str, ...]:
    """主送机关 go to the 版记 as 主送 when on page 1 they would leave no line for the body (7.3.3)."""
    if not document.addressees:
        return ()
    grid = profile.grid
    used = sum(para.height_pt or grid.line_pitch_pt for para in head) / grid.line_pitch_pt
    title_lines = len(document.title_lines) or 2
    addressee_lines = math.ceil(set_width_in_chars("、".join(document.addressees) + "：", 0) / grid.chars_per_line)
    free = grid.lines_per_page - round(used) - title_lines - profile.body.blank_lines_after_title
    return document.addressees if addressee_lines >= free else ()


def _attachment_pages(attachments: tuple[Attachment, ...], profile: Profile, indent: float) -> Iterator[Para]:
    """Attachments with a body, each on a new page: `附件1` in 黑体, its title on the third line (7.3.7)."""
    numbered = len(attachments) > 1
    for number, attachment in enumerate(attachments, start=1):
        if not attachment.body:
            continue
        label = "附件" + (str(number) if numbered else "")
        yield Para(
            ParaKind.ATTACHMENT_LABEL,
            (Span(label, Role.ATTACHMENT_LABEL),),
            Align.LEFT,
            keep_with_next=True,
            page_break_before=True,
        )
        yield BLANK
        yield _title(attachment.title, (), profile)
        yield from (BLANK,) * profile.body.blank_lines_after_title
        yield from _sections(attachment.body, 1, _Counter(), indent)


def _title(title: str, title_lines: tuple[str, ...], profile: Profile) -> Para:
    size = profile.roles[Role.TITLE].size_pt
    max_chars = int(profile.page.block_width_pt // size)
    lines = title_lines or balanced_title_lines(title, max_chars)
    breaks, offset = [], 0
    for line in lines[:-1]:
        offset += len(line)
        breaks.append(offset)
    return Para(
        ParaKind.TITLE,
        (Span("".join(lines), Role.TITLE),),
        Align.CENTER,
        keep_with_next=True,
        forced_breaks=tuple(breaks),
    )


def _addressees(addressees: tuple[str, ...]) -> Para:
    return Para(ParaKind.ADDRESSEES, (Span("、".join(addressees) + "：", Role.BODY),))


def _body(text: str, indent: float) -> Para:
    return Para(ParaKind.BODY, (Span(text, Role.BODY),), first_indent_chars=indent)


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
        elif isinstance(block, Table):
            yield from _table(block)
        elif isinstance(block, Item):
            yield _item(block, level, counter.next(), indent)
        else:
            yield from _section(block, level, counter.next(), indent, run_on)


# A heading's role and its paragraph's kind, by level from 1 (the loader allows four).
_HEADINGS = (
    (Role.HEADING1, ParaKind.HEADING1),
    (Role.HEADING2, ParaKind.HEADING2),
    (Role.HEADING3, ParaKind.HEADING3),
    (Role.HEADING4, ParaKind.HEADING4),
)


def _label(published: str | None, level: int, number: int) -> tuple[str, int]:
    """The label printed and the heading level it is set in: the published label and the level of
    its form, or the computed label of ``level``."""
    if published is None:
        return heading_label(level, number), level
    return published, label_level(published) or level


def _section(section: Section, level: int, number: int, indent: float, run_on: _Counter | None) -> Iterator[Para]:
    label, heading_level = _label(section.number, level, number)
    role, kind = _HEADINGS[heading_level - 1]
    heading = Span(label + section.heading, role)
    if section.text:
        yield Para(kind, (heading, Span(section.text, Role.BODY)), first_indent_chars=indent)
    else:
        yield Para(kind, (heading,), first_indent_chars=indent, keep_with_next=True)
    children = run_on or _Counter()
    grandchildren = _Counter() if section.continuous_numbering else None
    yield from _sections(section.body, level + 1, children, indent, grandchildren)


def _item(item: Item, level: int, number: int, indent: float) -> Para:
    label, heading_level = _label(item.number, level, number)
    lead = Span(f"{label}{item.lead.value}“{item.problem}”的问题：", _HEADINGS[heading_level - 1][0])
    if len(item.measures) == 1:
        measures = item.measures[0]
    else:
        measures = "".join(enumeration_label(n) + text for n, text in enumerate(item.measures, start=1))
    return Para(ParaKind.ITEM, (lead, Span(measures, Role.BODY)), first_indent_chars=indent)


def _table(table: Table) -> Iterator[Para]:
    if table.caption:
        yield Para(ParaKind.TABLE_CAPTION, (Span(table.caption, Role.HEADING1),), Align.CENTER, keep_with_next=True)
    yield Para(ParaKind.TABLE, (), table=table)
