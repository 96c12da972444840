"""Images a source supplies (seals): checked by their bytes, never by their names.

``load_image`` decides the format from the first bytes (PNG and JPEG signatures, SVG
markup), reads the pixel size from the header (PNG's IHDR, JPEG's SOFn frame header) and
refuses an image over the size or pixel limit before anything is decoded; only then does
Pillow decode it, so a truncated or damaged file is an error here and not in a renderer.
An SVG is parsed without entities, DTDs or network and must be self-contained: no
reference outside the file (only ``#fragment`` links and embedded PNG/JPEG ``data:``
URIs), no script, no ``foreignObject``, no event attributes, no ``@import`` or external
``url(…)`` in its CSS.

How each renderer embeds an image is docgen.render.images.
"""

from __future__ import annotations

import base64
import binascii
import io
import logging
import math
import re
import stat
import struct
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from docgen.errors import DocgenError
from docgen.i18n import N_, _
from docgen.limits import DEFAULT_LIMITS, Limits, megabytes, megapixels, read_limited
from docgen.model import Image

ACCEPTED = N_("PNG, JPEG or SVG")
IMAGES = N_("images")  # what an image is for, by default, in messages ("images must be PNG, JPEG or SVG files")
MAX_SVG_ELEMENTS = 100_000  # a seal has hundreds; this bounds svglib's work on a 5 MB file

_PNG = b"\x89PNG\r\n\x1a\n"
_JPEG = b"\xff\xd8\xff"
_LABELS = {"png": "PNG", "jpeg": "JPEG", "svg": "SVG"}
_SVG_NS = "http://www.w3.org/2000/svg"
_XHTML_NS = "http://www.w3.org/1999/xhtml"
# Elements that run code or pull in other documents; none belongs in a seal.
_FORBIDDEN_ELEMENTS = {
    "script": N_("a <script>"),
    "handler": N_("a <handler> (script)"),
    "listener": N_("a <listener> (script)"),
    "foreignobject": N_("a <foreignObject> (HTML inside the SVG)"),
    "iframe": N_("an <iframe>"),
    "embed": N_("an <embed>"),
    "object": N_("an <object>"),
    "audio": N_("an <audio> element"),
    "video": N_("a <video> element"),
}
# JPEG frame headers: SOF0–SOF15 except DHT (C4), JPG (C8) and DAC (CC).
_SOF_MARKERS = frozenset(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}
_DATA_URI = re.compile(r"data:([^,;]*)[^,]*;base64,(.*)", re.IGNORECASE | re.DOTALL)
_LENGTH = re.compile(
    r"\s*([+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)\s*(px|pt|pc|mm|cm|in|em|ex|%)?\s*", re.IGNORECASE
)
_PX_PER_UNIT = {"": 1.0, "px": 1.0, "pt": 96 / 72, "pc": 16.0, "mm": 96 / 25.4, "cm": 96 / 2.54, "in": 96.0,
                "em": 16.0, "ex": 8.0}  # fmt: skip
# What other files are, for the message that refuses them (checked in order).
_OTHER_FORMATS: tuple[tuple[bytes, int, str], ...] = (
    (b"GIF87a", 0, N_("a GIF image")),
    (b"GIF89a", 0, N_("a GIF image")),
    (b"%PDF-", 0, N_("a PDF document")),
    (b"II*\x00", 0, N_("a TIFF image")),
    (b"MM\x00*", 0, N_("a TIFF image")),
    (b"WEBP", 8, N_("a WebP image")),
    (b"ftypavif", 4, N_("an AVIF image")),
    (b"ftyphei", 4, N_("a HEIC image (a phone photo)")),
    (b"ftypmif1", 4, N_("a HEIF image")),
    (b"ftyp", 4, N_("a video or ISO media file")),
    (b"\x00\x00\x00\x0cjP  ", 0, N_("a JPEG 2000 image")),
    (b"8BPS", 0, N_("a Photoshop document")),
    (b"\x00\x00\x01\x00", 0, N_("a Windows icon")),
    (b"%!PS", 0, N_("a PostScript or EPS file")),
    (b"\xc5\xd0\xd3\xc6", 0, N_("an EPS file")),
    (b"PK\x03\x04", 0, N_("a ZIP archive (as Word and other Office files are)")),
    (b"\xd0\xcf\x11\xe0", 0, N_("an old Office document (.doc, .xls)")),
    (b"\x1f\x8b", 0, N_("a gzip-compressed file (an .svgz? save the SVG uncompressed)")),
    (b"Rar!", 0, N_("a RAR archive")),
    (b"7z\xbc\xaf", 0, N_("a 7-Zip archive")),
)
# A huge box to re-check an image built elsewhere when it is drawn: the references and the
# decoding are checked again, the limits were the loader's business.
NO_LIMITS = Limits(max_source_bytes=2**62, max_nesting=2**31, max_image_bytes=2**62, max_image_pixels=2**62)

