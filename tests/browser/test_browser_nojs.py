"""The timeline works without JavaScript: its events are links to their own pages."""
from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

import pytest

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_timeline_without_javascript(nojs_page, pages, lang):
    page = nojs_page
    timeline = pages.index_path("timeline", lang)
    section = pages.entry_section("event", lang)
    pages.goto(page, timeline)
    assert page.locator("h1").first.is_visible(), f"{timeline}: no visible <h1> without JavaScript"

    entry = re.compile("^" + re.escape(section) + r"[^/]+/(index\.html)?$")
    event_link = None
    for link in page.locator("a[href]").all():
        href = link.get_attribute("href")
        if entry.match(urlsplit(urljoin(page.url, href)).path) and link.is_visible():
            event_link = link
            break
    assert event_link is not None, f"{timeline}: no visible link to an event page ({section}<id>/) without JavaScript"

    expected = urlsplit(urljoin(page.url, event_link.get_attribute("href"))).path
    with page.expect_navigation(wait_until="load") as navigation:
        event_link.click()
    response = navigation.value
    assert response is not None and response.status == 200, f"event link {expected} -> {page.url}"
    assert urlsplit(page.url).path == expected
    heading = page.locator("h1").first
    assert heading.is_visible() and heading.inner_text().strip(), f"{expected}: no visible <h1> without JavaScript"
