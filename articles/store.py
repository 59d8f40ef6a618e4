"""Turns prepared captures into rows: idempotent, a transaction per batch of files (a
batch that fails is redone file by file), and never overwriting what staff corrected."""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.utils.text import slugify

from articles.ingest import ParsedArticle
from articles.ingest.prepare import PreparedCapture, prepare_captures
from articles.ingest.signatures import SOURCES
from articles.models import Article, Source
from articles.review import unsettled
from articles.sanitize import article_html
from articles.signals import batched_indexing, drain_index_tasks, index_on_commit

if TYPE_CHECKING:
    from articles.enrich import Catalogue

logger = logging.getLogger(__name__)

CAPTURE_SUFFIXES = frozenset({".txt", ".text", ".html", ".htm"})

# What the signatures table knows of an outlet, by lower-cased name.
SOURCE_PROFILES = {profile.name.lower(): profile for profile in SOURCES}


# Files written per transaction, and the fewest files worth starting processes for.
BATCH_SIZE = 500
POOL_MIN_FILES = 200


class DryRunRollback(Exception):
    """Raised inside a transaction to undo it in a dry run, with what would have happened."""

    def __init__(self, outcomes: list[FileOutcome] | None = None) -> None:
        super().__init__()
        self.outcomes = outcomes or []


@dataclass
class FileOutcome:
    path: str
    status: str  # created, updated, unchanged, failed
    message: str = ""
    kept: tuple[str, ...] = ()


@dataclass
class IngestReport:
    outcomes: list[FileOutcome] = field(default_factory=list)
    # Articles an earlier, interrupted run stored but left out of the search index.
    reindexed: int = 0

    def count(self, status: str) -> int:
        return sum(1 for outcome in self.outcomes if outcome.status == status)

    @property
    def failed(self) -> int:
        return self.count("failed")

    def summary(self) -> str:
        counts = ", ".join(
            f"{self.count(status)} {status}"
            for status in ("created", "updated", "unchanged", "failed")
        )
        if self.reindexed:
            counts += f"; {self.reindexed} articles missing from the search index indexed again"
        return counts


def find_captures(paths: Iterable[str | Path]) -> Iterator[Path]:
    """Files named directly, and capture files found under folders, in a stable order."""
    for path in map(Path, paths):
        if path.is_dir():
            yield from sorted(
                p
                for p in path.rglob("*")
                if p.is_file()
                and p.suffix.lower() in CAPTURE_SUFFIXES
                and not p.name.startswith(".")
            )
        else:
            yield path


def ingest_paths(
    paths: Iterable[str | Path], *, dry_run: bool = False, workers: int | None = None
) -> IngestReport:
    """Parse and store every capture; a bad file is reported and skipped, the rest load.

    Files are prepared (read, parsed, analysed) in a pool of `workers` processes when
    there are many, and written in batches, a transaction each.
    """
    from articles.enrich import Catalogue
    from articles.index_sync import reindex_unindexed

    report = IngestReport()
    if not dry_run:  # index work an interrupted run committed but never did
        report.reindexed += drain_index_tasks()
    max_bytes = settings.ARCHIVE_MAX_CAPTURE_BYTES
    catalogue = Catalogue.from_database()
    captures = list(find_captures(paths))
    if workers is None:
        workers = settings.ARCHIVE_INGEST_WORKERS or os.cpu_count() or 1
    stored: set[str] = set()
    if len(captures) < POOL_MIN_FILES:
        workers = 1
    else:
        # The workers need not analyse captures that will be "unchanged": re-runs are quick.
        stored = set(Article.objects.values_list("sha256", flat=True))
    prepared = prepare_captures(
        captures, max_bytes=max_bytes, lists=catalogue.lists, stored=stored, workers=workers
    )
    sources = SourceCache()
    unchanged: list[str] = []
    with batched_indexing():
        for batch in _batches(prepared, BATCH_SIZE):
            outcomes = store_batch(batch, catalogue=catalogue, sources=sources, dry_run=dry_run)
            report.outcomes.extend(outcomes)
            unchanged += [
                p.sha256 for p, o in zip(batch, outcomes, strict=True) if o.status == "unchanged"
            ]
    if unchanged and not dry_run:
        # "Unchanged" must not hide an article the index lacks.
        pks = Article.objects.filter(sha256__in=unchanged).values_list("pk", flat=True)
        report.reindexed += reindex_unindexed(pks)
    return report


def _batches(items: Iterable, size: int) -> Iterator[list]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def store_prepared(
    prepared: PreparedCapture, *, dry_run: bool = False, catalogue: Catalogue | None = None
) -> FileOutcome:
    """Store one prepared capture in its own transaction; a database fault fails the file."""
    if prepared.parsed is None:
        return FileOutcome(str(prepared.path), "failed", prepared.error)
    try:
        with transaction.atomic():
            status, kept = _store_one(prepared, catalogue)
            if dry_run:
                raise DryRunRollback
    except DryRunRollback:
        pass
    except Exception as error:  # a database fault on one file must not stop the run
        logger.exception("Could not store %s", prepared.path)
        return FileOutcome(str(prepared.path), "failed", f"could not be stored: {error}")
    return FileOutcome(str(prepared.path), status, kept=kept)


def _store_one(prepared: PreparedCapture, catalogue: Catalogue | None) -> tuple[str, tuple]:
    return store_article(
        prepared.parsed,
        raw=prepared.raw,
        sha256=prepared.sha256,
        origin=prepared.origin,
        catalogue=catalogue,
    )


