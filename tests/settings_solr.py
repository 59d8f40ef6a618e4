"""Test settings for the run of the search and browsing tests on SolrCloud: searches answered
by the archive's Solr engine from the session's cluster (tests/solr_cluster.py starts it and
the `search_index` fixture points this connection at it, emptied for each test)."""

from tests.settings import *  # noqa: F403

HAYSTACK_CONNECTIONS = {
    "default": {
        "ENGINE": "articles.search.solr.backend.ArchiveSolrEngine",
        # Replaced by the running cluster's collection URL before any test searches.
        "URL": "http://127.0.0.1:8983/solr/archive",
    }
}
