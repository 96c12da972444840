"""TrueType copies of the free faces drawn with PostScript outlines (Fandol's CFF), glyphs converted as
documents use them.

ReportLab embeds TrueType only. Converting a CJK face whole (10,000 glyphs) took about 20 s a face, a
first build's minute or more, where a document uses a few hundred glyphs. So a copy is made at once
with every table but the outlines (the source's character map, advance widths, names and metrics:
layout, LibreOffice through fontconfig and the embedded subsets see the same face from the first
build on), and each glyph's outline is converted when a document first draws it. The copy records
which glyphs it holds in a table of its own (``DGcv``); it grows under a lock and is replaced whole,
so a reader never sees half a file and no process loses another's glyphs. A glyph converts to the
same bytes whenever and wherever it is converted, and nothing else in the copy depends on which
glyphs it holds, so a document's embedded subsets are the same bytes on every machine.

What a whole conversion measured and a growing copy cannot: maxp's largest point and contour counts
are the format's own bounds (a reader allocates for at most that many; fewer would be wrong), and
head's bounding box is the source's (the quadratic outlines keep within 1.5 units of 1000 of it).
"""

from __future__ import annotations

import hashlib
import os
import struct
import sys
from array import array
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from functools import cache
from itertools import pairwise
from pathlib import Path
from typing import Any

from docgen.files.cache import cache_dir

_CONVERTED = "DGcv"  # the copy's own table: one bit per glyph whose outline is converted (first glyph: bit 0 of byte 0)
_MAX_ERROR = 1.0  # units of 1000 an em: far below what print shows
_NOT_COPIED = ("CFF ", "VORG", "GlyphOrder")  # the PostScript outlines and their vertical origins
_MAX_POINTS = 0xFFFF  # a glyph's points are counted in 16 bits
_MAX_CONTOURS = 0x7FFF  # and its contours in 15
_LONG_OFFSETS = 1  # head.indexToLocFormat: loca holds 32-bit offsets (the glyphs may pass 128 KB)


def copy_path(source: Path, family: str) -> Path:
    """Where the TrueType copy of ``source`` is kept in the user's cache folder."""
    stat = source.stat()
    # "v3": copies converted whole (v2) had maxp and head measured from every glyph; this copy grows.
    digest = hashlib.sha256(f"v3|{source}|{stat.st_size}|{int(stat.st_mtime)}".encode()).hexdigest()[:12]
    return cache_dir() / "fonts" / f"{family}-{digest}.ttf"


def truetype_copy(source: Path, family: str) -> Path:
    """The TrueType copy of the CFF font ``source``, named ``family``: made (every table but the
    outlines, and .notdef's) if it is not there yet, or is damaged."""
    target = copy_path(source, family)
    _remove_whole_copies(target.parent)
    if _readable(target):
        return target
    with _locked(target):
        if not _readable(target):
            tables = _tables_without_outlines(source, family)
            empty = _View(target, _packed(tables, [b""] * _glyph_count(tables), b""), (0, 0, 0), b"")
            # .notdef from the start: the box a missing glyph is drawn as
            _write(target, empty.adding({0}, _converted_glyphs(source, [0])).data)
    return target


def converted(copy: Path, source: Path, glyphs: Iterable[int]) -> bytes:
    """The copy's bytes, holding the outlines of ``glyphs`` (ids): those it lacks converted from ``source``
    and added to it. The same bytes object while the copy is unchanged (read once per process)."""
    view = _VIEWS.get(copy) or _View.read(copy)
    wanted = {glyph for glyph in glyphs if not view.holds(glyph)}
    if wanted:
        with _locked(copy):
            view = _View.read(copy) if view.stale() else view
            wanted = {glyph for glyph in wanted if not view.holds(glyph)}
            if wanted:
                view = view.adding(wanted, _converted_glyphs(source, sorted(wanted)))
                _write(copy, view.data)
                view = replace(view, signature=_signature(copy))
    _VIEWS[copy] = view
    return view.data


