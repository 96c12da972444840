"""The small WordprocessingML helpers every part of the DOCX writer uses."""

from __future__ import annotations

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from lxml import etree

TWIPS_PER_PT = 20


def sub(parent: etree._Element, tag: str, **attributes: str) -> etree._Element:
    """Append ``<w:tag w:key=value …>`` to ``parent``."""
    element = OxmlElement(tag)
    for key, value in attributes.items():
        element.set(qn(f"w:{key}"), value)
    parent.append(element)
    return element


def twips(points: float) -> str:
    return str(round(points * TWIPS_PER_PT))
