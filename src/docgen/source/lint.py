"""`docgen lint`: a source checked against GB/T 15834 (punctuation), GB/T 15835 (numbers)
and GB/T 9704 habits, each finding on its source line; `--fix` mends the mechanical ones in
place, touching nothing else (comments and key order stay).

A Markdown draft is linted as the text it is: its node graph (:mod:`docgen.source.markdown`) is
marked at the draft's own characters, so findings name the draft's lines and a fix mends the
draft, where a value is written in it as it reads (not inside **emphasis** or a link).
"""

from __future__ import annotations

import bisect
import codecs
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import yaml

from docgen.errors import SourceLocation
from docgen.files.atomic import write_atomically
from docgen.i18n import _
from docgen.source.loader import compose_source
from docgen.source.markdown import compose_markdown, is_markdown
from docgen.text.cjk import FULL_WIDTH, HALF_WIDTH_MARK, HALF_WIDTH_PARENS, HALF_WIDTH_PERIOD
from docgen.text.rules import date_problems

_ENUMERATION = re.compile(r"([一二三四五六七八九十]+)是")
_STR = "tag:yaml.org,2002:str"
# A run-in heading is a sentence of its own: it ends with one of these, or with ）” ’ closing one
# (…。”). The half-width ones count too: they are reported as half-width, and fixed to full width.
_SENTENCE_ENDS = frozenset("。！？；：….!?;:")
_CLOSING_BRACKETS = "）”’"


@dataclass(frozen=True)
class LintFinding:
    location: SourceLocation
    clause: str
    message: str
    fix: tuple[int, int, str] | None = None  # (start, end, replacement) in the source text

    def __str__(self) -> str:
        mark = _("fixable") if self.fix else _("by hand")
        line = _("{location}: {clause}: {message} ({mark})")
        return line.format(location=self.location, clause=self.clause, message=self.message, mark=mark)


def lint_source(path: Path, root: yaml.Node | None = None) -> list[LintFinding]:
    """Findings in source order; ``root`` is the source's composed YAML (or draft's graph) when the caller has it."""
    if root is None:
        root = compose_markdown(path)[0] if is_markdown(path) else compose_source(path)
    text = _source_text(path)
    where = _Locator(path, text)
    findings: list[LintFinding] = []
    for node in _nodes(root):
        if isinstance(node, yaml.ScalarNode) and node.tag == _STR:
            start, end = _span(node)
            findings.extend(_scalar_findings(where, text[start:end], start, node.value))
        elif isinstance(node, yaml.MappingNode):
            findings.extend(_run_in_findings(where, text, node))
    return sorted(findings, key=lambda finding: (finding.location.line, finding.location.column))


def _source_text(path: Path) -> str:
    """The text as the YAML parser indexes it: without a byte-order mark, line endings as they are."""
    return path.read_bytes().decode("utf-8-sig")


def _nodes(node: yaml.Node, seen: set[int] | None = None) -> Iterator[yaml.Node]:
    """``node`` and every value under it (not the keys: they are no text), each once."""
    seen = set() if seen is None else seen
    if id(node) in seen:
        return
    seen.add(id(node))
    yield node
    if isinstance(node, yaml.MappingNode):
        for _, value in node.value:
            yield from _nodes(value, seen)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            yield from _nodes(item, seen)


def _span(node: yaml.ScalarNode) -> tuple[int, int]:
    """Where the scalar's text is in the source, inside its quotes if it has them."""
    start, end = node.start_mark.index, node.end_mark.index
    return (start + 1, end - 1) if node.style in ('"', "'") else (start, end)


class _Locator:
    """Line and column of an index into the text, found by bisection (a finding costs no scan)."""

    def __init__(self, path: Path, text: str) -> None:
        self.path = path
        self.line_starts = [0, *(match.end() for match in re.finditer("\n", text))]

    def __call__(self, index: int) -> SourceLocation:
        line = bisect.bisect_right(self.line_starts, index)
        return SourceLocation(self.path, line, index - self.line_starts[line - 1] + 1)


