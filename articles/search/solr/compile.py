"""The query tree compiled for Solr: a standard (Lucene) query string, to run with the
archive's edismax (`PARSER`: a word over the default fields scored as BM25F) whose `qf`
names the default fields (`DEFAULT_FIELDS`), so a word the user left unfielded stays
unfielded here. A Solr backend's `compile_query` returns `to_solr`.

Solr analyses words and phrases itself; prefixes, fuzzy words and wildcards it only
lower-cases, so they are sent as the embedded engine looks them up (`looked_up`: in a text
field folded and stemmed, `Defense*` as "defenc*"). Quoted phrases are matched on the exact field
(every word as written), as on the archive's own engine. Words side by side rank as on the
embedded engine (`_loose`): every word first, then most of them, then any, nearness raising a
score.
"""

from __future__ import annotations

import re

from haystack.constants import ID

from articles.search.analysis import DEFAULT_FIELDS, EXACT_FIELD, WORD_RE, analyse_text
from articles.search.nodes import (
    NEARNESS_WEIGHT,
    NEARNESS_WINDOW,
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
    most_of,
)
from articles.search.parser import is_exact, looked_up

# Characters the Lucene syntax reads as operators, escaped with a backslash in a word.
_SPECIAL = re.compile(r'([+\-&|!(){}\[\]^"~*?:\\/\s])')
_SPECIAL_BUT_WILDCARDS = re.compile(r'([+\-&|!(){}\[\]^"~:\\/\s])')
# Solr's fuzzy queries allow at most two edits.
SOLR_MAX_EDITS = 2
# Words side by side: a document holding most of the words has its score multiplied by this,
# and once more when it holds every word, far beyond the ratio of any two matches' scores, so
# each group lists above the next, as on the embedded engine, while each keeps its own order.
# (A factor, not an added constant: a score keeps its float precision.)
TIER_FACTOR = 1e6
# The query parser: Solr's edismax with a word over the default fields scored as BM25F, as
# on the embedded engine (solr/launcher's BM25FQParserPlugin, named so in the configset).
PARSER = "edismax_bm25f"
# Nearness is read from the first default field (the body), as on the embedded engine.
NEARNESS_FIELD = next(iter(DEFAULT_FIELDS))


def escape(text: str) -> str:
    """A word with every character the syntax would read escaped."""
    return _SPECIAL.sub(r"\\\1", text)


def to_solr(node: Node) -> str:
    """The Solr query string for a tree."""
    if isinstance(node, And) and node.loose and (plain := node.plain_words())[0]:
        return _loose(*plain)
    if isinstance(node, And | Or):
        joiner = " AND " if isinstance(node, And) else " OR "
        return "(" + joiner.join(to_solr(child) for child in node.children) + ")"
    if isinstance(node, Not):
        # Solr reads a group holding only NOT as everything but its clause. ("*:*" would not
        # do: inside a group, edismax reads it as a word to look for.)
        return f"(NOT {to_solr(node.child)})"
    if isinstance(node, Boost):
        return f"({to_solr(node.child)})^{node.factor:g}"
    field = f"{node.field}:" if node.field else ""
    if isinstance(node, Word):
        if len(parts := WORD_RE.findall(node.text)) > 1:
            # A word the analysis splits ("two-plus-two", "U.S.-Russia") wants every part,
            # as the embedded engine reads it: Solr alone would want any one of them.
            return f"{field}({' AND '.join(escape(part) for part in parts)})"
        return field + escape(node.text)
    if isinstance(node, Phrase):
        return _phrase(node)
    if isinstance(node, Prefix):
        return _prefix(node)
    if isinstance(node, Wildcard):
        return field + _SPECIAL_BUT_WILDCARDS.sub(r"\\\1", looked_up(node))
    if isinstance(node, Fuzzy):
        return f"{field}{escape(looked_up(node))}~{min(node.distance, SOLR_MAX_EDITS)}"
    if isinstance(node, Range):
        opening = "[" if node.include_start else "{"
        closing = "]" if node.include_end else "}"
        start = escape(node.start) if node.start else "*"
        end = escape(node.end) if node.end else "*"
        return f"{field}{opening}{start} TO {end}{closing}"
    if isinstance(node, Everything):
        # Every document has an id: edismax reads "*:*" as everything only as a whole query.
        return f"{field}*" if field else f"{ID}:*"
    raise TypeError(f"Not a query node: {node!r}")


