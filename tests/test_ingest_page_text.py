"""Text captures of whole web pages: the article is found among menus, banners, related
links, comments and footers by general rules about the shape of its lines."""

from datetime import date

import pytest

from articles.ingest import parse_capture
from articles.ingest.dates import find_dates
from articles.ingest.text import headline_piece

MENU = "\n".join(["Skip to content", "Home", "News", "Sport", "Sign Up", "WATCH LIVE", "Menu"])
BODY = (
    "Diplomats from both countries met again in Geneva on Tuesday to discuss the treaty.\n"
    "The talks, which lasted six hours, ended without an agreement on the radar sites.\n"
    "Officials said a further round would be held in the spring, after the elections.\n"
)


def parse(text: str):
    return parse_capture(text.encode("utf-8"), "page.txt")


def page(header: str, *, body: str = BODY, footer: str = "") -> str:
    return f"{MENU}\n{header}\n{body}{footer}"


def date_opening_with(opening: str):
    """The date read from the page when its first paragraph opens with `opening`."""
    body = BODY.replace("Diplomats from both countries met again", opening, 1)
    return parse(page(HEADLINE, body=body)).published_date


def test_headline_under_a_menu_is_the_line_beside_the_date_not_the_first_line():
    article = parse(page("Talks on the treaty end without agreement\n18 March 2008"))
    assert article.title == "Talks on the treaty end without agreement"
    assert article.published_date == date(2008, 3, 18)


@pytest.mark.parametrize(
    "printed, expected",
    [
        ("19. Oktober 2019, 19:08 Uhr", date(2019, 10, 19)),
        ("Publié le 5 févr. 2019", date(2019, 2, 5)),
        ("15 de octubre de 2019", date(2019, 10, 15)),
        ("Oct. 9, 2019", date(2019, 10, 9)),
        ("2019-10-19", date(2019, 10, 19)),
        ("19.10.2019", date(2019, 10, 19)),
        ("10/19/2019", date(2019, 10, 19)),
        # A dotted date with a two-digit year.
        ("04.05.20 14:50", date(2020, 5, 4)),
        ("Erstellt am 01.01.23 um 08:35", date(2023, 1, 1)),
        ("28.01.22 / 0 Kommentare", date(2022, 1, 28)),
    ],
)
def test_header_dates_are_read_in_common_formats_and_languages(printed, expected):
    article = parse(page(f"Talks on the treaty end without agreement\n{printed}"))
    assert article.published_date == expected


@pytest.mark.parametrize("printed", ["3 hours ago", "vor 2 Stunden", "03/04/2019", "Mai 2019"])
def test_relative_ambiguous_or_partial_dates_are_not_dates(printed):
    article = parse(page(f"Talks on the treaty end without agreement\n{printed}"))
    assert article.published_date is None
    assert "date_unknown" in article.review_reasons


def test_a_dotted_numeric_date_is_day_first_while_a_slashed_one_stays_ambiguous():
    dotted = parse(page("Talks on the treaty end without agreement\n02.11.2021"))
    assert dotted.published_date == date(2021, 11, 2)
    assert "date_ambiguous" not in dotted.review_reasons
    slashed = parse(page("Talks on the treaty end without agreement\n02/11/2021"))
    assert slashed.published_date is None


def test_a_slashed_date_is_read_in_the_order_the_page_writes_its_other_dates():
    body = BODY + "Comments\nMaria on 29/04/2022: the talks will go on.\n"
    article = parse(page("Talks on the treaty end without agreement\n03/05/2022 22:46", body=body))
    assert article.published_date == date(2022, 5, 3)
    american = BODY + "The next round opens on May 20, 2022 in Vienna, officials said.\n"
    article = parse(page("Talks on the treaty end without agreement\n03/05/2022", body=american))
    assert article.published_date == date(2022, 3, 5)


def test_a_slashed_date_stays_ambiguous_when_the_page_writes_both_orders():
    body = BODY + "Talks resume on 29/04/2022 and end on May 20, 2022, officials said.\n"
    article = parse(page("Talks on the treaty end without agreement\n03/05/2022", body=body))
    assert article.published_date is None


def test_a_date_late_in_a_byline_line_is_the_articles():
    byline = "Filed under Diplomacy and Security | By Jane Doe - August 3, 2019"
    article = parse(page(f"Talks on the treaty end without agreement\n{byline}"))
    assert article.published_date == date(2019, 8, 3)
    caption = "Delegates in the hall of the Palais des Nations, Geneva, on August 3, 2019"
    article = parse(page(f"Talks on the treaty end without agreement\n{caption}"))
    assert article.published_date is None


def test_a_date_alone_right_under_the_text_is_the_posts_when_the_header_has_none():
    article = parse(page("Talks on the treaty end without agreement", footer="12.06.2017\n"))
    assert article.published_date == date(2017, 6, 12)
    two = "12.06.2017\n14.06.2017 09:12\n"
    article = parse(page("Talks on the treaty end without agreement", footer=two))
    assert article.published_date is None


@pytest.mark.parametrize(
    "printed", ["Erstellt am: 12.06.2017", "Posted on June 12, 2017", "19:30 12.06.2017"]
)
def test_a_line_saying_when_the_post_was_written_under_the_text_dates_it(printed):
    article = parse(page("Talks on the treaty end without agreement", footer=f"{printed}\n"))
    assert article.published_date == date(2017, 6, 12)


@pytest.mark.parametrize("printed", ["Termin: 12.06.2017", "Geneva, den 12. Juni 2017"])
def test_an_events_or_a_letters_date_under_the_text_is_not_the_posts(printed):
    article = parse(page("Talks on the treaty end without agreement", footer=f"{printed}\n"))
    assert article.published_date is None


@pytest.mark.parametrize(
    "signature",
    [
        "von Jane Doe\n12.06.2017 16:06 Uhr",
        "Erschienen am\n12. Juni 2017",
        "Saved by jdoe on 12 June 2017 - 18:55",
    ],
)
def test_a_signed_date_a_few_lines_under_the_text_dates_the_post(signature):
    tags = "Tags\nGeneva\nTreaty\nShare this page"
    article = parse(page(HEADLINE, footer=f"{tags}\n{signature}\n"))
    assert article.published_date == date(2017, 6, 12)


@pytest.mark.parametrize(
    "comment", ["Peter sagt:\n12.06.2017 um 16:06", "jdoe said, on June 12, 2017 at 3:12 pm"]
)
def test_a_commenters_date_a_few_lines_under_the_text_is_not_the_posts(comment):
    footer = f"Tags\nGeneva\nTreaty\n{comment}\n"
    assert parse(page(HEADLINE, footer=footer)).published_date is None


def test_a_version_number_is_not_a_dotted_date():
    assert find_dates("Update auf v1.11.23 verfügbar") == []
    assert find_dates("Paragraf 1.2.3.4 des Vertrags") == []
    assert find_dates("Version 17.01.2021.3 ist da") == []


@pytest.mark.parametrize(
    "line",
    ["Politik18. März 2008Diplomats", "18. März 200818. März 2008 Jane Doe", "March 18, 200812"],
)
def test_a_date_run_into_the_words_or_digits_around_it_is_read(line):
    assert [value for _, value in find_dates(line)] == [date(2008, 3, 18)]


