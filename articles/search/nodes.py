"""A search as a tree of plain values, the same for every engine: what the user's words ask
for (words, phrases, prefixes, wildcards, fuzzy words, fields, AND/OR/NOT, boosts) and what the
URL narrows it to (filters, sort). Built once per request (`parser.parse_query`), checked
against the cost limits (`limits.check_cost`), then compiled by one compiler per engine
(`search/whoosh/compile.py`, `search/solr/compile.py`), as Wagtail's search does.

Every node can write itself back in the archive's query syntax (`text_form()`): a parsed
query reads the same way again.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from math import ceil


def _fielded(field: str | None, text: str) -> str:
    return f"{field}:{text}" if field else text


@dataclass(frozen=True)
class Word:
    """A word as written (it may hold marks the analysis splits on: "U.S.-Russia");
    `field` None means the default fields (body and title)."""

    text: str
    field: str | None = None

    def text_form(self) -> str:
        return _fielded(self.field, f"'{self.text}'" if needs_quotes(self.text) else self.text)


# Marks that would make a word read as something else (a field, a boost, a range, a
# wildcard, a fuzzy word, a group): such a word is written in single quotes.
_SYNTAX = frozenset(' :^[]{}()*?~"\t\n')


def needs_quotes(word: str) -> bool:
    """Whether a word must be written in single quotes to read back as one word."""
    return not word or word in ("AND", "OR", "NOT") or any(char in _SYNTAX for char in word)


@dataclass(frozen=True)
class Phrase:
    """Words in double quotes: exactly these words in this order; with `slop` above 1
    (`"missile defence"~3`), the words' stems within that many positions."""

    text: str
    field: str | None = None
    slop: int = 1

    def text_form(self) -> str:
        slop = f"~{self.slop}" if self.slop != 1 else ""
        return _fielded(self.field, f'"{self.text}"{slop}')


@dataclass(frozen=True)
class Prefix:
    """Words starting with `text` (written `negotiat*`)."""

    text: str
    field: str | None = None

    def text_form(self) -> str:
        return _fielded(self.field, f"{self.text}*")


@dataclass(frozen=True)
class Wildcard:
    """A word with `?` (one letter) or `*` (any number) inside it (`wom?n`, `nego*ing`)."""

    text: str
    field: str | None = None

    def text_form(self) -> str:
        return _fielded(self.field, self.text)


@dataclass(frozen=True)
class Fuzzy:
    """Words spelled nearly like `text`: up to `distance` letters different, the first
    `prefix` letters the same (written `Medvedv~`, `Medvedv~2`, `Medvedv~2/3`)."""

    text: str
    field: str | None = None
    distance: int = 1
    prefix: int = 0

    def text_form(self) -> str:
        distance = "" if self.distance == 1 and not self.prefix else str(self.distance)
        prefix = f"/{self.prefix}" if self.prefix else ""
        return _fielded(self.field, f"{self.text}~{distance}{prefix}")


@dataclass(frozen=True)
class Range:
    """Index words between two (`year:[2007 TO 2008]`); an empty end is open."""

    start: str = ""
    end: str = ""
    field: str | None = None
    include_start: bool = True
    include_end: bool = True

    def text_form(self) -> str:
        opening = "[" if self.include_start else "{"
        closing = "]" if self.include_end else "}"
        return _fielded(self.field, f"{opening}{self.start} TO {self.end}{closing}")


@dataclass(frozen=True)
class Everything:
    """Every article (a lone `*`)."""

    field: str | None = None

    def text_form(self) -> str:
        return _fielded(self.field, "*")


@dataclass(frozen=True)
class And:
    """Every child. `loose`: the words were written side by side with no operator, so its
    plain words (`plain_words`) need not all match: articles holding every word rank first,
    then those holding most of them (`most_of`), then those holding any of them. Its
    written form is the same, so an engine that cannot relax an AND keeps every word."""

    children: tuple[Node, ...]
    loose: bool = field(default=False, compare=False)

    def text_form(self) -> str:
        return " AND ".join(_grouped(child) for child in self.children)

    def plain_words(self) -> tuple[tuple[Node, ...], tuple[Node, ...]]:
        """(the plain words the AND may relax, the parts every match must hold)."""
        if not self.loose:
            return (), self.children
        plain = tuple(child for child in self.children if is_plain_word(child))
        if len(plain) < 2:
            return (), self.children
        return plain, tuple(child for child in self.children if not is_plain_word(child))


