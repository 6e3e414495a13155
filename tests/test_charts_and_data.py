"""Charts (inline SVG, localized, accessible) and data downloads (JSON and CSV),
on the minimal fixture site as built by the command line."""
from __future__ import annotations

import csv
import io
import json
import re
import shutil
import xml.etree.ElementTree as ET
from html import unescape
from pathlib import Path

import pytest

from html_tools import parse_page, resolve
from site_builder.render.charts import bar_chart, nice_ticks
from site_builder.render.exports import EXPORTS, export_chunks, export_paths, neutralise
from site_builder.building.pipeline import check

TEMPLATES = Path(__file__).parent.parent / "templates"
MINIMAL = Path(__file__).parent / "fixtures" / "minimal"
BASE = "https://example.org/dynamics/"
SVG = "{http://www.w3.org/2000/svg}"

DATASET_PAGES = {"fr": "fr/donnees/example-exports/index.html", "en": "en/data/example-exports/index.html"}
DATA_INDEX = {"fr": "fr/donnees/index.html", "en": "en/data/index.html"}
# The fixture's series and its orders (ordered year -> orders) as each language prints them.
SERIES = {"fr": ["120", "340,5", "95"], "en": ["120", "340.5", "95"]}
ORDERS_PER_YEAR = {2019: 1, 2020: 0, 2021: 1, 2022: 1, 2023: 1}


@pytest.fixture(scope="module")
def built(tmp_path_factory, run_cli) -> Path:
    work = tmp_path_factory.mktemp("charts")
    shutil.copytree(MINIMAL, work / "content")
    result = run_cli("build", "--content", "content", "--out", "build", "--templates", TEMPLATES, cwd=work)
    assert result.returncode == 0, result.stderr
    return work / "build"


def _svg(html: str, chart_id: str) -> str:
    match = re.search(r'<svg\b[^>]*aria-labelledby="' + re.escape(chart_id) + r'-title".*?</svg>', html, re.S)
    assert match, f"no chart {chart_id}"
    return match.group(0)


def _svg_texts(svg: str, css_class: str) -> list[str]:
    return [unescape(t) for t in re.findall(r'<text class="' + css_class + r'"[^>]*>([^<]*)</text>', svg)]


def _table_column(html: str, caption_part: str, column: int = 0) -> list[str]:
    """Text of the `column`-th numeric cell of each body row of the table whose caption contains `caption_part`."""
    for table in re.findall(r"<table\b.*?</table>", html, re.S):
        if caption_part in table:
            rows = re.findall(r"<tr>(.*?)</tr>", table.split("<tbody>", 1)[1], re.S)
            return [unescape(re.findall(r'<td class="num">([^<]*)</td>', row)[column]) for row in rows]
    raise AssertionError(f"no table captioned {caption_part!r}")


def _csv(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))


# -- charts on the pages ---------------------------------------------------------------------

