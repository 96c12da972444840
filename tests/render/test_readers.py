"""Every example's DOCX (and the sample's) as other readers open it: the Open XML SDK's validator,
mammoth and docx2python (the text they see), and the package's own parts and properties."""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import mammoth
import pypdf
import pytest
from docx2python import docx2python
from lxml import etree

from docgen import __version__
from docgen.compose.head import DEFAULT_SUFFIX
from docgen.files.docx_package import paragraph_text
from docgen.model import Document, Kind
from docgen.profile import Profile
from docgen.render.docx.writer import render_docx
from docgen.render.pdf.writer import render_pdf
from docgen.source.loader import load_document
from docgen.text.cjk import is_wide
from support import ROOT, SAMPLE_SOURCE, laid_out

SOURCES = [*sorted((ROOT / "examples").glob("*.yaml")), SAMPLE_SOURCE]
LINKS = ("basedOn", "link", "next")
VALIDATOR = ROOT / "scripts" / "validate-docx.mjs"
NS = {
    "w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "mc": "http://schemas.openxmlformats.org/markup-compatibility/2006",
    "ep": "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties",
}


@dataclass(frozen=True)
class Example:
    document: Document
    docx: Path

    def part(self, name: str) -> etree._Element:
        with zipfile.ZipFile(self.docx) as package:
            return etree.fromstring(package.read(name))

    def names(self) -> list[str]:
        with zipfile.ZipFile(self.docx) as package:
            return package.namelist()


@pytest.fixture(scope="module")
def examples(tmp_path_factory: pytest.TempPathFactory, profile: Profile) -> dict[str, Example]:
    folder = tmp_path_factory.mktemp("readers")
    built = {}
    for source in SOURCES:
        document = load_document(source)
        path = folder / f"{source.stem}.docx"
        path.write_bytes(render_docx(laid_out(document, profile), profile))
        built[source.stem] = Example(document, path)
    return built


