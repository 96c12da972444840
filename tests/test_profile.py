"""The profile checks its own invariants when it loads: each is refused on a broken copy of the
shipped profile, with a message naming the file and the setting; the units it is checked in
convert both ways."""

from __future__ import annotations

from pathlib import Path

import pytest

from docgen.profile import DEFAULT_PROFILE, Profile, cell_line_pitch_pt, load_profile
from docgen.units import (
    EMU_PER_PT,
    TWIPS_PER_PT,
    emu_to_pt,
    mm_to_pt,
    mm_to_twips,
    on_grid,
    pt_to_eighths,
    pt_to_emu,
    pt_to_half_points,
    pt_to_mm,
    pt_to_twips,
    twips_to_pt,
)
from support import profile_refusal, profile_with

SHIPPED = DEFAULT_PROFILE.read_text(encoding="utf-8")


def test_the_shipped_profile_loads_and_keeps_its_figures(profile: Profile) -> None:
    """The one place the tests name GB/T 9704's figures; every other test reads them from the profile."""
    assert (profile.grid.lines_per_page, profile.grid.chars_per_line) == (22, 28)
    assert pt_to_twips(profile.grid.line_pitch_pt) == 579
    page = profile.page
    assert (page.width_mm, page.height_mm) == (210, 297)  # A4, 5.1
    assert (page.top_mm, page.left_mm, page.right_mm, page.bottom_mm) == (37, 28, 26, 35)  # 5.2.1
    assert profile.roles["body"].size_pt == 16 and profile.roles["title"].size_pt == 22  # 3号, 2号


def test_the_cell_pitch_is_two_thirds_of_a_grid_line_in_whole_twips(profile: Profile) -> None:
    # exactly 19.3, the figure the outputs were written with: any other float changes their bytes
    assert profile.table.cell_line_pitch_pt == 19.3 == cell_line_pitch_pt(profile.grid)
    assert pt_to_twips(profile.table.cell_line_pitch_pt) == 386 == 579 * 2 // 3
    assert "cell_line_pitch_pt:" not in SHIPPED


def test_a_pitch_off_the_twips_grid_is_refused(tmp_path: Path) -> None:
    path = profile_with(tmp_path, "  line_pitch_pt: 28.95 ", "  line_pitch_pt: 28.96 ")
    assert profile_refusal(path) == (
        f"{path}: layout profile: 'grid.line_pitch_pt' must be a whole number of twips (1/20 pt; Word would round "
        "the DOCX's lines off the PDF's), got 28.96; the nearest are 28.95 and 29"
    )


def test_a_letter_spacing_off_the_twips_grid_is_refused(tmp_path: Path) -> None:
    path = profile_with(tmp_path, "  letter_spacing_pt: -0.25 ", "  letter_spacing_pt: -0.27 ")
    assert profile_refusal(path).startswith(
        f"{path}: layout profile: 'grid.letter_spacing_pt' must be a whole number of twips (1/20 pt; Word would "
        "round the DOCX's spacing), got -0.27; the nearest are -0.3 and -0.25"
    )


def test_a_size_between_half_points_is_refused(tmp_path: Path) -> None:
    path = profile_with(
        tmp_path, "page_number: {face: songti, size_pt: 14}", "page_number: {face: songti, size_pt: 14.2}"
    )
    assert profile_refusal(path) == (
        f"{path}: layout profile: 'roles.page_number.size_pt' must be a whole number of half points (Word sets "
        "sizes in half points, the PDF would not), got 14.2; the nearest are 14 and 14.5"
    )


def test_lines_that_leave_no_room_for_the_section_break_spacer_are_refused(tmp_path: Path) -> None:
    # 22 × 28.95 pt (579 twips) leaves 0.9 pt of the block, room for the 0.7 pt spacer; 29 pt does not fit
    path = profile_with(tmp_path, "  line_pitch_pt: 28.95 ", "  line_pitch_pt: 29 ")
    assert profile_refusal(path) == (
        f"{path}: layout profile: 'grid.lines_per_page' × 'grid.line_pitch_pt' (22 × 29 pt = 638.0 pt) must fit "
        "the text block's height (225 mm, 637.8 pt in the DOCX) with 0.7 pt to spare for the DOCX section "
        "break's spacer paragraph (Word's thinnest exact line); it leaves -0.20 pt. 22 lines fit at a pitch of "
        "at most 28.95 pt (GB/T 9704's 22 lines at 28.95 pt leave 0.9 pt of its 225 mm block)"
    )


def test_lines_that_fit_but_crowd_out_the_spacer_are_refused(tmp_path: Path) -> None:
    # 0.2 mm less of block (12,744 twips): 22 × 579 twips fit, with 0.3 pt to spare, not the spacer's 0.7
    path = profile_with(tmp_path, "  bottom_mm: 35\n", "  bottom_mm: 35.2\n")
    message = profile_refusal(path)
    assert message.startswith(f"{path}: layout profile: 'grid.lines_per_page' × 'grid.line_pitch_pt' (22 × 28.95 pt")
    assert "(224.8 mm, 637.2 pt in the DOCX)" in message and "it leaves 0.30 pt" in message
    assert "22 lines fit at a pitch of at most 28.9 pt" in message


