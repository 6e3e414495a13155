"""What a template sees of one page in one language.

A `PageView` is created for each page render and dropped afterwards: it owns
that page's footnote numbering, so nothing is shared between pages. Templates
get localized strings, formatted values and relative URLs from it, and never
reach into language-specific fields themselves.
"""
from __future__ import annotations

import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, Mapping
from urllib.parse import urlparse

from babel import Locale, UnknownLocaleError
from babel.numbers import get_currency_name
from markupsafe import Markup, escape

from .charts import bar_chart
from .citation import Citation, CitedPage, cite
from .reference import Document, reference
from .dates import FuzzyDate
from .exports import dataset_csv_path
from .i18n import N_, OTHER, Formatter
from .library import Library
from .links import Links
from .markdown import ProseParser, note_call_html
from .meta import PageMeta
from .models import Figure, Prose, Text
from .permalinks import BilingualKey, short_path
from .typography import for_language
from .urls import ENTRY_KINDS, PageKey, absolute, relative

KIND_LABELS = {
    "event": (N_("Event"), N_("Timeline events")),
    "equipment": (N_("Equipment"), N_("Equipment")),
    "actor": (N_("Actor"), N_("Actors")),
    "source": (N_("Source"), N_("Sources")),
    "theme": (N_("Theme"), N_("Themes")),
    "dataset": (N_("Dataset"), N_("Data")),
    "note": (N_("Note"), N_("Notes")),
}
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
        return [(lang, absolute(self.site.base_url, self.key.path(lang))) for lang in ("fr", "en")] + [
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

    def backlinks(self, kind: str, id: str) -> list[tuple[str, list[tuple[str, str]]]]:
        """What links here, grouped by kind: [(group label, [(name, url)])]."""
        groups: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for other_kind, other_id in self.site.links.links_to((kind, id)):
            if other_kind == "note":
                continue  # a source's notes are listed on its own page
            # not through url(): 'what links here' is navigation, hidden in print, not in the printed links
            groups[other_kind].append((self.name_html(other_kind, other_id),
                                       self.url_to(PageKey(other_kind, other_id).path(self.lang))))
        order = ("event", "equipment", "actor", "dataset", "theme", "source")
        return [(self.kind_label(k, plural=True), sorted(groups[k], key=lambda item: sort_text(item[0].striptags())))
                for k in order if groups.get(k)]

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
