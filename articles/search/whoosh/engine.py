"""Searching a Whoosh index with arrays: match sets, BM25 scores, sorting and facet counts.

Whoosh finds, scores and counts matches one document at a time in Python, through a chain
of matcher objects; at 100,000 articles a common word meant a few hundred thousand method
calls per query, twice (once to rank, once more to count facets). Here each term's
postings are read a whole block at a time into arrays, queries combine them with sorted
array operations, every match gets its BM25 score at once (over the default fields, BM25F:
one saturation of the fields' weighed frequencies), and facets are counted with one
`bincount` over codes read once per segment.

Query nodes this module does not know (Whoosh has many) are answered by Whoosh itself, so
any query the parser produces still works; they just take the slow path.
"""

from __future__ import annotations

import itertools
import random
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from math import log

import numpy as np
from whoosh import query as wq
from whoosh import scoring
from whoosh.fields import DATETIME, NUMERIC

from articles.search.limits import MAX_EXPANSION, MAX_QUERY_EXPANSION, Deadline, QueryTooCostly
from articles.search.nodes import NEARNESS_WEIGHT, NEARNESS_WINDOW, most_of
from articles.search.whoosh import arrays, internals
from articles.search.whoosh.analysis import (
    EXACT_FIELD,
    ExactPhrase,
    MostWords,
    spelling_forms,
    written,
)

# Whoosh's BM25F defaults.
B, K1 = 0.75, 1.2
# Words of a query standing near each other (`nodes.NEARNESS_WINDOW`) raise the scores of
# the best so many matches only.
NEARNESS_CANDIDATES = 100


def okapi_idf(documents: int, frequency: int) -> float:
    """A word's rarity as Okapi BM25 weighs it. Whoosh's `log(N/(df+1))+1` adds 1 to every
    word, so a word in half the articles still weighs 1.7 against a rare word's 8 at
    100,000 articles; Okapi's weighs it 0.7: rare words decide, as researchers mean them to."""
    return log(1 + (documents - frequency + 0.5) / (frequency + 0.5))


class OkapiBM25F(scoring.BM25F):
    """Whoosh's BM25F with Okapi's rarity (`okapi_idf`), for searchers the arrays answer
    for: Whoosh's own matchers (a query node the arrays leave to Whoosh) score alike."""

    def idf(self, searcher, fieldname, text):
        parent = searcher.get_parent()
        return okapi_idf(parent.doc_count_all(), parent.doc_frequency(fieldname, text))


EMPTY_DOCS = np.zeros(0, dtype=np.int64)
# A word's place in a document is kept with the document number as one integer key.
POSITION_BITS = 24
# A phrase's word is looked up in its positions summed up in a row where the documents
# still in question hold more than 1/SUMMED_SHARE of them; else in keys of theirs alone.
SUMMED_SHARE = 4
# Sorted values are found through a table by value (a byte or eight per possible value)
# where the largest value is at most DENSE_TABLE times the values looked up and among,
# and under TABLE_LIMIT; else by binary search.
DENSE_TABLE, TABLE_LIMIT = 64, 2**24
EMPTY_SCORES = np.zeros(0, dtype=np.float64)


@dataclass(frozen=True)
class Matches:
    """Matching document numbers (sorted, unique) and their scores, aligned. A whole
    query's matches (`ArraySearch.ranked`) also say which documents hold every word of its
    loose ANDs (`every_word`, aligned; None: all of them) and which hold at least most of
    them (`most_words`, aligned; the others hold some of them)."""

    docs: np.ndarray
    scores: np.ndarray
    every_word: np.ndarray | None = None
    most_words: np.ndarray | None = None

    def __len__(self) -> int:
        return len(self.docs)


NO_MATCHES = Matches(EMPTY_DOCS, EMPTY_SCORES)


# Per-segment arrays never change once a segment is written (deletions only hide documents,
# and deleted documents are never in a match set), so they are kept for every searcher and
# thread that opens the segment, keyed by its id.
_segment_cache: dict[tuple, np.ndarray | tuple] = {}
_segment_cache_lock = threading.Lock()
_SEGMENT_CACHE_LIMIT = 512


def _segment_cached(reader, name: tuple, build):
    key = (reader.segment().segment_id(), *name)
    value = _segment_cache.get(key)
    if value is None:
        value = build()
        with _segment_cache_lock:
            if len(_segment_cache) >= _SEGMENT_CACHE_LIMIT:
                _segment_cache.clear()
            _segment_cache[key] = value
    return value


