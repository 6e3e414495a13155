"""Former ids: an entry renamed or merged keeps its old addresses alive.

An entry lists its former ids in `aliases:`. Each one is checked here (it must
not be the entry's own id, a live id of the same kind, or claimed twice), gets
a redirect page in both languages (redirects.py), and links still written with
it resolve to the entry with a warning (links.py). Before pages are rendered,
`canonicalize` rewrites every relation field to live ids, so that nothing
downstream (backlinks, timeline filters, data downloads) ever sees a former id.

Ids are unique only within a kind, so aliases are too: an actor and a theme may
both have once been called `drones`.
"""
from __future__ import annotations

from dataclasses import replace
from functools import lru_cache, partial
from typing import Any, Callable, Collection, TypeVar

from pydantic import BaseModel

from ..core.errors import Position, Problem
from .library import Library
from .links import Owner
from .models import Ref


def check_aliases(library: Library) -> list[Problem]:
    """Every alias that cannot redirect unambiguously to its entry, with the alias's position."""
    problems: list[Problem] = []
    claimed: dict[tuple[str, str], tuple[str, Callable[[], Position]]] = {}  # (kind, alias) -> (entry id, its position, lazily)
    for kind, entry in library.items():
        origin = library.origins[(kind, entry.id)]
        for index, alias in enumerate(getattr(entry, "aliases", ())):
            position = partial(origin.at, "aliases", index)  # looked up only for a problem
            if alias == entry.id:
                problems.append(Problem(position(), f"alias '{alias}' is this entry's own id",
                                        "remove it: aliases list former ids only"))
            elif library.has(kind, alias) or (kind, alias) in library.broken:
                where = library.origins.get((kind, alias))
                problems.append(Problem(
                    position(), f"alias '{alias}' is the id of another {kind}"
                    + (f" (defined at {where.at('id')})" if where is not None else ""),
                    f"a former id must not be in use: remove the alias, or rename the {kind} that uses it"))
            elif (kind, alias) in claimed:
                first_id, first_position = claimed[(kind, alias)]
                if first_id == entry.id:
                    problems.append(Problem(position(), f"alias '{alias}' is listed twice", "keep it once"))
                else:
                    problems.append(Problem(
                        position(), f"alias '{alias}' is also claimed by {kind} '{first_id}' (at {first_position()})",
                        "a former id can lead to one entry only: keep it on the entry that replaced the old one"))
            else:
                claimed[(kind, alias)] = (entry.id, position)
    return problems


def canonicalize(library: Library, naming_former_ids: Collection[Owner] | None = None) -> Library:
    """The same library with every relation written with a former id rewritten to the live id.

    Call it after links.resolve, which warns about each such reference and lists who
    made it (`Links.former_ids`): given as `naming_former_ids`, only those entries are
    rewritten, the others are the same objects (rewriting every entry took 0.15 s of
    every build at 5,000 entries)."""
    if not library.aliases:
        return library

    def rewritten(owner: Owner, model: Model) -> Model:
        return model if naming_former_ids is not None and owner not in naming_former_ids else _rewrite(model, library)

    entries = {kind: {id: rewritten((kind, id), entry) for id, entry in items.items()}
               for kind, items in library.entries.items()}
    documents = {note: library.canonical("source", doc) if doc else doc for note, doc in library.note_documents.items()}
    site = rewritten(None, library.site) if library.site is not None else None
    return replace(library, site=site, entries=entries, note_documents=documents)


Model = TypeVar("Model", bound=BaseModel)


@lru_cache(maxsize=None)
def _fields(model_class: type[BaseModel]) -> tuple[tuple[str, Ref | None], ...]:
    """Each field of a model class with its Ref marker, if it holds ids (once per class)."""
    return tuple((name, next((m for m in info.metadata if isinstance(m, Ref)), None))
                 for name, info in model_class.model_fields.items())


def _rewrite(model: Model, library: Library) -> Model:
    updates: dict[str, Any] = {}
    for name, ref in _fields(type(model)):
        value = getattr(model, name)
        if ref is not None:
            if isinstance(value, list):
                new: Any = list(dict.fromkeys(library.canonical(ref.kind, id) for id in value))
            else:
                new = library.canonical(ref.kind, value) if value else value
        elif name == "link" and isinstance(value, str):
            kind, _, id = value.partition(":")
            new = f"{kind}:{library.canonical(kind, id)}"
        elif isinstance(value, BaseModel):
            new = _rewrite(value, library)
            if new is value:  # (unchanged: comparing two models field by field is what took the time)
                continue
        elif isinstance(value, list) and any(isinstance(item, BaseModel) for item in value):
            new = [_rewrite(item, library) if isinstance(item, BaseModel) else item for item in value]
            if all(a is b for a, b in zip(new, value)):
                continue
        else:
            continue
        if new != value:
            updates[name] = new
    return model.model_copy(update=updates) if updates else model