def test_a_line_that_holds_fewer_characters_than_the_grid_is_refused(tmp_path: Path) -> None:
    path = profile_with(tmp_path, "  letter_spacing_pt: -0.25 ", "  letter_spacing_pt: -0.2 ")  # the YAML's comment: 27
    assert profile_refusal(path) == (
        f"{path}: layout profile: 'grid.chars_per_line' is 28, but a line of the text block (156 mm, 442.2 pt) "
        "holds 27 characters of the body's 16 pt with 'grid.letter_spacing_pt' -0.2 (15.8 pt each): the grid's "
        "characters would not line up; change either"
    )


def test_a_line_that_holds_more_characters_than_the_grid_is_refused(tmp_path: Path) -> None:
    path = profile_with(tmp_path, "  chars_per_line: 28\n", "  chars_per_line: 27\n")
    assert "'grid.chars_per_line' is 27, but a line of the text block (156 mm, 442.2 pt) holds 28 characters" in (
        profile_refusal(path)
    )


def test_a_letter_spacing_that_swallows_the_characters_is_refused(tmp_path: Path) -> None:
    path = profile_with(tmp_path, "  letter_spacing_pt: -0.25 ", "  letter_spacing_pt: -16 ")
    assert profile_refusal(path) == (
        f"{path}: layout profile: 'grid.letter_spacing_pt' (-16) must be greater than minus the body's size "
        "(16 pt): characters would not advance"
    )


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [("  left_mm: 28\n", "  left_mm: 184\n",
      "'page.left_mm' + 'page.right_mm' (210 mm) must be less than 'page.width_mm' (210 mm)"),
     ("  top_mm: 37\n", "  top_mm: 300\n",
      "'page.top_mm' + 'page.bottom_mm' (335 mm) must be less than 'page.height_mm' (297 mm)")],
)  # fmt: skip
def test_margins_that_leave_no_block_are_refused(tmp_path: Path, old: str, new: str, message: str) -> None:
    path = profile_with(tmp_path, old, new)
    assert profile_refusal(path) == f"{path}: layout profile: {message}: they leave no text block"


def test_a_profile_without_the_body_role_is_refused(tmp_path: Path) -> None:
    path = profile_with(tmp_path, "  body:       {face: fangsong, size_pt: 16}\n", "")
    assert profile_refusal(path).startswith(
        f"{path}: layout profile: 'roles' lacks 'body', a role docgen sets (it sets title,"
    )


def test_a_typed_cell_pitch_is_refused_with_the_reason(tmp_path: Path) -> None:
    # Refused, not ignored: a number someone typed and saw no effect of would mislead them
    path = profile_with(tmp_path, "  cell_padding_mm: 1.5 ", "  cell_line_pitch_pt: 19.3\n  cell_padding_mm: 1.5 ")
    assert profile_refusal(path) == (
        f"{path}: layout profile: 'table.cell_line_pitch_pt' is not a setting: a cell's line pitch is derived, ⅔ of "
        "'grid.line_pitch_pt' in whole twips (28.95 pt, 579 twips, gives 386 twips, 19.3 pt), so three cell lines "
        "fill two grid lines; remove it"
    )


def test_another_pitch_derives_its_own_cell_pitch(tmp_path: Path) -> None:
    # 21 lines at 30 pt (600 twips): cells of 400 twips; 28 chars still fit the unchanged width
    text = SHIPPED.replace("  lines_per_page: 22\n", "  lines_per_page: 21\n").replace(
        "  line_pitch_pt: 28.95 ", "  line_pitch_pt: 30 "
    )
    path = tmp_path / "looser.yaml"
    path.write_text(text, encoding="utf-8")
    assert load_profile(path).table.cell_line_pitch_pt == 20.0


@pytest.mark.parametrize("points", [0.0, 0.7, 14.0, 16.0, 19.3, 28.95, 442.2, -0.25, 637.8])
def test_points_round_trip_through_millimetres_twips_and_emu(points: float) -> None:
    assert mm_to_pt(pt_to_mm(points)) == pytest.approx(points, abs=1e-12)
    assert emu_to_pt(pt_to_emu(points)) == pytest.approx(points, abs=0.5 / EMU_PER_PT)
    if on_grid(points, TWIPS_PER_PT):  # a length on the twips grid comes back exactly
        assert twips_to_pt(pt_to_twips(points)) == points
    assert abs(twips_to_pt(pt_to_twips(points)) - points) <= 0.5 / TWIPS_PER_PT


def test_the_units_convert_by_their_definitions() -> None:
    assert mm_to_pt(25.4) == pytest.approx(72)  # an inch
    assert pt_to_twips(28.95) == 579 and twips_to_pt(386) == 19.3
    assert mm_to_twips(297) == 16838 and mm_to_twips(37) == 2098  # A4 and 天头 as python-docx writes them
    assert pt_to_emu(1) == 12700 and pt_to_half_points(16) == 32
    assert pt_to_half_points(41.9) == 83  # a shrunk mark's size rounds down: its line still fits
    assert pt_to_eighths(mm_to_pt(0.25)) == 6  # a 0.25 mm table border as a DOCX w:sz
    assert not on_grid(28.96, TWIPS_PER_PT) and on_grid(-0.25, TWIPS_PER_PT)
