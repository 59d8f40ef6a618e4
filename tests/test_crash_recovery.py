"""An ingest killed with SIGKILL, in a real process, loses nothing from the search index:
the next ingest or `sync_index` leaves database and index equal. (`make`-free version of
benchmarks/kill.py, which tries twenty random kill points.)"""

from __future__ import annotations

import random

import pytest

from benchmarks.kill import kill_and_recover, migrated_template

# Enough captures for two batches (a transaction each) and the pool of reading processes.
CAPTURES = 600


@pytest.fixture(scope="module")
def archive_and_corpus(tmp_path_factory):
    root = tmp_path_factory.mktemp("killed")
    corpus = root / "corpus"
    corpus.mkdir()
    for n in range(CAPTURES):
        (corpus / f"story_{n:04d}.txt").write_text(
            f"Talks resume, round {n}\n\nBy Jane Smith\n\nGENEVA, March 18, 2008 - "
            f"Negotiators met again for round {n} of the missile defence talks today.\n"
        )
    template = root / "template"
    template.mkdir()
    migrated_template(template)
    return root, template, corpus


@pytest.mark.parametrize(
    "when, recover_with", [("first commit", "ingest"), ("random", "sync_index")]
)
def test_a_killed_ingest_is_recovered_by_the_next_run(archive_and_corpus, when, recover_with):
    """Killed as soon as its first batch is committed (before the run's index update), or
    at a random moment; recovered by an ingest, or by sync_index and then an ingest."""
    root, template, corpus = archive_and_corpus
    delay = random.uniform(1.0, 10.0) if when == "random" else None
    point = kill_and_recover(
        template, root / "point", corpus, delay, recover_with, observe=when != "random"
    )
    assert point.check_exit == 0, point  # database and index equal after the recovery
    assert point.final["stored"] == CAPTURES, point
    assert point.final["indexed"] == CAPTURES, point
    assert point.final["queued"] == 0, point
    if point.at_kill.get("unindexed"):
        assert point.check_at_kill == 1, point  # the drift was there for a monitor to see
