"""Related coverage ranked ahead of readers and kept, so that an article page's first view
reads its list instead of ranking it (which reads the index and some ninety candidates'
wording: about 40 ms of a worker's time at 100,000 articles).

A kept list is used while nothing it was ranked from has changed. A change to the article
itself drops its list in the same transaction (with the index work, search/queue.py) and
queues a `RelateTask`. `relate_articles` ranks each queued article and drops the kept lists
it is in or would now enter: relatedness is the same from either side
(`related.order_key`), so an article enters another's list when it ranks above that list's
last row. Until the task is done, lists ranked before it are not used and the page ranks
live, as without them.

Left to the next `relate_articles --again`: the lists of articles a changed one is not a
candidate of (the candidates are an article's own most alike in wording, its days and its
rounds, so such lists rarely hold it or would take it).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from articles.models import Article, KeptRelated, RelateTask
from articles.related import PAGE_ROWS, SPARE_ROWS, Profile, Ranking, rank
from articles.search.queue import TASK_CHUNK, in_chunks
from articles.search.similar import similar_pks, word_rarity

# Articles ranked between writes (each chunk's rows are written in one short transaction).
CHUNK = 200
# Profiles kept between the articles of one run, a candidate of many made once (about
# 20 KB each: 3 GB at most).
PROFILES_KEPT = 150_000


@dataclass
class RelateCounts:
    ranked: int = 0  # lists ranked and kept
    dropped: int = 0  # kept lists a changed article is in or would now enter: ranked again
    left: bool = False  # stopped at the time limit with work left


def queue_relating(pks: list[int], using: str | None = None) -> None:
    """Drop these articles' kept lists and queue them to be weighed against the others'
    (called in the transaction that changed them)."""
    for chunk in in_chunks(pks, TASK_CHUNK):
        KeptRelated.objects.using(using).filter(article_id__in=chunk).delete()
    RelateTask.objects.using(using).bulk_create(
        [RelateTask(article_id=pk) for pk in pks], batch_size=TASK_CHUNK
    )


def relate_articles(
    *,
    again: bool = False,
    seconds: float | None = None,
    progress: Callable[[RelateCounts], None] | None = None,
) -> RelateCounts:
    """Weigh every queued article against the kept lists, then rank and keep every list
    missing (all of them when `again`), until done or `seconds` have passed."""
    started = time.monotonic()
    counts = RelateCounts()
    if again:
        KeptRelated.objects.all().delete()
    idf = word_rarity()
    known: dict[int, Profile] = {}
    while True:
        if seconds is not None and time.monotonic() - started > seconds:
            counts.left = True
            break
        tasks = list(RelateTask.objects.values_list("id", "article_id")[:CHUNK])
        if tasks:
            changed = list(dict.fromkeys(pk for _, pk in tasks))
            for pk in changed:  # a profile made before the change is stale
                known.pop(pk, None)
        else:
            changed = []
        pks = changed or list(
            Article.objects.filter(kept_related__isnull=True)
            .order_by("pk")
            .values_list("pk", flat=True)[:CHUNK]
        )
        if not pks:
            break
        if len(known) > PROFILES_KEPT:
            known.clear()
        ranked_at = timezone.now()
        articles = Article.objects.filter(pk__in=pks).only(
            "pk", "source_id", "published_date", "wording"
        )
        rankings = {
            article.pk: rank(article, PAGE_ROWS + SPARE_ROWS, similar_pks, idf, known)
            for article in articles
        }
        with transaction.atomic():
            if changed:
                counts.dropped += sum(_drop_lists_changed(pk, r) for pk, r in rankings.items())
            _keep(rankings, ranked_at)
            if tasks:
                RelateTask.objects.filter(id__lte=tasks[-1][0]).delete()
        counts.ranked += len(rankings)
        if progress:
            progress(counts)
    return counts


def _keep(rankings: dict[int, Ranking], ranked_at) -> None:
    """Write the lists, replacing any kept since (an article changed again while ranked is
    queued again, and dropped with its change)."""
    KeptRelated.objects.bulk_create(
        [
            KeptRelated(article_id=pk, rows=r.rows, bar=r.bar, ranked_at=ranked_at)
            for pk, r in rankings.items()
        ],
        update_conflicts=True,
        unique_fields=["article"],
        update_fields=["rows", "bar", "ranked_at"],
    )


def _drop_lists_changed(pk: int, ranking: Ranking) -> int:
    """Drop the kept lists of a changed article's candidates that it is in (its standing
    there may have changed) or would now enter (ranked above their last row, or a list
    shorter than the page's)."""
    dropped = []
    for chunk in in_chunks(ranking.keys, TASK_CHUNK):
        kept = KeptRelated.objects.filter(article_id__in=chunk)
        for other, rows, bar in kept.values_list("article_id", "rows", "bar"):
            listed = {row_pk for row_pk, _, copies in rows for row_pk in (row_pk, *copies)}
            if pk in listed or bar is None or ranking.keys[other] < tuple(bar):
                dropped.append(other)
    KeptRelated.objects.filter(article_id__in=dropped).delete()
    return len(dropped)
