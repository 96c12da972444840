"""The DOCX package holds only what docgen writes, and says what it is.

python-docx starts every document from its template: a Word 2010 file saved on a Mac, with
164 styles, list definitions, a second copy of the styles for Word 2010 (stylesWithEffects),
a custom XML item, and extended properties that say "Microsoft Macintosh Word", 1 page and 0
words. Readers show those as facts about our file (Word opens it in compatibility mode, WPS
lists the template's styles), so what docgen does not use goes, and the properties are true.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from functools import cache

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
_STYLE, _STYLE_ID, _DEFAULT, _VAL = qn("w:style"), qn("w:styleId"), qn("w:default"), qn("w:val")
# The template's settings that describe its own history, not ours: a spell check said to be
# done, a preview picture (dropped with its part), Word's revision save ids, its document id.
_STALE_SETTINGS = ("w:proofState", "w:savePreviewPicture", "w:rsids", "w14:docId")
_WORD_2013 = "15"  # compatibilityMode: Word 2013 and later lay the file out without compatibility mode
_EXTENDED = "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"
_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"


def drop_template_leftovers(package: DocxDocument) -> None:
    """Remove the template's parts and settings that no document uses, Word's gallery of its styles,
    and its preview picture of an English page (file browsers would show it). Whatever the document:
    done once to the template a process copies for each (its styles are shelved: StyleShelf)."""
    thumbnails = package.part.package.rels
    for key, relationship in list(thumbnails.items()):
        if relationship.reltype == RT.THUMBNAIL:
            del thumbnails[key]
    for key, relationship in list(package.part.rels.items()):
        if relationship.reltype in _UNUSED_PARTS:
            del package.part.rels[key]
    styles = package.styles.element
    for latent in styles.findall(qn("w:latentStyles")):
        styles.remove(latent)
    _set_settings(package)


class StyleShelf:
    """The template's styles a document has only when it names them (or one that builds on them).

    The template's 164 styles are most of what copying it costs (a third of a megabyte of XML): all
    but the default styles, and those these build on, are taken out of it once, by id, and each
    document gets back those it names, every one in its place in the template's order."""

    def __init__(self, styles: etree._Element) -> None:
        by_id = {style.get(_STYLE_ID): style for style in styles.iter(_STYLE)}
        defaults = _built_on([key for key, style in by_id.items() if style.get(_DEFAULT) == "1"], by_id)
        self._order = {key: place for place, key in enumerate(by_id)}
        self._shelved = {key: style for key, style in by_id.items() if key not in defaults}
        for style in self._shelved.values():
            styles.remove(style)

    def restore_named(self, package: DocxDocument) -> None:
        """Give the document the shelved styles its body and footers name, and those they build on."""
        styles = package.styles.element
        present = {style.get(_STYLE_ID): style for style in styles.iter(_STYLE)}
        named = [reference.get(_VAL) for part in _story_parts(package) for reference in part.iter(*_STYLE_REFERENCES)]
        wanted = _built_on(named, {**self._shelved, **present}) - present.keys()
        for key in sorted(wanted, key=self._order.__getitem__):
            style = copy.deepcopy(self._shelved[key])
            after = next((kept for name, kept in present.items() if self._order[name] > self._order[key]), None)
            if after is None:
                styles.append(style)
            else:
                after.addprevious(style)


def _built_on(keys: Iterable[str | None], by_id: dict[str, etree._Element]) -> set[str]:
    """``keys`` (those of styles in ``by_id``) and the styles they build on, link to or are followed by."""
    wanted, found = list(keys), set()
    while wanted:
        key = wanted.pop()
        if key in found or key not in by_id:
            continue
        found.add(key)
        wanted += [link.get(_VAL) for link in by_id[key] if link.tag in _STYLE_LINKS]
    return found


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
    without spaces, characters with them. Counted on the text with each character replaced by its
    class (W wide, a other, a space), by str's own loops."""
    classes = text.translate({ord(char): _class(char) for char in set(text)})
    words = len(classes.replace("W", " W ").split())
    return words, len(text) - classes.count(" "), len(text) - text.count("\n")


@cache
def _class(char: str) -> str:
    return " " if char.isspace() else "W" if is_wide(char) else "a"
