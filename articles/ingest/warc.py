"""Reading web archives (WARC files and WACZ packages) as a stream of records, and the
provenance a record gives a capture: its URL, its moment and the source its host names.

Pure Python, no Django: a stream in, records out. warcio reads the records one at a time,
so a crawl of any size is never held in memory.
"""

from __future__ import annotations

import hashlib
import json
import re
import zipfile
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from html.parser import HTMLParser
from typing import BinaryIO
from urllib.parse import urljoin, urlsplit, urlunsplit

from warcio.archiveiterator import ArchiveIterator
from warcio.bufferedreaders import DecompressingBufferedReader
from warcio.utils import BUFF_SIZE

from articles.ingest.read import IngestError
from articles.ingest.signatures import REVIEW_REASONS
from articles.ingest.text import FieldEvidence, ParsedArticle, lookup_host

# Outlets whose own site is the source of what it carries (an aggregator's is not).
PUBLISHER_KINDS = frozenset({"agency", "broadcaster", "newspaper", "blog"})
HTML_TYPES = ("text/html", "application/xhtml+xml")
# Record kinds that hold a page: a crawler's response, or a resource a browser saved.
PAGE_RECORDS = ("response", "resource")

# What one web archive may make the ingester read, whatever the file says. warcio reads a
# header line to its end and decompresses without limit, so a small file could hold a
# gigabyte-long line or expand a thousandfold.
MAX_HEADER_LINE = 64 * 1024  # bytes in one line of a record's WARC or HTTP headers
MAX_HEADER_BYTES = 256 * 1024  # a record's header lines, with the blank lines before it
MAX_MANIFEST_BYTES = 1024 * 1024  # a WACZ's datapackage.json
# Bytes decompressed from a web archive per byte it takes on disk, above one fixed
# allowance per file: gzipped HTML expands ten times or less, a bomb a thousand.
MAX_EXPANSION = 100
EXPANSION_ALLOWANCE = 16 * 1024 * 1024


class ArchiveLimitError(Exception):
    """A web archive asks for more reading than a limit allows; str(e) says which."""


@dataclass
class Decompressed:
    """The bytes decompressed so far from one web archive (all the WARCs of a WACZ
    together), and the most it may give: MAX_EXPANSION times its size on disk, plus
    EXPANSION_ALLOWANCE once for the whole file."""

    size_on_disk: int
    used: int = 0

    @property
    def limit(self) -> int:
        return MAX_EXPANSION * self.size_on_disk + EXPANSION_ALLOWANCE

    def add(self, count: int) -> None:
        self.used += count
        if self.used > self.limit:
            raise ArchiveLimitError(
                f"it expands to more than {self.limit:,} bytes, the most a web archive of "
                f"its size is read to ({MAX_EXPANSION} times its size, plus "
                f"{EXPANSION_ALLOWANCE // (1 << 20)} MiB)"
            )


@dataclass(frozen=True)
class WebRecord:
    """A record that holds an article page (`payload`), a revisit to resolve, or one that
    is counted and skipped (`skipped` says why)."""

    kind: str  # the WARC-Type: response, resource, revisit, request, warcinfo, metadata...
    url: str = ""
    captured_at: datetime | None = None
    offset: int = 0
    payload: bytes | None = None
    digest: str = ""  # WARC-Payload-Digest
    charset: str = ""  # as the HTTP Content-Type declares it
    skipped: str = ""
    refers_to_url: str = ""
    refers_to_date: datetime | None = None


@dataclass
class WebArchiveReading:
    """What reading one WARC (or a WACZ's WARCs) found: records of each kind, records
    skipped by reason, and where reading stopped if the file is damaged."""

    kinds: Counter = field(default_factory=Counter)
    skipped: Counter = field(default_factory=Counter)
    oversize: list[str] = field(default_factory=list)  # URLs of records over the limit
    stopped: str = ""

    def summary(self) -> str:
        read = ", ".join(f"{n} {kind}" for kind, n in sorted(self.kinds.items()))
        text = f"{sum(self.kinds.values())} records ({read or 'none'})"
        if self.skipped:
            text += "; skipped: " + ", ".join(
                counted(n, why) for why, n in sorted(self.skipped.items())
            )
        return text + (f"; {self.stopped}" if self.stopped else "")


