"""Related coverage for an article page: other outlets' reports of the same event first,
then other articles on the subject.

Word similarity alone mixes up meetings: every report of these talks names Putin, Lavrov,
the radar and the Czech Republic. A report of the same event also shares its days (or
its talks round, when undated), its people and its less common words. Candidates come
from three bounded look-ups (the index's most similar articles, the same days, the same
rounds); `rank_related` weighs them and is pure.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.core.cache import cache
from django.db.models import Count, Exists, Max, OuterRef

from articles.analysis.wording import opening_wording
from articles.enrich import republished_map
from articles.models import Article, ArticlePerson, ArticleRound, KeptRelated, RelateTask

logger = logging.getLogger(__name__)

# Reports of one meeting appear over its days and the day or two after.
SAME_EVENT_DAYS = 2
# Below this word similarity, sharing days and people is not enough: two unrelated
# stories of the same week.
SAME_EVENT_MIN_SIMILARITY = 0.08
SIMILAR_CANDIDATES = 30
# The index is asked for candidates with the article's most telling stems. Wire stories
# and blogs give no day and name no curated principal, so their other reports are found by
# wording alone: with the judged set's days, people and rounds removed, the index's own 5
# key terms found 13 of 60 other reports in the first five, the article's 10 heaviest
# stems 16, its 25 heaviest 29 (plain TF-IDF cosine over the whole text: 26).
# Only stems another article holds are asked: on the development set's real pages, 12 of
# an article's 25 rarest were its own words alone (names, numbers, rare spellings), which
# find nothing. Asked heaviest first, not rarest first, the candidates held 82% of each
# page's five most alike in wording over the whole set (cosine 0.1 or more), against 72%
# (`benchmarks/relevance/known_items.py`); with 40 stems 84%, the judged set's figures the
# same and a first view no dearer (the postings read are bounded by the index).
KEY_TERMS = 40
SAME_DAYS_CANDIDATES = 60
ROUND_CANDIDATES = 60
CACHE_SECONDS = 600
# Rows an article page lists (and `relate_articles` keeps, with the spares).
PAGE_ROWS = 5
# Rows ranked beyond those shown, listed in place of any deleted since they were ranked.
SPARE_ROWS = 3


# The index's candidates: (article, its stems weighed, how many, how many stems to ask).
SimilarPks = Callable[[Article, dict[str, float], int, int], list[int]]
# A listed row: (pk, same event?, pks of its copies).
Row = tuple[int, bool, list[int]]


@dataclass(frozen=True)
class Profile:
    """What relatedness is judged on, for one article."""

    pk: int
    source_id: int | None
    # Its day; when undated, the days of the talks round it most likely reports.
    spans: tuple[tuple[date, date], ...]
    dated: bool  # a known day, or a round staff confirmed: more than a guess
    people: frozenset[str]
    rounds: frozenset[str]
    vector: dict[str, float] = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class Relation:
    pk: int
    same_event: bool
    score: float
    # Of a report of the same event: both days known (3), one guessed from a suggested
    # round (2), both guessed (1).
    certainty: int = 0


def text_vector(wording: dict[str, int], idf: Callable[[str], float]) -> dict[str, float]:
    """Unit TF-IDF vector of counted stems (tf dampened by a logarithm)."""
    vector = {term: (1 + math.log(n)) * idf(term) for term, n in wording.items() if n > 0}
    norm = math.sqrt(sum(v * v for v in vector.values())) or 1.0
    return {term: value / norm for term, value in vector.items() if value}


def key_terms(vector: dict[str, float]) -> dict[str, float]:
    """A vector's stems with their weights, heaviest first: the index asks the first
    KEY_TERMS of them that another article holds."""
    return dict(sorted(vector.items(), key=lambda item: (-item[1], item[0])))


def cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(value * b.get(term, 0.0) for term, value in a.items())


def day_gap(a: Profile, b: Profile) -> int | None:
    """Days between the two articles' spans (0 when they overlap); None if either has none."""
    if not a.spans or not b.spans:
        return None
    return min(
        max((start2 - end1).days, (start1 - end2).days, 0)
        for start1, end1 in a.spans
        for start2, end2 in b.spans
    )


