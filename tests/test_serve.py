"""`site-builder serve`: the editor's preview server, run as a real subprocess.

It builds, serves on 127.0.0.1, rebuilds when content changes, shows an error
page while the content is broken, and stops cleanly on Ctrl-C. The live-reload
script is added to served pages only, never to the build on disk.
"""
from __future__ import annotations

import contextlib
import os
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Callable, Iterator

from site_builder.core.errors import Position, Problem
from site_builder.commands.serve import Outcome, error_page, inject_reload

ROOT = Path(__file__).resolve().parent.parent
TIMEOUT = 20.0
EVENT_PAGE = "/en/timeline/2008-example-agreement/"
EVENT_FILE = "timeline/2008-example-agreement.yaml"


class Server:
    def __init__(self, process: subprocess.Popen, port: int, stdout: Path, stderr: Path):
        self.process, self.port, self.stdout, self.stderr = process, port, stdout, stderr

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def get(self, path: str) -> tuple[int, str]:
        try:
            with urllib.request.urlopen(self.url(path), timeout=10) as response:
                return response.status, response.read().decode("utf-8")
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode("utf-8")

    def wait_for_page(self, path: str, condition: Callable[[str], bool], what: str) -> tuple[int, str]:
        deadline = time.monotonic() + TIMEOUT
        while True:
            status, body = self.get(path)
            if condition(body):
                return status, body
            if time.monotonic() > deadline:
                raise AssertionError(f"{path} never showed {what} within {TIMEOUT} s; last body:\n{body}\n"
                                     f"stdout:\n{self.stdout.read_text()}\nstderr:\n{self.stderr.read_text()}")
            time.sleep(0.2)

    def interrupt(self) -> int:
        self.process.send_signal(signal.SIGINT)
        return self.process.wait(timeout=TIMEOUT)


@contextlib.contextmanager
def serving(tmp_path: Path, templates: Path) -> Iterator[Server]:
    """`python -m site_builder serve --port 0` on tmp_path/content; killed at the end if still running."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH")) if p),
               PYTHONIOENCODING="utf-8", NO_COLOR="1")
    stdout, stderr = tmp_path / "serve.out", tmp_path / "serve.err"
    with stdout.open("wb") as out, stderr.open("wb") as err:
        process = subprocess.Popen(
            [sys.executable, "-m", "site_builder", "serve", "--port", "0", "--content", "content",
             "--out", "build", "--templates", str(templates)],
            cwd=tmp_path, stdout=out, stderr=err, env=env, preexec_fn=_ctrl_c_as_in_a_terminal)
    try:
        yield Server(process, _read_port(process, stdout, stderr), stdout, stderr)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def _ctrl_c_as_in_a_terminal() -> None:
    """In the child, before serve starts: SIGINT back to its default. A test suite started in
    the background by a shell without job control (`cmd &` in a script) ignores SIGINT, and
    its children inherit that: Ctrl-C would then never reach serve."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _read_port(process: subprocess.Popen, stdout: Path, stderr: Path) -> int:
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        found = re.search(r"http://127\.0\.0\.1:(\d+)/", stdout.read_text(encoding="utf-8"))
        if found:
            return int(found.group(1))
        if process.poll() is not None:
            break
        time.sleep(0.1)
    raise AssertionError(f"serve printed no address; stdout:\n{stdout.read_text()}\nstderr:\n{stderr.read_text()}")


def _next_generation(stream, after: str) -> str:
    """Read Server-Sent Events until a `data:` line other than `after`."""
    for raw in stream:
        line = raw.decode("utf-8").strip()
        if line.startswith("data:") and line != after:
            return line
    raise AssertionError("the reload stream ended")


