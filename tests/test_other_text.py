"""No word of a capture is lost: what lies outside the extracted body is kept as the
page's other text, searched below the body, shown as such on the results page; a body that
dropped most of the prose is flagged for review with what was left out."""

from __future__ import annotations

import textwrap

import lxml.html
import pytest

from articles.ingest import parse_capture
from articles.ingest.leftover import page_paragraphs, with_other_text
from articles.search.query import Criteria
from articles.search.service import run_search
from tests.conftest import make_article
from tests.test_admin import editor  # noqa: F401 (the fixture logs in)

LETTER = [
    "Dear Editor, I write to you about the proposed treaty on missile defence, which the "
    "government has presented as a settled matter although many questions remain open.",
    "First, the verification provisions are weak. Inspectors would be allowed only a handful "
    "of visits each year, and the sites they may visit are listed in an unpublished annex.",
    "Second, the costs are unclear. The ministry speaks of savings, yet the budget papers show "
    "new spending on radar stations in the north that nobody has explained to taxpayers.",
    "Third, the timetable is rushed. A vote within a fortnight leaves no room for the "
    "committee hearings that a change of this size deserves, as the opposition has said.",
    "Finally, I ask your readers to write to their members. Only a public debate can show "
    "whether the treaty serves our security or the convenience of its negotiators.",
]


def hard_wrapped_letter() -> bytes:
    paragraphs = "\n\n".join(textwrap.fill(paragraph, 70) for paragraph in LETTER)
    return f"A letter on the treaty\n\n{paragraphs}\n\nYours faithfully,\nJohn Smith\n".encode()


def test_a_hard_wrapped_letter_keeps_every_paragraph_in_the_body():
    parsed = parse_capture(hard_wrapped_letter(), "letter.txt")
    assert parsed.body.split("\n\n") == LETTER
    assert "body_uncertain" not in parsed.review_reasons


def test_a_text_captures_lines_outside_the_body_are_its_other_text():
    parsed = parse_capture(hard_wrapped_letter(), "letter.txt")
    assert "Yours faithfully" in parsed.other_text
    assert "verification provisions" not in parsed.other_text


def test_an_html_pages_menus_and_captions_are_its_other_text_without_scripts():
    page = """<html><head><title>Shield talks</title><style>p {color: red}</style></head>
    <body><nav><a href="/">Home</a> <a href="/world">World news</a></nav>
    <article><h1>Shield talks stall</h1>
    <p>Russian Foreign Minister Sergei Lavrov said no agreement had been reached with the US over
    its plan to base a missile shield in Europe, officials said after the talks.</p>
    <figure><figcaption>Zanzibarian delegates outside the ministry</figcaption></figure>
    <p>Both sides will meet again in Washington next month to continue the discussions on missile
    defence and arms control, the ministry said in a statement on Tuesday.</p></article>
    <script>var tracker = "quuxification";</script></body></html>"""
    parsed = parse_capture(page.encode(), "shield.html")
    assert "World news" in parsed.other_text
    assert "quuxification" not in parsed.other_text and "color" not in parsed.other_text
    assert "Lavrov" not in parsed.other_text  # the body's text is not repeated there
    lines = page_paragraphs(lxml.html.document_fromstring(page))
    assert "Zanzibarian delegates outside the ministry" in lines


def test_a_body_keeping_less_than_half_the_prose_is_flagged_with_what_was_left_out():
    parsed = parse_capture(b"A letter on the treaty\n\n" + LETTER[0].encode(), "letter.txt")
    flagged = with_other_text(parsed, [parsed.title, LETTER[0], *LETTER[1:]])
    assert "body_uncertain" in flagged.review_reasons
    doubt = next(e for e in flagged.evidence if "left out" in e.evidence)
    assert "4 paragraphs are left out" in doubt.evidence and "verification" in doubt.evidence
    assert "Third, the timetable is rushed." in flagged.other_text


def test_a_body_keeping_most_of_the_prose_is_not_flagged():
    parsed = parse_capture(hard_wrapped_letter(), "letter.txt")
    kept = with_other_text(parsed, [*LETTER, "Subscribe to our newsletter for more letters."])
    assert "body_uncertain" not in kept.review_reasons


@pytest.mark.django_db
def test_a_word_only_in_the_other_text_finds_the_article_shown_as_found_there(client, on_commit):
    with on_commit():
        make_article(
            title="Shield talks stall",
            body="Negotiations on missile defence stalled in Washington on Thursday.",
            other_text="Photo: Zanzibarian delegates outside the ministry\n\nWorld news",
        )
    outcome = run_search(Criteria(q="Zanzibarian"))
    assert [row.article.title for row in outcome.rows] == ["Shield talks stall"]
    assert outcome.rows[0].in_other_text
    page = client.get("/search/", {"q": "Zanzibarian"}).content.decode()
    assert "Found in the page&#x27;s other text" in page or "Found in the page's other text" in page
    assert "<mark>Zanzibarian</mark> delegates" in page


@pytest.mark.django_db
def test_a_quoted_phrase_in_the_other_text_finds_the_article(on_commit):
    with on_commit():
        make_article(
            title="Shield talks stall",
            body="Negotiations on missile defence stalled in Washington on Thursday.",
            other_text="Photo: Zanzibarian delegates outside the ministry",
        )
    outcome = run_search(Criteria(q='"Zanzibarian delegates"'))
    assert [row.article.title for row in outcome.rows] == ["Shield talks stall"]


@pytest.mark.django_db
def test_a_body_hit_ranks_above_a_hit_in_the_other_text(on_commit):
    with on_commit():
        make_article(
            title="Menu mentions it",
            body="Negotiations on missile defence stalled in Washington on Thursday.",
            other_text="Most read: Azerbaijan radar offer",
        )
        make_article(
            title="Talks in Baku",
            body="The radar station in Azerbaijan was offered for joint use on Friday.",
        )
    outcome = run_search(Criteria(q="Azerbaijan"))
    assert [row.article.title for row in outcome.rows] == ["Talks in Baku", "Menu mentions it"]
    assert [row.in_other_text for row in outcome.rows] == [False, True]


@pytest.mark.django_db
@pytest.mark.usefixtures("editor")
def test_the_admin_shows_what_was_left_out_of_the_body(client):
    article = make_article(other_text="Second page of the letter: the costs are unclear.")
    page = client.get(f"/admin/articles/article/{article.pk}/change/").content.decode()
    assert '<pre class="other-text">Second page of the letter: the costs are unclear.</pre>' in page
