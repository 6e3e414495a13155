"""What one build leaves for the next, so that it redoes only what changed.

Saved after each successful build in the git-ignored cache folder next to the
output (`.cache/site-builder/<out>.state`), as a pickle with a version number,
followed by its SHA-256 checksum:

- where every content file's read result (models, problems, references) is in
  the memo file, with the hash of its bytes (reading.py, memo.py);
- the render fingerprint: everything every page depends on besides entries
  (templates, translations, the generator's code and libraries, site.yaml,
  the base URL);
- the hash of the file behind each entry, and for each page its output hash and
  what it read (dependencies.py);
- the hash of every file of the live site and of the spare folder: the previous
  site, kept after the swap so that the next build updates it in place instead of
  writing the whole site again (see write.py).

Like the rest of the cache it is only a hint. A missing, unreadable, corrupted
or outdated state means a full build; it is deleted before the spare folder is
modified, so a build killed half-way never leaves a state that describes a
folder it no longer matches.
"""
from __future__ import annotations

import fcntl
import hashlib
import os
import pickle
import sys
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Any, Callable, Iterator

from .cache import write_atomically
from .reading import Memo

VERSION = 8  # 6: content results and pages' dependencies packed with marshal; 7: files' SHA-256; 8: memo keys without the working directory
PACKAGE = Path(__file__).resolve().parent.parent  # the whole site_builder package
_LIBRARIES = ("jinja2", "markdown-it-py", "pyyaml", "babel", "pydantic")


@dataclass
class BuildState:
    render_key: str = ""
    entries: dict[tuple[str, str], str] = field(default_factory=dict)  # (kind, id) -> hash of its file
    keys: list[tuple[str, str]] = field(default_factory=list)  # entries as numbered in pages' dependencies
    pages: dict[str, tuple[str, bytes]] = field(default_factory=dict)  # page path -> (hash, dependencies.PageDeps.frozen)
    live: dict[str, str] = field(default_factory=dict)  # every file of the live site -> hash
    spare: dict[str, str] | None = None  # every file of the spare folder -> hash, if there is one
    # ... and its [size, mtime_ns] when it was the live site (cache.py's manifest): a file
    # of the spare that differs from it was touched by something else and is rewritten
    spare_manifest: dict[str, list[int]] = field(default_factory=dict)
    memo: Memo = field(default_factory=dict)  # where each content file's read result is in the memo file
    memo_token: bytes = b""  # ... which must start with this token (memo.py)
    rendered: set[str] = field(default_factory=set)  # pages rendered by the build that made this state
    runtime: str = field(default_factory=lambda: runtime_key())  # see runtime_key: another one is not trusted


def cache_folder(out: Path) -> Path:
    out = out.absolute()
    return out.parent / ".cache" / "site-builder"


def state_file(out: Path) -> Path:
    return cache_folder(out) / f"{out.absolute().name}.state"


def kept_items(out: Path) -> Path:
    """The folder where pages keep the items of their long lists (fragments.py)."""
    return cache_folder(out) / f"{out.absolute().name}.items"


def results_memo(out: Path) -> Path:
    """The memo file of content files' read results (memo.py)."""
    return cache_folder(out) / f"{out.absolute().name}.memo"


def spare_folder(out: Path) -> Path:
    return cache_folder(out) / f"{out.absolute().name}.spare"


_PICKLED_MODULES = ("content/models.py", "core/dates.py", "content/markdown.py")


@lru_cache(maxsize=None)
def runtime_key() -> str:
    """Python and the libraries whose objects the state and the memo hold: pickled
    models (pydantic) and marshal data are only read back by the versions that wrote them.
    Once per process (3.5 ms: reading the libraries' metadata), as they cannot change in it."""
    key = f"{VERSION}\0{sys.version}"
    # The classes of the pickled results: a field added to a model must not meet results
    # pickled without it (their objects would lack the attribute).
    for module in _PICKLED_MODULES:
        key += f"\0{module}=" + hashlib.sha256((PACKAGE / module).read_bytes()).hexdigest()
    for name in _LIBRARIES:
        try:
            key += f"\0{name}={metadata.version(name)}"
        except metadata.PackageNotFoundError:
            pass
    return key


def _code_key() -> str:
    """The generator itself: its code, Python and the libraries that shape its output."""
    digest = hashlib.sha256(runtime_key().encode())
    for path in sorted(PACKAGE.rglob("*.py")):
        digest.update(f"\0{path.relative_to(PACKAGE).as_posix()}\0".encode() + path.read_bytes())
    return digest.hexdigest()


def render_key(templates: Path, site_digest: str, base_url: str) -> str:
    digest = hashlib.sha256(f"{_code_key()}\0{site_digest}\0{base_url}".encode())
    for root, dirs, names in os.walk(templates):
        dirs.sort()
        for name in sorted(names):
            path = os.path.join(root, name)
            digest.update(f"\0{os.path.relpath(path, templates)}\0".encode())
            with open(path, "rb") as handle:
                digest.update(handle.read())
    return digest.hexdigest()


class _HashingWriter:
    """A file that hashes what is written through it: the state is pickled straight
    to disk, never held whole in memory, and its checksum is appended at the end."""

    def __init__(self, handle: Any):
        self.handle, self.digest = handle, hashlib.sha256()

    def write(self, data: bytes) -> int:
        self.digest.update(data)
        return self.handle.write(data)


@contextmanager
def one_build_at_a_time(out: Path, waiting: Callable[[str], None]) -> Iterator[None]:
    """Builds into the same folder take turns (say `serve` in one terminal and `make site`
    in another): both would otherwise update the same spare folder. The lock is released
    by the system when the process ends, however it ends."""
    path = cache_folder(out) / f"{out.absolute().name}.lock"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle = open(path, "ab")
    except OSError:  # e.g. a read-only disk: the build itself says what cannot be written
        yield
        return
    with handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            waiting(f"waiting for another build of {out} to finish…")
            fcntl.flock(handle, fcntl.LOCK_EX)
        yield


def load_state(out: Path) -> BuildState | None:
    """The previous build's state, or None when there is none that can be trusted."""
    try:
        with open(state_file(out), "rb") as handle:
            raw = handle.read()
        payload, checksum = memoryview(raw)[:-32], raw[-32:]
        if hashlib.sha256(payload).digest() != checksum:
            return None
        version, state = pickle.loads(payload)
        trusted = version == VERSION and isinstance(state, BuildState) and state.runtime == runtime_key()
        return state if trusted else None
    except Exception:  # noqa: BLE001 - anything wrong with a cache file means: no cache
        return None


def forget_state(out: Path) -> None:
    try:
        state_file(out).unlink()
    except FileNotFoundError:
        pass


def save_state(out: Path, state: BuildState) -> bool:
    """Save `state` for the next build; whether it could be saved (a state that cannot be
    saved only makes the next build slower)."""
    def write(handle: Any) -> None:
        writer = _HashingWriter(handle)
        pickle.dump((VERSION, state), writer, protocol=pickle.HIGHEST_PROTOCOL)  # type: ignore[arg-type]
        handle.write(writer.digest.digest())
    return write_atomically(state_file(out), write)
