"""The library as one page sees it: every read reported to a `Recorder`.

Rendering reads the content only through this view. A page reports each field of an
entry it read (`Recorder.read(kind, id, field)`: the entries `get` and the listings
return are wrapped so that reading `entry.summary` reports `summary`) and each
question it asked with the answer it got (`Recorder.asked`: which events involve this
actor, what links here, does this id exist, which entries of a kind there are...).
Rendering does not care who listens: by default nobody (`NO_RECORDER`, and entries are
not wrapped); an incremental build records what each page read, to render it again
only when one of those reads would now give something else
(building/dependencies.py). `answer` asks a recorded question again; `field_digests`
says what a read of each field is compared with.

Reads are exact to the field because a hub is read by thousands of pages for its name
and address alone: at 5,000 entries, a change to the `azerbaijan` actor's summary
re-rendered 10,000 pages when a page depended on the whole entry, and a handful now.
"""
from __future__ import annotations

import dataclasses
import hashlib
import marshal
from functools import lru_cache
from types import FunctionType, MethodType
from typing import Any, Iterator, Protocol

from pydantic import BaseModel

from .library import Library
from .links import Key, Links

Query = tuple[Any, ...]  # ("all", kind), ("canonical", kind, id), ("events_with", relation, id)...
FieldKey = tuple[str, str, str]  # (kind, id, field): what a page read
WHOLE = "*"  # the field of a read that may depend on anything the entry says
EXISTS = "id"  # the field a page reads when it only needs the entry to be there (a link to it)


class Recorder(Protocol):
    def read(self, kind: str, id: str, field: str) -> None:
        """The page read this field of this entry (WHOLE: any of them)."""

    def asked(self, query: Query, answer: Any) -> None:
        """The page asked the library this question and got this answer."""


class _Nobody:
    def read(self, kind: str, id: str, field: str) -> None:
        pass

    def asked(self, query: Query, answer: Any) -> None:
        pass


NO_RECORDER: Recorder = _Nobody()


def field_digests(model: Any, file_digest: str) -> dict[str, str]:
    """What a read of each field of an entry is compared with from one build to the next:
    a hash of the field's value in a canonical form (`_canonical`), and the hash of the
    entry's file for WHOLE."""
    digests = {WHOLE: file_digest}
    for name in type(model).model_fields:
        value = marshal.dumps(_canonical(getattr(model, name)), 4)
        digests[name] = hashlib.blake2b(value, digest_size=12).hexdigest()
    return digests


def _canonical(value: Any) -> Any:
    """`value` as nested tuples of plain values, each thing named by its type: the same
    bytes for the same value in every process. (A pickled model holds pydantic's set of
    the fields given, in an order that changes with each process's hash seed: a hub's
    unchanged name then looked changed, and 8,709 pages were rendered again.)"""
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, BaseModel):
        return (type(value).__name__, *(_canonical(getattr(value, name)) for name in type(value).model_fields))
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return (type(value).__name__, *(_canonical(getattr(value, f.name)) for f in dataclasses.fields(value)))
    if isinstance(value, (list, tuple)):
        return (type(value).__name__, *(_canonical(item) for item in value))
    if isinstance(value, dict):
        return ("dict", *sorted((_canonical(key), _canonical(item)) for key, item in value.items()))
    raise TypeError(f"no canonical form for a {type(value).__name__} field value")


_MISSING = object()


