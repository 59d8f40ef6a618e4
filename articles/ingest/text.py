"""Plain-text captures: find the title, byline, dateline, date and source, and keep only the
article's own paragraphs.

The rules are about the shape of lines (short or long, ending like a sentence or not, where
they sit) plus the data tables in signatures.py; nothing here knows any one capture.
Every word we output is copied from the capture: we cut and drop, never rewrite.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from functools import lru_cache
from typing import NamedTuple
from zoneinfo import ZoneInfo

from dateutil import parser as dateparser

from articles.ingest import signatures as sig
from articles.ingest.read import IngestError

TITLE_MAX = 300
DERIVED_TITLE_MAX = 90
HEADER_SCAN = 12  # a headline, masthead, date and byline sit within the first lines
HEADER_FURNITURE_MAX = 60  # ... even below a long menu, but not forever
HEADLINE_MAX_WORDS = 20
HEADLINE_MAX_CHARS = 150
SUBHEADING_MAX_WORDS = 10
PULL_QUOTE_MIN_WORDS = 4
PULL_QUOTE_CHECKS = 40  # each check scans the body once: cap them for huge inputs
ATTRIBUTION_MAX_WORDS = 8
LONG_PARAGRAPH = 1000  # a "paragraph" this long is really a whole article on one line
SENTENCES_PER_PARAGRAPH = 3
CLUTTER_MAX_CHARS = 400  # page furniture is short: skip the pattern scan on long lines
EARLIEST = date(1900, 1, 1)


@dataclass(frozen=True)
class Block:
    kind: str  # "p" paragraph, "h" sub-heading, "q" block quotation
    text: str


@dataclass(frozen=True)
class FieldEvidence:
    """How a reader found one field and how far to trust it: a weak guess is kept but
    flagged for review, so staff check the least certain fields first."""

    field: str  # "title", "published", "byline", "source", "body"
    evidence: str  # where it came from, e.g. "JSON-LD datePublished", "line above byline"
    confidence: float  # 0 (a guess) to 1 (stated by the page's own metadata)


@dataclass(frozen=True)
class ParsedArticle:
    title: str
    title_derived: bool
    source: str | None
    captured_from: str | None
    captured_from_kind: str | None
    published_date: date | None
    published_at: datetime | None
    published_tz: str | None
    byline: str
    dateline: str
    blocks: tuple[Block, ...]
    review_reasons: tuple[str, ...]
    encoding: str
    kind: str
    evidence: tuple[FieldEvidence, ...] = ()
    markup: str = ""  # the body's structure as HTML (saved pages), sanitised before storing

    @property
    def body(self) -> str:
        return "\n\n".join(block.text for block in self.blocks)


class Line(NamedTuple):
    """One non-empty line. A tuple, not a dataclass: there are many and they are cheap."""

    text: str
    blank_before: bool  # a blank line separates it from the previous line
    words: int  # shapes are computed once per line: they are asked for many times
    headline: bool

    @classmethod
    def of(cls, text: str, blank_before: bool, words: int | None = None) -> Line:
        words = word_count(text) if words is None else words
        return cls(text, blank_before, words, is_headline_like(text, words))


@dataclass(frozen=True)
class Dateline:
    place: str
    rest: str  # the paragraph with the dateline, stamp and credit removed
    stamp: str  # "12/10/2007 18:35" printed before the place, or ""
    month_day: tuple[int, int] | None  # (month, day) printed after the place
    full_date: str  # "March 18, 2008" when the dateline carries a year, else ""
    credit: str  # "RIA Novosti" in "MOSCOW (RIA Novosti) -", or ""


@dataclass(frozen=True)
class Published:
    published_date: date | None
    published_at: datetime | None
    published_tz: str | None
    reasons: tuple[str, ...]


@dataclass
class Evidence:
    """What the lines said about who wrote the article and where it was captured."""

    credits: list[sig.Source]
    sites: list[sig.Source]
    hints: list[str]

    def see_site_line(self, text: str) -> bool:
        """Record a source pattern, clutter or copyright line; True when it is not body."""
        if len(text) > CLUTTER_MAX_CHARS:
            return False  # page furniture is short
        if not _ANY_FURNITURE.fullmatch(text):
            return is_nav_line(text)  # one pass rules out every pattern at once
        pattern = match_source_pattern(text)
        if pattern is not None:
            source = SOURCES_BY_SLUG[pattern.slug]
            if pattern.role in ("credit", "masthead"):
                self.credits.append(source)
            if pattern.role in ("site", "masthead"):
                self.sites.append(source)
            return True
        clutter = match_clutter(text)
        if clutter is not None:
            if clutter.hint_kind:
                self.hints.append(clutter.hint_kind)
            return True
        owner = match_copyright(text)
        if owner is not None:
            if owner.kind in ("website", "aggregator", "blog"):
                self.sites.append(owner)
            else:
                self.credits.append(owner)
            return True
        return is_nav_line(text)


# -- Compiled tables ----------------------------------------------------------------------

SOURCES_BY_SLUG: dict[str, sig.Source] = {source.slug: source for source in sig.SOURCES}


def _alias_key(name: str) -> str:
    key = " ".join(name.casefold().split()).strip(" .,:;-–—|()[]")
    return key[4:] if key.startswith("the ") else key


SOURCES_BY_ALIAS: dict[str, sig.Source] = {
    _alias_key(alias): source for source in sig.SOURCES for alias in (source.name, *source.aliases)
}
SOURCES_BY_HOST: dict[str, sig.Source] = {
    host: source for source in sig.SOURCES for host in source.hosts
}


def _any_of(patterns: list[str]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{pattern})" for pattern in patterns))


_COPYRIGHT_PATTERN = (
    r"(?:©|\([cC]\)|Copyright|COPYRIGHT)\s*©?\s*(?:\d{4}(?:\s*[-–]\s*\d{4})?,?\s*)?"
    r"(?P<owner>[^\d\s].{0,80}?)(?:,?\s*\d{4}(?:\s*[-–]\s*\d{4})?)?\.?"
    r"(?:\s+All rights reserved\.?)?"
)
_COPYRIGHT = re.compile(_COPYRIGHT_PATTERN)
_SOURCE_PATTERNS = [(re.compile(p.pattern), p) for p in sig.SOURCE_PATTERNS]
_ANY_SOURCE_PATTERN = _any_of([p.pattern for p in sig.SOURCE_PATTERNS])
_CLUTTER = [(re.compile(c.pattern), c) for c in sig.CLUTTER_PATTERNS]
_ANY_CLUTTER = _any_of([c.pattern for c in sig.CLUTTER_PATTERNS])
_ANY_FURNITURE = _any_of(
    [p.pattern for p in sig.SOURCE_PATTERNS]
    + [c.pattern for c in sig.CLUTTER_PATTERNS]
    + [_COPYRIGHT_PATTERN]
)
_ANY_LABEL = _any_of([label.pattern for label in sig.LABEL_PATTERNS])
_DATE_FORMATS = [
    (re.compile(f"(?:{sig.DATE_LABEL})?{fmt.pattern}", re.IGNORECASE), fmt)
    for fmt in sig.DATE_FORMATS
]
_ANY_DATE_START = re.compile(r"[\w:]")

_BYLINE = re.compile(r"(?:By|BY|by)\s+(?P<who>[^\W\d_].{0,150})")

_WORD = re.compile(r"\w+")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")
_CLOSERS = "\"'”’»)]} "
_BULLET = re.compile(r"[-*•·–—]\s+\S")
_SENTENCE_GAP = re.compile(r"[.!?…][\"'”’»)\]]*\s+(?=[\"“‘'«(\[]?[A-Z0-9])")
_INITIAL = re.compile(r"(?:[A-Z]\.)+")
_QUOTE_OPENERS = "\"“‘«'"
_NOT_WORDS = re.compile(r"[\W_]+")
_NAV_SEPARATOR = re.compile("|".join(re.escape(sep) for sep in sig.NAV_SEPARATORS))

_STAMP = r"\d{1,2}[/.]\d{1,2}[/.]\d{4}(?:\s+\d{1,2}:\d{2})?|\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2})?"
_PLACE_WORD = r"[A-Z][\w.'’-]*"
_DATELINE = re.compile(
    rf"(?:(?P<stamp>{_STAMP})\s+)?"
    rf"(?P<place>{_PLACE_WORD}(?: {_PLACE_WORD}){{0,2}})"
    rf"(?:,\s*(?P<date>{sig.MONTH}\s+\d{{1,2}}(?:,\s*\d{{4}})?|\d{{1,2}}\s+{sig.MONTH}"
    rf"(?:\s+\d{{4}})?))?"
    r"(?:\s*\((?P<credit>[^()]{2,40})\))?"
    r"(?P<gap>\s*)(?P<sep>[-–—:])\s+"
    r"(?P<rest>[\"“‘'A-Z0-9].*)",
    re.DOTALL,
)
_MONTH_DAY = re.compile(
    rf"(?P<month>{sig.MONTH})\s+(?P<day>\d{{1,2}})|(?P<day2>\d{{1,2}})\s+"
    rf"(?P<month2>{sig.MONTH})"
)
_NUMERIC_DATE = re.compile(r"(?P<a>\d{1,2})[/.](?P<b>\d{1,2})[/.](?P<year>\d{4})")
_OFFSET = re.compile(r"(?P<sign>[+-])(?P<hours>\d{2}):?(?P<minutes>\d{2})")


# -- Line shapes ----------------------------------------------------------------------------


def word_count(text: str) -> int:
    return len(text.split())


def last_mark(text: str) -> str:
    """The last character that is not a closing quote or bracket."""
    stripped = text.rstrip(_CLOSERS)
    return stripped[-1] if stripped else ""


def is_headline_like(text: str, words: int | None = None) -> bool:
    """Short and not ending like a sentence: a headline, sub-heading, caption or menu."""
    return (
        len(text) <= HEADLINE_MAX_CHARS
        and (word_count(text) if words is None else words) <= HEADLINE_MAX_WORDS
        and last_mark(text) not in ".…,;:"
    )


def is_nav_line(text: str) -> bool:
    """A section menu or breadcrumb ("Americas Africa Europe Middle East")."""
    if len(text) > 300 or last_mark(text) in ".!?…":
        return False
    if len(_NAV_SEPARATOR.findall(text)) >= 2:
        return True
    words = text.split()
    return (
        len(words) >= 3
        and words[0].casefold() in sig.NAV_WORDS
        and all(word.casefold() in sig.NAV_WORDS for word in words)
    )


def is_section_name(text: str) -> bool:
    """A kicker naming the section ("World news"), not a headline."""
    return all(word.casefold() in sig.NAV_WORDS for word in text.split())


def match_clutter(text: str) -> sig.ClutterPattern | None:
    if len(text) > CLUTTER_MAX_CHARS or not _ANY_CLUTTER.fullmatch(text):
        return None
    return next((c for pattern, c in _CLUTTER if pattern.fullmatch(text)), None)


def match_source_pattern(text: str) -> sig.SourcePattern | None:
    if len(text) > CLUTTER_MAX_CHARS or not _ANY_SOURCE_PATTERN.fullmatch(text):
        return None
    return next((p for pattern, p in _SOURCE_PATTERNS if pattern.fullmatch(text)), None)


def match_copyright(text: str) -> sig.Source | None:
    if len(text) > 160:
        return None
    match = _COPYRIGHT.fullmatch(text)
    return lookup_source(match["owner"]) if match else None


def is_label(text: str) -> bool:
    """A picture or graphic label ("US missile defence graphic")."""
    return len(text) <= CLUTTER_MAX_CHARS and _ANY_LABEL.fullmatch(text) is not None


def take_dateline(blocks: list[Block], evidence: Evidence) -> tuple[Dateline | None, int | None]:
    """Cut the dateline ("MOSCOW, October 12 (RIA Novosti) -") off the lead paragraph, in
    place; a credit inside it outranks any other. Returns it and the lead's index."""
    lead_index = next((i for i, block in enumerate(blocks) if block.kind == "p"), None)
    if lead_index is None:
        return None, None
    dateline = find_dateline(blocks[lead_index].text)
    if dateline is not None:
        blocks[lead_index] = Block("p", dateline.rest)
        credited = lookup_source(dateline.credit) if dateline.credit else None
        if credited is not None:
            evidence.credits.insert(0, credited)
    return dateline, lead_index


