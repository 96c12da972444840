"""The 版头 (GB/T 9704 7.2) and the heads of the letter, order and minutes formats (clause 10).

Elements the standard places by millimetres (the issuing-organ mark 35 mm below the block's
top, the red line 4 mm under the document number) become paragraphs of exact heights: a
paragraph of height h has its baseline at ``baseline_ratio`` × h below its top in LibreOffice
and the PDF (Word sets a tall exact line's text lower, so each element gets a line box of its
own size and an empty spacer above it). The heights of the 版头 add up to whole grid lines, so
the title and body below it stay on the 22-line grid.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from docgen.compose.paragraphs import MIN_SPACER_PT, Align, Anchor, DrawnLine, Label, Para, ParaKind, Span, Tab
from docgen.model import Document, Header, Kind
from docgen.profile import Profile
from docgen.roles import Role
from docgen.text.cjk import set_width_in_chars
from docgen.text.numbering import official_date
from docgen.units import mm_to_pt

_LINE_BOX = 1.25  # an element's line, times its size: at 80 % the baseline is one size down, the glyphs inside


def _size_of(para: Para, profile: Profile) -> float:
    spans = (*para.spans, *(span for tab in para.tabs for span in tab.spans))
    return max((span.size_pt or profile.roles[span.role].size_pt for span in spans), default=0.0)


DEFAULT_SUFFIX = {Kind.FILE: "文件", Kind.ORDER: "命令", Kind.MINUTES: "纪要", Kind.LETTER: ""}
_SIGNER_LABEL = "签发人："


@dataclass
class _Column:
    """Paragraphs stacked from the block's top, and how far down they reach (pt)."""

    profile: Profile
    paras: list[Para]
    y: float = 0.0

    @property
    def pitch(self) -> float:
        return self.profile.grid.line_pitch_pt

    def grid_line(self, para: Para) -> None:
        self.paras.append(para)
        self.y += self.pitch

    def at_baseline(self, para: Para, baseline: float) -> None:
        """Add ``para`` with its baseline ``baseline`` pt below the block's top: a line box of its
        own size, an empty spacer above it for the rest. (One tall line would put the baseline
        where LibreOffice does, but Word sets a tall exact line's text lower; a box that fits
        its text keeps the two within a fraction of the size, and nothing is clipped.)"""
        ratio = self.profile.grid.baseline_ratio
        height = _LINE_BOX * _size_of(para, self.profile)
        gap = baseline - self.y - ratio * height
        if gap > MIN_SPACER_PT:
            self.paras.append(Para(ParaKind.SPACER, (), height_pt=gap))
            self.y += gap
        else:  # no room for a spacer: the line itself reaches down to the baseline
            height = (baseline - self.y) / ratio
        self.paras.append(replace(para, height_pt=height))
        self.y += height

    def decorate(self, *decorations: Label | DrawnLine) -> None:
        last = self.paras[-1]
        self.paras[-1] = replace(last, decorations=last.decorations + decorations)

    def fill_to_slot(self, slot: int) -> None:
        """An empty paragraph reaching down to the top of grid slot ``slot``."""
        height = slot * self.pitch - self.y
        if height > 0.01:
            self.paras.append(Para(ParaKind.SPACER, (), height_pt=height))
            self.y += height


def header_paras(document: Document, profile: Profile) -> list[Para]:
    """The paragraphs above the title (none for a document without a 版头)."""
    if document.kind is Kind.LETTER:
        return _letter_head(document, profile)
    if document.header is None and document.kind is not Kind.MINUTES:  # a 纪要's head is its format (10.3)
        return []
    column = _Column(profile, [])
    header = document.header or Header()
    for text, role, kind in _elements(header):
        column.grid_line(Para(kind, (Span(text, role),), Align.LEFT))
    top = profile.order.mark_top_mm if document.kind is Kind.ORDER else profile.header.mark_top_mm
    # An order's mark stands 20 mm down, where three element lines (份号, 密级, 紧急程度) already
    # reach: then it starts under them rather than rising into them.
    mark_top = max(mm_to_pt(top), column.y)
    mark_bottom = _mark(column, _mark_names(document), _suffix(document), mark_top)
    if document.kind is Kind.ORDER:
        _order_number(column, header, mark_bottom)
    else:
        _number_and_rule(column, document, header, mark_bottom)
    return column.paras


