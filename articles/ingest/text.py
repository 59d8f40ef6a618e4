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
from typing import NamedTuple

from articles.ingest import signatures as sig
from articles.ingest.article import (
    TITLE_MAX,
    Block,
    FieldEvidence,
    ParsedArticle,
    assemble_article,
    clip_on_word,
    dated_by_lines,
    derive_title,
    pick_sources,
    review_reasons_for,
    split_long_paragraph,
    take_dateline,
)
from articles.ingest.dates import (
    find_dateline,
    find_dates,
    find_publication_date,
    has_ambiguous_slashed_date,
    match_date_line,
    month_words,
    page_date_order,
)
from articles.ingest.leftover import with_other_text
from articles.ingest.lines import (
    CLUTTER_MAX_CHARS,
    GLUED_TOKEN_MIN,
    Evidence,
    Line,
    find_labelled_byline,
    glued_pieces,
    is_byline_label,
    is_commenter_line,
    is_furniture,
    is_headline_like,
    is_label,
    is_name,
    is_page_end,
    is_photo_credit,
    is_run_break,
    is_section_name,
    last_mark,
    lookup_host,
    lookup_source,
    match_clutter,
    match_source_pattern,
    opens_with_break_label,
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
BARE_NAME_MAX_WORDS = 4
_NAME_BEFORE_DATE = re.compile(
    r"(?P<who>[^\d|·•,]{3,60}?)\s+(?:am|on|le|el|il|um|at|den|,|\||·|•|-|–)\s*\d"
)
# A blog's user name after the date ("Veröffentlicht am 12. Juni 2017 von gizzmo").
_USER_AFTER_DATE = re.compile(
    r"(?:19|20)\d\d(?:,?\s+(?:um\s+)?\d{1,2}[:.]\d{2}(?:\s*Uhr)?)?\s+"
    r"(?:von|by|par|por|door)\s+(?P<who>[^\W\d_][\w.-]{2,29})\s*$"
)
# "am", "on", "le" right before a date: the day something was posted or written.
ON_DAY_WORDS = frozenset({"am", "on", "le", "el", "il", "vom"})
_DATE_PUNCTUATION = " :,;/|·•-–—()[]"
_SITE_NAME = re.compile(r"(?:www\.)?[\w-]+(?:\.[\w-]+)*\.[a-z]{2,6}", re.IGNORECASE)  # "Haus.de"
# A tags line, even framed or in capitals ("| Tags: B2B, Interview", "TAG:CVS Health, ...").
_TAGS_LABEL = re.compile(r"[|·•\s]*(?:tags?|keywords?|schlagw\w+|stichw\w+|etiquetas)\s*:", re.I)
_FRAME = " |·•"  # separators a header's pieces keep at their ends ("| By", "Jane Doe |")
# A caption naming its picture's source ("(Quelle: Foto Steven Vangermain)", "Heime
# haben zu wenig PflegekräfteSilviaJansen/Gettyimages").
_CREDIT_MARK = re.compile(
    r"©|\b(?:Quelle|Source|Fuente|Fotos?|Photos?|Bild|Credit|Images?)\b|\w/\w"
)
# A picture's credit inside a line makes it a caption ("... im Garten.© Hoklatherm",
# "Weniger Miete! Bild: Photo by Alexander Dummer on Unsplash").
_CAPTION_CREDIT = re.compile(
    r"©|(?<![\w-])(?:Fotos?|Photos?|Bild|Bildquelle|Images?|Credit|Crédit|Quelle|Source|Fuente)"
    r"\s?:|(?<![\w-])(?:Photo|Foto) (?:by|von)\b"
)
# A blog's user name after a byline label, alone or before a separator or the date
# ("von flerche", "Verfasst von: mitundvoneinander | 31. Dezember 2008", "Posted on
# 2015-04-05 by marc | Leave a comment"); the label opens the line or follows a date or
# a separator, never a word ("sorted by date").
_USER_BYLINE = re.compile(
    r"(?:^|[|·•]\s*|\d\s+)(?:"
    + "|".join(re.escape(label) for label in sorted(sig.BYLINE_LABELS, key=len, reverse=True))
    + r")(?:\s*:\s*|\s+)(?P<who>[^\W\d_][\w.-]{2,29})\s*(?:$|[|·•]|(?:am|on|um|le)\s+\d)"
)
_USER_NAME = re.compile(r"[^\W\d_][\w.-]{2,29}")
# A byline label of two words or more opening the line before a name ("Publicado por
# Alberto González La información es de ..."): a byline, whatever follows the name.
_PHRASE_BYLINE = re.compile(
    "(?:"
    + "|".join(re.escape(label) for label in sig.BYLINE_LABELS if " " in label)
    + r")\s+[^\W\d_a-zß-ÿ]"
)
_NAME_AFTER_DATE = re.compile(r"(?<!\d)(?:19|20)\d\d\s+(?P<who>[^\d|·•,]{3,60})$")
# A caption that ends with its picture's credit ("Delegates in Geneva. (Foto: Getty)",
# "Roman Prymula, photo: Archives du Gouvernement").
_CREDIT_AT_END = re.compile(
    r"(?:^|[\s(])(?:[Ff]otos?|[Pp]hotos?|[Pp]hotographs?|[Bb]ild|Bildquelle|Quelle|[Ss]ource|"
    r"Fuente|[Cc]redits?|[Ii]mages?|Imagen)\s?:\s?[^.!?:]{1,60}\)?$"
    r"|[\s(|]©\s?[^.!?:©]{1,60}\)?$"
)
# ... or that opens with the figure's number ("Abbildung 4: klassische Schwachschicht.").
_FIGURE_LABEL = re.compile(r"(?:Abbildung|Abb\.|Figure|Fig\.|Grafik|Tabelle|Table)(?:\s?\d+)?\s?:")
CAPTION_MAX_WORDS = 30
CREDIT_TAIL_CHARS = 100
_QUOTES = (("„", "“"), ("«", "»"), ("‘", "’"))
_DATE_SEPARATORS = re.compile(r"\s*[|·•,]\s*|\s+[-–—]\s+")
_LINK_MARKS = "»›→«‹←>"  # "Zum Deal »", "›› Politik": links, not headlines
_QUOTE_PARTNERS = {"«": "»", "»": "«", "‹": "›", "›": "‹"}  # ... unless they quote
_BYLINE_START = re.compile(r"(?:By|BY|by)\s")
_BREADCRUMB_STEP = re.compile(r"\s*[>›]\s*")
_BREADCRUMB_GUILLEMET = re.compile(r"\s*»\s+")  # "Start » Blog » Headline", not «quotes»
# "StartseiteDirekt", "KontoKontakt": a word run into the next with no space, as a
# capture runs a menu's items together; a headline's brand name or hashtag ("PayPal",
# "#NoAgreementToday") is one such word.
_GLUED_WORDS = re.compile(r"[a-zß-ÿ][A-ZÀ-Þ][a-zß-ÿ]")
_INTO_TIME = re.compile(r"[\d./-]*\d:\d")
_LETTER_INTO_DIGIT = re.compile(r"\d(?<=[^\W\d_]\d)")  # from the digit: a search skips to one
_DATE_START_GAP = re.compile(r"[\d./-]+")  # a numeric date and what it runs into
SITE_NAME_MAX_WORDS = 4
SHORT_JOIN_MIN = 6  # letters of a short word run into the next ("unsWie"), beyond a name
_WORD_EDGES = "\"'“”„«»‹›()[]:;,.!?"
_YEAR = re.compile(r"(?:19|20)\d\d\b")
RUN_IN_HEADLINE_WORDS = (4, 25)  # a headline run into its date and text, in words
BREADCRUMB_HEADLINE_WORDS = 4  # a breadcrumb's last step this long is a headline, not a section
KICKER_MAX_WORDS = 3  # words of a kicker or menu item run into a headline with a space
KEPT_MIN_WORDS = 3  # ... and the headline that is left, printed alone elsewhere


def cut_footer(lines: list[Line], evidence: Evidence) -> list[Line]:
    """Drop everything from the first footer line that follows some article text: what
    comes after a "No comments:" or a site disclaimer is page chrome."""
    seen_paragraph = False
    for index, line in enumerate(lines):
        text = line.text
        if not line.headline and line.words >= 6:
            seen_paragraph = True
            continue
        if not seen_paragraph or not line.furniture:
            continue
        pattern = match_source_pattern(text)
        clutter = match_clutter(text) if pattern is None else None
        if (pattern and pattern.footer) or (clutter and clutter.footer):
            for rest in lines[index:]:
                evidence.see_line(rest)
            return lines[:index]
    return lines


_POST_NUMBER = re.compile(r"#\d{1,5}")
POST_DATE_ABOVE = 2  # lines above a post's number where its date sits


def first_post(lines: list[Line]) -> list[Line]:
    """A forum thread numbers its posts ("#1", "#2" alone on a line, each under its date):
    the article is the opening post, not the longest reply. The lines end where the second
    post begins. A ranked list's numbers ("#1" over a restaurant's name) have no dates."""
    opened = False
    for index, line in enumerate(lines):
        if len(line.text) > 6 or not _POST_NUMBER.fullmatch(line.text):
            continue
        if not any(lines[i].dates for i in range(max(0, index - POST_DATE_ABOVE), index)):
            return lines
        if line.text == "#1":
            opened = True
        elif line.text == "#2" and opened:
            return lines[:index]
        else:
            return lines
    return lines


def trim_trailing_links(lines: list[Line]) -> list[Line]:
    """Drop a closing run of two or more headline-like lines: a list of links to other
    stories ("Has China's housing bubble burst?") or menus."""
    end = len(lines)
    while end > 0 and lines[end - 1].headline:
        end -= 1
    return lines[:end] if len(lines) - end >= 2 else lines


# -- Finding the article in a page ------------------------------------------------------------

LIST_MIN_TEASERS = 2
RUN_MAX_GAP = 5  # lines between two paragraphs of one article: sub-heading, caption, share bar
TITLE_INSIDE_RUN = 4  # lines into the run where the headline may still sit
INSIDE_RUN_PENALTY = 0.5
TITLE_WINDOW = 40  # lines above the article's text where its headline may sit
HEADER_BELOW_TITLE = 12  # lines under the headline where its date and byline may sit
DATE_ABOVE = 12  # lines above the headline where its date may sit
OPENING_LINES = 2  # paragraphs at the text's start that may open with a dateline
OPENING_SCAN = 5  # ... among its first lines
OPENING_DATE_MAX = 25  # ... where the date starts at most this far in
OPENING_DATE_SCAN = 160  # ... or after a header run into it
GLUED_MENU_JOINS = 2  # words run into the next this often make a line a menu, not a headline
GLUED_HEADER_WORDS = 3  # words of a section, author or credit glued before that date
TEXT_DATE_LINES = 4  # lines into the text where a short date line still dates the article
TEXT_DATE_LINE_MAX = 60  # ... and is short: a date, a byline, a section at most
DATE_BELOW_TEXT = 2  # lines under the text where a post's date alone may sit
SIGNATURE_BELOW_TEXT = 8  # ... and where a labelled one may, past tags or a share bar
BYLINE_BELOW_TEXT = 3  # lines under the text where a post may be signed
NEAR_TITLE = 4  # a date or byline this close confirms a headline
DATE_LINE_MAX = 150  # dates are read from short lines only: a paragraph's dates are news
TITLE_MIN_CHARS = 10
TITLE_WORDS = 8
# What confirms a headline, in the units of score_title (a quarter point per word).
REPEATED_BONUS = 0.5  # printed again in a page title, breadcrumb or list of posts
HEADER_BELOW_BONUS = 1.5  # a date or byline under it
RIVAL_MIN_WORDS = 3  # a headline-shaped line this long between a line and its date
STANDFIRST_HEADLINE_MIN = 4  # ... unless it is the standfirst under a headline this long
HEADER_ABOVE_BONUS = 1.0  # ... or just above it
DISTANCE_PENALTY = 0.01  # per line between it and the text
PARAGRAPH_MIN_WORDS = 5
PAGE_END_MIN = 200  # characters of text read before a comments line that may open them
PAGE_END_AFTER = 400  # ... that surely do, even under a headline
# A paragraph shorter than this after a gap at the end of the run closes the page.
TAIL_MAX_WORDS = 45
# How far to trust a headline by its score (see score_title).
TITLE_SURE = 2.5
TITLE_WEAK = 0.25
BARE_DATE_MAX = 40  # a date line inside the text's first lines: the date and a time at most
DATE_START_MAX = 40  # a header date opens its line ("Last Updated: 18 March 2008")
HEADER_DATE_WORDS = 3  # ... after a label or a name of a few words at most
CREDIT_AFTER_TEXT = 3  # an agency's name alone this close under the text credits it


@dataclass(frozen=True)
class ArticleSpan:
    """Where the article sits among a page's lines."""

    start: int  # first line of its header (headline, or the furniture right above it)
    title_index: int | None
    title_score: float
    body_first: int  # first paragraph of the longest run of sentence-like lines
    end: int  # one past that run's last paragraph


def is_paragraph_line(line: Line) -> bool:
    """A sentence-like line long enough to be article text ("Close this search box." is not)."""
    return (
        not line.headline
        and line.words >= PARAGRAPH_MIN_WORDS
        and not line.furniture
        and not is_glued_menu(line)
    )


GLUED_MENU_SHARE = 4  # one word in this many run into the next: a menu's items, not prose
GLUED_MENU_WORD_CHARS = 9  # ... which makes its words this long on average, spaces included


def is_glued_menu(line: Line) -> bool:
    """A long line of menu items run together ("FacebookTwitterInstagram...Menu")."""
    if len(line.text) < GLUED_MENU_WORD_CHARS * line.words:
        return False  # words of prose's length: most lines stop here, without a search
    joins = len(_GLUED_WORDS.findall(line.text))
    return joins >= 3 and joins * GLUED_MENU_SHARE >= line.words


def longest_run(lines: list[Line]) -> tuple[int, int]:
    """The longest coherent run of sentence-like lines, by characters: (first, one past
    last). Menus, related links and share bars between runs break them apart."""
    best, best_size = (0, len(lines)), -1
    start = last = end = None
    size = 0
    side_by_side = False  # two of the run's paragraphs are neighbours

    def closed_run_size() -> int:
        """The run just closed, by characters, when it may beat the best so far and is
        prose, not a list of posts; else -1. A run with no two paragraphs side by side (a
        list of teasers, each under its date and headline) counts only what is left once
        the short paragraphs after gaps that would end it are trimmed."""
        if start is None or size <= best_size or is_list_of_posts(lines[start : end + 1]):
            return -1
        if side_by_side:
            return size
        stop = trim_run_tail(lines, start, end + 1)
        return sum(len(lines[i].text) for i in range(start, stop) if is_paragraph_line(lines[i]))

    for index, line in enumerate(lines):
        if line.run_break:
            seen = max(best_size, size if start is not None else 0)
            if is_page_end(line.text) and not header_link(lines, index, seen):
                break  # the comment section: readers' text, not the article's
            last = None  # what follows is related links or a share bar
            continue
        if not is_paragraph_line(line):
            continue
        if last is not None and index - last - 1 <= RUN_MAX_GAP:
            size += len(line.text)
            side_by_side = side_by_side or index == last + 1
        else:
            closed = closed_run_size()
            if closed > best_size:
                best, best_size = (start, end + 1), closed
            start, size, side_by_side = index, len(line.text), False
        last = end = index
    if closed_run_size() > best_size:
        best = (start, end + 1)
    first, stop = best
    while stop - 1 > first and last_mark(lines[stop - 1].text) == ":":
        stop -= 1  # "Choose your access and read on:" introduces what is not there
    stop = trim_run_tail(lines, first, stop)
    while stop < len(lines) and is_closing_line(lines[stop]):
        stop += 1
    return first, stop


def is_teaser(line: Line) -> bool:
    """A paragraph that opens with a date run into its first word ("09.07.2021Schnell
    aufs Handy ...") or that runs dates into its words twice ("... zu sehen1. November
    2023Austausch mit ..."): a list of posts, each a date and a teaser, not prose."""
    text = line.text
    if not text[0].isdigit() and not _LETTER_INTO_DIGIT.search(text, 0, OPENING_DATE_SCAN):
        return False  # most paragraphs: no date near their start
    found = line.dates
    if not found:
        return False
    glued = [
        position
        for position, _ in found
        if position > 0 and text[position - 1].isalpha() or position == 0
    ]
    if len(glued) >= 2:
        return True
    if found[0][0] != 0:
        return False
    after = _DATE_START_GAP.match(text)
    return after is not None and text[after.end() : after.end() + 1].isalpha()


def is_related_links(line: Line) -> bool:
    """A line opening links to other stories ("Lesen Sie auch", "Related"), not a share
    bar's "Teilen": the dates under it are theirs."""
    return line.run_break and line.text.casefold().startswith(sig.RELATED_BREAKS)


def is_share_bar(line: Line) -> bool:
    """A share bar's line ("teilen twittern teilen E-Mail", "Share this:")."""
    return line.run_break and line.text.casefold().startswith(sig.SHARE_BREAKS)


def is_list_of_posts(run: list[Line]) -> bool:
    """A run that opens with a teaser, most of whose paragraphs are teasers, is a list of
    posts, however long. Asked only of a run that would be the longest so far, and of
    the rest of its paragraphs only when the first is a teaser: most runs are prose."""
    if not is_teaser(run[0]):  # a run opens with a paragraph
        return False
    paragraphs = [line for line in run if is_paragraph_line(line)]
    teasers = 1 + sum(1 for line in paragraphs[1:] if is_teaser(line))
    return teasers >= LIST_MIN_TEASERS and 2 * teasers >= len(paragraphs)


def is_closing_line(line: Line) -> bool:
    """A sentence right under the text that ends without a full stop, too long for a
    sub-heading or a link ("... jederzeit gerne gesehen!", "Additional reporting by
    Steve Gorman; Editing by ..."): the text's last line."""
    return (
        line.headline
        and line.words > SUBHEADING_MAX_WORDS
        and not line.furniture
        and not line.run_break
        and not _CAPTION_CREDIT.search(line.text)
        and not is_link_label(line.text)
        and "?" not in line.text  # "Do you want to know more? Sign up here"
        and word_count(line.text.partition(":")[0]) > 2  # "Mehr lesen: Headline"
        and word_count(re.split(r"[.!] ", line.text)[-1]) > 3  # "... zu laden. Inhalt laden"
    )


def header_link(lines: list[Line], index: int, seen: int) -> bool:
    """A "5 Kommentare" line after too little text for an article (a cookie notice, a
    newsletter prompt), or after a little under a headline: the header's link to the
    comments, not their start."""
    if seen < PAGE_END_MIN or seen >= PAGE_END_AFTER:
        return seen < PAGE_END_MIN
    return any(
        lines[i].words >= RIVAL_MIN_WORDS and is_title_candidate(lines[i])
        for i in range(max(0, index - NEAR_TITLE), index)
    )


def trim_run_tail(lines: list[Line], first: int, stop: int) -> int:
    """Where the article ends in its run: a short paragraph after a gap (a newsletter
    prompt, an author's note, a "posted in" line under a share bar) closes the page, not
    the article."""
    while True:
        last = stop - 1
        previous = next(
            (i for i in range(last - 1, first - 1, -1) if is_paragraph_line(lines[i])), None
        )
        if previous is None or previous == last - 1 or lines[last].words >= TAIL_MAX_WORDS:
            return stop
        stop = previous + 1


class PageLines:
    """What a page's lines say about headline candidates, each fact computed once."""

    def __init__(self, lines: list[Line]) -> None:
        self.lines = lines
        self.folded: dict[int, str] = {}
        self.header_lines: dict[int, bool] = {}
        self.rivals: dict[int, bool] = {}

    def fold(self, index: int) -> str:
        """The line case-folded, or "" when it is too long to be a headline's copy."""
        if index not in self.folded:
            text = self.lines[index].text
            self.folded[index] = text.casefold() if len(text) <= 300 else ""
        return self.folded[index]

    def copies(self, index: int) -> int:
        """Lines printing this line's text, itself included, whole or inside a page title
        or breadcrumb ("Headline | Site"): a headline is often repeated so."""
        wanted = self.fold(index)
        if not wanted:
            return 1
        limit = len(wanted) + 100
        # Case folding never shortens a line: one too long as printed is skipped unfolded.
        return sum(
            1
            for i, line in enumerate(self.lines)
            if len(line.text) <= limit and len(text := self.fold(i)) <= limit and wanted in text
        )

    def is_rival(self, index: int) -> bool:
        """A headline-shaped line of three words or more that is not a name."""
        if index not in self.rivals:
            line = self.lines[index]
            self.rivals[index] = (
                line.words >= RIVAL_MIN_WORDS
                and is_title_candidate(line)
                and not is_bare_name(line.text)
                and not _CREDIT_MARK.search(line.text)
            )
        return self.rivals[index]

    def is_header_line(self, index: int) -> bool:
        if index not in self.header_lines:
            self.header_lines[index] = is_header_line(self.lines[index])
        return self.header_lines[index]


def is_title_candidate(line: Line) -> bool:
    """Headline-shaped and not a menu, button, date, byline or outlet name."""
    text = line.text
    return (
        line.headline
        and line.words >= 2
        and len(text) >= TITLE_MIN_CHARS
        and not text.isupper()
        and not is_link_label(text)
        and any(char.isalpha() for char in text)
        and not is_section_name(text)
        and (not line.furniture or is_breadcrumb_to_headline(text))
        and not line.run_break
        and not opens_with_break_label(text)
        and not _TAGS_LABEL.match(text)
        and not _PHRASE_BYLINE.match(text)
        and not is_label(text)
        and match_date_line(text) is None
        and (not line.dates or is_glued_to_date(text))
        and find_labelled_byline(text) is None
        and lookup_source(text) is None
        and not _CAPTION_CREDIT.search(text)
        and sum(1 for word in text.split() if _GLUED_WORDS.search(word)) < GLUED_MENU_JOINS
    )


def breadcrumb_steps(text: str) -> list[str]:
    """A line cut at a breadcrumb's steps ("Home > News > Headline", "Start » Blog »
    Headline"); a line with none is one step. Guillemets that quote («...») are no steps.
    A pattern opening with spaces is tried at every character: only lines with a step's
    mark are split."""
    steps = _BREADCRUMB_STEP.split(text) if ">" in text or "›" in text else [text]
    if len(steps) < 3 and "«" not in text:
        steps = _BREADCRUMB_GUILLEMET.split(text) if "»" in text else [text]
    return steps


def is_breadcrumb_to_headline(text: str) -> bool:
    """A breadcrumb whose last step is an article's headline, not a section's name ("Home »
    News » Viviane Obenauf – Staatsanwaltschaft hat Beweise vorgelegt"): a menu line that
    still names the page."""
    steps = breadcrumb_steps(text)
    last = once(steps[-1])
    return (
        len(steps) >= 3
        and word_count(last) >= BREADCRUMB_HEADLINE_WORDS
        and is_headline_like(last)
        and not find_dates(last)
    )


def is_glued_to_date(text: str) -> bool:
    """A headline its date or byline ran into ("Headline18. März 2008"): the piece
    headline_piece keeps has no date."""
    piece = headline_piece(text)
    return piece != text and not find_dates(piece)


def glued_date(line: Line, dayfirst: bool | None = None) -> date | None:
    """The date a piece of a run-together line opens with ("Headline25. Oktober 2023")."""
    for piece in glued_pieces(line.text):
        found = find_dates(piece, dayfirst)
        if found and found[0][0] == 0:
            return found[0][1]
    return None


def is_link_label(text: str) -> bool:
    """A link's label marked by an arrow or chevron at either end ("Zum Deal »", "››
    Politik"); a headline quoting in guillemets ("«Gute Löhne reichen nicht»", "Näßler:
    «Liebe kennt keine Pause»", "»Einfach kein Geld mehr«") is not one."""
    first, last = text[0], text[-1]
    if first not in _LINK_MARKS and last not in _LINK_MARKS:
        return False
    return any(not is_quote_mark(text, mark) for mark in {first, last} & set(_LINK_MARKS))


def is_quote_mark(text: str, mark: str) -> bool:
    """A guillemet with its partner as often in the line: a quotation's mark."""
    partner = _QUOTE_PARTNERS.get(mark)
    return partner is not None and text.count(mark) == text.count(partner)


def header_date(line: Line, dayfirst: bool | None = None) -> date | None:
    """The date a short line opens with ("Last Updated: 18 March 2008, 14:50"); a date
    further along is a caption's or a paragraph's. `dayfirst`: the page's order of day
    and month, for its slashed dates."""
    if len(line.text) > DATE_LINE_MAX:
        return None
    found = line.dates if dayfirst is None else find_dates(line.text, dayfirst)
    if not found:
        return None
    position = found[0][0]
    if position <= DATE_START_MAX and not reads_as_sentence(line.text, position):
        return found[0][1]
    # A byline's date may come late ("Posted in Politics by Jane Doe on August 3, 2019").
    text = line.text
    byline = find_labelled_byline(text[: found[0][0]])
    return found[0][1] if byline else None


def reads_as_sentence(text: str, position: int) -> bool:
    """Words of a sentence before the date ("In seinem Beitrag von 5. Januar 2015 ..."):
    more than a label or a name, not ending in a word for "on" or "published", and
    neither a byline nor a headline the date ran into ("Headline!08.12.2022")."""
    words = [word for word in words_before(text, position) if any(c.isalpha() for c in word)]
    if len(words) <= HEADER_DATE_WORDS or not text[position - 1].isspace():
        return False
    last = words[-1].casefold().rstrip(":")
    if last in ON_DAY_WORDS or last in sig.PUBLISHED_WORDS:
        return False
    return find_labelled_byline(text[:position]) is None


def bare_date(line: Line, dayfirst: bool | None = None) -> date | None:
    """The date of a line that opens with it and says little else ("19.10.2019 12.09"):
    an event's or a tweet's date comes after words ("Termin: 21.02.2020")."""
    if len(line.text) > BARE_DATE_MAX:
        return None
    found = line.dates if dayfirst is None else find_dates(line.text, dayfirst)
    if not found:
        return None
    position, value = found[0]
    return value if position == 0 or after_weekday_only(line.text, position) else None


def after_weekday_only(text: str, position: int) -> bool:
    """Nothing but the day of the week before the date ("lundi 9 décembre 2019")."""
    words = words_before(text, position)
    return len(words) == 1 and words[0].casefold().strip(",.") in sig.WEEKDAY_WORDS


def words_before(text: str, position: int) -> list[str]:
    """The words before a date at `position`, none when nothing before it is a word (only
    punctuation or numbers: "12:30 |", "(")."""
    before = text[:position].strip(_DATE_PUNCTUATION)
    return before.split() if any(char.isalpha() for char in before) else []


def posted_date(
    line: Line, dayfirst: bool | None = None, *, after_weekday: bool = True
) -> date | None:
    """The date of a short line that is not a sentence and opens with it, after a word
    for "on" or (`after_weekday`: under the headline) a weekday or a publication label at
    most ("Erstellt am: 01.11.2023", "Posted on May 3, 2019", "Mittwoch, 01. November 2023
    - Handel", "Datum: 26. Januar 2022"): among or under the text, "Termin: 21.02.2020"
    or "Hamburg, den 02. Dezember 2022" date an event or a letter."""
    if len(line.text) > TEXT_DATE_LINE_MAX or is_paragraph_line(line):
        return None
    found = line.dates if dayfirst is None else find_dates(line.text, dayfirst)
    if not found:
        return None
    position, value = found[0]
    words = words_before(line.text, position)
    if not words:
        return value
    last = words[-1].casefold().rstrip(":")
    if last in ON_DAY_WORDS or (after_weekday and last in sig.PUBLISHED_WORDS):
        return value
    weekday = len(words) == 1 and line.text[:position].rstrip().endswith(",")
    weekday = weekday or after_weekday_only(line.text, position)
    return value if weekday and after_weekday else None


def is_header_line(line: Line) -> bool:
    """A date or byline line, which marks a headline's neighbourhood."""
    text = line.text
    if len(text) > DATE_LINE_MAX:
        return False
    return bool(header_date(line) or find_labelled_byline(text) or is_byline_label(text))


def is_repeated_menu(lines: list[Line], index: int) -> bool:
    """The same line twice in a row is a menu or gallery label, not a headline."""
    text = lines[index].text
    return any(0 <= i < len(lines) and lines[i].text == text for i in (index - 1, index + 1))


def score_title(page: PageLines, index: int, body_first: int, first: bool) -> float:
    """How much the page says that a line is the article's headline: long, a date or
    byline under it (or just above), repeated in a page title or breadcrumb, close to the
    text, or the first headline of a page that opens with its article."""
    lines = page.lines
    if index + 1 < len(lines) and is_photo_credit(lines[index + 1].text):
        return 0.0  # a picture's caption
    words = lines[index].words
    # Headlines run to a dozen words; a longer headline-shaped line is a standfirst.
    score = min(words, TITLE_WORDS) * 0.25 - max(0, words - 2 * TITLE_WORDS) * 0.1
    if first and body_first <= HEADER_SCAN:
        score += 1.0
    if lines[index].text[0].islower():
        score -= 1.0  # the rest of a wrapped sentence, or a button's label
    if 2 <= page.copies(index) <= 4 and not is_repeated_menu(lines, index):
        score += REPEATED_BONUS
    below = range(index + 1, min(len(lines), index + NEAR_TITLE + 1))
    header = next((i for i in below if page.is_header_line(i)), None)
    # The date or byline confirms the nearest headline above it, not a menu or a kicker
    # further up with another headline-shaped line between them.
    between = range(index + 1, header) if header is not None else range(0)
    rivals = [i for i in between if page.is_rival(i)]
    if rivals == [index + 1] and is_standfirst_under(lines, index):
        rivals = []  # a headline over its standfirst, over the date
        score += 2 * DISTANCE_PENALTY  # ... as close to the text as its standfirst
    if header is not None and not rivals:
        score += HEADER_BELOW_BONUS
    elif any(page.is_header_line(i) for i in range(max(0, index - 2), index)):
        score += HEADER_ABOVE_BONUS
    score -= DISTANCE_PENALTY * abs(body_first - index)
    return score


def is_standfirst_under(lines: list[Line], index: int) -> bool:
    """The line under a headline is its standfirst: longer than the headline and than a
    sub-heading, under a headline of a few words at least (not a kicker)."""
    headline, under = lines[index], lines[index + 1]
    return headline.words >= STANDFIRST_HEADLINE_MIN and under.words > max(
        headline.words, SUBHEADING_MAX_WORDS
    )


def locate_article(lines: list[Line]) -> ArticleSpan:
    """The headline and the article's text among menus, banners, related links and footers."""
    body_first, end = longest_run(lines)
    page = PageLines(lines)
    best, best_score = None, TITLE_WEAK
    first = True
    # A teaser or a notice just above the headline can open the run: look a few lines in.
    inside = min(end, body_first + TITLE_INSIDE_RUN)
    for index in range(max(0, body_first - TITLE_WINDOW), inside):
        if is_title_candidate(lines[index]):
            score = score_title(page, index, body_first, first and index < HEADER_SCAN)
            if index > body_first:
                score -= INSIDE_RUN_PENALTY
            first = False
            if score > best_score:
                best, best_score = index, score
    if best is not None and best > body_first:
        body_first = next(
            (i for i in range(best + 1, end) if is_paragraph_line(lines[i])), body_first
        )
    start = best if best is not None else body_first
    while start > 0 and is_header_furniture(lines[start - 1]):
        start -= 1
    return ArticleSpan(start, best, best_score if best is not None else 0.0, body_first, end)


def is_header_furniture(line: Line) -> bool:
    """A line read_header classifies above a headline: masthead, date, byline, banner."""
    text = line.text
    return bool(
        line.furniture
        or match_date_line(text)
        or _BYLINE_START.match(text)
        or (len(text) <= 60 and lookup_source(text))
    )


class HeaderDate(NamedTuple):
    value: date | None
    confidence: float
    conflicting: bool = False
    settled: bool = False  # chosen among different dates: the header's date lines may disagree


class PageOrder:
    """The page's order of day and month (page_date_order), read only for a line that
    prints an ambiguous slashed date: most pages never need it, and it reads the whole
    page."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.order: bool | None = None
        self.known = False

    def for_line(self, line: Line) -> bool | None:
        if "/" not in line.text or not has_ambiguous_slashed_date(line.text):
            return None
        if not self.known:
            self.order, self.known = page_date_order(self.text), True
        return self.order


def find_header_date(lines: list[Line], span: ArticleSpan, page: PageOrder) -> HeaderDate:
    """The date a short line opens with, under the headline (or above it, or above the
    text when there is no headline), and how far to trust it: a date right under the
    headline is the page's own; one further above may belong to something else. Two
    different dates there (published, updated, an event's) leave it unknown: a wrong
    date is worse than none."""
    labelled = labelled_publication_date(lines, span, page)
    if labelled is not None:
        return HeaderDate(labelled, 0.8)
    found: list[tuple[int, int, date]] = []
    below, above = header_ranges(span, above=DATE_ABOVE)
    # Related stories linked between the headline and the text bring their own dates.
    related = next((i for i in below if is_related_links(lines[i])), below.stop)
    for order, indexes in enumerate((range(below.start, related), above)):
        for index in indexes:
            if lines[index].furniture and is_update(lines[index]):
                continue  # "Letzte Aktualisierung am ... / Affiliate Links": a notice's
            value = header_date(lines[index], page.for_line(lines[index]))
            if value and not (index and is_commenter_line(lines[index - 1].text)):
                found.append((order, index, value))
    if span.title_index is not None and lines[span.title_index].dates:
        # The headline's date ran into it ("Headline25. Oktober 2023"): its own date, when
        # one of the line's pieces opens with it (not a masthead's day inside a menu).
        value = glued_date(lines[span.title_index], page.for_line(lines[span.title_index]))
        if value:
            found.append((0, span.title_index, value))
    if span.title_index is not None:
        # The text may start right under the headline (a standfirst, a caption): a line
        # there that is a date and little else still belongs to the header.
        for index in range(below.stop, min(span.end, span.title_index + NEAR_TITLE + 1)):
            value = bare_date(lines[index], page.for_line(lines[index]))
            if value is None and is_byline_label(lines[index - 1].text):
                # ... or the byline's line under its label ("Von" / "Deutscher Tennis
                # Bund 4. 2. 2022."), short as a header line is, with its date.
                value = header_date(lines[index], page.for_line(lines[index]))
            if value:
                found.append((0, index, value))
    if not found and span.title_index is not None:
        # ... nor a short line a little further in, under a standfirst or a picture, that
        # opens with a date ("Mittwoch, 01. November 2023 - Handel"): the first one.
        stop = min(span.end, below.stop + TEXT_DATE_LINES)
        for index in range(below.stop, stop):
            line = lines[index]
            value = posted_date(line, page.for_line(line))
            if value:
                return HeaderDate(value, 0.5)
    if not found:
        # The text's first paragraph may open with its date, as a dateline ("Wien, 14.
        # Dezember 2021 – Aufgrund ...", "06.11.23 - Sensation in ..."): one of the first
        # two, past captions or sub-headings between them.
        stop = min(span.end, span.body_first + OPENING_SCAN)
        opening = [i for i in range(span.body_first, stop) if is_paragraph_line(lines[i])]
        for index in opening[:OPENING_LINES]:
            value = opening_date(lines[index], page.for_line(lines[index]))
            if value:
                return HeaderDate(value, 0.5)
    if not found:
        # A blog may print its post's date under the text instead: a line that is a date
        # and little else, or says when it was posted ("Veröffentlicht am: 6. August
        # 2009"), on one of the two lines right under it (two dates: unknown).
        after = range(span.end, min(len(lines), span.end + DATE_BELOW_TEXT))
        below_text = {
            posted_date(lines[i], page.for_line(lines[i]), after_weekday=False) for i in after
        } - {None}
        if len(below_text) == 1:
            return HeaderDate(below_text.pop(), 0.5)
        if not below_text:
            value = signed_date_below(lines, span, page)
            if value is not None:
                return HeaderDate(value, 0.5)
        return HeaderDate(None, 0.0)
    if len({value for _, _, value in found}) > 1:
        settled = settle_header_dates(lines, span, found)
        if settled is None:
            return HeaderDate(None, 0.0, conflicting=True)
        return HeaderDate(settled, 0.5, settled=True)
    order, index, value = found[0]
    if order == 1:
        # Found only above the headline, where a masthead prints today's date: a first
        # paragraph that opens with the headline run into its own date outranks it.
        opening = headline_opening_date(lines, span, page) or run_in_headline_date(
            lines, span, page
        )
        if opening is not None:
            return HeaderDate(opening, 0.5, settled=True)  # over the masthead's date line
    titled = span.title_index is not None
    near = titled and abs(index - span.title_index) <= (NEAR_TITLE if not order else 3)
    return HeaderDate(value, 0.8 if near else 0.5)


def headline_opening_date(lines: list[Line], span: ArticleSpan, page: PageOrder) -> date | None:
    """The date the text's first paragraph gives right after the headline repeated at
    its start ("Drei Haselnüsse für Aschenbrödel: Jetzt Tickets sichern 30. Oktober 2023
    Carola Pönisch Kultur Die Ausstellung ..."), the header and text captured as one."""
    if span.title_index is None or not is_paragraph_line(lines[span.body_first]):
        return None
    line, headline = lines[span.body_first], lines[span.title_index].text
    if not line.text.startswith(headline):
        return None
    found = find_dates(line.text[: len(headline) + OPENING_DATE_MAX], page.for_line(line))
    if not found or found[0][0] < len(headline):
        return None
    before = line.text[len(headline) : found[0][0]]
    return found[0][1] if not before.strip(_DATE_PUNCTUATION) else None


def run_in_headline_date(lines: list[Line], span: ArticleSpan, page: PageOrder) -> date | None:
    """The date between a headline and the text that were captured as the first
    paragraph, the headline printed nowhere else ("Tribunal confirma la condena 05 de mayo
    de 2022 El Tribunal rechazó ..."): a stretch of a few words with no sentence's end,
    the date, then a capital opening the text."""
    line = lines[span.body_first]
    if not is_paragraph_line(line) or not line.dates:
        return None
    position, value = line.dates[0]
    head = line.text[:position].rstrip(_DATE_PUNCTUATION)
    words = head.split()
    if not RUN_IN_HEADLINE_WORDS[0] <= len(words) <= RUN_IN_HEADLINE_WORDS[1]:
        return None
    if not head[0].isupper() or any(mark in head for mark in ".!?"):
        return None
    if words[-1].casefold() in ON_DAY_WORDS:
        return None
    year = _YEAR.search(line.text, position, position + OPENING_DATE_MAX)
    if year is None:
        return None
    rest = line.text[year.end() :].lstrip(_DATE_PUNCTUATION)
    return value if rest[:1].isupper() else None


def labelled_publication_date(lines: list[Line], span: ArticleSpan, page: PageOrder) -> date | None:
    """The date a line under the headline opens with after a label that says it is the
    publication's ("Veröffentlicht: 26.12.2022", "Published on March 3, 2019"), past a
    standfirst and before the text's second paragraph: the page names it, where a date
    printed without a label beside the headline may be a masthead's or the last change's."""
    if span.title_index is None:
        return None
    header = byline_range(lines, span)
    for index in range(header.start, min(len(lines), header.stop + 1)):
        line = lines[index]
        if not line.dates:
            continue
        position = line.dates[0][0]
        words = [word.casefold().rstrip(":") for word in words_before(line.text, position)]
        if (
            words
            and len(words) <= 2
            and words[0] in sig.PUBLICATION_LABELS
            and all(word in sig.PUBLICATION_LABELS or word in ON_DAY_WORDS for word in words)
        ):
            dayfirst = page.for_line(line)
            return line.dates[0][1] if dayfirst is None else find_dates(line.text, dayfirst)[0][1]
    return None


def signed_date_below(lines: list[Line], span: ArticleSpan, page: PageOrder) -> date | None:
    """A post's date a few lines under its text, past tags or a share bar, where a label
    or a byline says whose it is: under "Erschienen am", "Date" or "von Ulrike", or
    after "am" in "Gespeichert von rasos am 24. Juli 2017". A commenter's ("Aylin
    sagt:", "Jane said, on ...") is the comment's; a date labelled only as published
    ("Veröffentlicht: 22. August 2012") may be a related post's."""
    for index in range(span.end, min(len(lines), span.end + SIGNATURE_BELOW_TEXT)):
        line = lines[index]
        if not line.dates or len(line.text) > TEXT_DATE_LINE_MAX:
            continue
        above = lines[index - 1].text
        if is_commenter_line(above) or said_by_commenter(line.text):
            return None  # the comments have begun
        value = posted_date(line, page.for_line(line))
        if value is None:
            continue
        words = words_before(line.text, line.dates[0][0])
        signed = len(words) >= 2 and words[-1].casefold() in ON_DAY_WORDS
        if signed or is_post_label(above):
            return value
        if is_share_bar(lines[index - 1]) and bare_date(line) is not None:
            return value  # a date alone under the share bar that closes the post
    return None


def is_post_label(text: str) -> bool:
    """A line that labels the date or the author under it ("Erschienen am", "Date",
    "von Ulrike")."""
    words = text.casefold().rstrip(":").split()
    if words and words[-1] in ON_DAY_WORDS:
        words.pop()
    labelled = bool(words) and len(words) <= 2 and words[-1] in sig.PUBLISHED_WORDS
    return labelled or find_labelled_byline(text) is not None


def said_by_commenter(text: str) -> bool:
    """A commenter's verb among the line's words ("stephangoeldi said, on August 3")."""
    words = {word.strip(",:;").casefold() for word in text.split()}
    return any(verb in words for verb in sig.COMMENTER_VERBS)


def settle_header_dates(
    lines: list[Line], span: ArticleSpan, found: list[tuple[int, int, date]]
) -> date | None:
    """The publication date among different header dates, when the page says which: an
    update's date ("Aktualisiert am 19.02.2020", "Updated: August 22, 2019") is not it,
    and dates under the headline that agree, the nearest within a few lines of it, outrank
    one other date above it (a teaser's, an event's). None when it stays unclear."""
    kept = [(order, index, value) for order, index, value in found if not is_update(lines[index])]
    if len({value for _, _, value in kept}) == 1:
        return kept[0][2]
    under = [(index, value) for order, index, value in kept if order == 0]
    if span.title_index is None or len({value for _, value in under}) != 1:
        return None
    index, value = under[0]
    single = len({found_value for _, found_value in lines[index].dates}) == 1
    if not single or index - span.title_index > NEAR_TITLE:
        return None
    if len({value for _, _, value in kept}) > 2 and not signed_beside(lines, index):
        return None  # a list of posts or events around the headline
    return value


def signed_beside(lines: list[Line], index: int) -> bool:
    """A byline on the line above or below a date line ("von flerche" over "21. September
    2019", "1. November 2023" over "Jane Doe"): the article's own header, which a list
    of events or posts around the headline does not have. A user name without a label
    is not enough: comments print one over each date."""
    for near in (index - 1, index + 1):
        if 0 <= near < len(lines) and len(lines[near].text) <= DATE_LINE_MAX:
            text = lines[near].text.rstrip(",")
            if find_labelled_byline(text) or _USER_BYLINE.search(text) or is_bare_name(text):
                return True
    return False


def opening_date(line: Line, dayfirst: bool | None = None) -> date | None:
    """The date a paragraph opens with, alone or after a place or a credit and a
    separator ("Wien, 14. Dezember 2021 – ...", "Red. / 31.10.2023 Die ..."), a bracket
    or a name and "am" ("Jon Nitz am 24. Januar 2022 um 15:47 Durch ..."): a dateline,
    where a date inside a sentence is the news's. A header run into the paragraph may
    put it further in: after a byline or a name ("Written by Jane Doe on April 29,
    2018It can be ..."), or run into a headline ("Headline kein Wohngeld18.02.2022, ...")."""
    if not is_paragraph_line(line):
        return None
    head = line.text[:OPENING_DATE_SCAN]
    found = find_dates(head, dayfirst)
    if not found or len({value for _, value in found}) > 1:
        return None  # none near the start, or two (created and modified): unclear
    position, value = found[0]
    if position > OPENING_DATE_MAX:
        return value if opens_with_header(head, position) else None
    words = words_before(head, position)
    if not words:
        return value
    place = len(words) <= 2 and head[:position].rstrip().endswith((",", "/", "|"))
    named = len(words) >= 2 and words[-1].casefold() in ON_DAY_WORDS and words[0][0].isupper()
    # A header's pieces run into the paragraph with no space ("Familie17/02/2022Ihre
    # Tochter ...", "Tanja Karrasch3.11.2023Für ..."): a sentence spaces its words.
    # A date run into a time ("macbacchi28.09.1912:44") is too garbled to read.
    glued = (
        len(words) <= GLUED_HEADER_WORDS
        and head[position - 1].isalpha()
        and not _INTO_TIME.match(head, position)
    )
    return value if place or named or glued else None


def opens_with_header(head: str, position: int) -> bool:
    """Before a date further into a paragraph, a header run into it: a byline or a
    name, or a headline the date is glued to."""
    before = head[:position].rstrip(_DATE_PUNCTUATION)
    if find_labelled_byline(before) or is_bare_name(before):
        return True
    return (
        (head[position - 1] in "?!" or head[position - 1].isalpha())
        and not _INTO_TIME.match(head, position)
        and is_headline_like(before)
    )


def is_update(line: Line) -> bool:
    """A date line naming a later change, not the publication ("Zuletzt aktualisiert")."""
    found = line.dates
    before = line.text[: found[0][0]].casefold() if found else ""
    return any(word in before for word in sig.UPDATE_WORDS)


def header_ranges(span: ArticleSpan, above: int = 3) -> tuple[range, range]:
    """Where a date or byline may sit: between the headline and the text (never inside
    the text), then above the headline, nearest first."""
    anchor = span.title_index if span.title_index is not None else span.body_first
    below = range(anchor + 1, min(span.body_first, anchor + HEADER_BELOW_TITLE + 1))
    return below, range(anchor - 1, max(-1, anchor - above - 1), -1)


def find_header_byline(lines: list[Line], span: ArticleSpan) -> tuple[str, float]:
    """The byline under the headline (past a standfirst, not into the text) or just above
    it, and how far to trust it: a labelled one ("Von Heike Buchter", "October 19, 2019 by
    IWB", a label alone above a name), a name beside the date ("Jon Nitz am 24. Januar
    2022"), or a bare name beside the date or under the headline."""
    below, above = header_ranges(span)
    if span.title_index is not None:
        below = byline_range(lines, span)
    bare: tuple[str, float] = ("", 0.0)
    user_name = ""
    for indexes in (below, above):
        for index in indexes:
            text = lines[index].text
            who = find_labelled_byline(text)
            # "By RIA Novosti" is a credit, "Redaktion Haus.de" the site's own desk.
            if who and lookup_source(who) is None and not _SITE_NAME.fullmatch(who):
                return who, 0.8
            if is_byline_label(text.strip(_FRAME)) and index + 1 < len(lines):
                # "Nikolai Huke," / "Berlin"; "| By" / "Cara Stiles |" framed by separators
                following = lines[index + 1].text.strip(_FRAME).rstrip(",")
                if is_name(following) or is_user_name(following):
                    return following, 0.7
            if len(text) > DATE_LINE_MAX or bare[0]:
                continue
            dated = header_date(lines[index]) is not None
            # "Letzte Aktualisierung am 2.02.2022": an update's label, not a name.
            who = name_beside_date(text) if dated and not is_update(lines[index]) else ""
            if who:
                bare = (who, 0.6)
            elif is_bare_name(text.rstrip(",")) and (
                beside_date(lines, index)  # "Christian Kahle," over "03.11.2023 15:32 Uhr"
                or (
                    not text.endswith(",")  # "Liebe Leserin," greets the reader
                    and (
                        index == (span.title_index or 0) + 1 or under_standfirst(lines, span, index)
                    )
                )
            ):
                bare = (text.rstrip(","), 0.5)
            elif text.casefold() in sig.DESK_BYLINES and beside_date(lines, index):
                bare = (text, 0.5)  # "Redaktion" over "1. November 2023 10:29"
            elif (
                not user_name
                and span.title_index is not None
                and 0 < abs(index - span.title_index) <= 2
                and is_user_name(text)
                and (index > span.title_index or is_handle(text))
                and not is_byline_label(text)
                and lookup_source(text) is None  # "CNN" over the date is the masthead
                and beside_date(lines, index)
            ):
                user_name = text  # "Tine" over "2. Februar 2020", beside the headline
            else:
                user = _USER_BYLINE.search(text)
                if user and lookup_source(user["who"]) is None:  # "By Reuters" is a credit
                    bare = (user["who"], 0.5)
    if bare[0]:
        return bare
    opening = byline_opening_text(lines, span)
    if opening:
        return opening, 0.5
    signed = byline_under_text(lines, span)
    return signed if signed[0] or not user_name else (user_name, 0.4)


def byline_opening_text(lines: list[Line], span: ArticleSpan) -> str:
    """The byline the first paragraph opens with before its date, where the header ran
    into the text ("Jon Nitz am 24. Januar 2022 um 15:47 Durch das ...", "Von Robert - 31.
    Dezember 2019 Wieso ...", "Tanja Karrasch3.11.2023Für ..."): the names before the
    date, labelled or alone, in one of the text's first two paragraphs."""
    stop = min(span.end, span.body_first + OPENING_SCAN)
    opening = [i for i in range(span.body_first, stop) if is_paragraph_line(lines[i])]
    for index in opening[:OPENING_LINES]:
        head = lines[index].text[:OPENING_DATE_SCAN]
        found = find_dates(head)
        if not found:
            continue
        before = head[: found[0][0]].rstrip(_DATE_PUNCTUATION)
        words = before.split()
        if words and words[-1].casefold() in ON_DAY_WORDS:
            before = before[: before.rfind(" ")].rstrip(_DATE_PUNCTUATION)
        who = find_labelled_byline(before)
        if who and lookup_source(who) is None:
            return who
        if is_bare_name(before):
            return before
    return ""


def byline_under_text(lines: list[Line], span: ArticleSpan) -> tuple[str, float]:
    """A labelled byline on the lines right under the text ("Autor: Jane Doe", "Posted by
    Jane Doe at 18:52", a name after a dash: "- Nadja Podbregar"): a blog or a press
    page signs its post at the end. A label alone
    over the name ("Eingestellt von" / "Weinlachgummi") may sit a few lines further
    down, past tags or a share bar, as a signed date does; not past a comment's start."""
    for index in range(span.end, min(len(lines), span.end + SIGNATURE_BELOW_TEXT)):
        text = lines[index].text
        if is_related_links(lines[index]) or is_page_end(text):
            break  # other stories' bylines, or the comments', follow
        if len(text) > DATE_LINE_MAX or lines[index].run_break:
            continue
        if is_commenter_line(text) or said_by_commenter(text):
            break  # the comments have begun
        who = find_labelled_byline(text)
        if who and lookup_source(who) is None:
            return who, 0.5
        signature = text.lstrip("-–— ")
        if index < span.end + BYLINE_BELOW_TEXT and signature != text and is_bare_name(signature):
            return signature, 0.5  # "- Nadja Podbregar": a signature under the text
        if is_byline_label(text) and index + 1 < len(lines):
            following = lines[index + 1].text
            if is_name(following) or is_user_name(following):
                return following, 0.5  # "Posted by" / "T. V. Raman"
    return "", 0.0


def is_handle(text: str) -> bool:
    """A user name shaped as one ("fri.juli", "MikeNils", "delta201"), not a word that
    could be a section over the headline ("Kultur")."""
    return (
        text[0].islower()
        or any(char in "._-" or char.isdigit() for char in text)
        or any(char.isupper() for char in text[1:])
    )


def is_user_name(text: str) -> bool:
    """A blog's user name alone on its line ("eseppelt", "delta201"): one word, not a
    menu word or a month."""
    return (
        _USER_NAME.fullmatch(text) is not None
        and not is_section_name(text)
        and not is_furniture(text)
        and text.casefold() not in month_words()
    )


def under_standfirst(lines: list[Line], span: ArticleSpan, index: int) -> bool:
    """Right under a standfirst that sits under the headline: where a byline follows."""
    title = span.title_index
    return (
        title is not None
        and title + 1 < index <= title + NEAR_TITLE
        and is_paragraph_line(lines[index - 1])
    )


def byline_range(lines: list[Line], span: ArticleSpan) -> range:
    """Under the headline, past a standfirst but not past the lead: bylines often follow
    the standfirst."""
    assert span.title_index is not None
    stop = min(len(lines), span.title_index + HEADER_BELOW_TITLE + 1)
    paragraphs = 0
    for index in range(span.title_index + 1, stop):
        if is_paragraph_line(lines[index]):
            paragraphs += 1
            if paragraphs == 2:
                return range(span.title_index + 1, index)
    return range(span.title_index + 1, stop)


def beside_date(lines: list[Line], index: int) -> bool:
    near = range(max(0, index - 2), min(len(lines), index + 3))
    return any(i != index and header_date(lines[i]) for i in near)


def is_bare_name(text: str) -> bool:
    """Two to four capitalised words alone on a line, none a menu word: a name."""
    words = text.split()
    return (
        2 <= len(words) <= BARE_NAME_MAX_WORDS
        and not text.isupper()
        and words[0] not in sig.BYLINE_LABELS
        and "," not in text
        and not is_furniture(text)
        and not is_run_break(text)
        and lookup_source(text) is None
        and is_name(text)
        and not is_section_name(text)
        and not any(word.casefold().strip(".") in month_words() for word in words)
    )


def name_beside_date(text: str) -> str:
    """The name in "Jon Nitz am 24. Januar 2022" or "1. Februar 2022, Daniel Dillenburg"."""
    match = _NAME_BEFORE_DATE.match(text)
    if match and is_bare_name(match["who"]):
        return match["who"]
    found = find_dates(text)
    before = text[: found[0][0]].strip(_DATE_PUNCTUATION) if found else ""
    if before and is_bare_name(before):
        return before  # "Bianca Praetorius2. Okt. 2022Das ...", "Jane Doe 18.03.2008"
    for part in _DATE_SEPARATORS.split(text):
        part = part.strip()
        if part and not any(char.isdigit() for char in part) and is_bare_name(part):
            return part
    user = _USER_AFTER_DATE.search(text)
    if user:
        return user["who"]
    # "26. September 2019 Ulrike Stockhausen Schreibe einen Kommentar": the name after
    # the date, before a link to the comments.
    after = _NAME_AFTER_DATE.search(without_comment_link(text))
    return after["who"] if after and is_bare_name(after["who"]) else ""


def without_comment_link(text: str) -> str:
    """The line without a closing link to the comments ("Schreibe einen Kommentar")."""
    folded = text.casefold()
    for phrase in sig.PAGE_ENDS:
        if folded.endswith(" " + phrase):
            return text[: -len(phrase)].rstrip()
    return text


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
    name_lines: list[tuple[int, sig.SourceSignature]] = []
    date_matches: list[tuple[re.Match[str], sig.DateFormat]] = []
    byline = ""
    body_start = None
    considered = 0
    for index, line in enumerate(lines[:HEADER_FURNITURE_MAX]):
        text = line.text
        if evidence.see_line(line):
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
    keeps this cheap on long articles; they are case-folded on the first question, which
    most articles never ask."""

    def __init__(self, paragraphs: list[str]) -> None:
        self.raw = paragraphs
        self.paragraphs: list[str] | None = None
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
        if self.paragraphs is None:
            self.paragraphs = [paragraph.casefold() for paragraph in self.raw]
        wanted = _normalise_for_quote(text)
        return any(
            wanted in self._normalised(index)
            for index, paragraph in enumerate(self.paragraphs)
            if longest in paragraph
        )


def strip_clutter(
    lines: list[Line], evidence: Evidence, *, keep: frozenset[Line] = frozenset()
) -> list[Block]:
    """The article's own paragraphs and sub-headings, without menus, banners, captions,
    picture labels and pull quotes that repeat the text; the lines in `keep` are text."""
    lines = trim_trailing_links(lines)
    pull_quotes = PullQuoteFinder([line.text for line in lines if not line.headline])
    blocks: list[Block] = []
    skip_attribution = False
    for index, line in enumerate(lines):
        text = line.text
        if skip_attribution and not line.blank_before and line.words <= ATTRIBUTION_MAX_WORDS:
            continue  # "Sergei Lavrov" / "Russian Foreign Minister" under a pull quote
        skip_attribution = False
        if line in keep:
            blocks.append(Block("p", text))
            continue
        if evidence.see_line(line):
            continue
        if line.words <= CAPTION_MAX_WORDS and is_caption(text):
            continue  # a picture's caption and credit
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


def is_caption(text: str) -> bool:
    """A picture's or a figure's caption: it ends with a credit or opens with a label."""
    tail = text[-CREDIT_TAIL_CHARS:]  # the credit ends the line: search only its end
    if ":" not in text and "©" not in tail:
        return False  # both shapes need one: most lines are ruled out without a pattern
    return bool(_CREDIT_AT_END.search(tail) or _FIGURE_LABEL.match(text))


def is_standfirst(line: Line) -> bool:
    """A headline-shaped line between the headline and the text that belongs to the
    article: a standfirst ending without a full stop ("Seit November ausgefallener Sender
    wieder aktiv – Erfreuliche Flugdaten ..."), not a dated byline or a caption."""
    return (
        is_closing_line(line)
        and not line.dates
        and find_labelled_byline(line.text) is None
        and not _CAPTION_CREDIT.search(line.text)
    )


def is_lead_in(line: Line) -> bool:
    """A headline-shaped line right over the first paragraph that opens it: a question or
    an exclamation ("Ihr kennt es sicher auch!"), not a date, a byline, a caption or a
    link. A statement there may be a caption or a video's title."""
    text = line.text
    return (
        line.headline
        and last_mark(text) in "!?"
        and (text[0].isupper() or text[0] in '„“"«»‚‘')
        and not line.furniture
        and not line.run_break
        and not line.dates
        and find_labelled_byline(text) is None
        and not _CAPTION_CREDIT.search(text)
        and not is_link_label(text)
    )


def parse_text(text: str, encoding: str = "utf-8", *, today: date | None = None) -> ParsedArticle:
    """A plain-text capture into a ParsedArticle."""
    evidence = Evidence([], [], [])
    lines = unwrap_hard_wrapped(split_lines(text))
    paragraphs = [line.text for line in lines]
    lines = first_post(cut_footer(lines, evidence))
    span = locate_article(lines)
    header = read_header(lines[span.start : span.end], evidence)
    body_start = span.start + header.body_start
    # Between the headline and the text only a standfirst is article text: captions,
    # photo credits and share bars there are not sub-headings. A standfirst with no
    # full stop sits right under the headline.
    under_title = body_start if span.title_index is None else span.title_index + 1
    standfirst = [
        lines[index]
        for index in range(min(body_start, under_title), span.body_first)
        if index >= body_start
        and is_paragraph_line(lines[index])
        or under_title <= index < under_title + NEAR_TITLE
        and is_standfirst(lines[index])
    ]
    # A line that opens the first paragraph right over it is text, short as it may be.
    lead = lines[span.body_first - 1] if span.body_first > under_title else None
    lead_in = [lead] if lead and lead not in standfirst and is_lead_in(lead) else []
    blocks = strip_clutter(
        standfirst + lead_in + lines[max(body_start, span.body_first) : span.end],
        evidence,
        keep=frozenset(lead_in),
    )
    see_credits_after(lines[span.end :], evidence)
    fields: list[FieldEvidence] = []
    title = header.title
    if span.title_index is not None:
        title = printed_alone(cut_short_join(lines[span.title_index].text, lines), lines)
        fields.append(title_evidence(span))
    if not blocks and title:
        # A headline alone is all the text there is: keep it as the body too.
        blocks = [Block("p", title)]

    byline = header.byline
    if byline:
        fields.append(FieldEvidence("byline", "a byline line in the header", 0.9))
    else:
        byline, confidence = find_header_byline(lines, span)
        if byline:
            fields.append(FieldEvidence("byline", "a name after a byline label", confidence))
    near_date = find_header_date(lines, span, PageOrder(text))
    date_matches = [] if near_date.conflicting or near_date.settled else header.date_matches
    if date_matches:
        # The date line's own reading comes first; the near date (read in the page's
        # order of day and month) stands in when that reading is ambiguous ("03/05/2022").
        fields.append(FieldEvidence("published", "a date line in the header", 0.9))
    elif near_date.value is not None:
        fields.append(FieldEvidence("published", "a date near the headline", near_date.confidence))
    parsed = assemble_article(
        title=title,
        blocks=blocks,
        byline=byline,
        evidence=evidence,
        date_rule=dated_by_lines(date_matches, near_date.value, today=today),
        date_reasons=("date_conflicting",) if near_date.conflicting else (),
        fields=tuple(fields),
        encoding=encoding,
        kind="text",
        empty_message="No article text is left once navigation and other clutter are removed.",
    )
    return with_other_text(parsed, paragraphs)


def headline_piece(text: str, token_min: int = GLUED_TOKEN_MIN) -> str:
    """The headline inside a line its kicker, menu or date ran into: the piece with the
    most words that is shaped like a headline ("SearchLieblingslabel: Faire Swimwear"
    -> "Lieblingslabel: Faire Swimwear"); the page title's headline without its site
    ("Headline | Site") and a breadcrumb's last step ("Forum>iPhone>Headline")."""
    text = once(page_title_headline(text))
    pieces = glued_pieces(text, token_min)
    if len(pieces) == 1:
        return text
    shaped = [
        piece
        for piece in pieces
        if word_count(piece) >= 2 and is_headline_like(piece) and not find_dates(piece)
    ]
    if not shaped:
        return text
    best = max(shaped, key=word_count)
    at = pieces.index(best)
    if at == 0 and not find_dates(text[len(best) :]):
        return text  # only a tail without a date would go: a word like "KnowledgeCamp"
    if any(opens_a_quote(piece) for piece in pieces[:at]):
        return text  # the join is inside a quotation: "„AllerVielfalt Verden“ bringt ..."
    return best


def cut_short_join(text: str, lines: list[Line]) -> str:
    """headline_piece, cutting also where a short word was run into the next ("Über
    unsWie spreche ich ...", "Evidence BasedThe 10 Best Ways") after a menu item or kicker
    of two words or more, unless the page prints that run-together word elsewhere: then
    it is a name ("Fans of FairCoin ...")."""
    title = headline_piece(text)
    if title != text:
        return title
    cut = headline_piece(text, SHORT_JOIN_MIN)
    if cut == text or len(text[: text.find(cut)].split()) < 2:
        return text  # a single word before the join is a name's first half: "SibenLab"
    joined = [word.strip(_WORD_EDGES) for word in text.split() if _GLUED_WORDS.search(word)]
    for line in lines:
        if text not in line.text and any(word in line.text for word in joined):
            return text
    return cut


def printed_alone(title: str, lines: list[Line]) -> str:
    """The headline without what was run into it with a space, when the page prints it
    alone elsewhere (a line, a page title, a breadcrumb's last step): a kicker or menu item
    before it ("Gesellschaft Headline"), a standfirst or a link after it ("Headline Die
    Polizei fand ...", "Headline (2021/5)‹ Zurück"). A kicker ending in a colon is the
    headline's own ("Pure Leere": ...), and a cut before a lower-case word is mid-phrase."""
    words = title.split()
    pieces: dict[str, str] = {}  # lower case (its length kept) -> as printed
    for cut in range(1, len(words)):
        head, tail = words[:cut], words[cut:]
        if (
            len(tail) >= KEPT_MIN_WORDS
            and cut <= KICKER_MAX_WORDS
            and tail[0][0].isupper()
            and head[-1][-1] not in ":-–—"
        ):
            pieces.setdefault(" ".join(tail).lower(), " ".join(tail))
        if len(head) >= KEPT_MIN_WORDS and (tail[0][0].isupper() or tail[0][0] == "("):
            pieces.setdefault(" ".join(head).lower(), " ".join(head))
    if not pieces:
        return title
    whole = title.lower()
    lengths = {len(piece) for piece in pieces}
    found = []
    for line in lines:
        # Most lines are neither as long as a piece nor a page title: skip them cheaply.
        if len(line.text) in lengths:
            marked = has_page_title_mark(line.text)
        elif len(line.text) <= CLUTTER_MAX_CHARS and has_page_title_mark(line.text):
            marked = True
        else:
            continue
        text = line.text.lower()
        if whole in text:
            continue
        for candidate in (text, page_title_headline(text)) if marked else (text,):
            if candidate in pieces:
                found.append(candidate)
    if not found:
        return title
    return pieces[max(found, key=len)]


def has_page_title_mark(text: str) -> bool:
    """A line holding a page title's or a breadcrumb's mark ("Headline | Site", "Home >
    News"): four plain searches, quicker than a pattern tried at each character."""
    return "|" in text or ">" in text or "›" in text or "»" in text


def once(text: str) -> str:
    """A headline printed twice in a row, as a breadcrumb's last step and the headline
    run together ("Peanut Butter TrufflesPeanut Butter Truffles"), once."""
    half = len(text) // 2
    if len(text) > 2 * TITLE_MIN_CHARS and text[:half] == text[-half:].strip():
        return text[:half].strip()
    return text


def opens_a_quote(text: str) -> bool:
    """A quotation mark opened in the text and not closed there."""
    return any(text.count(opening) > text.count(closing) for opening, closing in _QUOTES)


def page_title_headline(text: str) -> str:
    """ "Headline | Site" -> "Headline"; "Home>Section>Headline" and "Home » Section »
    Headline" -> "Headline"."""
    steps = breadcrumb_steps(text)
    if len(steps) >= 3 and word_count(steps[-1]) >= 2:
        return steps[-1]
    head, bar, site = text.rpartition(" | ")
    if bar and word_count(site) <= SITE_NAME_MAX_WORDS and word_count(head) > word_count(site):
        return head
    return text


def see_credits_after(lines: list[Line], evidence: Evidence) -> None:
    """Record what the lines under the article say about its source: a copyright line
    anywhere, an agency's name alone just under the text ("Interfax")."""
    for index, line in enumerate(lines):
        if evidence.see_line(line):
            continue
        if index < CREDIT_AFTER_TEXT and line.words <= 6:
            credited = lookup_source(line.text)
            if credited is not None:
                evidence.credits.append(credited)


def title_evidence(span: ArticleSpan) -> FieldEvidence:
    confidence = 0.9 if span.title_score >= TITLE_SURE else 0.5
    return FieldEvidence("title", "a headline-shaped line above the text", confidence)