# svglib reports what it can't draw through logging; without this, Python's last-resort
# handler would print it on the user's terminal.
logging.getLogger("svglib").addHandler(logging.NullHandler())


# ---------------------------------------------------------------- reading


def load_image(path: Path, limits: Limits = DEFAULT_LIMITS, *, kind: str = IMAGES, name: str | None = None) -> Image:
    """The image in ``path``, by its content; :class:`DocgenError` with a one-line reason otherwise.

    ``kind`` names what the image is for in messages ("seals must be PNG, JPEG or SVG"), in English,
    marked for the catalog with ``N_`` and translated when a message shows it; ``name``
    how messages and the image name the file (the path as a source gives it; by default the path
    for what stat finds, the file name for what the bytes are). The size is checked with stat
    before the file is read, and no more than one byte over the limit is ever read. Messages name
    the file, not the source line that refers to it.
    """
    where = name or str(path)
    try:
        info = path.stat()
    except FileNotFoundError:
        raise DocgenError(
            _("{where} does not exist; {kind} must be {accepted} files").format(where=where, **_accepted(kind))
        ) from None
    except OSError as error:
        raise DocgenError(_cannot_read(where, error)) from None
    if stat.S_ISDIR(info.st_mode):
        raise DocgenError(
            _("{where} is a folder; {kind} must be {accepted} files").format(where=where, **_accepted(kind))
        )
    if not stat.S_ISREG(info.st_mode):
        raise DocgenError(
            _("{where} is not a regular file (a device, pipe or socket); {kind} must be {accepted} files").format(
                where=where, **_accepted(kind)
            )
        )
    name = name or path.name or str(path)
    try:
        size, data = read_limited(path, limits.max_image_bytes)
    except OSError as error:
        raise DocgenError(_cannot_read(where, error)) from None
    if data is None:
        raise DocgenError(_too_large(name, size, limits))
    return image_from_bytes(data, name, limits, kind=kind)


def image_from_bytes(data: bytes, name: str, limits: Limits = DEFAULT_LIMITS, *, kind: str = IMAGES) -> Image:
    """The image ``data`` holds (``name`` is for messages); the same checks as :func:`load_image`.

    An SVG's ``data`` is kept as re-serialised from the checked tree: no DOCTYPE, comments or
    processing instructions, and the width and height the size was taken from written out.
    """
    if len(data) > limits.max_image_bytes:
        raise DocgenError(_too_large(name, len(data), limits))
    fmt, description = identify(data)
    if fmt in ("png", "jpeg"):
        width, height = _raster_size(data, fmt, name, limits)
        return Image(fmt, data, float(width), float(height), name)
    if fmt == "markup":
        return _load_svg(data, name, limits, kind)
    raise DocgenError(
        _("{name} is {description}; {kind} must be {accepted}").format(
            name=name, description=description, **_accepted(kind)
        )
    )


def _accepted(kind: str) -> dict[str, str]:
    """The fields of "{kind} must be {accepted}", in the current language."""
    return {"kind": _(kind), "accepted": _(ACCEPTED)}


def _cannot_read(where: str, error: OSError) -> str:
    return _("cannot read {where}: {reason}").format(where=where, reason=error.strerror)


def identify(data: bytes) -> tuple[str | None, str]:
    """``("png" | "jpeg" | "markup", "")`` for what may be an image, else ``(None, what the bytes are)``,
    the latter in the current language."""
    if not data:
        return None, _("empty (0 bytes)")
    if data.startswith(_PNG):
        return "png", ""
    if data.startswith(_JPEG):
        return "jpeg", ""
    for signature, offset, description in _OTHER_FORMATS:
        if data[offset : offset + len(signature)] == signature:
            return None, _(description)
    if data.startswith(b"BM") and len(data) >= 26 and data[6:10] == b"\0\0\0\0":
        return None, _("a BMP image")
    text = _markup_text(data)
    if text is not None and text.lstrip("\ufeff \t\r\n").startswith("<"):
        return "markup", ""
    if text is not None or _is_text(data):
        return None, _("a text file")
    return None, _("not an image docgen recognises")  # no bytes quoted: a message must not show what a file holds


