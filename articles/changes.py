"""What changed between two readings of a story: word-by-word differences, and the one
sentence an article page says about its captures. Pure Python."""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from itertools import zip_longest

CHANGE_NAMES = {"headline": "the headline", "text": "the text"}
# Beyond these, a comparison would cost a request too much: a page says so instead.
MAX_PARAGRAPHS = 5_000
MAX_PARAGRAPH_WORDS = 3_000


@dataclass(frozen=True)
class Piece:
    """A run of words both readings share ("same"), or only the earlier ("removed") or
    only the later ("added") has."""

    kind: str
    text: str


def word_diff(before: str, after: str) -> list[Piece]:
    """The words of `after` against `before`, as runs of kept, removed and added words
    (spacing is not compared: a page puts one space between runs)."""
    old, new = before.split(), after.split()
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    pieces: list[Piece] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            pieces.append(Piece("same", " ".join(new[j1:j2])))
            continue
        if i2 > i1:
            pieces.append(Piece("removed", " ".join(old[i1:i2])))
        if j2 > j1:
            pieces.append(Piece("added", " ".join(new[j1:j2])))
    return pieces


def paragraphs_diff(before: str, after: str) -> list[list[Piece]] | None:
    """The paragraphs of `after` against those of `before` (blank lines separate them):
    paragraphs matched first, then words within each changed pair, which keeps the cost
    in proportion to what changed. None for texts too long to compare on a page."""
    old, new = _paragraphs(before), _paragraphs(after)
    if max(len(old), len(new)) > MAX_PARAGRAPHS:
        return None
    matcher = difflib.SequenceMatcher(
        None,
        [" ".join(p.split()) for p in old],
        [" ".join(p.split()) for p in new],
        autojunk=False,
    )
    result: list[list[Piece]] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            result.extend([Piece("same", paragraph)] for paragraph in new[j1:j2])
            continue
        for removed, added in zip_longest(old[i1:i2], new[j1:j2]):
            if removed is None:
                result.append([Piece("added", added)])
            elif added is None:
                result.append([Piece("removed", removed)])
            elif max(len(removed.split()), len(added.split())) > MAX_PARAGRAPH_WORDS:
                result.append([Piece("removed", removed), Piece("added", added)])
            else:
                result.append(word_diff(removed, added))
    return result


def unchanged(paragraphs: list[list[Piece]]) -> bool:
    """Whether a comparison found nothing removed or added (a page says so rather than
    repeat a whole text with no marks in it)."""
    return all(piece.kind == "same" for pieces in paragraphs for piece in pieces)


def _paragraphs(text: str) -> list[str]:
    return [paragraph.strip() for paragraph in text.split("\n\n") if paragraph.strip()]


@dataclass(frozen=True)
class Reading:
    """What the summary needs of a capture: when it was taken and what changed in it."""

    moment: datetime
    changes: Sequence[str]


def change_summary(readings: Sequence[Reading]) -> str:
    """ "3 captures; the headline changed on 5 March 2008, the text on 6 March 2008", or
    "" for an article with one capture."""
    if len(readings) < 2:
        return ""
    parts = []
    for name, label in CHANGE_NAMES.items():
        days = [_day(r.moment) for r in readings if name in r.changes]
        if days:
            parts.append(f"{label} changed on {_join(list(dict.fromkeys(days)))}")
    said = "; ".join(parts) if parts else "the text did not change"
    return f"{len(readings)} captures; {said}"


def _day(moment: datetime) -> str:
    return f"{moment.day} {moment:%B %Y}"


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]
