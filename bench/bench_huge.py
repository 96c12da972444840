"""Huge documents: time and peak memory for sources of about 10, 100 and 1,000 pages.

    python bench/bench_huge.py [--pages 10 100 1000]

Each size is built (DOCX + PDF) in a fresh process; its peak RSS is read from the OS. Memory
and time should grow at most linearly with the page count.
"""

from __future__ import annotations

import argparse
import copy
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml
from pypdf import PdfReader

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_PAGES = 29


def huge_source(folder: Path, pages: int) -> Path:
    """The sample's sections repeated (copied: YAML would write a repeat as an alias, which
    sources refuse) until the document has about ``pages`` pages."""
    data = yaml.safe_load((ROOT / "data" / "report.yaml").read_text(encoding="utf-8"))
    copies = max(1, round(pages / SAMPLE_PAGES * len(data["sections"])))
    originals = data["sections"]
    data["sections"] = [_marked(copy.deepcopy(originals[index % len(originals)]), index) for index in range(copies)]
    path = folder / f"huge-{pages}.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10**9), encoding="utf-8")
    return path


def _marked(value: object, copy_number: int) -> object:
    """Every text of a copy made distinct, so no paragraph repeats one already laid out."""
    if isinstance(value, dict):
        return {key: _marked(item, copy_number) for key, item in value.items()}
    if isinstance(value, list):
        return [_marked(item, copy_number) for item in value]
    if isinstance(value, str) and len(value) > 20:
        return f"{value}（第{copy_number}份）"
    return value


def build(source: Path, out: Path) -> tuple[float, int]:
    """Seconds and peak RSS (MB) of one `docgen build` in a fresh process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    command = [sys.executable, "-m", "docgen.cli", "build", str(source), "-o", str(out), "--force", "-j", "1"]
    subprocess.run(command, check=True, capture_output=True)
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return seconds, max(peak, before) // 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, nargs="+", default=[10, 100, 1000])
    sizes = sorted(parser.parse_args().pages)
    print(f"{'pages wanted':>12} {'pages':>6} {'seconds':>8} {'s/page':>7} {'peak MB':>8}")
    with tempfile.TemporaryDirectory(prefix="bench-huge-") as folder:
        root = Path(folder)
        for pages in sizes:  # smallest first: RUSAGE_CHILDREN keeps the largest child's peak
            source = huge_source(root, pages)
            seconds, peak = build(source, root / "out")
            built = len(PdfReader(root / "out" / f"{source.stem}.pdf").pages)
            print(f"{pages:>12} {built:>6} {seconds:>8.1f} {seconds / built:>7.3f} {peak:>8}")


if __name__ == "__main__":
    main()
