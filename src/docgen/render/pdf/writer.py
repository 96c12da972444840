"""PDF renderer: composed paragraphs + layout profile → PDF with ReportLab, every glyph placed on the grid."""

from __future__ import annotations

import io
from pathlib import Path

from reportlab.lib.colors import HexColor
from reportlab.lib.rl_accel import escapePDF, fp_str
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas

from docgen.compose.document import compose_paragraphs
from docgen.compose.paragraphs import Align, Anchor, Decoration, Label, Para, Picture, Rule, Span
from docgen.layout.metrics import FontMetrics, font_metrics
from docgen.layout.typeset import Glyph, LaidPage, Line, PageLine, RowBand, layout, width_of
from docgen.model import Document, Kind
from docgen.profile import Profile, mm_to_pt
from docgen.text.numbering import official_date

_PDF_VERSION = (1, 4)


def render_pdf(document: Document, profile: Profile, font_dir: Path | None = None) -> bytes:
    fonts = font_metrics(profile, font_dir)
    paras = compose_paragraphs(document, profile)
    pages = layout(paras, lambda para: fonts.lines(para, profile), profile, letter=document.kind is Kind.LETTER)
    buffer = io.BytesIO()
    page = profile.page
    canvas = Canvas(
        buffer,
        pagesize=(mm_to_pt(page.width_mm), mm_to_pt(page.height_mm)),
        invariant=1,
        pageCompression=1,
        # Seals are drawn with soft masks (SMask, PDF 1.4); ReportLab raises the version it declares
        # for its own transparency settings only, not for an image's mask.
        pdfVersion=_PDF_VERSION,
        initialFontName=fonts.names[profile.roles["body"].face],
    )
    canvas.setTitle(document.title)
    canvas.setAuthor("、".join(document.organs))
    canvas.setSubject(f"{document.title}（{official_date(document.signature.date)}）")
    canvas.setCreator("docgen")
    canvas.setProducer("docgen")
    for number, laid in enumerate(pages, start=1):
        if laid.landscape:
            _draw_turned(canvas, laid, profile)
        for page_line in [] if laid.landscape else laid.lines:
            if isinstance(page_line.line, RowBand):
                page_top = mm_to_pt(profile.page.height_mm - profile.page.top_mm)
                _draw_row(canvas, page_line.line, mm_to_pt(profile.page.left_mm), page_top - page_line.top, profile)
                continue
            _draw_line(canvas, page_line, profile)
            _draw_decorations(canvas, page_line, profile, fonts)
        if laid.numbered:
            _draw_page_number(canvas, number, profile, fonts)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _draw_line(canvas: Canvas, page_line: PageLine, profile: Profile) -> None:
    line = page_line.line
    page = profile.page
    top = mm_to_pt(page.top_mm) + page_line.top
    baseline = mm_to_pt(page.height_mm) - top - profile.grid.baseline_ratio * line.height
    left = mm_to_pt(page.left_mm)
    if line.glyphs:
        _draw_runs(canvas, line.glyphs, left + _start(line), baseline, _extra_per_gap(line))
    for tab in line.tabs:
        _draw_runs(canvas, tab.glyphs, left + tab.x, baseline, 0.0)


def _draw_turned(canvas: Canvas, laid: LaidPage, profile: Profile) -> None:
    """A landscape table's page: the frame turned a quarter left, so the table's head faces the
    page's left edge (the binding edge of odd pages, the outer edge of even ones, clause 8) and
    its rows run up from the block's foot; the page number stays where it is on other pages."""
    page = profile.page
    foot = mm_to_pt(page.height_mm - page.top_mm) - profile.grid.lines_per_page * profile.grid.line_pitch_pt
    canvas.saveState()
    canvas.translate(mm_to_pt(page.left_mm), foot)
    canvas.rotate(90)
    rows = [page_line.line for page_line in laid.lines if isinstance(page_line.line, RowBand)]
    for page_line, row in zip(laid.lines, rows, strict=True):
        _draw_row(canvas, row, 0.0, -page_line.top, profile, column_edges=False)
    depth = laid.lines[-1].top + rows[-1].height
    canvas.setStrokeColor(HexColor("#000000"))
    canvas.setLineWidth(mm_to_pt(profile.table.border_mm))
    for edge in rows[0].edges:  # one line down the whole page for each column edge, as Word draws them
        canvas.line(edge, 0.0, edge, -depth)
    canvas.restoreState()


def _draw_row(
    canvas: Canvas, row: RowBand, left: float, y_top: float, profile: Profile, column_edges: bool = True
) -> None:
    """A table row whose top-left corner is at (left, y_top): borders on the cell edges (the
    column edges left to the caller when ``column_edges`` is off), each cell's lines centred
    vertically in the row."""
    y_bottom = y_top - row.height
    canvas.setStrokeColor(HexColor("#000000"))
    canvas.setLineWidth(mm_to_pt(profile.table.border_mm))
    canvas.line(left + row.edges[0], y_top, left + row.edges[-1], y_top)
    canvas.line(left + row.edges[0], y_bottom, left + row.edges[-1], y_bottom)
    for edge in row.edges if column_edges else ():
        canvas.line(left + edge, y_top, left + edge, y_bottom)
    pitch = profile.table.cell_line_pitch_pt
    padding = mm_to_pt(profile.table.cell_padding_mm)
    for cell, x0, x1 in zip(row.cells, row.edges, row.edges[1:], strict=False):
        # Turned cells start at the row's edge: LibreOffice doesn't centre sideways text as Word does.
        first_top = y_top - (0.0 if row.landscape else (row.height - len(cell.rows) * pitch) / 2)
        for index, glyphs in enumerate(cell.rows):
            baseline = first_top - index * pitch - profile.grid.baseline_ratio * pitch
            x = left + (x0 + x1 - width_of(glyphs)) / 2 if cell.centred else left + x0 + padding
            _draw_runs(canvas, glyphs, x, baseline, 0.0)


