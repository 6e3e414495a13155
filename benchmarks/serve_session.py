"""Edits measured through the real `site-builder serve`, as an editor meets them.

`ServeSession` starts `site-builder serve --port 0` (127.0.0.1, a free port) in a work
folder, waits for its first build ("Serving … at http://127.0.0.1:PORT/"), listens to the
live-reload stream (`/__reload`, server-sent events: `data: <generation>` now and after
every build), and then, for each edit: writes the file, and times

- **reload**: from the end of the file write until the next generation is announced on
  `/__reload` (what makes an open browser tab reload: watching, debounce, the rebuild,
  publishing);
- **page**: from the write until the edited page, fetched from the server as the reloading
  tab would, shows the new text (a rebuild that missed the change fails instead of looking
  fast).

CPU seconds of the server's process tree over each edit are read from /proc, and the memory
of the tree is sampled over the whole session. `stop()` stops the server as Ctrl-C does
(SIGINT) and waits for it to say "Stopped.".

Talks to the tool only through its command line and HTTP, so it measures whatever the
pipeline becomes. Standard library only.
"""
from __future__ import annotations

import http.client
import os
import queue
import re
import shutil
import signal
import subprocess
import threading
import time
from pathlib import Path
from typing import Any, Callable

from measure import BenchmarkError, TreeSampler, tree_cpu_seconds

HOST = "127.0.0.1"
SERVING = re.compile(r"Serving .* at http://127\.0\.0\.1:([0-9]+)/")
SETTLE_SECONDS = 1.0  # quiet time between edits: serve tidies up after publishing a build
POLL_SECONDS = 0.05


