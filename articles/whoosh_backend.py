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
from collections.abc import Iterator
from contextlib import contextmanager

from haystack.backends.whoosh_backend import WhooshEngine, WhooshSearchBackend
from haystack.fields import FacetField
from whoosh import query as wq
from whoosh.analysis import Filter, LowercaseFilter, RegexTokenizer, StemFilter, StopFilter
from whoosh.fields import ID, NUMERIC, TEXT
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
            if isinstance(field, FacetField):
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

    def current_index(self):
        """The index as last committed, opened once per backend and refreshed per call."""
        if not self.setup_complete:
            self.setup()
        self.index = self.index.refresh()
        return self.index

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

    def update(self, index, iterable, commit=True):
        return self._retrying(super().update, index, iterable, commit=commit)

    def remove(self, obj_or_string, commit=True):
        return self._retrying(super().remove, obj_or_string, commit=commit)

    def clear(self, models=None, commit=True):
        return self._retrying(super().clear, models=models, commit=commit)


class ArchiveWhooshEngine(WhooshEngine):
    backend = ArchiveWhooshBackend
