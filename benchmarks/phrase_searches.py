"""Quoted phrases as the search engine answers them, in one process: each phrase of the
benchmark mix and the site benchmark's quotations, timed the first time a fresh process
asks it (its words' positions not yet read) and a second time (read and kept).

    python benchmarks/phrase_searches.py --archive DIR [--rounds 3]

Each query runs in a process of its own, which first answers one unrelated word search so
that what every search pays once (the index's files, each segment's lengths) is paid
before the timing. Prints, per query, the median over the rounds of elapsed and CPU
milliseconds, first and second time, and the number of matches.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import parse_qs, urlparse

BASE_DIR = Path(__file__).resolve().parent.parent
if str(BASE_DIR) not in sys.path:
    sys.path.insert(0, str(BASE_DIR))

from benchmarks import sandbox  # noqa: E402 - needs sys.path
from benchmarks.queries import SEARCH_MIX  # noqa: E402

SETTINGS = "archive.settings"  # as the site benchmark serves it
WARM_UP_QUERY = "talks"


def phrase_queries(data_dir: Path) -> list[tuple[str, str]]:
    """(kind, query): the mix's phrases, then the site benchmark's quotations."""
    from benchmarks.site import other_searches

    found = [(case.kind, case.q) for case in SEARCH_MIX if case.kind == "phrase"]
    for kind, path in other_searches(data_dir / "archive.sqlite3"):
        if kind == "quotation":
            found.append((kind, parse_qs(urlparse(path).query)["q"][0]))
    return found


def time_one(data_dir: Path, query: str) -> dict:
    """In this process: the warm-up search, then `query` twice, each by a new search."""
    secret = data_dir / "secret_key"
    if "DJANGO_SECRET_KEY" not in os.environ and secret.exists():
        os.environ["DJANGO_SECRET_KEY"] = secret.read_text().strip()
    sandbox.setup_django(data_dir, SETTINGS)
    from haystack import connections

    from articles.search.limits import Deadline
    from articles.search.whoosh import engine

    backend = connections["default"].get_backend()
    searcher = backend.searcher()
    engine.ArraySearch(searcher, Deadline()).ranked(backend.parser.parse(WARM_UP_QUERY))
    parsed = backend.parser.parse(query)
    figures: dict = {}
    for name in ("first", "second"):
        wall, cpu = time.perf_counter(), time.process_time()
        matches = engine.ArraySearch(searcher, Deadline()).ranked(parsed)
        figures[name] = (time.perf_counter() - wall) * 1000
        figures[f"{name} cpu"] = (time.process_time() - cpu) * 1000
        figures["matches"] = len(matches)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--archive", type=Path, required=True, help="an archive's data folder")
    parser.add_argument("--rounds", type=int, default=3, help="fresh processes per query")
    parser.add_argument("--one", help=argparse.SUPPRESS)  # the child: time this query
    args = parser.parse_args()
    if args.one is not None:
        print(json.dumps(time_one(args.archive, args.one)))
        return
    queries = phrase_queries(args.archive)
    runs: dict[str, list[dict]] = {query: [] for _, query in queries}
    for _ in range(args.rounds):
        for _, query in queries:
            child = [sys.executable, __file__, "--archive", str(args.archive), "--one", query]
            output = subprocess.run(child, check=True, capture_output=True, text=True).stdout
            runs[query].append(json.loads(output.strip().splitlines()[-1]))
    print(f"{'kind':<10} {'query':<40} {'first ms':>9} {'cpu':>6} {'second':>7} {'cpu':>6} hits")
    for kind, query in queries:
        median = {
            name: statistics.median(run[name] for run in runs[query])
            for name in ("first", "first cpu", "second", "second cpu")
        }
        print(
            f"{kind:<10} {query[:40]:<40} {median['first']:>9.0f} {median['first cpu']:>6.0f} "
            f"{median['second']:>7.0f} {median['second cpu']:>6.0f} {runs[query][0]['matches']}"
        )


if __name__ == "__main__":
    main()
