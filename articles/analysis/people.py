"""Which catalogue people an article names, and where.

Names are matched case-sensitively so "rice" the grain never counts. The rules, in order:

1. A full name or full variant ("Condoleezza Rice", "George W Bush", "Сергей Лавров")
   always counts. Initials may drop their full stop.
2. A surname after a title ("Mr Lavrov", "Secretary Rice", "President Bush") counts.
3. A surname alone counts when it belongs to one person in the catalogue; a surname two
   people share ("Burns") counts only if exactly one of them is named in full in the text.
4. Surnames that are common words or other famous people's names (SURNAMES_NEEDING_CONTEXT:
   Rice, Bush, Gates...) count alone only when the person is named in full or with a title
   somewhere in the same text, when a speech verb follows ("Rice said") or when paired
   with a person already found ("presidents Putin and Bush"); and never right after
   another capitalised name ("Susan Rice", "Laura Bush", "Bill Gates").
5. Cyrillic surnames also match their case endings ("Путина", "Лаврову").

Role words ("the foreign minister") are not mentions here: quotations resolve them only
against people this module has found.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from articles.analysis.catalogue import PEOPLE, SURNAMES_NEEDING_CONTEXT, PersonSpec


@dataclass(frozen=True)
class Mention:
    slug: str
    count: int
    first_offset: int


@dataclass(frozen=True)
class PersonSpan:
    """One accepted mention: where it is and how it was written."""

    slug: str
    start: int
    end: int
    kind: str  # "full", "titled" or "surname"


# Words that, right before a surname, make it refer to a person by title.
TITLES: frozenset[str] = frozenset(
    {
        "Mr",
        "Mrs",
        "Ms",
        "Miss",
        "Dr",
        "Gen",
        "General",
        "Sen",
        "Senator",
        "President",
        "President-elect",
        "Premier",
        "Minister",
        "Secretary",
        "Ambassador",
        "Chancellor",
        "Envoy",
        "Adviser",
        "Advisor",
        "Spokesman",
        "господин",
        "г-н",
        "президент",
        "министр",
        "премьер",
        "премьер-министр",
    }
)

# Capitalised words that can stand before a surname without being a first name.
NOT_FIRST_NAMES: frozenset[str] = frozenset(
    {
        "The",
        "A",
        "An",
        "And",
        "But",
        "Or",
        "As",
        "At",
        "In",
        "On",
        "When",
        "While",
        "After",
        "Before",
        "Then",
        "Meanwhile",
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
        "US",
        "U.S.",
        "American",
        "Russian",
        "Polish",
        "Czech",
    }
)

SPEECH_AFTER = re.compile(
    r"\s+(?:said|says|told|added|stressed|noted|insisted|warned|declared|argued|explained"
    r"|replied|agreed|urged|reiterated|announced|suggested|promised|pledged)\b"
)

# Russian surnames decline: Путин, Путина, Путину, Путиным, Путине.
CYRILLIC_ENDINGS = r"(?:ой|ом|ым|ем|ого|ому|а|у|е|ы)?"
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_OPENING_PUNCTUATION = "(\"'“‘[«"


def _is_cyrillic(word: str) -> bool:
    return bool(_CYRILLIC.search(word))


def _normalise_token(token: str) -> str:
    # "(George" -> "George", "W." -> "W": a full name may follow a bracket and drop the dot.
    return token.lstrip(_OPENING_PUNCTUATION).removesuffix(".")


@dataclass(frozen=True)
class _Matcher:
    """Everything needed to find a people table's names, compiled once per table."""

    anchors: re.Pattern[str]  # the last word of every name form, in one alternation
    # last word -> {normalised words before it: slug}, for multi-word names
    full_names: dict[str, dict[tuple[str, ...], str]]
    longest_prefix: int
    surnames: dict[str, frozenset[str]]  # single-word surname form -> slugs
    guarded: frozenset[str]  # surname forms that need context


@lru_cache(maxsize=8)
def compile_people(people: tuple[PersonSpec, ...]) -> _Matcher:
    """Build the matcher for a table; cached, so the default table compiles once."""
    full_names: dict[str, dict[tuple[str, ...], str]] = {}
    surnames: dict[str, set[str]] = {}
    for person in people:
        for form in (person.name, person.surname, *person.variants):
            words = form.split()
            if len(words) == 1:
                surnames.setdefault(words[0], set()).add(person.slug)
            else:
                # Multi-word forms, a surname like "de Hoop Scheffer" included, are keyed
                # by their last word and recognised by the words before it.
                prefix = tuple(_normalise_token(word) for word in words[:-1])
                full_names.setdefault(words[-1], {})[prefix] = person.slug
    last_words = set(full_names) | set(surnames)
    alternatives = [
        re.escape(word) + (CYRILLIC_ENDINGS if _is_cyrillic(word) else "")
        for word in sorted(last_words, key=len, reverse=True)
    ]
    return _Matcher(
        anchors=re.compile("|".join(alternatives)),
        full_names=full_names,
        longest_prefix=max((len(p) for names in full_names.values() for p in names), default=0),
        surnames={word: frozenset(slugs) for word, slugs in surnames.items()},
        guarded=frozenset(SURNAMES_NEEDING_CONTEXT),
    )


