"""What changed between two readings: word by word within paragraphs, bounded in cost."""

from datetime import UTC, datetime

from hypothesis import given
from hypothesis import strategies as st

from articles.changes import (
    MAX_PARAGRAPHS,
    Piece,
    Reading,
    change_summary,
    paragraphs_diff,
    word_diff,
)

WORDS = st.lists(st.sampled_from(["talks", "radar", "Poland", "said", "the", "end."]), max_size=30)


def side(pieces, kind):
    return " ".join(p.text for p in pieces if p.kind in ("same", kind))


@given(WORDS, WORDS)
def test_a_word_diff_rebuilds_both_texts(old, new):
    before, after = " ".join(old), " ".join(new)
    pieces = word_diff(before, after)
    assert side(pieces, "removed").split() == before.split()
    assert side(pieces, "added").split() == after.split()


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
