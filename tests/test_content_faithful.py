"""The real site content (`content/` at the repository root) checked against the
source notes in `../shared/seeds/`.

The expected values below were typed in by hand from the notes, not generated
from the content: if a test fails, either the content drifted from the notes or
the note was misread here; check the note before "fixing" either side.
"""
from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import Any, Iterator

import pytest
import yaml
from pydantic import BaseModel

from site_builder.content.library import Library
from site_builder.content.models import Prose, Ref, Text
from site_builder.render.urls import ENTRY_KINDS, PageKey

from html_tools import html_pages, parse_page, resolve

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"
NOTES_FILE = CONTENT / "notes" / "delanoe-2021.yaml"

# --- The English paper's table "Azerbaijani arms orders to Israel" (source: SIPRI) ---
# One row per line of the table, in the paper's order:
# (equipment id, quantity, year ordered, delivered as EDTF or None, words the row's comment must contain or None)
# The comment words are per language; None means the table row has no comment beyond its delivery date.
_BN = {"en": ["1.6 billion"], "fr": ["1,6 milliard"]}
SIPRI_TABLE: list[tuple[str, int, int, str | None, dict[str, list[str]] | None]] = [
    ("lynx", 6, 2005, None, None),
    ("extra", 50, 2005, None, {"en": ["Lynx"], "fr": ["Lynx"]}),
    ("aerostar", 4, 2007, None, None),
    ("hermes-450", 10, 2008, "2011/2013", None),
    ("spike-lr", 100, 2008, "2009/2010", None),
    ("cardom", 10, 2008, "2010/2011", None),
    ("atmos", 5, 2008, "2010", None),
    ("aerostar", 10, 2010, "2011/2012", {"en": ["components", "Azerbaijan"], "fr": ["composants", "Azerbaïdjan"]}),
    ("barak-mx", 1, 2011, "2016", _BN),
    ("barak-er", 40, 2011, "2016", {"en": ["Barak MX", "1.6 billion"], "fr": ["Barak MX", "1,6 milliard"]}),
    ("barak-lrad", 40, 2011, "2016", {"en": ["Barak MX", "1.6 billion"], "fr": ["Barak MX", "1,6 milliard"]}),
    ("heron", 5, 2011, "2013", _BN),
    ("searcher", 5, 2011, "2013", _BN),
    ("opv-62", 6, 2013, "2015/2019", {"en": ["Azerbaijan"], "fr": ["Azerbaïdjan"]}),
    ("shaldag", 6, 2013, "2014/2015", None),
    ("spike-nlos", 250, 2013, "2014/2018", {"en": ["OPV", "Shaldag"], "fr": ["OPV", "Shaldag"]}),
    ("lahat", 100, 2013, None, None),
    ("harop", 100, 2014, "2014/2018", None),
    ("sandcat", 100, 2015, "2016/2018", None),
    ("spike-lr", 10, 2015, "2016", {"en": ["Sandcat"], "fr": ["Sandcat"]}),
    ("spike-lr", 250, 2015, "2016", {"en": ["Sandcat"], "fr": ["Sandcat"]}),
    ("orbiter-1k", 100, 2016, "2016/2020", {"en": ["assembly", "Azerbaijan"], "fr": ["assemblage", "Azerbaïdjan"]}),
    ("orbiter-3", 10, 2016, "2016/2017", None),
    ("skystriker", 250, 2016, "2018/2020", None),
    ("hermes-900", 2, 2017, "2017/2018", None),
    ("lora", 4, 2017, "2018", None),
    ("lora", 50, 2017, "2018", {"en": ["LORA"], "fr": ["LORA"]}),
    ("spear", 10, 2017, "2018", {"en": ["Sandcat"], "fr": ["Sandcat"]}),
    ("spike-nlos", 100, 2019, "2020", None),
]

# --- The English paper's table "Development of trade between Israel and Azerbaijan, 2011-2020" ---
# (millions of US dollars, excluding oil, including diamonds; source: Israel's Central Bureau of Statistics)
TRADE_TABLE = {2011: 125.8, 2012: 130, 2013: 106.6, 2014: 185.2, 2015: 132.1,
               2016: 266.3, 2017: 204.3, 2018: 139.4, 2019: 115, 2020: 204.4}

FOOTNOTE_COUNT = 38


def _models(value: Any) -> Iterator[BaseModel]:
    """Every pydantic model inside `value`, itself included, depth first."""
    if isinstance(value, BaseModel):
        yield value
        for name in type(value).model_fields:
            yield from _models(getattr(value, name))
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _models(item)


