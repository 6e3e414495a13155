"""Content folder to validated models: every file read, every mistake collected.

Nothing here stops at the first problem: each file is parsed and validated on
its own, and all problems come back together with their file, line and column.
"""
from __future__ import annotations


import hashlib
import os
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from ..core.confine import LINK_HINT, leaves
from ..core.errors import Position, Problem, did_you_mean, display_path
from ..core.kinds import KIND, KINDS, LANGUAGE_NAMES, LANGUAGES
from .models import KIND_MODELS, Entry, NoteFile, SiteSettings
from .yaml_source import Path_, SourceFile, load_file

SITE_FILE = "site.yaml"


class Origin:
    """Where an entry was written: its file and the path of the entry inside it.

    Positions are only needed to report a problem, which is rare, so an origin
    holds just the file's name: the file is parsed again for its positions on
    first use. Keeping every file's node positions for the whole build would cost
    more memory than the content itself, and could not be cached between builds.
    """

    __slots__ = ("path", "display", "prefix", "_source")

    def __init__(self, path: Path, display: str, prefix: Path_ = (), source: SourceFile | None = None):
        self.path, self.display, self.prefix, self._source = path, display, prefix, source

    @property
    def file(self) -> SourceFile:
        if self._source is None:
            self._source = load_file(self.path, self.display)[0]
        return self._source

    def at(self, *path: Any) -> Position:
        return self.file.at(self.prefix + tuple(path))

    def __reduce__(self) -> tuple[type[Origin], tuple[Path, str, Path_]]:  # across processes and into the cache: the name only
        return (Origin, (self.path, self.display, self.prefix))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Origin) and (self.path, self.prefix) == (other.path, other.prefix)

    def __hash__(self) -> int:
        return hash((self.path, self.prefix))


@dataclass
class LoadedContent:
    site: SiteSettings | None = None
    site_origin: Origin | None = None
    entries: dict[str, dict[str, Entry]] = field(default_factory=dict)
    origins: dict[tuple[str, str], Origin] = field(default_factory=dict)
    note_documents: dict[str, str | None] = field(default_factory=dict)
    # Entries whose file failed to load: references to them are not reported as
    # unknown, since the editor is already told what is wrong with the file.
    broken: set[tuple[str, str]] = field(default_factory=set)


class FileEntry(NamedTuple):
    """An entry read from a file (a note file holds several), or the site's settings."""

    kind: str  # a kind of core/kinds.py, or "site"
    model: Entry | SiteSettings
    prefix: Path_ = ()  # where it is in its file: () for a whole file, ("notes", 3) for a note


@dataclass
class FileResult:
    """One content file read and validated on its own: what `assemble` needs, and
    nothing that ties it to this process (it crosses to workers and into the cache)."""

    kind: str
    path: Path
    display: str
    digest: str  # of the file's bytes: what the build cache compares
    entries: list[FileEntry] = field(default_factory=list)
    note_document: str | None = None
    problems: list[Problem] = field(default_factory=list)
    broken: set[tuple[str, str]] = field(default_factory=set)


def content_files(root: Path) -> tuple[list[tuple[str, Path]], list[Problem]]:
    """(kind, path) of every content file under `root` (site.yaml first, kind "site")."""
    problems: list[Problem] = []
    if not root.is_dir():
        return [], [Problem(Position(display_path(root, root)), "content folder not found",
                            "pass --content with the folder that holds site.yaml")]
    files: list[tuple[str, Path]] = []
    site_path = root / SITE_FILE
    if leaves(site_path, root):
        problems.append(_link_leaving(site_path, root))
    elif not site_path.is_file():
        problems.append(Problem(Position(display_path(site_path, root)), "site settings file is missing",
                                "create site.yaml with the site's title, tagline, intro, about, base_url, licence and author"))
    else:
        files.append(("site", site_path))
    for kind in KINDS:
        folder = root / kind.folder
        if leaves(folder, root):
            problems.append(Problem(Position(display_path(folder, root)), "symbolic link to a folder outside "
                                    "the content folder; nothing in it is read", LINK_HINT))
            continue
        files.extend((kind.id, path) for path in _content_files(folder, root, problems))
    return files, problems


def file_digest(raw: bytes) -> str:
    """SHA-256, as the build's fingerprint (cache.py): the build reuses the hashes it took."""
    return hashlib.sha256(raw).hexdigest()


