"""Atom feeds: well-formed, newest additions first, per source, and safe with hostile text."""

from __future__ import annotations

import html
import re
from datetime import UTC, date, datetime
from xml.etree import ElementTree

import feedparser
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.sanitize import sanitize_html
from tests.conftest import make_article, make_source

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
PAYLOAD = "<script>alert(1)</script><img src=x onerror=alert(1)>"


def entries(response) -> list[ElementTree.Element]:
    root = ElementTree.fromstring(response.content)
    assert root.tag == f"{ATOM}feed"
    return root.findall(f"{ATOM}entry")


def test_latest_feed_is_atom_with_newest_additions_first(client):
    make_article(title="Added first", published_date=date(2008, 3, 18))
    make_article(title="Added second", published_date=date(2007, 10, 12))
    response = client.get("/feeds/latest/")
    assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
    titles = [entry.findtext(f"{ATOM}title") for entry in entries(response)]
    assert titles == ["Added second", "Added first"]


def test_feed_entry_links_to_the_permalink_and_carries_the_publication_time(client):
    article = make_article(
        title="Talks stall",
        published_date=date(2007, 10, 12),
        published_at=datetime(2007, 10, 12, 14, 35, tzinfo=UTC),
        byline="Jane Smith",
        source="RIA Novosti",
    )
    (entry,) = entries(client.get("/feeds/latest/"))
    assert entry.find(f"{ATOM}link").get("href") == f"http://testserver{article.get_absolute_url()}"
    assert entry.findtext(f"{ATOM}published") == "2007-10-12T14:35:00+00:00"
    assert entry.findtext(f"{ATOM}author/{ATOM}name") == "Jane Smith"
    assert entry.find(f"{ATOM}category").get("term") == "RIA Novosti"


def test_undated_article_in_a_feed_has_no_published_element(client):
    make_article(published_date=None)
    (entry,) = entries(client.get("/feeds/latest/"))
    assert entry.find(f"{ATOM}published") is None
    assert entry.findtext(f"{ATOM}updated")


def test_source_feed_holds_credited_and_captured_articles_only(client):
    site = make_source("GlobalSecurity.org", kind="website", slug="globalsecurity-org")
    make_article(title="Captured RIA piece", source="RIA Novosti", captured_from=site)
    make_article(title="Own piece", source=site)
    make_article(title="BBC piece", source="BBC News")
    response = client.get("/feeds/sources/globalsecurity-org/")
    titles = {entry.findtext(f"{ATOM}title") for entry in entries(response)}
    assert titles == {"Captured RIA piece", "Own piece"}
    root = ElementTree.fromstring(response.content)
    assert root.findtext(f"{ATOM}title") == "Talks Archive: GlobalSecurity.org"


def test_source_feed_keeps_the_newest_of_credited_and_captured_articles_together(
    client, monkeypatch
):
    from articles import feeds

    monkeypatch.setattr(feeds, "FEED_ITEMS", 2)
    site = make_source("GlobalSecurity.org", kind="website", slug="globalsecurity-org")
    make_article(title="Oldest own piece", source=site)
    make_article(title="Captured piece", source="RIA Novosti", captured_from=site)
    make_article(title="Captured again", source="RIA Novosti", captured_from=site)
    make_article(title="Newest own piece", source=site)
    response = client.get("/feeds/sources/globalsecurity-org/")
    titles = [entry.findtext(f"{ATOM}title") for entry in entries(response)]
    assert titles == ["Newest own piece", "Captured again"]


def test_feed_of_an_unknown_source_is_not_found(client):
    assert client.get("/feeds/sources/nobody/").status_code == 404


def test_feed_escapes_hostile_titles_bylines_sources_and_bodies(client):
    source = make_source(f"Wire {PAYLOAD}", slug="hostile-wire")
    make_article(
        title=f"Talks {PAYLOAD}",
        source=source,
        byline=f"By {PAYLOAD}",
        body=f"Body {PAYLOAD}",
        body_html=sanitize_html(f"<p>Body {PAYLOAD}</p>"),
    )
    for url in ("/feeds/latest/", "/feeds/sources/hostile-wire/"):
        response = client.get(url)
        raw = response.content.decode()
        assert "<script>" not in raw, url
        assert "<img " not in raw, url
        (entry,) = entries(response)
        # Parsed back, the text is the same characters, as text, not markup.
        assert entry.findtext(f"{ATOM}title") == f"Talks {PAYLOAD}"
        assert entry.findtext(f"{ATOM}summary") == f"Body {PAYLOAD}"
        assert entry.find(f"{ATOM}summary").get("type") == "text"


