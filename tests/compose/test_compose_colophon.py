"""The 版记 (GB/T 9704 7.4) as composed paragraphs: 主送 moved there (7.3.3), 抄送, 印发机关 and
印发日期, their indents in 4号 characters, their lines, and that they go to the foot of the last page.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from docgen.compose.paragraphs import Align, Anchor, DrawnLine, Para
from docgen.profile import Profile
from docgen.units import mm_to_pt

Compose = Callable[[str], tuple[Para, ...]]  # the compose fixture: a source's text composed
Example = Callable[[str], tuple[Para, ...]]  # the example fixture: an example's file composed
BLACK = "000000"  # 7.4.1 gives the lines no colour: black, as the text


def source(colophon: str, *, kind: str = "文件", addressees: tuple[str, ...] = ("各区县人民政府",)) -> str:
    """A notice with the 版记 YAML ``colophon`` (keys indented under colophon:)."""
    return (
        f"kind: {kind}\ntitle: 关于开展安全生产检查的通知\norgan: 济南市人民政府\ndate: 2023-04-25\n"
        f"addressees: [{', '.join(addressees)}]\npreamble:\n- 现将有关事项通知如下。\n"
        + (f"colophon:\n{colophon}" if colophon else "")
    )


COPY_TO = "  copy_to: [市委各部门, 市人大常委会办公厅, 市政协办公厅]\n"
PRINTED = "  printer: 济南市人民政府办公厅\n  print_date: 2023-04-26\n"
MANY = tuple(f"济南市第{number}中学" for number in range(1, 101))  # some 30 lines: more than a page holds


def rows_of(paras: tuple[Para, ...]) -> list[Para]:
    return [para for para in paras if para.kind == "colophon"]


def lines_of(row: Para) -> list[DrawnLine]:
    return [each for each in row.decorations if isinstance(each, DrawnLine)]


def side_pt(profile: Profile) -> float:
    """1 字 in from each side (7.4.2), a character of the 版记's 4号 size."""
    return profile.colophon.side_indent_chars * profile.char_unit_pt("colophon")


def test_copy_to_stands_one_character_in_from_each_side_wrapped_under_the_first_name(
    example: Example, profile: Profile
) -> None:
    """抄送 (7.4.2): 4号 仿宋 (the colophon role), 1 字 in from left and right, names between commas, a
    句号 after the last, wrapped lines under the first name after the colon."""
    copy_to, _ = rows_of(example("file.yaml"))
    names = "市委各部门，市人大常委会办公厅，市政协办公厅，市监委，市法院，市检察院，济南警备区"
    assert copy_to.text == f"抄送：{names}。" and [span.role for span in copy_to.spans] == ["colophon"]
    unit = profile.char_unit_pt("body")  # indents are counted in the grid's characters
    assert copy_to.first_indent_chars * unit == pytest.approx(side_pt(profile))
    assert copy_to.right_indent_chars * unit == pytest.approx(side_pt(profile))
    assert copy_to.text[copy_to.hang_at :] == f"{names}。"


def test_the_printer_stands_one_character_in_from_the_left_and_the_print_date_from_the_right(
    example: Example, profile: Profile
) -> None:
    """印发机关 and 印发日期 (7.4.3) on one line: the organ 1 字 in from the left, 2023年4月25日印发 ending 1 字
    in from the right."""
    _, printed = rows_of(example("file.yaml"))
    unit = profile.char_unit_pt("body")
    assert [(span.text, span.role) for span in printed.spans] == [("济南市人民政府办公厅", "colophon")]
    assert printed.align is Align.LEFT and printed.first_indent_chars * unit == pytest.approx(side_pt(profile))
    (date,) = printed.tabs
    assert date.text == "2023年4月25日印发" and date.spans[0].role == "colophon" and date.align is Align.RIGHT
    assert date.x_pt == pytest.approx(profile.page.block_width_pt - side_pt(profile))


