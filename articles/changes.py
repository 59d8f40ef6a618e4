"""What changed between two readings of a story: word-by-word differences, and the one
sentence an article page says about its captures. Pure Python."""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

# Words with the spacing after them, so a difference shows where it falls in the text.
_WORD = re.compile(r"\S+\s*")

CHANGE_NAMES = {"headline": "the headline", "text": "the text"}


@dataclass(frozen=True)
class Piece:
    """A run of words both readings share ("same"), or only the earlier ("removed") or
    only the later ("added") has."""

    kind: str
    text: str


def word_diff(before: str, after: str) -> list[Piece]:
    """The words of `after` against `before`, as runs of kept, removed and added words."""
    old, new = _WORD.findall(before), _WORD.findall(after)
    # Compare the words alone: a change of spacing is not a change of text.
    matcher = difflib.SequenceMatcher(
        None, [w.strip() for w in old], [w.strip() for w in new], autojunk=False
    )
    pieces: list[Piece] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            pieces.append(Piece("same", "".join(new[j1:j2])))
            continue
        if i2 > i1:
            pieces.append(Piece("removed", "".join(old[i1:i2])))
        if j2 > j1:
            pieces.append(Piece("added", "".join(new[j1:j2])))
    return pieces


def paragraphs_diff(before: str, after: str) -> list[list[Piece]]:
    """word_diff paragraph by paragraph (paragraphs are separated by blank lines), so the
    page keeps the text's paragraphs; a paragraph break counts as a word."""
    marker = " \u00b6 "
    pieces = word_diff(before.replace("\n\n", marker), after.replace("\n\n", marker))
    paragraphs: list[list[Piece]] = [[]]
    for piece in pieces:
        parts = piece.text.split("\u00b6")
        for index, part in enumerate(parts):
            if index:
                paragraphs.append([])
            if part.strip():
                paragraphs[-1].append(Piece(piece.kind, part.strip(" ") + " "))
    return [p for p in paragraphs if p]


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
