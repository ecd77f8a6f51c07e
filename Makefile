# Two commands: `make demo` (set up, build the release, grade the bundled samples) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# nbgrader runs `alembic` as a command when it creates a gradebook: the venv must be on PATH.
export PATH := $(CURDIR)/$(BIN):$(PATH)

.PHONY: demo test release bench clean

# Student code runs in a bubblewrap jail (Debian package `bubblewrap`); installed here when missing.
$(STAMP): pyproject.toml requirements.lock
	command -v bwrap >/dev/null || { apt-get update -qq && apt-get install -y -qq bubblewrap; } \
	  || { echo "Install bubblewrap (apt-get install bubblewrap) to grade."; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --disable-pip-version-check -r requirements.lock
	$(BIN)/pip install -q --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/autograder demo

# Two workers: the machine (and CI) has two cores; every test uses its own course copy.
test: $(STAMP)
	$(BIN)/python -m pytest -q -n 2

# One assignment at a time: nbgrader 0.9's generate_assignment has no flag for "all of them".
release: $(STAMP)
	for d in $$(ls source); do $(BIN)/nbgrader generate_assignment $$d --force --log-level=ERROR || exit 1; done

bench: $(STAMP)
	$(BIN)/python scripts/bench.py

clean:
	rm -rf $(VENV) submitted autograded feedback resultats gradebook.db exports