def test_serve_rebuilds_shows_errors_and_stops_cleanly(site_copy: Path, templates_dir: Path, tmp_path: Path):
    event = site_copy / EVENT_FILE
    original = event.read_text(encoding="utf-8")
    with serving(tmp_path, templates_dir) as server:
        status, body = server.get(EVENT_PAGE)
        assert status == 200 and "First example agreement" in body
        assert "/__reload" in body  # served pages reload themselves

        # The reload stream announces a new build after an edit; the page shows the edit.
        with urllib.request.urlopen(server.url("/__reload"), timeout=TIMEOUT) as stream:
            first = _next_generation(stream, after="")
            event.write_text(original.replace("First example agreement", "Revised example agreement"),
                             encoding="utf-8")
            assert _next_generation(stream, after=first) != first
        server.wait_for_page(EVENT_PAGE, lambda b: "Revised example agreement" in b, "the edited title")

        # A content error replaces every page with the list of problems, file:line:col first.
        event.write_text(original.replace("date: 2008~", "date: 2008-02-30"), encoding="utf-8")
        status, body = server.wait_for_page(EVENT_PAGE, lambda b: "The content has errors" in b, "the error page")
        assert status == 500
        assert "Le contenu comporte des erreurs" in body
        assert "timeline/2008-example-agreement.yaml:2:7" in body
        assert "February 2008 has 29 days" in body
        assert "First example agreement" not in body and "Revised example agreement" not in body
        assert "/__reload" in body  # it reloads itself once fixed
        status, home = server.get("/fr/")
        assert status == 500 and "The content has errors" in home
        assert "2008-example-agreement.yaml:2:7" in server.stderr.read_text(encoding="utf-8")  # terminal too

        # Fixing it brings the page back.
        event.write_text(original, encoding="utf-8")
        status, body = server.wait_for_page(EVENT_PAGE, lambda b: "First example agreement" in b, "the page again")
        assert status == 200 and "The content has errors" not in body

        assert server.interrupt() == 0
        assert "Traceback" not in server.stderr.read_text(encoding="utf-8")


def test_build_on_disk_has_no_reload_script(site_copy: Path, templates_dir: Path, tmp_path: Path):
    with serving(tmp_path, templates_dir) as server:
        status, body = server.get("/en/")
        assert status == 200 and "EventSource" in body
        pages = list((tmp_path / "build").rglob("*.html"))
        assert pages
        assert not [p for p in pages if b"EventSource" in p.read_bytes() or b"__reload" in p.read_bytes()]
        assert server.interrupt() == 0


def test_missing_page_is_the_site_404_with_reload(site_copy: Path, templates_dir: Path, tmp_path: Path):
    with serving(tmp_path, templates_dir) as server:
        status, body = server.get("/en/no-such-page/")
        assert status == 404 and "/__reload" in body
        assert server.get("/assets/style.css")[0] == 200
        assert server.interrupt() == 0


def test_error_page_escapes_everything():
    problem = Problem(Position("content/<x>.yaml", 3, 1), "unknown actor '<script>alert(1)</script>'",
                      hint="did you mean '<b>'?")
    page = error_page(Outcome(2, problems=(problem,))).decode("utf-8")
    assert "<script>" not in page and "<b>" not in page and "<x>" not in page
    assert "content/&lt;x&gt;.yaml:3:1" in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "The content has errors / " in page and "Le contenu comporte des erreurs" in page


def test_reload_script_goes_before_the_last_body_end():
    page = inject_reload(b"<html><body><p>x</p></BODY></html>", 7).decode("utf-8")
    assert page.index('"7"') < page.index("</BODY>") and page.endswith("</BODY></html>")


def test_serve_can_skip_the_search_index():
    """The preview may leave search out (it is otherwise made in the background after each save)."""
    from site_builder.commands.cli import _parser

    assert _parser().parse_args(["serve"]).search is True
    assert _parser().parse_args(["serve", "--no-search"]).search is False


