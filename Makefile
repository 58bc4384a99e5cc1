# Two commands on a fresh machine:
#   make run    set up .venv with what the app needs and open it on the sample articles
#   make test   add the test and format tools to .venv and run every check CI runs
#
# Packages are installed by uv (itself fetched once into .tools/ by pip): it
# downloads and unpacks in parallel and prints what it does. Each step runs
# again only when pyproject.toml changes.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
TOOLS := .tools
UV := $(TOOLS)/bin/uv
RUN_STAMP := $(VENV)/.installed-run
TEST_STAMP := $(VENV)/.installed-test
PY_DIRS := $(wildcard curator tests benchmarks migrations)

.PHONY: run test lint typecheck layers pytest formats bundle bundle-test clean

$(UV):
	@echo "==> fetching the uv installer into $(TOOLS)/ (once)"
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet --disable-pip-version-check uv

# The app and the PostgreSQL driver only; pip is kept in .venv so that an
# export format's library can be added later (make formats, or the command
# the app prints).
$(RUN_STAMP): pyproject.toml | $(UV)
	@echo "==> creating $(VENV) with the app and the PostgreSQL driver"
	$(UV) venv --quiet --seed --allow-existing --python $(PYTHON) $(VENV)
	$(UV) pip install --python $(BIN)/python -e '.[postgres]'
	touch $@

$(TEST_STAMP): $(RUN_STAMP)
	@echo "==> adding the test, lint and format tools to $(VENV)"
	$(UV) pip install --python $(BIN)/python -e '.[dev]'
	touch $@

run: $(RUN_STAMP)
	@echo "==> starting Heme Curator"
	$(BIN)/curator gui

# spaCy, BioC, brat and Label Studio libraries (~700 MB): only the spaCy
# export needs one of them to run.
formats: $(RUN_STAMP)
	$(UV) pip install --python $(BIN)/python -e '.[postgres,formats]'

# The desktop build: one folder with the app, Qt, migrations, resources, the
# sample articles, a .desktop file and an icon; it runs without Python.
BUNDLE := dist/heme-curator
bundle: $(RUN_STAMP)
	@echo "==> adding PyInstaller to $(VENV)"
	$(UV) pip install --python $(BIN)/python -e '.[postgres,bundle]'
	@echo "==> building $(BUNDLE)/ (a few minutes)"
	$(BIN)/pyinstaller --noconfirm --log-level WARN --distpath dist --workpath build/pyinstaller \
		packaging/heme-curator.spec
	cp packaging/heme-curator.desktop $(BUNDLE)/heme-curator.desktop
	cp resources/icon.svg $(BUNDLE)/heme-curator.svg
	@du -sh $(BUNDLE)

# Starts the bundled executable with an empty environment under Xvfb, waits
# for its window, then imports and lists through the same executable.
bundle-test: bundle
	$(BIN)/python packaging/smoke_test.py $(BUNDLE)

lint: $(TEST_STAMP)
	$(BIN)/ruff check $(PY_DIRS)
	$(BIN)/ruff format --check $(PY_DIRS)

typecheck: $(TEST_STAMP)
	$(BIN)/mypy

layers: $(TEST_STAMP)
	$(BIN)/lint-imports

pytest: $(TEST_STAMP)
	$(BIN)/pytest -n 2 --dist loadgroup $(PYTEST_ARGS)

test: lint typecheck layers pytest

clean:
	rm -rf $(VENV) $(TOOLS) build dist .pytest_cache .mypy_cache .ruff_cache .hypothesis
