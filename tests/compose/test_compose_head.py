"""The 版头 (GB/T 9704 7.2) and the heads of the letter, order and minutes (clause 10) as composed
paragraphs: where each element stands, measured from the paragraphs' heights the way the layout
stacks them (a paragraph of height h has its baseline ``baseline_ratio`` × h below its top).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from itertools import pairwise, takewhile

import pytest

from docgen.compose.document import compose_paragraphs
from docgen.compose.paragraphs import Align, Anchor, DrawnLine, Label, Para, Span
from docgen.profile import Profile
from docgen.source.loader import load_document
from docgen.text.cjk import set_width_in_chars
from docgen.units import WORD_MIN_EXACT_LINE_PT, mm_to_pt
from support import ROOT

Compose = Callable[[str], tuple[Para, ...]]  # the compose fixture: a source's text composed
Example = Callable[[str], tuple[Para, ...]]  # the example fixture: an example's file composed
CLOSE = 1e-6  # pt: sums of the same figures in another order


@dataclass(frozen=True)
class Line:
    """A head paragraph where the layout puts it: its top below the block's top, its height."""

    para: Para
    top: float
    height: float
    profile: Profile

    @property
    def spans(self) -> tuple[Span, ...]:
        return (*self.para.spans, *(span for tab in self.para.tabs for span in tab.spans))

    @property
    def size(self) -> float:
        return max(span.size_pt or self.profile.roles[span.role].size_pt for span in self.spans)

    @property
    def baseline(self) -> float:
        return self.top + self.profile.grid.baseline_ratio * self.height

    @property
    def glyph_top(self) -> float:
        return self.baseline - self.profile.header.em_ascent * self.size

    @property
    def glyph_bottom(self) -> float:
        return self.glyph_top + self.size


def head(paras: tuple[Para, ...], profile: Profile) -> list[Line]:
    """The paragraphs above the title (an order's body), each placed under the one before."""
    lines, y = [], 0.0
    for para in takewhile(lambda para: para.kind not in ("title", "body"), paras):
        height = para.height_pt or profile.grid.line_pitch_pt
        lines.append(Line(para, y, height, profile))
        y += height
    return lines


def height_of(lines: list[Line]) -> float:
    return lines[-1].top + lines[-1].height if lines else 0.0


def texts(lines: list[Line]) -> list[Line]:
    return [line for line in lines if line.spans]


def of_kind(lines: list[Line], kind: str) -> list[Line]:
    return [line for line in lines if line.para.kind == kind]


def red_line(lines: list[Line]) -> list[DrawnLine]:
    return [each for line in lines for each in line.para.decorations if isinstance(each, DrawnLine)]


def grid_line_bottom(baseline: float, profile: Profile) -> float:
    """The lower edge of the grid line whose text stands on ``baseline``."""
    return baseline + (1 - profile.grid.baseline_ratio) * profile.grid.line_pitch_pt


def width_pt(text: str, profile: Profile) -> float:
    return set_width_in_chars(text, profile.grid.western_gap_em) * profile.char_unit_pt("body")


def source(header: str = "", kind: str = "文件", organ: str = "济南市人民政府") -> str:
    """A small document of ``kind`` with the 版头 YAML ``header`` (keys indented under header:)."""
    head_keys = f"header:\n{header}" if header else ""
    return (
        f"kind: {kind}\n{head_keys}title: 关于开展安全生产检查的通知\norgan: {organ}\ndate: 2023-04-25\n"
        "preamble:\n- 现将有关事项通知如下。\n"
    )


