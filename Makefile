# shuzheng — two commands: `make run` and `make test`.
# Everything is installed into .venv/ and node_modules/; the database lives in var/.

SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
SHUZHENG := $(VENV)/bin/shuzheng
HOST ?= 127.0.0.1
PORT ?= 8000

# Django 6 needs Python >= 3.12: take the first interpreter on this machine that is new enough.
PYTHON ?= $(shell for p in python3.13 python3.12 python3 $$HOME/.pyenv/versions/3.13*/bin/python3 $$HOME/.pyenv/versions/3.12*/bin/python3; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null && { command -v $$p; break; }; done)

# The suite runs on both cores of the machine (pytest-xdist); `make test TEST_WORKERS=0` runs
# it in one process.
TEST_WORKERS ?= 2

.PHONY: run dev test setup lint format messages migrate sample static clean lock docs

# The production server (gunicorn, DEBUG off, static files collected and served by whitenoise)
# and the background worker; Ctrl-C stops both (docs/operations.md).
run: setup migrate sample static
	$(SHUZHENG) serve --bind $(HOST):$(PORT)

# Development: runserver with autoreload and DEBUG on, and a worker that reloads too.
dev: setup migrate sample
	SHUZHENG_DEBUG=1 $(SHUZHENG) serve --dev --bind $(HOST):$(PORT)

# The checks CI runs (.ci/run calls this twice: SQLite, then PostgreSQL).
test: setup
	$(VENV)/bin/ruff check src tests bench scripts
	$(VENV)/bin/ruff format --check src tests bench scripts
	$(VENV)/bin/lint-imports
	SHUZHENG_DATABASE_URL=sqlite://:memory: $(SHUZHENG) makemigrations --check --dry-run
	$(PY) scripts/gendocs.py --check
	$(VENV)/bin/pytest -n $(TEST_WORKERS) --dist loadfile $(PYTEST_ARGS)

setup: $(VENV)/.installed node_modules/.installed

# A fresh venv from the lock file: a new checkout gets exactly the versions that were tested.
$(VENV)/.installed: requirements/dev.lock pyproject.toml
	@test -n "$(PYTHON)" || { echo "error: Python 3.12 or newer is needed (Django 6)"; exit 1; }
	rm -rf $(VENV)
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --require-hashes -r requirements/dev.lock
	$(VENV)/bin/pip install --quiet --no-deps --no-build-isolation -e .
	touch $@

# After adding or changing a dependency in pyproject.toml: `make lock`, then commit
# requirements/*.lock. Existing pins are kept; `make lock LOCK_ARGS=--upgrade` moves everything
# to the newest versions (then run `make test`).
PIP_COMPILE = CUSTOM_COMPILE_COMMAND="make lock" $(VENV)/bin/pip-compile --quiet --generate-hashes \
	--strip-extras --allow-unsafe --no-emit-index-url --no-emit-find-links $(LOCK_ARGS)
lock:
	@test -x $(VENV)/bin/pip-compile || $(MAKE) setup
	$(PIP_COMPILE) -o requirements/base.lock pyproject.toml
	$(PIP_COMPILE) --extra dev -c requirements/base.lock -o requirements/dev.lock pyproject.toml

# The docs generated from the code (CLI help, settings table, OpenAPI schema; scripts/gendocs.py).
docs: setup
	$(PY) scripts/gendocs.py

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

migrate: setup
	$(SHUZHENG) migrate --noinput

sample: setup
	$(SHUZHENG) loadsample

static: setup
	$(SHUZHENG) collectstatic --noinput -v0

lint: setup
	$(VENV)/bin/ruff check src tests bench scripts
	$(VENV)/bin/ruff format --check src tests bench scripts

format: setup
	$(VENV)/bin/ruff check --fix src tests bench scripts
	$(VENV)/bin/ruff format src tests bench scripts

messages: setup
	cd src/shuzheng && ../../$(SHUZHENG) makemessages -l zh_Hans --no-obsolete --no-location && ../../$(SHUZHENG) compilemessages -l zh_Hans

clean:
	rm -rf $(VENV) node_modules var
