"""Budgets over the real built site (not timed): page weight, requests to other
hosts, render-blocking scripts."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from html_tools import html_pages, parse_page, resolve

ROOT = Path(__file__).parent.parent
# bytes: the HTML page plus the CSS and JS it loads (search excluded). 120 kB since the
# pictures (timeline overview, locator map) are inline SVG: their weight is in the page, but
# they cost no request and show without JavaScript (Lighthouse performance stays >= 95).
LIMIT = 120_000


@pytest.fixture(scope="module")
def real_site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("budget") / "build"
    result = subprocess.run([sys.executable, "-m", "site_builder", "build", "--content", ROOT / "content",
                             "--out", out, "--templates", ROOT / "templates", "--quiet"],
                            capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    return out


def _assets(root: Path, page: Path) -> list[Path]:
    info = parse_page(page)
    found = []
    for href, attrs in info.links:
        # (a script without src is JSON-LD data in the page, already counted)
        if (attrs["tag"] == "link" and attrs.get("rel") == "stylesheet") or (attrs["tag"] == "script" and href):
            if "pagefind" in href:
                continue  # search is loaded on demand and excluded from the budget
            target = resolve(root, page, href)
            if target:
                found.append(target[0])
    return found


def test_every_page_with_its_css_and_js_is_under_budget(real_site):
    over = []
    for page in html_pages(real_site):
        if "pagefind" in page.parts:
            continue
        total = page.stat().st_size + sum(asset.stat().st_size for asset in _assets(real_site, page))
        if total >= LIMIT:
            over.append(f"{page.relative_to(real_site)}: {total:,} bytes")
    assert not over, "\n".join(over)


def test_no_request_to_any_other_host(real_site):
    offenders = []
    for page in html_pages(real_site):
        html = page.read_text()
        # Anything the browser fetches by itself: src=, stylesheet/icon/preload links, CSS url().
        for match in re.finditer(r'<(script|img|iframe|source|video|audio|link)\b[^>]*>', html):
            tag = match.group(0)
            if tag.startswith("<link") and re.search(r'rel="(canonical|alternate)"', tag):
                continue  # not fetched
            if re.search(r'(src|href)="(https?:)?//', tag):
                offenders.append(f"{page.relative_to(real_site)}: {tag}")
    for css in real_site.rglob("*.css"):
        if re.search(r"url\(\s*['\"]?(https?:)?//", css.read_text()) or "@import" in css.read_text():
            offenders.append(str(css.relative_to(real_site)))
    assert not offenders, "\n".join(offenders[:20])


def test_no_render_blocking_script(real_site):
    blocking = []
    for page in html_pages(real_site):
        if "pagefind" in page.parts:
            continue
        for tag in re.findall(r"<script\b[^>]*>", page.read_text()):
            # a data block (JSON-LD) is never run, so never blocks
            if not re.search(r"\b(defer|async)\b|type=\"(module|application/ld\+json)\"", tag):
                blocking.append(f"{page.relative_to(real_site)}: {tag}")
    assert not blocking, "\n".join(blocking[:20])
