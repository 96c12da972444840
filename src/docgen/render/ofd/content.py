"""A page's content: every laid-out item as an OFD graphic unit, in painting order.

Each unit has a ``Boundary`` on the page (mm, y down) and draws in its own object space, whose
origin is the boundary's top-left corner; a ``CTM`` maps object space there when it is more than
that shift (a turned frame, an image's unit square). Upright text and rules write their
coordinates relative to the boundary and need no CTM, which the simplest readers follow best.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from itertools import pairwise

from lxml import etree

from docgen.layout.document import Item, Page, Picture, Run, Strokes, Turned
from docgen.layout.fonts import FontFile
from docgen.model import Image
from docgen.render.ofd.xml import child, color, from_thousandths, number, numbers, root, thousandths
from docgen.units import MM_PER_PT

# An affine map (a, b, c, d, e, f): x' = a·x + c·y + e, y' = b·x + d·y + f, in millimetres.
Affine = tuple[float, float, float, float, float, float]
_UPRIGHT: Affine = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)

# A run's box around its glyph origins, in ems: room for any glyph's ink, so no reader clips one.
_TEXT_LEFT, _TEXT_RIGHT, _TEXT_ABOVE, _TEXT_BELOW = 0.5, 1.5, 1.25, 0.5


class Ids:
    """OFD's object identifiers: one counter for resources, pages, layers and graphic units."""

    def __init__(self) -> None:
        self.last = 0

    def take(self) -> int:
        self.last += 1
        return self.last


@dataclass(frozen=True)
class Resources:
    fonts: Mapping[FontFile, int]  # file → its Font's ID
    images: Mapping[Image, int]  # image → its MultiMedia's ID


def page_content(page: Page, size_mm: tuple[float, float] | None, resources: Resources, ids: Ids) -> etree._Element:
    """The Page part: an Area when the page's size is not the document's (``size_mm``), one layer."""
    element = root("Page")
    if size_mm:
        area = child(element, "Area")
        child(area, "PhysicalBox", numbers(0, 0, *size_mm))
    layer = child(child(element, "Content"), "Layer", ID=str(ids.take()))
    for item, frame in _placed(page):
        layer.append(_unit(item, frame, resources, ids))
    return element


def _placed(page: Page) -> Iterator[tuple[Item, Affine]]:
    """Each item with the map from its own points to the page's millimetres (as a turned frame's)."""
    for item in page.items:
        if isinstance(item, Turned):
            # Frame (x, y) is page (origin x + y, origin y − x): x runs up the page, y to the right.
            frame = (0.0, -1.0, 1.0, 0.0, item.x * MM_PER_PT, item.y * MM_PER_PT)
            yield from ((inner, frame) for inner in item.items)
        else:
            yield item, _UPRIGHT


def _unit(item: Item, frame: Affine, resources: Resources, ids: Ids) -> etree._Element:
    if isinstance(item, Run):
        return _text(item, frame, resources.fonts[item.font], ids.take())
    if isinstance(item, Strokes):
        return _path(item, frame, ids.take())
    return _image(item, frame, resources.images[item.image], ids.take())


@dataclass(frozen=True)
class _Placement:
    """Where a unit goes: its boundary on the page, and how its object space maps there."""

    boundary: tuple[float, float, float, float]  # x, y, width, height (mm)
    ctm: Affine | None  # None: object coordinates are written relative to the boundary

    @staticmethod
    def of(box: tuple[float, float, float, float], frame: Affine) -> _Placement:
        """The placement of what fills ``box`` (x0, y0, x1, y1 in its own mm) mapped by ``frame``."""
        x0, y0, x1, y1 = box
        corners = [_apply(frame, x, y) for x in (x0, x1) for y in (y0, y1)]
        left, top = min(x for x, _ in corners), min(y for _, y in corners)
        right, bottom = max(x for x, _ in corners), max(y for _, y in corners)
        a, b, c, d, e, f = frame
        ctm = None if frame[:4] == _UPRIGHT[:4] else (a, b, c, d, e - left, f - top)
        return _Placement((left, top, right - left, bottom - top), ctm)

    def local(self, x: float, y: float) -> tuple[float, float]:
        """A point of object space as the unit writes it."""
        return (x, y) if self.ctm else (x - self.boundary[0], y - self.boundary[1])

    def attributes(self, unit_id: int) -> dict[str, str]:
        attributes = {"ID": str(unit_id), "Boundary": numbers(*self.boundary)}
        if self.ctm:
            attributes["CTM"] = numbers(*self.ctm)
        return attributes


