"""Write a deterministic corpus of realistic plain-text captures for the benchmarks.

The text comes from a word-bigram Markov chain built from the archive's own seeds, mixed with
Zipf-distributed draws from a larger vocabulary (the seed words by frequency, then invented
words), so the index meets a long tail of rare terms as real coverage does. Headers follow
the shapes the parser reads (mastheads, bylines, credit lines, datelines, dated headers) and
carry page clutter. Article `i` depends only on the seed and `i`, so corpora of different
sizes share their first articles.

    python benchmarks/generate.py --size 10000            # -> benchmarks/data/10000/
"""

from __future__ import annotations

import argparse
import bisect
import html
import io
import json
import os
import random
import re
import string
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from multiprocessing import Pool
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
if str(BASE_DIR) not in sys.path:
    sys.path.insert(0, str(BASE_DIR))

from articles.ingest import parse_capture  # noqa: E402 - needs BASE_DIR on sys.path
from articles.ingest.signatures import SOURCES  # noqa: E402

GENERATOR_VERSION = 2  # 2: principals named and quoted
DEFAULT_SEED = 20080318
SEED_DIR = BASE_DIR / "seeds"
DATA_DIR = BASE_DIR / "benchmarks" / "data"
FILES_PER_FOLDER = 1000
INVENTED_WORDS = 40_000
ZIPF_EXPONENT = 1.07
ZIPF_MIX = 0.12  # share of words drawn from the Zipf vocabulary instead of the chain
MIN_WORDS, MAX_WORDS = 200, 1500
FIRST_DAY, LAST_DAY = date(2005, 1, 1), date(2024, 12, 31)
UNDATED_SHARE = 0.03

# 31 outlets the signatures table does not know: the parser credits them to no source.
UNLISTED_OUTLETS = (
    "Baltic Evening Courier",
    "Danube Morning Post",
    "Caspian Daily Ledger",
    "Northern Lights Gazette",
    "Adriatic Weekly Review",
    "Carpathian Herald Tribune",
    "Black Sea Observer",
    "Vistula River Chronicle",
    "Prairie Public Dispatch",
    "Great Lakes Evening News",
    "Atlantic Policy Monitor",
    "Pacific Rim Bulletin",
    "Central Asia Wire Digest",
    "Eastern Europe Security Review",
    "Nordic Defence Journal",
    "Alpine Valley Times",
    "Bosphorus Business Daily",
    "Ural Mountain Courier",
    "Siberian Regional Gazette",
    "Arctic Circle Reporter",
    "Mediterranean Policy Brief",
    "Capitol Hill Insider",
    "Foreign Affairs Digest",
    "Strategic Arms Bulletin",
    "Diplomatic Quarterly Online",
    "Weekend Standard Review",
    "Metropolitan Daily Star",
    "Continental Morning Herald",
    "Harbour City Evening Post",
    "Highland Valley Examiner",
    "Riverside Public Record",
)

