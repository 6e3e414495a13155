"""`site-builder serve`: a preview server for editors.

Builds the site with the ordinary atomic `pipeline.build`, serves the output
folder on 127.0.0.1, rebuilds when `content/` or `templates/` change, and makes
open pages reload themselves. The live-reload script is added to HTML responses
as they are served, never to the files on disk. While the content has errors,
every page request gets an error page listing them, so an editor never looks at
a stale page thinking it is current.

Search: the site is built without its index (`--no-search` as far as the build
knows) and `search.BackgroundIndex` indexes it after each build, while the browser
already reloads; the server answers `/pagefind/…` from the newest index ready, so
the preview's search may be a few seconds behind the pages, never missing once made
(the search page says so, in the preview only: `PREVIEW_ONLY`). Started on a site
`build` made with its index (`make site`), serve has nothing to build and answers
`/pagefind/…` from that index until its first edit.

Threads: the main thread builds and watches; the HTTP server answers from its
own threads; the search index is made on a thread of its own. They share one
`LiveSite`, which holds the latest build outcome.
"""
from __future__ import annotations

import contextlib
import functools
import html
import os
import re
import signal
import sys
import threading
import traceback
from dataclasses import dataclass, replace
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Callable, Iterable, TextIO
from urllib.parse import urlsplit

import watchfiles

from ..core.errors import ContentError, Problem, TemplateFailure, as_seen_from
from ..building.pipeline import BuildConfig, BuildMemory, BuildReport, build, collector_paused
from ..building.search import BUNDLE, BackgroundIndex
from ..building.write import OutputError

HOST = "127.0.0.1"
RELOAD_PATH = "/__reload"
KEEPALIVE_SECONDS = 15.0  # how often an idle event stream is probed, so closed tabs free their thread
WATCH_STEP_MS = 50  # quiet time after the last change before rebuilding (debounce; watchfiles' default)
WARM_UP_AFTER_MS = 500  # quiet time after serve starts before it reads the last build's state (BuildMemory.warm_up)
PREVIEW_ONLY = "data-preview-only"  # elements of the built pages shown only in serve (hidden otherwise)


@dataclass(frozen=True)
class Outcome:
    """The latest build as the server shows it. `generation` grows with every build."""

    generation: int
    problems: tuple[Problem, ...] = ()  # the content errors (and warnings) of a failed build
    failure: str = ""  # a broken template or an unwritable output folder
    rendered: tuple[str, ...] = ()  # the pages the build wrote anew (what the search index reads again)
    unchanged: bool = False  # nothing had changed since the last build: nothing was written

    @property
    def ok(self) -> bool:
        return not self.problems and not self.failure


class LiveSite:
    """The outcome shared by the builder and the request threads; waiters wake on every build."""

    def __init__(self, outcome: Outcome):
        self._outcome = outcome
        self._closed = False
        self._changed = threading.Condition()

    def current(self) -> Outcome:
        with self._changed:
            return self._outcome

    def publish(self, outcome: Outcome) -> None:
        with self._changed:
            self._outcome = outcome
            self._changed.notify_all()

    def close(self) -> None:
        """Release every waiting event stream: the server is stopping."""
        with self._changed:
            self._closed = True
            self._changed.notify_all()

    def wait_for_change(self, generation: int, timeout: float) -> Outcome | None:
        """The outcome once it differs from `generation` (or after `timeout`); None once closed."""
        with self._changed:
            self._changed.wait_for(lambda: self._closed or self._outcome.generation != generation, timeout)
            return None if self._closed else self._outcome


# --- building ---------------------------------------------------------------


def build_once(options: BuildConfig, generation: int, out: TextIO, err: TextIO, memory: BuildMemory | None = None,
               announce: Callable[[Outcome], None] = lambda outcome: None) -> Outcome:
    """Build into the output folder, print the result like `build` does, and return the
    outcome. `announce` gets it as soon as the new site is live: open pages reload while
    the build saves what the next one needs."""
    announced: list[Outcome] = []

    def published(report: BuildReport) -> None:
        announced.append(_built(report, options, generation, out, err))
        announce(announced[-1])

    try:
        report = build(options, notice=lambda message: print(message, file=err, flush=True), memory=memory,
                       published=published)
    except ContentError as exc:
        _print_problems(as_seen_from(exc.problems, options.content), err)
        return Outcome(generation, problems=tuple(exc.problems))
    except (TemplateFailure, OutputError) as exc:
        print(f"error: {exc}", file=err, flush=True)
        return Outcome(generation, failure=str(exc))
    except Exception as exc:  # a bug in the builder must not stop the preview; show it and keep watching
        traceback.print_exc(file=err)
        return Outcome(generation, failure=f"the build crashed: {exc!r}")
    return announced[-1] if announced else _built(report, options, generation, out, err)


