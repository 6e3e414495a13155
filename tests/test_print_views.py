"""Print: the bilingual side-by-side view of each entry, and the printed list of the
addresses of the entries a page's text links to."""
from __future__ import annotations

import re
import shutil
from collections import Counter
from pathlib import Path

import pytest

from html_tools import html_pages

ROOT = Path(__file__).parent.parent
BASE = "https://example.org/dynamics/"
EVENT = "2021-03-15-example-contract"


@pytest.fixture(scope="module")
def built(tmp_path_factory, run_cli) -> Path:
    work = tmp_path_factory.mktemp("print")
    shutil.copytree(ROOT / "tests" / "fixtures" / "minimal", work / "content")
    result = run_cli("build", "--templates", ROOT / "templates", "--no-search", cwd=work)
    assert result.returncode == 0, result.stderr
    return work / "build"


def test_bilingual_print_page_has_both_languages_side_by_side(built):
    for lang, path in (("fr", f"fr/chronologie/{EVENT}/bilingue/index.html"),
                       ("en", f"en/timeline/{EVENT}/bilingual/index.html")):
        page = (built / path).read_text()
        assert f'<html lang="{lang}">' in page
        assert '<meta name="robots" content="noindex">' in page
        assert '<section class="bilingual-column" lang="fr"' in page
        assert '<section class="bilingual-column" lang="en"' in page
        fr_column = page[page.index('lang="fr" aria-labelledby'):page.index('lang="en" aria-labelledby')]
        en_column = page[page.index('lang="en" aria-labelledby'):]
        assert "Contrat d’exemple" in fr_column and "Le montant serait" in fr_column
        assert "Example contract" in en_column and "The amount is reportedly" in en_column
        # each column has its notes, in its language, numbered on their own, with ids that never clash
        assert 'id="note-fr-example-report-1"' in fr_column and "Rapport d’exemple, chapitre 1." in fr_column
        assert 'id="note-en-example-report-1"' in en_column and "Example report, chapter 1." in en_column
        assert 'href="#note-fr-example-report-2"' in fr_column and 'href="#note-en-example-report-2"' in en_column
        ids = Counter(re.findall(r'\sid="([^"]+)"', page))
        assert not [i for i, n in ids.items() if n > 1], ids
        # each column links to the pages of its own language
        to_fr, to_en = ("../../../", "../../../../en/") if lang == "fr" else ("../../../../fr/", "../../../")
        assert f'href="{to_fr}acteurs/testland/"' in fr_column
        assert f'href="{to_en}actors/testland/"' in en_column


def test_entry_page_links_to_its_bilingual_print_version(built):
    fr = (built / "fr" / "chronologie" / EVENT / "index.html").read_text()
    en = (built / "en" / "timeline" / EVENT / "index.html").read_text()
    assert '<a href="bilingue/">Version bilingue à imprimer</a>' in fr
    assert '<a href="bilingual/">Bilingual print version</a>' in en
    for kind_dir in ("equipements/example-drone", "acteurs/testland", "sources/example-report", "themes/trade",
                     "donnees/example-exports"):
        assert (built / "fr" / kind_dir / "bilingue" / "index.html").is_file(), kind_dir


def test_print_views_are_not_in_the_sitemap_nor_searchable(built):
    sitemap = (built / "sitemap.xml").read_text()
    assert "bilingue" not in sitemap and "bilingual" not in sitemap
    for page in html_pages(built):
        if "/bilingue/" in page.as_posix() or "/bilingual/" in page.as_posix():
            assert "data-pagefind-body" not in page.read_text(), page


def test_printed_list_of_links_holds_the_absolute_urls_of_the_text_links(built):
    page = (built / "en" / "timeline" / EVENT / "index.html").read_text()
    printed = page[page.index('<section class="print-links'):page.index("</section>", page.index('<section class="print-links'))]
    assert f"This page: {BASE}en/timeline/{EVENT}/" in printed
    urls = re.findall(r"<li>[^<]*: (https://[^<]+)</li>", printed)
    # in order of first link in the text: summary, then body and notes
    assert urls == [f"{BASE}en/actors/testland/", f"{BASE}en/equipment/example-drone/", f"{BASE}en/actors/example-corp/",
                    f"{BASE}en/actors/example-institute/"], urls
    fr = (built / "fr" / "chronologie" / EVENT / "index.html").read_text()
    assert f"<li>Testland\u00a0: {BASE}fr/acteurs/testland/</li>" in fr  # French spacing
    css = (ROOT / "templates" / "static" / "style.css").read_text()
    assert ".print-links { display: none; }" in css  # hidden on screen, shown in print (see the browser test)
    # index pages are lists of links: no list there
    timeline = (built / "en" / "timeline" / "index.html").read_text()
    assert "<ol>" not in timeline[timeline.index('<section class="print-links'):]
