"""What staff change, remembered: corrections, review, source assignment and merges.

Every change here is saved in the caller's transaction and reaches the index on commit, in
one batch however many articles it touches.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from articles.models import Article, Correction, Source
from articles.review import settle
from articles.search.queue import index_on_commit


def display_value(value) -> str:
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def record_corrections(
    article: Article, old_values: Mapping[str, object], user=None
) -> list[Correction]:
    """Remember each correctable field whose value changed, and settle the review reasons
    the correction answers. Call after the article's new values are set, before saving."""
    changed = [
        name
        for name in Article.CORRECTABLE_FIELDS
        if name in old_values and old_values[name] != getattr(article, name)
    ]
    settle(article, changed)
    article.set_evidence(article.field_evidence, changed)
    return Correction.objects.bulk_create(
        Correction(
            article=article,
            field=name,
            old_value=display_value(old_values[name]),
            new_value=display_value(getattr(article, name)),
            user=user,
        )
        for name in changed
    )


def mark_reviewed(articles: QuerySet[Article]) -> int:
    """Clear the review flag on many articles; the index is updated once, on commit."""
    with transaction.atomic():
        pks = list(articles.values_list("pk", flat=True))
        count = Article.objects.filter(pk__in=pks).update(
            needs_review=False,
            review_reasons=[],
            reviewed_at=timezone.now(),
            updated_at=timezone.now(),
        )
        index_on_commit(pks)
    return count


def assign_source(articles: QuerySet[Article], source: Source, user=None) -> int:
    """Credit many articles to a source, each change remembered as a correction."""
    with transaction.atomic():
        rows = list(articles.select_related("source"))
        corrections = []
        for article in rows:
            if article.source_id == source.pk:
                continue
            corrections.append(
                Correction(
                    article=article,
                    field="source",
                    user=user,
                    old_value=display_value(article.source),
                    new_value=source.name,
                )
            )
            article.source = source
            settle(article, ["source"])
            article.updated_at = timezone.now()
        Article.objects.bulk_update(
            rows, ["source", "review_reasons", "needs_review", "updated_at"], batch_size=500
        )
        Correction.objects.bulk_create(corrections, batch_size=500)
        index_on_commit(article.pk for article in rows)
    return len(corrections)


def merge_sources(target: Source, duplicates: Iterable[Source], user=None) -> int:
    """Move every article of the duplicates to `target`, then delete the duplicates."""
    duplicates = [source for source in duplicates if source.pk != target.pk]
    if not duplicates:
        return 0
    with transaction.atomic():
        affected = Article.objects.filter(
            Q(source__in=duplicates) | Q(captured_from__in=duplicates)
        )
        pks = list(affected.values_list("pk", flat=True))
        names = {source.pk: source.name for source in duplicates}
        # Remembered as corrections, so a re-ingest never credits the duplicate again.
        Correction.objects.bulk_create(
            (
                Correction(
                    article_id=pk,
                    field="source",
                    user=user,
                    old_value=names[source_id],
                    new_value=target.name,
                )
                for pk, source_id in Article.objects.filter(source__in=duplicates).values_list(
                    "pk", "source_id"
                )
            ),
            batch_size=500,
        )
        now = timezone.now()
        Article.objects.filter(source__in=duplicates).update(source=target, updated_at=now)
        Article.objects.filter(captured_from__in=duplicates).update(
            captured_from=target, updated_at=now
        )
        Source.objects.filter(pk__in=[source.pk for source in duplicates]).delete()
        index_on_commit(pks)
    return len(pks)
