"""What a saved page says about itself: schema.org JSON-LD, microdata, OpenGraph, <meta>
and <time>. Every statement is kept with where it was found, so the reader can weigh them.

Pure functions over an lxml tree. JSON-LD is read with the json module and the rest with
XPath: a full structured-data library (extruct) would bring RDFa and microformat parsers
the archive never uses and cost more per page than the rest of this module.
"""

from __future__ import annotations

import json
import re
from collections import deque
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import lxml.html

# schema.org types whose fields describe the article itself.
ARTICLE_TYPES = frozenset(
    {
        "article",
        "newsarticle",
        "reportagenews",
        "analysisnewsarticle",
        "opinionnewsarticle",
        "backgroundnewsarticle",
        "reviewnewsarticle",
        "blogposting",
        "liveblogposting",
        "socialmediaposting",
        "techarticle",
        "scholarlyarticle",
        "report",
        "pressrelease",
        "creativework",
        "videoobject",
        "recipe",
        "review",
        "event",
    }
)
PAGE_TYPES = frozenset({"webpage", "itempage", "aboutpage", "collectionpage"})
SITE_TYPES = frozenset({"organization", "newsmediaorganization", "website", "corporation"})

# (attribute value, evidence) in order of trust; names compared in lower case.
TITLE_META: tuple[tuple[str, str], ...] = (
    ("og:title", "OpenGraph og:title"),
    ("twitter:title", "Twitter card title"),
    ("dc.title", "Dublin Core title"),
    ("title", "meta title"),
    ("headline", "microdata headline"),
)
PUBLISHED_META: tuple[tuple[str, str], ...] = (
    ("article:published_time", "meta article:published_time"),
    ("og:article:published_time", "meta article:published_time"),
    ("datepublished", "microdata datePublished"),
    ("article.published", "meta article.published"),
    ("publishdate", "meta publishdate"),
    ("publish-date", "meta publish-date"),
    ("pubdate", "meta pubdate"),
    ("parsely-pub-date", "meta parsely-pub-date"),
    ("sailthru.date", "meta sailthru.date"),
    ("dc.date.issued", "Dublin Core date issued"),
    ("dcterms.issued", "Dublin Core date issued"),
    ("dcterms.created", "Dublin Core date created"),
    ("dc.date.created", "Dublin Core date created"),
    ("dc.date", "Dublin Core date"),
    ("date", "meta date"),
    ("datecreated", "microdata dateCreated"),
)
MODIFIED_META = frozenset(
    {
        "article:modified_time",
        "og:updated_time",
        "datemodified",
        "dcterms.modified",
        "last-modified",
    }
)
AUTHOR_META: tuple[tuple[str, str], ...] = (
    ("author", "meta author"),
    ("article:author", "meta article:author"),
    ("dc.creator", "Dublin Core creator"),
    ("dcterms.creator", "Dublin Core creator"),
    ("byl", "meta byl"),
    ("sailthru.author", "meta sailthru.author"),
    ("parsely-author", "meta parsely-author"),
    ("cxenseparse:author", "meta cxense author"),
)
SITE_META = ("og:site_name", "application-name", "publisher", "dc.publisher", "twitter:site")

