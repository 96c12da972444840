"""Markdown drafts as sources: each fixture draft builds to the DOCX text of its hand-written YAML twin,
what a 公文 cannot hold is reported on its line, and errors carry the draft's file:line:column."""

from __future__ import annotations

import time
from pathlib import Path

import docx
import pytest
import yaml
from click.testing import CliRunner

from docgen.cli import main
from docgen.errors import SourceError
from docgen.importer.dispatch import import_file
from docgen.jobs.batch import source_jobs
from docgen.source.loader import load_document
from docgen.source.markdown import MAX_PARAGRAPH, compose_markdown, load_markdown

DRAFTS = Path(__file__).parents[1] / "fixtures" / "markdown"
HEAD = "---\norgan: 某市人民政府\ndate: 2024-01-01\n---\n# 关于做好有关工作的通知\n\n"
# Lines of each twin's DOCX that prove numbers are computed once, and typed ones kept where they differ.
EXPECTED = {
    "levels": ["二、重点任务", "（一）抓好城乡绿化", "1.推进道路绿化", "（2）县乡道两侧", "白蜡"],
    "typed": ["一、检查范围", "（二）建筑施工。重点检查高处作业和起重机械。", "（1）县城规划区内项目由县住建局负责。",
              "1、各乡镇要明确专人负责。"],
    "both": ["（一）校长负总责", "1.严把采购关。建立供应商准入制度。", "四、强化监督检查"],
    "runin": ["（一）坚持问题导向。对照反馈问题逐项整改，一是建立清单，二是明确时限，三是跟踪问效。",
              "（二）压实整改责任。各分局主要负责同志要亲自抓。",
              "1.针对“部分企业超标排放”的问题：一是开展专项执法检查；二是督促企业完成提标改造。"],
    "banner": ["000042", "秘密★1年", "加急", "某政发〔2024〕12号", "附件：2024年防汛重点工程清单",
               "（此件公开发布）", "抄送：市委各部门，市人大常委会办公厅。"],
}  # fmt: skip


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def docx_texts(path: Path) -> list[str]:
    """Every paragraph's text, then every table cell's, as the DOCX holds them."""
    document = docx.Document(str(path))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return [paragraph.text for paragraph in document.paragraphs] + cells


def build_docx(source: Path, out: Path) -> tuple[list[str], str]:
    code, output = run("build", str(source), "-o", str(out), "--format", "docx")
    assert code == 0, output
    return docx_texts(out / f"{source.stem}.docx"), output


def draft(tmp_path: Path, body: str, head: str = HEAD) -> Path:
    path = tmp_path / "draft.md"
    path.write_text(head + body, encoding="utf-8")
    return path


@pytest.mark.parametrize("name", list(EXPECTED))
def test_a_draft_builds_to_the_docx_text_of_its_yaml_twin(tmp_path: Path, name: str) -> None:
    from_markdown, output = build_docx(DRAFTS / f"{name}.md", tmp_path / "md")
    from_yaml, _ = build_docx(DRAFTS / f"{name}.yaml", tmp_path / "yaml")
    assert from_markdown == from_yaml
    for line in EXPECTED[name]:
        assert line in from_markdown, line
    assert not any(text.startswith(("一、一、", "（一）（一）", "1.1.")) for text in from_markdown)
    assert "note:" not in output  # these drafts hold nothing a 公文 cannot


@pytest.mark.parametrize("name", list(EXPECTED))
def test_import_writes_the_yaml_source_of_the_draft(tmp_path: Path, name: str) -> None:
    target = tmp_path / f"{name}.yaml"
    code, output = run("import", str(DRAFTS / f"{name}.md"), "-o", str(target))
    assert code == 0, output
    assert yaml.safe_load(target.read_text(encoding="utf-8"))["title"]
    assert load_document(target) == load_document(DRAFTS / f"{name}.yaml")


def test_markup_a_document_cannot_hold_is_reported_on_its_line_and_kept_as_text(tmp_path: Path) -> None:
    path = draft(
        tmp_path,
        "## 一、总体要求\n\n"  # line 7
        "坚持*人民*至上，详见[通知](https://example.org/a)。\n\n"  # 9
        "运行`docgen`命令，插入![印章](seal.png)图。\n\n"  # 11
        "- 第一条\n- 第二条\n\n"  # 13
        "> 引用的话\n\n"  # 16
        "```\n代码块内容\n```\n\n"  # 18
        "<div>网页内容</div>\n",  # 22
    )
    texts, output = build_docx(path, tmp_path / "out")
    notes = [line for line in output.splitlines() if "no part of a 公文" in line]
    located = {line.split("draft.md:", 1)[1].split(":", 1)[0] for line in notes}
    assert located == {"9", "11", "13", "16", "18", "22"}
    for what in ("emphasis", "a link (https://example.org/a)", "code", "an image (seal.png)", "bulleted list",
                 "quotation", "a code block", "HTML"):  # fmt: skip
        assert any(what in line for line in notes), what
    assert f"{path}:9:3: emphasis" in output  # the column of the opening *
    for kept in ("坚持人民至上，详见通知。", "运行docgen命令，插入印章图。", "第一条", "引用的话", "代码块内容",
                 "<div>网页内容</div>"):  # fmt: skip
        assert kept in texts, kept


def test_a_front_matter_error_is_located_at_the_draft_line(tmp_path: Path) -> None:
    head = "---\norgan: 某市人民政府\n# a comment\ndate: 2024-13-01\n---\n# 标题\n\n正文。\n"
    with pytest.raises(SourceError) as error:
        load_markdown(draft(tmp_path, "", head))
    assert (error.value.location.line, error.value.location.column) == (4, 7)
    assert "'date'" in error.value.message and "not a calendar date" in error.value.message


