"""Article counts by source, site and month, kept by triggers on the article table so that
every insert, delete and change of source, site or date (bulk ones, staff edits, a source
deleted) counts at once, and the pages that show counts read a few thousand rows rather
than every article. Filled from the articles already there."""

from django.db import migrations, models

TALLY = "articles_articletally"
ARTICLE = "articles_article"

# A month as year * 100 + month, 0 when undated (models.UNDATED).
MONTH = {
    "sqlite": "COALESCE(CAST(strftime('%Y%m', {row}.published_date) AS INTEGER), 0)",
    "postgresql": "COALESCE(CAST(EXTRACT(YEAR FROM {row}.published_date) * 100"
    " + EXTRACT(MONTH FROM {row}.published_date) AS INTEGER), 0)",
}


def _key(vendor: str, row: str) -> dict[str, str]:
    return {
        "source": f"COALESCE({row}.source_id, 0)",
        "site": f"COALESCE({row}.captured_from_id, 0)",
        "month": MONTH[vendor].format(row=row),
    }


def _add(vendor: str, row: str) -> str:
    key = _key(vendor, row)
    return (
        f"INSERT INTO {TALLY} (source, site, month, articles)"
        f" VALUES ({key['source']}, {key['site']}, {key['month']}, 1)"
        f" ON CONFLICT (source, site, month) DO UPDATE SET articles = {TALLY}.articles + 1"
    )


def _remove(vendor: str, row: str) -> str:
    key = _key(vendor, row)
    where = " AND ".join(f"{column} = {value}" for column, value in key.items())
    return f"UPDATE {TALLY} SET articles = articles - 1 WHERE {where}"


def _moved(vendor: str) -> str:
    """An update that moves an article to another tally."""
    old, new = _key(vendor, "OLD"), _key(vendor, "NEW")
    return " OR ".join(f"{old[column]} <> {new[column]}" for column in old)


def sqlite_triggers() -> list[str]:
    columns = "source_id, captured_from_id, published_date"
    return [
        f"CREATE TRIGGER article_tally_insert AFTER INSERT ON {ARTICLE}"
        f" BEGIN {_add('sqlite', 'NEW')}; END",
        f"CREATE TRIGGER article_tally_delete AFTER DELETE ON {ARTICLE}"
        f" BEGIN {_remove('sqlite', 'OLD')}; END",
        f"CREATE TRIGGER article_tally_update AFTER UPDATE OF {columns} ON {ARTICLE}"
        f" WHEN {_moved('sqlite')}"
        f" BEGIN {_remove('sqlite', 'OLD')}; {_add('sqlite', 'NEW')}; END",
    ]


def postgresql_triggers() -> list[str]:
    columns = "source_id, captured_from_id, published_date"
    return [
        "CREATE FUNCTION article_tally() RETURNS trigger LANGUAGE plpgsql AS $$"
        " BEGIN"
        f" IF TG_OP <> 'INSERT' THEN {_remove('postgresql', 'OLD')}; END IF;"
        f" IF TG_OP <> 'DELETE' THEN {_add('postgresql', 'NEW')}; END IF;"
        " RETURN NULL;"
        " END $$",
        f"CREATE TRIGGER article_tally AFTER INSERT OR DELETE ON {ARTICLE}"
        " FOR EACH ROW EXECUTE FUNCTION article_tally()",
        f"CREATE TRIGGER article_tally_update AFTER UPDATE OF {columns} ON {ARTICLE}"
        f" FOR EACH ROW WHEN ({_moved('postgresql')}) EXECUTE FUNCTION article_tally()",
    ]


DROP = {
    "sqlite": [
        f"DROP TRIGGER IF EXISTS article_tally_{event}" for event in ("insert", "delete", "update")
    ],
    "postgresql": [
        f"DROP TRIGGER IF EXISTS article_tally ON {ARTICLE}",
        f"DROP TRIGGER IF EXISTS article_tally_update ON {ARTICLE}",
        "DROP FUNCTION IF EXISTS article_tally()",
    ],
}


def fill(vendor: str) -> str:
    key = _key(vendor, ARTICLE)
    return (
        f"INSERT INTO {TALLY} (source, site, month, articles)"
        f" SELECT {key['source']}, {key['site']}, {key['month']}, COUNT(*) FROM {ARTICLE}"
        " GROUP BY 1, 2, 3"
    )


def create_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    triggers = {"sqlite": sqlite_triggers, "postgresql": postgresql_triggers}[vendor]()
    if vendor == "postgresql":
        schema_editor.execute(f"LOCK TABLE {ARTICLE} IN SHARE MODE")
    for statement in [*triggers, fill(vendor)]:
        schema_editor.execute(statement, params=None)


def drop_triggers(apps, schema_editor):
    for statement in DROP[schema_editor.connection.vendor]:
        schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0020_article_newest_first_index"),
    ]

    operations = [
        migrations.CreateModel(
            name="ArticleTally",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "source",
                    models.BigIntegerField(help_text="The credited source's id, 0 for none."),
                ),
                (
                    "site",
                    models.BigIntegerField(
                        help_text="The id of the source captured from, 0 for none."
                    ),
                ),
                (
                    "month",
                    models.IntegerField(
                        help_text="Year * 100 + month of publication, 0 when undated."
                    ),
                ),
                ("articles", models.IntegerField(default=0)),
            ],
            options={
                "indexes": [models.Index(fields=["site", "source"], name="article_tally_site")],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("source", "site", "month"), name="article_tally_key"
                    )
                ],
            },
        ),
        migrations.RunPython(create_triggers, drop_triggers),
    ]
