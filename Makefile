# Observatoire ANEF: two set-up commands, `make run` and `make test`.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
OBS := $(VENV)/bin/observatoire
API_PORT ?= 8000
DASHBOARD_PORT ?= 8501
export API_PORT DASHBOARD_PORT

.PHONY: run test env env-test system-deps lint typecheck pytest audit bench-deps clean contract

$(VENV)/bin/python:
	@command -v uv >/dev/null 2>&1 || python3 -m pip install --quiet uv
	uv venv --quiet $(VENV) --python python3

$(VENV)/.runtime: pyproject.toml | $(VENV)/bin/python
	uv pip install --quiet --python $(PY) -e .
	@touch $@

$(VENV)/.test: pyproject.toml | $(VENV)/bin/python
	uv pip install --quiet --python $(PY) -e '.[test]'
	@touch $@ $(VENV)/.runtime

env: $(VENV)/.runtime  ## Create the environment (runtime dependencies)
env-test: $(VENV)/.test  ## Environment with test tools

## make run: environment, migrations, demo data when the database is empty, API + dashboard.
run: env
	$(OBS) base migrer
	$(OBS) lancer --demo-si-vide --api-port $(API_PORT) --dashboard-port $(DASHBOARD_PORT)

contract: env  ## Regenerate the committed OpenAPI document (contract/openapi.json)
	$(PY) -m api.contract > contract/openapi.json

system-deps:  ## Debian Chromium for browser tests; PostgreSQL started when installed but stopped
	@bash scripts/ensure-system-deps.sh

lint: env-test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: env-test
	$(VENV)/bin/mypy

pytest: env-test system-deps
	$(PY) -m pytest -p no:cacheprovider -n 2 --dist loadfile

## make test: lint, type check and the whole suite (SQLite and PostgreSQL, headless Chromium).
test: lint typecheck pytest

audit: env-test  ## Known vulnerabilities in dependencies, and security lint
	uv pip install --quiet --python $(PY) pip-audit bandit
	$(VENV)/bin/pip-audit --skip-editable
	$(VENV)/bin/bandit -q -c pyproject.toml -r observatoire api etl dashboard

bench-deps: env-test system-deps  ## What bench/ needs: Datasette, Debian's wrk and npm (vega-embed)
	uv pip install --quiet --python $(PY) -e '.[test,bench]'
	@for tool in wrk npm; do command -v $$tool >/dev/null 2>&1 || missing="$$missing $$tool"; done; \
	if [ -n "$$missing" ]; then \
	  SUDO=""; [ "$$(id -u)" -eq 0 ] || SUDO="sudo"; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache artifacts
