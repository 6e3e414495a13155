"""Screenshots of every page type, desktop and phone, for people to look at.

Written to test-artifacts/screenshots/ (git-ignored); nothing is asserted on them.
"""
from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def _shoot(page, pages, page_type, lang, device):
    pages.goto(page, pages.path(page_type, lang))
    pages.screenshots.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(pages.screenshots / f"{page_type}-{lang or 'neutral'}-{device}.png"), full_page=True)


def test_screenshot_desktop(desktop_page, pages, page_type, lang):
    _shoot(desktop_page, pages, page_type, lang, "desktop")


def test_screenshot_phone(phone_page, pages, page_type, lang):
    _shoot(phone_page, pages, page_type, lang, "phone")
