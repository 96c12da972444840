"""What a notice was published with is printed as published: its own heading and item numbers
(skipped levels, numbers running on across parts, 1、) and the document a 转发/印发 notice encloses."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import docx
import pypdfium2
import pytest
from click.testing import CliRunner

from docgen.cli import main
from docgen.compose.document import compose_paragraphs
from docgen.errors import SourceError
from docgen.profile import Profile
from docgen.source.lint import apply_fixes, lint_source
from docgen.source.loader import load_document
from support import laid_out

HEAD = "title: 关于开展检查的通知\norgan: 某某市人民政府办公室\ndate: 2023-05-06\n"

PUBLISHED = (
    HEAD
    + """sections:
  - heading: 检查范围
    body:
      - heading: 市直各部门。
        number: "1."
        text: 包括各部门所属单位。
      - heading: 各区县。
        number: "2."
        text: 包括各功能区。
  - heading: 检查内容
    body:
      - heading: 安全生产责任落实情况。
        number: "3、"
        text: 重点检查责任清单。
      - problem: 隐患排查不彻底
        number: "4."
        measures: [开展拉网式排查。]
"""
)


def write(tmp_path: Path, text: str, name: str = "source.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def texts_and_roles(tmp_path: Path, text: str, profile: Profile) -> list[tuple[str, str]]:
    paras = compose_paragraphs(load_document(write(tmp_path, text)), profile)
    return [(para.text, para.spans[0].role) for para in paras if para.spans]


def test_published_numbers_are_printed_and_their_form_sets_the_face(tmp_path: Path, profile: Profile) -> None:
    printed = texts_and_roles(tmp_path, PUBLISHED, profile)
    numbered = [(text, role) for text, role in printed if re.match(r"[一二]、|\d+[.、]", text)]
    assert numbered == [
        ("一、检查范围", "heading1"),
        ("1.市直各部门。包括各部门所属单位。", "heading3"),  # 1. straight under 一、: set as a 1., not a （一）
        ("2.各区县。包括各功能区。", "heading3"),
        ("二、检查内容", "heading1"),
        ("3、安全生产责任落实情况。重点检查责任清单。", "heading3"),  # numbered on across the parts
        ("4.针对“隐患排查不彻底”的问题：开展拉网式排查。", "heading3"),
    ]


def test_computed_numbering_stays_the_default(tmp_path: Path, profile: Profile) -> None:
    source = PUBLISHED.replace('        number: "1."\n', "")
    printed = [text for text, _ in texts_and_roles(tmp_path, source, profile)]
    assert "（一）市直各部门。包括各部门所属单位。" in printed
    assert "2.各区县。包括各功能区。" in printed


@pytest.mark.parametrize("number", ["第一", "1", "一是", "A."])
def test_a_number_that_is_no_label_is_refused_at_its_line(tmp_path: Path, number: str) -> None:
    source = write(tmp_path, PUBLISHED.replace('number: "2."', f'number: "{number}"'))
    with pytest.raises(SourceError) as raised:
        load_document(source)
    assert raised.value.location.line == 11
    assert "expected a label as published" in raised.value.message


ENCLOSING = """title: 某某市人民政府办公室转发市教育局关于做好秋季开学工作意见的通知
organ: 某某市人民政府办公室
date: 2023-08-20
addressees: [各区县人民政府, 市政府各部门]
preamble: [市教育局《关于做好秋季开学工作的意见》已经市政府同意，现转发给你们，请认真贯彻执行。]
note: 此件公开发布
enclosed:
  title: 关于做好秋季开学工作的意见
  addressees: [市政府]
  preamble: [为做好秋季开学工作，现提出如下意见。]
  sections:
    - heading: 做好校园安全排查。
      text: 开学前完成全部排查。
  organ: 某某市教育局
  date: 2023-08-10
