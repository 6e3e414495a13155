"""What each page read, so that the next build re-renders only the pages whose
inputs changed.

Every page is rendered with a `PageDeps` as its recorder (content/observed.py): it
notes each entry the page read (`get`, and every entry a listing returned) and each
question it asked with the answer (which events involve this actor, what links here,
does this id exist, which entries of a kind there are...). A page is up to date when every entry it read is unchanged (same file
hash) and every question still gets the same answer: a new event that links to
an actor changes the answer of "what links to this actor", so the actor's page
is rendered again although the actor's file did not change.

Anything else a page depends on (templates, code, translations, site.yaml,
options) is part of the build's render key: when it changes, every page
is rendered again (plan.py).
"""
from __future__ import annotations

import marshal
from array import array
from dataclasses import dataclass, field
from typing import Any

from ..content.links import Key
from ..content.observed import Query, answer
from ..render.jobs import Job
from ..render.views import SiteContext


@dataclass
class PageDeps:
    entries: set[Key] = field(default_factory=set)
    answers: dict[Query, Any] = field(default_factory=dict)

    # -- the Recorder protocol (content/observed.py) --
    def read(self, kind: str, id: str) -> None:
        self.entries.add((kind, id))

    def asked(self, query: Query, answer: Any) -> None:
        self.answers[query] = answer

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
