"""Reading the content folder: every file parsed, validated and its references
extracted, on every core, and only for files that changed since the last build.

A file's result (its models, its own problems, what its entries point to)
depends on nothing but its bytes, so it is keyed by their hash: results of
unchanged files come from the previous build's memo (memo.py), the others
are computed in forked workers and appended to it. Checking references needs every file and runs
afterwards, in the parent (links.check_references).
"""
from __future__ import annotations

import gc
import os
import pickle
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Iterator

from ..core.errors import Problem
from ..content.links import EntryRefs, Owner, extract_references
from ..content.loading import FileResult, LoadedContent, assemble, content_files, file_digest, read_content_file
from ..content.models import SiteSettings
from ..content.markdown import ProseParser
from ..content.observed import WHOLE, FieldKey, field_digests
from .memo import ContentResults, Memo, MemoFile, MemoKey, Stored
from .workers import can_fork, in_order

MIN_FILES_PER_WORKER = 200  # below this, forking costs more than it saves


@dataclass
class ReadFile:
    result: FileResult
    refs: list[EntryRefs]  # one per entry of the file, in the same order
    fields: list[dict[str, str]]  # ... and the digest of each of its fields (observed.field_digests)


def read_file(kind: str, path: Path, root: Path, parser: ProseParser) -> ReadFile:
    result = read_content_file(kind, path, root)
    return ReadFile(result, [extract_references(model, parser) for _kind, model, _prefix in result.entries],
                    [field_digests(model, result.digest) for _kind, model, _prefix in result.entries])


def _read_pickled(kind: str, path: Path, root: Path, parser: ProseParser) -> tuple[str, bytes]:
    read = read_file(kind, path, root, parser)
    return read.result.digest, pickle.dumps(read, protocol=pickle.HIGHEST_PROTOCOL)


@dataclass
class ContentRead:
    content: LoadedContent
    problems: list[Problem]
    refs: dict[Owner, EntryRefs]
    files: int  # content files found
    # (kind, id, field) -> what a page's read of it is compared with (observed.field_digests):
    # the hash of the field's value, or of the entry's file for WHOLE; site.yaml is ("site", "", WHOLE)
    digests: dict[FieldKey, str]
    reused: int  # files taken from the memo
    in_memory: int  # ... of which already in memory


def read_content(root: Path, parser: ProseParser, jobs: int = 1, earlier: ContentResults | None = None,
                 hashes: dict[str, str] | None = None) -> ContentRead:
    """Read every content file under `root`, taking the results of unchanged files
    from `earlier` (the memo file, through its index) and appending the others to it.

    `hashes`: files' hashes (loading.file_digest) by absolute path, as the build's
    fingerprint took them just before (cache.py, by stat where it could): a file
    found there is not read again to learn whether it changed.

    Results a long-running process (serve) still has in memory from its last build
    are used as they are, without reading the memo. (Results are never modified once read.)"""
    memo, store, kept = (earlier.index, earlier.store, earlier.in_memory) if earlier else (None, None, None)
    kept = kept or {}
    files, problems = content_files(root)
    memo = memo or {}
    index: Memo = {}
    to_read: list[tuple[MemoKey, str, Path]] = []
    keys = [(kind, _relative(path, root)) for kind, path in files]
    for key, (kind, path) in zip(keys, files):
        previous = memo.get(key)
        if store is not None and previous is not None and previous[0] and previous[0] == _digest_of(path, hashes):
            index[key] = previous
        else:
            to_read.append((key, kind, path))
    reused = len(index)
    fresh: dict[MemoKey, ReadFile] = {}
    arriving = _read_all([(kind, path) for _, kind, path in to_read], root, parser, jobs)
    for (key, _kind, _path), (digest, blob) in zip(to_read, arriving, strict=True):
        _keep(index, key, store, digest, blob)
        fresh[key] = pickle.loads(blob)  # as each arrives: the blobs of a cold build are never all in memory
    ordered: list[ReadFile] = []
    in_memory = 0
    for key, (kind, path) in zip(keys, files):
        read = fresh.pop(key, None)
        if read is None and key in index and (key, index[key]) in kept:
            read, in_memory = kept[(key, index[key])], in_memory + 1
        if read is None:
            stored = store.read(index[key]) if store is not None and key in index else None
            if stored is None:  # the memo lost it (a damaged cache file): read the file again
                reused -= 1
                digest, stored = _read_pickled(kind, path, root, parser)
                _keep(index, key, store, digest, stored)
            read = pickle.loads(stored)
        ordered.append(read)
    content, found = assemble([read.result for read in ordered])
    refs: dict[Owner, EntryRefs] = {}
    digests: dict[FieldKey, str] = {}
    for read in ordered:
        for (kind, model, _prefix), entry_refs, fields in zip(read.result.entries, read.refs, read.fields):
            owner = None if isinstance(model, SiteSettings) else (kind, model.id)
            if owner is None:
                refs.setdefault(owner, entry_refs)
                digests.setdefault(("site", "", WHOLE), read.result.digest)
            elif content.origins.get(owner, None) is not None and owner not in refs:
                refs[owner] = entry_refs
                digests.update(((kind, owner[1], name), digest) for name, digest in fields.items())
    results = {(key, index[key]): read for key, read in zip(keys, ordered) if key in index}
    if earlier is not None:
        earlier.index, earlier.in_memory = index, results
    return ContentRead(content, problems + found, refs, len(files), digests, reused, in_memory)


