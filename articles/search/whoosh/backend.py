"""Haystack's Whoosh backend for the archive: its search contract answered by the array engine,
and the index written in bulk.

- Facet fields are stored untokenised, so "RIA Novosti" counts as one value, not two stems.
- Text is analysed with British/American spelling pairs folded before stemming.
- Queries search the body and the title (boosted), so a title match ranks first.
- Writes are serialised across threads and processes, and retried on a held lock.
"""

from __future__ import annotations

import fcntl
import gc
import logging
import math
import multiprocessing
import os
import queue
import shutil
import threading
import time
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

import numpy as np
import whoosh.index
from dateutil.relativedelta import relativedelta
from django.conf import settings
from haystack import connections
from haystack.backends import log_query
from haystack.backends.whoosh_backend import WhooshEngine, WhooshSearchBackend
from haystack.constants import DJANGO_CT, DJANGO_ID
from haystack.exceptions import SearchBackendError
from haystack.fields import FacetField
from haystack.utils import get_identifier, get_model_ct
from whoosh import query as wq
from whoosh.fields import ID, KEYWORD, NUMERIC, TEXT, Schema
from whoosh.formats import Positions
from whoosh.index import LockError
from whoosh.util.times import datetime_to_long
from whoosh.writing import SegmentWriter

from articles.search.analysis import DEFAULT_FIELDS, EXACT_FIELD, exact_terms, index_terms
from articles.search.limits import Deadline, search_slot
from articles.search.nodes import EVERY_WORD_FACET, MOST_WORDS_FACET, Node
from articles.search.whoosh import engine, internals
from articles.search.whoosh.analysis import (
    ANALYZER,
    EXACT_ANALYZER,
    ArchiveQueryParser,
    respell,
    without_enclosing_brackets,
)
from articles.search.whoosh.compile import to_whoosh

logger = logging.getLogger(__name__)

UNSLICED_RESULTS = 1000
MORE_LIKE_THIS_CHARS = 2500
MORE_LIKE_THIS_TERMS = 5  # Whoosh's own `more_like` weighs five
IDF_KEPT = 200_000  # stems whose rarity is remembered (a few MB)
# Postings read for one article's similar articles. Reading them was most of the cost of
# an article page's first view (at 20,000 articles, an article's 25 key stems held 157,000
# postings, nearly all of common stems), and a common stem's are the longest and weigh the
# least: the stems are taken in the order asked while their postings fit, so the cost stays
# the same however large the archive grows. At 20,000 articles, 100 articles' related lists
# were the same with 2,000 to 50,000 as with every posting read.
SIMILAR_POSTINGS = 5_000


def affordable_terms(
    terms: dict[str, float],
    frequency: Callable[[str], int],
    budget: int,
    *,
    most: int | None = None,
    own: int = 0,
) -> dict[str, float]:
    """The first `most` weighted terms, in order, whose postings (`frequency` of each) fit
    within `budget` together: one too long for what is left is skipped, a shorter one after
    it may still fit. Terms in no more than `own` documents (the article's own posting)
    are dropped: they find nothing else, and a real article holds many such words."""
    left = budget
    affordable = {}
    for term, weight in terms.items():
        if most is not None and len(affordable) >= most:
            break
        postings = frequency(term)
        if own < postings <= left:
            affordable[term] = weight
            left -= postings
    return affordable


