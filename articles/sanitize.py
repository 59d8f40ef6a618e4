"""The one place the archive turns outside text into HTML.

Every use of bleach lives here, behind a policy the tests pin down, so the library can be
swapped without touching the rest of the code.
"""

import re
from collections.abc import Iterable
from html import escape

import bleach

ALLOWED_TAGS = frozenset({"p", "h2", "h3", "blockquote", "ul", "ol", "li", "em", "strong", "a"})
ALLOWED_ATTRIBUTES = {"a": ["href", "title"]}
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})

# Block kinds from the parser and the element each becomes.
BLOCK_TAGS = {"p": "p", "h": "h2", "q": "blockquote"}

# Control characters other than tab and newline, which bleach shows as "?".
_INVISIBLE = re.compile("[\x01-\x08\x0b\x0c\x0e-\x1f]")
_NEEDS_CLEANING = re.compile("[\x00-\x08\x0b-\x1f]")
_HTML_SPACE = " \t\n\x0c"


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
    """HTML for (kind, text) blocks. The tags are ours and the text is escaped, so the
    result is built directly rather than parsed again by bleach, which was slow and added
    nothing; characters are cleaned the way bleach would, so the output is the same."""
    parts = []
    for kind, text in blocks:
        tag = BLOCK_TAGS.get(kind, "p")
        parts.append(f"<{tag}>{escape(_clean_characters(text), quote=False)}</{tag}>")
    return "\n".join(parts)


def _clean_characters(text: str) -> str:
    """What an HTML parser and bleach do to text: newlines made "\\n", NUL dropped, other
    invisible control characters shown as "?"."""
    if not _NEEDS_CLEANING.search(text):
        return text
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    # The parser hands leading and trailing white space (form feeds included) over as
    # space, which bleach leaves alone.
    lead = len(text) - len(text.lstrip(_HTML_SPACE))
    if lead == len(text):
        return text
    end = len(text.rstrip(_HTML_SPACE))
    return text[:lead] + _INVISIBLE.sub("?", text[lead:end]) + text[end:]
