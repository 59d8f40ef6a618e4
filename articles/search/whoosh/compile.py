"""The query tree compiled for the archive's Whoosh engine: the tree written in Whoosh's
query language, which the backend's parser (`analysis.ArchiveQueryParser`) reads into
Whoosh queries over the body and the title. Every group is bracketed and every word that
Whoosh would read as syntax is quoted, so the engine runs exactly the tree."""

from __future__ import annotations

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
    needs_quotes,
)

# The operator joining a loose AND's plain words in what the engine's parser reads
# (`analysis.MostWordsPlugin`); a word written so is quoted.
MOST_OF = "MOSTOF"


def to_whoosh(node: Node) -> str:
    """The Whoosh query string for a tree."""
    if isinstance(node, And) and node.loose and (plain := node.plain_words())[0]:
        words, required = plain
        relaxed = "(" + f" {MOST_OF} ".join(_grouped(word) for word in words) + ")"
        return " AND ".join([*(_grouped(part) for part in required), relaxed])
    if isinstance(node, And | Or):
        joiner = " AND " if isinstance(node, And) else " OR "
        return joiner.join(_grouped(child) for child in node.children)
    if isinstance(node, Not):
        return f"NOT {_grouped(node.child)}"
    if isinstance(node, Boost):
        child = to_whoosh(node.child)
        plain = isinstance(node.child, Word) and not needs_quotes(node.child.text)
        if not (plain or isinstance(node.child, Phrase | Prefix | Wildcard)):
            child = f"({child})"
        return f"{child}^{node.factor:g}"
    field = f"{node.field}:" if node.field else ""
    if isinstance(node, Word):
        return field + _word(node.text)
    if isinstance(node, Phrase):
        return field + f'"{node.text}"' + (f"~{node.slop}" if node.slop != 1 else "")
    if isinstance(node, Prefix):
        return f"{field}{node.text}*"
    if isinstance(node, Wildcard):
        return field + node.text
    if isinstance(node, Fuzzy):
        prefix = f"/{node.prefix}" if node.prefix else ""
        return f"{field}{node.text}~{node.distance}{prefix}"
    if isinstance(node, Range):
        opening = "[" if node.include_start else "{"
        closing = "]" if node.include_end else "}"
        start = f"{node.start} " if node.start else ""
        end = f" {node.end}" if node.end else ""
        return f"{field}{opening}{start}TO{end}{closing}"
    if isinstance(node, Everything):
        return f"{field}*"
    raise TypeError(f"Not a query node: {node!r}")


def _grouped(node: Node) -> str:
    return f"({to_whoosh(node)})" if isinstance(node, And | Or | Boost) else to_whoosh(node)


def _word(text: str) -> str:
    """A word Whoosh reads as one word: single-quoted when it holds syntax (a colon
    would name a field, a leading ^ boost the word before)."""
    if not needs_quotes(text) and text != MOST_OF:
        return text
    return f"'{text}'" if "'" not in text else text.replace(":", " ").replace("^", " ")
