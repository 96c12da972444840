"""The OFD (GB/T 33190-2016): valid against the standard's schemas, where the PDF puts everything,
the same bytes every time, and read by two independent readers from PyPI (ofdkit, easyofd).

Every example, the sample and a ledger update are laid out once and painted both ways; the OFD is
measured by docgen's reader (the code that measures a PDF) and, on its own, from its XML.
"""

from __future__ import annotations

import io
import math
import re
import subprocess
import sys
import zipfile
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

import numpy as np
import pdfplumber
import pytest
from fontTools.ttLib import TTFont
from hypothesis import given
from lxml import etree
from PIL import Image as PILImage

from docgen import __version__
from docgen.check.geometry import check_layout
from docgen.errors import DocgenError
from docgen.layout.document import LaidOutDocument, Page, Picture, Run, Strokes, Turned
from docgen.layout.fonts import FontFile, ResolvedFace
from docgen.layout.truetype import converted
from docgen.ledger.reader import load_ledger, view
from docgen.ledger.update import make_update
from docgen.measure import ofd as ofd_measure
from docgen.measure import pdf as pdf_measure
from docgen.model import Document, Image
from docgen.profile import Profile
from docgen.render.ofd.writer import render_ofd
from docgen.render.pdf.writer import render_pdf
from docgen.source.loader import load_document
from docgen.units import MM_PER_PT, mm_to_pt
from fuzzing import DRAWABLE, FUZZ, PROFILE, formal_documents
from support import ROOT, SAMPLE_SOURCE, laid_out

NS = "{http://www.ofdspec.org/2016}"
XSD = ROOT / "tests" / "fixtures" / "ofd-xsd"
SOURCES = {path.stem: path for path in sorted((ROOT / "examples").glob("*.yaml"))} | {"report": SAMPLE_SOURCE}
NAMES = [*SOURCES, "ledger-update"]
GLYPH_MM = 0.1  # what the issue allows between the OFD and the PDF
RULE_MM = 0.1
SEAL_MM = 0.2


@dataclass(frozen=True)
class Built:
    laid: LaidOutDocument
    ofd: Path
    pdf: Path


class Builds:
    """Each document laid out once, painted as OFD and PDF, on first use."""

    def __init__(self, folder: Path, profile: Profile) -> None:
        self.folder, self.profile, self.built = folder, profile, {}

    def __getitem__(self, name: str) -> Built:
        if name not in self.built:
            laid = laid_out(_document(name), self.profile)
            ofd, pdf = self.folder / f"{name}.ofd", self.folder / f"{name}.pdf"
            ofd.write_bytes(render_ofd(laid, self.profile))
            pdf.write_bytes(render_pdf(laid, self.profile))
            self.built[name] = Built(laid, ofd, pdf)
        return self.built[name]


def _document(name: str) -> Document:
    if name == "ledger-update":  # the 台账's progress report with its table, against last month's
        current = view(load_ledger(ROOT / "data" / "ledger-2023-10.yaml"))
        return make_update(current, view(load_ledger(ROOT / "data" / "ledger.yaml")), table=True).document
    return load_document(SOURCES[name])


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory, profile: Profile) -> Builds:
    return Builds(tmp_path_factory.mktemp("ofd"), profile)


# ---------------------------------------------------------------- the package and its schemas


def parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as package:
        return {name: package.read(name) for name in package.namelist()}


def schema_for(part_name: str) -> etree.XMLSchema:
    tail = part_name.rsplit("/", 1)[-1]
    return _schema(
        {"OFD.xml": "OFD.xsd", "Document.xml": "Document.xsd", "Content.xml": "Page.xsd"}.get(tail, "Res.xsd")
    )


@cache
def _schema(file: str) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(XSD / file)))  # it includes the others by name


def xml(data: bytes) -> etree._Element:
    return etree.fromstring(data)


@pytest.mark.parametrize("name", NAMES)
def test_every_part_is_valid_against_the_standards_schemas(builds: Builds, name: str) -> None:
    package = parts(builds[name].ofd)
    assert next(iter(package)) == "OFD.xml"  # at the root, first, as readers look for it
    errors = []
    for part_name, data in package.items():
        if part_name.endswith(".xml"):
            schema = schema_for(part_name)
            if not schema.validate(xml(data)):
                errors.extend(f"{part_name}: {error.message}" for error in schema.error_log)
    assert errors == []
    assert sum(entry.endswith("/Content.xml") for entry in package) == len(builds[name].laid.pages)


@pytest.mark.parametrize("name", ["file", "landscape"])
def test_every_file_the_package_holds_is_named_by_a_part(builds: Builds, name: str) -> None:
    package = parts(builds[name].ofd)
    document = xml(package["Doc_0/Document.xml"])
    named = {"OFD.xml", "Doc_0/Document.xml"}
    named |= {f"Doc_0/{entry.text}" for entry in document.iter(f"{NS}PublicRes", f"{NS}DocumentRes")}
    named |= {f"Doc_0/{page.get('BaseLoc')}" for page in document.iter(f"{NS}Page")}
    for res in ("Doc_0/PublicRes.xml", "Doc_0/DocumentRes.xml"):
        base = xml(package[res]).get("BaseLoc")
        named |= {f"Doc_0/{base}/{file.text}" for file in xml(package[res]).iter(f"{NS}FontFile", f"{NS}MediaFile")}
    assert set(package) == named


def test_the_document_says_what_it_is(builds: Builds) -> None:
    built = builds["file"]
    document = built.laid.document
    package = parts(built.ofd)
    info = xml(package["OFD.xml"]).find(f"{NS}DocBody/{NS}DocInfo")
    assert info.findtext(f"{NS}Title") == document.title
    assert info.findtext(f"{NS}Author") == "、".join(document.organs)
    assert info.findtext(f"{NS}CreationDate") == document.signature.date.isoformat()
    assert (info.findtext(f"{NS}Creator"), info.findtext(f"{NS}CreatorVersion")) == ("docgen", __version__)
    assert re.fullmatch(r"[0-9a-f]{32}", info.findtext(f"{NS}DocID"))
    common = xml(package["Doc_0/Document.xml"]).find(f"{NS}CommonData")
    assert common.findtext(f"{NS}PageArea/{NS}PhysicalBox") == "0 0 210 297"
    ids = [int(element.get("ID")) for data in package.values() if data[:5] == b"<?xml" for element in xml(data).iter()
           if element.get("ID")]  # fmt: skip
    assert len(ids) == len(set(ids))  # one identifier space, each used once
    assert int(common.findtext(f"{NS}MaxUnitID")) == max(ids)


def test_fonts_carry_the_office_names_the_profile_gives(builds: Builds, profile: Profile) -> None:
    built = builds["file"]
    names = {font.get("FontName") for font in xml(parts(built.ofd)["Doc_0/PublicRes.xml"]).iter(f"{NS}Font")}
    roles = {"body", "title", "heading1", "heading2", "page_number"}
    assert {profile.faces[profile.roles[role].face].office[0] for role in roles} <= names


@pytest.mark.parametrize("name", ["file", "landscape", "report"])
def test_each_embedded_font_is_a_real_font_with_every_glyph_used(builds: Builds, name: str) -> None:
    """fontTools and FreeType (PyMuPDF's) open each subset and find an outline for each character set in it."""
    import pymupdf

    package = parts(builds[name].ofd)
    res = xml(package["Doc_0/PublicRes.xml"])
    files = {font.get("ID"): package[f"Doc_0/{res.get('BaseLoc')}/{font.findtext(f'{NS}FontFile')}"]
             for font in res.iter(f"{NS}Font")}  # fmt: skip
    used: dict[str, set[str]] = {}
    for part_name, data in package.items():
        if part_name.endswith("Content.xml"):
            for text in xml(data).iter(f"{NS}TextObject"):
                used.setdefault(text.get("Font"), set()).update(text.findtext(f"{NS}TextCode"))
    assert set(used) == set(files)
    for font_id, characters in used.items():
        font = TTFont(io.BytesIO(files[font_id]))
        cmap = font.getBestCmap()
        glyphs = font.getGlyphSet()
        freetype = pymupdf.Font(fontbuffer=files[font_id])
        for character in characters - {" ", "\u3000"}:
            assert ord(character) in cmap, (font_id, character)
            assert _has_ink(glyphs, cmap[ord(character)]), (font_id, character)
            assert freetype.has_glyph(ord(character)), (font_id, character)


def _has_ink(glyphs: object, name: str) -> bool:
    from fontTools.pens.boundsPen import BoundsPen

    pen = BoundsPen(glyphs)
    glyphs[name].draw(pen)  # type: ignore[index]
    return pen.bounds is not None


# ---------------------------------------------------------------- the OFD against the PDF


def _font_family(name: str) -> str:
    """A PostScript name without the "-N" ReportLab adds for a collection's member."""
    return re.sub(r"-\d+$", "", name)


@pytest.mark.parametrize("name", NAMES)
def test_the_ofd_measures_as_the_pdf(builds: Builds, name: str) -> None:
    """docgen's reader of each format: the same pages, lines, glyphs, rules and seals."""
    built = builds[name]
    pdf = pdf_measure.read_layout(built.pdf)
    ofd = ofd_measure.read_layout(built.ofd)
    assert len(ofd.pages) == len(pdf.pages) == len(built.laid.pages)
    worst = 0.0
    for pdf_page, ofd_page in zip(pdf.pages, ofd.pages, strict=True):
        assert (ofd_page.width_mm, ofd_page.height_mm) == pytest.approx((pdf_page.width_mm, pdf_page.height_mm))
        assert [line.text for line in ofd_page.lines] == [line.text for line in pdf_page.lines]
        pairs = [
            pair
            for a, b in zip(pdf_page.lines, ofd_page.lines, strict=True)
            for pair in zip(a.chars, b.chars, strict=True)
        ]
        pairs += list(zip(pdf_page.turned, ofd_page.turned, strict=True))
        for a, b in pairs:
            assert (b.text, b.size, _font_family(b.font)) == (a.text, a.size, _font_family(a.font))
            worst = max(worst, math.dist(a.origin_mm, b.origin_mm), _apart(a, b, "x1_mm", "top_mm", "bottom_mm"))
    assert worst < GLYPH_MM
    assert len(ofd.strokes) == len(pdf.strokes)
    for a, b in zip(pdf.strokes, ofd.strokes, strict=True):
        assert (b.page, b.color) == (a.page, a.color)
        assert _apart(a, b, "y_mm", "x0_mm", "x1_mm", "width_mm") < RULE_MM
    assert len(ofd.pictures) == len(pdf.pictures)
    for a, b in zip(pdf.pictures, ofd.pictures, strict=True):
        assert b.page == a.page
        assert _apart(a, b, "x0_mm", "top_mm", "x1_mm", "bottom_mm") < SEAL_MM


def _apart(a: object, b: object, *fields: str) -> float:
    """How far the two are apart in the farthest of ``fields``."""
    return max(abs(getattr(a, field) - getattr(b, field)) for field in fields)


@pytest.mark.parametrize("name", ["file", "landscape", "letter", "report"])
def test_check_finds_in_the_ofd_what_it_finds_in_the_pdf(builds: Builds, profile: Profile, name: str) -> None:
    """One measuring truth: the grid, margins, page numbers, mark and red line read from either file alike."""
    built = builds[name]
    found = check_layout(ofd_measure.read_layout(built.ofd), profile)
    assert found == check_layout(pdf_measure.read_layout(built.pdf), profile)


# ---------------------------------------------------------------- the OFD's XML read on its own


@dataclass(frozen=True)
class Glyph:
    page: int
    text: str
    x: float
    y: float


def _affine(unit: etree._Element) -> tuple[float, ...]:
    """Object space → page: the unit's CTM (if any), then its boundary's corner."""
    a, b, c, d, e, f = map(float, (unit.get("CTM") or "1 0 0 1 0 0").split())
    x, y = map(float, unit.get("Boundary").split()[:2])
    return a, b, c, d, e + x, f + y


def _map(affine: tuple[float, ...], x: float, y: float) -> tuple[float, float]:
    a, b, c, d, e, f = affine
    return a * x + c * y + e, b * x + d * y + f


def xml_pages(path: Path) -> Iterator[tuple[int, etree._Element]]:
    package = parts(path)
    for number, page in enumerate(xml(package["Doc_0/Document.xml"]).iter(f"{NS}Page"), start=1):
        yield number, xml(package[f"Doc_0/{page.get('BaseLoc')}"])


def xml_glyphs(path: Path) -> list[Glyph]:
    """Each glyph's origin on its page (mm), in the order the pages draw them."""
    glyphs = []
    for number, content in xml_pages(path):
        for unit in content.iter(f"{NS}TextObject"):
            affine = _affine(unit)
            code = unit.find(f"{NS}TextCode")
            x, y = float(code.get("X")), float(code.get("Y"))
            steps = [0.0, *map(float, (code.get("DeltaX") or "").split())]
            for character, step in zip(code.text, steps, strict=True):
                x += step
                glyphs.append(Glyph(number, character, *_map(affine, x, y)))
    return glyphs


def xml_segments(path: Path) -> list[tuple[int, tuple[float, ...], float, str]]:
    """Each stroked segment: its page, its box (x0, top, x1, bottom in mm), width and colour."""
    segments = []
    for number, content in xml_pages(path):
        for unit in content.iter(f"{NS}PathObject"):
            affine = _affine(unit)
            numbers = re.findall(r"M (\S+) (\S+) L (\S+) (\S+)", unit.findtext(f"{NS}AbbreviatedData"))
            for x0, y0, x1, y1 in numbers:
                (ax, ay), (bx, by) = _map(affine, float(x0), float(y0)), _map(affine, float(x1), float(y1))
                box = (min(ax, bx), min(ay, by), max(ax, bx), max(ay, by))
                segments.append((number, box, float(unit.get("LineWidth")), unit.find(f"{NS}StrokeColor").get("Value")))
    return segments


def xml_images(path: Path) -> list[tuple[int, tuple[float, ...]]]:
    boxes = []
    for number, content in xml_pages(path):
        for unit in content.iter(f"{NS}ImageObject"):
            corners = [_map(_affine(unit), u, v) for u in (0, 1) for v in (0, 1)]
            xs, ys = [x for x, _ in corners], [y for _, y in corners]
            boxes.append((number, (min(xs), min(ys), max(xs), max(ys))))
    return boxes


