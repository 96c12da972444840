"""jieba's dictionary as an SQLite file: the cut is jieba's own (words and tags, for real notices and
for any mix of characters), made without importing jieba or loading its dictionary, and a damaged
file is made anew."""

from __future__ import annotations

import logging
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from docgen.files import word_dictionary
from docgen.files.word_dictionary import cut
from support import ROOT


@pytest.fixture(scope="module")
def jieba_cut() -> object:
    import jieba
    from jieba import posseg

    jieba.setLogLevel(logging.CRITICAL)
    tokenizer = posseg.POSTokenizer(jieba.dt)
    return lambda text: [(pair.word, pair.flag) for pair in tokenizer.cut(text, HMM=False)]


def _lines() -> list[str]:
    """Every line of the corpus notices, the sample and the examples' sources: titles and prose."""
    paths = [*sorted((ROOT / "tests" / "corpus" / "notices").glob("*.txt")), ROOT / "data" / "sample-notice.txt"]
    paths += sorted((ROOT / "examples").glob("*.yaml"))
    return [line.strip() for path in paths for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_real_notices_are_cut_as_jieba_cuts_them(jieba_cut: object) -> None:
    lines = _lines()
    assert len(lines) > 300
    for line in lines:
        assert list(cut(line)) == jieba_cut(line), line  # type: ignore[operator]


CHARACTERS = [*"关于进一步加强安全生产工作的通知国务院办公厅十二届第一轮巡视", *"AB abz09.+#&_"]
CHARACTERS += ["\r\n", "\t", *"　，。、（）"]


@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.lists(st.sampled_from(CHARACTERS), max_size=40).map("".join))
def test_any_mix_of_characters_is_cut_as_jieba_cuts_it(jieba_cut: object, text: str) -> None:
    assert list(cut(text)) == jieba_cut(text)  # type: ignore[operator]


def test_a_process_cuts_without_jieba_or_its_dictionary_in_memory(tmp_path: Path) -> None:
    environment = {"XDG_CACHE_HOME": str(tmp_path / "cache"), "PATH": "/usr/bin:/bin"}
    make = "from docgen.files.word_dictionary import cut; list(cut('通知'))"  # the first process makes the file
    subprocess.run([sys.executable, "-c", make], env=environment, check=True)
    script = (
        "import resource, sys; from docgen.files.word_dictionary import cut\n"
        "before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "print(list(cut('国务院关于在市场监管领域全面推行部门联合双随机一公开监管的意见')))\n"
        "assert 'jieba' not in sys.modules, 'jieba imported'\n"
        "grown = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before\n"
        "assert grown < 20_000, f'{grown} KB more'\n"  # jieba's dictionary in memory is 100 MB
    )
    result = subprocess.run([sys.executable, "-c", script], env=environment, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "('国务院', 'nt')" in result.stdout


def test_a_damaged_file_is_made_anew(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, jieba_cut: object) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    word_dictionary._dictionary.cache_clear()
    try:
        word_dictionary._dictionary()
        (made,) = (tmp_path / "cache" / "docgen" / "jieba").glob("words-*.sqlite")
        made.write_bytes(made.read_bytes()[:4096])  # cut short
        word_dictionary._dictionary.cache_clear()
        title = "国务院办公厅关于开展城镇小区配套幼儿园治理工作的通知"
        assert list(cut(title)) == jieba_cut(title)  # type: ignore[operator]
        assert made.stat().st_size > 4096
    finally:
        word_dictionary._dictionary.cache_clear()


def test_a_cache_that_cannot_be_written_cuts_from_memory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, jieba_cut: object
) -> None:
    blocker = tmp_path / "blocked"
    blocker.write_text("a file where the cache folder should be", encoding="utf-8")
    monkeypatch.setattr(word_dictionary, "cache_dir", lambda: blocker)
    word_dictionary._dictionary.cache_clear()
    try:
        title = "国务院关于河北雄安新区总体规划（2018—2035年）的批复"
        assert list(cut(title)) == jieba_cut(title)  # type: ignore[operator]
    finally:
        word_dictionary._dictionary.cache_clear()
