"""Many documents at once: template + rows, failures, interruption, incremental builds, Dask."""

from __future__ import annotations

import csv
import os
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from docgen.cli import main
from support import ROOT

TEMPLATE = ROOT / "data" / "batch" / "template.yaml"
FIELDS = ["district", "year", "date", "period", "scope", "teams", "report_by", "contact", "phone"]


def write_rows(path: Path, count: int, broken: dict[int, dict[str, str]] | None = None) -> None:
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.DictWriter(stream, FIELDS)
        writer.writeheader()
        for index in range(1, count + 1):
            row = {
                "district": f"第{index}片区", "year": "2024", "date": f"2024-03-{index % 28 + 1}",
                "period": "3月20日至4月30日", "scope": "各类生产经营单位", "teams": str(index % 7 + 1),
                "report_by": "5月10日", "contact": "王明", "phone": f"0531-8600{index:04d}",
            }  # fmt: skip
            row.update((broken or {}).get(index, {}))
            writer.writerow(row)


def visible(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.iterdir() if not path.name.startswith(".")) if folder.exists() else []


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def assert_complete(folder: Path) -> None:
    """Every output opens: no truncated DOCX or PDF."""
    for path in folder.iterdir():
        if path.suffix == ".docx":
            with zipfile.ZipFile(path) as package:
                assert package.testzip() is None
        elif path.suffix == ".pdf":
            assert len(PdfReader(path).pages) >= 1


def test_200_rows_with_3_broken_ones(tmp_path: Path) -> None:
    data = tmp_path / "rows.csv"
    broken = {17: {"date": "2024-02-30"}, 101: {"date": "下个月"}, 150: {"district": "😀片区"}}
    write_rows(data, 200, broken)
    out = tmp_path / "out"
    code, output = run("batch", str(TEMPLATE), "--data", str(data), "--name", "notice-{row}", "-o", str(out), "-j", "2")
    assert code == 1
    assert "197 built, 0 skipped (unchanged), 3 failed" in output
    failures = [line for line in output.splitlines() if line.startswith("FAILED")]
    assert len(failures) == 3
    assert f"FAILED {data} row 18: " in failures[0] and "2024-02-30" in failures[0]  # CSV row 17 is line 18
    assert f"FAILED {data} row 102: " in failures[1] and "下个月" in failures[1]
    assert f"FAILED {data} row 151: " in failures[2] and "U+1F600" in failures[2]
    names = visible(out)
    assert len(names) == 2 * 197
    assert "notice-18.docx" not in names and "notice-18.pdf" not in names
    assert_complete(out)


def test_a_killed_batch_leaves_no_partial_file_and_a_rerun_finishes_the_rest(tmp_path: Path) -> None:
    data = tmp_path / "rows.csv"
    write_rows(data, 120)
    out = tmp_path / "out"
    command = [
        sys.executable,
        "-m",
        "docgen.cli",
        "batch",
        str(TEMPLATE),
        "--data",
        str(data),
        "-o",
        str(out),
        "-j",
        "2",
    ]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 120
    while len(visible(out)) < 40 and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.05)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    done_before = len(list((out / ".docgen").glob("*.stamp")))
    assert 0 < done_before < 120, "the batch was not interrupted halfway"
    assert_complete(out)
    code, output = run("batch", str(TEMPLATE), "--data", str(data), "-o", str(out), "-j", "2")
    assert code == 0, output
    assert f"{120 - done_before} built, {done_before} skipped (unchanged), 0 failed" in output
    assert len(visible(out)) == 240 and not list(out.glob(".*.tmp"))
    assert_complete(out)


def test_unchanged_documents_are_skipped_and_force_rebuilds(tmp_path: Path) -> None:
    data = tmp_path / "rows.csv"
    write_rows(data, 3)
    out = tmp_path / "out"
    args = ("batch", str(TEMPLATE), "--data", str(data), "-o", str(out), "-j", "1")
    assert "3 built, 0 skipped" in run(*args)[1]
    assert "0 built, 3 skipped" in run(*args)[1]
    write_rows(data, 3, {2: {"teams": "9"}})
    assert "1 built, 2 skipped" in run(*args)[1]
    (out / "template-2.pdf").unlink()
    assert "1 built, 2 skipped" in run(*args)[1]
    assert "3 built, 0 skipped" in run(*args, "--force")[1]


