"""What a capture holds outside the chosen title and body: the page's other text. It is
kept and searched (below the body), so no word of a capture is lost to the extraction;
and when most of the capture's prose ended up there, the body is flagged for review."""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Iterable
from dataclasses import replace

from articles.ingest.article import (
    FieldEvidence,
    ParsedArticle,
    collect_reasons,
    prose_words,
)

# Elements whose text no reader sees.
_HIDDEN = frozenset(
    {"script", "style", "noscript", "template", "head", "svg", "iframe", "object", "select"}
)
# Elements that start a new line of text where a browser would.
_BLOCKS = frozenset(
    {
        *("p", "div", "li", "ul", "ol", "dl", "dt", "dd", "br", "hr", "tr", "td", "th"),
        *("h1", "h2", "h3", "h4", "h5", "h6", "header", "footer", "nav", "aside", "section"),
        *("article", "main", "blockquote", "figure", "figcaption", "pre", "table", "form"),
        *("address", "caption", "option", "button", "label", "summary", "details"),
    }
)
# The other text kept, at most: a page's menus and footers, not a second copy of a book.
OTHER_TEXT_MAX = 200_000
# A body keeping less than this share of the capture's prose words has lost the article.
PROSE_KEPT_MIN = 0.5
# Prose words left out before the body is doubted: a teaser or two is not an article.
PROSE_LEFT_MIN = 40
# Matching a paragraph against the body: shorter pieces of body text say too little.
_PIECE_MIN_CHARS = 24
_NON_WORD = re.compile(r"[\W_]+")
_LETTERS = re.compile(r"[^\W_]+")
# A kept piece longer than this many times a paragraph is taken not to be inside it.
_SQUASH_SHRINKS = 3


def page_paragraphs(tree) -> list[str]:
    """The visible text of an HTML page (an lxml tree), one entry per line a browser would
    start (block elements and <br>), without scripts, styles or the <head>; one walk."""
    from lxml import etree  # here: text captures never load lxml

    parts: list[str] = []
    hidden = 0
    for event, element in etree.iterwalk(tree, events=("start", "end")):
        tag = element.tag if isinstance(element.tag, str) else ""
        tag = tag.rsplit("}", 1)[-1].lower()
        if event == "start":
            if not tag or tag in _HIDDEN:
                hidden += 1
                continue
            if hidden:
                continue
            if tag in _BLOCKS:
                parts.append("\n")
            if element.text:
                parts.append(element.text)
            continue
        if not tag or tag in _HIDDEN:
            hidden -= 1
        elif not hidden and tag in _BLOCKS:
            parts.append("\n")
        if not hidden and element.tail:
            parts.append(element.tail)
    return [line for line in (" ".join(raw.split()) for raw in "".join(parts).split("\n")) if line]


def _squash(text: str) -> str:
    return _NON_WORD.sub(" ", text.lower()).strip()


