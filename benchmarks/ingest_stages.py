"""What each stage of ingest costs per article, in one process: reading and parsing,
rendering the HTML, and each analyser (people, quotations, topics, rounds, fingerprint);
then, with the sample stored, what indexing it costs: reading the articles for the index,
preparing their documents, and one index-writing process adding them and writing its
segment. Ingest end to end is timed by run.py and site.py.

    python benchmarks/ingest_stages.py --size 10000 [--sample 1000]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
if str(BASE_DIR) not in sys.path:
    sys.path.insert(0, str(BASE_DIR))

from benchmarks import sandbox  # noqa: E402 - needs sys.path
from benchmarks.generate import DATA_DIR, write_corpus  # noqa: E402


def stage_costs(paths: list[Path]) -> dict[str, float]:
    """Seconds spent in each stage over `paths`, with the curated lists from the catalogue."""
    from articles.analysis.duplicates import bands, fingerprint
    from articles.analysis.people import find_people
    from articles.analysis.quotations import find_quotations
    from articles.analysis.rounds import suggest_rounds
    from articles.analysis.topics import find_topics
    from articles.enrich import Catalogue, load_catalogue
    from articles.ingest import parse_capture, read_capture
    from articles.sanitize import render_blocks

    load_catalogue()
    lists = Catalogue.from_database().lists
    spent: dict[str, float] = defaultdict(float)

    def timed(stage: str, call, *args, **kwargs):
        started = time.perf_counter()
        result = call(*args, **kwargs)
        spent[stage] += time.perf_counter() - started
        return result

    for path in paths:
        data = timed("read file", path.read_bytes)
        parsed = timed("parse", parse_capture, data, path.name)
        timed("decode raw", read_capture, data)
        timed("render HTML", render_blocks, ((b.kind, b.text) for b in parsed.blocks))
        paragraphs = [block for block in parsed.body.split("\n\n") if block.strip()]
        text = "\n\n".join([parsed.title, *paragraphs])
        mentions = timed("people", find_people, text, lists.people)
        timed("quotations", find_quotations, paragraphs, lists.people)
        timed("topics", find_topics, text, lists.topics)
        timed(
            "rounds",
            suggest_rounds,
            published=parsed.published_date,
            dateline=parsed.dateline,
            text=text,
            people=[m.slug for m in mentions],
            rounds=lists.rounds,
        )
        value = timed("fingerprint", fingerprint, text)
        timed("fingerprint", bands, value)
    return dict(spent)


def index_costs(paths: list[Path]) -> dict[str, float]:
    """Seconds spent in each indexing stage for `paths`, stored first as ingest stores them."""
    import whoosh.index
    from haystack import connections

    from articles.ingest.pipeline import ingest_paths
    from articles.models import Article
    from articles.search import sync
    from articles.search.whoosh.backend import (
        WRITER_MB,
        ArchiveSegmentWriter,
        cycle_collection_paused,
    )

    ingest_paths(paths, workers=1)
    pks = list(Article.objects.order_by("pk").values_list("pk", flat=True))
    backend = connections["default"].get_backend()
    index = sync._article_index()
    spent: dict[str, float] = {}
    started = time.perf_counter()
    batches = list(sync.article_batches(pks))
    spent["read articles for the index"] = time.perf_counter() - started
    started = time.perf_counter()
    docs = [backend.prepare_document(index, article) for batch in batches for article in batch]
    spent["prepare documents"] = time.perf_counter() - started
    folder = Path(tempfile.mkdtemp(prefix="archive-stages-index-"))
    try:
        writer = ArchiveSegmentWriter(
            whoosh.index.create_in(str(folder), backend.schema), limitmb=WRITER_MB, compound=False
        )
        with cycle_collection_paused():  # as the archive's index writers run
            started = time.perf_counter()
            for doc in docs:
                writer.add_document(**doc)
            spent["writer: add documents"] = time.perf_counter() - started
            started = time.perf_counter()
            writer.commit(merge=False)
            spent["writer: write the segment"] = time.perf_counter() - started
    finally:
        sandbox.remove(folder)
    return spent


def print_table(title: str, spent: dict[str, float], count: int) -> None:
    total = sum(spent.values())
    print(f"{title} ({count:,} captures, one process, ms per article)")
    print("| stage | ms/article | share |\n|---|---|---|")
    for stage, seconds in sorted(spent.items(), key=lambda item: -item[1]):
        print(f"| {stage} | {seconds / count * 1000:.2f} | {seconds / total:.0%} |")
    print(f"| all of the above | {total / count * 1000:.2f} | |")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=10_000, help="Corpus to sample from.")
    parser.add_argument("--sample", type=int, default=1000, help="Captures to time.")
    args = parser.parse_args(argv)
    corpus = write_corpus(DATA_DIR / str(args.size), args.size)
    paths = sorted(corpus.rglob("*.txt"))[: args.sample]
    data_dir = Path(tempfile.mkdtemp(prefix="archive-stages-"))
    try:
        sandbox.setup_django(data_dir)
        from django.core.management import call_command

        call_command("migrate", interactive=False, verbosity=0)
        spent = stage_costs(paths)
        indexing = index_costs(paths)
    finally:
        sandbox.remove(data_dir)
    print_table("Before the database", spent, len(paths))
    print()
    print_table("Indexing", indexing, len(paths))


if __name__ == "__main__":
    main()
