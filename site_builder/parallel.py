"""Rendering pages on every core.

Pages are independent once the content is resolved, so they are rendered in
chunks by forked worker processes. Fork lets each worker inherit the resolved
site (nothing is pickled on the way in); only the finished bytes come back.
Output is keyed by path, so it is the same whatever order workers finish in.
"""
from __future__ import annotations

import multiprocessing
import os
from typing import Iterator

from .render import RenderFailure, Renderer
from .urls import PageKey

Page = tuple[PageKey, str]
MIN_PAGES_PER_WORKER = 100  # below this, starting processes costs more than it saves

# Set once in each worker process, right after fork, by _start_worker; never in the
# parent. Pool workers can only reach per-process state through a module global.
_worker_renderer: Renderer | None = None


def default_jobs() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        return os.cpu_count() or 1


def _start_worker(renderer: Renderer) -> None:
    global _worker_renderer
    _worker_renderer = renderer


def _render_chunk(chunk: list[Page]) -> list[tuple[str, bytes]]:
    assert _worker_renderer is not None
    return [(key.output_file(lang), _worker_renderer.render_bytes(key, lang)) for key, lang in chunk]


def render_pages(renderer: Renderer, pages: list[Page], jobs: int) -> Iterator[tuple[str, bytes]]:
    """(output path, HTML bytes) for every page; raises RenderFailure on a template error."""
    workers = min(jobs, len(pages) // MIN_PAGES_PER_WORKER)
    if workers <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        for key, lang in pages:
            yield key.output_file(lang), renderer.render_bytes(key, lang)
        return
    size = max(16, len(pages) // (workers * 8))  # several chunks per worker evens out page costs
    chunks = [pages[i:i + size] for i in range(0, len(pages), size)]
    context = multiprocessing.get_context("fork")
    with context.Pool(workers, initializer=_start_worker, initargs=(renderer,)) as pool:
        for rendered in pool.imap(_render_chunk, chunks):
            yield from rendered


__all__ = ["RenderFailure", "default_jobs", "render_pages"]
