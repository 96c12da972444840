"""`docgen check` on docgen's own output and on documents made wrong on purpose."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from docx.oxml.ns import qn
from docx.shared import Pt

from docgen.check.checker import check_file
from docgen.check.findings import Finding
from docgen.cli import main
from docgen.profile import Profile
from docgen.render.docx.writer import render_docx
from docgen.render.pdf.writer import render_pdf
from support import Built, laid_out


def rules(findings: list[Finding]) -> set[tuple[str, str, str]]:
    return {(f.clause, f.severity, f.rule) for f in findings}


def test_docgens_own_output_meets_every_rule(sample: Built, profile: Profile) -> None:
    assert check_file(sample.pdf, profile) == []
    assert check_file(sample.docx, profile) == []  # the XML, and LibreOffice's rendering of it


def test_cli_reports_and_exits_by_severity(sample: Built, tmp_path: Path) -> None:
    clean = CliRunner().invoke(main, ["check", str(sample.pdf)])
    assert clean.exit_code == 0 and "meets every rule checked" in clean.output
    wrong = tmp_path / "wrong.docx"
    edited = docx.Document(str(sample.docx))
    edited.paragraphs[-1].runs[0].text = "2023年04月25日"
    edited.save(str(wrong))
    result = CliRunner().invoke(main, ["check", "--json", "--no-render", str(wrong)])
    assert result.exit_code == 1
    report = json.loads(result.output)
    assert report[0]["file"] == str(wrong)
    finding = next(f for f in report[0]["findings"] if f["rule"] == "date format")
    assert finding == {
        "clause": "7.3.5.4", "severity": "required", "rule": "date format",
        "where": f"paragraph {len(edited.paragraphs)}", "measured": "2023年04月25日", "expected": "2023年4月25日",
    }  # fmt: skip


@pytest.fixture(scope="module")
def wrong_profiles(profile: Profile) -> dict[str, Profile]:
    return {
        "pitch29": replace(profile, grid=replace(profile.grid, line_pitch_pt=29.0)),
        "margins27": replace(profile, page=replace(profile.page, left_mm=27, right_mm=27)),
        "hyphens": replace(profile, page_number=replace(profile.page_number, dash="-")),
    }


def build_with(built: Built, wrong: Profile, folder: Path, name: str) -> tuple[Path, Path]:
    docx_path, pdf_path = folder / f"{name}.docx", folder / f"{name}.pdf"
    docx_path.write_bytes(render_docx(laid_out(built.document, wrong), wrong))
    pdf_path.write_bytes(render_pdf(laid_out(built.document, wrong), wrong))
    return docx_path, pdf_path


def test_29_pt_line_pitch_gives_21_lines(sample: Built, wrong_profiles: dict, profile: Profile, tmp_path: Path) -> None:
    docx_path, pdf_path = build_with(sample, wrong_profiles["pitch29"], tmp_path, "pitch29")
    static = check_file(docx_path, profile, render_docx=False)
    assert [(f.rule, f.measured) for f in static] == [("lines per page", "21 (exact 29 pt)")]
    assert ("5.2.2", "normally", "line pitch") in rules(check_file(pdf_path, profile))
    rendered = [f for f in check_file(docx_path, profile) if f.where.startswith("as LibreOffice")]
    assert {(f.rule, f.measured) for f in rendered} >= {("lines per page", "21")}


def test_27_mm_side_margins(sample: Built, wrong_profiles: dict, profile: Profile, tmp_path: Path) -> None:
    docx_path, pdf_path = build_with(sample, wrong_profiles["margins27"], tmp_path, "margins27")
    for findings in (check_file(docx_path, profile, render_docx=False), check_file(pdf_path, profile)):
        margins = {(f.rule, f.measured, f.severity) for f in findings if "margin" in f.rule}
        # 27 mm is inside 28 ± 1 but not the standard's value: reported, not failed
        assert ("left margin (订口)", "27.0 mm", "recommended") in margins
        assert ("right margin", "27.0 mm", "recommended") in margins


def test_hyphen_page_numbers(sample: Built, wrong_profiles: dict, profile: Profile, tmp_path: Path) -> None:
    docx_path, pdf_path = build_with(sample, wrong_profiles["hyphens"], tmp_path, "hyphens")
    static = check_file(docx_path, profile, render_docx=False)
    assert {(f.where, f.rule) for f in static} == {
        ("odd-page footer", "page number text"), ("even-page footer", "page number text")
    }  # fmt: skip
    [pdf_finding] = check_file(pdf_path, profile)
    assert pdf_finding.rule == "page number text" and pdf_finding.clause == "7.5"
    assert pdf_finding.where.startswith("pages 1, 2, 3") and "(29 in all)" in pdf_finding.where
    assert "- 1 -" in pdf_finding.measured


def edited_copy(built: Built, folder: Path, name: str) -> tuple[docx.document.Document, Path]:
    return docx.Document(str(built.docx)), folder / f"{name}.docx"


def test_bold_headings(sample: Built, profile: Profile, tmp_path: Path) -> None:
    document, path = edited_copy(sample, tmp_path, "bold")
    heading = next(p for p in document.paragraphs if p.text == "一、整改工作基本情况")
    heading.runs[0].bold = True
    document.save(str(path))
    assert ("7.3.3", "recommended", "bold text") in rules(check_file(path, profile, render_docx=False))


def test_signature_centred_over_the_date(sample: Built, profile: Profile, tmp_path: Path) -> None:
    document, path = edited_copy(sample, tmp_path, "centred")
    for paragraph in document.paragraphs[-2:]:
        paragraph.alignment = 1
        paragraph.paragraph_format.right_indent = 0
    document.save(str(path))
    findings = check_file(path, profile)
    centred = [f for f in findings if f.rule == "signature centred over the date"]
    assert {f.where for f in centred} == {"last paragraphs", "as LibreOffice renders it, page 29"}
    assert all(f.severity == "required" for f in centred)


def test_date_with_leading_zero(sample: Built, profile: Profile, tmp_path: Path) -> None:
    document, path = edited_copy(sample, tmp_path, "zero")
    document.paragraphs[-1].runs[0].text = "2023年04月25日"
    document.save(str(path))
    findings = check_file(path, profile)
    dates = [f for f in findings if f.rule == "date format"]
    assert {f.measured for f in dates} == {"2023年04月25日"} and len(dates) == 2  # XML and rendering


def test_12_pt_document_number(sample: Built, profile: Profile, tmp_path: Path) -> None:
    document, path = edited_copy(sample, tmp_path, "number")
    title = document.paragraphs[0]
    number = title.insert_paragraph_before("济发〔2023〕5号")
    number.runs[0].font.size = Pt(12)
    document.save(str(path))
    findings = check_file(path, profile, render_docx=False)
    assert [(f.rule, f.measured) for f in findings] == [("document number size", "12 pt")]


def test_document_number_form(sample: Built, profile: Profile, tmp_path: Path) -> None:
    document, path = edited_copy(sample, tmp_path, "numberform")
    document.paragraphs[0].insert_paragraph_before("济发[2023]第05号")
    document.save(str(path))
    findings = [f for f in check_file(path, profile, render_docx=False) if f.clause == "7.2.4"]
    assert [f.rule for f in findings] == ["document number (发文字号)"]
    assert "〔〕" in findings[0].expected


def test_theme_fonts(sample: Built, profile: Profile, tmp_path: Path) -> None:
    document, path = edited_copy(sample, tmp_path, "theme")
    fonts = document.paragraphs[3].runs[0]._r.rPr.find(qn("w:rFonts"))
    fonts.set(qn("w:eastAsiaTheme"), "minorEastAsia")
    document.save(str(path))
    findings = check_file(path, profile, render_docx=False)
    assert [(f.rule, f.where, f.measured) for f in findings] == [("theme fonts", "word/document.xml", "eastAsiaTheme")]


def test_a_plain_python_docx_document_is_checked_without_crashing(profile: Profile, tmp_path: Path) -> None:
    path = tmp_path / "plain.docx"
    plain = docx.Document()
    plain.add_heading("关于开展安全检查的通知", level=1)
    for _ in range(3):
        plain.add_paragraph("各单位要高度重视安全生产工作，认真组织开展自查自纠，确保各项措施落实到位。" * 3)
    plain.add_paragraph("二〇二三年四月二十五日")
    plain.save(str(path))
    findings = check_file(path, profile)
    found = rules(findings)
    assert ("5.2.1", "required", "paper size") in found  # python-docx's template is US Letter
    assert ("7.1", "required", "body size") in found
    assert ("5.2.2", "recommended", "theme fonts") in found  # 字体和字号
    assert ("7.3.5.4", "required", "date format") in found
    assert ("7.5", "normally", "page number") in found


def test_unreadable_files_get_a_clear_error(tmp_path: Path) -> None:
    broken = tmp_path / "broken.docx"
    broken.write_bytes(b"not a zip")
    result = CliRunner().invoke(main, ["check", str(broken)])
    assert result.exit_code == 2 and "not a readable DOCX" in result.output and "Traceback" not in result.output