_SPACE = re.compile(r"\s+")
_LANGUAGE_CODE = re.compile(r"\s*([a-zA-Z]{2})(?:[-_]|\s*$)")
_URL_DATE = re.compile(r"/((?:19|20)\d{2})[/-]([01]?\d)[/-]([0-3]?\d)(?:/|[-_]|\.html?|$)")
_HANDLE_OR_URL = re.compile(r"^(?:@|https?://|www\.)|\.(?:com|de|org|net)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Statement:
    """One value a page states about itself, with where it says so."""

    value: str
    evidence: str


@dataclass
class PageMetadata:
    titles: list[Statement] = field(default_factory=list)
    headings: list[str] = field(default_factory=list)  # <h1> texts, in order
    heading_elements: list[lxml.html.HtmlElement] = field(default_factory=list)
    published: list[Statement] = field(default_factory=list)
    modified: list[Statement] = field(default_factory=list)
    # Dates the markup gives to something other than the article (a comment, a teaser).
    elsewhere: list[Statement] = field(default_factory=list)
    authors: list[Statement] = field(default_factory=list)
    site_names: list[str] = field(default_factory=list)
    # The names the site gives itself, each with where it says so (og:site_name...).
    sites: list[Statement] = field(default_factory=list)
    descriptions: list[str] = field(default_factory=list)
    language: str = ""  # two-letter code from <html lang> or og:locale, "" when unstated
    url: str = ""


def language_code(value: str) -> str:
    """The two-letter language code in "de-DE", "fr_FR" or "en"; "" for anything else."""
    found = _LANGUAGE_CODE.match(value)
    return found.group(1).casefold() if found else ""


def collapse(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


def read_metadata(tree: lxml.html.HtmlElement) -> PageMetadata:
    """Everything the page states about its title, date, authors and site."""
    found = PageMetadata()
    found.language = language_code(tree.get("lang") or tree.get("xml:lang") or "")
    _read_json_ld(tree, found)
    _read_meta(tree, found)
    found.url = _usable_address(found.url)
    _read_microdata(tree, found)
    _read_time_elements(tree, found)
    _read_author_marks(tree, found)
    for h1 in tree.iter("h1"):
        if text := collapse(h1.text_content()):
            found.headings.append(text)
            found.heading_elements.append(h1)
    document_title = tree.find(".//title")
    if document_title is not None and (text := collapse(document_title.text_content())):
        found.titles.append(Statement(text, "document <title>"))
    if found.url:
        found.site_names.append(urlsplit(found.url).hostname or "")
        match = _URL_DATE.search(urlsplit(found.url).path)
        if match:
            year, month, day = match.groups()
            found.published.append(
                Statement(f"{year}-{int(month):02d}-{int(day):02d}", "date in the page's address")
            )
    return found


def _usable_address(url: str) -> str:
    """The page's stated address, or "" for one urllib cannot read ("http://[broken/")."""
    try:
        urlsplit(url).hostname  # noqa: B018 - what raises on a malformed address
    except ValueError:
        return ""
    return url


# -- JSON-LD --------------------------------------------------------------------------------


# JSON-LD items read from one page: an article's own come first, and a page listing more
# is listing other articles. Past this many the rest are not looked at.
MAX_JSON_LD_ITEMS = 1000


def _json_ld_items(tree: lxml.html.HtmlElement) -> list[dict]:
    """The page's JSON-LD objects, breadth first, at most MAX_JSON_LD_ITEMS of them; a
    script that is no JSON, or nested deeper than Python's recursion limit, is skipped."""
    items: list[dict] = []
    for script in tree.xpath("//script[@type='application/ld+json']"):
        text = (script.text or "").strip()
        if not text:
            continue
        try:
            data = json.loads(text, strict=False)
        except (ValueError, RecursionError):
            continue  # pages ship broken JSON-LD often enough; the other sources remain
        pending = deque([data])
        while pending and len(items) < MAX_JSON_LD_ITEMS:
            item = pending.popleft()
            if isinstance(item, list):
                pending.extend(item)
            elif isinstance(item, dict):
                items.append(item)
                if isinstance(item.get("@graph"), list):
                    pending.extend(item["@graph"])
                if isinstance(item.get("mainEntity"), dict):
                    pending.append(item["mainEntity"])
    return items


def _types(item: dict) -> set[str]:
    kind = item.get("@type", ())
    kinds = [kind] if isinstance(kind, str) else kind if isinstance(kind, list) else []
    return {str(k).casefold().rsplit("/", 1)[-1] for k in kinds}


def _names(value) -> list[str]:
    """Person or organisation names in a schema.org author or publisher value."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        name = value.get("name")
        if isinstance(name, list):
            name = " ".join(str(part) for part in name)
        return [str(name)] if name else []
    if isinstance(value, list):
        return [name for part in value for name in _names(part)]
    return []


def _text(value) -> str:
    if isinstance(value, list):
        value = value[0] if value else ""
    return collapse(str(value)) if isinstance(value, str | int | float) else ""


def _read_json_ld(tree: lxml.html.HtmlElement, found: PageMetadata) -> None:
    for item in _json_ld_items(tree):
        kinds = _types(item)
        if kinds & SITE_TYPES and not kinds & ARTICLE_TYPES:
            names = [collapse(name) for name in _names(item.get("name"))]
            found.site_names.extend(names)
            found.sites.extend(Statement(name, "JSON-LD site name") for name in names)
            continue
        article = bool(kinds & ARTICLE_TYPES)
        if not article and not kinds & PAGE_TYPES:
            continue
        label = "JSON-LD" if article else "JSON-LD web page"
        for key in ("headline", "name"):
            if text := _text(item.get(key)):
                found.titles.append(Statement(text, f"{label} {key}"))
                break
        if text := _text(item.get("datePublished")):
            found.published.append(Statement(text, f"{label} datePublished"))
        elif article and (text := _text(item.get("dateCreated"))):
            found.published.append(Statement(text, f"{label} dateCreated"))
        if text := _text(item.get("dateModified")):
            found.modified.append(Statement(text, f"{label} dateModified"))
        if not any(s.evidence == f"{label} author" for s in found.authors):
            # Only the first item's authors: later items are often teasers of other articles.
            for name in _names(item.get("author")) + _names(item.get("creator")):
                if name := collapse(name):
                    found.authors.append(Statement(name, f"{label} author"))
        publishers = [collapse(name) for name in _names(item.get("publisher"))]
        found.site_names.extend(publishers)
        found.sites.extend(Statement(name, "JSON-LD publisher") for name in publishers)
        if article and not found.url:
            found.url = _text(item.get("url")) or _text(item.get("mainEntityOfPage"))


# -- <meta>, microdata, <time> --------------------------------------------------------------


def _meta_values(tree: lxml.html.HtmlElement) -> dict[str, list[str]]:
    values: dict[str, list[str]] = {}
    for meta in tree.iter("meta"):
        content = collapse(meta.get("content") or "")
        if not content:
            continue
        for attribute in ("property", "name", "itemprop"):
            key = (meta.get(attribute) or "").strip().casefold()
            if key:
                values.setdefault(key, []).append(content)
    return values


def _read_meta(tree: lxml.html.HtmlElement, found: PageMetadata) -> None:
    values = _meta_values(tree)
    for key, evidence in TITLE_META:
        for value in values.get(key, ()):
            found.titles.append(Statement(value, evidence))
    for key, evidence in PUBLISHED_META:
        for value in values.get(key, ()):
            found.published.append(Statement(value, evidence))
    for key in MODIFIED_META:
        for value in values.get(key, ()):
            found.modified.append(Statement(value, f"meta {key}"))
    for key, evidence in AUTHOR_META:
        for value in values.get(key, ()):
            if not _HANDLE_OR_URL.search(value):
                found.authors.append(Statement(value, evidence))
    if not found.language and values.get("og:locale"):
        found.language = language_code(values["og:locale"][0])
    for key in ("description", "og:description"):
        found.descriptions.extend(values.get(key, ()))
    for key in SITE_META:
        names = [value.lstrip("@") for value in values.get(key, ())]
        found.site_names.extend(names)
        found.sites.extend(Statement(name, f"meta {key}") for name in names)
    for key in ("og:url",):
        if values.get(key) and not found.url:
            found.url = values[key][0]
    if not found.url:
        canonical = tree.xpath("//link[@rel='canonical']/@href")
        if canonical:
            found.url = str(canonical[0]).strip()


def _read_microdata(tree: lxml.html.HtmlElement, found: PageMetadata) -> None:
    """itemprop values written as elements rather than <meta> (those are read above)."""
    for element in tree.xpath("//*[@itemprop][not(self::meta)]"):
        prop = (element.get("itemprop") or "").casefold()
        if prop == "headline":
            if text := collapse(element.text_content()):
                found.titles.append(Statement(text, "microdata headline"))
        elif prop in ("datepublished", "datecreated"):
            value = element.get("datetime") or element.get("content") or element.text_content()
            if value := collapse(value):
                found.published.append(Statement(value, f"microdata {element.get('itemprop')}"))
        elif prop == "author":
            names = element.xpath(".//*[@itemprop='name']")
            text = names[0].get("content") or names[0].text_content() if names else ""
            text = text or element.get("content") or element.text_content()
            if (text := collapse(text)) and len(text) <= 100:
                found.authors.append(Statement(text, "microdata author"))


# Inside the page's comment section (class "comment-list", "comments-area", ...): what is
# there is a commenter's name or a comment's date, not the article's. A wrapper that holds
# the headline ("post comments-open") is the article's, not its comments'.
IN_COMMENTS = "ancestor-or-self::*[contains(@class, 'comment')][not(.//h1)]"
_AUTHOR_LINK = "//a[contains(concat(' ', normalize-space(@rel), ' '), ' author ')]"
_AUTHOR_MARK = (
    "//*[(contains(concat(' ', normalize-space(@class), ' '), ' author ')"
    " or contains(@class, 'byline') or contains(@class, 'author-name')"
    " or contains(concat(' ', normalize-space(@class), ' '), ' fn '))"
    f" and not({IN_COMMENTS})]"
)
AUTHOR_MARK_MAX_WORDS = 5


def _read_author_marks(tree: lxml.html.HtmlElement, found: PageMetadata) -> None:
    """Names the page's own markup labels as its author (rel="author", class="author")."""
    for xpath, evidence in ((_AUTHOR_LINK, "rel=author link"), (_AUTHOR_MARK, "author markup")):
        for element in tree.xpath(xpath)[:3]:
            text = collapse(element.text_content())
            if text and len(text.split()) <= AUTHOR_MARK_MAX_WORDS and len(text) <= 60:
                found.authors.append(Statement(text, evidence))
                break


def named_only_in_comments(tree: lxml.html.HtmlElement, name: str) -> bool:
    """Whether a name appears on the page only inside its comment section (a commenter)."""
    nodes = tree.xpath("//body//text()[contains(., $name)]", name=name)
    return bool(nodes) and all(node.getparent().xpath(IN_COMMENTS) for node in nodes)


def _read_time_elements(tree: lxml.html.HtmlElement, found: PageMetadata) -> None:
    """<time pubdate> and the first <time> of the article or its header. A <time> in the
    comments dates a comment (often days after the article), and one inside a link to
    another page dates that page (a teaser): both are kept apart."""
    for element in tree.xpath("//time[@datetime or @pubdate]"):
        value = collapse(element.get("datetime") or element.text_content())
        if value and (element.xpath(IN_COMMENTS) or _links_elsewhere(element, found.url)):
            found.elsewhere.append(Statement(value, "<time> of a comment or a teaser"))
        elif value and element.get("pubdate") is not None:
            found.published.append(Statement(value, "<time pubdate>"))
    for element in tree.xpath("//article//time[@datetime] | //header//time[@datetime]"):
        if not element.xpath(IN_COMMENTS) and not _links_elsewhere(element, found.url):
            found.published.append(Statement(collapse(element.get("datetime")), "first <time>"))
            break


def _links_elsewhere(element: lxml.html.HtmlElement, url: str) -> bool:
    """Whether the element sits in a link to a page other than `url`, the page's own.
    A link to an address with a date in it ("/date/2017/05/29/") may be the archive of
    the article's own day: it is given the benefit of the doubt."""
    if not url:
        return False
    for link in element.iterancestors("a"):
        href = (link.get("href") or "").strip()
        try:
            target = urljoin(url, href)
            if not href or href.startswith("#") or _URL_DATE.search(urlsplit(target).path):
                return False
            return _page_key(target) != _page_key(url)
        except ValueError:  # an address no browser would follow ("http://[broken")
            return False
    return False


def _page_key(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    return (parts.hostname or "").removeprefix("www."), parts.path.rstrip("/")


# -- Dates printed near the headline --------------------------------------------------------

VISIBLE_BEFORE = 200  # characters of page text above the headline searched for its date
VISIBLE_AFTER = 400  # ... and below it, where most pages print the date
STANDFIRST_WINDOW = 1500  # characters below the headline where a standfirst is printed
_PAGE_TEXT = "//body//text()[not(ancestor::script or ancestor::style or ancestor::noscript)]"
_VISIBLE_DATE = re.compile(
    r"(?<![\d.])(?P<day>\d{1,2})\.\s?(?P<month>\d{1,2})\.\s?(?P<year>(?:19|20)\d{2})(?!\d)"
    r"|(?<!\d)(?P<iso>(?:19|20)\d{2}-\d{2}-\d{2})(?!\d)"
    r"|(?P<words>(?<![\w.])\d{1,2}\.?\s+(?:de\s+)?[^\W\d_]{3,12}\.?,?\s+(?:de\s+)?(?:19|20)\d{2}\b"
    r"|\b[^\W\d_]{3,12}\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+(?:19|20)\d{2}\b)"
)


def text_around(
    tree: lxml.html.HtmlElement, heading: lxml.html.HtmlElement, after: int = VISIBLE_AFTER
) -> tuple[str, str]:
    """The page's visible text just above and just below a heading."""
    inside = set(heading.iter())
    before: list[str] = []
    after_parts: list[str] = []
    seen = False
    for node in tree.xpath(_PAGE_TEXT):
        parent = node.getparent()
        if parent in inside and not (node.is_tail and parent is heading):
            seen = True
            continue
        (after_parts if seen else before).append(str(node))
        if seen and sum(len(part) for part in after_parts) > after:
            break
    return collapse(" ".join(before))[-VISIBLE_BEFORE:], collapse(" ".join(after_parts))[:after]


# A date that runs on into lower-case words is part of a sentence ("am 18. Oktober 2021
# am Erzberg eröffnet", "15 novembre 2019, dont..."): an event's date, not the page's.
# A stamp may go on with its time ("um 10:30", "at 5pm") or its author ("von gizzmo").
_RUNS_ON = re.compile(r",?\s+(?P<word>[^\W\d_][\w'’-]*)(?P<digit>\s+\d)?")
_BYLINE_WORDS = frozenset({"von", "by", "par", "por", "door", "av"})
_TIME_WORDS = frozenset({"um", "at", "à", "a", "alle", "om", "kl"})


def _in_a_sentence(text: str, end: int) -> bool:
    after = _RUNS_ON.match(text, end)
    if after is None or not after["word"].islower() or after["word"] in _BYLINE_WORDS:
        return False
    return not (after["word"] in _TIME_WORDS and after["digit"])


# A date in brackets opened right after a word is an aside in a sentence ("sagte ein
# Sprecher am Montag (30. Oktober 2023)", "BGer 6B_1224/2019 vom 24.01.2020"): the date of
# what is told, not the page's. A dateline's bracket follows its comma ("Karlsruhe, (…)").
_ASIDE_OPENED = re.compile(r"\w\s*\([^()]{0,60}$")


def _in_an_aside(text: str, start: int) -> bool:
    return bool(_ASIDE_OPENED.search(text, max(0, start - 80), start))


def printed_dates(text: str) -> list[tuple[int, int, str]]:
    """Date-shaped strings in page text ("18.03.2008", "18. März 2008", "March 18, 2008")
    with where each starts and ends, leaving out dates inside a sentence or an aside."""
    return [
        (match.start(), match.end(), match.group(0))
        for match in _VISIBLE_DATE.finditer(text)
        if not _in_a_sentence(text, match.end()) and not _in_an_aside(text, match.start())
    ]


_NAME_WORD = r"[A-ZÀ-ÖØ-ÞĀ-Ž][\w.'’-]*"
_PRINTED_BYLINE = re.compile(
    r"(?:^|(?<=[\s|·•]))(?:By|BY|by|Von|VON|von|Par|PAR|par|Por|POR|por|Door|door|Av|"
    r"Text|Text von|Autor(?:in)?|Auteur|Author|Redaktion)\s?:?\s+"
    rf"(?P<name>{_NAME_WORD}(?:\s+(?:van|von|de|del|der|da|di|le|la|{_NAME_WORD})){{1,3}})"
)


def printed_byline(text: str) -> str:
    """A name after "By", "Von", "Par"… in the text under the headline, or ""."""
    match = _PRINTED_BYLINE.search(text)
    return match["name"] if match else ""


def printed_standfirst(descriptions: list[str], below: str) -> str:
    """The page's description when it is also printed under the headline: the standfirst
    (the lead in bold that extractors often take for page furniture)."""
    printed = collapse(below).casefold()
    for description in descriptions:
        text = collapse(description)
        complete = len(text.split()) >= 8 and not text.endswith(("...", "…"))
        if complete and text.casefold()[:120] in printed:
            return text
    return ""
