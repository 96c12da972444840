"""docgen speaks Chinese by default and English on request: the choice, the catalog it reads, and what
each command says in both languages (help, errors on bad sources, `check` findings).

The English msgids are the code's; the Chinese is the shipped zh_CN catalog, read here straight
from its .mo file, so a help text the CLI did not translate (or translated from the wrong text)
fails below.
"""

from __future__ import annotations

import gettext
import io
import re
import string
import unicodedata
from pathlib import Path

import docx
import pytest
import yaml
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from click.testing import CliRunner

from docgen import i18n
from docgen.check.findings import Finding, Severity, collapse, page_place
from docgen.cli import main
from support import ROOT

PO = i18n.LOCALE_DIR / "zh_CN" / "LC_MESSAGES" / "docgen.po"
MO = PO.with_suffix(".mo")
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2)}  # as `make catalogs` extracts them
CJK = re.compile(r"[\u4e00-\u9fff]")
CHINESE = gettext.GNUTranslations(MO.open("rb"))


def run(language: str, *args: str) -> tuple[int, str]:
    """`docgen ARGS` with DOCGEN_LANG=LANGUAGE; its exit code and what it printed (stdout and stderr)."""
    result = CliRunner(env={"DOCGEN_LANG": language}).invoke(main, list(args), prog_name="docgen")
    assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, result.output


@pytest.fixture(autouse=True)
def english_afterwards():
    """Each test leaves the process speaking as the rest of the suite expects."""
    yield
    i18n.speak(i18n.language_from_environment(), main)


def squashed(text: str) -> str:
    """TEXT without whitespace: click wraps help at spaces, anywhere in a line."""
    return re.sub(r"\s+", "", text)


# ---------------------------------------------------------------- the choice of language


@pytest.mark.parametrize(
    ("environment", "language"),
    [
        ({}, "zh"),
        ({"LANG": "C.UTF-8"}, "zh"),
        ({"LANG": "POSIX"}, "zh"),
        ({"LANG": "zh_CN.UTF-8"}, "zh"),
        ({"LANG": "de_DE.UTF-8"}, "zh"),  # Chinese whatever the locale, unless it asks for English
        ({"LANG": "en_US.UTF-8"}, "en"),
        ({"LANG": "en"}, "en"),
        ({"LC_ALL": "en_GB.UTF-8", "LANG": "zh_CN.UTF-8"}, "en"),  # LC_ALL overrides LANG
        ({"LC_ALL": "zh_CN.UTF-8", "LANG": "en_US.UTF-8"}, "zh"),
        ({"LC_MESSAGES": "en_US.UTF-8", "LANG": "zh_CN.UTF-8"}, "en"),
        ({"DOCGEN_LANG": "en", "LANG": "zh_CN.UTF-8"}, "en"),
        ({"DOCGEN_LANG": "zh", "LC_ALL": "en_US.UTF-8"}, "zh"),  # docgen's own setting first
    ],
)
def test_language_from_the_environment(environment: dict[str, str], language: str) -> None:
    assert i18n.language_from_environment(environment) == language


def test_lang_option_overrides_the_environment() -> None:
    _, english = run("zh", "--lang", "en", "lint", "--help")
    _, chinese = run("en", "--lang", "zh", "lint", "--help")
    assert "Usage:" in english and "Mend the mechanical findings" in english and not CJK.search(english)
    assert "用法：" in chinese and "就地修正" in chinese and "Usage:" not in chinese


def test_an_unknown_language_is_refused_by_click_in_the_environments_language() -> None:
    code, output = run("zh", "--lang", "fr", "fonts")
    assert code == 2 and "--lang" in output and "'fr'" in output and "zh" in output and "错误" in output


# ---------------------------------------------------------------- the catalog


def _catalog():
    with PO.open("rb") as file:
        return read_po(file, locale="zh_CN", domain="docgen")


def test_the_shipped_mo_is_compiled_from_the_shipped_po() -> None:
    compiled = io.BytesIO()
    write_mo(compiled, _catalog())
    assert compiled.getvalue() == MO.read_bytes(), "run `make catalogs`: docgen.mo is not docgen.po compiled"


def _code_messages() -> dict[str, str]:
    """Every msgid marked in docgen's code, and the file it is in."""
    found = {}
    for filename, _line, message, _comments, _context in extract_from_dir(
        ROOT / "src" / "docgen", [("**.py", "python")], keywords=KEYWORDS
    ):
        found[message if isinstance(message, str) else message[0]] = filename
    return found


