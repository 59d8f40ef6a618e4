"""A reader's visit in a real Chromium: what they see on each page, and what axe-core finds.

Runs Django under pytest-django's live_server with the seed captures ingested. Every page
visited is screenshotted into a folder under the system's temporary directory (never the
repository; ARCHIVE_SCREENSHOTS names another) and checked with axe-core; a serious or
critical violation, or a Content-Security-Policy refusal in the console, fails the test.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from datetime import date, timedelta
from pathlib import Path

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(
    os.environ.get("ARCHIVE_SCREENSHOTS")
    or Path(tempfile.gettempdir()) / "talks-archive-screenshots"
)
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

        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
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
    from articles.ingest.pipeline import ingest_paths
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
    # An HTML capture's source is folded: a reader unfolds it to read it.
    assert not page.locator("pre.capture").is_visible()
    page.locator("details.capture-source summary").click()
    assert "Missile shield talks end</title>" in page.locator("pre.capture").inner_text()
    visit.check("original-capture")


# -- A collection of many years and sources: every page holds at any width ----------------

WIDE_YEARS = range(2007, 2023)
WIDE_SOURCES = 300


@pytest.fixture
def wide_collection(seeded):
    """The seeds beside sixteen years of generated coverage from a few hundred sources and
    a talks round every other year: the span and breadth that broke pages before."""
    from articles.enrich import load_catalogue
    from articles.models import Article, ArticleRound, Source, TalksRound
    from articles.sanitize import render_blocks

    load_catalogue()  # a transactional test before this one emptied the curated lists

    sources = Source.objects.bulk_create(
        Source(name=f"Wire Service {n:03d}", slug=f"wire-service-{n:03d}", kind="agency")
        for n in range(WIDE_SOURCES)
    )
    first, days = date(WIDE_YEARS[0], 1, 3), (date(WIDE_YEARS[-1], 12, 28) - date(2007, 1, 3)).days
    body = "Negotiators met in Geneva for another round of talks on missile defence."
    articles = Article.objects.bulk_create(
        Article(
            title=f"Missile defence talks, report {n}",
            source=sources[n % WIDE_SOURCES],
            published_date=first + timedelta(days=(n * 7919) % days),
            body=body,
            body_html=render_blocks([("p", body)]),
        )
        for n in range(900)
    )
    for year in WIDE_YEARS[2::2]:
        talks_round = TalksRound.objects.create(
            slug=f"geneva-{year}",
            name=f"Geneva talks, April {year}",
            start=date(year, 4, 6),
            end=date(year, 4, 8),
            place="Geneva",
        )
        ArticleRound.objects.bulk_create(
            ArticleRound(article=article, round=talks_round, score=1.0)
            for article in articles
            if article.published_date.year == year
        )
    return articles


# The public pages a reader reaches, one of each kind.
PUBLIC_PAGES = [
    "/",
    "/timeline/",
    "/articles/",
    "/articles/2015/",
    "/articles/2015/04/",
    "/articles/undated/",
    "/sources/",
    "/sources/ria-novosti/",
    "/rounds/",
    "/rounds/geneva-2015/",
    "/rounds/moscow-2plus2-2008-03/",
    "/people/",
    "/people/sergei-lavrov/",
    "/topics/",
    "/search/?q=missile",
    "/search/?q=%22missile+defence%22&person=sergei-lavrov",
]
# Where the server keeps things: none of it is any reader's business.
SERVER_FOLDERS = [str(Path(__file__).resolve().parent.parent), tempfile.gettempdir() + "/"]


def overlapping_chart_text(page) -> list:
    """Pairs of text boxes in the chart on show that overlap, and its smallest text."""
    return page.evaluate(
        """() => {
          const chart = [...document.querySelectorAll('svg.chart')]
            .find(svg => getComputedStyle(svg).display !== 'none');
          if (!chart) return {pairs: [], smallest: null, shown: 0};
          const boxes = [...chart.querySelectorAll('text')].map(t => {
            const r = t.getBoundingClientRect();
            return {text: t.textContent.trim(), left: r.left, right: r.right,
                    top: r.top, bottom: r.bottom};
          });
          const pairs = [];
          for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
            const a = boxes[i], b = boxes[j];
            if (a.left < b.right - 0.5 && b.left < a.right - 0.5 &&
                a.top < b.bottom - 0.5 && b.top < a.bottom - 0.5) pairs.push([a.text, b.text]);
          }
          const heights = boxes.map(b => b.bottom - b.top);
          return {pairs, smallest: Math.min(...heights), shown: boxes.length,
                  right: Math.max(...boxes.map(b => b.right)),
                  edge: chart.getBoundingClientRect().right};
        }"""
    )


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_every_page_of_a_sixteen_year_collection_fits_the_window_and_hides_the_servers_disk(
    browser, live_server, wide_collection, viewport
):
    from articles.models import Article

    name = "wide-phone" if viewport is PHONE else "wide-desktop"
    visit = Visit(browser, live_server.url, viewport, name)
    seed = Article.objects.get(captures__origin="002_039291e9fa94fbe8.txt")
    generated = wide_collection[0]
    pages = [
        *PUBLIC_PAGES,
        seed.get_absolute_url(),
        seed.get_absolute_url() + "original/",
        generated.get_absolute_url(),
    ]
    for path in pages:
        page = visit.open(path)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{path} scrolls sideways by {overflow} px at {viewport['width']}"
        shown = page.locator("body").inner_text()
        for folder in SERVER_FOLDERS:
            assert folder not in shown, f"{path} shows the server's folder {folder}"
        chart = overlapping_chart_text(page)
        assert not chart["pairs"], f"{path}: chart labels overlap: {chart['pairs']}"
        if chart["shown"]:
            assert chart["smallest"] >= 11, f"{path}: chart text {chart['smallest']} px high"
            assert chart["right"] <= chart["edge"] + 1, f"{path}: chart text cut off"
    for label, path in [
        ("home", "/"),
        ("timeline", "/timeline/"),
        ("search", "/search/?q=missile"),
    ]:
        visit.open(path)
        visit.check(label)
    visit.open(seed.get_absolute_url())
    visit.check("article")


def test_the_sixteen_year_charts_draw_years_and_every_round(browser, live_server, wide_collection):
    visit = Visit(browser, live_server.url, DESKTOP, "wide-desktop")
    page = visit.open("/")
    years = page.locator("svg.chart-wide a[href$='/']").evaluate_all(
        "links => links.map(a => a.getAttribute('href'))"
    )
    assert [f"/articles/{year}/" for year in WIDE_YEARS] == [y for y in years if y.count("/") == 3]
    page = visit.open("/timeline/")
    numbers = page.locator("svg.chart-wide .round-label").all_text_contents()
    assert len(numbers) == page.locator(".round-list li").count()
