"""A bounded child may bound a child of its own (`docgen serve` runs `docgen check` in a job's child, and the
check reads the PDF in a child again): the grandchild keeps within its parent's limits, never raises them;
and a SourceError comes back still at its place, for the page to mark its line."""

from __future__ import annotations

import resource
from pathlib import Path

import pytest

from docgen.errors import SourceError, SourceLocation
from docgen.files.bounded import Budget, call
from docgen.limits import MiB

OUTER = Budget(seconds=30, memory_bytes=512 * MiB)
INNER = Budget(seconds=60, memory_bytes=4096 * MiB)  # asks for more than its parent has


def _limits() -> dict[str, tuple[int, int]]:
    return {"cpu": resource.getrlimit(resource.RLIMIT_CPU), "memory": resource.getrlimit(resource.RLIMIT_AS)}


def _nested() -> tuple[dict[str, tuple[int, int]], dict[str, tuple[int, int]]]:
    return _limits(), call(_limits, budget=INNER, failure="inner")


def test_a_bounded_child_bounds_its_own_child_within_its_limits() -> None:
    outer, inner = call(_nested, budget=OUTER, failure="outer")
    assert outer["cpu"] == (31, 32)
    assert inner["cpu"][1] <= outer["cpu"][1] and inner["cpu"][0] <= inner["cpu"][1]
    assert outer["memory"][1] != resource.RLIM_INFINITY
    assert inner["memory"][1] <= outer["memory"][1]


def _misplaced(path: str) -> None:
    raise SourceError(SourceLocation(Path(path), 7, 9), "not a calendar date")


def test_a_source_error_crosses_back_at_its_place(tmp_path: Path) -> None:
    with pytest.raises(SourceError) as raised:
        call(_misplaced, str(tmp_path / "a.yaml"), budget=OUTER, failure="outer")
    assert raised.value.location == SourceLocation(tmp_path / "a.yaml", 7, 9)
    assert raised.value.message == "not a calendar date"
    assert str(raised.value) == f"{tmp_path / 'a.yaml'}:7:9: not a calendar date"
