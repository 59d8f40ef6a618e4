"""Relevance on the judged set: related coverage (recall at 5, with the articles' days,
people and rounds, then on their wording alone), the judged queries (precision at 10, nDCG
at 10) and exact phrases, each beside a plain TF-IDF cosine baseline computed in the same
run over the same archive.

    python benchmarks/relevance/measure.py [--noise 1000]
        [--search-url solr://127.0.0.1:8983/solr/archive [--compare]]

The judged articles (seeds/ and benchmarks/relevance/captures/) are loaded into a fresh
archive with `--noise` generated captures around them: articles on the same subject and
in the same months that are relevant to nothing, as most of a real archive is.
With --search-url the same archive is indexed on that engine (a running `make solr`) and
measured there; with --compare too, beside the embedded engine, with the judged queries
whose first pages differ.
"""

from __future__ import annotations

import argparse
import math
import random
import re
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent.parent
if str(BASE_DIR) not in sys.path:
    sys.path.insert(0, str(BASE_DIR))

from benchmarks import sandbox  # noqa: E402 - needs sys.path
from benchmarks.relevance import CAPTURES, COPIES, EVENTS, PHRASES, QUERIES  # noqa: E402
from benchmarks.relevance.baselines import Bm25Baseline, TfidfBaseline  # noqa: E402

SEEDS = BASE_DIR / "seeds"
RELATED_K = 5
QUERY_K = 10
SAMPLED_PHRASES = 3  # per judged article, of three to five words
LEAD_WORDS = 5  # words of a report's lead in a story query
STORY_KINDS = {
    "lead": f"{LEAD_WORDS} words of one report's lead finding the other outlets'",
    "distinctive": "the three rarest words every report of an event holds",
}
_WORD = re.compile(r"\w+")


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# -- Measures (pure) --------------------------------------------------------------------------


def hits_at(ranked: Sequence[str], relevant: Iterable[str], k: int) -> int:
    """How many of `relevant` are among the first k of `ranked`."""
    return len(set(ranked[:k]) & set(relevant))


def precision_at(ranked: Sequence[str], grades: dict[str, int], k: int) -> float:
    return sum(1 for name in ranked[:k] if grades.get(name, 0) > 0) / k


def ndcg_at(ranked: Sequence[str], grades: dict[str, int], k: int) -> float:
    """Normalised discounted cumulative gain, gain 2^grade - 1."""

    def dcg(values: Iterable[int]) -> float:
        return sum((2**grade - 1) / math.log2(rank + 2) for rank, grade in enumerate(values))

    ideal = dcg(sorted(grades.values(), reverse=True)[:k])
    return dcg(grades.get(name, 0) for name in ranked[:k]) / ideal if ideal else 0.0


def mean_over(
    queries: dict[str, dict[str, int]],
    ranked_for: Callable[[str], Sequence[str]],
    measure: Callable[[Sequence[str], dict[str, int], int], float] = ndcg_at,
) -> float:
    """A measure at QUERY_K (nDCG unless told), averaged over judged queries."""
    return _mean([measure(ranked_for(q), grades, QUERY_K) for q, grades in queries.items()])


def folded_words(text: str) -> list[str]:
    """Words as the phrase check compares them: lower case, every mark a word break, dots
    inside abbreviations dropped (U.S. = US)."""
    text = re.sub(r"(?<=\w)\.(?=\w)", "", text)
    return [word.lower() for word in _WORD.findall(text)]


def holds_phrase(text: str, phrase: str) -> bool:
    words, wanted = folded_words(text), folded_words(phrase)
    size = len(wanted)
    return any(words[i : i + size] == wanted for i in range(len(words) - size + 1))


# -- The judged archive ------------------------------------------------------------------------


def judged_name(origin: str) -> str | None:
    """A judged article's name from its file name: "003" for a seed, the stem otherwise."""
    stem = Path(origin).stem
    if (SEEDS / Path(origin).name).exists():
        return stem.split("_", 1)[0]
    if (CAPTURES / Path(origin).name).exists():
        return stem
    return None


