"""Line shapes: what a line of a capture looks like (a headline, a menu, a banner, a
byline, a sentence) and what it says about the article's source, by the tables in
signatures.py. Pure functions on one line at a time."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from articles.ingest import signatures as sig

HEADLINE_MAX_WORDS = 20
HEADLINE_MAX_CHARS = 150
CLUTTER_MAX_CHARS = 400  # page furniture is short: skip the pattern scan on long lines


class Line:
    """One non-empty line and what it looks like, each question answered once: the rules
    that find the headline, the text, the date and the byline all ask the same few
    questions of the same lines (is it furniture, a break, a date?), so the answers are
    kept on the line the first time they are asked."""

    __slots__ = ("_dates", "_furniture", "_run_break", "blank_before", "headline", "text", "words")

    def __init__(self, text: str, blank_before: bool, words: int, headline: bool) -> None:
        self.text = text
        self.blank_before = blank_before  # a blank line separates it from the previous line
        self.words = words
        self.headline = headline
        self._furniture: bool | None = None
        self._run_break: bool | None = None
        self._dates: list[tuple[int, date]] | None = None

    @classmethod
    def of(cls, text: str, blank_before: bool, words: int | None = None) -> Line:
        words = word_count(text) if words is None else words
        return cls(text, blank_before, words, is_headline_like(text, words))

    def __repr__(self) -> str:
        return f"Line({self.text!r}, blank_before={self.blank_before})"

    @property
    def furniture(self) -> bool:
        """A menu, banner, source or copyright line (is_furniture)."""
        if self._furniture is None:
            self._furniture = is_furniture(self.text)
        return self._furniture

    @property
    def run_break(self) -> bool:
        """A line opening related links, comments, a share bar or tags (is_run_break)."""
        if self._run_break is None:
            self._run_break = is_run_break(self.text)
        return self._run_break

    @property
    def dates(self) -> list[tuple[int, date]]:
        """Every full date the line prints, with where it starts (dates.find_dates)."""
        if self._dates is None:
            from articles.ingest.dates import find_dates  # dates.py builds on this module

            self._dates = find_dates(self.text)
        return self._dates


@dataclass
class Evidence:
    """What the lines said about who wrote the article and where it was captured."""

    credits: list[sig.SourceSignature]
    sites: list[sig.SourceSignature]
    hints: list[str]

    def see_line(self, line: Line) -> bool:
        """see_site_line for a line already classified: most lines are not furniture."""
        return line.furniture and self.see_site_line(line.text)

    def see_site_line(self, text: str) -> bool:
        """Record a source pattern, clutter or copyright line; True when it is not body."""
        if len(text) > CLUTTER_MAX_CHARS:
            return False  # page furniture is short
        if not _ANY_FURNITURE.fullmatch(text) and not has_keyword_clutter(text):
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

SOURCES_BY_SLUG: dict[str, sig.SourceSignature] = {source.slug: source for source in sig.SOURCES}


def _alias_key(name: str) -> str:
    key = " ".join(name.casefold().split()).strip(" .,:;-–—|()[]")
    return key[4:] if key.startswith("the ") else key


SOURCES_BY_ALIAS: dict[str, sig.SourceSignature] = {
    _alias_key(alias): source for source in sig.SOURCES for alias in (source.name, *source.aliases)
}
SOURCES_BY_HOST: dict[str, sig.SourceSignature] = {
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


def _first_of(patterns: list[str]) -> re.Pattern[str]:
    """Patterns (without groups of their own) in one, each its own group: a match's
    `lastindex` names the first of them, in order, that matches."""
    combined = re.compile("|".join(f"({pattern})" for pattern in patterns))
    if combined.groups != len(patterns):
        raise ValueError("a pattern with a group of its own would misname the matches")
    return combined


_SOURCE_PATTERNS = _first_of([p.pattern for p in sig.SOURCE_PATTERNS])
_CLUTTER = _first_of([c.pattern for c in sig.CLUTTER_PATTERNS])
_ANY_CLUTTER = _any_of([c.pattern for c in sig.CLUTTER_PATTERNS if not c.keyword])
# Each pattern with its keyword as printed at a sentence's start or inside it ("Cookies",
# "cookies"): one of the two is in any line the pattern matches.
_KEYWORD_CLUTTER = [
    (re.compile(c.pattern), (c.keyword, c.keyword.title()))
    for c in sig.CLUTTER_PATTERNS
    if c.keyword
]
# Each form without its first letter, which the two forms of a keyword mostly share; a
# tail holding another ("-mail" holds "mail") need not be looked for.
_TAILS = {form[1:] for _, forms in _KEYWORD_CLUTTER for form in forms}
_CLUTTER_KEYWORD_TAILS = tuple(
    sorted(tail for tail in _TAILS if not any(other in tail for other in _TAILS - {tail}))
)
_ANY_FURNITURE = _any_of(
    [p.pattern for p in sig.SOURCE_PATTERNS]
    + [c.pattern for c in sig.CLUTTER_PATTERNS if not c.keyword]
    + [_COPYRIGHT_PATTERN]
)
_ANY_LABEL = _any_of([label.pattern for label in sig.LABEL_PATTERNS])

_BYLINE = re.compile(r"(?:By|BY|by)\s+(?P<who>[^\W\d_].{0,150})")

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")
_CLOSERS = "\"'”’»)]} "
_SENTENCE_GAP = re.compile(r"[.!?…][\"'”’»)\]]*\s+(?=[\"“‘'«(\[]?[A-Z0-9])")
_INITIAL = re.compile(r"(?:[A-Z]\.)+")
_NAV_SEPARATOR = re.compile("|".join(re.escape(sep) for sep in sig.NAV_SEPARATORS))


# -- Line shapes ----------------------------------------------------------------------------


def word_count(text: str) -> int:
    return text.count(" ") + 1 if is_spaced(text) else len(text.split())


def is_spaced(text: str) -> bool:
    """Words separated by single spaces, none around them: what " ".join(text.split())
    gives back unchanged. Every other whitespace character is one isprintable refuses."""
    return (
        text != ""
        and text[0] != " "
        and text[-1] != " "
        and "  " not in text
        and text.isprintable()
    )


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
    if len(text) > CLUTTER_MAX_CHARS:
        return None
    if not _ANY_CLUTTER.fullmatch(text) and not has_keyword_clutter(text):
        return None
    match = _CLUTTER.fullmatch(text)
    return sig.CLUTTER_PATTERNS[match.lastindex - 1] if match else None


def has_keyword_clutter(text: str) -> bool:
    """A clutter line of the kind that is only tried on lines holding its keyword."""
    if not any(map(text.__contains__, _CLUTTER_KEYWORD_TAILS)):
        return False  # a few plain searches rule out most lines quicker than the patterns
    # Each pattern looks through the whole line: tried only where its own keyword is.
    return any(
        pattern.fullmatch(text)
        for pattern, forms in _KEYWORD_CLUTTER
        if forms[0] in text or forms[1] in text
    )


def match_source_pattern(text: str) -> sig.SourcePattern | None:
    if len(text) > CLUTTER_MAX_CHARS:
        return None
    match = _SOURCE_PATTERNS.fullmatch(text)
    return sig.SOURCE_PATTERNS[match.lastindex - 1] if match else None


def match_copyright(text: str) -> sig.SourceSignature | None:
    if len(text) > 160:
        return None
    match = _COPYRIGHT.fullmatch(text)
    return lookup_source(match["owner"]) if match else None


def is_label(text: str) -> bool:
    """A picture or graphic label ("US missile defence graphic")."""
    return len(text) <= CLUTTER_MAX_CHARS and _ANY_LABEL.fullmatch(text) is not None


def lookup_source(name: str) -> sig.SourceSignature | None:
    """A source by any of its printed names; None for names not in the table."""
    return SOURCES_BY_ALIAS.get(_alias_key(name))


def lookup_host(host: str) -> sig.SourceSignature | None:
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
    lines: list[Line] = []
    blank = False
    for raw in text.split("\n"):
        if not raw:
            blank = True
            continue
        if is_spaced(raw):
            # Most lines are already spaced as they would be rejoined: count, not split.
            # Such a line holds no control character either (none is printable).
            text, count = raw, raw.count(" ") + 1
        else:
            words = _CONTROL.sub(" ", raw).split()
            if not words:
                blank = True
                continue
            text, count = " ".join(words), len(words)
        if len(text) >= GLUED_LINE_MIN:
            pieces = split_glued(text)
            if len(pieces) > 1:
                lines.extend(Line.of(piece, blank) for piece in pieces)
                blank = False
                continue
        lines.append(Line.of(text, blank, count))
        blank = False
    return lines


# A lower-case letter (or a sentence's end) run straight into a capital: where a page's
# elements met when its line breaks were lost ("KontaktImpressum", "weiter.Der").
# The pattern takes the capital and looks back from it, so that a search skips from
# capital to capital; each join is where a match starts.
_GLUE = re.compile(r"[A-ZÀ-ÖØ-Þ](?<=[a-zß-öø-ÿ][a-zß-öø-ÿ.!?)”\"].)")
GLUED_LINE_MIN = 600
GLUE_EVERY = 3000  # a whole page on one line has a join at least this often
GLUE_MIN_CUTS = 2
GLUED_TOKEN_MIN = 11  # letters run together beyond a long word
_WORD_RUN = re.compile(r"\w*")


def is_join(text: str, cut: int, token_min: int = GLUED_TOKEN_MIN) -> bool:
    """Where two elements met: after a sentence's end ("weiter.Der") or inside a run of
    letters too long for one word ("KontaktImpressum"); "YouTube" and "PowerPoint" are
    words. A capital followed by no letter, or capitals followed by digits, start a code,
    not a word ("aaA0000", "aaAA00000")."""
    if text[cut - 1] in '.!?)”"':
        return True
    if not text[cut + 1 : cut + 2].isalpha():
        return False
    if text[cut + 1].isupper() and not _WORD_RUN.match(text, cut)[0].isalpha():
        return False
    start = text.rfind(" ", 0, cut) + 1
    end = text.find(" ", cut)
    return (len(text) if end < 0 else end) - start >= token_min


def split_glued(text: str) -> list[str]:
    """A whole page captured as one line, cut where its elements were run together; a
    long line with few such joins (a real paragraph) is left whole."""
    cuts = [cut for cut in (match.start() for match in _GLUE.finditer(text)) if is_join(text, cut)]
    if len(cuts) < GLUE_MIN_CUTS or len(cuts) * GLUE_EVERY < len(text):
        return [text]
    bounds = [0, *cuts, len(text)]
    pieces = [text[a:b].strip() for a, b in zip(bounds, bounds[1:], strict=False)]
    return [piece for piece in pieces if piece]


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


_LABELS = "|".join(re.escape(label) for label in sorted(sig.BYLINE_LABELS, key=len, reverse=True))
_NAME_WORD = r"[^\W\d_][\w'’.-]*"
_PARTICLES = "|".join(sig.NAME_PARTICLES)
_NAME = (
    rf"(?:[^\W\d_a-zß-ÿ][\w'’.-]*)(?:\s+(?:(?:{_PARTICLES})\s+)*(?:[^\W\d_a-zß-ÿ][\w'’.-]*)){{0,4}}"
)
_JOINERS = "|".join(re.escape(joiner) for joiner in sig.NAME_JOINERS)
_NAMES = rf"{_NAME}(?:(?:\s+(?:{_JOINERS})\s+|,\s+){_NAME}){{0,3}}"
# "Von Heike Buchter", "ByJane Doe" (run together), "Autor: Jean Dupont", "by IWB".
_LABELLED_BYLINE = re.compile(
    rf"(?:{_LABELS})(?:\s*:\s*|\s+|(?<=[a-zß-ÿ])(?=[A-ZÀ-Þ][a-zß-ÿ]))(?P<who>{_NAMES})"
    r"(?=$|\s*[,|•·/(]|\s+[-–—](?:\s|$)|\s+\d|\s+(?:on|am|um|le|el|il|op|at|in|under|unter|dans)\s"
    r"|\d{1,4}[./\s]"  # ... or a date run into the name ("Luciana Bertoia4 de mayo")
    # ... or the next credit's label ("Auteur : Jane Doe Edition : ...", "von Jane Doe
    # Foto: ...") or the writer's address ("Por Jane Doe jdoe@example.com ...").
    r"|\s+[^\W\d_][\w/*&-]*\s?:(?:\s|$)|\s+\S+@\S+\.\w)"
)


def _word_start_behind(word: str) -> str:
    """A word, then a look back at where it starts: at a word boundary or, capitalised,
    run into the word before ("liveVon"). Opening with the word itself lets a search
    skip to the words' first letters instead of trying every position."""
    escaped = re.escape(word)
    behind = rf"(?<=\b{escaped})"
    if "A" <= word[0] <= "Z":
        behind += rf"|(?<=[a-zß-öø-ÿ]{escaped})"
    return f"{escaped}(?:{behind})"


