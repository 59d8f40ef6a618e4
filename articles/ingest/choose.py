"""Choose a saved page's title, date and authors from everything it states, by evidence.

Each rule says how far one kind of statement is trusted (measured on real pages, never
tuned to one site); statements that agree strengthen each other, statements that disagree
weaken the choice. Precision comes first: a date nothing vouches for is left unknown.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from functools import lru_cache
from zoneinfo import ZoneInfo

import dateparser

from articles.ingest.article import FieldEvidence
from articles.ingest.dates import DateReading, match_date_line, read_date
from articles.ingest.lines import lookup_source
from articles.ingest.metadata import PageMetadata, Statement

# How far each kind of statement is trusted on its own (a share of 1).
DATE_TRUST: dict[str, float] = {
    "JSON-LD datePublished": 0.85,
    "JSON-LD dateCreated": 0.6,
    "JSON-LD web page datePublished": 0.8,
    "meta article:published_time": 0.85,
    "microdata datePublished": 0.8,
    "microdata dateCreated": 0.5,
    "<time pubdate>": 0.7,
    "Dublin Core date issued": 0.8,
    "Dublin Core date created": 0.7,
    "Dublin Core date": 0.7,
    "meta date": 0.6,
    "first <time>": 0.65,
    "date in the page's address": 0.7,
    "date line above the article": 0.7,
    "htmldate": 0.6,
    "htmldate, a date the page never prints": 0.3,
    "htmldate, the date of a comment or a teaser": 0.3,
    "htmldate, the day the page prints as its last change": 0.3,
    # Guesses for a page whose statements give no date to keep: kept, flagged for review.
    "htmldate's broad search, a date the page prints": 0.55,
    "the one date the page prints": 0.55,
    "the one date the page labels as published": 0.55,
    "date under the headline": 0.95,
    "date above the headline": 0.7,
}
DEFAULT_DATE_TRUST = 0.6
DATE_FAMILIES = {
    "date under the headline": "printed",
    "date above the headline": "printed",
    "date line above the article": "printed",
    "date in the page's address": "address",
}
AGREEMENT_BONUS = 0.05
FAMILY_CAP = 0.95
DATE_KEEP = 0.5  # below this a date is left unknown: a wrong date is worse than none
DATE_SURE = 0.8  # below this a kept date is flagged for review
RIVAL_WEIGHT = 0.3  # how far a different date stated elsewhere undermines the choice

TITLE_SURE = 0.8
# How far each name a page gives its own site is trusted, to name an outlet the sources
# table does not know. twitter:site (a handle) and trafilatura's guess from the host do not
# name an outlet on their own.
SOURCE_TRUST: dict[str, float] = {
    "meta og:site_name": 0.6,
    "JSON-LD publisher": 0.6,
    "JSON-LD site name": 0.55,
    "meta application-name": 0.5,
    "meta publisher": 0.45,
    "meta dc.publisher": 0.45,
}
HOST_AGREEMENT = 0.2  # the name is the host's ("CBS News", www.cbsnews.com)
SOURCE_KEEP = 0.45
SOURCE_NAME_MAX = 60
AUTHOR_SURE = 0.7
AUTHOR_MAX_WORDS = 6
SITE_NAME_TRUST = 0.6  # share of its trust an author statement keeps when it names the site
AUTHORS_MAX = 4

_ISO = re.compile(
    r"(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})"
    r"(?:[T ](?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2})(?:\.\d+)?)?\s*"
    r"(?P<zone>Z|[+-]\d{2}:?\d{2})?)?"
)
_DOTTED = re.compile(r"(\d{1,2})\.\s?(\d{1,2})\.\s?(\d{4})")
_DATEPARSER_SETTINGS = {
    "REQUIRE_PARTS": ["day", "month", "year"],
    "DATE_ORDER": "DMY",
    "PREFER_DATES_FROM": "past",
    "RETURN_AS_TIMEZONE_AWARE": False,
}
_NON_WORD = re.compile(r"\W+")
_TITLE_SEPARATORS = re.compile(r"\s+[|–—:»·-]\s+|\s+::\s+|\s*\|\s*")
_AUTHOR_SPLIT = re.compile(r"\s*(?:,|;|\s&\s|\sand\s|\sund\s|\set\s|\sy\s|/)\s*")
_NOT_A_NAME = re.compile(r"[@<>{}=]|https?:|\d{3,}", re.IGNORECASE)


def norm(text: str) -> str:
    """Lower case with every run of punctuation and space made one space, for comparing."""
    return _NON_WORD.sub(" ", text.casefold()).strip()


# -- Dates ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class StatedDate:
    reading: DateReading
    evidence: str
    trust: float


def read_stated_date(value: str, printed: Collection[date] = ()) -> DateReading | None:
    """A date stated in metadata ("2008-03-18T10:00:00+03:00", "18 March 2008") as printed.
    A slashed date that reads either way ("11/01/2023") is read day first, unless only its
    month-first reading is among the days the page prints (`printed`)."""
    match = _ISO.match(value.strip())
    if match:
        try:
            if match["H"] is None:
                local = datetime(int(match["y"]), int(match["m"]), int(match["d"]))
            else:
                local = datetime(
                    int(match["y"]),
                    int(match["m"]),
                    int(match["d"]),
                    int(match["H"]),
                    int(match["M"]),
                )
        except ValueError:
            return None
        try:
            zone, zone_name = _offset_zone(match["zone"])
        except ValueError:  # "+25:00" is no offset: keep the day, drop the time
            return DateReading(local.replace(hour=0, minute=0), False, None, None)
        if zone_name == "UTC" and _is_local_midnight(local, match["S"]):
            return DateReading(
                local.replace(hour=0, minute=0) + timedelta(days=1), False, None, None
            )
        return DateReading(local, match["H"] is not None, zone, zone_name)
    found = match_date_line(value)
    if found is None:
        return None
    reading = read_date(*found, month_day=None, dayfirst=True)
    if "/" not in value:  # dots are day first wherever they are written
        return reading
    swapped = read_date(*found, month_day=None, dayfirst=False)
    if reading is None or reading.local is None or swapped is None or swapped.local is None:
        return reading
    day, other = reading.local.date(), swapped.local.date()
    if day != other and day not in printed and other in printed:
        return swapped
    return reading


# Hours of a local midnight east of Greenwich, written in UTC: a site that keeps only the
# day stores it as midnight where it is, and "2022-11-07" in Berlin reads back as
# "2022-11-06T23:00:00Z".
MIDNIGHT_EAST_HOURS = (22, 23)


def _is_local_midnight(local: datetime, seconds: str | None) -> bool:
    """A UTC time on the hour, to the second, at a local midnight east of Greenwich."""
    return local.hour in MIDNIGHT_EAST_HOURS and local.minute == 0 and int(seconds or 0) == 0


def _offset_zone(token: str | None) -> tuple[timezone | ZoneInfo | None, str | None]:
    """The zone of "Z" or "+03:00"; a whole-hour offset gets its tz database name."""
    if not token:
        return None, None
    if token == "Z" or token.replace(":", "") in ("+0000", "-0000"):
        return ZoneInfo("UTC"), "UTC"
    sign = -1 if token[0] == "-" else 1
    digits = token[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:])
    name = f"Etc/GMT{-sign * hours:+d}" if not minutes else None
    return timezone(sign * timedelta(hours=hours, minutes=minutes)), name


def read_printed_date(text: str, language: str = "") -> DateReading | None:
    """A date printed on the page in any common format and language; None if it is not one."""
    numbers = _DOTTED.fullmatch(text)
    try:
        if numbers:
            day, month, year = (int(part) for part in numbers.groups())
            return DateReading(datetime(year, month, day), False, None, None)
        if _ISO.fullmatch(text):
            return read_stated_date(text)
    except ValueError:
        return None
    local = _parse_words(" ".join(text.split()), language)
    return DateReading(local, False, None, None) if local is not None else None


@lru_cache(maxsize=4096)
def _parse_words(text: str, language: str) -> datetime | None:
    """dateparser, remembered: a site prints the same few dates on many pages. The page's
    language (and English) spares it guessing among all it knows, its slowest step."""
    attempts = [sorted({language, "en"}), None] if language else [None]
    for languages in attempts:
        try:
            found = dateparser.parse(text, languages=languages, settings=_DATEPARSER_SETTINGS)
        except (ValueError, TypeError, OverflowError):  # e.g. a language it does not know
            found = None
        if found is not None:
            return found
    return None


def _is_utc_near_midnight(reading: DateReading) -> bool:
    """A time stated in UTC close to midnight may fall on another day where it was published.
    So may one stated with no zone at all: many sites write UTC without saying so."""
    if not reading.has_time or reading.local is None:
        return False
    if reading.zone is not None and reading.zone_name != "UTC":
        return False
    return reading.local.hour >= 22 or reading.local.hour < 2


def read_metadata_dates(
    statements: list[Statement], printed: Collection[date] = ()
) -> list[StatedDate]:
    """The dates the page's metadata states, each read once, with the trust of its kind.
    `printed` holds the days the page prints, which settle a date stated either way."""
    stated: list[StatedDate] = []
    for statement in statements:
        reading = read_stated_date(statement.value, printed)
        if reading is not None and reading.local is not None:
            trust = DATE_TRUST.get(statement.evidence, DEFAULT_DATE_TRUST)
            stated.append(StatedDate(reading, statement.evidence, trust))
    return stated


def choose_published(
    metadata: list[StatedDate], extra: list[StatedDate]
) -> tuple[DateReading | None, FieldEvidence | None]:
    """The best-supported publication date, or None when nothing trustworthy agrees. Of
    the `metadata` dates, the first one read of each kind counts: later ones describe
    teasers and related articles."""
    stated: list[StatedDate] = list(extra)
    seen: set[str] = set()
    for item in metadata:
        if item.evidence not in seen:
            seen.add(item.evidence)
            stated.append(item)
    if not stated:
        return None, None
    support: dict[date, dict[str, float]] = {}
    for item in stated:
        assert item.reading.local is not None
        trust = item.trust * (0.6 if _is_utc_near_midnight(item.reading) else 1)
        by_evidence = support.setdefault(item.reading.local.date(), {})
        by_evidence[item.evidence] = max(by_evidence.get(item.evidence, 0), trust)
    scores = {day: _support_score(weights) for day, weights in support.items()}
    ranked = sorted(scores, key=lambda day: scores[day], reverse=True)
    best = ranked[0]
    confidence = scores[best]
    if len(ranked) > 1:
        confidence *= 1 - RIVAL_WEIGHT * scores[ranked[1]]
    evidence = " + ".join(sorted(support[best], key=lambda e: -support[best][e]))
    if len(ranked) > 1:
        evidence += (
            f" (against: {ranked[1].isoformat()} from "
            + " + ".join(sorted(support[ranked[1]]))
            + ")"
        )
    chosen = max(
        (item for item in stated if item.reading.local.date() == best),  # type: ignore[union-attr]
        key=lambda item: (item.reading.has_time and item.reading.zone is not None, item.trust),
    )
    return chosen.reading, FieldEvidence("published", evidence, round(confidence, 2))


def _support_score(by_evidence: dict[str, float], kinds: dict[str, str] | None = None) -> float:
    """How far statements of one value vouch for it. Metadata fields (and trafilatura's
    and htmldate's readings of them) mostly copy one value from the site's software, so
    within a family agreement adds little; what the page prints under the headline and the
    page's address are independent witnesses."""
    kinds = DATE_FAMILIES if kinds is None else kinds
    families: dict[str, list[float]] = {}
    for evidence, trust in by_evidence.items():
        families.setdefault(kinds.get(evidence, "metadata"), []).append(trust)
    return _combined(
        min(FAMILY_CAP, max(trusts) + AGREEMENT_BONUS * (len(trusts) - 1))
        for trusts in families.values()
    )


def _combined(weights) -> float:
    """Independent-looking statements for the same thing: 1 - the chance all are wrong."""
    doubt = 1.0
    for weight in weights:
        doubt *= 1 - weight
    return 1 - doubt


# -- Titles ---------------------------------------------------------------------------------


def strip_site_name(title: str, site_names: list[str]) -> str:
    """ "Talks stall | BBC News" -> "Talks stall": drop parts that name the site."""
    parts = [part for part in _TITLE_SEPARATORS.split(title) if part.strip()]
    if len(parts) < 2:
        return title
    sites = {norm(name) for name in site_names if name}
    sites |= {norm(name.removeprefix("www.").rsplit(".", 1)[0]) for name in site_names}
    kept = [
        part
        for part in parts
        if norm(part) not in sites and lookup_source(part) is None and not _names_site(part, sites)
    ]
    if not kept or len(kept) == len(parts):
        return title
    # Keep the separators inside the headline: cut only the site's own parts off the ends.
    start = title.find(kept[0])
    end = title.rfind(kept[-1]) + len(kept[-1])
    return title[start:end].strip() if 0 <= start < end else title


def _names_site(part: str, sites: set[str]) -> bool:
    key = norm(part).replace(" ", "")
    return bool(key) and any(key == site.replace(" ", "") for site in sites if site)


@dataclass(frozen=True)
class TitleChoice:
    title: str
    evidence: FieldEvidence | None
    heading: int | None  # which <h1> is the headline, where the page has one


def choose_title(meta: PageMetadata) -> TitleChoice:
    """The headline: a page heading the metadata confirms, else the metadata's own title."""
    stated = [(s, strip_site_name(s.value, meta.site_names)) for s in meta.titles]
    stated_keys = {norm(text) for _, text in stated} | {norm(s.value) for s, _ in stated}
    headings = list(enumerate(meta.headings[:5]))
    for index, heading in headings:
        key = norm(heading)
        if key and key in stated_keys:
            agrees = [s.evidence for s, text in stated if norm(text) == key or norm(s.value) == key]
            return TitleChoice(
                heading, FieldEvidence("title", f"<h1> matching {agrees[0]}", 0.95), index
            )
    for index, heading in headings:
        key = norm(heading)
        if len(key) >= 10 and any(key in norm(s.value) for s, _ in stated):
            found = FieldEvidence("title", "<h1> inside the page's stated title", 0.85)
            return TitleChoice(heading, found, index)
    first = 0 if headings else None
    for statement, text in stated:
        if statement.evidence != "document <title>":
            return TitleChoice(text, FieldEvidence("title", statement.evidence, 0.75), first)
    if meta.headings:
        found = FieldEvidence("title", "first <h1>, no stated title", 0.6)
        return TitleChoice(meta.headings[0], found, first)
    for statement, text in stated:
        confidence = 0.7 if text != statement.value else 0.55
        found = FieldEvidence("title", "document <title> without the site name", confidence)
        return TitleChoice(text, found, None)
    return TitleChoice("", None, None)


# -- Authors --------------------------------------------------------------------------------

AUTHOR_TRUST: dict[str, float] = {
    "JSON-LD author": 0.8,
    "microdata author": 0.8,
    "meta author": 0.6,
    "meta article:author": 0.65,
    "Dublin Core creator": 0.5,
    "JSON-LD web page author": 0.4,
    "trafilatura's byline": 0.6,
    "byline above the article": 0.7,
    "byline under the headline": 0.75,
    "rel=author link": 0.65,
    "author markup": 0.55,
}


AUTHOR_FAMILIES = {
    "byline above the article": "printed",
    "byline under the headline": "printed",
}


def split_names(value: str) -> list[str]:
    """Person names in an author statement ("Anna Beck, Tom Lee"), without "By" or roles."""
    value = re.sub(r"^(?:by|von|par|por|di|door|av)\s+", "", value.strip(), flags=re.IGNORECASE)
    names = []
    for part in _AUTHOR_SPLIT.split(value):
        part = part.strip(" .:-–—|")
        if not part or _NOT_A_NAME.search(part) or len(part.split()) > AUTHOR_MAX_WORDS:
            continue
        if not any(char.isalpha() for char in part):
            continue
        names.append(part)
    return names


def choose_authors(
    statements: list[Statement], site_names: list[str]
) -> tuple[list[str], FieldEvidence | None]:
    """The article's authors by the most trusted statements. An outlet in the sources table
    is a credit, not an author; the site's own name is a weak guess (blogs name their
    owner as publisher, so it is kept when nothing better is stated)."""
    sites = {norm(name) for name in site_names if name}
    votes: dict[str, dict[str, float]] = {}
    names_by_key: dict[str, str] = {}
    order: list[str] = []
    for statement in statements:
        for name in split_names(statement.value):
            trust = AUTHOR_TRUST.get(statement.evidence, 0.5)
            key = norm(name.replace("_", " "))  # "anna_beck" is Anna Beck
            if not key or lookup_source(name) is not None:
                continue
            if key in sites:
                trust *= SITE_NAME_TRUST
            if key not in votes:
                order.append(key)
                names_by_key[key] = name
            by_evidence = votes.setdefault(key, {})
            by_evidence[statement.evidence] = max(by_evidence.get(statement.evidence, 0), trust)
    if not votes:
        return [], None
    scores = {key: _support_score(weights, AUTHOR_FAMILIES) for key, weights in votes.items()}
    best = max(scores.values())
    # Co-authors stated by the same kind of statement as the best-supported name.
    chosen = [key for key in order if scores[key] >= best - 0.15][:AUTHORS_MAX]
    lead = max(chosen, key=lambda key: scores[key])
    evidence = " + ".join(sorted(votes[lead], key=lambda e: -votes[lead][e]))
    return [names_by_key[key] for key in chosen], FieldEvidence(
        "byline", evidence, round(scores[lead], 2)
    )


def choose_stated_source(
    statements: list[Statement], hosts: list[str]
) -> tuple[str, FieldEvidence | None]:
    """The outlet a page names itself by (og:site_name, JSON-LD publisher,
    application-name), stronger when statements agree and when the name is its host's.
    Never certain: a new outlet named this way is for staff to confirm."""
    votes: dict[str, dict[str, float]] = {}
    names_by_key: dict[str, str] = {}
    for statement in statements:
        name = statement.value.strip()
        trust = SOURCE_TRUST.get(statement.evidence, 0.0)
        key = norm(name)
        if not trust or not key or len(name) > SOURCE_NAME_MAX or _NOT_A_NAME.search(name):
            continue
        if name.casefold().startswith("www."):
            continue
        names_by_key.setdefault(key, name)
        by_evidence = votes.setdefault(key, {})
        by_evidence[statement.evidence] = max(by_evidence.get(statement.evidence, 0), trust)
    if not votes:
        return "", None
    host_labels = {_squash(label) for host in hosts if host for label in host.casefold().split(".")}
    scores = {}
    for key, weights in votes.items():
        score = max(weights.values()) + AGREEMENT_BONUS * (len(weights) - 1)
        if _squash(key) in host_labels:
            score += HOST_AGREEMENT
        scores[key] = round(min(score, FAMILY_CAP), 2)
    best = max(scores, key=lambda key: scores[key])
    if scores[best] < SOURCE_KEEP:
        return "", None
    said = sorted(votes[best], key=lambda e: -votes[best][e])
    if _squash(best) in host_labels:
        said.append("host name")
    return names_by_key[best], FieldEvidence("source", " + ".join(said), scores[best])


def _squash(text: str) -> str:
    return re.sub(r"[\W_]+", "", text.casefold())


def join_names(names: list[str]) -> str:
    """Names as one byline; "; " because a name may hold a comma ("Jones, London")."""
    return "; ".join(names)
