"""Every element of GB/T 9704 in the examples/ sources, measured from the PDF docgen writes.

Positions are read back from the file (docgen.measure.pdf), in millimetres from the page's
top-left corner, and compared with docs/reference/gbt9704-layout.md within ±0.5 mm.
LibreOffice's rendering of the same examples' DOCX is measured in test_docx_formats.py.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

import pytest
from click.testing import CliRunner

from docgen.cli import main
from docgen.layout.fonts import ResolvedFace
from docgen.measure.pdf import (
    Char,
    Page,
    Placed,
    Stroke,
    TextLine,
    em_bottom_mm,
    em_top_mm,
    grid_of,
    is_table_cell,
    line_top_mm,
    read_pdf,
    read_pictures,
    read_strokes,
)
from docgen.profile import Profile, load_profile
from docgen.render.pdf.writer import render_pdf
from docgen.source.loader import load_document
from docgen.units import MM_PER_PT
from support import ROOT, laid_out, postscript_name

EXAMPLES = ROOT / "examples"
PROFILE = load_profile()
_PAGE = PROFILE.page
TOP, LEFT = _PAGE.top_mm, _PAGE.left_mm  # the text block: 37, 28, 184 and 262 mm
RIGHT, BOTTOM = _PAGE.width_mm - _PAGE.right_mm, _PAGE.height_mm - _PAGE.bottom_mm
CHAR = PROFILE.char_unit_pt("body") * MM_PER_PT  # one 字 of the body
PITCH = PROFILE.grid.line_pitch_pt * MM_PER_PT
EM = PROFILE.header.em_ascent
TOLERANCE = 0.5


@dataclass(frozen=True)
class Example:
    pages: list[Page]
    strokes: list[Stroke]
    pictures: list[Placed]

    def line(self, text: str, page: int | None = None) -> TextLine:
        found = [line for p in self.pages if page is None or p.number == page for line in p.lines if text in line.text]
        assert found, f"no line with {text!r}"
        return found[0]

    def numbers(self) -> list[str]:
        """The page-number line of each page ('' where there is none)."""
        return [next((line.text for line in page.lines if line.baseline_mm > BOTTOM + 5), "") for page in self.pages]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, profile: Profile) -> dict[str, Example]:
    folder = tmp_path_factory.mktemp("examples")
    examples = {}
    for source in sorted(EXAMPLES.glob("*.yaml")):
        pdf = folder / f"{source.stem}.pdf"
        pdf.write_bytes(render_pdf(laid_out(load_document(source), profile), profile))
        examples[source.stem] = Example(read_pdf(pdf), read_strokes(pdf), read_pictures(pdf))
    return examples


def centre(line: TextLine) -> float:
    return (line.x0_mm + line.x1_mm) / 2


def test_every_example_builds_and_keeps_every_page_of_its_body_on_the_grid(
    built: dict[str, Example], profile: Profile
) -> None:
    """Below the 版头 (placed by millimetres) every line sits on its grid slot, page 1 included."""
    assert set(built) >= {"file", "joint", "upward", "letter", "order", "minutes"}
    for name, example in built.items():
        for page in example.pages:
            grid = grid_of(page, profile)
            lines = [
                (line, offset)
                for line, offset in zip(grid.body, grid.offsets_mm, strict=True)
                if not is_table_cell(line)
            ]
            if page.number == 1:
                start = next(i for i, (line, _) in enumerate(lines) if _starts_body(name, line))
                lines = lines[start:]
            worst = max((abs(offset) for _, offset in lines), default=0.0)
            assert worst <= TOLERANCE, (name, page.number, worst)


def _starts_body(name: str, line: TextLine) -> bool:
    """The first line under the 版头: the title, or an order's first body line (orders have no title)."""
    if name == "order":
        return line.text.startswith("《")
    return any(char.size == 22 for char in line.chars)


