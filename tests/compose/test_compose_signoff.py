"""What follows the body as composed paragraphs: 附件说明 (7.3.4), 出席 (10.3), the signature and
date in the three cases of GB/T 9704 7.3.5 with their seals, and 附注 (7.3.6).

The signature block's paragraphs are grid lines, so a paragraph's top is its index times the
pitch; a seal is placed relative to its paragraph's top.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from itertools import combinations, pairwise
from pathlib import Path

import pytest
from PIL import Image

from docgen.compose.paragraphs import Align, Anchor, Para, Picture
from docgen.profile import Profile
from docgen.text.cjk import set_width_in_chars
from docgen.units import mm_to_pt

Compose = Callable[[str], tuple[Para, ...]]  # the compose fixture: a source's text composed
Example = Callable[[str], tuple[Para, ...]]  # the example fixture: an example's file composed
CLOSE = 1e-6  # pt


def source(signed: str, *, date: str = "2023-04-25", rest: str = "") -> str:
    """A notice signed as ``signed`` says (organ or organs, seal, signer), with ``rest`` after its body."""
    return (
        f"title: 关于开展安全生产检查的通知\n{signed}date: {date}\n"
        "preamble:\n- 现将有关事项通知如下。\n- 请认真贯彻执行。\n" + rest
    )


def chars(text: str, profile: Profile) -> float:
    """Width in 字 as set, with the 中西文 gaps around digits."""
    return set_width_in_chars(text, profile.grid.western_gap_em)


def block_of(paras: tuple[Para, ...]) -> list[Para]:
    """The signature block: the blank lines over the signature, down to the date."""
    first = next(index for index, para in enumerate(paras) if para.kind == "signature")
    while paras[first - 1].kind == "blank":
        first -= 1
    date = next(index for index, para in enumerate(paras) if para.kind == "date")
    return list(paras[first : date + 1])


@dataclass(frozen=True)
class Box:
    """A seal on the page, in pt from the top of the signature block's first line; ``line`` is the
    index in the block of the paragraph that carries it (the row of names it is pressed on)."""

    picture: Picture
    line: int
    top: float

    @property
    def left(self) -> float:
        return self.picture.x_pt

    @property
    def right(self) -> float:
        return self.picture.x_pt + self.picture.width_pt

    @property
    def bottom(self) -> float:
        return self.top + self.picture.height_pt

    @property
    def centre(self) -> tuple[float, float]:
        return (self.left + self.right) / 2, (self.top + self.bottom) / 2


def seals_of(block: list[Para], profile: Profile) -> list[Box]:
    pitch = profile.grid.line_pitch_pt
    return [
        Box(each, index, index * pitch + each.y_pt)
        for index, para in enumerate(block)
        for each in para.decorations
        if isinstance(each, Picture)
    ]


def glyph_top(profile: Profile) -> float:
    """The top edge of a signature's characters below its grid line's top."""
    grid, size = profile.grid, profile.roles["signature"].size_pt
    return grid.baseline_ratio * grid.line_pitch_pt - profile.header.em_ascent * size


def date_centre(date: Para, profile: Profile) -> float:
    unit = profile.char_unit_pt("body")
    return profile.page.block_width_pt - unit * (date.right_indent_chars + chars(date.text, profile) / 2)


def assert_kept_together(block: list[Para]) -> None:
    """7.3.5.5: every line of the block goes to the next page with the date, the date ends it."""
    assert all(para.keep_with_next for para in block[:-1]) and not block[-1].keep_with_next


def test_one_attachment_is_named_after_the_label_with_wrapped_lines_under_the_name(
    compose: Compose, profile: Profile
) -> None:
    """7.3.4: one blank line under the body, 附件：名称 2 字 in, continuation lines under the name."""
    paras = compose(source("organ: 济南市人民政府\n", rest="attachments:\n- 2023年防汛重点工程责任分工表\n"))
    index = next(index for index, para in enumerate(paras) if para.kind == "attachment_note")
    note = paras[index]
    assert [para.kind for para in paras[index - 2 : index]] == ["body", "blank"]
    assert note.text == "附件：2023年防汛重点工程责任分工表" and [span.role for span in note.spans] == ["body"]
    assert note.first_indent_chars == profile.body.first_line_indent_chars
    assert note.text[note.hang_at :] == "2023年防汛重点工程责任分工表"


def test_several_attachments_are_numbered_one_a_line_each_number_under_the_first(
    compose: Compose, profile: Profile
) -> None:
    titles = [f"第{number}项工作的责任分工表" for number in range(1, 11)]
    listed = "".join(f"- {title}\n" for title in titles)
    notes = [
        para
        for para in compose(source("organ: 济南市人民政府\n", rest=f"attachments:\n{listed}"))
        if para.kind == "attachment_note"
    ]
    indent = profile.body.first_line_indent_chars
    expected = [f"{number}.{title}" for number, title in enumerate(titles, start=1)]
    expected[0] = "附件：" + expected[0]
    assert [note.text for note in notes] == expected
    assert notes[0].first_indent_chars == indent
    assert {note.first_indent_chars for note in notes[1:]} == {indent + chars("附件：", profile)}
    for note, title in zip(notes, titles, strict=True):
        assert note.text[note.hang_at :] == title  # wrapped lines start under the name, not the number


def test_minutes_list_attendance_in_their_label_face_and_sign_nothing(example: Example, profile: Profile) -> None:
    """10.3: 出席/请假/列席 in 黑体 (their role), names after the colon in the body's face, wrapped lines
    under the first name; one blank line above; the minutes carry no signature or date of their own."""
    paras = example("minutes.yaml")
    index = next(index for index, para in enumerate(paras) if para.kind == "attendance")
    groups = [para for para in paras if para.kind == "attendance"]
    assert paras[index - 1].kind == "blank"
    assert [(para.spans[0].text, para.spans[0].role) for para in groups] == [
        ("出席：", "attendance_label"),
        ("请假：", "attendance_label"),
        ("列席：", "attendance_label"),
    ]
    assert groups[1].spans[1].text == "沈建华" and groups[0].spans[1].text.startswith("张明华，李建国，")
    for para in groups:
        assert para.spans[1].role == "body" and para.hang_at == len(para.spans[0].text)
        assert para.first_indent_chars == profile.body.first_line_indent_chars
    assert not [para for para in paras if para.kind in ("signature", "date")]


@pytest.mark.parametrize(
    ("organs", "day", "date"),
    [
        (["济南市人民政府"], "2023-03-15", "2023年3月15日"),  # the date the wider: it keeps 2 字
        (["中共济南市委"], "2024-03-15", "2024年3月15日"),  # the reference's example
        (["济南市自然资源和规划局"], "2023-01-01", "2023年1月1日"),  # the signature the wider: it keeps 2 字
        (["中共济南市委办公厅", "济南市人民政府办公厅"], "2023-05-08", "2023年5月8日"),
    ],
)
def test_without_a_seal_the_date_starts_two_characters_right_of_the_signature(
    compose: Compose, profile: Profile, organs: list[str], day: str, date: str
) -> None:
    """7.3.5.2: one blank line under the body, the signature 2 字 in from the right, the date on the next
    line with its first character 2 字 right of the signature's first; when the date would reach further
    right, the date keeps 2 字 and the signature moves left. The figures are the profile's."""
    block = block_of(compose(source(f"organs: [{', '.join(organs)}]\n", date=day)))
    rules = profile.signature
    assert [para.kind for para in block] == ["blank"] * rules.blank_lines_before + ["signature"] * len(organs) + [
        "date"
    ]
    signed, dated = block[rules.blank_lines_before : -1], block[-1]
    assert [para.text for para in signed] == organs and dated.text == date
    assert {(para.align, para.spans[0].role) for para in (*signed, dated)} == {(Align.RIGHT, "signature")}
    assert len({para.right_indent_chars for para in signed}) == 1  # joint organs under one another
    widest = max(chars(organ, profile) for organ in organs)
    signature_start = signed[0].right_indent_chars + widest  # 字 from the right edge
    date_start = dated.right_indent_chars + chars(date, profile)
    assert signature_start - date_start == pytest.approx(rules.date_offset_chars)
    assert min(signed[0].right_indent_chars, dated.right_indent_chars) == pytest.approx(rules.right_indent_chars)
    assert_kept_together(block)


