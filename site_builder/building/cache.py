"""Skipping a build that would change nothing.

Everything a build reads — content and template files, the generator's own
code, the libraries' versions and the build options — is hashed into one
fingerprint. After a successful build the fingerprint is saved, with a manifest
of the output folder, in a git-ignored cache folder next to the output. When the
next build has the same fingerprint and the output folder still matches its
manifest exactly, there is nothing to do.

Both checks avoid reading what has not changed, so that a build with nothing to
do costs system calls, not megabytes:

- Inputs: like git's index, a memo next to the record keeps, for every input
  file, its stat (size, modification and change times, inode) and the hash of
  its bytes. A file whose stat is unchanged reuses its hash without being read.
  Timestamps have a granularity (a kernel tick, or more on some file systems),
  so a file edited in the tick it was hashed in could keep its whole stat: a
  file whose modification or change time is later than RACY_NS before the memo
  was taken is therefore read again ("racy git"). The folders are listed afresh
  every time, so an added or removed file is always seen.
- Output: the record has the size and modification time of every file and the
  modification time of every folder, and only those paths are stat-ed. Folders
  need not be listed: adding, removing or renaming an entry changes its folder's
  modification time (25,000 folders: 0.09 s to stat, 0.42 s to list). Folders
  within RACY_NS of the record are listed all the same, for the reason above.
  A file's own edit in the tick it was written in, while the build still runs,
  is not seen: that would take hashing the output.

The cache is only ever a hint: a missing, unreadable or corrupted record or memo
(each file starts with the SHA-256 of the rest), or an output folder touched by
anything else, means a full build or re-reading every input. Deleting the cache
folder is always safe.
"""
from __future__ import annotations

import hashlib
import itertools
import json
import marshal
import os
import pickle
import stat
import sys
import time
from pathlib import Path
from typing import Any, BinaryIO, Callable, Iterable

from ..core.confine import leaves
from ..core.errors import Position, Problem

PACKAGE = Path(__file__).resolve().parent.parent  # the whole site_builder package
# The version of every file the cache holds (record, input hashes, state, content results,
# kept items): one number, raised on any change of any of their formats.
VERSION = 10
LIBRARIES = ("jinja2", "markdown-it-py", "pyyaml", "babel", "pydantic", "pagefind")
RECORDS_PER_BATCH = 256  # write_checked_records: values marshalled together (one each: 25 µs apiece to load)
# Timestamps this close to (or after) the moment a memo or manifest was taken are
# not trusted: a change in the same timestamp tick would leave them unchanged.
RACY_NS = 2_000_000_000


def _read(path: str) -> bytes:
    with open(path, "rb") as file:
        return file.read()


def _scan(folder: str, suffix: str) -> list[tuple[str, str, os.stat_result | None]]:
    """(relative path, path, stat) of every file under `folder`, by relative path.

    The same files as the loader's `rglob`: symlinked files are followed, symlinked
    folders are not entered; __pycache__ is skipped. A link that leads out of `folder`
    (confine.py) is listed with no stat, and never opened: the build refuses it.
    """
    found: list[tuple[str, str, os.stat_result | None]] = []
    pending = [("", folder)]
    while pending:
        prefix, path = pending.pop()
        with os.scandir(path) as entries:
            for entry in entries:
                if entry.is_symlink() and leaves(entry.path, folder):
                    found.append((prefix + entry.name, entry.path, None))
                elif entry.is_dir(follow_symlinks=False):
                    if entry.name != "__pycache__":
                        pending.append((f"{prefix}{entry.name}/", entry.path))
                elif entry.name.endswith(suffix) and entry.is_file():
                    found.append((prefix + entry.name, entry.path, entry.stat()))
    found.sort(key=lambda item: item[0])
    return found


def fingerprint(content: Path, templates: Path, options: dict[str, Any], memo: Path | None = None,
                hashes: dict[str, str] | None = None, files_read: list[str] | None = None) -> str:
    """The hash of every input and of the options, or "" when an input cannot be read (a
    full build then says what is wrong). See `input_files_digest` for the other arguments."""
    return with_options(input_files_digest(content, templates, memo, hashes, files_read), options)


def with_options(files_digest: str, options: dict[str, Any]) -> str:
    """The fingerprint of inputs whose files hash to `files_digest`, built with `options`:
    the same files need not be looked at again to ask about other options (serve asks
    whether the site is what a build with the search index would make)."""
    if not files_digest:
        return ""
    return hashlib.sha256(json.dumps({"options": options, "files": files_digest}, sort_keys=True).encode()).hexdigest()


