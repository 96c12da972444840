"""The rectification ledger: `docgen progress` and `docgen diff`.

At the sample's date the update generated from data/ledger.yaml is the sample (data/report.yaml).
At a later date the numbers of the summary, of the 台账 table's totals and of the diff are checked
against a count made here from the raw YAML, without docgen's ledger code.
"""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import docx
import pdfplumber
import pytest
import yaml
from click.testing import CliRunner, Result

from docgen.check.checker import check_file, has_required_failure
from docgen.cli import main
from docgen.ledger.diff import compare
from docgen.ledger.reader import DueClass, Status, Tally, load_ledger, open_pair, view
from docgen.ledger.update import TABLE_HEADER, Update, deadline_label, make_update, summary_sentence
from docgen.model import Item, Section
from docgen.profile import load_profile
from docgen.source.loader import load_document
from support import ROOT, SAMPLE_SOURCE

LEDGER = ROOT / "data" / "ledger.yaml"
LEDGER_2023_10 = ROOT / "data" / "ledger-2023-10.yaml"
LATER = ROOT / "data" / "ledger-2023-10.yaml"
SAMPLE_DAY = date(2023, 4, 25)
LATER_DAY = date(2023, 10, 31)
SAMPLE_SUMMARY = (
    "截至目前，按照整改方案要求2022年年底前完成的整改任务，已全部完成，"
    "其余各项均已取得阶段性成效，建立完善长效机制46项。"
)
DONE_2 = "status: {推进中: 2022-10-26, 已完成: 2022-12-30}"  # problem 2's status line in data/ledger.yaml


def update_of(path: Path, day: date | None = None, previous: str | None = None, table: bool = False) -> Update:
    current = view(load_ledger(path), day)
    return make_update(current, open_pair(previous, str(path))[0] if previous else None, table)


def run(*args: str) -> Result:
    return CliRunner().invoke(main, [str(arg) for arg in args])


# ---------------------------------------------------------------- a count made without docgen's ledger code


def raw_problems(path: Path) -> list[dict]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [problem for group in data["groups"] for problem in group["problems"]]


def raw_status(problem: dict, day: date) -> str:
    status = "未启动"
    for word, when in (problem.get("status") or {}).items():
        if when <= day:
            status = word
    return status


def raw_count(path: Path, day: date) -> dict:
    problems = raw_problems(path)
    statuses = [raw_status(problem, day) for problem in problems]
    dated = [p for p in problems if isinstance(p["deadline"], date)]
    return {
        "problems": len(problems),
        "statuses": {word: statuses.count(word) for word in ("已完成", "推进中", "长期坚持", "未启动")},
        "done_ids": {str(p["id"]) for p, s in zip(problems, statuses, strict=True) if s == "已完成"},
        "due": {
            deadline: (
                sum(p["deadline"] == deadline for p in dated),
                sum(p["deadline"] == deadline and raw_status(p, day) == "已完成" for p in dated),
            )
            for deadline in sorted({p["deadline"] for p in dated if p["deadline"] <= day})
        },
        "overdue_ids": {str(p["id"]) for p in dated if p["deadline"] < day and raw_status(p, day) != "已完成"},
        "measures": sum(m["date"] <= day for p in problems for m in p.get("measures", [])),
        "mechanisms": sum(m["date"] <= day for p in problems for m in p.get("mechanisms", [])),
    }


# ---------------------------------------------------------------- the sample's date


def test_part_two_at_the_sample_date_is_the_samples_for_every_problem() -> None:
    sample = load_document(SAMPLE_SOURCE).sections[1]
    generated = update_of(LEDGER, SAMPLE_DAY).document.sections[1]
    assert (generated.heading, generated.continuous_numbering) == (sample.heading, sample.continuous_numbering)
    assert len(generated.body) == len(sample.body) == 5
    expected = [item for group in sample.body for item in group.body if isinstance(item, Item)]
    items = [item for group in generated.body for item in group.body if isinstance(item, Item)]
    assert len(items) == len(expected) == 29
    for number, (item, wanted) in enumerate(zip(items, expected, strict=True), start=1):
        assert item == wanted, f"problem {number}"
    for group, wanted in zip(generated.body, sample.body, strict=True):
        assert isinstance(group, Section) and group == wanted
    assert generated == sample


