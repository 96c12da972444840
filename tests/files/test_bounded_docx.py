"""`docgen check` and `docgen import` on a DOCX from anyone (#22): nothing outside the file is
fetched, LibreOffice is time-limited and killed whole, a zip bomb is refused unread, and a
damaged file ends in findings, a result or a DocgenError, never another exception."""

from __future__ import annotations

import errno
import io
import os
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
import tracemalloc
import warnings
import zipfile
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path

import docx
import pytest
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree

from docgen.check.checker import check_file
from docgen.errors import DocgenError
from docgen.files.docx_package import MAX_MARKUP, MAX_PARTS, read_package
from docgen.importer.dispatch import import_file
from docgen.importer.docx import docx_lines
from docgen.measure.office import TIMEOUT_SETTING, libreoffice, render_timeout
from docgen.profile import Profile, load_profile
from docgen.render.docx.writer import render_docx
from docgen.source.loader import load_document
from fuzzing import FUZZ
from support import ROOT, laid_out, processes_mentioning

needs_libreoffice = pytest.mark.skipif(libreoffice() is None, reason="LibreOffice is not installed")
NOTICE = [
    "关于开展安全检查的通知",
    "各单位：",
    "各单位要高度重视安全生产工作，认真开展自查。",
    "某某市人民政府",
    "2024年3月5日",
]
DOCUMENT = "word/document.xml"
Edit = Callable[[str, bytes], bytes | None]  # a part's name and bytes → its new bytes, or None to drop it


def notice_docx(paragraphs: list[str] = NOTICE) -> bytes:
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def rezipped(data: bytes, edit: Edit) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for name in source.namelist():
            changed = edit(name, source.read(name))
            if changed is not None:
                target.writestr(name, changed)
    return buffer.getvalue()


def in_part(part: str, change: Callable[[str], str]) -> Edit:
    return lambda name, data: change(data.decode("utf-8")).encode("utf-8") if name == part else data


def write(tmp_path: Path, data: bytes, name: str = "hostile.docx") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def outcome(action: Callable[[], object]) -> str:
    """What an action ended in: "ok", or the DocgenError's message (any other exception fails the test)."""
    try:
        action()
    except DocgenError as error:
        return str(error)
    return "ok"


# --- nothing outside the file -------------------------------------------------------------------

_PICTURE = (
    '<w:r><w:drawing><wp:inline><wp:extent cx="914400" cy="914400"/><wp:docPr id="{n}" name="seal"/>'
    '<a:graphic xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">'
    '<a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture">'
    '<pic:pic xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:nvPicPr>'
    '<pic:cNvPr id="{n}" name="seal"/><pic:cNvPicPr/></pic:nvPicPr><pic:blipFill><a:blip r:link="{rid}"/>'
    '<a:stretch><a:fillRect/></a:stretch></pic:blipFill><pic:spPr><a:xfrm><a:off x="0" y="0"/>'
    '<a:ext cx="914400" cy="914400"/></a:xfrm><a:prstGeom prst="rect"/></pic:spPr></pic:pic></a:graphicData>'
    "</a:graphic></wp:inline></w:drawing></w:r>"
)
_IMAGE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/image"


def linking_docx(targets: list[str]) -> bytes:
    """A notice whose first paragraph shows pictures linked (a:blip r:link) to ``targets``, outside the file."""
    relationships = "".join(
        f'<Relationship Id="rIdOut{n}" Type="{_IMAGE}" Target="{target}" TargetMode="External"/>'
        for n, target in enumerate(targets)
    )
    pictures = "".join(_PICTURE.format(n=100 + n, rid=f"rIdOut{n}") for n in range(len(targets)))

    def edit(name: str, data: bytes) -> bytes:
        if name == "word/_rels/document.xml.rels":
            return data.replace(b"</Relationships>", relationships.encode() + b"</Relationships>")
        if name == DOCUMENT:
            return data.replace(b"</w:t></w:r>", b"</w:t></w:r>" + pictures.encode(), 1)
        return data

    return rezipped(notice_docx(), edit)


