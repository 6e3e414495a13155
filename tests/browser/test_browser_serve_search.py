"""Search in `serve`'s preview: the page reloads after an edit before the index is made;
the search page says the index may lag (in the preview only), and once the background
index is ready it finds the edit."""
from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests"))

from test_serve import serving  # noqa: E402 - the serve subprocess of the non-browser tests


def test_preview_search_says_it_may_lag_and_catches_up(browser, tmp_path):
    shutil.copytree(ROOT / "tests" / "fixtures" / "minimal", tmp_path / "content")
    event = tmp_path / "content" / "timeline" / "2008-example-agreement.yaml"
    with serving(tmp_path, ROOT / "templates") as server:
        context = browser.new_context(base_url=server.url(""))
        context.set_default_timeout(30_000)
        page = context.new_page()
        try:
            page.goto("/en/search/")
            note = page.locator("[data-preview-only]")
            note.wait_for(state="visible")
            assert "rebuilt in the background" in note.inner_text()
            event.write_text(event.read_text(encoding="utf-8").replace("First example agreement",
                                                                       "Quetzalcoatl agreement"), encoding="utf-8")
            page.wait_for_event("load")  # the live reload, after the build
            box = page.locator(".pagefind-ui__search-input")
            found = False
            for _attempt in range(40):  # the index follows within seconds
                page.goto("/en/search/")
                box.wait_for(state="visible")
                box.fill("Quetzalcoatl")
                page.wait_for_function(
                    """() => { const m = document.querySelector('.pagefind-ui__message');
                               return m && m.textContent.includes('Quetzalcoatl')
                                 && !/Searching/.test(m.textContent); }""")  # 'No results for …' has no count
                if page.locator(".pagefind-ui__result-link").count():
                    found = True
                    break
                page.wait_for_timeout(500)
            assert found, "the background index never found the edit"
            assert "/en/timeline/2008-example-agreement/" in page.locator(".pagefind-ui__result-link").first.get_attribute("href")
        finally:
            context.close()
        assert server.interrupt() == 0
