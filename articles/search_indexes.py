"""Where Haystack looks for an app's search indexes; the index is in articles.search.indexes."""

from articles.search.indexes import ArticleIndex

__all__ = ["ArticleIndex"]
