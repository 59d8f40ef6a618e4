"""The search, page and server rows of run.py again, on an archive kept by `run.py --keep`
(same database, index and FTS5 table), for a change that touches only the search side.

    python benchmarks/remeasure.py /tmp/archive-bench-XXXX
"""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
if str(BASE_DIR) not in sys.path:
    sys.path.insert(0, str(BASE_DIR))

from benchmarks import run, sandbox  # noqa: E402 - needs sys.path
from benchmarks.queries import KIND_LABELS  # noqa: E402


def main(data_dir: Path, runs: int = 3) -> None:
    sandbox.setup_django(data_dir)
    fts = sqlite3.connect(data_dir / "fts5.sqlite3", check_same_thread=False)
    fts.execute("ATTACH DATABASE ? AS archive", (str(data_dir / "archive.sqlite3"),))
    run.log("searching")
    search = run.measure_search(fts, runs, 0)
    print("| measure | archive | FTS5 floor / note |\n|---|---|---|")
    for kind, label in KIND_LABELS.items():
        ours, floor = search["ours"][kind], search["fts"][kind]
        print(
            f"| search: {label}, p50/p95/p99 ms (n={ours['n']}) "
            f"| {run.p50_95_99(ours)} | {run.p50_95_99(floor)} |"
        )
    cold = search["ours_cold"]["all"]
    print(
        f"| search: whole mix, first pass (cold caches), p50/p95/p99 ms (n={cold['n']}) "
        f"| {run.p50_95_99(cold)} | |"
    )
    run.log("pages")
    pages = run.measure_pages(runs)
    for kind in ("article", "list"):
        figures = pages[kind]
        print(
            f"| {kind} page, p50/p95 ms (n={figures['n']}) "
            f"| {run.ms(figures['p50'])} / {run.ms(figures['p95'])} | |"
        )
    run.log("server")
    server = run.measure_server(data_dir, runs)
    peaks = [worker.get("VmHWM", 0) for worker in server["workers"].values()]
    print(
        f"| gunicorn worker peak RSS (VmHWM), max of workers | {max(peaks) / 1024:,.0f} MB "
        f"| workers: {', '.join(f'{peak / 1024:,.0f}' for peak in peaks)} MB |"
    )
    served = server["by_kind"]["search"]
    print(
        f"| served search mix, 4 clients, p50/p95/p99 ms | {run.p50_95_99(served)} "
        f"| {server['requests'] / server['seconds']:.1f} req/s, {server['errors']} errors |"
    )


if __name__ == "__main__":
    main(Path(sys.argv[1]))
