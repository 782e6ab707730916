# Baladiyati — the two commands at the top of the README are `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
MANAGE := $(BIN)/python manage.py
HOST ?= 127.0.0.1
PORT ?= 8000
TEST_WORKERS ?= auto
VENDOR := baladiyati/portal/static/portal/vendor
VENDOR_STAMP := $(VENDOR)/.installed-stamp

.PHONY: demo install vendor messages migrate seed serve test test-postgres lint format ci clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	@touch $(STAMP)

install: $(STAMP) $(VENDOR_STAMP)

# Front-end libraries (package.json, exact versions in package-lock.json) from the npm
# registry at build time, copied into the portal's static folder; never a CDN at run time.
# Source map comments are dropped: the maps are not shipped (collectstatic would look for them).
$(VENDOR_STAMP): package.json package-lock.json
	@command -v npm >/dev/null || { echo "npm not found: apt-get install npm" >&2; exit 1; }
	npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
	rm -rf $(VENDOR) && mkdir -p $(VENDOR)/leaflet/images
	sed '/sourceMappingURL=/d' node_modules/leaflet/dist/leaflet.js > $(VENDOR)/leaflet/leaflet.js
	cp node_modules/leaflet/dist/leaflet.css node_modules/leaflet/LICENSE $(VENDOR)/leaflet/
	cp node_modules/leaflet/dist/images/*.png $(VENDOR)/leaflet/images/
	@touch $(VENDOR_STAMP)

vendor: $(VENDOR_STAMP)

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
# data and serves it on http://127.0.0.1:8000 (HOST=… PORT=… to change; links in messages and
# permit QR codes follow: SITE_ROOT is set to that address). Running it again reuses what exists.
demo: messages vendor seed
	@echo
	@echo "  Baladiyati demo:   http://$(HOST):$(PORT)/"
	@echo "  Back office:       http://$(HOST):$(PORT)/backoffice/  (password, then TOTP: manage.py demo_totp <user>)"
	@echo "  Building permits:  http://$(HOST):$(PORT)/permits/  (review: /backoffice/permits/, register: /permits/register)"
	@echo "  Citizen sign-in:   http://$(HOST):$(PORT)/signin  (salim: +96891234567; the code is printed on this console)"
	@echo "  Admin (Arabic):    http://$(HOST):$(PORT)/admin/"
	@echo "  Open311 (GeoReport v2): http://$(HOST):$(PORT)/open311/v2/discovery.json"
	@echo "  Health check:      http://$(HOST):$(PORT)/healthz"
	@echo "  Background worker: messages, SLA warnings and escalations (manage.py run_worker)"
	@echo
	@export SITE_ROOT=$${SITE_ROOT:-http://$(HOST):$(PORT)}; \
	$(MANAGE) run_worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(MANAGE) runserver $(HOST):$(PORT)

# The whole suite, in parallel, on the embedded SQLite database.
test: messages vendor
	$(BIN)/pytest -n $(TEST_WORKERS) -q

# The same suite on a throw-away PostgreSQL cluster.
test-postgres: messages vendor
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

# Benchmarks, not part of `make test`: N generated cases (default a million) on SQLite and on
# a throw-away PostgreSQL 15 cluster, served by the production server (granian, two workers)
# and loaded with wrk; writes docs/benchmarks.md. E.g. `make bench N=200000 DATABASES=sqlite`.
# Installs wrk and PostgreSQL from Debian when missing, as .ci/run does.
N ?= 1000000
DATABASES ?= sqlite,postgres
.PHONY: bench
bench: install messages
	@command -v wrk >/dev/null || { echo "Installing wrk from Debian"; \
		apt-get update -q && apt-get install -y -q --no-install-recommends wrk; }
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || case "$(DATABASES)" in *postgres*) \
		echo "Installing PostgreSQL from Debian"; apt-get update -q && \
		apt-get install -y -q --no-install-recommends postgresql;; esac
	$(BIN)/python bench/run.py --cases $(N) --databases $(DATABASES)
