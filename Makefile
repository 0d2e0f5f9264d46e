# The two commands: `make run` serves the app, `make test` runs every test.
# Both build .venv from the requirement files on first use (and again when they change).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= localhost
PORT ?= 8501

.PHONY: run test lint format bench loadtest clean

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.runtime: $(BIN)/activate requirements.txt
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.testing: $(VENV)/.runtime requirements-test.txt requirements-test-nodeps.txt
	$(BIN)/pip install --quiet -r requirements-test.txt
	$(BIN)/pip install --quiet --no-deps -r requirements-test-nodeps.txt
	touch $@

# ui.serve is `streamlit run app.py` with the first page's imports done before it answers.
run: $(VENV)/.runtime
	$(BIN)/python -m ui.serve --server.address $(HOST) --server.port $(PORT)

# ruff (rules in pyproject.toml) first: a slip it finds fails in a second, not after the suite.
# The import contract (explorer/ never imports the UI) is tests/test_imports.py.
test: $(VENV)/.testing
	$(BIN)/ruff check .
	$(BIN)/python -m pytest

lint: $(VENV)/.testing
	$(BIN)/ruff check .

# Applies ruff's fixes for the lint rules. `ruff format` is not run: the code is not in its
# layout yet, and reflowing every file belongs in a commit of its own.
format: $(VENV)/.testing
	$(BIN)/ruff check --fix .

bench: $(VENV)/.testing
	$(BIN)/python -m bench

loadtest: $(VENV)/.testing
	$(BIN)/python -m pytest -m load --run-load

clean:
	rm -rf $(VENV) test-artifacts .pytest_cache
