"""Staff correct metadata in the admin: review queue, remembered corrections, merges."""

import shutil
from datetime import date

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command

from articles.models import Article, Correction, Source
from articles.search.query import Criteria
from articles.search.service import run_search
from articles.search.whoosh.backend import ArchiveWhooshBackend
from tests.conftest import SEEDS, make_article, make_source

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(client):
    user = User.objects.create_user("editor", password="pw-for-tests", is_staff=True)
    user.groups.add(Group.objects.get(name="Archive editors"))
    client.force_login(user)
    return user


def change_form_data(article: Article, **changes) -> dict:
    data = {
        "title": article.title,
        "source": article.source_id or "",
        "captured_from": article.captured_from_id or "",
        "captured_from_kind": article.captured_from_kind,
        "published_date": article.published_date.isoformat() if article.published_date else "",
        "published_at_0": article.published_at.strftime("%Y-%m-%d") if article.published_at else "",
        "published_at_1": article.published_at.strftime("%H:%M:%S") if article.published_at else "",
        "published_tz": article.published_tz,
        "byline": article.byline,
        "dateline": article.dateline,
        "needs_review": "on" if article.needs_review else "",
    }
    return data | changes


@pytest.fixture
def index_updates(monkeypatch):
    """The number of documents in each write sent to the search index."""
    calls = []
    original = ArchiveWhooshBackend.write_all

    def counting(self, index, batches, **kwargs):
        calls.append(original(self, index, batches, **kwargs))
        return calls[-1]

    monkeypatch.setattr(ArchiveWhooshBackend, "write_all", counting)
    return calls


def test_the_changelist_opens_on_the_review_queue_with_reasons(seeded, client, editor):
    page = client.get("/admin/articles/article/").content.decode()
    flagged = Article.objects.filter(needs_review=True)
    assert flagged.count() == 3
    for article in flagged:
        assert article.title[:40] in page
    assert "Russia-US missile talks" not in page  # the BBC article needs no review
    assert "Title derived from the lead" in page
    everything = client.get("/admin/articles/article/?review=all").content.decode()
    assert "Russia-US missile talks" in everything


def test_correcting_a_date_and_title_shows_in_search_and_facets(seeded, client, editor, on_commit):
    article = Article.objects.get(captures__origin="000_83010087517747a0.txt")
    with on_commit():
        response = client.post(
            f"/admin/articles/article/{article.pk}/change/",
            change_form_data(
                article,
                title="US, Russia make headway in Washington talks",
                published_date="2008-03-27",
            ),
        )
    assert response.status_code == 302, response.content.decode()[:2000]
    article.refresh_from_db()
    assert article.title == "US, Russia make headway in Washington talks"
    assert article.review_reasons == []  # both reasons settled by the corrections
    assert set(article.corrections.values_list("field", flat=True)) == {"title", "published_date"}
    outcome = run_search(Criteria(q="headway"))
    assert [row.article.title for row in outcome.rows][0] == article.title
    years = {f.value: f.count for f in run_search(Criteria(q="Lavrov")).year_facets}
    assert years == {"2008": 3, "2007": 1, "unknown": 1}


def test_the_change_form_shows_raw_capture_checksum_and_history(seeded, client, editor):
    article = Article.objects.get(captures__origin="002_039291e9fa94fbe8.txt")
    Correction.objects.create(article=article, field="byline", old_value="", new_value="X")
    page = client.get(f"/admin/articles/article/{article.pk}/change/").content.decode()
    assert "Join the GlobalSecurity.org mailing list" in page  # raw, clutter included
    assert article.captures.get().sha256 in page
    assert article.get_absolute_url() in page
    assert "byline: — → X" in page


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"published_date": "2999-01-01"}, "cannot be in the future"),
        ({"published_date": "1850-01-01"}, "cannot be before 1900"),
        ({"title": "   "}, "This field is required"),
    ],
)
def test_validation_rejects_impossible_metadata_with_a_clear_message(
    client, editor, changes, message
):
    article = make_article()
    response = client.post(
        f"/admin/articles/article/{article.pk}/change/", change_form_data(article, **changes)
    )
    assert response.status_code == 200
    assert message in response.content.decode()


