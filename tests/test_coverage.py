"""The talks, the people and how each source told it: pages, facets and staff curation."""

from datetime import date

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.analysis.duplicates import bands, fingerprint
from articles.charts import DRAWING_WIDTHS, Label, timeline_chart, timeline_drawings
from articles.enrich import (
    Catalogue,
    _signed,
    analyse_article,
    load_catalogue,
    republished_copies,
    republished_map,
)
from articles.models import Article, ArticleRound, Person, Quotation, TalksRound, Topic
from articles.search.query import Criteria
from articles.search.service import run_search
from tests.conftest import make_article

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue(db):
    load_catalogue()
    return Catalogue.from_database()


@pytest.fixture
def talks(catalogue, on_commit):
    """Articles that are not the seeds, analysed as ingest does."""
    bodies = {
        "Wire A": (
            date(2008, 3, 18),
            "Moscow",
            "Sergey Lavrov met Condoleezza Rice in Moscow on Tuesday.\n\n"
            "“We still disagree on the radar in the Czech Republic,” Lavrov said.",
        ),
        "Wire B": (
            date(2008, 3, 18),
            "Moscow",
            "Foreign Minister Sergei Lavrov and Ms Rice held talks on missile defence.\n\n"
            '"Our concerns about the Polish interceptor site remain," Mr Lavrov said.',
        ),
        "Wire C": (
            date(2007, 10, 12),
            "Moscow",
            "Robert Gates discussed the CFE treaty with Anatoly Serdyukov.",
        ),
    }
    articles = []
    with on_commit():
        for source, (published, dateline, body) in bodies.items():
            article = make_article(
                source=source,
                published_date=published,
                dateline=dateline,
                body=body,
                title=f"{source} on the talks",
            )
            analyse_article(article, catalogue)
            articles.append(article)
    return articles


def test_a_persons_page_lists_quotations_by_source(talks, client):
    page = client.get("/people/sergei-lavrov/").content.decode()
    assert "We still disagree on the radar in the Czech Republic" in page
    assert "Our concerns about the Polish interceptor site remain" in page
    assert "2 quotations in 2 articles" in page
    assert "Wire C" not in page.split("What each outlet quoted")[1].split("Articles naming")[0]


def test_people_and_topic_facets_have_exact_counts(talks):
    outcome = run_search(Criteria(q="Lavrov OR Gates"))
    people = {f.value: f.count for f in outcome.people_facets}
    assert people["sergei-lavrov"] == 2 and people["robert-gates"] == 1
    assert people["condoleezza-rice"] == 2
    topics = {f.value: f.count for f in outcome.topic_facets}
    assert topics.get("cfe-treaty") == 1
    narrowed = run_search(Criteria(q="Lavrov OR Gates", person="anatoly-serdyukov"))
    assert [row.article.title for row in narrowed.rows] == ["Wire C on the talks"]


def test_round_pages_show_coverage_side_by_side(talks, client):
    page = client.get("/rounds/moscow-2plus2-2008-03/").content.decode()
    assert "Wire A on the talks" in page and "Wire B on the talks" in page
    assert "Wire C on the talks" not in page
    october = client.get("/rounds/moscow-2plus2-2007-10/").content.decode()
    assert "Wire C on the talks" in october


def test_staff_decisions_on_rounds_survive_reanalysis_and_reach_the_index(
    talks, catalogue, client, on_commit
):
    staff = User.objects.create_superuser("boss", "b@example.org", "pw-for-tests")
    client.force_login(staff)
    link = ArticleRound.objects.get(article=talks[0], round__slug="moscow-2plus2-2008-03")
    with on_commit():
        client.post(
            "/admin/articles/articleround/",
            {"action": "reject", "_selected_action": [link.pk]},
        )
    link.refresh_from_db()
    assert link.state == "rejected"
    analyse_article(talks[0], catalogue)
    link.refresh_from_db()
    assert link.state == "rejected"
    rounds = {f.value: f.count for f in run_search(Criteria(q="Lavrov")).round_facets}
    assert rounds["moscow-2plus2-2008-03"] == 1


