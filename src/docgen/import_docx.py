"""Paragraphs of a Word file as lines of text, with Word's automatic numbering written out.

`docgen import` then classifies them as it does a plain-text notice. Table cells are kept
as lines of their own (docgen has no tables yet), never dropped; a line break inside a
paragraph (a title broken by hand) becomes two lines.
"""

from __future__ import annotations

from pathlib import Path

import docx
from docx.oxml.ns import qn
from lxml import etree

from docgen.errors import DocgenError
from docgen.numbering import chinese_numeral

_CHINESE_FORMATS = {"chineseCounting", "chineseCountingThousand", "chineseLegalSimplified", "ideographTraditional",
                    "japaneseCounting", "taiwaneseCounting", "taiwaneseCountingThousand"}  # fmt: skip


class _Numbering:
    """Word's list numbering: the label each numbered paragraph shows."""

    def __init__(self, document: docx.document.Document) -> None:
        self.levels: dict[tuple[str, int], tuple[str, str, int]] = {}  # (numId, ilvl) → format, text, start
        self.counters: dict[str, list[int]] = {}
        try:
            root = document.part.numbering_part.element
        except (KeyError, NotImplementedError):
            return
        abstract = {a.get(qn("w:abstractNumId")): a for a in root.iter(qn("w:abstractNum"))}
        for num in root.iter(qn("w:num")):
            definition = abstract.get(num.find(qn("w:abstractNumId")).get(qn("w:val")))
            for level in definition.iter(qn("w:lvl")) if definition is not None else ():
                self.levels[(num.get(qn("w:numId")), int(level.get(qn("w:ilvl"))))] = (
                    _value(level, "w:numFmt", "decimal"), _value(level, "w:lvlText", ""),
                    int(_value(level, "w:start", "1")),
                )  # fmt: skip

    def label(self, paragraph: etree._Element, styles: dict[str, etree._Element]) -> str:
        num_pr = paragraph.find(f"{qn('w:pPr')}/{qn('w:numPr')}")
        if num_pr is None:
            style = paragraph.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
            definition = styles.get(style.get(qn("w:val"))) if style is not None else None
            num_pr = definition.find(f"{qn('w:pPr')}/{qn('w:numPr')}") if definition is not None else None
        if num_pr is None or num_pr.find(qn("w:numId")) is None:
            return ""
        num_id = num_pr.find(qn("w:numId")).get(qn("w:val"))
        level_element = num_pr.find(qn("w:ilvl"))
        level = int(level_element.get(qn("w:val"))) if level_element is not None else 0
        if (num_id, level) not in self.levels:
            return ""
        counters = self.counters.setdefault(num_id, [0] * 9)
        counters[level] += 1
        counters[level + 1 :] = [0] * (8 - level)
        text = self.levels[(num_id, level)][1]
        for index in range(level + 1):
            number_format, _, start = self.levels.get((num_id, index), ("decimal", "", 1))
            value = counters[index] + start - 1 if index == level else max(counters[index], 1) + start - 1
            spelled = chinese_numeral(value) if number_format in _CHINESE_FORMATS else str(value)
            text = text.replace(f"%{index + 1}", spelled)
        return text


def _value(element: etree._Element, tag: str, default: str) -> str:
    found = element.find(qn(tag))
    return found.get(qn("w:val"), default) if found is not None else default


def docx_lines(path: Path) -> tuple[list[str], list[str]]:
    """The text lines of ``path`` in reading order, and notes on what was done to get them."""
    try:
        document = docx.Document(str(path))
    except Exception as error:  # python-docx raises many kinds on a foreign or damaged file
        raise DocgenError(f"{path}: not a readable Word file (.docx): {error}") from None
    numbering = _Numbering(document)
    styles = {s.get(qn("w:styleId")): s for s in document.styles.element.iter(qn("w:style"))}
    lines, notes = [], []
    for element in document.element.body:
        if element.tag == qn("w:p"):
            text = _paragraph_text(element)
            if text.strip():
                lines.extend((numbering.label(element, styles) + text).split("\n"))
        elif element.tag == qn("w:tbl"):
            rows = [["".join(_paragraph_text(p) for p in cell.iter(qn("w:p"))) for cell in row.iter(qn("w:tc"))]
                    for row in element.iter(qn("w:tr"))]  # fmt: skip
            lines.extend("　".join(cell for cell in row if cell) for row in rows)
            notes.append(f"a table of {len(rows)} rows was kept as plain lines: docgen has no tables yet")
    return lines, notes


def _paragraph_text(paragraph: etree._Element) -> str:
    parts = []
    for node in paragraph.iter(qn("w:t"), qn("w:br"), qn("w:tab")):
        if node.tag == qn("w:t"):
            parts.append(node.text or "")
        elif node.tag == qn("w:br") and node.get(qn("w:type")) in (None, "textWrapping"):
            parts.append("\n")
        elif node.tag == qn("w:tab"):
            parts.append("\t")
    return "".join(parts)
