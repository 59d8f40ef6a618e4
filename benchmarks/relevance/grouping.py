"""What listing results in groups costs, and which "most of the words" rule costs least: plain
Okapi BM25 over stemmed words (the archive's stemmer), ranked flat and in the archive's three
groups (every word, then at least "most" of them, then any) under several rules for "most",
on the judged queries and the story queries of `measure.py`, in one run over one archive.

    python benchmarks/relevance/grouping.py [--noise 1000]

The groups are the page's promise (articles holding every word come first); the rule for
the middle group is the archive's choice (`articles.search.nodes.most_of`), and this is
the measurement it rests on.
"""

from __future__ import annotations

import argparse
import math
import sys
from collections.abc import Callable
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent.parent
if str(BASE_DIR) not in sys.path:
    sys.path.insert(0, str(BASE_DIR))

from benchmarks import sandbox  # noqa: E402 - needs sys.path
from benchmarks.relevance import QUERIES  # noqa: E402
from benchmarks.relevance.baselines import Bm25Baseline  # noqa: E402
from benchmarks.relevance.measure import (  # noqa: E402
    QUERY_K,
    load_archive,
    log,
    mean_over,
    story_queries,
)

# Rules for the middle group: how many of n words (three or more) an article must hold.
RULES = {
    "half, rounded up (the archive's)": lambda n: math.ceil(n / 2),
    "two": lambda n: 2,
    "two thirds, rounded up": lambda n: math.ceil(2 * n / 3),
    "all but one": lambda n: n - 1,
}


def rule(least: Callable[[int], int]) -> Callable[[int], int]:
    """A rule applied from three words on: of one or two words, every word is most of them."""
    return lambda count: count if count < 3 else least(count)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--noise", type=int, default=1000, help="Generated captures around.")
    args = parser.parse_args(argv)
    data_dir = sandbox.fresh_data_dir("archive-grouping-")
    sandbox.setup_django(data_dir)
    try:
        log(f"loading the judged set and {args.noise} generated captures")
        archive = load_archive(args.noise, data_dir)
    finally:
        sandbox.remove(data_dir)
    sets = {"judged": QUERIES, **story_queries(archive)}
    bm25 = Bm25Baseline(archive.texts, stemmed=True)
    rankings: dict[str, dict] = {"flat (no groups)": {}}
    for name, least in RULES.items():
        rankings[f"groups, most = {name}"] = {"most_of": rule(least)}
    print(
        f"Stemmed BM25, mean nDCG at {QUERY_K}: "
        + ", ".join(f"{name} {len(made)} queries" for name, made in sets.items())
        + "\n"
    )
    print(f"| ranking | {' | '.join(sets)} |")
    print("|---|" + "---|" * len(sets))
    for label, options in rankings.items():
        cells = [
            f"{mean_over(made, lambda q, o=options: bm25.search(q, **o)):.3f}"
            for made in sets.values()
        ]
        print(f"| {label} | {' | '.join(cells)} |")


if __name__ == "__main__":
    main()
