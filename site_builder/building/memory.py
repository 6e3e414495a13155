"""What builds into one output folder remember of each other: the incremental layer's
one interface (docs/incremental-builds.md).

The build (pipeline.py) asks it four things: did anything change since the last build
(`unchanged`), what did the last build leave (`last_build`, `content_results`), where
its files go (`paths`), and to remember this build for the next (`remember`). Everything
it keeps is a hint: missing, damaged or outdated, a build only takes longer, and
deleting `.cache/site-builder/` is always safe.

A process that builds again and again (`serve`) keeps one `BuildMemory` between
builds: the last state, record and content results then stay in memory instead of
being read back (at 5,000 entries, 1.2 s of every edit). They are used only while
their files are still the ones this process wrote: another build into the same folder
(`make site` in another terminal) replaces them, and they are read afresh.
"""
from __future__ import annotations

import fcntl
import gc
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator

from .cache import Inputs, load_record, save_record, summary_of, up_to_date, warnings_of
from .memo import ContentResults, KeptResults, MemoFile, load_results
from .state import BuildState, load_state, save_state
from ..core.errors import Problem

Identity = tuple[int, int, int]  # (inode, size, mtime_ns) of a file: replaced or rewritten, it changes


@dataclass(frozen=True)
class CachePaths:
    """Every file the incremental layer keeps for one output folder, in one place: the
    git-ignored `.cache/site-builder/` next to the output folder."""

    folder: Path
    name: str  # the output folder's name: two output folders side by side keep apart

    @classmethod
    def of(cls, out: Path) -> CachePaths:
        out = out.absolute()
        return cls(out.parent / ".cache" / "site-builder", out.name)

    def _file(self, suffix: str) -> Path:
        return self.folder / f"{self.name}.{suffix}"

    @property
    def record(self) -> Path:  # the last build's input fingerprint and output manifest (cache.py)
        return self._file("record")

    @property
    def input_hashes(self) -> Path:  # each input file's stat and hash (cache.py)
        return self._file("input-hashes")

    @property
    def state(self) -> Path:  # what each page read, the live and spare sites' files (state.py)
        return self._file("state")

    @property
    def results(self) -> Path:  # content files' read results (memo.py)
        return self._file("memo")

    @property
    def items(self) -> Path:  # long lists' items and download rows (fragments.py)
        return self._file("items")

    @property
    def spare(self) -> Path:  # the site before last, updated in place by the next build (output.py)
        return self._file("spare")

    @property
    def search(self) -> Path:  # the search documents a build gives Pagefind, for the time it runs (search.py)
        return self._file("search-pages")

    @property
    def search_preview(self) -> Path:  # serve's search bundles, made in the background (search.BackgroundIndex)
        return self._file("search")

    @property
    def lock(self) -> Path:
        return self._file("lock")

    @property
    def share_images(self) -> Path:  # share pictures and icons, by what they show (share_image.py)
        return self.folder / "share-images"

    @property
    def compiled_templates(self) -> Path:  # Jinja's compiled templates, checked against their source
        return self.folder / "templates"


