"""The small WordprocessingML helpers every part of the DOCX writer uses."""

from __future__ import annotations

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from lxml import etree

from docgen.units import pt_to_twips


def sub(parent: etree._Element, tag: str, **attributes: str) -> etree._Element:
    """Append ``<w:tag w:key=value …>`` to ``parent``."""
    element = OxmlElement(tag)
    for key, value in attributes.items():
        element.set(qn(f"w:{key}"), value)
    parent.append(element)
    return element


def twips(points: float) -> str:
    """A length as WordprocessingML writes it: whole twips (the profile keeps its grid on them)."""
    return str(pt_to_twips(points))
