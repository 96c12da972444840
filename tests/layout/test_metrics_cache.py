"""The metrics cache: a face restored from it is what ReportLab parses, loaded without parsing, keyed by
the font's tables (not its path, not its outlines), and a damaged entry is read again, not an error."""

from __future__ import annotations

import marshal
import shutil
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont as FontToolsFont
from reportlab.pdfbase.ttfonts import TTFontFace

from docgen.layout import metrics_cache
from docgen.layout.fonts import ResolvedFace
from docgen.layout.metrics_cache import cached_face

# What ReportLab's layout and subsetting read from a face.
SCALARS = (
    "name", "familyName", "styleName", "fullName", "subfontNameX", "ascent", "descent", "capHeight", "bbox",
    "italicAngle", "stemV", "flags", "defaultWidth", "unitsPerEm", "numGlyphs", "_full_font", "table",
)  # fmt: skip


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return tmp_path / "cache" / "docgen" / "metrics"


def _files(faces: dict[str, ResolvedFace]) -> list[tuple[Path, int]]:
    """Each file the profile's faces use once: TrueType files, and members of collections."""
    return sorted({(face.path, face.subfont_index) for face in faces.values()})


def _same_as_parsed(face: TTFontFace, path: Path, index: int) -> None:
    parsed = TTFontFace(str(path), subfontIndex=index)
    for name in SCALARS:
        assert getattr(face, name) == getattr(parsed, name), name
    assert dict(face.charToGlyph) == parsed.charToGlyph
    assert dict(face.charWidths) == parsed.charWidths
    assert [tuple(pair) for pair in face.hmetrics] == [tuple(map(float, pair)) for pair in parsed.hmetrics]
    assert list(face.glyphPos) == parsed.glyphPos
    assert face.makeSubset(list(parsed.charToGlyph)[:200]) == parsed.makeSubset(list(parsed.charToGlyph)[:200])
    for code in list(parsed.charToGlyph)[::997]:
        assert face.getCharWidth(code) == parsed.getCharWidth(code)
        assert code in face.glyphToChar[parsed.charToGlyph[code]]


def test_a_face_from_the_cache_is_what_reportlab_parses(cache: Path, faces: dict[str, ResolvedFace]) -> None:
    for path, index in _files(faces):
        made = cached_face(path, index)  # parsed, and kept
        _same_as_parsed(made, path, index)
        _same_as_parsed(cached_face(path, index), path, index)  # restored
    assert len(list(cache.glob("*.marshal"))) == len(_files(faces))


def test_a_kept_face_is_not_parsed_again(
    cache: Path, faces: dict[str, ResolvedFace], monkeypatch: pytest.MonkeyPatch
) -> None:
    path, index = faces["fangsong"].path, faces["fangsong"].subfont_index
    cached_face(path, index)
    monkeypatch.setattr(TTFontFace, "extractInfo", lambda *_: pytest.fail("parsed a face the cache holds"))
    assert cached_face(path, index).charToGlyph[ord("国")]


def test_the_key_is_the_fonts_tables_not_its_path(cache: Path, faces: dict[str, ResolvedFace], tmp_path: Path) -> None:
    source = faces["fangsong"].path
    copy = shutil.copyfile(source, tmp_path / "elsewhere.ttf")
    cached_face(source)
    cached_face(copy)
    assert len(list(cache.glob("*.marshal"))) == 1  # another path, the same tables: one entry
    font = FontToolsFont(source)
    glyph = font.getBestCmap()[ord("国")]
    width, bearing = font["hmtx"][glyph]
    font["hmtx"][glyph] = (width + 100, bearing)
    font.save(tmp_path / "wider.ttf")
    wider = cached_face(tmp_path / "wider.ttf")
    assert len(list(cache.glob("*.marshal"))) == 2
    added = 100 * 1000 / font["head"].unitsPerEm
    assert wider.getCharWidth(ord("国")) == cached_face(source).getCharWidth(ord("国")) + added


@pytest.mark.parametrize("damage", [b"", b"\x00not marshal", b"\xfb\x00", marshal.dumps(7), marshal.dumps({})])
def test_a_damaged_entry_is_parsed_again(cache: Path, faces: dict[str, ResolvedFace], damage: bytes) -> None:
    path = faces["fangsong"].path
    cached_face(path)
    (entry,) = cache.glob("*.marshal")
    entry.write_bytes(damage)
    _same_as_parsed(cached_face(path), path, 0)
    assert entry.read_bytes() != damage  # kept anew


def test_an_unwritable_cache_is_no_error(
    cache: Path, faces: dict[str, ResolvedFace], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    blocker = tmp_path / "blocked"
    blocker.write_text("a file where the cache folder should be", encoding="utf-8")
    monkeypatch.setattr(metrics_cache, "cache_dir", lambda: blocker)
    path = faces["fangsong"].path
    _same_as_parsed(cached_face(path), path, 0)


def test_a_faces_subsets_are_kept_for_its_own_bytes_only(cache: Path, faces: dict[str, ResolvedFace]) -> None:
    """A subset made again (the next document embedding the same characters) is the one made before; a face
    over new bytes (a copy that gained outlines) makes its own, the bytes a parse of those bytes makes."""
    path, index = faces["fangsong"].path, faces["fangsong"].subfont_index
    face = cached_face(path, index)
    codes = sorted(face.charToGlyph)[1000:1200]
    subset = face.makeSubset(codes)
    assert face.makeSubset(list(codes)) is subset
    changed = metrics_cache.with_file(face, path.read_bytes(), index)  # as after a copy gained outlines
    assert changed.makeSubset(codes) is not subset
    assert changed.makeSubset(codes) == subset == TTFontFace(str(path), subfontIndex=index).makeSubset(codes)
