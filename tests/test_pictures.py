"""The pictures (timeline overview, arms-orders heat map, locator map), the infobox and
the timeline's orders folded into their events, on the minimal fixture site built by the
command line; TopoJSON decoding and the committed map extract; ranges written once."""
from __future__ import annotations

import json
import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from site_builder.render.geo import GEODATA, SOURCE_FILE, Window, decode, locator_map, Place, region_topology
from site_builder.render.i18n import Formatter, load_translations

ROOT = Path(__file__).parent.parent
TEMPLATES = ROOT / "templates"
MINIMAL = Path(__file__).parent / "fixtures" / "minimal"
WORLD_ATLAS = ROOT / "node_modules" / "world-atlas"
SVG = "{http://www.w3.org/2000/svg}"
# the fixture's orders by year (all four), and its events by year
ORDERS = {2019: 1, 2021: 1, 2022: 1, 2023: 1}
EVENTS = {2008: 1, 2020: 1, 2021: 1, 2022: 1}


@pytest.fixture(scope="module")
def built(tmp_path_factory, run_cli) -> Path:
    work = tmp_path_factory.mktemp("pictures")
    shutil.copytree(MINIMAL, work / "content")
    testland = work / "content" / "actors" / "testland.yaml"
    # the fictional state drawn where Azerbaijan is, to have a country on the map
    testland.write_text(testland.read_text().replace("kind: state\n", 'kind: state\nmap_code: "031"\n'))
    result = run_cli("build", "--content", "content", "--out", "build", "--templates", TEMPLATES, "--no-search", cwd=work)
    assert result.returncode == 0, result.stderr
    return work / "build"


def _svg(html: str, css: str) -> ET.Element:
    match = re.search(rf'<svg [^>]*class="picture {css}".*?</svg>', html, re.S)
    assert match, f"no {css} picture"
    return ET.fromstring(match.group())


@pytest.mark.parametrize("path", ["fr/chronologie/index.html", "en/timeline/index.html"])
def test_timeline_overview_has_a_column_per_year_and_the_same_numbers_in_its_table(built, path):
    html = (built / path).read_text()
    svg = _svg(html, "timeline-overview")
    assert svg.get("aria-hidden") == "true"
    links = svg.findall(f"{SVG}a")
    assert [a.get("href") for a in links] == [f"#y{year}" for year in sorted(EVENTS.keys() | ORDERS.keys())]
    assert all(a.get("tabindex") == "-1" for a in links)
    table = html[html.index('<details class="picture-table">'):]
    table = table[:table.index("</details>")]
    rows = re.findall(r'<a href="#y(\d+)">\d+</a></th><td class="num">(\d+)</td><td class="num">(\d+)</td>', table)
    assert {int(y): (int(e), int(o)) for y, e, o in rows} == {
        year: (EVENTS.get(year, 0), ORDERS.get(year, 0)) for year in EVENTS.keys() | ORDERS.keys()}
    for year in EVENTS.keys() | ORDERS.keys():
        assert f'id="y{year}"' in html


def test_orders_reported_by_an_event_are_listed_in_its_card_not_beside_it(built):
    html = (built / "en/timeline/index.html").read_text()
    # every order is on the timeline once, with its anchor
    anchors = re.findall(r'<li class="[^"]*order[^"]*" id="(order-[a-z-]+-\d)"', html)
    assert len(anchors) == sum(ORDERS.values()) and len(set(anchors)) == len(anchors)
    # the drone's 2021 order is reported by the 2021 contract event: inside its card
    card = html[html.index('id="2021-03-15-example-contract"'):]
    card = card[:card.index('</ul>')]
    assert 'id="order-example-drone-1"' in card and 'class="event-orders"' in card


@pytest.mark.parametrize("lang, path, label", [("fr", "fr/equipements/index.html", "Commandes d’armes par catégorie"),
                                                ("en", "en/equipment/index.html", "Arms orders by category")])
def test_heat_map_counts_every_order_and_each_cell_leads_to_its_orders(built, lang, path, label):
    html = (built / path).read_text()
    assert label in html
    svg = _svg(html, "heat-map")
    cells = svg.findall(f"{SVG}a")
    assert sum(int(cell.find(f"{SVG}text").text) for cell in cells) == sum(ORDERS.values())
    for cell in cells:
        target = cell.get("href").lstrip("#")
        assert re.search(rf'<dd id="{target}">', html), f"cell to a missing {target}"


@pytest.mark.parametrize("path, name", [("fr/acteurs/index.html", "Testland"), ("en/actors/index.html", "Testland")])
def test_locator_map_draws_and_links_the_named_states(built, path, name):
    html = (built / path).read_text()
    svg = _svg(html, "locator-map")
    links = [a for a in svg.iter(f"{SVG}a")]
    assert {a.get("href") for a in links} == {"testland/"}
    assert any(t.text == name for t in svg.iter(f"{SVG}text"))
    assert re.search(r'<figcaption>.*<a href="testland/">', html, re.S), "the list next to the map"
    assert "Natural Earth" in html


