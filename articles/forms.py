"""Forms that validate query strings, so bad input gets a message instead of an error."""

from __future__ import annotations

from datetime import date

from django import forms

from articles.models import UNKNOWN_SOURCE, Source
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
