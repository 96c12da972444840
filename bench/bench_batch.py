"""Batch throughput: N sample-sized notices to DOCX + PDF with docgen's batch core, and the same
DOCX files converted to PDF by LibreOffice in one batch, in the same run on the same machine.

    python bench/bench_batch.py [--count 1000] [--jobs N] [--lo-count N]

Prints the speed table's batch row (issue #17): documents per second for both, docgen's over
LibreOffice's with its target (at least 5×), and docgen's peak memory per worker with its own (at
most 150 MB). Figures, not assertions: machines here are noisy, so compare the ratio within one run.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from rows import Row, print_rows  # bench/rows.py: a script's own folder is on its path

from docgen.jobs.batch import run_batch, source_jobs
from docgen.layout.fonts import fontconfig_file, resolve_faces
from docgen.measure.office import libreoffice
from docgen.profile import DEFAULT_PROFILE, load_profile

ROOT = Path(__file__).resolve().parent.parent
RATE_TARGET = 5.0  # docgen's documents per second over LibreOffice's, at least
MEMORY_TARGET_MB = 150  # peak resident memory of a docgen worker, at most


def make_sources(folder: Path, count: int) -> None:
    """``count`` copies of the sample, each with its own title so every document differs."""
    sample = (ROOT / "data" / "report.yaml").read_text(encoding="utf-8")
    title = "title: 中共济南市委关于十二届省委第一轮巡视集中整改进展情况的通报"
    for index in range(count):
        text = sample.replace(title, f"{title}（第{index + 1}号）", 1)
        (folder / f"notice-{index:04d}.yaml").write_text(text, encoding="utf-8")


def bench_docgen(sources: Path, out: Path, workers: int) -> tuple[float, int, int]:
    jobs = source_jobs([str(sources)], out, ("docx", "pdf"), DEFAULT_PROFILE, None)
    start = time.perf_counter()
    with ProcessPoolExecutor(max_workers=workers) as executor:
        results = run_batch(jobs, executor, force=True)
    seconds = time.perf_counter() - start
    failed = sum(result.status == "failed" for result in results)
    return seconds, max(result.peak_rss_kb for result in results), failed


def bench_libreoffice(docx_files: list[Path], out: Path) -> float | None:
    program = libreoffice()
    if not program:
        return None
    profile = load_profile()
    environment = {**os.environ, "FONTCONFIG_FILE": str(fontconfig_file(profile, resolve_faces(profile)))}
    with tempfile.TemporaryDirectory(prefix="bench-lo-") as user:
        command = [program, f"-env:UserInstallation=file://{user}", "--headless", "--convert-to", "pdf",
                   "--outdir", str(out), *map(str, docx_files)]  # fmt: skip
        start = time.perf_counter()
        subprocess.run(command, env=environment, capture_output=True, check=True)
        return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=1000, help="documents docgen builds (default 1000)")
    parser.add_argument("--lo-count", type=int, default=None, help="of those, how many LibreOffice converts")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="docgen worker processes")
    arguments = parser.parse_args()
    lo_count = min(arguments.lo_count or arguments.count, arguments.count)
    with tempfile.TemporaryDirectory(prefix="bench-batch-") as folder:
        root = Path(folder)
        sources, out, lo_out = root / "sources", root / "out", root / "lo"
        for path in (sources, out, lo_out):
            path.mkdir()
        make_sources(sources, arguments.count)
        resolve_faces(load_profile())  # font copies made before timing
        seconds, peak_kb, failed = bench_docgen(sources, out, arguments.jobs)
        print(f"docgen      {arguments.count} documents (DOCX + PDF, {arguments.jobs} workers): "
              f"{seconds:.1f} s, {arguments.count / seconds:.2f} documents/s, failed {failed}")  # fmt: skip
        docx_files = sorted(out.glob("*.docx"))[:lo_count]
        lo_seconds = bench_libreoffice(docx_files, lo_out)
        if lo_seconds is None:
            print("LibreOffice not installed: no comparison")
            return
        print(f"LibreOffice {len(docx_files)} DOCX → PDF in one batch: {lo_seconds:.1f} s, "
              f"{len(docx_files) / lo_seconds:.2f} documents/s")  # fmt: skip
        row = Row(f"batch of {arguments.count} notices, DOCX + PDF (times LibreOffice's rate)",
                  (seconds / arguments.count,), (lo_seconds / len(docx_files),),
                  "LibreOffice converting the DOCX files in one batch", RATE_TARGET, higher_is_better=True,
                  note="; seconds a document")  # fmt: skip
        print_rows([row])
        memory = peak_kb / 1024
        verdict = "met" if memory <= MEMORY_TARGET_MB else "NOT MET"
        print(f"{'peak memory per docgen worker':58} {memory:8.0f} MB {'':17} ≤ {MEMORY_TARGET_MB} MB  {verdict}")
    shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
