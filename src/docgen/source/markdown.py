"""Markdown drafts as sources: `docgen build draft.md`, `docgen import draft.md`.

markdown-it-py parses the draft (CommonMark, GFM pipe tables, YAML front matter); nothing here
reads Markdown structure with regular expressions. The draft becomes the YAML node graph a YAML
source would compose to, with every node marked at its place in the Markdown file, so
:func:`docgen.source.loader.document_from_node` checks it as it checks YAML and its errors carry the
draft's file:line:column. The front matter is composed by the loader too, at its own lines.

How a draft maps to a source:

- front matter: any key of a YAML source (organ(s), date, header, addressees, seal(s), signer,
  attachments, note, colophon, kind, …);
- the first ``#`` heading: ``title`` (or ``title:`` in the front matter);
- ``##`` to ``#####``: headings of levels 一、 （一） 1. （1）; a paragraph opening with a typed
  label (``（一）加强领导。正文…``) is a heading of the level its label's form has, run-in when text
  follows its first sentence; a bold sentence opening a paragraph (``**加强领导。**正文…``) is a
  run-in heading one level below the heading above it (or of its typed label's level); an ordered
  list's entries are headings one level below, ``针对“……”的问题：`` entries items whose measures
  are their 一是……二是…… or the list under them;
- a typed label equal to the number docgen computes is dropped (it would print twice); one that
  differs is kept as the heading's ``number``, printed as published;
- paragraphs before the first heading: ``preamble``; after a thematic break (``---``) or from a
  paragraph opening with 特此: ``closing``; pipe tables: tables;
- what a 公文 cannot hold (emphasis, links, images, code, HTML, bullets, quotes) is kept as plain
  text and reported with its line.
"""

from __future__ import annotations

import bisect
import functools
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

from docgen.errors import SourceError, SourceLocation
from docgen.i18n import N_, _
from docgen.limits import DEFAULT_LIMITS, Limits
from docgen.model import Document
from docgen.source import keys
from docgen.source.loader import (
    MAX_HEADING_LEVEL,
    TYPED_LABEL,
    GeneratedKey,
    compose_text,
    document_from_node,
    read_source_text,
)
from docgen.text.numbering import heading_label, label_level, parse_chinese_numeral
from docgen.text.structure import ITEM, RUN_IN_END, split_measures

if TYPE_CHECKING:  # markdown-it is imported only when a draft is read: a YAML build never loads it
    from markdown_it import MarkdownIt
    from markdown_it.rules_core import StateCore
    from markdown_it.rules_inline.state_inline import StateInline
    from markdown_it.token import Token

MARKDOWN_SUFFIXES = (".md", ".markdown")
_STR, _SEQ, _MAP = (f"tag:yaml.org,2002:{name}" for name in ("str", "seq", "map"))
# A bold run-in heading is a sentence: it ends with one of these (a bold phrase inside a sentence is emphasis).
_SENTENCE_ENDS = "。！？；：.!?;:"
_CLOSING_OPENERS = ("特此",)
MAX_PARAGRAPH = 20_000  # characters; the longest paragraphs of a 公文 have some 2,000
MAX_BRACKET_SCAN = 50_000_000  # brackets × paragraph length over a draft: about a second of markdown-it


def is_markdown(path: Path) -> bool:
    return path.suffix.lower() in MARKDOWN_SUFFIXES


def compose_markdown(path: Path, limits: Limits = DEFAULT_LIMITS) -> tuple[yaml.MappingNode, list[str]]:
    """The YAML node graph the draft at ``path`` stands for, and the notes on what it could not hold."""
    text = read_source_text(path, limits)
    draft = _Draft(path, text, limits)
    return draft.compose(), draft.notes


def load_markdown(path: Path, limits: Limits = DEFAULT_LIMITS) -> tuple[Document, list[str]]:
    root, notes = compose_markdown(path, limits)
    return document_from_node(root, path, limits), notes


