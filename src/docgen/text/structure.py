"""How a 公文's text shows its structure, for the readers that find it in text: items that name a
problem (针对“……”的问题：), measures counted 一是……二是……, the end of a run-in heading."""

from __future__ import annotations

import re

from docgen.text.numbering import enumeration_label

ITEM = re.compile(r"^(针对|关于)“(.+?)”的问题：(.*)$")
RUN_IN_END = re.compile(r"[。！？]")


def split_measures(text: str) -> list[str]:
    """一是……二是……三是…… split into measures; text without 一是 is one measure."""
    if not text.startswith("一是"):
        return [text]
    measures, position, number = [], 2, 2
    while True:
        label = enumeration_label(number)
        found = text.find(label, position)
        while found != -1 and text[found - 1] not in "。；":
            found = text.find(label, found + 1)
        if found == -1:
            measures.append(text[position:])
            return measures
        measures.append(text[position:found])
        position, number = found + len(label), number + 1