def test_every_message_of_the_code_is_in_the_catalog_and_translated() -> None:
    catalog = _catalog()
    messages = _code_messages()
    assert len(messages) > 300  # the extractor found the code's messages at all
    untranslated = [
        f"{filename}: {message!r}"
        for message, filename in sorted(messages.items(), key=lambda item: item[1])
        if (entry := catalog.get(message)) is None
        or "fuzzy" in entry.flags
        or not (entry.string if isinstance(entry.string, str) else all(entry.string))
    ]
    assert not untranslated, "run `make catalogs` and translate:\n" + "\n".join(untranslated)


def _fields(text: str) -> set[str]:
    return {f"{name}!{conversion}:{spec}" for _, name, spec, conversion in string.Formatter().parse(text) if name}


def test_each_translation_has_the_fields_of_its_message() -> None:
    """A translation that lost {path} or {line} would lose the location the message names."""
    wrong = []
    for entry in _catalog():
        if not entry.id or "python-brace-format" not in entry.flags:
            continue
        english = entry.id if isinstance(entry.id, str) else entry.id[-1]
        chinese = entry.string if isinstance(entry.string, str) else entry.string[0]
        if chinese and _fields(chinese) != _fields(english):
            wrong.append(f"{english!r} → {chinese!r}")
    assert not wrong, "\n".join(wrong)


def test_a_location_that_begins_a_message_begins_its_translation() -> None:
    """file:line:column prefixes stay where tools look for them: first, and unchanged."""
    wrong = []
    for entry in _catalog():
        english = entry.id if isinstance(entry.id, str) else (entry.id or ("",))[0]
        prefix = re.match(r"(\{path\}|\{where\}|\{data\}|\{origin\})(:\{?\w+\}?)*", english or "")
        chinese = entry.string if isinstance(entry.string, str) else entry.string[0]
        if prefix and chinese and not chinese.startswith(prefix.group()):
            wrong.append(f"{english!r} → {chinese!r}")
    assert not wrong, "\n".join(wrong)


# ---------------------------------------------------------------- --help of every command


def _helped_options(command) -> list[str]:
    return [parameter.help for parameter in command.params if getattr(parameter, "help", None)]


@pytest.mark.parametrize(("environment", "option", "shown"), [
    ("zh", "en", "Show this message and exit."), ("en", "zh", "显示本帮助并退出。"), ("zh", None, "显示本帮助并退出。"),
])  # fmt: skip
def test_the_top_level_help_option_speaks_the_lang_asked_for(environment: str, option: str | None, shown: str) -> None:
    """docgen's own -h line: its option is made before --lang is read, in the environment's language."""
    code, output = run(environment, *(["--lang", option] if option else []), "-h")
    help_line = next(line for line in output.splitlines() if line.strip().startswith("-h, --help"))
    assert code == 0 and help_line.split(None, 2)[2] == shown


@pytest.mark.parametrize("name", sorted(main.commands))
def test_the_chinese_help_wraps_at_the_terminal_s_width(name: str) -> None:
    """A Chinese character takes two columns and a line may break between two of them: no help line is
    wider than the terminal, and the wrapped text is the whole text."""
    result = CliRunner(env={"DOCGEN_LANG": "zh"}).invoke(main, [name, "--help"], prog_name="docgen", terminal_width=80)
    lines = result.output.splitlines()
    assert result.exit_code == 0
    assert max(sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line) for line in lines) <= 80
    described = "".join(CHINESE.gettext(main.commands[name].help).split("\n\n")[0].split())
    assert described in "".join("".join(lines).split())


@pytest.mark.parametrize("name", sorted(main.commands))
def test_every_commands_help_in_both_languages(name: str) -> None:
    """The English help is the declared text; the Chinese help shows the catalog's translation of
    the command's description and of every option's help, and click's own words in Chinese."""
    code, english = run("en", name, "--help")
    assert code == 0 and english.startswith(f"Usage: docgen {name}") and "Options:" in english
    command = main.commands[name]
    # English now: the last run spoke it. A description's first paragraph, as click shows it.
    pairs = [(command.help.split("\n\n")[0], CHINESE.gettext(command.help).split("\n\n")[0])]
    pairs += [(text, CHINESE.gettext(text)) for text in _helped_options(command)]
    for text, _translated in pairs:
        assert squashed(text) in squashed(english)
    code, chinese = run("zh", name, "--help")
    assert code == 0 and chinese.startswith(f"用法： docgen {name}") and "选项:" in chinese
    assert "Usage:" not in chinese and "Options:" not in chinese
    assert "显示本帮助并退出。" in chinese and "Show this message and exit." not in chinese
    for text, translated in pairs:
        assert translated != text and CJK.search(translated), f"not translated: {text!r}"
        assert squashed(translated) in squashed(chinese), f"{text!r} not shown as {translated!r}"