# Any label's first word, as a word, run into a name ("ByJane") or run into the word
# before it ("liveVon"): a cheap first test.
_LABEL_FIRST_WORDS = sorted({label.split()[0] for label in sig.BYLINE_LABELS})
_LABEL_WORD = re.compile(
    "(?:" + "|".join(map(_word_start_behind, _LABEL_FIRST_WORDS)) + r")(?:\b|(?=[A-Z]))"
)
_LABEL_ALONE = re.compile(rf"(?:{_LABELS})\s*:?")
_NAME_ALONE = re.compile(_NAMES)
NAME_MAX_WORDS = 12


_PHOTO_CREDIT = _any_of(list(sig.PHOTO_CREDITS))


# A date run into the word before it ("Kulturtechnik25. Oktober 2023"), or a year into a
# headline: where a match starts. Each pattern opens with the date's digit or the
# headline's capital and looks back from it, so that a search skips ahead to those.
_GLUED_DATE = re.compile(
    r"\d(?<=[^\W\d_]{3}\d)(?=\d?\.\s?[^\W\d_]{3,}\.?\s\d{4}|\d?\.\d{1,2}\.\d{4})"
    r"|[A-ZÀ-ÖØ-Þ](?<=(?:19|20)\d\d.)(?=[a-zß-öø-ÿ])"
)
# Not a join: an abbreviation ("e.V."), a gender suffix ("MedienpädagogIn", "LehrerInnen").
_NOT_A_JOIN = re.compile(r"(?<=\b\w\.)|(?=In(?:nen)?\b)")


