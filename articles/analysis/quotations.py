"""Quotations and who said them.

A quotation is attributed, in this order of preference, by:

1. an attribution right after it: `"...," Lavrov said`, `"...," said Lavrov`,
   `"...," John Rood, acting under secretary..., said`, `"...," he added`,
   `"...," the minister said`;
2. a speech verb before it in the same sentence, which covers `Lavrov said: "..."`,
   `According to Lavrov, ...` and fragments inside reported speech (`Lavrov said the US
   had made "useful proposals"`, `Putin called the letter 'a very serious document'`,
   `..., adding that "differences remain"`);
3. the speaker of the previous sentence of the paragraph, when the quotation is a sentence
   of its own (`"...," Mr Gates said. "Whether that leads..."`), or, for a quotation
   opening a paragraph, of the previous paragraph's unclosed quotation or closing
   `Lavrov said:`.

The subject of a speech verb is the nearest mention before it, skipping adverbs ("Rice in
turn said"), times ("Putin on Monday called") and appositives ("Mr Putin, who steps down
next month, said"). "He"/"she" resolve to the latest main-clause speaker in the same or
previous paragraph (or, failing that, the latest person named there) whose pronoun
matches; role words ("the minister") to the one catalogue person with that role who has
been named so far, or the only such person named in the same or previous paragraph.

Straight, curly and Russian «» quotation marks and a few Russian verbs ("сказал Лавров")
are understood.

Speakers outside the catalogue ("a Kremlin spokesman", "Interfax", "Washington") block
attribution, so their words are never credited to a catalogue person. Quoted single
words ('rogue' states) and quoted names ("two-plus-two") are not quotations, and nor are
scare quotes: a phrase of up to three words used as a term within a sentence, after a
determiner or before a verb of its own ("the two 'great powers' had").
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import islice
from typing import TypeVar

from articles.analysis.catalogue import PEOPLE, PersonSpec
from articles.analysis.people import PersonSpan, person_spans
from articles.analysis.rounds import MONTHS, WEEKDAYS

T = TypeVar("T")


@dataclass(frozen=True)
class Quotation:
    slug: str  # the person it is attributed to
    quote: str  # the quoted words, without quote marks
    sentence: str  # the sentence(s) holding the quote and its attribution, as in the text
    paragraph: int  # index of the paragraph it came from


MIN_QUOTE_WORDS = 2
# A quoted phrase this short may be a term the writer set in quotes rather than words
# someone said: it is one when the sentence uses it as a noun, after a determiner or as
# the subject of a verb that follows it.
SCARE_QUOTE_MAX_WORDS = 3
TERM_BEFORE: frozenset[str] = frozenset(
    [
        "the",
        "a",
        "an",
        "this",
        "these",
        "those",
        "its",
        "their",
        "his",
        "her",
        "our",
        "your",
        "two",
        "three",
        "both",
        "so-called",
        "such",
    ]
)
TERM_AFTER: frozenset[str] = frozenset(
    [
        "had",
        "have",
        "has",
        "was",
        "were",
        "is",
        "are",
        "would",
        "will",
        "could",
        "should",
        "can",
        "may",
        "might",
        "must",
    ]
)

SPEECH_VERBS: tuple[str, ...] = (
    "said",
    "says",
    "told",
    "tells",
    "added",
    "adds",
    "stressed",
    "stresses",
    "stressing",
    "noted",
    "insisted",
    "warned",
    "declared",
    "argued",
    "explained",
    "emphasised",
    "emphasized",
    "replied",
    "answered",
    "asked",
    "remarked",
    "urged",
    "reiterated",
    "acknowledged",
    "admitted",
    "announced",
    "suggested",
    "reminded",
    "promised",
    "pledged",
    "agreed",
    "concluded",
    "commented",
    "recalled",
    "repeated",
    "conceded",
    "claimed",
    "complained",
    "called",
    "described",
    "saying",
    "adding",
    "according to",
    "According to",
    # Russian: сказал, заявил... (feminine forms end in -а)
    "сказал",
    "сказала",
    "заявил",
    "заявила",
    "отметил",
    "отметила",
    "подчеркнул",
    "подчеркнула",
    "добавил",
    "добавила",
    "сообщил",
    "сообщила",
)
# Verbs whose subject follows them: "according to Lavrov".
SUBJECT_AFTER: frozenset[str] = frozenset({"according to", "According to"})
# "..., adding that": a participle after a comma shares the subject of the verb before it.
PARTICIPLES: frozenset[str] = frozenset({"saying", "adding", "stressing"})

# Words that name a speaker we do not track: their quotes must not go to anyone else.
SPEAKER_NOUNS: frozenset[str] = frozenset(
    {
        "spokesman",
        "spokeswoman",
        "spokesperson",
        "official",
        "officials",
        "diplomat",
        "diplomats",
        "source",
        "sources",
        "analyst",
        "analysts",
        "expert",
        "experts",
        "ministry",
        "agency",
        "aide",
        "aides",
        "statement",
        "observers",
        "envoy",
        "negotiator",
        "negotiators",
    }
)

# Capitalised words that start sentences or clauses without naming a speaker.
NOT_SPEAKERS: frozenset[str] = frozenset(
    {
        "The",
        "A",
        "An",
        "And",
        "But",
        "Or",
        "So",
        "Yet",
        "As",
        "At",
        "In",
        "On",
        "Of",
        "For",
        "From",
        "With",
        "By",
        "To",
        "When",
        "While",
        "After",
        "Before",
        "Then",
        "This",
        "That",
        "It",
        "Its",
        "Nevertheless",
        "However",
        "Meanwhile",
        "Earlier",
        "Later",
        "Also",
        "Following",
        "Referring",
        "Speaking",
        "Asked",
        *WEEKDAYS,
        *MONTHS,
    }
)

# Between a subject and its verb: adverbs and times ("in turn", "on Monday", "once again").
_GAP_WORD = re.compile(
    r"[a-z][\w'’-]*|\d+|(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day"
    r"|January|February|March|April|May|June|July|August|September|October|November|December"
)
MAX_GAP_WORDS = 6
MAX_SUBJECT_CHARS = 200  # "John Rood, acting US under secretary of state for ..., said"
MAX_APPOSITIVE_WORDS = 30
MAX_LOOKBACK_CHARS = 300


def _trie_pattern(words: Sequence[str]) -> str:
    """One regex alternation for `words`, shared prefixes factored out ("said|says" ->
    "sa(?:id|ys)"): Python's re tries alternatives one by one, so this is ~2x faster."""
    tree: dict[str, dict] = {}
    for word in words:
        node = tree
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def pattern(node: dict[str, dict]) -> str:
        branches = [
            (r"\s+" if char == " " else re.escape(char)) + pattern(child)
            for char, child in sorted(node.items())
            if char
        ]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if "" in node:
            return f"(?:{body})?"
        return body

    return pattern(tree)


