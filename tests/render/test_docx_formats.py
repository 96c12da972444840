"""LibreOffice's rendering of the examples' DOCX measured against our PDF of the same source.

Every text line (baseline and left end; right end and each character of a line not spread to
the right edge), every horizontal rule, every picture and every page number must be where the
PDF has it, within ±0.5 mm, on the same page. Besides examples/*.yaml: bodies that leave a
blank page before the 版记 (one ending in text, one in a table), a two-page letter, a seal drawn
as SVG, and the 版头's red line broken around a ★. The DOCX's own XML is checked where LibreOffice is not needed.
"""

from __future__ import annotations

import dataclasses
import shutil
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pdfplumber
import pytest
import yaml
from lxml import etree

from docgen.compose.document import compose_paragraphs
from docgen.layout.fonts import ResolvedFace, fontconfig_file
from docgen.measure.office import libreoffice, render_with_libreoffice
from docgen.measure.pdf import (
    Page,
    Placed,
    Stroke,
    TextLine,
    read_pdf,
    read_pictures,
    read_strokes,
)
from docgen.model import Document
from docgen.profile import Profile
from docgen.render.docx.writer import render_docx
from docgen.render.pdf.writer import render_pdf
from docgen.source.loader import load_document
from docgen.units import MM_PER_PT
from support import ROOT, laid_out

EXAMPLES = ROOT / "examples"
TOLERANCE = 0.5  # mm
BLOCK_LEFT, BLOCK_RIGHT, BLOCK_BOTTOM = 28.0, 184.0, 262.0
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS = {"w": W, "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"}
SVG_SEAL = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="200" height="200" viewBox="0 0 200 200">'
    '<rect x="0" y="0" width="200" height="200" fill="#ffeeee"/>'
    '<circle cx="100" cy="100" r="90" fill="none" stroke="#ff0000" stroke-width="8"/></svg>'
)
needs_libreoffice = pytest.mark.skipif(libreoffice() is None, reason="LibreOffice is not installed")


# ---------------------------------------------------------------- the cases


Build = Callable[[Path, Profile], tuple[Path, Profile]]  # a case's source (written into a folder) and profile


def _example(name: str) -> Build:
    return lambda folder, profile: (EXAMPLES / f"{name}.yaml", profile)


def _derived(folder: Path, base: str, name: str, change: Callable[[dict], None]) -> Path:
    """A copy of an example (its images beside it) with ``change`` applied to its source."""
    for image in EXAMPLES.glob("*.png"):
        shutil.copy(image, folder / image.name)
    source = yaml.safe_load((EXAMPLES / f"{base}.yaml").read_text(encoding="utf-8"))
    change(source)
    path = folder / f"{name}.yaml"
    path.write_text(yaml.safe_dump(source, allow_unicode=True), encoding="utf-8")
    return path


def _leaving_a_blank_page(name: str, lengthen: Callable[[dict, int], None]) -> Build:
    """The 文件 example lengthened (``lengthen(source, count)``) until the page before the 版记's is left blank."""

    def build(folder: Path, profile: Profile) -> tuple[Path, Profile]:
        for count in range(1, 40):
            path = _derived(folder, "file", name, lambda source, count=count: lengthen(source, count))
            pages = laid_out(load_document(path), profile).pages
            assert pages is not None
            if [page.number is not None for page in pages[-3:]] == [True, False, False] and not pages[-2].items:
                return path, profile
        raise AssertionError(f"{name}: no length leaves a blank page before the 版记")

    return build


def _longer_preamble(source: dict, count: int) -> None:
    source.pop("attachments")
    source["preamble"] = source["preamble"] * count


def _longer_attachment(source: dict, count: int) -> None:
    """The attachment's paragraph repeated before its table: the body ends with the table."""
    attachment = source["attachments"][0]
    attachment["body"] = [attachment["body"][0]] * count + [attachment["body"][1]]
    source["attachments"] = [attachment]


def _long_letter(folder: Path, profile: Profile) -> tuple[Path, Profile]:
    def longer(source: dict) -> None:
        source["preamble"] = source["preamble"] * 6

    return _derived(folder, "letter", "long_letter", longer), profile


def _svg_seal(folder: Path, profile: Profile) -> tuple[Path, Profile]:
    (folder / "seal.svg").write_text(SVG_SEAL, encoding="utf-8")

    def svg(source: dict) -> None:
        source.pop("attachments", None)
        source["seal"] = "seal.svg"

    return _derived(folder, "file", "svg_seal", svg), profile


def _star(folder: Path, profile: Profile) -> tuple[Path, Profile]:
    starred = dataclasses.replace(profile, header=dataclasses.replace(profile.header, star=True))
    return EXAMPLES / "file.yaml", starred


