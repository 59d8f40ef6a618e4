"""How the archive's Whoosh engine reads text and queries: the analyzer the index is
written with (as `articles.search.analysis` reads words), and the query reader for what
`compile.to_whoosh` writes (the index's own fields, exact phrases, prefixes over stemmed
words, fuzzy words that keep their first letters); spelling suggestions from the index."""

from __future__ import annotations

import re

from whoosh import query as wq
from whoosh.analysis import (
    Filter,
    LowercaseFilter,
    RegexTokenizer,
    StemFilter,
    StopFilter,
    Token,
    Tokenizer,
)
from whoosh.qparser import (
    FuzzyTermPlugin,
    MultifieldPlugin,
    OperatorsPlugin,
    PhrasePlugin,
    QueryParser,
)
from whoosh.qparser.syntax import GroupNode, attach
from whoosh.qparser.taggers import RegexTagger
from whoosh.support.levenshtein import distance

from articles.search.analysis import (
    DEFAULT_FIELDS,
    EXACT_COVERS,
    EXACT_FIELD,
    STOP_WORDS,
    analyse,
)
from articles.search.limits import MAX_EDIT_DISTANCE, MIN_FUZZY_PREFIX, SPELLING_SECONDS, Deadline
from articles.search.whoosh import internals
from articles.vocabulary import SPELLING_VARIANTS, exact_words, spelling_alternatives


class SpellingVariantFilter(Filter):
    """Folds variant spellings to one form, before stemming."""

    def __call__(self, tokens):
        for token in tokens:
            token.text = SPELLING_VARIANTS.get(token.text, token.text)
            yield token


def archive_analyzer():
    """Tokenise, lower-case, fold spelling pairs, drop stop words, stem: as
    `articles.search.analysis` reads words (tests hold the two equal)."""
    return (
        RegexTokenizer()
        | LowercaseFilter()
        | SpellingVariantFilter()
        | StopFilter(stoplist=STOP_WORDS, minsize=1)
        | StemFilter(cachesize=50000)
    )


ANALYZER = archive_analyzer()


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


def spelling_forms(words) -> list[tuple[str, ...]]:
    """Each word of an exact phrase with its other spellings ("defense": "defence"): a
    quoted phrase keeps its words and their order, but a spelling pair is one word."""
    return [(word, *spelling_alternatives(word)) for word in words]


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
        words = [
            wq.Or([wq.Term(EXACT_FIELD, form) for form in forms])
            if len(forms) > 1
            else wq.Term(EXACT_FIELD, forms[0])
            for forms in spelling_forms(self.words)
        ]
        exact = wq.Sequence(words) if len(words) > 1 else words[0]
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


class MostWords(wq.Or):
    """Words written side by side (a loose AND of the query tree): documents holding every
    word, then those holding most of them (`nodes.most_of`), then any of them, each group
    ranked above the next by the engine. Whoosh's own matchers read it as every word."""

    def normalize(self):
        found = super().normalize()
        if isinstance(found, wq.Or) and not isinstance(found, MostWords):
            return MostWords(found.subqueries, boost=found.boost)
        return found

    def matcher(self, searcher, context=None):
        return wq.And(self.subqueries, boost=self.boost).matcher(searcher, context)


class MostWordsGroup(GroupNode):
    qclass = MostWords


def most_words_plugin():
    """`a MOSTOF b MOSTOF c` (what `compile.to_whoosh` writes for a loose AND) read as
    MostWords, beside Whoosh's own operators."""
    from articles.search.whoosh.compile import MOST_OF

    tagger = OperatorsPlugin.OpTagger(rf"(?<=\s){MOST_OF}(?=\s)", MostWordsGroup, memo="most")
    return OperatorsPlugin(ops=[(tagger, 0)])


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
    """Searches the default fields, each at its weight; prefixes also match stemmed words; fuzzy
    words keep their first letters. It reads what `compile.to_whoosh` writes (the cost
    limits were checked on the query tree before)."""

    def __init__(self, schema, fieldnames=tuple(DEFAULT_FIELDS)):
        super().__init__(None, schema)
        self.remove_plugin_class(PhrasePlugin)
        self.replace_plugin(most_words_plugin())
        self.add_plugins(
            [
                ExactPhrasePlugin(),
                MultifieldPlugin(
                    [name for name in fieldnames if name in (schema or fieldnames)],
                    {name: DEFAULT_FIELDS[name] for name in fieldnames if name in DEFAULT_FIELDS},
                ),
                FuzzyTermPlugin(),
            ]
        )

    def parse(self, text, normalize=True, debug=False):
        return super().parse(text, normalize=normalize, debug=debug).accept(_widen_prefix)


