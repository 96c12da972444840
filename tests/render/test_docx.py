"""The sample built to DOCX and read back from the saved file: page, grid, faces, text, signature,
footers, properties and reproducibility (GB/T 9704-2012 as digested in gbt9704-layout.md)."""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import docx
import pytest
import yaml
from docx.oxml.ns import qn
from lxml import etree

from docgen.model import Document, Section
from docgen.profile import load_profile
from docgen.render.docx.writer import render_docx
from docgen.source.loader import load_document
from docgen.units import MM_PER_PT, TWIPS_PER_PT, pt_to_twips, twips_to_pt
from support import SAMPLE_TEXT, laid_out

ROOT = Path(__file__).resolve().parents[2]
SAMPLE_SOURCE = ROOT / "data" / "report.yaml"
SAMPLE_TITLE = "中共济南市委关于十二届省委第一轮巡视集中整改进展情况的通报"

PROFILE = load_profile()
CHAR_TWIPS = PROFILE.char_unit_pt("body") * TWIPS_PER_PT  # one 字 of the 28-character grid: ≈ 315.9 twips
CHAR_14_TWIPS = PROFILE.char_unit_pt("page_number") * TWIPS_PER_PT  # one 4号 (14 pt) character ≈ 276 twips
PITCH_TWIPS = str(pt_to_twips(PROFILE.grid.line_pitch_pt))  # 579
DASH = "\u2014"  # 一字线
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
THEME_ATTRIBUTES = {qn(f"w:{name}") for name in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme")}
PUNCTUATION = str.maketrans({",": "，", ":": "：", ";": "；", "(": "（", ")": "）", "<": "〈", ">": "〉"})


def build_sample() -> bytes:
    return render_docx(laid_out(load_document(SAMPLE_SOURCE), load_profile(), fonts=False), load_profile())


@dataclass(frozen=True)
class Built:
    path: Path
    package: docx.document.Document
    parts: dict[str, bytes]

    def xml(self, name: str) -> etree._Element:
        return etree.fromstring(self.parts[name])


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    path = tmp_path_factory.mktemp("docx") / "report.docx"
    path.write_bytes(build_sample())
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    return Built(path, docx.Document(str(path)), parts)


@pytest.fixture(scope="module")
def source() -> Document:
    return load_document(SAMPLE_SOURCE)


# ---------------------------------------------------------------- helpers


def w(element: etree._Element, path: str) -> etree._Element | None:
    return element.find(path, {"w": W_NS})


def w_all(element: etree._Element, path: str) -> list[etree._Element]:
    return element.findall(path, {"w": W_NS})


def attr(element: etree._Element | None, name: str) -> str | None:
    return None if element is None else element.get(qn(f"w:{name}"))


def text_of(paragraph: etree._Element) -> str:
    """Visible text of a paragraph: w:t, with a line break for w:br (the title's forced break)."""
    parts = []
    for element in paragraph.iter(qn("w:t"), qn("w:br")):
        parts.append("\n" if element.tag == qn("w:br") else element.text or "")
    return "".join(parts)


def body_paragraphs(built: Built) -> list[etree._Element]:
    return w_all(built.xml("word/document.xml"), "w:body/w:p")


@dataclass(frozen=True)
class Layout:
    """The document's paragraphs by role: title, the body between, signature and date."""

    title: etree._Element
    body: list[etree._Element]  # non-empty paragraphs between title and signature
    signature: etree._Element
    date: etree._Element
    all: list[etree._Element]


@pytest.fixture(scope="module")
def layout(built: Built) -> Layout:
    paragraphs = body_paragraphs(built)
    title, signature, date_paragraph = paragraphs[0], paragraphs[-2], paragraphs[-1]
    body = [p for p in paragraphs[1:-2] if text_of(p)]
    return Layout(title, body, signature, date_paragraph, paragraphs)


def runs_of(paragraph: etree._Element) -> list[etree._Element]:
    return paragraph.findall(f".//{qn('w:r')}")


def run_text(run: etree._Element) -> str:
    return "".join(t.text or "" for t in run.iter(qn("w:t")))


def run_fonts(run: etree._Element) -> tuple[str | None, str | None, str | None]:
    fonts = w(run, "w:rPr/w:rFonts")
    return attr(fonts, "eastAsia"), attr(fonts, "ascii"), attr(fonts, "hAnsi")


def run_size_pt(run: etree._Element) -> float:
    size = w(run, "w:rPr/w:sz")
    assert size is not None, "every run states its size"
    return int(attr(size, "val")) / 2


def face_by_character(paragraph: etree._Element) -> list[tuple[str, str | None]]:
    """(character, East Asian face) for each character of the paragraph."""
    return [(char, run_fonts(run)[0]) for run in runs_of(paragraph) for char in run_text(run)]


def is_on(toggle: etree._Element) -> bool:
    return attr(toggle, "val") not in ("0", "false", "off")


def twips(value: str | None) -> int:
    assert value is not None
    return int(value)


# ---------------------------------------------------------------- page


def test_page_is_a4_with_the_gbt9704_margins(built: Built) -> None:
    section = w_all(built.xml("word/document.xml"), "w:body/w:sectPr")
    assert len(section) == 1
    size, margins = w(section[0], "w:pgSz"), w(section[0], "w:pgMar")
    assert attr(size, "orient") in (None, "portrait")
    page = PROFILE.page  # 210 × 297 mm; 37, 28, 26 and 35 mm (tests/test_profile.py holds the profile to them)
    for value, expected in (
        (attr(size, "w"), page.width_mm), (attr(size, "h"), page.height_mm),
        (attr(margins, "top"), page.top_mm), (attr(margins, "left"), page.left_mm),
        (attr(margins, "right"), page.right_mm), (attr(margins, "bottom"), page.bottom_mm),
    ):  # fmt: skip
        assert twips_to_pt(twips(value)) * MM_PER_PT == pytest.approx(expected, abs=0.1)
    assert twips(attr(margins, "gutter") or "0") == 0


# ---------------------------------------------------------------- grid


def test_the_body_has_the_expected_paragraphs(layout: Layout) -> None:
    """Preamble 1, level-1 headings 3, level-2 headings 14, items 29, the part 二（五） text 1,
    closing 1, contact 1."""
    assert len(layout.body) == 50


def test_every_body_paragraph_is_on_the_grid_indented_and_justified(layout: Layout) -> None:
    for paragraph in layout.body:
        where = text_of(paragraph)[:20]
        properties = w(paragraph, "w:pPr")
        spacing = w(properties, "w:spacing")
        assert (attr(spacing, "line"), attr(spacing, "lineRule")) == (PITCH_TWIPS, "exact"), where
        indent = w(properties, "w:ind")
        assert twips(attr(indent, "firstLine")) == pytest.approx(2 * CHAR_TWIPS, abs=1), where
        assert twips(attr(indent, "firstLine")) == pytest.approx(632, abs=1), where
        # Word lets *Chars attributes override twips, and a hanging indent would undo firstLine.
        for overriding in ("firstLineChars", "hanging", "hangingChars", "leftChars", "startChars"):
            assert attr(indent, overriding) is None, (where, overriding)
        assert int(attr(indent, "left") or attr(indent, "start") or 0) == 0, where
        assert int(attr(indent, "right") or attr(indent, "end") or 0) == 0, where
        assert attr(w(properties, "w:jc"), "val") == "both", where


def test_16_pt_runs_are_condensed_by_a_quarter_point(built: Built) -> None:
    """−0.25 pt (w:spacing w:val="-5") is what fits 28 characters of 16 pt on a 156 mm line."""
    runs = built.xml("word/document.xml").findall(f".//{qn('w:body')}//{qn('w:r')}")
    sized_16 = [run for run in runs if run_size_pt(run) == 16]
    assert len(sized_16) > 50
    for run in sized_16:
        assert attr(w(run, "w:rPr/w:spacing"), "val") == "-5", run_text(run)[:20]


# ---------------------------------------------------------------- faces


def test_title_is_xiaobiaosong_22_pt(layout: Layout) -> None:
    runs = runs_of(layout.title)
    assert runs
    assert {run_fonts(run) for run in runs} == {("方正小标宋简体",) * 3}
    assert {run_size_pt(run) for run in runs} == {22}


def test_body_runs_are_fangsong_16_pt_unless_a_heading(layout: Layout) -> None:
    plain = [p for p in layout.body if not re.match(r"[一二三]、|（[一二三四五六七八九十]+）", text_of(p))]
    assert len(plain) == 1 + 29 + 1 + 1 + 1  # preamble, items, part 二（五） text, closing, contact
    for paragraph in [*plain, layout.signature, layout.date]:
        for run in runs_of(paragraph):
            assert run_fonts(run) == ("仿宋_GB2312",) * 3, run_text(run)[:20]
    for paragraph in [*layout.body, layout.signature, layout.date]:
        assert {run_size_pt(run) for run in runs_of(paragraph)} == {16}, text_of(paragraph)[:20]


def test_level_1_headings_are_heiti(layout: Layout) -> None:
    headings = [p for p in layout.body if re.match(r"[一二三]、", text_of(p))]
    assert [text_of(p) for p in headings] == [
        "一、整改工作基本情况", "二、省委巡视反馈意见整改落实情况", "三、今后整改工作打算",
    ]  # fmt: skip
    for paragraph in headings:
        assert {run_fonts(run) for run in runs_of(paragraph)} == {("黑体",) * 3}


def test_run_in_level_2_heading_sentence_is_kaiti_and_the_rest_fangsong(layout: Layout, source: Document) -> None:
    """Only the heading sentence takes 楷体; the text that runs on after it is 仿宋."""
    headings = [p for p in layout.body if re.match(r"（[一二三四五六七八九十]+）", text_of(p))]
    sections = [sub for part in source.sections for sub in part.body if isinstance(sub, Section)]
    assert len(headings) == len(sections) == 14
    run_in = 0
    for paragraph, section in zip(headings, sections, strict=True):
        characters = face_by_character(paragraph)
        text = "".join(char for char, _ in characters)
        label = text[: text.index("）") + 1]
        heading = label + section.heading
        assert text == heading + (section.text or "")
        assert {face for _, face in characters[: len(heading)]} == {"楷体_GB2312"}, heading
        assert {face for _, face in characters[len(heading) :]} <= {"仿宋_GB2312"}, heading
        run_in += bool(section.text)
    assert run_in == 9
    first = headings[0]
    assert text_of(first).startswith("（一）全面提升巡视整改思想自觉。市委高度重视")
    kaiti = "".join(char for char, face in face_by_character(first) if face == "楷体_GB2312")
    assert kaiti == "（一）全面提升巡视整改思想自觉。"
    for run in runs_of(first):
        assert len(set(run_fonts(run))) == 1  # East Asian and Latin slots name the same face


def test_item_lead_is_fangsong(layout: Layout) -> None:
    item = next(p for p in layout.body if text_of(p).startswith("1.针对“"))
    lead = text_of(item)[: text_of(item).index("”的问题：") + len("”的问题：")]
    assert lead == "1.针对“推动黄河流域生态保护和高质量发展政治责任扛得不够牢，统筹谋划用力不足”的问题："
    assert {face for _, face in face_by_character(item)[: len(lead)]} == {"仿宋_GB2312"}


def test_every_run_names_its_east_asian_face_in_every_slot(built: Built) -> None:
    names = [name for name in built.parts if re.fullmatch(r"word/(document|footer\d+)\.xml", name)]
    for name in names:
        for run in built.xml(name).iter(qn("w:r")):
            east_asian, ascii_, h_ansi = run_fonts(run)
            assert east_asian and east_asian == ascii_ == h_ansi, (name, run_text(run)[:20])


def test_no_theme_fonts(built: Built) -> None:
    footers = [name for name in built.parts if re.fullmatch(r"word/footer\d+\.xml", name)]
    assert len(footers) >= 2
    for name in ["word/document.xml", "word/styles.xml", *footers]:
        for element in built.xml(name).iter():
            assert not THEME_ATTRIBUTES & set(element.attrib), (name, etree.tostring(element)[:200])
        assert b"Theme=" not in built.parts[name] and b"cstheme=" not in built.parts[name], name


def test_east_asian_language_is_chinese(built: Built) -> None:
    document = built.xml("word/document.xml")
    runs = list(document.iter(qn("w:r")))
    assert runs
    for run in runs:
        assert attr(w(run, "w:rPr/w:lang"), "eastAsia") == "zh-CN", run_text(run)[:20]
    defaults = w(built.xml("word/styles.xml"), "w:docDefaults/w:rPrDefault/w:rPr/w:lang")
    assert attr(defaults, "eastAsia") == "zh-CN"


def test_no_bold_anywhere_in_the_document(built: Built) -> None:
    """No bold in the text, the footers, the defaults, or any style the document uses."""
    toggles = (qn("w:b"), qn("w:bCs"))
    for name in [n for n in built.parts if re.fullmatch(r"word/(document|footer\d+)\.xml", n)]:
        bold = [e for e in built.xml(name).iter(*toggles) if is_on(e)]
        assert not bold, name
    styles = built.xml("word/styles.xml")
    assert not [e for e in w(styles, "w:docDefaults").iter(*toggles) if is_on(e)]
    by_id = {attr(style, "styleId"): style for style in w_all(styles, "w:style")}
    used = {attr(style, "styleId") for style in w_all(styles, "w:style") if attr(style, "default") == "1"}
    for name in [n for n in built.parts if re.fullmatch(r"word/(document|footer\d+)\.xml", n)]:
        root = built.xml(name)
        used |= {attr(e, "val") for e in root.iter(qn("w:pStyle"), qn("w:rStyle"))}
    pending = set(used)
    while pending:  # follow basedOn and linked styles
        style = by_id.get(pending.pop())
        if style is None:
            continue
        for link in ("w:basedOn", "w:link"):
            other = attr(w(style, link), "val")
            if other and other not in used:
                used.add(other)
                pending.add(other)
    assert "Normal" in used
    for style_id in used:
        if style_id in by_id:
            assert not [e for e in by_id[style_id].iter(*toggles) if is_on(e)], style_id


# ---------------------------------------------------------------- numbering


def test_the_source_types_no_numbers(source: Document) -> None:
    data = yaml.safe_load(SAMPLE_SOURCE.read_text(encoding="utf-8"))
    numeral = "[一二三四五六七八九十]+"
    typed = re.compile(rf"^\s*(?:{numeral}、|[（(]({numeral}|\d+)[)）]|\d+[.．、]|{numeral}是)")
    headings, measures = [], []

    def walk(node: object) -> None:
        if isinstance(node, dict):
            if "heading" in node:
                headings.append(node["heading"])
            measures.extend(node.get("measures", []))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(data["sections"])
    assert len(headings) == 3 + 14 and len(measures) > 29
    assert not [text for text in headings + measures if typed.match(text)]


def test_the_docx_has_the_computed_numbers(layout: Layout) -> None:
    texts = [text_of(p) for p in layout.body]
    assert [t[:2] for t in texts if re.match(r"[一二三四五六七八九十]+、", t)] == ["一、", "二、", "三、"]
    level_2 = [t[: t.index("）") + 1] for t in texts if re.match(r"（[一二三四五六七八九十]+）", t)]
    assert level_2 == ["（一）", "（二）", "（三）", "（四）"] + ["（一）", "（二）", "（三）", "（四）", "（五）"] * 2
    items = [re.match(r"(\d+)\.(针对|关于)“", t) for t in texts]
    assert [int(m.group(1)) for m in items if m] == list(range(1, 30))
    item_1 = next(t for t in texts if t.startswith("1.针对“"))
    assert item_1.index("一是") < item_1.index("二是") < item_1.index("三是")
    item_6 = next(t for t in texts if t.startswith("6.针对“"))
    assert "一是" not in item_6


# ---------------------------------------------------------------- text


def sample_body() -> list[str]:
    lines = SAMPLE_TEXT.read_text(encoding="utf-8").splitlines()
    return [line.strip().translate(PUNCTUATION) for line in lines if line.startswith("  ")]


def first_difference(actual: str, expected: str) -> str:
    index = next((i for i, (a, b) in enumerate(zip(actual, expected, strict=False)) if a != b), None)
    index = min(len(actual), len(expected)) if index is None else index
    return f"at {index}: DOCX …{actual[index - 20 : index + 20]!r}… sample …{expected[index - 20 : index + 20]!r}…"


def test_title_signature_and_date_text(layout: Layout) -> None:
    assert text_of(layout.title).replace("\n", "") == SAMPLE_TITLE
    assert text_of(layout.title).count("\n") == 1  # two lines, broken by a w:br
    assert text_of(layout.signature) == "中共济南市委"
    assert text_of(layout.date) == "2023年4月25日"
    assert sample_body()[-2:] == ["中共济南市委", "2023年4月25日"]


def test_body_text_is_the_sample_body_exactly(layout: Layout) -> None:
    expected = sample_body()[:-2]
    docx_text = [text_of(p) for p in layout.body]
    assert "\n" not in "".join(docx_text)
    joined, wanted = "".join(docx_text), "".join(expected)
    assert joined == wanted, first_difference(joined, wanted)
    # Paragraph by paragraph, except the sample's last, which the DOCX splits into closing + contact.
    assert docx_text[: len(expected) - 1] == expected[:-1]
    assert docx_text[-2] + docx_text[-1] == expected[-1]
    assert docx_text[-1].startswith("联系方式：0531-51701041；")


# ---------------------------------------------------------------- signature and date


def test_signature_and_date_are_right_aligned_after_one_blank_line(layout: Layout) -> None:
    paragraphs = layout.all
    last_body = max(i for i, p in enumerate(paragraphs) if text_of(p) == text_of(layout.body[-1]))
    between = paragraphs[last_body + 1 : -2]
    assert len(between) == 1 and text_of(between[0]) == "" and not runs_of(between[0])
    spacing = w(between[0], "w:pPr/w:spacing")
    assert (attr(spacing, "line"), attr(spacing, "lineRule")) == (PITCH_TWIPS, "exact")  # one grid line
    for paragraph in (layout.signature, layout.date):
        assert attr(w(paragraph, "w:pPr/w:jc"), "val") == "right"


def test_signature_and_date_follow_the_w_d_rule(layout: Layout) -> None:
    """GB/T 9704 7.3.5.2 without a seal: the date's first character stands 2 characters right of
    the signature's. W = 中共济南市委 = 6; D = 2023年4月25日 = 6.5 counted (a digit is half a
    character) and 7.5 as set, since Word and LibreOffice put a 0.2-character 中西文 gap at each
    of its 5 hanzi/digit joins (profile grid.western_gap_em). D > W: date 2 in, signature
    2 + 2 + D − W = 5.5 in (4.5 with the counted D, which would leave the date 1 character short
    of its place on the page)."""
    width_signature, width_date = 6.0, 6.5 + 5 * 0.2
    date_indent = 2.0
    signature_indent = date_indent + 2 + width_date - width_signature
    indents = {}
    for name, paragraph in (("signature", layout.signature), ("date", layout.date)):
        indent = w(paragraph, "w:pPr/w:ind")
        assert int(attr(indent, "firstLine") or 0) == 0 and attr(indent, "hanging") is None
        assert attr(indent, "rightChars") is None and attr(indent, "endChars") is None
        indents[name] = twips(attr(indent, "right") or attr(indent, "end"))
    assert indents["date"] == pytest.approx(date_indent * CHAR_TWIPS, abs=1)
    assert indents["signature"] == pytest.approx(signature_indent * CHAR_TWIPS, abs=1)
    assert indents["signature"] - indents["date"] == pytest.approx(3.5 * CHAR_TWIPS, abs=1)


# ---------------------------------------------------------------- footers


def footer_parts(built: Built) -> dict[str, etree._Element]:
    """Footers by w:footerReference type, resolved through the document's relationships."""
    section = w(built.xml("word/document.xml"), "w:body/w:sectPr")
    rels = etree.fromstring(built.parts["word/_rels/document.xml.rels"])
    targets = {rel.get("Id"): rel.get("Target") for rel in rels}
    footers = {}
    for reference in w_all(section, "w:footerReference"):
        target = targets[reference.get(f"{{{R_NS}}}id")]
        footers[attr(reference, "type")] = built.xml("word/" + target.lstrip("/").removeprefix("word/"))
    return footers


def field_tokens(paragraph: etree._Element) -> list[tuple[str, str]]:
    """The paragraph as ("text", …) and ("field", instruction) tokens, simple or complex fields."""
    tokens: list[tuple[str, str]] = []
    state, instruction = "text", ""

    def add(kind: str, value: str) -> None:
        if kind == "text" and tokens and tokens[-1][0] == "text":
            tokens[-1] = ("text", tokens[-1][1] + value)
        elif value or kind == "field":
            tokens.append((kind, value))

    for child in paragraph:
        if child.tag == qn("w:fldSimple"):
            add("field", attr(child, "instr").strip())
            continue
        if child.tag != qn("w:r"):
            continue
        for element in child:
            if element.tag == qn("w:fldChar"):
                kind = attr(element, "fldCharType")
                if kind == "begin":
                    state, instruction = "instruction", ""
                elif kind == "separate":
                    state = "result"
                elif kind == "end":
                    add("field", instruction.strip())
                    state = "text"
            elif element.tag == qn("w:instrText") and state == "instruction":
                instruction += element.text or ""
            elif element.tag == qn("w:t") and state == "text":
                add("text", element.text or "")
    return tokens


def test_footers_are_odd_and_even(built: Built) -> None:
    settings = built.xml("word/settings.xml")
    assert w(settings, "w:evenAndOddHeaders") is not None
    assert attr(w(settings, "w:evenAndOddHeaders"), "val") in (None, "1", "true", "on")
    assert set(footer_parts(built)) >= {"default", "even"}


@pytest.mark.parametrize(("kind", "alignment", "side"), [("default", "right", "right"), ("even", "left", "left")])
def test_footer_page_number(built: Built, kind: str, alignment: str, side: str) -> None:
    """`— N —` in 4号 宋体, odd pages 1 character (of 14 pt) in from the right, even from the left."""
    footer = footer_parts(built)[kind]
    paragraphs = [p for p in w_all(footer, "w:p") if field_tokens(p)]
    assert len(paragraphs) == 1
    paragraph = paragraphs[0]
    assert field_tokens(paragraph) == [("text", f"{DASH} "), ("field", "PAGE"), ("text", f" {DASH}")]
    properties = w(paragraph, "w:pPr")
    assert attr(w(properties, "w:jc"), "val") == alignment
    indent = w(properties, "w:ind")
    other = "left" if side == "right" else "right"
    assert twips(attr(indent, side)) == pytest.approx(CHAR_14_TWIPS, abs=1)
    assert int(attr(indent, other) or 0) == 0
    assert int(attr(indent, "firstLine") or 0) == 0 and attr(indent, "hanging") is None
    runs = list(paragraph.iter(qn("w:r")))
    assert len(runs) >= 3
    for run in runs:
        assert run_fonts(run) == ("宋体",) * 3
        assert attr(w(run, "w:rPr/w:sz"), "val") == "28"


# ---------------------------------------------------------------- properties and reproducibility


def test_core_properties(built: Built) -> None:
    properties = built.package.core_properties
    assert properties.title == SAMPLE_TITLE
    assert properties.author == "中共济南市委"
    assert properties.created is not None and properties.created.date() == date(2023, 4, 25)


def test_no_preview_picture_from_the_template(built: Built) -> None:
    """python-docx's template ships a thumbnail of an English page; a notice must not show it."""
    with zipfile.ZipFile(built.path) as package:
        assert not [name for name in package.namelist() if "thumbnail" in name]
        assert "thumbnail" not in package.read("_rels/.rels").decode()


def test_building_twice_gives_identical_bytes(built: Built) -> None:
    assert build_sample() == built.path.read_bytes()


def test_a_document_is_the_same_after_other_documents_in_the_process(built: Built) -> None:
    """Each document is written on its own copy of the parsed template: what one adds or drops (a letter's
    head, a landscape table's section, unused styles) is not in the next."""
    for name in ("letter.yaml", "landscape.yaml", "joint.yaml"):
        render_docx(laid_out(load_document(ROOT / "examples" / name), PROFILE, fonts=False), PROFILE)
    assert build_sample() == built.path.read_bytes()


def test_building_in_another_process_gives_identical_bytes(built: Built) -> None:
    """Another interpreter with another hash seed: no set order or clock leaks into the file."""
    script = (
        "import hashlib, sys\n"
        "from pathlib import Path\n"
        "from docgen.source.loader import load_document\n"
        "from docgen.profile import load_profile\n"
        "from docgen.render.docx.writer import render_docx\n"
        "from docgen.layout.engine import lay_out\n"
        "from docgen.compose.document import compose_paragraphs\n"
        "document, profile = load_document(Path(sys.argv[1])), load_profile()\n"
        "data = render_docx(lay_out(document, compose_paragraphs(document, profile), profile, None), profile)\n"
        "print(hashlib.sha256(data).hexdigest())\n"
    )
    environment = {**os.environ, "PYTHONHASHSEED": "12345"}
    result = subprocess.run(
        [sys.executable, "-c", script, str(SAMPLE_SOURCE)],
        capture_output=True, text=True, env=environment, timeout=120, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == hashlib.sha256(built.path.read_bytes()).hexdigest()
