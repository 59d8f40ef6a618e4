"""Turns prepared captures into rows: idempotent, a transaction per batch of files (a
batch that fails is redone file by file), and never overwriting what staff corrected."""

from __future__ import annotations

import logging
import os
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils.text import slugify

from articles.ingest import IngestError, ParsedArticle
from articles.ingest.prepare import PreparedCapture, prepare_captures, prepare_web_archive
from articles.ingest.read import FoundFile, SkippedFile, find_files
from articles.ingest.signatures import SOURCES
from articles.ingest.warc import WebArchiveReading
from articles.models import Article, Capture, Source
from articles.review import unsettled
from articles.sanitize import article_html
from articles.search.queue import batched_indexing, drain_index_tasks, index_on_commit

if TYPE_CHECKING:
    from articles.enrich import Catalogue

logger = logging.getLogger(__name__)

# What the signatures table knows of an outlet, by lower-cased name.
SOURCE_PROFILES = {profile.name.lower(): profile for profile in SOURCES}


# Files written per transaction (and, whatever their number, no more than BATCH_BYTES of
# capture text held for one), and the fewest files (or the smallest web archive) worth
# starting processes for.
BATCH_SIZE = 500
BATCH_BYTES = 32_000_000
POOL_MIN_FILES = 200
POOL_MIN_WEB_ARCHIVE_BYTES = 1_000_000


class DryRunRollback(Exception):
    """Raised inside a transaction to undo it in a dry run, with what would have happened."""

    def __init__(self, outcomes: list[FileOutcome] | None = None) -> None:
        super().__init__()
        self.outcomes = outcomes or []


@dataclass
class FileOutcome:
    path: str
    # created, updated, unchanged, failed, skipped (found in a folder, not read), or
    # recaptured (the same bytes received again elsewhere or later: a capture row that
    # repeats an earlier one, as a WARC revisit does)
    status: str
    message: str = ""
    kept: tuple[str, ...] = ()
    collided_with: str = ""  # a different file stored under the same origin; both kept


@dataclass
class IngestReport:
    outcomes: list[FileOutcome] = field(default_factory=list)
    # Articles an earlier, interrupted run stored but left out of the search index.
    reindexed: int = 0
    # Each web archive read, with what its records were and where a damaged one stopped.
    archives: list[tuple[str, WebArchiveReading]] = field(default_factory=list)

    @property
    def damaged(self) -> list[str]:
        return [f"{path}: {reading.stopped}" for path, reading in self.archives if reading.stopped]

    def count(self, status: str) -> int:
        return sum(1 for outcome in self.outcomes if outcome.status == status)

    @property
    def failed(self) -> int:
        return self.count("failed")

    def summary(self) -> str:
        counts = ", ".join(
            f"{self.count(status)} {status}"
            for status in ("created", "updated", "unchanged", "failed")
        )
        recaptured = self.count("recaptured")
        if recaptured:
            counts += f"; {recaptured} captured again with the same bytes (recorded)"
        if self.reindexed:
            counts += f"; {self.reindexed} articles missing from the search index indexed again"
        collisions = sum(1 for o in self.outcomes if o.collided_with)
        if collisions:
            counts += f"; {collisions} with the name of another file (both kept)"
        skipped = Counter(o.message for o in self.outcomes if o.status == "skipped")
        if skipped:
            reasons = "; ".join(f"{n} {reason}" for reason, n in sorted(skipped.items()))
            counts += f"; {sum(skipped.values())} skipped ({reasons})"
        return counts


def find_captures(paths: Iterable[str | Path]) -> Iterator[FoundFile]:
    """The files ingest would read under `paths`, in order (what find_files finds)."""
    yield from find_files(paths)[0]


def skipped_outcomes(skipped: Iterable[SkippedFile]) -> list[FileOutcome]:
    """A file named on the command line that cannot be read fails; one found in a folder
    is skipped, and both are reported with the reason."""
    return [FileOutcome(str(s.path), "failed" if s.named else "skipped", s.reason) for s in skipped]


