"""Writing the site: the new build appears whole, or not at all.

Everything is written into a fresh sibling folder first. Then, on Linux, one
renameat2(RENAME_EXCHANGE) swaps it with the live folder atomically: at every
instant `build/` is either the complete previous site or the complete new one.
Where that call is unavailable, two renames are used and an interrupted swap is
repaired at the start of the next build.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import errno
import os
import shutil
import tempfile
from pathlib import Path
from contextlib import contextmanager
from typing import Callable, Iterable, Iterator

_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


class OutputError(Exception):
    """The output folder cannot be written; the message says why and what to do."""


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two paths; False when the system cannot do it."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    if result == 0:
        return True
    if ctypes.get_errno() in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        return False
    raise OSError(ctypes.get_errno(), os.strerror(ctypes.get_errno()), str(b))


def recover(out: Path) -> None:
    """Undo an interrupted fallback swap and remove leftovers of killed builds."""
    parent = out.parent
    if not parent.is_dir():
        return
    previous = parent / f".{out.name}.previous"
    if previous.is_dir() and not out.exists():
        previous.rename(out)
    for leftover in parent.glob(f".{out.name}.*"):
        if leftover.is_dir():
            shutil.rmtree(leftover, ignore_errors=True)


def new_staging(out: Path) -> Path:
    """A fresh, empty folder next to `out`, to prepare the next site in."""
    out = out.absolute()
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        recover(out)
        return Path(tempfile.mkdtemp(prefix=f".{out.name}.new-", dir=out.parent))
    except OSError as exc:
        raise OutputError(f"cannot create the output folder next to {out}: {exc.strerror}{_advice(exc)}") from exc


@contextmanager
def removed_on_failure(folder: Path, out: Path, remove: bool = True) -> Iterator[None]:
    """Errors while preparing `folder` become an OutputError; the folder being prepared
    is removed (`remove`) and the live site is left as it was."""
    try:
        yield
    except OutputError as exc:  # e.g. from a postprocess step: its message says what failed
        if remove:
            shutil.rmtree(folder, ignore_errors=True)
        raise OutputError(f"{exc}; the previous site was left as it was") from exc
    except OSError as exc:
        if remove:
            shutil.rmtree(folder, ignore_errors=True)
        raise OutputError(f"cannot write the site into {out.absolute()}: {exc.strerror or exc}; "
                          f"the previous site was left as it was{_advice(exc)}") from exc
    except BaseException:  # e.g. KeyboardInterrupt: leave no half-written folder behind
        if remove:
            shutil.rmtree(folder, ignore_errors=True)
        raise


def publish(folder: Path, out: Path, postprocess: Callable[[Path], None] | None = None,
            keep_previous: Path | None = None, remove_on_failure: bool = True) -> bool:
    """Make the complete site in `folder` the live `out`, atomically.

    The previous site is moved to `keep_previous` when given (the next build
    updates it in place, see pipeline.py) and removed otherwise. True when it
    was kept there.
    """
    out = out.absolute()
    with removed_on_failure(folder, out, remove_on_failure):
        if postprocess is not None:
            postprocess(folder)
        folder.chmod(0o755)
        previous = _swap(folder, out)
    if previous is None:
        return False
    if keep_previous is not None:
        try:
            if previous != keep_previous:
                shutil.rmtree(keep_previous, ignore_errors=True)
                keep_previous.parent.mkdir(parents=True, exist_ok=True)
                previous.rename(keep_previous)
            return True
        except OSError:  # e.g. the cache folder is on another disk: only slower next time
            pass
    shutil.rmtree(previous, ignore_errors=True)
    return False


def remove_files(folder: Path, paths: Iterable[str]) -> None:
    """Delete files of a folder being prepared, and the folders they leave empty."""
    emptied: set[str] = set()
    for relative_path in paths:
        try:
            os.unlink(os.path.join(folder, relative_path))
        except FileNotFoundError:
            pass
        emptied.add(os.path.dirname(relative_path))
    for directory in sorted(emptied, key=len, reverse=True):
        while directory:
            try:
                os.rmdir(os.path.join(folder, directory))
            except OSError:  # not empty (or gone): its parents are not empty either
                break
            directory = os.path.dirname(directory)


def link_file(source_root: Path, target_root: Path, relative_path: str, replace: bool = True) -> None:
    """Put the live site's copy of an unchanged file into the folder being prepared:
    a hard link (no data copied), or a copy where links are not possible."""
    source, target = os.path.join(source_root, relative_path), os.path.join(target_root, relative_path)
    if replace:
        _remove(target)
    try:
        os.link(source, target)
    except FileNotFoundError:
        if not os.path.exists(source):
            raise
        _make_folder(os.path.dirname(target))
        os.link(source, target)
    except OSError as exc:
        if exc.errno not in (errno.EXDEV, errno.EPERM, errno.EMLINK, errno.ENOTSUP):
            raise
        shutil.copyfile(source, target)


def put_file(root: Path, relative_path: str, data: bytes | list[bytes], replace: bool = True) -> None:
    """Write one file of a folder being prepared. What is there is replaced, never
    modified in place: it may be a hard link shared with the live site (see
    output.py). `replace=False`: the folder is new, there is nothing to replace.
    `data`: the bytes, whole or in chunks (written one after the other)."""
    target = os.path.join(root, relative_path)
    if replace:
        _remove(target)
    try:
        handle = open(target, "xb")
    except FileNotFoundError:
        _make_folder(os.path.dirname(target))
        handle = open(target, "xb")
    with handle:
        if isinstance(data, list):  # a file in chunks (see jobs.render_job_chunks)
            handle.writelines(data)
        else:
            handle.write(data)


def _make_folder(path: str) -> None:
    """`os.makedirs(path, exist_ok=True)` in one system call when the parent exists, as it
    mostly does (a page's folder in its section's): makedirs first looks at the parent,
    and a cold build makes some 25,000 folders at 5,000 entries."""
    try:
        os.mkdir(path)
    except FileExistsError:
        pass
    except FileNotFoundError:
        os.makedirs(path, exist_ok=True)


def _remove(path: str) -> None:
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass


def _advice(exc: OSError) -> str:
    """What to do about a failed write, as ' (...)', or ''."""
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return " (free some disk space, or pass --out with a folder on another disk)"
    if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        return " (pass --out with a folder you can write to, or make this one writable)"
    if exc.errno == errno.ENOTDIR:
        return " (move that file away, or pass --out with another folder)"
    return ""


def _swap(staging: Path, out: Path) -> Path | None:
    """Put `staging` in place of `out`; the path now holding the previous site, if any."""
    if out.exists() and not out.is_dir():
        raise OSError(errno.ENOTDIR, "the output path exists and is not a folder")
    if not out.exists():
        staging.rename(out)
        return None
    if _exchange(staging, out):
        return staging  # staging now holds the previous site
    previous = out.parent / f".{out.name}.previous"
    out.rename(previous)
    staging.rename(out)
    return previous
