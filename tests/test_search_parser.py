"""The query syntax read into one tree for every engine: each documented form, the
precedence the archive has always had, the cost limits checked on the tree, and, for any
text at all, a tree (never an error) that reads back the same from its own text form."""

import contextlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from articles.search import limits
from articles.search.limits import QueryTooCostly, check_cost
from articles.search.nodes import (
    And,
    Boost,
    Everything,
    Fuzzy,
    Not,
    Or,
    Phrase,
    Prefix,
    Range,
    Wildcard,
    Word,
    leaves,
    needs_quotes,
)
from articles.search.parser import QUERY_FIELDS, has_words, parse_query, positive_terms


@pytest.mark.parametrize(
    "text, tree",
    [
        ("Lavrov", Word("Lavrov")),
        ("Lavrov Rice", And((Word("Lavrov"), Word("Rice")))),
        ("Medvedev OR Putin", Or((Word("Medvedev"), Word("Putin")))),
        ("Lavrov NOT Medvedev", And((Word("Lavrov"), Not(Word("Medvedev"))))),
        ('"it is not a threat"', Phrase("it is not a threat")),
        ('"missile defence"~3', Phrase("missile defence", slop=3)),
        ("negotiat*", Prefix("negotiat")),
        ("wom?n", Wildcard("wom?n")),
        ("nego*ing", Wildcard("nego*ing")),
        ("Medvedv~", Fuzzy("Medvedv")),
        ("Medvedv~2", Fuzzy("Medvedv", distance=2)),
        ("Medvedv~2/3", Fuzzy("Medvedv", distance=2, prefix=3)),
        ("title:radar", Word("radar", "title")),
        ("source:BBC", Word("BBC", "source")),
        ("byline:Marcus", Word("Marcus", "byline")),
        ("dateline:Moscow", Word("Moscow", "dateline")),
        ('source:"Voice of America"', Phrase("Voice of America", "source")),
        ("year:[2007 TO 2008]", Range("2007", "2008", "year")),
        ("year:{2007 TO ]", Range("2007", "", "year", include_start=False)),
        ("*", Everything()),
        ("Putin^2", Boost(Word("Putin"), 2.0)),
        ("'U.S. Russia'", Word("U.S. Russia")),
        ("U.S.-Russia", Word("U.S.-Russia")),
    ],
)
def test_each_documented_form_reads_as_its_node(text, tree):
    assert parse_query(text) == tree


@pytest.mark.parametrize(
    "text, tree",
    [
        # The implied AND between words binds loosest, then OR, then an explicit AND.
        ("x y OR z", And((Word("x"), Or((Word("y"), Word("z")))))),
        ("x OR y AND z", Or((Word("x"), And((Word("y"), Word("z")))))),
        ("x AND y OR z", Or((And((Word("x"), Word("y"))), Word("z")))),
        ("x OR NOT y z", And((Or((Word("x"), Not(Word("y")))), Word("z")))),
        ("(x OR y) z", And((Or((Word("x"), Word("y"))), Word("z")))),
        ("NOT (x OR y)", Not(Or((Word("x"), Word("y"))))),
        ("x AND y AND z", And((Word("x"), Word("y"), Word("z")))),
        ("NOT NOT x", Word("x")),
    ],
)
def test_operators_keep_the_archive_s_precedence(text, tree):
    assert parse_query(text) == tree


def test_a_field_before_a_group_reaches_every_word_that_names_none():
    assert parse_query("title:(radar OR source:BBC)") == Or(
        (Word("radar", "title"), Word("BBC", "source"))
    )


@pytest.mark.parametrize(
    "text, tree",
    [
        ("foo:bar", Word("foo:bar")),  # not a field the index has: one word, as written
        ("title:", Word("title:")),
        ("x AND", Word("x")),
        ("OR x", Word("x")),
        ("x NOT", Word("x")),
        ("((x", Word("x")),
        ("x))", Word("x")),
        ("()", None),
        ("", None),
        ("radar ^2", And((Word("radar"), Word("^2")))),  # a boost after a space is a word
        ("Talks~2^3", And((Fuzzy("Talks", distance=2), Word("^3")))),  # or after a fuzzy word
        ("x~2y", And((Fuzzy("x", distance=2), Word("y")))),
    ],
)
def test_stray_syntax_is_read_as_words_or_left_out(text, tree):
    assert parse_query(text) == tree


@pytest.mark.parametrize(
    "text, searches",
    [
        ("the", False),
        ("the OR a", False),
        ("NOT radar", False),
        ('"the"', True),  # a quoted phrase keeps every word
        ("the radar", True),
        ("negotiat*", True),
        ("year:2008", True),
    ],
)
def test_only_words_outside_a_not_and_not_too_common_are_something_to_search_for(text, searches):
    assert has_words(parse_query(text)) is searches