@pytest.mark.parametrize("lang", ["fr", "en"])
def test_dataset_page_has_an_accessible_localized_svg_chart(built, lang):
    html = (built / DATASET_PAGES[lang]).read_text(encoding="utf-8")
    svg = _svg(html, "chart-example-exports")
    root = ET.fromstring(svg)  # well-formed XML
    assert root.get("role") == "img" and root.get("width") == "100%" and root.get("viewBox")
    title, desc = root.find(SVG + "title"), root.find(SVG + "desc")
    assert title.get("id") == root.get("aria-labelledby") and desc.get("id") == root.get("aria-describedby")
    assert title.text == {"fr": "Exportations d’exemple", "en": "Example exports"}[lang]
    assert _svg_texts(svg, "chart-value") == SERIES[lang]
    assert _svg_texts(svg, "chart-label") == ["2020", "2021", "2022"]
    axis = " ".join(_svg_texts(svg, "chart-axis-title"))
    assert {"fr": "Période", "en": "Period"}[lang] in axis
    assert {"fr": "Exportations (millions de dollars des États-Unis)",
            "en": "Exports (millions of US dollars)"}[lang] in axis
    assert {"fr": "340,5", "en": "340.5"}[lang] in desc.text
    assert "<script" not in svg and "style=" not in svg  # no script, colours from CSS variables


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_dataset_table_has_the_same_numbers_as_the_chart(built, lang):
    html = (built / DATASET_PAGES[lang]).read_text(encoding="utf-8")
    assert _table_column(html, {"fr": "Exportations d’exemple", "en": "Example exports"}[lang]) == SERIES[lang]
    assert _svg_texts(_svg(html, "chart-example-exports"), "chart-value") == SERIES[lang]


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_data_index_charts_orders_per_year_with_its_table(built, lang):
    html = (built / DATA_INDEX[lang]).read_text(encoding="utf-8")
    svg = _svg(html, "chart-orders")
    ET.fromstring(svg)
    expected = [str(n) for n in ORDERS_PER_YEAR.values()]
    assert _svg_texts(svg, "chart-label") == [str(year) for year in ORDERS_PER_YEAR]
    assert _svg_texts(svg, "chart-value") == expected
    caption = {"fr": "Commandes d’armement par année", "en": "Arms orders per year"}[lang]
    assert _table_column(html, caption, 0) == expected
    assert _table_column(html, caption, 1) == ["3", "0", "10", "2", "4"]  # units ordered


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_data_pages_link_the_files_and_show_the_licence(built, lang):
    index = (built / DATA_INDEX[lang]).read_text(encoding="utf-8")
    hrefs = [href for href, attrs in parse_page(built / DATA_INDEX[lang]).links if attrs["tag"] == "a"]
    for export in EXPORTS:
        for path in (export.json_path, export.csv_path):
            assert "../../" + path in hrefs, path
        for column in export.columns:
            for name in column.csv_names:
                assert f"<code>{name}</code>" in index
    assert "../../data/datasets/example-exports.csv" in hrefs
    assert {"fr": "Licence\u00a0:", "en": "Licence:"}[lang] + " CC BY 4.0" in index  # French spacing: no-break space
    dataset_hrefs = [href for href, _ in parse_page(built / DATASET_PAGES[lang]).links]
    assert "../../../data/datasets/example-exports.csv" in dataset_hrefs


def test_every_link_on_the_data_pages_resolves(built):
    broken = []
    for page in [*DATA_INDEX.values(), *DATASET_PAGES.values()]:
        path = built / page
        for href, _attrs in parse_page(path).links:
            target = resolve(built, path, href)
            if target is None:
                continue
            file, fragment = target
            if not file.is_file():
                broken.append(f"{page}: {href}")
            elif fragment and fragment not in parse_page(file).ids:
                broken.append(f"{page}: {href} (no id {fragment})")
    assert not broken, "\n".join(broken)


# -- data files -------------------------------------------------------------------------------

def test_csv_files_have_the_expected_rows(built):
    data = built / "data"
    assert [(r["dataset"], r["period"], r["value"]) for r in _csv(data / "datasets" / "example-exports.csv")] == [
        ("example-exports", "2020", "120"), ("example-exports", "2021", "340.5"), ("example-exports", "2022", "95")]
    orders = _csv(data / "orders.csv")
    assert [(r["equipment"], r["buyer"], r["quantity"], r["ordered"], r["delivered"]) for r in orders] == [
        ("example-radar", "testland", "3", "2019", "2020-09/2020-11"),
        ("example-drone", "testland", "10", "2021", "2022-06"),
        ("example-drone", "example-institute", "2", "2022", ""),
        ("example-missile", "testland", "4", "2023", "")]
    assert orders[2]["comment_fr"] == "Commande de démonstration." and orders[2]["comment_en"] == "Demonstration order."
    assert orders[0]["url_fr"] == BASE + "fr/equipements/example-radar/"
    assert orders[0]["url_en"] == BASE + "en/equipment/example-radar/"
    timeline = _csv(data / "timeline.csv")
    assert [r["id"] for r in timeline] == ["2008-example-agreement", "2020-09-example-trials",
                                           "2021-03-15-example-contract", "2022-06-example-delivery"]
    assert timeline[0]["date"] == "2008~" and timeline[1]["date"] == "2020-09/2020-11"
    assert timeline[0]["title_fr"] == "Premier accord d'exemple" and timeline[0]["title_en"] == "First example agreement"
    assert timeline[0]["actors"] == "testland example-institute"
    assert timeline[0]["url_fr"] == BASE + "fr/chronologie/2008-example-agreement/"
    actors = _csv(data / "actors.csv")
    assert [r["id"] for r in actors] == ["example-corp", "example-institute", "jane-example", "testland"]
    notes = _csv(data / "notes.csv")
    assert [r["id"] for r in notes] == ["example-report-1", "example-report-2", "example-report-3"]
    assert notes[0]["document"] == "example-report" and notes[0]["locator"] == "p. 3"
    assert notes[0]["url_en"] == BASE + "en/sources/#note-example-report-1"
    for export in EXPORTS:  # every CSV's header is the one documented on the data page
        with (built / export.csv_path).open(encoding="utf-8", newline="") as handle:
            assert next(csv.reader(handle)) == export.csv_header