@dataclass
class Archive:
    names: dict[int, str]  # article pk -> judged name, or "noise-<pk>"
    pks: dict[str, int]
    texts: dict[str, str]
    # Everything a quoted phrase searches: the text above and the page's other text (what
    # the body extraction left out), so a phrase found there is not counted as wrong.
    captured: dict[str, str] = field(default_factory=dict)


def load_archive(noise: int, workdir: Path) -> Archive:
    from django.core.management import call_command

    from articles.enrich import load_catalogue
    from articles.ingest.pipeline import ingest_paths
    from articles.models import Article, Capture
    from articles.search.sync import rebuild_index
    from benchmarks.generate import write_corpus

    call_command("migrate", interactive=False, verbosity=0)
    load_catalogue()
    paths = [SEEDS, CAPTURES]
    if noise:
        paths.append(write_corpus(workdir / "noise", noise))
    report = ingest_paths(paths)
    if report.failed:
        raise SystemExit(f"{report.failed} captures failed to ingest")
    rebuild_index()
    names, pks, texts = {}, {}, {}
    origins = dict(Capture.objects.values_list("article_id", "origin"))
    captured = {}
    rows = Article.objects.values_list("pk", "title", "body", "other_text")
    for pk, title, body, other_text in rows:
        name = judged_name(origins.get(pk, "")) or f"noise-{pk}"
        names[pk], pks[name], texts[name] = name, pk, f"{title}\n{body}"
        captured[name] = f"{texts[name]}\n{other_text}"
    missing = {n for event in EVENTS.values() for n in event} - set(pks)
    if missing:
        raise SystemExit(f"judged articles missing from the archive: {sorted(missing)}")
    return Archive(names, pks, texts, captured)


def copies_of(name: str) -> set[str]:
    return {other for group in COPIES if name in group for other in group if other != name}


# -- Related coverage --------------------------------------------------------------------------


def related_recall(
    archive: Archive, ranked_for: Callable[[str], list[str]], *, verbose: bool = False
) -> tuple[int, int]:
    """(other outlets' reports of the same event among the first five, all of them), over
    every judged article whose event has another report."""
    found = wanted = 0
    for members in EVENTS.values():
        for name in members:
            relevant = set(members) - {name} - copies_of(name)
            if not relevant:
                continue
            ranked = ranked_for(name)
            found += hits_at(ranked, relevant, RELATED_K)
            wanted += len(relevant)
            if verbose and (missed := relevant - set(ranked[:RELATED_K])):
                log(f"{name}: missed {sorted(missed)}; listed {ranked[:RELATED_K]}")
    return found, wanted


def archive_related(archive: Archive) -> Callable[[str], list[str]]:
    """The article page's related list (a row's copies are one row)."""
    from articles.models import Article
    from articles.search.similar import more_like_this

    def ranked(name: str) -> list[str]:
        article = Article.objects.get(pk=archive.pks[name])
        rows = more_like_this(article, limit=RELATED_K)
        return [archive.names[row.article.pk] for row in rows]

    return ranked


def engine_similar(archive: Archive) -> Callable[[str], list[str]]:
    """The index's own more-like-this (Whoosh's key terms), which the page used alone."""
    from articles.models import Article
    from articles.search.similar import engine_more_like_this

    def ranked(name: str) -> list[str]:
        article = Article.objects.get(pk=archive.pks[name])
        skip = {name, *copies_of(name)}
        names = [archive.names[pk] for pk in engine_more_like_this(article, RELATED_K * 3)]
        return [other for other in names if other not in skip][:RELATED_K]

    return ranked


# -- Queries and phrases -----------------------------------------------------------------------


def lead_query(text: str, size: int = LEAD_WORDS) -> str:
    """`size` words, common words left out, from the first sentence of the body (after the
    title line) that has that many: what a reader copies from one outlet's lead."""
    body = text.split("\n", 1)[-1]
    for sentence in re.split(r"(?<=[.!?])\s+", body):
        words = [w for w in TfidfBaseline.tokens(sentence) if len(w) > 1]
        if len(words) >= size:
            return " ".join(words[:size])
    return ""


