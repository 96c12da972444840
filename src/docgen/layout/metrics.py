"""Glyph metrics of the resolved faces: the glyphs, with their advance widths, a paragraph is made of."""

from __future__ import annotations

import threading
from collections.abc import Container
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from docgen.compose.paragraphs import Para, Span
from docgen.errors import DocgenError
from docgen.layout.fonts import FontFile, ResolvedFace, resolve_faces
from docgen.layout.lines import Glyph, Line, break_paragraph, space_scripts
from docgen.layout.metrics_cache import cached_font, with_file
from docgen.layout.tables import RowBand, table_bands
from docgen.layout.truetype import converted
from docgen.profile import Profile
from docgen.roles import Role


@dataclass(frozen=True, eq=False)
class FontMetrics:
    """The font file of each face key (``faces``: what serves it, and why); a file is read only
    when a character is drawn from it (the fallback face's, only when a face lacks one)."""

    faces: dict[str, ResolvedFace]

    @property
    def fonts(self) -> dict[str, FontFile]:
        """Every face's file but the fallback's, registered with ReportLab under its name (to draw with directly)."""
        fonts = {key: face.file for key, face in self.faces.items() if key != "fallback"}
        for font in fonts.values():
            reportlab_font(font)
        return fonts

    @cached_property
    def _files(self) -> dict[str, FontFile]:
        """Each face's file, one object for all its glyphs (not one made for each)."""
        return {key: face.file for key, face in self.faces.items()}

    def glyphs(self, para: Para, profile: Profile, spans: tuple[Span, ...] | None = None) -> list[Glyph]:
        """The glyphs of ``para`` (or of some ``spans`` of it); a character no face can draw is an
        error, never an empty box."""
        body_size = profile.roles[Role.BODY].size_pt
        glyphs, missing = [], []
        drawn: dict[FontFile, set[str]] = {}  # by font file: the characters drawn from it
        fallback = self._files["fallback"]
        for span in para.spans if spans is None else spans:
            style = profile.roles[span.role]
            size = span.size_pt or style.size_pt
            spacing = profile.grid.letter_spacing_pt if size == body_size else 0.0
            own = self._files[style.face]
            drawn.setdefault(own, set()).update(span.text)  # the few the face lacks are its cmap's to pass over
            # Each font's tables looked up once a span, not once a glyph; a glyph made once (they are immutable).
            covered, color, (widths, default) = _coverage(own), style.color, _widths(own)
            made = self._glyphs.setdefault((own, size, spacing, color), {})
            for char in span.text:
                glyph = made.get(char)
                if glyph is None:
                    code = ord(char)
                    if code in covered or char.isspace():
                        glyph = Glyph(char, own, size, 0.001 * size * widths.get(code, default), spacing, color)
                    elif code in _coverage(fallback):  # the fallback face draws what the face lacks
                        glyph = Glyph(char, fallback, size, _advance_width(char, fallback, size), spacing, color)
                    else:
                        missing.append(char)
                        continue
                    made[char] = glyph
                if glyph.font is fallback and fallback != own:
                    drawn.setdefault(fallback, set()).add(char)
                glyphs.append(glyph)
        if missing:
            names = ", ".join(f"'{char}' (U+{ord(char):04X})" for char in dict.fromkeys(missing))
            raise DocgenError(f"no installed face can draw {names}, in the paragraph “{para.text[:24]}…”")
        # Every TrueType copy drawn from holds the outlines before anything draws them: the PDF's
        # subsets, the OFD's, LibreOffice.
        for font, chars in drawn.items():
            if font in self._copies:
                _with_outlines(font, self._copies[font], chars)
        return space_scripts(glyphs, profile.grid.western_gap_em)

    @cached_property
    def _glyphs(self) -> dict[tuple[FontFile, float, float, str], dict[str, Glyph]]:
        """The glyphs made so far, by font, size, letter spacing and colour, then by character."""
        return {}

    @cached_property
    def _copies(self) -> dict[FontFile, Path]:
        """The faces' TrueType copies, and the CFF font each converts its outlines from."""
        return {face.file: face.converted_from for face in self.faces.values() if face.converted_from}

    def lines(self, para: Para, profile: Profile) -> tuple[Line | RowBand, ...]:
        """The lines of ``para`` (a table's: its row bands)."""
        if para.table is not None:
            return tuple(table_bands(para, lambda span: self.glyphs(para, profile, (span,)), profile))
        tabs = [(tab, self.glyphs(para, profile, tab.spans)) for tab in para.tabs]
        return tuple(break_paragraph(para, self.glyphs(para, profile), profile, tabs))


def _advance_width(char: str, font: FontFile, size: float) -> float:
    """The advance in points, as ReportLab's stringWidth computes it in Python: its C accelerator
    (rl_accel), when installed, may round otherwise, and a width must not depend on it."""
    widths, default = _widths(font)
    return 0.001 * size * widths.get(ord(char), default)


@cache
def _widths(font: FontFile) -> tuple[dict[int, float], float]:
    """The face's advance widths (thousandths of the size) by code point, and the width of any other."""
    face = reportlab_font(font).face
    return face.charWidths, face.defaultWidth


@cache
def _coverage(font: FontFile) -> Container[int]:
    """The code points the face draws: its character map, looked up where a character is first met
    (a set of all its 10,000 to 35,000 codes took longer to make than every look-up of a document)."""
    return reportlab_font(font).face.charToGlyph


_DRAWN: dict[FontFile, set[str]] = {}  # the characters of each copy this process has drawn: their outlines are in it
# ReportLab's first subset of a font carries printable ASCII, drawn or not: a copy holds those outlines too.
_FIRST_SUBSET = frozenset(map(chr, range(32, 128)))
_CONVERTING = threading.Lock()  # one thread at a time adds outlines (a process's own lock; processes flock the copy)


def _with_outlines(font: FontFile, source: Path, chars: set[str]) -> None:
    """The copy ``font`` holds the outlines of ``chars``, converted from ``source`` if it lacked them."""
    drawn = _DRAWN.setdefault(font, set())
    new = chars - drawn if drawn else chars | _FIRST_SUBSET
    if not new:
        return
    with _CONVERTING:
        registered = reportlab_font(font)
        cmap = registered.face.charToGlyph
        data = converted(font.path, source, {cmap[ord(char)] for char in new if ord(char) in cmap})
        if data is not registered.face._ttf_data:
            registered.face = with_file(registered.face, data, font.index)
        drawn |= new


@cache
def reportlab_font(font: FontFile) -> TTFont:
    """The file as ReportLab's font, registered under ``font.name`` once per process: its widths, and the
    subsets the PDF embeds (read from docgen's metrics cache, not parsed whole each time)."""
    if font.name not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(cached_font(font.name, font.path, font.index))
    return pdfmetrics.getFont(font.name)


_LOADED: dict[tuple[object, ...], FontMetrics] = {}


def font_metrics(profile: Profile, font_dir: Path | None = None) -> FontMetrics:
    """Fonts resolved once per process, not per document."""
    key = (tuple(profile.faces.values()), font_dir)
    if key not in _LOADED:
        _LOADED[key] = FontMetrics(resolve_faces(profile, font_dir))
    return _LOADED[key]
