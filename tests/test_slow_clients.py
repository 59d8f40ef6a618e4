"""The server as `make run` starts it keeps answering while slow clients hold connections
open (slowloris): a request gets a thread only once it has fully arrived."""

import http.client
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from archive.workers import MAX_BODY_BYTES, MAX_HEADER_BYTES, request_complete

BASE_DIR = Path(__file__).resolve().parent.parent


def test_a_request_is_complete_once_its_headers_and_declared_body_are_in():
    assert request_complete(b"GET / HTTP/1.1\r\nHost: a\r\n") is False
    assert request_complete(b"GET / HTTP/1.1\r\nHost: a\r\n\r\n") is True
    post = b"POST /admin/login/ HTTP/1.1\r\nContent-Length: 10\r\n\r\n"
    assert request_complete(post + b"12345") is False
    assert request_complete(post + b"1234567890") is True
    assert request_complete(b"GET / HTTP/1.1\r\nX: " + b"a" * MAX_HEADER_BYTES) is None


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """gunicorn with the project's configuration: one worker, two threads, so that two
    slow clients would be enough to stop a server that gives each a thread."""
    data = tmp_path_factory.mktemp("served")
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(
        ARCHIVE_DATA_DIR=str(data),
        DJANGO_SETTINGS_MODULE="archive.settings",
        DJANGO_DEBUG="off",
        ARCHIVE_REQUEST_SECONDS="3",
    )
    manage = [sys.executable, str(BASE_DIR / "manage.py")]
    subprocess.run([*manage, "migrate", "-v0"], env=env, check=True, cwd=BASE_DIR)
    subprocess.run([*manage, "collectstatic", "--noinput", "-v0"], env=env, check=True)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = [sys.executable, "-m", "gunicorn", "archive.wsgi:application"]
    command += ["--bind", f"127.0.0.1:{port}", "--workers", "1", "--threads", "2"]
    process = subprocess.Popen(
        command, env=env, cwd=BASE_DIR, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            time.sleep(0.2)
    yield port
    process.terminate()
    process.wait(20)


def get(port, path="/robots.txt", timeout=5):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    connection.request("GET", path, headers={"Host": "127.0.0.1"})
    response = connection.getresponse()
    return response.status, response.read()


def test_pages_answer_while_slow_clients_send_their_headers_a_line_at_a_time(server):
    slow = [socket.create_connection(("127.0.0.1", server)) for _ in range(12)]
    try:
        for client in slow:
            client.sendall(b"GET /robots.txt HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        for _ in range(3):
            time.sleep(0.5)
            for client in slow:
                client.sendall(b"X-Slow: yes\r\n")
            status, body = get(server)  # a server that gave each a thread would time out
            assert status == 200 and b"Sitemap" in body
    finally:
        for client in slow:
            client.close()


def test_a_client_that_never_finishes_its_request_is_disconnected(server):
    client = socket.create_connection(("127.0.0.1", server), timeout=15)
    client.sendall(b"GET /robots.txt HTTP/1.1\r\nHost: 127.0.0.1\r\n")
    started = time.monotonic()
    assert client.recv(1024) == b""  # closed, with no answer, once its time ran out
    assert time.monotonic() - started < 12
    client.close()


def test_kept_alive_connections_and_posted_forms_still_work(server):
    connection = http.client.HTTPConnection("127.0.0.1", server, timeout=5)
    for _ in range(3):
        connection.request("GET", "/robots.txt", headers={"Host": "127.0.0.1"})
        response = connection.getresponse()
        assert response.status == 200 and response.read()
    connection.request(
        "POST",
        "/admin/login/",
        body="username=a&password=b",
        headers={"Host": "127.0.0.1", "Content-Type": "application/x-www-form-urlencoded"},
    )
    response = connection.getresponse()
    assert response.status == 403  # the request arrived whole; CSRF refused it, as it should


def test_a_chunked_body_is_complete_only_at_its_last_chunk():
    head = b"POST /admin/login/ HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"
    assert request_complete(head) is False
    assert request_complete(head + b"5\r\nhello\r\n") is False
    assert request_complete(head + b"5\r\nhello\r\n0\r\n") is False
    assert request_complete(head + b"5\r\nhello\r\n0\r\n\r\n") is True
    assert request_complete(head + b"5;ext=1\r\nhello\r\n0\r\nX-Trailer: a\r\n\r\n") is True
    assert request_complete(head + b"zz\r\n") is True  # gunicorn refuses it at once
    both = b"POST / HTTP/1.1\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n"
    assert request_complete(both) is True  # refused by gunicorn's parser, body unread


def test_a_body_is_buffered_whole_and_a_larger_one_refused():
    post = b"POST /admin/login/ HTTP/1.1\r\nContent-Length: 300000\r\n\r\n"
    assert request_complete(post + b"a" * 1000) is False  # once handed on, whatever its size
    assert request_complete(post + b"a" * 300_000) is True
    huge = b"POST / HTTP/1.1\r\nContent-Length: %d\r\n\r\n" % (MAX_BODY_BYTES + 1)
    assert request_complete(huge) is None
    assert request_complete(b"POST / HTTP/1.1\r\nContent-Length: 1%s\r\n\r\n" % (b"0" * 15)) is None
    chunk = b"10000\r\n" + b"a" * 0x10000 + b"\r\n"
    chunked = b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n" + chunk * 42
    assert request_complete(chunked) is None


def csrf_post(length: int) -> bytes:
    """The head of a login form post that Django will read (a well-formed CSRF cookie and
    no token header), declaring a body of `length` bytes."""
    return (
        b"POST /admin/login/ HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: csrftoken="
        + b"a" * 32
        + b"\r\n"
        b"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: %d\r\n\r\n" % length
    )


def test_pages_answer_while_slow_clients_send_a_large_body_a_byte_at_a_time(server):
    slow = [socket.create_connection(("127.0.0.1", server)) for _ in range(4)]
    try:
        for client in slow:
            client.sendall(csrf_post(300_000))
        for _ in range(3):
            time.sleep(0.5)
            for client in slow:
                client.sendall(b"a")
            status, _ = get(server)  # a thread reading each body would wait on each
            assert status == 200
    finally:
        for client in slow:
            client.close()


def test_a_body_over_the_limit_is_refused_at_once(server):
    client = socket.create_connection(("127.0.0.1", server), timeout=5)
    client.sendall(csrf_post(MAX_BODY_BYTES + 1))
    assert client.recv(1024).startswith(b"HTTP/1.1 413")
    client.close()


def read_statuses(client: socket.socket, count: int) -> list[int]:
    """The statuses of the first `count` responses read from one connection."""
    received = b""
    while received.count(b"HTTP/1.1 ") < count:
        chunk = client.recv(65536)
        if not chunk:
            break
        received += chunk
    return [int(part[:3]) for part in received.split(b"HTTP/1.1 ")[1:]]


def test_pipelined_requests_are_each_answered_in_order(server):
    client = socket.create_connection(("127.0.0.1", server), timeout=5)
    request = b"GET /robots.txt HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
    client.sendall(request * 3 + b"GET /nowhere/ HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
    assert read_statuses(client, 4) == [200, 200, 200, 404]
    client.close()
