"""Article records for export, one shape for the command, CSV and JSON."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from articles.models import Article

EXPORT_FIELDS = (
    "id",
    "url",
    "title",
    "source",
    "captured_from",
    "published",
    "published_at",
    "byline",
    "dateline",
    "body",
    "origin",
    "sha256",
    "needs_review",
    "review_reasons",
)
# Spreadsheet programs run cells starting with these as formulas.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def article_record(article: Article) -> dict:
    return {
        "id": article.pk,
        "url": article.get_absolute_url(),
        "title": article.title,
        "source": article.source.name if article.source else None,
        "captured_from": article.captured_from.name if article.captured_from else None,
        "published": article.published_date.isoformat() if article.published_date else None,
        "published_at": article.published_at.isoformat() if article.published_at else None,
        "byline": article.byline,
        "dateline": article.dateline,
        "body": article.body,
        "origin": article.origin,
        "sha256": article.sha256,
        "needs_review": article.needs_review,
        "review_reasons": list(article.review_reasons),
    }


def article_records(articles: Iterable[Article]) -> Iterator[dict]:
    for article in articles:
        yield article_record(article)


def csv_safe(value) -> str:
    """A cell value a spreadsheet shows as text, never runs as a formula."""
    if value is None:
        return ""
    if isinstance(value, list):
        value = "; ".join(value)
    text = str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def csv_row(record: dict) -> list[str]:
    return [csv_safe(record[name]) for name in EXPORT_FIELDS]
