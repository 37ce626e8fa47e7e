# Careers KG — two commands: `make run` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: run test lint bench build clean vendor

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
