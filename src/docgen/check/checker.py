"""`docgen check`: measure a DOCX or PDF against GB/T 9704 and say what is off.

PDFs are measured from their page content (docgen.measure.pdf, the same code the tests use).
DOCX files are read statically from their XML and, when LibreOffice is installed, also
measured from LibreOffice's rendering of them.
"""

from __future__ import annotations

import math
import re
import stat
import statistics
import tempfile
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, replace
from itertools import pairwise
from pathlib import Path

from docgen.check.formats import check_colophon, check_head, read_head, unnumbered_pages
from docgen.errors import DocgenError
from docgen.files import bounded
from docgen.files.bounded import Budget
from docgen.limits import MiB
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
    read_layout,
)
from docgen.profile import MM_PER_PT, Profile
from docgen.text.cjk import NO_LINE_START, is_wide, width_in_chars
from docgen.text.rules import DATE, date_problems, document_number_problem, page_number_problem

REQUIRED, NORMALLY, RECOMMENDED = "required", "normally", "recommended"
_MARGIN_TOLERANCE_MM = 1.0  # the standard's own ±1 mm for 天头 and 订口
_DASH = "——"  # 破折号: two 一字线 (U+2014)

# Reading a PDF may take this long and this much memory, plus an allowance per MB of file: docgen's
# 456-page PDF of 5,000 paragraphs (0.55 MB) takes about 20 s and 300 MB, while a hostile file of a
# few KB can ask the PDF readers for hours or gigabytes (a reference loop, nested drawings, a Flate bomb).
PDF_BUDGET = Budget(seconds=20, memory_bytes=512 * MiB)
_PDF_SECONDS_PER_MIB = 120
_PDF_MEMORY_PER_BYTE = 1024


@dataclass(frozen=True)
class Finding:
    clause: str
    severity: str  # required / normally / recommended, as the standard words the rule
    rule: str
    where: str
    measured: str
    expected: str

    def __str__(self) -> str:
        where = f"{self.severity.upper():11} {self.clause:10} {self.where}"
        return f"{where}: {self.rule}: {self.measured} (expected {self.expected})"

    def as_dict(self) -> dict[str, str]:
        return asdict(self)


def has_required_failure(findings: Iterable[Finding]) -> bool:
    return any(finding.severity == REQUIRED for finding in findings)


def check_file(path: Path, profile: Profile, render_docx: bool = True) -> list[Finding]:
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        return collapse(check_pdf(path, profile))
    if suffix == ".docx":
        from docgen.check.docx import check_docx

        findings = check_docx(path, profile)
        if render_docx:
            findings.extend(_check_rendered_docx(path, profile))
        return collapse(findings)
    raise DocgenError(f"{path}: docgen check reads .docx and .pdf files")


def collapse(findings: list[Finding]) -> list[Finding]:
    """One finding for a rule broken the same way in many places, naming the places."""
    groups: dict[tuple[str, ...], list[Finding]] = {}
    for finding in findings:
        place = re.sub(r"\d+", "N", finding.where)
        key = (finding.clause, finding.severity, finding.rule, place, re.sub(r"\d+", "N", finding.expected))
        groups.setdefault(key, []).append(finding)
    merged = []
    for group in groups.values():
        first = group[0]
        if len(group) == 1:
            merged.append(first)
            continue
        numbers = ", ".join(re.findall(r"\d+", finding.where)[-1] for finding in group[:6])
        more = f" … ({len(group)} in all)" if len(group) > 6 else ""
        where = re.sub(r"(page|paragraph) \d+", rf"\1s {numbers}{more}", first.where, count=1)
        merged.append(replace(first, where=where, measured=f"e.g. {first.measured}"))
    return merged


def _check_rendered_docx(path: Path, profile: Profile) -> list[Finding]:
    from docgen.layout.fonts import fontconfig_file, resolve_faces
    from docgen.measure.office import libreoffice, render_with_libreoffice

    if not libreoffice():
        return []
    try:
        fontconfig = fontconfig_file(profile, resolve_faces(profile))
    except DocgenError:
        return []
    with tempfile.TemporaryDirectory(prefix="docgen-check-") as folder:
        rendered = render_with_libreoffice(path, fontconfig, Path(folder))
        findings = check_pdf(rendered, profile)
    return [replace(finding, where=f"as LibreOffice renders it, {finding.where}") for finding in findings]