def glued_pieces(text: str, token_min: int = GLUED_TOKEN_MIN) -> list[str]:
    """A short line cut at every place where elements were run together: a kicker or a
    menu into a headline ("UmweltDu wirst nicht glauben ..."), a headline into its date."""
    cuts = [
        cut
        for cut in (match.start() for match in _GLUE.finditer(text))
        if is_join(text, cut, token_min)
        and not _NOT_A_JOIN.match(text, cut)
        and text[text.rfind(" ", 0, cut) + 1] != "#"  # a hashtag: "#OutInChurch"
    ]
    cuts += [match.start() for match in _GLUED_DATE.finditer(text)]
    if not cuts:
        return [text]
    bounds = [0, *sorted(set(cuts)), len(text)]
    pieces = [text[a:b].strip() for a, b in zip(bounds, bounds[1:], strict=False)]
    return [piece for piece in pieces if piece]


def is_photo_credit(text: str) -> bool:
    return len(text) <= CLUTTER_MAX_CHARS and _PHOTO_CREDIT.fullmatch(text) is not None


@lru_cache(maxsize=1024)
def is_furniture(text: str) -> bool:
    """A menu, banner, source line or copyright line: never a headline or article text.
    Unlike Evidence.see_site_line, records nothing. Remembered for the last lines asked
    about: the rules of one capture ask it of the same lines and paragraphs, and a site
    repeats its menus from page to page."""
    if len(text) > CLUTTER_MAX_CHARS:
        return False
    return (
        _ANY_FURNITURE.fullmatch(text) is not None or has_keyword_clutter(text) or is_nav_line(text)
    )


