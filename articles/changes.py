"""What changed between two readings of a story: word-by-word differences, and the one
sentence an article page says about its captures. Pure Python."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from itertools import zip_longest

CHANGE_NAMES = {"headline": "the headline", "text": "the text"}
# Beyond these, a comparison would cost a request too much: a page says so instead.
MAX_PARAGRAPHS = 5_000
MAX_PARAGRAPH_WORDS = 3_000
# Characters of each text: reading and splitting them is linear, but not free.
MAX_COMPARED_CHARS = 1_000_000
# The steps one page's comparison may take (a step is one diagonal tried or one word pair
# matched: about 0.1 s of one core per 500,000). Whatever was ingested, a changes page costs
# no more; pairs left when it is spent are shown whole, and the page says so.
DIFF_STEPS = 500_000


@dataclass(frozen=True)
class Piece:
    """A run of words both readings share ("same"), or only the earlier ("removed") or
    only the later ("added") has."""

    kind: str
    text: str


@dataclass
class DiffBudget:
    """The steps left for one page's comparisons; `exhausted` once a pair went without."""

    steps: int = DIFF_STEPS
    exhausted: bool = False


def word_diff(before: str, after: str, budget: DiffBudget | None = None) -> list[Piece]:
    """The words of `after` against `before`, as runs of kept, removed and added words
    (spacing is not compared: a page puts one space between runs). Without the steps to
    compare them, the two are shown whole: all removed, all added."""
    old, new = before.split(), after.split()
    budget = budget if budget is not None else DiffBudget()
    if max(len(old), len(new)) > MAX_PARAGRAPH_WORDS:
        opcodes = None  # a title or a paragraph this long is shown whole
    else:
        opcodes = diff_opcodes(old, new, budget)
    if opcodes is None:
        budget.exhausted = True
        opcodes = [("replace", 0, len(old), 0, len(new))]
    pieces: list[Piece] = []
    for tag, i1, i2, j1, j2 in opcodes:
        if tag == "equal":
            pieces.append(Piece("same", " ".join(new[j1:j2])))
            continue
        if i2 > i1:
            pieces.append(Piece("removed", " ".join(old[i1:i2])))
        if j2 > j1:
            pieces.append(Piece("added", " ".join(new[j1:j2])))
    return pieces


def paragraphs_diff(
    before: str, after: str, budget: DiffBudget | None = None
) -> list[list[Piece]] | None:
    """The paragraphs of `after` against those of `before` (blank lines separate them):
    paragraphs matched first, then words within each changed pair, which keeps the cost
    in proportion to what changed. None for texts too long to compare on a page."""
    if max(len(before), len(after)) > MAX_COMPARED_CHARS:
        return None
    old, new = _paragraphs(before), _paragraphs(after)
    if max(len(old), len(new)) > MAX_PARAGRAPHS:
        return None
    budget = budget if budget is not None else DiffBudget()
    opcodes = diff_opcodes(
        [" ".join(p.split()) for p in old], [" ".join(p.split()) for p in new], budget
    )
    if opcodes is None:
        budget.exhausted = True
        return None
    result: list[list[Piece]] = []
    for tag, i1, i2, j1, j2 in opcodes:
        if tag == "equal":
            result.extend([Piece("same", paragraph)] for paragraph in new[j1:j2])
            continue
        for removed, added in zip_longest(old[i1:i2], new[j1:j2]):
            if removed is None:
                result.append([Piece("added", added)])
            elif added is None:
                result.append([Piece("removed", removed)])
            else:
                result.append(word_diff(removed, added, budget))
    return result


Opcode = tuple[str, int, int, int, int]


