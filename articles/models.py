"""Sources, articles and the corrections staff make to them."""

from __future__ import annotations

import codecs
import hashlib
import ipaddress
from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta
from pathlib import PurePath
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.db import connection, models, transaction
from django.db.models.functions import Coalesce, ExtractMonth, ExtractYear, Greatest, Least
from django.urls import reverse
from django.utils.text import slugify

from articles.ingest.read import web_codec
from articles.ingest.signatures import REVIEW_REASONS


class SourceQuerySet(models.QuerySet):
    def with_coverage(self) -> SourceQuerySet:
        """Each source with its article counts (from the tallies) and the dates its
        coverage spans.

        Subqueries rather than joins: joining both relations would multiply the rows.
        The span covers articles credited to it and those captured from its site.
        """
        credited = Article.objects.filter(source=models.OuterRef("pk"))
        captured = Article.objects.filter(captured_from=models.OuterRef("pk"))
        # Each end of the span from each relation's own date index, then the earlier
        # (later) of the two: one subquery over "credited or captured" reads every row.
        ends = {
            f"{end}_{relation}": _date_end(rows, descending=end == "last")
            for end in ("first", "last")
            for relation, rows in (("credited", credited), ("captured", captured))
        }
        tallies = ArticleTally.objects
        return self.annotate(
            article_count=tallies.credited_to(models.OuterRef("pk")),
            capture_count=tallies.captured_elsewhere(models.OuterRef("pk")),
            **ends,
            first_date=Least(
                Coalesce("first_credited", "first_captured"),
                Coalesce("first_captured", "first_credited"),
            ),
            last_date=Greatest(
                Coalesce("last_credited", "last_captured"),
                Coalesce("last_captured", "last_credited"),
            ),
        )

    def in_use(self) -> SourceQuerySet:
        """Sources some article is credited to or captured from."""
        return self.filter(
            models.Exists(Article.objects.filter(source=models.OuterRef("pk")))
            | models.Exists(Article.objects.filter(captured_from=models.OuterRef("pk")))
        )


def _date_end(rows: models.QuerySet, *, descending: bool) -> models.Expression:
    days = rows.filter(published_date__isnull=False).values("published_date")
    return models.Subquery(days.order_by("-published_date" if descending else "published_date")[:1])


def _per_group(rows: models.QuerySet, group: str, total: models.Aggregate) -> models.Expression:
    """`total` over the rows of each `group`, as a subquery of the outer row (0 for none)."""
    totals = rows.order_by().values(group).annotate(n=total).values("n")
    return Coalesce(models.Subquery(totals, output_field=models.IntegerField()), 0)


def _count_of(rows: models.QuerySet, group: str) -> models.Expression:
    """The rows of each `group`, counted by the grouped column itself: its index alone
    holds it, so PostgreSQL counts with an index-only scan, where counting ids reads every
    row from the table (SQLite's indexes hold the id, so it counts either way)."""
    return _per_group(rows, group, models.Count(group))


UNKNOWN_SOURCE = "Unknown source"
# Beyond this many years between the first and last dates, listing years scans instead.
MAX_YEARS_LOOKED_UP = 300
# Links held by at least one article in this many are "common": see linked_by().
DENSE_LINKS_SHARE = 50


class Source(models.Model):
    """A news organisation or website that articles are credited to or captured from."""

    class Kind(models.TextChoices):
        AGENCY = "agency", "News agency"
        BROADCASTER = "broadcaster", "Broadcaster"
        NEWSPAPER = "newspaper", "Newspaper"
        AGGREGATOR = "aggregator", "Aggregator"
        BLOG = "blog", "Blog"
        WEBSITE = "website", "Website"
        UNKNOWN = "unknown", "Unknown"

    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=200, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.UNKNOWN)
    homepage = models.URLField(blank=True)
    description = models.TextField(blank=True)

    objects = SourceQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("articles:source", args=[self.slug])


