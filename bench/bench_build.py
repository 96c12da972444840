"""The speed table of issue #17, each row docgen beside its peer in one run, with its target:

    python bench/bench_build.py [--turns 5] [--source data/report.yaml]

1. the first build on a fresh machine (HOME a new folder: no font copies, no metrics, no jieba
   dictionary), against one LibreOffice conversion of the DOCX;
2. a warm `docgen build` (DOCX + PDF, the whole process), against LibreOffice converting that DOCX;
3. docgen's PDF in-process (lay out + paint, a new document each run) against Typst compiling the
   same paragraphs (fonts loaded once, source compiled from scratch);
4. `docgen check` of the DOCX and the PDF, against one LibreOffice conversion of that DOCX;
and the PDF's size beside Typst's. The batch row is bench/bench_batch.py's.

LibreOffice converts as a user's `soffice --headless --convert-to pdf` does on a new profile each
run (what docgen check did before #17), with docgen's font aliases. Figures, not assertions: the
ratios within one run on one machine. A missing Typst (pip install typst) or LibreOffice skips its row.
"""

from __future__ import annotations

import argparse
import itertools
import os
import shutil
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from rows import Row, in_turns, print_rows, scratch  # bench/rows.py: a script's own folder is on its path

from docgen.compose.document import compose_paragraphs
from docgen.compose.paragraphs import Align, Para, Span
from docgen.jobs.build import lay_out_document
from docgen.layout.fonts import ResolvedFace, fontconfig_file, resolve_faces
from docgen.layout.metrics import font_metrics
from docgen.measure.office import libreoffice
from docgen.model import Document
from docgen.profile import Profile, load_profile
from docgen.render.pdf.writer import render_pdf
from docgen.source.loader import load_document

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SOURCE = ROOT / "data" / "report.yaml"
FIRST_BUILD_TARGET = 8.0  # LibreOffice conversions' time, at most
BUILD_TARGET = 3.0  # times faster than LibreOffice, at least
PDF_TARGET = 1.0  # docgen PDF / Typst, at most
CHECK_TARGET = 2.5  # LibreOffice conversions' time, at most


def docgen_command() -> list[str]:
    program = shutil.which("docgen")
    return [program] if program else [sys.executable, "-m", "docgen.cli"]


def run(command: Sequence[str], environment: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, env=environment, capture_output=True, text=True, check=True)


def new_home(folder: Path) -> dict[str, str]:
    """The environment of a user whose HOME is ``folder`` (a new machine's caches: none), in English.

    Python keeps docgen's compiled bytecode, as an installed docgen has it (pip compiles it): an
    environment that forbids writing it (PYTHONDONTWRITEBYTECODE, as some sandboxes set) would time
    the compiling of every changed module in every run."""
    folder.mkdir(parents=True, exist_ok=True)
    left_out = ("XDG_CACHE_HOME", "PYTHONDONTWRITEBYTECODE")
    environment = {key: value for key, value in os.environ.items() if key not in left_out}
    return {**environment, "HOME": str(folder), "DOCGEN_LANG": "en"}


class LibreOffice:
    """The peer of most rows: LibreOffice converting a DOCX to PDF on a new profile each time."""

    def __init__(self, profile: Profile, folder: Path) -> None:
        self.program = libreoffice()
        self.folder = folder
        self.environment = {**os.environ, "FONTCONFIG_FILE": str(fontconfig_file(profile, resolve_faces(profile)))}

    def convert(self, docx: Path) -> Path:
        profile = self.folder / "profile"
        shutil.rmtree(profile, ignore_errors=True)
        command = [self.program, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "pdf",
                   "--outdir", str(self.folder / "out"), str(docx)]  # fmt: skip
        run(command, self.environment)
        return self.folder / "out" / f"{docx.stem}.pdf"


# --- 1, 2 and 4: docgen's commands, as a user runs them ----------------------------------------


def first_build_row(source: Path, turns: int, folder: Path, office: LibreOffice) -> tuple[Row, Path]:
    """Each turn a new HOME: `docgen build` converts the glyphs it draws, saying once what it prepares."""
    homes = itertools.count()
    docx = folder / "first" / f"{source.stem}.docx"

    def first_build() -> None:
        environment = new_home(folder / "homes" / str(next(homes)))
        command = [*docgen_command(), "build", str(source), "-o", str(docx.parent), "-f", "docx,pdf", "--force"]
        said = [line for line in run(command, environment).stderr.splitlines() if "preparing fonts" in line]
        assert len(said) == 1, "the first build says once what it prepares"

    first_build()  # the DOCX LibreOffice converts
    ours, theirs = in_turns(first_build, lambda: office.convert(docx), turns)
    row = Row("first build on a fresh machine, DOCX + PDF (conversions' time)", tuple(ours), tuple(theirs),
              "LibreOffice DOCX → PDF", FIRST_BUILD_TARGET)  # fmt: skip
    return row, docx


def warm_build_row(source: Path, turns: int, folder: Path, office: LibreOffice) -> tuple[Row, dict[str, str]]:
    environment = new_home(folder / "warm")
    out = folder / "warm-out"
    command = [*docgen_command(), "build", str(source), "-o", str(out), "-f", "docx,pdf", "--force"]
    run(command, environment)  # its first build
    docx = out / f"{source.stem}.docx"
    ours, theirs = in_turns(lambda: run(command, environment), lambda: office.convert(docx), turns)
    row = Row("warm docgen build, DOCX + PDF, whole process (times faster)", tuple(ours), tuple(theirs),
              "LibreOffice converting that DOCX", BUILD_TARGET, higher_is_better=True)  # fmt: skip
    return row, environment


