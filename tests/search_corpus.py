"""The one set of articles the search tests share, on every engine the suite runs (the
embedded engine, Haystack's own Whoosh backend, SolrCloud), as Wagtail's BackendTests share
one fixture: the `corpus` fixture in conftest.py indexes it.

What the tests rely on, article by article:
- "Radar offer discussed" (RIA Novosti, Oct 2007): radar in the title; Lavrov, Azerbaijan;
  the words that "rad*" stands for (radar, radio, radial) and nothing else starting "rad".
- "Ministers meet in Moscow" (BBC News, 18 Mar 2008): radar in the body only, Moscow in the
  title, the phrase "missile defence plans".
- "Missile defense talks stall" (RIA Novosti, 27 Mar 2008): the American spelling, a word
  starting "negotiat", "stalled".
- "Kosovo dominates agenda" (Voice of America, undated): no radar, no missile.
- "Alpha on the radar talks" and "Beta on the radar talks" (Alpha Wire, Beta Wire, both 18
  Mar 2008): the same story told twice, each the other's closest match; "Lavrov radar" in
  both, so a misspelling of it has a suggestion.
- "Later radar talks" (Beta Wire, 2 Apr 2008): the newest, Moscow in the body only.
"""

from __future__ import annotations

from datetime import date

ARTICLES = (
    {
        "title": "Radar offer discussed",
        "source": "RIA Novosti",
        "body": "Lavrov said the radar in Azerbaijan could be used jointly. Talks continue. "
        "Radars, radios and radial roads were discussed.",
        "published_date": date(2007, 10, 12),
    },
    {
        "title": "Ministers meet in Moscow",
        "source": "BBC News",
        "body": "The ministers spoke about the radar and the missile defence plans for hours.",
        "published_date": date(2008, 3, 18),
    },
    {
        "title": "Missile defense talks stall",
        "source": "RIA Novosti",
        "body": "Negotiations on missile defense stalled in Washington on Thursday.",
        "published_date": date(2008, 3, 27),
    },
    {
        "title": "Kosovo dominates agenda",
        "source": "Voice of America",
        "body": "Kosovo and the CFE treaty were discussed in Brussels; no mention of other "
        "matters.",
        "published_date": None,
    },
    {
        "title": "Beta on the radar talks",
        "source": "Beta Wire",
        "body": "Lavrov and Rice discussed the radar in Gabala and the interceptors in Poland.",
        "published_date": date(2008, 3, 18),
    },
    {
        "title": "Alpha on the radar talks",
        "source": "Alpha Wire",
        "body": "Rice and Lavrov discussed the Gabala radar and the Polish interceptor site.",
        "published_date": date(2008, 3, 18),
    },
    {
        "title": "Later radar talks",
        "source": "Beta Wire",
        "body": "Another round on the radar, in Moscow.",
        "published_date": date(2008, 4, 2),
    },
)


def titles_where(**wanted) -> set[str]:
    """The titles of the corpus's articles whose values equal `wanted` (`source="Beta Wire"`)."""
    return {
        article["title"]
        for article in ARTICLES
        if all(article[key] == value for key, value in wanted.items())
    }


def titles_holding(word: str) -> set[str]:
    """The titles of the corpus's articles whose title or body holds `word` (any case)."""
    word = word.lower()
    return {
        article["title"]
        for article in ARTICLES
        if word in f"{article['title']} {article['body']}".lower()
    }
