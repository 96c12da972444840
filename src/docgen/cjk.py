"""Chinese typesetting rules shared by all renderers: widths in characters, 避头尾, title breaks."""

from __future__ import annotations

import re
import unicodedata
from itertools import pairwise

# GB/T 15834 punctuation that may not begin a line (行首禁则) and may not end one (行尾禁则).
NO_LINE_START = frozenset("，。、；：？！）》」』】〕〉”’…—·％‰")
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


def _unbreakable_positions(text: str, keep_quotations: bool) -> set[int]:
    """Break positions (index of the first char of the next line) that split a word-like unit."""
    blocked: set[int] = set()
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
        if text[index - 1 : index + 1] in _UNIT_WORDS:
            blocked.add(index)  # nor 年度, 季度, 月份
        if char in NO_LINE_START or (index > 0 and text[index - 1] in NO_LINE_END):
            blocked.add(index)
    return blocked


def _break_bonus(text: str, position: int) -> float:
    before = text[:position]
    if any(before.endswith(word) for word in _BREAK_AFTER) or text.startswith("关于", position):
        return 1.0
    return 0.0


def balanced_title_lines(title: str, max_chars: int) -> tuple[str, ...]:
    """Break a title into the fewest lines of at most ``max_chars``, as even as possible.

    Lines are kept near equal (a trapezoid or diamond, GB/T 9704 7.3.2), longer lines first,
    and breaks prefer the places after 关于/的/和 or before 关于 and never split a quotation,
    a bracket or a number.
    """
    if len(title) <= max_chars:
        return (title,)
    minimum = -(-len(title) // max_chars)
    for keep_quotations in (True, False):  # split a long 《》 only when nothing else fits
        blocked = _unbreakable_positions(title, keep_quotations)
        for count in range(minimum, minimum + 2):
            best = _best_split(title, count, max_chars, blocked)
            if best is not None:
                return best
    return tuple(title[start : start + max_chars] for start in range(0, len(title), max_chars))


def _best_split(title: str, count: int, max_chars: int, blocked: set[int]) -> tuple[str, ...] | None:
    if count == 1:
        return (title,) if len(title) <= max_chars else None
    ideal = width_in_chars(title) / count
    best: tuple[float, tuple[str, ...]] | None = None
    for first in range(max(1, len(title) - max_chars * (count - 1)), min(max_chars, len(title)) + 1):
        if first in blocked:
            continue
        rest = _best_split(title[first:], count - 1, max_chars, {p - first for p in blocked})
        if rest is None:
            continue
        lines = (title[:first], *rest)
        # A wider line above a narrower one reads as a trapezoid; the reverse is penalised.
        shape = sum(0.3 for upper, lower in pairwise(lines) if width_in_chars(upper) < width_in_chars(lower))
        cost = abs(width_in_chars(title[:first]) - ideal) + shape - _break_bonus(title, first)
        if best is None or cost < best[0]:
            best = (cost, lines)
    return best[1] if best else None
