"""jieba's dictionary kept as an SQLite file: a sentence segmented by looking up its own substrings,
not by loading the dictionary's 350,000 words into every process.

jieba reads its whole dictionary (and its part-of-speech tags, a second time) before it cuts the first
word: two seconds and 100 MB in each process that breaks a title, where a title needs the few hundred
of its own substrings. ``cut`` gives what ``jieba.posseg.POSTokenizer(jieba.dt).cut(text, HMM=False)``
gives (the same maximum-frequency route through the same word graph, the same tags and the same
handling of letters, digits and spaces), from the same dictionary file, found without importing
jieba; the SQLite file is made once, in docgen's cache folder, beside jieba's own cache.
"""

from __future__ import annotations

import importlib.util
import math
import os
import re
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from docgen.files.cache import cache_dir

_FORMAT = 1  # bumped when the file's tables change
_BATCH = 500  # substrings looked up in one query
# jieba.posseg's own patterns: runs it segments with the dictionary, whitespace, digits, letters.
_SEGMENTED = re.compile("([\u4e00-\u9fd5a-zA-Z0-9+#&\\._]+)")
_SPACE = re.compile("(\r\n|\\s)")
_LETTERS_OR_DIGITS = re.compile("[a-zA-Z0-9]+")
_NUMBER = re.compile("[\\.0-9]+")
_ONE_LETTER_OR_DIGIT = re.compile("^[a-zA-Z0-9]$", re.U)


def cut(text: str) -> Iterator[tuple[str, str]]:
    """``text`` as words and their part-of-speech tags, as jieba's tagging segmenter cuts it without
    guessing words the dictionary lacks (HMM=False)."""
    for block in _SEGMENTED.split(text):
        if _SEGMENTED.match(block):
            yield from _cut_block(block, _dictionary().entries(block))
            continue
        for piece in _SPACE.split(block):
            if _SPACE.match(piece):
                yield piece, "x"
            else:
                for char in piece:
                    tag = "m" if _NUMBER.match(char) else "eng" if _LETTERS_OR_DIGITS.match(piece) else "x"
                    yield char, tag


def _cut_block(block: str, entries: dict[str, tuple[int, str | None]]) -> Iterator[tuple[str, str]]:
    """jieba's route through the block's word graph: the most probable sequence of dictionary words
    (a word's probability its frequency over the dictionary's total), runs of single letters and
    digits joined into one 'eng' word."""
    total = math.log(_dictionary().total)
    ends = _word_ends(block, entries)
    route: dict[int, tuple[float, int]] = {len(block): (0.0, 0)}
    for start in range(len(block) - 1, -1, -1):
        route[start] = max(
            (math.log(entries.get(block[start : end + 1], (0, None))[0] or 1) - total + route[end + 1][0], end)
            for end in ends[start]
        )
    position, letters = 0, ""
    while position < len(block):
        end = route[position][1] + 1
        word = block[position:end]
        if _ONE_LETTER_OR_DIGIT.match(word):
            letters += word
        else:
            if letters:
                yield letters, "eng"
                letters = ""
            yield word, entries.get(word, (0, None))[1] or "x"
        position = end
    if letters:
        yield letters, "eng"


def _word_ends(block: str, entries: dict[str, tuple[int, str | None]]) -> dict[int, list[int]]:
    """jieba's word graph: for each start, the ends of the dictionary words beginning there (a word is
    extended while it is a dictionary word or the beginning of one), or the start itself."""
    graph = {}
    for start in range(len(block)):
        ends, end = [], start
        while end < len(block) and block[start : end + 1] in entries:
            if entries[block[start : end + 1]][0]:
                ends.append(end)
            end += 1
        graph[start] = ends or [start]
    return graph


@dataclass(frozen=True)
class _Dictionary:
    connection: sqlite3.Connection  # read only, shared by the process's threads
    total: int  # the frequencies' sum, as jieba counts it
    longest: int  # characters in the longest word
    lock: threading.Lock = field(default_factory=threading.Lock)

    def entries(self, block: str) -> dict[str, tuple[int, str | None]]:
        """Every substring of ``block`` the dictionary holds, as a word (its frequency and tag) or as
        the beginning of one (frequency 0)."""
        substrings = list(
            {block[start:end] for start in range(len(block)) for end in range(start + 1, len(block) + 1)
             if end - start <= self.longest}
        )  # fmt: skip
        found: dict[str, tuple[int, str | None]] = {}
        with self.lock:
            for index in range(0, len(substrings), _BATCH):
                batch = substrings[index : index + _BATCH]
                query = f"SELECT word, freq, tag FROM words WHERE word IN ({','.join('?' * len(batch))})"
                found.update((word, (freq, tag)) for word, freq, tag in self.connection.execute(query, batch))
        return found


@cache
def _dictionary() -> _Dictionary:
    """The SQLite copy of jieba's dictionary, made the first time (a second or two); made in memory,
    each time, where the cache folder cannot be written."""
    source = _source()
    status = source.stat()
    path = cache_dir() / "jieba" / f"words-{_FORMAT}-{status.st_size}-{int(status.st_mtime)}.sqlite"
    try:
        if not _readable(path):
            _make(source, path)
        connection = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True, check_same_thread=False)
    except OSError:
        connection = sqlite3.connect(":memory:", check_same_thread=False)
        with connection:
            _fill(connection, source)
    total, longest = connection.execute("SELECT total, longest FROM meta").fetchone()
    return _Dictionary(connection, total, longest)


def _source() -> Path:
    """jieba's dictionary file, found without importing jieba (its import and set-up cost more than the cut)."""
    spec = importlib.util.find_spec("jieba")
    if spec is None or spec.origin is None:
        raise ModuleNotFoundError("jieba is not installed")
    return Path(spec.origin).parent / "dict.txt"


def _readable(path: Path) -> bool:
    try:
        with closing(sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)) as connection:
            return connection.execute("SELECT total, longest FROM meta").fetchone() is not None
    except sqlite3.Error:
        return False


def _make(source: Path, path: Path) -> None:
    """The file, written whole under a temporary name, then renamed."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.unlink(missing_ok=True)
    with closing(sqlite3.connect(temporary)) as connection, connection:
        _fill(connection, source)
    os.replace(temporary, path)


def _fill(connection: sqlite3.Connection, source: Path) -> None:
    """The words of ``source`` as jieba reads them: a later line's frequency and tag replace an earlier
    one's, every beginning of a word is an entry of frequency 0 unless it is a word, and the total
    counts every line."""
    entries: dict[str, tuple[int, str | None]] = {}
    total = 0
    for line in source.read_text(encoding="utf-8").splitlines():
        word, freq, tag = (line.strip().split(" ") + [""] * 3)[:3]
        if not word:
            continue
        entries[word] = (int(freq), tag or None)
        total += int(freq)
        for end in range(1, len(word)):
            entries.setdefault(word[:end], (0, None))
    connection.execute("CREATE TABLE words (word TEXT PRIMARY KEY, freq INTEGER, tag TEXT) WITHOUT ROWID")
    connection.executemany("INSERT INTO words VALUES (?, ?, ?)", ((w, f, t) for w, (f, t) in entries.items()))
    connection.execute("CREATE TABLE meta (total INTEGER, longest INTEGER)")
    connection.execute("INSERT INTO meta VALUES (?, ?)", (total, max(map(len, entries))))
