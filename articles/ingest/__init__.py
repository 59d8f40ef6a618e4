"""Reading captures (saved text or HTML pages) into clean, reviewable articles.

Pure functions, no Django: bytes and a file name in, a ParsedArticle out. Only
pipeline.py, which runs an ingest and has articles.store write the rows, uses the database.
"""

from __future__ import annotations

from dataclasses import replace

from articles.ingest.article import Block, FieldEvidence, ParsedArticle, collect_reasons
from articles.ingest.read import (
    DEFAULT_MAX_BYTES,
    DecodedCapture,
    IngestError,
    decode_capture,
    looks_like_html,
    read_capture,
)
from articles.ingest.signatures import REVIEW_REASONS
from articles.ingest.text import parse_text

__all__ = [
    "REVIEW_REASONS",
    "Block",
    "FieldEvidence",
    "IngestError",
    "DecodedCapture",
    "ParsedArticle",
    "decode_capture",
    "parse_capture",
    "parse_decoded",
    "read_capture",
]

# How far a repaired text is trusted: ftfy's repairs are reliable, but staff should see it.
REPAIRED_CONFIDENCE = 0.7


def parse_capture(
    data: bytes, filename: str, *, max_bytes: int = DEFAULT_MAX_BYTES
) -> ParsedArticle:
    """Bytes and file name in, ParsedArticle out: HTML by extension (.html/.htm) or by an
    <html> near the start, plain text otherwise. Raises IngestError with a clear reason."""
    return parse_decoded(decode_capture(data, max_bytes=max_bytes), data, filename)


def parse_decoded(decoded: DecodedCapture, data: bytes, filename: str) -> ParsedArticle:
    """parse_capture for a capture already decoded; a text repaired from mojibake says so
    in its evidence and is flagged for review. A page read in the character set it
    declares is read as surely as UTF-8: its encoding is no fallback to flag."""
    guessed = "utf-8" if decoded.declared else decoded.encoding
    if looks_like_html(data, filename):
        # Imported here so text-only callers never pay for loading trafilatura.
        from articles.ingest.html import parse_html

        parsed = parse_html(decoded.text, guessed)
    else:
        parsed = parse_text(decoded.text, guessed)
    if decoded.declared:
        parsed = replace(parsed, encoding=decoded.encoding)
    if not decoded.repaired:
        return parsed
    return replace(
        parsed,
        evidence=(
            *parsed.evidence,
            FieldEvidence("body", "text repaired from mojibake", REPAIRED_CONFIDENCE),
        ),
        review_reasons=collect_reasons(parsed.review_reasons, ("text_repaired",)),
    )
