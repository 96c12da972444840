"""YAML mistakes in plain words: what a person typed wrong, the line with a caret under it, and what to do.

PyYAML's errors speak of the parser ("mapping values are not allowed in this context", "did not find
expected key"). Here each usual cause is recognised from the error and the lines around it and told
as a writer of 公文 would put it: a half-width colon inside text, no space after a key's colon, a
full-width colon after a key, a tab, a line indented unlike its neighbours, a list item among keys,
a quote or a bracket never closed, … The location is the place to mend (the opening quote of a
text never closed, not the end of the file), and the parser's own words come last, for whoever
looks them up. The loader's own checks (text where a mapping was expected, an unknown, misplaced
or duplicate key, keys in two languages) give their :class:`Mistake` and the same excerpt.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import yaml

from docgen.errors import SourceError, SourceLocation
from docgen.i18n import N_, _
from docgen.limits import DEFAULT_LIMITS, Limits, read_limited
from docgen.source import keys

# Patterns, compiled (and kept by re) when first used: only a source in error needs them, and a
# Chinese character class takes milliseconds to compile.
_BREAK = r"\r\n|[\r\n\x85\u2028\u2029]"  # what YAML counts as a line break
_SHOWN_WIDTH = 72  # terminal columns of a source line an excerpt shows
_CUT = "..."  # where an excerpt cuts a long line: ASCII, as a terminal may give … one column or two
_KEY_NAME = r"[A-Za-z_][\w-]*|[\u4e00-\u9fff]+"
_LIST_DASHES = r"^[ ]*(?:-[ ]+)*"
_KEY_THEN_SPACE = rf"{_LIST_DASHES}({_KEY_NAME})[ ]*:(?:[ \t]|$)"  # title: …
_SQUEEZED_KEY = rf"{_LIST_DASHES}({_KEY_NAME}):(?=[^\s:/\\])"  # title:关于… (not a URL's ://)
_FULL_WIDTH_KEY = rf"{_LIST_DASHES}({_KEY_NAME})[ ]*："  # title：关于…
_LEADING_WORD = rf"{_LIST_DASHES}({_KEY_NAME})[ ]*$"
_FLOW_VALUE = rf"{_LIST_DASHES}(?:[^:]+:[ ]+)?[\[{{]"  # a value that begins with [ or {
_BLOCK_INDICATOR = r":[ ]+([|>])[-+0-9]*[ ]*(?:#.*)?$"
_CJK = r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]"
_CLOSING = {"[": "]", "{": "}"}
_RESERVED = "@`%&*"  # characters YAML does not let a plain text begin with
_SHOWN_KEY = 40  # characters of a key quoted in a message

N_NOT_YAML = N_("not valid YAML: {problem}")
N_GENERIC_HINT = N_(
    "look at this line and the one above it: a key ends with ': ', a list item begins with '- ', "
    "and lines of one level are indented alike"
)
N_DELETE_HINT = N_("delete it: text copied from Word or a web page can carry such characters")
N_COLON_HINT = N_("inside text write the full-width colon '：', or put the whole text in quotes")
N_QUOTE_HINT = N_(
    "end the text with the same quote, or write it without quotes; inside text use Chinese quotes “ ” ‘ ’"
)
N_QUOTE_IT = N_("put the whole text in quotes: '{char}…'")
N_CANNOT_BEGIN = N_("a text cannot begin with '{char}' in YAML")
N_DASH_SPACE = N_("a list item's dash is followed by a space: '- {rest}'")


@dataclass(frozen=True)
class Mistake:
    """What is wrong, where (``line``, ``column``: 0-based, in characters) and what to do. An empty
    ``problem`` leaves the message the loader's own; an empty ``hint`` gives the excerpt alone."""

    line: int
    column: int
    problem: str = ""
    hint: str = ""


# ---------------------------------------------------------------- the line, with a caret


def source_lines(text: str) -> list[str]:
    """``text`` split where YAML breaks lines, so that a mark's line number indexes it."""
    return re.split(_BREAK, text)


def lines_of(path: Path, limits: Limits = DEFAULT_LIMITS) -> list[str] | None:
    """The lines of the source at ``path``, for an excerpt; None when it is no readable UTF-8 text
    (a workbook whose cells the nodes came from, a file gone since it was read)."""
    try:
        _size, raw = read_limited(path, limits.max_source_bytes)
        return source_lines(raw.decode("utf-8-sig")) if raw is not None else None
    except (OSError, UnicodeDecodeError):
        return None


