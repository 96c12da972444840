"""The rectification ledger (整改台账): problems, deadlines, dated statuses, measures, mechanisms.

A ledger is a YAML file the office keeps current (see ``data/ledger.yaml``). Every status
change, measure and mechanism carries its date, so one ledger can be read as of any day up
to its own ``as_of``: :class:`LedgerView` is that reading, and :class:`Tally` its counts,
which the update's summary, its 台账 table and ``docgen diff`` all take from one place.

Read like a source (:mod:`docgen.source.loader`): ``yaml.compose`` with the safe loader, and every
error a :class:`SourceError` naming the ledger's file, line and column.
"""

from __future__ import annotations

import glob
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from enum import Enum
from pathlib import Path
from typing import TypeVar

import yaml

from docgen.errors import DocgenError, SourceError, SourceLocation
from docgen.i18n import _
from docgen.model import ProblemLead
from docgen.source.loader import TYPED_ENUMERATION, SourceReader, compose_source, read_lead


class Status(Enum):
    NOT_STARTED = "未启动"
    IN_PROGRESS = "推进中"
    DONE = "已完成"
    LONG_TERM = "长期坚持"  # the immediate work is done; the task is kept up for good


# The words a ledger may use for each status: the Chinese the table prints, or English.
STATUS_WORDS = {
    **{status.value: status for status in Status},
    "not started": Status.NOT_STARTED,
    "in progress": Status.IN_PROGRESS,
    "done": Status.DONE,
    "long-term": Status.LONG_TERM,
}
LONG_TERM_WORDS = ("长期", "long-term")  # a deadline class with no date
T = TypeVar("T")
_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")

_LEDGER_KEYS = ("as_of", "groups", "report")
_GROUP_KEYS = ("heading", "problems")
_PROBLEM_KEYS = ("id", "problem", "lead", "leader", "unit", "deadline", "status", "measures", "mechanisms")
_MEASURE_KEYS = ("date", "text", "quantities")
_MECHANISM_KEYS = ("date", "name")


@dataclass(frozen=True)
class StatusChange:
    status: Status
    date: date
    where: SourceLocation


@dataclass(frozen=True)
class Measure:
    text: str
    date: date
    where: SourceLocation
    quantities: tuple[tuple[str, float], ...] = ()  # (label, number): counts a later ledger may update
    node: yaml.Node | None = field(default=None, compare=False, repr=False)  # reused in the update's source


@dataclass(frozen=True)
class Mechanism:
    """A long-term mechanism (长效机制) established: a rule, system or procedure, and when."""

    name: str
    date: date
    where: SourceLocation


@dataclass(frozen=True)
class Problem:
    id: str
    problem: str
    lead: ProblemLead
    leader: str
    unit: str
    deadline: date | None  # None: long-term (长期)
    changes: tuple[StatusChange, ...]  # oldest first
    measures: tuple[Measure, ...]
    mechanisms: tuple[Mechanism, ...]
    where: SourceLocation
    node: yaml.Node | None = field(default=None, compare=False, repr=False)  # the problem text's node

    def change_on(self, day: date) -> StatusChange | None:
        """The status change in force on ``day`` (the latest on or before it)."""
        return next((change for change in reversed(self.changes) if change.date <= day), None)

    def status_on(self, day: date) -> Status:
        change = self.change_on(day)
        return change.status if change else Status.NOT_STARTED

    def overdue_on(self, day: date) -> bool:
        return self.deadline is not None and self.deadline < day and self.status_on(day) is not Status.DONE


@dataclass(frozen=True)
class Group:
    """A 关于“……” heading of part 二 and the problems under it."""

    heading: str
    problems: tuple[Problem, ...]
    node: yaml.Node | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class Ledger:
    path: Path
    as_of: date  # the day the ledger was last brought up to date
    as_of_where: SourceLocation
    groups: tuple[Group, ...]
    report: yaml.Node | None = field(default=None, compare=False, repr=False)  # the update's fixed text

    @property
    def problems(self) -> tuple[Problem, ...]:
        return tuple(problem for group in self.groups for problem in group.problems)


@dataclass(frozen=True)
class LedgerWarning:
    """Something the office should look at; the update is still written."""

    where: SourceLocation
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


# ---------------------------------------------------------------- reading

