"""Ingesting web archives: WARC files and WACZ packages written with warcio, as crawlers
and browser-based capture tools write them."""

import contextlib
import hashlib
import json
import re
import threading
import urllib.request
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from warcio.capture_http import capture_http
from warcio.warcwriter import WARCWriter

from articles.ingest.pipeline import ingest_paths
from articles.models import Article, Capture
from tests.webarchives import PARAGRAPHS, WarcBuilder, article_page, wacz

pytestmark = pytest.mark.django_db

STORY = "https://news.bbc.co.uk/2/hi/europe/7280000.stm"


def run_ingest(*paths) -> tuple[str, bool]:
    out = StringIO()
    try:
        call_command("ingest", *map(str, paths), stdout=out, stderr=out)
    except CommandError as error:
        return out.getvalue() + str(error), False
    return out.getvalue(), True


def every_kind() -> WarcBuilder:
    page = article_page("Russia and US fail to agree on missile shield")
    return (
        WarcBuilder()
        .warcinfo()
        .request(STORY)
        .response(STORY, page)
        .metadata(STORY)
        .response(
            "https://news.bbc.co.uk/go/7280000",
            b"",
            status="301 Moved Permanently",
            extra=[("Location", STORY)],
        )
        .response("https://news.bbc.co.uk/img/logo.png", b"\x89PNG....", content_type="image/png")
        .response(
            "https://news.bbc.co.uk/missing", b"<html>Not found</html>", status="404 Not Found"
        )
        .resource(
            "https://www.globalsecurity.org/wmd/library/news/russia/2008/russia-080305-rianovosti01.htm",
            article_page(
                "Lavrov says radar offer stands",
                paragraphs=("MOSCOW, March 5 (RIA Novosti) - " + PARAGRAPHS[0], *PARAGRAPHS[1:]),
            ),
        )
        .revisit(STORY, page, date="2008-03-06T09:00:00Z", refers_to_date="2008-03-05T12:00:00Z")
    )


def test_each_record_kind_is_counted_and_only_article_pages_become_captures(tmp_path):
    crawl = every_kind().save(tmp_path / "crawl.warc.gz")
    output, ok = run_ingest(crawl)
    assert ok, output
    assert (
        "2 created, 0 updated, 0 unchanged, 0 failed; 1 captured again with the same bytes"
        in output
    )
    assert (
        f"{crawl}: 9 records (1 metadata, 1 request, 1 resource, 4 response, 1 revisit, "
        "1 warcinfo); skipped: 1 error response, 1 metadata record, 1 record not HTML (an asset or "
        "other file), 1 redirect, 1 request record, 1 warcinfo record"
    ) in output
    bbc = Capture.objects.get(url=STORY, repeats=None)
    assert bbc.container == "warc" and bbc.kind == "html"
    assert bbc.captured_at == datetime(2008, 3, 5, 12, 0, tzinfo=UTC)
    assert bbc.raw.startswith("<!doctype html>") and "Russia and US fail" in bbc.raw
    assert Article.objects.count() == 2