def lookup_source(name: str) -> sig.Source | None:
    """A source by any of its printed names; None for names not in the table."""
    return SOURCES_BY_ALIAS.get(_alias_key(name))


def lookup_host(host: str) -> sig.Source | None:
    """A source by web host, trying parent domains (news.bbc.co.uk -> bbc.co.uk)."""
    parts = host.casefold().strip(".").split(".")
    for start in range(len(parts) - 1):
        source = SOURCES_BY_HOST.get(".".join(parts[start:]))
        if source is not None:
            return source
    return None


# -- Lines ----------------------------------------------------------------------------------


def split_lines(text: str) -> list[Line]:
    """Non-empty lines with collapsed spaces, remembering where blank lines were."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if _CONTROL.search(text):
        text = _CONTROL.sub(" ", text)
    lines: list[Line] = []
    blank = False
    for raw in text.split("\n"):
        words = raw.split()
        if not words:
            blank = True
            continue
        lines.append(Line.of(" ".join(words), blank, len(words)))
        blank = False
    return lines


def unwrap_hard_wrapped(lines: list[Line]) -> list[Line]:
    """Join lines of paragraphs that were wrapped at a fixed width (old e-mail and wire
    copy), where blank lines separate paragraphs and most lines fill the width."""
    if len(lines) < 6:
        return lines
    width = max(len(line.text) for line in lines)
    if not 55 <= width <= 100:
        return lines
    continued = [i for i in range(len(lines) - 1) if not lines[i + 1].blank_before]
    full = sum(1 for i in continued if len(lines[i].text) >= 0.6 * width)
    if full < 3 or full < 0.6 * len(continued):
        return lines
    merged: list[Line] = []
    previous_full = False
    for line in lines:
        if is_nav_line(line.text) or match_clutter(line.text):
            merged.append(line)  # menus and banners are never part of a paragraph
            previous_full = False
            continue
        if merged and not line.blank_before and previous_full:
            merged[-1] = Line.of(f"{merged[-1].text} {line.text}", merged[-1].blank_before)
        else:
            merged.append(line)
        previous_full = len(line.text) >= 0.6 * width
    return merged


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


def match_date_line(text: str) -> tuple[re.Match[str], sig.DateFormat] | None:
    """A line that is only a date, maybe with a "Last Updated:" label and a time."""
    if len(text) > 80 or not _ANY_DATE_START.match(text):
        return None
    for pattern, fmt in _DATE_FORMATS:
        match = pattern.fullmatch(text)
        if match:
            return match, fmt
    return None


def read_byline(text: str, evidence: Evidence) -> str | None:
    """The byline in "By Jonathan Marcus, BBC diplomatic correspondent", "" for an agency
    credit like "By RIA Novosti", None when the line is not a byline."""
    match = _BYLINE.fullmatch(text)
    if not match or last_mark(text) in ".;:":
        return None
    who = match["who"].strip()
    parts = [part.strip() for part in re.split(r",|\s\|\s|\s-\s", who) if part.strip()]
    if not parts or word_count(parts[0]) > 8 or not parts[0][0].isupper():
        return None
    name_words = parts[0].split()
    while len(name_words) > 1 and name_words[-1].casefold() in sig.STAFF_WORDS:
        name_words.pop()  # "Reuters staff" is Reuters
    for name in (who, parts[0], " ".join(name_words)):
        source = lookup_source(name)
        if source is not None:
            evidence.credits.append(source)
            return ""
    # "Jonathan Marcus, BBC diplomatic correspondent": the outlet opens the role.
    for part in parts[1:]:
        role_words = part.split()
        for size in range(min(4, len(role_words)), 0, -1):
            source = lookup_source(" ".join(role_words[:size]))
            if source is not None:
                evidence.credits.append(source)
                return parts[0]
    return parts[0]


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


def split_sentences(text: str) -> list[str]:
    """Sentences, not broken after "U.S.", "Mr." or an initial ("George W. Bush")."""
    sentences: list[str] = []
    start = 0
    for gap in _SENTENCE_GAP.finditer(text):
        word_start = text.rfind(" ", start, gap.start()) + 1
        token = text[word_start : gap.start() + 1].lstrip("\"'“‘(")
        if token in sig.ABBREVIATIONS or _INITIAL.fullmatch(token):
            continue
        end = gap.end()
        sentences.append(text[start:end].rstrip())
        start = end
    if start < len(text):
        sentences.append(text[start:])
    return sentences


def split_long_paragraph(text: str) -> list[Block]:
    """Split an article that arrived as one line into paragraphs: a quotation with its
    attribution stands alone, other sentences go in threes. Drops clutter sentences
    ("To watch the full press-conference ..., please, follow link.")."""
    if len(text) <= LONG_PARAGRAPH:
        return [Block("p", text)]
    paragraphs: list[list[str]] = [[]]
    for sentence in split_sentences(text):
        if match_clutter(sentence):
            continue
        opens_quote = sentence[0] in _QUOTE_OPENERS
        if paragraphs[-1] and (opens_quote or len(paragraphs[-1]) >= SENTENCES_PER_PARAGRAPH):
            paragraphs.append([])
        paragraphs[-1].append(sentence)
        if opens_quote:
            paragraphs.append([])
    return [Block("p", " ".join(p)) for p in paragraphs if p]


# -- Dateline -------------------------------------------------------------------------------


def find_dateline(paragraph: str) -> Dateline | None:
    """ "MOSCOW, October 12 (RIA Novosti) - The U.S. ..." -> place MOSCOW, credit, rest."""
    match = _DATELINE.match(paragraph[:300] if len(paragraph) > 300 else paragraph)
    if not match:
        return None
    place = match["place"]
    first = place.split()[0].rstrip(".,")
    if first in sig.NOT_PLACE_WORDS or len(place) > 40:
        return None
    if match["sep"] == ":" and not match["gap"] and not place.isupper() and not match["credit"]:
        return None  # "Sergei Lavrov: ..." is a speaker, not a place
    if not match["gap"] and not match["credit"] and not place.isupper():
        return None
    rest = paragraph[match.start("rest") :]
    if word_count(rest) < 3:
        return None
    month_day = None
    full_date = ""
    if match["date"]:
        day_match = _MONTH_DAY.search(match["date"])
        if day_match:
            month_name = (day_match["month"] or day_match["month2"]).rstrip(".").casefold()
            month_day = (
                sig.MONTH_NUMBERS[month_name],
                int(day_match["day"] or day_match["day2"]),
            )
        if re.search(r"\d{4}", match["date"]):
            full_date = match["date"]
    return Dateline(
        place=place,
        rest=rest,
        stamp=match["stamp"] or "",
        month_day=month_day,
        full_date=full_date,
        credit=(match["credit"] or "").strip(),
    )


# -- Dates ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class DateReading:
    local: datetime | None  # naive, as printed
    has_time: bool
    zone: tzinfo | None
    zone_name: str | None
    ambiguous: bool = False


def _zone_for(token: str | None) -> tuple[tzinfo | None, str | None]:
    if not token:
        return None, None
    token = token.strip()
    name = sig.ZONE_NAMES.get(token) or sig.ZONE_NAMES.get(token.upper())
    if name:
        return ZoneInfo(name), name
    offset = _OFFSET.fullmatch(token)
    if offset:
        sign = -1 if offset["sign"] == "-" else 1
        hours, minutes = int(offset["hours"]), int(offset["minutes"])
        delta = sign * timedelta(hours=hours, minutes=minutes)
        if not delta:
            return ZoneInfo("UTC"), "UTC"
        name = f"Etc/GMT{-sign * hours:+d}" if not minutes else None
        return timezone(delta), name
    return None, None


def resolve_dayfirst(
    first: int, second: int, month_day: tuple[int, int] | None, dayfirst: bool | None
) -> bool | None:
    """Whether "a/b/yyyy" is day-first: by the numbers, then by the month named in the
    dateline, then by the source's house style. None when it stays ambiguous."""
    if first == second:
        return True
    if first > 12:
        return True
    if second > 12:
        return False
    if month_day is not None:
        month, day = month_day
        if (second, first) == (month, day):
            return True
        if (first, second) == (month, day):
            return False
    return dayfirst


