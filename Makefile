# Two commands on a fresh machine:  `make site`  and  `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: install site status test lint golden clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

## Install everything, validate the sample portfolio and show its statuses.
site: $(STAMP)
	$(BIN)/mxt validate
	$(BIN)/mxt status

status: $(STAMP)
	$(BIN)/mxt status

## Install everything, lint, and run the test suite.
test: $(STAMP)
	$(BIN)/ruff check generator tests
	$(BIN)/mypy
	$(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check generator tests
	$(BIN)/mypy

## Refresh the golden status.json of the sample portfolio after an intended change.
golden: $(STAMP)
	$(BIN)/mxt status --json > tests/golden/status.json

clean:
	rm -rf $(VENV) site build .pytest_cache .mypy_cache .ruff_cache
