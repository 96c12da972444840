"""Glyph metrics of the resolved faces: what a line of each paragraph is made of.

The PDF renderer places these glyphs; the DOCX renderer uses the same line decisions to
carry a squeezed line over to Word and LibreOffice.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from docgen.compose import Para
from docgen.errors import DocgenError
from docgen.fonts import resolve_faces
from docgen.profile import Profile
from docgen.typeset import Glyph, Line, break_paragraph, space_scripts


@dataclass(frozen=True, eq=False)
class FontMetrics:
    """ReportLab font names per face key, registered once per process."""

    names: dict[str, str]
    fallback: str

    def font_for(self, face: str, char: str) -> str | None:
        """The face's font, or the fallback face when the face lacks ``char``; None if neither has it."""
        for name in (self.names[face], self.fallback):
            if ord(char) in _coverage(name) or char.isspace():
                return name
        return None

    def glyphs(self, para: Para, profile: Profile) -> list[Glyph]:
        """The glyphs of ``para``; a character no face can draw is an error, never an empty box."""
        body_size = profile.roles["body"].size_pt
        glyphs, missing = [], []
        for span in para.spans:
            style = profile.roles[span.role]
            spacing = profile.grid.letter_spacing_pt if style.size_pt == body_size else 0.0
            for char in span.text:
                font = self.font_for(style.face, char)
                if font is None:
                    missing.append(char)
                    continue
                width = _advance_width(char, font, style.size_pt)
                glyphs.append(Glyph(char, font, style.size_pt, width, spacing))
        if missing:
            names = ", ".join(f"'{char}' (U+{ord(char):04X})" for char in dict.fromkeys(missing))
            raise DocgenError(f"no installed face can draw {names}, in the paragraph “{para.text[:24]}…”")
        return space_scripts(glyphs, profile.grid.western_gap_em)

    def lines(self, para: Para, profile: Profile) -> tuple[Line, ...]:
        """The lines of ``para``, decided once per process for the PDF and the DOCX alike."""
        return _lines(self, para, profile)


@lru_cache(maxsize=4096)
def _lines(metrics: FontMetrics, para: Para, profile: Profile) -> tuple[Line, ...]:
    return tuple(break_paragraph(para, metrics.glyphs(para, profile), profile))


@lru_cache(maxsize=65536)
def _advance_width(char: str, font: str, size: float) -> float:
    return pdfmetrics.stringWidth(char, font, size)


@cache
def _coverage(name: str) -> frozenset[int]:
    return frozenset(pdfmetrics.getFont(name).face.charToGlyph)


_LOADED: dict[tuple[object, ...], FontMetrics] = {}


def font_metrics(profile: Profile, font_dir: Path | None = None) -> FontMetrics:
    """Fonts resolved and registered once per process (the slow part), not per document."""
    key = (tuple(profile.faces.values()), font_dir)
    if key not in _LOADED:
        names = {}
        for face_key, face in resolve_faces(profile, font_dir).items():
            if face.pdf_name not in pdfmetrics.getRegisteredFontNames():
                pdfmetrics.registerFont(TTFont(face.pdf_name, str(face.path), subfontIndex=face.subfont_index))
            names[face_key] = face.pdf_name
        _LOADED[key] = FontMetrics(names, names["fallback"])
    return _LOADED[key]
