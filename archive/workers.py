"""gunicorn's threaded worker, made safe from slow clients.

gunicorn's `gthread` worker hands a connection to a thread as soon as its first byte
arrives, and the thread then waits on the socket for the rest of the request: twelve
clients sending one header line every few seconds hold every thread, and the site stops
answering (slowloris). Here the worker's event loop reads each request itself, without
blocking, until its headers and its declared body are in; only then does a thread get it,
with every byte it needs already received. A request still incomplete after
`REQUEST_SECONDS`, or larger than the buffers allow, is dropped: it never held a thread.
"""

from __future__ import annotations

import contextlib
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
# Bytes of body read ahead in the loop; a larger declared body (none of the archive's forms
# comes near) is handed on once its headers are in.
MAX_BUFFERED_BODY = 256 * 1024
# Bytes of incomplete requests one worker holds at once; a connection that would pass it is
# dropped. (No limit per address: behind a proxy every reader has the proxy's.)
MAX_WAITING_BYTES = 32 * 1024 * 1024

_HEADERS_END = b"\r\n\r\n"
_CONTENT_LENGTH = re.compile(rb"^content-length[ \t]*:[ \t]*(\d{1,12})[ \t]*\r?$", re.I | re.M)


@dataclass
class Waiting:
    """A request being read: what has arrived, and when it must be complete by."""

    deadline: float
    received: bytearray = field(default_factory=bytearray)


def request_complete(received: bytes) -> bool | None:
    """Whether `received` holds a whole request's headers and declared body: True, False
    (more to come), or None when it is larger than this worker will buffer."""
    end = received.find(_HEADERS_END)
    if end < 0:
        return None if len(received) > MAX_HEADER_BYTES else False
    if end > MAX_HEADER_BYTES:
        return None
    declared = _CONTENT_LENGTH.search(received, 0, end + 2)
    length = int(declared.group(1)) if declared else 0
    if length > MAX_BUFFERED_BODY:
        return True  # the thread reads a large body itself, as gunicorn would
    return len(received) - (end + len(_HEADERS_END)) >= length


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
