"""Fixtures for the browser tests: the real site, built and served on loopback, in Chromium.

- `site_server`: a ThreadingHTTPServer on 127.0.0.1 (free port) serving the build directory.
- `built_site`: the site built from `content/` with the real CLI (a subprocess), into a
  temporary directory, with `--base-url` set to the server's address so that absolute
  links (canonical, alternates) also stay on this machine.
- `browser`: Debian's Chromium (/usr/bin/chromium) driven by Playwright's sync API. There is
  no `playwright install` here: a missing Chromium is a test FAILURE with a message, never a
  skip, so CI cannot pass without having run these tests.
- `pages`: where each page type lives, per language: section indexes from the URL contract,
  entries discovered by following links from their index page.
"""
from __future__ import annotations

import functools
import re
import subprocess
import sys
import threading
import urllib.request
from html.parser import HTMLParser
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[2]
CONTENT = ROOT / "content"
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 375, "height": 740}
LANGS = ("fr", "en")
OTHER = {"fr": "en", "en": "fr"}

# Section index pages, per language: these paths are the published URL contract.
INDEX_PATHS: dict[str, dict[str, str]] = {
    "home": {"fr": "/fr/", "en": "/en/"},
    "timeline": {"fr": "/fr/chronologie/", "en": "/en/timeline/"},
    "equipment-index": {"fr": "/fr/equipements/", "en": "/en/equipment/"},
    "actors-index": {"fr": "/fr/acteurs/", "en": "/en/actors/"},
    "sources": {"fr": "/fr/sources/", "en": "/en/sources/"},
    "about": {"fr": "/fr/a-propos/", "en": "/en/about/"},
    "data": {"fr": "/fr/donnees/", "en": "/en/data/"},
    "search": {"fr": "/fr/recherche/", "en": "/en/search/"},
    "not-found": {"fr": "/fr/404.html", "en": "/en/404.html"},
}
# Entry pages: (section index to follow links from, or several to try in order).
# The entry is the first link from there to a page one level below the section.
ENTRY_SOURCES: dict[str, dict[str, tuple[str, ...]]] = {
    "event": {"fr": ("/fr/chronologie/",), "en": ("/en/timeline/",)},
    "equipment": {"fr": ("/fr/equipements/",), "en": ("/en/equipment/",)},
    "actor": {"fr": ("/fr/acteurs/",), "en": ("/en/actors/",)},
    "source": {"fr": ("/fr/sources/",), "en": ("/en/sources/",)},
    "dataset": {"fr": ("/fr/donnees/",), "en": ("/en/data/",)},
    # A theme is linked from a themes index if there is one, else from home or the timeline.
    "theme": {"fr": ("/fr/themes/", "/fr/", "/fr/chronologie/"),
              "en": ("/en/themes/", "/en/", "/en/timeline/")},
}
ENTRY_SECTION: dict[str, dict[str, str]] = {
    "event": {"fr": "/fr/chronologie/", "en": "/en/timeline/"},
    "equipment": {"fr": "/fr/equipements/", "en": "/en/equipment/"},
    "actor": {"fr": "/fr/acteurs/", "en": "/en/actors/"},
    "source": {"fr": "/fr/sources/", "en": "/en/sources/"},
    "dataset": {"fr": "/fr/donnees/", "en": "/en/data/"},
    "theme": {"fr": "/fr/themes/", "en": "/en/themes/"},
}
# Every page type, in a stable order (used to parametrize tests).
PAGE_TYPES = ("home", "timeline", "event", "equipment-index", "equipment", "actors-index",
              "actor", "sources", "source", "theme", "about", "data", "dataset", "search", "not-found")
# Language-neutral pages (the root language chooser) run once, with lang None.
NEUTRAL_PATHS = {"root": "/"}
PAGE_CASES = [(t, None) for t in NEUTRAL_PATHS] + [(t, lang) for t in PAGE_TYPES for lang in LANGS]


def pytest_generate_tests(metafunc):
    """A test taking `page_type` and `lang` runs once per page type and language.

    A test module may leave some page types out with `EXCLUDE_PAGE_TYPES = (...)`.
    """
    if "page_type" in metafunc.fixturenames and "lang" in metafunc.fixturenames:
        exclude = getattr(metafunc.module, "EXCLUDE_PAGE_TYPES", ())
        cases = [(t, lang) for t, lang in PAGE_CASES if t not in exclude]
        metafunc.parametrize(("page_type", "lang"), cases, ids=[f"{t}-{lang}" if lang else t for t, lang in cases])


def pytest_collection_modifyitems(items):
    """Everything under tests/browser/ is a browser test, even if a module forgets its mark."""
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.path).parents:
            item.add_marker(pytest.mark.browser)


# --- Build and serve -----------------------------------------------------------------------

class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - stdlib signature
        pass


@pytest.fixture(scope="session")
def site_dir(tmp_path_factory) -> Path:
    """Where the site is built (does not exist until `built_site` runs)."""
    return tmp_path_factory.mktemp("browser-site") / "build"


@pytest.fixture(scope="session")
def site_server(site_dir):
    """Serve `site_dir` on 127.0.0.1 at a free port; yields the base URL ('http://127.0.0.1:N/')."""
    handler = functools.partial(_QuietHandler, directory=str(site_dir))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="site-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def build_site(out: Path, base_url: str | None = None) -> Path:
    """Build the real site from content/ with the CLI, as a user would. Fails the test on error."""
    cmd = [sys.executable, "-m", "site_builder", "build", "--content", str(CONTENT), "--out", str(out),
           "--quiet"]
    if base_url:
        cmd += ["--base-url", base_url]
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=600)
    if proc.returncode != 0:
        pytest.fail(f"site build failed (exit {proc.returncode}): {' '.join(cmd)}\n"
                    f"--- stdout ---\n{proc.stdout}\n--- stderr ---\n{proc.stderr}")
    if not any(out.rglob("*.html")):
        pytest.fail(f"site build succeeded but wrote no HTML into {out}")
    return out


