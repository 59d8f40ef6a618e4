"""Every use of Whoosh's private internals, in one place, for the Whoosh version they were
read from: the block layout of its postings and the pickled position lists inside them, its
per-document columns and deletions, the hook by which a multi-term query names the words it
stands for, its table of contents, and the columns a segment writer consults.

Importing this module under another Whoosh version fails, rather than answering wrongly.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from functools import lru_cache
from itertools import compress, groupby, pairwise
from operator import itemgetter
from pickle import dumps, loads
from struct import Struct

import numpy as np
import whoosh
import whoosh.index
from rapidfuzz import process
from rapidfuzz.distance import Levenshtein
from whoosh import query as wq
from whoosh.codec.whoosh3 import (
    LENGTHS_COLUMN,
    W3FieldWriter,
    W3LeafMatcher,
    W3PerDocReader,
    _lenfield,
)
from whoosh.formats import Positions
from whoosh.matching.wrappers import FilterMatcher
from whoosh.system import _INT_SIZE
from whoosh.util.numeric import byte_to_length
from whoosh.writing import PostingPool

from articles.search.whoosh.arrays import EXTENSION as ARRAYS_EXTENSION
from articles.search.whoosh.arrays import ArraysWriter

WRITTEN_FOR = "2.7.4"
if whoosh.versionstring() != WRITTEN_FOR:
    raise ImportError(
        f"articles.search.whoosh was written for Whoosh {WRITTEN_FOR}, found "
        f"{whoosh.versionstring()}: check internals.py against the new version first."
    )

_BYTE_TO_LENGTH = np.array([byte_to_length(b) for b in range(256)], dtype=np.float64)
# A length byte as the segment writer reads it back: byte 0 gives None, not 0.
_LENGTH_OF_BYTE = [None, *(byte_to_length(b) for b in range(1, 256))]


def block_postings(matcher) -> tuple[np.ndarray, np.ndarray]:
    """All postings of one term in one segment, deleted documents included: ids (int32)
    and weights (float32), a block at a time."""
    docs, weights, _ = _read_postings(matcher, positions=False)
    return docs, weights


def postings_and_positions(matcher) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """`block_postings` and, from the same blocks, each posting's number of positions and
    all the position deltas in a row: a block is one pickle of ids, weights and positions,
    and unpickling it is most of the cost of reading a term, so it is read once for both."""
    docs, weights, (counts, deltas) = _read_postings(matcher, positions=True)
    return docs, weights, counts, deltas


def postings_and_positions_of(
    matcher, wanted: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """`postings_and_positions` for the `wanted` documents only (sorted segment numbers),
    reading only the blocks whose range of ids may hold one of them: a few hundred
    documents' positions out of a common word's hundred thousand."""
    if isinstance(matcher, FilterMatcher):
        matcher = matcher.child
    if not isinstance(matcher, W3LeafMatcher):
        docs, weights, counts, deltas = postings_and_positions(matcher)
        keep = np.isin(docs, wanted)
        return docs[keep], weights[keep], counts[keep], deltas[np.repeat(keep, counts)]
    doc_blocks, weight_blocks, values = [], [], []
    start = 0
    while not matcher._atend and start < len(wanted):
        if matcher._maxid < wanted[start]:
            matcher._next_block()
            continue
        block, block_weights = _block_read(matcher)
        keep = np.isin(block, wanted[start:])
        doc_blocks.append(block[keep])
        weight_blocks.append(block_weights[keep])
        values.extend(compress(matcher._data[2], keep))
        start = int(np.searchsorted(wanted, block[-1], side="right"))
        matcher._next_block()
    counts, deltas = decoded_positions(values)
    docs = np.concatenate(doc_blocks) if doc_blocks else np.zeros(0, dtype=np.int64)
    weights = np.concatenate(weight_blocks) if weight_blocks else np.zeros(0)
    return docs.astype(np.int32), weights.astype(np.float32), counts, deltas


def _read_postings(matcher, *, positions: bool):
    if isinstance(matcher, FilterMatcher):
        matcher = matcher.child
    values: list = []
    if not isinstance(matcher, W3LeafMatcher):  # another codec: the slow, general way
        ids, weights = [], []
        while matcher.is_active():
            ids.append(matcher.id())
            weights.append(matcher.weight())
            if positions:
                values.append(np.diff(matcher.value_as("positions"), prepend=0).tolist())
            matcher.next()
        docs, scores = np.array(ids, dtype=np.int64), np.array(weights, dtype=np.float64)
        decoded = (
            np.array([len(places) for places in values], dtype=np.int64),
            np.array([d for places in values for d in places], dtype=np.int64),
        )
    else:
        id_blocks, weight_blocks = [], []
        while not matcher._atend:
            block, block_weights = _block_read(matcher)
            id_blocks.append(block)
            weight_blocks.append(block_weights)
            if positions:
                values.extend(matcher._data[2])
            matcher._next_block()
        docs = np.concatenate(id_blocks) if id_blocks else np.zeros(0, dtype=np.int64)
        scores = np.concatenate(weight_blocks) if weight_blocks else np.zeros(0)
        decoded = decoded_positions(values) if positions else None
    return docs.astype(np.int32), scores.astype(np.float32), decoded


def _block_read(matcher: W3LeafMatcher) -> tuple[np.ndarray, np.ndarray]:
    """The ids and weights of the block a matcher stands at, its data read (positions
    included, in `matcher._data[2]`)."""
    matcher._read_data()
    ids, weights = matcher._data[0], matcher._data[1]
    block = np.array(ids, dtype=np.int64)
    if not matcher._byteids:
        block = np.cumsum(block)
    if weights is None or isinstance(weights, float):
        return block, np.full(len(block), 1.0 if weights is None else weights)
    return block, np.array(weights, dtype=np.float64)


def decoded_positions(values: Sequence[bytes]) -> tuple[np.ndarray, np.ndarray]:
    """Each posting's count of positions and all the position deltas in a row (int64),
    from their encoded lists: in bulk, or one list at a time where the layout is not the
    one expected."""
    decoded = decode_position_lists(values)
    if decoded is None:
        decoded = _decode_one_by_one(values)
    return tuple(np.asarray(part, dtype=np.int64) for part in decoded)


# Whoosh's Positions format stores a posting's positions as a 4-byte count, then the pickle
# (protocol 2) of the list of position deltas: for two or more, `\x80\x02]q\x00(` items
# `e.`; for one, `\x80\x02]q\x00` item `a.`.
_LIST_HEAD = np.frombuffer(b"\x80\x02]q\x00", dtype=np.uint8)


def decode_position_lists(values: Sequence[bytes]) -> tuple[np.ndarray, np.ndarray] | None:
    """Every posting's position deltas with one `pickle.loads`: the items of all the lists
    are cut out of their pickles with array operations and joined into one list's pickle.
    Decoding list by list cost a Python call per posting, most of a cold phrase query."""
    if not values:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    lengths = np.fromiter(map(len, values), dtype=np.int64, count=len(values))
    buffer = np.frombuffer(b"".join(values), dtype=np.uint8)
    starts = np.cumsum(lengths) - lengths
    prefix = buffer[starts[:, None] + np.arange(_INT_SIZE)].astype(np.int64)
    counts = (prefix[:, 0] << 24) | (prefix[:, 1] << 16) | (prefix[:, 2] << 8) | prefix[:, 3]
    head = starts[:, None] + _INT_SIZE + np.arange(len(_LIST_HEAD))
    ends = starts + lengths
    several = counts > 1
    if (
        (lengths < _INT_SIZE + len(_LIST_HEAD) + 3).any()
        or (buffer[head] != _LIST_HEAD).any()
        or (buffer[ends - 1] != ord(".")).any()
        or (buffer[ends - 2] != np.where(several, ord("e"), ord("a"))).any()
        or (buffer[starts + _INT_SIZE + len(_LIST_HEAD)][several] != ord("(")).any()
    ):
        return None
    first = starts + _INT_SIZE + len(_LIST_HEAD) + several
    edges = np.zeros(len(buffer) + 1, dtype=np.int8)
    edges[first] = 1  # each list's items run from `first` to just before its `e.`/`a.`
    edges[ends - 2] = -1
    items = buffer[np.cumsum(edges[:-1], dtype=np.int8) > 0].tobytes()
    deltas = loads(b"\x80\x02](" + items + b"e.")
    if len(deltas) != counts.sum():
        return None
    return counts, np.array(deltas, dtype=np.int64)


_pack_count = Struct("!I").pack
# Single positions below this are encoded once and kept (most words occur once).
_ONE_POSITION_KEPT = 1 << 16
_ONE_POSITION: dict[int, bytes] = {}


def encode_positions(places: list[int]) -> bytes:
    """Whoosh's Positions.encode (the layout above), for increasing positions: a list of
    one, most words' in an article, comes from a table instead of a pickle each."""
    if len(places) == 1:
        place = places[0]
        encoded = _ONE_POSITION.get(place)
        if encoded is None:
            encoded = _pack_count(1) + dumps(places, 2)
            if place < _ONE_POSITION_KEPT:
                _ONE_POSITION[place] = encoded
        return encoded
    deltas = [places[0]]
    deltas += [after - before for before, after in pairwise(places)]
    return _pack_count(len(deltas)) + dumps(deltas, 2)


