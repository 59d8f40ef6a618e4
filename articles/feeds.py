"""Atom feeds: the latest additions to the archive, and each source's articles."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.text import Truncator

from articles.models import Article, Source

FEED_ITEMS = 30
SUMMARY_WORDS = 60


class LatestArticlesFeed(Feed):
    """Articles in the order they joined the archive, so a reader sees each new one once."""

    feed_type = Atom1Feed
    subtitle = "Articles most recently added to the archive of news coverage of diplomatic talks."

    def title(self) -> str:
        return f"{settings.ARCHIVE_SITE_NAME}: latest additions"

    def link(self) -> str:
        return reverse("articles:list")

    def items(self):
        return Article.objects.published().latest_additions()[:FEED_ITEMS]

    def item_title(self, item: Article) -> str:
        return item.title

    def item_description(self, item: Article) -> str:
        """Plain text: the feed generator escapes it, so captured markup stays inert."""
        return Truncator(" ".join(item.body.split())).words(SUMMARY_WORDS)

    def item_link(self, item: Article) -> str:
        return item.get_absolute_url()

    def item_author_name(self, item: Article) -> str | None:
        return item.byline or item.credited_name

    def item_pubdate(self, item: Article) -> datetime | None:
        return item.sort_datetime

    def item_updateddate(self, item: Article) -> datetime:
        return item.updated_at

    def item_categories(self, item: Article) -> list[str]:
        return [item.source.name] if item.source else []


class SourceArticlesFeed(LatestArticlesFeed):
    """One source's articles, credited or captured from its site, newest added first."""

    def get_object(self, request, slug: str) -> Source:
        return get_object_or_404(Source, slug=slug)

    def title(self, obj: Source) -> str:
        return f"{settings.ARCHIVE_SITE_NAME}: {obj.name}"

    def subtitle(self, obj: Source) -> str:
        return f"Articles from {obj.name} added to the archive."

    def link(self, obj: Source) -> str:
        return obj.get_absolute_url()

    def items(self, obj: Source):
        # The ids first: asked for whole rows, SQLite read every article of the source in
        # full (texts and raw capture) to sort them before keeping fifty.
        ids = Article.objects.from_source(obj).latest_additions().values_list("pk", flat=True)
        return Article.objects.published().filter(pk__in=list(ids[:FEED_ITEMS])).latest_additions()
