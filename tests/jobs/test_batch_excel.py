"""`docgen batch TEMPLATE --data rows.xlsx [--sheet NAME]`: the rows of an Excel sheet, numbered as Excel
numbers them and located like CSV's (a cell where CSV names a line)."""

from __future__ import annotations

import re
import time
import zipfile
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from docgen.cli import main
from docgen.errors import DocgenError
from docgen.jobs.batch import read_rows
from support import ROOT, macro_enabled

TEMPLATE = ROOT / "data" / "batch" / "template.yaml"
FIELDS = ["district", "year", "date", "period", "scope", "teams", "report_by", "contact", "phone"]
BAD_DATES = {57: "2024-02-30", 121: "下周一", 188: None}  # by Excel row: a day that is none, words, an empty cell


def workbook(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


def district_row(number: int) -> list[object]:
    day = BAD_DATES.get(number, datetime(2024, 3, 1 + number % 28))
    return [f"第{number}区", 2024, day, "3月20日至4月30日", "各类生产经营单位", 4, "5月10日", "王明", "0531-86000001"]


def test_200_rows_with_three_bad_ones_build_197_and_name_the_three(tmp_path: Path) -> None:
    rows = workbook(tmp_path / "rows.xlsx", {"区县": [FIELDS, *(district_row(n) for n in range(2, 202))]})
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["batch", str(TEMPLATE), "--data", str(rows), "-o", str(out), "-f", "html",
                                       "-j", "2"])  # fmt: skip
    assert result.exit_code == 1, result.output
    assert re.search(r"^197 built, 0 skipped \(unchanged\), 3 failed in ", result.output, re.MULTILINE), result.output
    failed = [line for line in result.output.splitlines() if line.startswith("FAILED ")]
    assert [int(re.search(r" row (\d+):", line)[1]) for line in failed] == sorted(BAD_DATES)
    assert "'date' '2024-02-30' is not a calendar date" in failed[0]
    assert "'date' must be a date such as 2023-04-25 or 2023年4月25日, got '下周一'" in failed[1]
    assert "'date' must not be empty" in failed[2]
    built = sorted(out.glob("*.html"))
    assert len(built) == 197 and not any(f"-{number:03d}.html" in path.name for path in built for number in BAD_DATES)
    assert "第2区" in (out / "template-002.html").read_text(encoding="utf-8")  # rows named by their Excel row


def test_rows_are_numbered_as_excel_numbers_them_and_valued_as_it_shows_them(tmp_path: Path) -> None:
    rows = workbook(
        tmp_path / "rows.xlsx",
        {"数据": [[], ["名称", "日期", "人数", "比例", "完成"], ["甲", date(2024, 3, 1), 300, 0.1 + 0.2, True], [],
                  ["乙", "2024年3月2日", 12.5, None, False]]},
    )  # fmt: skip
    assert read_rows(rows) == [
        (3, {"名称": "甲", "日期": "2024-03-01", "人数": "300", "比例": "0.3", "完成": "TRUE"}),
        (5, {"名称": "乙", "日期": "2024年3月2日", "人数": "12.5", "比例": "", "完成": "FALSE"}),
    ]


def test_the_first_sheet_is_read_unless_sheet_names_another(tmp_path: Path) -> None:
    rows = workbook(tmp_path / "rows.xlsx", {"一": [["x"], ["first"]], "二": [["x"], ["second"]]})
    assert read_rows(rows) == [(2, {"x": "first"})]
    assert read_rows(rows, sheet="二") == [(2, {"x": "second"})]
    with pytest.raises(DocgenError, match=r"rows.xlsx: no sheet named '三' \(the workbook has: 一, 二\)"):
        read_rows(rows, sheet="三")
    with pytest.raises(DocgenError, match="--sheet names a sheet of an Excel workbook"):
        read_rows(ROOT / "data" / "batch" / "districts.csv", sheet="二")


@pytest.mark.parametrize(
    ("rows", "where", "words"),
    [
        ([["a", "b", "a"], [1, 2, 3]], "C1", "the header names the field 'a' twice"),
        ([["a", None, "c"], [1, 2, 3]], "B1", "this column of the header row names no field"),
        ([["a", "b"], [1, 2, "stray"]], "C2", "a value in a column the header row names no field for"),
        ([[None], [None]], "A1", "expected a header row naming the fields (district, …)"),
    ],
)
def test_a_fault_in_the_rows_names_its_cell(tmp_path: Path, rows: list[list[object]], where: str, words: str) -> None:
    data = workbook(tmp_path / "rows.xlsx", {"表": rows})
    with pytest.raises(DocgenError) as caught:
        read_rows(data)
    assert str(caught.value) == f"{data}!表!{where}: {words}"


def test_a_workbook_with_macros_is_refused_as_data(tmp_path: Path) -> None:
    data = macro_enabled(tmp_path / "rows.xlsx")
    result = CliRunner().invoke(main, ["batch", str(TEMPLATE), "--data", str(data), "-o", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert f"docgen: error: {data}: the workbook holds macros" in result.output
    assert not (tmp_path / "out").exists()


def test_a_row_far_down_costs_under_a_second_or_two_of_empty_rows(tmp_path: Path) -> None:
    """Excel's last row: the million empty rows above it are streamed past, never made into cells."""
    data = tmp_path / "rows.xlsx"
    book = openpyxl.Workbook()
    book.active.append(["x"])
    book.active.append(["near"])
    book.active.cell(1_048_576, 1, "far")
    book.save(data)
    start = time.perf_counter()
    rows = read_rows(data)
    assert time.perf_counter() - start < 3  # 0.8 s here; a full (not read-only) read makes a cell of each
    assert rows == [(2, {"x": "near"}), (1_048_576, {"x": "far"})]


def test_rows_past_the_size_a_sheet_declares_are_read(tmp_path: Path) -> None:
    """openpyxl's read-only mode stops at the sheet's declared size unless told not to; a writer may declare less."""
    written = workbook(tmp_path / "written.xlsx", {"表": [["x"], ["1"], ["2"], ["3"]]})
    data = tmp_path / "rows.xlsx"
    with zipfile.ZipFile(written) as source, zipfile.ZipFile(data, "w") as target:
        for entry in source.infolist():
            part = source.read(entry)
            if entry.filename.startswith("xl/worksheets/"):
                part, count = re.subn(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:A2"', part)
                assert count == 1
            target.writestr(entry, part)
    assert [number for number, _ in read_rows(data)] == [2, 3, 4]