NUMBER = "  number: 济政发〔2023〕5号\n"
LETTER_NUMBER = "  number: 济政函〔2023〕5号\n"
ELEMENTS = {
    "copy_number": '  copy_number: "000123"\n',
    "secrecy": "  secrecy: 秘密★1年\n",
    "urgency": "  urgency: 特急\n",
}
LONG_ORGAN = "济南新旧动能转换起步区管理委员会办公室"
EXAMPLES = ("file.yaml", "joint.yaml", "letter.yaml", "order.yaml", "minutes.yaml", "upward.yaml", "landscape.yaml")
VARIATIONS = {
    "no elements": source(NUMBER),
    "copy number": source(ELEMENTS["copy_number"] + NUMBER),
    "secrecy and urgency": source(ELEMENTS["secrecy"] + ELEMENTS["urgency"] + NUMBER),
    "three elements": source("".join(ELEMENTS.values()) + NUMBER),
    "mark only": source("  mark: 济南市人民政府\n"),
    "two signers": source(NUMBER + "  signers: [张明华, 李建国]\n"),
    "five signers": source(NUMBER + "  signers: [张明华, 李建国, 欧阳建国, 王立新, 赵文平]\n"),
    "shrunk mark": source(NUMBER, organ=LONG_ORGAN),
    "three names": source(NUMBER + "  mark: [中共济南市委办公厅, 济南市人民政府办公厅, 济南警备区政治工作处]\n"),
    "minutes without number": source("  mark: 济南市人民政府常务会议\n", kind="纪要"),
    "letter": source(LETTER_NUMBER, kind="信函"),
    "letter with three elements": source("".join(ELEMENTS.values()) + LETTER_NUMBER, kind="信函"),
    "letter without header": source(kind="信函"),
    "order without number": source("  mark_suffix: 令\n", kind="命令"),
    "order with copy number": source(ELEMENTS["copy_number"] + "  number: 第15号\n", kind="命令"),
}


def every_head(example: Example, compose: Compose, name: str, profile: Profile) -> list[Line]:
    """The head of an example (its file name) or of a variation (its name)."""
    paras = example(name) if name in (*EXAMPLES, "data/report.yaml") else compose(VARIATIONS[name])
    return head(paras, profile)


@pytest.mark.parametrize("name", [*EXAMPLES, "data/report.yaml", *VARIATIONS])
def test_the_head_fills_whole_grid_lines(example: Example, compose: Compose, profile: Profile, name: str) -> None:
    """The title and body below the 版头 stay on the grid: its heights add up to whole lines."""
    lines = every_head(example, compose, name, profile)
    pitch = profile.grid.line_pitch_pt
    filled = height_of(lines) / pitch
    assert filled == pytest.approx(round(filled), abs=CLOSE), (name, filled)
    assert all(line.height >= WORD_MIN_EXACT_LINE_PT for line in lines), [line.height for line in lines]


def test_a_notice_without_header_has_no_head(example: Example, profile: Profile) -> None:
    paras = example("data/report.yaml")
    assert head(paras, profile) == [] and paras[0].kind == "title"


@pytest.mark.parametrize("name", [*EXAMPLES, *VARIATIONS])
def test_every_head_line_holds_its_characters_below_the_one_before(
    example: Example, compose: Compose, profile: Profile, name: str
) -> None:
    """A line box that fits its text clips nothing (an exact line in Word cuts off what rises
    above it), and no element's characters reach into the line of the element above."""
    lines = texts(every_head(example, compose, name, profile))
    for line in lines:
        assert line.top - CLOSE <= line.glyph_top and line.glyph_bottom <= line.top + line.height + CLOSE, (
            line.para.kind,
            line.para.text,
        )
    for above, below in pairwise(lines):
        assert above.glyph_bottom <= below.glyph_top + CLOSE, (above.para.text, below.para.text)


def test_an_order_s_mark_clears_three_element_lines(compose: Compose, profile: Profile) -> None:
    lines = texts(head(compose(source("".join(ELEMENTS.values()) + "  number: 第15号\n", kind="命令")), profile))
    elements, mark = lines[2], of_kind(lines, "mark")[0]
    assert elements.glyph_bottom <= mark.glyph_top
    assert mark.top <= mark.glyph_top


@pytest.mark.parametrize(
    "present", [(), ("copy_number",), ("secrecy", "urgency"), ("copy_number", "urgency"), tuple(ELEMENTS)]
)
def test_elements_stand_flush_left_on_the_first_grid_lines_in_the_standard_s_order(
    compose: Compose, profile: Profile, present: tuple[str, ...]
) -> None:
    """份号, then 密级和保密期限, then 紧急程度 (7.2.1–7.2.2), one grid line each from the block's top."""
    lines = head(compose(source("".join(ELEMENTS[kind] for kind in present) + NUMBER)), profile)
    elements = lines[: len(present)]
    assert [line.para.kind for line in elements] == list(present)
    roles = {"copy_number": "copy_number", "secrecy": "secrecy", "urgency": "secrecy"}  # 紧急程度 is 黑体 too
    for index, line in enumerate(elements):
        assert line.para.height_pt is None and line.top == pytest.approx(index * profile.grid.line_pitch_pt)
        assert line.para.align is Align.LEFT and line.para.first_indent_chars == 0
        assert [span.role for span in line.para.spans] == [roles[line.para.kind]]
    assert lines[len(present)].para.kind in ("spacer", "mark")


