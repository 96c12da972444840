"""Finding a real font file for each face of the profile, for the PDF and for LibreOffice.

Order of preference per face: an office face the machine has (fontconfig, a folder the user
names), then the free stand-ins the profile lists. Free faces with PostScript outlines (Fandol)
are served by TrueType copies, since ReportLab embeds only TrueType (layout/truetype.py: made at
once, each glyph converted when a document first draws it).
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from docgen.errors import DocgenError
from docgen.files.cache import cache_dir
from docgen.i18n import N_, _
from docgen.layout.truetype import copy_path, truetype_copy
from docgen.profile import Profile

# Where Debian puts the Fandol faces (texlive-lang-chinese); TeX Live elsewhere uses the same tail.
_FANDOL_DIRS = (
    Path("/usr/share/texlive/texmf-dist/fonts/opentype/public/fandol"),
    Path("/usr/share/texmf/fonts/opentype/public/fandol"),
    Path("/usr/local/texlive/texmf-dist/fonts/opentype/public/fandol"),
)
_FANDOL_FILES = {
    "FandolFang": "FandolFang-Regular.otf",
    "FandolSong": "FandolSong-Regular.otf",
    "FandolSong-Bold": "FandolSong-Bold.otf",
    "FandolHei": "FandolHei-Regular.otf",
    "FandolKai": "FandolKai-Regular.otf",
}
_WINDOWS_MAC_DIRS = (Path("C:/Windows/Fonts"), Path("/Library/Fonts"), Path.home() / "Library/Fonts")
INSTALL_ADVICE = N_(  # a msgid: shown as _(INSTALL_ADVICE)
    "install free Chinese faces: on Debian/Ubuntu `apt-get install texlive-lang-chinese "
    "fonts-arphic-uming fonts-arphic-ukai fonts-wqy-microhei` (about 130 MB), or put the office "
    "faces (仿宋_GB2312, 方正小标宋简体, 黑体, 楷体_GB2312, 宋体) in a folder and pass --font-dir"
)


@dataclass(frozen=True, slots=True)
class FontFile:
    """One font file (a collection's member by its index): what a glyph is drawn from."""

    path: Path
    index: int = 0

    @property
    def name(self) -> str:
        """A name unique per file: ReportLab confuses two files sharing a name (and two faces
        served by one file share it, so the file is parsed once)."""
        return f"docgen-{self.path.stem}-{self.index}"


@dataclass(frozen=True)
class ResolvedFace:
    """The file that serves one face of the profile, and why it was chosen."""

    key: str
    family: str  # the family name LibreOffice knows the file by
    path: Path
    subfont_index: int
    reason: str
    converted_from: Path | None = None  # a TrueType copy's CFF source: its glyphs converted as they are drawn

    @property
    def file(self) -> FontFile:
        return FontFile(self.path, self.subfont_index)


def resolve_faces(profile: Profile, font_dir: Path | None = None) -> dict[str, ResolvedFace]:
    """A file for every face in the profile, or a :class:`DocgenError` saying what to install.

    TrueType copies of free faces not made yet are made here (in a second or so), after one line on
    stderr saying so."""
    faces = {key: _resolve(key, face.office, face.free, font_dir) for key, face in profile.faces.items()}
    # By file: two faces may be served by one.
    pending = {face.path: face.family for face in faces.values() if face.converted_from and not face.path.is_file()}
    if pending:
        sys.stderr.write(
            _(
                "docgen: preparing fonts, once: TrueType copies of the free faces {families} for the PDF, "
                "in {folder} (each glyph converted when a document first uses it)"
            ).format(families=", ".join(pending.values()), folder=cache_dir() / "fonts")
            + "\n"
        )
        sys.stderr.flush()
    for face in faces.values():
        if face.converted_from:
            truetype_copy(face.converted_from, face.family)
    return faces


def _resolve(key: str, office: tuple[str, ...], free: tuple[str, ...], font_dir: Path | None) -> ResolvedFace:
    for family in office:
        found = _find_family(family, font_dir)
        if found:
            reason = _("office face {family} found at {path}").format(family=family, path=found[0])
            return ResolvedFace(key, family, found[0], found[1], reason)
    for family in free:
        found = _find_family(family, font_dir)
        if found and found[0].suffix.lower() != ".otf":
            reason = _("free stand-in {family} (no office face {absent})") if office else _("free stand-in {family}")
            reason = reason.format(family=family, absent="/".join(office))
            return ResolvedFace(key, family, found[0], found[1], reason)
        source = _fandol_source(family)
        if source:
            reason = _("free stand-in {family}, converted to TrueType from {source}").format(
                family=family, source=source
            )
            return ResolvedFace(key, family, copy_path(source, family), 0, reason, source)
    wanted = ", ".join((*office, *free))
    message = _("no font for the face '{key}' (looked for {wanted}); {advice}")
    raise DocgenError(message.format(key=key, wanted=wanted, advice=_(INSTALL_ADVICE)))


def _find_family(family: str, font_dir: Path | None) -> tuple[Path, int] | None:
    for folder in (font_dir, *_WINDOWS_MAC_DIRS):
        if folder and folder.is_dir():
            found = _scan_folder(folder.resolve()).get(family.casefold())
            if found:
                return found
    return _fontconfig_lookup(family)


def _fontconfig_lookup(family: str) -> tuple[Path, int] | None:
    return _fontconfig_families().get(family.casefold())


@cache
def _fontconfig_families() -> dict[str, tuple[Path, int]]:
    """Every family fontconfig knows (case-folded), from one fc-list call: a file for each."""
    if not shutil.which("fc-list"):
        return {}
    result = subprocess.run(
        ["fc-list", "-f", "%{family}|%{file}|%{index}\n"], capture_output=True, text=True, check=False
    )
    families: dict[str, tuple[Path, int]] = {}
    for line in sorted(result.stdout.splitlines()):
        names, _, rest = line.partition("|")
        file, _, index = rest.partition("|")
        if Path(file).suffix.lower() not in (".ttf", ".ttc", ".otf"):
            continue
        for name in names.split(","):
            families.setdefault(name.strip().casefold(), (Path(file), int(index or 0)))
    return families


@cache
def _scan_folder(folder: Path) -> dict[str, tuple[Path, int]]:
    """Family names (case-folded) of the font files in ``folder``, from their name tables."""
    from fontTools.ttLib import TTCollection, TTFont

    families: dict[str, tuple[Path, int]] = {}
    for path in sorted(folder.iterdir()):
        suffix = path.suffix.lower()
        try:
            fonts = (
                TTCollection(path, lazy=True).fonts
                if suffix == ".ttc"
                else [TTFont(path, lazy=True)]
                if suffix in (".ttf", ".otf")
                else []
            )
        except Exception:  # a damaged or foreign file in the user's folder is skipped, not fatal
            continue
        for index, font in enumerate(fonts):
            for name in _family_names(font):
                families.setdefault(name.casefold(), (path, index))
    return families


def _family_names(font: object) -> Iterable[str]:
    names = font["name"]  # type: ignore[index]
    for record in names.names:
        if record.nameID in (1, 16):
            try:
                yield record.toUnicode()
            except UnicodeDecodeError:
                continue


def _fandol_source(family: str) -> Path | None:
    file = _FANDOL_FILES.get(family)
    if not file:
        return None
    return next((folder / file for folder in _FANDOL_DIRS if (folder / file).is_file()), None)


def fontconfig_file(profile: Profile, faces: dict[str, ResolvedFace]) -> Path:
    """A fontconfig file that makes LibreOffice draw each office name with the face the PDF uses."""
    rules = []
    for key, face in profile.faces.items():
        resolved = faces[key]
        for name in face.office:
            if name == resolved.family:
                continue
            rules.append(
                f'  <match target="pattern"><test name="family"><string>{name}</string></test>'
                f'<edit name="family" mode="assign" binding="strong"><string>{resolved.family}</string></edit></match>'
            )
    folders = sorted({str(face.path.parent) for face in faces.values()})
    text = "\n".join([
        '<?xml version="1.0"?>',
        '<!DOCTYPE fontconfig SYSTEM "fonts.dtd">',
        "<fontconfig>",
        '  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>',
        *(f"  <dir>{folder}</dir>" for folder in folders),
        *rules,
        "</fontconfig>",
        "",
    ])  # fmt: skip
    digest = hashlib.sha256(text.encode()).hexdigest()[:12]
    path = cache_dir() / "fontconfig" / f"fonts-{digest}.conf"
    if not path.is_file():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return path