def _box_mm(picture: Picture) -> tuple[float, ...]:
    corners = (picture.x, picture.y, picture.x + picture.width, picture.y + picture.height)
    return tuple(value * MM_PER_PT for value in corners)


def plumber(path: Path) -> Iterator[tuple[int, dict]]:
    """pdfplumber's raw objects of each page, in the order the page draws them."""
    with pdfplumber.open(path) as document:
        for page in document.pages:
            yield page.page_number, {"height": float(page.height), **page.objects}


def _rgb(value: str) -> tuple[float, ...]:
    return tuple(int(part) / 255 for part in value.split())


@pytest.mark.parametrize("name", ["file", "landscape", "joint", "ledger-update"])
def test_the_ofds_xml_on_its_own_puts_everything_where_the_pdf_does(builds: Builds, name: str) -> None:
    """Not through docgen's reader: the XML's glyph origins, segments and image boxes, computed here,
    against pdfplumber's characters, lines and images, object for object in drawing order."""
    built = builds[name]
    pdf_chars, pdf_lines, pdf_images = [], [], []
    for number, objects in plumber(built.pdf):
        k, height = MM_PER_PT, objects["height"]
        pdf_chars += [Glyph(number, c["text"], c["matrix"][4] * k, (height - c["matrix"][5]) * k)
                      for c in objects.get("char", [])]  # fmt: skip
        pdf_lines += [(number, tuple(line[key] * k for key in ("x0", "top", "x1", "bottom")), line["linewidth"] * k,
                       tuple(line["stroking_color"])) for line in objects.get("line", [])]  # fmt: skip
        pdf_images += [(number, tuple(image[key] * k for key in ("x0", "top", "x1", "bottom")))
                       for image in objects.get("image", [])]  # fmt: skip
    glyphs = xml_glyphs(built.ofd)
    assert "".join(glyph.text for glyph in glyphs) == "".join(glyph.text for glyph in pdf_chars)
    for mine, theirs in zip(glyphs, pdf_chars, strict=True):
        assert mine.page == theirs.page
        assert math.dist((mine.x, mine.y), (theirs.x, theirs.y)) < GLYPH_MM, (mine, theirs)
    segments = xml_segments(built.ofd)
    assert len(segments) == len(pdf_lines)
    for (page, box, width, value), (pdf_page, pdf_box, pdf_width, pdf_color) in zip(segments, pdf_lines, strict=True):
        assert page == pdf_page
        assert max(abs(a - b) for a, b in zip(box, pdf_box, strict=True)) < RULE_MM
        assert abs(width - pdf_width) < RULE_MM
        assert _rgb(value) == pytest.approx(pdf_color)
    laid_pictures = [
        (number, _box_mm(item)) for number, page in enumerate(built.laid.pages, start=1)
        for item in page.items if isinstance(item, Picture)
    ]  # fmt: skip
    for expected in (pdf_images, laid_pictures):
        assert len(xml_images(built.ofd)) == len(expected)
        for (page, box), (other_page, other_box) in zip(xml_images(built.ofd), expected, strict=True):
            assert page == other_page
            assert max(abs(a - b) for a, b in zip(box, other_box, strict=True)) < SEAL_MM


# ---------------------------------------------------------------- the same bytes


def test_a_rebuild_gives_the_same_bytes(builds: Builds, profile: Profile) -> None:
    built = builds["file"]
    assert render_ofd(built.laid, profile) == built.ofd.read_bytes()
    again = laid_out(load_document(SOURCES["file"]), profile)
    assert render_ofd(again, profile) == built.ofd.read_bytes()
    with zipfile.ZipFile(built.ofd) as package:
        assert {entry.date_time for entry in package.infolist()} == {(1980, 1, 1, 0, 0, 0)}


# ---------------------------------------------------------------- hand-made pages


def _page(
    *items: Run | Strokes | Picture | Turned, width: float = mm_to_pt(210), height: float = mm_to_pt(297)
) -> Page:
    return Page(width, height, tuple(items), number=None)


def _laid(builds: Builds, *pages: Page) -> LaidOutDocument:
    return replace(builds["order"].laid, pages=pages)


def _written(builds: Builds, profile: Profile, tmp_path: Path, *pages: Page) -> Path:
    path = tmp_path / "made.ofd"
    path.write_bytes(render_ofd(_laid(builds, *pages), profile))
    return path


def _body_font(faces: dict[str, ResolvedFace], profile: Profile) -> FontFile:
    return faces[profile.roles["body"].face].file