def input_files_digest(content: Path, templates: Path, memo: Path | None = None, hashes: dict[str, str] | None = None,
                       files_read: list[str] | None = None) -> str:
    """The hash of every input file (content, templates, the generator's code) and of the
    Python and libraries that run it, or "" when one cannot be read.

    With `memo`, the hashes of files whose stat has not changed are taken from it,
    and it is updated when any file had to be read. `hashes`, if given, gets each
    file's SHA-256 by absolute path (loading.file_digest), for the build to reuse.
    """
    # Before any stat: a file changed after this moment gets a ctime the next run finds racy.
    started = time.time_ns()
    known, trusted_before = _load_memo(memo, started) if memo is not None else ({}, 0)
    digest = hashlib.sha256()
    digest.update(json.dumps({"python": sys.version, "cache": VERSION, "libraries": library_versions()},
                             sort_keys=True).encode())
    seen: dict[str, list] = {}
    read = 0
    for label, folder, suffix in (("content", content, ""), ("templates", templates, ""), ("code", PACKAGE, ".py")):
        root = os.path.abspath(folder)
        try:
            files = _scan(root, suffix) if os.path.isdir(root) else []
        except OSError:  # a folder deleted or unreadable mid-scan
            return ""
        for relative, path, info in files:
            if info is None:  # a link out of the folder: its name counts, its target is not read
                digest.update(f"\0{label}/{relative}\0link out".encode())
                continue
            entry = known.get(path)
            if (entry is not None and entry[0] == info.st_size and entry[1] == info.st_mtime_ns
                    and entry[2] == info.st_ino and entry[3] == info.st_ctime_ns
                    and info.st_mtime_ns < trusted_before and info.st_ctime_ns < trusted_before):
                hashed = entry[4]
            else:
                try:
                    hashed = hashlib.sha256(_read(path)).hexdigest()
                except OSError:  # deleted or unreadable mid-scan
                    return ""
                read += 1
                if files_read is not None:
                    files_read.append(path)
            seen[path] = [info.st_size, info.st_mtime_ns, info.st_ino, info.st_ctime_ns, hashed]
            if hashes is not None:
                hashes[path] = hashed
            digest.update(f"\0{label}/{relative}\0{hashed}".encode())
    if memo is not None and (read or seen.keys() != known.keys()):
        write_checked(memo, {"version": VERSION, "started": started, "files": seen})
    return digest.hexdigest()


def _load_memo(memo: Path, now: int) -> tuple[dict[str, list], int]:
    """{path: [size, mtime_ns, ino, ctime_ns, sha256]} of a memo that can be trusted ({} if
    none), and the time before which a file's timestamps are safely older than its hashing."""
    payload = read_checked(memo)
    if payload is None:
        return {}, 0
    started, files = payload.get("started"), payload.get("files")
    if not isinstance(started, int) or started > now or not isinstance(files, dict):
        return {}, 0  # (a memo from the future: the clock went back, its times mean nothing)
    if not all(isinstance(entry, list) and len(entry) == 5 for entry in files.values()):
        return {}, 0
    return files, started - RACY_NS


def library_versions() -> dict[str, str]:
    """The installed version of each library, or "" when it is not installed.

    Read, where it can be, from the name of the library's NAME-VERSION.dist-info
    folder on sys.path (the first found wins, as for imports): importing
    importlib.metadata alone would take 25 ms, a tenth of a build with nothing to do.
    """
    def key(name: str) -> str:
        return name.lower().replace("-", "_").replace(".", "_")

    wanted = {key(name): name for name in LIBRARIES}
    found: dict[str, str] = {}
    for folder in sys.path:
        try:
            names = os.listdir(folder or ".")
        except OSError:  # a zip file, or a missing folder
            continue
        for name in names:
            if name.endswith(".dist-info"):
                project, _, version = name[:-len(".dist-info")].partition("-")
                library = wanted.get(key(project))
                if library is not None and version and library not in found:
                    found[library] = version
    for library in LIBRARIES:
        if library not in found:  # installed otherwise (an .egg-info, a zip) or not at all
            from importlib import metadata
            try:
                found[library] = metadata.version(library)
            except metadata.PackageNotFoundError:
                found[library] = ""
    return {library: found[library] for library in LIBRARIES}