class Watch:
    """A loopback listener and a FIFO: whether anything connected to the one or opened the other."""

    def __init__(self, folder: Path) -> None:
        self.server = socket.create_server(("127.0.0.1", 0))
        self.server.settimeout(0.05)
        self.fifo = folder / "hostname"
        os.mkfifo(self.fifo)
        self.seen: list[str] = []
        self.done = threading.Event()
        self.thread = threading.Thread(target=self._watch, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.getsockname()[1]}/seal.png"

    def _watch(self) -> None:
        while not self.done.is_set():
            try:
                connection, _ = self.server.accept()
                self.seen.append(f"a connection: {connection.recv(200)!r}")
                connection.close()
            except TimeoutError:
                pass
            try:  # opening a FIFO for writing succeeds only while someone has it open for reading
                os.close(os.open(self.fifo, os.O_WRONLY | os.O_NONBLOCK))
                self.seen.append(f"{self.fifo} was opened")
            except OSError as error:
                assert error.errno == errno.ENXIO

    def stop(self) -> list[str]:
        self.done.set()
        self.thread.join()
        self.server.close()
        return self.seen


@pytest.fixture
def watch(tmp_path: Path) -> Iterator[Watch]:
    watching = Watch(tmp_path)
    yield watching
    watching.stop()


def test_the_package_docgen_reads_keeps_no_relationship_outside_the_file(tmp_path: Path) -> None:
    outside = ["http://127.0.0.1:9/seal.png", "file:///etc/hostname", "//host/share/x.png", "https://example.org/t"]
    package = read_package(write(tmp_path, linking_docx(outside)), "DOCX")
    relationships = [
        element
        for name, data in package.parts.items()
        if name.endswith(".rels")
        for element in etree.fromstring(data).iter("{*}Relationship")
    ]
    assert relationships and not [rel.attrib for rel in relationships if rel.get("Id", "").startswith("rIdOut")]
    assert all(rel.get("TargetMode", "Internal") == "Internal" for rel in relationships)
    assert docx.Document(io.BytesIO(package.zip_bytes())).paragraphs[0].text == NOTICE[0]  # the rest is intact


@needs_libreoffice
def test_check_fetches_nothing_a_docx_links_to(tmp_path: Path, watch: Watch, profile: Profile) -> None:
    path = write(tmp_path, linking_docx([watch.url, watch.fifo.as_uri()]))
    findings = check_file(path, profile)
    assert any(finding.where.startswith("as LibreOffice renders it") for finding in findings)  # it did render
    assert watch.stop() == []


def test_import_fetches_nothing_a_docx_links_to(tmp_path: Path, watch: Watch) -> None:
    result = import_file(write(tmp_path, linking_docx([watch.url, watch.fifo.as_uri()])))
    assert result.source["title"] and str(result.source["date"]) == "2024-03-05"
    assert watch.stop() == []


# --- LibreOffice's time ------------------------------------------------------------------------


@needs_libreoffice
def test_libreoffice_over_its_time_is_stopped_with_everything_it_started(tmp_path: Path) -> None:
    """20,000 paragraphs take LibreOffice far longer than 2 s: docgen says so and leaves no soffice.bin behind."""
    path = write(tmp_path, rezipped(notice_docx(), in_part(DOCUMENT, _more_paragraphs(20_000))), "long.docx")
    temporary = tmp_path / "tmp"  # LibreOffice's profile folder is made in it, so its processes name it
    temporary.mkdir()
    environment = {**os.environ, "TMPDIR": str(temporary), TIMEOUT_SETTING: "2"}
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-c", "from docgen.cli import main; main()", "check", str(path)],
        env=environment, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    elapsed = time.monotonic() - started
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert f"LibreOffice did not finish rendering {path} within 2 s" in result.stderr
    assert elapsed < 30
    assert processes_mentioning(str(temporary)) == []
    assert list(temporary.iterdir()) == []  # nor its temporary files


def _more_paragraphs(count: int) -> Callable[[str], str]:
    return lambda xml: xml.replace("<w:body>", "<w:body>" + "<w:p><w:r><w:t>检查</w:t></w:r></w:p>" * count, 1)


@pytest.mark.parametrize("setting", ["abc", "0", "-3", "inf"])
def test_a_bad_time_setting_is_refused(monkeypatch: pytest.MonkeyPatch, setting: str) -> None:
    monkeypatch.setenv(TIMEOUT_SETTING, setting)
    with pytest.raises(DocgenError, match=f"{TIMEOUT_SETTING} must be a number of seconds greater than 0"):
        render_timeout()


# --- zip bombs and broken zips -----------------------------------------------------------------


