"""A ladder of fixture sites, each built with the CLI as an editor would, read as HTML.

- `empty` (tests/fixtures/empty/): site.yaml and nothing else, what an editor has before the
  first entry. Every page a reader can reach must still be there, in both languages.
- `minimal` (tests/fixtures/minimal/): one entry of every kind; tests/test_site_output.py and
  most CLI tests read it.
- `every-feature` (tests/fixtures/every-feature/): one entry of every kind again, each using
  the options `minimal` leaves out: a former id (alias) on every kind, bodies with Markdown
  headings and lists, a note cited three times on one page, a note without a source, notes
  cited from an order's comment and a dataset's note, a passage in a third language,
  French punctuation inside link texts and titles, a bounded figure.
- the real site (content/), built once per session by conftest.py's `real_site`.

Each rung passes `check --strict`. The tests below assert what the two new rungs add; what
`minimal` already proves (link resolution, counterpart pages, sitemap, numbering across
fields...) is asserted here only where the new content could break it.
"""
from __future__ import annotations

import csv
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from html_tools import html_pages, parse_page, resolve

TESTS = Path(__file__).resolve().parent
FIXTURES = TESTS / "fixtures"
TEMPLATES = TESTS.parent / "templates"
VNU_JAR = TESTS.parent / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
RUNGS = ("empty", "every-feature")
NBSP, NNBSP = "\u00a0", "\u202f"

# Section index pages and special pages, per language: the published URL contract.
INDEX_PAGES = {
    "fr": ["fr/index.html", "fr/chronologie/index.html", "fr/equipements/index.html", "fr/acteurs/index.html",
           "fr/sources/index.html", "fr/themes/index.html", "fr/donnees/index.html", "fr/a-propos/index.html",
           "fr/recherche/index.html", "fr/404.html"],
    "en": ["en/index.html", "en/timeline/index.html", "en/equipment/index.html", "en/actors/index.html",
           "en/sources/index.html", "en/themes/index.html", "en/data/index.html", "en/about/index.html",
           "en/search/index.html", "en/404.html"],
}
# every-feature: each kind's entry, its section per language, and its former id.
ENTRIES = {
    "event": ("2019-05-example-summit", "chronologie", "timeline", "2019-05-example-meeting"),
    "equipment": ("example-sensor", "equipements", "equipment", "example-detector"),
    "actor": ("northland", "acteurs", "actors", "nordland"),
    "source": ("example-journal-article", "sources", "sources", "example-article"),
    "theme": ("cooperation", "themes", "themes", "partnership"),
    "dataset": ("example-deliveries", "donnees", "data", "example-shipments"),
}


def entry_page(kind: str, lang: str, former: bool = False) -> str:
    live, fr, en, old = ENTRIES[kind]
    return f"{lang}/{fr if lang == 'fr' else en}/{old if former else live}/index.html"


@pytest.fixture(scope="module")
def built(tmp_path_factory, run_cli) -> dict[str, Path]:
    """Each new rung, copied, checked strictly and built with the CLI: {rung: output folder}."""
    sites = {}
    for rung in RUNGS:
        work = tmp_path_factory.mktemp(rung)
        shutil.copytree(FIXTURES / rung, work / "content")
        check = run_cli("check", "--content", "content", "--strict", cwd=work)
        assert check.returncode == 0, f"{rung}: check --strict failed:\n{check.stdout}\n{check.stderr}"
        assert "0 warning(s)" in check.stdout, check.stdout
        result = run_cli("build", "--content", "content", "--out", "build", "--templates", TEMPLATES, cwd=work)
        assert result.returncode == 0, f"{rung}: build failed:\n{result.stderr}"
        assert ", 0 warning(s)" in result.stdout, result.stdout
        sites[rung] = work / "build"
    return sites


def read(site: Path, relative: str) -> str:
    return (site / relative).read_text(encoding="utf-8")


def main_of(html: str) -> str:
    return html[html.index("<main"):html.index("</main>")]


def text_of(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split(" "))


# -- every rung ------------------------------------------------------------------------------

@pytest.mark.parametrize("rung", RUNGS)
def test_every_section_and_special_page_exists_in_both_languages(built, rung):
    site = built[rung]
    for lang, pages in INDEX_PAGES.items():
        for page in pages:
            assert (site / page).is_file(), f"{rung}: {page} is missing"
            parsed = parse_page(site / page)
            assert parsed.lang == lang, f"{rung}: {page} has lang={parsed.lang!r}"
            assert re.search(r"<h1[ >]", read(site, page)), f"{rung}: {page} has no <h1>"