def test_a_turned_frames_runs_rules_and_pictures_land_where_it_says(
    builds: Builds, profile: Profile, faces: dict[str, ResolvedFace], tmp_path: Path
) -> None:
    """Frame (x, y) is page (origin x + y, origin y − x): text reads up the page, a frame's vertical
    border is a horizontal rule on the page, a picture's box turns with it."""
    run = Run("表头", (10.0, 26.0), 20.0, _body_font(faces, profile), 16.0, 0.0, "000000")
    rule = Strokes(((5.0, 0.0, 5.0, 100.0),), 0.5, "FF0000")
    seal = Picture(builds["file"].laid.document.signature.seals[0], 30.0, 40.0, 60.0, 20.0)
    path = _written(builds, profile, tmp_path, _page(Turned(100.0, 700.0, (run, rule, seal))))
    layout = ofd_measure.read_layout(path)
    page = layout.pages[0]
    assert not page.lines and "".join(char.text for char in page.turned) == "表头"
    for char, x in zip(page.turned, run.xs, strict=True):
        assert char.origin_mm == pytest.approx(((100 + 20.0) * MM_PER_PT, (700 - x) * MM_PER_PT), abs=0.001)
    (stroke,) = layout.strokes
    assert (stroke.y_mm, stroke.x0_mm, stroke.x1_mm) == pytest.approx(
        (695 * MM_PER_PT, 100 * MM_PER_PT, 200 * MM_PER_PT), abs=0.001
    )
    assert stroke.color == (1.0, 0.0, 0.0)
    (placed,) = layout.pictures
    expected = ((100 + 40) * MM_PER_PT, (700 - 90) * MM_PER_PT, (100 + 60) * MM_PER_PT, (700 - 30) * MM_PER_PT)
    assert (placed.x0_mm, placed.top_mm, placed.x1_mm, placed.bottom_mm) == pytest.approx(expected, abs=0.001)


def test_a_page_of_its_own_size_says_so_and_the_rest_take_the_documents(
    builds: Builds, profile: Profile, faces: dict[str, ResolvedFace], tmp_path: Path
) -> None:
    run = Run("正文", (90.0, 106.0), 100.0, _body_font(faces, profile), 16.0, 0.0, "000000")
    path = _written(builds, profile, tmp_path, _page(run), _page(run, width=mm_to_pt(297), height=mm_to_pt(210)))
    contents = [content for _, content in xml_pages(path)]
    assert contents[0].find(f"{NS}Area") is None
    assert contents[1].findtext(f"{NS}Area/{NS}PhysicalBox") == "0 0 297 210"
    layout = ofd_measure.read_layout(path)
    sizes = [size for page in layout.pages for size in (page.width_mm, page.height_mm)]
    assert sizes == pytest.approx([210, 297, 297, 210], abs=0.001)


def test_an_svg_seal_is_embedded_as_a_png_in_its_box(builds: Builds, profile: Profile, tmp_path: Path) -> None:
    """OFD readers draw raster images: an SVG seal is rasterised (as for the DOCX), its box kept."""
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" width="100" height="100"><circle cx="50" cy="50" r="40"/></svg>'
    seal = Image("svg", svg, 100, 100, "seal.svg")
    path = _written(builds, profile, tmp_path, _page(Picture(seal, 300.0, 500.0, 119.0, 119.0)))
    package = parts(path)
    media = xml(package["Doc_0/DocumentRes.xml"]).find(f"{NS}MultiMedias/{NS}MultiMedia")
    assert media.get("Format") == "PNG"
    picture = PILImage.open(io.BytesIO(package[f"Doc_0/Res/{media.findtext(f'{NS}MediaFile')}"]))
    assert picture.format == "PNG" and picture.mode == "RGBA"
    (placed,) = ofd_measure.read_layout(path).pictures
    box = (placed.x0_mm, placed.top_mm, placed.x1_mm, placed.bottom_mm)
    assert box == pytest.approx((300 * MM_PER_PT, 500 * MM_PER_PT, 419 * MM_PER_PT, 619 * MM_PER_PT), abs=0.001)


def test_a_seal_pressed_twice_is_one_resource(builds: Builds, profile: Profile, tmp_path: Path) -> None:
    seal = builds["file"].laid.document.signature.seals[0]
    path = _written(
        builds, profile, tmp_path, _page(Picture(seal, 100, 100, 119, 119), Picture(seal, 300, 100, 119, 119))
    )
    assert len(xml(parts(path)["Doc_0/DocumentRes.xml"]).findall(f"{NS}MultiMedias/{NS}MultiMedia")) == 1
    assert len(ofd_measure.read_layout(path).pictures) == 2


def test_without_fonts_there_is_no_ofd_and_docgen_says_why(builds: Builds, profile: Profile) -> None:
    with pytest.raises(DocgenError, match="no font files were found"):
        render_ofd(replace(builds["order"].laid, pages=None), profile)


# ---------------------------------------------------------------- reading a file docgen did not write