def _scalar_findings(where: _Locator, raw: str, offset: int, value: str) -> Iterator[LintFinding]:
    # Fixes are offered only where the source spells the value as it is (no escapes, no folding).
    fixable = raw == value
    for match in HALF_WIDTH_MARK.finditer(raw):
        at = offset + match.start()
        fix = (at, at + 1, FULL_WIDTH[match.group()]) if fixable else None
        yield LintFinding(
            where(at), "GB/T 15834", _("half-width '{match}' in Chinese text").format(match=match.group()), fix
        )
    for match in HALF_WIDTH_PARENS.finditer(raw):
        for at, mark in ((offset + match.start(), "（"), (offset + match.end() - 1, "）")):
            fix = (at, at + 1, mark) if fixable else None  # one character each: fixes never overlap
            yield LintFinding(where(at), "GB/T 15834", _("half-width ( ) around Chinese text"), fix)
    for problem in date_problems(raw):
        at = offset + problem.start
        fix = (at, offset + problem.end, problem.fix) if fixable and problem.fix else None
        yield LintFinding(where(at), problem.clause, f"'{problem.found}': {problem.expected}", fix)
    for match in HALF_WIDTH_PERIOD.finditer(raw):
        at = offset + match.start()
        fix = (at, at + 1, "。") if fixable else None
        yield LintFinding(where(at), "GB/T 15834", _("half-width '.' ending a Chinese sentence"), fix)
    numbers = [match.group(1) for match in _ENUMERATION.finditer(value)]
    if "一" in numbers and "二" not in numbers:
        at = offset + max(raw.find("一是"), 0)
        yield LintFinding(where(at), "GB/T 9704 7.3.3", _("一是 without 二是: an enumeration needs two"))


def _run_in_findings(where: _Locator, text: str, mapping: yaml.MappingNode) -> Iterator[LintFinding]:
    """A section with both 'heading' and 'text' sets them in one paragraph: unless the heading ends
    its sentence, heading and text read as one (一、总体要求坚持…)."""
    values = {key.value: value for key, value in mapping.value if isinstance(key, yaml.ScalarNode)}
    heading = values.get("heading")
    if "text" not in values or not isinstance(heading, yaml.ScalarNode) or heading.tag != _STR:
        return
    sentence = heading.value.rstrip().rstrip(_CLOSING_BRACKETS)
    if not heading.value.strip() or sentence[-1:] in _SENTENCE_ENDS:
        return
    start, end = _span(heading)
    fix = (end, end, "。") if text[start:end] == heading.value else None
    shown = heading.value if len(heading.value) <= 20 else heading.value[:19] + "…"
    message = _("run-in heading '{heading}' ends without 。 (or ！？；：…): it would run into its text").format(
        heading=shown
    )
    yield LintFinding(where(start), "GB/T 9704 7.3.3", message, fix)


def apply_fixes(path: Path, findings: list[LintFinding]) -> int:
    """Rewrite ``path`` with every fixable finding mended; returns how many were.

    A link is followed and its target rewritten; the file keeps its mode, its line endings and
    its byte-order mark, so nothing but the fixes changes."""
    fixes = sorted({finding.fix for finding in findings if finding.fix})
    if not fixes:
        return 0
    target = path.resolve()
    raw = target.read_bytes()
    text = raw.decode("utf-8-sig")
    pieces, done = [], 0
    for start, end, replacement in fixes:  # in order, never overlapping: one pass, not a copy per fix
        pieces += [text[done:start], replacement]
        done = end
    pieces.append(text[done:])
    bom = codecs.BOM_UTF8 if raw.startswith(codecs.BOM_UTF8) else b""
    write_atomically(target, bom + "".join(pieces).encode("utf-8"), mode=target.stat().st_mode & 0o7777)
    return len(fixes)
