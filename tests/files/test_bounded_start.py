"""bounded.start: children that work at once, each within its own budget counted from its start,
and killed when left without being asked for their result (what `docgen check` uses to read a
PDF's pages on every core)."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from docgen.errors import DocgenError
from docgen.files import bounded
from docgen.files.bounded import Budget
from docgen.limits import MiB

BUDGET = Budget(seconds=20, memory_bytes=256 * MiB)


def _sleep_then_pid(seconds: float) -> int:
    time.sleep(seconds)
    return os.getpid()


def _write_pid_and_hang(path: Path) -> None:
    path.write_text(str(os.getpid()))
    time.sleep(600)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_started_children_work_at_once() -> None:
    began = time.monotonic()
    running = [bounded.start(_sleep_then_pid, 1.0, budget=BUDGET, failure="sleeping") for _ in range(3)]
    pids = [child.result() for child in running]
    assert time.monotonic() - began < 2.5  # three seconds of sleep, side by side
    assert len(set(pids)) == 3 and os.getpid() not in pids


def test_a_child_left_unasked_is_killed(tmp_path: Path) -> None:
    pid_file = tmp_path / "pid"
    with bounded.start(_write_pid_and_hang, pid_file, budget=BUDGET, failure="hanging"):
        deadline = time.monotonic() + 10
        while not pid_file.is_file() or not pid_file.read_text():
            assert time.monotonic() < deadline, "the child never started"
            time.sleep(0.05)
    assert not _alive(int(pid_file.read_text()))


def test_the_budget_counts_from_the_start_not_from_the_asking() -> None:
    child = bounded.start(_sleep_then_pid, 30.0, budget=Budget(seconds=1, memory_bytes=256 * MiB), failure="late")
    time.sleep(1.5)
    began = time.monotonic()
    with pytest.raises(DocgenError, match="late: took more than 1 s"):
        child.result()
    assert time.monotonic() - began < 0.5