@pytest.mark.parametrize("rung", RUNGS)
def test_every_internal_link_and_anchor_resolves(built, rung):
    site = built[rung]
    parsed = {path: parse_page(path) for path in html_pages(site)}
    broken = []
    for page, info in parsed.items():
        for href, _ in info.links:
            target = resolve(site, page, href)
            if target is None or (page.name == "404.html" and href.startswith("/")):
                continue  # external, or the 404 pages' root-relative links (test_site_output)
            path, fragment = target
            if not path.is_file():
                broken.append(f"{page.relative_to(site)}: {href} -> missing {path.relative_to(site)}")
            elif fragment and path.suffix == ".html" and fragment not in parsed[path].ids:
                broken.append(f"{page.relative_to(site)}: {href} -> no id '{fragment}'")
    assert not broken, "\n".join(broken)


SCHEMA_OF_FOLDER = {"timeline": "event", "equipment": "equipment", "actors": "actor", "sources": "source",
                    "themes": "theme", "data": "dataset", "notes": "note"}


@pytest.mark.parametrize("rung", RUNGS)
def test_editors_schemas_accept_every_file(rung):
    """What `check --strict` accepts, an editor's YAML plug-in (schemas/) accepts too."""
    import jsonschema

    from site_builder.content.yaml_source import load_file

    root = FIXTURES / rung
    files = [(root / "site.yaml", "site")] + [(path, SCHEMA_OF_FOLDER[path.parent.name])
                                            for path in sorted(root.glob("*/*.yaml"))]
    for path, schema in files:
        source, problems = load_file(path, str(path))
        assert not problems, problems
        validator = jsonschema.Draft202012Validator(
            json.loads((TESTS.parent / "schemas" / f"{schema}.schema.json").read_text(encoding="utf-8")))
        errors = [error.message for error in validator.iter_errors(source.data)]
        assert not errors, f"{path.relative_to(FIXTURES)}: {errors}"


@pytest.fixture(scope="module")
def vnu_errors(built) -> dict[str, list[str]]:
    """The Nu HTML Checker's errors on both rungs, one run: {rung: ['page:line: message']}."""
    java = shutil.which("java")
    if java is None or not VNU_JAR.exists():
        pytest.fail("java and node_modules/vnu-jar are needed (run `make test`): these tests never skip")
    proc = subprocess.run([java, "-jar", str(VNU_JAR), "--errors-only", "--skip-non-html", "--format", "json",
                           *(str(built[rung]) for rung in RUNGS)], capture_output=True, text=True, timeout=600)
    messages = json.loads(proc.stderr or "{}").get("messages", [])
    errors: dict[str, list[str]] = {rung: [] for rung in RUNGS}
    for message in messages:
        url = message.get("url", "")
        rung = next((r for r in RUNGS if f"{built[r]}/" in url), RUNGS[0])
        errors[rung].append(f"{url.split(str(built[rung]))[-1]}:{message.get('lastLine', '?')}: {message['message']}")
    return errors


SKIPPED_HEADING_LEVEL = re.compile(r"follows the heading .* skipping \d+ heading level")


@pytest.mark.browser  # needs Java and the npm tools, like tests/test_html_validity.py
@pytest.mark.parametrize("rung", RUNGS)
def test_valid_html(vnu_errors, rung):
    """Empty tables and lists, headings, lists and foreign passages in prose: still valid HTML.
    (Heading levels skipped by prose headings: the test below.)"""
    errors = [e for e in vnu_errors[rung] if not SKIPPED_HEADING_LEVEL.search(e)]
    assert not errors, "\n".join(errors)


@pytest.mark.browser
def test_prose_headings_do_not_skip_levels(vnu_errors):
    skipped = [e for e in vnu_errors["every-feature"] if SKIPPED_HEADING_LEVEL.search(e)]
    assert not skipped, "\n".join(skipped)


# -- empty: a site before its first entry ---------------------------------------------------

def test_empty_site_has_no_entry_pages_and_says_zero_in_each_language(built):
    site = built["empty"]
    pages = {p.relative_to(site).as_posix() for p in site.rglob("*.html")}
    assert pages == set(INDEX_PAGES["fr"]) | set(INDEX_PAGES["en"]) | {"index.html", "404.html"}
    fr, en = text_of(main_of(read(site, "fr/index.html"))), text_of(main_of(read(site, "en/index.html")))
    # French puts zero in the singular, English in the plural.
    for counted in ("0 événement", "0 système", "0 acteur", "0 source", "0 jeu de données"):
        assert counted in fr, counted
    for counted in ("0 events", "0 systems", "0 actors", "0 sources", "0 datasets"):
        assert counted in en, counted


