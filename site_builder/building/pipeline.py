"""The whole build, top to bottom: `build()` (docs/architecture.md).

Nothing is written until every check has passed: a content error stops the build
before the output folder is touched, and the new site replaces the old one in one
atomic swap, so a failed build leaves the previous site as it was. What one build
remembers for the next (the incremental layer) sits behind `BuildMemory`: a build
with nothing changed does nothing, and otherwise only the pages whose inputs changed
are rendered.

`check` (and `site-builder status`) read and resolve the content by the same road,
without writing anything.
"""
from __future__ import annotations

import gc
import signal
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterator

from .config import BuildConfig, available_cores
from .memory import BuildMemory, elapsed
from ..core.errors import ContentError, Position, Problem, TemplateFailure

if TYPE_CHECKING:  # (a heavy import: see build())
    from ..render.views import SiteContext

Log = Callable[[str], None]


def _quiet(_: str) -> None:
    pass


@dataclass
class BuildReport:
    pages: dict[str, int] = field(default_factory=dict)
    files: int = 0
    warnings: list[Problem] = field(default_factory=list)
    seconds: float = 0.0
    skipped: bool = False  # nothing changed since the last build: nothing was written
    rendered: tuple[str, ...] = ()  # the pages rendered by this build (the others were unchanged)


def build(config: BuildConfig, log: Log = _quiet, notice: Log = _quiet, memory: BuildMemory | None = None,
          published: Callable[[BuildReport], None] = lambda report: None) -> BuildReport:
    """Build the site. `log` gets every step (--verbose), `notice` what the user should
    know even without it (that the build waits for another one). A process that builds
    again and again (serve) passes the same `memory` each time, and learns from
    `published` that the new site is live, before the build saves what the next one
    needs (the browser can reload meanwhile)."""
    started = time.perf_counter()
    memory = memory or BuildMemory(config.out)
    inputs = memory.inputs(config.content, config.templates, config.fingerprinted_options())
    summary = memory.unchanged(inputs)  # 1. nothing changed since the last build: nothing to do
    if summary is None and config.index_optional and not config.search:  # (serve after `make site`)
        summary = memory.unchanged(inputs, config.fingerprinted_options(search=True))
    if summary is not None:
        log(f"cache: inputs unchanged and {config.out} intact; nothing to do")
        return BuildReport(summary["pages"], summary["files"], memory.warnings(summary),
                           time.perf_counter() - started, skipped=True)
    from . import steps  # (only now: a build with nothing to do never loads Jinja, pydantic or Babel)
    with memory.exclusive(notice), collector_paused():
        last = memory.last_build()  # what the previous build left, if it can be trusted
        with memory.content_results(last) as results:
            read = steps.read(config.content, config.workers, log, results, inputs.hashes)  # 2. each file, validated
            site, problems = steps.resolve(read, config.strict, log)  # 3. cross-references, former ids
            problems = steps.before_publishing(site, problems, config)  # the site's address (errors with --strict)
            site, renderer, files = steps.prepare_rendering(site, config, memory.paths)  # templates, assets
            plan = steps.plan(site, files, read.digests, last, inputs, config, log)  # 4. every page; the stale ones
            live = steps.render_and_publish(plan, renderer, read.digests, memory, last, config, log)  # 5, 6
            pages, warnings = steps.page_counts(live.state), [p for p in problems if p.severity == "warning"]
            report = BuildReport(pages, len(live.state.live), warnings, time.perf_counter() - started,
                                 rendered=tuple(sorted(live.state.rendered)))
            log(f"write: {config.out} replaced in {elapsed(started)}")
            with interrupts_deferred():  # (published: a reader may press Ctrl-C now, see below)
                published(report)
                memory.remember(inputs, live.state, results, pages, warnings, walk=steps.walked(config),
                                known=live.known, mirrored=live.mirrored)  # 7. for the next build
    return replace(report, seconds=time.perf_counter() - started)


def check(content: Path, strict: bool = False, log: Log = _quiet, jobs: int = 0) -> tuple["SiteContext", list[Problem]]:
    """Read, validate and resolve everything, write nothing; raise ContentError on any
    error (or warning, with `strict`). Files are read on `jobs` processes (0: one per
    core), as a build reads them."""
    from . import steps
    with collector_paused():
        read = steps.read(content, jobs or available_cores(), log)
        site, problems = steps.resolve(read, strict, log)
    return site, problems


@contextmanager
def interrupts_deferred() -> Iterator[None]:
    """Ctrl-C (SIGINT) takes effect at the end of the block rather than inside it. Around
    saving what the next build needs, once the new site is live: interrupted there, a
    build leaves no state (it is removed before the spare folder is touched), and the
    next build renders every page. serve makes pages reload just before, which is when
    an editor may well press Ctrl-C. Only in the main thread (signal handlers live there)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    received: list[int] = []
    previous = signal.signal(signal.SIGINT, lambda number, _frame: received.append(number))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
        if received and callable(previous):
            previous(signal.SIGINT, None)  # (Python's own handler: raises KeyboardInterrupt)
        elif received and previous == signal.SIG_DFL:
            signal.raise_signal(signal.SIGINT)


@contextmanager
def collector_paused() -> Iterator[None]:
    """CPython's cyclic garbage collector, off while this process builds. The build holds
    the whole content, millions of objects, and makes little cyclic garbage: full
    collections, triggered as the content is loaded, only walked all of it again and
    again (five times, 0.4 s, in a one-edit build at 5,000 entries). Worker processes,
    which render pages and do make garbage, collect as usual (parallel.py, reading.py)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


__all__ = ["BuildConfig", "BuildMemory", "BuildReport", "ContentError", "Position", "TemplateFailure", "build", "check"]
