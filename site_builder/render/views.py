"""What a template sees of one page in one language.

A `PageView` is created for each page render and dropped afterwards: it owns
that page's footnote numbering, so nothing is shared between pages. Templates
get localized strings, formatted values and relative URLs from it, and never
reach into language-specific fields themselves.
"""
from __future__ import annotations

import copy
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, Mapping
from urllib.parse import urlparse

from babel import Locale, UnknownLocaleError
from babel.numbers import get_currency_name
from markupsafe import Markup, escape

from .charts import bar_chart
from .geo import Place, Window, load_region, locator_map
from .pictures import heat_map, timeline_overview
from .citation import Citation, CitedPage, cite
from .reference import Document, reference
from ..core.dates import FuzzyDate
from ..core.kinds import BACKLINK_ORDER, KINDS, LANGUAGES
from .exports import dataset_csv_path
from .i18n import N_, OTHER, Formatter
from ..content.library import Library
from ..content.links import Links
from ..content.markdown import ProseParser, note_call_html
from .meta import PageMeta
from ..content.models import Figure, Prose, Text
from ..content.observed import NO_RECORDER, ObservedLibrary, ObservedLinks, Recorder
from .permalinks import BilingualKey, short_path
from ..core.typography import for_language
from .urls import ENTRY_KINDS, PageKey, absolute, relative

KIND_LABELS: dict[str, tuple[str, str]] = {kind.id: (kind.singular, kind.plural) for kind in KINDS}  # msgids
CATEGORY_LABELS = {
    "air-defence": N_("Air defence"), "drone": N_("Drones"), "loitering-munition": N_("Loitering munitions"),
    "missile": N_("Missiles"), "rocket-artillery": N_("Rocket artillery"), "artillery": N_("Artillery"),
    "armoured-vehicle": N_("Armoured vehicles"), "anti-tank": N_("Anti-tank weapons"), "naval": N_("Naval vessels"),
    "satellite": N_("Satellites"), "cyber": N_("Cyber and surveillance tools"), "surveillance": N_("Surveillance"),
    "aircraft": N_("Aircraft"), "other": N_("Other equipment"),
}
ACTOR_KIND_LABELS = {
    "state": N_("States"), "company": N_("Companies"), "organisation": N_("Organisations"), "person": N_("People"),
}
SOURCE_KIND_LABELS = {
    "article": N_("Article"), "report": N_("Report"), "book": N_("Book"), "chapter": N_("Book chapter"),
    "database": N_("Database"), "web": N_("Web page"), "news": N_("News item"), "interview": N_("Interview"),
    "note": N_("Analytical note"), "other": N_("Document"),
}


# The locator map's window (degrees) and the label positions (lon, lat) of countries whose
# label, at the middle of the country, would sit on a crowded neighbour.
MAP_WINDOW = Window(west=10, south=22, east=62, north=50)
MAP_LABELS: dict[str, tuple[float, float]] = {
    "051": (45.4, 38.6),   # Armenia, south of it
    "031": (50.8, 41.6),   # Azerbaijan, on the Caspian
    "268": (42.6, 42.6),   # Georgia
    "196": (31.0, 35.6),   # Cyprus, west of it
    "376": (32.2, 31.7),   # Israel, on the sea
    "400": (38.2, 30.0),   # Jordan
    "760": (39.2, 35.2),   # Syria
}
_REGION: list[Any] = []


def _region() -> list[Any]:
    """The map's outlines, read once per process (geo.py)."""
    if not _REGION:
        _REGION.extend(load_region())
    return _REGION


@dataclass
class FootnoteCalls:
    """Numbers notes on one page in order of first use; remembers every call."""

    order: list[str] = field(default_factory=list)
    calls: dict[str, list[str]] = field(default_factory=dict)
    numbers: dict[str, int] = field(default_factory=dict)  # (not order.index: a timeline cites thousands)

    def cite(self, note_id: str) -> tuple[int, str]:
        if note_id not in self.calls:
            self.order.append(note_id)
            self.numbers[note_id], self.calls[note_id] = len(self.order), []
        anchor = f"cite-{note_id}-{len(self.calls[note_id]) + 1}"
        self.calls[note_id].append(anchor)
        return self.numbers[note_id], anchor


