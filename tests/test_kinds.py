"""The kinds of content are listed once, in site_builder/core/kinds.py, and everything
that names them all (models, loading, URLs, links, the CLI, the navigation, search
filters, labels) reads that registry: adding a kind or renaming a section is one edit."""
from __future__ import annotations

import ast
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from site_builder.content.models import KIND_MODELS
from site_builder.core.kinds import BACKLINK_ORDER, KIND_IDS, KINDS, LANGUAGES, NAVIGATION, PAGE_KIND_IDS
from site_builder.render.i18n import load_translations
from site_builder.render.urls import PageKey

ROOT = Path(__file__).parent.parent
PACKAGE = ROOT / "site_builder"


def test_every_kind_has_exactly_one_model():
    assert list(KIND_MODELS) == list(KIND_IDS)


def test_sections_come_from_the_registry():
    for kind in KINDS:
        for lang in LANGUAGES:
            if kind.has_pages:
                assert PageKey(kind.id).path(lang) == f"{lang}/{kind.sections[lang]}/"
                assert PageKey(kind.id, "x").path(lang) == f"{lang}/{kind.sections[lang]}/x/"
            else:
                with pytest.raises(KeyError):
                    PageKey(kind.id).path(lang)
    slugs = [(lang, kind.sections[lang]) for kind in KINDS if kind.sections for lang in LANGUAGES]
    assert len(slugs) == len(set(slugs)), "two kinds share a section address"
    assert sorted(BACKLINK_ORDER) == sorted(PAGE_KIND_IDS)


def test_every_label_is_in_the_french_catalog():
    """Labels are gettext message ids: moved from the templates into the registry, they
    must keep the exact ids the French catalog translates."""
    with (ROOT / "templates" / "locale" / "fr" / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        catalog = read_po(handle, locale="fr")
    labels = {label for kind in KINDS for label in (kind.singular, kind.plural, kind.title, kind.nav, kind.search,
                                                     kind.description) if label}
    labels |= {label for _page, label in NAVIGATION}
    untranslated = sorted(label for label in labels if catalog.get(label) is None or not catalog.get(label).string)
    assert not untranslated, untranslated


def test_new_offers_every_kind(run_cli, tmp_path):
    result = run_cli("new", "--help", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "one of: " + ", ".join(KIND_IDS) in " ".join(result.stdout.split())


def test_no_other_module_lists_the_kinds():
    """A sequence naming five or more kinds outside the registry is a second list that
    will drift from it: derive it from core/kinds.py instead. (Tables keyed by kind, such
    as the models or the templates of `new`, are lookups: a missing kind fails loudly.)"""
    kinds = set(KIND_IDS)
    found = []
    for path in PACKAGE.rglob("*.py"):
        if path == PACKAGE / "core" / "kinds.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            items = node.elts if isinstance(node, (ast.Tuple, ast.List, ast.Set)) else ()
            named = {item.value for item in items if isinstance(item, ast.Constant) and item.value in kinds}
            if len(named) >= 5:
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    for path in (ROOT / "templates").glob("*.html"):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if len(set(re.findall(r"""["'](\w+)["']""", line)) & kinds) >= 5:
                found.append(f"{path.relative_to(ROOT)}:{number}")
    assert not found, found


class _NavLinks(HTMLParser):
    """(href, text) of each link of the wide navigation."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[list[str]] = []
        self.depth = 0  # inside <nav class="... site-nav-wide">

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "nav" and "site-nav-wide" in (dict(attrs).get("class") or ""):
            self.depth = 1
        elif self.depth and tag == "a":
            self.links.append([dict(attrs).get("href") or "", ""])

    def handle_endtag(self, tag: str) -> None:
        if tag == "nav":
            self.depth = 0

    def handle_data(self, data: str) -> None:
        if self.depth and self.links:
            self.links[-1][1] += data


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_navigation_is_the_registry(real_site, lang):
    translations = load_translations(ROOT / "templates" / "locale", lang)
    nav = _NavLinks()
    nav.feed((real_site / lang / "index.html").read_text(encoding="utf-8"))
    expected = [(PageKey(page).path(lang).removeprefix(f"{lang}/"), translations.gettext(label))
                for page, label in NAVIGATION]
    assert [(href, text.strip()) for href, text in nav.links] == expected
    assert [page for page, _ in NAVIGATION[:len(PAGE_KIND_IDS)]] == list(PAGE_KIND_IDS)


def test_search_filters_name_each_kind_with_pages(real_site):
    gettext = load_translations(ROOT / "templates" / "locale", "fr").gettext
    for kind in KINDS:
        if kind.has_pages:
            page = next((real_site / "fr" / kind.sections["fr"]).glob("*/index.html"))
            expected = f'data-pagefind-filter="{gettext("Type")}:{gettext(kind.search)}"'
            assert expected in page.read_text(encoding="utf-8"), page
