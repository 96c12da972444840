"""Where lines break in titles and table cells: the 破折号, words, numbers with their units, column widths."""

from __future__ import annotations

import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import pytest

from docgen.compose.document import compose_paragraphs
from docgen.compose.paragraphs import Para, ParaKind, Span
from docgen.errors import DocgenError
from docgen.layout.lines import Glyph, break_paragraph
from docgen.layout.pagination import paginate, turned_pages
from docgen.layout.tables import RowBand, table_bands
from docgen.model import Table
from docgen.profile import Profile
from docgen.roles import Role
from docgen.source.loader import load_document
from docgen.text.cjk import balanced_title_lines
from docgen.units import MM_PER_PT
from support import ROOT, laid_out

EXAMPLES = ROOT / "examples"
WIDE, NARROW = 14.0, 7.0  # a 4号 cell's hanzi and digit


def glyphs_of(span: Span) -> list[Glyph]:
    return [Glyph(c, "f", 14.0, NARROW if c.isascii() else WIDE, 0.0) for c in span.text]


def bands_of(table: Table, profile: Profile) -> list[RowBand]:
    return table_bands(Para(ParaKind.TABLE, (), table=table), glyphs_of, profile)


def cell_lines(bands: list[RowBand]) -> list[list[list[str]]]:
    """Each band's cells as their lines of text."""
    return [[["".join(g.char for g in line) for line in cell.rows] for cell in band.cells] for band in bands]


def column_mm(band: RowBand) -> list[float]:
    return [(right - left) * MM_PER_PT for left, right in zip(band.edges, band.edges[1:], strict=False)]


# ---------------------------------------------------------------- the 破折号 and the per cent sign


def test_a_dash_may_begin_a_line_but_is_never_split(profile: Profile) -> None:
    """GB/T 15834: a 破折号 may begin a line; its two halves stay together."""
    hanzi = "一二三四五六七八九十" * 3
    para = Para(ParaKind.BODY, (Span(hanzi[:27] + "——" + hanzi, Role.BODY),))
    glyphs = [Glyph(c, "f", 16.0, 16.0, -0.25) for c in para.text]
    lines = ["".join(g.char for g in line.glyphs) for line in break_paragraph(para, glyphs, profile)]
    assert lines[0] == hanzi[:27]  # not pushed down with the character before it
    assert lines[1].startswith("——")


def test_a_dash_is_never_split_in_a_title() -> None:
    lines = balanced_title_lines("关于加强安全生产工作——建立健全隐患排查治理长效机制的通知", 14)
    assert all(not line.startswith("—") or line.startswith("——") for line in lines), lines
    assert not any(line.endswith("—") and not line.endswith("——") for line in lines), lines


def test_a_per_cent_sign_never_begins_a_line(profile: Profile) -> None:
    """A number longer than a line breaks where it must, but a % never starts the next line."""
    unsqueezed = replace(profile, grid=replace(profile.grid, max_squeeze_pt=0.0))
    para = Para(ParaKind.BODY, (Span("5" * 55 + "%", Role.BODY),))  # 55 digits of 8 pt fill the 442 pt line
    glyphs = [Glyph(c, "f", 16.0, 8.0, 0.0) for c in para.text]
    lines = ["".join(g.char for g in line.glyphs) for line in break_paragraph(para, glyphs, unsqueezed)]
    assert lines == ["5" * 54, "5%"]


# ---------------------------------------------------------------- titles between words


@pytest.mark.parametrize(
    ("title", "words"),
    [
        # Before: 国务院关于三峡综合枢纽 / 工程竣工验收工作的批复
        ("国务院关于三峡综合枢纽工程竣工验收工作的批复", ("综合枢纽工程",)),
        # Before: 水利部关于印发长江三峡综合 / 枢纽工程建设管理办法的通知
        ("水利部关于印发长江三峡综合枢纽工程建设管理办法的通知", ("综合枢纽",)),
        # Before: 中共某某省委关于落实十九届中 / 央第七轮巡视整改情况的通报
        ("中共某某省委关于落实十九届中央第七轮巡视整改情况的通报", ("十九届中央", "第七轮")),
        # Before: 某某省人民政府关于十九届中 / 央第七轮巡视整改情况的通报
        ("某某省人民政府关于十九届中央第七轮巡视整改情况的通报", ("十九届中央", "第七轮")),
        # Before: 某某市人民政府关于加快推进济 / 南东站综合枢纽工程建设的通知
        ("某某市人民政府关于加快推进济南东站综合枢纽工程建设的通知", ("济南东站综合枢纽",)),
        # Before: 关于落实十九届中央第七轮巡 / 视反馈意见整改情况的报告
        ("关于落实十九届中央第七轮巡视反馈意见整改情况的报告", ("巡视",)),
    ],
)
def test_a_title_breaks_between_words(title: str, words: tuple[str, ...]) -> None:
    import jieba

    lines = balanced_title_lines(title, 20)
    assert "".join(lines) == title and all(len(line) <= 20 for line in lines)
    assert len(lines[0]) >= len(lines[1]) - 2, lines  # still a balanced trapezoid
    for word in words:
        assert any(word in line for line in lines), (word, lines)
    boundaries = {0}
    for word in jieba.cut(title, HMM=False):
        boundaries.add(max(boundaries) + len(word))
    assert len(lines[0]) in boundaries, lines