def test_a_date_run_into_a_different_date_is_left_unread():
    assert find_dates("18. März 200819. März 2008") == []
    assert find_dates("18/03/200819/03/2008", dayfirst=True) == []


def test_a_dotted_date_ending_a_sentence_is_read():
    assert [value for _, value in find_dates("Aktualisiert am 17.01.2021.")] == [date(2021, 1, 17)]


def test_a_date_line_just_under_the_headline_counts_even_after_the_text_starts():
    lead = "Diplomats met again in Geneva on Tuesday to discuss the treaty and its radar sites."
    article = parse(page(f"Talks on the treaty end without agreement\n{lead}\n18.03.2008 14:50"))
    assert article.published_date == date(2008, 3, 18)
    event = parse(page(f"Talks on the treaty end without agreement\n{lead}\nTermin: 18.03.2008"))
    assert event.published_date is None
    weekday = parse(page(f"{HEADLINE}\n{lead}\nmardi 18 mars 2008 à 09h08"))
    assert weekday.published_date == date(2008, 3, 18)


@pytest.mark.parametrize(
    "labelled",
    [
        "Published: 18.03.2008",
        "Posted on March 18, 2008",
        "Veröffentlicht: 18.03.2008Getty ImagesDiplomats gathered in the hall on Tuesday morning.",
        "Pressemitteilung vom 18. März 2008 | Berlin – Die Gespräche über den Vertrag enden ohne"
        " Einigung über die Radarstationen, teilte das Ministerium am Dienstag mit.",
    ],
)
def test_a_date_labelled_as_published_under_the_headline_outranks_the_mastheads(labelled):
    lead = "Diplomats met again in Geneva on Tuesday to discuss the treaty and its radar sites."
    header = f"The Daily Courier — 02.01.09 09:51\n{HEADLINE}\n{lead}\nBy Jane Doe\n{labelled}"
    assert parse(page(header)).published_date == date(2008, 3, 18)


@pytest.mark.parametrize(
    "printed",
    [
        "Mittwoch, 18. März 2008 - Politik",
        "Veröffentlicht am 18.03.2008",
        "18.03.08",
        "Datum: 18. März 2008",
    ],
)
def test_a_short_date_line_a_few_lines_into_the_text_dates_it_when_the_header_has_none(printed):
    lead = "Diplomats met again in Geneva on Tuesday to discuss the treaty and its radar sites."
    caption = "Delegates in the hall"
    article = parse(
        page(f"Talks on the treaty end without agreement\n{lead}\n{caption}\n{printed}")
    )
    assert article.published_date == date(2008, 3, 18)
    event = parse(
        page(f"Talks on the treaty end without agreement\n{lead}\n{caption}\nTermin: 18.03.2008")
    )
    assert event.published_date is None


@pytest.mark.parametrize(
    "opening",
    [
        "Geneva, 18 March 2008 – Diplomats met again",
        "18.03.2008 - Diplomats met again",
        "Red. / 18.03.2008 Diplomats met again",
    ],
)
def test_a_first_paragraph_opening_with_a_dateline_dates_the_article(opening):
    assert date_opening_with(opening) == date(2008, 3, 18)


def test_a_dateline_of_the_second_paragraph_past_a_caption_dates_the_article():
    opening = (
        "Our desk reports from the conference centre in Geneva.\nDelegates in the hall\n"
        "18.03.2008 - Diplomats met again"
    )
    assert date_opening_with(opening) == date(2008, 3, 18)


@pytest.mark.parametrize(
    "opening",
    ["Politik18.03.2008Diplomats met again", "Jane Doe18.03.2008 - Diplomats met again"],
)
def test_a_date_glued_between_a_header_and_the_first_paragraph_dates_the_article(opening):
    assert date_opening_with(opening) == date(2008, 3, 18)


@pytest.mark.parametrize(
    "opening",
    [
        "Written by Jane Doe, PhD on March 18, 2008Diplomats met again",
        "Treaty talks end without an agreement18.03.2008, 10:27 | Politics Diplomats met",
    ],
)
def test_a_header_run_into_the_first_paragraph_further_in_dates_the_article(opening):
    assert date_opening_with(opening) == date(2008, 3, 18)


def test_a_date_further_into_the_first_sentence_is_the_news_not_a_dateline():
    sentence = "Diplomats from both countries said on Tuesday that since 18.03.2008 they met"
    assert date_opening_with(sentence) is None


def test_a_glued_date_run_into_a_time_is_left_unread():
    assert date_opening_with("jane18.03.1912:44 Diplomats") is None


@pytest.mark.parametrize(
    "sentence",
    [
        "On 18 March 2008 diplomats from both countries met again",
        "Created 18.03.2008, modified 19.03.2008: diplomats met again",
    ],
)
def test_a_date_inside_the_first_sentence_is_the_news_not_a_dateline(sentence):
    assert date_opening_with(sentence) is None


def test_a_date_under_a_commenters_name_is_the_comments_not_the_articles():
    comment = "Peter sagt:\n24. August 2019 um 03:36 Uhr"
    article = parse(page(f"Talks on the treaty end without agreement\n{comment}"))
    assert article.published_date is None
    signed = parse(page("Talks on the treaty end without agreement\nPeter Smith\n24. August 2019"))
    assert signed.published_date == date(2019, 8, 24)


HEADLINE = "Talks on the treaty end without agreement"


@pytest.mark.parametrize(
    "printed, headline",
    [
        (f"Politics{HEADLINE}", HEADLINE),
        (f"{HEADLINE}18. März 2008", HEADLINE),
        ("Anna Smith18. März 2008Talks on the treaty end", "Talks on the treaty end"),
        ("Talks on the treaty end without #NoAgreementToday", None),
        ("Naturschutzbund e.V. and YouTube end their talks", None),
        (f"{HEADLINE} | Geneva Daily", HEADLINE),
        (f"Home>World>{HEADLINE}", HEADLINE),
        ("Talks end | Geneva Daily news from the lake shore", None),
    ],
)
def test_a_headline_run_together_with_its_kicker_or_date_is_cut_out(printed, headline):
    article = parse(page(f"{printed}\n18 March 2008"))
    assert article.title == (headline or printed)  # None: the line is whole


@pytest.mark.parametrize(
    "printed, headline",
    [
        ("About usTalks on the treaty end", "Talks on the treaty end"),
        ("Editor's PickTalks on the treaty end", "Talks on the treaty end"),
        ("GenoLab talks on the treaty end", None),  # one word before the join: a name
    ],
)
def test_a_headline_run_into_a_short_menu_item_or_kicker_is_cut_out(printed, headline):
    article = parse(page(f"{printed}\n18 March 2008"))
    assert article.title == (headline or printed)  # None: the line is whole


def test_a_word_run_together_that_the_page_prints_again_is_a_name_not_a_join():
    printed = "Fans of GenoLab meet in Geneva"
    body = BODY.replace("Diplomats", "GenoLab diplomats", 1)
    article = parse(page(f"{printed}\n18 March 2008", body=body))
    assert article.title == printed