def test_json_files_parse_and_hold_the_same_records(built):
    for export in EXPORTS:
        document = json.loads((built / export.json_path).read_text(encoding="utf-8"))
        rows = _csv(built / export.csv_path)
        assert document["name"] == export.name
        assert document["licence"] == {"fr": "CC BY 4.0", "en": "CC BY 4.0"}
        assert document["site"]["url"] == BASE
        assert len(document["records"]) == len(rows) > 0
        assert list(document["records"][0]) == [column.name for column in export.columns]
    timeline = json.loads((built / "data" / "timeline.json").read_text(encoding="utf-8"))["records"]
    assert timeline[0]["title"] == {"fr": "Premier accord d'exemple", "en": "First example agreement"}
    assert timeline[0]["actors"] == ["testland", "example-institute"] and timeline[0]["body"] is None
    orders = json.loads((built / "data" / "orders.json").read_text(encoding="utf-8"))["records"]
    assert orders[1]["quantity"] == 10 and orders[1]["ordered"] == 2021
    assert orders[1]["equipment_name"] == {"fr": "Example Drone", "en": "Example Drone"}
    datasets = json.loads((built / "data" / "datasets.json").read_text(encoding="utf-8"))["records"]
    assert [point["value"] for point in datasets] == [120, 340.5, 95]


def export_files(library, base_url: str) -> dict[str, bytes]:
    """Every download file, as site-relative path -> bytes."""
    return {path: b"".join(export_chunks(library, base_url, *spec)) for path, spec in export_paths(library)}


def test_exports_are_deterministic():
    site, _ = check(MINIMAL)
    first, second = export_files(site.library, site.base_url), export_files(site.library, site.base_url)
    assert first == second
    assert not any(re.search(rb"20\d\d-\d\d-\d\dT", data) for data in first.values())  # no timestamps


def test_an_export_with_no_records_is_valid_json_and_csv():
    from site_builder.render.exports import csv_chunks, json_chunks

    site, _ = check(MINIMAL)
    for export in EXPORTS:
        document = json.loads(b"".join(json_chunks(export, [], site.library, site.base_url)).decode("utf-8"))
        assert document["name"] == export.name and document["records"] == []
        assert list(csv.reader(io.StringIO(b"".join(csv_chunks(export, [])).decode("utf-8"), newline=""))) == [export.csv_header]


def test_a_page_reads_the_table_of_note_documents_once_however_often_it_asks():
    """The notes export and the sources page ask for it per note: recording the whole
    table each time made them quadratic (half a second each at 5,000 entries)."""
    from site_builder.content.observed import note_documents_answer

    site, _ = check(MINIMAL)
    asked = []

    class Recorder:  # what an incremental build listens with (content/observed.py)
        def read(self, kind: str, id: str, field: str) -> None:
            pass

        def asked(self, query, answer) -> None:
            asked.append((query, answer))

    data = export_files(site.observed_by(Recorder()).library, site.base_url)
    assert json.loads(data["data/notes.json"])["records"]
    assert [answer for query, answer in asked if query == ("note_documents",)] == [note_documents_answer(site.library)]


# -- hostile text --------------------------------------------------------------------------------

HOSTILE = "=cmd|' /C calc'!A0 <script>alert(\\\"x\\\")</script>, \\\"quoted\\\""
HOSTILE_RAW = "=cmd|' /C calc'!A0 <script>alert(\"x\")</script>, \"quoted\""


