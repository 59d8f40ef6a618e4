"""The array search answers as Whoosh itself would: the same documents, the same scores, exact
facet counts; the fused indexing analysis equals the analyser; a parallel rebuild loses
nothing."""

from __future__ import annotations

import itertools
import os
import random
from collections import Counter
from datetime import date

import numpy as np
import pytest
from haystack import connections
from whoosh import query as wq

from articles.models import Article, ArticlePerson, Person
from articles.search import sync as index_sync
from articles.search.analysis import analyse_text, index_terms
from articles.search.whoosh import engine, internals
from articles.search.whoosh.analysis import ANALYZER, ArchiveQueryParser
from tests.conftest import make_article

WORDS = [
    *("missile", "defence", "radar", "treaty", "Lavrov", "Rice", "Gates", "Warsaw", "Czech"),
    *("Poland", "interceptor", "Kremlin", "talks", "letter", "proposal", "summit"),
    *("negotiations", "negotiated", "the", "of", "and"),
]
SOURCES = ("Alpha Wire", "Beta News", "Gamma Daily")


@pytest.fixture
def shuffled(corpus, on_commit):
    """The shared corpus and sixty articles of shuffled words over three sources; five
    re-saved afterwards, so the index has two segments and deleted documents, as a live
    archive does."""
    rng = random.Random(7)
    with on_commit():
        for n in range(60):
            make_article(
                title=" ".join(rng.sample(WORDS, 3)),
                body=" ".join(rng.choice(WORDS) for _ in range(rng.randint(5, 80))),
                source=rng.choice(SOURCES),
                published_date=date(2000 + n % 9, 1 + n % 12, 1) if n % 7 else None,
            )
    with on_commit():
        for article in Article.objects.order_by("pk")[:5]:
            article.title += " Sochi"
            article.save()
    return connections["default"].get_backend()


QUERIES = [
    "missile",
    "missile defence",
    "missile OR radar",
    "missile NOT radar",
    "Lavrov AND (Rice OR Gates)",
    "negotiat*",
    # Fuzzy words: the engine lists a segment's near words itself (internals.fuzzy_words).
    "missle~1",
    "negotiatons~2 radr~2",
    "title:tretay~2",
    "title:treaty",
    "Sochi",
    "nosuchword",
    # Date ranges, as Haystack writes them; undated articles are in no range.
    "missile AND pub_date:[20030101000000 to]",
    "pub_date:[to 20050101000000]",
    "radar AND pub_date:{20030101000000 to 20060101000000}",
]


def read_from_blocks(monkeypatch) -> None:
    """Read every segment as one written without postings arrays (an older index)."""
    monkeypatch.setattr(engine, "_segment_arrays", lambda reader: None)


@pytest.mark.parametrize("reading", ["arrays", "blocks"])
@pytest.mark.parametrize("text", QUERIES)
def test_array_search_finds_and_scores_what_whoosh_does(shuffled, text, reading, monkeypatch):
    """Scores are compared on one field: a word over the default fields is scored as
    BM25F, which Whoosh's per-field weighting cannot express (the next test). The
    postings are read from the segments' arrays, or from Whoosh's blocks."""
    if reading == "blocks":
        read_from_blocks(monkeypatch)
    searcher = shuffled.searcher()
    assert searcher.reader().has_deletions()
    parsed = shuffled.parser.parse(text)
    expected = {hit.docnum for hit in searcher.search(parsed, limit=None)}
    assert set(engine.ArraySearch(searcher).evaluate(parsed).docs.tolist()) == expected
    parsed = ArchiveQueryParser(shuffled.index.schema, fieldnames=("text",)).parse(text)
    expected = {hit.docnum: hit.score for hit in searcher.search(parsed, limit=None)}
    found = engine.ArraySearch(searcher).evaluate(parsed)
    assert set(found.docs.tolist()) == set(expected)
    if "*" not in text and "~" not in text:  # Whoosh scores expansions as a constant, as we do
        # The same scores, up to a constant (Whoosh adds 1 for a NOT): the same ranking.
        gaps = [
            expected[n] - score for n, score in zip(found.docs.tolist(), found.scores, strict=True)
        ]
        assert max(gaps, default=0) - min(gaps, default=0) < 1e-9


