"""Excel workbooks (.xlsx) from anyone, opened within bounds: 整改台账 ledgers and batch rows.

A workbook is a zip of XML parts, read as :mod:`docgen.files.docx_package` reads a Word file: the
file's size against the source limit before it is read, the zip directory against the package
bounds before a byte is inflated, every part inflated in bounded steps. openpyxl then reads the
inflated copy, never the file. Refused with a message saying what to do: a macro-enabled workbook
(.xlsm, or an .xlsx holding a VBA project), an encrypted one (Excel saves a workbook with a
password as an OLE container, not a zip), an old binary .xls or .xlsb, and any part declaring a
DTD (no Excel file does; entities are how XML bombs expand).

Cells are located as Excel shows them: ``台账.xlsx!问题清单!F12``.
"""

from __future__ import annotations

import io
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import TYPE_CHECKING

from lxml import etree

from docgen.errors import DocgenError, SourceLocation
from docgen.files.docx_package import read_package
from docgen.i18n import N_, _
from docgen.limits import SOURCE_LIMIT_SETTING, Limits, read_or_refuse

if TYPE_CHECKING:  # openpyxl is imported where a workbook is opened: 0.3 s every command would pay
    from openpyxl.workbook import Workbook
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet

XLSX_SUFFIX = ".xlsx"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # an OLE compound file: an encrypted workbook, or .xls
_ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")  # the stream an encrypted OOXML file keeps
_SAVE_AS = N_("open it in Excel or WPS and save it as an Excel workbook (.xlsx)")
_FOREIGN_SUFFIXES = {
    ".xlsm": N_("a macro-enabled workbook (.xlsm); docgen reads no workbook with macros: {save_as} without them"),
    ".xltm": N_("a macro-enabled template (.xltm); docgen reads no workbook with macros: {save_as} without them"),
    ".xlsb": N_("a binary workbook (.xlsb), which docgen does not read: {save_as}"),
    ".xls": N_("an old Excel 97-2003 workbook (.xls), which docgen does not read: {save_as}"),
}
_MACRO_MARKS = (b"macroEnabled", b"vbaProject")  # in [Content_Types].xml of a workbook with macros
_MERGE_CELL = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}mergeCell"
MAX_COLUMNS = 256  # read of a row: a sheet's data starts at A, and no ledger or data row is wider


@dataclass(frozen=True)
class CellLocation(SourceLocation):
    """A cell of a sheet: ``line`` is its row, ``column`` its column (1 is A)."""

    sheet: str = ""

    def __str__(self) -> str:
        from openpyxl.utils import get_column_letter

        return f"{self.path}!{self.sheet}!{get_column_letter(self.column)}{self.line}"


def is_workbook(path: Path) -> bool:
    return path.suffix.lower() in (XLSX_SUFFIX, *_FOREIGN_SUFFIXES)


@dataclass(frozen=True)
class Book:
    """An open workbook (read-only: rows stream, a gap of empty rows costs nothing) and its inflated parts."""

    path: Path
    workbook: Workbook
    parts: dict[str, bytes]

    def sheet(self, name: str) -> ReadOnlyWorksheet | None:
        if name not in self.workbook.sheetnames:
            return None
        sheet = self.workbook[name]
        sheet.reset_dimensions()  # the size a sheet declares may be short of its rows: read them all
        return sheet

    def merged_across(self, sheet: ReadOnlyWorksheet) -> set[int]:
        """The rows whose first cell is merged across the row (a read-only sheet keeps no merged cells)."""
        part = self.parts.get(sheet._worksheet_path, b"")  # the sheet's part: openpyxl's name for it
        rows = set()
        for _event, element in etree.iterparse(
            io.BytesIO(part), tag=_MERGE_CELL, resolve_entities=False, no_network=True
        ):
            min_column, min_row, max_column, max_row = _range_boundaries(element.get("ref", "A1"))
            if min_column == 1 and max_column > 1 and min_row == max_row:
                rows.add(min_row)
            element.clear()
        return rows


