# Baladiyati — the two commands at the top of the README are `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
MANAGE := $(BIN)/python manage.py
HOST ?= 127.0.0.1
PORT ?= 8000
TEST_WORKERS ?= auto

.PHONY: demo install messages migrate seed serve test test-postgres lint format ci clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	@touch $(STAMP)

install: $(STAMP)

# Compiles baladiyati/locale/*/LC_MESSAGES/django.po to .mo (needs gettext's msgfmt).
messages: $(STAMP)
	@command -v msgfmt >/dev/null || { echo "msgfmt not found: apt-get install gettext" >&2; exit 1; }
	cd baladiyati && ../$(BIN)/django-admin compilemessages --ignore=.venv >/dev/null

migrate: $(STAMP)
	@mkdir -p var
	$(MANAGE) migrate --noinput

seed: migrate
	$(MANAGE) seed_demo

# Installs, migrates the embedded SQLite database, compiles translations, loads the demo
# data and serves it on http://127.0.0.1:8000. Running it again reuses what exists.
demo: messages seed
	@echo
	@echo "  Baladiyati demo:   http://$(HOST):$(PORT)/"
	@echo "  Admin (Arabic):    http://$(HOST):$(PORT)/admin/"
	@echo "  Open311 (GeoReport v2): http://$(HOST):$(PORT)/open311/v2/discovery.json"
	@echo "  Health check:      http://$(HOST):$(PORT)/healthz"
	@echo
	$(MANAGE) runserver $(HOST):$(PORT)

# The whole suite, in parallel, on the embedded SQLite database.
test: messages
	$(BIN)/pytest -n $(TEST_WORKERS) -q

# The same suite on a throw-away PostgreSQL cluster.
test-postgres: messages
	scripts/with-postgres.sh $(BIN)/pytest -n $(TEST_WORKERS) -q

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy baladiyati

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf var/static .mypy_cache .ruff_cache