def _built(report: BuildReport, options: BuildConfig, generation: int, out: TextIO, err: TextIO) -> Outcome:
    """Print what a successful build did, like `build` does; its outcome."""
    for warning in as_seen_from(report.warnings, options.content):
        print(warning, file=err)
    pages = ", ".join(f"{n} {lang}" for lang, n in report.pages.items())
    print(f"Built {sum(report.pages.values())} pages ({pages}), {report.files} files, "
          f"{len(report.warnings)} warning(s) in {report.seconds:.2f} s → {options.out}/", file=out, flush=True)
    return Outcome(generation, rendered=report.rendered, unchanged=report.skipped)


def build_and_index(options: BuildConfig, generation: int, out: TextIO, err: TextIO, memory: BuildMemory | None,
                    search: BackgroundIndex | None, announce: Callable[[Outcome], None] = lambda outcome: None
                    ) -> Outcome:
    """`build_once`, then the search index asked for: made in the background, the build
    does not wait for it. The build and the request hold the index's site lock, so that
    the index reads a complete site, the one just built, and a Pagefind still running
    for the last build is stopped meanwhile (search.BackgroundIndex). A site `build`
    made with its index is up to date for the preview: that index is served until the
    preview has made its own, and its pages are read meanwhile for that first index."""
    options = replace(options, index_optional=True)  # `make site` then serve: nothing to do
    if search is None:
        return build_once(options, generation, out, err, memory, announce)
    with search.site_lock(), search.paused():
        outcome = build_once(replace(options, search=False), generation, out, err, memory, announce)
        if outcome.ok and outcome.unchanged and (options.out / BUNDLE).is_dir():
            search.prepare()  # the site has its index (`build` made it): only read the pages, for the next
        elif outcome.ok:
            search.request(generation, outcome.rendered)
    return outcome


def _print_problems(problems: Iterable[Problem], err: TextIO) -> None:
    problems = list(problems)
    for problem in problems:
        print(problem, file=err)
    errors = sum(1 for p in problems if p.severity == "error")
    print(f"{errors} error(s), {len(problems) - errors} warning(s): the browser shows them "
          "until they are fixed.", file=err, flush=True)


# --- pages the server writes ------------------------------------------------


def reload_script(generation: int) -> str:
    """The live-reload snippet: reload when the server announces another build than this page's."""
    return (f'<script>/* site-builder serve: live reload (not part of the built site) */\n'
            f'new EventSource("{RELOAD_PATH}").onmessage = function (e) {{\n'
            f'  if (e.data !== "{generation}") location.reload();\n'
            f'}};\n'
            f'document.querySelectorAll("[{PREVIEW_ONLY}]").forEach(function (e) {{ e.hidden = false; }});\n'
            f'</script>\n')


def inject_reload(page: bytes, generation: int) -> bytes:
    """`page` with the live-reload script before its last </body> (or at its end)."""
    script = reload_script(generation).encode("utf-8")
    at = page.lower().rfind(b"</body>")
    return page + script if at < 0 else page[:at] + script + page[at:]


_ERROR_STYLE = """
body { font: 1rem/1.5 system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; color: #1a1a1a; }
h1 { color: #a4000f; font-size: 1.6rem; }
ol { padding-left: 1.5rem; } li { margin: 0 0 1rem; }
code { font: 0.95rem/1.4 ui-monospace, monospace; background: #f3f3f3; padding: 0.1rem 0.3rem; }
.severity-error { color: #a4000f; font-weight: bold; } .severity-warning { color: #7a5200; font-weight: bold; }
.hint { color: #444; } .note { color: #444; border-top: 1px solid #ccc; padding-top: 1rem; }
pre { white-space: pre-wrap; background: #f3f3f3; padding: 1rem; }
"""


def error_page(outcome: Outcome) -> bytes:
    """A readable page (English and French headings) listing why the site could not be built."""
    if outcome.problems:
        title_en, title_fr = "The content has errors", "Le contenu comporte des erreurs"
        body = "<ol>\n" + "".join(_problem_item(p) for p in outcome.problems) + "</ol>\n"
    else:
        title_en, title_fr = "The site could not be built", "Le site n’a pas pu être construit"
        body = f"<pre>{html.escape(outcome.failure)}</pre>\n"
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{title_en} / {title_fr}</title>\n<style>{_ERROR_STYLE}</style>\n</head>\n<body>\n<main>\n"
        f'<h1>{title_en} / <span lang="fr">{title_fr}</span></h1>\n{body}'
        '<p class="note">This page reloads by itself once the files are fixed and saved. '
        '<span lang="fr">Cette page se recharge d’elle-même dès que les fichiers sont corrigés '
        "et enregistrés.</span></p>\n</main>\n</body>\n</html>\n"
    ).encode("utf-8")


