"""What each page read, so that the next build re-renders only the pages whose
inputs changed.

Every page is rendered against a `RecordingLibrary`: it answers like the real
library and notes each entry the page read (`get`, and every entry a listing
returned) and each question it asked with the answer (which events involve this
actor, what links here, does this id exist, which entries of a kind there
are...). A page is up to date when every entry it read is unchanged (same file
hash) and every question still gets the same answer: a new event that links to
an actor changes the answer of "what links to this actor", so the actor's page
is rendered again although the actor's file did not change.

Anything else a page depends on (templates, code, translations, site.yaml,
options) is part of the build's render fingerprint: when it changes, every page
is rendered again (state.py).
"""
from __future__ import annotations

import marshal
from array import array
from dataclasses import dataclass, field
from typing import Any, Iterator

from ..content.library import Library
from ..render.jobs import Job
from ..content.links import Key, Links
from ..render.views import SiteContext

Query = tuple  # ("all", kind), ("get", kind, id), ("events_with", relation, id)...


@dataclass
class PageDeps:
    entries: set[Key] = field(default_factory=set)
    answers: dict[Query, Any] = field(default_factory=dict)

    def read(self, kind: str, entry: Any) -> Any:
        self.entries.add((kind, entry.id))
        return entry

    def frozen(self, index: dict[Key, int]) -> bytes:
        """A compact form, one bytes object (see `unfrozen`): entries as numbers (`index`,
        see `entry_index`) and the answers, packed with marshal. There are tens of
        thousands of pages, each with some twenty entries and a few answers: as Python
        objects they took 45 MB of every incremental build's memory at 5,000 entries."""
        numbers, answers = array("i"), dict(self.answers)
        for key in self.entries:
            if key in index:
                numbers.append(index[key])
            else:  # not a known entry (cannot happen after checking): render it every time
                answers[("unknown", *key)] = None
        return marshal.dumps((numbers.tobytes(), tuple(answers.items())))


def unfrozen(frozen: bytes) -> tuple[bytes, tuple[tuple[Query, Any], ...]]:
    """(entry numbers packed as array("i") bytes, ((query, answer), ...)) of `PageDeps.frozen`."""
    return marshal.loads(frozen)


def _ids(entries: list[Any]) -> tuple[str, ...]:
    return tuple(entry.id for entry in entries)


class RecordingLibrary:
    """The library as one page sees it: every read is noted in `deps`."""

    def __init__(self, library: Library, deps: PageDeps):
        self._library, self._deps = library, deps
        self.site, self.aliases = library.site, library.aliases

    def get(self, kind: str, id: str) -> Any:
        entry = self._library.get(kind, id)
        if entry.id != id:  # through a former id: which entry it leads to may change
            self._deps.answers[("canonical", kind, id)] = entry.id
        return self._deps.read(kind, entry)

    def canonical(self, kind: str, id: str) -> str:
        answer = self._library.canonical(kind, id)
        if answer == id and self._library.has(kind, id):
            # the entry's own id (a link to it): depending on the entry is simpler to store
            # and a little broader, so a page that links to an entry is rendered with it
            self._deps.entries.add((kind, id))
        else:
            self._deps.answers[("canonical", kind, id)] = answer
        return answer

    def has(self, kind: str, id: str) -> bool:
        answer = self._library.has(kind, id)
        if answer:
            self._deps.entries.add((kind, id))
        else:
            self._deps.answers[("has", kind, id)] = answer
        return answer

    def all(self, kind: str) -> list[Any]:
        entries = self._library.all(kind)
        self._deps.answers[("all", kind)] = _ids(entries)
        return [self._deps.read(kind, entry) for entry in entries]

    def ids(self, kind: str) -> list[str]:
        ids = self._library.ids(kind)
        self._deps.answers[("ids", kind)] = tuple(ids)
        return ids

    def items(self) -> Iterator[tuple[str, Any]]:
        for kind in self._library.entries:
            for entry in self.all(kind):
                yield kind, entry

    def count(self, kind: str) -> int:
        answer = self._deps.answers[("count", kind)] = self._library.count(kind)
        return answer

    @property
    def note_documents(self) -> dict[str, str | None]:
        if ("note_documents",) not in self._deps.answers:  # the whole table: noted once per page
            self._deps.answers[("note_documents",)] = note_documents_answer(self._library)
        return self._library.note_documents

    def events_with(self, relation: str, id: str) -> list[Any]:
        events = self._library.events_with(relation, id)
        self._deps.answers[("events_with", relation, id)] = _ids(events)
        return [self._deps.read("event", event) for event in events]

    def notes_of(self, source_id: str) -> list[Any]:
        notes = self._library.notes_of(source_id)
        self._deps.answers[("notes_of", source_id)] = _ids(notes)
        return [self._deps.read("note", note) for note in notes]

    def equipment_of(self, role: str, actor_id: str) -> list[Any]:
        items = self._library.equipment_of(role, actor_id)
        self._deps.answers[("equipment_of", role, actor_id)] = _ids(items)
        return [self._deps.read("equipment", item) for item in items]


class RecordingLinks:
    """Backlinks as one page sees them: every question is noted in `deps`."""

    def __init__(self, links: Links, deps: PageDeps):
        self._links, self._deps = links, deps

    def links_to(self, key: Key) -> list[Key]:
        answer = self._links.links_to(key)
        self._deps.answers[("links_to", *key)] = tuple(answer)
        return answer


def note_documents_answer(library: Library) -> tuple:
    return tuple(sorted((note, document or "") for note, document in library.note_documents.items()))


def answer(query: Query, library: Library, links: Links) -> Any:
    """The answer `query` gets now (what RecordingLibrary would record)."""
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
        return tuple(links.links_to(tuple(args)))
    if name == "unknown":
        return _NEVER
    raise ValueError(f"unknown dependency query {query!r}")


def recording_site(site: SiteContext, deps: PageDeps) -> SiteContext:
    """`site` as one page sees it, noting in `deps` what the page reads."""
    return SiteContext(RecordingLibrary(site.library, deps), RecordingLinks(site.links, deps),  # type: ignore[arg-type]
                       site.parser, site.base_url, site.assets)


_NEVER = object()  # an answer equal to nothing recorded


def entry_index(digests: dict[Key, str], previous: list[Key] | None) -> list[Key]:
    """Every entry key, numbered for PageDeps.frozen: the previous build's numbering,
    extended, so that pages kept from it keep meaning the same entries."""
    keys = list(previous or ())
    known = set(keys)
    keys += sorted(key for key in digests if key not in known)
    return keys


def stale_jobs(jobs: list[Job], previous: Any, site: SiteContext, digests: dict[Key, str]) -> list[Job]:
    """The jobs whose page may differ from the previous build's (state.BuildState):
    new pages, and pages that read a changed entry or got a different answer."""
    numbers = {key: number for number, key in enumerate(previous.keys)}
    changed = {numbers[key] for key in digests.keys() | previous.entries.keys()
               if digests.get(key) != previous.entries.get(key) and key in numbers}
    answers: dict[Query, Any] = {}
    stale = []
    for job in jobs:
        record = previous.pages.get(job.path)
        if record is None or not _still_valid(record[1], changed, answers, site):
            stale.append(job)
    return stale


def _still_valid(deps: bytes, changed: set[int], answers: dict[Query, Any], site: SiteContext) -> bool:
    entries, recorded = unfrozen(deps)
    if changed and not changed.isdisjoint(array("i", entries)):
        return False
    for query, then in recorded:
        if query not in answers:
            answers[query] = answer(query, site.library, site.links)
        if answers[query] != then:
            return False
    return True