def story_queries(archive: Archive) -> dict[str, dict[str, dict[str, int]]]:
    """Queries made from the judged events' own text, as a reader makes them of a story,
    each judged by the event: its other outlets' reports are relevant (grade 1), the report
    the words came from and its copies are not.
    - "lead": words of one report's lead, to find the others;
    - "distinctive": the three rarest words that every report of the event holds."""
    counts = {name: set(TfidfBaseline.tokens(text)) for name, text in archive.texts.items()}
    frequency: dict[str, int] = {}
    for words in counts.values():
        for word in words:
            frequency[word] = frequency.get(word, 0) + 1
    lead: dict[str, dict[str, int]] = {}
    distinctive: dict[str, dict[str, int]] = {}
    for members in EVENTS.values():
        if len(members) < 2:
            continue
        for name in members:
            others = set(members) - {name} - copies_of(name)
            if q := lead_query(archive.texts[name]):
                lead.setdefault(q, {}).update(dict.fromkeys(others, 1))
        shared = set.intersection(*(counts[name] for name in members))
        rarest = sorted((w for w in shared if len(w) > 2), key=lambda w: (frequency[w], w))[:3]
        if len(rarest) == 3:
            distinctive[" ".join(rarest)] = dict.fromkeys(members, 1)
    return {"lead": lead, "distinctive": distinctive}


def archive_search(archive: Archive, q: str, k: int = QUERY_K) -> list[str]:
    """Names of the articles on the first page of results, copies folded into their row."""
    from articles.search.query import Criteria
    from articles.search.service import run_search

    outcome = run_search(Criteria(q=q), per_page=k)
    return [archive.names[row.article.pk] for row in outcome.rows]


def every_match(archive: Archive, q: str) -> set[str]:
    from articles.search.query import Criteria
    from articles.search.service import matching_articles

    return {archive.names[article.pk] for article in matching_articles(Criteria(q=q))}


def sampled_phrases(archive: Archive, rng: random.Random) -> list[tuple[str, str]]:
    """(phrase, article) pairs: runs of three to five words within a paragraph of each
    judged article."""
    pairs = []
    for name in sorted(n for n in archive.pks if not n.startswith("noise-")):
        paragraphs = [p.split() for p in archive.texts[name].splitlines() if len(p.split()) > 5]
        for _ in range(SAMPLED_PHRASES):
            words = rng.choice(paragraphs)
            size = rng.randint(3, 5)
            start = rng.randrange(0, len(words) - size)
            phrase = " ".join(words[start : start + size]).replace('"', " ")
            if folded_words(phrase):
                pairs.append((phrase, name))
    return pairs


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--noise", type=int, default=1000, help="Generated captures loaded around the set."
    )
    parser.add_argument("--verbose", action="store_true", help="Log what each list missed.")
    parser.add_argument("--seed", type=int, default=20080318, help="For the sampled phrases.")
    add_engine_options(parser)
    args = parser.parse_args(argv)
    data_dir = sandbox.fresh_data_dir("archive-relevance-")
    sandbox.setup_django(data_dir)
    try:
        log(f"loading the judged set and {args.noise} generated captures")
        archive = load_archive(args.noise, data_dir)
        figures = {}
        for url in engine_urls(args):
            label = sandbox.engine_label(url)
            log(f"measuring the {label} engine")
            index_on(url)
            figures[label] = measure_engine(archive, args)
        alone = wording_alone(archive, args)
        report(archive, figures, alone, args)
    finally:
        sandbox.use_search_url(None)
        sandbox.remove(data_dir)


def add_engine_options(parser: argparse.ArgumentParser) -> None:
    """--search-url (measure on that engine instead of the embedded one) and --compare."""
    parser.add_argument(
        "--search-url",
        help="Run the measures on this engine (solr://host:port/solr/archive, as `make solr` "
        "prints it); its index is emptied and filled with the same archive.",
    )
    parser.add_argument(
        "--compare",
        action="store_true",
        help="Measure the embedded engine and the --search-url engine side by side.",
    )


def engine_urls(args: argparse.Namespace) -> list[str | None]:
    """The engines to measure, in column order: None is the embedded one."""
    if args.compare and not args.search_url:
        raise SystemExit("--compare needs --search-url")
    if args.compare:
        return [None, args.search_url]
    return [args.search_url]


def index_on(url: str | None) -> None:
    """Answer searches from the engine `url` names, its index rebuilt from the archive's
    articles (the embedded one, None, was built as they were loaded)."""
    sandbox.use_search_url(url)
    if url:
        from articles.search.sync import rebuild_index

        rebuild_index()


