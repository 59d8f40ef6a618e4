"""Every public URL of the site, served by gunicorn as `make run` serves it: each kind of
page timed with one client, then the whole-site mix under 1, 8 and 32 concurrent clients,
then a long-tail mix (two requests in three open an article no one has opened yet, caches
cold, as readers spread over an archive do), the first search a freshly started worker
answers, and each worker's peak memory.

    python benchmarks/site.py --size 10000 [--seconds 60] [--archive DIR]

Without --archive, a fresh archive is built from the generated corpus of that size
(migrate, ingest, index, static files) and removed afterwards (unless --keep).
"""

from __future__ import annotations

import argparse
import math
import random
import signal
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

BASE_DIR = Path(__file__).resolve().parent.parent
if str(BASE_DIR) not in sys.path:
    sys.path.insert(0, str(BASE_DIR))

from benchmarks import clients, gunicorn_server, sandbox  # noqa: E402 - needs sys.path
from benchmarks.generate import DATA_DIR, write_corpus, write_warc  # noqa: E402
from benchmarks.latency import summarise  # noqa: E402
from benchmarks.queries import HOSTILE_MIX, SEARCH_MIX  # noqa: E402

SETTINGS = "archive.settings"  # production settings, as `make run` serves them
CONCURRENCY = (1, 8, 32)
# The targets at 100k on 2 cores (ms, p95): one client, and the 32-client mix.
SINGLE_TARGET_MS = {"search: phrase": 500, "search: quotation": 500}
SEARCH_TARGET_MS = 200
PAGE_TARGET_MS = 100
MIX_TARGET_MS = 1000
UNTARGETED = ("export",)  # exports stream a whole result set: timed, no target
# A hostile query is answered, or refused with a page that names the limit it passed; a
# short link sends the reader on to the article's address.
EXPECTED = {"search: hostile": (200, 400), "short link": (301,)}
# Stories of a small crawl ingested beside the corpus, some captured twice (changes pages).
RECAPTURED_STORIES = 200
# Different articles each long-tail mix opens, each once: its first view.
LONG_TAIL_ARTICLES = 600
Connection = Any  # a DB-API connection: sqlite3's or psycopg's (sandbox.connect)


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def build_archive(size: int) -> Path:
    """A fresh archive of `size` generated captures: migrated, ingested, indexed, its related
    coverage kept, static files collected."""
    corpus = write_corpus(DATA_DIR / str(size), size)
    data_dir = sandbox.fresh_data_dir("archive-site-")
    # A crawl of 200 more stories, some captured twice with an edited headline.
    crawl = data_dir / "crawl.warc.gz"
    write_warc(crawl, RECAPTURED_STORIES, start=size)
    env = sandbox.archive_env(data_dir, SETTINGS)
    sandbox.manage(env, "migrate", "--noinput", "--verbosity", "0")
    sandbox.manage(env, "analyse_articles", "--catalogue-only", stdout=subprocess.DEVNULL)
    sandbox.manage(env, "ingest", str(corpus), stdout=subprocess.DEVNULL)
    sandbox.manage(env, "ingest", str(crawl), stdout=subprocess.DEVNULL)
    started = time.perf_counter()
    sandbox.manage(env, "relate_articles", stdout=subprocess.DEVNULL)
    log(f"related coverage ranked and kept in {time.perf_counter() - started:.0f} s")
    sandbox.manage(env, "collectstatic", "--noinput", "--verbosity", "0")
    return data_dir


def _rows(database: Connection, sql: str) -> list[tuple]:
    """The rows of `sql`, written to read the same on SQLite and PostgreSQL."""
    cursor = database.cursor()
    try:
        cursor.execute(sql)
        return [tuple(row) for row in cursor.fetchall()]
    finally:
        cursor.close()


