"""Where pages live and how they link (site_builder/render/urls.py).

Paths are part of the published URL contract; links between pages are relative, so a
build works at a domain root, under a sub-path and from a file system alike.
"""
from __future__ import annotations

import itertools
from urllib.parse import urljoin

import pytest

from site_builder.render.urls import ENTRY_KINDS, SECTIONS, PageKey, absolute, relative


@pytest.mark.parametrize("key, fr, en", [
    (PageKey("home"), "fr/", "en/"),
    (PageKey("not-found"), "fr/404.html", "en/404.html"),
    (PageKey("about"), "fr/a-propos/", "en/about/"),
    (PageKey("search"), "fr/recherche/", "en/search/"),
    (PageKey("event"), "fr/chronologie/", "en/timeline/"),
    (PageKey("event", "2008-first-contacts"), "fr/chronologie/2008-first-contacts/", "en/timeline/2008-first-contacts/"),
    (PageKey("equipment", "barak-8"), "fr/equipements/barak-8/", "en/equipment/barak-8/"),
    (PageKey("actor", "iai"), "fr/acteurs/iai/", "en/actors/iai/"),
    (PageKey("source", "sipri"), "fr/sources/sipri/", "en/sources/sipri/"),
    (PageKey("theme", "drones"), "fr/themes/drones/", "en/themes/drones/"),
    (PageKey("dataset", "exports"), "fr/donnees/exports/", "en/data/exports/"),
])
def test_published_paths_per_language(key, fr, en):
    """The URL contract: changing one of these moves pages readers have bookmarked and cited."""
    assert (key.path("fr"), key.path("en")) == (fr, en)


def test_every_entry_kind_has_a_section_in_both_languages():
    for kind in ENTRY_KINDS:
        assert set(SECTIONS[kind]) == {"fr", "en"}
        assert PageKey(kind, "x").path("fr").startswith("fr/") and PageKey(kind, "x").path("en").startswith("en/")
    sections = [SECTIONS[kind][lang] for kind in SECTIONS for lang in ("fr", "en")]
    for lang in ("fr", "en"):  # two kinds sharing a folder would overwrite each other's pages
        names = [SECTIONS[kind][lang] for kind in SECTIONS]
        assert len(names) == len(set(names)), lang
    assert all(name == name.lower() and name.isascii() and "/" not in name for name in sections)


@pytest.mark.parametrize("key, lang, file", [
    (PageKey("home"), "fr", "fr/index.html"),
    (PageKey("event", "x"), "en", "en/timeline/x/index.html"),
    (PageKey("actor"), "fr", "fr/acteurs/index.html"),
    (PageKey("not-found"), "en", "en/404.html"),
])
def test_output_file(key, lang, file):
    assert key.output_file(lang) == file


def test_unknown_kind_or_language_is_a_programming_error():
    with pytest.raises(KeyError):
        PageKey("nope", "x").path("fr")
    with pytest.raises(KeyError):
        PageKey("event", "x").path("de")


@pytest.mark.parametrize("from_path, to_path, link", [
    ("fr/chronologie/a/", "fr/chronologie/b/", "../b/"),
    ("fr/chronologie/a/", "fr/acteurs/iai/", "../../acteurs/iai/"),
    ("fr/chronologie/a/", "fr/", "../../"),
    ("fr/chronologie/", "fr/chronologie/a/", "a/"),
    ("fr/", "en/", "../en/"),                          # the language switch on the home page
    ("fr/chronologie/a/", "en/timeline/a/", "../../../en/timeline/a/"),
    ("fr/", "fr/", "./"),                              # a page linking itself: never an empty href
    ("fr/chronologie/a/", "fr/chronologie/a/#note-x", "./#note-x"),
    ("fr/", "assets/style.css", "../assets/style.css"),
    ("fr/404.html", "fr/chronologie/a/", "chronologie/a/"),  # a file's folder is its directory
    ("fr/a/", "fr/ab/", "../ab/"),                     # a common prefix is not a common folder
    ("fr/a/b/", "fr/a/", "../"),
])
def test_relative_links(from_path, to_path, link):
    assert relative(from_path, to_path) == link


PATHS = sorted({key.path(lang) for lang in ("fr", "en") for key in
                [PageKey("home"), PageKey("not-found"), PageKey("about"), PageKey("search")]
                + [PageKey(kind, id) for kind in ENTRY_KINDS for id in ("", "a", "a-b")]}
               | {"assets/style.css", "favicon.ico", "fr/chronologie/a/#note-x", "en/data/a-b/#body-2"})


@pytest.mark.parametrize("base", ["https://example.org/", "https://example.org/sub/path/", "file:///home/me/site/"])
def test_relative_link_followed_from_its_page_reaches_its_target(base):
    """From every page to every page, at a domain root, under a sub-path, on disk: what a
    browser resolves the link to is the target (urljoin is the browser's algorithm)."""
    for from_path, to_path in itertools.product([p for p in PATHS if "#" not in p], PATHS):
        link = relative(from_path, to_path)
        assert link and not link.startswith("/"), (from_path, to_path, link)
        assert urljoin(base + from_path, link) == base + to_path, (from_path, to_path, link)


@pytest.mark.parametrize("base_url, path, url", [
    ("https://example.org/dynamics/", "fr/chronologie/a/", "https://example.org/dynamics/fr/chronologie/a/"),
    ("https://example.org/dynamics", "fr/", "https://example.org/dynamics/fr/"),  # with or without the final /
    ("https://example.org", "en/", "https://example.org/en/"),
    ("https://example.org/", "", "https://example.org/"),
    ("https://example.org/", "sitemap.xml", "https://example.org/sitemap.xml"),
])
def test_absolute_urls(base_url, path, url):
    assert absolute(base_url, path) == url
