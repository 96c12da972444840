"""PDF renderer: paints the laid-out document with ReportLab (fonts subset and embedded)."""

from __future__ import annotations

import io
from collections.abc import Callable
from functools import cache

from reportlab import rl_config
from reportlab.lib.colors import HexColor
from reportlab.lib.rl_accel import fp_str
from reportlab.pdfbase import pdfdoc
from reportlab.pdfgen.canvas import Canvas

from docgen.layout.document import Item, LaidOutDocument, Page, Picture, Run, Strokes, Turned
from docgen.layout.metrics import reportlab_font
from docgen.profile import Profile
from docgen.roles import Role

_PDF_VERSION = (1, 4)
# Streams (the pages', the images') Flate-compressed only, not also ASCII85-encoded as ReportLab does
# by default for 7-bit channels: a fifth smaller, and no text encoding to write and to read back.
rl_config.useA85 = 0


def _flate(data: bytes | str) -> bytes:
    """A stream in zlib's format (FlateDecode) by libdeflate at zlib's default level: the sample's
    streams a little smaller than zlib makes them, in 40 % of zlib's time. The last few font subsets
    and small images (given as bytes; the pages' text comes as a string) are not compressed again."""
    if isinstance(data, str):  # a page's text: not the same twice
        return bytes(deflate.zlib_compress(data.encode(), 6))
    if len(data) > _KEPT_STREAM_BYTES:
        return bytes(deflate.zlib_compress(data, 6))
    made = _FLATED.get(data)
    if made is None:
        made = bytes(deflate.zlib_compress(data, 6))
        if len(_FLATED) >= _KEPT_STREAMS:
            _FLATED.pop(next(iter(_FLATED)), None)  # the oldest
        _FLATED[data] = made
    return made


_KEPT_STREAMS = 32
_KEPT_STREAM_BYTES = 256 * 1024  # a CJK subset of 256 glyphs is some 100 KB; a seal's pixels may be MBs
_FLATED: dict[bytes, bytes] = {}  # compressed streams by their bytes, oldest first


try:
    import deflate
except ImportError:  # zlib's own, as ReportLab does it
    pass
else:
    pdfdoc.PDFZCompress.encode = _flate  # ReportLab's one Flate filter, for the pages, fonts and images

_format_object = pdfdoc.format


def _format(element: object, document: object, toplevel: int = 0) -> bytes:
    """ReportLab's formatting of a PDF object, a number's bytes made without its text codec: the same
    ASCII (fp_str writes only digits, '.' and '-'), for the thousand widths and positions of a page."""
    if type(element) in (float, int):
        return fp_str(element).encode("ascii")
    return _format_object(element, document, toplevel)


pdfdoc.format = _format  # what every ReportLab object formats its parts with: 6 % of a notice's PDF


def render_pdf(laid: LaidOutDocument, profile: Profile) -> bytes:
    assert laid.pages is not None, "a PDF is painted from a document laid out with its fonts"
    buffer = io.BytesIO()
    first = laid.pages[0]
    canvas = Canvas(
        buffer,
        pagesize=(first.width, first.height),
        invariant=1,
        pageCompression=1,
        # Seals are drawn with soft masks (SMask, PDF 1.4); ReportLab raises the version it declares
        # for its own transparency settings only, not for an image's mask.
        pdfVersion=_PDF_VERSION,
        initialFontName=reportlab_font(laid.faces[profile.roles[Role.BODY].face].file).fontName,
    )
    canvas.setTitle(laid.info.title)
    canvas.setAuthor(laid.info.author)
    canvas.setSubject(laid.info.subject)
    canvas.setCreator("docgen")
    canvas.setProducer("docgen")
    painter = _Painter(canvas)
    for page in laid.pages:
        painter.page(page)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


class _Painter:
    """Paints laid-out pages on one canvas, its font subsets' names looked up once each."""

    def __init__(self, canvas: Canvas) -> None:
        self.canvas = canvas
        self._names: dict[tuple[str, int], str] = {}  # (font, subset) → its name in the PDF

    def page(self, page: Page) -> None:
        self.canvas.setPageSize((page.width, page.height))
        for item in page.items:
            if isinstance(item, Turned):
                self._turned(item, page.height)
            else:
                self._item(item, lambda y: page.height - y)

    def _turned(self, frame: Turned, page_height: float) -> None:
        """A frame turned a quarter left: its x runs up the page, its y (down) to the right."""
        canvas = self.canvas
        canvas.saveState()
        canvas.translate(frame.x, page_height - frame.y)
        canvas.rotate(90)
        for item in frame.items:
            self._item(item, lambda y: 0.0 - y)
        canvas.restoreState()

    def _item(self, item: Item, up: Callable[[float], float]) -> None:
        """One item; ``up`` turns the laid-out y (down from the top) into PDF's (up from the bottom)."""
        canvas = self.canvas
        if isinstance(item, Run):
            self._run(item, up(item.baseline))
        elif isinstance(item, Strokes):
            canvas.setStrokeColor(HexColor(f"#{item.color}"))
            canvas.setLineWidth(item.width)
            for x0, y0, x1, y1 in item.segments:
                canvas.line(x0, up(y0), x1, up(y1))
        elif isinstance(item, Picture):
            from docgen.render.images import draw_image  # image support loads only for documents with pictures

            draw_image(canvas, item.image, item.x, up(item.y) - item.height, item.width, item.height)

    def _run(self, run: Run, baseline: float) -> None:
        """The run as one text object: its colour and letter spacing, then each font subset's glyphs
        at their first glyph's own position (a text matrix each, so no reader depends on the advance
        of the string before: pdfminer drops letter spacing carried over), their codes in hex.

        The operators are written directly: ReportLab's text object costs more than the rest of the page.
        """
        document = self.canvas._doc
        font = reportlab_font(run.font)
        size = fp_str(run.size)
        parts = [f"BT {_rgb(run.color)} rg {fp_str(run.spacing)} Tc"]
        offset = 0
        for subset, encoded in font.splitString(run.text, document):
            name = self._names.get((font.fontName, subset))
            if name is None:  # the first use of the subset registers it with the document
                name = self._names[font.fontName, subset] = font.getSubsetInternalName(subset, document)
            parts.append(f"{name} {size} Tf 1 0 0 1 {fp_str(run.xs[offset], baseline)} Tm <{encoded.hex()}> Tj")
            offset += len(encoded)
        parts.append("ET")
        self.canvas._code.append("\n".join(parts))


@cache
def _rgb(color: str) -> str:
    """``RRGGBB`` as PDF's three fractions."""
    return fp_str(*(int(color[i : i + 2], 16) / 255 for i in (0, 2, 4)))
