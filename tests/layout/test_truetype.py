"""TrueType copies of the Fandol faces, glyphs converted as documents draw them: the copy is a whole font
from the start, its outlines follow the source's, a document's embedded subsets are the same bytes
whatever else the copy holds, and processes adding glyphs at once lose none."""

from __future__ import annotations

import io
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from fontTools.pens.boundsPen import BoundsPen
from fontTools.ttLib import TTFont

from docgen.compose.document import compose_paragraphs
from docgen.layout.engine import lay_out
from docgen.layout.fonts import _FANDOL_FILES, ResolvedFace, resolve_faces
from docgen.layout.metrics import FontMetrics
from docgen.layout.truetype import _remove_whole_copies, converted, truetype_copy
from docgen.profile import Profile
from docgen.source.loader import load_document
from support import ROOT, SAMPLE_SOURCE

TEXT = "关于进一步加强安全生产工作的通知，各区县人民政府。"


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty cache folder: a first build's."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return tmp_path / "cache"


@pytest.fixture
def fang(faces: dict[str, ResolvedFace]) -> Path:
    """The CFF font the body face's copy is converted from."""
    source = faces["fangsong"].converted_from
    if source is None:
        pytest.skip("the body face is no TrueType copy of a Fandol face on this machine")
    return source


def _converted_glyphs(copy: Path) -> set[int]:
    bits = TTFont(copy, lazy=True).reader["DGcv"]
    return {index for index in range(len(bits) * 8) if bits[index >> 3] & 1 << (index & 7)}


def _glyph_ids(font: TTFont, text: str) -> set[int]:
    cmap = font.getBestCmap()
    return {font.getGlyphID(cmap[ord(char)]) for char in text if ord(char) in cmap}


def _bounds(font: TTFont, glyph: str) -> tuple[float, float, float, float] | None:
    pen = BoundsPen(font.getGlyphSet())
    font.getGlyphSet()[glyph].draw(pen)
    return pen.bounds


def test_a_new_copy_is_a_whole_font_with_the_sources_metrics_and_few_outlines(cache: Path, fang: Path) -> None:
    import pymupdf

    copy = truetype_copy(fang, "FandolFang")
    font, source = TTFont(copy), TTFont(fang)
    assert font.sfntVersion == "\x00\x01\x00\x00" and "glyf" in font and "CFF " not in font
    assert font.getBestCmap() == source.getBestCmap()
    assert font["hmtx"].metrics == source["hmtx"].metrics
    assert font["OS/2"].sTypoAscender == source["OS/2"].sTypoAscender
    assert font["name"].getDebugName(1) == "FandolFang" and font["name"].getDebugName(6) == "FandolFang-docgen"
    assert _converted_glyphs(copy) == {0}  # .notdef, the box a missing glyph is drawn as
    assert _bounds(font, font.getGlyphOrder()[0]) is not None
    assert copy.stat().st_size < fang.stat().st_size / 10
    assert pymupdf.Font(fontbuffer=copy.read_bytes()).has_glyph(ord("国"))  # FreeType reads it


def test_converted_outlines_follow_the_sources(cache: Path, fang: Path) -> None:
    copy = truetype_copy(fang, "FandolFang")
    source = TTFont(fang)
    wanted = _glyph_ids(source, TEXT)
    data = converted(copy, fang, wanted)
    assert data == copy.read_bytes()
    assert wanted <= _converted_glyphs(copy)
    font = TTFont(io.BytesIO(data))
    for glyph in wanted:
        name = font.getGlyphOrder()[glyph]
        cubic, quadratic = _bounds(source, name), _bounds(font, name)
        assert cubic is not None and quadratic is not None
        # within the conversion's 1 unit of 1000 and half a unit of rounding to TrueType's integer grid
        assert all(abs(a - b) <= 1.5 for a, b in zip(cubic, quadratic, strict=True)), name
    assert converted(copy, fang, wanted) is data  # nothing to add: the same bytes, not read again


def test_a_copy_is_the_same_bytes_whatever_order_its_glyphs_came_in(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fang: Path
) -> None:
    source = TTFont(fang, lazy=True)
    first, second = _glyph_ids(source, "安全生产"), _glyph_ids(source, "人民政府")
    copies = []
    for machine, batches in (("one", (first, second)), ("two", (second, first)), ("three", (first | second,))):
        monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / machine))
        copy = truetype_copy(fang, "FandolFang")
        for batch in batches:
            converted(copy, fang, batch)
        copies.append(copy.read_bytes())
    assert copies[0] == copies[1] == copies[2]


def test_a_documents_pdf_is_the_same_bytes_whatever_else_the_copies_hold(tmp_path: Path) -> None:
    """Built in a fresh cache, built again after other documents added glyphs, and built in a cache
    that holds the whole sample's glyphs: the same PDF (its embedded subsets hold only its glyphs)."""
    order, sample = ROOT / "examples" / "order.yaml", SAMPLE_SOURCE

    def build(cache: str, source: Path) -> bytes:
        out = tmp_path / cache / "out"
        command = [sys.executable, "-m", "docgen.cli", "build", str(source), "-f", "pdf", "-o", str(out), "--force"]
        subprocess.run(command, check=True, capture_output=True, env=_environment(tmp_path / cache))
        return (out / f"{source.stem}.pdf").read_bytes()

    fresh = build("one", order)
    build("one", sample)
    assert build("one", order) == fresh
    build("two", sample)
    assert build("two", order) == fresh


