"""The built fixture site, read as a reader's browser would: links, languages,
footnotes, sitemap, determinism."""
from __future__ import annotations

import json
import re
import shutil
import sys
from pathlib import Path

import pytest

from html_tools import html_pages, parse_page, resolve

BASE = "https://example.org/dynamics/"


@pytest.fixture(scope="module")
def built(tmp_path_factory, minimal_site_module, run_cli) -> Path:
    work = tmp_path_factory.mktemp("site")
    shutil.copytree(minimal_site_module, work / "content")
    result = run_cli("build", "--content", "content", "--out", "build",
                      "--templates", str(Path(__file__).parent.parent / "templates"), cwd=work)
    assert result.returncode == 0, result.stderr
    return work / "build"


@pytest.fixture(scope="module")
def minimal_site_module() -> Path:
    return Path(__file__).parent / "fixtures" / "minimal"


def test_build_prints_summary(tmp_path, minimal_site, run_cli):
    shutil.copytree(minimal_site, tmp_path / "content")
    result = run_cli("build", "--templates", Path(__file__).parent.parent / "templates", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert re.search(r"Built \d+ pages \(\d+ fr, \d+ en\), \d+ files, 0 warning\(s\) in [\d.]+ s", result.stdout)


def test_every_internal_link_and_anchor_resolves(built):
    broken = []
    parsed = {path: parse_page(path) for path in html_pages(built)}
    for page, info in parsed.items():
        for href, attrs in info.links:
            target = resolve(built, page, href)
            if target is None:
                continue
            path, fragment = target
            if page.name == "404.html" and href.startswith("/"):
                continue  # checked separately: the 404 page links from the site root
            if not path.is_file():
                broken.append(f"{page.relative_to(built)}: {href} -> missing {path.relative_to(built)}")
            elif fragment and path.suffix == ".html" and fragment not in parsed[path].ids:
                broken.append(f"{page.relative_to(built)}: {href} -> no id '{fragment}'")
    assert not broken, "\n".join(broken)


def test_404_page_links_from_site_root(built):
    page = parse_page(built / "fr" / "404.html")
    hrefs = [href for href, attrs in page.links if attrs["tag"] == "a"]
    assert "/dynamics/fr/" in hrefs
    assert (built / "404.html").read_bytes() == (built / "en" / "404.html").read_bytes()


def test_every_page_has_its_counterpart_and_switch_points_back(built):
    for page in html_pages(built):
        relative = page.relative_to(built).as_posix()
        if relative == "index.html" or page.name == "404.html" or relative.startswith("e/"):
            continue  # the root picker and short links (e/) are in both languages; 404 pages are checked on their own
        info = parse_page(page)
        switches = [(href, a) for href, a in info.links if "lang-switch" in a.get("class", "")]
        assert len(switches) == 1, relative
        href, attrs = switches[0]
        other, _ = resolve(built, page, href)
        assert other.is_file(), f"{relative}: counterpart {href} missing"
        other_info = parse_page(other)
        assert other_info.lang == attrs["hreflang"] != info.lang
        back = [h for h, a in other_info.links if "lang-switch" in a.get("class", "")][0]
        assert resolve(built, other, back)[0] == page, f"{relative}: switch does not come back"


def test_alternates_and_canonical(built):
    page = (built / "en" / "equipment" / "example-drone" / "index.html").read_text()
    assert f'<link rel="canonical" href="{BASE}en/equipment/example-drone/">' in page
    assert f'<link rel="alternate" hreflang="fr" href="{BASE}fr/equipements/example-drone/">' in page
    assert f'<link rel="alternate" hreflang="en" href="{BASE}en/equipment/example-drone/">' in page
    assert f'<link rel="alternate" hreflang="x-default" href="{BASE}">' in page


def test_sitemap_lists_every_page_with_alternates(built):
    sitemap = (built / "sitemap.xml").read_text()
    locs = set(re.findall(r"<loc>([^<]+)</loc>", sitemap))
    noindex = {p for p in html_pages(built) if '<meta name="robots" content="noindex">' in p.read_text()}
    assert noindex, "print views and short links are noindex pages"
    pages = {BASE + p.relative_to(built).as_posix().removesuffix("index.html")
             for p in html_pages(built) if not p.name == "404.html" and p not in noindex}
    assert locs == pages  # every indexable page, and no noindex one (print views, short links, redirects)
    assert sitemap.count('hreflang="x-default"') == len(locs)
    assert (built / "robots.txt").read_text().endswith(f"Sitemap: {BASE}sitemap.xml\n")


def _notes_section(html: str) -> str:
    return html[html.index('<section class="footnotes"'):]


def test_footnotes_numbered_by_first_use_and_shared_numbers(built):
    html = (built / "en" / "timeline" / "2021-03-15-example-contract" / "index.html").read_text()
    calls = re.findall(r'<a href="#note-([a-z0-9-]+)" id="(cite-[a-z0-9-]+)" role="doc-noteref">(\d+)</a>', html)
    # report-1 is cited first (summary), then report-2 (body), then report-1 again, then report-2 (figure)
    assert [(note, number) for note, _, number in calls] == [
        ("example-report-1", "1"), ("example-report-2", "2"), ("example-report-1", "1"), ("example-report-2", "2")]
    notes = _notes_section(html)
    items = re.findall(r'<li id="note-([a-z0-9-]+)" value="(\d+)"', notes)
    assert items == [("example-report-1", "1"), ("example-report-2", "2")]
    # each note links back to every place that cites it
    for note, anchor, _ in calls:
        assert f'href="#{anchor}"' in notes


def test_footnote_text_in_page_language_with_source(built):
    fr = _notes_section((built / "fr" / "chronologie" / "2021-03-15-example-contract" / "index.html").read_text())
    en = _notes_section((built / "en" / "timeline" / "2021-03-15-example-contract" / "index.html").read_text())
    assert "Notes" in fr and "Retour à l’appel de note" in fr
    assert "Back to reference" in en
    assert 'href="../../sources/example-report/"' in fr and 'href="../../sources/example-report/"' in en


def test_same_note_numbered_per_page(built):
    # example-report-1 is the first note on the event page but also cited on the home page
    home = (built / "en" / "index.html").read_text()
    assert re.search(r'href="#note-example-report-1" id="cite-example-report-1-1" role="doc-noteref">1</a>', home)


def test_backlinks_grouped_by_kind_in_page_language(built):
    fr = (built / "fr" / "acteurs" / "testland" / "index.html").read_text()
    section = fr[fr.index('class="backlinks"'):]
    assert "Pages qui renvoient ici" in section
    assert "Événements de la chronologie" in section
    assert 'href="../../chronologie/2021-03-15-example-contract/"' in section
    en = (built / "en" / "actors" / "testland" / "index.html").read_text()
    assert "What links here" in en and "Timeline events" in en


def test_dates_and_numbers_formatted_per_locale(built):
    fr = (built / "fr" / "chronologie" / "index.html").read_text()
    en = (built / "en" / "timeline" / "index.html").read_text()
    assert '<time datetime="2021-03-15">15 mars 2021</time>' in fr
    assert '<time datetime="2021-03-15">15 March 2021</time>' in en
    assert '<time datetime="2008">vers 2008</time>' in fr and '<time datetime="2008">about 2008</time>' in en
    assert "septembre – novembre 2020" in fr.replace("\u00a0", " ")
    fr_event = (built / "fr" / "chronologie" / "2021-03-15-example-contract" / "index.html").read_text()
    en_event = (built / "en" / "timeline" / "2021-03-15-example-contract" / "index.html").read_text()
    assert "environ 1,2 milliard de dollars" in fr_event
    assert "about $1.2 billion" in en_event


def test_french_typography_in_prose(built):
    fr = (built / "fr" / "chronologie" / "2021-03-15-example-contract" / "index.html").read_text()
    assert "dollars<sup" in fr
    assert "\u202f;" in fr  # narrow no-break space before ';'
    assert "d’exemple" in fr and "d'exemple" not in fr


def test_root_index_lets_reader_pick_language(built):
    root = (built / "index.html").read_text()
    assert 'href="fr/"' in root and 'href="en/"' in root
    assert 'hreflang="x-default"' in root


def test_two_builds_are_byte_identical(tmp_path, minimal_site, run_cli):
    """Every file is reproducible except the Pagefind search bundle (pagefind/): Pagefind
    writes filter values in hash-map order, so its filter, meta and entry files change from
    run to run for the same pages. Both builds must still have one."""
    shutil.copytree(minimal_site, tmp_path / "content")
    templates = Path(__file__).parent.parent / "templates"
    outputs = []
    for name in ("one", "two"):
        assert run_cli("build", "--out", name, "--templates", templates, cwd=tmp_path).returncode == 0
        assert (tmp_path / name / "pagefind" / "pagefind-entry.json").is_file()
        outputs.append({p.relative_to(tmp_path / name): p.read_bytes() for p in (tmp_path / name).rglob("*")
                        if p.is_file() and p.relative_to(tmp_path / name).parts[0] != "pagefind"})
    assert outputs[0] == outputs[1]


def test_search_index_per_language_of_entry_pages_only(built):
    """Pagefind indexes the entry pages (data-pagefind-body), once per <html lang>."""
    entry = json.loads((built / "pagefind" / "pagefind-entry.json").read_text())
    assert set(entry["languages"]) == {"fr", "en"}
    entries = {lang: sum(1 for page in html_pages(built) if page.relative_to(built).parts[0] == lang
                         and 'data-pagefind-body' in page.read_text()) for lang in ("fr", "en")}
    assert entries["fr"] == entries["en"] > 0
    assert {lang: info["page_count"] for lang, info in entry["languages"].items()} == entries
    for index_page in ("fr/index.html", "en/404.html", "index.html", "fr/recherche/index.html"):
        assert "data-pagefind-body" not in (built / index_page).read_text(), index_page
    # a section's page is found by its title alone ("chronologie"), not by the entries it lists
    timeline = (built / "fr" / "chronologie" / "index.html").read_text()
    assert re.findall(r"<(\w+)[^>]*data-pagefind-body", timeline) == ["h1"]
    event = next((built / "fr" / "chronologie").glob("*/index.html")).read_text()
    assert 'data-pagefind-filter="Type:Événements"' in event
    search = (built / "en" / "search" / "index.html").read_text()
    assert 'src="../../pagefind/pagefind-ui.js" defer' in search


def test_no_search_option_skips_the_index(tmp_path, minimal_site, run_cli):
    shutil.copytree(minimal_site, tmp_path / "content")
    result = run_cli("build", "--no-search", "--templates", Path(__file__).parent.parent / "templates", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "build" / "fr" / "recherche" / "index.html").is_file()
    assert not (tmp_path / "build" / "pagefind").exists()


def test_failed_search_index_leaves_previous_site(tmp_path):
    from site_builder.building.search import index_site
    from site_builder.building.write import OutputError
    from site_in_memory import write_site

    out = tmp_path / "build"
    write_site({"index.html": b"old"}, out)

    def failing(staging: Path) -> None:
        index_site(staging, command=[sys.executable, "-c", "import sys; sys.exit('Error: no index today')"])

    with pytest.raises(OutputError) as caught:
        write_site({"index.html": b"new"}, out, postprocess=failing)
    message = str(caught.value)
    assert "cannot build the search index" in message and "no index today" in message
    assert "previous site was left as it was" in message
    assert (out / "index.html").read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["build"]  # no staging folder left behind


def test_french_colon_after_a_note_locator_on_source_pages(built):
    """'(p. 3) : texte' in French, '(p. 3): text' in English (the colon is in the template)."""
    fr = (built / "fr" / "sources" / "example-report" / "index.html").read_text()
    en = (built / "en" / "sources" / "example-report" / "index.html").read_text()
    assert "(p. 3)\u00a0:" in fr and "(p. 3) :" not in fr and "(p. 3):" not in fr
    assert "(p. 3):" in en
