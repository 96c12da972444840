"""Seals and other images: the format from the bytes, size and pixel limits, self-contained SVG only,
and what the renderers get (a PDF image with its transparency, SVG vectors, a picture Word embeds)."""

from __future__ import annotations

import base64
import io
import struct
import time
import tracemalloc
import zlib
from pathlib import Path

import pypdfium2
import pytest
from PIL import Image as PILImage
from PIL import ImageDraw
from pypdf import PdfReader
from reportlab.graphics.shapes import Drawing
from reportlab.pdfgen.canvas import Canvas

from docgen.errors import DocgenError
from docgen.files.images import identify, image_from_bytes, load_image
from docgen.limits import DEFAULT_LIMITS, Limits
from docgen.model import Image
from docgen.render.images import draw_image, pdf_drawable, raster_picture

RED = (220, 20, 20, 255)
SVG_HEAD = '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
RING = '<circle cx="50" cy="50" r="44" fill="none" stroke="#dc1414" stroke-width="8"/>'


# ---------------------------------------------------------------- making real files


def seal_picture(width: int = 200, height: int = 200) -> PILImage.Image:
    """A red ring and star on a transparent background, as a scanned seal is cut out."""
    picture = PILImage.new("RGBA", (width, height), (0, 0, 0, 0))
    draw = ImageDraw.Draw(picture)
    draw.ellipse((8, 8, width - 9, height - 9), outline=RED, width=max(2, width // 16))
    cx, cy, r = width / 2, height / 2, min(width, height) / 5
    draw.regular_polygon((cx, cy, r), 5, fill=RED)
    return picture


def png_bytes(picture: PILImage.Image | None = None, **save: object) -> bytes:
    buffer = io.BytesIO()
    (picture or seal_picture()).save(buffer, "PNG", **save)
    return buffer.getvalue()


def jpeg_bytes(width: int = 300, height: int = 120, **save: object) -> bytes:
    picture = PILImage.new("RGB", (width, height), (255, 255, 255))
    margin_x, margin_y = width // 10, height // 10
    box = (margin_x, margin_y, width - margin_x - 1, height - margin_y - 1)
    ImageDraw.Draw(picture).ellipse(box, outline=(200, 0, 0), width=max(1, min(width, height) // 20))
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", quality=90, **save)
    return buffer.getvalue()


def other_format(fmt: str) -> bytes:
    buffer = io.BytesIO()
    seal_picture(40, 40).convert("RGB").save(buffer, fmt)
    return buffer.getvalue()


def write(tmp_path: Path, name: str, data: bytes | str) -> Path:
    path = tmp_path / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def svg(body: str, attributes: str = 'width="42mm" height="42mm" viewBox="0 0 100 100"', head: str = "") -> str:
    return f"{head}{SVG_HEAD}{attributes}>{RING}{body}</svg>"


def refused(path: Path, limits: Limits = DEFAULT_LIMITS, **kind: str) -> str:
    with pytest.raises(DocgenError) as caught:
        load_image(path, limits, **kind)
    message = str(caught.value)
    assert "\n" not in message, f"one line, not a dump: {message!r}"
    assert "Traceback" not in message
    return message


def with_ihdr_size(data: bytes, width: int, height: int) -> bytes:
    """``data`` with the IHDR chunk saying another size, its CRC made right (a forged header)."""
    body = struct.pack(">II", width, height) + data[24:29]
    crc = struct.pack(">I", zlib.crc32(b"IHDR" + body))
    return data[:16] + body + crc + data[33:]


# ---------------------------------------------------------------- by content, with sizes from headers


def test_a_transparent_png_is_read_by_content_with_its_size(tmp_path: Path) -> None:
    image = load_image(write(tmp_path, "seal.png", png_bytes(seal_picture(240, 180))), DEFAULT_LIMITS)
    assert (image.format, image.width_px, image.height_px, image.name) == ("png", 240.0, 180.0, "seal.png")
    assert image.data == (tmp_path / "seal.png").read_bytes()


@pytest.mark.parametrize("progressive", [False, True], ids=["baseline SOF0", "progressive SOF2"])
def test_a_jpeg_size_comes_from_its_frame_header(tmp_path: Path, progressive: bool) -> None:
    data = jpeg_bytes(300, 120, progressive=progressive)
    assert (b"\xff\xc2" in data) is progressive
    image = load_image(write(tmp_path, "seal.jpeg", data), DEFAULT_LIMITS)
    assert (image.format, image.width_px, image.height_px) == ("jpeg", 300.0, 120.0)


def test_a_jpeg_with_exif_before_its_frame_header(tmp_path: Path) -> None:
    exif = PILImage.Exif()
    exif[0x010F] = "Scanner"  # Make: an APP1 segment the walk must step over
    image = load_image(write(tmp_path, "seal.jpg", jpeg_bytes(64, 48, exif=exif.tobytes())), DEFAULT_LIMITS)
    assert (image.width_px, image.height_px) == (64.0, 48.0)


def test_the_file_name_never_decides_the_format(tmp_path: Path) -> None:
    assert load_image(write(tmp_path, "seal.jpg", png_bytes()), DEFAULT_LIMITS).format == "png"
    assert load_image(write(tmp_path, "seal.svg", jpeg_bytes()), DEFAULT_LIMITS).format == "jpeg"
    assert load_image(write(tmp_path, "seal.png", svg("")), DEFAULT_LIMITS).format == "svg"
    assert load_image(write(tmp_path, "seal", png_bytes()), DEFAULT_LIMITS).format == "png"


def test_a_gif_renamed_png_is_refused_saying_what_it_is(tmp_path: Path) -> None:
    path = write(tmp_path, "seal.png", other_format("GIF"))
    assert refused(path, kind="seals") == "seal.png is a GIF image; seals must be PNG, JPEG or SVG"
    assert refused(path).endswith("images must be PNG, JPEG or SVG")


NOT_IMAGES = [
    ("bmp", other_format("BMP"), "a BMP image"),
    ("webp", other_format("WEBP"), "a WebP image"),
    ("tiff", other_format("TIFF"), "a TIFF image"),
    ("pdf", other_format("PDF"), "a PDF document"),
    ("zip", b"PK\x03\x04" + bytes(60), "a ZIP archive"),
    ("html", b"<!DOCTYPE html>\n<html><body><img src=seal.png></body></html>\n", "an HTML page"),
    ("html without doctype", "<html><head><title>公章</title></head></html>".encode(), "an HTML page"),
    ("other xml", b'<?xml version="1.0"?><note>not a picture</note>', "an XML document (root element <note>)"),
    ("text", "这是一段说明文字，不是图片。\n".encode(), "a text file"),
    ("gbk text", "这是一段说明文字".encode("gbk"), "a text file"),
    ("empty", b"", "empty (0 bytes)"),
    ("binary", bytes(range(1, 9)) + bytes(100), "not an image docgen recognises; seals must"),  # never its bytes
]


@pytest.mark.parametrize(("data", "description"), [case[1:] for case in NOT_IMAGES], ids=[c[0] for c in NOT_IMAGES])
def test_what_is_not_png_jpeg_or_svg_is_refused_by_what_it_is(tmp_path: Path, data: bytes, description: str) -> None:
    message = refused(write(tmp_path, "seal.png", data), kind="seals")
    assert message.startswith(f"seal.png is {description}"), message
    assert "seals must be PNG, JPEG or SVG" in message


def test_a_missing_file_and_a_folder_are_refused(tmp_path: Path) -> None:
    assert (
        refused(tmp_path / "nope.png")
        == f"{tmp_path / 'nope.png'} does not exist; images must be PNG, JPEG or SVG files"
    )
    (tmp_path / "seal.png").mkdir()
    assert refused(tmp_path / "seal.png").startswith(f"{tmp_path / 'seal.png'} is a folder")


def test_identify_knows_the_markup_after_a_byte_order_mark() -> None:
    assert identify(b"\xef\xbb\xbf" + svg("").encode())[0] == "markup"
    assert identify(b"\xff\xfe" + svg("").encode("utf-16-le"))[0] == "markup"
    assert image_from_bytes(b"\xff\xfe" + svg("").encode("utf-16-le"), "seal.svg").format == "svg"


# ---------------------------------------------------------------- size and pixel limits


def test_a_file_over_the_size_limit_is_refused(tmp_path: Path) -> None:
    data = png_bytes(seal_picture(400, 400))
    path = write(tmp_path, "seal.png", data)
    message = refused(path, Limits(max_image_bytes=len(data) - 1))
    assert message == (
        f"seal.png is {len(data):,} bytes; images are limited to {len(data) - 1:,} bytes "
        f"({(len(data) - 1) / 2**20:.3g} MB; set by --max-image-mb or the profile's limits.max_image_mb)"
    )
    assert load_image(path, Limits(max_image_bytes=len(data))).format == "png"  # the limit itself is allowed


def test_a_huge_file_is_refused_before_it_is_read(tmp_path: Path) -> None:
    path = tmp_path / "seal.png"
    with path.open("wb") as stream:  # 100 MB, sparse: a PNG signature, then nothing
        stream.write(png_bytes())
        stream.truncate(100 * 2**20)
    tracemalloc.start()
    start = time.perf_counter()
    message = refused(path)
    seconds = time.perf_counter() - start
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert "104,857,600 bytes; images are limited to 5,242,880 bytes (5 MB" in message
    assert seconds < 0.5 and peak < 1_000_000, (seconds, peak)


def test_a_forged_huge_ihdr_is_refused_before_anything_is_decoded(tmp_path: Path, monkeypatch) -> None:
    path = write(tmp_path, "seal.png", with_ihdr_size(png_bytes(), 100_000, 100_000))

    def no_decoding(*args: object, **kwargs: object) -> None:
        raise AssertionError("Pillow was asked to decode a bomb")

    monkeypatch.setattr(PILImage, "open", no_decoding)
    message = refused(path)
    assert message == (
        "seal.png is a PNG image of 100,000 × 100,000 pixels; images are limited to 40,000,000 pixels "
        "(40 megapixels; set by --max-image-megapixels or the profile's limits.max_image_megapixels)"
    )


def test_the_pixel_limit_is_a_setting(tmp_path: Path) -> None:
    path = write(tmp_path, "seal.jpg", jpeg_bytes(300, 200))
    assert "300 × 200 pixels; images are limited to 59,999 pixels (0.06 megapixels;" in refused(
        path, Limits(max_image_pixels=59_999)
    )
    assert load_image(path, Limits(max_image_pixels=60_000)).width_px == 300


def test_a_header_changed_without_its_checksum_is_caught_by_decoding(tmp_path: Path) -> None:
    data = png_bytes()
    forged = data[:16] + struct.pack(">II", 20, 20) + data[24:]
    message = refused(write(tmp_path, "seal.png", forged))
    assert message == "seal.png is a PNG image that cannot be decoded (damaged header)"  # no memory address


@pytest.mark.parametrize("fmt", ["png", "jpeg"])
def test_a_truncated_image_is_refused(tmp_path: Path, fmt: str) -> None:
    data = png_bytes() if fmt == "png" else jpeg_bytes()
    message = refused(write(tmp_path, f"seal.{fmt}", data[: len(data) * 2 // 3]))
    assert message.startswith(f"seal.{fmt} is a {fmt.upper()} image that cannot be decoded (truncated or damaged")


def test_damaged_image_data_is_refused(tmp_path: Path) -> None:
    data = bytearray(png_bytes())
    idat = data.index(b"IDAT") + 4
    data[idat + 10 : idat + 60] = bytes(50)  # zeros in the middle of the compressed pixels
    assert "cannot be decoded" in refused(write(tmp_path, "seal.png", bytes(data)))


def test_headers_without_a_size_are_refused(tmp_path: Path) -> None:
    assert "damaged PNG image (no IHDR" in refused(write(tmp_path, "a.png", png_bytes()[:20]))
    assert "damaged JPEG image (no frame header" in refused(write(tmp_path, "a.jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF"))


# ---------------------------------------------------------------- SVG


def test_an_svg_is_sized_from_its_width_and_height_in_any_unit(tmp_path: Path) -> None:
    image = load_image(write(tmp_path, "seal.svg", svg("")), DEFAULT_LIMITS)
    assert image.format == "svg"
    assert image.width_px == pytest.approx(42 / 25.4 * 96) and image.height_px == pytest.approx(42 / 25.4 * 96)
    inches = load_image(write(tmp_path, "b.svg", svg("", 'width="1.5in" height="72pt"')), DEFAULT_LIMITS)
    assert (inches.width_px, inches.height_px) == (144.0, 96.0)


def test_an_svg_is_sized_from_its_view_box_and_the_size_written_out(tmp_path: Path) -> None:
    image = load_image(write(tmp_path, "seal.svg", svg("", 'viewBox="0 0 160 80"')), DEFAULT_LIMITS)
    assert (image.width_px, image.height_px) == (160.0, 80.0)
    assert b'width="160"' in image.data and b'height="80"' in image.data
    half = load_image(write(tmp_path, "half.svg", svg("", 'height="20mm" viewBox="0 0 100 50"')), DEFAULT_LIMITS)
    assert half.width_px == pytest.approx(2 * half.height_px)
    assert isinstance(pdf_drawable(half), Drawing)
    assert pdf_drawable(half).width == pytest.approx(2 * pdf_drawable(half).height)  # not svglib's own guess


def test_an_svg_may_link_inside_itself_and_embed_png_or_jpeg(tmp_path: Path) -> None:
    embedded = base64.b64encode(png_bytes(seal_picture(30, 30))).decode()
    photo = base64.b64encode(jpeg_bytes(20, 10)).decode()
    body = (
        '<defs><linearGradient id="g"><stop offset="0" stop-color="red"/></linearGradient>'
        '<path id="star" d="M50 20 L60 80 L40 80 Z"/></defs>'
        '<use href="#star"/><use xlink:href="#star" x="5"/><rect width="10" height="10" fill="url(#g)"/>'
        f'<image href="data:image/png;base64,{embedded}" width="30" height="30"/>'
        f'<image xlink:href="data:image/jpeg;base64,\n{photo[:40]}\n{photo[40:]}" width="20" height="10"/>'
        '<style>circle { stroke: url(#g) }</style><text x="10" y="95" style="fill:red">No. 1</text>'
    )
    image = load_image(write(tmp_path, "seal.svg", svg(body)), DEFAULT_LIMITS)
    assert image.format == "svg" and b"<!--" not in image.data


XXE = '<?xml version="1.0"?>\n<!DOCTYPE svg [<!ENTITY secret SYSTEM "file://{secret}">]>\n'
LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE svg [<!ENTITY a "lol"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
    '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>\n'
)
GIF_URI = "data:image/gif;base64," + base64.b64encode(other_format("GIF")).decode()
SVG_URI = "data:image/svg+xml;base64," + base64.b64encode(svg("").encode()).decode()

HOSTILE_SVGS = [
    ("image from the web", svg('<image href="http://example.com/seal.png" width="9" height="9"/>'),
     ["line 1: <image href=…> refers to http://example.com/seal.png outside the image", "self-contained"]),
    ("xlink to a local file", svg('<image xlink:href="file:///etc/passwd" width="9" height="9"/>'),
     ["<image href=…> refers to file:///etc/passwd"]),
    ("use of another file", svg('<use href="other.svg#ring"/>'), ["<use href=…> refers to other.svg#ring"]),
    ("javascript link", svg('<a href="javascript:alert(1)"><rect width="5" height="5"/></a>'),
     ["<a href=…> refers to javascript:alert(1)"]),
    ("feImage", svg('<filter id="f"><feImage href="https://example.com/x.png"/></filter>'), ["<feImage href=…>"]),
    ("script", svg("<script>alert(document.cookie)</script>"), ["a <script>", "without scripts"]),
    ("script in a namespace", svg('<svg:script xmlns:svg="http://www.w3.org/2000/svg">alert(1)</svg:script>'),
     ["a <script>"]),
    ("foreignObject", svg('<foreignObject width="9" height="9"><p xmlns="http://www.w3.org/1999/xhtml">x</p>'
                          "</foreignObject>"), ["a <foreignObject>"]),
    ("event attribute", svg('<rect width="5" height="5" onclick="alert(1)"/>'), ["event attribute onclick="]),
    ("onload on the root", svg("", 'width="10" height="10" onload="alert(1)"'), ["<svg> has the event attribute"]),
    ("XXE", XXE + svg("<text>&secret;</text>"), ["declares XML entities", "remove the <!DOCTYPE"]),
    ("billion laughs", LAUGHS + svg("<text>&d;</text>"), ["declares XML entities"]),
    ("@import url()", svg("<style>@import url(http://example.com/evil.css);</style>"), ["imports a style sheet"]),
    ("@import string", svg("<style>@import 'http://example.com/evil.css';</style>"), ["imports a style sheet"]),
    ("url() in a style element", svg("<style>circle { fill: url(http://example.com/p.svg#g) }</style>"),
     ["<style> url(…) refers to http://example.com/p.svg#g"]),
    ("escaped url()", svg("<style>circle { fill: u\\72l(http://example.com/p) }</style>"),
     ["refers to http://example.com/p"]),
    ("url() in a style attribute", svg('<rect width="5" height="5" style="fill: url(\'//example.com/x#g\')"/>'),
     ["<rect style=…> url(…) refers to //example.com/x#g"]),
    ("url() in a presentation attribute", svg('<rect width="5" height="5" filter="url(file:///tmp/f.svg#f)"/>'),
     ["<rect filter=…> url(…) refers to file:///tmp/f.svg#f"]),
    ("style sheet processing instruction",
     '<?xml-stylesheet type="text/css" href="http://example.com/s.css"?>\n' + svg(""), ["links a style sheet"]),
    ("animated href", svg('<a href="#x"><set attributeName="href" to="http://example.com/"/></a>'),
     ["<set> animates a link"]),
    ("embedded GIF", svg(f'<image href="{GIF_URI}" width="9" height="9"/>'),
     ["embeds a GIF image; only PNG or JPEG may be embedded"]),
    ("embedded SVG", svg(f'<image href="{SVG_URI}" width="9" height="9"/>'),
     ["embeds markup (an SVG", "only PNG or JPEG may be embedded"]),
    ("Chinese text", svg("<text x='10' y='50'>某某市人民政府</text>"),
     ["SVG text '某某市人民政府' can only be drawn in a Latin face", "convert the text to outlines"]),
    ("XHTML element", svg('<iframe xmlns="http://www.w3.org/1999/xhtml" src="http://example.com/"/>'),
     ["an <iframe>"]),
    ("not well-formed", svg("<g><rect></g>"), ["is not a well-formed SVG image"]),
    ("no size", svg("", ""), ["has neither a width and height nor a viewBox"]),
    ("bad length", svg("", 'width="big" height="10"'), ["width='big', which is not a length"]),
]  # fmt: skip


@pytest.mark.parametrize(("text", "words"), [case[1:] for case in HOSTILE_SVGS], ids=[case[0] for case in HOSTILE_SVGS])
def test_an_svg_that_reaches_outside_or_runs_code_is_refused(tmp_path: Path, text: str, words: list[str]) -> None:
    secret = write(tmp_path, "secret.txt", "CANARY-7f3a")
    path = write(tmp_path, "seal.svg", text.replace("{secret}", str(secret)))
    message = refused(path)
    assert message.startswith("seal.svg"), message
    for word in words:
        assert word in message, f"{word!r} not in {message!r}"
    assert "CANARY" not in message


def test_an_svg_with_too_many_elements_is_refused(tmp_path: Path) -> None:
    many = svg("<g/>" * 100_000)  # and the ring and the root: 100,002
    assert "has more than 100,000 elements" in refused(write(tmp_path, "seal.svg", many))
    assert load_image(write(tmp_path, "ok.svg", svg("<g/>" * 99_998)), DEFAULT_LIMITS).format == "svg"


def test_a_decompression_bomb_embedded_in_an_svg_is_refused(tmp_path: Path) -> None:
    bomb = base64.b64encode(with_ihdr_size(png_bytes(), 50_000, 50_000)).decode()
    message = refused(write(tmp_path, "seal.svg", svg(f'<image href="data:image/png;base64,{bomb}"/>')))
    assert message.startswith("the image embedded at seal.svg line 1 is a PNG image of 50,000 × 50,000 pixels")


def test_the_renderers_refuse_an_svg_image_built_without_the_loader() -> None:
    image = Image("svg", svg('<image href="http://example.com/x.png"/>').encode(), 10, 10, "made.svg")
    with pytest.raises(DocgenError, match=r"refers to http://example\.com/x\.png"):
        draw_image(Canvas(io.BytesIO()), image, 0, 0, 10, 10)
    with pytest.raises(DocgenError, match=r"refers to http://example\.com/x\.png"):
        raster_picture(image)


# ---------------------------------------------------------------- for the renderers


def pdf_of(image: Image, box: tuple[float, float, float, float] = (100, 300, 120, 120)) -> bytes:
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(400, 600), invariant=True)
    draw_image(canvas, image, *box)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def image_xobjects(pdf: bytes) -> list:
    resources = PdfReader(io.BytesIO(pdf)).pages[0]["/Resources"]
    objects = resources.get("/XObject", {})
    return [objects[key].get_object() for key in objects if objects[key].get_object()["/Subtype"] == "/Image"]


def red_bounds(pdf: bytes) -> tuple[float, float, float, float]:
    """Where red is on the page, in PDF points (x0, y0 from the bottom, x1, y1), rendered at 2 px/pt."""
    document = pypdfium2.PdfDocument(pdf)
    picture = document[0].render(scale=2).to_pil().convert("RGB")
    document.close()
    red = PILImage.eval(picture.split()[0], lambda v: 255 if v > 150 else 0)
    not_green = PILImage.eval(picture.split()[1], lambda v: 255 if v < 100 else 0)
    mask = PILImage.composite(red, PILImage.new("L", picture.size), not_green)
    left, top, right, bottom = mask.getbbox()
    height = picture.size[1] / 2
    return left / 2, height - bottom / 2, right / 2, height - top / 2


def test_a_transparent_png_is_drawn_with_its_soft_mask_in_its_box(tmp_path: Path) -> None:
    image = load_image(write(tmp_path, "seal.png", png_bytes()), DEFAULT_LIMITS)
    pdf = pdf_of(image)
    (xobject,) = image_xobjects(pdf)
    assert (xobject["/Width"], xobject["/Height"]) == (200, 200)
    alpha = set(xobject["/SMask"].get_object().get_data())
    assert 0 in alpha and 255 in alpha  # transparent around the ring, opaque on it
    x0, y0, x1, y1 = red_bounds(pdf)
    assert 100 <= x0 < 106 and 300 <= y0 < 306 and 214 < x1 <= 220 and 414 < y1 <= 420


def test_a_palette_png_with_a_transparent_index_keeps_its_transparency(tmp_path: Path) -> None:
    palette = seal_picture().convert("P", palette=PILImage.Palette.ADAPTIVE, colors=4)
    data = png_bytes(palette, transparency=palette.getpixel((0, 0)))
    image = load_image(write(tmp_path, "seal.png", data), DEFAULT_LIMITS)
    (xobject,) = image_xobjects(pdf_of(image))
    assert "/SMask" in xobject and 0 in set(xobject["/SMask"].get_object().get_data())


@pytest.mark.parametrize("mode", ["RGB", "L"])
def test_a_png_whose_white_is_its_transparent_colour_keeps_its_transparency(tmp_path: Path, mode: str) -> None:
    """A tRNS colour key, as some scanners cut out a seal: ReportLab alone would draw the white."""
    flat = PILImage.alpha_composite(PILImage.new("RGBA", (200, 200), "white"), seal_picture()).convert(mode)
    white = (255, 255, 255) if mode == "RGB" else 255
    image = load_image(write(tmp_path, "seal.png", png_bytes(flat, transparency=white)), DEFAULT_LIMITS)
    (xobject,) = image_xobjects(pdf_of(image))
    assert "/SMask" in xobject and 0 in set(xobject["/SMask"].get_object().get_data())


def test_a_16_bit_grey_png_keeps_its_greys(tmp_path: Path) -> None:
    grey = PILImage.new("I;16", (20, 20), 30_000)  # 46 % grey, not white
    image = load_image(write(tmp_path, "sign.png", png_bytes(grey)), DEFAULT_LIMITS)
    (xobject,) = image_xobjects(pdf_of(image))
    assert set(xobject.get_data()) == {30_000 // 257}


def test_a_jpeg_goes_into_the_pdf_as_it_is(tmp_path: Path) -> None:
    data = jpeg_bytes()
    image = load_image(write(tmp_path, "seal.jpg", data), DEFAULT_LIMITS)
    (xobject,) = image_xobjects(pdf_of(image))
    assert "/DCTDecode" in str(xobject["/Filter"]) and "/SMask" not in xobject
    assert xobject.get_data() == data


def test_an_svg_is_drawn_as_vectors_in_its_box(tmp_path: Path) -> None:
    image = load_image(write(tmp_path, "seal.svg", svg("")), DEFAULT_LIMITS)
    assert isinstance(pdf_drawable(image), Drawing)
    pdf = pdf_of(image, (50, 100, 200, 200))
    assert image_xobjects(pdf) == []  # no picture: paths
    x0, y0, x1, y1 = red_bounds(pdf)
    # The ring: radius 44 + half the 8-wide stroke of a 100-unit box, centred in the 200 pt box.
    assert x0 == pytest.approx(54, abs=1.5) and x1 == pytest.approx(246, abs=1.5)
    assert y0 == pytest.approx(104, abs=1.5) and y1 == pytest.approx(296, abs=1.5)


def test_docx_pictures_open_in_pillow(tmp_path: Path) -> None:
    png = load_image(write(tmp_path, "seal.png", png_bytes()), DEFAULT_LIMITS)
    jpeg = load_image(write(tmp_path, "seal.jpg", jpeg_bytes()), DEFAULT_LIMITS)
    assert raster_picture(png) == (png.data, "png") and raster_picture(jpeg) == (jpeg.data, "jpeg")
    image = load_image(write(tmp_path, "seal.svg", svg("", 'width="42mm" height="21mm" viewBox="0 0 100 50"')),
                       DEFAULT_LIMITS)  # fmt: skip
    data, extension = raster_picture(image)
    picture = PILImage.open(io.BytesIO(data))
    assert extension == "png" and picture.format == "PNG" and picture.mode == "RGBA"
    assert picture.size == (600, 300)
    assert picture.getpixel((0, 0))[3] == 0  # transparent outside the ring
    ring = [picture.getpixel((x, 150)) for x in range(0, 300)]
    assert any(r > 180 and g < 80 and a == 255 for r, g, _, a in ring)  # the ring's red, opaque


def test_a_docx_takes_the_pictures(tmp_path: Path) -> None:
    from docx import Document
    from docx.shared import Mm

    document = Document()
    for name, data in (("seal.png", png_bytes()), ("seal.svg", svg(""))):
        picture, extension = raster_picture(load_image(write(tmp_path, name, data), DEFAULT_LIMITS))
        document.add_picture(io.BytesIO(picture), width=Mm(42))
        assert extension == "png"
    document.save(tmp_path / "seals.docx")
    assert len(Document(tmp_path / "seals.docx").inline_shapes) == 2


def test_the_same_image_gives_the_same_bytes(tmp_path: Path) -> None:
    for name, data in (("seal.png", png_bytes()), ("seal.jpg", jpeg_bytes()), ("seal.svg", svg(""))):
        first = load_image(write(tmp_path, name, data), DEFAULT_LIMITS)
        second = load_image(tmp_path / name, DEFAULT_LIMITS)
        assert first == second
        assert raster_picture(first) == raster_picture(second)
        assert pdf_of(first) == pdf_of(second)
