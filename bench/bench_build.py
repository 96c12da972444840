"""PDF speed: docgen's PDF in-process against Typst compiling an equivalent document, and the
whole `docgen build` (DOCX + PDF) against LibreOffice converting that DOCX, in one run.

    python bench/bench_build.py [--repeat 10] [--source data/report.yaml]

Figures, not assertions: compare the ratios within one run on one machine. A missing Typst
(pip install typst) or LibreOffice is reported and its row skipped.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from pypdf import PdfReader

from docgen.compose.document import compose_paragraphs
from docgen.compose.paragraphs import Align, Para, Span
from docgen.jobs.build import lay_out_document
from docgen.layout.fonts import ResolvedFace, fontconfig_file, resolve_faces
from docgen.layout.metrics import font_metrics
from docgen.measure.office import libreoffice, render_with_libreoffice
from docgen.model import Document
from docgen.profile import Profile, load_profile
from docgen.render.pdf.writer import render_pdf
from docgen.source.loader import load_document

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SOURCE = ROOT / "data" / "report.yaml"
PDF_TARGET = 1.0  # docgen PDF / Typst, at most
LIBREOFFICE_TARGET = 3.0  # LibreOffice / docgen build, at least
DOCGEN_AGAIN = "docgen lay out + paint PDF, same document again"
DOCGEN_NEW = "docgen lay out + paint PDF, new document"
TYPST_AGAIN = "Typst compile(path), same file again"
TYPST_NEW = "Typst compile(bytes), new document"
BUILD = "docgen build (DOCX + PDF), subprocess"
LIBREOFFICE = "LibreOffice DOCX → PDF, subprocess"


@dataclass(frozen=True)
class Timing:
    """``runs`` timed repetitions in seconds; ``first`` is the run before them, counted apart.

    ``pages`` and ``characters`` (non-blank, as pypdf extracts them) describe the PDF made.
    """

    label: str
    runs: tuple[float, ...]
    first: float | None
    pages: int
    characters: int

    @property
    def median(self) -> float:
        return statistics.median(self.runs)

    @property
    def best(self) -> float:
        return min(self.runs)


def time_runs(action: Callable[[], object], repeat: int) -> tuple[float, ...]:
    """Wall-clock seconds of ``repeat`` calls of ``action``."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return tuple(times)


def pdf_facts(pdf: Path) -> tuple[int, int]:
    """Pages and non-blank characters of ``pdf``: the check that the outputs are equivalent."""
    pages = PdfReader(pdf).pages
    return len(pages), sum(len("".join(page.extract_text().split())) for page in pages)


# --- 1. docgen's PDF, in-process ---------------------------------------------------------------


def bench_docgen_pdf(document: Document, profile: Profile, repeat: int, folder: Path) -> list[Timing]:
    """Composing, laying out and painting the PDF, with the fonts registered beforehand, as a batch
    worker has them.

    Two views: the same document again and a new document each run (a copy with another
    title). docgen keeps nothing between documents but the fonts, so they differ only by noise.
    """
    font_metrics(profile)

    def paint(doc: Document) -> bytes:
        return render_pdf(lay_out_document(doc, profile, ("pdf",)), profile)

    start = time.perf_counter()
    pdf = paint(document)
    first = time.perf_counter() - start
    target = folder / "docgen.pdf"
    target.write_bytes(pdf)
    facts = pdf_facts(target)
    rows = [Timing(DOCGEN_AGAIN, time_runs(lambda: paint(document), repeat), first, *facts)]
    counter = iter(range(1_000_000))

    def fresh() -> None:
        paint(replace(document, title=f"{document.title}{next(counter)}"))

    rows.append(Timing(DOCGEN_NEW, time_runs(fresh, repeat), None, *facts))
    return rows


# --- 2. Typst, compiling the same paragraphs ----------------------------------------------------


def typst_string(text: str) -> str:
    """A Typst string literal (code mode) holding ``text`` verbatim."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t")
    return f'"{escaped}"'


def tracking(profile: Profile, size_pt: float) -> float:
    """docgen's letter spacing applies to body-sized text only."""
    return profile.grid.letter_spacing_pt if size_pt == profile.roles["body"].size_pt else 0.0


def typst_span(span: Span, profile: Profile, families: dict[str, str], breaks: Sequence[int] = ()) -> str:
    """One span: the body role takes the document's defaults, other roles set face and size."""
    pieces = [span.text[start:end] for start, end in zip((0, *breaks), (*breaks, len(span.text)), strict=True)]
    body = "#linebreak()".join(f"#{typst_string(piece)}" for piece in pieces)
    style = profile.roles[span.role]
    if span.role == "body":
        return body
    spacing = tracking(profile, style.size_pt)
    return f'#text(font: "{families[style.face]}", size: {style.size_pt}pt, tracking: {spacing}pt)[{body}]'


