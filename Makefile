# unisupport — two commands on a fresh machine with Python ≥ 3.11 and make:
#   make run    set up everything and serve the portal on http://127.0.0.1:8000
#   make test   lint, type-check and run the whole test suite
# DATABASE_URL switches from the embedded SQLite file (var/unisupport.sqlite3) to PostgreSQL.

SHELL := /bin/bash
PYTHON ?= python3
UV_VERSION := 0.13.8
ADDR ?= 127.0.0.1:8000

# uv from PATH if there is one, else a private copy bootstrapped with pip into .tools/.
UV := $(shell command -v uv 2>/dev/null)
ifeq ($(UV),)
UV := .tools/bin/uv
UV_DEP := .tools/bin/uv
endif
BIN := .venv/bin

.PHONY: install run test lint typecheck pytest pytest-domain migrate demo bench clean messages a11y

.tools/bin/uv:
	$(PYTHON) -m venv .tools
	.tools/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

install: $(UV_DEP)
	$(UV) sync --frozen --all-groups --python $(PYTHON) --quiet

migrate: install
	$(BIN)/unisupport migrate

demo: migrate
	$(BIN)/unisupport demo

# The worker runs beside the server; e-mails go to files in var/mail/ unless
# UNISUPPORT_EMAIL_BACKEND names another backend (e.g. SMTP, with UNISUPPORT_SMTP_HOST/PORT).
run: demo
	@echo "Serving the portal on http://$(ADDR)/ (API docs: http://$(ADDR)/api/docs, back office: http://$(ADDR)/admin/)"
	@echo "The worker runs beside it; its e-mails are written to var/mail/."
	export UNISUPPORT_EMAIL_BACKEND=$${UNISUPPORT_EMAIL_BACKEND:-django.core.mail.backends.filebased.EmailBackend}; \
	$(BIN)/unisupport worker & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/unisupport serve --addr $(ADDR)

lint: install
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/lint-imports

typecheck: install
	$(BIN)/mypy

# Tests close their connections after each request (a kept one would hold the test database open).
# The domain's tests are run once, without Django (pytest-domain); the rest then run with it, in
# PYTEST_WORKERS processes (pytest-xdist; each has its own test database; the transactional tests,
# which start servers and processes, all in one of them: see tests/conftest.py).
PYTEST_WORKERS ?= 2
pytest: install pytest-domain a11y
	UNISUPPORT_CONN_MAX_AGE=0 $(BIN)/pytest -n $(PYTEST_WORKERS) --dist loadgroup --no-loadscope-reorder --ignore=tests/domain

# The domain's tests without Django: the purity its docstring promises (tests/domain/conftest.py).
# Without the plugin, pytest would warn that it does not know the DJANGO_SETTINGS_MODULE option.
pytest-domain: install
	$(BIN)/pytest tests/domain -p no:django -q -W ignore::pytest.PytestConfigWarning

test: lint typecheck pytest

# axe-core for the browser tests' accessibility check, from the npm registry at the version and
# checksum of tests/a11y/package-lock.json (a test tool, never shipped). Without npm that test is
# skipped (a failure under UNISUPPORT_REQUIRE_ALL=1, as in CI).
a11y:
	@if [ -f tests/a11y/node_modules/axe-core/axe.min.js ]; then :; \
	elif command -v npm >/dev/null 2>&1; then cd tests/a11y && npm ci --no-audit --no-fund --silent; \
	else echo "npm is missing: the accessibility test will be skipped"; fi

bench: install
	$(UV) sync --frozen --all-groups --quiet
	$(BIN)/python bench/bench_calendar.py

# Each app keeps its own catalogue (src/unisupport/APP/locale/fr/LC_MESSAGES/django.po), and so
# does the domain (src/unisupport/domain/locale: its gettext_noop templates, found through
# LOCALE_PATHS): extract with GNU gettext's xgettext (a developer tool; the .mo files are committed).
messages: install
	for app in src/unisupport/*/locale; do (cd $$app/.. && $(CURDIR)/$(BIN)/django-admin makemessages -l fr --no-obsolete --settings=unisupport.settings); done
	$(BIN)/python -m unisupport.portal.compile_messages

clean:
	rm -rf .venv .tools var .pytest_cache .mypy_cache .ruff_cache