def test_words_to_mark_are_analysed_and_none_under_not():
    terms = positive_terms(parse_query('talk* "missile defense" Defense* NOT Kosovo nego*ing'))
    assert terms.terms == set()  # the phrase is marked whole, not word by word
    assert terms.phrases == (("missile", "defense"),)
    assert terms.prefixes == ("talk", "defenc", "nego")


@pytest.mark.parametrize("distance", [3, 5, 9])
def test_a_fuzzy_word_with_too_many_edits_is_refused_on_the_tree(distance):
    with pytest.raises(QueryTooCostly, match=r"at most 2 are allowed \(write talk~2\)"):
        check_cost(parse_query(f"Talks~{distance}"))


@pytest.mark.parametrize(
    "text, message",
    [
        ("m*i*s*s*i*l*e*", "more than 4 wildcards"),
        ("*adar", "begin it with at least one letter"),
        ("ra* ko* tr* la* az*", "This query has 5 words with"),
        ("ra* NOT ko* tr* la* year:[2007 TO 2008]", "This query has 5 words with"),
    ],
)
def test_costly_trees_are_refused_before_any_engine_runs(text, message):
    with pytest.raises(QueryTooCostly, match=message):
        check_cost(parse_query(text))


def test_the_same_expanding_word_twice_counts_once():
    words = " ".join(["ra*", "title:ra*", "ko*", "tr*", "la*"])
    assert limits.MAX_EXPANDING_TERMS == 4
    check_cost(parse_query(words))


# Trees as the parser builds them: joins of two or more parts, never nested in their own
# kind, no double NOT; words that read back as words.
_letters = st.text("abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=6)
_fields = st.none() | st.sampled_from(sorted(QUERY_FIELDS))
_leaves = st.one_of(
    st.builds(Word, _letters, _fields),
    st.builds(Word, st.builds(lambda a, b: f"{a}:{b}", _letters, _letters)),
    st.builds(Word, st.builds(lambda a, b: f"{a} {b}", _letters, _letters)),
    st.builds(Phrase, st.lists(_letters, max_size=4).map(" ".join), _fields),
    st.builds(Phrase, _letters, _fields, st.integers(2, 9)),
    st.builds(Prefix, _letters, _fields),
    st.builds(Wildcard, st.builds(lambda a, b: f"{a}?{b}", _letters, _letters), _fields),
    st.builds(Fuzzy, _letters, _fields, st.integers(0, 9), st.integers(0, 4)),
    st.builds(Range, st.from_regex(r"\A[0-9]{0,4}\Z"), st.from_regex(r"\A[0-9]{0,4}\Z"), _fields),
    st.just(Everything()),
)


def _join(kind):
    def build(parts):
        flat = []
        for part in parts:
            flat.extend(part.children if isinstance(part, kind) else (part,))
        return kind(tuple(flat))

    return build


def _extend(children):
    return st.one_of(
        st.lists(children, min_size=2, max_size=3).map(_join(And)),
        st.lists(children, min_size=2, max_size=3).map(_join(Or)),
        children.filter(lambda node: not isinstance(node, Not)).map(Not),
        st.builds(Boost, children, st.sampled_from([2.0, 0.5, 1.5])),
    )


trees = st.recursive(_leaves, _extend, max_leaves=8)


@settings(max_examples=300, deadline=None)
@given(trees)
def test_a_tree_reads_back_from_its_own_text(tree):
    assert parse_query(tree.text_form()) == tree


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab Z:*?~^()[]{}\"'-.1TO AND OR NOT")), max_size=40))
def test_any_text_parses_and_its_tree_costs_and_marks_without_failing(text):
    tree = parse_query(text)
    has_words(tree)
    positive_terms(tree)
    with contextlib.suppress(QueryTooCostly):
        check_cost(tree)
    if tree is not None and _writable(tree):  # its canonical text reads the same again
        assert parse_query(tree.text_form()) == tree


def _writable(tree) -> bool:
    """Whether every word can be written back as one word: a word holding both syntax
    and a single quote (`:'`) cannot be quoted, nor can a fuzzy word, prefix or wildcard
    (`1:'~`), and a word starting with a single quote may open a quoted word with what
    follows."""
    return all(
        not getattr(leaf, "text", "").startswith("'") and not _unquotable(leaf)
        for leaf, _ in leaves(tree)
    )


def _unquotable(leaf) -> bool:
    if isinstance(leaf, Word):
        return "'" in leaf.text and needs_quotes(leaf.text)
    if isinstance(leaf, Fuzzy | Prefix | Wildcard):  # their own marks are syntax by design
        text = leaf.text.replace("*", "").replace("?", "")
        return "'" in text and needs_quotes(text)
    return False


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60))
def test_any_unicode_text_parses(text):
    parse_query(text)
