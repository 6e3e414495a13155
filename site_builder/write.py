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
from typing import Callable

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


def write_site(files: dict[str, bytes], out: Path, postprocess: Callable[[Path], None] | None = None) -> None:
    """Write `files` (site-relative path -> bytes) as the new content of `out`.

    `postprocess`, if given, is called with the complete staging folder before
    the swap (e.g. to add a search index), so `out` never shows a site without
    what it adds. If it raises, nothing is swapped and the staging folder is removed.
    """
    out = out.absolute()
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        recover(out)
        staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.new-", dir=out.parent))
    except OSError as exc:
        raise OutputError(f"cannot create the output folder next to {out}: {exc.strerror}{_advice(exc)}") from exc
    try:
        for relative_path in sorted(files):
            target = staging / relative_path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(files[relative_path])
        if postprocess is not None:
            postprocess(staging)
        staging.chmod(0o755)
        _swap(staging, out)
    except OutputError as exc:  # from `postprocess`: its message says what failed
        shutil.rmtree(staging, ignore_errors=True)
        raise OutputError(f"{exc}; the previous site was left as it was") from exc
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise OutputError(f"cannot write the site into {out}: {exc.strerror or exc}; "
                          f"the previous site was left as it was{_advice(exc)}") from exc
    except BaseException:  # e.g. KeyboardInterrupt during `postprocess`: leave no staging folder behind
        shutil.rmtree(staging, ignore_errors=True)
        raise


def _advice(exc: OSError) -> str:
    """What to do about a failed write, as ' (...)', or ''."""
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return " (free some disk space, or pass --out with a folder on another disk)"
    if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        return " (pass --out with a folder you can write to, or make this one writable)"
    if exc.errno == errno.ENOTDIR:
        return " (move that file away, or pass --out with another folder)"
    return ""


def _swap(staging: Path, out: Path) -> None:
    if out.exists() and not out.is_dir():
        raise OSError(errno.ENOTDIR, "the output path exists and is not a folder")
    if not out.exists():
        staging.rename(out)
        return
    if _exchange(staging, out):
        shutil.rmtree(staging, ignore_errors=True)  # staging now holds the previous site
        return
    previous = out.parent / f".{out.name}.previous"
    out.rename(previous)
    staging.rename(out)
    shutil.rmtree(previous, ignore_errors=True)
