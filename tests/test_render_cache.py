"""Template fragments cached per kind of page (`{{ cached(...) }}`) must not change
any page: every page of the fixture site rendered with and without the cache is
the same, byte for byte."""
from __future__ import annotations

from pathlib import Path

from site_builder.render.jobs import render_job, site_jobs
from site_builder.building.pipeline import check
from site_builder.render.renderer import Renderer

ROOT = Path(__file__).parent.parent
TEMPLATES = ROOT / "templates"


def _pages(site, cache_fragments: bool) -> dict[str, bytes]:
    renderer = Renderer.create(site, TEMPLATES, cache_fragments=cache_fragments)
    return {job.path: b"".join(render_job(renderer, job)) for job in site_jobs(site)}


def test_cached_fragments_change_no_page(minimal_site):
    site, _problems = check(minimal_site)
    cached, fresh = _pages(site, True), _pages(site, False)
    assert cached.keys() == fresh.keys()
    assert [path for path in cached if cached[path] != fresh[path]] == []


def test_cached_fragments_change_no_page_of_the_real_site():
    site, _problems = check(ROOT / "content")
    cached, fresh = _pages(site, True), _pages(site, False)
    assert [path for path in cached if cached[path] != fresh[path]] == []
