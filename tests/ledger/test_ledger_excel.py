"""The 整改台账 as an Excel workbook: data/ledger.xlsx holds what data/ledger.yaml holds and gives the same
update byte for byte; a workbook's faults are each one error naming the cell; hostile files are refused.

The expected ledger is read from the YAML by PyYAML alone (not by docgen's reader), and the written
workbook is opened with openpyxl itself, so neither side of a comparison is docgen's own reading.
"""

from __future__ import annotations

import io
import json
import zipfile
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest
import yaml
from click.testing import CliRunner, Result

from docgen.cli import main
from docgen.errors import DocgenError
from docgen.ledger.excel import load_workbook_ledger
from docgen.ledger.excel_writer import ledger_workbook
from docgen.ledger.reader import Problem, load_ledger, view
from docgen.limits import Limits
from support import ROOT, bounded, macro_enabled

LEDGER_YAML = ROOT / "data" / "ledger.yaml"
LEDGER_XLSX = ROOT / "data" / "ledger.xlsx"
EARLIER = "2022-12-31"  # a day before the ledger's as_of: later statuses and measures are left out


def run(*args: object) -> Result:
    return CliRunner().invoke(main, [str(arg) for arg in args])


def raw_ledger() -> dict:
    return yaml.safe_load(LEDGER_YAML.read_text(encoding="utf-8"))


def expected(day: date) -> list[tuple]:
    """The ledger's groups on ``day``, from the YAML as PyYAML reads it: what the workbook must hold."""
    groups = []
    for group in raw_ledger()["groups"]:
        problems = []
        for problem in group["problems"]:
            status = problem.get("status", {})
            changes = [(word, when) for word, when in status.items() if when <= day] if isinstance(status, dict) else []
            measures = [
                (m["text"], m["date"], tuple((k, float(v)) for k, v in m.get("quantities", {}).items()))
                for m in problem.get("measures", [])
                if m["date"] <= day
            ]
            mechanisms = [(m["name"], m["date"]) for m in problem.get("mechanisms", []) if m["date"] <= day]
            deadline = None if problem["deadline"] == "长期" else problem["deadline"]
            row = (str(problem["id"]), problem["problem"], problem.get("lead", "针对"), problem["leader"])
            problems.append((*row, problem["unit"], deadline, changes, measures, mechanisms))
        groups.append((group["heading"], problems))
    return groups


def held(path: Path) -> list[tuple]:
    """The groups docgen reads from the workbook at ``path``, in the shape of :func:`expected`."""
    groups = load_workbook_ledger(path).groups
    return [(group.heading, [shape(problem) for problem in group.problems]) for group in groups]


def shape(p: Problem) -> tuple:
    changes = [(c.status.value, c.date) for c in p.changes]
    measures = [(m.text, m.date, m.quantities) for m in p.measures]
    mechanisms = [(m.name, m.date) for m in p.mechanisms]
    return (p.id, p.problem, p.lead.value, p.leader, p.unit, p.deadline, changes, measures, mechanisms)


# ---------------------------------------------------------------- the same ledger, the same update


def test_the_workbook_holds_exactly_what_the_yaml_ledger_holds() -> None:
    as_of = raw_ledger()["as_of"]
    assert held(LEDGER_XLSX) == expected(as_of)
    ledger = load_workbook_ledger(LEDGER_XLSX)
    assert ledger.as_of == as_of
    assert sum(len(p.mechanisms) for p in ledger.problems) == 46 and len(ledger.problems) == 29
    assert ledger.report is not None


def test_the_committed_workbook_is_what_the_script_writes_byte_for_byte(tmp_path: Path) -> None:
    import runpy

    script = runpy.run_path(str(ROOT / "scripts" / "make-ledger-xlsx.py"))
    target = tmp_path / "ledger.xlsx"
    script["main"]([str(LEDGER_YAML), str(target)])
    assert target.read_bytes() == LEDGER_XLSX.read_bytes()


