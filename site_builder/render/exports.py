"""The site's content as files to download: JSON and CSV, language-neutral.

Each export is a table described once (`EXPORTS`): its columns, their meaning
(shown on the data page in the reader's language) and how to fill a row from
the library. The same description writes the CSV header, the JSON fields and
the documentation, so they cannot disagree.

- Texts keep both languages: `title_fr`/`title_en` columns in CSV, `{"fr", "en"}`
  objects in JSON. Prose stays Markdown as the editors wrote it.
- Relations are ids (space-separated in CSV, arrays in JSON); dates are EDTF.
- Each record links its page in both languages, absolute from the base URL.
- CSV is RFC 4180 (UTF-8, comma, CRLF, quoted when needed); a text cell that a
  spreadsheet could run as a formula (= + - @, tab, CR) is prefixed with "'".
- Output is deterministic: records sorted, no timestamps.
"""
from __future__ import annotations

import csv
import json
from collections import defaultdict
from dataclasses import dataclass
from typing import Any, Callable, NamedTuple, Protocol

from .i18n import N_
from ..content.library import Library, natural_key
from ..core.kinds import LANGUAGES
from .urls import PageKey, absolute

FOLDER = "data"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Column:
    name: str
    description: str  # English, marked for translation; shown on the data page
    kind: str = "value"  # value | text (both languages) | ids (list of ids) | url (both languages)

    @property
    def csv_names(self) -> tuple[str, ...]:
        if self.kind in ("text", "url"):
            return tuple(f"{self.name}_{lang}" for lang in LANGUAGES)
        return (self.name,)


@dataclass(frozen=True)
class Export:
    name: str
    title: str
    description: str
    columns: tuple[Column, ...]
    rows: Callable[[Library], list[Row]]  # in the file's order
    record: Callable[[Any, tuple[Any, ...], str], dict[str, Any]]  # (entry, the row's extra, base URL) -> record

    @property
    def json_path(self) -> str:
        return f"{FOLDER}/{self.name}.json"

    @property
    def csv_path(self) -> str:
        return f"{FOLDER}/{self.name}.csv"

    @property
    def csv_header(self) -> list[str]:
        return [name for column in self.columns for name in column.csv_names]


def dataset_csv_path(dataset_id: str) -> str:
    """One CSV per dataset, linked from its page (same columns as datasets.csv)."""
    return f"{FOLDER}/datasets/{dataset_id}.csv"


# -- values -------------------------------------------------------------------------

def _both(value: Any) -> dict[str, str] | None:
    """A text in both languages; a name written once is the same in both."""
    if value is None:
        return None
    if isinstance(value, str):
        return {lang: value for lang in LANGUAGES}
    return {lang: getattr(value, lang) for lang in LANGUAGES}


def _urls(base_url: str, kind: str, id: str, fragment: str = "") -> dict[str, str]:
    return {lang: absolute(base_url, PageKey(kind, id).path(lang)) + fragment for lang in LANGUAGES}


def _date(value: Any) -> str | None:
    return str(value) if value is not None else None


def _number(value: float | int) -> int | float:
    return int(value) if isinstance(value, float) and value.is_integer() else value


def neutralise(cell: str) -> str:
    """A text cell a spreadsheet would read as a formula starts with an apostrophe instead."""
    return "'" + cell if cell.startswith(FORMULA_START) else cell


def _csv_cells(column: Column, value: Any) -> list[str]:
    if column.kind in ("text", "url"):
        return [neutralise(value[lang]) if value else "" for lang in LANGUAGES]
    if column.kind == "ids":
        return [" ".join(value)]
    if value is None:
        return [""]
    if isinstance(value, bool):
        return ["true" if value else "false"]
    if isinstance(value, (int, float)):
        return [repr(_number(value))]
    return [neutralise(str(value))]


# -- records per export ---------------------------------------------------------------
# An export lists rows, each read from one entry: (its kind, the entry, what else the
# row depends on, e.g. which order of the equipment), and makes each row's record from
# those alone, so that a row can be kept between builds while its entry is unchanged
# (fragments.KeptRows).

