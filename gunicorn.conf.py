"""gunicorn's settings for the archive, read from the working directory by `make run` and
the benchmarks alike: each worker tunes its allocator and warms its caches before it takes
a request."""

import ctypes

# Requests are read whole by each worker's event loop before a thread gets them, so slow
# clients cannot hold the threads (archive/workers.py).
worker_class = "archive.workers.BufferedThreadWorker"

# glibc's allocator as a threaded server with large, short-lived search arrays needs it:
# two arenas rather than one per thread, and blocks of 256 KB or more always mapped and
# given back when freed (glibc's moving threshold otherwise keeps freed arrays' memory).
M_ARENA_MAX, M_MMAP_THRESHOLD = -8, -3
ARENAS, MAPPED_FROM_BYTES = 2, 256 * 1024

# Rendered once in each worker as it starts, so their templates (with every include), URL
# patterns and the search's stored fields are ready before the first reader's request.
WARM_PAGES = ("/search/?q=Lavrov+radar", "/")


def post_fork(server, worker) -> None:
    tune_allocator()


def tune_allocator() -> None:
    """Set glibc's malloc options in this process; elsewhere (musl, macOS) nothing."""
    try:
        libc = ctypes.CDLL("libc.so.6")
        libc.mallopt(M_ARENA_MAX, ARENAS)
        libc.mallopt(M_MMAP_THRESHOLD, MAPPED_FROM_BYTES)
    except (OSError, AttributeError):
        return


def post_worker_init(worker) -> None:
    """Warm the search caches and render the main pages once, then close the database
    connection the warm-up opened (the worker's threads open their own)."""
    from django.db import connections

    from articles.search.warm import warm_up

    seconds = warm_up()
    for path in WARM_PAGES:
        render_once(path)
    connections.close_all()
    worker.log.info("Search caches warmed in %.2f s", seconds)


def render_once(path: str) -> None:
    """Call the view for `path` directly: no host check, middleware or socket involved."""
    from django.test import RequestFactory
    from django.urls import resolve

    request = RequestFactory().get(path)
    match = resolve(request.path_info)
    response = match.func(request, *match.args, **match.kwargs)
    if hasattr(response, "render"):  # a class-based view's response renders lazily
        response.render()
