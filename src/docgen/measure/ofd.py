"""Measuring a written OFD: its text, rules and pictures as the same lines, strokes and boxes a PDF gives.

One measuring truth: the OFD's graphic units are turned into the records pdfplumber gives for a
PDF's page (characters with their text matrix and glyph box, lines, images, in points), and
:mod:`docgen.measure.pdf` makes lines, strokes and pictures of them with the very code it uses
on a PDF: the same baselines, the same glyph boxes (from the embedded font's advances and
descender, as a PDF's font descriptor gives them), the same PostScript names.

The file is read within the bounds docgen reads a DOCX in (the zip directory checked before a
byte is inflated), its XML without entities or network, and only locations inside the package.
"""

from __future__ import annotations

import io
import math
import posixpath
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from lxml import etree

from docgen.errors import DocgenError
from docgen.files.docx_package import read_package
from docgen.measure.pdf import Layout, layout_of
from docgen.text.cjk import width_in_chars
from docgen.units import mm_to_pt

_NAMESPACE = "http://www.ofdspec.org/2016"
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, remove_comments=True)
_DEFAULT_LINE_WIDTH_MM = 0.353  # GB/T 33190's default LineWidth
_DEFAULT_BOX = (0.0, 0.0, 210.0, 297.0)  # A4, for a document that gives no PageArea
_UNITS = ("TextObject", "PathObject", "ImageObject")
_MAX_RELATIVES = 16  # a DrawParam's Relative chain followed this far (a loop ends there)

# An affine map (a, b, c, d, e, f): x' = a·x + c·y + e, y' = b·x + d·y + f.
Affine = tuple[float, float, float, float, float, float]
_IDENTITY: Affine = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


@dataclass(frozen=True)
class OfdReading:
    layout: Layout
    unembedded_fonts: tuple[str, ...]  # FontName of each font the file names without a FontFile


def read_layout(path: Path) -> Layout:
    return read_ofd(path).layout


def read_ofd(path: Path) -> OfdReading:
    """The pages' text, rules and pictures, and the fonts a reader must have; DocgenError for a file
    that is no readable OFD, naming what is wrong."""
    package = _Package(path, read_package(path, "OFD", "OFD").parts)
    try:
        return package.reading()
    except (etree.XMLSyntaxError, ValueError, KeyError, IndexError, ZeroDivisionError) as error:
        raise DocgenError(f"{path}: not a readable OFD ({error})") from None


@dataclass
class _Records:
    """One page as pdfplumber gives it: sizes in points, y down from the top (``matrix`` y up)."""

    page_number: int
    width: float
    height: float
    chars: list[dict] = field(default_factory=list)
    lines: list[dict] = field(default_factory=list)
    rects: list[dict] = field(default_factory=list)
    curves: list[dict] = field(default_factory=list)  # OFD's curves are not rules: none are read
    images: list[dict] = field(default_factory=list)