_SPEECH_VERB = re.compile(r"\b" + _trie_pattern(SPEECH_VERBS) + r"\b")
_PRONOUN = {
    **{word: "he" for word in ("he", "He", "он", "Он")},
    **{word: "she" for word in ("she", "She", "она", "Она")},
}
_WORD = re.compile(r"\S+")
_QUOTE_MARK = re.compile("[\"“”'‘’«»]")
_SENTENCE_END = re.compile(r"[.!?…]+[\"”’')\]]*\s+(?=[\"“‘'(\[]?[A-ZА-ЯЁ0-9])")
_ABBREVIATIONS = frozenset(
    {"Mr", "Mrs", "Ms", "Dr", "Gen", "Lt", "Col", "Sen", "Rep", "St", "Jr", "Sr", "Prof", "Gov"}
    | {"No", "Jan", "Feb", "Mar", "Apr", "Aug", "Sept", "Sep", "Oct", "Nov", "Dec", "vs", "etc"}
)
_TRAILING_PUNCTUATION = ",.;:!?)\"”’'"
_LEADING_PUNCTUATION = "(\"“‘'["
_UNKNOWN = "?"  # a speaker outside the catalogue


@dataclass
class _Paragraph:
    index: int
    offset: int  # where it starts in the joined text
    text: str
    quotes: list[tuple[int, int]]  # quote spans (with the marks), local offsets
    sentences: list[tuple[int, int]]
    unclosed_quote: bool = False  # the last quotation runs on into the next paragraph
    reversed_text: str = ""
    inside: Callable[[int], bool] = bool  # whether a local offset is inside a quotation


