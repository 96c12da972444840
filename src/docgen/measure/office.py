"""LibreOffice's rendering of a DOCX, which may come from anyone: a time limit, nothing outside the file.

`docgen check` measures how LibreOffice lays out a DOCX, and the tests measure docgen's own.
LibreOffice fetches what a document links to (an image by URL, a file: path) and can take
minutes on a small hostile file, and its soffice.bin outlives the soffice script that started
it. So it renders a copy of the DOCX with every external relationship removed (docx_package),
on a private profile that also blocks links and macros, in a process group of its own that is
killed whole when it is done or out of time. A run of files is one LibreOffice process, started
before the caller needs its PDFs (Rendering): its start-up, a second or so, is paid once.
"""

from __future__ import annotations

import math
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from docgen.errors import DocgenError
from docgen.files.bounded import kill_group
from docgen.files.docx_package import read_package

RENDER_TIMEOUT_S = 120.0  # a few hundred pages take well under a minute
TIMEOUT_SETTING = "DOCGEN_LIBREOFFICE_TIMEOUT"  # seconds, for a slower machine or a longer document

# The private profile's settings: no loading of what a document links to from outside it (the
# copy has no such links left; this holds for any the package reader does not know), no macros.
_PROFILE_SETTINGS = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema">
<item oor:path="/org.openoffice.Office.Common/Security/Scripting">\
<prop oor:name="BlockUntrustedRefererLinks" oor:op="fuse"><value>true</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Security/Scripting">\
<prop oor:name="DisableMacrosExecution" oor:op="fuse"><value>true</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Security/Scripting">\
<prop oor:name="MacroSecurityLevel" oor:op="fuse"><value>3</value></prop></item>
</oor:items>
"""


def libreoffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def render_timeout() -> float:
    """RENDER_TIMEOUT_S, or the seconds DOCGEN_LIBREOFFICE_TIMEOUT sets."""
    setting = os.environ.get(TIMEOUT_SETTING)
    if setting is None:
        return RENDER_TIMEOUT_S
    try:
        seconds = float(setting)
    except ValueError:
        seconds = math.nan
    if not math.isfinite(seconds) or seconds <= 0:
        raise DocgenError(f"{TIMEOUT_SETTING} must be a number of seconds greater than 0, got {setting!r}")
    return seconds


def render_with_libreoffice(docx: Path, fontconfig: Path, out_dir: Path, timeout_s: float | None = None) -> Path:
    """LibreOffice's PDF of ``docx`` in ``out_dir`` (headless, a private profile, our font aliases),
    within ``timeout_s`` (by default render_timeout())."""
    with Rendering([docx], fontconfig, out_dir, timeout_s) as rendering:
        return rendering.wait()[docx]


class Rendering:
    """One LibreOffice run converting DOCX files to PDF, started at once and waited for later: a run
    of files starts LibreOffice once, and the caller works meanwhile (`docgen check` reads the PDFs
    it was given). Use it as a context manager: LibreOffice is stopped and its folder removed on leaving.

    The run may take ``timeout_s`` (by default render_timeout()) for each file; the PDFs go in
    ``out_dir`` under their DOCX's names (a second file of the same name gets its number after it).
    """

    def __init__(self, docx_files: Sequence[Path], fontconfig: Path, out_dir: Path, timeout_s: float | None = None):
        program = libreoffice()
        if not program:
            raise DocgenError("LibreOffice is not installed (Debian: apt-get install libreoffice-writer-nogui)")
        self.docx_files = list(docx_files)
        self.seconds = (render_timeout() if timeout_s is None else timeout_s) * len(self.docx_files)
        packages = [read_package(docx, "DOCX") for docx in self.docx_files]
        self.out_dir = out_dir
        # Killed LibreOffice processes may still be letting go of the folder as it is removed.
        self._work = tempfile.TemporaryDirectory(prefix="docgen-lo-", ignore_cleanup_errors=True)
        work_dir = Path(self._work.name)
        (work_dir / "profile" / "user").mkdir(parents=True)
        (work_dir / "profile" / "user" / "registrymodifications.xcu").write_text(_PROFILE_SETTINGS, encoding="utf-8")
        for folder in ("in", "tmp"):
            (work_dir / folder).mkdir()
        self._copies = [work_dir / "in" / f"{index}-{docx.stem}.docx" for index, docx in enumerate(self.docx_files)]
        for copy, package in zip(self._copies, packages, strict=True):
            copy.write_bytes(package.zip_bytes())
        command = [
            program, f"-env:UserInstallation={(work_dir / 'profile').as_uri()}", "--headless",
            "--convert-to", "pdf", "--outdir", str(work_dir / "out"), *map(str, self._copies),
        ]  # fmt: skip
        # Its own temporary files go in the folder too, so that none outlives a LibreOffice that was killed.
        environment = {**os.environ, "FONTCONFIG_FILE": str(fontconfig), "TMPDIR": str(work_dir / "tmp")}
        self._started = time.monotonic()
        # In a session of its own: whatever it starts is killed with it, when it is done, out of time, or interrupted.
        self._process = subprocess.Popen(
            command, env=environment, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            text=True, errors="replace", start_new_session=True,
        )  # fmt: skip

    def __enter__(self) -> Rendering:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def wait(self) -> dict[Path, Path]:
        """Each DOCX's PDF, once LibreOffice is done; a DocgenError names a file it could not convert
        or did not finish in time."""
        try:
            output, errors = self._process.communicate(
                timeout=max(0.0, self._started + self.seconds - time.monotonic())
            )
        except subprocess.TimeoutExpired:
            late = ", ".join(str(docx) for docx, copy in zip(self.docx_files, self._copies, strict=True)
                             if not self._rendered(copy).is_file())  # fmt: skip
            raise DocgenError(
                f"LibreOffice did not finish rendering {late} within {self.seconds:g} s and was stopped "
                f"(check it with --no-render, or allow longer with {TIMEOUT_SETTING}=SECONDS)"
            ) from None
        finally:
            kill_group(self._process.pid)
        messages = (errors or output).strip()
        self.out_dir.mkdir(parents=True, exist_ok=True)
        targets: dict[Path, Path] = {}
        for docx, copy in zip(self.docx_files, self._copies, strict=True):
            rendered = self._rendered(copy)
            if self._process.returncode != 0 or not rendered.is_file():
                raise DocgenError(f"LibreOffice could not convert {docx}: {messages}")
            targets[docx] = self._target(docx, set(targets.values()))
            shutil.move(rendered, targets[docx])
        return targets

    def close(self) -> None:
        kill_group(self._process.pid)
        self._process.wait()
        for stream in (self._process.stdout, self._process.stderr):
            if stream:
                stream.close()
        self._work.cleanup()

    def _rendered(self, copy: Path) -> Path:
        return Path(self._work.name) / "out" / f"{copy.stem}.pdf"

    def _target(self, docx: Path, taken: set[Path]) -> Path:
        target, number = self.out_dir / f"{docx.stem}.pdf", 1
        while target in taken:
            number += 1
            target = self.out_dir / f"{docx.stem}-{number}.pdf"
        return target
