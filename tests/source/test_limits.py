"""Limits as settings: the profile's limits: section and the --max-… options each decide what is
refused, a huge source is refused before it is read, and every message states the limit."""

from __future__ import annotations

import io
import os
import threading
import time
import tracemalloc
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from PIL import Image as PILImage
from PIL import ImageDraw

from docgen.cli import main
from docgen.errors import DocgenError, SourceError
from docgen.jobs.batch import Job, run_job
from docgen.limits import DEFAULT_LIMITS, Limits, limits_from_settings, read_limited
from docgen.profile import DEFAULT_PROFILE, load_profile
from docgen.source.loader import compose_source, load_document

HEAD = "title: 关于做好安全生产工作的通知\norgan: 某某市人民政府\ndate: 2024-03-15\n"
KIB = 1024


def source_of_size(path: Path, size: int) -> Path:
    """A valid source of exactly ``size`` bytes (a preamble paragraph padded with 字, then spaces)."""
    text = HEAD + "preamble:\n  - 正文"
    room = size - len(text.encode()) - len("。\n".encode())
    assert room >= 0
    path.write_text(text + "字" * (room // 3) + "。" + " " * (room % 3) + "\n", encoding="utf-8")
    assert path.stat().st_size == size
    return path


def profile_with(tmp_path: Path, **limits: float) -> Path:
    data = yaml.safe_load(DEFAULT_PROFILE.read_text(encoding="utf-8"))
    data["limits"] = {**data.get("limits", {}), **limits}
    path = tmp_path / "profile.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def build(tmp_path: Path, source: Path, *options: str) -> tuple[int, str, Path]:
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["build", str(source), "-o", str(out), "-f", "html", *options])
    assert "Traceback" not in result.output
    return result.exit_code, result.output, out


def seal_png(path: Path, side: int) -> Path:
    picture = PILImage.new("RGBA", (side, side), (0, 0, 0, 0))
    ImageDraw.Draw(picture).ellipse((2, 2, side - 3, side - 3), outline=(220, 20, 20, 255), width=max(2, side // 20))
    buffer = io.BytesIO()
    picture.save(buffer, "PNG")
    path.write_bytes(buffer.getvalue())
    return path


# ---------------------------------------------------------------- the settings themselves


def test_the_default_profile_states_the_default_limits() -> None:
    profile = load_profile()
    assert profile.limits == DEFAULT_LIMITS
    assert Limits(20 * 2**20, 64, 5 * 2**20, 40_000_000) == DEFAULT_LIMITS
    assert yaml.safe_load(DEFAULT_PROFILE.read_text(encoding="utf-8"))["limits"] == DEFAULT_LIMITS.settings()


def test_a_profile_without_limits_gets_the_defaults(tmp_path: Path) -> None:
    data = yaml.safe_load(DEFAULT_PROFILE.read_text(encoding="utf-8"))
    del data["limits"]
    path = tmp_path / "old.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    assert load_profile(path).limits == DEFAULT_LIMITS


@pytest.mark.parametrize(
    ("limits", "words"),
    [
        ({"max_source_mb": 0}, "'limits.max_source_mb' must be a number greater than 0, got 0"),
        ({"max_nesting": 2.5}, "'limits.max_nesting' must be a whole number greater than 0, got 2.5"),
        ({"max_image_mb": "5MB"}, "'limits.max_image_mb' must be a number greater than 0, got '5MB'"),
        ({"max_image_mp": 5}, "unknown setting 'limits.max_image_mp' (expected one of: max_source_mb,"),
    ],
)
def test_a_bad_limit_in_the_profile_names_the_file_and_the_setting(tmp_path: Path, limits: dict, words: str) -> None:
    path = profile_with(tmp_path, **limits)
    with pytest.raises(DocgenError) as caught:
        load_profile(path)
    assert str(caught.value).startswith(f"{path}: layout profile: ") and words in str(caught.value)


def test_settings_are_in_megabytes_and_megapixels() -> None:
    limits = limits_from_settings(
        {"max_source_mb": 0.5, "max_nesting": 8, "max_image_mb": 2, "max_image_megapixels": 1.5}
    )
    assert limits == Limits(512 * KIB, 8, 2 * 2**20, 1_500_000)
    assert limits.with_settings(nesting=9) == Limits(512 * KIB, 9, 2 * 2**20, 1_500_000)
    assert limits.with_settings() == limits


# ---------------------------------------------------------------- source size


def test_the_profile_sets_the_source_size_limit(tmp_path: Path) -> None:
    profile = profile_with(tmp_path, max_source_mb=10 / 1024)  # 10 KiB
    code, output, out = build(tmp_path, source_of_size(tmp_path / "big.yaml", 10 * KIB + 3), "--profile", str(profile))
    assert code == 2
    assert output.strip() == (
        f"docgen: error in source: {tmp_path / 'big.yaml'}:1:1: the source is 10,243 bytes; sources are limited to "
        "10,240 bytes (0.00977 MB; set by --max-source-mb or the profile's limits.max_source_mb)"
    )
    assert not (out / "big.html").exists()
    code, output, out = build(tmp_path, source_of_size(tmp_path / "fits.yaml", 10 * KIB - 2), "--profile", str(profile))
    assert code == 0, output
    assert (out / "fits.html").is_file()


def test_the_cli_option_sets_the_source_size_limit_over_the_profile(tmp_path: Path) -> None:
    source = source_of_size(tmp_path / "notice.yaml", 20 * KIB + 1)
    code, output, _ = build(tmp_path, source, "--max-source-mb", "0.01953125")  # 20 KiB
    assert code == 2 and "the source is 20,481 bytes; sources are limited to 20,480 bytes (0.0195 MB;" in output
    tight = profile_with(tmp_path, max_source_mb=0.001)
    code, output, out = build(tmp_path, source, "--profile", str(tight), "--max-source-mb", "0.03")
    assert code == 0, output
    assert (out / "notice.html").is_file()
    code, output, _ = build(tmp_path, source, "--profile", str(tight), "--force")
    assert code == 2 and "sources are limited to 1,048 bytes" in output  # the profile's, once no option is given


def test_a_lowered_limit_refuses_a_source_that_was_built_before(tmp_path: Path) -> None:
    """Not skipped as unchanged: the limits are part of what a build depends on."""
    source = tmp_path / "notice.yaml"  # nested 5 deep: the document, sections, a section, its body, a heading
    source.write_text(
        HEAD + "sections:\n  - heading: 总体要求\n    body:\n      - {heading: 加强领导。, text: 正文。}\n"
    )
    assert build(tmp_path, source)[0] == 0
    code, output, _ = build(tmp_path, source)
    assert code == 0 and "skipped" in output
    code, output, _ = build(tmp_path, source, "--max-nesting", "4")
    assert code == 2 and "nested more than 4 levels deep" in output


def test_a_pipe_or_a_device_is_refused_without_being_opened(tmp_path: Path) -> None:
    """Opening a named pipe waits for a writer, and /dev/zero never ends: neither is opened."""
    fifo = tmp_path / "notice.yaml"
    os.mkfifo(fifo)
    caught: list[BaseException] = []

    def load() -> None:
        try:
            compose_source(fifo)
        except SourceError as error:
            caught.append(error)

    reader = threading.Thread(target=load)
    reader.start()
    reader.join(timeout=5)
    if reader.is_alive():  # it opened the pipe and waits: a writer lets it go, and the test fails
        fifo.open("wb").close()
        reader.join()
        pytest.fail("the loader opened the named pipe and waited for a writer")
    assert f"{fifo}:1:1: cannot read the source: it is a named pipe (FIFO), not a regular file" in str(caught[0])
    with pytest.raises(OSError, match="it is a device, not a regular file"):
        read_limited(Path("/dev/zero"), 2**20)


def test_a_100_mb_source_is_refused_unread_in_bounded_time_and_memory(tmp_path: Path) -> None:
    big = tmp_path / "huge.yaml"
    with big.open("wb") as stream:  # sparse: no disk, but 100 MB to anyone who reads it
        stream.write(HEAD.encode())
        stream.truncate(100 * 2**20)
    tracemalloc.start()
    start = time.perf_counter()
    with pytest.raises(SourceError) as caught:
        compose_source(big)
    loader_seconds = time.perf_counter() - start
    result = CliRunner().invoke(main, ["build", str(big), "-o", str(tmp_path / "out"), "-f", "html"])
    seconds = time.perf_counter() - start
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert "the source is 104,857,600 bytes; sources are limited to 20,971,520 bytes (20 MB;" in str(caught.value)
    assert result.exit_code == 2 and "the source is 104,857,600 bytes" in result.output
    assert loader_seconds < 0.05 and seconds < 1.0, (loader_seconds, seconds)
    assert peak < 5 * 2**20, f"{peak:,} bytes allocated: the file was read"


def test_reading_a_small_file_costs_its_own_size_not_the_limit(tmp_path: Path) -> None:
    source = source_of_size(tmp_path / "notice.yaml", 2 * KIB)
    tracemalloc.start()
    size, data = read_limited(source, DEFAULT_LIMITS.max_source_bytes)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert (size, data) == (2 * KIB, source.read_bytes())
    assert peak < 64 * KIB, f"{peak:,} bytes allocated to read 2 KiB"
    assert read_limited(source, 2 * KIB - 1) == (2 * KIB, None)


def test_a_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="cannot read the source: Is a directory"):
        compose_source(tmp_path)


# ---------------------------------------------------------------- nesting


def test_the_nesting_limit_is_a_setting(tmp_path: Path) -> None:
    source = tmp_path / "notice.yaml"  # the document (1), sections (2), a section (3), its body (4), a heading (5)
    source.write_text(
        HEAD + "sections:\n  - heading: 总体要求\n    body:\n      - {heading: 加强领导。, text: 正文。}\n"
    )
    code, output, _ = build(tmp_path, source, "--max-nesting", "4")
    assert code == 2 and f"{source}:7:9: nested more than 4 levels deep; sources are limited to 4 levels" in output
    code, output, _ = build(tmp_path, source, "--profile", str(profile_with(tmp_path, max_nesting=4)))
    assert code == 2 and "(set by --max-nesting or the profile's limits.max_nesting)" in output
    assert build(tmp_path, source, "--max-nesting", "5")[0] == 0
    assert load_document(source, Limits(max_nesting=5)).sections
    with pytest.raises(SourceError, match="nested more than 4 levels"):
        load_document(source, Limits(max_nesting=4))


# ---------------------------------------------------------------- images


def test_the_image_limits_are_settings(tmp_path: Path) -> None:
    seal = seal_png(tmp_path / "seal.png", 300)  # 90,000 pixels
    source = tmp_path / "notice.yaml"
    source.write_text(HEAD + "seal: seal.png\npreamble: [正文。]\n", encoding="utf-8")
    code, output, _ = build(tmp_path, source, "--max-image-megapixels", "0.089999")
    assert code == 2
    assert f"{source}:4:7:" in output and "seal.png is a PNG image of 300 × 300 pixels" in output
    assert "images are limited to 89,999 pixels (0.09 megapixels; set by --max-image-megapixels" in output
    code, output, _ = build(tmp_path, source, "--profile", str(profile_with(tmp_path, max_image_megapixels=0.08)))
    assert code == 2 and "images are limited to 80,000 pixels" in output
    size = seal.stat().st_size
    code, output, _ = build(tmp_path, source, "--max-image-mb", str((size - 1) / 2**20))
    assert code == 2 and f"seal.png is {size:,} bytes; images are limited to {size - 1:,} bytes" in output
    code, output, out = build(tmp_path, source, "--max-image-mb", str(size / 2**20), "--max-image-megapixels", "0.09")
    assert code == 0, output
    assert (out / "notice.html").is_file()


# ---------------------------------------------------------------- batch


def test_batch_takes_the_limits_for_the_template_and_every_row(tmp_path: Path) -> None:
    template = tmp_path / "template.yaml"
    template.write_text(HEAD + "preamble: ['{{ text }}']\n", encoding="utf-8")
    rows = tmp_path / "rows.yaml"
    rows.write_text(yaml.safe_dump([{"text": "第一段。"}, {"text": "第二段。"}], allow_unicode=True), encoding="utf-8")
    out = tmp_path / "out"
    base = ["batch", str(template), "--data", str(rows), "-o", str(out), "-f", "html", "-j", "1"]
    result = CliRunner().invoke(main, [*base, "--max-source-mb", "0.0001"])
    assert result.exit_code == 2 and "sources are limited to 104 bytes" in result.output
    assert not out.exists() or not list(out.glob("*.html"))
    result = CliRunner().invoke(main, [*base, "--max-nesting", "1"])
    assert result.exit_code == 2 and "nested more than 1 levels deep" in result.output
    result = CliRunner().invoke(main, base)
    assert result.exit_code == 0, result.output
    assert sorted(path.name for path in out.glob("*.html")) == ["template-1.html", "template-2.html"]


def test_batch_rows_take_the_image_limits(tmp_path: Path) -> None:
    seal_png(tmp_path / "seal.png", 300)  # 90,000 pixels
    template = tmp_path / "template.yaml"
    template.write_text(HEAD + "seal: seal.png\npreamble: ['{{ text }}']\n", encoding="utf-8")
    rows = tmp_path / "rows.yaml"
    rows.write_text(yaml.safe_dump([{"text": "第一段。"}, {"text": "第二段。"}], allow_unicode=True), encoding="utf-8")
    out = tmp_path / "out"
    base = ["batch", str(template), "--data", str(rows), "-o", str(out), "-f", "html", "-j", "1"]
    result = CliRunner().invoke(main, [*base, "--max-image-megapixels", "0.05"])
    assert result.exit_code == 1 and result.output.count("images are limited to 50,000 pixels") == 2
    result = CliRunner().invoke(main, base)
    assert result.exit_code == 0, result.output
    assert len(list(out.glob("*.html"))) == 2


def test_a_job_carries_its_limits_to_the_worker(tmp_path: Path) -> None:
    source = source_of_size(tmp_path / "notice.yaml", 3 * KIB + 1)
    job = Job("notice", str(source), source, tmp_path / "out", ("html",), DEFAULT_PROFILE.resolve())
    assert run_job(job).status == "built"
    tight = Job("notice", str(source), source, tmp_path / "out", ("html",), DEFAULT_PROFILE.resolve(),
                limits=Limits(max_source_bytes=3 * KIB))  # fmt: skip
    result = run_job(tight)
    assert result.status == "failed" and result.source_error
    assert "sources are limited to 3,072 bytes" in result.message
