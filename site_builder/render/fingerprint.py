"""Asset names that change with their content, and the `_headers` file for hosts.

Every asset (stylesheet, scripts, icons) is also written under a name that carries a
hash of its bytes, in `assets/v/` (`assets/v/style.3f2a9c1b0d.css`), and pages link to
that name. A browser may then keep it for a year: a changed file is a new name. The
plain names stay too (`assets/style.css`), for anything that links to them from
outside, and for HTML a browser may still hold from before a deploy.

`_headers` (read by Netlify and Cloudflare Pages; other hosts: see the README) gives
fingerprinted assets a year's `immutable` cache and HTML, feeds and share pictures a
cache that revalidates on every visit, so a new deploy shows at once. The long-cache
rule matches only the `v/` folder, because those hosts merge the headers of every
rule that matches a path.
"""
from __future__ import annotations

import hashlib
from posixpath import splitext
from urllib.parse import urlparse

FOLDER = "assets/v/"
HEADERS_FILE = "_headers"
LONG = "public, max-age=31536000, immutable"
SHORT = "public, max-age=0, must-revalidate"


def fingerprinted(assets: dict[str, bytes]) -> dict[str, str]:
    """{'assets/style.css': 'assets/v/style.3f2a9c1b0d.css', ...} for every asset."""
    names = {}
    for path, data in assets.items():
        stem, suffix = splitext(path.removeprefix("assets/"))
        names[path] = f"{FOLDER}{stem}.{hashlib.sha256(data).hexdigest()[:10]}{suffix}"
    return names


def headers_file(base_url: str, languages: tuple[str, ...]) -> bytes:
    root = urlparse(base_url).path.rstrip("/")
    rules = [(f"{root}/{FOLDER}*", LONG)]
    rules += [(f"{root}/{path}", SHORT) for path in ["", "index.html", "404.html", "e/*", "sitemap.xml"]
              + [f"{lang}/*" for lang in languages]]
    lines = ["# Cache rules for Netlify and Cloudflare Pages (written by site-builder: see fingerprint.py)."]
    for path, value in rules:
        lines += [path or "/", f"  Cache-Control: {value}"]
    return ("\n".join(lines) + "\n").encode("utf-8")