class ArchiveText(TEXT):
    """A TEXT field indexed with `index_terms`: one pass gives the postings and the words
    for spelling, where Whoosh analyses the text twice."""

    _last: tuple[str, set[str]] | None = None

    def index(self, value, **kwargs):
        if not isinstance(value, str) or type(self.format) is not Positions:
            yield from super().index(value, **kwargs)
            return
        positions, words = self.terms(value)
        self._last = (value, words)
        boost = self.format.field_boost
        encode = internals.encode_positions
        for term, places in positions.items():
            yield term.encode("utf-8"), len(places), len(places) * boost, encode(places)

    def terms(self, value: str) -> tuple[dict[str, list[int]], set[str]]:
        """Each term with its positions, and the words to offer for spelling."""
        return index_terms(value)

    def spellable_words(self, value):
        """Words not yet given for spelling by this writer: Whoosh keeps one entry per word
        and segment, so repeating every document's words only made the sort longer (they
        were a third of all postings). ArchiveSegmentWriter keeps the set of words given
        for as long as it writes."""
        last = self._last
        words = (
            last[1]
            if last is not None and last[0] is value
            else set(super().spellable_words(value))
        )
        given = self.__dict__.get("_given")
        if given is None:  # not an ArchiveSegmentWriter: every word, as Whoosh does
            return iter(sorted(words))
        fresh = words - given
        given |= fresh
        return iter(sorted(fresh))

    def __getstate__(self):
        # The schema is pickled into the index: leave the per-writer state out.
        state = dict(self.__dict__)
        state.pop("_last", None)
        state.pop("_given", None)
        return state


class ExactText(ArchiveText):
    """The words as written, for quoted phrases (see EXACT_FIELD). Never scored (the
    phrase's stems score it), so no field lengths are kept: a tenth of a build."""

    scorable = False

    def terms(self, value: str) -> tuple[dict[str, list[int]], set[str]]:
        return exact_terms(value)


class ArchiveSegmentWriter(SegmentWriter):
    """Whoosh's segment writer, except that it writes its postings a term at a time, and
    the lengths reader it consults remembers which columns exist: Whoosh asks the file
    system each time (a `stat` per posting, a sixth of a build)."""

    def __init__(self, ix, **kwargs):
        super().__init__(ix, **kwargs)
        internals.write_postings_by_term(self, ARRAY_FIELDS)
        self._spelling_fields = [f for f in self.schema if isinstance(f, ArchiveText)]
        self._forget_spelling(start=True)

    def _forget_spelling(self, *, start: bool = False) -> None:
        # The schema may be shared with other writers: the words given are this writer's.
        for field in self._spelling_fields:
            field.__dict__.pop("_given", None)
            if start:
                field._given = set()

    def commit(self, *args, **kwargs):
        try:
            return super().commit(*args, **kwargs)
        finally:
            self._forget_spelling()

    def cancel(self):
        try:
            return super().cancel()
        finally:
            self._forget_spelling()

    def per_document_reader(self):
        reader = super().per_document_reader()
        return internals.remember_columns(reader)


SORT_FIELDS = ("sort_newest", "sort_oldest")
# The fields searches read the postings of, kept as plain arrays too (`arrays.py`).
ARRAY_FIELDS = frozenset({*DEFAULT_FIELDS, EXACT_FIELD})


WRITE_RETRIES = 20
# A writer sorts its postings in memory up to this size before spilling to disk; a
# segment of SEGMENT_DOCS articles fits, so a build never spills (the spill pickles every
# posting twice).
WRITER_MB = 1024
SEGMENT_DOCS = 10_000
# How often a build process waiting for work checks that its parent is still alive.
PARENT_CHECK_SECONDS = 1.0

_thread_lock = threading.Lock()


def archive_schema(fields) -> tuple[str, Schema]:
    """The index's schema from the Haystack index's fields: Haystack's own, except that
    facets are stored untokenised, sort keys are 64-bit and text fields use the archive's
    analyzer, unless the field names its own (`analyzer=`) or keeps whole values (a
    MultiValueField). The one place the schema is decided."""
    content_field_name, schema = WhooshSearchBackend.build_schema(None, fields)
    for field in fields.values():
        name = field.index_fieldname
        if not isinstance(field, FacetField) and (
            field.is_multivalued or getattr(field, "analyzer", None) is not None
        ):
            continue  # Haystack's own: KEYWORD, or TEXT with the field's analyzer
        if isinstance(field, FacetField) and field.is_multivalued:
            schema.remove(name)
            schema.add(name, KEYWORD(stored=True, commas=True, lowercase=False))
        elif isinstance(field, FacetField):
            schema.remove(name)
            schema.add(name, ID(stored=True, sortable=True))
        elif name in SORT_FIELDS:
            schema.remove(name)
            schema.add(name, NUMERIC(numtype=int, bits=64, sortable=True))
        elif name == EXACT_FIELD:
            schema.remove(name)
            schema.add(name, ExactText(analyzer=EXACT_ANALYZER, phrase=True))
        elif field.field_type == "string" and field.indexed:
            schema.remove(name)
            schema.add(
                name,
                ArchiveText(
                    stored=field.stored,
                    analyzer=ANALYZER,
                    field_boost=field.boost,
                    spelling=field.document,
                    phrase=True,
                ),
            )
    return content_field_name, schema


