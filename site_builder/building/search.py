"""Full-text search: a Pagefind index of the built site.

Pagefind (from PyPI, `pagefind[extended]`) writes a static search bundle into
`pagefind/` at the site root: one index per `<html lang>`, so French readers
search French pages and English readers English ones. What is indexed is marked
in the templates: `data-pagefind-body` on entry pages (and on the title of
section pages), `data-pagefind-ignore` on navigation, footnotes and backlinks,
`data-pagefind-filter` for the kind of entry.

Pagefind is not given the site: only what it indexes (`search_document`). Run
on the whole site it read and parsed all 25,000 pages of a 5,000-entry site
(print views, short links, former addresses, pages without the attribute) and
the navigation, footnotes and lists it then ignored: 29 CPU s and 1 GB. Each page
carrying `data-pagefind-body` is cut down to its `<html lang>`, `<title>` and
the marked element without its ignored parts, written into a scratch folder with
the page's own path (so Pagefind gives the same URL), and Pagefind indexes that,
once per language: the same pages, words, titles, excerpts and filters, for 40 %
of the CPU time and 40 % of the memory (docs/decisions.md, D39). The CLI on a
folder beats Pagefind's service API here: the CLI parses files on every core, the
service one message at a time.

A build indexes the staging folder before the atomic swap (see `write.publish`),
so the published folder is never without its index. `serve` indexes after the
swap, off the editor's path: `BackgroundIndex`.

The bundle is not byte-identical from one build to the next: Pagefind writes
the values of a filter in hash-map order, so the filter files (and the meta and
entry files that name them by hash) change between runs of the same pages. The
rest of the site stays reproducible; tests compare builds without `pagefind/`.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Mapping, Sequence

from .write import OutputError

BUNDLE = "pagefind"  # folder of the search bundle, relative to the site root
PAGEFIND = (sys.executable, "-m", "pagefind")
INSTALL_HINT = "install it with `pip install 'pagefind[extended]'` (or `make site`), or build with --no-search"
_DETAIL_LINES = 8
SPLIT_FROM = 2000  # documents from which Pagefind runs once per language (write_bundle)
_BODY = "data-pagefind-body"
_LANG = re.compile(r"""\blang=["']?([^"'\s>]*)""")
_IGNORED = re.compile(r"<([a-zA-Z][a-zA-Z0-9]*)\b[^>]*?\sdata-pagefind-ignore(?![\w-])[^>]*>")


# --- what Pagefind reads ------------------------------------------------------


def search_document(page: bytes) -> str | None:
    """The part of a page Pagefind indexes, as a small HTML page; None if it indexes
    nothing of it (no `data-pagefind-body`). Kept: the `<html>` tag (its `lang` picks
    the index), the `<title>`, and the element marked `data-pagefind-body` without the
    elements marked `data-pagefind-ignore` (they hold no filter or meta attribute).
    Pagefind reads from this what it read from the whole page; the one difference is
    that a paragraph's anchor text no longer runs a footnote number into the word
    before it, text the search UI does not show (docs/decisions.md)."""
    if _BODY.encode() not in page:
        return None
    text = page.decode("utf-8")
    at = text.find(_BODY)
    start = text.rfind("<", 0, at)
    name = text[start + 1:at].split(None, 1)[0]
    # the marked element ends at its closing tag: <main> is not nested, <h1> holds no <h1>
    end = text.rfind(f"</{name}>") if name == "main" else text.find(f"</{name}>", at)
    if end < 0:
        return None
    html_at = text.find("<html")
    html_tag = text[html_at:text.find(">", html_at) + 1] if html_at >= 0 else "<html>"
    title_at, head_end = text.find("<title>"), text.find("</head>")
    title = text[title_at:text.find("</title>", title_at) + 8] if 0 <= title_at < head_end else ""
    body = _without_ignored(text[start:end + len(name) + 3])
    return f"<!DOCTYPE html>\n{html_tag}\n<head>{title}</head>\n<body>{body}</body>\n</html>\n"


def _without_ignored(html: str) -> str:
    """`html` without the elements marked `data-pagefind-ignore` (nested same-name
    elements counted, so a <section> inside an ignored <section> ends nothing)."""
    kept: list[str] = []
    pos = 0
    while (found := _IGNORED.search(html, pos)) is not None:
        name = found.group(1)
        tags = re.compile(rf"<{name}[\s>]|</{name}>")
        depth, end = 1, found.end()
        while depth:
            tag = tags.search(html, end)
            if tag is None:  # not closed: keep the rest, Pagefind will make of it what it did before
                return "".join(kept) + html[pos:]
            depth += -1 if tag.group().startswith("</") else 1
            end = tag.end()
        kept.append(html[pos:found.start()])
        pos = end
    kept.append(html[pos:])
    return "".join(kept)


def site_documents(site: Path, pages: Iterable[str] | None = None) -> dict[str, str]:
    """The search documents of `site`'s pages (`pages`: paths relative to it; None:
    every .html file but the bundle's), by path."""
    site = Path(site)
    if pages is None:
        pages = _html_files(site)
    documents = {}
    for path in pages:
        try:
            with open(os.path.join(site, path), "rb") as handle:
                document = search_document(handle.read())
        except FileNotFoundError:
            continue
        if document is not None:
            documents[path] = document
    return documents


def _html_files(site: Path) -> list[str]:
    found = []
    for root, folders, files in os.walk(site):
        if root == str(site) and BUNDLE in folders:
            folders.remove(BUNDLE)
        relative = os.path.relpath(root, site)
        found += [name if relative == "." else f"{relative}/{name}" for name in files if name.endswith(".html")]
    return found


# --- running Pagefind ----------------------------------------------------------


def write_bundle(documents: Mapping[str, str], target: Path, scratch: Path, command: Sequence[str] = PAGEFIND,
                 timeout: float = 600, started: Callable[[subprocess.Popen], None] | None = None,
                 split_from: int = SPLIT_FROM) -> None:
    """Write the Pagefind bundle of `documents` (path → search document) into `target`;
    raise OutputError if that fails. `scratch`: a folder of this call's own (emptied
    first), where the documents are written for Pagefind to read. `started` is given
    each Pagefind process (so that whoever waits can stop it).

    Pagefind runs once per language, one after the other, into the same `target`: each
    run writes its language's files and the shared ones (the same bytes every time), and
    `pagefind-entry.json`, which lists the languages, is then written with all of them.
    Pagefind's memory grows with the pages of a run (about 55 KB a page), so this halves
    the peak of a bilingual site; the indexes are those of one run over every page. Below
    `split_from` documents one run does it all (a second Pagefind start costs 0.2 s)."""
    target = Path(target).absolute()
    shutil.rmtree(scratch, ignore_errors=True)
    shutil.rmtree(target, ignore_errors=True)
    by_language: dict[str, dict[str, str]] = {}
    for path, document in documents.items():
        found = _LANG.search(document, 0, document.find(">", document.find("<html")) + 1)
        language = found.group(1) if found and len(documents) >= split_from else ""
        by_language.setdefault(language, {})[path] = document
    languages: dict[str, Any] = {}
    entry: dict[str, Any] = {}
    for number, (_language, group) in enumerate(sorted(by_language.items()) or [("", {})]):
        folder = scratch / str(number)  # the pages keep their paths in it: Pagefind makes the same URLs
        for path, document in group.items():
            file = os.path.join(folder, path)
            os.makedirs(os.path.dirname(file), exist_ok=True)
            with open(file, "w", encoding="utf-8") as handle:
                handle.write(document)
        os.makedirs(folder, exist_ok=True)
        run_pagefind(folder, target, command, timeout, started)
        shutil.rmtree(folder, ignore_errors=True)
        entry = json.loads((target / "pagefind-entry.json").read_text(encoding="utf-8"))
        languages.update(entry.get("languages", {}))
    entry["languages"] = languages
    (target / "pagefind-entry.json").write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")),
                                                encoding="utf-8")