def site_pages(
    database: Connection, *, articles: int = 12, seed: int = 14
) -> list[tuple[str, str]]:
    """(kind, path) for every kind of public page, sampled from the archive the same way
    every run: the busiest and a rare person, topic and source, deep and shallow pages."""
    rng = random.Random(seed)
    chosen = rng.sample(
        _rows(database, "SELECT id, slug FROM articles_article ORDER BY id"), articles
    )
    count = len(_rows(database, "SELECT id FROM articles_article"))
    last_page = max(1, math.ceil(count / 20))
    pages: list[tuple[str, str]] = [("home", "/"), ("timeline", "/timeline/")]
    pages += [("list", f"/articles/?page={n}") for n in (1, 2, last_page // 2, last_page)]
    years = [y for (y,) in _rows(database, LIST_YEARS) if y]
    pages += [("list: filtered", f"/articles/?year={years[len(years) // 2]}&month=3")]
    pages += [("list: undated", "/articles/undated/")]
    pages += [("date archive", f"/articles/{y}/") for y in (years[0], years[-1])]
    pages += [("date archive", f"/articles/{y}/03/") for y in (years[1], years[-2])]
    for pk, slug in chosen:
        base = f"/articles/{pk}/{slug or 'article'}/"
        pages += [("article", base), ("original capture", f"{base}original/")]
        pages += [("short link", f"/a/{pk}/")]
        pages += [
            ("citation", f"/articles/{pk}/cite.bib"),
            ("citation", f"/articles/{pk}/cite.ris"),
        ]
    # Stories captured more than once (build_archive adds some), compared word by word.
    pages += [
        ("changes", f"/articles/{pk}/{slug}/changes/") for pk, slug in _rows(database, RECAPTURED)
    ]
    sources = [slug for (slug,) in _rows(database, SOURCES_BY_SIZE)]
    pages += [("sources", "/sources/")]
    pages += [("source", f"/sources/{s}/") for s in (sources[0], sources[len(sources) // 2])]
    pages += [("source", f"/sources/{sources[0]}/?page=40")]
    for kind, table, column, url in LINKED:
        busiest = [slug for (slug,) in _rows(database, by_links(table, column, kind))]
        pages += [(f"{kind}s", f"/{url}/")]
        for slug in busiest[:1] + busiest[-1:]:
            pages += [(kind, f"/{url}/{slug}/")]
        if kind != "round":  # a round's coverage is a few pages at most
            pages += [(kind, f"/{url}/{busiest[0]}/?page=30&quotes=20")]
    pages += [(f"search: {case.kind}", case.archive_path()) for case in SEARCH_MIX]
    pages += [("search: person", f"/search/?q=radar&person={busiest_person(database)}")]
    pages += [(f"search: {kind}", path) for kind, path in other_searches(database)]
    pages += [
        ("export", "/search/export.csv?q=Kislyak"),
        ("export", "/search/export.json?q=Kislyak"),
    ]
    pages += [("feed", "/feeds/latest/"), ("feed", f"/feeds/sources/{sources[0]}/")]
    pages += [("feed", "/search/feed/?q=Lavrov")]
    pages += [("sitemap", "/sitemap.xml"), ("sitemap", "/sitemap-articles.xml?p=2")]
    pages += [("sitemap", "/sitemap-sources.xml"), ("robots", "/robots.txt")]
    pages += [("opensearch", "/opensearch.xml")]
    return pages


LIST_YEARS = (
    "SELECT DISTINCT substr(CAST(published_date AS TEXT), 1, 4) FROM articles_article "
    "WHERE published_date IS NOT NULL ORDER BY 1"
)
RECAPTURED = (
    "SELECT a.id, a.slug FROM articles_article a WHERE a.id IN (SELECT article_id FROM "
    "articles_capture GROUP BY article_id HAVING count(*) > 1 LIMIT 6) ORDER BY a.id"
)
SOURCES_BY_SIZE = (
    "SELECT s.slug FROM articles_source s JOIN articles_article a ON a.source_id = s.id "
    "GROUP BY s.id ORDER BY count(*) DESC"
)
LINKED = (
    ("person", "articles_person", "person_id", "people"),
    ("topic", "articles_topic", "topic_id", "topics"),
    ("round", "articles_talksround", "round_id", "rounds"),
)


def by_links(table: str, column: str, kind: str) -> str:
    links = {"person": "articleperson", "topic": "articletopic", "round": "articleround"}[kind]
    return (
        f"SELECT t.slug FROM {table} t JOIN articles_{links} l ON l.{column} = t.id "
        "GROUP BY t.id ORDER BY count(*) DESC"
    )


def other_searches(database: Connection) -> list[tuple[str, str]]:
    """Searches beyond the mix: words someone was quoted saying (the page names who said
    them), misspellings (the page offers a respelling), filters, sorts, deep result pages
    and the hostile queries (answered, or refused with a 400 that names the limit)."""
    said = [q for (q,) in _rows(database, QUOTED) if len(q.split()) >= 4]
    quoted = [f'"{" ".join(q.split()[:4])}"' for q in said[:3]]
    searches = [("quotation", q) for q in quoted]
    searches += [("spelling", q) for q in ("misile defence", "Lavorv radar", "tretay talks")]
    searches += [("filtered", "q=treaty&changed=yes"), ("filtered", "q=radar&sort=newest")]
    searches += [("filtered", "q=missile&sort=oldest&page=40")]
    pages = [
        (kind, q if kind == "filtered" else f"/search/?{urlencode({'q': q})}")
        for kind, q in searches
    ]
    pages = [(kind, p if p.startswith("/") else f"/search/?{p}") for kind, p in pages]
    pages += [("hostile", f"/search/?{urlencode({'q': q})}") for q in HOSTILE_MIX]
    return pages


# Quotations of the busiest people, longest first: their opening words are a phrase only
# they said.
QUOTED = (
    "SELECT q.quote FROM articles_quotation q WHERE q.id IN "
    "(SELECT id FROM articles_quotation ORDER BY id LIMIT 2000) ORDER BY length(q.quote) DESC"
)


def busiest_person(database: Connection) -> str:
    return _rows(database, by_links("articles_person", "person_id", "person"))[0][0]


def long_tail_mixes(
    database: Connection, pages: list[tuple[str, str]], runs: int, count: int, *, seed: int = 21
) -> list[list[tuple[str, str]]]:
    """`runs` mixes of `count` articles each that no page of the site mix opens and no other
    mix repeats, every second one followed by a search or list page of the site mix: two
    requests in three are an article's first view."""
    opened = {path for kind, path in pages if kind == "article"}
    rows = _rows(database, "SELECT id, slug FROM articles_article ORDER BY id")
    random.Random(seed).shuffle(rows)
    paths = [f"/articles/{pk}/{slug or 'article'}/" for pk, slug in rows]
    fresh = [path for path in paths if path not in opened][: count * runs]
    others = [(kind, path) for kind, path in pages if kind.startswith(("search", "list"))]
    mixes = []
    for run in range(runs):
        mix: list[tuple[str, str]] = []
        for i, path in enumerate(fresh[run * count : (run + 1) * count]):
            mix.append(("article: first view", path))
            if i % 2:
                mix.append(others[(i // 2) % len(others)])
        mixes.append(mix)
    return mixes


def mix_figures(hits: list[clients.Hit], elapsed: float) -> dict:
    """Rate, errors and each kind's latency summary of one mix."""
    by_kind: dict[str, list[float]] = defaultdict(list)
    by_group: dict[str, list[float]] = defaultdict(list)  # "search: phrase" is a search
    for hit in hits:
        by_kind[hit.kind].append(hit.seconds)
        by_group[hit.kind.split(":")[0]].append(hit.seconds)
    failed = [h for h in hits if h.status >= 500 or h.status == 0]
    return {
        "requests": len(hits),
        "rate": len(hits) / elapsed,
        "errors": len(failed),
        "failed": sorted({f"{h.status} {h.kind}" for h in failed}),
        "timeouts": sum(1 for h in hits if is_timeout(h)),
        "kinds": {kind: summarise(values) for kind, values in by_kind.items()},
        "groups": {group: summarise(values) for group, values in by_group.items()},
        "time": {kind: sum(values) for kind, values in by_kind.items()},
    }


def first_searches(port: int) -> list[float]:
    """Two searches at once, as a freshly started server's first requests: seconds each."""
    cases = [SEARCH_MIX[11], SEARCH_MIX[27]]  # words and a phrase no warm-up asked for
    hits = clients.drive(
        port,
        [("search", c.archive_path()) for c in cases],
        threads=2,
        max_requests=2,
        max_seconds=60,
    )
    return [hit.seconds for hit in hits]


def is_timeout(hit: clients.Hit) -> bool:
    return hit.status == 0 and "timed out" in hit.error.lower()


def run(args: argparse.Namespace) -> dict:
    data_dir = args.archive or build_archive(args.size)
    env = sandbox.archive_env(
        data_dir, SETTINGS, database_url=args.database_url, search_url=args.search_url
    )
    database = sandbox.connect(data_dir, args.database_url)
    pages = site_pages(database)
    size = len(_rows(database, "SELECT id FROM articles_article"))
    port = gunicorn_server.free_port()
    engines = f"{sandbox.engine_label(args.database_url)}, {sandbox.engine_label(args.search_url)}"
    log(f"{size:,} articles in {data_dir} ({engines}); gunicorn on 127.0.0.1:{port}")
    server = gunicorn_server.start_gunicorn(
        env, port, data_dir / "gunicorn-site.log", workers=args.workers, threads=args.threads
    )
    figures: dict = {"size": size, "pages": len(pages)}
    try:
        started = time.perf_counter()
        gunicorn_server.wait_until_serving(port, server, timeout=300)
        figures["start_seconds"] = time.perf_counter() - started
        figures["first_search"] = first_searches(port)
        log(f"first searches: {figures['first_search']}")
        clients.drive(port, pages, threads=1, max_requests=len(pages), max_seconds=900)  # warm
        single: dict[str, list[float]] = defaultdict(list)
        log("one client, each page")
        for hit in clients.drive(
            port, pages, threads=1, max_requests=len(pages) * args.runs, max_seconds=1800
        ):
            single[hit.kind].append(hit.seconds)
            if hit.status not in EXPECTED.get(hit.kind, (200,)):
                figures.setdefault("bad", set()).add(f"{hit.status} {hit.path}")
        figures["single"] = {kind: summarise(values) for kind, values in single.items()}
        # Exports stream up to 10,000 whole articles each: timed alone above, left out of
        # the mixes, where each would hold a server thread for seconds.
        mix = [(kind, path) for kind, path in pages if not kind.startswith(UNTARGETED)]
        for threads in args.clients:
            log(f"whole-site mix, {threads} clients, {args.seconds:.0f} s")
            began = time.perf_counter()
            hits = clients.drive(
                port, mix, threads=threads, max_requests=10**9, max_seconds=args.seconds
            )
            figures[f"mix{threads}"] = mix_figures(hits, time.perf_counter() - began)
        tails = (1, max(args.clients)) if args.long_tail else ()
        mixes = long_tail_mixes(database, pages, len(tails), args.long_tail)
        for threads, mix in zip(tails, mixes, strict=True):
            log(f"long-tail mix, {threads} clients, {len(mix)} requests")
            began = time.perf_counter()
            hits = clients.drive(
                port, mix, threads=threads, max_requests=len(mix), max_seconds=900, spread=0
            )
            figures[f"tail{threads}"] = mix_figures(hits, time.perf_counter() - began)
        figures["workers"] = [
            gunicorn_server.memory_kib(pid) for pid in gunicorn_server.worker_pids(server.pid)
        ]
    finally:
        database.close()
        gunicorn_server.stop_gunicorn(server)
        if not args.archive and not args.keep:
            sandbox.remove(data_dir)
    return figures


def target(kind: str, single: bool) -> float:
    if kind.startswith(UNTARGETED):
        return math.nan
    if not single:
        return MIX_TARGET_MS
    return SINGLE_TARGET_MS.get(
        kind, SEARCH_TARGET_MS if kind.startswith("search") else PAGE_TARGET_MS
    )


def cell(summary: dict | None, limit: float) -> str:
    if not summary or not summary["n"]:
        return ""
    mark = "" if math.isnan(limit) or summary["p95"] <= limit else " ✗"
    return f"{summary['p50']:,.0f} / {summary['p95']:,.0f}{mark}"


def report(figures: dict, args: argparse.Namespace) -> str:
    lines = [
        f"Whole site, {figures['size']:,} articles on {sandbox.engine_label(args.database_url)}"
        f" + {sandbox.engine_label(args.search_url)}, gunicorn {args.workers} workers × "
        f"{args.threads} threads, {figures['pages']} URLs; one client: {args.runs} passes; "
        f"mixes: {args.seconds:.0f} s each",
        "",
        "| page kind | 1 client, alone | "
        + " | ".join(f"mix, {n} client{'s' if n > 1 else ''}" for n in args.clients)
        + " |",
        "|---|---|" + "---|" * len(args.clients),
    ]
    for kind in sorted(figures["single"]):
        row = [kind, cell(figures["single"][kind], target(kind, True))]
        row += [
            cell(figures[f"mix{n}"]["kinds"].get(kind), target(kind, False)) for n in args.clients
        ]
        lines.append("| " + " | ".join(row) + " |")
    lines.append("")
    lines.append("p50 / p95 in ms; ✗ marks a p95 over its target (100 ms a page, 200 ms a search,")
    lines.append(
        "500 ms a phrase with one client; 1 s for every kind in a mix; exports untargeted)."
    )
    for n in args.clients:
        mix = figures[f"mix{n}"]
        lines.append(
            f"- mix, {n} clients: {mix['requests']:,} requests, {mix['rate']:.1f}/s, "
            f"{mix['errors']} errors (5xx or no answer), {mix['timeouts']} time-outs"
            + (f" ({', '.join(mix['failed'])})" if mix["failed"] else "")
        )
    # With one client the server works on one request at a time: where its time goes.
    spent = figures[f"mix{args.clients[0]}"]["time"]
    total = sum(spent.values()) or 1
    shares = sorted(spent.items(), key=lambda item: -item[1])
    lines.append(
        f"- time by kind, mix of {args.clients[0]} client(s): "
        + ", ".join(f"{kind} {seconds / total:.0%}" for kind, seconds in shares[:10])
    )
    first = figures["first_search"]
    lines.append(
        f"- server answering after {figures['start_seconds']:.1f} s; first two searches "
        f"(sent together): {', '.join(f'{s * 1000:,.0f} ms' for s in first)}"
    )
    tails = sorted(int(key[4:]) for key in figures if key.startswith("tail"))
    if tails:
        lines += [
            "",
            "Long-tail mix: two requests in three open an article not opened before (its first "
            "view), the third a search or list page; p50 / p95 ms",
            "",
            "| clients | requests | per second | errors | article first view | searches | lists |",
            "|---|---|---|---|---|---|---|",
        ]
    for n in tails:
        tail = figures[f"tail{n}"]
        lines.append(
            f"| {n} | {tail['requests']:,} | {tail['rate']:.1f} | {tail['errors']} | "
            + " | ".join(
                cell(tail["groups"].get(group), target(group, single=n == 1))
                for group in ("article", "search", "list")
            )
            + " |"
        )
    peaks = [w.get("VmHWM", 0) / 1024 for w in figures["workers"]]
    lines.append(f"- worker peak memory (VmHWM): {', '.join(f'{p:,.0f} MB' for p in peaks)}")
    now = [(w.get("RssAnon", 0) / 1024, w.get("RssFile", 0) / 1024) for w in figures["workers"]]
    lines.append(
        "- worker memory at the end, own / mapped files (shared page cache): "
        + ", ".join(f"{own:,.0f} / {mapped:,.0f} MB" for own, mapped in now)
    )
    if figures.get("bad"):
        lines.append(f"- not 200: {', '.join(sorted(figures['bad'])[:8])}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=10_000, help="Articles, if building.")
    parser.add_argument("--archive", type=Path, help="A data folder to serve instead of building.")
    parser.add_argument("--runs", type=int, default=3, help="Timed passes with one client.")
    parser.add_argument("--seconds", type=float, default=60, help="Length of each mix.")
    parser.add_argument(
        "--clients", type=int, nargs="+", default=list(CONCURRENCY), help="Mix concurrencies."
    )
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (make run: 2).")
    parser.add_argument("--threads", type=int, default=4, help="Threads per worker (make run: 4).")
    parser.add_argument("--keep", action="store_true", help="Keep a built archive.")
    parser.add_argument(
        "--database-url",
        help="Serve --archive from this database (postgres://…) instead of its SQLite file.",
    )
    parser.add_argument(
        "--search-url",
        help="Serve --archive's searches from this engine (solr://…, as `make solr` prints).",
    )
    parser.add_argument(
        "--long-tail",
        type=int,
        default=LONG_TAIL_ARTICLES,
        help="Articles each long-tail mix opens once (1 client, then the most); 0: none.",
    )
    args = parser.parse_args(argv)
    if (args.database_url or args.search_url) and not args.archive:
        parser.error("--database-url and --search-url serve an archive built there: --archive")
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    print(report(run(args), args))


if __name__ == "__main__":
    main()