def ingest_paths(
    paths: Iterable[str | Path], *, dry_run: bool = False, workers: int | None = None
) -> IngestReport:
    """Parse and store every capture; a bad file is reported and skipped, the rest load.

    Files are prepared (read, parsed, analysed) in a pool of `workers` processes when
    there are many, and written in batches, a transaction each.
    """
    from articles.enrich import Catalogue
    from articles.search.sync import reindex_unindexed

    report = IngestReport()
    if not dry_run:  # index work an interrupted run committed but never did
        report.reindexed += drain_index_tasks()
    max_bytes = settings.ARCHIVE_MAX_CAPTURE_BYTES
    catalogue = Catalogue.from_database()
    found, skipped = find_files(paths)
    report.outcomes.extend(skipped_outcomes(skipped))
    captures = [f for f in found if f.kind == "capture"]
    if workers is None:
        workers = settings.ARCHIVE_INGEST_WORKERS or os.cpu_count() or 1
    pool_workers = workers
    stored: set[str] = set()
    if len(captures) < POOL_MIN_FILES:
        workers = 1
    if workers > 1 or any(f.kind == "web archive" for f in found):
        # Captures that will be "unchanged" need not be analysed: re-runs are quick.
        stored = set(Capture.objects.values_list("sha256", flat=True))
    prepared = prepare_captures(
        captures, max_bytes=max_bytes, lists=catalogue.lists, stored=stored, workers=workers
    )
    sources = SourceCache()
    unchanged: list[str] = []

    def store(batch: list[PreparedCapture]) -> list[FileOutcome]:
        outcomes = store_batch(batch, catalogue=catalogue, sources=sources, dry_run=dry_run)
        unchanged.extend(
            p.sha256 for p, o in zip(batch, outcomes, strict=True) if o.status == "unchanged"
        )
        return outcomes

    with batched_indexing():
        for batch in _batches(prepared, BATCH_SIZE):
            report.outcomes.extend(store(batch))
        for web_archive in (f for f in found if f.kind == "web archive"):
            big = _size(web_archive.path) >= POOL_MIN_WEB_ARCHIVE_BYTES
            ingest_web_archive(
                web_archive,
                report,
                store=store,
                max_bytes=max_bytes,
                lists=catalogue.lists,
                stored=stored,
                workers=pool_workers if big else 1,
            )
    if unchanged and not dry_run:
        # "Unchanged" must not hide an article the index lacks.
        pks = Article.objects.filter(captures__sha256__in=unchanged).values_list("pk", flat=True)
        report.reindexed += reindex_unindexed(pks)
    return report


def ingest_web_archive(
    web_archive: FoundFile,
    report: IngestReport,
    *,
    store: Callable[[list[PreparedCapture]], list[FileOutcome]],
    **preparing,
) -> None:
    """Store the pages of a WARC or WACZ batch by batch, adding to `report` their outcomes
    and what its records were; a WACZ refused before any record was read fails whole."""
    reading = WebArchiveReading()
    records = prepare_web_archive(web_archive, reading, **preparing)
    try:
        for batch in _batches(records, BATCH_SIZE):
            report.outcomes.extend(store(batch))
    except IngestError as error:
        report.outcomes.append(FileOutcome(str(web_archive.path), "failed", str(error)))
        return
    except Exception as error:  # what no check foresaw fails this file, not the run
        logger.exception("Could not read %s", web_archive.path)
        reason = f"{type(error).__name__}: {' '.join(str(error).split())[:200]}"
        message = f"could not be read ({reason}); {reading.summary()} before that"
        report.outcomes.append(FileOutcome(str(web_archive.path), "failed", message))
        return
    report.archives.append((str(web_archive.path), reading))


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:  # gone since it was found: reading it says so
        return 0


def _batches(items: Iterable[PreparedCapture], size: int) -> Iterator[list[PreparedCapture]]:
    batch, weight = [], 0
    for prepared in items:
        batch.append(prepared)
        weight += len(prepared.raw)
        if len(batch) >= size or weight >= BATCH_BYTES:
            yield batch
            batch, weight = [], 0
    if batch:
        yield batch


