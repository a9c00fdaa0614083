# dondoc: every set-up step lives here, so a fresh machine needs only `make run` or `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: install browser office axe run init test lint typecheck bench clean lock

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --constraint constraints.txt --editable ".[test]"
	touch $(STAMP)

## Bytecode for the project's own packages, as `pip install` writes it for any installed package:
## an editable install has none, and where PYTHONDONTWRITEBYTECODE is set (CI, containers) every
## command would compile its modules again (~40 ms of `dondoc status`; docs/performance.md).
install: $(STAMP)
	$(BIN)/python -m compileall -q -j 0 dondoc models flows config notifications migrations bench >/dev/null

## The main job: database, bundled data, Prefect server with its UI and the scheduler.
run: install
	$(BIN)/dondoc init
	$(BIN)/dondoc up

## Debian's Chromium for the browser test (Playwright drives it; it never downloads a browser).
browser:
	command -v chromium >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium)

## LibreOffice Calc (headless) to prove the synthesis workbook opens where officials open it.
office:
	command -v soffice >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libreoffice-calc-nogui)

## axe-core (npm, pinned by tests/js/package-lock.json) for the web board's accessibility checks;
## installed into the git-ignored tests/js/node_modules, injected into each page by the tests.
AXE := tests/js/node_modules/axe-core/axe.min.js
$(AXE): tests/js/package.json tests/js/package-lock.json
	command -v npm >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm)
	npm ci --prefix tests/js --no-audit --no-fund --silent
	touch $(AXE)

axe: $(AXE)

## The test suite (what CI runs): SQLite, the PostgreSQL at 127.0.0.1:5432, a real Prefect
## server, headless Chromium and axe-core.
test: install browser office axe
	$(BIN)/python -m pytest -q -n auto --dist loadgroup

## Style, then the layers of docs/architecture.md (import-linter contracts in pyproject.toml).
## lint-imports reads the package as installed (flows/, models/, ... as dondoc.*): a copy of
## that tree under build/imports, since grimp cannot follow pyproject's package-dir mapping.
lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	rm -rf build/imports && mkdir -p build/imports/dondoc
	cp -R dondoc/. build/imports/dondoc/
	for d in flows models notifications config migrations; do cp -R $$d build/imports/dondoc/$$d; done
	cd build/imports && PYTHONPATH=. ../../$(BIN)/lint-imports ../../pyproject.toml

# The top-level folders install as dondoc.* sub-packages; mypy cannot follow that mapping,
# so it checks a tree of links laid out as the installed package.
typecheck: install
	rm -rf build/typecheck && mkdir -p build/typecheck/dondoc
	for f in dondoc/*; do ln -s ../../../$$f build/typecheck/dondoc/; done
	for d in flows models notifications config migrations; do ln -s ../../../$$d build/typecheck/dondoc/$$d; done
	ln -s ../../bench build/typecheck/bench
	cd build/typecheck && ../../$(BIN)/mypy --config-file ../../pyproject.toml -p dondoc -p bench

bench: install
	$(BIN)/python -m bench

## Re-pin the stack after changing pyproject.toml dependencies.
lock: install
	$(BIN)/python -m pip freeze --exclude-editable --exclude dondoc > constraints.txt

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .mypy_cache .ruff_cache tests/js/node_modules
