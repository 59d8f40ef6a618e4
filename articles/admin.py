"""The staff side: a review queue, corrections that are remembered, source merges."""

from __future__ import annotations

from datetime import date

from django import forms
from django.contrib import admin, messages
from django.db import models, transaction
from django.db.models import Count
from django.shortcuts import render
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from articles.corrections import assign_source, mark_reviewed, merge_sources, record_corrections
from articles.ingest.signatures import REVIEW_REASONS
from articles.models import (
    AnalysisRequest,
    Article,
    ArticleRound,
    Correction,
    Person,
    Source,
    TalksRound,
    Topic,
)
from articles.reanalysis import request_reanalysis, start_background_run
from articles.search.queue import index_on_commit

EARLIEST_DATE = date(1900, 1, 1)


class ReviewStateFilter(admin.SimpleListFilter):
    """Opens on what needs review; "All" is a choice of its own, not the default."""

    title = "review state"
    parameter_name = "review"

    def lookups(self, request, model_admin):
        return [("needs", "Needs review"), ("done", "Reviewed"), ("all", "All")]

    def value(self):
        return super().value() or "needs"

    def queryset(self, request, queryset):
        if self.value() == "needs":
            return queryset.filter(needs_review=True)
        if self.value() == "done":
            return queryset.filter(needs_review=False)
        return queryset

    def choices(self, changelist):
        for lookup, title in self.lookup_choices:
            yield {
                "selected": self.value() == lookup,
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }


class ReviewReasonFilter(admin.SimpleListFilter):
    title = "review reason"
    parameter_name = "reason"

    def lookups(self, request, model_admin):
        return list(REVIEW_REASONS.items())

    def queryset(self, request, queryset):
        if self.value() in REVIEW_REASONS:
            return queryset.filter(review_reasons__icontains=f'"{self.value()}"')
        return queryset


# Bands of an article's weakest field confidence, as the review queue offers them.
CONFIDENCE_BANDS = {
    "weak": ("Weak guess (below 0.6)", 0.0, 0.6),
    "uncertain": ("Uncertain (0.6 to 0.8)", 0.6, 0.8),
    "sure": ("Sure (0.8 and above)", 0.8, 1.01),
}


class ConfidenceFilter(admin.SimpleListFilter):
    """The least certain articles first: filter by the confidence of their weakest field."""

    title = "weakest field"
    parameter_name = "confidence"

    def lookups(self, request, model_admin):
        bands = [(key, label) for key, (label, _, _) in CONFIDENCE_BANDS.items()]
        return [*bands, ("none", "No evidence recorded")]

    def queryset(self, request, queryset):
        if self.value() == "none":
            return queryset.filter(weakest_confidence__isnull=True)
        if self.value() in CONFIDENCE_BANDS:
            _, low, high = CONFIDENCE_BANDS[self.value()]
            return queryset.filter(weakest_confidence__gte=low, weakest_confidence__lt=high)
        return queryset


class YearFilter(admin.SimpleListFilter):
    title = "year"
    parameter_name = "year"

    def lookups(self, request, model_admin):
        years = Article.objects.dates("published_date", "year", order="DESC")
        return [(str(d.year), str(d.year)) for d in years] + [("none", "Date unknown")]

    def queryset(self, request, queryset):
        if self.value() == "none":
            return queryset.filter(published_date__isnull=True)
        if self.value() and self.value().isdigit():
            return queryset.filter(published_date__year=int(self.value()))
        return queryset


METADATA_FIELDS = (
    "title",
    "source",
    "captured_from",
    "captured_from_kind",
    "published_date",
    "published_at",
    "published_tz",
    "byline",
    "dateline",
)


# Shown, never edited: the capture as ingested and its bookkeeping.
CAPTURE_FIELDS = (
    "raw_capture",
    "public_link",
    "capture_list",
    "ingested_at",
    "updated_at",
    "reviewed_at",
)


