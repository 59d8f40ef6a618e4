"""Turning the raw bytes of a capture into text, or saying clearly why we cannot."""

from __future__ import annotations

import codecs
import errno
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
# The bytes other than those control characters (all of which are Latin-1), so that they
# are counted in the Latin-1 part of a text by bytes.translate, much quicker than a search.
_NOT_CONTROL = bytes(code for code in range(256) if not _CONTROL.match(chr(code)))
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
    declared: bool = False  # read in the character set the page declares, not a guess


def read_capture(data: bytes, *, max_bytes: int = DEFAULT_MAX_BYTES) -> tuple[str, str]:
    """The text to read and the encoding of a capture (see decode_capture)."""
    decoded = decode_capture(data, max_bytes=max_bytes)
    return decoded.text, decoded.encoding


def decode_capture(
    data: bytes, *, max_bytes: int = DEFAULT_MAX_BYTES, charset: str = ""
) -> DecodedCapture:
    """Decode a capture, once: in the `charset` a web server or the page declared when it
    is a web text encoding the bytes are really in, else UTF-8 first, then Windows-1252,
    which is what older pages saved on Windows are in; text that was decoded twice on its
    way here (mojibake) is repaired. Refuses what cannot be an article, with the reason.
    The size limit is on the bytes as read."""
    size = len(data)
    if size > max_bytes:
        raise IngestError(f"The file is {size:,} bytes, over the {max_bytes:,}-byte limit.")
    if size == 0:
        raise IngestError("The file is empty.")
    declared = _decode_declared(data, charset) if charset else None
    if not (declared[0].strip(_ASCII_SPACE) if declared else data.strip()):
        raise IngestError("The file contains only whitespace.")
    raw, encoding = declared or _decode(data)
    if "\x00" in raw:
        raise IngestError("The file contains NUL bytes, so it is binary, not a text capture.")
    # Repaired before the control-character test: UTF-8 read as Windows-1252 and saved
    # again turns a closing quote into "â€" and a C1 control character.
    text = repair_mojibake(raw)
    controls = len(latin_part(text).translate(None, _NOT_CONTROL))
    if controls and controls > _MAX_CONTROL_RATIO * len(text):
        raise IngestError(
            f"The file looks binary: {controls:,} of its {len(text):,} characters are "
            "control characters."
        )
    if not _LETTER.search(text):
        raise IngestError("The file contains no letters, so there is no text to read.")
    return DecodedCapture(raw, text, encoding, repaired=text != raw, declared=declared is not None)


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


def latin_part(text: str) -> bytes:
    """The text's characters that Latin-1 has, as its bytes (the others left out)."""
    return text.encode("latin-1", "ignore")


def repair_mojibake(text: str) -> str:
    """Text decoded twice (UTF-8 read as Windows-1252 or Latin-1: "â€™" for "’") put
    right, line by line; any other text comes back as it is."""
    if text.isascii() or latin_part(text).isascii():
        return text  # mojibake is made of Latin-1 letters and C1 controls
    if not _MAY_BE_MOJIBAKE.search(text):
        return text
    # ftfy reads line by line too; lines the gate passes over cost it nothing here.
    return "\n".join(
        ftfy.fix_text(line, _ENCODING_ONLY) if _MAY_BE_MOJIBAKE.search(line) else line
        for line in text.split("\n")
    )


# What bytes.strip() takes for whitespace, so a declared page is judged blank as any other.
_ASCII_SPACE = " \t\n\r\x0b\x0c"


def _decode_declared(data: bytes, charset: str) -> tuple[str, str] | None:
    """The bytes in a declared character set other than UTF-8 (windows-1251 on Russian
    sites), with the codec's name; None when the declaration is unknown, no web text
    encoding, UTF-8 (sniffed as files are, BOM and all), or wrong for these bytes."""
    name = web_codec(charset)
    if name is None or name == "utf-8":
        return None
    try:
        text = data.decode(name)
    except UnicodeError:
        return None
    return text.removeprefix("\ufeff"), name


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


