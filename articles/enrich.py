"""Applies the text analysis (people, quotations, topics, talks rounds, republished copies)
to stored articles, using the curated lists as staff keep them in the database."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connections, models, router, transaction

from articles.analysis.catalogue import PersonSpec, RoundSpec, TopicSpec
from articles.analysis.duplicates import bands, hamming
from articles.curated_lists import add_curated_lists, person_spec, round_spec, topic_spec
from articles.ingest.prepare import CuratedLists, TextAnalysis, analyse_text
from articles.models import (
    Article,
    ArticlePerson,
    ArticleRound,
    ArticleTopic,
    Person,
    Quotation,
    TalksRound,
    Topic,
)
from articles.search.queue import index_on_commit

NEAR_DUPLICATE_DISTANCE = 3


def load_catalogue() -> int:
    """Add the curated people, topics and rounds that are not in the database yet; rows
    staff have edited are left as they are."""
    return add_curated_lists(Person, Topic, TalksRound)


@dataclass(frozen=True)
class Catalogue:
    """The curated lists as the analysis functions take them, read once per run."""

    people: tuple[PersonSpec, ...]
    topics: tuple[TopicSpec, ...]
    rounds: tuple[RoundSpec, ...]
    person_ids: dict[str, int]
    topic_ids: dict[str, int]
    round_ids: dict[str, int]

    @classmethod
    def from_database(cls) -> Catalogue:
        people = tuple(Person.objects.all())
        topics = tuple(Topic.objects.all())
        rounds = tuple(TalksRound.objects.prefetch_related("participants", "topics"))
        return cls(
            people=tuple(person_spec(p) for p in people),
            topics=tuple(topic_spec(t) for t in topics),
            rounds=tuple(round_spec(r) for r in rounds),
            person_ids={p.slug: p.pk for p in people},
            topic_ids={t.slug: t.pk for t in topics},
            round_ids={r.slug: r.pk for r in rounds},
        )

    @property
    def lists(self) -> CuratedLists:
        return CuratedLists(people=self.people, topics=self.topics, rounds=self.rounds)


# The article fields the analysis reads: an analysis of a capture's parsed fields stands
# for the article's only while none of these was corrected.
ANALYSED_FIELDS = frozenset({"title", "body", "published_date", "dateline"})


def analyse_article(
    article: Article, cat: Catalogue, *, fresh: bool = False, analysis: TextAnalysis | None = None
) -> None:
    """Recompute what the text says (people, quotations, topics, rounds, fingerprint,
    wording), or save `analysis`, when that of the article's very fields was found while
    preparing it.

    Rounds staff confirmed or rejected keep their state; only suggestions are replaced.
    A `fresh` article (just created) has nothing to replace, which saves the deletes.
    """
    if analysis is None:
        analysis = analyse_text(
            title=article.title,
            body=article.body,
            published=article.published_date,
            dateline=article.dateline,
            lists=cat.lists,
        )
    if not fresh:
        _forget_analysis(article)
    decided = {} if fresh else {article.pk: _decided_rounds(article)}
    save_findings([(article, analysis)], cat, decided=decided)
    set_fingerprint_and_wording(article, analysis)
    Article.objects.filter(pk=article.pk).update(
        wording=article.wording,
        fingerprint=article.fingerprint,
        fp_band0=article.fp_band0,
        fp_band1=article.fp_band1,
        fp_band2=article.fp_band2,
        fp_band3=article.fp_band3,
    )


def set_fingerprint_and_wording(article: Article, analysis: TextAnalysis) -> None:
    """Put the fingerprint, its bands and the counted wording on the article object (not
    saved)."""
    article.wording = analysis.wording
    article.fingerprint = _signed(analysis.fingerprint)
    article.fp_band0, article.fp_band1, article.fp_band2, article.fp_band3 = analysis.bands


def save_findings(
    found: Iterable[tuple[Article, TextAnalysis]],
    cat: Catalogue,
    *,
    decided: dict[int, set[str]] | None = None,
) -> None:
    """Insert the people, quotation, topic and round rows for saved articles, a query per
    kind however many articles; rounds in `decided` (by article pk) are left alone."""
    found = list(found)
    decided = decided or {}
    _insert_plain(
        ArticlePerson,
        ("article", "person", "count"),
        (
            (article.pk, cat.person_ids[m.slug], m.count)
            for article, analysis in found
            for m in analysis.mentions
            if m.slug in cat.person_ids
        ),
    )
    _insert_plain(
        Quotation,
        ("article", "person", "quote", "sentence", "paragraph"),
        (
            (article.pk, cat.person_ids[q.slug], q.quote, q.sentence, q.paragraph)
            for article, analysis in found
            for q in analysis.quotations
            if q.slug in cat.person_ids
        ),
    )
    _insert_plain(
        ArticleTopic,
        ("article", "topic"),
        (
            (article.pk, cat.topic_ids[slug])
            for article, analysis in found
            for slug in analysis.topics
            if slug in cat.topic_ids
        ),
    )
    ArticleRound.objects.bulk_create(
        ArticleRound(
            article_id=article.pk,
            round_id=cat.round_ids[s.slug],
            score=s.score,
            reasons=list(s.reasons),
        )
        for article, analysis in found
        for s in analysis.rounds
        if s.slug in cat.round_ids and s.slug not in decided.get(article.pk, ())
    )


def _insert_plain(model: type[models.Model], names: tuple[str, ...], rows: Iterable[tuple]) -> None:
    """Insert rows of plain numbers and text in one statement. bulk_create builds a model
    instance per row, which cost an ingest twenty times what the database did; no field
    here needs converting, and bulk_create sends no signals either."""
    rows = list(rows)
    if not rows:
        return
    connection = connections[router.db_for_write(model)]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(model._meta.get_field(name).column) for name in names)
    marks = ", ".join(["%s"] * len(names))
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES ({marks})", rows
        )


def _forget_analysis(article: Article) -> None:
    """Remove what an earlier analysis found, except rounds staff decided on."""
    ArticlePerson.objects.filter(article=article).delete()
    Quotation.objects.filter(article=article).delete()
    ArticleTopic.objects.filter(article=article).delete()
    article.round_links.filter(state=ArticleRound.State.SUGGESTED).delete()


def _decided_rounds(article: Article) -> set[str]:
    return set(
        article.round_links.exclude(state=ArticleRound.State.SUGGESTED).values_list(
            "round__slug", flat=True
        )
    )


def analyse_articles(articles: Iterable[Article] | None = None) -> int:
    """Analyse many articles with one read of the catalogue; the index updates on commit."""
    cat = Catalogue.from_database()
    count = 0
    articles = Article.objects.all() if articles is None else articles
    with transaction.atomic():
        pks = []
        for article in articles:
            analyse_article(article, cat)
            pks.append(article.pk)
            count += 1
        index_on_commit(pks)
    return count


def _signed(value: int) -> int:
    """Store an unsigned 64-bit fingerprint in a signed BIGINT column."""
    return value - (1 << 64) if value >= 1 << 63 else value


def _unsigned(value: int) -> int:
    return value + (1 << 64) if value < 0 else value


def republished_map(articles: Iterable[Article]) -> dict[int, list[Article]]:
    """For each article, the others whose text is a near-duplicate (the same agency story
    on several sites): candidates share a fingerprint band, confirmed by distance. One query
    for however many articles, answered from the bands' indexes alone."""
    articles = [a for a in articles if a.fingerprint is not None]
    if not articles:
        return {}
    sharing: dict[tuple[int, int], list[Article]] = {}
    for article in articles:
        for number, band in enumerate(bands(_unsigned(article.fingerprint))):
            sharing.setdefault((number, band), []).append(article)
    # Sharing a band is common among unrelated articles on one subject: compare the
    # fingerprints alone, each with the articles it shares a band with, then load only
    # the articles that are copies. Each band is looked up in its own index, which holds
    # the fingerprint too: no article row (and none of its texts) is read.
    by_band = [
        Article.objects.filter(
            **{f"fp_band{number}__in": {band for place, band in sharing if place == number}}
        )
        .order_by()
        .values_list("pk", "fingerprint")
        for number in range(4)
    ]
    candidates = by_band[0].union(*by_band[1:])
    matched: dict[int, set[int]] = {}
    for pk, value in candidates:
        other = _unsigned(value)
        near = {a for key in enumerate(bands(other)) for a in sharing.get(key, ())}
        for article in near:
            if pk != article.pk and hamming(_unsigned(article.fingerprint), other) <= (
                NEAR_DUPLICATE_DISTANCE
            ):
                matched.setdefault(article.pk, set()).add(pk)
    copies = list(
        Article.objects.published()
        .without_texts()
        .filter(pk__in={pk for pks in matched.values() for pk in pks})
    )
    return {
        article.pk: [copy for copy in copies if copy.pk in matched.get(article.pk, ())]
        for article in articles
    }


def republished_copies(article: Article) -> list[Article]:
    return republished_map([article]).get(article.pk, [])
