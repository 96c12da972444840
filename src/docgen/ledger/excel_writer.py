"""The 整改台账 written as an Excel workbook that :mod:`docgen.ledger.excel` reads back: the ledger as of
a day (``docgen progress --table``, so an office can pass it on) or whole (``scripts/make-ledger-xlsx.py``).

Headers bold on grey, widths set, text wrapped, dates as Excel dates (整改时限 shown as the office
writes it: 2023年6月底前). The same ledger gives the same bytes: the workbook's own dates are the
ledger's day and the zip's entries have fixed times.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta

import yaml
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from docgen.files.atomic import normalized_zip
from docgen.ledger.excel import (
    AS_OF_LABELS,
    INFO,
    MEASURE_COLUMNS,
    MEASURES,
    MECHANISM_COLUMNS,
    MECHANISMS,
    PROBLEM_COLUMNS,
    PROBLEM_LEVEL,
    PROBLEMS,
    REPORT,
    Column,
)
from docgen.ledger.reader import LedgerView, Problem, Status

_THIN = Side(style="thin", color="808080")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEADER_FONT = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="D9D9D9")
_HEADING_FILL = PatternFill("solid", fgColor="F2F2F2")
_WRAP = Alignment(wrap_text=True, vertical="top")
_CENTRE = Alignment(wrap_text=True, horizontal="center", vertical="center")
_DAY = "yyyy-mm-dd"
_REPORT_WIDTH = 120
_LINE_POINTS = 15.0  # a line of Excel's 11-point text
_CHARACTER_UNITS = 2.2  # a Chinese character's width in Excel's units (the width of a digit), with some room
Cells = list[object]


def ledger_workbook(current: LedgerView) -> bytes:
    """The ledger as it stood on ``current.day``: what was done by then, and that day as its 更新日期."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    _problems(workbook.create_sheet(PROBLEMS), current)
    _table(workbook.create_sheet(MEASURES), MEASURE_COLUMNS, _measure_rows(current))
    _table(workbook.create_sheet(MECHANISMS), MECHANISM_COLUMNS, _mechanism_rows(current))
    _info(workbook.create_sheet(INFO), current.day)
    if current.ledger.report is not None:
        _report(workbook.create_sheet(REPORT), current.ledger.report)
    stamp = datetime.combine(current.day, time())
    workbook.properties.creator, workbook.properties.created, workbook.properties.modified = "docgen", stamp, stamp
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(workbook, archive).write_data()  # not save_workbook: it stamps the time of writing
    return normalized_zip(buffer.getvalue())


def _header(sheet: Worksheet, columns: tuple[Column, ...]) -> None:
    for number, column in enumerate(columns, 1):
        cell = sheet.cell(1, number, column.headers[0])
        cell.font, cell.fill, cell.border, cell.alignment = _HEADER_FONT, _HEADER_FILL, _BORDER, _CENTRE
        sheet.column_dimensions[cell.column_letter].width = column.width
    sheet.freeze_panes = "A2"
    # Printed as offices print a 台账: landscape, the columns on one page's width, the header on every page.
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = "1:1"


def _put(sheet: Worksheet, row: int, column: int, value: object) -> None:
    cell = sheet.cell(row, column)
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"  # text, even when it starts with = (openpyxl would take it for a formula)
    elif isinstance(value, date):
        cell.number_format = _DAY
    cell.border, cell.alignment = _BORDER, _WRAP


def _table(sheet: Worksheet, columns: tuple[Column, ...], rows: Iterator[Cells]) -> None:
    _header(sheet, columns)
    for number, cells in enumerate(rows, 2):
        for column, value in enumerate(cells, 1):
            _put(sheet, number, column, value)
        _fit(sheet, number, 1, [(value, spec.width) for value, spec in zip(cells, columns, strict=False)])


def _fit(sheet: Worksheet, row: int, count: int, texts: list[tuple[object, float]]) -> None:
    """Rows tall enough for their wrapped text (no reader sizes a row to a merged cell's text):
    the ``count`` rows from ``row`` share the lines of the longest of ``texts`` (value, column width)."""
    lines = max((_lines(value, width) for value, width in texts), default=1)
    height = max(lines * _LINE_POINTS / count, _LINE_POINTS)
    for number in range(row, row + count):
        sheet.row_dimensions[number].height = round(height, 1)