@pytest.mark.parametrize(
    ("arguments", "chinese", "english"),
    [
        ((), ["用法： docgen [OPTIONS] COMMAND", "命令:", "生成公文", "--lang"], ["Commands:", "Build GB/T 9704-2012"]),
        (("build",), ["输出目录", "--output", "以逗号分隔：docx、pdf、html、ofd", "[默认：out]"],
         ["Folder for the built files", "--output", "[default: out]"]),
        (("batch",), ["--data", "数据行：.csv 或 .xlsx", "每一行生成一份公文"],
         ["Rows: .csv or .xlsx", "One document per row"]),
        (("check",), ["按 GB/T 9704 测量", "--json", "供程序读取", "--no-render"],
         ["Measure DOCX, PDF and OFD", "--json"]),
        (("lint",), ["GB/T 15834 标点符号用法", "--fix", "就地修正"], ["GB/T 15834 punctuation", "--strict"]),
        (("fonts",), ["列出每种字体由哪个字体文件提供"], ["Show which font file serves each face"]),
        (("import",), ["转换为 docgen 源文件", "--quiet"], ["into a docgen source"]),
        (("progress",), ["整改进展情况", "本期日期", "--as-of"], ["The progress update", "--as-of"]),
        (("diff",), ["本期新完成的任务", "逾期任务"], ["tasks newly done", "overdue tasks"]),
    ],
)  # fmt: skip
def test_help_says_what_a_user_looks_for(arguments: tuple[str, ...], chinese: list[str], english: list[str]) -> None:
    for language, words in (("zh", chinese), ("en", english)):
        code, output = run(language, *arguments, "--help")
        assert code == 0
        for word in words:
            assert squashed(word) in squashed(output), f"{language}: {word!r} not in\n{output}"


def test_the_format_help_names_every_format() -> None:
    from docgen.render import FORMATS

    _, english = run("en", "build", "--help")
    assert all(name in english.split("-f, --format")[1].split("\n")[0] + english for name in FORMATS)
    assert f"Comma-separated: {', '.join(FORMATS)}." in english


def test_clicks_own_errors_in_both_languages() -> None:
    code, chinese = run("zh", "bild")
    assert code == 2 and "错误：没有命令 'bild'。" in chinese and "是不是：'build'" in chinese
    assert "用“docgen --help”查看帮助。" in chinese
    code, english = run("en", "bild")
    assert code == 2 and "Error: No such command 'bild'." in english and "Try 'docgen --help' for help." in english
    code, chinese = run("zh", "build", "-f", "docx,xps", "x.yaml")
    assert code == 2 and "值无效" in chinese and "“docx,xps”" in chinese and "docx, pdf, html, ofd" in chinese
    code, chinese = run("zh", "build")
    assert code == 2 and "缺少参数 'SOURCES...'" in chinese


# ---------------------------------------------------------------- bad sources in both languages

HEAD = "title: 关于开展安全检查的通知\norgan: 某某市应急管理局\ndate: 2024-03-15\n"  # line 4 is a case's own


