"""The 整改台账 as an Excel workbook: ``docgen progress 台账.xlsx`` reads it into the same ledger as a
YAML ledger (:mod:`docgen.ledger.reader`), through the same checks, every error naming its cell:
``台账.xlsx!问题清单!F12: …``.

The sheets, by name (others are ignored):

``问题清单`` (required)
    A header row (the first row holding 序号; a title above it is skipped), then the parts and their
    problems. A part's heading (关于“……”) is a row whose first cell is merged across the row. A problem
    is a row with its 序号; rows under it whose 序号 is empty (or merged with it) give its further
    status changes, oldest first. The columns, by their header (the words in brackets are taken too;
    other columns, such as 整改目标 or 备注, are ignored):

    ========================  ==============================================================
    序号 (编号)               the problem's id, unique; the update numbers problems by their order
    反馈问题 (问题)           the problem as the inspection fed it back
    引语 (optional)           关于 where the update writes 关于“……”的问题; 针对 (the default)
    责任领导 (牵头领导)       a post, not a name
    责任单位 (牵头单位)
    整改时限 (完成时限)       an Excel date, or text: 2023-06-30, 2023年6月30日(前), 2023年6月底前,
                              2022年年底前, or 长期 (长期坚持) for a task with no deadline
    完成情况 (整改状态)       optional: 未启动, 推进中, 已完成 or 长期坚持 (or not started, in progress,
                              done, long-term), one change a row
    状态日期 (变更日期)       the day the status on its row took effect: an Excel date or text
    ========================  ==============================================================

``整改措施`` (optional)
    One measure a row: 序号 (its problem's; empty or merged: the problem of the row above), 日期,
    整改措施, and optionally 量化指标 and 数值 (a figure a later ledger may update, such as 培训干部（人）
    and 300). A row with only 量化指标 and 数值 adds a figure to the measure above.

``长效机制`` (optional)
    One mechanism (长效机制) a row: 序号, 日期, 机制名称.

``台账信息`` (required)
    项目 | 内容 rows; the row 更新日期 (截至日期) holds the day the ledger was last brought up to date.

``通报`` (optional)
    The update's fixed text (a YAML ledger's ``report``): a docgen source without ``date``, its YAML
    one line a row in column A; errors in it name its row.

How the checks are shared: the workbook becomes the YAML node graph a YAML ledger composes to, each
node marked at its cell, and :mod:`docgen.ledger.reader` reads that graph. A mark's line carries the
sheet and the row (sheet number × Excel's rows a sheet + row), so a location made from it, anywhere,
decodes back to the cell (:func:`cell_of`); the 通报 sheet is number 0, so its YAML's own marks are
its rows as they are.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from pathlib import Path

import yaml
from openpyxl.worksheet._read_only import ReadOnlyWorksheet

from docgen.errors import DocgenError, SourceError, SourceLocation
from docgen.files.workbook import (
    MAX_COLUMNS,
    XLSX_SUFFIX,
    Book,
    CellLocation,
    cell_text,
    is_workbook,
    open_workbook,
    sheet_rows,
)
from docgen.i18n import _
from docgen.ledger.reader import (
    Group,
    Ledger,
    LedgerView,
    Problem,
    load_ledger,
    open_pair,
    open_view,
    read_groups,
)
from docgen.limits import DEFAULT_LIMITS, Limits
from docgen.source.loader import SourceReader, compose_text

REPORT, PROBLEMS, MEASURES, MECHANISMS, INFO = "通报", "问题清单", "整改措施", "长效机制", "台账信息"
# The report first: its YAML's marks are then its rows. Excel's rows a sheet separate the sheets' marks.
_SHEETS = (REPORT, PROBLEMS, MEASURES, MECHANISMS, INFO)
_ROWS = 1_048_576
_HEADER_SEARCH = 10  # rows a header may sit below a title
AS_OF_LABELS = ("更新日期", "截至日期")
_STR, _NULL, _INT, _FLOAT, _MAP, _SEQ = (
    f"tag:yaml.org,2002:{name}" for name in ("str", "null", "int", "float", "map", "seq")
)
_MONTH_END = re.compile(r"^(\d{4})年(\d{1,2})月底前?$")
_YEAR_END = re.compile(r"^(\d{4})年年?底前?$")
_DAY_BEFORE = re.compile(r"^(\d{4}年\d{1,2}月\d{1,2}日|\d{4}-\d{1,2}-\d{1,2})前$")
_NUMBER = re.compile(r"^[-+]?\d+(\.\d+)?$")
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Column:
    key: str
    headers: tuple[str, ...]  # the first is the one docgen writes
    width: float  # in Excel's characters, for the workbook docgen writes
    required: bool = True


PROBLEM_COLUMNS = (
    Column("id", ("序号", "编号"), 6),
    Column("problem", ("反馈问题", "问题"), 48),
    Column("lead", ("引语",), 6, required=False),
    Column("leader", ("责任领导", "牵头领导"), 16),
    Column("unit", ("责任单位", "牵头单位"), 20),
    Column("deadline", ("整改时限", "完成时限"), 14),
    Column("status", ("完成情况", "整改状态"), 10, required=False),
    Column("status_date", ("状态日期", "变更日期"), 12, required=False),
)
MEASURE_COLUMNS = (
    Column("id", ("序号", "编号"), 6),
    Column("date", ("日期", "措施日期"), 12),
    Column("text", ("整改措施", "措施"), 80),
    Column("quantity", ("量化指标", "指标"), 22, required=False),
    Column("number", ("数值", "数量"), 10, required=False),
)
MECHANISM_COLUMNS = (
    Column("id", ("序号", "编号"), 6),
    Column("date", ("日期", "建立日期"), 12),
    Column("name", ("机制名称", "长效机制"), 60),
)
_Keyed = dict[str, list[yaml.Node]]  # YAML nodes by the 序号 of the problem they belong to
PROBLEM_LEVEL = ("id", "problem", "lead", "leader", "unit", "deadline")  # the columns merged over a problem's rows


def load_workbook_ledger(path: Path, limits: Limits = DEFAULT_LIMITS) -> Ledger:
    """Read and validate the 整改台账 workbook at ``path``; SourceError naming sheet and cell."""
    with open_workbook(path, limits) as book:
        try:
            return _ledger(book, limits)
        except SourceError as error:
            raise in_cells(error) from None


def open_ledger(path: Path) -> Ledger:
    """A ledger kept as YAML or as an Excel workbook, by its suffix."""
    return load_workbook_ledger(path) if is_workbook(path) else load_ledger(path)


def open_previous(spec: str, other: Ledger) -> LedgerView:
    """``--previous``: as :func:`docgen.ledger.reader.open_view`, and a workbook as a FILE too."""
    return open_view(spec, other, open_ledger)


def open_ledger_pair(old: str, new: str) -> tuple[LedgerView, LedgerView]:
    """``docgen diff OLD NEW`` of YAML ledgers, workbooks or one of each (or a day of either)."""
    return open_pair(old, new, open_ledger)


def cell_of(location: SourceLocation) -> SourceLocation:
    """The cell a location made from one of this module's marks stands for (others as they are)."""
    if type(location) is not SourceLocation or location.path.suffix.lower() != XLSX_SUFFIX:
        return location
    number, row = divmod(location.line - 1, _ROWS)
    if number >= len(_SHEETS):
        return location
    sheet = _SHEETS[number]
    return CellLocation(location.path, row + 1, 1 if sheet == REPORT else location.column, sheet)


