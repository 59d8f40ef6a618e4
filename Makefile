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

.PHONY: run setup test lint format bench bench-quick bench-site clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(TEST_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[test]"
	touch $(STAMP) $@

## setup: install, migrate, ingest the seeds, bring the index up to date, collect static files
setup: $(STAMP)
	$(BIN)/python manage.py migrate --noinput --verbosity 0
	$(BIN)/python manage.py analyse_articles --catalogue-only
	$(BIN)/python manage.py ingest seeds/
	$(BIN)/python manage.py sync_index
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0

## run: set up, then serve the site with gunicorn on HOST:PORT
run: setup
	@echo "Serving Talks Archive on http://$(HOST):$(PORT)/"
	$(BIN)/gunicorn archive.wsgi:application --bind $(HOST):$(PORT) --workers $(WORKERS) \
		--threads 4 --access-logfile - --forwarded-allow-ips 127.0.0.1

## test: ruff, then the whole test suite
test: $(TEST_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest

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
	$(BIN)/python benchmarks/site.py --size $(SIZE)

## bench-quick: the search and ingest table without stock Haystack, in a few minutes at 10k
bench-quick: $(TEST_STAMP)
	$(BIN)/python benchmarks/run.py --size $(SIZE) --runs 3 --no-stock

## bench-site: every public URL under gunicorn, one client then 1, 8 and 32 (60 s each)
bench-site: $(TEST_STAMP)
	$(BIN)/python benchmarks/site.py --size $(SIZE)

clean:
	rm -rf var/ staticfiles/ .pytest_cache/ .ruff_cache/

## load: serve with gunicorn, drive concurrent clients while an ingest runs, check the index
.PHONY: load
load: $(STAMP)
	$(BIN)/python benchmarks/load.py