def run_pagefind(site: Path, target: Path, command: Sequence[str] = PAGEFIND, timeout: float = 600,
                 started: Callable[[subprocess.Popen], None] | None = None) -> None:
    """Pagefind on the folder `site`, its bundle written into `target`; OutputError on failure."""
    # Run from the folder indexed, without PAGEFIND_* variables, so that no pagefind.yml
    # of the caller's working directory and no environment setting changes the index.
    env = {key: value for key, value in os.environ.items() if not key.upper().startswith("PAGEFIND_")}
    cmd = [*command, "--site", str(site), "--output-path", str(target), "--silent"]
    try:
        proc = subprocess.Popen(cmd, cwd=site, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True, encoding="utf-8", errors="replace")
    except FileNotFoundError as exc:
        raise OutputError(f"cannot build the search index: {exc.filename or cmd[0]} not found; {INSTALL_HINT}") from exc
    except OSError as exc:
        raise OutputError(f"cannot build the search index: cannot run Pagefind: {exc.strerror or exc}") from exc
    if started is not None:
        started(proc)
    try:
        stdout, stderr = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired as exc:
        proc.kill()
        proc.communicate()
        raise OutputError(f"cannot build the search index: Pagefind did not finish within {timeout:.0f} s") from exc
    except BaseException:  # e.g. Ctrl-C: leave no Pagefind behind
        proc.kill()
        proc.wait()
        raise
    output = (stderr + "\n" + stdout).strip()
    if proc.returncode != 0:
        if "No module named pagefind" in output:
            raise OutputError(f"cannot build the search index: Pagefind is not installed for {command[0]}; "
                              f"{INSTALL_HINT}")
        lines = list(dict.fromkeys(line.strip() for line in output.splitlines() if line.strip()))  # Pagefind repeats itself
        detail = " | ".join(lines[-_DETAIL_LINES:])
        raise OutputError(f"cannot build the search index: Pagefind failed (exit {proc.returncode})"
                          + (f": {detail}" if detail else ""))
    if not (target / "pagefind-entry.json").is_file():
        raise OutputError(f"cannot build the search index: Pagefind wrote no {BUNDLE}/pagefind-entry.json")


