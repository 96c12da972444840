"""Batch throughput, the speed table's batch row (issue #17): N notices to DOCX + PDF by `docgen batch`
(the template data/batch/template.yaml and a data file of N rows), and the same DOCX files converted
to PDF by LibreOffice in one batch, in the same run on the same machine.

    python bench/bench_batch.py [--count 1000] [--jobs N] [--lo-count N] [--lo-processes N] [--report]

Prints docgen's documents a second over LibreOffice's with its target (at least 5×), and docgen's peak
memory per worker with its own (at most 150 MB). docgen works on --jobs workers (by default one a
core); LibreOffice converts as a user's `soffice --convert-to pdf *.docx` does, in one process, unless
--lo-processes splits the files between that many LibreOffice processes (each on its own profile),
which gives it the cores docgen has. A LibreOffice run is given LO_CHUNK files at most (one given more
stopped partway without a word), and every file must have its PDF. --report builds copies of the
29-page sample report instead of notices (each with its own title). Figures, not assertions: compare
the ratio within one run.
"""

from __future__ import annotations

import argparse
import csv
import itertools
import os
import subprocess
import time
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from pathlib import Path

from rows import Row, print_rows, scratch  # bench/rows.py: a script's own folder is on its path

from docgen.jobs.batch import Job, run_batch, source_jobs, template_jobs
from docgen.layout.fonts import fontconfig_file, resolve_faces
from docgen.measure.office import libreoffice
from docgen.profile import DEFAULT_PROFILE, load_profile

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / "data" / "batch" / "template.yaml"
CHINESE_DIGITS = str.maketrans("0123456789", "〇一二三四五六七八九")
RATE_TARGET = 5.0  # docgen's documents per second over LibreOffice's, at least
MEMORY_TARGET_MB = 150  # peak resident memory of a docgen worker, at most
# Files one LibreOffice run converts: given a thousand notices, one run stopped after 247 of them and said
# nothing (exit status 0), which made its rate look four times what it is.
LO_CHUNK = 200
QUIET = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}


def notice_jobs(folder: Path, out: Path, count: int) -> list[Job]:
    """``count`` notices of the batch template, each row its own: the example rows in turn, each for a
    district of its own (its number in Chinese digits: the words differ, not only the digits, as a
    real batch's names do), with its own number of teams and telephone number."""
    with (ROOT / "data" / "batch" / "districts.csv").open(encoding="utf-8", newline="") as file:
        examples = list(csv.DictReader(file))
    data = folder / "rows.csv"
    with data.open("w", encoding="utf-8", newline="") as file:
        writer = csv.DictWriter(file, fieldnames=list(examples[0]))
        writer.writeheader()
        for index, row in zip(range(count), itertools.cycle(examples), strict=False):
            district = f"{row['district']}{str(index + 1).translate(CHINESE_DIGITS)}号片区"
            writer.writerow({**row, "district": district, "teams": str(2 + index % 9), "phone": f"0531-8{index:07d}"})
    return template_jobs(TEMPLATE, data, None, out, ("docx", "pdf"), DEFAULT_PROFILE, None)


def report_jobs(folder: Path, out: Path, count: int) -> list[Job]:
    """``count`` copies of the sample report, each with its own title so every document differs."""
    sample = (ROOT / "data" / "report.yaml").read_text(encoding="utf-8")
    title = "title: 中共济南市委关于十二届省委第一轮巡视集中整改进展情况的通报"
    for index in range(count):
        text = sample.replace(title, f"{title}（第{index + 1}号）", 1)
        (folder / f"report-{index:04d}.yaml").write_text(text, encoding="utf-8")
    return source_jobs([str(folder)], out, ("docx", "pdf"), DEFAULT_PROFILE, None)


def bench_docgen(jobs: list[Job], workers: int) -> tuple[float, int, int]:
    start = time.perf_counter()
    with ProcessPoolExecutor(max_workers=workers) as executor:
        results = run_batch(jobs, executor, force=True)
    seconds = time.perf_counter() - start
    failed = sum(result.status == "failed" for result in results)
    return seconds, max(result.peak_rss_kb for result in results), failed