def test_index_documents_list_the_same_links_read_in_bulk_or_alone(
    talks, django_assert_max_num_queries
):
    """A batch of articles is read for the index with a query for the articles and one per
    kind of link, and each document lists the people, topics and rounds (not the rejected
    ones) that the article read alone gives."""
    from haystack import connections

    from articles.models import Article
    from articles.search.sync import article_batches

    ArticleRound.objects.filter(article=talks[1]).update(state="rejected")
    index = connections["default"].get_unified_index().get_index(Article)
    with django_assert_max_num_queries(4):
        [batch] = article_batches([article.pk for article in talks])
        documents = {article.pk: index.full_prepare(article) for article in batch}
    for article in talks:
        assert documents[article.pk] == index.full_prepare(Article.objects.get(pk=article.pk))
    first, second, third = (documents[article.pk] for article in talks)
    assert first["people"] == ["condoleezza-rice", "sergei-lavrov"]
    assert first["rounds"] == ["moscow-2plus2-2008-03"] and second["rounds"] == []
    assert third["topics"] == ["cfe-treaty"]


def test_staff_can_extend_a_persons_name_variants(catalogue, on_commit):
    person = Person.objects.get(slug="sergei-lavrov")
    person.variants += "\nS. V. Lavrov"
    person.save()
    article = make_article(body="The minister S. V. Lavrov arrived.", source="Wire D")
    analyse_article(article, Catalogue.from_database())
    assert article.mentions.filter(person=person).exists()


def test_republished_copies_are_grouped_in_results_and_named_on_the_article(
    catalogue, on_commit, client
):
    story = (
        "The U.S. and Russia failed to resolve a missile defense dispute at Friday's talks in "
        "Moscow between the countries' foreign and defense ministers, but agreed to resume "
        "negotiations in Washington next April after a long day of meetings.\n\n"
        "Rice said the two sides would continue discussions at the level of experts and that "
        "the United States was willing to address Russian concerns about the radar."
    )
    with on_commit():
        original = make_article(source="RIA Novosti", body=story, title="Talks fail")
        copy = make_article(source="GlobalSecurity.org", body=story, title="Talks fail (copy)")
        other = make_article(
            source="BBC News",
            title="Different story",
            body="Ministers met in Brussels to talk about trade quotas and fish.",
        )
        for article in (original, copy, other):
            analyse_article(article, catalogue)
            article.refresh_from_db()
    assert republished_copies(original) == [copy]
    assert republished_copies(other) == []
    outcome = run_search(Criteria(q="missile"))
    assert len(outcome.rows) == 1 and outcome.hits == 2
    assert [a.pk for a in outcome.rows[0].also_published_by] in ([copy.pk], [original.pk])
    page = client.get(original.get_absolute_url()).content.decode()
    assert "Also published by" in page


def test_fingerprints_of_different_stories_differ():
    assert fingerprint("one story about talks in Moscow " * 5) != fingerprint(
        "another story about fishing quotas in Brussels " * 5
    )


def test_topic_and_people_lists_and_timeline_render(talks, client):
    assert "Sergei Lavrov" in client.get("/people/").content.decode()
    assert "CFE" in client.get("/topics/").content.decode()
    timeline = client.get("/timeline/").content.decode()
    assert "<svg" in timeline and "month-bar" in timeline and "round-band" in timeline


def test_the_timeline_chart_covers_every_round_and_scales_bars():
    chart = timeline_chart(
        [(date(2008, 3, 1), 4), (date(2008, 4, 1), 2)],
        [
            ("Sochi", "/rounds/sochi/", date(2008, 4, 6), date(2008, 4, 6)),
            ("Later", "/rounds/later/", date(2008, 6, 1), date(2008, 6, 2)),
        ],
    )
    assert [bar.count for bar in chart.bars] == [4, 2, 0, 0]
    assert chart.bars[0].height == 2 * chart.bars[1].height
    assert [m.number for m in chart.markers] == [1, 2]
    assert chart.markers[0].x < chart.markers[1].x <= chart.width


def _overlapping(labels, font):
    """Pairs of labels on one line whose estimated boxes meet."""
    clashes = []
    for y in {label.y for label in labels}:
        spans = sorted(label.span(font) for label in labels if label.y == y)
        clashes += [(a, b) for a, b in zip(spans, spans[1:], strict=False) if b[0] < a[1]]
    return clashes


