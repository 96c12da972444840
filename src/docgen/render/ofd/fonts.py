"""The OFD's fonts: each font file the pages use, cut down to the glyphs they use, and its names.

A reader draws a ``TextCode``'s characters through the embedded file's own character map, so
a subset keeps the map (and the layout tables) of the characters used. ``FontName`` and
``FamilyName`` carry the office face the profile wants (仿宋_GB2312, …): a reader that has it
may show it, one that has not shows the embedded stand-in, at the same positions either way.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass

from docgen.layout.fonts import FontFile, ResolvedFace
from docgen.profile import Profile


@dataclass(frozen=True)
class EmbeddedFont:
    name: str  # FontName (and FamilyName)
    data: bytes
    suffix: str  # "ttf", or "otf" for PostScript outlines


def embedded_font(file: FontFile, characters: Iterable[str], name: str) -> EmbeddedFont:
    """``file`` cut down to ``characters`` (and .notdef, drawn as a box), named ``name``."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    # The source's head.modified, not today's: the same input gives the same bytes. Bounding boxes are
    # not recomputed (the whole font's still hold every glyph kept): that would rebuild each glyph, 5× the time.
    font = TTFont(file.path, fontNumber=file.index, recalcTimestamp=False, recalcBBoxes=False, lazy=True)
    options = subset.Options()
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes={ord(character) for character in characters})
    with _quiet("fontTools.subset"):  # it names each table it cannot cut (FFTM, BDF) and drops it
        subsetter.subset(font)
    output = io.BytesIO()
    font.save(output)
    return EmbeddedFont(name, output.getvalue(), "otf" if "CFF " in font else "ttf")


def office_name(file: FontFile, faces: Mapping[str, ResolvedFace], profile: Profile) -> str:
    """The name a reader should look for: the first office name of the first face ``file`` serves,
    or (a face without office names, the fallback) the family the file was found by."""
    serving = [key for key, face in faces.items() if face.file == file]
    for key in serving:
        face = profile.faces.get(key)
        if face and face.office:
            return face.office[0]
    if serving:
        return faces[serving[0]].family
    return _family_of(file)


def _family_of(file: FontFile) -> str:
    from fontTools.ttLib import TTFont

    names = TTFont(file.path, fontNumber=file.index, lazy=True)["name"]
    return str(names.getDebugName(16) or names.getDebugName(1) or file.path.stem)


@contextmanager
def _quiet(logger_name: str) -> Iterator[None]:
    logger = logging.getLogger(logger_name)
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)