def in_cells(error: DocgenError) -> DocgenError:
    """``error`` naming the cell its location stands for: what the update's checks find in a workbook's nodes."""
    if isinstance(error, SourceError) and (cell := cell_of(error.location)) is not error.location:
        return SourceError(cell, error.message)
    return error


class _CellReader(SourceReader):
    def fail(self, node: yaml.Node | yaml.Mark, message: str) -> SourceError:
        return SourceError(cell_of(super().fail(node, message).location), message)


def _mark(sheet: str, row: int, column: int) -> yaml.Mark:
    return yaml.Mark(sheet, 0, _SHEETS.index(sheet) * _ROWS + row - 1, column - 1, None, None)


def _fail(sheet: str, row: int, column: int, path: Path, message: str) -> SourceError:
    return SourceError(CellLocation(path, row, column, sheet), message)


# ---------------------------------------------------------------- sheets as tables


@dataclass
class _Table:
    """A sheet read below its header row: each row's cells by column key."""

    path: Path
    name: str
    columns: dict[str, int]  # key → column number (1 is A)
    rows: list[tuple[int, tuple[object, ...]]]  # (row, values), rows with nothing in them left out
    merged_rows: set[int] = field(default_factory=set)  # rows whose first cell is merged across the row

    def value(self, values: tuple[object, ...], key: str) -> object:
        column = self.columns.get(key)
        if column is None or column > len(values):
            return None
        value = values[column - 1]
        return value.strip() if isinstance(value, str) else value

    def text(self, values: tuple[object, ...], key: str) -> str:
        return cell_text(self.value(values, key))

    def node(self, row: int, values: tuple[object, ...], key: str) -> yaml.ScalarNode:
        """The cell as a text node (an empty cell an empty text, which the checks refuse where one is needed)."""
        return self.scalar(row, key, self.text(values, key))

    def date_node(self, row: int, values: tuple[object, ...], key: str) -> yaml.ScalarNode:
        """A date cell: empty as YAML's null (a status without its day), else its text."""
        value = self.value(values, key)
        return self.scalar(row, key, cell_text(value), _NULL if value in (None, "") else _STR)

    def number_node(self, row: int, values: tuple[object, ...], key: str) -> yaml.ScalarNode:
        value = self.value(values, key)
        text = cell_text(value)
        numeric = (isinstance(value, int | float) and not isinstance(value, bool)) or bool(_NUMBER.match(text))
        tag = (_INT if text.lstrip("+-").isdigit() else _FLOAT) if numeric else _NULL if not text else _STR
        return self.scalar(row, key, text, tag)

    def scalar(self, row: int, key: str, text: str, tag: str = _STR) -> yaml.ScalarNode:
        mark = _mark(self.name, row, self.columns.get(key, 1))
        return yaml.ScalarNode(tag, text, mark, mark)

    def fail(self, row: int, key: str, message: str) -> SourceError:
        return _fail(self.name, row, self.columns.get(key, 1), self.path, message)


