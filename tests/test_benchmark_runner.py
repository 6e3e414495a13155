"""The benchmark's realistic mode (benchmarks/run.py --mode realistic): its edits change
what they say on the real editors' files, its output checks catch a build that skipped
work, and one small run goes through every scenario, `site-builder serve` included,
with the incremental output equal to a clean build."""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BENCHMARKS = ROOT / "benchmarks"


@pytest.fixture(scope="module")
def scenarios():
    sys.path.insert(0, str(BENCHMARKS))
    try:
        import realistic_scenarios
        yield realistic_scenarios
    finally:
        sys.path.remove(str(BENCHMARKS))


@pytest.fixture
def real_copy(tmp_path) -> Path:
    shutil.copytree(ROOT / "content", tmp_path / "content")
    return tmp_path / "content"


def test_hub_summary_edit_changes_one_english_word_outside_links(scenarios, real_copy):
    hub = real_copy / "actors" / "azerbaijan.yaml"
    before = hub.read_text(encoding="utf-8")
    scenarios.replace_english_word(hub, "summary", "Hubedited")
    after = hub.read_text(encoding="utf-8")
    changed = [(a, b) for a, b in zip(before.split("\n"), after.split("\n")) if a != b]
    assert len(changed) == 1
    old, new = changed[0]
    assert "Hubedited" in new and len(new.split()) == len(old.split())
    # the English summary (after "summary:" and its "en:"), not the French, not the body
    lines = after.split("\n")
    at = lines.index(new)
    assert lines.index("summary:") < lines.index("  en: >-", lines.index("summary:")) < at < lines.index("body:")
    assert re.findall(r"\]\([^)]*\)|\[\^[^\]]*\]", old) == re.findall(r"\]\([^)]*\)|\[\^[^\]]*\]", new)


def test_rename_keeps_the_french_name(scenarios, real_copy):
    hub = real_copy / "actors" / "azerbaijan.yaml"
    assert scenarios.rename_english(hub, "Renamed") == "Renamed Azerbaijan"
    assert "\nname: {fr: Azerbaïdjan, en: Renamed Azerbaijan}\n" in hub.read_text(encoding="utf-8")
    plain = real_copy / "actors" / "thierry-oberle.yaml"
    assert scenarios.rename_english(plain, "Renamed") == "Renamed Thierry Oberlé"
    assert "\nname: {fr: Thierry Oberlé, en: Renamed Thierry Oberlé}\n" in plain.read_text(encoding="utf-8")


def test_listing_page_is_an_original_event_naming_the_hub(scenarios, real_copy):
    event = scenarios.find_listing_page(real_copy, "azerbaijan")
    text = (real_copy / "timeline" / f"{event}.yaml").read_text(encoding="utf-8")
    assert re.search(r"^actors: \[.*\bazerbaijan\b", text, re.MULTILINE)
    assert not re.search(r"-c[0-9]{4}$", event)


def test_output_check_fails_when_the_edit_is_missing(scenarios, tmp_path):
    page = tmp_path / "out" / "en" / "actors" / "azerbaijan" / "index.html"
    page.parent.mkdir(parents=True)
    page.write_text("<p>Azerbaijan</p>", encoding="utf-8")
    scenarios.check_page(tmp_path / "out", "actors", "azerbaijan", "Azerbaijan", "x")
    with pytest.raises(scenarios.BenchmarkError, match="did the build skip needed work"):
        scenarios.check_page(tmp_path / "out", "actors", "azerbaijan", "Hubedited", "edit-hub-summary")


def test_a_small_realistic_run_measures_every_scenario_serve_included(tmp_path):
    """Every scenario runs and is checked; serve is started, measured through /__reload and
    stopped cleanly; the output equals a clean build after the builds and after serve."""
    originals = sum(1 for folder in ("timeline", "actors", "equipment", "sources", "themes", "data")
                    for _ in (ROOT / "content" / folder).glob("*.yaml"))
    results = tmp_path / "results.json"
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    ran = subprocess.run([sys.executable, str(BENCHMARKS / "run.py"), "--mode", "realistic",
                          "--sizes", str(originals + 12), "--runs", "1", "--search", "off", "--verify",
                          "--workdir", str(tmp_path), "--json", str(results)],
                         capture_output=True, text=True, timeout=900, env=env, check=False)
    assert ran.returncode == 0, ran.stderr[-3000:]
    report = json.loads(results.read_text(encoding="utf-8"))
    assert report["mode"] == "realistic" and report["settings"]["verify"] is True
    (row,) = report["results"]
    assert row["entries"] == originals + 12 and row["search"] is False
    (run,) = row["runs"]
    for scenario in ("cold", "no-change", "edit-leaf", "edit-hub-summary", "edit-hub-name", "add-one"):
        assert run[scenario]["returncode"] == 0 and run[scenario]["seconds"] > 0
        assert run[scenario]["tree_peak_bytes"] > 0
    rendered = {s: run[s]["rendered_pages"] for s in ("cold", "edit-leaf", "edit-hub-name")}
    if rendered["cold"] is not None:  # parsed from `--verbose` when the tool says it
        assert rendered["edit-leaf"] < rendered["edit-hub-name"] <= rendered["cold"]
    assert run["serve-start"]["stopped_cleanly"] is True and run["serve-start"]["tree_peak_bytes"] > 0
    for scenario in ("serve-edit-leaf", "serve-edit-hub-summary"):
        assert 0 < run[scenario]["seconds"] <= run[scenario]["page_seconds"]
        assert run[scenario]["generation"] >= 2
    assert run["serve-edit-hub-summary"]["generation"] > run["serve-edit-leaf"]["generation"]
    assert "| N | search | pages | cold |" in ran.stdout
    assert f"| {originals + 12} | no |" in ran.stdout
    assert not list(tmp_path.glob("site-builder-bench-*"))  # the work folders are removed
