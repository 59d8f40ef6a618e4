"""Review reasons: the ones a reading raises are kept on the article until staff settle
them, by marking it reviewed or by correcting the field that raised them."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

DATE_REASONS = frozenset(
    {"date_unknown", "date_ambiguous", "date_implausible", "date_uncertain", "date_conflicting"}
)
# A staff correction of a field settles the review reasons that field raised.
REASONS_SETTLED_BY: dict[str, frozenset[str]] = {
    "title": frozenset({"title_derived", "title_uncertain"}),
    "source": frozenset({"source_unknown", "source_uncertain"}),
    "published_date": DATE_REASONS,
    "published_at": DATE_REASONS,
    "byline": frozenset({"byline_uncertain"}),
}


class Reviewable(Protocol):
    review_reasons: list[str]
    needs_review: bool


def unsettled(reasons: Iterable[str], corrected: Iterable[str]) -> list[str]:
    """The reasons that no correction of the `corrected` fields answers."""
    settled = set().union(*(REASONS_SETTLED_BY.get(name, ()) for name in corrected))
    return [reason for reason in reasons if reason not in settled]


def settle(article: Reviewable, corrected: Iterable[str]) -> None:
    """Drop the reasons that corrections of these fields answer; set the review flag."""
    article.review_reasons = unsettled(article.review_reasons, corrected)
    article.needs_review = bool(article.review_reasons)