@pytest.mark.parametrize("day", ["2023-04-25", EARLIER])
def test_progress_from_the_workbook_is_the_yaml_ledgers_update_byte_for_byte(tmp_path: Path, day: str) -> None:
    outputs = {}
    for ledger in (LEDGER_YAML, LEDGER_XLSX):
        out = tmp_path / ledger.suffix[1:]
        result = run("progress", ledger, "--as-of", day, "--table", "-o", out, "-f", "docx,pdf,html")
        assert result.exit_code == 0, result.output
        outputs[ledger.suffix] = out
    stem = f"ledger-progress-{day}"  # both files are named ledger: the same stem
    for suffix in ("docx", "pdf", "html", "xlsx"):
        from_yaml, from_xlsx = (outputs[kind] / f"{stem}.{suffix}" for kind in (".yaml", ".xlsx"))
        assert from_yaml.read_bytes() == from_xlsx.read_bytes(), suffix
    assert f"docgen progress {LEDGER_XLSX} --as-of {day}" in (outputs[".xlsx"] / f"{stem}.yaml").read_text()


# ---------------------------------------------------------------- the written 台账


def test_the_written_ledger_reads_back_equal_to_the_model_of_its_day(tmp_path: Path) -> None:
    result = run("progress", LEDGER_YAML, "--as-of", EARLIER, "--table", "-o", tmp_path, "-f", "html")
    assert result.exit_code == 0, result.output
    written = tmp_path / f"ledger-progress-{EARLIER}.xlsx"
    assert f"wrote {written}" in result.output
    assert held(written) == expected(date.fromisoformat(EARLIER))
    assert load_workbook_ledger(written).as_of == date.fromisoformat(EARLIER)


def test_the_written_ledger_has_styled_headers_widths_and_dates_as_dates(tmp_path: Path) -> None:
    written = tmp_path / "ledger.xlsx"
    written.write_bytes(ledger_workbook(view(load_ledger(LEDGER_YAML), date.fromisoformat(EARLIER))))
    workbook = openpyxl.load_workbook(written)
    sheet = workbook["问题清单"]
    header = [cell.value for cell in sheet[1]]
    assert header == ["序号", "反馈问题", "引语", "责任领导", "责任单位", "整改时限", "完成情况", "状态日期"]
    assert all(cell.font.bold and cell.fill.fgColor.rgb.endswith("D9D9D9") for cell in sheet[1])
    assert sheet.column_dimensions["B"].width == 48 and sheet.column_dimensions["A"].width == 6
    assert "A2:H2" in {str(merged) for merged in sheet.merged_cells.ranges}  # the first part's heading
    first = raw_ledger()["groups"][0]["problems"][1]  # problem 2: due 2022-12-31, done 2022-12-30
    row = next(cells for cells in sheet.iter_rows(min_row=3) if cells[0].value == first["id"])
    assert row[5].value == datetime(2022, 12, 31) and row[5].number_format == 'yyyy"年年底前"'
    assert row[7].value == datetime(2022, 10, 26) and row[7].is_date
    measures = workbook["整改措施"]
    assert all(isinstance(cells[1].value, datetime) for cells in measures.iter_rows(min_row=2))
    assert all(cells[1].value <= datetime(2022, 12, 31) for cells in measures.iter_rows(min_row=2))
    assert workbook["台账信息"]["B2"].value == datetime(2022, 12, 31)


def test_the_same_ledger_writes_the_same_bytes() -> None:
    current = view(load_ledger(LEDGER_YAML), date.fromisoformat(EARLIER))
    first = ledger_workbook(current)
    assert ledger_workbook(current) == first
    core = zipfile.ZipFile(io.BytesIO(first)).read("docProps/core.xml").decode()
    assert core.count("2022-12-31T00:00:00Z") == 2  # created and modified: the ledger's day, not the clock's
    assert {info.date_time for info in zipfile.ZipFile(LEDGER_XLSX).infolist()} == {(1980, 1, 1, 0, 0, 0)}


# ---------------------------------------------------------------- a workbook's faults, each at its cell


def edited(tmp_path: Path, edit: dict[str, object], sheet: str = "问题清单") -> Path:
    """data/ledger.xlsx with the cells ``edit`` names (A1: value) changed."""
    workbook = openpyxl.load_workbook(LEDGER_XLSX)
    for cell, value in edit.items():
        workbook[sheet][cell] = value
    path = tmp_path / "台账.xlsx"
    workbook.save(path)
    return path


def problem_row(ident: int) -> int:
    sheet = openpyxl.load_workbook(LEDGER_XLSX)["问题清单"]
    return next(cells[0].row for cells in sheet.iter_rows(min_row=2) if cells[0].value == ident)


