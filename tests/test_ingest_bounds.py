"""Hostile files: every input ingest reads is bounded, a bad file or record is reported
and skipped, and the run goes on. Each file is built here, small on disk (compressed
runs of one byte), with the limits scaled down where the real ones would need gigabytes."""

from __future__ import annotations

import json
import zipfile
import zlib

import pytest

from articles.ingest import warc
from articles.models import Article, Capture
from tests.test_ingest_warc import STORY, run_ingest
from tests.webarchives import WarcBuilder, article_page, wacz

pytestmark = pytest.mark.django_db

GOOD = "https://news.bbc.co.uk/2/hi/europe/good.stm"


def gzip_member(*parts: bytes, repeat: tuple[bytes, int] = (b"", 0), after: bytes = b"") -> bytes:
    """One gzip member of `parts`, then `repeat` (a byte string, a count) and `after`,
    compressed as it goes so that no large run is ever held whole."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    out = [compressor.compress(b"".join(parts))]
    chunk, count = repeat
    block = chunk * max(1, (1 << 20) // max(1, len(chunk)))
    while count > 0:
        n = min(count, (1 << 20) // max(1, len(chunk)))
        out.append(compressor.compress(block[: n * len(chunk)]))
        count -= n
    out.append(compressor.compress(after))
    return b"".join(out) + compressor.flush()


def good_crawl() -> bytes:
    return WarcBuilder().response(GOOD, article_page("Talks end without agreement")).bytes()


def a_good_text_file(tmp_path):
    path = tmp_path / "good.txt"
    path.write_text(
        "Talks end without agreement\n\nBy Jane Smith\n\n"
        + "Officials met in Moscow on Monday and talked for hours about the shield. " * 5
    )
    return path


def deflated_zip(path, members: dict[str, bytes]):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
        for name, data in members.items():
            package.writestr(name, data)
    return path


# -- WACZ packages ----------------------------------------------------------------------


def test_a_wacz_manifest_over_its_limit_is_refused_and_the_run_goes_on(tmp_path):
    package = deflated_zip(
        tmp_path / "huge.wacz",
        {"datapackage.json": b"{" + b" " * (2 * warc.MAX_MANIFEST_BYTES) + b"}"},
    )
    output, ok = run_ingest(package, a_good_text_file(tmp_path))
    assert not ok
    assert (
        f"not a valid WACZ: datapackage.json is over the {warc.MAX_MANIFEST_BYTES:,}-byte limit"
        in output
    )
    assert "1 created" in output


def test_a_deeply_nested_wacz_manifest_fails_that_file_only(tmp_path):
    package = deflated_zip(tmp_path / "deep.wacz", {"datapackage.json": b"[" * 100_000})
    output, ok = run_ingest(package, a_good_text_file(tmp_path))
    assert not ok
    assert "not a valid WACZ: datapackage.json is nested too deeply" in output
    assert "1 created" in output


def test_a_wacz_whose_warc_expands_a_thousandfold_is_refused_before_reading(tmp_path, monkeypatch):
    monkeypatch.setattr(warc, "EXPANSION_ALLOWANCE", 64 * 1024)
    blank = b"\r\n" * 2_000_000  # 4 MB of blank lines, 4 KB deflated
    package = tmp_path / "blank.wacz"
    wacz(package, {"data.warc": blank})
    with zipfile.ZipFile(package) as built:  # wacz() stores; store the WARC deflated
        members = {name: built.read(name) for name in built.namelist()}
    deflated_zip(package, members)
    output, ok = run_ingest(package)
    assert not ok
    assert "not a valid WACZ: its files expand to 4,000,000 bytes, over the" in output
    assert not Capture.objects.exists()


# -- WARC files -------------------------------------------------------------------------


def test_a_warc_header_line_over_its_limit_stops_reading_there(tmp_path):
    good = good_crawl()
    hostile = gzip_member(
        b"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: " + STORY.encode() + b"?",
        repeat=(b"a", 10 * warc.MAX_HEADER_LINE),
        after=b"\r\nContent-Length: 0\r\n\r\n\r\n\r\n",
    )
    crawl = tmp_path / "long-line.warc.gz"
    crawl.write_bytes(good + hostile)
    output, ok = run_ingest(crawl)
    assert not ok
    assert "1 created" in output
    assert (
        f"stopped at byte {len(good):,}: a header line is longer than "
        f"{warc.MAX_HEADER_LINE:,} bytes" in output
    )


def test_an_http_header_line_over_its_limit_stops_reading_and_is_not_stored(tmp_path):
    page = article_page("Talks end without agreement")
    http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nX-Padding: "
    length = len(http) + 10 * warc.MAX_HEADER_LINE + 4 + len(page)
    hostile = gzip_member(
        b"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: " + STORY.encode(),
        f"\r\nWARC-Date: 2008-03-05T12:00:00Z\r\nContent-Length: {length}\r\n\r\n".encode(),
        http,
        repeat=(b"a", 10 * warc.MAX_HEADER_LINE),
        after=b"\r\n\r\n" + page + b"\r\n\r\n",
    )
    crawl = tmp_path / "long-http-line.warc.gz"
    crawl.write_bytes(hostile)
    output, ok = run_ingest(crawl)
    assert not ok
    assert f"stopped at byte 0: a header line is longer than {warc.MAX_HEADER_LINE:,}" in output
    assert not Capture.objects.exists()


def test_a_run_of_blank_lines_between_records_stops_reading_there(tmp_path):
    record = (
        WarcBuilder(gzip=False).response(GOOD, article_page("Talks end without agreement")).bytes()
    )
    crawl = tmp_path / "blank-lines.warc.gz"
    crawl.write_bytes(gzip_member(record, repeat=(b"\r\n", warc.MAX_HEADER_BYTES)))
    output, ok = run_ingest(crawl)
    assert not ok
    assert "1 created" in output
    assert (
        "stopped after the record at byte 0: a record's headers (with the blank lines before "
        f"them) are longer than {warc.MAX_HEADER_BYTES:,} bytes" in output
    )


def test_a_warc_expanding_beyond_its_limit_stops_reading_there(tmp_path, monkeypatch):
    monkeypatch.setattr(warc, "EXPANSION_ALLOWANCE", 64 * 1024)
    good = good_crawl()
    body = b"x" * 2_000_000
    bomb = (
        WarcBuilder()
        .response("https://news.bbc.co.uk/bomb", body, content_type="text/plain")
        .bytes()
    )
    crawl = tmp_path / "bomb.warc.gz"
    crawl.write_bytes(good + bomb)
    output, ok = run_ingest(crawl)
    assert not ok
    assert "1 created" in output
    assert f"stopped at byte {len(good):,}: it expands to more than" in output


# -- Records and files ------------------------------------------------------------------


@pytest.mark.parametrize("charset", ["punycode", "idna", "unicode_escape", "rot13", "base64"])
def test_a_page_declaring_a_codec_that_is_no_web_charset_is_read_as_undeclared(tmp_path, charset):
    crawl = (
        WarcBuilder()
        .response(GOOD, article_page("Talks end without agreement"))
        .response(
            STORY,
            article_page("Lavrov says radar offer still stands"),
            content_type=f"text/html; charset={charset}",
        )
        .save(tmp_path / "crawl.warc.gz")
    )
    output, ok = run_ingest(crawl)
    assert ok, output
    assert "2 created" in output
    capture = Capture.objects.get(url=STORY)
    assert capture.encoding == "utf-8"
    assert capture.bytes_as_read() is not None


def break_on(marker: bytes, monkeypatch):
    """Make parsing raise what no check foresees for any capture holding `marker`."""
    from articles.ingest import prepare

    parse = prepare.parse_decoded

    def parse_or_break(decoded, data, *args, **kwargs):
        if marker in data:
            raise RuntimeError("something no check foresaw")
        return parse(decoded, data, *args, **kwargs)

    monkeypatch.setattr(prepare, "parse_decoded", parse_or_break)


def test_an_unexpected_fault_in_one_file_fails_that_file_and_the_run_goes_on(tmp_path, monkeypatch):
    break_on(b"BREAKS", monkeypatch)
    bad = tmp_path / "bad.txt"
    bad.write_text("Headline BREAKS here\n\nSome text of the story, long enough to read.")
    output, ok = run_ingest(bad, a_good_text_file(tmp_path))
    assert not ok
    assert "bad.txt: skipped: could not be read (RuntimeError: something no check foresaw)" in (
        output
    )
    assert "1 created, 0 updated, 0 unchanged, 1 failed" in output


def test_an_unexpected_fault_in_one_record_fails_that_record_and_the_rest_load(
    tmp_path, monkeypatch
):
    break_on(b"BREAKS", monkeypatch)
    crawl = (
        WarcBuilder()
        .response(STORY, article_page("Headline BREAKS here"))
        .response(GOOD, article_page("Talks end without agreement"))
        .save(tmp_path / "crawl.warc.gz")
    )
    output, ok = run_ingest(crawl)
    assert not ok
    assert f"{STORY}: skipped: could not be read (RuntimeError: something no check" in output
    assert "1 created, 0 updated, 0 unchanged, 1 failed" in output
    assert list(Article.objects.values_list("title", flat=True)) == ["Talks end without agreement"]


def test_a_manifest_of_valid_json_within_the_limit_still_loads(tmp_path):
    package = wacz(tmp_path / "crawl.wacz", {"data.warc.gz": good_crawl()})
    with zipfile.ZipFile(package) as built:
        manifest = json.loads(built.read("datapackage.json"))
    assert manifest["resources"]
    output, ok = run_ingest(package)
    assert ok and "1 created" in output


def test_the_warcs_of_a_wacz_share_one_decompression_limit(tmp_path, monkeypatch):
    monkeypatch.setattr(warc, "EXPANSION_ALLOWANCE", 1_000_000)

    def crawl(n: int) -> bytes:
        body = b"x" * 900_000
        return WarcBuilder().response(f"{GOOD}?{n}", body, content_type="text/plain").bytes()

    package = wacz(tmp_path / "two.wacz", {"one.warc.gz": crawl(1), "two.warc.gz": crawl(2)})
    output, ok = run_ingest(package)
    assert not ok
    assert "1 records (1 response)" in output
    assert "stopped at byte 0: it expands to more than" in output
