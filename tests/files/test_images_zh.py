"""A seal docgen refuses, in Chinese (its default language): the message names the file first and says
in Chinese what is wrong; nothing English is left but file names, formats, markup and option names."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from PIL import Image as PILImage

from docgen import i18n
from docgen.cli import main
from docgen.errors import DocgenError
from docgen.files.images import load_image
from docgen.limits import DEFAULT_LIMITS, Limits

HEAD = "title: 关于开展检查的通知\norgan: 济南市人民政府\ndate: 2023-04-25\npreamble: [现将有关事项通知如下。]\n"
# Options and profile keys stay as the user types them; what remains must hold no English sentence words.
_NAMES = re.compile(r"--[\w-]+|limits\.\w+")
_ENGLISH = re.compile(r"\b(the|is|are|a|an|must|not|does|exist|images?|seals?|pixels|bytes|files?|limited)\b", re.I)


@pytest.fixture(autouse=True)
def chinese() -> Iterator[None]:
    i18n.speak(i18n.CHINESE, main)
    yield
    i18n.speak(i18n.ENGLISH, main)


def refusal(path: Path, limits: Limits = DEFAULT_LIMITS, name: str | None = None) -> str:
    with pytest.raises(DocgenError) as caught:
        load_image(path, limits, name=name)
    return str(caught.value)


def assert_chinese(message: str, begins: str, *words: str) -> None:
    assert message.startswith(begins), message
    for word in words:
        assert word in message, f"{word!r} not in {message!r}"
    rest = _NAMES.sub("", message.removeprefix(begins))
    assert not _ENGLISH.search(rest), message


def png(width: int, height: int) -> bytes:
    buffer = io.BytesIO()
    PILImage.new("RGBA", (width, height), (200, 20, 20, 255)).save(buffer, "PNG")
    return buffer.getvalue()


def test_a_missing_seal(tmp_path: Path) -> None:
    message = refusal(tmp_path / "seal.png", name="印章/seal.png")
    assert_chinese(message, "印章/seal.png 不存在", "图片须为 PNG、JPEG 或 SVG 文件")


def test_a_photoshop_file_posing_as_a_seal(tmp_path: Path) -> None:
    path = tmp_path / "seal.png"
    path.write_bytes(b"8BPS\x00\x01" + bytes(64))
    assert_chinese(refusal(path), "seal.png 是一个 Photoshop 文档", "图片须为 PNG、JPEG 或 SVG")


def test_a_png_over_the_size_limit(tmp_path: Path) -> None:
    path = tmp_path / "seal.png"
    path.write_bytes(png(300, 300))
    limit = path.stat().st_size - 1
    message = refusal(path, Limits(max_image_bytes=limit))
    assert_chinese(
        message,
        f"seal.png 有 {limit + 1:,} 字节",
        f"图片上限为 {limit:,} 字节",
        "--max-image-mb",
        "limits.max_image_mb",
    )


def test_a_png_over_the_pixel_limit(tmp_path: Path) -> None:
    path = tmp_path / "seal.png"
    path.write_bytes(png(400, 300))
    message = refusal(path, Limits(max_image_pixels=100_000))
    assert_chinese(
        message,
        "seal.png 是 400 × 300 像素的 PNG 图片",
        "图片上限为 100,000 像素",
        "--max-image-megapixels",
    )


def test_an_svg_with_a_script(tmp_path: Path) -> None:
    path = tmp_path / "seal.svg"
    path.write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="42mm" height="42mm">\n'
        '<circle cx="50" cy="50" r="44"/>\n<script>alert(1)</script>\n</svg>\n',
        encoding="utf-8",
    )
    assert_chinese(refusal(path), "seal.svg 第 3 行：含有 <script> 元素", "SVG 图片只能是图形")


def test_a_build_names_the_source_line_and_the_seal_in_chinese(tmp_path: Path) -> None:
    source = tmp_path / "notice.yaml"
    source.write_text(HEAD + "seal: 印章.png\n", encoding="utf-8")
    (tmp_path / "印章.png").write_bytes(b"8BPS\x00\x01" + bytes(64))
    result = CliRunner(env={"DOCGEN_LANG": "zh"}).invoke(main, ["build", str(source), "-o", str(tmp_path / "out")])
    assert result.exit_code == 2, result.output
    assert f"{source}:5:" in result.output, result.output
    assert "印章.png 是一个 Photoshop 文档；图片须为 PNG、JPEG 或 SVG" in result.output, result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "out").exists()