def _ofd_with(tmp_path: Path, builds: Builds, **changes: bytes | None) -> Path:
    """The order's OFD with parts replaced (bytes) or taken out (None)."""
    package = parts(builds["order"].ofd) | changes
    path = tmp_path / "foreign.ofd"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in package.items():
            if data is not None:
                archive.writestr(name, data)
    return path


def _root_pointing_to(location: str) -> bytes:
    return (f'<?xml version="1.0"?><ofd:OFD xmlns:ofd="http://www.ofdspec.org/2016" Version="1.0" DocType="OFD">'
            f"<ofd:DocBody><ofd:DocInfo><ofd:DocID>1</ofd:DocID></ofd:DocInfo><ofd:DocRoot>{location}</ofd:DocRoot>"
            f"</ofd:DocBody></ofd:OFD>").encode()  # fmt: skip


def _page_with(unit: str) -> bytes:
    return (f'<ofd:Page xmlns:ofd="http://www.ofdspec.org/2016"><ofd:Content><ofd:Layer ID="1">{unit}'
            "</ofd:Layer></ofd:Content></ofd:Page>").encode()  # fmt: skip


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"OFD.xml": None}, "has no part OFD.xml"),
        ({"OFD.xml": b"<ofd:OFD"}, "OFD.xml is not well-formed XML"),
        ({"OFD.xml": _root_pointing_to("../../etc/passwd")}, "points outside the package"),
        ({"OFD.xml": _root_pointing_to("Doc_9/Document.xml")}, "has no part Doc_9/Document.xml"),
        (
            {"Doc_0/Pages/Page_0/Content.xml": _page_with('<ofd:PathObject ID="2" Boundary="0 0 1"/>')},
            "expected 4 numbers",
        ),
    ],
)
def test_a_damaged_ofd_is_refused_naming_what_is_wrong(
    tmp_path: Path, builds: Builds, changes: dict[str, bytes | None], message: str
) -> None:
    path = _ofd_with(tmp_path, builds, **changes)
    with pytest.raises(DocgenError, match=f"{re.escape(str(path))}: not a readable OFD.*{re.escape(message)}"):
        ofd_measure.read_layout(path)


def test_what_is_no_zip_is_no_ofd(tmp_path: Path) -> None:
    path = tmp_path / "text.ofd"
    path.write_text("not a package")
    with pytest.raises(DocgenError, match="not a readable OFD"):
        ofd_measure.read_layout(path)


def test_a_part_that_would_inflate_past_the_bound_is_refused_unread(tmp_path: Path, builds: Builds) -> None:
    path = _ofd_with(tmp_path, builds, **{"Doc_0/Res/huge.bin": b"\0" * (65 * 1024 * 1024)})
    with pytest.raises(DocgenError, match=r"huge\.bin inflates to .* refused unread"):
        ofd_measure.read_layout(path)


def test_an_entity_in_a_part_is_never_expanded(tmp_path: Path, builds: Builds) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("Doc_0/Document.xml")  # were it read, the file would open
    doctype = f'<!DOCTYPE o [<!ENTITY x SYSTEM "file://{secret}">]>'
    entity = _root_pointing_to("&x;").replace(b'<?xml version="1.0"?>', f'<?xml version="1.0"?>{doctype}'.encode())
    with pytest.raises(DocgenError, match="empty location"):
        ofd_measure.read_layout(_ofd_with(tmp_path, builds, **{"OFD.xml": entity}))


def test_a_huge_run_length_in_delta_x_costs_nothing(tmp_path: Path, builds: Builds) -> None:
    """DeltaX's "g N value" is written out no further than the glyphs it spaces."""
    content = parts(builds["order"].ofd)["Doc_0/Pages/Page_0/Content.xml"]
    hostile = re.sub(rb'DeltaX="[^"]*"', b'DeltaX="g 4000000000 1"', content, count=1)
    layout = ofd_measure.read_layout(_ofd_with(tmp_path, builds, **{"Doc_0/Pages/Page_0/Content.xml": hostile}))
    assert layout.pages[0].lines


