"""Skipping a build that would change nothing.

Everything a build reads — content and template files, the generator's own
code, the libraries' versions and the build options — is hashed into one
fingerprint. After a successful build the fingerprint is saved, with a manifest
of the output folder (path, size, modification time), in a git-ignored cache
folder next to the output. When the next build has the same fingerprint and the
output folder still matches its manifest exactly, there is nothing to do.

The cache is only ever a hint: a missing, unreadable or corrupted cache file, or
an output folder touched by anything else, means a full build. Deleting the
cache folder is always safe.
"""
from __future__ import annotations

import hashlib
import json
import os
import sys
from importlib import metadata
from pathlib import Path
from typing import Any

from .errors import Position, Problem

PACKAGE = Path(__file__).resolve().parent
CACHE_VERSION = 1
_LIBRARIES = ("jinja2", "markdown-it-py", "pyyaml", "babel", "pydantic", "pagefind")


def cache_file(out: Path) -> Path:
    out = out.absolute()
    return out.parent / ".cache" / "site-builder" / f"{out.name}.json"


def _files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts)


def fingerprint(content: Path, templates: Path, options: dict[str, Any]) -> str:
    digest = hashlib.sha256()
    digest.update(json.dumps({"options": options, "python": sys.version, "cache": CACHE_VERSION,
                              "libraries": {name: _version(name) for name in _LIBRARIES}},
                             sort_keys=True).encode())
    for label, folder in (("content", content), ("templates", templates), ("code", PACKAGE)):
        for path in _files(folder):
            if label == "code" and path.suffix != ".py":
                continue
            digest.update(f"\0{label}/{path.relative_to(folder).as_posix()}\0".encode())
            try:
                digest.update(path.read_bytes())
            except OSError:  # deleted or unreadable mid-scan: no fingerprint, so a full build says what is wrong
                return ""
    return digest.hexdigest()


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return ""


def output_manifest(out: Path) -> dict[str, list[int]]:
    manifest: dict[str, list[int]] = {}
    for root, _dirs, names in os.walk(out):
        for name in names:
            path = os.path.join(root, name)
            stat = os.stat(path)
            manifest[os.path.relpath(path, out)] = [stat.st_size, stat.st_mtime_ns]
    return manifest


def _checksum(payload: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()


def load_record(out: Path) -> dict[str, Any] | None:
    """The last build's record, or None when there is none that can be trusted."""
    try:
        data = json.loads(cache_file(out).read_text(encoding="utf-8"))
        payload = data["payload"]
        if data.get("checksum") != _checksum(payload) or payload.get("version") != CACHE_VERSION:
            return None
        return payload
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def up_to_date(out: Path, print_: str) -> dict[str, Any] | None:
    """The last build's record if `out` is exactly what a build with this fingerprint made."""
    record = load_record(out)
    if record is None or not print_ or record.get("fingerprint") != print_ or not out.is_dir():
        return None
    return record if output_manifest(out) == record.get("manifest") else None


def save_record(out: Path, print_: str, summary: dict[str, Any]) -> None:
    payload = {"version": CACHE_VERSION, "fingerprint": print_, "manifest": output_manifest(out), "summary": summary}
    path = cache_file(out)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(".tmp")
        temporary.write_text(json.dumps({"checksum": _checksum(payload), "payload": payload}), encoding="utf-8")
        temporary.replace(path)
    except OSError:
        pass  # a cache that cannot be written only makes the next build slower


def build_inputs(content: Path, templates: Path, base_url: str | None, strict: bool, search: bool) -> str:
    """The fingerprint of a build: its files plus the options that change its output."""
    return fingerprint(content, templates, {"base_url": base_url, "strict": strict, "search": search})


def unchanged_build(out: Path, inputs: str) -> dict[str, Any] | None:
    """The summary of the last build if it is still exactly what `inputs` would produce."""
    record = up_to_date(out, inputs)
    return None if record is None else record["summary"]


def summary_of(pages: dict[str, int], files: int, warnings: list[Problem]) -> dict[str, Any]:
    return {"pages": pages, "files": files,
            "warnings": [{"position": [w.position.file, w.position.line, w.position.column],
                          "message": w.message, "hint": w.hint} for w in warnings]}


def warnings_of(summary: dict[str, Any]) -> list[Problem]:
    return [Problem(Position(*w["position"]), w["message"], w["hint"], "warning") for w in summary["warnings"]]