def test_empty_site_downloads_and_feeds_hold_no_records(built):
    site = built["empty"]
    downloads = sorted(p.name for p in (site / "data").iterdir())
    assert downloads == ["actors.csv", "actors.json", "datasets.csv", "datasets.json", "notes.csv", "notes.json",
                         "orders.csv", "orders.json", "timeline.csv", "timeline.json"]
    for name in downloads:
        path = site / "data" / name
        if name.endswith(".json"):
            assert json.loads(path.read_text(encoding="utf-8"))["records"] == [], name
        else:
            rows = list(csv.reader(path.open(encoding="utf-8", newline="")))
            assert len(rows) == 1 and len(rows[0]) > 3, f"{name}: a header and no rows, got {rows}"
    for lang in ("fr", "en"):
        feed = read(site, f"{lang}/atom.xml")
        assert "<feed" in feed and "<entry>" not in feed
    sitemap = read(site, "sitemap.xml")
    assert "https://example.org/empty/fr/chronologie/" in sitemap and "https://example.org/empty/en/timeline/" in sitemap


# -- every-feature: the options minimal leaves out -------------------------------------------

def test_every_kind_has_its_page_in_both_languages_linking_each_other(built):
    site = built["every-feature"]
    for kind in ENTRIES:
        fr, en = entry_page(kind, "fr"), entry_page(kind, "en")
        assert (site / fr).is_file() and (site / en).is_file(), kind
        # The language switch of each leads to the other.
        assert 'hreflang="en"' in read(site, fr) and "/".join(en.split("/")[1:-1]) in read(site, fr)
        assert 'hreflang="fr"' in read(site, en) and "/".join(fr.split("/")[1:-1]) in read(site, en)


def test_every_former_id_redirects_to_the_live_page_in_both_languages(built):
    site = built["every-feature"]
    redirects = read(site, "_redirects")
    for kind in ENTRIES:
        for lang in ("fr", "en"):
            old, live = entry_page(kind, lang, former=True), entry_page(kind, lang)
            html = read(site, old)
            live_folder = live.split("/")[-2]
            assert '<meta name="robots" content="noindex">' in html
            assert f'<noscript><meta http-equiv="refresh" content="0; url=../{live_folder}/"></noscript>' in html
            assert f'<link rel="canonical" href="https://example.org/every/{live.removesuffix("index.html")}">' in html
            assert f"/every/{old.removesuffix('index.html')} /every/{live.removesuffix('index.html')} 301" in redirects
    # No page of the site links to a former address: relations were rewritten to live ids.
    for page in html_pages(site):
        if page.name == "index.html" and page.parent.name in {e[3] for e in ENTRIES.values()}:
            continue  # the redirect pages themselves, and the short links of former ids
        for href, _ in parse_page(page).links:
            assert not any(f"/{e[3]}/" in href for e in ENTRIES.values()), f"{page.relative_to(site)}: {href}"


def test_a_note_cited_three_times_on_a_page_has_one_number_and_three_ways_back(built):
    site = built["every-feature"]
    numbers = {}
    for lang in ("fr", "en"):
        html = read(site, entry_page("event", lang))
        calls = re.findall(r'<a href="#note-([a-z0-9-]+)" id="(cite-[a-z0-9-]+)" role="doc-noteref">(\d+)</a>', html)
        # summary cites journal-1; the body cites journal-2, then journal-1 twice in one paragraph
        assert calls == [("journal-1", "cite-journal-1-1", "1"), ("journal-2", "cite-journal-2-1", "2"),
                         ("journal-1", "cite-journal-1-2", "1"), ("journal-1", "cite-journal-1-3", "1")], lang
        notes = html[html.index('<section class="footnotes"'):]
        backrefs = re.findall(r'<li id="note-journal-1" value="1">(.*?)</li>', notes, re.S)[0]
        assert re.findall(r'href="#(cite-journal-1-\d)"', backrefs) == ["cite-journal-1-1", "cite-journal-1-2",
                                                                          "cite-journal-1-3"]
        # journal-2 has no source: its text, no source link, one way back.
        second = re.findall(r'<li id="note-journal-2" value="2">(.*?)</li>', notes, re.S)[0]
        assert "sources/" not in second and second.count('role="doc-backlink"') == 1
        numbers[lang] = [(note, number) for note, _, number in calls]
    assert numbers["fr"] == numbers["en"]


