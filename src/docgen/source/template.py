"""A source template filled from one data row: Jinja2 in its sandbox, value by value.

Only the text values of the YAML are templates, rendered after the YAML is parsed, so a row
can never change the structure of the document (a value with ': ' or a newline stays text).
The sandbox refuses access to Python internals and changes to lists and mappings; there is
no loader, so no file access. It also bounds the work a row may cost (a template is as
untrusted as a source): loop turns and calls, the size of every value made and of all of
them together, the text written, and the time; an operation that would make a value larger
than a value may be (``center(10**9)``, ``'%*d' % (10**9, 1)``) is refused before it runs.
"""

from __future__ import annotations

import functools
import re
import string
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from functools import cache
from pathlib import Path
from types import CodeType
from typing import Any

import yaml
from jinja2 import StrictUndefined, TemplateError, TemplateSyntaxError, nodes
from jinja2.exceptions import SecurityError
from jinja2.sandbox import ImmutableSandboxedEnvironment
from jinja2.utils import Namespace

from docgen.errors import SourceError, SourceLocation
from docgen.i18n import _
from docgen.limits import DEFAULT_LIMITS, Limits
from docgen.model import Document
from docgen.source.loader import compose_source, document_from_node

_STR = "tag:yaml.org,2002:str"
MAX_STEPS = 100_000  # loop turns and calls in one row's values
MAX_VALUE_CHARS = 1_000_000  # one value a template makes (characters, or items of a list)
MAX_WORK_CHARS = 50_000_000  # all the values a row's templates make together
MAX_SECONDS = 5.0  # one row's values
MAX_INT_DIGITS = 1_000
_LOOP = "_docgen_loop"  # the filter every {% for %} iterates through, to count its turns
_CHECKED = "_docgen_checked"  # the filter every {% set %} value passes, to bound what is kept
# Blocks that collect their output out of sight before it is written: nothing a text value needs.
_UNSUPPORTED = {
    nodes.Macro: "{% macro %}",
    nodes.CallBlock: "{% call %}",
    nodes.FilterBlock: "{% filter %}",
    nodes.AssignBlock: "{% set %}…{% endset %}",
    nodes.Block: "{% block %}",
}
_PRINTF_FIELD = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(\*|\d+)?(?:\.(\*|\d*))?")


class TemplateBudgetError(SecurityError):
    """A template asked for more work than a row may cost."""


