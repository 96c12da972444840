"""Reads a YAML source into the document model, checking everything a user can get wrong.

Only YAML's safe node graph is used (``yaml.compose`` with the safe loader): no Python
tags, no object construction. Every error names the file, line and column. libyaml parses
(PyYAML's own parser costs 25 µs a value), and a source holds at most ``MAX_VALUES`` values,
counted before any node is built, so a large source costs a bounded time and memory.

One character policy for every format: U+2028/U+2029 (line and paragraph separators) break a
text value's line as a newline does, so they fold the same way; control characters and
invisible format characters (bidi overrides, zero-width spaces) are refused where they stand.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TypeVar

import yaml

from docgen.errors import DocgenError, SourceError, SourceLocation
from docgen.i18n import N_, _
from docgen.limits import DEFAULT_LIMITS, Limits, megabytes, read_limited
from docgen.model import (
    Attachment,
    Attendance,
    Block,
    Colophon,
    ContactEntry,
    Document,
    Enclosed,
    Header,
    Image,
    Item,
    Kind,
    Paragraph,
    ProblemLead,
    Publication,
    Section,
    Signature,
    Signer,
    Table,
)
from docgen.source import keys as key_tables
from docgen.source import yaml_errors
from docgen.source.yaml_errors import Mistake
from docgen.text.numbering import CHINESE_DATE, chinese_date, label_level
from docgen.text.rules import DOCUMENT_NUMBER, calendar_problem, document_number_problem

MAX_SOURCE_BYTES = DEFAULT_LIMITS.max_source_bytes  # the defaults; docgen.limits.Limits makes them settings
MAX_HEADING_LEVEL = 4
MAX_NESTING = DEFAULT_LIMITS.max_nesting  # lists and mappings inside each other
# Texts, lists and mappings in one source: 10,000 sections take some 60,000. Each costs about 300
# bytes composed, so the limit bounds the node graph (and the time to build it) whatever the file size.
MAX_VALUES = 250_000
_SHOWN = 40  # characters of a value or key quoted in an error message
EMPTY_SOURCE = N_("the source is empty (expected a mapping with 'title', 'organ', 'date', …)")
T = TypeVar("T")

# A heading typed with its number ("一、", "（二）", "3.", "（4）") or a measure typed with "一是":
# numbering is computed, so these would print twice.
_LINE_BREAK = re.compile(r"[ \t]*[\n\u2028\u2029]\s*")
_PLAIN_TAGS = frozenset(
    f"tag:yaml.org,2002:{name}" for name in ("str", "int", "float", "bool", "null", "timestamp", "map", "seq")
)
TYPED_LABEL = re.compile(r"^\s*(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[)）]|\d+[.．、](?!\d))")
TYPED_ENUMERATION = re.compile(r"^\s*[一二三四五六七八九十]+是")
_YMD_DATE = re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$")
ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")


class GeneratedKey(yaml.ScalarNode):
    """A key docgen wrote itself, in English (a Markdown draft's title, preamble, sections, body…): it
    belongs to a source of either language's keys, so it sets none and clashes with none."""


class SourceReader:
    """Walks the composed YAML nodes of one file; knows the path for error messages."""

    def __init__(self, path: Path, limits: Limits = DEFAULT_LIMITS) -> None:
        self.path = path
        self.limits = limits  # for what the source refers to (images)
        self.seen: set[int] = set()
        self.first_key: tuple[str, yaml.ScalarNode] | None = None  # the language keys are named in, and where
        # The value nodes of keys written in Chinese: id → (the English name messages use, the name as written).
        self.written: dict[int, tuple[str, str]] = {}

    def fail(self, node: yaml.Node | yaml.Mark, message: str) -> SourceError:
        """An error at ``node``; a message about a value names its key as the source writes it ('成文日期',
        not 'date')."""
        mark = node.start_mark if isinstance(node, yaml.Node) else node  # libyaml's marks are not yaml.Mark
        if (english_and_written := self.written.get(id(node))) is not None:
            english, written = english_and_written
            message = message.replace(f"'{english}'", f"'{written}'", 1)
        return SourceError(SourceLocation(self.path, mark.line + 1, mark.column + 1), message)

    def explain(self, node: yaml.Node, message: str, mistake: Mistake | None) -> SourceError:
        """:meth:`fail` at ``mistake`` (a usual mistake behind ``message``) with the line, a caret and its hint."""
        if mistake is None:
            return self.fail(node, message)
        lines = yaml_errors.lines_of(self.path, self.limits)
        if lines is None:  # no text to point into (a workbook's cells): the node's own place
            return self.fail(node, yaml_errors.explained(mistake.problem or message, mistake, None))
        at = yaml.Mark(str(self.path), 0, mistake.line, mistake.column, None, None)
        return self.fail(at, yaml_errors.explained(mistake.problem or message, mistake, lines))

    def mapping(self, node: yaml.Node, what: str, allowed: tuple[str, ...]) -> dict[str, tuple[yaml.Node, yaml.Node]]:
        """The keys of a mapping node, checked against ``allowed`` (a :class:`keys.KeyTable` takes
        them in English or Chinese, and gives them in English); values keep their nodes."""
        self._visit(node)
        if not isinstance(node, yaml.MappingNode):
            mistake = yaml_errors.scalar_for_mapping(node, yaml_errors.lines_of(self.path, self.limits))
            mistake = mistake or yaml_errors.list_for_mapping(node, what)
            raise self.explain(
                node,
                _("{what} must be a mapping of keys to values, got {kind}").format(what=what, kind=_kind(node)),
                mistake,
            )
        result: dict[str, tuple[yaml.Node, yaml.Node]] = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            if not isinstance(key, str):
                raise self.fail(key_node, _("keys of {what} must be plain names").format(what=what))
            key = self._english_key(key_node, allowed)
            if key != key_node.value:
                self.written[id(value_node)] = (key, key_node.value)
            if key not in allowed:
                language = self.first_key[0] if self.first_key else None
                message, mistake = yaml_errors.unknown_key(key_node, value_node, what, allowed, language)
                raise self.explain(key_node, message, mistake)
            if key in result:
                first = result[key][0].start_mark.line + 1
                message = _("duplicate key '{key}' in {what} (first given on line {first})").format(
                    key=key_node.value, what=what, first=first
                )
                raise self.explain(key_node, message, yaml_errors.duplicate_key(key_node))
            result[key] = (key_node, value_node)
        return result

    def _english_key(self, key_node: yaml.ScalarNode, allowed: tuple[str, ...]) -> str:
        """The English name of the key ``key_node`` writes; a source that names one key in English and
        another in Chinese is refused at the first that differs."""
        key = key_node.value
        if not isinstance(allowed, key_tables.KeyTable) or isinstance(key_node, GeneratedKey):
            return key
        language = key_tables.ENGLISH if key in allowed else key_tables.CHINESE if key in allowed.english else None
        if language is None:
            return key
        english = allowed.english.get(key, key)
        if self.first_key is None:
            self.first_key = (language, key_node)
        elif self.first_key[0] != language:
            first = self.first_key[1]
            message = yaml_errors.mixed_keys(key_node, english, allowed, first, self.first_key[0])
            raise self.explain(key_node, message, Mistake(key_node.start_mark.line, key_node.start_mark.column))
        return english

    def sequence(self, node: yaml.Node, what: str) -> list[yaml.Node]:
        self._visit(node)
        if not isinstance(node, yaml.SequenceNode):
            message = _("{what} must be a list (lines starting with '- '), got {kind}").format(
                what=what, kind=_kind(node)
            )
            raise self.explain(node, message, yaml_errors.mapping_for_list(node))
        if (named := self.written.get(id(node))) is not None:  # "each entry of '主送机关'" names it so too
            self.written.update((id(item), named) for item in node.value)
        return list(node.value)

    def text(self, node: yaml.Node, what: str) -> str:
        """A non-empty piece of text; numbers written plainly are taken as text."""
        self._visit(node)
        if not isinstance(node, yaml.ScalarNode) or node.tag.endswith(":null"):
            raise self.explain(
                node,
                _("{what} must be text, got {kind}").format(what=what, kind=_kind(node)),
                yaml_errors.text_made_mapping(node),
            )
        if node.tag.endswith(":bool"):
            raise self.fail(
                node, _("{what} must be text, got the truth value '{value}'").format(what=what, value=node.value)
            )
        value = _join_lines(node.value.strip())
        if not value:
            raise self.fail(node, _("{what} must not be empty").format(what=what))
        problem = _character_problem(value)
        if problem:
            raise self.fail(node, _("{what} contains {problem}").format(what=what, problem=problem))
        return value

    def texts(self, node: yaml.Node, what: str) -> tuple[str, ...]:
        """One text or a list of texts."""
        if isinstance(node, yaml.SequenceNode):
            items = self.sequence(node, what)
            if not items:
                raise self.fail(node, _("{what} must not be an empty list").format(what=what))
            return tuple(self.text(item, _("each entry of {what}").format(what=what)) for item in items)
        return (self.text(node, what),)

    def flag(self, node: yaml.Node, what: str) -> bool:
        self._visit(node)
        if not (isinstance(node, yaml.ScalarNode) and node.tag.endswith(":bool")):
            quoted = isinstance(node, yaml.ScalarNode) and node.style in ("'", '"')
            hint = " (write it without quotes)" if quoted and node.value.lower() in ("true", "false") else ""
            raise self.fail(
                node, _("{what} must be true or false, got {kind}{hint}").format(what=what, kind=_kind(node), hint=hint)
            )
        return node.value.lower() in ("true", "yes", "on")

    def date(self, node: yaml.Node, what: str) -> date:
        return self._calendar_date(node, what, self.text(node, what))

    def _calendar_date(self, node: yaml.Node, what: str, value: str) -> date:
        match = ISO_DATE.match(value) or _YMD_DATE.match(value)
        if not match:
            raise self.fail(
                node,
                _("{what} must be a date such as 2023-04-25 or 2023年4月25日, got '{value}'").format(
                    what=what, value=_shown(value)
                ),
            )
        if match.re is _YMD_DATE and any(part.startswith("0") for part in match.groups()[1:]):
            raise self.fail(
                node,
                _("{what} '{value}' has a leading zero; write 年月日 dates without them (7.3.5.4)").format(
                    what=what, value=_shown(value)
                ),
            )
        year, month, day = (int(part) for part in match.groups())
        if reason := calendar_problem(year, month, day):
            raise self.fail(
                node,
                _("{what} '{value}' is not a calendar date ({error})").format(
                    what=what, value=_shown(value), error=reason
                ),
            )
        return date(year, month, day)

    def signing_date(self, node: yaml.Node, what: str) -> tuple[date, str | None]:
        """成文日期: a date as :meth:`date` reads it, or in Chinese numerals as an imported document was
        published (二〇二三年四月二十五日), kept to be printed as written (``docgen lint`` points it out)."""
        value = self.text(node, what)
        if not CHINESE_DATE.fullmatch(value):
            return self._calendar_date(node, what, value), None
        day = chinese_date(value)
        if day is None:
            raise self.fail(node, _("{what} '{value}' is not a calendar date").format(what=what, value=_shown(value)))
        return day, value

    def _visit(self, node: yaml.Node) -> None:
        # The composer hands an alias back as the very node it names; refusing a second
        # visit keeps alias bombs (billion laughs) from expanding.
        if id(node) in self.seen:
            raise self.fail(node, _("YAML anchors and aliases (&name / *name) are not supported in sources"))
        self.seen.add(id(node))
        if node.tag not in _PLAIN_TAGS:
            raise self.fail(
                node, _("YAML tags such as '{tag}' are not allowed in sources (plain text only)").format(tag=node.tag)
            )


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


def _invisible(char: str) -> bool:
    """A format character (Cf): bidi controls such as U+202E reorder what a reader sees, zero-width
    ones hide in a name; a browser would apply them where the DOCX and PDF faces have no glyph."""
    return unicodedata.category(char) == "Cf"


def _character_problem(value: str) -> str | None:
    """What is wrong with the first character no document may carry, or None."""
    if value.isprintable():  # C speed for the usual text; U+3000 and other spaces take the slow path
        return None
    for char in value:
        if _unprintable(char):
            return _("the control character U+{char:04X}, which no document can show").format(char=ord(char))
        if _invisible(char):
            name = unicodedata.name(char, "a format character")
            return _("the invisible format character U+{char:04X} ({name}); remove it").format(
                char=ord(char), name=name
            )
    return None


def _kind(node: yaml.Node) -> str:
    if isinstance(node, yaml.MappingNode):
        return _("a mapping")
    if isinstance(node, yaml.SequenceNode):
        return _("a list")
    if node.tag.endswith(":null"):
        return _("nothing")
    return f"'{_shown(node.value)}'"


def _shown(text: str) -> str:
    """``text`` as an error message quotes it: a value of megabytes is cut, not printed whole."""
    return text if len(text) <= _SHOWN else f"{text[:_SHOWN]}…"


DOCUMENT_KEYS = key_tables.DOCUMENT
HEADER_KEYS = key_tables.HEADER
_COLOPHON_KEYS = key_tables.COLOPHON
ATTACHMENT_KEYS = key_tables.ATTACHMENT
SIGNER_KEYS = key_tables.SIGNER
TABLE_KEYS = key_tables.TABLE
KIND_NAMES = {kind.value: kind for kind in Kind} | {
    "file": Kind.FILE,
    "letter": Kind.LETTER,
    "order": Kind.ORDER,
    "minutes": Kind.MINUTES,
}
_URGENCIES = ("特急", "加急")
_SECRECY = ("绝密", "机密", "秘密")
ATTENDANCE = ("出席", "请假", "列席")
TRAILING_PUNCTUATION = "，。、；：！？,.;:!?"
SECTION_KEYS = key_tables.SECTION
ITEM_KEYS = key_tables.ITEM
ENCLOSED_KEYS = key_tables.ENCLOSED
PUBLICATION_KEYS = key_tables.PUBLICATION


def load_document(path: Path, limits: Limits = DEFAULT_LIMITS) -> Document:
    """Read and validate ``path``; raises :class:`SourceError` naming file, line and column."""
    return document_from_node(compose_source(path, limits), path, limits)


def document_from_node(root: yaml.Node, path: Path, limits: Limits = DEFAULT_LIMITS) -> Document:
    """The document a composed YAML node graph describes; errors name ``path`` and the node's line."""
    reader = SourceReader(path, limits)
    keys = reader.mapping(root, _("the document"), DOCUMENT_KEYS)
    for required in ("title", "date"):
        if required not in keys:
            raise reader.fail(root, _("the document has no '{required}' (required)").format(required=required))
    if ("organ" in keys) == ("organs" in keys):
        raise reader.fail(root, _("give exactly one of 'organ' (one issuing organ) or 'organs' (a list)"))
    title_lines = reader.texts(keys["title"][1], "'title'")
    organ_key = "organ" if "organ" in keys else "organs"
    organs = reader.texts(keys[organ_key][1], f"'{organ_key}'")
    kind = _optional(keys, "kind", lambda n: _kind_of(reader, n), Kind.FILE)
    signed_on, as_published = reader.signing_date(keys["date"][1], "'date'")
    return Document(
        title="".join(title_lines),
        title_lines=title_lines if len(title_lines) > 1 else (),
        signature=Signature(
            organs=organs,
            date=signed_on,
            date_as_published=as_published,
            seals=_seals(reader, keys, organs),
            signer=_optional(keys, "signer", lambda n: _signer(reader, n), None),
        ),
        kind=kind,
        header=_optional(keys, "header", lambda n: _header(reader, n, kind), None),
        attendance=_optional(keys, "attendance", lambda n: _attendance(reader, n), ()),
        attachments=_optional(keys, "attachments", lambda n: _attachments(reader, n), ()),
        note=_optional(keys, "note", lambda n: reader.text(n, "'note'"), None),
        enclosed=_optional(keys, "enclosed", lambda n: _enclosed(reader, n), None),
        colophon=_optional(keys, "colophon", lambda n: _colophon(reader, n), None),
        addressees=_optional(keys, "addressees", lambda n: reader.texts(n, "'addressees'"), ()),
        preamble=_optional(keys, "preamble", lambda n: _paragraphs(reader, n, "'preamble'"), ()),
        sections=_optional(keys, "sections", lambda n: _sections(reader, n, 1), ()),
        closing=_optional(keys, "closing", lambda n: _paragraphs(reader, n, "'closing'"), ()),
        contact=_optional(keys, "contact", lambda n: _contact(reader, n), ()),
        publication=_optional(keys, "publication", lambda n: _publication(reader, n), Publication()),
    )


def compose_source(path: Path, limits: Limits = DEFAULT_LIMITS) -> yaml.Node:
    """The YAML node graph of ``path`` (safe: nothing is constructed), with its size and encoding checked."""
    root = compose_text(read_source_text(path, limits), path, limits.max_nesting)
    if root is None:
        raise SourceError(SourceLocation(path, 1, 1), _(EMPTY_SOURCE))
    return root


def read_source_text(path: Path, limits: Limits = DEFAULT_LIMITS) -> str:
    """The text of a source file (YAML or a Markdown draft), its size and encoding checked.

    The size is checked before anything is read, and at most one byte over the limit is ever
    read (a file that grows, a pipe), so a huge file costs neither time nor memory.
    """
    origin = SourceLocation(path, 1, 1)
    try:
        size, raw = read_limited(path, limits.max_source_bytes)
    except OSError as error:
        raise SourceError(origin, _("cannot read the source: {reason}").format(reason=error.strerror)) from None
    if raw is None:
        limit = limits.max_source_bytes
        raise SourceError(
            origin,
            _(
                "the source is {size:,} bytes; sources are limited to {limit:,} bytes "
                "({megabytes}; set by --max-source-mb or the profile's limits.max_source_mb)"
            ).format(size=size, limit=limit, megabytes=megabytes(limit)),
        )
    if foreign := _not_a_source(path, raw):
        raise SourceError(origin, foreign)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise SourceError(SourceLocation(path, line, 1), _("the source is not UTF-8 text (save it as UTF-8)")) from None


def compose_text(text: str, path: Path, max_nesting: int = MAX_NESTING) -> yaml.Node | None:
    """The YAML node graph of ``text`` read from ``path`` (None when it holds nothing); aliases,
    deep nesting and too many values refused before a node is built, every error located."""
    try:
        _check_events(text, path, max_nesting)
        return yaml.compose(text, Loader=yaml.CSafeLoader)
    except (yaml.MarkedYAMLError, yaml.reader.ReaderError) as error:
        raise yaml_errors.yaml_error(error, text, path) from None
    except yaml.YAMLError as error:
        raise SourceError(SourceLocation(path, 1, 1), _("not valid YAML: {error}").format(error=error)) from None


def _not_a_source(path: Path, raw: bytes) -> str | None:
    """What ``raw`` is when its first bytes show a Word file, a PDF or other binary data rather
    than a source's text, and what to do with it; None for text."""
    docx = path if path.suffix.lower() == ".docx" else path.with_suffix(".docx")
    rename = "" if docx == path else _("rename it to {docx}, then ").format(docx=docx)
    imported = f"docgen import {docx} -o {path.with_suffix('.yaml')}"
    if raw.startswith(b"PK\x03\x04"):
        return _(
            "this is a Word file (.docx) or another ZIP archive, not a source: {rename}run `{imported}` first"
        ).format(rename=rename, imported=imported)
    if raw.startswith((b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"{\\rtf")):
        return _(
            "this is an old Word (.doc), WPS or RTF file, not a source: save it as {docx}, then run `{imported}`"
        ).format(docx=docx, imported=imported)
    if raw[:1024].lstrip().startswith(b"%PDF-"):
        return _(
            "this is a PDF, not a source: docgen writes PDFs but does not read them; "
            "copy the notice's text into {path} and run `docgen import {path}` (`docgen "
            "check` measures a PDF)"
        ).format(path=path.with_suffix(".txt"))
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _("this is UTF-16 text; save it as UTF-8")
    if b"\x00" in raw[:8192]:
        return _("this is a binary file, not a source (YAML text, UTF-8)")
    return None


def _check_events(text: str, path: Path, max_nesting: int = MAX_NESTING) -> None:
    """Refuse aliases, nesting deeper than any document needs (the composer recurses) and more
    than ``MAX_VALUES`` values, from the parser's events, before a node is built."""
    depth = values = 0
    events = yaml.parse(text, Loader=yaml.CSafeLoader)
    while True:
        try:
            event = next(events, None)
        except yaml.MarkedYAMLError as error:
            # libyaml scans up to 1,024 characters ahead and stops at 1,000 levels: deeper than any limit here.
            if "maximum nesting depth" in str(error.problem) and error.problem_mark:
                raise _too_deep(_at(path, error.problem_mark), max_nesting) from None
            raise
        if event is None:
            return
        if isinstance(event, yaml.AliasEvent):
            raise SourceError(
                _at(path, event.start_mark), _("YAML anchors and aliases (&name / *name) are not supported in sources")
            )
        if isinstance(event, yaml.ScalarEvent | yaml.CollectionStartEvent):
            values += 1
            if values > MAX_VALUES:
                raise SourceError(
                    _at(path, event.start_mark),
                    _("more than {limit:,} texts, lists and mappings; no document needs that many").format(
                        limit=MAX_VALUES
                    ),
                )
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > max_nesting:
                raise _too_deep(_at(path, event.start_mark), max_nesting)
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1


def _at(path: Path, mark: yaml.Mark) -> SourceLocation:
    return SourceLocation(path, mark.line + 1, mark.column + 1)


def _too_deep(where: SourceLocation, max_nesting: int) -> SourceError:
    return SourceError(
        where,
        _(
            "nested more than {max_nesting} levels deep; sources are limited to "
            "{max_nesting} levels (set by --max-nesting or the profile's "
            "limits.max_nesting)"
        ).format(max_nesting=max_nesting),
    )


def _optional(keys: dict[str, tuple[yaml.Node, yaml.Node]], key: str, read: Callable[[yaml.Node], T], default: T) -> T:
    return read(keys[key][1]) if key in keys else default


def _paragraphs(reader: SourceReader, node: yaml.Node, what: str) -> tuple[Paragraph, ...]:
    return tuple(Paragraph(text) for text in reader.texts(node, what))


def _sections(reader: SourceReader, node: yaml.Node, level: int) -> tuple[Section, ...]:
    return tuple(_section(reader, item, level) for item in reader.sequence(node, "'sections'"))


def _section(reader: SourceReader, node: yaml.Node, level: int) -> Section:
    if level > MAX_HEADING_LEVEL:
        raise reader.fail(
            node,
            _("headings go four levels deep (一、 （一） 1. （1）); this would be level {level}").format(level=level),
        )
    keys = reader.mapping(node, _("a level-{level} section").format(level=level), SECTION_KEYS)
    if "heading" not in keys:
        raise reader.fail(node, _("a level-{level} section needs a 'heading'").format(level=level))
    heading_node = keys["heading"][1]
    heading = reader.text(heading_node, "'heading'")
    if TYPED_LABEL.match(heading):
        raise reader.fail(
            heading_node,
            _("'heading' starts with a typed number ('{heading}…'); numbers are computed, remove it").format(
                heading=heading[:5]
            ),
        )
    return Section(
        heading=heading,
        text=_optional(keys, "text", lambda n: reader.text(n, "'text'"), None),
        body=_optional(keys, "body", lambda n: _blocks(reader, n, level + 1), ()),
        continuous_numbering=_optional(
            keys, "continuous_numbering", lambda n: reader.flag(n, "'continuous_numbering'"), False
        ),
        number=_optional(keys, "number", lambda n: _published_number(reader, n), None),
    )


def _published_number(reader: SourceReader, node: yaml.Node) -> str:
    """A heading's or item's label as the document was published with it, in one of 7.3.3's forms."""
    number = reader.text(node, "'number'")
    if label_level(number) is None:
        raise reader.fail(
            node,
            _("'number' is '{number}'; expected a label as published: 一、 （一） 1. 1、 or （1）").format(
                number=number
            ),
        )
    return number


def _blocks(reader: SourceReader, node: yaml.Node, level: int) -> tuple[Block, ...]:
    blocks: list[Block] = []
    for child in reader.sequence(node, "'body'"):
        table = _block_table(child)
        if table is key_tables.TABLE_ENTRY:
            blocks.append(_table(reader, child))
        elif table is key_tables.ITEM:
            blocks.append(_item(reader, child, level))
        elif table is key_tables.SECTION:
            blocks.append(_section(reader, child, level))
        else:
            blocks.append(Paragraph(reader.text(child, "a paragraph")))
    return tuple(blocks)


def _block_table(node: yaml.Node) -> key_tables.KeyTable | None:
    """What a mapping in a body is (a table entry, an item, a section), by its keys; None for text."""
    if not isinstance(node, yaml.MappingNode):
        return None
    return key_tables.block_table({key.value for key, _ in node.value if isinstance(key, yaml.ScalarNode)})


def _item(reader: SourceReader, node: yaml.Node, level: int) -> Item:
    if level > MAX_HEADING_LEVEL:
        raise reader.fail(
            node, _("items are numbered as level {level}, but numbering has four levels").format(level=level)
        )
    keys = reader.mapping(node, _("an item"), ITEM_KEYS)
    if "measures" not in keys:
        raise reader.fail(node, _("an item needs 'measures' (a list of the measures taken)"))
    measures = reader.texts(keys["measures"][1], "'measures'")
    for measure_node, measure in zip(_nodes_of(keys["measures"][1]), measures, strict=True):
        if TYPED_ENUMERATION.match(measure):
            raise reader.fail(
                measure_node,
                _("measure starts with a typed '{measure}'; 一是/二是 are computed, remove it").format(
                    measure=measure[:2]
                ),
            )
    lead = _optional(keys, "lead", lambda n: read_lead(reader, n), ProblemLead.ZHENDUI)
    return Item(
        problem=reader.text(keys["problem"][1], "'problem'"),
        measures=measures,
        lead=lead,
        number=_optional(keys, "number", lambda n: _published_number(reader, n), None),
    )


def _enclosed(reader: SourceReader, node: yaml.Node) -> Enclosed:
    """What a 转发/印发 notice passes on; its signature, when it has one, is an organ and a date."""
    keys = reader.mapping(node, "'enclosed'", ENCLOSED_KEYS)
    if "title" not in keys:
        raise reader.fail(node, _("'enclosed' needs the 'title' of the document passed on"))
    if "organ" in keys and "organs" in keys:
        raise reader.fail(node, _("give one of 'organ' or 'organs' in 'enclosed', not both"))
    organ_key = "organ" if "organ" in keys else "organs"
    organs = _optional(keys, organ_key, lambda n: reader.texts(n, f"'{organ_key}'"), ())
    if bool(organs) != ("date" in keys):
        raise reader.fail(node, _("an enclosed document is signed with both an organ and a 'date', or with neither"))
    title_lines = reader.texts(keys["title"][1], "'title'")
    signed_on, as_published = reader.signing_date(keys["date"][1], "'date'") if "date" in keys else (None, None)
    return Enclosed(
        title="".join(title_lines),
        title_lines=title_lines if len(title_lines) > 1 else (),
        addressees=_optional(keys, "addressees", lambda n: reader.texts(n, "'addressees'"), ()),
        preamble=_optional(keys, "preamble", lambda n: _paragraphs(reader, n, "'preamble'"), ()),
        sections=_optional(keys, "sections", lambda n: _sections(reader, n, 1), ()),
        closing=_optional(keys, "closing", lambda n: _paragraphs(reader, n, "'closing'"), ()),
        organs=organs,
        date=signed_on,
        date_as_published=as_published,
    )


def _nodes_of(node: yaml.Node) -> list[yaml.Node]:
    return list(node.value) if isinstance(node, yaml.SequenceNode) else [node]


def read_lead(reader: SourceReader, node: yaml.Node) -> ProblemLead:
    value = reader.text(node, "'lead'")
    try:
        return ProblemLead(value)
    except ValueError:
        raise reader.fail(node, _("'lead' must be 针对 or 关于, got '{value}'").format(value=_shown(value))) from None


def _contact(reader: SourceReader, node: yaml.Node) -> tuple[ContactEntry, ...]:
    return tuple(
        ContactEntry(reader.text(key_node, _("a contact label")), reader.text(value_node, _("a contact value")))
        for key_node, value_node in _pairs(reader, node, "'contact'", "each contact entry", "邮政编码: 250099")
    )


def _pairs(
    reader: SourceReader, node: yaml.Node, what: str, each: str, example: str
) -> list[tuple[yaml.Node, yaml.Node]]:
    """A list of one-pair mappings (`- label: value`), as key and value nodes."""
    pairs = []
    for entry in reader.sequence(node, what):
        reader._visit(entry)
        if not isinstance(entry, yaml.MappingNode) or len(entry.value) != 1:
            raise reader.fail(
                entry, _("{each} must be one 'label: value' pair, e.g. {example}").format(each=each, example=example)
            )
        pairs.append(entry.value[0])
    return pairs


def _publication(reader: SourceReader, node: yaml.Node) -> Publication:
    keys = reader.mapping(node, "'publication'", PUBLICATION_KEYS)
    return Publication(
        published=_optional(keys, "published", lambda n: reader.date(n, "'published'"), None),
        source=_optional(keys, "source", lambda n: reader.text(n, "'source'"), None),
        editor=_optional(keys, "editor", lambda n: reader.text(n, "'editor'"), None),
    )


def _kind_of(reader: SourceReader, node: yaml.Node) -> Kind:
    value = reader.text(node, "'kind'")
    if value not in KIND_NAMES:
        raise reader.fail(
            node,
            _("'kind' must be one of 文件, 信函, 命令, 纪要 (or file, letter, order, minutes), got '{value}'").format(
                value=_shown(value)
            ),
        )
    return KIND_NAMES[value]


def _header(reader: SourceReader, node: yaml.Node, kind: Kind) -> Header:
    """版头 (7.2), each element checked as the standard writes it."""
    keys = reader.mapping(node, "'header'", HEADER_KEYS)
    copy_number = _optional(keys, "copy_number", lambda n: reader.text(n, "'copy_number'"), None)
    if copy_number is not None and not re.fullmatch(r"\d{6}", copy_number):
        raise reader.fail(
            keys["copy_number"][1],
            _("'copy_number' (份号) is six Arabic digits such as 000001, got '{copy_number}'").format(
                copy_number=_shown(copy_number)
            ),
        )
    secrecy = _optional(keys, "secrecy", lambda n: reader.text(n, "'secrecy'"), None)
    if secrecy is not None and not secrecy.startswith(_SECRECY):
        raise reader.fail(
            keys["secrecy"][1],
            _("'secrecy' (密级) starts with 绝密, 机密 or 秘密, e.g. 秘密★1年, got '{secrecy}'").format(
                secrecy=_shown(secrecy)
            ),
        )
    urgency = _optional(keys, "urgency", lambda n: reader.text(n, "'urgency'"), None)
    if urgency is not None and urgency not in _URGENCIES:
        raise reader.fail(
            keys["urgency"][1],
            _("'urgency' (紧急程度) is 特急 or 加急, got '{urgency}'").format(urgency=_shown(urgency)),
        )
    number = _optional(keys, "number", lambda n: reader.text(n, "'number'"), None)
    if number is not None and kind in (Kind.FILE, Kind.LETTER):  # orders and minutes number their issues (第N号, 第N期)
        _check_document_number(reader, keys["number"][1], number)
    return Header(
        copy_number=copy_number,
        secrecy=secrecy,
        urgency=urgency,
        mark=_optional(keys, "mark", lambda n: reader.texts(n, "'mark'"), ()),
        mark_suffix=_optional(keys, "mark_suffix", lambda n: reader.text(n, "'mark_suffix'"), None),
        number=number,
        signers=_optional(keys, "signers", lambda n: reader.texts(n, "'signers'"), ()),
    )


def _check_document_number(reader: SourceReader, node: yaml.Node, number: str) -> None:
    expected = "a 发文字号 such as 济发〔2023〕5号: 代字, full year in 〔〕, serial without 第 or leading zeros"
    if not DOCUMENT_NUMBER.match(number):
        raise reader.fail(node, _("'number' '{number}' is not {expected}").format(number=number, expected=expected))
    problem = document_number_problem(number)
    if problem:
        raise reader.fail(
            node,
            _("'number' '{number}': {problem} (expected {expected})").format(
                number=number, problem=problem, expected=expected
            ),
        )


def _seals(
    reader: SourceReader, keys: dict[str, tuple[yaml.Node, yaml.Node]], organs: tuple[str, ...]
) -> tuple[Image, ...]:
    """One seal image per organ, pressed over the signature (7.3.5.1)."""
    if "seal" in keys and "seals" in keys:
        raise reader.fail(keys["seals"][0], _("give 'seal' (one organ) or 'seals' (one per organ), not both"))
    key = "seal" if "seal" in keys else "seals" if "seals" in keys else None
    if key is None:
        return ()
    node = keys[key][1]
    nodes = _nodes_of(node) if key == "seals" else [node]
    if len(nodes) != len(organs):
        raise reader.fail(
            node,
            _("{seals} seal image(s) for {organs} issuing organ(s): give one seal per organ, in order").format(
                seals=len(nodes), organs=len(organs)
            ),
        )
    return tuple(_image(reader, item, f"'{key}'") for item in nodes)


def _image(reader: SourceReader, node: yaml.Node, what: str) -> Image:
    """An image file named relative to the source, checked by its content (PNG, JPEG or SVG).

    Messages name the path as the source gives it, never the resolved path or the file's bytes.
    """
    from docgen.files.images import load_image

    name = reader.text(node, what)
    path = _allowed_image_path(reader, node, what, name)
    try:
        return load_image(path, reader.limits, name=name)
    except DocgenError as error:
        raise reader.fail(node, f"{what}: {error}") from None


def _allowed_image_path(reader: SourceReader, node: yaml.Node, what: str, name: str) -> Path:
    """``name`` resolved against the source's folder, when it lands (symlinks followed) inside that
    folder or an --image-dir: a batch row or a shared source may not embed any file it can name.

    The refusal says nothing of what lies at the path, not even whether anything does.
    """
    folders = (reader.path.parent, *reader.limits.image_dirs)
    try:
        path = (reader.path.parent / name).resolve()
        allowed = any(path.is_relative_to(folder.resolve()) for folder in folders)
    except (OSError, RuntimeError):  # a symlink loop (RuntimeError before Python 3.13)
        allowed = False
    if not allowed:
        raise reader.fail(
            node,
            _(
                "{what} '{name}' is not an allowed image: images are taken only from the "
                "folder of {source} and its subfolders, or from a folder given with "
                "--image-dir"
            ).format(what=what, name=name, source=reader.path.name),
        )
    return path


def _signer(reader: SourceReader, node: yaml.Node) -> Signer:
    keys = reader.mapping(node, "'signer'", SIGNER_KEYS)
    for required in SIGNER_KEYS:
        if required not in keys:
            raise reader.fail(
                node,
                _("'signer' needs '{required}' (the signer's title and the signature seal image)").format(
                    required=required
                ),
            )
    return Signer(
        title=reader.text(keys["title"][1], _("the signer's 'title'")),
        seal=_image(reader, keys["seal"][1], "the signer's 'seal'"),
    )


def _attendance(reader: SourceReader, node: yaml.Node) -> tuple[Attendance, ...]:
    groups = []
    for key_node, value_node in _pairs(reader, node, "'attendance'", "each attendance entry", "出席: [张三, 李四]"):
        label = reader.text(key_node, _("an attendance label"))
        if label not in ATTENDANCE:
            raise reader.fail(
                key_node, _("attendance labels are 出席, 请假 and 列席, got '{label}'").format(label=_shown(label))
            )
        groups.append(Attendance(label, reader.texts(value_node, _("the names under '{label}'").format(label=label))))
    return tuple(groups)


def _attachments(reader: SourceReader, node: yaml.Node) -> tuple[Attachment, ...]:
    """附件: a title alone (named in the 附件说明 only), or a title and a body printed on pages of its own."""
    attachments = []
    for entry in reader.sequence(node, "'attachments'"):
        if isinstance(entry, yaml.MappingNode):
            keys = reader.mapping(entry, _("an attachment"), ATTACHMENT_KEYS)
            if "title" not in keys:
                raise reader.fail(entry, _("an attachment needs a 'title'"))
            title_node = keys["title"][1]
            body = _optional(keys, "body", lambda n: _blocks(reader, n, 1), ())
        else:
            title_node, body = entry, ()
        title = reader.text(title_node, _("an attachment's title"))
        if title[-1] in TRAILING_PUNCTUATION:
            raise reader.fail(
                title_node,
                _("an attachment's title ends without punctuation (7.3.4), got '…{title}'").format(title=title[-6:]),
            )
        attachments.append(Attachment(title, body))
    return tuple(attachments)


def _colophon(reader: SourceReader, node: yaml.Node) -> Colophon:
    """版记 (7.4): 抄送 organs (a list, or one text ending with 。), 印发机关 and 印发日期 together."""
    keys = reader.mapping(node, "'colophon'", _COLOPHON_KEYS)
    if ("printer" in keys) != ("print_date" in keys):
        raise reader.fail(node, _("'printer' (印发机关) and 'print_date' (印发日期) go together"))
    return Colophon(
        copy_to=_optional(keys, "copy_to", lambda n: _copy_to(reader, n), ()),
        printer=_optional(keys, "printer", lambda n: reader.text(n, "'printer'"), None),
        print_date=_optional(keys, "print_date", lambda n: reader.date(n, "'print_date'"), None),
    )


def _copy_to(reader: SourceReader, node: yaml.Node) -> tuple[str, ...]:
    if isinstance(node, yaml.SequenceNode):
        names = reader.texts(node, "'copy_to'")
        for item, name in zip(node.value, names, strict=True):
            if name[-1] in TRAILING_PUNCTUATION:
                raise reader.fail(
                    item,
                    _(
                        "organs in the 'copy_to' list stand without punctuation, got '{name}' (the final 。 is added)"
                    ).format(name=_shown(name)),
                )
        return names
    text = reader.text(node, "'copy_to'")
    if not text.endswith("。"):
        raise reader.fail(
            node, _("'copy_to' (抄送) written as one text ends with 。 (7.4.2), got '…{text}'").format(text=text[-8:])
        )
    return tuple(name for name in re.split("[，、]", text[:-1]) if name)


def _table(reader: SourceReader, node: yaml.Node) -> Table:
    """A table: a header row, body rows of the same width, optional widths (proportions) and totals row."""
    outer = reader.mapping(node, _("a table entry"), key_tables.TABLE_ENTRY)
    keys = reader.mapping(outer["table"][1], "'table'", TABLE_KEYS)
    for required in ("header", "rows"):
        if required not in keys:
            raise reader.fail(outer["table"][1], _("a table needs '{required}'").format(required=required))
    header = reader.texts(keys["header"][1], "a table's 'header'")
    rows = tuple(_row(reader, row, len(header)) for row in reader.sequence(keys["rows"][1], "a table's 'rows'"))
    totals = _optional(keys, "totals", lambda n: _row(reader, n, len(header)), None)
    widths = _optional(keys, "widths", lambda n: _widths(reader, n, len(header)), ())
    caption = _optional(keys, "caption", lambda n: reader.text(n, "a table's 'caption'"), None)
    landscape = _optional(keys, "landscape", lambda n: reader.flag(n, "a table's 'landscape'"), False)
    named = keys["widths"][1] if "widths" in keys else outer["table"][1]  # the line to mend if columns are too narrow
    source = str(_at(reader.path, named.start_mark))
    return Table(
        header=header, rows=rows, widths=widths, totals=totals, caption=caption, landscape=landscape, source=source
    )


def _row(reader: SourceReader, node: yaml.Node, columns: int) -> tuple[str, ...]:
    cells = reader.sequence(node, _("a table row"))
    if len(cells) != columns:
        raise reader.fail(
            node, _("this row has {cells} cells; the header has {columns}").format(cells=len(cells), columns=columns)
        )
    return tuple(_cell(reader, cell) for cell in cells)


def _cell(reader: SourceReader, node: yaml.Node) -> str:
    reader._visit(node)
    if isinstance(node, yaml.ScalarNode) and (node.tag.endswith(":null") or not node.value.strip()):
        return ""  # an empty cell
    reader.seen.discard(id(node))
    return reader.text(node, _("a table cell"))


def _widths(reader: SourceReader, node: yaml.Node, columns: int) -> tuple[float, ...]:
    items = reader.sequence(node, "a table's 'widths'")
    if len(items) != columns:
        raise reader.fail(node, _("{widths} widths for {columns} columns").format(widths=len(items), columns=columns))
    widths = []
    for item in items:
        value = reader.text(item, _("a column width"))
        try:
            width = float(value)
        except ValueError:
            width = -1.0
        if not 0 < width < 1000:
            raise reader.fail(
                item, _("a column width is a positive number (a proportion), got '{value}'").format(value=_shown(value))
            )
        widths.append(width)
    return tuple(widths)