def excerpt(lines: Sequence[str], line: int, column: int) -> str:
    """Source line ``line`` (0-based) as a terminal shows it, numbered, with a caret under ``column``."""
    if not 0 <= line < len(lines):
        return ""
    pieces = [_shown(char) for char in lines[line]]
    column = min(column, len(pieces))
    start, end = _window(pieces, column)
    shown = "".join(text for text, _width in pieces[start:end])
    shown = (_CUT if start else "") + shown + (_CUT if end < len(pieces) else "")
    caret = (len(_CUT) if start else 0) + sum(width for _text, width in pieces[start:column])
    number = str(line + 1)
    return f"  {number} | {shown.rstrip()}\n  {' ' * len(number)} | {' ' * caret}^"


def _shown(char: str) -> tuple[str, int]:
    """A character as an excerpt prints it, and the columns it takes: what would not show, written out."""
    if char == "\t":
        return "\\t", 2
    if _invisible_char(char):
        code = f"<U+{ord(char):04X}>"
        return code, len(code)
    if unicodedata.category(char) in ("Mn", "Me"):
        return char, 0
    return char, 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def _invisible_char(char: str) -> bool:
    return (unicodedata.category(char) in ("Cc", "Cf", "Cs", "Co") and char != "\t") or char in "\ufffe\uffff"


def _window(pieces: list[tuple[str, int]], column: int) -> tuple[int, int]:
    """The characters of a long line an excerpt keeps: about a third of its width before ``column``."""
    if sum(width for _text, width in pieces) <= _SHOWN_WIDTH:
        return 0, len(pieces)
    start, room = column, _SHOWN_WIDTH // 3
    while start > 0 and pieces[start - 1][1] <= room:
        start -= 1
        room -= pieces[start][1]
    end, room = start, _SHOWN_WIDTH
    while end < len(pieces) and pieces[end][1] <= room:
        room -= pieces[end][1]
        end += 1
    return start, end


def explained(headline: str, mistake: Mistake | None, lines: Sequence[str] | None, words: str = "") -> str:
    """An error's message: ``headline``, the line with a caret, the hint, and the parser's ``words``."""
    parts = [headline]
    if mistake is not None and lines is not None and (shown := excerpt(lines, mistake.line, mistake.column)):
        parts.append(shown)
    if mistake is not None and mistake.hint:
        parts.append("  " + _("hint: {hint}").format(hint=mistake.hint))
    if words:
        parts.append("  " + _("(the YAML reader says: {words})").format(words=words))
    return "\n".join(parts)


# ---------------------------------------------------------------- syntax errors, from PyYAML's


def yaml_error(error: yaml.MarkedYAMLError | yaml.reader.ReaderError, text: str, path: Path) -> SourceError:
    """The SourceError for a YAML syntax error in ``text`` (read from ``path``): the usual cause in
    plain words at the place to mend, else the parser's words at its mark."""
    lines = source_lines(text)
    if isinstance(error, yaml.reader.ReaderError):
        mistake, words = _unreadable(error, text), ""
    else:
        words = _parser_words(error, text)
        mistake = _diagnosis(error, lines)
        if mistake is None:  # no usual cause: the parser's words are the problem
            line, column = _at(error.problem_mark or error.context_mark)
            mistake, words = Mistake(line, column, words, _(N_GENERIC_HINT)), ""
    headline = _(N_NOT_YAML).format(problem=mistake.problem)
    location = SourceLocation(path, mistake.line + 1, mistake.column + 1)
    return SourceError(location, explained(headline, mistake, lines, words))


def _parser_words(error: yaml.MarkedYAMLError, text: str) -> str:
    """libyaml's words for a syntax error, with the character it means when it names none."""
    problem = str(error.problem or error.context)
    mark = error.problem_mark
    if problem.startswith("found character that") and mark and mark.index < len(text):
        return problem.replace("character", f"character {text[mark.index]!r}", 1)
    return problem


def _unreadable(error: yaml.reader.ReaderError, text: str) -> Mistake:
    """A character YAML refuses to read at all; libyaml gives its place as a UTF-8 byte offset."""
    before = source_lines(text.encode("utf-8")[: error.position].decode("utf-8", "ignore"))
    problem = _("the control character U+{code:04X}, which no document can show").format(code=error.character)
    return Mistake(len(before) - 1, len(before[-1]), problem, _(N_DELETE_HINT))