def relation(target: Profile, other: Profile) -> Relation:
    """How related `other` is to `target`, and whether it reports the same event."""
    similarity = cosine(target.vector, other.vector)
    gap = day_gap(target, other)
    shared_round = bool(target.rounds & other.rounds)
    people = len(target.people & other.people) / (len(target.people | other.people) or 1)
    near = gap is not None and gap <= SAME_EVENT_DAYS
    same_event = near and similarity >= SAME_EVENT_MIN_SIMILARITY
    closeness = 1 - gap / (SAME_EVENT_DAYS + 1) if near else 0.0
    score = similarity * (1 + closeness) + 0.1 * people + 0.1 * shared_round
    certainty = 1 + target.dated + other.dated if same_event else 0
    return Relation(other.pk, same_event, score, certainty)


def order_key(target: Profile, found: Relation, candidate: Profile) -> tuple[int, bool, float]:
    """Where a candidate stands in the target's list, lowest first: reports of the same
    event first (the surer first), other outlets before the target's own, then the most
    related. Every part is the same seen from the candidate's side, so an article ranked
    later can tell whose kept lists it would enter (articles/kept_related.py)."""
    same_outlet = target.source_id is not None and candidate.source_id == target.source_id
    return (-found.certainty, found.same_event and same_outlet, -found.score)


def rank_related(target: Profile, candidates: Iterable[Profile]) -> list[Relation]:
    """Candidates in the order the page lists them (`order_key`)."""
    relations = {c.pk: (relation(target, c), c) for c in candidates if c.pk != target.pk}
    return [
        relations[pk][0]
        for pk in sorted(relations, key=lambda pk: (*order_key(target, *relations[pk]), pk))
    ]


@dataclass
class RelatedArticle:
    """A row of the related list; copies of it elsewhere are listed with it."""

    article: Article
    same_event: bool
    also_published_by: list[Article] = field(default_factory=list)


def related_articles(
    article: Article,
    *,
    limit: int = PAGE_ROWS,
    similar_pks: SimilarPks,
    idf: Callable[[], Callable[[str], float]],
) -> list[RelatedArticle]:
    """The article page's related coverage. The index answers `similar_pks` (the articles
    whose words resemble this one's) and `idf` (how rare each stem is); the candidates'
    wording was counted when they were analysed, so no text is read here. The list
    `relate_articles` kept is read while nothing that could change it has changed;
    otherwise it is ranked here and cached until an article is added (or for
    CACHE_SECONDS). A few spare rows stand in for listed articles deleted since."""
    ranked = kept_rows(article.pk, limit + SPARE_ROWS)
    if ranked is None:
        ranked = _ranked_here(article, limit, similar_pks, idf)
    found = Article.objects.for_links().in_bulk(
        [pk for pk, _, copies in ranked for pk in (pk, *copies)]
    )
    rows = [
        RelatedArticle(found[pk], same_event, [found[copy] for copy in copies if copy in found])
        for pk, same_event, copies in ranked
        if pk in found
    ]
    return rows[:limit]


def _ranked_here(
    article: Article,
    limit: int,
    similar_pks: SimilarPks,
    idf: Callable[[], Callable[[str], float]],
) -> list[Row]:
    """The rows ranked on this view, or cached from an earlier one since no article was
    added; none if ranking fails (related reading is a nicety: never fail the page)."""
    latest = Article.objects.aggregate(latest=Max("ingested_at"))["latest"]
    added = latest.timestamp() if latest else 0
    key = f"related:{article.pk}:{article.updated_at.timestamp()}:{added}:{limit}"
    ranked = cache.get(key)
    if ranked is None:
        try:
            ranked = rank(article, limit + SPARE_ROWS, similar_pks, idf()).rows
        except Exception:
            logger.exception("Related coverage failed for article %s", article.pk)
            return []
        cache.set(key, ranked, CACHE_SECONDS)
    return ranked


