"""Each segment's postings of the searched fields kept a second time, as plain arrays in
one file beside Whoosh's: a posting block of Whoosh's is one pickle of ids, weights and
positions, and unpickling it costs about a microsecond and a half a posting, so a search
for common words meeting a cold cache waited most of a second at 100,000 articles. From
this file a term's postings are a slice of a memory-mapped array, shared by every worker
through the operating system's page cache.

The file is written as the segment is (`internals.add_postings`), named like the
segment's own files so that Whoosh deletes it with the segment. A segment without one (an
index written before, or by another writer) is read from Whoosh's blocks as before.

Layout: 4-byte words; for each term its documents (uint32), weights (float32) and, for a
field with positions, each posting's count of positions and all the position deltas in a
row (uint32); then a pickle of the directory (for each field, its terms as a sorted byte
string array and each term's first word, postings and positions); then the pickle's
offset in 8 bytes.
"""

from __future__ import annotations

import os
import pickle
from dataclasses import dataclass
from struct import Struct

import numpy as np

EXTENSION = ".arrays"
# Terms longer than this are left to Whoosh's blocks (a byte string array pads every term
# to the longest one).
LONGEST_TERM = 48
_FOOTER = Struct("<Q")


class ArraysWriter:
    """Writes one segment's postings arrays as its terms are written, field by field."""

    def __init__(self, path: str) -> None:
        self.path = path
        self._file = None
        self._words = 0
        self._directory: dict[str, tuple[list[bytes], list[tuple[int, int, int]]]] = {}
        self.abandoned = False

    def add(
        self,
        fieldname: str,
        btext: bytes,
        docnums,
        weights,
        positions: tuple[np.ndarray, np.ndarray] | None,
    ) -> None:
        """A term's postings: document numbers, weights and, for a field with positions,
        (each posting's count of positions, all the position deltas)."""
        if self.abandoned or len(btext) > LONGEST_TERM or btext.endswith(b"\x00"):
            return
        if self._file is None:
            self._file = open(self.path, "wb")  # noqa: SIM115 - kept open while writing
        parts = [np.asarray(docnums, dtype=np.uint32), np.asarray(weights, dtype=np.float32)]
        if positions is not None:
            parts += [np.asarray(part, dtype=np.uint32) for part in positions]
        terms, spans = self._directory.setdefault(fieldname, ([], []))
        terms.append(btext)
        spans.append((self._words, len(parts[0]), len(parts[3]) if positions else -1))
        for part in parts:
            self._file.write(part.tobytes())
            self._words += len(part)

    def abandon(self) -> None:
        """Some postings went another way: no file rather than an incomplete one."""
        self.abandoned = True

    def close(self) -> None:
        if self._file is None:
            return
        if self.abandoned:
            self._file.close()
            os.unlink(self.path)
            return
        directory = {}
        for fieldname, (terms, spans) in self._directory.items():
            order = sorted(range(len(terms)), key=terms.__getitem__)
            directory[fieldname] = (
                np.array([terms[i] for i in order], dtype=f"S{LONGEST_TERM}"),
                np.array([spans[i] for i in order], dtype=np.int64).reshape(-1, 3),
            )
        offset = self._words * 4
        self._file.write(pickle.dumps(directory, protocol=pickle.HIGHEST_PROTOCOL))
        self._file.write(_FOOTER.pack(offset))
        self._file.close()


@dataclass
class TermArrays:
    docs: np.ndarray  # uint32, deleted documents included
    weights: np.ndarray  # float32
    counts: np.ndarray | None  # uint32, each posting's number of positions
    deltas: np.ndarray | None  # uint32, all the position deltas in a row


class SegmentArrays:
    """A segment's postings arrays, memory-mapped."""

    def __init__(self, path: str) -> None:
        with open(path, "rb") as file:
            file.seek(-_FOOTER.size, os.SEEK_END)
            end = file.tell()
            (offset,) = _FOOTER.unpack(file.read(_FOOTER.size))
            file.seek(offset)
            self._directory = pickle.loads(file.read(end - offset))
        # A plain array over the mapping: a memmap's slices are memmaps too, and every array
        # operation on one pays for its subclass's bookkeeping.
        mapped = np.memmap(path, dtype=np.uint32, mode="r", shape=(offset // 4,))
        self._words = mapped.view(np.ndarray)

    def knows(self, fieldname: str, btext: bytes) -> bool:
        """Whether this file can say if the segment holds the term: it keeps every term of
        a field it has, but those too long for it or ending in a zero byte."""
        return (
            fieldname in self._directory
            and len(btext) <= LONGEST_TERM
            and not btext.endswith(b"\x00")
        )

    def doc_frequency(self, fieldname: str, btext: bytes) -> int:
        """How many of the segment's documents hold the term, deleted ones included (as
        Whoosh counts them); 0 when none does. Only for a term the file `knows`."""
        terms, spans = self._directory[fieldname]
        place = int(np.searchsorted(terms, btext))
        if place == len(terms) or terms[place] != btext:
            return 0
        return int(spans[place][1])

    def term(self, fieldname: str, btext: bytes) -> TermArrays | None:
        """A term's arrays, or None when the file does not hold it."""
        found = self._directory.get(fieldname)
        if found is None or len(btext) > LONGEST_TERM:
            return None
        terms, spans = found
        place = int(np.searchsorted(terms, btext))
        if place == len(terms) or terms[place] != btext:
            return None
        start, count, positions = (int(n) for n in spans[place])
        words = self._words
        docs = words[start : start + count]
        weights = words[start + count : start + 2 * count].view(np.float32)
        if positions < 0:
            return TermArrays(docs, weights, None, None)
        counts = words[start + 2 * count : start + 3 * count]
        deltas = words[start + 3 * count : start + 3 * count + positions]
        return TermArrays(docs, weights, counts, deltas)


def open_arrays(path: str | None) -> SegmentArrays | None:
    """A segment's arrays file, or None when it has none (or one that cannot be read)."""
    if path is None or not os.path.exists(path):
        return None
    try:
        return SegmentArrays(path)
    except (OSError, ValueError, EOFError, pickle.UnpicklingError):
        return None
