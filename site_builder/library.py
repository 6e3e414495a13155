"""The validated content, indexed by kind and id. Read-only once built."""
from __future__ import annotations

from dataclasses import dataclass
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

    @classmethod
    def from_loaded(cls, loaded: LoadedContent) -> "Library":
        entries = {kind: dict(sorted(items.items())) for kind, items in loaded.entries.items()}
        return cls(loaded.site, loaded.site_origin, entries, dict(loaded.origins), dict(loaded.note_documents),
                   frozenset(loaded.broken))

    def get(self, kind: str, id: str) -> Any:
        return self.entries[kind][id]

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
