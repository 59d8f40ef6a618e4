"""sitemap.xml: every article permalink, every source page and the main lists."""

from __future__ import annotations

from datetime import datetime

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from articles.models import Article, Source


class ArticleSitemap(Sitemap):
    changefreq = "yearly"
    priority = 0.8
    limit = 5000

    def items(self):
        return Article.objects.order_by("id").only("id", "slug", "updated_at")

    def lastmod(self, item: Article) -> datetime:
        return item.updated_at


class SourceSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.5

    def items(self):
        return Source.objects.in_use().order_by("name")


class PageSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.6

    def items(self) -> list[str]:
        return ["articles:home", "articles:list", "articles:sources"]

    def location(self, item: str) -> str:
        return reverse(item)


SITEMAPS = {"pages": PageSitemap, "articles": ArticleSitemap, "sources": SourceSitemap}
