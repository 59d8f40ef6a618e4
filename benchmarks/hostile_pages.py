"""What a hostile client can make one request cost, served by gunicorn as `make run` serves
it: the changes page between crafted captures, exports of everything, several exports at
once, and slow clients holding connections while a reader asks for a page.

    python benchmarks/hostile_pages.py [--generated 2000] [--runs 5]

Prints the median and slowest time of each probe, with the status it was answered with.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import socket
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
if str(BASE_DIR) not in sys.path:
    sys.path.insert(0, str(BASE_DIR))

from benchmarks import gunicorn_server, sandbox  # noqa: E402 - needs sys.path
from benchmarks.generate import DATA_DIR, write_corpus  # noqa: E402

HEAD = "Talks resume in Geneva\n\nGENEVA - Negotiators met again today.\n\n"


def repetitive(word: str, changed: str, paragraphs: int) -> str:
    """The sweep's probe: paragraphs of one word repeated 2,990 times."""
    return HEAD + "\n\n".join(
        f"{changed} " + " ".join([word] * 2_989) + f" end{i}" for i in range(paragraphs)
    )


def alternating(pair: tuple[str, str], paragraphs: int) -> str:
    """Paragraphs that share nothing in order with the other capture's: the worst case."""
    return HEAD + "\n\n".join(" ".join(pair * 1_400) + f" {i}" for i in range(paragraphs))


def hostile_stories() -> list[tuple[str, str, str]]:
    """Three stories, each captured twice: (name, first capture, second capture)."""
    return [
        (
            "one word changed in 50 long paragraphs",
            repetitive("word", "word", 50),
            repetitive("word", "other", 50),
        ),
        (
            "50 paragraphs with nothing in common",
            alternating(("a", "b"), 50),
            alternating(("b", "c"), 50),
        ),
        (
            "a 4.5 MB capture, one word changed",
            HEAD + " ".join(["word"] * 900_000),
            HEAD + "other " + " ".join(["word"] * 899_999),
        ),
    ]


def timed_get(port: int, path: str, timeout: float = 120) -> tuple[float, int, int]:
    started = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    connection.request("GET", path, headers={"Host": "127.0.0.1"})
    response = connection.getresponse()
    body = response.read()
    return time.perf_counter() - started, response.status, len(body)


def summary(samples: list[tuple[float, int, int]]) -> str:
    times = [s[0] * 1000 for s in samples]
    statuses = sorted({s[1] for s in samples})
    return (
        f"{statistics.median(times):,.0f} | {max(times):,.0f} | "
        f"{', '.join(map(str, statuses))} | {max(s[2] for s in samples):,}"
    )


def slow_clients(
    port: int,
    count: int,
    seconds: float,
    head: bytes = b"GET /robots.txt HTTP/1.1\r\nHost: 127.0.0.1\r\n",
    drip: bytes = b"X-Slow: yes\r\n",
) -> threading.Thread:
    """`count` connections that send `head`, then `drip` every second for `seconds` (by
    default a header line: slowloris)."""
    sockets = []
    for _ in range(count):
        client = socket.create_connection(("127.0.0.1", port))
        client.sendall(head)
        sockets.append(client)

    def send() -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            time.sleep(1)
            for client in sockets:
                with contextlib.suppress(OSError):
                    client.sendall(drip)
        for client in sockets:
            client.close()

    thread = threading.Thread(target=send, daemon=True)
    thread.start()
    return thread


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--generated", type=int, default=2000, help="Generated articles.")
    parser.add_argument("--runs", type=int, default=5, help="Timed requests per probe.")
    args = parser.parse_args(argv)
    data = sandbox.fresh_data_dir()
    env = sandbox.archive_env(data)
    sandbox.manage(env, "migrate", "-v0")
    sandbox.manage(env, "collectstatic", "--noinput", "-v0")
    captures = Path(tempfile.mkdtemp(prefix="hostile-captures-"))
    if args.generated:
        corpus = write_corpus(DATA_DIR / str(args.generated), args.generated)
        sandbox.manage(env, "ingest", str(corpus), "-v0", capture_output=True)
    stories = hostile_stories()
    for index, (_name, before, _after) in enumerate(stories):
        (captures / f"story{index}.txt").write_text(before)
    sandbox.manage(env, "ingest", *[str(captures / f"story{i}.txt") for i in range(3)], "-v0")
    for index, (_name, _before, after) in enumerate(stories):
        (captures / f"story{index}.txt").write_text(after)
    sandbox.manage(env, "ingest", *[str(captures / f"story{i}.txt") for i in range(3)], "-v0")
    paths = sandbox.manage(
        env,
        "shell",
        "-c",
        "from articles.models import Article\n"
        "for a in Article.objects.filter(captures__origin__startswith='story').distinct()"
        ".order_by('pk'): print(a.get_absolute_url())",
        capture_output=True,
    ).stdout.split()
    paths = [path for path in paths if path.startswith("/articles/")]
    port = gunicorn_server.free_port()
    server = gunicorn_server.start_gunicorn(env, port, data / "gunicorn.log")
    try:
        gunicorn_server.wait_until_serving(port, server)
        print("| probe | median ms | slowest ms | status | bytes |\n|---|---|---|---|---|")
        for (name, _b, _a), path in zip(stories, paths, strict=False):
            rows = [timed_get(port, path + "changes/") for _ in range(args.runs)]
            print(f"| changes page: {name} | {summary(rows)} |")
        for export in ("/search/export.json?q=*", "/search/export.csv?q=*"):
            rows = [timed_get(port, export) for _ in range(args.runs)]
            print(f"| {export} | {summary(rows)} |")
        results: list[tuple[float, int, int]] = []
        threads = [
            threading.Thread(
                target=lambda: results.append(timed_get(port, "/search/export.json?q=*"))
            )
            for _ in range(6)
        ]
        for thread in threads:
            thread.start()
        robots = [timed_get(port, "/robots.txt") for _ in range(args.runs)]
        for thread in threads:
            thread.join()
        print(f"| six exports at once | {summary(results)} |")
        print(f"| /robots.txt during those exports | {summary(robots)} |")
        post = (
            b"POST /admin/login/ HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: csrftoken=" + b"a" * 32
            + b"\r\nContent-Type: application/x-www-form-urlencoded\r\n"
            b"Content-Length: 300000\r\n\r\n"
        )  # fmt: skip
        dripping = slow_clients(port, 12, seconds=8, head=post, drip=b"a")
        time.sleep(1.5)
        rows = [timed_get(port, "/robots.txt", timeout=20) for _ in range(args.runs)]
        print(
            f"| /robots.txt while 12 clients send a 300 KB form a byte a second | {summary(rows)} |"
        )
        dripping.join()
        for count in (12, 100):
            dripping = slow_clients(port, count, seconds=8)
            time.sleep(1.5)
            rows = [timed_get(port, "/robots.txt", timeout=20) for _ in range(args.runs)]
            print(f"| /robots.txt while {count} slow clients send headers | {summary(rows)} |")
            dripping.join()
    finally:
        gunicorn_server.stop_gunicorn(server)
        sandbox.remove(data)


if __name__ == "__main__":
    main()
