"""The development-set evaluation: scoring by score.py's rules, and no set, no failure."""

import re
from types import SimpleNamespace

from benchmarks.evaluate import main, score

SCORER = SimpleNamespace(norm=lambda s: re.sub(r"\W+", " ", (s or "").lower()).strip())
GOLD = {
    "a": {
        "title": "Talks Stall",
        "date": "2008-03-18",
        "author": "Jo Smith; Al Bo",
        "with": ["the talks"],
        "without": ["Sign up"],
    },
    "b": {"title": "Other", "date": "2008-03-19", "author": "", "with": [], "without": []},
}


def test_a_wrong_date_counts_against_and_an_unknown_one_does_not():
    records = {
        "a": {
            "title": "talks - stall",
            "published": "2008-03-17",
            "byline": "By Jo Smith",
            "body": "As the talks went on.",
        },
        "b": {"title": "Other", "published": None, "byline": "", "body": ""},
    }
    result = score("text", GOLD, records, SCORER)
    assert result.hits == {"title": 2, "date": 0, "author": 1, "body": 2}
    assert result.wrong_dates == 1
    assert result.with_author == 1
    assert any(miss.startswith("a [?]: date") for miss in result.misses)


def test_clutter_in_the_body_and_a_missing_page_are_misses():
    records = {"a": {"title": "x", "published": None, "byline": "", "body": "the talks. Sign up"}}
    result = score("text", GOLD, records, SCORER)
    assert result.hits["body"] == 0
    assert "b: not loaded" in result.misses


def test_without_a_development_set_it_says_so_and_succeeds(tmp_path, capsys):
    assert main(["--devset", str(tmp_path)]) == 0
    assert "No development set" in capsys.readouterr().out
