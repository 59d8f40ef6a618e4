"""The fixed search mix of the benchmarks, and how each search is asked of each system: the
archive's page, Haystack's stock page and a raw SQLite FTS5 query."""

from __future__ import annotations

import random
from dataclasses import dataclass
from functools import cache
from urllib.parse import urlencode

from benchmarks.generate import DEFAULT_SEED, INVENTED_WORDS, TextModel, seed_paragraphs


@dataclass(frozen=True)
class SearchCase:
    kind: str  # "words", "rare", "phrase", "source", "dates"
    q: str
    source: str = ""
    date_from: str = ""  # YYYY-MM-DD
    date_to: str = ""

    def archive_path(self) -> str:
        params = [("q", self.q)]
        if self.source:
            params.append(("source", self.source))
        if self.date_from:
            params += [("from", self.date_from), ("to", self.date_to)]
        return f"/search/?{urlencode(params)}"

    def stock_path(self) -> str:
        params = [("q", self.q)]
        if self.source:
            params.append(("selected_facets", f"source_exact:{self.source}"))
        if self.date_from:
            params += [("date_from", self.date_from), ("date_to", self.date_to)]
        return f"/stock-search/?{urlencode(params)}"

    def fts_match(self) -> str:
        """FTS5 syntax: a quoted phrase, or every word quoted (implicit AND)."""
        if self.kind == "phrase":
            return self.q
        return " ".join(f'"{word}"' for word in self.q.split())


def words(q: str) -> SearchCase:
    return SearchCase("words", q)


@cache
def _vocabulary() -> tuple[str, ...]:
    model = TextModel.from_paragraphs(seed_paragraphs(), random.Random(DEFAULT_SEED))
    return tuple(model.vocabulary)


def tail_word(offset: int) -> str:
    """A word of the generated corpus's long tail (not in the seeds), found in well under 1%
    of the articles: offset 50 is in about 0.6 %, offset 2500 in about 0.15 %."""
    vocabulary = _vocabulary()
    return vocabulary[len(vocabulary) - INVENTED_WORDS + offset]


def rare(q: str) -> SearchCase:
    return SearchCase("rare", q)


def phrase(q: str) -> SearchCase:
    return SearchCase("phrase", f'"{q}"')


# Words of the seeds, which the generated corpus repeats (each is in 25-100% of articles);
# words of the long tail (in 0.1-0.6%), alone or with common ones; phrases; a source
# filter; a date range. 1-3 words each.
SEARCH_MIX: tuple[SearchCase, ...] = (
    words("missile"),
    words("Lavrov"),
    words("radar"),
    words("treaty"),
    words("Kosovo"),
    words("interceptor"),
    words("Gabala"),
    words("containment"),
    words("missile defence"),
    words("Czech radar"),
    words("nuclear deterrent"),
    words("Kremlin letter"),
    words("Warsaw Pact"),
    words("Rice Gates"),
    words("Russia missile shield"),
    words("foreign minister Lavrov"),
    words("Poland Czech Republic"),
    words("strategic stability treaty"),
    words("Bush Putin Sochi"),
    rare(tail_word(50)),
    rare(tail_word(500)),
    rare(tail_word(2500)),
    rare(f"Lavrov {tail_word(300)}"),
    rare(f"{tail_word(120)} treaty"),
    rare(f"missile radar {tail_word(800)}"),
    phrase("missile defence"),
    phrase("Czech Republic"),
    phrase("Cold War"),
    phrase("foreign minister"),
    phrase("missile defence system"),
    phrase("Gabala radar base"),
    SearchCase("source", "missile", source="Reuters"),
    SearchCase("source", "talks", source="BBC News"),
    SearchCase("source", "radar", source="RIA Novosti"),
    SearchCase("dates", "missile", date_from="2010-01-01", date_to="2012-12-31"),
    SearchCase("dates", "Lavrov", date_from="2006-01-01", date_to="2006-12-31"),
    SearchCase("dates", "treaty", date_from="2015-06-01", date_to="2016-05-31"),
)

KIND_LABELS = {
    "words": "common-word queries (1–3 words)",
    "rare": "rare-word queries (1–3 words)",
    "phrase": "phrases",
    "source": "word + source filter",
    "dates": "word + date range",
}


# Queries written to cost as much as possible (issue #13): fuzzy words with many edits, long
# wildcard chains, short prefixes standing for thousands of words, many expanding words in
# one query, unknown words that send the spelling suggester through the word list. Each
# must answer quickly, with results or with a page saying which limit it passed.
_LETTERS = random.Random(DEFAULT_SEED)
_GIBBERISH = " ".join(
    "".join(_LETTERS.choice("bcdfghjklmnpqrstvwxz") for _ in range(9)) for _ in range(48)
)
HOSTILE_MIX: tuple[str, ...] = (
    "abcdefghijklmnopqrst~2",
    "abcdefghijklmnopqrst~5",
    "abcdefghijklmnopqrst~6",
    "abcdefghijklmnopqrst~7",
    "missile~2 radar~2 treaty~2 Lavrov~2",
    "m*i*s*s*i*l*e*",
    "*a*b*c*d*e*f*g*",
    "a*e*i*o*",
    "s*",
    "a* b* c* d* e* f* g* h*",
    "mis* rad* tre* neg* kre* lav* def* sec*",
    " ".join(f"{letter}*" for letter in "abcdefghijklmnopqrstuvwxyz"),
    "text:[a TO z]",
    " OR ".join(("missile", "radar", "treaty", "Lavrov", "Kosovo", "talks", "Poland") * 8),
    _GIBBERISH[:480],
)
