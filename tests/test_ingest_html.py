"""Saved HTML pages: metadata from trafilatura, plain-text blocks, nothing executable."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from articles.ingest import IngestError, ParsedArticle, parse_capture

PARAGRAPHS = (
    "<p>MOSCOW (Reuters) - Russian Foreign Minister Sergei Lavrov has said no agreement has "
    "been reached with the US over its plan to base parts of a missile defence system.</p>"
    "<h2>Useful proposals</h2>"
    "<p>He said Russia continued to oppose the use of facilities in Poland and the Czech "
    "Republic after talks in Moscow, officials said on Tuesday evening.</p>"
    "<blockquote>We agreed to continue consultations to study the proposals received today "
    "in Moscow, the minister told reporters.</blockquote>"
    "<p>Both sides said they would meet again in Washington next month to continue the "
    "discussions on missile defence and arms control.</p>"
)


def page(body: str = PARAGRAPHS, head: str = "", title: str = "Talks stall - BBC News") -> bytes:
    return (
        f"<!DOCTYPE html><html><head><title>{title}</title>{head}</head>"
        f"<body><nav>Home | World | Europe | Americas</nav><article><h1>Talks stall</h1>"
        f"{body}</article><footer>© BBC</footer></body></html>"
    ).encode()


BBC_HEAD = (
    '<meta property="og:site_name" content="BBC News">'
    '<meta name="author" content="Jonathan Marcus">'
    '<meta property="article:published_time" content="2008-03-18T14:50:00+00:00">'
)


def everything(article: ParsedArticle) -> str:
    return " ".join([article.title, article.byline, article.dateline, article.body])


def test_title_without_the_site_name():
    assert parse_capture(page(head=BBC_HEAD), "a.html").title == "Talks stall"


def test_site_name_gives_where_it_was_captured_and_byline_from_author():
    article = parse_capture(page(head=BBC_HEAD), "a.html")
    assert article.captured_from == "BBC News"
    assert article.byline == "Jonathan Marcus"
    assert article.kind == "html"


def test_dateline_credit_beats_the_site_as_source():
    article = parse_capture(page(head=BBC_HEAD), "a.html")
    assert article.source == "Reuters"
    assert article.dateline == "MOSCOW"
    assert article.blocks[0].text.startswith("Russian Foreign Minister Sergei Lavrov")


def test_own_reporting_on_a_broadcaster_site_is_credited_to_it():
    body = PARAGRAPHS.replace("MOSCOW (Reuters) - ", "")
    article = parse_capture(page(body=body, head=BBC_HEAD), "a.html")
    assert article.source == "BBC News"


def test_published_time_meta_gives_an_aware_utc_time():
    article = parse_capture(page(head=BBC_HEAD), "a.html")
    assert article.published_date == date(2008, 3, 18)
    assert article.published_at == datetime(2008, 3, 18, 14, 50, tzinfo=UTC)
    assert article.published_tz == "UTC"


def test_headings_and_quotations_keep_their_kind():
    kinds = [(block.kind, block.text[:16]) for block in parse_capture(page(), "a.html").blocks]
    assert ("h", "Useful proposals") in kinds
    assert ("q", "We agreed to con") in kinds


def test_agency_author_is_a_credit_not_a_byline():
    head = '<meta name="author" content="RIA Novosti">'
    body = PARAGRAPHS.replace("MOSCOW (Reuters) - ", "")
    article = parse_capture(page(body=body, head=head, title="Talks stall"), "a.html")
    assert article.byline == ""
    assert article.source == "RIA Novosti"


def test_page_without_metadata_is_flagged():
    body = PARAGRAPHS.replace("MOSCOW (Reuters) - ", "")
    html = f"<html><body><article>{body}</article></body></html>".encode()
    article = parse_capture(html, "a.html")
    assert article.title_derived
    assert {"title_derived", "date_unknown", "source_unknown"} <= set(article.review_reasons)


HOSTILE = (
    "<script>alert(1)</script><style>p { color: red }</style>"
    '<p>Diplomats met in Geneva on Tuesday <img src=x onerror="alert(2)"> to talk about '
    'the treaty <a href="javascript:alert(3)">and its future</a>, officials said.</p>'
    '<iframe src="https://evil.example/"></iframe>'
    '<p onclick="alert(4)">The talks will resume next week in Vienna, the diplomats said '
    "after the meeting ended late in the evening.</p>"
    "<svg><script>alert(5)</script></svg><object data=x></object>"
)


@pytest.mark.parametrize(
    "forbidden",
    ["<", ">", "alert", "script", "javascript", "onerror", "onclick", "iframe", "evil"],
)
def test_hostile_markup_leaves_no_trace(forbidden):
    title = '<script>alert("t")</script>Geneva talks'
    article = parse_capture(page(body=HOSTILE, title=title), "hostile.html")
    assert forbidden not in everything(article)


def test_hostile_page_keeps_its_words():
    article = parse_capture(page(body=HOSTILE), "hostile.html")
    assert "Diplomats met in Geneva on Tuesday" in article.body
    assert "and its future" in article.body


def test_windows_1252_html_is_decoded_and_flagged():
    html = b"<html><body><article><p>The \x93caf\xe9\x94 talks in Geneva ended on Tuesday"
    html += b" with no agreement, officials said.</p></article></body></html>"
    article = parse_capture(html, "a.htm")
    assert "“café”" in article.body
    assert "encoding_fallback" in article.review_reasons


def test_page_with_no_article_text_is_refused():
    with pytest.raises(IngestError, match="HTML"):
        parse_capture(b"<html><head><script>x()</script></head><body></body></html>", "a.html")


def test_xml_declaration_does_not_break_parsing():
    html = '<?xml version="1.0" encoding="utf-8"?>' + page().decode()
    assert parse_capture(html.encode(), "a.xhtml").title == "Talks stall"


# -- Fields chosen by the page's own metadata ------------------------------------------------

STORY = (
    "<p>Russian Foreign Minister Sergei Lavrov has said no agreement has been reached with "
    "the US over its plan to base parts of a missile defence system in Europe.</p>"
    "<p>He said Russia continued to oppose the use of facilities in Poland and the Czech "
    "Republic after talks in Moscow, officials said on Tuesday evening.</p>"
    "<p>Both sides said they would meet again in Washington next month to continue the "
    "discussions on missile defence and arms control.</p>"
)


def story_page(head: str = "", under_headline: str = "", h1: str = "Talks stall") -> bytes:
    return (
        f"<html><head><title>Talks stall | Daily Planet</title>{head}</head><body>"
        "<nav>Home | World | Europe | Americas</nav><article>"
        f"<h1>{h1}</h1><div class='meta'>{under_headline}</div>{STORY}"
        "</article></body></html>"
    ).encode()


def json_ld(**fields) -> str:
    import json

    return f'<script type="application/ld+json">{json.dumps(fields)}</script>'


def evidence_of(article: ParsedArticle, field: str):
    return next(found for found in article.evidence if found.field == field)


def test_headline_confirmed_by_og_title_is_trusted():
    head = '<meta property="og:title" content="Talks stall">'
    article = parse_capture(story_page(head=head), "a.html")
    assert article.title == "Talks stall"
    assert evidence_of(article, "title").confidence >= 0.9
    assert "title_uncertain" not in article.review_reasons


def test_site_name_is_cut_from_the_stated_title_when_the_page_has_no_headline():
    head = '<meta property="og:site_name" content="Daily Planet">'
    html = story_page(head=head).replace(b"<h1>Talks stall</h1>", b"")
    assert parse_capture(html, "a.html").title == "Talks stall"


def test_json_ld_gives_date_and_authors_with_their_evidence():
    head = json_ld(
        **{
            "@type": "NewsArticle",
            "headline": "Talks stall",
            "datePublished": "2008-03-18T14:50:00+03:00",
            "author": [{"@type": "Person", "name": "Anna Beck"}, {"name": "Tom Lee"}],
        }
    )
    article = parse_capture(story_page(head=head), "a.html")
    assert article.published_date == date(2008, 3, 18)
    assert article.published_at == datetime(2008, 3, 18, 11, 50, tzinfo=UTC)
    assert article.byline == "Anna Beck; Tom Lee"
    assert "JSON-LD datePublished" in evidence_of(article, "published").evidence
    assert "JSON-LD author" in evidence_of(article, "byline").evidence


def test_a_teasers_json_ld_date_does_not_count():
    head = json_ld(
        **{
            "@graph": [
                {"@type": "NewsArticle", "datePublished": "2008-03-18"},
                {"@type": "NewsArticle", "datePublished": "2008-01-02"},
            ]
        }
    )
    article = parse_capture(story_page(head=head, under_headline="18.03.2008"), "a.html")
    assert article.published_date == date(2008, 3, 18)
    assert "against" not in evidence_of(article, "published").evidence


def test_an_unfilled_metadata_date_gives_way_to_the_next_of_its_kind():
    # A template left its placeholder in the first tag; the second holds the date.
    head = (
        '<meta property="article:published_time" content="{{ published }}">'
        '<meta property="article:published_time" content="2008-03-18T10:00:00+01:00">'
    )
    article = parse_capture(story_page(head=head), "a.html")
    assert article.published_date == date(2008, 3, 18)
    assert "article:published_time" in evidence_of(article, "published").evidence


@pytest.mark.parametrize(
    "printed", ["18.03.2008", "18. März 2008", "18 mars 2008", "March 18, 2008", "2008-03-18"]
)
def test_date_printed_under_the_headline_in_any_common_format_and_language(printed):
    article = parse_capture(story_page(under_headline=f"Politik | {printed} | 3 Min."), "a.html")
    assert article.published_date == date(2008, 3, 18)
    assert evidence_of(article, "published").evidence.startswith("date under the headline")


def test_a_date_inside_a_sentence_under_the_headline_is_not_the_pages_date():
    # The standfirst names the day of an event; the stamp after it is the page's date.
    lead = (
        "<p>The show will open on 21 May 2022 at the harbour, the organisers said.</p>"
        "<p>11.01.2022, 09:50 | Politik</p>"
    )
    article = parse_capture(story_page(under_headline=lead), "a.html")
    assert article.published_date == date(2022, 1, 11)


def test_a_date_inside_a_sentence_alone_leaves_the_date_to_other_witnesses():
    head = '<meta property="article:published_time" content="2021-10-20T10:00:00+02:00">'
    lead = "<p>The centre was opened on 18 October 2021 in the presence of many guests.</p>"
    article = parse_capture(story_page(head=head, under_headline=lead), "a.html")
    assert article.published_date == date(2021, 10, 20)


@pytest.mark.parametrize(
    "aside",
    [
        "Ein Sprecher sagte am Montag (30. Oktober 2023), das Video sei erfunden.",
        "Das Gericht kassiert ein Urteil (BGer 6B_1224/2019 vom 30.10.2023, Fünferbesetzung).",
    ],
)
def test_a_date_in_an_aside_under_the_headline_leaves_the_date_to_other_witnesses(aside):
    head = '<meta property="article:published_time" content="2023-10-31T10:00:00+01:00">'
    article = parse_capture(story_page(head=head, under_headline=f"<p>{aside}</p>"), "a.html")
    assert article.published_date == date(2023, 10, 31)
    assert "against" not in evidence_of(article, "published").evidence


def test_a_date_in_brackets_after_the_place_of_a_release_is_its_date():
    lead = "<p>Karlsruhe, (12.11.2021). Die Landeskirche lädt zur Andacht ein.</p>"
    article = parse_capture(story_page(under_headline=lead), "a.html")
    assert article.published_date == date(2021, 11, 12)


def test_two_dates_printed_side_by_side_leave_the_choice_to_the_metadata():
    # A blog prints its updated and published days together, unlabelled.
    head = '<meta property="article:published_time" content="2022-12-30T07:00:40+01:00">'
    stamp = "Arne Sjöström | 29. Dezember 2022 30. Dezember 2022 | HR-Welt"
    article = parse_capture(story_page(head=head, under_headline=stamp), "a.html")
    assert article.published_date == date(2022, 12, 30)


@pytest.mark.parametrize(
    "stamp",
    [
        "11.01.2022, 09:50 Uhr / Aktualisiert am 21.01.2022, 11:39 Uhr",
        "11.01.2022 09:50 | aggiornato il 21.01.2022",
    ],
)
def test_a_labelled_update_beside_the_date_leaves_the_date_printed_first(stamp):
    article = parse_capture(story_page(under_headline=stamp), "a.html")
    assert article.published_date == date(2022, 1, 11)


def test_the_articles_time_element_outweighs_a_date_only_the_head_states():
    # The header's <time> is what the reader sees; a bare dcterms.date in the head is older.
    page_bytes = (
        "<html><head><title>Talks stall | Daily Planet</title>"
        '<meta name="dcterms.date" content="2022-01-21T09:43+01:00"></head><body>'
        "<nav>Home | World</nav><article><header><h1>Talks stall</h1>"
        '<p>Press release <time datetime="2022-01-25T08:00:00+01:00">25 Jan.</time></p>'
        f"</header>{STORY}</article></body></html>"
    ).encode()
    assert parse_capture(page_bytes, "a.html").published_date == date(2022, 1, 25)


def test_teasers_dated_above_the_headline_leave_the_date_to_the_metadata():
    # Links to other articles, each with its day, run down to the headline.
    head = '<meta property="article:published_time" content="2020-03-18T10:00:00+01:00">'
    teasers = (
        "<ul><li>04. März 2020 Moritat vom Virus</li><li>26. Februar 2020 Panik mit Januskopf"
        "</li></ul>"
    )
    page_bytes = story_page(head=head).replace(b"<article>", f"<article>{teasers}".encode())
    article = parse_capture(page_bytes, "a.html")
    assert article.published_date == date(2020, 3, 18)
    assert "date_uncertain" not in article.review_reasons


@pytest.mark.parametrize(
    "footer",
    [
        "This page was last modified on 4 November 2020, at 19:23.",
        "Letzte Änderung: 04.11.2020 - 14:49:39",
        "Update date: 04.11.2020",
    ],
)
def test_the_day_a_page_was_last_changed_is_not_its_publication_date(footer):
    article = parse_capture(undated_page(f"<footer><p>{footer}</p></footer>"), "a.html")
    assert article.published_date is None
    assert "date_unknown" in article.review_reasons


def test_an_article_whose_class_names_its_comments_keeps_its_time():
    # The theme marks the whole post "comments-open"; its own <time> is no comment's.
    stamp = "<time datetime='2021-05-03T10:00:00+02:00'>Monday</time>"
    page_bytes = story_page(under_headline=stamp).replace(
        b"<article>", b"<article class='post comments-open'>"
    )
    assert parse_capture(page_bytes, "a.html").published_date == date(2021, 5, 3)


def test_a_teasers_time_in_a_link_to_another_page_is_not_the_articles_date():
    # A sidebar of other stories, each an <article> whose link holds its time.
    teaser = (
        "<aside><article class='teaser'><a href='/news/3-11217164'><h3>Storm closes roads</h3>"
        "<time datetime='2020-02-19T19:32:07+02:00'>19:32</time></a></article></aside>"
    )
    head = b'<meta property="og:url" content="https://news.example/news/3-11212601"></head>'
    article = parse_capture(undated_page(teaser).replace(b"</head>", head), "a.html")
    assert article.published_date is None
    assert "date_unknown" in article.review_reasons


def test_a_time_linked_to_the_archive_of_its_day_is_the_articles_date():
    stamp = (
        "<header><a href='/date/2017/05/29/'><time datetime='2017-05-29'>29.05.2017</time>"
        "</a></header>"
    )
    head = b'<meta property="og:url" content="https://news.example/88298335/talks/"></head>'
    page_bytes = undated_page("", stamp).replace(b"</head>", head)
    assert parse_capture(page_bytes, "a.html").published_date == date(2017, 5, 29)


def test_a_comments_time_is_not_the_articles_date():
    comments = (
        "<section class='comments-area'><ol class='comment-list'><li class='comment'>"
        "<article class='comment-body'><footer><time datetime='2019-08-24T03:36:11+02:00'>"
        "24. August 2019 um 03:36 Uhr</time></footer><p>Great episode, thanks!</p>"
        "</article></li></ol></section>"
    )
    article = parse_capture(undated_page(comments), "a.html")
    assert article.published_date is None
    assert "date_unknown" in article.review_reasons


def test_relative_time_under_the_headline_is_no_date():
    article = parse_capture(story_page(under_headline="3 hours ago"), "a.html")
    assert article.published_date is None
    assert "date_unknown" in article.review_reasons


def test_printed_date_and_metadata_that_agree_are_sure():
    head = '<meta property="article:published_time" content="2008-03-18T10:00:00+01:00">'
    article = parse_capture(story_page(head=head, under_headline="18.03.2008"), "a.html")
    assert article.published_date == date(2008, 3, 18)
    assert evidence_of(article, "published").confidence >= 0.95
    assert "date_uncertain" not in article.review_reasons


def test_dates_that_disagree_are_kept_but_flagged_with_both_sides():
    head = '<meta property="article:published_time" content="2008-02-01T10:00:00+01:00">'
    article = parse_capture(story_page(head=head, under_headline="18.03.2008"), "a.html")
    assert article.published_date == date(2008, 3, 18)
    found = evidence_of(article, "published")
    assert "against: 2008-02-01" in found.evidence
    assert "date_uncertain" in article.review_reasons


@pytest.mark.parametrize("stated", ["2008-03-18T23:30:00Z", "2008-03-18T23:35:55"])
def test_a_utc_time_near_midnight_alone_is_a_weak_date(stated):
    # A time with no zone is often UTC unsaid: near midnight, its day is as unsure.
    head = f'<meta property="article:published_time" content="{stated}">'
    article = parse_capture(story_page(head=head), "a.html")
    assert "date_uncertain" in article.review_reasons or article.published_date is None


@pytest.mark.parametrize("stored", ["2022-11-06T23:00:00.000Z", "2022-11-06T22:00:00+00:00"])
def test_a_day_stored_as_midnight_east_of_utc_keeps_its_day(stored):
    # The site keeps only the day, as midnight in Berlin, and writes it out in UTC.
    head = f'<meta property="article:published_time" content="{stored}">'
    article = parse_capture(story_page(head=head), "a.html")
    assert article.published_date == date(2022, 11, 7)
    assert article.published_at is None


def undated_page(after_article: str, in_article: str = "") -> bytes:
    """A page that states no date of its own, with more printed after the article."""
    return (
        "<html><head><title>Talks stall | Daily Planet</title></head><body><nav>Home</nav>"
        f"<article><h1>Talks stall</h1>{STORY}{STORY}{in_article}</article>{after_article}"
        "</body></html>"
    ).encode()


def test_a_guess_from_markup_that_the_page_never_prints_among_its_dates_is_left_unknown():
    # The markup holds a day (an <abbr> title) the page never prints; it prints others.
    guess = '<abbr class="published" title="2008-02-01">1 Feb</abbr>'
    others = "<p>More: 18.03.2008</p><p>Also: 20.03.2008</p>"
    article = parse_capture(undated_page(others, guess), "a.html")
    assert article.published_date is None
    assert "never prints" in evidence_of(article, "published").evidence
    printed = parse_capture(undated_page("<p>1 February 2008</p>", guess), "a.html")
    assert printed.published_date == date(2008, 2, 1)


def test_a_guess_the_page_contradicts_gives_way_to_the_one_date_it_prints():
    guess = '<abbr class="published" title="2008-02-01">1 Feb</abbr>'
    article = parse_capture(undated_page("<p>Stand: 18.03.2008</p>", guess), "a.html")
    assert article.published_date == date(2008, 3, 18)
    assert "date_uncertain" in article.review_reasons


@pytest.mark.parametrize(
    ("printed", "expected"),
    [("", date(2023, 1, 11)), ("<p>1. November 2023</p>", date(2023, 11, 1))],
)
def test_a_stated_date_that_reads_either_way_is_settled_by_the_date_the_page_prints(
    printed, expected
):
    # Day first unless the page prints the month-first reading.
    head = b'<meta name="date" content="11/01/2023 12:43:42"></head>'
    page_bytes = undated_page(printed).replace(b"</head>", head)
    assert parse_capture(page_bytes, "a.html").published_date == expected


@pytest.mark.parametrize("printed", ["Am 01.02.2008 im Rathaus", "Dienstag, 1. Februar 2008"])
def test_a_page_stating_no_date_takes_the_one_date_it_prints_flagged(printed):
    article = parse_capture(undated_page(f"<p>{printed}</p>"), "a.html")
    assert article.published_date == date(2008, 2, 1)
    assert "date_uncertain" in article.review_reasons


@pytest.mark.parametrize(
    "after",
    [
        "<p>Termine: 01.02.2008</p><p>und 05.04.2008</p>",  # a list, not the page's date
        "<p data-day='01.02.2008'>Share</p>",  # in the markup, never printed
    ],
)
def test_a_page_stating_no_date_leaves_a_list_or_an_unprinted_date_unknown(after):
    article = parse_capture(undated_page(after), "a.html")
    assert article.published_date is None and "date_unknown" in article.review_reasons


@pytest.mark.parametrize("label", ["Datum: 18.10.2021", "Published on October 18, 2021"])
def test_a_page_stating_no_date_takes_the_one_it_labels_as_published_flagged(label):
    # Far from the headline, among other days the page prints (a list of events).
    after = f"<p>Termine: 01.02.2022 und 05.04.2022</p><p>{label}</p>"
    article = parse_capture(undated_page(after), "a.html")
    assert article.published_date == date(2021, 10, 18)
    assert "date_uncertain" in article.review_reasons


def test_printed_byline_under_the_headline():
    article = parse_capture(story_page(under_headline="Von Anna Beck | 18.03.2008"), "a.html")
    assert article.byline == "Anna Beck"
    assert evidence_of(article, "byline").evidence == "byline under the headline"


def test_prose_with_von_is_no_byline():
    under = "Die Rede von einer attraktiven Verzinsung"
    assert parse_capture(story_page(under_headline=under), "a.html").byline == ""


def test_the_site_named_as_author_is_kept_but_flagged():
    head = (
        '<meta property="og:site_name" content="Planet Blog">'
        '<meta name="author" content="Planet Blog">'
    )
    article = parse_capture(story_page(head=head), "a.html")
    assert article.byline == "Planet Blog"
    assert "byline_uncertain" in article.review_reasons


# -- The article's structure ----------------------------------------------------------------

STRUCTURED = (
    "<p>Russian Foreign Minister Sergei Lavrov has said no agreement has been reached with "
    'the US over <a href="/shield">its plan</a> to base parts of a <b>missile defence</b> '
    "system in Europe, officials said.</p>"
    "<h2>Where the sites would be</h2>"
    "<ul><li>Interceptor missiles in northern Poland</li><li>A radar near Prague</li></ul>"
    "<table><tr><th>Site</th><th>Country</th></tr><tr><td>Redzikowo</td><td>Poland</td></tr>"
    "</table>"
    "<blockquote><p>We agreed to continue consultations to study the proposals received "
    "today in Moscow.</p></blockquote>"
    "<p>Both sides said they would meet again in Washington next month to continue the "
    'discussions, <a href="javascript:alert(1)">officials</a> said.</p>'
)


def structured_article() -> ParsedArticle:
    head = '<meta property="og:url" content="https://news.example.org/2008/03/18/talks">'
    return parse_capture(page(body=STRUCTURED, head=head, title="Talks stall"), "a.html")


def test_structure_is_kept_as_markup_beside_the_plain_text():
    article = structured_article()
    assert "<h2>Where the sites would be</h2>" in article.markup
    assert "<li>A radar near Prague</li>" in article.markup
    assert "<th>Site</th>" in article.markup and "<td>Redzikowo</td>" in article.markup
    assert "<blockquote><p>We agreed" in article.markup
    assert "<strong>missile defence</strong>" in article.markup
    assert "Redzikowo | Poland" in article.body
    assert "<" not in article.body


def test_links_are_made_absolute_against_the_pages_address_and_unsafe_ones_dropped():
    article = structured_article()
    assert '<a href="https://news.example.org/shield">its plan</a>' in article.markup
    assert "javascript" not in article.markup
    assert "officials</a>" not in article.markup and "officials said" in article.markup


def test_the_dateline_cut_from_the_lead_is_cut_from_its_markup_too():
    article = parse_capture(page(head=BBC_HEAD), "a.html")
    assert article.dateline == "MOSCOW"
    assert "(Reuters)" not in article.markup
    assert "<p>Russian Foreign Minister Sergei Lavrov" in article.markup


def test_hostile_markup_leaves_no_trace_in_the_stored_html(tmp_path):
    from articles.ingest.prepare import prepare_capture

    path = tmp_path / "hostile.html"
    path.write_bytes(page(body=HOSTILE))
    prepared = prepare_capture(path, max_bytes=10**6, lists=None)
    for forbidden in ("<script", "alert", "onerror", "onclick", "<iframe", "javascript", "evil"):
        assert forbidden not in prepared.body_html
    assert "<p>Diplomats met in Geneva on Tuesday" in prepared.body_html


def test_spaces_around_emphasis_and_links_are_kept():
    body = (
        "<p>The <b>Russian</b> minister met <a href='https://example.org/'>his US "
        "counterpart</a> in Moscow on Tuesday, where they talked about the shield.</p>"
    ) + STORY
    markup = parse_capture(story_page().replace(STORY.encode(), body.encode()), "a.html").markup
    assert "The <strong>Russian</strong> minister met <a " in markup
    assert "counterpart</a> in Moscow" in markup


def test_author_marked_by_the_pages_markup_but_not_a_commenters():
    marked = (
        "<span class='author vcard'><a class='url fn n' rel='author' href='/u/anna'>"
        "anna_beck</a></span>"
    )
    comment = "<div class='comments'><span class='author'>Troll Person</span></div>"
    html = story_page(under_headline=marked).replace(
        b"</article>", comment.encode() + b"</article>"
    )
    article = parse_capture(html, "a.html")
    assert article.byline == "anna_beck"
    assert "rel=author link" in evidence_of(article, "byline").evidence


def test_a_commenters_name_alone_is_no_author():
    comment = "<div class='comment-list'><span class='author'>Troll Person</span></div>"
    html = story_page().replace(b"</article>", comment.encode() + b"</article>")
    assert parse_capture(html, "a.html").byline == ""


STANDFIRST = (
    "Moscow and Washington failed again to agree on the missile shield in a day of talks "
    "that ended without a date for the next round."
)


def test_the_standfirst_printed_under_the_headline_opens_the_body():
    head = f'<meta name="description" content="{STANDFIRST}">'
    under = f"<strong>{STANDFIRST}</strong>"
    article = parse_capture(story_page(head=head, under_headline=under), "a.html")
    assert article.blocks[0].text == STANDFIRST
    assert article.body.count("failed again to agree") == 1
    assert article.markup.startswith(f"<p>{STANDFIRST}</p>")


def test_a_description_the_page_does_not_print_is_not_body():
    head = f'<meta name="description" content="{STANDFIRST}">'
    article = parse_capture(story_page(head=head), "a.html")
    assert "failed again to agree" not in article.body


@pytest.mark.parametrize(
    "head",
    [
        '<meta property="article:published_time" content="2008-03-18T10:00:00+25:00">',
        '<meta property="article:published_time" content="2008-13-45T99:99">',
        '<meta property="article:published_time" content="0000-01-01">',
        '<meta name="date" content="31. Brumaire 2008">',
        '<script type="application/ld+json">{"@graph": [1, "x", null, {"@type": 5}]}</script>',
        '<script type="application/ld+json">{"@type": "NewsArticle", "author": {"name": ["A", '
        '2]}, "headline": {"x": 1}, "datePublished": ["2008-03-18"]}</script>',
        '<script type="application/ld+json">{not json</script>',
        '<meta name="author" content="https://example.org/me">',
    ],
)
def test_malformed_metadata_is_ignored_not_fatal(head):
    article = parse_capture(story_page(head=head, under_headline="99.99.2008"), "a.html")
    assert article.title == "Talks stall"
    assert article.published_date in (None, date(2008, 3, 18))


@pytest.mark.parametrize("address", ["https://news.example/talks", "http://[broken/talks"])
def test_a_broken_address_is_ignored_not_fatal(address):
    head = f'<meta property="og:url" content="{address}">'
    stamp = "<a href='http://[x/y'><time datetime='2008-03-18'>18.03.2008</time></a>"
    article = parse_capture(story_page(head=head, under_headline=stamp), "a.html")
    assert article.title == "Talks stall"
    assert article.published_date == date(2008, 3, 18)


# -- An outlet the sources table does not know, named by the page itself ------------------

OWN_REPORTING = (
    "<p>Officials from the three islands met on Tuesday to discuss the new hurricane "
    "shelters planned for the coming season, the government said in a statement.</p>"
    "<p>The shelters will be built in George Town and in the eastern districts, and the "
    "work is expected to begin before the end of the year, according to the ministry.</p>"
)


def outlet_page(head: str, title: str = "Shelters planned for islands") -> bytes:
    return page(body=OWN_REPORTING, head=head, title=title)


def source_evidence(article: ParsedArticle) -> str:
    return next(e.evidence for e in article.evidence if e.field == "source")


def test_a_page_naming_its_site_lands_under_that_source_flagged_for_review():
    head = (
        '<meta property="og:site_name" content="Cayman Compass">'
        '<meta property="og:url" content="https://www.caymancompass.com/2024/05/07/shelters/">'
    )
    article = parse_capture(outlet_page(head), "a.html")
    assert article.source == "Cayman Compass"
    assert "source_uncertain" in article.review_reasons
    assert "source_unknown" not in article.review_reasons
    assert source_evidence(article) == "meta og:site_name + host name"


def test_a_json_ld_publisher_names_the_source():
    head = (
        '<link rel="canonical" href="https://www.cbsnews.com/news/shelters-planned/">'
        '<script type="application/ld+json">{"@context": "https://schema.org", '
        '"@type": "NewsArticle", "headline": "Shelters planned for islands", '
        '"publisher": {"@type": "Organization", "name": "CBS News", '
        '"logo": {"@type": "ImageObject", "url": "https://www.cbsnews.com/logo.png"}}}'
        "</script>"
    )
    article = parse_capture(outlet_page(head), "a.html")
    assert article.source == "CBS News" and "source_uncertain" in article.review_reasons
    assert source_evidence(article).startswith("JSON-LD publisher")


def test_the_application_name_with_its_host_names_the_source():
    head = (
        '<meta name="application-name" content="California Globe">'
        '<link rel="canonical" href="https://californiaglobe.com/articles/shelters/">'
    )
    article = parse_capture(outlet_page(head), "a.html")
    assert article.source == "California Globe" and "source_uncertain" in article.review_reasons


def test_a_page_that_names_no_site_stays_of_unknown_source():
    article = parse_capture(
        outlet_page('<meta name="twitter:site" content="@islandnews">'), "a.html"
    )
    assert article.source is None and "source_unknown" in article.review_reasons
    assert "source_uncertain" not in article.review_reasons


def test_a_known_outlet_is_not_flagged_as_named_by_the_page():
    article = parse_capture(page(head=BBC_HEAD), "a.html")
    assert "source_uncertain" not in article.review_reasons


# -- A page that is only navigation ---------------------------------------------------------

PAYWALLED = (
    "<!DOCTYPE html><html><head><title>Shelters planned for islands</title></head><body>"
    "<div class='content'><h1>Shelters planned for islands</h1>"
    "<p>Home</p><p>News</p><p>Sport</p><p>Business</p><p>Opinion</p>"
    "<p>Share on Facebook</p><p>Share on Twitter</p><p>Share by email</p>"
    "<p>Subscribe to keep reading.</p><p>Already a subscriber? Sign in</p>"
    "</div></body></html>"
)


def test_a_page_that_is_only_navigation_is_flagged_with_the_reason():
    article = parse_capture(PAYWALLED.encode(), "paywalled.html")
    assert "body_uncertain" in article.review_reasons
    doubt = next(e for e in article.evidence if e.field == "body")
    assert doubt.evidence.startswith("only navigation:") and doubt.confidence < 0.5


def test_an_article_with_a_menu_around_it_is_not_flagged():
    article = parse_capture(page(body=OWN_REPORTING * 2), "a.html")
    assert "body_uncertain" not in article.review_reasons


def test_an_element_with_thousands_of_attributes_is_cut_to_the_first_hundred():
    from articles.ingest.html import MAX_ATTRIBUTES, bounded_tags

    attributes = " ".join(f'a{i}="x"' for i in range(5_000))
    page = f"<html><body><h1>Talks end</h1><p {attributes}>Negotiators met.</p></body></html>"
    trimmed = bounded_tags(page)
    assert trimmed.count('="x"') == MAX_ATTRIBUTES
    assert "Negotiators met.</p>" in trimmed
    ordinary = '<p class="lead" data-src="' + "x" * 3_000 + '">Text</p>'
    assert bounded_tags(ordinary) == ordinary  # a long tag with few attributes is kept


def test_a_page_whose_paragraph_has_thousands_of_attributes_is_read():
    attributes = " ".join(f'a{i}="x"' for i in range(20_000))
    sentence = "Negotiators met again in Geneva today and said the talks would go on. "
    page = (
        "<html><head><title>Talks end in Geneva</title></head><body><h1>Talks end in Geneva</h1>"
        f"<p {attributes}>{sentence * 10}</p><p>{sentence * 5}</p></body></html>"
    )
    parsed = parse_capture(page.encode(), "page.html")
    assert "Negotiators met again in Geneva" in parsed.body


def test_json_ld_nested_past_the_recursion_limit_is_skipped_and_the_page_read():
    head = '<script type="application/ld+json">' + "[" * 100_000 + "]" * 100_000 + "</script>"
    head += json_ld(**{"@type": "NewsArticle", "datePublished": "2008-03-18"})
    article = parse_capture(story_page(head=head), "a.html")
    assert article.title == "Talks stall"
    assert article.published_date == date(2008, 3, 18)


def test_a_page_listing_thousands_of_json_ld_items_is_read_for_the_first_thousand():
    """A breadth-first walk that took each item off the front of a list was quadratic:
    1.4 million empty objects (4 MB) took more than three minutes."""
    import lxml.html

    from articles.ingest.metadata import MAX_JSON_LD_ITEMS, _json_ld_items

    items = [{"@type": "NewsArticle", "headline": f"Teaser {n}"} for n in range(5_000)]
    head = json_ld(**{"@graph": items})
    found = _json_ld_items(lxml.html.document_fromstring(story_page(head=head)))
    assert len(found) == MAX_JSON_LD_ITEMS
    assert found[1]["headline"] == "Teaser 0"
