"""What follows a notice's signature and date is imported into its place: 附注, 附件 pages paired with
their 附件说明 entries, the 版记, and the document a 转发 notice passes on with its own signature."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pypdfium2
from click.testing import CliRunner

from docgen.cli import main
from docgen.importer.dispatch import import_file

NOTICE = """某某市人民政府办公室关于开展安全生产检查的通知
各区县人民政府，市政府各部门：
为切实做好安全生产工作，经市政府同意，现就开展安全生产检查有关事项通知如下。
一、检查范围
1、市直各部门。
2、各区县人民政府。
二、工作要求
各单位要高度重视，认真组织实施。
附件：1.检查项目清单
2.检查联络人名单
某某市人民政府办公室
2023年5月6日
（此件公开发布）
附件1
检查项目清单
一、消防设施
二、危险化学品储存
附件2
检查联络人名单
市应急局联络人负责汇总。
抄送：市委办公室，市人大常委会办公室。
某某市人民政府办公室　　2023年5月6日印发
"""


def imported(tmp_path: Path, text: str) -> tuple[dict, Path]:
    path = tmp_path / "notice.txt"
    path.write_text(text, encoding="utf-8")
    result = import_file(path)
    source = tmp_path / "notice.yaml"
    source.write_text(result.yaml_text(path.name), encoding="utf-8")
    return result.source, source


def test_attachments_note_and_colophon_after_the_date(tmp_path: Path) -> None:
    source, _ = imported(tmp_path, NOTICE)
    assert source["organ"] == "某某市人民政府办公室" and source["date"] == date(2023, 5, 6)
    assert source["note"] == "此件公开发布"
    assert source["attachments"] == [
        {"title": "检查项目清单", "body": [{"heading": "消防设施"}, {"heading": "危险化学品储存"}]},
        {"title": "检查联络人名单", "body": ["市应急局联络人负责汇总。"]},
    ]
    assert source["colophon"] == {
        "copy_to": "市委办公室，市人大常委会办公室。",
        "printer": "某某市人民政府办公室",
        "print_date": date(2023, 5, 6),
    }
    # 1、 under 一、 is published numbering: kept, not made （一）
    assert [part.get("number") for part in source["sections"][0]["body"]] == ["1、", "2、"]


def page_texts(pdf: Path) -> list[str]:
    document = pypdfium2.PdfDocument(str(pdf))
    return [re.sub(r"\s", "", document[i].get_textpage().get_text_range()) for i in range(len(document))]


def test_the_imported_notice_builds_with_its_attachments_and_colophon_in_place(tmp_path: Path) -> None:
    _, source = imported(tmp_path, NOTICE)
    result = CliRunner().invoke(main, ["build", str(source), "-o", str(tmp_path / "out"), "-f", "pdf"])
    assert result.exit_code == 0, result.output
    pages = page_texts(tmp_path / "out" / "notice.pdf")
    first = pages[0]
    assert first.index("1、市直各部门。") < first.index("附件：1.检查项目清单") < first.index("（此件公开发布）")
    assert any(page.startswith("附件1检查项目清单一、消防设施") for page in pages)
    assert any(page.startswith("附件2检查联络人名单市应急局联络人负责汇总。") for page in pages)
    assert "抄送：市委办公室，市人大常委会办公室。" in pages[-1] and "2023年5月6日印发" in pages[-1]


ENCLOSING = """某某市人民政府办公室转发市教育局关于做好秋季开学工作意见的通知
各区县人民政府：
市教育局《关于做好秋季开学工作的意见》已经市政府同意，现转发给你们，请认真贯彻执行。
某某市人民政府办公室
二〇二三年八月二十日
关于做好秋季开学工作的意见
市政府：
为做好秋季开学工作，现提出如下意见。
一、做好校园安全排查。开学前完成全部排查。
某某市教育局
二〇二三年八月十日
"""


def test_a_forwarding_notice_keeps_its_own_signature_and_the_enclosed_one_its_own(tmp_path: Path) -> None:
    source, path = imported(tmp_path, ENCLOSING)
    assert source["organ"] == "某某市人民政府办公室" and source["date"] == "二〇二三年八月二十日"  # as published
    assert "sections" not in source  # the notice itself has no parts; the enclosed document has
    enclosed = source["enclosed"]
    assert enclosed["title"] == "关于做好秋季开学工作的意见" and enclosed["addressees"] == ["市政府"]
    assert enclosed["organ"] == "某某市教育局" and enclosed["date"] == "二〇二三年八月十日"
    assert enclosed["sections"] == [{"heading": "做好校园安全排查。", "text": "开学前完成全部排查。"}]
    result = CliRunner().invoke(main, ["build", str(path), "-o", str(tmp_path / "out"), "-f", "pdf"])
    assert result.exit_code == 0, result.output
    notice, passed_on = page_texts(tmp_path / "out" / "notice.pdf")
    assert "某某市人民政府办公室二〇二三年八月二十日" in notice and passed_on.startswith(
        "关于做好秋季开学工作的意见市政府："
    )
    assert "某某市教育局二〇二三年八月十日" in passed_on


def test_rows_of_cells_become_a_table_where_one_may_stand(tmp_path: Path) -> None:
    """A table pasted as text (cells separated by tabs) is a table in an attachment or a section; in
    the notice's own preamble, which holds paragraphs only, its rows stay lines."""
    rows = "序号\t单位\t联系人\n1\t市应急局\t王明\n2\t市水务局\t李强\n"
    text = NOTICE.replace("市应急局联络人负责汇总。\n", rows).replace(
        "为切实做好安全生产工作", "单位\t联系人\n市应急局\t王明\n为切实做好安全生产工作"
    )
    source, path = imported(tmp_path, text)
    table = {"header": ["序号", "单位", "联系人"], "rows": [["1", "市应急局", "王明"], ["2", "市水务局", "李强"]]}
    assert source["attachments"][1] == {"title": "检查联络人名单", "body": [{"table": table}]}
    assert source["preamble"][:2] == ["单位　联系人", "市应急局　王明"]
    result = CliRunner().invoke(main, ["build", str(path), "-o", str(tmp_path / "out"), "-f", "docx"])
    assert result.exit_code == 0, result.output


def test_a_title_with_half_width_marks_still_runs_over_two_lines(tmp_path: Path) -> None:
    """Title lines are normalised (full-width marks); the next line still continues the title."""
    text = NOTICE.replace(
        "某某市人民政府办公室关于开展安全生产检查的通知\n", "某某市人民政府办公室关于开展(第二轮)\n安全生产检查的通知\n"
    )
    source, _ = imported(tmp_path, text)
    assert source["title"] == ["某某市人民政府办公室关于开展（第二轮）", "安全生产检查的通知"]
