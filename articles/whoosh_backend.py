"""Haystack's Whoosh backend, adapted to the archive.

- Facet fields are stored untokenised, so "RIA Novosti" counts as one value, not two stems.
- Text is analysed with British/American spelling pairs folded before stemming.
- Queries search the body and the title (boosted), so a title match ranks first.
- Writes are serialised across threads and processes, and retried on a held lock.
"""

from __future__ import annotations

import fcntl
import logging
import os
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from itertools import chain

from haystack.backends.whoosh_backend import WhooshEngine, WhooshSearchBackend
from haystack.fields import FacetField
from whoosh import query as wq
from whoosh.analysis import Filter, LowercaseFilter, RegexTokenizer, StemFilter, StopFilter
from whoosh.fields import ID, KEYWORD, NUMERIC, TEXT
from whoosh.index import LockError
from whoosh.qparser import FuzzyTermPlugin, MultifieldPlugin, QueryParser

from articles.vocabulary import SPELLING_VARIANTS

logger = logging.getLogger(__name__)


class SpellingVariantFilter(Filter):
    """Folds variant spellings to one form, before stemming."""

    def __call__(self, tokens):
        for token in tokens:
            token.text = SPELLING_VARIANTS.get(token.text, token.text)
            yield token


def archive_analyzer():
    """Tokenise, lower-case, fold spelling pairs, drop stop words, stem."""
    return (
        RegexTokenizer()
        | LowercaseFilter()
        | SpellingVariantFilter()
        | StopFilter(minsize=1)
        | StemFilter(cachesize=50000)
    )


ANALYZER = archive_analyzer()
TITLE_BOOST = 3.0
SORT_FIELDS = ("sort_newest", "sort_oldest")


SPELLING_FIELD = "spell_text"  # unstemmed words of the body, kept by Whoosh for spelling


class StemmedPrefix(wq.Prefix):
    """`negotiat*` must find "negotiations", which the index holds stemmed as "negoti": expand
    the prefix over the unstemmed words, then look up their stems."""

    def _btexts(self, ixreader):
        found = set(ixreader.expand_prefix(self.fieldname, self.text))
        if SPELLING_FIELD in ixreader.schema:
            for word in ixreader.expand_prefix(SPELLING_FIELD, self.text):
                for token in ANALYZER(word.decode("utf-8")):
                    found.add(token.text.encode("utf-8"))
        return sorted(found)


def _widen_prefix(node: wq.Query) -> wq.Query:
    if type(node) is wq.Prefix:
        return StemmedPrefix(node.fieldname, node.text, boost=node.boost)
    return node


class ArchiveQueryParser(QueryParser):
    """Searches the body and the title (boosted); prefixes also match stemmed words."""

    def __init__(self, schema, fieldnames=("text", "title")):
        super().__init__(None, schema)
        self.add_plugins(
            [MultifieldPlugin(list(fieldnames), {"title": TITLE_BOOST}), FuzzyTermPlugin()]
        )

    def parse(self, text, normalize=True, debug=False):
        return super().parse(text, normalize=normalize, debug=debug).accept(_widen_prefix)


WRITE_RETRIES = 20

_thread_lock = threading.Lock()