def store_prepared(
    prepared: PreparedCapture, *, dry_run: bool = False, catalogue: Catalogue | None = None
) -> FileOutcome:
    """Store one prepared capture in its own transaction; a database fault fails the file."""
    if prepared.parsed is None and not prepared.revisit_of:
        return not_stored(prepared)
    try:
        with transaction.atomic():
            if prepared.revisit_of:
                outcome = resolve_revisit(prepared)
            else:
                outcome = store_article(prepared, catalogue=catalogue)
            if dry_run:
                raise DryRunRollback([outcome])
    except DryRunRollback as rollback:
        return rollback.outcomes[0]
    except Exception as error:  # a database fault on one file must not stop the run
        logger.exception("Could not store %s", prepared.path)
        return FileOutcome(prepared.location, "failed", f"could not be stored: {error}")
    return outcome


def store_batch(
    batch: Sequence[PreparedCapture],
    *,
    catalogue: Catalogue | None,
    sources: SourceCache,
    dry_run: bool = False,
) -> list[FileOutcome]:
    """Store prepared captures in one transaction, new articles by bulk inserts. If the
    batch fails, it is rolled back and stored file by file, so only a bad file is lost."""
    try:
        with transaction.atomic():
            outcomes = _store_together(batch, catalogue=catalogue, sources=sources)
            if dry_run:
                raise DryRunRollback(outcomes)
    except DryRunRollback as rollback:
        sources.clear()  # the sources it created were rolled back too
        return rollback.outcomes
    except Exception as error:
        logger.warning(
            "A batch of %d files failed (%s); storing them one by one", len(batch), error
        )
        sources.clear()
        return [store_prepared(p, dry_run=dry_run, catalogue=catalogue) for p in batch]
    return outcomes


def _store_together(
    batch: Sequence[PreparedCapture], *, catalogue: Catalogue | None, sources: SourceCache
) -> list[FileOutcome]:
    """Outcomes as storing the files one after another would give. New articles wait to
    be inserted together; a file for an existing article (a changed capture, or the same
    bytes captured again) is stored once those before it are in, and then what exists is
    read again."""
    outcomes = []
    waiting: list[PreparedCapture] = []
    shas, keys, events = _existing(batch)
    for prepared in batch:
        path = prepared.location
        if prepared.parsed is None and not prepared.revisit_of:
            outcomes.append(not_stored(prepared))
        elif is_recorded(prepared, events):
            outcomes.append(FileOutcome(path, "unchanged", revisit_message(prepared)))
        elif (
            prepared.revisit_of
            or prepared.sha256 in shas
            or not keys.isdisjoint(identity_keys(prepared))
        ):
            _create_articles(waiting, catalogue=catalogue, sources=sources)
            waiting = []
            if prepared.revisit_of:
                outcomes.append(resolve_revisit(prepared))
            else:
                outcomes.append(store_article(prepared, catalogue=catalogue))
            shas, keys, events = _existing(batch)
        else:
            waiting.append(prepared)
            shas.add(prepared.sha256)
            keys.update(identity_keys(prepared))
            events.add(capture_event(prepared))
            outcomes.append(FileOutcome(path, "created"))
    _create_articles(waiting, catalogue=catalogue, sources=sources)
    return outcomes


def not_stored(prepared: PreparedCapture) -> FileOutcome:
    """The outcome of what is not stored as a capture: a page that is no article is
    skipped, and a bad file fails."""
    status = "skipped" if prepared.not_an_article else "failed"
    message = f"not an article page: {prepared.error}" if prepared.not_an_article else ""
    return FileOutcome(prepared.location, status, message or prepared.error)


def revisit_message(prepared: PreparedCapture) -> str:
    return f"a revisit of {prepared.revisit_of}" if prepared.revisit_of else ""


