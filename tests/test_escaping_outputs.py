"""Hostile text comes out inert in every output format, not only in pages.

One site is built (in-process, without search) from the minimal fixture with
hostile values in every kind of field - titles, names, prose, notes, order
comments, data labels, source details and URLs - and published at a base URL
holding `&` and `'`. Then each format is read with a real parser, the way a
browser, a spreadsheet or a search engine reads it:

- HTML: no element or attribute comes from content (no inline script, no event
  handler, no javascript: link), and the hostile text is there, escaped;
  data-* attributes (timeline filters, footnote calls) carry ids only;
- JSON: parses, and holds the hostile text verbatim (it is data);
- CSV: no text cell starts like a spreadsheet formula;
- XML (sitemap): parses, every address under the base URL, `&` escaped.
"""
from __future__ import annotations

import csv
import dataclasses
import io
import json
import re
import shutil
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlparse

import pytest

from site_builder.commands.cli import main
from site_builder.building.pipeline import check
from site_in_memory import render_site

TESTS = Path(__file__).parent
TEMPLATES = TESTS.parent / "templates"
BASE_URL = "https://example.org/a&b'c/"

SCRIPT = "<script>alert('x')</script>"
BREAKOUTS = "</textarea></title></style></script>]]><!--"
FORMULA = "=HYPERLINK(\"https://evil.example\",\"x\")"


def q(value: str) -> str:
    """`value` as a YAML double-quoted scalar (a JSON string is one)."""
    return json.dumps(value, ensure_ascii=False)


EDITS = {  # file -> {text in the fixture: hostile replacement}
    "site.yaml": {
        "fr: Dynamiques d'exemple": f"fr: {q(f'Dyn {SCRIPT} {BREAKOUTS}')}",
        "en: Example Dynamics": "en: " + q("\"><svg onload=alert(1)> Dyn ' \" &amp;"),
        "fr: Un site de démonstration sur le Testland": f"fr: {q(FORMULA)}",
        "author: Example Editors": "author: " + q("@SUM(1+1) <b>Editors</b>"),
    },
    "actors/jane-example.yaml": {
        "name: Jane Example": f"name: {q(f'{SCRIPT} {BREAKOUTS}')}",
        "    Chercheuse à l'[Institut d'exemple](actor:example-institute).":
            "    =1+1 <img src=x onerror=alert(1)> [lien](https://example.org/\"onmouseover=\"alert(3)) "
            "`</script>` </textarea><script>alert(2)</script> &lt;deja&gt; <!-- [^example-report-1]",
    },
    "sources/example-database.yaml": {
        "title: Example Transfers Database": f"title: {q(f'Title {SCRIPT} {BREAKOUTS}')}",
        "publisher: Example Institute": f"publisher: {q(FORMULA)}",
        "url: https://example.org/database": "url: https://example.org/db?a=1&b=2#javascript:alert(1)",
    },
    "notes/example-report.yaml": {
        "fr: Date approximative.": f"fr: {q(f'+1 {SCRIPT} {BREAKOUTS}')}",
        "locator: p. 3": "locator: " + q("-2+3 </a><script>x</script>"),
    },
    "timeline/2022-06-example-delivery.yaml": {
        "fr: Livraison d'exemple": f"fr: {q(FORMULA)}",
        "en: Example delivery": f"en: {q(f'{SCRIPT} {BREAKOUTS}')}",
    },
    "equipment/example-drone.yaml": {
        "name: Example Drone": "name: " + q("<b onclick=alert(1)>Drone</b> \" ' ]]>"),
        "fr: Commande de démonstration.": f"fr: {q(f'@cmd {SCRIPT}')}",
    },
    "data/example-exports.yaml": {
        "fr: Exportations d'exemple": f"fr: {q(f'-1+1 {SCRIPT}')}",
        "en: Exports": f"en: {q(f'</text><script>alert(1)</script> {BREAKOUTS}')}",
    },
    "actors/testland.yaml": {
        "fr: Part des importations": f"fr: {q(f'<img src=x onerror=alert(1)> {BREAKOUTS}')}",
    },
}


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("escaping")
    content = root / "content"
    shutil.copytree(TESTS / "fixtures" / "minimal", content)
    for relative, replacements in EDITS.items():
        path = content / relative
        text = path.read_text(encoding="utf-8")
        for old, new in replacements.items():
            assert old in text, (relative, old)
            text = text.replace(old, new)
        path.write_text(text, encoding="utf-8")
    status = main(["build", "--content", str(content), "--out", str(root / "build"), "--templates", str(TEMPLATES),
                   "--base-url", BASE_URL, "--no-search", "--quiet"])
    assert status == 0
    return root / "build"


