"""Similar articles: "more like this" for an article page."""

from __future__ import annotations

import logging

from django.core.cache import cache
from haystack.query import SearchQuerySet

from articles.models import Article

logger = logging.getLogger(__name__)

MORE_LIKE_THIS_SECONDS = 600


def more_like_this(article: Article, *, limit: int = 5) -> list[Article]:
    """Articles whose words resemble this one's, other sources first.

    Finding them weighs every word of the article against the index, so the answer is kept
    for a while: related reading does not need to be to the second.
    """
    key = f"more-like-this:{article.pk}:{article.updated_at.timestamp()}:{limit}"
    pks = cache.get(key)
    if pks is None:
        try:
            pks = _similar_pks(article, limit * 3)
        except Exception:  # related articles are a nicety; never fail the article page
            logger.exception("More like this failed for article %s", article.pk)
            return []
        cache.set(key, pks, MORE_LIKE_THIS_SECONDS)
    found = Article.objects.published().in_bulk(pks)
    ranked = [found[pk] for pk in pks if pk in found and pk != article.pk]
    ranked.sort(key=lambda other: bool(article.source_id) and other.source_id == article.source_id)
    return ranked[:limit]


def _similar_pks(article: Article, count: int) -> list[int]:
    return [int(result.pk) for result in SearchQuerySet().more_like_this(article)[:count]]