class BoundedEnvironment(ImmutableSandboxedEnvironment):
    """The sandbox with a budget: one environment fills one row's values, and shares the budget among them."""

    intercepted_binops = frozenset({"*", "**", "%", "+"})

    def __init__(self, max_output_chars: int) -> None:
        super().__init__(undefined=StrictUndefined, autoescape=False, finalize=self._finalize)
        self.globals["range"] = self._range
        del self.globals["lipsum"]  # paragraphs of filler text on request: nothing a document needs
        self.filters = {name: self._bounded_filter(name, function) for name, function in self.filters.items()}
        self.filters[_LOOP] = self._loop
        self.filters[_CHECKED] = self._checked
        self.max_output_chars = max_output_chars
        self.steps = 0
        self.work = 0
        self.output = 0
        self.deadline = time.monotonic() + MAX_SECONDS

    def fill(self, text: str, row: Mapping[str, str]) -> str:
        parts = []
        template = self.template_class.from_code(self, _code(text, self.max_output_chars), self.make_globals(None))
        for chunk in template.generate(row):
            self.output += len(chunk)
            if self.output > self.max_output_chars:
                raise TemplateBudgetError(
                    _(
                        "the row's values would be more than {limit:,} characters, "
                        "the limit for a source (--max-source-mb)"
                    ).format(limit=self.max_output_chars)
                )
            parts.append(chunk)
        return "".join(parts)

    # ------------------------------------------------------------ the budget

    def _step(self) -> None:
        self.steps += 1
        if self.steps > MAX_STEPS:
            raise TemplateBudgetError(_("more than {limit:,} loop turns and calls for one row").format(limit=MAX_STEPS))
        if time.monotonic() > self.deadline:
            raise TemplateBudgetError(
                _("filling one row took more than {seconds:g} seconds").format(seconds=MAX_SECONDS)
            )

    def _checked(self, value: Any) -> Any:
        """``value``, once it is known to be no larger than a value may be; its size goes to the work done."""
        size = _size(value, MAX_VALUE_CHARS)
        if size > MAX_VALUE_CHARS:
            raise TemplateBudgetError(
                _("a value of more than {limit:,} characters or items").format(limit=MAX_VALUE_CHARS)
            )
        self.work += size
        if self.work > MAX_WORK_CHARS:
            raise TemplateBudgetError(
                _("the row's values together are more than {limit:,} characters").format(limit=MAX_WORK_CHARS)
            )
        return value

    def _expect(self, size: int, what: str) -> None:
        """Refuse an operation that would make ``size`` characters or more; reckoning it was work too."""
        if size > MAX_VALUE_CHARS:
            raise TemplateBudgetError(
                _("{what} would make about {size:,} characters; a value has {limit:,}").format(
                    what=what, size=size, limit=MAX_VALUE_CHARS
                )
            )
        self.work += size

    def _finalize(self, value: Any) -> Any:
        if isinstance(value, Namespace):  # written out, it is all it holds: made unchecked, of any size
            raise SecurityError(_("a namespace() cannot be written into a document, only the values it holds"))
        self._step()
        return self._checked(value)

    def _loop(self, iterable: Iterable[Any]) -> Iterator[Any]:
        for item in iterable:
            self._step()
            yield self._checked(item)

    def _range(self, *args: int) -> range:
        numbers = range(*args)
        if numbers[MAX_STEPS:]:  # not len(): a range of 10**30 numbers has no length Python can give
            raise TemplateBudgetError(
                _("range() of more than {limit:,} numbers; a row may loop {limit:,} times").format(limit=MAX_STEPS)
            )
        return numbers

    # ------------------------------------------------------------ what the sandbox intercepts

    def call(self, context: Any, obj: Any, /, *args: Any, **kwargs: Any) -> Any:
        self._step()
        method = getattr(obj, "__wrapped__", obj)  # str.format comes wrapped by the sandbox
        receiver = getattr(method, "__self__", None)
        if isinstance(receiver, str):
            name = getattr(method, "__name__", "")
            self._expect(_expected_size(f"str.{name}", receiver, args, kwargs), f"str.{name}()")
        return self._checked(super().call(context, obj, *args, **kwargs))

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        self._step()
        self._expect(_binop_size(operator, left, right), _("the operator {operator}").format(operator=operator))
        return self._checked(super().call_binop(context, operator, left, right))

    def _bounded_filter(self, name: str, function: Callable[..., Any]) -> Callable[..., Any]:
        skip = 1 if getattr(function, "jinja_pass_arg", None) else 0  # the context or environment comes first

        @functools.wraps(function)
        def bounded(*args: Any, **kwargs: Any) -> Any:
            self._step()
            value, rest = (args[skip], args[skip + 1 :]) if len(args) > skip else (None, ())
            self._expect(_expected_size(name, value, rest, kwargs), _("the filter {name}").format(name=name))
            return self._checked(function(*args, **kwargs))

        return bounded


@functools.lru_cache(maxsize=256)
def _code(text: str, max_output_chars: int) -> CodeType:
    """``text`` compiled, once for every row of a batch (compiling took longer than filling). Compiled
    in an environment of its own: constants folded at compile time spend its budget, under the same limit."""
    environment = BoundedEnvironment(max_output_chars)
    return environment.compile(_bounded_tree(environment.parse(text)))


def _bounded_tree(tree: nodes.Template) -> nodes.Template:
    """``tree`` with every loop counted and every value kept by {% set %}/{% with %} checked."""
    unsupported = next(tree.find_all(tuple(_UNSUPPORTED)), None)
    if unsupported:
        what = _UNSUPPORTED[type(unsupported)]
        raise TemplateSyntaxError(
            _("{what} is not supported in docgen templates").format(what=what), unsupported.lineno
        )
    for loop in list(tree.find_all(nodes.For)):
        if loop.recursive:
            raise TemplateSyntaxError(_("recursive loops are not supported in docgen templates"), loop.lineno)
        loop.iter = _through(_LOOP, loop.iter)
    for assign in list(tree.find_all(nodes.Assign)):
        assign.node = _through(_CHECKED, assign.node)
    for scope in list(tree.find_all(nodes.With)):
        scope.values = [_through(_CHECKED, value) for value in scope.values]
    return tree


