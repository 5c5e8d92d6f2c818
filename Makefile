# factcheck: `make run` serves a demo desk on http://127.0.0.1:8000, `make test` runs the suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
CHROMIUM ?= /usr/bin/chromium
STAMP := $(VENV)/.installed
ENV_FILE := .env

.PHONY: install run setup test test-fast lint bench clean docs-screens

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# axe-core, which the browser tests run in each page: pinned in package-lock.json.
NODE_STAMP := node_modules/.installed
$(NODE_STAMP): package.json package-lock.json
	@command -v npm >/dev/null || { echo "The browser tests need Node.js and npm for axe-core: install them with 'apt-get install nodejs npm' (Debian)."; exit 1; }
	npm ci --ignore-scripts --no-audit --no-fund
	touch $(NODE_STAMP)

install: $(STAMP)

# This machine's development configuration, which manage.py and the WSGI/ASGI entry points
# read: written once and never overwritten, so the key stays stable; a variable set in the
# environment wins over it. Readable by its owner only, as it holds a key.
$(ENV_FILE): | $(STAMP)
	@umask 077 && printf '%s\n' \
	  '# Development settings for this machine, written by make setup; never commit it.' \
	  '# A variable set in the environment wins over this file.' \
	  'DEBUG=1' \
	  "SECRET_KEY=$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))')" \
	  > $@.partial && mv $@.partial $@
	@echo "wrote $@: DEBUG=1 and a generated SECRET_KEY, for this machine"

# Migrate, load seeds/, create the roles and demo users: safe to repeat.
setup: install $(ENV_FILE)
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py setup_demo

# The task worker runs beside the server and stops with it (Ctrl-C, or the server exiting).
run: setup
	@$(BIN)/python manage.py db_worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

test: install $(NODE_STAMP)
	@test -x $(CHROMIUM) || { echo "The browser tests need Chromium at $(CHROMIUM): install it with 'apt-get install chromium' (Debian) or set CHROMIUM=/path/to/chromium."; exit 1; }
	CHROMIUM=$(CHROMIUM) $(BIN)/pytest $(PYTEST_ARGS)

# The screenshots of docs/review.md and docs/annotating.md (docs/screens/), taken again from
# the pages as they are.
docs-screens: install
	DOCS_SCREENS=docs/screens CHROMIUM=$(CHROMIUM) $(BIN)/pytest -q -p no:randomly \
	  tests/browser/test_desk_loop.py tests/browser/test_dashboard_page.py \
	  tests/browser/test_article_page.py

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy annotations factcheck

bench: install
	$(BIN)/python bench/run.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) var .pytest_cache node_modules
