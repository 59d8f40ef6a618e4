"""Turning the raw bytes of a capture into text, or saying clearly why we cannot."""

from __future__ import annotations

import codecs
import re

DEFAULT_MAX_BYTES = 5_000_000

# Control characters that never occur in real text (tab, newlines, form feed are fine).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f\x80-\x9f]")
_LETTER = re.compile(r"[^\W\d_]")
_HTML_SNIFF = re.compile(rb"<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>]", re.IGNORECASE)

# Beyond this share of control characters the file is binary, whatever decoded it.
_MAX_CONTROL_RATIO = 0.01


class IngestError(ValueError):
    """A capture that cannot be loaded; str(e) is a clear human-readable reason."""


def read_capture(data: bytes, *, max_bytes: int = DEFAULT_MAX_BYTES) -> tuple[str, str]:
    """Decode a capture to (text, encoding): UTF-8 first, then Windows-1252, which is what
    older pages saved on Windows are in. Refuses what cannot be an article."""
    size = len(data)
    if size > max_bytes:
        raise IngestError(f"The file is {size:,} bytes, over the {max_bytes:,}-byte limit.")
    if size == 0:
        raise IngestError("The file is empty.")
    if not data.strip():
        raise IngestError("The file contains only whitespace.")
    text, encoding = _decode(data)
    if "\x00" in text:
        raise IngestError("The file contains NUL bytes, so it is binary, not a text capture.")
    controls = len(_CONTROL.findall(text))
    if controls and controls > _MAX_CONTROL_RATIO * len(text):
        raise IngestError(
            f"The file looks binary: {controls:,} of its {len(text):,} characters are "
            "control characters."
        )
    if not _LETTER.search(text):
        raise IngestError("The file contains no letters, so there is no text to read.")
    return text, encoding


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
