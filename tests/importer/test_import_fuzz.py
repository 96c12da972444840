"""Any text either imports to a source that builds, or is refused with a located error (file:line and
what was expected): never a traceback, never a source `docgen build` rejects (issue #14)."""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from docgen.compose.document import compose_paragraphs
from docgen.errors import DocgenError
from docgen.importer.text import import_lines
from docgen.profile import load_profile
from docgen.source.loader import load_document
from fuzzing import FUZZ

PROFILE = load_profile()
CJK = st.sampled_from(
    "关于开展工作的通知各区县人民政府市直部门为做好一二三四五六七八九十年月日附件此件公开发布抄送印发"
)
PUNCTUATION = st.sampled_from("，。、；：！？（）“”《》〔〕【】[]()—…:.,;　 \t0123456789")
FRAGMENT = st.one_of(
    st.text(st.one_of(CJK, PUNCTUATION), min_size=1, max_size=60),
    st.sampled_from([
        "某某市人民政府办公室", "国务院办公厅　中央军委办公厅", "2023年4月25日", "二〇二三年四月二十五日",
        "一九九六年二月三十日", "一、", "（一）", "1.", "1、", "（1）", "一三、", "十十、", "附件", "附件1", "附件：",
        "（此件公开发布）", "抄送：", "济政发〔2023〕5号", "国发[2019]5号", "各区县人民政府：", "一是", "针对“",
        "”的问题：", "发布日期：2023-04-25", "索 引 号：\t000014349/2019-00007\t主题分类：\t综合",
        "发文字号：\t国发〔2019〕5号\t发布日期：\t2019年02月15日", "某某市人民政府办公室　　2023年5月6日印发",
        "&sp;", "1" * 30,
    ]),
)  # fmt: skip
LINE = st.lists(FRAGMENT, min_size=1, max_size=4).map("".join)
SIGNATURE = st.tuples(
    st.sampled_from(["某某市人民政府", "教育部　财政部", "国务院办公厅"]),
    st.sampled_from(["2023年4月25日", "二〇二三年四月二十五日", "二00八年一月十八日", "2023年2月30日"]),
).map(list)
# Shaped like a notice, so that most cases get past the title and the signature: a title, a body, often
# a signature, and whatever may follow it (附注, 附件 pages, an enclosed document, the 版记).
NOTICE = st.tuples(
    st.lists(LINE, min_size=1, max_size=3),
    st.lists(LINE, max_size=12),
    st.one_of(SIGNATURE, st.just([])),
    st.lists(LINE, max_size=12),
    st.one_of(SIGNATURE, st.just([])),
).map(lambda parts: [line for part in parts for line in part])


@FUZZ
@given(NOTICE)
def test_any_text_imports_to_a_source_that_builds_or_is_refused_at_a_line(tmp_path_factory, lines: list[str]) -> None:
    folder = tmp_path_factory.mktemp("imported")
    path = folder / "notice.txt"
    try:
        result = import_lines(path, lines, [])
    except DocgenError as error:
        assert re.match(rf"{re.escape(str(path))}:\d+: \S", str(error)), str(error)
        return
    written = folder / "notice.yaml"
    written.write_text(result.yaml_text(path.name), encoding="utf-8")
    assert compose_paragraphs(load_document(written), PROFILE)


def test_a_refusal_names_the_line_and_what_was_expected(tmp_path: Path) -> None:
    path = tmp_path / "notice.txt"
    lines = ["关于开展安全生产检查的通知", "各区县人民政府：", "为做好安全生产工作，现通知如下。"]
    lines.append("某某市人民政府办公室")
    try:
        import_lines(path, lines, [])
    except DocgenError as error:
        assert str(error).startswith(f"{path}:4: ")
        assert "成文日期" in str(error) and "2023年4月25日" in str(error)
    else:
        raise AssertionError("a notice without a date imported")