def test_a_word_in_several_fields_counts_once_more_weakly_not_again(shuffled):
    """BM25F: a word in the title and the body (which holds the title too) ranks above
    the same text without it in the title, but its fields' occurrences saturate together:
    less than each field scored on its own and added up, which counted one word as two."""
    searcher = shuffled.searcher()
    search = engine.ArraySearch(searcher)
    fielded = search.evaluate(shuffled.parser.parse("missile"))
    alone = {}
    for name in ("text", "title"):
        found = search.term(name, "missil")
        alone[name] = dict(zip(found.docs.tolist(), found.scores.tolist(), strict=True))
    in_title = [doc for doc in fielded.docs.tolist() if doc in alone["title"]]
    assert in_title
    scores = dict(zip(fielded.docs.tolist(), fielded.scores.tolist(), strict=True))
    for doc in in_title:
        body = alone["text"].get(doc, 0.0)
        assert body < scores[doc] < body + alone["title"][doc]


@pytest.mark.parametrize(
    "text",
    [
        '"missile defence"',
        '"treaty talks"',
        '"Warsaw Czech Poland"',
        '"missile of the defence"',
        'title:"radar treaty"',
    ],
)
def test_phrases_match_the_documents_whoosh_matches(shuffled, text):
    searcher = shuffled.searcher()
    parsed = shuffled.parser.parse(text)
    expected = {hit.docnum for hit in searcher.search(parsed, limit=None)}
    assert set(engine.ArraySearch(searcher).evaluate(parsed).docs.tolist()) == expected


# Few words, so that phrases of them occur by chance; both spellings of a spelling pair.
PHRASE_WORDS = ("missile", "defence", "defense", "system", "the", "of", "radar", "talks")


@pytest.fixture
def phrased(corpus, on_commit):
    """Sixty articles of those words shuffled; five re-saved afterwards, so the index has
    two segments and deleted documents."""
    rng = random.Random(21)
    with on_commit():
        made = [
            make_article(
                title=" ".join(rng.choice(PHRASE_WORDS) for _ in range(4)),
                body=" ".join(rng.choice(PHRASE_WORDS) for _ in range(rng.randint(3, 90))),
            )
            for _ in range(60)
        ]
    with on_commit():
        for article in made[:5]:
            article.body += " the missile defense system"
            article.save()
    return connections["default"].get_backend()


def phrase_by_sets(reader, words: list[tuple[bytes, ...]]) -> list[int]:
    """A segment's live documents holding the words (any of each one's forms) side by side
    in this order, from each document's position lists read one by one."""
    places = []
    for forms in words:
        held: dict[int, set[int]] = {}
        for btext in forms:
            if ("exact", btext) in reader:
                for doc, positions in reader.postings("exact", btext).items_as("positions"):
                    held.setdefault(doc, set()).update(positions)
        places.append(held)
    return [
        doc
        for doc in sorted(places[0])
        if not reader.is_deleted(doc)
        and any(
            all(start + i in held.get(doc, ()) for i, held in enumerate(places))
            for start in places[0][doc]
        )
    ]


