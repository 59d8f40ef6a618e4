"""Each fingerprint band's index holds the whole fingerprint too, so copies are confirmed
from the index alone. The bands' own indexes are dropped by name rather than by altering
the fields, which on SQLite would copy the whole table four times."""

from django.db import migrations, models

BANDS = [f"fp_band{number}" for number in range(4)]


def band_indexes(schema_editor, table: str) -> list[str]:
    """The names of the single-column indexes on a band."""
    with schema_editor.connection.cursor() as cursor:
        constraints = schema_editor.connection.introspection.get_constraints(cursor, table)
    return [
        name
        for name, details in constraints.items()
        if details["index"]
        and not details["unique"]
        and not details["primary_key"]
        and details["columns"] in ([band] for band in BANDS)
    ]


def drop_band_indexes(apps, schema_editor):
    article = apps.get_model("articles", "Article")
    for name in band_indexes(schema_editor, article._meta.db_table):
        schema_editor.execute(schema_editor._delete_index_sql(article, name))


def create_band_indexes(apps, schema_editor):
    article = apps.get_model("articles", "Article")
    for band in BANDS:
        field = article._meta.get_field(band)
        schema_editor.execute(schema_editor._create_index_sql(article, fields=[field]))


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0018_article_wording"),
    ]

    operations = [
        *(
            migrations.AddIndex(
                model_name="article",
                index=models.Index(fields=[band, "fingerprint"], name=f"article_{band}"),
            )
            for band in BANDS
        ),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="article",
                    name=band,
                    field=models.IntegerField(blank=True, null=True),
                )
                for band in BANDS
            ],
            database_operations=[
                migrations.RunPython(drop_band_indexes, create_band_indexes, elidable=False)
            ],
        ),
    ]
