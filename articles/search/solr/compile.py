"""The query tree compiled for Solr: a standard (Lucene) query string, to run with the
edismax parser whose `qf` names the default fields (`text title^3`), so a word the user
left unfielded stays unfielded here. A Solr backend's `compile_query` returns `to_solr`.

Solr analyses words and phrases itself; prefixes, fuzzy words and wildcards it only
lower-cases, so they are sent as the embedded engine looks them up (`looked_up`: in a text
field folded and stemmed, `Defense*` as "defenc*"). Quoted phrases are matched on the exact field
(every word as written), as on the archive's own engine.
"""

from __future__ import annotations

import re

from haystack.constants import ID

from articles.search.analysis import EXACT_FIELD
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
)
from articles.search.parser import is_exact, looked_up

# Characters the Lucene syntax reads as operators, escaped with a backslash in a word.
_SPECIAL = re.compile(r'([+\-&|!(){}\[\]^"~*?:\\/\s])')
_SPECIAL_BUT_WILDCARDS = re.compile(r'([+\-&|!(){}\[\]^"~:\\/\s])')
# Solr's fuzzy queries allow at most two edits.
SOLR_MAX_EDITS = 2


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


def _loose(words: tuple[Node, ...], required: tuple[Node, ...]) -> str:
    """Words side by side. On Solr every word is still required: a nested edismax with `mm`
    (`_query_:"{!edismax mm=2 qf=$qf}…"`) found nothing through the outer parser on
    SolrCloud 9.10, so the relaxed tiers are the embedded engine's alone for now."""
    return "(" + " AND ".join(to_solr(part) for part in [*required, *words]) + ")"


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
