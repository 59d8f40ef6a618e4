"""Saved HTML pages: trafilatura finds the article and its metadata; we keep only its text.

No markup survives: blocks are built from the text of trafilatura's XML elements, so
scripts, styles, iframes, event handlers and javascript: links cannot reach the archive.
The same clutter, dateline, date and source rules as plain text then apply.
"""

from __future__ import annotations

import re
from datetime import date

import lxml.html
import trafilatura
from lxml import etree

from articles.ingest.read import IngestError
from articles.ingest.text import (
    HEADER_SCAN,
    SUBHEADING_MAX_WORDS,
    Block,
    Evidence,
    ParsedArticle,
    assemble_article,
    clip_on_word,
    is_headline_like,
    is_label,
    lookup_host,
    lookup_source,
    match_clutter,
    match_date_line,
    match_source_pattern,
    read_byline,
    split_long_paragraph,
    word_count,
)

# Where pages state their publication time, most reliable first.
PUBLISHED_META_XPATHS: tuple[str, ...] = (
    "//meta[@property='article:published_time']/@content",
    "//meta[@name='article:published_time']/@content",
    "//meta[@itemprop='datePublished']/@content",
    "//meta[@name='pubdate']/@content",
    "//meta[@name='publishdate']/@content",
    "//meta[@name='date']/@content",
    "//meta[@name='DC.date.issued']/@content",
    "//time[@pubdate]/@datetime",
)
BYLINE_MAX = 200
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)
_TITLE_SEPARATORS = re.compile(r"\s+[|–—-]\s+|\s+::\s+")
# Sites whose own pages are their own reporting: the site is also the credit.
PUBLISHING_KINDS = frozenset({"agency", "broadcaster", "newspaper"})

_BLOCK_KINDS = {"p": "p", "head": "h", "quote": "q", "item": "p"}


def _element_text(element: etree._Element) -> str:
    return " ".join("".join(element.itertext()).split())


def extract_blocks(body: etree._Element) -> list[Block]:
    """Paragraphs, headings, quotations and list items from trafilatura's XML, as text."""
    blocks: list[Block] = []
    for element in body.iter("p", "head", "quote", "item"):
        # A quote or list item holding paragraphs is read through those paragraphs.
        if element.tag in ("quote", "item") and element.find(".//p") is not None:
            continue
        if element.tag == "p" and element.getparent() is not None:
            parent = element.getparent().tag
            kind = "q" if parent == "quote" else "p"
        else:
            kind = _BLOCK_KINDS[element.tag]
        text = _element_text(element)
        if text:
            blocks.append(Block(kind, text))
    return blocks


def published_meta(tree: lxml.html.HtmlElement) -> str:
    """The first publication timestamp the page declares in its metadata, or ""."""
    for xpath in PUBLISHED_META_XPATHS:
        for value in tree.xpath(xpath):
            value = " ".join(str(value).split())
            if value:
                return value
    return ""


def clean_title(title: str, site_names: tuple[str, ...]) -> str:
    """Drop a site name around the headline ("Talks stall - BBC News")."""
    parts = [part for part in _TITLE_SEPARATORS.split(title) if part.strip()]
    if len(parts) > 1:
        keys = {name.casefold() for name in site_names if name}
        kept = [
            part for part in parts if part.casefold() not in keys and lookup_source(part) is None
        ]
        if kept:
            return max(kept, key=len) if len(kept) < len(parts) else title
    return title


def parse_html(text: str, encoding: str = "utf-8", *, today: date | None = None) -> ParsedArticle:
    """A saved HTML page into a ParsedArticle."""
    try:
        tree = lxml.html.document_fromstring(_XML_DECLARATION.sub("", text, count=1))
        meta_time = published_meta(tree)
        document = trafilatura.bare_extraction(
            tree,
            with_metadata=True,
            include_comments=False,
            include_tables=False,
            include_images=False,
            include_links=False,
            include_formatting=False,
            date_extraction_params={"extensive_search": False, "original_date": True},
        )
    except (etree.LxmlError, ValueError, TypeError, AttributeError) as error:
        raise IngestError(f"The HTML page could not be read: {error}.") from None
    if document is None or document.body is None:
        raise IngestError("No article text could be found in the HTML page.")

    evidence = Evidence([], [], [])
    site_names = (document.sitename or "", document.hostname or "")
    for found in (lookup_source(document.sitename or ""), lookup_host(document.hostname or "")):
        if found is not None:
            evidence.sites.append(found)

    title = " ".join((document.title or "").split())
    title = clean_title(title, site_names) if title else ""
    byline = ""
    author = " ".join((document.author or "").split())
    if author:
        byline = read_byline(f"By {author}", evidence) or ""
        if byline and len(byline) > BYLINE_MAX:
            byline = clip_on_word(byline, BYLINE_MAX)

    date_matches = [m for m in (match_date_line(meta_time),) if m] if meta_time else []
    blocks: list[Block] = []
    raw_blocks = extract_blocks(document.body)
    if title and _is_inner_heading(title, raw_blocks):
        title = ""  # trafilatura falls back to a sub-heading when a page has no headline
    for index, block in enumerate(raw_blocks):
        text = block.text
        if evidence.see_site_line(text):
            if blocks and _ends_article(text):
                break
            continue
        if index < HEADER_SCAN and not blocks:
            date_match = match_date_line(text)
            if date_match:
                date_matches.append(date_match)
                continue
            found_byline = read_byline(text, evidence)
            if found_byline is not None:
                byline = byline or found_byline
                continue
            if text == title or (not title and block.kind == "h"):
                title = title or text
                continue
        if block.kind == "p" and is_headline_like(text) and is_label(text):
            continue
        if block.kind == "h":
            following = raw_blocks[index + 1 :]
            if not following or word_count(text) > 2 * SUBHEADING_MAX_WORDS:
                continue
        if block.kind == "p":
            blocks.extend(split_long_paragraph(text))
        else:
            blocks.append(block)
    if trafilatura_date := document.date:
        found = match_date_line(str(trafilatura_date))
        if found:
            date_matches.append(found)

    if not evidence.credits and evidence.sites and evidence.sites[0].kind in PUBLISHING_KINDS:
        evidence.credits.append(evidence.sites[0])
    return assemble_article(
        title=title,
        blocks=blocks,
        byline=byline,
        evidence=evidence,
        date_matches=date_matches,
        encoding=encoding,
        kind="html",
        empty_message="No article text could be found in the HTML page.",
        today=today,
    )


def _is_inner_heading(title: str, blocks: list[Block]) -> bool:
    """Whether the title is only a sub-heading found after the article's first paragraph."""
    seen_paragraph = False
    for block in blocks:
        if block.kind == "p":
            seen_paragraph = True
        elif block.kind == "h" and block.text == title:
            return seen_paragraph
    return False


def _ends_article(text: str) -> bool:
    """Footer lines (a site disclaimer, "No comments:") end the article."""
    pattern = match_source_pattern(text) or match_clutter(text)
    return bool(pattern and pattern.footer)