def _elements(header: Header) -> list[tuple[str, Role, ParaKind]]:
    """份号, 密级和保密期限 and 紧急程度 in the order 7.2 puts them: (text, role, kind) of those given."""
    given = (
        (header.copy_number, Role.COPY_NUMBER, ParaKind.COPY_NUMBER),
        (header.secrecy, Role.SECRECY, ParaKind.SECRECY),
        (header.urgency, Role.SECRECY, ParaKind.URGENCY),
    )
    return [(text, role, kind) for text, role, kind in given if text]


def _mark_names(document: Document) -> tuple[str, ...]:
    return document.header.mark if document.header and document.header.mark else document.organs


def _suffix(document: Document) -> str:
    header = document.header
    return header.mark_suffix if header and header.mark_suffix is not None else DEFAULT_SUFFIX[document.kind]


def _em_top(profile: Profile, size: float) -> float:
    """From a character's top edge down to its baseline."""
    return profile.header.em_ascent * size


def _mark(column: _Column, names: tuple[str, ...], suffix: str, top: float) -> float:
    """The issuing-organ mark with its top edge ``top`` pt below the block's top; returns its bottom edge."""
    profile = column.profile
    block = profile.page.block_width_pt
    size = profile.roles[Role.MARK].size_pt
    ascent = _em_top(profile, size)
    if len(names) == 1:
        text = names[0] + suffix
        size = min(size, block / max(len(text), 1))
        ascent = _em_top(profile, size)
        column.at_baseline(Para(ParaKind.MARK, (Span(text, Role.MARK, size),), Align.CENTER), top + ascent)
        return top + size
    gap = profile.header.mark_suffix_gap_chars if suffix else 0.0
    widest = max(len(name) for name in names)
    size = min(size, block / (widest + gap + len(suffix)))
    ascent = _em_top(profile, size)
    pitch = size * profile.header.mark_line_ratio
    left = (block - (widest + gap + len(suffix)) * size) / 2
    unit = profile.char_unit_pt(Role.BODY)
    for index, name in enumerate(names):
        para = Para(
            ParaKind.MARK,
            (Span(name, Role.MARK, size),),
            Align.DISTRIBUTE,
            first_indent_chars=left / unit,
            right_indent_chars=(block - left - widest * size) / unit,
        )
        column.at_baseline(para, top + ascent + index * pitch)
    bottom = top + (len(names) - 1) * pitch + size
    if suffix:
        middle = (top + bottom) / 2
        label = Label(
            Span(suffix, Role.MARK, size),
            left + (widest + gap) * size,
            middle - size / 2 + ascent,
            len(suffix) * size,
            Anchor.BLOCK,
        )
        column.decorate(label)
    return bottom


def _number_line_baseline(column: _Column, mark_bottom: float, blank_lines: int) -> float:
    """The baseline of the line ``blank_lines`` grid lines under the mark."""
    line_top = mark_bottom + blank_lines * column.pitch
    return line_top + column.profile.grid.baseline_ratio * column.pitch