def check_pdf(path: Path, profile: Profile, budget: Budget | None = None) -> list[Finding]:
    """The findings for ``path``, read within ``budget`` (by default PDF_BUDGET and its allowance
    for the file's size): "too complex to check" rather than a hang, "not a readable PDF" rather than
    a traceback."""
    if budget is None:
        budget = PDF_BUDGET.scaled(_regular_size(path), _PDF_SECONDS_PER_MIB, _PDF_MEMORY_PER_BYTE)
    layout, font_findings = bounded.call(_read, path, budget=budget, failure=f"{path}: too complex to check")
    pages = layout.pages
    if not any(page.lines for page in pages):
        return [Finding("—", REQUIRED, "text", "whole file", "no text layer", "text to measure (not a scan)")]
    head = read_head(pages[0], layout.strokes, profile)
    placed = [grid_of(page, profile) for page in pages]
    grids = [_without(grid, head.lines) for grid in placed]
    small = [line for grid in placed for line in grid.body if is_table_cell(line) and line not in head.lines]
    body = [line for grid in grids for line in grid.body]
    letter = head.kind == "letter"
    signed = _signature_page(grids)
    strokes = layout.strokes
    return [
        *_page_size(pages),
        *_text_block(body, [line for grid in (grids[1:] if head.mark else grids) for line in grid.body], profile),
        *_line_pitch(grids, profile),
        *_lines_per_page(grids[1:] if head.mark else grids, profile),
        *_chars_per_line(body, profile),
        *_body_size(body, small, profile),
        *(_title(grids[0]) if head.kind != "order" else ()),
        *_bold(body),
        *_line_edges(body),
        *_page_numbers(grids, profile, unnumbered_pages(pages, letter, profile)),
        *_text_rules((f"page {line.page}", line.text) for line in (*head.lines, *body)),
        *_signature(signed, profile, [p for p in layout.pictures if p.page == signed.page]),
        *font_findings,
        *(Finding(*problem) for problem in check_head(head, strokes, profile)),
        *(Finding(*problem) for problem in check_colophon(pages, strokes, letter, profile)),
    ]


def _regular_size(path: Path) -> int:
    """The file's size; a pipe or a device is refused (reading one could wait for ever)."""
    try:
        status = path.stat()
    except OSError as error:
        raise DocgenError(f"{path}: cannot read it ({error.strerror})") from None
    if not stat.S_ISREG(status.st_mode):
        raise DocgenError(f"{path}: not a regular file (docgen check reads .docx and .pdf files)")
    return status.st_size


def _read(path: Path) -> tuple[Layout, list[Finding]]:
    """All check_pdf reads of the file (run in a bounded child); a damaged file is a DocgenError."""
    try:
        return read_layout(path), list(_embedded_fonts(path))
    except Exception as error:  # pdfminer and pypdf raise many kinds on a damaged file
        raise _unreadable(path, error) from None


def _unreadable(path: Path, error: Exception) -> Exception:
    """What to report for ``error``, looking behind pdfplumber's wrapping of pdfminer's exceptions."""
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.psexceptions import PSEOF
    from pypdf.errors import FileNotDecryptedError

    behind = list(_chain(error))
    if any(isinstance(cause, MemoryError) for cause in behind):
        return MemoryError()  # the budget's to report, with its figure
    if any(isinstance(cause, RecursionError) for cause in behind):
        return DocgenError(f"{path}: too complex to check: its objects are nested too deeply")
    if any(isinstance(cause, PDFPasswordIncorrect | PDFEncryptionError | FileNotDecryptedError) for cause in behind):
        return DocgenError(f"{path}: encrypted with a password; docgen check needs a copy without one")
    if any(isinstance(cause, PSEOF) for cause in behind):
        return DocgenError(f"{path}: not a readable PDF: it ends too early (cut short?)")
    return DocgenError(f"{path}: not a readable PDF ({str(error) or type(error).__name__})")


def _chain(error: BaseException | None) -> Iterator[BaseException]:
    """``error`` and the exceptions it was raised from or while handling."""
    while error is not None:
        yield error
        error = error.__cause__ or error.__context__


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


def _page_size(pages: list[Page]) -> Iterator[Finding]:
    for page in pages:
        if abs(page.width_mm - 210) > 1 or abs(page.height_mm - 297) > 1:
            yield Finding(
                "5.2.1",
                REQUIRED,
                "paper size",
                f"page {page.number}",
                f"{page.width_mm:.0f} × {page.height_mm:.0f} mm",
                "A4, 210 × 297 mm",
            )
            return