def _relative(path: Path, root: Path) -> str:
    """`os.path.relpath(path, root)`, by cutting the prefix the content walk gave every path
    (relpath normalizes both paths: 60 ms for 5,000 files, on every build)."""
    text, prefix = os.fspath(path), os.fspath(root) + os.sep
    return text[len(prefix):] if text.startswith(prefix) and ".." not in text else os.path.relpath(path, root)


def _keep(index: Memo, key: MemoKey, store: MemoFile | None, digest: str, blob: bytes) -> None:
    """Append a file's fresh result to the memo, and point the index at it."""
    stored = store.append(digest, blob) if store is not None else None
    if stored is not None:
        index[key] = stored
    else:
        index.pop(key, None)


def _digest_of(path: Path, hashes: dict[str, str] | None) -> str:
    known = hashes.get(os.path.abspath(path)) if hashes else None
    if known:
        return known
    try:
        return file_digest(path.read_bytes())
    except OSError:
        return ""  # read again, so the problem is reported


# Set in each worker right after fork (Pool workers only see module globals).
_worker_parser: ProseParser | None = None


def _start_worker(parser: ProseParser) -> None:
    global _worker_parser
    _worker_parser = parser
    gc.enable()  # (the parent builds with it paused: pipeline.collector_paused)


def _read_files(parser: ProseParser, chunk: tuple[Path, list[tuple[str, Path]]]) -> list[tuple[str, bytes]]:
    root, files = chunk
    return [_read_pickled(kind, path, root, parser) for kind, path in files]


def _read_chunk(chunk: tuple[Path, list[tuple[str, Path]]]) -> list[tuple[str, bytes]]:  # (in a worker)
    assert _worker_parser is not None
    return _read_files(_worker_parser, chunk)


def _read_all(files: list[tuple[str, Path]], root: Path, parser: ProseParser, jobs: int) -> Iterator[tuple[str, bytes]]:
    """(hash, pickled result) of each file, in order, as they are read."""
    workers = min(jobs, len(files) // MIN_FILES_PER_WORKER)
    if workers <= 1 or not can_fork():
        yield from (_read_pickled(kind, path, root, parser) for kind, path in files)
        return
    size = max(16, len(files) // (workers * 8))
    chunks = [(root, files[i:i + size]) for i in range(0, len(files), size)]
    for chunk in in_order(_read_chunk, chunks, workers, _start_worker, (parser,), here=partial(_read_files, parser)):
        yield from chunk
