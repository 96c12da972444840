"""Line breaking decision by decision: small paragraphs whose breaks are known by hand, from glyphs
of exact widths (no font file), each asserting the exact lines.

Most cases fill lines of 100 pt with 10 pt hanzi (ten to a line) and 5 pt digits, so every
overflow and every squeeze is a round number: the cases sit just inside or just outside each limit.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import pytest

from docgen.compose.paragraphs import Align, Anchor, DrawnLine, Para, ParaKind, Span, Tab
from docgen.layout.lines import (
    TOLERANCE_PT,
    Glyph,
    Line,
    advance,
    break_paragraph,
    fill_rows,
    space_scripts,
    units_of,
    width_of,
)
from docgen.profile import Profile
from docgen.roles import Role

HANZI = "一二三四五六七八九十"  # ten 10 pt hanzi fill a 100 pt line exactly
LINE = 100.0


def glyphs(text: str, width: float = 10.0, spacing: float = 0.0) -> list[Glyph]:
    """Hanzi and marks ``width`` wide, ASCII half as wide, each followed by ``spacing``."""
    return [Glyph(c, None, 10.0, width / 2 if c.isascii() else width, spacing) for c in text]


def rows(
    text: str, available: float | Callable[[int], float] = LINE, squeeze: float = 0.0, **widths: float
) -> list[str]:
    """The lines ``text`` fills, each ``available`` wide (or as wide as ``available(index)`` says)."""
    width_for = available if callable(available) else lambda _: available
    filled = fill_rows(units_of(glyphs(text, **widths)), width_for, squeeze)
    return ["".join(g.char for g in row) for row in filled]


# ---------------------------------------------------------------- filling to the edge


def test_a_line_holds_what_fits_and_no_more() -> None:
    assert rows(HANZI) == [HANZI]
    assert rows(HANZI + "甲乙") == [HANZI, "甲乙"]
    assert rows(HANZI * 2 + "甲乙") == [HANZI, HANZI, "甲乙"]


def test_half_a_point_over_the_edge_is_over() -> None:
    """Ten hanzi in 99.5 pt: the tenth goes down (a line never overflows its block by a point)."""
    assert rows(HANZI, LINE - 0.5) == [HANZI[:9], HANZI[9]]
    assert rows(HANZI + "甲", LINE - 0.5) == [HANZI[:9], HANZI[9] + "甲"]


@pytest.mark.parametrize(
    ("short_by", "expected"),
    [
        (TOLERANCE_PT / 2, [HANZI]),  # rounding noise: the line holds all ten
        (TOLERANCE_PT * 2, [HANZI[:9], HANZI[9]]),  # past the tolerance: the tenth goes down
    ],
)
def test_the_tolerance_covers_rounding_and_nothing_more(short_by: float, expected: list[str]) -> None:
    assert rows(HANZI, LINE - short_by) == expected


def test_an_overflow_of_exactly_the_tolerance_still_fits() -> None:
    """Glyphs as wide as the tolerance make its edge exact in floating point: two fill a line of one."""
    assert 2 * TOLERANCE_PT - TOLERANCE_PT == TOLERANCE_PT  # the case is exact, not rounded
    assert rows("甲乙", TOLERANCE_PT, width=TOLERANCE_PT) == ["甲乙"]
    assert rows("甲乙丙", TOLERANCE_PT, width=TOLERANCE_PT) == ["甲乙", "丙"]


def test_the_last_glyphs_negative_spacing_counts_a_gap_after_it_not() -> None:
    """As Word and LibreOffice count a line: ten hanzi each followed by −0.25 pt fit 97.5 pt (the
    last one's −0.25 too); followed by a 2 pt 中西文 gap they fit 118 pt (the last gap not)."""
    assert rows(HANZI + "甲乙", 97.5, spacing=-0.25) == [HANZI, "甲乙"]
    assert rows(HANZI + "甲乙", 97.5 - 0.1, spacing=-0.25) == [HANZI[:9], HANZI[9] + "甲乙"]
    assert rows(HANZI + "甲乙", 118.0, spacing=2.0) == [HANZI, "甲乙"]
    assert rows(HANZI + "甲乙", 118.0 - 0.1, spacing=2.0) == [HANZI[:9], HANZI[9] + "甲乙"]


def test_each_line_has_its_own_width() -> None:
    """A first line indented by two characters holds eight; the lines after it ten."""
    indented = rows(HANZI * 2, lambda index: LINE - 20.0 if index == 0 else LINE)
    assert indented == [HANZI[:8], HANZI[8:] + HANZI[:8], HANZI[8:]]


# ---------------------------------------------------------------- 避头尾


def test_a_closing_mark_never_starts_a_line_the_character_before_goes_down_with_it() -> None:
    assert rows(HANZI + "，甲") == [HANZI[:9], HANZI[9] + "，甲"]


def test_an_opening_mark_never_ends_a_line() -> None:
    assert rows(HANZI[:9] + "“甲乙”") == [HANZI[:9], "“甲乙”"]
    assert rows(HANZI[:8] + "《“甲乙”》") == [HANZI[:8], "《“甲乙”》"]  # a run of them goes down whole


def test_a_two_character_line_still_keeps_its_marks() -> None:
    """In a cell two characters wide: 甲“ / 乙 would end a line with “, and 甲 / ，乙 start one with ，."""
    assert rows("甲“乙丙", 20.0) == ["甲", "“乙", "丙"]
    assert rows("甲乙，丙丁", 20.0) == ["甲", "乙，", "丙丁"]


def test_a_line_holding_one_character_keeps_it() -> None:
    """Nothing is pushed off a line that holds a single character: it would leave the line empty."""
    assert rows("甲，乙", lambda index: 10.0 if index == 0 else 30.0) == ["甲", "，乙"]
    assert rows("甲“乙", lambda index: 10.0 if index == 0 else 30.0) == ["甲", "“乙"]


# ---------------------------------------------------------------- squeezing before pushing down


def test_a_closing_mark_squeezed_onto_a_full_line_just_fits() -> None:
    """Ten hanzi fill the line; a 10 pt ， needs 1 pt closed up in each of its ten gaps."""
    assert rows(HANZI + "，甲", squeeze=1.0) == [HANZI + "，", "甲"]


def test_a_closing_mark_that_needs_more_than_the_squeeze_goes_down() -> None:
    assert rows(HANZI + "，甲", squeeze=0.99) == [HANZI[:9], HANZI[9] + "，甲"]


def test_every_line_counts_its_own_gaps() -> None:
    """The same ， on a second full line: its ten gaps, not eleven."""
    assert rows(HANZI * 2 + "，甲", squeeze=1.0) == [HANZI, HANZI + "，", "甲"]
    assert rows(HANZI * 2 + "，甲", squeeze=0.99) == [HANZI, HANZI[:9], HANZI[9] + "，甲"]


def test_the_squeeze_counts_the_gaps_the_line_has() -> None:
    """Five hanzi in 50 pt and a ，: five gaps close up 2 pt each, four would need 2.5."""
    assert rows(HANZI[:5] + "，甲", 50.0, squeeze=2.0) == [HANZI[:5] + "，", "甲"]
    assert rows(HANZI[:5] + "，甲", 50.0, squeeze=1.9) == [HANZI[:4], HANZI[4] + "，甲"]


def test_a_line_of_one_character_squeezes_one_gap() -> None:
    """甲， in 15 pt: 5 pt over, one gap of 3 pt allowed: the ， goes down (a narrow cell)."""
    assert rows("甲，", 15.0, squeeze=3.0) == ["甲", "，"]
    assert rows("甲，", 15.0, squeeze=5.0) == ["甲，"]


def test_only_marks_that_may_not_start_a_line_are_squeezed_in() -> None:
    """A hanzi never closes up a line to stay on it: the squeeze is for 避头尾."""
    assert rows(HANZI + "甲乙", squeeze=5.0) == [HANZI, "甲乙"]


def test_a_squeezed_line_counts_for_the_next_mark() -> None:
    """。” after a full line: the 。 closes up ten gaps by 1 pt, then both eleven gaps by 20/11 pt."""
    assert rows(HANZI + "。”甲", squeeze=20.0 / 11) == [HANZI + "。”", "甲"]
    assert rows(HANZI + "。”甲", squeeze=1.8) == [HANZI[:9], HANZI[9] + "。”甲"]


# ---------------------------------------------------------------- pieces never split


def test_a_number_is_never_split() -> None:
    """Seven hanzi (70 pt) and an eight-digit number (40 pt): the number goes down whole."""
    assert rows(HANZI[:7] + "20231225") == [HANZI[:7], "20231225"]
    assert rows(HANZI[:6] + "20231225") == [HANZI[:6] + "20231225"]  # 60 + 40: it just fits


def test_a_closing_mark_stays_with_the_number_after_it() -> None:
    """，2023 is one piece: it cannot stay on the line, and the ， cannot start the next one."""
    assert rows(HANZI[:9] + "，2023") == [HANZI[:8], HANZI[8] + "，2023"]


def test_a_decimal_a_per_cent_and_an_address_are_one_piece_each() -> None:
    pieces = ["".join(g.char for g in unit) for unit in units_of(glyphs("增长12.5%，见www.gov.cn。"))]
    assert pieces == ["增", "长", "12.5%", "，", "见", "www.gov.cn", "。"]


def test_a_dash_and_an_ellipsis_are_never_split() -> None:
    pieces = ["".join(g.char for g in unit) for unit in units_of(glyphs("甲——乙……丙⸺"))]
    assert pieces == ["甲", "——", "乙", "……", "丙", "⸺"]
    assert rows(HANZI[:9] + "——甲") == [HANZI[:9], "——甲"]


def test_a_number_longer_than_a_line_breaks_where_it_must() -> None:
    """Twenty-five digits, twenty to a line: only then is a number split."""
    assert rows("1" * 25) == ["1" * 20, "1" * 5]
    assert rows("甲" + "1" * 25) == ["甲", "1" * 20, "1" * 5]  # first to a line of its own


def test_a_two_digit_number_wider_than_its_cell_breaks() -> None:
    assert rows("12", 7.0) == ["1", "2"]


def test_a_glyph_wider_than_its_line_stands_alone() -> None:
    assert rows("甲乙", 5.0) == ["甲", "乙"]


# ---------------------------------------------------------------- no lone last character (孤字)


def test_a_lone_last_character_is_pulled_up_when_the_squeeze_allows() -> None:
    """Eleven hanzi: taking the last one up closes each of ten gaps by 1 pt."""
    assert rows(HANZI + "甲", squeeze=1.0) == [HANZI + "甲"]
    assert rows(HANZI + "甲", squeeze=0.99) == [HANZI, "甲"]


def test_a_lone_last_character_with_its_closing_marks_comes_up_together() -> None:
    """甲。 is one character and its mark: 20 pt over eleven gaps."""
    assert rows(HANZI + "甲。", squeeze=2.0) == [HANZI + "甲。"]
    assert rows(HANZI + "甲。", squeeze=1.8) == [HANZI, "甲。"]


def test_two_characters_on_the_last_line_stay_there() -> None:
    assert rows(HANZI + "甲乙", squeeze=5.0) == [HANZI, "甲乙"]


def test_a_lone_character_on_a_one_line_paragraph_stays() -> None:
    assert rows("甲", squeeze=5.0) == ["甲"]
    assert rows("甲。", squeeze=5.0) == ["甲。"]


def test_a_lone_character_after_a_one_character_line_squeezes_one_gap() -> None:
    assert rows("甲乙", 15.0, squeeze=3.0) == ["甲", "乙"]
    assert rows("甲乙", 15.0, squeeze=5.0) == ["甲乙"]


def test_a_lone_character_is_measured_against_the_line_it_would_join() -> None:
    """A first line of 90 pt (indented) holds nine: the tenth would need 10 pt over nine gaps of it."""
    first_narrower = lambda index: 90.0 if index == 0 else LINE  # noqa: E731
    assert rows(HANZI, first_narrower, squeeze=1.0) == [HANZI[:9], HANZI[9]]
    assert rows(HANZI, first_narrower, squeeze=1.12) == [HANZI]
    second_narrower = lambda index: LINE if index == 0 else 50.0  # noqa: E731
    assert rows(HANZI + "甲", second_narrower, squeeze=1.0) == [HANZI + "甲"]
    assert rows(HANZI * 2 + "甲", lambda index: LINE if index < 2 else 10.0, squeeze=1.0) == [HANZI, HANZI + "甲"]


# ---------------------------------------------------------------- widths


def test_widths_count_from_the_first_glyphs_left_to_the_last_ones_right() -> None:
    assert width_of([]) == advance([]) == 0.0
    assert width_of(glyphs("甲乙丙", spacing=-0.25)) == 29.5
    assert advance(glyphs("甲乙丙", spacing=-0.25)) == 29.25
    assert advance(glyphs("甲乙丙", spacing=2.0)) == width_of(glyphs("甲乙丙", spacing=2.0)) == 34.0
    gap_last = [*glyphs("甲乙", spacing=-0.25), *glyphs("丙", spacing=2.0)]  # only the last one's spacing counts
    assert advance(gap_last) == width_of(gap_last) == 29.5


def test_a_western_gap_goes_where_hanzi_meet_letters_or_digits_only() -> None:
    """年2023年 gets two gaps; the ， and the quote marks beside 7 or A get none, nor do 7·12 or A4."""
    spaced = space_scripts(glyphs("年2023，“7·12”A年x", spacing=-0.25), 0.25)
    gaps = {index: glyph.spacing for index, glyph in enumerate(spaced) if glyph.spacing != -0.25}
    assert gaps == {0: 2.5, 4: 0.0, 6: 0.0, 12: 2.5, 13: 2.5}


def test_a_western_gap_takes_the_larger_size_of_its_two_neighbours() -> None:
    text = [Glyph("年", None, 16.0, 16.0, 0.0), Glyph("5", None, 22.0, 11.0, 0.0), Glyph("日", None, 16.0, 16.0, 0.0)]
    assert [glyph.spacing for glyph in space_scripts(text, 0.25)] == [5.5, 5.5, 0.0]
    text = [Glyph("年", None, 16.0, 16.0, 0.0), Glyph("5", None, 16.0, 8.0, 0.0), Glyph("日", None, 22.0, 22.0, 0.0)]
    assert [glyph.spacing for glyph in space_scripts(text, 0.25)] == [4.0, 5.5, 0.0]  # 年|5 not sized by 日


@pytest.mark.parametrize(
    ("text", "spacings"),
    [
        ("年éa年", [0.0, -0.25, 10.0, -0.25]),  # é is Latin as a is: the script changes after 年 and after a
        ("“年", [-0.25, -0.25]),  # a quote takes the script of the hanzi (Asian text to begin with)
        ("年.年", [-0.25, -0.25, -0.25]),  # ASCII punctuation takes the script before it
        ("a。", [0.0, -0.25]),  # a wide mark is Asian: the script changes, no gap (no hanzi)
        ("aＡ", [0.0, -0.25]),  # and so is a full-width letter
    ],
)
def test_the_glyph_before_a_change_of_script_loses_its_letter_spacing(text: str, spacings: list[float]) -> None:
    """As Word and LibreOffice set it; where a hanzi meets a letter or digit the 中西文 gap takes its place."""
    spaced = space_scripts(glyphs(text, spacing=-0.25), 1.0)
    assert [glyph.spacing for glyph in spaced] == spacings


# ---------------------------------------------------------------- whole paragraphs on the profile's block


@pytest.fixture
def pitch(profile: Profile) -> float:
    """A hanzi as wide as a grid cell: 28 to the line."""
    return profile.char_unit_pt(Role.BODY)


def cells(text: str, pitch: float) -> list[Glyph]:
    return glyphs(text, width=pitch)


def texts(lines: list[Line]) -> list[str]:
    return ["".join(g.char for g in line.glyphs) for line in lines]


TEXT = (HANZI * 7)[:62]


def test_a_paragraph_indents_its_first_line_and_fills_the_block(profile: Profile, pitch: float) -> None:
    para = Para(ParaKind.BODY, (Span(TEXT, Role.BODY),), first_indent_chars=2)
    lines = break_paragraph(para, cells(TEXT, pitch), profile)
    assert texts(lines) == [TEXT[:26], TEXT[26:54], TEXT[54:]]
    assert [line.left for line in lines] == [2 * pitch, 0.0, 0.0]
    assert [line.available for line in lines] == pytest.approx([26 * pitch, 28 * pitch, 28 * pitch])
    assert [line.stretch for line in lines] == [True, True, False]  # justified but the last
    assert {line.height for line in lines} == {profile.grid.line_pitch_pt}
    assert {line.align for line in lines} == {Align.JUSTIFY}


def test_a_right_indent_narrows_every_line(profile: Profile, pitch: float) -> None:
    para = Para(ParaKind.BODY, (Span(TEXT, Role.BODY),), first_indent_chars=1, right_indent_chars=4)
    lines = break_paragraph(para, cells(TEXT, pitch), profile)
    assert texts(lines) == [TEXT[:23], TEXT[23:47], TEXT[47:]]
    assert [line.available for line in lines] == pytest.approx([23 * pitch, 24 * pitch, 24 * pitch])


def test_continuation_lines_hang_under_a_character(profile: Profile, pitch: float) -> None:
    """抄送：甲… hung at 3: the lines after the first start under the character after ：."""
    text = "抄送：" + TEXT[:40]
    para = Para(ParaKind.COLOPHON, (Span(text, Role.BODY),), first_indent_chars=1, hang_at=3)
    marks = [*glyphs("抄送", width=pitch, spacing=-0.5), *glyphs("：", width=pitch, spacing=1.0)]
    lines = break_paragraph(para, [*marks, *glyphs(text[3:], width=pitch, spacing=-0.5)], profile)
    hang = pitch + 3 * pitch - 0.5 * 2 + 1.0  # the indent, then three cells and the spacing after each
    assert [line.left for line in lines] == pytest.approx([pitch, hang])
    assert [line.available for line in lines] == pytest.approx([27 * pitch, 28 * pitch - hang])
    assert texts(lines) == [text[:27], text[27:]]


def test_forced_breaks_end_lines_and_only_the_first_is_indented(profile: Profile, pitch: float) -> None:
    text = HANZI * 2
    para = Para(ParaKind.TITLE, (Span(text, Role.BODY),), align=Align.CENTER, first_indent_chars=2, forced_breaks=(6,))
    lines = break_paragraph(para, cells(text, pitch), profile)
    assert texts(lines) == [text[:6], text[6:]]
    assert [line.left for line in lines] == [2 * pitch, 0.0]
    assert not any(line.stretch for line in lines)  # centred lines keep their natural width


def test_a_distributed_paragraph_spreads_its_last_line_too_but_not_a_lone_glyph(profile: Profile, pitch: float) -> None:
    para = Para(ParaKind.SIGNATURE, (Span(TEXT[:30], Role.BODY),), align=Align.DISTRIBUTE)
    assert [line.stretch for line in break_paragraph(para, cells(TEXT[:30], pitch), profile)] == [True, True]
    single = Para(ParaKind.SIGNATURE, (Span("甲", Role.BODY),), align=Align.DISTRIBUTE)
    assert [line.stretch for line in break_paragraph(single, cells("甲", pitch), profile)] == [False]


def test_a_squeezed_last_line_is_justified_to_the_edge(profile: Profile, pitch: float) -> None:
    """26 hanzi between indents of a character each and an 8 pt ，: the mark is squeezed onto the line,
    which then must be set to its width."""
    text = TEXT[:26] + "，"
    para = Para(ParaKind.BODY, (Span(text, Role.BODY),), first_indent_chars=1, right_indent_chars=1)
    squeezed = break_paragraph(para, [*cells(text[:26], pitch), Glyph("，", None, 10.0, 8.0, 0.0)], profile)
    assert texts(squeezed) == [text] and squeezed[0].stretch
    left = replace(para, align=Align.LEFT)
    assert not break_paragraph(left, cells(TEXT[:5], pitch), profile)[0].stretch


def test_a_paragraph_kept_with_the_next_keeps_its_last_line(profile: Profile, pitch: float) -> None:
    para = Para(ParaKind.HEADING1, (Span(TEXT, Role.BODY),), keep_with_next=True, height_pt=40.0)
    lines = break_paragraph(para, cells(TEXT, pitch), profile)
    assert [line.keep_with_next for line in lines] == [False, False, True]
    assert {line.height for line in lines} == {40.0}


def test_an_empty_paragraph_is_one_empty_line(profile: Profile) -> None:
    (line,) = break_paragraph(Para(ParaKind.BLANK, ()), [], profile)
    assert line.glyphs == () and line.left == 0.0 and not line.stretch


def test_tabs_stand_on_the_first_line_by_their_edge_or_centre(profile: Profile, pitch: float) -> None:
    tabs = [
        (Tab((Span("甲乙", Role.BODY),), 100.0, Align.LEFT), cells("甲乙", pitch)),
        (Tab((Span("丙丁", Role.BODY),), 200.0, Align.CENTER), cells("丙丁", pitch)),
        (Tab((Span("戊己", Role.BODY),), 300.0, Align.RIGHT), cells("戊己", pitch)),
    ]
    para = Para(ParaKind.DATE, (Span("", Role.BODY),), tabs=tuple(tab for tab, _ in tabs))
    (line,) = break_paragraph(para, [], profile, tabs)
    assert [tab.x for tab in line.tabs] == pytest.approx([100.0, 200.0 - pitch, 300.0 - 2 * pitch])
    assert ["".join(g.char for g in tab.glyphs) for tab in line.tabs] == ["甲乙", "丙丁", "戊己"]


def test_decorations_hang_from_the_first_line_and_those_of_the_end_from_the_last(
    profile: Profile, pitch: float
) -> None:
    above = DrawnLine(-2.0, 0.0, 100.0, 1.0, "FF0000")
    below = DrawnLine(3.0, 0.0, 100.0, 0.5, "000000", Anchor.PARA_END)
    para = Para(ParaKind.BODY, (Span(TEXT, Role.BODY),), decorations=(above, below), page_break_before=True)
    lines = break_paragraph(para, cells(TEXT, pitch), profile)
    assert texts(lines) == [TEXT[:28], TEXT[28:56], TEXT[56:]]
    first, middle, last = lines
    assert first.decorations == (above,) and middle.decorations == ()
    assert last.decorations == (replace(below, y_pt=3.0 + last.height, anchor=Anchor.PARA),)
    assert [first.page_break_before, middle.page_break_before, last.page_break_before] == [True, False, False]
    assert not any(line.at_foot for line in (first, middle, last))
    one = Para(ParaKind.BODY, (Span("甲乙", Role.BODY),), decorations=(above, below))
    (line,) = break_paragraph(one, cells("甲乙", pitch), profile)
    assert line.decorations == (above, replace(below, y_pt=3.0 + line.height, anchor=Anchor.PARA))


def test_a_paragraph_at_the_foot_puts_every_line_there(profile: Profile, pitch: float) -> None:
    para = Para(ParaKind.COLOPHON, (Span(TEXT, Role.BODY),), at_foot=True)
    assert [line.at_foot for line in break_paragraph(para, cells(TEXT, pitch), profile)] == [True, True, True]


def test_a_lines_natural_width_is_its_glyphs_width(profile: Profile, pitch: float) -> None:
    para = Para(ParaKind.BODY, (Span("甲乙丙", Role.BODY),))
    (line,) = break_paragraph(para, glyphs("甲乙丙", width=pitch, spacing=-0.25), profile)
    assert line.natural_width == pytest.approx(3 * pitch - 0.5)
