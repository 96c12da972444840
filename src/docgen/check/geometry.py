"""`docgen check` of a fixed-layout file: what its Layout (docgen.measure.pdf) shows of the paper, the
margins, the grid, the type, the page numbers, the signature and the seals (GB/T 9704 5.2, 7.1,
7.3, 7.5), and of the heads and the 版记 (docgen.check.formats), against the profile's figures.

Whatever reads a file into a Layout (the PDF reader now, an OFD one next) is checked by this code;
what only one format has (a PDF's embedded fonts) its reader checks.
"""

from __future__ import annotations

import math
import statistics
from collections import Counter
from collections.abc import Iterator
from dataclasses import replace
from itertools import pairwise

from docgen.check.clauses import (
    MARGIN_TOLERANCE_MM,
    PAGE_NUMBER_FORM,
    block_bottom_mm,
    body_size_finding,
    bold_finding,
    centred_signature_finding,
    characters,
    in_chinese,
    margin_finding,
    named_size,
    page_number_text_finding,
    paper_finding,
    text_findings,
)
from docgen.check.findings import Finding, Severity, page_place
from docgen.check.formats import Format, check_colophon, check_head, is_title_size, read_head, unnumbered_pages
from docgen.i18n import _
from docgen.measure.pdf import (
    Grid,
    Layout,
    Page,
    Placed,
    TextLine,
    em_bottom_mm,
    em_top_mm,
    grid_of,
    is_table_cell,
    line_top_mm,
    page_number_dash_mm,
)
from docgen.profile import Profile
from docgen.roles import Role
from docgen.text.cjk import NO_LINE_START, is_wide, width_in_chars
from docgen.text.rules import DATE, page_number_problem
from docgen.units import MM_PER_PT

_DASH = "——"  # 破折号: two 一字线 (U+2014)
_LARGE_PT = 20.0  # titles (2号) and marks: apart from the body's pitch, sizes and weight
_SMALL_PT = 15.0  # under it, 4号 text: table cells and the 版记, on pitches of their own
_SIZE_TOLERANCE_PT = 0.3  # a size read back this near the profile's is it
_SAME_PLACE_MM = 1.0  # two edges or centres this near are one: a reader's rounding, a face's side bearings
_CHAR_TOLERANCE = 0.5  # an indent measured in characters is on its figure within half a character
# 7.5 and 7.3.5 place the page number, the date and the seals by millimetres and lines, and give no
# tolerance: the margins' ±1 mm (5.2.2).
_PLACE_TOLERANCE_MM = MARGIN_TOLERANCE_MM
_FULL_PAGE_ROOM_LINES = 2.5  # a page whose text ends within this many lines of the block's foot is full


def has_text(layout: Layout) -> bool:
    return any(page.lines for page in layout.pages)


def check_layout(layout: Layout, profile: Profile) -> list[Finding]:
    """The findings of every rule measured on the pages' text, rules and pictures."""
    pages = layout.pages
    if not has_text(layout):
        return [
            Finding(
                "—",
                Severity.REQUIRED,
                _("text"),
                _("whole file"),
                _("no text layer"),
                _("text to measure (not a scan)"),
            )
        ]
    head = read_head(pages[0], layout.strokes, profile)
    placed = [grid_of(page, profile) for page in pages]
    grids = [_without(grid, head.lines) for grid in placed]
    small = [line for grid in placed for line in grid.body if is_table_cell(line) and line not in head.lines]
    body = [line for grid in grids for line in grid.body]
    without_head = grids[1:] if head.mark else grids
    letter = head.kind is Format.LETTER
    signed = _signature_page(grids)
    strokes = layout.strokes
    return [
        *_page_size(pages, profile),
        *_text_block(body, [line for grid in without_head for line in grid.body], profile),
        *_line_pitch(grids, profile),
        *_lines_per_page(without_head, profile),
        *_chars_per_line(body, profile),
        *_body_size(body, small, profile),
        *(_title(grids[0], profile) if head.kind is not Format.ORDER else ()),
        *_bold(body),
        *_line_edges(body),
        *_page_numbers(grids, profile, unnumbered_pages(pages, letter, profile)),
        *text_findings((page_place(line.page), line.text) for line in (*head.lines, *body)),
        *_signature(signed, profile, [p for p in layout.pictures if p.page == signed.page]),
        *check_head(head, strokes, profile),
        *check_colophon(pages, strokes, letter, profile),
    ]


def _without(grid: Grid, head: tuple[TextLine, ...]) -> Grid:
    """The grid less the 版头's lines (placed by millimetres) and table cells (on their own pitch)."""
    keep = [i for i, line in enumerate(grid.body) if line not in head and not is_table_cell(line)]
    return replace(
        grid,
        body=tuple(grid.body[i] for i in keep),
        slots=tuple(grid.slots[i] for i in keep),
        offsets_mm=tuple(grid.offsets_mm[i] for i in keep),
    )


