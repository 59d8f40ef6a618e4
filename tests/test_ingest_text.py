"""Plain-text captures: the five seeds row by row, then the general rules behind them."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from articles.ingest import Block, IngestError, ParsedArticle, parse_capture
from articles.ingest.signatures import REVIEW_REASONS
from articles.ingest.text import find_dateline, parse_text, split_sentences

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def parse_seed(name: str) -> ParsedArticle:
    path = next(SEEDS.glob(f"{name}_*.txt"))
    return parse_capture(path.read_bytes(), path.name)


def parse(text: str) -> ParsedArticle:
    return parse_capture(text.encode("utf-8"), "capture.txt")


# -- Seed 000: "By RIA Novosti", no headline ------------------------------------------------


def test_seed_000_title_is_derived_from_the_lead_and_flagged():
    article = parse_seed("000")
    assert article.title_derived
    assert article.title.startswith("The US and Russia have made some progress")
    assert len(article.title) <= 91 and article.title.endswith("…")
    assert "title_derived" in article.review_reasons


def test_seed_000_by_ria_novosti_is_an_agency_credit_not_a_byline():
    article = parse_seed("000")
    assert article.source == "RIA Novosti"
    assert article.byline == ""
    assert article.captured_from is None


def test_seed_000_has_no_publication_date_and_is_flagged():
    article = parse_seed("000")
    assert article.published_date is None and article.published_at is None
    assert "date_unknown" in article.review_reasons
    assert article.review_reasons == ("title_derived", "date_unknown")


def test_seed_000_washington_dateline_is_taken_off_the_first_paragraph():
    article = parse_seed("000")
    assert article.dateline == "Washington"
    assert article.blocks[0].text.startswith("The US and Russia have made some progress")
    assert article.blocks[-1].text.endswith("Lavrov said.")
    assert len(article.blocks) == 10


def test_seed_000_body_dates_like_april_6_are_not_publication_dates():
    assert "April 6" in parse_seed("000").body
    assert parse_seed("000").published_date is None


# -- Seed 001: a blog post -------------------------------------------------------------------


def test_seed_001_headline_after_the_date_line_is_the_title():
    article = parse_seed("001")
    assert article.title == "US, Russian officials take conciliatory tone in missile talks"
    assert not article.title_derived


def test_seed_001_source_is_unknown_and_flagged():
    article = parse_seed("001")
    assert article.source is None
    assert article.review_reasons == ("source_unknown",)


def test_seed_001_no_comments_footer_marks_a_blog_capture():
    article = parse_seed("001")
    assert article.captured_from is None
    assert article.captured_from_kind == "blog"
    assert "No comments" not in article.body


def test_seed_001_header_date_has_no_time():
    article = parse_seed("001")
    assert article.published_date == date(2008, 3, 18)
    assert article.published_at is None and article.published_tz is None


def test_seed_001_moscow_dateline_and_interfax_mention_is_not_a_credit():
    article = parse_seed("001")
    assert article.dateline == "Moscow"
    assert article.blocks[0].text.startswith("Top US and Russian officials promised")
    assert "news agency Interfax reported" in article.body
    assert "Tuesday, March 18, 2008" not in article.body
    assert len(article.blocks) == 11


# -- Seed 002: RIA Novosti on GlobalSecurity.org ---------------------------------------------


def test_seed_002_title_credit_and_site():
    article = parse_seed("002")
    assert article.title == "Russia, U.S. fail to agree on key issues at defense talks"
    assert article.source == "RIA Novosti"
    assert article.captured_from == "GlobalSecurity.org"
    assert article.review_reasons == ()


def test_seed_002_ria_novosti_dateline_is_day_first_and_moscow_summer_time():
    article = parse_seed("002")
    assert article.published_date == date(2007, 10, 12)
    assert article.published_at == datetime(2007, 10, 12, 14, 35, tzinfo=UTC)
    assert article.published_tz == "Europe/Moscow"


def test_seed_002_dateline_stamp_and_credit_are_stripped_from_the_lead():
    article = parse_seed("002")
    assert article.dateline == "MOSCOW"
    assert article.blocks[0].text.startswith("The U.S. and Russia failed to resolve")


def test_seed_002_donation_banner_and_mailing_list_footer_are_clutter():
    body = parse_seed("002").body
    assert "UNITED24" not in body
    assert "mailing list" not in body
    assert "RIA Novosti" not in body
    assert len(parse_seed("002").blocks) == 14


# -- Seed 003: one enormous line -------------------------------------------------------------


def test_seed_003_everything_unknown_is_flagged():
    article = parse_seed("003")
    assert article.title_derived
    assert article.source is None and article.captured_from is None
    assert article.published_date is None
    assert article.dateline == ""
    assert article.review_reasons == ("title_derived", "date_unknown", "source_unknown")


def test_seed_003_derived_title_is_cut_on_a_word_boundary():
    title = parse_seed("003").title
    assert title.startswith("The U.S. Secretary of State, Condoleezza Rice")
    assert len(title) <= 91 and title.endswith("…")
    assert title[:-1] in parse_seed("003").body


def test_seed_003_single_line_is_split_into_paragraphs_with_quotes_apart():
    article = parse_seed("003")
    assert len(article.blocks) >= 8
    assert all(len(block.text) < 1000 for block in article.blocks)
    quoted = [block.text for block in article.blocks if block.text.startswith("“")]
    assert len(quoted) == 4
    assert quoted[0].endswith("he said.")


def test_seed_003_follow_link_sentence_is_clutter():
    article = parse_seed("003")
    assert "follow link" not in article.body
    assert article.blocks[-1].text.endswith("outgoing presidents Putin and Bush.")


# -- Seed 004: BBC News ----------------------------------------------------------------------


def test_seed_004_bbc_masthead_credits_and_names_the_site():
    article = parse_seed("004")
    assert article.title == "Russia-US missile talks 'stalled'"
    assert article.source == "BBC News"
    assert article.captured_from == "BBC News"
    assert article.review_reasons == ()
    assert article.dateline == ""


def test_seed_004_last_updated_gmt_is_utc():
    article = parse_seed("004")
    assert article.published_date == date(2008, 3, 18)
    assert article.published_at == datetime(2008, 3, 18, 14, 50, tzinfo=UTC)
    assert article.published_tz == "UTC"


def test_seed_004_sub_headings_are_kept_as_headings():
    headings = [block.text for block in parse_seed("004").blocks if block.kind == "h"]
    assert headings == ["'Useful proposals'", "Move forward"]


@pytest.mark.parametrize(
    "clutter",
    [
        "One-Minute World News",
        "Last Updated",
        "Sergei Lavrov (left)",
        "Sergei Lavrov said the US had heeded Russia's concerns",
        "US missile defence graphic",
        "Vladimir Putin meets with George Bush",
        "The BBC is not responsible",
        "Has China's housing bubble burst?",
        "clove tree",
        "Sergei Polunin",
        "Americas Africa Europe",
        "BBC News",
    ],
)
def test_seed_004_page_furniture_is_not_body(clutter):
    assert clutter not in parse_seed("004").body


def test_seed_004_pull_quote_and_its_attribution_are_dropped_but_the_quote_stays():
    article = parse_seed("004")
    texts = [block.text for block in article.blocks]
    assert "The American side, as far as we understand, has heeded our concerns" not in texts
    assert "Russian Foreign Minister" not in texts and "Sergei Lavrov" not in texts
    assert any('"The American side, as far as we understand' in text for text in texts)
    assert texts[0].startswith("Russian Foreign Minister Sergei Lavrov has said")
    assert texts[-1].startswith("The Kremlin dismissed it")


# -- General rules ---------------------------------------------------------------------------


def test_every_review_reason_has_a_human_label():
    assert set(REVIEW_REASONS) == {
        "title_derived",
        "date_unknown",
        "date_ambiguous",
        "source_unknown",
        "encoding_fallback",
        "date_implausible",
        "title_uncertain",
        "date_uncertain",
        "date_conflicting",
        "byline_uncertain",
        "text_repaired",
        "source_uncertain",
        "body_uncertain",
    }
    assert all(label[0].isupper() for label in REVIEW_REASONS.values())


def test_body_is_blocks_joined_by_blank_lines():
    article = parse("Talks resume\n\nFirst paragraph is here and long.\n\nSecond one is here too.")
    assert article.body == "First paragraph is here and long.\n\nSecond one is here too."
    assert article.blocks[0] == Block("p", "First paragraph is here and long.")


def test_personal_byline_keeps_the_name_and_credits_the_outlet_named_in_the_role():
    article = parse(
        "Talks stall in Moscow\nBy Jonathan Marcus, BBC diplomatic correspondent\n"
        "Russia and the US failed to agree on missile defence at talks on Tuesday."
    )
    assert article.byline == "Jonathan Marcus"
    assert article.source == "BBC News"
    assert article.title == "Talks stall in Moscow"


def test_byline_of_a_person_alone_is_not_a_credit():
    article = parse("Talks stall\nBy Jane Smith\nRussia and the US failed to agree on anything.")
    assert article.byline == "Jane Smith"
    assert article.source is None and "source_unknown" in article.review_reasons


def test_reuters_dateline_credit_is_taken():
    article = parse("Talks stall\n\nMOSCOW (Reuters) - Russia and the US failed to agree today.")
    assert article.dateline == "MOSCOW"
    assert article.source == "Reuters"
    assert article.blocks[0].text == "Russia and the US failed to agree today."


def test_unknown_name_in_parentheses_after_dateline_is_not_a_source():
    article = parse("Talks stall\n\nMOSCOW (Nobody Wire) - Russia and the US failed to agree.")
    assert article.source is None


@pytest.mark.parametrize(
    ("paragraph", "place"),
    [
        ("Washington : The US and Russia made progress.", "Washington"),
        ("Moscow - Top US and Russian officials promised.", "Moscow"),
        ("WASHINGTON — The talks ended without a deal.", "WASHINGTON"),
        ("MOSCOW, March 18 (AFP) - The talks ended.", "MOSCOW"),
        ("New York - Diplomats met on Monday to talk.", "New York"),
    ],
)
def test_datelines_in_common_styles(paragraph, place):
    dateline = find_dateline(paragraph)
    assert dateline is not None and dateline.place == place


@pytest.mark.parametrize(
    "paragraph",
    [
        "The US - and Russia - made progress.",
        "Russia-US missile talks stalled on Tuesday, officials said.",
        "Sergei Lavrov: we are ready to talk.",
        "He said - again - that the plan was dead.",
    ],
)
def test_sentences_that_are_not_datelines(paragraph):
    assert find_dateline(paragraph) is None


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("Tuesday, March 18, 2008", date(2008, 3, 18)),
        ("18 March 2008", date(2008, 3, 18)),
        ("2008-03-18", date(2008, 3, 18)),
        ("Published: Mar. 18, 2008", date(2008, 3, 18)),
        ("Last Updated: Tuesday, 18 March 2008, 14:50 GMT", date(2008, 3, 18)),
        ("25/12/2007", date(2007, 12, 25)),
        ("12/25/2007", date(2007, 12, 25)),
    ],
)
def test_header_date_formats(header, expected):
    article = parse(f"Talks stall\n{header}\nRussia and the US failed to agree on missile defence.")
    assert article.published_date == expected
    assert header not in article.body


def test_eastern_time_is_converted_with_the_tz_database():
    article = parse(
        "Talks stall\nMarch 18, 2008 10:05 AM EST\nRussia and the US failed to agree at talks."
    )
    # 18 March 2008 was already daylight saving time in New York: UTC-4, not EST's UTC-5.
    assert article.published_at == datetime(2008, 3, 18, 14, 5, tzinfo=UTC)
    assert article.published_tz == "America/New_York"


def test_moscow_winter_time_differs_from_summer_time():
    article = parse(
        "Talks stall\n\n12/01/2007 18:35 MOSCOW, January 12 (RIA Novosti) - The talks failed today."
    )
    assert article.published_date == date(2007, 1, 12)
    assert article.published_at == datetime(2007, 1, 12, 15, 35, tzinfo=UTC)


def test_truly_ambiguous_numeric_date_is_not_guessed():
    article = parse(
        "Talks stall\n05/06/2007\nRussia and the US failed to agree on missile defence."
    )
    assert article.published_date is None
    assert {"date_ambiguous", "date_unknown"} <= set(article.review_reasons)


def test_ria_house_style_resolves_a_bare_numeric_date():
    article = parse(
        "Talks stall\nRIA Novosti\n05/06/2007\nRussia and the US failed to agree on defence."
    )
    assert article.published_date == date(2007, 6, 5)


def test_future_date_is_implausible():
    article = parse("Talks stall\nMarch 18, 2999\nRussia and the US failed to agree on defence.")
    assert article.published_date is None
    assert {"date_implausible", "date_unknown"} <= set(article.review_reasons)


def test_date_before_1900_is_implausible():
    article = parse("Talks stall\n18 March 1850\nRussia and the US failed to agree on defence.")
    assert article.published_date is None
    assert "date_implausible" in article.review_reasons


def test_dates_in_the_body_are_never_the_publication_date():
    article = parse(
        "Talks stall\n\nRussia and the US failed to agree.\n\nTuesday, March 18, 2008\n\nMore text."
    )
    assert article.published_date is None


def test_very_long_title_is_cut_to_300_characters_on_a_word_boundary():
    long_title = " ".join(["word"] * 2000)
    article = parse_text(long_title)
    assert len(article.title) <= 300
    assert article.title.endswith("…") and "wor…" not in article.title


def test_very_long_line_without_paragraphs_still_parses():
    sentence = "Diplomats met again in Geneva on Tuesday to discuss the treaty. "
    article = parse(sentence * 500)
    assert article.title_derived
    assert len(article.blocks) > 100


def test_abbreviations_do_not_end_sentences():
    text = "Mr. Lavrov met U.S. envoys. George W. Bush said no. Talks end."
    assert split_sentences(text) == [
        "Mr. Lavrov met U.S. envoys.",
        "George W. Bush said no.",
        "Talks end.",
    ]


def test_hard_wrapped_paragraphs_are_joined():
    wrapped = (
        "Talks stall\n\n"
        "Russia and the United States failed on Tuesday to bridge their differences\n"
        "over missile defence, officials said after two days of talks in the Russian\n"
        "capital.\n\n"
        "The two sides agreed to meet again in Washington next month to continue the\n"
        "discussions, which both described as useful and constructive in the end.\n\n"
        "Neither side gave details of the proposals that had been put on the table at\n"
        "the meeting, held behind closed doors at the foreign ministry on Tuesday.\n"
    )
    article = parse(wrapped)
    assert len(article.blocks) == 3
    assert article.blocks[0].text.endswith("in the Russian capital.")


def test_a_headline_alone_is_kept_as_the_body():
    article = parse("Talks stall in Moscow")
    assert article.title == "Talks stall in Moscow"
    assert article.blocks == (Block("p", "Talks stall in Moscow"),)


def test_capture_of_nothing_but_clutter_is_refused():
    with pytest.raises(IngestError, match="clutter"):
        parse("UNITED24 - Make a charitable donation in support of Ukraine!\nNo comments:")


def test_copyright_line_credits_the_agency():
    article = parse("Talks stall\n\nRussia and the US failed to agree today.\n\n© 2008 Reuters")
    assert article.source == "Reuters"
    assert "2008" not in article.body


def test_windows_1252_capture_is_flagged():
    article = parse_capture(b"Caf\xe9 talks\n\nThe \x93caf\xe9\x94 talks ended today.", "a.txt")
    assert article.encoding == "cp1252"
    assert "encoding_fallback" in article.review_reasons
    assert article.blocks[0].text == "The “café” talks ended today."


def test_agency_staff_byline_is_a_credit():
    article = parse("Talks stall\nBy Reuters staff\nRussia and the US failed to agree on it.")
    assert article.byline == "" and article.source == "Reuters"


def test_agency_name_alone_at_the_end_is_a_credit():
    article = parse("Talks stall\n\nRussia and the US failed to agree today.\n\nInterfax")
    assert article.source == "Interfax"
    assert article.body == "Russia and the US failed to agree today."


def test_headline_is_found_below_a_long_menu():
    menu = "\n".join(["Home | World | Europe | Americas"] * 30)
    article = parse(f"{menu}\nTalks stall in Geneva\nDiplomats failed to agree on the treaty.")
    assert article.title == "Talks stall in Geneva"
    assert article.body == "Diplomats failed to agree on the treaty."


REUTERS_PAGE = """Reuters
Home | Business | Markets | World | Politics
U.S., Russia agree to resume arms talks
Tue Mar 18, 2008 10:05am EDT
By Oleg Shchedrov
MOSCOW (Reuters) - Russia and the United States agreed on Tuesday to keep talking.
"We have made progress," Lavrov told reporters.
Related Coverage
(Reporting by Oleg Shchedrov; Editing by Charles Dick)
© Thomson Reuters 2008. All rights reserved.
"""


def test_a_reuters_page_beyond_the_seeds():
    article = parse(REUTERS_PAGE)
    assert article.title == "U.S., Russia agree to resume arms talks"
    assert (article.source, article.captured_from) == ("Reuters", "Reuters")
    assert article.byline == "Oleg Shchedrov"
    assert article.published_at == datetime(2008, 3, 18, 14, 5, tzinfo=UTC)
    assert article.body == (
        "Russia and the United States agreed on Tuesday to keep talking.\n\n"
        '"We have made progress," Lavrov told reporters.'
    )


def test_section_kicker_is_not_the_title_and_paper_date_line_credits_the_paper():
    article = parse(
        "World news\nRussia and US clash over missile shield\nLuke Harding in Moscow\n"
        "The Guardian, Wednesday 19 March 2008\nArticle history\n"
        "Russia and the US failed yesterday to bridge their differences over the shield.\n"
    )
    assert article.title == "Russia and US clash over missile shield"
    assert article.source == "The Guardian"
    assert article.published_date == date(2008, 3, 19)
    assert (
        article.body
        == "Russia and the US failed yesterday to bridge their differences over the shield."
    )


def test_a_short_report_is_not_taken_for_navigation():
    article = parse("Talks resume in Geneva\n\nGENEVA - Negotiators met again today.\n")
    assert "body_uncertain" not in article.review_reasons