def _all_entries(real_library: Library) -> Iterator[tuple[str, str, BaseModel]]:
    if real_library.site is not None:
        yield "site", "site", real_library.site
    for kind, entry in real_library.items():
        yield kind, entry.id, entry


def _prose_texts(real_library: Library) -> Iterator[tuple[str, str, str, str]]:
    """(kind, id, lang, text) for every Prose and Text anywhere in the content."""
    for kind, entry_id, entry in _all_entries(real_library):
        for model in _models(entry):
            if isinstance(model, (Prose, Text)):
                for lang in ("fr", "en"):
                    yield kind, entry_id, lang, getattr(model, lang)


# --- A. The SIPRI table ------------------------------------------------------

def _sipri_orders(real_library: Library) -> list[tuple[str, Any]]:
    return [(equipment.id, order) for equipment in real_library.all("equipment") for order in equipment.orders
            if "sipri-arms-transfers" in order.sources]


def test_sipri_table_has_29_rows_as_typed():
    assert len(SIPRI_TABLE) == 29


def test_sipri_orders_equal_the_papers_table(real_library):
    orders = _sipri_orders(real_library)
    actual = Counter((eq, o.quantity, o.ordered, str(o.delivered) if o.delivered else None) for eq, o in orders)
    expected = Counter((eq, qty, year, delivered) for eq, qty, year, delivered, _ in SIPRI_TABLE)
    assert len(orders) == len(SIPRI_TABLE)
    missing = expected - actual
    extra = actual - expected
    assert not missing and not extra, f"missing from content: {sorted(missing)}\nnot in the table: {sorted(extra)}"


def test_sipri_orders_are_bought_by_azerbaijan_and_cite_the_paper(real_library):
    for eq, order in _sipri_orders(real_library):
        assert order.buyer == "azerbaijan", eq
        assert "delanoe-2021" in order.sources, f"{eq} {order.ordered}: the table is reproduced in delanoe-2021"


@pytest.mark.parametrize("row", SIPRI_TABLE, ids=lambda r: f"{r[0]}-{r[1]}-{r[2]}")
def test_sipri_order_comment_where_the_table_has_one(real_library, row):
    eq, qty, year, delivered, words = row
    matches = [o for e, o in _sipri_orders(real_library)
               if e == eq and o.quantity == qty and o.ordered == year
               and (str(o.delivered) if o.delivered else None) == delivered]
    assert len(matches) == 1, f"{eq}: expected exactly one order {qty} / {year} / {delivered}"
    if words is None:
        return
    comment = matches[0].comment
    assert comment is not None, f"{eq} ({year}): the table row has a comment; the order has none"
    for lang, needed in words.items():
        text = getattr(comment, lang)
        for word in needed:
            assert word in text, f"{eq} ({year}) comment.{lang} lacks '{word}': {text!r}"


# --- A. Footnotes --------------------------------------------------------------

def test_each_footnote_exists_exactly_once_in_the_notes_file():
    data = yaml.safe_load(NOTES_FILE.read_text(encoding="utf-8"))
    assert data["document"] == "delanoe-2021"
    ids = Counter(note["id"] for note in data["notes"])
    expected = {f"delanoe-2021-{n}" for n in range(1, FOOTNOTE_COUNT + 1)}
    assert set(ids) == expected
    assert all(count == 1 for count in ids.values()), [i for i, c in ids.items() if c > 1]


def test_no_delanoe_footnote_is_defined_elsewhere(real_library):
    notes_folder = CONTENT / "notes"
    other_files = [p for p in notes_folder.rglob("*.yaml") if p != NOTES_FILE]
    for path in other_files:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        ids = [n.get("id") for n in data.get("notes", [])]
        assert not [i for i in ids if str(i).startswith("delanoe-2021-")], path
    for n in range(1, FOOTNOTE_COUNT + 1):
        note_id = f"delanoe-2021-{n}"
        assert real_library.has("note", note_id)
        assert real_library.note_documents[note_id] == "delanoe-2021"
        assert Path(real_library.origins[("note", note_id)].file.path).resolve() == NOTES_FILE.resolve(), note_id


def test_only_existing_footnote_numbers_are_cited(real_library):
    cited = set()
    for _, _, _, text in _prose_texts(real_library):
        cited |= set(re.findall(r"\[\^(delanoe-2021-\d+)\]", text))
    numbers = {int(c.rsplit("-", 1)[1]) for c in cited}
    assert numbers <= set(range(1, FOOTNOTE_COUNT + 1)), sorted(numbers)


# --- A. Both languages -------------------------------------------------------------

def test_every_text_has_both_languages(real_library):
    empty = [f"{kind}:{entry_id} ({lang})" for kind, entry_id, lang, text in _prose_texts(real_library) if not text.strip()]
    assert not empty, empty