def _problem_item(problem: Problem) -> str:
    hint = f'<br><span class="hint">{html.escape(problem.hint)}</span>' if problem.hint else ""
    return (f"<li><code>{html.escape(str(problem.position))}</code> "
            f'<span class="severity-{html.escape(problem.severity)}">{html.escape(problem.severity)}</span>: '
            f"{html.escape(problem.message)}{hint}</li>\n")


def is_page_request(url_path: str) -> bool:
    """Whether a URL path asks for a page (a folder or .html), not an asset."""
    last = url_path.rsplit("/", 1)[-1]
    return not last or last.endswith(".html") or "." not in last


# --- the HTTP server --------------------------------------------------------


class PreviewHandler(SimpleHTTPRequestHandler):
    """Serves the output folder; adds live reload to pages and shows errors instead of stale pages."""

    def __init__(self, *args, live: LiveSite, search: BackgroundIndex | None = None, **kwargs):
        self.live = live  # set before the base class handles the request
        self.search = search
        super().__init__(*args, **kwargs)

    def do_GET(self) -> None:
        self._respond(send_body=True)

    def do_HEAD(self) -> None:
        self._respond(send_body=False)

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-cache")  # every reload shows the latest build
        super().end_headers()

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - base-class signature
        pass  # the terminal is for build results, not for every request

    def _respond(self, send_body: bool) -> None:
        url_path = urlsplit(self.path).path
        if url_path == RELOAD_PATH:
            self._stream_reloads()
            return
        # /pagefind/ from the preview's newest index; before it has made one, from the
        # site's own, if `build` made it (else not found)
        if self.search is not None and url_path.startswith(f"/{BUNDLE}/") and self.search.bundles():
            self._send_search_file(url_path[len(BUNDLE) + 2:], send_body)
            return
        outcome = self.live.current()
        if is_page_request(url_path):
            if not outcome.ok:
                self._send_page(500, error_page(outcome), outcome.generation, send_body)
                return
            found = self._page_file(url_path)
            if found is not None:
                status, page = found
                self._send_page(status, page, outcome.generation, send_body)
                return
        super().do_GET() if send_body else super().do_HEAD()

    def _page_file(self, url_path: str) -> tuple[int, bytes] | None:
        """(status, bytes) of the page to serve, or None to let the base class answer (redirects, assets)."""
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            if not url_path.endswith("/"):
                return None  # the base class redirects to the folder's URL with a slash
            path = path / "index.html"
        try:
            if path.is_file():
                return (200, path.read_bytes()) if path.suffix == ".html" else None
            return 404, (Path(self.directory) / "404.html").read_bytes()
        except OSError:
            return None

    def _send_search_file(self, name: str, send_body: bool) -> None:
        """A file of the newest search bundle that has it (the one before serves a reader
        whose page loaded its entry file just before the newest appeared); 404 until the
        first index is ready."""
        assert self.search is not None
        parts = [part for part in name.split("/") if part]
        for folder in self.search.bundles() if parts and ".." not in parts else ():
            try:
                data = folder.joinpath(*parts).read_bytes()
            except OSError:  # not in this one (or it was just removed): the next
                continue
            self.send_response(200)
            self.send_header("Content-Type", self.guess_type(name))
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            if send_body:
                self.wfile.write(data)
            return
        self.send_error(404)

    def _send_page(self, status: int, page: bytes, generation: int, send_body: bool) -> None:
        page = inject_reload(page, generation)
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(page)))
        self.end_headers()
        if send_body:
            self.wfile.write(page)

    def _stream_reloads(self) -> None:
        """Server-Sent Events: the current build generation now, then again after every build."""
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.end_headers()
        outcome: Outcome | None = self.live.current()
        try:
            self.wfile.write(b"retry: 1000\n\n")
            generation = None
            while outcome is not None:
                if outcome.generation != generation:
                    generation = outcome.generation
                    self.wfile.write(f"data: {generation}\n\n".encode("ascii"))
                else:
                    self.wfile.write(b": still here\n\n")  # fails once the tab is closed
                self.wfile.flush()
                outcome = self.live.wait_for_change(generation, KEEPALIVE_SECONDS)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the page was closed or reloaded


def open_server(port: int, out: Path, live: LiveSite, search: BackgroundIndex | None = None) -> ThreadingHTTPServer:
    """An HTTP server for `out` on 127.0.0.1 (not yet serving); port 0 picks a free port.
    With `search`, `/pagefind/…` is answered from its bundles."""
    handler = functools.partial(PreviewHandler, live=live, search=search, directory=str(out.absolute()))
    server = ThreadingHTTPServer((HOST, port), handler)
    server.daemon_threads = True
    return server


