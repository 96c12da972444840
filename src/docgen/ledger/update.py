"""The periodic progress update (整改进展情况) from a ledger, as a docgen source and a document.

The ledger's ``report`` is the update's fixed text. Two places in it are filled: the text
``{{ summary }}`` with the sentence counted from the ledger, and the list entry ``{{ ledger }}``
with part 二's groups, each problem with the measures taken by the update's day. The filling is
done on the YAML nodes, reusing the ledger's own nodes for the texts, so the loader reads the
result like any source and its errors name the ledger's lines; the same nodes written out are
the update's source. The optional 整改台账 table is an attachment of the document.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import yaml

from docgen.errors import SourceError
from docgen.i18n import _
from docgen.ledger.diff import compare
from docgen.ledger.reader import LedgerView, LedgerWarning, Problem, Status, Tally, check, location, ordered
from docgen.model import Document, ProblemLead, Table
from docgen.source import keys
from docgen.source.loader import document_from_node
from docgen.text.numbering import official_date

SUMMARY = "{{ summary }}"
LEDGER = "{{ ledger }}"
NO_MEASURES = "整改措施正在研究制定中。"  # a problem with nothing done yet still keeps its number
TABLE_TITLE = "整改台账"
TABLE_HEADER = ("序号", "反馈问题", "整改措施", "责任单位", "完成时限", "整改状态")
_STR = "tag:yaml.org,2002:str"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_TALLY_ORDER = (Status.DONE, Status.IN_PROGRESS, Status.LONG_TERM, Status.NOT_STARTED)


@dataclass(frozen=True)
class Update:
    source: yaml.Node  # the update as a docgen source, ready to write
    document: Document
    summary: str
    warnings: tuple[LedgerWarning, ...]


def make_update(current: LedgerView, previous: LedgerView | None = None, table: bool = False) -> Update:
    """The update as of ``current.day``; with ``previous`` it says how many tasks were done since."""
    ledger = current.ledger
    if ledger.report is None:
        raise SourceError(ledger.as_of_where, _("the ledger has no 'report' (the update's fixed text), so no update"))
    newly_done = len(compare(*ordered(previous, current)).newly_done) if previous else None
    summary = summary_sentence(current.tally(), newly_done)
    source = _fill_report(current, summary)
    if table:
        source = _with_attachment(source, ledger_table(current))
    return Update(source, document_from_node(source, ledger.path), summary, tuple(check(current)))


def source_text(update: Update, current: LedgerView, key_language: str = keys.ENGLISH) -> str:
    """The update's source as YAML, saying where it came from (in the interface's language), its keys
    in ``key_language`` (keys.ENGLISH or keys.CHINESE)."""
    header = _(
        "# Written by `docgen progress {ledger} --as-of {day}`.\n"
        "# Edit the ledger and run it again rather than editing this file.\n"
    ).format(ledger=current.ledger.path, day=current.day)
    if key_language == keys.ENGLISH:
        return header + yaml.serialize(update.source, Dumper=yaml.SafeDumper, allow_unicode=True, width=10**9)
    named = keys.with_chinese_keys(yaml.safe_load(yaml.serialize(update.source, Dumper=yaml.SafeDumper)))
    return header + yaml.safe_dump(named, allow_unicode=True, sort_keys=False, width=10**9, indent=2)


# ---------------------------------------------------------------- the summary


def summary_sentence(tally: Tally, newly_done: int | None = None) -> str:
    """截至目前，… : tasks due by each deadline that has come, the rest, and the mechanisms established."""
    clauses = [*_due_clauses(tally), *_rest_clauses(tally)]
    if newly_done is not None:
        clauses.append(f"本期新完成{newly_done}项")
    if tally.mechanisms:
        clauses.append(f"建立完善长效机制{tally.mechanisms}项")
    return "截至目前，" + "，".join(clauses) + "。"


def _due_clauses(tally: Tally) -> list[str]:
    complete = [due.deadline for due in tally.due if due.done == due.total]
    clauses = [f"{_joined(complete)}完成的整改任务，已全部完成"] if complete else []
    for due in tally.due:
        if due.done < due.total:
            label = deadline_label(due.deadline)
            clauses.append(f"{label}完成的整改任务{due.total}项，已完成{due.done}项，{due.total - due.done}项尚未完成")
    if clauses:
        clauses[0] = "按照整改方案要求" + clauses[0]
    return clauses


def _joined(deadlines: list[date]) -> str:
    labels = [deadline_label(day) for day in deadlines]
    return labels[0] if len(labels) == 1 else "、".join(labels[:-1]) + "和" + labels[-1]


def _rest_clauses(tally: Tally) -> list[str]:
    """The tasks not yet due: 阶段性成效 means started (推进中 or 长期坚持)."""
    rest = tally.rest
    total = sum(rest.values())
    done, waiting = rest[Status.DONE], rest[Status.NOT_STARTED]
    started = total - done - waiting
    if not total:
        return []
    if not done and not waiting:
        return ["其余各项均已取得阶段性成效" if tally.due else "各项整改任务均已取得阶段性成效"]
    counted = (("已完成", done), ("取得阶段性成效", started), ("尚未启动", waiting))
    parts = "、".join(f"{words}{count}项" for words, count in counted if count)
    return [f"其余{total}项中{parts}" if tally.due else f"{total}项整改任务中{parts}"]


def deadline_label(deadline: date | None) -> str:
    """2022-12-31 → 2022年年底前, 2023-06-30 → 2023年6月底前, None → 长期."""
    if deadline is None:
        return "长期"
    if (deadline + timedelta(days=1)).day != 1:  # not the last day of a month
        return official_date(deadline) + "前"
    return f"{deadline.year}年年底前" if deadline.month == 12 else f"{deadline.year}年{deadline.month}月底前"


# ---------------------------------------------------------------- the 台账 table


def ledger_table(current: LedgerView) -> Table:
    """One row per problem in the update's order, and the totals (合计) from the same tally as the summary;
    no widths: the columns follow their content, each head whole."""
    rows = tuple(_row(current, number, problem) for number, problem in enumerate(current.ledger.problems, start=1))
    tally = current.tally()
    return Table(TABLE_HEADER, rows, totals=table_totals(tally))


def _row(current: LedgerView, number: int, problem: Problem) -> tuple[str, ...]:
    status = problem.status_on(current.day).value + ("（逾期）" if problem.overdue_on(current.day) else "")
    measures = f"{len(current.measures(problem))}项"
    return (str(number), problem.problem, measures, problem.unit, deadline_label(problem.deadline), status)


def table_totals(tally: Tally) -> tuple[str, ...]:
    statuses = "，".join(
        f"{status.value}{tally.statuses[status]}项" for status in _TALLY_ORDER if tally.statuses[status]
    )
    overdue = f"（逾期{tally.overdue}项）" if tally.overdue else ""
    return ("合计", f"{tally.total}项", f"{tally.measures}项", "", "", statuses + overdue)


# ---------------------------------------------------------------- filling the report's nodes


def _fill_report(current: LedgerView, summary: str) -> yaml.Node:
    report = current.ledger.report
    assert report is not None
    if not isinstance(report, yaml.MappingNode):
        raise _fail(current, report, _("'report' must be a mapping: a docgen source without 'date'"))
    found: dict[str, list[yaml.Node]] = {SUMMARY: [], LEDGER: []}
    filled = _fill(report, summary, _groups(current), found)
    for marker, nodes in found.items():
        if len(nodes) != 1:
            where = nodes[1] if nodes else report
            once = _("the report must hold '{marker}' exactly once, found it {count} times")
            raise _fail(current, where, once.format(marker=marker, count=len(nodes)))
    return _dated(current, filled)


def _fill(node: yaml.Node, summary: str, groups: list[yaml.Node], found: dict[str, list[yaml.Node]]) -> yaml.Node:
    """A copy of ``node`` with the summary written in and the groups put in place of '{{ ledger }}'."""
    if isinstance(node, yaml.MappingNode):
        pairs = [(key, _fill(value, summary, groups, found)) for key, value in node.value]
        return yaml.MappingNode(node.tag, pairs, node.start_mark, node.end_mark, node.flow_style)
    if isinstance(node, yaml.SequenceNode):
        items: list[yaml.Node] = []
        for item in node.value:
            if isinstance(item, yaml.ScalarNode) and item.value.strip() == LEDGER:
                found[LEDGER].append(item)
                items.extend(groups)
            else:
                items.append(_fill(item, summary, groups, found))
        return yaml.SequenceNode(node.tag, items, node.start_mark, node.end_mark, node.flow_style)
    if isinstance(node, yaml.ScalarNode) and SUMMARY in node.value:
        found[SUMMARY].append(node)
        text = node.value.replace(SUMMARY, summary)
        return yaml.ScalarNode(node.tag, text, node.start_mark, node.end_mark, node.style)
    return node


def _dated(current: LedgerView, report: yaml.MappingNode) -> yaml.MappingNode:
    """The report with the update's day as 'date' (after the organs) and as publication.published if missing."""
    day = current.day.isoformat()
    pairs: list[tuple[yaml.Node, yaml.Node]] = []
    for key, value in report.value:
        if key.value == "date":
            raise _fail(current, key, _("the report takes its 'date' from --as-of; remove 'date' from it"))
        pairs.append((key, _published(value, day) if key.value == "publication" else value))
        if key.value in ("organ", "organs"):
            pairs.append((_scalar("date", key), _scalar(day, key, _TIMESTAMP)))
    return yaml.MappingNode(_MAP, pairs, report.start_mark, report.end_mark)


