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
