# Beacon: every task a developer or operator needs. `make help` lists them.
SHELL := /bin/bash
.DEFAULT_GOAL := help
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: help install run dev test test-deps lint importlint test-fast test-sqlite test-pg test-browser bench-safety bench-pledges bench-conversations lock screenshots demo clean

help: ## List the tasks
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

$(VENV)/.installed: requirements/lock.txt pyproject.toml
	@test -x $(PY) || python3 -m venv $(VENV)
	$(PIP) install --quiet --disable-pip-version-check -r requirements/lock.txt
	$(PIP) install --quiet --disable-pip-version-check --no-deps -e .
	@touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

var/static/.collected: $(VENV)/.installed node_modules/.installed $(shell find src/beacon -path '*/static/*' -type f 2>/dev/null)
	@mkdir -p var
	$(PY) manage.py collectstatic --noinput --verbosity 0
	@touch $@

install: $(VENV)/.installed node_modules/.installed var/static/.collected ## Create .venv, install pinned Python and npm packages, collect static files

run: install ## Set up everything and serve Beacon with demo content on http://$(HOST):$(PORT)
	@HOST=$(HOST) PORT=$(PORT) bash tools/serve.sh

dev: install ## Serve with Django's auto-reloading development server (DEBUG on)
	DEBUG=1 $(PY) manage.py migrate --noinput
	DEBUG=1 $(PY) manage.py runserver $(HOST):$(PORT)

demo: install ## Load the demo content again (idempotent)
	$(PY) manage.py migrate --noinput --verbosity 0
	$(PY) manage.py seed_demo

test-deps: install ## Install Chromium and PostgreSQL from Debian when missing (as root)
	@bash tools/test-deps.sh

lint: install ## ruff lint and format check
	$(VENV)/bin/ruff check src tests bench tools
	$(VENV)/bin/ruff format --check src tests bench tools

importlint: install ## import-linter: layer and dependency contracts
	$(VENV)/bin/lint-imports

test-sqlite: install ## pytest on SQLite (all but browser journeys)
	$(VENV)/bin/pytest -m "not browser" -n 2 -q

test-pg: test-deps ## pytest on a real PostgreSQL started for the run (database tests)
	@bash tools/with-postgres.sh $(VENV)/bin/pytest -m "not browser and not safety" -n 2 -q -p no:cacheprovider

test-browser: test-deps ## Browser journeys in headless Debian Chromium, with axe-core
	$(VENV)/bin/pytest -m browser -q -p no:cacheprovider

test-fast: install ## Quick loop: unit and integration tests on SQLite, no lint
	$(VENV)/bin/pytest -m "not browser" -q -x

test: test-deps lint importlint test-sqlite test-pg test-browser ## Everything CI runs
	@echo "All checks passed."

bench-safety: install ## beacon_safety quality and speed benchmark
	$(PY) bench/safety/run.py

bench-pledges: test-deps ## Pledge signing at 200/s over HTTP on PostgreSQL; checks no count is lost
	BEACON_TEST_PG_PORT=$${BEACON_TEST_PG_PORT:-54334} bash tools/with-postgres.sh $(PY) bench/campaigns/pledge_signing.py

bench-initiatives: install ## Initiatives search (place + radius) and impact dashboard page times, SQLite
	$(PY) bench/initiatives/search_bench.py

bench-events: test-deps ## Event listing by place and date (1,000 initiatives, 50,000 meetings, 500,000 RSVPs), SQLite then PostgreSQL
	$(PY) bench/events/listing.py
	BEACON_TEST_PG_PORT=$${BEACON_TEST_PG_PORT:-54332} bash tools/with-postgres.sh $(PY) bench/events/listing.py

bench-conversations: install ## Live conversation, 500 participants over HTTP (gunicorn): answer visible to others p95
	$(PY) bench/conversations/live.py

lock: ## Re-resolve dependencies into requirements/lock.txt (needs the registry)
	rm -rf /tmp/beacon-lock && python3 -m venv /tmp/beacon-lock
	/tmp/beacon-lock/bin/pip install --quiet -r requirements/main.in -r requirements/dev.in
	( echo "# Exact versions of every package, direct and indirect. Regenerate with \`make lock\`."; \
	  /tmp/beacon-lock/bin/pip freeze --exclude-editable ) > requirements/lock.txt

screenshots: install ## Screenshots of a running Beacon into docs/screenshots/
	$(PY) tools/screenshots.py http://$(HOST):$(PORT)

clean: ## Remove the virtual environment, npm packages and collected static files (keeps var/ data)
	rm -rf $(VENV) node_modules var/static