@lru_cache(maxsize=8192)
def parse_date_text(text: str, dayfirst: bool, yearfirst: bool) -> datetime:
    """dateutil, remembered: an archive repeats the same few thousand date lines, and
    dateutil is the slowest step of parsing a capture."""
    return dateparser.parse(text, dayfirst=dayfirst, yearfirst=yearfirst)


def read_date(
    match: re.Match[str],
    fmt: sig.DateFormat,
    *,
    month_day: tuple[int, int] | None,
    dayfirst: bool | None,
) -> DateReading | None:
    """Parse a matched date string with dateutil; None when it is not a real date."""
    date_text = match["date"]
    groups = match.re.groupindex
    time_text = match["time"] if "time" in groups else None
    zone_token = match["zone"] if "zone" in groups else None
    use_dayfirst = False
    if fmt.numeric:
        numbers = _NUMERIC_DATE.search(date_text)
        if numbers is None:
            return None
        resolved = resolve_dayfirst(int(numbers["a"]), int(numbers["b"]), month_day, dayfirst)
        if resolved is None:
            return DateReading(None, False, None, None, ambiguous=True)
        use_dayfirst = resolved
    text = date_text
    if time_text:
        clock = re.sub(r"(?<=\d)\.(?=\d)", ":", time_text).replace(".", "")
        text = f"{date_text} {clock}"
    try:
        local = parse_date_text(text, use_dayfirst, fmt.name == "iso")
    except (ValueError, OverflowError):
        return None
    zone, zone_name = _zone_for(zone_token) if time_text else (None, None)
    return DateReading(local.replace(tzinfo=None), bool(time_text), zone, zone_name)