def kept_rows(pk: int, wanted: int) -> list[Row] | None:
    """The article's kept list, if it holds `wanted` rows (or all there are) and no article
    changed since it was ranked is still to be weighed against it; else None."""
    kept = KeptRelated.objects.filter(article_id=pk).values_list("rows", "bar", "ranked_at")
    if not (found := kept.first()):
        return None
    rows, bar, ranked_at = found
    if bar is not None and len(rows) < wanted:
        return None
    # Tasks of articles deleted since (their links' removal queues them) change nothing.
    changed = Article.objects.filter(pk=OuterRef("article_id"))
    if RelateTask.objects.filter(Exists(changed), queued_at__gte=ranked_at).exists():
        return None
    return [(row_pk, same_event, copies) for row_pk, same_event, copies in rows]


@dataclass
class Ranking:
    """An article's related list, and what tells whose lists it would enter itself."""

    rows: list[Row]  # the first rows asked for
    # The last row's `order_key`; None when fewer rows than asked were found.
    bar: tuple[int, bool, float] | None
    # Every candidate's `order_key`: the same as the article's in the candidate's list.
    keys: dict[int, tuple[int, bool, float]]


def rank(
    article: Article,
    limit: int,
    similar_pks: SimilarPks,
    idf: Callable[[str], float],
    known: dict[int, Profile] | None = None,
) -> Ranking:
    """The first `limit` related articles. `known` holds profiles already made with this
    `idf` (a run ranking many articles) and keeps those made here."""
    known = {} if known is None else known
    row = (article.pk, article.source_id, article.published_date, article.wording)
    target = known.get(article.pk) or _profiles([row], idf, known)[article.pk]
    similar = similar_by_wording(article, target.vector, similar_pks)
    pks = (set(similar) | _nearby(target)) - {article.pk}
    missing = pks - known.keys()
    rows = Article.objects.filter(pk__in=missing).values_list(
        "pk", "source_id", "published_date", "wording"
    )
    _profiles(rows, idf, known)
    candidates = {pk: known[pk] for pk in pks if pk in known}
    ranked = rank_related(target, candidates.values())
    keys = {found.pk: order_key(target, found, candidates[found.pk]) for found in ranked}
    # Copies are looked up for the article and for the candidates about to be listed only.
    copies = _Copies(article, ranked, ahead=2 * limit)
    excluded = {article.pk, *copies.of(article.pk)}
    listed: list[Row] = []
    shown: set[int] = set()
    for found in ranked:
        if found.pk in shown or found.pk in excluded:
            continue
        # A copy of a row already listed joins that row as "also published by".
        row_copies = [pk for pk in copies.of(found.pk) if pk not in excluded]
        shown |= {found.pk, *row_copies}
        listed.append((found.pk, found.same_event, row_copies))
        if len(listed) == limit:
            return Ranking(listed, keys[found.pk], keys)
    return Ranking(listed, None, keys)


def similar_by_wording(
    article: Article,
    vector: dict[str, float],
    similar_pks: SimilarPks,
) -> list[int]:
    """The candidates the index offers for an article of this weighed wording: those best
    matching its telling stems (the only ones an undated article gets)."""
    return similar_pks(article, key_terms(vector), SIMILAR_CANDIDATES, KEY_TERMS)


class _Copies:
    """Republished copies of the article and of its ranked candidates, looked up a few
    candidates at a time as the list is filled (one query each time)."""

    def __init__(self, article: Article, ranked: list[Relation], *, ahead: int) -> None:
        self.order = [article.pk, *(found.pk for found in ranked)]
        self.position = {pk: number for number, pk in enumerate(self.order)}
        self.ahead = ahead
        self.known: dict[int, list[int]] = {}
        self.looked_up = 0

    def of(self, pk: int) -> list[int]:
        while pk not in self.known:
            end = max(self.looked_up + self.ahead, self.position[pk] + 1)
            chunk = self.order[self.looked_up : end]
            articles = Article.objects.without_texts().filter(pk__in=chunk)
            found = republished_map(articles)
            self.known.update({p: [copy.pk for copy in found.get(p, ())] for p in chunk})
            self.looked_up = end
        return self.known[pk]


