"""Load test: the site under its production WSGI server while an ingest runs beside it.

A fresh archive is seeded with generated captures and served by gunicorn (archive.wsgi, the
production settings, workers and threads as in `make run`) on a free loopback port. Client
threads then request search, article and list pages while `manage.py ingest` loads more new
captures in another process. It prints requests/s, latency percentiles and errors (5xx or
no answer), then checks that every capture is in the database and in the index
(`sync_index --check`: 0 missing, 0 stale, 0 orphaned). It stops by itself.

    python benchmarks/load.py [--base 2000] [--extra 1000] [--clients 8]
"""

from __future__ import annotations

import argparse
import random
import re
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
if str(BASE_DIR) not in sys.path:
    sys.path.insert(0, str(BASE_DIR))

from benchmarks import clients, gunicorn_server, sandbox  # noqa: E402 - needs sys.path
from benchmarks.generate import DATA_DIR, write_corpus  # noqa: E402
from benchmarks.latency import summarise  # noqa: E402
from benchmarks.queries import SEARCH_MIX  # noqa: E402

EXTRA_START = 1_000_000  # numbers of the captures ingested under load: never in the base
SETTINGS = "archive.settings"  # production settings, not the benchmark's


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def seed_archive(env: dict[str, str], corpus: Path) -> float:
    """Migrate, ingest the base corpus (indexed when the run ends), collect static files."""
    started = time.perf_counter()
    sandbox.manage(env, "migrate", "--noinput", "--verbosity", "0")
    sandbox.manage(env, "ingest", str(corpus), stdout=subprocess.DEVNULL)
    sandbox.manage(env, "collectstatic", "--noinput", "--verbosity", "0")
    return time.perf_counter() - started


def page_mix(database: Path, *, articles: int = 60, seed: int = 6) -> list[tuple[str, str]]:
    """Search cases, article pages and list pages, shuffled the same way every run."""
    with sqlite3.connect(database) as connection:
        rows = connection.execute("SELECT id, slug FROM articles_article ORDER BY id").fetchall()
    rng = random.Random(seed)
    chosen = rng.sample(rows, min(articles, len(rows)))
    pages = [("search", case.archive_path()) for case in SEARCH_MIX] * 2
    pages += [("article", f"/articles/{pk}/{slug or 'article'}/") for pk, slug in chosen]
    pages += [("list", f"/articles/?page={n}") for n in (1, 1, 2, 3, 5, 8, 13, 21)]
    rng.shuffle(pages)
    return pages


def stored_origins(database: Path) -> set[str]:
    """The file names the stored captures were read from (origins are relative paths)."""
    with sqlite3.connect(database) as connection:
        rows = connection.execute("SELECT origin FROM articles_capture")
        return {origin.rsplit("/", 1)[-1] for (origin,) in rows}


def check_index(env: dict[str, str]) -> tuple[bool, str]:
    """`sync_index --check`: True when it reports no missing, stale or orphaned document."""
    result = sandbox.manage(env, "sync_index", "--check", capture_output=True, check=False)
    summary = (result.stdout + result.stderr).strip()
    clean = re.search(r"\b0 missing, 0 stale, 0 orphaned\b", summary) is not None
    return clean and result.returncode == 0, summary


def format_summary(label: str, hits: list[clients.Hit]) -> str:
    figures = summarise([hit.seconds for hit in hits])
    return (
        f"  {label:<22} {figures['n']:6d} requests  p50 {figures['p50']:7.1f} ms  "
        f"p95 {figures['p95']:7.1f} ms  p99 {figures['p99']:7.1f} ms"
    )