def _decode_one_by_one(values: list[bytes]) -> tuple[list[int], list[int]]:
    counts, deltas = [], []
    for value in values:
        pickled = value[_INT_SIZE:]
        codes = loads(pickled if pickled.endswith(b".") else pickled + b".")
        counts.append(len(codes))
        deltas.extend(codes)
    return counts, deltas


def deleted_docs(reader) -> np.ndarray:
    """A segment's deleted document numbers."""
    return np.fromiter(reader._perdoc.deleted_docs(), dtype=np.int32)


def field_lengths(reader, fieldname: str) -> np.ndarray:
    """Each document's length in a field, as Whoosh stores it (one byte, logarithmic)."""
    codes = length_codes(reader._perdoc, fieldname)
    if codes is None:
        return _BYTE_TO_LENGTH[np.zeros(reader.doc_count_all(), dtype=np.uint8)]
    return _BYTE_TO_LENGTH[np.asarray(codes, dtype=np.uint8)]


def length_codes(perdoc: W3PerDocReader, fieldname: str):
    """A segment's length byte for a field, one per document, read as one column; None
    where the field keeps no lengths."""
    column = perdoc._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
    return None if column is None else column.load()


def expansion(node: wq.MultiTerm, reader):
    """The index words (bytes) a prefix, wildcard, fuzzy word or range stands for, lazily."""
    if type(node) is wq.FuzzyTerm:
        return fuzzy_words(node, reader)
    return node._btexts(reader)


