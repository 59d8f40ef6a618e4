"""Keep the search index in step with the database, on commit and never before.

A rolled-back transaction never reaches the index. Inside `batched_indexing()` (an ingest
run, a bulk admin action) changes are gathered and sent to the index in one update.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from django.db import models, transaction
from haystack.signals import BaseSignalProcessor

logger = logging.getLogger(__name__)
_local = threading.local()


class _Batch:
    def __init__(self) -> None:
        self.updated: set[int] = set()
        self.removed: set[int] = set()

    def add(self, pk: int, *, removed: bool) -> None:
        (self.removed if removed else self.updated).add(pk)
        (self.updated if removed else self.removed).discard(pk)


@contextmanager
def batched_indexing() -> Iterator[None]:
    """Gather committed article changes and index them once when the block ends."""
    outer = getattr(_local, "batch", None)
    if outer is not None:
        yield
        return
    _local.batch = batch = _Batch()
    try:
        yield
    finally:
        _local.batch = None
        flush(batch.updated, batch.removed)


def flush(updated: set[int], removed: set[int]) -> None:
    """Send committed changes to the index: one update for all changed rows, then removals."""
    from articles.index_sync import remove_articles, update_articles

    if updated:
        update_articles(sorted(updated))
    if removed:
        remove_articles(sorted(removed))


def index_on_commit(pks: Iterable[int], *, removed: bool = False, using: str | None = None) -> None:
    """Queue index work for these articles, done only if and when the transaction commits."""
    pks = list(pks)
    if pks:
        transaction.on_commit(lambda: _committed(pks, removed), using=using)


def _committed(pks: list[int], removed: bool) -> None:
    batch = getattr(_local, "batch", None)
    if batch is None:
        flush(set() if removed else set(pks), set(pks) if removed else set())
        return
    for pk in pks:
        batch.add(pk, removed=removed)


class OnCommitSignalProcessor(BaseSignalProcessor):
    """Queues index work for articles on `transaction.on_commit`; a change to a source
    re-indexes its articles, whose documents carry its name."""

    def _signals(self):
        from articles.models import Article, ArticleRound, Source

        return (
            (models.signals.post_save, self.handle_save, Article),
            (models.signals.post_delete, self.handle_delete, Article),
            (models.signals.post_save, self.handle_source_save, Source),
            (models.signals.pre_delete, self.handle_source_save, Source),
            (models.signals.post_save, self.handle_link_change, ArticleRound),
            (models.signals.post_delete, self.handle_link_change, ArticleRound),
        )

    def setup(self) -> None:
        for signal, handler, sender in self._signals():
            signal.connect(handler, sender=sender)

    def teardown(self) -> None:
        for signal, handler, sender in self._signals():
            signal.disconnect(handler, sender=sender)

    def handle_save(self, sender, instance, **kwargs) -> None:
        index_on_commit([instance.pk], using=kwargs.get("using"))

    def handle_delete(self, sender, instance, **kwargs) -> None:
        index_on_commit([instance.pk], removed=True, using=kwargs.get("using"))

    def handle_link_change(self, sender, instance, **kwargs) -> None:
        """A round confirmed or rejected changes the article's round facet."""
        index_on_commit([instance.article_id], using=kwargs.get("using"))

    def handle_source_save(self, sender, instance, created=False, **kwargs) -> None:
        if created:
            return
        from articles.models import Article

        articles = Article.objects.filter(
            models.Q(source=instance) | models.Q(captured_from=instance)
        )
        index_on_commit(articles.values_list("pk", flat=True), using=kwargs.get("using"))
