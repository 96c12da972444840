"""DrawingML for what a DOCX sets outside the text flow: rules, pictures and one-line labels.

Each is a ``wp:anchor`` in a run of the paragraph it hangs on, placed from the text block's
left edge and from the block's top (``margin``) or the paragraph's top (``paragraph``), with
no text wrapping, in front of the text (a seal is printed over the signature). Ids come from
one counter per document, so the same document gives the same bytes.
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

EMU_PER_PT = 12700
NAMESPACES = {
    "w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "pic": "http://schemas.openxmlformats.org/drawingml/2006/picture",
    "wps": "http://schemas.microsoft.com/office/word/2010/wordprocessingShape",
    "mc": "http://schemas.openxmlformats.org/markup-compatibility/2006",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
}
_DECLARATIONS = " ".join(f'xmlns:{prefix}="{uri}"' for prefix, uri in NAMESPACES.items())
_SHAPE = "http://schemas.microsoft.com/office/word/2010/wordprocessingShape"
_PICTURE = "http://schemas.openxmlformats.org/drawingml/2006/picture"


def emu(points: float) -> int:
    return round(points * EMU_PER_PT)


@dataclass
class DrawingIds:
    """``wp:docPr`` ids, unique in the document and the same on every run."""

    last: int = 0

    def take(self) -> int:
        self.last += 1
        return self.last


@dataclass(frozen=True)
class Box:
    """Where an anchored object goes: its left edge from the block's left edge, its top from the
    block's top (``from_paragraph`` False) or from its paragraph's top, and its size, all in points."""

    x_pt: float
    y_pt: float
    width_pt: float
    height_pt: float
    from_paragraph: bool


def _anchor(box: Box, number: int, name: str, graphic: str) -> str:
    vertical = "paragraph" if box.from_paragraph else "margin"
    return (
        f'<wp:anchor distT="0" distB="0" distL="0" distR="0" simplePos="0" relativeHeight="{number}" '
        f'behindDoc="0" locked="0" layoutInCell="1" allowOverlap="1">'
        '<wp:simplePos x="0" y="0"/>'
        f'<wp:positionH relativeFrom="margin"><wp:posOffset>{emu(box.x_pt)}</wp:posOffset></wp:positionH>'
        f'<wp:positionV relativeFrom="{vertical}"><wp:posOffset>{emu(box.y_pt)}</wp:posOffset></wp:positionV>'
        f'<wp:extent cx="{emu(box.width_pt)}" cy="{emu(box.height_pt)}"/>'
        '<wp:effectExtent l="0" t="0" r="0" b="0"/><wp:wrapNone/>'
        f'<wp:docPr id="{number}" name="{name} {number}"/><wp:cNvGraphicFramePr/>'
        f"<a:graphic>{graphic}</a:graphic></wp:anchor>"
    )


def _run(anchor: str, shape: bool) -> etree._Element:
    """A ``w:r`` holding the drawing; shapes (wps) go inside ``mc:AlternateContent`` as Word writes them."""
    drawing = f"<w:drawing>{anchor}</w:drawing>"
    if shape:
        drawing = f'<mc:AlternateContent><mc:Choice Requires="wps">{drawing}</mc:Choice></mc:AlternateContent>'
    return etree.fromstring(f"<w:r {_DECLARATIONS}>{drawing}</w:r>")


def _transform(box: Box) -> str:
    return f'<a:xfrm><a:off x="0" y="0"/><a:ext cx="{emu(box.width_pt)}" cy="{emu(box.height_pt)}"/></a:xfrm>'


def rule_run(box: Box, color: str, ids: DrawingIds) -> etree._Element:
    """A horizontal rule as a filled rectangle: ``box`` is the stroke itself (top edge, length, thickness)."""
    number = ids.take()
    graphic = (
        f'<a:graphicData uri="{_SHAPE}"><wps:wsp><wps:cNvSpPr/><wps:spPr>{_transform(box)}'
        '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom>'
        f'<a:solidFill><a:srgbClr val="{color}"/></a:solidFill><a:ln><a:noFill/></a:ln>'
        "</wps:spPr><wps:bodyPr/></wps:wsp></a:graphicData>"
    )
    return _run(_anchor(box, number, "Rule", graphic), shape=True)


def picture_run(box: Box, relationship: str, name: str, ids: DrawingIds) -> etree._Element:
    """A picture (a seal) stretched over ``box``; ``relationship`` is the image part's rId."""
    number = ids.take()
    graphic = (
        f'<a:graphicData uri="{_PICTURE}"><pic:pic>'
        f'<pic:nvPicPr><pic:cNvPr id="{number}" name="{_escape(name)}"/><pic:cNvPicPr/></pic:nvPicPr>'
        f'<pic:blipFill><a:blip r:embed="{relationship}"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill>'
        f'<pic:spPr>{_transform(box)}<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr>'
        "</pic:pic></a:graphicData>"
    )
    return _run(_anchor(box, number, "Picture", graphic), shape=False)


def text_box_run(box: Box, paragraph: etree._Element, ids: DrawingIds) -> etree._Element:
    """A borderless, unfilled text box with no insets holding ``paragraph`` (one line, not wrapped)."""
    number = ids.take()
    graphic = (
        f'<a:graphicData uri="{_SHAPE}"><wps:wsp><wps:cNvSpPr txBox="1"/><wps:spPr>{_transform(box)}'
        '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom><a:noFill/><a:ln><a:noFill/></a:ln></wps:spPr>'
        "<wps:txbx><w:txbxContent/></wps:txbx>"
        '<wps:bodyPr rot="0" vert="horz" wrap="none" lIns="0" tIns="0" rIns="0" bIns="0" anchor="t" anchorCtr="0">'
        "<a:noAutofit/></wps:bodyPr></wps:wsp></a:graphicData>"
    )
    run = _run(_anchor(box, number, "Label", graphic), shape=True)
    run.find(".//w:txbxContent", NAMESPACES).append(paragraph)
    return run


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;").replace(">", "&gt;")
