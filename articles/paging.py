"""Pages of long lists: each page's rows found through an index, a bad page number a 404,
and links that keep the rest of the query string."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.paginator import InvalidPage, Page, Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest


class IdsFirstPaginator(Paginator):
    """Finds a page's ids in the index first, then loads just those rows, in one query.

    Skipping to a deep page then walks the date index alone, where loading rows on the way
    (and joining their sources) would read every article skipped. Pages past the middle are
    found from the end in reverse order, so no page skips more than half the list. A count
    known beforehand (from a narrower table) can be given, sparing the counting query.
    """

    def __init__(self, object_list, per_page, *args, count: int | None = None, **kwargs):
        super().__init__(object_list, per_page, *args, **kwargs)
        if count is not None:
            self.__dict__["count"] = count  # Paginator.count is a cached property

    def page(self, number) -> Page:
        rows = self.object_list
        if not isinstance(rows, QuerySet) or not rows.ordered:
            return super().page(number)
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        if bottom > self.count - top:
            ids = rows.reverse().values_list("pk", flat=True)[
                self.count - top : self.count - bottom
            ]
        else:
            ids = rows.values_list("pk", flat=True)[bottom:top]
        # The ids as values, not a subquery: given a subquery beside the list's own filters,
        # SQLite may walk the whole list again rather than look the page's rows up.
        return self._get_page(list(rows.filter(pk__in=list(ids))), number, self)


@dataclass(frozen=True)
class PageNav:
    """One page of a list and the links to its neighbours, for includes/page_nav.html."""

    page: Page
    singular: str
    plural: str
    previous_url: str = ""
    next_url: str = ""

    @property
    def label(self) -> str:
        return self.singular if self.page.paginator.count == 1 else self.plural


def page_of(
    request: HttpRequest,
    rows,
    per_page: int,
    *,
    param: str = "page",
    count: int | None = None,
    noun: tuple[str, str] = ("article", "articles"),
) -> PageNav:
    """The page of `rows` the query string asks for under `param`; a page not there is a 404."""
    paginator = IdsFirstPaginator(rows, per_page, count=count, allow_empty_first_page=True)
    try:
        page = paginator.page(request.GET.get(param) or 1)
    except InvalidPage as error:
        raise Http404("There is no such page.") from error

    def url(number: int) -> str:
        query = request.GET.copy()
        query[param] = str(number)
        return f"?{query.urlencode()}"

    return PageNav(
        page,
        *noun,
        previous_url=url(page.previous_page_number()) if page.has_previous() else "",
        next_url=url(page.next_page_number()) if page.has_next() else "",
    )
