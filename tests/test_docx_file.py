"""The DOCX as Word and WPS read it: page setup, faces, sizes, indents, pitch, footers, signature."""

from __future__ import annotations

import zipfile
from datetime import date
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from lxml import etree

from docgen.loader import load_document
from docgen.metrics import font_metrics
from docgen.profile import Profile
from docgen.render_docx import render_docx
from support import Built, sample_body_text

TWIPS_PER_MM = 1440 / 25.4
CHAR_TWIPS = 156 / 28 * TWIPS_PER_MM  # one 字 of the grid


@pytest.fixture(scope="module")
def package(sample: Built) -> docx.document.Document:
    return docx.Document(str(sample.docx))


def paragraph(package: docx.document.Document, starts: str) -> docx.text.paragraph.Paragraph:
    return next(p for p in package.paragraphs if p.text.startswith(starts))


def east_asian(run: docx.text.run.Run) -> tuple[str, str, str]:
    fonts = run._r.rPr.find(qn("w:rFonts"))
    return fonts.get(qn("w:eastAsia")), fonts.get(qn("w:ascii")), fonts.get(qn("w:hAnsi"))


def size_pt(run: docx.text.run.Run) -> float:
    return int(run._r.rPr.find(qn("w:sz")).get(qn("w:val"))) / 2


def test_page_is_a4_with_the_standard_margins(package: docx.document.Document) -> None:
    section = package.sections[0]
    for value, expected in (
        (section.page_width.mm, 210), (section.page_height.mm, 297), (section.top_margin.mm, 37),
        (section.left_margin.mm, 28), (section.right_margin.mm, 26), (section.bottom_margin.mm, 35),
    ):  # fmt: skip
        assert value == pytest.approx(expected, abs=0.1)


def test_body_paragraphs_on_the_grid(package: docx.document.Document) -> None:
    """Exact 579 twips (22 lines), 2-character first-line indent, letter spacing −0.25 pt (28 a
    line) or, on the few lines the typesetter squeezed, a little tighter (never past −1 pt)."""
    body = [p for p in package.paragraphs if p.text and p.paragraph_format.alignment in (3, None)]
    assert len(body) > 40
    spacings = []
    for p in body:
        spacing = p._p.pPr.find(qn("w:spacing"))
        assert (spacing.get(qn("w:line")), spacing.get(qn("w:lineRule"))) == ("579", "exact")
        assert p.paragraph_format.first_line_indent.twips == pytest.approx(2 * CHAR_TWIPS, abs=1)
        for run in p.runs:
            if size_pt(run) == 16:  # one entry per character
                spacings += [int(run._r.rPr.find(qn("w:spacing")).get(qn("w:val")))] * len(run.text)
    assert all(-20 <= value <= -5 for value in spacings)
    assert spacings.count(-5) / len(spacings) > 0.9


def test_faces_and_sizes_by_role(package: docx.document.Document) -> None:
    title = package.paragraphs[0]
    assert {east_asian(run) for run in title.runs} == {("方正小标宋简体",) * 3}
    assert {size_pt(run) for run in title.runs} == {22}
    heading1 = paragraph(package, "一、整改工作基本情况")
    assert east_asian(heading1.runs[0]) == ("黑体",) * 3
    run_in = paragraph(package, "（一）全面提升巡视整改思想自觉。")
    assert run_in.runs[0].text == "（一）全面提升巡视整改思想自觉。"
    assert east_asian(run_in.runs[0]) == ("楷体_GB2312",) * 3
    assert {east_asian(run) for run in run_in.runs[1:]} == {("仿宋_GB2312",) * 3}
    item = paragraph(package, "1.针对“")
    assert item.runs[0].text.endswith("”的问题：") and east_asian(item.runs[0]) == ("仿宋_GB2312",) * 3
    assert {size_pt(run) for p in package.paragraphs[1:] for run in p.runs} == {16}


