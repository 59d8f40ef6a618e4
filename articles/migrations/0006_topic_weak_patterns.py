from django.db import migrations, models


def fill_weak_patterns(apps, schema_editor):
    """Topics loaded before the field existed get the curated weak patterns."""
    from articles.analysis.catalogue import TOPICS

    Topic = apps.get_model("articles", "Topic")
    for spec in TOPICS:
        Topic.objects.filter(slug=spec.slug, weak_patterns="").update(
            weak_patterns="\n".join(spec.weak_patterns)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0005_article_date_order_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="topic",
            name="weak_patterns",
            field=models.TextField(
                blank=True,
                help_text="Weaker signs, one per line: they count only when they match at "
                "least twice in an article (a passing mention is not the subject).",
            ),
        ),
        migrations.RunPython(fill_weak_patterns, migrations.RunPython.noop),
    ]