_DECIMAL = re.compile(r"[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?")
_LARGEST_QUANTITY = 1e12  # sums of any number of them stay finite


def load_ledger(path: Path) -> Ledger:
    """Read and validate the ledger at ``path``; raises :class:`SourceError` naming file, line and column."""
    root = compose_source(path)
    reader = SourceReader(path)
    keys = reader.mapping(root, _("the ledger"), _LEDGER_KEYS)
    for required in ("as_of", "groups"):
        if required not in keys:
            raise reader.fail(root, _("the ledger has no '{key}' (required)").format(key=required))
    as_of_node = keys["as_of"][1]
    as_of = reader.date(as_of_node, "'as_of'")
    groups = read_groups(reader, reader.sequence(keys["groups"][1], "'groups'"), as_of)
    report = keys["report"][1] if "report" in keys else None
    return Ledger(path, as_of, _where(reader, as_of_node), groups, report)


def location(path: Path, node: yaml.Node) -> SourceLocation:
    return SourceLocation(path, node.start_mark.line + 1, node.start_mark.column + 1)


def _where(reader: SourceReader, node: yaml.Node) -> SourceLocation:
    return location(reader.path, node)


def read_groups(
    reader: SourceReader,
    nodes: Iterable[yaml.Node],
    as_of: date,
    placed: Callable[[Group], Group] = lambda group: group,
) -> tuple[Group, ...]:
    """The ledger's groups from their nodes (a YAML ledger's, or those a workbook's rows make), each passed
    through ``placed`` (a workbook's puts its places in cells), then their problems' ids checked unique."""
    groups = tuple(placed(_group(reader, node, as_of)) for node in nodes)
    _check_unique_ids([problem for group in groups for problem in group.problems])
    return groups


def _group(reader: SourceReader, node: yaml.Node, as_of: date) -> Group:
    keys = reader.mapping(node, _("a group"), _GROUP_KEYS)
    for required in _GROUP_KEYS:
        if required not in keys:
            raise reader.fail(node, _("a group needs a '{key}'").format(key=required))
    heading_node = keys["heading"][1]
    problems = reader.sequence(keys["problems"][1], "'problems'")
    return Group(
        heading=reader.text(heading_node, "'heading'"),
        problems=tuple(_problem(reader, problem, as_of) for problem in problems),
        node=heading_node,
    )


def _problem(reader: SourceReader, node: yaml.Node, as_of: date) -> Problem:
    keys = reader.mapping(node, _("a problem"), _PROBLEM_KEYS)
    for required in ("id", "problem", "leader", "unit", "deadline"):
        if required not in keys:
            raise reader.fail(node, _("a problem needs '{key}'").format(key=required))
    ident = reader.text(keys["id"][1], "'id'")
    label = _("problem {id}").format(id=ident)
    changes = _changes(reader, keys["status"][1], label, as_of) if "status" in keys else ()
    measures = _listed(reader, keys, "measures", lambda item: _measure(reader, item, label, as_of))
    mechanisms = _listed(reader, keys, "mechanisms", lambda item: _mechanism(reader, item, label, as_of))
    return Problem(
        id=ident,
        problem=reader.text(keys["problem"][1], "'problem'"),
        lead=read_lead(reader, keys["lead"][1]) if "lead" in keys else ProblemLead.ZHENDUI,
        leader=reader.text(keys["leader"][1], "'leader'"),
        unit=reader.text(keys["unit"][1], "'unit'"),
        deadline=_deadline(reader, keys["deadline"][1]),
        changes=changes,
        measures=measures,
        mechanisms=mechanisms,
        where=_where(reader, keys["id"][1]),
        node=keys["problem"][1],
    )


def _listed(
    reader: SourceReader, keys: dict[str, tuple[yaml.Node, yaml.Node]], key: str, read: Callable[[yaml.Node], T]
) -> tuple[T, ...]:
    return tuple(read(item) for item in reader.sequence(keys[key][1], f"'{key}'")) if key in keys else ()


def _deadline(reader: SourceReader, node: yaml.Node) -> date | None:
    if isinstance(node, yaml.ScalarNode) and node.value.strip() in LONG_TERM_WORDS:
        return None
    try:
        return reader.date(node, "'deadline'")
    except SourceError as error:
        raise reader.fail(node, _("{message}, or 长期 (long-term)").format(message=error.message)) from None