def store_batch(
    batch: Sequence[PreparedCapture],
    *,
    catalogue: Catalogue | None,
    sources: SourceCache,
    dry_run: bool = False,
) -> list[FileOutcome]:
    """Store prepared captures in one transaction, new articles by bulk inserts. If the
    batch fails, it is rolled back and stored file by file, so only a bad file is lost."""
    try:
        with transaction.atomic():
            outcomes = _store_together(batch, catalogue=catalogue, sources=sources)
            if dry_run:
                raise DryRunRollback(outcomes)
    except DryRunRollback as rollback:
        sources.clear()  # the sources it created were rolled back too
        return rollback.outcomes
    except Exception as error:
        logger.warning(
            "A batch of %d files failed (%s); storing them one by one", len(batch), error
        )
        sources.clear()
        return [store_prepared(p, dry_run=dry_run, catalogue=catalogue) for p in batch]
    return outcomes


def _store_together(
    batch: Sequence[PreparedCapture], *, catalogue: Catalogue | None, sources: SourceCache
) -> list[FileOutcome]:
    """Outcomes as storing the files one after another would give. New articles wait to
    be inserted together; a file for an existing article (a changed capture) is stored by
    store_article once those before it are in, and then what exists is read again."""
    outcomes = []
    waiting: list[PreparedCapture] = []
    shas, origins = _existing(batch)
    for prepared in batch:
        path = str(prepared.path)
        if prepared.parsed is None:
            outcomes.append(FileOutcome(path, "failed", prepared.error))
        elif prepared.sha256 in shas:
            outcomes.append(FileOutcome(path, "unchanged"))
        elif prepared.origin in origins:
            _create_articles(waiting, catalogue=catalogue, sources=sources)
            waiting = []
            status, kept = _store_one(prepared, catalogue)
            outcomes.append(FileOutcome(path, status, kept=kept))
            shas, origins = _existing(batch)
        else:
            waiting.append(prepared)
            shas.add(prepared.sha256)
            origins.add(prepared.origin)
            outcomes.append(FileOutcome(path, "created"))
    _create_articles(waiting, catalogue=catalogue, sources=sources)
    return outcomes


def _existing(batch: Sequence[PreparedCapture]) -> tuple[set[str], set[str]]:
    """The checksums and origins of the batch that articles already have."""
    ready = [p for p in batch if p.parsed is not None]
    shas = Article.objects.filter(sha256__in=[p.sha256 for p in ready])
    origins = Article.objects.filter(origin__in=[p.origin for p in ready])
    return (
        set(shas.values_list("sha256", flat=True)),
        set(origins.values_list("origin", flat=True)),
    )


def _create_articles(
    captures: Sequence[PreparedCapture], *, catalogue: Catalogue | None, sources: SourceCache
) -> None:
    """Insert new articles and what their analysis found, a few queries in all; the index
    learns of them on commit (bulk inserts send no signals)."""
    from articles.enrich import analyse_article, save_findings, set_fingerprint

    if not captures:
        return
    articles = []
    for prepared in captures:
        parsed = prepared.parsed
        reasons = list(parsed.review_reasons)
        article = Article(
            **article_values(parsed, body_html=prepared.body_html, find_source=sources.get),
            raw=prepared.raw,
            origin=prepared.origin,
            sha256=prepared.sha256,
            needs_review=bool(reasons),
            review_reasons=reasons,
        )
        article.slug = slugify(article.title)[:100] or "article"  # as Article.save() does
        if catalogue is not None and prepared.analysis is not None:
            set_fingerprint(article, prepared.analysis)
        articles.append(article)
    Article.objects.bulk_create(articles)
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
        "raw_encoding": parsed.encoding,
        "capture_kind": parsed.kind,
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


def store_article(
    parsed: ParsedArticle, *, raw: str, sha256: str, origin: str, catalogue: Catalogue | None = None
) -> tuple[str, tuple[str, ...]]:
    """Create or update the article for a capture; returns (status, fields kept as corrected).

    The same bytes again are "unchanged"; a changed file with the same name updates its
    article, except for fields a person corrected.
    """
    if Article.objects.filter(sha256=sha256).exists():
        return "unchanged", ()
    values = article_values(parsed)
    article = Article.objects.select_for_update().filter(origin=origin).first()
    if article is None:
        reasons = list(parsed.review_reasons)
        article = Article.objects.create(
            **values,
            raw=raw,
            origin=origin,
            sha256=sha256,
            needs_review=bool(reasons),
            review_reasons=reasons,
        )
        _analyse(article, catalogue, fresh=True)
        return "created", ()

    corrected = set(article.corrections.values_list("field", flat=True))
    kept = tuple(sorted(name for name in corrected if name in values))
    reasons = unsettled(parsed.review_reasons, corrected)
    for name, value in values.items():
        if name not in corrected:
            setattr(article, name, value)
    article.set_evidence(values["field_evidence"], corrected)
    article.raw, article.sha256 = raw, sha256
    article.review_reasons = reasons
    article.needs_review = bool(reasons)
    article.save()
    _analyse(article, catalogue)
    return "updated", kept


def _analyse(article: Article, catalogue, *, fresh: bool = False) -> None:
    """People, quotations, topics, rounds and fingerprint, when a catalogue is given."""
    if catalogue is not None:
        from articles.enrich import analyse_article

        analyse_article(article, catalogue, fresh=fresh)
