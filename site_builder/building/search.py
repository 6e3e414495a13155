"""Full-text search: a Pagefind index of the built site.

Pagefind (from PyPI, `pagefind[extended]`) reads the HTML pages and writes a
static search bundle into `pagefind/` at the site root: one index per
`<html lang>`, so French readers search French pages and English readers
English ones. What is indexed is marked in the templates: `data-pagefind-body`
on entry pages, `data-pagefind-ignore` on navigation, footnotes and backlinks,
`data-pagefind-filter` for the kind of entry.

It runs on the staging folder, before the atomic swap (see `write.publish`),
so the published folder is never without its index.

The bundle is not byte-identical from one build to the next: Pagefind writes
the values of a filter in hash-map order, so the filter files (and the meta and
entry files that name them by hash) change between runs of the same pages. The
rest of the site stays reproducible; tests compare builds without `pagefind/`.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Sequence

from .write import OutputError

BUNDLE = "pagefind"  # folder of the search bundle, relative to the site root
PAGEFIND = (sys.executable, "-m", "pagefind")
INSTALL_HINT = "install it with `pip install 'pagefind[extended]'` (or `make site`), or build with --no-search"
_DETAIL_LINES = 8


def index_site(site: Path, command: Sequence[str] = PAGEFIND, timeout: float = 600) -> None:
    """Write the Pagefind bundle into `site/pagefind/`; raise OutputError if that fails."""
    site = Path(site).absolute()
    # Run from the site folder, without PAGEFIND_* variables, so that no pagefind.yml
    # of the caller's working directory and no environment setting changes the index.
    env = {key: value for key, value in os.environ.items() if not key.upper().startswith("PAGEFIND_")}
    cmd = [*command, "--site", str(site), "--output-subdir", BUNDLE, "--silent"]
    try:
        proc = subprocess.run(cmd, cwd=site, env=env, stdin=subprocess.DEVNULL, capture_output=True,
                              text=True, encoding="utf-8", errors="replace", timeout=timeout, check=False)
    except FileNotFoundError as exc:
        raise OutputError(f"cannot build the search index: {exc.filename or cmd[0]} not found; {INSTALL_HINT}") from exc
    except subprocess.TimeoutExpired as exc:
        raise OutputError(f"cannot build the search index: Pagefind did not finish within {timeout:.0f} s") from exc
    except OSError as exc:
        raise OutputError(f"cannot build the search index: cannot run Pagefind: {exc.strerror or exc}") from exc
    output = (proc.stderr + "\n" + proc.stdout).strip()
    if proc.returncode != 0:
        if "No module named pagefind" in output:
            raise OutputError(f"cannot build the search index: Pagefind is not installed for {command[0]}; "
                              f"{INSTALL_HINT}")
        lines = list(dict.fromkeys(line.strip() for line in output.splitlines() if line.strip()))  # Pagefind repeats itself
        detail = " | ".join(lines[-_DETAIL_LINES:])
        raise OutputError(f"cannot build the search index: Pagefind failed (exit {proc.returncode})"
                          + (f": {detail}" if detail else ""))
    entry = site / BUNDLE / "pagefind-entry.json"
    if not entry.is_file():
        raise OutputError(f"cannot build the search index: Pagefind wrote no {BUNDLE}/pagefind-entry.json")
