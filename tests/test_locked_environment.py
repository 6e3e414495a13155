"""The suite runs against the versions the lock names, and the lock matches pyproject.toml.

`make site` and `make test` install from requirements/runtime.txt and requirements/test.txt
(exact versions with hashes, written by `make lock`). A test run in an environment that
drifted from them (a hand-installed upgrade, an old .venv after a lock change) would
test something nobody ships, so it fails here first, saying what to do.
"""
from __future__ import annotations

import os
import re
import tomllib
from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
RUNTIME_LOCK = ROOT / "requirements" / "runtime.txt"
TEST_LOCK = ROOT / "requirements" / "test.txt"
_PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s\\;]+)")


def _pins(lock: Path) -> dict[str, tuple[str, int]]:
    """{canonical name: (version, number of hashes)} of a pip-compile lock."""
    pins: dict[str, tuple[str, int]] = {}
    current = None
    for line in lock.read_text(encoding="utf-8").splitlines():
        match = _PIN.match(line)
        if match:
            current = canonicalize_name(match.group(1))
            pins[current] = (match.group(2), 0)
        elif current and line.strip().startswith("--hash=sha256:"):
            version, hashes = pins[current]
            pins[current] = (version, hashes + 1)
        elif not line.startswith(" "):
            current = None
    return pins


def _declared() -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    declared = list(project["dependencies"])
    for extra in project.get("optional-dependencies", {}).values():
        declared += extra
    return [Requirement(text) for text in declared]


def test_every_locked_package_is_pinned_with_hashes():
    for lock in (RUNTIME_LOCK, TEST_LOCK):
        pins = _pins(lock)
        assert len(pins) > 5, f"{lock} names almost nothing: is it a pip-compile lock?"
        unhashed = [name for name, (_, hashes) in pins.items() if hashes == 0]
        assert not unhashed, f"{lock.name}: no hash for {unhashed}; run `make lock`"


def test_runtime_lock_agrees_with_test_lock():
    runtime, test = _pins(RUNTIME_LOCK), _pins(TEST_LOCK)
    differing = {name: (version, test.get(name, (None,))[0]) for name, (version, _) in runtime.items()
                 if test.get(name, (None,))[0] != version}
    assert not differing, f"runtime and test locks disagree (runtime, test): {differing}; run `make lock`"


def test_lock_satisfies_every_range_in_pyproject():
    test = _pins(TEST_LOCK)
    problems = []
    for requirement in _declared():
        name = canonicalize_name(requirement.name)
        if name not in test:
            problems.append(f"{requirement} is not in the lock")
        elif not requirement.specifier.contains(test[name][0], prereleases=True):
            problems.append(f"{requirement} but the lock has {test[name][0]}")
    assert not problems, "; ".join(problems) + ": run `make lock`"


@pytest.mark.skipif(bool(os.environ.get("SITE_BUILDER_UNLOCKED")),
                    reason="make check-newest runs the suite on the newest versions on purpose")
def test_installed_versions_are_the_locked_ones():
    drifted = []
    for name, (version, _) in sorted(_pins(TEST_LOCK).items()):
        try:
            installed = metadata.version(name)
        except metadata.PackageNotFoundError:
            installed = "not installed"
        if installed != version:
            drifted.append(f"{name} {installed} (lock: {version})")
    assert not drifted, ("installed versions differ from requirements/test.txt: " + ", ".join(drifted)
                         + ". Run `make test` again: it reinstalls from the lock when the lock changed (after an install"
                         " by hand, `rm .venv/.stamp-install*` first).")
