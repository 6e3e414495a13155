"""The whole site rendered in memory, through the render layer's public functions:
for tests that render many small sites (hostile content, escaping) and look at every
file, where building to disk would only add time."""
from __future__ import annotations

import dataclasses
from pathlib import Path

from site_builder.render.jobs import render_job, site_jobs
from site_builder.render.renderer import Renderer
from site_builder.render.share_image import ImageCache
from site_builder.render.site_files import asset_files, site_files
from site_builder.render.views import SiteContext


def render_site(site: SiteContext, templates: Path) -> dict[str, bytes]:
    """Every output file of the site but the search index, as site-relative path -> bytes."""
    assets, names = asset_files(templates, ImageCache(None))
    site = dataclasses.replace(site, assets=names)
    renderer = Renderer.create(site, templates)
    files = site_files(site, renderer, assets)
    for job in site_jobs(site):
        files[job.path] = b"".join(render_job(renderer, job))
    files["404.html"] = files["en/404.html"]  # as the build does: hosts serve it for any missing page
    return files