@pytest.mark.parametrize("reading", ["arrays", "blocks"])
@pytest.mark.parametrize(
    "text",
    [
        '"missile defence"',
        '"missile defense"',
        '"the missile defence system"',
        '"defence of the radar"',
        '"of the"',
        '"the the"',
        '"radar talks system"',
        'title:"missile defense"',
    ],
)
def test_a_quoted_phrase_finds_and_scores_what_its_position_lists_say(
    phrased, text, reading, monkeypatch
):
    """Each segment's documents holding the phrase (a spelling pair's forms alike, stop
    words counted, deleted documents left out) are those its words' position lists say,
    read one document at a time, whichever way each word is looked up; and they keep the
    scores of the phrase's stems."""
    from articles.search.whoosh.analysis import EXACT_FIELD, spelling_forms

    if reading == "blocks":
        read_from_blocks(monkeypatch)
    engine.POSTINGS_CACHE.entries.clear()
    searcher = phrased.searcher()
    leaves = engine._leaves(searcher)
    assert len(leaves) > 1 and searcher.reader().has_deletions()
    parsed = phrased.parser.parse(text)
    nodes = parsed.subqueries if hasattr(parsed, "subqueries") else [parsed]
    to_bytes = searcher.schema[EXACT_FIELD].to_bytes
    words = [tuple(map(to_bytes, forms)) for forms in spelling_forms(nodes[0].words)]
    expected = []
    for reader, offset in leaves:
        by_sets = phrase_by_sets(reader, words)
        # Each word looked up in keys or in its summed positions, by tables or searches.
        for share, dense in itertools.product((0, 10**9), (0, 10**9)):
            monkeypatch.setattr(engine, "SUMMED_SHARE", share)
            monkeypatch.setattr(engine, "DENSE_TABLE", dense)
            assert engine.phrase_docs(reader, EXACT_FIELD, words).tolist() == by_sets
        expected += [doc + offset for doc in by_sets]
    assert expected  # the phrase occurs
    search = engine.ArraySearch(searcher)
    stems = engine.union(
        [
            engine.intersection([search.term(n.fieldname, s) for s in n.stems])
            if n.stems
            else search.every()  # stop words alone: every match scores alike
            for n in nodes
        ]
    )
    keep = np.isin(stems.docs, expected)
    matches = engine.ArraySearch(searcher).evaluate(parsed)
    assert matches.docs.tolist() == stems.docs[keep].tolist()
    assert matches.scores.tolist() == stems.scores[keep].tolist()


def test_top_results_are_ranked_by_score_then_document(shuffled):
    searcher = shuffled.searcher()
    parsed = shuffled.parser.parse("missile OR radar")
    expected = [hit.docnum for hit in searcher.search(parsed, limit=10)]
    docs, _ = engine.top(engine.ArraySearch(searcher).evaluate(parsed), 0, 10)
    assert docs.tolist() == expected
    page_two, _ = engine.top(engine.ArraySearch(searcher).evaluate(parsed), 5, 10)
    assert page_two.tolist() == expected[5:]


def test_facet_counts_are_exact_over_the_matches(shuffled):
    searcher = shuffled.searcher()
    found = engine.ArraySearch(searcher).evaluate(shuffled.parser.parse("radar"))
    stored = [searcher.stored_fields(int(n)) for n in found.docs]
    for name in ("source_exact", "year"):
        counts = engine.count_values(searcher, name, found.docs, multivalued=False)
        assert dict(counts) == Counter(fields[name] for fields in stored)
    assert sum(count for _, count in counts) == len(found)


def test_facet_counts_of_fields_of_many_values_are_exact_over_the_matches(shuffled, on_commit):
    """People (as topics and rounds): an article names several, and each is counted once
    for every matched article that names them, deleted documents left out."""
    rng = random.Random(11)
    people = [
        Person.objects.create(slug=f"person-{n}", name=f"Person {n}", surname=f"P{n}")
        for n in range(6)
    ]
    with on_commit():
        for n in range(40):
            article = make_article(body=" ".join(rng.choice(WORDS) for _ in range(30)))
            for person in rng.sample(people, n % 4):
                ArticlePerson.objects.create(article=article, person=person)
    with on_commit():
        for article in Article.objects.filter(mentions__isnull=False).distinct()[:4]:
            article.save()  # re-indexed: its earlier document is deleted
    backend = connections["default"].get_backend()
    searcher = backend.searcher()
    found = engine.ArraySearch(searcher).evaluate(backend.parser.parse("missile OR radar"))
    matched = set(found.docs.tolist())
    expected = {}
    for value in searcher.lexicon("people"):
        holders = set(searcher.docs_for_query(wq.Term("people", value))) & matched
        if holders:
            expected[value.decode()] = len(holders)
    counts = engine.count_values(searcher, "people", found.docs, multivalued=True)
    assert dict(counts) == expected and len(expected) == 6
    assert [count for _, count in counts] == sorted(expected.values(), reverse=True)


@pytest.mark.parametrize(
    "text",
    [
        "The talks resumed. The U.S. and Russia met in Geneva on 12.10.2007.",
        "of the and",  # stop words only
        "Defense and defence: the organization's programmes, colour and color.",
        "Лавров заявил, что Россия и США продолжат переговоры.",
        "a b c d e f g 3.14 x.y.z e.g. co-operation",
        "",
    ],
)
def test_the_fused_indexing_analysis_equals_the_analyser(text):
    positions: dict[str, list[int]] = {}
    for token in ANALYZER(text, positions=True):
        positions.setdefault(token.text, []).append(token.pos)
    unstemmed = {token.text for token in ANALYZER(text, no_morph=True)}
    assert index_terms(text) == (positions, unstemmed)
    # The engine-independent reading (query tree, highlighting) agrees with the index's.
    assert analyse_text(text) == [token.text for token in ANALYZER(text)]


