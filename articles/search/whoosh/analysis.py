"""How the archive reads text and queries: one analyzer for indexing, searching and
highlighting, and one query parser (the index's own fields, prefixes over stemmed words,
fuzzy words that keep their first letter, the cost limits)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from whoosh import query as wq
from whoosh.analysis import (
    STOP_WORDS,
    Filter,
    LowercaseFilter,
    RegexTokenizer,
    StemFilter,
    StopFilter,
    Token,
    Tokenizer,
)
from whoosh.lang.porter import stem
from whoosh.qparser import FuzzyTermPlugin, MultifieldPlugin, PhrasePlugin, QueryParser
from whoosh.qparser.syntax import attach
from whoosh.qparser.taggers import RegexTagger

from articles.search.limits import (
    MAX_EDIT_DISTANCE,
    MAX_EXPANDING_TERMS,
    MAX_WILDCARDS_PER_WORD,
    MIN_FUZZY_PREFIX,
    Deadline,
    QueryError,
    QueryTooCostly,
)
from articles.search.whoosh import internals
from articles.vocabulary import SPELLING_VARIANTS, exact_words


class SpellingVariantFilter(Filter):
    """Folds variant spellings to one form, before stemming."""

    def __call__(self, tokens):
        for token in tokens:
            token.text = SPELLING_VARIANTS.get(token.text, token.text)
            yield token


def archive_analyzer():
    """Tokenise, lower-case, fold spelling pairs, drop stop words, stem."""
    return (
        RegexTokenizer()
        | LowercaseFilter()
        | SpellingVariantFilter()
        | StopFilter(minsize=1)
        | StemFilter(cachesize=50000)
    )


ANALYZER = archive_analyzer()


# What ANALYZER does, fused into one loop for indexing (tests hold the two equal): Whoosh's
# chain makes a Token object per word and passes it through five generators, which was
# most of the time spent adding a document.
_WORD = re.compile(r"\w+(?:\.?\w+)*")  # RegexTokenizer's default pattern


_cached_stem = lru_cache(maxsize=200_000)(stem)


def index_terms(text: str) -> tuple[dict[str, list[int]], set[str]]:
    """The stems of `text` with their positions, as ANALYZER numbers them (stop words
    dropped, positions renumbered from the first kept word), and the unstemmed words."""
    positions: dict[str, list[int]] = {}
    words: set[str] = set()
    variants = SPELLING_VARIANTS
    stops = STOP_WORDS
    position = None
    for index, word in enumerate(_WORD.findall(text)):
        word = word.lower()
        word = variants.get(word, word)
        if word in stops:
            continue
        position = index if position is None else position + 1
        words.add(word)
        term = _cached_stem(word)
        if term in positions:
            positions[term].append(position)
        else:
            positions[term] = [position]
    return positions, words


# Quoted phrases are matched in a field of their own, where every word is kept as written
# (lower-cased, stop words included, not stemmed): "it is not a threat" must not match
# "threats" or "is not a threat" alone, as it would with the stemmed words.
EXACT_FIELD = "exact"
# The fields whose words the exact field holds (the source name is not among them).
EXACT_COVERS = frozenset({"text", "title", "byline", "dateline"})
_PARAGRAPH_BREAK = re.compile(r"\n[ \t\r\f\v]*\n")


def exact_terms(text: str) -> tuple[dict[str, list[int]], set[str]]:
    """The words of `text` as `exact_words` folds them, with their positions; a paragraph
    break leaves a gap, so a phrase does not run on from one paragraph (or field) into the
    next. Nothing is offered for spelling."""
    positions: dict[str, list[int]] = {}
    position = 0
    for paragraph in _PARAGRAPH_BREAK.split(text):
        for word in exact_words(paragraph):
            if word in positions:
                positions[word].append(position)
            else:
                positions[word] = [position]
            position += 1
        position += 1
    return positions, set()


class ExactTokenizer(Tokenizer):
    """`exact_words` as a Whoosh tokenizer, for reading a query on the exact field."""

    def __call__(self, value, positions=False, chars=False, start_pos=0, mode="", **kwargs):
        token = Token(positions, chars, mode=mode, **kwargs)
        for number, word in enumerate(exact_words(value), start_pos):
            token.text, token.boost, token.stopped = word, 1.0, False
            if positions:
                token.pos = number
            if chars:
                token.startchar = token.endchar = 0
            yield token


EXACT_ANALYZER = ExactTokenizer()


class ExactPhrase(wq.Phrase):
    """A quoted phrase: these exact words in this order (in EXACT_FIELD), among the
    documents whose `fieldname` holds the phrase's stems, which score it."""

    def __init__(self, fieldname: str, words: list[str], stems: list[str], boost: float = 1.0):
        super().__init__(fieldname, words, boost=boost)
        self.stems = tuple(stems)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.fieldname!r}, {self.words!r}, {self.stems!r})"

    def normalize(self):
        return self if self.words else wq.NullQuery

    def equivalent(self) -> wq.Query:
        """The same search as plain Whoosh queries (for Whoosh's own matchers)."""
        if len(self.words) > 1:
            exact = wq.Phrase(EXACT_FIELD, list(self.words))
        else:
            exact = wq.Term(EXACT_FIELD, self.words[0])
        stems = [wq.Term(self.fieldname, stem) for stem in self.stems]
        return wq.And([*stems, exact], boost=self.boost)

    def matcher(self, searcher, context=None):
        return self.equivalent().matcher(searcher, context)