@pytest.mark.parametrize(
    ("name", "top_mm"),
    [
        ("file.yaml", "header"),
        ("joint.yaml", "header"),
        ("minutes.yaml", "header"),
        ("upward.yaml", "header"),
        ("order.yaml", "order"),
        ("three elements", "header"),
        ("order with copy number", "order"),
    ],
)
def test_the_mark_s_top_edge_is_the_profile_s_distance_below_the_block(
    example: Example, compose: Compose, profile: Profile, name: str, top_mm: str
) -> None:
    """35 mm (7.2.3) for a 文件 and a 纪要, 20 mm for an order (10.2): from the profile's header and order."""
    marks = of_kind(every_head(example, compose, name, profile), "mark")
    assert marks[0].glyph_top == pytest.approx(mm_to_pt(getattr(profile, top_mm).mark_top_mm))


@pytest.mark.parametrize(("name", "organ"), [("file.yaml", "济南市人民政府"), ("shrunk mark", LONG_ORGAN)])
def test_a_single_organ_s_mark_is_centred_and_shrinks_to_fit_the_block(
    example: Example, compose: Compose, profile: Profile, name: str, organ: str
) -> None:
    (mark,) = of_kind(every_head(example, compose, name, profile), "mark")
    (span,) = mark.para.spans
    assert span.text == organ + "文件" and span.role == "mark" and mark.para.align is Align.CENTER
    block, size = profile.page.block_width_pt, profile.roles["mark"].size_pt
    expected = min(size, block / len(span.text))
    assert mark.size == pytest.approx(expected)
    assert (name == "shrunk mark") == (expected < size)  # the long name needs shrinking, the example not


@pytest.mark.parametrize(
    "names",
    [
        ("中共济南市委办公厅", "济南市人民政府办公厅"),
        ("中共济南市委办公厅", "济南市人民政府办公厅", "济南警备区政治工作处"),
    ],
)
def test_a_joint_mark_stacks_the_names_with_the_suffix_centred_beside_them(
    compose: Compose, profile: Profile, names: tuple[str, ...]
) -> None:
    """7.2.3 联合行文: the names one under another, spread to the widest, 文件 beside them in the middle."""
    lines = head(compose(source(NUMBER + f"  mark: [{', '.join(names)}]\n")), profile)
    marks = of_kind(lines, "mark")
    assert [line.para.text for line in marks] == list(names)
    rules, block, unit = profile.header, profile.page.block_width_pt, profile.char_unit_pt("body")
    size = marks[0].size
    widest, suffix = max(len(name) for name in names), "文件"
    assert size == pytest.approx(min(profile.roles["mark"].size_pt, block / (widest + rules.mark_suffix_gap_chars + 2)))
    for above, below in pairwise(marks):
        assert below.baseline - above.baseline == pytest.approx(rules.mark_line_ratio * size)
    left = marks[0].para.first_indent_chars * unit
    for line in marks:
        assert line.para.align is Align.DISTRIBUTE and line.size == size
        assert line.para.first_indent_chars * unit == pytest.approx(left)
        assert block - line.para.right_indent_chars * unit - left == pytest.approx(widest * size)  # spread as wide
    (label,) = [each for line in lines for each in line.para.decorations if isinstance(each, Label)]
    assert label.anchor is Anchor.BLOCK and label.span == Span(suffix, "mark", size)
    assert label.x_pt == pytest.approx(left + (widest + rules.mark_suffix_gap_chars) * size)
    assert label.x_pt + label.width_pt == pytest.approx(block - left)  # names and suffix centred as one
    label_top = label.baseline_pt - rules.em_ascent * size
    assert label_top + size / 2 == pytest.approx((marks[0].glyph_top + marks[-1].glyph_bottom) / 2)


@pytest.mark.parametrize("name", ["file.yaml", "joint.yaml", "three elements", "shrunk mark"])
def test_the_number_is_centred_two_lines_under_the_mark(
    example: Example, compose: Compose, profile: Profile, name: str
) -> None:
    """发文字号 (7.2.4): centred, its grid line 两行 (the profile's blank lines) under the mark's lower edge."""
    lines = every_head(example, compose, name, profile)
    (number,) = of_kind(lines, "number")
    mark = of_kind(lines, "mark")[-1]
    pitch = profile.grid.line_pitch_pt
    line_top = number.baseline - profile.grid.baseline_ratio * pitch
    assert line_top - mark.glyph_bottom == pytest.approx(profile.header.blank_lines_below_mark * pitch)
    assert number.para.align is Align.CENTER and [span.role for span in number.para.spans] == ["number"]