@dataclass
class _Event:
    position: int  # global offset of the verb
    slug: str | None  # the speaker, _UNKNOWN, or None when no subject was found
    main_clause: bool  # the first speech verb of its sentence


@dataclass
class _State:
    """What has been read so far: people named, speech verbs and their speakers."""

    spans: list[PersonSpan]
    span_starts: list[int]
    people: dict[str, PersonSpec]
    roles: _Roles
    offsets: list[int]  # where each paragraph starts
    events: list[_Event] = field(default_factory=list)
    starts_by_slug: dict[str, list[int]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for span in self.spans:  # spans are in reading order
            self.starts_by_slug.setdefault(span.slug, []).append(span.start)


@dataclass(frozen=True)
class _Roles:
    """The people table's role words, normalised for lookup by their last word."""

    phrases: dict[tuple[str, ...], frozenset[str]]  # ("the", "minister") -> slugs
    last_words: frozenset[str]
    longest: int

    def match(self, words: Sequence[str]) -> frozenset[str] | None:
        """Slugs for the longest role phrase ending with the last of `words`."""
        if not words or _normalise_word(words[-1]) not in self.last_words:
            return None
        for size in range(min(self.longest, len(words)), 0, -1):
            slugs = self.phrases.get(tuple(_normalise_word(word) for word in words[-size:]))
            if slugs:
                return slugs
        return None

    def match_start(self, words: Sequence[str]) -> tuple[int, frozenset[str]] | None:
        """(length, slugs) for the longest role phrase starting with the first of `words`."""
        for size in range(min(self.longest, len(words)), 0, -1):
            slugs = self.phrases.get(tuple(_normalise_word(word) for word in words[:size]))
            if slugs:
                return size, slugs
        return None


@lru_cache(maxsize=8)
def compile_roles(people: tuple[PersonSpec, ...]) -> _Roles:
    phrases: dict[tuple[str, ...], set[str]] = {}
    for person in people:
        for phrase in person.role_words:
            key = tuple(_normalise_word(word) for word in phrase.split())
            phrases.setdefault(key, set()).add(person.slug)
    return _Roles(
        phrases={phrase: frozenset(slugs) for phrase, slugs in phrases.items()},
        last_words=frozenset(phrase[-1] for phrase in phrases),
        longest=max((len(phrase) for phrase in phrases), default=0),
    )


def find_quotations(
    paragraphs: Sequence[str], people: Sequence[PersonSpec] = PEOPLE
) -> tuple[Quotation, ...]:
    """Quotations in an article's paragraphs attributed to catalogue people (module doc)."""
    joined = "\n\n".join(paragraphs)
    spans = list(person_spans(joined, people))
    roles = _DEFAULT_ROLES if people is PEOPLE else compile_roles(tuple(people))
    parsed, offset = [], 0
    for index, text in enumerate(paragraphs):
        quotes, unclosed = _quote_spans(text)
        inside = _inside_quotes(quotes)
        parsed.append(
            _Paragraph(
                index,
                offset,
                text,
                quotes,
                _sentences(text, inside),
                unclosed,
                reversed_text=text[::-1],
                inside=inside,
            )
        )
        offset += len(text) + 2
    state = _State(
        spans=spans,
        span_starts=[span.start for span in spans],
        people={person.slug: person for person in people},
        roles=roles,
        offsets=[paragraph.offset for paragraph in parsed],
    )
    found: list[Quotation] = []
    seen: set[tuple[str, str]] = set()
    # Whose words open the next paragraph: the speaker of an unclosed quotation, or of a
    # paragraph ending "Lavrov said:" (captures often put the quote in its own block).
    previous_speaker: str | None = None
    for paragraph in parsed:
        quotations, previous_speaker = _paragraph_quotations(paragraph, state, previous_speaker)
        for quotation in quotations:
            # The same words twice (a pull quote, a repetition) are one quotation.
            key = (quotation.slug, quotation.quote.rstrip(".!?…").casefold())
            if key not in seen:
                seen.add(key)
                found.append(quotation)
    return tuple(found)


def _paragraph_quotations(
    paragraph: _Paragraph, state: _State, carried_speaker: str | None
) -> tuple[list[Quotation], str | None]:
    """The paragraph's attributed quotations, and the speaker it hands to the next one."""
    text, base = paragraph.text, paragraph.offset
    inside = paragraph.inside
    # Speech verbs outside quotations, each with its speaker, in reading order.
    verbs = [m for m in _SPEECH_VERB.finditer(text) if not inside(m.start())]
    # Each verb and quotation found its sentence once (not each sentence every verb: a
    # long paragraph would be read quadratically).
    starts = [start for start, _ in paragraph.sentences]
    verbs_in = _by_sentence(starts, verbs, lambda verb: verb.start())
    quotes_in = _by_sentence(starts, paragraph.quotes, lambda quote: quote[0])
    events_by_position: dict[int, _Event] = {}
    for (sentence_start, _), sentence_verbs in zip(paragraph.sentences, verbs_in, strict=True):
        first = True
        for verb in sentence_verbs:
            slug = _subject(paragraph, state, verb, sentence_start)
            event = _Event(base + verb.start(), slug, first)
            state.events.append(event)
            events_by_position[verb.start()] = event
            first = False

    quotations: list[Quotation] = []
    speaker_of_sentence: dict[int, str] = {}
    last_speaker = carried_speaker
    for number, (_, sentence_end) in enumerate(paragraph.sentences):
        sentence_verbs = verbs_in[number]
        for start, end in quotes_in[number]:
            closed = end - start > 1 and text[end - 1] in "\"”'’»"
            quote = text[start + 1 : end - 1 if closed else end].strip().rstrip(",;:").strip()
            if len(quote.split()) < MIN_QUOTE_WORDS or _scare_quote(text, start, end, quote):
                continue
            slug, first_sentence = _attribute(
                paragraph,
                (start, end),
                number,
                sentence_verbs,
                events_by_position,
                speaker_of_sentence,
                carried_speaker if start == 0 else None,
            )
            if slug is None or slug == _UNKNOWN:
                continue
            speaker_of_sentence[number] = slug
            last_speaker = slug
            span_start = paragraph.sentences[first_sentence][0]
            quotations.append(
                Quotation(slug, quote, text[span_start:sentence_end].strip(), paragraph.index)
            )
        if number not in speaker_of_sentence:
            # A sentence without quotations still passes its speaker on ("He said ... .")
            for verb in sentence_verbs:
                event = events_by_position[verb.start()]
                if event.slug and event.slug != _UNKNOWN:
                    speaker_of_sentence[number] = event.slug
                    break
    if paragraph.unclosed_quote:
        return quotations, last_speaker
    if text.rstrip().endswith(":"):
        return quotations, speaker_of_sentence.get(len(paragraph.sentences) - 1)
    return quotations, None


def _by_sentence(
    starts: list[int], items: Iterable[T], position: Callable[[T], int]
) -> list[list[T]]:
    """`items` (in reading order) grouped by the sentence each is in, sentences given by
    their `starts` (they cover the paragraph, the first at 0)."""
    grouped: list[list[T]] = [[] for _ in starts]
    for item in items:
        grouped[bisect_right(starts, position(item)) - 1].append(item)
    return grouped


def _attribute(
    paragraph: _Paragraph,
    quote: tuple[int, int],
    sentence_number: int,
    sentence_verbs: list[re.Match[str]],
    events_by_position: dict[int, _Event],
    speaker_of_sentence: dict[int, str],
    carried_speaker: str | None,
) -> tuple[str | None, int]:
    """(speaker, index of the first sentence to quote) for one quotation."""
    text = paragraph.text
    start, end = quote
    # 1. Attribution right after the quotation.
    after = len(text) - len(text[end:].lstrip(" ,;:—–-\u00a0"))
    for verb in sentence_verbs:
        if verb.start() < end:
            continue
        between = text[after : verb.start()]
        if len(between) <= MAX_SUBJECT_CHARS and _subject_follows_quote(between):
            return events_by_position[verb.start()].slug, sentence_number
        break
    # 2. The last speech verb earlier in the sentence (reported speech, a colon).
    sentence_start = paragraph.sentences[sentence_number][0]
    earlier = [v for v in sentence_verbs if v.start() < start]
    if earlier:
        return events_by_position[earlier[-1].start()].slug, sentence_number
    # 3. A quotation that is a sentence of its own continues the previous speaker.
    opens_sentence = not text[sentence_start:start].strip()
    if opens_sentence and not sentence_verbs:
        if sentence_number == 0 and carried_speaker:
            return carried_speaker, 0
        if sentence_number and sentence_number - 1 in speaker_of_sentence:
            return speaker_of_sentence[sentence_number - 1], sentence_number - 1
    return None, sentence_number


def _scare_quote(text: str, start: int, end: int, quote: str) -> bool:
    """A short quoted phrase used as a term: "the two 'great powers' had" (module doc)."""
    if len(quote.split()) > SCARE_QUOTE_MAX_WORDS:
        return False
    before = text[:start].split()[-1:]
    after = text[end:].split()[:1]
    return bool(
        (before and before[0].lower() in TERM_BEFORE)
        or (after and after[0].rstrip(",;:.").lower() in TERM_AFTER)
    )


def _subject_follows_quote(between: str) -> bool:
    """True when the text between a quotation and a verb is just its speaker, as in
    `"...," John Rood, acting under secretary..., said`; not `"..." and Rice said`."""
    words = between.split()
    if not words:
        return True
    head = words[0].lstrip(_LEADING_PUNCTUATION)
    return head[:1].isupper() or head in ("he", "she", "the")


def _subject(
    paragraph: _Paragraph, state: _State, verb: re.Match[str], sentence_start: int
) -> str | None:
    """Who a speech verb's subject is: a slug, _UNKNOWN, or None when there is none."""
    text = paragraph.text
    # The words before the verb in this sentence, skipping quotations; a subject with its
    # appositive fits in the last MAX_LOOKBACK_CHARS.
    start = max(sentence_start, verb.start() - MAX_LOOKBACK_CHARS)
    if start > sentence_start:
        start = text.find(" ", start, verb.start()) + 1 or verb.start()
    words = _WordsBefore(paragraph, start, verb.start())
    last = words.get(0)
    verb_text = " ".join(verb.group().split())
    if (
        last is None
        or verb_text in SUBJECT_AFTER
        or _follows_quotation(text, paragraph.quotes, verb.start())
    ):
        # An inverted attribution: `"...," said Lavrov` or `"...," said the minister`.
        return _subject_after(paragraph, state, verb.end())
    if verb_text in PARTICIPLES and last[2].endswith(","):
        # Events are in reading order: the latest is the one to check.
        latest = state.events[-1] if state.events else None
        in_sentence = latest is not None and latest.position >= paragraph.offset + sentence_start
        return latest.slug if in_sentence else None
    gap_words = 0
    back = 0  # how many words back from the verb, 0 for the word right before it
    while (entry := words.get(back)) is not None:
        subject = _mention_ending_at(paragraph, state, words, back)
        if subject is not None:
            return subject
        word = entry[2]
        if word.endswith(","):
            # The end of an appositive ("Mr Putin, who steps down next month, said"):
            # the subject ends at the word before its opening comma.
            opening = back + 1
            while opening - back <= MAX_APPOSITIVE_WORDS:
                before = words.get(opening)
                if before is None:
                    return None
                if before[2].endswith(","):
                    break
                opening += 1
            else:
                return None
            subject = _mention_ending_at(paragraph, state, words, opening)
            return subject if subject is not None else _unknown_or_none(before[2])
        bare = word.strip(_TRAILING_PUNCTUATION + _LEADING_PUNCTUATION)
        if bare.lower() in SPEAKER_NOUNS:
            return _UNKNOWN
        if bare == word and _GAP_WORD.fullmatch(word) and gap_words < MAX_GAP_WORDS:
            gap_words += 1
            back += 1
            continue
        return _unknown_or_none(word)
    return None


class _WordsBefore:
    """The words (start, end, text) of text[start:stop] outside quotations, read from the
    end on demand: a subject is usually found within a few words of its verb."""

    __slots__ = ("_found", "_inside", "_matches", "_size", "_text")

    def __init__(self, paragraph: _Paragraph, start: int, stop: int) -> None:
        size = len(paragraph.text)
        # Words of the reversed text, in reverse order, are the words read backwards.
        self._matches = _WORD.finditer(paragraph.reversed_text, size - stop, size - start)
        self._found: list[tuple[int, int, str]] = []
        self._inside = paragraph.inside if paragraph.quotes else None
        self._size = size
        self._text = paragraph.text

    def get(self, back: int) -> tuple[int, int, str] | None:
        """The word `back` words before the end (0 for the last), or None."""
        found = self._found
        while len(found) <= back:
            match = next(self._matches, None)
            if match is None:
                return None
            end = self._size - match.start()
            start = self._size - match.end()
            if self._inside is not None and self._inside(start):
                continue
            found.append((start, end, self._text[start:end]))
        return found[back]


def _unknown_or_none(word: str) -> str | None:
    bare = word.strip(_TRAILING_PUNCTUATION + _LEADING_PUNCTUATION)
    if bare.lower() in SPEAKER_NOUNS:
        return _UNKNOWN
    if bare[:1].isupper() and bare not in NOT_SPEAKERS:
        return _UNKNOWN
    return None


def _mention_ending_at(
    paragraph: _Paragraph, state: _State, words: _WordsBefore, back: int
) -> str | None:
    """The speaker named by the words ending `back` words before the verb, if any."""
    start, end, word = words.get(back)  # type: ignore[misc]
    bare = word.rstrip(_TRAILING_PUNCTUATION)
    bare_end = start + len(bare)
    if bare in _PRONOUN:
        return _resolve_pronoun(state, paragraph.offset + start, _PRONOUN[bare])
    span = _span_ending_at(state, paragraph.offset + bare_end)
    if span is not None:
        return span.slug
    if word.endswith("'s") or word.endswith("’s"):
        return None  # "Lavrov's spokesman": the possessor is not the speaker
    roles = state.roles
    if _normalise_word(word) not in roles.last_words:
        return None  # no role phrase ends here: skip reading the words before it
    phrase = [words.get(n) for n in range(back + roles.longest - 1, back - 1, -1)]
    slugs = roles.match([entry[2] for entry in phrase if entry is not None])
    return _resolve_role(state, paragraph, start, slugs) if slugs else None


def _subject_after(paragraph: _Paragraph, state: _State, position: int) -> str | None:
    """The subject of an inverted attribution: `said Lavrov`, `said Russian Foreign
    Minister Sergei Lavrov`, `said the minister`, `said a Kremlin spokesman`."""
    text = paragraph.text
    words = [(m.start(), m.end(), m.group()) for m in islice(_WORD.finditer(text, position), 8)]
    if not words:
        return _UNKNOWN
    first = words[0][2].rstrip(_TRAILING_PUNCTUATION)
    if first in _PRONOUN:
        return _resolve_pronoun(state, paragraph.offset + words[0][0], _PRONOUN[first])
    role = state.roles.match_start([word for _, _, word in words])
    if role:
        return _resolve_role(state, paragraph, words[0][0], role[1])
    # A name, perhaps after titles: every word up to it is capitalised.
    for start, _end, word in words:
        bare = word.rstrip(_TRAILING_PUNCTUATION)
        span = _span_ending_at(state, paragraph.offset + start + len(bare))
        if span is not None:
            return span.slug
        if bare != word or not bare[:1].isupper():
            break
    return _UNKNOWN


def _span_ending_at(state: _State, end: int) -> PersonSpan | None:
    index = bisect_left(state.span_starts, end) - 1
    while index >= 0 and state.spans[index].start >= end - 80:
        if state.spans[index].end == end:
            return state.spans[index]
        index -= 1
    return None


def _resolve_pronoun(state: _State, position: int, pronoun: str) -> str | None:
    """The latest main-clause speaker (or, failing that, person named) in this or the
    previous paragraph whose pronoun matches."""
    window_start = _window_start(state, position)
    for event in reversed(state.events):
        if event.position >= position:
            continue
        if event.position < window_start:
            break
        if event.slug is None or (event.slug == _UNKNOWN and not event.main_clause):
            continue
        if event.slug == _UNKNOWN:
            return None
        if state.people[event.slug].pronoun == pronoun:
            return event.slug
    index = bisect_left(state.span_starts, position) - 1
    while index >= 0 and state.spans[index].start >= window_start:
        slug = state.spans[index].slug
        if state.people[slug].pronoun == pronoun:
            return slug
        index -= 1
    return None


def _resolve_role(
    state: _State, paragraph: _Paragraph, start: int, slugs: frozenset[str]
) -> str | None:
    """The one person with this role named so far, or named in this or the last paragraph."""
    position = paragraph.offset + start
    # Where each of these people is named (sorted), rather than every span read again.
    starts = {slug: state.starts_by_slug.get(slug, ()) for slug in slugs}
    named = {slug for slug, at in starts.items() if at and at[0] < position}
    if len(named) == 1:
        return named.pop()
    window_start = _window_start(state, position)
    recent = {
        slug
        for slug in named
        if bisect_left(starts[slug], position) > bisect_left(starts[slug], window_start)
    }
    return recent.pop() if len(recent) == 1 else None


def _window_start(state: _State, position: int) -> int:
    """Offset where the previous paragraph begins (pronouns look back this far)."""
    offsets = state.offsets
    current = bisect_left(offsets, position + 1) - 1
    return offsets[max(0, current - 1)]


def _normalise_word(word: str) -> str:
    word = word.lower().strip(_TRAILING_PUNCTUATION + _LEADING_PUNCTUATION).replace("’", "'")
    return "us" if word == "u.s" else word


def _follows_quotation(text: str, quotes: list[tuple[int, int]], verb: int) -> bool:
    """True when only punctuation separates the end of a quotation from the verb."""
    return any(end <= verb and not text[end:verb].strip(" ,;:—–-") for _, end in quotes)


def _inside_quotes(quotes: list[tuple[int, int]]) -> Callable[[int], bool]:
    starts = [start for start, _ in quotes]

    def inside(position: int) -> bool:
        index = bisect_left(starts, position + 1) - 1
        return index >= 0 and quotes[index][0] < position < quotes[index][1]

    return inside


def _quote_spans(text: str) -> tuple[list[tuple[int, int]], bool]:
    """Quotation spans, marks included, and whether the last runs to the paragraph end.
    Double quotes pair up in order; a single quote opens only at a word start and closes
    only at a word end, so apostrophes ("Russia's", "Gates' plan") are not quotes."""
    spans: list[tuple[int, int]] = []
    opened_at, opener = -1, ""
    for mark in _QUOTE_MARK.finditer(text):
        position, char = mark.start(), mark.group()
        before = text[position - 1] if position else " "
        after = text[position + 1] if position + 1 < len(text) else " "
        if opened_at < 0:
            if char in '"“«':
                opened_at, opener = position, "double"
            elif char in "'‘" and not before.isalnum() and (after.isalnum() or after == "…"):
                opened_at, opener = position, "single"
        elif _closes(opener, char, before, after):
            spans.append((opened_at, position + 1))
            opened_at = -1
    if opened_at >= 0 and opener == "double":
        spans.append((opened_at, len(text)))
        return spans, True
    return spans, False


def _closes(opener: str, char: str, before: str, after: str) -> bool:
    if opener == "double":
        return char in '"”»'
    # Inside single quotes, only a mark ending a word closes: not the one in "Kremlin’s".
    return char in "'’" and not before.isspace() and not after.isalnum()


def _sentences(text: str, inside: Callable[[int], bool]) -> list[tuple[int, int]]:
    """Sentence spans; a quotation (`inside` says where) is never split, however many
    sentences it holds."""
    sentences, start = [], 0
    for end in _SENTENCE_END.finditer(text):
        stop = end.start()
        if inside(end.end() - 1):
            continue
        word = text[text.rfind(" ", 0, stop) + 1 : stop]
        if word in _ABBREVIATIONS or (len(word) == 1 and word.isupper()) or "." in word:
            continue
        sentences.append((start, end.end()))
        start = end.end()
    sentences.append((start, len(text)))
    return sentences


_DEFAULT_ROLES = compile_roles(PEOPLE)
