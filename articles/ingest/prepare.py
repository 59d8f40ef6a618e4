"""Everything about a capture that needs no database: the bytes read and checked, parsed,
rendered to HTML and analysed. Pure and picklable, so many files can be prepared in a pool
of processes while one process writes the rows."""

from __future__ import annotations

import hashlib
import logging
import multiprocessing
import os
import zipfile
import zlib
from collections import deque
from collections.abc import Callable, Collection, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path
from typing import BinaryIO

from articles.analysis.catalogue import PersonSpec, RoundSpec, TopicSpec
from articles.analysis.duplicates import bands, fingerprint
from articles.analysis.people import Mention, find_people
from articles.analysis.quotations import Quotation, find_quotations
from articles.analysis.rounds import RoundSuggestion, suggest_rounds
from articles.analysis.topics import find_topics
from articles.analysis.wording import opening_wording
from articles.ingest import IngestError, ParsedArticle, decode_capture, parse_decoded
from articles.ingest.read import FoundFile, open_regular, read_bounded
from articles.ingest.warc import (
    Decompressed,
    WebArchiveReading,
    canonical_url,
    normal_url,
    page_charset,
    read_warc,
    wacz_warcs,
    with_host_source,
)
from articles.sanitize import article_html

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class CuratedLists:
    """The people, topics and rounds the analysis matches against."""

    people: tuple[PersonSpec, ...]
    topics: tuple[TopicSpec, ...]
    rounds: tuple[RoundSpec, ...]


@dataclass(frozen=True)
class TextAnalysis:
    """What the analysis found in an article's text; `fingerprint` is unsigned."""

    mentions: tuple[Mention, ...]
    quotations: tuple[Quotation, ...]
    topics: tuple[str, ...]
    rounds: tuple[RoundSuggestion, ...]
    fingerprint: int
    bands: tuple[int, ...]
    wording: dict[str, int]  # stem -> count in the opening, for related coverage


def analyse_text(
    *, title: str, body: str, published: date | None, dateline: str, lists: CuratedLists
) -> TextAnalysis:
    """People, quotations, topics, rounds, fingerprint and wording of an article's title
    and body."""
    paragraphs = [block for block in body.split("\n\n") if block.strip()]
    text = "\n\n".join([title, *paragraphs])
    mentions = find_people(text, lists.people)
    value = fingerprint(text)
    return TextAnalysis(
        mentions=tuple(mentions),
        quotations=tuple(find_quotations(paragraphs, lists.people)),
        topics=tuple(find_topics(text, lists.topics)),
        rounds=tuple(
            suggest_rounds(
                published=published,
                dateline=dateline,
                text=text,
                people=[m.slug for m in mentions],
                rounds=lists.rounds,
            )
        ),
        fingerprint=value,
        bands=tuple(bands(value)),
        wording=opening_wording(title, body),
    )


@dataclass(frozen=True)
class PreparedCapture:
    """A capture ready to store, or the reason it cannot be (`error`).

    `origin` is its stable name: the path relative to the folder ingested, or the URL of
    a web-archive record; `location` says where it was read, for reports."""

    path: Path
    error: str = ""
    parsed: ParsedArticle | None = None
    raw: str = ""
    sha256: str = ""
    body_html: str = ""
    analysis: TextAnalysis | None = None
    origin: str = ""
    location: str = ""
    url: str = ""
    canonical_url: str = ""
    captured_at: datetime | None = None
    container: str = "file"
    # A web-archive record that is not stored as it is: a revisit (this names the URL it
    # repeats), or a page that is no article (`error` says why; counted, not a failure).
    revisit_of: str = ""
    revisit_date: datetime | None = None
    not_an_article: bool = False

    def __post_init__(self) -> None:
        if not self.origin:
            object.__setattr__(self, "origin", self.path.name)
        if not self.location:
            # Absolute, so that a file read again from elsewhere is told apart.
            object.__setattr__(self, "location", os.path.abspath(self.path))


def prepare_capture(
    path: Path | FoundFile,
    *,
    max_bytes: int,
    lists: CuratedLists | None,
    stored: Collection[str] = frozenset(),
) -> PreparedCapture:
    """Read, parse, render and analyse one file; a file that cannot be read or parsed
    comes back with the reason rather than raising. A capture whose checksum is `stored`
    will not be stored again, so it is not analysed."""
    found = path if isinstance(path, FoundFile) else FoundFile(path, path.name)
    where = PreparedCapture(found.path, origin=found.origin)
    try:
        data = read_bounded(found.path, max_bytes, within=found.root)
        return prepare_bytes(data, where, max_bytes=max_bytes, lists=lists, stored=stored)
    except IngestError as error:
        return replace(where, error=str(error))
    except Exception as error:
        return failed_unexpectedly(where, error)


def failed_unexpectedly(where: PreparedCapture, error: Exception) -> PreparedCapture:
    """A capture whose reading raised what no check foresaw: the fault is that file's (or
    record's) alone, reported with its reason, and the run goes on."""
    logger.warning("Could not prepare %s", where.location, exc_info=error)
    text = " ".join(str(error).split())[:200]
    reason = type(error).__name__ + (f": {text}" if text else "")
    return replace(where, error=f"could not be read ({reason})", parsed=None, analysis=None)


