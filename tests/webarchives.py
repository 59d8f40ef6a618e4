"""Building WARC files and WACZ packages for tests, with warcio as a crawler would."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

PARAGRAPHS = (
    "Talks in Moscow between Russian and American officials on plans for a missile "
    "defence shield in Europe have ended without agreement.",
    "The US wants to place ten interceptor missiles in Poland and a radar station in the "
    "Czech Republic, which it says would guard against attacks from Iran.",
    "Russia's foreign minister Sergei Lavrov said the two sides had narrowed their "
    "differences but that Moscow remained opposed to the plan.",
)


def article_page(
    headline: str, *, paragraphs=PARAGRAPHS, canonical: str = "", published: str = ""
) -> bytes:
    """An article page as a news site serves it."""
    head = f"<title>{headline}</title>"
    if canonical:
        head += f'<link rel="canonical" href="{canonical}">'
    if published:
        head += f'<meta property="article:published_time" content="{published}">'
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f"<!doctype html><html><head>{head}</head><body><nav>Home News Sport</nav>"
        f"<article><h1>{headline}</h1>{body}</article></body></html>"
    ).encode()


class WarcBuilder:
    """Records written in order into one WARC (gzipped per record unless told not)."""

    def __init__(self, *, gzip: bool = True) -> None:
        self.buffer = io.BytesIO()
        self.writer = WARCWriter(self.buffer, gzip=gzip)

    def response(
        self,
        url: str,
        payload: bytes,
        *,
        date: str = "2008-03-05T12:00:00Z",
        status: str = "200 OK",
        content_type: str = "text/html; charset=utf-8",
        extra: list[tuple[str, str]] = (),
    ) -> WarcBuilder:
        headers = StatusAndHeaders(
            status, [("Content-Type", content_type), *extra], protocol="HTTP/1.1"
        )
        self._write(url, "response", payload, date, http_headers=headers)
        return self

    def resource(self, url: str, payload: bytes, *, date: str = "2008-03-05T12:00:00Z"):
        self._write(url, "resource", payload, date, warc_content_type="text/html")
        return self

    def request(self, url: str, *, date: str = "2008-03-05T12:00:00Z") -> WarcBuilder:
        headers = StatusAndHeaders(
            f"GET {url} HTTP/1.1", [("Host", "example")], is_http_request=True
        )
        self._write(url, "request", b"", date, http_headers=headers)
        return self

    def warcinfo(self) -> WarcBuilder:
        record = self.writer.create_warcinfo_record("crawl.warc.gz", {"software": "tests"})
        self.writer.write_record(record)
        return self

    def metadata(self, url: str) -> WarcBuilder:
        self._write(
            url,
            "metadata",
            b"outlink: x",
            "2008-03-05T12:00:01Z",
            warc_content_type="application/warc-fields",
        )
        return self

    def revisit(self, url: str, payload: bytes, *, date: str, refers_to_date: str) -> WarcBuilder:
        """A revisit of `url`: the same payload as the response captured at refers_to_date."""
        headers = StatusAndHeaders(
            "200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1"
        )
        record = self.writer.create_revisit_record(
            url,
            digest=payload_digest(payload),
            refers_to_uri=url,
            refers_to_date=refers_to_date,
            http_headers=headers,
        )
        record.rec_headers.replace_header("WARC-Date", date)
        self.writer.write_record(record)
        return self

    def _write(self, url, kind, payload, date, *, http_headers=None, warc_content_type=None):
        record = self.writer.create_warc_record(
            url,
            kind,
            payload=io.BytesIO(payload),
            http_headers=http_headers,
            warc_content_type=warc_content_type,
            warc_headers_dict={"WARC-Date": date},
        )
        self.writer.write_record(record)

    def bytes(self) -> bytes:
        return self.buffer.getvalue()

    def save(self, path: Path) -> Path:
        path.write_bytes(self.bytes())
        return path


def payload_digest(payload: bytes) -> str:
    import base64

    return "sha1:" + base64.b32encode(hashlib.sha1(payload).digest()).decode()


def wacz(path: Path, warcs: dict[str, bytes], *, tamper: bool = False, manifest=True) -> Path:
    """A WACZ package holding `warcs` under archive/, with a datapackage.json that lists
    each file and its SHA-256 (`tamper` changes a WARC after it was listed)."""
    resources = [
        {
            "name": name,
            "path": f"archive/{name}",
            "hash": "sha256:" + hashlib.sha256(data).hexdigest(),
            "bytes": len(data),
        }
        for name, data in warcs.items()
    ]
    with zipfile.ZipFile(path, "w") as package:
        for name, data in warcs.items():
            package.writestr(f"archive/{name}", data + (b"x" if tamper else b""))
        package.writestr("pages/pages.jsonl", '{"format": "json-pages-1.0"}\n')
        if manifest:
            package.writestr(
                "datapackage.json",
                json.dumps(
                    {"profile": "data-package", "wacz_version": "1.1.1", "resources": resources}
                ),
            )
    return path