def test_every_glyph_a_pdf_embeds_has_its_outline(tmp_path: Path, fang: Path) -> None:
    """From an empty cache: each character of each embedded subset (ReportLab's first carries printable
    ASCII, drawn or not) is drawn as its source draws it, with ink or without."""
    out = tmp_path / "out"
    command = [sys.executable, "-m", "docgen.cli", "build", str(ROOT / "examples" / "order.yaml"), "-f", "pdf"]
    subprocess.run([*command, "-o", str(out)], check=True, capture_output=True, env=_environment(tmp_path / "c"))
    checked = 0
    for name, subset, characters in _embedded_subsets(out / "order.pdf"):
        if "Fandol" not in name:
            continue
        source = TTFont(fang.parent / _FANDOL_FILES[name.split("+")[1].removesuffix("-docgen")])
        cmap, source_cmap = subset["cmap"].getcmap(1, 0).cmap, source.getBestCmap()
        for code, char in characters.items():
            if ord(char) in source_cmap:  # else .notdef's box, in both
                expected = _bounds(source, source_cmap[ord(char)]) is not None
                assert (_bounds(subset, cmap[code]) is not None) == expected, (name, char)
                checked += 1
    assert checked > 200


def _embedded_subsets(pdf: Path) -> Iterator[tuple[str, TTFont, dict[int, str]]]:
    """Each embedded TrueType subset: its name, the font, and the character each code stands for."""
    from pypdf import PdfReader

    seen = set()
    for page in PdfReader(pdf).pages:
        for font in (entry.get_object() for entry in page["/Resources"]["/Font"].values()):
            if font["/BaseFont"] in seen:
                continue
            seen.add(font["/BaseFont"])
            data = font["/FontDescriptor"]["/FontFile2"].get_object().get_data()
            pairs = re.findall(rb"<([0-9A-F]{2})> <([0-9A-F]{4})>", font["/ToUnicode"].get_object().get_data())
            characters = {int(code, 16): chr(int(char, 16)) for code, char in pairs if int(code, 16)}
            yield str(font["/BaseFont"]), TTFont(io.BytesIO(data)), characters


def test_processes_adding_glyphs_at_once_lose_none(tmp_path: Path, fang: Path) -> None:
    environment = _environment(tmp_path / "cache")
    script = (
        "import sys; from pathlib import Path; from docgen.layout.truetype import converted, truetype_copy\n"
        "source = Path(sys.argv[1]); copy = truetype_copy(source, 'FandolFang')\n"
        "for glyph in range(int(sys.argv[2]), int(sys.argv[2]) + 120, 4): converted(copy, source, [glyph])\n"
    )
    starts = (1000, 1001, 1002, 1003)
    workers = [
        subprocess.Popen([sys.executable, "-c", script, str(fang), str(start)], env=environment) for start in starts
    ]
    assert [worker.wait(timeout=600) for worker in workers] == [0] * len(workers)
    (copy,) = (tmp_path / "cache" / "docgen" / "fonts").glob("FandolFang-*.ttf")
    assert set(range(1000, 1120)) <= _converted_glyphs(copy)
    TTFont(copy)["glyf"].compile(TTFont(copy))  # every glyph still reads


def test_a_damaged_copy_is_made_anew(cache: Path, fang: Path) -> None:
    copy = truetype_copy(fang, "FandolFang")
    whole = copy.read_bytes()
    copy.write_bytes(whole[: len(whole) // 2])  # a crash while it was written
    assert truetype_copy(fang, "FandolFang").read_bytes() == whole


def test_a_laid_out_documents_glyphs_all_have_outlines_in_the_copies(cache: Path, profile: Profile) -> None:
    """What the OFD embeds and LibreOffice draws is read from the copies: the layout converts every glyph
    it places before any renderer runs."""
    faces = resolve_faces(profile)
    copies = {face.file for face in faces.values() if face.converted_from}
    if not copies:
        pytest.skip("no face is a TrueType copy on this machine")
    document = load_document(ROOT / "examples" / "order.yaml")
    laid = lay_out(document, compose_paragraphs(document, profile), profile, FontMetrics(faces))
    drawn: dict[Path, set[str]] = {}
    for page in laid.pages or ():
        for item in page.items:
            for run in getattr(item, "items", (item,)):
                if getattr(run, "font", None) in copies:
                    drawn.setdefault(run.font.path, set()).update(run.text)
    assert drawn
    for path, chars in drawn.items():
        font = TTFont(path)
        cmap = font.getBestCmap()
        for char in chars - {" ", "\u3000"}:
            assert _bounds(font, cmap[ord(char)]) is not None, (path.name, char)


def _environment(cache: Path) -> dict[str, str]:
    import os

    return {**os.environ, "XDG_CACHE_HOME": str(cache)}


def test_copies_converted_whole_before_are_removed_and_the_others_kept(cache: Path, fang: Path) -> None:
    """A whole conversion (docgen's copies before they grew glyph by glyph) has no converted glyphs' table:
    5 to 9 MB a face that nothing reads any more. It is removed when the next process looks for its copy."""
    other = truetype_copy(fang, "FandolFang").rename(cache / "docgen" / "fonts" / "FandolKai-ba9876543210.ttf")
    fonts = other.parent  # beside a grown copy of another source, and a file that is no font
    whole = fonts / "FandolFang-0123456789ab.ttf"
    font = TTFont(fang)
    del font["CFF "]  # a TrueType file without docgen's table: what the old copies were, in little
    font.save(whole)
    notes = fonts / "notes.txt"
    notes.write_text("not a font")
    _remove_whole_copies.cache_clear()  # as in a new process
    copy = truetype_copy(fang, "FandolFang")
    assert not whole.exists()
    assert {path.name for path in fonts.iterdir() if not path.name.startswith(".")} == {
        copy.name,
        other.name,
        notes.name,
    }