"""


def page_texts(pdf_path: Path) -> list[str]:
    pdf = pypdfium2.PdfDocument(str(pdf_path))
    return [re.sub(r"\s", "", pdf[index].get_textpage().get_text_range()) for index in range(len(pdf))]


def test_an_enclosed_document_follows_the_notice_from_a_new_page(tmp_path: Path) -> None:
    source = write(tmp_path, ENCLOSING)
    result = CliRunner().invoke(main, ["build", str(source), "-o", str(tmp_path / "out"), "-f", "pdf,docx,html"])
    assert result.exit_code == 0, result.output
    first, second = page_texts(tmp_path / "out" / "source.pdf")
    # the notice: its own organ and date, then its 附注
    signed = first.index("某某市人民政府办公室2023年8月20日")
    assert first.index("现转发给你们") < signed < first.index("（此件公开发布）")
    assert "关于做好秋季开学工作的意见" not in first.replace("《关于做好秋季开学工作的意见》", "")
    # the enclosed document on a page of its own: title, 主送, body, its own signature and date
    order = ["关于做好秋季开学工作的意见", "市政府：", "为做好秋季开学工作", "一、做好校园安全排查。"]
    order.append("某某市教育局2023年8月10日")
    assert [second.index(text) for text in order] == sorted(second.index(text) for text in order)
    html = (tmp_path / "out" / "source.html").read_text(encoding="utf-8")
    assert html.index("（此件公开发布）") < html.index("某某市教育局")


def test_an_enclosed_signature_needs_organ_and_date_together(tmp_path: Path) -> None:
    source = write(tmp_path, ENCLOSING.replace("  date: 2023-08-10\n", ""))
    with pytest.raises(SourceError) as raised:
        load_document(source)
    assert raised.value.location.line == 8
    assert "both an organ and a 'date'" in raised.value.message


CHINESE_DATED = HEAD.replace("date: 2023-05-06", "date: 二〇二三年五月六日") + "preamble: [现将有关事项通知如下。]\n"


def test_a_date_in_chinese_numerals_is_printed_as_published(tmp_path: Path) -> None:
    source = write(tmp_path, CHINESE_DATED)
    document = load_document(source)
    assert document.signature.date == date(2023, 5, 6)
    result = CliRunner().invoke(main, ["build", str(source), "-o", str(tmp_path / "out"), "-f", "pdf,docx,html"])
    assert result.exit_code == 0, result.output
    (page,) = page_texts(tmp_path / "out" / "source.pdf")
    assert page.endswith("某某市人民政府办公室二〇二三年五月六日—1—")
    assert "二〇二三年五月六日" in docx.Document(str(tmp_path / "out" / "source.docx")).paragraphs[-1].text


@pytest.mark.parametrize("written", ["二〇二三年二月三十日", "二〇二三年十三月一日"])
def test_a_chinese_date_that_is_no_calendar_date_is_refused_at_its_line(tmp_path: Path, written: str) -> None:
    with pytest.raises(SourceError) as raised:
        load_document(write(tmp_path, CHINESE_DATED.replace("二〇二三年五月六日", written)))
    assert raised.value.location.line == 3 and "not a calendar date" in raised.value.message


def test_lint_points_out_a_chinese_date_and_fix_writes_it_in_arabic_numerals(tmp_path: Path) -> None:
    source = write(tmp_path, CHINESE_DATED.replace("二〇二三年五月六日", "二00八年一月十八日"))
    (finding,) = [finding for finding in lint_source(source) if "Arabic" in finding.message]
    assert finding.location.line == 3 and "2008年1月18日" in finding.message
    assert apply_fixes(source, [finding]) == 1
    assert load_document(source).signature.date_as_published is None
    assert "date: 2008年1月18日" in source.read_text(encoding="utf-8")


def test_the_signature_page_holds_body_text_not_only_the_attachment_note(tmp_path: Path, profile: Profile) -> None:
    """7.3.5.5: however the body ends on a page, the page with the signature holds a line of body text,
    not only 附件： and the signature (seen with a progress update's 附件：整改台账)."""
    from docgen.render.pdf.writer import render_pdf

    for count in range(14, 24):  # the page break falls at every place around the 附件说明
        paragraphs = "".join(f"  - 第{number}段正文内容。\n" for number in range(1, count + 1))
        source = write(tmp_path, HEAD + "preamble:\n" + paragraphs + "attachments: [整改台账, 责任清单]\n")
        pdf = tmp_path / "notice.pdf"
        pdf.write_bytes(render_pdf(laid_out(load_document(source), profile), profile))
        signed = next(page for page in page_texts(pdf) if "某某市人民政府办公室2023年5月6日" in page)
        assert re.search(r"第\d+段正文内容", signed), (count, signed)