@pytest.mark.parametrize(
    "printed, elsewhere, headline",
    [
        (f"Politics {HEADLINE}", HEADLINE, HEADLINE),
        (f"{HEADLINE} Officials met in Geneva", f"Home>World>{HEADLINE}", HEADLINE),
        (f"{HEADLINE} (2008/3) Back", f"{HEADLINE} | Geneva Daily", HEADLINE),
        (f"Treaty: {HEADLINE}", HEADLINE, None),  # a kicker with its colon is the headline's
        (f"{HEADLINE} in Geneva", HEADLINE, None),  # a cut before a lower-case word
        (f"Politics {HEADLINE}", "Politics", None),  # nothing printed alone elsewhere
    ],
)
def test_a_headline_printed_alone_elsewhere_loses_what_was_run_into_it(
    printed, elsewhere, headline
):
    header = f"{printed}\n18 March 2008"
    article = parse(f"{elsewhere}\n{page(header)}")  # a page title over the menu
    assert article.title == (headline or printed)  # None: the line is whole


def test_a_date_confirms_the_nearest_headline_above_it_not_a_line_further_up():
    teaser = "Latest news from the lake shore"
    article = parse(page(f"{teaser}\n{HEADLINE}\n18 March 2008"))
    assert article.title == HEADLINE
    caption = "Delegates in the hall (Photo: Jane Doe)"
    article = parse(page(f"{HEADLINE}\n{caption}\n18 March 2008"))
    assert article.title == HEADLINE  # a picture's caption is not a rival headline


@pytest.mark.parametrize(
    "quoted", ["«Talks end without any agreement»", "Lavrov: »Talks end without agreement«"]
)
def test_a_headline_quoted_in_guillemets_is_a_headline_not_a_link(quoted):
    assert parse(page(f"{quoted}\n18 March 2008")).title == quoted
    assert parse(page(f"Read more talks news »\n{HEADLINE}\n18 March 2008")).title == HEADLINE


def test_a_caption_with_its_pictures_credit_is_not_the_headline():
    caption = "Delegates arrive in the hall of the Palais des Nations © Jane Doe"
    article = parse(page(f"Geneva talks end\n{caption}\n18 March 2008"))
    assert article.title == "Geneva talks end"
    photo = "„Blue Marble“-Foto: talks on the treaty end without agreement"
    assert parse(page(f"{photo}\n18 March 2008")).title == photo  # a word, not a credit


@pytest.mark.parametrize(
    "skips",
    [
        "Zur Navigation springen Zum Inhalt springen",
        "Skip to primary navigation Skip to main content",
    ],
)
def test_skip_links_run_together_are_page_furniture_not_a_headline(skips):
    article = parse(f"{skips}\nGeneva talks end\n{BODY}")
    assert article.title == "Geneva talks end"


@pytest.mark.parametrize(
    "furniture",
    [
        "Skip to search - Accesskey = s",
        "Navigation mit Access Keys",
        "Reading time: 4 minutes",
        "3 min Lesezeit",
        "Pingback: Talks in Geneva and what comes next for the treaty",
    ],
)
def test_access_keys_reading_times_and_pingbacks_are_not_headlines_or_text(furniture):
    article = parse(f"{furniture}\nGeneva talks end\n{BODY}{furniture}\n{BODY}")
    assert article.title == "Geneva talks end"
    assert furniture not in article.body


@pytest.mark.parametrize(
    "paywall",
    [
        "Für Abonnenten",
        "Para suscriptores",
        "Subscribers only",
        "Registrate para acceder a 10 artículos gratis por mes",
        "Ya superaste el límite de notas leídas. Registrate gratis para seguir leyendo",
    ],
)
def test_a_paywalls_label_or_prompt_is_not_the_headline(paywall):
    article = parse(f"{MENU}\n{paywall}\nGeneva talks end\n{BODY}")
    assert article.title == "Geneva talks end"
    assert paywall not in article.body


@pytest.mark.parametrize(
    "prompt",
    [
        "Holen Sie sich meinen kostenlosen Newsletter",
        "Recevez gratuitement notre newsletter",
        "Sign up for our free newsletter to get the day's news.",
        "War der Artikel nützlich? (95 Stimmen: 4,73 von 5)",
        "Was this article helpful?",
        "Escucha esta nota aquí",
        "Listen to this article",
        "Inhaltsverzeichnis",
        "Zum Weiterlesen:",
        "Wenn Ihnen unser Artikel gefallen hat: Unterstützen Sie diese Form des Journalismus.",
    ],
)
def test_a_prompt_a_players_label_or_a_contents_heading_between_paragraphs_is_not_text(prompt):
    article = parse(page(HEADLINE, body=f"{BODY}{prompt}\n{BODY}"))
    assert article.body.count("Diplomats from both countries") == 2
    assert prompt not in article.body


def test_a_headline_about_subscribers_stays_a_headline():
    headline = "Subscribers of the paper protest against the new owners"
    assert parse(page(f"{headline}\n18 March 2008")).title == headline


@pytest.mark.parametrize(
    "headline",
    ["Live from the KnowledgeCamp on the treaty", "„GenevaTalks“ end without any agreement"],
)
def test_a_word_in_camel_case_inside_a_headline_is_not_cut_as_a_join(headline):
    assert parse(page(f"{headline}\n18 March 2008")).title == headline


def test_a_date_inside_a_caption_is_not_the_publication_date():
    caption = "Delegates arrive at the conference centre in Geneva for talks (18 March 2008)"
    article = parse(page(f"Talks on the treaty end without agreement\n{caption}"))
    assert article.published_date is None


def test_find_dates_reads_only_full_dates():
    assert find_dates("Updated 19 октября 2019 г.") == [(8, date(2019, 10, 19))]
    assert find_dates("Teil 3 von 2019") == []


@pytest.mark.parametrize(
    "printed, expected",
    [
        ("Wochenbericht 14. - 20. Januar 2022", date(2022, 1, 14)),
        ("Festival 3–5 May 2021", date(2021, 5, 3)),
        ("Tagung vom 30.-2. Mai 2022", date(2022, 5, 2)),  # its month is not printed
    ],
)
def test_a_span_of_days_is_dated_by_its_first_day(printed, expected):
    assert [value for _, value in find_dates(printed)] == [expected]


def test_a_weekly_reports_span_under_the_headline_dates_it_by_its_first_day():
    article = parse(page(f"{HEADLINE}\nWeekly report 14 - 20 January 2022"))
    assert article.title == HEADLINE
    assert article.published_date == date(2022, 1, 14)


