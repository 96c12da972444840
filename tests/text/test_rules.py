"""The text rules `docgen check` and `docgen lint` read off a document: dates (GB/T 9704 7.3.5.4,
GB/T 15835), the 发文字号 (7.2.4) and the page number (7.5), each problem with its message (in the
interface's language: the expected ones are looked up in the catalog as the code looks them up)."""

from __future__ import annotations

import pytest

from docgen.i18n import _
from docgen.text.rules import DateProblem, date_problems, document_number_problem, page_number_problem

ARABIC = _("Arabic numerals: {date}")
BRACKETS = _("the year goes in 六角括号 〔〕 (U+3014/U+3015)")
DASHES = _("“{left}” and “{right}” instead of 一字线 (U+2014)")
NO_DASHES = _("not a number between two dashes")


def test_a_date_with_leading_zeros_is_fixed_by_dropping_them() -> None:
    assert date_problems("于2023年04月05日前报送") == [
        DateProblem(
            1,
            12,
            "2023年04月05日",
            _("no leading zeros: {right}").format(right="2023年4月5日"),
            "2023年4月5日",
            "GB/T 15835",
        )
    ]


def test_a_date_with_a_two_digit_year_is_reported_without_a_guess() -> None:
    assert date_problems("23年4月5日") == [
        DateProblem(0, 7, "23年4月5日", _("the full year, e.g. 2023年4月25日"), None, "GB/T 9704 7.3.5.4")
    ]


def test_a_date_in_chinese_numerals_is_fixed_to_arabic_ones() -> None:
    assert date_problems("二〇二三年四月二十五日") == [
        DateProblem(0, 11, "二〇二三年四月二十五日", ARABIC.format(date="2023年4月25日"), "2023年4月25日")
    ]


def test_a_chinese_date_that_is_no_date_gets_an_example_and_no_fix() -> None:
    (problem,) = date_problems("二〇二三年二月三十日")
    assert (problem.expected, problem.fix) == (ARABIC.format(date="2023年4月25日"), None)  # an example


def test_right_dates_and_numbers_that_are_no_dates_pass() -> None:
    assert date_problems("2023年4月5日，2023年12月31日，共12年3月份") == []


def test_problems_come_in_the_order_of_the_text() -> None:
    """The Chinese-numeral date comes first though it is found second."""
    problems = date_problems("二〇二三年四月二十五日印发，23年4月5日施行，2023年04月05日起")
    assert [problem.found for problem in problems] == ["二〇二三年四月二十五日", "23年4月5日", "2023年04月05日"]
    assert [problem.start for problem in problems] == [0, 14, 24]


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ("济发〔2023〕5号", None),
        ("  济政办字〔2024〕12号  ", None),
        ("济发[2023]5号", BRACKETS),
        ("济发〔2023]5号", BRACKETS),
        ("济发[2023〕5号", BRACKETS),
        ("济发（2023）5号", BRACKETS),
        ("济发〔2023〕第5号", _("no 第 before the serial number")),
        ("济发〔23〕5号", _("the year is written in full")),
        ("济发〔2023〕05号", _("the serial number has no leading zero")),
        ("关于做好2023年工作的通知", None),  # no document number at all
    ],
)
def test_a_document_number_line(line: str, problem: str | None) -> None:
    assert document_number_problem(line) == problem


@pytest.mark.parametrize(
    ("line", "page", "problem"),
    [
        ("— 1 —", 1, None),
        ("—12—", 12, None),
        ("— 2 —", 1, _("the number of page {page} reads {number}").format(page=1, number=2)),
        ("- 1 -", 1, DASHES.format(left="-", right="-")),
        ("— 1 -", 1, DASHES.format(left="—", right="-")),
        ("- 1 —", 1, DASHES.format(left="-", right="—")),
        ("第1页", 1, DASHES.format(left="第", right="页")),
        ("1", 1, NO_DASHES),
        ("— 一 —", 1, NO_DASHES),
    ],
)
def test_a_page_number_line(line: str, page: int, problem: str | None) -> None:
    assert page_number_problem(line, page) == problem
