"""Writes the rows of an ingest: an article and its captures, the sources they name and
what their analysis found, never overwriting what staff corrected. What to write is
decided in articles/ingest/pipeline.py, which also holds the transactions."""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from typing import TYPE_CHECKING

from django.utils.text import slugify

from articles.ingest import ParsedArticle
from articles.ingest.prepare import PreparedCapture, TextAnalysis
from articles.ingest.signatures import SOURCES
from articles.models import Article, Capture, Source
from articles.review import unsettled
from articles.sanitize import article_html
from articles.search.queue import index_on_commit

if TYPE_CHECKING:
    from articles.enrich import Catalogue

# What the signatures table knows of an outlet, by lower-cased name.
SOURCE_PROFILES = {profile.name.lower(): profile for profile in SOURCES}


def create_articles(
    captures: Sequence[PreparedCapture], *, catalogue: Catalogue | None, sources: SourceCache
) -> None:
    """Insert new articles and what their analysis found, a few queries in all; the index
    learns of them on commit (bulk inserts send no signals)."""
    from articles.enrich import analyse_article, save_findings, set_fingerprint_and_wording

    if not captures:
        return
    articles = []
    for prepared in captures:
        parsed = prepared.parsed
        reasons = list(parsed.review_reasons)
        article = Article(
            **article_values(parsed, body_html=prepared.body_html, find_source=sources.get),
            needs_review=bool(reasons),
            review_reasons=reasons,
        )
        article.set_slug()
        if catalogue is not None and prepared.analysis is not None:
            set_fingerprint_and_wording(article, prepared.analysis)
        articles.append(article)
    Article.objects.bulk_create(articles)
    Capture.objects.bulk_create(
        capture_row(prepared, article) for article, prepared in zip(articles, captures, strict=True)
    )
    if catalogue is not None:
        save_findings(
            ((a, p.analysis) for a, p in zip(articles, captures, strict=True) if p.analysis),
            catalogue,
        )
        # Not analysed in advance: its checksum was stored when the run began, and that
        # article has gone since.
        for article, prepared in zip(articles, captures, strict=True):
            if prepared.analysis is None:
                analyse_article(article, catalogue, fresh=True)
    index_on_commit(article.pk for article in articles)


class SourceCache:
    """get_or_create_source remembered for a run, so each name costs one query at most."""

    def __init__(self) -> None:
        self._sources: dict[str, Source | None] = {}

    def get(self, name: str | None) -> Source | None:
        if name not in self._sources:
            self._sources[name] = get_or_create_source(name)
        return self._sources[name]

    def clear(self) -> None:
        self._sources.clear()


def get_or_create_source(name: str | None) -> Source | None:
    """The Source row for a name, created from the signatures table's profile if new."""
    if not name:
        return None
    source = Source.objects.filter(name__iexact=name).first()
    if source:
        return source
    profile = SOURCE_PROFILES.get(name.lower())
    return Source.objects.create(
        name=name,
        slug=_unique_slug(profile.slug if profile else slugify(name)),
        kind=profile.kind if profile else Source.Kind.UNKNOWN,
        homepage=profile.homepage if profile else "",
    )


def _unique_slug(base: str) -> str:
    slug, n = base or "source", 2
    while Source.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def article_values(
    parsed: ParsedArticle,
    *,
    body_html: str | None = None,
    find_source: Callable[[str | None], Source | None] = get_or_create_source,
) -> dict:
    """The field values a parsed capture gives an article."""
    return {
        "title": parsed.title,
        "source": find_source(parsed.source),
        "captured_from": find_source(parsed.captured_from),
        "captured_from_kind": parsed.captured_from_kind or "",
        "published_date": parsed.published_date,
        "published_at": parsed.published_at,
        "published_tz": parsed.published_tz or "",
        "byline": parsed.byline,
        "dateline": parsed.dateline,
        "body": parsed.body,
        "body_html": article_html(((b.kind, b.text) for b in parsed.blocks), parsed.markup)
        if body_html is None
        else body_html,
        "other_text": parsed.other_text,
        **evidence_values(parsed),
    }


def evidence_values(parsed: ParsedArticle) -> dict:
    """The evidence fields of an article: each field's evidence, and the weakest confidence."""
    records = [
        {"field": found.field, "evidence": found.evidence, "confidence": found.confidence}
        for found in parsed.evidence
    ]
    return {
        "field_evidence": records,
        "weakest_confidence": min((r["confidence"] for r in records), default=None),
    }