def _sheet(book: Book, name: str, required: bool) -> ReadOnlyWorksheet | None:
    sheet = book.sheet(name)
    if sheet is None and required:
        names = ", ".join(book.workbook.sheetnames)
        raise DocgenError(
            _("{path}: the workbook has no sheet named {name} (it has: {names})").format(
                path=book.path, name=name, names=names
            )
        )
    return sheet


def _table(book: Book, sheet: ReadOnlyWorksheet, columns: tuple[Column, ...]) -> _Table:
    header_row, found = _header_row(book.path, sheet, columns)
    body = [(number, values) for number, values in sheet_rows(sheet, max(found.values())) if number > header_row]
    return _Table(book.path, sheet.title, found, body, book.merged_across(sheet))


def _header_row(path: Path, sheet: ReadOnlyWorksheet, columns: tuple[Column, ...]) -> tuple[int, dict[str, int]]:
    """The header row (the first naming the first column, a title above it skipped) and each column's number."""
    first = columns[0].headers
    for row, values in sheet_rows(sheet, MAX_COLUMNS):
        if row > _HEADER_SEARCH:
            break
        if any(_header(value) in first for value in values):
            return row, _header_columns(path, sheet.title, row, values, columns)
    expected = _("no header row: expected a row naming the columns, from {first} on ({columns})")
    names = ", ".join(column.headers[0] for column in columns)
    raise _fail(sheet.title, 1, 1, path, expected.format(first=first[0], columns=names))


def _header_columns(
    path: Path, sheet: str, row: int, values: tuple[object, ...], columns: tuple[Column, ...]
) -> dict[str, int]:
    found: dict[str, int] = {}
    for number, value in enumerate(values, 1):
        column = next((column for column in columns if _header(value) in column.headers), None)
        if column is None:
            continue
        if column.key in found:
            twice = _("a second {header} column (the first is column {first}); name each column once")
            raise _fail(sheet, row, number, path, twice.format(header=column.headers[0], first=found[column.key]))
        found[column.key] = number
    for column in columns:
        if column.required and column.key not in found:
            others = ", ".join(column.headers[1:])
            accepted = _(" (or {headers})").format(headers=others) if others else ""
            missing = _("the header row has no {header} column{accepted}; {sheet} needs {required}")
            raise _fail(sheet, row, 1, path, missing.format(header=column.headers[0], accepted=accepted, sheet=sheet,
                                                            required=_required(columns)))  # fmt: skip
    return found


