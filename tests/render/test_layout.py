"""Geometry of the sample as printed: our PDF and LibreOffice's rendering of our DOCX, measured alike.

Every figure comes from reading the written PDF back (docgen.measure.pdf), never from the profile
alone; the profile only says what the figure should be.
"""

from __future__ import annotations

from itertools import pairwise

import pytest

from docgen.measure.pdf import Grid, Page, TextLine, grid_of, page_number_dash_mm
from docgen.profile import Profile
from docgen.text.cjk import NO_LINE_END, NO_LINE_START, is_wide
from docgen.units import MM_PER_PT
from support import Built, postscript_name

LEFT_MM, RIGHT_MM, TOP_MM = 28.0, 210.0 - 26.0, 37.0
CHAR_MM = 156 / 28  # one 字 on the grid


@pytest.fixture(params=["pdf", "libreoffice"])
def rendering(request: pytest.FixtureRequest, sample: Built) -> tuple[str, list[Page]]:
    """Our PDF, and LibreOffice's PDF of our DOCX: both must meet every rule below."""
    if request.param == "pdf":
        return "pdf", sample.pdf_pages
    return "libreoffice", request.getfixturevalue("libreoffice_pages")


def grids(pages: list[Page], profile: Profile) -> list[Grid]:
    return [grid_of(page, profile) for page in pages]


def body_lines(pages: list[Page], profile: Profile) -> list[TextLine]:
    return [line for grid in grids(pages, profile) for line in grid.body]


def test_pages_are_a4(rendering: tuple[str, list[Page]]) -> None:
    _, pages = rendering
    for page in pages:
        assert page.width_mm == pytest.approx(210, abs=0.1)
        assert page.height_mm == pytest.approx(297, abs=0.1)


def test_every_full_page_holds_22_lines(rendering: tuple[str, list[Page]], profile: Profile) -> None:
    _, pages = rendering
    page_grids = grids(pages, profile)
    assert len(page_grids) > 20
    for grid in page_grids[:-1]:
        assert len(set(grid.slots)) == len(grid.slots), f"page {grid.page}: two lines on one slot"
        assert min(grid.slots) == 0 and max(grid.slots) == 21, f"page {grid.page}: slots {grid.slots}"
        expected = 21 if grid.page == 1 else 22  # page 1 leaves one blank line under the title
        assert len(grid.body) == expected, f"page {grid.page} has {len(grid.body)} lines"
    first = page_grids[0]
    assert set(range(22)) - set(first.slots) == {2}


def test_lines_sit_on_the_grid_from_the_top_of_the_block(rendering: tuple[str, list[Page]], profile: Profile) -> None:
    _, pages = rendering
    for grid in grids(pages, profile):
        worst = max(abs(offset) for offset in grid.offsets_mm)
        assert worst <= 0.5, f"page {grid.page}: a line is {worst:.2f} mm off its grid slot"


def test_text_block_left_edge_at_28_mm_and_nothing_past_the_right_edge(
    rendering: tuple[str, list[Page]], profile: Profile
) -> None:
    name, pages = rendering
    lines = body_lines(pages, profile)
    tolerance = 0.1 if name == "pdf" else 0.5
    assert min(line.x0_mm for line in lines) == pytest.approx(LEFT_MM, abs=tolerance)
    assert max(line.x1_mm for line in lines) <= RIGHT_MM + tolerance
    full = [line for line, _ in continued_lines(lines)]
    assert len(full) > 500
    for line in full:
        assert line.x1_mm == pytest.approx(RIGHT_MM, abs=tolerance), line.text
        assert line.x0_mm == pytest.approx(LEFT_MM, abs=tolerance) or line.x0_mm == pytest.approx(
            LEFT_MM + 2 * CHAR_MM, abs=tolerance
        ), line.text


def continued_lines(lines: list[TextLine]) -> list[tuple[TextLine, TextLine]]:
    """Lines whose paragraph goes on in the next line (which starts flush left): the full lines."""
    return [
        (line, following)
        for line, following in pairwise(lines)
        if following.x0_mm < LEFT_MM + 1 and line.chars[0].size == following.chars[0].size == 16
    ]


def _hanzi_only_full_lines(lines: list[TextLine]) -> list[tuple[TextLine, TextLine]]:
    return [
        (line, following)
        for line, following in continued_lines(lines)
        if line.x0_mm < LEFT_MM + 1 and all(is_wide(char) for char in line.text)
    ]


def test_28_characters_on_every_full_line(rendering: tuple[str, list[Page]], profile: Profile) -> None:
    """A full line of hanzi holds 28; fewer only where the next line starts with what could not
    be split off: a mark pushed down with the character before it (避头尾), an opening mark, or
    a number or Latin word too wide for the cells left."""
    _, pages = rendering
    checked = _hanzi_only_full_lines(body_lines(pages, profile))
    assert len(checked) > 250
    for line, following in checked:
        starts_unbreakable = following.text[:1].isascii() or following.text[:2].isascii()
        pushed = following.text[1:2] in NO_LINE_START or following.text[:1] in NO_LINE_END or starts_unbreakable
        assert len(line.text) == 28 or (len(line.text) < 28 and pushed), f"{len(line.text)}: {line.text}"
    exact = sum(len(line.text) == 28 for line, _ in checked)
    print(f"{exact} of {len(checked)} full hanzi lines hold exactly 28 characters")
    assert exact / len(checked) > 0.8


