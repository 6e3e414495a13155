"""Pages that share well and are found: descriptions, OpenGraph and Twitter cards, share
pictures, schema.org JSON-LD, Atom feeds, "Last updated", QR codes on printed pages,
icons and manifests, fingerprinted assets with `_headers`, and the placeholder address."""
from __future__ import annotations

import hashlib
import html
import json
import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urlparse

import pytest
from PIL import Image

from html_tools import html_pages as _html_files
from site_builder.render.qr import qr_svg

ROOT = Path(__file__).parent.parent
BASE = "https://example.org/dynamics/"
EVENT = "2021-03-15-example-contract"
ATOM = "{http://www.w3.org/2005/Atom}"
DATED = {  # files of the fixture given `added`/`updated` days for these tests
    f"timeline/{EVENT}.yaml": "added: 2024-01-10\nupdated: 2024-03-02\n",
    "actors/testland.yaml": "added: 2024-01-10\n",
    "sources/example-report.yaml": "added: 2024-02-20\n",
}


def _date_entries(content: Path) -> None:
    for relative, fields in DATED.items():
        path = content / relative
        text = path.read_text()
        path.write_text(re.sub(r"^(id: .*\n)", lambda m: m.group(1) + fields, text, count=1, flags=re.M))


@pytest.fixture(scope="module")
def built(tmp_path_factory, run_cli) -> Path:
    work = tmp_path_factory.mktemp("sharing")
    shutil.copytree(ROOT / "tests" / "fixtures" / "minimal", work / "content")
    _date_entries(work / "content")
    result = run_cli("build", "--templates", ROOT / "templates", "--no-search", cwd=work)
    assert result.returncode == 0, result.stderr
    return work / "build"


def html_pages(built: Path) -> list[tuple[Path, str]]:
    return [(path, path.read_text()) for path in _html_files(built)]


def _meta(page: str) -> dict[str, str]:
    found = {}
    for attribute, name, content in re.findall(r'<meta (property|name)="([^"]+)" content="([^"]*)">', page):
        found[name] = html.unescape(content)
    return found


def _local(built: Path, url: str) -> Path:
    """The built file an absolute URL of the site points to."""
    assert url.startswith(BASE), url
    path = url[len(BASE):]
    return built / (path + "index.html" if path.endswith("/") or not path else path)


def _json_ld(page: str) -> dict:
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    assert len(blocks) == 1
    return json.loads(blocks[0])


# -- description, OpenGraph, Twitter ----------------------------------------------------

def test_each_page_is_described_by_its_own_summary_in_plain_text(built):
    en = _meta((built / "en" / "timeline" / EVENT / "index.html").read_text())
    fr = _meta((built / "fr" / "chronologie" / EVENT / "index.html").read_text())
    # the summary without its links' markup nor its footnote call
    assert en["description"] == "Testland orders example drones from Example Corp."
    assert fr["description"] == "Le Testland commande des drones d’exemple à Example Corp."
    descriptions = {}
    for path, page in html_pages(built):
        meta = _meta(page)
        if "og:title" not in meta:
            continue
        assert 0 < len(meta["description"]) <= 160 and "<" not in meta["description"], path
        descriptions.setdefault(meta["description"], []).append(path)
    repeated = {text: paths for text, paths in descriptions.items() if len(paths) > 1}
    assert not repeated, repeated


def test_long_summaries_are_cut_between_words():
    from site_builder.render.meta import shorten
    text = "word " * 60
    cut = shorten(text)
    assert len(cut) <= 160 and cut.endswith("word…")
    assert shorten("short text") == "short text"


def test_open_graph_and_twitter_card_of_an_entry_page(built):
    meta = _meta((built / "en" / "timeline" / EVENT / "index.html").read_text())
    url = f"{BASE}en/timeline/{EVENT}/"
    assert meta["og:type"] == "article" and meta["og:title"] == "Example contract" and meta["og:url"] == url
    assert meta["og:locale"] == "en_GB" and meta["og:locale:alternate"] == "fr_FR"
    assert meta["og:site_name"] == "Example Dynamics"
    assert meta["og:image"] == f"{url}share.png" and meta["og:image:alt"].startswith("Example contract — Event · 15 March 2021")
    assert meta["article:modified_time"] == "2024-03-02"
    assert meta["twitter:card"] == "summary_large_image"  # X reads the rest from OpenGraph
    fr = _meta((built / "fr" / "chronologie" / EVENT / "index.html").read_text())
    assert fr["og:locale"] == "fr_FR" and fr["og:title"] == "Contrat d’exemple"
    assert fr["og:image:alt"].startswith("Contrat d’exemple — Événement · 15 mars 2021")


