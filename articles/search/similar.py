"""Similar articles: "more like this" for an article page."""

from __future__ import annotations

from haystack.query import SearchQuerySet

from articles.models import Article
from articles.related import RelatedArticle, related_articles


def more_like_this(article: Article, *, limit: int = 5) -> list[RelatedArticle]:
    """Related coverage: other outlets' reports of the same event, then the rest."""
    return related_articles(article, limit=limit, similar_pks=_similar_pks)


def _similar_pks(article: Article, count: int) -> list[int]:
    return [int(result.pk) for result in SearchQuerySet().more_like_this(article)[:count]]