@pytest.mark.parametrize(
    ("colophon", "addressees", "rows"),
    [
        (COPY_TO + PRINTED, MANY, ["主送", "抄送", "印发"]),
        (COPY_TO + PRINTED, ("各区县人民政府",), ["抄送", "印发"]),
        (PRINTED, ("各区县人民政府",), ["印发"]),
        (COPY_TO, ("各区县人民政府",), ["抄送"]),
        ("", MANY, ["主送"]),
    ],
    ids=["three rows", "two rows", "printer only", "copy only", "moved addressees only"],
)
def test_the_lines_are_thick_over_the_first_row_and_under_the_last_thin_between(
    compose: Compose, profile: Profile, colophon: str, addressees: tuple[str, ...], rows: list[str]
) -> None:
    """7.4.1: lines across the block, the first and last thick, those between thin (the profile's widths):
    a line over each row at its top, and one under the last row at its bottom."""
    found = rows_of(compose(source(colophon, addressees=addressees)))
    assert [row.text[:2] if row.text[:2] in ("主送", "抄送") else "印发" for row in found] == rows
    rules, block = profile.colophon, profile.page.block_width_pt
    thick, thin = mm_to_pt(rules.thick_mm), mm_to_pt(rules.thin_mm)
    over = [lines_of(row)[0].width_pt for row in found]
    assert over == pytest.approx([thick] + [thin] * (len(found) - 1))
    assert lines_of(found[-1])[-1].width_pt == pytest.approx(thick)
    anchors = [[line.anchor for line in lines_of(row)] for row in found]
    assert anchors == [[Anchor.PARA]] * (len(found) - 1) + [[Anchor.PARA, Anchor.PARA_END]]
    for line in (line for row in found for line in lines_of(row)):
        assert (line.y_pt, line.x0_pt, line.x1_pt) == pytest.approx((0, 0, block)) and line.color == BLACK


@pytest.mark.parametrize("name", ["file.yaml", "joint.yaml", "minutes.yaml", "landscape.yaml", "letter.yaml"])
def test_the_rows_close_the_document_kept_together_at_the_foot_of_the_last_page(example: Example, name: str) -> None:
    """The 版记 goes to the foot of the last page (7.4: its last line on the block's lower edge), all its
    rows on one page; nothing else is sent to the foot."""
    paras = example(name)
    rows = rows_of(paras)
    assert rows and paras[-len(rows) :] == tuple(rows)
    assert all(row.at_foot for row in rows) and not any(para.at_foot for para in paras[: -len(rows)])
    assert [row.keep_with_next for row in rows] == [True] * (len(rows) - 1) + [False]


def test_page_one_s_addressees_move_to_the_colophon_when_they_would_leave_no_body_there(compose: Compose) -> None:
    """7.3.3: 主送机关 too many for page 1 to show body text go to the 版记 as 主送, above 抄送, marked
    as 抄送 is; a short list stays under the title."""
    moved = compose(source(COPY_TO + PRINTED, addressees=MANY))
    assert not [para for para in moved if para.kind == "addressees"]
    first = rows_of(moved)[0]
    assert first.text == "主送：" + "，".join(MANY) + "。" and first.text[first.hang_at :].startswith(MANY[0])
    kept = compose(source(COPY_TO + PRINTED))
    assert [para.text for para in kept if para.kind == "addressees"] == ["各区县人民政府："]
    assert not any(row.text.startswith("主送") for row in rows_of(kept))


def test_a_letter_s_colophon_has_no_print_row_and_no_lines(compose: Compose) -> None:
    """10.1: a 信函's 版记 carries 抄送 only, without the 印发 row and without lines."""
    rows = rows_of(compose(source(COPY_TO + PRINTED, kind="信函")))
    assert [row.text for row in rows] == ["抄送：市委各部门，市人大常委会办公厅，市政协办公厅。"]
    assert not lines_of(rows[0]) and rows[0].at_foot
    assert rows[0].text[rows[0].hang_at :].startswith("市委各部门")


def test_a_document_without_colophon_has_no_colophon_rows(example: Example) -> None:
    assert not rows_of(example("upward.yaml")) and not rows_of(example("order.yaml"))