def test_the_reference_s_example_puts_the_date_two_in_and_the_signature_further(
    compose: Compose, profile: Profile
) -> None:
    """docs/reference: 中共××市委 over 2024年3月15日, the date the longer: date 2 in, signature 4 + D − W."""
    *_, signed, dated = block_of(compose(source("organ: 中共济南市委\n", date="2024-03-15")))
    rules = profile.signature
    assert dated.right_indent_chars == rules.right_indent_chars
    excess = chars(dated.text, profile) - chars("中共济南市委", profile)
    assert signed.right_indent_chars == pytest.approx(rules.right_indent_chars + rules.date_offset_chars + excess)


@pytest.mark.parametrize("day", ["2023-01-01", "2023-04-25", "2023-12-25"])
def test_a_seal_is_centred_on_the_signature_which_is_centred_over_the_date(
    compose: Compose, profile: Profile, day: str
) -> None:
    """7.3.5.1: the date 4 字 (the profile's) in from the right, the signature centred over it, the seal
    centred on both, signature and date just below its centre, its top within one line of the body."""
    block = block_of(compose(source("organ: 济南市人民政府\nseal: seal-city.png\n", date=day)))
    signed, dated = block[-2:]
    rules, pitch = profile.seal, profile.grid.line_pitch_pt
    assert dated.align is Align.RIGHT and dated.right_indent_chars == rules.date_right_indent_chars
    (tab,) = signed.tabs
    assert tab.text == "济南市人民政府" and tab.align is Align.CENTER and tab.spans[0].role == "signature"
    assert tab.x_pt == pytest.approx(date_centre(dated, profile))
    (seal,) = seals_of(block, profile)
    assert seal.picture.anchor is Anchor.PARA and seal.picture.description == "济南市人民政府"
    diameter = mm_to_pt(rules.diameter_mm)
    assert (seal.picture.width_pt, seal.picture.height_pt) == pytest.approx((diameter, diameter))  # a square image
    assert seal.centre[0] == pytest.approx(tab.x_pt)
    signature_top = (len(block) - 2) * pitch + glyph_top(profile)
    size = profile.roles["signature"].size_pt
    assert seal.centre[1] == pytest.approx(signature_top - rules.centre_above_signature_em * size)
    assert 0 <= seal.top < pitch  # within the first blank line under the body
    assert_kept_together(block)