def _prefix(node: Prefix) -> str:
    """A prefix of the stems; unfielded, also of the words as written (the exact field), as
    the embedded engine widens it: `negotiat*` finds "negotiations", stemmed "negoti"."""
    stemmed = f"{node.field + ':' if node.field else ''}{escape(looked_up(node))}*"
    if node.field:
        return stemmed
    return f"({stemmed} OR {EXACT_FIELD}:{escape(node.text.lower())}*)"


# How `_loose` opens the nested query of words side by side, around how many it wants (the
# tiers' own checks, `_tiers`, open without a boost). A reader's own text never reads so: its
# spaces and braces are escaped.
_WANTED = re.compile(r"\{!" + PARSER + r" sow=true mm=(\d+) boost=")


def relaxes_words(query: str) -> bool:
    """Whether a compiled query holds words side by side that need not all match."""
    return _WANTED.search(query) is not None


def words_wanted(query: str, wanted: str) -> str:
    """A compiled query with its words side by side wanting `wanted` of them instead of most:
    "100%" (every word, the set facets count) or "1" (any, the set listed)."""
    return _WANTED.sub(lambda match: f"{{!{PARSER} sow=true mm={wanted} boost=", query)


def _loose(words: tuple[Node, ...], required: tuple[Node, ...]) -> str:
    """Words side by side: the required parts, and the plain words through a nested edismax
    (the backend admits `_query_`) that wants most of them (`nodes.most_of`, counting the
    words that are not stop words; the backend lists those holding any, `words_wanted`) and
    multiplies each score by the tiers and the nearness (`_tiers`). Each word is one clause
    (`sow`), so a word such as "two-plus-two" counts once, as on the embedded engine."""
    words = tuple(word for word in words if analyse_text(_word_text(word)))
    if len(words) < 2:
        return "(" + " AND ".join(to_solr(part) for part in [*required, *words]) + ")"
    written = " ".join(to_solr(word) for word in words)
    nested = (
        f"{{!{PARSER} sow=true mm={most_of(len(words))} boost={_local(_tiers(words))}"
        f" v={_local(written)}}}"
    )
    return (
        "("
        + " AND ".join([*(to_solr(part) for part in required), "_query_:" + _quoted(nested)])
        + ")"
    )


def _word_text(node: Node) -> str:
    return (node.child if isinstance(node, Boost) else node).text


def _tiers(words: tuple[Node, ...]) -> str:
    """A function of each document: 1 + NEARNESS_WEIGHT times the share of the word pairs
    found within NEARNESS_WINDOW positions of each other (either order), times TIER_FACTOR
    when it holds most of the words (`nodes.most_of`) and once more when it holds every word."""
    texts = [_word_text(word) for word in words]
    slop = NEARNESS_WINDOW - 1  # "a b"~3 finds b up to 4 positions after a
    pairs = [
        f"if(exists(query({{!lucene v={_local(_near(first, second, slop))}}})),1,0)"
        for i, first in enumerate(texts)
        for second in texts[i + 1 :]
    ]
    share = f"{NEARNESS_WEIGHT / len(pairs):g}"
    written = _local(" ".join(to_solr(word) for word in words))
    tiers = [
        f"if(exists(query({{!{PARSER} sow=true mm={wanted} v={written}}})),{TIER_FACTOR:g},1)"
        for wanted in (most_of(len(words)), "100%")
    ]
    return f"product(sum(1,product({share},sum({','.join(pairs)}))),{','.join(tiers)})"


def _near(first: str, second: str, slop: int) -> str:
    field = NEARNESS_FIELD
    return (
        f"{field}:{_quoted(f'{first} {second}')}~{slop} OR "
        f"{field}:{_quoted(f'{second} {first}')}~{slop}"
    )


def _local(value: str) -> str:
    """A value quoted for Solr's local parameters (`{!parser key='value'}`)."""
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _phrase(node: Phrase) -> str:
    """An exact phrase looks in the exact field (and, when fielded, for its stems in that
    field too); a phrase with slop looks for its stems near each other."""
    quoted = _quoted(node.text)
    if is_exact(node):
        exact = f"{EXACT_FIELD}:{quoted}"
        return f"({exact} AND {node.field}:{quoted})" if node.field else exact
    slop = f"~{node.slop}" if node.slop != 1 else ""
    return f"{node.field}:{quoted}{slop}" if node.field else f"{quoted}{slop}"
