# amtui: `make run` opens the demo workspace, `make test` runs every test.
# Both set up their own virtual environment first.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO ?= .demo-workspace

.PHONY: run test check test-textual-oldest test-textual-oldest-all bench bench-goals messages docs clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

run: $(STAMP)
	@test -f $(DEMO)/workspace.toml || $(BIN)/amtui demo --workspace $(DEMO)
	$(BIN)/amtui --workspace $(DEMO)

test: $(STAMP) test-textual-oldest
	$(BIN)/ruff check src tests bench plugins tools
	$(BIN)/mypy
	PYTHONPATH=plugins $(BIN)/lint-imports
	$(BIN)/python -m pytest -q -n 2 --durations=10

# The edit-test loop: the same checks without the slow tests (see pyproject.toml's markers).
check: $(STAMP)
	$(BIN)/ruff check src tests bench plugins tools
	$(BIN)/mypy
	PYTHONPATH=plugins $(BIN)/lint-imports
	$(BIN)/python -m pytest -q -n 2 -m "not slow"

# The oldest Textual pyproject.toml allows (its lower bound), in a venv of its own: part of
# `make test`, the UI tests where a change in Textual would show first (the panes as modes,
# the palette, screens over a pane and the pane dimmed under them, tables, forms, the note
# editor, themes; about 70 s on two cores). tests/test_textual_private.py fails there if a
# private name of Textual's that amtui still uses is missing from it. `make test-textual-oldest-all`: every UI test (but the
# snapshots, drawn by the newest).
TEXTUAL_OLDEST := $(shell sed -n 's/^ *"textual>=\([0-9.]*\),.*/\1/p' pyproject.toml)
OLDEST := .venv-oldest
OLDEST_TESTS := tests/test_textual_private.py tests/test_themes.py tests/test_testing_helpers.py \
	tests/test_ui_app.py tests/test_ui_first_run.py tests/test_ui_today.py tests/test_ui_light.py \
	tests/test_ui_clients.py tests/test_ui_forms.py tests/test_ui_notes.py

$(OLDEST)/.installed: pyproject.toml
	$(PYTHON) -m venv $(OLDEST)
	$(OLDEST)/bin/python -m pip install --quiet --upgrade pip
	$(OLDEST)/bin/python -m pip install --quiet -e '.[test]' 'textual==$(TEXTUAL_OLDEST)'
	touch $@

test-textual-oldest: $(OLDEST)/.installed
	$(OLDEST)/bin/python -c "import textual, sys; sys.exit(textual.__version__ != '$(TEXTUAL_OLDEST)')"
	$(OLDEST)/bin/python -m pytest -q -n 2 -m "not slow" $(OLDEST_TESTS)

test-textual-oldest-all: $(OLDEST)/.installed
	$(OLDEST)/bin/python -m pytest -q -n 2 -m "not slow" tests/test_ui_*.py \
		--ignore=tests/test_ui_snapshots.py

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

# The plugin reference: docs/plugin-api.md's generated parts written again from the docstrings
# (tests/test_plugin_api_docs.py fails when they are out of date).
docs: $(STAMP)
	$(BIN)/python tools/plugin_api.py

clean:
	rm -rf $(VENV) $(OLDEST) $(DEMO) dist build bench/.work