@dataclass
class Figures:
    """One engine's figures on the judged set."""

    related: tuple[int, int]
    engine_related: tuple[int, int]
    ranked: dict[str, list[str]]  # judged query -> its first page, by name
    precision: dict[str, float]
    ndcg: dict[str, float]
    stories: dict[str, float]  # kind of story query -> mean nDCG at 10
    exact_phrases: int
    sampled_own: int
    sampled_extra: int
    sampled: int


def measure_engine(archive: Archive, args: argparse.Namespace) -> Figures:
    """Every measure, through the search engine Haystack's default connection names."""
    log("related coverage")
    related = related_recall(archive, archive_related(archive), verbose=args.verbose)
    engine_related = related_recall(archive, engine_similar(archive))
    log("queries")
    ranked = {q: archive_search(archive, q) for q in QUERIES}
    precision = {q: precision_at(ranked[q], QUERIES[q], QUERY_K) for q in QUERIES}
    ndcg = {q: ndcg_at(ranked[q], QUERIES[q], QUERY_K) for q in QUERIES}
    stories = {}
    for kind, made in story_queries(archive).items():
        scores = []
        for q, grades in made.items():
            found = archive_search(archive, q)
            scores.append(ndcg_at(found, grades, QUERY_K))
            if args.verbose and scores[-1] < 1:
                log(f"{kind} {q!r}: nDCG {scores[-1]:.3f}, {found}, wanted {sorted(grades)}")
        stories[kind] = _mean(scores)
    log("phrases")
    exact = 0
    for q, expected in PHRASES.items():
        # Generated articles are not judged: they may hold the phrase, and must if found.
        found = every_match(archive, q)
        judged = {name for name in found if not name.startswith("noise-")}
        wrong = {name for name in found - judged if not holds_phrase(archive.captured[name], q)}
        exact += judged == set(expected) and not wrong
        if args.verbose and (judged != set(expected) or wrong):
            log(f"{q}: found {sorted(judged | wrong)}, expected {sorted(expected)}")
    own = extra = 0
    pairs = sampled_phrases(archive, random.Random(args.seed))
    for phrase, name in pairs:
        found = every_match(archive, f'"{phrase}"')
        own += name in found
        extra += any(not holds_phrase(archive.captured[other], phrase) for other in found)
    return Figures(
        related, engine_related, ranked, precision, ndcg, stories, exact, own, extra, len(pairs)
    )


def wording_alone(archive: Archive, args: argparse.Namespace) -> list[tuple[int, int]]:
    """Related coverage's recall on each engine once every day, person and round is gone
    (last: it changes the archive the other measures read)."""
    log("related coverage on wording alone")
    strip_days_people_and_rounds()
    urls = engine_urls(args)
    found = []
    for url in urls:
        if len(urls) > 1:
            index_on(url)
        found.append(related_recall(archive, archive_related(archive), verbose=args.verbose))
    return found


