"""The Haystack index of articles: what search, facets and result rows need."""

from collections.abc import Iterable
from datetime import UTC, datetime

from haystack import indexes
from haystack.fields import FacetMultiValueField

from articles.models import Article, ArticlePerson, ArticleRound, ArticleTopic
from articles.search.queue import in_chunks

UNDATED_NEWEST = -(2**62)
UNDATED_OLDEST = 2**62


# Articles whose links are read per query.
LINKS_CHUNK = 500


def _link_queries():
    """Each facet of linked slugs, with its link rows and the slug they give."""
    return (
        ("people", ArticlePerson.objects.all(), "person__slug"),
        ("topics", ArticleTopic.objects.all(), "topic__slug"),
        # A round staff rejected is not one the article reports.
        ("rounds", ArticleRound.objects.exclude(state=ArticleRound.State.REJECTED), "round__slug"),
    )


def attach_links(articles: Iterable[Article]) -> None:
    """Give each article the people, topics and rounds its document lists, sorted slugs by
    facet, as `index_links`: a plain-values query per facet and chunk, where prefetching
    built two model instances per link and cost most of preparing a document."""
    found = {article.pk: (article, {}) for article in articles}
    for chunk in in_chunks(found, LINKS_CHUNK):
        for facet, links, slug in _link_queries():
            for pk in chunk:
                found[pk][1][facet] = []
            rows = links.filter(article_id__in=chunk).values_list("article_id", slug)
            for pk, value in rows:
                found[pk][1][facet].append(value)
    for article, slugs in found.values():
        article.index_links = {facet: sorted(values) for facet, values in slugs.items()}


def index_links(article: Article) -> dict[str, list[str]]:
    """The slugs `attach_links` gave the article, read now for one that came without."""
    if not hasattr(article, "index_links"):
        attach_links([article])
    return article.index_links


def naive_utc(moment: datetime | None) -> datetime | None:
    """Whoosh stores naive datetimes: store UTC, to the second."""
    if moment is None:
        return None
    return moment.astimezone(UTC).replace(tzinfo=None, microsecond=0)


class ArticleIndex(indexes.SearchIndex, indexes.Indexable):
    text = indexes.CharField(document=True, stored=False)
    title = indexes.CharField(model_attr="title", boost=3.0)
    # The same text, every word as written, for quoted phrases (search.whoosh.analysis).
    exact = indexes.CharField(stored=False)
    # What the capture holds outside the title and body, searched below the body's weight
    # (search.analysis.DEFAULT_FIELDS).
    other_text = indexes.CharField(model_attr="other_text", default="", stored=False)
    source = indexes.CharField(default="Unknown source")
    # Facets are exact strings (the Whoosh backend stores them untokenised).
    source_exact = indexes.FacetCharField()
    byline = indexes.CharField(model_attr="byline", default="")
    dateline = indexes.CharField(model_attr="dateline", default="")
    pub_date = indexes.DateTimeField(null=True)
    updated = indexes.DateTimeField(indexed=False)
    # Undated articles sort last both ways: one key per direction.
    sort_newest = indexes.IntegerField()
    sort_oldest = indexes.IntegerField()
    year = indexes.FacetCharField()
    month = indexes.FacetCharField()
    # "Source|YYYY-MM": one facet gives each source's count and date span for a query.
    source_month = indexes.FacetCharField()
    # Slugs of the people named, the topics and the talks rounds (several per article).
    people = FacetMultiValueField()
    topics = FacetMultiValueField()
    rounds = FacetMultiValueField()
    # "yes" when the story's text differs between its captures.
    changed = indexes.FacetCharField()

    def get_model(self):
        return Article

    def index_queryset(self, using=None):
        # Without the fields no document holds (the HTML is as long as the text, and the
        # JSON is decoded per row); the links come from attach_links.
        return (
            Article.objects.published()
            .defer("body_html", "field_evidence", "review_reasons")
            .order_by("pk")
        )

    def prepare_people(self, obj: Article) -> list[str]:
        return index_links(obj)["people"]

    def prepare_topics(self, obj: Article) -> list[str]:
        return index_links(obj)["topics"]

    def prepare_rounds(self, obj: Article) -> list[str]:
        return index_links(obj)["rounds"]

    def prepare_changed(self, obj: Article) -> str:
        return "yes" if obj.changed else "no"

    def prepare_text(self, obj: Article) -> str:
        return "\n".join((obj.title, obj.byline, obj.dateline, obj.body))

    def prepare_exact(self, obj: Article) -> str:
        # Blank lines between the fields: a phrase does not run on from one into the next.
        return "\n\n".join((obj.title, obj.byline, obj.dateline, obj.body, obj.other_text))

    def prepare_source(self, obj: Article) -> str:
        return obj.credited_name

    def prepare_source_exact(self, obj: Article) -> str:
        return obj.credited_name

    def prepare_pub_date(self, obj: Article) -> datetime | None:
        return naive_utc(obj.sort_datetime)

    def prepare_sort_newest(self, obj: Article) -> int:
        moment = obj.sort_datetime
        return int(moment.timestamp()) if moment else UNDATED_NEWEST

    def prepare_sort_oldest(self, obj: Article) -> int:
        moment = obj.sort_datetime
        return int(moment.timestamp()) if moment else UNDATED_OLDEST

    def prepare_updated(self, obj: Article) -> datetime | None:
        return naive_utc(obj.updated_at)

    def prepare_year(self, obj: Article) -> str:
        return str(obj.published_date.year) if obj.published_date else "unknown"

    def prepare_month(self, obj: Article) -> str:
        return obj.published_date.strftime("%Y-%m") if obj.published_date else "unknown"

    def prepare_source_month(self, obj: Article) -> str:
        return f"{obj.credited_name}|{self.prepare_month(obj)}"