def reader_view(response) -> list[dict[str, tuple[str, str]]]:
    """Each entry's title and summary as a feed reader gets them: (content type, value)."""
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    return [
        {part: (e[f"{part}_detail"].type, e[f"{part}_detail"].value) for part in PARTS}
        for e in feed.entries
    ]


PARTS = ("title", "summary")


def assert_shown_as_text(shown: tuple[str, str], expected: str) -> None:
    """A reader shows the capture's characters; none of them becomes an element."""
    kind, value = shown
    if kind == "text/plain":
        assert value == expected
    else:  # HTML: must hold no element, and read back as the same characters
        assert "<" not in value, value
        assert html.unescape(value) == expected


def test_feed_readers_get_capture_text_as_text_in_every_feed(client, on_commit):
    make_source("Hostile Wire", slug="hostile-wire")
    with on_commit():
        make_article(
            title=f"Talks {PAYLOAD}",
            source="Hostile Wire",
            body=f"Negotiations {PAYLOAD} & more",
            body_html=sanitize_html(f"<p>Negotiations {PAYLOAD} &amp; more</p>"),
        )
    for url in ("/feeds/latest/", "/feeds/sources/hostile-wire/", "/search/feed/?q=negotiations"):
        (entry,) = reader_view(client.get(url))
        assert_shown_as_text(entry["title"], f"Talks {PAYLOAD}")
        assert_shown_as_text(entry["summary"], f"Negotiations {PAYLOAD} & more")


def test_feeds_leave_out_characters_xml_cannot_carry(client, on_commit):
    with on_commit():
        make_article(title="Talks\x0b resume\x1f", body="Bell\x07 rings in Geneva\ufffe")
    for url in ("/feeds/latest/", "/search/feed/?q=geneva\x0b"):
        response = client.get(url)
        assert response.status_code == 200, url
        (entry,) = reader_view(response)
        assert entry["title"][1] == "Talks resume"
        assert entry["summary"][1] == "Bell rings in Geneva"


def test_feed_summary_is_a_short_plain_text_extract(client):
    make_article(body=" ".join(["word"] * 200))
    (entry,) = entries(client.get("/feeds/latest/"))
    summary = entry.findtext(f"{ATOM}summary")
    assert summary.endswith("…")
    assert len(summary.split()) == 60


def test_feeds_queries_are_bounded(client, django_assert_max_num_queries):
    for n in range(30):
        make_article(source=["RIA Novosti", "BBC News", "Reuters"][n % 3])
    with django_assert_max_num_queries(2):
        assert client.get("/feeds/latest/").status_code == 200
    # The source, its newest credited and newest captured ids (each from an index), the rows.
    with django_assert_max_num_queries(4):
        assert client.get("/feeds/sources/bbc-news/").status_code == 200


@pytest.mark.skipif(connection.vendor != "sqlite", reason="reads SQLite query plans")
def test_latest_feed_reads_its_rows_through_an_index_and_only_the_columns_it_shows(client):
    for n in range(40):
        make_article(source=["RIA Novosti", "BBC News"][n % 2])
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/feeds/latest/").status_code == 200
    (query,) = [q["sql"] for q in queries.captured_queries if "articles_article" in q["sql"]]
    columns = re.sub(r"SUBSTR\([^)]*\)", "SUBSTR", query.split(" FROM ")[0])
    for text in ("raw", "body_html", "body"):  # only the start of the body, through SUBSTR
        assert f'"articles_article"."{text}"' not in columns
    assert "SUBSTR" in columns
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + query)
        plan = [row[-1] for row in cursor.fetchall()]
    assert any("USING INDEX article_ingested_order" in step for step in plan), plan
    assert not any("TEMP B-TREE" in step for step in plan), plan
    assert "SCAN articles_article" not in plan, plan