def test_every_og_image_exists_with_the_stated_size(built):
    checked = 0
    for path, page in html_pages(built):
        meta = _meta(page)
        if "og:image" not in meta:
            continue
        image = Image.open(_local(built, meta["og:image"]))
        assert image.format == "PNG", path
        assert image.size == (int(meta["og:image:width"]), int(meta["og:image:height"])) == (1200, 630), path
        checked += 1
    readers = [rel for rel in (p.relative_to(built).as_posix() for p in _html_files(built))
               if rel != "index.html" and not rel.endswith("404.html") and not rel.startswith("e/") and "/bilingu" not in rel]
    assert checked == len(readers) > 20


def test_share_pictures_are_kept_in_the_cache_and_drawn_again_only_when_their_text_changes(site_copy, run_cli, tmp_path):
    build = lambda: run_cli("build", "--templates", templates, "--no-search", cwd=tmp_path)  # noqa: E731
    templates = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", templates)
    assert build().returncode == 0
    cache = tmp_path / ".cache" / "site-builder" / "share-images"
    if not cache.is_dir():  # the cache lives beside the output folder
        cache = next((tmp_path).rglob("share-images"))
    first = {p.name: p.stat().st_mtime_ns for p in cache.iterdir()}
    picture = (tmp_path / "build" / "en" / "timeline" / EVENT / "share.png").read_bytes()
    assert first and hashlib.sha256(picture).hexdigest() in {
        hashlib.sha256(p.read_bytes()).hexdigest() for p in cache.iterdir()}
    # a template changes: every page is rendered again, but no picture is drawn again
    (templates / "base.html").write_text((templates / "base.html").read_text() + "\n")
    assert build().returncode == 0
    assert {p.name: p.stat().st_mtime_ns for p in cache.iterdir()} == first
    # a title changes: its two pictures (one per language) are drawn, nothing else
    path = site_copy / "timeline" / f"{EVENT}.yaml"
    path.write_text(path.read_text().replace("en: Example contract", "en: Example contract, revised"))
    assert build().returncode == 0
    now = {p.name: p.stat().st_mtime_ns for p in cache.iterdir()}
    assert len(set(now) - set(first)) == 1 and all(now[name] == first[name] for name in first)
    assert (tmp_path / "build" / "en" / "timeline" / EVENT / "share.png").read_bytes() != picture


# -- schema.org JSON-LD -----------------------------------------------------------------

# Per type: the properties every node must have, and every property schema.org allows on it
# that we may write (a misspelt or misplaced property fails).
REQUIRED = {
    "Event": {"name", "startDate", "url"}, "Person": {"name"}, "Organization": {"name"},
    "Country": {"name", "url"}, "Product": {"name", "url"}, "Dataset": {"name", "description", "distribution"},
    "DataDownload": {"contentUrl", "encodingFormat"}, "BreadcrumbList": {"itemListElement"},
    "ListItem": {"position", "name", "item"}, "WebSite": {"name", "url"}, "CollectionPage": {"name", "url"},
    "WebPage": {"name", "url"}, "Report": {"name"}, "ScholarlyArticle": {"name"}, "NewsArticle": {"name"},
    "CreativeWork": {"name"}, "Book": {"name"}, "Chapter": {"name"}, "DataCatalog": {"name"},
}
THING = {"@type", "name", "description", "url", "image", "sameAs", "mainEntityOfPage"}
CREATIVE_WORK = THING | {"inLanguage", "author", "datePublished", "publisher", "isPartOf", "license", "creator",
                         "keywords", "isAccessibleForFree", "temporalCoverage"}