@pytest.fixture(scope="session")
def built_site(site_dir, site_server) -> Path:
    return build_site(site_dir, base_url=site_server)


@pytest.fixture(scope="session")
def base_url(site_server, built_site) -> str:
    """Base URL of the served, built site."""
    return site_server


# --- Chromium ------------------------------------------------------------------------------

@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's Chromium (apt-get install -y chromium, "
                    "or run `make test` as root). Browser tests never skip.")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as exc:  # pragma: no cover - depends on the environment
        pytest.fail(f"Playwright is not installed ({exc}): pip install -e '.[test]' (or run `make test`)")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


def _new_context(browser, base_url, **kwargs):
    context = browser.new_context(base_url=base_url, **kwargs)
    context.set_default_timeout(15_000)
    return context


@pytest.fixture
def desktop_page(browser, base_url):
    context = _new_context(browser, base_url, viewport=DESKTOP)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def phone_page(browser, base_url):
    context = _new_context(browser, base_url, viewport=PHONE, device_scale_factor=2,
                           is_mobile=True, has_touch=True)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def nojs_page(browser, base_url):
    context = _new_context(browser, base_url, viewport=DESKTOP, java_script_enabled=False)
    page = context.new_page()
    yield page
    context.close()


# --- Page discovery ------------------------------------------------------------------------

class _LinkParser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag != "a":
            return
        href = dict(attrs).get("href")
        if href:
            self.links.append(href)


class SitePages:
    """Paths of one page per type and language, found as a reader would: by following links."""

    other = OTHER
    axe_js = AXE_JS
    screenshots = SCREENSHOTS

    def __init__(self, base_url: str):
        self.base_url = base_url
        self._cache: dict[tuple[str, str], str] = {}
        self._links: dict[str, list[str]] = {}

    def fetch_links(self, path: str) -> list[str]:
        """Site paths linked from `path` (resolved, same origin, no query or fragment)."""
        if path not in self._links:
            url = urljoin(self.base_url, path)
            try:
                with urllib.request.urlopen(url, timeout=30) as resp:
                    html = resp.read().decode("utf-8", "replace")
            except OSError as exc:
                pytest.fail(f"cannot load {path} to discover pages: {exc}")
            parser = _LinkParser()
            parser.feed(html)
            origin = urlsplit(self.base_url).netloc
            paths = []
            for href in parser.links:
                parts = urlsplit(urljoin(url, href))
                if parts.netloc == origin and parts.path not in paths:
                    paths.append(parts.path)
            self._links[path] = paths
        return self._links[path]

    @staticmethod
    def goto(page, path: str):
        """Load `path` in `page` and fail unless the server answered 200."""
        response = page.goto(path, wait_until="load")
        assert response is not None, f"no response for {path}"
        assert response.status == 200, f"GET {path} -> HTTP {response.status}"
        return response

    @staticmethod
    def index_path(page_type: str, lang: str) -> str | None:
        """The fixed path of an index page type, None for entry types."""
        return INDEX_PATHS.get(page_type, {}).get(lang)

    @staticmethod
    def entry_section(page_type: str, lang: str) -> str | None:
        """The section an entry page of this type lives under, None for index page types."""
        return ENTRY_SECTION.get(page_type, {}).get(lang)

    @staticmethod
    def primary_lang(value: str | None) -> str:
        """'fr-FR' -> 'fr'."""
        return (value or "").split("-")[0].lower()

    def path(self, page_type: str, lang: str) -> str:
        key = (page_type, lang)
        if key not in self._cache:
            if page_type in NEUTRAL_PATHS:
                self._cache[key] = NEUTRAL_PATHS[page_type]
            elif page_type in INDEX_PATHS:
                self._cache[key] = INDEX_PATHS[page_type][lang]
            elif page_type in ENTRY_SOURCES:
                self._cache[key] = self._discover_entry(page_type, lang)
            else:
                raise KeyError(page_type)
        return self._cache[key]

    def _entry_links(self, page_type: str, lang: str) -> list[str]:
        """Entry pages of this type linked from the first of its start pages that has any."""
        section = ENTRY_SECTION[page_type][lang]
        pattern = re.compile("^" + re.escape(section) + r"[^/]+/(index\.html)?$")
        tried = []
        for start in ENTRY_SOURCES[page_type][lang]:
            try:
                links = self.fetch_links(start)
            except pytest.fail.Exception:
                tried.append(f"{start} (could not load)")
                continue
            found = [p for p in links if pattern.match(p)]
            if found:
                return found
            tried.append(start)
        pytest.fail(f"no {page_type} page found in {lang}: no link matching {section}<id>/ "
                    f"on {', '.join(tried)}")

    def _discover_entry(self, page_type: str, lang: str) -> str:
        """The first entry linked from its index (in French order) that both languages list,
        so that both languages test the same entry."""
        links = {code: self._entry_links(page_type, code) for code in LANGS}
        ids = {code: [_entry_id(p) for p in paths] for code, paths in links.items()}
        common = [entry for entry in ids["fr"] if entry in ids["en"]]
        if not common:
            return links[lang][0]
        return links[lang][ids[lang].index(common[0])]


def _entry_id(path: str) -> str:
    return path.removesuffix("index.html").rstrip("/").rsplit("/", 1)[-1]


@pytest.fixture(scope="session")
def pages(base_url) -> SitePages:
    return SitePages(base_url)

