"""One query tree, one compiler per engine: the archive's engine runs exactly the query
its own parser reads from the text, and Solr gets the same search in its syntax."""

import re

import pytest
from haystack import connections
from hypothesis import given, settings
from hypothesis import strategies as st

from articles.search.nodes import strict
from articles.search.parser import parse_query
from articles.search.query import clean_query
from articles.search.solr.compile import PARSER, relaxes_words, to_solr, words_wanted
from articles.search.whoosh.analysis import ArchiveQueryParser, MostWords
from articles.search.whoosh.backend import archive_schema
from articles.search.whoosh.compile import to_whoosh

QUERIES = [
    "Lavrov Rice",
    "Medvedev OR Putin",
    "Lavrov NOT Medvedev",
    '"it is not a threat"',
    '"missile defence"~3',
    "negotiat* Defense*",
    "wom?n nego*ing",
    "Medvedv~ Medvedv~2 Medvedv~2/3",
    "title:radar source:BBC byline:Marcus dateline:Moscow",
    'source:"Voice of America" title:"it is not"',
    "title:(radar OR talks) title:radar",
    "x y OR z",
    "x OR y AND z",
    "x OR NOT y z",
    "(x OR y) AND NOT (z OR w)",
    "year:[2007 TO 2008] people:putin",
    "U.S.-Russia don't co-operation 3.5",
    "foo:bar 'x y' the radar",
    "Putin^2 (radar OR talks)^1.5",
    "radar ^2 OR Moscow",
    "*",
]


def _parser() -> ArchiveQueryParser:
    """The engine's own parser over the index's schema, as the backend builds it."""
    fields = connections["default"].get_unified_index().all_searchfields()
    content_field_name, schema = archive_schema(fields)
    return ArchiveQueryParser(schema, (content_field_name, "title"))


@pytest.fixture(scope="module")
def whoosh_parser():
    return _parser()


@pytest.mark.parametrize("text", QUERIES)
def test_the_archive_s_engine_runs_the_query_its_parser_reads_from_the_text(whoosh_parser, text):
    # Words side by side are relaxed by the engine (below); made strict, the same search.
    compiled = to_whoosh(strict(parse_query(text)))
    assert repr(whoosh_parser.parse(compiled)) == repr(whoosh_parser.parse(text))


@pytest.mark.parametrize(
    "text, relaxed",
    [
        ("Lavrov Rice missile", "Lavrov MOSTOF Rice MOSTOF missile"),
        ('"missile defence" Lavrov Rice', "Lavrov MOSTOF Rice"),
        ("title:radar Lavrov Rice", "Lavrov MOSTOF Rice"),
        ("Putin^2 Lavrov", "(Putin^2) MOSTOF Lavrov"),
    ],
)
def test_words_side_by_side_compile_to_most_of_them_and_the_rest_stays_required(
    whoosh_parser, text, relaxed
):
    compiled = to_whoosh(parse_query(text))
    assert f"({relaxed})" in compiled
    parsed = whoosh_parser.parse(compiled)
    relaxed_part = parsed if isinstance(parsed, MostWords) else parsed.subqueries[-1]
    assert isinstance(relaxed_part, MostWords)


@pytest.mark.parametrize("text", ["x AND y z", "x OR y", "title:(x y)", "x NOT y", "MOSTOF"])
def test_explicit_operators_fields_and_a_lone_word_keep_every_word(whoosh_parser, text):
    parsed = whoosh_parser.parse(to_whoosh(parse_query(text)))
    assert "MostWords" not in repr(parsed)


_words = st.sampled_from(
    ["radar", "Moscow", "the", "defense", "talks", "U.S.-Russia", "don't", "3.5", "foo:bar"]
)
_forms = st.one_of(
    _words,
    _words.map(lambda w: f"{w.split(':')[0].split('.')[0]}*"),
    _words.map(lambda w: f"{w.split(':')[0].split('.')[0]}~2"),
    st.lists(_words, min_size=1, max_size=3).map(lambda ws: '"' + " ".join(ws) + '"'),
    st.sampled_from(["title:", "source:", "byline:"]).flatmap(
        lambda field: _words.map(lambda w: field + w)
    ),
    st.sampled_from(["AND", "OR", "NOT", "(", ")"]),
)


_ADJACENT_OPERATORS = re.compile(r"\b(?:AND|OR|NOT) +(?:AND|OR)\b")