class ArticleQuerySet(models.QuerySet):
    def published(self) -> ArticleQuerySet:
        """What the public sees, with the related rows every listing shows."""
        return self.select_related("source", "captured_from")

    def needs_review(self) -> ArticleQuerySet:
        return self.filter(needs_review=True)

    def chronological(self) -> ArticleQuerySet:
        return self.order_by(
            models.F("published_date").asc(nulls_last=True),
            models.F("published_at").asc(nulls_last=True),
            "id",
        )

    def newest_first(self) -> ArticleQuerySet:
        """The list's order: an index of its own on PostgreSQL (migration 0020), the date
        index read backwards on SQLite, so a page stops after its rows."""
        return self.order_by(
            models.F("published_date").desc(nulls_last=True),
            models.F("published_at").desc(nulls_last=True),
            "-id",
        )

    def linked_by(self, links: models.QuerySet, count: int) -> ArticleQuerySet:
        """Articles with a row among `links` (a link table narrowed to one person, topic...),
        `count` of them, planned for how common they are.

        Where they are common, walking the date index and checking each article's link
        finds a page at once; where rare, reading them from the link table's index and
        sorting the few found is quicker than walking past thousands of others.
        """
        if count * DENSE_LINKS_SHARE >= self.model.objects.order_by().count():
            return self.filter(models.Exists(links.filter(article=models.OuterRef("pk"))))
        return self.filter(pk__in=links.values("article"))

    def latest_additions(self) -> ArticleQuerySet:
        """Newest additions first. Ids only grow, so the primary key gives this order at
        once; ingested_at has no index, and ordering by it sorts every article."""
        return self.order_by("-pk")

    # -- Browsing ------------------------------------------------------------------------

    def undated(self) -> ArticleQuerySet:
        return self.filter(published_date__isnull=True)

    def from_source(self, source: Source) -> ArticleQuerySet:
        """Articles credited to a source or captured from its site."""
        return self.filter(models.Q(source=source) | models.Q(captured_from=source))

    def around(self, day: date, days: int = 3) -> ArticleQuerySet:
        """Articles published within `days` either side of a day."""
        return self.filter(
            published_date__range=(day - timedelta(days=days), day + timedelta(days=days))
        )

    def without_texts(self) -> ArticleQuerySet:
        """Leaves out the clean text, its HTML and its counted wording: lists and links
        never show them, and they make up most of a row."""
        return self.defer("body", "body_html", "wording")

    def for_links(self) -> ArticleQuerySet:
        """Only what a link to an article shows: its title, source and date."""
        return self.select_related("source").only(
            "title", "slug", "published_date", "source__name", "source__slug"
        )

    def after(self, article: Article) -> ArticleQuerySet:
        """Articles that come after this one in date order (the order of chronological())."""
        if article.published_date is None:
            return self.none()
        same_day = models.Q(published_date=article.published_date)
        if article.published_at is None:
            same_day &= models.Q(published_at__isnull=True, id__gt=article.pk)
        else:
            same_day &= (
                models.Q(published_at__gt=article.published_at)
                | models.Q(published_at=article.published_at, id__gt=article.pk)
                | models.Q(published_at__isnull=True)
            )
        # The redundant lower bound lets the date index start at this day, and with no
        # undated rows left a plain ascending date needs no sort: the first row is a look-up.
        return self.filter(
            models.Q(published_date__gt=article.published_date) | same_day,
            published_date__gte=article.published_date,
        ).order_by(
            "published_date",
            models.F("published_at").asc(nulls_last=True),
            "id",
        )

    def before(self, article: Article) -> ArticleQuerySet:
        """Articles that come before this one in date order, nearest first."""
        if article.published_date is None:
            return self.none()
        same_day = models.Q(published_date=article.published_date)
        if article.published_at is None:
            same_day &= models.Q(published_at__isnull=False) | models.Q(
                published_at__isnull=True, id__lt=article.pk
            )
        else:
            same_day &= models.Q(published_at__lt=article.published_at) | models.Q(
                published_at=article.published_at, id__lt=article.pk
            )
        # The exact reverse of chronological(): untimed articles end a day, so they come first.
        # The upper bound lets the date index serve it, as in after().
        return self.filter(
            models.Q(published_date__lt=article.published_date) | same_day,
            published_date__lte=article.published_date,
        ).order_by(
            models.F("published_date").desc(),
            models.F("published_at").desc(nulls_first=True),
            "-id",
        )

    def date_span(self) -> tuple[date, date] | None:
        """The first and last publication dates; None when nothing is dated."""
        dated = self.filter(published_date__isnull=False).order_by()
        days = dated.values("published_date")
        # Two subqueries rather than Min and Max together, which SQLite answers with a scan;
        # the outer row comes from the date index too (.first() would order by id: a scan).
        span = (
            dated.order_by("published_date")
            .values(
                first=models.Subquery(days.order_by("published_date")[:1]),
                last=models.Subquery(days.order_by("-published_date")[:1]),
            )
            .first()
        )
        return (span["first"], span["last"]) if span else None

    def coverage_years(self, span: tuple[date, date] | None = None) -> list[date]:
        """The first day of each year with dated articles, newest first, as .dates() gives.

        One index look-up per year of the span (date_span(), unless given): .dates() would
        truncate every row's date.
        """
        span = span or self.date_span()
        if span is None:
            return []
        years = range(span[1].year, span[0].year - 1, -1)
        if len(years) > MAX_YEARS_LOOKED_UP:  # dates gone wrong; not worth a look-up each
            return list(self.dates("published_date", "year", order="DESC"))
        dated = self.filter(published_date__isnull=False).order_by()
        found = dated.values(
            **{f"y{year}": models.Exists(dated.filter(published_date__year=year)) for year in years}
        ).first()
        return [date(year, 1, 1) for year in years if found[f"y{year}"]]


