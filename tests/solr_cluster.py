"""A SolrCloud for the tests: started once per session by `make solr` (two nodes, two
shards) when a test needs one, or the cluster SOLR_TEST_URL names (a collection URL such as
http://127.0.0.1:8983/solr/archive, from a `make solr` already running). Without Java or
Maven the tests that need it are skipped."""

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

REPO = Path(__file__).resolve().parent.parent
LAUNCHER_BUILT = REPO / "var" / "solr-launcher" / "solr-launcher-1.0.jar"
# The first start downloads Solr's jars from Maven Central (about 110 MB).
START_SECONDS = float(os.environ.get("SOLR_TEST_START_SECONDS", 600))
STOP_SECONDS = 60
SEARCH_URL_LINE = re.compile(r"^SEARCH_URL=solr://(\S+)$")
SOLR_ENGINE = "articles.search.solr.backend.ArchiveSolrEngine"


def settings_use_solr() -> bool:
    """Whether the test settings answer searches from Solr (tests/settings_solr.py)."""
    return "solr" in connections.connections_info["default"]["ENGINE"]


def missing_tools() -> list[str]:
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
    """The collection URL of the session's SolrCloud."""
    if given := os.environ.get("SOLR_TEST_URL"):
        yield given.rstrip("/")
        return
    missing = missing_tools()
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


def use_solr(url: str):
    """Point Haystack's default connection at the collection `url`, emptied; returns the
    backend."""
    info = connections.connections_info["default"]
    info.pop("PATH", None)
    info.update(ENGINE=SOLR_ENGINE, URL=url)
    connections.reload("default")
    backend = connections["default"].get_backend()
    backend.conn.delete(q="*:*", commit=True)
    return backend
