"""Builds killed at random moments never leave a broken site behind.

The minimal site (A) is built into `build/`; a changed copy (B) gives a second,
different site. Then, many times, a build of the other site is started as a
subprocess and killed with SIGKILL - no handler, no cleanup - at a random
moment: half the time anywhere in the build, half the time during the write
phase (once its staging folder appears, before it would end). After each kill `build/` must hold,
file for file and byte for byte, either the complete previous site or the
complete new one. Finally a build that is left to finish must succeed, give
exactly the expected site, and leave no staging folder behind.

Search is off (`--no-search`): Pagefind's index is not byte-for-byte the same
from one build to the next, and it is written in the same staging folder.
"""
from __future__ import annotations

import hashlib
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from site_builder.building.write import recover
from site_in_memory import write_site

TESTS = Path(__file__).parent
ROOT = TESTS.parent
TEMPLATES = ROOT / "templates"
KILLS = int(os.environ.get("FAULT_INJECTION_KILLS", "30"))


def manifest(folder: Path) -> dict[str, str]:
    """Every file under `folder` (and every empty folder), with the SHA-256 of its bytes."""
    result = {}
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder).as_posix()
        if path.is_file():
            result[relative] = hashlib.sha256(path.read_bytes()).hexdigest()
        elif path.is_dir() and not any(path.iterdir()):
            result[relative + "/"] = "empty folder"
    return result


def start_build(cwd: Path, content: str) -> subprocess.Popen:
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p))
    return subprocess.Popen([sys.executable, "-m", "site_builder", "build", "--content", content, "--out", "build",
                             "--templates", str(TEMPLATES), "--no-search", "--quiet"],
                            cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def run_build(cwd: Path, content: str) -> tuple[float, float]:
    """Build to the end; return its duration and that of its write phase (from the
    staging folder's creation to the end of the process)."""
    started = time.perf_counter()
    process = start_build(cwd, content)
    staged = None
    while process.poll() is None:
        if staged is None and staging_folders(cwd):
            staged = time.perf_counter()
        time.sleep(0.001)
    out, err = process.communicate(timeout=120)
    assert process.returncode == 0, err
    ended = time.perf_counter()
    return ended - started, ended - (staged or ended)


def staging_folders(parent: Path) -> list[str]:
    return sorted(p.name for p in parent.iterdir() if p.name.startswith(".build.") and p.is_dir())


@pytest.fixture
def two_sites(tmp_path: Path) -> tuple[Path, dict[str, dict[str, str]], tuple[float, float]]:
    """Content copies A and B in tmp_path, the manifest of each built site, and the
    durations of B's build and of its write phase."""
    shutil.copytree(TESTS / "fixtures" / "minimal", tmp_path / "a")
    shutil.copytree(TESTS / "fixtures" / "minimal", tmp_path / "b")
    event = tmp_path / "b" / "timeline" / "2022-06-example-delivery.yaml"
    event.write_text(event.read_text().replace("Example delivery", "Example delivery, changed"))
    actor = tmp_path / "b" / "actors" / "jane-example.yaml"
    (tmp_path / "b" / "actors" / "john-example.yaml").write_text(
        actor.read_text().replace("jane-example", "john-example").replace("Jane", "John"))
    manifests = {}
    for name in ("b", "a"):  # A last: the kills start from site A in build/
        durations = run_build(tmp_path, name)
        manifests[name] = manifest(tmp_path / "build")
        if name == "b":
            b_durations = durations
    assert manifests["a"] != manifests["b"]
    assert staging_folders(tmp_path) == []
    return tmp_path, manifests, b_durations


def test_killed_builds_leave_the_previous_or_the_new_site(two_sites):
    root, manifests, (duration, write_phase) = two_sites
    rng = random.Random(int(os.environ.get("FAULT_INJECTION_SEED", "6")))
    current = "a"
    outcomes = {"previous": 0, "new": 0}
    for attempt in range(KILLS):
        target = "b" if current == "a" else "a"
        leftovers = set(staging_folders(root))  # of the builds killed before
        process = start_build(root, target)
        started = time.perf_counter()
        if attempt % 2:  # anywhere in the build, startup included
            time.sleep(rng.uniform(0, duration))
        else:  # during the write phase: once this build's staging folder exists
            while (not set(staging_folders(root)) - leftovers and process.poll() is None
                   and time.perf_counter() - started < 60):
                time.sleep(0.001)
            time.sleep(rng.uniform(0, write_phase))
        process.send_signal(signal.SIGKILL)
        process.communicate(timeout=60)
        found = manifest(root / "build")
        assert found in (manifests[current], manifests[target]), (
            f"kill {attempt + 1}: build/ is neither site; "
            f"{len(set(found) ^ set(manifests[current]))} paths differ from the previous one")
        if found == manifests[target]:
            outcomes["new"] += 1
            current = target
        else:
            outcomes["previous"] += 1
    assert outcomes["previous"] and outcomes["new"], outcomes  # kills landed before and after the swap
    # the next build succeeds, gives exactly its site and cleans up after the killed ones
    target = "b" if current == "a" else "a"
    run_build(root, target)
    assert manifest(root / "build") == manifests[target]
    assert staging_folders(root) == []
    print(f"{KILLS} kills: build/ kept the previous site {outcomes['previous']} times, "
          f"showed the new one {outcomes['new']} times")


def test_an_interrupted_fallback_swap_is_repaired(tmp_path):
    """Without renameat2 the swap is two renames; a kill between them leaves no build/,
    the previous site in `.build.previous` and maybe a staging folder: the next build
    puts the previous site back first, then replaces it."""
    out = tmp_path / "build"
    write_site({"index.html": b"previous", "en/index.html": b"previous en"}, out)
    out.rename(tmp_path / ".build.previous")
    (tmp_path / ".build.new-x1y2").mkdir()
    (tmp_path / ".build.new-x1y2" / "index.ht").write_bytes(b"half")
    recover(out)
    assert manifest(out) == {"index.html": hashlib.sha256(b"previous").hexdigest(),
                             "en/index.html": hashlib.sha256(b"previous en").hexdigest()}
    assert staging_folders(tmp_path) == []
    write_site({"index.html": b"new"}, out)
    assert (out / "index.html").read_bytes() == b"new" and not (out / "en").exists()
    assert staging_folders(tmp_path) == []
