"""Images as each renderer embeds them: ReportLab's drawables for the PDF, PNG or JPEG bytes for the DOCX and OFD.

The bytes were checked when the source was read (docgen.files.images); they are decoded again
here, under the same checks, since an Image may have been built elsewhere.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from docgen.errors import DocgenError
from docgen.files.images import IMAGES, NO_LIMITS, checked_svg, decode, serialise
from docgen.i18n import _
from docgen.model import Image

if TYPE_CHECKING:
    from reportlab.graphics.shapes import Drawing
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen.canvas import Canvas

DOCX_SVG_LONG_SIDE_PX = 600  # an SVG in a DOCX: about 360 dpi for a 42 mm seal


def pdf_drawable(image: Image) -> ImageReader | Drawing:
    """What ReportLab places: an ``ImageReader`` (PNG, JPEG) for ``canvas.drawImage(…, mask="auto")``,
    or for an SVG a ``reportlab.graphics.shapes.Drawing`` of its vectors (``renderPDF.draw``).

    :func:`draw_image` does either. A PNG is decoded and given to ReportLab as RGB(A), so
    transparency in any form (alpha, palette, tRNS) becomes the image's soft mask; a JPEG's
    bytes go into the PDF as they are.
    """
    from reportlab.lib.utils import ImageReader

    if image.format == "jpeg":
        decode(image.data, "jpeg", image.name)  # an Image built elsewhere is checked as the loader would
        return ImageReader(io.BytesIO(image.data))
    if image.format == "png":
        picture = decode(image.data, "png", image.name)
        if picture.mode.startswith("I"):  # 16-bit grey: Pillow's convert would clip every value over 255 to white
            picture = picture.convert("I").point(lambda value: value * (1 / 257)).convert("L")
        # ReportLab keeps an alpha channel or a palette's transparency but drops a tRNS colour of RGB or grey.
        if picture.mode in ("RGBA", "LA", "PA") or "transparency" in picture.info:
            picture = picture.convert("RGBA")
        elif picture.mode not in ("RGB", "L"):
            picture = picture.convert("RGB")
        return ImageReader(picture)
    if image.format == "svg":
        return _drawing(image)
    raise DocgenError(f"{image.name}: unknown image format '{image.format}' (expected png, jpeg or svg)")


def draw_image(canvas: Canvas, image: Image, x_pt: float, y_pt: float, width_pt: float, height_pt: float) -> None:
    """Draw ``image`` on ``canvas`` filling the box whose lower-left corner is (x_pt, y_pt)."""
    drawable = pdf_drawable(image)
    from reportlab.graphics.shapes import Drawing

    if isinstance(drawable, Drawing):
        from reportlab.graphics import renderPDF

        canvas.saveState()
        canvas.translate(x_pt, y_pt)
        canvas.scale(width_pt / drawable.width, height_pt / drawable.height)
        renderPDF.draw(drawable, canvas, 0, 0, showBoundary=False)
        canvas.restoreState()
    else:
        canvas.drawImage(drawable, x_pt, y_pt, width_pt, height_pt, mask="auto")


def raster_picture(image: Image) -> tuple[bytes, str]:
    """The bytes and file extension a DOCX or an OFD embeds (their readers draw raster images only):
    a PNG as it is, a JPEG as it is or re-encoded (:func:`_docx_jpeg`), an SVG rasterised to a
    transparent PNG of DOCX_SVG_LONG_SIDE_PX on its long side (the same vectors as the PDF's)."""
    if image.format == "png":
        return image.data, "png"
    if image.format == "jpeg":
        return _docx_jpeg(image), "jpeg"
    if image.format == "svg":
        return _svg_png(image), "png"
    raise DocgenError(f"{image.name}: unknown image format '{image.format}' (expected png, jpeg or svg)")


def _docx_jpeg(image: Image) -> bytes:
    """A JPEG as it is when python-docx reads its header and its colours are RGB or grey; otherwise
    (a scanner's Adobe or CMYK JPEG, without the JFIF or Exif marker python-docx needs, in colours
    viewers show differently) decoded and written again as an RGB JPEG: the same bytes every time."""
    from docx.image.image import Image as DocxImage

    picture = decode(image.data, "jpeg", image.name)
    try:
        DocxImage.from_blob(image.data)
        readable = True
    except Exception:  # UnrecognizedImageError, or any other failure of its header parser: re-encode
        readable = False
    if readable and picture.mode in ("RGB", "L"):
        return image.data
    output = io.BytesIO()
    picture.convert("RGB").save(output, "JPEG", quality=95, subsampling=0)  # 4:4:4 keeps a seal's red edges
    return output.getvalue()


def _drawing(image: Image) -> Drawing:
    from svglib.svglib import svg2rlg

    root = checked_svg(image.data, image.name, NO_LIMITS, IMAGES)
    drawing = svg2rlg(io.BytesIO(serialise(root)))
    if drawing is None or not drawing.width or not drawing.height:
        raise DocgenError(_("{name}: svglib could not read this SVG image").format(name=image.name))
    return drawing


def _svg_png(image: Image) -> bytes:
    """The SVG drawn into a one-page PDF by ReportLab, rendered by PDFium on a transparent background."""
    import pypdfium2
    from reportlab.graphics import renderPDF
    from reportlab.pdfgen.canvas import Canvas

    drawing = _drawing(image)
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(drawing.width, drawing.height), invariant=True)
    renderPDF.draw(drawing, canvas, 0, 0, showBoundary=False)
    canvas.showPage()
    canvas.save()
    scale = DOCX_SVG_LONG_SIDE_PX / max(drawing.width, drawing.height)
    document = pypdfium2.PdfDocument(buffer.getvalue())
    try:
        bitmap = document[0].render(scale=scale, fill_color=(255, 255, 255, 0))
        # PDFium rounds each side up: 299.99999 px would give 300 and 300.0000001 px 301.
        size = (max(1, round(drawing.width * scale)), max(1, round(drawing.height * scale)))  # a hairline: 1 px
        picture = bitmap.to_pil().convert("RGBA").crop((0, 0, *size))
    finally:
        document.close()
    dpi = round(72 * scale)
    output = io.BytesIO()
    picture.save(output, "PNG", dpi=(dpi, dpi))
    return output.getvalue()
