"""Atom feeds: the latest additions to the archive, and each source's articles.

Capture text reaches feed readers as declared plain text (`type="text"`), so markup in a
capture is shown as characters, never rendered; characters XML 1.0 cannot carry are left out
rather than failing the feed.
"""

from __future__ import annotations

import re
from datetime import datetime

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models.functions import Substr
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.text import Truncator
from django.utils.xmlutils import SimplerXMLGenerator

from articles.models import Article, Source

FEED_ITEMS = 30
SUMMARY_WORDS = 60
# Enough of the body's start for SUMMARY_WORDS words: the rest is never read from the table.
SUMMARY_SOURCE_CHARS = 2_000
# What XML 1.0 forbids: C0 controls other than tab, newline and carriage return, lone
# surrogates, and U+FFFE/U+FFFF.
XML_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_safe(text: str) -> str:
    """Text with the characters XML 1.0 cannot carry left out."""
    return XML_UNSAFE.sub("", text)


class _SafeXMLGenerator(SimplerXMLGenerator):
    def characters(self, content) -> None:
        super().characters(xml_safe(content) if content else content)

    def startElement(self, name, attrs) -> None:
        super().startElement(name, {key: xml_safe(str(v)) for key, v in (attrs or {}).items()})


class PlainTextAtomFeed(Atom1Feed):
    """Atom whose entry summaries are plain text: a feed reader shows a capture's `<script>`
    as characters. Django's Atom feed declares summaries HTML."""

    def write(self, outfile, encoding) -> None:
        handler = _SafeXMLGenerator(outfile, encoding, short_empty_elements=True)
        handler.startDocument()
        handler.startElement("feed", self.root_attributes())
        self.add_root_elements(handler)
        self.write_items(handler)
        handler.endElement("feed")

    def add_item_elements(self, handler, item) -> None:
        super().add_item_elements(handler, {**item, "description": None})
        if item["description"] is not None:
            handler.addQuickElement("summary", item["description"], {"type": "text"})


def plain_summary(text: str) -> str:
    """The first SUMMARY_WORDS words, white space collapsed: a feed entry's summary."""
    return Truncator(" ".join(text.split())).words(SUMMARY_WORDS)


class LatestArticlesFeed(Feed):
    """Articles in the order they joined the archive, so a reader sees each new one once."""

    feed_type = PlainTextAtomFeed
    subtitle = "Articles most recently added to the archive of news coverage of diplomatic talks."

    def title(self) -> str:
        return f"{settings.ARCHIVE_SITE_NAME}: latest additions"

    def link(self) -> str:
        return reverse("articles:list")

    def items(self):
        return feed_articles(Article.objects.all())

    def item_title(self, item: Article) -> str:
        return item.title

    def item_description(self, item: Article) -> str:
        return plain_summary(item.body_start)

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


def feed_articles(articles):
    """The newest additions, with only the columns an entry shows (the start of the body
    rather than all of it), in the order of the `article_ingested_order` index."""
    return (
        articles.select_related("source")
        .only(
            "title",
            "slug",
            "byline",
            "published_date",
            "published_at",
            "updated_at",
            "source__name",
        )
        .annotate(body_start=Substr("body", 1, SUMMARY_SOURCE_CHARS))
        .order_by("-ingested_at", "-id")[:FEED_ITEMS]
    )


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
        # The newest few credited to the source and the newest few captured from its site,
        # each from its own index, then merged: asked for both at once, SQLite read and
        # sorted every article of a busy source (60 ms at 100,000 articles).
        newest = set()
        for field in ("source", "captured_from"):
            added = Article.objects.filter(**{field: obj}).order_by("-ingested_at", "-id")
            newest.update(added.values_list("ingested_at", "pk")[:FEED_ITEMS])
        ids = [pk for _, pk in sorted(newest, reverse=True)[:FEED_ITEMS]]
        return feed_articles(Article.objects.filter(pk__in=ids))