def single_error(path: Path, *args: str) -> str:
    result = run("progress", path, "-o", path.parent / "out", "-f", "html", *args)
    assert result.exit_code == 2, result.output
    line, *shown = result.output.strip().splitlines()  # a YAML mistake adds its line, a caret and a hint
    assert all(extra.startswith("  ") for extra in shown), result.output
    assert "Traceback" not in result.output and not (path.parent / "out").exists()
    return line


@pytest.mark.parametrize(
    ("edit", "cell", "expected_words"),
    [
        ({"H{p2}": "2022-13-01"}, "H{p2}", "the date problem 2 became 推进中 '2022-13-01' is not a calendar date"),
        ({"H{p2}": "十月底"}, "H{p2}", "must be a date such as 2023-04-25 or 2023年4月25日, got '十月底'"),
        ({"A{p2}": 1}, "A{p2}", "duplicate problem id '1' (first given on line {p1})"),
        ({"G{p2}": "进行中"}, "G{p2}", "unknown key '进行中' in the status of problem 2; did you mean '推进中'?"),
        ({"G{p2}": "已完成", "G{p2next}": "已完成"}, "G{p2next}", "problem 2 is 已完成 twice (first on row {p2})"),
        ({"E1": "单位"}, "A1", "the header row has no 责任单位 column (or 牵头单位)"),
        (
            {"F{p2}": "明年"},
            "F{p2}",
            "'deadline' must be a date such as 2023-04-25 or 2023年4月25日, got '明年', or 长期",
        ),
        ({"E{p2}": None}, "E{p2}", "'unit' must not be empty"),
    ],
)
def test_a_fault_is_one_error_naming_its_cell(
    tmp_path: Path, edit: dict[str, object], cell: str, expected_words: str
) -> None:
    rows = {"p1": problem_row(1), "p2": problem_row(2), "p2next": problem_row(2) + 1}
    path = edited(tmp_path, {key.format(**rows): value for key, value in edit.items()})
    line = single_error(path)
    assert line.startswith(f"docgen: error in source: {path}!问题清单!{cell.format(**rows)}: "), line
    assert expected_words.format(**rows) in line, line


def test_a_measure_dated_after_the_ledger_names_its_cell_in_the_measures_sheet(tmp_path: Path) -> None:
    path = edited(tmp_path, {"B3": datetime(2024, 1, 1)}, sheet="整改措施")
    line = single_error(path)
    assert line.startswith(f"docgen: error in source: {path}!整改措施!B3: a measure of problem 1 is 2024-01-01, after")


def test_a_figure_that_is_no_number_names_its_cell(tmp_path: Path) -> None:
    sheet = openpyxl.load_workbook(LEDGER_XLSX)["整改措施"]
    row = next(cells[0].row for cells in sheet.iter_rows(min_row=2) if cells[3].value)
    line = single_error(edited(tmp_path, {f"E{row}": "三百"}, sheet="整改措施"))
    assert f"!整改措施!E{row}: problem 1: quantity '培训干部（人）' must be a number in decimal digits" in line


def test_an_update_day_after_the_ledgers_names_the_day_it_is_kept_to() -> None:
    result = run("progress", LEDGER_XLSX, "--as-of", "2023-05-01", "-o", "/nonexistent", "-f", "html")
    assert result.exit_code == 2
    assert f"{LEDGER_XLSX}!台账信息!B2: the ledger is kept up to 2023-04-25" in result.output


def test_a_fault_in_the_reports_yaml_and_one_the_update_finds_name_the_reports_row(tmp_path: Path) -> None:
    report = openpyxl.load_workbook(LEDGER_XLSX)["通报"]
    ledger_cell = next(cells[0] for cells in report.iter_rows() if "{{ ledger }}" in str(cells[0].value))
    path = edited(tmp_path, {"A2": "organ: 中共济南市委: 市委办公厅"}, sheet="通报")
    assert single_error(path).startswith(f"docgen: error in source: {path}!通报!A2: not valid YAML")
    without_ledger = ledger_cell.value.replace("'{{ ledger }}'", "其余问题正在整改。")
    path = edited(tmp_path, {ledger_cell.coordinate: without_ledger}, sheet="通报")
    line = single_error(path)
    assert line.startswith(f"docgen: error in source: {path}!通报!A1: the report must hold '{{{{ ledger }}}}' exactly")


