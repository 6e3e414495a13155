"""On a 375x740 phone, no page scrolls sideways."""
from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

PHONE_WIDTH = 375

MEASURE = """() => {
  // The layout viewport's width (the phone's, given a device-width meta viewport), not
  // innerWidth, which grows when mobile Chrome zooms out to fit an overflowing page.
  const vw = document.documentElement.clientWidth;
  const overflowing = [];
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) continue;
    if (r.right > vw + 0.5 || r.left < -0.5) {
      let name = el.tagName.toLowerCase();
      if (el.id) name += '#' + el.id;
      if (typeof el.className === 'string' && el.className.trim())
        name += '.' + el.className.trim().split(/\\s+/).join('.');
      overflowing.push(`${name} (left ${Math.round(r.left)}, right ${Math.round(r.right)}, width ${Math.round(r.width)})`);
    }
  }
  return {
    innerWidth: window.innerWidth,
    clientWidth: document.documentElement.clientWidth,
    scrollWidth: document.documentElement.scrollWidth,
    overflowing: overflowing.slice(0, 20),
    overflowingCount: overflowing.length,
  };
}"""


def test_no_horizontal_scroll_on_phone(phone_page, pages, page_type, lang):
    path = pages.path(page_type, lang)
    pages.goto(phone_page, path)
    m = phone_page.evaluate(MEASURE)
    detail = (f"{path} at {PHONE_WIDTH}px: innerWidth={m['innerWidth']}, clientWidth={m['clientWidth']}, "
              f"scrollWidth={m['scrollWidth']}; {m['overflowingCount']} element(s) past the screen edge"
              + "".join(f"\n    {e}" for e in m["overflowing"]))
    # Without <meta name="viewport" content="width=device-width"> a phone lays the page out
    # 980px wide and shrinks it: the scroll check below would then mean nothing.
    assert m["clientWidth"] == PHONE_WIDTH, f"layout viewport is not the phone's width (meta viewport?): {detail}"
    # A page wider than the screen makes mobile Chrome zoom out, which widens innerWidth.
    assert m["innerWidth"] == PHONE_WIDTH, f"page zoomed out to fit content wider than the phone: {detail}"
    assert m["scrollWidth"] <= m["innerWidth"], f"horizontal scroll: {detail}"