def bench_libreoffice(docx_files: list[Path], out: Path, processes: int) -> float | None:
    """Seconds LibreOffice takes to convert ``docx_files``, split between ``processes`` batches at once,
    each batch LO_CHUNK files a LibreOffice run (on its own profile, kept from run to run)."""
    program = libreoffice()
    if not program:
        return None
    profile = load_profile()
    environment = {**os.environ, "FONTCONFIG_FILE": str(fontconfig_file(profile, resolve_faces(profile)))}
    with scratch("libreoffice-") as users:

        def convert(number: int) -> None:
            profile_folder = (Path(users) / str(number)).as_uri()
            files = docx_files[number::processes]
            for first in range(0, len(files), LO_CHUNK):
                chunk = map(str, files[first : first + LO_CHUNK])
                command = [program, f"-env:UserInstallation={profile_folder}", "--headless",
                           "--convert-to", "pdf", "--outdir", str(out), *chunk]  # fmt: skip
                subprocess.run(command, env=environment, check=True, **QUIET)

        start = time.perf_counter()
        with ThreadPoolExecutor(max_workers=processes) as pool:
            list(pool.map(convert, range(processes)))
        seconds = time.perf_counter() - start
    missing = [docx.name for docx in docx_files if not (out / f"{docx.stem}.pdf").is_file()]
    if missing:
        raise RuntimeError(f"LibreOffice did not convert {len(missing)} of the DOCX files, such as {missing[:3]}")
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=1000, help="documents docgen builds (default 1000)")
    parser.add_argument("--lo-count", type=int, default=None, help="of those, how many LibreOffice converts")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="docgen worker processes")
    parser.add_argument("--lo-processes", type=int, default=1, help="LibreOffice processes (default 1: one batch)")
    parser.add_argument("--report", action="store_true", help="copies of the 29-page sample instead of notices")
    arguments = parser.parse_args()
    lo_count = min(arguments.lo_count or arguments.count, arguments.count)
    kind = "copies of the sample report" if arguments.report else "notices"
    with scratch("batch-") as folder:
        root = Path(folder)
        sources, out, lo_out = root / "sources", root / "out", root / "lo"
        for path in (sources, out, lo_out):
            path.mkdir()
        jobs = (report_jobs if arguments.report else notice_jobs)(sources, out, arguments.count)
        resolve_faces(load_profile())  # font copies made before timing
        seconds, peak_kb, failed = bench_docgen(jobs, arguments.jobs)
        print(f"docgen      {arguments.count} {kind} (DOCX + PDF, {arguments.jobs} workers): "
              f"{seconds:.1f} s, {arguments.count / seconds:.2f} documents/s, failed {failed}")  # fmt: skip
        docx_files = sorted(out.glob("*.docx"))[:lo_count]
        lo_seconds = bench_libreoffice(docx_files, lo_out, arguments.lo_processes)
        if lo_seconds is None:
            print("LibreOffice not installed: no comparison")
            return
        batches = "one batch" if arguments.lo_processes == 1 else f"{arguments.lo_processes} batches at once"
        print(f"LibreOffice {len(docx_files)} DOCX → PDF in {batches}: {lo_seconds:.1f} s, "
              f"{len(docx_files) / lo_seconds:.2f} documents/s")  # fmt: skip
        row = Row(f"batch of {arguments.count} {kind}, DOCX + PDF (times LibreOffice's rate)",
                  (seconds / arguments.count,), (lo_seconds / len(docx_files),),
                  f"LibreOffice converting the DOCX files in {batches}", RATE_TARGET, higher_is_better=True,
                  note="; seconds a document")  # fmt: skip
        print_rows([row])
        memory = peak_kb / 1024
        verdict = "met" if memory <= MEMORY_TARGET_MB else "NOT MET"
        print(f"{'peak memory per docgen worker':58} {memory:8.0f} MB {'':17} ≤ {MEMORY_TARGET_MB} MB  {verdict}")


if __name__ == "__main__":
    main()
