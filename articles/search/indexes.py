"""The Haystack index of articles: what search, facets and result rows need."""

from datetime import UTC, datetime

from haystack import indexes
from haystack.fields import FacetMultiValueField

from articles.models import Article

UNDATED_NEWEST = -(2**62)
UNDATED_OLDEST = 2**62


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
        return (
            Article.objects.published()
            .prefetch_related("mentions__person", "topic_links__topic", "round_links__round")
            .order_by("pk")
        )

    def prepare_people(self, obj: Article) -> list[str]:
        return sorted(m.person.slug for m in obj.mentions.all())

    def prepare_topics(self, obj: Article) -> list[str]:
        return sorted(link.topic.slug for link in obj.topic_links.all())

    def prepare_rounds(self, obj: Article) -> list[str]:
        return sorted(link.round.slug for link in obj.round_links.all() if link.state != "rejected")

    def prepare_changed(self, obj: Article) -> str:
        return "yes" if obj.changed else "no"

    def prepare_text(self, obj: Article) -> str:
        return "\n".join((obj.title, obj.byline, obj.dateline, obj.body))

    def prepare_exact(self, obj: Article) -> str:
        # Blank lines between the fields: a phrase does not run on from one into the next.
        return "\n\n".join((obj.title, obj.byline, obj.dateline, obj.body))

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