CASES: dict[str, Build] = {
    **{path.stem: _example(path.stem) for path in sorted(EXAMPLES.glob("*.yaml"))},
    "blank_page": _leaving_a_blank_page("blank_page", _longer_preamble),
    "table_then_blank_page": _leaving_a_blank_page("table_then_blank_page", _longer_attachment),
    "long_letter": _long_letter,
    "svg_seal": _svg_seal,
    "star": _star,
}


@dataclass(frozen=True)
class Rendering:
    pdf: Path
    pages: list[Page]
    strokes: list[Stroke]
    pictures: list[Placed]


@dataclass(frozen=True)
class Case:
    document: Document
    profile: Profile
    docx: Path
    ours: Rendering
    theirs: Rendering | None  # LibreOffice's, once asked for


def _reading(pdf: Path) -> Rendering:
    return Rendering(pdf, read_pdf(pdf), read_strokes(pdf), read_pictures(pdf))


class Cases:
    """Each case built (PDF and DOCX) and rendered by LibreOffice once, when a test first needs it."""

    def __init__(self, folder: Path, profile: Profile, faces: dict[str, ResolvedFace]) -> None:
        self.folder, self.profile, self.faces = folder, profile, faces
        self.built: dict[str, Case] = {}

    def get(self, name: str, rendered: bool = True) -> Case:
        if name not in self.built:
            self.built[name] = self._build(name)
        case = self.built[name]
        if rendered and case.theirs is None:
            out = render_with_libreoffice(case.docx, fontconfig_file(case.profile, self.faces), self.folder / "lo")
            case = self.built[name] = dataclasses.replace(case, theirs=_reading(out))
        return case

    def _build(self, name: str) -> Case:
        folder = self.folder / name
        folder.mkdir()
        source, profile = CASES[name](folder, self.profile)
        document = load_document(source)
        docx, pdf = folder / f"{name}.docx", folder / f"{name}.pdf"
        docx.write_bytes(render_docx(laid_out(document, profile), profile))
        pdf.write_bytes(render_pdf(laid_out(document, profile), profile))
        return Case(document, profile, docx, _reading(pdf), None)


@pytest.fixture(scope="module")
def cases(tmp_path_factory: pytest.TempPathFactory, profile: Profile, faces: dict[str, ResolvedFace]) -> Cases:
    return Cases(tmp_path_factory.mktemp("docx_formats"), profile, faces)


# ---------------------------------------------------------------- comparing


def _numbers(pages: list[Page]) -> list[str]:
    """Each page's page-number line (under the block), '' where there is none."""
    return [
        "".join(line.text for line in page.lines if line.baseline_mm > BLOCK_BOTTOM + 5).replace(" ", "")
        for page in pages
    ]


def _body(page: Page) -> list[TextLine]:
    return [line for line in page.lines if line.baseline_mm <= BLOCK_BOTTOM + 5]


def _line_errors(ours: TextLine, theirs: TextLine) -> list[str]:
    """What is more than TOLERANCE off: the baseline and left end of every line, and the right end and
    each character of a line not spread to the block's right edge. (LibreOffice shares out a
    justified line's space its own way: body lines are test_layout.py's business.)"""
    where = f"page {ours.page} {ours.text[:16]!r}"
    ends = [("baseline", ours.baseline_mm, theirs.baseline_mm), ("left end", ours.x0_mm, theirs.x0_mm)]
    spread = ours.x1_mm >= BLOCK_RIGHT - TOLERANCE
    if not spread:
        ends.append(("right end", ours.x1_mm, theirs.x1_mm))
    errors = [
        f"{where}: {what} {b:.2f} mm in LibreOffice, {a:.2f} mm in the PDF"
        for what, a, b in ends
        if abs(a - b) > TOLERANCE
    ]
    off = [(a, b) for a, b in zip(ours.chars, theirs.chars, strict=True) if abs(a.x0_mm - b.x0_mm) > TOLERANCE]
    if off and not spread:
        a, b = off[0]
        errors.append(f"{where}: {a.text!r} at {b.x0_mm:.2f}, not {a.x0_mm:.2f} mm")
    return errors


def _nearest(line: TextLine, candidates: list[TextLine]) -> TextLine | None:
    same = [other for other in candidates if other.text == line.text]
    return min(same, key=lambda other: abs(other.baseline_mm - line.baseline_mm), default=None)


def _stroke_matches(stroke: Stroke, others: list[Stroke]) -> bool:
    return any(
        other.page == stroke.page
        and abs(other.y_mm - stroke.y_mm) <= TOLERANCE
        and abs(other.x0_mm - stroke.x0_mm) <= TOLERANCE
        and abs(other.x1_mm - stroke.x1_mm) <= TOLERANCE
        and abs(other.width_mm - stroke.width_mm) <= 0.1
        and _same_colour(other.color, stroke.color)
        for other in others
    )