def resolve_revisit(prepared: PreparedCapture) -> FileOutcome:
    """A revisit record says the page was the same as an earlier capture: it is recorded
    as a capture repeating that one (found by checksum, else by URL and date)."""
    location = prepared.location
    repeated = Capture.objects.filter(repeats=None)
    if prepared.sha256 and repeated.filter(sha256=prepared.sha256).exists():
        repeated = repeated.filter(sha256=prepared.sha256)
    else:
        repeated = repeated.filter(origin=prepared.revisit_of)
        if prepared.revisit_date is not None:
            repeated = repeated.filter(captured_at=prepared.revisit_date)
    original = repeated.latest_first().first()
    if original is None:
        return FileOutcome(location, "skipped", "a revisit of a capture not in the archive")
    if is_recorded(replace(prepared, sha256=original.sha256), _events_of([original.sha256])):
        return FileOutcome(location, "unchanged", revisit_message(prepared))
    store_repeat(replace(prepared, sha256=original.sha256), original)
    when = original.moment.strftime("%Y-%m-%d %H:%M:%S UTC")
    return FileOutcome(location, "recaptured", f"a revisit of {prepared.revisit_of} ({when})")


def capture_event(prepared: PreparedCapture) -> tuple:
    """What tells one capture event from another with the same bytes: the URL and time of
    a web capture, the place a file was read."""
    if prepared.url:
        return ("web", prepared.sha256, prepared.url, prepared.captured_at)
    return ("file", prepared.sha256, prepared.location)


def is_recorded(prepared: PreparedCapture, events: set[tuple]) -> bool:
    """True when this very capture event is stored: the same file read again from the
    same place, or the same web record ingested again. (A file capture stored before
    places were recorded counts as read from anywhere.)"""
    if not prepared.sha256:
        return False
    if capture_event(prepared) in events:
        return True
    return not prepared.url and ("file", prepared.sha256, "") in events


def _events_of(shas: Iterable[str]) -> set[tuple]:
    rows = Capture.objects.filter(sha256__in=list(shas)).values_list(
        "sha256", "url", "captured_at", "path"
    )
    return {
        ("web", sha, url, captured_at) if url else ("file", sha, path)
        for sha, url, captured_at, path in rows
    }


def identity_keys(prepared: PreparedCapture) -> set[str]:
    """What makes a capture the same story as one stored: its origin (the relative path of
    a file, the URL of a web capture) and the canonical URL the page gives."""
    return {key for key in (prepared.origin, prepared.canonical_url) if key}


def _captures_sharing_keys(keys: Iterable[str]):
    keys = list(keys)
    return Capture.objects.filter(Q(origin__in=keys) | Q(canonical_url__in=keys))


def _existing(batch: Sequence[PreparedCapture]) -> tuple[set[str], set[str], set[tuple]]:
    """The checksums the batch's captures already have, which of their identity keys
    stored captures already hold, and the capture events stored with those checksums."""
    ready = [p for p in batch if p.parsed is not None]
    keys = set().union(*(identity_keys(p) for p in ready))
    events = _events_of(p.sha256 for p in batch if p.sha256)
    known = _captures_sharing_keys(keys).values_list("origin", "canonical_url")
    return (
        {event[1] for event in events},
        {key for pair in known for key in pair if key in keys},
        events,
    )


def _create_articles(
    captures: Sequence[PreparedCapture], *, catalogue: Catalogue | None, sources: SourceCache
) -> None:
    """Insert new articles and what their analysis found, a few queries in all; the index
    learns of them on commit (bulk inserts send no signals)."""
    from articles.enrich import analyse_article, save_findings, set_fingerprint_and_wording

    if not captures:
        return
    articles = []
    for prepared in captures:
        parsed = prepared.parsed
        reasons = list(parsed.review_reasons)
        article = Article(
            **article_values(parsed, body_html=prepared.body_html, find_source=sources.get),
            needs_review=bool(reasons),
            review_reasons=reasons,
        )
        article.set_slug()
        if catalogue is not None and prepared.analysis is not None:
            set_fingerprint_and_wording(article, prepared.analysis)
        articles.append(article)
    Article.objects.bulk_create(articles)
    Capture.objects.bulk_create(
        capture_row(prepared, article) for article, prepared in zip(articles, captures, strict=True)
    )
    if catalogue is not None:
        save_findings(
            ((a, p.analysis) for a, p in zip(articles, captures, strict=True) if p.analysis),
            catalogue,
        )
        # Not analysed in advance: its checksum was stored when the run began, and that
        # article has gone since.
        for article, prepared in zip(articles, captures, strict=True):
            if prepared.analysis is None:
                analyse_article(article, catalogue, fresh=True)
    index_on_commit(article.pk for article in articles)