def _too_large(name: str, size: int, limits: Limits) -> str:
    limit = limits.max_image_bytes
    return _(
        "{name} is {size:,} bytes; images are limited to {limit:,} bytes ({megabytes}; "
        "set by --max-image-mb or the profile's limits.max_image_mb)"
    ).format(name=name, size=size, limit=limit, megabytes=megabytes(limit))


def _markup_text(data: bytes) -> str | None:
    """The text of what may be markup: UTF-16/32 by their byte-order marks, anything else read as
    Latin-1 (every byte a character, so ASCII markup and markers are found in any such encoding)."""
    for bom, codec in ((b"\xff\xfe\x00\x00", "utf-32"), (b"\x00\x00\xfe\xff", "utf-32"),
                       (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):  # fmt: skip
        if data.startswith(bom):
            try:
                return data.decode(codec)
            except UnicodeDecodeError:
                return None
    if b"\x00" in data[:4096]:
        return None
    return data.removeprefix(b"\xef\xbb\xbf").decode("latin-1")


def _is_text(data: bytes) -> bool:
    head = data[:4096]
    return b"\x00" not in head and sum(byte < 9 or 13 < byte < 32 for byte in head) == 0


# ---------------------------------------------------------------- PNG and JPEG


def _raster_size(data: bytes, fmt: str, name: str, limits: Limits) -> tuple[int, int]:
    """Width and height from the header, the pixel limit, then a full decode by Pillow."""
    label = _LABELS[fmt]
    width, height = _png_header(data, name) if fmt == "png" else _jpeg_header(data, name)
    if width * height > limits.max_image_pixels:
        limit = limits.max_image_pixels
        raise DocgenError(
            _(
                "{name} is a {label} image of {width:,} × {height:,} pixels; images are limited to {limit:,} pixels "
                "({megapixels}; set by --max-image-megapixels or the profile's limits.max_image_megapixels)"
            ).format(name=name, label=label, width=width, height=height, limit=limit, megapixels=megapixels(limit))
        )
    decoded = decode(data, fmt, name).size
    if decoded != (width, height):
        raise DocgenError(
            _("{name} is a damaged {label} image: its header says {width} × {height}, it holds {decoded}").format(
                name=name, label=label, width=width, height=height, decoded=decoded
            )
        )
    return width, height


def _png_header(data: bytes, name: str) -> tuple[int, int]:
    # The signature, then the first chunk: length 13, type IHDR, width and height (4 bytes each).
    if len(data) < 33 or data[12:16] != b"IHDR" or data[8:12] != b"\x00\x00\x00\x0d":
        raise DocgenError(_("{name} is a damaged PNG image (no IHDR header after the signature)").format(name=name))
    width, height = struct.unpack(">II", data[16:24])
    if not width or not height or width >= 2**31 or height >= 2**31:
        raise DocgenError(
            _("{name} is a damaged PNG image (its header says {width} × {height} pixels)").format(
                name=name, width=width, height=height
            )
        )
    return width, height


def _jpeg_header(data: bytes, name: str) -> tuple[int, int]:
    """Walk the marker segments from SOI to the first frame header (SOFn): its height and width."""
    position = 2
    while position + 4 <= len(data):
        if data[position] != 0xFF:
            break
        marker = data[position + 1]
        if marker == 0xFF:  # fill byte
            position += 1
            continue
        position += 2
        if marker in (0x01, 0xD8) or 0xD0 <= marker <= 0xD7:  # no length
            continue
        if marker in (0xD9, 0xDA):  # end of image or start of scan before any frame header
            break
        length = int.from_bytes(data[position : position + 2], "big")
        if length < 2:
            break
        if marker in _SOF_MARKERS and length >= 7 and position + 7 <= len(data):
            height, width = struct.unpack(">HH", data[position + 3 : position + 7])
            if not width or not height:
                raise DocgenError(
                    _("{name} is a JPEG image without a height or width in its frame header").format(name=name)
                )
            return width, height
        position += length
    raise DocgenError(_("{name} is a damaged JPEG image (no frame header with its size)").format(name=name))


def decode(data: bytes, fmt: str, name: str) -> Any:
    """The decoded Pillow image; any failure of Pillow's on these bytes is the file's fault."""
    from PIL import Image as PILImage

    label = _LABELS[fmt]
    try:
        with warnings.catch_warnings():
            # The pixel limit was checked against the header; Pillow's own bomb warning would repeat it.
            warnings.simplefilter("ignore", PILImage.DecompressionBombWarning)
            picture = PILImage.open(io.BytesIO(data), formats=[label])
            picture.load()
    except PILImage.UnidentifiedImageError:  # its message names a memory address: not for people
        raise DocgenError(
            _("{name} is a {label} image that cannot be decoded (damaged header)").format(name=name, label=label)
        ) from None
    except Exception as error:  # Pillow raises OSError, SyntaxError, ValueError, struct.error… on bad data
        reason = _short(str(error) or type(error).__name__)
        raise DocgenError(
            _("{name} is a {label} image that cannot be decoded (truncated or damaged: {reason})").format(
                name=name, label=label, reason=reason
            )
        ) from None
    return picture


# ---------------------------------------------------------------- SVG


def _load_svg(data: bytes, name: str, limits: Limits, kind: str) -> Image:
    root = checked_svg(data, name, limits, kind)
    width, height = _svg_size(root, name)
    # svglib sizes a drawing from width and height; write them out where the size came from the viewBox.
    for attribute, value in (("width", width), ("height", height)):
        if _svg_length(root.get(attribute), attribute, name) is None:
            root.set(attribute, f"{value:.6g}")
    clean = serialise(root)
    return Image("svg", clean, width, height, name)


def serialise(root: Any) -> bytes:
    from lxml import etree

    return etree.tostring(root, encoding="utf-8", xml_declaration=True)


def checked_svg(data: bytes, name: str, limits: Limits, kind: str) -> Any:
    """The root element of ``data`` when it is a self-contained SVG; DocgenError saying why not."""
    from lxml import etree

    text = _markup_text(data) or ""
    if re.search(r"<!ENTITY", text, re.IGNORECASE):
        raise DocgenError(
            _(
                "{name} declares XML entities (<!ENTITY …>), which can read other files or expand without bound; "
                "SVG images must not (remove the <!DOCTYPE …> block)"
            ).format(name=name)
        )
    if re.search(r"<\?xml-stylesheet", text, re.IGNORECASE):
        raise DocgenError(
            _("{name} links a style sheet (<?xml-stylesheet …?>); SVG images must be self-contained").format(name=name)
        )
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        attribute_defaults=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
        recover=False,
    )
    try:
        root = etree.fromstring(data, parser)
    except (etree.XMLSyntaxError, ValueError) as error:
        if re.search(r"<!doctype\s+html|<html[\s>]", text[:4096], re.IGNORECASE):
            raise DocgenError(_html_page(name, kind)) from None
        raise DocgenError(
            _("{name} is not a well-formed SVG image ({reason})").format(name=name, reason=_short(str(error)))
        ) from None
    local = etree.QName(root).localname
    if local.lower() == "html":
        raise DocgenError(_html_page(name, kind))
    if root.tag not in (f"{{{_SVG_NS}}}svg", "svg"):
        raise DocgenError(
            _(
                "{name} is an XML document (root element <{element}>), not an SVG image; {kind} must be {accepted}"
            ).format(name=name, element=local, **_accepted(kind))
        )
    dtd = root.getroottree().docinfo.internalDTD
    if dtd is not None and any(True for _entity in dtd.iterentities()):
        raise DocgenError(_("{name} declares XML entities in its DOCTYPE; SVG images must not").format(name=name))
    _check_svg_tree(root, name, limits)
    return root