def _mm(value: float) -> str:
    return f"{value:.1f} mm"


def _page_size(pages: list[Page], profile: Profile) -> Iterator[Finding]:
    """The first page not on the profile's paper, if any."""
    off = (paper_finding(page_place(page.number), page.width_mm, page.height_mm, profile) for page in pages)
    first = next((finding for finding in off if finding), None)
    if first:
        yield first


def _text_block(body: list[TextLine], below_heads: list[TextLine], profile: Profile) -> Iterator[Finding]:
    """Margins from the text: ``below_heads`` are the lines of pages without a 版头, for the 天头."""
    page = profile.page
    measured = [*_side_margins(body, profile)]
    tops = [line_top_mm(line, profile) for line in below_heads if line.chars[0].size >= _SMALL_PT]
    top = min(tops, default=page.top_mm)
    measured.append(margin_finding(_("top margin (天头)"), _("first lines"), top, page.top_mm))
    yield from (finding for finding in measured if finding)


def _side_margins(body: list[TextLine], profile: Profile) -> Iterator[Finding | None]:
    """Full lines of justified text share one right edge; the lines after them start at the left
    edge. With fewer than three such lines there is too little text to tell."""
    edges = Counter(round(line.x1_mm, 1) for line in body if line.cells >= profile.grid.chars_per_line / 2)
    edge, count = edges.most_common(1)[0] if edges else (0.0, 0)
    if count < 3:
        return
    after_full = [b for a, b in pairwise(body) if a.page == b.page and round(a.x1_mm, 1) == edge]
    page = profile.page
    yield margin_finding(_("right margin"), _("full lines"), page.width_mm - edge, page.right_mm)
    if after_full:
        yield margin_finding(
            _("left margin (订口)"), _("body lines"), min(line.x0_mm for line in after_full), page.left_mm
        )


def _pitches(grids: list[Grid]) -> list[float]:
    gaps = []
    for grid in grids:
        body = [line for line in grid.body if line.chars[0].size < _LARGE_PT]
        gaps.extend(b.baseline_mm - a.baseline_mm for a, b in pairwise(body))
    return gaps


def _line_pitch(grids: list[Grid], profile: Profile) -> Iterator[Finding]:
    """The pitch measured between baselines, and how many lines of it the block holds."""
    gaps = _pitches(grids)
    if not gaps:
        return
    # Blank lines make gaps of two or three lines; the pitch is the gap between neighbours.
    near = [gap for gap in gaps if gap < 1.5 * profile.grid.line_pitch_pt * MM_PER_PT] or gaps
    pitch = statistics.mode(round(gap, 2) for gap in near)
    block_mm = profile.page.height_mm - profile.page.top_mm - profile.page.bottom_mm
    capacity = math.floor(block_mm / pitch + 1e-3)
    if capacity != profile.grid.lines_per_page:
        measured = _("{pitch:.2f} pt: {capacity} lines fit the block").format(
            pitch=pitch / MM_PER_PT, capacity=capacity
        )
        expected = _("{pitch} pt, {lines} lines").format(
            pitch=profile.grid.line_pitch_pt, lines=profile.grid.lines_per_page
        )
        yield Finding("5.2.2", Severity.NORMALLY, _("line pitch"), _("body"), measured, expected)


def _lines_per_page(grids: list[Grid], profile: Profile) -> Iterator[Finding]:
    """The most lines any full page holds (a page may end early to keep a heading with its text)."""
    expected = profile.grid.lines_per_page
    # Full pages: their text reaches the block's foot (pages ended by a signature or a page break don't).
    foot = block_bottom_mm(profile) - _FULL_PAGE_ROOM_LINES * profile.grid.line_pitch_pt * MM_PER_PT
    full_pages = [grid for grid in grids[:-1] if grid.body and line_top_mm(grid.body[-1], profile) >= foot]
    if not full_pages:
        return
    most = max(full_pages, key=lambda grid: len(grid.body))
    if len(most.body) != expected:
        where = _("the fullest, {place}").format(place=page_place(most.page))
        yield Finding("5.2.2", Severity.NORMALLY, _("lines per page"), where, str(len(most.body)), str(expected))


