"""The validated content, indexed by kind and id. Read-only once built."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Iterator

from .loading import LoadedContent, Origin
from .models import SiteSettings


@dataclass(frozen=True)
class Library:
    site: SiteSettings | None  # None only while checking content whose site.yaml is broken
    site_origin: Origin | None
    entries: dict[str, dict[str, Any]]
    origins: dict[tuple[str, str], Origin]
    note_documents: dict[str, str | None]
    broken: frozenset[tuple[str, str]] = frozenset()
    # (kind, former id) -> live id, from the entries' `aliases` (see aliases.py for their checks)
    aliases: dict[tuple[str, str], str] = field(default_factory=dict)

    @classmethod
    def from_loaded(cls, loaded: LoadedContent) -> "Library":
        entries = {kind: dict(sorted(items.items())) for kind, items in loaded.entries.items()}
        aliases: dict[tuple[str, str], str] = {}
        for kind, items in entries.items():
            for entry in items.values():
                for alias in getattr(entry, "aliases", ()):
                    if alias not in items:  # a live id always wins; the clash is an error anyway
                        aliases.setdefault((kind, alias), entry.id)
        return cls(loaded.site, loaded.site_origin, entries, dict(loaded.origins), dict(loaded.note_documents),
                   frozenset(loaded.broken), aliases)

    def get(self, kind: str, id: str) -> Any:
        items = self.entries[kind]
        return items[id] if id in items else items[self.aliases[(kind, id)]]

    def canonical(self, kind: str, id: str) -> str:
        """The live id for `id`, which may be a former id (an alias) of an entry."""
        if id in self.entries.get(kind, ()):
            return id
        return self.aliases.get((kind, id), id)

    def has(self, kind: str, id: str) -> bool:
        return id in self.entries.get(kind, {})

    def all(self, kind: str) -> list[Any]:
        return list(self.entries[kind].values())

    def ids(self, kind: str) -> list[str]:
        """The ids of the entries of a kind, sorted (for lists of pages, not their content)."""
        return list(self.entries[kind])

    def items(self) -> Iterator[tuple[str, Any]]:
        """Every entry with its kind, in a stable order."""
        for kind, items in self.entries.items():
            for entry in items.values():
                yield kind, entry

    def count(self, kind: str) -> int:
        return len(self.entries[kind])

    # Indexes for pages that list "what involves this entry". Built once per build on
    # first use (a scan per page would make the build quadratic in the number of entries).
    @cached_property
    def _events_by_relation(self) -> dict[tuple[str, str], list[Any]]:
        index: dict[tuple[str, str], list[Any]] = defaultdict(list)
        for event in sorted(self.all("event"), key=lambda e: (e.date.sort_key(), e.id)):
            for relation in ("themes", "actors", "equipment"):
                for id in getattr(event, relation):
                    index[(relation, id)].append(event)
        return dict(index)

    def events_with(self, relation: str, id: str) -> list[Any]:
        """Events whose `relation` (themes, actors, equipment) lists `id`, in date order."""
        return self._events_by_relation.get((relation, id), [])

    @cached_property
    def _equipment_by_actor(self) -> dict[tuple[str, str], list[Any]]:
        index: dict[tuple[str, str], list[Any]] = defaultdict(list)
        for item in self.all("equipment"):
            for maker in item.manufacturers:
                index[("made", maker)].append(item)
            for buyer in dict.fromkeys(order.buyer for order in item.orders):
                index[("bought", buyer)].append(item)
        return dict(index)

    def equipment_of(self, role: str, actor_id: str) -> list[Any]:
        """Equipment the actor made (`role` 'made') or ordered ('bought')."""
        return self._equipment_by_actor.get((role, actor_id), [])


    @cached_property
    def _notes_by_source(self) -> dict[str, list[Any]]:
        index: dict[str, list[Any]] = defaultdict(list)
        for note in self.all("note"):
            if note.source:
                index[note.source].append(note)
        return dict(index)

    def notes_of(self, source_id: str) -> list[Any]:
        """The notes that cite the source, in the order of their ids."""
        return self._notes_by_source.get(source_id, [])