PLACES = (
    "MOSCOW",
    "WASHINGTON",
    "BRUSSELS",
    "WARSAW",
    "PRAGUE",
    "BERLIN",
    "GENEVA",
    "VIENNA",
    "LONDON",
    "PARIS",
    "BEIJING",
    "TEHRAN",
    "ANKARA",
    "SOCHI",
    "BUCHAREST",
    "NEW YORK",
    "ST. PETERSBURG",
    "KIEV",
    "MINSK",
    "RIGA",
    "TBILISI",
    "BAKU",
    "HELSINKI",
    "STOCKHOLM",
)
_FIRST_NAMES_TEXT = (
    "Jane James Anna Peter Olga Sergei Maria John Elena Michael Sarah David Irina Thomas "
    "Natalia Robert Laura Andrei Claire Daniel Katya Paul Helen Mark Svetlana Richard Emma "
    "Pavel Julia Steven"
)
FIRST_NAMES = _FIRST_NAMES_TEXT.split()
_SURNAMES_TEXT = (
    "Smith Petrov Johnson Ivanova Brown Kowalski Miller Novak Wilson Sokolov Taylor Dvorak "
    "Anderson Volkov Harris Nowak Clark Morozov Lewis Fischer Walker Lebedev Hall Schmidt "
    "Young Popescu King Horvat Wright Kuznetsov"
)
SURNAMES = _SURNAMES_TEXT.split()
CLUTTER_LINES = (
    "Advertisement",
    "Share this article",
    "Print | E-mail | Share",
    "Click here to subscribe to our newsletter",
    "Sign up for our daily briefing",
    "Follow us on Twitter for the latest updates",
    "Most read",
)
TAIL_LINKS = (
    "Has the reset in relations run its course?",
    "How the arms race shaped a generation",
    "Why the treaty talks keep stalling",
    "Inside the radar base nobody wanted",
    "What the summit means for Europe",
    "The envoy who kept the channel open",
)
SUBHEADINGS = (
    "Useful proposals",
    "Radar concerns",
    "Next round",
    "Sticking points",
    "Reaction in Europe",
    "Confidence-building measures",
)
HEADLINE_SUBJECTS = (
    "Russia",
    "US",
    "NATO",
    "Moscow",
    "Washington",
    "Lavrov",
    "Rice",
    "Gates",
    "Putin",
    "Medvedev",
    "Poland",
    "Czech Republic",
    "Kremlin",
    "EU",
    "Iran",
    "Pentagon",
    "Brussels",
    "Warsaw",
)
HEADLINE_VERBS = (
    "warns on",
    "rejects",
    "offers compromise on",
    "fails to agree on",
    "seeks guarantees on",
    "criticises",
    "welcomes",
    "defends",
    "questions",
    "signals flexibility on",
    "hails progress on",
    "plays down",
)
HEADLINE_PLURAL_VERBS = (
    "fail to agree on",
    "resume talks on",
    "clash over",
    "make headway on",
    "set deadline for",
    "agree to study",
)
HEADLINE_TOPICS = (
    "missile defence plan",
    "radar base",
    "arms control talks",
    "CFE treaty",
    "START talks",
    "missile shield in Europe",
    "strategic framework",
    "Kosovo independence",
    "interceptor sites",
    "nuclear deterrent",
    "security guarantees",
    "third site",
    "confidence-building measures",
)
HEADLINE_SHAPES = (
    "{subject} {verb} {topic}",
    "{subject} and {other} {verbs} {topic}",
    "{subject} {verb} {topic} after talks in {place}",
    "Talks on {topic} end without deal",
    "{subject} says {topic} is a threat",
    "{subject}, {other} {verbs} {topic}",
    "{place} talks: {subject} {verb} {topic}",
)
NAV_LINES = (
    "Home News World Europe Politics",
    "Americas Africa Europe Middle East South Asia Asia Pacific",
    "Home > World > Europe",
)


# The talks' principals as coverage names them at first mention, and after.
PRINCIPALS = (
    ("Russian Foreign Minister Sergei Lavrov", "Lavrov"),
    ("US Secretary of State Condoleezza Rice", "Rice"),
    ("Defence Secretary Robert Gates", "Gates"),
    ("President Vladimir Putin", "Putin"),
    ("First Deputy Prime Minister Dmitry Medvedev", "Medvedev"),
    ("President George W. Bush", "Bush"),
    ("Deputy Foreign Minister Sergei Kislyak", "Kislyak"),
    ("Assistant Secretary of State Daniel Fried", "Fried"),
    ("Polish Foreign Minister Radoslaw Sikorski", "Sikorski"),
    ("Czech Prime Minister Mirek Topolanek", "Topolanek"),
    ("Defence Minister Anatoly Serdyukov", "Serdyukov"),
    ("NATO Secretary General Jaap de Hoop Scheffer", "de Hoop Scheffer"),
)
# The first few are named in most coverage, the others now and then (Zipf-like weights).
PRINCIPAL_WEIGHTS = tuple(1 / (rank + 1) ** 0.8 for rank in range(len(PRINCIPALS)))
QUOTED_SHARE = 0.85  # articles that quote at least one principal
SAYING_VERBS = ("said", "told reporters", "said on Tuesday", "added", "insisted", "warned")
DEVSET_TEXT = BASE_DIR.parent / "shared" / "devset" / "extraction" / "text"
# Words of political news: a sentence quoted in a generated article has one of them.
NEWS_WORDS = (
    "missile", "radar", "defence", "defense", "treaty", "talks", "Russia", "NATO",
    "government", "minister", "president", "security", "military", "officials", "nuclear",
    "agreement", "Europe", "Washington", "Moscow", "negotiat", "policy", "election",
)  # fmt: skip


