"""Chinese numerals as documents write them: every form 一 to 九十九 both ways, the larger ones, dates
in Chinese numerals, heading labels, and numerals that are no number (一三、) imported as text."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from docgen.cli import main
from docgen.text.numbering import (
    chinese_date,
    chinese_numeral,
    enumeration_label,
    heading_label,
    label_level,
    official_date,
    parse_chinese_numeral,
    year_digits,
)

DIGITS = "一二三四五六七八九"


def written(n: int) -> str:
    """1–99 as GB/T 9704's labels write them, spelled out from the rule: 十 leads 10–19 alone."""
    tens, ones = divmod(n, 10)
    return (("" if tens == 1 else DIGITS[tens - 1]) + "十" if tens else "") + (DIGITS[ones - 1] if ones else "")


SMALL = {n: written(n) for n in range(1, 100)}


def test_the_rule_spells_the_forms_as_documents_write_them() -> None:
    """The table the tests below use, checked at its corners against forms written out by hand."""
    hand = {1: "一", 9: "九", 10: "十", 11: "十一", 19: "十九", 20: "二十", 21: "二十一", 30: "三十", 99: "九十九"}
    assert {n: SMALL[n] for n in hand} == hand
    assert len(set(SMALL.values())) == 99


@pytest.mark.parametrize("n", range(1, 100))
def test_every_number_below_a_hundred_both_ways(n: int) -> None:
    assert chinese_numeral(n) == SMALL[n]
    assert parse_chinese_numeral(SMALL[n]) == n


@pytest.mark.parametrize(
    "text",
    [
        "",
        "一三",
        "十十",
        "二十十",
        "一十二",
        "一十",
        "零",
        "〇",
        "十零",
        "二十〇",
        "百",
        "一百",
        "三十二十",
        "十一二",
        "１",
        "1",
    ],
)
def test_what_is_no_number_below_a_hundred_reads_as_none(text: str) -> None:
    assert parse_chinese_numeral(text) is None


@pytest.mark.parametrize(
    ("n", "text"),
    [
        (100, "一百"),
        (101, "一百零一"),
        (105, "一百零五"),
        (110, "一百一十"),
        (111, "一百一十一"),
        (999, "九百九十九"),
        (1000, "一千"),
        (1001, "一千零一"),
        (1010, "一千零一十"),
        (1100, "一千一百"),
        (2024, "二千零二十四"),
        (9999, "九千九百九十九"),
        (10_000, "一万"),
        (10_001, "一万零一"),
        (10_010, "一万零一十"),
        (10_100, "一万零一百"),
        (11_000, "一万一千"),
        (100_000, "十万"),
        (101_000, "十万一千"),
        (110_000, "十一万"),
        (1_000_000, "一百万"),
        (20_000_005, "二千万零五"),
        (99_999_999, "九千九百九十九万九千九百九十九"),
    ],
)
def test_larger_numbers_write_every_place_and_one_zero_for_a_gap(n: int, text: str) -> None:
    assert chinese_numeral(n) == text


@pytest.mark.parametrize("n", [0, -1, 100_000_000])
def test_a_number_out_of_range_is_refused_with_the_range(n: int) -> None:
    with pytest.raises(ValueError, match="1–99,999,999"):
        chinese_numeral(n)


# ---------------------------------------------------------------- dates in Chinese numerals


@pytest.mark.parametrize("year", ["二〇二三", "二零二三", "二○二三", "二O二三", "二\u041e二三", "二o二三", "二0二三"])
def test_a_year_written_digit_by_digit_with_any_zero_offices_type(year: str) -> None:
    assert year_digits(year) == 2023


def test_a_year_of_every_digit() -> None:
    assert year_digits("一九八七") == 1987 and year_digits("二〇〇〇") == 2000 and year_digits("二〇五六") == 2056


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("二〇二三年四月二十五日", date(2023, 4, 25)),
        ("二00八年一月十八日", date(2008, 1, 18)),
        ("一九九六年十二月三十一日", date(1996, 12, 31)),
        ("二〇二四年二月二十九日", date(2024, 2, 29)),
        ("二〇二四年十月十日", date(2024, 10, 10)),
    ],
)
def test_a_date_in_chinese_numerals_reads_as_that_date(text: str, day: date) -> None:
    assert chinese_date(text) == day
    assert official_date(day) == f"{day.year}年{day.month}月{day.day}日"
    assert official_date(day, text) == text  # printed as it was published


@pytest.mark.parametrize(
    "text",
    [
        "二〇二三年十三月一日",  # no 13th month
        "二〇二三年二月二十九日",  # not a leap year
        "二〇二三年一月三十二日",
        "二〇二三年一三月一日",  # 一三 is no numeral
        "二〇二三年一月十十日",
        "二〇二三年四月二十五日前",  # the whole text, not a date inside it
        "二〇二三年四月",
        "2023年4月25日",
    ],
)
def test_what_is_no_date_reads_as_none(text: str) -> None:
    assert chinese_date(text) is None


# ---------------------------------------------------------------- labels


@pytest.mark.parametrize(
    ("level", "number", "label"),
    [
        (1, 1, "一、"),
        (1, 12, "十二、"),
        (2, 3, "（三）"),
        (2, 20, "（二十）"),
        (3, 4, "4."),
        (3, 10, "10."),
        (4, 5, "（5）"),
    ],
)
def test_heading_labels_of_the_four_levels_read_back_at_their_level(level: int, number: int, label: str) -> None:
    assert heading_label(level, number) == label
    assert label_level(label) == level


@pytest.mark.parametrize("level", [0, 5])
def test_there_are_four_heading_levels(level: int) -> None:
    with pytest.raises(ValueError, match=f"four levels, not {level}"):
        heading_label(level, 1)


@pytest.mark.parametrize(
    ("label", "level"),
    [("十一、", 1), ("(二)", 2), ("（二)", 2), ("1、", 3), ("12．", 3), ("(3)", 4), ("一", None), ("1", None)],
)
def test_published_label_forms_and_their_levels(label: str, level: int | None) -> None:
    assert label_level(label) == level


def test_enumerations_count_in_chinese() -> None:
    assert [enumeration_label(n) for n in (1, 2, 10, 11)] == ["一是", "二是", "十是", "十一是"]


# ---------------------------------------------------------------- numerals that are no number, imported


def test_a_label_whose_numeral_is_no_number_imports_as_a_paragraph(tmp_path: Path) -> None:
    """一三、 among the headings (a typo for 三、): the import goes on, the line stays text, and says so."""
    notice = tmp_path / "notice.txt"
    lines = ["关于开展检查的通知", "各单位：", "现将有关事项通知如下。", "一、检查范围", "全市各单位。"]
    lines += ["一三、检查时间", "四月底前完成。", "十十、工作要求", "认真组织。", "某某局", "2023年4月25日"]
    notice.write_text("\n".join(lines) + "\n", encoding="utf-8")
    target = tmp_path / "notice.yaml"
    result = CliRunner().invoke(main, ["import", str(notice), "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    source = target.read_text(encoding="utf-8")
    assert "一三、检查时间" in source and "十十、工作要求" in source  # kept as the text they are
    assert "heading: 检查范围" in source
    assert "heading: 检查时间" not in source
