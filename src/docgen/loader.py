"""Reads a YAML source into the document model, checking everything a user can get wrong.

Only YAML's safe node graph is used (``yaml.compose`` with the safe loader): no Python
tags, no object construction. Every error names the file, line and column.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TypeVar

import yaml

from docgen.errors import SourceError, SourceLocation
from docgen.model import (
    Block,
    ContactEntry,
    Document,
    Item,
    Paragraph,
    ProblemLead,
    Publication,
    Section,
    Signature,
)

MAX_SOURCE_BYTES = 20 * 1024 * 1024
MAX_HEADING_LEVEL = 4
MAX_NESTING = 64  # lists and mappings inside each other
T = TypeVar("T")

# A heading typed with its number ("一、", "（二）", "3.", "（4）") or a measure typed with "一是":
# numbering is computed, so these would print twice.
_LINE_BREAK = re.compile(r"[ \t]*\n\s*")
_PLAIN_TAGS = frozenset(
    f"tag:yaml.org,2002:{name}" for name in ("str", "int", "float", "bool", "null", "timestamp", "map", "seq")
)
_TYPED_LABEL = re.compile(r"^\s*(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[)）]|\d+[.．、](?!\d))")
_TYPED_ENUMERATION = re.compile(r"^\s*[一二三四五六七八九十]+是")
_CHINESE_DATE = re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")


class _Reader:
    """Walks the composed YAML nodes of one file; knows the path for error messages."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.seen: set[int] = set()

    def fail(self, node: yaml.Node | yaml.Mark, message: str) -> SourceError:
        mark = node if isinstance(node, yaml.Mark) else node.start_mark
        return SourceError(SourceLocation(self.path, mark.line + 1, mark.column + 1), message)

    def mapping(self, node: yaml.Node, what: str, allowed: tuple[str, ...]) -> dict[str, tuple[yaml.Node, yaml.Node]]:
        """The keys of a mapping node, checked against ``allowed``; values keep their nodes."""
        self._visit(node)
        if not isinstance(node, yaml.MappingNode):
            raise self.fail(node, f"{what} must be a mapping of keys to values, got {_kind(node)}")
        result: dict[str, tuple[yaml.Node, yaml.Node]] = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            if not isinstance(key, str):
                raise self.fail(key_node, f"keys of {what} must be plain names")
            if key not in allowed:
                raise self.fail(key_node, _unknown_key_message(key, what, allowed))
            if key in result:
                first = result[key][0].start_mark.line + 1
                raise self.fail(key_node, f"duplicate key '{key}' in {what} (first given on line {first})")
            result[key] = (key_node, value_node)
        return result

    def sequence(self, node: yaml.Node, what: str) -> list[yaml.Node]:
        self._visit(node)
        if not isinstance(node, yaml.SequenceNode):
            raise self.fail(node, f"{what} must be a list (lines starting with '- '), got {_kind(node)}")
        return list(node.value)

    def text(self, node: yaml.Node, what: str) -> str:
        """A non-empty piece of text; numbers written plainly are taken as text."""
        self._visit(node)
        if not isinstance(node, yaml.ScalarNode) or node.tag.endswith(":null"):
            raise self.fail(node, f"{what} must be text, got {_kind(node)}")
        if node.tag.endswith(":bool"):
            raise self.fail(node, f"{what} must be text, got the truth value '{node.value}'")
        value = _join_lines(node.value.strip())
        if not value:
            raise self.fail(node, f"{what} must not be empty")
        bad = next((char for char in value if _unprintable(char)), None)
        if bad:
            raise self.fail(node, f"{what} contains the control character U+{ord(bad):04X}, which no document can show")
        return value

    def texts(self, node: yaml.Node, what: str) -> tuple[str, ...]:
        """One text or a list of texts."""
        if isinstance(node, yaml.SequenceNode):
            items = self.sequence(node, what)
            if not items:
                raise self.fail(node, f"{what} must not be an empty list")
            return tuple(self.text(item, f"each entry of {what}") for item in items)
        return (self.text(node, what),)

    def flag(self, node: yaml.Node, what: str) -> bool:
        self._visit(node)
        if not (isinstance(node, yaml.ScalarNode) and node.tag.endswith(":bool")):
            quoted = isinstance(node, yaml.ScalarNode) and node.style in ("'", '"')
            hint = " (write it without quotes)" if quoted and node.value.lower() in ("true", "false") else ""
            raise self.fail(node, f"{what} must be true or false, got {_kind(node)}{hint}")
        return node.value.lower() in ("true", "yes", "on")

    def date(self, node: yaml.Node, what: str) -> date:
        value = self.text(node, what)
        match = _ISO_DATE.match(value) or _CHINESE_DATE.match(value)
        if not match:
            raise self.fail(node, f"{what} must be a date such as 2023-04-25 or 2023年4月25日, got '{value}'")
        year, month, day = (int(part) for part in match.groups())
        try:
            return date(year, month, day)
        except ValueError as error:
            raise self.fail(node, f"{what} '{value}' is not a calendar date ({error})") from None

    def _visit(self, node: yaml.Node) -> None:
        # The composer hands an alias back as the very node it names; refusing a second
        # visit keeps alias bombs (billion laughs) from expanding.
        if id(node) in self.seen:
            raise self.fail(node, "YAML anchors and aliases (&name / *name) are not supported in sources")
        self.seen.add(id(node))
        if node.tag not in _PLAIN_TAGS:
            raise self.fail(node, f"YAML tags such as '{node.tag}' are not allowed in sources (plain text only)")