def _phrases(phrases: tuple[str, ...]) -> str:
    """Fixed phrases as one alternation, the longest first so that none stops at a shorter
    one it begins with ("Read more" before "Read")."""
    return "|".join(re.escape(phrase) for phrase in sorted(phrases, key=len, reverse=True))


# A phrase and a few words, or a share bar whose buttons ran into its label with no space
# ("Teilen Sie dies mit:TwitterFacebookGefällt mir:Liken Lade …"): prose spaces a colon.
_RUN_BREAK = re.compile(
    r"(?:\d+\s+)?(?:"
    + _phrases(sig.RUN_BREAKS)
    + r")\b(?:[^.!?]{0,40}|[^.!?:]{0,20}:(?=[^\W\d_]).*)",
    re.IGNORECASE,
)
_PAGE_END = re.compile(
    r"(?:\d+\s+|noch\s+)?(?:" + _phrases(sig.PAGE_ENDS) + r")\b[^.!?]{0,40}",
    re.IGNORECASE,
)
RUN_BREAK_MAX_CHARS = 60
# The phrases themselves, for a line whose first word runs on into the next.
_BREAK_PHRASES = tuple(phrase.casefold() for phrase in (*sig.RUN_BREAKS, *sig.PAGE_ENDS))
BREAK_PHRASE_SCAN = 40  # characters at a line's start where such a phrase may stand
# Their openings, as long as the shortest phrase: a line opening otherwise opens with none
# of them, told by one look-up instead of comparing it with each.
_BREAK_HEAD_CHARS = min(len(phrase) for phrase in _BREAK_PHRASES)
_BREAK_HEADS = frozenset(phrase[:_BREAK_HEAD_CHARS] for phrase in _BREAK_PHRASES)
# ... or, however long the line, the phrase with the block's first link run into it
# ("Das könnte Sie auch interessieren:Wenn ...", "Read moreHow to ..."): a related or
# share block flattened onto one line, not a sentence.
_GLUED_BREAK = re.compile(
    r"(?:" + _phrases(sig.RUN_BREAKS) + r")(?::|(?-i:(?=[A-ZÀ-Þ])))(?=\S)",
    re.IGNORECASE,
)


