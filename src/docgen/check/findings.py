"""What `docgen check` reports: one Finding per rule broken, with how strongly the standard words the rule.

Every check module makes its findings here and nowhere else, so a finding reads and serialises
(``--json``) the same whichever format it was measured in.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, replace
from enum import StrEnum

_SHOWN_PLACES = 6  # a collapsed finding names this many places, then how many in all


class Severity(StrEnum):
    """How GB/T 9704 words a rule; the value is what users read and ``--json`` writes."""

    REQUIRED = "required"  # 应: a file that breaks it fails the check
    NORMALLY = "normally"  # 一般: the standard's usual case, which a document may leave for a reason
    RECOMMENDED = "recommended"  # practice, or inside the standard's tolerance but off its figure


@dataclass(frozen=True)
class Finding:
    clause: str  # of GB/T 9704-2012 ("7.3.5.4"), another standard's name, or "—" for the file itself
    severity: Severity
    rule: str
    where: str
    measured: str
    expected: str

    def __str__(self) -> str:
        where = f"{self.severity.upper():11} {self.clause:10} {self.where}"
        return f"{where}: {self.rule}: {self.measured} (expected {self.expected})"

    def as_dict(self) -> dict[str, str]:
        return {**asdict(self), "severity": self.severity.value}


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
        numbers = ", ".join(re.findall(r"\d+", finding.where)[-1] for finding in group[:_SHOWN_PLACES])
        more = f" … ({len(group)} in all)" if len(group) > _SHOWN_PLACES else ""
        where = re.sub(r"(page|paragraph) \d+", rf"\1s {numbers}{more}", first.where, count=1)
        merged.append(replace(first, where=where, measured=f"e.g. {first.measured}"))
    return merged
