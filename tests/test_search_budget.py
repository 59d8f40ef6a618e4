"""One request cannot burn minutes of CPU: costly queries are refused with a message that
names the limit, and a search past its time budget is stopped with a page saying so."""

import pytest

from articles.search import limits

pytestmark = pytest.mark.django_db


def search(client, q: str):
    return client.get("/search/", {"q": q})


def error_text(response) -> str:
    assert response.status_code == 400, response.status_code
    return response.content.decode()


@pytest.mark.parametrize("distance", [5, 6, 7])
def test_fuzzy_words_with_many_edits_are_refused_with_the_limit(corpus, client, distance):
    page = error_text(search(client, f"abcdefghijklmnopqrst~{distance}"))
    assert "That query could not be run" in page
    assert f"at most {limits.MAX_EDIT_DISTANCE} are allowed" in page
    assert "abcdefghijklmnopqrst~2" in page  # what to write instead
    assert 'value="abcdefghijklmnopqrst~' in page  # the query stays in the box


def test_fuzzy_words_within_the_limit_find_misspellings(corpus, client):
    response = search(client, "Lavorv~2")
    assert response.status_code == 200
    assert "Radar offer discussed" in response.content.decode()


def test_fuzzy_words_keep_their_first_letter(corpus, client):
    # "Kavrov" is one letter from "Lavrov", but the first letters must match.
    response = search(client, "Kavrov~1")
    assert response.status_code == 200
    assert "Radar offer discussed" not in response.content.decode()


@pytest.mark.parametrize("query", ["m*i*s*s*i*l*e*", "r?d?r?s?x*"])
def test_long_wildcard_chains_are_refused(corpus, client, query):
    page = error_text(search(client, query))
    assert f"more than {limits.MAX_WILDCARDS_PER_WORD} wildcards" in page


def test_a_word_starting_with_a_wildcard_is_refused(corpus, client):
    page = error_text(search(client, "*adar"))
    assert "begin it with at least one letter" in page


def test_a_query_with_too_many_expanding_words_is_refused(corpus, client):
    words = [f"{letters}*" for letters in ("ra", "ko", "tr", "la", "az", "di", "jo", "ro", "cf")]
    assert len(words) > limits.MAX_EXPANDING_TERMS
    page = error_text(search(client, " ".join(words)))
    assert f"at most {limits.MAX_EXPANDING_TERMS} are allowed" in page
    allowed = search(client, " OR ".join(words[: limits.MAX_EXPANDING_TERMS]))
    assert allowed.status_code == 200


def test_a_word_standing_for_too_many_index_words_is_refused(corpus, client, monkeypatch):
    from articles.search.whoosh import engine

    monkeypatch.setattr(engine, "MAX_EXPANSION", 2)
    page = error_text(search(client, "rad*"))
    assert "“rad*” stands for more than 2 words of the index" in page
    assert search(client, "azer*").status_code == 200


def test_expanding_words_that_together_stand_for_too_many_index_words_are_refused(
    corpus, client, monkeypatch
):
    from articles.search.whoosh import engine

    # rad* stands for radar, radio and radial, in whichever fields; azer* for one more.
    monkeypatch.setattr(engine, "MAX_QUERY_EXPANSION", 3)
    assert search(client, "rad*").status_code == 200
    page = error_text(search(client, "rad* OR azer*"))
    assert "Together, the words with *, ? or ~ in this query stand for more than 3" in page


def test_a_query_over_its_budget_is_refused_before_any_postings_are_read(
    corpus, client, monkeypatch
):
    """The words every expanding word stands for are listed first, so a refusal costs a
    listing, not the reading of the words allowed before the one that passed the budget."""
    from articles.search.whoosh import engine, internals

    read = []
    real = internals.block_postings
    monkeypatch.setattr(internals, "block_postings", lambda m: read.append(m) or real(m))
    monkeypatch.setattr(engine, "MAX_QUERY_EXPANSION", 3)
    assert search(client, "rad* OR azer*").status_code == 400
    assert read == []


def test_exports_of_a_refused_query_explain_the_refusal_rather_than_failing(corpus, client):
    for name in ("csv", "json"):
        response = client.get(f"/search/export.{name}", {"q": "abcdefghijklmnopqrst~7"})
        assert response.status_code == 400
        assert "at most 2 are allowed" in response.content.decode()


def test_the_help_states_the_limits(client, db):
    page = client.get("/search/").content.decode()
    assert f"at most {limits.MAX_EXPANDING_TERMS} such words in one search" in page
    assert f"at most {limits.MAX_EDIT_DISTANCE} letters different" in page
    assert "is stopped" in page


def test_searches_beyond_the_process_s_slots_wait_their_turn_then_explain_a_timeout(
    corpus, client, settings, monkeypatch
):
    """A server process runs only a few searches at once; one that cannot start within the
    time budget gets the page saying the search took too long, not an error."""
    import threading

    from articles.search import limits

    monkeypatch.setattr(limits, "_slots", None)
    settings.SEARCH_CONCURRENCY = 1
    settings.SEARCH_TIME_BUDGET = 0.2
    held, release = threading.Event(), threading.Event()

    def hold_the_slot():
        with limits.search_slot():
            held.set()
            release.wait(5)

    holder = threading.Thread(target=hold_the_slot)
    holder.start()
    held.wait(5)
    try:
        waiting = search(client, "radar")
    finally:
        release.set()
        holder.join()
    assert waiting.status_code == 503
    assert "was stopped" in waiting.content.decode()
    assert search(client, "radar").status_code == 200