class ArchiveWhooshBackend(WhooshSearchBackend):
    """Besides Haystack's contract, what the archive asks of a backend: `compile_query`
    (the query tree in this engine's language), `inverse_document_frequency`, and for
    index upkeep `writes_in_bulk` (`write_all`, `write_parallel`), `stored_versions`,
    `stored_versions_of` and `rebuilds_by_swap` (`builder_at`, `path`)."""

    writes_in_bulk = True
    rebuilds_by_swap = True

    def build_schema(self, fields):
        return archive_schema(fields)

    def compile_query(self, query: Node) -> str:
        """A query tree as this engine reads it (Haystack hands backends strings)."""
        return to_whoosh(query)

    def builder_at(self, path: str) -> ArchiveWhooshBackend:
        """A backend like this one writing a fresh index in `path` (a rebuild's)."""
        return type(self)(self.connection_alias, PATH=path)

    def stored_versions(self, django_ct: str) -> dict[int, object]:
        """Object id -> the `updated` value stored with its document, for one model."""
        with self.current_index().searcher() as searcher:
            return {
                int(fields["django_id"]): fields.get("updated")
                for fields in searcher.all_stored_fields()
                if fields.get("django_ct") == django_ct
            }

    def stored_versions_of(self, identifiers: list[str]) -> dict[str, object]:
        """Document id -> its stored `updated` value, for those of these in the index:
        a look-up each, not a read of every stored document."""
        found = {}
        with self.current_index().searcher() as searcher:
            for identifier in identifiers:
                number = searcher.document_number(id=identifier)
                if number is not None:
                    found[identifier] = searcher.stored_fields(number).get("updated")
        return found

    def setup(self):
        super().setup()
        self.parser = ArchiveQueryParser(self.schema)
        self._opened_from = os.path.realpath(self.path)
        self._searcher = None

    def current_index(self):
        """The index as last committed, opened once per backend and refreshed per call.

        A rebuild swaps the folder behind the path: then the index is opened afresh, since
        generation numbers in the new folder say nothing about the old one.
        """
        if not self.setup_complete or os.path.realpath(self.path) != self._opened_from:
            self._close_searcher()
            self.setup()
        self.index = self.index.refresh()
        return self.index

    def searcher(self):
        """A searcher kept across requests (backends are per thread), refreshed when the
        index has changed: opening one per query is the largest fixed cost at scale."""
        index = self.current_index()
        if self._searcher is None or self._searcher_index is not index:
            self._close_searcher()
            self._searcher = index.searcher(weighting=engine.OkapiBM25F())
            self._searcher_index = index
        else:
            # Re-uses the readers of unchanged segments.
            self._searcher = self._searcher.refresh()
        return self._searcher

    def warm_commonest_words(self, *, seconds: float) -> int:
        """Read the commonest words' postings ahead of the first searches (half the
        postings cache at most, the rest left to the searches' own words)."""
        return engine.warm_commonest_words(
            self.searcher(), [*DEFAULT_FIELDS], share=0.5, seconds=seconds
        )

    def _close_searcher(self) -> None:
        if getattr(self, "_searcher", None) is not None:
            self._searcher.close()
        self._searcher = None
        self._searcher_index = None

    @log_query
    def search(
        self,
        query_string,
        sort_by=None,
        start_offset=0,
        end_offset=None,
        fields="",
        highlight=False,
        facets=None,
        date_facets=None,
        query_facets=None,
        narrow_queries=None,
        spelling_query=None,
        within=None,
        dwithin=None,
        distance_point=None,
        models=None,
        limit_to_registered_models=None,
        result_class=None,
        **kwargs,
    ):
        """Haystack's search, answered with arrays (engine.py): one pass finds, scores and
        counts the matches, however many there are; facets are counted from the same match
        set. Narrowing queries are joined to the query; results sort by every key asked
        for; a spelling suggestion comes with `spelling_query` (or INCLUDE_SPELLING).
        Haystack's highlighting works where the document field is stored (the archive's is
        not: it highlights with search/highlight.py); date and query facets and spatial
        searches are not supported: asking for them warns, as Haystack's own backends do.
        Without an end, a search returns at most UNSLICED_RESULTS results."""
        highlight = bool(highlight)
        highlight_stored = highlight and self.schema[self.content_field_name].stored
        _warn_unsupported(
            highlight=highlight and not highlight_stored,
            query_facets=query_facets,
            within=within,
            dwithin=dwithin,
            distance_point=distance_point,
        )
        if not query_string or (len(query_string) <= 1 and query_string != "*"):
            return {"results": [], "hits": 0}
        narrow_queries = self._narrowed_to_models(
            narrow_queries, models, limit_to_registered_models
        )
        searcher = self.searcher()
        if not searcher.doc_count():
            return {"results": [], "hits": 0, "spelling_suggestion": None}
        parsed = self.parser.parse(query_string)
        if parsed is None or parsed is wq.NullQuery:
            return {"results": [], "hits": 0}
        if narrow_queries:
            parsed = wq.And([parsed, *(self.parser.parse(nq) for nq in narrow_queries)])
        with search_slot():  # at most a few searches of this process at once
            matches = engine.RECENT_MATCHES.get(
                searcher,
                (query_string, tuple(sorted(narrow_queries or ()))),
                lambda: engine.ArraySearch(searcher, Deadline()).ranked(parsed),
            )
            start, stop = _page_bounds(start_offset, end_offset)
            if sort_by:
                page = engine.sorted_by(matches, self._sort_keys(searcher, sort_by), start, stop)
            else:
                page = engine.top(matches, start, stop)
            results = self._process_results(
                _ArrayPage(searcher, *page, hits=len(matches), fields=fields),
                highlight=highlight_stored,
                query_string=query_string,
                spelling_query=spelling_query,
                result_class=result_class,
            )
            if spelling_query and not self.include_spelling:
                results["spelling_suggestion"] = self.create_spelling_suggestion(spelling_query)
            if facets or date_facets:
                # Facets count the articles holding every word (all of the matches when
                # none does); how many more came in by holding most of the words is a
                # query facet of its own.
                every = (
                    matches.docs[matches.every_word]
                    if matches.every_word is not None and matches.every_word.any()
                    else matches.docs
                )
                results["facets"] = {
                    "fields": {
                        name: engine.count_values(
                            searcher,
                            name,
                            every,
                            # Counted by its terms: a KEYWORD's values, or the words
                            # of a field kept without a column (as Whoosh facets it).
                            multivalued=isinstance(self.schema[name], KEYWORD)
                            or self.schema[name].column_type is None,
                        )
                        for name in facets or ()
                    },
                    "dates": {
                        name: date_facet_counts(searcher, name, every, **spec)
                        for name, spec in (date_facets or {}).items()
                    },
                    # Only a search of words side by side says how many held every word
                    # (Haystack's contract: no query facets asked for, none given).
                    "queries": {}
                    if matches.every_word is None
                    else {
                        EVERY_WORD_FACET: int(np.count_nonzero(matches.every_word)),
                        MOST_WORDS_FACET: int(
                            np.count_nonzero(matches.most_words & ~matches.every_word)
                        ),
                    },
                }
            return results

    def _narrowed_to_models(self, narrow_queries, models, limit_to_registered_models):
        """The narrowing queries, plus one to the models asked for (or, with
        HAYSTACK_LIMIT_TO_REGISTERED_MODELS, to those with an index), as Haystack's own
        backends narrow."""
        if limit_to_registered_models is None:
            limit_to_registered_models = getattr(
                settings, "HAYSTACK_LIMIT_TO_REGISTERED_MODELS", True
            )
        if models:
            choices = sorted(get_model_ct(model) for model in models)
        elif limit_to_registered_models:
            choices = self.build_models_list()
        else:
            return narrow_queries
        if not choices:
            return narrow_queries
        return {*(narrow_queries or ()), " OR ".join(f"{DJANGO_CT}:{ct}" for ct in choices)}

    def _sort_keys(self, searcher, sort_by) -> list[tuple[np.ndarray, bool]]:
        """Each sort key as (values per document, descending?): a field's sort column, or
        else, for a field of whole values (ID), the order of its terms; refuses any other
        field (the order of an analysed text's words means nothing), rather than ignoring it."""
        keys = []
        for key in sort_by:
            name = key.lstrip("-")
            field = self.schema[name] if name in self.schema.names() else None
            if field is None or (field.column_type is None and not isinstance(field, ID)):
                raise SearchBackendError(f"Cannot sort by {name!r}: it is not a sortable field.")
            values = (
                engine.sort_key(searcher, name)
                if field.column_type is not None
                else engine.term_order(searcher, name)
            )
            keys.append((values, key.startswith("-")))
        return keys

    def create_spelling_suggestion(self, query_string: str) -> str | None:
        """The query with each word the index does not know replaced by its closest known
        word (Haystack's contract), or None when every word is known or nothing is close."""
        searcher = self.searcher()
        if not query_string or not searcher.doc_count():
            return None
        return respell(
            searcher.reader(), self.content_field_name, without_enclosing_brackets(query_string)
        )

    def inverse_document_frequency(self) -> Callable[[str], float]:
        """A stem's inverse document frequency in the content field (not part of Haystack's
        contract: related coverage weighs words with it). Kept for as long as the index is
        unchanged, since most stems recur from article to article; the counts it is made of
        are kept per segment, so they outlive an ingest."""
        searcher = self.searcher()
        total = searcher.reader().doc_count() or 1
        known: dict[str, float] = engine.index_cached(searcher, ("idf",), dict)
        frequency = engine.doc_frequencies(searcher, self.content_field_name)

        def idf(term: str) -> float:
            if term not in known:
                if len(known) >= IDF_KEPT:
                    known.clear()
                known[term] = math.log((1 + total) / (1 + frequency(term))) + 1
            return known[term]

        return idf

    def similar_to_terms(
        self, model_instance, terms: dict[str, float], count: int, *, most: int | None = None
    ) -> list[int]:
        """Ids of the `count` documents of the object's model that best match these weighted
        stems (not part of Haystack's contract: related coverage, which has weighed the
        article's words already, asks with its own most telling ones). The object itself
        is left out. Searched with arrays, as more_like_this searches its key terms; the
        first `most` stems that another document holds are asked, in the order given, and
        those whose postings no longer fit SIMILAR_POSTINGS are not read."""
        searcher = self.searcher()
        field = self.content_field_name
        docnum = searcher.document_number(id=get_identifier(model_instance))
        terms = affordable_terms(
            terms,
            engine.doc_frequencies(searcher, field),
            SIMILAR_POSTINGS,
            most=most,
            own=int(docnum is not None),
        )
        if not terms:
            return []
        alike = wq.Or([wq.Term(field, term, boost=weight) for term, weight in terms.items()])
        narrow_queries = self._narrowed_to_models(None, [type(model_instance)], None)
        if narrow_queries:
            alike = wq.And([alike, *(self.parser.parse(nq) for nq in narrow_queries)])
        excluded = np.array([] if docnum is None else [docnum], dtype=np.int64)
        with search_slot():
            matches = engine.minus(
                engine.ArraySearch(searcher, Deadline()).evaluate(alike), excluded
            )
            docs, _ = engine.top(matches, 0, count)
        return [int(searcher.stored_fields(int(doc))[DJANGO_ID]) for doc in docs]

    def more_like_this(
        self,
        model_instance,
        additional_query_string=None,
        start_offset=0,
        end_offset=None,
        models=None,
        limit_to_registered_models=None,
        result_class=None,
        **kwargs,
    ):
        """Documents whose words resemble an object's (Haystack's contract), with the
        number of them all as its hits. The opening of a news story carries its subject, so
        only its first MORE_LIKE_THIS_CHARS are weighed: weighing every word costs more
        and finds no better. Its key terms are searched with arrays, as any query is."""
        searcher = self.searcher()
        docnum = searcher.document_number(id=get_identifier(model_instance))
        if docnum is None:
            return {"results": [], "hits": 0}
        index = (
            connections[self.connection_alias].get_unified_index().get_index(type(model_instance))
        )
        text = index.full_prepare(model_instance)[self.content_field_name]
        field = self.content_field_name
        key_terms = searcher.key_terms_from_text(
            field, text[:MORE_LIKE_THIS_CHARS], numterms=MORE_LIKE_THIS_TERMS, normalize=False
        )
        if not key_terms:
            return {"results": [], "hits": 0}
        alike = wq.Or([wq.Term(field, word, boost=weight) for word, weight in key_terms])
        narrow_queries = self._narrowed_to_models(None, models, limit_to_registered_models)
        if additional_query_string and additional_query_string not in ("*", "*:*"):
            narrow_queries = {*(narrow_queries or ()), additional_query_string}
        if narrow_queries:
            alike = wq.And([alike, *(self.parser.parse(nq) for nq in narrow_queries)])
        with search_slot():
            matches = engine.minus(
                engine.ArraySearch(searcher, Deadline()).evaluate(alike),
                np.array([docnum], dtype=np.int64),
            )
            start, stop = _page_bounds(start_offset, end_offset)
            return self._process_results(
                _ArrayPage(searcher, *engine.top(matches, start, stop), hits=len(matches)),
                result_class=result_class,
            )

    @contextmanager
    def write_lock(self) -> Iterator[None]:
        """One writer at a time: a thread lock, then a file lock other processes share."""
        os.makedirs(self.path, exist_ok=True)
        with _thread_lock, open(os.path.join(self.path, ".archive-write.lock"), "w") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def _retrying(self, operation, *args, **kwargs):
        with self.write_lock():
            for attempt in range(WRITE_RETRIES):
                try:
                    return operation(*args, **kwargs)
                except LockError:
                    logger.warning("Whoosh index locked, retry %s", attempt + 1)
                    time.sleep(0.05 * (attempt + 1))
            return operation(*args, **kwargs)

    def write_all(self, index, batches, *, replace: bool = True) -> int:
        """Write batches of objects with one writer and one commit: far faster than a commit
        (and a segment to merge) per batch. `replace=False` is for an empty index.

        Old versions are deleted by document number through one searcher: Whoosh's own
        update_document opens a fresh reader for every document.
        """
        if not self.setup_complete:
            self.setup()
        count = 0
        with self.write_lock(), cycle_collection_paused():
            current = self.index.refresh()
            writer = ArchiveSegmentWriter(current, limitmb=WRITER_MB, compound=False)
            try:
                with current.searcher() as searcher:
                    for batch in batches:
                        for obj in batch:
                            doc = self.prepare_document(index, obj)
                            if replace:
                                old = searcher.document_number(id=doc["id"])
                                if old is not None:
                                    writer.delete_document(old)
                            writer.add_document(**doc)
                            count += 1
            except BaseException:
                writer.cancel()
                raise
            writer.commit()
        return count

    def prepare_document(self, index, obj) -> dict:
        """The fields Whoosh stores for an object, as Haystack prepares them."""
        doc = index.full_prepare(obj)
        doc.pop("boost", None)
        return {key: self._from_python(value) for key, value in doc.items()}

    def write_parallel(self, index, batches, *, workers: int, replace: bool = True) -> int:
        """Write batches of objects with `workers` processes, each writing its own segments
        of at most SEGMENT_DOCS documents, which then join the index with no merge; older
        versions of the objects are deleted in the same commit (`replace=False` is for an
        empty index).

        Analysing and writing postings is pure Python and takes one core; documents are
        prepared here (the database stays in this process) and handed out in batches.
        """
        if not self.setup_complete:
            self.setup()
        with self.write_lock():
            context = multiprocessing.get_context("fork")
            done = context.Queue()
            parts = [Path(self.path) / f"part-{number}" for number in range(workers)]
            queues = [context.Queue(maxsize=2) for _ in parts]
            processes = [
                context.Process(
                    target=_write_part, args=(str(part), self.schema, todo, done, os.getpid())
                )
                for part, todo in zip(parts, queues, strict=True)
            ]
            for process in processes:
                process.start()
            ids: list[str] = []
            try:
                # Round robin, so every process gets work whatever the number of batches.
                for number, batch in enumerate(batches):
                    docs = [self.prepare_document(index, obj) for obj in batch]
                    ids.extend(doc["id"] for doc in docs)
                    _hand_over(queues[number % workers], docs, processes[number % workers])
            finally:
                for todo, process in zip(queues, processes, strict=True):
                    _hand_over(todo, None, process)
            for process in processes:
                process.join()
            reports = [done.get(timeout=5) if not done.empty() else None for _ in processes]
            failures = [report for report in reports if not isinstance(report, int)]
            if failures:
                for part in parts:
                    shutil.rmtree(part, ignore_errors=True)
                raise SearchBackendError(
                    f"Index write failed: {failures[0] or 'a process stopped'}"
                )
            self._adopt_segments(parts, replaced=ids if replace else ())
        return sum(reports)

    def _adopt_segments(self, parts: list[Path], replaced=()) -> None:
        """Move the parts' segment files into this index and list them in its table of
        contents, deleting the documents they replace: one commit, nothing to merge."""
        current = self.index.refresh()
        writer = SegmentWriter(current)
        if replaced:
            with current.searcher() as searcher:
                for doc_id in replaced:
                    old = searcher.document_number(id=doc_id)
                    if old is not None:
                        writer.delete_document(old)
        segments = list(writer.segments)  # public: the segments the writer will keep
        for part in parts:
            part_index = whoosh.index.open_dir(str(part))
            for segment in internals.toc_segments(part_index):
                prefix = internals.segment_file_prefix(segment)
                for name in os.listdir(part):
                    if name.startswith(prefix):
                        os.replace(part / name, Path(self.path) / name)
                segments.append(segment)
            part_index.close()
            shutil.rmtree(part, ignore_errors=True)
        internals.set_segments(writer, segments)
        writer.commit(merge=False)

    def update(self, index, iterable, commit=True):
        return self._retrying(super().update, index, iterable, commit=commit)

    def remove(self, obj_or_string, commit=True):
        return self._retrying(super().remove, obj_or_string, commit=commit)

    def clear(self, models=None, commit=True):
        return self._retrying(super().clear, models=models, commit=commit)