@pytest.mark.parametrize(
    "lines, byline",
    [
        ("Von Heike Buchter", "Heike Buchter"),
        ("ByJane Doe", "Jane Doe"),
        ("Autor: Jean Dupont", "Jean Dupont"),
        ("October 19, 2019 by Sam Lee", "Sam Lee"),
        ("Von\nHeike Buchter", "Heike Buchter"),
        ("Posted by Ana de la Cruz on October 3, 2019", "Ana de la Cruz"),
        ("Jon Nitz am 24. Januar 2022 um 15:47", "Jon Nitz"),
        ("1. Februar 2022, Daniel Dillenburg", "Daniel Dillenburg"),
        ("Christoph von Ritter\n3. März 2022", "Christoph von Ritter"),
        ("Erstellt von Fabian Roth am Dienstag 6. Mai 2014", "Fabian Roth"),
        ("Publicado por Alberto González", "Alberto González"),
        ("Veröffentlicht am 12. Juni 2017 von gizzmo", "gizzmo"),
        ("Eine Kolumne von Nils Pickert", "Nils Pickert"),
        ("Ein Artikel von Pamela Sladky | 27.01.2022 - 12:45", "Pamela Sladky"),
        ("by Jake Goulding on January 20, 2020", "Jake Goulding"),
        ("By John Walk -", "John Walk"),
        ("By Evan Symon, August 14, 2020", "Evan Symon"),
        ("Written by Grant Tinsley, PhD on April 29, 2018", "Grant Tinsley"),
        ("By Perry Bacon Jr.", "Perry Bacon Jr."),
        ("By Ian Mohr", "Ian Mohr"),
        ("Par Kab Niang Le 17/02/2020", "Kab Niang"),
        ("Por Luciana Bertoia4 de mayo de 2022 - 00:38", "Luciana Bertoia"),
        ("Geschrieben vonElisa Marvena", "Elisa Marvena"),
        ("Posted on 3. May 2019AuthorAndreas Kalt4 Kommentare", "Andreas Kalt"),
        ("von\neseppelt\n·\n18. März 2008", "eseppelt"),
        ("Anna Schmidt 18. März 2008", "Anna Schmidt"),
        ("Redaktion\n18. März 2008 10:29", "Redaktion"),
        ("Auteur : Kossivi Tiassou Edition : Marie Pioerron", "Kossivi Tiassou"),
        ("von Alexander Karper Foto: © GEPA", "Alexander Karper"),
        ("Por Mariano Martín mmartin@example.com.ar", "Mariano Martín"),
        ("| By\nCara Stiles |\nApril 13, 2020", "Cara Stiles"),
        ("Autor*in: Tanja Karrasch", "Tanja Karrasch"),
        ("Published ByInga Hoeltmann", "Inga Hoeltmann"),
    ],
)
def test_bylines_in_their_common_shapes(lines, byline):
    article = parse(page(f"Talks on the treaty end without agreement\n{lines}"))
    assert article.byline == byline
    assert any(found.field == "byline" for found in article.evidence)


@pytest.mark.parametrize(
    "signature",
    ["Autor: Jane Doe", "Geschrieben von Jane Doe am 12.06.2017", "Posted by\nJane Doe\nat"],
)
def test_a_post_signed_under_its_text_has_that_byline(signature):
    article = parse(page("Talks on the treaty end without agreement", footer=f"{signature}\n"))
    assert article.byline == "Jane Doe"


def test_a_menu_word_under_a_byline_label_is_not_a_user_name():
    article = parse(page(f"{HEADLINE}\nvon\npolitics\n18. März 2008"))
    assert article.byline == ""


def test_a_name_alone_under_the_standfirst_is_a_byline_but_not_one_in_a_menu():
    standfirst = "The delegates left Geneva without a deal on the radar sites, officials said."
    article = parse(page(f"{HEADLINE}\n{standfirst}\nJane Doe"))
    assert article.byline == "Jane Doe"
    article = parse(page(f"{HEADLINE}\nWorld News\nSocial Media\nCloud Computing"))
    assert article.byline == ""


@pytest.mark.parametrize(
    "line",
    ["von jdoe", "Verfasst von: jdoe | 18. März 2008", "Posted on 2008-03-18 by jdoe | Reply"],
)
def test_a_blogs_user_name_after_a_byline_label_is_the_byline(line):
    assert parse(page(f"{HEADLINE}\n{line}")).byline == "jdoe"
    assert parse(page(f"{HEADLINE}\nSorted by date")).byline == ""


def test_a_byline_label_run_into_the_word_before_it_still_labels_the_byline():
    assert parse(page(f"{HEADLINE}\nPolitikVon Jane Doe // 18. März 2008")).byline == "Jane Doe"
    assert parse(page(f"{HEADLINE}\nChristoph von Ritter")).byline != "Ritter"


def test_a_name_with_a_trailing_comma_beside_the_date_or_under_a_label_is_a_byline():
    assert parse(page(f"{HEADLINE}\nJane Doe,\n18.03.2008 15:32 Uhr")).byline == "Jane Doe"
    assert parse(page(f"{HEADLINE}\nAutor\nJane Doe,")).byline == "Jane Doe"
    assert parse(page(f"{HEADLINE}\nLiebe Leserin,")).byline == ""


def test_a_name_after_the_date_before_a_link_to_the_comments_is_the_byline():
    line = "18. März 2008 Jane Doe Schreibe einen Kommentar"
    assert parse(page(f"{HEADLINE}\n{line}")).byline == "Jane Doe"


def test_a_name_alone_under_the_text_is_not_a_byline():
    article = parse(page("Talks on the treaty end without agreement", footer="Weitere Videos\n"))
    assert article.byline == ""


def test_an_agency_after_by_is_a_credit_not_a_byline():
    article = parse(page("Talks on the treaty end without agreement\nBy Reuters"))
    assert article.byline == ""
    assert article.source == "Reuters"


def test_body_is_the_longest_run_of_sentences_without_menus_or_footers():
    footer = (
        "Related\nOther talks stall in Vienna\nSanctions debated again\n"
        "We use cookies to improve your experience. By continuing you accept them.\n"
        "© 2019 Example Media\n"
    )
    article = parse(page("Talks on the treaty end without agreement\n18 March 2008", footer=footer))
    assert article.body.startswith("Diplomats from both countries")
    assert article.body.endswith("after the elections.")
    for clutter in ("Sign Up", "WATCH LIVE", "Other talks stall", "cookies"):
        assert clutter not in article.body


def test_a_confirmed_headline_is_trusted_and_an_unconfirmed_one_is_flagged():
    sure = parse(page("Talks on the treaty end without agreement\n18 March 2008"))
    assert "title_uncertain" not in sure.review_reasons
    weak = parse(MENU + "\nGeneva talks resume\nPhoto gallery\n" + BODY)
    assert weak.title == "Geneva talks resume"
    assert "title_uncertain" in weak.review_reasons
    title = next(found for found in weak.evidence if found.field == "title")
    assert title.confidence < 0.6


@pytest.mark.parametrize(
    "form",
    [
        "Hinterlasse eine Antwort Antwort verwerfenDeine E-Mail-Adresse wird nicht veröffentlicht.",
        "Leave a Reply Cancel replyYour email address will not be published.",
    ],
)
def test_a_comment_forms_heading_run_into_its_fields_is_not_text(form):
    fields = "Kommentar\nName *\nE-Mail *\nWebsite\nAbschicken\n"
    comments = f"{form}\n{fields}" + (
        "I disagree with every word of this piece, and I have said so many times before.\n"
    )
    article = parse(page(f"{HEADLINE}\n18 March 2008", footer=comments))
    assert article.body.startswith("Diplomats from both countries")
    assert "I disagree" not in article.body
    assert "E-Mail-Adresse" not in article.body


def test_the_comment_section_is_never_the_article_even_when_longer():
    comments = "Leave a Reply\n" + (
        "Anna\nI disagree with every word of this piece, and I have said so many times before.\n"
        * 6
    )
    article = parse(
        page("Talks on the treaty end without agreement\n18 March 2008", footer=comments)
    )
    assert article.body.startswith("Diplomats from both countries")
    assert "I disagree" not in article.body


def test_a_page_captured_on_one_line_is_cut_where_its_elements_ran_together():
    menu = "HomeNewsSportWeatherContactImpressum" * 20
    glued = f"{menu}Talks on the treaty end without agreement{BODY.replace(chr(10), '')}" * 3
    article = parse(glued)
    assert "ImpressumHome" not in article.body
    assert "Diplomats from both countries met again in Geneva" in article.body