def margin_finding(name: str, where: str, measured_mm: float, expected_mm: float) -> Finding | None:
    """Outside the standard's ±1 mm: required; off the value by over 0.5 mm but inside it: recommended."""
    off = abs(measured_mm - expected_mm)
    if off <= 0.5:
        return None
    severity = REQUIRED if off > _MARGIN_TOLERANCE_MM + 0.05 else RECOMMENDED
    return Finding("5.2.2", severity, name, where, _mm(measured_mm), f"{expected_mm:g} mm ± 1")


def _text_block(body: list[TextLine], below_heads: list[TextLine], profile: Profile) -> Iterator[Finding]:
    """Margins from the text: ``below_heads`` are the lines of pages without a 版头, for the 天头."""
    page = profile.page
    measured = [*_side_margins(body, profile)]
    tops = [line_top_mm(line, profile) for line in below_heads if line.chars[0].size >= 15]
    top = min(tops, default=page.top_mm)
    measured.append(margin_finding("top margin (天头)", "first lines", top, page.top_mm))
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
    yield margin_finding("right margin", "full lines", page.width_mm - edge, page.right_mm)
    if after_full:
        yield margin_finding("left margin (订口)", "body lines", min(line.x0_mm for line in after_full), page.left_mm)


def _pitches(grids: list[Grid]) -> list[float]:
    gaps = []
    for grid in grids:
        body = [line for line in grid.body if line.chars[0].size < 20]
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
        yield Finding(
            "5.2.2", NORMALLY, "line pitch", "body",
            f"{pitch / MM_PER_PT:.2f} pt: {capacity} lines fit the block",
            f"{profile.grid.line_pitch_pt} pt, {profile.grid.lines_per_page} lines",
        )  # fmt: skip


def _lines_per_page(grids: list[Grid], profile: Profile) -> Iterator[Finding]:
    """The most lines any full page holds (a page may end early to keep a heading with its text)."""
    expected = profile.grid.lines_per_page
    # Full pages: their text reaches the block's foot (pages ended by a signature or a page break don't).
    foot = profile.page.height_mm - profile.page.bottom_mm - 2.5 * profile.grid.line_pitch_pt * MM_PER_PT
    full_pages = [grid for grid in grids[:-1] if grid.body and line_top_mm(grid.body[-1], profile) >= foot]
    if not full_pages:
        return
    most = max(full_pages, key=lambda grid: len(grid.body))
    if len(most.body) != expected:
        yield Finding(
            "5.2.2", NORMALLY, "lines per page", f"fullest page ({most.page})", str(len(most.body)), str(expected)
        )


def _chars_per_line(body: list[TextLine], profile: Profile) -> Iterator[Finding]:
    left = profile.page.left_mm
    full = [
        line
        for line, following in pairwise(body)
        if abs(line.x0_mm - left) < 1
        and abs(following.x0_mm - left) < 1
        and all(map(is_wide, line.text))
        and line.chars[0].size == following.chars[0].size
    ]
    if len(full) < 3:
        return
    typical = statistics.mode(len(line.text) for line in full)
    if typical != profile.grid.chars_per_line:
        example = next(line for line in full if len(line.text) == typical)
        yield Finding(
            "5.2.2",
            NORMALLY,
            "characters per full line",
            f"e.g. page {example.page}",
            str(typical),
            str(profile.grid.chars_per_line),
        )


def _body_size(body: list[TextLine], small: list[TextLine], profile: Profile) -> Iterator[Finding]:
    """The size most text is set in, titles (20 pt and over) aside. Lines under 15 pt are taken for
    table cells; when they are all the text there is (python-docx's 11 pt), they are the body."""
    text = [line for line in body if line.chars[0].size < 20] or small
    sizes = Counter(char.size for line in text for char in line.chars)
    if not sizes:
        return
    size = sizes.most_common(1)[0][0]
    expected = profile.roles["body"].size_pt
    if abs(size - expected) > 0.3:
        yield Finding("7.1", REQUIRED, "body size", "body", f"{size:g} pt", f"{expected:g} pt (3号)")


def _title(first: Grid) -> Iterator[Finding]:
    if first.body and max(char.size for line in first.body[:3] for char in line.chars) < 21.5:
        yield Finding("7.3.2", REQUIRED, "title size", "page 1", f"{first.body[0].chars[0].size:g} pt", "22 pt (2号)")


