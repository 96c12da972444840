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

from docgen.compose.paragraphs import Para, Span
from docgen.errors import DocgenError
from docgen.layout.fonts import ResolvedFace, resolve_faces
from docgen.layout.typeset import Glyph, Line, RowBand, break_paragraph, space_scripts, table_bands
from docgen.profile import Profile


@dataclass(frozen=True, eq=False)
class FontMetrics:
    """ReportLab font names per face key; the fallback face is registered only when needed."""

    names: dict[str, str]
    fallback: ResolvedFace

    def font_for(self, face: str, char: str) -> str | None:
        """The face's font, or the fallback face when the face lacks ``char``; None if neither has it."""
        name = self.names[face]
        if ord(char) in _coverage(name) or char.isspace():
            return name
        fallback = _register(self.fallback)
        return fallback if ord(char) in _coverage(fallback) else None

    def glyphs(self, para: Para, profile: Profile, spans: tuple[Span, ...] | None = None) -> list[Glyph]:
        """The glyphs of ``para`` (or of some ``spans`` of it); a character no face can draw is an
        error, never an empty box."""
        body_size = profile.roles["body"].size_pt
        glyphs, missing = [], []
        for span in para.spans if spans is None else spans:
            style = profile.roles[span.role]
            size = span.size_pt or style.size_pt
            spacing = profile.grid.letter_spacing_pt if size == body_size else 0.0
            for char in span.text:
                font = self.font_for(style.face, char)
                if font is None:
                    missing.append(char)
                    continue
                width = _advance_width(char, font, size)
                glyphs.append(Glyph(char, font, size, width, spacing, style.color))
        if missing:
            names = ", ".join(f"'{char}' (U+{ord(char):04X})" for char in dict.fromkeys(missing))
            raise DocgenError(f"no installed face can draw {names}, in the paragraph “{para.text[:24]}…”")
        return space_scripts(glyphs, profile.grid.western_gap_em)

    def lines(self, para: Para, profile: Profile) -> tuple[Line | RowBand, ...]:
        """The lines of ``para``, decided once per process for the PDF and the DOCX alike."""
        return _lines(self, para, profile)


# Enough for the paragraphs of one long document, which its DOCX and PDF share; a bigger
# cache only holds on to other documents' glyphs (memory per worker grew to 190 MB at 4096).
@lru_cache(maxsize=512)
def _lines(metrics: FontMetrics, para: Para, profile: Profile) -> tuple[Line | RowBand, ...]:
    if para.table is not None:
        return tuple(table_bands(para, lambda span: metrics.glyphs(para, profile, (span,)), profile))
    tabs = [(tab, metrics.glyphs(para, profile, tab.spans)) for tab in para.tabs]
    return tuple(break_paragraph(para, metrics.glyphs(para, profile), profile, tabs))


def clear_line_cache() -> None:
    """Forget every line decision (benchmarks time a document as if it were new)."""
    _lines.cache_clear()


@lru_cache(maxsize=65536)
def _advance_width(char: str, font: str, size: float) -> float:
    return pdfmetrics.stringWidth(char, font, size)


@cache
def _coverage(name: str) -> frozenset[int]:
    return frozenset(pdfmetrics.getFont(name).face.charToGlyph)


@cache
def _register(face: ResolvedFace) -> str:
    if face.pdf_name not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(face.pdf_name, str(face.path), subfontIndex=face.subfont_index))
    return face.pdf_name


_LOADED: dict[tuple[object, ...], FontMetrics] = {}


def font_metrics(profile: Profile, font_dir: Path | None = None) -> FontMetrics:
    """Fonts resolved and registered once per process (the slow part), not per document."""
    key = (tuple(profile.faces.values()), font_dir)
    if key not in _LOADED:
        faces = resolve_faces(profile, font_dir)
        names = {face_key: _register(face) for face_key, face in faces.items() if face_key != "fallback"}
        _LOADED[key] = FontMetrics(names, faces["fallback"])
    return _LOADED[key]