def _corrected_then_captured_again(tmp_path, client, on_commit, *, title: str, paragraph: str):
    """A seed ingested, its title corrected by staff, then the site's page changed: a
    paragraph added before "The atmosphere ahead of this week's talks". Returns the
    capture's file, to ingest again, and the article."""
    capture = tmp_path / "004_6635417ac052c5bc.txt"
    shutil.copy(SEEDS / capture.name, capture)
    with on_commit():
        call_command("ingest", str(capture), verbosity=0)
    article = Article.objects.get(captures__origin=capture.name)
    with on_commit():
        client.post(
            f"/admin/articles/article/{article.pk}/change/",
            change_form_data(article, title=title),
        )
    marker = "The atmosphere ahead of this week's talks"
    capture.write_text(capture.read_text().replace(marker, f"{paragraph}\n\n{marker}"))
    return capture, article


def test_reingest_keeps_staff_corrections(tmp_path, client, editor, on_commit):
    capture, article = _corrected_then_captured_again(
        tmp_path,
        client,
        on_commit,
        title="Russia and US still split on missile defence",
        paragraph="A late paragraph added by the site.",
    )
    from io import StringIO

    out = StringIO()
    with on_commit():
        call_command("ingest", str(capture), stdout=out)
    article.refresh_from_db()
    assert article.title == "Russia and US still split on missile defence"
    assert "A late paragraph added by the site." in article.body
    assert "kept staff corrections: title" in out.getvalue()
    assert "0 created, 1 updated" in out.getvalue()


def test_a_reingested_article_is_analysed_as_it_reads_with_staff_corrections(
    tmp_path, client, editor, on_commit
):
    """A new reading of a story is analysed again: its new text, and the title as staff
    corrected it rather than as the capture has it."""
    from articles.enrich import load_catalogue

    load_catalogue()
    capture, article = _corrected_then_captured_again(
        tmp_path,
        client,
        on_commit,
        title="Javier Solana on the missile defence talks",
        paragraph="Polish Prime Minister Donald Tusk said the talks must go on.",
    )
    with on_commit():
        call_command("ingest", str(capture), verbosity=0)
    people = set(article.mentions.values_list("person__slug", flat=True))
    assert {"javier-solana", "donald-tusk", "sergei-lavrov"} <= people


def test_merging_two_sources_moves_articles_and_updates_facets(client, editor, on_commit):
    with on_commit():
        ria = make_source("RIA Novosti")
        dup = make_source("RIA-Novosti", slug="ria-novosti-dup")
        make_article(source=ria, body="radar")
        make_article(source=dup, body="radar")
        make_article(source=dup, body="radar", captured_from=dup)
    with on_commit():
        confirm = client.post(
            "/admin/articles/source/",
            {"action": "merge_action", "_selected_action": [ria.pk, dup.pk]},
        )
        assert b"Choose the source to keep" in confirm.content
        client.post(
            "/admin/articles/source/",
            {
                "action": "merge_action",
                "_selected_action": [ria.pk, dup.pk],
                "apply": "1",
                "target": ria.pk,
            },
        )
    assert not Source.objects.filter(pk=dup.pk).exists()
    assert Article.objects.filter(source=ria).count() == 3
    counts = {f.value: f.count for f in run_search(Criteria(q="radar")).source_facets}
    assert counts == {"RIA Novosti": 3}


def test_renaming_a_source_updates_search_facets(client, editor, on_commit):
    with on_commit():
        source = make_source("Russia Today")
        make_article(source=source, body="radar")
    with on_commit():
        client.post(
            f"/admin/articles/source/{source.pk}/change/",
            {
                "name": "RT",
                "slug": source.slug,
                "kind": "broadcaster",
                "homepage": "",
                "description": "",
            },
        )
    assert [f.value for f in run_search(Criteria(q="radar")).source_facets] == ["RT"]