OPERATORS = {"AND", "OR", "NOT", "TO"}


# Unknown words respelled in one query: each costs a walk of the index's word list.
MAX_RESPELLED = 5


def respell(reader, fieldname: str, text: str) -> str | None:
    """`text` with each word the index does not have as written replaced by its closest
    known word, or None when none was replaced. Stops quietly at its own small time budget: a
    suggestion is a nicety, and never worth holding a page up for."""
    changed, tried = [], []
    deadline = Deadline(SPELLING_SECONDS)

    def respell_word(match: re.Match) -> str:
        word = match.group()
        if word in OPERATORS or not word.isalpha() or len(word) < 3:
            return word
        if (stem := analyse(word)) is None:
            return word
        if reader.doc_frequency(fieldname, stem) and known_as_written(
            reader, fieldname, word.lower()
        ):
            return word
        if len(tried) == MAX_RESPELLED:
            return word
        tried.append(word)
        if deadline.passed():
            return word
        candidates = close_words(reader, fieldname, word.lower(), deadline)
        if not candidates:
            return word
        best = min(candidates, key=lambda c: (distance(word.lower(), c), -len(c)))
        changed.append(best)
        return best

    respelled = re.sub(r"(?<![:\w])\w+", respell_word, text)
    return respelled if changed else None


def without_enclosing_brackets(text: str) -> str:
    """The query without one pair of brackets around the whole of it, the same search as
    a reader would type it: Haystack wraps a filter's value so (`content="Indexe"` is
    asked as "(Indexe)"), and a suggestion shows the words, not the wrapping."""
    stripped = text.strip()
    if not (stripped.startswith("(") and stripped.endswith(")")):
        return text
    depth = 0
    for place, character in enumerate(stripped):
        depth += (character == "(") - (character == ")")
        if depth == 0 and place < len(stripped) - 1:
            return text  # "(a) OR (b)": the first bracket closes before the end
    return stripped[1:-1]


def known_as_written(reader, fieldname: str, word: str) -> bool:
    """Whether the archive has this word as written. A word it has only in another form
    ("indexe" beside "indexed") is a misspelling the stemmer forgave: it finds the right
    documents, but a suggestion still shows the word meant, as Haystack's backends do."""
    spelling_field = reader.schema[fieldname].spelling_fieldname(fieldname)
    first = next(iter(reader.expand_prefix(spelling_field, word)), None)
    return first is not None and first.decode("utf-8") == word


def close_words(reader, fieldname: str, word: str, deadline: Deadline, limit: int = 8):
    """Indexed words within MAX_EDIT_DISTANCE of `word` and sharing its first letters, the
    most frequent first, as Whoosh's corrector ranks them; but compared until the deadline
    only (over several segments Whoosh compares every such word in Python, unbounded)."""
    spelling_field = reader.schema[fieldname].spelling_fieldname(fieldname)
    found = []
    for count, btext in enumerate(reader.expand_prefix(spelling_field, word[:MIN_FUZZY_PREFIX])):
        if count % 256 == 0 and deadline.passed():
            break
        candidate = btext.decode("utf-8")
        if candidate != word and distance(candidate, word, limit=MAX_EDIT_DISTANCE) <= (
            MAX_EDIT_DISTANCE
        ):
            found.append(candidate)
    found.sort(key=lambda candidate: (-(reader.frequency(fieldname, candidate) or 1), candidate))
    return found[:limit]