def _header(value: object) -> str:
    return _SPACE.sub("", cell_text(value))


def _required(columns: tuple[Column, ...]) -> str:
    return ", ".join(column.headers[0] for column in columns if column.required)


# ---------------------------------------------------------------- the ledger


def _ledger(book: Book, limits: Limits) -> Ledger:
    path = book.path
    problems = _table(book, _required_sheet(book, PROBLEMS), PROBLEM_COLUMNS)
    measures = _keyed_nodes(_optional_table(book, MEASURES, MEASURE_COLUMNS), _measure_nodes)
    mechanisms = _keyed_nodes(_optional_table(book, MECHANISMS, MECHANISM_COLUMNS), _mechanism_nodes)
    group_nodes = _group_nodes(problems, measures, mechanisms)
    as_of_node = _as_of_node(path, _required_sheet(book, INFO))
    report = _report(book, limits)
    reader = _CellReader(path, limits)
    as_of = reader.date(
        as_of_node, _("the {label} (the day the ledger was last brought up to date)").format(label=AS_OF_LABELS[0])
    )
    groups = read_groups(reader, group_nodes, as_of, _located)
    _check_owned(path, measures, mechanisms)
    return Ledger(path, as_of, _cell_of_node(path, as_of_node), groups, report)


def _check_owned(path: Path, measures: _Keyed, mechanisms: _Keyed) -> None:
    """Rows of 整改措施 and 长效机制 that no problem took: their 序号 is not in 问题清单."""
    for sheet, strays in ((MEASURES, measures), (MECHANISMS, mechanisms)):
        for ident, nodes in strays.items():
            where = replace(_cell_of_node(path, nodes[0]), column=1)
            stray = _("序号 {id} is in {sheet} but not in {problems}")
            raise SourceError(where, stray.format(id=ident, sheet=sheet, problems=PROBLEMS))


def _required_sheet(book: Book, name: str) -> ReadOnlyWorksheet:
    sheet = _sheet(book, name, required=True)
    assert sheet is not None
    return sheet


def _optional_table(book: Book, name: str, columns: tuple[Column, ...]) -> _Table | None:
    sheet = _sheet(book, name, required=False)
    return _table(book, sheet, columns) if sheet is not None else None


def _located(group: Group) -> Group:
    """The group with every location the reader made from a mark as the cell it stands for."""
    return replace(group, problems=tuple(_located_problem(problem) for problem in group.problems))


def _located_problem(problem: Problem) -> Problem:
    return replace(
        problem,
        where=cell_of(problem.where),
        changes=tuple(replace(change, where=cell_of(change.where)) for change in problem.changes),
        measures=tuple(replace(measure, where=cell_of(measure.where)) for measure in problem.measures),
        mechanisms=tuple(replace(mechanism, where=cell_of(mechanism.where)) for mechanism in problem.mechanisms),
    )


@dataclass
class _Rows:
    """A problem's row and the rows under it: the cells of its YAML mapping."""

    row: int
    values: tuple[object, ...]
    statuses: list[tuple[int, tuple[object, ...]]]  # its own row first


def _group_nodes(table: _Table, measures: _Keyed, mechanisms: _Keyed) -> list[yaml.Node]:
    """The groups as YAML nodes; each problem takes its measures and mechanisms out of ``measures`` and
    ``mechanisms`` (once: a second problem of the same 序号 is the reader's error), leaving the strays."""
    groups: list[tuple[yaml.ScalarNode, list[_Rows]]] = []
    for row, values in table.rows:
        if row in table.merged_rows:
            groups.append((table.scalar(row, "id", cell_text(values[0]).strip()), []))
        elif table.text(values, "id"):
            if not groups:
                raise table.fail(row, "id", _("a problem before the first part's heading; a heading (关于“……”) is "
                                 "a row whose first cell is merged across the row"))  # fmt: skip
            groups[-1][1].append(_Rows(row, values, [(row, values)]))
        else:
            _continue_problem(table, groups[-1][1] if groups else [], row, values)
    return [
        _mapping(
            heading,
            [
                ("heading", heading),
                ("problems", _sequence(heading, [_problem_node(table, p, measures, mechanisms) for p in problems])),
            ],
        )
        for heading, problems in groups
    ]