def _dated(reader: SourceReader, node: yaml.Node, what: str, as_of: date) -> date:
    """A date no later than the ledger's own ``as_of``: a later one is a typo or a ledger not brought forward."""
    day = reader.date(node, what)
    if day > as_of:
        raise reader.fail(
            node,
            _("{what} is {day}, after the ledger's as_of {as_of}; fix the date or bring as_of forward").format(
                what=what, day=day, as_of=as_of
            ),
        )
    return day


def _changes(reader: SourceReader, node: yaml.Node, label: str, as_of: date) -> tuple[StatusChange, ...]:
    """``status``: a mapping of status to the day it changed, oldest first (or just 未启动)."""
    if isinstance(node, yaml.ScalarNode):
        status = _status(reader, node, label)
        if status is Status.NOT_STARTED:
            return ()
        raise reader.fail(node, _undated(label, status))
    changes: list[StatusChange] = []
    for key_node, value_node in reader.mapping(node, _status_of(label), tuple(STATUS_WORDS)).values():
        status = STATUS_WORDS[key_node.value]
        if isinstance(value_node, yaml.ScalarNode) and value_node.tag.endswith(":null"):
            raise reader.fail(key_node, _undated(label, status))
        became = _("the date {label} became {status}").format(label=label, status=status.value)
        day = _dated(reader, value_node, became, as_of)
        if changes and day < changes[-1].date:
            raise reader.fail(
                value_node,
                _("{label}: status dates must run oldest first ({day} after {previous})").format(
                    label=label, day=day, previous=changes[-1].date
                ),
            )
        changes.append(StatusChange(status, day, _where(reader, key_node)))
    return tuple(changes)


def _status(reader: SourceReader, node: yaml.Node, label: str) -> Status:
    word = reader.text(node, _status_of(label))
    if word not in STATUS_WORDS:
        unknown = _("{label}: unknown status '{word}' (expected one of: {words})")
        raise reader.fail(node, unknown.format(label=label, word=word, words=", ".join(STATUS_WORDS)))
    return STATUS_WORDS[word]


def _status_of(label: str) -> str:
    return _("the status of {label}").format(label=label)


def _undated(label: str, status: Status) -> str:
    if status is Status.DONE:
        return _(
            "{label} is 已完成 without a completion date; write it as {{已完成: 2022-12-20}} with the real day"
        ).format(label=label)
    return _("{label} is {status} without the date it changed; write it as {{{status}: 2022-10-26}}").format(
        label=label, status=status.value
    )


def _measure(reader: SourceReader, node: yaml.Node, label: str, as_of: date) -> Measure:
    measure_of = _("a measure of {label}").format(label=label)
    keys = reader.mapping(node, measure_of, _MEASURE_KEYS)
    for required in ("date", "text"):
        if required not in keys:
            raise reader.fail(node, _("a measure of {label} needs a '{key}'").format(label=label, key=required))
    text_node = keys["text"][1]
    text = reader.text(text_node, _("a measure's 'text'"))
    if TYPED_ENUMERATION.match(text):
        typed = _("measure starts with a typed '{typed}'; 一是/二是 are computed, remove it")
        raise reader.fail(text_node, typed.format(typed=text[:2]))
    return Measure(
        text=text,
        date=_dated(reader, keys["date"][1], measure_of, as_of),
        where=_where(reader, node),
        quantities=_quantities(reader, keys["quantities"][1], label) if "quantities" in keys else (),
        node=text_node,
    )


def _quantities(reader: SourceReader, node: yaml.Node, label: str) -> tuple[tuple[str, float], ...]:
    if not isinstance(node, yaml.MappingNode):
        raise reader.fail(
            node,
            _("{label}: 'quantities' must map what is counted to a number, e.g. 培训干部（人）: 300").format(
                label=label
            ),
        )
    result: dict[str, float] = {}
    for key_node, value_node in node.value:
        name = reader.text(key_node, _("a quantity's name"))
        if name in result:
            raise reader.fail(key_node, _("{label}: quantity '{name}' is given twice").format(label=label, name=name))
        result[name] = _quantity(reader, value_node, _("{label}: quantity '{name}'").format(label=label, name=name))
    return tuple(result.items())