class Row(NamedTuple):
    kind: str  # of the entry
    entry: Any  # the entry the row is read from
    extra: tuple[Any, ...] = ()  # what else it depends on: the order's number, the note's document...


def _timeline_rows(library: Library) -> list[Row]:
    return [Row("event", e) for e in sorted(library.all("event"), key=lambda e: (e.date.sort_key(), e.id))]


def _timeline(e: Any, _extra: tuple[Any, ...], base_url: str) -> dict[str, Any]:
    return {
        "id": e.id, "date": _date(e.date), "title": _both(e.title), "summary": _both(e.summary),
        "body": _both(e.body), "themes": list(e.themes), "actors": list(e.actors),
        "equipment": list(e.equipment), "sources": list(e.sources), "url": _urls(base_url, "event", e.id),
    }


def _order_rows(library: Library) -> list[Row]:
    rows = [Row("equipment", item, (number,)) for item in library.all("equipment")
            for number in range(1, len(item.orders) + 1)]
    return sorted(rows, key=lambda row: (row.entry.orders[row.extra[0] - 1].ordered, row.entry.id, row.extra[0]))


def _orders(item: Any, extra: tuple[Any, ...], base_url: str) -> dict[str, Any]:
    number = extra[0]
    order = item.orders[number - 1]
    return {
        "equipment": item.id, "order_number": number, "equipment_name": _both(item.name),
        "category": item.category, "country": item.country, "manufacturers": list(item.manufacturers),
        "buyer": order.buyer, "quantity": order.quantity, "ordered": order.ordered,
        "delivered": _date(order.delivered), "comment": _both(order.comment),
        "sources": list(order.sources), "url": _urls(base_url, "equipment", item.id),
    }


def _actor_rows(library: Library) -> list[Row]:
    return [Row("actor", a) for a in sorted(library.all("actor"), key=lambda a: a.id)]


def _actors(a: Any, _extra: tuple[Any, ...], base_url: str) -> dict[str, Any]:
    return {
        "id": a.id, "kind": a.kind, "name": _both(a.name), "country": a.country, "parent": a.parent,
        "summary": _both(a.summary), "body": _both(a.body), "themes": list(a.themes),
        "sources": list(a.sources), "url": _urls(base_url, "actor", a.id),
    }


def _note_rows(library: Library) -> list[Row]:
    documents = library.note_documents
    notes = sorted(library.all("note"), key=lambda n: (documents.get(n.id) or "", natural_key(n.id)))
    return [Row("note", n, (documents.get(n.id),)) for n in notes]


def _notes(n: Any, extra: tuple[Any, ...], base_url: str) -> dict[str, Any]:
    return {
        "id": n.id, "document": extra[0], "source": n.source, "locator": n.locator,
        "text": _both(n.text), "url": _urls(base_url, "source", "", f"#note-{n.id}"),
    }


def _dataset_rows(library: Library) -> list[Row]:
    return [Row("dataset", d, (number,)) for d in sorted(library.all("dataset"), key=lambda d: d.id)
            for number in range(len(d.points))]


def _datasets(d: Any, extra: tuple[Any, ...], base_url: str) -> dict[str, Any]:
    point = d.points[extra[0]]
    return {
        "dataset": d.id, "title": _both(d.title), "series_label": _both(d.series_label),
        "period": _date(point.period), "value": _number(point.value), "unit": d.unit, "scale": d.scale,
        "url": _urls(base_url, "dataset", d.id),
    }


_ID = N_("Identifier, also the last part of the page's address")
_SOURCES = N_("Sources, as ids (the address of a source's page ends with its id)")
_THEMES = N_("Themes, as ids")
_URL = N_("Address of the page, in French and in English")