def _same_colour(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    def rgb(color: tuple[float, ...]) -> tuple[float, ...]:
        return color * 3 if len(color) == 1 else color[:3]

    return all(abs(x - y) < 0.05 for x, y in zip(rgb(a), rgb(b), strict=True))


def _picture_matches(picture: Placed, others: list[Placed]) -> bool:
    return any(
        other.page == picture.page
        and all(
            abs(a - b) <= TOLERANCE
            for a, b in (
                (other.x0_mm, picture.x0_mm),
                (other.top_mm, picture.top_mm),
                (other.x1_mm, picture.x1_mm),
                (other.bottom_mm, picture.bottom_mm),
            )
        )
        for other in others
    )


def _svg_boxes(pdf: Path) -> list[Placed]:
    """An SVG seal in our PDF is vectors: the box of its full-size background rectangle."""
    with pdfplumber.open(pdf) as document:
        return [
            Placed(page.page_number, *(rect[key] * MM_PER_PT for key in ("x0", "top", "x1", "bottom")))
            for page in document.pages
            for rect in page.rects
            if rect["height"] * MM_PER_PT > 30
        ]


def _red_text(pdf: Path) -> list[tuple[int, str]]:
    with pdfplumber.open(pdf) as document:
        return [
            (page.page_number, "".join(char["text"] for char in page.chars if _is_red(char.get("non_stroking_color"))))
            for page in document.pages
        ]


def _is_red(color: object) -> bool:
    return isinstance(color, tuple | list) and len(color) == 3 and color[0] > 0.9 and max(color[1:]) < 0.1


# ---------------------------------------------------------------- LibreOffice against the PDF


@needs_libreoffice
@pytest.mark.parametrize("name", CASES)
def test_same_pages_and_page_numbers(cases: Cases, name: str) -> None:
    case = cases.get(name)
    assert case.theirs is not None
    assert len(case.theirs.pages) == len(case.ours.pages)
    assert _numbers(case.theirs.pages) == _numbers(case.ours.pages)


@needs_libreoffice
@pytest.mark.parametrize("name", CASES)
def test_every_text_line_where_the_pdf_has_it(cases: Cases, name: str) -> None:
    case = cases.get(name)
    assert case.theirs is not None
    errors = []
    for ours, theirs in zip(case.ours.pages, case.theirs.pages, strict=True):
        left = _body(theirs)
        for line in _body(ours):
            match = _nearest(line, left)
            if match is None:
                errors.append(f"page {ours.number}: LibreOffice has no line {line.text!r}")
                continue
            left.remove(match)
            errors += _line_errors(line, match)
        errors += [f"page {ours.number}: LibreOffice has an extra line {line.text!r}" for line in left]
    assert not errors, "\n".join(errors)


@needs_libreoffice
@pytest.mark.parametrize("name", CASES)
def test_every_rule_where_the_pdf_has_it(cases: Cases, name: str) -> None:
    """Rules of the 版头, the letter's double lines and the 版记, and the tables' borders."""
    case = cases.get(name)
    assert case.theirs is not None
    ours, theirs = case.ours.strokes, case.theirs.strokes
    assert [s for s in ours if not _stroke_matches(s, theirs)] == []
    assert [s for s in theirs if not _stroke_matches(s, ours)] == []


@needs_libreoffice
@pytest.mark.parametrize("name", CASES)
def test_every_picture_where_the_pdf_has_it(cases: Cases, name: str) -> None:
    case = cases.get(name)
    assert case.theirs is not None
    ours = _svg_boxes(case.ours.pdf) if name == "svg_seal" else case.ours.pictures
    theirs = case.theirs.pictures
    assert len(theirs) == len(ours) == len(case.document.signature.seals) + bool(case.document.signature.signer)
    assert [p for p in ours if not _picture_matches(p, theirs)] == []


@needs_libreoffice
@pytest.mark.parametrize("name", ["file", "joint", "letter", "star"])
def test_red_text_is_red(cases: Cases, name: str) -> None:
    """The organ mark (and the ★) in the profile's red, on the same pages."""
    case = cases.get(name)
    assert case.theirs is not None
    assert _red_text(case.theirs.pdf) == _red_text(case.ours.pdf)
    assert any(text for _, text in _red_text(case.ours.pdf))


# ---------------------------------------------------------------- the DOCX's XML


def _document_xml(docx: Path) -> etree._Element:
    with zipfile.ZipFile(docx) as archive:
        return etree.fromstring(archive.read("word/document.xml"))


def _text(paragraph: etree._Element) -> str:
    return "".join(t.text or "" for t in paragraph.iterfind(".//w:t", NS))


def _footer_texts(docx: Path) -> dict[str, str]:
    """Text of each footer part, by its name in the package."""
    with zipfile.ZipFile(docx) as archive:
        return {
            name: "".join(etree.fromstring(archive.read(name)).itertext())
            for name in archive.namelist()
            if name.startswith("word/footer")
        }


@pytest.mark.parametrize("name", ["file", "joint", "svg_seal", "star"])
def test_same_source_gives_the_same_bytes_and_unique_drawing_ids(cases: Cases, name: str) -> None:
    case = cases.get(name, rendered=False)
    again = render_docx(laid_out(case.document, case.profile), case.profile)
    assert again == case.docx.read_bytes()
    ids = [element.get("id") for element in _document_xml(case.docx).iterfind(".//wp:docPr", NS)]
    assert ids and len(ids) == len(set(ids))


@pytest.mark.parametrize("name", ["blank_page", "table_then_blank_page"])
def test_blank_pages_and_the_colophon_page_are_a_section_with_empty_footers(cases: Cases, name: str) -> None:
    case = cases.get(name, rendered=False)
    root = _document_xml(case.docx)
    sections = root.findall(".//w:sectPr", NS)
    assert len(sections) == 2
    body_section = root.find("w:body/w:sectPr", NS)
    assert body_section.find("w:type", NS).get(f"{{{W}}}val") == "nextPage"
    footers = _footer_texts(case.docx)
    relationships = _relationship_targets(case.docx)
    for section, numbered in ((sections[0], True), (body_section, False)):
        references = section.findall("w:footerReference", NS)
        assert {ref.get(f"{{{W}}}type") for ref in references} == {"default", "even"}
        for reference in references:
            text = footers["word/" + relationships[reference.get(f"{{{NS_R}}}id")]]
            assert ("—" in text) is numbered


def _relationship_targets(docx: Path) -> dict[str, str]:
    with zipfile.ZipFile(docx) as archive:
        root = etree.fromstring(archive.read("word/_rels/document.xml.rels"))
    return {rel.get("Id"): rel.get("Target") for rel in root}


def test_a_letter_has_no_number_on_its_first_page(cases: Cases) -> None:
    case = cases.get("long_letter", rendered=False)
    section = _document_xml(case.docx).find("w:body/w:sectPr", NS)
    assert section.find("w:titlePg", NS) is not None
    first = next(ref for ref in section.findall("w:footerReference", NS) if ref.get(f"{{{W}}}type") == "first")
    target = _relationship_targets(case.docx)[first.get(f"{{{NS_R}}}id")]
    assert _footer_texts(case.docx)["word/" + target] == ""


def test_without_fonts_the_colophon_starts_a_new_page(profile: Profile, tmp_path: Path) -> None:
    """Without glyph widths the body's end is unknown: a page break before the 版记 (one hairline
    paragraph starts the page), no filler lines; the 版记 is framed at the foot all the same."""
    document = load_document(EXAMPLES / "joint.yaml")
    docx = tmp_path / "joint.docx"
    docx.write_bytes(render_docx(laid_out(document, profile, fonts=False), profile))
    paragraphs = _document_xml(docx).findall("w:body/w:p", NS)
    colophon = next(i for i, p in enumerate(paragraphs) if "抄送" in _text(p))
    page_start = paragraphs[colophon - 1]
    assert page_start.find("w:pPr/w:pageBreakBefore", NS) is not None and not _text(page_start)
    assert _text(paragraphs[colophon - 2])  # the body's last line, not a filler
    assert paragraphs[colophon].find("w:pPr/w:framePr", NS).get(f"{{{W}}}yAlign") == "bottom"


def test_hanging_indents_start_where_the_pdf_starts_continuation_lines(cases: Cases) -> None:
    """附件说明, 出席 and 抄送: w:ind left at the PDF's x of character hang_at (its second line's
    start when it wraps), hanging back to where the first line starts."""
    checked = 0
    for name in ("file", "minutes"):
        case = cases.get(name, rendered=False)
        paragraphs = {_text(p): p for p in _document_xml(case.docx).iterfind("w:body/w:p", NS)}
        lines = [line for page in case.ours.pages for line in _body(page)]
        for para in compose_paragraphs(case.document, case.profile):
            if para.hang_at is None:
                continue
            indent = paragraphs[para.text].find("w:pPr/w:ind", NS)
            left, back = (int(indent.get(f"{{{W}}}{key}")) / 20 * MM_PER_PT for key in ("left", "hanging"))
            index = next(i for i, line in enumerate(lines) if para.text.startswith(line.text))
            first, after = lines[index], lines[index + 1]
            wraps = para.text.startswith(first.text + after.text)
            x = after.x0_mm if wraps else first.chars[para.hang_at].x0_mm
            assert BLOCK_LEFT + left == pytest.approx(x, abs=0.05), para.text
            assert BLOCK_LEFT + left - back == pytest.approx(first.x0_mm, abs=0.05), para.text
            checked += 1
    assert checked >= 5
