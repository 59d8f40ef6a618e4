"""Known-item search on real pages: the development set's 680 saved pages are ingested into
a fresh archive, and for each page a query of a few words of its gold title (what a reader
remembers of a headline) should find that page first. Prints the mean reciprocal rank and
the share found first and in the first ten, for the archive's search beside Okapi BM25
(k1 1.2, b 0.75, any word) and TF-IDF cosine computed on the same article texts in the same
run.

    python benchmarks/relevance/known_items.py [--devset ../shared/devset] [--words 3]
        [--search-url solr://127.0.0.1:8983/solr/archive [--compare]]

With --search-url the pages are indexed and searched on that engine (a running `make solr`);
with --compare too, beside the embedded engine, with how many queries find the same page
first on both. Without the development set it says so and exits 0.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent.parent
if str(BASE_DIR) not in sys.path:
    sys.path.insert(0, str(BASE_DIR))

from benchmarks import sandbox  # noqa: E402 - needs sys.path
from benchmarks.relevance.baselines import Bm25Baseline, TfidfBaseline  # noqa: E402
from benchmarks.relevance.measure import (  # noqa: E402
    LEAD_WORDS,
    QUERY_K,
    RELATED_K,
    add_engine_options,
    archive_related,
    archive_search,
    engine_urls,
    hits_at,
    index_on,
    lead_query,
    log,
    ndcg_at,
)

DEVSET = BASE_DIR.parent / "shared" / "devset"
DEPTH = 50  # a page not in the first 50 counts as not found (reciprocal rank 0)
# Real same-story coverage: the development set's only pairs of pages in which two outlets
# report one event in the same days (found by TF-IDF cosine and date, judged by reading).
SAME_STORY = (
    ("24horas.cl-segundo", "cooperativa.cl-presidente"),  # a president's regional visit
    ("correiobraziliense.com.br-poderes", "gazetadopovo.com.br-pacheco"),  # courts and senate
    ("djz.de-amoklauf", "jagdverband.de-erschuettert"),  # a shooting, and a reaction to it
)


# Candidates are checked against the five most alike that resemble the article at least
# this much (below it, two pages of a 678-page mixed set are barely alike).
AGREEMENT_SIMILARITY = 0.1


def candidate_agreement(min_similarity: float = AGREEMENT_SIMILARITY) -> tuple[int, int]:
    """(held, wanted): of each article's five most alike in wording, weighed against every
    other article (cosine at least `min_similarity`), how many are among the candidates
    the index offers its related coverage on wording alone. Needs no judgement: it says
    how much of what the ranking would list the per-view look-up lets it see."""
    from articles.models import Article
    from articles.related import cosine, text_vector
    from articles.search.similar import word_rarity, wording_candidates

    idf = word_rarity()
    articles = list(Article.objects.only("pk", "title", "body", "wording"))
    vectors = {article.pk: text_vector(article.wording, idf) for article in articles}
    held = wanted = 0
    for article in articles:
        vector = vectors[article.pk]
        alike = sorted(
            ((cosine(vector, other), pk) for pk, other in vectors.items() if pk != article.pk),
            reverse=True,
        )[:RELATED_K]
        best = {pk for similarity, pk in alike if similarity >= min_similarity}
        held += len(best & set(wording_candidates(article)))
        wanted += len(best)
    return held, wanted


def title_queries(
    gold: dict[str, dict], words: int, rng: random.Random, stop: set[str]
) -> dict[str, str]:
    """For each page whose gold title has enough words that are not stop words, a query of
    `words` of them drawn at random, in title order (a reader's memory of a headline)."""
    queries = {}
    for page, fields in sorted(gold.items()):
        title = (fields.get("title") or "").replace('"', " ")
        candidates = [w for w in TfidfBaseline.tokens(title) if w not in stop and len(w) > 1]
        if len(set(candidates)) < words:
            continue
        chosen = sorted(rng.sample(range(len(candidates)), words))
        queries[page] = " ".join(candidates[i] for i in chosen)
    return queries


def reciprocal_rank(ranked: Sequence[str], wanted: str) -> float:
    try:
        return 1 / (ranked[:DEPTH].index(wanted) + 1)
    except ValueError:
        return 0.0


def measure(queries: dict[str, str], ranked_for: Callable[[str], list[str]]) -> dict[str, float]:
    ranks = [reciprocal_rank(ranked_for(q), page) for page, q in queries.items()]
    count = len(ranks) or 1
    return {
        "mrr": sum(ranks) / count,
        "first": sum(1 for r in ranks if r == 1) / count,
        "top10": sum(1 for r in ranks if r >= 0.1) / count,
        "none": sum(1 for r in ranks if r == 0) / count,
    }


def measure_found(queries: dict[str, str], found: dict[str, list[str]]) -> dict[str, float]:
    """`measure` for rankings already run: page id -> the ranked pages its query found."""
    by_query = {q: found[page] for page, q in queries.items()}
    return measure(queries, by_query.__getitem__)


def same_story_pairs(texts: dict[str, str]) -> list[tuple[str, str]]:
    """Each judged pair both ways (one report, the other outlet's), where both were loaded."""
    pairs = [pair for pair in SAME_STORY if set(pair) <= set(texts)]
    return pairs + [(two, one) for one, two in pairs]


def same_story(
    pairs: list[tuple[str, str]],
    related_for: Callable[[str], list[str]],
    search_for: Callable[[str], list[str]],
    leads: dict[str, str],
) -> dict[str, float]:
    """Related recall at 5 and nDCG at 10 of lead-sentence queries (the report the words
    came from left out of the ranking), on the real same-story pairs."""
    related = sum(hits_at(related_for(one), {two}, RELATED_K) for one, two in pairs)
    gains = [
        ndcg_at([page for page in search_for(leads[one]) if page != one], {two: 1}, QUERY_K)
        for one, two in pairs
    ]
    count = len(pairs) or 1
    return {"related": related / count, "lead_ndcg": sum(gains) / count}


def load_pages(devset: Path, kind: str) -> tuple[dict[int, str], dict[str, str]]:
    """Ingest the pages; (article pk -> page id, page id -> title and body as stored)."""
    from django.core.management import call_command

    from articles.ingest.pipeline import ingest_paths
    from articles.models import Article, Capture
    from articles.search.sync import rebuild_index

    call_command("migrate", interactive=False, verbosity=0)
    report = ingest_paths([devset / "extraction" / kind])
    log(report.summary())
    rebuild_index()
    origins = dict(Capture.objects.values_list("article_id", "origin"))
    names, texts = {}, {}
    for pk, title, body in Article.objects.values_list("pk", "title", "body"):
        page = Path(origins.get(pk, "")).stem
        names[pk], texts[page] = page, f"{title}\n{body}"
    return names, texts


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--devset", type=Path, default=DEVSET, help="The development set.")
    parser.add_argument("--words", type=int, default=3, help="Title words per query.")
    parser.add_argument("--kind", choices=("html", "text"), default="html", help="Captures.")
    parser.add_argument("--seed", type=int, default=680, help="For the words drawn.")
    add_engine_options(parser)
    args = parser.parse_args(argv)
    urls = engine_urls(args)
    gold_path = args.devset / "extraction" / "gold.json"
    if not gold_path.exists():
        print(f"No development set at {args.devset}: nothing to measure.")
        return
    gold = json.loads(gold_path.read_text())
    data_dir = sandbox.fresh_data_dir("archive-known-items-")
    sandbox.setup_django(data_dir)
    try:
        names, texts = load_pages(args.devset, args.kind)
        from benchmarks.relevance.measure import Archive

        archive = Archive(names, {page: pk for pk, page in names.items()}, texts)
        queries = title_queries(
            {p: g for p, g in gold.items() if p in texts},
            args.words,
            random.Random(args.seed),
            TfidfBaseline.STOP,
        )
        bm25, tfidf = Bm25Baseline(texts), TfidfBaseline(texts)
        log(f"{len(queries)} known-item queries")
        pairs = same_story_pairs(texts)
        leads = {one: lead_query(texts[one]) for one, _ in pairs}
        rows, firsts, stories, agreement = {}, {}, {}, {}
        for url in urls:
            label = sandbox.engine_label(url)
            index_on(url)
            found = {page: archive_search(archive, q, k=DEPTH) for page, q in queries.items()}
            name = "archive" if urls == [None] else f"archive ({label})"
            rows[name] = measure_found(queries, found)
            firsts[name] = {page: ranked[:1] for page, ranked in found.items()}
            agreement[name] = candidate_agreement()
            stories[name] = same_story(
                pairs,
                archive_related(archive),
                lambda q: archive_search(archive, q, k=11),
                leads,
            )
        rows |= {
            "BM25 (any word)": measure(queries, lambda q: bm25.search(q)[:DEPTH]),
            "BM25 (every word)": measure(
                queries, lambda q: bm25.search(q, every_word=True)[:DEPTH]
            ),
            "TF-IDF cosine": measure(queries, lambda q: tfidf.search(q)[:DEPTH]),
        }
        stories |= {
            "BM25 (any word)": same_story(pairs, lambda p: [], bm25.search, leads),
            "TF-IDF cosine": same_story(pairs, tfidf.similar, tfidf.search, leads),
        }
    finally:
        sandbox.use_search_url(None)
        sandbox.remove(data_dir)
    print(
        f"Known-item search: {len(queries)} queries of {args.words} gold-title words, "
        f"{len(texts)} pages ({args.kind}) of the development set\n"
    )
    print("| ranking | MRR | found first | in the first 10 | not in the first 50 |")
    print("|---|---|---|---|---|")
    for name, row in rows.items():
        print(
            f"| {name} | {row['mrr']:.3f} | {row['first']:.0%} | {row['top10']:.0%} "
            f"| {row['none']:.0%} |"
        )
    print(
        f"\nReal same-story coverage: {len(pairs) // 2} pairs of reports, each way; related "
        f"recall at 5, and nDCG at 10 of a query of {LEAD_WORDS} words of one report's lead "
        "(the other report is the one wanted)\n"
    )
    print("| ranking | related recall at 5 | lead-sentence nDCG@10 |")
    print("|---|---|---|")
    for name, row in stories.items():
        related = "–" if name.startswith("BM25") else f"{row['related']:.0%}"
        print(f"| {name} | {related} | {row['lead_ndcg']:.3f} |")
    for name, (held, wanted) in agreement.items():
        print(
            f"\n{name}: of each page's {RELATED_K} most alike in wording over the whole set "
            f"(cosine {AGREEMENT_SIMILARITY} or more), the index's candidates for its related "
            f"coverage hold {held} of {wanted} ({held / (wanted or 1):.1%})"
        )
    if len(firsts) == 2:
        one, two = firsts.values()
        same = sum(1 for page in queries if one[page] == two[page])
        print(f"\nQueries finding the same page first on both engines: {same} of {len(queries)}")


if __name__ == "__main__":
    main()
