"""The language switch leads to the exact counterpart page, and back."""
from __future__ import annotations

from urllib.parse import urljoin, urlsplit

import pytest

pytestmark = pytest.mark.browser

# The root page chooses a language: it has no counterpart.
EXCLUDE_PAGE_TYPES = ("root",)


def _norm(path: str) -> str:
    """'/fr/chronologie/index.html' and '/fr/chronologie/' are the same page."""
    return path[: -len("index.html")] if path.endswith("/index.html") else path


def _last_segment(path: str) -> str:
    return _norm(path).rstrip("/").rsplit("/", 1)[-1]


def test_lang_switch_lands_on_counterpart(desktop_page, pages, page_type, lang):
    page = desktop_page
    other = pages.other[lang]
    start = pages.path(page_type, lang)
    pages.goto(page, start)
    assert pages.primary_lang(page.locator("html").get_attribute("lang")) == lang, (
        f"{start}: <html lang> is {page.locator('html').get_attribute('lang')!r}, expected {lang!r}")

    switch = page.locator("a.lang-switch")
    assert switch.count() >= 1, f"{start}: no a.lang-switch link"
    with page.expect_navigation(wait_until="load") as navigation:
        switch.first.click()
    response = navigation.value
    landed = _norm(urlsplit(page.url).path)
    assert response is not None and response.status == 200, (
        f"{start}: language switch led to {page.url} (HTTP {response.status if response else 'none'})")

    html_lang = page.locator("html").get_attribute("lang")
    assert pages.primary_lang(html_lang) == other, (
        f"{start}: language switch led to {landed}, whose <html lang> is {html_lang!r}, expected {other!r}")

    expected = pages.index_path(page_type, other)
    if expected is not None:
        assert landed == expected, f"{start}: language switch led to {landed}, expected {expected}"
    else:
        section = pages.entry_section(page_type, other)
        assert landed.startswith(section) and _last_segment(landed) == _last_segment(start), (
            f"{start}: language switch led to {landed}, expected {section}{_last_segment(start)}/")

    back = page.locator("a.lang-switch")
    assert back.count() >= 1, f"{landed}: no a.lang-switch link"
    back_href = back.first.get_attribute("href")
    back_path = _norm(urlsplit(urljoin(page.url, back_href)).path)
    assert back_path == _norm(start), (
        f"{landed}: a.lang-switch points to {back_href!r} ({back_path}), expected the page we came from, {start}")
