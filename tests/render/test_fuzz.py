"""Property-based fuzzing of the loader and the renderers (seeded: the same cases every run).

Random documents, with any Unicode a source may carry, either build to a DOCX that
python-docx opens and a PDF that pypdf opens with their text intact, or stop with docgen's
own error; random sources end in a located SourceError, never another exception.
"""

from __future__ import annotations

import io
import zipfile
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import docx
import yaml
from docx.oxml.ns import qn
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree
from pypdf import PdfReader

from docgen.compose.document import compose_paragraphs
from docgen.compose.paragraphs import Label
from docgen.errors import DocgenError, SourceError
from docgen.measure.pdf import grid_of, read_pdf
from docgen.model import (
    Document,
    Table,
)
from docgen.profile import Profile
from docgen.render.docx.writer import render_docx
from docgen.render.pdf.writer import render_pdf
from docgen.source.loader import _unprintable, load_document
from fuzzing import ANY, DRAWABLE, FUZZ, PROFILE, documents, formal_documents, texts
from support import laid_out


def squash(text: str) -> str:
    return "".join(text.split())


def check_docx(document: Document, profile: Profile) -> None:
    package = docx.Document(io.BytesIO(render_docx(laid_out(document, profile, fonts=False), profile)))
    written = [p.text.replace("\n", "") for p in package.paragraphs if p.text]
    expected = [para.text for para in compose_paragraphs(document, profile) if para.text]
    assert written == expected


def check_pdf(document: Document, profile: Profile, tmp_path: Path, drawable: bool) -> None:
    try:
        data = render_pdf(laid_out(document, profile), profile)
    except DocgenError as error:
        assert not drawable and "no installed face can draw" in str(error), error
        return
    path = tmp_path / "fuzz.pdf"
    path.write_bytes(data)
    assert len(PdfReader(path).pages) >= 1
    lines = [line for page in read_pdf(path) for line in grid_of(page, profile).body]  # not the page numbers
    drawn = squash("".join(line.text for line in lines))
    expected = squash("".join(para.text for para in compose_paragraphs(document, profile)))
    assert "\x00" not in drawn
    assert sorted(drawn) == sorted(expected)  # every character drawn once (RTL and marks may reorder)


@FUZZ
@given(documents(DRAWABLE))
def test_drawable_documents_build_with_their_text(tmp_path_factory, document: Document) -> None:
    check_docx(document, PROFILE)
    check_pdf(document, PROFILE, tmp_path_factory.mktemp("fuzz"), drawable=True)


@FUZZ
@given(documents(st.one_of(DRAWABLE, ANY)))
def test_any_unicode_builds_or_says_which_character(tmp_path_factory, document: Document) -> None:
    check_docx(document, PROFILE)
    check_pdf(document, PROFILE, tmp_path_factory.mktemp("fuzz"), drawable=False)


SOURCE_KEYS = ["title", "organ", "organs", "date", "sections", "heading", "body", "text", "problem", "measures",
               "lead", "preamble", "closing", "contact", "publication", "continuous_numbering", "x"]  # fmt: skip


def mappings(keys: list[str]) -> st.SearchStrategy[dict]:
    """Random YAML mappings over ``keys``: nested lists and mappings of any scalars."""
    values = st.recursive(
        st.one_of(st.none(), st.booleans(), st.integers(), texts(st.one_of(DRAWABLE, ANY)), st.dates()),
        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.sampled_from(keys), inner, max_size=5),
        max_leaves=20,
    )
    return st.dictionaries(st.sampled_from(keys), values, max_size=8)


def loads_or_locates(load: Callable[[Path], object], folder: Path, data: dict) -> None:
    """``load`` reads the dumped ``data`` or stops with a SourceError naming the file and a line."""
    path = folder / "random.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    try:
        load(path)
    except SourceError as error:
        assert error.location.path == path and error.location.line >= 1


@FUZZ
@given(mappings(SOURCE_KEYS))
def test_random_sources_load_or_fail_with_a_location(tmp_path_factory, data: dict) -> None:
    loads_or_locates(load_document, tmp_path_factory.mktemp("src"), data)


