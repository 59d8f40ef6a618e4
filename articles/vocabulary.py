"""Spelling pairs the archive treats as one word, as data.

Sources spell the same thing two ways (RIA Novosti's "defense", the BBC's "defence"); a
researcher searching one expects the other. The index folds each variant to one form.
"""

import re

# American (or variant) spelling -> the form the index stores.
SPELLING_VARIANTS: dict[str, str] = {
    "defense": "defence",
    "defenses": "defences",
    "offense": "offence",
    "offenses": "offences",
    "center": "centre",
    "centers": "centres",
    "program": "programme",
    "programs": "programmes",
    "organization": "organisation",
    "organizations": "organisations",
    "favor": "favour",
    "favorable": "favourable",
    "labor": "labour",
    "dialog": "dialogue",
    "recognize": "recognise",
    "recognized": "recognised",
    "realize": "realise",
    "realized": "realised",
    "minimize": "minimise",
    "minimizing": "minimising",
    "emphasize": "emphasise",
    "emphasized": "emphasised",
    "criticize": "criticise",
    "criticized": "criticised",
    "modernization": "modernisation",
    "stabilization": "stabilisation",
    "normalization": "normalisation",
    "neighbor": "neighbour",
    "neighbors": "neighbours",
    "honor": "honour",
    "kilometer": "kilometre",
    "kilometers": "kilometres",
    "sergey": "sergei",
    "dmitri": "dmitry",
    "dmitriy": "dmitry",
    "anatoliy": "anatoly",
}


def spelling_alternatives(word: str) -> list[str]:
    """Other spellings of `word` that a search for it also finds."""
    lowered = word.lower()
    canonical = SPELLING_VARIANTS.get(lowered, lowered)
    forms = {canonical} | {k for k, v in SPELLING_VARIANTS.items() if v == canonical}
    forms.discard(lowered)
    return sorted(forms)


_ABBREVIATION_DOT = re.compile(r"(?<=\w)\.(?=\w)")
_EXACT_WORD = re.compile(r"\w+")


def exact_words(text: str) -> list[str]:
    """Words as a quoted phrase compares them: every word kept (stop words too), lower
    case, unstemmed, any mark a word break, except dots inside an abbreviation (U.S. = US)."""
    return _EXACT_WORD.findall(exact_text(text))


def exact_text(text: str) -> str:
    """The text whose runs of word characters are its `exact_words`."""
    return _ABBREVIATION_DOT.sub("", text).lower()


def exact_phrase_pattern(phrase: str) -> re.Pattern:
    """Finds `phrase` in an `exact_text` as a quoted search finds it: its words whole, in
    order, with only marks and spaces between them."""
    words = exact_words(phrase)
    return re.compile(r"(?<!\w)" + r"\W+".join(map(re.escape, words)) + r"(?!\w)")


def spelled_as_indexed(word: str) -> str:
    """A lower-cased word in the one spelling the index stores (defense -> defence)."""
    return SPELLING_VARIANTS.get(word, word)


# Words as a reader sees them, abbreviation dots inside (U.S.): what a span starts and ends on.
_SPAN_WORD = re.compile(r"\w+(?:\.\w+)*")


def phrase_spans(
    text: str, phrases: list[tuple[str, ...]], *, either_spelling: bool = False
) -> list[tuple[int, int]]:
    """Where each phrase (its `exact_words`) stands in `text`, as character spans in text
    order, none overlapping; with `either_spelling`, a word matches in either spelling of
    a pair. Only places where a phrase's first word may start are read, word by word."""
    fold = spelled_as_indexed if either_spelling else (lambda word: word)
    wanted = [tuple(fold(w) for w in phrase) for phrase in phrases if phrase]
    if not wanted:
        return []
    starts = {phrase[0] for phrase in wanted}
    if either_spelling:
        starts |= {v for v, canonical in SPELLING_VARIANTS.items() if canonical in starts}
    candidates = re.compile(
        r"(?<!\w)(?:" + "|".join(sorted(map(re.escape, starts), reverse=True)) + r")",
        re.IGNORECASE,
    )
    longest = max(map(len, wanted))
    spans: list[tuple[int, int]] = []
    for candidate in candidates.finditer(text):
        if spans and candidate.start() < spans[-1][1]:
            continue
        words: list[str] = []
        ends: list[int] = []
        position = candidate.start()
        while len(words) < longest:
            token = _SPAN_WORD.search(text, position)
            if token is None or (words == [] and token.start() != candidate.start()):
                break
            folded = [fold(w) for w in exact_words(token.group())]
            words += folded
            ends += [token.end()] * len(folded)
            position = token.end()
        for phrase in sorted(wanted, key=len, reverse=True):
            if tuple(words[: len(phrase)]) == phrase:
                spans.append((candidate.start(), ends[len(phrase) - 1]))
                break
    return spans
