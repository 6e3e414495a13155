"""What a page says in its language that depends on nothing else: labels, dates, numbers,
names, charts. One `Words` per language, made once per build; templates call it as
`words` (a Jinja global of each language's environment), a page view as `page.words`.
Nothing here reads the library or knows which page it is on."""
from __future__ import annotations

import unicodedata
from collections import defaultdict
from typing import Any

from babel import Locale, UnknownLocaleError
from babel.numbers import get_currency_name
from markupsafe import Markup, escape

from .charts import bar_chart
from .i18n import N_, Formatter
from .pictures import heat_map, timeline_overview
from ..content.models import Figure, Text
from ..core.dates import FuzzyDate
from ..core.kinds import KINDS
from ..core.typography import for_language

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


class Words:
    """The stateless helpers of one language."""

    def __init__(self, lang: str, fmt: Formatter):
        self.lang, self.fmt = lang, fmt

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

    def language_name(self, code: str) -> str:
        """'fr' -> 'French' / 'français', in the page's language (Babel)."""
        try:
            return Locale.parse(code).get_display_name(self.fmt.locale) or code
        except (ValueError, UnknownLocaleError):
            return code

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

    @staticmethod
    def equipment_without_orders(equipment_ids: list[str], order_anchors: list[str]) -> list[str]:
        """The equipment an event names, less the items whose orders its card lists."""
        listed = {anchor.removeprefix("order-").rpartition("-")[0] for anchor in order_anchors}
        return [id for id in equipment_ids if id not in listed]

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


def sort_text(text: str) -> str:
    """Sort key that ignores case and accents, so 'Élite' sorts with 'elite'."""
    return "".join(c for c in unicodedata.normalize("NFKD", text.casefold()) if not unicodedata.combining(c))