# A run break's phrase as a label before a colon, however long the line ("Filed under:
# Politics, ...", "Tags: ...", "Schlagwörter: ...").
_BREAK_LABEL = re.compile(
    r"(?:" + _phrases(sig.RUN_BREAKS) + r")\s?:",
    re.IGNORECASE,
)


def opens_with_break_label(text: str) -> bool:
    """The line opens with a run break's phrase and a colon: tags, categories, links."""
    return _opens_like_a_break(text) and _BREAK_LABEL.match(text) is not None


def _opens_with_break_phrase(text: str) -> bool:
    """The line opens with a run break's or a page end's phrase, whatever follows it."""
    # Case folding goes character by character, so the head of the folded opening is
    # the folded head of the line.
    if text[:_BREAK_HEAD_CHARS].casefold()[:_BREAK_HEAD_CHARS] not in _BREAK_HEADS:
        return False
    return text[:BREAK_PHRASE_SCAN].casefold().startswith(_BREAK_PHRASES)


# ... or with the first commenter's name or the count run into it ("Kommentare4Pingbacks0",
# "LeserkommentareMartinxyz14. 01. 2020,").
_GLUED_PAGE_END = re.compile(
    r"(?:" + _phrases(sig.PAGE_ENDS) + r")(?-i:(?=[A-ZÀ-Þ\d]))",
    re.IGNORECASE,
)


# A comment section's heading naming the post, however long its headline ("5 thoughts on
# “Headline”"): a count, then the heading's words.
_COMMENTS_ON = re.compile(
    r"(?:\d+|"
    + "|".join(sig.COMMENT_COUNT_WORDS)
    + r")\s+(?:"
    + "|".join(re.escape(words) for words in sig.COMMENT_HEADINGS)
    + r")\s+\S",
    re.IGNORECASE,
)
COMMENTS_ON_MAX_CHARS = 300


def is_comments_heading(text: str) -> bool:
    """A comment section's heading that names the post it follows, not a sentence that
    opens with a count ("2 responses to the crisis were debated.")."""
    return (
        len(text) <= COMMENTS_ON_MAX_CHARS
        and text[-1] != "."
        and (text[0].isdigit() or text[:6].casefold().startswith(sig.COMMENT_COUNT_WORDS))
        and _COMMENTS_ON.match(text) is not None
    )


def is_page_end(text: str) -> bool:
    """A short line that opens the comment section ("7 Comments:", "Leave a Reply")."""
    if is_comments_heading(text):
        return True
    if len(text) > RUN_BREAK_MAX_CHARS:
        return False
    if _opens_like_a_break(text) and _PAGE_END.fullmatch(text) is not None:
        return True
    return _opens_with_break_phrase(text) and _GLUED_PAGE_END.match(text) is not None


# First words of the phrases above, to rule out most lines without running the patterns.
_BREAK_OPENERS = frozenset(
    phrase.split()[0].casefold() for phrase in (*sig.RUN_BREAKS, *sig.PAGE_ENDS)
) | {"noch"}


def _opens_like_a_break(text: str) -> bool:
    words = text.split(maxsplit=2)
    first = words[1] if len(words) > 1 and words[0].isdigit() else words[0]
    return first.casefold().rstrip(":") in _BREAK_OPENERS


