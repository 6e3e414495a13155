"""JavaScript enhancements, driven in Chromium: footnote previews, timeline
filters reflected in the URL, sortable tables, and print media."""
from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest

pytestmark = pytest.mark.browser

EVENT_WITH_NOTES = {"fr": "/fr/chronologie/2020-10-armenia-recalls-ambassador/",
                    "en": "/en/timeline/2020-10-armenia-recalls-ambassador/"}


def _first_call(page):
    call = page.locator("sup.fn-call a").first
    call.wait_for()
    return call


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_footnote_preview_on_hover_focus_and_escape(desktop_page, lang):
    page = desktop_page
    page.goto(f"/{lang}/equipements/harop/" if lang == "fr" else "/en/equipment/harop/")
    call = _first_call(page)
    preview = page.locator("#fn-preview")
    note_id = call.get_attribute("href").lstrip("#")
    note_text = page.locator(f"li#{note_id}").inner_text().replace("↩", "").strip()[:40]

    call.hover()
    expect_visible(preview)
    assert note_text[:20] in preview.inner_text()
    assert call.get_attribute("aria-describedby") == "fn-preview"
    assert page.evaluate("document.getElementById('fn-preview').getAttribute('role')") == "tooltip"

    page.mouse.move(0, 0)
    page.wait_for_timeout(400)
    assert preview.is_hidden()

    call.focus()
    expect_visible(preview)
    page.keyboard.press("Escape")
    assert preview.is_hidden()
    assert call.get_attribute("aria-describedby") is None
    label = "Note" if lang == "en" else "Note"
    call.hover()
    assert preview.locator(".fn-preview-label").inner_text().startswith(label)


def test_footnote_preview_on_tap(phone_page):
    page = phone_page
    page.goto("/fr/equipements/harop/")
    call = _first_call(page)
    call.tap()
    expect_visible(page.locator("#fn-preview"))
    assert urlsplit(page.url).fragment == ""  # the first tap shows the note instead of jumping


def test_footnote_calls_jump_to_notes_without_javascript(nojs_page):
    page = nojs_page
    page.goto("/en/equipment/harop/")
    call = page.locator("sup.fn-call a").first
    target = call.get_attribute("href")
    call.click()
    assert urlsplit(page.url).fragment == target.lstrip("#")
    assert page.locator(target).is_visible()


def expect_visible(locator):
    locator.wait_for(state="visible", timeout=3000)


@pytest.mark.parametrize("lang, path", [("fr", "/fr/chronologie/"), ("en", "/en/timeline/")])
def test_timeline_filters_change_items_and_url(desktop_page, lang, path):
    page = desktop_page
    page.goto(path)
    items = page.locator("li[data-kind]")
    total = items.count()
    assert total > 0 and page.locator("form[data-timeline-filters]").is_visible()

    page.select_option("select[name=theme]", "drones")
    # an event's card also stays as the context of the orders listed in it that match
    visible = page.locator("li[data-kind]:visible:not(.filter-context)")
    shown = visible.count()
    assert 0 < shown < total
    for index in range(shown):
        assert "drones" in visible.nth(index).get_attribute("data-themes").split()
    for context in page.locator("li.filter-context:visible").all():
        assert context.locator("li[data-kind]:visible").count() > 0
    assert parse_qs(urlsplit(page.url).query) == {"theme": ["drones"]}
    assert re.search(rf"\b{shown}\b", page.locator("[data-filter-status]").inner_text())

    page.select_option("select[name=kind]", "order")
    matching = page.locator("li[data-kind]:visible:not(.filter-context)")
    assert matching.count() > 0
    assert all(kind == "order" for kind in matching.evaluate_all("els => els.map(e => e.dataset.kind)"))
    assert parse_qs(urlsplit(page.url).query) == {"theme": ["drones"], "kind": ["order"]}

    # A filtered view can be linked: loading the URL applies the filter.
    page.goto(path + "?actor=iai")
    visible = page.locator("li[data-kind]:visible:not(.filter-context)")
    assert visible.count() > 0
    assert all("iai" in visible.nth(i).get_attribute("data-actors").split() for i in range(visible.count()))
    assert page.locator("select[name=actor]").input_value() == "iai"


def test_arms_orders_are_on_the_timeline(desktop_page):
    page = desktop_page
    page.goto("/en/timeline/")
    orders = page.locator("li[data-kind=order]")
    assert orders.count() == 29
    first = orders.first.locator("a").first
    href = first.get_attribute("href")
    first.click()
    assert urlsplit(page.url).fragment == href.split("#")[1]
    assert page.locator("#" + href.split("#")[1]).is_visible()


@pytest.mark.parametrize("path", ["/fr/equipements/", "/en/equipment/"])
def test_equipment_table_sorts(desktop_page, path):
    page = desktop_page
    page.goto(path)
    table = page.locator("table.equipment-table")
    quantity_header = table.locator("thead th").nth(3)
    quantity_header.locator("button").click()
    assert quantity_header.get_attribute("aria-sort") == "ascending"
    values = [float(v or 0) for v in table.locator("tbody td.num").evaluate_all("els => els.map(e => e.dataset.sort)")]
    assert values == sorted(values)
    quantity_header.locator("button").click()
    assert quantity_header.get_attribute("aria-sort") == "descending"
    values = [float(v or 0) for v in table.locator("tbody td.num").evaluate_all("els => els.map(e => e.dataset.sort)")]
    assert values == sorted(values, reverse=True)

    name_header = table.locator("thead th").first
    name_header.locator("button").click()
    names = table.locator("tbody th[scope=row]").all_inner_texts()
    assert names[0].lower() <= names[-1].lower()


def test_print_media_hides_navigation_and_shows_notes(desktop_page):
    page = desktop_page
    page.goto("/fr/equipements/harop/")
    page.emulate_media(media="print")
    assert page.locator("nav.site-nav-wide").is_hidden()
    assert page.locator(".site-menu").is_hidden()
    assert page.locator(".lang-switch").is_hidden()
    assert page.locator("section.footnotes").is_visible()
