"""The undated list's order (title, id) in an index of the undated articles alone: the
list sorted every undated article for each page (33,000 of them at a million articles)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0021_article_tallies"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="article",
            index=models.Index(
                condition=models.Q(("published_date__isnull", True)),
                fields=["title", "id"],
                name="article_undated_order",
            ),
        ),
    ]