def _published(publication: yaml.Node, day: str) -> yaml.Node:
    if not isinstance(publication, yaml.MappingNode) or any(
        key.value == "published" for key, _value in publication.value
    ):
        return publication  # the loader reports a publication that isn't a mapping
    published = (_scalar("published", publication), _scalar(day, publication, _TIMESTAMP))
    return yaml.MappingNode(_MAP, [*publication.value, published], publication.start_mark, publication.end_mark)


def _with_attachment(report: yaml.MappingNode, table: Table) -> yaml.MappingNode:
    """The report with the 台账 attachment after any it has, in the source's own words for a table."""
    entry = {"title": TABLE_TITLE, "body": [{"table": _table_source(table)}]}
    text = yaml.safe_dump([entry], allow_unicode=True, sort_keys=False, default_flow_style=None, width=10**9)
    (node,) = yaml.compose(text).value
    pairs = list(report.value)
    at = next((i for i, (key, _value) in enumerate(pairs) if key.value == "attachments"), None)
    if at is None:
        pairs.append((_scalar("attachments", report), _sequence([node], report)))
    elif isinstance(pairs[at][1], yaml.SequenceNode):
        pairs[at] = (pairs[at][0], _sequence([*pairs[at][1].value, node], pairs[at][1]))
    return yaml.MappingNode(_MAP, pairs, report.start_mark, report.end_mark)