def test_french_and_english_differ_where_they_should(real_library):
    """Prose longer than a name that is identical in both languages was not translated."""
    same = []
    for kind, entry_id, entry in _all_entries(real_library):
        for model in _models(entry):
            if isinstance(model, Prose) and model.fr.strip() == model.en.strip() and len(model.fr.split()) > 4:
                same.append(f"{kind}:{entry_id}: {model.fr[:60]}")
    assert not same, same


def test_no_glued_footnote_digits_from_the_french_note(real_library):
    glued = re.compile(r"(Barak-MX\d|Eurasie\d|Isra[eë]l\d\b|Arrow-3\d|OptSat500\d|spatiaux\d|relations\d|cours\d)")
    found = [f"{kind}:{entry_id} ({lang}): {m.group(0)}" for kind, entry_id, lang, text in _prose_texts(real_library)
             for m in glued.finditer(text)]
    assert not found, found


# --- A. Reachability and citations ---------------------------------------------

@pytest.fixture(scope="module")
def built(real_site) -> Path:
    return real_site


def test_every_entry_page_is_linked_from_another_page(built, real_library):
    pages = {path: parse_page(path) for path in html_pages(built)}
    linked: dict[Path, set[Path]] = {}
    for page, info in pages.items():
        for href, attrs in info.links:
            if attrs.get("tag") != "a":
                continue
            target = resolve(built, page, href)
            if target is None:
                continue
            path = target[0].resolve()
            if path != page.resolve():
                linked.setdefault(path, set()).add(page)
    orphans = []
    for kind in ENTRY_KINDS:
        for entry in real_library.all(kind):
            for lang in ("fr", "en"):
                page = (built / PageKey(kind, entry.id).output_file(lang)).resolve()
                assert page.is_file(), f"no page for {kind}:{entry.id} ({lang})"
                if not linked.get(page):
                    orphans.append(f"{kind}:{entry.id} ({lang})")
    assert not orphans, orphans


def test_every_note_is_cited_by_some_prose(real_library):
    cited = set()
    for _, _, _, text in _prose_texts(real_library):
        cited |= set(re.findall(r"\[\^([a-z0-9-]+)\]", text))
    uncited = [note.id for note in real_library.all("note") if note.id not in cited]
    assert not uncited, uncited


def _source_references(real_library: Library) -> set[str]:
    """Sources named by any `sources`/`source`/`document` field (found through their Ref marker),
    or linked from prose as [text](source:id)."""
    found: set[str] = set(d for d in real_library.note_documents.values() if d)
    for _, _, entry in _all_entries(real_library):
        for model in _models(entry):
            for name, info in type(model).model_fields.items():
                if any(isinstance(m, Ref) and m.kind == "source" for m in info.metadata):
                    value = getattr(model, name)
                    found |= set(value if isinstance(value, list) else [value] if value else [])
                if name == "link" and isinstance(getattr(model, name), str) and getattr(model, name).startswith("source:"):
                    found.add(getattr(model, name).split(":", 1)[1])
    for _, _, _, text in _prose_texts(real_library):
        found |= set(re.findall(r"\]\(source:([a-z0-9-]+)\)", text))
    return found


def test_every_source_is_referenced(real_library):
    referenced = _source_references(real_library)
    unreferenced = [source.id for source in real_library.all("source") if source.id not in referenced]
    assert not unreferenced, unreferenced


def test_the_three_notes_and_the_two_table_sources_exist(real_library):
    for source_id in ("delanoe-2021", "note-partenariats-2023", "incyber-2023", "sipri-arms-transfers", "israel-cbs"):
        assert real_library.has("source", source_id), source_id


# --- A. The trade dataset ------------------------------------------------------------

def test_trade_dataset_equals_the_papers_table(real_library):
    dataset = real_library.get("dataset", "bilateral-trade")
    assert dataset.unit == "USD"
    assert dataset.scale == "million"
    points = {str(p.period): p.value for p in dataset.points}
    assert points == {str(year): value for year, value in TRADE_TABLE.items()}
    assert len(dataset.points) == 10
    assert "israel-cbs" in dataset.sources and "delanoe-2021" in dataset.sources


# --- A. The checker ---------------------------------------------------------------------

def test_check_passes_without_warnings(run_cli):
    result = run_cli("check", "--content", CONTENT, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert "warning:" not in result.stderr, result.stderr
    assert "error:" not in result.stderr, result.stderr
    assert re.search(r"; 0 warning\(s\)\.", result.stdout), result.stdout


def test_strict_check_passes(run_cli):
    result = run_cli("check", "--strict", "--content", CONTENT, cwd=ROOT)
    assert result.returncode == 0, result.stderr
