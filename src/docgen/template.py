"""A source template filled from one data row: Jinja2 in its sandbox, value by value.

Only the text values of the YAML are templates, rendered after the YAML is parsed, so a row
can never change the structure of the document (a value with ': ' or a newline stays text).
The sandbox refuses access to Python internals; there is no loader, so no file access.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml
from jinja2 import StrictUndefined, TemplateError
from jinja2.sandbox import SandboxedEnvironment

from docgen.errors import SourceError, SourceLocation
from docgen.limits import DEFAULT_LIMITS, Limits
from docgen.loader import compose_source, document_from_node
from docgen.model import Document

_STR = "tag:yaml.org,2002:str"


@cache
def _environment() -> SandboxedEnvironment:
    return SandboxedEnvironment(undefined=StrictUndefined, autoescape=False)


@cache
def _template(path: Path, limits: Limits) -> yaml.Node:
    return compose_source(path, limits)


def render_template(path: Path, row: dict[str, str], label: str, limits: Limits = DEFAULT_LIMITS) -> Document:
    """The document ``path`` describes with ``row`` filled in; errors name the template line and the row."""
    root = _fill(_template(path, limits), row, path, label, set())
    return document_from_node(root, path, limits)


def _fill(node: yaml.Node, row: dict[str, str], path: Path, label: str, seen: set[int]) -> yaml.Node:
    if id(node) in seen:  # an alias: copying it would multiply the template (alias bombs)
        raise SourceError(_where(path, node), "YAML anchors and aliases (&name / *name) are not supported")
    seen.add(id(node))
    if isinstance(node, yaml.MappingNode):
        pairs = [(key, _fill(value, row, path, label, seen)) for key, value in node.value]
        return yaml.MappingNode(node.tag, pairs, node.start_mark, node.end_mark, node.flow_style)
    if isinstance(node, yaml.SequenceNode):
        items = [_fill(item, row, path, label, seen) for item in node.value]
        return yaml.SequenceNode(node.tag, items, node.start_mark, node.end_mark, node.flow_style)
    if node.tag != _STR or ("{{" not in node.value and "{%" not in node.value):
        return node
    try:
        value = _environment().from_string(node.value).render(row)
    except TemplateError as error:
        raise SourceError(_where(path, node), f"{label}: template: {error}") from None
    return yaml.ScalarNode(_STR, value, node.start_mark, node.end_mark, node.style)


def _where(path: Path, node: yaml.Node) -> SourceLocation:
    return SourceLocation(path, node.start_mark.line + 1, node.start_mark.column + 1)
