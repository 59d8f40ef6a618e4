"""`manage.py ingest` and `export_articles` as staff run them: seeds, bad files, re-runs."""

import json
from datetime import UTC, date, datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from articles.models import Article, Source
from tests.conftest import SEEDS

pytestmark = pytest.mark.django_db


def ingest(*paths, **options) -> str:
    out, err = StringIO(), StringIO()
    call_command("ingest", *map(str, paths), stdout=out, stderr=err, **options)
    return out.getvalue() + err.getvalue()


def by_origin(name: str) -> Article:
    return Article.objects.select_related("source", "captured_from").get(origin=name)


def test_the_seeds_load_with_the_expected_metadata():
    assert "5 created, 0 updated, 0 unchanged, 0 failed" in ingest(SEEDS)

    ria = by_origin("000_83010087517747a0.txt")
    assert ria.source.name == "RIA Novosti" and ria.captured_from is None
    assert ria.published_date is None and ria.dateline == "Washington"
    assert {"title_derived", "date_unknown"} <= set(ria.review_reasons) and ria.needs_review

    blog = by_origin("001_cf4a24119513014b.txt")
    assert blog.title == "US, Russian officials take conciliatory tone in missile talks"
    assert blog.source is None and "source_unknown" in blog.review_reasons
    assert blog.captured_from is None and blog.captured_from_kind == "blog"
    assert blog.published_date == date(2008, 3, 18) and blog.dateline == "Moscow"

    gs = by_origin("002_039291e9fa94fbe8.txt")
    assert gs.title == "Russia, U.S. fail to agree on key issues at defense talks"
    assert (gs.source.name, gs.captured_from.name) == ("RIA Novosti", "GlobalSecurity.org")
    assert gs.published_at == datetime(2007, 10, 12, 14, 35, tzinfo=UTC)
    assert gs.published_tz == "Europe/Moscow" and gs.dateline == "MOSCOW"
    assert not gs.needs_review

    rt = by_origin("003_9cbdff76008a1a21.txt")
    assert {"title_derived", "date_unknown", "source_unknown"} <= set(rt.review_reasons)
    assert rt.source is None and rt.published_date is None and rt.dateline == ""
    assert rt.body.count("\n\n") >= 4  # the one-line capture is split into paragraphs

    bbc = by_origin("004_6635417ac052c5bc.txt")
    assert bbc.title == "Russia-US missile talks 'stalled'"
    assert (bbc.source.name, bbc.captured_from.name) == ("BBC News", "BBC News")
    assert bbc.published_at == datetime(2008, 3, 18, 14, 50, tzinfo=UTC)
    assert "<h2>Move forward</h2>" in bbc.body_html
    assert "One-Minute World News" not in bbc.body and "not responsible" not in bbc.body


def test_raw_captures_are_stored_exactly_as_read_with_their_checksum():
    ingest(SEEDS)
    import hashlib

    for path in sorted(SEEDS.iterdir()):
        article = by_origin(path.name)
        assert article.raw == path.read_text(encoding="utf-8")
        assert article.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()


def test_sources_are_created_with_their_kind_and_homepage():
    ingest(SEEDS)
    ria = Source.objects.get(name="RIA Novosti")
    assert ria.kind == "agency" and ria.homepage.startswith("https://")
    assert Source.objects.get(name="BBC News").kind == "broadcaster"


def test_reingesting_the_same_files_changes_nothing():
    ingest(SEEDS)
    before = list(Article.objects.order_by("pk").values())
    assert "0 created, 0 updated, 5 unchanged, 0 failed" in ingest(SEEDS)
    assert list(Article.objects.order_by("pk").values()) == before


def test_a_changed_file_updates_its_article(tmp_path):
    capture = tmp_path / "story.txt"
    capture.write_text("Talks resume in Geneva\n\nGENEVA - Negotiators met again today.\n")
    ingest(capture)
    capture.write_text(
        "Talks resume in Geneva\n\nGENEVA - Negotiators met again today and agreed.\n"
    )
    assert "0 created, 1 updated" in ingest(capture)
    assert "agreed" in Article.objects.get(origin="story.txt").body


def test_dry_run_writes_nothing():
    output = ingest(SEEDS, dry_run=True)
    assert "Dry run, nothing written: 5 created" in output
    assert Article.objects.count() == 0 and Source.objects.count() == 0


BAD_FILES = {
    "empty.txt": b"",
    "blank.txt": b"   \n\t\n  ",
    "binary.txt": bytes(range(256)) * 20,
    "nul.txt": b"Talks in Moscow\n\nMOSCOW - Ministers\x00 met.",
    "big.txt": b"word " * 1_200_000,
}


