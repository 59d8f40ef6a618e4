"""The archive's query syntax read into a tree of nodes (`search/nodes.py`): text in, tree
out, no Django and no engine. It reads what the search page's help documents, with the
precedence the archive has always had: an explicit AND binds tightest, then OR, then the
implied AND between words (`x y OR z` is x AND (y OR z)); NOT applies to what follows it.

It never fails: whatever it cannot read as syntax it reads as words (a stray operator,
bracket or field name), or leaves out. Whether the words leave anything to search for is
the caller's question (`has_words`), since that depends on the analysis.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from articles.search.analysis import EXACT_COVERS, analyse_text, analyse_whole
from articles.search.nodes import (
    And,
    Boost,
    Everything,
    Fuzzy,
    Node,
    Not,
    Or,
    Phrase,
    Prefix,
    Range,
    Wildcard,
    Word,
    leaves,
)
from articles.vocabulary import exact_words

# Fields a query may name, and the default ones (None). Text fields are analysed (stemmed,
# spelling pairs folded); the others hold whole values (a year, a person's slug).
TEXT_FIELDS = frozenset({"text", "title", "source", "byline", "dateline"})
VALUE_FIELDS = frozenset({"year", "month", "people", "topics", "rounds", "changed"})
QUERY_FIELDS = TEXT_FIELDS | VALUE_FIELDS

OPERATORS = frozenset({"AND", "OR", "NOT"})
WILDCARDS = "*?"

_TOKEN = re.compile(
    r"""
    (?P<space>\s+)
    | (?P<open>\()
    | (?P<close>\))
    | (?P<phrase>"(?P<phrase_text>[^"]*)"(?:~(?P<slop>[1-9][0-9]*))?)
    | (?P<range>(?P<range_open>[\[{])(?P<start>[^\]}]*?)\s*\b[Tt][Oo]\b\s*(?P<end>[^\]}]*?)
        (?P<range_close>[\]}]))
    | (?P<field>(?P<field_name>\w+):(?=[^\s)]))
    | (?P<quoted>(?<![\w'])'(?P<quoted_text>[^']*)'(?=[\s)\]}^]|$))
    | (?P<chunk>[^\s()"]+|")
    """,
    re.VERBOSE,
)
_FUZZY = re.compile(r"(?P<text>[^~]+)~(?P<distance>[0-9])?(?:/(?P<prefix>[1-9][0-9]*))?")
_BOOST = re.compile(r"\^(?P<factor>[0-9]+(?:\.[0-9]+)?|\.[0-9]+)$")


@dataclass(frozen=True)
class _Token:
    kind: str  # "open", "close", "op", "field", "leaf", "boost"
    value: object = None


def _tokens(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    position = 0
    while position < len(text):
        match = _TOKEN.match(text, position)
        position = match.end()
        if match.group("space"):
            continue
        if match.group("open"):
            tokens.append(_Token("open"))
        elif match.group("close"):
            tokens.append(_Token("close"))
        elif match.group("phrase"):
            slop = int(match.group("slop")) if match.group("slop") else 1
            tokens.append(_Token("leaf", Phrase(match.group("phrase_text"), slop=slop)))
        elif match.group("range"):
            tokens.append(
                _Token(
                    "leaf",
                    Range(
                        match.group("start").strip(),
                        match.group("end").strip(),
                        include_start=match.group("range_open") == "[",
                        include_end=match.group("range_close") == "]",
                    ),
                )
            )
        elif match.group("quoted") is not None:  # 'x y': one word, spaces and all
            tokens.append(_Token("leaf", Word(match.group("quoted_text"))))
        elif match.group("field"):
            name = match.group("field_name")
            if name in QUERY_FIELDS:
                tokens.append(_Token("field", name))
            else:  # not a field: the name and what follows are one word, as written
                chunk = _TOKEN.match(text, position)
                if chunk and chunk.group("chunk") and chunk.group("chunk") != '"':
                    position = chunk.end()
                    tokens.extend(_chunk_tokens(match.group() + chunk.group()))
                else:
                    tokens.extend(_chunk_tokens(match.group()))
        else:
            attached = match.start() > 0 and not text[match.start() - 1].isspace()
            tokens.extend(_chunk_tokens(match.group("chunk"), attached=attached))
    return tokens


def _chunk_tokens(chunk: str, *, attached: bool = False) -> list[_Token]:
    """A run of text with no spaces or brackets: an operator, or words of one kind. A
    boost (`^2`) weighs the word, phrase or group it is written onto (`attached`: no
    space before the chunk); after a space, or after a fuzzy word, it is a word."""
    if chunk in OPERATORS:
        return [_Token("op", chunk)]
    if chunk == '"':  # an unmatched quotation mark
        return []
    found = []
    boost = _BOOST.search(chunk)
    if boost and "~" in chunk or boost and boost.start() == 0 and not attached:
        boost = None
    if boost:
        chunk = chunk[: boost.start()]
    if chunk:
        fuzzy = _FUZZY.match(chunk)
        if fuzzy and not any(mark in fuzzy.group("text") for mark in WILDCARDS):
            distance = int(fuzzy.group("distance")) if fuzzy.group("distance") else 1
            prefix = int(fuzzy.group("prefix")) if fuzzy.group("prefix") else 0
            found.append(_Token("leaf", Fuzzy(fuzzy.group("text"), None, distance, prefix)))
            # What follows a fuzzy word (`x~2y`) is read as a chunk of its own, of words.
            rest = chunk[fuzzy.end() :]
            found.extend([_Token("leaf", Word(rest))] if rest in OPERATORS else _chunk_tokens(rest))
        else:
            found.append(_Token("leaf", _word(chunk)))
    if boost:
        found.append(_Token("boost", float(boost.group("factor"))))
    return found


def _word(chunk: str) -> Node:
    if chunk == "*":
        return Everything()
    if chunk.endswith("*") and not any(mark in chunk[:-1] for mark in WILDCARDS):
        return Prefix(chunk[:-1])
    if any(mark in chunk for mark in WILDCARDS):
        return Wildcard(chunk)
    return Word(chunk)


class _Reader:
    """Recursive descent over the tokens, by precedence: sequence (implied AND) < OR <
    AND < NOT < a leaf, a field or a group."""

    def __init__(self, tokens: list[_Token]):
        self.tokens = tokens
        self.at = 0

    def peek(self) -> _Token | None:
        return self.tokens[self.at] if self.at < len(self.tokens) else None

    def take(self) -> _Token:
        token = self.tokens[self.at]
        self.at += 1
        return token

    def sequence(self, *, inside: bool) -> Node | None:
        parts = []
        while (token := self.peek()) is not None:
            if token.kind == "close":
                if inside:
                    break
                self.take()  # an unmatched closing bracket
                continue
            if token.kind == "boost" or token.kind == "op" and token.value in ("AND", "OR"):
                self.take()  # an operator with nothing before it
                continue
            if (part := self.either()) is not None:
                parts.append(part)
        joined = _joined(And, parts)
        # Words side by side relax (`And.loose`); a sequence holding an explicit AND keeps
        # every word, since its parts are folded into one AND.
        if isinstance(joined, And) and not any(isinstance(part, And) for part in parts):
            return And(joined.children, loose=True)
        return joined

    def either(self) -> Node | None:
        parts = [self.both()]
        while self._operator("OR"):
            parts.append(self.both())
        return _joined(Or, [part for part in parts if part is not None])

    def both(self) -> Node | None:
        parts = [self.negated()]
        while self._operator("AND"):
            parts.append(self.negated())
        return _joined(And, [part for part in parts if part is not None])

    def _operator(self, name: str) -> bool:
        token = self.peek()
        if token is None or token.kind != "op" or token.value != name:
            return False
        self.take()
        return True

    def negated(self) -> Node | None:
        if self._operator("NOT"):
            child = self.negated()
            if child is None:
                return None
            return child.child if isinstance(child, Not) else Not(child)
        return self.atom()

    def atom(self, field: str | None = None) -> Node | None:
        found = self._atom(field)
        token = self.peek()
        if token is not None and token.kind == "boost":
            self.take()
            if found is not None:
                return Boost(found, token.value)
        return found

    def _atom(self, field: str | None) -> Node | None:
        token = self.peek()
        if token is None or token.kind == "close" or token.kind == "op":
            return None
        self.take()
        if token.kind == "open":
            group = self.sequence(inside=True)
            if self.peek() is not None:
                self.take()  # its closing bracket
            return _with_field(group, field) if group is not None and field else group
        if token.kind == "field":
            inner = self.atom(token.value)
            return inner if inner is not None else Word(token.value)
        return _with_field(token.value, field) if field else token.value


def _joined(kind: type[And] | type[Or], parts: list[Node]) -> Node | None:
    """Parts joined, nested joins of the same kind flattened; one part stands alone."""
    flat: list[Node] = []
    for part in parts:
        flat.extend(part.children if isinstance(part, kind) else (part,))
    if not flat:
        return None
    return flat[0] if len(flat) == 1 else kind(tuple(flat))


def _with_field(node: Node, field: str) -> Node:
    """A field given to a group reaches every leaf that names none of its own."""
    if isinstance(node, And | Or):
        return type(node)(tuple(_with_field(child, field) for child in node.children))
    if isinstance(node, Not):
        return Not(_with_field(node.child, field))
    if isinstance(node, Boost):
        return Boost(_with_field(node.child, field), node.factor)
    if node.field is not None:
        return node
    return type(node)(**{**node.__dict__, "field": field})


def parse_query(text: str) -> Node | None:
    """The tree a query's text stands for, or None when it holds no syntax at all."""
    return _Reader(_tokens(text or "")).sequence(inside=False)


def is_text_field(field: str | None) -> bool:
    return field is None or field in TEXT_FIELDS


def looked_up(leaf: Prefix | Fuzzy | Wildcard) -> str:
    """A prefix, fuzzy or wildcard word as the index looks it up: in a text field folded
    and stemmed (prefixes and fuzzy words) or lower-cased (wildcards)."""
    if not is_text_field(leaf.field):
        return leaf.text
    return leaf.text.lower() if isinstance(leaf, Wildcard) else analyse_whole(leaf.text)


def is_exact(phrase: Phrase) -> bool:
    """Whether a quoted phrase matches its words exactly as written (no slop, a field the
    exact words cover)."""
    return phrase.slop == 1 and (phrase.field is None or phrase.field in EXACT_COVERS)


def _leaf_terms(leaf) -> list[str]:
    if isinstance(leaf, Word):
        return analyse_text(leaf.text) if is_text_field(leaf.field) else [leaf.text]
    if isinstance(leaf, Phrase):
        if is_exact(leaf) and exact_words(leaf.text):
            return exact_words(leaf.text)
        return analyse_text(leaf.text)
    return []


def has_words(node: Node | None) -> bool:
    """Whether a query asks for anything outside a NOT once very common words are left
    out (a query of "the", or of NOT alone, searches for nothing)."""
    if node is None:
        return False
    for leaf, negated in leaves(node):
        if negated:
            continue
        if not isinstance(leaf, Word | Phrase) or _leaf_terms(leaf):
            return True
    return False


@dataclass(frozen=True)
class QueryTerms:
    """What a query looks for, as plain values: analysed words, and the lower-cased
    beginnings of its prefix and wildcard words. Everything to highlight, none under NOT."""

    terms: frozenset[str] = frozenset()
    prefixes: tuple[str, ...] = ()
    # Quoted phrases, each as its exact words: marked as one run, not word by word.
    phrases: tuple[tuple[str, ...], ...] = ()


def positive_terms(node: Node | None) -> QueryTerms:
    """The words to mark in results: every word and phrase outside a NOT, as the index
    holds it, and the beginnings of prefix and wildcard words (fuzzy words are not marked:
    what they matched is not known here)."""
    terms: set[str] = set()
    prefixes: list[str] = []
    phrases: list[tuple[str, ...]] = []
    for leaf, negated in leaves(node) if node is not None else ():
        if negated:
            continue
        if isinstance(leaf, Word):
            terms.update(_leaf_terms(leaf))
        elif isinstance(leaf, Phrase) and is_text_field(leaf.field):
            words = tuple(exact_words(leaf.text))
            if leaf.slop <= 1 and len(words) > 1:
                phrases.append(words)
            else:  # words near each other, or one word in quotes: marked one by one
                terms.update(analyse_text(leaf.text))
        elif isinstance(leaf, Prefix):
            prefixes.append(looked_up(leaf).lower())
        elif isinstance(leaf, Wildcard):
            prefixes.append(leaf.text.split("*")[0].split("?")[0].lower())
    return QueryTerms(
        frozenset(terms),
        tuple(prefix for prefix in prefixes if prefix),
        tuple(dict.fromkeys(phrases)),
    )
