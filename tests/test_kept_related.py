"""Related coverage ranked by `relate_articles` and kept: the article page reads the kept
list, and no change to the archive leaves a page showing a list it would no longer rank."""

from datetime import date

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.utils.html import escape

from articles.kept_related import relate_articles
from articles.models import Article, KeptRelated
from tests.test_related import LATER_REPORT, related_titles

LOCMEM = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


@pytest.fixture
def kept(seeded, settings, on_commit):
    """The seeds with every related list ranked and kept; the page's own cache off."""
    settings.CACHES = LOCMEM
    with on_commit():
        counts = relate_articles()
    assert counts.ranked == Article.objects.count() and not counts.left
    return counts


@pytest.fixture
def no_ranking(monkeypatch):
    """Ranking on a page view fails loudly: the page can only show a kept list."""

    def refuse(*args, **kwargs):
        raise AssertionError("ranked on the page")

    monkeypatch.setattr("articles.related.rank", refuse)


def bbc() -> Article:
    return Article.objects.get(captures__origin="004_6635417ac052c5bc.txt")


def blog() -> Article:
    return Article.objects.get(captures__origin="001_cf4a24119513014b.txt")


@pytest.mark.django_db
def test_the_page_shows_the_kept_list_it_would_rank_live(seeded, client, settings, monkeypatch):
    settings.CACHES = LOCMEM
    live = related_titles(client, bbc())
    assert blog().title in live
    relate_articles()
    cache.clear()
    monkeypatch.setattr("articles.related.rank", lambda *a, **k: 1 / 0)
    assert related_titles(client, bbc()) == live


@pytest.mark.django_db
def test_a_report_ingested_later_reaches_the_kept_lists_it_belongs_in(
    kept, client, on_commit, tmp_path, monkeypatch
):
    from articles.ingest.pipeline import ingest_paths

    (tmp_path / "later_report.txt").write_text(LATER_REPORT)
    with on_commit():
        assert ingest_paths([tmp_path]).failed == 0
    later = Article.objects.get(captures__origin="later_report.txt")
    # Before the next run the kept list is not used: the page ranks live and lists it.
    assert later.title in related_titles(client, bbc())

    counts = relate_articles()
    assert counts.dropped >= 1  # the BBC report's list, which the later report enters
    cache.clear()
    monkeypatch.setattr("articles.related.rank", lambda *a, **k: 1 / 0)
    listed = related_titles(client, bbc())
    assert later.title in listed and blog().title in listed


@pytest.mark.django_db
def test_a_corrected_date_takes_a_report_out_of_the_same_event(kept, client, on_commit):
    same_event = related_titles(client, bbc()).split("More ")[0]
    assert blog().title in same_event
    corrected = blog()
    corrected.published_date = date(2007, 6, 1)
    with on_commit():
        corrected.save()
    assert not KeptRelated.objects.filter(article=corrected).exists()
    relate_articles()
    cache.clear()
    same_event = related_titles(client, bbc()).split("More ")[0]
    assert blog().title not in same_event


@pytest.mark.django_db
def test_a_deleted_report_leaves_the_kept_list_and_a_spare_row_takes_its_place(
    kept, client, on_commit, no_ranking
):
    before = related_titles(client, bbc())
    gone = blog()
    with on_commit():
        gone.delete()
    after = related_titles(client, bbc())
    assert gone.title in before and gone.title not in after
    others = Article.objects.exclude(pk=bbc().pk)
    assert all(escape(other.title) in after for other in others)


@pytest.mark.django_db
def test_the_command_says_what_it_did_and_goes_on_where_a_time_limit_stopped_it(seeded, capsys):
    call_command("relate_articles", "--seconds", "0")
    assert "stopped at the time limit" in capsys.readouterr().out
    assert not KeptRelated.objects.exists()
    call_command("relate_articles")
    out = capsys.readouterr().out
    assert out.startswith(f"{Article.objects.count()} related lists ranked and kept")
    call_command("relate_articles")
    assert capsys.readouterr().out.startswith("0 related lists ranked")
    call_command("relate_articles", "--again")
    assert capsys.readouterr().out.startswith(f"{Article.objects.count()} related lists")