# -- Text model -----------------------------------------------------------------------------


def quotable_sentences(folder: Path = DEVSET_TEXT) -> list[str]:
    """Sentences of real coverage to put in the principals' mouths: the seeds' own, and
    English sentences of political news from the development set's texts where that set
    is at hand (the corpus is then written from both; the manifest records which)."""
    texts = ["\n".join(seed_paragraphs())]
    texts += [path.read_text(errors="replace") for path in sorted(folder.glob("*.txt"))]
    found: set[str] = set()
    for text in texts:
        for line in text.splitlines():
            if len(line) < 60 or " the " not in line:
                continue
            for sentence in line.replace("”", '"').replace("“", '"').split(". "):
                words = sentence.split()
                if (
                    8 <= len(words) <= 35
                    and '"' not in sentence
                    and sentence.isascii()
                    and sentence[:1].isupper()
                    and max(len(word) for word in words) <= 18
                    and sum(word in sentence for word in NEWS_WORDS) >= 2
                ):
                    found.add(sentence.rstrip(". "))
    return sorted(found)


def quoted_paragraph(sentence: str, name: str, rng: random.Random) -> str:
    """A paragraph of the shape coverage quotes people in: “…,” Lavrov said."""
    return f"\u201c{sentence},\u201d {name} {rng.choice(SAYING_VERBS)}."


def seed_paragraphs(seed_dir: Path = SEED_DIR) -> list[str]:
    """The article paragraphs of the seed captures, as the parser cleans them."""
    paragraphs = []
    for path in sorted(seed_dir.glob("*.txt")):
        parsed = parse_capture(path.read_bytes(), path.name)
        paragraphs.extend(block.text for block in parsed.blocks if block.kind == "p")
    if not paragraphs:
        raise SystemExit(f"No seed captures in {seed_dir}")
    return paragraphs


def invent_words(count: int, rng: random.Random) -> list[str]:
    """Pronounceable made-up words, for the vocabulary's long tail."""
    onsets = ["b", "br", "ch", "d", "dr", "f", "g", "gr", "k", "kr", "l", "m", "n", "p", "pr"]
    onsets += ["r", "s", "sh", "st", "t", "tr", "v", "z", "zh"]
    vowels = ["a", "e", "i", "o", "u", "ai", "ei", "ou", "ya"]
    codas = ["", "", "n", "r", "s", "l", "k", "t", "v", "sk", "nt"]
    words: list[str] = []
    seen: set[str] = set()
    while len(words) < count:
        syllables = rng.choice((2, 2, 3, 3, 4))
        word = "".join(
            rng.choice(onsets) + rng.choice(vowels) + rng.choice(codas) for _ in range(syllables)
        )
        if word not in seen:
            seen.add(word)
            words.append(word)
    return words


def _ends_sentence(token: str) -> bool:
    return token.rstrip("\"'”’)").endswith((".", "?", "!"))