@functools.cache
def _parser() -> MarkdownIt:
    """markdown-it for drafts, made once a process."""
    from markdown_it import MarkdownIt
    from mdit_py_plugins.front_matter import front_matter_plugin

    parser = MarkdownIt("commonmark").enable("table").use(front_matter_plugin)
    parser.inline.ruler.at("emphasis", _cjk_emphasis)
    parser.core.ruler.before("inline", "paragraph_size", _refuse_long_paragraphs)
    return parser


class _TooLong(Exception):
    """A paragraph no 公文 has, found before markdown-it reads its inline markup."""

    def __init__(self, line: int, message: str) -> None:
        self.line, self.message = line, message


def _refuse_long_paragraphs(state: StateCore) -> None:
    """markdown-it scans from each ``[`` to the end of its paragraph for the label's ``]``: time grows as
    brackets × length (a paragraph of ``![`` repeated). Paragraphs longer than ``MAX_PARAGRAPH``, and
    brackets in long paragraphs past ``MAX_BRACKET_SCAN`` over the draft, are refused before inline parsing."""
    scan = 0
    for token in state.tokens:
        if token.type != "inline":
            continue
        length = len(token.content)
        if length > MAX_PARAGRAPH:
            raise _TooLong(
                token.map[0],
                _("a paragraph of {length:,} characters; the limit is {limit:,}").format(
                    length=length, limit=MAX_PARAGRAPH
                ),
            )
        scan += token.content.count("[") * length
        if scan > MAX_BRACKET_SCAN:
            raise _TooLong(token.map[0], _("more brackets [ in long paragraphs than a draft of a 公文 holds"))


def _cjk_emphasis(state: StateInline, silent: bool) -> bool:
    """markdown-it's emphasis rule with CommonMark's flanking amended for Chinese (as the CJK-friendly
    draft of the spec does): a delimiter between full-width punctuation and a Chinese character, as in
    ``**（一）加强领导。**正文``, opens or closes; plain CommonMark leaves those ``**`` as text."""
    from markdown_it.rules_inline.state_inline import Delimiter

    start = state.pos
    marker = state.src[start]
    if silent or marker not in "_*":
        return False
    end = start
    while end < state.posMax and state.src[end] == marker:
        end += 1
    before = state.src[start - 1] if start > 0 else " "
    after = state.src[end] if end < state.posMax else " "
    can_open, can_close = _flanking(before, after, split_word=marker == "*")
    for _marker in range(end - start):
        token = state.push("text", "", 0)
        token.content = marker
        state.delimiters.append(Delimiter(ord(marker), end - start, len(state.tokens) - 1, -1, can_open, can_close))
    state.pos = end
    return True


def _flanking(before: str, after: str, split_word: bool) -> tuple[bool, bool]:
    """Whether a delimiter run between ``before`` and ``after`` can open and close emphasis; a wide
    (Chinese) character counts as punctuation would beside punctuation."""
    from markdown_it.common.utils import isMdAsciiPunct, isPunctChar, isWhiteSpace

    before_space, after_space = isWhiteSpace(ord(before)), isWhiteSpace(ord(after))
    before_punct = isMdAsciiPunct(ord(before)) or isPunctChar(before)
    after_punct = isMdAsciiPunct(ord(after)) or isPunctChar(after)
    left = not after_space and (not after_punct or before_space or before_punct or _wide(before))
    right = not before_space and (not before_punct or after_space or after_punct or _wide(after))
    can_open = left and (split_word or not right or before_punct)
    can_close = right and (split_word or not left or after_punct)
    return can_open, can_close


def _wide(char: str) -> bool:
    return unicodedata.east_asian_width(char) in ("W", "F")


@dataclass
class _Part:
    """A heading being filled (level 0: the document), its children as nodes or parts."""

    level: int
    mark: yaml.Mark
    pairs: list[tuple[str, yaml.Node]] = field(default_factory=list)  # heading, number, text
    body: list[yaml.Node | _Part] = field(default_factory=list)
    numbered: int = 0  # children that take a number (headings and items), as compose counts them

    def next_label(self) -> str:
        self.numbered += 1
        return heading_label(min(self.level + 1, MAX_HEADING_LEVEL), self.numbered)


