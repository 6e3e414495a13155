"""Cross-references: check that every reference resolves, and build backlinks.

Relation fields are found through their `Ref` marker and prose fields through
their type, by walking the models generically; the same walk that checks the
links fills "what links here", so the two can never disagree.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel

from .errors import Position, Problem, did_you_mean
from .library import Library
from .loading import Origin
from .markdown import ParsedProse, ProseParser
from .models import LANGUAGES, Prose, Ref

Key = tuple[str, str]  # (kind, id)
LINKABLE = ("theme", "event", "equipment", "actor", "source", "dataset")


@dataclass
class Links:
    parsed: dict[tuple[str, str], ParsedProse] = field(default_factory=dict)  # (text, lang) -> parsed
    backlinks: dict[Key, set[Key]] = field(default_factory=lambda: defaultdict(set))
    cited_notes: dict[str, set[Key]] = field(default_factory=lambda: defaultdict(set))

    def prose(self, text: str, lang: str) -> ParsedProse:
        return self.parsed[(text, lang)]

    def links_to(self, key: Key) -> list[Key]:
        return sorted(self.backlinks.get(key, ()))


def resolve(library: Library, parser: ProseParser) -> tuple[Links, list[Problem]]:
    links = Links()
    walker = _Walker(library, parser, links)
    if library.site is not None and library.site_origin is not None:
        walker.walk(library.site, None, library.site_origin, ())
    for kind, entry in library.items():
        walker.walk(entry, (kind, entry.id), library.origins[(kind, entry.id)], ())
    for note_id, document in library.note_documents.items():
        if document:
            links.backlinks[("source", document)].add(("note", note_id))
    for note in library.all("note"):
        if note.id not in links.cited_notes:
            walker.problems.append(Problem(library.origins[("note", note.id)].at("id"),
                                           f"note '{note.id}' is never cited", "cite it as [^" + note.id + "] or remove it",
                                           severity="warning"))
    return links, walker.problems


class _Walker:
    def __init__(self, library: Library, parser: ProseParser, links: Links):
        self.library, self.parser, self.links = library, parser, links
        self.problems: list[Problem] = []

    def walk(self, model: BaseModel, owner: Key | None, origin: Origin, path: tuple) -> None:
        for name, info in type(model).model_fields.items():
            value = getattr(model, name)
            ref = next((m for m in info.metadata if isinstance(m, Ref)), None)
            if ref is not None:
                ids = value if isinstance(value, list) else [value] if value else []
                for index, target in enumerate(ids):
                    at = path + (name, index) if isinstance(value, list) else path + (name,)
                    self.reference(ref.kind, target, owner, origin.at(*at))
            elif name == "link" and isinstance(value, str):
                kind, _, target = value.partition(":")
                self.reference(kind, target, owner, origin.at(*path, name))
            else:
                self.value(value, owner, origin, path + (name,))

    def value(self, value: Any, owner: Key | None, origin: Origin, path: tuple) -> None:
        if isinstance(value, Prose):
            for lang in LANGUAGES:
                self.prose(getattr(value, lang), lang, owner, origin, path + (lang,))
        elif isinstance(value, BaseModel):
            self.walk(value, owner, origin, path)
        elif isinstance(value, list):
            for index, item in enumerate(value):
                self.value(item, owner, origin, path + (index,))

    def known_ids(self, kind: str) -> list[str]:
        """Ids to suggest from: valid entries and those whose file has errors."""
        return [*self.library.entries[kind], *(id for k, id in self.library.broken if k == kind)]

    def reference(self, kind: str, target: str, owner: Key | None, position: Position) -> bool:
        if kind not in self.library.entries:
            self.problems.append(Problem(position, f"unknown kind of entry '{kind}'",
                                         did_you_mean(kind, LINKABLE) or "use one of: " + ", ".join(LINKABLE)))
            return False
        if not self.library.has(kind, target) and (kind, target) in self.library.aliases:
            live = self.library.aliases[(kind, target)]  # a former id: it still works, but say so
            self.problems.append(Problem(position, f"'{target}' is a former id of {kind} '{live}'",
                                         f"write '{live}' instead", severity="warning"))
            target = live
        if not self.library.has(kind, target):
            if (kind, target) in self.library.broken:
                return False  # its own file's errors are reported already
            self.problems.append(Problem(position, f"unknown {kind} '{target}'",
                                         did_you_mean(target, self.known_ids(kind))))
            return False
        if owner is not None and owner != (kind, target):
            self.links.backlinks[(kind, target)].add(owner)
        return True

    def prose(self, text: str, lang: str, owner: Key | None, origin: Origin, path: tuple) -> None:
        key = (text, lang)
        parsed = self.links.parsed.get(key)
        if parsed is None:
            parsed = self.links.parsed[key] = self.parser.parse(text, lang)
        full = origin.prefix + path
        for written, message, hint in parsed.problems:
            self.problems.append(Problem(origin.file.find_in_value(full, written), message, hint))
        for ref in parsed.references:
            position = origin.file.find_in_value(full, ref.written)
            if ref.kind == "web":
                continue
            if ref.kind == "invalid":
                self.problems.append(Problem(position, f"link target '{ref.target}' is neither an entry nor a web address",
                                             "write [text](kind:id), e.g. (actor:iai), or a full https:// address"))
            elif ref.kind == "note":
                if not self.library.has("note", ref.target):
                    if ("note", ref.target) in self.library.broken:
                        continue
                    self.problems.append(Problem(position, f"unknown note '{ref.target}'",
                                                 did_you_mean(ref.target, self.known_ids("note"))))
                elif owner is not None and owner[0] == "note":
                    self.problems.append(Problem(position, "a note cannot cite another note",
                                                 "link to the source instead: [title](source:id)"))
                else:
                    self.links.cited_notes[ref.target].add(owner or ("site", ""))
                    source = self.library.get("note", ref.target).source
                    if owner is not None and source:
                        self.links.backlinks[("source", source)].add(owner)
            elif ref.kind not in LINKABLE:
                self.problems.append(Problem(position, f"unknown kind of entry '{ref.kind}' in link '{ref.kind}:{ref.target}'",
                                             did_you_mean(ref.kind, LINKABLE) or "use one of: " + ", ".join(LINKABLE)))
            else:
                self.reference(ref.kind, ref.target, owner, position)
