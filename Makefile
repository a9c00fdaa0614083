# dondoc: every set-up step lives here, so a fresh machine needs only `make run` or `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: install run init test lint typecheck bench clean lock

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --constraint constraints.txt --editable ".[test]"
	touch $(STAMP)

install: $(STAMP)

## The main job: database, bundled data, Prefect server with its UI and the scheduler.
run: install
	$(BIN)/dondoc init
	$(BIN)/dondoc up

## The test suite (what CI runs): SQLite and the PostgreSQL at 127.0.0.1:5432.
test: install
	$(BIN)/python -m pytest -q

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: install
	$(BIN)/mypy

bench: install
	$(BIN)/python -m bench

## Re-pin the stack after changing pyproject.toml dependencies.
lock: install
	$(BIN)/python -m pip freeze --exclude-editable --exclude dondoc > constraints.txt

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .mypy_cache .ruff_cache