ALLOWED = {
    "Event": THING | {"startDate", "endDate", "inLanguage", "keywords"},
    "Person": THING | {"affiliation", "nationality"}, "Organization": THING | {"parentOrganization"},
    "Country": THING, "Product": THING | {"category", "manufacturer", "countryOfOrigin"},
    "Dataset": CREATIVE_WORK | {"distribution", "variableMeasured"},
    "DataDownload": CREATIVE_WORK | {"contentUrl", "encodingFormat"}, "BreadcrumbList": THING | {"itemListElement"},
    "ListItem": THING | {"position", "item"}, "WebSite": CREATIVE_WORK, "CollectionPage": CREATIVE_WORK,
    "WebPage": CREATIVE_WORK, "Report": CREATIVE_WORK, "ScholarlyArticle": CREATIVE_WORK | {"pagination"},
    "NewsArticle": CREATIVE_WORK | {"pagination"}, "CreativeWork": CREATIVE_WORK, "Book": CREATIVE_WORK,
    "Chapter": CREATIVE_WORK | {"pagination"}, "DataCatalog": CREATIVE_WORK,
}
ISO_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def _check_node(node: dict, where: str) -> list[str]:
    kind = node.get("@type")
    assert kind in REQUIRED, f"{where}: unknown type {kind}"
    assert REQUIRED[kind] <= set(node), f"{where}: {kind} lacks {REQUIRED[kind] - set(node)}"
    assert set(node) <= ALLOWED[kind], f"{where}: {kind} has {set(node) - ALLOWED[kind]}"
    for name in ("startDate", "endDate", "datePublished"):
        if name in node:
            assert ISO_DATE.match(node[name]), f"{where}: {name} {node[name]}"
    types = [kind]
    for value in node.values():
        for child in value if isinstance(value, list) else [value]:
            if isinstance(child, dict):
                types += _check_node(child, where)
    return types


def test_every_page_has_valid_json_ld_with_a_breadcrumb(built):
    seen = set()
    for path, page in html_pages(built):
        if "application/ld+json" not in page:
            assert re.search(r"(^|/)(404\.html|bilingu\w+/index\.html|e/.*)$", str(path.relative_to(built))) \
                or str(path.relative_to(built)) == "index.html", path
            continue
        data = _json_ld(page)
        assert data["@context"] == "https://schema.org"
        for node in data["@graph"]:
            seen.update(_check_node(node, str(path)))
        crumbs = [n for n in data["@graph"] if n["@type"] == "BreadcrumbList"]
        assert len(crumbs) == 1, path
        items = crumbs[0]["itemListElement"]
        assert [item["position"] for item in items] == list(range(1, len(items) + 1))
        for item in items:
            assert _local(built, item["item"]).is_file(), (path, item)
        canonical = re.search(r'<link rel="canonical" href="([^"]+)">', page).group(1)
        assert items[-1]["item"] == canonical, path
    assert {"Event", "Person", "Organization", "Country", "Product", "Dataset", "DataDownload", "BreadcrumbList",
            "WebSite", "Report"} <= seen


def test_json_ld_of_each_kind(built):
    def main(path: str) -> dict:
        return _json_ld((built / path / "index.html").read_text())["@graph"][0]
    event = main(f"en/timeline/{EVENT}")
    assert event["@type"] == "Event" and event["startDate"] == "2021-03-15" and event["name"] == "Example contract"
    assert "endDate" not in event
    trials = main("en/timeline/2020-09-example-trials")
    assert trials["startDate"] == "2020-09"  # at the precision of the source
    assert main("en/actors/testland")["@type"] == "Country"
    assert main("en/actors/jane-example")["@type"] == "Person"
    assert main("en/actors/example-corp")["@type"] == "Organization"
    drone = main("en/equipment/example-drone")
    assert drone["@type"] == "Product" and drone["manufacturer"][0]["name"] == "Example Corp"
    dataset = main("en/data/example-exports")
    assert dataset["@type"] == "Dataset"
    formats = {d["encodingFormat"]: d["contentUrl"] for d in dataset["distribution"]}
    assert set(formats) == {"text/csv", "application/json"}
    for url in formats.values():
        assert _local(built, url).is_file()
    report = main("en/sources/example-report")
    assert report["@type"] == "Report" and report["author"] == [{"@type": "Person", "name": "Jane Example"}]
    assert report["datePublished"] == "2023-11" and report["inLanguage"] == "en"
    home = main("fr")
    assert home["@type"] == "WebSite" and home["inLanguage"] == "fr"