class Tags(HTMLParser):
    """Every start tag with its attributes, and the text inside <script> elements."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.script_text: list[str] = []
        self.json_ld: list[str] = []  # <script type="application/ld+json">: data, never run
        self._in_script = self._in_json = False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in_json = tag == "script" and dict(attrs).get("type") == "application/ld+json"
        self._in_script = tag == "script" and not self._in_json

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_endtag(self, tag):
        self._in_script = self._in_json = False

    def handle_data(self, data):
        if self._in_script and data.strip():
            self.script_text.append(data)
        if self._in_json:
            self.json_ld.append(data)


def parse(html: str) -> Tags:
    parser = Tags()
    parser.feed(html)
    parser.close()
    return parser


def pages(build: Path) -> dict[str, str]:
    return {p.relative_to(build).as_posix(): p.read_text(encoding="utf-8") for p in sorted(build.rglob("*.html"))}


# --- HTML ------------------------------------------------------------------------------

FORBIDDEN_TAGS = {"img", "iframe", "object", "embed", "textarea", "b", "style", "base", "math", "frame", "applet"}
ID_LIST = re.compile(r"^[a-z0-9-]*( [a-z0-9-]+)*$")


def test_no_markup_from_content_reaches_a_page(built):
    for path, html in pages(built).items():
        document = parse(html)
        assert document.script_text == [], path  # no inline script
        for data in document.json_ld:  # structured data: JSON that no text can end early
            assert "<" not in data and ">" not in data, path
            json.loads(data)
        for tag, attrs in document.tags:
            assert tag not in FORBIDDEN_TAGS, (path, tag, attrs)
            if tag == "svg":
                # the site's own charts, pictures (charts.py, pictures.py, geo.py) and QR codes (qr.py)
                assert re.fullmatch(r"chart|qr-code|picture (timeline-overview|heat-map|locator-map)", attrs.get("class", "")), (path, attrs)
            if tag == "script" and attrs.get("type") != "application/ld+json":
                assert re.search(r"(^|/)(assets/(v/)?[\w-]+(\.[0-9a-f]{10})?\.js|pagefind/[\w./-]+)$", attrs.get("src") or ""), (path, attrs)
            for name, value in attrs.items():
                assert not name.startswith("on"), (path, tag, name, value)
                assert name != "style", (path, tag, attrs)
                if name in ("href", "src", "action", "formaction", "xlink:href") and value:
                    assert urlparse(value.strip()).scheme in ("", "http", "https", "mailto"), (path, tag, value)
                if name in ("data-themes", "data-actors", "data-kind", "data-note", "id"):
                    assert ID_LIST.match(value or ""), (path, tag, name, value)


def test_hostile_text_is_shown_escaped(built):
    person = (built / "en" / "actors" / "jane-example" / "index.html").read_text()
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in person  # the name
    assert "&lt;/textarea&gt;&lt;/title&gt;&lt;/style&gt;&lt;/script&gt;]]&gt;&lt;!--" in person
    french = (built / "fr" / "acteurs" / "jane-example" / "index.html").read_text()
    assert "&lt;img src=x onerror=alert(1)&gt;" in french  # raw HTML in prose is text
    assert "<code>&lt;/script&gt;</code>" in french
    assert " &lt;deja&gt; " in french  # an entity reference is text, never markup
    source = (built / "en" / "sources" / "example-database" / "index.html").read_text()
    assert 'href="https://example.org/db?a=1&amp;b=2#javascript:alert(1)"' in source
    title = re.search(r"<title>(.*?)</title>", (built / "fr" / "index.html").read_text(), re.S).group(1)
    assert "<" not in title and "&lt;script&gt;" in title


def test_base_url_with_ampersand_and_quote_is_escaped_in_pages(built):
    page = (built / "en" / "index.html").read_text()
    assert '<link rel="canonical" href="https://example.org/a&amp;b&#39;c/en/">' in page
    for path, html in pages(built).items():
        for tag, attrs in parse(html).tags:
            for name in ("href", "src"):
                value = attrs.get(name) or ""
                if value.startswith("https://example.org/a"):
                    assert value.startswith(BASE_URL), (path, value)


# --- JSON -----------------------------------------------------------------------------

def test_json_exports_parse_and_keep_the_text_verbatim(built):
    files = sorted((built / "data").glob("*.json"))
    assert files
    for path in files:
        json.loads(path.read_text(encoding="utf-8"))
    actors = json.loads((built / "data" / "actors.json").read_text())
    jane = next(r for r in actors["records"] if r["id"] == "jane-example")
    assert jane["name"]["fr"] == f"{SCRIPT} {BREAKOUTS}"
    assert jane["url"]["en"] == BASE_URL + "en/actors/jane-example/"
    assert actors["site"]["title"]["fr"] == f"Dyn {SCRIPT} {BREAKOUTS}"


# --- CSV ------------------------------------------------------------------------------

def _is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


def test_no_csv_cell_starts_like_a_formula(built):
    files = sorted((built / "data").rglob("*.csv"))
    assert files
    seen = []
    for path in files:
        for row in csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")):
            for cell in row:
                if cell[:1] in ("=", "+", "-", "@", "\t", "\r"):
                    assert _is_number(cell), (path.name, cell)
                seen.append(cell)
    # the hostile values are there, defused with a leading apostrophe
    assert "'" + FORMULA in seen
    assert f"'=1+1 <img src=x onerror=alert(1)>" in " ".join(seen)
    assert f"'+1 {SCRIPT} {BREAKOUTS}" in seen
    assert "'-2+3 </a><script>x</script>" in seen
    assert f"'-1+1 {SCRIPT}" in seen
    assert f"'@cmd {SCRIPT}" in seen


# --- XML ------------------------------------------------------------------------------

def test_sitemap_is_well_formed_with_every_address_under_the_base_url(built):
    text = (built / "sitemap.xml").read_text(encoding="utf-8")
    assert "a&amp;b" in text and "a&b" not in text
    root = ET.fromstring(text)
    namespaces = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    locations = [loc.text for loc in root.iterfind("s:url/s:loc", namespaces)]
    alternates = [link.get("href") for link in root.iterfind("s:url/x:link", namespaces)]
    assert locations and alternates
    assert all(url.startswith(BASE_URL) for url in locations + alternates)
    assert "Sitemap: https://example.org/a&b'c/sitemap.xml" in (built / "robots.txt").read_text()


# --- base URLs ---------------------------------------------------------------------------

@pytest.mark.parametrize("url", ['https://example.org/"><script>alert(1)</script>/', "https://example.org/<x>/",
                                 "https://example.org/a b/", "javascript:alert(1)//", "https://example.org/{x}/"])
def test_cli_refuses_base_urls_no_url_holds_unencoded(url, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["build", "--base-url", url])
    assert exit_.value.code == 2
    assert "is not an absolute http(s) URL" in capsys.readouterr().err


def test_output_is_inert_even_with_a_hostile_base_url(monkeypatch):
    """Defence in depth: were a base URL with `"<>` ever let through, pages, sitemap and
    exports still escape it."""
    monkeypatch.chdir(TESTS / "fixtures")
    site, _ = check(Path("minimal"))
    hostile = 'https://example.org/"><script>alert(1)</script>\'/'
    files = render_site(dataclasses.replace(site, base_url=hostile), TEMPLATES)
    for path, data in files.items():
        text = data.decode("utf-8", errors="replace")
        if path.endswith(".html"):
            document = parse(text)
            assert document.script_text == [], path
            assert all(tag != "script" or attrs.get("src") or attrs.get("type") == "application/ld+json"
                       for tag, attrs in document.tags), path
            for data in document.json_ld:
                assert "<" not in data and json.loads(data), path
        elif path.endswith(".xml"):
            ET.fromstring(text)
            assert "<script>" not in text, path
        elif path.endswith(".json"):
            json.loads(text)