@dataclass(frozen=True)
class _View:
    """The copy as this process last read or wrote it."""

    path: Path
    data: bytes
    signature: tuple[int, int, int]  # inode, size and time of change: another process replaced it if they differ
    converted: bytes

    @classmethod
    def read(cls, path: Path) -> _View:
        data = path.read_bytes()
        return cls(path, data, _signature(path), _tables(data)[_CONVERTED])

    def holds(self, glyph: int) -> bool:
        return glyph >> 3 < len(self.converted) and bool(self.converted[glyph >> 3] & 1 << (glyph & 7))

    def stale(self) -> bool:
        return _signature(self.path) != self.signature

    def adding(self, wanted: set[int], outlines: list[bytes]) -> _View:
        """The copy with the outlines of the ``wanted`` glyphs (in order) added."""
        tables = _tables(self.data)
        glyphs = _glyph_data(tables)
        converted = bytearray(self.converted.ljust(_glyph_count(tables) + 7 >> 3, b"\0"))
        for glyph, outline in zip(sorted(wanted), outlines, strict=True):
            glyphs[glyph] = outline
            converted[glyph >> 3] |= 1 << (glyph & 7)
        return _View(self.path, _packed(tables, glyphs, converted), self.signature, bytes(converted))


_VIEWS: dict[Path, _View] = {}


def _signature(path: Path) -> tuple[int, int, int]:
    status = path.stat()
    return status.st_ino, status.st_size, status.st_mtime_ns


def _readable(path: Path) -> bool:
    """Whether ``path`` is a whole copy: its table directory, every table within the file, and the
    converted glyphs' table among them (a file cut short by a crash is made anew)."""
    tags = _table_tags(path)
    return tags is not None and _CONVERTED in tags


@cache
def _remove_whole_copies(folder: Path) -> None:
    """Remove the copies converted whole that docgen made before its copies grew glyph by glyph (5 to 9 MB
    a face, no converted glyphs' table; nothing reads them now): once a process, where they are found."""
    for path in folder.glob("*.ttf"):
        tags = _table_tags(path)
        if tags is not None and _CONVERTED not in tags:
            path.unlink(missing_ok=True)


def _table_tags(path: Path) -> set[str] | None:
    """The tags of a TrueType file's tables, or None if its table directory is unreadable or a table
    runs past its end."""
    try:
        with path.open("rb") as stream:
            header = stream.read(12)
            count = struct.unpack_from(">H", header, 4)[0]
            directory = stream.read(16 * count)
            size = stream.seek(0, os.SEEK_END)
        entries = [struct.unpack_from(">4sLLL", directory, 16 * index) for index in range(count)]
    except (OSError, struct.error):
        return None
    if any(offset + length > size for _, _, offset, length in entries):
        return None
    return {tag.decode("latin-1") for tag, *_ in entries}


# --- The copy's tables -----------------------------------------------------------------------------


def _tables(data: bytes) -> dict[str, bytes]:
    """The font's tables by tag, from its table directory."""
    (count,) = struct.unpack_from(">H", data, 4)
    tables = {}
    for index in range(count):
        tag, _, offset, length = struct.unpack_from(">4sLLL", data, 12 + 16 * index)
        if offset + length > len(data):
            raise ValueError("a table runs past the end of the file")
        tables[tag.decode("latin-1")] = data[offset : offset + length]
    return tables


def _glyph_count(tables: dict[str, bytes]) -> int:
    return struct.unpack_from(">H", tables["maxp"], 4)[0]


def _glyph_data(tables: dict[str, bytes]) -> list[bytes]:
    """Each glyph's outline as glyf holds it (long offsets, as the copy is always written)."""
    offsets = array("I")
    offsets.frombytes(tables["loca"][: (_glyph_count(tables) + 1) * 4])
    if sys.byteorder == "little":
        offsets.byteswap()
    glyf = tables["glyf"]
    return [glyf[start:end] for start, end in pairwise(offsets)]


def _packed(tables: dict[str, bytes], glyphs: list[bytes], converted: bytes) -> bytes:
    """The font file: ``tables`` (but glyf, loca and the converted bits, given apart) in fontTools' order."""
    import io

    from fontTools.ttLib.sfnt import SFNTWriter
    from fontTools.ttLib.ttFont import sortedTagList

    offsets = array("I", [0])
    for glyph in glyphs:
        offsets.append(offsets[-1] + len(glyph))
    if sys.byteorder == "little":
        offsets.byteswap()
    tables = {**tables, "glyf": b"".join(glyphs), "loca": offsets.tobytes(), _CONVERTED: bytes(converted)}
    output = io.BytesIO()
    writer = SFNTWriter(output, len(tables))
    for tag in sortedTagList(list(tables)):
        writer[tag] = tables[tag]
    writer.close()
    return output.getvalue()


