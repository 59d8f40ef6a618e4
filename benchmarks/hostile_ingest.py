"""Hostile files for ingest, each ingested on its own by `manage.py ingest` into a fresh
archive: the wall time, the peak RSS of the process and what it said. Small on disk (runs
of one byte compress a thousandfold), huge when read: a gigabyte of whitespace as a WACZ's
datapackage.json, a 512 MiB WARC header line, a 256 MiB HTTP header line, a gigabyte of
blank lines, a decompression bomb, a charset that is no text encoding, and a valid 4.8 MB
text capture and saved page.

    python benchmarks/hostile_ingest.py [--scale 0.1] [--only NAME ...] [--checkout PATH]

`--checkout` runs another checkout's manage.py on the same files (an earlier commit, to
compare); `--timeout` stops a run that takes longer.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
import zipfile
import zlib
from collections.abc import Callable, Iterable
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
if str(BASE_DIR) not in sys.path:
    sys.path.insert(0, str(BASE_DIR))

from benchmarks import sandbox  # noqa: E402 - needs sys.path

MiB = 1 << 20
GOOD_URL = "https://news.bbc.co.uk/2/hi/europe/7280000.stm"


def good_page(headline: str = "Russia and US fail to agree on missile shield") -> bytes:
    paragraphs = "".join(f"<p>{line}</p>" for line in seed_lines()[:6])
    return (
        f"<!doctype html><html><head><title>{headline}</title></head><body>"
        f"<article><h1>{headline}</h1>{paragraphs}</article></body></html>"
    ).encode()


def seed_lines() -> list[str]:
    return [
        line
        for seed in sorted((BASE_DIR / "seeds").glob("*.txt"))
        for line in seed.read_text(encoding="utf-8").splitlines()[3:]
        if len(line) > 60
    ]


def warc_record(url: str, payload: bytes, *, content_type: str = "text/html") -> bytes:
    """One response record, uncompressed, as warcio writes it."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=False)
    http = StatusAndHeaders("200 OK", [("Content-Type", content_type)], protocol="HTTP/1.1")
    record = writer.create_warc_record(
        url, "response", payload=io.BytesIO(payload), http_headers=http
    )
    writer.write_record(record)
    return buffer.getvalue()


