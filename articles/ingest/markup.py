"""The article's structure from trafilatura's XML: paragraphs, sub-headings, lists, tables,
block quotations and links, as text blocks for the body and as HTML for the page.

The HTML is built from a fixed set of our own tags with every text and attribute escaped,
and it is sanitised again (articles.sanitize) before it is stored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import escape
from urllib.parse import urljoin, urlsplit

from lxml import etree

from articles.ingest.article import Block

HEADING_TAGS = {"h1": "h2", "h2": "h2", "h3": "h3"}  # the article's own <h1> is its title
INLINE_TAGS = {"#b": "strong", "#i": "em", "#u": "em", "#t": "code"}
LINK_SCHEMES = ("http", "https", "mailto")
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class Unit:
    """One top-level element of the article: its text blocks and its HTML."""

    blocks: tuple[Block, ...]
    html: str


def _text(element: etree._Element) -> str:
    return " ".join("".join(element.itertext()).split())


def absolute_link(target: str, base: str) -> str:
    """A link made absolute against the page's address; "" when it leads nowhere a reader
    can follow (javascript:, data:, a fragment of the saved page)."""
    target = target.strip()
    if not target or target.startswith("#"):
        return ""
    if base:
        target = urljoin(base, target)
    return target if urlsplit(target).scheme.casefold() in LINK_SCHEMES else ""


def inline_html(element: etree._Element, base: str) -> str:
    """The element's content as HTML: text escaped, emphasis and links kept."""
    parts = [escape(element.text or "", quote=False)]
    for child in element:
        inner = inline_html(child, base)
        if child.tag == "hi":
            tag = INLINE_TAGS.get(child.get("rend", ""))
            parts.append(f"<{tag}>{inner}</{tag}>" if tag and inner.strip() else inner)
        elif child.tag == "ref":
            href = absolute_link(child.get("target") or "", base)
            parts.append(f'<a href="{escape(href)}">{inner}</a>' if href else inner)
        elif child.tag == "lb":
            parts.append("<br>")
        elif child.tag in ("list", "table"):
            parts.append(" " + unit_of(child, base).html)
        else:
            parts.append(inner)
        parts.append(escape(child.tail or "", quote=False))
    # Runs of white space become one space, kept at the ends: "der <b>Bundesliga</b> sind".
    return _SPACES.sub(" ", "".join(parts)) if element.tag != "lb" else ""


def block_html(element: etree._Element, base: str) -> str:
    """The content of a block element (paragraph, heading, item, cell) as trimmed HTML."""
    return inline_html(element, base).strip()


def unit_of(element: etree._Element, base: str) -> Unit:
    """A top-level element of trafilatura's body as a Unit (empty when it has no text)."""
    tag = element.tag
    text = _text(element)
    if not text:
        return Unit((), "")
    if tag == "head":
        html_tag = HEADING_TAGS.get(element.get("rend", ""), "h4")
        return Unit((Block("h", text),), f"<{html_tag}>{block_html(element, base)}</{html_tag}>")
    if tag == "quote":
        paragraphs = element.findall("p") or [element]
        blocks = tuple(Block("q", t) for p in paragraphs if (t := _text(p)))
        inner = "".join(f"<p>{block_html(p, base)}</p>" for p in paragraphs if _text(p))
        return Unit(blocks, f"<blockquote>{inner}</blockquote>")
    if tag == "list":
        items = [item for item in element if item.tag == "item" and _text(item)]
        html_tag = "ol" if element.get("rend", "").casefold() == "ol" else "ul"
        blocks = tuple(Block("p", _text(item)) for item in items)
        inner = "".join(f"<li>{block_html(item, base)}</li>" for item in items)
        return Unit(blocks, f"<{html_tag}>{inner}</{html_tag}>")
    if tag == "table":
        return _table_unit(element, base)
    return Unit((Block("p", text),), f"<p>{block_html(element, base)}</p>")


def _table_unit(table: etree._Element, base: str) -> Unit:
    rows = [row for row in table.iter("row") if _text(row)]
    blocks = tuple(
        Block("p", " | ".join(_text(cell) for cell in row.iter("cell") if _text(cell)))
        for row in rows
    )
    html_rows = []
    for row in rows:
        cells = []
        for cell in row.iter("cell"):
            tag = "th" if cell.get("role") == "head" else "td"
            cells.append(f"<{tag}>{block_html(cell, base)}</{tag}>")
        html_rows.append(f"<tr>{''.join(cells)}</tr>")
    return Unit(blocks, f"<table><tbody>{''.join(html_rows)}</tbody></table>")


def read_units(body: etree._Element, base: str = "") -> list[Unit]:
    """The article's top-level elements, in order, as Units."""
    units = []
    for element in body:
        if element.tag in ("graphic", "lb", "fw", "note"):
            continue
        unit = unit_of(element, base)
        if unit.blocks:
            units.append(unit)
    return units


def paragraph_html(text: str) -> str:
    """A paragraph whose text we changed (a dateline cut off): its markup rebuilt from text."""
    return f"<p>{escape(text, quote=False)}</p>"