def _through(filter_name: str, node: nodes.Expr) -> nodes.Filter:
    return nodes.Filter(node, filter_name, [], [], None, None, lineno=node.lineno)


# ---------------------------------------------------------------- sizes


def _size(value: Any, cap: int) -> int:
    """The characters (or items) ``value`` holds, counting a shared part as often as it is
    shared (as writing it out would), up to a little over ``cap``."""
    if isinstance(value, str | bytes | range):
        return len(value)
    if isinstance(value, bool) or not isinstance(value, int):
        return _container_size(value, cap) if isinstance(value, list | tuple | set | frozenset | dict) else 1
    digits = value.bit_length() * 3 // 10 + 1
    if digits > MAX_INT_DIGITS:
        raise TemplateBudgetError(_("a number of more than {limit:,} digits").format(limit=MAX_INT_DIGITS))
    return digits


def _container_size(value: Any, cap: int) -> int:
    total = 1
    for item in value.items() if isinstance(value, dict) else value:
        total += _size(item, cap - total) + 1
        if total > cap:  # also ends a list that holds itself
            break
    return total


def _number(args: tuple[Any, ...], kwargs: Mapping[str, Any], index: int, name: str, default: int = 0) -> int:
    """Argument ``index`` (or ``name``) as the count it asks for: a number, or a text's length."""
    value = args[index] if len(args) > index else kwargs.get(name, default)
    if isinstance(value, str):
        return len(value)
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


_GROWING = frozenset({
    "center", "ljust", "rjust", "zfill", "expandtabs", "tojson", "indent", "replace", "wordwrap", "batch",
    "slice", "join", "translate", "format", "format_map",
})  # fmt: skip


def _expected_size(name: str, value: Any, args: tuple[Any, ...], kwargs: Mapping[str, Any]) -> int:
    """At most the size of what filter ``name`` (or method ``str.name``) makes of ``value``, for those
    that can make much more than they are given; 0 for the others (their results are checked after)."""
    if name == "str.join":  # the text is the separator
        return _joined_size(args[0] if args else (), value)
    if name == "join":
        return _joined_size(value, args[0] if args else kwargs.get("d", ""))
    name = name.removeprefix("str.")
    if name not in _GROWING:
        return 0
    size = _size(value, MAX_VALUE_CHARS)
    if name in ("center", "ljust", "rjust", "zfill"):
        return max(size, _number(args, kwargs, 0, "width"))
    if name == "expandtabs":
        return size * (1 + _number(args, kwargs, 0, "tabsize", 8))
    if name == "tojson":
        return size * (1 + _number(args, kwargs, 0, "indent"))
    if name == "indent":
        lines = value.count("\n") + 1 if isinstance(value, str) else size
        return size + lines * _number(args, kwargs, 0, "width", 4)
    if name == "replace":
        return size + (size + 1) * _number(args, kwargs, 1, "new")
    if name == "wordwrap":
        return size * (1 + _number(args, kwargs, 2, "wrapstring", 1))
    if name in ("batch", "slice"):
        return size + _number(args, kwargs, 0, "linecount" if name == "batch" else "slices")
    if name == "translate":
        table = args[0] if args and isinstance(args[0], Mapping) else {}
        return size * max((len(text) for text in table.values() if isinstance(text, str)), default=1)
    return _format_size(value, args, kwargs)


def _joined_size(items: Any, separator: Any) -> int:
    if not isinstance(items, list | tuple | set | frozenset | dict | str):
        return 0  # a generator: each item it yields was checked when it was made
    return _size(items, MAX_VALUE_CHARS) + len(items) * _size(separator, MAX_VALUE_CHARS)