def _lines(value: object, width: float) -> int:
    """The lines ``value`` wraps to in a column ``width`` wide (a Chinese character is two of Excel's units)."""
    if not isinstance(value, str):
        return 1
    per_line = max(1, int(width / _CHARACTER_UNITS))
    return max(1, -(-len(value) // per_line))


def _identity(problem: Problem) -> object:
    """序号 as a number when it is one, as an office types it."""
    return int(problem.id) if problem.id.isdigit() and not problem.id.startswith("0") else problem.id


def _problems(sheet: Worksheet, current: LedgerView) -> None:
    """Each part's heading merged across; a problem's own cells merged over its rows of status changes."""
    _header(sheet, PROBLEM_COLUMNS)
    row = 2
    for group in current.ledger.groups:
        _put(sheet, row, 1, group.heading)
        sheet.cell(row, 1).fill = _HEADING_FILL
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=len(PROBLEM_COLUMNS))
        _fit(sheet, row, 1, [(group.heading, sum(column.width for column in PROBLEM_COLUMNS))])
        row += 1
        for problem in group.problems:
            row = _problem(sheet, row, current, problem)


def _problem(sheet: Worksheet, row: int, current: LedgerView, problem: Problem) -> int:
    """Write ``problem`` from ``row``; the row after it."""
    changes = [(change.status.value, change.date) for change in problem.changes if change.date <= current.day]
    statuses: list[tuple[str, date | None]] = changes or [(Status.NOT_STARTED.value, None)]
    own = {
        "id": _identity(problem),
        "problem": problem.problem,
        "lead": problem.lead.value,
        "leader": problem.leader,
        "unit": problem.unit,
        "deadline": problem.deadline or "长期",
    }
    for offset, (status, day) in enumerate(statuses):
        cells = {**(own if offset == 0 else {}), "status": status, "status_date": day}
        for column, spec in enumerate(PROBLEM_COLUMNS, 1):
            _put(sheet, row + offset, column, cells.get(spec.key))
    if isinstance(problem.deadline, date):
        sheet.cell(row, _column("deadline")).number_format = _deadline_format(problem.deadline)
    _fit(sheet, row, len(statuses), [(own.get(column.key), column.width) for column in PROBLEM_COLUMNS])
    if len(statuses) > 1:
        for key in PROBLEM_LEVEL:
            column = _column(key)
            sheet.merge_cells(start_row=row, start_column=column, end_row=row + len(statuses) - 1, end_column=column)
    return row + len(statuses)


def _column(key: str) -> int:
    return next(number for number, column in enumerate(PROBLEM_COLUMNS, 1) if column.key == key)


def _deadline_format(deadline: date) -> str:
    """The date shown as the 整改方案 writes its classes: 2022年年底前, 2023年6月底前, 2023年6月15日前."""
    if (deadline + timedelta(days=1)).day != 1:
        return 'yyyy"年"m"月"d"日前"'
    return 'yyyy"年年底前"' if deadline.month == 12 else 'yyyy"年"m"月底前"'


def _measure_rows(current: LedgerView) -> Iterator[Cells]:
    """A measure a row; its second and later figures on rows of their own under it."""
    for problem in current.ledger.problems:
        for measure in current.measures(problem):
            figures = list(measure.quantities) or [(None, None)]
            yield [_identity(problem), measure.date, measure.text, *figures[0]]
            for label, number in figures[1:]:
                yield [None, None, None, label, number]


def _mechanism_rows(current: LedgerView) -> Iterator[Cells]:
    for problem in current.ledger.problems:
        for mechanism in current.mechanisms(problem):
            yield [_identity(problem), mechanism.date, mechanism.name]


def _info(sheet: Worksheet, day: date) -> None:
    _table(sheet, (Column("item", ("项目",), 14), Column("value", ("内容",), 16)), iter([[AS_OF_LABELS[0], day]]))


def _report(sheet: Worksheet, report: yaml.Node) -> None:
    """The update's fixed text as YAML, a line a row in column A (as :mod:`docgen.ledger.excel` reads it)."""
    text = yaml.serialize(report, Dumper=yaml.SafeDumper, allow_unicode=True, width=10**9)
    for row, line in enumerate(text.rstrip("\n").split("\n"), 1):
        cell = sheet.cell(row, 1, line or None)
        if line:
            cell.data_type = "s"
    sheet.column_dimensions["A"].width = _REPORT_WIDTH
