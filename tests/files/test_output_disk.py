"""A full or read-only disk: one clear line and a non-zero exit, no traceback, no temporary or
half-written file left, and an older output untouched. Real file systems: a tiny tmpfs (root may
mount one; these tests are skipped, saying why, where mounting is not permitted)."""

from __future__ import annotations

import errno
import os
import stat
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from docgen.cli import main

SOURCE = """title: 关于做好安全生产工作的通知
organ: 某某市人民政府
date: 2024-03-15
preamble:
  - {text}
"""
OLDER = b"an older, complete output that must survive"


def _mount(point: Path, options: str) -> str | None:
    """Mount a tmpfs at ``point``; None, or why it could not be done."""
    if os.geteuid() != 0:
        return "mounting a tmpfs needs root"
    result = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(point)], capture_output=True, text=True, check=False
    )
    return None if result.returncode == 0 else f"mount -t tmpfs is not permitted here: {result.stderr.strip()}"


@pytest.fixture
def tmpfs(tmp_path: Path) -> Iterator[Callable[[str], Path]]:
    """``tmpfs(size)`` mounts a tmpfs of that size at tmp_path/out and returns it; unmounted afterwards."""
    mounted: list[Path] = []

    def mount(size: str) -> Path:
        point = tmp_path / "out"
        point.mkdir()
        reason = _mount(point, f"size={size},mode=0755")
        if reason:
            pytest.skip(reason)
        mounted.append(point)
        return point

    yield mount
    for point in mounted:
        subprocess.run(["umount", "-l", str(point)], check=False)


def fill(folder: Path) -> Path:
    """Fill the file system of ``folder`` to the last byte; the filler is returned to free it later."""
    filler = folder / "filler.bin"
    with filler.open("wb", buffering=0) as stream:
        chunk = b"\0" * 65536
        while chunk:
            try:
                stream.write(chunk)
            except OSError as error:
                assert error.errno == errno.ENOSPC, error
                chunk = chunk[: len(chunk) // 2]
    return filler


def leftovers(folder: Path) -> list[str]:
    """Temporary or partial files anywhere under ``folder`` (the stamps folder included)."""
    return sorted(str(path.relative_to(folder)) for path in folder.rglob("*") if path.name.endswith(".tmp"))


def build(tmp_path: Path, out: Path, *options: str, text: str = "正文。") -> tuple[int, str]:
    source = tmp_path / "notice.yaml"
    source.write_text(SOURCE.format(text=text), encoding="utf-8")
    result = CliRunner().invoke(main, ["build", str(source), "-o", str(out), *options])
    return result.exit_code, result.output


@pytest.mark.parametrize("free", [0, 8192], ids=["no byte free", "8 KB free: the write fails half-way"])
def test_a_full_disk_is_a_clear_error_and_the_older_output_stays(
    tmp_path: Path, tmpfs: Callable[[str], Path], free: int
) -> None:
    out = tmpfs("256k")
    (out / "notice.docx").write_bytes(OLDER)
    filler = fill(out)
    if free:
        os.truncate(filler, filler.stat().st_size - free)
    code, output = build(tmp_path, out, "-f", "docx", text="正文。" * 400)
    assert code == 2, output
    assert output.strip() == f"docgen: error: cannot write {out / 'notice.docx'}: No space left on device"
    assert (out / "notice.docx").read_bytes() == OLDER
    assert leftovers(out) == []
    assert sorted(path.name for path in out.iterdir() if not path.name.startswith(".")) == ["filler.bin", "notice.docx"]
    # The same command succeeds once there is room: nothing was left in a state that stops it.
    filler.unlink()
    code, output = build(tmp_path, out, "-f", "docx", text="正文。" * 400)
    assert code == 0, output
    assert (out / "notice.docx").read_bytes()[:2] == b"PK" and leftovers(out) == []


def test_a_batch_on_a_full_disk_reports_every_document_and_leaves_nothing(
    tmp_path: Path, tmpfs: Callable[[str], Path]
) -> None:
    out = tmpfs("128k")
    sources = tmp_path / "sources"
    sources.mkdir()
    for name in ("a", "b", "c"):
        (sources / f"{name}.yaml").write_text(SOURCE.format(text=f"第{name}份。"), encoding="utf-8")
    fill(out)
    result = CliRunner().invoke(main, ["build", str(sources), "-o", str(out), "-f", "html", "-j", "1"])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    failed = [line for line in result.output.splitlines() if line.startswith("FAILED")]
    assert len(failed) == 3 and all("No space left on device" in line for line in failed), result.output
    assert leftovers(out) == [] and not list(out.glob("*.html"))


def test_a_read_only_output_folder_is_a_clear_error_and_the_older_output_stays(
    tmp_path: Path, tmpfs: Callable[[str], Path]
) -> None:
    """Root ignores permission bits, so the folder is on a file system mounted read-only."""
    out = tmpfs("256k")
    (out / "notice.pdf").write_bytes(OLDER)
    remount = subprocess.run(["mount", "-o", "remount,ro", str(out)], capture_output=True, text=True, check=False)
    if remount.returncode != 0:
        pytest.skip(f"remounting read-only is not permitted here: {remount.stderr.strip()}")
    code, output = build(tmp_path, out, "-f", "html,pdf")
    assert code == 2, output
    assert output.strip() == f"docgen: error: cannot write to {out}: Read-only file system"
    assert (out / "notice.pdf").read_bytes() == OLDER
    assert sorted(path.name for path in out.iterdir()) == ["notice.pdf"]


def test_written_files_get_the_mode_any_new_file_gets(tmp_path: Path) -> None:
    """Not mkstemp's owner-only 0600: a built PDF is as readable as a file the user saves."""
    from docgen.files.atomic import write_atomically

    plain = tmp_path / "plain.txt"
    plain.write_bytes(b"x")
    written = tmp_path / "written.pdf"
    write_atomically(written, b"%PDF-")
    assert stat.S_IMODE(written.stat().st_mode) == stat.S_IMODE(plain.stat().st_mode)
