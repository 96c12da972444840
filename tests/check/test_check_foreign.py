"""`docgen check` on files docgen did not make: it reports only what the file shows.

A format's rules (the 版头 of 7.2, the letter's 10.1, the order's 10.2, the 版记 of 7.4) apply
only when the file shows that format; a foreign file ends in findings that are true of it.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import docx
import pytest
from reportlab.pdfgen.canvas import Canvas

from docgen.check.checker import check_file
from docgen.check.findings import Finding
from docgen.layout.metrics import font_metrics
from docgen.measure.office import libreoffice
from docgen.profile import Profile
from docgen.render.docx.writer import render_docx
from docgen.source.loader import load_document
from docgen.units import mm_to_pt
from support import ROOT, laid_out

FORMAT_CLAUSES = ("7.2", "7.4", "10.")  # the 版头, the 版记, the letter's, order's and minutes' heads
needs_libreoffice = pytest.mark.skipif(libreoffice() is None, reason="LibreOffice is not installed")


def format_findings(findings: list[Finding]) -> list[Finding]:
    return [finding for finding in findings if finding.clause.startswith(FORMAT_CLAUSES)]


def pdf_page(path: Path, profile: Profile, lines: list[str], title: str = "", red_line_mm: float = 0) -> Path:
    """One page of the profile's paper: ``title`` in black 26 pt type 26 mm from the top (where
    python-docx's "Title" lands), a red line ``red_line_mm`` from the top if given, then ``lines`` of
    body text on the profile's grid from its third line."""
    metrics, page, grid = font_metrics(profile), profile.page, profile.grid
    height = mm_to_pt(page.height_mm)
    canvas = Canvas(str(path), pagesize=(mm_to_pt(page.width_mm), height))
    if title:
        canvas.setFont(metrics.fonts["xiaobiaosong"].name, 26)
        top = height - mm_to_pt(26) - 26 * profile.header.em_ascent
        canvas.drawCentredString(mm_to_pt(page.width_mm / 2), top, title)
    if red_line_mm:
        canvas.setStrokeColorRGB(1, 0, 0)
        canvas.line(mm_to_pt(20), height - mm_to_pt(red_line_mm), mm_to_pt(190), height - mm_to_pt(red_line_mm))
    canvas.setFont(metrics.fonts["fangsong"].name, profile.roles["body"].size_pt)
    first = height - mm_to_pt(page.top_mm) - grid.baseline_ratio * grid.line_pitch_pt
    for slot, text in enumerate(lines, start=2):
        canvas.drawString(mm_to_pt(page.left_mm), first - slot * grid.line_pitch_pt, text)
    canvas.save()
    return path


BODY = ["各单位要高度重视安全生产工作，认真组织开展自查自纠，确保各项措施落"] * 3


def test_large_black_type_without_a_red_line_is_no_organ_mark(profile: Profile, tmp_path: Path) -> None:
    plain = pdf_page(tmp_path / "title.pdf", profile, BODY, title="安全生产工作要点")
    assert format_findings(check_file(plain, profile)) == []
    # The same page with the letter's red line under the mark shows the format: 10.1 applies.
    letter = pdf_page(tmp_path / "letter.pdf", profile, BODY, title="安全生产工作要点", red_line_mm=40)
    found = {(f.clause, f.rule): f.measured for f in check_file(letter, profile)}
    assert found[("10.1", "issuing-organ mark")].endswith("mm below the page's top edge")


def test_a_mark_that_names_its_format_is_checked_without_a_red_line(profile: Profile, tmp_path: Path) -> None:
    path = pdf_page(tmp_path / "file.pdf", profile, BODY, title="某某市人民政府文件")
    found = [(f.clause, f.rule, f.measured) for f in format_findings(check_file(path, profile))]
    assert ("7.2.6", "separator line (版头分隔线)", "none") in found


def test_only_a_colophon_line_makes_a_colophon(profile: Profile, tmp_path: Path) -> None:
    prose = pdf_page(tmp_path / "prose.pdf", profile, [*BODY, "抄送有关单位的材料要及时归档备查。"])
    assert format_findings(check_file(prose, profile)) == []
    colophon = pdf_page(tmp_path / "colophon.pdf", profile, [*BODY, "抄送：市委办公厅，市人大常委会办公厅。"])
    assert [(f.clause, f.measured) for f in format_findings(check_file(colophon, profile))] == [("7.4.1", "none")]


