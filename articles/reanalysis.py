"""Re-analysing every article when staff ask, outside the web request that asked.

Analysing 10,000 articles takes minutes: far longer than a request may run. The admin
records an `AnalysisRequest` and starts `manage.py analyse_articles --pending` as a detached
process; the command runs every unfinished request. A request survives a restart of the
server (it is a row), so running the command again, by hand or at start-up, finishes it.
"""

from __future__ import annotations

import fcntl
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.utils import timezone

from articles.enrich import analyse_articles
from articles.models import AnalysisRequest

COMMAND = ("analyse_articles", "--pending")
LOG_NAME = "analyse_articles.log"


def request_reanalysis(user) -> bool:
    """Record that every article is to be analysed again; False if a request is already
    waiting to start (it will cover this one)."""
    if AnalysisRequest.objects.filter(started_at__isnull=True).exists():
        return False
    AnalysisRequest.objects.create(requested_by=user if user and user.pk else None)
    return True


def start_background_run() -> None:
    """Start `manage.py analyse_articles --pending` in its own session, so it outlives the
    request and a worker restart; its output is appended to the data folder's log."""
    manage = settings.BASE_DIR / "manage.py"
    with open(settings.DATA_DIR / LOG_NAME, "ab") as log:
        subprocess.Popen(
            [sys.executable, str(manage), *COMMAND],
            cwd=settings.BASE_DIR,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


@contextmanager
def one_run_at_a_time() -> Iterator[None]:
    """Hold the data folder's analysis lock: a second run waits for the first, then finds
    the requests it covered finished."""
    with open(settings.DATA_DIR / "analyse_articles.lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def run_requests(*, always: bool = False) -> int:
    """Analyse every article once for all unfinished requests (once anyway if `always`),
    and again for requests made while that ran. Returns the articles analysed."""
    total = 0
    with one_run_at_a_time():
        while True:
            # Requests another run started but never finished died with it (the lock is ours).
            pending = list(
                AnalysisRequest.objects.filter(finished_at__isnull=True).values_list(
                    "pk", flat=True
                )
            )
            if not pending and not always:
                return total
            always = False
            AnalysisRequest.objects.filter(pk__in=pending).update(started_at=timezone.now())
            count = analyse_articles()
            AnalysisRequest.objects.filter(pk__in=pending).update(
                finished_at=timezone.now(), articles=count
            )
            total += count