def test_a_bare_name_under_the_headline_is_a_byline_flagged_for_review():
    article = parse(page("Talks on the treaty end without agreement\nMaria Huber"))
    assert article.byline == "Maria Huber"
    assert "byline_uncertain" in article.review_reasons


def test_tags_and_section_names_are_not_bylines():
    article = parse(page("Talks on the treaty end without agreement\nPolitics, World\nTop News"))
    assert article.byline == ""


def test_captions_between_the_headline_and_the_text_are_not_sub_headings():
    header = (
        "Talks on the treaty end without agreement\n18 March 2008\n"
        "Delegates at the conference centre in Geneva\n© Photo Agency"
    )
    article = parse(page(header))
    assert all(block.kind == "p" for block in article.blocks)
    assert "Delegates at the conference" not in article.body


def test_a_teaser_above_the_headline_does_not_hide_it():
    teaser = "Read our special report on the arms race in Europe, updated every week."
    article = parse(page(f"{teaser}\nTalks on the treaty end without agreement\n18 March 2008"))
    assert article.title == "Talks on the treaty end without agreement"
    assert article.body.startswith("Diplomats from both countries")


def test_two_different_dates_under_the_headline_leave_the_date_unknown_and_say_why():
    article = parse(page("Talks on the treaty end without agreement\n18 March 2008\n2 May 2009"))
    assert article.published_date is None
    assert "date_conflicting" in article.review_reasons


def test_an_updates_date_under_the_headline_does_not_hide_the_publication_date():
    updated = parse(page(f"{HEADLINE}\n18 March 2008\nAktualisiert am 02.05.2009"))
    assert updated.published_date == date(2008, 3, 18)


def test_the_date_under_the_headline_outranks_one_other_date_above_it():
    masthead = parse(page(f"Sat, 22 March 2008\n{HEADLINE}\n18 March 2008"))
    assert masthead.published_date == date(2008, 3, 18)  # the day the page was saved
    listed = "\n".join(f"Blogposting {day} March 2008" for day in (10, 11, 12))
    article = parse(page(f"{listed}\n{HEADLINE}\n18 March 2008"))
    assert article.published_date is None  # a list of posts: no way to tell


def test_a_picture_caption_above_its_credit_is_not_the_headline():
    header = (
        "Talks on the treaty end without agreement\n18 March 2008\n"
        "Delegates arrive for the second day of talks in Geneva\nAPA/Georg Hochmuth"
    )
    article = parse(page(header))
    assert article.title == "Talks on the treaty end without agreement"
    assert "Hochmuth" not in article.body


def test_a_breadcrumb_with_slashes_is_navigation():
    article = parse(page("Home / Essays / 2017 / Talks\nTalks on the treaty end\n18 March 2008"))
    assert article.title == "Talks on the treaty end"


def test_a_row_of_social_networks_is_not_the_headline():
    header = f"Twitter Facebook Google + Youtube Mail\nStart » Blog » {HEADLINE}!\n{HEADLINE}!"
    assert parse(page(header)).title == f"{HEADLINE}!"


@pytest.mark.parametrize(
    "line, headline",
    [
        (f"Start » Blogposts » {HEADLINE}", HEADLINE),
        (f"Home›News›{HEADLINE}", HEADLINE),
        ("Sie sagt «nein» und «nie» zum Vertrag", "Sie sagt «nein» und «nie» zum Vertrag"),
    ],
)
def test_a_breadcrumbs_last_step_is_its_headline_but_quotes_are_not_steps(line, headline):
    assert headline_piece(line) == headline


def test_a_long_paragraph_naming_brands_in_camel_case_stays_whole():
    sentence = "Officials shared the YouTube clip and a PowerPoint deck with reporters in Geneva. "
    paragraph = sentence * 12
    article = parse(f"Talks on the treaty end without agreement\n18 March 2008\n{paragraph}")
    assert len(article.blocks) == 1
    assert "YouTube" in article.body and "PowerPoint" in article.body


def test_a_short_paragraph_after_a_gap_at_the_end_closes_the_page_not_the_article():
    footer = "Weather\nTraffic\nGet the latest news straight to your phone with our app.\n"
    article = parse(page("Talks on the treaty end without agreement", footer=footer))
    assert article.body.endswith("after the elections.")
    assert "straight to your phone" in article.other_text


def test_a_long_list_of_teasers_below_the_article_does_not_outweigh_it():
    teaser = (
        "{n} May 2022\nHeadline of another story number {n} on the site\n"
        "A teaser of that story, two lines long, says what it is about and who is in it, {n}.\n"
    )
    teasers = "".join(teaser.format(n=n) for n in range(1, 13))
    article = parse(page(f"{HEADLINE}\n18 March 2008", footer=f"{MENU}\n{teasers}"))
    assert article.title == HEADLINE
    assert article.body.startswith("Diplomats from both countries")
    assert "A teaser of that story" not in article.body


def test_a_short_last_paragraph_right_after_the_text_stays():
    body = BODY + "The next round is set for May.\n"
    article = parse(page("Talks on the treaty end without agreement", body=body))
    assert article.body.endswith("The next round is set for May.")


@pytest.mark.parametrize(
    "share_bar",
    [
        "Teilen Sie dies mit:TwitterFacebookGefällt mir:Liken Lade …",
        "Share this:TumblrTwitterFacebookLike this:Like Loading …",
    ],
)
def test_a_share_bar_run_into_its_label_ends_the_text(share_bar):
    article = parse(page(HEADLINE, footer=f"{share_bar}\nRelated\n"))
    assert "Officials said a further round" in article.body
    assert "Twitter" not in article.body


@pytest.mark.parametrize(
    "related",
    [
        "Das könnte Sie auch interessieren:Wahlen in Bayern: Die Ergebnisse im ÜberblickNeue "
        "Regeln für Mieter ab Januar: Was sich ändert und wer nun mehr zahlen muss",
        "Read moreHow the election was won: a look back at the campaign's last weeksWhat the "
        "new rules mean for renters and who will pay more from January",
    ],
)
def test_related_links_run_into_their_label_end_the_text_however_long(related):
    article = parse(page(HEADLINE, footer=f"{related}\n{BODY}"))
    assert "Officials said a further round" in article.body
    assert "Wahlen in Bayern" not in article.body
    assert "How the election was won" not in article.body


@pytest.mark.parametrize("label", ["Leia também", "Le puede interesar:", "Relacionados"])
def test_related_links_labelled_in_spanish_or_portuguese_end_the_text(label):
    teasers = f"{label}\n" + "".join(
        f"Outra notícia do site, número {n}, que não faz parte desta matéria aqui.\n"
        for n in range(3)
    )
    article = parse(page(HEADLINE, footer=teasers))
    assert "Officials said a further round" in article.body
    assert "Outra notícia" not in article.body


def test_a_sentence_opening_with_a_related_links_word_stays():
    # A capital after the phrase with a space is a sentence, not a link run into a label.
    body = BODY + "Related talks in Vienna, which began a week earlier, are expected to end soon.\n"
    article = parse(page(HEADLINE, body=body))
    assert "Related talks in Vienna" in article.body