def test_the_summary_sentence_is_the_samples() -> None:
    update = update_of(LEDGER, SAMPLE_DAY)
    assert update.summary == SAMPLE_SUMMARY
    run_in = update.document.sections[0].body[3]
    assert isinstance(run_in, Section) and run_in.text is not None and run_in.text.endswith(SAMPLE_SUMMARY)
    assert update.warnings == ()


def test_the_whole_update_at_the_sample_date_is_the_sample_document() -> None:
    assert update_of(LEDGER, SAMPLE_DAY).document == load_document(SAMPLE_SOURCE)


def test_the_later_snapshot_read_on_the_sample_date_gives_the_samples_part_two_and_summary() -> None:
    """The later ledger keeps every dated entry, so its reading on 2023-04-25 is the sample's."""
    update = update_of(LATER, SAMPLE_DAY)
    assert update.summary == SAMPLE_SUMMARY
    assert update.document.sections[1] == load_document(SAMPLE_SOURCE).sections[1]


# ---------------------------------------------------------------- a later date: every count agrees


def test_later_summary_table_and_diff_agree_with_a_count_of_the_raw_yaml(tmp_path: Path) -> None:
    raw, before = raw_count(LATER, LATER_DAY), raw_count(LEDGER, SAMPLE_DAY)
    newly_done = raw["done_ids"] - before["done_ids"]
    assert len(newly_done) == 6 and raw["mechanisms"] == 49 and raw["overdue_ids"] == {"5"}  # the data as described
    (year_end, (half_tasks, half_done)) = (raw["due"][date(2022, 12, 31)], raw["due"][date(2023, 6, 30)])
    assert year_end[0] == year_end[1]

    update = update_of(LATER, previous=str(LEDGER), table=True)
    assert update.summary == (
        "截至目前，按照整改方案要求2022年年底前完成的整改任务，已全部完成，"
        f"2023年6月底前完成的整改任务{half_tasks}项，已完成{half_done}项，{half_tasks - half_done}项尚未完成，"
        f"其余各项均已取得阶段性成效，本期新完成{len(newly_done)}项，建立完善长效机制{raw['mechanisms']}项。"
    )

    (table,) = update.document.attachments[0].body
    statuses = raw["statuses"]
    assert table.totals == (
        "合计", f"{raw['problems']}项", f"{raw['measures']}项", "", "",
        f"已完成{statuses['已完成']}项，推进中{statuses['推进中']}项，长期坚持{statuses['长期坚持']}项"
        f"（逾期{len(raw['overdue_ids'])}项）",
    )  # fmt: skip
    assert sum(row[5] == "已完成" for row in table.rows) == statuses["已完成"]
    assert sum(row[5].endswith("（逾期）") for row in table.rows) == len(raw["overdue_ids"])
    assert sum(int(row[2].removesuffix("项")) for row in table.rows) == raw["measures"]

    result = run("diff", LEDGER, LATER, "--json")
    assert result.exit_code == 0, result.output
    changes = json.loads(result.stdout)
    assert {entry["id"] for entry in changes["newly_done"]} == newly_done
    assert {entry["id"] for entry in changes["overdue"]} == raw["overdue_ids"]
    counts = changes["new"]["counts"]
    assert (counts["done"], counts["in_progress"], counts["long_term"], counts["not_started"]) == tuple(
        statuses[word] for word in ("已完成", "推进中", "长期坚持", "未启动")
    )
    assert (counts["mechanisms"], counts["measures"], counts["overdue"]) == (
        raw["mechanisms"], raw["measures"], len(raw["overdue_ids"])
    )  # fmt: skip
    assert counts["mechanisms"] - changes["old"]["counts"]["mechanisms"] == len(changes["new_mechanisms"]) == 3
    assert counts["measures"] - changes["old"]["counts"]["measures"] == len(changes["new_measures"]) == 7


def test_one_ledger_on_two_days_diffs_like_the_two_snapshots() -> None:
    two_files = compare(*open_pair(str(LEDGER), str(LATER))).as_dict()
    two_days = compare(*open_pair(SAMPLE_DAY.isoformat(), str(LATER))).as_dict()
    assert two_files.pop("old")["counts"] == two_days.pop("old")["counts"]
    assert two_files == two_days
    assert update_of(LATER, previous="2023-04-25").summary == update_of(LATER, previous=str(LEDGER)).summary