def _diagnosis(error: yaml.MarkedYAMLError, lines: list[str]) -> Mistake | None:
    said = f"{error.problem}\n{error.context}"
    for words, diagnose in _DIAGNOSES:
        if words in said and (mistake := diagnose(error, lines)) is not None:
            return mistake
    return None


def _at(mark: yaml.Mark | None) -> tuple[int, int]:
    return (mark.line, mark.column) if mark else (0, 0)


def _line(lines: Sequence[str], number: int | None) -> str:
    return lines[number] if number is not None and 0 <= number < len(lines) else ""


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _previous_content(lines: Sequence[str], number: int) -> int | None:
    """The nearest line above ``number`` holding more than spaces or a comment."""
    for above in range(number - 1, -1, -1):
        stripped = lines[above].strip()
        if stripped and not stripped.startswith("#"):
            return above
    return None


def _is_key_name(name: str) -> bool:
    """A name a source's key may have: any ASCII word, or a Chinese key of some mapping."""
    return name.isascii() or bool(keys.places_of(name))


def _key_colon(lines: Sequence[str], line: int) -> Mistake | None:
    """A key on ``line`` written with a full-width colon or without the space after its colon, at that colon."""
    text = _line(lines, line)
    if (match := re.match(_FULL_WIDTH_KEY, text)) and _is_key_name(key := match.group(1)):
        problem = _("the key '{key}' is followed by the full-width colon '：'").format(key=key)
        hint = _("between a key and its value write the half-width colon and a space: '{key}: …'").format(key=key)
        return Mistake(line, text.index("：", match.end(1)), problem, hint)
    if (match := re.match(_SQUEEZED_KEY, text)) and _is_key_name(key := match.group(1)):
        problem = _("no space after the colon of '{key}:'").format(key=key)
        hint = _("a key's colon is followed by a space: '{key}: …'").format(key=key)
        return Mistake(line, match.end(1), problem, hint)
    return None


def _stray_colon(error: yaml.MarkedYAMLError, lines: list[str]) -> Mistake | None:
    """'mapping values are not allowed': a ': ' inside a text, or a line YAML reads as going on with
    the text above it (whose key lacks its colon's space, or which this line is indented under)."""
    line, column = _at(error.problem_mark)
    text = _line(lines, line)
    above = _previous_content(lines, line)
    if above is not None and not re.match(_KEY_THEN_SPACE, text[:column]):  # the first colon of its line
        if mistake := _key_colon(lines, above):
            return mistake
        word = re.match(_LEADING_WORD, text[:column])
        if word and _is_key_name(word.group(1)) and _indent(text) > _indent(lines[above]):
            key = re.match(_KEY_THEN_SPACE, lines[above])
            hint = _("keys of one mapping start in the same column: move this line left, under '{key}'")
            under = key.group(1) if key else lines[above].strip()
            return Mistake(line, column, _("this line is indented more than the line above it"), hint.format(key=under))
    return _colon_in_text(error, lines)


def _colon_in_text(error: yaml.MarkedYAMLError, lines: list[str]) -> Mistake | None:
    """A half-width colon inside a text (in a list in brackets, 'found unexpected ':'')."""
    line, column = _at(error.problem_mark)
    problem = _("a half-width colon ':' inside the text reads as a new 'key: value'")
    return Mistake(line, column, problem, _(N_COLON_HINT))


def _tab(error: yaml.MarkedYAMLError, lines: list[str]) -> Mistake | None:
    line, _column = _at(error.problem_mark)
    text = _line(lines, line)
    if "\t" not in text:
        return None
    hint = _("YAML indents with spaces only: replace the tab with spaces (two for each level)")
    return Mistake(line, text.index("\t"), _("a tab character"), hint)


def _first_character(error: yaml.MarkedYAMLError, lines: list[str]) -> Mistake | None:
    """A text beginning with a character YAML reserves (@ ` % & *), which must be quoted; or a tab."""
    scanning = error.context in ("while scanning an anchor", "while scanning an alias")  # the mark is past the & or *
    line, column = _at(error.context_mark if scanning else error.problem_mark)
    char = _line(lines, line)[column : column + 1]
    if char == "\t":
        return _tab(error, lines)
    if not char or char not in _RESERVED:
        return None
    return Mistake(line, column, _(N_CANNOT_BEGIN).format(char=char), _(N_QUOTE_IT).format(char=char))