def test_hostile_text_is_escaped_in_svg_and_neutralised_in_csv(site_copy, run_cli, tmp_path):
    dataset = site_copy / "data" / "example-exports.yaml"
    text = dataset.read_text(encoding="utf-8")
    text = text.replace("  fr: Exportations d'exemple\n  en: Example exports\n",
                        f'  fr: "{HOSTILE}"\n  en: "{HOSTILE}"\n', 1)
    text = text.replace("  fr: Exportations\n  en: Exports\n", '  fr: "+1 <b>fr</b>"\n  en: "@SUM(1) <b>en</b>"\n', 1)
    dataset.write_text(text, encoding="utf-8")
    event = site_copy / "timeline" / "2008-example-agreement.yaml"
    event.write_text(event.read_text(encoding="utf-8").replace(
        "  en: First example agreement\n", f'  en: "{HOSTILE}"\n', 1), encoding="utf-8")
    result = run_cli("build", "--templates", TEMPLATES, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    build = tmp_path / "build"

    for lang in ("fr", "en"):
        html = (build / DATASET_PAGES[lang]).read_text(encoding="utf-8")
        svg = _svg(html, "chart-example-exports")
        root = ET.fromstring(svg)  # still well-formed: nothing broke out of the text nodes
        assert "<script" not in svg and "<b>" not in svg
        assert "&lt;script&gt;alert(" in svg and "&lt;b&gt;" in svg
        assert "alert(" in root.find(SVG + "title").text  # the text is there, as text
        assert {e.tag.removeprefix(SVG) for e in root.iter()} <= {"svg", "title", "desc", "text", "line", "rect"}
        assert "<script>alert" not in html

    rows = _csv(build / "data" / "datasets" / "example-exports.csv")
    assert rows[0]["title_en"] == "'" + HOSTILE_RAW  # neutralised, quotes intact after CSV parsing
    assert rows[0]["series_label_fr"] == "'+1 <b>fr</b>" and rows[0]["series_label_en"] == "'@SUM(1) <b>en</b>"
    timeline = _csv(build / "data" / "timeline.csv")
    assert timeline[0]["title_en"] == "'" + HOSTILE_RAW
    assert timeline[0]["title_fr"] == "Premier accord d'exemple"  # ordinary text is left alone
    # JSON is data, not a spreadsheet: the text is kept exactly as written.
    records = json.loads((build / "data" / "timeline.json").read_text(encoding="utf-8"))["records"]
    assert records[0]["title"]["en"] == HOSTILE_RAW


# -- the pure functions ------------------------------------------------------------------------------

def test_bar_chart_escapes_every_text_and_is_well_formed():
    evil = '<script>alert("1")</script> & \'x\''
    svg = bar_chart([(evil, 1.5), ("b", -2.0), ("c", 0.0)], chart_id="c-1", title=evil, description=evil,
                    category_label=evil, value_label=evil, format_number=lambda v: f"{v}{evil}")
    root = ET.fromstring(svg)
    assert "<script" not in svg and "&lt;script&gt;" in svg
    assert root.find(SVG + "title").text == evil and root.find(SVG + "desc").text == evil
    assert root.get("viewBox").startswith("0 0 ") and root.get("width") == "100%"
    bars = root.findall(SVG + "rect")
    assert len(bars) == 3 and all(float(bar.get("width")) >= 0 for bar in bars)
    assert bars[1].get("x") < bars[0].get("x")  # the negative value is drawn left of zero


def test_nice_ticks_cover_the_values():
    assert nice_ticks(0, 340.5) == [0, 100, 200, 300, 400]
    assert nice_ticks(0, 5, integer=True) == [0, 2, 4, 6]
    assert nice_ticks(0, 1, integer=True) == [0, 1]
    assert nice_ticks(-20, 130)[0] <= -20


@pytest.mark.parametrize("cell, expected", [
    ("=1+1", "'=1+1"), ("+33 1", "'+33 1"), ("-x", "'-x"), ("@SUM(A1)", "'@SUM(A1)"), ("\tx", "'\tx"),
    ("ordinary", "ordinary"), ("a=b", "a=b"), ("", ""),
])
def test_formula_cells_are_neutralised(cell, expected):
    assert neutralise(cell) == expected
