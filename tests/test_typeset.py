"""Line breaking rules on small made-up paragraphs with exact glyph widths."""

from __future__ import annotations

from dataclasses import replace

import pytest

from docgen.compose import Para, Span
from docgen.profile import Profile
from docgen.typeset import Glyph, break_paragraph, paginate, space_scripts

WIDE, NARROW, SPACING = 16.0, 8.0, -0.25


def glyphs_for(text: str) -> list[Glyph]:
    return [Glyph(c, "f", 16.0, NARROW if c.isascii() else WIDE, SPACING) for c in text]


def lines_of(text: str, profile: Profile, squeeze: float = 0.35, gap: float = 0.0) -> list[str]:
    grid = replace(profile.grid, max_squeeze_pt=squeeze)
    para = Para("body", (Span(text, "body"),))
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
    plain = break_paragraph(Para("body", (Span("正文", "body"),)), glyphs_for("正文"), profile)[0]
    heading = replace(plain, keep_with_next=True)
    pages = paginate([plain] * 21 + [heading, plain], 22)
    assert [len(page) for page in pages] == [21, 2]
    assert pages[1][0].line.keep_with_next


def test_a_lone_character_with_its_closing_mark_stays_when_the_squeeze_would_be_too_big(profile: Profile) -> None:
    """Taking "一。" up would close the line by over 0.5 pt a gap, more than the 0.35 allowed."""
    assert lines_of(HANZI[:26] + "12" + "一。", profile) == [HANZI[:26] + "12", "一。"]
