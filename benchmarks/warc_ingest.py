"""WARC ingest beside text ingest: the same generated stories loaded once as plain-text
files and once as a crawl (a gzipped WARC with requests, stylesheets and re-captures),
each into a fresh archive with the index flush held back, as `run.py` times text ingest.

    python benchmarks/warc_ingest.py --size 2000
"""

from __future__ import annotations

import argparse
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path
from unittest import mock

BASE_DIR = Path(__file__).resolve().parent.parent
if str(BASE_DIR) not in sys.path:
    sys.path.insert(0, str(BASE_DIR))

from benchmarks import sandbox  # noqa: E402 - needs sys.path
from benchmarks.generate import write_corpus, write_warc  # noqa: E402


def cpu_seconds() -> float:
    """CPU time of this process and of its finished children (the preparing workers)."""
    own, children = (
        resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
    )
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def timed_ingest(path: Path) -> tuple[float, float, object]:
    """ingest_paths on `path` with the end-of-run index flush held back: wall seconds, CPU
    seconds (steadier than wall time on a shared machine) and the report."""
    from articles.ingest.pipeline import ingest_paths
    from articles.search import queue

    with mock.patch.object(queue, "flush", lambda updated, removed: None):
        started, cpu = time.perf_counter(), cpu_seconds()
        report = ingest_paths([path])
        return time.perf_counter() - started, cpu_seconds() - cpu, report


def measure(size: int, workers: int) -> dict:
    """Text files, then a WARC of other stories, into one fresh archive."""
    from django.core.management import call_command

    work = Path(tempfile.mkdtemp(prefix="warc-bench-"))
    data_dir = sandbox.fresh_data_dir()
    sandbox.setup_django(data_dir)
    try:
        call_command("migrate", interactive=False, verbosity=0)
        corpus = write_corpus(work / "text", size)
        text_bytes = sum(p.stat().st_size for p in corpus.rglob("*.txt"))
        crawl = work / "crawl.warc.gz"
        warc = write_warc(crawl, size, start=size)
        from django.conf import settings

        settings.ARCHIVE_INGEST_WORKERS = workers
        text_seconds, text_cpu, text_report = timed_ingest(corpus)
        warc_seconds, warc_cpu, warc_report = timed_ingest(crawl)
        _, reading = warc_report.archives[0]
        return {
            "text": {
                "files": size,
                "megabytes": text_bytes / 1e6,
                "seconds": text_seconds,
                "cpu": text_cpu,
                "summary": text_report.summary(),
            },
            "warc": {
                **warc,
                "megabytes": warc["bytes"] / 1e6,
                "seconds": warc_seconds,
                "cpu": warc_cpu,
                "summary": warc_report.summary(),
                "reading": reading.summary(),
            },
        }
    finally:
        sandbox.remove(data_dir)
        shutil.rmtree(work, ignore_errors=True)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=2000, help="Stories in each form.")
    parser.add_argument(
        "--workers", type=int, default=1, help="Processes preparing text files (WARC: one)."
    )
    args = parser.parse_args(argv)
    figures = measure(args.size, args.workers)
    text, warc = figures["text"], figures["warc"]
    print(f"text files: {text['summary']}")
    print(f"WARC:       {warc['summary']}")
    print(f"            {warc['reading']}")
    print("| ingest (index flush deferred) | records/s | MB/s | articles/s | CPU ms/article |")
    print("|---|---|---|---|---|")
    print(
        f"| {text['files']:,} text files, {text['megabytes']:.1f} MB | "
        f"{text['files'] / text['seconds']:,.0f} | {text['megabytes'] / text['seconds']:.2f} | "
        f"{text['files'] / text['seconds']:,.0f} | {1000 * text['cpu'] / text['files']:.1f} |"
    )
    print(
        f"| WARC of {warc['records']:,} records ({warc['pages']:,} pages), "
        f"{warc['megabytes']:.1f} MB gzipped | {warc['records'] / warc['seconds']:,.0f} | "
        f"{warc['megabytes'] / warc['seconds']:.2f} | {warc['pages'] / warc['seconds']:,.0f} | "
        f"{1000 * warc['cpu'] / warc['pages']:.1f} |"
    )


if __name__ == "__main__":
    main()