def _directive(error: yaml.MarkedYAMLError, lines: list[str]) -> Mistake | None:
    """A line beginning with %, which YAML reads as a directive."""
    line, column = _at(error.context_mark)
    return Mistake(line, column, _(N_CANNOT_BEGIN).format(char="%"), _(N_QUOTE_IT).format(char="%"))


def _could_not_find_colon(error: yaml.MarkedYAMLError, lines: list[str]) -> Mistake | None:
    """'could not find expected ':'': a line YAML took for the start of a key."""
    line, _column = _at(error.context_mark)
    if mistake := _key_colon(lines, line):
        return mistake
    start = _indent(_line(lines, line))
    if block := re.search(_BLOCK_INDICATOR, _line(lines, _previous_content(lines, line))):
        problem = _("the lines of a '{indicator}' text must be indented under its key").format(indicator=block.group(1))
        return Mistake(line, start, problem, _("indent every line of the text by two more spaces than its key"))
    problem = _("this line is neither 'key: value' nor a list item '- …'")
    hint = _("a paragraph is a list item ('- …') under its key, or goes on with the text above, indented under it")
    return Mistake(line, start, problem, hint)


def _missing_key(error: yaml.MarkedYAMLError, lines: list[str]) -> Mistake | None:
    """'did not find expected key': an invisible character, text after a quoted or bracketed text, a
    line indented between two levels, a list item among a mapping's keys."""
    line, column = _at(error.problem_mark)
    for diagnose in (_invisible, _after_quote, _after_bracket):
        if mistake := diagnose(lines, line, column):
            return mistake
    text = _line(lines, line)
    outer = error.context_mark.column if error.context_mark else 0  # where the mapping's keys begin
    above = _previous_content(lines, line)
    if outer < column == _indent(text) and above is not None:
        problem = _("this line is indented by {this} spaces, which matches no level above it").format(this=column)
        hint = _(
            "indent lines of one level alike: by {inner} spaces like line {line}, "
            "or by {outer} like the keys of the level above"
        ).format(inner=_indent(lines[above]), line=above + 1, outer=outer)
        return Mistake(line, column, problem, hint)
    if text[column : column + 1] == "-":
        hint = _(
            "a list goes under its key, indented: the key alone on its line ('preamble:'), "
            "then '  - …' on the lines below"
        )
        return Mistake(line, column, _("a list item '- ' stands among the keys of a mapping"), hint)
    return None


def _invisible(lines: Sequence[str], line: int, column: int) -> Mistake | None:
    """A character no one sees (a byte-order mark, a zero-width space) up to ``column``."""
    for index, char in enumerate(_line(lines, line)[: column + 1]):
        if _invisible_char(char):
            problem = _("the invisible character U+{code:04X} {name}").format(
                code=ord(char), name=unicodedata.name(char, "")
            )
            return Mistake(line, index, problem.rstrip(), _(N_DELETE_HINT))
    return None


def _after_quote(lines: Sequence[str], line: int, column: int) -> Mistake | None:
    """Text going on after a quoted text's closing quote: a half-width quote inside the text, or a
    quote not closed on its own line (the same quote, lines further on, closed it)."""
    before = _line(lines, line)[:column].rstrip()
    if not before or before[-1] not in "\"'":
        return None
    quote = before[-1]
    opening = _opening_quote(lines, line, len(before) - 1, quote)
    if opening is None:
        return None
    if opening[0] == line:
        problem = _("the text goes on after its closing quote {quote}").format(quote=quote)
        hint = _(
            "a text that begins with a quote ends at the next one: inside text use Chinese quotes “ ” ‘ ’, "
            "or leave out the outer quotes"
        )
        return Mistake(line, column, problem, hint)
    problem = _("the quote {quote} opened here is not closed on its line (the next {quote} is on line {line})")
    return Mistake(*opening, problem.format(quote=quote, line=line + 1), _(N_QUOTE_HINT))


def _opening_quote(lines: Sequence[str], line: int, closing: int, quote: str) -> tuple[int, int] | None:
    """Where the quoted text that the ``quote`` at (``line``, ``closing``) closes began."""
    end = closing
    while line >= 0:
        start = lines[line].rfind(quote, 0, end)
        while start > 0 and quote == '"' and lines[line][start - 1] == "\\":  # \" goes on inside the text
            start = lines[line].rfind(quote, 0, start - 1)
        if start >= 0:
            return line, start
        line -= 1
        end = len(lines[line]) if line >= 0 else 0
    return None


