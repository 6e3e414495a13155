"""Chunks of work done by this process and forked worker processes, results in order.

Reading content files and rendering pages both fork workers that inherit what they
need (the parser, the resolved site) instead of receiving it pickled, and do their
share of the chunks themselves (D41).

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
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any, Callable, Iterable, Iterator, TypeVar

Chunk = TypeVar("Chunk")
Result = TypeVar("Result")


_PR_SET_PDEATHSIG = 1  # prctl(2), Linux
QUEUED = 4  # chunks handed to each worker ahead while the calling process does one (in_order)


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
             initializer: Callable[..., None], initargs: tuple[Any, ...],
             here: Callable[[Chunk], Result]) -> Iterator[Result]:
    """Each chunk done on one of `workers` processes, the results yielded in the order of
    `chunks`. An exception in a chunk is raised here; stopping early waits only for the
    chunks already running.

    This process is one of the `workers`: it does chunks itself with `here`, while
    `workers - 1` forked processes, each having first run `initializer(*initargs)`, do
    the others with `function` (the same work, reaching what the initializer set in
    their globals). It does not wait idle for them: a forked worker copies, page
    by page, whatever of this process's memory it touches (reference counts are writes),
    so each fork costs up to the size of the resolved site again: at 5,000 entries, a cold
    build's peak went from 489 to 341 MB for the same use of the cores (docs/decisions.md, D41)."""
    todo = list(chunks)
    if workers <= 1:
        yield from map(here, todo)
        return
    helpers = workers - 1
    executor = _executor(helpers, initializer, initargs)
    pending: dict[int, Future[Result]] = {}
    done: dict[int, Result] = {}
    taken = given = 0  # chunks handed out (to a worker or to this process); chunks yielded

    def hand_out(count: int) -> None:  # to the workers, until `count` are theirs
        nonlocal taken
        while taken < len(todo) and len(pending) < count:
            pending[taken] = executor.submit(function, todo[taken])
            taken += 1

    try:
        while given < len(todo):
            for number in [number for number, future in pending.items() if future.done()]:
                done[number] = pending.pop(number).result()  # (a worker's exception is raised here)
            if given in done:
                yield done.pop(given)
                given += 1
                continue
            # Each worker has a chunk before this process takes the next one (the two largest
            # pages, side by side in `chunks`, go to two processes), and a few more queued
            # while this process does it. Once every chunk is handed out, this process takes
            # back the last one a worker has not started: the build does not end waiting
            # for a worker's queue.
            hand_out(helpers)
            if taken < len(todo):
                mine: int | None = taken
                taken += 1
            else:
                mine = _take_back(pending)
            hand_out(QUEUED * helpers)
            if mine is not None:
                done[mine] = here(todo[mine])
            else:
                done[given] = pending.pop(given).result()  # nothing left to do here: wait
    finally:
        executor.shutdown(wait=True, cancel_futures=True)


def _take_back(pending: dict[int, Future[Result]]) -> int | None:
    """The last chunk handed to a worker that has not started it, now no one's (None if none)."""
    for number in sorted(pending, reverse=True):
        if pending[number].cancel():
            del pending[number]
            return number
    return None


def _executor(workers: int, initializer: Callable[..., None], initargs: tuple[Any, ...]) -> ProcessPoolExecutor:
    # (ProcessPoolExecutor rather than multiprocessing.Pool: see the module's docstring)
    return ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"),
                               initializer=_start, initargs=(os.getpid(), initializer, *initargs))