def test_a_parallel_rebuild_indexes_every_article_once(shuffled, settings, monkeypatch):
    settings.ARCHIVE_INDEX_WORKERS = 2
    monkeypatch.setattr(index_sync, "PARALLEL_MIN_PER_WORKER", 10)
    monkeypatch.setattr(index_sync, "BATCH_SIZE", 7)
    before = {hit.pk for hit in _search("missile")}
    assert index_sync.rebuild_index() == Article.objects.count()
    searcher = connections["default"].get_backend().searcher()
    assert len(searcher.reader().leaf_readers()) >= 2  # one segment per process, no merge
    assert index_sync.compare_index().clean
    assert {hit.pk for hit in _search("missile")} == before


def _search(text: str):
    from haystack.query import SearchQuerySet

    return list(SearchQuerySet().auto_query(text)[:1000])


def test_a_parallel_update_replaces_the_documents_it_rewrites(shuffled, settings, monkeypatch):
    settings.ARCHIVE_INDEX_WORKERS = 2
    monkeypatch.setattr(index_sync, "PARALLEL_MIN_PER_WORKER", 10)
    monkeypatch.setattr(index_sync, "BATCH_SIZE", 7)
    Article.objects.update(title="Zanzibar communique")  # no signals: the index is stale
    pks = list(Article.objects.values_list("pk", flat=True))
    assert index_sync.update_articles(pks) == len(pks)
    searcher = connections["default"].get_backend().searcher()
    assert searcher.doc_count() == len(pks)  # the old versions are gone, not doubled
    assert {hit.pk for hit in _search("Zanzibar")} == {str(pk) for pk in pks}
    assert not index_sync.compare_index().missing


def test_a_few_documents_positions_read_from_their_blocks_equal_the_whole_reading(tmp_path):
    """Over many postings blocks, the positions of chosen documents read from the blocks
    that hold them are those of a reading of every block."""
    from whoosh import fields, index

    schema = fields.Schema(body=fields.TEXT(phrase=True))
    writer = index.create_in(tmp_path, schema).writer()
    rng = random.Random(3)
    for _ in range(1_000):
        words = ["filler"] * rng.randint(1, 30)
        for _place in range(rng.randint(0, 3)):
            words.insert(rng.randint(0, len(words)), "radar")
        writer.add_document(body=" ".join(words))
    writer.commit()
    reader = index.open_dir(tmp_path).reader()
    docs, _, counts, deltas = internals.postings_and_positions(reader.postings("body", b"radar"))
    whole = dict(zip(docs.tolist(), np.split(deltas, np.cumsum(counts)[:-1]), strict=True))
    for wanted in ([0], [3, 500, 501, 998], sorted(rng.sample(range(1_000), 60)), [999]):
        found, _, counts, deltas = internals.postings_and_positions_of(
            reader.postings("body", b"radar"), np.array(wanted)
        )
        assert found.tolist() == [doc for doc in wanted if doc in whole]
        some = np.split(deltas, np.cumsum(counts)[:-1]) if len(found) else []
        assert all(
            (places == whole[doc]).all() for doc, places in zip(found.tolist(), some, strict=True)
        )


def test_words_near_each_other_rank_alike_whether_positions_were_kept_or_not(shuffled, monkeypatch):
    """Positions read with a word's postings are kept for the nearness boost; when they
    were not kept, only the blocks holding the best matches are read, not kept, and the
    results and their scores are the same."""
    from articles.search.query import Criteria
    from articles.search.service import run_search

    read_from_blocks(monkeypatch)
    monkeypatch.setattr(engine, "NEARNESS_CANDIDATES", 7)  # some blocks left unread
    queries = ["missile defence", "Lavrov radar treaty", "Czech Poland interceptor Kremlin"]

    def ranked() -> dict:
        engine.RECENT_MATCHES.entries.clear()
        return {
            q: [(row.article.pk, round(row.score, 9)) for row in run_search(Criteria(q=q)).rows]
            for q in queries
        }

    def positions_kept() -> list:
        return [key for key in engine.POSTINGS_CACHE.entries if key[-1] == "positions"]

    for key in list(engine.POSTINGS_CACHE.entries):
        engine.POSTINGS_CACHE.entries.pop(key)
    kept = ranked()
    assert positions_kept()
    for key in positions_kept():
        engine.POSTINGS_CACHE.entries.pop(key)
    assert ranked() == kept
    assert not positions_kept()


