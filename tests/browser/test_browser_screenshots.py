"""Screenshots of every page type, desktop and phone, for people to look at, each one
checked for what a reader would see wrong in it.

Written to test-artifacts/screenshots/ (git-ignored) before the checks, so that a failing
shot can be opened. Each shot asserts that, while the page loaded, nothing was logged as an
error and no request failed; that the page does not scroll sideways; and that its main
heading (the <h1> in <main>) is shown, with text, in the first screen.
"""
from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

MEASURE = """() => {
  const h1 = [...document.querySelectorAll('main h1')];
  const box = h1.length ? h1[0].getBoundingClientRect() : null;
  return {
    innerWidth: window.innerWidth,
    scrollWidth: document.scrollingElement.scrollWidth,
    headings: h1.length,
    heading: h1.length ? h1[0].innerText.trim() : '',
    box: box && {top: box.top + window.scrollY, left: box.left, right: box.right, height: box.height},
  };
}"""


def _watch(page) -> list[str]:
    """Problems seen from now on: console errors, uncaught exceptions, failed requests, HTTP errors."""
    problems: list[str] = []
    page.on("console", lambda message: message.type == "error" and problems.append(f"console error: {message.text}"))
    page.on("pageerror", lambda error: problems.append(f"uncaught exception: {error}"))
    page.on("requestfailed", lambda request: problems.append(f"request failed: {request.url} ({request.failure})"))
    page.on("response", lambda response: response.status >= 400 and problems.append(
        f"HTTP {response.status}: {response.url}"))
    return problems


def _shoot(page, pages, page_type, lang, device):
    path = pages.path(page_type, lang)
    problems = _watch(page)
    pages.goto(page, path)
    page.wait_for_load_state("networkidle")  # late requests (search index, scripts' fetches) count too
    pages.screenshots.mkdir(parents=True, exist_ok=True)
    shot = pages.screenshots / f"{page_type}-{lang or 'neutral'}-{device}.png"
    page.screenshot(path=str(shot), full_page=True)

    where = f"{path} ({device}, see {shot.name})"
    assert not problems, f"{where}: while loading:\n" + "\n".join(problems)
    m = page.evaluate(MEASURE)
    width, height = page.viewport_size["width"], page.viewport_size["height"]
    # A phone zooms out to fit a page wider than its screen, which widens innerWidth:
    # compare with the device's width as well.
    assert m["innerWidth"] == width and m["scrollWidth"] <= m["innerWidth"], (
        f"{where}: scrolls sideways: scrollWidth {m['scrollWidth']}px, innerWidth {m['innerWidth']}px, "
        f"screen {width}px")
    assert m["headings"] == 1, f"{where}: {m['headings']} <h1> in <main>, expected one"
    heading = page.locator("main h1").first
    assert heading.is_visible() and m["heading"], f"{where}: the main heading is hidden or empty"
    box = m["box"]
    assert box["top"] < height and box["left"] >= 0 and box["right"] <= width, (
        f"{where}: the main heading '{m['heading']}' is not in the first screen ({width}x{height}): {box}")


def test_screenshot_desktop(desktop_page, pages, page_type, lang):
    _shoot(desktop_page, pages, page_type, lang, "desktop")


def test_screenshot_phone(phone_page, pages, page_type, lang):
    _shoot(phone_page, pages, page_type, lang, "phone")