def _continue_problem(table: _Table, problems: list[_Rows], row: int, values: tuple[object, ...]) -> None:
    """A row without 序号: a further status change of the problem above."""
    if not problems:
        raise table.fail(row, "id", _("no 序号: a problem's row starts with its 序号 (rows without one continue "
                         "the problem above with further status changes)"))  # fmt: skip
    if filled := next((key for key in PROBLEM_LEVEL[1:] if table.text(values, key)), None):
        above = table.text(problems[-1].values, "id")
        raise table.fail(row, filled, _("a row without 序号 continues problem {id} with a further status change "
                         "only; give this row a 序号 if it is a problem of its own").format(id=above))  # fmt: skip
    problems[-1].statuses.append((row, values))


def _problem_node(table: _Table, rows: _Rows, measures: _Keyed, mechanisms: _Keyed) -> yaml.MappingNode:
    ident = table.text(rows.values, "id")
    pairs = [(key, table.node(rows.row, rows.values, key)) for key in ("id", "problem", "leader", "unit")]
    pairs.append(("deadline", _deadline_node(table, rows.row, rows.values)))
    if table.text(rows.values, "lead"):
        pairs.append(("lead", table.node(rows.row, rows.values, "lead")))
    status = _status_node(table, ident, rows.statuses)
    if status is not None:
        pairs.append(("status", status))
    for key, nodes in (("measures", measures), ("mechanisms", mechanisms)):
        if ident in nodes:
            pairs.append((key, _sequence(pairs[0][1], nodes.pop(ident))))
    return _mapping(pairs[0][1], pairs)


def _deadline_node(table: _Table, row: int, values: tuple[object, ...]) -> yaml.ScalarNode:
    """整改时限 as the YAML ledger writes it: 2023年6月底前 is 2023-06-30, 长期坚持 is 长期."""
    value = table.value(values, "deadline")
    text = cell_text(value) if isinstance(value, date) else _deadline_text(cell_text(value))
    return table.scalar(row, "deadline", text)