def _matcher_for(people: Sequence[PersonSpec]) -> _Matcher:
    # Hashing the default table on every call would cost more than matching a short text.
    return _DEFAULT_MATCHER if people is PEOPLE else compile_people(tuple(people))


def _base_form(matched: str, matcher: _Matcher) -> str | None:
    """The catalogue word behind a match, undoing a Cyrillic case ending."""
    for cut in (0, 1, 2, 3):
        base = matched[: len(matched) - cut]
        if base in matcher.surnames or base in matcher.full_names:
            return base
    return None


def person_spans(text: str, people: Sequence[PersonSpec] = PEOPLE) -> tuple[PersonSpan, ...]:
    """Every accepted mention of a catalogue person, in text order (rules in the module doc)."""
    matcher = _matcher_for(people)
    length = len(text)
    # Pass 1: full names are certain; surnames wait until we know who is named in full.
    spans: list[PersonSpan] = []
    surname_hits: list[tuple[int, int, str, str]] = []  # start, end, surname, how written
    for match in matcher.anchors.finditer(text):
        start, end = match.span()
        if (start and text[start - 1].isalnum()) or (end < length and text[end].isalnum()):
            continue
        word = _base_form(match.group(), matcher)
        if word is None:
            continue
        window = text[max(0, start - 60) : start]
        raw = window.split()[-matcher.longest_prefix - 1 :]
        # The words must touch the surname: "Sergei Lavrov", not "Sergei, Lavrov".
        if not raw or not window[-1].isspace() or raw[-1][-1] in ",;:":
            raw = []
        before = [_normalise_token(token) for token in raw]
        slug = None
        names = matcher.full_names.get(word)
        if names and before:
            for size in range(min(len(before), matcher.longest_prefix), 0, -1):
                slug = names.get(tuple(before[-size:]))
                if slug:
                    first = raw[-size].lstrip(_OPENING_PUNCTUATION)
                    spans.append(
                        PersonSpan(slug, start - len(window) + window.rfind(first), end, "full")
                    )
                    break
        if slug or word not in matcher.surnames:
            continue
        previous = before[-1] if before else ""
        if previous in TITLES:
            surname_hits.append((start, end, word, "titled"))
        elif previous[:1].isupper() and previous.isalpha() and previous not in NOT_FIRST_NAMES:
            surname_hits.append((start, end, word, "after a name"))
        else:
            surname_hits.append((start, end, word, "surname"))

    named_in_full = {span.slug for span in spans}
    resolved = [
        (start, end, word, how, _resolve_surname(word, named_in_full, matcher))
        for start, end, word, how in surname_hits
    ]
    named = named_in_full | {slug for *_, how, slug in resolved if how == "titled"}
    pending = []
    for start, end, word, how, slug in resolved:
        if slug is None or how == "after a name" and word in matcher.guarded:
            continue  # "Susan Rice" is someone else
        kind = "titled" if how == "titled" else "surname"
        if word in matcher.guarded and kind == "surname" and slug not in named:
            pending.append(PersonSpan(slug, start, end, kind))
        else:
            spans.append(PersonSpan(slug, start, end, kind))
    # A lone "Rice" or "Bush" still counts when a speech verb follows ("Rice said") or it
    # is paired with someone already found ("presidents Putin and Bush").
    edges = {span.end for span in spans} | {span.start for span in spans}
    for span in pending:
        if SPEECH_AFTER.match(text, span.end) or _paired(text, span, edges):
            spans.append(span)
    spans.sort(key=lambda span: span.start)
    return tuple(spans)


_AND_BEFORE = re.compile(r"\s+(?:and|&|или|и)\s+$")
_AND_AFTER = re.compile(r"\s+(?:and|&|или|и)\s+")


def _paired(text: str, span: PersonSpan, edges: set[int]) -> bool:
    """True for "Putin and Bush" / "Bush and Putin" when the other name was found."""
    before = _AND_BEFORE.search(text, max(0, span.start - 8), span.start)
    after = _AND_AFTER.match(text, span.end)
    return bool(before and before.start() in edges or after and after.end() in edges)


def _resolve_surname(word: str, named_in_full: set[str], matcher: _Matcher) -> str | None:
    owners = matcher.surnames.get(word, frozenset())
    if len(owners) == 1:
        return next(iter(owners))
    candidates = owners & named_in_full
    return next(iter(candidates)) if len(candidates) == 1 else None


def find_people(text: str, people: Sequence[PersonSpec] = PEOPLE) -> tuple[Mention, ...]:
    """Catalogue people named in `text`, in order of first mention, with mention counts."""
    counts: dict[str, list[int]] = {}
    for span in person_spans(text, people):
        entry = counts.setdefault(span.slug, [0, span.start])
        entry[0] += 1
    return tuple(Mention(slug, count, first) for slug, (count, first) in counts.items())


_DEFAULT_MATCHER = compile_people(PEOPLE)