# Which evidence record a correctable field settles when staff correct it.
EVIDENCE_FIELDS = {
    "title": "title",
    "published_date": "published",
    "published_at": "published",
    "byline": "byline",
    "source": "source",
}


class Article(models.Model):
    """One captured news article: its clean text, its metadata and the raw capture as read."""

    # Fields staff may correct; a correction is never overwritten by a later ingest.
    CORRECTABLE_FIELDS = (
        "title",
        "source",
        "captured_from",
        "published_date",
        "published_at",
        "byline",
        "dateline",
    )

    title = models.CharField(max_length=300)
    slug = models.SlugField(max_length=100, blank=True)
    source = models.ForeignKey(
        Source,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="articles",
        help_text="The outlet the article is credited to.",
    )
    captured_from = models.ForeignKey(
        Source,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="captures",
        help_text="The site the capture was taken from, when it differs or is known.",
    )
    captured_from_kind = models.CharField(
        max_length=20,
        blank=True,
        help_text="What kind of site it came from, when only that is known.",
    )
    published_date = models.DateField(null=True, blank=True, db_index=True)
    published_at = models.DateTimeField(
        null=True, blank=True, help_text="Publication time in UTC, where the capture gives one."
    )
    published_tz = models.CharField(
        max_length=64, blank=True, help_text="Time zone the capture gave the time in."
    )
    byline = models.CharField(max_length=300, blank=True)
    dateline = models.CharField(max_length=200, blank=True)
    body = models.TextField(help_text="Clean text, blocks separated by blank lines.")
    body_html = models.TextField(help_text="Sanitised HTML of the clean text.")
    other_text = models.TextField(
        blank=True,
        default="",
        help_text="What the capture holds outside the title and body (menus, captions, "
        "paragraphs the extraction left out): searched, weighted below the body.",
    )
    changed = models.BooleanField(
        default=False, db_index=True, help_text="Its text differs between captures."
    )
    needs_review = models.BooleanField(default=False, db_index=True)
    review_reasons = models.JSONField(default=list, blank=True)
    field_evidence = models.JSONField(
        default=list,
        blank=True,
        help_text="How the ingester found each field and how far to trust it: "
        "[{field, evidence, confidence}].",
    )
    weakest_confidence = models.FloatField(
        null=True,
        blank=True,
        db_index=True,
        help_text="The lowest confidence among its fields: the review queue shows these first.",
    )
    ingested_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    # SimHash of the text and its four 16-bit bands, to find republished copies quickly.
    fingerprint = models.BigIntegerField(null=True, blank=True)
    fp_band0 = models.IntegerField(null=True, blank=True)
    fp_band1 = models.IntegerField(null=True, blank=True)
    fp_band2 = models.IntegerField(null=True, blank=True)
    fp_band3 = models.IntegerField(null=True, blank=True)
    # Kept by the analysis so an article page weighs related coverage without the texts.
    wording = models.JSONField(
        default=dict,
        blank=True,
        help_text="Each stem of the title and the opening of the text, with its count.",
    )

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published_date", "-id"]
        indexes = [
            models.Index(fields=["source", "published_date"]),
            # A site's captures: counted (those credited elsewhere) and spanned from the index.
            models.Index(
                fields=["captured_from", "published_date", "source"], name="article_capture_site"
            ),
            # Date order (id breaking ties): lists page through it, previous/next seek in it.
            models.Index(
                fields=["published_date", "published_at", "id"], name="article_date_order"
            ),
            # The undated list's order (by title), holding the undated articles alone.
            models.Index(
                fields=["title", "id"],
                condition=models.Q(published_date__isnull=True),
                name="article_undated_order",
            ),
            # Order of addition: the latest-additions feed reads its first rows, and a
            # source's feed those of its articles and of its site's captures.
            models.Index(fields=["ingested_at", "id"], name="article_ingested_order"),
            models.Index(fields=["source", "ingested_at", "id"], name="article_source_added"),
            models.Index(fields=["captured_from", "ingested_at", "id"], name="article_site_added"),
            # Copies are found by a band and confirmed by the whole fingerprint: each band's
            # index holds the fingerprint too, so no article row is read (an article page's
            # first view looked up its candidates' copies in 130 ms at 100k, now in 1).
            *(
                models.Index(fields=[f"fp_band{n}", "fingerprint"], name=f"article_fp_band{n}")
                for n in range(4)
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        self.set_slug()
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("articles:detail", args=[self.pk, self.slug or "article"])

    def set_slug(self) -> None:
        """The words of the URL, from the title; the id in the URL is what identifies it.
        Bulk inserts skip save(), so they call this themselves."""
        self.slug = slugify(self.title)[:100] or "article"

    def set_evidence(self, found: Iterable[dict], corrected: Iterable[str] = ()) -> None:
        """Keep how each field was found; a field staff corrected is certain from then on."""
        settled = {EVIDENCE_FIELDS[name] for name in corrected if name in EVIDENCE_FIELDS}
        records = [record for record in found if record["field"] not in settled]
        records += [
            {"field": field, "evidence": "corrected by staff", "confidence": 1.0}
            for field in sorted(settled)
        ]
        self.field_evidence = records
        self.weakest_confidence = min((record["confidence"] for record in records), default=None)

    @property
    def review_labels(self) -> list[str]:
        return [REVIEW_REASONS.get(code, code) for code in self.review_reasons]

    @property
    def sort_datetime(self) -> datetime | None:
        """The moment used to order articles: the time where known, else the day's start."""
        if self.published_at:
            return self.published_at
        if self.published_date:
            return datetime.combine(self.published_date, time.min, tzinfo=UTC)
        return None

    @property
    def credited_name(self) -> str:
        return self.source.name if self.source else UNKNOWN_SOURCE

    @property
    def published_local(self) -> datetime | None:
        """The publication time in the zone the capture gave it in (UTC when unknown)."""
        if self.published_at is None:
            return None
        try:
            zone = ZoneInfo(self.published_tz) if self.published_tz else UTC
        except (ZoneInfoNotFoundError, ValueError):
            zone = UTC
        return self.published_at.astimezone(zone)

    @property
    def published_in_utc(self) -> bool:
        local = self.published_local
        return local is not None and local.utcoffset().total_seconds() == 0

    @property
    def captured_via(self) -> str:
        """Where the capture came from, for "RIA Novosti, via GlobalSecurity.org"; or ""."""
        if self.captured_from_id:
            return self.captured_from.name if self.captured_from_id != self.source_id else ""
        if self.captured_from_kind:
            label = dict(Source.Kind.choices).get(self.captured_from_kind, self.captured_from_kind)
            label = label.lower()
            return f"{'an' if label[:1] in 'aeiou' else 'a'} {label}"
        return ""


class ArticleTallyQuerySet(models.QuerySet):
    """Counts read from the tallies: a few rows a source and month, never every article."""

    def coverage(self) -> dict:
        """How many articles, how many undated, and the first and last publication dates
        (those from the date index: two look-ups)."""
        totals = self.aggregate(
            count=Coalesce(models.Sum("articles"), 0),
            undated=Coalesce(models.Sum("articles", filter=models.Q(month=UNDATED)), 0),
        )
        span = Article.objects.date_span()
        return totals | {
            "first_date": span[0] if span else None,
            "last_date": span[1] if span else None,
        }

    def total(self) -> int:
        return self.aggregate(n=Coalesce(models.Sum("articles"), 0))["n"]

    def undated(self) -> int:
        return self.filter(month=UNDATED).total()

    def monthly_counts(self) -> list[tuple[date, int]]:
        """Articles per month from the first dated month to the last, empty months included."""
        months = (
            self.exclude(month=UNDATED)
            .order_by()
            .values_list("month")
            .annotate(n=models.Sum("articles"))
            .filter(n__gt=0)
        )
        counts = {date(month // 100, month % 100, 1): n for month, n in months}
        if not counts:
            return []
        month, last = min(counts), max(counts)
        series = []
        while month <= last:
            series.append((month, counts.get(month, 0)))
            month = date(month.year + month.month // 12, month.month % 12 + 1, 1)
        return series

    def credited_to(self, source: models.Expression) -> models.Expression:
        """The articles credited to `source` (an outer reference to a source's id)."""
        return _per_group(self.filter(source=source), "source", models.Sum("articles"))

    def captured_elsewhere(self, source: models.Expression) -> models.Expression:
        """The articles captured from `source`'s site but credited to another source or none."""
        rows = self.filter(site=source).exclude(source=source)
        return _per_group(rows, "site", models.Sum("articles"))

    def counted(self) -> dict[tuple[int, int, int], int]:
        """The tallies as the articles give them now (source, site, month: articles); this
        reads every article."""
        month = ExtractYear("published_date") * 100 + ExtractMonth("published_date")
        rows = (
            Article.objects.order_by()
            .values_list(
                Coalesce("source_id", 0), Coalesce("captured_from_id", 0), Coalesce(month, UNDATED)
            )
            .annotate(n=models.Count("pk"))
        )
        return {(source, site, month): n for source, site, month, n in rows}

    def stored(self) -> dict[tuple[int, int, int], int]:
        rows = self.filter(articles__gt=0).values_list("source", "site", "month", "articles")
        return {(source, site, month): n for source, site, month, n in rows}

    def drift(self) -> dict[tuple[int, int, int], tuple[int, int]]:
        """Each (source, site, month) whose tally differs from its articles: (kept, counted)."""
        stored, counted = self.stored(), self.counted()
        return {
            key: (stored.get(key, 0), counted.get(key, 0))
            for key in stored.keys() | counted.keys()
            if stored.get(key, 0) != counted.get(key, 0)
        }

    def rebuild(self) -> int:
        """Counts every article again into fresh tallies; returns how many were counted.
        On PostgreSQL the articles are locked against writes meanwhile, so none is missed."""
        with transaction.atomic():
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    table = connection.ops.quote_name(Article._meta.db_table)
                    cursor.execute(f"LOCK TABLE {table} IN SHARE MODE")
            counted = self.counted()
            self.model.objects.all().delete()
            self.model.objects.bulk_create(
                self.model(source=source, site=site, month=month, articles=n)
                for (source, site, month), n in counted.items()
            )
        return sum(counted.values())


# The tallies' month of an undated article; a month is held as year * 100 + month.
UNDATED = 0


class ArticleTally(models.Model):
    """How many articles each credited source, capture site and month holds, kept by the
    database itself: triggers on the article table (migration 0021) count every insert,
    delete and change of source, site or date, bulk ones and staff edits alike, so the home
    page, the timeline and the sources read a few thousand rows instead of every article.
    `manage.py recount_articles` rebuilds them (after a restore that bypassed triggers) and
    `--check` compares them with the articles. A migration that remakes the article table
    on SQLite (a copy, then a drop) drops its triggers: it must create them again."""

    source = models.BigIntegerField(help_text="The credited source's id, 0 for none.")
    site = models.BigIntegerField(help_text="The id of the source captured from, 0 for none.")
    month = models.IntegerField(help_text="Year * 100 + month of publication, 0 when undated.")
    articles = models.IntegerField(default=0)

    objects = ArticleTallyQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["source", "site", "month"], name="article_tally_key")
        ]
        indexes = [models.Index(fields=["site", "source"], name="article_tally_site")]

    def __str__(self) -> str:
        return f"{self.source}/{self.site}/{self.month}: {self.articles}"


class KeptRelated(models.Model):
    """An article's related coverage as `relate_articles` last ranked it, read by its page
    instead of ranking it again (articles/kept_related.py). Dropped in the transaction that
    changes the article; a change to another article is weighed against it by the next run."""

    article = models.OneToOneField(
        Article, primary_key=True, on_delete=models.CASCADE, related_name="kept_related"
    )
    rows = models.JSONField(help_text="[id, same event?, [its copies' ids]] in listed order.")
    bar = models.JSONField(
        null=True,
        help_text="How related its last row is (the ranking's order); an article changed "
        "later that ranks above it enters the list. None: the list is short.",
    )
    ranked_at = models.DateTimeField(
        help_text="When the ranking started: changes queued later are not in it."
    )

    class Meta:
        verbose_name = "kept related coverage"
        verbose_name_plural = "kept related coverage"

    def __str__(self) -> str:
        return f"related coverage of article {self.article_id}"


class RelateTask(models.Model):
    """An article changed (added, corrected, analysed again) since the kept related lists
    were ranked: written with its index work, deleted once `relate_articles` has weighed
    it against the lists it may now belong in."""

    article_id = models.BigIntegerField()
    queued_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"relate article {self.article_id}"


def web_link(url: str) -> str:
    """The URL if a page may link to it (http or https, to a host), else "": a WARC names
    its target URI freely, and a javascript: or data: "capture URL" must never be a link."""
    if not url or any(char.isspace() or ord(char) < 32 or ord(char) == 127 for char in url):
        return ""
    try:
        parts = urlsplit(url)
    except ValueError:
        return ""
    return url if parts.scheme.lower() in ("http", "https") and parts.hostname else ""


class CaptureQuerySet(models.QuerySet):
    def latest_first(self) -> CaptureQuerySet:
        """Latest reading first: by capture time (a file has none, so it comes before
        web captures), then by the order they were read."""
        return self.order_by(models.F("captured_at").desc(nulls_last=True), "-id")

    def in_order(self) -> CaptureQuerySet:
        return self.order_by(models.F("captured_at").asc(nulls_first=True), "id")


class Capture(models.Model):
    """One reading of an article: the capture exactly as read, with where and when it was
    taken. An article has one or more; the latest is the one it shows."""

    class Container(models.TextChoices):
        FILE = "file", "File"
        WARC = "warc", "WARC record"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="captures")
    origin = models.CharField(
        max_length=2000,
        db_index=True,
        help_text="Its stable name: the path relative to the folder ingested, or its URL.",
    )
    path = models.CharField(max_length=2000, blank=True, help_text="Where it was read from.")
    url = models.URLField(max_length=2000, blank=True, help_text="The URL it was captured from.")
    canonical_url = models.URLField(max_length=2000, blank=True, db_index=True)
    captured_at = models.DateTimeField(
        null=True, blank=True, help_text="When it was captured (WARC-Date), where known."
    )
    container = models.CharField(max_length=10, choices=Container.choices, default="file")
    kind = models.CharField(max_length=10, default="text", help_text="text or html")
    encoding = models.CharField(max_length=20, default="utf-8")
    sha256 = models.CharField(max_length=64, db_index=True, help_text="Of the bytes as read.")
    repeats = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="repeated_by",
        help_text="The earlier capture whose bytes this one received again (kept there, once).",
    )
    raw = models.TextField(help_text="The capture exactly as read (empty when it repeats one).")
    title = models.CharField(max_length=300, help_text="The headline this capture gave.")
    body = models.TextField(help_text="The text this capture gave.")
    changes = models.JSONField(
        default=list, blank=True, help_text="What differs from the capture before it."
    )
    ingested_at = models.DateTimeField(auto_now_add=True)

    objects = CaptureQuerySet.as_manager()

    class Meta:
        ordering = ["article", "captured_at", "id"]

    def __str__(self) -> str:
        return f"Capture {self.pk} of article {self.article_id}"

    @property
    def moment(self) -> datetime:
        """When it was captured, or else when it was read into the archive."""
        return self.captured_at or self.ingested_at

    @property
    def received(self) -> Capture:
        """The capture that holds these bytes: this one, or the earlier one it repeats."""
        return self.repeats if self.repeats_id else self

    def bytes_as_read(self) -> bytes | None:
        """The bytes as they were read, rebuilt from the text in its encoding and checked
        against the checksum; None if they cannot be rebuilt exactly."""
        # A capture whose declared charset is no web text encoding was read as UTF-8.
        received = self.received
        try:
            encoded = received.raw.encode(web_codec(received.encoding) or "utf-8")
        except UnicodeError:
            return None
        # A UTF-8 byte-order mark is not kept in the text.
        for candidate in (encoded, codecs.BOM_UTF8 + encoded):
            if hashlib.sha256(candidate).hexdigest() == self.sha256:
                return candidate
        return None

    @property
    def link(self) -> str:
        """The URL to cite and link: the one it was captured from, or else its canonical
        URL; only an http(s) web address (`web_link`), never a loopback or private one (a
        capture taken from a local copy)."""
        for url in (self.url, self.canonical_url):
            if web_link(url) and is_public_url(url):
                return url
        return ""

    @property
    def shown_url(self) -> str:
        """What "captured from" names: the link, or a URL that is no web address shown as
        text; "" for a local copy's address, which is nobody else's business."""
        return self.link or ("" if web_link(self.url) else self.url)

    @property
    def file_name(self) -> str:
        """The name of the file it was read from, without the folders of the server's disk
        (which are nobody else's business)."""
        path = self.path
        if self.container == self.Container.WARC and self.url and path.endswith(" " + self.url):
            path = path.removesuffix(" " + self.url)  # a record's path names file and URL
        return PurePath(path).name if path else ""

    @property
    def wayback_url(self) -> str:
        """The Wayback Machine's copy of the page nearest this capture's moment."""
        if not self.link or self.captured_at is None:
            return ""
        stamp = self.captured_at.astimezone(UTC).strftime("%Y%m%d%H%M%S")
        return f"https://web.archive.org/web/{stamp}/{self.link}"


def is_public_url(url: str) -> bool:
    """False for a URL on this machine or a private network (127.0.0.0/8, ::1, localhost,
    10/8, 192.168/16…), which no reader can follow and no public archive holds."""
    try:
        host = urlsplit(url).hostname
    except ValueError:
        return False
    if not host:
        return False
    if host == "localhost" or host.endswith(".localhost"):
        return False
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return True  # a name
    return address.is_global


class Correction(models.Model):
    """A change a person made to one field of an article: who, when, from what, to what."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="corrections")
    field = models.CharField(max_length=50)
    old_value = models.TextField(blank=True)
    new_value = models.TextField(blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    corrected_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-corrected_at", "-id"]

    def __str__(self) -> str:
        return f"{self.field} of article {self.article_id}"

    @property
    def field_label(self) -> str:
        """The corrected field as a reader would name it ("published date")."""
        try:
            return str(Article._meta.get_field(self.field).verbose_name)
        except models.FieldDoesNotExist:
            return self.field.replace("_", " ")


class PersonQuerySet(models.QuerySet):
    def with_counts(self) -> PersonQuerySet:
        """Each person with the articles that name them and the quotations attributed to them.

        One subquery per count over its link table's person index: joining both tables
        would multiply each person's mentions by their quotations.
        """
        person = models.OuterRef("pk")
        return self.annotate(
            article_count=_count_of(ArticlePerson.objects.filter(person=person), "person"),
            quotation_count=_count_of(Quotation.objects.filter(person=person), "person"),
        )


class Person(models.Model):
    """Someone named in the coverage, recognised by name variants staff can extend."""

    slug = models.SlugField(max_length=100, unique=True)
    name = models.CharField(max_length=200)
    role = models.CharField(max_length=200, blank=True)
    surname = models.CharField(max_length=100, help_text="Matched alone where unambiguous.")
    pronoun = models.CharField(
        max_length=4,
        choices=[("he", "he"), ("she", "she"), ("they", "they")],
        default="he",
        help_text="Resolves “… , she said” to this person.",
    )
    variants = models.TextField(
        blank=True, help_text="Other spellings of the full name, one per line (Cyrillic too)."
    )
    role_words = models.TextField(
        blank=True, help_text="Phrases that refer to this person in context, one per line."
    )

    objects = PersonQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "people"

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("articles:person", args=[self.slug])


class TopicQuerySet(models.QuerySet):
    def with_counts(self) -> TopicQuerySet:
        """Each topic with the number of articles on it, counted in the link table's index."""
        links = ArticleTopic.objects.filter(topic=models.OuterRef("pk"))
        return self.annotate(article_count=_count_of(links, "topic"))


class Topic(models.Model):
    """A subject of the talks, recognised by curated keyword patterns."""

    slug = models.SlugField(max_length=100, unique=True)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    patterns = models.TextField(
        help_text="Regular expressions, one per line, matched case-insensitively."
    )
    weak_patterns = models.TextField(
        blank=True,
        help_text="Weaker signs, one per line: they count only when they match at least "
        "twice in an article (a passing mention is not the subject).",
    )

    objects = TopicQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("articles:topic", args=[self.slug])


class TalksRoundQuerySet(models.QuerySet):
    def with_counts(self) -> TalksRoundQuerySet:
        """Each round with the articles reporting it (suggested or confirmed, not rejected)."""
        links = ArticleRound.objects.filter(round=models.OuterRef("pk")).exclude(
            state=ArticleRound.State.REJECTED
        )
        return self.annotate(article_count=_count_of(links, "round"))


class TalksRound(models.Model):
    """A meeting of negotiators that articles report."""

    slug = models.SlugField(max_length=100, unique=True)
    name = models.CharField(max_length=300)
    start = models.DateField()
    end = models.DateField()
    place = models.CharField(max_length=200)
    place_variants = models.TextField(blank=True, help_text="One per line.")
    parties = models.CharField(max_length=300, blank=True, help_text="Comma-separated.")
    keywords = models.TextField(blank=True, help_text="One per line, e.g. two-plus-two.")
    description = models.TextField(blank=True)
    participants = models.ManyToManyField(Person, blank=True, related_name="rounds")
    topics = models.ManyToManyField(Topic, blank=True, related_name="rounds")

    objects = TalksRoundQuerySet.as_manager()

    class Meta:
        ordering = ["start"]
        verbose_name = "talks round"

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("articles:round", args=[self.slug])


class ArticlePerson(models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="mentions")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="mentions")
    count = models.PositiveIntegerField(default=1)

    class Meta:
        unique_together = [("article", "person")]

    def __str__(self) -> str:
        return f"{self.person} in article {self.article_id}"


