"""Profile the slow paths with cProfile and print the top functions by cumulative time:
ingest (parse + store), the full index build, the ingest's index flush (update_articles of
a batch into the full index), a word search page, a phrase search page and an article page.

    python benchmarks/hotspots.py --size 10000 [--skip-generate] [--top 15]

Profiles are also written as .prof files (for snakeviz or pstats) to benchmarks/data/profiles/.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import re
import sys
import time
from pathlib import Path
from unittest import mock

BASE_DIR = Path(__file__).resolve().parent.parent
if str(BASE_DIR) not in sys.path:
    sys.path.insert(0, str(BASE_DIR))

from benchmarks import sandbox  # noqa: E402 - needs sys.path
from benchmarks.generate import DATA_DIR, write_corpus  # noqa: E402
from benchmarks.queries import SEARCH_MIX  # noqa: E402
from benchmarks.run import log, prepare_database  # noqa: E402

PROFILE_DIR = DATA_DIR / "profiles"
# Frames that only pass a request or a call along: left out of the listings so the rows
# start where the work is.
PASS_THROUGH = (
    "benchmarks/",
    "django/test/",
    "django/core/handlers/",
    "django/utils/deprecation.py",
    "django/views/generic/base.py",
    "whitenoise/middleware.py",
    "axes/middleware.py",
    "csp/middleware.py",
)


def short_name(key: tuple[str, int, str]) -> str:
    """ "whoosh/writing.py:750 add_document" rather than the full site-packages path."""
    filename, line, function = key
    if "site-packages/" in filename:
        filename = filename.split("site-packages/", 1)[1]
    else:
        filename = re.sub(r"^.*/(?=(?:archive|articles|benchmarks)/)", "", filename)
    return f"{filename}:{line} {function}" if line else function


def hotspots(stats: pstats.Stats, top: int) -> list[tuple[float, float, int, str]]:
    """(cumulative %, own %, calls, function) for the `top` functions by cumulative time,
    leaving out the profiler's own frames and the PASS_THROUGH wrappers."""
    total = stats.total_tt or 1.0
    rows = []
    for key, (_, calls, own, cumulative, _) in stats.stats.items():
        name = short_name(key)
        if "cProfile" in name or "disable" in name or name.startswith(PASS_THROUGH):
            continue
        rows.append((100 * cumulative / total, 100 * own / total, calls, name))
    rows.sort(reverse=True)
    return rows[:top]


def own_time_hotspots(stats: pstats.Stats, top: int) -> list[tuple[float, int, str]]:
    total = stats.total_tt or 1.0
    rows = [
        (100 * own / total, calls, short_name(key))
        for key, (_, calls, own, _, _) in stats.stats.items()
    ]
    rows.sort(reverse=True)
    return rows[:top]


def report(name: str, stats: pstats.Stats, seconds: float | None, top: int) -> None:
    timing = f" ({seconds:.1f} s under the profiler)" if seconds is not None else ""
    print(f"\n## {name}{timing}\n")
    print("| cum % | own % | calls | function |\n|---:|---:|---:|---|")
    for cumulative, own, calls, function in hotspots(stats, top):
        print(f"| {cumulative:.1f} | {own:.1f} | {calls:,} | `{function}` |")
    own = own_time_hotspots(stats, 6)
    print("\nmost own time: " + "; ".join(f"`{f}` {o:.1f}%" for o, _, f in own))


def save_and_report(name: str, profile: cProfile.Profile, seconds: float, top: int) -> None:
    PROFILE_DIR.mkdir(parents=True, exist_ok=True)
    profile.dump_stats(PROFILE_DIR / f"{name}.prof")
    report(name, pstats.Stats(profile), seconds, top)


def profiled(function, *args):
    profile = cProfile.Profile()
    started = time.perf_counter()
    profile.enable()
    try:
        result = function(*args)
    finally:
        profile.disable()
    return profile, time.perf_counter() - started, result


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=10_000, help="Articles in the corpus.")
    parser.add_argument("--skip-generate", action="store_true", help="Reuse the corpus.")
    parser.add_argument(
        "--ingest-sample", type=int, default=1000, help="Captures ingested under the profiler."
    )
    parser.add_argument("--repeat", type=int, default=3, help="Passes over each search case.")
    parser.add_argument("--top", type=int, default=15, help="Functions listed per profile.")
    parser.add_argument(
        "--report", action="store_true", help="Only list the hotspots of the saved profiles."
    )
    args = parser.parse_args(argv)
    if args.report:
        for path in sorted(PROFILE_DIR.glob("*.prof"), key=lambda p: p.stat().st_mtime):
            report(path.stem, pstats.Stats(str(path)), None, args.top)
        return
    corpus = DATA_DIR / str(args.size)
    if not args.skip_generate:
        write_corpus(corpus, args.size)
    data_dir = sandbox.fresh_data_dir()
    sandbox.setup_django(data_dir)
    from django.test import Client

    from articles.ingest.pipeline import find_captures, ingest_paths
    from articles.models import Article
    from articles.search import queue
    from articles.search.sync import rebuild_index, update_articles

    try:
        prepare_database()
        paths = [found.path for found in find_captures([corpus])]
        no_flush = mock.patch.object(queue, "flush", lambda updated, removed: None)
        log(f"profiling the ingest of {args.ingest_sample} captures (index deferred)")
        with no_flush:
            profile, seconds, _ = profiled(ingest_paths, paths[: args.ingest_sample])
            save_and_report("ingest", profile, seconds, args.top)
            log("ingesting the rest, unprofiled")
            ingest_paths(paths[args.ingest_sample :])
        log("profiling the full index build")
        profile, seconds, _ = profiled(rebuild_index)
        save_and_report("index build", profile, seconds, args.top)
        flushed = [int(p) for p in Article.objects.order_by("-pk").values_list("pk", flat=True)]
        flushed = flushed[: args.ingest_sample]
        log(f"profiling the ingest's index flush: update_articles of {len(flushed)} articles")
        profile, seconds, _ = profiled(update_articles, flushed)
        save_and_report("index flush (update_articles)", profile, seconds, args.top)
        client = Client()
        for kind, label in (("words", "word search page"), ("phrase", "phrase search page")):
            cases = [case.archive_path() for case in SEARCH_MIX if case.kind == kind]
            for path in cases:
                client.get(path)  # warm-up
            log(f"profiling {label}")
            profile, seconds, _ = profiled(
                lambda cases=cases: [client.get(p) for p in cases * args.repeat]
            )
            save_and_report(label, profile, seconds, args.top)
        from benchmarks.run import sample_pages

        article_paths, _ = sample_pages()
        for path in article_paths:
            client.get(path)
        profile, seconds, _ = profiled(lambda: [client.get(p) for p in article_paths * args.repeat])
        save_and_report("article page", profile, seconds, args.top)
    finally:
        sandbox.remove(data_dir)


if __name__ == "__main__":
    main()