class _Draft:
    """One Markdown draft turned into YAML nodes marked at the draft's lines and columns."""

    def __init__(self, path: Path, text: str, limits: Limits) -> None:
        self.path, self.text, self.limits = path, text, limits
        self.line_starts = [0]
        self.line_starts += [index + 1 for index, char in enumerate(text) if char == "\n"]
        self.notes: list[str] = []
        self.front: list[tuple[yaml.Node, yaml.Node]] = []
        self.title: yaml.Node | None = None
        self.document = _Part(0, self._mark(0))
        self.stack = [self.document]
        self.preamble: list[yaml.Node] = []
        self.closing: list[yaml.Node] = []
        self.closing_mark: yaml.Mark | None = None

    # ------------------------------------------------------------ the whole draft

    def compose(self) -> yaml.MappingNode:
        try:
            tokens = _parser().parse(self.text)
        except _TooLong as error:
            raise SourceError(
                SourceLocation(self.path, error.line + 1, 1),
                error.message,
            ) from None
        index = 0
        while index < len(tokens):
            index = self._block(tokens, index)
        return self._root()

    def _root(self) -> yaml.MappingNode:
        origin = self._mark(0)
        title_keys = ("title", keys.DOCUMENT.chinese("title"))
        given = next((key for key, _value in self.front if key.value in title_keys), None)
        if self.title and given:
            raise SourceError(
                self._location(self.title.start_mark),
                _(
                    "the title is given twice: as '{key}:' in the front matter (line {line}) and as this '#' heading"
                ).format(key=given.value, line=given.start_mark.line + 1),
            )
        pairs = [(self._key("title", self.title), self.title)] if self.title else []
        pairs += self.front
        if self.preamble:
            pairs.append(self._list("preamble", self.preamble))
        sections = [self._section_node(part) for part in self.document.body if isinstance(part, _Part)]
        if sections:
            pairs.append(self._list("sections", sections))
        if self.closing:
            pairs.append(self._list("closing", self.closing))
        return yaml.MappingNode(_MAP, pairs, origin, origin)

    def _list(self, key: str, nodes: list[yaml.Node]) -> tuple[yaml.Node, yaml.Node]:
        mark = nodes[0].start_mark
        return GeneratedKey(_STR, key, mark, mark), yaml.SequenceNode(_SEQ, nodes, mark, nodes[-1].end_mark)

    def _key(self, key: str, value: yaml.Node) -> yaml.Node:
        return GeneratedKey(_STR, key, value.start_mark, value.start_mark)

    def _section_node(self, part: _Part) -> yaml.MappingNode:
        pairs = [(self._key(key, value), value) for key, value in part.pairs]
        if part.body:
            children = [self._section_node(child) if isinstance(child, _Part) else child for child in part.body]
            pairs.append(self._list("body", children))
        return yaml.MappingNode(_MAP, pairs, part.mark, part.mark)

    # ------------------------------------------------------------ blocks

    def _block(self, tokens: list[Token], index: int) -> int:
        """Read the block starting at ``tokens[index]``; returns the index after it."""
        token = tokens[index]
        kind = token.type
        if kind == "front_matter":
            self._front_matter(token)
        elif kind == "heading_open":
            self._heading(token, tokens[index + 1])
        elif kind == "paragraph_open":
            self._paragraph(tokens[index + 1])
        elif kind == "ordered_list_open":
            return self._ordered_list(tokens, index)
        elif kind == "bullet_list_open":
            return self._bullets(tokens, index)
        elif kind == "table_open":
            return self._table(tokens, index)
        elif kind == "blockquote_open":
            self._note(token, _("a quotation (>) is no part of a 公文; its paragraphs are kept as body text"))
        elif kind == "hr":
            self._start_closing(token)
        elif kind in ("fence", "code_block", "html_block"):
            self._verbatim(token)
        return index + 1

    def _front_matter(self, token: Token) -> None:
        """The front matter, composed by the loader at its own lines: the fence line blanked, not removed."""
        end = self.line_starts[token.map[1] - 1]
        opening = self.line_starts[1] - 1
        yaml_text = " " * opening + self.text[opening:end]
        root = compose_text(yaml_text, self.path, self.limits.max_nesting)
        if root is None:
            return
        if not isinstance(root, yaml.MappingNode):
            raise SourceError(
                self._location(root.start_mark), _("the front matter must be keys and values such as 'organ: …'")
            )
        self.front = list(root.value)

    def _heading(self, token: Token, inline: Token) -> None:
        level = int(token.tag[1:])
        if level == 1:
            if self.title is not None:
                raise self._error(token, _("a second '#' heading: the draft's title is its only '#' heading"))
            self.title = self._inline_text(inline)
            return
        if level - 1 > MAX_HEADING_LEVEL:
            raise self._error(
                token, _("'{markup}': headings go four levels deep, '##' to '#####'").format(markup=token.markup)
            )
        node = self._inline_text(inline)
        typed = _typed_label(node.value)
        self._add_heading(level - 1, typed, self._piece(node, len(typed)) if typed else node)

    def _add_heading(
        self, level: int, typed: str | None, heading: yaml.ScalarNode, text: yaml.Node | None = None
    ) -> None:
        part = self._push(level, heading.start_mark, typed)
        part.pairs.append(("heading", heading))
        if text is not None:
            part.pairs.append(("text", text))

    def _push(self, level: int, mark: yaml.Mark, typed: str | None) -> _Part:
        """A new heading (or item) of the draft's ``level`` under the nearest one above it; its typed label
        (or, where a level is skipped, its own level's) kept as ``number`` when compose would print another."""
        if self.closing_mark:
            opened = self.closing_mark.line + 1
            raise SourceError(
                self._location(mark), _("a heading after the closing (which opens on line {line})").format(line=opened)
            )
        while self.stack[-1].level >= level:
            self.stack.pop()
        parent = self.stack[-1]
        computed = parent.next_label()
        label = typed or (heading_label(level, parent.numbered) if level != parent.level + 1 else None)
        part = _Part(parent.level + 1, mark)
        if label and label != computed:
            part.pairs.append(("number", self._scalar(label, mark, mark)))
        parent.body.append(part)
        self.stack.append(part)
        return part

    def _paragraph(self, inline: Token) -> None:
        """A run-in heading (bold, or after a typed label), an item, or a paragraph."""
        if not self.closing_mark and self._numbered_paragraph(inline):
            return
        node = self._inline_text(inline)
        if node.value.startswith(_CLOSING_OPENERS) and not self.closing_mark:
            self.closing_mark = node.start_mark
        self._body(node)

    def _numbered_paragraph(self, inline: Token) -> bool:
        bold = self._bold_run_in(inline)
        if bold:
            heading, text = bold
            typed = _typed_label(heading.value)
            if typed:
                heading = self._piece(heading, len(typed))
            elif len(self.stack) == 1:
                return False  # in the preamble only a typed label makes a heading
            level = label_level(typed) if typed else self.stack[-1].level + 1
            self._add_heading(level or self.stack[-1].level + 1, typed, heading, text)
            return True
        children = _children(inline)
        typed = _typed_label(children[0].content) if children and children[0].type == "text" else None
        if not typed:
            return False
        node = self._inline_text(inline)
        level = label_level(typed) or self.stack[-1].level + 1
        rest = self._piece(node, len(typed))
        if not self._item(level, typed, rest):
            self._add_heading(level, typed, *self._sentence_run_in(rest))
        return True

    def _bold_run_in(self, inline: Token) -> tuple[yaml.ScalarNode, yaml.ScalarNode | None] | None:
        """``**加强领导。**正文…``: the bold heading sentence and the text after it; None for a bold phrase
        that is no sentence of its own (emphasis), or a paragraph that does not open in bold."""
        children = _children(inline)
        if not children or children[0].type != "strong_open":
            return None
        close = next(index for index, child in enumerate(children) if child.type == "strong_close")
        heading = self._inline_text(inline, children[1:close], report=False)
        after = children[close + 1 :]
        rest = "".join(child.content for child in after).strip()
        if rest and heading.value[-1] not in _SENTENCE_ENDS:
            return None
        heading = self._inline_text(inline, children[1:close])
        if not rest:
            return heading, None
        line = inline.map[0] + sum(child.type in ("softbreak", "hardbreak") for child in children[:close])
        return heading, self._inline_text(inline, after, line)

    def _sentence_run_in(self, node: yaml.ScalarNode) -> tuple[yaml.ScalarNode, yaml.ScalarNode | None]:
        """A heading typed as a label and text: run-in when text follows its first sentence."""
        end = RUN_IN_END.search(node.value)
        if not end or not node.value[end.end() :].strip():
            return node, None
        return self._piece(node, 0, end.end()), self._piece(node, end.end())

    def _item(self, level: int, typed: str | None, node: yaml.ScalarNode) -> bool:
        """``针对“……”的问题：一是……二是……`` under a heading: an item (numbered as a heading of ``level``)."""
        match = ITEM.match(node.value)
        if not match or len(self.stack) == 1:
            return False
        part = self._push(level, node.start_mark, typed)
        self.stack.pop()  # an item holds no headings
        lead = match.group(1)
        measures = node.value[match.start(3) :]  # ITEM's text ends at a line break; the measures do not
        part.pairs.append(("problem", self._piece(node, match.start(2), match.end(2))))
        if lead == "关于":
            part.pairs.append(("lead", self._piece(node, 0, len(lead))))
        if measures:
            texts = split_measures(measures)
            part.pairs.append(("measures", self._sequence([self._inexact(text, node) for text in texts])))
        return True

    def _ordered_list(self, tokens: list[Token], index: int) -> int:
        """Each entry a heading (or item) one level below the heading above it, numbered as the list types it."""
        depth = len(self.stack)
        index += 1
        while tokens[index].type == "list_item_open":
            entry = tokens[index]
            typed = f"{entry.info}." if entry.markup == "." else None
            index = self._list_entry(tokens, index + 1, typed)
            del self.stack[depth:]
        return index + 1  # past ordered_list_close

    def _list_entry(self, tokens: list[Token], index: int, typed: str | None) -> int:
        """An entry of an ordered list: its first paragraph the heading (or item), then its blocks."""
        level = self.stack[-1].level + 1
        if tokens[index].type == "paragraph_open":
            self._entry_heading(level, tokens[index + 1], typed)
            index += 3
        item = self._open_item()
        while tokens[index].type != "list_item_close":
            if item is not None and tokens[index].type == "bullet_list_open":
                nodes, index = self._bullet_texts(tokens, index)
                item.pairs.append(("measures", self._sequence(nodes)))
                item = None
            else:
                index = self._block(tokens, index)
        return index + 1

    def _entry_heading(self, level: int, inline: Token, typed: str | None) -> None:
        bold = self._bold_run_in(inline)
        if bold:
            self._add_heading(level, typed, *bold)
            return
        node = self._inline_text(inline)
        if not self._item(level, typed, node):
            self._add_heading(level, typed, *self._sentence_run_in(node))

    def _open_item(self) -> _Part | None:
        """The item just read, when its measures are still to come (a list under it)."""
        last = self.stack[-1].body[-1] if self.stack[-1].body else None
        keys = {key for key, _value in last.pairs} if isinstance(last, _Part) else set()
        return last if "problem" in keys and "measures" not in keys else None

    def _bullets(self, tokens: list[Token], index: int) -> int:
        self._note(tokens[index], _("a bulleted list is no part of a 公文; its entries are kept as paragraphs"))
        nodes, index = self._bullet_texts(tokens, index)
        for node in nodes:
            self._body(node)
        return index

    def _bullet_texts(self, tokens: list[Token], index: int) -> tuple[list[yaml.Node], int]:
        """The paragraphs of a bulleted list (nested ones included), and the index after it."""
        nodes, depth = [], 0
        while True:
            token = tokens[index]
            depth += token.nesting if token.type.endswith("_list_open") or token.type.endswith("_list_close") else 0
            if token.type == "inline":
                nodes.append(self._inline_text(token))
            elif token.type in ("table_open", "fence", "code_block", "html_block", "heading_open"):
                raise self._error(token, _("a list entry holds text only (no headings, tables or code)"))
            index += 1
            if depth == 0:
                return nodes, index

    def _table(self, tokens: list[Token], index: int) -> int:
        start = tokens[index]
        if len(self.stack) == 1:
            raise self._error(start, _("a table stands under a heading ('##' or a typed 一、), not before the first"))
        rows: list[list[yaml.Node]] = []
        while tokens[index].type != "table_close":
            token = tokens[index]
            if token.type == "tr_open":
                rows.append([])
            elif token.type == "inline":
                rows[-1].append(self._inline_text(token, allow_empty=True))
            index += 1
        mark, end = self._marks(start)
        header, *body = (yaml.SequenceNode(_SEQ, cells, mark, end) for cells in rows)
        table = yaml.MappingNode(
            _MAP,
            [
                (self._scalar("header", mark, mark), header),
                (self._scalar("rows", mark, mark), yaml.SequenceNode(_SEQ, body, mark, end)),
            ],
            mark,
            end,
        )
        self._body(yaml.MappingNode(_MAP, [(self._scalar("table", mark, mark), table)], mark, end))
        return index + 1

    def _start_closing(self, token: Token) -> None:
        if self.closing_mark:
            raise self._error(token, _("a second thematic break (---): one rule opens the closing, and only one"))
        self.closing_mark = self._marks(token)[0]

    def _verbatim(self, token: Token) -> None:
        what = _(_VERBATIM[token.type])
        self._note(
            token, _("{what} is no part of a 公文; its text is kept as a paragraph as written").format(what=what)
        )
        value = token.content.strip()
        if value:
            self._body(self._span(value, token.map[0], token.map[1]))

    def _body(self, node: yaml.Node) -> None:
        """A paragraph or table where the draft has reached: preamble, the open heading, or the closing."""
        if self.closing_mark:
            self.closing.append(node)
        elif len(self.stack) == 1:
            self.preamble.append(node)
        else:
            self.stack[-1].body.append(node)

    # ------------------------------------------------------------ text

    def _inline_text(
        self,
        inline: Token,
        children: list[Token] | None = None,
        line: int | None = None,
        report: bool = True,
        allow_empty: bool = False,
    ) -> yaml.ScalarNode:
        """The plain text of inline ``children`` (all of ``inline``'s by default), each piece of markup a
        公文 cannot hold reported on its line (``report``) and its text kept."""
        children = _children(inline) if children is None else children
        line = inline.map[0] if line is None else line
        pieces = []
        for child in children:
            if child.type in ("softbreak", "hardbreak"):
                pieces.append("\n")  # the loader joins lines: nothing between Chinese, a space between words
                line += 1
                continue
            what = _UNSUPPORTED.get(child.type)
            if what and report:
                self._inline_note(line, child, _(what))
            pieces.append(_alt(child) if child.type == "image" else child.content)
        value = "".join(pieces).strip()
        if not value and not allow_empty:
            raise self._error(inline, _("this heading or paragraph has no text"))
        return self._span(value, inline.map[0], inline.map[1])

    def _inline_note(self, line: int, child: Token, what: str) -> None:
        sought = _MARKUP.get(child.type) or child.markup or child.content
        found = self._line(line).find(sought) if sought else -1
        where = SourceLocation(self.path, line + 1, max(found, 0) + 1)
        target = child.attrs.get("href") or child.attrs.get("src")
        shown = f" ({target})" if target else ""
        note = _("{what}{shown} is no part of a 公文; kept as plain text").format(what=what, shown=shown)
        self.notes.append(f"{where}: {note}")

    def _span(self, value: str, first_line: int, end_line: int) -> yaml.ScalarNode:
        """``value`` as a scalar marked where it stands in lines ``first_line``–``end_line`` of the draft:
        exactly when the draft spells it there as it is (lint then points at its characters), else
        (markup inside, lines joined) with no extent at the block's first character."""
        start = self.line_starts[first_line]
        end = self.line_starts[end_line] if end_line < len(self.line_starts) else len(self.text)
        found = self.text.find(value, start, end) if value else -1
        if found < 0:
            line = self._line(first_line)
            at = self._mark(start + len(line) - len(line.lstrip()))
            return self._scalar(value, at, at)
        return self._scalar(value, self._mark(found), self._mark(found + len(value)))

    def _piece(self, node: yaml.ScalarNode, start: int, end: int | None = None) -> yaml.ScalarNode:
        """``node.value[start:end]`` without its surrounding spaces (a typed label or run-in heading cut off),
        marked exactly when ``node`` is."""
        value = node.value[start:end]
        stripped = value.strip()
        if not self._exact(node):
            return self._inexact(stripped, node)
        first = node.start_mark.index + start + len(value) - len(value.lstrip())
        return self._scalar(stripped, self._mark(first), self._mark(first + len(stripped)))

    def _exact(self, node: yaml.ScalarNode) -> bool:
        return bool(node.value) and self.text[node.start_mark.index : node.end_mark.index] == node.value

    def _inexact(self, value: str, node: yaml.Node) -> yaml.ScalarNode:
        """``value``, derived from ``node``'s text, marked at its start with no extent (lint reads nothing twice)."""
        return self._scalar(value, node.start_mark, node.start_mark)

    def _scalar(self, value: str, start: yaml.Mark, end: yaml.Mark) -> yaml.ScalarNode:
        return yaml.ScalarNode(_STR, value, start, end)

    def _sequence(self, nodes: list[yaml.Node]) -> yaml.SequenceNode:
        return yaml.SequenceNode(_SEQ, nodes, nodes[0].start_mark, nodes[0].start_mark)

    # ------------------------------------------------------------ places

    def _mark(self, index: int) -> yaml.Mark:
        line = bisect.bisect_right(self.line_starts, index) - 1
        return yaml.Mark(str(self.path), index, line, index - self.line_starts[line], None, None)

    def _marks(self, token: Token) -> tuple[yaml.Mark, yaml.Mark]:
        first, end = token.map
        start = self.line_starts[first]
        line = self._line(first)
        begin = self._mark(start + len(line) - len(line.lstrip()))
        return begin, self._mark(self.line_starts[end] if end < len(self.line_starts) else len(self.text))

    def _line(self, line: int) -> str:
        start = self.line_starts[line]
        end = self.line_starts[line + 1] - 1 if line + 1 < len(self.line_starts) else len(self.text)
        return self.text[start:end]

    def _location(self, mark: yaml.Mark) -> SourceLocation:
        return SourceLocation(self.path, mark.line + 1, mark.column + 1)

    def _error(self, token: Token, message: str) -> SourceError:
        return SourceError(self._location(self._marks(token)[0]), message)

    def _note(self, token: Token, message: str) -> None:
        self.notes.append(f"{self._location(self._marks(token)[0])}: {message}")


