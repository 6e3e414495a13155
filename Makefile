# Developer and CI entry points.
#
#   make site    build the site into build/ (creates .venv and installs the package if needed)
#   make test    install test tools (Python test extras, Debian chromium, Java, npm tools),
#                type-check the package (mypy) and run the whole pytest suite, browser tests included
#   make lock    regenerate the Python locks (requirements/*.txt) from pyproject.toml's ranges
#   make check-newest   CI-side: the non-browser suite against the newest versions the ranges
#                allow, in a scratch venv (how we hear about the next PyYAML first)
#   make dist    build the wheel into dist/
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

.PHONY: site test clean distclean system-deps translations schemas lock check-newest dist

# --- Python environment ------------------------------------------------------

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Every Python dependency is installed from a lock: exact versions, each with the hashes of
# its files on PyPI (pip refuses anything else). requirements/runtime.txt is what the tool
# needs, requirements/test.txt adds the test tools; the runtime lock is compiled under the
# test lock, so both agree. setuptools is locked too and the package itself is installed
# without build isolation, so not even the build backend is left to chance. The install
# is editable: source changes need no reinstall, only a changed lock or pyproject.toml.
PIP_INSTALL := $(BIN)/python -m pip install --quiet --disable-pip-version-check
define install_locked
	$(PIP_INSTALL) --require-hashes --no-deps -r $(1)
	$(PIP_INSTALL) --no-deps --no-build-isolation -e .
	$(BIN)/python -m pip check --disable-pip-version-check >/dev/null
endef

$(STAMP_PKG): requirements/runtime.txt pyproject.toml | $(BIN)/python
	$(call install_locked,requirements/runtime.txt)
	touch $@

# The test lock covers the runtime lock too (same versions).
$(STAMP_TEST): requirements/test.txt pyproject.toml | $(BIN)/python
	$(call install_locked,requirements/test.txt)
	touch $@ $(STAMP_PKG)

# Regenerate both locks from pyproject.toml's ranges, against PyPI only (not this machine's
# local wheel folders or extra indexes, which a fresh machine does not have). pip-tools is
# pinned here: it writes the lock, it is not part of it. Run after changing a range, or to
# take newer versions (then run `make test` and commit requirements/ with the result).
PIP_TOOLS_VERSION := 7.7.0
LOCK_VENV := .cache/lock-venv
PIP_COMPILE := env -u PIP_FIND_LINKS -u PIP_CONSTRAINT PIP_CONFIG_FILE=/dev/null $(LOCK_VENV)/bin/pip-compile \
	--quiet --generate-hashes --allow-unsafe --strip-extras --build-deps-for editable --build-deps-for wheel \
	--index-url https://pypi.org/simple --no-emit-index-url --no-emit-find-links --upgrade
lock:
	[ -x $(LOCK_VENV)/bin/pip-compile ] || { $(PYTHON) -m venv $(LOCK_VENV) && \
	  $(LOCK_VENV)/bin/python -m pip install --quiet pip-tools==$(PIP_TOOLS_VERSION); }
	$(PIP_COMPILE) --extra test -o requirements/test.txt pyproject.toml
	$(PIP_COMPILE) -c requirements/test.txt -o requirements/runtime.txt pyproject.toml

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

# mypy first (pyproject.toml's [tool.mypy]: strict on core/ and content/): a type error
# fails the target before the suite runs. pytest's status is passed through; status 5 (no
# tests collected) is named loudly, since a suite that ran nothing must never look like a pass.
test: $(STAMP_TEST) $(STAMP_NPM) system-deps
	$(BIN)/mypy
	@status=0; $(BIN)/python -m pytest $(PYTEST_ARGS) || status=$$?; \
	if [ $$status -eq 5 ]; then \
	  echo "ERROR: pytest collected no tests (exit status 5); failing." >&2; \
	elif [ $$status -ne 0 ]; then \
	  echo "ERROR: pytest failed (exit status $$status)." >&2; \
	fi; \
	exit $$status

# The newest versions pyproject.toml's ranges allow, in a scratch venv, against the
# non-browser suite: not part of `make test` (which must not change with the day's PyPI),
# run on CI to hear about the next library release before a lock upgrade does.
NEWEST_VENV := .cache/newest-venv
check-newest: $(STAMP_NPM) system-deps
	rm -rf $(NEWEST_VENV)
	$(PYTHON) -m venv $(NEWEST_VENV)
	env -u PIP_FIND_LINKS PIP_CONFIG_FILE=/dev/null $(NEWEST_VENV)/bin/python -m pip install --quiet \
	  --disable-pip-version-check --upgrade --upgrade-strategy eager -e '.[test]' 'setuptools>=77'
	$(NEWEST_VENV)/bin/python -m pip list --disable-pip-version-check --format=freeze
	SITE_BUILDER_UNLOCKED=1 $(NEWEST_VENV)/bin/python -m pytest -m 'not browser' $(PYTEST_ARGS)

# The wheel, as `pip install` elsewhere would get it (templates included).
dist: $(STAMP_PKG)
	rm -rf dist
	$(BIN)/python -m pip wheel --quiet --no-deps --no-build-isolation -w dist .

# Interface strings: extract them from templates and code, merge into the French catalog.
# Then translate the new entries in templates/locale/fr/LC_MESSAGES/messages.po.
translations: $(STAMP_PKG)
	$(BIN)/pybabel extract -F babel.cfg -k N_ -k _ -o templates/locale/messages.pot --no-location --sort-output --omit-header .
	$(BIN)/pybabel update -i templates/locale/messages.pot -d templates/locale -l fr --ignore-obsolete

# JSON Schemas of the content files, regenerated from the models.
schemas: $(STAMP_PKG)
	$(BIN)/site-builder schema --out schemas

clean:
	rm -rf build build.*/ .build.*/ test-artifacts .pytest_cache .hypothesis .mypy_cache dist
	find . -path ./$(VENV) -prune -o -path ./node_modules -prune -o -name __pycache__ -type d -exec rm -rf {} +

distclean: clean
	rm -rf $(VENV) node_modules .cache/lock-venv .cache/newest-venv
