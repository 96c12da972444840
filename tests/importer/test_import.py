"""`docgen import`: plain-text notices into sources, round trips, and garbage refused clearly."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
import yaml
from click.testing import CliRunner
from docx.oxml import parse_xml

from docgen.cli import main
from docgen.importer.dispatch import import_file
from docgen.importer.text import normalise
from support import ROOT, SAMPLE_TEXT

FIXTURES = Path(__file__).parents[1] / "fixtures"


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def test_the_sample_imports_to_the_committed_source(tmp_path: Path) -> None:
    target = tmp_path / "report.yaml"
    code, output = run("import", str(SAMPLE_TEXT), "-o", str(target))
    assert code == 0, output
    assert target.read_text(encoding="utf-8") == (ROOT / "data" / "report.yaml").read_text(encoding="utf-8")
    assert "29" not in output.split("wrote")[0] or "item 29" in output  # items are reported one by one


def test_a_notice_of_another_genre_lands_in_the_right_places(tmp_path: Path) -> None:
    result = import_file(FIXTURES / "tongzhi.txt")
    source = result.source
    assert source["title"] == ["济南市人民政府办公厅关于做好2024年", "春季森林防火工作的通知"]
    assert source["organ"] == "济南市人民政府办公厅"
    assert source["date"] == "二〇二四年三月五日"  # kept as published, printed so
    assert source["addressees"] == ["各区县人民政府，市政府各部门"]
    assert [s["heading"] for s in source["sections"]] == ["提高思想认识", "强化火源管控", "做好扑救准备"]
    first = source["sections"][0]["body"]
    assert first[0] == {
        "heading": "充分认清严峻形势。",
        "text": "今年以来，我市降水偏少，气温偏高，林区可燃物载量大，森林火险等级持续偏高。",
    }
    timing = source["sections"][1]["body"][0]
    assert timing["heading"] == "加强重点时段管控" and "text" not in timing
    assert timing["body"][1]["heading"] == "春耕生产期间严禁农事用火"
    assert timing["body"][1]["body"][0]["heading"].startswith("对烧荒")
    enumerated = source["sections"][1]["body"][1]
    assert enumerated["text"].startswith("一是全面排查") and "；二是建立" in enumerated["text"]  # stays inline
    assert source["closing"] == ["特此通知。"]
    assert source["note"] == "此件公开发布"  # 附注, printed in parentheses under the date
    assert source["header"] == {"number": "济政办字〔2024〕3号"} and result.kept == []


GENRES = ["tongzhi", "yijian", "tonggao", "tongbao", "qingshi"]


@pytest.mark.parametrize("genre", GENRES)
def test_nothing_is_lost_from_text_to_docx(tmp_path: Path, genre: str) -> None:
    """Every line of the text is in the built DOCX (numbers computed back, the date as published)
    or kept as a comment in the source."""
    source = tmp_path / f"{genre}.yaml"
    assert run("import", str(FIXTURES / f"{genre}.txt"), "-o", str(source), "-q")[0] == 0
    out = tmp_path / "out"
    code, output = run("build", str(source), "-o", str(out), "-f", "docx,pdf")
    assert code == 0, output
    built = "".join(p.text for p in docx.Document(str(out / f"{genre}.docx")).paragraphs).replace("\n", "")
    kept = source.read_text(encoding="utf-8")
    for line in (FIXTURES / f"{genre}.txt").read_text(encoding="utf-8").splitlines():
        text = normalise(line.strip())
        assert text in built or text in kept, text


def test_joint_issuance_and_attachment_notes_land_right() -> None:
    opinion = import_file(FIXTURES / "yijian.txt").source
    assert opinion["title"] == ["中共某某市委办公室 某某市人民政府办公室", "关于进一步加强基层减负工作的意见"]
    assert opinion["organs"] == ["中共某某市委办公室", "某某市人民政府办公室"]
    assert opinion["sections"][1]["body"][1]["text"] == "一是减少留痕要求；二是注重实绩实效。"  # stays inline
    notice = import_file(FIXTURES / "tonggao.txt").source
    assert notice["organs"] == ["某某市公安局", "某某市交通运输局"] and "addressees" not in notice
    assert notice["preamble"][0].endswith("现就有关事项通告如下：")
    report = import_file(FIXTURES / "tongbao.txt").source
    assert report["organ"] == "某某市人民政府办公室"
    assert report["attachments"] == ["2023年度政务公开工作考核优秀单位名单", "2023年度政务公开工作考核发现问题清单"]
    assert "closing" not in report
    forwarded = import_file(FIXTURES / "qingshi.txt").source
    assert forwarded["addressees"] == ["市政府"]
    assert "防汛物资储备　120" in forwarded["preamble"]  # a table pasted as text, cells kept


def test_imported_source_is_valid_yaml_for_the_loader(tmp_path: Path) -> None:
    target = tmp_path / "t.yaml"
    run("import", str(FIXTURES / "tongzhi.txt"), "-o", str(target), "-q")
    assert yaml.safe_load(target.read_text(encoding="utf-8"))["organ"] == "济南市人民政府办公厅"


def test_gbk_text_is_read_with_a_note(tmp_path: Path) -> None:
    gbk = tmp_path / "gbk.txt"
    gbk.write_bytes((FIXTURES / "tongzhi.txt").read_text(encoding="utf-8").encode("gbk"))
    code, output = run("import", str(gbk), "-o", str(tmp_path / "gbk.yaml"))
    assert code == 0 and "read as GB18030" in output


def test_garbage_gets_a_clear_message(tmp_path: Path) -> None:
    cases = {
        "binary.txt": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "binary file"),
        "empty.txt": (b"", "the file is empty"),
        "oneline.txt": (("字" * (10 * 1024 * 1024 // 3)).encode("utf-8"), "not a paragraph of a notice"),
        "mixed.txt": ("第一行是UTF-8中文\n".encode() + "第二行是GBK中文\n".encode("gbk"), "mixed encodings"),
        "prose.txt": ("这只是一段没有标题也没有落款日期的文字。\n".encode(), "found no"),
    }
    for name, (content, message) in cases.items():
        path = tmp_path / name
        path.write_bytes(content)
        code, output = run("import", str(path), "-o", str(tmp_path / f"{name}.yaml"))
        assert code == 2 and message in output and "Traceback" not in output, (name, output)
        assert not (tmp_path / f"{name}.yaml").exists()


def test_a_huge_file_is_refused_without_being_read(tmp_path: Path) -> None:
    huge = tmp_path / "huge.txt"
    with huge.open("wb") as stream:
        stream.truncate(100 * 1024 * 1024)  # sparse: reading it would cost 100 MB
    code, output = run("import", str(huge), "-o", str(tmp_path / "huge.yaml"))
    assert code == 2 and "the notice is 104,857,600 bytes, more than the limit of" in output


def test_docgens_own_docx_imports_back_to_the_source(tmp_path: Path) -> None:
    """DOCX → source: the same document, the title with the DOCX's line break, no portal metadata."""
    out = tmp_path / "out"
    assert run("build", str(ROOT / "data" / "report.yaml"), "-o", str(out), "-f", "docx")[0] == 0
    target = tmp_path / "again.yaml"
    code, output = run("import", str(out / "report.docx"), "-o", str(target), "-q")
    assert code == 0, output
    expected = yaml.safe_load((ROOT / "data" / "report.yaml").read_text(encoding="utf-8"))
    expected.pop("publication")
    expected["title"] = ["中共济南市委关于十二届省委第一轮", "巡视集中整改进展情况的通报"]
    assert yaml.safe_load(target.read_text(encoding="utf-8")) == expected


