"""Cross-references: check that every reference resolves, and build backlinks.

Two steps. `extract_references` walks one entry generically (relation fields
by their `Ref` marker, prose fields by their type, parsing the Markdown) and
lists what it points to; it needs nothing but the entry, so it runs where the
file is read and its result is cached with the file. `check_references` then
checks every reference against the whole library, and the same pass fills
"what links here", so the two can never disagree.
"""
from __future__ import annotations

import marshal
from collections import defaultdict
from dataclasses import dataclass, field
from functools import partial
from typing import Any, Callable

from pydantic import BaseModel

from ..core.errors import Position, Problem, Severity, did_you_mean
from .library import Library
from .loading import Origin
from .markdown import ProseParser, pack
from .yaml_source import Path_
from ..core.kinds import LANGUAGES, PAGE_KIND_IDS
from .models import Prose, Ref

Key = tuple[str, str]  # (kind, id)
Owner = Key | None  # who holds a reference: an entry, or None for the site settings
LINKABLE = PAGE_KIND_IDS  # the kinds prose links to as [text](kind:id): those with pages


# A reference as written in one entry, before it is checked against the library:
# (kind, target, path, written). kind: an entry kind (maybe misspelt), "note", or
# "web"/"invalid" for other prose link targets; path: the field holding it, inside the
# entry; written: prose only, how it is written, to find its line and column (else None).
# A plain tuple: there are tens of thousands in the build cache, and tuples load fastest
# (and marshal, which packs them, takes no named tuple).
RawRef = tuple[str, str, Path_, "str | None"]
ProseProblem = tuple[Path_, str, str, str, Severity]  # (path, as written, message, hint, severity), marshalled too


@dataclass
class EntryRefs:
    """Everything one entry points to, and what is wrong in its prose's Markdown.
    Depends on the entry alone, so it is computed where the file is read (in a
    worker, or taken from the cache) and checked later against the whole library.

    Kept packed (marshal): at 5,000 entries there are some 60,000 references and
    22,000 compiled texts, which as Python objects took 80 MB of the build's memory
    and a third of the time to load the cache, for data that is read once a build
    (references) or once a page (a text)."""

    packed: bytes = b""  # marshal of (references, prose problems): see `unpacked`
    # Its prose compiled for rendering (markdown.fill), by (text, language), packed
    # (markdown.pack): parsed once per build, where the file is read, and not at all
    # for a file that did not change.
    compiled: dict[tuple[str, str], bytes] = field(default_factory=dict)

    @classmethod
    def of(cls, refs: list[RawRef], prose_problems: list[ProseProblem],
           compiled: dict[tuple[str, str], bytes]) -> EntryRefs:
        return cls(marshal.dumps((refs, prose_problems)), compiled)

    def unpacked(self) -> tuple[list[RawRef], list[ProseProblem]]:
        """(references, prose problems as (path, written, message, hint, severity))."""
        return marshal.loads(self.packed) if self.packed else ([], [])


def extract_references(model: BaseModel, parser: ProseParser) -> EntryRefs:
    found = _Found()
    _extract(model, (), parser, found)
    return EntryRefs.of(found.refs, found.prose_problems, found.compiled)


@dataclass
class _Found:
    """What `extract_references` collects while it walks an entry."""

    refs: list[RawRef] = field(default_factory=list)
    prose_problems: list[ProseProblem] = field(default_factory=list)
    compiled: dict[tuple[str, str], bytes] = field(default_factory=dict)


def _extract(model: BaseModel, path: Path_, parser: ProseParser, found: _Found) -> None:
    for name, info in type(model).model_fields.items():
        value = getattr(model, name)
        ref = next((m for m in info.metadata if isinstance(m, Ref)), None)
        if ref is not None:
            ids = value if isinstance(value, list) else [value] if value else []
            for index, target in enumerate(ids):
                found.refs.append((ref.kind, target, path + (name, index) if isinstance(value, list) else path + (name,), None))
        elif name == "link" and isinstance(value, str):
            kind, _, target = value.partition(":")
            found.refs.append((kind, target, path + (name,), None))
        else:
            _extract_value(value, path + (name,), parser, found)


def _extract_value(value: Any, path: Path_, parser: ProseParser, found: _Found) -> None:
    if isinstance(value, Prose):
        for lang in LANGUAGES:
            text = getattr(value, lang)
            parsed = parser.parse(text, lang)
            found.compiled[(text, lang)] = pack(parser.compile(text, lang, parsed))
            found.prose_problems += [(path + (lang,), *problem, "error") for problem in parsed.problems]
            found.prose_problems += [(path + (lang,), *warning, "warning") for warning in parsed.warnings]
            found.refs += [(ref.kind, ref.target, path + (lang,), ref.written) for ref in parsed.references]
    elif isinstance(value, BaseModel):
        _extract(value, path, parser, found)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _extract_value(item, path + (index,), parser, found)