def find_publication_date(
    header_dates: list[tuple[re.Match[str], sig.DateFormat]],
    dateline: Dateline | None,
    source: sig.Source | None,
    *,
    today: date | None = None,
) -> Published:
    """The publication date from header lines or the dateline stamp, never from the body."""
    month_day = dateline.month_day if dateline else None
    dayfirst = source.dayfirst if source else None
    candidates = list(header_dates)
    if dateline and dateline.stamp:
        candidates.extend(_match_date_text(dateline.stamp))
    if dateline and dateline.full_date:
        candidates.extend(_match_date_text(dateline.full_date))
    ambiguous = False
    reading = None
    for match, fmt in candidates:
        reading = read_date(match, fmt, month_day=month_day, dayfirst=dayfirst)
        if reading is not None and reading.ambiguous:
            ambiguous = True
            reading = None
        if reading is not None:
            break
    if reading is None or reading.local is None:
        reasons = ("date_ambiguous", "date_unknown") if ambiguous else ("date_unknown",)
        return Published(None, None, None, reasons)
    return check_plausible(reading, source, today=today)


def _match_date_text(text: str) -> list[tuple[re.Match[str], sig.DateFormat]]:
    found = match_date_line(text)
    return [found] if found else []


def check_plausible(
    reading: DateReading, source: sig.Source | None, *, today: date | None = None
) -> Published:
    """Refuse dates in the future or before 1900; give a time a zone and convert to UTC."""
    assert reading.local is not None
    today = today or datetime.now(UTC).date()
    local_date = reading.local.date()
    # A day of slack: the source's local date can be ahead of ours.
    if local_date < EARLIEST or local_date > today + timedelta(days=1):
        return Published(None, None, None, ("date_unknown", "date_implausible"))
    if not reading.has_time:
        return Published(local_date, None, None, ())
    zone, zone_name = reading.zone, reading.zone_name
    if zone is None and source is not None and source.tz:
        zone, zone_name = ZoneInfo(source.tz), source.tz
    if zone is None:
        return Published(local_date, None, None, ())
    published_at = reading.local.replace(tzinfo=zone).astimezone(UTC)
    return Published(local_date, published_at, zone_name, ())


