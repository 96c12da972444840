"""Images on any input (#22): a seal whose placed size cannot fit the text block is refused at once."""

from __future__ import annotations

import io
import resource
import subprocess
import sys
import time
from pathlib import Path

import pytest
from PIL import Image as PILImage

from docgen.compose import compose
from docgen.errors import DocgenError
from docgen.images import docx_picture, image_from_bytes
from docgen.loader import load_document
from docgen.profile import load_profile

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
        compose(document, load_profile())
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
    paras = compose(load_document(source(tmp_path, "seal: fits.png\n", "fits.yaml")), profile)
    (picture,) = [d for para in paras for d in para.decorations if getattr(d, "image", None)]
    assert picture.height_pt == pytest.approx(picture.width_pt * 5.3)
    with pytest.raises(DocgenError, match=r"over\.png"):
        compose(load_document(source(tmp_path, "seal: over.png\n", "over.yaml")), profile)


def test_the_hostile_seal_builds_nothing_within_seconds_in_every_format(tmp_path: Path) -> None:
    (tmp_path / "tall.png").write_bytes(png(1, 100_000))  # 1 KB; it gave a 9,350-page PDF and a DOCX that hung
    path = source(tmp_path, "seal: tall.png\n")
    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "docgen.cli", "build", str(path), "-o", str(tmp_path / "out"), "-f", "docx,pdf,html"],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    seconds = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    assert result.returncode == 2, result.stderr
    assert "the seal tall.png (1 × 100,000 px) placed 42 mm wide" in result.stderr
    assert "Traceback" not in result.stderr
    assert built(tmp_path / "out") == []
    assert seconds < 20 and peak_mb < 400, (seconds, peak_mb)


def test_a_hairline_svg_becomes_a_one_pixel_high_picture_in_a_docx() -> None:
    data, extension = docx_picture(image_from_bytes(tall_svg("9999999", "1"), "wide.svg"))
    assert extension == "png" and PILImage.open(io.BytesIO(data)).size == (600, 1)