@dataclass
class BuildMemory:
    out: Path
    paths: CachePaths = field(init=False)
    resident: bool = False  # kept by a long-running process between builds (serve)
    keep_lists_from: int = 32  # items on a page before its list items are kept (fragments.py)
    _state: tuple[BuildState, Identity | None] | None = None
    _record: tuple[dict[str, Any] | None, Identity | None] | None = None
    _results: KeptResults = field(default_factory=dict)
    _settled: bool = False
    # what was read back from the cache folder rather than found in memory, by name
    # ("state", "record"): a long-running process reads them again only when another
    # build replaced them
    read_from_disk: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.paths = CachePaths.of(self.out)

    @classmethod
    def kept_between_builds(cls, out: Path, **options: Any) -> BuildMemory:
        """The memory of a process that builds again and again (serve)."""
        return cls(out, resident=True, **options)

    # -- 1. did anything change? ---------------------------------------------------
    def inputs(self, content: Path, templates: Path, options: dict[str, Any]) -> Inputs:
        return Inputs(content, templates, options, self.paths.input_hashes)

    def unchanged(self, inputs: Inputs, options: dict[str, Any] | None = None) -> dict[str, Any] | None:
        """The last build's summary if the output folder is still exactly what `inputs`
        would produce (with `options` instead of theirs, if given): then there is nothing to do."""
        record = up_to_date(self.out, inputs.fingerprint(options), self._last_record())
        return None if record is None else record["summary"]

    @staticmethod
    def warnings(summary: dict[str, Any]) -> list[Problem]:
        return warnings_of(summary)

    @contextmanager
    def exclusive(self, waiting: Callable[[str], None]) -> Iterator[None]:
        """Builds into the same folder take turns (say `serve` in one terminal and `make
        site` in another): both would otherwise update the same spare folder. The lock is
        released by the system when the process ends, however it ends."""
        try:
            self.paths.folder.mkdir(parents=True, exist_ok=True)
            handle = open(self.paths.lock, "ab")
        except OSError:  # e.g. a read-only disk: the build itself says what cannot be written
            yield
            return
        with handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                waiting(f"waiting for another build of {self.out} to finish…")
                fcntl.flock(handle, fcntl.LOCK_EX)
            yield

    # -- 2. what the last build left -----------------------------------------------
    def last_build(self) -> BuildState | None:
        """The previous build's state, if it can be trusted."""
        if self._state is not None and self._state[1] == _identity(self.paths.state):
            return self._state[0]
        self.read_from_disk.append("state")
        return load_state(self.paths.state)

    def warm_up(self) -> bool:
        """For a long-running process whose first build had nothing to do (serve started
        on a site built already): read the last build's state and content results now,
        while the editor has not changed anything yet, so that the first edit finds them
        in memory like every later one (at 5,000 entries, 1 s of the first edit). Only a
        hint, like everything kept: a state replaced meanwhile is read again by the build.
        Whether anything was read (then `settle` again)."""
        if not self.resident or self._state is not None:
            return False
        identity = _identity(self.paths.state)  # (before reading: a file replaced meanwhile then differs)
        self.read_from_disk.append("state")
        state = load_state(self.paths.state)
        if state is None or identity is None:
            return False
        store = MemoFile(self.paths.results, state.memo_token)
        try:
            self._results = load_results(state.memo, store)
        finally:
            store.close()
        self._state = (state, identity)
        return True

    def live_manifest(self) -> dict[str, list[int]]:
        """[size, mtime_ns] of every file of the live site, as the last build left it."""
        record = self._last_record()
        return record["manifest"] if record else {}

    @contextmanager
    def content_results(self, last: BuildState | None) -> Iterator[ContentResults]:
        """The content files' read results of earlier builds (memo.py), to read only
        the files that changed; what this build reads is added to them."""
        store = MemoFile(self.paths.results, last.memo_token if last else None)
        try:
            yield ContentResults(last.memo if last else {}, store, self._results)
        finally:
            store.close()

    # -- 3. remember this build ----------------------------------------------------
    def remember(self, inputs: Inputs, state: BuildState, results: ContentResults, pages: dict[str, int],
                 warnings: list[Problem], walk: list[str], known: dict[str, list[int]], mirrored: bool) -> None:
        """Save what the next build needs: the content results' index, the state, and the
        record of the inputs read and the output written (its fingerprint and manifest).

        `walk`: output folders whose files the build did not list (the search index);
        `known`: the [size, mtime_ns] of files whose stat was just taken; `mirrored`: the
        spare folder was hard-linked from the new live site, so it has its manifest."""
        state.memo, state.memo_token = results.compacted(), results.token
        if self.resident:
            self._results = results.kept()
        record = save_record(self.paths.record, self.out, inputs, summary_of(pages, len(state.live), warnings),
                             state.live, walk=walk, known=known)
        if mirrored:  # hard links: the same sizes and times as the live files
            state.spare_manifest = record["manifest"] if record else {}
        self._record = (record, _identity(self.paths.record)) if self.resident and record else None
        saved = save_state(self.paths.state, state)
        self._state = (state, _identity(self.paths.state)) if self.resident and saved else None

    def forget_state(self) -> None:
        """Before the spare folder is modified: a build killed half-way must not leave a
        state that describes a folder it no longer matches."""
        self._state = None
        try:
            self.paths.state.unlink()
        except FileNotFoundError:
            pass

    def settle(self) -> None:
        """Between builds of a long-running process, once the last one is published:
        collect its garbage now, and leave what is kept for the next build (content,
        state: millions of objects) out of the garbage collector's full scans, which
        would otherwise walk all of it again in the middle of each build (0.2 s a scan
        at 5,000 entries). The build's cyclic garbage is collected first, so freezing
        keeps nothing alive that was not."""
        gc.collect()
        gc.freeze()
        self._settled = True

    @property
    def settled(self) -> bool:
        return self._settled

    # -------------------------------------------------------------------------------
    def _last_record(self) -> dict[str, Any] | None:
        """The last build's record: the one this process saved, if its file is still
        that one, else read. Kept in memory for the rest of the build too: a build asks
        for it twice (is anything changed, then which live files are as it left them),
        and reading it takes 0.15 s at 5,000 entries."""
        identity = _identity(self.paths.record)
        if self._record is not None and identity is not None and self._record[1] == identity:
            return self._record[0]
        self.read_from_disk.append("record")
        record = load_record(self.paths.record)
        self._record = (record, identity)
        return record


def _identity(path: Path) -> Identity | None:
    try:
        info = path.stat()
    except OSError:
        return None
    return info.st_ino, info.st_size, info.st_mtime_ns


def elapsed(since: float) -> str:
    return f"{time.perf_counter() - since:.2f} s"