class ArticleAdminForm(forms.ModelForm):
    class Meta:
        model = Article
        fields = (*METADATA_FIELDS, "needs_review")

    def clean_title(self) -> str:
        title = " ".join(self.cleaned_data["title"].split())
        if not title:
            raise forms.ValidationError("A title cannot be blank.")
        return title

    def clean_published_date(self):
        value = self.cleaned_data.get("published_date")
        if value and value > timezone.now().date():
            raise forms.ValidationError("The publication date cannot be in the future.")
        if value and value < EARLIEST_DATE:
            raise forms.ValidationError("The publication date cannot be before 1900.")
        return value

    def clean_published_at(self):
        value = self.cleaned_data.get("published_at")
        if value and value > timezone.now():
            raise forms.ValidationError("The publication time cannot be in the future.")
        if value and value.date() < EARLIEST_DATE:
            raise forms.ValidationError("The publication time cannot be before 1900.")
        return value


class AssignSourceForm(forms.Form):
    source = forms.ModelChoiceField(queryset=Source.objects.all(), label="Credit to")


class MergeSourcesForm(forms.Form):
    target = forms.ModelChoiceField(queryset=Source.objects.none(), label="Keep")

    def __init__(self, *args, sources=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = sources


def _intermediate(modeladmin, request, queryset, form, template, title):
    """Render an action's confirmation page, carrying the selected rows through."""
    return render(
        request,
        template,
        {
            **modeladmin.admin_site.each_context(request),
            "title": title,
            "form": form,
            "queryset": queryset,
            "action": request.POST.get("action"),
            "opts": modeladmin.model._meta,
            "selected": request.POST.getlist(admin.helpers.ACTION_CHECKBOX_NAME),
        },
    )


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    form = ArticleAdminForm

    class Media:
        css = {"all": ["css/admin.css"]}

    list_display = ("title", "source", "published_date", "weakest", "reasons", "needs_review")
    list_filter = (ReviewStateFilter, ConfidenceFilter, ReviewReasonFilter, "source", YearFilter)
    # What to check first: the weakest guesses, then the rest by date.
    ordering = (
        models.F("weakest_confidence").asc(nulls_last=True),
        "-published_date",
        "-id",
    )
    search_fields = ("title", "byline", "body")
    date_hierarchy = "published_date"
    list_select_related = ("source",)
    list_per_page = 50
    actions = ("mark_reviewed_action", "assign_source_action")
    readonly_fields = (
        *CAPTURE_FIELDS,
        "review_list",
        "evidence_table",
        "left_out",
        "correction_history",
    )
    fieldsets = (
        ("Metadata", {"fields": METADATA_FIELDS}),
        (
            "Review",
            {
                "fields": (
                    "review_list",
                    "evidence_table",
                    "left_out",
                    "needs_review",
                    "correction_history",
                )
            },
        ),
        (
            "Capture",
            {
                "fields": CAPTURE_FIELDS,
            },
        ),
    )

    @admin.display(description="Review reasons")
    def reasons(self, article: Article) -> str:
        return ", ".join(article.review_labels) or "—"

    @admin.display(description="Weakest field", ordering="weakest_confidence")
    def weakest(self, article: Article) -> str:
        records = article.field_evidence or []
        if not records:
            return "—"
        record = min(records, key=lambda r: r["confidence"])
        return f"{record['field']} {record['confidence']:.2f}"

    @admin.display(description="How each field was found")
    def evidence_table(self, article: Article):
        records = sorted(article.field_evidence or [], key=lambda r: r["confidence"])
        if not records:
            return "No evidence recorded (read before evidence was kept, or a text capture)."
        return format_html(
            '<table class="field-evidence"><thead><tr><th>Field</th><th>Confidence</th>'
            "<th>Evidence</th></tr></thead><tbody>{}</tbody></table>",
            format_html_join(
                "",
                "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
                ((r["field"], f"{r['confidence']:.2f}", r["evidence"]) for r in records),
            ),
        )

    @admin.display(description="Left out of the body (the page's other text, searched)")
    def left_out(self, article: Article):
        if not article.other_text:
            return "Nothing: the body holds all the capture's text."
        return format_html('<pre class="other-text">{}</pre>', article.other_text)

    @admin.display(description="Needs review because")
    def review_list(self, article: Article) -> str:
        return ", ".join(article.review_labels) or "Nothing: reviewed or never flagged."

    @admin.display(description="Latest capture, exactly as ingested")
    def raw_capture(self, article: Article):
        capture = article.captures.latest_first().select_related("repeats").first()
        raw = capture.received.raw if capture else ""
        return format_html('<pre class="raw-capture">{}</pre>', raw)

    @admin.display(description="Captures")
    def capture_list(self, article: Article):
        captures = article.captures.in_order().defer("raw", "body")
        return format_html_join(
            "",
            "<p>{} · {} · <code>{}</code> · SHA-256 <code>{}</code> · {}</p>",
            (
                (
                    c.moment.strftime("%Y-%m-%d %H:%M UTC"),
                    c.get_container_display(),
                    c.url or c.origin,
                    c.sha256,
                    ", ".join(c.changes) + " changed" if c.changes else "",
                )
                for c in captures
            ),
        )

    @admin.display(description="Public page")
    def public_link(self, article: Article):
        if not article.pk:
            return "—"
        return format_html('<a href="{}">{}</a>', article.get_absolute_url(), "View on the site")

    @admin.display(description="Corrections")
    def correction_history(self, article: Article):
        rows = article.corrections.select_related("user") if article.pk else []
        if not rows:
            return "No corrections yet."
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "",
                "<li>{}: {} → {} ({}, {})</li>",
                (
                    (
                        c.field,
                        c.old_value or "—",
                        c.new_value or "—",
                        c.user or "ingest",
                        c.corrected_at.strftime("%Y-%m-%d %H:%M"),
                    )
                    for c in rows
                ),
            ),
        )

    def save_model(self, request, obj, form, change):
        if change:
            old = Article.objects.get(pk=obj.pk)
            before = {name: getattr(old, name) for name in form.changed_data}
            super().save_model(request, obj, form, change)
            if record_corrections(obj, before, user=request.user):
                obj.save(
                    update_fields=[
                        "review_reasons",
                        "needs_review",
                        "field_evidence",
                        "weakest_confidence",
                    ]
                )
        else:
            super().save_model(request, obj, form, change)

    @admin.action(description="Mark selected articles as reviewed", permissions=["change"])
    def mark_reviewed_action(self, request, queryset):
        count = mark_reviewed(queryset)
        self.message_user(request, f"{count} article(s) marked as reviewed.", messages.SUCCESS)

    @admin.action(description="Credit selected articles to a source…", permissions=["change"])
    def assign_source_action(self, request, queryset):
        form = AssignSourceForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            count = assign_source(queryset, form.cleaned_data["source"], user=request.user)
            self.message_user(
                request,
                f"{count} article(s) credited to {form.cleaned_data['source']}.",
                messages.SUCCESS,
            )
            return None
        return _intermediate(
            self,
            request,
            queryset,
            form,
            "admin/articles/assign_source.html",
            "Credit articles to a source",
        )


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "homepage", "article_count")
    list_filter = ("kind",)
    search_fields = ("name",)
    prepopulated_fields = {"slug": ("name",)}
    actions = ("merge_action",)
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(article_count=Count("articles"))

    @admin.display(description="Articles", ordering="article_count")
    def article_count(self, source: Source) -> int:
        return source.article_count

    def has_merge_permission(self, request) -> bool:
        """A merge changes one source and deletes the others: it needs both permissions
        (an action's own list of permissions asks for any one of them)."""
        return self.has_change_permission(request) and self.has_delete_permission(request)

    @admin.action(description="Merge selected sources…", permissions=["merge"])
    def merge_action(self, request, queryset):
        if queryset.count() < 2:
            self.message_user(request, "Select at least two sources to merge.", messages.ERROR)
            return None
        form = MergeSourcesForm(request.POST if "apply" in request.POST else None, sources=queryset)
        if form.is_valid():
            target = form.cleaned_data["target"]
            duplicates = list(queryset.exclude(pk=target.pk))
            moved = merge_sources(target, duplicates, user=request.user)
            self.message_user(
                request,
                f"Merged {len(duplicates)} source(s) into {target}; {moved} article(s) moved.",
                messages.SUCCESS,
            )
            return None
        return _intermediate(
            self, request, queryset, form, "admin/articles/merge_sources.html", "Merge sources"
        )


