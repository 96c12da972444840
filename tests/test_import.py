"""`docgen import`: plain-text notices into sources, round trips, and garbage refused clearly."""

from __future__ import annotations

from pathlib import Path

import docx
import yaml
from click.testing import CliRunner

from docgen.cli import main
from docgen.importer import import_text, normalise
from support import ROOT, SAMPLE_TEXT

FIXTURES = Path(__file__).parent / "fixtures"


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
    result = import_text(FIXTURES / "tongzhi.txt")
    source = result.source
    assert source["title"] == ["济南市人民政府办公厅关于做好2024年", "春季森林防火工作的通知"]
    assert source["organ"] == "济南市人民政府办公厅"
    assert str(source["date"]) == "2024-03-05"  # from 二〇二四年三月五日
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
    assert source["closing"] == ["特此通知。", "（此件公开发布）"]
    assert result.kept == ["发文字号 济政办字〔2024〕3号"]


def test_nothing_is_lost_from_text_to_docx(tmp_path: Path) -> None:
    source = tmp_path / "tongzhi.yaml"
    assert run("import", str(FIXTURES / "tongzhi.txt"), "-o", str(source), "-q")[0] == 0
    out = tmp_path / "out"
    code, output = run("build", str(source), "-o", str(out), "-f", "docx")
    assert code == 0, output
    built = "".join(p.text for p in docx.Document(str(out / "tongzhi.docx")).paragraphs).replace("\n", "")
    kept = source.read_text(encoding="utf-8")
    for line in (FIXTURES / "tongzhi.txt").read_text(encoding="utf-8").splitlines():
        text = normalise(line.strip())
        assert text in built or text in kept or text.replace("二〇二四年三月五日", "2024年3月5日") in built, text
    assert "济政办字〔2024〕3号" in kept


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
