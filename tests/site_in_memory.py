"""The whole site rendered in memory, through the render layer's public functions:
for tests that render many small sites (hostile content, escaping) and look at every
file, where building to disk would only add time; and files published the way a build
publishes its site (for tests of the atomic swap)."""
from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Callable

from site_builder.building.write import new_staging, publish, put_file, removed_on_failure

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


def write_site(files: dict[str, bytes], out: Path, postprocess: Callable[[Path], None] | None = None) -> None:
    """Make `files` (site-relative path -> bytes) the new content of `out` as a build does:
    prepared in a staging folder, `postprocess` run on it (as the search index is), then
    swapped in atomically."""
    staging = new_staging(out)
    with removed_on_failure(staging, out):
        for relative_path in sorted(files):
            put_file(staging, relative_path, files[relative_path])
    publish(staging, out, postprocess)
