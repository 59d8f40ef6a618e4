"""The index is rebuildable from the database: drift is found and repaired, rebuilds swap
in atomically, concurrent writers never lose an update."""

import threading
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

from articles.index_sync import compare_index, indexed_versions, rebuild_index
from articles.models import Article
from articles.search import Criteria, run_search
from tests.conftest import make_article

pytestmark = pytest.mark.django_db


def sync(*args) -> str:
    out = StringIO()
    call_command("sync_index", *args, stdout=out)
    return out.getvalue()


def test_drift_is_reported_and_repaired(on_commit):
    with on_commit():
        kept = make_article(title="Indexed and current")
        stale = make_article(title="Indexed then changed")
        orphan = make_article(title="Indexed then deleted behind the index's back")
    missing = make_article(title="Never indexed")  # its commit callback never ran
    Article.objects.filter(pk=stale.pk).update(title="Changed quietly")
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM articles_capture WHERE article_id = %s", [orphan.pk])
        cursor.execute("DELETE FROM articles_article WHERE id = %s", [orphan.pk])

    Article.objects.filter(pk=stale.pk).update(updated_at=stale.updated_at.replace(year=2030))
    drift = compare_index()
    assert drift.missing == {missing.pk}
    assert drift.stale == {stale.pk}
    assert drift.orphaned == {orphan.pk}
    assert "1 missing, 1 stale, 1 orphaned" in sync("--check")
    assert compare_index().missing == {missing.pk}  # --check changed nothing

    sync()
    assert compare_index().clean
    assert set(indexed_versions()) == {kept.pk, stale.pk, missing.pk}
    assert [row.article.title for row in run_search(Criteria(q="quietly")).rows] == [
        "Changed quietly"
    ]


def test_a_rebuild_swaps_in_a_fresh_folder_and_removes_the_old(search_index, on_commit):
    with on_commit():
        make_article(title="Before the rebuild", body="verification")
    assert search_index.is_dir() and not search_index.is_symlink()
    assert rebuild_index() == 1
    assert search_index.is_symlink()
    first = search_index.resolve()
    rebuild_index()
    assert search_index.resolve() != first and not first.exists()
    assert run_search(Criteria(q="verification")).hits == 1


def test_a_searcher_open_during_a_rebuild_keeps_working(on_commit):
    with on_commit():
        for n in range(5):
            make_article(title=f"Round {n}", body="verification")
    from haystack import connections

    backend = connections["default"].get_backend()
    backend.setup()
    searcher = backend.index.refresh().searcher()
    rebuild_index()
    assert searcher.doc_count() == 5  # the old files stay readable until closed
    searcher.close()
    assert run_search(Criteria(q="verification")).hits == 5


def test_a_corrupt_index_gives_a_clear_page_and_the_repair_command_restores_it(
    client, search_index, on_commit
):
    with on_commit():
        make_article(title="Evidence kept", body="verification")
    for path in search_index.iterdir():
        if path.suffix in (".toc", ".seg"):
            path.write_bytes(b"garbage")
    from haystack import connections

    connections.reload("default")
    response = client.get("/search/", {"q": "verification"})
    assert response.status_code == 503
    assert b"being built" in response.content
    assert "cannot be read" in sync("--check")
    sync()
    connections.reload("default")
    assert run_search(Criteria(q="verification")).hits == 1


def test_concurrent_writers_never_lose_an_update(on_commit):
    with on_commit():
        first = [make_article(title=f"A{n}", body="alpha").pk for n in range(40)]
        second = [make_article(title=f"B{n}", body="bravo").pk for n in range(40)]
    from haystack import connections

    index = connections["default"].get_unified_index().get_index(Article)
    batches = [list(Article.objects.published().filter(pk__in=pks)) for pks in (first, second)]
    connections["default"].get_backend().clear()
    errors = []

    def write(articles):
        # Each thread gets its own backend, as each server thread or process does.
        backend = connections["default"].get_backend()
        try:
            for article in articles:
                backend.update(index, [article])
        except Exception as error:  # collected, asserted below
            errors.append(error)

    threads = [threading.Thread(target=write, args=(batch,)) for batch in batches]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert compare_index().clean
    assert run_search(Criteria(q="alpha")).hits == 40
    assert run_search(Criteria(q="bravo")).hits == 40
