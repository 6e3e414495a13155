"""What one build leaves for the next, so that it redoes only what changed.

Saved after each successful build in the git-ignored cache folder next to the
output (`.cache/site-builder/<out>.state`), as a pickle with a version number in
a checked file (cache.py: the SHA-256 of the rest on its first line):

- where every content file's read result (models, problems, references) is in
  the memo file, with the hash of its bytes (reading.py, memo.py);
- the render fingerprint: everything every page depends on besides entries
  (templates, translations, the generator's code and libraries, site.yaml,
  the base URL);
- the digest of each field of each entry, and for each page its output hash and
  which of them it read (dependencies.py);
- the hash of every file of the live site and of the spare folder: the previous
  site, kept after the swap so that the next build updates it in place instead of
  writing the whole site again (see write.py).

Like the rest of the cache it is only a hint. A missing, unreadable, corrupted
or outdated state means a full build; it is deleted before the spare folder is
modified, so a build killed half-way never leaves a state that describes a
folder it no longer matches.
"""
from __future__ import annotations

import hashlib
import sys
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .cache import PACKAGE, VERSION, library_versions, read_checked_pickle, write_checked_pickle
from .memo import Memo

if TYPE_CHECKING:  # (only the type: a build with nothing to do imports no content code, see pipeline.py)
    from ..content.observed import FieldKey



_PICKLED_MODULES = sorted(p.relative_to(PACKAGE).as_posix() for p in (*PACKAGE.glob("core/*.py"), *PACKAGE.glob("content/*.py")))


@lru_cache(maxsize=None)
def runtime_key() -> str:
    """Python and the libraries whose objects the state and the memo hold: pickled
    models (pydantic) and marshal data are only read back by the versions that wrote
    them. Once per process, as they cannot change in it."""
    key = f"{VERSION}\0{sys.version}\0{sorted(library_versions().items())}"
    # The classes of the pickled results: a field added to a model must not meet results
    # pickled without it (their objects would lack the attribute).
    for module in _PICKLED_MODULES:
        key += f"\0{module}=" + hashlib.sha256((PACKAGE / module).read_bytes()).hexdigest()
    return key


@dataclass
class BuildState:
    render_key: str = ""
    entries: dict[FieldKey, str] = field(default_factory=dict)  # (kind, id, field) -> its digest (reading.py)
    keys: list[FieldKey] = field(default_factory=list)  # fields as numbered in pages' dependencies
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


def load_state(path: Path) -> BuildState | None:
    """The previous build's state, or None when there is none that can be trusted."""
    try:
        version, state = read_checked_pickle(path)
    except Exception:  # noqa: BLE001 - anything wrong with a cache file means: no cache
        return None
    trusted = version == VERSION and isinstance(state, BuildState) and state.runtime == runtime_key()
    return state if trusted else None


def save_state(path: Path, state: BuildState) -> bool:
    """Save `state` for the next build; whether it could be saved (a state that cannot be
    saved only makes the next build slower)."""
    return write_checked_pickle(path, (VERSION, state))