def _chars_per_line(body: list[TextLine], profile: Profile) -> Iterator[Finding]:
    left = profile.page.left_mm
    full = [
        line
        for line, following in pairwise(body)
        if abs(line.x0_mm - left) < _SAME_PLACE_MM
        and abs(following.x0_mm - left) < _SAME_PLACE_MM
        and all(map(is_wide, line.text))
        and line.chars[0].size == following.chars[0].size
    ]
    if len(full) < 3:
        return
    typical = statistics.mode(len(line.text) for line in full)
    expected = profile.grid.chars_per_line
    if typical != expected:
        example = next(line for line in full if len(line.text) == typical)
        where = _("e.g. {place}").format(place=page_place(example.page))
        yield Finding("5.2.2", Severity.NORMALLY, _("characters per full line"), where, str(typical), str(expected))


def _body_size(body: list[TextLine], small: list[TextLine], profile: Profile) -> Iterator[Finding]:
    """The size most text is set in, titles aside. Lines in 4号 are taken for table cells; when
    they are all the text there is (python-docx's 11 pt), they are the body."""
    text = [line for line in body if line.chars[0].size < _LARGE_PT] or small
    sizes = Counter(char.size for line in text for char in line.chars)
    if not sizes:
        return
    size = sizes.most_common(1)[0][0]
    if abs(size - profile.roles[Role.BODY].size_pt) > _SIZE_TOLERANCE_PT:
        yield body_size_finding(_("body"), size, profile)


def _title(first: Grid, profile: Profile) -> Iterator[Finding]:
    """7.3.2: the title, within page 1's first lines, in the title's size (2号)."""
    if first.body and not is_title_size(max(char.size for line in first.body[:3] for char in line.chars), profile):
        measured = f"{first.body[0].chars[0].size:g} pt"
        expected = named_size(profile.roles[Role.TITLE].size_pt)
        yield Finding("7.3.2", Severity.REQUIRED, _("title size"), page_place(1), measured, expected)


def _bold(body: list[TextLine]) -> Iterator[Finding]:
    """7.3.3: the first line below a title's size set in a bold face, if any."""
    for line in body:
        if line.chars[0].size < _LARGE_PT and any("bold" in char.font.lower() for char in line.chars):
            yield bold_finding(page_place(line.page), line.text)
            return


def _line_edges(body: list[TextLine]) -> Iterator[Finding]:
    for line in body:
        if _starts_wrongly(line.text):
            yield Finding(
                "GB/T 15834",
                Severity.RECOMMENDED,
                _("line starts with a closing mark (避头尾)"),
                page_place(line.page),
                line.text[:12] + "…",
                _("no line starts with ，。、；：？！）》” etc. or half a 破折号 (a whole —— may)"),
            )


def _starts_wrongly(text: str) -> bool:
    """Whether a line begins with a mark that may not begin one. A whole 破折号 —— may: GB/T 15834-2011
    5.1.4 forbids only splitting it over two lines, so a lone — at the start (its other half above) is wrong."""
    return not text.startswith(_DASH) and text[0] in (*NO_LINE_START, _DASH[0])


def _page_numbers(grids: list[Grid], profile: Profile, unnumbered: set[int]) -> Iterator[Finding]:
    below_block = profile.page_number.below_block_mm
    expected_dash = block_bottom_mm(profile) + below_block
    for grid in grids:
        where = page_place(grid.page)
        if grid.page in unnumbered:
            if grid.below:
                yield Finding("7.5", Severity.NORMALLY, _("page number"), where, grid.below[0].text, _("none here"))
            continue
        if not grid.below:
            expected = PAGE_NUMBER_FORM.replace("N", str(grid.page))
            yield Finding("7.5", Severity.NORMALLY, _("page number"), where, _("none"), expected)
            continue
        line = grid.below[0]
        problem = page_number_problem(line.text, grid.page)
        if problem:
            yield page_number_text_finding(where, line.text, problem)
        dash = page_number_dash_mm(line, profile)
        if abs(dash - expected_dash) > _PLACE_TOLERANCE_MM:
            expected = _("{height} ({below_block:g} mm under the block)").format(
                height=_mm(expected_dash), below_block=below_block
            )
            yield Finding(
                "7.5",
                Severity.NORMALLY,
                _("page number height"),
                where,
                _("dash at {dash}").format(dash=_mm(dash)),
                expected,
            )
        yield from _page_number_side(line, grid.page, profile)


def _page_number_side(line: TextLine, page: int, profile: Profile) -> Iterator[Finding]:
    """7.5: odd pages' numbers the profile's characters in from the right, even pages' from the left; a
    character of the number's size or of the body's grid (the standard leaves which open)."""
    right_edge = profile.page.width_mm - profile.page.right_mm
    count = profile.page_number.outer_indent_chars
    one_char = (profile.char_unit_pt(profile.page_number.char_unit) * MM_PER_PT, profile.char_pitch_pt * MM_PER_PT)
    if page % 2:
        indent = right_edge - line.x1_mm
        measured, expected = _("{indent} in from the right"), _("{count} in from the right on odd pages")
    else:
        indent = line.x0_mm - profile.page.left_mm
        measured, expected = _("{indent} in from the left"), _("{count} in from the left on even pages")
    if not any(abs(indent - count * unit) <= _PLACE_TOLERANCE_MM for unit in one_char):
        yield Finding(
            "7.5",
            Severity.NORMALLY,
            _("page number position"),
            page_place(page),
            measured.format(indent=_mm(indent)),
            expected.format(count=characters(count)),
        )


