"""Line breaking rules on small made-up paragraphs with exact glyph widths."""

from __future__ import annotations

from dataclasses import replace

import pytest

from docgen.compose.paragraphs import Para, ParaKind, Span
from docgen.layout.lines import Glyph, break_paragraph, space_scripts
from docgen.layout.pagination import paginate
from docgen.profile import Profile
from docgen.roles import Role

WIDE, NARROW, SPACING = 16.0, 8.0, -0.25


def glyphs_for(text: str) -> list[Glyph]:
    return [Glyph(c, "f", 16.0, NARROW if c.isascii() else WIDE, SPACING) for c in text]


def lines_of(text: str, profile: Profile, squeeze: float = 0.35, gap: float = 0.0) -> list[str]:
    grid = replace(profile.grid, max_squeeze_pt=squeeze)
    para = Para(ParaKind.BODY, (Span(text, Role.BODY),))
    glyphs = space_scripts(glyphs_for(text), gap)
    return ["".join(g.char for g in line.glyphs) for line in break_paragraph(para, glyphs, replace(profile, grid=grid))]


HANZI = "一二三四五六七八九十" * 3


def test_a_line_holds_28_hanzi(profile: Profile) -> None:
    assert [len(line) for line in lines_of(HANZI * 2, profile)] == [28, 28, 4]


def test_a_closing_mark_is_never_first_a_character_goes_down_with_it(profile: Profile) -> None:
    text = HANZI[:28] + "，" + HANZI
    lines = lines_of(text, profile)
    assert lines[0] == HANZI[:27]
    assert lines[1].startswith(HANZI[27] + "，")


def test_an_opening_mark_is_never_last(profile: Profile) -> None:
    text = HANZI[:27] + "“" + HANZI
    lines = lines_of(text, profile)
    assert lines[0] == HANZI[:27] and lines[1].startswith("“")


def test_a_mark_is_squeezed_onto_the_line_when_the_squeeze_is_small(profile: Profile) -> None:
    """26 hanzi and 3 digits leave 9.45 pt: the mark fits by closing up 0.22 pt a gap."""
    text = HANZI[:24] + "202" + HANZI[:2] + "。" + HANZI
    squeezed = lines_of(text, profile)
    pushed = lines_of(text, profile, squeeze=0.0)
    assert squeezed[0].endswith("。")
    assert not pushed[0].endswith("。") and pushed[1][1] == "。"


def test_numbers_and_latin_words_are_not_split(profile: Profile) -> None:
    text = HANZI[:26] + "20231225" + HANZI
    lines = lines_of(text, profile)
    assert lines[0] == HANZI[:26] and lines[1].startswith("20231225")


def test_a_lone_last_character_is_pulled_up_when_a_squeeze_allows(profile: Profile) -> None:
    text = HANZI[:28] + "1"  # the digit needs 6.55 pt more than the line has: 0.23 pt a gap
    assert lines_of(text, profile, squeeze=0.0) == [HANZI[:28], "1"]
    assert lines_of(text, profile) == [text]
    lone_hanzi = HANZI[:29]  # a whole character would need 0.56 pt a gap: it stays
    assert lines_of(lone_hanzi, profile) == [HANZI[:28], HANZI[28]]


def test_western_gap_goes_only_where_hanzi_meet_letters_or_digits() -> None:
    spaced = space_scripts(glyphs_for("年2023，“7·12”A年"), 0.2)
    # 年|2 and A|年: hanzi meets a digit or letter, a gap; 3|， and “|7: the script changes, no gap.
    expected = {0: 3.2, 4: 0.0, 6: 0.0, 12: 3.2}
    for index, glyph in enumerate(spaced[:-1]):
        assert glyph.spacing == pytest.approx(expected.get(index, SPACING)), (index, glyph.char)


def test_a_heading_kept_with_next_moves_to_the_next_page(profile: Profile) -> None:
    plain = break_paragraph(Para(ParaKind.BODY, (Span("正文", Role.BODY),)), glyphs_for("正文"), profile)[0]
    heading = replace(plain, keep_with_next=True)
    pages = paginate([plain] * 21 + [heading, plain], profile)
    assert [len(page.lines) for page in pages] == [21, 2]
    assert pages[1].lines[0].line.keep_with_next
    assert [line.top for line in pages[1].lines] == [0.0, pytest.approx(profile.grid.line_pitch_pt)]


def test_a_page_break_ends_what_is_kept_together(profile: Profile) -> None:
    """An attachment ending with a heading (kept with the next line) and the next attachment's
    label (a page break): the label still starts its own page."""
    plain = break_paragraph(Para(ParaKind.BODY, (Span("正文", Role.BODY),)), glyphs_for("正文"), profile)[0]
    heading = replace(plain, keep_with_next=True)
    label = replace(plain, keep_with_next=True, page_break_before=True)
    pages = paginate([plain, heading, label, plain], profile)
    assert [len(page.lines) for page in pages] == [2, 2]
    assert pages[1].lines[0].line is label


def test_the_colophon_goes_to_the_foot_of_an_even_page_and_blank_pages_lose_their_numbers(profile: Profile) -> None:
    plain = break_paragraph(Para(ParaKind.BODY, (Span("正文", Role.BODY),)), glyphs_for("正文"), profile)[0]
    foot = replace(plain, at_foot=True)
    capacity = 22 * profile.grid.line_pitch_pt
    on_two = paginate([plain] * 30 + [foot] * 2, profile)  # page 2 has room: the 版记 ends at its foot
    assert len(on_two) == 2 and all(page.numbered for page in on_two)
    assert on_two[1].lines[-1].top + plain.height == pytest.approx(capacity)
    on_one = paginate([plain] * 5 + [foot], profile)  # page 1 is odd: the 版记 goes to page 2, no blank page
    assert len(on_one) == 2 and on_one[1].numbered
    full_two = paginate([plain] * 44 + [foot], profile)  # page 2 is full: blank page 3, 版记 on page 4
    assert len(full_two) == 4 and [page.numbered for page in full_two] == [True, True, False, False]
    assert not full_two[2].lines


def test_a_lone_character_with_its_closing_mark_stays_when_the_squeeze_would_be_too_big(profile: Profile) -> None:
    """Taking "一。" up would close the line by over 0.5 pt a gap, more than the 0.35 allowed."""
    assert lines_of(HANZI[:26] + "12" + "一。", profile) == [HANZI[:26] + "12", "一。"]
