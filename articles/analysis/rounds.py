"""Which round of talks an article is probably about.

Evidence and points (a suggestion needs THRESHOLD points, and a place or keyword among
its evidence, since the same presidents and ministers appear in every article):

- publication date within [start - 1 day, end + 3 days]: 3.0; up to a week before: 1.0
  (previews); up to a month after: 0.5. A dated article further away is never suggested.
- dateline is the round's place: 1.5; otherwise the text has "in/to/at <place>": 0.75.
- the round's participants named: 2.0 x the fraction named.
- a round keyword ("two-plus-two", "NATO summit"): 1.0.
- an explicit day of the round ("18 March"): 1.5.
- undated articles only: a weekday of the round ("Tuesday's talks"): 0.5; a dating cue
  (DATING_CUES: "president-elect Medvedev") that fits the round: 1.0, that rules it out:
  -2.0.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from articles.analysis.catalogue import DATING_CUES, PEOPLE, ROUNDS, RoundSpec

THRESHOLD = 2.0
DATE_DURING = 3.0
DATE_BEFORE = 1.0
DATE_AFTER = 0.5
DATELINE = 1.5
PLACE_MENTION = 0.75
PARTICIPANTS = 2.0
KEYWORD = 1.0
EXPLICIT_DAY = 1.5
WEEKDAY = 0.5
DATING_CUE_FITS = 1.0
DATING_CUE_RULES_OUT = -2.0

# How far publication may be from the round and still be about it.
SLACK_BEFORE = timedelta(days=1)
SLACK_AFTER = timedelta(days=3)
PREVIEW_DAYS = timedelta(days=7)
FOLLOW_UP_DAYS = timedelta(days=30)

# English names whatever the locale: the archive's captures are in English.
MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

_PREPOSITIONS = r"(?:in|to|at|near|outside|from|в|во|на|из)\s+(?:the\s+)?"


@dataclass(frozen=True)
class RoundSuggestion:
    slug: str
    score: float
    reasons: tuple[str, ...]  # human-readable, e.g. "dateline Moscow"


@dataclass(frozen=True)
class _CompiledRound:
    spec: RoundSpec
    places: tuple[str, ...]
    place_mention: re.Pattern[str]
    weekdays: frozenset[str]
    months: frozenset[str]  # month names of the round's days
    day_mention: re.Pattern[str]  # "18 March", "March 18, 2008"


@lru_cache(maxsize=8)
def compile_rounds(rounds: tuple[RoundSpec, ...]) -> tuple[_CompiledRound, ...]:
    """Compile each round's patterns once per table."""
    compiled = []
    for spec in rounds:
        places = (spec.place, *spec.place_variants)
        names = "|".join(re.escape(place) for place in places)
        days = [spec.start + timedelta(days=n) for n in range((spec.end - spec.start).days + 1)]
        day_mentions = "|".join(
            rf"{day.day}\s+{MONTHS[day.month - 1]}|{MONTHS[day.month - 1]}\s+{day.day}"
            for day in days
        )
        compiled.append(
            _CompiledRound(
                spec=spec,
                places=places,
                place_mention=re.compile(rf"\b{_PREPOSITIONS}(?P<place>{names})\b"),
                weekdays=frozenset(WEEKDAYS[day.weekday()] for day in days[:7]),
                months=frozenset(MONTHS[day.month - 1] for day in days),
                day_mention=re.compile(rf"\b(?P<day>{day_mentions})\b(?:,?\s+(?P<year>\d{{4}}))?"),
            )
        )
    return tuple(compiled)


_DEFAULT_ROUNDS = compile_rounds(ROUNDS)
_CUES = tuple((cue, re.compile(cue.pattern)) for cue in DATING_CUES)
_SURNAMES = {person.slug: person.surname for person in PEOPLE}