def test_a_revisit_is_recorded_as_a_capture_repeating_the_one_it_revisits(tmp_path):
    crawl = every_kind().save(tmp_path / "crawl.warc.gz")
    report = ingest_paths([crawl])
    revisit = next(o for o in report.outcomes if "revisit" in o.message)
    assert revisit.status == "recaptured"
    assert revisit.message == (
        "a revisit of https://news.bbc.co.uk/2/hi/europe/7280000.stm (2008-03-05 12:00:00 UTC)"
    )
    original = Capture.objects.get(url=STORY, repeats=None)
    again = Capture.objects.get(repeats=original)
    assert again.captured_at == datetime(2008, 3, 6, 9, 0, tzinfo=UTC)
    assert again.article_id == original.article_id and again.raw == ""
    assert again.bytes_as_read() == original.bytes_as_read() is not None
    # The same crawl again records nothing new.
    again_report = ingest_paths([crawl]).summary()
    assert again_report.startswith("0 created, 0 updated, 3 unchanged, 0 failed")
    assert "captured again" not in again_report
    # In a later crawl, the revisit finds its capture in the archive by URL and date.
    page = article_page("Russia and US fail to agree on missile shield")
    later = WarcBuilder().revisit(
        STORY, page, date="2008-04-01T00:00:00Z", refers_to_date="2008-03-05T12:00:00Z"
    )
    report = ingest_paths([later.save(tmp_path / "later.warc")])
    assert report.outcomes[0].status == "recaptured"
    assert "(2008-03-05 12:00:00 UTC)" in report.outcomes[0].message
    unknown = WarcBuilder().revisit(
        "https://example.org/x",
        page,
        date="2008-04-01T00:00:00Z",
        refers_to_date="2008-03-05T12:00:00Z",
    )
    report = ingest_paths([unknown.save(tmp_path / "unknown.warc")])
    assert report.outcomes[0].message == "a revisit of a capture not in the archive"
    assert Capture.objects.count() == 4


def test_the_source_comes_from_the_host_ahead_of_the_text(tmp_path):
    ingest_paths([every_kind().save(tmp_path / "crawl.warc.gz")])
    bbc = Article.objects.distinct().get(captures__url=STORY)
    assert bbc.source.name == "BBC News" and bbc.captured_from.name == "BBC News"
    assert "source_unknown" not in bbc.review_reasons
    # An aggregator's host says where it was captured; the text credits the agency.
    gs = Article.objects.get(title="Lavrov says radar offer stands")
    assert gs.captured_from.name == "GlobalSecurity.org"
    assert gs.source.name == "RIA Novosti"


def test_a_story_captured_three_times_with_an_edited_headline(tmp_path, client):
    first = article_page("Talks on missile shield end")
    second = article_page("Talks on missile shield end without agreement")
    third = article_page(
        "Talks on missile shield end without agreement",
        paragraphs=(*PARAGRAPHS[:2], PARAGRAPHS[2].replace("opposed", "firmly opposed")),
    )
    crawl = (
        WarcBuilder()
        .response(STORY, first, date="2008-03-05T12:00:00Z")
        .response(STORY, second, date="2008-03-06T08:30:00Z")
        .response(STORY, third, date="2008-03-07T18:00:00Z")
        .save(tmp_path / "crawl.warc.gz")
    )
    assert ingest_paths([crawl]).summary() == "1 created, 2 updated, 0 unchanged, 0 failed"
    article = Article.objects.get()
    assert article.title == "Talks on missile shield end without agreement"
    assert "firmly opposed" in article.body and article.changed
    captures = list(article.captures.in_order())
    assert [c.changes for c in captures] == [[], ["headline"], ["text"]]
    page = client.get(article.get_absolute_url()).content.decode()
    assert (
        "3 captures; the headline changed on 6 March 2008; the text changed on 7 March 2008" in page
    )
    diff = client.get(
        article.get_absolute_url() + f"changes/?from={captures[0].pk}&to={captures[2].pk}"
    ).content.decode()
    assert 'end<span class="visually-hidden">' not in diff
    assert '<ins><span class="visually-hidden">[added: </span>without agreement' in diff
    assert '<ins><span class="visually-hidden">[added: </span>firmly<' in diff


def test_captures_read_out_of_order_leave_the_article_on_its_latest(tmp_path):
    old = WarcBuilder().response(STORY, article_page("Old headline"), date="2008-03-05T12:00:00Z")
    new = WarcBuilder().response(STORY, article_page("New headline"), date="2008-03-09T12:00:00Z")
    ingest_paths([new.save(tmp_path / "new.warc.gz")])
    report = ingest_paths([old.save(tmp_path / "old.warc.gz")])
    assert report.outcomes[0].message == "an earlier capture; the article shows a later one"
    article = Article.objects.get()
    assert article.title == "New headline" and article.changed
    assert [c.changes for c in article.captures.in_order()] == [[], ["headline"]]


