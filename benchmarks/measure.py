#!/usr/bin/env python3
"""Measuring one command: wall time, CPU time and the memory of its whole process tree.

Used by run.py for every build. `measure()` runs the command under a fresh helper process
(this file run as a script, the command's spec on standard input) so that
`getrusage(RUSAGE_CHILDREN)` covers that command alone; the helper also samples the memory
of the process tree every SAMPLE_SECONDS (Linux /proc). `tree_cpu_seconds()` and
`TreeSampler` serve long-lived processes (`site-builder serve`), which are never waited for.
"""
from __future__ import annotations

import json
import os
import re
import resource
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

SAMPLE_SECONDS = 0.05
RENDERED = re.compile(rb"^render: ([0-9]+) pages?\b", re.MULTILINE)


class BenchmarkError(Exception):
    """A build failed, or its output does not show the change it was asked to make."""


def tree_pids(pid: int) -> list[int]:
    """`pid` and its descendants, parents first (Linux /proc; [pid] alone elsewhere)."""
    pids, stack = [], [pid]
    while stack:
        current = stack.pop()
        if current in pids:
            continue
        pids.append(current)
        try:
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children", "rb") as f:
                    stack.extend(int(child) for child in f.read().split())
        except (OSError, ValueError):
            continue
    return pids


def tree_cpu_seconds(pid: int) -> float | None:
    """CPU seconds (user + system) used so far by `pid`, its live descendants and the
    children they have waited for (Linux /proc; None elsewhere). A worker that exits
    without being waited for takes its time with it, so this is a lower bound."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    found = False
    for current in tree_pids(pid):
        try:
            with open(f"/proc/{current}/stat", "rb") as f:
                fields = f.read().rsplit(b")", 1)[1].split()
        except (OSError, IndexError):
            continue
        found = True
        total += sum(int(x) for x in fields[11:15])  # utime stime cutime cstime
    return total / ticks if found else None


class TreeSampler:
    """Samples the memory of a process tree in a thread until stopped; `peak` in bytes."""

    def __init__(self, pid: int):
        self.pid, self.peak = pid, 0
        self._page = os.sysconf("SC_PAGE_SIZE")
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        if Path("/proc/self/statm").exists():
            self._thread.start()

    def _run(self) -> None:
        while not self._done.is_set():
            self.peak = max(self.peak, _tree_memory_bytes(self.pid, self._page))
            self._done.wait(SAMPLE_SECONDS)

    def stop(self) -> int | None:
        self._done.set()
        if self._thread.is_alive():
            self._thread.join()
        return self.peak or None


def _tree_memory_bytes(pid: int, page: int) -> int:
    """Memory of `pid` and its descendants (Linux /proc); 0 once it is gone.

    A single process counts its resident set (statm, cheap). Several processes count
    the sum of their proportional set sizes (smaps_rollup's Pss), so pages shared after
    a fork are not counted twice; that read is slower, so it is done only then.
    """
    pids = tree_pids(pid)
    total = 0
    for current in pids:
        try:
            if len(pids) > 1:
                with open(f"/proc/{current}/smaps_rollup", "rb") as f:
                    found = re.search(rb"^Pss:\s+(\d+) kB", f.read(), re.MULTILINE)
                if found:
                    total += int(found.group(1)) * 1024
                    continue
            with open(f"/proc/{current}/statm", "rb") as f:
                total += int(f.read().split()[1]) * page
        except (OSError, ValueError, IndexError):
            continue
    return total


def _measure(spec: dict[str, Any]) -> dict[str, Any]:
    """Run one command; return its wall time, exit status, output and memory peaks."""
    started = time.perf_counter()
    proc = subprocess.Popen(spec["cmd"], cwd=spec["cwd"], env=spec["env"], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    sampler = TreeSampler(proc.pid)
    try:
        stdout, stderr = proc.communicate(timeout=spec["timeout"])
    except subprocess.TimeoutExpired:
        proc.kill()
        stdout, stderr = proc.communicate()
        stderr += f"\n(benchmark: killed after {spec['timeout']} s)".encode()
    seconds = time.perf_counter() - started
    peak = sampler.stop()
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    scale = 1 if sys.platform == "darwin" else 1024  # ru_maxrss: bytes on macOS, KiB elsewhere
    # `build --verbose` says how many pages it rendered ("render: 29 pages in 0.61 s …"), on
    # either stream; read it from the whole output (kept only in part below). None if absent.
    rendered = RENDERED.search(stderr) or RENDERED.search(stdout)
    return {
        "seconds": seconds,
        "returncode": proc.returncode,
        "max_rss_bytes": usage.ru_maxrss * scale,
        "tree_peak_bytes": peak,
        "user_seconds": usage.ru_utime,
        "system_seconds": usage.ru_stime,
        "rendered_pages": int(rendered.group(1)) if rendered else None,
        "stdout": stdout.decode("utf-8", "replace")[-4000:],
        "stderr": stderr.decode("utf-8", "replace")[-4000:],
    }


def measure(cmd: list[str], cwd: Path, env: dict[str, str], timeout: float) -> dict[str, Any]:
    """`_measure` in a fresh helper process, so RUSAGE_CHILDREN covers this build only."""
    spec = {"cmd": [str(c) for c in cmd], "cwd": str(cwd), "env": env, "timeout": timeout}
    helper = subprocess.run([sys.executable, str(Path(__file__).resolve())],
                            input=json.dumps(spec), capture_output=True, text=True, check=False)
    if helper.returncode != 0:
        raise BenchmarkError(f"measuring helper failed: {helper.stderr.strip()[-2000:]}")
    return json.loads(helper.stdout)


if __name__ == "__main__":
    print(json.dumps(_measure(json.loads(sys.stdin.read()))))
