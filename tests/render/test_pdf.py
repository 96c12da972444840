"""The PDF as a file: embedded faces, text, metadata, determinism."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from docx import Document as read_docx
from pypdf import PdfReader
from reportlab.pdfbase import pdfdoc

from docgen.measure.pdf import grid_of
from docgen.profile import Profile
from docgen.render.pdf.writer import render_pdf
from docgen.source.loader import load_document
from support import Built, laid_out, sample_body_text


def _font_dicts(reader: PdfReader) -> list[dict]:
    fonts = []
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            fonts.append(font.get_object())
    return fonts


def test_every_font_is_a_real_embedded_subset(sample: Built) -> None:
    fonts = _font_dicts(PdfReader(sample.pdf))
    assert fonts
    for font in fonts:
        descriptor = font["/FontDescriptor"].get_object()
        assert "/FontFile2" in descriptor, f"{font['/BaseFont']} is not embedded"
        assert str(font["/BaseFont"]).lstrip("/")[6] == "+", f"{font['/BaseFont']} is not a subset"


def _pdf_text(built: Built) -> tuple[str, list[str]]:
    """Body text of the PDF in reading order, without the page numbers; and the page-number lines."""
    body, numbers = [], []
    for page in built.pdf_pages:
        grid = grid_of(page, built.profile)
        body.extend(line.text for line in grid.body)
        numbers.extend(line.text for line in grid.below)
    return "".join(body), numbers


def _squash(text: str) -> str:
    return "".join(text.split())


def test_text_equals_the_docx_text(sample: Built) -> None:
    pdf_text, numbers = _pdf_text(sample)
    docx_text = "".join(paragraph.text for paragraph in read_docx(str(sample.docx)).paragraphs)
    assert _squash(pdf_text) == _squash(docx_text)
    assert numbers == [f"— {n} —" for n in range(1, len(sample.pdf_pages) + 1)]


def test_text_is_the_sample_notice(sample: Built) -> None:
    """Title, the whole body in order, signature and date: the source's text back out exactly."""
    pdf_text, _ = _pdf_text(sample)
    body = sample_body_text()
    expected = sample.document.title + "".join(body[:-2]) + "中共济南市委" + "2023年4月25日"
    assert body[-2:] == ["中共济南市委", "2023年4月25日"]
    assert _squash(pdf_text) == _squash(expected)


def test_pdf_text_extracts_in_reading_order_with_pypdf(sample: Built) -> None:
    text = "".join(page.extract_text() for page in PdfReader(sample.pdf).pages)
    assert "\x00" not in text
    assert _squash(text).startswith(_squash(sample.document.title + "根据省委统一部署"))


def test_metadata(sample: Built) -> None:
    info = PdfReader(sample.pdf).metadata
    assert info.title == sample.document.title
    assert info.author == "中共济南市委"
    assert "2023年4月25日" in info.subject


def test_building_twice_gives_identical_bytes(sample: Built, profile: Profile) -> None:
    document = load_document(Path(__file__).resolve().parents[2] / "data" / "report.yaml")
    assert render_pdf(laid_out(document, profile), profile) == sample.pdf.read_bytes()


def _streams(pdf: bytes) -> list[bytes]:
    """Every stream of the file, decoded, in the order of its objects."""
    reader = PdfReader(io.BytesIO(pdf))
    found = []
    for number in range(1, len(reader.xref.get(0, {})) + 1):
        stream = reader.get_object(number)
        if hasattr(stream, "get_data"):
            found.append(stream.get_data())
    return found


def test_libdeflate_compresses_the_same_streams_smaller(
    sample: Built, profile: Profile, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With libdeflate installed (the deflate package) the streams are its zlib format: the same content as
    zlib's, only compressed otherwise."""
    pytest.importorskip("deflate")
    laid = laid_out(sample.document, profile)
    by_libdeflate = render_pdf(laid, profile)
    monkeypatch.delattr(pdfdoc.PDFZCompress, "encode")  # ReportLab's own filter: zlib
    by_zlib = render_pdf(laid, profile)
    assert by_libdeflate != by_zlib
    assert _streams(by_libdeflate) == _streams(by_zlib) and len(_streams(by_zlib)) > len(sample.pdf_pages)
    assert len(by_libdeflate) <= len(by_zlib)