BAD_SOURCES = [
    # (name, source, location, Chinese words, English words)
    ("empty", "", ":1:1:", ["源文件为空"], ["the source is empty"]),
    ("no title", "organ: 某某市应急管理局\ndate: 2024-03-15\n", ":1:1:", ["公文缺少“title”（必填）"],
     ["the document has no 'title' (required)"]),
    ("not a date", HEAD.replace("2024-03-15", "2024-13-45"), ":3:7:", ["不是日历上的日期"], ["is not a calendar date"]),
    ("leading zero", HEAD.replace("2024-03-15", "2024年03月05日"), ":3:7:", ["有虚位", "不编虚位"],
     ["has a leading zero"]),
    ("urgency", HEAD + "header:\n  urgency: 很急\n", ":5:12:", ["紧急程度", "特急或加急", "“很急”"],
     ["'urgency' (紧急程度) is 特急 or 加急, got '很急'"]),
    ("secrecy", HEAD + "header:\n  secrecy: 内部\n", ":5:12:", ["密级", "以绝密、机密或秘密开头"],
     ["starts with 绝密, 机密 or 秘密"]),
    ("copy number", HEAD + "header:\n  copy_number: '12'\n", ":5:16:", ["份号", "六位阿拉伯数字"],
     ["six Arabic digits"]),
    ("kind", HEAD + "kind: 通知\n", ":4:7:", ["“kind”应为 文件、信函、命令、纪要"], ["'kind' must be one of"]),
    ("typed heading number", HEAD + "sections:\n  - heading: 一、总体要求\n", ":5:14:", ["序号由程序自动编排"],
     ["numbers are computed, remove it"]),
    ("alias", HEAD + "addressees: &a [各区县]\ncopy_to: *a\n", ":5:10:", ["锚点和别名"], ["anchors and aliases"]),
    ("a Word file", b"PK\x03\x04" + b"\0" * 64, ":1:1:", ["这是 Word 文件", "docgen import"], ["this is a Word file"]),
    ("UTF-16", "title: 通知\n".encode("utf-16"), ":1:1:", ["UTF-16 文本", "另存为 UTF-8"], ["this is UTF-16 text"]),
    ("GBK", HEAD.encode("gbk"), ":1:", ["不是 UTF-8 文本"], ["not UTF-8 text"]),
    ("attachment", HEAD + "attachments:\n  - title: 检查表。\n", ":5:12:", ["附件名称后不加标点符号"],
     ["an attachment's title ends without punctuation"]),
]  # fmt: skip


@pytest.mark.parametrize(("source", "location", "chinese", "english"), [case[1:] for case in BAD_SOURCES],
                         ids=[case[0] for case in BAD_SOURCES])  # fmt: skip
def test_bad_sources_in_both_languages(
    tmp_path: Path, source: str | bytes, location: str, chinese: list[str], english: list[str]
) -> None:
    path = tmp_path / "notice.yaml"
    path.write_bytes(source if isinstance(source, bytes) else source.encode("utf-8"))
    for language, label, words in (("zh", "源文件错误", chinese), ("en", "error in source", english)):
        code, output = run(language, "build", str(path), "-o", str(tmp_path / "out"), "-f", "docx")
        assert code == 2, output
        assert output.startswith(f"docgen: {label}: {path}{location}"), output
        for word in words:
            assert word in output, f"{language}: {word!r} not in {output}"
        assert "Traceback" not in output
        if language == "zh":  # nothing English but names and the source's own text
            ours = re.sub(r"（[^）]*）", "", output.split(location, 1)[1])  # Python's own reasons in brackets
            assert not re.search(r"\b(the|must|expected|got|is not)\b", ours), output
    assert not (tmp_path / "out").exists()


def test_a_bad_data_row_in_both_languages(tmp_path: Path) -> None:
    template = tmp_path / "notice.yaml"
    template.write_text(HEAD.replace("关于开展安全检查的通知", "关于{{ district }}安全检查的通知"), encoding="utf-8")
    rows = tmp_path / "rows.csv"
    rows.write_text("district,leader\n历下区,张三\n市中区,李四,王五\n", encoding="utf-8")
    for language, words in (("zh", "此行有 3 个单元格，表头有 2 个"), ("en", "this row has 3 cells; the header has 2")):
        code, output = run(language, "batch", str(template), "--data", str(rows), "-o", str(tmp_path / "out"))
        assert code == 2 and f"{rows}:3: {words}" in output, output


# ---------------------------------------------------------------- check on a wrong DOCX


@pytest.fixture
def wrong_docx(tmp_path: Path) -> Path:
    """A Word default document: Letter paper, 1-inch margins, 11 pt, one footer, no page number."""
    document = docx.Document()
    document.add_paragraph("关于开展安全检查的通知")
    document.add_paragraph("某某市应急管理局")
    path = tmp_path / "wrong.docx"
    document.save(str(path))
    return path


