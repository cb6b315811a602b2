# amtui: `make run` opens the demo workspace, `make test` runs every test.
# Both set up their own virtual environment first.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO ?= .demo-workspace

.PHONY: run test check bench bench-goals messages clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

run: $(STAMP)
	@test -f $(DEMO)/workspace.toml || $(BIN)/amtui demo --workspace $(DEMO)
	$(BIN)/amtui --workspace $(DEMO)

test: $(STAMP)
	$(BIN)/ruff check src tests bench plugins tools
	$(BIN)/mypy
	$(BIN)/python -m pytest -q -n 2 --durations=10

# The edit-test loop: the same checks without the slow tests (see pyproject.toml's markers).
check: $(STAMP)
	$(BIN)/ruff check src tests bench plugins tools
	$(BIN)/mypy
	$(BIN)/python -m pytest -q -n 2 -m "not slow"

# Benchmarks, never part of `make test`: the issue's goals as one table first (bench/README.md).
bench: $(STAMP)
	$(BIN)/python bench/goals.py
	$(BIN)/python bench/run.py
	$(BIN)/python bench/ui.py
	$(BIN)/python bench/notes.py
	$(BIN)/python bench/finder.py
	$(BIN)/python bench/smm_calendar_bench.py
	$(BIN)/python bench/team.py
	$(BIN)/python bench/actions.py

bench-goals: $(STAMP)
	$(BIN)/python bench/goals.py

# Translations (Babel): the strings marked in the sources into each template (.pot), every
# language's catalogue (.po) brought in step with it, each compiled to the .mo that ships.
# The core is one domain (src/amtui/locale/amtui.*); each bundled plugin with a locale/ folder
# is its own (plugins/NAME/locale/NAME.*). See docs/plugins.md, "Translating a plugin".
messages: $(STAMP)
	$(BIN)/python tools/messages.py

clean:
	rm -rf $(VENV) $(DEMO) dist build bench/.work