def test_header_of_a_file_copy_number_secrecy_urgency_mark_number_and_red_line(
    built: dict[str, Example], faces: dict[str, ResolvedFace]
) -> None:
    file = built["file"]
    for slot, text in enumerate(("000123", "秘密★1年", "特急")):
        line = file.line(text, page=1)
        assert line.x0_mm == pytest.approx(LEFT, abs=TOLERANCE)
        assert line_top_mm(line, _profile()) == pytest.approx(TOP + slot * PITCH, abs=TOLERANCE)
    mark = file.line("济南市人民政府文件", page=1)
    assert em_top_mm(mark, EM) == pytest.approx(TOP + 35, abs=TOLERANCE)
    assert centre(mark) == pytest.approx((LEFT + RIGHT) / 2, abs=TOLERANCE)
    assert face_keys(mark.chars, faces) == {"xiaobiaosong"}
    assert face_keys(file.line("秘密★1年").chars, faces) == {"heiti"}
    number = file.line("济政发〔2023〕5号", page=1)
    assert line_top_mm(number, _profile()) - em_bottom_mm(mark, EM) == pytest.approx(2 * PITCH, abs=TOLERANCE)
    assert centre(number) == pytest.approx((LEFT + RIGHT) / 2, abs=TOLERANCE)
    rule = next(stroke for stroke in file.strokes if stroke.page == 1)
    assert rule.y_mm - em_bottom_mm(number, EM) == pytest.approx(4.0, abs=TOLERANCE)
    assert (rule.x0_mm, rule.x1_mm) == (pytest.approx(LEFT, abs=0.1), pytest.approx(RIGHT, abs=0.1))
    assert rule.color == (1.0, 0.0, 0.0)
    title = file.line("济南市人民政府关于做好", page=1)
    assert 1.5 * PITCH <= line_top_mm(title, _profile()) - rule.y_mm <= 2.5 * PITCH


def test_upward_document_has_number_and_signer_on_one_line(
    built: dict[str, Example], faces: dict[str, ResolvedFace]
) -> None:
    line = built["upward"].line("签发人", page=1)
    assert line.text.startswith("济政呈〔2023〕3号")
    assert line.x0_mm == pytest.approx(LEFT + CHAR, abs=TOLERANCE)
    assert line.x1_mm == pytest.approx(RIGHT - CHAR, abs=TOLERANCE)
    label = [char for char in line.chars if char.text in "签发人"]
    name = [char for char in line.chars if char.text in "张明华"]
    assert face_keys(label, faces) == {"fangsong"} and face_keys(name, faces) == {"kaiti"}


def test_joint_mark_stacks_names_with_the_suffix_beside_them(built: dict[str, Example]) -> None:
    joint = built["joint"]
    first, second = joint.line("中共济南市委办公厅", page=1), joint.line("济南市人民政府办公厅", page=1)
    suffix = joint.line("文件", page=1)
    assert em_top_mm(first, EM) == pytest.approx(TOP + 35, abs=TOLERANCE)
    assert first.x0_mm == pytest.approx(second.x0_mm, abs=TOLERANCE)
    assert first.x1_mm == pytest.approx(second.x1_mm, abs=TOLERANCE)  # distributed to one width
    assert suffix.x0_mm > second.x1_mm
    middle = (em_top_mm(first, EM) + em_bottom_mm(second, EM)) / 2
    assert (em_top_mm(suffix, EM) + em_bottom_mm(suffix, EM)) / 2 == pytest.approx(middle, abs=TOLERANCE)
    group = (first.x0_mm + next(c for c in suffix.chars if c.text == "件").x1_mm) / 2
    assert group == pytest.approx((LEFT + RIGHT) / 2, abs=1.0)


def _last_body_line(example: Example, page: int, before: TextLine) -> TextLine:
    lines = [line for line in example.pages[page - 1].lines if line.baseline_mm < before.baseline_mm]
    return lines[-1]


def test_seal_is_centred_on_signature_and_date_and_its_top_within_a_line_of_the_body(
    built: dict[str, Example],
) -> None:
    file = built["file"]
    date = file.line("2023年4月25日")
    signature = next(line for line in file.pages[date.page - 1].lines if line.text == "济南市人民政府")
    (seal,) = [picture for picture in file.pictures if picture.page == date.page]
    assert date.x1_mm == pytest.approx(RIGHT - 4 * CHAR, abs=TOLERANCE)  # 右空四字
    assert centre(signature) == pytest.approx(centre(date), abs=TOLERANCE)
    assert (seal.x0_mm + seal.x1_mm) / 2 == pytest.approx(centre(date), abs=TOLERANCE)
    seal_centre = (seal.top_mm + seal.bottom_mm) / 2
    assert seal.x1_mm - seal.x0_mm == pytest.approx(42, abs=0.1)
    assert em_top_mm(signature, EM) > seal_centre  # name and date just below the seal's centre
    assert em_top_mm(signature, EM) - seal_centre < PITCH / 2
    assert em_bottom_mm(date, EM) < seal.bottom_mm
    body_end = em_bottom_mm(_last_body_line(file, date.page, signature), EM)
    assert 0 <= seal.top_mm - body_end <= PITCH  # 印章顶端上距正文一行之内