class ServeSession:
    def __init__(self, cmd: list[str], cwd: Path, env: dict[str, str], timeout: float):
        self.cmd, self.cwd, self.env, self.timeout = cmd, cwd, env, timeout
        self.output: list[str] = []  # stdout and stderr lines, for error messages
        self._lines: queue.Queue[str] = queue.Queue()
        self._events: queue.Queue[tuple[float, int]] = queue.Queue()
        self._stream: http.client.HTTPConnection | None = None
        self.generation = 0
        self.port: int | None = None

    # --- start and stop ---------------------------------------------------------

    def start(self) -> dict[str, Any]:
        """Start the server; return the seconds until it serves its first build."""
        started = time.perf_counter()
        self.proc = subprocess.Popen(self.cmd, cwd=self.cwd, env=self.env, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, text=True, encoding="utf-8", errors="replace")
        self.sampler = TreeSampler(self.proc.pid)
        for stream in (self.proc.stdout, self.proc.stderr):
            threading.Thread(target=self._read_lines, args=(stream,), daemon=True).start()
        deadline = started + self.timeout
        while self.port is None:
            try:
                line = self._lines.get(timeout=max(0.0, deadline - time.perf_counter()))
            except queue.Empty:
                raise self._failure(f"serve did not announce its address within {self.timeout:.0f} s") from None
            found = SERVING.search(line)
            if found:
                self.port = int(found.group(1))
            elif self.proc.poll() is not None and self._lines.empty():
                raise self._failure(f"serve exited with status {self.proc.returncode} before serving")
        first_build = time.perf_counter() - started
        threading.Thread(target=self._listen, daemon=True).start()
        self.generation = self._next_event(deadline=time.perf_counter() + 30)[1]
        return {"seconds": first_build, "generation": self.generation}

    def stop(self) -> dict[str, Any]:
        """Stop the server as Ctrl-C does; return its exit status and the session's peak memory."""
        if self._stream is not None:
            self._stream.close()
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.stacks = _stacks(self.proc.pid, self.cmd[0])  # where it is stuck, for the report
                self.proc.terminate()
                try:
                    self.proc.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    self.proc.kill()
                    self.proc.wait()
        peak = self.sampler.stop()
        time.sleep(0.1)  # let the reader threads take the last lines
        return {"returncode": self.proc.returncode, "tree_peak_bytes": peak,
                "stopped_cleanly": self.proc.returncode == 0 and any("Stopped." in line for line in self.output),
                "output_tail": self.output[-12:] + getattr(self, "stacks", [])}  # to tell why it did not stop

    def __enter__(self) -> "ServeSession":
        return self

    def __exit__(self, *exc: object) -> None:
        if getattr(self, "proc", None) is not None and self.proc.poll() is None:
            self.stop()

    # --- one edit -----------------------------------------------------------------

    def edit(self, apply: Callable[[], Any], page: str, expected: str) -> dict[str, Any]:
        """Run `apply` (which writes one content file), then time the reload event and the
        moment `page` (a URL path such as /en/actors/azerbaijan/) is served with `expected`."""
        time.sleep(SETTLE_SECONDS)
        self._drain_events()
        cpu_before = tree_cpu_seconds(self.proc.pid)
        apply()
        written = time.perf_counter()
        deadline = written + self.timeout
        at, generation = self._next_event(deadline)
        if generation <= self.generation:
            raise self._failure(f"the reload stream announced generation {generation} after {self.generation}")
        self.generation = generation
        reload_seconds = at - written
        while True:
            status, body = self._get(page)
            if status == 200 and expected in body:
                break
            if status == 500:
                raise self._failure(f"serve shows an error page for {page} after the edit")
            if time.perf_counter() > deadline:
                raise self._failure(f"{page} is served without {expected!r} {self.timeout:.0f} s after the edit")
            time.sleep(POLL_SECONDS)
        page_seconds = time.perf_counter() - written
        cpu_after = tree_cpu_seconds(self.proc.pid)
        return {"seconds": reload_seconds, "page_seconds": page_seconds, "generation": generation,
                "cpu_seconds": (cpu_after - cpu_before) if None not in (cpu_before, cpu_after) else None,
                "built_line": self._last_built()}

    # --- plumbing ---------------------------------------------------------------

    def _read_lines(self, stream: Any) -> None:
        for line in stream:
            self.output.append(line.rstrip("\n"))
            self._lines.put(line)

    def _listen(self) -> None:
        """Read the server-sent events of /__reload; queue (arrival time, generation)."""
        try:
            self._stream = http.client.HTTPConnection(HOST, self.port, timeout=None)
            self._stream.request("GET", "/__reload", headers={"Accept": "text/event-stream"})
            response = self._stream.getresponse()
            while True:
                line = response.fp.readline()
                if not line:
                    return
                found = re.match(rb"data: ([0-9]+)\s*$", line)
                if found:
                    self._events.put((time.perf_counter(), int(found.group(1))))
        except (OSError, http.client.HTTPException, AttributeError, ValueError):
            return  # the server stopped, or stop() closed the stream

    def _next_event(self, deadline: float) -> tuple[float, int]:
        try:
            return self._events.get(timeout=max(0.0, deadline - time.perf_counter()))
        except queue.Empty:
            raise self._failure("no reload event arrived on /__reload in time") from None

    def _drain_events(self) -> None:
        while True:
            try:
                self.generation = max(self.generation, self._events.get_nowait()[1])
            except queue.Empty:
                return

    def _get(self, path: str) -> tuple[int, str]:
        connection = http.client.HTTPConnection(HOST, self.port, timeout=self.timeout)
        try:
            connection.request("GET", path)
            response = connection.getresponse()
            return response.status, response.read().decode("utf-8", "replace")
        finally:
            connection.close()

    def _last_built(self) -> str | None:
        built = [line for line in self.output if line.startswith("Built ")]
        return built[-1] if built else None

    def _failure(self, message: str) -> BenchmarkError:
        tail = "\n".join(self.output[-30:])
        return BenchmarkError(f"serve ({' '.join(os.path.basename(c) for c in self.cmd[:3])}…): {message}\n{tail}")


def _stacks(pid: int, python: str) -> list[str]:
    """The Python stacks of a process that does not stop, by py-spy if it is installed
    (beside the interpreter, or on PATH); nothing otherwise."""
    spy = Path(python).parent / "py-spy"
    command = str(spy) if spy.exists() else shutil.which("py-spy")
    if command is None:
        return []
    try:
        dump = subprocess.run([command, "dump", "--pid", str(pid)], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return []
    return ["py-spy dump:", *dump.stdout.splitlines()]
