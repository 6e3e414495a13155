"""Work on forked processes stops cleanly when the caller stops early: a failing chunk
(a template error, a full disk) or Ctrl-C must end the build with its message, never
leave it waiting forever (multiprocessing.Pool's terminate could: building/workers.py)."""
from __future__ import annotations

import os
import time

import pytest

from site_builder.building.workers import in_order

_factor = 0


def _set_factor(factor: int) -> None:
    global _factor
    _factor = factor


def _work(chunk: int) -> list[bytes]:  # (chunk 3 fails: a full disk)
    if chunk == 3:
        raise OSError(28, "No space left on device")
    return [bytes(10_000) * _factor] * 50  # results big enough to keep the result queue busy


def test_results_come_in_order_from_what_the_workers_inherited():
    assert [len(result) for result in in_order(_work, [0, 1, 2], 2, _set_factor, (2,), here=_work)] == [50, 50, 50]


def _disk_full_from_3(chunk: int) -> list[bytes]:
    if chunk >= 3:
        raise OSError(28, "No space left on device")
    return _work(chunk)


def _fine(chunk: int) -> list[bytes]:
    time.sleep(0.01)  # (slower than the worker: otherwise the caller takes every chunk back)
    return [b""] * 50


@pytest.mark.parametrize("attempt", range(5))
def test_a_failing_chunk_is_raised_promptly(attempt):
    """A worker's failure (every chunk from the third fails in workers, none in the caller)."""
    started = time.monotonic()
    with pytest.raises(OSError, match="No space left"):
        for _ in in_order(_disk_full_from_3, list(range(200)), 2, _set_factor, (1,), here=_fine):
            pass
    assert time.monotonic() - started < 30


def _pid_of(chunk: int) -> tuple[int, int]:
    time.sleep(0.01 if chunk % 3 else 0.03)  # (uneven chunks: the queue is handed out as it empties)
    return chunk, os.getpid()


def test_the_calling_process_does_its_share_and_forks_one_worker_fewer():
    """With `here`, the caller is one of the workers: a forked worker copies what it
    touches of the caller's memory (the whole resolved site, in a build), so the caller
    rendering too saves one copy for the same use of the cores."""
    results = list(in_order(_pid_of, range(60), 2, _set_factor, (1,), here=_pid_of))
    assert [chunk for chunk, _pid in results] == list(range(60))  # in order, each chunk once
    pids = {pid for _chunk, pid in results}
    assert os.getpid() in pids and len(pids) == 2  # this process and one forked worker


def test_the_two_first_chunks_go_to_two_processes():
    """After a small edit the two heaviest pages (the timeline in each language) are the
    first two chunks: they are rendered side by side, not one after the other."""
    first, second = list(in_order(_pid_of, range(2), 2, _set_factor, (1,), here=_pid_of))
    assert first[1] != second[1]


def test_a_failing_chunk_of_the_calling_process_is_raised_and_the_workers_stop():
    started = time.monotonic()
    with pytest.raises(OSError, match="No space left"):
        for _ in in_order(_work, list(range(200)), 2, _set_factor, (1,), here=_work):
            pass
    assert time.monotonic() - started < 30


def test_with_one_worker_the_calling_process_does_everything():
    assert {pid for _chunk, pid in in_order(_pid_of, range(5), 1, _set_factor, (1,), here=_pid_of)} == {os.getpid()}


def test_a_caller_that_stops_early_does_not_wait_for_every_chunk():
    started = time.monotonic()
    results = in_order(_work, [0, 1, 2] + [5] * 500, 2, _set_factor, (1,), here=_work)
    next(results)
    results.close()  # as when the build is interrupted
    assert time.monotonic() - started < 30


def test_workers_end_with_the_build_that_started_them(tmp_path):
    """A build killed outright (SIGKILL, the OOM killer) must not leave workers behind,
    waiting for work and holding the caller's pipes open."""
    import os
    import signal
    import subprocess
    import sys
    import textwrap

    script = tmp_path / "parent.py"
    script.write_text(textwrap.dedent("""
        import os, sys, time
        from site_builder.building.workers import in_order
        def noop(): pass
        def slow(chunk):
            time.sleep(0.2)
            return os.getpid()
        for pid in in_order(slow, range(1000), 2, noop, (), here=slow):
            print(pid, flush=True)
    """))
    parent = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, text=True)
    workers = {int(parent.stdout.readline()) for _ in range(4)}
    parent.send_signal(signal.SIGKILL)
    parent.wait(timeout=10)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(_alive(pid) for pid in workers):
        time.sleep(0.1)
    assert not any(_alive(pid) for pid in workers)
    parent.stdout.read()  # the pipe is closed: every writer has ended


def _alive(pid: int) -> bool:
    import os
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    with open(f"/proc/{pid}/stat") as stat:  # a zombie (ended, not yet reaped) is not alive
        return stat.read().split(") ")[1][0] != "Z"
