# Two commands on a fresh machine:  `make site`  and  `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: install system-deps test-deps site status test lint golden serve clean

$(STAMP): pyproject.toml
	bash scripts/install-system-deps.sh
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

system-deps:
	bash scripts/install-system-deps.sh

test-deps:
	bash scripts/install-system-deps.sh --test

## Install everything and build the demo site into site/.
site: $(STAMP) system-deps
	$(BIN)/mxt build

serve: $(STAMP)
	$(BIN)/mxt serve

status: $(STAMP)
	$(BIN)/mxt status

## Install everything, lint, and run the test suite.
test: $(STAMP) test-deps
	$(BIN)/ruff check generator tests benchmarks scripts
	$(BIN)/mypy
	$(BIN)/python -m pytest -q -n 2 --dist loadfile

lint: $(STAMP)
	$(BIN)/ruff check generator tests benchmarks scripts
	$(BIN)/mypy

## Refresh the golden status.json of the sample portfolio and the warehouse SQL snapshots
## after an intended change.
golden: $(STAMP)
	$(BIN)/mxt status --json > tests/golden/status.json
	MXT_UPDATE_GOLDEN=1 $(BIN)/python -m pytest -q tests/test_pull.py -k reviewed_one

clean:
	rm -rf $(VENV) site build .pytest_cache .mypy_cache .ruff_cache
