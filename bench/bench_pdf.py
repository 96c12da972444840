"""PDF speed for the sample: docgen in-process against Typst compiling an equivalent document,
and the whole `docgen build` (DOCX + PDF) against LibreOffice converting the DOCX, in one run.

    python bench/bench_pdf.py [--repeat 10]

Figures, not assertions: compare the ratios within one run on one machine.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from pypdf import PdfReader

from docgen.compose import Para, compose
from docgen.fonts import fontconfig_file, resolve_faces
from docgen.loader import load_document
from docgen.measure import libreoffice, render_with_libreoffice
from docgen.metrics import _lines, font_metrics
from docgen.model import Document
from docgen.profile import Profile, RoleStyle, load_profile
from docgen.render_pdf import render_pdf

ROOT = Path(__file__).resolve().parent.parent
lines_cache_clear = _lines.cache_clear
SOURCE = ROOT / "data" / "report.yaml"


def timed(action: Callable[[], object], repeat: int) -> tuple[float, float]:
    """Median and best of ``repeat`` runs, in seconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times), min(times)


def fresh_pdf(document: Document, profile: Profile) -> bytes:
    """The PDF with nothing decided before: the line cache is emptied first, as for a new document."""
    lines_cache_clear()
    return render_pdf(document, profile)


def typst_source(paras: tuple[Para, ...], profile: Profile, families: dict[str, str]) -> str:
    """The same paragraphs, faces, sizes, margins, pitch and page numbers, in Typst."""
    page, grid = profile.page, profile.grid
    body = profile.roles["body"]
    lines = [
        f'#set page(paper: "a4", margin: (top: {page.top_mm}mm, left: {page.left_mm}mm, '
        f"right: {page.right_mm}mm, bottom: {page.bottom_mm}mm),",
        f"  footer: context align(if calc.odd(here().page()) {{ right }} else {{ left }}, "
        f'text(font: "{families["songti"]}", size: 14pt)[— #counter(page).display() —]))',
        f'#set text(font: "{families["fangsong"]}", size: {body.size_pt}pt, lang: "zh", region: "cn", '
        f"tracking: {grid.letter_spacing_pt}pt, top-edge: 1em, bottom-edge: 0em)",
        f"#set par(justify: true, leading: {grid.line_pitch_pt - body.size_pt:.2f}pt, "
        f"spacing: {grid.line_pitch_pt - body.size_pt:.2f}pt)",
    ]
    for para in paras:
        if para.kind == "blank":
            lines.append("#v(" + f"{grid.line_pitch_pt - body.size_pt:.2f}pt)")
            continue
        spans = "".join(_typst_span(span.text, profile.roles[span.role], families) for span in para.spans)
        indent = f"#h({para.first_indent_chars}em)" if para.first_indent_chars else ""
        if para.align.value == "center":
            lines.append(f"#align(center)[{spans}]")
        elif para.align.value == "right":
            lines.append(f"#align(right)[{spans}#h({para.right_indent_chars}em)]")
        else:
            lines.append(f"{indent}{spans}")
        lines.append("")
    return "\n".join(lines)


def _typst_span(text: str, style: RoleStyle, families: dict[str, str]) -> str:
    font = json.dumps(families[style.face])
    return f"#text(font: {font}, size: {style.size_pt}pt, {json.dumps(text, ensure_ascii=False)})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=10)
    repeat = parser.parse_args().repeat
    profile = load_profile()
    document = load_document(SOURCE)
    faces = resolve_faces(profile)
    font_metrics(profile)  # fonts registered before timing, as a batch worker has them
    ours_median, ours_best = timed(lambda: fresh_pdf(document, profile), repeat)
    print(f"docgen PDF in-process     median {ours_median:.3f} s, best {ours_best:.3f} s")
    with tempfile.TemporaryDirectory(prefix="bench-pdf-") as folder:
        root = Path(folder)
        ours_pdf = root / "docgen.pdf"
        ours_pdf.write_bytes(render_pdf(document, profile))
        typst_ratio = bench_typst(compose(document, profile), profile, faces, root, repeat, ours_median)
        build_ratio = bench_build(root, faces, profile, repeat)
        print(f"pages: docgen {len(PdfReader(ours_pdf).pages)}")
    print(f"ratio  docgen PDF / Typst:          {typst_ratio} (target ≤ 1.0)")
    print(f"ratio  LibreOffice / docgen build:  {build_ratio} (target ≥ 3.0)")


def bench_typst(paras: tuple[Para, ...], profile: Profile, faces: dict, root: Path, repeat: int, ours: float) -> str:
    try:
        import typst
    except ImportError:
        print("Typst not installed (pip install typst): no comparison")
        return "n/a"
    families = {key: face.family for key, face in faces.items()}
    source = root / "notice.typ"
    source.write_text(typst_source(paras, profile, families), encoding="utf-8")
    font_paths = sorted({str(face.path.parent) for face in faces.values()})
    output = root / "typst.pdf"
    median, best = timed(lambda: typst.compile(str(source), output=str(output), font_paths=font_paths), repeat)
    pages = len(PdfReader(output).pages)
    print(f"Typst compile             median {median:.3f} s, best {best:.3f} s, {pages} pages")
    return f"{ours / median:.2f}"


def bench_build(root: Path, faces: dict, profile: Profile, repeat: int) -> str:
    out = root / "out"
    command = [sys.executable, "-m", "docgen.cli", "build", str(SOURCE), "-o", str(out), "--force", "-j", "1"]
    subprocess.run(command, check=True, capture_output=True)  # fonts cached
    build_median, build_best = timed(lambda: subprocess.run(command, check=True, capture_output=True), repeat)
    print(f"docgen build (DOCX + PDF) median {build_median:.3f} s, best {build_best:.3f} s (whole command)")
    if not libreoffice():
        print("LibreOffice not installed: no comparison")
        return "n/a"
    fontconfig = fontconfig_file(profile, faces)
    docx = out / "report.docx"
    start = time.perf_counter()
    render_with_libreoffice(docx, fontconfig, root / "lo-cold")
    cold = time.perf_counter() - start
    lo_median, lo_best = timed(lambda: render_with_libreoffice(docx, fontconfig, root / "lo"), repeat)
    print(f"LibreOffice DOCX → PDF    median {lo_median:.3f} s, best {lo_best:.3f} s (first run {cold:.3f} s)")
    return f"{lo_median / build_median:.2f}"


if __name__ == "__main__":
    main()