@pytest.mark.parametrize("name", ["file.yaml", "joint.yaml", "upward.yaml", "minutes.yaml", "five signers"])
def test_the_red_line_spans_the_block_the_profile_s_distance_under_the_number(
    example: Example, compose: Compose, profile: Profile, name: str
) -> None:
    """版头分隔线 (7.2.6): across the block, its centre 4 mm (the profile's) under the lower edge of the
    number's line of text (with 签发人, the last; in minutes, the organ and date); its width and colour."""
    lines = every_head(example, compose, name, profile)
    (rule,) = red_line(lines)
    last = texts(lines)[-1]
    assert rule.anchor is Anchor.BLOCK
    assert rule.y_pt == pytest.approx(last.glyph_bottom + mm_to_pt(profile.header.rule_below_number_mm))
    assert (rule.x0_pt, rule.x1_pt) == pytest.approx((0, profile.page.block_width_pt))
    assert rule.width_pt == pytest.approx(mm_to_pt(profile.header.rule_width_mm))
    assert rule.color == profile.header.rule_color


@pytest.mark.parametrize("name", ["file.yaml", "upward.yaml", "minutes.yaml", "no elements", "three elements"])
def test_the_title_starts_on_the_grid_line_nearest_two_lines_under_the_red_line(
    example: Example, compose: Compose, profile: Profile, name: str
) -> None:
    lines = every_head(example, compose, name, profile)
    (rule,) = red_line(lines)
    pitch, blank = profile.grid.line_pitch_pt, profile.header.blank_lines_below_rule
    assert height_of(lines) == pytest.approx(round((rule.y_pt + blank * pitch) / pitch) * pitch)
    assert (blank - 0.5) * pitch <= height_of(lines) - rule.y_pt <= (blank + 0.5) * pitch


def test_the_star_breaks_the_red_line_in_its_middle(profile: Profile) -> None:
    starred = replace(profile, header=replace(profile.header, star=True))
    lines = head(compose_paragraphs(load_document(ROOT / "examples" / "file.yaml"), starred), starred)
    left, right = red_line(lines)
    (star,) = [each for line in lines for each in line.para.decorations if isinstance(each, Label)]
    block, size = profile.page.block_width_pt, profile.roles["number"].size_pt
    assert star.span.text == "★" and star.anchor is Anchor.BLOCK
    assert star.x_pt + star.width_pt / 2 == pytest.approx(block / 2)  # in the middle
    assert (left.x0_pt, right.x1_pt) == pytest.approx((0, block))
    assert left.x1_pt <= star.x_pt and star.x_pt + star.width_pt <= right.x0_pt  # the line stops short of it
    assert left.x1_pt + right.x0_pt == pytest.approx(block)  # by as much on each side
    assert left.y_pt == right.y_pt and {left.color, right.color} == {profile.header.rule_color}
    star_top = star.baseline_pt - profile.header.em_ascent * size
    assert star_top < left.y_pt < star_top + size  # the line runs through the star


@pytest.mark.parametrize(
    "signers", [("张明华",), ("张明华", "李建国", "欧阳建国"), ("张明华", "李建国", "欧阳建国", "王立新", "赵文平")]
)
def test_signers_stand_one_character_in_from_the_right_on_the_number_s_line(
    compose: Compose, profile: Profile, signers: tuple[str, ...]
) -> None:
    """签发人 (7.2.5): two names a line, later lines under the first name, the widest line 1 字 from the
    right; the number 1 字 from the left on the line of the last names; 签发人： just left of the names."""
    lines = head(compose(source(NUMBER + f"  signers: [{', '.join(signers)}]\n")), profile)
    rows = of_kind(lines, "signer")
    unit, block, pitch = profile.char_unit_pt("body"), profile.page.block_width_pt, profile.grid.line_pitch_pt
    expected_rows = ["　".join(signers[i : i + 2]) for i in range(0, len(signers), 2)]
    names = [row.para.tabs[-1] for row in rows]
    assert [tab.text for tab in names] == expected_rows
    assert {tab.spans[0].role for tab in names} == {"signer"} and {tab.align for tab in names} == {Align.LEFT}
    assert len({tab.x_pt for tab in names}) == 1  # later names under the first
    assert max(tab.x_pt + width_pt(tab.text, profile) for tab in names) == pytest.approx(block - unit)
    label = rows[0].para.tabs[0]
    assert label.text == "签发人：" and label.spans[0].role == "signer_label"
    assert label.x_pt + width_pt(label.text, profile) == pytest.approx(names[0].x_pt)
    assert all(len(row.para.tabs) == 1 for row in rows[1:])
    assert not any(row.para.spans for row in rows[:-1])  # the number is on the last line only
    last = rows[-1].para
    assert [(span.text, span.role) for span in last.spans] == [("济政发〔2023〕5号", "number")]
    assert last.align is Align.LEFT and last.first_indent_chars == 1
    for above, below in pairwise(rows):
        assert below.baseline - above.baseline == pytest.approx(pitch)
    assert not of_kind(lines, "number")


