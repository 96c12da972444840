"""Numbers as official documents write them: heading labels, 一是/二是, dates.

Shared by every renderer, so a number is spelled one way everywhere.
"""

from __future__ import annotations

import re
from datetime import date

_DIGITS = "〇一二三四五六七八九"
# What stands for 〇 in years as offices type them: 零, the circle ○, a Latin or Cyrillic O, the digit 0.
_ZEROS = "〇零○OОo0"
# 成文日期 in Chinese numerals (二〇二三年四月二十五日, 二00八年一月十八日): GB/T 9704-2012 7.3.5.4 asks
# for Arabic numerals, but older and some current documents are published this way.
CHINESE_DATE = re.compile(
    rf"([{_ZEROS}一二三四五六七八九]{{4}})年([一二三四五六七八九十]{{1,2}})月([一二三四五六七八九十]{{1,3}})日"
)


def chinese_numeral(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 105 → 一百零五, 10010 → 一万零一十 (positive integers below 100,000,000)."""
    if not 0 < n < 100_000_000:
        raise ValueError(f"cannot write {n} as a Chinese numeral here (expected 1–99,999,999)")
    myriads, rest = divmod(n, 10_000)
    text = _below_myriad(rest)
    if myriads:  # 一万零五: a 零 stands for the empty 千 place
        text = _below_myriad(myriads) + "万" + ("零" if 0 < rest < 1000 else "") + text
    # 十二, not 一十二: the leading 一 is dropped only when 十 leads the number.
    return text[1:] if text.startswith("一十") else text


def _below_myriad(n: int) -> str:
    """0–9999 with every digit written (一十二, not 十二); empty for 0."""
    units = ((1000, "千"), (100, "百"), (10, "十"), (1, ""))
    parts: list[str] = []
    pending_zero = False
    for value, unit in units:
        digit = n // value % 10
        if digit == 0:
            pending_zero = bool(parts)
            continue
        if pending_zero:
            parts.append("零")
            pending_zero = False
        parts.append(_DIGITS[digit] + unit)
    return "".join(parts)


# What documents write for 1–99 (labels, months, days), read back by the importer.
_SMALL_NUMERALS = {chinese_numeral(n): n for n in range(1, 100)}


def parse_chinese_numeral(text: str) -> int | None:
    """一 → 1, 十二 → 12, 三十一 → 31: the inverse of :func:`chinese_numeral` below 100; None for
    what is no number written that way (一三, 十十)."""
    return _SMALL_NUMERALS.get(text)


def year_digits(text: str) -> int:
    """二〇二三 (or 二零二三) → 2023: a year written digit by digit."""
    return int("".join(str(_DIGITS.index("〇" if char in _ZEROS else char)) for char in text))


def chinese_date(text: str) -> date | None:
    """The date ``text`` writes in Chinese numerals (all of it), or None: 十三月 or 二月三十日 are none."""
    match = CHINESE_DATE.fullmatch(text)
    if not match:
        return None
    year, month, day = match.groups()
    month_number, day_number = parse_chinese_numeral(month), parse_chinese_numeral(day)
    if month_number is None or day_number is None:
        return None
    try:
        return date(year_digits(year), month_number, day_number)
    except ValueError:
        return None


def heading_label(level: int, number: int) -> str:
    """The label GB/T 9704 7.3.3 gives a heading: 一、 （一） 1. （1）."""
    if level == 1:
        return f"{chinese_numeral(number)}、"
    if level == 2:
        return f"（{chinese_numeral(number)}）"
    if level == 3:
        return f"{number}."
    if level == 4:
        return f"（{number}）"
    raise ValueError(f"headings have four levels, not {level}")


def enumeration_label(number: int) -> str:
    """Inline enumerations inside a paragraph: 一是, 二是, …"""
    return f"{chinese_numeral(number)}是"


def official_date(day: date, as_published: str | None = None) -> str:
    """成文日期 in Arabic numerals, full year, no leading zeros: 2023年4月25日 (GB/T 9704 7.3.5.4); or
    ``as_published``, the Chinese numerals an imported document was published with."""
    return as_published or f"{day.year}年{day.month}月{day.day}日"


# The forms of GB/T 9704 7.3.3 as documents publish them, with the level each form belongs to:
# 1、 (a 顿号 after an Arabic numeral) is a common variant of 1.
LABEL_FORMS = (
    (re.compile(r"[一二三四五六七八九十百零〇]+、"), 1),
    (re.compile(r"[（(][一二三四五六七八九十百零〇]+[)）]"), 2),
    (re.compile(r"\d{1,4}[.．、]"), 3),
    (re.compile(r"[（(]\d{1,4}[)）]"), 4),
)


def label_level(label: str) -> int | None:
    """The level whose form a published label has (一、 → 1, （一） → 2, 1. or 1、 → 3, （1） → 4), or None."""
    return next((level for form, level in LABEL_FORMS if form.fullmatch(label)), None)
