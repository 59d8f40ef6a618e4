"""The one place the archive turns outside text into HTML.

Every use of bleach lives here, behind a policy the tests pin down, so the library can be
swapped without touching the rest of the code.
"""

import re
from collections.abc import Iterable
from html import escape
from urllib.parse import urlsplit

import bleach
from bleach.html5lib_shim import Filter

# An article's structure: paragraphs, sub-headings, lists, tables, quotations, emphasis and
# links. Nothing that runs, styles, embeds or loads anything.
ALLOWED_TAGS = frozenset(
    {
        "p",
        "h2",
        "h3",
        "h4",
        "blockquote",
        "ul",
        "ol",
        "li",
        "table",
        "caption",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
        "em",
        "strong",
        "code",
        "br",
        "a",
    }
)
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})
LINK_REL = "nofollow noopener"

# Block kinds from the parser and the element each becomes.
BLOCK_TAGS = {"p": "p", "h": "h2", "q": "blockquote"}

# Control characters other than tab and newline, which bleach shows as "?".
_INVISIBLE = re.compile("[\x01-\x08\x0b\x0c\x0e-\x1f]")
_NEEDS_CLEANING = re.compile("[\x00-\x08\x0b-\x1f]")
_HTML_SPACE = " \t\n\x0c"


def allowed_attribute(tag: str, name: str, value: str) -> bool:
    """Links keep an absolute http(s) or mailto address and a title; table cells their span.
    A relative address would point into this archive, not to the page it came from."""
    if tag == "a":
        if name == "href":
            try:
                return urlsplit(value.strip()).scheme.casefold() in ALLOWED_PROTOCOLS
            except ValueError:
                return False
        return name == "title"
    return tag in ("th", "td") and name in ("colspan", "rowspan") and value.isdigit()


class LinkRel(Filter):
    """Every kept link gets rel="nofollow noopener": the archive vouches for no page it
    links to and gives none of them a handle on its window."""

    def __iter__(self):
        for token in super().__iter__():
            if token["type"] in ("StartTag", "EmptyTag") and token["name"] == "a":
                attributes = dict(token.get("data") or {})
                attributes[(None, "rel")] = LINK_REL
                token["data"] = attributes
            yield token


def sanitize_html(html: str) -> str:
    """Keep only the allow-listed tags and attributes; scripts, styles, iframes and event
    handlers are dropped, links made safe."""
    cleaner = bleach.Cleaner(
        tags=ALLOWED_TAGS,
        attributes=allowed_attribute,
        protocols=ALLOWED_PROTOCOLS,
        strip=True,
        strip_comments=True,
        filters=[LinkRel],
    )
    return cleaner.clean(html)


def article_html(blocks: Iterable[tuple[str, str]], markup: str = "") -> str:
    """An article's HTML: the structure its page had, sanitised, or else its text blocks."""
    return sanitize_html(markup) if markup else render_blocks(blocks)


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
