from django.db import migrations


def add_curated_lists(apps, schema_editor):
    """A new archive starts with the curated people, topics and rounds of the data file."""
    from articles.curated_lists import add_curated_lists

    add_curated_lists(
        apps.get_model("articles", "Person"),
        apps.get_model("articles", "Topic"),
        apps.get_model("articles", "TalksRound"),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0008_index_task"),
    ]

    operations = [
        migrations.RunPython(add_curated_lists, migrations.RunPython.noop),
    ]