@pytest.mark.parametrize(
    "opening",
    ["LeserkommentareAnna K.14. 01. 2020,", "Kommentare4Pingbacks0", "Comments12"],
)
def test_the_comment_section_run_into_its_first_name_or_count_is_not_the_article(opening):
    comments = f"{opening}\n" + (
        "I disagree with every word of this piece, and I have said so many times before.\n" * 8
    )
    article = parse(page(f"{HEADLINE}\n18 March 2008", footer=comments))
    assert article.body.startswith("Diplomats from both countries")
    assert "I disagree" not in article.body


@pytest.mark.parametrize(
    "heading",
    [
        f"5 thoughts on “{HEADLINE}”",
        f"Ein Gedanke zu „{HEADLINE}“",
        f"11 responses to “{HEADLINE}”",
    ],
)
def test_a_comment_sections_heading_naming_the_post_ends_the_article(heading):
    comments = (
        f"{heading}\n"
        + (
            "I disagree with every word of this piece, and I have said so many times before.\n"
            "Thank you for writing this, it is the clearest account of the talks I have read.\n"
        )
        * 4
    )
    article = parse(page(f"{HEADLINE}\n18 March 2008", footer=comments))
    assert article.title == HEADLINE
    assert article.body.startswith("Diplomats from both countries")
    assert "I disagree" not in article.body


def test_a_paragraph_opening_with_a_count_of_responses_stays():
    sentence = "Two responses to the proposal were debated in parliament on Wednesday evening.\n"
    article = parse(page(HEADLINE, body=BODY + sentence + BODY.replace("Geneva", "Vienna")))
    assert "Two responses to the proposal" in article.body
    assert "met again in Vienna" in article.body


def test_a_menu_run_together_is_not_the_headline():
    menu = "Mein KontoMeine BestellungenMerkzettel und Downloads"
    article = parse(page(f"{menu}\n{HEADLINE}"))
    assert article.title == HEADLINE


def test_a_long_menu_run_together_is_not_text_that_a_comments_link_ends():
    menu = (
        "FacebookTwitterInstagramPinterestYoutubeNewslettersApps SearchMenuLive MagazineFollow"
        "Search Business Style Beauty Society Wellbeing Cooking Club MenuMenuLive MagazineNews"
        "EconomySportCultureStyleTravelArt of livingFashionShowsJewelleryBeautyWellbeingSociety"
        "BusinessDesignCookingWeddingsPeopleChildrenClubHoroscopeVideos PodcastsServicesAll sites"
    )
    header = f"{menu}\n{HEADLINE}\nJane Doe\n|\n18 March 2008\nGetty Images\nFacebook\nTwitter"
    article = parse(f"{header}\n61 Comments\n{BODY}")
    assert article.title == HEADLINE
    assert article.body.startswith("Diplomats from both countries")


def test_a_date_run_into_the_headline_dates_the_article():
    article = parse(page(f"{HEADLINE}18. März 2008"))
    assert article.title == HEADLINE
    assert article.published_date == date(2008, 3, 18)


def test_a_link_to_the_comments_above_the_text_does_not_end_the_page():
    notice = (
        "We can tell you in your browser about the most important news of the day.\n"
        "Allow notifications\n"
    )
    header = f"{HEADLINE}\n18 March 2008\n5 Comments\n"
    article = parse(f"{notice}{MENU}\n{header}{BODY}")
    assert article.title == HEADLINE
    assert article.body.startswith("Diplomats from both countries")
    assert article.body.endswith("after the elections.")


def test_a_mastheads_date_far_above_the_headline_is_not_the_articles():
    sections = "\n".join(["Politics", "Business", "Culture", "Science", "Travel", "Weather"])
    masthead = f"Wednesday, 19. March 2008\n{sections}\n{sections}"
    article = parse(f"{masthead}\n{HEADLINE}\n{BODY}")
    assert article.title == HEADLINE
    assert article.published_date is None
    near = parse(f"{sections}\n18 March 2008\n{HEADLINE}\n{BODY}")
    assert near.published_date == date(2008, 3, 18)


def test_a_sentence_fragment_above_the_headline_does_not_date_it():
    fragment = "In his piece of 5 March 2008 the minister described the"
    article = parse(page(f"{fragment}\n{HEADLINE}"))
    assert article.published_date is None
    labelled = parse(page(f"Posted by the desk on 5 March 2008\n{HEADLINE}"))
    assert labelled.published_date == date(2008, 3, 5)


@pytest.mark.parametrize(
    "closing",
    [
        "We will keep you posted on every new round of the talks in Geneva and Vienna!",
        "Additional reporting by Jane Doe; Editing by John Smith and Mary Major",
    ],
)
def test_a_closing_sentence_without_a_full_stop_ends_the_text(closing):
    article = parse(page(HEADLINE, footer=f"{closing}\nRelated\nOther talks stall in Vienna\n"))
    assert article.body.endswith(closing)


@pytest.mark.parametrize(
    "prompt",
    [
        "Do you want to hear about our work on the treaty talks? Sign up here",
        "Read more: Talks on the treaty resume in Vienna after the elections in spring",
        "Click the button below to load the map of the talks from the site. Load map",
    ],
)
def test_a_prompt_under_the_text_is_not_its_closing_sentence(prompt):
    article = parse(page(HEADLINE, footer=f"{prompt}\nRelated\nOther talks stall in Vienna\n"))
    assert article.body.endswith("after the elections.")


@pytest.mark.parametrize(
    "caption",
    [
        "Delegates arrive at the conference centre in Geneva. (Photo: Jane Doe/Agency)",
        "The foreign minister on Tuesday, photo: Archives of the Government",
        "Delegates arrive at the conference centre in Geneva on Tuesday morning (Quelle: dpa)",
        "Delegates arrive at the conference centre in Geneva on Tuesday | © Jane Doe",
        "Figure 2: Delegates arrive at the conference centre in Geneva.",
    ],
)
def test_a_caption_with_its_pictures_credit_or_figure_number_is_not_text(caption):
    body = BODY.replace("\n", f"\n{caption}\n", 1)
    article = parse(page(HEADLINE, body=body))
    assert "Delegates arrive" not in article.body and "foreign minister" not in article.body
    assert "The talks, which lasted six hours" in article.body


def test_a_paragraph_naming_its_source_stays():
    sentence = "The figures come from the ministry, source: the annual report of 2007."
    body = BODY.replace("\n", f"\n{sentence}\n", 1)
    assert sentence in parse(page(HEADLINE, body=body)).body


def test_a_headline_over_its_longer_standfirst_and_the_date_is_the_title():
    standfirst = "Diplomats leave Geneva after six hours of talks on the radar sites and the treaty"
    article = parse(page(f"{HEADLINE}\n{standfirst}\n18 March 2008"))
    assert article.title == HEADLINE
    assert article.published_date == date(2008, 3, 18)


def test_a_standfirst_without_a_full_stop_under_the_headline_opens_the_body():
    standfirst = (
        "Diplomats leave Geneva after six hours of talks on the radar sites – a new round in May"
    )
    article = parse(page(f"{HEADLINE}\n{standfirst}\n18 March 2008"))
    assert article.title == HEADLINE
    assert article.body.startswith(standfirst)
    byline = "Posted by Jane Doe on 18 March 2008 in Politics, Diplomacy and Treaty Talks"
    assert byline not in parse(page(f"{HEADLINE}\n{byline}")).body