@dataclass
class TextModel:
    """A word-bigram chain over the seeds, plus a Zipf-weighted vocabulary."""

    successors: dict[str, list[str]]
    starts: list[str]
    vocabulary: list[str]
    cumulative: list[float]

    @classmethod
    def from_paragraphs(cls, paragraphs: list[str], rng: random.Random) -> TextModel:
        successors: dict[str, list[str]] = defaultdict(list)
        starts: list[str] = []
        frequencies: Counter[str] = Counter()
        for paragraph in paragraphs:
            tokens = paragraph.split()
            at_start = True
            for index, token in enumerate(tokens):
                if at_start and token[:1].isupper():
                    starts.append(token)
                at_start = _ends_sentence(token)
                if index + 1 < len(tokens) and not at_start:
                    successors[token].append(tokens[index + 1])
                word = token.strip(string.punctuation + "“”‘’…")
                if word.isalpha():
                    frequencies[word if word[0].isupper() else word.lower()] += 1
        vocabulary = [word for word, _ in frequencies.most_common()]
        vocabulary += invent_words(INVENTED_WORDS, rng)
        total, cumulative = 0.0, []
        for rank in range(1, len(vocabulary) + 1):
            total += 1.0 / rank**ZIPF_EXPONENT
            cumulative.append(total)
        return cls(dict(successors), starts, vocabulary, cumulative)

    def zipf_rank(self, rng: random.Random) -> int:
        return bisect.bisect_left(self.cumulative, rng.random() * self.cumulative[-1])

    def zipf_word(self, rng: random.Random) -> str:
        return self.vocabulary[self.zipf_rank(rng)]

    def rare_word(self, rng: random.Random) -> str:
        """A Zipf draw outside the 300 commonest words."""
        rank = self.zipf_rank(rng)
        while rank < 300:
            rank = self.zipf_rank(rng)
        return self.vocabulary[rank]

    def sentence(self, rng: random.Random, max_words: int = 38) -> str:
        """One sentence: the chain from a sentence start, with Zipf words mixed in."""
        token = rng.choice(self.starts)
        words = [token]
        while not _ends_sentence(token) and len(words) < max_words:
            if rng.random() < ZIPF_MIX:
                words.append(self.zipf_word(rng))
            following = self.successors.get(token)
            if not following:
                break
            token = rng.choice(following)
            words.append(token)
        text = " ".join(words)
        return text if _ends_sentence(text) else text.rstrip(",;:–—-") + "."

    def paragraph(self, rng: random.Random, sentences: int) -> str:
        text = " ".join(self.sentence(rng) for _ in range(sentences))
        # A short paragraph not ending like a sentence would read as a headline.
        while len(text.split()) <= 20 or not text.endswith("."):
            text += " " + self.sentence(rng)
        return text

    def headline(self, rng: random.Random) -> str:
        """A headline from a small news grammar, now and then with a rarer word."""
        subject, other = rng.sample(HEADLINE_SUBJECTS, 2)
        topic, place = rng.choice(HEADLINE_TOPICS), rng.choice(PLACES).title()
        shape = rng.choice(HEADLINE_SHAPES)
        text = shape.format(
            subject=subject,
            other=other,
            verb=rng.choice(HEADLINE_VERBS),
            verbs=rng.choice(HEADLINE_PLURAL_VERBS),
            topic=topic,
            place=place,
        )
        if rng.random() < 0.3:
            text += f" over {self.rare_word(rng)}"
        return text[0].upper() + text[1:]


# -- Sources and dates ----------------------------------------------------------------------


@dataclass(frozen=True)
class Outlet:
    name: str
    aliases: tuple[str, ...]
    known: bool
    kind: str


def outlets() -> list[Outlet]:
    """The 50 outlets the corpus is credited to: the signatures table's, then unlisted ones."""
    listed = [Outlet(s.name, (s.name, *s.aliases), True, s.kind) for s in SOURCES]
    unlisted = [Outlet(name, (name,), False, "newspaper") for name in UNLISTED_OUTLETS]
    return listed + unlisted


def outlet_weights(count: int) -> list[float]:
    """A Zipf-like share per outlet; known outlets come first and carry most coverage."""
    return [1.0 / (rank + 1) ** 0.8 for rank in range(count)]


def random_day(rng: random.Random) -> date:
    return FIRST_DAY + timedelta(days=rng.randrange((LAST_DAY - FIRST_DAY).days + 1))


def long_date(day: date) -> str:
    """ "Tuesday, March 18, 2008" """
    return f"{day:%A}, {day:%B} {day.day}, {day.year}"


def day_month_year(day: date) -> str:
    """ "Tuesday, 18 March 2008" """
    return f"{day:%A}, {day.day} {day:%B} {day.year}"