class ExactPhrasePlugin(PhrasePlugin):
    """Quoted phrases become ExactPhrase queries (a phrase with slop, `"..."~3`, stays a
    phrase of stems: nearness is not exactness)."""

    class ExactPhraseNode(PhrasePlugin.PhraseNode):
        def query(self, parser):
            stemmed = super().query(parser)
            words = exact_words(self.text)
            fieldname = self.fieldname or parser.fieldname
            if (
                self.slop != 1
                or not words
                or fieldname not in EXACT_COVERS
                or EXACT_FIELD not in (parser.schema or ())
            ):
                return stemmed
            exact = ExactPhrase(fieldname, words, list(stemmed.words), boost=self.boost)
            return attach(exact, self)

    class ExactPhraseTagger(RegexTagger):
        def create(self, parser, match):
            slop = int(match.group("slop")) if match.group("slop") else 1
            text, start = match.group("text"), match.start("text")
            return ExactPhrasePlugin.ExactPhraseNode(text, start, slop)

    def taggers(self, parser):
        return [(self.ExactPhraseTagger(self.expr), 0)]


@lru_cache(maxsize=100_000)
def analyse(word: str) -> str | None:
    """A word as the index holds it (folded, stemmed), or None for a stop word."""
    tokens = [token.text for token in ANALYZER(word)]
    return tokens[0] if tokens else None


TITLE_BOOST = 3.0


SPELLING_FIELD = "spell_text"  # unstemmed words of the body, kept by Whoosh for spelling


class StemmedPrefix(internals.ExpandingPrefix):
    """`negotiat*` must find "negotiations", which the index holds stemmed as "negoti": expand
    the prefix over the unstemmed words, then look up their stems."""

    def index_words(self, ixreader):
        # Lazy, so that a caller taking only the first so many reads no further.
        seen = set()
        for btext in ixreader.expand_prefix(self.fieldname, self.text):
            seen.add(btext)
            yield btext
        if SPELLING_FIELD in ixreader.schema:
            for word in ixreader.expand_prefix(SPELLING_FIELD, self.text):
                for token in ANALYZER(word.decode("utf-8")):
                    btext = token.text.encode("utf-8")
                    if btext not in seen:
                        seen.add(btext)
                        yield btext


def _widen_prefix(node: wq.Query) -> wq.Query:
    if type(node) is wq.Prefix:
        return StemmedPrefix(node.fieldname, node.text, boost=node.boost)
    if isinstance(node, wq.FuzzyTerm) and node.prefixlength < MIN_FUZZY_PREFIX:
        return wq.FuzzyTerm(
            node.fieldname,
            node.text,
            boost=node.boost,
            maxdist=node.maxdist,
            prefixlength=MIN_FUZZY_PREFIX,
            constantscore=node.constantscore,
        )
    return node


def check_cost(parsed: wq.Query) -> None:
    """Raise QueryTooCostly when a query holds more expanding words than a search may afford,
    or one that asks too much by itself. A word searched in several fields counts once."""
    expanding: dict[str, wq.MultiTerm] = {}
    for node in parsed.leaves():
        if not isinstance(node, wq.MultiTerm):
            continue
        word = written(node)
        if isinstance(node, wq.FuzzyTerm) and node.maxdist > MAX_EDIT_DISTANCE:
            raise QueryTooCostly(
                f"“{word}” asks for words up to {node.maxdist:g} letters different; at most "
                f"{MAX_EDIT_DISTANCE} are allowed (write {node.text}~{MAX_EDIT_DISTANCE})."
            )
        if isinstance(node, wq.Wildcard):
            if sum(node.text.count(char) for char in "*?") > MAX_WILDCARDS_PER_WORD:
                raise QueryTooCostly(
                    f"“{word}” has more than {MAX_WILDCARDS_PER_WORD} wildcards (* or ?); "
                    "use fewer."
                )
            if node.text[:1] in ("*", "?"):
                raise QueryTooCostly(
                    f"“{word}” starts with a wildcard; begin it with at least one letter."
                )
        expanding.setdefault(word, node)
    if len(expanding) > MAX_EXPANDING_TERMS:
        raise QueryTooCostly(
            f"This query has {len(expanding)} words with *, ? or ~; at most "
            f"{MAX_EXPANDING_TERMS} are allowed in one search."
        )