def bomb(data: bytes, part: str, mebibytes: int) -> bytes:
    """``data`` with ``part`` followed by ``mebibytes`` MiB of zeros: a real zip bomb, deflated a thousandfold."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(buffer, "w", compresslevel=1) as target:
        for entry in source.infolist():
            if entry.filename != part:
                target.writestr(entry, source.read(entry))
        entry = zipfile.ZipInfo(part)
        entry.compress_type = zipfile.ZIP_DEFLATED
        with target.open(entry, "w") as stream:
            stream.write(source.read(part))
            zeros = bytes(1024 * 1024)
            for _ in range(mebibytes):
                stream.write(zeros)
    return buffer.getvalue()


def declaring(data: bytes, sizes: dict[str, int]) -> bytes:
    """``data`` with its local headers and directory declaring each part of ``sizes`` to inflate to that size."""
    raw = bytearray(data)
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        for name, size in sizes.items():
            local = package.getinfo(name).header_offset
            raw[local + 22 : local + 26] = size.to_bytes(4, "little")
    for name, size in sizes.items():
        central = raw.find(b"PK\x01\x02")
        while raw[central + 46 : central + 46 + len(name.encode())] != name.encode():
            central = raw.find(b"PK\x01\x02", central + 4)
        raw[central + 24 : central + 28] = size.to_bytes(4, "little")
    return bytes(raw)


def docx_part(data: bytes, name: str) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return package.read(name)


def parts_of(data: bytes) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return package.namelist()


def with_extra_parts(data: bytes, names: list[str]) -> bytes:
    buffer = io.BytesIO(data)
    with warnings.catch_warnings(), zipfile.ZipFile(buffer, "a") as package:
        warnings.simplefilter("ignore")  # "Duplicate name", which is the point
        for name in names:
            package.writestr(name, b"<x/>")
    return buffer.getvalue()


def bzip2(data: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(buffer, "w", zipfile.ZIP_BZIP2) as target:
        for name in source.namelist():
            target.writestr(name, source.read(name))
    return buffer.getvalue()


BASE = notice_docx()
SMALL_PARTS = [name for name in parts_of(BASE) if name.startswith("customXml/")]
REFUSED = {
    "a 100 MiB document.xml (real zeros)": (bomb(BASE, DOCUMENT, 100), "word/document.xml inflates to 104,8"),
    "a document.xml declared at 2 GB": (declaring(BASE, {DOCUMENT: 2_000_000_000}), "inflates to 2,000,000,000"),
    "parts declared at 60 MiB each": (
        declaring(BASE, {name: 60 * 1024 * 1024 for name in [*SMALL_PARTS, "word/styles.xml", DOCUMENT]}),
        "its parts inflate to",
    ),
    "more parts than a DOCX has": (with_extra_parts(BASE, [f"x/{n}.xml" for n in range(MAX_PARTS)]), "parts are more"),
    "a part twice": (with_extra_parts(BASE, ["word/styles.xml"]), "two parts named word/styles.xml"),
    "bzip2": (bzip2(BASE), "method 12, which docgen does not read (a DOCX stores or deflates its parts)"),
    "more markup than docgen reads": (
        rezipped(BASE, in_part(DOCUMENT, lambda xml: xml.replace("<w:body>", "<w:body>" + "<w:p/>" * MAX_MARKUP))),
        "XML tags are more than docgen reads",
    ),
    "a document.xml declared smaller than it inflates": (
        declaring(bomb(BASE, DOCUMENT, 100), {DOCUMENT: 5000}),
        "not a readable",
    ),
    "half a zip": (BASE[: len(BASE) // 2], "not a readable"),
    "no zip at all": (b"%PDF-1.4 not a Word file", "not a readable"),
    "styles.xml gone, its relationship kept": (rezipped(BASE, lambda n, d: None if n == "word/styles.xml" else d),
                                               "styles.xml"),
}  # fmt: skip


@pytest.mark.parametrize("case", list(REFUSED))
def test_a_hostile_zip_is_refused_quickly_in_little_memory(tmp_path: Path, profile: Profile, case: str) -> None:
    data, message = REFUSED[case]
    path = write(tmp_path, data)
    for name, action in (
        ("check", lambda: check_file(path, profile, render_docx=False)),
        ("import", lambda: import_file(path)),
    ):
        tracemalloc.start()
        started = time.monotonic()
        try:
            ended = outcome(action)
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
        assert ended.startswith(f"{path}: ") and message in ended, (name, ended)
        assert time.monotonic() - started < 5, name
        assert peak < 64 * 1024 * 1024 + len(data), (name, peak)  # never the inflated size, nor twice the file


def test_a_fifo_is_refused_unread(tmp_path: Path, profile: Profile) -> None:
    fifo = tmp_path / "pipe.docx"
    os.mkfifo(fifo)
    refused = f"{fifo}: not a regular file (a DOCX is one)"
    assert outcome(lambda: check_file(fifo, profile, render_docx=False)) == refused
    assert outcome(lambda: import_file(fifo)) == refused


def test_a_docx_without_styles_is_checked_and_imported(tmp_path: Path, profile: Profile) -> None:
    def without_styles(name: str, data: bytes) -> bytes | None:
        if name == "word/styles.xml":
            return None
        return re.sub(rb'<Relationship [^>]*Target="styles.xml"/>', b"", data) if name.endswith(".rels") else data

    path = write(tmp_path, rezipped(BASE, without_styles))
    assert "word/styles.xml" not in read_package(path, "DOCX").parts
    findings = check_file(path, profile, render_docx=False)
    assert ("7.1", "body size", "10 pt") in [(f.clause, f.rule, f.measured) for f in findings]  # Word's default
    assert str(import_file(path).source["date"]) == "2024-03-05"


# --- check: values Word would not accept --------------------------------------------------------

BODY_RUN = '<w:r><w:rPr><w:sz w:val="32"/></w:rPr><w:t>各单位要高度重视安全生产工作。</w:t></w:r>'


def body_paragraph(ppr: str = "", rpr: str = "") -> Callable[[str], str]:
    """document.xml with six 16 pt body paragraphs first (``ppr`` and ``rpr`` inside their properties):
    more than the notice's five of python-docx's 11 pt."""
    run = BODY_RUN.replace("<w:rPr>", f"<w:rPr>{rpr}")
    return lambda xml: xml.replace("<w:body>", "<w:body>" + f"<w:p><w:pPr>{ppr}</w:pPr>{run}</w:p>" * 6, 1)


def replaced(old: str, new: str) -> Callable[[str], str]:
    return lambda xml: xml.replace(old, new)


def in_section(change: Callable[[str], str]) -> Callable[[str], str]:
    return lambda xml: re.sub(r"<w:sectPr.*</w:sectPr>", lambda found: change(found[0]), xml, flags=re.S)


NO_SIZE = ("5.2.1", "paper size", "not given (w:pgSz)")
DEFAULT_SIZE = ("7.1", "body size", "10 pt")  # Word's size for a run without a valid one
NO_HEIGHT = ("5.2.2", "line pitch", "exact, without a valid height")
FOOTER_TO_NOTHING = '<w:footerReference w:type="default" r:id="rId99"/><w:pgSz'
CHECKED = {
    "no sectPr": (in_section(lambda _: ""), NO_SIZE),
    "sectPr without pgSz": (in_section(lambda s: re.sub(r"<w:pgSz[^>]*/>", "", s)), NO_SIZE),
    "pgSz w:w='abc'": (in_section(replaced('w:w="12240"', 'w:w="abc"')), NO_SIZE),
    "pgMar top='1e3'": (in_section(replaced('w:top="1440"', 'w:top="1e3"')),
                        ("5.2.2", "top margin (天头)", "not given (w:pgMar)")),
    "w:sz='abc'": (replaced('w:val="32"', 'w:val="abc"'), DEFAULT_SIZE),
    "w:sz without a value": (replaced('<w:sz w:val="32"/>', "<w:sz/>"), DEFAULT_SIZE),
    "a 20-digit w:sz": (replaced('<w:sz w:val="32"/>', f'<w:sz w:val="{"9" * 20}"/>'), DEFAULT_SIZE),
    "w:spacing w:val='1e3'": (body_paragraph(rpr='<w:spacing w:val="1e3"/>'),
                              ("5.2.2", "characters per line", "27 (letter spacing 0 pt)")),
    "firstLineChars='two'": (body_paragraph(ppr='<w:ind w:firstLineChars="two"/>'),
                             ("7.3.3", "first-line indent", "0.0 characters")),
    "an exact line of w:line='x'": (body_paragraph(ppr='<w:spacing w:line="x" w:lineRule="exact"/>'), NO_HEIGHT),
    "an exact line of 0": (body_paragraph(ppr='<w:spacing w:line="0" w:lineRule="exact"/>'), NO_HEIGHT),
    "pStyle and jc without values": (body_paragraph(ppr="<w:pStyle/><w:jc/>"),
                                     ("7.3.3", "first-line indent", "0.0 characters")),
    "a footer reference to nothing": (in_section(replaced("<w:pgSz", FOOTER_TO_NOTHING)),
                                      ("7.5", "page number", "no PAGE field")),
}  # fmt: skip


@pytest.mark.parametrize("case", list(CHECKED))
def test_a_value_word_would_not_accept_is_a_finding_not_a_traceback(
    tmp_path: Path, profile: Profile, case: str
) -> None:
    change, expected = CHECKED[case]
    base = rezipped(BASE, in_part(DOCUMENT, body_paragraph()))
    path = write(tmp_path, rezipped(base, in_part(DOCUMENT, change)))
    found = [(f.clause, f.rule, f.measured) for f in check_file(path, profile, render_docx=False)]
    assert expected in found


def test_a_page_in_millimetres_is_read_as_word_reads_it(tmp_path: Path, profile: Profile) -> None:
    a4 = in_section(replaced('w:w="12240" w:h="15840"', 'w:w="210mm" w:h="297mm"'))
    path = write(tmp_path, rezipped(BASE, in_part(DOCUMENT, a4)))
    assert "paper size" not in [f.rule for f in check_file(path, profile, render_docx=False)]
    letter = write(tmp_path, BASE, "letter.docx")
    assert "paper size" in [f.rule for f in check_file(letter, profile, render_docx=False)]


def test_python_docx_s_empty_template_is_checked_and_refused_by_import(tmp_path: Path, profile: Profile) -> None:
    empty = tmp_path / "empty.docx"
    docx.Document().save(str(empty))
    findings = check_file(empty, profile, render_docx=False)
    assert ("5.2.1", "paper size", "216 × 279 mm") in [(f.clause, f.rule, f.measured) for f in findings]
    assert outcome(lambda: import_file(empty)).startswith(f"{empty}:1: the file holds no text")


@pytest.mark.skipif(shutil.which("pandoc") is None, reason="pandoc is not installed")
def test_a_pandoc_document_is_checked(tmp_path: Path, profile: Profile) -> None:
    text = tmp_path / "notice.md"
    text.write_text("\n\n".join(NOTICE), encoding="utf-8")
    made = tmp_path / "notice.docx"
    subprocess.run(["pandoc", str(text), "-o", str(made)], check=True, timeout=60)
    assert check_file(made, profile, render_docx=False)
    assert str(import_file(made).source["date"]) == "2024-03-05"


# --- import: numbering Word would not accept -----------------------------------------------------

NUMBERING = (
    '<w:numbering xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    '<w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="{level}"><w:start w:val="{start}"/>'
    '<w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl>{more}</w:abstractNum>'
    '<w:num w:numId="1">{abstract}</w:num></w:numbering>'
)
NUMBERED = "检查储存场所是否符合规范。"


def numbered(start: str = "1", more: str = "", abstract: str = '<w:abstractNumId w:val="0"/>',
             ilvl: str = '<w:ilvl w:val="0"/>', level: str = "0") -> bytes:  # fmt: skip
    paragraph = (
        f'<w:p><w:pPr><w:numPr>{ilvl}<w:numId w:val="1"/></w:numPr></w:pPr><w:r><w:t>{NUMBERED}</w:t></w:r></w:p>'
    )
    numbering = NUMBERING.format(start=start, more=more, abstract=abstract, level=level)

    def edit(name: str, data: bytes) -> bytes:
        if name == "word/numbering.xml":
            return numbering.encode()
        if name == DOCUMENT:
            signature = f"<w:p><w:r><w:t>{NOTICE[3]}".encode()  # the list goes in the body, before it
            return data.replace(signature, paragraph.encode() * 3 + signature)
        return data

    return rezipped(BASE, edit)


COUNTED = ["一、", "二、", "三、"]
UNNUMBERED = ["", "", ""]
NUMBERINGS = {
    "a valid list": (numbered(), COUNTED),
    "w:num lacking abstractNumId": (numbered(abstract=""), UNNUMBERED),
    "abstractNumId without a value": (numbered(abstract="<w:abstractNumId/>"), UNNUMBERED),
    "ilvl='x' in the definition": (numbered(level="x"), UNNUMBERED),
    "ilvl 99 in the definition": (numbered(more='<w:lvl w:ilvl="99"><w:lvlText w:val="%99"/></w:lvl>'), COUNTED),
    "start −5": (numbered(start="-5"), UNNUMBERED),
    "start of 20 digits": (numbered(start="9" * 20), UNNUMBERED),
    "start 0": (numbered(start="0"), ["0、", "一、", "二、"]),
    "<w:ilvl/> without a value": (numbered(ilvl="<w:ilvl/>"), COUNTED),
    "ilvl 99 in the paragraph": (numbered(ilvl='<w:ilvl w:val="99"/>'), UNNUMBERED),
    "ilvl='x' in the paragraph": (numbered(ilvl='<w:ilvl w:val="x"/>'), UNNUMBERED),
}


@pytest.mark.parametrize("case", list(NUMBERINGS))
def test_numbering_word_would_not_accept_numbers_nothing(tmp_path: Path, case: str) -> None:
    data, labels = NUMBERINGS[case]
    path = write(tmp_path, data)
    lines = docx_lines(path)[0]
    assert [line for line in lines if NUMBERED in line] == [label + NUMBERED for label in labels]  # text kept
    assert outcome(lambda: import_file(path)) == "ok"


# --- fuzz: mutated DOCX files ------------------------------------------------------------------

VALUES = st.one_of(
    st.sampled_from(["", "abc", "1e3", "-5", "99", "9" * 20, "0", "-0", "NaN", "two", "12pt", "-1mm", "%1", "rId999",
                     "External", "http://127.0.0.1:9/x", "auto", "exact"]),
    st.text(st.characters(codec="utf-8", exclude_categories=("Cc", "Cs")), max_size=8),  # what XML can hold
)  # fmt: skip


@cache
def built_docx() -> bytes:
    profile = load_profile()
    return render_docx(laid_out(load_document(ROOT / "examples" / "letter.yaml"), profile), profile)


def mutated(data: bytes, choice: st.DataObject) -> bytes:
    """``data`` with one to three of its parts changed (an attribute's value replaced, an element or
    the part dropped), then perhaps the zip itself damaged (truncated, a byte changed)."""
    for _ in range(choice.draw(st.integers(1, 3))):
        data = with_a_part_changed(data, choice)
    damage = choice.draw(st.sampled_from(["none", "truncate", "byte"]))
    if damage == "truncate":
        return data[: choice.draw(st.integers(0, len(data) - 1))]
    if damage == "byte":
        at = choice.draw(st.integers(0, len(data) - 1))
        return data[:at] + bytes([choice.draw(st.integers(0, 255))]) + data[at + 1 :]
    return data


def with_a_part_changed(data: bytes, choice: st.DataObject) -> bytes:
    target = choice.draw(st.sampled_from(sorted(parts_of(data))))
    kind = choice.draw(st.sampled_from(["attribute", "attribute", "element", "part"]))
    if kind == "part":
        return rezipped(data, lambda name, content: None if name == target else content)
    root = etree.fromstring(docx_part(data, target)) if target.endswith((".xml", ".rels")) else None
    elements = [element for element in root.iter() if isinstance(element.tag, str)] if root is not None else []
    if not elements:
        return data
    element = elements[choice.draw(st.integers(0, len(elements) - 1))]
    if kind == "element" and element.getparent() is not None:
        element.getparent().remove(element)
    elif element.attrib:
        key = choice.draw(st.sampled_from(sorted(element.attrib)))
        element.set(key, choice.draw(VALUES))
    changed = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
    return rezipped(data, lambda name, content: changed if name == target else content)


@FUZZ
@given(choice=st.data())
def test_fuzz_mutated_docx_ends_in_findings_a_result_or_a_docgen_error(
    tmp_path_factory: pytest.TempPathFactory, choice: st.DataObject
) -> None:
    path = write(tmp_path_factory.mktemp("fuzz"), mutated(built_docx(), choice))
    profile = load_profile()
    for action in (lambda: check_file(path, profile, render_docx=False), lambda: import_file(path)):
        started = time.monotonic()
        ended = outcome(action)
        assert time.monotonic() - started < 5
        assert ended == "ok" or ended.startswith(f"{path}"), ended