def prepare_bytes(
    data: bytes,
    where: PreparedCapture,
    *,
    max_bytes: int,
    lists: CuratedLists | None,
    stored: Collection[str] = frozenset(),
    filename: str = "",
    charset: str = "",
) -> PreparedCapture:
    """prepare_capture for bytes already read; `where` gives the origin and provenance,
    `filename` the name that says how to read them (by default the file's own), and
    `charset` the character set a web server declared for them, if any."""
    sha256 = hashlib.sha256(data).hexdigest()  # of the bytes as read, whatever they are in
    try:
        decoded = decode_capture(data, max_bytes=max_bytes, charset=charset)
        parsed = parse_decoded(decoded, data, filename or where.path.name)
    except IngestError as error:
        return replace(where, error=str(error))
    analysis = None
    if lists is not None and sha256 not in stored:
        # A new article's fields are the parsed ones, so this is what it will be analysed as.
        analysis = analyse_text(
            title=parsed.title,
            body=parsed.body,
            published=parsed.published_date,
            dateline=parsed.dateline,
            lists=lists,
        )
    return replace(
        where,
        parsed=parsed,
        raw=decoded.raw,  # as received, even when the text read was repaired
        sha256=sha256,
        body_html=article_html(((b.kind, b.text) for b in parsed.blocks), parsed.markup),
        analysis=analysis,
    )


@dataclass(frozen=True)
class WebPage:
    """A web-archive record to prepare: a page's bytes, or (payload None) a revisit that
    is ready as it is."""

    where: PreparedCapture
    payload: bytes | None = None
    charset: str = ""


def prepare_web_archive(
    found: FoundFile,
    reading: WebArchiveReading,
    *,
    max_bytes: int,
    lists: CuratedLists | None,
    stored: Collection[str] = frozenset(),
    workers: int = 1,
) -> Iterator[PreparedCapture]:
    """The article pages and revisits of a WARC file or WACZ package, prepared in order;
    other records are only counted in `reading`. Records are read here, as a stream, and
    with workers > 1 the pages are parsed and analysed in a pool of processes. A WACZ
    whose package does not check out raises IngestError before any record is read."""
    pages = web_pages(found, reading, max_bytes=max_bytes)
    if workers <= 1:
        prepared = (
            prepare_web_page(page, max_bytes=max_bytes, lists=lists, stored=stored)
            for page in pages
        )
    else:
        prepared = _in_pool(
            _chunks(pages, lambda page: len(page.payload or b"")),
            _prepare_web_chunk,
            workers=workers,
            setup=(max_bytes, lists, frozenset(stored)),
        )
    for capture in prepared:
        if capture.not_an_article:
            reading.skipped["not an article page"] += 1
        yield capture


def web_pages(found: FoundFile, reading: WebArchiveReading, *, max_bytes: int) -> Iterator[WebPage]:
    """The pages and revisits of a web archive, in order, each with its provenance."""
    digests: dict[str, str] = {}  # WARC-Payload-Digest -> checksum of the page's bytes
    for stream, decompressed in open_web_archive(found.path, within=found.root):
        with stream:
            for record in read_warc(
                stream, reading, max_bytes=max_bytes, decompressed=decompressed
            ):
                if record.payload is None and record.kind != "revisit":
                    continue
                where = PreparedCapture(
                    found.path,
                    origin=normal_url(record.url),
                    location=f"{found.path} {record.url}",
                    url=record.url,
                    captured_at=record.captured_at,
                    container="warc",
                )
                if record.kind == "revisit":
                    revisit = replace(
                        where,
                        sha256=digests.get(record.digest, ""),
                        revisit_of=normal_url(record.refers_to_url),
                        revisit_date=record.refers_to_date,
                    )
                    yield WebPage(revisit)
                    continue
                digests[record.digest] = hashlib.sha256(record.payload).hexdigest()
                yield WebPage(where, record.payload, page_charset(record.charset, record.payload))


def prepare_web_page(
    page: WebPage, *, max_bytes: int, lists: CuratedLists | None, stored: Collection[str]
) -> PreparedCapture:
    """A web page read, parsed and analysed, its source recognised from its URL's host."""
    if page.payload is None:
        return page.where
    try:
        return _prepare_web_page(page, max_bytes=max_bytes, lists=lists, stored=stored)
    except Exception as error:
        return failed_unexpectedly(page.where, error)


def _prepare_web_page(
    page: WebPage, *, max_bytes: int, lists: CuratedLists | None, stored: Collection[str]
) -> PreparedCapture:
    where = page.where
    prepared = prepare_bytes(
        page.payload,
        replace(where, canonical_url=canonical_url(page.payload, where.url)),
        max_bytes=max_bytes,
        lists=lists,
        stored=stored,
        filename="page.html",
        charset=page.charset,
    )
    if prepared.parsed is None:
        return replace(prepared, not_an_article=True)
    return replace(prepared, parsed=with_host_source(prepared.parsed, where.url))


