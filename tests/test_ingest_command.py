"""`manage.py ingest` and `export_articles` as staff run them: seeds, bad files, re-runs."""

import json
from datetime import UTC, date, datetime
from io import StringIO
from pathlib import Path
from unittest import mock

import pytest
from django.core.management import CommandError, call_command

from articles.ingest.pipeline import ingest_paths
from articles.models import Article, Capture, Source
from tests.conftest import SEEDS
from tests.test_ingest_read import mojibake

pytestmark = pytest.mark.django_db


def ingest(*paths, **options) -> str:
    out, err = StringIO(), StringIO()
    call_command("ingest", *map(str, paths), stdout=out, stderr=err, **options)
    return out.getvalue() + err.getvalue()


def by_origin(name: str) -> Article:
    return Article.objects.select_related("source", "captured_from").get(captures__origin=name)


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
        capture = by_origin(path.name).captures.get()
        assert capture.raw == path.read_text(encoding="utf-8")
        assert capture.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()


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
    article = Article.objects.filter(captures__origin="story.txt").distinct().get()
    assert "agreed" in article.body and article.changed
    assert [c.changes for c in article.captures.in_order()] == [[], ["text"]]


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
    assert list(Article.objects.values_list("captures__origin", flat=True)) == ["good.txt"]


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
    assert "“useful”" in article.body and article.captures.get().encoding == "cp1252"
    assert "encoding_fallback" in article.review_reasons


def test_a_mojibake_capture_loads_repaired_and_keeps_the_bytes_received(tmp_path):
    original = (SEEDS / "003_9cbdff76008a1a21.txt").read_text(encoding="utf-8")
    garbled = mojibake(original)
    (tmp_path / "garbled.txt").write_bytes(garbled)

    assert "1 created, 0 updated, 0 unchanged, 0 failed" in ingest(tmp_path)

    article = Article.objects.get()
    assert "â€" not in article.body and "”" in article.body
    assert "text_repaired" in article.review_reasons and article.needs_review
    assert {"field": "body", "evidence": "text repaired from mojibake", "confidence": 0.7} in (
        article.field_evidence
    )
    capture = article.captures.get()
    assert capture.bytes_as_read() == garbled and "â€" in capture.raw


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
    assert len(Article.objects.get(captures__origin="long_title.txt").title) <= 300
    future = Article.objects.get(captures__origin="future.txt")
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


def write_captures(folder, count: int, *, start: int = 0) -> list[str]:
    names = []
    for n in range(start, start + count):
        name = f"story_{n:03d}.txt"
        (folder / name).write_text(
            f"Talks resume, round {n}\n\nGENEVA - Negotiators met again for round {n} today.\n"
        )
        names.append(name)
    return names


def test_a_file_the_database_refuses_fails_alone_and_the_rest_of_its_batch_loads(
    tmp_path, django_capture_on_commit_callbacks
):
    from django.db import connection

    from articles.search import queue

    if connection.vendor != "sqlite":
        pytest.skip("the refusal is an SQLite trigger")
    names = write_captures(tmp_path, 6)
    table = Capture._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TRIGGER refuse_story BEFORE INSERT ON {table} "
            f"WHEN NEW.origin = '{names[2]}' BEGIN SELECT RAISE(ABORT, 'refused'); END"
        )
    indexed = []
    with (
        mock.patch.object(queue, "flush", lambda updated, removed: indexed.extend(updated)),
        django_capture_on_commit_callbacks(execute=True),
    ):
        report = ingest_paths([tmp_path])
    assert report.summary() == "5 created, 0 updated, 0 unchanged, 1 failed"
    failed = [o for o in report.outcomes if o.status == "failed"]
    assert [Path(o.path).name for o in failed] == [names[2]]
    assert "could not be stored: refused" in failed[0].message
    stored = Article.objects.order_by("captures__origin")
    assert list(stored.values_list("captures__origin", flat=True)) == names[:2] + names[3:]
    assert sorted(indexed) == sorted(stored.values_list("pk", flat=True))


def test_new_articles_are_stored_with_their_analysis_and_sent_to_the_index(
    django_capture_on_commit_callbacks,
):
    from articles.enrich import load_catalogue
    from articles.search import queue

    load_catalogue()
    indexed = []
    with (
        mock.patch.object(queue, "flush", lambda updated, removed: indexed.extend(updated)),
        django_capture_on_commit_callbacks(execute=True),
    ):
        ingest_paths([SEEDS])
    assert sorted(indexed) == sorted(Article.objects.values_list("pk", flat=True))
    bbc = by_origin("004_6635417ac052c5bc.txt")
    assert bbc.slug == "russia-us-missile-talks-stalled"
    assert bbc.fingerprint is not None and bbc.fp_band0 is not None
    assert bbc.mentions.exists() and bbc.topic_links.exists()


def test_one_run_with_a_copy_and_a_file_of_the_same_name_elsewhere_keeps_both(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "c").mkdir()
    story = "Talks resume\n\nGENEVA - Negotiators met again today.\n"
    (tmp_path / "a" / "story.txt").write_text(story)
    (tmp_path / "b" / "copy.txt").write_text(story)
    (tmp_path / "c" / "story.txt").write_text(story.replace("today", "today and agreed"))
    report = ingest_paths([tmp_path])
    # The copy is the same capture received again: recorded, on the same article.
    assert [o.status for o in report.outcomes] == ["created", "recaptured", "created"]
    assert Article.objects.count() == 2 and Capture.objects.count() == 3


def test_preparing_in_worker_processes_stores_the_same_as_in_process(tmp_path):
    from articles.ingest import pipeline

    names = write_captures(tmp_path, 40)
    (tmp_path / "empty.txt").write_bytes(b"")
    with mock.patch.object(pipeline, "POOL_MIN_FILES", 0):
        report = ingest_paths([tmp_path], workers=2)
    assert report.summary() == "40 created, 0 updated, 0 unchanged, 1 failed"
    assert [Path(o.path).name for o in report.outcomes] == ["empty.txt", *names]
    pooled = list(
        Article.objects.order_by("captures__origin").values(
            "captures__origin", "title", "body_html"
        )
    )
    Article.objects.all().delete()
    ingest_paths([tmp_path], workers=1)
    assert (
        list(
            Article.objects.order_by("captures__origin").values(
                "captures__origin", "title", "body_html"
            )
        )
        == pooled
    )


def test_pages_of_an_outlet_not_in_the_table_share_a_source_named_by_their_pages(tmp_path):
    for n in (1, 2):
        (tmp_path / f"compass{n}.html").write_text(
            '<html><head><meta property="og:site_name" content="Cayman Compass">'
            f'<link rel="canonical" href="https://www.caymancompass.com/story-{n}/">'
            f"<title>Shelters planned, part {n}</title></head><body><article>"
            f"<h1>Shelters planned, part {n}</h1><p>Officials from the three islands met on "
            "Tuesday to discuss the new hurricane shelters planned for the coming season, "
            "the government said.</p><p>The work is expected to begin before the end of "
            "the year, according to the ministry, which will publish the plans.</p>"
            "</article></body></html>"
        )
    ingest(tmp_path)
    source = Source.objects.get(name="Cayman Compass")
    assert source.articles.count() == 2
    for article in source.articles.all():
        assert "source_uncertain" in article.review_reasons and article.needs_review
        assert "source_unknown" not in article.review_reasons