def _after_bracket(lines: Sequence[str], line: int, column: int) -> Mistake | None:
    """A ] or } too many, or text after a bracketed one: a text beginning with [ or { is a list to YAML."""
    text = _line(lines, line)
    char = text[column : column + 1]
    if char in _CLOSING.values():
        problem = _("a closing {bracket} that no bracket opened").format(bracket=char)
        return Mistake(line, column, problem, _("remove it, or put the whole text in quotes"))
    if text[:column].rstrip().endswith(tuple(_CLOSING.values())) and (value := re.match(_FLOW_VALUE, text)):
        bracket = value.end() - 1
        problem = _("a text that begins with {bracket} reads as a list").format(bracket=text[bracket])
        hint = _("put the whole text in quotes, or use full-width brackets such as 〔〕 【】")
        return Mistake(line, bracket, problem, hint)
    return None


def _unclosed_quote(error: yaml.MarkedYAMLError, lines: list[str]) -> Mistake | None:
    """A quoted text that runs to the end of the file, or holds a backslash that starts no escape."""
    if "escape" in str(error.problem):
        line, column = _at(error.problem_mark)
        backslash = _line(lines, line).rfind("\\", 0, column + 1)
        problem = _("a backslash \\ inside double quotes starts an escape such as \\n")
        hint = _("write the text in single quotes, or double the backslash: \\\\")
        return Mistake(line, backslash if backslash >= 0 else column, problem, hint)
    line, column = _at(error.context_mark)
    quote = _line(lines, line)[column : column + 1]
    return Mistake(
        line, column, _("the quote {quote} opened here is never closed").format(quote=quote), _(N_QUOTE_HINT)
    )


def _unclosed_bracket(error: yaml.MarkedYAMLError, lines: list[str]) -> Mistake | None:
    line, column = _at(error.context_mark)
    bracket = _line(lines, line)[column : column + 1]
    if bracket not in _CLOSING:
        return None
    problem = _("the bracket {bracket} opened here is never closed").format(bracket=bracket)
    hint = _(
        "close it with {closing} on the same line, or write the items on lines of their own, each beginning with '- '"
    )
    return Mistake(line, column, problem, hint.format(closing=_CLOSING[bracket]))


def _key_at_list_column(error: yaml.MarkedYAMLError, lines: list[str]) -> Mistake | None:
    """'did not find expected '-' indicator': a key at the column of a list's dashes."""
    line, column = _at(error.problem_mark)
    item = re.match(_LIST_DASHES, _line(lines, _previous_content(lines, line)))
    more = max((item.end() if item else 0) - column, 2)  # to the column of the item's first key
    problem = _("this line stands at the column of the list's '- ' but does not begin with '- '")
    hint = _("to belong to the item above, indent it by {more} more spaces; to start a new item, begin it with '- '")
    return Mistake(line, column, problem, hint.format(more=more))


def _list_on_key_line(error: yaml.MarkedYAMLError, lines: list[str]) -> Mistake | None:
    line, column = _at(error.problem_mark)
    key = _line(lines, line)[:column].strip().rstrip(":").lstrip("- ")
    hint = _("begin the list on the next line: '{key}:' alone, then '  - …' on the lines below").format(key=key)
    return Mistake(line, column, _("a list item '- ' on the same line as its key"), hint)


def _second_document(error: yaml.MarkedYAMLError, lines: list[str]) -> Mistake | None:
    """A '---' line (or '...') inside the source: YAML ends the document there."""
    line, _column = _at(error.problem_mark)
    for number in (line, _previous_content(lines, line)):
        marker = _line(lines, number).strip()[:3]
        if number is not None and marker in ("---", "..."):
            problem = _("a line '{marker}' ends the document and starts another").format(marker=marker)
            return Mistake(number, 0, problem, _("a source holds one document: remove this line"))
    return None


Diagnose = Callable[[yaml.MarkedYAMLError, list[str]], Mistake | None]
# What the parser says (in its problem or its context) → the diagnosis, tried in this order.
_DIAGNOSES: tuple[tuple[str, Diagnose], ...] = (
    ("tab character", _tab),
    ("mapping values are not allowed", _stray_colon),
    ("found unexpected ':'", _colon_in_text),
    ("found character that cannot start", _first_character),
    ("while scanning an anchor", _first_character),
    ("while scanning an alias", _first_character),
    ("found undefined alias", _first_character),
    ("while scanning a directive", _directive),
    ("quoted scalar", _unclosed_quote),
    ("did not find expected ','", _unclosed_bracket),
    ("could not find expected ':'", _could_not_find_colon),
    ("did not find expected key", _missing_key),
    ("did not find expected '-' indicator", _key_at_list_column),
    ("block sequence entries are not allowed", _list_on_key_line),
    ("document", _second_document),
)