def diff_opcodes(a: Sequence[str], b: Sequence[str], budget: DiffBudget) -> list[Opcode] | None:
    """A shortest edit script from `a` to `b` as difflib-style opcodes ("equal" and
    "replace" runs), by Myers' O((N+M)·D) algorithm after the common ends are trimmed, so
    the cost follows how much changed, never the square of the length. None when the
    budget runs out first (the budget keeps what was spent)."""
    n, m = len(a), len(b)
    if budget.steps <= 0:
        return None
    head = 0
    while head < n and head < m and a[head] == b[head]:
        head += 1
    tail = 0
    while tail < n - head and tail < m - head and a[n - 1 - tail] == b[m - 1 - tail]:
        tail += 1
    budget.steps -= head + tail + (n - head - tail) + (m - head - tail)
    if budget.steps < 0:
        return None
    # Words as small integers: comparing them is then cheap whatever their length.
    ids: dict[str, int] = {}
    x_ids = [ids.setdefault(word, len(ids)) for word in a[head : n - tail]]
    y_ids = [ids.setdefault(word, len(ids)) for word in b[head : m - tail]]
    middle = _myers(x_ids, y_ids, budget)
    if middle is None:
        return None
    ops: list[Opcode] = []
    if head:
        ops.append(("equal", 0, head, 0, head))
    ops.extend((tag, i1 + head, i2 + head, j1 + head, j2 + head) for tag, i1, i2, j1, j2 in middle)
    if tail:
        ops.append(("equal", n - tail, n, m - tail, m))
    return ops


def _myers(a: list[int], b: list[int], budget: DiffBudget) -> list[Opcode] | None:
    n, m = len(a), len(b)
    if not n or not m:
        return [("replace", 0, n, 0, m)] if n or m else []
    frontier = {1: 0}  # diagonal k = x - y -> furthest x reached
    trace: list[dict[int, int]] = []
    for d in range(n + m + 1):
        trace.append(dict(frontier))
        budget.steps -= len(frontier)  # the copy kept for the walk back
        for k in range(-d, d + 1, 2):
            x = frontier[k + 1] if _from_above(frontier, k, d) else frontier[k - 1] + 1
            y = x - k
            start = x
            while x < n and y < m and a[x] == b[y]:
                x += 1
                y += 1
            frontier[k] = x
            budget.steps -= 1 + x - start
            if x >= n and y >= m:
                return _opcodes(_path(trace, n, m), n, m)
        if budget.steps < 0:
            return None
    raise AssertionError("unreachable: an edit script of n + m steps always exists")


def _from_above(frontier: dict[int, int], k: int, d: int) -> bool:
    """Whether diagonal k at step d is best reached from k + 1 (a word added) rather
    than from k - 1 (a word removed)."""
    return k == -d or (k != d and frontier[k - 1] < frontier[k + 1])


def _path(trace: list[dict[int, int]], n: int, m: int) -> list[tuple[int, int]]:
    """The matched pairs (i, j) of the shortest edit script, walked back from the end."""
    pairs: list[tuple[int, int]] = []
    x, y = n, m
    for d in range(len(trace) - 1, 0, -1):
        frontier = trace[d]
        k = x - y
        previous_k = k + 1 if _from_above(frontier, k, d) else k - 1
        previous_x = frontier[previous_k]
        previous_y = previous_x - previous_k
        while x > previous_x and y > previous_y:
            x, y = x - 1, y - 1
            pairs.append((x, y))
        x, y = previous_x, previous_y
    while x > 0 and y > 0:
        x, y = x - 1, y - 1
        pairs.append((x, y))
    pairs.reverse()
    return pairs


def _opcodes(pairs: list[tuple[int, int]], n: int, m: int) -> list[Opcode]:
    """Matched pairs as runs: "equal" where they follow on, "replace" for what lies between."""
    ops: list[Opcode] = []
    i = j = 0
    for pi, pj in [*pairs, (n, m)]:
        if pi > i or pj > j:
            ops.append(("replace", i, pi, j, pj))
        if (pi, pj) == (n, m):
            break
        if ops and ops[-1][0] == "equal" and ops[-1][2] == pi and ops[-1][4] == pj:
            ops[-1] = ("equal", ops[-1][1], pi + 1, ops[-1][3], pj + 1)
        else:
            ops.append(("equal", pi, pi + 1, pj, pj + 1))
        i, j = pi + 1, pj + 1
    return ops


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