def suggest_rounds(
    *,
    published: date | None,
    dateline: str,
    text: str,
    people: Sequence[str],
    rounds: Sequence[RoundSpec] = ROUNDS,
) -> tuple[RoundSuggestion, ...]:
    """Rounds the article is probably about, best first (scoring in the module doc).
    `people` are the slugs find_people found."""
    compiled = _DEFAULT_ROUNDS if rounds is ROUNDS else compile_rounds(tuple(rounds))
    named = set(people)
    lowered = text.lower()  # keywords are found with str.find: a regex each costs ~50x more
    cue_window = _dating_cue_window(text) if published is None else None
    suggestions = []
    for round_ in compiled:
        spec = round_.spec
        if published is not None and not (
            spec.start - PREVIEW_DAYS <= published <= spec.end + FOLLOW_UP_DAYS
        ):
            continue
        score, reasons, located = 0.0, [], False
        if published is not None:
            points, reason = _date_evidence(published, spec)
            score += points
            reasons.append(reason)
        if any(dateline.strip().casefold().startswith(p.casefold()) for p in round_.places):
            score, located = score + DATELINE, True
            reasons.append(f"dateline {spec.place}")
        elif any(place in text for place in round_.places) and (
            mention := round_.place_mention.search(text)
        ):
            score, located = score + PLACE_MENTION, True
            reasons.append(f"mentions {mention.group('place')}")
        present = [slug for slug in spec.participants if slug in named]
        if present:
            score += PARTICIPANTS * len(present) / len(spec.participants)
            reasons.append("names " + ", ".join(_SURNAMES.get(slug, slug) for slug in present))
        keywords = [keyword for keyword in spec.keywords if _has_phrase(lowered, keyword.lower())]
        if keywords:
            score, located = score + KEYWORD, True
            reasons.append("mentions " + ", ".join(f"“{keyword}”" for keyword in keywords))
        day = _day_of_round(text, round_)
        if day:
            score += EXPLICIT_DAY
            reasons.append(f"mentions {day}")
        round_weekdays = (
            {weekday for weekday in round_.weekdays if weekday in text}
            if published is None
            else set()
        )
        if round_weekdays and (located or present):
            score += WEEKDAY
            reasons.append(f"mentions {', '.join(sorted(round_weekdays))}, a day of the round")
        if cue_window is not None:
            label, earliest, latest = cue_window
            period = f"{earliest:%b %Y}–{latest:%b %Y}"
            if earliest <= spec.end + SLACK_AFTER and spec.start - SLACK_BEFORE <= latest:
                score += DATING_CUE_FITS
                reasons.append(f"mentions {label} (written {period})")
            else:
                score += DATING_CUE_RULES_OUT
                reasons.append(f"mentions {label}, which dates it {period}")
        if located and score >= THRESHOLD:
            suggestions.append(RoundSuggestion(spec.slug, round(score, 2), tuple(reasons)))
    suggestions.sort(key=lambda suggestion: -suggestion.score)
    return tuple(suggestions)


def _has_phrase(lowered: str, phrase: str) -> bool:
    """Whether `phrase` occurs in `lowered` as whole words."""
    position = lowered.find(phrase)
    while position != -1:
        end = position + len(phrase)
        if not (position and lowered[position - 1].isalnum()) and not (
            end < len(lowered) and lowered[end].isalnum()
        ):
            return True
        position = lowered.find(phrase, position + 1)
    return False


def _date_evidence(published: date, spec: RoundSpec) -> tuple[float, str]:
    stamp = f"published {published.day} {published:%b %Y}"
    if spec.start - SLACK_BEFORE <= published <= spec.end + SLACK_AFTER:
        if published < spec.start:
            return DATE_DURING, f"{stamp}, the day before the round"
        if published > spec.end:
            days = (published - spec.end).days
            return DATE_DURING, f"{stamp}, {_days(days)} after the round"
        return DATE_DURING, f"{stamp}, during the round"
    if published < spec.start:
        return DATE_BEFORE, f"{stamp}, {_days((spec.start - published).days)} before the round"
    return DATE_AFTER, f"{stamp}, {_days((published - spec.end).days)} after the round"


def _days(count: int) -> str:
    return "1 day" if count == 1 else f"{count} days"


def _day_of_round(text: str, round_: _CompiledRound) -> str:
    """A day of the round written out in the text ("18 March", "March 18, 2008"), or ""."""
    for month in round_.months:
        position = text.find(month)
        while position != -1:
            # Only look around the month name: one regex over the whole text costs more.
            around = (max(0, position - 4), position + len(month) + 12)
            match = round_.day_mention.search(text, *around)
            year = match and match.group("year")
            if match and (not year or int(year) in (round_.spec.start.year, round_.spec.end.year)):
                return " ".join(match.group("day").split())
            position = text.find(month, position + 1)
    return ""


def _dating_cue_window(text: str) -> tuple[str, date, date] | None:
    """The period an undated article must have been written in, from its dating cues."""
    found = [cue for cue, pattern in _CUES if cue.requires in text and pattern.search(text)]
    if not found:
        return None
    earliest = max(cue.earliest for cue in found)
    latest = min(cue.latest for cue in found)
    if earliest > latest:
        return None  # contradictory cues (a retrospective piece): no evidence either way
    return " and ".join(cue.label for cue in found), earliest, latest