# Reasons for skipping that name what was skipped ("request record"), and so take a plural.
COUNTABLE_ENDINGS = ("record", "response", "redirect")


def counted(n: int, why: str) -> str:
    """ "5 request records", "1 redirect", "2 records not HTML (...)": a count read aloud."""
    if why.endswith(COUNTABLE_ENDINGS):
        return f"{n} {why}{'s' if n != 1 else ''}"
    return f"{n} record{'s' if n != 1 else ''} {why}"


def read_warc(
    stream: BinaryIO, reading: WebArchiveReading, *, max_bytes: int, decompressed: Decompressed
) -> Iterator[WebRecord]:
    """The records of a WARC stream (gzipped or not) in order, its bytes counted in
    `decompressed`. Every complete record is yielded; at damage, truncation or a limit
    reading stops, and `reading.stopped` says where."""
    records = _BoundedArchiveIterator(stream, decompressed)
    offset = 0
    try:
        for record in records:
            kind = record.rec_type or "unknown"
            reading.kinds[kind] += 1
            found = replace(_read_record(record, kind, max_bytes=max_bytes), offset=offset)
            if getattr(record.raw_stream, "limit", 0) > 0:  # fewer bytes than it declared
                reading.kinds[kind] -= 1
                reading.kinds += Counter()  # drops a kind left at none
                reading.stopped = f"stopped at byte {offset:,}: the file ends inside a record"
                return
            records.reader.next_record()
            try:
                records.read_to_end()  # the blank lines between it and the next record
            except ArchiveLimitError as error:  # the record itself is whole
                yield _counted(found, reading)
                reading.stopped = f"stopped after the record at byte {offset:,}: {error}"
                return
            yield _counted(found, reading)
            offset = records.offset
    except Exception as error:  # warcio raises several kinds on damage; all stop here
        reading.stopped = f"stopped at byte {records.offset:,}: {_reason(error)}"


def _counted(found: WebRecord, reading: WebArchiveReading) -> WebRecord:
    if found.skipped:
        reading.skipped[found.skipped.split(":")[0]] += 1
        if found.skipped.startswith("over the size limit"):
            reading.oversize.append(found.url)
    return found


class _BoundedReader(DecompressingBufferedReader):
    """warcio's reader with the limits it lacks: a line longer than MAX_HEADER_LINE, more
    than MAX_HEADER_BYTES of lines between one record's content and the next's, or more
    than its archive may give decompressed raise ArchiveLimitError."""

    def __init__(self, stream, decompressed: Decompressed) -> None:
        super().__init__(stream, block_size=BUFF_SIZE)
        self.decompressed = decompressed
        self.lines_in_a_row = 0

    def next_record(self) -> None:
        """Count lines from here: the end of one record's content."""
        self.lines_in_a_row = 0

    def read(self, length=None):
        self.lines_in_a_row = 0  # content, not headers
        return super().read(length)

    def readline(self, length=None):
        # warcio's own readline reads to the end of the line however long it is.
        limit = MAX_HEADER_LINE + 1 if length is None else min(length, MAX_HEADER_LINE + 1)
        pieces, got = [], 0
        while got < limit:
            self._fillbuff()
            if self.empty():
                break
            piece = self.buff.readline(limit - got)
            pieces.append(piece)
            got += len(piece)
            if piece.endswith(b"\n"):
                break
        line = b"".join(pieces)
        if len(line) > MAX_HEADER_LINE and not line.endswith(b"\n"):
            raise ArchiveLimitError(f"a header line is longer than {MAX_HEADER_LINE:,} bytes")
        self.lines_in_a_row += len(line)
        if self.lines_in_a_row > MAX_HEADER_BYTES:
            raise ArchiveLimitError(
                f"a record's headers (with the blank lines before them) are longer than "
                f"{MAX_HEADER_BYTES:,} bytes"
            )
        return line

    def _process_read(self, data):
        before = self.num_read
        super()._process_read(data)
        self.decompressed.add(self.num_read - before)


class _BoundedArchiveIterator(ArchiveIterator):
    """warcio's ArchiveIterator reading through a _BoundedReader."""

    def __init__(self, stream: BinaryIO, decompressed: Decompressed) -> None:
        super().__init__(stream, ensure_http_headers=False)
        # Replaced before the first record is read (iteration has not started).
        self.reader = _BoundedReader(self.fh, decompressed)


