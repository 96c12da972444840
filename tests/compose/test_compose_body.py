"""The body between the head and the sign-off as composed paragraphs (GB/T 9704 7.3): title, 主送,
paragraphs, numbered headings, tables, attachments on pages of their own, an enclosed document;
and the order every part of a document is composed in.
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import pairwise

import pytest

from docgen.compose.paragraphs import Align, Para
from docgen.profile import Profile
from docgen.text.cjk import set_width_in_chars

Compose = Callable[[str], tuple[Para, ...]]  # the compose fixture: a source's text composed
Example = Callable[[str], tuple[Para, ...]]  # the example fixture: an example's file composed


def source(rest: str, title: str = "关于开展安全生产检查的通知") -> str:
    return f"title: {title}\norgan: 济南市人民政府\ndate: 2023-04-25\n{rest}"


def kinds(paras: tuple[Para, ...]) -> list[str]:
    return [para.kind for para in paras]


def test_the_parts_come_in_the_standard_s_order(example: Example) -> None:
    """版头, title, 主送, body, 附件说明, signature and date, 附注, attachments, 版记 (7.2–7.4)."""
    found = kinds(example("file.yaml"))
    parts = ["mark", "title", "addressees", "body", "attachment_note", "signature", "date", "note"]
    parts += ["attachment_label", "table", "colophon"]
    firsts = [found.index(kind) for kind in parts]
    assert firsts == sorted(firsts), dict(zip(parts, firsts, strict=True))


@pytest.mark.parametrize(
    ("title", "lines"),
    [
        ("[关于开展2023年度, 安全生产大检查的通知]", ("关于开展2023年度", "安全生产大检查的通知")),
        ("中共济南市委关于十二届省委第一轮巡视集中整改进展情况的通报", None),
        ("关于开展安全生产检查的通知", ("关于开展安全生产检查的通知",)),
    ],
    ids=["given lines", "computed lines", "one line"],
)
def test_the_title_is_centred_in_lines_that_fit_the_block_then_the_blank_lines(
    compose: Compose, profile: Profile, title: str, lines: tuple[str, ...] | None
) -> None:
    """7.3.1: 2号 小标宋 (the title role) centred, broken where the source breaks it or into lines of
    the block's width; kept with what follows; the profile's blank lines under it."""
    paras = compose(source("preamble:\n- 现将有关事项通知如下。\n", title=title))
    (first, *_) = [index for index, para in enumerate(paras) if para.kind == "title"]
    para = paras[first]
    assert para.align is Align.CENTER and para.keep_with_next and [span.role for span in para.spans] == ["title"]
    edges = [0, *para.forced_breaks, len(para.text)]
    broken = [para.text[start:end] for start, end in pairwise(edges)]
    if lines is not None:
        assert tuple(broken) == lines
    size = profile.roles["title"].size_pt
    assert all(set_width_in_chars(line, 0) * size <= profile.page.block_width_pt for line in broken), broken
    blank = profile.body.blank_lines_after_title
    assert kinds(paras[first + 1 : first + 2 + blank]) == ["blank"] * blank + ["body"]


def test_the_addressees_stand_flush_left_after_the_title_ending_with_a_colon(
    example: Example, profile: Profile
) -> None:
    """主送机关 (7.3.2): one blank line under the title, flush left, a full-width colon after the last."""
    paras = example("file.yaml")
    index = kinds(paras).index("addressees")
    addressees = paras[index]
    assert addressees.text == "各区县人民政府、市政府各部门、各有关单位："
    assert addressees.first_indent_chars == 0 and [span.role for span in addressees.spans] == ["body"]
    blank = profile.body.blank_lines_after_title
    assert kinds(paras[index - 1 - blank : index]) == ["title"] + ["blank"] * blank


def test_body_paragraphs_are_justified_and_indented_as_the_profile_says(example: Example, profile: Profile) -> None:
    """7.3.3: every paragraph of the body indented 2 字 (the profile's), continuation lines flush left."""
    body = [para for para in example("data/report.yaml") if para.kind == "body"]
    assert len(body) > 3
    for para in body:
        assert para.align is Align.JUSTIFY and para.first_indent_chars == profile.body.first_line_indent_chars
        assert para.right_indent_chars == 0 and para.hang_at is None
        assert [span.role for span in para.spans] == ["body"]


LEVELS = """sections:
- heading: 总体要求
  body:
  - heading: 明确目标。
    text: 全面排查风险隐患。
  - heading: 压实责任
    body:
    - heading: 属地责任
      body:
      - heading: 区县负总责。
        text: 主要负责同志为第一责任人。
      - heading: 部门各负其责。
        text: 形成工作合力。
- heading: 工作要求。
  text: 各级各部门要高度重视。
closing:
- 特此通知。
"""


def test_headings_are_numbered_by_level_in_the_faces_of_their_levels(compose: Compose, profile: Profile) -> None:
    """7.3.3: 一、 (黑体), （一） (楷体), 1. and （1） (仿宋): each level its role; a run-in heading shares its
    paragraph with the text (the heading sentence alone in its face), one standing alone is kept with
    what follows; every heading indented as the body. (A closing paragraph ends the body: the last text
    paragraph is kept with the signature, 7.3.5.5.)"""
    headings = [para for para in compose(source(LEVELS)) if para.kind.startswith("heading")]
    expected = [
        ("heading1", "一、总体要求", None),
        ("heading2", "（一）明确目标。", "全面排查风险隐患。"),
        ("heading2", "（二）压实责任", None),
        ("heading3", "1.属地责任", None),
        ("heading4", "（1）区县负总责。", "主要负责同志为第一责任人。"),
        ("heading4", "（2）部门各负其责。", "形成工作合力。"),
        ("heading1", "二、工作要求。", "各级各部门要高度重视。"),
    ]
    assert [
        (para.kind, para.spans[0].text, para.spans[1].text if len(para.spans) > 1 else None) for para in headings
    ] == expected
    for para in headings:
        assert para.spans[0].role == para.kind and [span.role for span in para.spans[1:]] in ([], ["body"])
        assert para.keep_with_next == (len(para.spans) == 1)
        assert para.first_indent_chars == profile.body.first_line_indent_chars


ITEMS = """sections:
- heading: 整改落实情况
  continuous_numbering: {continuous}
  body:
  - heading: 关于第一方面问题
    body:
    - problem: 责任落实不到位
      measures: [压实责任。, 强化督导。]
    - problem: 推进缓慢
      lead: 关于
      measures: [加快推进。]
  - heading: 关于第二方面问题
    body:
    - problem: 机制不健全
      measures: [完善机制。]
"""


@pytest.mark.parametrize(("continuous", "numbers"), [("true", [1, 2, 3]), ("false", [1, 2, 1])])
def test_items_are_numbered_on_across_subsections_when_their_section_says_so(
    compose: Compose, continuous: str, numbers: list[int]
) -> None:
    """An item reads N.针对“problem”的问题： (or 关于), its measures 一是……二是…… when there are several;
    numbered on across the subsections of a section with continuous_numbering, afresh in each otherwise."""
    items = [para for para in compose(source(ITEMS.format(continuous=continuous))) if para.kind == "item"]
    leads = [f"{numbers[0]}.针对“责任落实不到位”的问题：", f"{numbers[1]}.关于“推进缓慢”的问题："]
    leads.append(f"{numbers[2]}.针对“机制不健全”的问题：")
    assert [para.spans[0].text for para in items] == leads
    assert [para.spans[1].text for para in items] == ["一是压实责任。二是强化督导。", "加快推进。", "完善机制。"]
    assert {(para.spans[0].role, para.spans[1].role) for para in items} == {("heading3", "body")}


def test_the_contact_line_joins_its_entries(example: Example, profile: Profile) -> None:
    paras = example("data/report.yaml")
    (contact,) = [para for para in paras if para.text.startswith("联系方式：")]
    assert contact.text == (
        "联系方式：0531-51701041；邮政信箱：济南市历下区龙鼎大道1号龙奥大厦巡视整改工作信箱；"
        "邮政编码：250099；电子邮箱：jnxunshizhenggai@jn.shandong.cn。"
    )
    assert contact.kind == "body" and contact.first_indent_chars == profile.body.first_line_indent_chars


def test_a_table_is_set_in_the_flow_under_its_centred_caption(compose: Compose) -> None:
    paras = compose(
        source(
            "preamble:\n- 现将进度通报如下。\nsections:\n- heading: 进度情况\n  body:\n  - table:\n"
            "      caption: 重点项目进度表\n      header: [序号, 项目]\n      rows:\n      - ['1', 黄河大道]\n"
        )
    )
    index = kinds(paras).index("table")
    caption, table = paras[index - 1 : index + 1]
    assert caption.kind == "table_caption" and caption.text == "重点项目进度表"
    assert caption.align is Align.CENTER and caption.keep_with_next and caption.spans[0].role == "heading1"
    assert (
        table.table is not None and table.table.header == ("序号", "项目") and table.table.rows == (("1", "黄河大道"),)
    )
    assert table.text == "序号项目1黄河大道"


ATTACHMENTS = """preamble:
- 现将有关事项通知如下。
attachments:
- title: 责任分工表
  body:
  - 各单位抓好落实。
- 通讯录
- title: 时间安排表
  body:
  - 按时完成。
"""


def test_attachments_with_a_body_start_a_page_labelled_by_their_number(compose: Compose, profile: Profile) -> None:
    """7.3.7: each attachment with a body on a new page, 附件N (its number in the 附件说明) in 黑体 flush
    left on the first line, its title centred on the third; one named only gets no page."""
    paras = compose(source(ATTACHMENTS))
    labels = [index for index, para in enumerate(paras) if para.kind == "attachment_label"]
    assert [paras[index].text for index in labels] == ["附件1", "附件3"]
    blank = profile.body.blank_lines_after_title
    for index, title in zip(labels, ["责任分工表", "时间安排表"], strict=True):
        label = paras[index]
        assert label.page_break_before and label.keep_with_next and label.align is Align.LEFT
        assert [span.role for span in label.spans] == ["attachment_label"]
        assert kinds(paras[index + 1 : index + 3 + blank]) == ["blank", "title", *["blank"] * blank]
        assert paras[index + 2].text == title and paras[index + 2].align is Align.CENTER


def test_a_single_attachment_s_page_is_labelled_without_a_number(compose: Compose) -> None:
    paras = compose(source("attachments:\n- title: 责任分工表\n  body:\n  - 各单位抓好落实。\n"))
    assert [para.text for para in paras if para.kind == "attachment_label"] == ["附件"]


ENCLOSING = """preamble:
- 现将《关于做好秋季开学工作的意见》转发给你们，请认真贯彻执行。
attachments:
- title: 责任分工表
  body:
  - 各单位抓好落实。
enclosed:
  title: 关于做好秋季开学工作的意见
  addressees: [市政府]
  preamble:
  - 为做好秋季开学工作，提出如下意见。
  organ: 某某市教育局
  date: 2023-08-10
"""


def test_only_attachments_and_an_enclosed_document_start_a_page(compose: Compose) -> None:
    """The enclosed document (转发/印发) follows the notice's sign-off from a page of its own, with its
    title, 主送, body and signature; the attachments follow it, each from a page of its own."""
    paras = compose(source(ENCLOSING))
    breaks = [para for para in paras if para.page_break_before]
    assert [(para.kind, para.text) for para in breaks] == [
        ("title", "关于做好秋季开学工作的意见"),
        ("attachment_label", "附件"),
    ]
    enclosed = paras.index(breaks[0])
    assert kinds(paras[enclosed:]).index("addressees") < kinds(paras[enclosed:]).index("signature")
    signatures = [para.text for para in paras if para.kind == "signature"]
    assert signatures == ["济南市人民政府", "某某市教育局"]
