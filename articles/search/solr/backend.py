"""Haystack's Solr backend, as the archive needs it on Solr 9 and SolrCloud.

What the archive adds to the stock backend: the query tree compiled for Solr
(`compile_query`) and run by the archive's edismax (`compile.PARSER`, a word scored as BM25F)
over the default fields, weighed at query time (Solr 9 ignores the index-time boosts Haystack
sends); words side by side listed in
three groups, those holding every word, then most of them, then any (`search`), with the
counts the results page reports and the facets counted over those holding every word, and
kept in that order when sorted by date; related
coverage through `/select` with the `{!mlt}` query parser, which SolrCloud answers from
every shard (the `/mlt` handler the stock backend calls reads only the shard it lands on);
and a spelling suggestion asked for when one is wanted (`spelling_query`), not on every
search unless INCLUDE_SPELLING says so.
"""

import json
import time
from collections.abc import Callable
from urllib.parse import urlsplit, urlunsplit

from haystack import connections
from haystack.backends import SPELLING_SUGGESTION_HAS_NOT_RUN, EmptyResults
from haystack.backends.solr_backend import SolrEngine, SolrSearchBackend, SolrSearchQuery
from haystack.constants import DJANGO_CT, DJANGO_ID, ID
from haystack.utils import get_identifier, get_model_ct
from pysolr import SolrError

from articles.search.analysis import DEFAULT_FIELDS
from articles.search.limits import SearchTimedOut, time_budget
from articles.search.nodes import EVERY_WORD_FACET, MOST_WORDS_FACET, Node
from articles.search.solr.compile import PARSER, relaxes_words, to_solr, words_wanted

# Related coverage: the article's most telling words, each weighed by a shard's own document
# counts (a word need only occur once in a shard to count there), leaving out those more
# than MLT_MAX_DOCUMENT_FREQUENCY of the shard's articles hold. Without that bound the words
# every article holds ("said", "he") were asked too, and the query matched, and scored,
# every article; the bound is the embedded engine's budget of postings for the same query.
# A word used once counts: repeated words are mostly common ones.
MLT_MIN_TERM_FREQUENCY = 1
MLT_MIN_DOCUMENT_FREQUENCY = 1
MLT_MAX_DOCUMENT_FREQUENCY = 5_000
# A word over the default fields is scored once over all of them as BM25F (`PARSER`), as on
# the embedded engine. What the parser still looks for field by field (a prefix, a wildcard,
# a fuzzy word) scores as its best field (edismax's tie 0), not the sum over the fields: a
# title word, which the body holds too, does not count as two words.
FIELD_TIE = "0.0"
# The fields a query may name, and `_query_`: the nested query that relaxes words side by
# side (`compile._loose`). A reader cannot write one: the compiler escapes their syntax.
USER_FIELDS = "* _query_"


# Request parameters holding words side by side wanting every word and most of them, which
# the counts and the order of the groups read (`search`).
EVERY_WORD_PARAM, MOST_WORDS_PARAM = "archive.every_word", "archive.most_words"

# The JSON facet counting the field facets again over the matches holding every word.
EVERY_WORD_FACETS = "every_word"
# Solr's default facet.limit, when Haystack sends none.
SOLR_FACET_LIMIT = 100

# Documents read per request when every stored version is read (`stored_versions`).
VERSIONS_PAGE = 5_000
# Seconds a Collections API call may take (creating a collection waits for its shards).
ADMIN_SECONDS = 180


def time_allowed() -> int:
    """Solr's `timeAllowed`: the archive's time budget in milliseconds. Solr stops a search
    past it and answers with what it found so far, marked `partialResults` (`_process_results`
    turns that into SearchTimedOut, as the embedded engine stops)."""
    return int(time_budget() * 1000)