def _reason(error: Exception) -> str:
    if isinstance(error, ArchiveLimitError):
        return str(error)
    text = " ".join(str(error).split())[:160]
    return f"the file is damaged ({type(error).__name__}{': ' + text if text else ''})"


def _read_record(record, kind: str, *, max_bytes: int) -> WebRecord:
    headers = record.rec_headers
    url = headers.get_header("WARC-Target-URI") or ""
    found = WebRecord(
        kind,
        url=url,
        captured_at=parse_warc_date(headers.get_header("WARC-Date")),
        digest=headers.get_header("WARC-Payload-Digest") or "",
    )
    if kind == "revisit":
        _drain(record)
        return replace(
            found,
            refers_to_url=headers.get_header("WARC-Refers-To-Target-URI") or url,
            refers_to_date=parse_warc_date(headers.get_header("WARC-Refers-To-Date")),
        )
    if kind not in PAGE_RECORDS:
        _drain(record)
        return replace(found, skipped=f"{kind} record")
    why = _not_a_page(record, kind)
    if why:
        _drain(record)
        return replace(found, skipped=why)
    content_type = (
        record.http_headers.get_header("Content-Type") if record.http_headers is not None else ""
    )
    found = replace(found, charset=_charset_of(content_type or ""))
    data = record.content_stream().read(max_bytes + 1)
    if len(data) > max_bytes:
        _drain(record)
        return replace(found, skipped=f"over the size limit: {url}")
    _drain(record)
    return replace(found, payload=data)


def _drain(record) -> None:
    """Read what is left of a record, so that a record cut short can be told apart."""
    while record.raw_stream.read(65536):
        pass


def _not_a_page(record, kind: str) -> str:
    """Why a response or resource is not an HTML page to read, or ""."""
    if kind == "response" and record.http_headers is not None:
        status = record.http_headers.get_statuscode() or ""
        if status.startswith("3"):
            return "redirect"
        if not status.startswith("2"):
            return "error response"
        content_type = record.http_headers.get_header("Content-Type") or ""
    else:
        content_type = record.rec_headers.get_header("Content-Type") or ""
    if content_type.split(";")[0].strip().lower() not in HTML_TYPES:
        return "not HTML (an asset or other file)"
    return ""


_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)""", re.IGNORECASE)


def _charset_of(content_type: str) -> str:
    for parameter in content_type.split(";")[1:]:
        name, _, value = parameter.partition("=")
        if name.strip().lower() == "charset":
            return value.strip().strip("\"'").lower()
    return ""


def page_charset(declared: str, html: bytes) -> str:
    """The character set a page says it is in: the HTTP header's, else its <meta>."""
    if declared:
        return declared
    found = _CHARSET.search(html[:4096])
    return found.group(1).decode("ascii", "replace").lower() if found else ""


def parse_warc_date(value: str | None) -> datetime | None:
    """A WARC-Date (ISO 8601 in UTC, to the second or finer) as an aware datetime."""
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


# -- WACZ packages ----------------------------------------------------------------------


def wacz_warcs(package: zipfile.ZipFile, decompressed: Decompressed) -> list[str]:
    """The WARC files of a WACZ package, once the package is checked: a datapackage.json
    listing its files, each present with the SHA-256 it declares, none expanding more than
    a web archive may. Raises IngestError."""
    manifest = _manifest(package)
    resources = manifest.get("resources") if isinstance(manifest, dict) else None
    if not isinstance(resources, list) or not resources:
        raise IngestError("not a valid WACZ: datapackage.json lists no resources")
    names = set(package.namelist())
    for resource in resources:
        path = resource.get("path") if isinstance(resource, dict) else None
        if not isinstance(path, str) or path not in names:
            raise IngestError(f"not a valid WACZ: it lacks a file its package lists ({path})")
        declared = str(resource.get("hash", ""))
        if declared.startswith("sha256:") and _sha256_of(package, path) != declared[7:]:
            raise IngestError(f"not a valid WACZ: {path} does not match its SHA-256")
    _check_expansion(package, {r["path"] for r in resources}, decompressed)
    warcs = sorted(
        r["path"]
        for r in resources
        if r["path"].startswith("archive/") and r["path"].endswith((".warc", ".warc.gz"))
    )
    if not warcs:
        raise IngestError("not a valid WACZ: its package lists no WARC files under archive/")
    return warcs


