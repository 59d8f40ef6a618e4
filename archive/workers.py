"""gunicorn's threaded worker, made safe from slow clients.

gunicorn's `gthread` worker hands a connection to a thread as soon as its first byte
arrives, and the thread then waits on the socket for the rest of the request: twelve
clients sending one header line every few seconds hold every thread, and the site stops
answering (slowloris). Here the worker's event loop reads each request itself, without
blocking, until its headers and its declared body are in; only then does a thread get it,
with every byte it needs already received (a chunked body to its last chunk). A request
still incomplete after `REQUEST_SECONDS`, or larger than the buffers allow, is dropped: it
never held a thread. Requests pipelined on one connection pass through the loop one at a
time: the bytes gunicorn's parser read past a request are taken back and checked again.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import selectors
import socket
import time
from dataclasses import dataclass, field
from functools import partial

from gunicorn.workers.gthread import ThreadWorker

# Seconds a client has to send a whole request (headers and declared body).
REQUEST_SECONDS = float(os.environ.get("ARCHIVE_REQUEST_SECONDS", "10"))
# Bytes of headers a request may have (gunicorn itself allows about 8 KB a line, 100 lines).
MAX_HEADER_BYTES = 64 * 1024
# Bytes of body a request may have, read whole in the loop: Django refuses form data over
# DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MiB) anyway, and the archive takes no uploads. A larger
# declared body is answered 413 without a thread: a thread reading it would wait on the
# client for as long as the client liked.
MAX_BODY_BYTES = 2_621_440 + 64 * 1024
# Bytes of incomplete requests one worker holds at once; a connection that would pass it is
# dropped. (No limit per address: behind a proxy every reader has the proxy's.)
MAX_WAITING_BYTES = 32 * 1024 * 1024

_HEADERS_END = b"\r\n\r\n"
_CONTENT_LENGTH = re.compile(rb"^content-length[ \t]*:[ \t]*(\d+)[ \t]*\r?$", re.I | re.M)
_TRANSFER_ENCODING = re.compile(rb"^transfer-encoding[ \t]*:([^\r\n]*)", re.I | re.M)
_CHUNK_SIZE = re.compile(rb"([0-9A-Fa-f]{1,16})[ \t]*(?:;[^\r\n]*)?")
# A chunk-size line longer than this (its extensions included) is not waited on.
MAX_CHUNK_LINE = 1024
_REFUSAL = b"The request is over the size limit.\n"
TOO_LARGE = (
    b"HTTP/1.1 413 Content Too Large\r\nConnection: close\r\nContent-Type: text/plain\r\n"
    b"Content-Length: %d\r\n\r\n%s" % (len(_REFUSAL), _REFUSAL)
)


@dataclass
class Waiting:
    """A request being read: what has arrived, and when it must be complete by."""

    deadline: float
    received: bytearray = field(default_factory=bytearray)


def request_complete(received: bytes) -> bool | None:
    """Whether `received` starts with a whole request, headers and body: True, False (more
    to come), or None when it is larger than this worker will buffer. A request gunicorn's
    parser will refuse whatever follows (a Content-Length beside a Transfer-Encoding, a
    chunk size that is no number) counts as whole: the thread refuses it at once."""
    end = received.find(_HEADERS_END)
    if end < 0:
        return None if len(received) > MAX_HEADER_BYTES else False
    if end > MAX_HEADER_BYTES:
        return None
    body = end + len(_HEADERS_END)
    declared = _CONTENT_LENGTH.search(received, 0, end + 2)
    codings = _TRANSFER_ENCODING.findall(received, 0, end + 2)
    if codings:
        last = codings[-1].split(b",")[-1].strip().lower()
        if declared or last != b"chunked":
            return True
        return chunked_body_complete(received, body)
    length = int(declared.group(1)) if declared else 0
    if length > MAX_BODY_BYTES:
        return None
    return len(received) - body >= length


def chunked_body_complete(received: bytes, start: int) -> bool | None:
    """Whether the chunked body from `start` has arrived to its last chunk and trailers."""
    position = start
    while True:
        line_end = received.find(b"\r\n", position, position + MAX_CHUNK_LINE + 2)
        if line_end < 0:
            return None if len(received) - position > MAX_CHUNK_LINE else False
        size = _CHUNK_SIZE.fullmatch(received, position, line_end)
        if size is None:
            return True  # gunicorn's parser refuses it without reading further
        length = int(size.group(1), 16)
        if length == 0:  # the last chunk: trailer lines, if any, then a blank line
            if received.startswith(b"\r\n", line_end + 2):
                return True
            trailers_end = received.find(_HEADERS_END, line_end)
            if trailers_end < 0:
                return None if len(received) - line_end > MAX_HEADER_BYTES else False
            return True
        position = line_end + 2 + length + 2
        if position - start > MAX_BODY_BYTES:
            return None
        if position > len(received):
            return False


class BufferedThreadWorker(ThreadWorker):
    """gthread, except that a thread is given a request only once it has fully arrived."""

    def init_process(self) -> None:
        self.waiting: dict[object, Waiting] = {}
        self.waiting_bytes = 0
        super().init_process()

    def on_client_socket_readable(self, conn, client) -> None:
        with self._lock:
            self.poller.unregister(client)
            if conn.initialized and conn not in self.waiting:
                try:
                    self._keep.remove(conn)  # a kept-alive connection's next request
                except ValueError:
                    return
        if self.cfg.is_ssl:  # TLS is read by the thread; terminate it at a proxy instead
            self._forget(conn)
            self.enqueue_req(conn)
            return
        waiting = self.waiting.get(conn)
        if waiting is None:
            waiting = self.waiting[conn] = Waiting(time.monotonic() + REQUEST_SECONDS)
            # What the parser read past the last request (a pipelined request) comes first.
            leftover = take_buffered(conn)
            waiting.received += leftover
            self.waiting_bytes += len(leftover)
        try:
            chunk = conn.sock.recv(65536, socket.MSG_DONTWAIT)
        except (BlockingIOError, InterruptedError):
            chunk = None
        except OSError:
            self._drop(conn)
            return
        if chunk == b"":  # the client went away
            self._drop(conn)
            return
        if chunk:
            if self.waiting_bytes + len(chunk) > MAX_WAITING_BYTES:
                self._drop(conn)
                return
            waiting.received += chunk
            self.waiting_bytes += len(chunk)
        complete = request_complete(waiting.received)
        if complete is None:
            with contextlib.suppress(OSError):
                conn.sock.send(TOO_LARGE, socket.MSG_DONTWAIT)
            self._drop(conn)
        elif complete:
            self._forget(conn)
            conn.init()
            conn.parser.unreader.unread(bytes(waiting.received))
            self.enqueue_req(conn)
        else:
            with self._lock:
                self.poller.register(
                    conn.sock, selectors.EVENT_READ, partial(self.on_client_socket_readable, conn)
                )

    def handle(self, conn):
        """gunicorn's handling, then, on a connection kept alive, the rest of the request's
        body read from the buffer (it arrived whole), so what is left is the next request."""
        keepalive, conn = super().handle(conn)
        if keepalive:
            try:
                body = conn.parser.mesg.body
                while body.read(65536):
                    pass
            except Exception:  # noqa: BLE001 - a body gunicorn cannot read ends the connection
                return False, conn
        return keepalive, conn

    def finish_request(self, fs) -> None:
        """gunicorn's, then a request already buffered behind the last is read at once:
        its bytes are in, so the socket may never turn readable for it."""
        super().finish_request(fs)
        conn = fs.conn
        if conn in self._keep and buffered(conn):
            self.on_client_socket_readable(conn, conn.sock)

    def murder_keepalived(self) -> None:
        super().murder_keepalived()
        now = time.monotonic()
        for conn in [c for c, w in self.waiting.items() if w.deadline <= now]:
            with self._lock, contextlib.suppress(KeyError, ValueError, OSError):
                self.poller.unregister(conn.sock)
            self._drop(conn)

    def _forget(self, conn) -> None:
        waiting = self.waiting.pop(conn, None)
        if waiting is not None:
            self.waiting_bytes -= len(waiting.received)

    def _drop(self, conn) -> None:
        """Close a connection that will get no answer, and forget it."""
        self._forget(conn)
        self.nr_conns -= 1
        conn.close()


def buffered(conn) -> int:
    """Bytes gunicorn's parser holds for this connection beyond what it has parsed."""
    parser = getattr(conn, "parser", None)
    return parser.unreader.buf.tell() if parser is not None else 0


def take_buffered(conn) -> bytes:
    """Take back the bytes gunicorn's parser holds for this connection beyond what it has
    parsed, so the loop checks them as the start of the next request."""
    if not buffered(conn):
        return b""
    unreader = conn.parser.unreader
    data = unreader.buf.getvalue()
    unreader.buf = io.BytesIO()
    return data
