"""OFD's XML: its namespace, elements in it, and numbers in millimetres as the parts write them."""

from __future__ import annotations

from lxml import etree

NAMESPACE = "http://www.ofdspec.org/2016"
_NSMAP = {"ofd": NAMESPACE}
_DECIMALS = 3  # 1 µm: far below what the tests allow (0.1 mm), and DeltaX is kept free of drift (content.py)


def root(tag: str, **attributes: str) -> etree._Element:
    return etree.Element(f"{{{NAMESPACE}}}{tag}", attributes, nsmap=_NSMAP)


def child(parent: etree._Element, tag: str, text: str | None = None, **attributes: str) -> etree._Element:
    element = etree.SubElement(parent, f"{{{NAMESPACE}}}{tag}", attributes)
    element.text = text
    return element


def part(element: etree._Element) -> bytes:
    return etree.tostring(element, xml_declaration=True, encoding="UTF-8")


def number(value: float) -> str:
    """A length as OFD writes it: at most 3 decimals, no trailing zeros, never "-0"."""
    text = f"{value:.{_DECIMALS}f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def numbers(*values: float) -> str:
    return " ".join(number(value) for value in values)


def thousandths(value: float) -> int:
    """``value`` in whole thousandths, the unit :func:`number` rounds to."""
    return round(value * 10**_DECIMALS)


def from_thousandths(value: int) -> str:
    return number(value / 10**_DECIMALS)


def color(rrggbb: str) -> str:
    """An RRGGBB colour as OFD's RGB value: three integers 0–255."""
    return " ".join(str(int(rrggbb[index : index + 2], 16)) for index in (0, 2, 4))