def test_joint_seals_are_aligned_do_not_touch_and_the_last_sits_over_the_date(built: dict[str, Example]) -> None:
    joint = built["joint"]
    date = joint.line("2023年5月8日")
    seals = sorted((p for p in joint.pictures if p.page == date.page), key=lambda p: p.x0_mm)
    assert len(seals) == 2
    assert seals[0].top_mm == pytest.approx(seals[1].top_mm, abs=0.01)
    assert seals[1].x0_mm - seals[0].x1_mm > 1.0  # 互不相交或相切
    assert seals[0].x0_mm >= LEFT - 0.01 and seals[1].x1_mm <= RIGHT + 0.01
    assert (seals[1].x0_mm + seals[1].x1_mm) / 2 == pytest.approx(centre(date), abs=TOLERANCE)
    names = next(line for line in joint.pages[date.page - 1].lines if "中共济南市委办公厅" in line.text)
    first_name = [c for c in names.chars if c.x1_mm < (seals[0].x1_mm + seals[1].x0_mm) / 2]
    assert (first_name[0].x0_mm + first_name[-1].x1_mm) / 2 == pytest.approx(
        (seals[0].x0_mm + seals[0].x1_mm) / 2, abs=TOLERANCE
    )


def test_attachment_note_hangs_and_attachments_start_new_pages(
    built: dict[str, Example], faces: dict[str, ResolvedFace]
) -> None:
    file = built["file"]
    first = file.line("附件：1.2023年防汛重点工程")
    second = file.line("2.济南市防汛抗旱指挥部")
    assert first.x0_mm == pytest.approx(LEFT + 2 * CHAR, abs=TOLERANCE)
    one = next(char for char in first.chars if char.text == "1")
    assert second.x0_mm == pytest.approx(one.x0_mm, abs=TOLERANCE)
    label = file.line("附件1")
    assert label.page > first.page and label.x0_mm == pytest.approx(LEFT, abs=TOLERANCE)
    assert line_top_mm(label, _profile()) == pytest.approx(TOP, abs=TOLERANCE)
    assert face_keys(label.chars[:2], faces) == {"heiti"}
    title = file.line("2023年防汛重点工程责任分工表", page=label.page)
    assert line_top_mm(title, _profile()) == pytest.approx(TOP + 2 * PITCH, abs=TOLERANCE)  # 第三行
    assert centre(title) == pytest.approx((LEFT + RIGHT) / 2, abs=TOLERANCE)
    note = file.line("（此件公开发布）")
    date = file.line("2023年4月25日")
    assert note.baseline_mm - date.baseline_mm == pytest.approx(PITCH, abs=0.05)
    assert note.x0_mm == pytest.approx(LEFT + 2 * CHAR, abs=TOLERANCE)


def test_table_lies_on_the_block_and_the_text_after_it_stays_on_the_grid(built: dict[str, Example]) -> None:
    file = built["file"]
    header = file.line("序号")
    assert header.text == "序号工程名称责任单位完成时限"
    for row in ("小清河防洪综合治理工程", "玉符河河道清淤疏浚工程", "城区易涝点改造工程", "合计"):
        assert file.line(row, page=header.page)
    borders = [s for s in file.strokes if s.page == header.page and s.x0_mm < LEFT + 1 and s.x1_mm > RIGHT - 1]
    assert len({round(s.y_mm, 1) for s in borders}) == 6  # top, under the header, 3 rows, totals
    tops = sorted({round(s.y_mm, 2) for s in borders})
    for upper, lower in pairwise(tops):
        assert (lower - upper) / PITCH == pytest.approx(round((lower - upper) / PITCH), abs=0.02)


