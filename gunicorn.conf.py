"""gunicorn's settings for the archive, read from the working directory by `make run` and
the benchmarks alike: each worker warms its caches before it takes a request."""

# Rendered once in each worker as it starts, so their templates (with every include), URL
# patterns and the search's stored fields are ready before the first reader's request.
WARM_PAGES = ("/search/?q=Lavrov+radar", "/")


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