def _html_page(name: str, kind: str) -> str:
    return _("{name} is an HTML page; {kind} must be {accepted}").format(name=name, **_accepted(kind))


def _check_svg_tree(root: Any, name: str, limits: Limits) -> None:
    from lxml import etree

    budget = [limits.max_image_pixels]  # shared by every embedded picture
    for count, element in enumerate(root.iter(), start=1):
        if count > MAX_SVG_ELEMENTS:
            raise DocgenError(
                _("{name} has more than {count:,} elements; no seal needs that many").format(
                    name=name, count=MAX_SVG_ELEMENTS
                )
            )
        where = _("{name} line {line}").format(name=name, line=element.sourceline)
        if not isinstance(element.tag, str):
            if isinstance(element, etree._Entity):
                raise DocgenError(
                    _("{where}: an XML entity reference ({entity}); SVG images must not use them").format(
                        where=where, entity=element.text
                    )
                )
            continue
        qname = etree.QName(element)
        local = qname.localname
        forbidden = _FORBIDDEN_ELEMENTS.get(local.lower())
        if forbidden or qname.namespace == _XHTML_NS:
            what = _(forbidden) if forbidden else _("an HTML <{element}> element").format(element=local)
            raise DocgenError(
                _("{where}: {what}; SVG images must be pictures only, without scripts or embedded pages").format(
                    where=where, what=what
                )
            )
        for attribute, value in element.attrib.items():
            attribute_name = etree.QName(attribute).localname.lower()
            if attribute_name.startswith("on"):
                raise DocgenError(
                    _("{where}: <{element}> has the event attribute {attribute}= (script); SVG images must not").format(
                        where=where, element=local, attribute=attribute_name
                    )
                )
            if attribute_name in ("href", "src"):
                _check_reference(value, f"{where}: <{local} {attribute_name}=…>", name, limits, budget)
            elif attribute_name == "attributename" and value.strip().lower().endswith("href"):
                raise DocgenError(
                    _("{where}: <{element}> animates a link ({value}); SVG images must not").format(
                        where=where, element=local, value=value
                    )
                )
            elif "(" in value or "\\" in value or attribute_name == "style":
                _check_css(value, f"{where}: <{local} {attribute_name}=…>", name, limits, budget, sheet=False)
        if local == "style" and element.text:
            _check_css(element.text, f"{where}: <style>", name, limits, budget, sheet=True)
        if local == "text":
            _check_text("".join(element.itertext()), where, name)