def _manifest(package: zipfile.ZipFile) -> object:
    """The parsed datapackage.json, read to at most MAX_MANIFEST_BYTES whatever its ZIP
    entry says of its size."""
    try:
        info = package.getinfo("datapackage.json")
    except KeyError:
        raise IngestError("not a valid WACZ: it has no datapackage.json") from None
    too_big = IngestError(
        f"not a valid WACZ: datapackage.json is over the {MAX_MANIFEST_BYTES:,}-byte limit"
    )
    if info.file_size > MAX_MANIFEST_BYTES:
        raise too_big
    with package.open(info) as member:
        data = member.read(MAX_MANIFEST_BYTES + 1)
    if len(data) > MAX_MANIFEST_BYTES:
        raise too_big
    try:
        return json.loads(data)
    except (ValueError, UnicodeDecodeError):
        raise IngestError("not a valid WACZ: datapackage.json is not JSON") from None
    except RecursionError:
        raise IngestError("not a valid WACZ: datapackage.json is nested too deeply") from None


def _check_expansion(package: zipfile.ZipFile, paths: set[str], decompressed: Decompressed):
    """Files that would decompress to more than the package may give are refused before
    they are read (zipfile reads no more of a file than the size its entry states)."""
    expanded = sum(package.getinfo(path).file_size for path in paths)
    if expanded > decompressed.limit:
        raise IngestError(
            f"not a valid WACZ: its files expand to {expanded:,} bytes, over the "
            f"{decompressed.limit:,}-byte limit for a package of "
            f"{decompressed.size_on_disk:,} bytes"
        )


def _sha256_of(package: zipfile.ZipFile, name: str) -> str:
    digest = hashlib.sha256()
    with package.open(name) as member:
        while chunk := member.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


# -- Provenance -------------------------------------------------------------------------


def normal_url(url: str) -> str:
    """A URL as one story's key: scheme and host in lower case, no default port, no
    fragment. Paths and queries are kept as they are (they can name different pages)."""
    try:
        parts = urlsplit(url.strip())
        host = (parts.hostname or "").lower()
        port = parts.port
    except ValueError:
        return url.strip()
    if port and (parts.scheme, port) not in (("http", 80), ("https", 443)):
        host = f"{host}:{port}"
    return urlunsplit((parts.scheme.lower(), host, parts.path or "/", parts.query, ""))


class _CanonicalFinder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.href = ""

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        rel = (values.get("rel") or "").lower().split()
        if tag == "link" and "canonical" in rel and values.get("href") and not self.href:
            self.href = values["href"]


_HEAD_END = re.compile(rb"</head\s*>|<body[\s>]", re.IGNORECASE)


def canonical_url(html: bytes, base: str) -> str:
    """The page's <link rel="canonical"> as an absolute, normal URL, or ""."""
    end = _HEAD_END.search(html)
    head = html[: end.start() if end else 65536].decode("utf-8", "replace")
    finder = _CanonicalFinder()
    finder.feed(head)
    if not finder.href:
        return ""
    absolute = urljoin(base, finder.href)
    return normal_url(absolute) if absolute.startswith(("http://", "https://")) else ""


def with_host_source(parsed: ParsedArticle, url: str) -> ParsedArticle:
    """A parsed page with what its URL's host says of its source, ahead of any guess from
    the text: the site it was captured from, and the credited source when the site is an
    outlet's own (an aggregator's host leaves the credit the text gives)."""
    profile = lookup_host(urlsplit(url).hostname or "")
    if profile is None:
        return parsed
    source = profile.name if profile.kind in PUBLISHER_KINDS else parsed.source
    # The host settles the source when it names it; otherwise the text's guess stands.
    settled = ("source_unknown", "source_uncertain") if source == profile.name else ()
    reasons = tuple(r for r in parsed.review_reasons if r not in settled)
    evidence = tuple(e for e in parsed.evidence if e.field != "source")
    if source == profile.name:
        evidence += (FieldEvidence("source", "host name of the capture's URL", 1.0),)
    else:
        evidence += tuple(e for e in parsed.evidence if e.field == "source")
    return replace(
        parsed,
        source=source,
        captured_from=profile.name,
        captured_from_kind=profile.kind,
        review_reasons=tuple(r for r in REVIEW_REASONS if r in reasons),
        evidence=evidence,
    )