def test_position_lists_decode_in_bulk_as_whoosh_encodes_them():
    """One, two and 2,500 positions (pickled in batches), small and huge gaps."""
    from whoosh.formats import Positions

    encode = Positions().encode
    lists = [[0], [5], [3, 300], [1, 70_000, 70_001], list(range(0, 7_500, 3)), [2**20]]
    values = [encode(places) for places in lists]
    counts, deltas = internals.decode_position_lists(values)
    assert counts.tolist() == [len(places) for places in lists]
    expected = [d for places in lists for d in np.diff(places, prepend=0).tolist()]
    assert deltas.tolist() == expected


def test_positions_are_encoded_as_whoosh_encodes_them():
    from whoosh.formats import Positions

    lists = [[0], [5], [0, 1], [3, 300], [1, 70_000, 70_001], list(range(0, 7_500, 3)), [2**20]]
    for places in lists:
        assert internals.encode_positions(places) == Positions().encode(places)
        assert internals.encode_positions(places) == Positions().encode(places)  # kept


def test_the_postings_cache_keeps_hitting_when_a_cycle_of_queries_overflows_it():
    """Least-recently-used eviction would miss every time on a repeating sequence larger
    than the budget; the cache must still serve part of it, and stay within budget."""
    cache = engine._PostingsCache(budget=10 * 800)  # ten entries of 800 bytes
    reads = []

    def reader(n):
        return lambda: reads.append(n) or (np.zeros(100, dtype=np.int64),)

    for _ in range(5):
        for n in range(12):
            cache.get(("term", n), reader(n))
    assert cache.used <= cache.budget
    assert len(reads) < 5 * 12 * 0.7  # a good share of the later passes were hits


def test_the_engine_refuses_to_load_under_a_whoosh_it_was_not_written_for(monkeypatch):
    import importlib

    import whoosh

    monkeypatch.setattr(whoosh, "versionstring", lambda: "2.8.0")
    with pytest.raises(ImportError, match="written for Whoosh 2.7.4, found 2.8.0"):
        importlib.reload(internals)
    monkeypatch.undo()
    importlib.reload(internals)