def test_the_same_canonical_url_is_the_same_story(tmp_path):
    tracked = STORY + "?ns_source=rss"
    crawl = (
        WarcBuilder()
        .response(STORY, article_page("Talks end", canonical=STORY), date="2008-03-05T12:00:00Z")
        .response(
            tracked, article_page("Talks end badly", canonical=STORY), date="2008-03-06T12:00:00Z"
        )
        .save(tmp_path / "crawl.warc.gz")
    )
    ingest_paths([crawl])
    assert Article.objects.get().captures.count() == 2


def test_reingesting_a_crawl_changes_nothing(tmp_path, on_commit):
    crawl = every_kind().save(tmp_path / "crawl.warc.gz")
    with on_commit():  # indexed, as a committed run is
        ingest_paths([crawl])
    again_report = ingest_paths([crawl]).summary()
    assert again_report.startswith("0 created, 0 updated, 3 unchanged, 0 failed")
    assert "captured again" not in again_report


def test_a_truncated_warc_loads_every_complete_record_and_says_where_it_stopped(tmp_path):
    builder = WarcBuilder()
    pages = [article_page(f"Headline number {n}") for n in range(3)]
    for n, page in enumerate(pages):
        builder.response(f"https://news.bbc.co.uk/story/{n}", page)
    data = builder.bytes()
    crawl = tmp_path / "cut.warc.gz"
    crawl.write_bytes(data[: len(data) - 40])
    output, ok = run_ingest(crawl)
    assert not ok
    assert "2 created" in output
    assert f"{crawl}: 2 records (2 response);" in output
    third = data.rfind(b"\x1f\x8b\x08")  # where the third gzip member (record) starts
    assert f"stopped at byte {third:,}: the file ends inside a record" in output
    assert sorted(Article.objects.values_list("title", flat=True)) == [
        "Headline number 0",
        "Headline number 1",
    ]


def test_a_corrupt_warc_stops_at_the_damage(tmp_path):
    builder = WarcBuilder(gzip=False)
    builder.response("https://news.bbc.co.uk/story/1", article_page("First story here"))
    good = builder.bytes()
    crawl = tmp_path / "bad.warc"
    crawl.write_bytes(good + b"this is not a WARC record\r\n\r\n" * 3)
    report = ingest_paths([crawl])
    assert report.summary().startswith("1 created")
    assert report.damaged == [
        f"{crawl}: stopped at byte {len(good):,}: the file is damaged (ArchiveLoadFailed: "
        "Invalid WARC record, first line: this is not a WARC record)"
    ]


def test_a_record_over_the_size_limit_is_skipped_with_its_url(tmp_path, settings):
    settings.ARCHIVE_MAX_CAPTURE_BYTES = 5_000
    big = "https://news.bbc.co.uk/story/big"
    crawl = (
        WarcBuilder()
        .response(big, article_page("Long", paragraphs=PARAGRAPHS * 30))
        .response(STORY, article_page("Short story fits"))
        .save(tmp_path / "crawl.warc.gz")
    )
    output, ok = run_ingest(crawl)
    assert ok and "1 created" in output
    assert f"{crawl}: skipped a record over the size limit: {big}" in output
    assert not Capture.objects.filter(url=big).exists()


def test_a_wacz_loads_its_warcs(tmp_path):
    package = wacz(tmp_path / "crawl.wacz", {"data.warc.gz": every_kind().bytes()})
    output, ok = run_ingest(package)
    assert ok and "2 created" in output


