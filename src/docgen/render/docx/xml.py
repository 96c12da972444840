"""The small WordprocessingML helpers every part of the DOCX writer uses."""

from __future__ import annotations

from functools import cache

from docx.oxml.ns import qn
from lxml import etree

from docgen.units import pt_to_twips


def sub(parent: etree._Element, tag: str, **attributes: str) -> etree._Element:
    """Append ``<w:tag w:key=value …>`` to ``parent``: an element of the parent's document, so of
    python-docx's classes in python-docx's tree (made in place: a DOCX makes thousands)."""
    return etree.SubElement(parent, _clark(tag), {_clark(f"w:{key}"): value for key, value in attributes.items()})


@cache
def _clark(name: str) -> str:
    """``w:name`` as lxml names it, ``{namespace}name``."""
    return qn(name)


def twips(points: float) -> str:
    """A length as WordprocessingML writes it: whole twips (the profile keeps its grid on them)."""
    return str(pt_to_twips(points))
