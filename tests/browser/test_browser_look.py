"""What readers see and touch: no console error or failed request on any page; the
compact phone header; tables that show they scroll; pictures that link where they say
and whose text stays legible on a phone; the timeline's filters kept across languages."""
from __future__ import annotations

import re
from urllib.parse import parse_qs, urljoin, urlsplit

import pytest

from .conftest import PHONE

pytestmark = pytest.mark.browser


def test_no_console_error_or_failed_request(desktop_page, pages, built_site, page_type, lang):
    page = desktop_page
    problems: list[str] = []
    # The favicon is another change's work: until the site has one, its 404 alone is tolerated.
    no_favicon = not (built_site / "favicon.ico").exists()

    def tolerated(url: str) -> bool:
        return no_favicon and urlsplit(url).path == "/favicon.ico"

    def console(message) -> None:
        if message.type == "error" and not tolerated((message.location or {}).get("url", "")):
            problems.append(f"console error: {message.text} ({(message.location or {}).get('url')})")

    def response(reply) -> None:
        if reply.status >= 400 and not tolerated(reply.url):
            problems.append(f"HTTP {reply.status}: {reply.url}")

    page.on("console", console)
    page.on("pageerror", lambda error: problems.append(f"script error: {error}"))
    page.on("requestfailed", lambda request: tolerated(request.url) or problems.append(
        f"request failed ({request.failure}): {request.url}"))
    page.on("response", response)
    path = pages.path(page_type, lang)
    pages.goto(page, path)
    page.wait_for_timeout(300)  # deferred scripts, favicon request
    assert not problems, f"{path}:\n  " + "\n  ".join(problems)


@pytest.fixture
def phone_nojs_page(browser, base_url):
    context = browser.new_context(base_url=base_url, viewport=PHONE, device_scale_factor=2, is_mobile=True,
                                  has_touch=True, java_script_enabled=False)
    page = context.new_page()
    yield page
    context.close()


@pytest.mark.parametrize("path", ["/fr/chronologie/", "/en/equipment/harop/"])
def test_phone_header_is_compact_and_its_menu_opens_without_javascript(phone_nojs_page, pages, path):
    page = phone_nojs_page
    pages.goto(page, path)
    header = page.locator("header.site-header").bounding_box()
    assert header["height"] <= 110, f"{path}: the header takes {header['height']:.0f} px of a 375 px phone"
    assert page.locator("nav.site-nav-wide").is_hidden()
    menu_links = page.locator(".site-menu nav a")
    assert not menu_links.first.is_visible()
    page.locator(".site-menu summary").click()
    assert menu_links.count() == 8 and menu_links.first.is_visible()
    menu_links.first.click()
    assert urlsplit(page.url).path in ("/fr/chronologie/", "/en/timeline/")


def test_wide_screen_shows_the_navigation_not_the_menu(desktop_page, pages):
    pages.goto(desktop_page, "/en/")
    assert desktop_page.locator("nav.site-nav-wide").is_visible()
    assert desktop_page.locator(".site-menu").is_hidden()


@pytest.mark.parametrize("path", ["/fr/equipements/", "/en/equipment/harop/"])
def test_wide_tables_scroll_inside_a_box_that_shows_it(phone_page, pages, path):
    page = phone_page
    pages.goto(page, path)
    boxes = page.locator(".table-scroll").all()
    overflowing = [box for box in boxes if box.evaluate("e => e.scrollWidth > e.clientWidth + 1")]
    assert overflowing, f"{path}: no table wider than the phone (nothing to test)"
    for box in overflowing:
        # reachable by keyboard, named, and with edge shadows (the sign that it scrolls)
        assert box.get_attribute("tabindex") == "0" and box.get_attribute("role") == "region"
        assert box.get_attribute("aria-label") or box.get_attribute("aria-labelledby")
        assert "radial-gradient" in box.evaluate("e => getComputedStyle(e).backgroundImage")


@pytest.mark.parametrize("path", ["/fr/chronologie/", "/en/equipment/", "/fr/acteurs/", "/en/data/"])
def test_picture_and_chart_text_is_legible_on_a_phone(phone_page, pages, path):
    page = phone_page
    pages.goto(page, path)
    sizes = page.evaluate("""() => Array.from(document.querySelectorAll('svg.picture text, svg.chart text'))
        .filter(t => t.getBoundingClientRect().width > 0)
        .map(t => { const svg = t.ownerSVGElement;
                    const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
                    return parseFloat(getComputedStyle(t).fontSize) * scale; })""")
    assert sizes, f"{path}: no picture or chart"
    assert min(sizes) >= 11.5, f"{path}: text as small as {min(sizes):.1f} px at 375 px"


def test_timeline_overview_columns_lead_to_their_year(desktop_page, pages):
    page = desktop_page
    pages.goto(page, "/en/timeline/")
    links = page.locator("svg.timeline-overview a")
    years = [row.text_content().strip() for row in page.locator(".picture-table tbody th").all()]
    assert links.count() == len(years) > 10
    links.nth(3).click()
    assert urlsplit(page.url).fragment == f"y{years[3]}"


def test_heat_map_cells_and_map_countries_lead_to_pages_that_exist(desktop_page, pages):
    page = desktop_page
    pages.goto(page, "/en/equipment/")
    for href in page.locator("svg.heat-map a").evaluate_all("els => els.map(e => e.getAttribute('href'))"):
        assert page.locator(href).count() == 1, f"heat map cell to a missing {href}"
    pages.goto(page, "/fr/acteurs/")
    hrefs = page.locator("svg.locator-map a").evaluate_all("els => els.map(e => e.getAttribute('href'))")
    assert any(h.endswith("azerbaijan/") for h in hrefs) and any(h.endswith("israel/") for h in hrefs)
    for href in set(hrefs):
        response = page.request.get(urljoin(page.url, href))
        assert response.status == 200, href


def test_phone_timeline_is_shorter(phone_page, pages):
    pages.goto(phone_page, "/en/timeline/")
    height = phone_page.evaluate("document.documentElement.scrollHeight")
    assert height < 21000, f"the timeline is {height} px tall on a phone"


@pytest.mark.parametrize("path, other", [("/fr/chronologie/", "/en/timeline/"), ("/en/timeline/", "/fr/chronologie/")])
def test_language_switch_keeps_the_timeline_filters(desktop_page, pages, path, other):
    page = desktop_page
    pages.goto(page, path)
    page.select_option("select[name=theme]", "drones")
    page.select_option("select[name=kind]", "order")
    page.locator("a.lang-switch").click()
    page.wait_for_load_state("load")
    assert urlsplit(page.url).path == other
    assert parse_qs(urlsplit(page.url).query) == {"theme": ["drones"], "kind": ["order"]}
    assert page.locator("select[name=theme]").input_value() == "drones"


def test_filters_have_a_submit_button_and_take_their_place_from_the_start(desktop_page, pages):
    page = desktop_page
    pages.goto(page, "/en/timeline/")
    assert page.locator("form[data-timeline-filters] button[type=submit]").count() == 1
    html = page.request.get(page.url).text()  # as served, before any script ran
    assert re.search(r'<form class="timeline-filters" data-timeline-filters>', html), "the form is hidden until scripts run"


def test_without_javascript_the_filters_are_not_shown(nojs_page, pages):
    pages.goto(nojs_page, "/fr/chronologie/")
    assert nojs_page.locator("form[data-timeline-filters]").is_hidden()