_FOREIGN = {
    "OFD.xml": '<ofd:OFD {ns} Version="1.0" DocType="OFD"><ofd:DocBody><ofd:DocInfo><ofd:DocID>1</ofd:DocID>'
    "</ofd:DocInfo><ofd:DocRoot>/Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>",
    "Doc_0/Document.xml": "<ofd:Document {ns}><ofd:CommonData><ofd:MaxUnitID>9</ofd:MaxUnitID><ofd:PageArea>"
    "<ofd:PhysicalBox>0 0 210 297</ofd:PhysicalBox></ofd:PageArea><ofd:PublicRes>PublicRes.xml</ofd:PublicRes>"
    '<ofd:TemplatePage ID="2" BaseLoc="Tpls/Tpl_0/Content.xml"/></ofd:CommonData><ofd:Pages>'
    '<ofd:Page ID="3" BaseLoc="Pages/Page_0/Content.xml"/></ofd:Pages></ofd:Document>',
    "Doc_0/PublicRes.xml": '<ofd:Res {ns} BaseLoc="Res"><ofd:Fonts><ofd:Font ID="4" FontName="宋体"/></ofd:Fonts>'
    '<ofd:DrawParams><ofd:DrawParam ID="5" LineWidth="0.5"><ofd:StrokeColor Value="#ff #00 #00"/></ofd:DrawParam>'
    '<ofd:DrawParam ID="6" Relative="5"/></ofd:DrawParams></ofd:Res>',
    "Doc_0/Tpls/Tpl_0/Content.xml": '<ofd:Page {ns}><ofd:Content><ofd:Layer ID="7">'
    '<ofd:TextObject ID="8" Boundary="20 10 100 10" Font="4" Size="5"><ofd:TextCode X="0" Y="5">页眉</ofd:TextCode>'
    "</ofd:TextObject></ofd:Layer></ofd:Content></ofd:Page>",
    "Doc_0/Pages/Page_0/Content.xml": '<ofd:Page {ns}><ofd:Template TemplateID="2"/><ofd:Content>'
    '<ofd:Layer ID="9" DrawParam="6"><ofd:PageBlock ID="10">'
    '<ofd:TextObject ID="11" Boundary="20 50 170 10" Font="4" Size="5"><ofd:TextCode X="0" Y="5" DeltaX="g 2 5">'
    "正文一</ofd:TextCode><ofd:TextCode>二</ofd:TextCode></ofd:TextObject></ofd:PageBlock>"
    '<ofd:PathObject ID="12" Boundary="20 80 170 1"><ofd:AbbreviatedData>M 0 0.5 L 170 0.5</ofd:AbbreviatedData>'
    "</ofd:PathObject></ofd:Layer></ofd:Content></ofd:Page>",
}


def test_an_ofd_from_another_writer_is_read_as_the_standard_says(tmp_path: Path) -> None:
    """Templates, page blocks, "g" in DeltaX, a TextCode that goes on after the last, colours and widths
    from a layer's DrawParam (through Relative), #hex colour values, a font not embedded, /absolute names."""
    path = tmp_path / "wps.ofd"
    with zipfile.ZipFile(path, "w") as archive:
        for name, text in _FOREIGN.items():
            archive.writestr(name, text.format(ns='xmlns:ofd="http://www.ofdspec.org/2016"'))
    reading = ofd_measure.read_ofd(path)
    (page,) = reading.layout.pages
    assert [line.text for line in page.lines] == ["页眉", "正文一二"]
    body = page.lines[1]
    assert [char.origin_mm[0] for char in body.chars] == pytest.approx([20, 25, 30, 35])  # 二 one em on
    assert body.baseline_mm == pytest.approx(55) and body.chars[0].size == pytest.approx(5 / MM_PER_PT, abs=0.01)
    (stroke,) = reading.layout.strokes
    assert (stroke.y_mm, stroke.width_mm) == pytest.approx((80.5, 0.5))
    assert stroke.color == (1.0, 0.0, 0.0)
    assert reading.unembedded_fonts == ("宋体",)


# ---------------------------------------------------------------- two readers from PyPI


def _squash(text: str) -> str:
    return "".join(text.split())


@pytest.mark.parametrize("name", NAMES)
def test_ofdkit_reads_the_text_and_page_boxes_without_a_warning(builds: Builds, name: str) -> None:
    import ofdkit

    built = builds[name]
    pdf = pdf_measure.read_layout(built.pdf)
    with ofdkit.open(built.ofd) as document:
        assert document.info.title == built.laid.info.title
        assert len(document.pages) == len(pdf.pages)
        for page, pdf_page in zip(document.pages, pdf.pages, strict=True):
            assert page.box == (0.0, 0.0, 210.0, 297.0)
            lines = _squash("".join(line.text for line in pdf_page.lines))
            turned = "".join(char.text for char in pdf_page.turned)
            if turned:  # sideways text: the same characters, in ofdkit's own reading order
                assert Counter(_squash(page.text())) == Counter(lines + turned)
            else:
                assert _squash(page.text()) == lines
        assert document.warnings == []


_EASYOFD = """
import logging, sys, warnings
warnings.simplefilter("ignore")
from loguru import logger
logger.disable("easyofd")
logging.getLogger().setLevel(logging.ERROR)  # it warns through the root logger for every run
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
import easyofd
pdfmetrics.registerFont(TTFont("宋体", sys.argv[1]))
reader = easyofd.OFD()
reader.read(sys.argv[2], fmt="path")
images = reader.to_jpg()
for index in map(int, sys.argv[4:]):
    images[index].save(f"{sys.argv[3]}/page-{index + 1}.png")
print(len(images))
"""


