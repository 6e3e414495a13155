"""Inputs are read from their own folder only: symbolic links that lead out of it are refused.

A content file (or a template) that is a symbolic link to a file elsewhere on the
machine would be read, and its text could reach the published site or the build's
messages: a pull request from an outside contributor could put a build machine's
`/etc/passwd` or a CI secret into public logs. Such links are refused, by name and
without ever being opened. Links that stay inside the folder are allowed (they read
nothing the folder does not already hold), and so is a content or templates folder
that is itself a link: the rule is about what is below it.
"""
from __future__ import annotations

import os
from pathlib import Path

LINK_HINT = "copy the file into the folder instead of linking to it"


def leaves(path: str | os.PathLike[str], root: str | os.PathLike[str]) -> bool:
    """True when `path` is a symbolic link that resolves to somewhere outside `root`.
    Resolves names only; opens nothing."""
    if not os.path.islink(path):
        return False
    real_root = os.path.realpath(root)
    target = os.path.realpath(path)
    return not (target == real_root or target.startswith(real_root.rstrip(os.sep) + os.sep))


def links_leaving(root: Path) -> list[Path]:
    """Every symbolic link under `root` (files and folders, linked folders not entered)
    that resolves outside it, sorted."""
    found = []
    for folder, dirs, names in os.walk(root):
        for name in dirs + names:
            path = os.path.join(folder, name)
            if leaves(path, root):
                found.append(Path(path))
    return sorted(found)
