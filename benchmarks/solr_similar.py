"""What Solr's more-like-this asks and costs for a sample of indexed articles, for a few
settings side by side: how many articles each query matches (Solr scores every one), its
QTime and how many of the first five it keeps from the first setting's.

    python benchmarks/solr_similar.py http://127.0.0.1:8983/solr/archive --sample 100
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
from urllib.parse import urlencode
from urllib.request import urlopen

# Each setting: the {!mlt} local parameters besides qf; "maxdf" given as a share of the
# smallest shard's documents.
# The archive's bound, 5,000 of a shard's articles, is 1% of a shard at a million articles
# in two shards.
SETTINGS = {
    "mintf=2 (before)": {"mintf": 2, "mindf": 1},
    "mintf=1": {"mintf": 1, "mindf": 1},
    "mintf=2, maxdf 5%": {"mintf": 2, "mindf": 1, "maxdf": 0.05},
    "mintf=1, maxdf 5%": {"mintf": 1, "mindf": 1, "maxdf": 0.05},
    "mintf=1, maxdf 1%": {"mintf": 1, "mindf": 1, "maxdf": 0.01},
}


def get(base: str, **params) -> dict:
    with urlopen(f"{base}/select?{urlencode(params, doseq=True)}", timeout=60) as response:
        return json.load(response)


def shard_documents(base: str) -> int:
    """The smallest shard's document count (each shard picks the words by its own)."""
    info = get(base, q="*:*", rows=0, **{"shards.info": "true"})["shards.info"]
    return min(shard["numFound"] for shard in info.values())


def mlt(base: str, doc_id: str, setting: dict, per_shard: int) -> tuple[int, int, list[str]]:
    local = " ".join(
        f"{name}={round(value * per_shard) if name == 'maxdf' else value}"
        for name, value in setting.items()
    )
    found = get(base, q=f"{{!mlt qf=text {local}}}{doc_id}", rows=5, fl="id")
    response = found["response"]
    ids = [doc["id"] for doc in response["docs"]]
    return response["numFound"], found["responseHeader"]["QTime"], ids


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("collection", help="The collection's URL, http://host:port/solr/name.")
    parser.add_argument("--sample", type=int, default=100, help="Articles asked about.")
    parser.add_argument("--seed", type=int, default=22)
    args = parser.parse_args()
    base = args.collection.rstrip("/")
    total = get(base, q="*:*", rows=0)["response"]["numFound"]
    per_shard = shard_documents(base)
    ids = [
        doc["id"]
        for doc in get(base, q="*:*", rows=total, fl="id", sort="id asc")["response"]["docs"]
    ]
    sample = random.Random(args.seed).sample(ids, min(args.sample, len(ids)))
    print(f"{total} documents, smallest shard {per_shard}; {len(sample)} articles asked about")
    print(
        "| setting | matched: median (max) | none matched | QTime p50 / p95 ms | first five kept |"
    )
    print("|---|---|---|---|---|")
    first: dict[str, list[str]] = {}
    for name, setting in SETTINGS.items():
        found, times, kept, empty = [], [], 0, 0
        for doc_id in sample:
            mlt(base, doc_id, setting, per_shard)  # warm, as a second view of a page would be
            n, qtime, top = mlt(base, doc_id, setting, per_shard)
            found.append(n)
            times.append(qtime)
            empty += n == 0
            first.setdefault(doc_id, top)
            kept += len(set(top) & set(first[doc_id]))
        wanted = sum(len(top) for top in first.values()) or 1
        p95 = sorted(times)[int(0.95 * (len(times) - 1))]
        print(
            f"| {name} | {statistics.median(found):.0f} ({max(found)}) | {empty} "
            f"| {statistics.median(times):.0f} / {p95} | {kept / wanted:.0%} |"
        )


if __name__ == "__main__":
    main()
