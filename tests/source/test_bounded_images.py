"""Images on any input (#22): a seal whose placed size cannot fit the text block is refused at once,
images come only from the source's folder or an --image-dir, refusals tell nothing of what lies
outside, and a scanner's Adobe/CMYK JPEG builds in every format."""

from __future__ import annotations

import io
import re
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pypdfium2
import pytest
from click.testing import CliRunner
from PIL import Image as PILImage

from docgen.cli import main
from docgen.compose.document import compose_paragraphs
from docgen.errors import DocgenError, SourceError
from docgen.files.images import image_from_bytes
from docgen.limits import DEFAULT_LIMITS, Limits
from docgen.profile import load_profile
from docgen.render.images import raster_picture
from docgen.source.loader import load_document

HEAD = "title: 关于开展检查的通知\norgan: 济南市人民政府\ndate: 2023-04-25\npreamble: [现将有关事项通知如下。]\n"
RED = (200, 20, 20)


def png(width: int = 100, height: int = 100) -> bytes:
    buffer = io.BytesIO()
    PILImage.new("RGBA", (width, height), (*RED, 255)).save(buffer, "PNG")
    return buffer.getvalue()


def tall_svg(width: str = "1", height: str = "9999999") -> bytes:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}">'
        f'<rect width="{width}" height="{height}" fill="#c81414"/></svg>'
    ).encode()


def source(folder: Path, lines: str, name: str = "notice.yaml") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(HEAD + lines, encoding="utf-8")
    return path


def built(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.suffix in (".docx", ".pdf", ".html")) if folder.exists() else []


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    assert "Traceback" not in result.output
    return result.exit_code, result.output


# ---------------------------------------------------------------- placed size


TALL = [
    ("png 1×100000 seal", "tall.png", png(1, 100_000), "seal: tall.png\n", "the seal", 42, "4,200,000 mm tall"),
    ("svg 1×9999999 seal", "tall.svg", tall_svg(), "seal: tall.svg\n", "the seal", 42, "419,999,958 mm tall"),
    ("signer's seal", "tall.png", png(10, 400), "signer: {title: 市长, seal: tall.png}\n", "the signer's seal", 30,
     "1,200 mm tall"),
]  # fmt: skip


@pytest.mark.parametrize(("name", "data", "lines", "what", "width", "height"), [c[1:] for c in TALL],
                         ids=[c[0] for c in TALL])  # fmt: skip
def test_a_seal_taller_than_the_text_block_at_its_placed_width_is_refused(
    tmp_path: Path, name: str, data: bytes, lines: str, what: str, width: int, height: str
) -> None:
    (tmp_path / name).write_bytes(data)
    document = load_document(source(tmp_path, lines))  # the pixel count is within every limit
    start = time.perf_counter()
    with pytest.raises(DocgenError) as caught:
        compose_paragraphs(document, load_profile())
    assert time.perf_counter() - start < 1
    message = str(caught.value)
    assert message.startswith(f"{what} {name} (")
    assert f"placed {width} mm wide would be {height}; the text block is 225 mm tall" in message
    assert f"at most {225 / width:.3g} times as tall as wide" in message


def test_a_seal_as_tall_as_the_text_block_still_composes(tmp_path: Path) -> None:
    profile = load_profile()
    # 42 mm wide: 225 mm is 5.357 times that; 5.3 fits, 5.4 does not.
    (tmp_path / "fits.png").write_bytes(png(100, 530))
    (tmp_path / "over.png").write_bytes(png(100, 540))
    paras = compose_paragraphs(load_document(source(tmp_path, "seal: fits.png\n", "fits.yaml")), profile)
    (picture,) = [d for para in paras for d in para.decorations if getattr(d, "image", None)]
    assert picture.height_pt == pytest.approx(picture.width_pt * 5.3)
    with pytest.raises(DocgenError, match=r"over\.png"):
        compose_paragraphs(load_document(source(tmp_path, "seal: over.png\n", "over.yaml")), profile)


# docgen's command, reporting at exit the peak memory of its own process image. Not ru_maxrss: a child
# forked from the test run counts the copy of the test run's memory it was before exec, 460 MB in the suite.
_REPORTING_PEAK = (
    "import atexit, re, sys\n"
    "from docgen.cli import main\n"
    "status = lambda: re.search(r'VmHWM:.*', open('/proc/self/status').read()).group()\n"
    "atexit.register(lambda: print(status(), file=sys.stderr))\n"
    "main()\n"
)


