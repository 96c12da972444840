"""A DOCX from anyone, read within bounds and cut off from everything outside it.

`docgen check` and `docgen import` read Word files they did not write. A zip can declare a
2 GB part in 2 MB (a zip bomb), lie about its sizes, or point its relationships at URLs and
local files that LibreOffice would fetch. So the zip directory is checked before anything is
inflated, every part is inflated in bounded steps no further than its declared size, and the
package docgen goes on to read (with python-docx, or render with LibreOffice) is a copy of
it without any relationship to a target outside the file.
"""

from __future__ import annotations

import io
import re
import stat
import zipfile
import zlib
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from lxml import etree

from docgen.errors import DocgenError
from docgen.i18n import _
from docgen.limits import MiB, megabytes, read_limited

if TYPE_CHECKING:  # python-docx is imported where a package is opened with it: a workbook needs none of it
    import docx.document
    from docx.opc.part import Part

# A Word file of a few hundred pages with its pictures holds a fraction of each bound.
MAX_DOCX_BYTES = 50 * MiB  # the file itself, checked before it is read
MAX_PARTS = 2_000
MAX_PART_BYTES = 64 * MiB  # one part, inflated
MAX_INFLATED_BYTES = 128 * MiB  # all parts together, inflated (held two or three times over as it is read)
# "<" in all parts together: at most one element each. Elements, not bytes, are what reading
# costs (a 6-byte <w:p/> takes a hundred bytes and microseconds once parsed and walked), and
# this many take a few seconds; docgen's own 5,000-paragraph document has about 170,000.
MAX_MARKUP = 500_000

_STEP = 1 * MiB  # inflate this much at a time: zipfile inflates a whole part in one go when asked to read it all
_WORD_METHODS = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)  # what Word writes; others may inflate without bound
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:|^[/\\]{2}")  # a URL, a file: path, a //host or \\host reference
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True)
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"  # python-docx's qn("w:…"), without python-docx
_RUN, _TEXT, _BREAK, _BREAK_TYPE = f"{_W}r", f"{_W}t", f"{_W}br", f"{_W}type"
_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_AS_TEXT = {f"{_W}tab": "\t", f"{_W}ptab": "\t", f"{_W}cr": "\n", f"{_W}noBreakHyphen": "-"}
_ZIP_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, NotImplementedError, RuntimeError)


@dataclass(frozen=True)
class DocxPackage:
    """The parts of a DOCX (name → inflated bytes), every external relationship removed."""

    path: Path
    parts: dict[str, bytes]

    def zip_bytes(self) -> bytes:
        """The parts as a zip again, stored (not compressed): readers inflate nothing from it."""
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as package:
            for name, data in self.parts.items():
                package.writestr(name, data)
        return buffer.getvalue()

    def document(self, noun: str) -> docx.document.Document:
        """The package as python-docx reads it; ``noun`` names the kind of file in the error ("DOCX")."""
        import docx

        try:
            document = docx.Document(io.BytesIO(self.zip_bytes()))
        except Exception as error:  # python-docx raises many kinds on a foreign or damaged file
            unreadable = _("{path}: not a readable {noun} ({error})")
            raise DocgenError(unreadable.format(path=self.path, noun=_(noun), error=error)) from None
        if document.element.body is None:
            no_body = _("{path}: not a readable {noun} (its document part has no body, w:body)")
            raise DocgenError(no_body.format(path=self.path, noun=_(noun)))
        return document


def related_xml(part: Part, relationship_type: str) -> etree._Element | None:
    """The XML of the one part ``part`` relates to as ``relationship_type`` (styles, numbering,
    settings); None when there is none, more than one, or it is not XML (damaged content types)."""
    try:
        return _xml_of(part.part_related_by(relationship_type))
    except (KeyError, ValueError):
        return None


def referenced_xml(part: Part, relationship_id: str | None) -> etree._Element | None:
    """The XML of the part ``part`` refers to by ``relationship_id`` (a footer); None as for related_xml."""
    return _xml_of(part.related_parts.get(relationship_id))


def _xml_of(part: Part | None) -> etree._Element | None:
    from docx.opc.part import XmlPart

    return part.element if isinstance(part, XmlPart) else None


def paragraph_text(paragraph: etree._Element) -> str:
    """The text of a w:p: every run's, in a hyperlink, an insertion, a field or a text box too; a
    line break as \\n, a tab as \\t (python-docx's reading, without its cost per element). A
    text box's VML fallback (mc:Fallback) repeats the text of its shape, so it is read once."""
    fallbacks = {run for fallback in paragraph.iter(_FALLBACK) for run in fallback.iter(_RUN)}
    parts = []
    for run in paragraph.iter(_RUN):
        if run in fallbacks:
            continue
        for node in run:
            if node.tag == _TEXT:
                parts.append(node.text or "")
            elif node.tag == _BREAK:
                parts.append("\n" if node.get(_BREAK_TYPE, "textWrapping") == "textWrapping" else "")
            else:
                parts.append(_AS_TEXT.get(node.tag, ""))
    return "".join(parts)


