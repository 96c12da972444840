"""Atomic writes decision by decision: the modes a written file and its temporary get, the folders
made on the way, the temporary's name, which temporaries count as stale (ended, zombie, running,
another machine's, a user's own), and the byte-identical zip."""

from __future__ import annotations

import io
import os
import re
import subprocess
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from docgen.errors import DocgenError
from docgen.files.atomic import (
    longest_temporary_name,
    normalized_zip,
    remove_stale_temporaries,
    write_all_atomically,
    write_atomically,
)


@pytest.fixture
def umask() -> Iterator[int]:
    """A known umask for the test, the old one back after it."""
    old = os.umask(0o022)
    yield 0o022
    os.umask(old)


def test_a_new_file_gets_the_mode_any_new_file_gets(tmp_path: Path, umask: int) -> None:
    target = tmp_path / "a.pdf"
    write_atomically(target, b"%PDF")
    assert target.read_bytes() == b"%PDF" and target.stat().st_mode & 0o7777 == 0o666 & ~umask


def test_a_rewritten_file_keeps_the_mode_it_is_given(tmp_path: Path, umask: int) -> None:
    target = tmp_path / "notice.yaml"
    write_atomically(target, b"old")
    write_atomically(target, b"new", mode=0o640)
    assert target.read_bytes() == b"new" and target.stat().st_mode & 0o7777 == 0o640
    write_all_atomically({target: b"newer", tmp_path / "b.html": b"<html>"}, mode=0o604)
    assert target.stat().st_mode & 0o7777 == 0o604 and (tmp_path / "b.html").stat().st_mode & 0o7777 == 0o604


def test_the_temporary_has_no_more_than_its_owners_rights_before_its_mode_is_set(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Until fchmod gives it the older file's mode (here 0644), nobody but its owner may open it."""
    seen: list[int] = []
    fchmod = os.fchmod

    def recording_fchmod(handle: int, mode: int) -> None:
        seen.append(os.fstat(handle).st_mode & 0o7777)
        fchmod(handle, mode)

    monkeypatch.setattr(os, "fchmod", recording_fchmod)
    write_atomically(tmp_path / "a.docx", b"PK", mode=0o644)
    assert seen == [0o600]


def test_the_folders_on_the_way_are_made(tmp_path: Path) -> None:
    target = tmp_path / "out" / "2024" / "03" / "a.pdf"
    write_atomically(target, b"%PDF")
    assert target.read_bytes() == b"%PDF"


@pytest.mark.parametrize("older", [b"older", None])
def test_a_set_whose_second_rename_fails_puts_the_first_file_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, older: bytes | None
) -> None:
    """The PDF was renamed into place, the DOCX's rename fails: the PDF gets its older bytes back
    (or goes, if it had none), the error names the DOCX, and no temporary or backup stays."""
    pdf, docx = tmp_path / "a.pdf", tmp_path / "a.docx"
    if older is not None:
        pdf.write_bytes(older)
    replace = os.replace

    def second_fails(source: os.PathLike[str], target: os.PathLike[str]) -> None:
        if Path(target) == docx:
            raise OSError(28, "No space left on device")
        replace(source, target)

    monkeypatch.setattr(os, "replace", second_fails)
    with pytest.raises(DocgenError) as error:
        write_all_atomically({pdf: b"%PDF new", docx: b"PK new"})
    assert str(docx) in str(error.value) and "No space left on device" in str(error.value)
    assert (pdf.read_bytes() if pdf.exists() else None) == older
    assert not docx.exists()
    assert sorted(path.name for path in tmp_path.iterdir()) == (["a.pdf"] if older else [])


