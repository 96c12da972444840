"""The document model: the only contract between readers and renderers.

Plain immutable dataclasses. Nothing here knows about YAML, fonts or page geometry, and
nothing here is numbered: heading numbers, item numbers and 一是/二是 are computed from
the structure by :mod:`docgen.numbering`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import Enum


class ProblemLead(Enum):
    """How an item introduces the problem it answers: 针对“……”的问题 or 关于“……”的问题."""

    ZHENDUI = "针对"
    GUANYU = "关于"


@dataclass(frozen=True)
class Paragraph:
    """A plain body paragraph."""

    text: str


@dataclass(frozen=True)
class Item:
    """A numbered problem with the measures taken: `N.针对“problem”的问题：一是……二是……`.

    Items share the numbering of headings one level below their section.
    A single measure is printed without 一是.
    """

    problem: str
    measures: tuple[str, ...]
    lead: ProblemLead = ProblemLead.ZHENDUI


@dataclass(frozen=True)
class Section:
    """A numbered heading with what belongs to it.

    With ``text`` the heading is run-in: heading sentence and text share one paragraph and
    only the heading sentence takes the heading face. ``continuous_numbering`` makes the
    numbers of items and headings two levels down run on across this section's subsections
    (as part 二 of the sample, whose items run 1–29 across （一）–（五）).
    """

    heading: str
    text: str | None = None
    body: tuple[Block, ...] = ()
    continuous_numbering: bool = False


Block = Paragraph | Item | Section


@dataclass(frozen=True)
class ContactEntry:
    label: str
    value: str


@dataclass(frozen=True)
class Signature:
    """发文机关署名 and 成文日期 (GB/T 9704 7.3.5, case 2: no seal)."""

    organs: tuple[str, ...]
    date: date


@dataclass(frozen=True)
class Publication:
    """What the web portal printed around the notice (发布日期, 信息来源, 编辑)."""

    published: date | None = None
    source: str | None = None
    editor: str | None = None


@dataclass(frozen=True)
class Document:
    title: str
    signature: Signature
    title_lines: tuple[str, ...] = ()  # explicit breaks of a long title; empty: computed
    addressees: tuple[str, ...] = ()
    preamble: tuple[Paragraph, ...] = ()
    sections: tuple[Section, ...] = ()
    closing: tuple[Paragraph, ...] = ()
    contact: tuple[ContactEntry, ...] = ()
    publication: Publication = field(default_factory=Publication)

    @property
    def organs(self) -> tuple[str, ...]:
        return self.signature.organs
