"""Rendering pages on every core, each worker writing what it renders.

Pages are independent once the content is resolved, so they are rendered in
chunks by forked worker processes. Fork lets each worker inherit the resolved
site (nothing is pickled on the way in). Each worker writes its pages straight
into the folder being prepared and sends back only their path, hash and what
they read (dependencies.py): the parent never holds the whole site in memory.
The result is keyed by path, so it is the same whatever order workers finish in.
"""
from __future__ import annotations

import gc
import hashlib
import os
from contextlib import contextmanager
from functools import partial
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from .dependencies import PageDeps
from .fragments import ItemFiles, KeptRows, PageItems
from ..render.jobs import Job, render_job
from ..core.errors import TemplateFailure
from ..render.renderer import Renderer
from ..render.urls import ENTRY_KINDS
from ..content.observed import FieldKey
from .workers import can_fork, in_order
from .write import link_file, put_file

MIN_PAGES_PER_WORKER = 8  # below this, starting processes costs more than it saves


@dataclass(frozen=True)
class Rendered:
    path: str
    digest: str
    deps: bytes  # PageDeps.frozen()
    data: bytes | None = None  # only when rendering in memory (no target folder)
    items: tuple[int, int] = (0, 0)  # list items rendered, and kept from the last build (fragments.py)


@dataclass(frozen=True)
class Task:
    """What every worker needs: inherited through fork, never pickled."""

    renderer: Renderer
    target: Path | None  # the folder to write into; None: return the bytes instead
    present: dict[str, str]  # path -> hash of what `target` already holds: identical pages are not rewritten
    entry_numbers: dict[FieldKey, int] = field(default_factory=dict)  # see dependencies.entry_index
    mirror: Path | None = None  # a folder where each written page is also hard-linked (the next spare)
    fresh: bool = False  # `target` was created empty by this build: no file to replace there
    digests: dict[FieldKey, str] = field(default_factory=dict)  # field of an entry -> its digest (reading.py)
    items: ItemFiles = ItemFiles(None)  # where pages keep their list items, and files their rows (fragments.py)
    heap_frozen: bool = False  # the process froze its heap already (see frozen_heap)


def digest(*chunks: bytes) -> str:
    """The hash of a file's bytes, given whole or in chunks."""
    hashed = hashlib.sha1(usedforsecurity=False)
    for chunk in chunks:
        hashed.update(chunk)
    return hashed.hexdigest()


def render_one(task: Task, job: Job) -> Rendered:
    deps = PageDeps()
    items: PageItems | KeptRows | None = None
    if job.kind == "page":
        items = PageItems(task.renderer.site, deps, task.digests, job.path, task.items)
    elif job.kind == "export":
        items = KeptRows(deps, task.digests, job.path, task.items)
    chunks = render_job(task.renderer, job, deps, items)
    hashed = digest(*chunks)
    data = None
    if task.target is None:
        data = b"".join(chunks)
    elif task.present.get(job.path) != hashed:
        put_file(task.target, job.path, chunks, replace=not task.fresh)
        if task.mirror is not None:
            link_file(task.target, task.mirror, job.path, replace=False)
    del chunks  # (before saving its kept items: the largest files, 11 MB each, need not be held meanwhile)
    counts = (0, 0)
    if items is not None:
        items.save()
        counts = (items.rendered, items.kept)
    return Rendered(job.path, hashed, deps.frozen(task.entry_numbers), data, counts)


# Set once in each worker process, right after fork, by _start_worker; never in the
# parent. Pool workers can only reach per-process state through a module global.
_worker_task: Task | None = None


def _start_worker(task: Task) -> None:
    global _worker_task
    _worker_task = task
    gc.enable()  # (the parent builds with it paused: pipeline.collector_paused)


def _render_all(task: Task, chunk: list[Job]) -> list[Rendered]:
    return [render_one(task, job) for job in chunk]


def _render_chunk(chunk: list[Job]) -> list[Rendered]:  # (in a worker)
    assert _worker_task is not None
    return _render_all(_worker_task, chunk)


def render_jobs(task: Task, jobs: list[Job], workers: int) -> Iterator[Rendered]:
    """Render (and write) every job; raises TemplateFailure on a template error."""
    # The largest files first (downloads, lists: the timeline is 4 MB at 5,000 entries),
    # while workers are smallest in memory and the other pages can even out the load;
    # the others keep their order (an entry's pages together, see jobs.py).
    jobs = sorted(jobs, key=_smallest_last)
    workers = min(workers, len(jobs) // MIN_PAGES_PER_WORKER)
    if workers <= 1 or not can_fork():
        for job in jobs:
            yield render_one(task, job)
        return
    # Several chunks per worker even out page costs; after a small change the few pages
    # to render go one by one, so that the two heaviest (the timeline in each
    # language, next to each other in the list) are rendered side by side.
    size = max(1, min(64, len(jobs) // (workers * 8)))
    chunks = [jobs[i:i + size] for i in range(0, len(jobs), size)]
    with frozen_heap(task.heap_frozen):
        for rendered in in_order(_render_chunk, chunks, workers, _start_worker, (task,),
                                 here=partial(_render_all, task)):
            yield from rendered


def _smallest_last(job: Job) -> int:
    if job.kind in ("export", "sitemap"):
        return 0
    if job.kind == "page" and not job.args[0].id and job.args[0].kind in ENTRY_KINDS:  # a section's list
        return 1
    return 2


@contextmanager
def frozen_heap(already: bool = False) -> Iterator[None]:
    """Around forking workers: the objects that exist now (the whole site) are left
    out of the garbage collector's scans, in the parent and in the workers. Its full
    scans would otherwise walk the whole library again and again while pages are
    rendered, and touching every object copies the memory workers share with the parent.
    (`already`: a long-running process froze its heap between builds, see
    memory.BuildMemory.settle; it is left as it is, unfreezing here would undo that.)"""
    if already:
        yield
        return
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


__all__ = ["Rendered", "Task", "digest", "render_jobs"]