EXPORTS: tuple[Export, ...] = (
    Export("timeline", N_("Timeline"), N_("Every event of the timeline, in date order."), (
        Column("id", _ID),
        Column("date", N_("Date in EDTF: 2023 (a year), 2023-11 (a month), 2023-10-04 (a day); "
                          "~ marks an approximate date, / a range")),
        Column("title", N_("Title"), "text"),
        Column("summary", N_("Summary, in Markdown"), "text"),
        Column("body", N_("Longer text, in Markdown; empty if there is none"), "text"),
        Column("themes", _THEMES, "ids"),
        Column("actors", N_("Actors involved, as ids (actors.csv)"), "ids"),
        Column("equipment", N_("Equipment concerned, as ids (column equipment of orders.csv)"), "ids"),
        Column("sources", _SOURCES, "ids"),
        Column("url", _URL, "url"),
    ), _timeline_rows, _timeline),
    Export("orders", N_("Equipment orders"),
           N_("Every order listed in the equipment entries (one row per order), by year of order."), (
        Column("equipment", N_("Equipment ordered, as an id")),
        Column("order_number", N_("Number of the order among those of this equipment: 1, 2…")),
        Column("equipment_name", N_("Name of the equipment"), "text"),
        Column("category", N_("Category of equipment, as a code: drone, air-defence, missile…")),
        Column("country", N_("Country of origin of the equipment, as an actor id; empty if unknown")),
        Column("manufacturers", N_("Manufacturers, as actor ids"), "ids"),
        Column("buyer", N_("Buyer, as an actor id")),
        Column("quantity", N_("Number of units ordered")),
        Column("ordered", N_("Year of the order")),
        Column("delivered", N_("Date or period of delivery, in EDTF; empty if unknown")),
        Column("comment", N_("Comment, in Markdown; empty if there is none"), "text"),
        Column("sources", _SOURCES, "ids"),
        Column("url", N_("Address of the equipment's page, in French and in English"), "url"),
    ), _order_rows, _orders),
    Export("actors", N_("Actors"), N_("States, companies, organisations and people, by id."), (
        Column("id", _ID),
        Column("kind", N_("Kind of actor: state, company, organisation or person")),
        Column("name", N_("Name"), "text"),
        Column("country", N_("Country, as an actor id; empty if none")),
        Column("parent", N_("Parent organisation, as an actor id; empty if none")),
        Column("summary", N_("Summary, in Markdown"), "text"),
        Column("body", N_("Longer text, in Markdown; empty if there is none"), "text"),
        Column("themes", _THEMES, "ids"),
        Column("sources", _SOURCES, "ids"),
        Column("url", _URL, "url"),
    ), _actor_rows, _actors),
    Export("notes", N_("Notes"), N_("Every footnote, grouped by the document it was printed in."), (
        Column("id", N_("Identifier of the note, as cited in prose: [^id]")),
        Column("document", N_("Document the note belongs to, as a source id; empty if none")),
        Column("source", N_("Source the note cites, as an id; empty if none")),
        Column("locator", N_("Page or section in that source; empty if none")),
        Column("text", N_("Text of the note, in Markdown"), "text"),
        Column("url", N_("Address of the note on the sources page, in French and in English"), "url"),
    ), _note_rows, _notes),
    Export("datasets", N_("Datasets"),
           N_("Every point of every numeric series (one row per point); each dataset also has its own CSV file."), (
        Column("dataset", N_("Dataset, as an id")),
        Column("title", N_("Title of the dataset"), "text"),
        Column("series_label", N_("What the values measure"), "text"),
        Column("period", N_("Period, in EDTF")),
        Column("value", N_("Value, with a full stop as decimal separator, in the unit and scale below")),
        Column("unit", N_("Unit: a currency code (USD, EUR…), percent or count")),
        Column("scale", N_("Scale of the values: one, thousand, million or billion")),
        Column("url", N_("Address of the dataset's page, in French and in English"), "url"),
    ), _dataset_rows, _datasets),
)


# -- files --------------------------------------------------------------------------------

def json_line(export: Export, record: dict[str, Any]) -> bytes:
    # One record per line: as easy to read and diff as an indented file, and written by
    # json's C encoder (indenting makes it fall back to Python, ten times slower).
    return json.dumps({column.name: record[column.name] for column in export.columns}, ensure_ascii=False).encode("utf-8")


