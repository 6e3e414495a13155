"""Lasting links and print views, in Chromium: former addresses redirect (keeping the
paragraph fragment), short links open the reader's language, the new pages pass axe
(WCAG A/AA) and the Nu HTML checker, and print shows what paper needs."""
from __future__ import annotations

import functools
import json
import shutil
import subprocess
import sys
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from .test_browser_axe import RUN_AXE, WCAG_TAGS, _describe

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "tests" / "fixtures" / "minimal"
VNU_JAR = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - stdlib signature
        pass


@pytest.fixture(scope="module")
def alias_site(tmp_path_factory):
    """The fixture site with example-radar renamed example-sensor (alias: example-radar),
    built with the CLI and served on 127.0.0.1. Yields (base URL, build folder)."""
    work = tmp_path_factory.mktemp("alias-site")
    shutil.copytree(FIXTURE, work / "content")
    old = work / "content" / "equipment" / "example-radar.yaml"
    (old.parent / "example-sensor.yaml").write_text(
        old.read_text().replace("id: example-radar\n", "id: example-sensor\naliases: [example-radar]\n", 1))
    old.unlink()
    out = work / "build"
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(out)))
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    proc = subprocess.run([sys.executable, "-m", "site_builder", "build", "--content", "content", "--out", "build",
                           "--templates", str(ROOT / "templates"), "--no-search", "--base-url", base],
                          cwd=work, capture_output=True, text=True, timeout=600)
    if proc.returncode != 0:
        pytest.fail(f"fixture build failed:\n{proc.stderr}")
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield base, out
    finally:
        server.shutdown()
        server.server_close()


def _context(browser, base_url, **kwargs):
    context = browser.new_context(base_url=base_url, viewport={"width": 1280, "height": 800}, **kwargs)
    context.set_default_timeout(15_000)
    return context


# -- former addresses ------------------------------------------------------------------

@pytest.mark.parametrize("lang, old, new", [
    ("fr", "/fr/equipements/example-radar/", "/fr/equipements/example-sensor/"),
    ("en", "/en/equipment/example-radar/", "/en/equipment/example-sensor/"),
])
def test_former_address_redirects_and_keeps_the_paragraph(browser, alias_site, lang, old, new):
    base, _ = alias_site
    context = _context(browser, base)
    page = context.new_page()
    page.goto(old + "#summary-1")
    page.wait_for_url(f"**{new}#summary-1")
    assert page.locator("#summary-1").is_visible()
    assert page.locator("html").get_attribute("lang") == lang
    context.close()


def test_former_address_redirects_without_javascript(browser, alias_site):
    base, _ = alias_site
    context = _context(browser, base, java_script_enabled=False)
    page = context.new_page()
    page.goto("/fr/equipements/example-radar/")
    page.wait_for_url("**/fr/equipements/example-sensor/")
    assert page.locator("h1").first.inner_text() == "Radar d’exemple"
    context.close()


# -- short links -------------------------------------------------------------------------

@pytest.mark.parametrize("locale, expected", [("fr-FR", "/fr/acteurs/testland/"), ("en-GB", "/en/actors/testland/"),
                                              ("de-DE", None)])
def test_short_link_opens_the_readers_language(browser, alias_site, locale, expected):
    base, _ = alias_site
    context = _context(browser, base, locale=locale)
    page = context.new_page()
    page.goto("/e/actor/testland/")
    if expected:
        page.wait_for_url(f"**{expected}")
        assert urlsplit(page.url).path == expected
    else:  # neither French nor English preferred: the reader chooses
        page.wait_for_load_state("load")
        assert urlsplit(page.url).path == "/e/actor/testland/"
        assert page.get_by_role("link", name="Lire en français").is_visible()
        assert page.get_by_role("link", name="Read in English").is_visible()
    context.close()


def test_short_link_without_javascript_shows_both_languages(browser, alias_site):
    base, _ = alias_site
    context = _context(browser, base, java_script_enabled=False, locale="fr-FR")
    page = context.new_page()
    page.goto("/e/equipment/example-radar/")  # a former id's short link works too
    page.wait_for_timeout(1500)  # nothing moves on by itself
    assert urlsplit(page.url).path == "/e/equipment/example-radar/"
    french = page.get_by_role("link", name="Lire en français")
    assert french.is_visible() and page.get_by_role("link", name="Read in English").is_visible()
    with page.expect_navigation():
        french.click()
    assert urlsplit(page.url).path == "/fr/equipements/example-sensor/"
    context.close()


