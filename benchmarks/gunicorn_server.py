"""Run the site under gunicorn on a free loopback port, find its workers and read their
peak memory from /proc."""

from __future__ import annotations

import http.client
import socket
import subprocess
import time
from pathlib import Path

from benchmarks.sandbox import BASE_DIR, PYTHON


def free_port() -> int:
    """A TCP port on 127.0.0.1 nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_gunicorn(
    env: dict[str, str], port: int, log_path: Path, *, workers: int = 2, threads: int = 4
) -> subprocess.Popen:
    """gunicorn serving archive.wsgi as `make run` does (WSGI app, workers, threads)."""
    log = open(log_path, "ab")  # noqa: SIM115 - closed with the process by stop_gunicorn
    command = [
        PYTHON,
        "-m",
        "gunicorn",
        "archive.wsgi:application",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--threads",
        str(threads),
        "--timeout",
        "30",
    ]
    process = subprocess.Popen(command, env=env, cwd=BASE_DIR, stdout=log, stderr=log)
    process.log = log  # type: ignore[attr-defined]
    return process


def wait_until_serving(port: int, process: subprocess.Popen, timeout: float = 60.0) -> None:
    """Poll the home page until it answers; raise if gunicorn exits or time runs out."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with status {process.returncode}")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/robots.txt")
            if connection.getresponse().status < 500:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not answer on port {port} within {timeout:.0f} s")


def stop_gunicorn(process: subprocess.Popen, timeout: float = 30.0) -> None:
    """Ask the master to shut down gracefully (SIGTERM); kill it if it will not."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    process.log.close()  # type: ignore[attr-defined]


def worker_pids(master_pid: int) -> list[int]:
    """Children of the gunicorn master, from /proc."""
    children = Path(f"/proc/{master_pid}/task/{master_pid}/children")
    if children.exists():
        return [int(pid) for pid in children.read_text().split()]
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == master_pid:
            found.append(int(stat.parent.name))
    return found


def memory_kib(pid: int) -> dict[str, int]:
    """VmHWM (peak resident set) and VmRSS of a process, in KiB, and of the resident set
    now, RssAnon (the process's own) and RssFile (mapped files: the index's postings
    arrays, shared by the workers through the page cache)."""
    values = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, rest = line.partition(":")
        if key in ("VmHWM", "VmRSS", "RssAnon", "RssFile"):
            values[key] = int(rest.split()[0])
    return values
