"""Chinese typesetting rules shared by all renderers: widths in characters, 避头尾, title breaks."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import accumulate, pairwise

# GB/T 15834 punctuation that may not begin a line (行首禁则) and may not end one (行尾禁则). A
# 破折号 —— may begin a line (only its two halves may not part: see DASHES); a per cent sign, half
# or full width, stays with its number.
NO_LINE_START = frozenset("，。、；：？！）》」』】〕〉”’…·％‰%")
# The 破折号: two 一字线 (U+2014) or one two-em dash (U+2E3A), never split over two lines.
DASHES = ("——", "⸺")
NO_LINE_END = frozenset("（《「『【〔〈“‘")


# GB/T 15834: in Chinese text these marks are full-width. A half-width one beside Chinese
# text (hanzi, full-width forms, CJK marks, quotes) is a slip; 1,000 and 10:30 stay as they are.
FULL_WIDTH = {",": "，", ":": "：", ";": "；", "?": "？", "!": "！", "(": "（", ")": "）"}
_CHINESE = "\u3000-\u303f\u3400-\u9fff\uff00-\uffef“”‘’"
HALF_WIDTH_MARK = re.compile(rf"(?<=[{_CHINESE}])[,:;?!]|[,:;?!](?=[{_CHINESE}])")
HALF_WIDTH_PARENS = re.compile(r"\(([^()]*[\u3400-\u9fff][^()]*)\)")
# A half-width . after Chinese text and before its end, a space or more Chinese text ends a
# sentence: 。. A . between digits or letters (1.5, www.gov.cn, 报告.docx, e.g.) stays.
HALF_WIDTH_PERIOD = re.compile(rf"(?<=[{_CHINESE}])\.(?![^\s{_CHINESE}])")


def full_width_marks(text: str) -> str:
    """``text`` with its half-width , : ; ? ! ( ) in Chinese text made full-width."""
    text = HALF_WIDTH_MARK.sub(lambda match: FULL_WIDTH[match.group()], text)
    return HALF_WIDTH_PARENS.sub(r"（\1）", text)


def is_wide(char: str) -> bool:
    """True for characters set on the full-width (one 字) cell."""
    return unicodedata.east_asian_width(char) in ("W", "F") or char in "“”‘’…—"


def width_in_chars(text: str) -> float:
    """Width in 字 as GB/T 9704 counts it: a hanzi or full-width mark is 1, a digit 0.5."""
    return sum(1.0 if is_wide(char) else 0.5 for char in text)


def terminal_columns(text: str) -> int:
    """Columns ``text`` takes on a terminal: two for a wide character, one for any other."""
    return sum(2 if unicodedata.east_asian_width(char) in ("W", "F") else 1 for char in text)


# A terminal line may break before a wide character or at a space; a run of narrow ones stays whole.
# Compiled by re on first use (only help text is wrapped): the wide class takes milliseconds.
_TERMINAL_UNITS = r"\s+|[^\s\u2e80-\uffef]+|."


def terminal_lines(text: str, width: int, first_indent: str = "", indent: str = "") -> str:
    """``text`` in greedy lines of at most ``width`` terminal columns, breaking between Chinese characters
    (which have no spaces between them) or at spaces; a mark that may not begin a line (避头尾) takes the
    unit before it down with it."""
    lines: list[str] = []
    line: list[str] = [first_indent]
    for unit in re.findall(_TERMINAL_UNITS, text):
        if unit.isspace() and len(line) == 1:
            continue  # no line begins with a space
        if terminal_columns("".join(line) + unit) > width and len(line) > 1 and not unit.isspace():
            carried = [line.pop()] if unit in NO_LINE_START and len(line) > 2 else []
            lines.append("".join(line).rstrip())
            line = [indent, *carried]
        line.append(unit)
    return "\n".join([*lines, "".join(line).rstrip()])


def is_hanzi(char: str) -> bool:
    return "\u3400" <= char <= "\u9fff" or "\uf900" <= char <= "\ufaff" or "\U00020000" <= char <= "\U0003ffff"


def meets_western(left: str, right: str) -> bool:
    """Whether a 中西文 gap goes between two neighbours: a hanzi beside a Latin letter or digit."""
    pair = (left, right)
    return any(map(is_hanzi, pair)) and any(char.isascii() and char.isalnum() for char in pair)


def set_width_in_chars(text: str, western_gap_em: float) -> float:
    """Width in 字 as the text is set: with the 中西文 gaps Word and LibreOffice add."""
    gaps = sum(meets_western(left, right) for left, right in pairwise(text))
    return width_in_chars(text) + gaps * western_gap_em


# Places a title may break: after these words, or before 关于.
_BREAK_AFTER = ("关于", "的", "和", "及", "与")
_UNIT_WORDS = frozenset(("年度", "季度", "月份", "年底", "年初"))
_NUMBER_LEADS = frozenset("第〇一二三四五六七八九十百千")
_PAIRS = {"《": "》", "“": "”", "（": "）", "〔": "〕"}
# Nouns of at most two characters side by side read as one compound (综合枢纽, 济南东站), and so
# does a session with its body (十九届中央): a break there costs as much as three characters of
# imbalance. jieba's tags: n… nouns, vn verbal nouns, j abbreviations.
_NOMINAL_TAGS = ("n", "vn", "j")
_COMPOUND_BREAK_COST = 3.0
_MOST_BALANCED_LINES = 10  # a title is 2 or 3 lines; past 10 (a paragraph given as a title) it is just filled


def _words(text: str) -> Iterator[tuple[str, str]]:
    """``text`` as dictionary words with their part-of-speech tags (the dictionary only: no guessed
    words), as jieba's tagging segmenter cuts it, from docgen's SQLite copy of jieba's dictionary
    (files/word_dictionary.py: 1 ms and no 100 MB dictionary in each process)."""
    from docgen.files.word_dictionary import cut

    yield from cut(text)


def _word_breaks(text: str) -> tuple[set[int], set[int]]:
    """Positions between two words, and those of them inside a compound of short nouns."""
    between: set[int] = set()
    compound: set[int] = set()
    position, previous = 0, ("", "")
    for word, flag in _words(text):
        if position:
            between.add(position)
            short_nouns = all(len(w) <= 2 and f.startswith(_NOMINAL_TAGS) for w, f in (previous, (word, flag)))
            if short_nouns or (previous[0].endswith("届") and flag.startswith(_NOMINAL_TAGS)):
                compound.add(position)
        position += len(word)
        previous = (word, flag)
    return between, compound


def _unbreakable_positions(text: str, keep_quotations: bool, words: set[int] | None) -> set[int]:
    """Break positions (index of the first char of the next line) that split a word-like unit;
    with ``words`` (the positions between words) every other one too."""
    blocked = set(range(1, len(text))) - words if words is not None else set()
    depth_close: list[str] = []
    for index, char in enumerate(text):
        if keep_quotations and depth_close and index > 0:
            blocked.add(index)
        if char in _PAIRS:
            depth_close.append(_PAIRS[char])
        elif depth_close and char == depth_close[-1]:
            depth_close.pop()
        if index > 0 and (text[index - 1] in _NUMBER_LEADS or text[index - 1].isdigit()):
            blocked.add(index)  # keep 第一轮, 十二届, 2023年 whole
        if text[index - 1 : index + 1] in (*_UNIT_WORDS, *DASHES):
            blocked.add(index)  # nor 年度, 季度, 月份, nor a 破折号
        if char in NO_LINE_START or (index > 0 and text[index - 1] in NO_LINE_END):
            blocked.add(index)
    return blocked


def _break_costs(text: str, compound: set[int]) -> dict[int, float]:
    """What a break costs beside its imbalance: less after 关于/的/和 or before 关于, more inside a compound."""
    costs = dict.fromkeys(compound, _COMPOUND_BREAK_COST)
    for position in range(1, len(text)):
        before = text[max(0, position - 2) : position]
        if any(before.endswith(word) for word in _BREAK_AFTER) or text.startswith("关于", position):
            costs[position] = -1.0
    return costs


def balanced_title_lines(title: str, max_chars: int) -> tuple[str, ...]:
    """Break a title into the fewest lines of at most ``max_chars``, as even as possible.

    Lines are kept near equal (a trapezoid or diamond, GB/T 9704 7.3.2), longer lines first,
    and breaks fall between words (jieba's dictionary), rather not inside a compound of short
    nouns, preferably after 关于/的/和 or before 关于, and never split a quotation, a bracket or
    a number. A word or quotation longer than a line is split only when nothing else fits.
    """
    minimum = -(-len(title) // max_chars)
    if minimum == 1 or minimum > _MOST_BALANCED_LINES:
        return tuple(title[start : start + max_chars] for start in range(0, len(title), max_chars))
    between, compound = _word_breaks(title)
    costs = _break_costs(title, compound)
    for keep_quotations, words in ((True, between), (False, between), (False, None)):
        splitter = _Splitter(title, max_chars, _unbreakable_positions(title, keep_quotations, words), costs)
        for count in range(minimum, minimum + 2):
            best = splitter.lines(count)
            if best is not None:
                return best
    return tuple(title[start : start + max_chars] for start in range(0, len(title), max_chars))


@dataclass(frozen=True, slots=True)
class _Tail:
    """The best lines of a title's tail, as where its first line ends and what its shape costs."""

    end: int
    shape: float  # 0.3 for each line narrower than the one below it


class _Splitter:
    """The best lines of each tail of a title, remembered: a title costs its length times the
    line count times a line's width, not one try per combination of breaks."""

    def __init__(self, title: str, max_chars: int, blocked: set[int], costs: dict[int, float]) -> None:
        self.title, self.max_chars, self.blocked, self.costs = title, max_chars, blocked, costs
        self.widths = [0.0, *accumulate(width_in_chars(char) for char in title)]
        self.known: dict[tuple[int, int], _Tail | None] = {}

    def lines(self, count: int) -> tuple[str, ...] | None:
        """The best ``count`` lines of the whole title (None: they cannot hold it)."""
        lines, start = [], 0
        for remaining in range(count, 0, -1):
            tail = self._best(start, remaining)
            if tail is None:
                return None
            lines.append(self.title[start : tail.end])
            start = tail.end
        return tuple(lines)

    def _width(self, start: int, end: int) -> float:
        return self.widths[end] - self.widths[start]

    def _best(self, start: int, count: int) -> _Tail | None:
        if (start, count) not in self.known:
            self.known[start, count] = self._search(start, count)
        return self.known[start, count]

    def _search(self, start: int, count: int) -> _Tail | None:
        size, max_chars = len(self.title), self.max_chars
        if count == 1:
            return _Tail(size, 0.0) if size - start <= max_chars else None
        ideal = self._width(start, size) / count
        best: tuple[float, _Tail] | None = None
        last = min(start + max_chars, size - 1)  # every line holds something
        for end in range(max(start + 1, size - max_chars * (count - 1)), last + 1):
            rest = None if end in self.blocked else self._best(end, count - 1)
            if rest is None:
                continue
            first = self._width(start, end)
            # A wider line above a narrower one reads as a trapezoid; the reverse is penalised.
            shape = rest.shape + (0.3 if first < self._width(end, rest.end) else 0.0)
            cost = abs(first - ideal) + shape + self.costs.get(end, 0.0)
            if best is None or cost < best[0]:
                best = (cost, _Tail(end, shape))
        return best[1] if best else None
