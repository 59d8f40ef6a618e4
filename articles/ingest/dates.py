"""Dates and time zones: date lines, datelines ("MOSCOW, October 12 (RIA Novosti) -"),
day-first or month-first numeric dates, and the conversion of a local time to UTC."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from functools import lru_cache
from zoneinfo import ZoneInfo

from dateutil import parser as dateparser

from articles.ingest import signatures as sig
from articles.ingest.lines import word_count

EARLIEST = date(1900, 1, 1)


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


_DATE_FORMATS = [
    (re.compile(f"(?:{sig.DATE_LABEL})?{fmt.pattern}", re.IGNORECASE), fmt)
    for fmt in sig.DATE_FORMATS
]
_ANY_DATE_START = re.compile(r"[\w:]")
# Every header date format prints a year of four digits (checked, in case one is added that
# does not): a line without four digits in a row is no date line.
_FORMATS_NEED_YEAR = all(r"\d{4}" in fmt.pattern for fmt in sig.DATE_FORMATS)
_FOUR_DIGITS = re.compile(r"\d{4}")

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
_CLOCK_DOT = re.compile(r"(?<=\d)\.(?=\d)")  # "14.35" is "14:35"
_OFFSET = re.compile(r"(?P<sign>[+-])(?P<hours>\d{2}):?(?P<minutes>\d{2})")


def match_date_line(text: str) -> tuple[re.Match[str], sig.DateFormat] | None:
    """A line that is only a date, maybe with a "Last Updated:" label and a time."""
    if len(text) > 80 or not _ANY_DATE_START.match(text):
        return None
    if _FORMATS_NEED_YEAR and not _FOUR_DIGITS.search(text):
        return None  # one quick search rules out the lines without a year
    for pattern, fmt in _DATE_FORMATS:
        match = pattern.fullmatch(text)
        if match:
            return match, fmt
    return None


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


_DATEUTIL = dateparser.parserinfo()
# The shapes of sig.DATE_FORMATS' dates, read without dateutil (quick_date).
_QUICK_DATES = {
    "weekday month day year": re.compile(
        r"(?:(?P<weekday>[^\W\d_]+)\.?,?\s+)?(?P<month>[^\W\d_]+)\.?\s+(?P<day>\d{1,2})"
        r"(?:st|nd|rd|th)?,?\s+(?P<year>\d{4})",
        re.IGNORECASE,
    ),
    "day month year": re.compile(
        r"(?:(?P<weekday>[^\W\d_]+)\.?,?\s+)?(?P<day>\d{1,2})(?:st|nd|rd|th)?\s+"
        r"(?P<month>[^\W\d_]+)\.?,?\s+(?P<year>\d{4})",
        re.IGNORECASE,
    ),
    "iso": re.compile(r"(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})"),
    "numeric": re.compile(r"(?P<a>\d{1,2})(?P<sep>[/.])(?P<b>\d{1,2})(?P=sep)(?P<year>\d{4})"),
}
_QUICK_CLOCK = re.compile(
    r"(?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2}))?(?:\s*(?P<half>[ap])m)?",
    re.IGNORECASE,
)


def quick_date(date_text: str, clock: str, fmt: sig.DateFormat, dayfirst: bool) -> datetime | None:
    """What dateutil reads in a date of one of sig.DATE_FORMATS' shapes and a plain clock
    time, read directly; None when the text is in any way unusual (an unknown weekday or
    month name, an impossible day, an hour out of range), which dateutil then settles."""
    shape = _QUICK_DATES.get(fmt.name)
    match = shape.fullmatch(date_text) if shape is not None else None
    if match is None:
        return None
    year = int(match["year"])
    if fmt.numeric:
        first, second = int(match["a"]), int(match["b"])
        day, month = (first, second) if dayfirst else (second, first)
    elif fmt.name == "iso":
        if dayfirst:
            return None
        day, month = int(match["day"]), int(match["month"])
    else:
        weekday = match["weekday"]
        if weekday is not None and _DATEUTIL.weekday(weekday) is None:
            return None  # dateutil refuses a word it does not know ("Tues")
        month = _DATEUTIL.month(match["month"])
        if month is None:
            return None
        day = int(match["day"])
    if year < 1000 or not 1 <= month <= 12:
        return None
    hour = minute = second = 0
    if clock:
        time = _QUICK_CLOCK.fullmatch(clock)
        if time is None:
            return None
        hour, minute = int(time["hour"]), int(time["minute"])
        second = int(time["second"] or 0)
        half = time["half"]
        if half is not None:
            if not 1 <= hour <= 12:
                return None
            if half in "pP" and hour < 12:
                hour += 12
            elif half in "aA" and hour == 12:
                hour = 0
    try:
        return datetime(year, month, day, hour, minute, second)
    except ValueError:
        return None


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
        if dayfirst is None and "." in numbers[0]:
            dayfirst = True  # dots are day-first wherever they are written ("02.11.2021")
        resolved = resolve_dayfirst(int(numbers["a"]), int(numbers["b"]), month_day, dayfirst)
        if resolved is None:
            return DateReading(None, False, None, None, ambiguous=True)
        use_dayfirst = resolved
    text = date_text
    clock = ""
    if time_text:
        clock = _CLOCK_DOT.sub(":", time_text).replace(".", "")
        text = f"{date_text} {clock}"
    local = quick_date(date_text, clock, fmt, use_dayfirst)
    if local is None:
        try:
            local = parse_date_text(text, use_dayfirst, fmt.name == "iso")
        except (ValueError, OverflowError):
            return None
    zone, zone_name = _zone_for(zone_token) if time_text else (None, None)
    return DateReading(local.replace(tzinfo=None), bool(time_text), zone, zone_name)


def find_publication_date(
    header_dates: list[tuple[re.Match[str], sig.DateFormat]],
    dateline: Dateline | None,
    source: sig.SourceSignature | None,
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
    reading: DateReading, source: sig.SourceSignature | None, *, today: date | None = None
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


# -- Dates anywhere in a header line, in any common language --------------------------------

MONTH_KEYS = (
    "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december",
)  # fmt: skip
_FILLER = "|".join(sig.DATE_FILLERS)
# A capture runs a date into what is around it ("Winterspiele02 Feb. 2022", "6. November
# 20236. November 2023" for published and updated): a letter may come before the day, and
# a year of this or the last century may run into the next digits. Each pattern opens with a
# digit, the test for what comes before it after that digit: a search then skips quickly
# from digit to digit.
_GLUED_YEAR = r"(?P<year>(?:19|20)\d\d(?=\d)|\d{4}(?![\d:]))"
_WORDY_DMY = re.compile(
    r"(?P<day>\d(?<![\d.]\d)\d?)(?:\.|er|st|nd|rd|th|º)?\s*"
    rf"(?:(?:{_FILLER})\s+)?(?P<month>[^\W\d_]{{3,}})\.?,?\s+(?:(?:{_FILLER})\s+)?" + _GLUED_YEAR
)
_WORDY_MDY = re.compile(
    r"(?<!\w)(?P<month>[^\W\d_]{3,})\.?\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?,?\s+" + _GLUED_YEAR
)
# "14. - 20. Januar 2022", "3–5 May 2021": a span of days, dated by its first day (a
# weekly report's, an event's), not by the day its month and year follow.
_RANGE_START = re.compile(r"(?<![\d.])(?P<day>\d{1,2})\.?\s?[-–—]\s?$")
RANGE_START_CHARS = 8
_ISO_DATE = re.compile(
    r"(?P<year>\d(?<![\d/-]\d)\d{3})-(?P<month>\d{1,2})-(?P<day>\d{1,2})(?![\d-])"
)
_DOTTED_DATE = re.compile(
    r"(?P<day>\d(?<![\d.]\d)\d?)\.\s?(?P<month>\d{1,2})\.\s?(?P<year>\d{4})(?!\d|\.\d)"
)
# "04.05.20 14:50": a dotted date with the year's last two digits, as German pages print it.
_DOTTED_SHORT_DATE = re.compile(
    r"(?P<day>\d(?<![\w.]\d)\d?)\.(?P<month>\d{1,2})\.(?P<year>\d{2})(?![\w.])"
)
SHORT_YEAR_PIVOT = 50  # "04.05.20" is 2020, "12.03.98" 1998
_SLASHED_DATE = re.compile(
    r"(?P<a>\d(?<![\d/]\d)\d?)/(?P<b>\d{1,2})/(?P<year>(?:19|20)\d\d(?=\d)|\d{4}(?![\d/]))"
)
# What a month-first date holds: a day, then its year ("9, 2019", "3rd 2019").
_DAY_THEN_YEAR = re.compile(r"\d(?:st|nd|rd|th)?,?\s+\d{4}")
_HAS_YEAR = re.compile(r"\d(?:(?<=1)9\d\d|(?<=2)0\d\d|\.\d{1,2}\.\d\d)")


@lru_cache(maxsize=1)
def month_words() -> dict[str, int]:
    """Month names and abbreviations of DATE_LANGUAGES, casefolded, from dateparser's locale
    data (kept up to date by its maintainers); a name two languages disagree on is left out."""
    from dateparser.languages.loader import default_loader

    numbers: dict[str, set[int]] = {}
    for language in sig.DATE_LANGUAGES:
        info = default_loader.get_locale(language).info
        for number, key in enumerate(MONTH_KEYS, start=1):
            for name in info.get(key, ()):
                word = name.casefold().rstrip(".")
                if len(word) >= 3 and word.isalpha():
                    numbers.setdefault(word, set()).add(number)
    return {word: found.pop() for word, found in numbers.items() if len(found) == 1}


def _wordy_matches(pattern: re.Pattern[str], text: str) -> Iterator[re.Match[str]]:
    """pattern.finditer(text); the month-first pattern only on a text where a day is
    followed by a year, as it needs: it opens with the month's letters, so a search
    for it tries every word."""
    if pattern is _WORDY_MDY and not _DAY_THEN_YEAR.search(text):
        return iter(())
    return pattern.finditer(text)


def _valid(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def find_dates(text: str, dayfirst: bool | None = None) -> list[tuple[int, date]]:
    """Every full date (day, month and year) printed in `text`, with where it starts:
    "19. Oktober 2019", "Oct. 9, 2019", "2019-10-19", "19.10.2019", "19.10.19",
    "10/19/2019". Relative dates ("3 hours ago") and dates without a year are not dates.
    A slashed date whose day and month could be swapped is left out, unless `dayfirst`
    says which comes first (see page_date_order)."""
    if not _HAS_YEAR.search(text):
        return []
    found: list[tuple[int, date]] = []
    months = month_words()
    for pattern in (_WORDY_DMY, _WORDY_MDY):
        for match in _wordy_matches(pattern, text):
            month = months.get(match["month"].casefold())
            if month is not None:
                start, day = period_start(text, match.start(), int(match["day"]))
                value = _valid(int(match["year"]), month, day)
                if value is not None and not _runs_into_another(text, match, value, dayfirst):
                    found.append((start, value))
    # Each pattern skips from digit to digit, yet reads the whole line: one is run only on
    # a line holding the mark it needs (an ISO date's dash, a slashed date's slash).
    for pattern in (_ISO_DATE, _DOTTED_DATE) if "-" in text else (_DOTTED_DATE,):
        for match in pattern.finditer(text):
            value = _valid(int(match["year"]), int(match["month"]), int(match["day"]))
            if value is not None:
                found.append((match.start(), value))
    for match in _DOTTED_SHORT_DATE.finditer(text):
        year = int(match["year"])
        year += 2000 if year < SHORT_YEAR_PIVOT else 1900
        value = _valid(year, int(match["month"]), int(match["day"]))
        if value is not None:
            found.append((match.start(), value))
    for match in _SLASHED_DATE.finditer(text) if "/" in text else ():
        first, second = int(match["a"]), int(match["b"])
        resolved = resolve_dayfirst(first, second, None, dayfirst)
        if resolved is None:
            continue
        day, month = (first, second) if resolved else (second, first)
        value = _valid(int(match["year"]), month, day)
        if value is not None and not _runs_into_another(text, match, value, dayfirst):
            found.append((match.start(), value))
    return sorted(found)


def period_start(text: str, position: int, day: int) -> tuple[int, int]:
    """Where the date on `day` at `position` starts and its day, or, if it closes a span
    of days, the span's ("14. - 20. Januar 2022" -> 14)."""
    before = max(0, position - RANGE_START_CHARS)
    found = _RANGE_START.search(text[before:position])
    if found is None or int(found["day"]) >= day:
        return position, day  # no span, or one from the month before ("30.-2. Mai")
    return before + found.start(), int(found["day"])


