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

.PHONY: run test setup lint format messages migrate sample clean

run: setup migrate sample
	SHUZHENG_DEBUG=1 $(SHUZHENG) runserver $(HOST):$(PORT)

test: setup
	$(VENV)/bin/ruff check src tests bench
	$(VENV)/bin/pytest $(PYTEST_ARGS)

setup: $(VENV)/.installed node_modules/.installed

$(VENV)/.installed: pyproject.toml
	@test -n "$(PYTHON)" || { echo "error: Python 3.12 or newer is needed (Django 6)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -e '.[dev]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

migrate: setup
	$(SHUZHENG) migrate --noinput

sample: setup
	$(SHUZHENG) loadsample

lint: setup
	$(VENV)/bin/ruff check src tests bench
	$(VENV)/bin/ruff format --check src tests bench

format: setup
	$(VENV)/bin/ruff check --fix src tests bench
	$(VENV)/bin/ruff format src tests bench

messages: setup
	cd src/shuzheng && ../../$(SHUZHENG) makemessages -l zh_Hans --no-obsolete && ../../$(SHUZHENG) compilemessages -l zh_Hans

clean:
	rm -rf $(VENV) node_modules var