def _check_reference(value: str, where: str, name: str, limits: Limits, budget: list[int]) -> None:
    """A link inside the SVG is allowed to point at itself (#id) or carry a PNG/JPEG within it."""
    target = value.strip()
    if target.startswith("#"):
        return
    match = _DATA_URI.fullmatch(target)
    if not match:
        shown = _("a data: URI that is not base64") if target[:5].lower() == "data:" else _short(target)
        raise DocgenError(
            _(
                "{where} refers to {target} outside the image; SVG images must be self-contained "
                "(only #fragment links and embedded base64 PNG or JPEG data)"
            ).format(where=where, target=shown)
        )
    try:
        embedded = base64.b64decode(re.sub(r"\s+", "", match.group(2)), validate=True)
    except (binascii.Error, ValueError):
        raise DocgenError(_("{where} embeds data that is not valid base64").format(where=where)) from None
    fmt, description = identify(embedded)
    if fmt not in ("png", "jpeg"):
        raise DocgenError(
            _("{where} embeds {description}; only PNG or JPEG may be embedded in an SVG image").format(
                where=where, description=description or _("markup (an SVG or HTML?)")
            )
        )
    if match.group(1).strip().lower() not in ("image/png", "image/jpeg", "image/jpg"):
        raise DocgenError(
            _("{where} embeds a {label} image declared as '{declared}'; declare it data:image/{fmt};base64").format(
                where=where, label=_LABELS[fmt], declared=_short(match.group(1)), fmt=fmt
            )
        )
    remaining = Limits(max_image_bytes=limits.max_image_bytes, max_image_pixels=budget[0])
    embedded_name = _("the image embedded at {where}").format(where=where.split(": ", 1)[0])
    width, height = _raster_size(embedded, fmt, embedded_name, remaining)
    budget[0] -= width * height


def _check_css(css: str, where: str, name: str, limits: Limits, budget: list[int], sheet: bool) -> None:
    import tinycss2

    nodes = tinycss2.parse_stylesheet(css) if sheet else tinycss2.parse_component_value_list(css)
    for kind, value in _css_references(nodes):
        if kind == "import":
            raise DocgenError(
                _("{where} imports a style sheet (@import); SVG images must be self-contained").format(where=where)
            )
        if kind == "bad-url":
            raise DocgenError(
                _("{where} has an unreadable url(…); SVG images must be self-contained").format(where=where)
            )
        _check_reference(value, f"{where} url(…)", name, limits, budget)


