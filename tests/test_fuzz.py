"""Property-based fuzzing of the loader and the renderers (seeded: the same cases every run).

Random documents, with any Unicode a source may carry, either build to a DOCX that
python-docx opens and a PDF that pypdf opens with their text intact, or stop with docgen's
own error; random sources end in a located SourceError, never another exception.
"""

from __future__ import annotations

import io
import os
import zipfile
from collections import Counter
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from pathlib import Path

import docx
import yaml
from docx.oxml.ns import qn
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree
from PIL import Image as PILImage
from pypdf import PdfReader

from docgen.compose.document import compose_paragraphs
from docgen.compose.paragraphs import Label
from docgen.errors import DocgenError, SourceError
from docgen.files.images import image_from_bytes
from docgen.measure.pdf import grid_of, read_pdf
from docgen.model import (
    Attachment,
    Attendance,
    Colophon,
    Document,
    Header,
    Item,
    Kind,
    Paragraph,
    ProblemLead,
    Section,
    Signature,
    Signer,
    Table,
)
from docgen.profile import Profile, load_profile
from docgen.render.docx.writer import render_docx
from docgen.render.pdf.writer import render_pdf
from docgen.source.loader import _unprintable, load_document
from support import SAMPLE_SOURCE, laid_out

PROFILE = load_profile()
SAMPLE_CHARS = sorted(set(SAMPLE_SOURCE.read_text(encoding="utf-8")) - set("\n #:-'\"[]{}"))
DRAWABLE = st.sampled_from(SAMPLE_CHARS + list("镕堃喆珺0123456789ABCxyz%.+—…“”《》（）"))
ANY = st.characters(exclude_categories=("Cc", "Cs", "Co"), exclude_characters="\ufffe\uffff")
LONG_WORD = st.text(st.sampled_from("abcdefghijklmnopqrstuvwxyz0123456789"), min_size=40, max_size=120)
# 40 seeded cases each in CI; `make fuzz` runs many more (DOCGEN_FUZZ_EXAMPLES).
EXAMPLES = int(os.environ.get("DOCGEN_FUZZ_EXAMPLES", "40"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])


def _seal_png() -> bytes:
    picture = PILImage.new("RGBA", (60, 60), (230, 0, 18, 255))
    buffer = io.BytesIO()
    picture.save(buffer, "PNG")
    return buffer.getvalue()


def texts(chars: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.one_of(st.text(chars, min_size=1, max_size=120), LONG_WORD).map(str.strip).filter(bool)


def documents(chars: st.SearchStrategy[str]) -> st.SearchStrategy[Document]:
    text = texts(chars)
    items = st.builds(Item, text, st.lists(text, min_size=1, max_size=4).map(tuple), st.sampled_from(ProblemLead))
    leaves = st.one_of(st.builds(Paragraph, text), items)

    def sections(children: st.SearchStrategy) -> st.SearchStrategy[Section]:
        return st.builds(Section, text, st.none() | text, st.lists(children, max_size=3).map(tuple), st.booleans())

    level4 = sections(st.builds(Paragraph, text))
    level3 = sections(st.one_of(st.builds(Paragraph, text), level4))
    level2 = sections(st.one_of(leaves, level3))
    level1 = sections(st.one_of(leaves, level2))
    return st.builds(
        Document,
        title=text,
        signature=st.builds(Signature, st.lists(text, min_size=1, max_size=2).map(tuple), st.dates(date(1950, 1, 1))),
        preamble=st.lists(st.builds(Paragraph, text), max_size=2).map(tuple),
        sections=st.lists(level1, max_size=3).map(tuple),
        closing=st.lists(st.builds(Paragraph, text), max_size=2).map(tuple),
    )


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


SEAL = image_from_bytes(_seal_png(), "seal.png")


def formal_documents(chars: st.SearchStrategy[str]) -> st.SearchStrategy[Document]:
    """Documents with the rest of GB/T 9704: any format, a 版头, seals or a signature seal,
    attachments with tables, 附注, attendance and a 版记."""
    text = texts(chars)
    words = st.lists(text, max_size=3).map(tuple)
    header = st.builds(
        Header,
        copy_number=st.none() | st.from_regex(r"[0-9]{6}", fullmatch=True),
        secrecy=st.none() | st.just("秘密★1年"),
        urgency=st.none() | st.sampled_from(["特急", "加急"]),
        mark=words,
        mark_suffix=st.none() | st.sampled_from(["文件", "令", ""]),
        number=st.none() | st.integers(1, 999).map(lambda n: f"济政发〔2023〕{n}号"),
        signers=words,
    )
    table = st.integers(1, 5).flatmap(
        lambda n: st.builds(
            Table,
            st.lists(text, min_size=n, max_size=n).map(tuple),
            st.lists(st.lists(st.just("") | text, min_size=n, max_size=n).map(tuple), max_size=4).map(tuple),
            landscape=st.booleans(),
        )
    )
    attachment = st.builds(Attachment, text, st.lists(st.builds(Paragraph, text) | table, max_size=2).map(tuple))
    colophon = st.builds(Colophon, words, st.none() | text, st.none() | st.dates(date(1950, 1, 1)))

    def dressed(document: Document, extras: tuple) -> Document:
        kind, head, sealed, signer, attachments, note, groups, back = extras
        signature = document.signature
        if sealed:
            signature = replace(signature, seals=(SEAL,) * len(signature.organs))
        elif signer:
            signature = replace(signature, signer=Signer(signer, SEAL))
        return replace(
            document, kind=kind, header=head, signature=signature, attachments=attachments, note=note,
            attendance=groups, colophon=back,
        )  # fmt: skip

    extras = st.tuples(
        st.sampled_from(Kind), st.none() | header, st.booleans(), st.none() | text,
        st.lists(attachment, max_size=2).map(tuple), st.none() | text,
        st.lists(st.builds(Attendance, st.sampled_from(["出席", "请假", "列席"]), words), max_size=2).map(tuple),
        st.none() | colophon,
    )  # fmt: skip
    return st.builds(dressed, documents(chars), extras)


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