def test_check_on_a_wrong_docx_in_both_languages(wrong_docx: Path) -> None:
    code, chinese = run("zh", "check", "--no-render", str(wrong_docx))
    assert code == 1
    lines = chinese.splitlines()
    assert re.fullmatch(rf"{re.escape(str(wrong_docx))}: \d+ 处问题", lines[0]), lines[0]
    assert "  必须        5.2.1      第 1 节：幅面尺寸：216 × 279 mm（应为 A4, 210 × 297 mm）" in lines
    assert "  必须        5.2.2      第 1 节：天头（上白边）：25.4 mm（应为 37 mm ± 1）" in lines
    assert any("7.1        大部分文字：正文字号：11 pt" in line for line in lines)
    assert any(line.startswith("  一般        7.5 ") and "页码" in line for line in lines)
    code, english = run("en", "check", "--no-render", str(wrong_docx))
    assert code == 1
    assert english.splitlines()[0] == f"{wrong_docx}: {len(lines) - 1} finding(s)"
    assert "  REQUIRED    5.2.1      section 1: paper size: 216 × 279 mm (expected A4, 210 × 297 mm)" in english
    assert "top margin (天头): 25.4 mm (expected 37 mm ± 1)" in english and not CJK.search(
        english.split("天头")[1][:20]
    )


def test_check_json_keeps_its_keys_and_severities_in_both_languages(wrong_docx: Path) -> None:
    import json

    reports = {}
    for language in ("zh", "en"):
        code, output = run(language, "check", "--json", "--no-render", str(wrong_docx))
        assert code == 1
        reports[language] = json.loads(output)[0]["findings"]
    chinese, english = reports["zh"], reports["en"]
    assert [sorted(f) for f in chinese] == [sorted(f) for f in english]
    assert sorted(chinese[0]) == ["clause", "expected", "measured", "rule", "severity", "where"]
    assert [(f["clause"], f["severity"]) for f in chinese] == [(f["clause"], f["severity"]) for f in english]
    assert {f["severity"] for f in chinese} <= {s.value for s in Severity}
    assert {"幅面尺寸", "天头（上白边）", "订口（左白边）"} <= {f["rule"] for f in chinese}
    assert {"paper size", "top margin (天头)", "left margin (订口)"} <= {f["rule"] for f in english}


def test_an_unreadable_file_for_check_in_both_languages(tmp_path: Path) -> None:
    path = tmp_path / "notice.txt"
    path.write_text("x", encoding="utf-8")
    assert run("zh", "check", str(path)) == (2, f"docgen: 错误: {path}：docgen check 只检查 .docx、.pdf 和 .ofd 文件\n")
    assert run("en", "check", str(path)) == (
        2,
        f"docgen: error: {path}: docgen check reads .docx, .pdf and .ofd files\n",
    )


@pytest.mark.parametrize(
    ("language", "merged"),
    [("zh", "第 2、3、5 页"), ("en", "pages 2, 3, 5")],
)
def test_findings_of_many_pages_merge_in_either_language(language: str, merged: str) -> None:
    i18n.set_language(language)
    findings = [Finding("7.5", Severity.NORMALLY, "页码", page_place(n), f"{n}", "— N —") for n in (2, 3, 5)]
    [finding] = collapse(findings)
    assert finding.where == merged
    assert finding.measured == ("例如 2" if language == "zh" else "e.g. 2")


def test_worker_processes_speak_the_runs_language(tmp_path: Path) -> None:
    """Two sources build in two worker processes: their errors come back in the language of the run."""
    folder = tmp_path / "sources"
    folder.mkdir()
    (folder / "a.yaml").write_text("", encoding="utf-8")
    (folder / "b.yaml").write_text("organ: 某某市应急管理局\ndate: 2024-03-15\n", encoding="utf-8")
    expected = {
        "zh": ["生成 0 份，跳过 0 份（未改动），失败 2 份", f"失败 {folder / 'a.yaml'}:1:1: 源文件为空",
               f"失败 {folder / 'b.yaml'}:1:1: 公文缺少“title”（必填）"],
        "en": ["0 built, 0 skipped (unchanged), 2 failed", f"FAILED {folder / 'a.yaml'}:1:1: the source is empty",
               f"FAILED {folder / 'b.yaml'}:1:1: the document has no 'title' (required)"],
    }  # fmt: skip
    for language, lines in expected.items():
        code, output = run(language, "build", str(folder), "-j", "2", "-o", str(tmp_path / "out"), "-f", "docx")
        assert code == 1, output
        for line in lines:
            assert line in output, f"{language}: {line!r} not in\n{output}"


# ---------------------------------------------------------------- lint, diff and fonts