@FUZZ
@given(st.text(max_size=300))
def test_random_text_loads_or_fails_with_a_location(tmp_path_factory, text: str) -> None:
    path = tmp_path_factory.mktemp("src") / "random.yaml"
    path.write_bytes(text.encode("utf-8", "surrogatepass"))
    try:
        load_document(path)
    except SourceError as error:
        assert error.location.line >= 1


def test_the_unprintable_filter_matches_what_xml_refuses() -> None:
    assert _unprintable("\x07") and _unprintable("\ufffe") and not _unprintable("\u0301")


def _expected_chars(document: Document, profile: Profile) -> list[str]:
    """Every character composition hands the renderers: paragraphs, tab stops, tables, labels."""
    texts_ = []
    for para in compose_paragraphs(document, profile):
        texts_.append(para.text)
        texts_.extend(d.span.text for d in para.decorations if isinstance(d, Label))
    return sorted(squash("".join(texts_)))


@FUZZ
@given(formal_documents(DRAWABLE))
def test_every_element_builds_with_its_text(tmp_path_factory, document: Document) -> None:
    expected = Counter(_expected_chars(document, PROFILE))
    headers = {char for table in _tables(document) for char in "".join(table.header)}
    package = render_docx(laid_out(document, PROFILE, fonts=False), PROFILE)
    docx.Document(io.BytesIO(package))  # python-docx opens it
    with zipfile.ZipFile(io.BytesIO(package)) as archive:
        body = etree.fromstring(archive.read("word/document.xml"))
    # a shape's text once: its mc:Fallback (VML for readers without Word 2010 shapes) is a copy
    fallback = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
    shown = (node for node in body.iter(qn("w:t")) if next(node.iterancestors(fallback), None) is None)
    written = Counter(squash("".join(node.text or "" for node in shown)))
    _same_text_but_repeated_headers(written, expected, headers)
    path = tmp_path_factory.mktemp("fuzz") / "formal.pdf"
    path.write_bytes(render_pdf(laid_out(document, PROFILE), PROFILE))
    assert len(PdfReader(path).pages) >= 1
    pages = read_pdf(path)
    lines = [line for page in pages for line in grid_of(page, PROFILE).body]
    turned = "".join(char.text for page in pages for char in page.turned)
    drawn = Counter(squash("".join(line.text for line in lines) + turned))
    _same_text_but_repeated_headers(drawn, expected, headers)


def _same_text_but_repeated_headers(found: Counter[str], expected: Counter[str], headers: set[str]) -> None:
    """Every character there (inside the text block, for the PDF), and more only where a table's
    header repeats on a new page (a turned table's DOCX repeats it in each page's table too)."""
    assert not expected - found
    assert set(found - expected) <= headers


def _tables(document: Document) -> list[Table]:
    blocks = [block for attachment in document.attachments for block in attachment.body]
    return [block for block in blocks if isinstance(block, Table)]


LEDGER_KEYS = ["as_of", "groups", "report", "heading", "problems", "id", "problem", "lead", "leader", "unit",
               "deadline", "status", "measures", "mechanisms", "date", "text", "name", "title", "x"]  # fmt: skip


@FUZZ
@given(mappings(LEDGER_KEYS))
def test_random_ledgers_load_or_fail_with_a_location(tmp_path_factory, data: dict) -> None:
    """A ledger comes from an office's own records: whatever it holds, docgen's own located error."""
    from docgen.ledger.reader import load_ledger

    loads_or_locates(load_ledger, tmp_path_factory.mktemp("ledger"), data)


ROW_TEXT = st.text(st.one_of(st.sampled_from(",;:\"'[]{}-&*!|>\n\r\t\u2028 "), ANY), max_size=300)


@FUZZ
@given(st.sampled_from([".csv", ".yaml", ".json"]), ROW_TEXT)
def test_random_rows_read_or_fail_naming_the_file(tmp_path_factory, suffix: str, text: str) -> None:
    """Batch rows come from anyone's spreadsheet export: rows of text, or docgen's own error naming the file."""
    from docgen.jobs.batch import read_rows

    path = tmp_path_factory.mktemp("rows") / f"rows{suffix}"
    path.write_bytes(text.encode("utf-8", "surrogatepass"))
    try:
        rows = read_rows(path)
    except DocgenError as error:
        assert str(path) in str(error)
        return
    for number, row in rows:
        assert number >= 1 and all(isinstance(key, str) and isinstance(value, str) for key, value in row.items())