# ---------------------------------------------------------------- what the loader finds in the nodes


def text_made_mapping(node: yaml.Node) -> Mistake | None:
    """A text the half-width colon after its first words made a one-pair mapping
    (``- 现将有关事项请示如下: 一是…``), at that colon."""
    if not (isinstance(node, yaml.MappingNode) and len(node.value) == 1):
        return None
    key = node.value[0][0]
    if isinstance(key, yaml.ScalarNode) and not key.style and _looks_like_text(key.value):
        return colon_after(key)
    return None


def colon_after(key: yaml.ScalarNode) -> Mistake:
    problem = _("the half-width colon ':' after '{text}' makes this text a 'key: value'").format(text=_short(key.value))
    return Mistake(key.end_mark.line, key.end_mark.column, problem, _(N_COLON_HINT))


def _looks_like_text(value: str) -> bool:
    """Words of a text rather than a key: Chinese that names no key, or words with spaces between."""
    return (bool(re.search(_CJK, value)) and not keys.places_of(value)) or " " in value.strip()


def _short(text: str, length: int = 12) -> str:
    return text if len(text) <= length else f"{text[:length]}…"


def scalar_for_mapping(node: yaml.Node, lines: Sequence[str] | None) -> Mistake | None:
    """A text where a mapping was expected, because its keys' colons are full-width or lack their space."""
    if not isinstance(node, yaml.ScalarNode) or node.style or lines is None:
        return None
    first = node.start_mark
    blanked = [
        *lines[: first.line],
        " " * first.column + _line(lines, first.line)[first.column :],
        *lines[first.line + 1 :],
    ]
    for line in range(first.line, min(node.end_mark.line + 1, len(lines))):
        if mistake := _key_colon(blanked, line):
            return mistake
    return None


def list_for_mapping(node: yaml.Node, what: str) -> Mistake | None:
    """A list of one-key mappings where a mapping was expected: its keys written as list items."""
    if not (isinstance(node, yaml.SequenceNode) and node.value and isinstance(node.value[0], yaml.MappingNode)):
        return None
    hint = _("{what} holds keys, not list items: remove the '- ' before its keys").format(what=what)
    return Mistake(node.start_mark.line, node.start_mark.column, hint=hint)


def mapping_for_list(node: yaml.Node) -> Mistake | None:
    """A mapping where a list was expected: items without their '- ', or a dash without its space."""
    if not isinstance(node, yaml.MappingNode) or not node.value:
        return None
    key = node.value[0][0]
    if isinstance(key, yaml.ScalarNode) and key.value.startswith("-") and len(key.value) > 1:
        hint = _(N_DASH_SPACE).format(rest=_short(key.value[1:], _SHOWN_KEY))
        return Mistake(key.start_mark.line, key.start_mark.column, hint=hint)
    hint = _("begin each item of the list with '- ' on a line of its own")
    return Mistake(node.start_mark.line, node.start_mark.column, hint=hint)


def duplicate_key(key: yaml.ScalarNode) -> Mistake:
    hint = _("give each key once in a mapping: merge the two values, or remove one")
    return Mistake(key.start_mark.line, key.start_mark.column, hint=hint)


# ---------------------------------------------------------------- keys not allowed where they stand