class _Package:
    def __init__(self, path: Path, parts: dict[str, bytes]) -> None:
        self.path = path
        self.parts = parts
        self.fonts: dict[str, _Font] = {}
        self.draw_params: dict[str, etree._Element] = {}

    def fail(self, what: str) -> DocgenError:
        return DocgenError(f"{self.path}: not a readable OFD ({what})")

    def xml(self, name: str) -> etree._Element:
        if name not in self.parts:
            raise self.fail(f"it has no part {name}")
        try:
            return etree.fromstring(self.parts[name], _PARSER)
        except etree.XMLSyntaxError as error:
            raise self.fail(f"{name} is not well-formed XML: {error}") from None

    def resolve(self, base: str, location: str | None) -> str:
        """A location written in part ``base``: from the package's root when it starts with /, else
        from ``base``'s folder; never outside the package."""
        location = (location or "").strip().replace("\\", "/")
        if not location:
            raise self.fail(f"{base} names an empty location")
        joined = location[1:] if location.startswith("/") else posixpath.join(posixpath.dirname(base), location)
        name = posixpath.normpath(joined)
        if name.startswith("../") or name == "..":
            raise self.fail(f"{base} points outside the package ({location})")
        return name

    def reading(self) -> OfdReading:
        ofd = self.xml("OFD.xml")
        body = _first(ofd, "DocBody")
        if body is None or _first(body, "DocRoot") is None:
            raise self.fail("OFD.xml has no DocBody with a DocRoot")
        root_name = self.resolve("OFD.xml", _first(body, "DocRoot").text)
        document = self.xml(root_name)
        common = _first(document, "CommonData")
        box = _box(_first(_first(common, "PageArea"), "PhysicalBox")) or _DEFAULT_BOX
        unembedded = self._resources(root_name, common)
        templates = {
            template.get("ID"): self.resolve(root_name, template.get("BaseLoc"))
            for template in _all(common, "TemplatePage")
        }
        pages = [
            self._page(number, self.resolve(root_name, entry.get("BaseLoc")), box, templates)
            for number, entry in enumerate(_all(_first(document, "Pages"), "Page"), start=1)
        ]
        return OfdReading(layout_of(pages), unembedded)

    def _resources(self, document_name: str, common: etree._Element | None) -> tuple[str, ...]:
        """Read every font and drawing parameter the resources list; the names of fonts without a file."""
        unembedded = []
        for tag in ("PublicRes", "DocumentRes"):
            for entry in _all(common, tag):
                res_name = self.resolve(document_name, entry.text)
                res = self.xml(res_name)
                # Files are named from the BaseLoc folder, itself named from the resource part's.
                base = self.resolve(res_name, res.get("BaseLoc") or ".") + "/"
                for font in _all(_first(res, "Fonts"), "Font"):
                    file = _first(font, "FontFile")
                    data = self.parts.get(self.resolve(base, file.text)) if file is not None else None
                    if data is None:
                        unembedded.append(font.get("FontName", "?"))
                    self.fonts[font.get("ID", "")] = _Font(font.get("FontName", "?"), data)
                self.draw_params |= {param.get("ID"): param for param in _all(_first(res, "DrawParams"), "DrawParam")}
        return tuple(dict.fromkeys(unembedded))

    def _page(self, number: int, name: str, box: tuple[float, ...], templates: dict[str | None, str]) -> _Records:
        content = self.xml(name)
        box = _box(_first(_first(content, "Area"), "PhysicalBox")) or box
        records = _Records(number, mm_to_pt(box[2]), mm_to_pt(box[3]))
        used = [templates[t.get("TemplateID")] for t in _all(content, "Template") if t.get("TemplateID") in templates]
        for source_name in (*used, name):  # templates are the background
            try:
                for unit in _units(self.xml(source_name)):
                    self._unit(unit, records, (box[0], box[1]))
            except (ValueError, IndexError, ZeroDivisionError) as error:
                raise self.fail(f"{source_name}: {error}") from None
        return records

    def _unit(self, unit: etree._Element, records: _Records, origin: tuple[float, float]) -> None:
        if _no(unit.get("Visible")):
            return
        boundary = _numbers(unit.get("Boundary"), 4)
        a, b, c, d, e, f = _numbers(unit.get("CTM"), 6) if unit.get("CTM") else _IDENTITY
        # Object space → page mm: the CTM, then the boundary's corner, less the page box's own corner.
        affine = (a, b, c, d, e + boundary[0] - origin[0], f + boundary[1] - origin[1])
        kind = etree.QName(unit).localname
        if kind == "TextObject":
            records.chars.extend(self._chars(unit, affine, records.height))
        elif kind == "PathObject":
            self._path(unit, affine, records)
        else:
            corners = [_apply(affine, x, y) for x in (0.0, 1.0) for y in (0.0, 1.0)]
            records.images.append(_box_record(corners))

    def _path(self, unit: etree._Element, affine: Affine, records: _Records) -> None:
        """A stroked path's straight segments as lines; a filled one's box as a rect (a rule drawn as a bar)."""
        params = [*self._params(unit.get("DrawParam")), *self._params(_layer_param(unit))]
        width = next((value for value in (unit.get("LineWidth"), *(p.get("LineWidth") for p in params)) if value), None)
        width_pt = mm_to_pt(float(width or _DEFAULT_LINE_WIDTH_MM))
        segments = list(_segments(_first(unit, "AbbreviatedData")))
        if not _no(unit.get("Stroke")):
            stroke = _color(_drawn(unit, params, "StrokeColor"))
            for start, end in segments:
                line = _box_record([_apply(affine, *start), _apply(affine, *end)])
                records.lines.append({**line, "linewidth": width_pt, "stroking_color": stroke})
        if _yes(unit.get("Fill")) and segments:
            corners = [_apply(affine, *point) for segment in segments for point in segment]
            fill = _color(_drawn(unit, params, "FillColor"))
            records.rects.append({**_box_record(corners), "linewidth": width_pt, "non_stroking_color": fill})

    def _params(self, reference: str | None) -> list[etree._Element]:
        """The DrawParam ``reference`` names and those it is Relative to, nearest first (16 at most)."""
        chain: list[etree._Element] = []
        while reference in self.draw_params and len(chain) < _MAX_RELATIVES:
            chain.append(self.draw_params[reference])
            reference = chain[-1].get("Relative")
        return chain

    def _chars(self, unit: etree._Element, affine: Affine, page_height: float) -> Iterator[dict]:
        font = self.fonts.get(unit.get("Font", ""), _Font(unit.get("Font", "?"), None))
        size = float(unit.get("Size", "0"))  # mm, as every length of object space
        a, b, c, d = affine[:4]
        linear = (a, -b, -c, d)  # the same map with y up, as a PDF's text matrix has it
        pen = (0.0, 0.0)  # where a TextCode without X or Y goes on: after the previous one
        for code in _all(unit, "TextCode"):
            text = code.text or ""
            x, y = float(code.get("X", pen[0])), float(code.get("Y", pen[1]))
            deltas_x = _deltas(code.get("DeltaX"), len(text) - 1)
            deltas_y = _deltas(code.get("DeltaY"), len(text) - 1)
            for index, character in enumerate(text):
                if index:
                    x += deltas_x[index - 1] if index <= len(deltas_x) else font.advance(text[index - 1], size)
                    y += deltas_y[index - 1] if index <= len(deltas_y) else 0.0
                page_x, page_y = _apply(affine, x, y)
                origin = (mm_to_pt(page_x), page_height - mm_to_pt(page_y))
                yield _char(character, font, mm_to_pt(size), linear, origin, page_height)
            pen = (x + font.advance(text[-1], size) if text else x, y)


