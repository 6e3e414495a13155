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
from functools import lru_cache
from typing import Any, Mapping
from urllib.parse import urlparse

from babel import Locale, UnknownLocaleError
from babel.numbers import get_currency_name
from markupsafe import Markup, escape

from .charts import bar_chart
from .geo import Country, Place, Shape, Window, country_shapes, load_region, locator_map
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
from .words import Words, sort_text
from ..content.models import Figure, Prose, Text
from ..content.observed import NO_RECORDER, ObservedLibrary, ObservedLinks, Recorder
from .permalinks import BilingualKey, short_path
from ..core.typography import for_language
from .urls import ENTRY_KINDS, PageKey, absolute, relative

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
@lru_cache(maxsize=1)
def _region() -> tuple[list[Country], tuple[Shape, ...], frozenset[str]]:
    """The map's countries, their outlines in its window and the codes of those with a
    point inside it: made once per process (geo.py), the same for every page and build.
    (0.13 s a page: the list of actors is rendered again after any actor's edit.)"""
    countries = load_region()
    project, height = MAP_WINDOW.projector(1)
    visible = frozenset(c.code for c in countries if any(0 <= x <= 1 and 0 <= y <= height
                                                         for polygon in c.polygons for lon, lat in polygon[0]
                                                         for x, y in [project(lon, lat)]))
    return countries, country_shapes(countries, MAP_WINDOW), visible


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
        self.words = Words(lang, fmt)  # what the page says in its language (words.py)
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
    def name_of(self, kind: str, id: str) -> str:
        return self.words.name(kind, self.site.library.get(kind, id))

    def name_html(self, kind: str, id: str) -> Markup:
        """An entry's name for running text and links: a source's title marked with its language."""
        if kind == "source":
            return self.words.source_label_html(self.site.library.get("source", id))
        return escape(self.name_of(kind, id))

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
        return self.words._("Link to this paragraph")

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
        link = Markup(f'<a href="{escape(self.url("source", source.id))}">{self.words.source_label_html(source)}</a>')
        return link + (Markup(", ") + escape(note.locator) if note.locator else Markup(""))

    # -- values -------------------------------------------------------------------
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
    # -- charts and data files (see charts.py, exports.py) ------------------------------
    def data_file(self, path: str) -> str:
        """Relative URL of a download file (exports.py), e.g. 'data/timeline.csv'."""
        return self.url_to(path)

    def dataset_csv(self, dataset_id: str) -> str:
        return self.url_to(dataset_csv_path(dataset_id))

    # -- pictures (see pictures.py, geo.py) -------------------------------------------
    def order(self, anchor: str) -> tuple[Any, Any, int]:
        """(equipment, order, number) of an order's timeline anchor 'order-<equipment id>-<number>'."""
        equipment_id, _, number = anchor.removeprefix("order-").rpartition("-")
        equipment = self.site.library.get("equipment", equipment_id)
        return equipment, equipment.orders[int(number) - 1], int(number)

    def locator_map(self, states: list[Any]) -> tuple[Markup, list[Any], list[Any]]:
        """The map of the countries the site names (states with a `map_code`): (SVG,
        the states drawn on it, the states outside its window), states by name."""
        states = sorted((s for s in states if s.map_code), key=lambda s: sort_text(self.words.text(s.name)))
        countries, shapes, visible = _region()
        on_map = [s for s in states if s.map_code in visible]
        places = [Place(s.map_code, self.words.text(s.name), self.url("actor", s.id), self.words.text(s.name)) for s in on_map]
        svg = locator_map(countries, places, MAP_WINDOW, label=self.words._("Countries named on this site"),
                          label_at=MAP_LABELS, shapes=shapes)
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

    def equipment_made_by(self, actor_id: str) -> list[Any]:
        items = self.site.library.equipment_of("made", actor_id)
        return sorted(items, key=lambda e: sort_text(self.words.text(e.name)))

    def equipment_bought_by(self, actor_id: str) -> list[tuple[Any, int, str]]:
        """(equipment, units ordered, years of order) for each item the actor ordered."""
        bought = []
        for item in self.site.library.equipment_of("bought", actor_id):
            orders = [o for o in item.orders if o.buyer == actor_id]
            if orders:
                years = ", ".join(str(y) for y in sorted({o.ordered for o in orders}))
                bought.append((item, sum(o.quantity for o in orders), years))
        return sorted(bought, key=lambda b: sort_text(self.words.text(b[0].name)))

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
        return [(self.words.kind_label(k, plural=True), sorted(groups[k], key=lambda item: sort_text(item[0].striptags())))
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
            lang=self.lang, author=self.words.text(site.author), site_title=self.words.text(site.title),
            title=raw_title if source else self.words.text(raw_title),  # a source's title stays as published
            date=entry.updated or entry.added,
            url=self.canonical, key=f"{kind}-{entry.id}-{self.lang}",
            raw_title=raw_title, raw_author=raw_author, raw_site_title=getattr(site.title, self.lang),
            title_lang=entry.language if source else "",
            description=self.words._("Bibliographic record") if source else "")
        return cite(page, self.words._, self.words.date_text)

    def document_citation(self, source: Any) -> Citation:
        """How to cite the document a source entry describes (reference.py)."""
        return reference(Document(
            lang=self.lang, kind=source.kind, authors=tuple(source.authors), title=source.title,
            language=source.language, container=source.container, publisher=source.publisher, date=source.date,
            pages=source.pages, url=source.url, key=source.id), self.words._, self.words.date_text)

    def print_links(self) -> list[tuple[Markup, str]]:
        """(name, absolute URL) of every entry linked from the running text of this page
        (its prose and notes), in order of first link: printed at the end of the page,
        since paper cannot follow a link. Names, relations and lists name their entries."""
        return [(self.name_html(kind, id), absolute(self.site.base_url, PageKey(kind, id).path(self.lang)))
                for kind, id in self.linked]