def _quantity(reader: SourceReader, node: yaml.Node, what: str) -> float:
    """A count or amount written in decimal (300, 12.5, 1_000): YAML also reads 0x1F, 0b101, 1:30
    (sexagesimal), .inf and .nan as numbers, which no ledger means."""
    expected = _("a number in decimal digits such as 300 or 12.5")
    if not (isinstance(node, yaml.ScalarNode) and node.tag.endswith((":int", ":float"))):
        raise reader.fail(node, _("{what} must be {expected}").format(what=what, expected=expected))
    written = node.value.replace("_", "")
    if not _DECIMAL.fullmatch(written) or not abs(float(written)) <= _LARGEST_QUANTITY:
        too_large = _("{what} must be {expected} (at most {largest:.0e}), got '{value}'")
        raise reader.fail(
            node, too_large.format(what=what, expected=expected, largest=_LARGEST_QUANTITY, value=node.value[:40])
        )
    return float(written)


def _mechanism(reader: SourceReader, node: yaml.Node, label: str, as_of: date) -> Mechanism:
    mechanism_of = _("a mechanism of {label}").format(label=label)
    keys = reader.mapping(node, mechanism_of, _MECHANISM_KEYS)
    for required in _MECHANISM_KEYS:
        if required not in keys:
            raise reader.fail(node, _("a mechanism of {label} needs a '{key}'").format(label=label, key=required))
    return Mechanism(
        name=reader.text(keys["name"][1], _("a mechanism's 'name'")),
        date=_dated(reader, keys["date"][1], mechanism_of, as_of),
        where=_where(reader, node),
    )


def _check_unique_ids(problems: list[Problem]) -> None:
    first: dict[str, Problem] = {}
    for problem in problems:
        if problem.id in first:
            message = _("duplicate problem id '{id}' (first given on line {line})").format(
                id=problem.id, line=first[problem.id].where.line
            )
            raise SourceError(problem.where, message)
        first[problem.id] = problem


# ---------------------------------------------------------------- reading as of a day


@dataclass(frozen=True)
class DueClass:
    """The tasks of one dated deadline that has come: how many, and how many are done."""

    deadline: date
    total: int
    done: int


@dataclass(frozen=True)
class Tally:
    """The counts of a ledger on one day: the update's summary, its table and diff all read these."""

    day: date
    statuses: dict[Status, int]  # every status, even at 0
    due: tuple[DueClass, ...]  # deadlines on or before the day, earliest first
    rest: dict[Status, int]  # the tasks not yet due (later deadlines and long-term), by status
    overdue: int  # past a dated deadline and not done
    measures: int
    mechanisms: int
    quantities: dict[str, float]

    @property
    def total(self) -> int:
        return sum(self.statuses.values())


@dataclass(frozen=True)
class LedgerView:
    """A ledger as it stood on ``day``: later status changes, measures and mechanisms are not yet there."""

    ledger: Ledger
    day: date

    def __str__(self) -> str:
        return _("{ledger} as of {day}").format(ledger=self.ledger.path, day=self.day)

    def measures(self, problem: Problem) -> tuple[Measure, ...]:
        return tuple(measure for measure in problem.measures if measure.date <= self.day)

    def mechanisms(self, problem: Problem) -> tuple[Mechanism, ...]:
        return tuple(mechanism for mechanism in problem.mechanisms if mechanism.date <= self.day)

    def tally(self) -> Tally:
        problems = self.ledger.problems
        due_days = sorted({p.deadline for p in problems if p.deadline is not None and p.deadline <= self.day})
        quantities: Counter[str] = Counter()
        for problem in problems:
            for measure in self.measures(problem):
                quantities.update(dict(measure.quantities))
        return Tally(
            day=self.day,
            statuses=_by_status(problems, self.day),
            due=tuple(_due_class(problems, deadline, self.day) for deadline in due_days),
            rest=_by_status([p for p in problems if p.deadline is None or p.deadline > self.day], self.day),
            overdue=sum(problem.overdue_on(self.day) for problem in problems),
            measures=sum(len(self.measures(problem)) for problem in problems),
            mechanisms=sum(len(self.mechanisms(problem)) for problem in problems),
            quantities=dict(quantities),
        )


def _by_status(problems: list[Problem] | tuple[Problem, ...], day: date) -> dict[Status, int]:
    counts = Counter(problem.status_on(day) for problem in problems)
    return {status: counts[status] for status in Status}