def sheet_rows(sheet: ReadOnlyWorksheet, columns: int) -> Iterator[tuple[int, tuple[object, ...]]]:
    """``(row, values)`` of the rows with something in their first ``columns`` cells, numbered as Excel numbers them."""
    for number, values in enumerate(sheet.iter_rows(max_col=min(columns, MAX_COLUMNS), values_only=True), 1):
        if any(value is not None and (not isinstance(value, str) or value.strip()) for value in values):
            yield number, values


@contextmanager
def open_workbook(path: Path, limits: Limits) -> Iterator[Book]:
    """The workbook at ``path`` (cached values, never formulas), within ``limits`` and the package bounds."""
    if path.suffix.lower() in _FOREIGN_SUFFIXES:
        raise _foreign(path, path.suffix.lower())
    _check_container(path, limits)
    package = read_package(path, N_("Excel workbook (.xlsx)"), N_("workbook"))
    _check_parts(path, package.parts)
    try:
        with warnings.catch_warnings():  # openpyxl warns of what it drops (data validation, styles): nothing to act on
            warnings.simplefilter("ignore")
            import openpyxl

            workbook = openpyxl.load_workbook(
                io.BytesIO(package.zip_bytes()), read_only=True, data_only=True, keep_links=False
            )
    except Exception as error:  # openpyxl raises many kinds on a damaged or foreign workbook
        unreadable = _("{path}: not a readable {noun} ({error})")
        raise DocgenError(unreadable.format(path=path, noun=_("Excel workbook (.xlsx)"), error=error)) from None
    try:
        yield Book(path, workbook, package.parts)
    finally:
        workbook.close()


def _foreign(path: Path, suffix: str) -> DocgenError:
    """The refusal of a workbook of a kind docgen does not read (by ``suffix``), saying how to save it."""
    return DocgenError(
        _("{path}: {reason}").format(path=path, reason=_(_FOREIGN_SUFFIXES[suffix]).format(save_as=_(_SAVE_AS)))
    )


def _check_container(path: Path, limits: Limits) -> None:
    """The source limit on the file, and what it is when it is no zip."""
    raw = read_or_refuse(path, limits.max_source_bytes, _("the workbook"), _(SOURCE_LIMIT_SETTING))
    if raw.startswith(_OLE_MAGIC):
        if _ENCRYPTED_PACKAGE in raw:
            encrypted = _(
                "{path}: the workbook is encrypted (saved with a password); remove the password "
                "in Excel or WPS (文件 → 信息 → 保护工作簿) and save it again as .xlsx"
            )
            raise DocgenError(encrypted.format(path=path))
        raise _foreign(path, ".xls")
    if not raw.startswith(b"PK\x03\x04"):
        raise DocgenError(
            _("{path}: not an Excel workbook (.xlsx is a zip of XML parts; this is not a zip)").format(path=path)
        )


def _check_parts(path: Path, parts: dict[str, bytes]) -> None:
    content_types = parts.get("[Content_Types].xml", b"")
    if any(mark in content_types for mark in _MACRO_MARKS) or any(
        name.lower().endswith("vbaproject.bin") for name in parts
    ):
        macros = _(
            "{path}: the workbook holds macros (a VBA project, as an .xlsm does); docgen reads no "
            "workbook with macros: {save_as} without them"
        )
        raise DocgenError(macros.format(path=path, save_as=_(_SAVE_AS)))
    for name, data in parts.items():
        if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
            dtd = _(
                "{path}: the part {name} declares a DTD (<!DOCTYPE or <!ENTITY), which no Excel "
                "workbook does; refused unread"
            )
            raise DocgenError(dtd.format(path=path, name=name))


def cell_text(value: object) -> str:
    """A cell's value as the text a user sees in Excel: 300 not 300.0, a date as 2023-04-25."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat(sep=" ", timespec="minutes")
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, float):
        return format(value, ".15g")  # Excel shows 15 significant digits: 0.1 + 0.2 is 0.3
    return str(value)


def _range_boundaries(reference: str) -> tuple[int, int, int, int]:
    from openpyxl.utils import range_boundaries

    return range_boundaries(reference)