class SourceCache:
    """get_or_create_source remembered for a run, so each name costs one query at most."""

    def __init__(self) -> None:
        self._sources: dict[str, Source | None] = {}

    def get(self, name: str | None) -> Source | None:
        if name not in self._sources:
            self._sources[name] = get_or_create_source(name)
        return self._sources[name]

    def clear(self) -> None:
        self._sources.clear()


def get_or_create_source(name: str | None) -> Source | None:
    """The Source row for a name, created from the signatures table's profile if new."""
    if not name:
        return None
    source = Source.objects.filter(name__iexact=name).first()
    if source:
        return source
    profile = SOURCE_PROFILES.get(name.lower())
    return Source.objects.create(
        name=name,
        slug=_unique_slug(profile.slug if profile else slugify(name)),
        kind=profile.kind if profile else Source.Kind.UNKNOWN,
        homepage=profile.homepage if profile else "",
    )


def _unique_slug(base: str) -> str:
    slug, n = base or "source", 2
    while Source.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def article_values(
    parsed: ParsedArticle,
    *,
    body_html: str | None = None,
    find_source: Callable[[str | None], Source | None] = get_or_create_source,
) -> dict:
    """The field values a parsed capture gives an article."""
    return {
        "title": parsed.title,
        "source": find_source(parsed.source),
        "captured_from": find_source(parsed.captured_from),
        "captured_from_kind": parsed.captured_from_kind or "",
        "published_date": parsed.published_date,
        "published_at": parsed.published_at,
        "published_tz": parsed.published_tz or "",
        "byline": parsed.byline,
        "dateline": parsed.dateline,
        "body": parsed.body,
        "body_html": article_html(((b.kind, b.text) for b in parsed.blocks), parsed.markup)
        if body_html is None
        else body_html,
        "other_text": parsed.other_text,
        **evidence_values(parsed),
    }


def evidence_values(parsed: ParsedArticle) -> dict:
    """The evidence fields of an article: each field's evidence, and the weakest confidence."""
    records = [
        {"field": found.field, "evidence": found.evidence, "confidence": found.confidence}
        for found in parsed.evidence
    ]
    return {
        "field_evidence": records,
        "weakest_confidence": min((r["confidence"] for r in records), default=None),
    }


def capture_row(prepared: PreparedCapture, article: Article) -> Capture:
    """The Capture row for a prepared capture: the bytes as read and where they came from."""
    parsed = prepared.parsed
    return Capture(
        article=article,
        origin=prepared.origin,
        path=prepared.location,
        url=prepared.url,
        canonical_url=prepared.canonical_url,
        captured_at=prepared.captured_at,
        container=prepared.container,
        kind=parsed.kind,
        encoding=parsed.encoding,
        sha256=prepared.sha256,
        raw=prepared.raw,
        title=parsed.title,
        body=parsed.body,
    )


def find_article_for(prepared: PreparedCapture) -> tuple[Article | None, str]:
    """The article a capture is a new reading of, or None; and, when a different file was
    stored under the same origin, where that file was read (the two are kept apart).

    A web capture is the same story as any capture of its URL or canonical URL. A file is
    the same article only where the file with its origin was read from the same place
    (or from a place not recorded, as with captures stored before places were).
    """
    matches = list(
        _captures_sharing_keys(identity_keys(prepared))
        .select_related("article")
        .only("path", "url", "article")
        .order_by("-id")
    )
    if not matches:
        return None, ""
    if prepared.url:
        return matches[0].article, ""
    for capture in matches:
        if capture.path in ("", prepared.location):
            return capture.article, ""
    return None, matches[0].path