def read_content_file(kind: str, path: Path, root: Path) -> FileResult:
    """Parse and validate one file of the content folder `root`; never raises for bad content."""
    display = display_path(path, root)
    try:
        raw = path.read_bytes()
    except OSError:
        raw = None  # load_file reports it
    result = FileResult(kind, path, display, file_digest(raw) if raw is not None else "")
    source, found = load_file(path, display, raw)
    result.problems += found
    model_class = SiteSettings if kind == "site" else KIND_MODELS[KIND[kind].id]
    model, invalid = (None, []) if found else validate(model_class, source.data, source, ())
    result.problems += invalid
    if model is None:
        if kind != "site":
            result.broken |= _ids_in_broken_file(kind, path, source.data)
    elif isinstance(model, NoteFile):
        result.note_document = model.document
        result.entries = [FileEntry("note", note, ("notes", index)) for index, note in enumerate(model.notes)]
    elif kind != "site" and model.id != path.stem:
        result.problems.append(Problem(source.at(("id",)), f"id '{model.id}' does not match the file name '{path.name}'",
                                       f"rename the file to '{model.id}.yaml' or change the id; to rename a "
                                       "published entry, change both and list the old id under 'aliases:'"))
        result.broken |= {(kind, model.id), (kind, path.stem)}  # links to either are not 'unknown'
    else:
        result.entries = [FileEntry(kind, model)]
    return result


def assemble(results: list[FileResult]) -> tuple[LoadedContent, list[Problem]]:
    """The files' entries put together: ids must be unique across files."""
    content = LoadedContent(entries={kind.id: {} for kind in KINDS})
    problems: list[Problem] = []
    for result in results:
        problems += result.problems
        content.broken |= result.broken
        for kind, model, prefix in result.entries:
            origin = Origin(result.path, result.display, prefix)
            if isinstance(model, SiteSettings):
                content.site, content.site_origin = model, origin
                continue
            if kind == "note":
                content.note_documents.setdefault(model.id, result.note_document)
            _register(content, kind, model, origin, problems)
    return content, problems


def load_content(root: Path) -> tuple[LoadedContent, list[Problem]]:
    """Read every content file under `root`; return what validated and all problems."""
    files, problems = content_files(root)
    content, found = assemble([read_content_file(kind, path, root) for kind, path in files])
    return content, problems + found


def _ids_in_broken_file(kind: str, path: Path, data: Any) -> set[tuple[str, str]]:
    if kind != "note":
        return {(kind, path.stem)}
    notes = data.get("notes") if isinstance(data, dict) else None
    if not isinstance(notes, list):
        return set()
    return {("note", note["id"]) for note in notes if isinstance(note, dict) and isinstance(note.get("id"), str)}


def _content_files(folder: Path, root: Path, problems: list[Problem]) -> list[Path]:
    if not folder.is_dir():
        return []
    files = []
    for path, entry in _walk(folder):
        if entry.is_symlink() and path.suffix == ".yaml" and leaves(path, root):
            problems.append(_link_leaving(path, root))
            continue
        if entry.is_dir() or path.name.startswith("."):
            continue
        if path.suffix == ".yaml" and not entry.is_file() and os.path.exists(entry.path):  # reading a named pipe would block
            problems.append(Problem(Position(display_path(path, root)), "not a regular file",
                                    "content files are plain text files"))
        elif path.suffix == ".yaml":
            files.append(path)
        elif path.suffix == ".yml":
            problems.append(Problem(Position(display_path(path, root)), "content files must end in '.yaml'",
                                    f"rename it to '{path.stem}.yaml'"))
        else:
            problems.append(Problem(Position(display_path(path, root)), "not a content file; it is ignored",
                                    "move it out of the content folder", severity="warning"))
    return files


def _link_leaving(path: Path, root: Path) -> Problem:
    return Problem(Position(display_path(path, root)), "symbolic link to a file outside the content folder; "
                   "it is not read", LINK_HINT)


