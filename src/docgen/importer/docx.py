"""Paragraphs of a Word file as lines of text, with Word's automatic numbering written out.

`docgen import` then classifies them as it does a plain-text notice. A table's rows are lines
of cells separated by tabs (empty cells too, so every row keeps its columns), as a table pasted as
text comes, and the importer makes them a table again where one may stand; a line break inside a
paragraph (a title broken by hand) becomes two lines.
"""

from __future__ import annotations

import re
from pathlib import Path

import docx.document
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn
from lxml import etree

from docgen.files.docx_package import paragraph_text, read_package, related_xml
from docgen.i18n import N_, _
from docgen.importer.text import Line
from docgen.text.numbering import chinese_numeral

_CHINESE_FORMATS = {"chineseCounting", "chineseCountingThousand", "chineseLegalSimplified", "ideographTraditional",
                    "japaneseCounting", "taiwaneseCounting", "taiwaneseCountingThousand"}  # fmt: skip


_LEVELS = 9  # Word's list levels, ilvl 0–8
_MAX_START = 32767  # the largest start value Word accepts


class _Numbering:
    """Word's list numbering: the label each numbered paragraph shows.

    A definition with a value Word would not accept (an ilvl of "x" or 99, a start of −5, a
    w:num without its w:abstractNumId) numbers nothing; the paragraphs keep their text.
    """

    def __init__(self, document: docx.document.Document) -> None:
        self.levels: dict[tuple[str, int], tuple[str, str, int]] = {}  # (numId, ilvl) → format, text, start
        self.counters: dict[str, list[int]] = {}
        root = related_xml(document.part, RT.NUMBERING)
        if root is None:
            return
        abstract = {a.get(qn("w:abstractNumId")): a for a in root.iter(qn("w:abstractNum"))}
        for num in root.iter(qn("w:num")):
            definition = abstract.get(_value(num, "w:abstractNumId", None))
            for level in definition.iter(qn("w:lvl")) if definition is not None else ():
                index, start = _level(level.get(qn("w:ilvl"))), _whole(_value(level, "w:start", "1"), 0, _MAX_START)
                if index is not None and start is not None:
                    self.levels[(num.get(qn("w:numId")), index)] = (
                        _value(level, "w:numFmt", "decimal"), _value(level, "w:lvlText", ""), start
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
        level = _level(_value(num_pr, "w:ilvl", "0"))
        if level is None or (num_id, level) not in self.levels:
            return ""
        counters = self.counters.setdefault(num_id, [0] * _LEVELS)
        counters[level] += 1
        counters[level + 1 :] = [0] * (_LEVELS - 1 - level)
        text = self.levels[(num_id, level)][1]
        for index in range(level + 1):
            number_format, _text, start = self.levels.get((num_id, index), ("decimal", "", 1))
            value = counters[index] + start - 1 if index == level else max(counters[index], 1) + start - 1
            chinese = number_format in _CHINESE_FORMATS and 0 < value < 10_000  # as far as Chinese numerals go here
            text = text.replace(f"%{index + 1}", chinese_numeral(value) if chinese else str(value))
        return text


def _value(element: etree._Element, tag: str, default: str | None) -> str | None:
    found = element.find(qn(tag))
    return found.get(qn("w:val"), default) if found is not None else default


def _whole(value: str | None, lowest: int, highest: int) -> int | None:
    """``value`` as a whole number from ``lowest`` to ``highest``; None for anything else."""
    if value is None or not re.fullmatch(r"-?\d{1,9}", value.strip()):
        return None
    number = int(value)
    return number if lowest <= number <= highest else None


def _level(value: str | None) -> int | None:
    return _whole(value, 0, _LEVELS - 1)


# 发文机关标志 (7.2.4): red, and larger than any text of the body (it is set at 22 pt and more).
_MARK_HALF_POINTS = 44


def _looked(paragraph: etree._Element, text: str, label_length: int) -> str:
    """``text`` as a Line when the paragraph's direct formatting says more than its words: set all
    in large red type (the mark), or opening with a heading in a face or weight of its own."""
    runs = [(run_text, _run_looks(run)) for run in _own_runs(paragraph) if (run_text := _run_text(run))]
    if not runs:
        return text
    mark = all(looks[0] and looks[1] >= _MARK_HALF_POINTS for _, looks in runs)
    lead = 0
    while lead < len(runs) and runs[lead][1][2:] == runs[0][1][2:]:
        lead += 1
    heading_end = label_length + sum(len(run_text) for run_text, _ in runs[:lead]) if lead < len(runs) else None
    return Line(text, mark, heading_end) if mark or heading_end else text


def _own_runs(paragraph: etree._Element) -> list[etree._Element]:
    """The paragraph's runs, not those of a text box anchored in it (the 文件 beside a stacked mark)."""
    return [run for run in paragraph.iter(qn("w:r")) if next(run.iterancestors(qn("w:txbxContent")), None) is None]


def _run_text(run: etree._Element) -> str:
    return "".join(node.text or "" for node in run.findall(qn("w:t")))


def _run_looks(run: etree._Element) -> tuple[bool, int, bool, str]:
    """Red or not, size in half-points, bold or not, East Asian face: what a run's own rPr says."""
    properties = run.find(qn("w:rPr"))
    if properties is None:
        return False, 0, False, ""
    color = _value(properties, "w:color", "") or ""
    size = _whole(_value(properties, "w:sz", "0"), 0, 10_000) or 0
    bold = properties.find(qn("w:b")) is not None and _value(properties, "w:b", "1") not in ("0", "false")
    fonts = properties.find(qn("w:rFonts"))
    face = fonts.get(qn("w:eastAsia"), "") if fonts is not None else ""
    return _is_red(color), size, bold, face


def _is_red(color: str) -> bool:
    """A red as marks are printed (FF0000, E60012, C00000): much red, little green or blue."""
    if not re.fullmatch(r"[0-9A-Fa-f]{6}", color):
        return False
    red, green, blue = (int(color[index : index + 2], 16) for index in (0, 2, 4))
    return red >= 0xB0 and green <= 0x50 and blue <= 0x50


def docx_lines(path: Path) -> tuple[list[str], list[str]]:
    """The text lines of ``path`` in reading order, and notes on what was done to get them."""
    word_file = N_("Word file (.docx)")
    document = read_package(path, word_file).document(word_file)
    numbering = _Numbering(document)
    style_root = related_xml(document.part, RT.STYLES)
    styles = {s.get(qn("w:styleId")): s for s in style_root.iter(qn("w:style"))} if style_root is not None else {}
    lines: list[str] = []
    notes: list[str] = []
    for element in document.element.body:
        if element.tag == qn("w:p"):
            text = paragraph_text(element)
            if text.strip():
                label = numbering.label(element, styles)
                first, *rest = (label + text).split("\n")
                lines.extend([_looked(element, first, len(label)), *rest])
        elif element.tag == qn("w:tbl"):
            rows = [["".join(paragraph_text(p) for p in cell.iter(qn("w:p"))) for cell in row.iter(qn("w:tc"))]
                    for row in element.iter(qn("w:tr"))]  # fmt: skip
            lines.extend("\t".join(row) for row in rows if any(row))
            notes.append(_("a table of {rows} rows, read as rows of cells").format(rows=len(rows)))
    return lines, notes