@pytest.mark.parametrize("path", ["en/equipment/example-drone/index.html", "fr/equipements/example-drone/index.html"])
def test_equipment_infobox_gives_orders_with_quantities_and_years(built, path):
    html = (built / path).read_text()
    box = html[html.index('<aside class="infobox"'):html.index("</aside>")]
    assert re.search(r'<a href="#order-example-drone-1">10 (in|en) 2021</a>', box)
    assert re.search(r'<a href="#order-example-drone-2">2 (in|en) 2022</a>', box)
    # the infobox comes after the text (under it on a phone)
    assert html.index('class="prose summary"') < html.index('<aside class="infobox"')


def test_figure_ranges_write_their_unit_once():
    fr = Formatter("fr", load_translations(TEMPLATES / "locale", "fr"))
    en = Formatter("en", load_translations(TEMPLATES / "locale", "en"))
    assert fr.quantity(200e6, "USD", 300e6) == "de 200 à 300 millions de dollars"
    assert en.quantity(200e6, "USD", 300e6) == "$200 to $300 million"
    assert en.quantity(20, "percent", 30) == "20 to 30%"
    # different units stay whole
    assert "milliard de dollars à 2" in fr.quantity(1.2e9, "USD", 2e9).replace("\u00a0", " ")


# -- TopoJSON -------------------------------------------------------------------------------

TINY = {  # two unit squares sharing an edge (arc 1), quantized and delta-encoded
    "type": "Topology", "transform": {"scale": [0.5, 0.5], "translate": [10, 20]},
    "objects": {"countries": {"type": "GeometryCollection", "geometries": [
        {"type": "Polygon", "id": "001", "properties": {"name": "West"}, "arcs": [[0, 1]]},
        {"type": "MultiPolygon", "id": "002", "properties": {"name": "East"}, "arcs": [[[~1, 2]]]},
        {"type": "Polygon", "properties": {"name": "No code"}, "arcs": [[0, 1]]},
    ]}},
    "arcs": [[[2, 0], [-2, 0], [0, 2], [2, 0]],  # (11,20) (10,20) (10,21) (11,21)
             [[2, 2], [0, -2]],                  # (11,21) (11,20)
             [[2, 2], [2, 0], [0, -2], [-2, 0]]],  # (11,21) (12,21) (12,20) (11,20)
}


def test_decode_applies_the_transform_and_reverses_arcs():
    west, east = decode(TINY)
    assert west.code == "001" and west.polygons == (([(11, 20), (10, 20), (10, 21), (11, 21), (11, 20)],),)
    assert east.polygons == (([(11, 20), (11, 21), (12, 21), (12, 20), (11, 20)],),)


def test_region_keeps_what_reaches_the_box_with_the_same_outlines():
    region = region_topology(TINY, box=(11.6, 19, 13, 22))  # only East reaches it
    assert [c.code for c in decode(region)] == ["002"]
    assert decode(region)[0].polygons == decode(TINY)[1].polygons
    assert len(region["arcs"]) == 2


def test_locator_map_is_valid_svg_with_links_out_of_the_tab_order():
    svg = locator_map(decode(TINY), [Place("002", "East <&>", "east/", "East")], Window(9, 19, 13, 22), label="Map")
    root = ET.fromstring(svg)
    assert root.get("aria-hidden") == "true"
    links = list(root.iter(f"{SVG}a"))
    assert links and all(a.get("tabindex") == "-1" and a.get("href") == "east/" for a in links)
    assert any(t.text == "East <&>" for t in root.iter(f"{SVG}text"))


def test_committed_map_extract_is_world_atlas_countries_50m():
    """site_builder/geodata/ is what `python -m site_builder.render.geo` writes from the npm package."""
    source = WORLD_ATLAS / SOURCE_FILE
    assert source.exists(), f"{source} is missing: run `make test` (npm ci installs world-atlas)"
    assert json.loads((WORLD_ATLAS / "package.json").read_text())["version"] == "2.0.2"
    expected = region_topology(json.loads(source.read_text()))
    assert json.loads(GEODATA.read_text()) == expected


@pytest.mark.parametrize("path, date, more, name", [
    ("fr/index.html", "15 mars 2021", "En savoir plus", "\u00a0: Contrat d’exemple"),
    ("en/index.html", "15 March 2021", "Read more", ": Example contract")])
def test_key_figures_date_source_and_link_read_well(built, path, date, more, name):
    html = (built / path).read_text()
    figure = html[html.index('<div class="figure">'):]
    figure = figure[:figure.index("</div>")]
    label = figure[figure.index("<dt>"):figure.index("</dt>")]
    assert "(" not in label, "no date dangling after the label"
    assert re.search(rf'<span class="figure-date"><time datetime="2021-03-15">{date}</time></span>', figure)
    assert re.search(r'<span class="figure-source">[^<]*<a href="[^"]*example-report/">Jane Example \(2023\)</a></span>', figure)
    # "Read more" names, for assistive technology, the page it leads to
    assert f'{more}<span class="visually-hidden">{name}</span></a>' in figure
