"""`docgen serve` under load (#21): CLIENTS clients previewing the sample at once for SECONDS, as a clerk's
page does after each pause in typing (the source, then its first page's image), against a local server:

    python bench/bench_serve.py [--clients 20] [--seconds 60] [--workers 2]

Prints the requests made and failed, the preview's latency (median, 90th percentile, worst) beside one
warm `docgen build -f pdf` of the same source in a process of its own (the peer: what a clerk waits for
without the server), the throughput, and the server's memory (the server, its workers and their jobs'
children, sampled every 0.2 s). Figures, not assertions.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from serving import Server, start_server  # noqa: E402  (tests/serving.py: the tests' own server starter)

SAMPLE = (ROOT / "data" / "report.yaml").read_text(encoding="utf-8")


def _client(server: Server, number: int, until: float, latencies: list[float], failures: list[str]) -> None:
    turn = 0
    while time.monotonic() < until:
        turn += 1
        source = SAMPLE.replace("title:", f"# client {number}, edit {turn}\ntitle:", 1)  # a new text every time
        start = time.perf_counter()
        status, answer = server.json("POST", "/api/preview", {"source": source, "syntax": "yaml"})
        if status != 200:
            failures.append(f"preview {status}: {answer}")
            continue
        status, _headers, _png = server.get(f"/api/jobs/{answer['job']}/pages/1.png?width=800")
        if status != 200:
            failures.append(f"page {status}")
            continue
        latencies.append(time.perf_counter() - start)


def _tree_rss_mb(pid: int) -> float:
    """Resident memory of ``pid`` and all its descendants, from /proc."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(line.split(":", 1) for line in status.read_text().splitlines() if ":" in line)
        except OSError:
            continue
        process = int(status.parent.name)
        children.setdefault(int(fields["PPid"]), []).append(process)
        rss[process] = int(fields.get("VmRSS", "0 kB").split()[0])
    total, stack = 0, [pid]
    while stack:
        process = stack.pop()
        total += rss.get(process, 0)
        stack.extend(children.get(process, []))
    return total / 1024


def _sample_memory(pid: int, until: float, samples: list[float]) -> None:
    while time.monotonic() < until:
        samples.append(_tree_rss_mb(pid))
        time.sleep(0.2)


def _warm_cli_build(folder: Path) -> float:
    source = folder / "report.yaml"
    source.write_text(SAMPLE, encoding="utf-8")
    command = [sys.executable, "-m", "docgen.cli", "build", str(source), "-o", str(folder / "out"), "-f", "pdf"]
    subprocess.run([*command, "--force"], check=True, capture_output=True)  # warm the caches
    start = time.perf_counter()
    subprocess.run([*command, "--force"], check=True, capture_output=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--workers", type=int, default=2)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        peer = _warm_cli_build(Path(scratch))
        with start_server(Path(scratch) / "serve", "--workers", str(options.workers)) as server:
            idle_mb = _tree_rss_mb(server.process.pid)
            latencies: list[float] = []
            failures: list[str] = []
            memory: list[float] = []
            until = time.monotonic() + options.seconds
            threads = [
                threading.Thread(target=_client, args=(server, number, until, latencies, failures))
                for number in range(options.clients)
            ]
            threads.append(threading.Thread(target=_sample_memory, args=(server.process.pid, until, memory)))
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
    _report(options, latencies, failures, memory, idle_mb, peer)


def _report(
    options: argparse.Namespace,
    latencies: list[float],
    failures: list[str],
    memory: list[float],
    idle: float,
    peer: float,
) -> None:
    done = len(latencies)
    print(f"{options.clients} clients, {options.seconds:g} s, {options.workers} workers, the 29-page sample")
    print(f"  previews answered        {done}  ({done / options.seconds:.2f}/s), failed {len(failures)}")
    for failure in sorted(set(failures))[:5]:
        print(f"    {failure}")
    if latencies:
        tenth = statistics.quantiles(latencies, n=10)[-1] if len(latencies) > 1 else latencies[0]
        median = statistics.median(latencies)
        print(f"  preview + page 1 latency median {median:.2f} s, 90% {tenth:.2f} s, worst {max(latencies):.2f} s")
        print(f"  peer: one warm `docgen build -f pdf` {peer:.2f} s alone; median under load = {median / peer:.1f}×")
        print(f"  one preview's share of the machine: {options.seconds / done:.2f} s (workers busy the whole time)")
    print(f"  memory of the server's process tree: ready {idle:.0f} MB, peak {max(memory, default=0):.0f} MB")


if __name__ == "__main__":
    main()
