# Two commands: `make run` (set up and serve with demo data) and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON_312 := $(shell command -v python3.12 2>/dev/null || ls $$HOME/.pyenv/versions/3.12*/bin/python3.12 2>/dev/null | tail -n1)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: help run test lint format bench bench-scale messages venv migrate demo worker beat stop-db clean

help:
	@echo "make run    set up everything and serve http://127.0.0.1:8000 with demo data"
	@echo "make test   lint + the whole test suite on PostgreSQL"
	@echo "make lint   ruff, ruff format --check, mypy, makemigrations --check"
	@echo "make bench  benchmarks (bench/), results in bench/results/"
	@echo "make bench-scale  the same at 5M persons (after make bench; ~30 min)"
	@echo "make messages  update and compile the English catalogue (locale/en)"

$(STAMP): requirements/base.txt requirements/dev.txt
	@if [ -z "$(PYTHON_312)" ]; then \
	  echo "Python 3.12 is required (Django 5.2 + Unfold). Install python3.12 and retry." >&2; exit 1; fi
	@test -x $(PY) || $(PYTHON_312) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements/dev.txt
	@touch $(STAMP)

venv: $(STAMP)

migrate: $(STAMP)
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py seed_demo

run: demo
	$(PY) manage.py collectstatic --noinput --verbosity 0
	@bash scripts/run_dev.sh

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy .
	DJANGO_SETTINGS_MODULE=config.settings.test $(PY) manage.py makemigrations --check --dry-run --verbosity 1

format: $(STAMP)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# One pytest worker per core (pytest-xdist), each on its own test database; tests
# marked with one xdist_group run in one worker, in order.
PYTEST_WORKERS ?= auto
test: lint
	DJANGO_SETTINGS_MODULE=config.settings.test $(PY) -m pytest -n $(PYTEST_WORKERS) --dist loadgroup $(PYTEST_ARGS)

bench: migrate
	$(PY) -m bench.registry
	$(PY) -m bench.jobs
	$(PY) -m bench.dashboard
	$(PY) -m bench.pages
	$(PY) -m bench.api

bench-scale: migrate
	$(PY) -m bench.scale

# The English catalogue: extract the strings again, translate the new ones in
# locale/en/LC_MESSAGES/django.po, run again to compile; commit the .po and the .mo
# (nothing at run time needs gettext). Needs GNU gettext (apt install gettext).
messages: $(STAMP)
	DJANGO_SETTINGS_MODULE=config.settings.test $(PY) manage.py makemessages -l en \
		--ignore=.venv --ignore=bench --ignore=tests --ignore=staticfiles --no-location
	DJANGO_SETTINGS_MODULE=config.settings.test $(PY) manage.py compilemessages -l en -l id --ignore=.venv

stop-db:
	@$(PY) -c "from config.embedded_db import stop; stop()" || true

clean:
	rm -rf $(VENV) staticfiles .mypy_cache .ruff_cache .pytest_cache