def _number_and_rule(column: _Column, document: Document, header: Header, mark_bottom: float) -> None:
    """发文字号 (and 签发人) two lines under the mark, the red line under them, the grid again
    two lines below (the title's slot is the one nearest two lines under the line)."""
    profile = column.profile
    first = _number_line_baseline(column, mark_bottom, profile.header.blank_lines_below_mark)
    paras = _number_paras(document, header, profile)
    for index, para in enumerate(paras):
        column.at_baseline(para, first + index * column.pitch)
    last_baseline = first + max(len(paras) - 1, 0) * column.pitch
    size = profile.roles[Role.NUMBER].size_pt
    rule_y = last_baseline + (1 - profile.header.em_ascent) * size + mm_to_pt(profile.header.rule_below_number_mm)
    column.decorate(*_red_rule(profile, rule_y))
    slot = round((rule_y + profile.header.blank_lines_below_rule * column.pitch) / column.pitch)
    column.fill_to_slot(max(slot, int(rule_y // column.pitch) + 1))


def _number_paras(document: Document, header: Header, profile: Profile) -> list[Para]:
    """The number line, or the 签发人 lines with the number on the last (two names a line)."""
    number = (Span(header.number, Role.NUMBER),) if header.number else ()
    if document.kind is Kind.MINUTES:
        return _minutes_lines(document, profile, number)
    if not header.signers:
        return [Para(ParaKind.NUMBER, number, Align.CENTER)] if number else []
    unit = profile.char_unit_pt(Role.BODY)
    block = profile.page.block_width_pt
    rows = [header.signers[i : i + 2] for i in range(0, len(header.signers), 2)]
    widest = max(set_width_in_chars("　".join(row), 0) for row in rows)
    names_x = block - unit * (1 + widest)
    label_x = names_x - unit * len(_SIGNER_LABEL)
    paras = []
    for index, row in enumerate(rows):
        tabs = [Tab((Span("　".join(row), Role.SIGNER),), names_x, Align.LEFT)]
        if index == 0:
            tabs.insert(0, Tab((Span(_SIGNER_LABEL, Role.SIGNER_LABEL),), label_x, Align.LEFT))
        last = index == len(rows) - 1
        paras.append(
            Para(
                ParaKind.SIGNER,
                number if last else (),
                Align.LEFT,
                first_indent_chars=1 if last else 0,
                tabs=tuple(tabs),
            )
        )
    return paras


def _minutes_lines(document: Document, profile: Profile, number: tuple[Span, ...]) -> list[Para]:
    """纪要 (10.3, whose head is left to practice: 纪要格式可以根据实际制定): the 期数 centred under the
    mark, then the organ one character in from the left and the date one from the right, the red
    line under them; without a 期数 the organ and date stand on the number's line."""
    signed = document.signature
    day = Span(official_date(signed.date, signed.date_as_published), Role.NUMBER)
    date = Tab((day,), _right_edge(profile, 1), Align.RIGHT)
    organ = Para(
        ParaKind.NUMBER, (Span(document.organs[0], Role.NUMBER),), Align.LEFT, first_indent_chars=1, tabs=(date,)
    )
    return [Para(ParaKind.NUMBER, number, Align.CENTER), organ] if number else [organ]


def _right_edge(profile: Profile, chars_in: float) -> float:
    return profile.page.block_width_pt - chars_in * profile.char_unit_pt(Role.BODY)


def _red_rule(profile: Profile, y: float) -> tuple[DrawnLine | Label, ...]:
    """The 版头分隔线 across the block; with the profile's star, broken around a red ★ in its middle."""
    rules = profile.header
    width = mm_to_pt(rules.rule_width_mm)
    block = profile.page.block_width_pt
    if not rules.star:
        return (DrawnLine(y, 0.0, block, width, rules.rule_color, Anchor.BLOCK),)
    size = profile.roles[Role.NUMBER].size_pt
    middle = block / 2
    star = Label(Span("★", Role.MARK, size), middle - size / 2, y + size * 0.35, size, Anchor.BLOCK)
    return (
        DrawnLine(y, 0.0, middle - size, width, rules.rule_color, Anchor.BLOCK),
        DrawnLine(y, middle + size, block, width, rules.rule_color, Anchor.BLOCK),
        star,
    )


def _order_number(column: _Column, header: Header, mark_bottom: float) -> None:
    """命令 (10.2): the order number centred two lines under the mark, the body two lines under it."""
    profile = column.profile
    baseline = _number_line_baseline(column, mark_bottom, profile.order.blank_lines_below_mark)
    if header.number:
        column.at_baseline(Para(ParaKind.NUMBER, (Span(header.number, Role.NUMBER),), Align.CENTER), baseline)
    line_bottom = baseline + (1 - profile.grid.baseline_ratio) * column.pitch
    slot = round((line_bottom + profile.order.blank_lines_below_number * column.pitch) / column.pitch)
    column.fill_to_slot(slot)


def _letter_head(document: Document, profile: Profile) -> list[Para]:
    """信函 (10.1): mark 30 mm from the page's top, red double lines, elements 7/8 of a character under the first."""
    rules = profile.letter
    column = _Column(profile, [])
    size = rules.mark_size_pt
    names = _mark_names(document)
    text = names[0] + _suffix(document)  # a joint letter carries the lead organ's mark (10.1)
    size = min(size, profile.page.block_width_pt / max(len(text), 1))
    top = mm_to_pt(rules.mark_top_mm - profile.page.top_mm)  # above the block: negative
    width = len(text) * size
    mark = Label(
        Span(text, Role.MARK, size),
        (profile.page.block_width_pt - width) / 2,
        top + _em_top(profile, size),
        width,
        Anchor.BLOCK,
    )
    first_line = top + size + mm_to_pt(rules.rule_below_mark_mm)
    bottom_edge = mm_to_pt(profile.page.height_mm - profile.page.top_mm - rules.rule_above_bottom_mm)
    bottom_line = bottom_edge - _double_line_height(profile)
    decorations = (mark, *_double_line(profile, first_line, thick_first=True))
    decorations += _double_line(profile, bottom_line, thick_first=False)
    body_size = profile.roles[Role.BODY].size_pt
    first_top = first_line + _double_line_height(profile) + 7 / 8 * body_size
    baseline = first_top + _em_top(profile, body_size)
    header = document.header or Header()
    elements = _elements(header)
    number = (
        Tab((Span(header.number, Role.NUMBER),), profile.page.block_width_pt, Align.RIGHT) if header.number else None
    )
    if not elements and number:
        elements = [("", Role.NUMBER, ParaKind.NUMBER)]
    for index, (text, role, kind) in enumerate(elements):
        tabs = (number,) if index == 0 and number else ()
        spans = (Span(text, role),) if text else ()
        column.at_baseline(Para(kind, spans, Align.LEFT, tabs=tabs), baseline + index * column.pitch)
    last_bottom = first_top
    if elements:
        last_baseline = baseline + (len(elements) - 1) * column.pitch
        last_bottom = last_baseline + (1 - profile.header.em_ascent) * body_size
    slot = round((last_bottom + 2 * column.pitch) / column.pitch)
    column.fill_to_slot(max(slot, int(last_bottom // column.pitch) + 1))
    column.paras[0] = replace(column.paras[0], decorations=column.paras[0].decorations + decorations)
    return column.paras


def _double_line_height(profile: Profile) -> float:
    rules = profile.letter
    return mm_to_pt(rules.thick_mm + rules.gap_mm + rules.thin_mm)


def _double_line(profile: Profile, top: float, thick_first: bool) -> tuple[DrawnLine, DrawnLine]:
    """Two red lines 170 mm long, centred on the page, their upper edge at ``top``."""
    rules = profile.letter
    page = profile.page
    left = mm_to_pt((page.width_mm - rules.rule_length_mm) / 2 - page.left_mm)
    right = left + mm_to_pt(rules.rule_length_mm)
    widths = (rules.thick_mm, rules.thin_mm) if thick_first else (rules.thin_mm, rules.thick_mm)
    upper = top + mm_to_pt(widths[0]) / 2
    lower = top + mm_to_pt(widths[0] + rules.gap_mm + widths[1] / 2)
    color = profile.header.rule_color
    return (
        DrawnLine(upper, left, right, mm_to_pt(widths[0]), color, Anchor.BLOCK),
        DrawnLine(lower, left, right, mm_to_pt(widths[1]), color, Anchor.BLOCK),
    )
