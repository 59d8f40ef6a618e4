"""Each engine package is the only place that imports its engine: everything above the
engines (views, the search service, the query tree, highlighting, related coverage, index
upkeep) speaks Haystack and the query tree, so another engine replaces the embedded one by
configuration. Read from the source, so a new import breaks the build, not a deployment."""

import ast
from pathlib import Path

import pytest

ARTICLES = Path(__file__).resolve().parent.parent / "articles"
ENGINE_PACKAGES = {
    "articles.search.whoosh": ARTICLES / "search" / "whoosh",
    "articles.search.solr": ARTICLES / "search" / "solr",
}
# Each engine's client libraries, which only its own package may import; and the one pure
# algorithm the neutral analysis borrows from Whoosh (the Porter stemmer, with no index
# behind it: Solr's PorterStemFilter is the same).
OWN_LIBRARIES = {
    "articles.search.whoosh": ("whoosh", "haystack.backends.whoosh_backend"),
    "articles.search.solr": ("pysolr", "haystack.backends.solr_backend"),
}
ENGINE_LIBRARIES = (
    *("whoosh", "pysolr", "elasticsearch", "haystack.backends.whoosh_backend"),
    *("haystack.backends.solr_backend", "haystack.backends.elasticsearch_backend"),
    *("haystack.backends.elasticsearch7_backend",),
)
ALLOWED = ("whoosh.lang.porter",)


def imported_modules(path: Path) -> list[str]:
    """Every module a source file imports, `from x import y` counted as x and x.y."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            found.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.append(node.module)
            found.extend(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def _within(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


def engine_imports(path: Path, own_package: str | None = None) -> list[str]:
    """The imports of `path` that reach an engine other than its own package's."""
    bad = []
    for module in imported_modules(path):
        for package in ENGINE_PACKAGES:
            if package != own_package and _within(module, package):
                bad.append(module)
        own = OWN_LIBRARIES.get(own_package or "", ())
        for library in ENGINE_LIBRARIES:
            if (
                _within(module, library)
                and not any(_within(module, mine) for mine in own)
                and not any(_within(module, allowed) for allowed in ALLOWED)
            ):
                bad.append(module)
    return sorted(set(bad))


def _package_of(path: Path) -> str | None:
    return next((name for name, folder in ENGINE_PACKAGES.items() if folder in path.parents), None)


SOURCES = sorted(ARTICLES.rglob("*.py"))


@pytest.mark.parametrize("path", SOURCES, ids=lambda path: str(path.relative_to(ARTICLES)))
def test_only_an_engine_s_own_package_imports_that_engine(path):
    assert engine_imports(path, _package_of(path)) == []


def test_the_rule_catches_an_engine_import(tmp_path):
    source = tmp_path / "view.py"
    source.write_text(
        "from articles.search.whoosh.analysis import analyse\n"
        "import whoosh.query\n"
        "from articles.search import solr\n"
        "from whoosh.lang.porter import stem\n"
    )
    assert engine_imports(source) == [
        "articles.search.solr",
        "articles.search.whoosh.analysis",
        "articles.search.whoosh.analysis.analyse",
        "whoosh.query",
    ]


def test_the_layers_the_engines_serve_are_all_checked():
    checked = {str(path.relative_to(ARTICLES)) for path in SOURCES}
    assert {
        "search/query.py",
        "search/service.py",
        "search/highlight.py",
        "search/sync.py",
        "related.py",
        "search_views.py",
        "quotation_search.py",
    } <= checked
