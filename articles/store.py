"""Turns parsed captures into rows: idempotent, one transaction per file, and never
overwriting what staff corrected."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils.text import slugify

from articles.ingest import IngestError, ParsedArticle, parse_capture, read_capture
from articles.ingest.signatures import SOURCES
from articles.models import Article, Source
from articles.sanitize import render_blocks
from articles.signals import batched_indexing

logger = logging.getLogger(__name__)

CAPTURE_SUFFIXES = frozenset({".txt", ".text", ".html", ".htm"})

# What the signatures table knows of an outlet, by lower-cased name.
SOURCE_PROFILES = {profile.name.lower(): profile for profile in SOURCES}

# A staff correction of a field settles the review reasons that field raised.
REASONS_SETTLED_BY = {
    "title": {"title_derived"},
    "source": {"source_unknown"},
    "published_date": {"date_unknown", "date_ambiguous", "date_implausible"},
    "published_at": {"date_unknown", "date_ambiguous", "date_implausible"},
}


class DryRunRollback(Exception):
    """Raised inside a file's transaction to undo it in a dry run."""


@dataclass
class FileOutcome:
    path: str
    status: str  # created, updated, unchanged, failed
    message: str = ""
    kept: tuple[str, ...] = ()


@dataclass
class IngestReport:
    outcomes: list[FileOutcome] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(1 for outcome in self.outcomes if outcome.status == status)

    @property
    def failed(self) -> int:
        return self.count("failed")

    def summary(self) -> str:
        return ", ".join(
            f"{self.count(status)} {status}"
            for status in ("created", "updated", "unchanged", "failed")
        )


def find_captures(paths: Iterable[str | Path]) -> Iterator[Path]:
    """Files named directly, and capture files found under folders, in a stable order."""
    for path in map(Path, paths):
        if path.is_dir():
            yield from sorted(
                p
                for p in path.rglob("*")
                if p.is_file()
                and p.suffix.lower() in CAPTURE_SUFFIXES
                and not p.name.startswith(".")
            )
        else:
            yield path


def ingest_paths(paths: Iterable[str | Path], *, dry_run: bool = False) -> IngestReport:
    """Parse and store every capture; a bad file is reported and skipped, the rest load."""
    from articles.enrich import Catalogue

    report = IngestReport()
    max_bytes = settings.ARCHIVE_MAX_CAPTURE_BYTES
    catalogue = Catalogue.from_database()
    with batched_indexing():
        for path in find_captures(paths):
            report.outcomes.append(
                ingest_file(path, max_bytes=max_bytes, dry_run=dry_run, catalogue=catalogue)
            )
    return report


def ingest_file(
    path: Path, *, max_bytes: int, dry_run: bool = False, catalogue=None
) -> FileOutcome:
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
        return FileOutcome(str(path), "failed", str(error))
    try:
        with transaction.atomic():
            status, kept = store_article(
                parsed,
                raw=raw,
                sha256=hashlib.sha256(data).hexdigest(),
                origin=path.name,
                catalogue=catalogue,
            )
            if dry_run:
                raise DryRunRollback
    except DryRunRollback:
        pass
    except Exception as error:  # a database fault on one file must not stop the run
        logger.exception("Could not store %s", path)
        return FileOutcome(str(path), "failed", f"could not be stored: {error}")
    return FileOutcome(str(path), status, kept=kept)


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


def article_values(parsed: ParsedArticle) -> dict:
    """The field values a parsed capture gives an article."""
    return {
        "title": parsed.title,
        "source": get_or_create_source(parsed.source),
        "captured_from": get_or_create_source(parsed.captured_from),
        "captured_from_kind": parsed.captured_from_kind or "",
        "published_date": parsed.published_date,
        "published_at": parsed.published_at,
        "published_tz": parsed.published_tz or "",
        "byline": parsed.byline,
        "dateline": parsed.dateline,
        "body": parsed.body,
        "body_html": render_blocks((b.kind, b.text) for b in parsed.blocks),
        "raw_encoding": parsed.encoding,
        "capture_kind": parsed.kind,
    }


def store_article(
    parsed: ParsedArticle, *, raw: str, sha256: str, origin: str, catalogue=None
) -> tuple[str, tuple[str, ...]]:
    """Create or update the article for a capture; returns (status, fields kept as corrected).

    The same bytes again are "unchanged"; a changed file with the same name updates its
    article, except for fields a person corrected.
    """
    if Article.objects.filter(sha256=sha256).exists():
        return "unchanged", ()
    values = article_values(parsed)
    article = Article.objects.select_for_update().filter(origin=origin).first()
    if article is None:
        reasons = list(parsed.review_reasons)
        article = Article.objects.create(
            **values,
            raw=raw,
            origin=origin,
            sha256=sha256,
            needs_review=bool(reasons),
            review_reasons=reasons,
        )
        _analyse(article, catalogue, fresh=True)
        return "created", ()

    corrected = set(article.corrections.values_list("field", flat=True))
    kept = tuple(sorted(name for name in corrected if name in values))
    settled = set().union(*(REASONS_SETTLED_BY.get(name, set()) for name in corrected))
    reasons = [r for r in parsed.review_reasons if r not in settled]
    for name, value in values.items():
        if name not in corrected:
            setattr(article, name, value)
    article.raw, article.sha256 = raw, sha256
    article.review_reasons = reasons
    article.needs_review = bool(reasons)
    article.save()
    _analyse(article, catalogue)
    return "updated", kept


def _analyse(article: Article, catalogue, *, fresh: bool = False) -> None:
    """People, quotations, topics, rounds and fingerprint, when a catalogue is given."""
    if catalogue is not None:
        from articles.enrich import analyse_article

        analyse_article(article, catalogue, fresh=fresh)