def _due_class(problems: tuple[Problem, ...], deadline: date, day: date) -> DueClass:
    tasks = [problem for problem in problems if problem.deadline == deadline]
    return DueClass(deadline, len(tasks), sum(problem.status_on(day) is Status.DONE for problem in tasks))


def view(ledger: Ledger, day: date | None = None) -> LedgerView:
    """The ledger on ``day`` (default: its own as_of); a later day is refused, the ledger can't know it."""
    day = day or ledger.as_of
    if day > ledger.as_of:
        raise SourceError(
            ledger.as_of_where,
            _(
                "the ledger is kept up to {as_of} ('as_of'); it cannot tell the state on {day}. "
                "Bring it forward: add the statuses, measures and mechanisms dated after {as_of} "
                "and set 'as_of' to {day} or later{advice}"
            ).format(as_of=ledger.as_of, day=day, advice=_later_ledgers_advice(ledger, day)),
        )
    return LedgerView(ledger, day)


def _later_ledgers_advice(ledger: Ledger, day: date) -> str:
    """Ledgers beside this one, named after it (ledger-2023-10.yaml beside ledger.yaml), that reach ``day``."""
    later = []
    for path in sorted(ledger.path.parent.glob(f"{glob.escape(ledger.path.stem)}-*.y*ml")):
        try:
            as_of = load_ledger(path).as_of
        except DocgenError:  # a broken neighbour is no advice; this ledger's own error stands
            continue
        if as_of >= day:
            later.append(_("{path} (kept up to {as_of})").format(path=path, as_of=as_of))
    return _("; or use a ledger that reaches that day: {ledgers}").format(ledgers=", ".join(later)) if later else ""


def open_view(spec: str, other: Ledger | None = None, load: Callable[[Path], Ledger] = load_ledger) -> LedgerView:
    """``FILE`` (the ledger on its own as_of, read by ``load``) or ``DATE`` (``other`` on that day), as
    --previous and diff take them."""
    if not _is_day(spec):
        return view(load(Path(spec)))
    if other is None:
        raise DocgenError(_("'{spec}' is a date; give a ledger file for the other side").format(spec=spec))
    try:
        day = date.fromisoformat(spec)
    except ValueError as error:
        raise DocgenError(_("'{spec}' is not a calendar date ({error})").format(spec=spec, error=error)) from None
    return view(other, day)


def open_pair(old: str, new: str, load: Callable[[Path], Ledger] = load_ledger) -> tuple[LedgerView, LedgerView]:
    """The two readings ``docgen diff OLD NEW`` compares: two files (read by ``load``), or a file and a
    day of it (either side)."""
    if _is_day(new):
        before = open_view(old, load=load)
        return ordered(before, open_view(new, before.ledger, load))
    after = open_view(new, load=load)
    return ordered(open_view(old, after.ledger, load), after)


def ordered(earlier: LedgerView, later: LedgerView) -> tuple[LedgerView, LedgerView]:
    """The two readings, once ``earlier`` is known not to come after ``later``."""
    if earlier.day > later.day:
        raise DocgenError(
            _("{earlier} comes after {later}: give the earlier reading first").format(earlier=earlier, later=later)
        )
    return earlier, later


def _is_day(spec: str) -> bool:
    return bool(_ISO_DAY.match(spec)) and not Path(spec).exists()


def check(current: LedgerView) -> list[LedgerWarning]:
    """What the office should look at before the update goes out: completions the update leaves out, and
    tasks past their deadline that the ledger still marks as on schedule."""
    found: list[LedgerWarning] = []
    day = current.day
    for problem in current.ledger.problems:
        status = problem.status_on(day)
        later = next((c for c in problem.changes if c.status is Status.DONE and c.date > day), None)
        if later and status is not Status.DONE:
            message = _("problem {id} is marked 已完成 on {done}, after --as-of {day}; counted as {status}").format(
                id=problem.id, done=later.date, day=day, status=status.value
            )
            found.append(LedgerWarning(later.where, message))
        if problem.overdue_on(day):
            change = problem.change_on(day)
            message = _(
                "problem {id} was due by {deadline} and is still {status} on {day}: "
                "overdue, though the ledger marks it as on schedule"
            ).format(id=problem.id, deadline=problem.deadline, status=status.value, day=day)
            found.append(LedgerWarning(change.where if change else problem.where, message))
    return found