def _table_source(table: Table) -> dict[str, object]:
    source: dict[str, object] = {"header": list(table.header)}
    if table.widths:
        source["widths"] = list(table.widths)
    source["rows"] = [list(row) for row in table.rows]
    return source | ({"totals": list(table.totals)} if table.totals else {})


def _groups(current: LedgerView) -> list[yaml.Node]:
    """Part 二's 关于“……” sections, each problem an item with the measures dated by the update's day."""
    sections = []
    for group in current.ledger.groups:
        items = [_item(current, problem) for problem in group.problems]
        assert group.node is not None
        sections.append(_mapping([("heading", group.node), ("body", _sequence(items, group.node))], group.node))
    return sections


def _item(current: LedgerView, problem: Problem) -> yaml.Node:
    assert problem.node is not None
    where = problem.node
    measures = [measure.node for measure in current.measures(problem) if measure.node is not None]
    pairs = [("problem", problem.node)]
    if problem.lead is not ProblemLead.ZHENDUI:
        pairs.append(("lead", _scalar(problem.lead.value, where)))
    pairs.append(("measures", _sequence(measures or [_scalar(NO_MEASURES, where)], where)))
    return _mapping(pairs, where)


def _scalar(text: str, where: yaml.Node, tag: str = _STR) -> yaml.ScalarNode:
    return yaml.ScalarNode(tag, text, where.start_mark, where.end_mark)


def _mapping(pairs: list[tuple[str, yaml.Node]], where: yaml.Node) -> yaml.MappingNode:
    return yaml.MappingNode(_MAP, [(_scalar(key, where), value) for key, value in pairs], where.start_mark)


def _sequence(items: list[yaml.Node], where: yaml.Node) -> yaml.SequenceNode:
    return yaml.SequenceNode(_SEQ, items, where.start_mark)


def _fail(current: LedgerView, node: yaml.Node, message: str) -> SourceError:
    return SourceError(location(current.ledger.path, node), message)