def _group_order() -> str:
    """A function of each document: 2 when it holds every word, 1 most of them, else 0."""
    return (
        f"if(exists(query({{!{PARSER} v=${EVERY_WORD_PARAM}}})),2,"
        f"if(exists(query({{!{PARSER} v=${MOST_WORDS_PARAM}}})),1,0))"
    )


def _every_word_facets(search_kwargs: dict) -> str:
    """Solr's `json.facet`: the field facets asked for, counted again over the matches
    holding every word (a query facet's domain), each as Solr counts it in `facet.field`
    (its limit; by count when limited, else in index order; values some match has)."""
    fields = {}
    for name in search_kwargs["facet.field"]:
        limit = int(search_kwargs.get(f"f.{name}.facet.limit", SOLR_FACET_LIMIT))
        fields[name] = {
            "type": "terms",
            "field": name,
            "limit": limit,
            "mincount": 1,
            "sort": "count desc" if limit > 0 else "index asc",
        }
    every_word = {"type": "query", "q": f"{{!{PARSER} v=${EVERY_WORD_PARAM}}}", "facet": fields}
    return json.dumps({EVERY_WORD_FACETS: every_word})


class ArchiveSolrBackend(SolrSearchBackend):
    """Besides Haystack's contract: `compile_query`, and for index upkeep `stored_versions`,
    `stored_versions_of` and `rebuild_aside` (a rebuild in a new collection, the alias
    readers use moved to it once it is whole)."""

    def __init__(self, connection_alias, **connection_options):
        super().__init__(connection_alias, **connection_options)
        self._options = connection_options
        # The stock backend reads suggestions from a response only when every query asks for
        # them; the archive asks only when a search found nothing.
        self.spell_every_query = self.include_spelling
        self.include_spelling = True

    def compile_query(self, query: Node) -> str:
        """A query tree in Solr's syntax, for the archive's edismax (`query_fields`)."""
        return to_solr(query)

    def query_fields(self) -> str:
        """Edismax's `qf`: the fields an unfielded word searches, with their weights
        (`DEFAULT_FIELDS`), the same as the embedded engine's."""
        return " ".join(
            name if weight == 1.0 else f"{name}^{weight:g}"
            for name, weight in DEFAULT_FIELDS.items()
        )

    def build_search_kwargs(
        self, query_string, spelling_query=None, spelling=False, most_words=None, **kwargs
    ):
        """Haystack's request, run by the archive's edismax; `most_words`: the query wanting
        most of its words side by side, when `query_string` wants any of them (`search`)."""
        search_kwargs = super().build_search_kwargs(
            query_string, spelling_query=spelling_query, **kwargs
        )
        search_kwargs.update(
            defType=PARSER,
            qf=self.query_fields(),
            tie=FIELD_TIE,
            uf=USER_FIELDS,
            timeAllowed=time_allowed(),
        )
        if most_words is not None:
            search_kwargs[EVERY_WORD_PARAM] = words_wanted(query_string, "100%")
            search_kwargs[MOST_WORDS_PARAM] = most_words
            # How many matches hold every word, and most of the words, as the embedded
            # engine reports them.
            search_kwargs["facet"] = "on"
            search_kwargs["facet.query"] = [
                *search_kwargs.get("facet.query", []),
                *(
                    f"{{!{PARSER} key={key} v=${param}}}"
                    for key, param in (
                        (EVERY_WORD_FACET, EVERY_WORD_PARAM),
                        (MOST_WORDS_FACET, MOST_WORDS_PARAM),
                    )
                ),
            ]
            if search_kwargs.get("facet.field"):
                search_kwargs["json.facet"] = _every_word_facets(search_kwargs)
            if search_kwargs.get("sort"):
                # Sorted by date, each group in turn, as on the embedded engine (the score
                # keeps them apart when sorted by relevance).
                search_kwargs["sort"] = f"{_group_order()} desc,{search_kwargs['sort']}"
        if search_kwargs.get("facet") == "on":
            # Solr lists every value a field holds, even those no result has; a facet names
            # only values some result has, as on the embedded engine.
            search_kwargs["facet.mincount"] = 1
        if not (spelling or spelling_query or self.spell_every_query):
            for key in [key for key in search_kwargs if key.startswith("spellcheck")]:
                del search_kwargs[key]
        return search_kwargs

    def search(self, query_string, **kwargs):
        """Haystack's search; words side by side list the documents holding any of them,
        those holding every word first, then those holding most (`nodes.most_of`), as on
        the embedded engine, which counts the second group without the first."""
        if not relaxes_words(query_string):
            return super().search(query_string, **kwargs)
        results = super().search(words_wanted(query_string, "1"), most_words=query_string, **kwargs)
        queries = results.setdefault("facets", {}).setdefault("queries", {})
        # Asked for, but left out by `facet.mincount` when no match holds the words.
        every = queries.setdefault(EVERY_WORD_FACET, 0)
        queries[MOST_WORDS_FACET] = queries.get(MOST_WORDS_FACET, 0) - every
        # The facets count the matches holding every word, as on the embedded engine; all
        # the matches when none holds them all.
        counted = results.pop(EVERY_WORD_FACETS, None)
        if every and counted is not None:
            results["facets"]["fields"] = counted
        return results

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
        """Articles like this one, from every shard (`{!mlt}` through /select)."""
        model = model_instance._meta.concrete_model
        index = connections[self.connection_alias].get_unified_index().get_index(model)
        query = (
            f"{{!mlt qf={index.get_content_field()} mintf={MLT_MIN_TERM_FREQUENCY}"
            f" mindf={MLT_MIN_DOCUMENT_FREQUENCY} maxdf={MLT_MAX_DOCUMENT_FREQUENCY}}}"
            f"{get_identifier(model_instance)}"
        )
        params = {"fl": "* score", "start": start_offset or 0, "timeAllowed": time_allowed()}
        if end_offset is not None:
            params["rows"] = end_offset - (start_offset or 0)
        if limit_to_registered_models is None:
            limit_to_registered_models = self._limit_to_registered_models()
        if models:
            model_choices = sorted(get_model_ct(model) for model in models)
        elif limit_to_registered_models:
            model_choices = self.build_models_list()
        else:
            model_choices = []
        filters = []
        if model_choices:
            filters.append(f"{DJANGO_CT}:({' OR '.join(model_choices)})")
        if additional_query_string:
            filters.append(additional_query_string)
        if filters:
            params["fq"] = filters
        try:
            raw_results = self.conn.search(query, **params)
        except (OSError, SolrError):
            if not self.silently_fail:
                raise
            self.log.exception("Failed to fetch More Like This from Solr: %s", query)
            raw_results = EmptyResults()
        return self._process_results(raw_results, result_class=result_class)

    def _process_results(self, raw_results, **kwargs):
        """Haystack's results; SearchTimedOut when Solr stopped the search at `timeAllowed`
        (a partial list would pass for the whole one, its counts too low)."""
        response = getattr(raw_results, "raw_response", None) or {}
        if response.get("responseHeader", {}).get("partialResults"):
            raise SearchTimedOut(time_budget())
        results = super()._process_results(raw_results, **kwargs)
        every_word = response.get("facets", {}).get(EVERY_WORD_FACETS)
        if every_word is not None:
            results[EVERY_WORD_FACETS] = {
                name: [(bucket["val"], bucket["count"]) for bucket in facet.get("buckets", [])]
                for name, facet in every_word.items()
                if isinstance(facet, dict)
            }
        return results

    def stored_versions(self, django_ct: str) -> dict[int, object]:
        """Object id -> the `updated` time stored with its document, for one model, read a
        page at a time in id order (a cursor, so a deep page costs no more than the first)."""
        found: dict[int, object] = {}
        cursor = "*"
        while True:
            response = self.conn.search(
                "*:*",
                fq=f"{DJANGO_CT}:{django_ct}",
                fl=f"{DJANGO_ID},updated",
                sort=f"{ID} asc",
                rows=VERSIONS_PAGE,
                cursorMark=cursor,
            )
            for doc in response.docs:
                found[int(doc[DJANGO_ID])] = self.conn._to_python(doc.get("updated"))
            if response.nextCursorMark in (None, cursor):
                return found
            cursor = response.nextCursorMark

    def stored_versions_of(self, identifiers: list[str]) -> dict[str, object]:
        """Document id -> its stored `updated` time, for those of these in the index."""
        found: dict[str, object] = {}
        for start in range(0, len(identifiers), VERSIONS_PAGE):
            chunk = identifiers[start : start + VERSIONS_PAGE]
            response = self.conn.search(
                "*:*", fq=f"{{!terms f={ID}}}{','.join(chunk)}", fl=f"{ID},updated", rows=len(chunk)
            )
            for doc in response.docs:
                found[doc[ID]] = self.conn._to_python(doc.get("updated"))
        return found

    def rebuild_aside(self, write: Callable[[SolrSearchBackend], int]) -> int:
        """Build the index anew in a new collection (`write` fills it through the backend
        given), then move the alias this connection names to it and delete the collection it
        named: readers see the old index until the new one is whole. A collection reached by
        its own name, not an alias, is emptied and refilled in place."""
        base, alias = self._collections_base()
        aliases = self._collections_api(base, action="LISTALIASES").get("aliases", {})
        if alias not in aliases:
            self.clear()
            return write(self)
        old = aliases[alias]
        status = self._collections_api(base, action="CLUSTERSTATUS", collection=old)
        state = status["cluster"]["collections"][old]
        fresh = f"{alias}_{time.strftime('%Y%m%d%H%M%S')}"
        self._collections_api(
            base,
            action="CREATE",
            name=fresh,
            numShards=len(state["shards"]),
            replicationFactor=state.get("replicationFactor", 1),
            **{"collection.configName": state["configName"]},
        )
        builder = type(self)(self.connection_alias, **{**self._options, "URL": f"{base}/{fresh}"})
        try:
            count = write(builder)
            builder.conn.commit()
        except BaseException:
            self._collections_api(base, action="DELETE", name=fresh)
            raise
        self._collections_api(base, action="CREATEALIAS", name=alias, collections=fresh)
        self._collections_api(base, action="DELETE", name=old)
        return count

    def _collections_base(self) -> tuple[str, str]:
        """The Solr root URL (…/solr) and the collection or alias name this connection uses."""
        parts = urlsplit(self.conn.url.rstrip("/"))
        path, _, name = parts.path.rpartition("/")
        return urlunsplit(parts._replace(path=path)), name

    def _collections_api(self, base: str, **params) -> dict:
        response = self.conn.get_session().get(
            f"{base}/admin/collections", params={**params, "wt": "json"}, timeout=ADMIN_SECONDS
        )
        body = response.json()
        if response.status_code != 200 or body.get("error") or body.get("failure"):
            raise SolrError(f"Collections API {params.get('action')}: {response.text[:500]}")
        return body

    @staticmethod
    def _limit_to_registered_models() -> bool:
        from django.conf import settings

        return getattr(settings, "HAYSTACK_LIMIT_TO_REGISTERED_MODELS", True)


class ArchiveSolrSearchQuery(SolrSearchQuery):
    def get_spelling_suggestion(self, preferred_query=None):
        """The suggestion for `preferred_query`, or for this query: asked of Solr only now."""
        if self._spelling_suggestion is SPELLING_SUGGESTION_HAS_NOT_RUN:
            self.run(spelling_query=preferred_query, spelling=True)
        return self._spelling_suggestion


class ArchiveSolrEngine(SolrEngine):
    backend = ArchiveSolrBackend
    query = ArchiveSolrSearchQuery