# The character sets web pages may declare, as browsers read them (the WHATWG Encoding
# Standard's, by Python codec name). Python also has codecs that are no text encoding of
# a page (idna, punycode, unicode_escape, rot13, base64, zlib...): a page declaring one
# is read as an undeclared page is.
_WEB_CHARSETS = [
    "utf-8",
    "utf-16-le",
    "utf-16-be",
    "utf-16",
    "cp866",
    "iso8859-2",
    "iso8859-3",
    "iso8859-4",
    "iso8859-5",
    "iso8859-6",
    "iso8859-7",
    "iso8859-8",
    "iso8859-10",
    "iso8859-13",
    "iso8859-14",
    "iso8859-15",
    "iso8859-16",
    "koi8-r",
    "koi8-u",
    "mac-roman",
    "mac-cyrillic",
    "cp874",
    "cp1250",
    "cp1251",
    "cp1252",
    "cp1253",
    "cp1254",
    "cp1255",
    "cp1256",
    "cp1257",
    "cp1258",
    "gbk",
    "gb18030",
    "big5",
    "euc-jp",
    "iso2022-jp",
    "shift-jis",
    "euc-kr",
]
WEB_CODECS = frozenset(codecs.lookup(name).name for name in _WEB_CHARSETS)
# Pages labelled Latin-1 or ASCII are Windows-1252, whose curly quotes and dashes they
# very often hold (browsers read them so too).
_WEB_ALIASES = {"iso8859-1": "cp1252", "ascii": "cp1252"}


def web_codec(label: str) -> str | None:
    """The Python codec for a character set a page declares, or None if it is unknown or
    not a text encoding a web page can be in."""
    try:
        name = codecs.lookup(label.strip()).name
    except (LookupError, ValueError):
        return None
    name = _WEB_ALIASES.get(name, name)
    return name if name in WEB_CODECS else None


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
    # The folder it was found in: opening it checks that it is still really inside.
    root: Path | None = None


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
            # A folder named on the command line may itself be a link; nothing inside is
            # followed (rglob does not descend into linked folders, _check refuses links).
            for inner in sorted(path.rglob("*")):
                if inner.is_dir() and not inner.is_symlink():
                    continue
                origin = inner.relative_to(path).as_posix()
                checked = _check(inner, origin, named=False, root=path)
                (found if isinstance(checked, FoundFile) else skipped).append(checked)
        else:
            checked = _check(path, path.name, named=True)
            (found if isinstance(checked, FoundFile) else skipped).append(checked)
    return found, skipped


SYMLINK_REASON = "a symbolic link: links are not followed (name the file it points to)"


def _check(
    path: Path, origin: str, *, named: bool, root: Path | None = None
) -> FoundFile | SkippedFile:
    if not named and any(part.startswith(".") for part in PurePath(origin).parts):
        return SkippedFile(path, "hidden file", named)
    try:
        mode = path.lstat().st_mode
    except OSError as error:
        return SkippedFile(path, _os_reason(error), named)
    # Before the name is looked at: a link is refused whatever it is called.
    if stat.S_ISLNK(mode):
        return SkippedFile(path, SYMLINK_REASON, named)
    kind = file_kind(path.name)
    if kind is None:
        return SkippedFile(path, unreadable_kind_reason(path.name), named)
    reason = not_regular_reason(mode)
    if reason:
        return SkippedFile(path, reason, named)
    return FoundFile(path, origin, kind, root)


def _os_reason(error: OSError) -> str:
    if isinstance(error, FileNotFoundError):
        return "no such file"
    if isinstance(error, PermissionError):
        return "permission denied"
    return error.strerror or str(error)


def open_regular(path: Path, *, within: Path | None = None) -> BinaryIO:
    """A regular file opened for reading; anything else is refused with the reason. Opened
    without blocking, so a FIFO is refused rather than waited on, and without following a
    link, so a file swapped for a link after the scan is refused too. With `within`, the
    file opened must really be inside that folder (no linked folder on the way)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOFOLLOW)
    except OSError as error:
        if error.errno == errno.ELOOP:
            raise IngestError(SYMLINK_REASON) from None
        raise IngestError(_os_reason(error)) from None
    handle = os.fdopen(fd, "rb")
    reason = not_regular_reason(os.fstat(fd).st_mode)
    if not reason and within is not None and not _opened_inside(fd, path, within):
        reason = "outside the folder being ingested (reached through a symbolic link)"
    if reason:
        handle.close()
        raise IngestError(reason)
    return handle


def _opened_inside(fd: int, path: Path, folder: Path) -> bool:
    """Whether the file open as `fd` lies inside `folder`, by the path the kernel opened."""
    try:
        opened = os.readlink(f"/proc/self/fd/{fd}")
    except OSError:  # no /proc: the path as resolved now
        opened = os.path.realpath(path)
    return Path(opened).is_relative_to(os.path.realpath(folder))


def read_bounded(path: Path, max_bytes: int, *, within: Path | None = None) -> bytes:
    """The bytes of a regular file, never more than `max_bytes` whatever the file claims:
    a device or a file that grows is stopped at the limit."""
    with open_regular(path, within=within) as handle:
        size = os.fstat(handle.fileno()).st_size
        if size > max_bytes:
            raise IngestError(f"file is {size:,} bytes, over the {max_bytes:,}-byte limit")
        data = handle.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise IngestError(f"file holds more than the {max_bytes:,}-byte limit")
    return data
