# The documented commands: `make run` serves the archive, `make test` checks it.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
WORKERS ?= 2
SIZE ?= 10000
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test

.PHONY: run setup test lint format bench bench-quick bench-relevance bench-site bench-first-views eval clean solr

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(TEST_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[test]"
	touch $(STAMP) $@

## setup: install, migrate, ingest the seeds, bring the index up to date, rank and keep the
## articles' related coverage, collect static files
setup: $(STAMP)
	$(BIN)/python manage.py migrate --noinput --verbosity 0
	$(BIN)/python manage.py analyse_articles --catalogue-only
	$(BIN)/python manage.py ingest seeds/
	$(BIN)/python manage.py sync_index
	$(BIN)/python manage.py relate_articles
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0

## run: set up, then serve the site with gunicorn on HOST:PORT
run: setup
	@echo "Serving Talks Archive on http://$(HOST):$(PORT)/"
	$(BIN)/gunicorn archive.wsgi:application --bind $(HOST):$(PORT) --workers $(WORKERS) \
		--threads 4 --timeout 30 --access-logfile - --forwarded-allow-ips 127.0.0.1

# The search and browsing tests, run a second time with searches answered by Haystack's own
# Whoosh backend (tests/haystack_search.py) and a third on SolrCloud (tests/settings_solr.py):
# nothing above the backend may depend on the archive's array engine.
SEARCH_TESTS := tests/test_search.py tests/test_views_browse.py tests/test_coverage.py \
	tests/test_feeds.py tests/test_exact_phrases.py tests/test_related.py tests/test_kept_related.py \
	tests/test_quotation_search.py tests/test_export_limits.py

## test: ruff, then the whole test suite, Haystack's own Whoosh backend tests on the archive's
## engine (tests/haystack_contract), then the search tests on Haystack's own backend and
## on a SolrCloud of their own (tests/settings_solr.py; left out, saying so, without Java and Maven)
test: $(TEST_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest
	$(BIN)/python -m pytest --ds=tests.settings_haystack_search $(SEARCH_TESTS)
	$(BIN)/python -m pytest --ds=tests.haystack_contract.settings tests/haystack_contract
	@if command -v java >/dev/null && command -v mvn >/dev/null; then \
		echo "$(BIN)/python -m pytest --ds=tests.settings_solr $(SEARCH_TESTS)"; \
		$(BIN)/python -m pytest --ds=tests.settings_solr $(SEARCH_TESTS); \
	else \
		echo "Search tests on SolrCloud skipped: they need java (17) and mvn (3.8) on the PATH."; \
	fi

lint: $(TEST_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(TEST_STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

## bench: benchmark kit at SIZE articles, beside stock Haystack and SQLite FTS5 (about
## half an hour at 10k: stock Haystack's rebuild alone takes 12 minutes), then every
## public URL served by gunicorn, alone and under 1, 8 and 32 clients (bench-site)
bench: $(TEST_STAMP)
	$(BIN)/python benchmarks/run.py --size $(SIZE)
	$(BIN)/python benchmarks/relevance/measure.py
	$(BIN)/python benchmarks/site.py --size $(SIZE)

## bench-quick: the search and ingest table without stock Haystack, in a few minutes at 10k
bench-quick: $(TEST_STAMP)
	$(BIN)/python benchmarks/run.py --size $(SIZE) --runs 3 --no-stock
	$(BIN)/python benchmarks/relevance/measure.py

## bench-relevance: related coverage, judged queries and exact phrases on the judged set,
## beside a TF-IDF cosine baseline (under a minute)
bench-relevance: $(TEST_STAMP)
	$(BIN)/python benchmarks/relevance/measure.py

## bench-first-views: article pages opened once each (related coverage ranked, caches
## cold), then again, at SIZE generated articles
bench-first-views: $(TEST_STAMP)
	$(BIN)/python benchmarks/first_views.py --size $(SIZE)

## eval: score the ingester on the development set (../shared/devset) beside trafilatura,
## through a real ingest and export; ARGS="--misses --by-language" for more
eval: $(TEST_STAMP)
	$(BIN)/python benchmarks/evaluate.py $(ARGS)

## bench-site: every public URL under gunicorn, one client then 1, 8 and 32 (60 s each)
bench-site: $(TEST_STAMP)
	$(BIN)/python benchmarks/site.py --size $(SIZE)

# A local SolrCloud from Maven artifacts (solr/launcher/): Java 17 and Maven 3.8 on the PATH.
SOLR_PORT ?= 8983
SOLR_ZK_PORT ?= 9983
SOLR_NODES ?= 2
SOLR_SHARDS ?= 2
SOLR_DATA ?= var/solr
SOLR_HEAP ?= 1g
SOLR_BUILD := var/solr-launcher
SOLR_LAUNCHER := $(SOLR_BUILD)/solr-launcher-1.0.jar

$(SOLR_LAUNCHER): solr/launcher/pom.xml $(shell find solr/launcher/src -type f)
	cd solr/launcher && mvn -q -B -Dstyle.color=never package

## solr: start a local SolrCloud (SOLR_NODES nodes from SOLR_PORT up, an embedded ZooKeeper on
## SOLR_ZK_PORT, collection `archive` in SOLR_SHARDS shards), print the SEARCH_URL line to use,
## and run until stopped (Ctrl-C); each start begins with an empty index under SOLR_DATA
solr: $(SOLR_LAUNCHER)
	exec java -Xmx$(SOLR_HEAP) -cp '$(SOLR_BUILD)/lib/*:$(SOLR_BUILD)/classes' archive.solr.Launcher \
		--configset solr/configset/archive --data $(SOLR_DATA) --port $(SOLR_PORT) \
		--zk-port $(SOLR_ZK_PORT) --nodes $(SOLR_NODES) --shards $(SOLR_SHARDS)

clean:
	rm -rf var/ staticfiles/ .pytest_cache/ .ruff_cache/

## load: serve with gunicorn, drive concurrent clients while an ingest runs, check the index
.PHONY: load
load: $(STAMP)
	$(BIN)/python benchmarks/load.py

## kill: SIGKILL an ingest at 20 random points; each next ingest or sync_index must leave
## database and index equal (about half an hour on two shared cores)
.PHONY: kill
kill: $(STAMP)
	$(BIN)/python benchmarks/kill.py --points 20