@pytest.mark.parametrize(
    ("build", "reason"),
    [
        (
            lambda p: p.write_bytes(b"PK not really a zip"),
            "not a valid WACZ: it is not a ZIP package",
        ),
        (lambda p: wacz(p, {"data.warc.gz": b"x"}, manifest=False), "it has no datapackage.json"),
        (
            lambda p: wacz(p, {"data.warc.gz": every_kind().bytes()}, tamper=True),
            "not a valid WACZ: archive/data.warc.gz does not match its SHA-256",
        ),
    ],
)
def test_a_wacz_with_a_bad_package_is_refused_and_nothing_written(tmp_path, build, reason):
    package = tmp_path / "crawl.wacz"
    build(package)
    output, ok = run_ingest(package)
    assert not ok and reason in output
    assert not Article.objects.exists() and not Capture.objects.exists()


def test_pages_fetched_from_a_server_as_a_crawler_writes_them(tmp_path):
    pages = {
        "/news/talks": (200, "text/html; charset=utf-8", article_page("Crawled talks story")),
        "/old": (301, "text/html", b""),
        "/style.css": (200, "text/css", b"body { color: black }"),
    }

    class Site(BaseHTTPRequestHandler):
        def do_GET(self):
            status, content_type, body = pages[self.path]
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            if status == 301:
                self.send_header("Location", "/news/talks")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Site)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"
    crawl = tmp_path / "crawl.warc.gz"
    try:
        with crawl.open("wb") as out, capture_http(WARCWriter(out, gzip=True)):
            no_redirects = urllib.request.build_opener(NoRedirect)
            for path in pages:
                with contextlib.suppress(urllib.error.HTTPError):
                    no_redirects.open(base + path).read()
    finally:
        server.shutdown()
    report = ingest_paths([crawl])
    path, reading = report.archives[0]
    assert dict(reading.kinds) == {"request": 3, "response": 3}
    assert dict(reading.skipped) == {
        "request record": 3,
        "redirect": 1,
        "not HTML (an asset or other file)": 1,
    }
    capture = Capture.objects.get()
    assert capture.url == base + "/news/talks" and capture.article.title == "Crawled talks story"


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def three_captures(tmp_path):
    crawl = (
        WarcBuilder()
        .response(STORY, article_page("Talks end"), date="2008-03-05T12:00:00Z")
        .response(STORY, article_page("Talks end without agreement"), date="2008-03-07T18:00:00Z")
        .response(
            "https://news.bbc.co.uk/2/hi/europe/7280001.stm",
            article_page("Poland weighs the offer"),
            date="2008-03-07T19:00:00Z",
        )
        .save(tmp_path / "crawl.warc.gz")
    )
    ingest_paths([crawl])
    return Article.objects.get(captures__url=STORY, captures__captured_at__day=7)


def test_the_article_page_says_where_and_when_it_was_captured(tmp_path, client):
    article = three_captures(tmp_path)
    page = client.get(article.get_absolute_url()).content.decode()
    assert f'Captured from <a href="{STORY}"' in page
    assert 'on <time datetime="2008-03-07T18:00:00+00:00">7 March 2008, 18:00 UTC</time>' in page
    assert f'href="https://web.archive.org/web/20080307180000/{STORY}"' in page
    assert "2 captures; the headline changed on 7 March 2008" in page


def test_exports_carry_the_capture_url_and_time(tmp_path, client):
    import json

    article = three_captures(tmp_path)
    out = StringIO()
    call_command("export_articles", stdout=out)
    records = {r["id"]: r for r in map(json.loads, out.getvalue().splitlines())}
    record = records[article.pk]
    assert record["capture_url"] == STORY
    assert record["captured_at"] == "2008-03-07T18:00:00+00:00"
    assert record["captures"] == 2


def test_search_narrows_to_stories_that_changed(tmp_path, client, on_commit):
    with on_commit():
        changed = three_captures(tmp_path)
    page = client.get("/search/", {"q": "missile", "changed": "yes"}).content.decode()
    assert changed.get_absolute_url() in page
    assert "Poland weighs the offer" not in page
    assert "Only stories that changed between captures" in page
    everything = client.get("/search/", {"q": "missile"}).content.decode()
    assert "Poland weighs the offer" in everything
    export = client.get("/search/export.json", {"q": "missile", "changed": "yes"})
    data = json.loads(b"".join(export.streaming_content))
    assert [a["capture_url"] for a in data["articles"]] == [STORY]


