"""Reading captures (saved text or HTML pages) into clean, reviewable articles.

Pure functions, no Django: bytes and a file name in, a ParsedArticle out.
"""

from __future__ import annotations

from articles.ingest.article import Block, FieldEvidence, ParsedArticle
from articles.ingest.read import DEFAULT_MAX_BYTES, IngestError, looks_like_html, read_capture
from articles.ingest.signatures import REVIEW_REASONS
from articles.ingest.text import parse_text

__all__ = [
    "REVIEW_REASONS",
    "Block",
    "FieldEvidence",
    "IngestError",
    "ParsedArticle",
    "parse_capture",
    "read_capture",
]


def parse_capture(
    data: bytes, filename: str, *, max_bytes: int = DEFAULT_MAX_BYTES
) -> ParsedArticle:
    """Bytes and file name in, ParsedArticle out: HTML by extension (.html/.htm) or by an
    <html> near the start, plain text otherwise. Raises IngestError with a clear reason."""
    text, encoding = read_capture(data, max_bytes=max_bytes)
    if looks_like_html(data, filename):
        # Imported here so text-only callers never pay for loading trafilatura.
        from articles.ingest.html import parse_html

        return parse_html(text, encoding)
    return parse_text(text, encoding)