def _origin(profile: Profile, page_line: PageLine, decoration: Decoration) -> tuple[float, float]:
    """A decoration's (x, y) on the page in PDF coordinates (y up from the page's bottom)."""
    page = profile.page
    x = decoration.x0_pt if isinstance(decoration, Rule) else decoration.x_pt
    y = decoration.baseline_pt if isinstance(decoration, Label) else decoration.y_pt
    if decoration.anchor is Anchor.PARA:
        y += page_line.top
    return mm_to_pt(page.left_mm) + x, mm_to_pt(page.height_mm - page.top_mm) - y


def _draw_decorations(canvas: Canvas, page_line: PageLine, profile: Profile, fonts: FontMetrics) -> None:
    for decoration in page_line.line.decorations:
        x, y = _origin(profile, page_line, decoration)
        if isinstance(decoration, Rule):
            canvas.setStrokeColor(HexColor(f"#{decoration.color}"))
            canvas.setLineWidth(decoration.width_pt)
            canvas.line(x, y, x + decoration.x1_pt - decoration.x0_pt, y)
        elif isinstance(decoration, Picture):
            from docgen.render.images import draw_image  # image support loads only for documents with pictures

            draw_image(canvas, decoration.image, x, y - decoration.height_pt, decoration.width_pt, decoration.height_pt)
        else:
            glyphs = fonts.glyphs(Para("label", (decoration.span,)), profile)
            _draw_runs(canvas, tuple(glyphs), x, y, 0.0)


def _start(line: Line) -> float:
    if line.align is Align.CENTER:
        return line.left + (line.available - line.natural_width) / 2
    if line.align is Align.RIGHT:
        return line.left + line.available - line.natural_width
    return line.left


def _extra_per_gap(line: Line) -> float:
    """Space added (or, for a squeezed line, taken) between glyphs so both edges are flush."""
    if not line.stretch or len(line.glyphs) < 2:
        return 0.0
    return (line.available - line.natural_width) / (len(line.glyphs) - 1)


def _draw_runs(canvas: Canvas, glyphs: tuple[Glyph, ...], x: float, baseline: float, extra: float) -> None:
    """One text object per stretch of glyphs sharing font, size, spacing and font subset.

    The operators are written directly (ReportLab's text object costs more than the rest of
    the page). Each stretch starts at its own computed position rather than relying on the
    letter spacing carried over from the previous string, which some readers (pdfminer) drop.
    """
    positions = []
    for glyph in glyphs:
        positions.append(x)
        x += glyph.width + glyph.spacing + extra
    document = canvas._doc
    start = 0
    while start < len(glyphs):
        first = glyphs[start]
        end = start + 1
        while end < len(glyphs) and (glyphs[end].font, glyphs[end].size, glyphs[end].spacing, glyphs[end].color) == (
            first.font, first.size, first.spacing, first.color
        ):  # fmt: skip
            end += 1
        font = pdfmetrics.getFont(first.font)
        color = " ".join(fp_str(int(first.color[i : i + 2], 16) / 255) for i in (0, 2, 4))
        head = f"{fp_str(first.size)} Tf {fp_str(first.spacing + extra)} Tc 1 0 0 1"
        offset = start
        for subset, encoded in font.splitString("".join(g.char for g in glyphs[start:end]), document):
            name = font.getSubsetInternalName(subset, document)
            position = f"{fp_str(positions[offset])} {fp_str(baseline)}"
            canvas._code.append(f"BT {color} rg {name} {head} {position} Tm ({escapePDF(encoded)}) Tj ET")
            offset += len(encoded)
        start = end


def _draw_page_number(canvas: Canvas, number: int, profile: Profile, fonts: FontMetrics) -> None:
    """`— N —` with its 一字线 below_block_mm under the block; odd pages right, even pages left (7.5)."""
    rules = profile.page_number
    page = profile.page
    text = f"{rules.dash} {number} {rules.dash}"
    glyphs = tuple(fonts.glyphs(Para("page_number", (Span(text, "page_number"),)), profile))
    indent = rules.outer_indent_chars * profile.char_unit_pt(rules.char_unit)
    odd = number % 2 == 1
    width = width_of(glyphs)
    x = mm_to_pt(page.width_mm - page.right_mm) - indent - width if odd else mm_to_pt(page.left_mm) + indent
    baseline = mm_to_pt(page.bottom_mm - profile.page_number_baseline_mm)  # from the page's bottom edge
    _draw_runs(canvas, glyphs, x, baseline, 0.0)