@admin.register(Correction)
class CorrectionAdmin(admin.ModelAdmin):
    list_display = ("article", "field", "old_value", "new_value", "user", "corrected_at")
    list_filter = ("field",)
    list_select_related = ("article", "user")
    readonly_fields = ("article", "field", "old_value", "new_value", "user", "corrected_at")

    def has_add_permission(self, request) -> bool:
        return False


@admin.action(
    description="Find the curated people, topics and rounds again in all articles",
    permissions=["change"],
)
def reanalyse_all(modeladmin, request, queryset):
    """Minutes of work for a large collection: recorded here, run in the background."""
    queued = request_reanalysis(request.user)
    start_background_run()
    modeladmin.message_user(
        request,
        (
            "Every article will be analysed again in the background"
            if queued
            else "A re-analysis is already waiting to start; it will cover this request"
        )
        + " (manage.py analyse_articles --pending; at 10,000 articles it takes a few "
        "minutes). Its progress is listed under Re-analysis requests.",
        messages.SUCCESS,
    )


@admin.register(AnalysisRequest)
class AnalysisRequestAdmin(admin.ModelAdmin):
    """What became of each request to analyse every article again: a record, not edited."""

    list_display = (
        "requested_at",
        "requested_by",
        "state",
        "started_at",
        "finished_at",
        "articles",
    )
    list_select_related = ("requested_by",)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ("name", "role", "surname")
    search_fields = ("name", "surname", "variants")
    prepopulated_fields = {"slug": ("name",)}
    actions = (reanalyse_all,)


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ("name", "slug")
    search_fields = ("name", "patterns", "weak_patterns")
    prepopulated_fields = {"slug": ("name",)}
    actions = (reanalyse_all,)


