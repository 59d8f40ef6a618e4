"""Existing archives migrate without loss: each article keeps its one capture."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("articles", "0010_field_evidence")]
AFTER = [("articles", "0011_captures")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_each_article_keeps_its_one_capture_exactly():
    old = migrate(BEFORE)
    Article = old.get_model("articles", "Article")
    Correction = old.get_model("articles", "Correction")
    raw = "Caf\u00e9 talks\r\n\r\nPARIS - Ministers met. \u201cUseful,\u201d one said.\n"
    first = Article.objects.create(
        title="Café talks (corrected)",
        body="PARIS - Ministers met.",
        body_html="<p>PARIS - Ministers met.</p>",
        raw=raw,
        raw_encoding="cp1252",
        capture_kind="text",
        origin="a/cafe.txt",
        sha256="a" * 64,
    )
    Correction.objects.create(
        article=first, field="title", old_value="Café talks", new_value=first.title
    )
    Article.objects.create(
        title="Second",
        body="b",
        body_html="<p>b</p>",
        raw="<html>b</html>",
        capture_kind="html",
        origin="second.html",
        sha256="b" * 64,
    )
    try:
        new = migrate(AFTER)
        Capture = new.get_model("articles", "Capture")
        captures = {c.origin: c for c in Capture.objects.all()}
        assert set(captures) == {"a/cafe.txt", "second.html"}
        cafe = captures["a/cafe.txt"]
        assert cafe.article_id == first.pk and cafe.raw == raw
        assert (cafe.sha256, cafe.encoding, cafe.kind) == ("a" * 64, "cp1252", "text")
        assert cafe.title == "Café talks"  # the headline it gave, not the correction
        assert cafe.ingested_at == first.ingested_at
        assert captures["second.html"].kind == "html"
    finally:
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes("articles"))
