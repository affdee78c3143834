# Entry points. `make run` to try the site, `make test` to check it.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PORT   ?= 8000
HOST   ?= 127.0.0.1

WORKERS ?= 4
# gunicorn's access log for `make serve`: stdout by default; `make bench` runs it with
# ACCESS_LOG= (none), so that wrk measures the site rather than the logging.
ACCESS_LOG ?= -

.PHONY: run serve bench bench-uploads test lint format seed install install-dev clean validate audit loadtest twohost

# What running the site needs (requirements.txt); the test and check tools come on top
# (requirements-dev.txt) only for the targets that use them. Reinstalled only when a
# requirements file changes.
$(VENV)/.installed: requirements.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	@touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.txt
	$(PY) -m pip install --quiet -r requirements-dev.txt
	@touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

## run: install, migrate, load the seeded guides (never overwriting edits), serve on http://$(HOST):$(PORT)
run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_guides
	DEBUG=$${DEBUG:-1} $(PY) manage.py runserver $(HOST):$(PORT)

## serve: production-like: gunicorn workers, DEBUG off, hashed + compressed static files via WhiteNoise
serve: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_guides
	STATIC_HASHED=1 $(PY) manage.py collectstatic --noinput --verbosity 0
	STATIC_HASHED=1 DEBUG=0 SERVE_MEDIA=$${SERVE_MEDIA:-1} $(VENV)/bin/gunicorn massage_site.wsgi \
		--bind $(HOST):$(PORT) --workers $(WORKERS) $(if $(ACCESS_LOG),--access-logfile $(ACCESS_LOG)) --graceful-timeout 10

## bench: requests/s, latency, queries and size per page against the static-file ceiling (needs wrk)
bench: install-dev
	@command -v wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk)
	$(PY) bench/bench.py

## bench-uploads: time and peak memory of checking one uploaded picture, for PNG/JPEG/WebP of a few sizes
bench-uploads: install
	$(PY) bench/upload_memory.py

seed: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_guides

## test: the whole suite (browser tests need Chromium: see README)
test: install-dev
	$(PY) -m pytest $(PYTEST_ARGS)

## lint: the code checks CI runs: ruff (lint and format), Django's system checks, no missing migration
lint: install-dev
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) manage.py check --fail-level WARNING
	$(PY) manage.py makemigrations --check --dry-run

format: install-dev
	$(PY) -m ruff format .
	$(PY) -m ruff check --fix .

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache

# Page checks need node_modules (npm ci --ignore-scripts: the tools use the machine's
# java and Debian's chromium, never a downloaded runtime or browser).
node_modules/.package-lock.json: package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund
	@touch $@

## validate: every public page of a throwaway live server: Nu Html Checker 0 errors, axe 0 violations (CI runs it)
validate: install-dev node_modules/.package-lock.json
	$(PY) checks/validate_pages.py

## audit: Lighthouse scores (mobile) for home, a technique and a routine: a report, not a gate
audit: install-dev node_modules/.package-lock.json
	$(PY) checks/lighthouse_audit.py

## twohost: two app servers in separate folders sharing PostgreSQL, Redis and an S3 server (moto): uploads, edits, replacements seen from both
twohost: install-dev
	$(PY) bench/twohost.py

## loadtest: 64 connections on every page type (PostgreSQL + Redis) while an editor publishes; Redis stopped, Redis hung, a worker killed
loadtest: install-dev
	@command -v wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk)
	@command -v redis-server >/dev/null || (apt-get update -qq && apt-get install -y -qq redis-server)
	$(PY) bench/loadtest.py
