"""What only a Word file's formatting says: a mark set in large red type with neither 文件 nor a
发文字号 after it, and where a run-in heading in a face of its own ends when it has no closing mark."""

from __future__ import annotations

from pathlib import Path

import docx
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor

from docgen.importer.dispatch import import_file


def add(document: docx.document.Document, *runs: tuple[str, str, float, bool]) -> None:
    """A paragraph of runs, each (text, East Asian face, size in pt, red), formatted directly as a clerk does."""
    paragraph = document.add_paragraph()
    for text, face, size, red in runs:
        run = paragraph.add_run(text)
        run.font.size = Pt(size)
        run._r.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), face)
        if red:
            run.font.color.rgb = RGBColor(0xFF, 0, 0)


def clerks_docx(path: Path, *, mark: bool) -> Path:
    document = docx.Document()
    if mark:
        add(document, ("中共某某县委员会", "方正小标宋简体", 42, True))
    add(document, ("关于加强安全生产工作的通知", "方正小标宋简体", 22, False))
    add(document, ("各乡镇党委：", "仿宋_GB2312", 16, False))
    add(document, ("为做好安全生产工作，现通知如下。", "仿宋_GB2312", 16, False))
    add(
        document,
        ("一、压实工作责任", "黑体", 16, False),
        ("各乡镇要落实属地责任，主要负责同志亲自抓。", "仿宋_GB2312", 16, False),
    )
    add(document, ("二、加强隐患排查", "黑体", 16, False), ("全面排查风险隐患，建立台账。", "仿宋_GB2312", 16, False))
    add(document, ("中共某某县委员会", "仿宋_GB2312", 16, False))
    add(document, ("2024年3月5日", "仿宋_GB2312", 16, False))
    document.save(str(path))
    return path


def test_a_large_red_line_is_the_mark_even_without_wenjian_or_a_number(tmp_path: Path) -> None:
    source = import_file(clerks_docx(tmp_path / "notice.docx", mark=True)).source
    assert source["title"] == "关于加强安全生产工作的通知"
    assert source["header"] == {"mark": ["中共某某县委员会"]}
    assert source["kind"] == "信函"  # a mark that is the organ's name alone (10.1)


def test_a_run_in_heading_ends_where_its_face_does(tmp_path: Path) -> None:
    source = import_file(clerks_docx(tmp_path / "notice.docx", mark=False)).source
    assert [(part["heading"], part.get("text")) for part in source["sections"]] == [
        ("压实工作责任", "各乡镇要落实属地责任，主要负责同志亲自抓。"),
        ("加强隐患排查", "全面排查风险隐患，建立台账。"),
    ]
    assert "header" not in source and source["title"] == "关于加强安全生产工作的通知"


def test_the_same_text_as_plain_text_splits_at_the_first_sentence_end(tmp_path: Path) -> None:
    """Without the faces only the words are there: the heading runs to the first 。, as before."""
    path = tmp_path / "notice.txt"
    lines = ["关于加强安全生产工作的通知", "各乡镇党委：", "为做好安全生产工作，现通知如下。"]
    lines += ["一、压实工作责任各乡镇要落实属地责任，主要负责同志亲自抓。", "中共某某县委员会", "2024年3月5日"]
    path.write_text("\n".join(lines), encoding="utf-8")
    (part,) = import_file(path).source["sections"]
    assert part["heading"] == "压实工作责任各乡镇要落实属地责任，主要负责同志亲自抓。" and "text" not in part
