"""A judged set for measuring search relevance and related coverage.

`captures/` holds reports written in the seeds' style about the same meetings as the seeds
(and a few others of the same months), so that two to four outlets cover each event, as
in real coverage; together with `seeds/` they are the judged archive. Articles are named
by file name (seeds by their number, captures by their stem).

- EVENTS: reports of one event by different outlets. Each should list the others first in
  its related coverage; a report with nothing else of its event is still in the archive,
  as a distractor on the same subject.
- COPIES: the same agency text on several sites, shown as "also published by", never
  counted as related coverage.
- QUERIES: what a researcher of these talks would type, with graded judgements (2: what
  should come first, 1: relevant); unlisted articles count as not relevant.
- PHRASES: quoted phrases and exactly the articles whose text holds that sequence of
  words (stop words count; case and punctuation do not).
"""

from __future__ import annotations

from pathlib import Path

CAPTURES = Path(__file__).resolve().parent / "captures"

EVENTS: dict[str, tuple[str, ...]] = {
    "g8-heiligendamm-2007-06-07": ("g8_2007_06_ria", "g8_2007_06_bbc", "g8_2007_06_ap"),
    "kennebunkport-2007-07-02": (
        "kennebunkport_2007_07_ria",
        "kennebunkport_2007_07_bbc",
        "kennebunkport_2007_07_blog",
    ),
    "moscow-2plus2-2007-10-12": ("002", "moscow_2007_10_bbc", "moscow_2007_10_rt"),
    "moscow-2plus2-2008-03-18": (
        "001",
        "003",
        "004",
        "moscow_2008_03_ria",
        "moscow_2008_03_ap",
    ),
    "washington-experts-2008-03-27": ("000", "washington_2008_03_ap", "washington_2008_03_bbc"),
    "bucharest-nato-2008-04-03": (
        "bucharest_2008_04_ria",
        "bucharest_2008_04_bbc",
        "bucharest_2008_04_ap",
    ),
    "sochi-summit-2008-04-06": ("sochi_2008_04_ria", "sochi_2008_04_bbc", "sochi_2008_04_blog"),
    "prague-radar-treaty-2008-07-08": ("prague_2008_07_ria", "prague_2008_07_bbc"),
    "putin-press-conference-2008-02-14": ("putin_warning_2008_02_ap", "putin_warning_2008_02_rt"),
    "warsaw-interceptor-deal-2008-08-14": ("warsaw_2008_08_bbc",),
}

COPIES: tuple[tuple[str, ...], ...] = (("002", "moscow_2007_10_ria_copy"),)

QUERIES: dict[str, dict[str, int]] = {
    "Gabala radar offer": {
        "g8_2007_06_ria": 2,
        "g8_2007_06_bbc": 2,
        "g8_2007_06_ap": 2,
        "kennebunkport_2007_07_ria": 1,
        "kennebunkport_2007_07_blog": 1,
        "003": 1,
    },
    "Kennebunkport lobster summit": {
        "kennebunkport_2007_07_ria": 2,
        "kennebunkport_2007_07_bbc": 2,
        "kennebunkport_2007_07_blog": 2,
    },
    "Armavir radar": {
        "kennebunkport_2007_07_ria": 2,
        "kennebunkport_2007_07_blog": 2,
        "kennebunkport_2007_07_bbc": 1,
    },
    "Rice Gates Moscow March 2008": {
        "001": 2,
        "003": 2,
        "004": 2,
        "moscow_2008_03_ria": 2,
        "moscow_2008_03_ap": 2,
        "002": 1,
        "moscow_2007_10_bbc": 1,
        "moscow_2007_10_rt": 1,
    },
    "two-plus-two talks": {
        "002": 2,
        "moscow_2007_10_rt": 2,
        "moscow_2008_03_ria": 2,
        "moscow_2007_10_bbc": 1,
        "001": 1,
        "003": 1,
        "004": 1,
        "moscow_2008_03_ap": 1,
    },
    "Kislyak Rood expert talks": {
        "000": 2,
        "washington_2008_03_ap": 2,
        "washington_2008_03_bbc": 2,
    },
    "Sochi strategic framework declaration": {
        "sochi_2008_04_ria": 2,
        "sochi_2008_04_bbc": 2,
        "sochi_2008_04_blog": 2,
        "000": 1,
        "washington_2008_03_ap": 1,
        "washington_2008_03_bbc": 1,
        "moscow_2008_03_ap": 1,
    },
    "NATO Bucharest summit missile defence": {
        "bucharest_2008_04_ria": 2,
        "bucharest_2008_04_bbc": 2,
        "bucharest_2008_04_ap": 2,
        "000": 1,
    },
    "CFE treaty moratorium": {"002": 2, "moscow_2007_10_bbc": 1, "moscow_2007_10_rt": 1, "003": 1},
    "Czech radar agreement signed Prague": {
        "prague_2008_07_ria": 2,
        "prague_2008_07_bbc": 2,
        "bucharest_2008_04_bbc": 1,
    },
    "Putin target missiles Ukraine": {
        "putin_warning_2008_02_ap": 2,
        "putin_warning_2008_02_rt": 2,
        "bucharest_2008_04_ap": 1,
    },
    "Kosovo independence": {"003": 2, "putin_warning_2008_02_rt": 2, "001": 1},
    "Medvedev president-elect": {
        "001": 2,
        "004": 2,
        "moscow_2008_03_ria": 2,
        "moscow_2008_03_ap": 1,
        "sochi_2008_04_ria": 1,
        "sochi_2008_04_bbc": 1,
        "sochi_2008_04_blog": 1,
    },
    "Poland interceptors agreement": {"warsaw_2008_08_bbc": 2, "prague_2008_07_bbc": 1},
}

PHRASES: dict[str, tuple[str, ...]] = {
    # Stop words count: the words stand in this order only in RT's report.
    '"is not a threat"': ("003",),
    '"it is not a threat"': (),
    '"not aimed at Russia"': ("prague_2008_07_bbc", "sochi_2008_04_ria"),
    '"It is not aimed at Russia"': ("prague_2008_07_bbc",),
    '"as far as we understand"': ("004", "moscow_2008_03_ria"),
    '"a step in the right direction"': ("002", "moscow_2007_10_ria_copy"),
    # Punctuation is folded: a hyphen, a comma or a full stop is a word break.
    '"two-plus-two"': ("002", "moscow_2007_10_ria_copy", "moscow_2007_10_rt", "moscow_2008_03_ria"),
    '"two plus two"': ("002", "moscow_2007_10_ria_copy", "moscow_2007_10_rt", "moscow_2008_03_ria"),
    '"U.S.-Russia relations"': ("003",),
    '"important, useful proposals"': ("004",),
    '"Russia\'s concerns"': ("002", "004", "moscow_2007_10_ria_copy", "sochi_2008_04_bbc"),
    '"direct threat to"': ("000", "bucharest_2008_04_ap"),
    # Exact words: no stemming in a quoted phrase.
    '"very sincere"': ("kennebunkport_2007_07_blog", "kennebunkport_2007_07_ria"),
    '"direct threats to"': (),
    '"the threat of missile attack"': ("002", "moscow_2007_10_ria_copy"),
}
