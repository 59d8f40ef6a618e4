"""Similar articles: "more like this" for an article page."""

from __future__ import annotations

import logging
import math
from collections.abc import Callable

from haystack import connections
from haystack.query import SearchQuerySet

from articles.models import Article
from articles.related import TEXT_CHARS, RelatedArticle, related_articles
from articles.search.whoosh import engine
from articles.search.whoosh.backend import ArchiveWhooshBackend

logger = logging.getLogger(__name__)

IDF_KEPT = 200_000  # stems whose rarity is remembered (a few MB)


def more_like_this(article: Article, *, limit: int = 5) -> list[RelatedArticle]:
    """Related coverage: other outlets' reports of the same event, then the rest."""
    return related_articles(
        article, limit=limit, similar_pks=_similar_pks, idf=_inverse_document_frequency
    )


def _similar_pks(article: Article, count: int) -> list[int]:
    backend = connections["default"].get_backend()
    if not isinstance(backend, ArchiveWhooshBackend):
        return [int(r.pk) for r in SearchQuerySet().more_like_this(article)[:count]]
    searcher = backend.searcher()
    docnum = searcher.document_number(id=f"articles.article.{article.pk}")
    if docnum is None:
        return []
    # The opening of a news story carries its subject; weighing every word costs more.
    text = f"{article.title}\n{article.body[:TEXT_CHARS]}"
    hits = searcher.more_like(docnum, "text", text=text, top=count + 1)
    return [int(hit["django_id"]) for hit in hits]


def _inverse_document_frequency() -> Callable[[str], float]:
    """Inverse document frequency of a stem in the whole index (1.0 for every stem when
    the index cannot say: other engines)."""
    backend = connections["default"].get_backend()
    if not isinstance(backend, ArchiveWhooshBackend):
        return lambda term: 1.0
    searcher = backend.searcher()
    reader = searcher.reader()
    total = reader.doc_count() or 1
    # Kept for as long as the index is unchanged: most stems recur from article to article.
    known: dict[str, float] = engine.index_cached(searcher, ("idf",), dict)

    def idf(term: str) -> float:
        if term not in known:
            if len(known) >= IDF_KEPT:
                known.clear()
            known[term] = math.log((1 + total) / (1 + reader.doc_frequency("text", term))) + 1
        return known[term]

    return idf