def test_no_line_starts_or_ends_with_a_forbidden_mark(rendering: tuple[str, list[Page]], profile: Profile) -> None:
    _, pages = rendering
    for line in body_lines(pages, profile):
        assert line.text[0] not in NO_LINE_START, f"starts with a closing mark: {line.text}"
        assert line.text[-1] not in NO_LINE_END, f"ends with an opening mark: {line.text}"


def test_page_numbers_in_place(rendering: tuple[str, list[Page]], profile: Profile) -> None:
    """— N —, its 一字线 7 mm under the block; odd pages 1 character (4号) in from the right, even from the left."""
    _, pages = rendering
    one_char_mm = CHAR_MM * 14 / 16
    for grid in grids(pages, profile):
        assert len(grid.below) == 1, f"page {grid.page}"
        number = grid.below[0]
        assert number.text.replace(" ", "") == f"—{grid.page}—"
        assert page_number_dash_mm(number, profile) == pytest.approx(297 - 35 + 7, abs=0.5)
        assert {char.size for char in number.chars} == {14}
        if grid.page % 2:
            assert number.x1_mm == pytest.approx(RIGHT_MM - one_char_mm, abs=0.5)
        else:
            assert number.x0_mm == pytest.approx(LEFT_MM + one_char_mm, abs=0.5)


def test_faces_and_sizes_by_role(rendering: tuple[str, list[Page]], sample: Built, faces: dict) -> None:
    _, pages = rendering
    names = {key: postscript_name(face) for key, face in faces.items()}
    lines = [line for page in pages for line in page.lines]

    def face_of(char_font: str) -> str:
        return next(key for key, name in names.items() if char_font.startswith(name) and key != "fallback")

    title = [line for line in lines if line.chars[0].size == 22]
    assert "".join(line.text for line in title) == sample.document.title
    assert {face_of(c.font) for line in title for c in line.chars} == {"xiaobiaosong"}
    heading1 = next(line for line in lines if line.text == "一、整改工作基本情况")
    assert {face_of(c.font) for c in heading1.chars} == {"heiti"}
    run_in = next(line for line in lines if line.text.startswith("（一）全面提升巡视整改思想自觉。"))
    sentence = len("（一）全面提升巡视整改思想自觉。")
    assert {face_of(c.font) for c in run_in.chars[:sentence]} == {"kaiti"}
    assert {face_of(c.font) for c in run_in.chars[sentence:]} == {"fangsong"}
    body = [line for line in lines if line.chars[0].size == 16 and line.text.startswith("根据省委统一部署")]
    assert {face_of(c.font) for c in body[0].chars} == {"fangsong"}
    number = next(line for line in lines if line.text.replace(" ", "") == "—1—")
    assert {face_of(c.font) for c in number.chars} == {"songti"}


def test_signature_and_date_follow_the_w_d_rule(rendering: tuple[str, list[Page]], profile: Profile) -> None:
    """7.3.5.2 without seal: date 2 characters in from the right, its first character 2 characters
    right of the signature's first character; one blank line above the signature."""
    _, pages = rendering
    last = grid_of(pages[-1], profile)
    signature, date = last.body[-2], last.body[-1]
    assert (signature.text, date.text) == ("中共济南市委", "2023年4月25日")
    assert date.x1_mm == pytest.approx(RIGHT_MM - 2 * CHAR_MM, abs=0.5)
    assert date.x0_mm - signature.x0_mm == pytest.approx(2 * CHAR_MM, abs=0.5)
    slots = last.slots
    assert slots[-1] == slots[-2] + 1 and slots[-2] == slots[-3] + 2  # one blank slot above the signature


def test_pdf_and_libreoffice_break_every_line_alike(
    sample: Built, libreoffice_pages: list[Page], profile: Profile
) -> None:
    ours = [[line.text for line in grid.body] for grid in grids(sample.pdf_pages, profile)]
    theirs = [[line.text for line in grid.body] for grid in grids(libreoffice_pages, profile)]
    assert len(ours) == len(theirs), "different page counts"
    flat_ours = [text for page in ours for text in page]
    flat_theirs = [text for page in theirs for text in page]
    agreeing = sum(a == b for a, b in zip(flat_ours, flat_theirs, strict=False))
    print(f"pages {len(ours)} = {len(theirs)}; lines agreeing {agreeing} of {len(flat_ours)}")
    assert ours == theirs


def test_positions_agree_within_half_a_millimetre(
    sample: Built, libreoffice_pages: list[Page], profile: Profile
) -> None:
    for ours, theirs in zip(sample.pdf_pages, libreoffice_pages, strict=True):
        for a, b in zip(ours.lines, theirs.lines, strict=True):
            assert a.baseline_mm == pytest.approx(b.baseline_mm, abs=0.5)
            assert a.x0_mm == pytest.approx(b.x0_mm, abs=0.5), a.text
            assert a.x1_mm == pytest.approx(b.x1_mm, abs=0.5), a.text


def test_line_pitch_is_the_profiles(sample: Built, profile: Profile) -> None:
    grid = grid_of(sample.pdf_pages[1], profile)
    gaps = {round(b.baseline_mm - a.baseline_mm, 3) for a, b in pairwise(grid.body)}
    assert gaps == {round(profile.grid.line_pitch_pt * MM_PER_PT, 3)}
