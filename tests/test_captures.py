"""Article identity and captures: a different file is never taken for the same article,
a story read again becomes a new capture beside the earlier ones, and staff corrections
win over every re-reading."""

import hashlib
from datetime import UTC, datetime
from io import StringIO

import pytest
from django.core.management import call_command

from articles.ingest.pipeline import ingest_paths
from articles.models import Article, Capture, Correction
from tests.conftest import make_article
from tests.webarchives import WarcBuilder, article_page

pytestmark = pytest.mark.django_db

REPORT_A = "Talks resume in Geneva\n\nGENEVA - Negotiators met again today.\n"
REPORT_B = "Radar offer discussed\n\nMOSCOW - Officials described the Gabala radar offer.\n"


def write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def run_ingest(*paths) -> str:
    out = StringIO()
    call_command("ingest", *map(str, paths), stdout=out, stderr=out)
    return out.getvalue()


def test_two_named_files_with_one_name_are_both_kept_and_the_collision_reported(tmp_path):
    a = write(tmp_path / "a" / "report.txt", REPORT_A)
    b = write(tmp_path / "b" / "report.txt", REPORT_B)
    output = run_ingest(a, b)
    assert "2 created, 0 updated" in output
    assert "1 with the name of another file (both kept)" in output
    assert f"{b}: created (a different file, {a}, has the same name)" in output
    assert sorted(Article.objects.values_list("title", flat=True)) == [
        "Radar offer discussed",
        "Talks resume in Geneva",
    ]


def test_folders_ingested_one_after_another_keep_files_of_the_same_name_apart(tmp_path):
    write(tmp_path / "a" / "report.txt", REPORT_A)
    write(tmp_path / "b" / "report.txt", REPORT_B)
    run_ingest(tmp_path / "a")
    assert "1 created, 0 updated" in run_ingest(tmp_path / "b")
    assert Article.objects.count() == 2
    assert "0 created, 0 updated, 2 unchanged" in run_ingest(tmp_path / "a", tmp_path / "b")


def test_files_in_subfolders_have_their_relative_path_as_origin(tmp_path):
    write(tmp_path / "a" / "report.txt", REPORT_A)
    write(tmp_path / "b" / "report.txt", REPORT_B)
    report = ingest_paths([tmp_path])
    assert report.summary() == "2 created, 0 updated, 0 unchanged, 0 failed"
    assert sorted(Capture.objects.values_list("origin", flat=True)) == [
        "a/report.txt",
        "b/report.txt",
    ]


def test_a_changed_file_is_a_new_capture_and_the_article_shows_it(tmp_path):
    story = write(tmp_path / "story.txt", REPORT_A)
    run_ingest(story)
    article = Article.objects.get()
    Correction.objects.create(
        article=article, field="title", old_value=article.title, new_value="X"
    )
    Article.objects.filter(pk=article.pk).update(title="Talks resume (corrected)")
    write(story, REPORT_A.replace("Geneva\n", "Geneva at last\n").replace("today", "on Monday"))
    assert "0 created, 1 updated" in run_ingest(story)
    article.refresh_from_db()
    assert article.captures.count() == 2 and article.changed
    assert "on Monday" in article.body  # the latest reading
    assert article.title == "Talks resume (corrected)"  # staff corrections still win
    first, second = article.captures.in_order()
    assert first.raw == REPORT_A and "on Monday" in second.raw
    assert second.changes == ["headline", "text"]


def test_reading_an_unchanged_file_again_adds_no_capture(tmp_path):
    story = write(tmp_path / "story.txt", REPORT_A)
    run_ingest(story)
    assert "0 created, 0 updated, 1 unchanged" in run_ingest(story)
    assert Capture.objects.count() == 1 and not Article.objects.get().changed


