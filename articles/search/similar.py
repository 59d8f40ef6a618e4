"""Similar articles: "more like this" for an article page."""

from __future__ import annotations

import logging

from haystack import connections
from haystack.query import SearchQuerySet

from articles.models import Article
from articles.related import RelatedArticle, related_articles
from articles.search.whoosh.backend import ArchiveWhooshBackend

logger = logging.getLogger(__name__)

MORE_LIKE_THIS_CHARS = 2500


def more_like_this(article: Article, *, limit: int = 5) -> list[RelatedArticle]:
    """Related coverage: other outlets' reports of the same event, then the rest."""
    return related_articles(article, limit=limit, similar_pks=_similar_pks)


def _similar_pks(article: Article, count: int) -> list[int]:
    backend = connections["default"].get_backend()
    if not isinstance(backend, ArchiveWhooshBackend):
        return [int(r.pk) for r in SearchQuerySet().more_like_this(article)[:count]]
    searcher = backend.searcher()
    docnum = searcher.document_number(id=f"articles.article.{article.pk}")
    if docnum is None:
        return []
    # The opening of a news story carries its subject; weighing every word costs more.
    text = f"{article.title}\n{article.body[:MORE_LIKE_THIS_CHARS]}"
    hits = searcher.more_like(docnum, "text", text=text, top=count + 1)
    return [int(hit["django_id"]) for hit in hits]