class ObservedEntry:
    """An entry that reports each field read from it.

    Looks like the entry to templates and views (attributes, `isinstance`, equality);
    a field read reports that field, a method of the entry's class runs on this wrapper
    (so its own reads are reported), and anything else (pydantic's `model_*` methods,
    `str()`) reports a read of the WHOLE entry."""

    __slots__ = ("_entry", "_kind", "_recorder")

    def __init__(self, entry: Any, kind: str, recorder: Recorder):
        object.__setattr__(self, "_entry", entry)
        object.__setattr__(self, "_kind", kind)
        object.__setattr__(self, "_recorder", recorder)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):  # protocols looked up on instances (copy, pickle): not the entry's
            raise AttributeError(name)
        entry = self._entry
        cls: type[BaseModel] = type(entry)
        if name in _field_names(cls):
            self._recorder.read(self._kind, entry.id, name)
            return getattr(entry, name)
        attribute = getattr(cls, name, _MISSING)
        if attribute is _MISSING and name not in cls.model_computed_fields:
            # not an attribute of this kind of entry, whatever it says (`getattr(entry, "date",
            # None)` on an actor): nothing it could change
            raise AttributeError(f"{cls.__name__!r} object has no attribute {name!r}")
        if type(attribute) is FunctionType and not name.startswith("model_"):
            return MethodType(attribute, self)
        self._recorder.read(self._kind, entry.id, WHOLE)
        return getattr(entry, name)

    @property  # type: ignore[misc]
    def __class__(self) -> type:  # isinstance(entry, Event) holds for a wrapped Event
        return type(self._entry)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"{type(self._entry).__name__} is immutable")

    def __eq__(self, other: object) -> bool:
        return bool(self._whole() == unwrapped(other))

    def __hash__(self) -> int:
        return hash(self._whole())

    def __repr__(self) -> str:
        return repr(self._whole())

    def __str__(self) -> str:
        return str(self._whole())

    def __iter__(self) -> Iterator[Any]:
        return iter(self._whole())

    def __copy__(self) -> ObservedEntry:  # immutable: a copy is itself
        return self

    def __deepcopy__(self, memo: dict[int, Any]) -> ObservedEntry:
        return self

    def __reduce__(self) -> Any:
        raise TypeError("an entry as a page reads it stays in the process that renders the page")

    def _whole(self) -> Any:
        self._recorder.read(self._kind, self._entry.id, WHOLE)
        return self._entry


@lru_cache(maxsize=None)
def _field_names(model_class: type[BaseModel]) -> frozenset[str]:
    """The fields of a kind of entry, once per class: every field read asks, and pydantic's
    `model_fields` on a class goes through a descriptor (a third of the wrapper's cost)."""
    return frozenset(model_class.model_fields)


def unwrapped(entry: Any) -> Any:
    """The entry itself, whether or not it is wrapped in an ObservedEntry (not reported)."""
    return object.__getattribute__(entry, "_entry") if type(entry) is ObservedEntry else entry


def _ids(entries: list[Any]) -> tuple[str, ...]:
    return tuple(entry.id for entry in entries)


class ObservedLibrary:
    """The library's read methods, each reporting what it read to `recorder`."""

    def __init__(self, library: Library, recorder: Recorder):
        self._library, self._recorder = library, recorder
        self.site, self.aliases = library.site, library.aliases
        self._documents_noted = False

    def _read(self, kind: str, entry: Any) -> Any:
        return ObservedEntry(entry, kind, self._recorder)

    def get(self, kind: str, id: str) -> Any:
        entry = self._library.get(kind, id)
        if entry.id != id:  # through a former id: which entry it leads to may change
            self._recorder.asked(("canonical", kind, id), entry.id)
        self._recorder.read(kind, entry.id, EXISTS)
        return self._read(kind, entry)

    def canonical(self, kind: str, id: str) -> str:
        answer = self._library.canonical(kind, id)
        if answer == id and self._library.has(kind, id):
            # the entry's own id (a link to it): the page needs the entry to be there, and
            # that is stored as a read, smaller than a question with its answer
            self._recorder.read(kind, id, EXISTS)
        else:
            self._recorder.asked(("canonical", kind, id), answer)
        return answer

    def has(self, kind: str, id: str) -> bool:
        answer = self._library.has(kind, id)
        if answer:
            self._recorder.read(kind, id, EXISTS)
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