def _char(
    character: str, font: _Font, size: float, linear: tuple[float, ...], origin: tuple[float, float], page_height: float
) -> dict:
    """A character as pdfminer sets it: the box from the descender up one size, the advance wide,
    through the text matrix; its size is the box's height (pdfminer's LTChar)."""
    advance = font.advance(character, size)
    descent = font.descent * size
    a, b, c, d = linear
    matrix = (a, b, c, d, *origin)
    corners = [_apply(matrix, x, y) for x in (0.0, advance) for y in (descent, descent + size)]
    x0, x1 = min(x for x, _ in corners), max(x for x, _ in corners)
    y0, y1 = min(y for _, y in corners), max(y for _, y in corners)
    return {
        "text": character,
        "fontname": font.postscript_name,
        "size": y1 - y0,
        "matrix": matrix,
        "upright": a * d > 0 and b * c <= 0,
        "x0": x0,
        "x1": x1,
        "top": page_height - y1,
        "bottom": page_height - y0,
    }


def _segments(data: etree._Element | None) -> Iterator[tuple[tuple[float, float], tuple[float, float]]]:
    """The straight segments of AbbreviatedData (M, L, C closing a subpath); curves end the current point."""
    tokens = (data.text or "").split() if data is not None else []
    arity = {"M": 2, "S": 2, "L": 2, "Q": 4, "B": 6, "A": 7, "C": 0}
    current = start = None
    index = 0
    while index < len(tokens):
        operator = tokens[index]
        count = arity.get(operator)
        if count is None:
            raise ValueError(f"AbbreviatedData has an unknown operator {operator[:10]!r}")
        values = [float(token) for token in tokens[index + 1 : index + 1 + count]]
        if len(values) < count:
            raise ValueError(f"AbbreviatedData's {operator} has too few numbers")
        point = (values[-2], values[-1]) if count else start
        if operator in ("M", "S"):
            start = point
        elif operator in ("L", "C") and current is not None and point is not None:
            yield current, point
        current = point
        index += 1 + count


def _box_record(corners: list[tuple[float, float]]) -> dict:
    """pdfplumber's box keys, in points, of the points (mm, y down) given."""
    xs = [mm_to_pt(x) for x, _ in corners]
    ys = [mm_to_pt(y) for _, y in corners]
    return {"x0": min(xs), "x1": max(xs), "top": min(ys), "bottom": max(ys)}


def _drawn(unit: etree._Element, params: list[etree._Element], tag: str) -> etree._Element | None:
    """The unit's own colour ``tag``, else the nearest of its drawing parameters'."""
    return next((color for color in (_first(unit, tag), *(_first(p, tag) for p in params)) if color is not None), None)


def _layer_param(unit: etree._Element) -> str | None:
    """The DrawParam of the layer the unit is drawn in: what the unit draws with unless it says otherwise."""
    layer = next(unit.iterancestors(f"{{{_NAMESPACE}}}Layer"), None)
    return layer.get("DrawParam") if layer is not None else None