class ArticleRoundInline(admin.TabularInline):
    model = ArticleRound
    fields = ("article", "state", "score", "reasons")
    readonly_fields = ("score", "reasons")
    raw_id_fields = ("article",)
    extra = 0


@admin.register(TalksRound)
class TalksRoundAdmin(admin.ModelAdmin):
    list_display = ("name", "start", "end", "place")
    date_hierarchy = "start"
    filter_horizontal = ("participants", "topics")
    prepopulated_fields = {"slug": ("name",)}
    inlines = (ArticleRoundInline,)
    actions = (reanalyse_all,)


@admin.register(ArticleRound)
class ArticleRoundAdmin(admin.ModelAdmin):
    """The queue of suggested links between articles and rounds, for staff to decide."""

    list_display = ("article", "round", "state", "score", "reason_list")
    list_filter = ("state", "round")
    list_select_related = ("article", "round")
    raw_id_fields = ("article",)
    actions = ("confirm", "reject")

    @admin.display(description="Why it was suggested")
    def reason_list(self, link: ArticleRound) -> str:
        return "; ".join(link.reasons)

    def _decide(self, request, queryset, state: str) -> None:
        with transaction.atomic():
            article_ids = list(queryset.values_list("article_id", flat=True))
            count = queryset.update(state=state)
            index_on_commit(article_ids)
        self.message_user(request, f"{count} link(s) {state}.", messages.SUCCESS)

    @admin.action(description="Confirm the selected links", permissions=["change"])
    def confirm(self, request, queryset):
        self._decide(request, queryset, ArticleRound.State.CONFIRMED)

    @admin.action(description="Reject the selected links", permissions=["change"])
    def reject(self, request, queryset):
        self._decide(request, queryset, ArticleRound.State.REJECTED)
