"""What `docgen check` reports: one Finding per rule broken, with how strongly the standard words the rule.

Every check module makes its findings here and nowhere else, so a finding reads and serialises
(``--json``) the same whichever format it was measured in.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import asdict, dataclass, replace
from enum import StrEnum

from docgen.i18n import N_, _

_SHOWN_PLACES = 6  # a collapsed finding names this many places, then how many in all
# A place that many findings share, one and many: collapse() merges findings whose places differ in the number.
_PLACES = ((N_("page {number}"), N_("pages {numbers}")), (N_("paragraph {number}"), N_("paragraphs {numbers}")))


class Severity(StrEnum):
    """How GB/T 9704 words a rule; the value is what users read and ``--json`` writes."""

    REQUIRED = "required"  # 应: a file that breaks it fails the check
    NORMALLY = "normally"  # 一般: the standard's usual case, which a document may leave for a reason
    RECOMMENDED = "recommended"  # practice, or inside the standard's tolerance but off its figure

    def label(self) -> str:
        """The severity as the text report shows it (``--json`` keeps the value)."""
        return _({"required": N_("REQUIRED"), "normally": N_("NORMALLY"), "recommended": N_("RECOMMENDED")}[self])


@dataclass(frozen=True)
class Finding:
    clause: str  # of GB/T 9704-2012 ("7.3.5.4"), another standard's name, or "—" for the file itself
    severity: Severity
    rule: str
    where: str
    measured: str
    expected: str

    def __str__(self) -> str:
        where = f"{_padded(self.severity.label(), 11)} {self.clause:10} {self.where}"
        return _("{where}: {rule}: {measured} (expected {expected})").format(
            where=where, rule=self.rule, measured=self.measured, expected=self.expected
        )

    def as_dict(self) -> dict[str, str]:
        return {**asdict(self), "severity": self.severity.value}


def _padded(text: str, columns: int) -> str:
    """TEXT and spaces to fill COLUMNS on a terminal, where a Chinese character takes two."""
    width = sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)
    return text + " " * max(columns - width, 0)


def page_place(number: int) -> str:
    """Where a finding is: page NUMBER."""
    return _(_PLACES[0][0]).format(number=number)


def paragraph_place(number: int) -> str:
    """Where a finding is: paragraph NUMBER."""
    return _(_PLACES[1][0]).format(number=number)


def pages_of(where: str) -> list[int]:
    """The pages a finding's place names, in the interface's words: "page 3", "e.g. page 3", "pages 2, 5"
    (of "pages 2, 5 … (9 in all)" the ones it shows); [] for a place that is no page."""
    for template in reversed(_PLACES[0]):  # "pages {numbers}" first: in Chinese both begin "第 "
        before = _(template).partition("{")[0]
        if found := re.search(re.escape(before) + r"(\d+(?:\D{1,2}\d+)*)", where):
            return [int(number) for number in re.findall(r"\d+", found.group(1))]
    return []


def _places(where: str, numbers: str) -> str:
    """WHERE ("page 3", "e.g. page 3") naming the pages or paragraphs NUMBERS instead of one."""
    for one, many in _PLACES:
        before, _field, after = _(one).partition("{number}")
        if found := re.search(re.escape(before) + r"\d+" + re.escape(after), where):
            return where[: found.start()] + _(many).format(numbers=numbers) + where[found.end() :]
    return where


def collapse(findings: list[Finding]) -> list[Finding]:
    """One finding for a rule broken the same way in many places, naming the places."""
    groups: dict[tuple[str, ...], list[Finding]] = {}
    for finding in findings:
        place = re.sub(r"\d+", "N", finding.where)
        key = (finding.clause, finding.severity, finding.rule, place, re.sub(r"\d+", "N", finding.expected))
        groups.setdefault(key, []).append(finding)
    merged = []
    for group in groups.values():
        first = group[0]
        if len(group) == 1:
            merged.append(first)
            continue
        numbers = _(", ").join(re.findall(r"\d+", finding.where)[-1] for finding in group[:_SHOWN_PLACES])
        more = _(" … ({count} in all)").format(count=len(group)) if len(group) > _SHOWN_PLACES else ""
        where = _places(first.where, numbers + more)
        merged.append(replace(first, where=where, measured=_("e.g. {measured}").format(measured=first.measured)))
    return merged