def test_a_broken_template_is_shown_not_a_crash(site_copy: Path, templates_dir: Path, tmp_path: Path):
    """A template error during a rebuild is the templates maintainer's to fix: the preview
    says which template and line, and keeps watching (it must not report a crash)."""
    import io

    from site_builder.building.pipeline import BuildConfig
    from site_builder.commands.serve import build_once

    broken = tmp_path / "templates"
    import shutil
    shutil.copytree(templates_dir, broken)
    (broken / "about.html").write_text("{% extends 'base.html' %}{% block main %}{{ page.no_such( }}{% endblock %}")
    out, err = io.StringIO(), io.StringIO()
    outcome = build_once(BuildConfig(site_copy, tmp_path / "build", broken, search=False), 2, out, err)
    assert not outcome.ok and "about.html" in (outcome.failure or "") and "crashed" not in (outcome.failure or "")
    assert "Traceback" not in err.getvalue()


def test_serve_warms_up_while_quiet_and_reloads_pages_before_saving_the_state(site_copy: Path, templates_dir: Path,
                                                                             tmp_path: Path, monkeypatch):
    """serve started on a site built already reads the last build's state once the watcher
    has been quiet for a moment, so that the first edit is as fast as the next; and the
    reload is announced as soon as the new site is live, before that state is saved.
    (The file watcher is replaced by the changes it would report.)"""
    import io

    from site_builder.building.memory import CachePaths
    from site_builder.building.pipeline import BuildConfig, BuildMemory, build
    from site_builder.commands import serve as serve_module

    options = BuildConfig(site_copy, tmp_path / "build", templates_dir, search=False, jobs=1)
    build(options)  # `make site`, before serve starts
    memory = BuildMemory.kept_between_builds(options.out)
    out, err = io.StringIO(), io.StringIO()
    live = serve_module.LiveSite(serve_module.build_and_index(options, 1, out, err, memory, None))
    assert "state" not in memory.read_from_disk  # nothing to do: nothing read
    event = site_copy / EVENT_FILE
    state = CachePaths.of(options.out).state
    announced: list[tuple[int, bool, str]] = []
    original_publish = live.publish

    def publish(outcome: Outcome) -> None:
        page = (options.out / EVENT_PAGE.strip("/") / "index.html").read_text(encoding="utf-8")
        announced.append((outcome.generation, state.exists(), page))
        original_publish(outcome)

    monkeypatch.setattr(live, "publish", publish)

    def watch(*paths, **options):
        assert options["yield_on_timeout"] and options["rust_timeout"] == serve_module.WARM_UP_AFTER_MS
        yield set()  # quiet: serve warms up
        assert "state" in memory.read_from_disk  # read now, while nobody waits
        memory.read_from_disk.clear()
        event.write_text(event.read_text(encoding="utf-8").replace("First example agreement", "Warm agreement"),
                         encoding="utf-8")
        yield {(serve_module.watchfiles.Change.modified, str(event))}
        yield set()

    monkeypatch.setattr(serve_module.watchfiles, "watch", watch)
    serve_module.watch_and_rebuild(options, live, out, err, memory)
    assert "state" not in memory.read_from_disk  # the edit found it in memory
    first, *_ = announced
    assert first[0] == 2 and not first[1] and "Warm agreement" in first[2]  # live, state not saved yet
    assert live.current().generation == 2 and live.current().ok
    assert state.exists()
    assert out.getvalue().count("Built ") == 2  # the start and the edit, each said once


def test_serve_stops_cleanly_when_terminated(site_copy: Path, templates_dir: Path, tmp_path: Path):
    """SIGTERM (a process manager, `kill`, an editor's task runner) stops serve as Ctrl-C
    does: its search index process is stopped with it, not left behind (stopped or running)."""
    with serving(tmp_path, templates_dir) as server:
        assert server.get(EVENT_PAGE)[0] == 200
        server.process.send_signal(signal.SIGTERM)
        assert server.process.wait(timeout=TIMEOUT) == 0
    assert "Stopped." in server.stdout.read_text(encoding="utf-8")
    assert "Traceback" not in server.stderr.read_text(encoding="utf-8")
