# Two commands: `make run` (set up and serve on SQLite) and `make test` (set up and test).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
FIXTURES := $(wildcard fixtures/*.json)
HOST ?= 127.0.0.1
PORT ?= 8000
# Tests run under the production configuration (debug off) with a throwaway key.
PYTEST_ARGS ?= -n 2
TEST_ENV := DJANGO_DEBUG= DJANGO_SECRET_KEY=test-only-secret-key-not-for-production-use-0123456789

.PHONY: run test lint serve venv venv-dev migrate fixtures editor editor-code clean backup restore loadtest

# The site's own packages (requirements.txt) for running it; tests and tools (requirements-dev.txt) on top.
venv: $(VENV)/.installed
venv-dev: $(VENV)/.installed-dev

$(VENV)/.installed: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.txt
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

migrate: venv
	DJANGO_DEBUG=1 $(PY) manage.py migrate --no-input

# All or nothing, every object validated (README: Backup and restore). Objects found by natural key are
# updated, so loading twice duplicates nothing.
fixtures: migrate
	DJANGO_DEBUG=1 $(PY) manage.py load_checked $(FIXTURES)

editor: migrate
	DJANGO_DEBUG=1 $(PY) manage.py ensure_editor --url http://$(HOST):$(PORT)/admin/

# The local editor's current second-factor code, for logging in without an authenticator app.
editor-code: venv
	@DJANGO_DEBUG=1 $(PY) manage.py ensure_editor --code

run: fixtures editor
	@echo "Serving on http://$(HOST):$(PORT)/"
	DJANGO_DEBUG=1 $(PY) manage.py runserver $(HOST):$(PORT)

test: venv-dev
	$(TEST_ENV) $(VENV)/bin/pytest $(PYTEST_ARGS)

lint: venv-dev
	$(VENV)/bin/ruff check .
	$(TEST_ENV) $(PY) manage.py check --fail-level WARNING

# The production configuration: debug off, static files collected and served by WhiteNoise.
# Needs DJANGO_SECRET_KEY and DJANGO_ALLOWED_HOSTS (see README).
serve: venv
	$(PY) manage.py collectstatic --no-input --verbosity 0
	$(PY) manage.py migrate --no-input
	$(VENV)/bin/gunicorn soundtrack_site.wsgi --bind $(HOST):$(PORT) --workers $${WEB_CONCURRENCY:-3}

# Backup and restore (README): the database to backups/soundtrack-<time>.json, and back.
# Debug on, as for migrate, only spares a development database the secret key; commands serve nothing.
backup: venv
	DJANGO_DEBUG=1 $(PY) manage.py backup

# make restore FILE=backups/….json — into a database without content; REPLACE=1 empties it first.
restore: venv
	@test -n "$(FILE)" || { echo "Usage: make restore FILE=backups/<name>.json [REPLACE=1]" >&2; exit 2; }
	DJANGO_DEBUG=1 $(PY) manage.py migrate --no-input
	DJANGO_DEBUG=1 $(PY) manage.py restore "$(FILE)" $(if $(REPLACE),--replace)

# Gunicorn in the production configuration on throwaway SQLite and PostgreSQL databases: 50 visitors and
# 2 editors saving through the admin, LOADTEST_DURATION seconds each (README: Load test).
LOADTEST_DURATION ?= 60
loadtest: venv-dev
	$(PY) -m loadtest.run --duration $(LOADTEST_DURATION) $(LOADTEST_ARGS)

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache
