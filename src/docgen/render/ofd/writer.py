"""OFD renderer: the laid-out document → an OFD package (GB/T 33190-2016), every glyph where the PDF has it.

The package, as readers expect it::

    OFD.xml                          DocBody: DocInfo (title, organs, date, docgen) and DocRoot
    Doc_0/Document.xml               CommonData (MaxUnitID, the A4 PageArea, the resources), Pages
    Doc_0/PublicRes.xml              Fonts, each a subset file in Doc_0/Res/
    Doc_0/DocumentRes.xml            MultiMedias: the seals, PNG or JPEG files in Doc_0/Res/
    Doc_0/Pages/Page_N/Content.xml   a page's text, rules and images

Elements come in the order GB/T 33190's schemas give them. The zip carries fixed times, so the
same document gives the same bytes.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Mapping

from lxml import etree

from docgen import __version__
from docgen.errors import DocgenError
from docgen.files.atomic import deterministic_zip
from docgen.i18n import _
from docgen.layout.document import DocumentInfo, Item, LaidOutDocument, Page, Picture, Run, Turned
from docgen.layout.fonts import INSTALL_ADVICE, FontFile
from docgen.model import Image
from docgen.profile import Profile
from docgen.render.ofd.content import Ids, Resources, page_content
from docgen.render.ofd.fonts import EmbeddedFont, embedded_font, office_name
from docgen.render.ofd.xml import child, numbers, part, root
from docgen.units import MM_PER_PT

_DOC = "Doc_0"
_RES = "Res"  # the resources' BaseLoc, beside Document.xml


def render_ofd(laid: LaidOutDocument, profile: Profile) -> bytes:
    if laid.pages is None:
        raise DocgenError(
            _("an OFD embeds its fonts, and no font files were found: {advice}").format(advice=_(INSTALL_ADVICE))
        )
    ids = Ids()
    fonts = _fonts(laid, profile)
    pictures = {image: _raster(image) for image in _media(laid.pages)}
    resources = Resources({file: ids.take() for file in fonts}, {image: ids.take() for image in pictures})
    size = (profile.page.width_mm, profile.page.height_mm)
    page_ids, contents = _pages(laid.pages, size, resources, ids)
    package = {
        "Document.xml": part(_document(size, page_ids, ids.last)),
        "PublicRes.xml": part(_font_list(fonts, resources.fonts)),
        "DocumentRes.xml": part(_media_list(pictures, resources.images)),
        **contents,
        **{f"{_RES}/{_font_file(resources.fonts[file], font)}": font.data for file, font in fonts.items()},
        **{
            f"{_RES}/{_media_file(resources.images[image], suffix)}": data for image, (data, suffix) in pictures.items()
        },
    }
    package = {f"{_DOC}/{name}": data for name, data in package.items()}
    return _zip({"OFD.xml": part(_ofd(laid.info, _doc_id(package))), **package})


def _pages(
    pages: tuple[Page, ...], size: tuple[float, float], resources: Resources, ids: Ids
) -> tuple[list[int], dict[str, bytes]]:
    """Each page's ID and Content part; a page of another size than the document's gives its own."""
    page_ids, contents = [], {}
    for index, page in enumerate(pages):
        page_ids.append(ids.take())
        own = (page.width * MM_PER_PT, page.height * MM_PER_PT)
        different = any(abs(a - b) > 0.001 for a, b in zip(own, size, strict=True))
        contents[_page_location(index)] = part(page_content(page, own if different else None, resources, ids))
    return page_ids, contents


def _page_location(index: int) -> str:
    return f"Pages/Page_{index}/Content.xml"


def _font_file(font_id: int, font: EmbeddedFont) -> str:
    return f"font_{font_id}.{font.suffix}"


def _media_file(media_id: int, suffix: str) -> str:
    return f"image_{media_id}.{suffix}"


def _items(page: Page) -> Iterator[Item]:
    for item in page.items:
        yield from item.items if isinstance(item, Turned) else (item,)


def _fonts(laid: LaidOutDocument, profile: Profile) -> dict[FontFile, EmbeddedFont]:
    """Each font file the pages use, in order of first use, cut down to its characters."""
    characters: dict[FontFile, set[str]] = {}
    for page in laid.pages or ():
        for item in _items(page):
            if isinstance(item, Run):
                characters.setdefault(item.font, set()).update(item.text)
    return {
        file: embedded_font(file, sorted(used), office_name(file, laid.faces, profile))
        for file, used in characters.items()
    }


def _media(pages: tuple[Page, ...]) -> list[Image]:
    """Each image once (a seal pressed twice is one resource), in order of first use."""
    images: dict[Image, None] = {}
    for page in pages:
        images.update((item.image, None) for item in _items(page) if isinstance(item, Picture))
    return list(images)


def _raster(image: Image) -> tuple[bytes, str]:
    """What an OFD reader draws: PNG and JPEG as they are (a JPEG in other colours than RGB or grey
    re-encoded as RGB); an SVG rasterised to PNG, readers knowing no vector image format."""
    from docgen.render.images import raster_picture  # image support loads only for documents with pictures

    return raster_picture(image)


def _font_list(fonts: dict[FontFile, EmbeddedFont], font_ids: Mapping[FontFile, int]) -> etree._Element:
    res = root("Res", BaseLoc=_RES)
    if fonts:
        listing = child(res, "Fonts")
        for file, font in fonts.items():
            entry = child(listing, "Font", ID=str(font_ids[file]), FontName=font.name, FamilyName=font.name)
            child(entry, "FontFile", _font_file(font_ids[file], font))
    return res


def _media_list(pictures: dict[Image, tuple[bytes, str]], media_ids: Mapping[Image, int]) -> etree._Element:
    res = root("Res", BaseLoc=_RES)
    if pictures:
        listing = child(res, "MultiMedias")
        for image, (_, suffix) in pictures.items():
            entry = child(listing, "MultiMedia", ID=str(media_ids[image]), Type="Image", Format=suffix.upper())
            child(entry, "MediaFile", _media_file(media_ids[image], suffix))
    return res


def _document(size: tuple[float, float], page_ids: list[int], max_id: int) -> etree._Element:
    document = root("Document")
    common = child(document, "CommonData")
    child(common, "MaxUnitID", str(max_id))
    child(child(common, "PageArea"), "PhysicalBox", numbers(0, 0, *size))
    child(common, "PublicRes", "PublicRes.xml")
    child(common, "DocumentRes", "DocumentRes.xml")
    pages = child(document, "Pages")
    for index, page_id in enumerate(page_ids):
        child(pages, "Page", ID=str(page_id), BaseLoc=_page_location(index))
    return document


def _ofd(info: DocumentInfo, doc_id: str) -> etree._Element:
    ofd = root("OFD", Version="1.0", DocType="OFD")
    body = child(ofd, "DocBody")
    doc_info = child(body, "DocInfo")
    child(doc_info, "DocID", doc_id)
    for tag, value in (("Title", info.title), ("Author", info.author), ("Subject", info.subject)):
        if value:
            child(doc_info, tag, value)
    child(doc_info, "CreationDate", info.date.isoformat())
    child(doc_info, "Creator", "docgen")
    child(doc_info, "CreatorVersion", __version__)
    child(body, "DocRoot", f"{_DOC}/Document.xml")
    return ofd


def _doc_id(package: dict[str, bytes]) -> str:
    """A DocID of 32 hex digits (as a UUID's) from the package's content: the same document, the same ID."""
    digest = hashlib.sha256()
    for name, data in sorted(package.items()):
        digest.update(name.encode() + b"\0" + hashlib.sha256(data).digest())
    return digest.hexdigest()[:32]


def _zip(entries: dict[str, bytes]) -> bytes:
    """The entries deflated, with fixed times (:func:`deterministic_zip`)."""
    return deterministic_zip(entries.items())