def test_colophon_ends_on_the_bottom_edge_of_an_even_page(built: dict[str, Example]) -> None:
    for name in ("file", "joint", "minutes"):
        example = built[name]
        copy = example.line("抄送：")
        assert copy.page % 2 == 0, name
        lines = [s for s in example.strokes if s.page == copy.page and s.color in ((0,), (0.0,), (0.0, 0.0, 0.0))]
        lines = [s for s in lines if s.x0_mm < LEFT + 0.5 and s.x1_mm > RIGHT - 0.5 and s.y_mm > copy.baseline_mm - 12]
        widths = [round(s.width_mm, 2) for s in lines]
        assert widths == [0.35, 0.25, 0.35], (name, widths)
        assert lines[-1].y_mm == pytest.approx(BOTTOM, abs=TOLERANCE), name
        assert copy.x0_mm == pytest.approx(LEFT + 14 * MM_PER_PT * 156 / 28 / (16 * MM_PER_PT), abs=TOLERANCE)
        issued = example.line("印发", page=copy.page)
        assert issued.x1_mm == pytest.approx(RIGHT - CHAR * 14 / 16, abs=TOLERANCE)
        assert {char.size for char in copy.chars} == {14.0}
    wrapped = built["file"].line("市法院")
    colon = next(char for char in built["file"].line("抄送：").chars if char.text == "：")
    assert wrapped.x0_mm == pytest.approx(colon.x1_mm, abs=TOLERANCE)


def test_blank_pages_before_the_colophon_and_the_colophon_page_carry_no_number(
    tmp_path: Path, profile: Profile
) -> None:
    """A body that fills page 2 to its last line: page 3 is left blank, the 版记 closes page 4."""
    line = "为切实做好防汛抗旱工作确保人民群众生命财产安全现将有关事项通知如下各级各部门要高度重视"[:26]
    for count in range(20, 50):
        source = tmp_path / f"n{count}.yaml"
        paragraphs = "\n".join(f"- {line}" for _ in range(count))
        source.write_text(
            f"title: 测试通知\norgan: 济南市人民政府\ndate: 2023-04-25\npreamble:\n{paragraphs}\n"
            "colophon:\n  copy_to: [市委各部门]\n  printer: 济南市人民政府办公厅\n  print_date: 2023-04-25\n",
            encoding="utf-8",
        )
        pdf = tmp_path / f"n{count}.pdf"
        pdf.write_bytes(render_pdf(laid_out(load_document(source), profile), profile))
        example = Example(read_pdf(pdf), [], [])
        if len(example.pages) == 4 and not [ln for ln in example.pages[2].lines]:
            break
    else:
        pytest.fail("no body length left page 3 blank")
    assert [number.replace(" ", "") for number in example.numbers()[:2]] == ["—1—", "—2—"]
    assert example.numbers()[2:] == ["", ""]
    assert example.line("抄送：").page == 4


def test_letter_head_double_lines_and_no_number_on_page_one(built: dict[str, Example]) -> None:
    letter = built["letter"]
    mark = letter.line("济南市人民政府办公厅", page=1)
    assert em_top_mm(mark, EM) == pytest.approx(30, abs=TOLERANCE)  # from the page's top edge
    red = [s for s in letter.strokes if s.page == 1 and s.color == (1.0, 0.0, 0.0)]
    assert len(red) == 4
    for stroke in red:
        assert (stroke.x0_mm, stroke.x1_mm) == (pytest.approx(20, abs=0.1), pytest.approx(190, abs=0.1))
    upper, lower = red[:2], red[2:]
    assert upper[0].width_mm > upper[1].width_mm and lower[0].width_mm < lower[1].width_mm  # 上粗下细, 上细下粗
    assert upper[0].y_mm - upper[0].width_mm / 2 - em_bottom_mm(mark, EM) == pytest.approx(4, abs=TOLERANCE)
    assert lower[1].y_mm + lower[1].width_mm / 2 == pytest.approx(297 - 20, abs=TOLERANCE)
    number = letter.line("济政办函〔2023〕21号", page=1)
    assert number.x1_mm == pytest.approx(RIGHT, abs=TOLERANCE)
    copy_number = letter.line("000015", page=1)
    assert copy_number.x0_mm == pytest.approx(LEFT, abs=TOLERANCE)
    first_line_bottom = upper[1].y_mm + upper[1].width_mm / 2
    assert em_top_mm(copy_number, EM) - first_line_bottom == pytest.approx(7 / 8 * 16 * MM_PER_PT, abs=TOLERANCE)
    assert letter.numbers()[0] == ""
    copy = letter.line("抄送：")
    assert copy.page == len(letter.pages)
    assert not [s for s in letter.strokes if s.page == copy.page and s.color != (1.0, 0.0, 0.0)]