def other_paragraphs(paragraphs: Iterable[str], kept: Iterable[str]) -> list[str]:
    """The paragraphs of a capture that are not in what was `kept` (title, byline, body
    blocks), each once, in page order. A paragraph counts as kept when the kept text holds
    it, or when it holds a kept piece (a lead whose dateline was cut off, a long paragraph
    split in three)."""
    # Shortest first, so that only the pieces short enough to sit in a paragraph are tried.
    kept = sorted((piece for piece in kept if piece), key=len)
    lengths = [len(piece) for piece in kept]
    first_long = bisect.bisect_left(lengths, _PIECE_MIN_CHARS)
    # Most paragraphs are kept word for word: plain look-ups spare squashing them, and a
    # piece is squashed only when a cheap test says it may hold the paragraph or sit in it.
    kept_raw = "\n".join(kept)
    kept_lower = [piece.lower() for piece in kept]
    all_lower = "\n".join(kept_lower)
    squashed_kept: dict[int, str] = {}

    def squashed_piece(index: int) -> str:
        if index not in squashed_kept:
            squashed_kept[index] = _squash(kept[index])
        return squashed_kept[index]

    def long_enough(index: int) -> bool:
        """Whether a kept piece squashed is long enough to match on: told by the letters
        and digits it opens with (squashing keeps each) when they suffice."""
        opening = kept_lower[index][: 2 * _PIECE_MIN_CHARS]
        if sum(char.isalnum() for char in opening) >= _PIECE_MIN_CHARS:
            return True
        return len(squashed_piece(index)) >= _PIECE_MIN_CHARS

    end_words: dict[int, tuple[str, str]] = {}

    def may_hold(index: int, lower: str) -> bool:
        """Whether the lower-cased paragraph holds a kept piece's first word and the
        longest word (or end of one) among its last characters, as it must to hold the
        piece."""
        if index not in end_words:
            piece = kept_lower[index]
            first = _LETTERS.search(piece)
            last = _LETTERS.findall(piece[-_PIECE_MIN_CHARS:])
            end_words[index] = (first[0] if first else "", max(last, key=len, default=""))
        first, last = end_words[index]
        return first in lower and last in lower

    lower_lines = all_lower.split("\n")
    line_starts = list(itertools.accumulate((len(line) + 1 for line in lower_lines), initial=0))
    squashed_lines: dict[int, str] = {}

    def squashed_in_kept(squashed: str, words: list[str]) -> bool:
        """Whether the squashed paragraph is inside one squashed kept line (and so each of
        its words in the kept text): only the lines holding each of its words (found from
        where the longest is) are squashed, each once."""
        longest = max(words, key=len)
        at = all_lower.find(longest)
        while at >= 0:
            index = bisect.bisect_right(line_starts, at) - 1
            line = lower_lines[index]
            if all(word in line for word in words):
                if index not in squashed_lines:
                    squashed_lines[index] = _NON_WORD.sub(" ", line).strip()
                if squashed in squashed_lines[index]:
                    return True
            at = all_lower.find(longest, line_starts[index + 1])
        return False

    seen: set[str] = set()
    other = []
    kept_whole = set(kept)
    for paragraph in paragraphs:
        if paragraph in kept_whole or paragraph in kept_raw:
            continue
        shorter = bisect.bisect_right(lengths, len(paragraph))
        if any(
            kept[index] in paragraph and long_enough(index) for index in range(first_long, shorter)
        ):
            continue
        squashed = _squash(paragraph)
        if not squashed or squashed in seen:
            continue
        seen.add(squashed)
        if squashed_in_kept(squashed, squashed.split()):
            continue
        shorter = bisect.bisect_right(lengths, _SQUASH_SHRINKS * len(paragraph))
        lower = paragraph.lower()
        if len(squashed) >= _PIECE_MIN_CHARS and any(
            may_hold(index, lower)
            and len(squashed_piece(index)) >= _PIECE_MIN_CHARS
            and squashed_piece(index) in squashed
            for index in range(first_long, shorter)
        ):
            continue
        other.append(paragraph)
    return other


def with_other_text(parsed: ParsedArticle, paragraphs: Iterable[str]) -> ParsedArticle:
    """The article with the capture's other text, and flagged `body_uncertain` when the
    body keeps less than half the capture's prose (the rest is named in the evidence)."""
    blocks = [block.text for block in parsed.blocks]
    other = other_paragraphs(paragraphs, [parsed.title, parsed.byline, *blocks])
    other_text = "\n\n".join(other)[:OTHER_TEXT_MAX]
    if not other_text:
        return parsed
    left_prose = [(text, words) for text in other if (words := prose_words(text))]
    left_words = sum(words for _, words in left_prose)
    if left_words < PROSE_LEFT_MIN:
        return replace(parsed, other_text=other_text)
    kept_prose = sum(prose_words(text) for text in blocks)
    if kept_prose >= PROSE_KEPT_MIN * (kept_prose + left_words):
        return replace(parsed, other_text=other_text)
    first = left_prose[0][0]
    doubt = FieldEvidence(
        "body",
        f"the body keeps {kept_prose} of the capture's {kept_prose + left_words} words of "
        f"prose; {len(left_prose)} paragraphs are left out, the first: “{first[:160]}”",
        0.3,
    )
    return replace(
        parsed,
        other_text=other_text,
        evidence=(*parsed.evidence, doubt),
        review_reasons=collect_reasons(parsed.review_reasons, ("body_uncertain",)),
    )
