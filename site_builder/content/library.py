"""The validated content, indexed by kind and id. Read-only once built."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Iterator, Literal, overload

from .loading import LoadedContent, Origin
from .models import Actor, Dataset, Entry, Equipment, Event, Note, SiteSettings, Source, Theme

Key = tuple[str, str]  # (kind, id)


@dataclass(frozen=True)
class Library:
    """Entries by kind (core/kinds.py's ids) and id, ids sorted. `get` and `all` are typed by
    kind when the kind is written out (`get("actor", id)` is an Actor). With a kind held in a
    variable, the caller knows more than a union of every model would say (a page's kind has
    pages, hence `added`), so they are left untyped there (Any)."""

    site: SiteSettings | None  # None only while checking content whose site.yaml is broken
    site_origin: Origin | None
    entries: dict[str, dict[str, Entry]]
    origins: dict[Key, Origin]
    note_documents: dict[str, str | None]
    broken: frozenset[Key] = frozenset()
    # (kind, former id) -> live id, from the entries' `aliases` (see aliases.py for their checks)
    aliases: dict[Key, str] = field(default_factory=dict)

    @classmethod
    def from_loaded(cls, loaded: LoadedContent) -> Library:
        entries = {kind: dict(sorted(items.items())) for kind, items in loaded.entries.items()}
        aliases: dict[Key, str] = {}
        for kind, items in entries.items():
            for entry in items.values():
                for alias in getattr(entry, "aliases", ()):
                    if alias not in items:  # a live id always wins; the clash is an error anyway
                        aliases.setdefault((kind, alias), entry.id)
        return cls(loaded.site, loaded.site_origin, entries, dict(loaded.origins), dict(loaded.note_documents),
                   frozenset(loaded.broken), aliases)

    @overload
    def get(self, kind: Literal["event"], id: str) -> Event: ...
    @overload
    def get(self, kind: Literal["equipment"], id: str) -> Equipment: ...
    @overload
    def get(self, kind: Literal["actor"], id: str) -> Actor: ...
    @overload
    def get(self, kind: Literal["source"], id: str) -> Source: ...
    @overload
    def get(self, kind: Literal["theme"], id: str) -> Theme: ...
    @overload
    def get(self, kind: Literal["dataset"], id: str) -> Dataset: ...
    @overload
    def get(self, kind: Literal["note"], id: str) -> Note: ...
    @overload
    def get(self, kind: str, id: str) -> Any: ...

    def get(self, kind: str, id: str) -> Entry:
        """The entry, also by a former id (an alias); KeyError if there is none."""
        items = self.entries[kind]
        return items[id] if id in items else items[self.aliases[(kind, id)]]

    def canonical(self, kind: str, id: str) -> str:
        """The live id for `id`, which may be a former id (an alias) of an entry."""
        if id in self.entries.get(kind, ()):
            return id
        return self.aliases.get((kind, id), id)

    def has(self, kind: str, id: str) -> bool:
        return id in self.entries.get(kind, {})

    @overload
    def all(self, kind: Literal["event"]) -> list[Event]: ...
    @overload
    def all(self, kind: Literal["equipment"]) -> list[Equipment]: ...
    @overload
    def all(self, kind: Literal["actor"]) -> list[Actor]: ...
    @overload
    def all(self, kind: Literal["source"]) -> list[Source]: ...
    @overload
    def all(self, kind: Literal["theme"]) -> list[Theme]: ...
    @overload
    def all(self, kind: Literal["dataset"]) -> list[Dataset]: ...
    @overload
    def all(self, kind: Literal["note"]) -> list[Note]: ...
    @overload
    def all(self, kind: str) -> list[Any]: ...

    def all(self, kind: str) -> list[Any]:  # (not list[Entry]: lists are invariant, see the overloads)
        """The entries of a kind, by id."""
        return list(self.entries[kind].values())

    def ids(self, kind: str) -> list[str]:
        """The ids of the entries of a kind, sorted (for lists of pages, not their content)."""
        return list(self.entries[kind])

    def items(self) -> Iterator[tuple[str, Entry]]:
        """Every entry with its kind, in a stable order."""
        for kind, items in self.entries.items():
            for entry in items.values():
                yield kind, entry

    def count(self, kind: str) -> int:
        return len(self.entries[kind])

    # Indexes for pages that list "what involves this entry". Built once per build on
    # first use (a scan per page would make the build quadratic in the number of entries).
    @cached_property
    def _events_by_relation(self) -> dict[tuple[str, str], list[Event]]:
        index: dict[tuple[str, str], list[Event]] = defaultdict(list)
        for event in sorted(self.all("event"), key=lambda e: (e.date.sort_key(), e.id)):
            for relation in ("themes", "actors", "equipment"):
                for id in getattr(event, relation):
                    index[(relation, id)].append(event)
        return dict(index)

    def events_with(self, relation: str, id: str) -> list[Event]:
        """Events whose `relation` (themes, actors, equipment) lists `id`, in date order."""
        return self._events_by_relation.get((relation, id), [])

    @cached_property
    def _equipment_by_actor(self) -> dict[tuple[str, str], list[Equipment]]:
        index: dict[tuple[str, str], list[Equipment]] = defaultdict(list)
        for item in self.all("equipment"):
            for maker in item.manufacturers:
                index[("made", maker)].append(item)
            for buyer in dict.fromkeys(order.buyer for order in item.orders):
                index[("bought", buyer)].append(item)
        return dict(index)

    def equipment_of(self, role: str, actor_id: str) -> list[Equipment]:
        """Equipment the actor made (`role` 'made') or ordered ('bought')."""
        return self._equipment_by_actor.get((role, actor_id), [])

    @cached_property
    def _notes_by_source(self) -> dict[str, list[Note]]:
        index: dict[str, list[Note]] = defaultdict(list)
        for note in self.all("note"):
            if note.source:
                index[note.source].append(note)
        return dict(index)

    def notes_of(self, source_id: str) -> list[Note]:
        """The notes that cite the source, in the order of their ids."""
        return self._notes_by_source.get(source_id, [])


def natural_key(id: str) -> tuple[str, int]:
    """Sort key for ids numbered at the end, in their printed order: 'x-2' before 'x-10'."""
    head, _, tail = id.rpartition("-")
    return (head, int(tail)) if tail.isdigit() else (id, 0)
