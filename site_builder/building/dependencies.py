"""What each page read, so that the next build re-renders only the pages whose
inputs changed.

Every page is rendered with a `PageDeps` as its recorder (content/observed.py): it
notes each field of an entry the page read (the `azerbaijan` actor's `name`, not its
`summary`, for a page that only links to it) and each question it asked with the
answer (which events involve this actor, what links here, does this id exist, which
entries of a kind there are...). A page is up to date when every field it read is
unchanged (same digest, observed.field_digests) and every question still gets the
same answer: a new event that links to an actor changes the answer of "what links to
this actor", so the actor's page is rendered again although the actor's file did not
change.

Anything else a page depends on (templates, code, translations, site.yaml,
options) is part of the build's render key: when it changes, every page
is rendered again (plan.py).
"""
from __future__ import annotations

import marshal
from array import array
from dataclasses import dataclass, field
from typing import Any

from ..content.observed import FieldKey, Query, answer
from ..render.jobs import Job
from ..render.views import SiteContext


@dataclass
class PageDeps:
    entries: set[FieldKey] = field(default_factory=set)
    answers: dict[Query, Any] = field(default_factory=dict)

    # -- the Recorder protocol (content/observed.py) --
    def read(self, kind: str, id: str, field: str) -> None:
        self.entries.add((kind, id, field))

    def asked(self, query: Query, answer: Any) -> None:
        self.answers[query] = answer

    def frozen(self, index: dict[FieldKey, int]) -> bytes:
        """A compact form, one bytes object (see `unfrozen`): fields read as numbers (`index`,
        see `entry_index`) and the answers, packed with marshal. There are tens of
        thousands of pages, each with some sixty fields read and a few answers: as Python
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


def entry_index(digests: dict[FieldKey, str], previous: list[FieldKey] | None) -> list[FieldKey]:
    """Every field of every entry, numbered for PageDeps.frozen: the previous build's
    numbering, extended, so that pages kept from it keep meaning the same fields."""
    keys = list(previous or ())
    known = set(keys)
    keys += sorted(key for key in digests if key not in known)
    return keys


def stale_jobs(jobs: list[Job], previous: Any, site: SiteContext, digests: dict[FieldKey, str]) -> list[Job]:
    """The jobs whose page may differ from the previous build's (state.BuildState):
    new pages, and pages that read a changed field or got a different answer."""
    numbers = {key: number for number, key in enumerate(previous.keys)}
    before = previous.entries
    # changed or new fields, then fields gone (one pass over each: 70,000 fields at 5,000 entries)
    differ = [key for key, digest in digests.items() if before.get(key) != digest]
    differ += before.keys() - digests.keys()
    changed = {numbers[key] for key in differ if key in numbers}
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
