"""Text rules of GB/T 9704 and GB/T 15835 that can be read off any document's text.

Used by `docgen check`; the renderers produce text that passes them by construction.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass

from docgen.i18n import _
from docgen.text.numbering import CHINESE_DATE, chinese_date, official_date

# 成文日期: Arabic numerals, full year, no leading zeros (GB/T 9704 7.3.5.4).
DATE = re.compile(r"(?<!\d)(\d{2,4})年(\d{1,2})月(\d{1,2})日")
# 发文字号: 机关代字〔年份〕序号号, e.g. 济发〔2023〕5号 (7.2.4).
DOCUMENT_NUMBER = re.compile(r"^\S{1,12}?[〔\[［(（【](\d{2,4})[〕\]］)）】]第?(\d+)号$")
PAGE_NUMBER = re.compile(r"^\s*(\S)\s*(\d+)\s*(\S)\s*$")


@dataclass(frozen=True)
class DateProblem:
    start: int
    end: int
    found: str
    expected: str
    fix: str | None  # the right spelling, when it follows from the wrong one
    clause: str = "GB/T 9704 7.3.5.4"  # the rule it breaks: 9704's date, or GB/T 15835's numbers


def calendar_problem(year: int, month: int, day: int) -> str | None:
    """Why YEAR-MONTH-DAY is no day of the calendar, in the interface's words; None when it is one."""
    if not 1 <= year <= 9999:
        return _("there is no year {year}").format(year=year)
    if not 1 <= month <= 12:
        return _("there is no month {month}: months run 1 to 12").format(month=month)
    days = calendar.monthrange(year, month)[1]
    if not 1 <= day <= days:
        return _("month {month} of {year} has {days} days").format(year=year, month=month, days=days)
    return None


def date_problems(text: str) -> list[DateProblem]:
    """Every date in ``text`` written against 7.3.5.4 / GB/T 15835, in order."""
    problems = []
    for match in DATE.finditer(text):
        year, month, day = match.groups()
        right = f"{year}年{int(month)}月{int(day)}日"
        if len(year) != 4:
            problems.append(DateProblem(*match.span(), match.group(), _("the full year, e.g. 2023年4月25日"), None))
        elif match.group() != right:
            found = match.group()
            problems.append(
                DateProblem(
                    *match.span(), found, _("no leading zeros: {right}").format(right=right), right, "GB/T 15835"
                )
            )
    for match in CHINESE_DATE.finditer(text):
        day = chinese_date(match.group())
        fix = official_date(day) if day else None
        problems.append(
            DateProblem(
                *match.span(), match.group(), _("Arabic numerals: {date}").format(date=fix or "2023年4月25日"), fix
            )
        )
    return sorted(problems, key=lambda problem: problem.start)


def document_number_problem(text: str) -> str | None:
    """What is wrong with a 发文字号 line, or None if it is right or not a document number."""
    match = DOCUMENT_NUMBER.match(text.strip())
    if not match:
        return None
    year, serial = match.groups()
    if "〔" not in text or "〕" not in text:
        return _("the year goes in 六角括号 〔〕 (U+3014/U+3015)")
    if "第" in text:
        return _("no 第 before the serial number")
    if len(year) != 4:
        return _("the year is written in full")
    if serial.startswith("0"):
        return _("the serial number has no leading zero")
    return None


def page_number_problem(text: str, page: int) -> str | None:
    """What is wrong with a page-number line `— N —`, or None."""
    match = PAGE_NUMBER.match(text)
    if not match:
        return _("not a number between two dashes")
    left, number, right = match.groups()
    if int(number) != page:
        return _("the number of page {page} reads {number}").format(page=page, number=number)
    if left != "—" or right != "—":
        return _("“{left}” and “{right}” instead of 一字线 (U+2014)").format(left=left, right=right)
    return None
