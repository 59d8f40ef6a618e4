"""The archive's URLs plus /stock-search/: Haystack's own faceted search view over the
"stock" connection, the baseline the archive's search page is compared with."""

from django import forms
from django.urls import path
from haystack.forms import FacetedSearchForm
from haystack.generic_views import FacetedSearchView
from haystack.query import SearchQuerySet

from archive.urls import handler404, handler500
from archive.urls import urlpatterns as archive_urlpatterns

__all__ = ["handler404", "handler500", "urlpatterns"]


class StockSearchForm(FacetedSearchForm):
    """Haystack's faceted form (`selected_facets=source_exact:Reuters`) plus a date range."""

    date_from = forms.DateField(required=False)
    date_to = forms.DateField(required=False)

    def search(self):
        sqs = super().search()
        if not self.is_valid():
            return sqs
        if self.cleaned_data.get("date_from"):
            sqs = sqs.filter(pub_date__gte=self.cleaned_data["date_from"])
        if self.cleaned_data.get("date_to"):
            sqs = sqs.filter(pub_date__lte=self.cleaned_data["date_to"])
        return sqs


class StockSearchView(FacetedSearchView):
    form_class = StockSearchForm
    facet_fields = ["source_exact", "year"]
    template_name = "benchmarks/stock_search.html"
    queryset = SearchQuerySet(using="stock")


urlpatterns = [
    path("stock-search/", StockSearchView.as_view(), name="stock-search"),
    *archive_urlpatterns,
]
