"""The one place the archive turns outside text into HTML.

Every use of bleach lives here, behind a policy the tests pin down, so the library can be
swapped without touching the rest of the code.
"""

from collections.abc import Iterable
from html import escape

import bleach

ALLOWED_TAGS = frozenset({"p", "h2", "h3", "blockquote", "ul", "ol", "li", "em", "strong", "a"})
ALLOWED_ATTRIBUTES = {"a": ["href", "title"]}
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})

# Block kinds from the parser and the element each becomes.
BLOCK_TAGS = {"p": "p", "h": "h2", "q": "blockquote"}


def sanitize_html(html: str) -> str:
    """Keep only the allow-listed tags; scripts, styles and event handlers are dropped."""
    return bleach.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        protocols=ALLOWED_PROTOCOLS,
        strip=True,
        strip_comments=True,
    )


def render_blocks(blocks: Iterable[tuple[str, str]]) -> str:
    """HTML for (kind, text) blocks: the text is escaped, then the result sanitised."""
    parts = []
    for kind, text in blocks:
        tag = BLOCK_TAGS.get(kind, "p")
        parts.append(f"<{tag}>{escape(text, quote=False)}</{tag}>")
    return sanitize_html("\n".join(parts))