def _write(path: Path, data: bytes) -> None:
    """Replace ``path`` whole; a cache needs no fsync (a copy cut short by a crash is made anew)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.write_bytes(data)
    os.replace(temporary, path)


@contextmanager
def _locked(copy: Path) -> Iterator[None]:
    """Hold the copy's lock (one process at a time adds to it); where there is no flock, as on Windows,
    two processes adding at once may lose each other's glyphs, which the next document converts again."""
    try:
        import fcntl
    except ImportError:
        yield
        return
    copy.parent.mkdir(parents=True, exist_ok=True)
    with open(copy.with_name(f".{copy.name}.lock"), "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _tables_without_outlines(source: Path, family: str) -> dict[str, bytes]:
    """The copy's every table but glyf and loca, from the CFF font ``source``."""
    from fontTools.ttLib import TTFont, newTable

    # The source's own head.modified, not the conversion's time: the embedded subsets, so the
    # PDFs, are then the same bytes on every machine.
    font = TTFont(source, recalcTimestamp=False, recalcBBoxes=False, lazy=True)
    head = font["head"]
    head.indexToLocFormat = _LONG_OFFSETS
    head.glyphDataFormat = 0
    head.flags &= ~0b10  # bit 1, left side bearings at x = 0: not promised for converted outlines
    maxp = newTable("maxp")
    maxp.tableVersion = 0x00010000
    for field in ("maxCompositePoints", "maxCompositeContours", "maxTwilightPoints", "maxStorage", "maxFunctionDefs",
                  "maxInstructionDefs", "maxStackElements", "maxSizeOfInstructions", "maxComponentElements",
                  "maxComponentDepth"):  # fmt: skip
        setattr(maxp, field, 0)
    maxp.maxPoints, maxp.maxContours, maxp.maxZones = _MAX_POINTS, _MAX_CONTOURS, 1
    font["maxp"] = maxp
    font["post"].formatType = 2.0
    font["post"].extraNames = []
    font["post"].mapping = {}
    _rename(font, family)
    tags = font.keys()  # the source's, and the new maxp
    return {tag: font.getTableData(tag) for tag in tags if tag not in _NOT_COPIED}


def _rename(font: Any, family: str) -> None:
    """Give the copy its own family and PostScript names, so it never shadows the original."""
    names = font["name"]
    postscript = f"{family}-docgen".replace(" ", "")
    for name_id, value in ((1, family), (16, family), (4, family), (6, postscript)):
        names.setName(value, name_id, 3, 1, 0x409)
        names.setName(value, name_id, 1, 0, 0)
    names.removeNames(nameID=17)
    names.setName("Regular", 2, 3, 1, 0x409)
    names.setName("Regular", 2, 1, 0, 0)
    font["OS/2"].usWeightClass = 400
    font["OS/2"].fsSelection = (font["OS/2"].fsSelection & ~0b100001) | 0b1000000
    font["head"].macStyle = 0


# --- Outlines --------------------------------------------------------------------------------------


def _converted_glyphs(source: Path, glyphs: list[int]) -> list[bytes]:
    """The TrueType outlines of ``glyphs`` (ids) of the CFF font ``source``, as glyf holds them."""
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import newTable

    font = _source_font(source)
    glyph_set, order = font.getGlyphSet(), font.getGlyphOrder()
    glyf = newTable("glyf")
    outlines = []
    for glyph in glyphs:
        pen = TTGlyphPen(glyph_set)
        # Contours turn clockwise for TrueType; each glyph compiled as a whole font's save compiles it.
        glyph_set[order[glyph]].draw(Cu2QuPen(pen, max_err=_MAX_ERROR, reverse_direction=True))
        outlines.append(pen.glyph().compile(glyf))
    return outlines


@cache
def _source_font(source: Path) -> Any:
    """The CFF font, read once per process and only when a glyph is converted."""
    from fontTools.ttLib import TTFont

    return TTFont(source, lazy=True)
