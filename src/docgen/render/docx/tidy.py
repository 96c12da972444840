"""The DOCX package holds only what docgen writes, and says what it is.

python-docx starts every document from its template: a Word 2010 file saved on a Mac, with
164 styles, list definitions, a second copy of the styles for Word 2010 (stylesWithEffects),
a custom XML item, and extended properties that say "Microsoft Macintosh Word", 1 page and 0
words. Readers show those as facts about our file (Word opens it in compatibility mode, WPS
lists the template's styles), so what docgen does not use goes, and the properties are true.
"""

from __future__ import annotations

from collections.abc import Iterable

from docx.document import Document as DocxDocument
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn
from lxml import etree

from docgen import __version__
from docgen.render.docx.xml import sub
from docgen.text.cjk import is_wide

# Parts of the template nothing in a docgen document refers to.
_UNUSED_PARTS = (
    RT.CUSTOM_XML,
    RT.NUMBERING,  # docgen writes its numbers as text
    "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects",
)
_STYLE_REFERENCES = tuple(qn(f"w:{name}") for name in ("pStyle", "rStyle", "tblStyle", "numStyle"))
_STYLE_LINKS = tuple(qn(f"w:{name}") for name in ("basedOn", "link", "next"))
# The template's settings that describe its own history, not ours: a spell check said to be
# done, a preview picture (dropped with its part), Word's revision save ids, its document id.
_STALE_SETTINGS = ("w:proofState", "w:savePreviewPicture", "w:rsids", "w14:docId")
_WORD_2013 = "15"  # compatibilityMode: Word 2013 and later lay the file out without compatibility mode
_EXTENDED = "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"
_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"


def drop_template_leftovers(package: DocxDocument) -> None:
    """Remove the template's parts, styles and settings that the document does not use, and its
    preview picture of an English page (file browsers would show it)."""
    thumbnails = package.part.package.rels
    for key, relationship in list(thumbnails.items()):
        if relationship.reltype == RT.THUMBNAIL:
            del thumbnails[key]
    for key, relationship in list(package.part.rels.items()):
        if relationship.reltype in _UNUSED_PARTS:
            del package.part.rels[key]
    _keep_used_styles(package)
    _set_settings(package)


def _keep_used_styles(package: DocxDocument) -> None:
    """Keep the default styles, those a paragraph, run or table names, and those they build on."""
    styles = package.styles.element
    by_id = {style.get(qn("w:styleId")): style for style in styles.iter(qn("w:style"))}
    wanted = [key for key, style in by_id.items() if style.get(qn("w:default")) == "1"]
    wanted += [
        reference.get(qn("w:val")) for part in _story_parts(package) for reference in part.iter(*_STYLE_REFERENCES)
    ]
    kept: set[str] = set()
    while wanted:
        key = wanted.pop()
        if key in kept or key not in by_id:
            continue
        kept.add(key)
        wanted += [link.get(qn("w:val")) for link in by_id[key] if link.tag in _STYLE_LINKS]
    for key, style in by_id.items():
        if key not in kept:
            styles.remove(style)
    for latent in styles.findall(qn("w:latentStyles")):  # Word's gallery of the template's styles
        styles.remove(latent)


def _story_parts(package: DocxDocument) -> Iterable[etree._Element]:
    """The document's body and its footers: the parts whose paragraphs may name a style."""
    yield package.element
    for relationship in package.part.rels.values():
        if relationship.reltype in (RT.FOOTER, RT.HEADER):
            yield relationship.target_part.element


def _set_settings(package: DocxDocument) -> None:
    settings = package.settings.element
    for name in _STALE_SETTINGS:
        for element in settings.findall(qn(name)):
            settings.remove(element)
    for mode in settings.iter(qn("w:compatSetting")):
        if mode.get(qn("w:name")) == "compatibilityMode":
            mode.set(qn("w:val"), _WORD_2013)
    zoom = settings.find(qn("w:zoom"))
    if zoom is None:
        zoom = sub(settings, "w:zoom")
        settings.insert(0, zoom)  # first in the schema's order
    zoom.attrib.clear()
    zoom.set(qn("w:percent"), "100")  # required by the schema; the template had only w:val="bestFit"


def set_extended_properties(package: DocxDocument, pages: int | None) -> None:
    """docProps/app.xml: the application, and the document's pages (when the layout gave them),
    words and characters counted as Word counts them (each Chinese character a word)."""
    words, characters, with_spaces = _text_counts(_text_of(package.element))
    # In the order of CT_Properties' sequence (ECMA-376 part 1, 22.2.2).
    fields = {
        "Pages": pages,
        "Words": words,
        "Characters": characters,
        "Application": f"docgen {__version__}",
        "DocSecurity": 0,
        "CharactersWithSpaces": with_spaces,
    }
    body = "".join(f"<{name}>{_escaped(str(value))}</{name}>" for name, value in fields.items() if value is not None)
    xml = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Properties xmlns="{_EXTENDED}">{body}</Properties>'
    )
    for relationship in package.part.package.rels.values():
        if relationship.reltype == RT.EXTENDED_PROPERTIES:
            relationship.target_part._blob = xml.encode()


def _escaped(text: str) -> str:
    """``text`` as XML character data (xml.sax.saxutils.escape would import urllib, http and email)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _text_of(document: etree._Element) -> str:
    """The document's text as a reader shows it: every w:t once (not a text box's VML fallback)."""
    fallback = {text for element in document.iter(_FALLBACK) for text in element.iter(qn("w:t"))}
    return "\n".join(text.text or "" for text in document.iter(qn("w:t")) if text not in fallback)


def _text_counts(text: str) -> tuple[int, int, int]:
    """Words (a Chinese character is one, so is a run of other letters and digits), characters
    without spaces, characters with them."""
    words, in_word = 0, False
    for char in text:
        if char.isspace():
            in_word = False
        elif is_wide(char):
            words, in_word = words + 1, False
        elif not in_word:
            words, in_word = words + 1, True
    characters = sum(1 for char in text if not char.isspace())
    with_spaces = sum(1 for char in text if char != "\n")
    return words, characters, with_spaces