def test_json_ld_cannot_be_closed_by_a_title():
    from site_builder.render.meta import json_ld_markup
    text = str(json_ld_markup({"name": "</script><script>alert(1)</script> & co"}))
    assert "<" not in text and ">" not in text and json.loads(text)["name"].startswith("</script>")


# -- feeds and "Last updated" -------------------------------------------------------------

RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")


def _check_atom(feed: ET.Element) -> None:
    """RFC 4287's rules for a feed document (section 4.1.1 and 4.1.2)."""
    assert feed.tag == f"{ATOM}feed"
    for name in ("id", "title", "updated"):  # exactly one of each
        assert len(feed.findall(f"{ATOM}{name}")) == 1, name
    assert urlparse(feed.findtext(f"{ATOM}id")).scheme in ("https", "http", "tag", "urn")
    assert RFC3339.match(feed.findtext(f"{ATOM}updated"))
    assert any(link.get("rel") == "self" for link in feed.findall(f"{ATOM}link"))
    alternates = [(link.get("type"), link.get("hreflang")) for link in feed.findall(f"{ATOM}link")
                  if link.get("rel", "alternate") == "alternate"]
    assert len(alternates) == len(set(alternates))  # at most one per type and hreflang
    feed_has_author = feed.find(f"{ATOM}author") is not None
    ids = []
    for entry in feed.findall(f"{ATOM}entry"):
        for name in ("id", "title", "updated"):
            assert len(entry.findall(f"{ATOM}{name}")) == 1, name
        assert RFC3339.match(entry.findtext(f"{ATOM}updated"))
        if entry.find(f"{ATOM}published") is not None:
            assert RFC3339.match(entry.findtext(f"{ATOM}published"))
        assert feed_has_author or entry.find(f"{ATOM}author") is not None
        # no content element: then a link alternate and a summary are required
        assert entry.find(f"{ATOM}content") is None
        assert any(link.get("rel", "alternate") == "alternate" for link in entry.findall(f"{ATOM}link"))
        assert entry.findtext(f"{ATOM}summary")
        ids.append(entry.findtext(f"{ATOM}id"))
    assert len(ids) == len(set(ids))


def test_an_atom_feed_per_language_of_dated_entries_latest_first(built):
    for lang, event_url, title in (("en", f"{BASE}en/timeline/{EVENT}/", "Example contract"),
                                   ("fr", f"{BASE}fr/chronologie/{EVENT}/", "Contrat d’exemple")):
        feed = ET.fromstring((built / lang / "atom.xml").read_bytes())
        _check_atom(feed)
        assert feed.get("{http://www.w3.org/XML/1998/namespace}lang") == lang
        assert feed.findtext(f"{ATOM}updated") == "2024-03-02T00:00:00Z"
        entries = feed.findall(f"{ATOM}entry")
        # only the three dated entries, most recently revised first
        assert [e.findtext(f"{ATOM}updated") for e in entries] == [
            "2024-03-02T00:00:00Z", "2024-02-20T00:00:00Z", "2024-01-10T00:00:00Z"]
        first = entries[0]
        assert first.findtext(f"{ATOM}id") == event_url and first.findtext(f"{ATOM}title") == title
        assert first.findtext(f"{ATOM}published") == "2024-01-10T00:00:00Z"
        for entry in entries:
            assert _local(built, entry.find(f"{ATOM}link").get("href")).is_file()
        page = (built / lang / "index.html").read_text()
        assert '<link rel="alternate" type="application/atom+xml" href="atom.xml"' in page


def test_last_updated_on_entry_pages(built):
    en = (built / "en" / "timeline" / EVENT / "index.html").read_text()
    fr = (built / "fr" / "chronologie" / EVENT / "index.html").read_text()
    assert '<p class="last-updated">Last updated: <time datetime="2024-03-02">2 March 2024</time></p>' in en
    assert '<p class="last-updated">Dernière mise à jour\u00a0: <time datetime="2024-03-02">2 mars 2024</time></p>' in fr
    actor = (built / "en" / "actors" / "testland" / "index.html").read_text()
    assert "Last updated: <time datetime=\"2024-01-10\">" in actor  # only added: its first publication
    assert "last-updated" not in (built / "en" / "actors" / "example-corp" / "index.html").read_text()


