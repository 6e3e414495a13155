"""Putting a build's pages in place, rendering only what is stale.

The folder prepared is the spare (the site before last, kept in the cache
folder and updated in place: only files whose content differs are written)
when the state knows it; otherwise a new folder next to the output, where
unchanged pages are hard-linked from the live site, and, on a first build, every
file is also linked into a new spare. Either way the prepared folder then
replaces the live site in one atomic swap (write.py), and the previous site
becomes the next spare.
"""
from __future__ import annotations

import dataclasses
import os
import shutil
import time
from pathlib import Path
from typing import Callable

from ..render.jobs import Job
from .parallel import Task, digest, render_jobs
from .search import BUNDLE, index_site
from .state import BuildState, forget_state, spare_folder
from .write import link_file, new_staging, publish, put_file, remove_files, removed_on_failure

# How the site was put in place, when the spare is a hard-linked copy of the new live site:
# its manifest is then the live site's, known only once the build's record is saved.
MIRRORED = "new folder, spare linked"

def write_site_incrementally(out: Path, search: bool, task: Task, page_jobs: list[Job], dirty: list[Job],
                             others: dict[str, bytes], previous: BuildState | None, loaded: BuildState | None,
                             live_manifest: dict[str, list[int]], workers: int,
                             log: Callable[[str], None]) -> tuple[BuildState, str, dict[str, list[int]]]:
    """Render what is stale into a folder that then replaces the live site.

    `previous` is the last build's state if its pages can be kept, `loaded` the
    state as loaded (which knows the live site and the spare folder). The folder
    is the spare (the site before last, updated in place: only files that differ
    are written) when the state knows it, else a new one where unchanged pages
    are hard-linked from the live site. A template error raises RenderFailure,
    leaving the live site as it was.

    Returns the state, how the site was put in place, and the [size, mtime_ns] of the
    files of the new live site known without looking again (those of the spare this
    build did not write: their stat was just taken), for the build's record."""
    out, spare = out.absolute(), spare_folder(out)
    in_place = loaded is not None and loaded.spare is not None and spare.is_dir() and out.is_dir()
    mirror = None
    if in_place:
        assert loaded is not None
        with removed_on_failure(spare, out):  # e.g. a read-only disk: say so, keep the live site
            forget_state(out)  # from here on the spare no longer matches what the state says
        seen: dict[str, list[int]] = {}
        folder, present = spare, _untouched(spare, loaded.spare or {}, loaded.spare_manifest, seen)
    else:
        seen = {}
        shutil.rmtree(spare, ignore_errors=True)
        folder, present = new_staging(out), {}
        if loaded is None:  # a first build: every file is also linked into a new spare folder,
            mirror = _new_mirror(spare)  # so that the next build can update it in place
    state = BuildState()
    step = time.perf_counter()
    with removed_on_failure(folder, out):
        task = dataclasses.replace(task, target=folder, present=present, mirror=mirror, fresh=not in_place)
        items = [0, 0]
        for rendered in render_jobs(task, dirty, workers):
            state.pages[rendered.path] = (rendered.digest, rendered.deps)
            state.rendered.add(rendered.path)
            items[0], items[1] = items[0] + rendered.items[0], items[1] + rendered.items[1]
        log(f"render: {len(dirty)} pages in {time.perf_counter() - step:.2f} s "
            f"({items[1]} of {sum(items)} list items and download rows kept from the last build)")
        missing = []  # unchanged pages whose live copy was deleted or changed by something else
        for job in page_jobs:
            if job.path not in state.pages:
                assert previous is not None
                state.pages[job.path] = previous.pages[job.path]
                if present.get(job.path) != previous.pages[job.path][0]:
                    if _untouched(out, {job.path: ""}, live_manifest):
                        link_file(out, folder, job.path)
                    else:
                        missing.append(job)
        for rendered in render_jobs(task, missing, workers):
            state.pages[rendered.path] = (rendered.digest, rendered.deps)
            state.rendered.add(rendered.path)
        for path, data in others.items():
            hashed = digest(data)
            if present.get(path) != hashed:
                put_file(folder, path, data)
                if mirror is not None:
                    link_file(folder, mirror, path)
            state.live[path] = hashed
        # hosts serve the root 404.html for any missing page: the English one
        not_found = state.pages["en/404.html"][0]
        if present.get("404.html") != not_found:
            _copy_within(folder, "en/404.html", "404.html")
            if mirror is not None:
                link_file(folder, mirror, "404.html")
        state.live["404.html"] = not_found
        state.live.update((path, page_digest) for path, (page_digest, _deps) in state.pages.items())
        remove_files(folder, [path for path in present if path not in state.live])
        if in_place:
            shutil.rmtree(folder / BUNDLE, ignore_errors=True)  # the search index is made anew

    def index(staging: Path) -> None:  # before the swap: the live site never lacks its index
        started_index = time.perf_counter()
        index_site(staging)
        log(f"search: Pagefind index in {time.perf_counter() - started_index:.2f} s")

    kept = publish(folder, out, index if search else None, keep_previous=spare if loaded else None)
    # files this build did not write keep the stat seen before it (anything else: stat again)
    known = {path: seen[path] for path, hashed in state.live.items() if path in seen and present.get(path) == hashed}
    if mirror is not None:  # the spare holds the same files as the live site (its manifest: see build)
        state.spare = dict(state.live)
        return state, MIRRORED, known
    state.spare = dict(loaded.live) if kept and loaded else None
    state.spare_manifest = live_manifest if kept and loaded else {}
    return state, "updated in place" if in_place else "new folder", known


def _new_mirror(spare: Path) -> Path | None:
    try:
        spare.mkdir(parents=True)
        return spare
    except OSError:  # no spare: the next build only takes longer
        return None


def _untouched(folder: Path, digests: dict[str, str], manifest: dict[str, list[int]],
               seen: dict[str, list[int]] | None = None) -> dict[str, str]:
    """The entries of `digests` whose file in `folder` still has the size and
    modification time of `manifest`: the others may not hold what was recorded.
    `seen`, if given, gets the [size, mtime_ns] of each file kept."""
    kept = {}
    for path, recorded in digests.items():
        expected = manifest.get(path)
        try:
            stat = os.stat(os.path.join(folder, path))
        except OSError:
            continue
        if expected is not None and [stat.st_size, stat.st_mtime_ns] == list(expected[:2]):
            kept[path] = recorded
            if seen is not None:
                seen[path] = [stat.st_size, stat.st_mtime_ns]
    return kept


def _copy_within(folder: Path, source: str, target: str) -> None:
    put_file(folder, target, (folder / source).read_bytes())