def write_atomically(path: Path, write: Callable[[BinaryIO], None]) -> bool:
    """Write a cache file through `write(file)` into a temporary file, then put it in place
    in one rename; never fails (False: not written: a cache that cannot be written only
    makes the next build slower)."""
    temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")  # concurrent builds never share one
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(temporary, "wb") as file:
            write(file)
        temporary.replace(path)
        return True
    except OSError:
        try:
            temporary.unlink()
        except OSError:
            pass
        return False


def write_checked(path: Path, payload: dict[str, Any]) -> bool:
    """Write `payload` after the SHA-256 of its bytes, atomically; never fails (False: not written).

    The format is marshal's, not JSON: a record lists every file of the site, and
    marshal writes and reads 50,000 entries in milliseconds where JSON took half a
    second. (marshal is no format to read from strangers: these files are the
    build's own, and their bytes are checked against the SHA-256 before loading.)"""
    body = marshal.dumps(payload)

    def write(file: BinaryIO) -> None:  # (two writes: no third copy of a file that may be 11 MB)
        file.write(hashlib.sha256(body).hexdigest().encode() + b"\n")
        file.write(body)
    return write_atomically(path, write)


class _HashingWriter:
    """A file that hashes what is written through it."""

    def __init__(self, handle: BinaryIO):
        self.handle, self.digest = handle, hashlib.sha256()

    def write(self, data: bytes) -> int:
        self.digest.update(data)
        return self.handle.write(data)


def write_checked_pickle(path: Path, value: Any) -> bool:
    """As `write_checked`, for a value only pickle can write (the build state, which holds
    models): pickled straight to disk, never held whole in memory, its SHA-256 written
    in front once known. Read by `read_checked_pickle`."""
    def write(file: BinaryIO) -> None:
        file.write(b"0" * 64 + b"\n")
        writer = _HashingWriter(file)
        pickle.dump(value, writer, protocol=pickle.HIGHEST_PROTOCOL)  # type: ignore[arg-type]
        file.seek(0)
        file.write(writer.digest.hexdigest().encode())
    return write_atomically(path, write)


def read_checked_pickle(path: Path) -> Any:
    """The value `write_checked_pickle` wrote; raises if the file is missing or damaged.
    (pickle is no format to read from strangers: the file is the build's own, and its
    bytes are checked against the SHA-256 before loading.)"""
    with open(path, "rb") as file:
        if not _checksum_matches(file):
            raise ValueError(f"{path}: damaged")
        return pickle.load(file)


def write_checked_records(path: Path, records: Iterable[Any]) -> bool:
    """As `write_checked`, for a sequence of values marshalled in batches as they come:
    the file is never whole in memory (a page's kept download rows are 11 MB at 5,000
    entries, and marshal grows one buffer for all of it by copies). Read by `read_checked_records`."""
    def write(file: BinaryIO) -> None:
        file.write(b"0" * 64 + b"\n")  # the SHA-256, once known
        digest, values = hashlib.sha256(), iter(records)
        while batch := list(itertools.islice(values, RECORDS_PER_BATCH)):
            data = marshal.dumps(batch)
            data = len(data).to_bytes(8, "little") + data  # (read whole: marshal reads a file piece by piece)
            digest.update(data)
            file.write(data)
        file.seek(0)
        file.write(digest.hexdigest().encode())
    return write_atomically(path, write)


def read_checked_records(path: Path) -> list[Any] | None:
    """The values `write_checked_records` wrote, or None when the file is missing or damaged."""
    try:
        with open(path, "rb") as file:
            if not _checksum_matches(file):
                return None
            end = os.fstat(file.fileno()).st_size
            records: list[Any] = []
            while file.tell() < end:
                size = int.from_bytes(file.read(8), "little")
                if size > end - file.tell():  # not batches of records: a file of another format
                    return None
                batch = marshal.loads(file.read(size))
                if not isinstance(batch, list):
                    return None
                records.extend(batch)
            return records
    except (OSError, ValueError, EOFError, TypeError, MemoryError):
        return None


def _checksum_matches(file: Any) -> bool:
    """Whether the file's first line is the SHA-256 of the rest; leaves it at the rest.
    Hashed as it is read: never held whole in memory next to what it holds."""
    checksum, digest = file.readline(100).rstrip(b"\n"), hashlib.sha256()
    start = file.tell()
    while chunk := file.read(1 << 20):
        digest.update(chunk)
    file.seek(start)
    return checksum == digest.hexdigest().encode()