@dataclass(frozen=True)
class SiteContext:
    """Build-wide, read-only inputs shared by every page view."""

    library: Library
    links: Links
    parser: ProseParser
    base_url: str
    # asset name -> its fingerprinted name ('assets/style.css' -> 'assets/v/style.<hash>.css'), fingerprint.py
    assets: Mapping[str, str] = field(default_factory=dict)

    def observed_by(self, recorder: Recorder) -> SiteContext:
        """The site as one page sees it: what it reads is reported to `recorder`
        (content/observed.py)."""
        if recorder is NO_RECORDER:
            return self
        return SiteContext(ObservedLibrary(self.library, recorder), ObservedLinks(self.links, recorder),  # type: ignore[arg-type]
                           self.parser, self.base_url, self.assets)


class PageView(PageMeta):
    def __init__(self, site: SiteContext, key: PageKey, lang: str, fmt: Formatter, items: Any = None):
        """`items`: a fragments.PageItems, to keep the items of long lists between builds."""
        self.site, self.key, self.lang, self.fmt, self.items = site, key, lang, fmt, items
        self.other = OTHER[lang]
        self.path = key.path(lang)
        self.footnote_calls = FootnoteCalls()
        self.linked: dict[tuple[str, str], None] = {}  # entries linked from its texts so far, for the printed list
        self.recording, self.record_every_link = True, False
        # A 404 page is served at whatever URL was missed, so relative links
        # would break there: it links from the site's root path instead.
        self._root = urlparse(site.base_url).path.rstrip("/") + "/" if key.kind == "not-found" else None

    @property
    def fragment_key(self) -> tuple:
        """What cached template fragments may depend on (render._cached_fragment): the
        page's path with its entry's id blanked out. Pages with the same key sit at the
        same place below the same section (every event page, every event's print page),
        so a link to a section is the same relative URL from each of them."""
        path = self.path.replace(f"/{self.key.id}/", "/\0/", 1) if self.key.id else self.path
        return (type(self.key).__name__, self.key.kind, path, self._root)

    def scoped(self, site: SiteContext, footnote_calls: Any) -> PageView:
        """This page, for rendering one of its items apart (a list item kept between
        builds, see `item`): the same page and language, with its own view of the site
        (reporting to its own recorder), its own footnote numbering and its own list of
        linked entries, which the caller then merges into the page's."""
        view = copy.copy(self)
        view.site, view.footnote_calls, view.linked = site, footnote_calls, {}
        return view

    def item(self, macro: Any, kind: str, entry: Any, *extra: Any, **options: Any) -> Markup:
        """`{{ page.item(m.event_item, "event", event) }}` renders `macro(page, entry, *extra,
        **options)`: an item of a long list, about one entry, that may be kept from the last
        build (fragments.py). What it shows must depend only on the entry, on what it reads
        through the page and on `extra` and `options` (strings, numbers or booleans)."""
        if self.items is None:
            return Markup(macro(self, entry, *extra, **options))
        return self.items.render(self, macro, kind, entry, extra, options)

    # -- URLs -----------------------------------------------------------------
    def url_to(self, target_path: str) -> str:
        if self._root is not None:
            return self._root + target_path
        return relative(self.path, target_path)

    def url(self, kind: str, id: str = "", lang: str | None = None) -> str:
        if id and kind in ENTRY_KINDS:
            id = self.site.library.canonical(kind, id)  # a link written with a former id
        return self.url_to(PageKey(kind, id).path(lang or self.lang))

    def entry_url(self, kind: str, id: str) -> str:
        """URL of an entry linked from prose (the Markdown renderer calls it)."""
        if self.recording and kind in ENTRY_KINDS:  # a link in running text: listed when printed
            self.linked[(kind, self.site.library.canonical(kind, id))] = None
        if kind == "note":
            return self.url_to(PageKey("source").path(self.lang) + f"#note-{id}")
        return self.url(kind, id)

    def asset(self, name: str) -> str:
        path = f"assets/{name}"
        return self.url_to(self.site.assets.get(path, path))

    @property
    def switch_url(self) -> str:
        return self.url_to(self.key.path(self.other))

    @property
    def canonical(self) -> str:
        return absolute(self.site.base_url, self.path)

    @property
    def alternates(self) -> list[tuple[str, str]]:
        return [(lang, absolute(self.site.base_url, self.key.path(lang))) for lang in LANGUAGES] + [
            ("x-default", absolute(self.site.base_url, ""))]

    # -- text -------------------------------------------------------------------
    def _(self, message: str) -> str:
        return for_language(self.fmt._(message), self.lang)

    def text(self, value: Text | str | None) -> str:
        if value is None:
            return ""
        raw = value if isinstance(value, str) else getattr(value, self.lang)
        return for_language(raw, self.lang)

    def name(self, kind: str, entry: Any) -> str:
        if kind in ("event", "theme", "dataset"):
            return self.text(entry.title)
        if kind == "source":
            return self.source_label(entry)
        if kind == "note":
            return self._("Note") + " " + entry.id
        return self.text(entry.name)

    def name_of(self, kind: str, id: str) -> str:
        return self.name(kind, self.site.library.get(kind, id))

    def source_label(self, source: Any) -> str:
        authors = ", ".join(source.authors) if source.authors else (source.container or source.publisher or "")
        year = f" ({source.date.year})" if source.date else ""
        return f"{authors}{year}, {source.title}" if authors else f"{source.title}{year}"

    def in_language(self, text: str, lang: str) -> Markup:
        """`text` marked with its language when it is not the page's (WCAG 3.1.2: a French
        title on an English page is then read with French pronunciation)."""
        if lang == self.lang:
            return escape(text)
        return Markup(f'<span lang="{escape(lang)}">{escape(text)}</span>')

    def source_label_html(self, source: Any) -> Markup:
        """`source_label`, with the title marked with the document's language."""
        authors = ", ".join(source.authors) if source.authors else (source.container or source.publisher or "")
        year = f" ({source.date.year})" if source.date else ""
        title = self.in_language(source.title, source.language)
        return Markup(f"{escape(authors)}{year}, {title}") if authors else Markup(f"{title}{escape(year)}")

    def name_html(self, kind: str, id: str) -> Markup:
        """An entry's name for running text and links: a source's title marked with its language."""
        if kind == "source":
            return self.source_label_html(self.site.library.get("source", id))
        return escape(self.name_of(kind, id))

    def language_name(self, code: str) -> str:
        """'fr' -> 'French' / 'français', in the page's language (Babel)."""
        try:
            return Locale.parse(code).get_display_name(self.fmt.locale) or code
        except (ValueError, UnknownLocaleError):
            return code

    def md(self, prose: Prose | None, heading_shift: int = 1, anchor: str = "") -> Markup:
        """Prose as HTML. With `anchor` (the field's name), each paragraph and heading
        gets a stable id and a visible link to itself, for teachers to cite."""
        if prose is None:
            return Markup("")
        parsed = self.site.parser.compiled_text(getattr(prose, self.lang), self.lang)
        # Without an anchor it is another entry's summary in a list: its links are not
        # in this page's own text, and stay out of the printed list of links.
        self.recording = bool(anchor) or self.record_every_link
        try:
            return Markup(self.site.parser.render(parsed, self.lang, self, heading_shift, anchor))
        finally:
            self.recording = True

    def anchor_label(self) -> str:
        return self._("Link to this paragraph")

    def md_inline(self, prose: Prose | None) -> Markup:
        if prose is None:
            return Markup("")
        parsed = self.site.parser.compiled_text(getattr(prose, self.lang), self.lang)
        return Markup(self.site.parser.render_inline(parsed, self.lang, self))

    # -- footnotes (called by the Markdown renderer) ------------------------------
    def cite(self, note_id: str) -> tuple[int, str]:
        return self.footnote_calls.cite(note_id)

    def note_href(self, note_id: str) -> str:
        return f"#note-{note_id}"

    def footnotes(self) -> list[dict[str, Any]]:
        """The notes cited so far on this page, numbered by first use. Call it
        after the prose that cites them has been rendered (end of the page)."""
        items, seen = [], 0
        while seen < len(self.footnote_calls.order):  # a note's text may itself cite nothing, but render lazily
            note_id = self.footnote_calls.order[seen]
            note = self.site.library.get("note", note_id)
            items.append({
                "number": seen + 1, "id": note_id, "anchor": f"note-{note_id}",
                "text": self.md_inline(note.text), "source": self._note_source(note),
                "calls": list(self.footnote_calls.calls[note_id]),
            })
            seen += 1
        return items

    def _note_source(self, note: Any) -> Markup:
        if not note.source:
            return Markup("")
        source = self.site.library.get("source", note.source)
        # f-strings with escape() rather than Markup.format: the same escaping, and
        # string.Formatter was a tenth of the rendering time (dates and notes are everywhere)
        link = Markup(f'<a href="{escape(self.url("source", source.id))}">{self.source_label_html(source)}</a>')
        return link + (Markup(", ") + escape(note.locator) if note.locator else Markup(""))

    # -- values -------------------------------------------------------------------
    def date(self, value: FuzzyDate | None) -> Markup:
        if value is None:
            return Markup("")
        return Markup(f'<time datetime="{escape(self.fmt.iso(value))}">{escape(self.fmt.date(value))}</time>')

    def date_text(self, value: FuzzyDate | None) -> str:
        return self.fmt.date(value) if value else ""

    def number(self, value: float) -> str:
        return for_language(self.fmt.number(value), self.lang)

    def figure(self, figure: Figure) -> str:
        return self.fmt.quantity(figure.value, figure.unit, figure.max, figure.approximate, figure.more_than)

    def figure_link(self, figure: Figure) -> str:
        if not figure.link:
            return ""
        kind, _, id = figure.link.partition(":")
        return self.url(kind, id)

    def source_short_links(self, ids: list[str]) -> Markup:
        """Sources named the short way, "Igor Delanoë (2021)" or "Incyber (2023)", as a
        reference is under a figure (the title, marked with its language, only when the
        source names no author, outlet or publisher)."""
        links = []
        for id in ids:
            source = self.site.library.get("source", id)
            who = ", ".join(source.authors) if source.authors else (source.container or source.publisher or "")
            href = escape(self.url("source", source.id))
            if who:
                label = escape(who + (f" ({source.date.year})" if source.date else ""))
                links.append(f'<a href="{href}">{label}</a>')
            else:
                lang = f' lang="{escape(source.language)}"' if source.language and source.language != self.lang else ""
                links.append(f'<a href="{href}"{lang}>{escape(source.title)}</a>')
        return Markup("; ".join(links))

    def figure_link_name(self, figure: Figure) -> str:
        """The name of the entry a figure's "Read more" leads to (said to assistive
        technology, so the link means something out of context)."""
        kind, _, id = (figure.link or "").partition(":")  # (asked only for figures with a link)
        return self.name_of(kind, self.site.library.canonical(kind, id))

    def cite_notes(self, note_ids: list[str]) -> Markup:
        """Footnote calls for a list of notes (used for figures and orders)."""
        parts = []
        for note_id in note_ids:
            number, anchor = self.cite(note_id)
            parts.append(Markup(note_call_html(self.note_href(note_id), anchor, number)))
        return Markup("").join(parts)

    # -- labels -------------------------------------------------------------------
    def kind_label(self, kind: str, plural: bool = False) -> str:
        return self._(KIND_LABELS[kind][1 if plural else 0])

    def category_label(self, category: str) -> str:
        return self._(CATEGORY_LABELS[category])

    def actor_kind_label(self, kind: str) -> str:
        return self._(ACTOR_KIND_LABELS[kind])

    def source_kind_label(self, kind: str) -> str:
        return self._(SOURCE_KIND_LABELS[kind])

    def unit_label(self, dataset: Any) -> str:
        if dataset.unit == "percent":
            return self._("per cent")
        if dataset.unit == "count":
            unit = self._("units")
        else:
            unit = get_currency_name(dataset.unit, count=2, locale=self.fmt.locale)
        template = {"one": "{unit}", "thousand": self._("thousands of {unit}"), "million": self._("millions of {unit}"),
                    "billion": self._("billions of {unit}")}[dataset.scale]
        return template.format(unit=unit)

    # -- charts and data files (see charts.py, exports.py) ------------------------------
    def data_file(self, path: str) -> str:
        """Relative URL of a download file (exports.py), e.g. 'data/timeline.csv'."""
        return self.url_to(path)

    def dataset_csv(self, dataset_id: str) -> str:
        return self.url_to(dataset_csv_path(dataset_id))

    def _chart_summary(self, labels: list[str], values: list[float]) -> str:
        high = max(range(len(values)), key=lambda i: values[i])
        low = min(range(len(values)), key=lambda i: values[i])
        return self._("From {first} to {last}. Highest: {high} ({high_label}); lowest: {low} ({low_label}). "
                      "The same figures are in the table.").format(
            first=labels[0], last=labels[-1], high=self.number(values[high]), high_label=labels[high],
            low=self.number(values[low]), low_label=labels[low])

    def dataset_chart(self, dataset: Any) -> Markup:
        """The dataset's series as an inline SVG bar chart, labelled in this page's language."""
        labels = [self.date_text(point.period) for point in dataset.points]
        values = [point.value for point in dataset.points]
        value_label = f"{self.text(dataset.series_label)} ({self.unit_label(dataset)})"
        description = self._("Bar chart of {what}, one bar per period.").format(what=value_label)
        return Markup(bar_chart(
            list(zip(labels, values)), chart_id=f"chart-{dataset.id}", title=self.text(dataset.title),
            description=description + " " + self._chart_summary(labels, values),
            category_label=self._("Period"), value_label=value_label, format_number=self.number))

    def orders_chart(self, rows: list[tuple[int, int, int]]) -> Markup:
        """Number of orders per year of order (rows from exports.orders_per_year)."""
        labels = [self.fmt.year(year) for year, _, _ in rows]
        values = [float(count) for _, count, _ in rows]
        description = self._("Bar chart of the number of equipment orders per year of order, "
                             "{total} orders in all.").format(total=self.number(sum(values)))
        return Markup(bar_chart(
            list(zip(labels, values)), chart_id="chart-orders", title=self._("Arms orders per year"),
            description=description + " " + self._chart_summary(labels, values),
            category_label=self._("Year"), value_label=self._("Number of orders"),
            format_number=self.number, integer=True))

    # -- pictures (see pictures.py, geo.py) -------------------------------------------
    def timeline_overview(self, years: list[tuple[int, list[Any]]]) -> Markup:
        """Events and orders per year (`years`: render.by_year's groups), each year's
        column a link to its section of the timeline."""
        rows = [(year, *self.year_counts(items)) for year, items in years]
        return Markup(timeline_overview(
            rows, href=lambda year: f"#y{year}",
            tooltip=lambda year, events, orders: self.year_counts_text(year, events, orders),
            legend=(self._("Events"), self._("Arms orders")), label=self._("Events and arms orders per year")))

    @staticmethod
    def year_counts(items: list[Any]) -> tuple[int, int]:
        """(events, arms orders) among a year's timeline items, orders folded into events included."""
        return (sum(i.kind == "event" for i in items),
                sum(i.kind == "order" for i in items) + sum(len(i.orders) for i in items))

    def order(self, anchor: str) -> tuple[Any, Any, int]:
        """(equipment, order, number) of an order's timeline anchor 'order-<equipment id>-<number>'."""
        equipment_id, _, number = anchor.removeprefix("order-").rpartition("-")
        equipment = self.site.library.get("equipment", equipment_id)
        return equipment, equipment.orders[int(number) - 1], int(number)

    @staticmethod
    def equipment_without_orders(equipment_ids: list[str], order_anchors: list[str]) -> list[str]:
        """The equipment an event names, less the items whose orders its card lists."""
        listed = {anchor.removeprefix("order-").rpartition("-")[0] for anchor in order_anchors}
        return [id for id in equipment_ids if id not in listed]

    def locator_map(self, states: list[Any]) -> tuple[Markup, list[Any], list[Any]]:
        """The map of the countries the site names (states with a `map_code`): (SVG,
        the states drawn on it, the states outside its window), states by name."""
        states = sorted((s for s in states if s.map_code), key=lambda s: sort_text(self.text(s.name)))
        countries = [c for c in _region() if c.code in {s.map_code for s in states}]
        project, height = MAP_WINDOW.projector(1)
        visible = {c.code for c in countries if any(0 <= x <= 1 and 0 <= y <= height
                                                     for polygon in c.polygons for lon, lat in polygon[0]
                                                     for x, y in [project(lon, lat)])}
        on_map = [s for s in states if s.map_code in visible]
        places = [Place(s.map_code, self.text(s.name), self.url("actor", s.id), self.text(s.name)) for s in on_map]
        svg = locator_map(_region(), places, MAP_WINDOW, label=self._("Countries named on this site"),
                          label_at=MAP_LABELS)
        return Markup(svg), on_map, [s for s in states if s.map_code not in visible]

    # -- infobox (an entry's facts at a glance, beside its text) ------------------------
    def most_linked_actors(self, kind: str, entry: Any, limit: int = 5) -> list[str]:
        """The actors that share most events with the entry (and, for equipment, its
        orders' buyers and makers), most shared first: 'the actors most linked with it'."""
        relation = {"actor": "actors", "equipment": "equipment", "theme": "themes"}.get(kind)
        counts: dict[str, int] = defaultdict(int)
        if relation:
            for event in self.site.library.events_with(relation, entry.id):
                for actor in event.actors:
                    counts[actor] += 1
        if kind == "equipment":
            for order in entry.orders:
                for actor in entry.order_parties(order):
                    counts[actor] += 1
        counts.pop(entry.id if kind == "actor" else "", None)
        ranked = sorted(counts, key=lambda a: (-counts[a], sort_text(self.name_of("actor", a))))
        return ranked[:limit]

    def timeline_span(self, events: list[Any]) -> str:
        """The years of the first and last of `events` ('2008–2023', or '2014')."""
        if not events:
            return ""
        first, last = min(e.date.year for e in events), max(e.date.year for e in events)
        return str(first) if first == last else f"{first}–{last}"

    def year_counts_text(self, year: int, events: int, orders: int) -> str:
        return for_language("{year}: {events}, {orders}".format(
            year=year, events=self.fmt.ngettext("%(num)s event", "%(num)s events", events) % {"num": events},
            orders=self.fmt.ngettext("%(num)s arms order", "%(num)s arms orders", orders) % {"num": orders}), self.lang)

    def orders_by_category(self, orders: list[Any]) -> list[tuple[str, list[tuple[int, list[Any]]]]]:
        """The orders (render.order_items) grouped by their equipment's category, then by
        year of order: [(category, [(year, [order items])])], categories by name."""
        groups: dict[str, dict[int, list[Any]]] = defaultdict(lambda: defaultdict(list))
        for item in orders:
            groups[item.entry.category][item.order.ordered].append(item)
        return [(category, sorted(by_year.items()))
                for category, by_year in sorted(groups.items(), key=lambda g: sort_text(self.category_label(g[0])))]

    def orders_heat_map(self, grouped: list[tuple[str, list[tuple[int, list[Any]]]]]) -> Markup:
        """`grouped` (orders_by_category) as a heat map: a row per category, a column per
        year with orders; each cell links to its line of the list (`#orders-<category>-<year>`)."""
        years = sorted({year for _, by_year in grouped for year, _ in by_year})
        counts = {(row, years.index(year)): len(items)
                  for row, (_, by_year) in enumerate(grouped) for year, items in by_year}
        categories = [category for category, _ in grouped]
        return Markup(heat_map(
            [self.category_label(c) for c in categories], years, counts,
            href=lambda row, column: f"#orders-{categories[row]}-{years[column]}",
            tooltip=lambda row, column, count: for_language("{category}, {year}: {orders}".format(
                category=self.category_label(categories[row]), year=years[column],
                orders=self.fmt.ngettext("%(num)s arms order", "%(num)s arms orders", count) % {"num": count}), self.lang),
            label=self._("Arms orders by category and year")))

    def equipment_made_by(self, actor_id: str) -> list[Any]:
        items = self.site.library.equipment_of("made", actor_id)
        return sorted(items, key=lambda e: sort_text(self.text(e.name)))

    def equipment_bought_by(self, actor_id: str) -> list[tuple[Any, int, str]]:
        """(equipment, units ordered, years of order) for each item the actor ordered."""
        bought = []
        for item in self.site.library.equipment_of("bought", actor_id):
            orders = [o for o in item.orders if o.buyer == actor_id]
            if orders:
                years = ", ".join(str(y) for y in sorted({o.ordered for o in orders}))
                bought.append((item, sum(o.quantity for o in orders), years))
        return sorted(bought, key=lambda b: sort_text(self.text(b[0].name)))

    def events_with(self, field_name: str, id: str) -> list[Any]:
        """Events whose `field_name` (themes, actors, equipment) lists `id`, in date order."""
        return self.site.library.events_with(field_name, id)

    def backlinks(self, kind: str, id: str) -> list[tuple[str, list[tuple[Markup, str]]]]:
        """What links here, grouped by kind: [(group label, [(name, url)])]."""
        groups: dict[str, list[tuple[Markup, str]]] = defaultdict(list)
        for other_kind, other_id in self.site.links.links_to((kind, id)):
            if other_kind == "note":
                continue  # a source's notes are listed on its own page
            # not through url(): 'what links here' is navigation, hidden in print, not in the printed links
            groups[other_kind].append((self.name_html(other_kind, other_id),
                                       self.url_to(PageKey(other_kind, other_id).path(self.lang))))
        return [(self.kind_label(k, plural=True), sorted(groups[k], key=lambda item: sort_text(item[0].striptags())))
                for k in BACKLINK_ORDER if groups.get(k)]

    # -- lasting links, citation, print (see citation.py, permalinks.py) ------------
    def short_url(self, kind: str, id: str, relative_to_page: bool = False) -> str:
        """The entry's language-neutral short link: absolute, to copy and share, or
        relative to this page, to follow (also in a local preview)."""
        path = short_path(kind, id)
        return self.url_to(path) if relative_to_page else absolute(self.site.base_url, path)

    def bilingual_url(self, kind: str, id: str) -> str:
        return self.url_to(BilingualKey(kind, id).path(self.lang))

    def citation(self, kind: str, entry: Any) -> Citation:
        """How to cite this page of the site, dated by the page's own revision (`updated`,
        else `added`), never by what it is about: an event's page about 2021 was not
        published in 2021. A source's page is the site's record of a document, not the
        document, and its title says so ("[Bibliographic record]"); see `document_citation`."""
        site = self.site.library.site
        written = entry.title if kind in ("event", "theme", "dataset", "source") else entry.name
        raw_title = written if isinstance(written, str) else getattr(written, self.lang)
        raw_author = site.author if isinstance(site.author, str) else getattr(site.author, self.lang)
        source = kind == "source"
        page = CitedPage(
            lang=self.lang, author=self.text(site.author), site_title=self.text(site.title),
            title=raw_title if source else self.text(raw_title),  # a source's title stays as published
            date=entry.updated or entry.added,
            url=self.canonical, key=f"{kind}-{entry.id}-{self.lang}",
            raw_title=raw_title, raw_author=raw_author, raw_site_title=getattr(site.title, self.lang),
            title_lang=entry.language if source else "",
            description=self._("Bibliographic record") if source else "")
        return cite(page, self._, self.date_text)

    def document_citation(self, source: Any) -> Citation:
        """How to cite the document a source entry describes (reference.py)."""
        return reference(Document(
            lang=self.lang, kind=source.kind, authors=tuple(source.authors), title=source.title,
            language=source.language, container=source.container, publisher=source.publisher, date=source.date,
            pages=source.pages, url=source.url, key=source.id), self._, self.date_text)

    def print_links(self) -> list[tuple[Markup, str]]:
        """(name, absolute URL) of every entry linked from the running text of this page
        (its prose and notes), in order of first link: printed at the end of the page,
        since paper cannot follow a link. Names, relations and lists name their entries."""
        return [(self.name_html(kind, id), absolute(self.site.base_url, PageKey(kind, id).path(self.lang)))
                for kind, id in self.linked]


def sort_text(text: str) -> str:
    """Sort key that ignores case and accents, so 'Élite' sorts with 'elite'."""
    return "".join(c for c in unicodedata.normalize("NFKD", text.casefold()) if not unicodedata.combining(c))