@settings(max_examples=200, deadline=None)
@given(st.lists(_forms, min_size=1, max_size=6).map(" ".join))
def test_any_query_of_documented_forms_compiles_to_what_whoosh_reads_from_it(text):
    parser = _parser()
    cleaned = clean_query(text).text
    tree = parse_query(cleaned)
    if tree is None or "NOT NOT" in cleaned or _ADJACENT_OPERATORS.search(cleaned):
        # Whoosh fails on a double NOT, and reads operators side by side inconsistently
        # ("x OR OR y" as x AND y, "x OR OR OR y" as x OR y): the tree ignores the first.
        return
    try:
        expected = repr(parser.parse(cleaned))
    except Exception:  # noqa: BLE001 - Whoosh's own parser fails on some odd input
        return
    assert repr(parser.parse(to_whoosh(strict(tree)))) == expected


@pytest.mark.parametrize(
    "text, solr",
    [
        # A lone plain word beside other parts is required (`test_words_side_by_side_…`).
        ("title:x Lavrov", "(title:x AND Lavrov)"),
        ("the Lavrov", "(Lavrov)"),
        ("Medvedev OR Putin", "(Medvedev OR Putin)"),
        ("Lavrov NOT Medvedev", "(Lavrov AND (NOT Medvedev))"),
        ('"it is not a threat"', 'exact:"it is not a threat"'),
        ('title:"it is not"', '(exact:"it is not" AND title:"it is not")'),
        ('"missile defence"~3', '"missile defence"~3'),
        ('source:"Voice of America"', 'source:"Voice of America"'),
        ("Negotiat*", "(negotiat* OR exact:negotiat*)"),
        ("title:Negotiat*", "title:negotiat*"),
        ("wom?n nego*ing", "(wom?n AND nego*ing)"),
        # Solr does not analyse prefixes or fuzzy words: they are sent as the embedded
        # engine looks them up, folded and stemmed.
        ("Defense*", "(defenc* OR exact:defense*)"),
        ("Talks~", "talk~1"),
        ("Medvedv~", "medvedv~1"),
        ("Medvedv~2/3", "medvedv~2"),
        ("title:radar", "title:radar"),
        ("title:(radar OR talks)", "(title:radar OR title:talks)"),
        ("x y OR z", "(x AND (y OR z))"),
        ("year:[2007 TO 2008]", "year:[2007 TO 2008]"),
        ("year:{2007 TO ]", "year:{2007 TO *]"),
        # A word the analysis splits wants every part (Solr alone would want any one).
        ("U.S.-Russia", "(U.S AND Russia)"),
        ("foo:bar", "(foo AND bar)"),
        ("'x y'", "(x AND y)"),
        ("title:two-plus-two", "title:(two AND plus AND two)"),
        ("Putin^2", "(Putin)^2"),
        ("*", "id:*"),
    ],
)
def test_solr_gets_the_same_search_in_its_syntax(text, solr):
    assert to_solr(parse_query(text)) == solr


@pytest.mark.parametrize(
    "text, required, words, wanted",
    [
        ("Lavrov Rice", "", "Lavrov Rice", 2),
        ("Lavrov Rice missile talks", "", "Lavrov Rice missile talks", 2),
        ("Lavrov Rice missile talks Moscow", "", "Lavrov Rice missile talks Moscow", 3),
        # Stop words are not counted; the parts that are not plain words stay required.
        ("the Lavrov of Rice missile", "", "Lavrov Rice missile", 2),
        (
            'title:x "missile defence" Lavrov Rice',
            'title:x AND exact:"missile defence" AND ',
            "Lavrov Rice",
            2,
        ),
    ],
)
def test_words_side_by_side_on_solr_want_most_of_them_in_a_nested_edismax(
    text, required, words, wanted
):
    compiled = to_solr(parse_query(text))
    assert compiled.startswith(f"({required}_query_:")
    assert f"mm={wanted} " in compiled and f"v='{words}'" in compiled
    assert relaxes_words(compiled)
    # The groups: holding most of the words, and every word, each lift the score.
    assert f"mm={wanted} v=" in compiled and "mm=100% v=" in compiled
    # Every word (the count the page reports), or any one (the articles listed): only the
    # outer query's want changes, the groups inside stay.
    assert f"{{!{PARSER} sow=true mm=100% boost=" in words_wanted(compiled, "100%")
    assert words_wanted(compiled, "1").count("mm=1 ") == 1
    assert f"mm={wanted} v=" in words_wanted(compiled, "1")


@pytest.mark.parametrize(
    "text",
    ["Lavrov AND Rice", "Lavrov OR Rice", "title:(x y)", "x", f"{{!{PARSER} sow=true mm=2 x}}"],
)
def test_only_words_side_by_side_relax_on_solr_and_a_reader_cannot_write_the_nested_query(text):
    compiled = to_solr(strict(parse_query(text)))
    assert not relaxes_words(compiled)
    assert "_query_" not in compiled
