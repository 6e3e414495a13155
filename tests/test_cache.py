"""The build cache: a build that would change nothing is skipped, and the cache
is never trusted over the real state of the inputs and of build/."""
from __future__ import annotations

from pathlib import Path

TEMPLATES = Path(__file__).parent.parent / "templates"


def _build(run_cli, tmp_path):
    result = run_cli("build", "--templates", TEMPLATES, "--no-search", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_unchanged_inputs_skip_the_build(site_copy, run_cli, tmp_path):
    assert "Built" in _build(run_cli, tmp_path)
    before = {p: p.stat().st_mtime_ns for p in (tmp_path / "build").rglob("*") if p.is_file()}
    assert "Nothing changed" in _build(run_cli, tmp_path)
    after = {p: p.stat().st_mtime_ns for p in (tmp_path / "build").rglob("*") if p.is_file()}
    assert before == after


def test_a_content_edit_rebuilds(site_copy, run_cli, tmp_path):
    _build(run_cli, tmp_path)
    theme = site_copy / "themes" / "trade.yaml"
    theme.write_text(theme.read_text().replace("en: ", "en: Edited ", 1))
    assert "Built" in _build(run_cli, tmp_path)
    assert "Edited" in (tmp_path / "build" / "en" / "themes" / "trade" / "index.html").read_text()


def test_a_touched_output_folder_is_rebuilt(site_copy, run_cli, tmp_path):
    _build(run_cli, tmp_path)
    page = tmp_path / "build" / "en" / "index.html"
    page.unlink()
    assert "Built" in _build(run_cli, tmp_path)
    assert page.is_file()


def test_a_corrupted_or_missing_cache_is_not_trusted(site_copy, run_cli, tmp_path):
    _build(run_cli, tmp_path)
    cache = tmp_path / ".cache" / "site-builder" / "build.json"
    assert cache.is_file()
    cache.write_text(cache.read_text().replace('"files": ', '"files": 1'))
    assert "Built" in _build(run_cli, tmp_path)
    cache.write_text("{not json")
    assert "Built" in _build(run_cli, tmp_path)
    cache.unlink()
    assert "Built" in _build(run_cli, tmp_path)
    assert "Nothing changed" in _build(run_cli, tmp_path)


def test_other_options_are_a_different_build(site_copy, run_cli, tmp_path):
    _build(run_cli, tmp_path)
    result = run_cli("build", "--templates", TEMPLATES, "--no-search", "--base-url", "https://example.net/x/", cwd=tmp_path)
    assert "Built" in result.stdout
    assert "https://example.net/x/" in (tmp_path / "build" / "sitemap.xml").read_text()