def _walk(folder: Path) -> list[tuple[Path, os.DirEntry[str]]]:
    """Every entry under `folder`, as `sorted(folder.rglob("*"))` lists them (symbolic links
    to folders listed, not entered), with its directory entry: its type comes from the
    listing, without the two or three `stat` calls per file of pathlib (0.1 s at 5,000 entries)."""
    found: list[tuple[tuple[str, ...], str, os.DirEntry[str]]] = []
    pending: list[tuple[tuple[str, ...], str]] = [((), os.fspath(folder))]
    while pending:
        parts, path = pending.pop()
        with os.scandir(path) as entries:
            for entry in entries:
                found.append(((*parts, entry.name), entry.path, entry))
                if entry.is_dir(follow_symlinks=False):
                    pending.append(((*parts, entry.name), entry.path))
    found.sort(key=lambda item: item[0])  # by path components, as paths compare
    return [(Path(path), entry) for _parts, path, entry in found]


def _register(content: LoadedContent, kind: str, model: Entry, origin: Origin, problems: list[Problem]) -> None:
    existing = content.origins.get((kind, model.id))
    if existing:
        problems.append(Problem(origin.at("id"), f"duplicate {kind} id '{model.id}' (first defined at {existing.at('id')})",
                                "give each entry its own id"))
        return
    content.entries[kind][model.id] = model
    content.origins[(kind, model.id)] = origin


# --- pydantic errors to editor messages -------------------------------------

def validate(model_class: type[BaseModel], data: Any, source: SourceFile, prefix: Path_) -> tuple[Any, list[Problem]]:
    try:
        return model_class.model_validate(data), []
    except ValidationError as exc:
        errors = exc.errors()
    problems = [_problem(model_class, data, source, prefix, error) for error in errors]
    # 'titel' given and 'title' missing is one mistake: keep only the "did you mean" one.
    suggested = {p.hint for p in problems if p.message.startswith("unknown field")}
    return None, [p for p in problems
                  if not (p.message.startswith("missing required field")
                          and f"did you mean '{p.message.split(chr(39))[1]}'?" in suggested)]


def _data_path(data: Any, loc: tuple[int | str, ...]) -> Path_:
    """Drop the parts of pydantic's error location that are not in the data
    (union tags and validator names), keeping keys and list indexes."""
    path: list[str | int] = []
    node = data
    for part in loc:
        if isinstance(node, dict) and part in node:
            path.append(part)
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            path.append(part)
            node = node[part]
        elif isinstance(node, dict) and isinstance(part, str) and _is_field_name(part):
            path.append(part)  # a missing or unknown field: name it, position falls back to the parent
            node = None
    return tuple(path)


def _is_field_name(part: str) -> bool:
    return part.replace("_", "").isalnum() and part.islower() and "[" not in part and part not in ("same", "per-language")


def _fields_at(model_class: type[BaseModel], path: Path_) -> list[str]:
    """Field names of the model found at `path`, for 'did you mean' hints."""
    current: Any = model_class
    for part in path:
        if isinstance(part, int):
            continue
        info = current.model_fields.get(part) if isinstance(current, type) and issubclass(current, BaseModel) else None
        if info is None:
            return []
        current = _inner_model(info.annotation)
        if current is None:
            return []
    return list(current.model_fields) if isinstance(current, type) and issubclass(current, BaseModel) else []


def _inner_model(annotation: Any) -> Any:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _inner_model(arg)
        if found is not None:
            return found
    return None


def _field_label(path: Path_) -> str:
    names = [str(p) if not isinstance(p, int) else f"[{p + 1}]" for p in path]
    return ".".join(names).replace(".[", "[") if names else "entry"


