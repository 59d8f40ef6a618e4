"""Everything about a capture that needs no database: the bytes read and checked, parsed,
rendered to HTML and analysed. Pure and picklable, so many files can be prepared in a pool
of processes while one process writes the rows."""

from __future__ import annotations

import hashlib
import multiprocessing
from collections import deque
from collections.abc import Collection, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from articles.analysis.catalogue import PersonSpec, RoundSpec, TopicSpec
from articles.analysis.duplicates import bands, fingerprint
from articles.analysis.people import Mention, find_people
from articles.analysis.quotations import Quotation, find_quotations
from articles.analysis.rounds import RoundSuggestion, suggest_rounds
from articles.analysis.topics import find_topics
from articles.ingest import IngestError, ParsedArticle, parse_capture, read_capture
from articles.sanitize import article_html


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


def analyse_text(
    *, title: str, body: str, published: date | None, dateline: str, lists: CuratedLists
) -> TextAnalysis:
    """People, quotations, topics, rounds and fingerprint of an article's title and body."""
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
    )


@dataclass(frozen=True)
class PreparedCapture:
    """A capture ready to store, or the reason it cannot be (`error`)."""

    path: Path
    error: str = ""
    parsed: ParsedArticle | None = None
    raw: str = ""
    sha256: str = ""
    body_html: str = ""
    analysis: TextAnalysis | None = None

    @property
    def origin(self) -> str:
        return self.path.name


def prepare_capture(
    path: Path,
    *,
    max_bytes: int,
    lists: CuratedLists | None,
    stored: Collection[str] = frozenset(),
) -> PreparedCapture:
    """Read, parse, render and analyse one file; a file that cannot be read or parsed
    comes back with the reason rather than raising. A capture whose checksum is `stored`
    will not be stored again, so it is not analysed."""
    try:
        if not path.exists():
            raise IngestError("no such file")
        size = path.stat().st_size
        if size > max_bytes:
            raise IngestError(f"file is {size:,} bytes, over the {max_bytes:,}-byte limit")
        data = path.read_bytes()
        parsed = parse_capture(data, path.name, max_bytes=max_bytes)
        raw, _encoding = read_capture(data, max_bytes=max_bytes)
    except (IngestError, OSError) as error:
        return PreparedCapture(path, error=str(error))
    sha256 = hashlib.sha256(data).hexdigest()
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
    return PreparedCapture(
        path,
        parsed=parsed,
        raw=raw,
        sha256=sha256,
        body_html=article_html(((b.kind, b.text) for b in parsed.blocks), parsed.markup),
        analysis=analysis,
    )


# Files per task sent to a worker: enough to make the round trip cheap, few enough that
# the writer gets its first batch soon.
CHUNK_SIZE = 32
# Chunks in flight per worker: enough to keep the workers busy while a batch is written,
# few enough to bound the prepared captures held in memory.
CHUNKS_AHEAD = 16


def prepare_captures(
    paths: Sequence[Path],
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
    # fork: the children start at once with the modules and compiled patterns loaded.
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(
        workers,
        mp_context=context,
        initializer=_set_up_worker,
        initargs=(max_bytes, lists, frozenset(stored)),
    ) as pool:
        pending: deque[Future[list[PreparedCapture]]] = deque()
        try:
            for start in range(0, len(paths), CHUNK_SIZE):
                pending.append(pool.submit(_prepare_chunk, list(paths[start : start + CHUNK_SIZE])))
                if len(pending) >= workers * CHUNKS_AHEAD:
                    yield from pending.popleft().result()
            while pending:
                yield from pending.popleft().result()
        finally:
            # A writer that stops early must not wait for files it will never store.
            for future in pending:
                future.cancel()


_worker_settings: tuple[int, CuratedLists | None, frozenset[str]] = (0, None, frozenset())


def _set_up_worker(max_bytes: int, lists: CuratedLists | None, stored: frozenset[str]) -> None:
    global _worker_settings
    _worker_settings = (max_bytes, lists, stored)


def _prepare_chunk(paths: list[Path]) -> list[PreparedCapture]:
    max_bytes, lists, stored = _worker_settings
    return [
        prepare_capture(path, max_bytes=max_bytes, lists=lists, stored=stored) for path in paths
    ]