class CsvLines:
    """Encodes one CSV row at a time (RFC 4180, CRLF), as bytes: csv.writer writes each
    row with one call to `write`, kept here."""

    def __init__(self) -> None:
        self._text = ""
        self._writer = csv.writer(self, lineterminator="\r\n")

    def write(self, text: str) -> None:
        self._text = text

    def __call__(self, cells: list[str]) -> bytes:
        self._writer.writerow(cells)
        return self._text.encode("utf-8")


def csv_line(export: Export, record: dict[str, Any], lines: CsvLines) -> bytes:
    return lines([cell for column in export.columns for cell in _csv_cells(column, record[column.name])])


def json_chunks(export: Export, lines: list[bytes], library: Library, base_url: str) -> list[bytes]:
    site = library.site
    head = json.dumps({
        "name": export.name,
        "site": {"title": _both(site.title), "url": base_url} if site else {"url": base_url},
        "licence": _both(site.licence) if site else None,
    }, ensure_ascii=False, indent=2)
    # Each line encoded on its own, and the file left in those pieces (written one after the
    # other): the timeline's is 11 MB at 5,000 entries, and building it as one text held
    # four copies of it at once.
    head_bytes = (head[:-2] + ',\n  "records": ').encode("utf-8")
    if not lines:
        return [head_bytes, b"[]\n}\n"]
    pieces = [head_bytes, b"[\n    "]
    for number, line in enumerate(lines):
        if number:
            pieces.append(b",\n    ")
        pieces.append(line)
    pieces.append(b"\n  ]\n}\n")
    return pieces


def csv_chunks(export: Export, lines: list[bytes]) -> list[bytes]:
    return [CsvLines()(export.csv_header), *lines]  # (in pieces: see json_chunks)


def export_paths(library: Any) -> list[tuple[str, tuple[str, str, str]]]:
    """(path, (export name, "json" or "csv", dataset id or "")) of every download file."""
    paths = []
    for export in EXPORTS:
        paths += [(export.json_path, (export.name, "json", "")), (export.csv_path, (export.name, "csv", ""))]
        if export.name == "datasets":
            paths += [(dataset_csv_path(id), (export.name, "csv", id)) for id in sorted(library.ids("dataset"))]
    return paths


class KeptLines(Protocol):
    """Where a download file's lines may be kept between builds (building/fragments.py):
    `line` returns the row's line, kept or made with `make`; `save` once all are made."""

    def line(self, row: Row, make: Callable[[Row], bytes]) -> bytes: ...

    def save(self) -> None: ...


def export_chunks(library: Any, base_url: str, name: str, form: str, dataset_id: str = "",
                  kept: KeptLines | None = None) -> list[bytes]:
    """One download file, in the pieces it is made of (`library` may report what it
    reads: content/observed.py)."""
    export = next(export for export in EXPORTS if export.name == name)
    rows = export.rows(library)
    if dataset_id:
        rows = [row for row in rows if row.entry.id == dataset_id]
    csv_lines = CsvLines()

    def line(row: Row) -> bytes:
        record = export.record(row.entry, row.extra, base_url)
        return json_line(export, record) if form == "json" else csv_line(export, record, csv_lines)

    if kept is not None:
        lines = [kept.line(row, line) for row in rows]
        kept.save()  # as soon as every line is made: see KeptRows.save
    else:
        lines = [line(row) for row in rows]
    return json_chunks(export, lines, library, base_url) if form == "json" else csv_chunks(export, lines)


def orders_per_year(library: Library) -> list[tuple[int, int, int]]:
    """(year, number of orders, units ordered) for every year from the first order to the
    last, years without orders included, so that a chart's rows are evenly spaced in time."""
    orders: dict[int, int] = defaultdict(int)
    units: dict[int, int] = defaultdict(int)
    for item in library.all("equipment"):
        for order in item.orders:
            orders[order.ordered] += 1
            units[order.ordered] += order.quantity
    if not orders:
        return []
    return [(year, orders.get(year, 0), units.get(year, 0)) for year in range(min(orders), max(orders) + 1)]
