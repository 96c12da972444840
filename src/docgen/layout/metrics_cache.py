"""ReportLab's reading of a font file, kept: a face ready in milliseconds, not parsed whole on every build.

ReportLab reads a TrueType file's every character map entry and advance width to lay it out and embed
it: a few tenths of a second for each CJK face, in every process. What it reads from those tables (the
cmap, the widths, ascent, names, flags) is kept in docgen's cache folder under a hash of the tables
themselves (not of the path: a font replaced by another is read anew; not of the outlines: adding
glyphs to a font does not change its metrics). The kept tables are arrays, looked up where a document
needs them rather than turned back into dictionaries of 30,000 entries (but the widths, which
ReportLab's C accelerator reads as a dictionary). A face restored from them is
ReportLab's own class, with the same values, so widths, subsets and PDFs are what a parse gives; the
file's bytes are still read, for the glyphs a subset cuts from it.
"""

from __future__ import annotations

import copy
import hashlib
import marshal
import os
import sys
from array import array
from bisect import bisect_left
from collections.abc import Callable, Iterator, Mapping, Sequence
from functools import cached_property
from pathlib import Path
from typing import TypeVar
from weakref import WeakKeyDictionary

import reportlab
from reportlab import rl_config
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTEncoding, TTFNameBytes, TTFont, TTFontFace, TTFontParser

from docgen.files.cache import cache_dir

# What extractInfo reads besides the glyph positions (loca, read anew each time) and the outlines.
_METRIC_TABLES = ("cmap", "head", "hhea", "hmtx", "maxp", "name", "OS/2", "post")
_FORMAT = 1  # bumped when what is kept changes
# The large tables, kept as arrays; the rest of what extractInfo sets is kept as it is, but for the
# file's bytes, the reader's place in them, a function, what loca gives and glyphToChar (derived).
_ARRAYS = ("charToGlyph", "charWidths", "hmetrics")
_NOT_KEPT = frozenset(("_ttf_data", "_pos", "_pdfScale", "glyphPos", "glyphToChar", *_ARRAYS))
V = TypeVar("V")
_KEPT_SUBSETS = 16  # a face's last subsets (256 glyphs at most, some 100 KB each)


def cached_font(name: str, path: Path, index: int = 0) -> TTFont:
    """ReportLab's TTFont named ``name`` for the file (a collection's member ``index``), from the cache
    when its tables were read before."""
    return _CachedTTFont(name, cached_face(path, index))


def cached_face(path: Path, index: int = 0) -> TTFontFace:
    """The face ReportLab would parse from ``path``: the file and its table directory read, the rest
    restored from the cache (or parsed, and kept)."""
    face = _CachedFace.__new__(_CachedFace)
    TTFontParser.__init__(face, str(path), validate=0, subfontIndex=index)  # the bytes and table directory
    entry = cache_dir() / "metrics" / f"{_tables_digest(face, index)}.marshal"
    kept = _load(entry)
    if kept is None:
        parsed = set(face.__dict__)
        pdfmetrics.TypeFace.__init__(face, None)  # what TTFontFace.__init__ does, around the parse
        face.extractInfo(charInfo=1)
        _store(entry, {key: value for key, value in face.__dict__.items() if key not in parsed}, face)
    else:
        face.__dict__.update(kept)
        face._pdfScale = _scale(face.unitsPerEm)
    face.glyphPos = _glyph_positions(face)
    return face


def with_file(face: TTFontFace, data: bytes, index: int = 0) -> TTFontFace:
    """``face`` over new bytes of its file, as a TrueType copy that gained outlines has: the table directory
    and glyph positions read from them, the metrics (the same tables) shared. A new face, not ``face``
    changed, so a PDF being written with the old one never reads half of each."""
    changed = copy.copy(face)
    changed.__dict__.pop("_subsets", None)  # the old bytes' subsets are not this face's
    changed._ttf_data = data
    TTFontParser.__init__(changed, face.filename, validate=0, subfontIndex=index)
    changed.glyphPos = _glyph_positions(changed)
    return changed


class _CachedFace(TTFontFace):
    """A TTFontFace whose glyph-to-characters map (used only to shape text, which docgen does not do)
    is derived when asked for, not kept, and whose last subsets are kept for the next PDF that embeds
    the same characters (a batch's fixed text, a document previewed again)."""

    def makeSubset(self, subset: list[int]) -> bytes:
        key = tuple(subset)
        made = self._subsets.get(key)
        if made is None:
            made = super().makeSubset(subset)
            if len(self._subsets) >= _KEPT_SUBSETS:
                self._subsets.pop(next(iter(self._subsets)), None)  # the oldest
            self._subsets[key] = made
        return made

    @cached_property
    def _subsets(self) -> dict[tuple[int, ...], bytes]:
        """Subsets made from this face's bytes, by their characters, oldest first."""
        return {}

    @cached_property
    def glyphToChar(self) -> dict[int, list[int]]:
        inverse: dict[int, list[int]] = {}
        for char, glyph in self.charToGlyph.items():
            inverse.setdefault(glyph, []).append(char)
        return inverse


def _glyph_positions(face: TTFontFace) -> Sequence[int]:
    """Where each glyph starts in the glyf table (and where the last ends), from loca, as extractInfo reads it."""
    long_offsets = face.get_ushort(face.get_table_pos("head")[0] + 50)  # head.indexToLocFormat
    offsets = array("I" if long_offsets else "H")  # 4 and 2 bytes
    offsets.frombytes(face.get_table("loca")[: (face.numGlyphs + 1) * offsets.itemsize])
    if sys.byteorder == "little":
        offsets.byteswap()
    return offsets if long_offsets else _Doubled(offsets)