def test_postings_written_a_term_at_a_time_are_the_bytes_whoosh_writes(tmp_path, monkeypatch):
    """The same documents written by the archive's segment writer with and without its own
    postings pool and loop give identical segment files (terms in more than one block of
    128 postings, fields without lengths, spelling words, facets, numbers and dates), also
    when both pools spill to disk; with the smallest blocks left uncompressed, the files
    are smaller and every term reads back the same."""
    from datetime import UTC, datetime

    import whoosh.index

    from articles.search.whoosh.arrays import EXTENSION as ARRAYS
    from articles.search.whoosh.backend import WRITER_MB, ArchiveSegmentWriter

    rng = random.Random(3)
    backend = connections["default"].get_backend()
    backend.setup()
    index = connections["default"].get_unified_index().get_index(Article)
    docs = []
    for n in range(1, 301):
        article = Article(
            pk=n,
            title=" ".join(rng.sample(WORDS, 3)),
            body=" ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 120)))
            + f" rare{n} rare{n // 2} rare{n // 3}",
            published_date=date(2000 + n % 9, 1 + n % 12, 1) if n % 5 else None,
            updated_at=datetime(2024, 1, 1, tzinfo=UTC),
        )
        article.index_links = {
            "people": sorted(rng.sample(["lavrov", "rice", "gates"], n % 3)),
            "topics": ["cfe-treaty"] if n % 4 else [],
            "rounds": [],
        }
        docs.append(backend.prepare_document(index, article))

    def write(name: str, limitmb: float = WRITER_MB) -> dict[str, bytes]:
        folder = tmp_path / name
        folder.mkdir()
        ix = whoosh.index.create_in(str(folder), backend.schema)
        writer = ArchiveSegmentWriter(ix, limitmb=limitmb, compound=False)
        for doc in docs:
            writer.add_document(**doc)
        writer.commit(merge=False)
        [segment] = internals.toc_segments(whoosh.index.open_dir(str(folder)))
        prefix = internals.segment_file_prefix(segment)
        return {
            path.name[len(prefix) :]: path.read_bytes()
            for path in folder.iterdir()
            if path.name.startswith(prefix) and not path.name.endswith(ARRAYS)
        }

    def read_back(name: str) -> dict:
        with whoosh.index.open_dir(str(tmp_path / name)).reader() as reader:
            terms = {}
            for fieldname, btext in reader.all_terms():
                info = reader.term_info(fieldname, btext)
                matcher = reader.postings(fieldname, btext)
                postings = []
                while matcher.is_active():
                    postings.append((matcher.id(), matcher.weight(), matcher.value()))
                    postings.append((matcher.block_min_length(), matcher.block_max_length()))
                    matcher.next()
                terms[fieldname, btext] = (
                    (info.weight(), info.doc_frequency(), info.min_length(), info.max_length()),
                    postings,
                )
            return terms

    smaller = write("smaller")
    monkeypatch.setattr(internals, "UNCOMPRESSED_POSTINGS", 0)
    ours = write("ours")
    spilled = write("spilled", limitmb=0.05)
    monkeypatch.setattr(internals, "write_postings_by_term", lambda writer, fields: None)
    whooshs = write("whoosh")
    assert ".pst" in ours and ".trm" in ours
    assert ours == whooshs
    assert spilled == write("whoosh-spilled", limitmb=0.05)
    assert len(smaller[".pst"]) < len(whooshs[".pst"])
    assert read_back("smaller") == read_back("whoosh")


def test_cached_keys_pack_into_8_or_16_bit_steps_only_where_every_step_fits():
    densest = np.array([5, 9, 264, 519], dtype=np.uint32)
    packed = engine.packed_keys(densest)
    assert [part.dtype for part in packed] == [np.uint32, np.uint8]
    assert engine.unpacked_keys(packed).tolist() == densest.tolist()
    dense = np.array([5, 9, 60_000, 60_001, 120_000], dtype=np.uint32)
    packed = engine.packed_keys(dense)
    assert [part.dtype for part in packed] == [np.uint32, np.uint16]
    assert engine.unpacked_keys(packed).tolist() == dense.tolist()
    sparse = np.array([5, 9, 70_000, 2**32 - 1], dtype=np.uint32)  # a step past 65,535
    assert engine.packed_keys(sparse)[0] is sparse
    assert engine.unpacked_keys(engine.packed_keys(sparse)).tolist() == sparse.tolist()
    single = np.array([7], dtype=np.uint32)
    assert engine.unpacked_keys(engine.packed_keys(single)).tolist() == [7]


def test_cached_postings_keep_whole_weights_as_bytes_and_others_as_they_are():
    docs = np.array([0, 3, 4, 90_000], dtype=np.int32)
    for weights, kept in (([1, 3, 6, 255], np.uint8), ([1, 1.5, 2, 3], np.float32)):
        weights = np.array(weights, dtype=np.float32)
        packed = engine._packed_postings(docs, weights)
        assert packed[-1].dtype == kept
        back_docs, back_weights = engine._unpacked_postings(packed)
        assert back_docs.tolist() == docs.tolist()
        assert back_weights.astype(np.float32).tolist() == weights.tolist()


def test_the_warm_up_reads_the_commonest_words_first_and_their_searches_read_nothing(
    shuffled, monkeypatch
):
    """For segments without postings arrays (the next test)."""
    from articles.search.query import Criteria
    from articles.search.service import run_search

    read_from_blocks(monkeypatch)
    monkeypatch.setattr(engine, "POSTINGS_CACHE", engine._PostingsCache(budget=4_000))
    searcher = shuffled.searcher()
    read = shuffled.warm_commonest_words(seconds=60)
    cached = {key[2] for key in engine.POSTINGS_CACHE.entries if key[1] == "text"}
    counts = {
        btext: searcher.doc_frequency("text", btext)
        for btext, _ in searcher.reader().iter_field("text")
    }
    commonest = sorted(counts, key=counts.__getitem__, reverse=True)
    assert 0 < len(cached) <= read < len(counts)
    assert min(counts[b] for b in cached) >= counts[commonest[len(cached) + 2]]

    reads = []
    real = internals.block_postings
    monkeypatch.setattr(internals, "block_postings", lambda m: reads.append(m) or real(m))
    engine.RECENT_MATCHES.entries.clear()
    run_search(Criteria(q=commonest[0].decode()))
    assert not reads


