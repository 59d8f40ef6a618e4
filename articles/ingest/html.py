"""Saved HTML pages: trafilatura finds the article; the page's own metadata (JSON-LD,
OpenGraph, <meta>, <time>) and its headings decide the title, date and authors.

The body keeps its structure (paragraphs, sub-headings, lists, tables, quotations, links)
as markup built from trafilatura's XML with our own tags only, sanitised again before it is
stored; the plain-text blocks beside it feed search and analysis. The same clutter,
dateline, date and source rules as plain text apply.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterator
from dataclasses import replace
from datetime import date, datetime
from urllib.parse import urlsplit

import htmldate
import lxml.html
import trafilatura
from lxml import etree

from articles.ingest import signatures as sig
from articles.ingest.article import (
    Block,
    DateRule,
    FieldEvidence,
    ParsedArticle,
    assemble_article,
    clip_on_word,
    split_long_paragraph,
)
from articles.ingest.choose import (
    AUTHOR_SURE,
    DATE_KEEP,
    DATE_SURE,
    DATE_TRUST,
    TITLE_SURE,
    StatedDate,
    choose_authors,
    choose_published,
    choose_stated_source,
    choose_title,
    join_names,
    norm,
    read_metadata_dates,
    read_printed_date,
    read_stated_date,
)
from articles.ingest.dates import (
    DateReading,
    check_plausible,
    find_dates,
    find_publication_date,
    match_date_line,
    page_date_order,
    read_date,
)
from articles.ingest.leftover import page_paragraphs, with_other_text
from articles.ingest.lines import (
    Evidence,
    is_headline_like,
    is_label,
    lookup_host,
    lookup_source,
    match_clutter,
    match_source_pattern,
    read_byline,
    word_count,
)
from articles.ingest.markup import paragraph_html, read_units
from articles.ingest.metadata import (
    STANDFIRST_WINDOW,
    VISIBLE_AFTER,
    Statement,
    named_only_in_comments,
    printed_byline,
    printed_dates,
    printed_standfirst,
    read_metadata,
    text_around,
)
from articles.ingest.read import IngestError
from articles.ingest.text import HEADER_SCAN, SUBHEADING_MAX_WORDS

BYLINE_MAX = 200
PRECISION_MIN_CHARS = 200  # a precise reading shorter than this has lost the article
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)
# Sites whose own pages are their own reporting: the site is also the credit.
PUBLISHING_KINDS = frozenset({"agency", "broadcaster", "newspaper"})
# How sure the HTML reader must be of each field not to flag it for review.
HTML_SURE = {"title": TITLE_SURE, "published": DATE_SURE, "byline": AUTHOR_SURE}


def extract_article(
    tree: lxml.html.HtmlElement, *, favor_precision: bool, with_metadata: bool = True
):
    """trafilatura's reading of the page: the article's XML with its structure, and metadata.
    trafilatura works on a copy, so one tree serves every reading."""
    return trafilatura.bare_extraction(
        tree,
        with_metadata=with_metadata,
        favor_precision=favor_precision,
        include_comments=False,
        include_tables=True,
        include_images=False,
        include_links=True,
        include_formatting=True,
        date_extraction_params={"extensive_search": False, "original_date": True},
    )


def _body_text(document) -> str:
    return "" if document.body is None else " ".join(document.body.itertext())


# Attributes kept on one element: real pages use a handful. lxml checks each new attribute
# against the element's others, so its time grows with the square of their number (300,000
# on one <p> kept an ingest busy for minutes).
MAX_ATTRIBUTES = 100
_LONG_TAG = re.compile(r"<[A-Za-z][^<>]{2000,}>")
_ATTRIBUTE = re.compile(r"""\s+[^\s"'>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'>]+))?""")


def bounded_tags(html: str) -> str:
    """The page with every start tag cut to its first MAX_ATTRIBUTES attributes. Only
    long tags are looked at, so an ordinary page is passed through at regex speed."""

    def trim(tag: re.Match[str]) -> str:
        attributes = list(_ATTRIBUTE.finditer(tag.group()))
        if len(attributes) <= MAX_ATTRIBUTES:
            return tag.group()
        return tag.group()[: attributes[MAX_ATTRIBUTES - 1].end()] + ">"

    return _LONG_TAG.sub(trim, html)


