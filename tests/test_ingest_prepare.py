"""Preparing captures without the database: the same result in worker processes, clear
reasons for bad files, and no analysis for captures that are already stored."""

import hashlib
from pathlib import Path

import pytest

from articles.analysis.catalogue import PEOPLE, ROUNDS, TOPICS
from articles.ingest.prepare import (
    CuratedLists,
    PreparedCapture,
    analyse_text,
    prepare_bytes,
    prepare_capture,
    prepare_captures,
)
from tests.conftest import SEEDS

LISTS = CuratedLists(people=PEOPLE, topics=TOPICS, rounds=ROUNDS)
BBC = SEEDS / "004_6635417ac052c5bc.txt"


def test_a_prepared_capture_carries_what_storing_it_needs():
    prepared = prepare_capture(BBC, max_bytes=5_000_000, lists=LISTS)
    parsed = prepared.parsed
    assert prepared.error == "" and prepared.origin == BBC.name
    assert prepared.sha256 == hashlib.sha256(BBC.read_bytes()).hexdigest()
    assert prepared.raw == BBC.read_text(encoding="utf-8")
    assert "<h2>Move forward</h2>" in prepared.body_html
    assert prepared.analysis == analyse_text(
        title=parsed.title,
        body=parsed.body,
        published=parsed.published_date,
        dateline=parsed.dateline,
        lists=LISTS,
    )
    assert prepared.analysis.mentions and len(prepared.analysis.bands) == 4


def test_bad_files_come_back_with_their_reason(tmp_path):
    (tmp_path / "big.txt").write_bytes(b"word " * 300)
    (tmp_path / "empty.txt").write_bytes(b"")
    big, empty, missing = (
        prepare_capture(tmp_path / name, max_bytes=1_000, lists=LISTS)
        for name in ("big.txt", "empty.txt", "missing.txt")
    )
    assert big.error == "file is 1,500 bytes, over the 1,000-byte limit"
    assert empty.error == "The file is empty." and empty.parsed is None
    assert missing.error == "no such file"


def test_a_stored_capture_is_not_analysed():
    sha = hashlib.sha256(BBC.read_bytes()).hexdigest()
    prepared = prepare_capture(BBC, max_bytes=5_000_000, lists=LISTS, stored={sha})
    assert prepared.parsed is not None and prepared.analysis is None


@pytest.mark.parametrize("workers", [1, 2])
def test_worker_processes_prepare_the_same_in_the_same_order(tmp_path, workers):
    paths = sorted(SEEDS.iterdir()) * 30 + [tmp_path / "missing.txt"]
    prepared = list(prepare_captures(paths, max_bytes=5_000_000, lists=LISTS, workers=workers))
    assert [p.path for p in prepared] == paths
    assert prepared == [prepare_capture(p, max_bytes=5_000_000, lists=LISTS) for p in paths]


@pytest.mark.django_db
def test_a_capture_not_analysed_in_advance_is_analysed_when_stored():
    from articles.enrich import Catalogue, load_catalogue
    from articles.ingest.pipeline import store_batch
    from articles.models import Article
    from articles.store import SourceCache

    load_catalogue()
    catalogue = Catalogue.from_database()
    sha = hashlib.sha256(BBC.read_bytes()).hexdigest()
    prepared = prepare_capture(BBC, max_bytes=5_000_000, lists=catalogue.lists, stored={sha})
    [outcome] = store_batch([prepared], catalogue=catalogue, sources=SourceCache())
    article = Article.objects.get()
    assert outcome.status == "created" and article.fingerprint is not None
    assert article.mentions.exists() and article.topic_links.exists()


PAGE = (
    "<html><head><title>{headline}</title></head><body><article><h1>{headline}</h1>"
    "<p>The envoys met on Monday and said the “framework” was nearly agreed, according to "
    "officials in {place} who asked not to be named. Further rounds are planned for the "
    "coming weeks, they added.</p></article></body></html>"
)


@pytest.mark.parametrize(
    ("charset", "codec", "headline", "place"),
    [
        ("iso-8859-1", "cp1252", "Café talks resume", "Genève"),
        ("windows-1251", "cp1251", "Переговоры продолжатся", "Москве"),
    ],
)
def test_a_page_in_a_declared_charset_is_read_with_its_own_characters(
    charset, codec, headline, place
):
    page = PAGE.format(headline=headline, place=place).encode(codec)
    where = PreparedCapture(Path("page.html"))
    prepared = prepare_bytes(
        page, where, max_bytes=5_000_000, lists=None, filename="page.html", charset=charset
    )
    parsed = prepared.parsed
    assert parsed.title == headline and "“framework” was nearly agreed" in parsed.body
    assert f"officials in {place}" in parsed.body
    assert parsed.encoding == codec and "encoding_fallback" not in parsed.review_reasons
    assert prepared.raw.encode(codec) == page  # the bytes as read can be rebuilt


def test_a_page_not_in_the_charset_it_declares_is_read_as_an_undeclared_one():
    page = PAGE.format(headline="Café talks", place="Genève").encode("utf-8")
    where = PreparedCapture(Path("page.html"))
    prepared = prepare_bytes(  # ISO-2022-JP has no place for the bytes of "é"
        page, where, max_bytes=5_000_000, lists=None, filename="page.html", charset="iso-2022-jp"
    )
    assert prepared.parsed.title == "Café talks" and prepared.parsed.encoding == "utf-8"
