"""Shared fixtures: the sample built once per test session, and LibreOffice's rendering of its DOCX."""

from __future__ import annotations

import os

# Most tests read docgen's English messages; tests/test_i18n.py sets each language itself. Set before
# any docgen import: the language is chosen when docgen.i18n is first imported.
os.environ["DOCGEN_LANG"] = "en"

import pytest

from docgen.layout.fonts import ResolvedFace, fontconfig_file, resolve_faces
from docgen.measure.office import libreoffice, render_with_libreoffice
from docgen.measure.pdf import Page, read_pdf
from docgen.profile import Profile, load_profile
from docgen.render.docx.writer import render_docx
from docgen.render.pdf.writer import render_pdf
from docgen.source.loader import load_document
from support import SAMPLE_SOURCE, Built, laid_out


@pytest.fixture(scope="session")
def profile() -> Profile:
    return load_profile()


@pytest.fixture(scope="session")
def faces(profile: Profile) -> dict[str, ResolvedFace]:
    return resolve_faces(profile)


@pytest.fixture(scope="session")
def sample(tmp_path_factory: pytest.TempPathFactory, profile: Profile) -> Built:
    folder = tmp_path_factory.mktemp("sample")
    document = load_document(SAMPLE_SOURCE)
    docx = folder / "report.docx"
    pdf = folder / "report.pdf"
    docx.write_bytes(render_docx(laid_out(document, profile), profile))
    pdf.write_bytes(render_pdf(laid_out(document, profile), profile))
    return Built(document, profile, docx, pdf, read_pdf(pdf))


@pytest.fixture(scope="session")
def libreoffice_pages(
    sample: Built, faces: dict[str, ResolvedFace], tmp_path_factory: pytest.TempPathFactory
) -> list[Page]:
    """LibreOffice's rendering of our DOCX, with the office names aliased to the PDF's faces."""
    if not libreoffice():
        pytest.fail("LibreOffice is needed to measure the DOCX: run `make test`, which installs it")
    out = render_with_libreoffice(sample.docx, fontconfig_file(sample.profile, faces), tmp_path_factory.mktemp("lo"))
    return read_pdf(out)
