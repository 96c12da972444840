"""The document model: the only contract between readers and renderers.

Plain immutable dataclasses. Nothing here knows about YAML, fonts or page geometry, and
headings and items are numbered from the structure by :mod:`docgen.text.numbering` unless they carry
the ``number`` they were published with (an imported notice keeps its own numbering).
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
    number: str | None = None  # the label as published (1. 1、 （1）…); None: computed


@dataclass(frozen=True)
class Section:
    """A numbered heading with what belongs to it.

    With ``text`` the heading is run-in: heading sentence and text share one paragraph and
    only the heading sentence takes the heading face. ``continuous_numbering`` makes the
    numbers of items and headings two levels down run on across this section's subsections
    (as part 二 of the sample, whose items run 1–29 across （一）–（五）). ``number`` is the
    label as published (一、 （一） 1. 1、 （1）), printed instead of the computed one; its form
    decides the heading's face, so a 1. straight under 一、 (a skipped level) is set as a 1.
    """

    heading: str
    text: str | None = None
    body: tuple[Block, ...] = ()
    continuous_numbering: bool = False
    number: str | None = None


@dataclass(frozen=True)
class Table:
    """A table in the body or an attachment: a header row, body rows, relative column widths.

    ``widths`` are proportions (empty: widths that follow the content). ``totals`` is a last row set apart as
    the table's sum (合计). Every row has as many cells as the header. A ``landscape`` table
    runs along the page's length, on pages of its own, its head towards the page's left edge.
    """

    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    widths: tuple[float, ...] = ()
    totals: tuple[str, ...] | None = None
    caption: str | None = None  # centred above the table, in the heading face
    landscape: bool = False  # on pages of its own, turned so its head faces the binding edge (clause 8)
    source: str = field(default="", compare=False)  # where a source gives it (file:line:column), for messages


Block = Paragraph | Item | Section | Table


@dataclass(frozen=True)
class ContactEntry:
    label: str
    value: str


@dataclass(frozen=True)
class Image:
    """A picture the source supplies (a seal): bytes checked by content, never by name."""

    format: str  # "png", "jpeg" or "svg"
    data: bytes
    width_px: float
    height_px: float
    name: str  # the file it came from, for messages


@dataclass(frozen=True)
class Signature:
    """发文机关署名 and 成文日期 (GB/T 9704 7.3.5).

    No ``seals``: case 2 (signature 2 characters in, date under it). With ``seals`` (one per
    organ, in order): case 1, each seal pressed over its organ's name, the last over the date.
    With ``signer``: case 3, the signer's signature seal (orders, 命令).
    """

    organs: tuple[str, ...]
    date: date
    seals: tuple[Image, ...] = ()
    signer: Signer | None = None
    date_as_published: str | None = None  # in Chinese numerals, as an imported document was published


@dataclass(frozen=True)
class Signer:
    """签发人签名章 (7.3.5.3): the signer's title (e.g. 市长) and the image of the signature seal."""

    title: str
    seal: Image


class Kind(Enum):
    """The format the document is laid out in (GB/T 9704 clause 10 for the last three)."""

    FILE = "文件"
    LETTER = "信函"
    ORDER = "命令"
    MINUTES = "纪要"


@dataclass(frozen=True)
class Header:
    """版头 (7.2): everything above the red separator line; ``mark`` defaults to the organs."""

    copy_number: str | None = None  # 份号, six digits
    secrecy: str | None = None  # 密级和保密期限, e.g. 秘密★1年
    urgency: str | None = None  # 紧急程度: 特急 or 加急
    mark: tuple[str, ...] = ()  # organ names in the issuing-organ mark (发文机关标志)
    mark_suffix: str | None = None  # 文件 / 命令 / 令 / 纪要; None: the kind's default
    number: str | None = None  # 发文字号, e.g. 济发〔2023〕5号
    signers: tuple[str, ...] = ()  # 签发人 of an upward document (上行文)


@dataclass(frozen=True)
class Attendance:
    """One line of minutes' attendance (纪要, 10.3): 出席, 请假 or 列席 and the names."""

    label: str
    names: tuple[str, ...]


@dataclass(frozen=True)
class Attachment:
    """附件: named in the 附件说明; with a body it is printed on pages of its own (7.3.7)."""

    title: str
    body: tuple[Block, ...] = ()


@dataclass(frozen=True)
class Enclosed:
    """The document a 转发/印发/批转 notice passes on, printed after the notice from a new page:
    its own title, 主送, body and, when it has them, its own signature and date."""

    title: str
    title_lines: tuple[str, ...] = ()
    addressees: tuple[str, ...] = ()
    preamble: tuple[Paragraph, ...] = ()
    sections: tuple[Section, ...] = ()
    closing: tuple[Paragraph, ...] = ()
    organs: tuple[str, ...] = ()
    date: date | None = None
    date_as_published: str | None = None


@dataclass(frozen=True)
class Colophon:
    """版记 (7.4): 抄送 organs, 印发机关 and 印发日期."""

    copy_to: tuple[str, ...] = ()
    printer: str | None = None
    print_date: date | None = None


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
    kind: Kind = Kind.FILE
    header: Header | None = None  # None: no 版头 (a notice as published on the web)
    attendance: tuple[Attendance, ...] = ()
    attachments: tuple[Attachment, ...] = ()
    note: str | None = None  # 附注, printed in parentheses under the date
    enclosed: Enclosed | None = None  # what a 转发/印发 notice passes on
    colophon: Colophon | None = None

    @property
    def organs(self) -> tuple[str, ...]:
        return self.signature.organs
