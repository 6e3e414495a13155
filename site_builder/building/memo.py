"""The read results of content files, kept between builds in one append-only file.

Each content file's result (reading.py) is pickled once, appended to
`.cache/site-builder/<out>.memo`, and found again through an index that the
build state keeps: (hash of the content file, offset, length, CRC-32 of the
blob). A build reads each blob when it needs it and lets it go, so the
results of 5,000 files never sit in memory as bytes; an edit appends only the
edited file's result.

Why not inside the state's pickle: there the blobs were loaded whole (65 MB at
5,000 entries) and written again whole after every build, doubling the peak
memory of the build and adding half a second to every edit.

Like the rest of the cache it is only a hint. The file starts with a random
token the index must name, so an index never reads another file's offsets;
a blob whose length or CRC does not match is ignored and its content file read
again. Appending never moves what an older index points to, so a build killed
half-way leaves the file usable. Once more than half of the file is results
nobody points to, it is written anew, with a new token.
"""
from __future__ import annotations

import os
import pickle
import secrets
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .cache import VERSION

MAGIC = b"site-builder memo %d\n" % VERSION
TOKEN_SIZE = 16
HEADER_SIZE = len(MAGIC) + TOKEN_SIZE
# (hash of the content file, offset, length, CRC-32 of the blob)
Stored = tuple[str, int, int, int]
# (kind, path from the content folder): results name files from the folder that holds the
# content (errors.display_path), so they hold whatever the working directory.
MemoKey = tuple[str, str]
# Where each file's pickled result is in the memo file, with the hash of the file it was
# read from: unchanged files are not pickled again, nor even written again.
Memo = dict[MemoKey, Stored]


class MemoFile:
    """One memo file, opened for reading its blobs and appending new ones.

    Never raises for a file it cannot read or write: a memo that cannot be
    used only makes a build read more."""

    def __init__(self, path: Path | None, token: bytes | None = None) -> None:
        self.path, self.token, self._handle = path, b"", None
        if path is None:
            return
        try:
            handle = open(path, "r+b")
        except OSError:
            handle = None
        if handle is not None and token is not None and handle.read(HEADER_SIZE) == MAGIC + token:
            self._handle, self.token = handle, token
            return
        if handle is not None:
            handle.close()
        self._start_new(path)

    def _start_new(self, path: Path) -> None:
        """A new, empty file with a new token, in place of whatever was at `path`."""
        token = secrets.token_bytes(TOKEN_SIZE)
        temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with open(temporary, "wb") as new:
                new.write(MAGIC + token)
            temporary.replace(path)
            self._handle, self.token = open(path, "r+b"), token
        except OSError:  # e.g. a read-only disk: no memo this time
            _remove(temporary)
            self._handle, self.token = None, b""

    def read(self, stored: Stored) -> bytes | None:
        """The blob `stored` points to, or None if it is not there intact."""
        if self._handle is None:
            return None
        _digest, offset, length, crc = stored
        try:
            blob = os.pread(self._handle.fileno(), length, offset)
        except (OSError, OverflowError, ValueError):
            return None
        return blob if len(blob) == length and zlib.crc32(blob) == crc else None

    def append(self, digest: str, blob: bytes) -> Stored | None:
        """Add `blob` (the result of a file with hash `digest`); where it is, or None."""
        if self._handle is None:
            return None
        try:
            offset = self._handle.seek(0, os.SEEK_END)
            self._handle.write(blob)
            self._handle.flush()
        except OSError:  # a full disk: stop using the memo, the build goes on
            self.close()
            return None
        return (digest, offset, len(blob), zlib.crc32(blob))

    def compacted(self, index: dict, keep_ratio: float = 0.5) -> dict:
        """`index` again, after writing the file anew if less than `keep_ratio` of
        it is still pointed to (entries that cannot be copied are dropped)."""
        if self._handle is None or self.path is None:
            return {}
        try:
            size = os.fstat(self._handle.fileno()).st_size
        except OSError:
            return {}
        live = sum(stored[2] for stored in index.values())
        if live >= keep_ratio * (size - HEADER_SIZE):
            return index
        old, old_handle = self.path.with_name(self.path.name + ".old"), self._handle
        try:
            os.replace(self.path, old)
        except OSError:
            return index
        self._start_new(self.path)
        compacted = {}
        try:
            for key, stored in index.items():
                blob = os.pread(old_handle.fileno(), stored[2], stored[1])
                if len(blob) == stored[2] and zlib.crc32(blob) == stored[3]:
                    moved = self.append(stored[0], blob)
                    if moved is not None:
                        compacted[key] = moved
        finally:
            old_handle.close()
            _remove(old)
        return compacted

    def close(self) -> None:
        if self._handle is not None:
            self._handle.close()
            self._handle = None


def _remove(path: Path) -> None:
    try:
        path.unlink()
    except OSError:  # missing, or a read-only disk: nothing to clean up then
        pass


KeptResults = dict[tuple[MemoKey, Stored], Any]  # results (reading.ReadFile) still in memory, by file and place in the memo


@dataclass
class ContentResults:
    """The read results of earlier builds: an index into the memo file, the memo file
    itself, and (in a long-running process) the results still in memory. Reading
    updates it with what this build read."""

    index: Memo
    store: MemoFile | None
    in_memory: KeptResults

    def compacted(self) -> Memo:
        """The index to save, after writing the memo file anew if it is mostly garbage
        (the results kept in memory then follow their blobs)."""
        if self.store is None:
            return {}
        index = self.store.compacted(self.index)
        if index is not self.index:
            self.in_memory = {(key, index[key]): result for (key, _stored), result in self.in_memory.items()
                              if key in index}
            self.index = index
        return index

    @property
    def token(self) -> bytes:
        return self.store.token if self.store is not None else b""

    def kept(self) -> KeptResults:
        return self.in_memory


def load_results(index: Memo, store: MemoFile) -> KeptResults:
    """Every result `index` points to that `store` still holds intact, unpickled: what
    a long-running process keeps in memory (reading.read_content uses them as they are)."""
    results: KeptResults = {}
    for key, stored in index.items():
        blob = store.read(stored)
        if blob is not None:
            results[(key, stored)] = pickle.loads(blob)
    return results
