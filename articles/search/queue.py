"""Keep the search index in step with the database, on commit and never before, and
durably: index work is written to an outbox (`IndexTask`) in the transaction that changes
the article, and done after it commits.

A rolled-back transaction leaves neither the change nor its task. A crash after the commit
leaves the task, which the next ingest or `sync_index` does. Inside `batched_indexing()` (an
ingest run, a bulk admin action) committed work is gathered and done in one index update.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from itertools import islice

from django.db import models, transaction
from haystack.signals import BaseSignalProcessor

logger = logging.getLogger(__name__)
_local = threading.local()
# Rows per query when reading or deleting tasks by id.
TASK_CHUNK = 500


@contextmanager
def batched_indexing() -> Iterator[None]:
    """Gather committed article changes and index them once when the block ends."""
    outer = getattr(_local, "batch", None)
    if outer is not None:
        yield
        return
    _local.batch = batch = set()
    try:
        yield
    finally:
        _local.batch = None
        if batch:
            drain_index_tasks(batch)


def flush(updated: set[int], removed: set[int]) -> None:
    """Send committed changes to the index: one update for all changed rows, then removals."""
    from articles.search.sync import remove_articles, update_articles

    if updated:
        update_articles(sorted(updated))
    if removed:
        remove_articles(sorted(removed))


def index_on_commit(pks: Iterable[int], *, removed: bool = False, using: str | None = None) -> None:
    """Record index work for these articles in the current transaction; it is done when the
    transaction commits, or after a crash by the next ingest or `sync_index`. Their kept
    related lists go, and they are queued to be weighed against the others'."""
    from articles.kept_related import queue_relating
    from articles.models import IndexTask

    pks = list(dict.fromkeys(pks))
    if not pks:
        return
    action = IndexTask.Action.REMOVE if removed else IndexTask.Action.UPDATE
    IndexTask.objects.using(using).bulk_create(
        [IndexTask(article_id=pk, action=action) for pk in pks], batch_size=TASK_CHUNK
    )
    if not removed:  # a removed article's rows are dropped with it; spare rows stand in
        queue_relating(pks, using=using)
    transaction.on_commit(lambda: _committed(pks), using=using)


def _committed(pks: list[int]) -> None:
    batch = getattr(_local, "batch", None)
    if batch is None:
        drain_index_tasks(pks)
    else:
        batch.update(pks)


def drain_index_tasks(pks: Iterable[int] | None = None) -> int:
    """Do the queued index work for these articles (all of it when None), then delete the
    tasks done; returns how many articles it indexed or removed.

    Safe after a crash and beside another drain: the work is idempotent, and a task is
    deleted only once the index has it. If the index cannot be written, the tasks stay.
    """
    from articles.models import Article, IndexTask

    tasks = IndexTask.objects.order_by("id").values_list("id", "article_id", "action")
    if pks is None:
        rows = list(tasks)
    else:
        chunks = in_chunks(pks, TASK_CHUNK)
        rows = sorted(row for chunk in chunks for row in tasks.filter(article_id__in=chunk))
    if not rows:
        return 0
    latest = {article_id: action for _, article_id, action in rows}  # the last task wins
    wanted = [pk for pk, action in latest.items() if action == IndexTask.Action.UPDATE]
    existing = {
        pk
        for chunk in in_chunks(wanted, TASK_CHUNK)
        for pk in Article.objects.filter(pk__in=chunk).values_list("pk", flat=True)
    }
    try:
        flush(existing, set(latest) - existing)
        for chunk in in_chunks((task_id for task_id, _, _ in rows), TASK_CHUNK):
            IndexTask.objects.filter(id__in=chunk).delete()
    except Exception:  # after a commit: never fail the change; the work is done again later
        logger.exception("Index work for %d articles failed; it stays queued", len(latest))
        return 0
    return len(latest)


def in_chunks(items: Iterable, size: int) -> Iterator[list]:
    """Lists of up to `size` items: ids a query at a time, under the database's limits."""
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def queued_index_tasks() -> int:
    """How many articles have index work waiting."""
    from articles.models import IndexTask

    return IndexTask.objects.values("article_id").distinct().count()


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
