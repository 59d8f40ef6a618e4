"""Article records for export, one shape for the command, CSV and JSON."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from itertools import islice

from articles.models import Article, Capture

CHUNK = 500

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
    "capture_url",
    "captured_at",
    "captures",
    "needs_review",
    "review_reasons",
)
# Spreadsheet programs run cells starting with these as formulas.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def _as_is(path: str) -> str:
    return path


def article_record(
    article: Article,
    capture: Capture | None,
    count: int,
    address: Callable[[str], str] = _as_is,
) -> dict:
    """One article's export record; `capture` is its latest, as `latest_captures` finds it.
    `address` turns the article's path into the URL a reader follows (a web export's is
    absolute, so a spreadsheet's link works away from the site)."""
    return {
        "id": article.pk,
        "url": address(article.get_absolute_url()),
        "title": article.title,
        "source": article.source.name if article.source else None,
        "captured_from": article.captured_from.name if article.captured_from else None,
        "published": article.published_date.isoformat() if article.published_date else None,
        "published_at": article.published_at.isoformat() if article.published_at else None,
        "byline": article.byline,
        "dateline": article.dateline,
        "body": article.body,
        "origin": capture.origin if capture else None,
        "sha256": capture.sha256 if capture else None,
        "capture_url": capture.url if capture else None,
        "captured_at": capture.moment.isoformat() if capture else None,
        "captures": count,
        "needs_review": article.needs_review,
        "review_reasons": list(article.review_reasons),
    }


def article_records(
    articles: Iterable[Article], address: Callable[[str], str] = _as_is
) -> Iterator[dict]:
    """Export records with each article's latest capture, looked up a chunk at a time."""
    iterator = iter(articles)
    while chunk := list(islice(iterator, CHUNK)):
        latest, counts = latest_captures([article.pk for article in chunk])
        for article in chunk:
            yield article_record(
                article, latest.get(article.pk), counts.get(article.pk, 0), address
            )


def latest_captures(article_ids: list[int]) -> tuple[dict[int, Capture], dict[int, int]]:
    """Each article's latest capture (without its texts) and how many it has."""
    latest: dict[int, Capture] = {}
    counts: dict[int, int] = {}
    captures = Capture.objects.filter(article_id__in=article_ids).defer("raw", "body")
    for capture in captures.latest_first():
        latest.setdefault(capture.article_id, capture)
        counts[capture.article_id] = counts.get(capture.article_id, 0) + 1
    return latest, counts


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
