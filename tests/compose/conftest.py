"""Fixtures of the composition tests: small sources written into tmp_path and composed.

Every test runs twice: with the bundled profile and with one whose figures all differ from it
(pitch, lines, distances, widths, colours, indents, sizes). A test that types a figure instead
of reading it from the profile passes on one of them only.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from docgen.compose.document import compose_paragraphs
from docgen.compose.paragraphs import Para
from docgen.profile import DEFAULT_PROFILE, Profile, load_profile
from docgen.source.loader import load_document
from support import ROOT

EXAMPLES = ROOT / "examples"
SEALS = ("seal-city.png", "seal-office.png", "signature-seal.png")

# Each section's changed figures; the grid's 20 lines of 31.5 pt (630 twips) still fit the 225 mm block.
_VARIED = {
    "grid": {"lines_per_page": 20, "line_pitch_pt": 31.5, "baseline_ratio": 0.78},
    "header": {
        "mark_top_mm": 40, "mark_line_ratio": 1.3, "mark_suffix_gap_chars": 1, "blank_lines_below_mark": 3,
        "rule_below_number_mm": 5, "rule_width_mm": 0.35, "rule_color": "C00000", "blank_lines_below_rule": 3,
        "em_ascent": 0.86,
    },
    "letter": {
        "mark_top_mm": 28, "rule_below_mark_mm": 5, "rule_above_bottom_mm": 25, "rule_length_mm": 160,
        "thick_mm": 1.0, "thin_mm": 0.3, "gap_mm": 0.5, "mark_size_pt": 32,
    },
    "order": {"mark_top_mm": 25, "blank_lines_below_mark": 1, "blank_lines_below_number": 3},
    "seal": {
        "diameter_mm": 38, "signer_seal_width_mm": 25, "gap_mm": 5, "centre_above_signature_em": 0.3,
        "date_right_indent_chars": 3, "blank_lines_before_signer": 3,
    },
    "colophon": {"thick_mm": 0.5, "thin_mm": 0.2, "side_indent_chars": 2},
    "signature": {"blank_lines_before": 2, "right_indent_chars": 3, "date_offset_chars": 1},
    "body": {"first_line_indent_chars": 3, "blank_lines_after_title": 2},
}  # fmt: skip
_VARIED_SIZES = {"mark": 36, "title": 20, "colophon": 12}


@pytest.fixture(scope="session")
def varied_profile(tmp_path_factory: pytest.TempPathFactory) -> Profile:
    data = yaml.safe_load(DEFAULT_PROFILE.read_text(encoding="utf-8"))
    for section, figures in _VARIED.items():
        data[section].update(figures)
    for role, size in _VARIED_SIZES.items():
        data["roles"][role]["size_pt"] = size
    path = tmp_path_factory.mktemp("profile") / "varied.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return load_profile(path)


@pytest.fixture(params=["gbt9704", "varied"])
def profile(request: pytest.FixtureRequest, varied_profile: Profile) -> Profile:
    """The bundled profile, then the varied one (overrides the session's bundled ``profile``)."""
    return load_profile() if request.param == "gbt9704" else varied_profile


Compose = Callable[[str], tuple[Para, ...]]


@pytest.fixture
def compose(tmp_path: Path, profile: Profile) -> Compose:
    """Composes the YAML source text given, written into tmp_path beside copies of the examples' seals."""
    for seal in SEALS:
        shutil.copyfile(EXAMPLES / seal, tmp_path / seal)

    def composed(source: str) -> tuple[Para, ...]:
        path = tmp_path / "source.yaml"
        path.write_text(source, encoding="utf-8")
        return compose_paragraphs(load_document(path), profile)

    return composed


@pytest.fixture
def example(profile: Profile) -> Callable[[str], tuple[Para, ...]]:
    """Composes a file of examples/ (or data/report.yaml by its path from the repository's root)."""

    def composed(name: str) -> tuple[Para, ...]:
        path = EXAMPLES / name if "/" not in name else ROOT / name
        return compose_paragraphs(load_document(path), profile)

    return composed