def test_the_later_update_lists_each_problems_measures_up_to_its_day() -> None:
    items = [i for g in update_of(LATER).document.sections[1].body for i in g.body if isinstance(i, Item)]
    raw = raw_problems(LATER)
    assert [len(item.measures) for item in items] == [len(p["measures"]) for p in raw]
    part_two = update_of(LATER, date(2022, 12, 31)).document.sections[1].body
    earlier = [item for group in part_two for item in group.body if isinstance(item, Item)]
    wanted = [[m for m in p["measures"] if m["date"] <= date(2022, 12, 31)] for p in raw]
    for item, measures in zip(earlier, wanted, strict=True):
        assert item.measures == (tuple(m["text"] for m in measures) or ("整改措施正在研究制定中。",))


def test_diff_as_text() -> None:
    result = run("diff", "2023-04-25", LATER)
    assert result.exit_code == 0, result.output
    text = result.stdout
    assert f"{LATER} as of 2023-04-25 → {LATER} as of 2023-10-31" in text
    assert "  已完成: 10 → 16" in text and "  长效机制: 46 → 49" in text
    assert "newly done (6):\n  4. 部分重点项目建设推进缓慢 — 已完成 2023-06-20" in text
    assert "overdue on 2023-10-31 (1):\n  5. 起步区规划建设用力不足 — due 2023-06-30, 推进中" in text
    assert "other status changes (1):\n  8. 构建防汛智慧监测体系不够主动 — 推进中 → 长期坚持 2023-09-30" in text


def tally(due: tuple[DueClass, ...], rest: dict[Status, int], mechanisms: int = 0) -> Tally:
    """A tally with only what the summary reads filled in."""
    return Tally(LATER_DAY, {}, due, {status: rest.get(status, 0) for status in Status}, 0, 0, mechanisms, {})


YEAR_END, MID_YEAR = date(2022, 12, 31), date(2023, 6, 30)


@pytest.mark.parametrize(
    ("counts", "newly_done", "sentence"),
    [
        (tally((), {Status.IN_PROGRESS: 5, Status.LONG_TERM: 2}, 3), None,
         "各项整改任务均已取得阶段性成效，建立完善长效机制3项"),
        (tally((DueClass(YEAR_END, 4, 4), DueClass(MID_YEAR, 3, 3)), {Status.LONG_TERM: 2}, 9), 3,
         "按照整改方案要求2022年年底前和2023年6月底前完成的整改任务，已全部完成，其余各项均已取得阶段性成效，"
         "本期新完成3项，建立完善长效机制9项"),
        (tally((DueClass(YEAR_END, 4, 3),), {Status.DONE: 2, Status.IN_PROGRESS: 9, Status.NOT_STARTED: 1}), 0,
         "按照整改方案要求2022年年底前完成的整改任务4项，已完成3项，1项尚未完成，"
         "其余12项中已完成2项、取得阶段性成效9项、尚未启动1项，本期新完成0项"),
        (tally((), {Status.NOT_STARTED: 2}), None, "2项整改任务中尚未启动2项"),
    ],
)  # fmt: skip
def test_the_summary_says_what_the_counts_say(counts: Tally, newly_done: int | None, sentence: str) -> None:
    assert summary_sentence(counts, newly_done) == f"截至目前，{sentence}。"


@pytest.mark.parametrize(
    ("deadline", "label"),
    [(YEAR_END, "2022年年底前"), (MID_YEAR, "2023年6月底前"), (date(2024, 2, 29), "2024年2月底前"),
     (date(2023, 9, 15), "2023年9月15日前"), (None, "长期")],
)  # fmt: skip
def test_deadline_labels(deadline: date | None, label: str) -> None:
    assert deadline_label(deadline) == label


# ---------------------------------------------------------------- the command: a source, built