# -- accessibility and validity of the new pages -------------------------------------------

def _axe(page, pages_or_path, label):
    page.add_script_tag(path=str(pages_or_path))
    violations = page.evaluate(RUN_AXE, WCAG_TAGS)
    if violations:
        pytest.fail(f"{label}: {len(violations)} axe violation(s):\n" + _describe(violations), pytrace=False)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_bilingual_page_and_open_citation_pass_axe(browser, base_url, pages, lang):
    context = _context(browser, base_url, bypass_csp=True)
    page = context.new_page()
    entry = pages.path("event", lang)
    pages.goto(page, entry)
    page.locator("details.cite-page summary").click()
    assert page.locator("pre.bibtex").is_visible()
    _axe(page, pages.axe_js, f"{entry} with 'cite this page' open")
    link = page.locator(".print-version a")
    with page.expect_navigation():
        link.click()
    assert page.locator('.bilingual-column[lang="fr"]').is_visible()
    assert page.locator('.bilingual-column[lang="en"]').is_visible()
    _axe(page, pages.axe_js, page.url)
    context.close()


def test_redirect_and_short_link_pages_pass_axe(browser, alias_site, pages):
    base, _ = alias_site
    # de-DE: the short link stays; redirect.js blocked: the former address stays too
    context = _context(browser, base, bypass_csp=True, locale="de-DE")
    page = context.new_page()
    page.route("**/redirect*.js", lambda route: route.abort())  # (fingerprinted: redirect.<hash>.js)
    for path in ("/e/event/2021-03-15-example-contract/", "/fr/equipements/example-radar/", "/en/equipment/example-radar/"):
        page.goto(path)
        assert urlsplit(page.url).path == path
        _axe(page, pages.axe_js, path)
    context.close()


def test_new_pages_are_valid_html(alias_site):
    _, out = alias_site
    java = shutil.which("java")
    if java is None or not VNU_JAR.exists():
        pytest.fail("java and node_modules/vnu-jar are needed (run `make test`)")
    targets = [out / "fr" / "equipements" / "example-radar" / "index.html",
               out / "en" / "equipment" / "example-radar" / "index.html",
               out / "e" / "equipment" / "example-radar" / "index.html",
               out / "fr" / "chronologie" / "2021-03-15-example-contract" / "bilingue" / "index.html",
               out / "en" / "timeline" / "2021-03-15-example-contract" / "bilingual" / "index.html",
               out / "en" / "timeline" / "2021-03-15-example-contract" / "index.html"]
    proc = subprocess.run([java, "-jar", str(VNU_JAR), "--errors-only", "--format", "json", *map(str, targets)],
                          capture_output=True, text=True, timeout=300)
    messages = json.loads(proc.stderr or "{}").get("messages", [])
    assert not messages and proc.returncode == 0, "\n".join(
        f"{m.get('url', '').rsplit('build/', 1)[-1]}:{m.get('lastLine')}: {m.get('message')}" for m in messages)


# -- print -----------------------------------------------------------------------------------

def test_print_shows_the_links_list_and_two_columns(browser, base_url, pages):
    context = _context(browser, base_url)
    page = context.new_page()
    entry = pages.path("event", "en")
    pages.goto(page, entry)
    links = page.locator("section.print-links")
    assert not links.is_visible(), "the list of links is for paper only"
    page.emulate_media(media="print")
    assert links.is_visible()
    assert "This page: " in links.inner_text()
    assert not page.locator("details.cite-page").is_visible()
    page.emulate_media(media="screen")
    with page.expect_navigation():
        page.locator(".print-version a").click()
    page.emulate_media(media="print")
    page.set_viewport_size({"width": 700, "height": 1000})  # about an A4 page
    fr_box = page.locator('.bilingual-column[lang="fr"]').bounding_box()
    en_box = page.locator('.bilingual-column[lang="en"]').bounding_box()
    assert fr_box["x"] + fr_box["width"] <= en_box["x"] and abs(fr_box["y"] - en_box["y"]) < 2, (fr_box, en_box)
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF")
    context.close()
