"""The laid-out document: what the layout hands every renderer, decided once per document.

Fixed-layout renderers (PDF, OFD) only paint its pages; the DOCX writer reads its line and
pagination decisions; the web notice reads its paragraphs. Every position is final: points
from the page's top-left corner, y running down the page (the turned frame of a landscape
table's page has its own origin, see ``Turned``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from docgen.compose.paragraphs import Para
from docgen.layout.fonts import FontFile, ResolvedFace
from docgen.layout.lines import Line
from docgen.layout.tables import RowBand
from docgen.model import Document, Image


@dataclass(frozen=True)
class Run:
    """Glyphs of one font, size, letter spacing and colour along one baseline.

    ``xs`` holds each glyph's origin: the first glyph's plus its advance and ``spacing``
    (which includes what justification adds or a squeeze takes) for every next one.
    """

    text: str
    xs: tuple[float, ...]
    baseline: float
    font: FontFile
    size: float
    spacing: float
    color: str  # RRGGBB


@dataclass(frozen=True)
class Strokes:
    """Straight lines of one colour and width: a rule, or a table row's borders."""

    segments: tuple[tuple[float, float, float, float], ...]  # (x0, y0, x1, y1), each through the stroke's centre
    width: float
    color: str  # RRGGBB


@dataclass(frozen=True)
class Picture:
    """An image (a seal) by its top-left corner and size."""

    image: Image
    x: float
    y: float
    width: float
    height: float
    description: str = ""  # alternative text: whose seal it is


Item = Run | Strokes | Picture


@dataclass(frozen=True)
class Turned:
    """Items set in a frame turned a quarter to the left (a landscape table's page).

    The frame's origin is at ``(x, y)`` on the page; in it, x runs up the page and y runs to the
    right, so a page point is ``(x + frame_y, y - frame_x)``.
    """

    x: float
    y: float
    items: tuple[Item, ...]


@dataclass(frozen=True)
class Page:
    width: float
    height: float
    items: tuple[Item | Turned, ...]  # in painting order
    number: int | None  # the page number printed on it (— N —), if any
    landscape: bool = False  # holds a turned table


@dataclass(frozen=True)
class DocumentInfo:
    """What a file says about itself."""

    title: str
    author: str  # the issuing organs
    subject: str
    date: dt.date  # 成文日期


@dataclass(frozen=True)
class FootPlan:
    """How the 版记 reaches its page: the pages started after the body's last one (blank ones,
    then its own), each numbered or not; none when it shares the body's last page."""

    pages: tuple[bool, ...]


@dataclass(frozen=True)
class LaidOutDocument:
    """A document composed and laid out: its paragraphs, each one's lines, and its pages.

    ``lines`` and ``pages`` are None when no font files were found: the DOCX and HTML can be
    written without them, the PDF and OFD cannot.
    """

    document: Document
    paras: tuple[Para, ...]
    info: DocumentInfo
    lines: tuple[tuple[Line | RowBand, ...], ...] | None  # per paragraph: what the layout decided
    pages: tuple[Page, ...] | None
    split: frozenset[int]  # paragraphs kept with the next that the pages still split over two
    foot: FootPlan | None  # None: the document has no 版记
    faces: Mapping[str, ResolvedFace]  # face key → the file that serves it