def _signature_page(grids: list[Grid]) -> Grid:
    """The page with the 成文日期 (a line that is only a date): attachments and a 版记 may follow it."""
    dated = (grid for grid in reversed(grids) if any(DATE.fullmatch(line.text.strip()) for line in grid.body[1:]))
    return next(dated, grids[-1])


def _signature(last: Grid, profile: Profile, seals: list[Placed]) -> Iterator[Finding]:
    """7.3.5.2: the date's first character the profile's characters right of the signature's first
    character; with seals on the page, 7.3.5.1 and 7.3.5.3: the date the profile's characters in from
    the right (右空四字), and the seals where those clauses put them."""
    lines = list(last.body)
    dates = [i for i, line in enumerate(lines) if DATE.fullmatch(line.text.strip()) and i > 0]
    if not dates:
        return
    date, signature = lines[dates[-1]], lines[dates[-1] - 1]
    char_mm = profile.char_pitch_pt * MM_PER_PT
    where = page_place(last.page)
    if seals:
        expected = profile.seal.date_right_indent_chars
        indent = (profile.page.width_mm - profile.page.right_mm - date.x1_mm) / char_mm
        if abs(indent - expected) > _CHAR_TOLERANCE:
            measured = _("{indent:.1f} characters in").format(indent=indent)
            wording = f"{expected:g} (右空{in_chinese(expected)}字)"
            yield Finding("7.3.5.1", Severity.REQUIRED, _("date with a seal"), where, measured, wording)
        yield from _seal_places(lines, date, seals, profile)
        return
    centre_offset = (date.x0_mm + date.x1_mm) / 2 - (signature.x0_mm + signature.x1_mm) / 2
    if width_in_chars(signature.text) < width_in_chars(date.text) and abs(centre_offset) < _SAME_PLACE_MM:
        yield centred_signature_finding(where, profile)
        return
    expected = profile.signature.date_offset_chars
    shift = (date.x0_mm - signature.x0_mm) / char_mm
    if abs(shift - expected) > _CHAR_TOLERANCE:
        measured = _("date starts {shift:.1f} characters right of the signature").format(shift=shift)
        yield Finding(
            "7.3.5.2", Severity.REQUIRED, _("date under the signature"), where, measured, characters(expected)
        )


def _seal_places(lines: list[TextLine], date: TextLine, seals: list[Placed], profile: Profile) -> Iterator[Finding]:
    """An organ's seal (it covers the date's line): the last one centred on the date, the first
    row's top within a line of the text above (7.3.5.1). A signature seal (it ends above the
    date): the date one blank line under it (7.3.5.3)."""
    ascent = profile.header.em_ascent
    pitch_mm = profile.grid.line_pitch_pt * MM_PER_PT
    where = page_place(date.page)
    top, bottom = min(seal.top_mm for seal in seals), max(seal.bottom_mm for seal in seals)
    if bottom < em_top_mm(date, ascent):
        gap = em_top_mm(date, ascent) - bottom
        if gap < pitch_mm - _PLACE_TOLERANCE_MM:
            yield Finding(
                "7.3.5.3", Severity.REQUIRED, _("date under a signature seal"), where, _mm(gap), _("a blank line")
            )
        return
    last = min(seals, key=lambda seal: abs((seal.x0_mm + seal.x1_mm) / 2 - (date.x0_mm + date.x1_mm) / 2))
    off = (last.x0_mm + last.x1_mm) / 2 - (date.x0_mm + date.x1_mm) / 2
    if abs(off) > _PLACE_TOLERANCE_MM:
        yield Finding(
            "7.3.5.1",
            Severity.REQUIRED,
            _("seal over the date"),
            where,
            _("centre {off:+.1f} mm off").format(off=off),
            _("centred"),
        )
    above = [line for line in lines if em_bottom_mm(line, ascent) <= top + 0.01]
    if above:
        gap = top - em_bottom_mm(above[-1], ascent)
        if gap > pitch_mm + _PLACE_TOLERANCE_MM / 2:
            measured = _("{gap} under the text").format(gap=_mm(gap))
            yield Finding("7.3.5.1", Severity.REQUIRED, _("seal's top"), where, measured, _("within one line"))