def _color(element: etree._Element | None) -> tuple[float, ...]:
    """A colour as pdfplumber gives it: components 0–1 (OFD writes 0–255, or #hex); black when none is given."""
    if element is None or not element.get("Value"):
        return (0.0, 0.0, 0.0)
    values = element.get("Value").split()
    return tuple((int(value[1:], 16) if value.startswith("#") else float(value)) / 255 for value in values)


def _yes(value: str | None) -> bool:
    return value in ("true", "1")


def _no(value: str | None) -> bool:
    return value in ("false", "0")


class _Font:
    """The metrics a PDF's font dictionary would give: PostScript name, advances, descender."""

    def __init__(self, name: str, data: bytes | None) -> None:
        self.name = name
        self.data = data

    @cached_property
    def _font(self) -> object | None:
        if self.data is None:
            return None
        from fontTools.ttLib import TTFont

        try:
            return TTFont(io.BytesIO(self.data), lazy=True)
        except Exception as error:  # fontTools raises many kinds on a damaged font
            raise ValueError(f"an embedded font {self.name} is not readable: {error}") from None

    @cached_property
    def postscript_name(self) -> str:
        """As ReportLab names a TrueType font in a PDF (spaces as hyphens); the FontName for a font not embedded."""
        font = self._font
        name = font["name"].getDebugName(6) if font is not None else None  # type: ignore[index]
        return str(name or self.name).replace(" ", "-")

    @cached_property
    def _metrics(self) -> tuple[dict[int, str], dict[str, tuple[int, int]], int]:
        font = self._font
        if font is None:
            return {}, {}, 1000
        return font.getBestCmap() or {}, font["hmtx"].metrics, font["head"].unitsPerEm  # type: ignore[index]

    @cached_property
    def descent(self) -> float:
        """The descender as a share of the size (negative): OS/2's, which ReportLab writes as /Descent."""
        font = self._font
        if font is None:
            return -0.12  # a CJK face's usual descender
        table = font.get("OS/2")  # type: ignore[attr-defined]
        units = table.sTypoDescender if table is not None else font["head"].yMin  # type: ignore[index]
        return units / self._metrics[2]

    def advance(self, character: str, size: float) -> float:
        """The character's advance at ``size`` (in its unit); for a font not embedded, the 字 GB/T 9704 counts."""
        if self._font is None:
            return width_in_chars(character) * size
        cmap, metrics, units = self._metrics
        glyph = cmap.get(ord(character))
        return metrics[glyph][0] / units * size if glyph in metrics else 0.0


def _units(root: etree._Element) -> Iterator[etree._Element]:
    """Every text, path and image object in a page's content, however deep in page blocks."""
    content = _first(root, "Content")
    if content is not None:
        yield from content.iter(*(f"{{{_NAMESPACE}}}{tag}" for tag in _UNITS))


def _first(element: etree._Element | None, tag: str) -> etree._Element | None:
    return element.find(f"{{{_NAMESPACE}}}{tag}") if element is not None else None


def _all(element: etree._Element | None, tag: str) -> list[etree._Element]:
    return element.findall(f"{{{_NAMESPACE}}}{tag}") if element is not None else []


def _numbers(text: str | None, count: int) -> tuple[float, ...]:
    values = tuple(float(value) for value in (text or "").split())
    if len(values) != count or not all(math.isfinite(value) for value in values):
        raise ValueError(f"expected {count} numbers, not '{(text or '')[:40]}'")
    return values


def _box(element: etree._Element | None) -> tuple[float, ...] | None:
    return _numbers(element.text, 4) if element is not None else None


def _deltas(text: str | None, limit: int) -> list[float]:
    """A DeltaX or DeltaY list with ``g N value`` (N times value) written out; at most ``limit``."""
    tokens = (text or "").split()
    values: list[float] = []
    index = 0
    while index < len(tokens) and len(values) < limit:
        if tokens[index] == "g":
            if index + 2 >= len(tokens):
                raise ValueError("a DeltaX or DeltaY ends in 'g' without a count and a value")
            count, value = int(tokens[index + 1]), float(tokens[index + 2])
            values.extend([value] * max(0, min(count, limit - len(values))))
            index += 3
        else:
            values.append(float(tokens[index]))
            index += 1
    return values


def _apply(affine: tuple[float, ...], x: float, y: float) -> tuple[float, float]:
    a, b, c, d, e, f = affine
    return a * x + c * y + e, b * x + d * y + f