@pytest.mark.parametrize("years", [0, 1, 3, 8, 16, 40])
@pytest.mark.parametrize("width", [width for _, width, _ in DRAWING_WIDTHS])
def test_a_chart_of_any_span_fits_its_width_with_labels_apart(years, width):
    first = date(2007, 10, 1)
    series = [
        (date(first.year + (first.month - 1 + n) // 12, (first.month - 1 + n) % 12 + 1, 1), n % 7)
        for n in range(years * 12 + 3)
    ]
    rounds = [
        (f"Round {n}", f"/rounds/{n}/", day, day)
        for n, day in enumerate(
            [date(2007, 10, 12), date(2007, 10, 20), date(2007, 11, 2), date(2008, 3, 17)]
            + [date(2008 + k, 4, 6) for k in range(years)],
            start=1,
        )
    ]
    chart = timeline_chart(series, rounds, width=width)
    assert all(bar.x >= 0 and bar.x + bar.width <= width for bar in chart.bars)
    assert not _overlapping(chart.ticks, chart.font)
    assert all(
        left >= 0 and right <= width for left, right in (t.span(chart.font) for t in chart.ticks)
    )
    # Bars too thin to see become years; then every year is a bar.
    assert chart.by_year == (width / (years * 12 + 3) < 6)
    assert chart.ticks, "the axis is labelled"
    for row in {marker.row for marker in chart.markers}:
        numbers = [
            Label(str(m.number), m.label_x, m.label_y) for m in chart.markers if m.row == row
        ]
        assert not _overlapping(numbers, chart.font)


def test_sixteen_years_are_drawn_by_year_in_every_width_and_by_month_when_short():
    months = [(date(2007 + n // 12, n % 12 + 1, 1), 1) for n in range(16 * 12)]
    assert all(chart.by_year for chart in timeline_drawings(months))
    assert [bar.name for bar in timeline_drawings(months)[0].bars][:2] == ["2007", "2008"]
    assert not any(chart.by_year for chart in timeline_drawings(months[:24]))


def test_hostile_names_are_escaped_on_the_talks_pages(catalogue, client):
    TalksRound.objects.create(
        slug="evil",
        name="<script>alert(1)</script>",
        start=date(2008, 1, 1),
        end=date(2008, 1, 2),
        place="<img src=x onerror=alert(2)>",
    )
    Topic.objects.create(slug="evil", name="<script>alert(3)</script>", patterns="evilword")
    for url in ("/rounds/", "/rounds/evil/", "/timeline/", "/topics/", "/topics/evil/"):
        page = client.get(url).content.decode()
        assert "<script>alert" not in page and "<img src=x" not in page, url


def test_on_the_seeds_the_march_round_links_its_reports_and_lavrov_is_quoted_widely(
    db, client, django_capture_on_commit_callbacks
):
    from articles.ingest.pipeline import ingest_paths
    from tests.conftest import SEEDS

    load_catalogue()
    with django_capture_on_commit_callbacks(execute=True):
        ingest_paths([SEEDS])
    march = TalksRound.objects.get(slug="moscow-2plus2-2008-03")
    origins = set(march.article_links.values_list("article__captures__origin", flat=True))
    assert {
        "001_cf4a24119513014b.txt",
        "004_6635417ac052c5bc.txt",
        "003_9cbdff76008a1a21.txt",
    } <= origins
    assert "002_039291e9fa94fbe8.txt" not in origins
    lavrov = Quotation.objects.filter(person__slug="sergei-lavrov")
    assert lavrov.values("article").distinct().count() >= 4
    page = client.get("/people/sergei-lavrov/").content.decode()
    assert "Our position remains unaltered" in page and "heeded our concerns" in page


def test_the_catalogue_in_the_database_keeps_the_weak_topic_rule(catalogue):
    """Ingest reads the topics from the database: two weak mentions still make a topic,
    one still does not, and staff can edit the weak patterns."""
    from articles.analysis.topics import find_topics

    assert find_topics("Iran was discussed. Tehran was discussed too.", catalogue.topics) == (
        "iran",
    )
    assert find_topics("The shield is meant to counter Iran.", catalogue.topics) == ()
    Topic.objects.filter(slug="iran").update(weak_patterns="Persia")
    edited = Catalogue.from_database()
    assert find_topics("Iran was discussed. Tehran was discussed too.", edited.topics) == ()
    assert find_topics("Persia, then Persia again.", edited.topics) == ("iran",)


def test_an_article_page_lists_every_round_whose_page_lists_the_article(catalogue, client):
    article = make_article(title="Expert talks in Washington")
    rounds = list(TalksRound.objects.order_by("start")[:5])
    for n, talks_round in enumerate(rounds):
        ArticleRound.objects.create(article=article, round=talks_round, score=5 - n)
    ArticleRound.objects.filter(round=rounds[-1]).update(state=ArticleRound.State.REJECTED)
    page = client.get(article.get_absolute_url()).content.decode()
    for talks_round in rounds:
        round_page = client.get(talks_round.get_absolute_url()).content.decode()
        listed_there = "Expert talks in Washington" in round_page
        assert listed_there == (talks_round.get_absolute_url() in page), talks_round.slug
    assert (
        "Expert talks in Washington"
        not in client.get(rounds[-1].get_absolute_url()).content.decode()
    )


def test_a_persons_fragments_from_one_sentence_are_shown_with_it_once(catalogue, client, on_commit):
    with on_commit():
        article = make_article(
            title="Lavrov after Kennebunkport",
            body=(
                "Sergei Lavrov said that the two 'great powers' had a natural understanding "
                "for the importance of 'minimizing differences' and 'reaching agreements,' "
                "Interfax reported."
            ),
        )
        analyse_article(article, catalogue)
    page = " ".join(client.get("/people/sergei-lavrov/").content.decode().split())
    assert "“minimizing differences” … “reaching agreements”" in page
    assert page.count("In context: Sergei Lavrov said that the two") == 1
    assert "“great powers”" not in page


def _fingerprinted(title: str, value: int, day: date):
    """An article whose text fingerprint is `value` (as analysis stores it: signed, with
    its four bands)."""
    article = make_article(title=title, published_date=day, body=f"{title} text.")
    stored = dict(zip([f"fp_band{n}" for n in range(4)], bands(value), strict=True))
    Article.objects.filter(pk=article.pk).update(fingerprint=_signed(value), **stored)
    return Article.objects.get(pk=article.pk)


def test_copies_of_many_articles_are_found_through_any_band_in_one_look_up(
    django_assert_max_num_queries,
):
    story, wire = 0xF0F0_1234_ABCD_0001, 0x0F0F_8765_4321_FFFE
    original = _fingerprinted("Original", story, date(2008, 3, 18))
    # Copies differ in a bit or two, in a different band each: each shares three bands.
    early = _fingerprinted("Early copy", story ^ (1 << 60), date(2008, 3, 17))
    late = _fingerprinted("Late copy", story ^ (1 << 3) ^ (1 << 20), date(2008, 3, 19))
    # Shares the first band only and differs in many bits elsewhere: not a copy.
    _fingerprinted(
        "Same subject", (story & ~0xFFFF_FFFF_FFFF) | 0x1111_2222_3333, date(2008, 3, 18)
    )
    other = _fingerprinted("Wire story", wire, date(2008, 4, 1))
    wire_copy = _fingerprinted("Wire copy", wire ^ (1 << 40), date(2008, 4, 2))
    with django_assert_max_num_queries(2):
        found = republished_map([original, other])
    assert [a.title for a in found[original.pk]] == ["Late copy", "Early copy"]
    assert [a.title for a in found[other.pk]] == ["Wire copy"]
    assert [a.title for a in republished_map([late])[late.pk]] == ["Original", "Early copy"]
    assert [a.title for a in republished_map([wire_copy])[wire_copy.pk]] == ["Wire story"]
    assert early.pk not in {a.pk for a in found[other.pk]}


@pytest.mark.skipif(connection.vendor != "sqlite", reason="reads SQLite query plans")
def test_copies_are_looked_up_in_the_bands_indexes_without_reading_an_article_row():
    """An article row holds its texts: reading its fingerprint there costs pages of them
    for every candidate, as an article page's first view once did."""
    article = _fingerprinted("Original", 0xF0F0_1234_ABCD_0001, date(2008, 3, 18))
    with CaptureQueriesContext(connection) as captured:
        republished_map([article])
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + captured.captured_queries[0]["sql"])
        plan = [row[-1] for row in cursor.fetchall()]
    lookups = [line for line in plan if line.startswith("SEARCH")]
    assert len(lookups) == 4, plan
    assert all("USING COVERING INDEX article_fp_band" in line for line in lookups), plan