def _join_lines(text: str) -> str:
    """A line break inside a text value (a block scalar) joins the lines: with nothing between
    Chinese characters, with one space between Latin words."""
    return _LINE_BREAK.sub(
        lambda m: "" if _is_wide(m.string[m.start() - 1]) or _is_wide(m.string[m.end()]) else " ", text
    )


def _is_wide(char: str) -> bool:
    return unicodedata.east_asian_width(char) in ("W", "F")


def _unprintable(char: str) -> bool:
    return unicodedata.category(char) in ("Cc", "Cs", "Co") or char in "\ufffe\uffff"


def _kind(node: yaml.Node) -> str:
    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    if node.tag.endswith(":null"):
        return "nothing"
    return f"'{node.value}'"


def _unknown_key_message(key: str, what: str, allowed: tuple[str, ...]) -> str:
    close = difflib.get_close_matches(key, allowed, n=1)
    hint = f"; did you mean '{close[0]}'?" if close else ""
    return f"unknown key '{key}' in {what}{hint} (expected one of: {', '.join(allowed)})"


_DOCUMENT_KEYS = (
    "title", "organ", "organs", "date", "addressees", "preamble", "sections",
    "closing", "contact", "publication",
)  # fmt: skip
_SECTION_KEYS = ("heading", "text", "body", "continuous_numbering")
_ITEM_KEYS = ("problem", "lead", "measures")
_PUBLICATION_KEYS = ("published", "source", "editor")


def load_document(path: Path) -> Document:
    """Read and validate ``path``; raises :class:`SourceError` naming file, line and column."""
    return document_from_node(compose_source(path), path)


def document_from_node(root: yaml.Node, path: Path) -> Document:
    """The document a composed YAML node graph describes; errors name ``path`` and the node's line."""
    reader = _Reader(path)
    keys = reader.mapping(root, "the document", _DOCUMENT_KEYS)
    for required in ("title", "date"):
        if required not in keys:
            raise reader.fail(root, f"the document has no '{required}' (required)")
    if ("organ" in keys) == ("organs" in keys):
        raise reader.fail(root, "give exactly one of 'organ' (one issuing organ) or 'organs' (a list)")
    title_lines = reader.texts(keys["title"][1], "'title'")
    organ_key = "organ" if "organ" in keys else "organs"
    return Document(
        title="".join(title_lines),
        title_lines=title_lines if len(title_lines) > 1 else (),
        signature=Signature(
            organs=reader.texts(keys[organ_key][1], f"'{organ_key}'"),
            date=reader.date(keys["date"][1], "'date'"),
        ),
        addressees=_optional(keys, "addressees", lambda n: reader.texts(n, "'addressees'"), ()),
        preamble=_optional(keys, "preamble", lambda n: _paragraphs(reader, n, "'preamble'"), ()),
        sections=_optional(keys, "sections", lambda n: _sections(reader, n, 1), ()),
        closing=_optional(keys, "closing", lambda n: _paragraphs(reader, n, "'closing'"), ()),
        contact=_optional(keys, "contact", lambda n: _contact(reader, n), ()),
        publication=_optional(keys, "publication", lambda n: _publication(reader, n), Publication()),
    )


def compose_source(path: Path) -> yaml.Node:
    """The YAML node graph of ``path`` (safe: nothing is constructed), with its size and encoding checked."""
    origin = SourceLocation(path, 1, 1)
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise SourceError(origin, f"cannot read the source: {error.strerror}") from None
    if len(raw) > MAX_SOURCE_BYTES:
        raise SourceError(origin, f"the source is {len(raw):,} bytes; sources are limited to {MAX_SOURCE_BYTES:,}")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise SourceError(SourceLocation(path, line, 1), "the source is not UTF-8 text (save it as UTF-8)") from None
    try:
        _check_depth(text, path)
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        where = SourceLocation(path, mark.line + 1, mark.column + 1) if mark else origin
        raise SourceError(where, f"not valid YAML: {error.problem or error.context}") from None
    except yaml.YAMLError as error:
        raise SourceError(origin, f"not valid YAML: {error}") from None
    if root is None:
        raise SourceError(origin, "the source is empty (expected a mapping with 'title', 'organ', 'date', …)")
    return root


