"""A function run over chunks of work on forked worker processes, results in order.

Reading content files and rendering pages both fork workers that inherit what they
need (the parser, the resolved site) instead of receiving it pickled.

Why not `multiprocessing.Pool`: when the caller stops early (a template error in one
chunk, a full disk, Ctrl-C in `serve`), the pool's context manager kills its workers
with SIGTERM, and a worker killed while it holds the result queue's lock leaves the
pool's task thread waiting for that lock forever: the build hung instead of saying
what went wrong. `ProcessPoolExecutor`'s shutdown cancels the chunks not yet started
and waits for the running ones (one chunk each, at most), without killing anything.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import multiprocessing
import os
import signal
from concurrent.futures import ProcessPoolExecutor
from typing import Any, Callable, Iterable, Iterator, TypeVar

Chunk = TypeVar("Chunk")
Result = TypeVar("Result")


_PR_SET_PDEATHSIG = 1  # prctl(2), Linux


def _die_with_parent(parent: int) -> None:
    """A worker ends when the build's process ends, however it ends (killed, or the
    machine's OOM killer): otherwise it would wait for work forever, holding the
    terminal's or the caller's pipes open. (multiprocessing.Pool's workers noticed
    through a closed pipe; the executor's do not.)"""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):  # not Linux: the worker notices when it next reads its queue
        pass
    if os.getppid() != parent:  # the parent ended before the line above
        os._exit(1)


def _start(parent: int, initializer: Callable[..., None], *initargs: Any) -> None:
    _die_with_parent(parent)
    initializer(*initargs)


def can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


def in_order(function: Callable[[Chunk], Result], chunks: Iterable[Chunk], workers: int,
             initializer: Callable[..., None], initargs: tuple[Any, ...]) -> Iterator[Result]:
    """`function(chunk)` for each chunk, on `workers` forked processes (each first runs
    `initializer(*initargs)`), yielded in the order of `chunks`. An exception in a
    worker is raised here; stopping early waits only for the chunks already running."""
    executor = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"),
                                   initializer=_start, initargs=(os.getpid(), initializer, *initargs))
    try:
        yield from executor.map(function, chunks)  # (results are let go of as they are yielded)
    finally:
        executor.shutdown(wait=True, cancel_futures=True)