def parse_html(text: str, encoding: str = "utf-8", *, today: date | None = None) -> ParsedArticle:
    """A saved HTML page into a ParsedArticle, each field chosen by its evidence."""
    try:
        page = _XML_DECLARATION.sub("", bounded_tags(text), count=1)
        tree = lxml.html.document_fromstring(page)
        # What the page states and prints around its headline, read from the page as saved
        # (trafilatura prunes a copy of the tree, and drops much of this).
        meta = read_metadata(tree)
        title_choice = choose_title(meta)
        above, below_long = (
            text_around(tree, meta.heading_elements[title_choice.heading], STANDFIRST_WINDOW)
            if title_choice.heading is not None
            else ("", "")
        )
        below = below_long[:VISIBLE_AFTER]
        document = extract_article(tree, favor_precision=True)
        if document is None or len(_body_text(document)) < PRECISION_MIN_CHARS:
            # Precision drops whole articles on a few pages: read those again for recall.
            document = extract_article(tree, favor_precision=False)
        if document is None:
            # trafilatura drops a whole page when its own metadata reading fails (an
            # impossible date, say); our reading of the metadata stands in for it.
            document = extract_article(tree, favor_precision=False, with_metadata=False)
    except (etree.LxmlError, ValueError, TypeError, AttributeError) as error:
        raise IngestError(f"The HTML page could not be read: {error}.") from None
    if document is None or document.body is None:
        raise IngestError("No article text could be found in the HTML page.")

    evidence = Evidence([], [], [])
    site_names = [document.sitename or "", document.hostname or "", *meta.site_names]
    for found in (lookup_source(document.sitename or ""), lookup_host(document.hostname or "")):
        if found is not None:
            evidence.sites.append(found)

    title, title_evidence = title_choice.title, title_choice.evidence
    if not title and (title := " ".join((document.title or "").split())):
        title_evidence = FieldEvidence("title", "trafilatura's title", 0.5)
    author_statements = list(meta.authors)
    if name := printed_byline(below):
        author_statements.append(Statement(name, "byline under the headline"))
    stated_dates = printed_near_headline(above, below, meta.language)
    author = " ".join((document.author or "").split())
    if author and not named_only_in_comments(tree, author):
        author_statements.append(Statement(author, "trafilatura's byline"))
    for statement in author_statements:
        credited = lookup_source(statement.value)
        if credited is not None and credited not in evidence.credits:
            evidence.credits.append(credited)  # an agency named as the author is a credit

    units = read_units(document.body, meta.url or document.url or "")
    raw_blocks = [(number, block) for number, unit in enumerate(units) for block in unit.blocks]
    if title and _is_inner_heading(title, [block for _, block in raw_blocks]):
        title, title_evidence = "", None  # a sub-heading is no headline
    kept: dict[int, None] = {}  # units with a block in the body, in order
    blocks: list[Block] = []
    owners: list[int] = []
    for index, (number, block) in enumerate(raw_blocks):
        text = block.text
        if evidence.see_site_line(text):
            if blocks and _ends_article(text):
                break
            continue
        if index < HEADER_SCAN and not blocks:
            date_match = match_date_line(text)
            if date_match:
                reading = read_date(*date_match, month_day=None, dayfirst=None)
                if reading is not None and reading.local is not None:
                    trust = DATE_TRUST["date line above the article"]
                    stated_dates.append(StatedDate(reading, "date line above the article", trust))
                continue
            found_byline = read_byline(text, evidence)
            if found_byline is not None:
                if found_byline:
                    author_statements.insert(0, Statement(found_byline, "byline above the article"))
                continue
            if norm(text) == norm(title) or (not title and block.kind == "h"):
                if not title:
                    title = text
                    title_evidence = FieldEvidence("title", "first heading of the article", 0.5)
                continue
        if block.kind == "p" and is_headline_like(text) and is_label(text):
            continue
        if block.kind == "h":
            following = raw_blocks[index + 1 :]
            if not following or word_count(text) > 2 * SUBHEADING_MAX_WORDS:
                continue
        pieces = split_long_paragraph(text) if block.kind == "p" else [block]
        blocks.extend(pieces)
        owners.extend([number] * len(pieces))
        kept[number] = None
    visible = page_paragraphs(tree)
    printed = PrintedDays(visible)
    elsewhere = stated_days(read_metadata_dates(meta.elsewhere))
    metadata_dates = read_metadata_dates(meta.published, printed)
    if document.date:
        reading = read_stated_date(str(document.date))
        if reading is not None:
            stated = stated_days(metadata_dates + stated_dates)
            stated_dates.append(htmldate_statement(reading, printed, stated, elsewhere))

    markup: dict[int, str] = {}
    standfirst = printed_standfirst(meta.descriptions, below_long)
    if standfirst and norm(standfirst) not in norm(" ".join(b.text for b in blocks)):
        # The lead printed under the headline, which the extractor left out.
        blocks.insert(0, Block("p", standfirst))
        owners.insert(0, -1)
        markup[-1] = paragraph_html(standfirst)
    markup.update({number: units[number].html for number in kept})
    if not evidence.credits and evidence.sites and evidence.sites[0].kind in PUBLISHING_KINDS:
        # A credit in the dateline still comes first.
        evidence.credits.append(evidence.sites[0])
    names, byline_evidence = choose_authors(author_statements, site_names)
    hosts = [urlsplit(meta.url).hostname or "", document.hostname or ""]
    reading, date_evidence = choose_published(metadata_dates, stated_dates)
    as_read = list(blocks)
    parsed = assemble_article(
        title=title,
        blocks=blocks,
        byline=clip_on_word(join_names(names), BYLINE_MAX),
        evidence=evidence,
        date_rule=dated_by_statements(
            reading, today=today, guess=lambda: guess_from_the_page(page, printed, elsewhere)
        ),
        encoding=encoding,
        kind="html",
        empty_message="No article text could be found in the HTML page.",
        fields=tuple(
            found for found in (title_evidence, date_evidence, byline_evidence) if found is not None
        ),
        sure=HTML_SURE,
        derived_title=FieldEvidence("title", "first sentence of the lead", 0.2),
        stated_source=choose_stated_source(meta.sites, hosts),
    )
    for index, (block, read) in enumerate(zip(parsed.blocks, as_read, strict=True)):
        if block != read:  # the lead, its dateline cut off
            markup[owners[index]] = paragraph_html(block.text)
    parsed = replace(parsed, markup="\n".join(markup.values()))
    return with_other_text(parsed, visible)


