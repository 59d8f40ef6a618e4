"""A reader's visit in a real Chromium: what they see on each page, and what axe-core finds.

Runs Django under pytest-django's live_server with the seed captures ingested. Every page
visited is screenshotted under tests/screenshots/ and checked with axe-core; a serious or
critical violation, or a Content-Security-Policy refusal in the console, fails the test.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
BLOCKING_IMPACTS = {"serious", "critical"}
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def chromium_path() -> str:
    path = shutil.which("chromium")
    if path is None:
        pytest.skip("Chromium is not on PATH (apt-get install chromium); browser tests skipped")
    return path


@pytest.fixture
def browser(chromium_path, monkeypatch, live_server, seeded):
    """Chromium for one test, started after the server and data, stopped before them."""
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop on this thread; Django's database calls in
    # fixtures and tests here are still synchronous and safe.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class Visit:
    """One browser tab on the live server, recording console complaints as it goes."""

    def __init__(self, browser, base_url: str, viewport: dict, name: str):
        self.page = browser.new_page(viewport=viewport)
        self.base_url = base_url
        self.name = name
        self.console_errors: list[str] = []
        self.page.on(
            "console",
            lambda message: message.type == "error" and self.console_errors.append(message.text),
        )

    def open(self, path: str):
        response = self.page.goto(self.base_url + path)
        assert response is not None and response.status < 400, (path, response and response.status)
        return self.page

    def check(self, label: str) -> None:
        """Screenshot the page, run axe-core on it and fail on serious problems."""
        from axe_playwright_python.sync_playwright import Axe

        SCREENSHOTS.mkdir(exist_ok=True)
        self.page.screenshot(path=SCREENSHOTS / f"{self.name}-{label}.png", full_page=True)
        violations = Axe().run(self.page).response["violations"]
        blocking = [v for v in violations if v.get("impact") in BLOCKING_IMPACTS]
        for violation in blocking:
            targets = [node["target"] for node in violation["nodes"]]
            print(f"axe {label}: {violation['impact']} {violation['id']}: {violation['help']}")
            print(f"    at {targets}")
        assert not blocking, f"axe-core found {len(blocking)} serious problems on {label}"
        refused = [text for text in self.console_errors if "Content Security Policy" in text]
        assert not refused, refused


def test_reader_goes_from_home_through_search_to_an_article_and_its_capture(browser, live_server):
    visit = Visit(browser, live_server.url, DESKTOP, "desktop")
    page = visit.open("/")
    assert page.locator("h1").inner_text() == "News coverage of diplomatic talks"
    assert "Coverage over time" in page.locator("main").inner_text()
    figures = page.locator(".figures dd").all_inner_texts()
    assert figures == ["5", "3", "12 October 2007 – 18 March 2008"]
    visit.check("home")

    # Search from the header box.
    page.locator("#header-q").fill("missile")
    page.locator(".header-search button").click()
    page.wait_for_load_state()
    assert page.url.startswith(f"{live_server.url}/search/?q=missile")
    result_links = page.locator("main a[href^='/articles/']")
    assert result_links.count() >= 1
    visit.check("search")

    # Narrow by a facet.
    facet = page.locator(".facets a").first
    facet.click()
    page.wait_for_load_state()
    assert page.locator("main a[href^='/articles/']").count() >= 1
    visit.check("search-facet")

    # Open the RIA Novosti article captured from GlobalSecurity.org.
    visit.open("/articles/")
    page.get_by_role(
        "link", name="Russia, U.S. fail to agree on key issues at defense talks"
    ).click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == (
        "Russia, U.S. fail to agree on key issues at defense talks"
    )
    header = page.locator(".article-header").inner_text()
    assert "RIA Novosti, via GlobalSecurity.org" in header
    assert "12 October 2007, 18:35 MSD (14:35 UTC)" in header
    body = page.locator(".article-body").inner_text()
    assert body.startswith("The U.S. and Russia failed to resolve a missile defense dispute")
    assert "UNITED24" not in body
    citation = page.locator(".citation").inner_text()
    assert re.search(r"RIA Novosti, October 12, 2007\. Archived at http://", citation)
    visit.check("article")

    # And the capture it was read from.
    page.get_by_role("link", name="View the original capture").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Original capture"
    capture = page.locator("pre.capture").inner_text()
    assert capture.startswith("UNITED24 - Make a charitable donation in support of Ukraine!")
    assert "Join the GlobalSecurity.org mailing list" in capture
    assert "002_039291e9fa94fbe8.txt" in page.locator(".capture-facts").inner_text()
    visit.check("original")


def test_reader_browses_sources_and_the_date_archive(browser, live_server):
    visit = Visit(browser, live_server.url, DESKTOP, "desktop")
    page = visit.open("/sources/")
    assert page.locator("h1").inner_text() == "Sources"
    visit.check("sources")

    page.get_by_role("link", name="RIA Novosti", exact=True).first.click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "RIA Novosti"
    assert "News agency" in page.locator(".source-facts").inner_text()
    visit.check("source")

    page = visit.open("/articles/")
    visit.check("list")
    page.locator("#id_year").select_option("2008")
    page.locator("#id_month").select_option("3")
    page.get_by_role("button", name="Show").click()
    page.wait_for_load_state()
    titles = page.locator(".article-item-title").all_inner_texts()
    assert "Russia-US missile talks 'stalled'" in titles
    assert "Russia, U.S. fail to agree on key issues at defense talks" not in titles

    page = visit.open("/articles/2008/03/")
    assert page.locator("h1").inner_text() == "Articles from March 2008"
    visit.check("month")


def test_phone_reader_sees_a_single_column_article_and_a_reachable_search(browser, live_server):
    visit = Visit(browser, live_server.url, PHONE, "phone")
    page = visit.open("/")
    assert page.locator("#header-q").is_visible()
    visit.check("home")

    page = visit.open("/articles/")
    page.get_by_role("link", name="Russia-US missile talks 'stalled'").click()
    page.wait_for_load_state()
    # Nothing overflows sideways on a phone.
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    body_box = page.locator(".article-body").bounding_box()
    cite_box = page.locator(".cite").bounding_box()
    assert cite_box["y"] > body_box["y"] + body_box["height"]  # the citation follows the text
    visit.check("article")

    page = visit.open(page.url.removeprefix(live_server.url) + "original/")
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    visit.check("original")


def test_keyboard_reader_can_skip_to_the_content(browser, live_server):
    visit = Visit(browser, live_server.url, DESKTOP, "desktop")
    page = visit.open("/articles/")
    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    assert skip.evaluate("element => element === document.activeElement")
    assert skip.is_visible()
    assert skip.bounding_box()["y"] >= 0
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_not_found_page_is_in_the_site_style(browser, live_server):
    visit = Visit(browser, live_server.url, DESKTOP, "desktop")
    response = visit.page.goto(live_server.url + "/articles/9999/missing/")
    assert response.status == 404
    assert visit.page.locator("h1").inner_text() == "Page not found"
    visit.check("not-found")


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_historian_sees_where_a_story_was_captured_and_what_changed(
    browser, live_server, tmp_path, viewport
):
    from articles.store import ingest_paths
    from tests.webarchives import PARAGRAPHS, WarcBuilder, article_page

    url = "https://news.bbc.co.uk/2/hi/europe/7280000.stm"
    edited = (*PARAGRAPHS[:2], PARAGRAPHS[2].replace("opposed", "firmly opposed"))
    crawl = (
        WarcBuilder()
        .response(url, article_page("Missile shield talks end"), date="2008-03-05T12:00:00Z")
        .response(
            url,
            article_page("Missile shield talks end without agreement"),
            date="2008-03-06T08:30:00Z",
        )
        .response(
            url,
            article_page("Missile shield talks end without agreement", paragraphs=edited),
            date="2008-03-07T18:00:00Z",
        )
        .save(tmp_path / "crawl.warc.gz")
    )
    assert ingest_paths([crawl]).failed == 0
    name = "desktop" if viewport is DESKTOP else "phone"
    visit = Visit(browser, live_server.url, viewport, name)
    page = visit.open("/search/?q=shield&changed=yes")
    page.get_by_role("link", name="Missile shield talks end without agreement").first.click()
    page.wait_for_load_state()
    provenance = page.locator(".provenance").inner_text()
    assert f"Captured from {url} on 7 March 2008, 18:00 UTC." in provenance
    wayback = page.get_by_role("link", name="The Wayback Machine’s copy of that moment")
    assert wayback.get_attribute("href") == f"https://web.archive.org/web/20080307180000/{url}"
    changes = page.locator(".capture-changes").inner_text()
    assert changes.startswith(
        "3 captures; the headline changed on 6 March 2008; the text changed on 7 March 2008."
    )
    visit.check("captured-article")

    page.get_by_role("link", name="See what changed").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "What changed between captures"
    assert page.locator(".diff-title ins").text_content() == "[added: without agreement]"
    assert "firmly" in page.locator(".diff ins").all_text_contents()[-1]
    visit.check("changes")
    # Compare two other captures with the form, no script needed.
    page.select_option("#compare-from", index=1)
    page.get_by_role("button", name="Compare").click()
    page.wait_for_load_state()
    assert page.locator(".diff-title ins").count() == 0
    assert page.locator(".diff ins").text_content() == "[added: firmly]"

    page.get_by_role("link", name="5 March 2008, 12:00 UTC").first.click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Original capture"
    facts = page.locator(".capture-facts").inner_text()
    assert url in facts and "5 March 2008, 12:00:00 UTC" in facts
    assert "Missile shield talks end</title>" in page.locator("pre.capture").inner_text()
    visit.check("original-capture")