def test_lint_in_both_languages(tmp_path: Path) -> None:
    source = tmp_path / "notice.yaml"
    source.write_text(HEAD + "preamble:\n  - 为做好安全检查工作,现将有关事项通知如下。\n", encoding="utf-8")
    expected = {
        "zh": [f"{source}:5:14: GB/T 15834: 中文中用了半角“,”（可自动修正）", "1 处问题"],
        "en": [f"{source}:5:14: GB/T 15834: half-width ',' in Chinese text (fixable)", "1 finding(s)"],
    }
    for language, lines in expected.items():
        code, output = run(language, "lint", "--strict", str(source))
        assert code == 1 and output.splitlines() == lines, output


def test_ledger_diff_in_both_languages() -> None:
    old, new = ROOT / "data" / "ledger.yaml", ROOT / "data" / "ledger-2023-10.yaml"
    expected = {
        "zh": [f"{old}（截至 2023-04-25） → {new}（截至 2023-10-31）", "本期新完成（6）：", "其他状态变化（1）：",
               "截至 2023-10-31 逾期（1）：", "  5. 起步区规划建设用力不足 — 期限 2023-06-30，推进中",
               "新增整改措施（7）："],
        "en": [f"{old} as of 2023-04-25 → {new} as of 2023-10-31", "newly done (6):", "other status changes (1):",
               "overdue on 2023-10-31 (1):", "  5. 起步区规划建设用力不足 — due 2023-06-30, 推进中",
               "new measures (7):"],
    }  # fmt: skip
    for language, lines in expected.items():
        code, output = run(language, "diff", str(old), str(new))
        assert code == 0
        for line in lines:
            assert line in output.splitlines(), f"{language}: {line!r} not in\n{output}"


def test_fonts_in_both_languages() -> None:
    code, chinese = run("zh", "fonts")
    assert code == 0 and ("公文字体" in chinese or "免费替代字体" in chinese) and "found at" not in chinese
    code, english = run("en", "fonts")
    assert (
        code == 0
        and ("office face" in english or "free stand-in" in english)
        and not CJK.search(
            re.sub(r"\S*[\u4e00-\u9fff]\S*", "", english.replace("(fallback)", ""))  # face names are Chinese
        )
    )


# ---------------------------------------------------------------- each module's own messages in Chinese


def test_the_refused_web_notice_says_why_in_chinese(tmp_path: Path) -> None:
    source = tmp_path / "notice.yaml"
    source.write_text(HEAD + "header:\n  secrecy: 秘密★1年\n", encoding="utf-8")
    code, output = run("zh", "build", str(source), "-o", str(tmp_path / "out"), "-f", "html")
    assert code == 2, output
    assert "不生成网页版" in output and "公文标有密级“秘密★1年”（header.secrecy），涉密公文不公开发布" in output, output
    source.write_text(HEAD + "note: 此件不公开\n", encoding="utf-8")
    code, output = run("zh", "build", str(source), "-o", str(tmp_path / "out"), "-f", "html")
    assert code == 2 and "其附注（note）为（此件不公开）" in output and "says" not in output, output
    assert not (tmp_path / "out").exists()


def test_a_markdown_drafts_notes_and_errors_in_chinese(tmp_path: Path) -> None:
    draft = tmp_path / "draft.md"
    draft.write_text(
        "---\norgan: 某某市应急管理局\ndate: 2024-03-15\n---\n\n# 关于开展安全检查的通知\n\n"
        "各单位：**现将**有关事项通知如下。\n\n## 一、总体要求\n\n> 引文\n",
        encoding="utf-8",
    )
    code, output = run("zh", "build", str(draft), "-o", str(tmp_path / "out"), "-f", "docx")
    assert code == 0, output
    assert f"{draft}:8:5: 粗体不属于公文的内容；按纯文本保留" in output, output
    assert f"{draft}:12:1: 引用（>）不属于公文的内容；其段落按正文保留" in output, output
    draft.write_text("# 关于开展安全检查的通知\n\n# 第二个标题\n", encoding="utf-8")
    code, output = run("zh", "build", str(draft), "-o", str(tmp_path / "out"), "-f", "docx")
    assert code == 2 and f"{draft}:3:1: 第二个“#”标题：草稿中只有公文标题用“#”" in output, output


