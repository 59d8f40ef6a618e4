"""First views of article pages: many different articles, each opened once, as readers
arriving from search or a feed open them. A site benchmark that warms its caches measures
repeated views; this measures the view nobody has paid for yet.

    python benchmarks/first_views.py --size 10000 [--articles 200] [--archive DIR] [--keep]
        [--live] [--database-url postgres://… --search-url solr://…]  (with --archive)

Without --archive, a fresh archive of that many generated captures is built (migrate,
curated lists, ingest, related coverage ranked and kept, static files) and removed
afterwards (unless --keep). With --live, the kept lists are not read: each first view
ranks its related coverage, as a page does before `relate_articles` has run. The index and
database stay open and warm between views, as in a running server worker; only what
belongs to one article (its related coverage) is cold on its first view. Each article is
then opened a second time, for the cached figure beside it.
"""

from __future__ import annotations

import argparse
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
if str(BASE_DIR) not in sys.path:
    sys.path.insert(0, str(BASE_DIR))

from benchmarks import sandbox  # noqa: E402 - needs sys.path
from benchmarks.generate import DATA_DIR, write_corpus  # noqa: E402
from benchmarks.latency import percentile  # noqa: E402

SETTINGS = "benchmarks.settings"
# Articles opened before timing starts (not in the sample): the index's searcher, the
# word rarities and the database's pages are warm, as in a worker that has served a while.
WARM_UP_ARTICLES = 10


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def build_archive(size: int) -> Path:
    """A fresh archive of `size` generated captures, ingested (and so analysed and indexed)."""
    corpus = write_corpus(DATA_DIR / str(size), size)
    data_dir = sandbox.fresh_data_dir("archive-first-views-")
    env = sandbox.archive_env(data_dir, SETTINGS)
    sandbox.manage(env, "migrate", "--noinput", "--verbosity", "0")
    sandbox.manage(env, "analyse_articles", "--catalogue-only", stdout=subprocess.DEVNULL)
    started = time.perf_counter()
    sandbox.manage(env, "ingest", str(corpus), stdout=subprocess.DEVNULL)
    log(f"ingested {size} captures in {time.perf_counter() - started:.0f} s")
    started = time.perf_counter()
    sandbox.manage(env, "relate_articles", stdout=subprocess.DEVNULL)
    log(f"related coverage ranked and kept in {time.perf_counter() - started:.0f} s")
    sandbox.manage(env, "collectstatic", "--noinput", "--verbosity", "0")
    return data_dir


def timed_views(client, paths: list[str]) -> tuple[list[float], list[float]]:
    """Milliseconds per page, elapsed and of this process's CPU, each path requested once,
    in order. On shared cores the CPU time is the steadier figure of the two."""
    elapsed, cpu = [], []
    for path in paths:
        started, started_cpu = time.perf_counter(), time.process_time()
        response = client.get(path)
        elapsed.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"{path}: HTTP {response.status_code}")
    return elapsed, cpu


def summary(label: str, times: list[float]) -> str:
    return (
        f"{label:<14} n={len(times):<4} median {statistics.median(times):7.1f} ms   "
        f"p95 {percentile(times, 95):7.1f} ms   max {max(times):7.1f} ms"
    )


def measure(data_dir: Path, articles: int, seed: int, live: bool, **urls: str | None) -> None:
    sandbox.setup_django(data_dir, SETTINGS, **urls)
    from django.core.cache import cache
    from django.test import Client

    from articles import related
    from articles.models import Article, KeptRelated

    if live:
        related.kept_rows = lambda pk, wanted: None

    everything = list(Article.objects.published().values_list("pk", flat=True))
    rng = random.Random(seed)
    chosen = rng.sample(everything, min(len(everything), articles + WARM_UP_ARTICLES))
    warm, sample = chosen[:WARM_UP_ARTICLES], chosen[WARM_UP_ARTICLES:]
    paths = {pk: Article.objects.get(pk=pk).get_absolute_url() for pk in chosen}
    cache.clear()
    client = Client()
    timed_views(client, [paths[pk] for pk in warm])
    first, first_cpu = timed_views(client, [paths[pk] for pk in sample])
    again, again_cpu = timed_views(client, [paths[pk] for pk in sample])
    kept = KeptRelated.objects.count()
    print(
        f"article pages of {len(everything)} articles, {len(sample)} opened once each; "
        f"{kept} kept related lists, {'not read (--live)' if live else 'read'}:"
    )
    print(summary("first view", first))
    print(summary("  its CPU", first_cpu))
    print(summary("second view", again))
    print(summary("  its CPU", again_cpu))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=10_000)
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--seed", type=int, default=21)
    parser.add_argument("--archive", type=Path, help="an archive's data folder to measure")
    parser.add_argument("--keep", action="store_true", help="keep the archive built")
    parser.add_argument("--live", action="store_true", help="rank related coverage on each view")
    parser.add_argument("--database-url", help="the archive's database, if not its SQLite file")
    parser.add_argument("--search-url", help="the archive's search engine (solr://…)")
    args = parser.parse_args(argv)
    if (args.database_url or args.search_url) and not args.archive:
        parser.error("--database-url and --search-url measure an archive built there: --archive")
    data_dir = args.archive or build_archive(args.size)
    if not args.archive:
        log(f"archive in {data_dir}")
    try:
        measure(
            data_dir,
            args.articles,
            args.seed,
            args.live,
            database_url=args.database_url,
            search_url=args.search_url,
        )
    finally:
        if not args.archive and not args.keep:
            sandbox.remove(data_dir)


if __name__ == "__main__":
    main()
