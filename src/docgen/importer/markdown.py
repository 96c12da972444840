"""`docgen import draft.md`: a Markdown draft written out as the YAML source it stands for."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from docgen.i18n import _
from docgen.importer.text import ImportResult
from docgen.limits import DEFAULT_LIMITS, Limits
from docgen.source.loader import document_from_node
from docgen.source.markdown import compose_markdown


@dataclass
class MarkdownImport(ImportResult):
    """`docgen import draft.md`: the source dict the YAML reader reads to the draft's document."""

    def yaml_text(self, origin: str) -> str:
        return (
            f"# Converted by docgen from the Markdown draft {origin}.\n"
            "# Numbers (一、 （一） 1. 一是) are computed from the structure; a 'number' keeps one the\n"
            "# draft typed where it differs from the computed one.\n"
        ) + yaml.safe_dump(self.source, allow_unicode=True, sort_keys=False, width=10**9, indent=2)


def import_markdown(path: Path, limits: Limits = DEFAULT_LIMITS) -> MarkdownImport:
    """The draft as the YAML source it stands for: checked as a document first, so a draft that would
    not build fails here with its own file:line:column, not later in the YAML."""
    root, notes = compose_markdown(path, limits)
    document_from_node(root, path, limits)
    source = yaml.constructor.SafeConstructor().construct_document(root)
    return MarkdownImport(source, [_("note: {note}").format(note=note) for note in notes])
