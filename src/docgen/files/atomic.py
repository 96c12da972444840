"""Writing output files: atomically, so a failure never leaves a half-written file.

A temporary file is named for the process that writes it (``.NAME.docgen-HOST-PID-RANDOM.tmp``):
two runs writing into one folder never touch each other's temporaries, a user's own ``.*.tmp``
files are never docgen's, and a temporary is provably stale only when its process has ended.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import secrets
import socket
import zipfile
from collections.abc import Iterable, Mapping
from pathlib import Path

from docgen.errors import DocgenError
from docgen.i18n import _

# Zip entries carry a timestamp; a fixed one keeps the same input giving the same bytes.
_FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
NAME_MAX_BYTES = 255  # a file name's limit on the file systems docgen writes to (ext4, XFS, APFS, NTFS)
_HOST = hashlib.sha256(socket.gethostname().encode()).hexdigest()[:8]  # folders may be shared (Dask)
_LONGEST_PID = "4194304"  # Linux's largest process id
_RANDOM_HEX = 8
_TEMPORARY = re.compile(rf"\..+\.docgen-(?P<host>[0-9a-f]{{8}})-(?P<pid>\d+)-[0-9a-f]{{{_RANDOM_HEX}}}\.tmp")


def _temporary_name(name: str, pid: str, tag: str) -> str:
    return f".{name}.docgen-{_HOST}-{pid}-{tag}.tmp"


def longest_temporary_name(name: str) -> int:
    """The UTF-8 length of the longest temporary file name that writing ``name`` can use."""
    return len(_temporary_name(name, _LONGEST_PID, "0" * _RANDOM_HEX).encode())


def write_atomically(path: Path, data: bytes, mode: int | None = None, durable: bool = True) -> None:
    """Write ``data`` to ``path`` via a temporary file in the same folder and a rename; ``mode``
    keeps a rewritten file's permissions (the temporary never has more). A file not ``durable`` is
    not flushed to the disk before its rename: for one whose loss in a crash costs nothing but work."""
    write_all_atomically({path: data}, mode, durable)


def write_all_atomically(files: Mapping[Path, bytes], mode: int | None = None, durable: bool = True) -> None:
    """Write every file or none: all the temporaries first, then the renames. When a rename
    fails, the files renamed before it get their older contents back (or go, if they had none)."""
    temporaries: dict[Path, Path] = {}
    try:
        for path, data in files.items():
            temporaries[path] = _write_temporary(path, data, mode, durable)
        _replace_all(temporaries)
    finally:
        for temporary in temporaries.values():
            temporary.unlink(missing_ok=True)


def _write_temporary(path: Path, data: bytes, mode: int | None, durable: bool) -> Path:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary, handle = _create_temporary(path, mode)
    except OSError as error:
        raise DocgenError(
            _("cannot write to {path}: {reason}").format(path=path.parent, reason=error.strerror)
        ) from None
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            if durable:
                os.fsync(stream.fileno())
    except OSError as error:
        temporary.unlink(missing_ok=True)
        raise DocgenError(_("cannot write {path}: {reason}").format(path=path, reason=error.strerror)) from None
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return temporary


def _create_temporary(path: Path, mode: int | None) -> tuple[Path, int]:
    """A new file beside ``path``, with the mode any new file gets (0666 less the umask) or ``mode``."""
    temporary = _fresh_name(path)
    handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666 if mode is None else 0o600)
    if mode is not None:
        os.fchmod(handle, mode)
    return temporary, handle


def _fresh_name(path: Path) -> Path:
    return path.with_name(_temporary_name(path.name, str(os.getpid()), secrets.token_hex(_RANDOM_HEX // 2)))


def _replace_all(temporaries: Mapping[Path, Path]) -> None:
    backups = {path: _backup(path) for path in temporaries}
    try:
        for count, (path, temporary) in enumerate(temporaries.items()):
            try:
                os.replace(temporary, path)
            except OSError as error:
                for done in list(temporaries)[:count]:
                    _restore(done, backups[done])
                raise DocgenError(_("cannot write {path}: {reason}").format(path=path, reason=error.strerror)) from None
    finally:
        for backup in backups.values():
            if backup:
                backup.unlink(missing_ok=True)


def _backup(path: Path) -> Path | None:
    """A second name (a hard link) for the older ``path``, to put back if a later rename fails."""
    backup = _fresh_name(path)
    try:
        os.link(path, backup)
    except OSError:  # no older file, or a file system without hard links: nothing to put back
        return None
    return backup


def _restore(path: Path, backup: Path | None) -> None:
    try:
        if backup:
            os.replace(backup, path)
        else:
            path.unlink(missing_ok=True)
    except OSError:
        pass  # the error that made this necessary is reported; this one could only hide it


def remove_stale_temporaries(folder: Path) -> int:
    """Remove the temporaries of docgen processes on this machine that have ended (a killed run's)."""
    removed = 0
    for path in folder.glob(".*.tmp") if folder.is_dir() else ():
        match = _TEMPORARY.fullmatch(path.name)
        if match and match["host"] == _HOST and not _running(int(match["pid"])):
            path.unlink(missing_ok=True)
            removed += 1
    return removed


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass  # another user's process, running
    return not _zombie(pid)


def _zombie(pid: int) -> bool:
    """Ended, but not yet reaped by its parent (read from Linux's /proc; elsewhere taken as running)."""
    try:
        status = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return status.rsplit(")", 1)[-1].split()[0] in ("Z", "X")


def normalized_zip(data: bytes) -> bytes:
    """The same zip with fixed entry times and attributes, for byte-identical rebuilds."""
    source = zipfile.ZipFile(io.BytesIO(data))
    return deterministic_zip((info.filename, source.read(info)) for info in source.infolist())


def deterministic_zip(entries: Iterable[tuple[str, bytes]]) -> bytes:
    """A zip of ``entries`` (name, bytes) in their order, deflated, with a fixed time and attributes:
    the same entries give the same bytes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in entries:
            entry = zipfile.ZipInfo(name, date_time=_FIXED_ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            target.writestr(entry, data)
    return buffer.getvalue()