def _css_references(nodes: list[Any] | None) -> Iterator[tuple[str, str]]:
    """Every URL in CSS (url(…), strings of image-set() and image()), and @import, escapes decoded."""
    for node in nodes or ():
        kind = node.type
        if kind == "url":
            yield "url", node.value
        elif kind == "function":
            if node.lower_name in ("url", "src", "image", "image-set", "-webkit-image-set"):
                yield from (("url", token.value) for token in node.arguments if token.type == "string")
            yield from _css_references(node.arguments)
        elif (kind == "at-rule" and node.lower_at_keyword == "import") or (
            kind == "at-keyword" and node.lower_value == "import"
        ):
            yield "import", ""
        elif kind == "at-rule" or kind == "qualified-rule":
            yield from _css_references(node.prelude)
            yield from _css_references(node.content)
        elif kind in ("() block", "[] block", "{} block"):
            yield from _css_references(node.content)
        elif kind == "error" and node.kind == "bad-url":
            yield "bad-url", ""


def _check_text(text: str, where: str, name: str) -> None:
    """svglib draws SVG text in a Latin face: a hanzi would come out as a black box."""
    try:
        text.encode("cp1252")
    except UnicodeEncodeError:
        raise DocgenError(
            _(
                "{where}: SVG text '{text}' can only be drawn in a Latin face; convert the text to "
                "outlines (paths) in the drawing program, or use a PNG"
            ).format(where=where, text=_short(text.strip(), 20))
        ) from None


def _svg_size(root: Any, name: str) -> tuple[float, float]:
    """Width and height in CSS pixels (96 per inch), from width/height or the viewBox."""
    box = None
    if root.get("viewBox") is not None:
        parts = re.split(r"[\s,]+", root.get("viewBox").strip())
        try:
            numbers = [float(part) for part in parts]
        except ValueError:
            numbers = []
        if len(numbers) != 4 or not all(math.isfinite(n) for n in numbers) or numbers[2] <= 0 or numbers[3] <= 0:
            raise DocgenError(
                _("{name} has a viewBox '{value}' that is not four numbers x y w h").format(
                    name=name, value=_short(root.get("viewBox"))
                )
            )
        box = numbers[2], numbers[3]
    width = _svg_length(root.get("width"), "width", name)
    height = _svg_length(root.get("height"), "height", name)
    if width is None and height is None:
        if box is None:
            raise DocgenError(
                _("{name} has neither a width and height nor a viewBox, so its size is unknown").format(name=name)
            )
        width, height = box
    elif width is None:
        if box is None:
            raise DocgenError(
                _("{name} has a height but no width nor viewBox, so its shape is unknown").format(name=name)
            )
        width = height * box[0] / box[1]  # type: ignore[operator]
    elif height is None:
        if box is None:
            raise DocgenError(
                _("{name} has a width but no height nor viewBox, so its shape is unknown").format(name=name)
            )
        height = width * box[1] / box[0]
    if not (0 < width < 1e7 and 0 < height < 1e7):  # type: ignore[operator]
        raise DocgenError(
            _("{name} has an unusable size ({width:g} × {height:g} px)").format(name=name, width=width, height=height)
        )
    return float(width), float(height)  # type: ignore[arg-type]


def _svg_length(value: str | None, attribute: str, name: str) -> float | None:
    """A length in px; None when absent or a percentage (then the viewBox decides)."""
    if value is None:
        return None
    match = _LENGTH.fullmatch(value)
    if not match:
        raise DocgenError(
            _("{name} has {attribute}='{value}', which is not a length such as 42mm or 160").format(
                name=name, attribute=attribute, value=_short(value)
            )
        )
    number, unit = float(match.group(1)), (match.group(2) or "").lower()
    if unit == "%":
        return None
    if not math.isfinite(number) or number <= 0:
        raise DocgenError(
            _("{name} has {attribute}='{value}'; it must be greater than 0").format(
                name=name, attribute=attribute, value=_short(value)
            )
        )
    return number * _PX_PER_UNIT[unit]


def _short(text: str, limit: int = 60) -> str:
    """Text from a file, fit for a one-line message."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"