@contextmanager
def cycle_collection_paused() -> Iterator[None]:
    """Python's cycle collector paused while a segment is written: the writer holds a
    tuple per posting, millions of objects and no cycles, which every collection walked
    again (a tenth of writing). Reference counting still frees what is dropped."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _hand_over(todo, item, process) -> None:
    """Put work on a build process's queue, unless that process has stopped."""
    while process.is_alive():
        try:
            todo.put(item, timeout=1)
            return
        except queue.Full:
            continue


def _next_work(todo, parent: int):
    """The next item from the parent; if the parent was killed, end this process at once:
    nothing will adopt its segments, and it shares the parent's index write lock."""
    while True:
        try:
            return todo.get(timeout=PARENT_CHECK_SECONDS)
        except queue.Empty:
            if os.getppid() != parent:
                os._exit(1)


def _write_part(path: str, schema, todo, done, parent: int) -> None:
    """One build process of `parent`: documents from `todo` into a fresh index at `path`, a
    segment per SEGMENT_DOCS; puts the count (or the error, as text) on `done`."""
    try:
        os.makedirs(path, exist_ok=True)
        part = whoosh.index.create_in(path, schema)
        count, writer = 0, None
        with cycle_collection_paused():  # this process only writes
            while (docs := _next_work(todo, parent)) is not None:
                for doc in docs:
                    writer = writer or ArchiveSegmentWriter(part, limitmb=WRITER_MB, compound=False)
                    writer.add_document(**doc)
                    count += 1
                    if count % SEGMENT_DOCS == 0:
                        writer.commit(merge=False)
                        writer = None
            if writer is not None:
                writer.commit(merge=False)
        done.put(count)
    except BaseException as error:  # reported to the parent, which raises it
        done.put(f"{type(error).__name__}: {error}")
        while _next_work(todo, parent) is not None:  # let the parent finish handing out work
            pass