def test_a_bulk_action_on_500_articles_reindexes_once(client, editor, on_commit, index_updates):
    with on_commit():
        make_source("Unknown Wire")
        Article.objects.bulk_create(
            Article(
                title=f"Bulletin {n}",
                slug=f"bulletin-{n}",
                body="bulletin",
                body_html="",
                needs_review=True,
                review_reasons=["source_unknown"],
                published_date=date(2008, 1, 1),
            )
            for n in range(500)
        )
    pks = list(Article.objects.values_list("pk", flat=True))
    with on_commit():
        response = client.post(
            "/admin/articles/article/",
            {"action": "mark_reviewed_action", "_selected_action": pks},
        )
    assert response.status_code == 302
    assert Article.objects.filter(needs_review=True).count() == 0
    assert index_updates == [500]  # one index write for all 500


def test_assigning_a_source_in_bulk_is_remembered(client, editor, on_commit):
    with on_commit():
        articles = [
            make_article(
                source=None, review_reasons=["source_unknown"], needs_review=True, body="radar"
            )
            for _ in range(3)
        ]
        rt = make_source("RT", kind="broadcaster")
    with on_commit():
        client.post(
            "/admin/articles/article/",
            {
                "action": "assign_source_action",
                "apply": "1",
                "source": rt.pk,
                "_selected_action": [a.pk for a in articles],
            },
        )
    assert Article.objects.filter(source=rt, needs_review=False).count() == 3
    assert Correction.objects.filter(field="source", new_value="RT").count() == 3
    assert {f.value: f.count for f in run_search(Criteria(q="radar")).source_facets} == {"RT": 3}


def test_non_staff_users_are_sent_to_login(client):
    User.objects.create_user("reader", password="pw-for-tests")
    client.login(username="reader", password="pw-for-tests")
    response = client.get("/admin/articles/article/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_editors_may_change_articles_but_not_users(client, editor):
    assert client.get("/admin/articles/article/").status_code == 200
    assert client.get("/admin/auth/user/").status_code == 403


def test_the_public_article_notes_a_correction(client, on_commit):
    article = make_article()
    Correction.objects.create(article=article, field="title", old_value="a", new_value="b")
    page = client.get(article.get_absolute_url(), follow=True).content.decode()
    assert "orrected" in page


def test_hostile_metadata_is_escaped_in_the_admin(client, editor):
    source = make_source("<script>alert('s')</script>", slug="evil-source")
    article = make_article(
        title="<script>alert('t')</script>",
        byline="<img src=x onerror=alert(1)>",
        source=source,
        raw="<script>alert('raw')</script>",
        needs_review=True,
    )
    pages = [
        client.get("/admin/articles/article/").content.decode(),
        client.get(f"/admin/articles/article/{article.pk}/change/").content.decode(),
        client.get("/admin/articles/source/").content.decode(),
    ]
    for page in pages:
        assert "<script>alert(" not in page
        assert "<img src=x" not in page
    assert "&lt;script&gt;alert(&#x27;raw&#x27;)&lt;/script&gt;" in pages[1]


def test_the_admin_names_round_links_in_a_proper_plural(client):
    admin = User.objects.create_superuser("root", password="pw-for-tests")
    client.force_login(admin)
    page = client.get("/admin/").content.decode()
    assert "Articles in talks rounds" in page
    assert "Article in a talks rounds" not in page


def test_the_change_forms_capture_text_wraps_inside_the_form(seeded, client, editor):
    from django.conf import settings

    article = Article.objects.get(captures__origin="002_039291e9fa94fbe8.txt")
    page = client.get(f"/admin/articles/article/{article.pk}/change/").content.decode()
    assert 'href="/static/css/admin.css"' in page
    css = (settings.BASE_DIR / "static" / "css" / "admin.css").read_text()
    assert ".raw-capture" in css and "white-space: pre-wrap" in css
