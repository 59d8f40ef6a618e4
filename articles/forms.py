"""Forms that validate query strings, so bad input gets a message instead of an error."""

from __future__ import annotations

import calendar
from datetime import date

from django import forms
from django.core.cache import cache
from django.db.models import Q
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join

from articles.models import UNKNOWN_SOURCE, Article, Source
from articles.search.limits import MAX_QUERY_LENGTH

SORTS = (("relevance", "Relevance"), ("newest", "Newest first"), ("oldest", "Oldest first"))
# Dates a search can be narrowed to: four-digit years, short of the calendar's last year,
# where "the day after" a date has no date.
EARLIEST_DATE, LATEST_DATE = date(1000, 1, 1), date(9998, 12, 31)


def searchable_date(value: date) -> None:
    if not EARLIEST_DATE <= value <= LATEST_DATE:
        raise forms.ValidationError(
            f"Dates run from {EARLIEST_DATE.isoformat()} to {LATEST_DATE.isoformat()}."
        )


class SearchForm(forms.Form):
    q = forms.CharField(required=False, label="Search words", strip=True)
    source = forms.MultipleChoiceField(required=False, choices=())
    date_from = forms.DateField(
        required=False, label="From", input_formats=["%Y-%m-%d"], validators=[searchable_date]
    )
    date_to = forms.DateField(
        required=False, label="To", input_formats=["%Y-%m-%d"], validators=[searchable_date]
    )
    year = forms.RegexField(required=False, regex=r"^(\d{4}|unknown)$")
    month = forms.RegexField(required=False, regex=r"^(\d{4}-(0[1-9]|1[0-2])|unknown)$")
    person = forms.SlugField(required=False)
    topic = forms.SlugField(required=False)
    round = forms.SlugField(required=False)
    sort = forms.ChoiceField(required=False, choices=SORTS)
    changed = forms.ChoiceField(required=False, choices=[("", "All"), ("yes", "Changed")])

    # The URL says from/to; Python cannot name a field "from".
    URL_NAMES = {"date_from": "from", "date_to": "to"}

    def __init__(self, data=None, **kwargs):
        if data is not None:
            data = data.copy()
            for field_name, url_name in self.URL_NAMES.items():
                if url_name in data:
                    data.setlist(field_name, data.getlist(url_name))
        super().__init__(data, **kwargs)
        names = list(Source.objects.order_by("name").values_list("name", flat=True))
        self.fields["source"].choices = [(name, name) for name in [*names, UNKNOWN_SOURCE]]
        self.fields["source"].error_messages["invalid_choice"] = (
            "There is no source called “%(value)s” in the archive."
        )
        self.fields["date_from"].error_messages["invalid"] = "Dates are written YYYY-MM-DD."
        self.fields["date_to"].error_messages["invalid"] = "Dates are written YYYY-MM-DD."

    def clean_q(self) -> str:
        return self.cleaned_data["q"][: MAX_QUERY_LENGTH * 20]

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            raise forms.ValidationError("The “from” date is after the “to” date.")
        data["sort"] = data.get("sort") or ("relevance" if data.get("q") else "newest")
        return data


# How long the list of years with coverage is remembered (see coverage_years()).
COVERAGE_YEARS_SECONDS = 300
MONTH_CHOICES = [
    (str(n), name)
    for n, name in enumerate(
        ["January", "February", "March", "April", "May", "June", "July", "August",
         "September", "October", "November", "December"],
        start=1,
    )
]  # fmt: skip
MONTH_NAMES = {int(number): name for number, name in MONTH_CHOICES}


class PlainSelect(forms.Select):
    """A select whose options are written out directly: a template per option (Django's way)
    costs more than the rest of the list page's form when there are dozens of sources."""

    def render(self, name, value, attrs=None, renderer=None) -> str:
        widget = self.get_context(name, value, attrs)["widget"]
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (option["value"], flatatt(option["attrs"]), option["label"])
                for _, group, _ in widget["optgroups"]
                for option in group
            ),
        )
        return format_html(
            '<select name="{}"{}>{}</select>', name, flatatt(widget["attrs"]), options
        )


class ArticleFilterForm(forms.Form):
    """The list page's query string; an invalid value is reported and left out."""

    source = forms.ModelChoiceField(
        queryset=Source.objects.in_use(),
        to_field_name="slug",
        required=False,
        empty_label="All sources",
        widget=PlainSelect,
    )
    year = forms.TypedChoiceField(coerce=int, required=False, empty_value=None, widget=PlainSelect)
    month = forms.TypedChoiceField(
        coerce=int,
        required=False,
        empty_value=None,
        choices=[("", "Any month"), *MONTH_CHOICES],
        widget=PlainSelect,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.years = coverage_years()
        self.fields["year"].choices = [("", "Any year")] + [
            (str(d.year), d.year) for d in self.years
        ]
        self.fields["source"].error_messages["invalid_choice"] = "There is no such source."
        self.fields["year"].error_messages["invalid_choice"] = "No articles from that year."
        self.fields["month"].error_messages["invalid_choice"] = "Months are numbered 1 to 12."

    def describe(self) -> str:
        """The filters in words, for the line above the list: "from Reuters in March 2008"."""
        self.is_valid()
        data, words = self.cleaned_data, []
        if data.get("source"):
            words.append(f"from {data['source'].name}")
        month = MONTH_NAMES.get(data.get("month"), "")
        when = " ".join(str(part) for part in (month, data.get("year")) if part)
        if when:
            words.append(f"in {when}" if data.get("year") else f"in {month} of any year")
        return " ".join(words)

    @property
    def narrowed(self) -> bool:
        """Whether any filter that validated narrows the list."""
        self.is_valid()
        return any(self.cleaned_data.get(name) for name in ("source", "year", "month"))

    def filter(self, queryset):
        """The queryset narrowed by every field that validated."""
        self.is_valid()
        data = self.cleaned_data
        if data.get("source"):
            queryset = queryset.from_source(data["source"])
        year, month = data.get("year"), data.get("month")
        # Date ranges rather than the year and month of each row's date, so the index applies.
        if year and month:
            queryset = queryset.filter(published_date__range=month_span(year, month))
        elif year:
            queryset = queryset.filter(published_date__year=year)
        elif month:
            in_month = Q(pk__in=[])
            for year_start in self.years:
                in_month |= Q(published_date__range=month_span(year_start.year, month))
            queryset = queryset.filter(in_month)
        return queryset


def month_span(year: int, month: int) -> tuple[date, date]:
    """The first and last days of a month."""
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def coverage_years() -> list[date]:
    """The years with coverage, remembered for a while under the first and last dates.

    They change only when a year gains its first article or loses its last. Keyed by the
    span, a new year at either end shows at once; a gap filled within the span shows within
    COVERAGE_YEARS_SECONDS.
    """
    span = Article.objects.date_span()
    if span is None:
        return []
    return cache.get_or_set(
        f"coverage-years:{span[0]}:{span[1]}",
        lambda: Article.objects.coverage_years(span),
        COVERAGE_YEARS_SECONDS,
    )