def test_each_segment_keeps_its_postings_as_arrays_whoosh_deletes_with_it(shuffled, monkeypatch):
    """Written with the segment, named as its files are (so Whoosh's clean-up of a merged
    segment's files takes them too), and a search for a word reads none of Whoosh's
    blocks."""
    from whoosh.index import TOC

    searcher = shuffled.searcher()
    leaves = engine._leaves(searcher)
    assert len(leaves) > 1
    for reader, _ in leaves:
        path = internals.arrays_path(reader)
        assert engine._segment_arrays(reader) is not None
        assert TOC._segment_pattern(shuffled.index.indexname).match(os.path.basename(path))
        held = engine._segment_arrays(reader)
        for fieldname in ("text", "title", "exact"):
            for btext, _ in reader.iter_field(fieldname):
                read = internals.postings_and_positions(reader.postings(fieldname, btext))
                found = held.term(fieldname, btext)
                kept = (found.docs, found.weights, found.counts, found.deltas)
                assert live_postings(reader, *kept) == live_postings(reader, *read)
    reads = []
    real = internals.block_postings
    monkeypatch.setattr(internals, "block_postings", lambda m: reads.append(m) or real(m))
    engine.POSTINGS_CACHE.entries.clear()
    assert len(engine.ArraySearch(searcher).evaluate(shuffled.parser.parse("missile radar")))
    assert not reads


def test_a_segments_arrays_count_its_words_as_whoosh_does_and_a_word_search_asks_them(
    shuffled, monkeypatch
):
    """Whether a segment holds a word, and in how many documents (deleted ones included),
    is answered from its arrays' table of terms, in memory, equal to Whoosh's terms file,
    which a search for words (nearness boost included) then never reads."""
    from whoosh.reading import SegmentReader

    searcher = shuffled.searcher()
    for reader, _ in engine._leaves(searcher):
        for fieldname in ("text", "title", "exact"):
            for btext, info in reader.iter_field(fieldname):
                assert engine._doc_frequency(reader, fieldname, btext) == info.doc_frequency()
            assert engine._doc_frequency(reader, fieldname, b"unheardof") == 0
    asked = []
    for name in ("__contains__", "doc_frequency", "term_info"):
        real = getattr(SegmentReader, name)
        monkeypatch.setattr(
            SegmentReader,
            name,
            lambda self, *a, _real=real, **k: asked.append(a) or _real(self, *a, **k),
        )
    engine.POSTINGS_CACHE.entries.clear()
    found = engine.ArraySearch(searcher).ranked(shuffled.parser.parse("missile radar"))
    # These articles have no other text: no table of it in the arrays, Whoosh's file says.
    assert len(found) and asked and all(fieldname == "other_text" for fieldname, _ in asked)


def live_postings(reader, docs, weights, counts, deltas) -> dict:
    """{document: (weight, its position deltas)} for a segment's live documents."""
    places = np.split(np.asarray(deltas), np.cumsum(counts)[:-1]) if len(docs) else []
    return {
        doc: (weight, list(mine))
        for doc, weight, mine in zip(docs.tolist(), weights.tolist(), places, strict=True)
        if not reader.is_deleted(doc)
    }


def test_the_warm_up_reads_each_segments_word_counts_though_its_arrays_need_no_read_ahead(
    shuffled,
):
    """Related coverage weighs an article's words by their counts: a worker's first
    article page must not wait for every segment's table of them."""
    engine._segment_cache.clear()
    assert shuffled.warm_commonest_words(seconds=60) == 0  # postings: all in arrays
    for reader, _ in engine._leaves(shuffled.searcher()):
        segment = reader.segment().segment_id()
        assert (segment, "doc_frequencies", "text") in engine._segment_cache