def test_the_hostile_seal_builds_nothing_within_seconds_in_every_format(tmp_path: Path) -> None:
    (tmp_path / "tall.png").write_bytes(png(1, 100_000))  # 1 KB; it gave a 9,350-page PDF and a DOCX that hung
    path = source(tmp_path, "seal: tall.png\n")
    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-c", _REPORTING_PEAK, "build", str(path), "-o", str(tmp_path / "out"), "-f", "docx,pdf,html"],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    seconds = time.perf_counter() - start
    peak_mb = int(re.search(r"VmHWM:\s+(\d+) kB", result.stderr).group(1)) / 1024
    assert result.returncode == 2, result.stderr
    assert "the seal tall.png (1 × 100,000 px) placed 42 mm wide" in result.stderr
    assert "Traceback" not in result.stderr
    assert built(tmp_path / "out") == []
    assert seconds < 20 and peak_mb < 400, (seconds, peak_mb)


def test_a_hairline_svg_becomes_a_one_pixel_high_picture_in_a_docx() -> None:
    data, extension = raster_picture(image_from_bytes(tall_svg("9999999", "1"), "wide.svg"))
    assert extension == "png" and PILImage.open(io.BytesIO(data)).size == (600, 1)


# ---------------------------------------------------------------- where images may come from


def refusal(path: Path, limits: Limits = DEFAULT_LIMITS) -> str:
    with pytest.raises(SourceError) as caught:
        load_document(path, limits)
    return caught.value.message


def hostile_batch(tmp_path: Path, *extra: str) -> tuple[int, str]:
    """A template with `seal: "{{ seal }}"` and rows naming files inside and outside its folder."""
    private = tmp_path / "private"
    private.mkdir()
    (private / "secret.png").write_bytes(png())
    (private / "notes.txt").write_text("工资表", encoding="utf-8")
    template = source(tmp_path / "work" / "tpl", 'seal: "{{ seal }}"\n', "template.yaml")
    (template.parent / "seal.png").write_bytes(png())
    rows = tmp_path / "work" / "rows.csv"
    names = ["seal.png", "../../private/secret.png", "../../private/missing.png", "../../private/notes.txt",
             "../../private", str(private / "secret.png")]  # fmt: skip
    rows.write_text("n,seal\n" + "".join(f"{i},{name}\n" for i, name in enumerate(names)), encoding="utf-8")
    return run("batch", str(template), "--data", str(rows), "--name", "doc{n}", "-o", str(tmp_path / "out"),
               "-f", "html", "-j", "1", *extra)  # fmt: skip


def test_a_batch_row_cannot_embed_a_file_outside_the_templates_folder(tmp_path: Path) -> None:
    code, output = hostile_batch(tmp_path)
    assert code == 1
    assert built(tmp_path / "out") == ["doc0.html"]
    failures = [line for line in output.splitlines() if line.startswith("FAILED")]
    assert len(failures) == 5
    # One message for a PNG, a missing file, a text file, a folder, an absolute path: the path as given.
    shapes = set()
    for line in failures:
        given = line.split("'seal' '", 1)[1].split("'", 1)[0]
        assert line.endswith(
            f"'seal' '{given}' is not an allowed image: images are taken only from the folder of template.yaml "
            "and its subfolders, or from a folder given with --image-dir"
        )
        shapes.add(line.split(": ", 1)[1].replace(given, "NAME"))
    assert len(shapes) == 1, shapes


def test_image_dir_lets_a_batch_take_images_from_a_named_folder(tmp_path: Path) -> None:
    code, output = hostile_batch(tmp_path, "--image-dir", str(tmp_path / "private"))
    assert built(tmp_path / "out") == ["doc0.html", "doc1.html", "doc5.html"], output
    # Inside an allowed folder a clerk is told what is wrong, by the path as given.
    assert "'seal': ../../private/missing.png does not exist; images must be PNG, JPEG or SVG files" in output
    assert "'seal': ../../private/notes.txt is a text file; images must be PNG, JPEG or SVG" in output
    assert code == 1


