"""Turning the raw bytes of a capture into text, or saying clearly why we cannot."""

from __future__ import annotations

import codecs
import os
import re
import stat
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import BinaryIO

import ftfy

DEFAULT_MAX_BYTES = 5_000_000

# Control characters that never occur in real text (tab, newlines, form feed are fine).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f\x80-\x9f]")
_LETTER = re.compile(r"[^\W\d_]")
_HTML_SNIFF = re.compile(rb"<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>]", re.IGNORECASE)

# Beyond this share of control characters the file is binary, whatever decoded it.
_MAX_CONTROL_RATIO = 0.01


class IngestError(ValueError):
    """A capture that cannot be loaded; str(e) is a clear human-readable reason."""


@dataclass(frozen=True)
class DecodedCapture:
    """A capture's text: `raw` exactly as decoded from the bytes received (kept, so the
    bytes can be rebuilt), and `text`, what the readers read: the same text, or the text
    repaired from mojibake (`repaired`)."""

    raw: str
    text: str
    encoding: str
    repaired: bool = False


def read_capture(data: bytes, *, max_bytes: int = DEFAULT_MAX_BYTES) -> tuple[str, str]:
    """The text to read and the encoding of a capture (see decode_capture)."""
    decoded = decode_capture(data, max_bytes=max_bytes)
    return decoded.text, decoded.encoding


def decode_capture(data: bytes, *, max_bytes: int = DEFAULT_MAX_BYTES) -> DecodedCapture:
    """Decode a capture: UTF-8 first, then Windows-1252, which is what older pages saved
    on Windows are in; text that was decoded twice on its way here (mojibake) is repaired.
    Refuses what cannot be an article, with the reason."""
    size = len(data)
    if size > max_bytes:
        raise IngestError(f"The file is {size:,} bytes, over the {max_bytes:,}-byte limit.")
    if size == 0:
        raise IngestError("The file is empty.")
    if not data.strip():
        raise IngestError("The file contains only whitespace.")
    raw, encoding = _decode(data)
    if "\x00" in raw:
        raise IngestError("The file contains NUL bytes, so it is binary, not a text capture.")
    # Repaired before the control-character test: UTF-8 read as Windows-1252 and saved
    # again turns a closing quote into "â€" and a C1 control character.
    text = repair_mojibake(raw)
    controls = len(_CONTROL.findall(text))
    if controls and controls > _MAX_CONTROL_RATIO * len(text):
        raise IngestError(
            f"The file looks binary: {controls:,} of its {len(text):,} characters are "
            "control characters."
        )
    if not _LETTER.search(text):
        raise IngestError("The file contains no letters, so there is no text to read.")
    return DecodedCapture(raw, text, encoding, repaired=text != raw)


# Only ftfy's encoding repairs: its other fixes (straight quotes, HTML entities, NFC) would
# change text that was received correctly.
_ENCODING_ONLY = ftfy.TextFixerConfig(
    unescape_html=False,
    remove_terminal_escapes=False,
    fix_latin_ligatures=False,
    fix_character_width=False,
    uncurl_quotes=False,
    fix_line_breaks=False,
    fix_surrogates=False,
    remove_control_chars=False,
    normalization=None,
    explain=False,
)


# What double decoding leaves: a C1 control character, or the first byte of a UTF-8
# sequence as Windows-1252 shows it ("Ã", "â") before a continuation byte ("©", "€").
# Only a gate, so that ftfy (which decides) runs on the few texts that may need it.
_CONTINUATION = bytes(range(0x80, 0xC0)).decode("cp1252", errors="ignore")
# One character class first, so that the search skips ahead quickly: a C1 control, or a
# lead followed by a continuation.
_MAY_BE_MOJIBAKE = re.compile(
    f"[\x80-\x9f\u00c2-\u00f4](?:(?<=[\x80-\x9f])|[{re.escape(_CONTINUATION)}])"
)


def repair_mojibake(text: str) -> str:
    """Text decoded twice (UTF-8 read as Windows-1252 or Latin-1: "â€™" for "’") put
    right, line by line; any other text comes back as it is."""
    if text.isascii() or not _MAY_BE_MOJIBAKE.search(text):
        return text
    # ftfy reads line by line too; lines the gate passes over cost it nothing here.
    return "\n".join(
        ftfy.fix_text(line, _ENCODING_ONLY) if _MAY_BE_MOJIBAKE.search(line) else line
        for line in text.split("\n")
    )


