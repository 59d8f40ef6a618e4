"""Concurrent HTTP clients for loopback benchmarks: threads with keep-alive connections that
work through a list of paths until told to stop, a request budget or a deadline."""

from __future__ import annotations

import http.client
import itertools
import threading
import time
from dataclasses import dataclass


@dataclass(frozen=True)
class Hit:
    kind: str  # what sort of page: "search", "article", "list"
    path: str
    status: int  # 0 for a connection error or timeout
    seconds: float
    error: str = ""
    started: float = 0.0  # time.monotonic() when the request was sent


def fetch(connection: http.client.HTTPConnection, path: str) -> tuple[int, str]:
    """GET a path on a kept-alive connection and read the whole body."""
    connection.request("GET", path, headers={"Accept-Encoding": "identity"})
    response = connection.getresponse()
    response.read()
    return response.status, ""


def drive(
    port: int,
    pages: list[tuple[str, str]],
    *,
    threads: int,
    max_requests: int,
    max_seconds: float,
    stop: threading.Event | None = None,
    timeout: float = 30.0,
    spread: int = 7,
) -> list[Hit]:
    """Request (kind, path) pages round-robin from `threads` clients; return every hit.
    Client i starts `spread` × i pages further on; with spread 0, one pass over `pages`
    (max_requests = len(pages)) requests each page exactly once."""
    stop = stop or threading.Event()
    deadline = time.monotonic() + max_seconds
    counter = itertools.count()
    hits: list[Hit] = []
    lock = threading.Lock()

    def client(offset: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
        while not stop.is_set() and time.monotonic() < deadline:
            number = next(counter)
            if number >= max_requests:
                break
            kind, path = pages[(number + offset) % len(pages)]
            sent, started = time.monotonic(), time.perf_counter()
            try:
                status, error = fetch(connection, path)
            except (OSError, http.client.HTTPException) as exc:
                status, error = 0, f"{type(exc).__name__}: {exc}"
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
            hit = Hit(kind, path, status, time.perf_counter() - started, error, sent)
            with lock:
                hits.append(hit)
        connection.close()

    workers = [
        threading.Thread(target=client, args=(i * spread,), daemon=True) for i in range(threads)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return hits
