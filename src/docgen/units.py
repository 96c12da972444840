"""Lengths in every unit docgen reads or writes, and the grids the formats round them to.

docgen computes in points (PDF's unit). The profile gives the page in millimetres; a DOCX takes
twips for page geometry, line heights, spacing and indents, half points for font sizes, eighths
of a point for borders and EMU for drawings. A length that falls between two steps of a format's
grid is set differently there than in the PDF, so the profile checks its lengths against these.
"""

from __future__ import annotations

import math

MM_PER_PT = 25.4 / 72
TWIPS_PER_PT = 20
HALF_POINTS_PER_PT = 2
EIGHTHS_PER_PT = 8  # w:sz of a border
EMU_PER_PT = 12700
WORD_MIN_EXACT_LINE_PT = 0.7  # Word's thinnest exact line height: no spacer paragraph can be thinner
_ON_GRID = 1e-6  # a float this close to a step is on it: binary fractions miss decimal steps by a hair


def mm_to_pt(mm: float) -> float:
    return mm / MM_PER_PT


def pt_to_mm(points: float) -> float:
    return points * MM_PER_PT


def pt_to_twips(points: float) -> int:
    """The nearest twip: what Word stores for a length."""
    return round(points * TWIPS_PER_PT)


def twips_to_pt(twips: float) -> float:
    return twips / TWIPS_PER_PT


def mm_to_twips(mm: float) -> int:
    """A page dimension as a DOCX stores it (python-docx rounds to the nearest twip)."""
    return pt_to_twips(mm_to_pt(mm))


def pt_to_half_points(points: float) -> int:
    """A font size in Word's half points, rounded down: a size shrunk to fit still fits."""
    return math.floor(points * HALF_POINTS_PER_PT + _ON_GRID)


def pt_to_eighths(points: float) -> int:
    return round(points * EIGHTHS_PER_PT)


def pt_to_emu(points: float) -> int:
    return round(points * EMU_PER_PT)


def emu_to_pt(emu: float) -> float:
    return emu / EMU_PER_PT


def on_grid(points: float, steps_per_pt: int) -> bool:
    """Whether ``points`` is a whole number of the grid's steps (twips, half points…)."""
    steps = points * steps_per_pt
    return abs(steps - round(steps)) < _ON_GRID
