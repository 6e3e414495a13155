"""What a page reads of an entry, field by field (content/observed.py): the reads an
incremental build re-renders a page for, so an unreported read would leave a stale page."""
from __future__ import annotations

import copy
import pickle

import pytest

from site_builder.content.models import Actor, Equipment, Event
from site_builder.content.observed import WHOLE, ObservedEntry, field_digests, unwrapped


class Reads:
    def __init__(self) -> None:
        self.fields: list[tuple[str, str, str]] = []

    def read(self, kind: str, id: str, field: str) -> None:
        self.fields.append((kind, id, field))

    def asked(self, query, answer) -> None:
        pass


def actor(**changes) -> Actor:
    data = {"id": "testland", "kind": "state", "name": {"fr": "Testland", "en": "Testland"},
            "summary": {"fr": "Un État.", "en": "A state."}, "sources": ["s"]}
    return Actor.model_validate({**data, **changes}, strict=False)


def equipment() -> Equipment:
    return Equipment.model_validate({
        "id": "radar", "name": {"fr": "Radar", "en": "Radar"}, "category": "surveillance", "country": "testland",
        "manufacturers": ["maker"], "summary": {"fr": "Un radar.", "en": "A radar."},
        "orders": [{"buyer": "buyer", "quantity": 2, "ordered": 2020, "sources": ["s"]}], "sources": ["s"]},
        strict=False)


def test_each_field_read_is_reported_with_its_name():
    reads = Reads()
    entry = ObservedEntry(actor(), "actor", reads)
    assert entry.name.en == "Testland"
    assert entry.summary.fr == "Un État."
    assert reads.fields == [("actor", "testland", "name"), ("actor", "testland", "summary")]


def test_a_wrapped_entry_passes_for_the_entry():
    entry = ObservedEntry(actor(), "actor", Reads())
    assert isinstance(entry, Actor) and not isinstance(entry, Event)
    assert entry == actor() and unwrapped(entry) == actor()
    with pytest.raises(AttributeError):
        entry.name = "other"  # entries are immutable, wrapped or not


def test_an_attribute_the_kind_does_not_have_is_missing_and_reads_nothing():
    reads = Reads()
    entry = ObservedEntry(actor(), "actor", reads)
    assert getattr(entry, "date", None) is None  # templates ask every kind for a date
    assert reads.fields == []


def test_a_method_of_the_entry_reads_through_the_wrapper():
    reads = Reads()
    entry = ObservedEntry(equipment(), "equipment", reads)
    order = unwrapped(entry).orders[0]
    assert entry.order_parties(order) == ("buyer", "maker", "testland")
    assert {field for _kind, _id, field in reads.fields} == {"manufacturers", "country"}


@pytest.mark.parametrize("use", [str, repr, lambda e: e.model_dump(), lambda e: list(e), lambda e: e == actor()])
def test_a_read_that_cannot_be_told_apart_counts_as_reading_the_whole_entry(use):
    reads = Reads()
    use(ObservedEntry(actor(), "actor", reads))
    assert ("actor", "testland", WHOLE) in reads.fields


def test_a_wrapper_is_copied_as_itself_and_never_pickled():
    entry = ObservedEntry(actor(), "actor", Reads())
    assert copy.copy(entry) is entry and copy.deepcopy(entry) is entry  # immutable
    with pytest.raises(TypeError):
        pickle.dumps(entry)  # (never needed: pages are rendered where their entries are)


def test_a_field_s_digest_changes_with_its_value_only():
    before, after = field_digests(actor(), "file-1"), field_digests(actor(summary={"fr": "Un pays.", "en": "A country."}), "file-2")
    assert before["summary"] != after["summary"]
    assert before["name"] == after["name"] and before["id"] == after["id"]
    assert (before[WHOLE], after[WHOLE]) == ("file-1", "file-2")


def test_a_field_s_digest_is_the_same_in_every_process():
    """Digests are compared between builds, made by different processes. Pickling a model
    also pickles pydantic's set of the fields given, in an order that changes with each
    process's hash seed: the hub's name then seemed changed whenever its file was read
    again, and a summary edit re-rendered the 8,709 pages that show its name (5,000 entries)."""
    import subprocess
    import sys
    probe = ("from site_builder.content.models import Actor\n"
             "from site_builder.content.observed import field_digests\n"
             "a = Actor.model_validate({'id': 'x', 'kind': 'state', 'name': {'fr': 'X', 'en': 'X'}, "
             "'summary': {'fr': 'Un.', 'en': 'One.'}, 'sources': ['s'], 'added': '2024-01-02', "
             "'figures': [{'label': {'fr': 'L', 'en': 'L'}, 'value': 2.5, 'unit': 'percent', 'date': 2022, "
             "'sources': ['s']}]}, strict=False)\n"
             "print(sorted(field_digests(a, 'f').items()))\n")
    outputs = {subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True,
                              env={**__import__("os").environ, "PYTHONHASHSEED": str(seed)}).stdout
               for seed in range(8)}
    assert len(outputs) == 1, outputs