def test_the_published_breaks_of_real_titles_come_out() -> None:
    """Two State Council titles as the 国务院公报 set them (tests/corpus/html 01 and 05)."""
    assert balanced_title_lines("国务院办公厅关于对国务院第五次大督查发现的典型经验做法给予表扬的通报", 20) == (
        "国务院办公厅关于对国务院第五次大督查",
        "发现的典型经验做法给予表扬的通报",
    )
    assert balanced_title_lines("国务院关于在市场监管领域全面推行部门联合双随机一公开监管的意见", 20) == (
        "国务院关于在市场监管领域全面推行",
        "部门联合双随机一公开监管的意见",
    )


def test_a_very_long_title_breaks_in_time() -> None:
    """Each tail's best lines are remembered: 2,000 characters, not 20^100 tries."""
    for title in ("测" * 2000, "关于加强综合枢纽工程建设的通知" * 130):
        start = time.perf_counter()
        lines = balanced_title_lines(title, 20)
        assert time.perf_counter() - start < 5
        assert "".join(lines) == title and all(0 < len(line) <= 20 for line in lines)


def test_the_segmenter_loads_only_for_a_long_title_and_says_nothing(tmp_path: Path) -> None:
    """Words come from docgen's copy of jieba's dictionary, made once in docgen's cache folder: jieba
    itself is never imported, and nothing is said on stderr."""
    script = (
        "import sys\n"
        "from docgen.text.cjk import balanced_title_lines\n"
        "balanced_title_lines('关于开展安全检查的通知', 20)\n"
        "assert 'docgen.files.word_dictionary' not in sys.modules, 'loaded for a short title'\n"
        "print('/'.join(balanced_title_lines('水利部关于印发长江三峡综合枢纽工程建设管理办法的通知', 20)))\n"
        "assert 'jieba' not in sys.modules\n"
    )
    env = {"XDG_CACHE_HOME": str(tmp_path), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""  # jieba's "Building prefix dict…" lines stay quiet
    assert any("综合枢纽" in line for line in result.stdout.strip().split("/")), result.stdout
    assert any((tmp_path / "docgen").rglob("*")), "the dictionary's copy in docgen's cache folder, not /tmp"


# ---------------------------------------------------------------- table cells


def test_a_cell_leaves_no_character_alone_on_its_last_line(profile: Profile) -> None:
    """Before: 市住房城乡建设 / 局 and 2023年5月31 / 日. 局 takes 设 down with it, 31日 stays whole."""
    block = profile.page.block_width_pt
    table = Table(
        ("责任单位", "完成时限", "备注"), (("市住房城乡建设局", "2023年5月31日", ""),), widths=(115, 95, block - 210)
    )
    (head, row) = cell_lines(bands_of(table, profile))
    assert head == [["责任单位"], ["完成时限"], ["备注"]]
    assert row[:2] == [["市住房城乡建", "设局"], ["2023年5月", "31日"]]


def test_columns_follow_their_content_when_the_source_gives_no_widths(profile: Profile) -> None:
    """The 台账's heads stand whole (完成时限, not 完成时/限), the long problems take the room over."""
    header = ("序号", "反馈问题", "整改措施", "责任单位", "完成时限", "整改状态")
    rows = tuple(
        (str(n), "推动黄河流域生态保护和高质量发展政治责任扛得不够牢", "3项", "市发展改革委", "2022年年底前", "已完成")
        for n in range(1, 12)
    )
    totals = ("合计", "11项", "33项", "", "", "已完成10项，推进中1项")
    bands = bands_of(Table(header, rows, totals=totals), profile)
    head, *body = cell_lines(bands)
    assert head == [[name] for name in header]
    widths = column_mm(bands[0])
    assert sum(widths) == pytest.approx(profile.page.block_width_pt * MM_PER_PT)
    assert max(widths) == widths[1]  # the problems' column
    assert all(row[4][0].startswith("2022年") for row in body[:-1])  # a number with its unit, never 2022 / 年
    assert body[-1][5][0] == "已完成"


def _filling_table(profile: Profile, lines: int, landscape: bool) -> list[RowBand]:
    """A one-line header and rows of two grid lines that fill ``lines`` exactly, then a 合计 of two lines."""
    count = (lines - 1) // 2
    long = "一二三四五六七八九十" * 5  # two lines in the wide column, upright or turned
    rows = tuple((str(n), long) for n in range(1, count + 1))
    table = Table(("序号", "内容"), rows, widths=(1, 9), totals=("合计", long), landscape=landscape)
    bands = bands_of(table, profile)
    assert {band.height for band in bands[1:]} == {2 * profile.grid.line_pitch_pt}
    assert sum(band.height for band in bands[:-1]) == pytest.approx(lines * profile.grid.line_pitch_pt)
    return bands


def _first_cells(page: list[RowBand]) -> list[str]:
    return ["".join(g.char for g in band.cells[0].rows[0]) for band in page]


def test_a_totals_row_never_stands_alone_on_a_page(profile: Profile) -> None:
    """Before: page 2 held the header and 合计 only. The last row goes over with it."""
    bands = _filling_table(profile, profile.grid.lines_per_page - 1, landscape=False)
    pages = paginate(bands, profile)
    assert [_first_cells([line.line for line in page.lines]) for page in pages][-1] == ["序号", "10", "合计"]


def test_a_turned_totals_row_never_stands_alone_on_a_page(profile: Profile) -> None:
    depth_lines = round(profile.page.block_width_pt // profile.grid.line_pitch_pt)
    bands = _filling_table(profile, depth_lines, landscape=True)
    pages = turned_pages(bands, profile)
    assert _first_cells(pages[-1]) == ["序号", str((depth_lines - 1) // 2), "合计"]


def test_the_landscape_example_sets_its_heads_numbers_and_units_whole(profile: Profile) -> None:
    from docgen.layout.metrics import font_metrics

    metrics = font_metrics(profile)
    (para,) = [para for para in compose_paragraphs(load_document(EXAMPLES / "landscape.yaml"), profile) if para.table]
    bands = table_bands(para, lambda span: metrics.glyphs(para, profile, (span,)), profile)
    head, *body = cell_lines(bands)
    assert head[0] == ["序号"] and all("（亿元）" in cell for cell in head[3:6]), head
    lines = [line for row in body for cell in row for line in cell]
    assert "56.7%" in lines and not any(line.startswith("%") for line in lines)
    assert all(len(line) > 1 for row in body for cell in row if len(cell) > 1 for line in cell)


def test_widths_too_narrow_for_a_run_are_reported_with_the_source_line(tmp_path: Path, profile: Profile) -> None:
    """The example's former widths left 11.8 mm for 序号: said with the line of 'widths', before anything is drawn."""
    text = (EXAMPLES / "landscape.yaml").read_text(encoding="utf-8")
    old = text.replace("widths: [14, 33, 27, 24, 24, 24, 24, 30, 24]", "widths: [1.2, 4, 3, 1.6, 1.8, 1.8, 1.4, 4, 4]")
    assert old != text
    source = tmp_path / "narrow.yaml"
    source.write_text(old, encoding="utf-8")
    line = next(n for n, row in enumerate(old.splitlines(), start=1) if "widths: [1.2" in row)
    (para,) = [para for para in compose_paragraphs(load_document(source), profile) if para.table]
    with pytest.raises(DocgenError) as error:
        table_bands(para, glyphs_of, profile)
    message = str(error.value)
    assert message.startswith(f"{source}:{line}:") and "column 1 (序号)" in message and "“序号”" in message
    assert "leave 'widths' out" in message


def test_a_hostile_table_lays_out_in_time(profile: Profile) -> None:
    """2,000 rows of 12 columns, long words among them: content widths and cell lines stay linear."""
    header = tuple(f"第{n}列" for n in range(12))
    rows = tuple(
        tuple(("x" * 90 if n % 7 == 0 else "济南市重点项目" * (n % 4)) for n in range(12)) for _ in range(2000)
    )
    start = time.perf_counter()
    bands = bands_of(Table(header, rows), profile)
    assert time.perf_counter() - start < 20
    assert len(bands) >= 2000


def test_the_docx_keeps_the_row_above_the_totals_with_them(profile: Profile) -> None:
    """Word and LibreOffice paginate the DOCX themselves: the row above 合计 keeps with the next, as the PDF's does."""
    import io
    import zipfile

    from lxml import etree

    from docgen.render.docx.writer import render_docx

    package = render_docx(laid_out(load_document(EXAMPLES / "file.yaml"), profile, fonts=False), profile)
    with zipfile.ZipFile(io.BytesIO(package)) as archive:
        body = etree.fromstring(archive.read("word/document.xml"))
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    (table,) = body.iter(f"{w}tbl")
    kept = [any(True for _ in row.iter(f"{w}keepNext")) for row in table.iter(f"{w}tr")]
    assert kept == [True, False, False, True, False]  # the header, 1, 2, 3 (above 合计), 合计