def dated_by_statements(
    reading: DateReading | None,
    *,
    today: date | None = None,
    guess: Callable[[], StatedDate | None] | None = None,
) -> DateRule:
    """The HTML reader's date: what the page states (`reading`, the best supported), when
    its evidence is strong enough to keep; else the dateline's date; else a `guess` from
    what the page prints (see guess_from_the_page)."""

    def decide(dateline, source, found):
        if reading is not None and found is not None and found.confidence >= DATE_KEEP:
            return check_plausible(reading, source, today=today), found
        published = find_publication_date([], dateline, source, today=today)
        if published.published_date is not None:
            return published, FieldEvidence("published", "the dateline", 0.7)
        if guess is not None and (guessed := guess()) is not None:
            published = check_plausible(guessed.reading, source, today=today)
            if published.published_date is not None:
                return published, FieldEvidence("published", guessed.evidence, guessed.trust)
        if found is not None:
            weak = FieldEvidence(
                "published", f"left unknown: {found.evidence} is too weak", found.confidence
            )
            return published, weak
        return published, None

    return decide


UPDATE_REACH = 40  # characters before a date, on its line, where a word names an update
LABEL_WORDS = 3  # words at most before a date, opening its line, with its label among them


class PrintedDays(Collection[date]):
    """The full dates a page prints in its visible text, read only when first asked about
    (most pages never need them)."""

    def __init__(self, paragraphs: list[str]) -> None:
        self._paragraphs = paragraphs
        self._days: frozenset[date] | None = None
        self._updates: frozenset[date] = frozenset()
        self._labelled: frozenset[date] = frozenset()

    @property
    def days(self) -> frozenset[date]:
        if self._days is None:
            self._read()
        assert self._days is not None
        return self._days

    @property
    def updates(self) -> frozenset[date]:
        """The days the page prints only as its last change ("Last modified on 4 November
        2020", "Letzte Änderung: 31.10.2023"): never the publication's."""
        if self._days is None:
            self._read()
        return self._updates

    @property
    def labelled(self) -> frozenset[date]:
        """The days the page prints after a label naming their publication, opening a
        line ("Datum: 18.10.2021", "Veröffentlicht am 3. Mai 2022")."""
        if self._days is None:
            self._read()
        return self._labelled

    def _read(self) -> None:
        text = "\n".join(self._paragraphs)
        updated: set[date] = set()
        plain: set[date] = set()
        labelled: set[date] = set()
        for start, day in find_dates(text, page_date_order(text)):
            line_start = text.rfind("\n", 0, start) + 1
            before = text[max(line_start, start - UPDATE_REACH) : start].casefold()
            if any(word in before for word in sig.UPDATE_WORDS):
                updated.add(day)
                continue
            plain.add(day)
            words = text[line_start:start].casefold().split()
            if len(words) <= LABEL_WORDS and any(
                word.strip(":") in sig.PUBLISHED_WORDS for word in words
            ):
                labelled.add(day)
        self._days = frozenset(updated | plain)
        self._updates = frozenset(updated - plain)
        self._labelled = frozenset(labelled)

    def __contains__(self, day: object) -> bool:
        return day in self.days

    def __iter__(self) -> Iterator[date]:
        return iter(self.days)

    def __len__(self) -> int:
        return len(self.days)


