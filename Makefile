# Two commands: `make demo` (set up, grade the bundled samples in a scratch copy of the course) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# nbgrader runs `alembic` as a command when it creates a gradebook: the venv must be on PATH.
export PATH := $(CURDIR)/$(BIN):$(PATH)

.PHONY: demo test release bench clean

# Debian packages: bubblewrap makes the jail student code runs in (grading refuses to start without it);
# headless Chromium renders formgrader and the class report in tests; PHP's strtotime reads the Moodle
# worksheet's dates as Moodle does. Installed with apt when missing (CI runs as root).
$(STAMP): pyproject.toml requirements.lock
	command -v bwrap >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq bubblewrap; } \
		|| { echo "Install bubblewrap (apt-get install bubblewrap) to grade." >&2; exit 1; }
	{ command -v chromium && command -v php; } >/dev/null 2>&1 || { apt-get update -q \
		&& DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium php-cli; } \
		|| echo "chromium or php-cli not installed: the tests that need them are skipped" >&2
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

# Removes only what can be rebuilt: never submitted/, gradebook.db, autograded/, feedback/ or exports/ (grades).
clean:
	rm -rf $(VENV) build *.egg-info
	find autograder tests scripts -name __pycache__ -type d -prune -exec rm -rf {} +