def fuzzy_words(node: wq.FuzzyTerm, reader) -> list[str]:
    """The words Whoosh's own FuzzyTerm stands for in a segment: those of its spelling
    list within `maxdist` edits (Levenshtein) that share the first `prefixlength` letters.
    Whoosh walks an automaton through the word list with a binary search on disk per step
    (a second or more for four fuzzy words at 100,000 articles); here the few hundred words
    with the prefix are read in one pass and measured at once."""
    field = reader.schema[node.fieldname]
    listed = field.spelling_fieldname(node.fieldname)
    if listed not in reader.schema:
        return list(node._btexts(reader))
    prefix = node.text[: node.prefixlength]
    words = [btext.decode("utf-8") for btext in reader.expand_prefix(listed, prefix)]
    found = process.extract(
        node.text, words, scorer=Levenshtein.distance, score_cutoff=node.maxdist, limit=None
    )
    return [word for word, _, _ in found]


class ExpandingPrefix(wq.Prefix):
    """A prefix query whose words come from `index_words(reader)`: Whoosh's multi-term
    queries, its own matchers included, ask the private `_btexts` for them."""

    def index_words(self, reader):
        return super()._btexts(reader)

    def _btexts(self, ixreader):
        return self.index_words(ixreader)


def toc_segments(index) -> list:
    """The segments listed in an index's table of contents."""
    return list(index._read_toc().segments)


def segment_file_prefix(segment) -> str:
    """How the files of a segment begin."""
    return f"{segment.indexname}_{segment.segid}"