def line_starts(path: Path, profile: Profile) -> list[str]:
    return [finding.measured for finding in check_file(path, profile) if finding.clause == "GB/T 15834"]


def test_a_line_may_begin_with_a_dash_but_not_with_half_of_one(profile: Profile, tmp_path: Path) -> None:
    whole = ["为做好本次检查工作，现将有关事项通知如下各单位要高度重", "——检查范围：全市各类生产经营单位。"]
    assert line_starts(pdf_page(tmp_path / "whole.pdf", profile, whole), profile) == []
    split = ["为做好本次检查工作，现将有关事项通知如下各单位要高度重—", "—检查范围：全市各类生产经营单位。"]
    assert line_starts(pdf_page(tmp_path / "split.pdf", profile, split), profile) == ["—检查范围：全市各类生产…"]


def test_a_line_starting_with_a_comma(profile: Profile, tmp_path: Path) -> None:
    comma = ["这是一个正文段落的第一行文字用于测量", "，这一行以逗号开头违反避头尾规则"]
    assert line_starts(pdf_page(tmp_path / "comma.pdf", profile, comma), profile) == ["，这一行以逗号开头违反避…"]


def python_docx_file(path: Path) -> Path:
    """What a new user makes with python-docx: its default template, a Title and body paragraphs."""
    document = docx.Document()
    document.add_heading("关于开展安全检查的通知", level=0)
    document.add_paragraph("各单位要高度重视安全生产工作，认真组织开展自查自纠，确保各项措施落实到位。" * 3)
    document.save(str(path))
    return path


PYTHON_DOCX_FINDINGS = [
    ("5.2.1", "paper size", "216 × 279 mm"),  # US Letter
    ("5.2.2", "top margin (天头)", "25.4 mm"),
    ("5.2.2", "left margin (订口)", "31.7 mm"),
    ("5.2.2", "right margin", "31.7 mm"),
    ("5.2.2", "bottom margin", "25.4 mm"),
    ("7.1", "body size", "11 pt"),  # the paragraph's, not the 26 pt title's
    ("5.2.2", "theme fonts", "asciiTheme, cstheme, eastAsiaTheme, hAnsiTheme"),  # 字体和字号, not "7a"
    ("7.5", "odd and even footers", "one footer for all pages"),
    ("7.5", "page number", "no PAGE field"),
]


def test_python_docx_s_default_template_gets_what_is_true_of_it(profile: Profile, tmp_path: Path) -> None:
    path = python_docx_file(tmp_path / "plain.docx")
    found = check_file(path, profile, render_docx=False)
    assert [(f.clause, f.rule, f.measured) for f in found] == PYTHON_DOCX_FINDINGS


@needs_libreoffice
def test_python_docx_s_title_rendered_is_no_letter(profile: Profile, tmp_path: Path) -> None:
    found = check_file(python_docx_file(tmp_path / "plain.docx"), profile)
    rendered = [(f.clause, f.rule, f.measured) for f in found if f.where.startswith("as LibreOffice renders it")]
    assert ("5.2.1", "paper size", "216 × 279 mm") in rendered
    assert ("7.1", "body size", "11 pt") in rendered  # the paragraph's 11 pt, not the Title's 26 pt
    assert format_findings(found) == []  # no "10.1 issuing-organ mark … expected 30 mm"


@needs_libreoffice
@pytest.mark.skipif(shutil.which("soffice") is None, reason="soffice is not installed")
def test_a_docx_saved_again_by_libreoffice_is_read_in_its_own_xml(profile: Profile, tmp_path: Path) -> None:
    """LibreOffice writes its own styles, section and footers: the static check reads the same layout
    in them as in docgen's XML, and the rendering measures the letter's head where docgen put it."""
    made = tmp_path / "letter.docx"
    made.write_bytes(render_docx(laid_out(load_document(ROOT / "examples" / "letter.yaml"), profile), profile))
    saved_dir = tmp_path / "saved"
    subprocess.run(
        ["soffice", "--headless", f"-env:UserInstallation={(tmp_path / 'lo').as_uri()}",
         "--convert-to", "docx", "--outdir", str(saved_dir), str(made)],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    saved = saved_dir / "letter.docx"
    assert saved.read_bytes() != made.read_bytes()
    assert check_file(saved, profile, render_docx=False) == check_file(made, profile, render_docx=False) == []
    assert check_file(saved, profile) == []