def run_load(args: argparse.Namespace) -> bool:
    base = write_corpus(DATA_DIR / str(args.base), args.base)
    extra = write_corpus(
        DATA_DIR / f"extra-{EXTRA_START}-{args.extra}", args.extra, start=EXTRA_START
    )
    data_dir = sandbox.fresh_data_dir("archive-load-")
    env = sandbox.archive_env(data_dir, SETTINGS)
    database = data_dir / "archive.sqlite3"
    log(f"seeding {data_dir} with {args.base} captures")
    seed_seconds = seed_archive(env, base)
    log(f"seeded in {seed_seconds:.0f} s")
    pages = page_mix(database)
    port = gunicorn_server.free_port()
    server = gunicorn_server.start_gunicorn(
        env, port, data_dir / "gunicorn.log", workers=args.workers, threads=args.threads
    )
    ingest = None
    try:
        gunicorn_server.wait_until_serving(port, server)
        log(f"gunicorn on 127.0.0.1:{port}; {args.clients} clients; ingesting {args.extra}")
        stop = threading.Event()
        hits: list[clients.Hit] = []
        driver = threading.Thread(
            target=lambda: hits.extend(
                clients.drive(
                    port,
                    pages,
                    threads=args.clients,
                    max_requests=args.max_requests,
                    max_seconds=args.max_seconds,
                    stop=stop,
                )
            )
        )
        started = time.perf_counter()
        driver.start()
        time.sleep(args.settle)  # some traffic before the ingest starts
        ingest_log = open(data_dir / "ingest.log", "w")  # noqa: SIM115 - closed below
        ingest_started, ingest_window = time.perf_counter(), [time.monotonic()]
        ingest = subprocess.Popen(
            [sandbox.PYTHON, sandbox.MANAGE, "ingest", str(extra)],
            env=env,
            cwd=BASE_DIR,
            stdout=ingest_log,
            stderr=subprocess.STDOUT,
        )
        try:
            ingest.wait(timeout=max(1.0, args.max_seconds - args.settle))
        except subprocess.TimeoutExpired:
            log("ingest still running at the time limit: stopping it")
            ingest.terminate()
            ingest.wait(30)
        ingest_seconds = time.perf_counter() - ingest_started
        ingest_window.append(time.monotonic())
        ingest_log.close()
        time.sleep(args.settle)  # and some after it, once the index has the new articles
        stop.set()
        driver.join()
        elapsed = time.perf_counter() - started
    finally:
        gunicorn_server.stop_gunicorn(server)
        if ingest is not None and ingest.poll() is None:
            ingest.kill()

    ingest_output = (data_dir / "ingest.log").read_text().strip().splitlines()
    errors = [hit for hit in hits if hit.status == 0 or hit.status >= 500]
    statuses = Counter(hit.status for hit in hits)
    origins = stored_origins(database)
    expected = {path.name for path in extra.rglob("*.txt")} | {p.name for p in base.rglob("*.txt")}
    missing_rows = expected - origins
    index_clean, index_summary = check_index(env)

    print(f"Load test: {args.base:,} articles served, {args.extra:,} ingested meanwhile")
    print(
        f"gunicorn archive.wsgi, {args.workers} workers × {args.threads} threads; "
        f"{args.clients} client threads on 127.0.0.1"
    )
    print(f"seeding (migrate, ingest {args.base:,}, index, static): {seed_seconds:.0f} s")
    print(
        f"ingest of {args.extra:,} under load: {ingest_seconds:.1f} s "
        f"({args.extra / ingest_seconds:.0f} articles/s, exit {ingest.returncode}): "
        f"{ingest_output[-1] if ingest_output else '(no output)'}"
    )
    print(
        f"{len(hits):,} requests in {elapsed:.1f} s: {len(hits) / elapsed:.1f} requests/s; "
        f"statuses {dict(sorted(statuses.items()))}; errors (5xx or no answer): {len(errors)}"
    )
    print(format_summary("all pages", hits))
    for kind in ("search", "article", "list"):
        print(format_summary(f"{kind} pages", [hit for hit in hits if hit.kind == kind]))
    first, last = ingest_window
    during = [hit for hit in hits if first <= hit.started <= last]
    print(format_summary("sent during the ingest", during))
    outside = [hit for hit in hits if not first <= hit.started <= last]
    print(format_summary("sent before or after", outside))
    for sample in sorted({f"{h.status} {h.path} {h.error}" for h in errors})[:5]:
        print(f"  error: {sample}")
    print(
        f"database: {len(origins):,} articles, {len(missing_rows)} of the "
        f"{len(expected):,} captures missing"
    )
    print(f"index: {index_summary}")
    ok = not errors and not missing_rows and index_clean and ingest.returncode == 0
    print("PASS" if ok else "FAIL")
    if args.keep:
        print(f"kept {data_dir}")
    else:
        sandbox.remove(data_dir)
    return ok


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base", type=int, default=2000, help="Captures served from the start.")
    parser.add_argument("--extra", type=int, default=1000, help="Captures ingested under load.")
    parser.add_argument("--clients", type=int, default=8, help="Concurrent client threads.")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers.")
    parser.add_argument("--threads", type=int, default=4, help="Threads per gunicorn worker.")
    parser.add_argument(
        "--max-seconds", type=float, default=600, help="Stop the clients (and ingest) by then."
    )
    parser.add_argument(
        "--max-requests", type=int, default=200_000, help="Stop the clients after this many."
    )
    parser.add_argument(
        "--settle", type=float, default=5, help="Seconds of traffic before and after the ingest."
    )
    parser.add_argument("--keep", action="store_true", help="Keep the data folder and logs.")
    args = parser.parse_args(argv)
    # A `timeout` or Ctrl-C still stops gunicorn and removes the data folder (finally:).
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    sys.exit(0 if run_load(args) else 1)


if __name__ == "__main__":
    main()
