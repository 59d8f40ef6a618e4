"""An article's wording as related coverage weighs it: the stems of its opening, counted.
Counted once, when the article is analysed, and kept with it, so an article page weighs
its candidates' wording without reading and splitting their texts."""

from __future__ import annotations

from collections import Counter

from articles.search.analysis import analyse_text

# The opening of a news story carries its subject; the whole text costs more to weigh.
OPENING_CHARS = 2500


def opening_wording(title: str, body: str) -> dict[str, int]:
    """Each stem of the title and the body's opening, with how often it occurs there."""
    return dict(Counter(analyse_text(f"{title}\n{body[:OPENING_CHARS]}")))
