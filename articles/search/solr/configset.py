"""The word files of the archive's Solr configset, written from the data the embedded engine
reads, so both engines fold the same spellings and drop the same stop words.

Run `python -m articles.search.solr.configset` after changing articles/vocabulary.py; a test
holds the committed files equal to what this writes.
"""

import sys
from pathlib import Path

# The embedded engine's stop words (Whoosh's list), as the word list itself: data, not the engine.
from articles.search.analysis import STOP_WORDS
from articles.vocabulary import SPELLING_VARIANTS

CONFIGSET_DIR = Path(__file__).resolve().parents[3] / "solr" / "configset" / "archive"

_HEADER = "# Written by `python -m articles.search.solr.configset` from {}; do not edit.\n"


def synonyms_text() -> str:
    """Solr's synonyms.txt: each variant spelling mapped to the one form the index stores."""
    pairs = sorted(SPELLING_VARIANTS.items())
    lines = [f"{variant} => {canonical}" for variant, canonical in pairs]
    return _HEADER.format("articles/vocabulary.py (SPELLING_VARIANTS)") + "\n".join(lines) + "\n"


def stopwords_text() -> str:
    """Solr's stopwords.txt: the words the stemmed fields leave out."""
    return _HEADER.format("the embedded engine's stop words") + "\n".join(sorted(STOP_WORDS)) + "\n"


def word_files() -> dict[str, str]:
    """Each generated file's name in the configset and its text."""
    return {"synonyms.txt": synonyms_text(), "stopwords.txt": stopwords_text()}


def write_word_files(folder: Path = CONFIGSET_DIR) -> list[Path]:
    """Write the word files into `folder`; the paths written."""
    written = []
    for name, text in word_files().items():
        path = folder / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


if __name__ == "__main__":
    for path in write_word_files(Path(sys.argv[1]) if len(sys.argv) > 1 else CONFIGSET_DIR):
        print(path)
