"""The index is rebuildable from the database: drift is found and repaired, rebuilds swap
in atomically, concurrent writers never lose an update."""

import os
import threading
from io import StringIO
from unittest import mock

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection, transaction

from articles.ingest.pipeline import ingest_paths
from articles.models import Article, IndexTask
from articles.search.query import Criteria
from articles.search.queue import drain_index_tasks
from articles.search.service import run_search
from articles.search.sync import compare_index, indexed_versions, rebuild_index, remove_articles
from tests.conftest import SEEDS, make_article

pytestmark = pytest.mark.django_db


def sync(*args) -> str:
    """What sync_index prints; the error `--check` ends with on drift, as its last line."""
    out = StringIO()
    try:
        call_command("sync_index", *args, stdout=out)
    except CommandError as error:
        out.write(f"{error}\n")
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
    report = sync("--check")
    assert "1 missing, 1 stale, 1 orphaned" in report
    assert report.endswith("The search index differs from the database.\n")
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


# -- The outbox: index work recorded with the change, done after the commit ---------------


def queued() -> list[tuple[int, str]]:
    return list(IndexTask.objects.values_list("article_id", "action"))


def test_index_work_is_recorded_in_the_transaction_and_done_after_it_commits(on_commit):
    with on_commit(), transaction.atomic():
        article = make_article(title="Queued with its row", body="verification")
        assert queued() == [(article.pk, "update")]
        assert indexed_versions() == {}  # not before the commit
    assert queued() == []
    assert run_search(Criteria(q="verification")).hits == 1


def test_a_rolled_back_change_leaves_no_index_work(on_commit):
    with on_commit(), pytest.raises(RuntimeError), transaction.atomic():
        make_article(title="Never committed")
        raise RuntimeError
    assert queued() == []
    assert indexed_versions() == {}


def test_a_deletion_is_queued_and_removes_the_document(on_commit):
    with on_commit():
        article = make_article(body="verification")
    with on_commit():
        article.delete()
    assert queued() == []
    assert run_search(Criteria(q="verification")).hits == 0


def crashed_after_commit(**fields) -> Article:
    """An article committed with its index work, by a process killed before doing that work
    (in a test, the commit callbacks simply never run)."""
    article = make_article(**fields)
    assert queued()[-1] == (article.pk, "update")
    return article


def test_work_left_by_a_crash_is_done_by_the_next_ingest(tmp_path):
    article = crashed_after_commit(body="verification")
    report = ingest_paths([tmp_path])
    assert report.reindexed == 1
    assert "1 articles missing from the search index indexed again" in report.summary()
    assert queued() == []
    assert [row.article.pk for row in run_search(Criteria(q="verification")).rows] == [article.pk]


def test_work_left_by_a_crash_is_done_by_sync_index():
    article = crashed_after_commit(body="verification")
    assert "Queued index work done for 1 articles" in sync()
    assert queued() == [] and compare_index().clean
    assert [row.article.pk for row in run_search(Criteria(q="verification")).rows] == [article.pk]


def test_index_work_that_fails_stays_queued_for_the_next_drain(on_commit):
    from articles.search import queue

    def index_down(updated, removed):
        raise OSError("disk full")

    with mock.patch.object(queue, "flush", index_down), on_commit():
        article = make_article(body="verification")
    assert queued() == [(article.pk, "update")]
    assert drain_index_tasks() == 1
    assert queued() == [] and run_search(Criteria(q="verification")).hits == 1


def test_sync_index_check_exits_1_naming_the_drifted_articles():
    missing = crashed_after_commit()
    out = StringIO()
    with pytest.raises(CommandError, match="differs from the database"):
        call_command("sync_index", "--check", stdout=out)
    report = out.getvalue()
    assert "1 articles have index work queued" in report
    assert "1 missing, 0 stale, 0 orphaned" in report
    assert f"missing: article {missing.pk}" in report
    assert queued()  # --check changed nothing
    sync()
    assert "0 missing, 0 stale, 0 orphaned" in sync("--check")


def test_reingesting_unchanged_files_restores_documents_the_index_lost(on_commit):
    with on_commit():
        ingest_paths([SEEDS])
    lost = Article.objects.order_by("pk").first()
    remove_articles([lost.pk])
    assert compare_index().missing == {lost.pk}
    report = ingest_paths([SEEDS])
    assert report.summary() == (
        "0 created, 0 updated, 5 unchanged, 0 failed; "
        "1 articles missing from the search index indexed again"
    )
    assert compare_index().clean
    assert ingest_paths([SEEDS]).reindexed == 0  # and nothing more to do the time after


def test_index_writing_processes_end_when_their_parent_is_killed(tmp_path):
    """They share the parent's index write lock: left waiting for work that will never
    come, they would make the next ingest or sync_index wait for that lock forever."""
    import subprocess
    import sys
    import time
    from pathlib import Path

    script = f"""
import multiprocessing, os, signal
import django
django.setup()
from whoosh.fields import ID, Schema
from articles.search.whoosh.backend import _write_part
context = multiprocessing.get_context("fork")
todo, done = context.Queue(), context.Queue()
writer = context.Process(
    target=_write_part,
    args=({str(tmp_path / "part")!r}, Schema(id=ID(stored=True)), todo, done, os.getpid()),
)
writer.start()
print(writer.pid, flush=True)
os.kill(os.getpid(), signal.SIGKILL)
"""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings"}
    parent = subprocess.Popen(
        [sys.executable, "-c", script],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    line = parent.stdout.readline()
    parent.wait(timeout=120)
    parent.stdout.close()
    writer = int(line)
    status = Path(f"/proc/{writer}/status")

    def running() -> bool:
        try:
            return "State:\tZ" not in status.read_text()  # a zombie has ended
        except FileNotFoundError:
            return False

    deadline = time.monotonic() + 30
    while running() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not running(), "the writing process outlived its killed parent"


def test_a_backend_offering_only_haystack_s_contract_is_kept_in_sync_through_haystack(
    on_commit, monkeypatch
):
    """sync.py asks the backend what it can do beyond Haystack's contract: without those
    abilities (another engine) drift is still found, repaired and rebuilt, by Haystack."""
    from haystack import connections

    backend = connections["default"].get_backend()
    for ability in ("writes_in_bulk", "rebuilds_by_swap", "stored_versions", "stored_versions_of"):
        monkeypatch.setattr(backend, ability, None, raising=False)
    with on_commit():
        indexed = make_article(title="Indexed through Haystack")
    missing = make_article(title="Never indexed")
    drift = compare_index()
    assert (drift.missing, drift.stale, drift.orphaned) == ({missing.pk}, set(), set())
    sync()
    assert compare_index().clean
    assert rebuild_index() == 2
    assert set(indexed_versions()) == {indexed.pk, missing.pk}
