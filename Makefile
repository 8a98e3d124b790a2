# Zhengtong: `make run` sets everything up and serves the demo; `make test` runs the whole suite.
SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
export ZHENGTONG_DATA_DIR ?= $(CURDIR)/data
PORT ?= 8000
PYTEST_ARGS ?=

.PHONY: run install test test-fast messages clean-data

install: $(VENV)/.installed node_modules/.installed messages

$(VENV)/.installed: pyproject.toml
	@test -x $(BIN)/python || $$(scripts/find-python.sh) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e ".[test]"
	@touch $@

node_modules/.installed: package.json package-lock.json
	@scripts/ensure-system-packages.sh run
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

messages: $(VENV)/.installed
	@$(BIN)/python scripts/compile_messages.py

run: install
	$(BIN)/zhengtong migrate
	$(BIN)/zhengtong demo --if-empty
	$(BIN)/zhengtong serve --port $(PORT)

# The whole suite, browser tests included, in parallel. ZHENGTONG_DATABASE_URL picks the database.
test: install
	@scripts/ensure-system-packages.sh test
	$(BIN)/python -m pytest -n auto --dist loadfile -p no:cacheprovider $(PYTEST_ARGS)

test-fast: install
	$(BIN)/python -m pytest -n auto --dist loadfile -m "not e2e" $(PYTEST_ARGS)
