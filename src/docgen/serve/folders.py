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

JOB_ID = re.compile(r"[0-9a-f]{32}")
IMAGE_ID = re.compile(r"[0-9a-f]{64}")
KEPT_JOBS = 200  # a clerk's session makes one a pause in typing; 200 keep an hour's previews for 20 users
KEPT_IMAGES = 500  # seals of a whole office, at most 5 MB each


class UnknownJob(LookupError):
    """No job of that id: never made here, or gone since (its folder was among the oldest)."""


class JobFolders:
    """The job folders under ``root``, the least recently used removed once there are more than ``kept``."""

    def __init__(self, root: Path, kept: int = KEPT_JOBS) -> None:
        self.root = root
        self._kept = kept
        self._jobs: OrderedDict[str, Path] = OrderedDict()
        self._lock = threading.Lock()  # requests run on the event loop and in its threads
        _start_empty(root)

    def new(self) -> tuple[str, Path]:
        job = secrets.token_hex(16)
        folder = self.root / job
        folder.mkdir()
        with self._lock:
            self._jobs[job] = folder
            stale = [self._jobs.popitem(last=False)[1] for _ in range(len(self._jobs) - self._kept)]
        for old in stale:
            shutil.rmtree(old, ignore_errors=True)
        return job, folder

    def folder(self, job: str) -> Path:
        """The folder of ``job``, which counts as used now; UnknownJob for any other string."""
        with self._lock:
            if not JOB_ID.fullmatch(job) or job not in self._jobs:
                raise UnknownJob(job)
            self._jobs.move_to_end(job)
            return self._jobs[job]

    def remove_all(self) -> None:
        with self._lock:
            self._jobs.clear()
        shutil.rmtree(self.root, ignore_errors=True)


class UnknownImage(LookupError):
    """No image of that id: never uploaded here, or dropped since (the server keeps the most recent)."""


class ImageStore:
    """Uploaded images under ``root`` by the SHA-256 of their bytes, the least recently used removed once
    there are more than ``kept``."""

    def __init__(self, root: Path, kept: int = KEPT_IMAGES) -> None:
        self.root = root
        self._kept = kept
        self._images: OrderedDict[str, Path] = OrderedDict()
        self._lock = threading.Lock()
        _start_empty(root)

    def add(self, data: bytes) -> str:
        image = hashlib.sha256(data).hexdigest()
        path = self.root / image
        if not path.exists():
            write_atomically(path, data)
        with self._lock:
            self._images[image] = path
            self._images.move_to_end(image)
            stale = [self._images.popitem(last=False)[1] for _ in range(len(self._images) - self._kept)]
        for old in stale:
            old.unlink(missing_ok=True)
        return image

    def path(self, image: str) -> Path:
        with self._lock:
            if not IMAGE_ID.fullmatch(image) or image not in self._images:
                raise UnknownImage(image)
            self._images.move_to_end(image)
            return self._images[image]

    def copy_into(self, folder: Path, name: str, image: str) -> None:
        """Image ``image`` as ``folder/name`` (``name`` a plain file name, checked by the caller)."""
        source = self.path(image)
        try:
            os.link(source, folder / name)  # the same bytes, no copy; a job folder never writes to it
        except OSError:
            shutil.copyfile(source, folder / name)


def _start_empty(root: Path) -> None:
    """``root`` made empty: what a server killed before it could clean up left there is nobody's now."""
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True)