def clock(rng: random.Random) -> str:
    return f"{rng.randint(6, 22):02d}:{rng.choice((0, 5, 15, 20, 30, 35, 45, 50)):02d}"


def person(rng: random.Random) -> str:
    return f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)}"


# -- Capture shapes -------------------------------------------------------------------------


@dataclass
class Draft:
    """What one capture will say, before it is laid out in one of the shapes below."""

    headline: str
    outlet: Outlet
    alias: str
    day: date | None
    place: str
    paragraphs: list[str]


def body_lines(draft: Draft, rng: random.Random, *, blank: bool = True) -> list[str]:
    """Paragraphs with the odd sub-heading, picture label and clutter line between them."""
    lines: list[str] = []
    for index, paragraph in enumerate(draft.paragraphs):
        if index and rng.random() < 0.06:
            lines += [rng.choice(CLUTTER_LINES), ""]
        if index > 2 and rng.random() < 0.05:
            lines += [rng.choice(SUBHEADINGS), ""] if blank else [rng.choice(SUBHEADINGS)]
        if index == 2 and rng.random() < 0.15:
            lines += [f"{person(rng)} meets {person(rng)}", ""]
        lines.append(paragraph)
        if blank:
            lines.append("")
    return lines


def wire_shape(draft: Draft, rng: random.Random) -> list[str]:
    """An agency story reposted by a website: name line, stamped dateline, site footer."""
    lines = []
    if rng.random() < 0.5:
        lines += ["UNITED24 - Make a charitable donation in support of Ukraine!", "", ""]
    lines += [draft.headline, "", draft.alias, ""]
    lead = draft.paragraphs[0]
    if draft.day:
        day = draft.day
        dayfirst = rng.random() < 0.7
        stamp = f"{day.day:02d}/{day.month:02d}" if dayfirst else f"{day.month:02d}/{day.day:02d}"
        lead = (
            f"{stamp}/{day.year} {clock(rng)} {draft.place}, {day:%B} {day.day} "
            f"({draft.alias}) - {lead}"
        )
    else:
        lead = f"{draft.place} ({draft.alias}) - {lead}"
    draft.paragraphs[0] = lead
    lines += body_lines(draft, rng)
    if rng.random() < 0.6:
        lines.append("Join the GlobalSecurity.org mailing list")
    return lines


def blog_shape(draft: Draft, rng: random.Random) -> list[str]:
    """A blog post quoting an agency: date line, headline, credit, blog footer."""
    lines = [long_date(draft.day), ""] if draft.day else []
    lines += [draft.headline, "", f"By {draft.alias}", ""]
    draft.paragraphs[0] = f"{draft.place.title()} - {draft.paragraphs[0]}"
    lines += body_lines(draft, rng)
    lines += [rng.choice(("No comments:", "2 comments:", f"Posted by {person(rng)} at 10:15 AM"))]
    lines += ["", "Labels: missile defence, diplomacy"]
    return lines


def broadcaster_shape(draft: Draft, rng: random.Random) -> list[str]:
    """A broadcaster's page: masthead, menu, "Last Updated" line, caption, links after."""
    lines = [draft.alias]
    if draft.outlet.name == "BBC News":
        lines.append("watch One-Minute World News")
    if draft.outlet.name == "RT":
        lines.append("RT (Russia Today)")
    lines.append(rng.choice(NAV_LINES))
    if draft.day:
        zone = rng.choice(("GMT", "GMT", "BST", "MSK", "EST"))
        lines.append(f"Last Updated: {day_month_year(draft.day)}, {clock(rng)} {zone}")
    lines.append(draft.headline)
    lines.append(f"{person(rng)} (left) and {person(rng)} at the talks")
    lines += body_lines(draft, rng, blank=rng.random() < 0.7)
    if draft.outlet.name == "BBC News":
        lines += ["The BBC is not responsible for the content of external internet sites", ""]
    lines += rng.sample(TAIL_LINKS, 3) + ["", rng.choice(NAV_LINES)]
    return lines


