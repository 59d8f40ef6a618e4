"""sitemap.xml: every article permalink, every source page and the main lists."""

from __future__ import annotations

from datetime import datetime
from functools import cached_property

from django.contrib.sitemaps import Sitemap
from django.core.paginator import Page, Paginator
from django.db.models import Max
from django.urls import reverse

from articles.models import Article, Source


class IdRangePaginator(Paginator):
    """Page n holds the ids from (n - 1) × per_page + 1 to n × per_page: a range of the
    primary key, as quick to read on the hundredth page as on the first, where an offset
    would step through every row before it. Deleted articles leave a page short."""

    @cached_property
    def count(self) -> int:
        return self.object_list.aggregate(last=Max("pk"))["last"] or 0

    def page(self, number) -> Page:
        number = self.validate_number(number)
        low = (number - 1) * self.per_page
        rows = self.object_list.filter(pk__gt=low, pk__lte=low + self.per_page)
        return self._get_page(list(rows), number, self)


class ArticleSitemap(Sitemap):
    changefreq = "yearly"
    priority = 0.8
    # 500 links a page (the index lists every page): 5,000 took over a second to draw.
    limit = 500

    def items(self):
        return Article.objects.order_by("id").only("id", "slug", "updated_at")

    @property
    def paginator(self) -> Paginator:
        return IdRangePaginator(self.items(), self.limit)

    def lastmod(self, item: Article) -> datetime:
        return item.updated_at

    def get_latest_lastmod(self) -> None:
        """None: the index would otherwise read every article for the latest change."""
        return None


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