def test_a_page_in_the_charset_its_server_declares_is_read_in_it(tmp_path):
    headline = "Лавров: переговоры по ПРО продолжатся"
    paragraphs = (
        "МОСКВА, 5 марта (РИА Новости) - Переговоры России и США по противоракетной обороне "
        "в Европе продолжатся, заявил министр иностранных дел Сергей Лавров.",
        "По его словам, стороны сблизили позиции, но разногласия остаются.",
    )
    page = article_page(headline, paragraphs=paragraphs).decode().encode("windows-1251")
    crawl = (
        WarcBuilder()
        .response(
            "https://ria.ru/politics/20080305/100000.html",
            page,
            content_type="text/html; charset=windows-1251",
        )
        .save(tmp_path / "ria.warc.gz")
    )
    assert ingest_paths([crawl]).summary().startswith("1 created")
    article = Article.objects.get()
    capture = article.captures.get()
    assert article.title == headline and "Сергей Лавров" in article.body
    assert capture.encoding == "cp1251" and headline in capture.raw
    assert capture.bytes_as_read() == page  # the bytes as read, exactly
    assert capture.sha256 == hashlib.sha256(page).hexdigest()
    assert "encoding_fallback" not in article.review_reasons
    assert article.source.name == "RIA Novosti"


def test_a_page_without_a_declared_charset_is_read_in_the_one_its_meta_gives(tmp_path):
    text = article_page("Переговоры продолжатся").decode()
    page = text.replace("<head>", '<head><meta charset="windows-1251">').encode("cp1251")
    crawl = WarcBuilder().resource("https://ria.ru/x.html", page).save(tmp_path / "r.warc")
    ingest_paths([crawl])
    assert Article.objects.get().title == "Переговоры продолжатся"


def test_a_large_crawl_prepared_in_worker_processes_stores_the_same(tmp_path):
    from unittest import mock

    from articles.ingest import pipeline

    builder = every_kind()
    for n in range(40):
        builder.response(f"https://news.bbc.co.uk/story/{n}", article_page(f"Story number {n}"))
    crawl = builder.save(tmp_path / "crawl.warc.gz")
    with mock.patch.object(pipeline, "POOL_MIN_WEB_ARCHIVE_BYTES", 0):
        pooled = ingest_paths([crawl], workers=2)
    rows = list(Article.objects.order_by("title").values("title", "body_html", "source__name"))
    Article.objects.all().delete()
    in_process = ingest_paths([crawl], workers=1)
    assert [(o.path, o.status, o.message) for o in pooled.outcomes] == [
        (o.path, o.status, o.message) for o in in_process.outcomes
    ]
    assert pooled.archives[0][1] == in_process.archives[0][1]
    assert rows == list(
        Article.objects.order_by("title").values("title", "body_html", "source__name")
    )


def test_skipped_records_are_counted_in_proper_plurals():
    from articles.ingest.warc import WebArchiveReading

    reading = WebArchiveReading()
    reading.kinds.update({"request": 5, "response": 3})
    reading.skipped.update({"request record": 5, "redirect": 2, "not an article page": 1})
    assert reading.summary() == (
        "8 records (5 request, 3 response); skipped: 1 record not an article page, "
        "2 redirects, 5 request records"
    )


def test_provenance_and_what_changed_are_said_under_the_headline(tmp_path, client):
    article = three_captures(tmp_path)
    page = client.get(article.get_absolute_url()).content.decode()
    body_starts = page.index('class="article-body"')
    assert page.index("Captured from") < body_starts
    assert page.index("The Wayback Machine’s copy of that moment") < body_starts
    assert page.index("2 captures; the headline changed on") < body_starts


