"""`docgen check` takes every figure it expects from the profile, and measures a Layout whatever read it.

docgen's own files are checked against profiles that differ from the one they were made with in
one figure each: the finding for that figure expects the profile's value, not the standard's
usual one. check_layout is given Layouts directly, as a reader of another fixed-layout format
(OFD) will hand them over.
"""

from __future__ import annotations

import ast
import graphlib
from dataclasses import replace
from pathlib import Path

import docx
import pytest

from docgen.check.docx import check_docx
from docgen.check.findings import Finding, Severity
from docgen.check.geometry import check_layout
from docgen.measure.pdf import Layout, Page, Stroke, TextLine, read_layout
from docgen.profile import Profile
from docgen.render.pdf.writer import render_pdf
from docgen.source.loader import load_document
from support import ROOT, Built, laid_out

CHECK_PACKAGE = ROOT / "src" / "docgen" / "check"


@pytest.fixture(scope="module")
def sample_layout(sample: Built) -> Layout:
    return read_layout(sample.pdf)


@pytest.fixture(scope="module")
def letter_layout(profile: Profile, tmp_path_factory: pytest.TempPathFactory) -> Layout:
    """The 信函 example: a letter's head and an organ's seal over the date."""
    path = tmp_path_factory.mktemp("letter") / "letter.pdf"
    path.write_bytes(render_pdf(laid_out(load_document(ROOT / "examples" / "letter.yaml"), profile), profile))
    return read_layout(path)


def found(findings: list[Finding], rule: str) -> list[tuple[Severity, str, str]]:
    return [(finding.severity, finding.measured, finding.expected) for finding in findings if finding.rule == rule]


def test_docgen_s_own_layouts_meet_the_profile_they_were_made_with(
    sample_layout: Layout, letter_layout: Layout, profile: Profile
) -> None:
    assert check_layout(sample_layout, profile) == []
    assert check_layout(letter_layout, profile) == []


def edited(profile: Profile, section: str, **figures: float) -> Profile:
    return replace(profile, **{section: replace(getattr(profile, section), **figures)})


def test_the_margins_and_the_paper_are_the_profile_s(sample: Built, sample_layout: Layout, profile: Profile) -> None:
    taller = edited(profile, "page", top_mm=40)
    expected = [(Severity.REQUIRED, "37.0 mm", "40 mm ± 1")]
    assert found(check_layout(sample_layout, taller), "top margin (天头)") == expected
    assert found(check_docx(sample.docx, taller), "top margin (天头)") == expected
    letter_paper = edited(profile, "page", width_mm=215.9, height_mm=279.4)
    expected = [(Severity.REQUIRED, "210 × 297 mm", "215.9 × 279.4 mm")]  # no "A4": the profile's paper is not
    assert found(check_layout(sample_layout, letter_paper), "paper size") == expected
    assert found(check_docx(sample.docx, letter_paper), "paper size") == expected


def test_the_grid_is_the_profile_s(sample: Built, sample_layout: Layout, profile: Profile) -> None:
    pitch = profile.grid.line_pitch_pt
    more_lines = edited(profile, "grid", lines_per_page=23)
    measured = check_layout(sample_layout, more_lines)
    [(severity, pitch_measured, pitch_expected)] = found(measured, "line pitch")
    assert severity is Severity.NORMALLY and pitch_measured.endswith(": 22 lines fit the block")
    assert pitch_expected == f"{pitch} pt, 23 lines"
    assert found(measured, "lines per page") == [(Severity.NORMALLY, "22", "23")]
    assert found(check_docx(sample.docx, more_lines), "lines per page") == [
        (Severity.NORMALLY, f"22 (exact {pitch:g} pt)", f"23 ({pitch} pt)")
    ]
    narrower = edited(profile, "grid", chars_per_line=27, letter_spacing_pt=-0.5)
    assert found(check_docx(sample.docx, narrower), "characters per line") == [
        (Severity.NORMALLY, "28 (letter spacing -0.25 pt)", "27 (letter spacing −0.5 pt)")
    ]


def test_the_docx_s_indents_are_the_profile_s(sample: Built, profile: Profile, tmp_path: Path) -> None:
    indented = edited(profile, "body", first_line_indent_chars=3)
    assert [wording for *_, wording in found(check_docx(sample.docx, indented), "first-line indent")] == [
        "3 characters"
    ]
    centred = tmp_path / "centred.docx"
    document = docx.Document(str(sample.docx))
    for paragraph in document.paragraphs[-2:]:
        paragraph.alignment = 1
    document.save(str(centred))
    signed = edited(profile, "signature", right_indent_chars=1, date_offset_chars=4)
    assert [wording for *_, wording in found(check_docx(centred, signed), "signature centred over the date")] == [
        "signature 1 character in from the right, date 4 characters right of its start"
    ]