def typst_paragraph(para: Para, profile: Profile, families: dict[str, str]) -> str:
    if not para.spans:  # a blank line: one grid pitch
        return f"#v({profile.grid.line_pitch_pt}pt)"
    breaks = para.forced_breaks if len(para.spans) == 1 else ()
    content = "".join(typst_span(span, profile, families, breaks) for span in para.spans)
    if para.align is Align.CENTER:
        return f"#align(center, par(justify: false)[{content}])"
    if para.align is Align.RIGHT:
        return f"#align(right, pad(right: {para.right_indent_chars}em, par(justify: false)[{content}]))"
    return f"#par(first-line-indent: (amount: {para.first_indent_chars}em, all: true))[{content}]"


def typst_preamble(profile: Profile, families: dict[str, str]) -> list[str]:
    """A4, the profile's margins, faces and sizes; every line box exactly one grid pitch tall."""
    page, grid, body = profile.page, profile.grid, profile.roles["body"]
    number = profile.roles["page_number"]
    rules = profile.page_number
    ascent = grid.baseline_ratio * grid.line_pitch_pt
    outer = profile.char_unit_pt(rules.char_unit)
    number_ascent = grid.baseline_ratio * number.size_pt
    number_text = (
        f'text(font: "{families[number.face]}", size: {number.size_pt}pt, tracking: 0pt, '
        f"top-edge: {number_ascent}pt, bottom-edge: {number_ascent - number.size_pt}pt)[{rules.dash} #n {rules.dash}]"
    )
    return [
        f"#set page(width: {page.width_mm}mm, height: {page.height_mm}mm,",
        f"  margin: (top: {page.top_mm}mm, bottom: {page.bottom_mm}mm,",
        f"    left: {page.left_mm}mm, right: {page.right_mm}mm),",
        f"  footer-descent: {rules.below_block_mm}mm,",
        "  footer: context {",
        "    let n = counter(page).get().first()",
        f"    let number = {number_text}",
        f"    if calc.odd(n) {{ align(right + top, pad(right: {outer}pt, number)) }}",
        f"    else {{ align(left + top, pad(left: {outer}pt, number)) }}",
        "  })",
        f'#set text(font: "{families[body.face]}", size: {body.size_pt}pt, lang: "zh", region: "cn",',
        f"  tracking: {grid.letter_spacing_pt}pt, top-edge: {ascent}pt, bottom-edge: {ascent - grid.line_pitch_pt}pt)",
        "#set par(justify: true, leading: 0pt, spacing: 0pt)",
        "",
    ]


def typst_source(paras: Sequence[Para], profile: Profile, families: dict[str, str]) -> str:
    """The composed paragraphs as a Typst document, one Typst paragraph per docgen paragraph."""
    return "\n".join([*typst_preamble(profile, families), *(typst_paragraph(p, profile, families) for p in paras), ""])


def typst_fonts(faces: dict[str, ResolvedFace], folder: Path) -> tuple[dict[str, str], list[str]]:
    """The Typst family of each face's own file, and the font folders to pass to Typst.

    Typst drops style words from family names ("FandolSong-Bold" is "FandolSong" to it), so a
    face whose family and style Typst finds in another file too gets a copy under its own name.
    """
    import typst

    folders = sorted({str(face.path.parent) for face in faces.values()})
    found = typst.Fonts(include_system_fonts=True, include_embedded_fonts=False, font_paths=folders).fonts()
    by_file = {(Path(info.path).resolve(), info.index): info for info in found if info.path}
    copies = folder / "typst-fonts"
    families: dict[str, str] = {}
    for key, face in faces.items():
        info = by_file.get((face.path.resolve(), face.subfont_index))
        if info is None:
            print(f"note: Typst does not read {face.path}; the face '{key}' is asked for as {face.family}")
            families[key] = face.family
            continue
        variant = (info.family, info.style, info.weight)
        files = {(other.path, other.index) for other in found if (other.family, other.style, other.weight) == variant}
        families[key] = info.family if len(files) == 1 else renamed_copy(face, copies)
    if copies.is_dir():
        folders.append(str(copies))
    return families, folders


def renamed_copy(face: ResolvedFace, folder: Path) -> str:
    """A TrueType copy of ``face`` whose only family name is ``docgen <key>``."""
    from fontTools.ttLib import TTFont

    family = f"docgen {face.key}"
    font = TTFont(face.path, fontNumber=face.subfont_index)
    names = font["name"]
    for name_id in (1, 4, 6, 16, 17):
        names.removeNames(nameID=name_id)
    for name_id, value in ((1, family), (4, family), (6, family.replace(" ", "-"))):
        names.setName(value, name_id, 3, 1, 0x409)
    folder.mkdir(parents=True, exist_ok=True)
    font.save(folder / f"{face.key}.ttf")
    return family


