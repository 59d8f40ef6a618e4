"""What a reader returns, and the one assembly of a parsed article that both readers (text
and HTML) use: the dateline, the title or one derived from the lead, the sources, the
publication date and the review reasons."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time

from articles.ingest import signatures as sig
from articles.ingest.dates import (
    Dateline,
    DateReading,
    Published,
    check_plausible,
    find_dateline,
    find_publication_date,
)
from articles.ingest.lines import (
    HEADLINE_MAX_WORDS,
    Evidence,
    is_furniture,
    last_mark,
    lookup_source,
    match_clutter,
    split_sentences,
    word_count,
)
from articles.ingest.read import IngestError

TITLE_MAX = 300
DERIVED_TITLE_MAX = 90
LONG_PARAGRAPH = 1000  # a "paragraph" this long is really a whole article on one line
SENTENCES_PER_PARAGRAPH = 3
WEAK_CONFIDENCE = 0.6  # a field found with less is kept but flagged for review
WEAK_REASONS = {
    "title": "title_uncertain",
    "published": "date_uncertain",
    "byline": "byline_uncertain",
}
# How sure the text reader must be of each field not to flag it (the HTML reader has its own).
TEXT_SURE = dict.fromkeys(WEAK_REASONS, WEAK_CONFIDENCE)
_QUOTE_OPENERS = "\"“‘«'"
# A body with fewer words of prose than this, among at least NAV_MIN_LINES short lines
# (menus, a share bar, a paywall's "Subscribe"), is only the page around an article.
PROSE_MIN_WORDS = 40
SENTENCE_MIN_WORDS = 8
NAV_MIN_LINES = 3
_SENTENCE_ENDS = ".…!?。！？"
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")


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
    # What the capture holds outside the title and body (menus, captions, left-out
    # paragraphs), paragraphs separated by blank lines: searched, weighted below the body.
    other_text: str = ""

    @property
    def body(self) -> str:
        return "\n\n".join(block.text for block in self.blocks)


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
) -> tuple[sig.SourceSignature | None, sig.SourceSignature | None, str | None]:
    """(credited source, site captured from, kind of site)."""
    source = evidence.credits[0] if evidence.credits else None
    site = evidence.sites[0] if evidence.sites else None
    if site is not None:
        return source, site, site.kind
    return source, None, evidence.hints[0] if evidence.hints else None


def review_reasons_for(
    *,
    title_derived: bool,
    date_reasons: tuple[str, ...],
    source,
    encoding: str,
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


# How a reader settles the publication date once the dateline and the source are known:
# given them and the evidence it found for a date (or None), the date, and the evidence
# to keep for it (None for none).
DateRule = Callable[
    [Dateline | None, sig.SourceSignature | None, FieldEvidence | None],
    tuple[Published, FieldEvidence | None],
]


def dated_by_lines(
    date_matches: list, header_date: date | None = None, *, today: date | None = None
) -> DateRule:
    """The text reader's date: a date line in the header, else the dateline's date, else
    a date near the headline; its evidence is kept only when a date is."""

    def decide(dateline, source, found):
        published = find_publication_date(date_matches, dateline, source, today=today)
        if published.published_date is None and header_date is not None:
            published = check_plausible(
                DateReading(datetime.combine(header_date, time()), False, None, None),
                source,
                today=today,
            )
        return published, found if published.published_date else None

    return decide


def assemble_article(
    *,
    title: str,
    blocks: list[Block],
    byline: str,
    evidence: Evidence,
    date_rule: DateRule,
    encoding: str,
    kind: str,
    empty_message: str,
    date_reasons: tuple[str, ...] = (),
    fields: tuple[FieldEvidence, ...] = (),
    sure: Mapping[str, float] = TEXT_SURE,
    derived_title: FieldEvidence | None = None,
    stated_source: tuple[str, FieldEvidence | None] = ("", None),
) -> ParsedArticle:
    """The article from what a reader found: cut the dateline off the lead, derive a
    title when there is none, pick the sources and the publication date, list what staff
    should check. Raises IngestError with `empty_message` when no text is left.

    `fields` is the evidence the reader found, `sure` how sure it must be of each field
    not to flag it; a derived title takes the evidence `derived_title` when given, and
    the name a page states for its outlet (`stated_source`) stands for a source neither
    credited nor recognised, flagged source_uncertain."""
    dateline, lead_index = take_dateline(blocks, evidence)
    if not blocks:
        raise IngestError(empty_message)
    title_derived = not title
    if title_derived:
        lead = blocks[lead_index].text if lead_index is not None else blocks[0].text
        # The first block with a word in it: a lead of punctuation alone titles nothing.
        derived = (derive_title(text) for text in [lead, *(block.text for block in blocks)])
        title = next((t for t in derived if any(c.isalnum() for c in t)), "")
        if derived_title is not None:
            fields = (derived_title, *(f for f in fields if f.field != "title"))
    else:
        title = clip_on_word(title, TITLE_MAX)

    source, site, site_kind = pick_sources(evidence)
    stated_name, stated_evidence = stated_source
    source_reasons: tuple[str, ...] = ()
    if source is None and site is None and stated_name:
        # An outlet the sources table does not know: the name the page gives itself.
        source = sig.SourceSignature(stated_name, "", "website", "", (stated_name,))
        if stated_evidence is not None:
            fields = (*fields, stated_evidence)
            source_reasons = ("source_uncertain",)
    # Nothing to title it by: an ellipsis, flagged for review, rather than an empty title
    # or a word the capture does not hold.
    title = title or "…"
    found = next((f for f in fields if f.field == "published"), None)
    published, kept = date_rule(dateline, source, found)
    fields = _with_date_evidence(fields, kept)
    return parsed_article(
        title=title,
        title_derived=title_derived,
        picked=(source, site, site_kind),
        published=published,
        byline=byline,
        dateline=dateline,
        blocks=blocks,
        encoding=encoding,
        kind=kind,
        fields=fields,
        sure=sure,
        date_reasons=date_reasons,
        source_reasons=source_reasons,
    )


def _with_date_evidence(
    fields: tuple[FieldEvidence, ...], kept: FieldEvidence | None
) -> tuple[FieldEvidence, ...]:
    """The fields with the date's evidence as the date rule kept it: in the place of the
    reader's, or after the title's when the reader had none."""
    others = [f for f in fields if f.field != "published"]
    if kept is None:
        return tuple(others)
    at = next((i for i, f in enumerate(fields) if f.field == "published"), None)
    if at is None:
        at = 1 if others and others[0].field == "title" else 0
    others.insert(at, kept)
    return tuple(others)


def weak_reasons(
    fields: tuple[FieldEvidence, ...], sure: Mapping[str, float], *, has_date: bool
) -> tuple[str, ...]:
    """Review reasons for fields kept on evidence weaker than their reader must be `sure`
    of, so staff check those first; a date counts only when one was kept."""
    return tuple(
        WEAK_REASONS[found.field]
        for found in fields
        if found.field in sure
        and found.confidence < sure[found.field]
        and (found.field != "published" or has_date)
    )


def prose_words(text: str) -> int:
    """The words of a paragraph that reads as prose (a sentence or more), else 0. Chinese
    and Japanese, written without spaces, count a word for two characters."""
    words = word_count(text)
    # Only characters beyond Latin-1 can be Chinese or Japanese: most texts have too few
    # of them to outnumber the words, told without searching for them.
    if (len(text) - len(text.encode("latin-1", "ignore"))) // 2 > words:
        words = max(words, len(_CJK.findall(text)) // 2)
    if words < SENTENCE_MIN_WORDS:
        return 0
    if words <= HEADLINE_MAX_WORDS and last_mark(text) not in _SENTENCE_ENDS:
        return 0  # a headline's shape: no prose, furniture or not
    return 0 if is_furniture(text) else words


def body_doubts(blocks: list[Block]) -> FieldEvidence | None:
    """Why the body may not be an article (None when it reads as one): only navigation,
    short lines and hardly a sentence, as on a paywalled page."""
    prose = short = 0
    for block in blocks:
        words = prose_words(block.text)
        prose += words
        short += not words
        if prose >= PROSE_MIN_WORDS:
            return None
    if short < NAV_MIN_LINES:
        return None
    return FieldEvidence(
        "body",
        f"only navigation: {short} short lines (menus, share bars) and {prose} words of prose",
        0.2,
    )


def parsed_article(
    *,
    title: str,
    title_derived: bool,
    picked: tuple,
    published: Published,
    byline: str,
    dateline: Dateline | None,
    blocks: list[Block],
    encoding: str,
    kind: str,
    fields: tuple[FieldEvidence, ...],
    sure: Mapping[str, float],
    date_reasons: tuple[str, ...] = (),
    source_reasons: tuple[str, ...] = (),
) -> ParsedArticle:
    """The one place both readers make their ParsedArticle, with every review reason."""
    source, site, site_kind = picked
    doubt = body_doubts(blocks)
    if doubt is not None:
        fields = (*fields, doubt)
    return ParsedArticle(
        title=title,
        title_derived=title_derived,
        source=source.name if source else None,
        captured_from=site.name if site else None,
        captured_from_kind=site_kind,
        published_date=published.published_date,
        published_at=published.published_at,
        published_tz=published.published_tz,
        byline=byline,
        dateline=dateline.place if dateline else "",
        blocks=tuple(blocks),
        review_reasons=collect_reasons(
            review_reasons_for(
                title_derived=title_derived,
                date_reasons=published.reasons + date_reasons,
                source=source,
                encoding=encoding,
            ),
            weak_reasons(fields, sure, has_date=published.published_date is not None),
            ("body_uncertain",) if doubt is not None else (),
            source_reasons,
        ),
        encoding=encoding,
        kind=kind,
        evidence=fields,
    )
