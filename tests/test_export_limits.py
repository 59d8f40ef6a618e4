"""Exports and search feeds cost the server a bounded amount whatever the collection holds:
one at a time and a few a minute for each reader, a few at once for each server process."""

import pytest
from django.core.signals import request_finished
from django.db import close_old_connections

from articles import export_limits
from tests.conftest import make_article

pytestmark = pytest.mark.django_db

CSV = "/search/export.csv"
JSON = "/search/export.json"


@pytest.fixture(autouse=True)
def limits(settings, monkeypatch, on_commit):
    """A real cache (the test settings keep none) and fresh process slots."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "export-limits",
        }
    }
    settings.ARCHIVE_EXPORTS_PER_MINUTE = 4
    settings.ARCHIVE_EXPORT_CONCURRENCY = 1
    monkeypatch.setattr(export_limits, "_slots", None)
    export_limits.cache.clear()
    with on_commit():
        for n in range(3):
            make_article(body=f"The radar offer, round {n}.")
    yield settings
    export_limits.cache.clear()


def read(response) -> bytes:
    return b"".join(response.streaming_content)


def test_a_second_export_while_the_first_streams_is_refused_with_a_reason(client):
    first = client.get(CSV, {"q": "radar"})
    assert first.status_code == 200
    second = client.get(JSON, {"q": "radar"})
    assert second.status_code == 429
    assert int(second["Retry-After"]) > 0
    assert "still running: wait for it to finish" in second.content.decode()
    assert b"radar offer" in read(first)
    assert client.get(JSON, {"q": "radar"}).status_code == 200


def test_an_export_closed_unread_frees_its_place(client):
    response = client.get(CSV, {"q": "radar"})
    # As the test client closes a response it has read: without closing the test's own
    # database connection (which PostgreSQL would then refuse to use again).
    request_finished.disconnect(close_old_connections)
    try:
        response.close()
    finally:
        request_finished.connect(close_old_connections)
    assert client.get(CSV, {"q": "radar"}).status_code == 200


def test_a_reader_over_the_rate_is_told_when_to_try_again(client, limits):
    limits.ARCHIVE_EXPORTS_PER_MINUTE = 2
    for _ in range(2):
        read(client.get(CSV, {"q": "radar"}))
    refused = client.get(CSV, {"q": "radar"})
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 61
    assert "started 2 exports this minute, the most allowed" in refused.content.decode()
    other_reader = client.get(CSV, {"q": "radar"}, REMOTE_ADDR="192.0.2.7")
    assert other_reader.status_code == 200


def test_a_server_process_streams_only_so_many_exports_at_once(client, limits):
    first = client.get(CSV, {"q": "radar"})
    busy = client.get(CSV, {"q": "radar"}, REMOTE_ADDR="192.0.2.7")
    assert busy.status_code == 429
    assert "busy with other readers' exports" in busy.content.decode()
    read(first)
    assert client.get(CSV, {"q": "radar"}, REMOTE_ADDR="192.0.2.7").status_code == 200


def test_a_refused_search_releases_its_place(client):
    assert client.get(CSV, {"q": "NOT"}).status_code == 400
    assert client.get(CSV, {"q": "radar"}).status_code == 200


def test_search_feeds_are_limited_per_reader_too(client, limits):
    limits.ARCHIVE_EXPORTS_PER_MINUTE = 1
    assert client.get("/search/feed/", {"q": "radar"}).status_code == 200
    refused = client.get("/search/feed/", {"q": "radar"})
    assert refused.status_code == 429
    assert "search feeds this minute" in refused.content.decode()
