"""Properties that hold for any input: only IngestError escapes, and no word is invented."""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from articles.ingest import IngestError, ParsedArticle, decode_capture, parse_capture

WORD = re.compile(r"\w+")
SEEDS = Path(__file__).resolve().parent.parent / "seeds"
FAST = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Lines that look like the pieces of a real capture, so the rules actually fire.
capture_lines = st.sampled_from(
    [
        "BBC News",
        "By RIA Novosti",
        "By Jonathan Marcus, BBC diplomatic correspondent",
        "Tuesday, March 18, 2008",
        "Last Updated: Tuesday, 18 March 2008, 14:50 GMT",
        "12/10/2007 18:35 MOSCOW, October 12 (RIA Novosti) - The U.S. and Russia failed.",
        "Washington : The US and Russia have made some progress on missile defence.",
        "Russia-US missile talks 'stalled'",
        "US missile defence graphic",
        "No comments:",
        "Join the GlobalSecurity.org mailing list",
        "Americas Africa Europe Middle East South Asia Asia Pacific",
        "Move forward",
        "“We agreed,” he said. Mr. Lavrov met U.S. envoys. The talks end.",
        "© 2008 Reuters",
        "",
    ]
)
capture_texts = st.lists(st.one_of(capture_lines, st.text(max_size=80)), max_size=25).map("\n".join)


def output_words(article: ParsedArticle) -> set[str]:
    parts = [article.title, article.byline, article.dateline, *(b.text for b in article.blocks)]
    return {word for part in parts for word in WORD.findall(part)}


def check_no_invented_words(data: bytes) -> None:
    try:
        article = parse_capture(data, "capture.txt")
    except IngestError:
        return
    # The text as read: decoded, and repaired where it was mojibake. A run of letters may
    # be cut where a capture ran two elements together ("KontaktImpressum"), so a word
    # given is a word read or a piece of one, never letters the capture does not hold.
    read = decode_capture(data).text
    read_words = set(WORD.findall(read))
    assert all(word in read_words or word in read for word in output_words(article))


@FAST
@given(st.binary(max_size=2000))
def test_any_bytes_either_parse_or_raise_ingest_error(data):
    try:
        parse_capture(data, "capture.txt")
    except IngestError as error:
        assert str(error)


@FAST
@given(st.text(max_size=2000))
def test_any_text_either_parses_or_raises_ingest_error(text):
    try:
        parse_capture(text.encode("utf-8"), "capture.txt")
    except IngestError as error:
        assert str(error)


@FAST
@given(st.text(max_size=2000))
@example("00aaAA00000\t0")  # capitals and digits after a small letter: no place to cut
@example(":::::aaAA::\x0c0")  # a short run of letters cut as if two elements were joined
def test_any_text_gets_no_invented_words(text):
    check_no_invented_words(text.encode("utf-8"))


@FAST
@given(capture_texts)
def test_capture_like_text_gets_no_invented_words(text):
    check_no_invented_words(text.encode("utf-8"))


@FAST
@given(capture_texts)
def test_parsed_capture_like_text_is_well_formed(text):
    try:
        article = parse_capture(text.encode("utf-8"), "capture.txt")
    except IngestError:
        return
    assert article.title and len(article.title) <= 300
    assert article.blocks and all(block.text for block in article.blocks)
    assert all(block.kind in {"p", "h", "q"} for block in article.blocks)
    assert (article.published_at is None) == (article.published_tz is None)
    assert article.published_at is None or article.published_at.utcoffset().total_seconds() == 0


@FAST
@given(st.sampled_from(sorted(SEEDS.glob("*.txt"))), st.integers(0, 3000), st.integers(0, 3000))
def test_any_slice_of_a_seed_gets_no_invented_words(path, start, length):
    text = path.read_text(encoding="utf-8")
    check_no_invented_words(text[start : start + length].encode("utf-8"))


def test_every_seed_gets_no_invented_words():
    for path in SEEDS.glob("*.txt"):
        check_no_invented_words(path.read_bytes())


date_pieces = st.tuples(
    st.sampled_from(["", "Monday, ", "Tues, ", "Thu. ", "FRIDAY ", "Sun, "]),
    st.sampled_from(["Jan", "February", "Mar.", "May", "June", "Sept.", "Sep", "OCT", "dec"]),
    st.sampled_from(["0", "1", "09", "12", "13", "1st", "22nd", "29", "31", "31ST"]),
    st.sampled_from(["0999", "1900", "2008", "2024"]),
    st.sampled_from(
        [
            "",
            " 14:35",
            ", 2:35 pm",
            " 12:30 AM",
            " 0:30 am",
            " 13:00 pm",
            " 14.35",
            " 9:05 a.m.",
            " 24:00",
            " 14:35:59",
            " 14:35 GMT",
        ]
    ),
    st.booleans(),
)


@settings(max_examples=300, deadline=None)
@given(date_pieces, st.integers(0, 32), st.integers(0, 32), st.sampled_from("/."))
def test_header_dates_read_as_dateutil_reads_them(pieces, first, second, separator):
    """The direct reading of a header date (no dateutil) gives dateutil's date, or none."""
    from dateutil import parser as dateutil_parser

    from articles.ingest.dates import match_date_line, read_date

    weekday, month, day, year, clock, month_first = pieces
    wordy = f"{month} {day}, {year}" if month_first else f"{day} {month} {year}"
    for text in (
        f"{weekday}{wordy}{clock}",
        f"{first:02d}{separator}{second}{separator}{year}{clock}",
        f"{year}-{first:02d}-{second:02d}{clock}",
    ):
        found = match_date_line(text)
        if found is None:
            continue
        match, fmt = found
        reading = read_date(match, fmt, month_day=None, dayfirst=True)
        date_text = match["date"]
        time_text = match["time"] if "time" in match.re.groupindex else None
        if time_text:
            clock_text = re.sub(r"(?<=\d)\.(?=\d)", ":", time_text).replace(".", "")
            date_text = f"{date_text} {clock_text}"
        try:
            expected = dateutil_parser.parse(
                date_text, dayfirst=fmt.numeric, yearfirst=fmt.name == "iso"
            )
        except (ValueError, OverflowError):
            expected = None
        assert (reading.local if reading else None) == expected, text
