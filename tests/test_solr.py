"""The archive's index on a local SolrCloud (`make solr`: two nodes, two shards).

The cluster starts once per session and each test begins with an empty collection. Without
Java or Maven these tests are skipped; `-m "not solr"` leaves them out.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import threading
from pathlib import Path

import pytest
from haystack import connections
from haystack.inputs import Exact
from haystack.query import SearchQuerySet

from articles.search.solr.configset import CONFIGSET_DIR, word_files
from tests.conftest import make_article

REPO = Path(__file__).resolve().parent.parent
LAUNCHER_BUILT = REPO / "var" / "solr-launcher" / "solr-launcher-1.0.jar"
# The first start downloads Solr's jars from Maven Central (about 110 MB).
START_SECONDS = float(os.environ.get("SOLR_TEST_START_SECONDS", 600))
STOP_SECONDS = 60
SEARCH_URL_LINE = re.compile(r"^SEARCH_URL=solr://(\S+)$")

solr = pytest.mark.solr


def _missing_tools() -> list[str]:
    needed = ["make", "java"] + ([] if LAUNCHER_BUILT.exists() else ["mvn"])
    return [tool for tool in needed if shutil.which(tool) is None]


def _free_port_pair() -> int:
    """A port whose next port is free too (the second node listens there)."""
    for _ in range(50):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        if port >= 65535:
            continue
        with socket.socket() as next_probe:
            try:
                next_probe.bind(("127.0.0.1", port + 1))
            except OSError:
                continue
        return port
    raise RuntimeError("no two free neighbouring ports")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def solr_url(tmp_path_factory) -> str:
    """The collection URL of a SolrCloud started by `make solr` for this session."""
    missing = _missing_tools()
    if missing:
        pytest.skip(f"SolrCloud tests need {', '.join(missing)} on the PATH (Java 17, Maven 3.8)")
    data = tmp_path_factory.mktemp("solr") / "data"
    command = [
        "make",
        "--no-print-directory",
        "solr",
        f"SOLR_PORT={_free_port_pair()}",
        f"SOLR_ZK_PORT={_free_port()}",
        f"SOLR_DATA={data}",
    ]
    # A session of its own: stopping the group reaches the JVM under make.
    process = subprocess.Popen(
        command,
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    lines: list[str] = []
    found = threading.Event()
    url: list[str] = []

    def read_output() -> None:
        for line in process.stdout:
            lines.append(line.rstrip())
            match = SEARCH_URL_LINE.match(line.strip())
            if match:
                url.append(f"http://{match.group(1)}")
                found.set()
        found.set()  # the process ended

    threading.Thread(target=read_output, daemon=True).start()
    if not found.wait(START_SECONDS) or not url:
        _stop(process)
        output = "\n".join(lines[-30:])
        pytest.fail(f"`make solr` gave no SEARCH_URL line in {START_SECONDS:.0f} s:\n{output}")
    yield url[0]
    _stop(process)


def _stop(process: subprocess.Popen) -> None:
    """SIGTERM to the cluster (it shuts down cleanly), SIGKILL if it lingers."""
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(STOP_SECONDS)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


@pytest.fixture
def solr_index(solr_url, search_index, db):
    """Haystack's default connection on the archive's Solr engine, the collection emptied."""
    original = connections.connections_info["default"]
    connections.connections_info["default"] = {
        "ENGINE": "articles.search.solr.backend.ArchiveSolrEngine",
        "URL": solr_url,
    }
    connections.reload("default")
    backend = connections["default"].get_backend()
    backend.conn.delete(q="*:*", commit=True)
    yield backend
    connections.connections_info["default"] = original
    connections.reload("default")


def index_now(*articles) -> None:
    """Send these articles to Solr and commit, as the index queue would."""
    from articles.models import Article

    index = connections["default"].get_unified_index().get_index(Article)
    connections["default"].get_backend().update(index, articles, commit=True)


def found(sqs) -> list[int]:
    return sorted(int(result.pk) for result in sqs)


def test_configset_word_files_are_written_from_the_archive_vocabulary():
    for name, text in word_files().items():
        assert (CONFIGSET_DIR / name).read_text(encoding="utf-8") == text, (
            f"{name} is out of date: run `python -m articles.search.solr.configset`"
        )


@solr
def test_search_finds_articles_on_both_shards(solr_index):
    articles = [
        make_article(title=f"Geneva talks, day {day}", body=f"Negotiators met on day {day}.")
        for day in range(1, 7)
    ]
    other = make_article(title="Harvest report", body="Wheat prices rose in Kansas.")
    index_now(*articles, other)

    assert found(SearchQuerySet().auto_query("negotiators")) == [a.pk for a in articles]
    assert found(SearchQuerySet().auto_query("wheat")) == [other.pk]
    shards = solr_index.conn.search("*:*", rows=0, **{"shards.info": "true"}).raw_response
    counts = [info["numFound"] for info in shards["shards.info"].values()]
    assert len(counts) == 2 and all(counts), counts


@solr
def test_search_stems_words_and_folds_spelling_pairs(solr_index):
    british = make_article(title="Missile defence", body="The defence ministers negotiated.")
    index_now(british)

    assert found(SearchQuerySet().auto_query("defense")) == [british.pk]
    assert found(SearchQuerySet().auto_query("negotiating")) == [british.pk]


@solr
def test_facets_count_sources_and_keep_people_whole(solr_index):
    from articles.models import ArticlePerson, Person

    york = Person.objects.get_or_create(slug="new-york", name="New York", surname="York")[0]
    lavrov = Person.objects.get_or_create(slug="sergei-lavrov", defaults={"surname": "Lavrov"})[0]
    first = make_article(source="BBC News")
    second = make_article(source="BBC News")
    third = make_article(source="RIA Novosti")
    ArticlePerson.objects.create(article=first, person=york)
    ArticlePerson.objects.create(article=second, person=lavrov)
    ArticlePerson.objects.create(article=third, person=lavrov)
    index_now(first, second, third)

    counts = SearchQuerySet().facet("source_exact").facet("people").facet_counts()["fields"]
    assert counts["source_exact"] == [("BBC News", 2), ("RIA Novosti", 1)]
    assert counts["people"] == [("sergei-lavrov", 2), ("new-york", 1)]
    assert found(SearchQuerySet().filter(people=Exact("york"))) == []
    assert found(SearchQuerySet().filter(people=Exact("new-york"))) == [first.pk]


@solr
def test_exact_phrase_keeps_stop_words_and_word_forms(solr_index):
    phrase = make_article(body="Ministers said the talks in Geneva would resume.")
    other_form = make_article(body="Ministers said the talk in Geneva would resume.")
    apart = make_article(body="The talks went well; in Geneva it rained.")
    index_now(phrase, other_form, apart)

    assert found(SearchQuerySet().filter(exact=Exact("the talks in Geneva"))) == [phrase.pk]
    # The stemmed text field finds all three: the exact field is what tells them apart.
    assert found(SearchQuerySet().filter(text="talks geneva")) == sorted(
        [phrase.pk, other_form.pk, apart.pk]
    )
    assert found(SearchQuerySet().filter(exact=Exact("U.S. talks"))) == []


@solr
def test_highlights_spelling_and_related_coverage(solr_index):
    missile = [
        make_article(
            title=f"Missile shield talks {n}",
            body="Missile shield radar in Poland. The missile shield radar talks stalled.",
        )
        for n in range(3)
    ]
    unrelated = make_article(title="Harvest", body="Wheat harvest. Wheat prices.")
    index_now(*missile, unrelated)

    hit = SearchQuerySet().auto_query("radar").highlight()[0]
    assert "<em>radar</em>" in hit.highlighted["text"][0]
    assert SearchQuerySet().spelling_suggestion("raddar") == "radar"
    related = found(SearchQuerySet().more_like_this(missile[0]))
    assert related == sorted(a.pk for a in missile[1:])
