"""What changed between two readings: word by word within paragraphs, bounded in cost."""

import difflib
from datetime import UTC, datetime
from io import StringIO

import pytest
from django.core.management import call_command
from hypothesis import given
from hypothesis import strategies as st

from articles.changes import (
    DIFF_STEPS,
    MAX_COMPARED_CHARS,
    MAX_PARAGRAPHS,
    DiffBudget,
    Piece,
    Reading,
    change_summary,
    paragraphs_diff,
    word_diff,
)
from articles.models import Article

WORDS = st.lists(st.sampled_from(["talks", "radar", "Poland", "said", "the", "end."]), max_size=30)


def side(pieces, kind):
    return " ".join(p.text for p in pieces if p.kind in ("same", kind))


@given(WORDS, WORDS)
def test_a_word_diff_rebuilds_both_texts(old, new):
    before, after = " ".join(old), " ".join(new)
    pieces = word_diff(before, after)
    assert side(pieces, "removed").split() == before.split()
    assert side(pieces, "added").split() == after.split()


@given(WORDS, WORDS)
def test_a_word_diff_keeps_at_least_as_many_words_as_difflib(old, new):
    pieces = word_diff(" ".join(old), " ".join(new))
    kept = sum(len(p.text.split()) for p in pieces if p.kind == "same")
    blocks = difflib.SequenceMatcher(None, old, new, autojunk=False).get_matching_blocks()
    assert kept >= sum(block.size for block in blocks)


def test_one_changed_word_in_long_repetitive_paragraphs_costs_in_proportion_to_the_text():
    # The sweep's probe: fifty paragraphs of one word repeated 2,990 times, one word changed
    # in each (100 s of one core with a quadratic diff).
    paragraph = " ".join(["word"] * 2_990)
    before = "\n\n".join(f"{paragraph} end{i}" for i in range(50))
    after = "\n\n".join(f"other {paragraph[5:]} end{i}" for i in range(50))
    budget = DiffBudget()
    pieces = paragraphs_diff(before, after, budget)
    assert not budget.exhausted
    assert DIFF_STEPS - budget.steps < 4 * len(before.split())  # linear, not 2,990² a pair
    assert all(p[:2] == [Piece("removed", "word"), Piece("added", "other")] for p in pieces)


def test_paragraphs_too_different_to_afford_are_shown_whole_and_the_page_is_bounded():
    before = "\n\n".join(" ".join(["a", "b"] * 1_400) for _ in range(50))
    after = "\n\n".join(" ".join(["b", "c"] * 1_400) + f" {i}" for i in range(50))
    budget = DiffBudget()
    pieces = paragraphs_diff(before, after, budget)
    assert budget.exhausted and budget.steps > -4 * 2_800  # overdrawn by one pair at most
    assert pieces[-1] == [
        Piece("removed", before.split("\n\n")[-1]),
        Piece("added", after.split("\n\n")[-1]),
    ]
    assert side([p for paragraph in pieces for p in paragraph], "added").split() == after.split()


def test_a_replaced_word_is_removed_then_added_whatever_the_spacing():
    assert word_diff("talks  end", "talks\nstall") == [
        Piece("same", "talks"),
        Piece("removed", "end"),
        Piece("added", "stall"),
    ]


def test_paragraphs_are_matched_before_words():
    before = "Talks ended.\n\nLavrov spoke.\n\nAn old paragraph."
    after = "Talks ended today.\n\nLavrov spoke.\n\nA new paragraph.\n\nAnother."
    first, same, changed, added = paragraphs_diff(before, after)
    assert first == [
        Piece("same", "Talks"),
        Piece("removed", "ended."),
        Piece("added", "ended today."),
    ]
    assert same == [Piece("same", "Lavrov spoke.")]
    assert changed == word_diff("An old paragraph.", "A new paragraph.")
    assert added == [Piece("added", "Another.")]


def test_texts_too_long_to_compare_on_a_page_are_said_to_be():
    assert paragraphs_diff("para\n\n" * (MAX_PARAGRAPHS + 1), "para") is None
    assert paragraphs_diff("a" * (MAX_COMPARED_CHARS + 1), "a") is None


def test_the_summary_names_each_change_and_its_day():
    def at(day):
        return datetime(2008, 3, day, 12, tzinfo=UTC)

    readings = [
        Reading(at(5), []),
        Reading(at(6), ["headline"]),
        Reading(at(7), ["headline", "text"]),
    ]
    assert change_summary(readings) == (
        "3 captures; the headline changed on 6 March 2008 and 7 March 2008; "
        "the text changed on 7 March 2008"
    )
    assert change_summary(readings[:1]) == ""
    assert change_summary([Reading(at(5), []), Reading(at(9), [])]) == (
        "2 captures; the text did not change"
    )


@pytest.mark.django_db
def test_the_changes_page_shows_paragraphs_it_cannot_afford_whole_and_says_so(tmp_path, client):
    story = tmp_path / "story.txt"
    head = "Talks resume in Geneva\n\nGENEVA - Negotiators met again today.\n\n"
    story.write_text(head + "\n\n".join(" ".join(["a", "b"] * 1_400) for _ in range(50)))
    call_command("ingest", str(story), stdout=StringIO())
    story.write_text(head + "\n\n".join(" ".join(["b", "c"] * 1_400) for _ in range(50)))
    call_command("ingest", str(story), stdout=StringIO())
    article = Article.objects.get()
    page = client.get(article.get_absolute_url() + "changes/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "too much to compare word by word" in text
    assert "Negotiators met again today." in text
