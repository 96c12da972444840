"""LibreOffice's rendering of a DOCX, which may come from anyone: a time limit, nothing outside the file.

`docgen check` measures how LibreOffice lays out a DOCX, and the tests measure docgen's own.
LibreOffice fetches what a document links to (an image by URL, a file: path) and can take
minutes on a small hostile file, and its soffice.bin outlives the soffice script that started
it. So it renders a copy of the DOCX with every external relationship removed (docx_package),
on a private profile that also blocks links and macros, in a process group of its own that is
killed whole when it is done or out of time.
"""

from __future__ import annotations

import math
import os
import shutil
import subprocess
import tempfile
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
    program = libreoffice()
    if not program:
        raise DocgenError("LibreOffice is not installed (Debian: apt-get install libreoffice-writer-nogui)")
    seconds = render_timeout() if timeout_s is None else timeout_s
    package = read_package(docx, "DOCX")
    out_dir.mkdir(parents=True, exist_ok=True)
    # Killed LibreOffice processes may still be letting go of the folder as it is removed.
    with tempfile.TemporaryDirectory(prefix="docgen-lo-", ignore_cleanup_errors=True) as work:
        work_dir = Path(work)
        (work_dir / "profile" / "user").mkdir(parents=True)
        (work_dir / "profile" / "user" / "registrymodifications.xcu").write_text(_PROFILE_SETTINGS, encoding="utf-8")
        for folder in ("in", "tmp"):
            (work_dir / folder).mkdir()
        copy = work_dir / "in" / f"{docx.stem}.docx"
        copy.write_bytes(package.zip_bytes())
        command = [
            program, f"-env:UserInstallation={(work_dir / 'profile').as_uri()}", "--headless",
            "--convert-to", "pdf", "--outdir", str(work_dir / "out"), str(copy),
        ]  # fmt: skip
        # Its own temporary files go in the folder too, so that none outlives a LibreOffice that was killed.
        environment = {**os.environ, "FONTCONFIG_FILE": str(fontconfig), "TMPDIR": str(work_dir / "tmp")}
        code, messages = _run(command, environment, seconds, docx)
        rendered = work_dir / "out" / f"{docx.stem}.pdf"
        if code != 0 or not rendered.is_file():
            raise DocgenError(f"LibreOffice could not convert {docx}: {messages.strip()}")
        target = out_dir / rendered.name
        shutil.move(rendered, target)
    return target


def _run(command: list[str], environment: dict[str, str], seconds: float, docx: Path) -> tuple[int, str]:
    """LibreOffice's exit code and what it said, in a session of its own: whatever it started is
    killed with it, when it is done, out of time, or interrupted."""
    with subprocess.Popen(
        command, env=environment, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True, errors="replace", start_new_session=True,
    ) as process:  # fmt: skip
        try:
            output, errors = process.communicate(timeout=seconds)
        except subprocess.TimeoutExpired:
            raise DocgenError(
                f"LibreOffice did not finish rendering {docx} within {seconds:g} s and was stopped "
                f"(check it with --no-render, or allow longer with {TIMEOUT_SETTING}=SECONDS)"
            ) from None
        finally:
            kill_group(process.pid)
    return process.returncode, errors or output