def test_each_capture_can_be_read_and_downloaded_and_others_are_not_found(tmp_path, client):
    story = write(tmp_path / "story.txt", REPORT_A)
    run_ingest(story)
    write(story, REPORT_A.replace("today", "on Monday"))
    run_ingest(story)
    article = Article.objects.get()
    first, second = article.captures.in_order()
    original = article.get_absolute_url() + "original/"
    latest = client.get(original).content.decode()
    assert "on Monday" in latest and "2 captures" in latest
    page = client.get(original, {"capture": first.pk}).content.decode()
    assert "met again today" in page and "on Monday" not in page.split("<pre")[1]
    assert first.sha256 in page
    download = client.get(original, {"capture": first.pk, "download": "1"})
    assert download.content.decode() == REPORT_A
    other = make_article()
    assert client.get(original, {"capture": other.captures.get().pk}).status_code == 404
    assert client.get(original, {"capture": "x"}).status_code == 404
    changes = client.get(article.get_absolute_url() + "changes/", {"to": "999999"})
    assert changes.status_code == 404


@pytest.mark.parametrize(
    "data",
    [
        REPORT_A.encode(),
        b"\xef\xbb\xbf" + REPORT_A.encode(),  # with a UTF-8 byte-order mark
        "Caf\u00e9 talks end\n\nPARIS - Ministers called it \u201cuseful\u201d.\n".encode("cp1252"),
    ],
    ids=["utf-8", "utf-8-bom", "cp1252"],
)
def test_the_bytes_as_received_download_exactly_and_match_the_checksum(tmp_path, client, data):
    (tmp_path / "story.txt").write_bytes(data)
    run_ingest(tmp_path / "story.txt")
    article = Article.objects.get()
    response = client.get(article.get_absolute_url() + "original/", {"download": "bytes"})
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"] == 'attachment; filename="story.txt"'
    assert response.content == data


def test_bytes_that_cannot_be_rebuilt_are_not_offered_as_if_they_were(client):
    article = make_article()  # its checksum is not of its text
    response = client.get(article.get_absolute_url() + "original/", {"download": "bytes"})
    assert response.status_code == 404


@pytest.mark.parametrize("charset", ["idna", "punycode", "rot13", "zlib", "no-such-charset"])
def test_a_capture_declaring_a_codec_that_is_no_charset_downloads_as_utf8(client, charset):
    # Labels over 63 characters, as in any sentence, are what idna refuses to encode.
    text = "Talks resumed in Geneva today without agreement on the radar offer. " * 3
    data = text.encode("utf-8")
    article = make_article(raw=text, sha256=hashlib.sha256(data).hexdigest())
    article.captures.update(encoding=charset)
    response = client.get(article.get_absolute_url() + "original/", {"download": "bytes"})
    assert response.status_code == 200
    assert response.content == data


def test_a_warc_page_declaring_charset_idna_is_read_and_downloads_exactly(tmp_path, client):
    page = article_page("Russia and US fail to agree on missile shield " + "x" * 70)
    crawl = (
        WarcBuilder()
        .response(
            "https://en.rian.ru/world/20080305/story.html",
            page,
            content_type="text/html; charset=idna",
        )
        .save(tmp_path / "crawl.warc.gz")
    )
    run_ingest(crawl)
    article = Article.objects.get()
    response = client.get(article.get_absolute_url() + "original/", {"download": "bytes"})
    assert response.status_code == 200
    assert response.content == page


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JavaScript:alert(document.domain)//https://en.rian.ru/",
        "data:text/html,<script>alert(1)</script>",
        "java\tscript:alert(1)",
        "https:alert(1)",
    ],
)
def test_a_capture_url_that_is_not_a_web_address_is_shown_but_never_linked(client, url):
    article = make_article()
    article.captures.update(url=url, captured_at=datetime(2008, 3, 5, 12, tzinfo=UTC))
    pages = [
        client.get(article.get_absolute_url()).content.decode(),
        client.get(article.get_absolute_url() + "original/").content.decode(),
    ]
    for page in pages:
        assert 'href="javascript:' not in page.lower()
        assert 'href="data:' not in page.lower()
        assert "web.archive.org" not in page
        assert 'href="https:alert' not in page
    assert "Captured from" in pages[0]


def test_a_web_capture_url_links_to_the_page_and_its_wayback_copy(client):
    article = make_article()
    url = "https://en.rian.ru/world/20080305/story.html"
    article.captures.update(url=url, captured_at=datetime(2008, 3, 5, 12, tzinfo=UTC))
    for page in (article.get_absolute_url(), article.get_absolute_url() + "original/"):
        html = client.get(page).content.decode()
        assert f'href="{url}"' in html
        assert f'href="https://web.archive.org/web/20080305120000/{url}"' in html
