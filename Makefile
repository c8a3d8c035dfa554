# Maakstad – the two commands are `make demo` and `make test`. `make help` lists the rest.
SHELL := /bin/bash
PYTHON ?= $(shell for p in python3.12 python3.13 python3.14 /root/.pyenv/versions/3.12.1/bin/python python3; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null && { command -v $$p; break; }; done)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
PYTEST_ARGS ?=

.DEFAULT_GOAL := help
.PHONY: help install browser vendor demo serve migrate load-demo messages lint typecheck pytest test test-postgres worker clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	@if [ -z "$(PYTHON)" ]; then echo "Python >= 3.12 is nodig (niet gevonden)." >&2; exit 1; fi
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP) ## Create .venv (Python >= 3.12) and install Maakstad with its tools

browser: ## Install Debian's Chromium and poppler-utils for the tests (when missing and root)
	@missing=""; [ -x /usr/bin/chromium ] || missing="chromium"; \
	command -v pdftotext >/dev/null || missing="$$missing poppler-utils"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    (apt-get update -qq || true) && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else echo "Installeer$$missing voor de tests (Chromium, pdftotext)." >&2; exit 1; fi; fi

vendor: ## Refresh the vendored front-end files from the npm registry (versions in frontend/package.json)
	cd frontend && npm ci --ignore-scripts --no-audit --no-fund
	V=maakstad/core/static/vendor; M=frontend/node_modules; \
	cp $$M/chart.js/dist/chart.umd.min.js $$M/html5-qrcode/html5-qrcode.min.js $$M/htmx.org/dist/htmx.min.js $$M/jsqr/dist/jsQR.js $$V/ && \
	cp $$M/leaflet/dist/leaflet.js $$M/leaflet/dist/leaflet.css $$V/leaflet/ && cp $$M/leaflet/dist/images/*.png $$V/leaflet/images/ && \
	cp $$M/leaflet.markercluster/dist/leaflet.markercluster.js $$M/leaflet.markercluster/dist/MarkerCluster*.css $$V/markercluster/ && \
	cp $$M/axe-core/axe.min.js maakstad/core/tests/axe.min.js

migrate: install ## Apply database migrations
	$(PY) manage.py migrate --noinput

messages: install ## Compile the translations (locale/ and each app's locale/)
	@if find . -path ./.venv -prune -o -name '*.po' -print -quit | grep -q .; then \
	  $(PY) manage.py compilemessages --ignore=.venv -v0; fi

load-demo: migrate ## Load the TechTown demo region (idempotent)
	$(PY) manage.py load_demo

demo: load-demo messages ## Set everything up and serve the demo on http://127.0.0.1:8000
	DEBUG=1 $(PY) manage.py runserver 127.0.0.1:8000

serve: install ## Serve without reloading the demo
	DEBUG=1 $(PY) manage.py runserver 127.0.0.1:8000

worker: install ## Run the task worker for MAAKSTAD_TASKS=redis (default here) or database
	@if [ "$${MAAKSTAD_TASKS:-redis}" = database ]; then MAAKSTAD_TASKS=database $(PY) manage.py db_worker; \
	else MAAKSTAD_TASKS=redis $(PY) manage.py run_redis_tasks --continuous; fi

lint: install ## ruff lint and format check
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: install ## mypy with django-stubs
	$(VENV)/bin/mypy .

pytest: install browser messages ## The pytest suite, browser tests included
	$(PY) manage.py collectstatic --noinput -v0
	$(VENV)/bin/pytest -n 2 $(PYTEST_ARGS)

test: lint typecheck pytest ## Everything CI checks: ruff, mypy, the whole pytest suite

test-postgres: install browser messages ## The pytest suite against PostgreSQL (DATABASE_URL must be set)
	@test -n "$$DATABASE_URL" || { echo "DATABASE_URL is niet gezet" >&2; exit 1; }
	$(VENV)/bin/pytest -n 2 $(PYTEST_ARGS)

clean: ## Remove the virtualenv, the database and generated files
	rm -rf $(VENV) db.sqlite3* staticfiles media