def test_a_question_or_exclamation_right_over_the_first_paragraph_opens_the_text():
    body = f"Have the talks failed again?\n{BODY}"
    article = parse(page(f"{HEADLINE}\n18 March 2008", body=body))
    assert article.body.startswith("Have the talks failed again?")
    captioned = parse(page(f"{HEADLINE}\n18 March 2008", body=f"Delegates in the hall\n{BODY}"))
    assert captioned.body.startswith("Diplomats from both countries")


def test_a_byline_ending_in_a_dash_is_not_the_headline():
    article = parse(page("Treaty talks stall\nBy Jane Doe -\n18 March 2008"))
    assert article.title == "Treaty talks stall"
    assert article.byline == "Jane Doe"


def test_a_tags_or_filed_under_line_is_not_the_headline_however_long():
    filed = "Filed under: Politics, Diplomacy, Geneva, Treaty talks and radar — jdoe @ 00:11"
    article = parse(page(f"Talks stall\n{filed}\n18 March 2008"))
    assert article.title == "Talks stall"


def test_a_line_opening_with_a_byline_phrase_is_not_the_headline():
    byline = "Publicado por Ana Ruiz La información es de Juan Pérez"
    article = parse(page(f"Talks stall\n{byline}\n18 March 2008"))
    assert article.title == "Talks stall"
    kicker = parse(page("Von der Leyen: talks on the treaty end without agreement\n18 March 2008"))
    assert kicker.title == "Von der Leyen: talks on the treaty end without agreement"


@pytest.mark.parametrize(
    "disclosure",
    [
        "Für Links auf dieser Seite erhält Example News ggf. eine Provision vom Händler,",
        "If you buy something through our links, we may earn a commission.",
    ],
)
def test_an_affiliate_disclosure_is_not_article_text(disclosure):
    article = parse(page(HEADLINE, body=f"{disclosure}\n{BODY}"))
    assert "ommission" not in article.body and "Provision" not in article.body
    assert article.body.startswith("Diplomats from both countries")


def test_a_sentence_about_a_commission_stays():
    sentence = "The agent receives a commission of three per cent on every sale, officials said."
    article = parse(page(HEADLINE, body=BODY + sentence + "\n"))
    assert article.body.endswith(sentence)


@pytest.mark.parametrize(
    "note",
    [
        "This site uses Akismet to reduce spam. Learn how your comment data is processed.",
        "Enter your email address to subscribe to this blog and receive notifications by email.",
        "Um neue Beiträge per E-Mail zu erhalten, hier die E-Mail-Adresse eingeben.",
    ],
)
def test_a_blog_platforms_note_is_not_article_text(note):
    article = parse(page(HEADLINE, body=f"{BODY}{note}\n{BODY}"))
    assert note not in article.body
    assert "The talks, which lasted six hours" in article.body


POSTS = "\n".join(
    [
        "Recent posts",
        "09.07.2021Four route-planning apps tested: downloaded in a minute, simple and cheap,"
        " and more and more riders let them lead the way on every kind of trail.",
        "20.11.2020Heart-rate readings are back in the app: sensors can be paired again over"
        " Bluetooth, also indoors, after months in which the feature was missing entirely.",
        "17.01.2019Software and a computer are not enough: only a good digital map lets you"
        " plan a tour in a few clicks, and we compared the maps the big portals offer today.",
        "01.09.2021Those who pay for the app know its safety features well; now the location"
        " can be shared with friends during a ride too, and we explain how it is done.",
    ]
)


def test_a_list_of_posts_each_opening_with_its_date_is_not_the_article():
    header = f"{HEADLINE}\nJane Doe\n18 March 2008"
    article = parse(page(header, footer=POSTS + "\n"))
    assert article.body.startswith("Diplomats from both countries")
    assert "Heart-rate readings" not in article.body
    assert article.title == HEADLINE and article.published_date == date(2008, 3, 18)


def test_teasers_with_their_dates_run_into_their_words_are_a_list_of_posts():
    teasers = (
        "The film about the largest farm cooperative is also showing in town1. November"
        " 2023Talks with experts: the district and its towns work together on the climate"
        "1. November 2023Children, elders and the future of the market square31. Oktober 2023"
    )
    footer = f"Recent posts\n{teasers}\n{teasers.replace('town', 'the city')}\n"
    article = parse(page(f"{HEADLINE}\n18 March 2008", footer=footer))
    assert "farm cooperative" not in article.body
    assert article.body.startswith("Diplomats from both countries")


def test_dates_under_a_read_also_line_between_headline_and_text_are_the_related_stories():
    related = "\n".join(
        [
            "Read also",
            "Cup exit: the visitors lose four goals to nil away",
            "1 November 2023",
            "Four goals can turn a game or win it without a striker",
            "30 October 2023",
        ]
    )
    headline = "When you lose at home, it hurts a little less if you were not there to see it"
    article = parse(
        page(f"Home / Football / {headline}\n{headline}\nmh\n15 October 2023\n{related}")
    )
    assert article.title == headline
    assert article.published_date == date(2023, 10, 15)


@pytest.mark.parametrize(
    "opening, byline",
    [
        ("Jane Doe on 18 March 2008 at 15:47 Diplomats from both countries met again", "Jane Doe"),
        ("By Robert - 18 March 2008 Diplomats from both countries met again", "Robert"),
        ("Anna Smith18.03.2008Diplomats from both countries met again", "Anna Smith"),
    ],
)
def test_a_byline_run_into_the_first_paragraph_before_its_date_is_the_byline(opening, byline):
    standfirst = "The treaty talks in Geneva ended without an agreement on the radar sites."
    body = BODY.replace("Diplomats from both countries met again", opening, 1)
    assert parse(page(f"{HEADLINE}\n{standfirst}", body=body)).byline == byline


def test_a_name_in_the_first_sentence_before_a_date_is_not_a_byline():
    standfirst = "The treaty talks in Geneva ended without an agreement on the radar sites."
    sentence = "Officials in Geneva said on 18 March 2008 that the talks had ended"
    body = BODY.replace("Diplomats from both countries met again", sentence, 1)
    assert parse(page(f"{HEADLINE}\n{standfirst}", body=body)).byline == ""


EVENTS = "\n".join(
    [
        "Upcoming events",
        "16.01.2020 20:00 Regulars' table",
        "23.01.2020 20:00 Regulars' table",
        "30.01.2020 20:00 Members' meeting",
    ]
)


def test_a_signed_date_under_the_headline_outranks_a_list_of_events_above_it():
    article = parse(page(f"{EVENTS}\n{HEADLINE}\nby flerche\n21 September 2019"))
    assert article.published_date == date(2019, 9, 21)
    unsigned = parse(page(f"{EVENTS}\n{HEADLINE}\nComments\n21 September 2019"))
    assert unsigned.published_date is None


def test_the_date_on_the_line_under_a_byline_label_dates_the_article():
    article = parse(page(f"{HEADLINE}\nVon\nDeutscher Tennis Bund 18. 3. 2008."))
    assert article.published_date == date(2008, 3, 18)


def test_a_date_alone_under_the_share_bar_that_closes_the_post_dates_it():
    footer = "Homepage: www.example.org\nDonations: DE10 4405 0199 0212 1545 63\n"
    article = parse(page(HEADLINE, footer=f"{footer}Share Twitter Facebook E-Mail\n18 March 2008"))
    assert article.published_date == date(2008, 3, 18)
    related = f"{footer}Read also\n18 March 2008"
    assert parse(page(HEADLINE, footer=related)).published_date is None


