"""How the archive reads words, whatever engine holds the index: split into words, lower
case, British/American spelling pairs folded, very common words left out, endings stemmed
(Porter); and, for quoted phrases, every word kept as written. Pure Python, no engine: the
query tree, highlighting and related coverage read words this way, and each engine's
analysis is configured to agree (tests hold the archive's own engine to it)."""

from __future__ import annotations

import re
from functools import lru_cache

# The Porter algorithm as Whoosh ships it: pure Python with no index behind it, and the
# algorithm Solr's PorterStemFilter implements, so every engine stems alike.
from whoosh.lang.porter import stem

from articles.vocabulary import SPELLING_VARIANTS, exact_words

# Words too common to search for outside a quoted phrase (Whoosh's list, as data).
STOP_WORDS = frozenset(
    {
        *("a", "an", "and", "are", "as", "at", "be", "by", "can", "for", "from", "have"),
        *("if", "in", "is", "it", "may", "not", "of", "on", "or", "tbd", "that", "the"),
        *("this", "to", "us", "we", "when", "will", "with", "yet", "you", "your"),
    }
)

# A word: letters and digits, with single dots inside (an abbreviation or a number).
WORD_RE = re.compile(r"\w+(?:\.?\w+)*")

_cached_stem = lru_cache(maxsize=200_000)(stem)


def fold(word: str) -> str:
    """A word lower-cased with its spelling pair folded, before stop words and stemming."""
    word = word.lower()
    return SPELLING_VARIANTS.get(word, word)


def analyse_text(text: str) -> list[str]:
    """The terms of `text` as the index holds them, in order (stop words left out)."""
    terms = []
    for word in WORD_RE.findall(text):
        word = fold(word)
        if word not in STOP_WORDS:
            terms.append(_cached_stem(word))
    return terms


@lru_cache(maxsize=100_000)
def analyse(word: str) -> str | None:
    """A word as the index holds it (folded, stemmed), or None for a stop word."""
    terms = analyse_text(word)
    return terms[0] if terms else None


def analyse_whole(text: str) -> str:
    """A prefix or fuzzy word as the engine looks it up: the whole text folded and stemmed,
    never split or dropped (`Defense*` looks for "defenc*", `Talks~` for "talk~")."""
    return _cached_stem(fold(text))


def index_terms(text: str) -> tuple[dict[str, list[int]], set[str]]:
    """The stems of `text` with their positions (stop words dropped, positions renumbered
    from the first kept word), and the unstemmed words."""
    positions: dict[str, list[int]] = {}
    words: set[str] = set()
    variants = SPELLING_VARIANTS
    stops = STOP_WORDS
    position = None
    for index, word in enumerate(WORD_RE.findall(text)):
        word = word.lower()
        word = variants.get(word, word)
        if word in stops:
            continue
        position = index if position is None else position + 1
        words.add(word)
        term = _cached_stem(word)
        if term in positions:
            positions[term].append(position)
        else:
            positions[term] = [position]
    return positions, words


# The fields a word written without a field is searched in, and each one's weight. The
# title is also part of the body field (with the byline and dateline), so its words already
# count twice; a heavier title weight (it was 3) ranked lower on the judged queries
# (benchmarks/relevance/measure.py nDCG@10 0.463 at 3, 0.515 at 1.5, 0.524 at 1) and no
# better on the known items (MRR 0.969 at 1.5 and 1). The page's other text (menus,
# captions, paragraphs the body extraction left out) is searched too, well below the body,
# so no captured word is lost.
DEFAULT_FIELDS = {"text": 1.0, "title": 1.0, "other_text": 0.3}

# Quoted phrases are matched in a field of their own, where every word is kept as written
# (lower-cased, stop words included, not stemmed): "it is not a threat" must not match
# "threats" or "is not a threat" alone, as it would with the stemmed words.
EXACT_FIELD = "exact"
# The fields whose words the exact field holds (the source name is not among them).
EXACT_COVERS = frozenset({"text", "title", "byline", "dateline", "other_text"})
_PARAGRAPH_BREAK = re.compile(r"\n[ \t\r\f\v]*\n")


def exact_terms(text: str) -> tuple[dict[str, list[int]], set[str]]:
    """The words of `text` as `exact_words` folds them, with their positions; a paragraph
    break leaves a gap, so a phrase does not run on from one paragraph (or field) into the
    next. Nothing is offered for spelling."""
    positions: dict[str, list[int]] = {}
    position = 0
    for paragraph in _PARAGRAPH_BREAK.split(text):
        for word in exact_words(paragraph):
            if word in positions:
                positions[word].append(position)
            else:
                positions[word] = [position]
            position += 1
        position += 1
    return positions, set()