def test_a_seal_keeps_its_image_s_proportions(compose: Compose, profile: Profile, tmp_path: Path) -> None:
    Image.new("RGBA", (600, 400), (255, 0, 0, 255)).save(tmp_path / "wide.png")
    block = block_of(compose(source("organ: 济南市人民政府\nseal: wide.png\n")))
    (seal,) = seals_of(block, profile)
    width = mm_to_pt(profile.seal.diameter_mm)
    assert (seal.picture.width_pt, seal.picture.height_pt) == pytest.approx((width, width * 400 / 600))
    assert 0 <= seal.top < profile.grid.line_pitch_pt


JOINT = {
    "two": ["中共济南市委办公厅", "济南市人民政府办公厅"],
    "three": ["中共济南市委", "济南市人民政府", "济南警备区"],
    "four": ["中共济南市委", "济南市人民政府", "济南警备区", "济南市应急局"],
    "seven": [
        "济南市应急局",
        "济南市水务局",
        "济南市财政局",
        "济南市公安局",
        "济南市民政局",
        "济南市商务局",
        "济南市文旅局",
    ],
}


def joint_source(organs: list[str]) -> str:
    seals = ", ".join("seal-office.png" if index % 2 else "seal-city.png" for index in range(len(organs)))
    return source(f"organs: [{', '.join(organs)}]\nseals: [{seals}]\n")


@pytest.mark.parametrize("organs", JOINT.values(), ids=JOINT)
def test_joint_seals_stand_aligned_in_the_block_not_touching_the_last_over_the_date(
    compose: Compose, profile: Profile, organs: list[str]
) -> None:
    """7.3.5.1 联合行文: one seal on each organ's name in order, aligned, neither touching nor overlapping
    (the profile's gap between them), within the block, the last over the date too, the first row's top
    within one line of the body; names do not overlap either."""
    block = block_of(compose(joint_source(organs)))
    rules, unit, width = profile.seal, profile.char_unit_pt("body"), profile.page.block_width_pt
    tabs = [tab for para in block for tab in para.tabs]
    seals = seals_of(block, profile)
    assert [tab.text for tab in tabs] == organs == [seal.picture.description for seal in seals]
    assert {tab.align for tab in tabs} == {Align.CENTER}
    for tab, seal in zip(tabs, seals, strict=True):
        assert seal.centre[0] == pytest.approx(tab.x_pt)
        assert seal.left >= 0 and seal.right <= width
    assert seals[-1].centre[0] == pytest.approx(date_centre(block[-1], profile))
    gap = mm_to_pt(rules.gap_mm)
    for one, other in combinations(seals, 2):
        apart = max(other.left - one.right, one.left - other.right, other.top - one.bottom, one.top - other.bottom)
        assert apart >= gap - CLOSE, (one.picture.description, other.picture.description)
    for (left, one), (right, other) in pairwise(zip(tabs, seals, strict=True)):
        if one.line == other.line:  # a row: seals aligned, names apart
            assert one.top == other.top
            assert right.x_pt - left.x_pt >= (chars(left.text, profile) + chars(right.text, profile)) * unit / 2
    assert 0 <= seals[0].top < profile.grid.line_pitch_pt
    assert block[-1].right_indent_chars == rules.date_right_indent_chars
    assert_kept_together(block)