def newspaper_shape(draft: Draft, rng: random.Random) -> list[str]:
    """A newspaper story: byline naming the paper, the paper's dated credit line."""
    reporter = person(rng)
    lines = [draft.headline, ""]
    if draft.outlet.known:
        lines.append(f"By {reporter}, {draft.alias} correspondent")
        if draft.day:
            lines.append(f"{draft.alias}, {day_month_year(draft.day)}")
    else:
        lines.append(f"By {reporter}, {draft.alias}")
        if draft.day:
            lines.append(f"Published: {draft.day.isoformat()}T{clock(rng)}:00Z")
    lines.append("")
    draft.paragraphs[0] = f"{draft.place} - {draft.paragraphs[0]}"
    lines += body_lines(draft, rng)
    if not draft.outlet.known:
        lines += [f"Copyright {draft.day.year if draft.day else 2010} {draft.alias}", ""]
    lines.append("Related stories:")
    lines += rng.sample(TAIL_LINKS, 2)
    return lines


def agency_shape(draft: Draft, rng: random.Random) -> list[str]:
    """Agency copy: headline, a dated line, a credited dateline, reporting credits; old wire
    copy arrives hard-wrapped at 70 columns."""
    lines = [draft.headline, ""]
    if draft.day:
        lines += [f"Published: {long_date(draft.day)} {clock(rng)} EST", ""]
    draft.paragraphs[0] = f"{draft.place} ({draft.alias}) - {draft.paragraphs[0]}"
    if rng.random() < 0.3:
        for paragraph in draft.paragraphs:
            lines += wrap(paragraph, 70) + [""]
    else:
        lines += body_lines(draft, rng)
    if draft.outlet.name == "Reuters":
        lines.append(f"(Reporting by {person(rng)}; Editing by {person(rng)})")
    elif draft.outlet.name == "Associated Press":
        lines.append(f"Associated Press writer {person(rng)} contributed to this report.")
    return lines


def one_line_shape(draft: Draft, rng: random.Random) -> list[str]:
    """A whole article on one line, as some video sites give it, with a closing clutter
    sentence."""
    text = " ".join(draft.paragraphs)
    text += " To watch the full press-conference, please, follow link."
    lines = [f"By {draft.alias}", ""]
    if draft.day:
        lines += [long_date(draft.day), ""]
    return lines + [text]


def wrap(text: str, width: int) -> list[str]:
    lines, current = [], ""
    for word in text.split():
        if current and len(current) + 1 + len(word) > width:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}" if current else word
    return lines + ([current] if current else [])


SHAPES_BY_KIND = {
    "agency": ((wire_shape, 4), (agency_shape, 4), (blog_shape, 2), (one_line_shape, 1)),
    "broadcaster": ((broadcaster_shape, 6), (blog_shape, 2), (one_line_shape, 1)),
    "newspaper": ((newspaper_shape, 8), (blog_shape, 1)),
    "website": ((wire_shape, 1),),
}


# -- Articles -------------------------------------------------------------------------------