@pytest.mark.parametrize("kind, where", [("equipment", "order comment"), ("dataset", "dataset note")])
def test_notes_cited_outside_the_main_text_are_numbered_and_listed(built, kind, where):
    site = built["every-feature"]
    for lang in ("fr", "en"):
        html = read(site, entry_page(kind, lang))
        assert re.search(r'<a href="#note-journal-2" id="cite-journal-2-1" role="doc-noteref">\d+</a>', html), (lang, where)
        assert '<li id="note-journal-2"' in html[html.index('<section class="footnotes"'):], (lang, where)


def test_markdown_headings_fit_under_the_page_title_with_paragraph_anchors(built):
    """'# ' in a body is a section of the page (<h2> under its <h1>); paragraphs and headings get
    ids counted by position, so the same ids in both languages."""
    site = built["every-feature"]
    ids = {}
    for lang, (history, trials) in {"fr": ("Historique", "Essais"), "en": ("History", "Trials")}.items():
        html = read(site, entry_page("equipment", lang))
        assert re.search(rf'<h2 id="body-1">{history}<a class="anchor" href="#body-1"', html), lang
        assert re.search(rf'<h3 id="body-3">{trials}<a class="anchor" href="#body-3"', html), lang
        ids[lang] = re.findall(r'id="(body-\d+)"', html)
    assert ids["fr"] == ids["en"] == ["body-1", "body-2", "body-3", "body-4"]


def test_markdown_headings_written_from_level_two_fit_under_the_page_title(built):
    """'## ' sections, as most Markdown writes them under a page title, are <h2> too: the text's
    top level is fitted under the page's <h1>, never one level lower (a skipped level); on the
    bilingual page, under each language's <h2>, they are <h3>."""
    site = built["every-feature"]
    for lang, (first, second) in {"fr": ("Contexte", "Suite"), "en": ("Background", "Aftermath")}.items():
        html = read(site, entry_page("event", lang))
        assert re.search(rf'<h2 id="body-\d+">{first}<a class="anchor"', html), lang
        assert re.search(rf'<h2 id="body-\d+">{second}<a class="anchor"', html), lang
        assert not re.search(r'<h[13-6] id="body-', html), lang  # both sections of the body, no lower level
    bilingual = read(site, entry_page("event", "fr").replace("index.html", "bilingue/index.html"))
    assert "<h3>Contexte</h3>" in bilingual and "<h3>Background</h3>" in bilingual


def test_lists_and_a_passage_in_a_third_language(built):
    site = built["every-feature"]
    fr, en = read(site, entry_page("event", "fr")), read(site, entry_page("event", "en"))
    assert f"<li>une livraison en 2020{NNBSP};</li>" in fr and "<li>a delivery in 2020;</li>" in en
    assert f'<li>une devise{NBSP}: <span lang="az">Birlik</span>.</li>' in fr
    assert '<li>a motto: <span lang="az">Birlik</span>.</li>' in en


def test_french_typography_in_titles_and_link_texts(built):
    site = built["every-feature"]
    fr, en = read(site, entry_page("event", "fr")), read(site, entry_page("event", "en"))
    title_fr = f"Sommet «{NBSP}Exemple{NBSP}»{NBSP}: un accord{NNBSP}?"
    site_fr = f"Exemples{NBSP}: «{NBSP}tout{NBSP}»"
    assert f"<title>{title_fr} · {site_fr}</title>" in fr
    assert re.search(rf"<h1[^>]*>{re.escape(title_fr)}</h1>", fr)
    assert f'<span aria-current="page">{title_fr}</span>' in fr  # breadcrumbs
    assert "<title>The “Example” summit: a deal? · Examples: “everything”</title>" in en
    # Inside a link's text, and right after a link and a note call.
    assert f'<a href="../../acteurs/northland/">Nordland{NBSP}: État hôte</a>' in fr
    assert f'<a href="../../acteurs/example-works/">Example Works</a>{NNBSP}; un accord' in fr
    assert re.search(rf'role="doc-noteref">1</a></sup>{NNBSP}!', fr)
    assert '<a href="../../actors/northland/">Northland, the host state</a>' in en


def test_bounded_and_lower_bound_figures_per_locale(built):
    site = built["every-feature"]
    assert f"de 40 à 45{NNBSP}%" in read(site, entry_page("actor", "fr").replace("northland", "example-works"))
    assert "40 to 45%" in read(site, entry_page("actor", "en").replace("northland", "example-works"))
    assert "plus de 12<sup" in read(site, "fr/index.html") and "more than 12<sup" in read(site, "en/index.html")
