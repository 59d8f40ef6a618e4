"""The benchmark run: generate (or reuse) a corpus, load it into a fresh archive, and print
one table of ingest and index rates, search and page latencies, worker memory and how soon
a correction is searchable, beside stock Haystack and a raw SQLite FTS5 floor.

    python benchmarks/run.py --size 10000 [--skip-generate] [--runs 5]
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import signal
import sqlite3
import statistics
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from unittest import mock

BASE_DIR = Path(__file__).resolve().parent.parent
if str(BASE_DIR) not in sys.path:
    sys.path.insert(0, str(BASE_DIR))

from benchmarks import clients, gunicorn_server, sandbox  # noqa: E402 - needs sys.path
from benchmarks.generate import DATA_DIR, write_corpus  # noqa: E402
from benchmarks.latency import ratio, summarise  # noqa: E402
from benchmarks.queries import HOSTILE_MIX, KIND_LABELS, SEARCH_MIX, SearchCase  # noqa: E402

# The targets at 100k articles on 2 cores, printed beside the figures.
TARGETS = {
    "ingest": "≥ 1,000/s",
    "index": "≥ 3× stock, < 10 min",
    "words": "p50 ≤ 60, p95 ≤ 200 ms; ≥ 5× stock p95",
    "rare": "p50 ≤ 60, p95 ≤ 200 ms; ≥ 5× stock p95",
    "phrase": "p95 ≤ 500 ms",
    "article": "p95 ≤ 30 ms",
    "list": "p95 ≤ 50 ms",
    "memory": "≤ 300 MB",
    "correction": "≤ 1 s",
    "hostile": "slowest ≤ 1 s, never a 500",
}


@dataclass
class Table:
    """The rows of the one result table, and the raw figures for --json."""

    rows: list[tuple[str, ...]] = field(default_factory=list)
    figures: dict = field(default_factory=dict)

    def add(
        self, measure: str, ours: str, stock: str = "", floor: str = "", rat: str = "", key=""
    ) -> None:
        self.rows.append((measure, ours, stock, floor, rat, TARGETS.get(key, "")))

    def markdown(self) -> str:
        header = ("measure", "archive", "stock Haystack", "FTS5 floor", "ratio", "target (100k)")
        lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        lines += ["| " + " | ".join(row) + " |" for row in self.rows]
        return "\n".join(lines)


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def machine_info() -> dict[str, str]:
    """CPU model, cores, memory, Python, SQLite and library versions, and the date."""
    cpu = "unknown"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    memory = "unknown"
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal"):
            memory = f"{int(line.split()[1]) / 1024**2:.1f} GiB"
    from importlib.metadata import version

    return {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "cpu": cpu,
        "cores": str(os.cpu_count()),
        "memory": memory,
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "django": version("Django"),
        "haystack": version("django-haystack"),
        "whoosh": version("Whoosh"),
    }


def rate(count: int, seconds: float) -> str:
    return f"{count / seconds:,.0f}/s ({seconds:,.1f} s)" if seconds else "n/a"


def megabytes_per_second(megabytes: float, seconds: float) -> str:
    return f"{megabytes / seconds:,.2f} MB/s ({megabytes:,.1f} MB)" if seconds else "n/a"


def ms(value: float) -> str:
    return "n/a" if math.isnan(value) else f"{value:,.0f}" if value >= 10 else f"{value:.1f}"


def p50_95_99(summary: dict) -> str:
    return f"{ms(summary['p50'])} / {ms(summary['p95'])} / {ms(summary['p99'])}"


# -- Ingest and indexing --------------------------------------------------------------------


def prepare_database() -> None:
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)


def measure_parsing(corpus: Path, limit: int) -> tuple[int, float]:
    """Parse-only rate (pure Python, no database) over up to `limit` captures."""
    from articles.ingest import parse_capture
    from articles.ingest.pipeline import find_captures

    paths = [found.path for found in find_captures([corpus])][:limit]
    started = time.perf_counter()
    for path in paths:
        parse_capture(path.read_bytes(), path.name)
    return len(paths), time.perf_counter() - started


def measure_ingest(corpus: Path, *, flush: bool = True) -> tuple[dict, list[int]]:
    """ingest_paths with its end-of-run index flush held back, then that flush on its own.

    ingest_paths wraps the run in batched_indexing(), which gathers committed article ids
    and indexes them all when the run ends; holding `queue.flush` back times the parse
    and database work alone, and the flush is then timed as update_articles(ids) (unless
    `flush` is false: the full rebuild that follows fills the index anyway)."""
    from articles.ingest.pipeline import ingest_paths
    from articles.search import queue
    from articles.search.sync import update_articles

    held: list[set[int]] = []
    with mock.patch.object(queue, "flush", lambda updated, removed: held.append(updated)):
        started = time.perf_counter()
        report = ingest_paths([corpus])
        store_seconds = time.perf_counter() - started
    pks = sorted(set().union(*held))
    started = time.perf_counter()
    if flush:
        update_articles(pks)
    flush_seconds = time.perf_counter() - started if flush else math.nan
    figures = {
        "created": report.count("created"),
        "failed": report.failed,
        "store_seconds": store_seconds,
        "flush_seconds": flush_seconds,
        "indexed": len(pks),
    }
    return figures, pks


def measure_warc_ingest(corpus: Path, start: int, size: int) -> dict:
    """A gzipped WARC of `size` further stories (requests, stylesheets and re-captures as a
    crawl has them) ingested with the index flush held back, as text ingest is timed."""
    from articles.ingest.pipeline import ingest_paths
    from articles.search import queue
    from benchmarks.generate import write_warc

    crawl = corpus.parent / f"crawl-{start}-{size}.warc.gz"
    warc = write_warc(crawl, size, start=start)
    try:
        with mock.patch.object(queue, "flush", lambda updated, removed: None):
            started = time.perf_counter()
            ingest_paths([crawl])
            seconds = time.perf_counter() - started
    finally:
        crawl.unlink(missing_ok=True)
    return {**warc, "seconds": seconds}


def measure_index_builds(data_dir: Path, stock_timeout: float = 0) -> dict:
    """Full rebuild with the archive's backend, then stock Haystack's `rebuild_index --using
    stock` in a child process (Django start-up included, about a second), given up after
    `stock_timeout` seconds if that is set."""
    import subprocess

    from articles.search.sync import rebuild_index

    started = time.perf_counter()
    count = rebuild_index()
    ours = time.perf_counter() - started
    if stock_timeout < 0:  # --no-stock
        return {"count": count, "ours_seconds": ours, "stock_seconds": math.nan}
    started = time.perf_counter()
    try:
        sandbox.manage(
            sandbox.archive_env(data_dir),
            *("rebuild_index", "--noinput", "--using", "stock", "--verbosity", "0"),
            timeout=stock_timeout or None,
        )
        stock = time.perf_counter() - started
    except subprocess.TimeoutExpired:
        stock = math.nan
    return {"count": count, "ours_seconds": ours, "stock_seconds": stock}


FTS_WHERE = "docs MATCH ?"


def build_fts(data_dir: Path) -> tuple[sqlite3.Connection, float]:
    """An FTS5 table (porter stemming) over the same articles, in its own SQLite file."""
    from django.conf import settings

    path = data_dir / "fts5.sqlite3"
    connection = sqlite3.connect(path, check_same_thread=False)
    started = time.perf_counter()
    connection.execute(
        "ATTACH DATABASE ? AS archive", (str(settings.DATABASES["default"]["NAME"]),)
    )
    connection.execute(
        "CREATE VIRTUAL TABLE docs USING fts5("
        "title, body, source UNINDEXED, pub_date UNINDEXED, tokenize='porter unicode61')"
    )
    connection.execute(
        "INSERT INTO docs (rowid, title, body, source, pub_date) "
        "SELECT a.id, a.title, a.body, coalesce(s.name, 'Unknown source'), a.published_date "
        "FROM archive.articles_article a LEFT JOIN archive.articles_source s ON s.id = a.source_id"
    )
    connection.commit()
    connection.execute("DETACH DATABASE archive")
    return connection, time.perf_counter() - started


def fts_search(connection: sqlite3.Connection, case: SearchCase) -> int:
    """The floor: top 20 by bm25 (title weighted 3) with snippets, the count, and counts
    per source as the facet analogue."""
    where, params = FTS_WHERE, [case.fts_match()]
    if case.source:
        where += " AND source = ?"
        params.append(case.source)
    if case.date_from:
        where += " AND pub_date BETWEEN ? AND ?"
        params += [case.date_from, case.date_to]
    connection.execute(
        "SELECT rowid, title, snippet(docs, 1, '<mark>', '</mark>', '…', 30) FROM docs "
        f"WHERE {where} ORDER BY bm25(docs, 3.0, 1.0) LIMIT 20",
        params,
    ).fetchall()
    (count,) = connection.execute(f"SELECT count(*) FROM docs WHERE {where}", params).fetchone()
    connection.execute(
        f"SELECT source, count(*) FROM docs WHERE {where} GROUP BY source ORDER BY 2 DESC",
        params,
    ).fetchall()
    return count


# -- Pages ----------------------------------------------------------------------------------


def timed_get(client, path: str) -> float:
    started = time.perf_counter()
    response = client.get(path)
    elapsed = time.perf_counter() - started
    if response.status_code != 200:
        raise RuntimeError(f"GET {path} answered {response.status_code}")
    return elapsed


def hit_counts(case: SearchCase, fts: sqlite3.Connection, stock: bool) -> tuple[int, int, int]:
    """How many articles each system finds for a case: a check that they do similar work."""
    from haystack.query import SearchQuerySet

    from articles.search.query import Criteria
    from articles.search.service import run_search

    criteria = Criteria(
        q=case.q,
        sources=(case.source,) if case.source else (),
        date_from=datetime.strptime(case.date_from, "%Y-%m-%d").date() if case.date_from else None,
        date_to=datetime.strptime(case.date_to, "%Y-%m-%d").date() if case.date_to else None,
    )
    ours = run_search(criteria).hits
    if not stock:
        return ours, -1, fts_search(fts, case)
    stock_sqs = SearchQuerySet(using="stock").auto_query(case.q)
    if case.source:
        stock_sqs = stock_sqs.narrow(f'source_exact:"{case.source}"')
    if case.date_from:
        stock_sqs = stock_sqs.filter(pub_date__gte=criteria.date_from).filter(
            pub_date__lte=criteria.date_to
        )
    return ours, stock_sqs.count(), fts_search(fts, case)


def measure_search(fts: sqlite3.Connection, runs: int, stock_runs: int) -> dict:
    """Each case of the mix through the archive's page, the stock page and FTS5: one warm-up
    pass, then `runs` timed passes (interleaved, so caches treat them alike)."""
    from django.test import Client

    client = Client()
    timings: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    for case in SEARCH_MIX:  # warm-up: open indexes, fill caches, compile templates
        # Timed too: the first pass reads every word's postings from disk (cold caches).
        timings["ours_cold"]["all"].append(timed_get(client, case.archive_path()))
        if stock_runs:
            timed_get(client, case.stock_path())
        fts_search(fts, case)
    for run in range(runs):
        for case in SEARCH_MIX:
            timings["ours"][case.kind].append(timed_get(client, case.archive_path()))
            if run < stock_runs:
                timings["stock"][case.kind].append(timed_get(client, case.stock_path()))
            started = time.perf_counter()
            fts_search(fts, case)
            timings["fts"][case.kind].append(time.perf_counter() - started)
    counts = {case.archive_path(): hit_counts(case, fts, stock_runs > 0) for case in SEARCH_MIX}
    return {
        system: {kind: summarise(values) for kind, values in kinds.items()}
        for system, kinds in timings.items()
    } | {"hits": counts}


def measure_hostile(runs: int) -> dict:
    """Each hostile query through the archive's page, `runs` times: its median time and the
    status it answered (200 results, 400 a limit named, 503 stopped at the time budget; a
    500 would be a failure)."""
    from urllib.parse import urlencode

    from django.test import Client

    client = Client(raise_request_exception=False)
    cases = {}
    for q in HOSTILE_MIX:
        path = f"/search/?{urlencode({'q': q})}"
        times, statuses = [], set()
        for _ in range(runs):
            started = time.perf_counter()
            response = client.get(path)
            times.append(time.perf_counter() - started)
            statuses.add(response.status_code)
        cases[q] = {
            "median": statistics.median(times) * 1000,
            "max": max(times) * 1000,
            "status": sorted(statuses),
        }
    return cases


def sample_pages(articles: int = 40, lists: int = 8) -> tuple[list[str], list[str]]:
    """Article pages spread over the ids, and list pages spread over the pagination."""
    from articles.models import Article
    from articles.views import ArticleListView

    pks = list(Article.objects.order_by("pk").values_list("pk", flat=True))
    step = max(1, len(pks) // articles)
    chosen = Article.objects.filter(pk__in=pks[::step][:articles]).order_by("pk")
    article_paths = [article.get_absolute_url() for article in chosen]
    pages = max(1, math.ceil(len(pks) / ArticleListView.paginate_by))
    numbers = sorted({1, 2, 3, 10, pages // 4, pages // 2, pages - 1, pages} - {0})[:lists]
    list_paths = [f"/articles/?page={n}" for n in numbers if 1 <= n <= pages]
    return article_paths, list_paths


def measure_pages(runs: int) -> dict:
    from django.test import Client

    client = Client()
    article_paths, list_paths = sample_pages()
    found: dict[str, list[float]] = defaultdict(list)
    for path in article_paths + list_paths:
        timed_get(client, path)
    for _ in range(runs):
        for path in article_paths:
            found["article"].append(timed_get(client, path))
        for path in list_paths:
            found["list"].append(timed_get(client, path))
    return {kind: summarise(values) for kind, values in found.items()}


# -- Corrections ----------------------------------------------------------------------------


def correct_title(pk: int, token: str) -> float:
    """What the admin does on save: change a field and save in one transaction; the index
    is updated on commit by the signal processor. Returns when the commit did."""
    from django.db import transaction

    from articles.models import Article

    started = time.perf_counter()
    with transaction.atomic():
        article = Article.objects.select_for_update().get(pk=pk)
        article.title = f"{article.title} {token}"
        article.save()
    return started


def wait_until_found(search, token: str, started: float, timeout: float = 60.0) -> float:
    """Poll `search(token)` until it finds something; seconds since `started`."""
    while not search(token):
        if time.perf_counter() - started > timeout:
            return math.nan
        time.sleep(0.005)
    return time.perf_counter() - started


def measure_corrections(runs: int, server_port: int | None = None) -> dict:
    """Seconds from the start of an admin-style save to the change being found by run_search
    in this process and, with a server running, by the search page it serves."""
    from articles.models import Article
    from articles.search.query import Criteria
    from articles.search.service import run_search

    def in_process(token: str) -> bool:
        return run_search(Criteria(q=token)).hits > 0

    def on_server(token: str) -> bool:
        import http.client

        connection = http.client.HTTPConnection("127.0.0.1", server_port, timeout=30)
        connection.request("GET", f"/search/?q={token}")
        body = connection.getresponse().read().decode("utf-8", "replace")
        connection.close()
        return f"<mark>{token}</mark>" in body

    every = list(Article.objects.order_by("pk").values_list("pk", flat=True))
    pks = every[:: max(1, len(every) // (runs * 2))]  # spread over the ids, the same each run
    local, served = [], []
    for number in range(runs):
        token = f"zebracorrection{'abcdefghij'[number % 10]}{'klmnopqrst'[number // 10 % 10]}x"
        started = correct_title(pks[number], token)
        local.append(wait_until_found(in_process, token, started))
        if server_port:
            token = token.replace("zebra", "yak")
            started = correct_title(pks[runs + number], token)
            served.append(wait_until_found(on_server, token, started))
    return {"in_process": local, "served": served}


# -- Under gunicorn -------------------------------------------------------------------------


def measure_server(data_dir: Path, runs: int) -> dict:
    """Serve with gunicorn (2 workers x 4 threads, benchmark settings), drive the search mix
    and pages with 4 clients, then read each worker's peak resident memory (VmHWM)."""
    article_paths, list_paths = sample_pages()
    pages = [("search", case.archive_path()) for case in SEARCH_MIX]
    pages += [("article", path) for path in article_paths]
    pages += [("list", path) for path in list_paths]
    port = gunicorn_server.free_port()
    env = sandbox.archive_env(data_dir)
    server = gunicorn_server.start_gunicorn(env, port, data_dir / "gunicorn.log")
    try:
        gunicorn_server.wait_until_serving(port, server)
        started = time.perf_counter()
        hits = clients.drive(
            port, pages, threads=4, max_requests=len(pages) * runs, max_seconds=900
        )
        elapsed = time.perf_counter() - started
        corrections = measure_corrections(runs, server_port=port)
        workers = {
            pid: gunicorn_server.memory_kib(pid) for pid in gunicorn_server.worker_pids(server.pid)
        }
    finally:
        gunicorn_server.stop_gunicorn(server)
    errors = sum(1 for hit in hits if hit.status == 0 or hit.status >= 500)
    return {
        "requests": len(hits),
        "errors": errors,
        "statuses": dict(Counter(hit.status for hit in hits)),
        "error_samples": sorted(
            {f"{h.status} {h.path} {h.error}" for h in hits if h.status != 200}
        )[:10],
        "seconds": elapsed,
        "by_kind": {
            kind: summarise([h.seconds for h in hits if h.kind == kind])
            for kind in ("search", "article", "list")
        },
        "workers": workers,
        "corrections": corrections,
    }


