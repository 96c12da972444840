"""What follows the body: 附件说明, 出席/请假/列席, the signature and date in the three cases of
GB/T 9704 7.3.5, and 附注.

Widths count the 中西文 gaps Word and LibreOffice set around digits, so offsets measured in
characters hold on the page.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import replace

from docgen.compose.paragraphs import BLANK, Align, Anchor, Para, ParaKind, Picture, Span, Tab
from docgen.errors import DocgenError
from docgen.model import Attachment, Attendance, Image, Signature
from docgen.profile import Profile
from docgen.roles import Role
from docgen.text.cjk import set_width_in_chars
from docgen.text.numbering import official_date
from docgen.units import MM_PER_PT, mm_to_pt

_ATTACHMENT_LABEL = "附件："
# Blank lines inside the signature block travel with it (7.3.5.5): the block never stands alone.
_KEPT = replace(BLANK, keep_with_next=True)


def attachment_note(attachments: tuple[Attachment, ...], indent: float) -> Iterator[Para]:
    """附件说明 (7.3.4): one blank line, `附件：1.名称`, later names under the first, wrapped lines under the name."""
    if not attachments:
        return
    yield BLANK
    if len(attachments) == 1:
        text = _ATTACHMENT_LABEL + attachments[0].title
        yield Para(
            ParaKind.ATTACHMENT_NOTE,
            (Span(text, Role.BODY),),
            first_indent_chars=indent,
            hang_at=len(_ATTACHMENT_LABEL),
        )
        return
    for number, attachment in enumerate(attachments, start=1):
        label = f"{number}."
        lead = _ATTACHMENT_LABEL if number == 1 else ""
        yield Para(
            ParaKind.ATTACHMENT_NOTE,
            (Span(lead + label + attachment.title, Role.BODY),),
            first_indent_chars=indent + (0 if number == 1 else len(_ATTACHMENT_LABEL)),
            hang_at=len(lead + label),
        )


def attendance(groups: tuple[Attendance, ...], indent: float) -> Iterator[Para]:
    """纪要 (10.3): one blank line, then `出席：` in 黑体 and the names in 仿宋, wrapped lines after the colon."""
    if not groups:
        return
    yield BLANK
    for group in groups:
        label = group.label + "："
        spans = (Span(label, Role.ATTENDANCE_LABEL), Span("，".join(group.names), Role.BODY))
        yield Para(ParaKind.ATTENDANCE, spans, first_indent_chars=indent, hang_at=len(label))


def signature(signed: Signature, profile: Profile) -> Iterator[Para]:
    """The signature block in whichever case of 7.3.5 ``signed`` is. Its blank lines are kept
    with it; compose keeps the text above with them, so a page never holds the block alone."""
    if signed.signer is not None:
        yield from _signer_sealed(signed, profile)
    elif signed.seals:
        yield from _sealed(signed, profile)
    else:
        yield from _unsealed(signed, profile)


def note(text: str | None, indent: float) -> Iterator[Para]:
    """附注 (7.3.6): in parentheses, 2 characters in, on the line after the date."""
    if text:
        yield Para(ParaKind.NOTE, (Span(f"（{text}）", Role.BODY),), first_indent_chars=indent)


def _width(text: str, profile: Profile) -> float:
    return set_width_in_chars(text, profile.grid.western_gap_em)


def _unsealed(signed: Signature, profile: Profile) -> Iterator[Para]:
    """Case 2 (7.3.5.2): signature 2 characters in; the date starts 2 characters right of it.
    When the date is the wider, the date keeps 2 and the signature moves in (the W/D rule)."""
    rules = profile.signature
    date_text = official_date(signed.date, signed.date_as_published)
    organ_width = max(_width(organ, profile) for organ in signed.organs)
    date_width = _width(date_text, profile)
    shift = rules.date_offset_chars
    if date_width + shift > organ_width:
        date_indent = rules.right_indent_chars
        organ_indent = date_indent + shift + date_width - organ_width
    else:
        organ_indent = rules.right_indent_chars
        date_indent = organ_indent + organ_width - shift - date_width
    yield from (_KEPT,) * rules.blank_lines_before
    for organ in signed.organs:
        yield Para(
            ParaKind.SIGNATURE,
            (Span(organ, Role.SIGNATURE),),
            Align.RIGHT,
            right_indent_chars=organ_indent,
            keep_with_next=True,
        )
    yield Para(ParaKind.DATE, (Span(date_text, Role.SIGNATURE),), Align.RIGHT, right_indent_chars=date_indent)


def _glyph_top(profile: Profile) -> float:
    """How far below a grid line's top its characters' top edge lies."""
    grid = profile.grid
    return grid.baseline_ratio * grid.line_pitch_pt - profile.header.em_ascent * profile.roles[Role.SIGNATURE].size_pt


def _scaled(image: Image, width: float, profile: Profile, what: str) -> tuple[float, float]:
    """The size of ``image`` placed ``width`` wide. One taller than the text block is refused, whatever
    its pixel count: the blank lines kept with it grow with its height (1 × 100,000 px: 9,350 pages)."""
    height = width * image.height_px / image.width_px
    room = profile.page.block_height_pt
    if height > room:
        size = f"{image.width_px:,.7g} × {image.height_px:,.7g} px"
        raise DocgenError(
            f"{what} {image.name} ({size}) placed {width * MM_PER_PT:.3g} mm wide would be "
            f"{height * MM_PER_PT:,.0f} mm tall; the text block is {room * MM_PER_PT:.0f} mm tall "
            f"(crop the image to the seal: at most {room / width:.3g} times as tall as wide)"
        )
    return width, height


def _sealed(signed: Signature, profile: Profile) -> Iterator[Para]:
    """Case 1 (7.3.5.1): date 4 characters in; each seal centred on its organ's name, the last one
    over the date too (moved left as far as a name too wide for that needs, no further); names and
    date just below the seals' centres, the seals' top within a line of the body. Joint organs
    stand side by side, their seals aligned and not touching."""
    rules = profile.seal
    pitch = profile.grid.line_pitch_pt
    unit = profile.char_unit_pt(Role.BODY)
    block = profile.page.block_width_pt
    date_text = official_date(signed.date, signed.date_as_published)
    date_width = _width(date_text, profile)
    date_centre = block - unit * (rules.date_right_indent_chars + date_width / 2)
    diameter = mm_to_pt(rules.diameter_mm)
    heights = [_scaled(seal, diameter, profile, "the seal")[1] for seal in signed.seals]
    centre = _glyph_top(profile) - rules.centre_above_signature_em * profile.roles[Role.SIGNATURE].size_pt
    blank_lines = max(1, math.ceil((max(heights) / 2 - centre) / pitch))
    yield from (_KEPT,) * blank_lines
    widest = max(_width(organ, profile) for organ in signed.organs) * unit
    slot = max(diameter, widest)  # what each organ takes across: its seal or its name
    step = slot + mm_to_pt(rules.gap_mm)  # neither seals nor names may touch
    # The last organ centred over the date, unless its name would then cross the block's edge.
    last_centre = min(date_centre, block - slot / 2)
    per_row = max(1, 1 + int((last_centre - slot / 2) // step))  # the leftmost slot inside the block
    organs = list(zip(signed.organs, signed.seals, strict=True))
    rows = [organs[max(0, end - per_row) : end] for end in range(len(organs), 0, -per_row)][::-1]
    row_lines = math.ceil(step / pitch)
    for index, row in enumerate(rows):
        tabs, pictures = [], []
        for column, (organ, seal) in enumerate(row, start=per_row - len(row)):
            x = last_centre - (per_row - 1 - column) * step
            width, height = _scaled(seal, diameter, profile, "the seal")
            tabs.append(Tab((Span(organ, Role.SIGNATURE),), x, Align.CENTER))
            pictures.append(Picture(seal, x - width / 2, centre - height / 2, width, height, Anchor.PARA, organ))
        last = index == len(rows) - 1
        yield Para(
            ParaKind.SIGNATURE, (), Align.LEFT, keep_with_next=True, tabs=tuple(tabs), decorations=tuple(pictures)
        )
        if not last:
            yield from (_KEPT,) * (row_lines - 1)
    yield Para(
        ParaKind.DATE, (Span(date_text, Role.SIGNATURE),), Align.RIGHT, right_indent_chars=rules.date_right_indent_chars
    )


def _signer_sealed(signed: Signature, profile: Profile) -> Iterator[Para]:
    """Case 3 (7.3.5.3), and orders: two blank lines, the signature seal 4 characters in from the
    right with the signer's title 2 characters left of it, centred on it; one blank line under
    the seal, the date 4 characters in."""
    assert signed.signer is not None
    rules = profile.seal
    pitch = profile.grid.line_pitch_pt
    unit = profile.char_unit_pt(Role.BODY)
    size = profile.roles[Role.SIGNATURE].size_pt
    block = profile.page.block_width_pt
    width, height = _scaled(signed.signer.seal, mm_to_pt(rules.signer_seal_width_mm), profile, "the signer's seal")
    right = block - unit * rules.date_right_indent_chars
    middle = _glyph_top(profile) + size / 2  # the title's vertical centre, below its line's top
    seal = Picture(
        signed.signer.seal, right - width, middle - height / 2, width, height, Anchor.PARA, signed.signer.title
    )
    title = Tab((Span(signed.signer.title, Role.SIGNATURE),), right - width - 2 * unit, Align.RIGHT)
    yield from (_KEPT,) * rules.blank_lines_before_signer
    yield Para(ParaKind.SIGNATURE, (), Align.LEFT, keep_with_next=True, tabs=(title,), decorations=(seal,))
    seal_bottom = middle + height / 2
    yield from (_KEPT,) * max(1, math.ceil(seal_bottom / pitch))
    yield Para(
        ParaKind.DATE,
        (Span(official_date(signed.date, signed.date_as_published), Role.SIGNATURE),),
        Align.RIGHT,
        right_indent_chars=rules.date_right_indent_chars,
    )
