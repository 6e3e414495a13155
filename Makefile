# Developer and CI entry points.
#
#   make site    build the site into build/ (creates .venv and installs the package if needed)
#   make test    install test tools (Python test extras, Debian chromium, Java, npm tools) and
#                run the whole pytest suite, browser tests included
#   make translations   update the French interface catalog after changing templates
#   make schemas        regenerate the JSON Schemas of content files after changing models
#   make clean   remove build output, test artifacts and caches
#   make distclean   also remove .venv and node_modules
#
# Installs are stamped, so a second run only does what changed.

SHELL := /bin/bash
.DEFAULT_GOAL := site

PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
# Stamps live inside .venv / node_modules, so removing those directories resets them.
STAMP_PKG := $(VENV)/.stamp-install
STAMP_TEST := $(VENV)/.stamp-install-test
STAMP_NPM := node_modules/.stamp-npm-ci
PORT ?= 8000
# Extra arguments for pytest, e.g. make test PYTEST_ARGS='-k lang_switch -x'
PYTEST_ARGS ?=

.PHONY: site test clean distclean system-deps translations schemas

# --- Python environment ------------------------------------------------------

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Runtime install: redone only when pyproject.toml changes (the install is editable,
# so source changes need no reinstall).
$(STAMP_PKG): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e .
	touch $@

# Test install: the package plus its `test` extra. It covers the runtime install too.
$(STAMP_TEST): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $@ $(STAMP_PKG)

# --- Test tools outside Python ----------------------------------------------

# Debian chromium (browser tests) and a Java runtime (Nu HTML checker), installed with
# apt-get when missing and we are root. Otherwise only a warning: the tests that need
# them then fail with a message naming what is missing.
system-deps:
	@missing=""; \
	[ -x /usr/bin/chromium ] || missing="$$missing chromium"; \
	command -v java >/dev/null 2>&1 || missing="$$missing default-jre-headless"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "Installing Debian packages:$$missing"; \
	    apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null || exit 1; \
	  else \
	    echo "WARNING: missing$$missing and not root; install them with apt-get (browser/HTML tests will fail)." >&2; \
	  fi; \
	fi

# npm ci when node_modules is missing or package-lock.json is newer than the last install.
# --ignore-scripts: vnu-jar's postinstall only tries to download a Java runtime; we use Debian's.
$(STAMP_NPM): package-lock.json package.json
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $@

# --- Targets ----------------------------------------------------------------

site: $(STAMP_PKG)
	$(BIN)/site-builder build
	@echo
	@echo "Site built in build/"
	@echo "Open it with:  $(BIN)/python -m http.server --directory build $(PORT)"
	@echo "then visit     http://127.0.0.1:$(PORT)/"

# pytest's status is passed through; status 5 (no tests collected) is named loudly,
# since a suite that ran nothing must never look like a pass.
test: $(STAMP_TEST) $(STAMP_NPM) system-deps
	@status=0; $(BIN)/python -m pytest $(PYTEST_ARGS) || status=$$?; \
	if [ $$status -eq 5 ]; then \
	  echo "ERROR: pytest collected no tests (exit status 5); failing." >&2; \
	elif [ $$status -ne 0 ]; then \
	  echo "ERROR: pytest failed (exit status $$status)." >&2; \
	fi; \
	exit $$status

# Interface strings: extract them from templates and code, merge into the French catalog.
# Then translate the new entries in templates/locale/fr/LC_MESSAGES/messages.po.
translations: $(STAMP_PKG)
	$(BIN)/pybabel extract -F babel.cfg -k N_ -k _ -o templates/locale/messages.pot --no-location --sort-output --omit-header .
	$(BIN)/pybabel update -i templates/locale/messages.pot -d templates/locale -l fr --ignore-obsolete

# JSON Schemas of the content files, regenerated from the models.
schemas: $(STAMP_PKG)
	$(BIN)/site-builder schema --out schemas

clean:
	rm -rf build build.*/ .build.*/ test-artifacts .pytest_cache .hypothesis
	find . -path ./$(VENV) -prune -o -path ./node_modules -prune -o -name __pycache__ -type d -exec rm -rf {} +

distclean: clean
	rm -rf $(VENV) node_modules
