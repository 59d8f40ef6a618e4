"""Related coverage on the article page: other outlets' reports of the same event first."""

from datetime import date

import pytest

from articles.models import Article
from articles.related import Profile, rank_related, relation
from tests.conftest import make_article

DAY = date(2008, 3, 18)


def profile(pk, *, source=1, day=DAY, dated=True, people=(), vector=None, rounds=()):
    return Profile(
        pk=pk,
        source_id=source,
        spans=((day, day),) if day else (),
        dated=dated,
        people=frozenset(people),
        rounds=frozenset(rounds),
        vector=vector or {"moscow": 0.6, "lavrov": 0.6, "radar": 0.52},
    )


def test_a_report_of_the_same_days_beats_a_closer_wording_from_another_month():
    target = profile(1)
    same_event = profile(2, source=2, vector={"moscow": 0.5, "lavrov": 0.3, "gate": 0.81})
    lookalike = profile(3, source=3, day=date(2007, 10, 12))
    ranked = [found.pk for found in rank_related(target, [lookalike, same_event])]
    assert ranked == [2, 3]
    assert relation(target, same_event).same_event
    assert not relation(target, lookalike).same_event


def test_other_outlets_come_before_the_articles_own_outlet_within_an_event():
    target = profile(1, source=7)
    own_follow_up = profile(2, source=7)
    other_outlet = profile(3, source=8, vector={"moscow": 0.5, "lavrov": 0.5, "kosovo": 0.7})
    assert [found.pk for found in rank_related(target, [own_follow_up, other_outlet])] == [3, 2]


def test_a_known_day_counts_for_more_than_a_round_guessed_for_an_undated_article():
    target = profile(1)
    guessed = profile(2, source=2, dated=False)
    dated = profile(3, source=3, vector={"moscow": 0.4, "lavrov": 0.4, "serdyukov": 0.82})
    assert [found.pk for found in rank_related(target, [guessed, dated])] == [3, 2]


def test_the_same_days_with_unrelated_words_are_not_the_same_event():
    target = profile(1)
    unrelated = profile(2, source=2, vector={"olympics": 0.8, "beijing": 0.6})
    assert not relation(target, unrelated).same_event


@pytest.mark.django_db
def test_on_the_seeds_the_march_reports_list_each_other_as_the_same_event(seeded, on_commit):
    from articles.enrich import analyse_articles, load_catalogue
    from articles.search.similar import more_like_this

    load_catalogue()  # the talks rounds, which place an undated report
    with on_commit():
        analyse_articles()
    bbc = Article.objects.get(captures__origin="004_6635417ac052c5bc.txt")
    rows = more_like_this(bbc, limit=5)
    same_event = {row.article.captures.first().origin[:3] for row in rows if row.same_event}
    # The blog of 18 March, and RT's undated report placed in the round by its content.
    assert same_event == {"001", "003"}
    assert [row.same_event for row in rows] == sorted(
        (row.same_event for row in rows), reverse=True
    )
    assert bbc not in [row.article for row in rows]


@pytest.mark.django_db
def test_republished_copies_are_one_row_with_also_published_by(on_commit):
    story = (
        "Moscow and Washington failed to agree on the radar in the Czech Republic and the "
        "interceptors in Poland, Foreign Minister Sergei Lavrov said after talks with "
        "Condoleezza Rice on Tuesday, adding that consultations would continue next month."
    )
    with on_commit():
        target = make_article(title="Lavrov: no deal on radar", source="BBC News")
        target.body = story.replace("failed to agree", "did not agree") + " Gates agreed."
        target.save()
        original = make_article(title="No radar deal", source="RIA Novosti", body=story)
        copy = make_article(title="No radar deal", source="GlobalSecurity.org", body=story)
    from articles.enrich import analyse_articles
    from articles.search.similar import more_like_this

    with on_commit():
        analyse_articles(Article.objects.all())
    rows = more_like_this(Article.objects.get(pk=target.pk), limit=5)
    listed = [row.article.pk for row in rows]
    assert len(rows) == 1 and listed[0] in {original.pk, copy.pk}
    assert [a.pk for a in rows[0].also_published_by] == [
        ({original.pk, copy.pk} - {listed[0]}).pop()
    ]


LATER_REPORT = """Wednesday, March 19, 2008

Rice and Gates leave Moscow with no deal on the missile shield

Moscow - US Secretary of State Condoleezza Rice and Defence Secretary Robert Gates left Moscow
without a deal on the missile defence shield in Europe, after two days of talks with Foreign
Minister Sergei Lavrov and Defence Minister Anatoly Serdyukov.

The Americans offered confidence-building measures and transparency at the radar in the Czech
Republic and the interceptor base in Poland; Russia again proposed the joint use of the Gabala
radar in Azerbaijan, and consultations will continue.

Lavrov said the talks had been useful, and that the president-elect Dmitry Medvedev would keep
Vladimir Putin's course with Washington.
"""


def related_titles(client, article) -> str:
    """The related coverage section of an article's page."""
    page = client.get(article.get_absolute_url()).content.decode()
    return page.split('id="similar-heading"', 1)[1] if 'id="similar-heading"' in page else ""


@pytest.mark.django_db
def test_an_ingested_article_lists_related_coverage_as_it_arrives_and_goes(
    seeded, client, on_commit, settings, tmp_path
):
    """Related coverage comes from what was kept at ingest, and neither the kept list nor
    the page's cache holds back a report that arrived later or one that was deleted."""
    from articles.ingest.pipeline import ingest_paths

    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    bbc = Article.objects.get(captures__origin="004_6635417ac052c5bc.txt")
    blog = Article.objects.get(captures__origin="001_cf4a24119513014b.txt")
    assert bbc.wording and blog.wording  # counted when they were ingested
    assert blog.title in related_titles(client, bbc)

    (tmp_path / "later_report.txt").write_text(LATER_REPORT)
    with on_commit():
        assert ingest_paths([tmp_path]).failed == 0
    later = Article.objects.get(captures__origin="later_report.txt")
    listed = related_titles(client, bbc)
    assert later.title in listed and blog.title in listed

    with on_commit():
        blog.delete()
    listed = related_titles(client, bbc)
    assert blog.title not in listed and later.title in listed