def is_plain_word(node: Node) -> bool:
    """A word on the default fields, boosted or not: what a loose AND may leave out
    (phrases, field words, prefixes, groups and NOT keep their meaning)."""
    if isinstance(node, Boost):
        node = node.child
    return isinstance(node, Word) and node.field is None


# How an engine that relaxes loose ANDs reports, among Haystack's query facets, how many
# matches hold every word and how many more hold most of the words (the rest hold some).
EVERY_WORD_FACET, MOST_WORDS_FACET = "every_word", "most_words"


def most_of(count: int) -> int:
    """How many of `count` plain words an article must hold to be listed right after those
    holding every word, before those holding fewer: half of them, rounded up, from three
    words on (of two words, both). Lead sentences and a name plus a topic word, the queries
    researchers type, rarely share every word with the other reports of a story."""
    return count if count < 3 else ceil(count / 2)


# Among words side by side, an article where two of them stand within NEARNESS_WINDOW
# positions of each other (stop words not counted) ranks higher: its score is raised by up to
# NEARNESS_WEIGHT, for the share of the word pairs found so near. Every engine reads these.
NEARNESS_WINDOW, NEARNESS_WEIGHT = 4, 0.3


@dataclass(frozen=True)
class Or:
    children: tuple[Node, ...]

    def text_form(self) -> str:
        return " OR ".join(_grouped(child) for child in self.children)


@dataclass(frozen=True)
class Not:
    child: Node

    def text_form(self) -> str:
        return f"NOT {_grouped(self.child)}"


@dataclass(frozen=True)
class Boost:
    """A part of the query weighing `factor` times as much in the ranking (`Putin^2`)."""

    child: Node
    factor: float

    def text_form(self) -> str:
        child = self.child.text_form()
        if not isinstance(self.child, Word | Phrase | Prefix | Wildcard):
            child = f"({child})"
        return f"{child}^{self.factor:g}"


Leaf = Word | Phrase | Prefix | Wildcard | Fuzzy | Range | Everything
Node = Leaf | And | Or | Not | Boost
LEAVES = (Word, Phrase, Prefix, Wildcard, Fuzzy, Range, Everything)
# Words that stand for many index words: the cost limits count them.
EXPANDING = (Prefix, Wildcard, Fuzzy, Range)


def strict(node: Node) -> Node:
    """The tree with every loose AND made strict: every word required (what exports,
    and an engine that cannot relax an AND, run)."""
    if isinstance(node, And | Or):
        return type(node)(tuple(strict(child) for child in node.children))
    if isinstance(node, Not):
        return Not(strict(node.child))
    if isinstance(node, Boost):
        return Boost(strict(node.child), node.factor)
    return node


def _grouped(node: Node) -> str:
    return f"({node.text_form()})" if isinstance(node, And | Or | Boost) else node.text_form()


def leaves(node: Node, *, negated: bool = False) -> Iterator[tuple[Leaf, bool]]:
    """Each leaf of the tree in order, with whether it sits under a NOT."""
    if isinstance(node, And | Or):
        for child in node.children:
            yield from leaves(child, negated=negated)
    elif isinstance(node, Not):
        yield from leaves(node.child, negated=True)
    elif isinstance(node, Boost):
        yield from leaves(node.child, negated=negated)
    else:
        yield node, negated


@dataclass(frozen=True)
class Filter:
    """Documents whose `field` holds one of `values` exactly (a source, a year, a person)."""

    field: str
    values: tuple[str, ...]


@dataclass(frozen=True)
class DateFilter:
    """Documents whose `field` falls in [start, end): either end may be open."""

    field: str
    start: datetime | None = None
    end: datetime | None = None


@dataclass(frozen=True)
class SearchRequest:
    """One search, whole: the words' tree (None: no words, browse by filters alone), the
    filters, and the sort (index fields, "-" first for descending; empty: by relevance)."""

    query: Node | None = None
    filters: tuple[Filter | DateFilter, ...] = ()
    sort: tuple[str, ...] = ()
