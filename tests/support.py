"""Helpers shared by the tests (fixtures live in conftest.py)."""

from __future__ import annotations

import shutil
import time
import tracemalloc
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from fontTools.ttLib import TTFont

from docgen.compose.document import compose_paragraphs
from docgen.layout.document import LaidOutDocument
from docgen.layout.engine import lay_out
from docgen.layout.fonts import ResolvedFace
from docgen.layout.metrics import font_metrics
from docgen.measure.pdf import Page
from docgen.model import Document
from docgen.profile import DEFAULT_PROFILE, Profile, load_profile

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_SOURCE = ROOT / "data" / "report.yaml"
SAMPLE_TEXT = ROOT / "data" / "sample-notice.txt"
# Headless Chromium for the web notice's and docgen serve's tests; without the background-networking flags it
# keeps trying to reach Google's hosts, which this closed network refuses.
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")
FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip


@dataclass(frozen=True)
class Built:
    document: Document
    profile: Profile
    docx: Path
    pdf: Path
    pdf_pages: list[Page]


def postscript_name(face: ResolvedFace) -> str:
    font = TTFont(face.path, fontNumber=face.subfont_index, lazy=True)
    return str(font["name"].getDebugName(6)).replace(" ", "")


def sample_body_text() -> list[str]:
    """The sample's body paragraphs with docgen's declared punctuation normalisation applied:
    half-width , : ; ( ) become full-width and the nested title marks < > become 〈 〉."""
    normalise = str.maketrans({",": "，", ":": "：", ";": "；", "(": "（", ")": "）", "<": "〈", ">": "〉"})
    lines = SAMPLE_TEXT.read_text(encoding="utf-8").splitlines()
    return [line.strip().translate(normalise) for line in lines if line.startswith("  ")]


def laid_out(document: Document, profile: Profile, fonts: bool = True) -> LaidOutDocument:
    """``document`` composed and laid out as `build` does it; without ``fonts`` as when none are installed."""
    return lay_out(document, compose_paragraphs(document, profile), profile, font_metrics(profile) if fonts else None)


MIB = 1024 * 1024


def bounded(call: Callable[[], object], seconds: float = 5.0, megabytes: float = 64) -> object:
    """``call()``, asserted to end within ``seconds`` and to allocate at most ``megabytes`` on the way."""
    tracemalloc.start()
    start = time.perf_counter()
    try:
        return call()
    finally:
        elapsed = time.perf_counter() - start
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        assert elapsed < seconds, f"{elapsed:.1f} s"
        assert peak < megabytes * MIB, f"{peak / MIB:.0f} MB allocated"


def macro_enabled(path: Path) -> Path:
    """data/ledger.xlsx with a VBA project, as Excel saves a workbook with macros (.xlsm renamed)."""
    with zipfile.ZipFile(ROOT / "data" / "ledger.xlsx") as source, zipfile.ZipFile(path, "w") as target:
        for entry in source.infolist():
            data = source.read(entry)
            if entry.filename == "[Content_Types].xml":
                data = data.replace(b"spreadsheetml.sheet.main+xml", b"ms-excel.sheet.macroEnabled.main+xml")
            target.writestr(entry, data)
        target.writestr("xl/vbaProject.bin", b"\xd0\xcf\x11\xe0" + bytes(508))
    return path


def profile_with(tmp_path: Path, old: str, new: str) -> Path:
    """The shipped profile with its one line ``old`` replaced by ``new``, as tmp_path/profile.yaml."""
    shipped = DEFAULT_PROFILE.read_text(encoding="utf-8")
    assert shipped.count(old) == 1, old
    path = tmp_path / "profile.yaml"
    path.write_text(shipped.replace(old, new), encoding="utf-8")
    return path


def profile_refusal(path: Path) -> str:
    """The message load_profile refuses ``path`` with."""
    import pytest

    from docgen.errors import DocgenError

    with pytest.raises(DocgenError) as caught:
        load_profile(path)
    return str(caught.value)


def processes_mentioning(text: str) -> list[str]:
    """The command lines of running processes that contain ``text`` (a folder only docgen's children name)."""
    found = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            command = cmdline.read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
        except OSError:  # it ended meanwhile
            continue
        if text in command:
            found.append(command)
    return found