def capture_row(prepared: PreparedCapture, article: Article) -> Capture:
    """The Capture row for a prepared capture: the bytes as read and where they came from."""
    parsed = prepared.parsed
    return Capture(
        article=article,
        origin=prepared.origin,
        path=prepared.location,
        url=prepared.url,
        canonical_url=prepared.canonical_url,
        captured_at=prepared.captured_at,
        container=prepared.container,
        kind=parsed.kind,
        encoding=parsed.encoding,
        sha256=prepared.sha256,
        raw=prepared.raw,
        title=parsed.title,
        body=parsed.body,
    )


def create_article(prepared: PreparedCapture, *, catalogue: Catalogue | None = None) -> Article:
    """Insert one new article with its capture, and analyse it."""
    parsed = prepared.parsed
    reasons = list(parsed.review_reasons)
    article = Article.objects.create(
        **article_values(parsed, body_html=prepared.body_html),
        needs_review=bool(reasons),
        review_reasons=reasons,
    )
    capture_row(prepared, article).save()
    _analyse(article, catalogue, fresh=True, analysis=prepared.analysis)
    return article


def add_reading(
    prepared: PreparedCapture, article: Article, *, catalogue: Catalogue | None = None
) -> tuple[bool, tuple[str, ...]]:
    """Keep a new capture of a stored story beside the earlier ones; when it is the latest,
    the article shows what it reads, except for fields a person corrected. Returns whether
    the article shows it, and the corrected fields kept."""
    parsed = prepared.parsed
    article = Article.objects.select_for_update().get(pk=article.pk)
    capture = capture_row(prepared, article)
    capture.save()
    changed = record_changes(article)
    if article.captures.latest_first().values_list("pk", flat=True).first() != capture.pk:
        # An earlier capture read late: kept, but the article still shows the latest.
        if changed:
            article.save(update_fields=["changed", "updated_at"])
        return False, ()
    values = article_values(parsed, body_html=prepared.body_html)
    corrected = set(article.corrections.values_list("field", flat=True))
    kept = tuple(sorted(name for name in corrected if name in values))
    reasons = unsettled(parsed.review_reasons, corrected)
    for name, value in values.items():
        if name not in corrected:
            setattr(article, name, value)
    article.set_evidence(values["field_evidence"], corrected)
    article.review_reasons = reasons
    article.needs_review = bool(reasons)
    article.save()
    _analyse(article, catalogue, analysis=prepared.analysis, corrected=corrected)
    return True, kept


def store_repeat(prepared: PreparedCapture, original: Capture) -> Capture:
    """Record the same bytes captured again (at another URL, time or place) as a capture
    of the original's article that repeats it: its bytes are kept once, on the original."""
    article = Article.objects.select_for_update().get(pk=original.article_id)
    capture = Capture.objects.create(
        article=article,
        origin=prepared.origin,
        path=prepared.location,
        url=prepared.url,
        canonical_url=prepared.canonical_url or original.canonical_url,
        captured_at=prepared.captured_at,
        container=prepared.container,
        kind=original.kind,
        encoding=original.encoding,
        sha256=original.sha256,
        repeats=original,
        raw="",
        title=original.title,
        body=original.body,
    )
    if record_changes(article):
        article.save(update_fields=["changed", "updated_at"])
    return capture


def record_changes(article: Article) -> bool:
    """Note on each capture what differs from the one before it, and on the article
    whether anything ever did; True when the article's flag changed."""
    previous = None
    any_change = False
    for capture in article.captures.in_order().only("title", "body", "changes"):
        changes = what_changed(previous, capture) if previous is not None else []
        if changes != capture.changes:
            capture.changes = changes
            capture.save(update_fields=["changes"])
        any_change = any_change or bool(changes)
        previous = capture
    flag_changed = article.changed != any_change
    article.changed = any_change
    return flag_changed


def what_changed(before: Capture, after: Capture) -> list[str]:
    """ "headline" and "text", for whichever differ between two readings (spacing aside)."""
    changes = []
    if " ".join(before.title.split()) != " ".join(after.title.split()):
        changes.append("headline")
    if before.body.split() != after.body.split():
        changes.append("text")
    return changes


def _analyse(
    article: Article,
    catalogue: Catalogue | None,
    *,
    fresh: bool = False,
    analysis: TextAnalysis | None = None,
    corrected: Collection[str] = (),
) -> None:
    """People, quotations, topics, rounds and fingerprint, when a catalogue is given: the
    capture's prepared analysis, unless staff corrected a field it reads."""
    if catalogue is not None:
        from articles.enrich import ANALYSED_FIELDS, analyse_article

        if not ANALYSED_FIELDS.isdisjoint(corrected):
            analysis = None
        analyse_article(article, catalogue, fresh=fresh, analysis=analysis)