def test_each_bad_file_is_reported_and_skipped_while_the_others_load(tmp_path, settings):
    settings.ARCHIVE_MAX_CAPTURE_BYTES = 5_000_000
    for name, data in BAD_FILES.items():
        (tmp_path / name).write_bytes(data)
    (tmp_path / "good.txt").write_text("Talks resume\n\nGENEVA - Negotiators met again.\n")
    with pytest.raises(CommandError, match="5 file"):
        ingest(tmp_path)
    assert list(Article.objects.values_list("origin", flat=True)) == ["good.txt"]


def test_bad_files_get_clear_reasons(tmp_path, settings):
    settings.ARCHIVE_MAX_CAPTURE_BYTES = 1_000_000
    for name, data in BAD_FILES.items():
        (tmp_path / name).write_bytes(data)
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError):
        call_command("ingest", str(tmp_path), stdout=out, stderr=err)
    messages = err.getvalue()
    assert "big.txt: skipped: file is 6,000,000 bytes, over the 1,000,000-byte limit" in messages
    assert "empty.txt: skipped:" in messages and "nul.txt: skipped:" in messages
    assert "0 created, 0 updated, 0 unchanged, 5 failed" in out.getvalue()


def test_a_fifty_megabyte_file_is_refused_by_the_size_limit(tmp_path):
    huge = tmp_path / "huge.txt"
    with huge.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)
    output = StringIO()
    with pytest.raises(CommandError):
        call_command("ingest", str(huge), stdout=StringIO(), stderr=output)
    assert "over the 5,000,000-byte limit" in output.getvalue()


def test_windows_1252_is_decoded_with_a_recorded_fallback(tmp_path):
    (tmp_path / "cp.txt").write_bytes(
        b"Caf\xe9 talks end\n\nPARIS - Ministers called it \x93useful\x94 and left.\n"
    )
    ingest(tmp_path)
    article = Article.objects.get()
    assert "“useful”" in article.body and article.raw_encoding == "cp1252"
    assert "encoding_fallback" in article.review_reasons


def test_hostile_html_is_sanitised_and_still_loads(tmp_path):
    (tmp_path / "page.html").write_text(
        "<html><head><title>Summit ends</title><script>alert(1)</script>"
        "<style>body{}</style></head><body><article><h1>Summit ends</h1>"
        "<p>Ministers met <a href='javascript:alert(2)'>here</a> and agreed to continue "
        "the talks next month in Geneva, officials said on Friday.</p>"
        "<iframe src='http://evil.example'></iframe><img src=x onerror=alert(3)>"
        "<p>The next round will consider verification measures for both sides.</p>"
        "</article></body></html>"
    )
    ingest(tmp_path)
    article = Article.objects.get()
    for needle in ("<script", "alert(", "javascript:", "<iframe", "onerror"):
        assert needle not in article.body_html
    assert "<p>" in article.body_html and "verification" in article.body


def test_extreme_but_valid_text_loads(tmp_path):
    (tmp_path / "long_title.txt").write_text("Word " * 2000 + "\n\nBody text follows here.\n")
    (tmp_path / "one_line.txt").write_text("Ministers met. " * 5000)
    (tmp_path / "future.txt").write_text(
        "Tuesday, March 18, 2999\n\nTalks in the future\n\nMOSCOW - Ministers met.\n"
    )
    ingest(tmp_path)
    assert Article.objects.count() == 3
    assert len(Article.objects.get(origin="long_title.txt").title) <= 300
    future = Article.objects.get(origin="future.txt")
    assert future.published_date is None and future.needs_review


def test_export_writes_every_article_as_json_lines():
    ingest(SEEDS)
    out = StringIO()
    call_command("export_articles", stdout=out)
    records = [json.loads(line) for line in out.getvalue().splitlines()]
    assert len(records) == 5
    bbc = next(r for r in records if r["origin"] == "004_6635417ac052c5bc.txt")
    assert bbc["published"] == "2008-03-18"
    assert bbc["published_at"] == "2008-03-18T14:50:00+00:00"
    assert bbc["url"].startswith(f"/articles/{bbc['id']}/")
    assert bbc["needs_review"] is False and bbc["review_reasons"] == []
    blog = next(r for r in records if r["origin"] == "001_cf4a24119513014b.txt")
    assert blog["source"] is None and blog["review_reasons"] == ["source_unknown"]


def test_export_as_csv_has_a_header_and_a_row_per_article():
    ingest(SEEDS)
    out = StringIO()
    call_command("export_articles", format="csv", stdout=out)
    import csv

    rows = list(csv.DictReader(StringIO(out.getvalue())))
    assert len(rows) == 5 and rows[0].keys() >= {"id", "title", "sha256", "review_reasons"}