def _apply(affine: Affine, x: float, y: float) -> tuple[float, float]:
    a, b, c, d, e, f = affine
    return a * x + c * y + e, b * x + d * y + f


def _text(run: Run, frame: Affine, font_id: int, unit_id: int) -> etree._Element:
    """A TextObject: one TextCode at the first glyph's origin on the baseline, DeltaX to each next one."""
    size = run.size * MM_PER_PT
    xs = [x * MM_PER_PT for x in run.xs]
    baseline = run.baseline * MM_PER_PT
    box = (min(xs) - _TEXT_LEFT * size, baseline - _TEXT_ABOVE * size,
           max(xs) + _TEXT_RIGHT * size, baseline + _TEXT_BELOW * size)  # fmt: skip
    placement = _Placement.of(box, frame)
    element = root("TextObject", **placement.attributes(unit_id), Font=str(font_id), Size=number(size))
    child(element, "FillColor", Value=color(run.color))
    x, y = placement.local(xs[0], baseline)
    code = child(element, "TextCode", run.text, X=number(x), Y=number(y))
    if len(xs) > 1:
        # From the positions rounded as written, so rounding never adds up along a line.
        written = [thousandths(placement.local(glyph_x, baseline)[0]) for glyph_x in xs]
        code.set("DeltaX", " ".join(from_thousandths(b - a) for a, b in pairwise(written)))
    return element


def _path(strokes: Strokes, frame: Affine, unit_id: int) -> etree._Element:
    """A PathObject stroking every segment: one move and one line each. A turned frame's segments
    are mapped onto the page here, not by a CTM: a straight line stays one, and readers that
    ignore a CTM's rotation (easyofd) still draw the table's borders where they are."""
    width = strokes.width * MM_PER_PT
    segments = [
        (_apply(frame, x0 * MM_PER_PT, y0 * MM_PER_PT), _apply(frame, x1 * MM_PER_PT, y1 * MM_PER_PT))
        for x0, y0, x1, y1 in strokes.segments
    ]
    xs = [x for segment in segments for x, _ in segment]
    ys = [y for segment in segments for _, y in segment]
    placement = _Placement.of((min(xs) - width, min(ys) - width, max(xs) + width, max(ys) + width), _UPRIGHT)
    element = root("PathObject", **placement.attributes(unit_id), LineWidth=number(width), Stroke="true")
    child(element, "StrokeColor", Value=color(strokes.color))
    # Unused by the standard (Fill is false), but some readers (easyofd) stroke a path in its fill colour.
    child(element, "FillColor", Value=color(strokes.color))
    commands = (f"M {numbers(*placement.local(*start))} L {numbers(*placement.local(*end))}" for start, end in segments)
    child(element, "AbbreviatedData", " ".join(commands))
    return element


def _image(picture: Picture, frame: Affine, media_id: int, unit_id: int) -> etree._Element:
    """An ImageObject: the image fills its object space's unit square, which the CTM maps onto its box."""
    x, y = picture.x * MM_PER_PT, picture.y * MM_PER_PT
    width, height = picture.width * MM_PER_PT, picture.height * MM_PER_PT
    a, b, c, d = frame[:4]
    # The unit square scaled and moved to the picture's box, then mapped by the frame.
    square: Affine = (a * width, b * width, c * height, d * height, *_apply(frame, x, y))
    left, top, box_width, box_height = _Placement.of((0.0, 0.0, 1.0, 1.0), square).boundary
    # Always a CTM, even for a 1 mm square: the unit square is the image's own space.
    ctm = (*square[:4], square[4] - left, square[5] - top)
    attributes = {"ID": str(unit_id), "Boundary": numbers(left, top, box_width, box_height), "CTM": numbers(*ctm)}
    if picture.description:
        attributes["Name"] = picture.description
    return root("ImageObject", **attributes, ResourceID=str(media_id))