def set_segments(writer, segments: list) -> None:
    """Make a writer commit exactly these segments (ones written elsewhere included)."""
    writer.segments = segments


def arrays_path(reader) -> str | None:
    """Where a segment's postings arrays (`arrays.py`) are, for an index in a folder."""
    folder = getattr(reader._storage, "folder", None)
    segment = reader.segment()
    if folder is None or segment is None:
        return None
    return os.path.join(folder, segment.make_filename(ARRAYS_EXTENSION))


def remember_columns(reader):
    """A per-document reader that asks the file system once per column whether it exists:
    Whoosh asks for every posting written."""
    reader.has_column = lru_cache(maxsize=None)(reader.has_column)
    return reader


def write_postings_by_term(writer, array_fields: frozenset[str] = frozenset()) -> None:
    """Make a segment writer keep its postings by term as documents are added (TermPool)
    and write them a term at a time (add_postings), instead of a tuple per posting sorted
    at the end and several method calls and a length look-up each: most of writing a
    segment. The postings of `array_fields` are written a second time as plain arrays
    (`arrays.py`), in a file of the segment's."""
    fieldwriter = writer.fieldwriter
    if type(fieldwriter) is not W3FieldWriter or type(writer.pool) is not PostingPool:
        return
    writer.pool = TermPool(writer.pool)
    folder = getattr(fieldwriter._storage, "folder", None)
    arrays = None
    if array_fields and folder is not None:
        name = fieldwriter._segment.make_filename(ARRAYS_EXTENSION)
        arrays = ArraysWriter(os.path.join(folder, name))
        close = fieldwriter.close

        def close_both() -> None:
            close()
            arrays.close()

        fieldwriter.close = close_both
    fieldwriter.add_postings = lambda schema, lengths, items: add_postings(
        fieldwriter, schema, lengths, items, arrays=arrays, array_fields=array_fields
    )


class TermPool(PostingPool):
    """Whoosh's posting pool, holding each field's terms with their postings as they are
    added: documents come in order, so a term's postings need no sort. Over its memory
    limit it spills a sorted run as Whoosh's does, and then answers as Whoosh's."""

    def __init__(self, pool: PostingPool) -> None:
        super().__init__(pool.tempstore, pool.segment)
        self.limit = pool.limit
        self._fields: dict[str, dict[bytes, list[tuple]]] = {}
        # Terms whose postings came out of document order (never, from add_document).
        self._unordered: set[tuple[str, bytes]] = set()
        self._fieldname, self._terms = None, {}

    def add(self, item: tuple) -> None:
        fieldname, btext, docnum, weight, value = item
        if fieldname != self._fieldname:  # a document's postings come a field at a time
            self._fieldname = fieldname
            self._terms = self._fields.setdefault(fieldname, {})
        postings = self._terms.get(btext)
        if postings is None:
            self._terms[btext] = [item]
        else:
            if postings[-1][2] >= docnum:
                self._unordered.add((fieldname, btext))
            postings.append(item)
        # PostingPool's estimate of the memory a posting takes.
        self.currentsize += 150 + len(fieldname) + 2 * len(btext) + len(value or b"")
        if self.currentsize > self.limit:
            self.save()

    def save(self) -> None:
        self.current = list(self.groups())
        self._fields, self._unordered = {}, set()
        self._fieldname, self._terms = None, {}
        super().save()

    def items(self, maxfiles: int = 128):
        # With runs spilled, Whoosh's merge (which saves what is held here first).
        return super().items(maxfiles) if self.runs else self.groups()

    def groups(self) -> TermGroups:
        return TermGroups(self._fields, self._unordered)


class TermGroups:
    """A pool's postings by field and term; iterated, Whoosh's sorted posting tuples."""

    def __init__(self, fields: dict, unordered: set) -> None:
        self._fields, self._unordered = fields, unordered

    def terms(self):
        """(field name, its (term, postings) in order) for each field in order."""
        for fieldname in sorted(self._fields):
            terms = self._fields[fieldname]
            yield (
                fieldname,
                (
                    (btext, sorted(terms[btext]))
                    if (fieldname, btext) in self._unordered
                    else (btext, terms[btext])
                    for btext in sorted(terms)
                ),
            )

    def __iter__(self):
        for _, terms in self.terms():
            for _, postings in terms:
                yield from postings