def test_order_mark_number_and_signature_seal(built: dict[str, Example]) -> None:
    order = built["order"]
    mark = order.line("济南市人民政府令", page=1)
    assert em_top_mm(mark, EM) == pytest.approx(TOP + 20, abs=TOLERANCE)
    number = order.line("第15号", page=1)
    assert line_top_mm(number, _profile()) - em_bottom_mm(mark, EM) == pytest.approx(2 * PITCH, abs=TOLERANCE)
    body = order.line("《济南市城市绿化管理办法》已经", page=1)
    assert line_top_mm(body, _profile()) - (line_top_mm(number, _profile()) + PITCH) == pytest.approx(
        2 * PITCH, abs=PITCH / 2 + TOLERANCE
    )
    title = order.line("市长", page=1)
    (seal,) = [p for p in order.pictures if p.page == 1]
    assert seal.x1_mm == pytest.approx(RIGHT - 4 * CHAR, abs=TOLERANCE)
    assert seal.x0_mm - title.x1_mm == pytest.approx(2 * CHAR, abs=TOLERANCE)
    glyph_middle = (em_top_mm(title, EM) + em_bottom_mm(title, EM)) / 2
    assert glyph_middle == pytest.approx((seal.top_mm + seal.bottom_mm) / 2, abs=TOLERANCE)
    date = order.line("2023年7月1日", page=1)
    assert em_top_mm(date, EM) - seal.bottom_mm >= PITCH - (PITCH - 16 * MM_PER_PT)  # 下空一行
    assert date.x1_mm == pytest.approx(RIGHT - 4 * CHAR, abs=TOLERANCE)
    assert not any(line.text == "济南市城市绿化管理办法" for line in order.pages[0].lines)  # an order has no title line


def test_minutes_mark_and_attendance(built: dict[str, Example], faces: dict[str, ResolvedFace]) -> None:
    minutes = built["minutes"]
    mark = minutes.line("济南市人民政府常务会议纪要", page=1)
    assert em_top_mm(mark, EM) == pytest.approx(TOP + 35, abs=TOLERANCE)
    present = minutes.line("出席：")
    label = [char for char in present.chars[:3]]
    assert face_keys(label, faces) == {"heiti"}
    assert face_keys(present.chars[3:], faces) == {"fangsong"}
    assert present.x0_mm == pytest.approx(LEFT + 2 * CHAR, abs=TOLERANCE)
    wrapped = minutes.line("吴春明")  # the names' second line, carried to page 2
    # Under the first name as set before justification spread the first line (as Word's hanging indent).
    label = 3 * (16 - 0.25) * MM_PER_PT
    assert wrapped.x0_mm == pytest.approx(present.x0_mm + label, abs=TOLERANCE)
    assert len(minutes.line("列席：").chars) > 3