# -- Titles ---------------------------------------------------------------------------------


def clip_on_word(text: str, limit: int) -> str:
    """At most `limit` characters, cut between words, with "…" when cut."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space > 0:
        cut = cut[:space]
    else:
        boundary = max((m.start() for m in re.finditer(r"\W", cut)), default=0)
        cut = cut[:boundary] if boundary > 0 else cut
    return cut.rstrip(" ,;:–—-") + "…"


def derive_title(lead: str) -> str:
    """A short title from the lead's first sentence, for captures without a headline."""
    sentences = split_sentences(lead[:600])
    first = sentences[0].strip() if sentences else lead.strip()
    if first.endswith(".") and first.split()[-1] not in sig.ABBREVIATIONS:
        first = first[:-1]
    return clip_on_word(first, DERIVED_TITLE_MAX)


# -- Sources --------------------------------------------------------------------------------


def pick_sources(
    evidence: Evidence,
) -> tuple[sig.Source | None, sig.Source | None, str | None]:
    """(credited source, site captured from, kind of site)."""
    source = evidence.credits[0] if evidence.credits else None
    site = evidence.sites[0] if evidence.sites else None
    if site is not None:
        return source, site, site.kind
    return source, None, evidence.hints[0] if evidence.hints else None


def review_reasons_for(
    *, title_derived: bool, date_reasons: tuple[str, ...], source, encoding: str
) -> tuple[str, ...]:
    """What staff should check: every guess the parser made, in one place for both kinds."""
    return collect_reasons(
        ("title_derived",) if title_derived else (),
        date_reasons,
        () if source else ("source_unknown",),
        () if encoding == "utf-8" else ("encoding_fallback",),
    )


