"""Moves committed article changes into the search index.

The database is the source of truth: everything here can be redone from it at any time.
What a backend can do beyond Haystack's contract it says itself (`writes_in_bulk`,
`stored_versions`, `stored_versions_of`, `rebuilds_by_swap`, `rebuild_aside`): any other
backend is written, read and rebuilt through Haystack alone.
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from django.conf import settings
from haystack import connections
from haystack.exceptions import SearchBackendError
from haystack.query import SearchQuerySet

from articles.models import Article, IndexTask
from articles.search.indexes import attach_links, naive_utc
from articles.search.queue import in_chunks

logger = logging.getLogger(__name__)
BATCH_SIZE = 500
# Index writes use several processes only when each gets at least this many articles:
# below it, starting them costs more than it saves.
PARALLEL_MIN_PER_WORKER = 2_000
# Article ids a drift report names before it says "and N more".
DRIFT_IDS_SHOWN = 20


def _article_index():
    return connections["default"].get_unified_index().get_index(Article)


def update_articles(pks: Iterable[int]) -> int:
    """Index (or re-index) the given articles, loaded in batches, in one index write."""
    backend = connections["default"].get_backend()
    pks = list(pks)
    batches = article_batches(pks)
    if getattr(backend, "writes_in_bulk", False):
        if (workers := index_workers(len(pks))) > 1:
            return backend.write_parallel(_article_index(), batches, workers=workers)
        return backend.write_all(_article_index(), batches)
    sent = 0
    for batch in batches:
        if batch:
            backend.update(_article_index(), batch)
            sent += len(batch)
    return sent


def index_workers(count: int) -> int:
    """Processes to write `count` articles with: one per core (or ARCHIVE_INDEX_WORKERS),
    each with at least PARALLEL_MIN_PER_WORKER articles, or one."""
    workers = settings.ARCHIVE_INDEX_WORKERS or os.cpu_count() or 1
    return max(1, min(workers, count // PARALLEL_MIN_PER_WORKER))


def article_batches(pks: list[int] | None = None) -> Iterator[list[Article]]:
    """Articles ready for indexing, a batch at a time, so memory stays flat."""
    queryset = _article_index().index_queryset()
    if pks is None:
        pks = list(queryset.values_list("pk", flat=True))
    for start in range(0, len(pks), BATCH_SIZE):
        batch = list(queryset.filter(pk__in=pks[start : start + BATCH_SIZE]))
        attach_links(batch)
        yield batch


def remove_articles(pks: Iterable[int]) -> None:
    backend = connections["default"].get_backend()
    for pk in pks:
        try:
            backend.remove(f"articles.article.{pk}")
        except SearchBackendError:
            logger.exception("Could not remove article %s from the index", pk)


@dataclass
class IndexDrift:
    """How the index differs from the database, by article id."""

    missing: set[int] = field(default_factory=set)
    stale: set[int] = field(default_factory=set)
    orphaned: set[int] = field(default_factory=set)
    unreadable: str = ""

    @property
    def clean(self) -> bool:
        return not (self.missing or self.stale or self.orphaned or self.unreadable)

    def summary(self) -> str:
        if self.unreadable:
            return f"The index cannot be read ({self.unreadable}): it needs a rebuild."
        return (
            f"{len(self.missing)} missing, {len(self.stale)} stale, "
            f"{len(self.orphaned)} orphaned documents in the index."
        )

    def details(self, limit: int | None = DRIFT_IDS_SHOWN) -> list[str]:
        """A line per kind of drift naming the article ids, the first `limit` of them."""
        lines = []
        for kind, pks in (
            ("missing", self.missing),
            ("stale", self.stale),
            ("orphaned", self.orphaned),
        ):
            if pks:
                shown = sorted(pks)[:limit]
                more = f" and {len(pks) - len(shown)} more" if len(pks) > len(shown) else ""
                lines.append(f"{kind}: article {', '.join(map(str, shown))}{more}")
        return lines


def indexed_versions() -> dict[int, datetime | None]:
    """Article id -> the `updated` time stored with its document in the index."""
    backend = connections["default"].get_backend()
    if stored_versions := getattr(backend, "stored_versions", None):
        return stored_versions("articles.article")
    results = SearchQuerySet().models(Article).values_list("pk", "updated")
    return {int(pk): updated for pk, updated in results}


def unindexed(pks: Iterable[int]) -> set[int]:
    """Those of these articles whose current version the index lacks (missing or stale)."""
    current = {
        pk: naive_utc(updated)
        for chunk in in_chunks(pks, BATCH_SIZE)
        for pk, updated in Article.objects.filter(pk__in=chunk).values_list("pk", "updated_at")
    }
    backend = connections["default"].get_backend()
    if not (stored_versions_of := getattr(backend, "stored_versions_of", None)):
        indexed = indexed_versions()
        return {pk for pk, updated in current.items() if indexed.get(pk, False) != updated}
    stored = stored_versions_of([f"articles.article.{pk}" for pk in current])
    missing = object()
    return {
        pk
        for pk, updated in current.items()
        if stored.get(f"articles.article.{pk}", missing) != updated
    }


def reindex_unindexed(pks: Iterable[int]) -> int:
    """Index those of these articles the index lacks or holds an old version of; returns
    how many. An ingest runs it on the files it found unchanged, which an interrupted
    earlier run may have stored without indexing."""
    lacking = unindexed(pks)
    if lacking:
        update_articles(sorted(lacking))
    return len(lacking)


def compare_index() -> IndexDrift:
    """Missing, stale and orphaned documents, comparing stored `updated` times."""
    try:
        indexed = indexed_versions()
    except Exception as error:  # a corrupt or half-written index must still be reported
        logger.exception("Could not read the search index")
        return IndexDrift(unreadable=f"{type(error).__name__}: {error}")
    in_db = dict(Article.objects.values_list("pk", "updated_at"))
    drift = IndexDrift(
        missing=set(in_db) - set(indexed),
        orphaned=set(indexed) - set(in_db),
    )
    drift.stale = {pk for pk in set(in_db) & set(indexed) if naive_utc(in_db[pk]) != indexed[pk]}
    return drift


def repair_index(drift: IndexDrift | None = None, *, rebuild: bool = False) -> int:
    """Bring the index in line with the database; a rebuild (or an unreadable index) is done
    in a fresh folder and swapped in, so searchers never see an empty index."""
    drift = drift or (None if rebuild else compare_index())
    if rebuild or drift.unreadable:
        # The rebuild reads every article after this point: the tasks queued so far are done.
        queued = list(IndexTask.objects.values_list("pk", flat=True))
        count = rebuild_index()
        for chunk in in_chunks(queued, BATCH_SIZE):
            IndexTask.objects.filter(pk__in=chunk).delete()
        return count
    remove_articles(drift.orphaned)
    return update_articles(drift.missing | drift.stale) + len(drift.orphaned)


def rebuild_index() -> int:
    """Index every article aside (a new folder, or a new Solr collection), then switch readers
    to it at once: they never see a half-built index."""
    backend = connections["default"].get_backend()
    if rebuild_aside := getattr(backend, "rebuild_aside", None):
        return rebuild_aside(_write_every_article)
    if not getattr(backend, "rebuilds_by_swap", False):
        backend.clear()
        return update_articles(Article.objects.values_list("pk", flat=True))
    live = Path(backend.path)
    live.parent.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%d%H%M%S")
    fresh = Path(tempfile.mkdtemp(prefix=f"{live.name}.{stamp}.", dir=live.parent))
    builder = backend.builder_at(str(fresh))
    pks = list(_article_index().index_queryset().values_list("pk", flat=True))
    if (workers := index_workers(len(pks))) > 1:
        batches = article_batches(pks)
        count = builder.write_parallel(_article_index(), batches, workers=workers, replace=False)
    else:
        count = builder.write_all(_article_index(), article_batches(pks), replace=False)
    swap_in(fresh, live)
    return count


def _write_every_article(backend) -> int:
    """Send every article to `backend` (a rebuild's), batch by batch, committing once."""
    sent = 0
    for batch in article_batches():
        if batch:
            backend.update(_article_index(), batch, commit=False)
            sent += len(batch)
    return sent


def swap_in(fresh: Path, live: Path) -> None:
    """Make `live` a symlink to `fresh` in one rename, then remove the folder it replaced."""
    previous = live.resolve() if live.is_symlink() else None
    if live.exists() and not live.is_symlink():
        # First rebuild: the live index is a plain folder; move it aside for the link.
        previous = live.parent / f"{live.name}.replaced.{os.getpid()}"
        live.rename(previous)
    link = live.parent / f".{live.name}.link.{os.getpid()}"
    link.unlink(missing_ok=True)
    link.symlink_to(fresh.name)
    os.replace(link, live)
    if previous and previous.exists() and previous != fresh:
        shutil.rmtree(previous, ignore_errors=True)