def runs(*parts: bytes | tuple[bytes, int]) -> Iterable[bytes]:
    """Bytes, and (chunk, count) runs given out a mebibyte at a time."""
    for part in parts:
        if isinstance(part, bytes):
            yield part
            continue
        chunk, count = part
        block = chunk * (MiB // len(chunk))
        while count > 0:
            n = min(count, MiB // len(chunk))
            yield block[: n * len(chunk)]
            count -= n


def write_gzip_member(out, pieces: Iterable[bytes]) -> None:
    compressor = zlib.compressobj(6, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    for piece in pieces:
        out.write(compressor.compress(piece))
    out.write(compressor.flush())


def write_warc_gz(path: Path, *members: Iterable[bytes]) -> None:
    with path.open("wb") as out:
        for member in members:
            write_gzip_member(out, member)


def write_wacz(path: Path, members: dict[str, Iterable[bytes]], manifest: Iterable[bytes] = ()):
    """A WACZ (deflated members); without a `manifest`, one listing the members' hashes."""
    resources = []
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
        for name, pieces in members.items():
            digest, size = hashlib.sha256(), 0
            with package.open(name, "w", force_zip64=True) as member:
                for piece in pieces:
                    member.write(piece)
                    digest.update(piece)
                    size += len(piece)
            resources.append({"path": name, "hash": f"sha256:{digest.hexdigest()}", "bytes": size})
        with package.open("datapackage.json", "w", force_zip64=True) as member:
            written = False
            for piece in manifest:
                member.write(piece)
                written = True
            if not written:
                member.write(
                    json.dumps({"profile": "data-package", "resources": resources}).encode()
                )


def large_capture(size: int) -> bytes:
    rng = random.Random(1)
    lines = seed_lines()
    out = [
        "Talks end without agreement on missile shield",
        "",
        "By Jane Smith",
        "",
        "5 March 2008",
        "",
    ]
    total, n = 0, 0
    while total < size:
        line = f"{rng.choice(lines)} ({n})"
        out += [line, ""]
        total += len(line) + 2
        n += 1
    return "\n".join(out).encode()


def hostile_files(folder: Path, scale: float) -> dict[str, Callable[[], Path]]:
    """Builders of each hostile file, by name."""
    gib, big_line, http_line = (
        int(1024 * MiB * scale),
        int(512 * MiB * scale),
        int(256 * MiB * scale),
    )
    good = warc_record(GOOD_URL, good_page())

    def manifest_whitespace():
        path = folder / "manifest-whitespace.wacz"
        write_wacz(path, {"archive/data.warc": [good]}, manifest=runs(b"{", (b" ", gib), b"}"))
        return path

    def manifest_nested():
        path = folder / "manifest-nested.wacz"
        write_wacz(path, {"archive/data.warc": [good]}, manifest=[b"[" * 100_000])
        return path

    def header_line():
        path = folder / "header-line.warc.gz"
        start = b"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: " + GOOD_URL.encode() + b"?"
        write_warc_gz(path, [good], runs(start, (b"a", big_line), b"\r\nContent-Length: 0\r\n\r\n"))
        return path

    def http_header_line():
        path = folder / "http-header-line.warc.gz"
        page = good_page("A page behind a long header")
        http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nX-Padding: "
        length = len(http) + http_line + 4 + len(page)
        warc = (
            f"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: {GOOD_URL}?long\r\n"
            f"WARC-Date: 2008-03-05T12:00:00Z\r\nContent-Length: {length}\r\n\r\n"
        ).encode()
        write_warc_gz(path, runs(warc, http, (b"a", http_line), b"\r\n\r\n" + page + b"\r\n\r\n"))
        return path

    def blank_lines_wacz():
        path = folder / "blank-lines.wacz"
        write_wacz(path, {"archive/data.warc": runs(good, (b"\n", gib))})
        return path

    def blank_lines_warc():
        path = folder / "blank-lines.warc.gz"
        write_warc_gz(path, runs(good, (b"\r\n", gib // 2)))
        return path

    def bomb():
        path = folder / "bomb.warc.gz"
        record = warc_record(GOOD_URL + "?bomb", b"", content_type="text/plain")
        # the record's Content-Length is rewritten to the run that follows it
        head, _, _ = record.partition(b"Content-Length: ")
        http = b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\n"
        warc = head + f"Content-Length: {len(http) + gib}\r\n\r\n".encode()
        write_warc_gz(path, [good], runs(warc, http, (b"x", gib), b"\r\n\r\n"))
        return path

    def punycode():
        path = folder / "punycode.warc.gz"
        page = warc_record(
            GOOD_URL + "?p",
            good_page("Lavrov says radar offer stands"),
            content_type="text/html; charset=punycode",
        )
        write_warc_gz(path, [good], [page])
        return path

    def capture():
        path = folder / "large-capture.txt"
        path.write_bytes(large_capture(4_800_000))  # valid, so always at full size
        return path

    def page():
        path = folder / "large-page.html"
        text = large_capture(4_700_000).decode().split("\n\n")
        body = "".join(f"<p>{paragraph}</p>" for paragraph in text[3:])
        path.write_bytes(good_page(text[0]).replace(b"</article>", body.encode() + b"</article>"))
        return path

    def json_ld_wide():  # the second sweep: 1.4 million JSON-LD objects in one page
        path = folder / "json-ld-wide.html"
        script = "[" + ",".join(["{}"] * 1_400_000) + "]"
        head = f'<script type="application/ld+json">{script}</script>'
        path.write_bytes(good_page().replace(b"</head>", head.encode() + b"</head>"))
        return path

    def json_ld_nested():  # JSON-LD nested past Python's recursion limit
        path = folder / "json-ld-nested.html"
        head = '<script type="application/ld+json">' + "[" * 100_000 + "]" * 100_000
        path.write_bytes(good_page().replace(b"</head>", head.encode() + b"</script></head>"))
        return path

    def colons():  # 4.8 MB of "Lavrov: ", every word a speaker's label
        path = folder / "colons.txt"
        path.write_bytes(b"Talks end\n\n" + b"Lavrov: " * 600_000)
        return path

    return {
        "json-ld-wide": json_ld_wide,
        "json-ld-nested": json_ld_nested,
        "colons": colons,
        "manifest-whitespace": manifest_whitespace,
        "manifest-nested": manifest_nested,
        "header-line": header_line,
        "http-header-line": http_header_line,
        "blank-lines-wacz": blank_lines_wacz,
        "blank-lines-warc": blank_lines_warc,
        "bomb": bomb,
        "punycode": punycode,
        "large-capture": capture,
        "large-page": page,
    }


def ingest(manage: str, env: dict[str, str], path: Path, timeout: float) -> dict:
    """Ingest one file in a child process: seconds, peak RSS (MB), exit status, its words."""
    started = time.perf_counter()
    child = subprocess.Popen(
        [sandbox.PYTHON, manage, "ingest", str(path)],
        env=env,
        cwd=Path(manage).parent,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    output: list[bytes] = []
    reader = threading.Thread(target=lambda: output.append(child.stdout.read()))
    reader.start()
    timer = threading.Timer(timeout, lambda: os.killpg(child.pid, signal.SIGKILL))
    timer.start()
    _, status, usage = os.wait4(child.pid, 0)
    timer.cancel()
    reader.join()
    seconds = time.perf_counter() - started
    code = os.waitstatus_to_exitcode(status)
    text = b"".join(output).decode("utf-8", "replace")
    said = [line for line in text.splitlines() if line.strip() and "Traceback" not in line]
    return {
        "seconds": seconds,
        "rss_mb": usage.ru_maxrss / 1024,
        "exit": "killed (timeout)" if code == -signal.SIGKILL else code,
        "said": " / ".join(line.replace(str(path), "FILE") for line in said[-4:])[:300],
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--scale", type=float, default=1.0, help="Size of the huge runs (1: as in the issue)."
    )
    parser.add_argument("--only", nargs="*", help="Names of the files to try (default: all).")
    parser.add_argument(
        "--checkout", type=Path, default=BASE_DIR, help="The checkout whose manage.py ingests."
    )
    parser.add_argument(
        "--timeout", type=float, default=300, help="Seconds before a run is stopped."
    )
    args = parser.parse_args(argv)
    data_dir = sandbox.fresh_data_dir("archive-hostile-")
    try:
        env = sandbox.archive_env(data_dir)
        env["PYTHONPATH"] = str(args.checkout)
        manage = str(args.checkout / "manage.py")
        subprocess.run(
            [sandbox.PYTHON, manage, "migrate", "-v", "0"], env=env, cwd=args.checkout, check=True
        )
        builders = hostile_files(data_dir, args.scale)
        print(f"checkout {args.checkout}, scale {args.scale}\n")
        print("| file | on disk | seconds | peak RSS MB | exit | what it said |")
        print("|---|---|---|---|---|---|")
        for name, build in builders.items():
            if args.only and name not in args.only:
                continue
            path = build()
            size = path.stat().st_size
            result = ingest(manage, env, path, args.timeout)
            path.unlink()
            print(
                f"| {name} | {size / MiB:.2f} MiB | {result['seconds']:.1f} "
                f"| {result['rss_mb']:.0f} | {result['exit']} | {result['said']} |",
                flush=True,
            )
    finally:
        sandbox.remove(data_dir)


if __name__ == "__main__":
    main()