def test_no_theme_fonts_no_bold_and_chinese_language(sample: Built) -> None:
    with zipfile.ZipFile(sample.docx) as package:
        for part in ("word/document.xml", "word/styles.xml"):
            xml = package.read(part).decode("utf-8")
            for attribute in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
                assert f"w:{attribute}=" not in xml, (part, attribute)
        document = etree.fromstring(package.read("word/document.xml"))
    assert not document.findall(f".//{qn('w:b')}")
    languages = {lang.get(qn("w:eastAsia")) for lang in document.iter(qn("w:lang"))}
    assert languages == {"zh-CN"}


def test_numbers_are_computed_into_the_text(package: docx.document.Document) -> None:
    texts = [p.text for p in package.paragraphs]
    assert [t[:2] for t in texts if t[:2] in ("一、", "二、", "三、")] == ["一、", "二、", "三、"]
    items = [t.split(".", 1)[0] for t in texts if t[:1].isdigit() and "." in t[:4]]
    assert items == [str(n) for n in range(1, 30)]
    item_1 = paragraph(package, "1.针对").text
    assert item_1.index("一是") < item_1.index("二是") < item_1.index("三是")
    assert "一是" not in paragraph(package, "6.针对").text


def test_text_is_the_sample_body(package: docx.document.Document, sample: Built) -> None:
    texts = [p.text for p in package.paragraphs if p.text]
    body = sample_body_text()
    assert texts[0] == "中共济南市委关于十二届省委第一轮\n巡视集中整改进展情况的通报"  # broken between words
    assert texts[-2:] == ["中共济南市委", "2023年4月25日"] == body[-2:]
    assert "".join(texts[1:-2]) == "".join(body[:-2])


def test_signature_follows_the_w_d_rule(package: docx.document.Document) -> None:
    paragraphs = package.paragraphs
    signature, date_paragraph, blank, last_body = paragraphs[-2], paragraphs[-1], paragraphs[-3], paragraphs[-4]
    assert blank.text == "" and last_body.text.startswith("联系方式")
    assert signature.alignment == date_paragraph.alignment == 2  # right
    # W 6, D 6.5 + the 中西文 gaps (5 × 0.2): date 2 characters in, signature 2 + 2 + 7.5 − 6
    assert date_paragraph.paragraph_format.right_indent.twips == pytest.approx(2 * CHAR_TWIPS, abs=1)
    assert signature.paragraph_format.right_indent.twips == pytest.approx(5.5 * CHAR_TWIPS, abs=1)


def test_odd_and_even_footers_carry_the_page_number(package: docx.document.Document) -> None:
    assert package.settings.odd_and_even_pages_header_footer
    section = package.sections[0]
    char_14 = CHAR_TWIPS * 14 / 16
    for footer, side, alignment in ((section.footer, "w:right", "right"), (section.even_page_footer, "w:left", "left")):
        element = footer._element
        text = "".join(t.text for t in element.iter(qn("w:t")))
        assert text == "— 1 —"
        assert element.find(f".//{qn('w:fldSimple')}").get(qn("w:instr")).strip() == "PAGE"
        ind = element.find(f".//{qn('w:ind')}")
        assert int(ind.get(qn(side))) == pytest.approx(char_14, abs=1)
        assert element.find(f".//{qn('w:jc')}").get(qn("w:val")) == alignment
        for fonts in element.iter(qn("w:rFonts")):
            assert fonts.get(qn("w:eastAsia")) == "宋体"
        assert {sz.get(qn("w:val")) for sz in element.iter(qn("w:sz"))} == {"28"}
    # the number line's top 7 mm under the block: footer distance 35 − 7 mm less one 14 pt line
    assert section.footer_distance.mm == pytest.approx(35 - 7 - 14 * 25.4 / 72, abs=0.1)


def test_core_properties(package: docx.document.Document, sample: Built) -> None:
    properties = package.core_properties
    assert properties.title == sample.document.title
    assert properties.author == "中共济南市委"
    assert properties.created.date() == date(2023, 4, 25)


def test_building_twice_gives_identical_bytes(sample: Built, profile: Profile) -> None:
    document = load_document(Path(__file__).resolve().parent.parent / "data" / "report.yaml")
    assert render_docx(document, profile, font_metrics(profile)) == sample.docx.read_bytes()