def _decode(data: bytes) -> tuple[str, str]:
    """UTF-16 only with its BOM (a NUL-laden file without one is binary); UTF-8 with or
    without BOM; otherwise Windows-1252, strictly, so unmapped bytes are refused."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            raise IngestError("The file starts like UTF-16 text but cannot be decoded.") from None
    if b"\x00" in data:
        raise IngestError("The file contains NUL bytes, so it is binary, not a text capture.")
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        raise IngestError(
            "The file is neither UTF-8 nor Windows-1252 text, so it cannot be decoded."
        ) from None


def looks_like_html(data: bytes, filename: str) -> bool:
    """HTML by extension, or by an <html>/<!doctype html> near the start of the file."""
    if filename.lower().endswith((".html", ".htm", ".xhtml")):
        return True
    return bool(_HTML_SNIFF.search(data[:2048]))


# -- Files ------------------------------------------------------------------------------

# What the ingester reads, by file name ending: single captures, and web archives of many.
CAPTURE_SUFFIXES = (".txt", ".text", ".html", ".htm")
WEB_ARCHIVE_SUFFIXES = (".warc", ".warc.gz", ".wacz")

_FILE_TYPES = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def file_kind(name: str) -> str | None:
    """ "capture" or "web archive" by the name's ending, or None for a file not read."""
    lowered = name.lower()
    if lowered.endswith(WEB_ARCHIVE_SUFFIXES):
        return "web archive"
    if lowered.endswith(CAPTURE_SUFFIXES):
        return "capture"
    return None


def unreadable_kind_reason(name: str) -> str:
    suffix = PurePath(name).suffix.lower() or "no extension"
    return f"not a capture or web archive ({suffix})"


def not_regular_reason(mode: int) -> str | None:
    """Why a file with this st_mode cannot be read as a capture, or None if it can."""
    if stat.S_ISREG(mode):
        return None
    for test, kind in _FILE_TYPES:
        if test(mode):
            return f"not a regular file: it is {kind}"
    return "not a regular file"


@dataclass(frozen=True)
class FoundFile:
    """A file to read and its origin: its path relative to the folder ingested, or its
    name when it was named on its own. `kind` is "capture" or "web archive"."""

    path: Path
    origin: str
    kind: str = "capture"


@dataclass(frozen=True)
class SkippedFile:
    path: Path
    reason: str
    named: bool  # named on the command line, so skipping it is a failure


def find_files(paths: Iterable[str | Path]) -> tuple[list[FoundFile], list[SkippedFile]]:
    """Files named directly and files found under folders, in a stable order, with the
    same checks for both; and the files skipped, each with its reason."""
    found: list[FoundFile] = []
    skipped: list[SkippedFile] = []
    for path in map(Path, paths):
        try:
            mode = path.stat().st_mode
        except OSError as error:
            skipped.append(SkippedFile(path, _os_reason(error), named=True))
            continue
        if stat.S_ISDIR(mode):
            for inner in sorted(path.rglob("*")):
                if inner.is_dir():
                    continue
                checked = _check(inner, inner.relative_to(path).as_posix(), named=False)
                (found if isinstance(checked, FoundFile) else skipped).append(checked)
        else:
            checked = _check(path, path.name, named=True)
            (found if isinstance(checked, FoundFile) else skipped).append(checked)
    return found, skipped


def _check(path: Path, origin: str, *, named: bool) -> FoundFile | SkippedFile:
    if not named and any(part.startswith(".") for part in PurePath(origin).parts):
        return SkippedFile(path, "hidden file", named)
    kind = file_kind(path.name)
    if kind is None:
        return SkippedFile(path, unreadable_kind_reason(path.name), named)
    try:
        reason = not_regular_reason(path.stat().st_mode)
    except OSError as error:
        reason = _os_reason(error)
    if reason:
        return SkippedFile(path, reason, named)
    return FoundFile(path, origin, kind)


def _os_reason(error: OSError) -> str:
    if isinstance(error, FileNotFoundError):
        return "no such file"
    if isinstance(error, PermissionError):
        return "permission denied"
    return error.strerror or str(error)


def open_regular(path: Path) -> BinaryIO:
    """A regular file opened for reading; anything else is refused with the reason. Opened
    without blocking, so a FIFO is refused rather than waited on."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError as error:
        raise IngestError(_os_reason(error)) from None
    handle = os.fdopen(fd, "rb")
    reason = not_regular_reason(os.fstat(fd).st_mode)
    if reason:
        handle.close()
        raise IngestError(reason)
    return handle


def read_bounded(path: Path, max_bytes: int) -> bytes:
    """The bytes of a regular file, never more than `max_bytes` whatever the file claims:
    a device or a file that grows is stopped at the limit."""
    with open_regular(path) as handle:
        size = os.fstat(handle.fileno()).st_size
        if size > max_bytes:
            raise IngestError(f"file is {size:,} bytes, over the {max_bytes:,}-byte limit")
        data = handle.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise IngestError(f"file holds more than the {max_bytes:,}-byte limit")
    return data