def collect_reasons(*groups: tuple[str, ...] | list[str]) -> tuple[str, ...]:
    """Review reasons in the order of REVIEW_REASONS, without repeats."""
    found = {reason for group in groups for reason in group}
    return tuple(reason for reason in sig.REVIEW_REASONS if reason in found)


# -- The whole capture ----------------------------------------------------------------------


def parse_text(text: str, encoding: str = "utf-8", *, today: date | None = None) -> ParsedArticle:
    """A plain-text capture into a ParsedArticle."""
    evidence = Evidence([], [], [])
    lines = unwrap_hard_wrapped(split_lines(text))
    lines = cut_footer(lines, evidence)
    header = read_header(lines, evidence)
    blocks = strip_clutter(lines[header.body_start :], evidence)

    title, title_derived = header.title, False
    if not blocks and title:
        # A headline alone is all the text there is: keep it as the body too.
        blocks = [Block("p", title)]

    dateline, lead_index = take_dateline(blocks, evidence)
    if not blocks:
        raise IngestError("No article text is left once navigation and other clutter are removed.")

    if title:
        title = clip_on_word(title, TITLE_MAX)
    else:
        lead = blocks[lead_index].text if lead_index is not None else blocks[0].text
        title, title_derived = derive_title(lead), True

    source, site, site_kind = pick_sources(evidence)
    published = find_publication_date(header.date_matches, dateline, source, today=today)
    return ParsedArticle(
        title=title,
        title_derived=title_derived,
        source=source.name if source else None,
        captured_from=site.name if site else None,
        captured_from_kind=site_kind,
        published_date=published.published_date,
        published_at=published.published_at,
        published_tz=published.published_tz,
        byline=header.byline,
        dateline=dateline.place if dateline else "",
        blocks=tuple(blocks),
        review_reasons=review_reasons_for(
            title_derived=title_derived,
            date_reasons=published.reasons,
            source=source,
            encoding=encoding,
        ),
        encoding=encoding,
        kind="text",
    )
