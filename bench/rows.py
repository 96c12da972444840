"""The rows of the speed table (issue #17): docgen beside its peer, measured in the same run, as a ratio
with its target and whether it is met.

Machines here are shared and noisy, so the two sides of a row are timed in turns (docgen, peer,
docgen, peer ...) and compared by their medians: a load that comes and goes falls on both.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

BENCH_FOLDER = Path(__file__).resolve().parent.parent / "build" / "bench"


@dataclass(frozen=True)
class Row:
    """One line of the table: ``docgen`` and ``peer`` seconds of each turn; the ratio is docgen's over
    the peer's (``higher_is_better`` turns it round: how many times faster docgen is)."""

    what: str
    docgen: tuple[float, ...]
    peer: tuple[float, ...]
    peer_name: str
    target: float
    higher_is_better: bool = False
    unit: str = "×"
    note: str = ""

    @property
    def ratio(self) -> float:
        docgen, peer = statistics.median(self.docgen), statistics.median(self.peer)
        return peer / docgen if self.higher_is_better else docgen / peer

    @property
    def met(self) -> bool:
        return self.ratio >= self.target if self.higher_is_better else self.ratio <= self.target


def scratch(prefix: str) -> tempfile.TemporaryDirectory[str]:
    """A folder for one run's sources and outputs (both sides'), removed after it: under the repository's
    build/ folder, where a user's output goes (a project folder), not in /tmp, which on these machines
    takes 0.6 ms to create a file (0.03 ms elsewhere on the same disk): three a notice, a fifth of a
    notice's time."""
    BENCH_FOLDER.mkdir(parents=True, exist_ok=True)
    return tempfile.TemporaryDirectory(prefix=prefix, dir=BENCH_FOLDER)


def in_turns(docgen: Callable[[], object], peer: Callable[[], object], turns: int) -> tuple[list[float], list[float]]:
    """Seconds of ``turns`` runs of each, docgen's and the peer's alternating."""
    ours: list[float] = []
    theirs: list[float] = []
    for _ in range(turns):
        for action, times in ((docgen, ours), (peer, theirs)):
            start = time.perf_counter()
            action()
            times.append(time.perf_counter() - start)
    return ours, theirs


def print_rows(rows: Sequence[Row]) -> None:
    print(f"\n{'what':58} {'docgen':>8} {'peer':>8} {'ratio':>8} {'target':>9}  met")
    for row in rows:
        docgen, peer = statistics.median(row.docgen), statistics.median(row.peer)
        comparison = "≥" if row.higher_is_better else "≤"
        target = f"{comparison} {row.target:g}{row.unit}"
        print(
            f"{row.what:58} {docgen:8.2f} {peer:8.2f} {row.ratio:7.2f}{row.unit} {target:>9}  "
            f"{'met' if row.met else 'NOT MET'}"
        )
        print(f"{'':4}peer: {row.peer_name}; {len(row.docgen)} turns each, medians in seconds{row.note}")