class CorpusWriter:
    """Builds the text model once, then writes any article by its number."""

    def __init__(self, seed: int = DEFAULT_SEED) -> None:
        self.seed = seed
        self.model = TextModel.from_paragraphs(seed_paragraphs(), random.Random(seed))
        self.outlets = outlets()
        weights = outlet_weights(len(self.outlets))
        self.outlet_cumulative = [sum(weights[: i + 1]) for i in range(len(weights))]
        self.sentences = quotable_sentences()

    def capture(self, number: int) -> str:
        """The text of capture `number`: the same for the same seed, whatever the size."""
        rng = random.Random(self.seed * 1_000_003 + number)
        outlet = self.outlets[
            bisect.bisect_left(self.outlet_cumulative, rng.random() * self.outlet_cumulative[-1])
        ]
        words = int(MIN_WORDS * (MAX_WORDS / MIN_WORDS) ** rng.random())
        paragraphs, count = [], 0
        while count < words:
            paragraph = self.model.paragraph(rng, rng.randint(1, 4))
            paragraphs.append(paragraph)
            count += len(paragraph.split())
        self.quote_principals(paragraphs, rng)
        draft = Draft(
            headline=self.model.headline(rng),
            outlet=outlet,
            alias=rng.choice(outlet.aliases[:3]) if outlet.known else outlet.name,
            day=None if rng.random() < UNDATED_SHARE else random_day(rng),
            place=rng.choice(PLACES),
            paragraphs=paragraphs,
        )
        shapes = SHAPES_BY_KIND.get(outlet.kind if outlet.known else "newspaper")
        shape = rng.choices([s for s, _ in shapes], weights=[w for _, w in shapes])[0]
        return "\n".join(shape(draft, rng)).rstrip() + "\n"

    def quote_principals(self, paragraphs: list[str], rng: random.Random) -> None:
        """Name and quote one to three principals in most articles, full title first."""
        if rng.random() >= QUOTED_SHARE or not self.sentences:
            return
        chosen = {rng.choices(PRINCIPALS, weights=PRINCIPAL_WEIGHTS)[0] for _ in range(3)}
        for full, surname in sorted(chosen):
            place = rng.randint(1, len(paragraphs))
            paragraphs.insert(place, quoted_paragraph(rng.choice(self.sentences), full, rng))
            if rng.random() < 0.5:
                later = rng.randint(place + 1, len(paragraphs))
                paragraphs.insert(later, quoted_paragraph(rng.choice(self.sentences), surname, rng))


def capture_path(folder: Path, number: int) -> Path:
    return folder / f"{number // FILES_PER_FOLDER:04d}" / f"bench_{number:07d}.txt"


_writer: CorpusWriter | None = None


def _write_range(args: tuple[Path, int, int, int]) -> int:
    folder, seed, first, last = args
    global _writer
    if _writer is None or _writer.seed != seed:
        _writer = CorpusWriter(seed)
    for number in range(first, last):
        path = capture_path(folder, number)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(_writer.capture(number), encoding="utf-8")
    return last - first


def write_corpus(
    folder: Path, size: int, *, start: int = 0, seed: int = DEFAULT_SEED, jobs: int = 0
) -> Path:
    """Write captures start..start+size-1 under `folder`, unless it already holds them."""
    folder = Path(folder)
    manifest = folder / ".corpus.json"
    wanted = {
        "version": GENERATOR_VERSION,
        "seed": seed,
        "start": start,
        "size": size,
        "sentences": "devset" if any(DEVSET_TEXT.glob("*.txt")) else "seeds",
    }
    if manifest.exists() and json.loads(manifest.read_text()) == wanted:
        return folder
    folder.mkdir(parents=True, exist_ok=True)
    manifest.unlink(missing_ok=True)
    chunk = 500
    tasks = [
        (folder, seed, first, min(first + chunk, start + size))
        for first in range(start, start + size, chunk)
    ]
    jobs = jobs or os.cpu_count() or 1
    if jobs > 1 and len(tasks) > 1:
        with Pool(jobs) as pool:
            for _ in pool.imap_unordered(_write_range, tasks):
                pass
    else:
        for task in tasks:
            _write_range(task)
    manifest.write_text(json.dumps(wanted))
    return folder


# -- Web archives ---------------------------------------------------------------------------

# A share of stories is captured again a day later with its headline edited, as news
# sites do; and each page comes with the request for it and a stylesheet, as in a crawl.
RECAPTURED_SHARE = 0.1


def page_html(text: str) -> bytes:
    """A generated capture as the news page a crawler fetches: headline, then paragraphs."""
    blocks = [block.replace("\n", " ").strip() for block in text.split("\n\n")]
    blocks = [html.escape(block) for block in blocks if block]
    headline, paragraphs = blocks[0], blocks[1:] or blocks
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f"<!doctype html><html><head><title>{headline}</title></head><body>"
        f"<nav>Home News World</nav><article><h1>{headline}</h1>{body}</article></body></html>"
    ).encode()


