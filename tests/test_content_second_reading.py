"""Data fields fixed in the second reading of the content against the notes (issue 17).

A data field (a maker, a country, an event's equipment, a date, a figure label) is shown on
its own, in tables and lists, without the prose that would hedge it: it must never assert more
than the notes do. Each expectation below was typed in by hand from the notes in
`../shared/seeds/`, with the note's words; if a test fails, read the note before "fixing"
either side.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from site_builder.content.library import Library
from site_builder.render.urls import PageKey

from html_tools import resolve

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"

# Every maker the site records, with the words of the note that names it. An item missing here
# must have no maker: the notes do not name one (the Searcher: footnote 19 of Delanoë speaks of
# "the same model sold by IAI" without saying whether it means the Aerostar or the Searcher; the
# OptSat500: the French note only says the Azercosmos–IAI agreement "comprend la vente de deux
# satellites électro-optiques multispectraux OptSat500").
MAKERS: dict[str, tuple[list[str], str]] = {
    "aerostar": (["aeronautics-defense-systems"],
                 "Delanoë: 'their first order for Aerostar observation drones with the Israeli "
                 "Aeronautics Defence Systems'"),
    "barak-mx": (["iai"], "French note: 'un accord de 1,2 milliard de dollars est conclu entre "
                          "l'Azerbaïdjan et Israël Aerospace Industries (IAI) pour l'acquisition du "
                          "système de défense sol-air Barak-MX'"),
    "harop": (["iai"], "Delanoë: 'IAI's Harop'"),
    "skystriker": (["elbit-systems"], "Delanoë: 'Elbit Systems' SkyStriker'"),
    "orbiter-1k": (["aeronautics-defense-systems"], "Delanoë: 'the Orbiter-1K from Aeronautics Defence Systems'"),
    "hermes-450": (["elbit-systems"], "Incyber: 'des drones Hermes 450/900 de l'entreprise Elbit Systems'"),
    "hermes-900": (["elbit-systems"], "Incyber: 'des drones Hermes 450/900 de l'entreprise Elbit Systems'"),
    "bayraktar-tb2": (["baykar"], "Delanoë: 'the 50 Bayraktar TB2 drones bought from the Turkish company "
                                  "Baykar Makina'"),
    "pegasus": (["nso-group"], "Incyber: 'la compagnie israélienne NSO group a vendu à Bakou son logiciel "
                               "espion Pegasus'"),
}

# Events that are the orders of one year (ids ending in -order or -orders).
ORDER_EVENT = re.compile(r"-orders?$")


@pytest.fixture(scope="module")
def built(real_site) -> Path:
    return real_site


# --- Makers -----------------------------------------------------------------------------

def test_a_maker_is_recorded_only_where_a_note_names_it(real_library):
    recorded = {item.id: list(item.manufacturers) for item in real_library.all("equipment") if item.manufacturers}
    expected = {item_id: makers for item_id, (makers, _words) in MAKERS.items()}
    assert recorded == expected


@pytest.mark.parametrize("item_id", ["searcher", "optsat-500"])
def test_no_maker_where_no_note_names_one(real_library, item_id):
    assert real_library.get("equipment", item_id).manufacturers == []


def test_optsat_has_no_country_either(real_library):
    # The French note names the buyer (Azercosmos) and the other party to the agreement (IAI),
    # not where the satellites are made.
    assert real_library.get("equipment", "optsat-500").country is None


@pytest.mark.parametrize("item_id", ["searcher", "optsat-500"])
def test_no_made_by_line_on_the_pages_of_items_without_a_maker(built, item_id):
    for lang, words in (("en", "Made by"), ("fr", "Fabricant")):
        html = (built / PageKey("equipment", item_id).output_file(lang)).read_text(encoding="utf-8")
        assert words not in html, f"{item_id} ({lang})"


def test_the_iai_page_lists_only_what_a_note_says_iai_made(built, real_library):
    made = {item.id for item in real_library.equipment_of("made", "iai")}
    assert made == {"barak-mx", "harop"}


# --- Equipment tagged on events ----------------------------------------------------------

def test_an_order_event_tags_only_equipment_ordered_that_year(real_library):
    """The 2008 and 2017 events tagged `heron` for Hermes-450/900 orders, so the Heron page
    listed orders it never received. An equipment item with orders may be tagged on the
    orders of year Y only if it has an order in Y, or an order of Y is for it (SPEAR mortars
    "for Sandcats", 2017)."""
    wrong = []
    for event in real_library.all("event"):
        if not ORDER_EVENT.search(event.id):
            continue
        year = event.date.year
        orders_of_year = [order for item in real_library.all("equipment") for order in item.orders
                          if order.ordered == year]
        for item_id in event.equipment:
            item = real_library.get("equipment", item_id)
            if not item.orders:
                continue  # not an ordered item (the Gabriel missiles the OPVs carry)
            ordered_then = any(order.ordered == year for order in item.orders)
            served = any(order.comment is not None and f"(equipment:{item_id})" in order.comment.en
                         for order in orders_of_year)
            if not (ordered_then or served):
                wrong.append(f"{event.id} tags {item_id}")
    assert not wrong, wrong


def _timeline_section_targets(built: Path, kind: str, entry_id: str, lang: str) -> set[Path]:
    page = built / PageKey(kind, entry_id).output_file(lang)
    html = page.read_text(encoding="utf-8")
    match = re.search(r'<section aria-labelledby="entry-events"[^>]*>(.*?)</section>', html, re.S)
    assert match, f"no timeline section on {page}"
    targets = set()
    # Each item's heading links to its event; the other links are those in its summary.
    for href in re.findall(r'<h3><a href="([^"]+)"', match.group(1)):
        target = resolve(built, page, href)
        if target is not None:
            targets.add(target[0].resolve())
    return targets


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_heron_page_lists_only_the_heron_order(built, real_library, lang):
    # SIPRI (in Delanoë's table): "Heron tactical drones 5 2011 Delivered in 2013", the only Heron row.
    heron_years = {order.ordered for order in real_library.get("equipment", "heron").orders}
    assert heron_years == {2011}
    listed = _timeline_section_targets(built, "equipment", "heron", lang)
    expected = {(built / PageKey("event", "2011-barak-mx-contract").output_file(lang)).resolve()}
    assert listed == expected


# --- Dates -------------------------------------------------------------------------------

def test_the_trade_office_plan_is_dated_by_the_report_that_gives_it(real_library):
    # Footnote 34: "Jewish News Syndicate, 22 April 2021"; 2022 is when the office was to open.
    event = real_library.get("event", "2022-planned-trade-office")  # the old id still leads to it
    assert event.id == "2021-04-22-trade-office-plan"
    assert str(event.date) == "2021-04-22"
    assert "[^delanoe-2021-34]" in event.summary.en and "[^delanoe-2021-34]" in event.summary.fr


def test_the_old_trade_office_address_redirects(built):
    for lang in ("fr", "en"):
        old = built / PageKey("event", "2022-planned-trade-office").output_file(lang)
        assert old.is_file(), old
        assert "2021-04-22-trade-office-plan" in old.read_text(encoding="utf-8")


# --- Figure labels ---------------------------------------------------------------------------

def _figures(real_library: Library):
    if real_library.site is not None:
        for figure in real_library.site.figures:
            yield "site", figure
    for kind, entry in real_library.items():
        for figure in getattr(entry, "figures", None) or []:
            yield f"{kind}:{entry.id}", figure


def test_bayraktar_figures_name_the_company_they_were_bought_from_not_the_country(real_library):
    # Delanoë: "bought from the Turkish company Baykar Makina", not "from Turkey".
    labels = [(where, figure.label) for where, figure in _figures(real_library) if "Bayraktar" in figure.label.en]
    assert labels
    for where, label in labels:
        assert "from Turkey" not in label.en and "à la Turquie" not in label.fr, where
        if "from" in label.en:
            assert "Baykar" in label.en and "Baykar" in label.fr, where


def test_no_figure_label_ends_with_more_than(real_library):
    # « plus de 1 000 » is a lower bound: the figure says it (`more_than`), the label does not
    # dangle a "plus de" before the number.
    dangling = [(where, figure.label.fr, figure.label.en) for where, figure in _figures(real_library)
                if re.search(r"plus de\s*$", figure.label.fr) or re.search(r"more than\s*$", figure.label.en)]
    assert not dangling, dangling


# (entry, label words) of the figures the notes give as lower bounds: Incyber's « plus de 1 000
# personnes » and « plus de 100 entreprises », Delanoë's "more than 40% of its oil".
LOWER_BOUNDS = [("site", "People to be trained"), ("event:2022-11-17-cybersecurity-centre-announcement", "People"),
                ("event:2023-akta-delegation-israel", "Cybersecurity companies"), ("actor:israel", "per Delanoë")]


@pytest.mark.parametrize("where, words", LOWER_BOUNDS)
def test_lower_bounds_are_marked_more_than(real_library, where, words):
    found = [figure for place, figure in _figures(real_library) if place == where and words in figure.label.en]
    assert len(found) == 1, (where, words)
    assert found[0].more_than and not found[0].approximate and found[0].max is None


def test_more_than_is_shown_on_the_pages(built):
    def text(kind, entry_id, lang):
        html = (built / PageKey(kind, entry_id).output_file(lang)).read_text(encoding="utf-8")
        return re.sub(r"[\u00a0\u202f]", " ", html)

    assert "plus de 1 000" in text("event", "2022-11-17-cybersecurity-centre-announcement", "fr")
    assert "more than 1,000" in text("event", "2022-11-17-cybersecurity-centre-announcement", "en")
    assert "plus de 100" in text("event", "2023-akta-delegation-israel", "fr")
    assert "more than 40%" in text("actor", "israel", "en")
    assert "plus de 40 %" in text("actor", "israel", "fr")
