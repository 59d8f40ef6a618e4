"""Plain-text captures: find the title, byline, dateline, date and source, and keep only the
article's own paragraphs.

The rules are about the shape of lines (short or long, ending like a sentence or not, where
they sit) plus the data tables in signatures.py; nothing here knows any one capture.
Every word we output is copied from the capture: we cut and drop, never rewrite.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from articles.ingest import signatures as sig
from articles.ingest.article import (
    TITLE_MAX,
    Block,
    FieldEvidence,
    ParsedArticle,
    assemble_article,
    clip_on_word,
    derive_title,
    pick_sources,
    review_reasons_for,
    split_long_paragraph,
    take_dateline,
)
from articles.ingest.dates import find_dateline, find_publication_date, match_date_line
from articles.ingest.lines import (
    Evidence,
    Line,
    is_headline_like,
    is_label,
    is_section_name,
    lookup_host,
    lookup_source,
    match_clutter,
    match_source_pattern,
    read_byline,
    split_lines,
    split_sentences,
    unwrap_hard_wrapped,
    word_count,
)

# Names the HTML reader and older callers import from here.
__all__ = [
    "HEADER_SCAN",
    "SUBHEADING_MAX_WORDS",
    "TITLE_MAX",
    "Evidence",
    "Block",
    "FieldEvidence",
    "ParsedArticle",
    "assemble_article",
    "clip_on_word",
    "derive_title",
    "find_dateline",
    "find_publication_date",
    "is_headline_like",
    "is_label",
    "lookup_host",
    "lookup_source",
    "match_clutter",
    "match_date_line",
    "match_source_pattern",
    "parse_text",
    "pick_sources",
    "read_byline",
    "review_reasons_for",
    "split_long_paragraph",
    "split_sentences",
    "take_dateline",
    "word_count",
]

HEADER_SCAN = 12  # a headline, masthead, date and byline sit within the first lines
HEADER_FURNITURE_MAX = 60  # ... even below a long menu, but not forever
SUBHEADING_MAX_WORDS = 10
PULL_QUOTE_MIN_WORDS = 4
PULL_QUOTE_CHECKS = 40  # each check scans the body once: cap them for huge inputs
ATTRIBUTION_MAX_WORDS = 8
_WORD = re.compile(r"\w+")
_BULLET = re.compile(r"[-*•·–—]\s+\S")
_NOT_WORDS = re.compile(r"[\W_]+")


def cut_footer(lines: list[Line], evidence: Evidence) -> list[Line]:
    """Drop everything from the first footer line that follows some article text: what
    comes after a "No comments:" or a site disclaimer is page chrome."""
    seen_paragraph = False
    for index, line in enumerate(lines):
        text = line.text
        if not line.headline and line.words >= 6:
            seen_paragraph = True
            continue
        if not seen_paragraph:
            continue
        pattern = match_source_pattern(text)
        clutter = match_clutter(text) if pattern is None else None
        if (pattern and pattern.footer) or (clutter and clutter.footer):
            for rest in lines[index:]:
                evidence.see_site_line(rest.text)
            return lines[:index]
    return lines


def trim_trailing_links(lines: list[Line]) -> list[Line]:
    """Drop a closing run of two or more headline-like lines: a list of links to other
    stories ("Has China's housing bubble burst?") or menus."""
    end = len(lines)
    while end > 0 and lines[end - 1].headline:
        end -= 1
    return lines[:end] if len(lines) - end >= 2 else lines


# -- Header ---------------------------------------------------------------------------------


@dataclass
class Header:
    title: str
    byline: str
    date_matches: list[tuple[re.Match[str], sig.DateFormat]]
    body_start: int


def read_header(lines: list[Line], evidence: Evidence) -> Header:
    """Classify the lines before the first paragraph: masthead, date, byline, credit,
    headline, and captions under the headline."""
    headline_like: list[int] = []
    name_lines: list[tuple[int, sig.Source]] = []
    date_matches: list[tuple[re.Match[str], sig.DateFormat]] = []
    byline = ""
    body_start = None
    considered = 0
    for index, line in enumerate(lines[:HEADER_FURNITURE_MAX]):
        text = line.text
        if evidence.see_site_line(text):
            continue  # menus and banners do not count towards the header's length
        considered += 1
        if considered > HEADER_SCAN:
            break
        date_match = match_date_line(text)
        if date_match:
            date_matches.append(date_match)
            continue
        found_byline = read_byline(text, evidence)
        if found_byline is not None:
            byline = byline or found_byline
            continue
        source = lookup_source(text) if len(text) <= 60 else None
        if source is not None:
            name_lines.append((index, source))
            continue
        name, comma, rest = text.partition(", ")
        credited = lookup_source(name) if comma else None
        date_match = match_date_line(rest) if credited else None
        if date_match:  # "The Guardian, Wednesday 19 March 2008"
            evidence.credits.append(credited)
            date_matches.append(date_match)
            continue
        if line.headline:
            headline_like.append(index)
            continue
        body_start = index
        break

    # A one-word line before a longer one is a kicker ("EUROPE"), not the headline.
    title_index = next(
        (i for i in headline_like if lines[i].words >= 2 and not is_section_name(lines[i].text)),
        None,
    )
    if title_index is None and headline_like:
        title_index = headline_like[0]
    for index, source in name_lines:
        # The outlet's name above the headline is its masthead; below, a credit.
        evidence.credits.append(source)
        if title_index is None or index < title_index:
            evidence.sites.append(source)

    if body_start is None:
        # No paragraph near the top: everything after the headline is body.
        body_start = (title_index + 1) if title_index is not None else 0
        if title_index is None and headline_like:
            body_start = headline_like[0]
    title = lines[title_index].text if title_index is not None else ""
    return Header(title, byline, date_matches, body_start)


# -- Body -----------------------------------------------------------------------------------


def _normalise_for_quote(text: str) -> str:
    return f" {_NOT_WORDS.sub(' ', text).casefold().strip()} "


class PullQuoteFinder:
    """Whether a short line repeats text from the paragraphs (a pull quote).

    Only paragraphs holding the line's longest word are normalised and searched, which
    keeps this cheap on long articles."""

    def __init__(self, paragraphs: list[str]) -> None:
        self.paragraphs = [paragraph.casefold() for paragraph in paragraphs]
        self.normalised: dict[int, str] = {}
        self.checks = 0

    def _normalised(self, index: int) -> str:
        if index not in self.normalised:
            self.normalised[index] = _normalise_for_quote(self.paragraphs[index])
        return self.normalised[index]

    def repeats_body(self, text: str) -> bool:
        if self.checks >= PULL_QUOTE_CHECKS:
            return False
        self.checks += 1
        longest = max(_WORD.findall(text), key=len, default="").casefold()
        if not longest:
            return False
        wanted = _normalise_for_quote(text)
        return any(
            wanted in self._normalised(index)
            for index, paragraph in enumerate(self.paragraphs)
            if longest in paragraph
        )


def strip_clutter(lines: list[Line], evidence: Evidence) -> list[Block]:
    """The article's own paragraphs and sub-headings, without menus, banners, captions,
    picture labels and pull quotes that repeat the text."""
    lines = trim_trailing_links(lines)
    pull_quotes = PullQuoteFinder([line.text for line in lines if not line.headline])
    blocks: list[Block] = []
    skip_attribution = False
    for index, line in enumerate(lines):
        text = line.text
        if skip_attribution and not line.blank_before and line.words <= ATTRIBUTION_MAX_WORDS:
            continue  # "Sergei Lavrov" / "Russian Foreign Minister" under a pull quote
        skip_attribution = False
        if evidence.see_site_line(text):
            continue
        if not line.headline:
            blocks.extend(split_long_paragraph(text))
            continue
        if _BULLET.match(text):
            blocks.append(Block("p", text))
            continue
        credited = lookup_source(text) if line.words <= 6 else None
        if credited is not None:
            evidence.credits.append(credited)  # the agency's name alone on a line
            continue
        if line.words >= PULL_QUOTE_MIN_WORDS and pull_quotes.repeats_body(text):
            skip_attribution = True
            continue
        if is_label(text):
            continue
        next_is_paragraph = index + 1 < len(lines) and not lines[index + 1].headline
        if line.words <= SUBHEADING_MAX_WORDS:
            # Between paragraphs it heads the next one; otherwise it labels something.
            if next_is_paragraph and blocks:
                blocks.append(Block("h", text))
            continue
        blocks.append(Block("p", text))
    return blocks


def parse_text(text: str, encoding: str = "utf-8", *, today: date | None = None) -> ParsedArticle:
    """A plain-text capture into a ParsedArticle."""
    evidence = Evidence([], [], [])
    lines = unwrap_hard_wrapped(split_lines(text))
    lines = cut_footer(lines, evidence)
    header = read_header(lines, evidence)
    blocks = strip_clutter(lines[header.body_start :], evidence)
    if not blocks and header.title:
        # A headline alone is all the text there is: keep it as the body too.
        blocks = [Block("p", header.title)]
    return assemble_article(
        title=header.title,
        blocks=blocks,
        byline=header.byline,
        evidence=evidence,
        date_matches=header.date_matches,
        encoding=encoding,
        kind="text",
        empty_message="No article text is left once navigation and other clutter are removed.",
        today=today,
    )