def _temporary_name_of(tmp_path: Path, name: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """The name of the temporary a write of ``name`` uses (its rename made to fail, so it stays seen)."""
    names: list[str] = []

    def failing_replace(source: os.PathLike[str], target: os.PathLike[str]) -> None:
        names.append(Path(source).name)
        raise OSError(28, "No space left on device")

    with monkeypatch.context() as patch:
        patch.setattr(os, "replace", failing_replace)
        with pytest.raises(DocgenError):
            write_atomically(tmp_path / name, b"data")
    assert not list(tmp_path.glob(".*.tmp"))  # the failed write took its temporary away
    return names[0]


def test_a_temporary_is_named_for_its_file_its_machine_and_its_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    name = _temporary_name_of(tmp_path, "通知.pdf", monkeypatch)
    assert re.fullmatch(rf"\.通知\.pdf\.docgen-[0-9a-f]{{8}}-{os.getpid()}-[0-9a-f]{{8}}\.tmp", name), name
    assert len(name.encode()) <= longest_temporary_name("通知.pdf")
    assert longest_temporary_name("通知.pdf") == len(".通知.pdf.docgen-".encode()) + 8 + 1 + 7 + 1 + 8 + 4


def _host_of(temporary: str) -> str:
    return temporary.split(".docgen-")[1].split("-")[0]


def _ended_unreaped(command: list[str]) -> subprocess.Popen[bytes]:
    """A child that has ended and is not reaped yet: a zombie (its /proc stat line says Z)."""
    child = subprocess.Popen(command)
    for _ in range(500):
        if Path(f"/proc/{child.pid}/stat").read_text().rsplit(")", 1)[-1].split()[0] == "Z":
            return child
        time.sleep(0.01)
    raise AssertionError(f"{command} did not end")


def _ended_pid() -> int:
    """The id of a process that has ended and been reaped."""
    child = subprocess.Popen(["true"])
    child.wait()
    return child.pid


def test_only_temporaries_of_ended_docgen_processes_on_this_machine_are_removed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    host = _host_of(_temporary_name_of(tmp_path, "a.html", monkeypatch))
    ended = _ended_pid()
    zombie = _ended_unreaped(["true"])
    odd_name = tmp_path / "t) R ("  # a process named so its /proc stat line holds a ')' and a state of its own
    odd_name.symlink_to("/bin/true")
    odd = _ended_unreaped([str(odd_name)])
    live = subprocess.Popen(["sleep", "30"])
    try:
        stale = [f".a.html.docgen-{host}-{pid}-0123abcd.tmp" for pid in (ended, zombie.pid, odd.pid)]
        kept = [
            f".a.html.docgen-{host}-{os.getpid()}-0123abcd.tmp",  # this process's own
            f".a.html.docgen-{host}-{live.pid}-0123abcd.tmp",  # a running one's
            f".a.html.docgen-{'f' * 8 if host != 'f' * 8 else 'e' * 8}-{ended}-0123abcd.tmp",  # another machine's
            ".notes.tmp",  # a user's own
            f".a.html.docgen-{host}-{ended}-0123.tmp",  # not a name docgen gives
        ]
        for name in stale + kept:
            (tmp_path / name).write_bytes(b"")
        assert remove_stale_temporaries(tmp_path) == 3
        assert sorted(path.name for path in tmp_path.glob(".*")) == sorted(kept)
        assert live.poll() is None  # asked whether it runs, not signalled
    finally:
        live.kill()
        for child in (zombie, odd, live):
            child.wait()


def test_a_stale_temporary_another_run_removes_first_is_no_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two runs into one folder clean it at once: the other one unlinks the file between this one's
    look at the folder and its own unlink."""
    host = _host_of(_temporary_name_of(tmp_path, "a.html", monkeypatch))
    stale = tmp_path / f".a.html.docgen-{host}-{_ended_pid()}-0123abcd.tmp"
    stale.write_bytes(b"")

    def other_run_first(pid: int, signal: int) -> None:
        stale.unlink()
        raise ProcessLookupError(pid)

    monkeypatch.setattr(os, "kill", other_run_first)
    remove_stale_temporaries(tmp_path)
    assert not stale.exists()


def test_a_folder_that_is_not_there_has_no_stale_temporaries(tmp_path: Path) -> None:
    assert remove_stale_temporaries(tmp_path / "missing") == 0
    (tmp_path / "file").write_bytes(b"")
    assert remove_stale_temporaries(tmp_path / "file") == 0


def test_a_normalized_zip_has_fixed_times_and_attributes(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr(zipfile.ZipInfo("word/document.xml", date_time=(2024, 3, 5, 10, 30, 0)), b"<w:document/>" * 50)
        archive.writestr(zipfile.ZipInfo("[Content_Types].xml", date_time=(2023, 1, 2, 3, 4, 6)), b"<Types/>")
    normalized = normalized_zip(buffer.getvalue())
    with zipfile.ZipFile(io.BytesIO(normalized)) as archive:
        entries = archive.infolist()
        assert [entry.filename for entry in entries] == ["word/document.xml", "[Content_Types].xml"]
        assert {entry.date_time for entry in entries} == {(1980, 1, 1, 0, 0, 0)}
        assert {entry.external_attr for entry in entries} == {0o644 << 16}
        assert {entry.compress_type for entry in entries} == {zipfile.ZIP_DEFLATED}
        assert archive.read("word/document.xml") == b"<w:document/>" * 50
    assert normalized_zip(normalized) == normalized
