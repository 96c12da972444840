"""Each request's files in a job folder of the server's own, named by a random id: no path a request sends
ever reaches the file system. The newest folders are kept for their pages and downloads; the oldest go.
Uploaded seal images are kept by their content's SHA-256, and copied into a job's folder under the plain
file name its source gives them (checked to be one: no folder, no leading dot)."""

from __future__ import annotations

import hashlib
import os
import re
import secrets
import shutil
import threading
from collections import OrderedDict
from pathlib import Path

from docgen.files.atomic import write_atomically

KEPT_JOBS = 200  # a clerk's session makes one a pause in typing; 200 keep an hour's previews for 20 users
KEPT_IMAGES = 500  # seals of a whole office, at most 5 MB each


class UnknownJob(LookupError):
    """No job of that id: never made here, or gone since (its folder was among the oldest)."""


class UnknownImage(LookupError):
    """No image of that id: never uploaded here, or dropped since (the server keeps the most recent)."""


class _Kept:
    """Paths under ``root`` by id, the least recently used removed once there are more than ``kept``; a
    server's own folder, emptied when it starts (what a killed server left there is nobody's now)."""

    ids: re.Pattern[str]
    unknown: type[LookupError]
    kept: int

    def __init__(self, root: Path) -> None:
        self.root = root
        self._paths: OrderedDict[str, Path] = OrderedDict()
        self._lock = threading.Lock()  # requests run on the event loop and in its threads
        shutil.rmtree(root, ignore_errors=True)
        root.mkdir(parents=True)

    def _keep(self, key: str) -> Path:
        """``key``'s path, counted as used now; the oldest beyond ``kept`` removed."""
        with self._lock:
            self._paths[key] = self.root / key
            self._paths.move_to_end(key)
            stale = [self._paths.popitem(last=False)[1] for _ in range(len(self._paths) - self.kept)]
        for old in stale:
            if old.is_dir():
                shutil.rmtree(old, ignore_errors=True)
            else:
                old.unlink(missing_ok=True)
        return self.root / key

    def path(self, key: str) -> Path:
        """The path of ``key``, counted as used now; ``unknown`` for any other string."""
        with self._lock:
            if not self.ids.fullmatch(key) or key not in self._paths:
                raise self.unknown(key)
            self._paths.move_to_end(key)
            return self._paths[key]

    def remove_all(self) -> None:
        with self._lock:
            self._paths.clear()
        shutil.rmtree(self.root, ignore_errors=True)


class JobFolders(_Kept):
    ids = re.compile(r"[0-9a-f]{32}")
    unknown = UnknownJob
    kept = KEPT_JOBS

    def new(self) -> tuple[str, Path]:
        job = secrets.token_hex(16)
        folder = self._keep(job)
        folder.mkdir()
        return job, folder


class ImageStore(_Kept):
    """Uploaded images by the SHA-256 of their bytes."""

    ids = re.compile(r"[0-9a-f]{64}")
    unknown = UnknownImage
    kept = KEPT_IMAGES

    def add(self, data: bytes) -> str:
        image = hashlib.sha256(data).hexdigest()
        path = self._keep(image)
        if not path.exists():
            write_atomically(path, data)
        return image

    def copy_into(self, folder: Path, name: str, image: str) -> None:
        """Image ``image`` as ``folder/name`` (``name`` a plain file name, checked by the caller)."""
        source = self.path(image)
        try:
            os.link(source, folder / name)  # the same bytes, no copy; a job folder never writes to it
        except OSError:
            shutil.copyfile(source, folder / name)