def _bold(body: list[TextLine]) -> Iterator[Finding]:
    for line in body:
        if line.chars[0].size < 20 and any("bold" in char.font.lower() for char in line.chars):
            yield Finding(
                "7.3.3",
                RECOMMENDED,
                "bold text",
                f"page {line.page}",
                line.text[:16] + "…",
                "no bold: headings differ by face (黑体, 楷体), not weight",
            )
            return


def _line_edges(body: list[TextLine]) -> Iterator[Finding]:
    for line in body:
        if _starts_wrongly(line.text):
            yield Finding(
                "GB/T 15834",
                RECOMMENDED,
                "line starts with a closing mark (避头尾)",
                f"page {line.page}",
                line.text[:12] + "…",
                "no line starts with ，。、；：？！）》” etc. or half a 破折号 (a whole —— may)",
            )


def _starts_wrongly(text: str) -> bool:
    """Whether a line begins with a mark that may not begin one. A whole 破折号 —— may: GB/T 15834-2011
    5.1.4 forbids only splitting it over two lines, so a lone — at the start (its other half above) is wrong."""
    return not text.startswith(_DASH) and text[0] in (*NO_LINE_START, _DASH[0])


def _page_numbers(grids: list[Grid], profile: Profile, unnumbered: set[int]) -> Iterator[Finding]:
    block_bottom = profile.page.height_mm - profile.page.bottom_mm
    expected_dash = block_bottom + profile.page_number.below_block_mm
    for grid in grids:
        if grid.page in unnumbered:
            if grid.below:
                yield Finding("7.5", NORMALLY, "page number", f"page {grid.page}", grid.below[0].text, "none here")
            continue
        if not grid.below:
            yield Finding("7.5", NORMALLY, "page number", f"page {grid.page}", "none", f"— {grid.page} —")
            continue
        line = grid.below[0]
        problem = page_number_problem(line.text, grid.page)
        if problem:
            yield Finding(
                "7.5", NORMALLY, "page number text", f"page {grid.page}", f"{line.text.strip()}: {problem}", "— N —"
            )
        dash = page_number_dash_mm(line, profile)
        if abs(dash - expected_dash) > _MARGIN_TOLERANCE_MM:
            yield Finding(
                "7.5",
                NORMALLY,
                "page number height",
                f"page {grid.page}",
                f"dash at {_mm(dash)}",
                f"{_mm(expected_dash)} (7 mm under the block)",
            )
        yield from _page_number_side(line, grid.page, profile)


def _page_number_side(line: TextLine, page: int, profile: Profile) -> Iterator[Finding]:
    right_edge = profile.page.width_mm - profile.page.right_mm
    one_char = (profile.char_unit_pt("page_number") * MM_PER_PT, profile.char_pitch_pt * MM_PER_PT)
    if page % 2:
        indent, side = right_edge - line.x1_mm, "right"
    else:
        indent, side = line.x0_mm - profile.page.left_mm, "left"
    if not any(abs(indent - unit) <= 1.0 for unit in one_char):
        yield Finding(
            "7.5",
            NORMALLY,
            "page number position",
            f"page {page}",
            f"{_mm(indent)} in from the {side}",
            f"1 character in from the {side} on {'odd' if page % 2 else 'even'} pages",
        )


def _text_rules(lines: Iterable[tuple[str, str]]) -> Iterator[Finding]:
    for where, text in lines:
        for problem in date_problems(text):
            yield Finding("7.3.5.4", REQUIRED, "date format", where, problem.found, problem.fix or problem.expected)
        problem = document_number_problem(text)
        if problem:
            yield Finding("7.2.4", REQUIRED, "document number (发文字号)", where, text.strip(), problem)


def _signature_page(grids: list[Grid]) -> Grid:
    """The page with the 成文日期 (a line that is only a date): attachments and a 版记 may follow it."""
    dated = (grid for grid in reversed(grids) if any(DATE.fullmatch(line.text.strip()) for line in grid.body[1:]))
    return next(dated, grids[-1])


