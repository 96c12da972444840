"""The loader: bad sources through the real CLI, the sample's model, numbering and title breaks.

Every bad source must give docgen's own one-line error naming ``file:line:column`` and what
was expected, exit with code 2, show no traceback and write nothing.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from docgen.cli import main
from docgen.compose.document import compose_paragraphs
from docgen.compose.paragraphs import Para
from docgen.model import Document, Item, Paragraph, ProblemLead, Section
from docgen.profile import load_profile
from docgen.source.loader import load_document
from docgen.text.cjk import balanced_title_lines
from docgen.text.numbering import chinese_numeral, official_date

ROOT = Path(__file__).resolve().parents[2]
SAMPLE_SOURCE = ROOT / "data" / "report.yaml"
SAMPLE_TITLE = "中共济南市委关于十二届省委第一轮巡视集中整改进展情况的通报"

# Three good lines; a case appends to them, so its first own line is line 4.
HEAD = "title: 关于开展安全检查的通知\norgan: 某某市应急管理局\ndate: 2024-03-15\n"
ZH_HEAD = "标题: 关于某事的通知\n发文机关: 某局\n成文日期: 2024-01-02\n"
SECTION = HEAD + "sections:\n  - heading: 总体要求\n"  # line 5 is the level-1 section
ITEM = SECTION + "    body:\n      - problem: 责任落实不到位\n"  # line 7 is the item


def run_build(tmp_path: Path, source_text: str | bytes | None) -> tuple[Path, Path, object]:
    """``docgen build SOURCE -o OUT -f docx`` on ``source_text`` (None: no such file); returns (source, out, result)."""
    source = tmp_path / "notice.yaml"
    if isinstance(source_text, bytes):
        source.write_bytes(source_text)
    elif source_text is not None:
        source.write_text(source_text, encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["build", str(source), "-o", str(out), "-f", "docx"])
    return source, out, result


def files_under(folder: Path) -> list[Path]:
    return [path for path in folder.rglob("*") if path.is_file()] if folder.exists() else []


def assert_refused(
    tmp_path: Path, source_text: str | bytes | None, line: int, column: int | None, words: list[str]
) -> str:
    """The build fails cleanly: exit 2, located message with ``words``, no traceback, no file."""
    source, out, result = run_build(tmp_path, source_text)
    output = result.output
    assert result.exit_code == 2, output
    assert isinstance(result.exception, SystemExit), f"not docgen's own error: {result.exception!r}\n{output}"
    assert "Traceback" not in output and "Error:" not in output, output
    stderr = result.stderr
    assert stderr.startswith("docgen: error"), stderr
    where = f"{source}:{line}:" if column is None else f"{source}:{line}:{column}:"
    assert where in stderr, f"expected {where!r} in:\n{stderr}"
    for word in words:
        assert word in stderr, f"expected {word!r} in:\n{stderr}"
    _, *shown = stderr.rstrip("\n").splitlines()
    # One located line; a YAML mistake adds the source line with a caret and a hint, indented.
    assert all(line.startswith("  ") for line in shown) and len(shown) <= 5, f"one clear message, not a dump:\n{stderr}"
    assert files_under(out) == [], f"files written for a bad source: {files_under(out)}"
    return stderr


# (id, source, line, column or None, words the message must contain)
BAD_SOURCES = [
    # libyaml, scanning ahead, stops at its own 1,000 levels first: the line is told, the column is libyaml's.
    ("nesting that would exhaust the stack", "title: " + "[" * 5000 + "]" * 5000 + "\norgan: x\ndate: 2024-01-02\n",
     1, None, ["nested more than 64 levels"]),
    ("a source over the size limit", HEAD + "preamble:\n  - " + "字" * (7 * 1024 * 1024) + "\n", 1, 1,
     ["bytes; sources are limited to"]),
    ("a missing source", None, 1, 1, ["cannot read the source"]),
    ("unknown key", HEAD + "adressees: [各区县]\n", 4, 1,
     ["unknown key 'adressees'", "did you mean 'addressees'?", "expected one of"]),
    ("unknown key in a section", SECTION + "    bodi:\n      - 正文\n", 6, 5,
     ["unknown key 'bodi'", "did you mean 'body'?", "a level-1 section"]),
    ("unknown key in an item", ITEM + "        measure: [加强领导。]\n", 8, 9,
     ["unknown key 'measure'", "did you mean 'measures'?"]),
    ("list where text expected", SECTION + "    body:\n      - heading: [目标, 任务]\n", 7, 18,
     ["'heading' must be text", "got a list"]),
    ("list inside a preamble entry", HEAD + "preamble:\n  - [第一段, 第二段]\n", 5, 5,
     ["each entry of 'preamble' must be text", "got a list"]),
    ("mapping where text expected", "title:\n  zh: 标题\norgan: 某局\ndate: 2024-01-02\n", 2, 3,
     ["'title' must be text", "got a mapping"]),
    ("nothing where text expected", HEAD + "sections:\n  - heading:\n", 5, None,
     ["'heading' must be text", "got nothing"]),
    ("missing title", "organ: 某局\ndate: 2024-01-02\n", 1, 1, ["no 'title'", "required"]),
    ("missing date", "title: 关于某事的通知\norgan: 某局\n", 1, 1, ["no 'date'", "required"]),
    ("impossible date", "title: 关于某事的通知\norgan: 某局\ndate: 2023-02-30\n", 3, 7,
     ["'date' '2023-02-30'", "not a calendar date (month 2 of 2023 has 28 days)"]),
    ("impossible date, keys in Chinese", "标题: 关于某事的通知\n发文机关: 某局\n成文日期: 2024-02-30\n", 3, 7,
     ["'成文日期' '2024-02-30'", "not a calendar date (month 2 of 2024 has 29 days)"]),
    ("impossible Chinese date", "title: 关于某事的通知\norgan: 某局\ndate: 2023年13月1日\n", 3, 7,
     ["'2023年13月1日'", "not a calendar date (there is no month 13: months run 1 to 12)"]),
    ("a list for text, keys in Chinese", ZH_HEAD + "附注: [甲, 乙]\n", 4, 5,
     ["'附注' must be text", "got a list"]),
    ("a list in a list, keys in Chinese", ZH_HEAD + "主送机关:\n  - [甲]\n", 5, 5,
     ["each entry of '主送机关' must be text", "got a list"]),
    ("date in day/month/year form", "title: 关于某事的通知\norgan: 某局\ndate: 25/04/2023\n", 3, 7,
     ["must be a date such as 2023-04-25 or 2023年4月25日", "got '25/04/2023'"]),
    ("Chinese-numeral date that is none", "title: 关于某事的通知\norgan: 某局\ndate: 二〇二三年二月三十日\n", 3, 7,
     ["'二〇二三年二月三十日'", "not a calendar date"]),
    ("date without separators", "title: 关于某事的通知\norgan: 某局\ndate: 20230425\n", 3, 7,
     ["must be a date such as", "got '20230425'"]),
    ("both organ and organs", HEAD + "organs: [甲局, 乙局]\n", 1, 1, ["exactly one of 'organ'", "'organs'"]),
    ("neither organ nor organs", "title: 关于某事的通知\ndate: 2024-01-02\n", 1, 1, ["exactly one of 'organ'"]),
    ("section nested 5 levels deep",
     SECTION + "    body:\n      - heading: 二级\n        body:\n          - heading: 三级\n"
     "            body:\n              - heading: 四级\n                body:\n"
     "                  - heading: 五级\n", 13, 21, ["four levels deep", "level 5"]),
    ("heading typed 一、", HEAD + "sections:\n  - heading: 一、总体要求\n", 5, 14,
     ["typed number", "一、", "computed"]),
    ("heading typed （一）", SECTION + "    body:\n      - heading: （一）工作目标\n", 7, 18,
     ["typed number", "（一）", "computed"]),
    ("heading typed 1.", SECTION + "    body:\n      - heading: 目标\n        body:\n"
     "          - heading: 1.主要任务\n", 9, 22, ["typed number", "1.", "computed"]),
    ("heading typed half-width (1)", HEAD + "sections:\n  - heading: (1)总体要求\n", 5, 14, ["typed number"]),
    ("measure typed 一是", ITEM + "        measures:\n          - 一是加强组织领导。\n          - 完善制度。\n", 9, 13,
     ["typed '一是'", "一是/二是 are computed"]),
    ("second measure typed 二是",
     ITEM + "        measures:\n          - 加强组织领导。\n          - 二是完善制度。\n", 10, 13,
     ["typed '二是'", "一是/二是 are computed"]),
    ("empty text", HEAD + "preamble:\n  - ''\n", 5, 5, ["'preamble'", "must not be empty"]),
    ("blank text", SECTION + "    text: '   '\n", 6, 11, ["'text' must not be empty"]),
    ("empty measures list", ITEM + "        measures: []\n", 8, 19, ["'measures' must not be an empty list"]),
    ("duplicate key", HEAD + "title: 又一个标题\n", 4, 1, ["duplicate key 'title'", "first given on line 1"]),
    ("duplicate key in an item", ITEM + "        measures: [甲。]\n        problem: 又一个问题\n", 9, 9,
     ["duplicate key 'problem'", "first given on line 7"]),
    ("invalid YAML: tab indentation", HEAD + "sections:\n\t- heading: 总体\n", 5, 1,
     ["not valid YAML", "'\\t'"]),
    ("invalid YAML: stray colon", HEAD + "sections:\n  - heading: 总体\n     body: x\n", 6, 10,
     ["not valid YAML", "mapping values are not allowed"]),
    # An unclosed bracket is told where it opens, not at the end of the file where libyaml gives up.
    ("invalid YAML: unclosed list", HEAD + "preamble: [未闭合的段落\n", 4, None, ["not valid YAML", "']'"]),
    # The loader refuses the second use of the anchored node and points at the anchor.
    ("YAML alias", HEAD + "preamble: &p [段落]\nclosing: *p\n", 5, 10, ["anchors and aliases", "not supported"]),
    ("YAML alias of a text", HEAD + "preamble:\n  - &t 第一段\n  - *t\n", 6, 5, ["anchors and aliases"]),
    ("python object tag", "title: !!python/object:os.system ls\norgan: 某局\ndate: 2024-01-02\n", 1, 8,
     ["YAML tags", "python/object", "not allowed"]),
    ("python apply tag", HEAD + "preamble: !!python/object/apply:os.getcwd []\n", 4, 11,
     ["YAML tags", "python/object/apply:os.getcwd"]),
    ("local tag", HEAD + "preamble: !include other.yaml\n", 4, 11, ["YAML tags such as '!include'"]),
    ("control character in text", 'title: "关于\\x07某事的通知"\norgan: 某局\ndate: 2024-01-02\n', 1, 8,
     ["'title' contains the control character U+0007"]),
    ("empty file", "", 1, 1, ["the source is empty", "expected a mapping"]),
    ("only a comment", "# 还没有写内容\n", 1, 1, ["the source is empty"]),
    ("a list, not a mapping", "- 标题\n- 正文\n", 1, 1, ["the document must be a mapping", "got a list"]),
    ("lead other than 针对/关于", ITEM + "        lead: 对于\n        measures: [加强领导。]\n", 8, 15,
     ["'lead' must be 针对 or 关于", "got '对于'"]),
    ("continuous_numbering as text", SECTION + "    continuous_numbering: 是\n", 6, 27,
     ["'continuous_numbering' must be true or false", "got '是'"]),
    ("continuous_numbering as a number", SECTION + "    continuous_numbering: 1\n", 6, 27, ["must be true or false"]),
    ("continuous_numbering quoted", SECTION + "    continuous_numbering: 'true'\n", 6, 27, ["must be true or false"]),
]  # fmt: skip


@pytest.mark.parametrize(
    ("source_text", "line", "column", "words"),
    [case[1:] for case in BAD_SOURCES],
    ids=[case[0] for case in BAD_SOURCES],
)
def test_bad_source_is_refused_with_a_located_message(
    tmp_path: Path, source_text: str, line: int, column: int | None, words: list[str]
) -> None:
    assert_refused(tmp_path, source_text, line, column, words)


def test_non_utf8_bytes_name_the_line_of_the_first_bad_byte(tmp_path: Path) -> None:
    source = (HEAD + "preamble:\n").encode("utf-8") + "  - 第一段正文\n".encode("gbk")
    assert_refused(tmp_path, source, 5, 1, ["not UTF-8", "save it as UTF-8"])


def test_latin1_bytes_on_the_first_line(tmp_path: Path) -> None:
    assert_refused(tmp_path, b"title: caf\xe9\norgan: x\ndate: 2024-01-02\n", 1, 1, ["not UTF-8"])


def test_a_python_tag_is_never_executed(tmp_path: Path) -> None:
    """An ``apply`` tag that would create a folder if anything constructed it."""
    marker = tmp_path / "constructed"
    source = f"title: !!python/object/apply:os.mkdir ['{marker}']\norgan: 某局\ndate: 2024-01-02\n"
    assert_refused(tmp_path, source, 1, 8, ["YAML tags", "python/object/apply:os.mkdir"])
    assert not marker.exists()


def test_the_same_harness_builds_a_good_source(tmp_path: Path) -> None:
    """Control for the cases above: with a valid source the same command writes the DOCX."""
    good = ITEM + "        lead: 关于\n        measures: [加强组织领导。, 完善制度。]\n"
    _, out, result = run_build(tmp_path, good)
    assert result.exit_code == 0, result.output
    assert (out / "notice.docx").is_file()


def test_a_source_error_is_labelled_as_one(tmp_path: Path) -> None:
    stderr = assert_refused(tmp_path, HEAD + "titel: x\n", 4, 1, ["unknown key 'titel'"])
    assert stderr.startswith(f"docgen: error in source: {tmp_path / 'notice.yaml'}:4:1:")


# ---------------------------------------------------------------- good sources


def load_text(tmp_path: Path, text: str) -> Document:
    path = tmp_path / "good.yaml"
    path.write_text(text, encoding="utf-8")
    return load_document(path)


def test_a_heading_may_start_with_a_decimal_number(tmp_path: Path) -> None:
    document = load_text(tmp_path, HEAD + "sections:\n  - heading: 2.5万亩高标准农田建设全面完成\n")
    assert document.sections[0].heading == "2.5万亩高标准农田建设全面完成"


def test_chinese_date_organs_list_and_title_lines(tmp_path: Path) -> None:
    document = load_text(
        tmp_path,
        "title: [关于开展安全生产, 大检查的通知]\n"
        "organs: [某某市应急管理局, 某某市住房和城乡建设局]\n"
        "date: 2024年3月5日\n",
    )
    assert document.title == "关于开展安全生产大检查的通知"
    assert document.title_lines == ("关于开展安全生产", "大检查的通知")
    assert document.organs == ("某某市应急管理局", "某某市住房和城乡建设局")
    assert document.signature.date == date(2024, 3, 5)


@pytest.fixture(scope="module")
def sample() -> Document:
    return load_document(SAMPLE_SOURCE)


@pytest.fixture(scope="module")
def paragraphs(sample: Document) -> tuple[Para, ...]:
    return compose_paragraphs(sample, load_profile())


def items_in(blocks: tuple) -> list[Item]:
    found: list[Item] = []
    for block in blocks:
        if isinstance(block, Item):
            found.append(block)
        elif isinstance(block, Section):
            found += items_in(block.body)
    return found


def test_sample_model(sample: Document) -> None:
    assert sample.title == SAMPLE_TITLE
    assert sample.organs == ("中共济南市委",)
    assert sample.signature.date == date(2023, 4, 25)
    assert [section.heading for section in sample.sections] == [
        "整改工作基本情况", "省委巡视反馈意见整改落实情况", "今后整改工作打算",
    ]  # fmt: skip
    one, two, three = sample.sections
    assert not one.continuous_numbering and two.continuous_numbering and not three.continuous_numbering
    assert [len(section.body) for section in sample.sections] == [4, 5, 5]
    assert all(isinstance(block, Section) and block.text for block in one.body + three.body)  # run-in headings
    assert len(items_in(two.body)) == 29
    assert items_in(one.body) == items_in(three.body) == []
    assert [len(items_in(sub.body)) for sub in two.body] == [6, 19, 3, 1, 0]
    assert isinstance(two.body[4].body[0], Paragraph)
    assert len(sample.closing) == 1 and [entry.label for entry in sample.contact] == [
        "联系方式", "邮政信箱", "邮政编码", "电子邮箱",
    ]  # fmt: skip
    assert sample.contact[2].value == "250099"  # quoted in the source, kept as text


def test_items_are_numbered_1_to_29_across_part_two(sample: Document, paragraphs: tuple[Para, ...]) -> None:
    items = [para for para in paragraphs if para.kind == "item"]
    leads = [item.lead.value for item in items_in(sample.sections[1].body)]
    assert len(items) == len(leads) == 29
    for number, (para, lead) in enumerate(zip(items, leads, strict=True), start=1):
        assert para.text.startswith(f"{number}.{lead}“"), (number, para.text[:30])
    assert items[0].text.startswith("1.针对“推动黄河流域")
    assert items[-1].text.startswith("29.关于“党委整改主体责任履行不到位”的问题：")
    assert [n for n, lead in enumerate(leads, start=1) if lead == ProblemLead.GUANYU.value] == [5, 14, 15, 29]


def test_level_2_headings_read_yi_to_wu_and_restart_in_each_part(paragraphs: tuple[Para, ...]) -> None:
    parts: list[list[str]] = []
    for para in paragraphs:
        if para.kind == "heading1":
            parts.append([])
        elif para.kind == "heading2":
            parts[-1].append(para.text[: para.text.index("）") + 1])
    assert parts == [
        ["（一）", "（二）", "（三）", "（四）"],
        ["（一）", "（二）", "（三）", "（四）", "（五）"],
        ["（一）", "（二）", "（三）", "（四）", "（五）"],
    ]
    assert [para.text for para in paragraphs if para.kind == "heading1"] == [
        "一、整改工作基本情况", "二、省委巡视反馈意见整改落实情况", "三、今后整改工作打算",
    ]  # fmt: skip


def test_single_measure_has_no_yi_shi_and_several_are_enumerated(
    sample: Document, paragraphs: tuple[Para, ...]
) -> None:
    items = [para for para in paragraphs if para.kind == "item"]
    models = items_in(sample.sections[1].body)
    item_6 = items[5]
    assert len(models[5].measures) == 1
    assert item_6.text == "6.针对“起步区发展正面清单仍未出台”的问题：" + models[5].measures[0]
    assert "一是" not in item_6.text
    multi = [(para, model) for para, model in zip(items, models, strict=True) if len(model.measures) > 1]
    assert len(multi) == 28
    labels = ("一是", "二是", "三是", "四是", "五是", "六是", "七是", "八是")
    assert max(len(model.measures) for _, model in multi) <= len(labels)
    for para, model in multi:
        measures = para.spans[1].text
        assert measures == "".join(label + text for label, text in zip(labels, model.measures, strict=False))
        positions = [measures.index(label) for label in labels[: len(model.measures)]]
        assert positions[0] == 0 and positions == sorted(positions)


# ---------------------------------------------------------------- numbering


@pytest.mark.parametrize(
    ("number", "numeral"),
    [(1, "一"), (10, "十"), (11, "十一"), (20, "二十"), (21, "二十一"), (99, "九十九"), (100, "一百"),
     (105, "一百零五"), (110, "一百一十"), (1001, "一千零一"), (1010, "一千零一十"), (10_000, "一万"),
     (10_010, "一万零一十"), (100_000, "十万"), (12_345_678, "一千二百三十四万五千六百七十八")],
)  # fmt: skip
def test_chinese_numeral(number: int, numeral: str) -> None:
    assert chinese_numeral(number) == numeral


@pytest.mark.parametrize("number", [0, -1, 100_000_000])
def test_chinese_numeral_out_of_range(number: int) -> None:
    with pytest.raises(ValueError, match="Chinese numeral"):
        chinese_numeral(number)


@pytest.mark.parametrize(
    ("day", "text"),
    [(date(2023, 4, 25), "2023年4月25日"), (date(2024, 1, 5), "2024年1月5日"), (date(2024, 10, 10), "2024年10月10日")],
)
def test_official_date_has_arabic_numerals_full_year_and_no_leading_zeros(day: date, text: str) -> None:
    assert official_date(day) == text


# ---------------------------------------------------------------- title breaks


TITLE_MAX = 20  # 22 pt characters on the 156 mm block


def test_the_profile_allows_20_title_characters_a_line() -> None:
    profile = load_profile()
    assert int(profile.page.block_width_pt // profile.roles["title"].size_pt) == TITLE_MAX


def test_sample_title_breaks_into_two_balanced_lines() -> None:
    lines = balanced_title_lines(SAMPLE_TITLE, TITLE_MAX)
    assert len(lines) == 2 and "".join(lines) == SAMPLE_TITLE
    assert all(len(line) <= TITLE_MAX for line in lines)
    assert len(lines[0]) >= len(lines[1])
    for word in ("第一轮", "十二届", "中共济南市委"):
        assert any(word in line for line in lines), (word, lines)
    assert lines == ("中共济南市委关于十二届省委第一轮", "巡视集中整改进展情况的通报")


def test_a_short_title_stays_on_one_line() -> None:
    assert balanced_title_lines("关于开展第二轮专项巡视整改工作情况的通报", TITLE_MAX) == (
        "关于开展第二轮专项巡视整改工作情况的通报",
    )


@pytest.mark.parametrize(
    ("title", "width", "book_title"),
    [
        # An even split would fall inside 《》 (11 + 12); the whole 《》 goes down instead.
        ("关于印发《济南市生物多样性保护行动计划》的通知", TITLE_MAX, "《济南市生物多样性保护行动计划》"),
        # Only three lines keep the 13-character 《》 whole on a 14-character line.
        ("关于印发《生物多样性保护行动计划》的通知", 14, "《生物多样性保护行动计划》"),
    ],
)
def test_a_title_is_not_broken_inside_book_title_marks_when_avoidable(title: str, width: int, book_title: str) -> None:
    lines = balanced_title_lines(title, width)
    assert "".join(lines) == title and all(len(line) <= width for line in lines)
    assert any(book_title in line for line in lines), lines


def test_a_title_is_not_broken_inside_a_number_when_avoidable() -> None:
    title = "关于开展第二十一轮专项巡视整改情况的报告"
    lines = balanced_title_lines(title, 12)
    assert "".join(lines) == title and all(len(line) <= 12 for line in lines)
    assert any("第二十一轮" in line for line in lines), lines


def test_a_book_title_longer_than_a_line_is_split_but_every_line_fits() -> None:
    title = "关于印发《济南市加快打造中国北方种业之都的若干政策措施》的通知"
    lines = balanced_title_lines(title, TITLE_MAX)
    assert "".join(lines) == title and all(len(line) <= TITLE_MAX for line in lines)