def test_minutes_put_the_issue_under_the_mark_and_organ_and_date_on_the_next_line(
    example: Example, profile: Profile
) -> None:
    """纪要 (10.3): 济南市人民政府常务会议纪要, 第15期 centred two lines under it, then the organ 1 字 from the
    left and the date 1 字 from the right."""
    lines = head(example("minutes.yaml"), profile)
    (mark,) = of_kind(lines, "mark")
    issue, organ = of_kind(lines, "number")
    assert mark.para.text == "济南市人民政府常务会议纪要"
    assert issue.para.text == "第15期" and issue.para.align is Align.CENTER
    pitch = profile.grid.line_pitch_pt
    first = mark.glyph_bottom + (profile.header.blank_lines_below_mark + profile.grid.baseline_ratio) * pitch
    assert issue.baseline == pytest.approx(first) and organ.baseline == pytest.approx(first + pitch)
    assert organ.para.text.startswith("济南市人民政府办公厅") and organ.para.first_indent_chars == 1
    (date,) = organ.para.tabs
    assert date.text == "2023年6月20日" and date.align is Align.RIGHT
    assert date.x_pt == pytest.approx(profile.page.block_width_pt - profile.char_unit_pt("body"))


def test_minutes_without_an_issue_number_put_organ_and_date_on_its_line(compose: Compose, profile: Profile) -> None:
    lines = head(compose(VARIATIONS["minutes without number"]), profile)
    (mark,) = of_kind(lines, "mark")
    (organ,) = of_kind(lines, "number")
    pitch = profile.grid.line_pitch_pt
    blank = profile.header.blank_lines_below_mark
    assert organ.baseline == pytest.approx(mark.glyph_bottom + (blank + profile.grid.baseline_ratio) * pitch)
    assert organ.para.spans[0].text == "济南市人民政府" and organ.para.tabs[0].text == "2023年4月25日"


def test_an_order_s_number_and_body_stand_the_order_s_blank_lines_apart(example: Example, profile: Profile) -> None:
    """命令 (10.2): mark = organ + 令, the 令号 centred 两行 under it, the body 两行 under that: the
    profile's order settings. There is no title line."""
    paras = example("order.yaml")
    lines = head(paras, profile)
    (mark,) = of_kind(lines, "mark")
    (number,) = of_kind(lines, "number")
    assert mark.para.text == "济南市人民政府令" and number.para.text == "第15号"
    assert number.para.align is Align.CENTER and not red_line(lines)
    pitch, ratio = profile.grid.line_pitch_pt, profile.grid.baseline_ratio
    line_top = number.baseline - ratio * pitch
    assert line_top - mark.glyph_bottom == pytest.approx(profile.order.blank_lines_below_mark * pitch)
    body_top = grid_line_bottom(number.baseline, profile) + profile.order.blank_lines_below_number * pitch
    assert height_of(lines) == pytest.approx(round(body_top / pitch) * pitch)
    assert paras[len(lines)].kind == "body" and "title" not in [para.kind for para in paras]


def test_an_order_s_mark_ends_with_the_default_suffix(compose: Compose, profile: Profile) -> None:
    (mark,) = of_kind(head(compose(source("  number: 第15号\n", kind="命令")), profile), "mark")
    assert mark.para.text == "济南市人民政府命令"


def letter_rules(lines: list[Line]) -> tuple[Label, list[DrawnLine]]:
    decorations = lines[0].para.decorations
    (mark,) = [each for each in decorations if isinstance(each, Label)]
    return mark, [each for each in decorations if isinstance(each, DrawnLine)]


