"""The foot of the page: the 版记 at the foot of its page in the DOCX whatever fonts the reader has
(7.4), and the page number's 一字线 7 mm under the block (7.5), in the PDF and the DOCX alike.

The 版记 is measured in LibreOffice's rendering of the DOCX without docgen's fontconfig file, so
that it sets the text in the system's faces, as a reader without docgen's fonts does.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
import yaml
from fontTools.pens.boundsPen import BoundsPen
from fontTools.ttLib import TTFont
from lxml import etree

from docgen.layout.fonts import ResolvedFace
from docgen.measure.office import libreoffice, render_with_libreoffice
from docgen.measure.pdf import Page, TextLine, grid_of, read_pdf
from docgen.profile import Profile
from docgen.render.docx.writer import render_docx
from docgen.render.pdf.writer import render_pdf
from docgen.source.loader import load_document
from docgen.units import MM_PER_PT
from support import ROOT, Built, laid_out

EXAMPLES = ROOT / "examples"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}
BLOCK_BOTTOM_MM = 297 - 35
needs_libreoffice = pytest.mark.skipif(libreoffice() is None, reason="LibreOffice is not installed")

# Maps no office name to any face: LibreOffice falls back on whatever the system has.
SYSTEM_FONTS = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig><include ignore_missing="yes">/etc/fonts/fonts.conf</include></fontconfig>
"""

# Digits and Latin take other widths in other faces: each paragraph of this sets longer in the
# system's faces than in docgen's, which moves the body's end down the 版记's page.
_FIGURES = "2023年1至12月全市完成固定资产投资1234.56亿元，同比增长12.3%，其中工业投资456.78亿元，增长8.9%。"


def _figures_source(folder: Path) -> Path:
    """A 文件 whose body ends on page 2 a few lines above the 版记 that shares the page."""
    source = {
        "kind": "文件",
        "header": {"number": "济政发〔2023〕9号"},
        "title": "济南市人民政府关于2023年投资运行情况的通报",
        "organ": "济南市人民政府",
        "date": "2023-04-25",
        "addressees": ["各区县人民政府"],
        "preamble": [_FIGURES * 2] * 5,
        "colophon": {"copy_to": ["市委各部门"], "printer": "济南市人民政府办公厅", "print_date": "2023-04-25"},
    }
    path = folder / "figures.yaml"
    path.write_text(yaml.safe_dump(source, allow_unicode=True), encoding="utf-8")
    return path


def _build(source: Path, folder: Path, profile: Profile) -> tuple[Path, Path]:
    document = load_document(source)
    pdf, docx = folder / f"{source.stem}.pdf", folder / f"{source.stem}.docx"
    pdf.write_bytes(render_pdf(laid_out(document, profile), profile))
    docx.write_bytes(render_docx(laid_out(document, profile), profile))
    return pdf, docx


@pytest.fixture(scope="module")
def substituted(tmp_path_factory: pytest.TempPathFactory, profile: Profile) -> dict[str, tuple[list[Page], list[Page]]]:
    """Our PDF and LibreOffice's rendering of our DOCX in the system's faces, by case."""
    folder = tmp_path_factory.mktemp("foot")
    fontconfig = folder / "system-fonts.conf"
    fontconfig.write_text(SYSTEM_FONTS, encoding="utf-8")
    cases = {}
    for name, source in (("file", EXAMPLES / "file.yaml"), ("figures", _figures_source(folder))):
        pdf, docx = _build(source, folder, profile)
        cases[name] = (read_pdf(pdf), read_pdf(render_with_libreoffice(docx, fontconfig, folder / name)))
    return cases


def _line(pages: list[Page], start: str) -> TextLine:
    return next(line for page in pages for line in page.lines if line.text.startswith(start))


def _printed_line(pages: list[Page]) -> TextLine:
    """The 版记's last row: 印发机关 and 印发日期."""
    return next(line for page in pages for line in page.lines if line.text.endswith("印发"))


@needs_libreoffice
@pytest.mark.parametrize("name", ["file", "figures"])
def test_the_colophon_stays_at_the_foot_in_other_fonts(
    substituted: dict[str, tuple[list[Page], list[Page]]], name: str
) -> None:
    """Its rows on the last page, each within 1 mm of where the PDF has it, the last at the block's foot."""
    ours, theirs = substituted[name]
    assert not any("docgen" in char.font for page in theirs for line in page.lines for char in line.chars)
    for row, their_row in (
        (_line(ours, "抄送："), _line(theirs, "抄送：")),
        (_printed_line(ours), _printed_line(theirs)),
    ):
        assert their_row.page == len(theirs), f"{row.text!r} on page {their_row.page} of {len(theirs)}"
        assert abs(their_row.baseline_mm - row.baseline_mm) <= 1.0, f"{row.text!r}"
    assert BLOCK_BOTTOM_MM - _printed_line(theirs).baseline_mm < 3.0  # its baseline 2 mm over the foot


