"""Putting a build's pages in place, rendering only what is stale.

The folder prepared (`Staging`) is the spare — the site before last, kept in the
cache folder and updated in place: only files whose content differs are written —
when the last build's state knows it; otherwise a new folder next to the output,
where unchanged pages are hard-linked from the live site, and, on a first build,
every file is also linked into a new spare. Either way the prepared folder then
replaces the live site in one atomic swap (write.py), and the previous site becomes
the next spare. (At 5,000 entries, updating the spare in place saves linking 25,000
files and making 13,000 folders on every edit: docs/incremental-builds.md.)
"""
from __future__ import annotations

import os
import shutil
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable

from .memory import BuildMemory, elapsed
from .parallel import Task, digest, render_jobs
from .plan import Plan
from .search import BUNDLE, index_site
from .state import BuildState
from .write import link_file, new_staging, publish, put_file, remove_files, removed_on_failure

Log = Callable[[str], None]


@dataclass
class Staging:
    """The folder a build prepares its site in, and what it already holds."""

    folder: Path
    present: dict[str, str]  # path -> hash of each file it holds that can be trusted
    in_place: bool  # the spare folder, updated in place
    mirror: Path | None = None  # a first build: each file is also hard-linked there (the next spare)
    seen: dict[str, list[int]] = field(default_factory=dict)  # [size, mtime_ns] of the spare files kept


def prepare_folder(out: Path, memory: BuildMemory, last: BuildState | None, live_manifest: dict[str, list[int]]
                   ) -> Staging:
    """The spare folder if the last build's state describes it, else a new folder."""
    out, spare = out.absolute(), memory.paths.spare
    if last is not None and last.spare is not None and spare.is_dir() and out.is_dir():
        with removed_on_failure(spare, out):  # e.g. a read-only disk: say so, keep the live site
            memory.forget_state()  # from here on the spare no longer matches what the state says
        seen: dict[str, list[int]] = {}
        return Staging(spare, _untouched(spare, last.spare, last.spare_manifest, seen), True, seen=seen)
    shutil.rmtree(spare, ignore_errors=True)
    mirror = _new_mirror(spare) if last is None else None  # a first build: start a spare for the next
    return Staging(new_staging(out), {}, False, mirror)


def write_pages(staging: Staging, task: Task, plan: Plan, previous: BuildState | None,
                live_manifest: dict[str, list[int]], out: Path, workers: int, log: Log) -> BuildState:
    """Render the stale pages into the staging folder, bring every other page there
    (kept, linked from the live site, or rendered again when its live copy was touched),
    write the files that are not pages, and remove what the site no longer has.
    Returns the new site's state. A template error raises TemplateFailure."""
    folder, present, mirror = staging.folder, staging.present, staging.mirror
    task = replace(task, target=folder, present=present, mirror=mirror, fresh=not staging.in_place)
    state = BuildState()
    started, items = time.perf_counter(), [0, 0]
    for rendered in render_jobs(task, plan.stale, workers):
        state.pages[rendered.path] = (rendered.digest, rendered.deps)
        state.rendered.add(rendered.path)
        items[0], items[1] = items[0] + rendered.items[0], items[1] + rendered.items[1]
    log(f"render: {len(plan.stale)} pages in {elapsed(started)} "
        f"({items[1]} of {sum(items)} list items and download rows kept from the last build)")
    touched = []  # unchanged pages whose live copy was deleted or changed by something else
    for job in plan.jobs:
        if job.path not in state.pages:
            assert previous is not None
            state.pages[job.path] = previous.pages[job.path]
            if present.get(job.path) != previous.pages[job.path][0]:
                if _untouched(out, {job.path: ""}, live_manifest):
                    link_file(out, folder, job.path)
                else:
                    touched.append(job)
    for rendered in render_jobs(task, touched, workers):
        state.pages[rendered.path] = (rendered.digest, rendered.deps)
        state.rendered.add(rendered.path)
    for path, data in plan.files.items():
        hashed = digest(data)
        if present.get(path) != hashed:
            put_file(folder, path, data)
            if mirror is not None:
                link_file(folder, mirror, path)
        state.live[path] = hashed
    # hosts serve the root 404.html for any missing page: the English one
    not_found = state.pages["en/404.html"][0]
    if present.get("404.html") != not_found:
        put_file(folder, "404.html", (folder / "en/404.html").read_bytes())
        if mirror is not None:
            link_file(folder, mirror, "404.html")
    state.live["404.html"] = not_found
    state.live.update((path, page_digest) for path, (page_digest, _deps) in state.pages.items())
    remove_files(folder, [path for path in present if path not in state.live])
    if staging.in_place:
        shutil.rmtree(folder / BUNDLE, ignore_errors=True)  # the search index is made anew
    return state


def publish_site(staging: Staging, state: BuildState, out: Path, search: bool, memory: BuildMemory,
                 last: BuildState | None, live_manifest: dict[str, list[int]], log: Log,
                 pages: list[str] | None = None) -> dict[str, list[int]]:
    """Index the prepared site for search (before the swap: the live site never lacks its
    index), swap it in, and keep the previous site as the next spare. `pages`: the pages
    that may be indexed (None: every .html file); search.py reads only those. Fills in
    the state's spare folder; returns the [size, mtime_ns] of the new live site's files
    known without looking again (those of the spare this build did not write: their stat
    was just taken)."""
    def index(folder: Path) -> None:
        started = time.perf_counter()
        index_site(folder, pages, scratch=memory.paths.search)
        log(f"search: Pagefind index in {elapsed(started)}")

    kept = publish(staging.folder, out, index if search else None,
                   keep_previous=memory.paths.spare if last is not None else None)
    known = {path: staging.seen[path] for path, hashed in state.live.items()
             if path in staging.seen and staging.present.get(path) == hashed}
    if staging.mirror is not None:  # the spare holds the same files as the live site (its manifest: memory.remember)
        state.spare = dict(state.live)
    elif kept and last is not None:
        state.spare, state.spare_manifest = dict(last.live), live_manifest
    return known


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
    root, stat = os.fspath(folder) + os.sep, os.stat  # (35,000 files at 5,000 entries: the loop is kept tight)
    for path, recorded in digests.items():
        expected = manifest.get(path)
        if expected is None:
            continue
        try:
            info = stat(root + path)
        except OSError:
            continue
        size, mtime = info.st_size, info.st_mtime_ns
        if size == expected[0] and mtime == expected[1]:
            kept[path] = recorded
            if seen is not None:
                seen[path] = [size, mtime]
    return kept