def read_checked(path: Path) -> dict[str, Any] | None:
    """The payload `write_checked` wrote, or None when it is missing, corrupted or of another version."""
    try:
        with open(path, "rb") as file:
            if not _checksum_matches(file):
                return None
            # (read whole, then loaded: marshal.load reads a file in small pieces, 0.12 s
            # for the 4 MB record at 5,000 entries, against 0.02 s)
            payload = marshal.loads(file.read())
        return payload if isinstance(payload, dict) and payload.get("version") == VERSION else None
    except (OSError, ValueError, EOFError, TypeError, MemoryError):  # (a file of another format)
        return None


def _scan_output(out: str) -> tuple[dict[str, list[int]], dict[str, int]]:
    """{file: [size, mtime_ns]} and {folder: mtime_ns} of everything under `out` ("" is `out`)."""
    files: dict[str, list[int]] = {}
    folders = {"": os.stat(out).st_mtime_ns}
    pending = [""]
    while pending:
        folder = pending.pop()
        # A folder's stat is always taken before it is listed: an entry added in between
        # then shows in the listing and in a changed time, never in neither.
        with os.scandir(os.path.join(out, folder)) as entries:
            for entry in entries:
                relative = f"{folder}/{entry.name}" if folder else entry.name
                info = entry.stat(follow_symlinks=False)
                if stat.S_ISDIR(info.st_mode):
                    folders[relative] = info.st_mtime_ns
                    pending.append(relative)
                else:
                    files[relative] = [info.st_size, info.st_mtime_ns]
    # In path order, the later checks stat neighbours one after the other.
    return dict(sorted(files.items())), dict(sorted(folders.items()))


def load_record(path: Path) -> dict[str, Any] | None:
    """The last build's record, or None when there is none that can be trusted.

    Its "manifest" is {relative path: [size, mtime_ns]} of every file of the output
    folder; "folders" is {relative path: mtime_ns}, "" being the output folder itself.
    """
    payload = read_checked(path)
    if payload is None or not all(key in payload for key in ("fingerprint", "manifest", "folders", "started", "summary")):
        return None
    return payload


def _intact(out: str, record: dict[str, Any]) -> bool:
    """Whether `out` still holds exactly the files and folders of `record`, unchanged."""
    manifest, folders = record["manifest"], record["folders"]
    racy_from = record["started"] - RACY_NS
    racy = []
    # Paths relative to an open `out` are shorter for the kernel to walk.
    where = os.open(out, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0)) if os.stat in os.supports_dir_fd else None
    prefix = "" if where is not None else out + os.sep
    lstat = os.stat  # (a local name: one global lookup less in each of 50,000 calls)
    try:
        for folder, mtime in folders.items():
            info = lstat((prefix + folder) or ".", dir_fd=where, follow_symlinks=False)
            if info.st_mtime_ns != mtime or not stat.S_ISDIR(info.st_mode):
                return False
            if mtime >= racy_from:
                racy.append(folder)
        for path, (size, mtime) in manifest.items():
            info = lstat(prefix + path, dir_fd=where, follow_symlinks=False)
            if info.st_mtime_ns != mtime or info.st_size != size:
                return False
    except OSError:  # a file or folder is gone
        return False
    finally:
        if where is not None:
            os.close(where)
    return not racy or _listings_match(out, racy, record)


def _listings_match(out: str, racy: list[str], record: dict[str, Any]) -> bool:
    """Whether each of the `racy` folders holds exactly the entries the record has in it."""
    expected: dict[str, set[str]] = {folder: set() for folder in racy}
    for path in (*record["manifest"], *record["folders"]):
        parent, _, name = path.rpartition("/")
        if path and parent in expected:
            expected[parent].add(name)
    try:
        return all(set(os.listdir(os.path.join(out, folder))) == names for folder, names in expected.items())
    except OSError:
        return False


def up_to_date(out: Path, print_: str, record: dict[str, Any] | None) -> dict[str, Any] | None:
    """The last build's record (as `load_record` returned it) if `out` is exactly what a
    build with this fingerprint made."""
    if record is None or not print_ or record["fingerprint"] != print_ or not out.is_dir():
        return None
    try:
        return record if _intact(os.fspath(out), record) else None
    except (ValueError, TypeError, AttributeError):  # a record of the right version but the wrong shape
        return None