# Blocks of at most this many postings are written uncompressed: compressing a few dozen
# bytes costs a zlib stream's set-up (most of writing a rare word) and saves nothing.
UNCOMPRESSED_POSTINGS = 2


def add_postings(
    fieldwriter: W3FieldWriter,
    schema,
    lengths,
    items,
    *,
    arrays: ArraysWriter | None = None,
    array_fields: frozenset[str] = frozenset(),
) -> None:
    """What Whoosh's W3FieldWriter.add_postings writes, from the same postings sorted by
    field, term and document (or a TermPool's groups of them): each block's buffers are
    filled by a list operation each, each field's lengths are read once, and a block of
    UNCOMPRESSED_POSTINGS or fewer is not compressed. Postings numbered -1 (Whoosh's old
    spelling hack) start a field but are not written. The terms of `array_fields` go to
    `arrays` too."""
    if lengths is not None and type(lengths) is not W3PerDocReader:
        if arrays is not None:
            arrays.abandon()
        W3FieldWriter.add_postings(fieldwriter, schema, lengths, items)
        return
    lengths_of = _FieldLengths(lengths)
    if isinstance(items, TermGroups):
        fields = items.terms()
    else:
        fields = (
            (fieldname, ((btext, list(group)) for btext, group in terms))
            for fieldname, field_items in groupby(items, key=itemgetter(0))
            for terms in [groupby(field_items, key=itemgetter(1))]
        )
    for fieldname, terms in fields:
        fieldwriter.start_field(fieldname, schema[fieldname])
        postwriter = fieldwriter._postwriter
        compression = postwriter._compression
        column = lengths_of.column(fieldname)
        to_arrays = arrays if fieldname in array_fields else None
        with_positions = type(schema[fieldname].format) is Positions
        for btext, postings in terms:
            if postings[0][2] == -1:
                postings = [posting for posting in postings if posting[2] != -1]
                if not postings:
                    continue
            fieldwriter.start_term(btext)
            _, _, docnums, weights, values = zip(*postings, strict=True)
            _fill_blocks(postwriter, docnums, weights, values, column, compression)
            fieldwriter.finish_term()
            if to_arrays is not None:
                positions = decoded_positions(values) if with_positions else None
                to_arrays.add(fieldname, btext, docnums, weights, positions)
        postwriter._compression = compression
        fieldwriter.finish_field()


def _fill_blocks(postwriter, docnums, weights, values, column: list | None, compression) -> None:
    """Put one term's postings in a postings writer's blocks, as add_posting would one by
    one; the last block is left for finish_postings to write."""
    limit = postwriter._blocklimit
    for start in range(0, len(docnums), limit):
        if start:
            postwriter._write_block()
        stop = start + limit
        block_weights = weights[start:stop]
        postwriter._ids.extend(docnums[start:stop])
        postwriter._weights.extend(block_weights)
        postwriter._values.extend(value for value in values[start:stop] if value)
        postwriter._compression = compression if len(block_weights) > UNCOMPRESSED_POSTINGS else 0
        heaviest = max(block_weights)
        if heaviest > postwriter._maxweight:
            postwriter._maxweight = heaviest
        if column is not None:
            known = [n for n in map(column.__getitem__, docnums[start:stop]) if n]
            if known:
                postwriter._minlength = min(known)
                postwriter._maxlength = max(known)


class _FieldLengths:
    """Each document's length in a field as the segment writer reads it back (None for a
    length byte of 0), a column at a time from the new segment's per-document reader."""

    def __init__(self, reader: W3PerDocReader | None) -> None:
        self._reader = reader
        self._columns: dict[str, list | None] = {}

    def column(self, fieldname: str) -> list | None:
        """The field's lengths by document number, or None where there are none (every
        length then reads as 0)."""
        if fieldname not in self._columns:
            codes = None if self._reader is None else length_codes(self._reader, fieldname)
            self._columns[fieldname] = (
                None if codes is None else [_LENGTH_OF_BYTE[code] for code in codes]
            )
        return self._columns[fieldname]
