"""The library as one page sees it: every read reported to a `Recorder`.

Rendering reads the content only through this view. A page reports each entry it read
(`Recorder.read`: `get`, and every entry a listing returned) and each question it asked
with the answer it got (`Recorder.asked`: which events involve this actor, what links
here, does this id exist, which entries of a kind there are...). Rendering does not
care who listens: by default nobody (`NO_RECORDER`); an incremental build records
what each page read, to render it again only when one of those reads would now give
something else (building/dependencies.py). `answer` asks a recorded question again.
"""
from __future__ import annotations

from typing import Any, Iterator, Protocol

from .library import Library
from .links import Key, Links

Query = tuple[Any, ...]  # ("all", kind), ("canonical", kind, id), ("events_with", relation, id)...


class Recorder(Protocol):
    def read(self, kind: str, id: str) -> None:
        """The page read this entry: it depends on everything the entry's file says."""

    def asked(self, query: Query, answer: Any) -> None:
        """The page asked the library this question and got this answer."""


class _Nobody:
    def read(self, kind: str, id: str) -> None:
        pass

    def asked(self, query: Query, answer: Any) -> None:
        pass


NO_RECORDER: Recorder = _Nobody()


def _ids(entries: list[Any]) -> tuple[str, ...]:
    return tuple(entry.id for entry in entries)


class ObservedLibrary:
    """The library's read methods, each reporting what it read to `recorder`."""

    def __init__(self, library: Library, recorder: Recorder):
        self._library, self._recorder = library, recorder
        self.site, self.aliases = library.site, library.aliases
        self._documents_noted = False

    def _read(self, kind: str, entry: Any) -> Any:
        self._recorder.read(kind, entry.id)
        return entry

    def get(self, kind: str, id: str) -> Any:
        entry = self._library.get(kind, id)
        if entry.id != id:  # through a former id: which entry it leads to may change
            self._recorder.asked(("canonical", kind, id), entry.id)
        return self._read(kind, entry)

    def canonical(self, kind: str, id: str) -> str:
        answer = self._library.canonical(kind, id)
        if answer == id and self._library.has(kind, id):
            # the entry's own id (a link to it): depending on the entry is simpler to store
            # and a little broader, so a page that links to an entry is rendered with it
            self._recorder.read(kind, id)
        else:
            self._recorder.asked(("canonical", kind, id), answer)
        return answer

    def has(self, kind: str, id: str) -> bool:
        answer = self._library.has(kind, id)
        if answer:
            self._recorder.read(kind, id)
        else:
            self._recorder.asked(("has", kind, id), answer)
        return answer

    def all(self, kind: str) -> list[Any]:
        entries = self._library.all(kind)
        self._recorder.asked(("all", kind), _ids(entries))
        return [self._read(kind, entry) for entry in entries]

    def ids(self, kind: str) -> list[str]:
        ids = self._library.ids(kind)
        self._recorder.asked(("ids", kind), tuple(ids))
        return ids

    def items(self) -> Iterator[tuple[str, Any]]:
        for kind in self._library.entries:
            for entry in self.all(kind):
                yield kind, entry

    def count(self, kind: str) -> int:
        answer = self._library.count(kind)
        self._recorder.asked(("count", kind), answer)
        return answer

    @property
    def note_documents(self) -> dict[str, str | None]:
        if not self._documents_noted:  # the whole table: noted once per page
            self._recorder.asked(("note_documents",), note_documents_answer(self._library))
            self._documents_noted = True
        return self._library.note_documents

    def events_with(self, relation: str, id: str) -> list[Any]:
        events = self._library.events_with(relation, id)
        self._recorder.asked(("events_with", relation, id), _ids(events))
        return [self._read("event", event) for event in events]

    def notes_of(self, source_id: str) -> list[Any]:
        notes = self._library.notes_of(source_id)
        self._recorder.asked(("notes_of", source_id), _ids(notes))
        return [self._read("note", note) for note in notes]

    def equipment_of(self, role: str, actor_id: str) -> list[Any]:
        items = self._library.equipment_of(role, actor_id)
        self._recorder.asked(("equipment_of", role, actor_id), _ids(items))
        return [self._read("equipment", item) for item in items]


class ObservedLinks:
    """Backlinks as one page sees them: every question reported to `recorder`."""

    def __init__(self, links: Links, recorder: Recorder):
        self._links, self._recorder = links, recorder

    def links_to(self, key: Key) -> list[Key]:
        answer = self._links.links_to(key)
        self._recorder.asked(("links_to", *key), tuple(answer))
        return answer


def note_documents_answer(library: Library) -> tuple[tuple[str, str], ...]:
    return tuple(sorted((note, document or "") for note, document in library.note_documents.items()))


class _Never:
    """An answer equal to nothing recorded."""

    def __eq__(self, other: object) -> bool:
        return False

    __hash__ = None  # type: ignore[assignment]


def answer(query: Query, library: Library, links: Links) -> Any:
    """The answer `query` gets now (what ObservedLibrary or ObservedLinks would report)."""
    name, *args = query
    if name == "canonical":
        return library.canonical(*args)
    if name == "has":
        return library.has(*args)
    if name == "all":
        return _ids(library.all(*args)) if args[0] in library.entries else ()
    if name == "ids":
        return tuple(library.ids(*args)) if args[0] in library.entries else ()
    if name == "count":
        return library.count(*args) if args[0] in library.entries else 0
    if name == "note_documents":
        return note_documents_answer(library)
    if name == "events_with":
        return _ids(library.events_with(*args))
    if name == "notes_of":
        return _ids(library.notes_of(*args))
    if name == "equipment_of":
        return _ids(library.equipment_of(*args))
    if name == "links_to":
        return tuple(links.links_to((args[0], args[1])))
    if name == "unknown":
        return _Never()
    raise ValueError(f"unknown dependency query {query!r}")
