"""`docgen check` reads a PDF's pages in shares, one reader a core: what it measures is what one reader
of the whole file measures, page for page, rule for rule and picture for picture."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from docgen.check import pdf as check_pdf_module
from docgen.check.pdf import check_pdf
from docgen.measure.pdf import joined, read_layout
from docgen.profile import Profile
from docgen.render.pdf.writer import render_pdf
from support import Built, laid_out


@pytest.mark.parametrize("parts", [2, 3, 40])  # 40: more readers than the sample has pages
def test_shares_joined_are_the_whole_file(sample: Built, parts: int) -> None:
    whole = read_layout(sample.pdf)
    shares = [read_layout(sample.pdf, (part, parts)) for part in range(parts)]
    assert shares[0].pages and len(shares[0].pages) < len(whole.pages)
    assert joined(reversed(shares)) == whole


def test_a_check_read_in_shares_finds_what_one_reader_finds(
    sample: Built, profile: Profile, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    wrong = tmp_path / "wrong.pdf"  # docgen's sample on a 29 pt pitch: findings on every page
    wrong.write_bytes(_on_a_wrong_pitch(sample, profile))
    monkeypatch.setattr(check_pdf_module, "_readers", lambda: 1)
    alone = check_pdf(wrong, profile)
    monkeypatch.setattr(check_pdf_module, "_readers", lambda: 3)
    assert alone and check_pdf(wrong, profile) == alone


def _on_a_wrong_pitch(sample: Built, profile: Profile) -> bytes:
    wrong = replace(profile, grid=replace(profile.grid, line_pitch_pt=29.0))
    return render_pdf(laid_out(sample.document, wrong), wrong)