def _signature(last: Grid, profile: Profile, seals: list[Placed]) -> Iterator[Finding]:
    """7.3.5.2: the date's first character 2 characters right of the signature's first character;
    with seals on the page, 7.3.5.1 and 7.3.5.3: the date 4 characters in from the right, and the
    seals where those clauses put them."""
    lines = list(last.body)
    dates = [i for i, line in enumerate(lines) if DATE.fullmatch(line.text.strip()) and i > 0]
    if not dates:
        return
    date, signature = lines[dates[-1]], lines[dates[-1] - 1]
    char_mm = profile.char_pitch_pt * MM_PER_PT
    if seals:
        indent = (profile.page.width_mm - profile.page.right_mm - date.x1_mm) / char_mm
        if abs(indent - profile.seal.date_right_indent_chars) > 0.5:
            where = f"page {last.page}"
            yield Finding("7.3.5.1", REQUIRED, "date with a seal", where, f"{indent:.1f} characters in", "4 (右空四字)")
        yield from _seal_places(lines, date, seals, profile)
        return
    centre_offset = (date.x0_mm + date.x1_mm) / 2 - (signature.x0_mm + signature.x1_mm) / 2
    if width_in_chars(signature.text) < width_in_chars(date.text) and abs(centre_offset) < 1.0:
        yield Finding(
            "7.3.5.2",
            REQUIRED,
            "signature centred over the date",
            f"page {last.page}",
            "centred",
            "signature 2 characters in from the right, date 2 characters right of its start",
        )
        return
    shift = (date.x0_mm - signature.x0_mm) / char_mm
    if abs(shift - 2) > 0.5:
        yield Finding(
            "7.3.5.2",
            REQUIRED,
            "date under the signature",
            f"page {last.page}",
            f"date starts {shift:.1f} characters right of the signature",
            "2 characters",
        )


def _seal_places(lines: list[TextLine], date: TextLine, seals: list[Placed], profile: Profile) -> Iterator[Finding]:
    """An organ's seal (it covers the date's line): the last one centred on the date, the first
    row's top within a line of the text above (7.3.5.1). A signature seal (it ends above the
    date): the date one blank line under it (7.3.5.3)."""
    ascent = profile.header.em_ascent
    pitch_mm = profile.grid.line_pitch_pt * MM_PER_PT
    where = f"page {date.page}"
    top, bottom = min(seal.top_mm for seal in seals), max(seal.bottom_mm for seal in seals)
    if bottom < em_top_mm(date, ascent):
        gap = em_top_mm(date, ascent) - bottom
        if gap < pitch_mm - _MARGIN_TOLERANCE_MM:
            yield Finding("7.3.5.3", REQUIRED, "date under a signature seal", where, _mm(gap), "a blank line")
        return
    last = min(seals, key=lambda seal: abs((seal.x0_mm + seal.x1_mm) / 2 - (date.x0_mm + date.x1_mm) / 2))
    off = (last.x0_mm + last.x1_mm) / 2 - (date.x0_mm + date.x1_mm) / 2
    if abs(off) > _MARGIN_TOLERANCE_MM:
        yield Finding("7.3.5.1", REQUIRED, "seal over the date", where, f"centre {off:+.1f} mm off", "centred")
    above = [line for line in lines if em_bottom_mm(line, ascent) <= top + 0.01]
    if above:
        gap = top - em_bottom_mm(above[-1], ascent)
        if gap > pitch_mm + _MARGIN_TOLERANCE_MM / 2:
            yield Finding("7.3.5.1", REQUIRED, "seal's top", where, f"{_mm(gap)} under the text", "within one line")


def _embedded_fonts(path: Path) -> Iterator[Finding]:
    """A finding per font not embedded; entries that are not font dictionaries (an array, a name)
    are not fonts a reader could use, and are passed over like any other damage in the file."""
    from pypdf import PdfReader

    seen = set()
    for page in PdfReader(path).pages:
        fonts = _dictionary(_dictionary(page.get("/Resources")).get("/Font"))
        for entry in fonts.values():
            font = _dictionary(entry)
            name = str(font.get("/BaseFont", "?"))
            if font and not _embeds(font) and name not in seen:
                seen.add(name)
                yield Finding(
                    "—",
                    REQUIRED,
                    "font not embedded",
                    f"page {page.page_number + 1}",
                    name,
                    "every font embedded, or the print depends on the reader's fonts",
                )


def _embeds(font: dict) -> bool:
    """Whether the font's descriptor (a composite font's: its first descendant's) holds a font file."""
    descendants = _resolved(font.get("/DescendantFonts"))
    if isinstance(descendants, list) and descendants:
        font = _dictionary(descendants[0])
    descriptor = _dictionary(font.get("/FontDescriptor"))
    return any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))


def _dictionary(value: object) -> dict:
    """``value`` (resolved) if it is a dictionary (pypdf's are dicts), else an empty one."""
    value = _resolved(value)
    return value if isinstance(value, dict) else {}


def _resolved(value: object) -> object:
    """The object an indirect reference points to, followed once (a reference to itself stays unresolved)."""
    return value.get_object() if hasattr(value, "get_object") else value
