"""What exports and search feeds may cost the server, whatever the collection holds.

An export of 10,000 articles takes seconds and tens of megabytes: a few at once held every
thread of a server. Each client (by address) runs one at a time and a few a minute, and
each server process streams only a few exports at once; beyond that the answer is 429 with
a Retry-After and a message saying why. Counts are kept in Django's cache: the default
in-process cache counts per server process, a shared one (CACHE_URL) across all of them.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable, Iterator

from django.conf import settings
from django.core.cache import cache

# An export a crashed process never released is forgotten after this long.
LEASE_SECONDS = 300
# What to wait before trying again when an export is still running somewhere.
BUSY_RETRY_SECONDS = 10
# How messages name each kind of request limited: (one, several).
KINDS = {"export": ("An export", "exports"), "feed": ("A search feed", "search feeds")}


class ExportRefused(Exception):
    """An export refused for now; str(e) says why, `retry_after` when to try again."""

    def __init__(self, message: str, retry_after: int):
        super().__init__(message)
        self.retry_after = retry_after


class ExportPermit:
    """The right to run one export; released once, when the response is closed."""

    def __init__(self, running_key: str, slot: threading.BoundedSemaphore | None):
        self.running_key = running_key
        self.slot = slot
        self.released = False

    def release(self) -> None:
        if self.released:
            return
        self.released = True
        cache.delete(self.running_key)
        if self.slot is not None:
            self.slot.release()


class ReleasingStream:
    """A response's content that releases its permit when the server closes the response,
    however far it was read (Django calls `close()` on streaming content)."""

    def __init__(self, content: Iterable, permit: ExportPermit):
        self.content = iter(content)
        self.permit = permit

    def __iter__(self) -> Iterator:
        return self

    def __next__(self):
        return next(self.content)

    def close(self) -> None:
        close = getattr(self.content, "close", None)
        try:
            if close is not None:
                close()
        finally:
            self.permit.release()


_slots: threading.BoundedSemaphore | None = None
_slots_lock = threading.Lock()


def _process_slots() -> threading.BoundedSemaphore:
    global _slots
    with _slots_lock:
        if _slots is None:
            _slots = threading.BoundedSemaphore(max(1, settings.ARCHIVE_EXPORT_CONCURRENCY))
        return _slots


def claim_export(client: str, kind: str, *, streams: bool = True) -> ExportPermit:
    """A permit for `client` (an address) to run an export of `kind` ("export", "feed"), or
    ExportRefused. A streamed export also takes one of the process's export slots."""
    running_key = f"export-running:{kind}:{client}"
    if not cache.add(running_key, 1, LEASE_SECONDS):
        raise ExportRefused(
            f"{KINDS[kind][0]} for your address is still running: wait for it to finish, "
            f"then try again. Each reader's {KINDS[kind][1]} run one at a time.",
            BUSY_RETRY_SECONDS,
        )
    try:
        _count_against_rate(client, kind)
        slot = None
        if streams:
            slot = _process_slots()
            if not slot.acquire(blocking=False):
                raise ExportRefused(
                    "The server is busy with other readers' exports: try again in a few seconds.",
                    BUSY_RETRY_SECONDS,
                )
    except ExportRefused:
        cache.delete(running_key)
        raise
    return ExportPermit(running_key, slot)


def _count_against_rate(client: str, kind: str) -> None:
    allowed = settings.ARCHIVE_EXPORTS_PER_MINUTE
    now = time.time()
    minute = int(now // 60)
    key = f"export-rate:{kind}:{client}:{minute}"
    cache.add(key, 0, 120)
    try:
        count = cache.incr(key)
    except ValueError:  # gone since it was added (or a cache that keeps nothing)
        count = 1
    if count > allowed:
        wait = max(1, int(60 * (minute + 1) - now) + 1)
        raise ExportRefused(
            f"Your address has started {allowed} {KINDS[kind][1]} this minute, the most "
            f"allowed: try again in {wait} seconds.",
            wait,
        )
