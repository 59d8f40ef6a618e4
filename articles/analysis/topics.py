"""Which catalogue topics an article is about.

A topic applies when one of its `patterns` matches, or when its `weak_patterns` match at
least twice (so "Iran" named once as the reason for the shield does not make an article
about Iran). Patterns are case-insensitive, except inside `(?-i:...)`, and each is
wrapped in word boundaries.

Speed: one big case-insensitive alternation costs milliseconds per article in Python's
`re`, so each pattern is tried only where one of its leading words occurs. Every
pattern must therefore start with a word, or with a group of alternative words.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from articles.analysis.catalogue import TOPICS, TopicSpec

WEAK_MATCHES_NEEDED = 2


@dataclass(frozen=True)
class _Pattern:
    topic: int  # index into the topic table
    strong: bool
    regex: re.Pattern[str]
    leading_words: tuple[str, ...]  # lower-cased; every match starts with one of them


def leading_words(pattern: str) -> tuple[str, ...]:
    """The lower-cased words a match of `pattern` must start with. Raises ValueError when
    the pattern does not start with a word or a group of alternative words."""
    words = _branch_starts(pattern)
    if not words or any(len(word) < 2 for word in words):
        raise ValueError(f"topic pattern must start with a word: {pattern!r}")
    return tuple(sorted(set(words)))


def _branch_starts(pattern: str) -> list[str]:
    words: list[str] = []
    for branch in _split_top_level(pattern):
        branch = branch.removeprefix(r"\b")
        if branch.startswith("("):
            close = _closing_paren(branch)
            if branch[close + 1 : close + 2] in ("?", "*", "{"):
                return []  # an optional group: the match may start after it
            inner = re.sub(r"^\((?:\?(?:[-imsx]+:|:|P<\w+>))?", "", branch[: close + 1])[:-1]
            words.extend(_branch_starts(inner))
            continue
        letters = re.match(r"[^\W\d_]+", branch)
        if not letters:
            return []
        word = letters.group()
        if branch[len(word) : len(word) + 1] in ("?", "*", "{"):
            word = word[:-1]  # "Iranians?": the last letter is optional
        words.append(word.lower())
    return words


def _scan(pattern: str):
    """(index, character, depth after it) for each character outside escapes and classes."""
    depth, index = 0, 0
    while index < len(pattern):
        char = pattern[index]
        if char == "\\":
            index += 2
            continue
        if char == "[":
            index = pattern.index("]", index + 2) + 1
            continue
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        yield index, char, depth
        index += 1


def _split_top_level(pattern: str) -> list[str]:
    """Split on `|` outside groups and character classes."""
    parts, start = [], 0
    for index, char, depth in _scan(pattern):
        if char == "|" and depth == 0:
            parts.append(pattern[start:index])
            start = index + 1
    parts.append(pattern[start:])
    return parts


def _closing_paren(pattern: str) -> int:
    for index, char, depth in _scan(pattern):
        if char == ")" and depth == 0:
            return index
    raise ValueError(f"unbalanced parentheses: {pattern!r}")


@lru_cache(maxsize=8)
def compile_topics(topics: tuple[TopicSpec, ...]) -> tuple[_Pattern, ...]:
    """Compile a topic table once; strong patterns first so a topic settles early."""
    compiled = []
    for strong in (True, False):
        for index, topic in enumerate(topics):
            for pattern in topic.patterns if strong else topic.weak_patterns:
                regex = re.compile(rf"(?<!\w)(?:{pattern})(?!\w)", re.IGNORECASE)
                compiled.append(_Pattern(index, strong, regex, leading_words(pattern)))
    return tuple(compiled)


def find_topics(text: str, topics: Sequence[TopicSpec] = TOPICS) -> tuple[str, ...]:
    """Slugs of the topics `text` is about, in catalogue order."""
    table = tuple(topics)
    lowered = text.lower()
    # Lower-casing rarely changes length ("İ"); then offsets differ and we search it all.
    same_offsets = len(lowered) == len(text)
    found: set[int] = set()
    weak_counts: dict[int, int] = {}
    first_position: dict[str, int] = {}  # each leading word is searched for once
    for pattern in compile_topics(table):
        if pattern.topic in found:
            continue
        needed = 1 if pattern.strong else WEAK_MATCHES_NEEDED - weak_counts.get(pattern.topic, 0)
        matches = 0
        for word in pattern.leading_words:
            position = first_position.get(word)
            if position is None:
                position = first_position[word] = lowered.find(word)
            if position == -1:
                continue
            if not same_offsets:
                matches += len(pattern.regex.findall(text))
                break
            while position != -1 and matches < needed:
                if pattern.regex.match(text, position):
                    matches += 1
                position = lowered.find(word, position + 1)
            if matches >= needed:
                break
        if pattern.strong and matches:
            found.add(pattern.topic)
        elif not pattern.strong and matches:
            weak_counts[pattern.topic] = weak_counts.get(pattern.topic, 0) + matches
            if weak_counts[pattern.topic] >= WEAK_MATCHES_NEEDED:
                found.add(pattern.topic)
    return tuple(topic.slug for index, topic in enumerate(table) if index in found)


compile_topics(TOPICS)  # compile the default table at import, not on the first article