def _problem(model_class: type[BaseModel], data: Any, source: SourceFile, prefix: Path_, error: ErrorDetails) -> Problem:
    kind, value, ctx = error["type"], error.get("input"), error.get("ctx") or {}
    path = _data_path(data, tuple(error["loc"]))
    full = prefix + path
    name = str(path[-1]) if path else ""
    parent = _field_label(path[:-1])
    position = source.at(full)
    hint = ""

    if kind == "missing":
        if name in LANGUAGES:
            message = f"missing {LANGUAGE_NAMES[name]} text ('{name}') in '{parent}'"
            hint = "every text is written in both fr and en"
        else:
            message = f"missing required field '{name}'" + (f" in '{parent}'" if path[:-1] else "")
        # point at the field that lacks it ('summary:'), or the start of the entry
        position = source.key_at(prefix + path[:-1]) if path[:-1] else source.at(prefix)
    elif kind == "extra_forbidden":
        message = f"unknown field '{name}'"
        hint = did_you_mean(name, _fields_at(model_class, path[:-1])) or \
            "allowed: " + ", ".join(_fields_at(model_class, path[:-1]))
        position = source.key_at(full)
    elif (kind == "value_error" and str(ctx.get("error")) == "is empty") or (
            kind == "string_type" and value is None and name in LANGUAGES):
        if name in LANGUAGES:
            message = f"{LANGUAGE_NAMES[name]} text ('{name}') of '{parent}' is empty"
            hint = "write the text; a missing translation is never filled in from the other language"
        else:
            message = f"'{_field_label(path)}' is empty"
    elif kind == "value_error":
        message = str(ctx.get("error", error["msg"]))
    elif kind == "string_pattern_mismatch":
        message, hint = _pattern_message(name, _short(value), ctx.get("pattern", ""))
    elif kind == "literal_error":
        allowed = [a.strip().strip("'") for a in ctx.get("expected", "").replace(" or ", ", ").split(",")]
        message = f"'{_short(value)}' is not a valid {name or 'value'}"
        hint = did_you_mean(str(value), allowed) or "use one of: " + ", ".join(allowed)
    elif kind in ("too_long", "string_too_long") and isinstance(value, str):
        message = f"'{_field_label(path)}' is longer than {ctx.get('max_length', 0):,} characters (it has {len(value):,})"
        hint = "shorten it or split the entry"
    elif kind == "too_short":
        message = f"'{_field_label(path)}' needs at least {ctx.get('min_length', 1)} item(s)"
        if name == "sources":
            hint = "cite the source(s) this entry comes from"
    else:
        message, hint = _type_message(kind, value, _field_label(path), error["msg"])
    return Problem(position, message, hint)


def _short(value: Any) -> str:
    """A value as quoted in a message: whole if short, else its start."""
    text = str(value)
    return text if len(text) <= 60 else text[:59] + "…"


def _pattern_message(name: str, value: Any, pattern: str) -> tuple[str, str]:
    if "a-z0-9" in pattern:
        return (f"'{value}' is not a valid id",
                "use lowercase ASCII letters, digits and single hyphens, e.g. 'barak-mx'")
    if "https?" in pattern:
        return f"'{value}' is not a web address", "write a full address starting with https:// or http://"
    if "percent" in pattern:
        return f"'{value}' is not a valid unit", "use a currency code such as USD, or 'percent', or 'count'"
    if "[a-z]{2,3}" in pattern:
        return f"'{value}' is not a language code", "use an ISO 639 code such as fr, en or ru"
    return f"'{value}' is not a valid {name}", ""


_EXPECTED = {
    "string_type": "text",
    "int_type": "a whole number",
    "int_from_float": "a whole number",
    "float_type": "a number",
    "float_parsing": "a number",
    "int_parsing": "a whole number",
    "bool_type": "true or false",
    "list_type": "a list ('- item' lines)",
    "dict_type": "fields (a mapping of 'name: value' lines)",
    "model_type": "fields (a mapping of 'name: value' lines)",
    "model_attributes_type": "fields (a mapping of 'name: value' lines)",
}


def _describe(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"'{str(value).lower()}'"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, str):
        return f"the text '{value[:40]}'"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping of fields"
    return type(value).__name__


def _type_message(kind: str, value: Any, label: str, fallback: str) -> tuple[str, str]:
    if kind in ("greater_than", "greater_than_equal", "less_than", "less_than_equal"):
        return f"'{label}' is out of range: {fallback.lower()}", ""
    if kind == "string_too_long":
        return f"'{label}' is too long: {fallback.lower()}", "shorten it or split the entry"
    if kind in _EXPECTED:
        expected = _EXPECTED[kind]
        if label.split(".")[-1] == "name" and kind in ("string_type", "model_type", "model_attributes_type", "dict_type"):
            expected = "text, or fr and en texts"  # a name may be one text for both languages
        hint = "put it in quotes" if kind == "string_type" and isinstance(value, (int, float, bool)) else ""
        if kind in ("model_type", "model_attributes_type", "dict_type") and isinstance(value, str):
            hint = "write it as 'fr: ...' and 'en: ...' on indented lines"
        return f"'{label}' should be {expected}, not {_describe(value)}", hint
    return f"'{label}': {fallback}", ""


