"""What changed between two readings of a ledger: two snapshots, or one ledger on two days.

Problems are matched by id, measures by their text and mechanisms by their name within a
problem. The counts come from :meth:`LedgerView.tally`, as the update's summary and table do,
so the three always agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from docgen.i18n import _
from docgen.ledger.reader import LedgerView, Measure, Mechanism, Problem, Status, Tally

_CODES = {
    Status.NOT_STARTED: "not_started",
    Status.IN_PROGRESS: "in_progress",
    Status.DONE: "done",
    Status.LONG_TERM: "long_term",
}


@dataclass(frozen=True)
class Move:
    """A problem whose status differs between the two readings."""

    problem: Problem  # as the newer reading has it
    before: Status
    after: Status
    on: date | None  # the day of the change that took it there, if the newer ledger records one


@dataclass(frozen=True)
class LedgerDiff:
    old: LedgerView
    new: LedgerView
    moves: tuple[Move, ...]
    overdue: tuple[Problem, ...]  # in the newer reading
    new_measures: tuple[tuple[Problem, Measure], ...]
    withdrawn_measures: tuple[tuple[Problem, Measure], ...]  # in the older reading, gone or reworded since
    new_mechanisms: tuple[tuple[Problem, Mechanism], ...]
    added: tuple[Problem, ...]
    removed: tuple[Problem, ...]

    @property
    def newly_done(self) -> tuple[Move, ...]:
        return tuple(move for move in self.moves if move.after is Status.DONE)

    def as_dict(self) -> dict[str, object]:
        return {
            "old": _side(self.old),
            "new": _side(self.new),
            "newly_done": [_problem(move.problem) | {"done_on": _day(move.on)} for move in self.newly_done],
            "status_changes": [_move(move) for move in self.moves],
            "overdue": [_overdue(problem, self.new) for problem in self.overdue],
            "new_measures": [_measure(problem, measure) for problem, measure in self.new_measures],
            "withdrawn_measures": [_measure(problem, measure) for problem, measure in self.withdrawn_measures],
            "new_mechanisms": [_mechanism(problem, mechanism) for problem, mechanism in self.new_mechanisms],
            "added_problems": [_problem(problem) for problem in self.added],
            "removed_problems": [_problem(problem) for problem in self.removed],
        }

    def lines(self) -> list[str]:
        """The diff as text a person reads: counts, then each change."""
        day = self.new.day
        others = [move for move in self.moves if move.after is not Status.DONE]
        sections = (
            (_("newly done"), [f"{_named(m.problem)} — 已完成 {_day(m.on)}" for m in self.newly_done]),
            (
                _("other status changes"),
                [f"{_named(m.problem)} — {m.before.value} → {m.after.value} {_day(m.on)}" for m in others],
            ),
            (_("overdue on {day}").format(day=day), [_overdue_line(p, day) for p in self.overdue]),
            (_("new measures"), [f"{p.id}. {m.date} {_short(m.text)}" for p, m in self.new_measures]),
            (
                _("withdrawn or reworded measures"),
                [f"{p.id}. {m.date} {_short(m.text)}" for p, m in self.withdrawn_measures],
            ),
            (_("new mechanisms"), [f"{p.id}. {m.date} {m.name}" for p, m in self.new_mechanisms]),
            (_("problems added"), [_named(p) for p in self.added]),
            (_("problems removed"), [_named(p) for p in self.removed]),
        )
        lines = [f"{_reading(self.old)} → {_reading(self.new)}", *_count_lines(self.old.tally(), self.new.tally())]
        for title, entries in sections:
            heading = _("{title} ({count}):").format(title=title, count=len(entries))
            lines += [heading, *(f"  {entry}" for entry in entries)] if entries else []
        return lines


def _reading(view: LedgerView) -> str:
    return _("{ledger} as of {day}").format(ledger=view.ledger.path, day=view.day)


def _overdue_line(problem: Problem, day: date) -> str:
    return _("{problem} — due {deadline}, {status}").format(
        problem=_named(problem), deadline=problem.deadline, status=problem.status_on(day).value
    )


def compare(old: LedgerView, new: LedgerView) -> LedgerDiff:
    before = {problem.id: problem for problem in old.ledger.problems}
    after = {problem.id: problem for problem in new.ledger.problems}
    matched = [(before.get(ident), problem) for ident, problem in after.items()]
    return LedgerDiff(
        old=old,
        new=new,
        moves=tuple(move for pair in matched if (move := _move_of(old, new, *pair))),
        overdue=tuple(problem for problem in new.ledger.problems if problem.overdue_on(new.day)),
        new_measures=_gained(new, old, after, before, "measures"),
        withdrawn_measures=_gained(old, new, before, after, "measures"),
        new_mechanisms=_gained(new, old, after, before, "mechanisms"),
        added=tuple(problem for ident, problem in after.items() if ident not in before),
        removed=tuple(problem for ident, problem in before.items() if ident not in after),
    )


def _move_of(old: LedgerView, new: LedgerView, earlier: Problem | None, problem: Problem) -> Move | None:
    was = earlier.status_on(old.day) if earlier else Status.NOT_STARTED
    now = problem.status_on(new.day)
    if was is now:
        return None
    change = problem.change_on(new.day)
    return Move(problem, was, now, change.date if change else None)


def _gained(
    this: LedgerView, that: LedgerView, these: dict[str, Problem], those: dict[str, Problem], what: str
) -> tuple[tuple[Problem, object], ...]:
    """The measures (or mechanisms) ``this`` reading has and ``that`` one lacks, problem by problem."""
    gained = []
    for ident, problem in these.items():
        other = those.get(ident)
        known = {_key(entry) for entry in getattr(that, what)(other)} if other else set()
        gained += [(problem, entry) for entry in getattr(this, what)(problem) if _key(entry) not in known]
    return tuple(gained)


def _key(entry: Measure | Mechanism) -> str:
    return entry.text if isinstance(entry, Measure) else entry.name


# ---------------------------------------------------------------- presenting


def _day(day: date | None) -> str | None:
    return day.isoformat() if day else None


def _short(text: str, length: int = 40) -> str:
    return text if len(text) <= length else text[:length] + "…"


def _problem(problem: Problem) -> dict[str, object]:
    return {"id": problem.id, "problem": problem.problem, "unit": problem.unit, "leader": problem.leader}


def _move(move: Move) -> dict[str, object]:
    return _problem(move.problem) | {"from": _CODES[move.before], "to": _CODES[move.after], "on": _day(move.on)}


def _overdue(problem: Problem, view: LedgerView) -> dict[str, object]:
    return _problem(problem) | {"deadline": _day(problem.deadline), "status": _CODES[problem.status_on(view.day)]}


def _measure(problem: Problem, measure: Measure) -> dict[str, object]:
    return _problem(problem) | {"date": measure.date.isoformat(), "text": measure.text}


def _mechanism(problem: Problem, mechanism: Mechanism) -> dict[str, object]:
    return _problem(problem) | {"date": mechanism.date.isoformat(), "name": mechanism.name}


def _named(problem: Problem) -> str:
    return f"{problem.id}. {problem.problem}"


def _side(view: LedgerView) -> dict[str, object]:
    return {"ledger": str(view.ledger.path), "as_of": view.day.isoformat(), "counts": counts(view.tally())}


def counts(tally: Tally) -> dict[str, object]:
    """The tally as plain data: what the summary and the table's totals say, for machines."""
    return {
        "problems": tally.total,
        **{_CODES[status]: count for status, count in tally.statuses.items()},
        "overdue": tally.overdue,
        "due": [{"deadline": due.deadline.isoformat(), "tasks": due.total, "done": due.done} for due in tally.due],
        "measures": tally.measures,
        "mechanisms": tally.mechanisms,
        "quantities": tally.quantities,
    }


def _count_lines(old: Tally, new: Tally) -> list[str]:
    rows = [(status.value, old.statuses[status], new.statuses[status]) for status in _CODES]
    rows += [("逾期", old.overdue, new.overdue), ("整改措施", old.measures, new.measures)]
    rows += [("长效机制", old.mechanisms, new.mechanisms)]
    rows += [(name, old.quantities.get(name, 0), new.quantities.get(name, 0)) for name in _quantity_names(old, new)]
    return [f"  {name}: {_number(before)} → {_number(after)}" for name, before, after in rows]


def _quantity_names(old: Tally, new: Tally) -> list[str]:
    """The quantities whose totals changed, in the order the ledgers give them."""
    names = dict.fromkeys([*old.quantities, *new.quantities])
    return [name for name in names if old.quantities.get(name) != new.quantities.get(name)]


def _number(value: float) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)