class ArchiveWhooshBackend(WhooshSearchBackend):
    def build_schema(self, fields):
        content_field_name, schema = super().build_schema(fields)
        for field in fields.values():
            name = field.index_fieldname
            if isinstance(field, FacetField) and field.is_multivalued:
                schema.remove(name)
                schema.add(name, KEYWORD(stored=True, commas=True, lowercase=False))
            elif isinstance(field, FacetField):
                schema.remove(name)
                schema.add(name, ID(stored=True, sortable=True))
            elif name in SORT_FIELDS:
                schema.remove(name)
                schema.add(name, NUMERIC(numtype=int, bits=64, sortable=True))
            elif field.field_type == "string" and field.indexed:
                schema.remove(name)
                schema.add(
                    name,
                    TEXT(
                        stored=field.stored and not field.document,
                        analyzer=ANALYZER,
                        field_boost=field.boost,
                        spelling=field.document,
                        phrase=True,
                    ),
                )
        return content_field_name, schema

    def setup(self):
        super().setup()
        self.parser = ArchiveQueryParser(self.schema, (self.content_field_name, "title"))
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
            self._searcher = index.searcher()
            self._searcher_index = index
        else:
            # Re-uses the readers of unchanged segments.
            self._searcher = self._searcher.refresh()
        return self._searcher

    def _close_searcher(self) -> None:
        if getattr(self, "_searcher", None) is not None:
            self._searcher.close()
        self._searcher = None
        self._searcher_index = None

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
        """Haystack's Whoosh search, reshaped for speed: a kept searcher, narrowing as a
        filter query rather than separate searches, facets counted in bulk (facet_counts)."""
        if not query_string or (len(query_string) <= 1 and query_string != "*"):
            return {"results": [], "hits": 0}
        searcher = self.searcher()
        if not searcher.doc_count():
            return {"results": [], "hits": 0, "spelling_suggestion": None}
        parsed = self.parser.parse(query_string)
        if parsed is None or parsed is wq.NullQuery:
            return {"results": [], "hits": 0}
        search_kwargs = {}
        if narrow_queries:
            search_kwargs["filter"] = wq.And([self.parser.parse(nq) for nq in narrow_queries])
        if sort_by:
            search_kwargs["sortedby"] = [name.lstrip("-") for name in sort_by]
            search_kwargs["reverse"] = sort_by[0].startswith("-")
        page_num, page_length = self.calculate_page(start_offset, end_offset)
        raw_page = searcher.search_page(parsed, page_num, pagelen=page_length, **search_kwargs)
        if raw_page.pagenum < page_num:
            return {"results": [], "hits": 0, "spelling_suggestion": None}
        results = self._process_results(
            raw_page, query_string=query_string, result_class=result_class
        )
        if facets:
            matched = raw_page.results.docs()
            results["hits"] = len(matched)
            results["facets"] = {
                "fields": {name: self.facet_counts(searcher, name, matched) for name in facets},
                "dates": {},
                "queries": {},
            }
        return results

    def facet_counts(self, searcher, name: str, docnums) -> list[tuple[str, int]]:
        """Counts of a facet's values over the matched documents, most frequent first.

        Whoosh's own facets run Python code per document and facet, and re-read multi-valued
        fields on every query; here each field's values are read once per searcher (the index
        as it stands) into a list by document number, and counted in bulk.
        """
        values = self._facet_values(searcher, name)
        if isinstance(self.schema[name], KEYWORD):
            counts = Counter(chain.from_iterable(map(values.__getitem__, docnums)))
        else:
            counts = Counter(map(values.__getitem__, docnums))
        counts.pop("", None)
        return sorted(counts.items(), key=lambda item: (-item[1], item[0]))

    def _facet_values(self, searcher, name: str) -> list:
        cache = searcher.__dict__.setdefault("_archive_facet_values", {})
        if name not in cache:
            reader = searcher.reader()
            if isinstance(self.schema[name], KEYWORD):
                lists: list[tuple[str, ...]] = [()] * reader.doc_count_all()
                for btext in reader.lexicon(name):
                    term = btext.decode("utf-8")
                    for docnum in reader.postings(name, btext).all_ids():
                        lists[docnum] += (term,)
                cache[name] = lists
            elif reader.has_column(name):
                cache[name] = list(reader.column_reader(name, translate=True))
            else:
                cache[name] = [""] * reader.doc_count_all()
        return cache[name]

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
        with self.write_lock():
            current = self.index.refresh()
            writer = current.writer(limitmb=256)
            try:
                with current.searcher() as searcher:
                    for batch in batches:
                        for obj in batch:
                            doc = index.full_prepare(obj)
                            doc.pop("boost", None)
                            doc = {k: self._from_python(v) for k, v in doc.items()}
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

    def update(self, index, iterable, commit=True):
        return self._retrying(super().update, index, iterable, commit=commit)

    def remove(self, obj_or_string, commit=True):
        return self._retrying(super().remove, obj_or_string, commit=commit)

    def clear(self, models=None, commit=True):
        return self._retrying(super().clear, models=models, commit=commit)


class ArchiveWhooshEngine(WhooshEngine):
    backend = ArchiveWhooshBackend
