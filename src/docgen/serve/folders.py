"""Each request's files in a job folder of the server's own, named by a random id: no name or path a request
sends ever reaches the file system. The newest folders are kept for their pages and downloads; the oldest go."""

from __future__ import annotations

import re
import secrets
import shutil
import threading
from collections import OrderedDict
from pathlib import Path

JOB_ID = re.compile(r"[0-9a-f]{32}")
KEPT_JOBS = 200  # a clerk's session makes one a pause in typing; 200 keep an hour's previews for 20 users


class UnknownJob(LookupError):
    """No job of that id: never made here, or gone since (its folder was among the oldest)."""


class JobFolders:
    """The job folders under ``root``, the least recently used removed once there are more than ``kept``."""

    def __init__(self, root: Path, kept: int = KEPT_JOBS) -> None:
        self.root = root
        self._kept = kept
        self._jobs: OrderedDict[str, Path] = OrderedDict()
        self._lock = threading.Lock()  # requests run on the event loop and in its threads
        root.mkdir(parents=True, exist_ok=True)

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
