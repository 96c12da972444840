"""Finding a real font file for each face of the profile, for the PDF and for LibreOffice.

Order of preference per face: an office face the machine has (fontconfig, a folder the user
names), then the free stand-ins the profile lists. Free faces with PostScript outlines
(Fandol) are converted to TrueType once, since ReportLab embeds only TrueType, and cached.
"""

from __future__ import annotations

import hashlib
import os
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

    @property
    def file(self) -> FontFile:
        return FontFile(self.path, self.subfont_index)


def resolve_faces(profile: Profile, font_dir: Path | None = None) -> dict[str, ResolvedFace]:
    """A file for every face in the profile, or a :class:`DocgenError` saying what to install.

    Free faces still to be converted to TrueType are converted here, after one line on stderr
    saying so: the first build is otherwise silent for a minute or more."""
    chosen = {key: _resolve(key, face.office, face.free, font_dir) for key, face in profile.faces.items()}
    # By file: two faces may be served by one.
    pending = {face.path: (source, face.family) for face, source in chosen.values() if source}
    pending = {path: converting for path, converting in pending.items() if not path.is_file()}
    if pending:
        families = ", ".join(family for _, family in pending.values())
        sys.stderr.write(
            _(
                "docgen: preparing fonts, once: converting the free faces {families} to TrueType for the PDF, "
                "into {folder} (a minute or so; later builds reuse them)"
            ).format(families=families, folder=cache_dir() / "fonts")
            + "\n"
        )
        sys.stderr.flush()
        for source, family in pending.values():
            truetype_copy(source, family)
    return {key: face for key, (face, _) in chosen.items()}


def _resolve(
    key: str, office: tuple[str, ...], free: tuple[str, ...], font_dir: Path | None
) -> tuple[ResolvedFace, Path | None]:
    """The face's file, and the PostScript-outline font it is (to be) converted from, if any."""
    for family in office:
        found = _find_family(family, font_dir)
        if found:
            reason = _("office face {family} found at {path}").format(family=family, path=found[0])
            return ResolvedFace(key, family, found[0], found[1], reason), None
    for family in free:
        found = _find_family(family, font_dir)
        if found and found[0].suffix.lower() != ".otf":
            reason = _("free stand-in {family} (no office face {absent})") if office else _("free stand-in {family}")
            reason = reason.format(family=family, absent="/".join(office))
            return ResolvedFace(key, family, found[0], found[1], reason), None
        source = _fandol_source(family)
        if source:
            reason = _("free stand-in {family}, converted to TrueType from {source}").format(
                family=family, source=source
            )
            return ResolvedFace(key, family, _truetype_path(source, family), 0, reason), source
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


def _truetype_path(source: Path, family: str) -> Path:
    """Where the TrueType copy of ``source`` is kept in the user's cache folder."""
    stat = source.stat()
    # "v2": copies made before timestamps were kept carry their conversion time; make them anew.
    digest = hashlib.sha256(f"v2|{source}|{stat.st_size}|{int(stat.st_mtime)}".encode()).hexdigest()[:12]
    return cache_dir() / "fonts" / f"{family}-{digest}.ttf"


def truetype_copy(source: Path, family: str) -> Path:
    """A TrueType-outline copy of a CFF font, made once and kept in the user's cache folder."""
    target = _truetype_path(source, family)
    if not target.is_file():
        _convert_to_truetype(source, target, family)
    return target


def _convert_to_truetype(source: Path, target: Path, family: str) -> None:
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import TTFont, newTable

    # The source's own head.modified, not the conversion's time: the embedded subsets, so the
    # PDFs, are then the same bytes on every machine.
    font = TTFont(source, recalcTimestamp=False)
    glyph_set = font.getGlyphSet()
    glyf = newTable("glyf")
    glyf.glyphOrder = font.getGlyphOrder()
    glyf.glyphs = {}
    for name in glyf.glyphOrder:
        pen = TTGlyphPen(glyph_set)
        # 1 unit of 1000 is far below what print shows; contours turn clockwise for TrueType.
        glyph_set[name].draw(Cu2QuPen(pen, max_err=1.0, reverse_direction=True))
        glyf[name] = pen.glyph()
    font["glyf"] = glyf
    font["loca"] = newTable("loca")
    for table in ("CFF ", "VORG"):
        if table in font:
            del font[table]
    maxp = newTable("maxp")
    maxp.tableVersion = 0x00010000
    for field in ("maxZones", "maxTwilightPoints", "maxStorage", "maxFunctionDefs", "maxInstructionDefs",
                  "maxStackElements", "maxSizeOfInstructions", "maxComponentElements"):  # fmt: skip
        setattr(maxp, field, 0)
    maxp.maxZones = 1
    font["maxp"] = maxp
    font["post"].formatType = 2.0
    font["post"].extraNames = []
    font["post"].mapping = {}
    font.sfntVersion = "\x00\x01\x00\x00"
    _rename(font, family)
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_suffix(f".{os.getpid()}.tmp")
    font.save(temporary)
    os.replace(temporary, target)


def _rename(font: object, family: str) -> None:
    """Give the copy its own family and PostScript names, so it never shadows the original."""
    names = font["name"]  # type: ignore[index]
    postscript = f"{family}-docgen".replace(" ", "")
    for name_id, value in ((1, family), (16, family), (4, family), (6, postscript)):
        names.setName(value, name_id, 3, 1, 0x409)
        names.setName(value, name_id, 1, 0, 0)
    names.removeNames(nameID=17)
    names.setName("Regular", 2, 3, 1, 0x409)
    names.setName("Regular", 2, 1, 0, 0)
    font["OS/2"].usWeightClass = 400  # type: ignore[index]
    font["OS/2"].fsSelection = (font["OS/2"].fsSelection & ~0b100001) | 0b1000000  # type: ignore[index]
    font["head"].macStyle = 0  # type: ignore[index]


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
