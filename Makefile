# Rasd: `make demo` runs the main job on the bundled sample corpus, `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SHARED ?= ../shared

.PHONY: demo test lint install install-test clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

install: $(BIN)/python
	$(BIN)/pip install -q -e .

install-test: $(BIN)/python
	$(BIN)/pip install -q -e '.[test]'

demo: install
	$(BIN)/rasd demo

lint: install-test
	$(BIN)/ruff check src tests $(wildcard scripts)
	$(BIN)/ruff format --check src tests $(wildcard scripts)

test: install-test lint
	$(BIN)/pytest

clean:
	rm -rf $(VENV) build *.egg-info src/*.egg-info .pytest_cache .ruff_cache