def _binop_size(operator: str, left: Any, right: Any) -> int:
    numbers = [side for side in (left, right) if isinstance(side, int) and not isinstance(side, bool)]
    if operator == "*" and len(numbers) == 1:  # a text or list repeated
        other = right if numbers[0] is left else left
        return _size(other, MAX_VALUE_CHARS) * max(numbers[0], 0)
    if operator == "*" and len(numbers) == 2:
        return _size(left, MAX_VALUE_CHARS) + _size(right, MAX_VALUE_CHARS)
    if operator == "**" and len(numbers) == 2:
        return _size(left, MAX_VALUE_CHARS) * max(right, 1)
    if operator == "%" and isinstance(left, str):
        return _format_size(left, right if isinstance(right, tuple) else (right,), {})
    return 0


def _format_size(template: Any, args: tuple[Any, ...], kwargs: Mapping[str, Any]) -> int:
    """At most what formatting ``template`` with ``args`` makes: its text, the arguments, and
    every width and precision it asks for. A width taken from an argument is refused."""
    if not isinstance(template, str):
        return 0
    widths = []
    if "{" in template:  # str.format
        for _text, _name, spec, _conversion in string.Formatter().parse(template):
            if spec and "{" in spec:
                raise TemplateBudgetError(
                    _("a width taken from an argument ('{{:{spec}}}') is not supported").format(spec=spec)
                )
            widths += [int(number) for number in re.findall(r"\d+", spec or "")]
    for field in _PRINTF_FIELD.finditer(template):  # printf-style: %5d, %-*s, %.3f
        if "*" in field.group():
            raise TemplateBudgetError(
                _("a width taken from an argument ('{field}') is not supported").format(field=field.group())
            )
        widths += [int(number) for number in field.groups() if number]
    return len(template) + sum(widths) + sum(_size(arg, MAX_VALUE_CHARS) for arg in (*args, *kwargs.values()))


# ---------------------------------------------------------------- filling a template


@cache
def _template(path: Path, limits: Limits) -> yaml.Node:
    return compose_source(path, limits)


def render_template(path: Path, row: dict[str, str], label: str, limits: Limits = DEFAULT_LIMITS) -> Document:
    """The document ``path`` describes with ``row`` filled in; errors name the template line and the row."""
    environment = BoundedEnvironment(limits.max_source_bytes)  # a filled template is a source: its limit
    root = _fill(_template(path, limits), row, path, label, set(), environment)
    return document_from_node(root, path, limits)


def _fill(
    node: yaml.Node, row: dict[str, str], path: Path, label: str, seen: set[int], environment: BoundedEnvironment
) -> yaml.Node:
    if id(node) in seen:  # an alias: copying it would multiply the template (alias bombs)
        raise SourceError(_where(path, node), _("YAML anchors and aliases (&name / *name) are not supported"))
    seen.add(id(node))
    if isinstance(node, yaml.MappingNode):
        pairs = [(key, _fill(value, row, path, label, seen, environment)) for key, value in node.value]
        return yaml.MappingNode(node.tag, pairs, node.start_mark, node.end_mark, node.flow_style)
    if isinstance(node, yaml.SequenceNode):
        items = [_fill(item, row, path, label, seen, environment) for item in node.value]
        return yaml.SequenceNode(node.tag, items, node.start_mark, node.end_mark, node.flow_style)
    if node.tag != _STR or ("{{" not in node.value and "{%" not in node.value):
        return node
    try:
        value = environment.fill(node.value, row)
    except TemplateSyntaxError as error:  # its str() adds the line of the value on a line of its own
        raise SourceError(_where(path, node), _in_template(label, error.message)) from None
    except TemplateError as error:
        raise SourceError(_where(path, node), _in_template(label, str(error))) from None
    except Exception as error:  # the template's own code failed (1/0, 'a' - 1): its fault, not docgen's
        raise SourceError(_where(path, node), _in_template(label, f"{type(error).__name__}: {error}")) from None
    return yaml.ScalarNode(_STR, value, node.start_mark, node.end_mark, node.style)


def _in_template(label: str, message: str) -> str:
    return _("{label}: template: {message}").format(label=label, message=message)


def _where(path: Path, node: yaml.Node) -> SourceLocation:
    return SourceLocation(path, node.start_mark.line + 1, node.start_mark.column + 1)