def open_web_archive(
    path: Path, *, within: Path | None = None
) -> Iterator[tuple[BinaryIO, Decompressed]]:
    """Streams of the WARC files in a web archive, with what the whole file may still
    give decompressed: the file itself, or each WARC of a WACZ package once the package
    is checked."""
    handle = open_regular(path, within=within)
    decompressed = Decompressed(os.fstat(handle.fileno()).st_size)
    if not path.name.lower().endswith(".wacz"):
        yield handle, decompressed
        return
    with handle:
        try:
            package = zipfile.ZipFile(handle)
        except (zipfile.BadZipFile, OSError):
            raise IngestError("not a valid WACZ: it is not a ZIP package") from None
        with package:
            try:
                names = wacz_warcs(package, decompressed)
            except (zipfile.BadZipFile, OSError, zlib.error) as error:
                raise IngestError(f"not a valid WACZ: {error}") from None
            for name in names:
                yield package.open(name), decompressed


# Files per task sent to a worker: enough to make the round trip cheap, few enough that
# the writer gets its first batch soon.
CHUNK_SIZE = 32
# Chunks in flight per worker: enough to keep the workers busy while a batch is written,
# few enough to bound the prepared captures held in memory; and, whatever their number,
# no more than CHUNK_BYTES in a chunk and IN_FLIGHT_BYTES in all (of captures as read: a
# prepared capture holds about four times its size, in text, blocks and HTML).
CHUNKS_AHEAD = 16
CHUNK_BYTES = 8_000_000
IN_FLIGHT_BYTES = 32_000_000


def prepare_captures(
    paths: Sequence[Path | FoundFile],
    *,
    max_bytes: int,
    lists: CuratedLists | None,
    stored: Collection[str] = frozenset(),
    workers: int = 1,
) -> Iterator[PreparedCapture]:
    """prepare_capture for each path, in order; with workers > 1 in a pool of processes."""
    if workers <= 1:
        for path in paths:
            yield prepare_capture(path, max_bytes=max_bytes, lists=lists, stored=stored)
        return
    yield from _in_pool(
        _chunks(iter(paths), _size_on_disk),
        _prepare_chunk,
        workers=workers,
        setup=(max_bytes, lists, frozenset(stored)),
    )


def _size_on_disk(path: Path | FoundFile) -> int:
    try:
        return (path.path if isinstance(path, FoundFile) else path).stat().st_size
    except OSError:
        return 0  # reading it will say why


def _chunks(items: Iterator, weigh: Callable[[object], int]) -> Iterator[tuple[list, int]]:
    """Chunks of at most CHUNK_SIZE items and (but for one big item) CHUNK_BYTES, each
    with its weight in bytes."""
    chunk, weight = [], 0
    for item in items:
        chunk.append(item)
        weight += weigh(item)
        if len(chunk) >= CHUNK_SIZE or weight >= CHUNK_BYTES:
            yield chunk, weight
            chunk, weight = [], 0
    if chunk:
        yield chunk, weight


def _in_pool(
    chunks: Iterator[tuple[list, int]],
    prepare_chunk: Callable[[list], list[PreparedCapture]],
    *,
    workers: int,
    setup: tuple,
) -> Iterator[PreparedCapture]:
    """prepare_chunk over each chunk in a pool of processes, results in order, with a
    bounded number (and weight) of chunks in flight."""
    # fork: the children start at once with the modules and compiled patterns loaded.
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(
        workers, mp_context=context, initializer=_set_up_worker, initargs=setup
    ) as pool:
        pending: deque[tuple[Future[list[PreparedCapture]], int]] = deque()
        in_flight = 0
        try:
            for chunk, weight in chunks:
                pending.append((pool.submit(prepare_chunk, chunk), weight))
                in_flight += weight
                while pending and (
                    len(pending) >= workers * CHUNKS_AHEAD or in_flight >= IN_FLIGHT_BYTES
                ):
                    future, done = pending.popleft()
                    in_flight -= done
                    yield from future.result()
            while pending:
                yield from pending.popleft()[0].result()
        finally:
            # A writer that stops early must not wait for files it will never store.
            for future, _ in pending:
                future.cancel()


_worker_settings: tuple[int, CuratedLists | None, frozenset[str]] = (0, None, frozenset())


def _set_up_worker(max_bytes: int, lists: CuratedLists | None, stored: frozenset[str]) -> None:
    global _worker_settings
    _worker_settings = (max_bytes, lists, stored)


def _prepare_chunk(paths: list[Path | FoundFile]) -> list[PreparedCapture]:
    max_bytes, lists, stored = _worker_settings
    return [
        prepare_capture(path, max_bytes=max_bytes, lists=lists, stored=stored) for path in paths
    ]


def _prepare_web_chunk(pages: list[WebPage]) -> list[PreparedCapture]:
    max_bytes, lists, stored = _worker_settings
    return [
        prepare_web_page(page, max_bytes=max_bytes, lists=lists, stored=stored) for page in pages
    ]
