"""Similar articles: "more like this" for an article page."""

from __future__ import annotations

from collections.abc import Callable

from haystack import connections
from haystack.query import SearchQuerySet

from articles.analysis.wording import opening_wording
from articles.models import Article
from articles.related import (
    PAGE_ROWS,
    RelatedArticle,
    related_articles,
    similar_by_wording,
    text_vector,
)


def more_like_this(article: Article, *, limit: int = PAGE_ROWS) -> list[RelatedArticle]:
    """Related coverage: other outlets' reports of the same event, then the rest."""
    return related_articles(article, limit=limit, similar_pks=similar_pks, idf=word_rarity)


def wording_candidates(article: Article) -> list[int]:
    """The articles the index offers as related coverage of this one on its wording alone
    (for measuring how well they agree with the ranking)."""
    wording = article.wording or opening_wording(article.title, article.body)
    vector = text_vector(wording, word_rarity())
    return similar_by_wording(article, vector, similar_pks)


def similar_pks(article: Article, key_terms: dict[str, float], count: int, most: int) -> list[int]:
    """The articles whose words most resemble this one's: those best matching the first
    `most` of its stems (most telling first) that other articles hold, where the backend
    searches by weighted stems (the archive's Whoosh backend); otherwise the backend's own
    more-like-this (Solr's `{!mlt}`)."""
    backend = connections["default"].get_backend()
    by_terms = getattr(backend, "similar_to_terms", None)
    if by_terms is not None:
        return by_terms(article, key_terms, count, most=most)
    return engine_more_like_this(article, count)


def engine_more_like_this(article: Article, count: int) -> list[int]:
    """The backend's own more-like-this, through Haystack's contract."""
    return [int(result.pk) for result in SearchQuerySet().more_like_this(article)[:count]]


def word_rarity() -> Callable[[str], float]:
    """How rare each stem is in the index, where the backend can say (the archive's Whoosh
    backend); otherwise every stem weighs the same."""
    backend = connections["default"].get_backend()
    rarity = getattr(backend, "inverse_document_frequency", None)
    return rarity() if rarity is not None else (lambda term: 1.0)