def _check_depth(text: str, path: Path) -> None:
    """Refuse nesting deeper than any document needs before composing (the composer recurses)."""
    depth = 0
    for event in yaml.parse(text, Loader=yaml.SafeLoader):
        if isinstance(event, yaml.AliasEvent):
            mark = event.start_mark
            where = SourceLocation(path, mark.line + 1, mark.column + 1)
            raise SourceError(where, "YAML anchors and aliases (&name / *name) are not supported in sources")
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_NESTING:
                mark = event.start_mark
                where = SourceLocation(path, mark.line + 1, mark.column + 1)
                raise SourceError(where, f"nested more than {MAX_NESTING} levels deep; no document needs that")
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1


def _optional(keys: dict[str, tuple[yaml.Node, yaml.Node]], key: str, read: Callable[[yaml.Node], T], default: T) -> T:
    return read(keys[key][1]) if key in keys else default


def _paragraphs(reader: _Reader, node: yaml.Node, what: str) -> tuple[Paragraph, ...]:
    return tuple(Paragraph(text) for text in reader.texts(node, what))


def _sections(reader: _Reader, node: yaml.Node, level: int) -> tuple[Section, ...]:
    return tuple(_section(reader, item, level) for item in reader.sequence(node, "'sections'"))


def _section(reader: _Reader, node: yaml.Node, level: int) -> Section:
    if level > MAX_HEADING_LEVEL:
        raise reader.fail(node, f"headings go four levels deep (一、 （一） 1. （1）); this would be level {level}")
    keys = reader.mapping(node, f"a level-{level} section", _SECTION_KEYS)
    if "heading" not in keys:
        raise reader.fail(node, f"a level-{level} section needs a 'heading'")
    heading_node = keys["heading"][1]
    heading = reader.text(heading_node, "'heading'")
    if _TYPED_LABEL.match(heading):
        raise reader.fail(
            heading_node, f"'heading' starts with a typed number ('{heading[:5]}…'); numbers are computed, remove it"
        )
    return Section(
        heading=heading,
        text=_optional(keys, "text", lambda n: reader.text(n, "'text'"), None),
        body=_optional(keys, "body", lambda n: _blocks(reader, n, level + 1), ()),
        continuous_numbering=_optional(
            keys, "continuous_numbering", lambda n: reader.flag(n, "'continuous_numbering'"), False
        ),
    )


def _blocks(reader: _Reader, node: yaml.Node, level: int) -> tuple[Block, ...]:
    blocks: list[Block] = []
    for child in reader.sequence(node, "'body'"):
        if isinstance(child, yaml.MappingNode) and any(k.value == "problem" for k, _ in child.value):
            blocks.append(_item(reader, child, level))
        elif isinstance(child, yaml.MappingNode):
            blocks.append(_section(reader, child, level))
        else:
            blocks.append(Paragraph(reader.text(child, "a paragraph")))
    return tuple(blocks)


def _item(reader: _Reader, node: yaml.Node, level: int) -> Item:
    if level > MAX_HEADING_LEVEL:
        raise reader.fail(node, f"items are numbered as level {level}, but numbering has four levels")
    keys = reader.mapping(node, "an item", _ITEM_KEYS)
    if "measures" not in keys:
        raise reader.fail(node, "an item needs 'measures' (a list of the measures taken)")
    measures = reader.texts(keys["measures"][1], "'measures'")
    for measure_node, measure in zip(_nodes_of(keys["measures"][1]), measures, strict=True):
        if _TYPED_ENUMERATION.match(measure):
            raise reader.fail(
                measure_node, f"measure starts with a typed '{measure[:2]}'; 一是/二是 are computed, remove it"
            )
    lead = _optional(keys, "lead", lambda n: _lead(reader, n), ProblemLead.ZHENDUI)
    return Item(problem=reader.text(keys["problem"][1], "'problem'"), measures=measures, lead=lead)


def _nodes_of(node: yaml.Node) -> list[yaml.Node]:
    return list(node.value) if isinstance(node, yaml.SequenceNode) else [node]


def _lead(reader: _Reader, node: yaml.Node) -> ProblemLead:
    value = reader.text(node, "'lead'")
    try:
        return ProblemLead(value)
    except ValueError:
        raise reader.fail(node, f"'lead' must be 针对 or 关于, got '{value}'") from None


def _contact(reader: _Reader, node: yaml.Node) -> tuple[ContactEntry, ...]:
    entries = []
    for entry in reader.sequence(node, "'contact'"):
        reader._visit(entry)
        if not isinstance(entry, yaml.MappingNode) or len(entry.value) != 1:
            raise reader.fail(entry, "each contact entry must be one 'label: value' pair, e.g. 邮政编码: 250099")
        key_node, value_node = entry.value[0]
        entries.append(
            ContactEntry(reader.text(key_node, "a contact label"), reader.text(value_node, "a contact value"))
        )
    return tuple(entries)


def _publication(reader: _Reader, node: yaml.Node) -> Publication:
    keys = reader.mapping(node, "'publication'", _PUBLICATION_KEYS)
    return Publication(
        published=_optional(keys, "published", lambda n: reader.date(n, "'published'"), None),
        source=_optional(keys, "source", lambda n: reader.text(n, "'source'"), None),
        editor=_optional(keys, "editor", lambda n: reader.text(n, "'editor'"), None),
    )