@pytest.mark.parametrize(
    ("front", "line", "words"),
    [
        ("organ: 某市人民政府\ndate: 2024-01-01\nheadr:\n  urgency: 特急\n", 4, "unknown key 'headr'"),
        ("organ: 某市人民政府\ndate: 2024-01-01\nheader:\n  urgency: 很急\n", 5, "'urgency'"),
        ("organ: [某市人民政府\ndate: 2024-01-01\n", 2, "not valid YAML"),  # where the bracket opens
        ("- organ\n", 2, "front matter must be keys and values"),
        ("organ: 某市人民政府\ndate: 2024-01-01\ntitle: 另一个标题\n", 6, "title is given twice: as 'title:'"),
        ("发文机关: 某市人民政府\n成文日期: 2024-01-01\n标题: 另一个标题\n", 6, "title is given twice: as '标题:'"),
        (
            "organ: 某市人民政府\n成文日期: 2024-01-01\n",
            3,
            "'成文日期' is a Chinese key, but this source names its keys in English (first 'organ' on line 2)",
        ),
    ],
)
def test_front_matter_errors_name_the_draft_and_line(tmp_path: Path, front: str, line: int, words: str) -> None:
    path = draft(tmp_path, "", f"---\n{front}---\n# 标题\n\n正文。\n")
    with pytest.raises(SourceError) as error:
        load_markdown(path)
    assert error.value.location.path == path and error.value.location.line == line, error.value
    assert words in error.value.message


@pytest.mark.parametrize(
    ("body", "line", "words"),
    [
        ("## 一、要求\n\n###### 太深\n", 9, "four levels deep"),
        ("## 一、要求\n\n# 第二个标题\n", 9, "second '#' heading"),
        ("| 甲 | 乙 |\n|---|---|\n| 1 | 2 |\n", 7, "table stands under a heading"),
        ("## 一、要求\n\n---\n\n## 二、其他\n", 11, "heading after the closing"),
        ("## 一、要求\n\n1. 针对“问题”的问题：\n", 9, "needs 'measures'"),
        ("## 一、要求\n\n正文\u202e倒序。\n", 9, "invisible format character"),
        ("## 要求\n\n" + "字" * (MAX_PARAGRAPH + 1) + "\n", 9, "paragraph of 20,001 characters"),
    ],
)
def test_body_errors_name_the_draft_line(tmp_path: Path, body: str, line: int, words: str) -> None:
    path = draft(tmp_path, body)
    with pytest.raises(SourceError) as error:
        load_markdown(path)
    assert error.value.location.path == path and error.value.location.line == line, error.value
    assert words in error.value.message


def test_lint_findings_point_into_the_draft(tmp_path: Path) -> None:
    path = draft(tmp_path, "## 一、总体要求\n\n各单位要高度重视,确保落实。\n")
    _, output = build_docx(path, tmp_path / "out")
    assert f"{path}:9:9: GB/T 15834: half-width ','" in output


def test_a_folder_of_drafts_is_built_with_its_yaml_sources(tmp_path: Path) -> None:
    for name in ("a.md", "b.markdown", "c.yaml", "d.txt"):
        (tmp_path / name).write_text("x", encoding="utf-8")
    jobs = source_jobs([str(tmp_path)], tmp_path / "out", ("docx",), Path("profile.yaml"), None)
    assert sorted(job.source.name for job in jobs) == ["a.md", "b.markdown", "c.yaml"]


def test_import_of_a_broken_draft_fails_located_and_writes_nothing(tmp_path: Path) -> None:
    path = draft(tmp_path, "## 一、要求\n\n###### 太深\n")
    code, output = run("import", str(path))
    assert code != 0 and f"{path}:9:1" in output
    assert not path.with_suffix(".yaml").exists()
    with pytest.raises(SourceError):
        import_file(path)


@pytest.mark.parametrize(
    "body",
    [
        ("![" * 9000 + "\n\n") * 20,  # markdown-it scans to the paragraph's end from each [
        "[" * 15000 + "]" * 4000 + "\n",
        "*_" * 9000 + "\n",
        ">" * 5000 + " 引用\n",
        "".join("  " * depth + "1. 条目\n" for depth in range(200)),
    ],
)
def test_hostile_drafts_cost_bounded_time(tmp_path: Path, body: str) -> None:
    path = draft(tmp_path, "## 一、要求\n\n" + body)
    start = time.perf_counter()
    try:
        compose_markdown(path)
    except SourceError as error:
        assert str(error).startswith(f"{path}:")
    assert time.perf_counter() - start < 3


def test_front_matter_in_chinese_keys_builds_as_in_english_keys(tmp_path: Path) -> None:
    """The draft's own keys decide its language: the keys docgen writes for the '#' title, the sections
    and the body belong to either (they were taken for English ones, and a Chinese front matter refused)."""
    body = "# 关于做好有关工作的通知\n\n各单位：\n\n## 总体要求\n\n正文。\n"
    (tmp_path / "zh").mkdir(), (tmp_path / "en").mkdir()
    chinese = draft(tmp_path / "zh", "", "---\n发文机关: 某市人民政府\n成文日期: 2024-01-01\n---\n" + body)
    english = draft(tmp_path / "en", "", "---\norgan: 某市人民政府\ndate: 2024-01-01\n---\n" + body)
    assert load_markdown(chinese)[0] == load_markdown(english)[0]
    assert load_markdown(chinese)[0].organs == ("某市人民政府",)