@needs_libreoffice
def test_other_fonts_set_the_figures_body_longer(substituted: dict[str, tuple[list[Page], list[Page]]]) -> None:
    """What the test above withstands: the body's end moves down by lines in the system's faces."""
    ours, theirs = substituted["figures"]
    date_line = "2023年4月25日"
    ours_date, their_date = _line(ours, date_line), _line(theirs, date_line)
    assert their_date.page == ours_date.page == 2
    assert their_date.baseline_mm - ours_date.baseline_mm > 2 * 10.2  # two grid lines or more


def _body_paragraphs(docx: bytes) -> list[etree._Element]:
    with zipfile.ZipFile(io.BytesIO(docx)) as package:
        root = etree.fromstring(package.read("word/document.xml"))
    return root.findall("w:body/w:p", NS)


def _text(paragraph: etree._Element) -> str:
    return "".join(paragraph.itertext(f"{{{W}}}t"))


def test_the_colophon_is_framed_at_the_foot_not_pushed_there(profile: Profile) -> None:
    """No empty lines above the 版记: its rows share one frame at the block's foot, the paragraph
    after them (the frame's anchor) holds its three rules, placed from the block's top."""
    docx = render_docx(laid_out(load_document(EXAMPLES / "file.yaml"), profile), profile)
    paragraphs = _body_paragraphs(docx)
    rows = [i for i, p in enumerate(paragraphs) if p.find("w:pPr/w:framePr", NS) is not None]
    assert [_text(paragraphs[i])[:3] for i in rows] == ["抄送：", "济南市"]
    frames = {etree.tostring(paragraphs[i].find("w:pPr/w:framePr", NS)) for i in rows}
    assert len(frames) == 1  # one frame
    frame = paragraphs[rows[0]].find("w:pPr/w:framePr", NS)
    assert {key.split("}")[1]: value for key, value in frame.attrib.items()} == {
        "w": "8844", "wrap": "notBeside", "vAnchor": "margin", "hAnchor": "margin", "xAlign": "left", "yAlign": "bottom"
    }  # fmt: skip
    last_text = max(i for i, p in enumerate(paragraphs[: rows[0]]) if _text(p))
    assert rows[0] - last_text <= 2  # at most the hairline that starts the 版记's page
    anchor = paragraphs[rows[-1] + 1]
    assert not _text(anchor) and anchor.find("w:pPr/w:framePr", NS) is None
    assert anchor is paragraphs[-1]
    offsets = anchor.findall(".//{*}positionV")
    assert [offset.get("relativeFrom") for offset in offsets] == ["margin"] * 3


def _dash_middle_em(face: ResolvedFace) -> float:
    """Where the face's 一字线 (U+2014) stands: the middle of its ink, in ems above the baseline."""
    font = TTFont(face.path, fontNumber=face.subfont_index, lazy=True)
    glyphs = font.getGlyphSet()
    pen = BoundsPen(glyphs)
    glyphs[font.getBestCmap()[ord("—")]].draw(pen)
    _, bottom, _, top = pen.bounds
    return (bottom + top) / 2 / font["head"].unitsPerEm


def _dashes_mm(pages: list[Page], profile: Profile, dash_em: float) -> list[float]:
    """Each page number's 一字线, from its baseline and the face's own glyph."""
    numbers = [grid_of(page, profile).below for page in pages]
    return [line[0].baseline_mm - dash_em * line[0].chars[0].size * MM_PER_PT for line in numbers if line]


def test_the_page_numbers_dash_is_7_mm_under_the_block(
    sample: Built, profile: Profile, faces: dict[str, ResolvedFace]
) -> None:
    """7.5 "一字线上距版心下边缘7mm": the dash itself, its stroke read from the font the PDF embeds."""
    dashes = _dashes_mm(sample.pdf_pages, profile, _dash_middle_em(faces[profile.roles["page_number"].face]))
    assert len(dashes) == len(sample.pdf_pages) > 1
    for dash in dashes:
        assert dash - BLOCK_BOTTOM_MM == pytest.approx(7.0, abs=0.2)


@needs_libreoffice
def test_the_docx_sets_the_page_number_where_the_pdf_does(
    sample: Built, libreoffice_pages: list[Page], profile: Profile
) -> None:
    ours = [grid_of(page, profile).below for page in sample.pdf_pages]
    theirs = [grid_of(page, profile).below for page in libreoffice_pages]
    assert len(ours) == len(theirs)
    for our, their in zip(ours, theirs, strict=True):
        assert our[0].baseline_mm == pytest.approx(their[0].baseline_mm, abs=0.3)