def report(
    archive: Archive,
    figures: dict[str, Figures],
    alone: list[tuple[int, int]],
    args: argparse.Namespace,
) -> None:
    baseline = TfidfBaseline(archive.texts)
    bm25 = Bm25Baseline(archive.texts)
    judged = sum(1 for name in archive.pks if not name.startswith("noise-"))
    print(
        f"Relevance on the judged set: {judged} judged articles in {len(EVENTS)} events, "
        f"{len(QUERIES)} queries, {len(PHRASES)} hand-written phrases; "
        f"{len(archive.pks) - judged} generated articles around them"
    )
    print()
    engines = list(figures.values())
    heads = ["archive"] if list(figures) == ["embedded"] else [f"archive ({n})" for n in figures]
    print(f"| measure | {' | '.join(heads)} | TF-IDF cosine baseline | BM25 (any word) |")
    print("|---|" + "---|" * (len(engines) + 2))

    def row(label: str, cells: list[str], *baselines: str) -> None:
        rest = list(baselines) + [""] * (2 - len(baselines))
        print(f"| {label} | {' | '.join(cells)} | {' | '.join(rest)} |")

    base = related_recall(
        archive, lambda name: baseline.similar(name, skip=copies_of(name))[:RELATED_K]
    )
    row(
        f"related coverage: recall at {RELATED_K}, other outlets' reports of the same event",
        [_share(*f.related) for f in engines],
        _share(*base),
    )
    row(
        f"related coverage on wording alone: recall at {RELATED_K}, with every article's "
        "day, people and rounds removed",
        [_share(*found) for found in alone],
        _share(*base),
    )
    row(
        "the same with the index's more-like-this alone (before related coverage)",
        [_share(*f.engine_related) for f in engines],
    )
    for label, measure, of in (
        (f"mean precision at {QUERY_K}", precision_at, "precision"),
        (f"mean nDCG at {QUERY_K}", ndcg_at, "ndcg"),
    ):
        plain = [mean_over(QUERIES, ranker, measure) for ranker in (baseline.search, bm25.search)]
        row(
            f"judged queries: {label} (n={len(QUERIES)})",
            [f"{_mean(list(getattr(f, of).values())):.3f}" for f in engines],
            *(f"{value:.3f}" for value in plain),
        )
    for kind, made in story_queries(archive).items():
        plain = [mean_over(made, ranker) for ranker in (baseline.search, bm25.search)]
        row(
            f"story queries, {STORY_KINDS[kind]}: mean nDCG at {QUERY_K} (n={len(made)})",
            [f"{f.stories[kind]:.3f}" for f in engines],
            *(f"{value:.3f}" for value in plain),
        )
    row(
        "hand-written quoted phrases found exactly (stop words, punctuation)",
        [f"{f.exact_phrases} of {len(PHRASES)}" for f in engines],
    )
    row(
        "sampled body phrases (3–5 words) that find their own article",
        [f"{f.sampled_own} of {f.sampled}" for f in engines],
    )
    row(
        "sampled phrases that also find an article without them",
        [str(f.sampled_extra) for f in engines],
    )
    if len(engines) == 2:
        print()
        print(orders_compared(*figures.items()))


def orders_compared(first: tuple[str, Figures], second: tuple[str, Figures]) -> str:
    """How many judged queries list the same first page on both engines, and for each that
    does not, its nDCG on each and the first place where the orders part."""
    (one, a), (two, b) = first, second
    same = [q for q in QUERIES if a.ranked[q] == b.ranked[q]]
    same_set = [q for q in QUERIES if set(a.ranked[q]) == set(b.ranked[q])]
    lines = [
        f"Judged queries with the same top {QUERY_K} on both engines: {len(same)} of "
        f"{len(QUERIES)} in the same order, {len(same_set)} as the same set.",
        "",
        f"| query | nDCG ({one}) | nDCG ({two}) | first difference (rank: {one} / {two}) |",
        "|---|---|---|---|",
    ]
    for q in QUERIES:
        if q in same:
            continue
        ours, theirs = a.ranked[q], b.ranked[q]
        rank = next(
            (i for i in range(max(len(ours), len(theirs))) if ours[i : i + 1] != theirs[i : i + 1]),
            0,
        )
        cell = f"{rank + 1}: {_at(ours, rank)} / {_at(theirs, rank)}"
        lines.append(f"| {q} | {a.ndcg[q]:.3f} | {b.ndcg[q]:.3f} | {cell} |")
    return "\n".join(lines)


def _at(ranked: list[str], rank: int) -> str:
    return ranked[rank] if rank < len(ranked) else "(none)"


def strip_days_people_and_rounds() -> None:
    """Leave related coverage nothing but the wording, as wire stories and blogs that give
    no date and name no curated principal do (the index keeps its days: related coverage
    reads them from the database). Last, since searches read the same archive."""
    from django.core.cache import cache

    from articles.models import Article, ArticlePerson, ArticleRound

    Article.objects.update(published_date=None, published_at=None)
    ArticlePerson.objects.all().delete()
    ArticleRound.objects.all().delete()
    cache.clear()


def _share(found: int, wanted: int) -> str:
    return f"{found / wanted:.0%} ({found} of {wanted})" if wanted else "n/a"


def _mean(values: list[float]) -> float:
    return sum(values) / len(values) if values else 0.0


if __name__ == "__main__":
    main()