def test_a_dated_field_must_be_one_day(site_copy, write_file, run_cli, tmp_path):
    path = site_copy / "actors" / "testland.yaml"
    path.write_text(path.read_text().replace("id: testland\n", "id: testland\nupdated: 2024-03\n"))
    result = run_cli("check", cwd=tmp_path)
    assert result.returncode == 1
    assert re.search(r"content/actors/testland\.yaml:2:\d+: error: .*'2024-03' is not one day", result.stderr), result.stderr


# -- QR codes on printed pages ---------------------------------------------------------------

def test_print_and_bilingual_views_carry_a_qr_code_of_the_short_link(built):
    short = f"{BASE}e/event/{EVENT}/"
    for path, label in ((f"en/timeline/{EVENT}/index.html", "QR code of the short link"),
                        (f"en/timeline/{EVENT}/bilingual/index.html", "QR code of the short link"),
                        (f"fr/chronologie/{EVENT}/bilingue/index.html", "Code QR du lien court")):
        page = (built / path).read_text()
        figure = page[page.index('<figure class="print-qr">'):page.index("</figure>")]
        assert str(qr_svg(short, f"{label} {short}")) in figure, path
        assert short in figure
    assert "qr-code" not in (built / "en" / "timeline" / "index.html").read_text()  # lists have no one address


# -- icons, manifest, fingerprinted assets and _headers ---------------------------------------

def test_favicon_and_manifest(built):
    assert Image.open(built / "favicon.ico").format == "ICO"
    page = (built / "en" / "index.html").read_text()
    svg = re.search(r'<link rel="icon" href="([^"]+)" type="image/svg\+xml">', page).group(1)
    png = re.search(r'<link rel="icon" href="([^"]+)" type="image/png" sizes="32x32">', page).group(1)
    assert (built / "en" / svg).resolve().read_text().startswith("<svg")
    assert Image.open((built / "en" / png).resolve()).size == (32, 32)
    manifest_href = re.search(r'<link rel="manifest" href="([^"]+)">', page).group(1)
    manifest_path = (built / "en" / manifest_href).resolve()
    manifest = json.loads(manifest_path.read_text())
    assert manifest["lang"] == "en" and manifest["name"] == "Example Dynamics"
    for icon in manifest["icons"]:
        file = (manifest_path.parent / icon["src"]).resolve()
        assert file.is_file(), icon
        if icon["type"] == "image/png":
            assert "x".join(map(str, Image.open(file).size)) == icon["sizes"]
    assert json.loads((built / "fr" / "manifest.webmanifest").read_text())["name"] == "Dynamiques d’exemple"


def test_assets_are_fingerprinted_and_hosts_told_how_long_to_keep_them(built):
    page = (built / "en" / "index.html").read_text()
    linked = re.findall(r'(?:href|src)="(?:\.\./)+(assets/[^"]+)"', page)
    assert linked and all(re.match(r"assets/v/[\w-]+\.[0-9a-f]{10}\.\w+$", path) for path in linked), linked
    for path in linked:
        data = (built / path).read_bytes()
        assert hashlib.sha256(data).hexdigest()[:10] == path.rsplit(".", 2)[1]
        plain = built / "assets" / (path.split("/")[-1].split(".")[0] + "." + path.rsplit(".", 1)[1])
        assert plain.read_bytes() == data  # the plain name stays, for links from outside
    headers = (built / "_headers").read_text()
    assert "/dynamics/assets/v/*\n  Cache-Control: public, max-age=31536000, immutable\n" in headers
    for path in ("/dynamics/", "/dynamics/en/*", "/dynamics/fr/*", "/dynamics/e/*"):
        assert f"{path}\n  Cache-Control: public, max-age=0, must-revalidate\n" in headers
    assert "/dynamics/assets/*\n" not in headers  # hosts merge matching rules: never two for one asset