@pytest.fixture(scope="module")
def songti_for_easyofd(faces: dict[str, ResolvedFace], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """easyofd draws every character in a ReportLab font it calls 宋体, registered at import from
    simsun.ttc when the machine has it (it ignores the fonts the OFD embeds): the profile's 宋体
    stand-in is registered under that name, or it draws no text at all, for any OFD. A TrueType
    copy holds the outlines of what docgen has drawn from it (a fresh cache: little): every glyph
    is converted into a private copy first, since easyofd draws more in it than the pages' runs."""
    songti = faces["songti"]
    target = tmp_path_factory.mktemp("songti") / "songti.ttf"
    if songti.converted_from is None:
        target.write_bytes(songti.path.read_bytes())
        return target
    private = target.with_name("copy.ttf")
    private.write_bytes(songti.path.read_bytes())
    source = TTFont(songti.converted_from)
    target.write_bytes(converted(private, songti.converted_from, set(range(len(source.getGlyphOrder())))))
    return target


def _easyofd_pages(ofd: Path, songti: Path, folder: Path, pages: tuple[int, ...]) -> tuple[int, list[PILImage.Image]]:
    """easyofd's pictures of ``pages`` of ``ofd``, drawn in a process of its own (its fonts and
    ReportLab's registry apart from the suite's); the page count it saw."""
    result = subprocess.run(
        [sys.executable, "-c", _EASYOFD, str(songti), str(ofd), str(folder), *map(str, pages)],
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-2000:]
    count = int(result.stdout.strip().splitlines()[-1])
    return count, [PILImage.open(folder / f"page-{index + 1}.png") for index in pages]


def _inks(image: PILImage.Image) -> dict[str, np.ndarray]:
    """Where the picture is red, and where dark, pixel by pixel."""
    pixels = np.asarray(image.convert("RGB")).astype(int)
    red = (pixels[..., 0] > 180) & (pixels[..., 1] < 90) & (pixels[..., 2] < 90)
    return {"FF0000": red, "000000": pixels.max(axis=2) < 100}


@pytest.mark.parametrize("name", ["file", "landscape"])
def test_easyofd_renders_page_one_and_the_colophon_page(
    builds: Builds, songti_for_easyofd: Path, name: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """In easyofd's picture of page 1 and of the 版记's page, every run has ink of its colour in its
    em box, and every rule its colour along its length. The PNGs stay in the test's folder."""
    built = builds[name]
    pages = built.laid.pages
    assert pages is not None and built.laid.foot is not None  # the 版记 ends the last page
    folder = tmp_path_factory.mktemp("easyofd")
    shown = (0, len(pages) - 1)
    count, images = _easyofd_pages(built.ofd, songti_for_easyofd, folder, shown)
    assert count == len(pages)
    for index, image in zip(shown, images, strict=True):
        inks = _inks(image)
        scale = image.width / pages[index].width  # pixels a point
        for item in pages[index].items:
            if isinstance(item, Run) and item.text.strip():
                left, top = round(item.xs[0] * scale), round((item.baseline - item.size) * scale)
                right, bottom = round((item.xs[-1] + item.size) * scale), round(item.baseline * scale)
                assert inks[item.color][top:bottom, left:right].mean() > 0.003, (index + 1, item.text)  # a comma: 0.9 %
            elif isinstance(item, Strokes):
                for x0, y0, x1, y1 in item.segments:
                    band = inks[item.color][
                        round(y0 * scale) - 2 : round(y1 * scale) + 3, round(x0 * scale) : round(x1 * scale)
                    ]
                    assert band.any(axis=0).mean() > 0.98, (index + 1, item)


# ---------------------------------------------------------------- fuzzed documents


@FUZZ
@given(formal_documents(DRAWABLE))
def test_fuzzed_documents_give_a_valid_ofd_with_the_pdfs_text(tmp_path_factory, document: Document) -> None:
    profile = PROFILE
    laid = laid_out(document, profile)
    folder = tmp_path_factory.mktemp("fuzz")
    ofd, pdf = folder / "fuzz.ofd", folder / "fuzz.pdf"
    ofd.write_bytes(render_ofd(laid, profile))
    pdf.write_bytes(render_pdf(laid, profile))
    for part_name, data in parts(ofd).items():
        if part_name.endswith(".xml"):
            assert schema_for(part_name).validate(xml(data)), (part_name, schema_for(part_name).error_log)
    mine, theirs = ofd_measure.read_layout(ofd), pdf_measure.read_layout(pdf)
    assert [[line.text for line in page.lines] for page in mine.pages] == [
        [line.text for line in page.lines] for page in theirs.pages
    ]
    assert ["".join(c.text for c in page.turned) for page in mine.pages] == [
        "".join(c.text for c in page.turned) for page in theirs.pages
    ]