class _ArrayPage:
    """A page of results as Haystack's result processing reads a Whoosh one: the total
    count, the stored fields of each document on the page, and their scores."""

    def __init__(self, searcher, docs, scores, *, hits: int, fields=()):
        self.searcher, self.docs, self.scores, self.hits = searcher, docs, scores, hits
        # Asked for some fields only (Haystack's values and values_list), only those are
        # converted: a quotation search reads 500 results' ids, not their every field.
        self.fields = set(fields) | {DJANGO_CT, DJANGO_ID} if fields else None

    def __len__(self) -> int:
        return self.hits

    def __iter__(self):
        stored = (self.searcher.stored_fields(int(docnum)) for docnum in self.docs)
        if self.fields is None:
            return stored
        return ({k: v for k, v in doc.items() if k in self.fields} for doc in stored)

    def score(self, offset: int) -> float:
        return float(self.scores[offset])


def date_facet_counts(
    searcher, name: str, docs: np.ndarray, *, start_date, end_date, gap_by, gap_amount=1
) -> list[tuple]:
    """Haystack's date facet: ((start, end), count) for each range of `gap_amount`
    `gap_by`s from start_date up to end_date that holds matches, most first, with
    (None, count) for the matches in none of them, where its count places it (as
    Haystack's Whoosh backend answers)."""
    start, end = _as_datetime(start_date), _as_datetime(end_date)
    gap = relativedelta(**{f"{gap_by}s": gap_amount})
    edges = [start]
    while edges[-1] < end:
        edges.append(edges[-1] + gap)
    values = engine.raw_column(searcher, name)[docs]
    ticks = np.array([datetime_to_long(edge) for edge in edges], dtype=np.uint64)
    slots = np.searchsorted(ticks, values, side="right") - 1  # -1: before the first
    inside = (slots >= 0) & (slots < len(edges) - 1)
    counts = np.bincount(slots[inside], minlength=len(edges) - 1)
    found = sorted(((edges[i], edges[i + 1]), int(counts[i])) for i in np.flatnonzero(counts))
    found.sort(key=lambda item: -item[1])
    outside = int(np.count_nonzero(~inside))
    if outside:
        at = next((i for i, (_, count) in enumerate(found) if count < outside), len(found))
        found.insert(at, (None, outside))
    return found


def _as_datetime(value) -> datetime:
    if isinstance(value, datetime):
        return value
    return datetime(value.year, value.month, value.day)


def _page_bounds(start_offset, end_offset) -> tuple[int, int]:
    """The ranks a search returns. As Haystack's Whoosh backend, an end of 0 or less
    means one result; no end means all, but here at most UNSLICED_RESULTS, since Haystack
    runs an unsliced search for `facet_counts()` or `get_results()` on a query not yet
    sliced, and a million results' stored fields are not worth reading for those."""
    start = start_offset or 0
    if end_offset is None:
        return start, start + UNSLICED_RESULTS
    return start, max(end_offset, 1)


def _warn_unsupported(**asked) -> None:
    for name, value in asked.items():
        if value:
            warnings.warn(
                f"The archive's Whoosh backend does not support {name}; it was ignored.",
                stacklevel=3,
            )


class ArchiveWhooshEngine(WhooshEngine):
    backend = ArchiveWhooshBackend