# --- watching ---------------------------------------------------------------


class PreviewFilter(watchfiles.DefaultFilter):
    """Editor-relevant changes only: not swap files or caches, nor the build's own output."""

    def __init__(self, out: Path):
        super().__init__()
        self.out = out.absolute()
        self.staging = re.compile(rf"^\.{re.escape(self.out.name)}\.")  # write.py's sibling folders

    def __call__(self, change: watchfiles.Change, path: str) -> bool:
        target = Path(path).absolute()
        if target == self.out or self.out in target.parents:
            return False
        if any(self.staging.match(part) for part in target.parts):
            return False
        return super().__call__(change, path)


def _from_here(path: str) -> str:
    relative = os.path.relpath(path)
    return path if relative.startswith("..") else relative


def describe_changes(changes: set[tuple[watchfiles.Change, str]]) -> str:
    paths = sorted({_from_here(path) for _, path in changes})
    shown = ", ".join(paths[:3]) + (f" and {len(paths) - 3} more" if len(paths) > 3 else "")
    return f"Changed: {shown}; rebuilding…"


def watch_and_rebuild(options: BuildConfig, live: LiveSite, out: TextIO, err: TextIO,
                      memory: BuildMemory | None = None, search: BackgroundIndex | None = None) -> None:
    """Rebuild after every (debounced) change of content or templates, until Ctrl-C."""
    # Watching times out once after WARM_UP_AFTER_MS of quiet, to warm the memory up: the
    # watcher is already running then, so an edit saved meanwhile is not missed.
    changes_seen = watchfiles.watch(options.content, options.templates, watch_filter=PreviewFilter(options.out),
                                    step=WATCH_STEP_MS, rust_timeout=WARM_UP_AFTER_MS, yield_on_timeout=True,
                                    raise_interrupt=True)
    warm = memory is None
    with contextlib.closing(changes_seen):  # closing the generator closes the watcher
        for changes in changes_seen:
            if not changes:  # quiet for a while
                if not warm and memory is not None:
                    with collector_paused():
                        loaded = memory.warm_up()
                    if loaded:
                        memory.settle()
                    warm = True
                continue
            print(describe_changes(changes), file=out, flush=True)
            live.publish(build_and_index(options, live.current().generation + 1, out, err, memory, search,
                                         announce=live.publish))  # (announced once live, then final)
            warm = True
            if memory is not None:
                memory.settle()  # after publishing: the browser reloads meanwhile


# --- the command ------------------------------------------------------------


def terminate_as_interrupt() -> None:
    """SIGTERM stops serve as Ctrl-C does, through the same clean-up: a background
    Pagefind is killed (else it is left running, or stopped for good if a build had
    paused it). Only in the main thread, where signal handlers are set."""
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, signal.default_int_handler)  # (raises KeyboardInterrupt)


def serve(options: BuildConfig, port: int, out: TextIO = sys.stdout, err: TextIO = sys.stderr) -> int:
    """Build, serve and rebuild until Ctrl-C; the exit status of `site-builder serve`."""
    for folder, option in ((options.content, "--content"), (options.templates, "--templates")):
        if not folder.is_dir():
            print(f"error: {folder}: folder not found (pass {option} with the folder to watch)", file=err)
            return 1
    server: ThreadingHTTPServer | None = None
    live: LiveSite | None = None
    search: BackgroundIndex | None = None
    terminate_as_interrupt()
    try:
        memory = BuildMemory.kept_between_builds(options.out)  # the last build, kept in memory for the next
        if options.search:
            search = BackgroundIndex(options.out, memory.paths.search_preview,
                                     lambda message: print(message, file=err, flush=True))
        live = LiveSite(build_and_index(options, 1, out, err, memory, search))
        try:
            server = open_server(port, options.out, live, search)
        except OSError as exc:
            print(f"error: cannot listen on {HOST}:{port}: {exc.strerror or exc} "
                  "(pass --port with another number, or --port 0 for any free port)", file=err)
            return 1
        threading.Thread(target=server.serve_forever, name="site-builder-serve", daemon=True).start()
        memory.settle()
        print(f"Serving {options.out}/ at http://{HOST}:{server.server_address[1]}/ "
              "(rebuilds when content or templates change; Ctrl-C to stop)", file=out, flush=True)
        watch_and_rebuild(options, live, out, err, memory, search)
    except KeyboardInterrupt:
        pass
    finally:
        if search is not None:
            search.close()  # a Pagefind still running is stopped, not waited for
        if live is not None:
            live.close()
        if server is not None:
            server.shutdown()
            server.server_close()
    print("Stopped.", file=out, flush=True)
    return 0