def bench_typst(paras: Sequence[Para], profile: Profile, repeat: int, folder: Path) -> list[Timing]:
    """Typst on the equivalent source: the call as users make it, then a new document per run.

    ``typst.compile(path, …)`` re-reads the fonts each call but reuses what it memoized for
    the same file in an earlier call; source given as bytes is compiled from scratch (measured),
    so with the fonts loaded once (typst.Fonts) that row is the counterpart of docgen's
    new-document row.
    """
    try:
        import typst
    except ImportError:
        print("Typst is not installed (pip install typst): Typst rows skipped")
        return []
    families, folders = typst_fonts(resolve_faces(profile), folder)
    source = typst_source(paras, profile, families)
    faces = ", ".join(f"{key} = {family}" for key, family in families.items())
    print(f"Typst {typst.__version__} (typst-py), {len(paras)} paragraphs, faces: {faces}")
    path, target = folder / "notice.typ", folder / "typst.pdf"
    path.write_text(source, encoding="utf-8")

    def compile_path() -> None:
        typst.compile(str(path), output=str(target), font_paths=folders)

    first = time_runs(compile_path, 1)[0]
    facts = pdf_facts(target)
    rows = [Timing(TYPST_AGAIN, time_runs(compile_path, repeat), first, *facts)]
    fonts = typst.Fonts(include_system_fonts=False, font_paths=folders)
    typst.compile(source.encode(), format="pdf", font_paths=fonts)  # fonts parsed before timing
    runs = iter(range(repeat))

    def compile_new() -> None:
        typst.compile(f"// run {next(runs)}\n{source}".encode(), format="pdf", font_paths=fonts)

    rows.append(Timing(TYPST_NEW, time_runs(compile_new, repeat), None, *facts))
    return rows


# --- 3. The whole build against LibreOffice -----------------------------------------------------


def docgen_command() -> list[str]:
    program = shutil.which("docgen")
    return [program] if program else [sys.executable, "-m", "docgen.cli"]


def bench_build(source: Path, repeat: int, folder: Path) -> Timing:
    """`docgen build SOURCE -o OUT --force` as a subprocess (--force: the build stamp would skip it)."""
    out = folder / "build"
    command = [*docgen_command(), "build", str(source), "-o", str(out), "--force"]

    def build() -> None:
        subprocess.run(command, check=True, capture_output=True)

    first = time_runs(build, 1)[0]
    return Timing(BUILD, time_runs(build, repeat), first, *pdf_facts(out / f"{source.stem}.pdf"))


def bench_libreoffice(docx: Path, profile: Profile, repeat: int, folder: Path) -> Timing | None:
    """LibreOffice converting docgen's DOCX, as `docgen check` has it do (a private profile each run)."""
    if not libreoffice():
        print("LibreOffice is not installed (soffice): LibreOffice row skipped")
        return None
    fontconfig = fontconfig_file(profile, resolve_faces(profile))
    out = folder / "libreoffice"

    def convert() -> None:
        render_with_libreoffice(docx, fontconfig, out)

    first = time_runs(convert, 1)[0]
    return Timing(LIBREOFFICE, time_runs(convert, repeat), first, *pdf_facts(out / f"{docx.stem}.pdf"))


# --- Report -------------------------------------------------------------------------------------


def print_table(rows: Sequence[Timing], repeat: int) -> None:
    print(f"\n{'seconds':40} {'median':>7} {'best':>7} {'first':>7} {'pages':>6} {'chars':>7}")
    for row in rows:
        first = f"{row.first:7.3f}" if row.first is not None else f"{'':7}"
        print(f"{row.label:40} {row.median:7.3f} {row.best:7.3f} {first} {row.pages:6} {row.characters:7,}")
    print(f"median and best of {repeat} runs; first: the run before them, counted apart; chars: non-blank, in the PDF")


def ratio(numerator: Timing | None, denominator: Timing | None) -> str:
    if numerator is None or denominator is None:
        return "n/a (a row was skipped)"
    return f"{numerator.median / denominator.median:.2f}"


def print_ratios(rows: dict[str, Timing]) -> None:
    pdf_new = ratio(rows.get(DOCGEN_NEW), rows.get(TYPST_NEW))
    pdf_again = ratio(rows.get(DOCGEN_AGAIN), rows.get(TYPST_AGAIN))
    lo = ratio(rows.get(LIBREOFFICE), rows.get(BUILD))
    print("\nratios of medians")
    print(f"  docgen PDF / Typst, new document each run:  {pdf_new} (target ≤ {PDF_TARGET})")
    print(f"  docgen PDF / Typst, same document again:    {pdf_again}")
    print(f"  LibreOffice / docgen build:                 {lo} (target ≥ {LIBREOFFICE_TARGET})")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=10, help="timed runs per row (default 10)")
    parser.add_argument("--source", type=Path, default=DEFAULT_SOURCE, help="YAML source (default data/report.yaml)")
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    profile = load_profile()
    document = load_document(args.source)
    paras = compose_paragraphs(document, profile)
    print(f"{args.source.name}: {len(paras)} paragraphs, {sum(len(p.text) for p in paras):,} characters")
    with tempfile.TemporaryDirectory(prefix="bench-build-") as name:
        folder = Path(name)
        rows = bench_docgen_pdf(document, profile, args.repeat, folder)
        rows += bench_typst(paras, profile, args.repeat, folder)
        build = bench_build(args.source, args.repeat, folder)
        rows.append(build)
        converted = bench_libreoffice(folder / "build" / f"{args.source.stem}.docx", profile, args.repeat, folder)
        rows += [converted] if converted else []
    print_table(rows, args.repeat)
    print_ratios({row.label: row for row in rows})
    return 0


if __name__ == "__main__":
    sys.exit(main())