# -- The run --------------------------------------------------------------------------------


def corpus_stats(corpus: Path) -> dict:
    paths = sorted(corpus.rglob("*.txt"))
    size = sum(path.stat().st_size for path in paths)
    return {"files": len(paths), "megabytes": size / 1e6}


def fill_table(table: Table, figures: dict) -> None:
    ingest, index = figures["ingest"], figures["index"]
    n = ingest["created"]
    if "parse" in figures:
        count, seconds = figures["parse"]
        table.add("parse only (no database), captures/s", rate(count, seconds))
    table.add(
        "ingest: parse + store, index deferred, articles/s",
        rate(n, ingest["store_seconds"]),
        key="ingest",
    )
    if not math.isnan(ingest["flush_seconds"]):
        table.add("ingest's deferred index flush, articles/s", rate(n, ingest["flush_seconds"]))
        table.add(
            "ingest end to end (store + flush), articles/s",
            rate(n, ingest["store_seconds"] + ingest["flush_seconds"]),
        )
    if "warc" in figures:
        warc = figures["warc"]
        table.add(
            "ingest from text files, MB/s",
            megabytes_per_second(figures["corpus"]["megabytes"], ingest["store_seconds"]),
        )
        table.add(
            f"ingest from a WARC ({warc['records']:,} records, {warc['pages']:,} pages), records/s",
            rate(warc["records"], warc["seconds"]),
        )
        table.add(
            "ingest from a WARC, gzipped MB/s",
            megabytes_per_second(warc["bytes"] / 1e6, warc["seconds"]),
        )
    stock_built = not math.isnan(index["stock_seconds"])
    table.add(
        "full index build, articles/s",
        rate(index["count"], index["ours_seconds"]),
        rate(index["count"], index["stock_seconds"])
        if stock_built
        else "not run"
        if figures["stock_timeout"] < 0
        else f"not finished in {figures['stock_timeout']:,.0f} s",
        rate(n, figures["fts_build_seconds"]),
        f"{index['stock_seconds'] / index['ours_seconds']:.1f}× stock" if stock_built else "",
        key="index",
    )
    search = figures["search"]
    for kind, label in KIND_LABELS.items():
        ours, fts = search["ours"][kind], search["fts"][kind]
        stock = search.get("stock", {}).get(kind, summarise([]))
        table.add(
            f"search: {label}, p50/p95/p99 ms (n={ours['n']})",
            p50_95_99(ours),
            p50_95_99(stock) if stock["n"] else "",
            p50_95_99(fts),
            f"stock p95 / ours {ratio(stock['p95'], ours['p95'])}; "
            f"ours p50 / FTS5 {ratio(ours['p50'], fts['p50'])}",
            key=kind,
        )
    cold = search.get("ours_cold", {}).get("all")
    if cold:
        table.add(
            f"search: whole mix, first pass (cold caches), p50/p95/p99 ms (n={cold['n']})",
            p50_95_99(cold),
        )
    hostile = figures.get("hostile")
    if hostile:
        slowest = max(hostile.values(), key=lambda case: case["median"])
        statuses = sorted(set().union(*(case["status"] for case in hostile.values())))
        table.add(
            f"search: hostile queries, slowest median / median of all, ms (n={len(hostile)})",
            f"{ms(slowest['median'])} / "
            f"{ms(statistics.median(case['median'] for case in hostile.values()))}",
            rat="statuses " + ", ".join(map(str, statuses)),
            key="hostile",
        )
    pages = figures["pages"]
    for kind, label in (("article", "article page"), ("list", "list page")):
        table.add(
            f"{label}, p50/p95 ms (n={pages[kind]['n']})",
            f"{ms(pages[kind]['p50'])} / {ms(pages[kind]['p95'])}",
            key=kind,
        )
    server = figures.get("server")
    if server:
        peaks = [w.get("VmHWM", 0) for w in server["workers"].values()]
        table.add(
            "gunicorn worker peak RSS (VmHWM), max of workers",
            f"{max(peaks) / 1024:,.0f} MB" if peaks else "n/a",
            rat=f"workers: {', '.join(f'{p / 1024:,.0f}' for p in peaks)} MB",
            key="memory",
        )
        search_hits = server["by_kind"]["search"]
        table.add(
            "served search mix, 4 clients, p50/p95/p99 ms",
            p50_95_99(search_hits),
            rat=f"{server['requests'] / server['seconds']:.1f} req/s, {server['errors']} errors",
        )
    local = figures["corrections"]["in_process"]
    served = server["corrections"]["served"] if server else []
    table.add(
        "admin save → found by run_search, s (median, max)",
        f"{statistics.median(local):.3f} ({max(local):.3f})",
        key="correction",
    )
    if served:
        table.add(
            "admin save → found on the served page, s (median, max)",
            f"{statistics.median(served):.3f} ({max(served):.3f})",
            key="correction",
        )