UNPRINTED_GUESS = "htmldate, a date the page never prints"
UPDATE_GUESS = "htmldate, the day the page prints as its last change"
ELSEWHERE_GUESS = "htmldate, the date of a comment or a teaser"
BROAD_SEARCH = "htmldate's broad search, a date the page prints"
ONE_PRINTED = "the one date the page prints"
LABELLED = "the one date the page labels as published"


def stated_days(stated: list[StatedDate]) -> set[date]:
    """The days the page's metadata and printed dates state."""
    return {item.reading.local.date() for item in stated if item.reading.local is not None}


def htmldate_statement(
    reading: DateReading,
    printed: PrintedDays,
    stated: set[date],
    elsewhere: Collection[date] = (),
) -> StatedDate:
    """htmldate's reading of the page, which guesses from its markup. A guess nothing the
    page states agrees with, on a page that prints full dates but never this one, is
    contradicted by the page itself: it counts for little (alone, too little to keep).
    So does one that only repeats the date the markup gives a comment or a teaser
    (`elsewhere`), or the day the page prints as its last change."""
    assert reading.local is not None
    day = reading.local.date()
    if day in stated:
        return StatedDate(reading, "htmldate", DATE_TRUST["htmldate"])
    if day in elsewhere:
        return StatedDate(reading, ELSEWHERE_GUESS, DATE_TRUST[ELSEWHERE_GUESS])
    if printed and day not in printed:
        return StatedDate(reading, UNPRINTED_GUESS, DATE_TRUST[UNPRINTED_GUESS])
    if day in printed.updates:
        return StatedDate(reading, UPDATE_GUESS, DATE_TRUST[UPDATE_GUESS])
    return StatedDate(reading, "htmldate", DATE_TRUST["htmldate"])


def guess_from_the_page(
    html: str, printed: PrintedDays, elsewhere: Collection[date] = ()
) -> StatedDate | None:
    """For a page whose statements give no date to keep: htmldate's broad search, which
    reads any date-like text in the markup, when its earliest and latest readings agree
    (the page shows one date, not a list of them) and the page prints that date for
    readers; else the one full date the page prints, when it prints only one. Never a
    date the markup gives a comment or a teaser (`elsewhere`), nor the page's last change."""
    try:
        earliest = htmldate.find_date(html, extensive_search=True, original_date=True)
        latest = htmldate.find_date(html, extensive_search=True, original_date=False)
    except (ValueError, TypeError):
        earliest = latest = None
    reading = read_stated_date(earliest) if earliest and earliest == latest else None
    if reading is not None and reading.local is not None:
        day = reading.local.date()
        if day in printed and day not in elsewhere and day not in printed.updates:
            return StatedDate(reading, BROAD_SEARCH, DATE_TRUST[BROAD_SEARCH])
    labelled = printed.labelled - set(elsewhere)
    if len(labelled) == 1:
        (day,) = labelled
        reading = DateReading(datetime(day.year, day.month, day.day), False, None, None)
        return StatedDate(reading, LABELLED, DATE_TRUST[LABELLED])
    if len(printed) == 1 and not set(printed) & (set(elsewhere) | printed.updates):
        (day,) = printed
        reading = DateReading(datetime(day.year, day.month, day.day), False, None, None)
        return StatedDate(reading, ONE_PRINTED, DATE_TRUST[ONE_PRINTED])
    return None


SIDE_BY_SIDE = 40  # characters at most between two dates printed as one stamp


def printed_near_headline(above: str, below: str, language: str = "") -> list[StatedDate]:
    """The first date printed just below the headline, and the nearest one above it.
    Two different days printed side by side under the headline (published and updated,
    in an order the page does not name) say nothing on which is which: neither counts.
    Different days above the headline date a list of other articles: none counts."""
    found = []
    for text, evidence, pick in (
        (below, "date under the headline", 0),
        (above, "date above the headline", -1),
    ):
        readings = [
            (start, end, r)
            for start, end, printed in printed_dates(text)
            if (r := read_printed_date(printed, language)) and r.local
        ]
        if not readings:
            continue
        if pick == 0 and len(readings) > 1 and _unnamed_pair(text, readings[0], readings[1]):
            continue
        if pick == -1 and len({reading.local.date() for _, _, reading in readings}) > 1:
            continue  # teasers of other articles, each with its date, above the headline
        found.append(StatedDate(readings[pick][2], evidence, DATE_TRUST[evidence]))
    return found


def _unnamed_pair(text: str, first: tuple, second: tuple) -> bool:
    """Two different days printed as one stamp, with no word saying which is the update."""
    (_, first_end, first_reading), (second_start, _, second_reading) = first, second
    between = text[first_end:second_start]
    return (
        second_start - first_end <= SIDE_BY_SIDE
        and first_reading.local.date() != second_reading.local.date()
        and not any(word in between.casefold() for word in sig.UPDATE_WORDS)
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
