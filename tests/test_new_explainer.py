"""`site-builder init`: a second explainer started from nothing, used from any folder.

The last test installs the built wheel alone into a clean virtual environment (with
the locked runtime dependencies) and drives the installed command as a new team
would: nothing from this checkout is importable there.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import jsonschema
import pytest

from site_builder.content.schema import schema_texts

ROOT = Path(__file__).resolve().parent.parent
KIND_FOLDERS = ("themes", "timeline", "equipment", "actors", "sources", "notes", "data")


@pytest.fixture
def explainer(run_cli, tmp_path) -> Path:
    result = run_cli("init", "my-explainer", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "cd my-explainer" in result.stdout
    return tmp_path / "my-explainer"


def test_init_writes_content_templates_schemas_and_gitignore(explainer):
    assert (explainer / "content" / "site.yaml").is_file()
    for folder in KIND_FOLDERS:
        files = list((explainer / "content" / folder).glob("*.yaml"))
        assert len(files) == 1, f"one example entry in content/{folder}: {files}"
    assert (explainer / "templates" / "base.html").read_bytes() == (ROOT / "templates" / "base.html").read_bytes()
    assert (explainer / "templates" / "locale" / "fr" / "LC_MESSAGES" / "messages.po").is_file()
    assert {p.name: p.read_text(encoding="utf-8") for p in (explainer / "schemas").iterdir()} == schema_texts()
    assert "/build/" in (explainer / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert not [p for p in explainer.parent.iterdir() if p.name.startswith(".my-explainer")], "staging left behind"


def test_every_starter_text_is_written_in_both_languages_and_valid_for_its_schema(explainer):
    import yaml
    kinds = {"themes": "theme", "timeline": "event", "equipment": "equipment", "actors": "actor",
             "sources": "source", "notes": "note", "data": "dataset"}
    files = [("site", explainer / "content" / "site.yaml")]
    files += [(kinds[p.parent.name], p) for p in sorted((explainer / "content").glob("*/*.yaml"))]
    for kind, path in files:
        text = path.read_text(encoding="utf-8")
        depth = len(path.relative_to(explainer / "content").parts)
        assert text.startswith(f"# yaml-language-server: $schema={'../' * depth}schemas/{kind}.schema.json\n"), path
        schema = json.loads((explainer / "schemas" / f"{kind}.schema.json").read_text(encoding="utf-8"))
        jsonschema.Draft202012Validator(schema).validate(yaml.safe_load(text))
        for match in re.finditer(r"^(\s*)fr:", text, re.MULTILINE):
            assert re.search(rf"^{match.group(1)}en:", text[match.end():], re.MULTILINE), f"{path}: a French text alone"


def test_the_new_explainer_passes_strict_check_and_builds_from_another_folder(explainer, run_cli, tmp_path):
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    check = run_cli("check", "--strict", "--content", explainer / "content", cwd=outside)
    assert check.returncode == 0, check.stderr
    assert "0 warning(s)" in check.stdout
    # No --templates: they are found next to the content, wherever the command runs.
    build = run_cli("build", "--content", explainer / "content", "--out", explainer / "build", "--no-search", cwd=outside)
    assert build.returncode == 0, build.stderr
    home_fr = (explainer / "build" / "fr" / "index.html").read_text(encoding="utf-8")
    home_en = (explainer / "build" / "en" / "index.html").read_text(encoding="utf-8")
    assert "Mon explicatif" in home_fr and "My explainer" in home_en
    event = (explainer / "build" / "en" / "timeline" / "2024-first-event" / "index.html").read_text(encoding="utf-8")
    assert "First event" in event and "The footnote’s text, in each language." in event
    assert not (outside / "build").exists() and not (outside / ".cache").exists()


def test_init_never_touches_an_existing_folder(run_cli, tmp_path):
    taken = tmp_path / "taken"
    taken.mkdir()
    (taken / "notes.txt").write_text("mine", encoding="utf-8")
    result = run_cli("init", "taken", cwd=tmp_path)
    assert result.returncode == 1
    assert "already exists and is not an empty folder" in result.stderr and "Traceback" not in result.stderr
    assert [p.name for p in taken.iterdir()] == ["notes.txt"]
    empty = tmp_path / "empty"
    empty.mkdir()
    assert run_cli("init", "empty", cwd=tmp_path).returncode == 0, "an empty folder is fine"
    assert (empty / "content" / "site.yaml").is_file()


def test_init_where_the_parent_is_missing_says_so(run_cli, tmp_path):
    result = run_cli("init", "no/such/place", cwd=tmp_path)
    assert result.returncode == 1
    assert "folder not found" in result.stderr and "Traceback" not in result.stderr


def test_version(run_cli, tmp_path):
    result = run_cli("--version", cwd=tmp_path)
    assert result.returncode == 0
    assert re.fullmatch(r"site-builder \d+\.\d+\.\d+\S*\n", result.stdout), result.stdout


def _venv_bin(venv: Path, name: str) -> Path:
    return venv / "bin" / name


@pytest.fixture(scope="module")
def installed_wheel(tmp_path_factory) -> Path:
    """A fresh venv holding the locked runtime dependencies and the wheel built from this
    checkout, nothing else (pip's cache makes the install quick after `make test`'s)."""
    work = tmp_path_factory.mktemp("wheel")
    _succeed(sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
             "-w", work / "dist", ROOT)
    wheels = list((work / "dist").glob("site_builder-*.whl"))
    assert len(wheels) == 1, wheels
    venv = work / "venv"
    _succeed(sys.executable, "-m", "venv", venv)
    pip = [_venv_bin(venv, "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--no-deps"]
    _succeed(*pip, "--require-hashes", "-r", ROOT / "requirements" / "runtime.txt")
    _succeed(*pip, wheels[0])
    return venv


def _succeed(*command: str | os.PathLike) -> None:
    result = subprocess.run(list(map(str, command)), capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, f"{' '.join(map(str, command))} failed:\n{result.stdout}{result.stderr}"


def _run_installed(venv: Path, *args: str | os.PathLike, cwd: Path) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items() if key not in ("PYTHONPATH", "VIRTUAL_ENV")}
    return subprocess.run([str(_venv_bin(venv, "site-builder")), *map(str, args)], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=300)


def test_the_installed_wheel_starts_checks_builds_and_serves_a_new_explainer(installed_wheel, tmp_path):
    venv = installed_wheel
    check_import = subprocess.run([str(_venv_bin(venv, "python")), "-c", "import site_builder; print(site_builder.__file__)"],
                                  cwd=tmp_path, capture_output=True, text=True, env={"PATH": os.environ["PATH"]})
    assert str(venv) in check_import.stdout, "the package must come from the venv, not this checkout"
    assert _run_installed(venv, "--version", cwd=tmp_path).stdout.startswith("site-builder ")
    made = _run_installed(venv, "init", tmp_path / "x", cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    assert (tmp_path / "x" / "templates" / "base.html").is_file()
    strict = _run_installed(venv, "check", "--strict", "--content", tmp_path / "x" / "content", cwd=tmp_path)
    assert strict.returncode == 0, strict.stderr
    built = _run_installed(venv, "build", "--content", tmp_path / "x" / "content", "--out", tmp_path / "x" / "build",
                           cwd=tmp_path)
    assert built.returncode == 0, built.stderr
    assert (tmp_path / "x" / "build" / "en" / "index.html").is_file()
    assert (tmp_path / "x" / "build" / "pagefind").is_dir(), "the search index is built from the wheel too"

    stdout = (tmp_path / "serve.out").open("w")
    server = subprocess.Popen([str(_venv_bin(venv, "site-builder")), "serve", "--port", "0", "--no-search"],
                              cwd=tmp_path / "x", stdout=stdout, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        port = None
        while port is None and time.monotonic() < deadline and server.poll() is None:
            found = re.search(r"http://127\.0\.0\.1:(\d+)/", (tmp_path / "serve.out").read_text(encoding="utf-8"))
            port = found and int(found.group(1))
            time.sleep(0.2)
        assert port, (tmp_path / "serve.out").read_text(encoding="utf-8")
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/fr/", timeout=10) as response:
            assert "Mon explicatif" in response.read().decode("utf-8")
    finally:
        server.terminate()
        server.wait(timeout=30)
        stdout.close()
    shutil.rmtree(tmp_path / "x")


def test_building_the_wheel_writes_nothing_into_the_site_folder(tmp_path):
    """setuptools works in ./build by default, the very folder the site is built into:
    after `make dist` (or this suite), a `build/` ready to publish held a copy of the
    package in build/lib. Its work folder is in .cache/ instead (pyproject.toml)."""
    started = time.time()
    _succeed(sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
             "-w", tmp_path / "dist", ROOT)
    site = ROOT / "build"
    touched = [str(path.relative_to(site)) for path in site.rglob("*") if path.lstat().st_mtime >= started] \
        if site.is_dir() else []
    assert not touched and not (site.is_dir() and site.stat().st_mtime >= started), touched[:5]