# Inline markup a 公文 cannot hold, by markdown-it token type: its text is kept, the markup reported.
_UNSUPPORTED = {
    "strong_open": N_("bold"),
    "em_open": N_("emphasis"),
    "link_open": N_("a link"),
    "image": N_("an image"),
    "code_inline": N_("code"),
    "html_inline": N_("inline HTML"),
}
# Blocks a 公文 cannot hold, whose text is kept as a paragraph.
_VERBATIM = {"fence": N_("a code block"), "code_block": N_("an indented code block"), "html_block": N_("HTML")}


# What opens a piece of inline markup in the draft where markdown-it keeps no markup of its own.
_MARKUP = {"link_open": "[", "image": "![", "html_inline": "<"}


def _children(inline: Token) -> list[Token]:
    """The inline tokens of a block, without the empty texts markdown-it leaves before a delimiter."""
    return [child for child in inline.children or [] if child.type != "text" or child.content]


def _alt(image: Token) -> str:
    return "".join(child.content for child in image.children or [])


def _typed_label(text: str) -> str | None:
    """The heading number ``text`` opens with (一、 （一） 1. （1）), when it is a number (一三、 is none)."""
    match = TYPED_LABEL.match(text)
    if not match:
        return None
    label = match.group().strip()
    digits = label.strip("（()）、.．")
    return label if digits.isdigit() or parse_chinese_numeral(digits) is not None else None