_COMMENTER = re.compile(
    r".{1,40}?\s(?:" + "|".join(re.escape(verb) for verb in sig.COMMENTER_VERBS) + r")\s?:",
    re.IGNORECASE,
)


def is_commenter_line(text: str) -> bool:
    """A commenter's name and verb ("Peter sagt:", "Jane Doe says:"), which heads a comment."""
    return len(text) <= RUN_BREAK_MAX_CHARS and text[-1] == ":" and bool(_COMMENTER.fullmatch(text))


def is_run_break(text: str) -> bool:
    """A short line that opens related links, comments, a share bar or tags, or a long
    one that such a block was flattened into."""
    short = len(text) <= RUN_BREAK_MAX_CHARS
    if short and _opens_like_a_break(text) and _RUN_BREAK.fullmatch(text) is not None:
        return True
    if is_comments_heading(text):
        return True
    if not _opens_with_break_phrase(text):
        return False
    if short and _GLUED_PAGE_END.match(text) is not None:
        return True
    return _GLUED_BREAK.match(text) is not None


def is_byline_label(text: str) -> bool:
    """A byline label alone on its line ("Von", "Autor:"), the name on the next."""
    return len(text) <= 24 and _LABEL_ALONE.fullmatch(text) is not None


def is_name(text: str) -> bool:
    """Capitalised words that could be one or a few people's names ("Heike Buchter")."""
    return (
        len(text) <= 80
        and word_count(text) <= NAME_MAX_WORDS
        and _NAME_ALONE.fullmatch(text) is not None
    )


def find_labelled_byline(text: str) -> str | None:
    """The names after a byline label anywhere in a short line ("October 19, 2019 by IWB",
    "Von Heike Buchter, Washington"), or None."""
    if len(text) > 200 or not _LABEL_WORD.search(text):
        return None
    for match in _LABELLED_BYLINE.finditer(text):
        start = match.start()
        # The label starts the line or follows a separator or a date, never a word
        # ("Christoph von Ritter" is a name, not a byline for "Ritter"), unless the capture
        # ran it into the line before ("... liveVon Felix Eisenreich").
        before = text[:start].rstrip()
        glued = before[-1:].islower() and text[start].isupper() and start == len(before)
        if not before or not before[-1].isalpha() or glued:
            who = trim_name(match["who"])
            if who and word_count(who) <= NAME_MAX_WORDS:
                return who
    return None


# Words after a name that are not part of it: a degree, a particle left before a date.
_NAME_TAIL_WORDS = frozenset(
    {*(particle.casefold() for particle in sig.NAME_PARTICLES), "on", "am", "um", "el", "il"}
    | {"phd", "ph.d", "md", "mba"}
)


_RUN_INTO_NUMBER = re.compile(r"([^\W\d_]{2,})\d+")


def trim_name(who: str) -> str:
    """The names of a byline without what the pattern ran on into: a month that opens the
    date ("Evan Symon, August 14"), a degree ("Grant Tinsley, PhD"), a particle before
    the date ("Kab Niang Le 17/02/2020"), a dangling separator ("John Walk -"), a number
    run into the last name ("Andreas Kalt4 Kommentare"). The full stop of an initial or
    of "Jr." stays."""
    from articles.ingest.dates import month_words  # dates.py builds on this module

    months = month_words()
    kept: list[str] = []
    for piece in who.split(", "):
        words = piece.split()
        first = words[0].casefold().strip(".") if words else ""
        if not words or (kept and (first in months or first in _NAME_TAIL_WORDS)):
            break
        kept.append(piece)
    words = ", ".join(kept).strip(" ,-–—|/").split()
    for index, word in enumerate(words[:-1]):
        run_into = _RUN_INTO_NUMBER.fullmatch(word)
        if index and run_into:  # "Andreas Kalt4 Kommentare": a count run into the name
            words = [*words[:index], run_into[1]]
            break
    while len(words) > 1 and words[-1].casefold().strip(".") in _NAME_TAIL_WORDS:
        words.pop()
    who = " ".join(words)
    if who.endswith(".") and len(who.rsplit(" ", 1)[-1]) > 3:
        who = who[:-1]  # a sentence's stop, not an initial's ("R. R.") or "Jr."'s
    return who


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
                return trim_name(parts[0])
    labelled = find_labelled_byline(text)
    if labelled and parts[0].startswith(labelled):
        return labelled  # "Jake Goulding" in "by Jake Goulding on January 20, 2020"
    return trim_name(parts[0])


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