@pytest.mark.parametrize(
    ("pattern", "message"),
    [
        ("../{district}", "would leave the output folder"),
        ("/tmp/{district}", "would leave the output folder"),
        ("{year}", "is also the name of another document"),
        ("{nosuchfield}", "has no field"),
        ("a\x07{row}", "control characters"),
    ],
)
def test_unsafe_or_colliding_names_are_rejected(tmp_path: Path, pattern: str, message: str) -> None:
    data = tmp_path / "rows.csv"
    write_rows(data, 3)
    out = tmp_path / "out"
    code, output = run("batch", str(TEMPLATE), "--data", str(data), "--name", pattern, "-o", str(out))
    assert code == 2 and message in output and "Traceback" not in output
    assert not out.exists()


def test_the_template_sandbox_refuses_python_internals(tmp_path: Path) -> None:
    template = tmp_path / "evil.yaml"
    template.write_text(
        "title: \"{{ ''.__class__.__mro__[1].__subclasses__() }}\"\norgan: x\ndate: 2024-01-02\n", encoding="utf-8"
    )
    data = tmp_path / "rows.json"
    data.write_text('[{"a": "1"}]', encoding="utf-8")
    code, output = run("batch", str(template), "--data", str(data), "-o", str(tmp_path / "out"))
    assert code == 2
    assert f"{template}:1:8:" in output and "row 1" in output and "unsafe" in output


def test_many_sources_from_folders_and_globs(tmp_path: Path) -> None:
    folder = tmp_path / "sources"
    folder.mkdir()
    for name in ("a", "b", "c"):
        (folder / f"{name}.yaml").write_text(f"title: 通知{name}\norgan: 某局\ndate: 2024-01-02\n", encoding="utf-8")
    out = tmp_path / "out"
    code, output = run("build", str(folder), "-o", str(out), "-f", "docx", "-j", "2")
    assert code == 0 and "3 built" in output
    assert visible(out) == ["a.docx", "b.docx", "c.docx"]
    other = tmp_path / "other"
    other.mkdir()
    (other / "a.yaml").write_text("title: 重名\norgan: 某局\ndate: 2024-01-02\n", encoding="utf-8")
    code, output = run("build", str(folder / "*.yaml"), str(other), "-o", str(tmp_path / "out2"))
    assert code == 2 and "'a' is also the name of another document" in output


def test_a_folder_builds_its_drafts_and_a_yaml_source_builds_without_the_markdown_parser(tmp_path: Path) -> None:
    folder = tmp_path / "sources"
    folder.mkdir()
    (folder / "a.yaml").write_text("title: 通知甲\norgan: 某局\ndate: 2024-01-02\n", encoding="utf-8")
    (folder / "b.md").write_text("---\norgan: 某局\ndate: 2024-01-02\n---\n# 通知乙\n\n正文。\n", encoding="utf-8")
    code, output = run("build", str(folder), "-o", str(tmp_path / "out"), "-f", "docx")
    assert code == 0 and "2 built" in output, output
    assert visible(tmp_path / "out") == ["a.docx", "b.docx"]
    # markdown-it took 30-40 ms of a warm build's 0.7 s: a YAML source's build does not import it (the Markdown
    # reader imports it when it parses a draft).
    script = (
        "import sys\nfrom docgen.cli import main\n"
        "try:\n    main([*sys.argv[1:], '-f', 'docx,pdf', '--force'])\n"
        "except SystemExit as end:\n    assert not end.code\n"
        "print(sorted(name for name in sys.modules if name.startswith(('markdown_it', 'mdit_py_plugins'))))\n"
    )
    command = [sys.executable, "-c", script, "build", str(folder / "a.yaml"), "-o", str(tmp_path / "yaml")]
    result = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "[]"


def test_dask_cluster_gives_byte_identical_outputs(tmp_path: Path) -> None:
    distributed = pytest.importorskip("distributed")
    data = tmp_path / "rows.csv"
    write_rows(data, 4)
    local, remote = tmp_path / "local", tmp_path / "dask"
    assert run("batch", str(TEMPLATE), "--data", str(data), "-o", str(local), "-j", "2")[0] == 0
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None
    ) as cluster:
        code, output = run(
            "batch", str(TEMPLATE), "--data", str(data), "-o", str(remote), "--dask", cluster.scheduler_address
        )
    assert code == 0, output
    assert visible(local) == visible(remote) and len(visible(local)) == 8
    for name in visible(local):
        assert (local / name).read_bytes() == (remote / name).read_bytes(), name
