"""Highlighting: the words of a query marked in a title or a passage of an article."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from articles.search.analysis import analyse
from articles.search.nodes import Node
from articles.search.parser import positive_terms
from articles.vocabulary import SPELLING_VARIANTS, phrase_spans

SNIPPET_FRAGMENTS = 3
FRAGMENT_CHARS = 220
WORD_RE = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True)
class Matcher:
    """What to mark in text: quoted phrases as one run each, analysed terms, and prefixes
    of unanalysed wildcard words."""

    terms: frozenset[str] = frozenset()
    prefixes: tuple[str, ...] = ()
    phrases: tuple[tuple[str, ...], ...] = ()

    def matches(self, word: str) -> bool:
        lowered = word.lower()
        if self.prefixes and lowered.startswith(self.prefixes):
            return True
        return bool(self.terms) and analyse(word) in self.terms

    def __bool__(self) -> bool:
        return bool(self.terms or self.prefixes or self.phrases)

    @cached_property
    def _candidates(self) -> re.Pattern[str]:
        """Where a matching word can start: the first two letters of each term, prefix and
        spelling variant of a term. Scanning for these is C-speed; only the words found
        are analysed, instead of every word of a long article."""
        starts = {term[:2] for term in self.terms} | {prefix[:2] for prefix in self.prefixes}
        starts |= {
            variant[:2]
            for variant, canonical in SPELLING_VARIANTS.items()
            if analyse(canonical) in self.terms
        }
        alternatives = "|".join(sorted(map(re.escape, filter(None, starts)), reverse=True))
        return re.compile(rf"\b(?:{alternatives})" if alternatives else r"(?!)", re.IGNORECASE)

    def words_in(self, text: str) -> Iterator[re.Match[str]]:
        """The matching words of `text`, in order."""
        if not (self.terms or self.prefixes):
            return
        for candidate in self._candidates.finditer(text):
            word = WORD_RE.match(text, candidate.start())
            if word and self.matches(word.group()):
                yield word

    def spans_in(self, text: str) -> list[tuple[int, int]]:
        """What to mark in `text`, in order and not overlapping: every place a phrase
        stands, whole (in either spelling of a pair, as the search finds it), and the
        matching words outside them."""
        phrases = phrase_spans(text, list(self.phrases), either_spelling=True)
        spans, index = [], 0
        for word in self.words_in(text):
            while index < len(phrases) and phrases[index][1] <= word.start():
                spans.append(phrases[index])
                index += 1
            if index < len(phrases) and phrases[index][0] < word.end():
                continue  # inside a phrase, marked with it
            spans.append(word.span())
        return spans + phrases[index:]


def matcher_for(query: Node | None) -> Matcher:
    """What to mark for a query's words (none of those under a NOT)."""
    terms = positive_terms(query)
    return Matcher(terms.terms, terms.prefixes, terms.phrases)


def highlight(text: str, matcher: Matcher) -> SafeString:
    """The whole text, escaped, with matching words wrapped in <mark>."""
    out, last = [], 0
    for start, end in matcher.spans_in(text) if matcher else ():
        out.append(escape(text[last:start]))
        out.append(f"<mark>{escape(text[start:end])}</mark>")
        last = end
    out.append(escape(text[last:]))
    return mark_safe("".join(out))  # noqa: S308 - every piece above is escaped


def snippets(
    text: str, matcher: Matcher, *, fragments: int = SNIPPET_FRAGMENTS
) -> list[SafeString]:
    """Up to `fragments` escaped passages around the first matches, in text order."""
    chosen, covered_until = [], -1
    for hit_start, _hit_end in matcher.spans_in(text) if matcher else ():
        if hit_start <= covered_until:
            continue
        start = max(0, hit_start - FRAGMENT_CHARS // 3)
        end = min(len(text), start + FRAGMENT_CHARS)
        start = _word_boundary(text, start, forward=True)
        end = _word_boundary(text, end, forward=False)
        chosen.append((start, end))
        covered_until = end
        if len(chosen) == fragments:
            break
    if not chosen:
        lead = text[:FRAGMENT_CHARS].rsplit(" ", 1)[0] if len(text) > FRAGMENT_CHARS else text
        return [mark_safe(escape(lead) + ("…" if len(lead) < len(text) else ""))]  # noqa: S308
    return [
        mark_safe(  # noqa: S308 - highlight() escapes
            ("…" if start > 0 else "")
            + highlight(text[start:end], matcher)
            + ("…" if end < len(text) else "")
        )
        for start, end in chosen
    ]


def _word_boundary(text: str, index: int, *, forward: bool) -> int:
    if index <= 0 or index >= len(text):
        return max(0, min(index, len(text)))
    if forward:
        space = text.find(" ", index)
        return space + 1 if 0 <= space < index + 30 else index
    space = text.rfind(" ", index - 30, index)
    return space if space > 0 else index