def _validate(paths: list[Path]) -> dict[str, list[dict]]:
    if shutil.which("node") is None:
        pytest.skip("Node is not installed: the Open XML SDK validator runs under Node (make test installs it)")
    if not (ROOT / "node_modules" / "@ooxml-tools" / "validate").is_dir():
        pytest.fail("the Open XML SDK validator is not installed: run `make test` (npm ci from package-lock.json)")
    done = subprocess.run(
        ["node", str(VALIDATOR), *map(str, paths)], capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_the_open_xml_validator_finds_no_error_in_any_example(examples: dict[str, Example], tmp_path: Path) -> None:
    # A copy with one value the schema forbids shows the validator does look (it must find that one).
    broken = tmp_path / "broken.docx"
    with zipfile.ZipFile(examples["joint"].docx) as source, zipfile.ZipFile(broken, "w") as target:
        for name in source.namelist():
            data = source.read(name)
            target.writestr(name, data.replace(b'w:jc w:val="both"', b'w:jc w:val="sideways"', 1) if
                            name == "word/document.xml" else data)  # fmt: skip
    paths = [example.docx for example in examples.values()]
    errors = _validate([*paths, broken])
    assert [error["path"]["partUri"] for error in errors.pop(str(broken))] == ["/word/document.xml"]
    assert {Path(path).stem: found for path, found in errors.items()} == {stem: [] for stem in examples}


def _mammoth_text(path: Path) -> str:
    with path.open("rb") as file:
        return mammoth.extract_raw_text(file).value


def _docx2python_text(path: Path) -> str:
    with docx2python(path) as read:
        return read.text


READERS: dict[str, Callable[[Path], str]] = {"mammoth": _mammoth_text, "docx2python": _docx2python_text}


def _mark_lines(document: Document) -> list[str]:
    """The issuing-organ mark's lines as a reader shows them: one organ's name with 文件 (令, 纪要)
    after it, a letter's first organ, or a joint mark's names and then 文件 beside them, each a
    line of its own; none for a document without a 版头."""
    header = document.header
    if header is None:
        return []
    names = header.mark or document.organs
    suffix = header.mark_suffix if header.mark_suffix is not None else DEFAULT_SUFFIX[document.kind]
    if document.kind is Kind.LETTER or len(names) == 1:
        return [names[0] + suffix]
    return [*names, suffix] if suffix else list(names)


@pytest.mark.parametrize("reader", READERS)
def test_readers_see_the_mark_and_its_suffix(examples: dict[str, Example], reader: str) -> None:
    """The 文件 beside a joint mark and a letter's mark are text boxes; their VML fallback is what
    readers that skip Word 2010 shapes read (mammoth saw neither before)."""
    marks = {stem: _mark_lines(example.document) for stem, example in examples.items()}
    assert len([lines for lines in marks.values() if lines]) >= 5
    unseen = {}
    for stem, example in examples.items():
        lines = {line.strip() for line in READERS[reader](example.docx).splitlines()}
        if missing := [line for line in marks[stem] if line not in lines]:
            unseen[stem] = missing
    assert unseen == {}


def test_every_shape_has_a_fallback(examples: dict[str, Example]) -> None:
    for stem, example in examples.items():
        alternatives = example.part("word/document.xml").findall(".//mc:AlternateContent", NS)
        assert [len(a.findall("mc:Fallback/w:pict", NS)) for a in alternatives] == [1] * len(alternatives), stem


def test_docgen_reads_a_text_box_once(examples: dict[str, Example]) -> None:
    """The fallback repeats the shape's text; docgen's own reading (check, import) takes it once."""
    body = examples["joint"].part("word/document.xml").find("w:body", NS)
    texts = [paragraph_text(paragraph) for paragraph in body.iterfind("w:p", NS)]
    assert sum(text.count("文件") for text in texts) == 1


def _referenced_styles(example: Example) -> set[str]:
    """The styles the body's and the footers' paragraphs and runs name."""
    names = [name for name in example.names() if re.fullmatch(r"word/(document|footer\d+)\.xml", name)]
    tags = [f"{{{NS['w']}}}{tag}" for tag in ("pStyle", "rStyle", "tblStyle")]
    return {reference.get(f"{{{NS['w']}}}val") for name in names for reference in example.part(name).iter(*tags)}


def test_the_package_holds_only_what_docgen_uses(examples: dict[str, Example], profile: Profile) -> None:
    example = examples["joint"]
    names = example.names()
    for leftover in ("word/stylesWithEffects.xml", "word/numbering.xml", "customXml/item1.xml"):
        assert leftover not in names
    styles = example.part("word/styles.xml")
    by_id = {style.get(f"{{{NS['w']}}}styleId"): style for style in styles.iterfind("w:style", NS)}
    used = {key for key, style in by_id.items() if style.get(f"{{{NS['w']}}}default") == "1"}
    used |= _referenced_styles(example)
    pending = list(used)
    while pending:  # and the styles those build on or link to
        links = {link.get(f"{{{NS['w']}}}val") for link in by_id[pending.pop()] if etree.QName(link).localname in LINKS}
        pending += links - used
        used |= links
    assert set(by_id) == used
    assert styles.find("w:latentStyles", NS) is None
    faces = {name for face in profile.faces.values() for name in face.office[:1]}
    declared = {font.get(f"{{{NS['w']}}}name") for font in example.part("word/fontTable.xml").iterfind("w:font", NS)}
    assert declared <= faces


def test_settings_are_word_2013_and_complete(examples: dict[str, Example]) -> None:
    settings = examples["letter"].part("word/settings.xml")
    w = f"{{{NS['w']}}}"
    modes = [
        s.get(f"{w}val")
        for s in settings.iterfind(".//w:compatSetting", NS)
        if s.get(f"{w}name") == "compatibilityMode"
    ]
    assert modes == ["15"]
    assert settings.find("w:zoom", NS).get(f"{w}percent") == "100"
    assert settings.find("w:proofState", NS) is None
    assert settings.find("w:rsids", NS) is None


def test_extended_properties_are_true(examples: dict[str, Example], profile: Profile) -> None:
    example = examples["joint"]
    properties = {etree.QName(child).localname: child.text for child in example.part("docProps/app.xml")}
    pdf = pypdf.PdfReader(io.BytesIO(render_pdf(laid_out(example.document, profile), profile)))
    text = _mammoth_text(example.docx)
    assert properties["Application"] == f"docgen {__version__}"
    assert int(properties["Pages"]) == len(pdf.pages)
    assert int(properties["Characters"]) == sum(1 for char in text if not char.isspace())
    # Each Chinese character counts as a word, as Word counts; "2023" is one more.
    latin = "".join(" " if is_wide(char) else char for char in text)
    assert int(properties["Words"]) == sum(1 for char in text if is_wide(char)) + len(latin.split())
    assert int(properties["CharactersWithSpaces"]) >= int(properties["Characters"])
    assert "Template" not in properties and "TotalTime" not in properties


def test_without_fonts_the_page_count_is_left_out(examples: dict[str, Example], profile: Profile) -> None:
    data = render_docx(laid_out(examples["letter"].document, profile, fonts=False), profile)
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        properties = etree.fromstring(package.read("docProps/app.xml"))
    assert properties.find("ep:Pages", NS) is None
    assert properties.find("ep:Characters", NS) is not None
    assert (
        render_docx(laid_out(examples["letter"].document, profile, fonts=False), profile) == data
    )  # the same bytes on every build


def test_seals_are_described_by_whose_they_are(examples: dict[str, Example]) -> None:
    described = {
        stem: [picture.get("descr") for picture in example.part("word/document.xml").iterfind(".//wp:docPr", NS)
               if picture.get("name").startswith("Picture")]
        for stem, example in examples.items()
    }  # fmt: skip
    joint = examples["joint"].document.signature
    assert described["joint"] == list(joint.organs)
    order = examples["order"].document.signature
    assert order.signer is not None
    assert described["order"] == [order.signer.title]
    assert all(all(described_as) for described_as in described.values())


def test_a_pdf_with_a_soft_mask_declares_pdf_1_4(examples: dict[str, Example], profile: Profile) -> None:
    data = render_pdf(laid_out(examples["order"].document, profile), profile)
    assert b"/SMask" in data
    assert data.startswith(b"%PDF-1.4")


@pytest.mark.parametrize("reader", READERS)
def test_readers_find_every_line_of_the_pdf_in_the_docx(
    examples: dict[str, Example], reader: str, profile: Profile, tmp_path: Path
) -> None:
    """Every text line of the PDF (page numbers and table cells aside: a cell's lines interleave with
    its neighbours') is, word for word, in what an independent reader takes from the DOCX."""
    from docgen.measure.pdf import is_table_cell, read_pdf

    missing = {}
    for stem, example in examples.items():
        pdf = tmp_path / f"{stem}.pdf"
        pdf.write_bytes(render_pdf(laid_out(example.document, profile), profile))
        text = re.sub(r"\s", "", READERS[reader](example.docx))
        lines = [line for page in read_pdf(pdf) for line in page.lines if not is_table_cell(line)]
        unseen = [line.text for line in lines if re.sub(r"\s", "", line.text) not in text]
        unseen = [line for line in unseen if not re.fullmatch(r"—\s*\d+\s*—", line.strip())]
        if unseen:
            missing[stem] = unseen[:3]
    assert missing == {}