class Quotation(models.Model):
    """Words an article attributes to a person, with the sentence that carries them."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="quotations")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="quotations")
    quote = models.TextField()
    sentence = models.TextField()
    paragraph = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["article", "paragraph", "id"]
        indexes = [
            # A person's quoting articles: counted, and each checked, from the index alone.
            models.Index(fields=["person", "article"], name="quotation_person_article"),
        ]

    def __str__(self) -> str:
        return f"{self.person}: {self.quote[:60]}"


class ArticleTopic(models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="topic_links")
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="article_links")

    class Meta:
        unique_together = [("article", "topic")]

    def __str__(self) -> str:
        return f"{self.topic} in article {self.article_id}"


class ArticleRound(models.Model):
    """An article reporting a talks round: suggested from the text, confirmed by staff."""

    class State(models.TextChoices):
        SUGGESTED = "suggested", "Suggested"
        CONFIRMED = "confirmed", "Confirmed"
        REJECTED = "rejected", "Rejected"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="round_links")
    round = models.ForeignKey(TalksRound, on_delete=models.CASCADE, related_name="article_links")
    state = models.CharField(max_length=10, choices=State.choices, default=State.SUGGESTED)
    score = models.FloatField(default=0)
    reasons = models.JSONField(default=list, blank=True)

    class Meta:
        unique_together = [("article", "round")]
        verbose_name = "article in a talks round"
        verbose_name_plural = "articles in talks rounds"

    def __str__(self) -> str:
        return f"{self.round} ({self.state}) in article {self.article_id}"


class IndexTask(models.Model):
    """Index work for an article, written in the same transaction as the change it follows
    and deleted once the index has it: after a crash, what the index still lacks is here."""

    class Action(models.TextChoices):
        UPDATE = "update", "Index the article"
        REMOVE = "remove", "Remove it from the index"

    # Not a foreign key: a removal outlives its article.
    article_id = models.BigIntegerField(db_index=True)
    action = models.CharField(max_length=6, choices=Action.choices, default=Action.UPDATE)
    queued_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.action} article {self.article_id}"


class AnalysisRequest(models.Model):
    """Staff asking for every article to be analysed again. The admin records the request
    and starts `analyse_articles --pending`, which runs it outside any web request; a
    request still unfinished after a restart is run by the next such command."""

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    articles = models.PositiveIntegerField(
        null=True, blank=True, help_text="How many articles the run analysed."
    )

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = "re-analysis request"

    def __str__(self) -> str:
        return f"Re-analysis requested {self.requested_at:%Y-%m-%d %H:%M}"

    @property
    def state(self) -> str:
        if self.finished_at:
            return "finished"
        return "running" if self.started_at else "waiting"