def tables_of(value: object) -> list[dict]:
    if isinstance(value, dict):
        return [value["table"]] if "table" in value else [t for item in value.values() for t in tables_of(item)]
    return [table for item in value for table in tables_of(item)] if isinstance(value, list) else []


def _numbered_docx(path: Path) -> None:
    """A Word file whose headings are numbered by Word itself (一、 （一） 1.), not typed."""
    document = docx.Document()
    numbering = document.part.numbering_part.element
    levels = "".join(
        f'<w:lvl w:ilvl="{level}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/><w:lvlText w:val="{text}"/></w:lvl>'
        for level, fmt, text in (
            (0, "chineseCounting", "%1、"),
            (1, "chineseCounting", "（%2）"),
            (2, "decimal", "%3."),
        )
    )
    namespace = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    numbering.insert(0, parse_xml(f'<w:abstractNum {namespace} w:abstractNumId="90">{levels}</w:abstractNum>'))
    numbering.append(parse_xml(f'<w:num {namespace} w:numId="90"><w:abstractNumId w:val="90"/></w:num>'))

    def add(text: str, level: int | None = None) -> None:
        paragraph = document.add_paragraph(text)
        if level is not None:
            paragraph._p.get_or_add_pPr().append(parse_xml(
                f'<w:numPr {namespace}><w:ilvl w:val="{level}"/><w:numId w:val="90"/></w:numPr>'
            ))  # fmt: skip

    add("关于开展安全生产大检查的通知")
    add("各区县人民政府：")
    add("为深入贯彻落实安全生产工作部署，切实防范化解重大安全风险，经研究，决定开展安全生产大检查。")
    add("总体要求", 0)
    add("压实责任。各单位主要负责人要亲自部署。", 1)
    add("加强督导。组织督导组开展随机抽查。", 1)
    add("检查重点", 0)
    add("危险化学品企业", 1)
    add("储存场所是否符合规范。", 2)
    add("应急预案是否定期演练。", 2)
    table = document.add_table(rows=2, cols=2)
    for row, cells in zip(table.rows, (("单位", "联系人"), ("市应急局", "王明")), strict=True):
        for cell, text in zip(row.cells, cells, strict=True):
            cell.text = text
    add("某某市安全生产委员会办公室")
    add("2024年3月5日")
    document.save(str(path))


def test_word_numbering_becomes_structure_and_tables_are_kept(tmp_path: Path) -> None:
    path = tmp_path / "numbered.docx"
    _numbered_docx(path)
    result = import_file(path)
    sections = result.source["sections"]
    assert [s["heading"] for s in sections] == ["总体要求", "检查重点"]
    assert [s["heading"] for s in sections[0]["body"]] == ["压实责任。", "加强督导。"]
    assert [s["heading"] for s in sections[1]["body"][0]["body"]] == [
        "储存场所是否符合规范。",
        "应急预案是否定期演练。",
    ]
    assert any("table of 2 rows" in line for line in result.report)
    # kept as the table it was, under the heading it followed
    assert tables_of(sections[1]) == [{"header": ["单位", "联系人"], "rows": [["市应急局", "王明"]]}]
    assert str(result.source["date"]) == "2024-03-05" and result.source["organ"] == "某某市安全生产委员会办公室"


def test_a_broken_docx_gets_a_clear_message(tmp_path: Path) -> None:
    path = tmp_path / "broken.docx"
    path.write_bytes(b"PK\x03\x04 not really a zip")
    code, output = run("import", str(path))
    assert code == 2 and "not a readable Word file" in output and "Traceback" not in output