def test_sizes_are_the_profile_s_and_named_by_their_号(sample: Built, sample_layout: Layout, profile: Profile) -> None:
    small_body = replace(profile, roles={**profile.roles, "body": replace(profile.roles["body"], size_pt=14)})
    expected = [(Severity.REQUIRED, "16 pt", "14 pt (4号)")]
    assert found(check_layout(sample_layout, small_body), "body size") == expected
    assert found(check_docx(sample.docx, small_body), "body size") == expected
    odd_title = replace(profile, roles={**profile.roles, "title": replace(profile.roles["title"], size_pt=23)})
    assert found(check_layout(sample_layout, odd_title), "title size") == [(Severity.REQUIRED, "22 pt", "23 pt")]


def test_the_page_number_s_place_is_the_profile_s(sample_layout: Layout, profile: Profile) -> None:
    lower = edited(profile, "page_number", below_block_mm=9)
    bottom = profile.page.height_mm - profile.page.bottom_mm
    heights = {expected for _, _, expected in found(check_layout(sample_layout, lower), "page number height")}
    assert heights == {f"{bottom + 9:.1f} mm (9 mm under the block)"}
    further_in = edited(profile, "page_number", outer_indent_chars=2)
    sides = {expected for _, _, expected in found(check_layout(sample_layout, further_in), "page number position")}
    assert sides == {"2 characters in from the right on odd pages", "2 characters in from the left on even pages"}


def test_the_date_beside_a_seal_is_the_profile_s(letter_layout: Layout, profile: Profile) -> None:
    five = edited(profile, "seal", date_right_indent_chars=5)
    assert found(check_layout(letter_layout, five), "date with a seal") == [
        (Severity.REQUIRED, "4.0 characters in", "5 (右空五字)")
    ]


def moved_down(layout: Layout, mm: float) -> Layout:
    """``layout`` with everything on it ``mm`` lower on the page, as a reader that placed it so would hand it over."""

    def line(text: TextLine) -> TextLine:
        chars = tuple(replace(char, top_mm=char.top_mm + mm, bottom_mm=char.bottom_mm + mm) for char in text.chars)
        return replace(text, baseline_mm=text.baseline_mm + mm, chars=chars)

    def page(each: Page) -> Page:
        return replace(each, lines=tuple(line(text) for text in each.lines))

    def stroke(each: Stroke) -> Stroke:
        return replace(each, y_mm=each.y_mm + mm)

    pictures = [replace(p, top_mm=p.top_mm + mm, bottom_mm=p.bottom_mm + mm) for p in layout.pictures]
    return Layout([page(p) for p in layout.pages], [stroke(s) for s in layout.strokes], pictures)


def test_check_layout_measures_the_layout_it_is_given(sample_layout: Layout, profile: Profile) -> None:
    lowered = check_layout(moved_down(sample_layout, 3), profile)
    assert found(lowered, "top margin (天头)") == [(Severity.REQUIRED, "40.0 mm", "37 mm ± 1")]
    assert {finding.rule for finding in lowered} >= {"page number height"}
    empty = Layout([replace(page, lines=()) for page in sample_layout.pages], sample_layout.strokes, [])
    assert [(f.rule, f.measured) for f in check_layout(empty, profile)] == [("text", "no text layer")]


def check_imports(module: Path) -> set[str]:
    """The docgen.check modules ``module`` imports, at its top or inside a function."""
    tree = ast.parse(module.read_text(encoding="utf-8"))
    names = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module}
    names |= {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    return {name.rpartition(".")[2] for name in names if name.startswith("docgen.check.")}


def test_the_check_modules_import_each_other_one_way() -> None:
    graph = {path.stem: check_imports(path) for path in CHECK_PACKAGE.glob("*.py")}
    assert graph["docx"] and graph["geometry"], "no imports found: the walk is broken"
    order = list(graphlib.TopologicalSorter(graph).static_order())  # raises CycleError on a cycle
    assert order.index("findings") < order.index("clauses") < order.index("geometry") < order.index("pdf")
    assert "pdf" not in graph["geometry"] and "docx" not in graph["geometry"]  # any Layout, not a PDF's