def _deadline_text(text: str) -> str:
    if text == "长期坚持":
        return "长期"
    if match := _MONTH_END.match(text):
        year, month = int(match[1]), int(match[2])
        if 1 <= month <= 12:
            first_of_next = date(year + month // 12, month % 12 + 1, 1)
            return (first_of_next - timedelta(days=1)).isoformat()
    if match := _YEAR_END.match(text):
        return f"{match[1]}-12-31"
    if match := _DAY_BEFORE.match(text):
        return match[1]
    return text


def _status_node(table: _Table, ident: str, rows: list[tuple[int, tuple[object, ...]]]) -> yaml.Node | None:
    """完成情况 and 状态日期 of each row as the YAML ledger's status: 未启动 alone, or each status with its day."""
    changes = [
        (row, values) for row, values in rows if table.text(values, "status") or table.text(values, "status_date")
    ]
    if not changes:
        return None
    row, values = changes[0]
    if len(changes) == 1 and not table.text(values, "status_date"):
        return table.node(row, values, "status")
    first: dict[str, int] = {}
    pairs = []
    for row, values in changes:
        word = table.text(values, "status")
        if word in first:
            raise table.fail(row, "status", _("problem {id} is {word} twice (first on row {first}); each status is "
                             "given once, with the day it took effect").format(id=ident, word=word,
                                                                               first=first[word]))  # fmt: skip
        first[word] = row
        pairs.append((table.node(row, values, "status"), table.date_node(row, values, "status_date")))
    mark = pairs[0][0].start_mark
    return yaml.MappingNode(_MAP, pairs, mark, mark)


def _keyed_nodes(table: _Table | None, read: Callable[[_Table], Iterator[tuple[str, yaml.Node]]]) -> _Keyed:
    """The rows of 整改措施 or 长效机制 as YAML nodes by their problem's 序号, in their order."""
    keyed: _Keyed = {}
    for ident, node in read(table) if table is not None else ():
        keyed.setdefault(ident, []).append(node)
    return keyed


def _owners(table: _Table) -> Iterator[tuple[str, int, tuple[object, ...]]]:
    """Each row with the 序号 it belongs to: its own, or (empty or merged) that of the row above."""
    ident = ""
    for row, values in table.rows:
        ident = table.text(values, "id") or ident
        if not ident:
            raise table.fail(
                row, "id", _("no 序号: each row of {sheet} names the problem it belongs to").format(sheet=table.name)
            )
        yield ident, row, values


@dataclass
class _Measure:
    ident: str
    date: yaml.Node
    text: yaml.Node
    quantities: list[tuple[yaml.Node, yaml.Node]]

    def node(self) -> yaml.Node:
        pairs = [("date", self.date), ("text", self.text)]
        if self.quantities:
            mark = self.quantities[0][0].start_mark
            pairs.append(("quantities", yaml.MappingNode(_MAP, self.quantities, mark, mark)))
        return _mapping(self.text, pairs)


def _measure_nodes(table: _Table) -> Iterator[tuple[str, yaml.Node]]:
    """Measures: {date, text, quantities}; a row with only 量化指标 and 数值 adds a figure to the one above."""
    measure: _Measure | None = None
    for ident, row, values in _owners(table):
        figures = [(table.node(row, values, "quantity"), table.number_node(row, values, "number"))]
        if not any(table.text(values, key) for key in ("id", "date", "text")):
            if measure is None or measure.ident != ident:
                raise table.fail(row, "text", _("a figure (量化指标, 数值) with no measure: write the measure on this "
                                 "row, or put the figure under the measure it belongs to"))  # fmt: skip
            measure.quantities.extend(figures)
            continue
        if measure is not None:
            yield measure.ident, measure.node()
        has_figure = table.text(values, "quantity") or table.text(values, "number")
        date_node, text_node = table.node(row, values, "date"), table.node(row, values, "text")
        measure = _Measure(ident, date_node, text_node, figures if has_figure else [])
    if measure is not None:
        yield measure.ident, measure.node()


def _mechanism_nodes(table: _Table) -> Iterator[tuple[str, yaml.Node]]:
    for ident, row, values in _owners(table):
        name = table.node(row, values, "name")
        yield ident, _mapping(name, [("date", table.node(row, values, "date")), ("name", name)])


def _as_of_node(path: Path, sheet: ReadOnlyWorksheet) -> yaml.ScalarNode:
    for row, values in sheet_rows(sheet, 2):
        if _header(values[0]) in AS_OF_LABELS:
            mark = _mark(INFO, row, 2)
            return yaml.ScalarNode(_STR, cell_text(values[1] if len(values) > 1 else None), mark, mark)
    raise _fail(INFO, 1, 1, path, _("no {label} row: write {label} in column A and, in column B, the day the "
                "ledger was last brought up to date (2023-04-25)").format(label=AS_OF_LABELS[0]))  # fmt: skip


def _report(book: Book, limits: Limits) -> yaml.Node | None:
    """The 通报 sheet's YAML, composed as a source's (its marks are its rows: sheet number 0)."""
    sheet = _sheet(book, REPORT, required=False)
    if sheet is None:
        return None
    lines: list[str] = []
    for row, values in sheet_rows(sheet, MAX_COLUMNS):
        if stray := next((column for column, value in enumerate(values[1:], 2) if cell_text(value)), None):
            message = _("the {sheet} sheet holds its YAML in column A only, a line a row").format(sheet=REPORT)
            raise _fail(REPORT, row, stray, book.path, message)
        lines.extend([""] * (row - 1 - len(lines)))  # the blank rows above: blank lines
        lines.append(cell_text(values[0]))
    return compose_text("\n".join(lines), book.path, limits.max_nesting)


def _cell_of_node(path: Path, node: yaml.Node) -> SourceLocation:
    return cell_of(SourceLocation(path, node.start_mark.line + 1, node.start_mark.column + 1))


def _mapping(where: yaml.Node, pairs: list[tuple[str, yaml.Node]]) -> yaml.MappingNode:
    mark = where.start_mark
    return yaml.MappingNode(_MAP, [(yaml.ScalarNode(_STR, key, mark, mark), value) for key, value in pairs], mark, mark)


def _sequence(where: yaml.Node, items: list[yaml.Node]) -> yaml.SequenceNode:
    return yaml.SequenceNode(_SEQ, items, where.start_mark, where.start_mark)