def test_a_letter_s_mark_stands_the_letter_s_distance_below_the_page_s_top(example: Example, profile: Profile) -> None:
    """信函 (10.1): the mark 30 mm (the profile's) from the page's top edge, above the block, centred."""
    mark, _ = letter_rules(head(example("letter.yaml"), profile))
    block, rules = profile.page.block_width_pt, profile.letter
    text = "济南市人民政府办公厅"  # a letter's mark carries no 文件
    size = min(rules.mark_size_pt, block / len(text))
    assert mark.span == Span(text, "mark", size) and mark.anchor is Anchor.BLOCK
    assert mark.baseline_pt - profile.header.em_ascent * size == pytest.approx(
        mm_to_pt(rules.mark_top_mm - profile.page.top_mm)
    )
    assert mark.width_pt == pytest.approx(len(text) * size)
    assert mark.x_pt + mark.width_pt / 2 == pytest.approx(block / 2)


@pytest.mark.parametrize("name", ["letter.yaml", "letter without header"])
def test_a_letter_s_double_lines_are_thick_over_thin_under_the_mark_and_thin_over_thick_above_the_foot(
    example: Example, compose: Compose, profile: Profile, name: str
) -> None:
    """10.1: red double lines 170 mm long centred on the page, 4 mm under the mark and 20 mm above the
    page's bottom edge: every figure the profile's letter settings."""
    mark, lines = letter_rules(every_head(example, compose, name, profile))
    rules, page = profile.letter, profile.page
    thick, thin, gap = mm_to_pt(rules.thick_mm), mm_to_pt(rules.thin_mm), mm_to_pt(rules.gap_mm)
    assert [line.width_pt for line in lines] == pytest.approx([thick, thin, thin, thick])
    upper = [(line.y_pt - line.width_pt / 2, line.y_pt + line.width_pt / 2) for line in lines]
    mark_bottom = mark.baseline_pt - profile.header.em_ascent * mark.span.size_pt + mark.span.size_pt
    assert upper[0][0] == pytest.approx(mark_bottom + mm_to_pt(rules.rule_below_mark_mm))
    assert upper[1][0] - upper[0][1] == pytest.approx(gap) and upper[3][0] - upper[2][1] == pytest.approx(gap)
    assert upper[3][1] == pytest.approx(mm_to_pt(page.height_mm - page.top_mm - rules.rule_above_bottom_mm))
    for line in lines:
        assert line.x1_pt - line.x0_pt == pytest.approx(mm_to_pt(rules.rule_length_mm))
        assert mm_to_pt(page.left_mm) + (line.x0_pt + line.x1_pt) / 2 == pytest.approx(mm_to_pt(page.width_mm) / 2)
        assert line.color == profile.header.rule_color and line.anchor is Anchor.BLOCK


@pytest.mark.parametrize(("name", "elements"), [("letter.yaml", 1), ("letter with three elements", 3), ("letter", 0)])
def test_a_letter_s_elements_and_number_stand_seven_eighths_of_a_character_under_the_double_line(
    example: Example, compose: Compose, profile: Profile, name: str, elements: int
) -> None:
    """10.1: 份号, 密级, 紧急程度 flush left one under another, the number flush right on the first of
    those lines, the first 3号汉字高度的7/8 under the first double line; the title two lines under the last."""
    lines = every_head(example, compose, name, profile)
    _, rules = letter_rules(lines)
    shown = texts(lines)
    assert len(shown) == max(elements, 1)
    body_size, pitch = profile.roles["body"].size_pt, profile.grid.line_pitch_pt
    double_bottom = rules[1].y_pt + rules[1].width_pt / 2
    first = shown[0]
    assert first.baseline - profile.header.em_ascent * body_size == pytest.approx(double_bottom + 7 / 8 * body_size)
    (number,) = first.para.tabs
    assert number.align is Align.RIGHT and number.x_pt == pytest.approx(profile.page.block_width_pt)
    assert number.spans[0].role == "number" and number.text.endswith("号")
    for above, below in pairwise(shown):
        assert below.baseline - above.baseline == pytest.approx(pitch) and not below.para.tabs
    assert all(line.para.align is Align.LEFT and line.para.first_indent_chars == 0 for line in shown)
    last_bottom = shown[-1].baseline + (1 - profile.header.em_ascent) * body_size
    assert height_of(lines) == pytest.approx(round((last_bottom + 2 * pitch) / pitch) * pitch)
