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
    # last word -> the normalised words that can stand right before it in a full name
    prefix_ends: dict[str, frozenset[str]]
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
        prefix_ends={
            word: frozenset(prefix[-1] for prefix in names) for word, names in full_names.items()
        },
        surnames={word: frozenset(slugs) for word, slugs in surnames.items()},
        guarded=frozenset(SURNAMES_NEEDING_CONTEXT),
    )


def _matcher_for(people: Sequence[PersonSpec]) -> _Matcher:
    # Hashing a table on every call would cost more than matching a short text, so a
    # tuple seen before (the same object: ingest passes one table for a whole run) is
    # looked up by identity; the cache holds the tuple, so its id cannot be reused.
    if people is PEOPLE:
        return _DEFAULT_MATCHER
    if type(people) is not tuple:
        return compile_people(tuple(people))
    cached = _MATCHERS_BY_ID.get(id(people))
    if cached is None or cached[0] is not people:
        if len(_MATCHERS_BY_ID) >= 8:
            _MATCHERS_BY_ID.clear()
        cached = _MATCHERS_BY_ID[id(people)] = (people, compile_people(people))
    return cached[1]


_MATCHERS_BY_ID: dict[int, tuple[tuple[PersonSpec, ...], _Matcher]] = {}


def _base_form(matched: str, matcher: _Matcher) -> str | None:
    """The catalogue word behind a match, undoing a Cyrillic case ending."""
    for cut in (0, 1, 2, 3):
        base = matched[: len(matched) - cut]
        if base in matcher.surnames or base in matcher.full_names:
            return base
    return None


def person_spans(text: str, people: Sequence[PersonSpec] = PEOPLE) -> tuple[PersonSpan, ...]:
    """Every accepted mention of a catalogue person, in text order (rules in the module doc)."""
    global _last_call
    matcher = _matcher_for(people)
    # An article is read as title + body for people, then as the body alone for quotations:
    # the second answer usually follows from the first.
    last = _last_call
    if last is not None and last[1] is matcher:
        spans = _spans_of_tail(last[0], last[2], text, matcher)
        if spans is not None:
            return spans
    spans = _person_spans(text, matcher)
    _last_call = (text, matcher, spans)
    return spans


# The last text person_spans read, its matcher and its spans.
_last_call: tuple[str, _Matcher, tuple[PersonSpan, ...]] | None = None

# How far before a surname to look for first names and titles.
_LOOK_BEHIND = 60


def _spans_of_tail(
    read: str, spans: tuple[PersonSpan, ...], text: str, matcher: _Matcher
) -> tuple[PersonSpan, ...] | None:
    """The spans of `text` when `read` was `text` itself or `head + "\n\n" + text` with no
    names in `head`, provided no rule can look past the start of `text`; otherwise None."""
    if read == text:
        return spans
    offset = len(read) - len(text)
    if offset < 2 or not read.endswith(text) or read[offset - 2 : offset] != "\n\n":
        return None
    # With as many words before the first name as a full name and a title take, the head
    # never falls in a name's window; "and" before a name only counts next to another name,
    # and there is none in the head.
    first = matcher.anchors.search(text)
    if first is not None and len(text[: first.start()].split()) <= matcher.longest_prefix:
        return None
    if matcher.anchors.search(read, 0, offset - 2) is not None:
        return None
    return tuple(
        PersonSpan(span.slug, span.start - offset, span.end - offset, span.kind) for span in spans
    )


def _person_spans(text: str, matcher: _Matcher) -> tuple[PersonSpan, ...]:
    length = len(text)
    # Pass 1: full names are certain; surnames wait until we know who is named in full.
    spans: list[PersonSpan] = []
    surname_hits: list[tuple[int, int, str, str]] = []  # start, end, surname, how written
    full_names, surnames, prefix_ends = matcher.full_names, matcher.surnames, matcher.prefix_ends
    longest = matcher.longest_prefix
    for match in matcher.anchors.finditer(text):
        start, end = match.span()
        if (start and text[start - 1].isalnum()) or (end < length and text[end].isalnum()):
            continue
        word = match.group()
        if word not in surnames and word not in full_names:
            word = _base_form(word, matcher)
            if word is None:
                continue
        # The word before must touch the surname: "Sergei Lavrov", not "Sergei, Lavrov".
        previous = ""
        if start and text[start - 1].isspace():
            window = text[max(0, start - _LOOK_BEHIND) : start]
            last = window.rsplit(None, 1)[-1:]
            if last and last[0][-1] not in ",;:":
                previous = _normalise_token(last[0])
        slug = None
        # Most surnames are not preceded by a first name: only then split the window.
        if previous and previous in prefix_ends.get(word, ()):
            names = full_names[word]
            raw = window.split()[-longest - 1 :]
            before = [_normalise_token(token) for token in raw]
            for size in range(min(len(before), longest), 0, -1):
                slug = names.get(tuple(before[-size:]))
                if slug:
                    first = raw[-size].lstrip(_OPENING_PUNCTUATION)
                    spans.append(
                        PersonSpan(slug, start - len(window) + window.rfind(first), end, "full")
                    )
                    break
        if slug or word not in surnames:
            continue
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
