"""An index in the article list's own order, newest first with undated articles last, on
PostgreSQL. There an ascending index read backwards gives NULLS FIRST, so the list read
the whole date index and sorted it for every page. SQLite puts NULLs first in ascending
order already, so its date index read backwards is this order; it cannot hold NULLS LAST
in an index anyway."""

from django.db import migrations, models
from django.db.models import F

NEWEST_FIRST = models.Index(
    F("published_date").desc(nulls_last=True),
    F("published_at").desc(nulls_last=True),
    F("id").desc(),
    name="article_newest_first",
)


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.add_index(apps.get_model("articles", "Article"), NEWEST_FIRST)


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.remove_index(apps.get_model("articles", "Article"), NEWEST_FIRST)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0019_fingerprint_band_indexes"),
    ]

    operations = [migrations.RunPython(create_index, drop_index)]
