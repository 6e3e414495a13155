"""The validated content, indexed by kind and id. Read-only once built."""
from __future__ import annotations

from dataclasses import dataclass, field
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

    def items(self) -> Iterator[tuple[str, Any]]:
        """Every entry with its kind, in a stable order."""
        for kind, items in self.entries.items():
            for entry in items.values():
                yield kind, entry

    def count(self, kind: str) -> int:
        return len(self.entries[kind])