def test_same_input_gives_the_same_bytes(profile: Profile) -> None:
    document = load_document(EXAMPLES / "file.yaml")
    assert render_pdf(laid_out(document, profile), profile) == render_pdf(laid_out(document, profile), profile)


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("number", "济政发〔2023〕第5号", "no 第"),
        ("number", "济政发〔2023〕05号", "leading zero"),
        ("number", "济政发[2023]5号", "六角括号"),
        ("number", "济政发5号", "is not a 发文字号"),
        ("copy_number", "12345", "six"),
        ("urgency", "很急", "特急 or 加急"),
    ],
)
def test_bad_header_values_are_refused_with_their_line(tmp_path: Path, key: str, value: str, message: str) -> None:
    source = tmp_path / "bad.yaml"
    source.write_text(
        f"title: 通知\norgan: 济南市人民政府\ndate: 2023-04-25\nheader:\n  {key}: '{value}'\n", encoding="utf-8"
    )
    result = CliRunner().invoke(main, ["build", str(source), "-o", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert f"{source}:5:" in result.output and message in result.output
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


@pytest.mark.parametrize(
    ("extra", "line", "message"),
    [
        ("date: 2023年04月25日\n", 3, "leading zero"),
        ("date: 2023-04-25\ncolophon:\n  copy_to: 市委各部门，市法院\n", 5, "ends with 。"),
        ("date: 2023-04-25\ncolophon:\n  copy_to: [市委各部门。]\n", 5, "without punctuation"),
        ("date: 2023-04-25\nseal: missing.png\n", 4, "missing.png"),
        ("date: 2023-04-25\nseal: notes.png\n", 4, "notes.png"),
        ("date: 2023-04-25\nattachments: [名单。]\n", 4, "without punctuation"),
        ("date: 2023-04-25\nseals: [a.png, b.png]\n", 4, "one seal per organ"),
    ],
)
def test_bad_values_are_refused_with_their_line(tmp_path: Path, extra: str, line: int, message: str) -> None:
    (tmp_path / "notes.png").write_text("这不是图片", encoding="utf-8")
    source = tmp_path / "bad.yaml"
    source.write_text(f"title: 通知\norgan: 济南市人民政府\n{extra}", encoding="utf-8")
    result = CliRunner().invoke(main, ["build", str(source), "-o", str(tmp_path / "out")])
    assert result.exit_code == 2, result.output
    assert f"{source}:{line}:" in result.output and message in result.output, result.output
    assert "Traceback" not in result.output


def face_keys(chars: Iterable[Char], faces: dict[str, ResolvedFace]) -> set[str]:
    """The profile's face keys the characters are set in (PDF names carry a suffix after the PostScript name)."""
    names = {key: postscript_name(face) for key, face in faces.items() if key != "fallback"}
    return {next(key for key, name in names.items() if char.font.startswith(name)) for char in chars}


def _profile() -> Profile:
    from docgen.profile import load_profile

    return load_profile()


def test_docgen_check_passes_the_examples_and_catches_a_misplaced_head(
    built: dict[str, Example], tmp_path: Path, profile: Profile
) -> None:
    from docgen.check.checker import check_file
    from docgen.profile import load_profile
    from docgen.render.docx.writer import render_docx

    for name in ("file", "letter", "order", "joint", "minutes", "upward", "landscape"):
        document = load_document(EXAMPLES / f"{name}.yaml")
        pdf, docx_file = tmp_path / f"{name}.pdf", tmp_path / f"{name}.docx"
        pdf.write_bytes(render_pdf(laid_out(document, profile), profile))
        docx_file.write_bytes(render_docx(laid_out(document, profile), profile))
        assert check_file(pdf, profile) == [], name
        assert check_file(docx_file, profile, render_docx=False) == [], name  # its XML; test_docx_formats renders
    moved = tmp_path / "moved.yaml"
    text = profile.source.read_text(encoding="utf-8")
    for right, wrong in (
        # 32 mm, not higher: the example's 份号, 密级 and 紧急程度 reach 30.6 mm, and a mark never starts above them.
        ("mark_top_mm: 35", "mark_top_mm: 32"),
        ("rule_below_number_mm: 4", "rule_below_number_mm: 8"),
        ("  date_right_indent_chars: 4", "  date_right_indent_chars: 2"),
    ):
        assert right in text
        text = text.replace(right, wrong)
    moved.write_text(text, encoding="utf-8")
    misplaced = tmp_path / "misplaced.pdf"
    misplaced.write_bytes(
        render_pdf(laid_out(load_document(EXAMPLES / "file.yaml"), load_profile(moved)), load_profile(moved))
    )
    found = {(finding.clause, finding.rule): finding.measured for finding in check_file(misplaced, profile)}
    assert found[("7.2.3", "issuing-organ mark")] == "top edge 32.0 mm below the block's top"
    assert found[("7.2.6", "separator line")] == "8.0 mm under the 发文字号"
    assert found[("7.3.5.1", "date with a seal")] == "2.0 characters in"


def _paragraph_source(tmp_path: Path, name: str, count: int, extra: str = "") -> Path:
    line = "为切实做好防汛抗旱工作确保人民群众生命财产安全现将有关事项通知如下各级"
    paragraphs = "\n".join(f"- {line[:26]}" for _ in range(count))
    source = tmp_path / f"{name}.yaml"
    source.write_text(
        f"title: 测试通知\norgan: 济南市人民政府\ndate: 2023-04-25\n{extra}preamble:\n{paragraphs}\n", encoding="utf-8"
    )
    return source


def test_the_signature_block_never_stands_alone_on_the_last_page(tmp_path: Path, profile: Profile) -> None:
    """7.3.5.5: a body filling page 1 to its last line takes its last line over with the signature."""
    title_lines = 3  # the title, the blank line under it
    source = _paragraph_source(tmp_path, "full", 22 - title_lines + 1)
    pdf = tmp_path / "full.pdf"
    pdf.write_bytes(render_pdf(laid_out(load_document(source), profile), profile))
    pages = read_pdf(pdf)
    assert len(pages) == 2
    second = [line.text for line in pages[1].lines if line.baseline_mm < BOTTOM]
    assert second[0].startswith("为切实做好"), second  # body text, then the block
    assert second[-2:] == ["济南市人民政府", "2023年4月25日"]


def test_addressees_that_would_fill_page_one_move_to_the_colophon(tmp_path: Path, profile: Profile) -> None:
    names = ", ".join(f"第{n}区县人民政府办公室综合科" for n in range(1, 60))
    source = _paragraph_source(tmp_path, "many", 3, f"addressees: [{names}]\n")
    pdf = tmp_path / "many.pdf"
    pdf.write_bytes(render_pdf(laid_out(load_document(source), profile), profile))
    example = Example(read_pdf(pdf), read_strokes(pdf), [])
    assert example.line("为切实做好").page == 1  # page 1 shows body text (7.3.3)
    moved = example.line("主送：")
    assert moved.page == len(example.pages) and moved.page % 2 == 0
    assert moved.chars[0].size == 14


def test_a_landscape_table_turns_on_pages_of_its_own_with_the_page_numbers_in_place(
    tmp_path: Path, profile: Profile, faces: dict[str, ResolvedFace]
) -> None:
    """Clause 8: the table's head faces the page's left edge (binding edge of odd pages, outer edge
    of even ones), its rows run up from the block's foot, the page number stays where it is; the
    text after it starts a new page. LibreOffice's rendering of the DOCX gives the same pages."""
    from docgen.layout.fonts import fontconfig_file
    from docgen.measure.office import render_with_libreoffice
    from docgen.render.docx.writer import render_docx

    document = load_document(EXAMPLES / "landscape.yaml")
    pdf, docx_file = tmp_path / "landscape.pdf", tmp_path / "landscape.docx"
    pdf.write_bytes(render_pdf(laid_out(document, profile), profile))
    docx_file.write_bytes(render_docx(laid_out(document, profile), profile))
    ours = read_pdf(pdf)
    turned = [page for page in ours if page.turned]
    assert [page.number for page in turned] == [3, 4]
    for page in turned:
        assert all(line.baseline_mm > BOTTOM for line in page.lines)  # nothing upright but the number
        head = [char for char in page.turned if char.text in "序存题"]  # only in the header row
        body = [char for char in page.turned if char.text in "济算"]  # only in body rows
        assert max(char.x1_mm for char in head) < min(char.x0_mm for char in body)  # the head at the left
        assert min(c.x0_mm for c in page.turned) > LEFT and max(c.x1_mm for c in page.turned) < RIGHT
        assert min(c.top_mm for c in page.turned) > TOP and max(c.bottom_mm for c in page.turned) < BOTTOM
    example = Example(ours, read_strokes(pdf), [])
    assert [n.replace(" ", "") for n in example.numbers()] == ["—1—", "—2—", "—3—", "—4—", "", ""]
    columns = sorted({round(s.y_mm, 1) for s in example.strokes if s.page == 3})
    assert columns[0] == pytest.approx(TOP + MM_PER_PT, abs=0.1) and columns[-1] == pytest.approx(BOTTOM, abs=0.5)
    rendered = read_pdf(render_with_libreoffice(docx_file, fontconfig_file(profile, faces), tmp_path / "lo"))
    assert len(rendered) == len(ours)
    for mine, theirs in zip(ours, rendered, strict=True):
        assert sorted(c.text for c in mine.turned) == sorted(c.text for c in theirs.turned), mine.number
        for char in mine.turned:  # each character's baseline origin, as both files place it
            (x, y) = char.origin_mm
            twin = min(
                (c for c in theirs.turned if c.text == char.text),
                key=lambda c: abs(c.origin_mm[0] - x) + abs(c.origin_mm[1] - y),
            )
            assert twin.origin_mm == (pytest.approx(x, abs=TOLERANCE), pytest.approx(y, abs=TOLERANCE)), char
