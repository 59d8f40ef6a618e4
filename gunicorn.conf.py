"""gunicorn's settings for the archive, read from the working directory by `make run` and
the benchmarks alike: each worker warms its caches before it takes a request."""

# Templates every reader meets first: compiled once here rather than on someone's request.
WARM_TEMPLATES = ("search/search.html", "articles/home.html", "articles/article_detail.html")


def post_worker_init(worker) -> None:
    """Warm the search caches and compile the main templates, then close the database
    connection the warm-up opened (the worker's threads open their own)."""
    from django.db import connections
    from django.template.loader import get_template
    from django.urls import reverse

    from articles.search import warm_up

    seconds = warm_up()
    reverse("articles:search")  # builds the URL resolver
    for name in WARM_TEMPLATES:
        get_template(name)
    connections.close_all()
    worker.log.info("Search caches warmed in %.2f s", seconds)
