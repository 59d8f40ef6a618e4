"""The curated knowledge the analysis modules match against: people, topics, talks rounds.

The lists are data, in `curated_lists.json` beside this module, so an editor can add a
person or a round without touching code; a migration loads them into the database, where
staff edit them. Facts cover the first collection (US–Russia missile defence talks,
2007–2008); roles and role words describe people as they were then. Surnames needing
context are also common words or other well-known people's names ("rice", Bill Gates, Laura
Bush, the Kaczynski twins): alone they count only with supporting context. The dating cues
follow Medvedev's election (2 March 2008) and inauguration (7 May 2008), and Putin's
endorsement of him (10 December 2007) and move to Prime Minister (8 May 2008).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path


@dataclass(frozen=True)
class PersonSpec:
    """Someone the archive tracks; `variants` holds other full spellings (transliterations,
    Cyrillic, middle names) and, as single words, other spellings of the surname."""

    slug: str
    name: str
    role: str
    variants: tuple[str, ...]
    surname: str
    # Lower-case phrases that refer to the person once named ("the foreign minister");
    # quotations resolve them only against people already named in the same text.
    role_words: tuple[str, ...] = ()
    # "he" or "she": lets "she added" skip past a man named more recently.
    pronoun: str = "he"


@dataclass(frozen=True)
class TopicSpec:
    """A subject of the talks. One match of `patterns` is enough; `weak_patterns` (words
    that also appear in passing, such as "Iran" as the reason for the shield) need two."""

    slug: str
    name: str
    description: str
    patterns: tuple[str, ...]
    weak_patterns: tuple[str, ...] = ()


@dataclass(frozen=True)
class RoundSpec:
    """One meeting or round of talks, with what an article about it tends to mention."""

    slug: str
    name: str
    start: date
    end: date
    place: str
    place_variants: tuple[str, ...]
    parties: tuple[str, ...]
    participants: tuple[str, ...]
    topics: tuple[str, ...]
    keywords: tuple[str, ...] = ()
    description: str = ""


@dataclass(frozen=True)
class DatingCue:
    """A phrase that dates an undated article: "president-elect Medvedev" can only have
    been written between the election and the inauguration."""

    label: str
    requires: str  # a word every match contains, checked first because it is cheap
    pattern: str  # a regex, case-sensitive
    earliest: date
    latest: date


CURATED_LISTS = Path(__file__).with_name("curated_lists.json")


def _tuples(entry: dict) -> dict:
    return {key: tuple(value) if isinstance(value, list) else value for key, value in entry.items()}


def _dated(entry: dict, *keys: str) -> dict:
    return {**entry, **{key: date.fromisoformat(entry[key]) for key in keys}}


def read_curated_lists(path: Path = CURATED_LISTS) -> dict:
    """The curated lists as specs, read from the data file."""
    data = json.loads(path.read_text(encoding="utf-8"))
    return {
        "people": tuple(PersonSpec(**_tuples(entry)) for entry in data["people"]),
        "surnames_needing_context": frozenset(data["surnames_needing_context"]),
        "topics": tuple(TopicSpec(**_tuples(entry)) for entry in data["topics"]),
        "rounds": tuple(
            RoundSpec(**_dated(_tuples(entry), "start", "end")) for entry in data["rounds"]
        ),
        "dating_cues": tuple(
            DatingCue(**_dated(entry, "earliest", "latest")) for entry in data["dating_cues"]
        ),
    }


_LISTS = read_curated_lists()
PEOPLE: tuple[PersonSpec, ...] = _LISTS["people"]
SURNAMES_NEEDING_CONTEXT: frozenset[str] = _LISTS["surnames_needing_context"]
TOPICS: tuple[TopicSpec, ...] = _LISTS["topics"]
ROUNDS: tuple[RoundSpec, ...] = _LISTS["rounds"]
DATING_CUES: tuple[DatingCue, ...] = _LISTS["dating_cues"]
