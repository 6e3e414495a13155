"""Lighthouse 12 (npm `lighthouse`, Debian's Chromium, mobile emulation with its simulated
slow 4G and CPU) on the page types readers land on, in both languages: accessibility 100,
SEO 100, performance >= 95, cumulative layout shift <= 0.02, best practices 100.

The site is served by the test server (no compression, no cache headers): Lighthouse's
compression and cache-lifetime audits judge the host, not the site, and are not in
these categories' scores. A failure lists every failing audit of the report.

Best practices: the favicon is another change's work; until the site has one, a console
error for /favicon.ico alone is tolerated (and only that).
"""
from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest

from .conftest import CHROMIUM, CHROMIUM_ARGS, NEUTRAL_PATHS, PAGE_TYPES as ALL_PAGE_TYPES, ROOT

pytestmark = pytest.mark.browser

LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
PAGE_TYPES = ("home", "timeline", "event", "equipment", "actor", "source")
# conftest runs a test taking page_type and lang on every page type, in both languages: these only
EXCLUDE_PAGE_TYPES = tuple(t for t in (*NEUTRAL_PATHS, *ALL_PAGE_TYPES) if t not in PAGE_TYPES)
MINIMUM = {"accessibility": 1.0, "seo": 1.0, "performance": 0.95, "best-practices": 1.0}
MAX_CLS = 0.02
REPORTS = ROOT / "test-artifacts" / "lighthouse"


def _run(url: str, out: Path) -> dict:
    if not LIGHTHOUSE.exists():
        pytest.fail(f"{LIGHTHOUSE} is missing: run `make test` (npm ci installs lighthouse)")
    env = dict(os.environ, CHROME_PATH=str(CHROMIUM))
    cmd = [str(LIGHTHOUSE), url, "--quiet", "--output=json", f"--output-path={out}",
           "--only-categories=performance,accessibility,best-practices,seo",
           "--chrome-flags=" + " ".join(CHROMIUM_ARGS)]
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0 and out.exists(), f"lighthouse failed on {url}: {proc.stderr[-2000:]}"
    return json.loads(out.read_text())


def _favicon_only(audit: dict) -> bool:
    items = (audit.get("details") or {}).get("items") or []
    return bool(items) and all(urlsplit((item.get("sourceLocation") or {}).get("url", "")).path == "/favicon.ico"
                               for item in items)


def _failing(report: dict, site: Path) -> list[str]:
    failing = []
    for category in report["categories"].values():
        for ref in category["auditRefs"]:
            audit = report["audits"][ref["id"]]
            if audit["score"] is None or audit["score"] >= 1 or ref.get("weight", 0) == 0:
                continue
            if audit["id"] == "errors-in-console" and not (site / "favicon.ico").exists() and _favicon_only(audit):
                continue
            failing.append(f"{category['id']}: {audit['id']} ({audit['score']}"
                           f"{', ' + audit['displayValue'] if audit.get('displayValue') else ''}): {audit['title']}")
    return failing


def test_lighthouse(pages, base_url, built_site, page_type, lang):
    url = urljoin(base_url, pages.path(page_type, lang))
    REPORTS.mkdir(parents=True, exist_ok=True)  # kept for people to read (git-ignored)
    report = _run(url, REPORTS / f"{page_type}-{lang}.json")
    scores = {name: category["score"] for name, category in report["categories"].items()}
    cls = report["audits"]["cumulative-layout-shift"]["numericValue"]
    failing = _failing(report, built_site)
    problems = [f"{name} {scores[name]} < {minimum}" for name, minimum in MINIMUM.items()
                if scores[name] < minimum and not (name == "best-practices" and not any(
                    line.startswith("best-practices") for line in failing))]
    if cls > MAX_CLS:
        problems.append(f"cumulative layout shift {cls:.3f} > {MAX_CLS}")
    assert not problems, f"{url}: {'; '.join(problems)}\nfailing audits:\n  " + "\n  ".join(failing)