@dataclass
class Links:
    backlinks: dict[Key, set[Key]] = field(default_factory=lambda: defaultdict(set))
    cited_notes: dict[str, set[Key]] = field(default_factory=lambda: defaultdict(set))
    # the entries (None: the site settings) that name another by a former id: the only
    # ones whose relations aliases.canonicalize rewrites
    former_ids: set[Owner] = field(default_factory=set)

    def links_to(self, key: Key) -> list[Key]:
        return sorted(self.backlinks.get(key, ()))


def resolve(library: Library, parser: ProseParser) -> tuple[Links, list[Problem]]:
    """Extract and check every reference in one process (see `check_references`)."""
    found: dict[Owner, EntryRefs] = {}
    if library.site is not None:
        found[None] = extract_references(library.site, parser)
    for kind, entry in library.items():
        found[(kind, entry.id)] = extract_references(entry, parser)
    return check_references(library, found)


def check_references(library: Library, found: dict[Owner, EntryRefs]) -> tuple[Links, list[Problem]]:
    """Check every entry's references against the library; fill backlinks and cited notes."""
    links = Links()
    checker = _Checker(library, links)
    for owner, refs in found.items():
        origin = library.site_origin if owner is None else library.origins.get(owner)
        if origin is None or (owner is None and library.site is None):
            continue
        checker.check(owner, origin, refs)
    for note_id, document in library.note_documents.items():
        if document:
            links.backlinks[("source", document)].add(("note", note_id))
    for note in library.all("note"):
        if note.id not in links.cited_notes:
            checker.problems.append(Problem(library.origins[("note", note.id)].at("id"),
                                            f"note '{note.id}' is never cited", "cite it as [^" + note.id + "] or remove it",
                                            severity="warning"))
    return links, checker.problems


class _Checker:
    def __init__(self, library: Library, links: Links):
        self.library, self.links = library, links
        self.problems: list[Problem] = []

    def check(self, owner: Owner, origin: Origin, found: EntryRefs) -> None:
        # Positions are looked up only for a problem: finding one re-reads the file.
        def locate(path: Path_, written: str | None) -> Position:
            if written is None:
                return origin.at(*path)
            return origin.file.find_in_value(origin.prefix + path, written)

        refs, prose_problems = found.unpacked()
        for path, text, message, hint, severity in prose_problems:
            self.problems.append(Problem(origin.file.find_in_value(origin.prefix + path, text), message, hint,
                                         severity=severity))
        for kind, target, path, written in refs:
            where = partial(locate, path, written)
            if written is None:
                self.reference(kind, target, owner, where)
            else:
                self.prose_reference(kind, target, owner, where)

    def known_ids(self, kind: str) -> list[str]:
        """Ids to suggest from: valid entries and those whose file has errors."""
        return [*self.library.entries[kind], *(id for k, id in self.library.broken if k == kind)]

    def reference(self, kind: str, target: str, owner: Owner, locate: Callable[[], Position]) -> bool:
        if kind not in self.library.entries:
            self.problems.append(Problem(locate(), f"unknown kind of entry '{kind}'",
                                         did_you_mean(kind, LINKABLE) or "use one of: " + ", ".join(LINKABLE)))
            return False
        if not self.library.has(kind, target) and (kind, target) in self.library.aliases:
            live = self.library.aliases[(kind, target)]  # a former id: it still works, but say so
            self.links.former_ids.add(owner)
            self.problems.append(Problem(locate(), f"'{target}' is a former id of {kind} '{live}'",
                                         f"write '{live}' instead", severity="warning"))
            target = live
        if not self.library.has(kind, target):
            if (kind, target) in self.library.broken:
                return False  # its own file's errors are reported already
            self.problems.append(Problem(locate(), f"unknown {kind} '{target}'",
                                         did_you_mean(target, self.known_ids(kind))))
            return False
        if owner is not None and owner != (kind, target):
            self.links.backlinks[(kind, target)].add(owner)
        return True

    def prose_reference(self, kind: str, target: str, owner: Owner, locate: Callable[[], Position]) -> None:
        if kind == "web":
            return
        if kind == "invalid":
            self.problems.append(Problem(locate(), f"link target '{target}' is neither an entry nor a web address",
                                         "write [text](kind:id), e.g. (actor:iai), or a full https:// address"))
        elif kind == "note":
            if not self.library.has("note", target):
                if ("note", target) in self.library.broken:
                    return
                self.problems.append(Problem(locate(), f"unknown note '{target}'",
                                             did_you_mean(target, self.known_ids("note"))))
            elif owner is not None and owner[0] == "note":
                self.problems.append(Problem(locate(), "a note cannot cite another note",
                                             "link to the source instead: [title](source:id)"))
            else:
                self.links.cited_notes[target].add(owner or ("site", ""))
                source = self.library.get("note", target).source
                if owner is not None and source:
                    self.links.backlinks[("source", source)].add(owner)
        elif kind not in LINKABLE:
            self.problems.append(Problem(locate(), f"unknown kind of entry '{kind}' in link '{kind}:{target}'",
                                         did_you_mean(kind, LINKABLE) or "use one of: " + ", ".join(LINKABLE)))
        else:
            self.reference(kind, target, owner, locate)
