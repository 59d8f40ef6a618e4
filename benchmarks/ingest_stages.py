"""What each stage of ingest costs per article, in one process: reading and parsing,
rendering the HTML, and each analyser (people, quotations, topics, rounds, fingerprint).
Storing rows and indexing are timed end to end by run.py and site.py.

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
    finally:
        sandbox.remove(data_dir)
    total = sum(spent.values())
    print(f"Ingest stages over {len(paths):,} captures, one process (ms per article)")
    print("| stage | ms/article | share |\n|---|---|---|")
    for stage, seconds in sorted(spent.items(), key=lambda item: -item[1]):
        print(f"| {stage} | {seconds / len(paths) * 1000:.2f} | {seconds / total:.0%} |")
    print(f"| all of the above | {total / len(paths) * 1000:.2f} | |")


if __name__ == "__main__":
    main()
