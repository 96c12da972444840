"""DrawingML for what a DOCX sets outside the text flow: rules, pictures and one-line labels.

Each is a ``wp:anchor`` in a run of the paragraph it hangs on, placed from the text block's
left edge and from the block's top (``margin``) or the paragraph's top (``paragraph``), with
no text wrapping, in front of the text (a seal is printed over the signature). Ids come from
one counter per document, so the same document gives the same bytes.

Shapes (rules, labels) are Word 2010 ``wps`` shapes, which a reader may skip: as Word does,
each comes with a VML fallback of the same place and text (``mc:Fallback``), which pandoc,
mammoth and Apache POI read. Without it they lose the 文件 beside a joint mark and a letter's
organ mark.
"""

from __future__ import annotations

import copy
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
    "v": "urn:schemas-microsoft-com:vml",
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


def _anchor(box: Box, number: int, name: str, graphic: str, description: str = "") -> str:
    vertical = "paragraph" if box.from_paragraph else "margin"
    return (
        f'<wp:anchor distT="0" distB="0" distL="0" distR="0" simplePos="0" relativeHeight="{number}" '
        f'behindDoc="0" locked="0" layoutInCell="1" allowOverlap="1">'
        '<wp:simplePos x="0" y="0"/>'
        f'<wp:positionH relativeFrom="margin"><wp:posOffset>{emu(box.x_pt)}</wp:posOffset></wp:positionH>'
        f'<wp:positionV relativeFrom="{vertical}"><wp:posOffset>{emu(box.y_pt)}</wp:posOffset></wp:positionV>'
        f'<wp:extent cx="{emu(box.width_pt)}" cy="{emu(box.height_pt)}"/>'
        '<wp:effectExtent l="0" t="0" r="0" b="0"/><wp:wrapNone/>'
        f'<wp:docPr id="{number}" name="{name} {number}"{_described(description)}/><wp:cNvGraphicFramePr/>'
        f"<a:graphic>{graphic}</a:graphic></wp:anchor>"
    )


def _run(anchor: str, fallback: str | None = None) -> etree._Element:
    """A ``w:r`` holding the drawing; a shape (wps) goes inside ``mc:AlternateContent`` with its
    VML ``fallback``, as Word writes it."""
    drawing = f"<w:drawing>{anchor}</w:drawing>"
    if fallback is not None:
        drawing = (
            f'<mc:AlternateContent><mc:Choice Requires="wps">{drawing}</mc:Choice>'
            f"<mc:Fallback><w:pict>{fallback}</w:pict></mc:Fallback></mc:AlternateContent>"
        )
    return etree.fromstring(f"<w:r {_DECLARATIONS}>{drawing}</w:r>")


def _vml_style(box: Box, number: int) -> str:
    """The VML ``style`` that places a shape where its ``wp:anchor`` does (VML calls a paragraph "text")."""
    vertical = "text" if box.from_paragraph else "margin"
    return (
        f"position:absolute;margin-left:{_points(box.x_pt)};margin-top:{_points(box.y_pt)};"
        f"width:{_points(box.width_pt)};height:{_points(box.height_pt)};z-index:{number};"
        f"mso-wrap-style:none;mso-position-horizontal-relative:margin;mso-position-vertical-relative:{vertical}"
    )


def _points(value: float) -> str:
    """A length for VML, to the EMU the anchor uses (a hundredth of a point is finer than any reader sets)."""
    return f"{emu(value) / EMU_PER_PT:.2f}".rstrip("0").rstrip(".") + "pt"


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
    fallback = f'<v:rect style="{_vml_style(box, number)}" fillcolor="#{color}" stroked="f"/>'
    return _run(_anchor(box, number, "Rule", graphic), fallback)


def picture_run(box: Box, relationship: str, name: str, description: str, ids: DrawingIds) -> etree._Element:
    """A picture (a seal) stretched over ``box``; ``relationship`` is the image part's rId, and
    ``description`` its alternative text (what a screen reader says for it)."""
    number = ids.take()
    graphic = (
        f'<a:graphicData uri="{_PICTURE}"><pic:pic>'
        f'<pic:nvPicPr><pic:cNvPr id="{number}" name="{_escape(name)}"{_described(description)}/>'
        "<pic:cNvPicPr/></pic:nvPicPr>"
        f'<pic:blipFill><a:blip r:embed="{relationship}"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill>'
        f'<pic:spPr>{_transform(box)}<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr>'
        "</pic:pic></a:graphicData>"
    )
    return _run(_anchor(box, number, "Picture", graphic, description))


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
    fallback = (
        f'<v:rect style="{_vml_style(box, number)}" filled="f" stroked="f">'
        '<v:textbox inset="0,0,0,0"><w:txbxContent/></v:textbox></v:rect>'
    )
    run = _run(_anchor(box, number, "Label", graphic), fallback)
    shape, vml = run.iterfind(".//w:txbxContent", NAMESPACES)
    shape.append(paragraph)
    vml.append(copy.deepcopy(paragraph))
    return run


def _described(description: str) -> str:
    return f' descr="{_escape(description)}"' if description else ""


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;").replace(">", "&gt;")