def _nearby(target: Profile) -> set[int]:
    """Articles of the same days (of its rounds' days when undated) and of the same rounds."""
    pks: set[int] = set()
    for start, end in target.spans:
        window = (start - timedelta(days=SAME_EVENT_DAYS), end + timedelta(days=SAME_EVENT_DAYS))
        in_window = Article.objects.filter(published_date__range=window).order_by()
        if target.people:
            # On a busy day, those naming the most of the same people (the days found
            # first, by their index: the people alone are named in most articles).
            nearby = (
                ArticlePerson.objects.filter(
                    article_id__in=in_window.values("pk"), person__slug__in=target.people
                )
                .values("article_id")
                .annotate(shared=Count("id"))
                .order_by("-shared", "article_id")
                .values_list("article_id", flat=True)
            )
        else:
            nearby = in_window.values_list("pk", flat=True)
        pks |= set(nearby[:SAME_DAYS_CANDIDATES])
    if target.rounds:
        linked = ArticleRound.objects.filter(round__slug__in=target.rounds).exclude(
            state=ArticleRound.State.REJECTED
        )
        pks |= set(linked.order_by().values_list("article_id", flat=True)[:ROUND_CANDIDATES])
    return pks


def _profiles(
    rows: Iterable[tuple[int, int | None, date | None, dict[str, int]]],
    idf: Callable[[str], float],
    known: dict[int, Profile] | None = None,
) -> dict[int, Profile]:
    """Profiles of articles given as (pk, source id, day, counted wording): two queries for
    their people and rounds, however many (and one for the texts of any not yet counted).
    Each is also put in `known`, if given."""
    rows = _with_wording(rows)
    pks = [row[0] for row in rows]
    people: dict[int, set[str]] = {}
    for pk, slug in ArticlePerson.objects.filter(article_id__in=pks).values_list(
        "article_id", "person__slug"
    ):
        people.setdefault(pk, set()).add(slug)
    rounds: dict[int, set[str]] = {}
    guessed: dict[int, tuple[float, tuple[date, date]]] = {}
    confirmed: dict[int, list[tuple[date, date]]] = {}
    links = ArticleRound.objects.filter(article_id__in=pks).exclude(
        state=ArticleRound.State.REJECTED
    )
    for pk, slug, state, score, start, end in links.values_list(
        "article_id", "round__slug", "state", "score", "round__start", "round__end"
    ):
        rounds.setdefault(pk, set()).add(slug)
        if state == ArticleRound.State.CONFIRMED:
            confirmed.setdefault(pk, []).append((start, end))
        elif score > guessed.get(pk, (-1.0, None))[0]:
            guessed[pk] = (score, (start, end))
    profiles = {}
    for pk, source_id, day, wording in rows:
        if day:
            spans = ((day, day),)
        elif pk in confirmed:
            spans = tuple(confirmed[pk])
        else:
            spans = (guessed[pk][1],) if pk in guessed else ()
        profiles[pk] = Profile(
            pk=pk,
            source_id=source_id,
            spans=spans,
            dated=bool(day) or pk in confirmed,
            people=frozenset(people.get(pk, ())),
            rounds=frozenset(rounds.get(pk, ())),
            vector=text_vector(wording, idf),
        )
    if known is not None:
        known.update(profiles)
    return profiles


def _with_wording(
    rows: Iterable[tuple[int, int | None, date | None, dict[str, int]]],
) -> list[tuple[int, int | None, date | None, dict[str, int]]]:
    """The rows, with the wording of articles analysed before it was kept counted from
    their texts."""
    rows = list(rows)
    missing = [row[0] for row in rows if not row[3]]
    if not missing:
        return rows
    texts = Article.objects.filter(pk__in=missing).values_list("pk", "title", "body")
    counted = {pk: opening_wording(title, body) for pk, title, body in texts}
    return [(pk, source, day, wording or counted.get(pk, {})) for pk, source, day, wording in rows]
