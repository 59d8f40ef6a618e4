"""The archive's index searched by Haystack's own Whoosh backend, for the second run of the
search and browsing tests (tests/settings_haystack_search.py).

The index, its analysis and the query parser stay the archive's (they are configuration in
any engine, as an Elasticsearch mapping would be); searching is Haystack's WhooshSearchBackend
as shipped, with Whoosh's matchers, sorting and facet grouping, instead of the array engine.
If a page depended on anything the array engine does beyond Haystack's contract, the
second run would fail.
"""

from haystack.backends.whoosh_backend import WhooshEngine, WhooshSearchBackend

from articles.search.whoosh.backend import ArchiveWhooshBackend


class HaystackSearchBackend(ArchiveWhooshBackend):
    search = WhooshSearchBackend.search


class HaystackSearchEngine(WhooshEngine):
    backend = HaystackSearchBackend