def test_captures_of_one_minute_are_told_apart_and_an_unchanged_text_is_said_to_be(
    tmp_path, client
):
    crawl = (
        WarcBuilder()
        .response(STORY, article_page("Talks end"), date="2026-12-07T01:43:05Z")
        .response(STORY, article_page("Talks end without a deal"), date="2026-12-07T01:43:41Z")
        .save(tmp_path / "crawl.warc.gz")
    )
    ingest_paths([crawl])
    article = Article.objects.get()
    response = client.get(article.get_absolute_url() + "changes/")
    page = " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())
    assert "1. 7 December 2026, 01:43:05 UTC" in page
    assert "2. 7 December 2026, 01:43:41 UTC" in page
    assert "only in capture 1 ( 7 December 2026, 01:43:05 UTC )" in page
    assert "Unchanged: the text of capture 2 is word for word the text of capture 1" in page
    assert PARAGRAPHS[0] not in response.content.decode()


def test_the_original_capture_page_names_the_file_not_the_servers_folders(tmp_path, client):
    crawl = (
        WarcBuilder()
        .response(STORY, article_page("Talks end"), date="2008-03-05T12:00:00Z")
        .save(tmp_path / "crawl.warc.gz")
    )
    ingest_paths([crawl])
    article = Article.objects.get()
    page = client.get(article.get_absolute_url() + "original/").content.decode()
    assert str(tmp_path) not in page
    assert "A WARC record in <code>crawl.warc.gz</code>" in page
    # The HTML source is folded away until asked for.
    assert re.search(r'<details class="capture-source">\s*<summary>The page’s HTML source', page)


LOCAL = "http://127.0.0.1:8765/cayman/talks.html"


def test_the_same_bytes_captured_again_under_the_real_url_are_recorded(tmp_path, client):
    page = article_page("Talks on missile shield end", canonical=STORY)
    local = WarcBuilder().response(LOCAL, page, date="2008-03-05T12:00:00Z")
    ingest_paths([local.save(tmp_path / "local.warc.gz")])
    real = WarcBuilder().response(STORY, page, date="2008-03-09T10:00:00Z")

    report = ingest_paths([real.save(tmp_path / "real.warc.gz")])

    assert report.outcomes[0].status == "recaptured"
    assert "1 captured again with the same bytes (recorded)" in report.summary()
    article = Article.objects.get()
    first, again = article.captures.in_order()
    assert (first.url, again.url) == (LOCAL, STORY) and again.repeats == first
    assert again.captured_at == datetime(2008, 3, 9, 10, 0, tzinfo=UTC)
    page_html = client.get(article.get_absolute_url()).content.decode()
    assert f'Captured from <a href="{STORY}"' in page_html
    assert f"https://web.archive.org/web/20080309100000/{STORY}" in page_html
    assert "127.0.0.1" not in page_html
    original = client.get(article.get_absolute_url() + "original/").content.decode()
    assert "2 captures" in original and "the same bytes again" in original
    assert "Talks on missile shield end" in original  # the text, kept once, is shown
    download = client.get(article.get_absolute_url() + "original/?download=bytes")
    assert download.content == page


def test_a_capture_from_a_local_address_cites_its_canonical_url(tmp_path, client):
    page = article_page("Talks on missile shield end", canonical=STORY)
    for n, url in enumerate((LOCAL, "http://[::1]/a", "http://localhost/a", "http://10.0.0.5/a")):
        Article.objects.all().delete()
        crawl = WarcBuilder().response(url, page, date="2008-03-05T12:00:00Z")
        ingest_paths([crawl.save(tmp_path / f"local{n}.warc.gz")])
        article = Article.objects.get()
        page_html = client.get(article.get_absolute_url()).content.decode()
        assert f'Captured from <a href="{STORY}"' in page_html, url
        assert f"https://web.archive.org/web/20080305120000/{STORY}" in page_html
        assert url not in page_html.replace("&amp;", "&")