def test_progress_writes_a_source_that_builds_to_the_same_files(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run("progress", LEDGER, "--as-of", "2023-04-25", "-o", out)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == SAMPLE_SUMMARY
    source = out / "ledger-progress-2023-04-25.yaml"
    assert sorted(path.name for path in out.iterdir()) == [f"{source.stem}.{ext}" for ext in ("docx", "pdf", "yaml")]
    assert load_document(source) == load_document(SAMPLE_SOURCE)
    again = run("build", source, "-o", tmp_path / "again")
    assert again.exit_code == 0, again.output
    for ext in ("docx", "pdf"):
        assert (out / f"{source.stem}.{ext}").read_bytes() == (tmp_path / "again" / f"{source.stem}.{ext}").read_bytes()


def test_the_table_reads_back_from_the_docx_and_the_pdf(tmp_path: Path) -> None:
    result = run("progress", LATER, "--previous", LEDGER, "--table", "-o", tmp_path)
    assert result.exit_code == 0, result.output
    stem = tmp_path / "ledger-2023-10-progress-2023-10-31"
    update = update_of(LATER, previous=str(LEDGER), table=True)
    assert load_document(stem.with_suffix(".yaml")) == update.document
    (table,) = update.document.attachments[0].body
    expected = [list(table.header), *map(list, table.rows), list(table.totals or ())]

    def cells(rows: list[list[str | None]]) -> list[list[str]]:
        # A cell's line breaks are where the renderer broke it; a repeated header starts each page.
        flat = [[(cell or "").replace("\n", "") for cell in row] for row in rows]
        return [row for index, row in enumerate(flat) if index == 0 or row != list(TABLE_HEADER)]

    word = docx.Document(str(stem.with_suffix(".docx")))
    assert len(word.tables) == 1
    assert cells([[cell.text for cell in row.cells] for row in word.tables[0].rows]) == expected
    assert "附件：整改台账" in [paragraph.text for paragraph in word.paragraphs]
    with pdfplumber.open(stem.with_suffix(".pdf")) as pdf:
        found = [row for page in pdf.pages for table_rows in page.extract_tables() for row in table_rows]
        assert cells(found) == expected
        assert update.summary in re.sub(r"\s", "", "".join(page.extract_text() for page in pdf.pages))


def test_the_update_with_its_table_meets_the_required_rules(tmp_path: Path) -> None:
    result = run("progress", LATER, "--table", "-o", tmp_path, "-f", "pdf")
    assert result.exit_code == 0, result.output
    findings = check_file(tmp_path / "ledger-2023-10-progress-2023-10-31.pdf", load_profile())
    assert not has_required_failure(findings), [str(finding) for finding in findings]


# ---------------------------------------------------------------- validation: located, no traceback


def ledger_with(tmp_path: Path, old: str, new: str, source: Path = LEDGER, count: int = 1) -> tuple[Path, int]:
    """A copy of ``source`` with ``old`` replaced; returns it and the 1-based line of the first replacement."""
    text = source.read_text(encoding="utf-8")
    assert old in text, old
    path = tmp_path / "ledger.yaml"
    path.write_text(text.replace(old, new, count), encoding="utf-8")
    return path, text[: text.index(old)].count("\n") + 1


def assert_refused(result: Result, where: str, words: list[str], out: Path) -> None:
    assert result.exit_code == 2, result.output
    assert isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    assert result.stderr.startswith(f"docgen: error in source: {where}"), result.stderr
    assert all(word in result.stderr for word in words), result.stderr
    assert not out.exists()


def test_a_duplicate_id_names_both_lines(tmp_path: Path) -> None:
    path, line = ledger_with(tmp_path, "  - id: 2\n", "  - id: 1\n")
    first = LEDGER.read_text(encoding="utf-8").split("\n").index("  - id: 1") + 1
    out = tmp_path / "out"
    result = run("progress", path, "-o", out)
    assert_refused(result, f"{path}:{line}:9:", ["duplicate problem id '1'", f"first given on line {first}"], out)


@pytest.mark.parametrize(
    ("status", "column"),
    [(DONE_2.replace("2022-12-30", ""), 31), (DONE_2.replace("2022-12-30", "null"), 31), ("status: 已完成", 13)],
)
def test_done_without_a_completion_date_is_refused(tmp_path: Path, status: str, column: int) -> None:
    path, line = ledger_with(tmp_path, DONE_2, status)
    out = tmp_path / "out"
    result = run("progress", path, "-o", out)
    assert_refused(result, f"{path}:{line}:{column}:", ["problem 2 is 已完成 without a completion date"], out)


def test_a_date_after_the_ledgers_as_of_is_refused(tmp_path: Path) -> None:
    path, line = ledger_with(tmp_path, "已完成: 2022-12-30}", "已完成: 2023-05-10}")
    out = tmp_path / "out"
    result = run("progress", path, "-o", out)
    assert_refused(result, f"{path}:{line}:", ["2023-05-10, after the ledger's as_of 2023-04-25"], out)


def test_an_as_of_after_the_ledgers_own_is_refused(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run("progress", LEDGER, "--as-of", "2023-05-01", "-o", out)
    line = LEDGER.read_text(encoding="utf-8").split("\n").index("as_of: 2023-04-25") + 1
    assert_refused(result, f"{LEDGER}:{line}:8:", ["kept up to 2023-04-25", "2023-05-01"], out)


def test_an_unknown_status_is_refused_with_the_words_it_takes(tmp_path: Path) -> None:
    path, line = ledger_with(tmp_path, DONE_2, "status: {进行中: 2022-10-26}")
    out = tmp_path / "out"
    result = run("progress", path, "-o", out)
    assert_refused(result, f"{path}:{line}:14:", ["unknown key '进行中'", "推进中"], out)


def test_a_completion_after_as_of_is_a_located_warning(tmp_path: Path) -> None:
    line = LEDGER.read_text(encoding="utf-8").split("\n").index(f"    {DONE_2}") + 1
    result = run("progress", LEDGER, "--as-of", "2022-12-29", "-o", tmp_path, "-f", "docx")
    assert result.exit_code == 0, result.output
    warning = f"docgen: warning: {LEDGER}:{line}:31: problem 2 is marked 已完成 on 2022-12-30, after --as-of 2022-12-29"
    assert warning in result.stderr
    assert "已完成" not in update_of(LEDGER, date(2022, 12, 29), table=True).document.attachments[0].body[0].rows[1][5]


def test_an_overdue_task_marked_on_schedule_is_a_located_warning(tmp_path: Path) -> None:
    text = LATER.read_text(encoding="utf-8").split("\n")
    line = text.index("  - id: 5") + text[text.index("  - id: 5") :].index("    status: {推进中: 2022-10-26}")
    result = run("progress", LATER, "-o", tmp_path, "-f", "docx")
    assert result.exit_code == 0, result.output
    warnings = [line for line in result.stderr.splitlines() if line.startswith("docgen: warning:")]
    assert warnings == [
        f"docgen: warning: {LATER}:{line + 1}:14: problem 5 was due by 2023-06-30 and is still 推进中 on 2023-10-31: "
        "overdue, though the ledger marks it as on schedule"
    ]


def test_diff_refuses_readings_in_the_wrong_order_and_a_date_alone() -> None:
    result = run("diff", LATER, LEDGER)
    assert result.exit_code == 2 and "give the earlier reading first" in result.stderr
    result = run("diff", "2023-04-25", "2023-10-31")
    assert result.exit_code == 2 and "give a ledger file for the other side" in result.stderr
    assert "Traceback" not in result.output


@pytest.mark.parametrize("table", [False, True])
def test_the_update_s_source_in_chinese_keys_is_the_same_document(tmp_path: Path, table: bool) -> None:
    """docgen serve puts the update in the editor with Chinese keys, like imports and starters: the same
    document as the English-keyed source `docgen progress` writes, its table attached or not."""
    from docgen.ledger.update import source_text

    current = view(load_ledger(LEDGER_2023_10))
    update = make_update(current, view(load_ledger(LEDGER)), table)
    english, chinese = tmp_path / "en.yaml", tmp_path / "zh.yaml"
    english.write_text(source_text(update, current), encoding="utf-8")
    chinese.write_text(source_text(update, current, "zh"), encoding="utf-8")
    assert "标题: " in chinese.read_text(encoding="utf-8") and "title: " not in chinese.read_text(encoding="utf-8")
    assert load_document(chinese) == load_document(english) == update.document