def index_site(site: Path, pages: Iterable[str] | None = None, command: Sequence[str] = PAGEFIND,
               timeout: float = 600, scratch: Path | None = None) -> None:
    """Write the Pagefind bundle of `site`'s pages (`pages`, or every .html file) into
    `site/pagefind/`; raise OutputError if that fails. `scratch`: a folder for the
    search documents, not inside `site` (default: a new one next to it); removed after."""
    site = Path(site).absolute()
    documents = site_documents(site, pages)
    scratch = scratch or Path(tempfile.mkdtemp(prefix=f".{site.name}.search-", dir=site.parent))
    try:
        write_bundle(documents, site / BUNDLE, scratch, command, timeout)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


# --- serve: the index made in the background -------------------------------------


def _signal(process: subprocess.Popen, number: int) -> None:
    try:
        process.send_signal(number)  # (nothing if it has been waited for: its number may be another's)
    except OSError:  # it just ended
        pass


class BackgroundIndex:
    """`serve`'s search index, made after each build without the build waiting for it.

    The bundle is not in the site folder (the live site and the spare are swapped on
    every build, and the spare is rewritten by the next one) but in `home`, one folder
    per build indexed, `bundle-<generation>`; serve answers `/pagefind/…` from the newest
    (`bundles()`), falling back to the one before for a reader whose page loaded that
    one's `pagefind-entry.json` just before the switch. An index is published only if it
    is newer than the last one published.

    Reading the site: builds only write into the spare and swap it in whole, so the
    live folder is a complete site between two swaps. Builds hold `site_lock()` from
    their start until they have `request`ed indexing; the reader holds it while it reads
    a batch of pages (`_read`), so no swap happens within a batch. It reads only the
    pages a build rendered (the others are byte for byte what they were; every page
    after the first build) and keeps each page's search document between builds.
    Pagefind then runs without the lock.
    `report` gets one line per index made or failed; nothing here raises into serve.
    """

    KEEP = 2  # bundles kept: the newest, and the one a reader may still be using
    READ_BATCH = 500  # pages read under one hold of the site lock (about 0.1 s)

    def __init__(self, site: Path, home: Path, report: Callable[[str], None], command: Sequence[str] = PAGEFIND,
                 timeout: float = 600):
        self.site, self.home, self.report = Path(site).absolute(), Path(home), report
        self.command, self.timeout = tuple(command), timeout
        shutil.rmtree(self.home, ignore_errors=True)  # a killed serve's leftovers
        self._site = threading.Lock()
        self._changed = threading.Condition()
        # generation (0: read only, no index), pages to read (None: all)
        self._pending: tuple[int, set[str] | None] | None = None
        self._documents: dict[str, str] = {}  # path → search document, of the last site read
        self._indexed: dict[str, str] = {}  # the documents of the newest bundle
        self._published: list[tuple[int, Path]] = []  # newest last
        self._process: subprocess.Popen | None = None
        self._paused = False  # a build is running (`paused`)
        self._closed = False
        self._thread = threading.Thread(target=self._run, name="site-builder-search", daemon=True)
        self._thread.start()

    def site_lock(self) -> threading.Lock:
        """Held by a build (and its `request`), or by the reader while it reads pages."""
        return self._site

    @contextmanager
    def paused(self) -> Iterator[None]:
        """While a build runs: a running Pagefind is stopped (SIGSTOP), and continued when
        the build is done. Its lower priority was not enough on two cores: at 5,000 entries
        a hub edit in serve took 19 s beside it, 3 s without it."""
        with self._changed:
            self._paused = True
            if self._process is not None:
                _signal(self._process, signal.SIGSTOP)
        try:
            yield
        finally:
            with self._changed:
                self._paused = False
                if self._process is not None:
                    _signal(self._process, signal.SIGCONT)

    def request(self, generation: int, rendered: Iterable[str] | None) -> None:
        """Index the site of build `generation`, which rendered the pages `rendered`
        (None: read every page). Call while holding `site_lock()`."""
        pages = None if rendered is None else {path for path in rendered if path.endswith(".html")}
        with self._changed:
            if self._pending is not None:  # not read yet: read both builds' pages then
                earlier = self._pending[1]
                pages = None if earlier is None or pages is None else earlier | pages
            self._pending = (generation, pages)
            self._changed.notify_all()

    def prepare(self) -> None:
        """Read every page's search document now, without indexing: the site has its
        index (`build` made it), and the first edit will then read only the pages it
        rendered. Call while holding `site_lock()`."""
        with self._changed:
            if self._pending is None:
                self._pending = (0, None)
                self._changed.notify_all()

    def bundles(self) -> list[Path]:
        """The published bundles, newest first."""
        with self._changed:
            return [folder for _generation, folder in reversed(self._published)]

    def published(self) -> int:
        """The generation of the newest index published (0: none yet)."""
        with self._changed:
            return self._published[-1][0] if self._published else 0

    def close(self, timeout: float = 2.0) -> None:
        """Stop: a running Pagefind is killed; nothing is published any more. The thread
        is waited for `timeout` at most (it may be reading pages: it is a daemon)."""
        with self._changed:
            self._closed = True
            process = self._process
            self._changed.notify_all()
        if process is not None and process.poll() is None:
            process.kill()
        self._thread.join(timeout)

    def _run(self) -> None:
        first = True
        while True:
            with self._changed:
                self._changed.wait_for(lambda: self._closed or self._pending is not None)
                if self._closed:
                    return
            started, generation = time.perf_counter(), 0
            try:
                with self._site:
                    with self._changed:
                        assert self._pending is not None
                        (generation, pages), self._pending = self._pending, None
                    if first or pages is None:
                        self._documents, pages = {}, set(_html_files(self.site))
                self._read(sorted(pages))
                first = False
                if generation == 0:  # (prepare: read only)
                    continue
                with self._site:
                    # pages no longer in the site (an entry deleted) were not rendered: drop them
                    for path in [path for path in self._documents
                                 if not os.path.exists(os.path.join(self.site, path))]:
                        del self._documents[path]
                    documents = dict(self._documents)
                self._index(generation, documents, started)
            except Exception as exc:  # noqa: BLE001 - a failed index must not stop the preview
                if not self._closed:
                    self.report(f"search: the preview's index of build {generation} failed: {exc}"
                                f" (search shows the previous index until the next change)")

    def _read(self, pages: list[str]) -> None:
        """Read `pages` again, `READ_BATCH` at a time, each batch under the site lock: a
        build waits for one batch at most, and runs between two. A page read after a
        later build is that build's (never older than asked for); that build asked to
        read the pages it rendered again, so each page ends up as the last build made it."""
        for start in range(0, len(pages), self.READ_BATCH):
            batch = pages[start:start + self.READ_BATCH]
            with self._site:
                if self._closed:
                    raise OutputError("stopped")
                found = site_documents(self.site, batch)
                for path in batch:
                    if path in found:
                        self._documents[path] = found[path]
                    else:  # not a page Pagefind indexes, or gone
                        self._documents.pop(path, None)

    def _index(self, generation: int, documents: dict[str, str], started: float) -> None:
        if documents == self._indexed and self._published:  # e.g. a template comment edited
            return
        target = self.home / f"bundle-{generation}"
        shutil.rmtree(target, ignore_errors=True)

        def hold(process: subprocess.Popen) -> None:
            try:  # the editor's next build comes first (Linux: Pagefind's threads inherit this)
                os.setpriority(os.PRIO_PROCESS, process.pid, 10)
            except (AttributeError, OSError):
                pass
            with self._changed:
                self._process = process
                closed = self._closed
                if self._paused:  # (started between two runs, while a build runs: it waits too)
                    _signal(process, signal.SIGSTOP)
            if closed:
                process.kill()

        try:
            write_bundle(documents, target, self.home / "pages", self.command, self.timeout, started=hold)
        except BaseException:
            shutil.rmtree(target, ignore_errors=True)
            raise
        finally:
            with self._changed:
                self._process = None
        with self._changed:
            if self._closed or (self._published and self._published[-1][0] >= generation):
                shutil.rmtree(target, ignore_errors=True)  # stopping, or older than what readers have
                return
            self._published.append((generation, target))
            self._indexed = documents
            dropped, self._published = self._published[:-self.KEEP], self._published[-self.KEEP:]
        for _generation, folder in dropped:
            shutil.rmtree(folder, ignore_errors=True)
        self.report(f"search: the preview's index is up to date with build {generation} "
                    f"({len(documents)} pages, {time.perf_counter() - started:.1f} s)")