def check_row(source: Path, turns: int, folder: Path, office: LibreOffice, environment: dict[str, str]) -> Row:
    out = folder / "warm-out"
    docx, pdf = out / f"{source.stem}.docx", out / f"{source.stem}.pdf"
    command = [*docgen_command(), "check", str(docx), str(pdf)]
    ours, theirs = in_turns(lambda: run(command, environment), lambda: office.convert(docx), turns)
    return Row("docgen check of the DOCX and the PDF (conversions' time)", tuple(ours), tuple(theirs),
               "LibreOffice converting that DOCX", CHECK_TARGET)  # fmt: skip


# --- 3: docgen's PDF and Typst's, in-process ----------------------------------------------------


def pdf_row(document: Document, profile: Profile, turns: int, folder: Path) -> tuple[Row, int, int] | None:
    """docgen composing, laying out and painting a new document each run (a copy with another title),
    the fonts loaded beforehand as a batch worker has them; Typst compiling the same paragraphs from
    source bytes, its fonts loaded once. Returns the row and both PDFs' sizes."""
    try:
        import typst
    except ImportError:
        print("Typst is not installed (pip install typst): its row skipped")
        return None
    font_metrics(profile)
    paras = compose_paragraphs(document, profile)
    families, folders = typst_fonts(resolve_faces(profile), folder)
    source = typst_source(paras, profile, families)
    fonts = typst.Fonts(include_system_fonts=False, font_paths=folders)
    typst_pdf = typst.compile(source.encode(), format="pdf", font_paths=fonts)  # fonts parsed before timing
    docgen_pdf = render_pdf(lay_out_document(document, profile, ("pdf",)), profile)
    counter = iter(range(1_000_000))

    def docgen() -> None:
        new = replace(document, title=f"{document.title}{next(counter)}")
        render_pdf(lay_out_document(new, profile, ("pdf",)), profile)

    def compile_new() -> None:
        typst.compile(f"// run {next(counter)}\n{source}".encode(), format="pdf", font_paths=fonts)

    ours, theirs = in_turns(docgen, compile_new, turns)
    faces = ", ".join(f"{key} = {family}" for key, family in families.items())
    row = Row("docgen PDF in-process, a new document each run", tuple(ours), tuple(theirs),
              f"Typst {typst.__version__} compiling the same paragraphs ({faces})", PDF_TARGET)  # fmt: skip
    return row, len(docgen_pdf), len(typst_pdf)


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

    A face served by a TrueType copy (docgen converts its glyphs as documents use them) is given to
    Typst as the CFF font it is copied from, which Typst reads itself. A face whose family Typst finds
    in another file too (FandolSong-Bold.otf is FandolSong's bold to it) gets a copy under its own name.
    """
    import typst

    given = {key: (face.converted_from or face.path, face.subfont_index) for key, face in faces.items()}
    folders = sorted({str(path.parent) for path, _ in given.values()})
    found = typst.Fonts(include_system_fonts=True, include_embedded_fonts=False, font_paths=folders).fonts()
    by_file = {(Path(info.path).resolve(), info.index): info for info in found if info.path}
    copies = folder / "typst-fonts"
    families: dict[str, str] = {}
    for key, face in faces.items():
        info = by_file.get((given[key][0].resolve(), given[key][1]))
        if info is None:
            print(f"note: Typst does not read {given[key][0]}; the face '{key}' is asked for as {face.family}")
            families[key] = face.family
            continue
        files = {(other.path, other.index) for other in found if other.family == info.family}
        families[key] = info.family if len(files) == 1 else renamed_copy(face, copies)
    if copies.is_dir():
        folders.append(str(copies))
    return families, folders


def renamed_copy(face: ResolvedFace, folder: Path) -> str:
    """A copy of ``face``'s font whose only family name is ``docgen <key>``."""
    from fontTools.ttLib import TTFont

    family = f"docgen {face.key}"
    font = TTFont(face.converted_from or face.path, fontNumber=face.subfont_index)
    names = font["name"]
    for name_id in (1, 4, 6, 16, 17):
        names.removeNames(nameID=name_id)
    for name_id, value in ((1, family), (4, family), (6, family.replace(" ", "-"))):
        names.setName(value, name_id, 3, 1, 0x409)
    folder.mkdir(parents=True, exist_ok=True)
    font.save(folder / f"{face.key}{(face.converted_from or face.path).suffix}")
    return family


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--turns", type=int, default=5, help="timed runs of each side of a row (default 5)")
    parser.add_argument("--source", type=Path, default=DEFAULT_SOURCE, help="YAML source (default data/report.yaml)")
    args = parser.parse_args(argv)
    if args.turns < 1:
        parser.error("--turns must be at least 1")
    profile = load_profile()
    document = load_document(args.source)
    print(f"{args.source.name}: {len(compose_paragraphs(document, profile))} paragraphs")
    rows: list[Row] = []
    with scratch("build-") as name:
        folder = Path(name)
        sizes = None
        if libreoffice():
            office = LibreOffice(profile, folder / "libreoffice")
            rows.append(first_build_row(args.source, min(args.turns, 3), folder, office)[0])
            warm, environment = warm_build_row(args.source, args.turns, folder, office)
            rows += [warm, check_row(args.source, args.turns, folder, office, environment)]
        else:
            print("LibreOffice is not installed (soffice): its rows skipped")
        typst_row = pdf_row(document, profile, args.turns, folder)
        if typst_row:
            rows.append(typst_row[0])
            sizes = typst_row[1:]
    print_rows(rows)
    if sizes:
        print(f"\nPDF size: docgen {sizes[0]:,} bytes, Typst {sizes[1]:,} bytes ({sizes[0] / sizes[1]:.2f}×)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
