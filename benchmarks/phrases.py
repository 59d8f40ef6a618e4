"""Are quoted phrases found where they are? The development set's saved HTML pages are
ingested into a throw-away archive; for each article, a word of its body that no other
article holds is searched as a quoted phrase with the word after it, written as a reader
would copy it from the page (`"Lavrov's remarks"`, `"U.S.-Russia talks"`), through the
search service. Prints how many phrases find their article, and with --misses each miss.

    python benchmarks/phrases.py [--devset ../shared/devset] [--kind html|text] [--misses]
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
if str(BASE_DIR) not in sys.path:
    sys.path.insert(0, str(BASE_DIR))

from benchmarks import sandbox  # noqa: E402 - needs sys.path

DEVSET = BASE_DIR.parent / "shared" / "devset"
# A word worth searching for: letters (any script), at least this long.
MIN_LETTERS = 4
_EDGE_MARKS = re.compile(r"^[^\w]+|[^\w]+$")


def phrase_for(body: str, unique: set[str]) -> str | None:
    """Two neighbouring words of the body as written (marks inside kept, marks at their
    ends dropped), the first holding a word no other article has; None when there is none."""
    from articles.vocabulary import exact_words

    for paragraph in body.split("\n\n"):
        pieces = [_EDGE_MARKS.sub("", piece) for piece in paragraph.split()]
        for first, second in zip(pieces, pieces[1:], strict=False):
            if not first or not second or '"' in first + second:
                continue
            words = exact_words(first)
            if any(len(w) >= MIN_LETTERS and w.isalpha() and w in unique for w in words):
                return f"{first} {second}"
    return None


def measure(kind: str, show_misses: bool) -> None:
    from articles.models import Article, Capture
    from articles.search.query import Criteria
    from articles.search.service import matching_articles
    from articles.vocabulary import exact_words

    articles = list(Article.objects.only("pk", "body").order_by("pk"))
    origins = dict(Capture.objects.values_list("article_id", "origin"))
    holders: Counter[str] = Counter()
    for article in Article.objects.only("title", "body", "other_text"):
        text = "\n".join((article.title, article.body, article.other_text))
        holders.update(set(exact_words(text)))
    unique = {word for word, count in holders.items() if count == 1}
    asked = found = 0
    misses = []
    for article in articles:
        phrase = phrase_for(article.body, unique)
        if phrase is None:
            continue
        asked += 1
        try:
            pks = [a.pk for a in matching_articles(Criteria(q=f'"{phrase}"'), limit=50)]
        except Exception as error:  # a query the service refuses is a miss with its reason
            pks, phrase = [], f"{phrase} ({type(error).__name__}: {error})"
        if article.pk in pks:
            found += 1
        else:
            misses.append(f'{origins.get(article.pk)}: "{phrase}"')
    print(f"{kind}: {found} of {asked} quoted phrases found their article, {len(misses)} missed")
    if show_misses:
        for miss in misses:
            print("  missed", miss)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--devset", type=Path, default=DEVSET, help="the development set")
    parser.add_argument("--kind", default="html", choices=("html", "text"), help="captures")
    parser.add_argument("--misses", action="store_true", help="list each phrase not found")
    parser.add_argument(
        "--keep", type=Path, help="ingest into this folder and keep it; reuse it when it exists"
    )
    args = parser.parse_args()
    folder = args.devset / "extraction" / args.kind
    if not folder.is_dir():
        print(f"No development set at {args.devset}: nothing measured.")
        return
    data_dir = args.keep or sandbox.fresh_data_dir("archive-phrases-")
    reuse = bool(args.keep and (data_dir / "whoosh_index").exists())
    data_dir.mkdir(parents=True, exist_ok=True)
    env = sandbox.archive_env(data_dir)
    try:
        if reuse:
            sandbox.manage(env, "sync_index", "--rebuild", stdout=subprocess.DEVNULL)
            sandbox.setup_django(data_dir)
            measure(args.kind, args.misses)
            return
        sandbox.manage(env, "migrate", "--noinput", "--verbosity", "0")
        sandbox.ingest_quietly(env, folder)
        sandbox.manage(env, "sync_index", "--rebuild", check=False, stdout=subprocess.DEVNULL)
        sandbox.setup_django(data_dir)
        measure(args.kind, args.misses)
    finally:
        if not args.keep:
            sandbox.remove(data_dir)


if __name__ == "__main__":
    main()