def story_url(writer: CorpusWriter, number: int) -> str:
    rng = random.Random(writer.seed * 1_000_003 + number)  # the outlet capture() picks
    outlet = writer.outlets[
        bisect.bisect_left(writer.outlet_cumulative, rng.random() * writer.outlet_cumulative[-1])
    ]
    hosts = {s.name: s.hosts for s in SOURCES}.get(outlet.name) or ()
    host = (
        hosts[0] if hosts else "www." + re.sub(r"[^a-z0-9]+", "-", outlet.name.lower()) + ".example"
    )
    return f"https://{host}/news/{number}.html"


def write_warc(path: Path, size: int, *, start: int = 0, seed: int = DEFAULT_SEED) -> dict:
    """A gzipped WARC of captures start..start+size-1 as a crawl writes them: a request and
    a response per page, a stylesheet, and some stories captured again with an edited
    headline. Returns how many records and article pages it holds."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    writer = CorpusWriter(seed)
    rng = random.Random(seed)
    records = pages = 0
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as out:
        warc = WARCWriter(out, gzip=True)

        def write(url: str, kind: str, payload: bytes, moment: datetime, headers) -> None:
            nonlocal records
            record = warc.create_warc_record(
                url,
                kind,
                payload=io.BytesIO(payload),
                http_headers=headers,
                warc_headers_dict={"WARC-Date": moment.strftime("%Y-%m-%dT%H:%M:%SZ")},
            )
            warc.write_record(record)
            records += 1

        for number in range(start, start + size):
            url = story_url(writer, number)
            text = writer.capture(number)
            moment = datetime(2008, 3, 1, tzinfo=UTC) + timedelta(minutes=number)
            versions = [text]
            if rng.random() < RECAPTURED_SHARE:
                headline, _, rest = text.partition("\n")
                versions.append(f"{headline} (updated)\n{rest}")
            days = (moment, moment + timedelta(days=1))[: len(versions)]
            for version, when in zip(versions, days, strict=True):
                request = StatusAndHeaders(f"GET {url} HTTP/1.1", [], is_http_request=True)
                write(url, "request", b"", when, request)
                ok = StatusAndHeaders(
                    "200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1"
                )
                write(url, "response", page_html(version), when, ok)
                pages += 1
            css = StatusAndHeaders("200 OK", [("Content-Type", "text/css")], protocol="HTTP/1.1")
            write(url.rsplit("/", 1)[0] + "/site.css", "response", b"body{}" * 50, moment, css)
    return {"records": records, "pages": pages, "bytes": path.stat().st_size}


def parse_summary(folder: Path, limit: int = 2000) -> dict:
    """What the parser makes of (up to `limit` of) the captures: sources, dates, reasons."""
    sources: Counter[str] = Counter()
    reasons: Counter[str] = Counter()
    dated = total = 0
    for path in sorted(Path(folder).rglob("*.txt"))[:limit]:
        parsed = parse_capture(path.read_bytes(), path.name)
        total += 1
        sources[parsed.source or "(unknown)"] += 1
        reasons.update(parsed.review_reasons)
        dated += parsed.published_date is not None
    return {"captures": total, "dated": dated, "sources": sources, "reasons": reasons}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=10_000, help="How many captures to write.")
    parser.add_argument("--start", type=int, default=0, help="Number of the first capture.")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="Random seed.")
    parser.add_argument("--out", type=Path, help="Folder (default benchmarks/data/<size>/).")
    parser.add_argument("--jobs", type=int, default=0, help="Worker processes (default: cores).")
    parser.add_argument(
        "--check", action="store_true", help="Parse a sample and print what the parser finds."
    )
    args = parser.parse_args(argv)
    folder = args.out or DATA_DIR / str(args.size)
    started = time.perf_counter()
    write_corpus(folder, args.size, start=args.start, seed=args.seed, jobs=args.jobs)
    print(f"{args.size} captures in {folder} ({time.perf_counter() - started:.1f} s)")
    if args.check:
        summary = parse_summary(folder)
        print(f"parsed {summary['captures']}, dated {summary['dated']}")
        print(f"{len(summary['sources'])} sources:")
        for name, count in summary["sources"].most_common():
            print(f"  {count:6d}  {name}")
        print("review reasons:", dict(summary["reasons"]))


if __name__ == "__main__":
    main()
