"""No page logs an error or fails a request in Chromium: not the favicon (browsers ask
for /favicon.ico unless a page names its icon), not the manifest, not an asset."""
from __future__ import annotations

from urllib.parse import urljoin

import pytest

pytestmark = pytest.mark.browser

# What a page names for browsers to fetch by themselves (a browser may fetch them later, or
# never in a headless run): each is fetched here, and must answer 200.
HEAD_LINKS = """() => [...document.querySelectorAll(
  'link[rel~="icon"], link[rel="apple-touch-icon"], link[rel="manifest"], link[rel="stylesheet"], ' +
  'link[type="application/atom+xml"], meta[property="og:image"]')].map(e => e.href || e.content).filter(Boolean)"""


def _watch(page):
    problems: list[str] = []
    page.on("console", lambda message: message.type == "error" and problems.append(f"console: {message.text}"))
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    page.on("requestfailed", lambda request: problems.append(f"failed: {request.url} ({request.failure})"))
    page.on("response", lambda response: response.status >= 400 and problems.append(
        f"HTTP {response.status}: {response.url}"))
    return problems


def _check(page, pages, base_url, path):
    problems = _watch(page)
    pages.goto(page, path)
    page.wait_for_load_state("networkidle")
    for url in page.evaluate(HEAD_LINKS):
        response = page.request.get(url)
        if response.status != 200:
            problems.append(f"HTTP {response.status}: {url} (named by the page)")
    favicon = page.request.get(urljoin(base_url, "/favicon.ico"))
    if favicon.status != 200:
        problems.append(f"HTTP {favicon.status}: /favicon.ico")
    assert not problems, f"{path}:\n" + "\n".join(problems)


def test_no_console_error_nor_failed_request(desktop_page, pages, base_url, page_type, lang):
    _check(desktop_page, pages, base_url, pages.path(page_type, lang))


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_print_views_and_short_links_load_cleanly(desktop_page, pages, base_url, lang):
    event = pages.path("event", lang)
    _check(desktop_page, pages, base_url, event + ("bilingue/" if lang == "fr" else "bilingual/"))
    feed = desktop_page.request.get(urljoin(base_url, f"/{lang}/atom.xml"))
    assert feed.status == 200 and feed.headers["content-type"] in ("application/atom+xml", "application/xml", "text/xml")