def save_record(path: Path, out: Path, inputs: Inputs, summary: dict[str, Any], files: Iterable[str] | None = None,
                walk: Iterable[str] = (), known: dict[str, list[int]] | None = None) -> dict[str, Any] | None:
    """Record the build just written into `out`, in `path`; return the record (as
    `load_record` returns it), or None if it could not be taken or written.

    `inputs` should have been fingerprinted before the build read
    them: the record then holds the inputs as they were when read, and an edit made
    during the build means another build. With `files` (the site's files, relative
    to `out`), only those, the folders that hold them and the folders in `walk`
    are looked at, rather than listing the whole output folder: anything else put
    there changes the time of a folder the record has. `known`: the [size, mtime_ns] of
    files whose stat the caller has just taken, not taken again (25,000 files: 0.1 s); a
    file changed since then only makes the next build find that something changed."""
    started = time.time_ns()  # before the scan: anything changed during it counts as racy
    try:
        if files is None:
            manifest, folders = _scan_output(os.fspath(out))
        else:
            manifest, folders = _stat_output(os.fspath(out), files, walk, known or {})
    except OSError:
        return None
    record = {"version": VERSION, "fingerprint": inputs.fingerprint(), "started": started,
              "manifest": manifest, "folders": folders, "summary": summary}
    return record if write_checked(path, record) else None


def _stat_output(out: str, files: Iterable[str], walk: Iterable[str], known: dict[str, list[int]]
                 ) -> tuple[dict[str, list[int]], dict[str, int]]:
    """As `_scan_output`, for the given files (and every file under the `walk` folders)."""
    folders: dict[str, int] = {}
    for path in files:
        parent = path.rpartition("/")[0]
        while parent not in folders:
            folders[parent] = 0
            parent = parent.rpartition("/")[0] if parent else ""
    # Folders first (see _scan_output), then files, by paths relative to an open `out`.
    where = os.open(out, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        lstat = os.stat
        for folder in sorted(folders):
            folders[folder] = lstat(folder or ".", dir_fd=where, follow_symlinks=False).st_mtime_ns
        manifest = {}
        for path in sorted(files):
            if path in known:
                manifest[path] = known[path]
                continue
            info = lstat(path, dir_fd=where, follow_symlinks=False)
            manifest[path] = [info.st_size, info.st_mtime_ns]
    finally:
        os.close(where)
    for folder in walk:
        if os.path.isdir(os.path.join(out, folder)):
            inner_files, inner_folders = _scan_output(os.path.join(out, folder))
            folders.update((f"{folder}/{name}" if name else folder, mtime) for name, mtime in inner_folders.items())
            manifest.update((f"{folder}/{name}", size_and_time) for name, size_and_time in inner_files.items())
    return dict(sorted(manifest.items())), dict(sorted(folders.items()))


class Inputs:
    """What a build reads. Its fingerprint is taken once, on first use, with the memo of
    input hashes kept for its output folder, so a build records the inputs as they were
    before it read them."""

    def __init__(self, content: Path, templates: Path, options: dict[str, Any], memo: Path | None = None) -> None:
        self.content, self.templates, self.options, self.memo = content, templates, options, memo
        self._files: str | None = None  # the input files' digest, taken once (input_files_digest)
        # Each input file's hash as the fingerprint found it (mostly from the memo, by
        # stat): the build uses them instead of reading every content file again.
        self.hashes: dict[str, str] = {}
        self.files_read: list[str] = []  # ... of which these were read (the others: by their stat)

    def fingerprint(self, options: dict[str, Any] | None = None) -> str:
        """The fingerprint of these inputs, with their options or with `options`."""
        if self._files is None:
            self._files = input_files_digest(self.content, self.templates, self.memo, self.hashes, self.files_read)
        return with_options(self._files, self.options if options is None else options)

    def __repr__(self) -> str:
        return f"Inputs({self.content!r}, {self.templates!r}, {self.options!r})"


def summary_of(pages: dict[str, int], files: int, warnings: list[Problem]) -> dict[str, Any]:
    return {"pages": pages, "files": files,
            "warnings": [{"position": [w.position.file, w.position.line, w.position.column],
                          "message": w.message, "hint": w.hint} for w in warnings]}


def warnings_of(summary: dict[str, Any]) -> list[Problem]:
    return [Problem(Position(*w["position"]), w["message"], w["hint"], "warning") for w in summary["warnings"]]
