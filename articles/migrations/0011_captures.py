"""Captures become their own records: each article's one capture moves, exactly as it was
stored, into a Capture row; the article keeps the text it shows."""

import django.db.models.deletion
from django.db import migrations, models

BATCH = 500


def move_captures(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    Capture = apps.get_model("articles", "Capture")
    rows = Article.objects.order_by("pk").values_list(
        "pk",
        "origin",
        "sha256",
        "capture_kind",
        "raw_encoding",
        "raw",
        "title",
        "body",
    )
    # A capture's headline is the one it gave, not a later staff correction of it.
    Correction = apps.get_model("articles", "Correction")
    read_titles = {}
    for article_id, old in (
        Correction.objects.filter(field="title")
        .order_by("-corrected_at", "-id")
        .values_list("article_id", "old_value")
    ):
        read_titles[article_id] = old  # the earliest correction's "from" is what was read
    batch = []
    for pk, origin, sha256, kind, encoding, raw, title, body in rows.iterator(BATCH):
        title = read_titles.get(pk, title)
        batch.append(
            Capture(
                article_id=pk,
                origin=origin,
                sha256=sha256,
                kind=kind,
                encoding=encoding,
                raw=raw,
                title=title,
                body=body,
            )
        )
        if len(batch) >= BATCH:
            Capture.objects.bulk_create(batch)
            batch = []
    Capture.objects.bulk_create(batch)
    # A capture was read when its article was, not when this migration ran.
    Capture.objects.update(
        ingested_at=models.Subquery(
            Article.objects.filter(pk=models.OuterRef("article_id")).values("ingested_at")[:1]
        )
    )


def move_back(apps, schema_editor):
    """Each article takes back its latest capture (earlier ones are lost going back)."""
    Article = apps.get_model("articles", "Article")
    Capture = apps.get_model("articles", "Capture")
    for capture in Capture.objects.order_by("article_id", "captured_at", "id").iterator(BATCH):
        Article.objects.filter(pk=capture.article_id).update(
            origin=capture.origin[:255],
            sha256=capture.sha256,
            capture_kind=capture.kind,
            raw_encoding=capture.encoding,
            raw=capture.raw,
        )


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0010_field_evidence"),
    ]

    operations = [
        migrations.AddField(
            model_name="article",
            name="changed",
            field=models.BooleanField(
                db_index=True, default=False, help_text="Its text differs between captures."
            ),
        ),
        migrations.CreateModel(
            name="Capture",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "origin",
                    models.CharField(
                        db_index=True,
                        help_text="Its stable name: the path relative to the folder ingested, or its URL.",
                        max_length=2000,
                    ),
                ),
                (
                    "path",
                    models.CharField(
                        blank=True, help_text="Where it was read from.", max_length=2000
                    ),
                ),
                (
                    "url",
                    models.URLField(
                        blank=True, help_text="The URL it was captured from.", max_length=2000
                    ),
                ),
                ("canonical_url", models.URLField(blank=True, db_index=True, max_length=2000)),
                (
                    "captured_at",
                    models.DateTimeField(
                        blank=True,
                        help_text="When it was captured (WARC-Date), where known.",
                        null=True,
                    ),
                ),
                (
                    "container",
                    models.CharField(
                        choices=[("file", "File"), ("warc", "WARC record")],
                        default="file",
                        max_length=10,
                    ),
                ),
                ("kind", models.CharField(default="text", help_text="text or html", max_length=10)),
                ("encoding", models.CharField(default="utf-8", max_length=20)),
                (
                    "sha256",
                    models.CharField(help_text="Of the bytes as read.", max_length=64, unique=True),
                ),
                ("raw", models.TextField(help_text="The capture exactly as read.")),
                (
                    "title",
                    models.CharField(help_text="The headline this capture gave.", max_length=300),
                ),
                ("body", models.TextField(help_text="The text this capture gave.")),
                (
                    "changes",
                    models.JSONField(
                        blank=True,
                        default=list,
                        help_text="What differs from the capture before it.",
                    ),
                ),
                ("ingested_at", models.DateTimeField(auto_now_add=True)),
                (
                    "article",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="captures",
                        to="articles.article",
                    ),
                ),
            ],
            options={
                "ordering": ["article", "captured_at", "id"],
            },
        ),
        migrations.AlterField(
            model_name="article",
            name="origin",
            field=models.CharField(max_length=255, help_text="File name it came from."),
        ),
        migrations.AlterField(
            model_name="article",
            name="sha256",
            field=models.CharField(max_length=64),
        ),
        migrations.RunPython(move_captures, move_back),
        migrations.RemoveField(
            model_name="article",
            name="capture_kind",
        ),
        migrations.RemoveField(
            model_name="article",
            name="origin",
        ),
        migrations.RemoveField(
            model_name="article",
            name="raw",
        ),
        migrations.RemoveField(
            model_name="article",
            name="raw_encoding",
        ),
        migrations.RemoveField(
            model_name="article",
            name="sha256",
        ),
    ]
