# dixian: the two commands are `make run` and `make test` (see README).
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint typecheck bench install install-test clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

# Reinstall only when pyproject.toml changes.
$(VENV)/.installed-run: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e ".[test]"
	touch $@ $(VENV)/.installed-run

install: $(VENV)/.installed-run
install-test: $(VENV)/.installed-test

run: install
	DIXIAN_DEBUG=1 $(BIN)/dixian migrate --no-input -v0
	DIXIAN_DEBUG=1 $(BIN)/dixian demo
	@echo ""
	@echo "底线 dixian is serving at http://$(HOST):$(PORT)/  (Ctrl-C to stop; background jobs: var/worker.log)"
	@mkdir -p var; \
	DIXIAN_DEBUG=1 $(BIN)/dixian db_worker --no-reload > var/worker.log 2>&1 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	DIXIAN_DEBUG=1 $(BIN)/dixian runserver --noreload $(HOST):$(PORT)

test: install-test
	$(BIN)/dixian makemigrations --check --dry-run -v0
	$(BIN)/pytest -q $(PYTEST_ARGS)

lint: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy dixian

# Benchmarks at province scale (bench/harness.py): needs DATABASE_URL=postgres://…/dixian_bench;
# builds or reuses 1,000,000 households; figures to bench/results.json and bench/results.md.
# BENCH_ARGS e.g. "--households 100000 --scales 20000,100000" or "--smoke".
bench: install-test
	$(BIN)/python -m bench $(BENCH_ARGS)

clean:
	rm -rf $(VENV) var