class _PostingsCache:
    """Recently read postings and position lists (one term in one segment), within a byte
    budget shared by the threads of a process: the words people search for repeat, and
    reading a common word's postings is most of a query's cost. When full, an entry from
    the less recently used half goes, chosen at random."""

    def __init__(self, budget: int):
        self.budget, self.used = budget, 0
        self.entries: OrderedDict[tuple, tuple[np.ndarray, ...]] = OrderedDict()
        self.lock = threading.Lock()
        self._random = random.Random(0)

    def holds(self, key: tuple) -> bool:
        return key in self.entries

    def get(self, key: tuple, read) -> tuple[np.ndarray, ...]:
        with self.lock:
            found = self.entries.get(key)
            if found is not None:
                self.entries.move_to_end(key)
                return found
        found = read()
        self.put(key, found)
        return found

    def put(self, key: tuple, found: tuple[np.ndarray, ...]) -> None:
        size = sum(array.nbytes for array in found)
        with self.lock:
            if size <= self.budget and key not in self.entries:
                self.entries[key] = found
                self.used += size
                while self.used > self.budget:
                    # A random entry of the older half: under a repeating sequence of
                    # queries larger than the budget, least-recently-used eviction would
                    # drop each entry just before it is needed again, and hit nothing.
                    keys = list(itertools.islice(self.entries, max(1, len(self.entries) // 2)))
                    dropped = self.entries.pop(self._random.choice(keys))
                    self.used -= sum(array.nbytes for array in dropped)


POSTINGS_CACHE = _PostingsCache(budget=64 * 1024 * 1024)
# The key suffix of a term's positions in the cache, beside its postings.
_AT = ("positions",)


class RecentMatches:
    """The matches of the last few searches, each kept with the searcher it ran on: a
    results page asks its search twice (the page, then the first matches whose quotations
    name who said a quoted phrase), and an index change makes a new searcher."""

    def __init__(self, size: int):
        self.size = size
        self.entries: OrderedDict[tuple, tuple[object, Matches]] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, searcher, key: tuple, evaluate) -> Matches:
        with self.lock:
            found = self.entries.get(key)
            if found is not None and found[0] is searcher:
                self.entries.move_to_end(key)
                return found[1]
        matches = evaluate()
        with self.lock:
            self.entries[key] = (searcher, matches)
            self.entries.move_to_end(key)
            while len(self.entries) > self.size:
                self.entries.popitem(last=False)
        return matches


RECENT_MATCHES = RecentMatches(size=8)


def _leaves(searcher) -> list[tuple[object, int]]:
    """(segment reader, first document number) for each segment."""
    return [(sub.reader(), offset) for sub, offset in searcher.leaf_searchers()]


# Terms of a segment whose document counts are read at once and kept (about 80 bytes each:
# 2.8 MB for the 35,000 stems of 10,000 generated articles): beyond this, a segment's other
# terms are looked up one at a time.
SEGMENT_FREQUENCIES_KEPT = 200_000
_frequencies_lock = threading.Lock()


def doc_frequencies(searcher, fieldname: str) -> Callable[[str], int]:
    """A term's number of documents in a field, as Whoosh counts it (deleted documents
    included). Each segment's counts are read in one pass the first time and kept while
    the segment is in use: a segment never changes, so after an ingest only the new
    segment is read, where looking terms up one by one (two file probes each per segment)
    was most of the cost of weighing an article's related coverage on its first view."""
    to_bytes = searcher.schema[fieldname].to_bytes
    with _frequencies_lock:  # many threads meeting a new segment read it once
        tables = [
            (
                *_segment_cached(
                    reader,
                    ("doc_frequencies", fieldname),
                    lambda reader=reader: _segment_doc_frequencies(reader, fieldname),
                ),
                reader,
            )
            for reader, _ in _leaves(searcher)
        ]

    def frequency(term: str) -> int:
        btext = to_bytes(term)
        found = 0
        for counts, complete, reader in tables:
            count = counts.get(btext)
            if count is None and not complete:
                count = reader.doc_frequency(fieldname, btext)
            found += count or 0
        return found

    return frequency


def _segment_doc_frequencies(reader, fieldname: str) -> tuple[dict[bytes, int], bool]:
    """A segment's terms in a field with their document counts, and whether that is all of
    them (at most SEGMENT_FREQUENCIES_KEPT are kept)."""
    counts: dict[bytes, int] = {}
    if fieldname not in reader.indexed_field_names():
        return counts, True
    for btext, info in reader.iter_field(fieldname):
        if len(counts) >= SEGMENT_FREQUENCIES_KEPT:
            return counts, False
        counts[btext] = info.doc_frequency()
    return counts, True


def warm_commonest_words(searcher, fieldnames, *, share: float, seconds: float) -> int:
    """Read the postings of the index's commonest words in `fieldnames`, commonest first,
    until they fill `share` of the postings cache or `seconds` have passed; returns how
    many words were read. A word costs its number of documents to read, so the commonest
    are the reads a reader's first searches would wait longest for, and the words that
    searches hold most often: the rare words left to read cold are cheap."""
    started = time.perf_counter()
    every = _leaves(searcher) if searcher.doc_count_all() else []
    # A segment with postings arrays has no postings to read ahead; its words' document
    # counts (which rank related coverage) are read all the same.
    leaves = [(reader, offset) for reader, offset in every if _segment_arrays(reader) is None]
    counts: dict[tuple[str, bytes], int] = {}
    for fieldname in fieldnames:
        for reader, _ in every:
            table, _complete = _segment_cached(
                reader,
                ("doc_frequencies", fieldname),
                lambda reader=reader, f=fieldname: _segment_doc_frequencies(reader, f),
            )
            for btext, count in table.items() if leaves else ():
                counts[fieldname, btext] = counts.get((fieldname, btext), 0) + count
    read = 0
    for fieldname, btext in sorted(counts, key=counts.__getitem__, reverse=True):
        if POSTINGS_CACHE.used >= share * POSTINGS_CACHE.budget:
            break
        if time.perf_counter() - started > seconds:
            break
        for reader, _ in leaves:
            if (fieldname, btext) in reader:
                _live_postings(reader, fieldname, btext)
        read += 1
    return read


def _segment_arrays(reader) -> arrays.SegmentArrays | None:
    """The segment's postings arrays, when it was written with them."""
    found = _segment_cached(
        reader, ("arrays",), lambda: arrays.open_arrays(internals.arrays_path(reader)) or False
    )
    return found or None


def _term_arrays(reader, fieldname: str, btext: bytes) -> arrays.TermArrays | None:
    found = _segment_arrays(reader)
    return None if found is None else found.term(fieldname, btext)


def _doc_frequency(reader, fieldname: str, btext: bytes) -> int:
    """How many of a segment's documents hold a term, deleted ones included: from its
    arrays' table of terms, which is in memory, where it can say; else from Whoosh's terms
    file, a hashed look-up of several reads (11 segments and 25 words, as an article's
    related coverage asks, made a thousand such reads)."""
    found = _segment_arrays(reader)
    if found is not None and found.knows(fieldname, btext):
        return found.doc_frequency(fieldname, btext)
    return reader.doc_frequency(fieldname, btext)


def _live_postings(
    reader, fieldname: str, btext: bytes, *, positions: bool = False
) -> tuple[np.ndarray, np.ndarray]:
    """A term's postings in one segment without its deleted documents: a slice of the
    segment's arrays, or else read from Whoosh's blocks and cached raw (a segment's
    deletions change while its postings never do). With `positions`, a term read from the
    blocks keeps its positions too (`_term_positions`), read from the same blocks."""
    found = _term_arrays(reader, fieldname, btext)
    if found is not None:
        docs, weights = _without_deleted(reader, found.docs, found.weights)
        return docs.astype(np.int64), weights.astype(np.float64)
    key = (reader.segment().segment_id(), fieldname, btext)
    if positions and not POSTINGS_CACHE.holds(key) and not POSTINGS_CACHE.holds(key + _AT):
        docs, weights, counts, deltas = internals.postings_and_positions(
            reader.postings(fieldname, btext)
        )
        POSTINGS_CACHE.put(key, _packed_postings(docs, weights))
        POSTINGS_CACHE.put(key + _AT, _kept_positions(docs, weights, counts, deltas))
    read = internals.block_postings
    docs, weights = _unpacked_postings(
        POSTINGS_CACHE.get(key, lambda: _packed_postings(*read(reader.postings(fieldname, btext))))
    )
    docs, weights = _without_deleted(reader, docs, weights)
    return docs.astype(np.int64), weights.astype(np.float64)


def _without_deleted(reader, docs: np.ndarray, *aligned: np.ndarray) -> tuple[np.ndarray, ...]:
    """A segment's documents, and the arrays aligned with them, without its deleted ones."""
    if not reader.has_deletions():
        return (docs, *aligned)
    keep = ~np.isin(docs, internals.deleted_docs(reader))
    return (docs[keep], *(values[keep] for values in aligned))


def packed_keys(keys: np.ndarray) -> tuple[np.ndarray, ...]:
    """Sorted 32-bit keys as the cache keeps them: the first key and 8- or 16-bit steps
    when every step fits (a word in most articles: "the" takes 11 MB at 100,000 articles,
    not 22, and a common word's documents one byte each, so the cache holds more of the
    common words searches read), or the keys."""
    if len(keys) > 1:
        widest = int(np.diff(keys).max())
        for steps in (np.uint8, np.uint16):
            if widest <= np.iinfo(steps).max:
                return keys[:1], np.diff(keys).astype(steps)
    return (keys,)


def unpacked_keys(packed: tuple[np.ndarray, ...]) -> np.ndarray:
    """The keys `packed_keys` packed."""
    if len(packed) == 1:
        return packed[0]
    first, steps = packed
    keys = np.empty(len(steps) + 1, dtype=np.uint32)
    keys[0] = first[0]
    np.cumsum(steps, dtype=np.uint32, out=keys[1:])
    keys[1:] += np.uint32(first[0])
    return keys


def _packed_postings(docs: np.ndarray, weights: np.ndarray) -> tuple[np.ndarray, ...]:
    """A term's postings as the cache keeps them: the documents as `packed_keys`, the
    weights (occurrences times the field's boost: small whole numbers) as bytes when
    they are: two or three bytes a posting rather than eight."""
    if len(weights) and weights.max() <= 255 and (weights == np.round(weights)).all():
        weights = weights.astype(np.uint8)
    return (*packed_keys(docs), weights)


def _unpacked_postings(packed: tuple[np.ndarray, ...]) -> tuple[np.ndarray, np.ndarray]:
    return unpacked_keys(packed[:-1]), packed[-1]


def _term_positions(reader, fieldname: str, btext: bytes) -> arrays.TermArrays | None:
    """A term's postings with their positions in one segment, deleted documents included:
    slices of the segment's arrays, or else read from Whoosh's blocks and kept in the
    postings cache (None when the segment does not hold the term)."""
    found = _term_arrays(reader, fieldname, btext)
    if found is not None and found.counts is not None:
        return found
    if (fieldname, btext) not in reader:
        return None
    key = (reader.segment().segment_id(), fieldname, btext, *_AT)
    read = internals.postings_and_positions
    docs, counts, deltas = POSTINGS_CACHE.get(
        key, lambda: _kept_positions(*read(reader.postings(fieldname, btext)))
    )
    return arrays.TermArrays(docs, EMPTY_SCORES, counts, deltas)


def _kept_positions(docs, _weights, counts, deltas) -> tuple[np.ndarray, ...]:
    """A term's documents, position counts and deltas as the cache keeps them: each in the
    narrowest unsigned integers that hold it (most deltas fit 16 bits, not 64)."""
    return tuple(_narrowest(np.asarray(part)) for part in (docs, counts, deltas))


def _narrowest(values: np.ndarray) -> np.ndarray:
    widest = int(values.max()) if len(values) else 0
    for kind in (np.uint8, np.uint16, np.uint32):
        if widest <= np.iinfo(kind).max:
            return values.astype(kind)
    return values.astype(np.int64)


def _position_keys(term: arrays.TermArrays, docs: np.ndarray | None = None) -> np.ndarray:
    """Every (document, position) of a term in one segment, as keys `document <<
    POSITION_BITS | position` (sorted), in `docs` only (sorted, each holding the term) or
    in all its documents: only the chosen documents' position deltas are read, so the
    positions of "the" in the few documents a rare word shares with it cost that few."""
    counts = term.counts.astype(np.int64)
    if docs is None or len(docs) == len(term.docs):
        docs, deltas = term.docs, term.deltas.astype(np.int64)
    else:
        where = _places(term.docs, docs)
        firsts = (np.cumsum(counts) - counts)[where]
        counts = counts[where]
        # Each chosen delta's place among the term's: its document's first, then one by one.
        into = np.cumsum(counts) - counts
        index = np.repeat(firsts - into, counts) + np.arange(int(counts.sum()))
        deltas = term.deltas[index].astype(np.int64)
    if not len(deltas):
        return EMPTY_DOCS
    running = np.cumsum(deltas)
    starts = np.cumsum(counts) - counts
    positions = running - np.repeat(running[starts] - deltas[starts], counts)
    return (np.repeat(docs.astype(np.int64), counts) << POSITION_BITS) | positions


def _some_positions(reader, fieldname: str, btext: bytes, docs: np.ndarray) -> np.ndarray:
    """`_position_keys` of a term in a few of a segment's documents (sorted; those without
    the term are left out): from the segment's arrays or the positions kept with the
    term's postings when it was read (for the nearness boost, `ArraySearch._frequencies`),
    or else read from the blocks that hold these documents alone and not kept."""
    key = (reader.segment().segment_id(), fieldname, btext, *_AT)
    if _segment_arrays(reader) is not None or POSTINGS_CACHE.holds(key):
        term = _term_positions(reader, fieldname, btext)
        return _position_keys(term, _sorted_common(docs, term.docs.astype(np.int64)))
    found, _, counts, deltas = internals.postings_and_positions_of(
        reader.postings(fieldname, btext), docs
    )
    return _position_keys(arrays.TermArrays(found, EMPTY_SCORES, counts, deltas))


def _sorted_unique(values: np.ndarray) -> np.ndarray:
    """A sorted array without its repeats (`np.unique` hashes, or sorts again)."""
    if len(values) < 2:
        return values
    keep = np.empty(len(values), dtype=bool)
    keep[0] = True
    np.not_equal(values[1:], values[:-1], out=keep[1:])
    return values[keep]


def _places(ordered: np.ndarray, values: np.ndarray) -> np.ndarray:
    """For each value, its index in `ordered` (sorted, distinct, not negative) where it is
    there, else an index holding another value: the caller compares. By a table of
    `ordered`'s values where they are dense enough (a segment's documents): binary search
    of ten thousand documents among ten thousand is mostly waiting on memory."""
    if not len(ordered):
        raise ValueError("nothing to find values in")
    top = int(ordered[-1])
    if not _dense(top, ordered, values):
        return np.minimum(np.searchsorted(ordered, values), len(ordered) - 1)
    table = np.zeros(top + 1, dtype=np.int64)
    table[ordered] = np.arange(len(ordered))
    return table[np.minimum(values, top)]


def _dense(top: int, ordered: np.ndarray, values: np.ndarray) -> bool:
    return top < TABLE_LIMIT and top <= DENSE_TABLE * (len(ordered) + len(values))


def phrase_docs(reader, fieldname: str, btexts: list[tuple[bytes, ...]]) -> np.ndarray:
    """The documents of one segment (deleted ones left out) where the words stand next
    to each other in this order (each word given as its forms: any of them will do).

    The documents holding every word come first, from the postings alone. In those, the
    positions of the word with the fewest give where the phrase may start; each other
    word, the rarer first, keeps the starts where it stands at its place in the phrase,
    looked up in its position lists. Only the rarest word's positions become keys: a
    phrase with "the" looks up a few places among its five million positions at 100,000
    articles, where intersecting every word's keys sorted all of them.
    """
    words = []
    for place, forms in enumerate(btexts):
        found = (_term_positions(reader, fieldname, btext) for btext in forms)
        terms = [term for term in found if term is not None]
        if not terms:
            return EMPTY_DOCS
        words.append((place, terms))
    held = np.zeros(reader.doc_count_all(), dtype=np.int32)
    for _, terms in words:
        holds = np.zeros(len(held), dtype=bool)
        for term in terms:
            holds[term.docs] = True
        held += holds
    (candidates,) = _without_deleted(reader, np.flatnonzero(held == len(words)))
    if not len(candidates):
        return EMPTY_DOCS
    words.sort(key=lambda word: sum(len(term.deltas) for term in word[1]))
    place, terms = words[0]
    keys = np.concatenate(
        [
            _position_keys(term, _sorted_common(candidates, term.docs.astype(np.int64)))
            for term in terms
        ]
    )
    if len(terms) > 1:
        keys.sort()
    docs, starts = keys >> POSITION_BITS, (keys & (2**POSITION_BITS - 1)) - place
    docs, starts = docs[starts >= 0], starts[starts >= 0]
    for place, terms in words[1:]:
        stands = np.zeros(len(docs), dtype=bool)
        for term in terms:
            stands |= _stands_at(term, docs, starts + place)
        docs, starts = docs[stands], starts[stands]
    return _sorted_unique(docs)


def _stands_at(term: arrays.TermArrays, docs: np.ndarray, places: np.ndarray) -> np.ndarray:
    """Whether the term stands at each (document, place) of one segment (`docs` sorted).
    Where the documents hold few of the term's positions, those alone become keys, looked
    up. Where they hold most, no key is made for the positions of "the" in every document:
    its position deltas summed up in a row rise from one document to the next, so that a
    place in a document is one value to look up, offset by what the documents before it
    add up to."""
    if not len(term.deltas) or not len(docs):
        return np.zeros(len(docs), dtype=bool)
    owners = _sorted_unique(docs)
    where = _places(term.docs, owners)
    held = term.docs[where] == owners
    counts = term.counts.astype(np.int64)
    if counts[where[held]].sum() * SUMMED_SHARE < len(term.deltas):
        keys = _position_keys(term, owners[held])
        return _holds(keys, (docs << POSITION_BITS) | places)
    ends = np.cumsum(counts)[where]
    firsts = np.minimum(ends - counts[where], len(term.deltas) - 1)
    held &= ends > firsts
    running = np.cumsum(term.deltas, dtype=np.int64)
    # A document's place 0 and its last position of the term, as values summed up. The
    # document before ends on its place 0's value: place 0 is its first delta's being 0.
    runs = np.diff(np.append(np.flatnonzero(np.diff(docs)) + 1, len(docs)), prepend=0)
    zero = np.repeat(running[firsts] - term.deltas[firsts], runs)
    last = np.repeat(running[np.maximum(ends - 1, 0)], runs)
    wanted = zero + places
    at_zero = np.repeat(term.deltas[firsts] == 0, runs)
    stands = np.where(places == 0, at_zero, _holds(running, wanted))
    return np.repeat(held, runs) & (wanted <= last) & stands


def _holds(ordered: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Whether each value is in `ordered` (sorted, not negative): by a table of its values
    where they are dense enough, else by binary search."""
    if not len(ordered):
        return np.zeros(len(values), dtype=bool)
    top = int(ordered[-1])
    if not _dense(top, ordered, values):
        found = np.minimum(np.searchsorted(ordered, values), len(ordered) - 1)
        return ordered[found] == values
    table = np.zeros(top + 1, dtype=bool)
    table[ordered] = True
    return table[np.minimum(values, top)] & (values <= top)


def _any_of(reader, fieldname: str, btexts: list, deadline: Deadline | None) -> np.ndarray:
    """The documents of one segment holding any of the words, deleted ones left out. The
    union is cached, not each word's postings: a prefix or fuzzy word asked again reads one
    array rather than the postings of its hundreds of words, which would also crowd out of
    the cache the common words every search needs."""

    def read() -> tuple[np.ndarray]:
        parts = []
        for btext in btexts:
            if deadline is not None:
                deadline.check()
            found = _term_arrays(reader, fieldname, btext)
            if found is not None:
                parts.append(found.docs)
            elif (fieldname, btext) in reader:  # a fuzzy or stemmed word may not be
                parts.append(internals.block_postings(reader.postings(fieldname, btext))[0])
        return (np.unique(np.concatenate(parts)) if parts else np.zeros(0, dtype=np.int32),)

    key = (reader.segment().segment_id(), fieldname, "any of", tuple(btexts))
    (docs,) = _without_deleted(reader, *POSTINGS_CACHE.get(key, read))
    return docs.astype(np.int64)


def _field_lengths(reader, fieldname: str) -> np.ndarray:
    """Each document's length in a field, as Whoosh stores it (one byte, logarithmic)."""
    return _segment_cached(
        reader, ("lengths", fieldname), lambda: internals.field_lengths(reader, fieldname)
    )


class ArraySearch:
    """Evaluates a parsed query over one searcher (the index as it stands)."""

    def __init__(self, searcher, deadline: Deadline | None = None):
        self.searcher = searcher
        self.leaves = _leaves(searcher)
        self.doc_count = searcher.doc_count_all()
        self.deadline = deadline
        # Index words the query's expanding words have stood for so far: a word counts once
        # whichever of the default fields (text, title, other text) it was found in, so a
        # field added to the defaults does not shrink what a reader's prefix may cover.
        self.expanded: set[bytes] = set()
        self._exact: dict[tuple[str, ...], Matches] = {}
        self._expansions: dict[int, tuple] = {}
        self._counted = False
        # Documents a loose AND let in without every word, and those without most words.
        self._partial: list[np.ndarray] = []
        self._fewer: list[np.ndarray] = []
        # Terms whose positions the nearness boost will read: (field name, text).
        self._positions_wanted: set[tuple[str, object]] = set()

    # Terms

    def term(self, fieldname: str, text, boost: float = 1.0, *, scored: bool = True) -> Matches:
        field = self.searcher.schema[fieldname]
        btext = field.to_bytes(text) if not isinstance(text, bytes) else text
        if not (scored and field.scorable):
            docs = self._postings(fieldname, btext)
            return Matches(docs, np.zeros(len(docs))) if len(docs) else NO_MATCHES
        docs, frequencies = self._frequencies(fieldname, btext, as_indexed=True)
        if not len(docs):
            return NO_MATCHES
        held = sum(_doc_frequency(reader, fieldname, btext) for reader, _ in self.leaves)
        idf = okapi_idf(self.doc_count, held)
        return Matches(docs, self._saturated(idf, frequencies) * boost)

    def fielded_word(self, node: wq.Or) -> Matches:
        """One word over several fields, each at its weight (the terms' boosts), scored as
        BM25F (Robertson, Zaragoza and Taylor, 2004): each field's occurrences, normalised
        by that field's length and weighed, add up to one frequency that saturates once,
        with the word's rarity over the documents holding it in any field. Scoring each
        field on its own and adding them up counts a word again in every field it stands
        in: a title word, which the body holds too, weighed as two or three words of
        distinct meaning, and a word found in both outranked a rarer word found once."""
        docs, frequencies = [], []
        for sub in node.subqueries:
            found, weighed = self._frequencies(sub.fieldname, sub.text)
            docs.append(found)
            frequencies.append(weighed * sub.boost)
        merged = union([Matches(d, f) for d, f in zip(docs, frequencies, strict=True)])
        if not len(merged):
            return NO_MATCHES
        idf = okapi_idf(self.doc_count, len(merged))
        return Matches(merged.docs, self._saturated(idf, merged.scores) * node.boost)

    def _postings(self, fieldname: str, btext: bytes) -> np.ndarray:
        """The documents holding a term, deleted ones left out."""
        parts = [
            _live_postings(reader, fieldname, btext)[0] + offset
            for reader, offset in self.leaves
            if _doc_frequency(reader, fieldname, btext)
        ]
        return np.concatenate(parts) if parts else EMPTY_DOCS

    def _frequencies(
        self, fieldname: str, text, *, as_indexed: bool = False
    ) -> tuple[np.ndarray, np.ndarray]:
        """The documents holding a term and its frequency in each, divided by the field's
        length normalisation `(1 - B) + B * length / average length` (BM25's). The postings
        hold a frequency times the field's index-time boost: across fields that is taken
        out, so the fields' weights are set in one place, at query time
        (`analysis.DEFAULT_FIELDS`); a word asked of one field is scored `as_indexed`, as
        Whoosh scores it."""
        field = self.searcher.schema[fieldname]
        btext = field.to_bytes(text) if not isinstance(text, bytes) else text
        boost = 1.0 if as_indexed else getattr(field.format, "field_boost", 1.0) or 1.0
        average = self.searcher.field_length(fieldname) / max(self.doc_count, 1) or 1.0
        positions = (fieldname, text) in self._positions_wanted
        doc_parts, frequency_parts = [], []
        for reader, offset in self.leaves:
            if not _doc_frequency(reader, fieldname, btext):
                continue
            docs, weights = _live_postings(reader, fieldname, btext, positions=positions)
            lengths = _field_lengths(reader, fieldname)[docs]
            doc_parts.append(docs + offset)
            frequency_parts.append(weights / boost / ((1 - B) + B * lengths / average))
        if not doc_parts:
            return EMPTY_DOCS, EMPTY_SCORES
        return np.concatenate(doc_parts), np.concatenate(frequency_parts)

    @staticmethod
    def _saturated(idf: float, frequencies: np.ndarray) -> np.ndarray:
        """BM25's score of length-normalised frequencies: rising with each occurrence,
        towards `idf * (K1 + 1)`."""
        return idf * frequencies * (K1 + 1) / (frequencies + K1)

    # Combinations

    def ranked(self, node: wq.Query) -> Matches:
        """A whole query's matches, saying which hold every word of its loose ANDs."""
        found = self.evaluate(node)
        if not self._partial:
            return found
        partial = np.unique(np.concatenate(self._partial))
        fewer = np.unique(np.concatenate(self._fewer))
        every = ~np.isin(found.docs, partial, assume_unique=True)
        most = ~np.isin(found.docs, fewer, assume_unique=True)
        return Matches(found.docs, found.scores, every, most)

    def most_words(self, node: MostWords) -> Matches:
        """Words written side by side, in three groups, each ranked above the next whatever
        the scores: documents holding every word, then those holding most of them
        (`most_of`), then those holding any of them. No document holding a query word is
        left out: below the first two groups it still ranks above the documents that
        hold none, as plain BM25 ranks it (a report that names the rare word of a query
        but not its common ones is often the one meant)."""
        terms = self._nearness_terms(node)
        if len(terms) > 1:  # read with their postings
            self._positions_wanted |= {(t.fieldname, t.text) for t in terms}
        parts = [self.evaluate(sub) for sub in node.subqueries]
        found = union(parts)
        if len(parts) < 2 or not len(found):
            return found
        held = np.zeros(int(found.docs[-1]) + 1, dtype=np.int32)
        for part in parts:
            held[part.docs] += 1
        held = held[found.docs]
        every = held == len(parts)
        most = held >= most_of(len(parts))
        docs, scores = found.docs, found.scores * node.boost
        scores = self._nearness_raised(node, docs, scores)
        for upper in (most, every):
            if upper.any() and not upper.all():
                scores = scores + upper * max(0.0, scores[~upper].max() - scores[upper].min() + 1)
        if every.all():
            return Matches(docs, scores)
        self._partial.append(docs[~every])
        self._fewer.append(docs[~most])
        return Matches(docs, scores)

    def _nearness_raised(self, node: MostWords, docs: np.ndarray, scores: np.ndarray):
        """Scores raised for documents where the query's words stand near each other: by
        up to NEARNESS_WEIGHT, for the share of the word pairs found within NEARNESS_WINDOW
        words, read from the positions phrases use, for the best PROXIMITY_CANDIDATES only."""
        terms = self._nearness_terms(node)
        if len(terms) < 2 or not len(docs):
            return scores
        best = np.sort(np.argsort(-scores, kind="stable")[:NEARNESS_CANDIDATES])
        near = self._near_pairs([(t.fieldname, t.text) for t in terms], docs[best])
        pairs = len(terms) * (len(terms) - 1) / 2
        scores = scores.copy()
        scores[best] *= 1.0 + NEARNESS_WEIGHT * near / pairs
        return scores

    @staticmethod
    def _nearness_terms(node: MostWords) -> list[wq.Term]:
        """The term of each word whose positions the nearness boost reads."""
        terms = []
        for sub in node.subqueries:
            first = next((leaf for leaf in sub.leaves() if isinstance(leaf, wq.Term)), None)
            if isinstance(sub, wq.Term):
                first = sub
            if first is not None:
                terms.append(first)
        return terms

    def _near_pairs(self, terms: list[tuple[str, object]], docs: np.ndarray) -> np.ndarray:
        """For each of `docs` (sorted), how many pairs of the terms occur within
        NEARNESS_WINDOW positions of each other."""
        owners, places, words = [], [], []
        for reader, offset in self.leaves:
            mine = docs[(docs >= offset) & (docs < offset + reader.doc_count_all())] - offset
            if not len(mine):
                continue
            for number, (fieldname, text) in enumerate(terms):
                btext = (
                    self.searcher.schema[fieldname].to_bytes(text)
                    if not isinstance(text, bytes)
                    else text
                )
                if not _doc_frequency(reader, fieldname, btext):
                    continue
                keys = _some_positions(reader, fieldname, btext, mine)
                if not len(keys):
                    continue
                owners.append((keys >> POSITION_BITS) + offset)
                places.append(keys & (2**POSITION_BITS - 1))
                words.append(np.full(len(keys), number))
        near = np.zeros(len(docs))
        if not owners:
            return near
        owner, place, word = (np.concatenate(part) for part in (owners, places, words))
        order = np.lexsort((place, owner))
        owner, place, word = owner[order], place[order], word[order]
        close = (
            (owner[1:] == owner[:-1])
            & (word[1:] != word[:-1])
            & (place[1:] - place[:-1] <= NEARNESS_WINDOW)
        )
        low = np.minimum(word[1:], word[:-1])[close]
        high = np.maximum(word[1:], word[:-1])[close]
        found = np.unique(np.stack([owner[1:][close], low * len(terms) + high]), axis=1)
        counted = np.bincount(np.searchsorted(docs, found[0]), minlength=len(docs))
        return counted.astype(np.float64)

    def evaluate(self, node: wq.Query) -> Matches:
        """The documents matching `node`, with scores."""
        if self.deadline is not None:
            self.deadline.check()
        if not self._counted:  # the query as a whole, before anything is read
            self._counted = True
            self._count_expansions(node)
        if isinstance(node, wq.Term):
            return self.term(node.fieldname, node.text, node.boost)
        if isinstance(node, wq.And):
            return self._all_of(node.subqueries)
        if isinstance(node, MostWords):
            return self.most_words(node)
        if is_fielded_word(node):
            return self.fielded_word(node)
        if isinstance(node, wq.Or) and not getattr(node, "minmatch", 0):
            return union([self.evaluate(sub) for sub in node.subqueries])
        if isinstance(node, wq.AndNot):
            return minus(self.evaluate(node.a), self.evaluate(node.b).docs)
        if isinstance(node, wq.Not):
            return minus(self.every(), self.evaluate(node.query).docs)
        if isinstance(node, wq.Every):
            return self.every()
        if node is wq.NullQuery or isinstance(node, type(wq.NullQuery)):
            return NO_MATCHES
        if isinstance(node, ExactPhrase):
            return self.exact_phrase(node)
        if isinstance(node, wq.Phrase):
            return self.phrase(node)
        if isinstance(node, wq.MultiTerm):
            return self._expanded(node)
        if isinstance(node, wq.ConstantScoreQuery):
            found = self.evaluate(node.child)
            return Matches(found.docs, np.full(len(found), node.score))
        if isinstance(node, wq.NumericRange):
            field = self.searcher.schema[node.fieldname]
            if isinstance(field, DATETIME) and field.column_type is not None:
                return self.date_range(node)
            return self.evaluate(node.simplify(self.searcher.reader()))
        return self._by_whoosh(node)

    def _all_of(self, subqueries) -> Matches:
        positive = [sub for sub in subqueries if not isinstance(sub, wq.Not)]
        negative = [sub.query for sub in subqueries if isinstance(sub, wq.Not)]
        if not positive:
            positive = [wq.Every()]
        result = intersection([self.evaluate(sub) for sub in positive])
        for sub in negative:
            if len(result) == 0:
                break
            result = minus(result, self.evaluate(sub).docs)
        return result

    def _count_expansions(self, root: wq.Query) -> None:
        """List what every expanding word of the query stands for before any postings are
        read: a query over its budget is refused at the cost of listing words only."""
        for leaf in root.leaves():
            if isinstance(leaf, wq.MultiTerm):
                self._expansion(leaf)

    def _expansion(self, node: wq.MultiTerm) -> tuple[list[tuple], set]:
        """(reader, offset, words) per segment and the distinct words an expanding word
        stands for, counted against the word's and the query's budget (once per node)."""
        found = self._expansions.get(id(node))
        if found is not None:
            return found[1]
        # Each segment's own words, so no segment is asked for words it does not hold.
        by_segment, distinct = [], set()
        for reader, offset in self.leaves:
            btexts = list(itertools.islice(internals.expansion(node, reader), MAX_EXPANSION + 1))
            distinct.update(btexts)
            if len(distinct) > MAX_EXPANSION:
                raise QueryTooCostly(
                    f"“{written(node)}” stands for more than {MAX_EXPANSION:,} words of the "
                    "index; make it narrower (more letters before * or ?, or fewer edits "
                    "after ~)."
                )
            by_segment.append((reader, offset, btexts))
        self.expanded |= distinct
        if len(self.expanded) > MAX_QUERY_EXPANSION:
            raise QueryTooCostly(
                "Together, the words with *, ? or ~ in this query stand for more than "
                f"{MAX_QUERY_EXPANSION:,} words of the index; use fewer or narrower ones."
            )
        self._expansions[id(node)] = (node, (by_segment, distinct))
        return by_segment, distinct

    def _expanded(self, node: wq.MultiTerm) -> Matches:
        """A prefix, wildcard or fuzzy term: every indexed term it stands for, scored as
        Whoosh scores them (a constant, unless the query says otherwise)."""
        fieldname = node.field()
        by_segment, distinct = self._expansion(node)
        if not getattr(node, "constantscore", False):
            return union([self.term(fieldname, btext, node.boost) for btext in sorted(distinct)])
        parts = [
            _any_of(reader, fieldname, btexts, self.deadline) + offset
            for reader, offset, btexts in by_segment
        ]
        docs = np.concatenate(parts) if parts else EMPTY_DOCS
        return Matches(docs, np.full(len(docs), node.boost))

    def every(self) -> Matches:
        docs = np.flatnonzero(live_documents(self.searcher))
        return Matches(docs, np.ones(len(docs)))

    def date_range(self, node: wq.NumericRange) -> Matches:
        """A date range from the field's column, compared as Whoosh stores dates: Whoosh
        itself would look up a few hundred terms of its numeric tiers."""
        values = raw_column(self.searcher, node.fieldname)
        inside = live_documents(self.searcher) & (values != NO_DATE)
        if node.start is not None:
            inside &= values > node.start if node.startexcl else values >= node.start
        if node.end is not None:
            inside &= values < node.end if node.endexcl else values <= node.end
        docs = np.flatnonzero(inside)
        return Matches(docs, np.full(len(docs), node.boost))

    def phrase(self, node: wq.Phrase) -> Matches:
        """Documents where the words stand next to each other, in order.

        Each word's positions are keys `document, position`; shifting the i-th word's keys
        back by i and intersecting them leaves where the phrase starts. Words with gaps
        allowed between them (slop) go to Whoosh's phrase matcher instead.
        """
        words = [wq.Term(node.fieldname, word) for word in node.words]
        candidates = intersection([self.evaluate(word) for word in words])
        if len(candidates) == 0 or len(words) < 2:
            return candidates
        if node.slop != 1:
            confirmed = self._by_whoosh(node, within=candidates.docs)
        else:
            confirmed = self._phrase_starts(node.fieldname, [w.text for w in words], candidates)
        keep = np.isin(candidates.docs, confirmed.docs, assume_unique=True)
        return Matches(candidates.docs[keep], candidates.scores[keep] * node.boost)

    def exact_phrase(self, node: ExactPhrase) -> Matches:
        """Documents holding exactly these words in this order, scored by the phrase's stems
        in the node's field. A phrase of stop words alone ("to be or not to be") has no
        stems: its matches score alike."""
        if EXACT_FIELD not in self.searcher.schema:  # an index built before the field
            return self.phrase(wq.Phrase(node.fieldname, list(node.stems), boost=node.boost))
        if node.stems:
            stems = [self.term(node.fieldname, stem, node.boost) for stem in node.stems]
            candidates = intersection(stems)
        else:
            candidates = self.every()
        if len(candidates) == 0:
            return NO_MATCHES
        # The phrase is asked of the title and the text alike: its documents are found once.
        words = tuple(node.words)
        exact = self._exact.get(words)
        if exact is None:
            forms = spelling_forms(words)
            if len(words) == 1:
                exact = union([self.term(EXACT_FIELD, form, scored=False) for form in forms[0]])
            else:
                exact = self._phrase_starts(EXACT_FIELD, forms)
            self._exact[words] = exact
        keep = np.isin(candidates.docs, exact.docs, assume_unique=True)
        return Matches(candidates.docs[keep], candidates.scores[keep])

    def _phrase_starts(
        self, fieldname: str, texts: list, candidates: Matches | None = None
    ) -> Matches:
        """Documents holding the words as a phrase (a word may be a tuple of its forms), read
        only in segments where some `candidates` (documents holding every word) are."""
        field = self.searcher.schema[fieldname]
        btexts = [
            tuple(t if isinstance(t, bytes) else field.to_bytes(t) for t in forms)
            for forms in (text if isinstance(text, tuple) else (text,) for text in texts)
        ]
        parts = []
        for reader, offset in self.leaves:
            if candidates is not None:
                ends = np.searchsorted(candidates.docs, [offset, offset + reader.doc_count_all()])
                if ends[0] == ends[1]:
                    continue
            if self.deadline is not None:
                self.deadline.check()
            parts.append(phrase_docs(reader, fieldname, btexts) + offset)
        docs = np.concatenate(parts) if parts else EMPTY_DOCS
        return Matches(docs, EMPTY_SCORES)

    def _by_whoosh(self, node: wq.Query, within: np.ndarray | None = None) -> Matches:
        """Whoosh's own matcher for a node, stepped only to the candidate documents."""
        docs = []
        for sub, offset in self.searcher.leaf_searchers():
            matcher = node.matcher(sub)
            if within is None:
                docs.extend(offset + n for n in matcher.all_ids())
                continue
            mine = within[(within >= offset) & (within < offset + sub.doc_count_all())] - offset
            for target in mine.tolist():
                if self.deadline is not None:
                    self.deadline.check()
                if not matcher.is_active():
                    break
                matcher.skip_to(target)
                if matcher.is_active() and matcher.id() == target:
                    docs.append(offset + target)
        found = np.unique(np.array(docs, dtype=np.int64))
        return Matches(found, np.full(len(found), getattr(node, "boost", 1.0)))


def is_fielded_word(node: wq.Query) -> bool:
    """An OR of one word over several fields (what a word written without a field
    becomes: `analysis.DEFAULT_FIELDS`), each field scorable and named once."""
    if not isinstance(node, wq.Or) or getattr(node, "minmatch", 0) or len(node.subqueries) < 2:
        return False
    subs = node.subqueries
    return (
        all(type(sub) is wq.Term for sub in subs)
        and len({sub.text for sub in subs}) == 1
        and len({sub.fieldname for sub in subs}) == len(subs)
    )


def union(parts: list[Matches]) -> Matches:
    """Documents in any part; a document's scores add up. Every Matches keeps its
    documents sorted and unique, so parts add into arrays indexed by document number."""
    parts = [part for part in parts if len(part)]
    if len(parts) <= 1:
        return parts[0] if parts else NO_MATCHES
    size = max(int(part.docs[-1]) for part in parts) + 1
    total, present = np.zeros(size), np.zeros(size, dtype=bool)
    for part in parts:
        total[part.docs] += part.scores
        present[part.docs] = True
    docs = np.flatnonzero(present)
    return Matches(docs, total[docs])


def intersection(parts: list[Matches]) -> Matches:
    """Documents in every part; scores add up. The smallest part is looked up in the
    others (binary search), so a rare word makes the whole query cheap."""
    if not parts or any(len(part) == 0 for part in parts):
        return NO_MATCHES
    parts = sorted(parts, key=len)
    docs, scores = parts[0].docs, parts[0].scores
    for part in parts[1:]:
        where = np.searchsorted(part.docs, docs)
        where[where == len(part.docs)] = 0
        found = part.docs[where] == docs
        docs, scores = docs[found], scores[found] + part.scores[where[found]]
        if not len(docs):
            return NO_MATCHES
    return Matches(docs, scores)


def _sorted_common(small: np.ndarray, large: np.ndarray) -> np.ndarray:
    """Values in both sorted, unique arrays (`_places`): `np.intersect1d` hashes both
    arrays first, seconds for the million positions of a common word."""
    if len(small) > len(large):
        small, large = large, small
    if not len(small) or not len(large):
        return small[:0]
    return small[large[_places(large, small)] == small]


def minus(matches: Matches, excluded: np.ndarray) -> Matches:
    keep = ~np.isin(matches.docs, excluded)
    return Matches(matches.docs[keep], matches.scores[keep])


def top(matches: Matches, start: int, stop: int) -> tuple[np.ndarray, np.ndarray]:
    """Documents ranked start..stop by score (ties: lower document number first)."""
    count = len(matches)
    if start >= count or stop <= start:
        return EMPTY_DOCS, EMPTY_SCORES
    stop = min(stop, count)
    if stop < count:
        # Only the best `stop` need sorting: partition on the stop-th best score.
        cut = np.argpartition(-matches.scores, stop - 1)[:stop]
        threshold = matches.scores[cut].min()
        cut = np.flatnonzero(matches.scores >= threshold)
    else:
        cut = np.arange(count)
    order = cut[np.lexsort((matches.docs[cut], -matches.scores[cut]))][start:stop]
    return matches.docs[order], matches.scores[order]


def sorted_by(
    matches: Matches, keys: list[tuple[np.ndarray, bool]], start: int, stop: int
) -> tuple[np.ndarray, np.ndarray]:
    """Documents start..stop ordered by per-document keys, each (values, descending?), the
    first deciding first (ties: document number). Words side by side keep their groups
    (every word, most words, some words) in order: a date orders each group."""
    columns = [matches.docs]
    for values, descending in reversed(keys):
        picked = values[matches.docs]
        columns.append(-picked if descending else picked)
    if matches.every_word is not None and matches.most_words is not None:
        columns.append(-(matches.every_word.astype(np.int8) + matches.most_words))
    order = np.lexsort(columns)[start:stop]
    return matches.docs[order], matches.scores[order]


def sort_key(searcher, fieldname: str) -> np.ndarray:
    """A sortable field's order for every document: numbers as they are, text by its rank
    among the field's values (documents without a value first)."""
    field = searcher.schema[fieldname]
    if isinstance(field, DATETIME):
        return raw_column(searcher, fieldname)
    if isinstance(field, NUMERIC):
        return numeric_column(searcher, fieldname)
    codes, names = value_codes(searcher, fieldname)
    ranks = np.empty(len(names), dtype=np.int64)
    ranks[np.argsort(np.array(names, dtype=object))] = np.arange(len(names))
    return ranks[codes]


def term_order(searcher, fieldname: str) -> np.ndarray:
    """An indexed field with no sort column in the order of its terms, for every document:
    the rank of its first term (documents without one first), as Whoosh's own sorting
    reads such a field. One pass over the field's postings, kept for the index as it
    stands; a field sorted often should have a column (sortable=True)."""

    def build() -> np.ndarray:
        reader = searcher.reader()
        ranks = np.full(reader.doc_count_all(), -1, dtype=np.int64)
        for rank, term in enumerate(reader.lexicon(fieldname)):
            docs = np.fromiter(reader.postings(fieldname, term).all_ids(), dtype=np.int64)
            docs = docs[ranks[docs] < 0]
            ranks[docs] = rank
        return ranks

    return _searcher_cached(searcher, ("term-order", fieldname), build)


# Per-document values for sorting and facets, as arrays by document number. Each segment's
# values are read once; a searcher's arrays join its segments' (cached on the searcher).


# Arrays for a whole index (one per set of segments and deletions), shared by the threads
# of a process: each thread has its own searcher, but they see the same index.
_index_cache: OrderedDict[tuple, object] = OrderedDict()
_INDEX_CACHE_ENTRIES = 32


def index_cached(searcher, name: tuple, build):
    """A value kept for the index as it stands (its segments and deletions), shared by the
    threads of a process: built once by `build()`."""
    return _searcher_cached(searcher, name, build)


def _searcher_cached(searcher, name: tuple, build):
    signature = tuple(
        (reader.segment().segment_id(), reader.segment().deleted_count())
        for reader, _ in _leaves(searcher)
    )
    key = (signature, *name)
    with _segment_cache_lock:
        if key in _index_cache:
            _index_cache.move_to_end(key)
            return _index_cache[key]
    value = build()
    with _segment_cache_lock:
        _index_cache[key] = value
        while len(_index_cache) > _INDEX_CACHE_ENTRIES:
            _index_cache.popitem(last=False)
    return value


def numeric_column(searcher, fieldname: str, default: int = 0) -> np.ndarray:
    """A sortable NUMERIC field's value for every document."""
    return _column(searcher, fieldname, translate=True, dtype=np.int64, missing=default)


def _column(searcher, fieldname: str, *, translate: bool, dtype, missing) -> np.ndarray:
    """A column's values for every document: each segment's read once, then joined."""
    name = ("column", fieldname, translate, missing)

    def segment_values(reader) -> np.ndarray:
        def build() -> np.ndarray:
            count = reader.doc_count_all()
            if not reader.has_column(fieldname):
                return np.full(count, missing, dtype=dtype)
            column = reader.column_reader(fieldname, translate=translate)
            values = (missing if value is None else value for value in column)
            return np.fromiter(values, dtype=dtype, count=count)

        return _segment_cached(reader, name, build)

    return _searcher_cached(
        searcher, name, lambda: np.concatenate([segment_values(r) for r, _ in _leaves(searcher)])
    )


# What a DATETIME column holds for a document without a date (its unsigned 64-bit default).
NO_DATE = np.uint64(2**64 - 1)


def raw_column(searcher, fieldname: str) -> np.ndarray:
    """A numeric column as Whoosh stores it (unsigned 64-bit), for every document."""
    return _column(searcher, fieldname, translate=False, dtype=np.uint64, missing=NO_DATE)


def live_documents(searcher) -> np.ndarray:
    """True for every document that is not deleted."""

    def build() -> np.ndarray:
        live = np.ones(searcher.doc_count_all(), dtype=bool)
        for reader, offset in _leaves(searcher):
            if reader.has_deletions():
                live[internals.deleted_docs(reader).astype(np.int64) + offset] = False
        return live

    return _searcher_cached(searcher, ("live",), build)


def value_codes(searcher, fieldname: str) -> tuple[np.ndarray, list[str]]:
    """A single-valued facet field as (a code per document, the value of each code)."""

    def segment_codes(reader) -> tuple[np.ndarray, list[str]]:
        def build() -> tuple[np.ndarray, list[str]]:
            count = reader.doc_count_all()
            if not reader.has_column(fieldname):
                return np.zeros(count, dtype=np.int64), [""]
            values: dict[str, int] = {}
            column = reader.column_reader(fieldname, translate=True)
            codes = np.fromiter(
                (values.setdefault(v or "", len(values)) for v in column),
                dtype=np.int64,
                count=count,
            )
            return codes, list(values)

        return _segment_cached(reader, ("codes", fieldname), build)

    def build() -> tuple[np.ndarray, list[str]]:
        vocabulary: dict[str, int] = {}
        parts = []
        for reader, _ in _leaves(searcher):
            codes, names = segment_codes(reader)
            remap = np.array(
                [vocabulary.setdefault(name, len(vocabulary)) for name in names], dtype=np.int64
            )
            parts.append(remap[codes] if len(codes) else codes)
        return _joined(parts), list(vocabulary)

    return _searcher_cached(searcher, ("codes", fieldname), build)


def value_documents(searcher, fieldname: str) -> dict[str, np.ndarray]:
    """A multi-valued facet field as {value: its documents}."""

    def build() -> dict[str, np.ndarray]:
        found: dict[str, list[np.ndarray]] = {}
        for reader, offset in _leaves(searcher):
            if fieldname not in reader.schema:
                continue
            for btext in reader.lexicon(fieldname):
                docs, _ = _live_postings(reader, fieldname, btext)
                found.setdefault(btext.decode("utf-8"), []).append(docs + offset)
        return {value: np.concatenate(parts) for value, parts in found.items()}

    return _searcher_cached(searcher, ("documents", fieldname), build)


def count_values(searcher, fieldname: str, docs: np.ndarray, *, multivalued: bool):
    """(value, count) for a facet over the matched documents, most frequent first."""
    if multivalued:
        matched = np.zeros(searcher.doc_count_all(), dtype=bool)
        matched[docs] = True
        pairs = [
            (value, int(np.count_nonzero(matched[where])))
            for value, where in value_documents(searcher, fieldname).items()
        ]
    else:
        codes, names = value_codes(searcher, fieldname)
        counts = np.bincount(codes[docs], minlength=len(names))
        pairs = [(names[code], int(counts[code])) for code in np.flatnonzero(counts)]
    pairs = [(value, count) for value, count in pairs if count and value]
    return sorted(pairs, key=lambda item: (-item[1], item[0]))


def _joined(parts: list[np.ndarray]) -> np.ndarray:
    return np.concatenate(parts) if parts else EMPTY_DOCS