@pytest.mark.parametrize("name", ["Tine", "fri.juli", "MikeNils"])
def test_a_user_name_right_under_the_headline_beside_the_date_is_the_byline(name):
    assert parse(page(f"{HEADLINE}\n{name}\n2 February 2020")).byline == name


def test_an_outlets_masthead_beside_the_date_is_not_a_byline():
    header = f"CNN\nLast Updated: Wednesday, 26 October 2016, 09:50 EST\n{HEADLINE}"
    assert parse(page(header)).byline == ""


def test_a_handle_over_the_headline_beside_the_date_is_the_byline_but_a_section_is_not():
    assert parse(page(f"fri.juli\n2 February 2020\n{HEADLINE}")).byline == "fri.juli"
    assert parse(page(f"Kultur\n2 February 2020\n{HEADLINE}")).byline == ""


def test_a_section_word_beside_the_date_is_not_a_byline():
    assert parse(page(f"{HEADLINE}\nSport\n2 February 2020")).byline == ""


@pytest.mark.parametrize("label", ["Eingestellt von", "Posted by", "Artikel von:"])
def test_a_label_over_a_name_a_few_lines_under_the_text_signs_the_post(label):
    footer = f"Labels: Reviews, Books\nShare\nEmail This\n{label}\nWeinlachgummi\n"
    assert parse(page(HEADLINE, footer=footer)).byline == "Weinlachgummi"


def test_a_label_over_a_name_past_the_start_of_the_comments_is_not_the_posts():
    footer = "Labels: Reviews\nPeter sagt:\nGreat post!\nPosted by\nWeinlachgummi\n"
    assert parse(page(HEADLINE, footer=footer)).byline == ""


def test_a_labelled_byline_a_few_lines_under_the_text_signs_it_but_not_a_related_storys():
    footer = "Tags: Treaty, Geneva\nShare\nEmail This\nPrint\nvon Ulrike\n"
    assert parse(page(HEADLINE, footer=footer)).byline == "Ulrike"
    related = "Tags: Treaty, Geneva\nRead also\nTalks resume in Vienna\nvon Ulrike\n"
    assert parse(page(HEADLINE, footer=related)).byline == ""


def test_the_sites_own_desk_under_a_name_is_not_the_byline():
    header = f"{HEADLINE}\nAndré Borbe\nRedaktion Haus.de\n25.01.2022 14:47 Uhr"
    assert parse(page(header)).byline == "André Borbe"


def test_a_name_after_a_dash_right_under_the_text_signs_it():
    footer = "Source: Science, Rice University\n28 November 2022\n- Nadja Podbregar\n"
    assert parse(page(HEADLINE, footer=footer)).byline == "Nadja Podbregar"
    quote = "Peace is not the absence of conflict.\n—New York Times\n"
    assert parse(page(HEADLINE, footer=quote)).byline != "New York Times"


@pytest.mark.parametrize(
    "tags", ["TAG:Treaty, Geneva talks, Radar sites", "| Tags: Treaty, Geneva, Radar, Diplomacy"]
)
def test_a_tags_line_between_the_headline_and_the_text_is_not_the_headline(tags):
    assert parse(page(f"{HEADLINE}\n{tags}\nBy Jane Doe\n18 March 2008")).title == HEADLINE


def test_the_date_after_the_headline_repeated_at_the_texts_start_outranks_a_mastheads():
    masthead = "Polizeibericht 31. Oktober 2023 Suche nach: Startseite"
    opening = f"{HEADLINE} 30. Oktober 2023 Carola Pönisch Kultur Diplomats from both countries"
    body = BODY.replace("Diplomats from both countries", opening, 1)
    article = parse(page(f"{masthead}\nKultur\n{HEADLINE}", body=body))
    assert article.published_date == date(2023, 10, 30)


def test_an_update_notice_in_the_pages_furniture_neither_dates_nor_signs_the_article():
    notice = (
        "Letzte Aktualisierung am 2.02.2022 / Bei den Verlinkungen handelt es sich um"
        " Affiliate Links / Bilder von der Amazon Product Advertising API"
    )
    article = parse(page(f"{HEADLINE}\n13,99 EUR\n{notice}"))
    assert article.published_date is None
    assert article.byline == ""


@pytest.mark.parametrize(
    "sentence",
    [
        "The newsletter Defense News reported on Tuesday that the radar would be built.",
        "Lavrov told the ministry's newsletter that the talks had gone well.",
    ],
)
def test_a_reports_sentence_naming_a_newsletter_stays_in_the_text(sentence):
    article = parse(page(HEADLINE, body=f"{BODY}{sentence}\n{BODY}"))
    assert sentence in article.body


def test_a_threads_article_is_its_first_numbered_post_not_the_longest_reply():
    reply = " ".join(["The reply goes on about the spawn times and the events at length."] * 6)
    thread = (
        f"{MENU}\nTreaty talks: what happens next?\nThread starter\nJaneDoe\n18 March 2008\n#1\n"
        "Diplomats met again in Geneva on Tuesday to discuss the treaty, without an agreement.\n"
        "What do you all expect from the next round of talks in the spring, after the vote?\n"
        f"MaxPower\n2 April 2008\n#2\n{reply}\n{reply}\nJaneDoe\n3 April 2008\n#3\nThanks!\n"
    )
    article = parse(thread)
    assert article.published_date == date(2008, 3, 18)
    assert "Diplomats met again" in article.body
    assert "spawn times" not in article.body
    assert "spawn times" in article.other_text  # the replies stay searchable


@pytest.mark.parametrize(
    "opening, expected",
    [
        ("Treaty talks in Geneva end without agreement 17 March 2008 Diplomats", date(2008, 3, 17)),
        ("Treaty talks in Geneva end on 17 March 2008 and diplomats", date(2008, 3, 18)),
        ("Treaty talks end. Diplomats left Geneva 17 March 2008 Officials", date(2008, 3, 18)),
    ],
)
def test_a_headline_run_into_its_date_and_text_outranks_a_masthead_date(opening, expected):
    body = BODY.replace("Diplomats from both countries met again", opening, 1)
    capture = f"18 March 2008\n{MENU}\nPolitics World\n{body}"
    assert parse(capture).published_date == expected


@pytest.mark.parametrize(
    "breadcrumb",
    [
        f"Home » News » Politics » {HEADLINE}",
        f"Home » Politics » {HEADLINE}{HEADLINE}",  # the headline run in again
    ],
)
def test_a_breadcrumb_ending_in_the_headline_gives_it_under_a_menu(breadcrumb):
    capture = f"{MENU}\nSubscribe now for more\n{breadcrumb}\n{BODY}"
    assert parse(capture).title == HEADLINE


def test_a_breadcrumb_ending_in_a_sections_name_gives_no_headline():
    capture = f"{MENU}\nSubscribe now for more\nHome » News » Politics » World Affairs\n{BODY}"
    assert parse(capture).title != "World Affairs"


def test_a_ranked_lists_numbers_do_not_cut_the_article_as_a_threads_posts_would():
    ranked = "\n".join(f"#{n}\nPlace number {n} on the list\n{BODY}" for n in (1, 2, 3))
    article = parse(f"{MENU}\nThe best places on the lake, ranked\n18 March 2008\n{ranked}")
    assert "Place number 3 on the list" in article.body