def unknown_key(
    key_node: yaml.ScalarNode, value: yaml.Node, what: str, allowed: Sequence[str], language: str | None
) -> tuple[str, Mistake]:
    """The message for a key not allowed in ``what`` and the mistake behind it: a full-width space or a
    dash before a key, a misspelling (answered only with a key allowed here whose value fits
    ``value``), a key of another mapping, a text its colon made a key. Keys are named in ``language``,
    the source's (None: not known yet, the key's own)."""
    key = key_node.value
    language = language or (keys.CHINESE if re.search(_CJK, key) else keys.ENGLISH)
    named = allowed.named(language) if isinstance(allowed, keys.KeyTable) else tuple(allowed)
    at = Mistake(key_node.start_mark.line, key_node.start_mark.column)
    shown = {"key": _short(key, _SHOWN_KEY), "what": what, "keys": ", ".join(named)}
    unknown = _("unknown key '{key}' in {what}").format(**shown)
    if (stripped := key.strip(" \u3000\t")) != key and stripped in named:
        hint = _("'{key}' begins with a full-width space: indent with half-width spaces")
        return unknown, replace(at, hint=hint.format(key=stripped))
    if key.startswith("-") and key[1:].strip() in named:
        hint = _("a key has no '-' before it; a list item's '-' is followed by a space: '- {rest}'")
        return unknown, replace(at, hint=hint.format(rest=key[1:].strip()))
    if (close := _close_key(key, value, allowed, named)) is not None:
        message = _("unknown key '{key}' in {what}; did you mean '{suggestion}'? (expected one of: {keys})")
        return message.format(suggestion=close, **shown), at
    if (elsewhere := _key_elsewhere(key, language)) is not None:
        return unknown, replace(at, hint=elsewhere)
    if not key_node.style and _looks_like_text(key):
        mistake = colon_after(key_node)
        return mistake.problem, mistake
    return _("unknown key '{key}' in {what} (expected one of: {keys})").format(**shown), at


def _close_key(key: str, value: yaml.Node, allowed: Sequence[str], named: tuple[str, ...]) -> str | None:
    """The key allowed here that ``key`` most likely misspells, among those whose value ``value`` fits."""
    if len(key) > 2 * max(len(name) for name in named):  # a misspelling is about as long; difflib is quadratic
        return None
    cutoff = 0.5 if re.search(_CJK, key) else 0.6  # a Chinese key has few characters: one wrong of four is 0.75
    fitting = (
        name for name in difflib.get_close_matches(key, named, n=3, cutoff=cutoff) if _fits(allowed, named, name, value)
    )
    return next(fitting, None)


def _fits(allowed: Sequence[str], named: tuple[str, ...], name: str, value: yaml.Node) -> bool:
    if not isinstance(allowed, keys.KeyTable) or (isinstance(value, yaml.ScalarNode) and value.tag.endswith(":null")):
        return True
    holds = allowed.keys[allowed[named.index(name)]].holds
    if isinstance(value, yaml.MappingNode):
        return "mapping" in holds
    return ("list" if isinstance(value, yaml.SequenceNode) else "text") in holds


def _key_elsewhere(key: str, language: str) -> str | None:
    """The hint for a key (or a near misspelling of one) of another mapping: ``urgency`` at the top,
    which goes under ``header``."""
    found = keys.places_of(key)
    if not found and len(key) <= _SHOWN_KEY:
        every = [name for table in keys.TABLES.values() for name in table.named(language)]
        cutoff = 0.6 if re.search(_CJK, key) else 0.75  # farther than a misspelling of a key allowed here
        close = difflib.get_close_matches(key, every, n=1, cutoff=cutoff)
        key, found = (close[0], keys.places_of(close[0])) if close else (key, [])
    parents = dict.fromkeys(name for table, _english in found for name in _parent_keys(table, language))
    if not parents:
        return None
    hint = _("'{key}' is a key of the mapping under {parents}: write it there")
    return hint.format(key=key, parents=" / ".join(f"'{parent}'" for parent in parents))


def _parent_keys(table: keys.KeyTable, language: str) -> list[str]:
    """The keys whose value is a ``table`` mapping (or a list of them), as ``language`` names them."""
    in_bodies = table in (block for block, _marker in keys.BLOCKS)
    return [
        english if language == keys.ENGLISH else key.chinese
        for parent in keys.TABLES.values()
        for english, key in parent.keys.items()
        if key.inner == table.name or (key.inner == "block" and in_bodies)
    ]


def mixed_keys(
    key_node: yaml.ScalarNode, english: str, table: keys.KeyTable, first: yaml.ScalarNode, language: str
) -> str:
    """The message for a key named in the other language than ``first``, the source's first key."""
    if language == keys.CHINESE:
        message = _(
            "'{key}' is an English key, but this source names its keys in Chinese "
            "(first '{first}' on line {line}): write '{other}'"
        )
        other = table.chinese(english)
    else:
        message = _(
            "'{key}' is a Chinese key, but this source names its keys in English "
            "(first '{first}' on line {line}): write '{other}'"
        )
        other = english
    return message.format(key=key_node.value, first=first.value, line=first.start_mark.line + 1, other=other)