def store_article(prepared: PreparedCapture, *, catalogue: Catalogue | None = None) -> FileOutcome:
    """Store a capture as a new article or as a new reading of its article.

    The same bytes again are "unchanged". A new capture of a stored story is kept beside
    the earlier ones; when it is the latest, the article shows what it reads, except for
    fields a person corrected. A different file under another's origin is a new article,
    reported with both paths.
    """
    parsed, location = prepared.parsed, prepared.location
    original = Capture.objects.filter(sha256=prepared.sha256, repeats=None).first()
    if original is not None:
        if is_recorded(prepared, _events_of([prepared.sha256])):
            return FileOutcome(location, "unchanged")
        store_repeat(prepared, original)
        return FileOutcome(location, "recaptured", f"the same bytes as {original.origin}")
    article, collided_with = find_article_for(prepared)
    if article is None:
        reasons = list(parsed.review_reasons)
        article = Article.objects.create(
            **article_values(parsed),
            needs_review=bool(reasons),
            review_reasons=reasons,
        )
        capture_row(prepared, article).save()
        _analyse(article, catalogue, fresh=True)
        message = f"a different file, {collided_with}, has the same name" if collided_with else ""
        return FileOutcome(location, "created", message, collided_with=collided_with)

    article = Article.objects.select_for_update().get(pk=article.pk)
    capture = capture_row(prepared, article)
    capture.save()
    changed = record_changes(article)
    if article.captures.latest_first().values_list("pk", flat=True).first() != capture.pk:
        # An earlier capture read late: kept, but the article still shows the latest.
        if changed:
            article.save(update_fields=["changed", "updated_at"])
        return FileOutcome(location, "updated", "an earlier capture; the article shows a later one")
    values = article_values(parsed)
    corrected = set(article.corrections.values_list("field", flat=True))
    kept = tuple(sorted(name for name in corrected if name in values))
    reasons = unsettled(parsed.review_reasons, corrected)
    for name, value in values.items():
        if name not in corrected:
            setattr(article, name, value)
    article.set_evidence(values["field_evidence"], corrected)
    article.review_reasons = reasons
    article.needs_review = bool(reasons)
    article.save()
    _analyse(article, catalogue)
    return FileOutcome(location, "updated", kept=kept)


def store_repeat(prepared: PreparedCapture, original: Capture) -> Capture:
    """Record the same bytes captured again (at another URL, time or place) as a capture
    of the original's article that repeats it: its bytes are kept once, on the original."""
    article = Article.objects.select_for_update().get(pk=original.article_id)
    capture = Capture.objects.create(
        article=article,
        origin=prepared.origin,
        path=prepared.location,
        url=prepared.url,
        canonical_url=prepared.canonical_url or original.canonical_url,
        captured_at=prepared.captured_at,
        container=prepared.container,
        kind=original.kind,
        encoding=original.encoding,
        sha256=original.sha256,
        repeats=original,
        raw="",
        title=original.title,
        body=original.body,
    )
    if record_changes(article):
        article.save(update_fields=["changed", "updated_at"])
    return capture


def record_changes(article: Article) -> bool:
    """Note on each capture what differs from the one before it, and on the article
    whether anything ever did; True when the article's flag changed."""
    previous = None
    any_change = False
    for capture in article.captures.in_order().only("title", "body", "changes"):
        changes = what_changed(previous, capture) if previous is not None else []
        if changes != capture.changes:
            capture.changes = changes
            capture.save(update_fields=["changes"])
        any_change = any_change or bool(changes)
        previous = capture
    flag_changed = article.changed != any_change
    article.changed = any_change
    return flag_changed


def what_changed(before: Capture, after: Capture) -> list[str]:
    """ "headline" and "text", for whichever differ between two readings (spacing aside)."""
    changes = []
    if " ".join(before.title.split()) != " ".join(after.title.split()):
        changes.append("headline")
    if before.body.split() != after.body.split():
        changes.append("text")
    return changes


def _analyse(article: Article, catalogue, *, fresh: bool = False) -> None:
    """People, quotations, topics, rounds and fingerprint, when a catalogue is given."""
    if catalogue is not None:
        from articles.enrich import analyse_article

        analyse_article(article, catalogue, fresh=fresh)
