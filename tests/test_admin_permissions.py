"""Admin actions change data, so they ask for the permission to change it: staff who may
only look run none of them, and the long one runs outside the request."""

from io import StringIO

import pytest
from django.contrib.auth.models import Permission, User
from django.core.management import call_command

from articles import admin as archive_admin
from articles import enrich, reanalysis
from articles.models import (
    AnalysisRequest,
    ArticlePerson,
    ArticleRound,
    Correction,
    Source,
    TalksRound,
)
from tests.conftest import make_article, make_source

pytestmark = pytest.mark.django_db

MODELS = ("article", "source", "articleround", "person", "topic", "talksround", "correction")


def staff_with(client, *codenames: str) -> User:
    user = User.objects.create_user("staff", password="pw-for-tests", is_staff=True)
    user.user_permissions.set(
        Permission.objects.filter(content_type__app_label="articles", codename__in=codenames)
    )
    client.force_login(user)
    return user


@pytest.fixture
def launched(monkeypatch):
    """Background runs the admin starts (none really start in tests)."""
    calls = []
    monkeypatch.setattr(
        archive_admin, "start_background_run", lambda: calls.append(1), raising=False
    )
    return calls


@pytest.fixture
def suggested_link():
    return ArticleRound.objects.create(
        article=make_article(), round=TalksRound.objects.first(), score=0.5
    )


def post_action(client, model: str, action: str, selected, *, follow=False, **extra):
    return client.post(
        f"/admin/articles/{model}/",
        {"action": action, "_selected_action": [obj.pk for obj in selected], **extra},
        follow=follow,
    )


def test_view_only_staff_are_offered_no_action_and_running_one_changes_nothing(
    client, launched, suggested_link
):
    staff_with(client, *(f"view_{model}" for model in MODELS))
    article = make_article(needs_review=True, review_reasons=["source_unknown"], source=None)
    ria, dup = make_source("RIA Novosti"), make_source("RIA-Novosti", slug="ria-dup")
    attempts = [
        ("article", "mark_reviewed_action", [article], {}),
        ("article", "assign_source_action", [article], {"apply": "1", "source": ria.pk}),
        ("source", "merge_action", [ria, dup], {"apply": "1", "target": ria.pk}),
        ("articleround", "confirm", [suggested_link], {}),
        ("articleround", "reject", [suggested_link], {}),
        ("person", "reanalyse_all", [], {}),
        ("topic", "reanalyse_all", [], {}),
        ("talksround", "reanalyse_all", [], {}),
    ]
    for model, action, selected, extra in attempts:
        changelist = client.get(f"/admin/articles/{model}/").content.decode()
        assert f'value="{action}"' not in changelist, action
        post_action(client, model, action, selected or [TalksRound.objects.first()], **extra)
    article.refresh_from_db()
    suggested_link.refresh_from_db()
    assert article.needs_review and article.source is None
    assert not Correction.objects.exists()
    assert Source.objects.filter(pk=dup.pk).exists()
    assert suggested_link.state == ArticleRound.State.SUGGESTED
    assert not AnalysisRequest.objects.exists() and not launched


def test_merging_sources_needs_delete_as_well_as_change(client):
    staff_with(client, "view_source", "change_source")
    ria, dup = make_source("RIA Novosti"), make_source("RIA-Novosti", slug="ria-dup")
    assert 'value="merge_action"' not in client.get("/admin/articles/source/").content.decode()
    post_action(client, "source", "merge_action", [ria, dup], apply="1", target=ria.pk)
    assert Source.objects.filter(pk=dup.pk).exists()


def test_staff_who_may_change_links_confirm_them(client, suggested_link):
    staff_with(client, "view_articleround", "change_articleround")
    post_action(client, "articleround", "confirm", [suggested_link])
    suggested_link.refresh_from_db()
    assert suggested_link.state == ArticleRound.State.CONFIRMED


def test_reanalyse_all_is_queued_and_run_outside_the_request(client, launched, monkeypatch):
    staff_with(client, "view_person", "change_person")
    make_article(body="Sergei Lavrov met Condoleezza Rice in Moscow.")

    def not_in_a_request():
        raise AssertionError("analysed inside the request")

    monkeypatch.setattr(reanalysis, "analyse_articles", not_in_a_request)
    person = [TalksRound.objects.first()]
    response = post_action(client, "person", "reanalyse_all", person, follow=True)
    assert "analysed again in the background" in response.content.decode()
    assert launched == [1]
    request = AnalysisRequest.objects.get()
    assert request.state == "waiting" and request.requested_by.username == "staff"

    again = post_action(client, "person", "reanalyse_all", person, follow=True)
    assert "already waiting to start" in again.content.decode()
    assert AnalysisRequest.objects.count() == 1

    monkeypatch.setattr(reanalysis, "analyse_articles", enrich.analyse_articles)
    out = StringIO()
    call_command("analyse_articles", "--pending", stdout=out)
    request.refresh_from_db()
    assert request.state == "finished" and request.articles == 1
    assert "1 articles analysed" in out.getvalue()
    assert ArticlePerson.objects.filter(person__slug="sergei-lavrov").exists()

    out = StringIO()
    call_command("analyse_articles", "--pending", stdout=out)
    assert "0 articles analysed" in out.getvalue()  # nothing asked for: nothing done


def test_the_background_run_is_the_pending_command_in_its_own_session(monkeypatch):
    started = []
    monkeypatch.setattr(
        reanalysis.subprocess, "Popen", lambda args, **kw: started.append((args, kw))
    )
    reanalysis.start_background_run()
    [(args, options)] = started
    assert args[-3:] == [str(reanalysis.settings.BASE_DIR / "manage.py"), *reanalysis.COMMAND]
    assert options["start_new_session"] is True
