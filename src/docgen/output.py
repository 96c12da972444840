"""Writing output files: atomically, so a failure never leaves a half-written file."""

from __future__ import annotations

import io
import os
import tempfile
import zipfile
from pathlib import Path

from docgen.errors import DocgenError

# Zip entries carry a timestamp; a fixed one keeps the same input giving the same bytes.
_FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def _new_file_mode() -> int:
    """What open() would give a new file: read-write for all, less the process's umask."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


_NEW_FILE_MODE = _new_file_mode()


def write_atomically(path: Path, data: bytes, mode: int | None = None) -> None:
    """Write ``data`` to ``path`` via a temporary file in the same folder and a rename; ``mode``
    keeps a rewritten file's permissions (the temporary never has more)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as error:
        raise DocgenError(f"cannot write to {path.parent}: {error.strerror}") from None
    try:
        os.fchmod(handle, _NEW_FILE_MODE if mode is None else mode)  # mkstemp makes files only their owner may read
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except OSError as error:
        Path(temporary).unlink(missing_ok=True)
        raise DocgenError(f"cannot write {path}: {error.strerror}") from None
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def normalized_zip(data: bytes) -> bytes:
    """The same zip with fixed entry times and attributes, for byte-identical rebuilds."""
    source = zipfile.ZipFile(io.BytesIO(data))
    target_buffer = io.BytesIO()
    with zipfile.ZipFile(target_buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=_FIXED_ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            target.writestr(entry, source.read(info.filename))
    return target_buffer.getvalue()