def test_deadlines_typed_as_the_office_writes_them(tmp_path: Path) -> None:
    rows = [problem_row(ident) for ident in (1, 2, 3, 4)]
    texts = ["长期坚持", "2022年年底前", "2023年6月底前", "2023年6月15日前"]
    path = edited(tmp_path, {f"F{row}": text for row, text in zip(rows, texts, strict=True)})
    problems = load_workbook_ledger(path).problems
    assert [p.deadline for p in problems[:4]] == [None, date(2022, 12, 31), date(2023, 6, 30), date(2023, 6, 15)]


# ---------------------------------------------------------------- hostile files


def encrypted(path: Path) -> Path:
    """What Excel writes for a workbook with a password: an OLE container holding EncryptedPackage."""
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
    path.write_bytes(
        header + "EncryptionInfo".encode("utf-16-le") + "EncryptedPackage".encode("utf-16-le") + bytes(4096)
    )
    return path


def bomb(path: Path) -> Path:
    """A workbook with a sheet part inflating to 65 MiB from 65 kB."""
    with zipfile.ZipFile(LEDGER_XLSX) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for entry in source.infolist():
            target.writestr(entry.filename, source.read(entry))
        with target.open("xl/worksheets/sheet9.xml", "w") as part:
            for _ in range(65):
                part.write(b" " * (1 << 20))
    return path


def saved_as_xlsm(path: Path) -> Path:
    path.write_bytes(LEDGER_XLSX.read_bytes())
    return path


def old_xls(path: Path) -> Path:
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(4096))  # an OLE container without EncryptedPackage
    return path


def with_a_dtd(path: Path) -> Path:
    with zipfile.ZipFile(LEDGER_XLSX) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for entry in source.infolist():
            data = source.read(entry)
            if entry.filename == "xl/workbook.xml":
                data = b'<!DOCTYPE w [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>' + data
            target.writestr(entry.filename, data)
    return path


@pytest.mark.parametrize(
    ("name", "make", "words"),
    [
        ("台账.xlsx", macro_enabled, "the workbook holds macros (a VBA project, as an .xlsm does)"),
        ("台账.xlsm", saved_as_xlsm, "a macro-enabled workbook (.xlsm)"),
        ("台账.xlsx", encrypted, "the workbook is encrypted (saved with a password); remove the password"),
        ("台账.xlsx", bomb, "xl/worksheets/sheet9.xml inflates to 68,157,440 bytes"),
        ("台账.xlsx", with_a_dtd, "the part xl/workbook.xml declares a DTD"),
        ("台账.xlsx", old_xls, "an old Excel 97-2003 workbook (.xls)"),
    ],
)
def test_a_hostile_or_foreign_workbook_is_refused_at_once_with_what_to_do(
    tmp_path: Path, name: str, make: object, words: str
) -> None:
    path = make(tmp_path / name)  # type: ignore[operator]
    with pytest.raises(DocgenError) as caught:
        bounded(lambda: load_workbook_ledger(path), seconds=2, megabytes=64)
    assert str(caught.value).startswith(f"{path}: ") and words in str(caught.value), str(caught.value)
    assert "save it" in str(caught.value) or "refused unread" in str(caught.value)


def test_a_workbook_over_the_source_limit_is_refused_unread() -> None:
    refused = (
        r"the workbook is \d[\d,]* bytes, more than the limit of 10,000 bytes \(0.00954 MB\); set by --max-source-mb"
    )
    with pytest.raises(DocgenError, match=refused):
        load_workbook_ledger(LEDGER_XLSX, Limits(max_source_bytes=10_000))


def test_diff_reads_a_workbook_like_its_yaml_twin() -> None:
    """`docgen diff` takes a workbook on either side, and finds what the YAML ledger gives."""
    later = str(ROOT / "data" / "ledger-2023-10.yaml")
    from_workbook = CliRunner().invoke(main, ["diff", str(LEDGER_XLSX), later, "--json"])
    from_yaml = CliRunner().invoke(main, ["diff", str(LEDGER_YAML), later, "--json"])
    assert from_workbook.exit_code == from_yaml.exit_code == 0, from_workbook.output
    workbook, yaml_twin = json.loads(from_workbook.output), json.loads(from_yaml.output)
    assert workbook["old"].pop("ledger") == str(LEDGER_XLSX) and yaml_twin["old"].pop("ledger") == str(LEDGER_YAML)
    assert workbook == yaml_twin and yaml_twin["newly_done"]
