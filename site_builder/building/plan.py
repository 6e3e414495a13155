"""What a build will write: every page as a job, the ones that must be rendered, and
the files that are not pages.

A page may be kept from the last build when everything it depends on is unchanged:
what it read of the content (dependencies.py) and everything else, which every page
shares: the templates, the generator's code and libraries, site.yaml and the site's
address, together the build's render key. When the render key changed, every page is
rendered again (the spare folder is still updated in place: identical pages are not
rewritten).
"""
from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from .cache import PACKAGE, Inputs
from .dependencies import entry_index, stale_jobs
from .state import BuildState, runtime_key
from ..content.observed import WHOLE, FieldKey
from ..render.jobs import Job, site_jobs
from ..render.views import SiteContext


@dataclass(frozen=True)
class Plan:
    jobs: list[Job]  # every page (and data file, sitemap, feed) of the site
    stale: list[Job]  # those to render: new, or something they read changed
    files: dict[str, bytes]  # every other file of the site (site_files.py), already made
    render_key: str  # what every page depends on besides the content it reads
    previous: BuildState | None  # the last build's state, if its pages can be kept
    entry_keys: list[FieldKey]  # every field of every entry, numbered for pages' dependencies (dependencies.entry_index)


def plan_pages(site: SiteContext, files: dict[str, bytes], digests: dict[FieldKey, str], last: BuildState | None,
               inputs: Inputs, templates: Path, out: Path) -> Plan:
    jobs = site_jobs(site)
    claimed = [job.path for job in jobs] + list(files)
    if len(set(claimed)) != len(claimed):  # two outputs must never claim one file
        seen: set[str] = set()
        duplicate = next(path for path in claimed if path in seen or seen.add(path))  # type: ignore[func-returns-value]
        raise DuplicateOutput(f"two pages would be written to {duplicate}")
    key = render_key(inputs, templates, digests.get(("site", "", WHOLE), ""), site.base_url)
    previous = last if last is not None and last.render_key == key and out.is_dir() else None
    stale = stale_jobs(jobs, previous, site, digests) if previous is not None else jobs
    return Plan(jobs, stale, files, key, previous, entry_index(digests, previous.keys if previous else None))


class DuplicateOutput(Exception):
    """Two outputs claim one file: a problem of the templates or the generator."""


def render_key(inputs: Inputs, templates: Path, site_digest: str, base_url: str) -> str:
    """The hash of everything every page depends on besides the entries it reads: the
    generator (Python, libraries, code), the templates, site.yaml and the site's
    address. Files' hashes are the build's input fingerprint's (cache.py): nothing is
    read twice. A fingerprint that could not be taken gives a key no build had."""
    if not inputs.fingerprint():
        return os.urandom(16).hex()
    digest = hashlib.sha256(f"{runtime_key()}\0{site_digest}\0{base_url}".encode())
    for label, folder in (("code", PACKAGE), ("templates", templates)):
        root = os.path.abspath(folder) + os.sep
        for path in sorted(path for path in inputs.hashes if path.startswith(root)):
            digest.update(f"\0{label}/{path[len(root):]}\0{inputs.hashes[path]}".encode())
    return digest.hexdigest()