def test_symlinks_are_followed_before_the_folder_is_checked(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.png").write_bytes(png())
    folder = tmp_path / "docs"
    (folder / "sub").mkdir(parents=True)
    (folder / "sub" / "seal.png").write_bytes(png())
    (folder / "link.png").symlink_to(outside / "secret.png")
    (folder / "linked").symlink_to(outside, target_is_directory=True)
    (folder / "loop.png").symlink_to(folder / "loop.png")
    for name in ("link.png", "linked/secret.png", "loop.png", "sub/../../outside/secret.png"):
        message = refusal(source(folder, f"seal: {name}\n"))
        assert message == (
            f"'seal' '{name}' is not an allowed image: images are taken only from the folder of notice.yaml "
            "and its subfolders, or from a folder given with --image-dir"
        )
    assert load_document(source(folder, "seal: sub/seal.png\n")).signature.seals[0].name == "sub/seal.png"
    allowed = Limits(image_dirs=(outside,))
    assert load_document(source(folder, "seal: link.png\n"), allowed).signature.seals[0].format == "png"
    # A source reached through a linked folder takes the images of the folder it really is in.
    (tmp_path / "alias").symlink_to(folder, target_is_directory=True)
    assert load_document(source(tmp_path / "alias", "seal: sub/seal.png\n")).signature.seals


def test_build_takes_image_dir_too(tmp_path: Path) -> None:
    (tmp_path / "seals").mkdir()
    (tmp_path / "seals" / "city.png").write_bytes(png())
    path = source(tmp_path / "docs", "seal: ../seals/city.png\n")
    out = str(tmp_path / "out")
    code, output = run("build", str(path), "-o", out, "-f", "html")
    assert code == 2 and "'seal' '../seals/city.png' is not an allowed image" in output
    code, output = run("build", str(path), "-o", out, "-f", "html", "--image-dir", str(tmp_path / "seals"))
    assert code == 0, output


def test_messages_never_show_a_files_bytes_or_resolved_path(tmp_path: Path) -> None:
    (tmp_path / "seal.png").write_bytes(bytes(range(1, 9)) + bytes(100))
    message = refusal(source(tmp_path, "seal: seal.png\n"))
    assert message == "'seal': seal.png is not an image docgen recognises; images must be PNG, JPEG or SVG"
    message = refusal(source(tmp_path, "seal: sub/../gone.png\n"))
    assert message == "'seal': sub/../gone.png does not exist; images must be PNG, JPEG or SVG files"
    assert str(tmp_path) not in message


# ---------------------------------------------------------------- a scanner's JPEG


def cmyk_jpeg() -> bytes:
    """What scanners write: CMYK with Adobe's APP14 marker, no JFIF or Exif segment."""
    buffer = io.BytesIO()
    PILImage.new("CMYK", (120, 120), (0, 230, 230, 20)).save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


def test_an_adobe_cmyk_jpeg_seal_builds_as_docx_and_pdf(tmp_path: Path) -> None:
    from docx.image.image import Image as DocxImage

    data = cmyk_jpeg()
    assert b"Adobe" in data[:64] and b"JFIF" not in data and b"Exif" not in data
    (tmp_path / "scan.jpg").write_bytes(data)
    path = source(tmp_path, "seal: scan.jpg\n")
    code, output = run("build", str(path), "-o", str(tmp_path / "out"), "-f", "docx,pdf")
    assert code == 0, output
    with zipfile.ZipFile(tmp_path / "out" / "notice.docx") as package:
        (media,) = [name for name in package.namelist() if name.startswith("word/media/")]
        embedded = package.read(media)
    assert media.endswith(".jpg") and DocxImage.from_blob(embedded).content_type == "image/jpeg"
    picture = PILImage.open(io.BytesIO(embedded))
    assert picture.mode == "RGB" and _is_red(picture.getpixel((60, 60)))
    document = pypdfium2.PdfDocument(tmp_path / "out" / "notice.pdf")
    try:
        (image,) = [
            obj for page in document for obj in page.get_objects() if obj.type == pypdfium2.raw.FPDF_PAGEOBJ_IMAGE
        ]
        assert _is_red(image.get_bitmap(render=True).to_pil().convert("RGB").getpixel((30, 30)))
    finally:
        document.close()
    image = image_from_bytes(data, "scan.jpg")
    assert raster_picture(image) == raster_picture(image)  # re-encoded the same every time


def _is_red(pixel: tuple[int, ...]) -> bool:
    red, green, blue = pixel[:3]
    return red > 180 and green < 90 and blue < 90
