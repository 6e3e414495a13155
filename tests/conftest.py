"""Fixtures shared by every test: the minimal fixture site, a private copy of it,
and a way to run the command-line tool the way an editor does."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Callable

import pytest

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
MINIMAL_SITE = TESTS / "fixtures" / "minimal"


@pytest.fixture
def minimal_site() -> Path:
    """The valid bilingual fixture site (read-only: copy it before changing anything)."""
    return MINIMAL_SITE


@pytest.fixture
def templates_dir() -> Path:
    """The project's templates (pass with --templates: tests run the CLI outside the project)."""
    return ROOT / "templates"


@pytest.fixture
def site_copy(tmp_path: Path) -> Path:
    """A copy of the minimal site in `tmp_path/content`; tests run the CLI with cwd=tmp_path."""
    destination = tmp_path / "content"
    shutil.copytree(MINIMAL_SITE, destination)
    return destination


def _run_cli(*args: str | os.PathLike, cwd: str | os.PathLike, timeout: float = 300) -> subprocess.CompletedProcess:
    """Run `python -m site_builder *args` in `cwd`; never raises on a non-zero exit."""
    env = dict(os.environ)
    # The package is not installed in the venv: make it importable from any cwd.
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH", "")) if p)
    env["PYTHONIOENCODING"] = "utf-8"
    env["NO_COLOR"] = "1"
    return subprocess.run(
        [sys.executable, "-m", "site_builder", *map(str, args)],
        cwd=cwd, capture_output=True, text=True, encoding="utf-8", errors="replace",
        env=env, timeout=timeout, check=False,
    )


@pytest.fixture(scope="session")
def run_cli() -> Callable[..., subprocess.CompletedProcess]:
    """`run_cli("check", "--content", "content", cwd=tmp_path)` -> CompletedProcess (text)."""
    return _run_cli


@pytest.fixture(scope="session")
def real_library():
    """The real site's content (content/), loaded once, without errors: for tests that
    hold it to the notes."""
    from site_builder.content.library import Library
    from site_builder.content.loading import load_content

    loaded, problems = load_content(ROOT / "content")
    errors = [str(p) for p in problems if p.severity == "error"]
    assert not errors, "\n".join(errors)
    return Library.from_loaded(loaded)


@pytest.fixture(scope="session")
def real_site(tmp_path_factory) -> Path:
    """The real site, built once from content/ with the CLI (read-only: tests never change it)."""
    out = tmp_path_factory.mktemp("real-site") / "site"
    result = _run_cli("build", "--content", ROOT / "content", "--out", out, "--templates", ROOT / "templates",
                      cwd=ROOT, timeout=600)
    assert result.returncode == 0, result.stderr
    return out


@pytest.fixture
def write_file(site_copy: Path) -> Callable[[str, str | bytes], Path]:
    """`write_file("actors/x.yaml", text_or_bytes)` writes (or replaces) one file in the copy.

    Text is written as UTF-8 exactly as given (no newline translation), so the
    line and column of every character is the one seen in the test's source.
    """

    def write(relative: str, content: str | bytes) -> Path:
        path = site_copy / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
        return path

    return write
