"""Plain baselines computed on the archive's own article texts in the same run as its
search: TF-IDF cosine and Okapi BM25. Words are lower-cased \\w+ runs, common English words
left out, no stemming: what a plain implementation does."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Iterable

from whoosh.analysis import STOP_WORDS
from whoosh.lang.porter import stem

_WORD = re.compile(r"\w+")
# Words too common to tell articles apart, left out as a plain TF-IDF does with any
# standard English list (Whoosh's, and a few reporting words).
STOP = frozenset(STOP_WORDS | {"has", "he", "its", "said", "their", "was", "were", "which"})


def tokens(text: str) -> list[str]:
    return [w for w in (w.lower() for w in _WORD.findall(text)) if w not in STOP]


def stemmed_tokens(text: str) -> list[str]:
    """`tokens`, each reduced to its Porter stem (the stemmer the archive's analysis uses)."""
    return [stem(word) for word in tokens(text)]


class TfidfBaseline:
    """Plain TF-IDF cosine over title and body (raw counts, idf ln((1+N)/(1+df)) + 1, as
    scikit-learn's default, common English words left out)."""

    STOP = STOP
    tokens = staticmethod(tokens)

    def __init__(self, texts: dict[str, str]):
        counts = {name: Counter(tokens(text)) for name, text in texts.items()}
        frequency = Counter(word for words in counts.values() for word in words)
        total = len(counts)
        self.idf = {w: math.log((1 + total) / (1 + df)) + 1 for w, df in frequency.items()}
        self.vectors = {name: self._unit(words) for name, words in counts.items()}

    def _unit(self, counts: Counter) -> dict[str, float]:
        vector = {w: n * self.idf.get(w, 0.0) for w, n in counts.items()}
        norm = math.sqrt(sum(v * v for v in vector.values())) or 1.0
        return {w: v / norm for w, v in vector.items()}

    def _ranked(self, vector: dict[str, float], skip: Iterable[str] = ()) -> list[str]:
        skip = set(skip)
        scores = {
            name: sum(weight * other.get(word, 0.0) for word, weight in vector.items())
            for name, other in self.vectors.items()
            if name not in skip
        }
        return [name for name, score in sorted(scores.items(), key=lambda i: -i[1]) if score > 0]

    def similar(self, name: str, skip: Iterable[str] = ()) -> list[str]:
        return self._ranked(self.vectors[name], {name, *skip})

    def search(self, query: str) -> list[str]:
        return self._ranked(self._unit(Counter(tokens(query))))


class Bm25Baseline:
    """Okapi BM25 (k1 1.2, b 0.75, idf ln(1 + (N - df + 0.5) / (df + 0.5))) over title and
    body as one field: any query word matches, or, with every_word, only articles holding
    all of them."""

    def __init__(
        self, texts: dict[str, str], k1: float = 1.2, b: float = 0.75, *, stemmed: bool = False
    ):
        self.k1, self.b = k1, b
        self.words = stemmed_tokens if stemmed else tokens
        self.counts = {name: Counter(self.words(text)) for name, text in texts.items()}
        self.lengths = {name: sum(c.values()) for name, c in self.counts.items()}
        self.average = sum(self.lengths.values()) / (len(self.lengths) or 1)
        frequency = Counter(word for counts in self.counts.values() for word in counts)
        total = len(self.counts)
        self.idf = {w: math.log(1 + (total - df + 0.5) / (df + 0.5)) for w, df in frequency.items()}
        self.postings: dict[str, list[str]] = {}
        for name, counts in self.counts.items():
            for word in counts:
                self.postings.setdefault(word, []).append(name)

    def search(
        self,
        query: str,
        *,
        every_word: bool = False,
        most_of: Callable[[int], int] | None = None,
    ) -> list[str]:
        """Ranked by score; with `most_of`, in the archive's three groups: articles holding
        every word, then those holding at least most_of(words) of them, then the rest."""
        words = list(dict.fromkeys(self.words(query)))
        if not words:
            return []
        scores: Counter = Counter()
        held: Counter = Counter()
        for word in words:
            idf = self.idf.get(word, 0.0)
            for name in self.postings.get(word, ()):
                tf = self.counts[name][word]
                norm = self.k1 * (1 - self.b + self.b * self.lengths[name] / self.average)
                scores[name] += idf * tf * (self.k1 + 1) / (tf + norm)
                held[name] += 1
        if every_word:
            scores = Counter({n: s for n, s in scores.items() if held[n] == len(words)})
        least = most_of(len(words)) if most_of else 0

        def group(name: str) -> int:
            return 0 if held[name] == len(words) else 1 if held[name] >= least else 2

        grouped = group if most_of else (lambda name: 0)
        return [n for n, s in sorted(scores.items(), key=lambda i: (grouped(i[0]), -i[1], i[0]))]