class _Doubled(Sequence[int]):
    """loca's short offsets, which count 2-byte words."""

    def __init__(self, words: array) -> None:
        self._words = words

    def __len__(self) -> int:
        return len(self._words)

    def __getitem__(self, index: int) -> int:  # type: ignore[override] - ReportLab takes one glyph at a time
        return self._words[index] << 1


class _Table(Mapping[int, V]):
    """A read-only mapping over two arrays, the keys sorted: a key is found by bisection, nothing is
    built but a dictionary of the keys asked for (a process's documents ask for the same few thousand
    characters again and again)."""

    def __init__(self, keys: array, values: Sequence[V]) -> None:
        self._keys = keys
        self._values = values
        self._asked: dict[object, V | None] = {}  # None: not a key

    def __getitem__(self, key: int) -> V:
        value = self._look_up(key)
        if value is None:
            raise KeyError(key)
        return value

    def __contains__(self, key: object) -> bool:
        return self._look_up(key) is not None

    def _look_up(self, key: object) -> V | None:
        try:
            return self._asked[key]
        except KeyError:
            index = bisect_left(self._keys, key)  # type: ignore[call-overload]
            found = self._values[index] if index < len(self._keys) and self._keys[index] == key else None
            self._asked[key] = found
            return found

    def __iter__(self) -> Iterator[int]:
        return iter(self._keys)

    def __len__(self) -> int:
        return len(self._keys)


class _Pairs(Sequence[tuple[float, int]]):
    """hmetrics: each glyph's (advance width, left side bearing), from two arrays."""

    def __init__(self, advances: array, bearings: array) -> None:
        self._advances = advances
        self._bearings = bearings

    def __len__(self) -> int:
        return len(self._advances)

    def __getitem__(self, glyph: int) -> tuple[float, int]:  # type: ignore[override]
        return self._advances[glyph], self._bearings[glyph]


def _tables_digest(face: TTFontFace, index: int) -> str:
    digest = hashlib.sha256(f"{_FORMAT}|{reportlab.Version}|{index}".encode())
    for tag in _METRIC_TABLES:
        if tag in face.table:
            table = face.get_table(tag)
            if tag == "head":  # less checkSumAdjustment, the whole file's checksum
                table = table[:8] + table[12:]
            digest.update(tag.encode() + table)
    return digest.hexdigest()[:32]


def _scale(units_per_em: int) -> Callable[[float], float]:
    """extractInfo's own scaling to 1/1000 em (exact when the font's unit already is one)."""
    if units_per_em == 1000:
        return lambda value: value
    factor = 1000 / units_per_em
    return lambda value: value * factor


def _load(entry: Path) -> dict[str, object] | None:
    try:
        kept = marshal.loads(entry.read_bytes())
        arrays = {name: _array(code, kept.pop(name)) for name, code in kept.pop("_arrays").items()}
        names = kept.pop("_names")
    except (OSError, EOFError, ValueError, TypeError, KeyError, AttributeError):  # none yet, or damaged: parsed again
        return None
    return {
        **{key: TTFNameBytes(value) if key in names else value for key, value in kept.items()},
        "charToGlyph": _Table(arrays["chars"], arrays["glyphs"]),
        # a dictionary: ReportLab's C accelerator (rl_accel) reads it as one
        "charWidths": dict(zip(arrays["width_chars"], arrays["widths"], strict=True)),
        "hmetrics": _Pairs(arrays["advances"], arrays["bearings"]),
    }


def _store(entry: Path, values: dict[str, object], face: TTFontFace) -> None:
    """Kept atomically (a reader sees a whole entry or none); a cache that cannot be written is no error."""
    names = [key for key, value in values.items() if isinstance(value, TTFNameBytes)]
    kept = {key: bytes(value) if key in names else value for key, value in values.items() if key not in _NOT_KEPT}
    chars, widths = sorted(face.charToGlyph), sorted(face.charWidths)
    arrays = {
        "chars": ("I", chars),
        "glyphs": ("I", [face.charToGlyph[char] for char in chars]),
        "width_chars": ("I", widths),
        "widths": ("d", [face.charWidths[char] for char in widths]),
        "advances": ("d", [advance for advance, _ in face.hmetrics]),
        "bearings": ("H", [bearing for _, bearing in face.hmetrics]),
    }
    kept |= {name: array(code, items).tobytes() for name, (code, items) in arrays.items()}
    kept |= {"_names": names, "_arrays": {name: code for name, (code, _) in arrays.items()}}
    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        temporary = entry.with_suffix(f".{os.getpid()}.tmp")
        temporary.write_bytes(marshal.dumps(kept))
        os.replace(temporary, entry)
    except OSError:
        pass


def _array(code: str, data: bytes) -> array:
    values = array(code)
    values.frombytes(data)
    return values


class _CachedTTFont(TTFont):
    """ReportLab's TTFont around a face already read (its own constructor always parses the file)."""

    def __init__(self, name: str, face: TTFontFace) -> None:  # as TTFont.__init__, less the parse
        self.fontName = name
        self.face = face
        self.encoding = TTEncoding()
        self.state = WeakKeyDictionary()
        self._asciiReadable = rl_config.ttfAsciiReadable
        self.shapable = True  # as TTFont's default: only when uharfbuzz is installed