def test_joint_names_wider_than_a_seal_stay_in_the_block(compose: Compose, profile: Profile) -> None:
    block = block_of(compose(joint_source(["济南新旧动能转换起步区管理委员会", "济南市自然资源和规划局"])))
    unit, width = profile.char_unit_pt("body"), profile.page.block_width_pt
    for tab in (tab for para in block for tab in para.tabs):
        half = chars(tab.text, profile) * unit / 2
        assert tab.x_pt - half >= 0 and tab.x_pt + half <= width, tab.text


@pytest.mark.parametrize("name", ["order.yaml", "a notice"])
def test_a_signature_seal_stands_four_characters_in_with_the_title_two_characters_left_of_it(
    example: Example, compose: Compose, profile: Profile, name: str
) -> None:
    """7.3.5.3 (and orders, 10.2): two blank lines under the body (the profile's), the signature seal 4 字
    in from the right, the signer's title 2 字 left of it and centred on it top to bottom; the date one
    blank line under the seal, 4 字 in."""
    signer = "signer:\n  title: 市长\n  seal: signature-seal.png\n"
    paras = example(name) if name.endswith(".yaml") else compose(source(f"organ: 济南市人民政府\n{signer}"))
    block = block_of(paras)
    rules, unit, pitch = profile.seal, profile.char_unit_pt("body"), profile.grid.line_pitch_pt
    assert [para.kind for para in block[: rules.blank_lines_before_signer + 1]] == [
        *["blank"] * rules.blank_lines_before_signer,
        "signature",
    ]
    signed, dated = block[rules.blank_lines_before_signer], block[-1]
    (title,) = signed.tabs
    (seal,) = seals_of(block, profile)
    width = mm_to_pt(rules.signer_seal_width_mm)
    assert (seal.picture.width_pt, seal.picture.height_pt) == pytest.approx((width, width * 300 / 600))
    assert seal.right == pytest.approx(profile.page.block_width_pt - rules.date_right_indent_chars * unit)
    assert title.text == "市长" and title.align is Align.RIGHT and title.spans[0].role == "signature"
    assert title.x_pt == pytest.approx(seal.left - 2 * unit)
    title_middle = rules.blank_lines_before_signer * pitch + glyph_top(profile) + profile.roles["signature"].size_pt / 2
    assert seal.centre[1] == pytest.approx(title_middle)
    date_top = (len(block) - 1) * pitch
    assert pitch <= date_top - seal.bottom + CLOSE < 2 * pitch  # one blank line between seal and date
    assert all(para.kind == "blank" for para in block[rules.blank_lines_before_signer + 1 : -1])
    assert dated.align is Align.RIGHT and dated.right_indent_chars == rules.date_right_indent_chars
    assert_kept_together(block)


def test_the_note_follows_the_date_in_parentheses_two_characters_in(example: Example, profile: Profile) -> None:
    """附注 (7.3.6): on the line after the date, in parentheses, indented as the body."""
    paras = example("upward.yaml")
    index = next(index for index, para in enumerate(paras) if para.kind == "note")
    note = paras[index]
    assert paras[index - 1].kind == "date"
    assert note.text == "（联系人：王立新，联系电话：0531-12345678）" and note.spans[0].role == "body"
    assert note.first_indent_chars == profile.body.first_line_indent_chars


@pytest.mark.parametrize(
    "signed",
    ["organ: 济南市人民政府\n", "organ: 济南市人民政府\nseal: seal-city.png\n"],
    ids=["unsealed", "sealed"],
)
def test_the_last_text_paragraph_and_the_attachment_note_go_over_with_the_signature(
    compose: Compose, signed: str
) -> None:
    """7.3.5.5: a page never holds the signature block alone, nor with the 附件说明 only: the last
    paragraph of body text is kept with everything down to the date; the paragraphs before it are not."""
    paras = compose(source(signed, rest="attachments:\n- 责任分工表\n- 通讯录\n"))
    text = [index for index, para in enumerate(paras) if para.kind == "body"]
    date = next(index for index, para in enumerate(paras) if para.kind == "date")
    assert all(para.keep_with_next for para in paras[text[-1] : date])
    assert [para.kind for para in paras[text[-1] + 1 : text[-1] + 4]] == ["blank", "attachment_note", "attachment_note"]
    assert not any(paras[index].keep_with_next for index in text[:-1])