def _runs_into_another(text: str, match: re.Match[str], value: date, dayfirst: bool | None) -> bool:
    """A date whose year runs into a different date ("29. Dezember 202230. Dezember
    2022": published and updated, in an order the line does not say): neither is read."""
    end = match.end()
    if not text[end : end + 1].isdigit():
        return False
    following = find_dates(text[end:], dayfirst)
    return bool(following) and following[0][0] == 0 and following[0][1] != value


def has_ambiguous_slashed_date(text: str) -> bool:
    """A slashed date whose day and month could be swapped ("03/05/2022")."""
    return any(
        resolve_dayfirst(int(match["a"]), int(match["b"]), None, None) is None
        for match in _SLASHED_DATE.finditer(text)
    )


def page_date_order(text: str) -> bool | None:
    """Whether a page writes its dates day first (True) or month first (False), by the
    dates it prints that say so: a slashed date with a day over 12, a dotted date, a
    month named after or before the day ("3 de mayo de 2022", "May 3, 2022"). None when
    nothing says so, or the page says both. A page keeps one order, so this settles its
    slashed dates that could be read either way ("03/05/2022")."""
    if not _SLASHED_DATE.search(text):
        return None
    orders: set[bool] = set()
    for match in _SLASHED_DATE.finditer(text):
        first, second = int(match["a"]), int(match["b"])
        if first != second and (first > 12 or second > 12):
            orders.add(first > 12)
    if _DOTTED_DATE.search(text):
        orders.add(True)
    months = month_words()
    for pattern, order in ((_WORDY_DMY, True), (_WORDY_MDY, False)):
        if order in orders:
            continue  # already said: the page need not be read for it again
        if any(months.get(match["month"].casefold()) for match in _wordy_matches(pattern, text)):
            orders.add(order)
    return orders.pop() if len(orders) == 1 else None