def test_a_changed_stylesheet_gets_a_new_name(site_copy, run_cli, tmp_path):
    templates = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", templates)
    assert run_cli("build", "--templates", templates, "--no-search", cwd=tmp_path).returncode == 0
    before = re.search(r"assets/v/style\.\w+\.css", (tmp_path / "build" / "en" / "index.html").read_text()).group()
    (templates / "static" / "style.css").write_text((templates / "static" / "style.css").read_text() + "\n/* x */\n")
    assert run_cli("build", "--templates", templates, "--no-search", cwd=tmp_path).returncode == 0
    after = re.search(r"assets/v/style\.\w+\.css", (tmp_path / "build" / "en" / "index.html").read_text()).group()
    assert before != after and (tmp_path / "build" / after).is_file()


# -- the placeholder address -------------------------------------------------------------------

def test_the_placeholder_address_warns_on_every_build_and_fails_strict(site_copy, run_cli, tmp_path):
    site = site_copy / "site.yaml"
    site.write_text(site.read_text().replace("base_url: https://example.org/dynamics/", "base_url: https://example.org/"))
    message = r"content/site\.yaml:\d+:\d+: warning: base_url is still the placeholder https://example\.org/"
    for _ in range(2):  # the second build has nothing to do, and still says it
        result = run_cli("build", "--no-search", "--templates", ROOT / "templates", cwd=tmp_path)
        assert result.returncode == 0 and re.search(message, result.stderr), result.stderr
    strict = run_cli("build", "--no-search", "--strict", "--templates", ROOT / "templates", cwd=tmp_path)
    assert strict.returncode == 1 and re.search(message, strict.stderr)
    real = run_cli("build", "--no-search", "--base-url", "https://explainer.example.net/", "--strict",
                   "--templates", ROOT / "templates", cwd=tmp_path)
    assert real.returncode == 0 and "placeholder" not in real.stderr
    # `check` judges the content, not where it is published
    assert "placeholder" not in run_cli("check", "--strict", cwd=tmp_path).stderr


# -- passages in another language ----------------------------------------------------------------

def test_a_passage_in_another_language_is_marked_in_prose(site_copy, run_cli, tmp_path):
    path = site_copy / "timeline" / f"{EVENT}.yaml"
    text = path.read_text()
    text = text.replace("    [Testland](actor:testland) orders\n",
                        "    [Testland](actor:testland), in its [« Patrie bleue » doctrine]{lang=fr}, orders\n")
    text = text.replace("    Le [Testland](actor:testland) commande des\n",
                        "    Le [Testland](actor:testland) annonce [“Example: first”]{lang=en} et commande des\n")
    path.write_text(text)
    assert run_cli("build", "--no-search", "--templates", ROOT / "templates", cwd=tmp_path).returncode == 0
    en = (tmp_path / "build" / "en" / "timeline" / EVENT / "index.html").read_text()
    fr = (tmp_path / "build" / "fr" / "chronologie" / EVENT / "index.html").read_text()
    assert '<span lang="fr">«\u00a0Patrie bleue\u00a0» doctrine</span>' in en  # French spacing for French
    # French spacing is for French: the English quotation keeps its colon as written
    assert '<span lang="en">“Example: first”</span>' in fr
    # the description is plain text
    assert _meta(en)["description"].startswith("Testland, in its «\u00a0Patrie bleue\u00a0» doctrine, orders")
    # a code that is not a language code is not markup
    path.write_text(text.replace("{lang=fr}", "{lang=FR!}"))
    assert run_cli("build", "--no-search", "--templates", ROOT / "templates", cwd=tmp_path).returncode == 0
    en = (tmp_path / "build" / "en" / "timeline" / EVENT / "index.html").read_text()
    assert "[« Patrie bleue » doctrine]{lang=FR!}" in en and 'lang="FR' not in en


def test_an_entry_cannot_be_revised_before_it_was_published(site_copy, run_cli, tmp_path):
    path = site_copy / "actors" / "testland.yaml"
    path.write_text(path.read_text().replace("id: testland\n", "id: testland\nadded: 2024-02-01\nupdated: 2024-01-01\n"))
    result = run_cli("check", cwd=tmp_path)
    assert result.returncode == 1
    assert ("content/actors/testland.yaml:3:10: error: updated '2024-01-01' is before added '2024-02-01'"
            in result.stderr), result.stderr