def run(args: argparse.Namespace) -> tuple[Table, dict]:
    corpus = args.data or DATA_DIR / str(args.size)
    if not args.skip_generate:
        log(f"generating {args.size} captures in {corpus}")
        write_corpus(corpus, args.size)
    figures: dict = {
        "corpus": corpus_stats(corpus),
        "size": args.size,
        "runs": args.runs,
        "stock_timeout": args.stock_timeout,
    }
    data_dir = sandbox.fresh_data_dir()
    log(f"fresh archive in {data_dir}")
    sandbox.setup_django(data_dir)
    figures["machine"] = machine_info()
    try:
        prepare_database()
        if args.parse_sample:
            log("parsing only")
            figures["parse"] = measure_parsing(corpus, args.parse_sample)
        log("ingesting")
        figures["ingest"], _ = measure_ingest(corpus, flush=not args.skip_flush)
        log(f"ingest: {figures['ingest']}")
        log("building indexes (ours, then stock)")
        figures["index"] = measure_index_builds(data_dir, args.stock_timeout)
        stock_built = not math.isnan(figures["index"]["stock_seconds"])
        log(f"index: {figures['index']}")
        fts, figures["fts_build_seconds"] = build_fts(data_dir)
        log("searching")
        stock_runs = (args.stock_runs or args.runs) if stock_built else 0
        figures["search"] = measure_search(fts, args.runs, stock_runs)
        log("hostile queries")
        figures["hostile"] = measure_hostile(args.runs)
        log("article and list pages")
        figures["pages"] = measure_pages(args.runs)
        log("corrections")
        figures["corrections"] = measure_corrections(args.runs)
        if not args.skip_server:
            log("under gunicorn")
            figures["server"] = measure_server(data_dir, args.runs)
        if args.warc_size:
            # Last, so that its stories do not change what the other figures measured.
            log(f"ingesting a WARC crawl of {args.warc_size} other stories")
            figures["warc"] = measure_warc_ingest(corpus, args.size, args.warc_size)
    finally:
        if args.keep:
            log(f"kept {data_dir}")
        else:
            sandbox.remove(data_dir)
    table = Table(figures=figures)
    fill_table(table, figures)
    return table, figures


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=10_000, help="Articles in the corpus.")
    parser.add_argument(
        "--skip-generate", action="store_true", help="Use the corpus already in --data."
    )
    parser.add_argument("--data", type=Path, help="Corpus folder (benchmarks/data/<size>/).")
    parser.add_argument("--runs", type=int, default=5, help="Timed passes over each page.")
    parser.add_argument(
        "--stock-runs", type=int, default=0, help="Timed passes for stock search (--runs)."
    )
    parser.add_argument(
        "--parse-sample", type=int, default=5000, help="Captures to time parse-only (0: skip)."
    )
    parser.add_argument(
        "--skip-flush",
        action="store_true",
        help="Do not time the ingest's own index flush (the full rebuild fills the index).",
    )
    parser.add_argument(
        "--stock-timeout",
        type=float,
        default=0,
        help="Give up stock Haystack's rebuild after this many seconds (and skip its search).",
    )
    parser.add_argument(
        "--no-stock",
        action="store_true",
        help="Leave stock Haystack out (its rebuild alone takes 12 minutes at 10k).",
    )
    parser.add_argument("--skip-server", action="store_true", help="No gunicorn measurements.")
    parser.add_argument(
        "--warc-size",
        type=int,
        default=2000,
        help="Stories in the generated WARC crawl whose ingest is timed last (0: none).",
    )
    parser.add_argument("--keep", action="store_true", help="Keep the temporary data folder.")
    parser.add_argument("--json", type=Path, help="Also write every figure to this file.")
    args = parser.parse_args(argv)
    if args.no_stock:
        args.stock_timeout = -1
    # A `timeout` or Ctrl-C still stops gunicorn and removes the data folder (finally:).
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    table, figures = run(args)
    machine = figures["machine"]
    corpus = figures["corpus"]
    print(f"Talks Archive benchmark, {args.size:,} articles, {machine['date']}")
    print(
        f"Machine: {machine['cpu']}, {machine['cores']} cores, {machine['memory']}; "
        f"Python {machine['python']}, SQLite {machine['sqlite']}, Django {machine['django']}, "
        f"Haystack {machine['haystack']}, Whoosh {machine['whoosh']}"
    )
    print(
        f"Corpus: {corpus['files']:,} captures, {corpus['megabytes']:,.0f} MB; "
        f"timed passes per page: {args.runs}"
    )
    print()
    print(table.markdown())
    if args.json:
        args.json.write_text(json.dumps(figures, indent=1, default=str))


if __name__ == "__main__":
    main()