def test_a_templates_error_in_chinese(tmp_path: Path) -> None:
    template = tmp_path / "notice.yaml"
    template.write_text(
        "title: '{% macro m() %}x{% endmacro %}关于{{ district }}安全检查的通知'\n" + HEAD.split("\n", 1)[1],
        encoding="utf-8",
    )
    rows = tmp_path / "rows.csv"
    rows.write_text("district\n历下区\n", encoding="utf-8")
    code, output = run("zh", "batch", str(template), "--data", str(rows), "-o", str(tmp_path / "out"))
    assert code == 2 and f"{template}:1:8: {rows} 第 2 行：模板：docgen 模板不支持 {{% macro %}}" in output, output


def test_a_bad_ledger_in_chinese(tmp_path: Path) -> None:
    ledger = tmp_path / "ledger.yaml"
    ledger.write_text(
        "as_of: 2023-04-25\ngroups:\n  - heading: 关于“安全生产”方面\n    problems:\n      - id: '1'\n"
        "        problem: 某问题\n        leader: 分管副局长\n        unit: 某局\n        deadline: 2023-06-30\n"
        "        status: 很好\n",
        encoding="utf-8",
    )
    code, output = run("zh", "progress", str(ledger), "-o", str(tmp_path / "out"))
    assert code == 2 and f"{ledger}:10:17: 问题 1：没有“很好”这种状态（可用的状态：未启动, 推进中" in output, output
    code, output = run(
        "zh", "progress", str(ROOT / "data" / "ledger.yaml"), "--as-of", "2024-01-01", "-o", str(tmp_path)
    )
    assert code == 2 and "台账只记到 2023-04-25（“as_of”），无法反映 2024-01-01 的情况" in output, output


def test_an_imports_report_and_its_guesses_in_chinese(tmp_path: Path) -> None:
    """The report in Chinese still counts its guesses: a skipped level (1. under 一、) is one."""
    notice = tmp_path / "notice.txt"
    notice.write_text(
        "关于开展安全检查的通知\n各区县应急管理局：\n为做好安全检查工作，现将有关事项通知如下。\n一、总体要求\n"
        "1.具体要求\n全面排查各类隐患。\n某某市应急管理局\n2024年3月15日\n",
        encoding="utf-8",
    )
    code, chinese = run("zh", "import", str(notice), "-o", str(tmp_path / "zh.yaml"))
    assert code == 0, chinese
    assert "  第 5 行：第 3 层在第 1 层之下：跳过了一层（不确定）" in chinese.splitlines(), chinese
    assert "  第 8 行：成文日期（确定）；第 7–7 行：署名（有把握）" in chinese.splitlines(), chinese
    assert f"已写入 {tmp_path / 'zh.yaml'}（共 8 处判断，其中 1 处为推测：见上）" in chinese, chinese
    assert "sure" not in chinese and "line " not in chinese
    code, english = run("en", "import", str(notice), "-o", str(tmp_path / "en.yaml"))
    assert code == 0 and "(8 decisions, 1 of them guesses: see above)" in english, english
    # The same source; its heading comments, which say what the import did, in the interface's language.
    zh_source, en_source = ((tmp_path / f"{name}.yaml").read_text(encoding="utf-8") for name in ("zh", "en"))
    assert zh_source.startswith("# 由 docgen 从 notice.txt 导入。\n") and "# Imported by docgen" in en_source
    assert yaml.safe_load(zh_source) == yaml.safe_load(en_source)


def test_an_unreadable_word_file_in_chinese(tmp_path: Path) -> None:
    notice = tmp_path / "notice.docx"
    notice.write_bytes(b"PK\x03\x04 not really a zip")
    code, output = run("zh", "import", str(notice))
    assert code == 2 and output.startswith(f"docgen: 错误: {notice}：不是可读取的 Word 文件（.docx）（"), output
    code, output = run("en", "import", str(notice))
    assert code == 2 and f"{notice}: not a readable Word file (.docx) (" in output, output


def test_a_workbook_docgen_does_not_read_in_chinese(tmp_path: Path) -> None:
    workbook = tmp_path / "ledger.xlsm"
    workbook.write_bytes(b"PK\x03\x04")
    code, output = run("zh", "progress", str(workbook), "-o", str(tmp_path / "out"))
    assert code == 2 and output == (
        f"docgen: 错误: {workbook}：启用宏的工作簿（.xlsm）；docgen 不读取带宏的工作簿："
        "请用 Excel 或 WPS 打开，另存为 Excel 工作簿（.xlsx），不带宏\n"
    ), output