def read_package(path: Path, noun: str, kind: str = "DOCX") -> DocxPackage:
    """The parts of the zip package at ``path`` (a DOCX, an OFD, a workbook) within this module's bounds;
    DocgenError naming the file and the bound it breaks ("more than a ``kind`` holds"), or "not a
    readable ``noun``" for what is no zip, a truncated one or a damaged part. Both are msgids (N_) or
    the same in every language (DOCX, OFD)."""
    noun, kind = _(noun), _(kind)
    data = _file_bytes(path, kind)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            entries = package.infolist()
            _check_directory(path, entries, kind)
            parts = {entry.filename: _inflate(package, entry) for entry in entries if not entry.is_dir()}
    except _ZIP_ERRORS as error:
        unreadable = _("{path}: not a readable {noun} ({error})")
        raise DocgenError(unreadable.format(path=path, noun=noun, error=str(error) or type(error).__name__)) from None
    markup = sum(part.count(b"<") for part in parts.values())
    if markup > MAX_MARKUP:
        too_many = _("{path}: {count:,} XML tags are more than docgen reads in a {kind} ({limit:,})")
        raise DocgenError(too_many.format(path=path, count=markup, kind=kind, limit=MAX_MARKUP))
    return DocxPackage(path, _without_external_targets(parts))


def _file_bytes(path: Path, kind: str) -> bytes:
    try:
        if not stat.S_ISREG(path.stat().st_mode):
            raise DocgenError(_("{path}: not a regular file (a {kind} is one)").format(path=path, kind=kind))
        size, data = read_limited(path, MAX_DOCX_BYTES)  # a huge file is refused unread
    except OSError as error:
        raise DocgenError(_("{path}: cannot read it ({reason})").format(path=path, reason=error.strerror)) from None
    if data is None:
        too_large = _("{path}: {size:,} bytes is more than docgen reads in a {kind} ({limit})")
        raise DocgenError(too_large.format(path=path, size=size, kind=kind, limit=megabytes(MAX_DOCX_BYTES)))
    return data


def _check_directory(path: Path, entries: list[zipfile.ZipInfo], kind: str) -> None:
    """What the zip directory says it holds, against the bounds, before a byte is inflated."""
    if len(entries) > MAX_PARTS:
        too_many = _("{path}: {count:,} parts are more than a {kind} holds ({limit:,} at most)")
        raise DocgenError(too_many.format(path=path, count=len(entries), kind=kind, limit=MAX_PARTS))
    twice = [name for name, count in Counter(entry.filename for entry in entries).items() if count > 1]
    if twice:
        twice_named = _("{path}: the zip holds two parts named {name}; a {kind} names each part once")
        raise DocgenError(twice_named.format(path=path, name=twice[0], kind=kind))
    for entry in entries:
        if entry.compress_type not in _WORD_METHODS:
            method = _("{path}: {part} is compressed with method {method}, which docgen does not read "
                       "(a {kind} stores or deflates its parts)")  # fmt: skip
            raise DocgenError(method.format(path=path, part=entry.filename, method=entry.compress_type, kind=kind))
        if entry.flag_bits & 0x1:
            encrypted = _("{path}: {part} is encrypted; save the file without a password first")
            raise DocgenError(encrypted.format(path=path, part=entry.filename))
        if entry.file_size > MAX_PART_BYTES:
            inflates = _("{path}: {part} inflates to {size:,} bytes, more than a {kind} part may hold ({limit}); "
                         "refused unread")  # fmt: skip
            raise DocgenError(inflates.format(path=path, part=entry.filename, size=entry.file_size, kind=kind,
                                              limit=megabytes(MAX_PART_BYTES)))  # fmt: skip
    total = sum(entry.file_size for entry in entries)
    if total > MAX_INFLATED_BYTES:
        inflated = _(
            "{path}: its parts inflate to {size:,} bytes, more than a {kind} may hold ({limit}); refused unread"
        )
        raise DocgenError(inflated.format(path=path, size=total, kind=kind, limit=megabytes(MAX_INFLATED_BYTES)))


def _inflate(package: zipfile.ZipFile, entry: zipfile.ZipInfo) -> bytes:
    """The entry's bytes, inflated a step at a time: zipfile stops at the declared size (and then
    fails the CRC of a part that declared less than it holds), so no step goes past the bound."""
    chunks = []
    with package.open(entry) as stream:
        while chunk := stream.read(_STEP):
            chunks.append(chunk)
    return b"".join(chunks)


def _without_external_targets(parts: dict[str, bytes]) -> dict[str, bytes]:
    """The parts with every relationship to a target outside the package removed from each .rels
    part (an image linked by URL, a file: path, a remote template); a .rels part that is not
    well-formed XML is dropped whole, as nothing in it can be trusted to stay inside."""
    cleaned = {}
    for name, data in parts.items():
        if not name.lower().endswith(".rels"):  # part names are case-insensitive (OPC)
            cleaned[name] = data
            continue
        try:
            root = etree.fromstring(data, _PARSER)
        except etree.XMLSyntaxError:
            continue
        outside = [element for element in root.iter() if element is not root and _points_outside(element)]
        for element in outside:
            element.getparent().remove(element)
        cleaned[name] = etree.tostring(root, xml_declaration=True, encoding="UTF-8") if outside else data
    return cleaned


def _points_outside(element: etree._Element) -> bool:
    """A relationship whose target is not a part of this package: TargetMode anything but Internal,
    or a target that names a scheme or a host (a part name never does). Comments aren't elements."""
    if not isinstance(element.tag, str):
        return False
    mode = element.get("TargetMode", "Internal")
    return mode != "Internal" or bool(_SCHEME.match(element.get("Target", "").strip()))