def written(node: wq.MultiTerm) -> str:
    """An expanding word as the user wrote it (near enough to recognise)."""
    if isinstance(node, wq.FuzzyTerm):
        return f"{node.text}~{node.maxdist:g}"
    if isinstance(node, wq.Prefix):
        return f"{node.text}*"
    if isinstance(node, wq.TermRange):
        return f"[{node.start or ''} TO {node.end or ''}]"
    return str(getattr(node, "text", node))


class ArchiveQueryParser(QueryParser):
    """Searches the body and the title (boosted); prefixes also match stemmed words; fuzzy
    words keep their first letter; queries over the cost limits are refused."""

    def __init__(self, schema, fieldnames=("text", "title")):
        super().__init__(None, schema)
        self.remove_plugin_class(PhrasePlugin)
        self.add_plugins(
            [
                ExactPhrasePlugin(),
                MultifieldPlugin(list(fieldnames), {"title": TITLE_BOOST}),
                FuzzyTermPlugin(),
            ]
        )

    def parse(self, text, normalize=True, debug=False):
        parsed = super().parse(text, normalize=normalize, debug=debug).accept(_widen_prefix)
        check_cost(parsed)
        return parsed


# A schema with the index's searchable fields, to read queries the way the index does.
@dataclass(frozen=True)
class QueryTerms:
    """What a query looks for, as plain values: analysed words, and the lower-cased
    beginnings of its prefix and wildcard words. Everything to highlight, none under NOT."""

    terms: frozenset[str] = frozenset()
    prefixes: tuple[str, ...] = ()


def read_query(parser: QueryParser, text: str) -> QueryTerms:
    """The words a query looks for; raises QueryError when it cannot be read, has nothing to
    search for, or is over the cost limits."""
    try:
        parsed = parser.parse(text)
    except QueryError:
        raise
    except Exception as error:  # Whoosh's parser raises assorted errors on odd input
        raise QueryError("The query could not be read. Try plain words.") from error
    if parsed is wq.NullQuery or isinstance(parsed, type(wq.NullQuery)) or not _has_terms(parsed):
        raise QueryError(
            "That query has no words to search for. AND, OR and NOT join words; very common "
            "words such as “the” count only inside a quoted phrase."
        )
    return _positive_terms(parsed)


def _has_terms(node: wq.Query) -> bool:
    if isinstance(node, wq.Not):
        return False
    if node.is_leaf():
        return not isinstance(node, type(wq.NullQuery))
    return any(_has_terms(child) for child in node.children())


def _positive_terms(parsed: wq.Query) -> QueryTerms:
    """Words to highlight: every positive term of the query, none under NOT."""
    terms, prefixes = set(), []

    def walk(node: wq.Query) -> None:
        if isinstance(node, wq.Not):
            return
        if isinstance(node, ExactPhrase):
            terms.update(node.stems)
        elif isinstance(node, wq.Phrase):
            terms.update(node.words)
        elif isinstance(node, wq.Prefix):
            prefixes.append(node.text.lower())
        elif isinstance(node, wq.Wildcard):
            prefixes.append(node.text.split("*")[0].split("?")[0].lower())
        elif isinstance(node, wq.Term) and isinstance(node.text, str):
            terms.add(node.text)
        elif not node.is_leaf():
            for child in node.children():
                walk(child)

    walk(parsed)
    return QueryTerms(frozenset(terms), tuple(p for p in prefixes if p))


OPERATORS = {"AND", "OR", "NOT", "TO"}


# Unknown words respelled in one query: each costs a walk of the index's word list.
MAX_RESPELLED = 5


def respell(reader, fieldname: str, text: str) -> str | None:
    """`text` with each word the index does not know replaced by its closest known word,
    or None when none was replaced. Stops quietly at the time budget."""
    corrector = reader.corrector(fieldname)
    changed, tried = [], []
    deadline = Deadline()

    def respell_word(match: re.Match) -> str:
        word = match.group()
        if word in OPERATORS or not word.isalpha() or len(word) < 3:
            return word
        if (stem := analyse(word)) is None or reader.doc_frequency(fieldname, stem):
            return word
        if len(tried) == MAX_RESPELLED:
            return word
        tried.append(word)
        if deadline.passed():
            return word
        candidates = corrector.suggest(
            word.lower(), limit=8, maxdist=MAX_EDIT_DISTANCE, prefix=MIN_FUZZY_PREFIX
        )
        if not candidates:
            return word
        best = min(candidates, key=lambda c: (edit_distance(word.lower(), c), -len(c)))
        changed.append(best)
        return best

    respelled = re.sub(r"(?<![:\w])\w+", respell_word, text)
    return respelled if changed else None


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance, for ranking spelling candidates."""
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, 1):
        current = [i]
        for j, char_b in enumerate(b, 1):
            current.append(
                min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char_a != char_b))
            )
        previous = current
    return previous[-1]
