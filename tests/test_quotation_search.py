"""Quotation search: a quoted phrase someone was quoted saying shows who, where and when."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from articles.quotation_search import phrase_span, quoted_phrases
from articles.vocabulary import exact_phrase_pattern, exact_text
from tests.conftest import make_article

_PIECES = st.sampled_from(["U.S.", "us", "Side", "side", "as", "far", "ас", "_x", "x_"])
_MARKS = st.sampled_from([" ", ", ", "-", " — ", ".", "'", "\n\n", ""])


def test_only_double_quoted_phrases_of_two_words_or_more_are_looked_up():
    assert quoted_phrases('"heeded our concerns" Lavrov "radar" NOT "two-plus-two"') == [
        "heeded our concerns",
        "two-plus-two",
    ]
    assert quoted_phrases("heeded our concerns") == []


def test_a_phrase_matches_a_quotation_as_a_quoted_search_does():
    quote = "The American side, as far as we understand, has heeded our concerns"
    assert quote[slice(*phrase_span(quote, "AS FAR AS we understand"))] == (
        "as far as we understand"
    )
    # The comma is a word break.
    assert quote[slice(*phrase_span(quote, "side as far"))] == "side, as far"
    assert phrase_span(quote, "far as understand") is None  # no word may be skipped
    assert phrase_span("The U.S. side agreed", "US side") == (4, 13)  # "U.S. side"


@given(
    quote=st.lists(st.tuples(_PIECES, _MARKS), max_size=8),
    phrase=st.lists(_PIECES, min_size=1, max_size=3),
)
def test_the_quick_scan_of_quotations_finds_exactly_what_phrase_span_finds(quote, phrase):
    """Quotations are scanned with one pattern over the folded text; only those shown are
    marked up with phrase_span, so the two must agree on every text."""
    text = "".join(word + mark for word, mark in quote)
    wanted = " ".join(phrase)
    found = exact_phrase_pattern(wanted).search(exact_text(text)) is not None
    assert found == (phrase_span(text, wanted) is not None)


@pytest.fixture
def quoted_seeds(seeded, on_commit):
    from articles.enrich import analyse_articles, load_catalogue

    load_catalogue()
    with on_commit():
        analyse_articles()


@pytest.mark.django_db
def test_a_quoted_phrase_shows_who_said_it_by_which_outlet_and_when_above_the_results(
    quoted_seeds, client
):
    page = client.get("/search/", {"q": '"HEEDED our concerns"'}).content.decode()
    box = page.split('id="quoted-saying-heading"', 1)[1].split("</section>", 1)[0]
    assert "Sergei Lavrov" in box
    assert "Quoted by <strong>BBC News</strong>" in box
    assert "18 March 2008" in box
    assert "<mark>heeded our concerns</mark>" in box
    assert page.index('id="quoted-saying-heading"') < page.index('class="result-list"')


@pytest.mark.django_db
def test_words_only_in_the_narrative_show_no_quotation(quoted_seeds, client):
    page = client.get("/search/", {"q": '"missile defence system"'}).content.decode()
    assert 'class="result-list"' in page
    assert "quoted-saying-heading" not in page


@pytest.mark.django_db
def test_the_search_filters_apply_to_the_quotations(quoted_seeds, client):
    page = client.get(
        "/search/", {"q": '"heeded our concerns"', "source": "RIA Novosti"}
    ).content.decode()
    assert "quoted-saying-heading" not in page


@pytest.mark.django_db
def test_quotations_are_escaped(client, on_commit):
    from articles.enrich import analyse_articles, load_catalogue

    load_catalogue()
    with on_commit():
        make_article(
            title="Lavrov on the radar",
            body='"We will <script>alert(1)</script> answer the radar," Sergei Lavrov said.',
        )
        analyse_articles()
    page = client.get("/search/", {"q": '"answer the radar"'}).content.decode()
    assert "Sergei Lavrov" in page
    assert "<script>alert(1)" not in page
    assert "&lt;script&gt;" in page


@pytest.mark.django_db
def test_a_quotation_from_an_undated_article_reads_date_unknown_then_its_title(client, on_commit):
    from articles.enrich import analyse_articles, load_catalogue

    load_catalogue()
    with on_commit():
        make_article(
            title="Lavrov on the radar",
            published_date=None,
            body='"We will answer the radar," Sergei Lavrov said.',
        )
        analyse_articles()
    page = " ".join(client.get("/search/", {"q": '"answer the radar"'}).content.decode().split())
    assert "Date unknown: <a" in page
