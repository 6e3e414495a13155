"""`site-builder status`: a translation and coverage report for editors.

What `check` refuses (a missing or empty translation) is listed here too, taken
from the loader's own messages; the rest are things `check` accepts but an
editor wants to know:

- untranslated copies: a prose field whose French and English are the same text;
- paragraph counts that differ between French and English: paragraph anchors
  (`summary-1`, `body-2`…) are numbered by position, so a link to a paragraph in
  one language must land on the same paragraph in the other;
- translations edited after their counterpart. Compared by content, not file
  times (a checkout or a copy changes every time): a lock file,
  `content/.translations.json`, committed with the content, holds for each text
  field the hashes of its French and English when they were last marked in sync
  (`site-builder status --mark-synced`). A field whose one language changed
  since and the other did not is reported;
- notes defined but never cited, and entries nothing links to.

It is a report: it never fails (exit status 0), and ends with a summary line.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

from pydantic import BaseModel

from ..content.aliases import check_aliases
from ..core.confine import leaves
from ..core.errors import Position, Problem
from ..content.library import Library
from ..content.links import LINKABLE, resolve
from ..content.markdown import ProseParser
from ..content.models import Prose, Text
from ..core.kinds import LANGUAGE_NAMES, LANGUAGES

LOCK_FILE = ".translations.json"
LOCK_VERSION = 1
FieldPath = tuple  # ('orders', 0, 'comment')


@dataclass(frozen=True)
class Finding:
    position: Position
    message: str

    def __str__(self) -> str:
        return f"{self.position}: {self.message}"


@dataclass
class StatusReport:
    content: Path
    missing: list[Finding] = field(default_factory=list)
    broken_files: int = 0
    untranslated: list[Finding] = field(default_factory=list)
    paragraphs: list[Finding] = field(default_factory=list)
    edited: list[Finding] = field(default_factory=list)
    unrecorded: int = 0  # text fields not in the lock file yet
    uncited: list[Finding] = field(default_factory=list)
    unlinked: list[Finding] = field(default_factory=list)
    lock_found: bool = False


@dataclass(frozen=True)
class TextField:
    entry: str  # 'event:some-id', 'note:x-1' or 'site'
    path: FieldPath
    value: Text | Prose
    origin: Any  # loading.Origin

    @property
    def name(self) -> str:
        return ".".join(str(part) for part in self.path)

    @property
    def label(self) -> str:
        return "".join(f"[{p + 1}]" if isinstance(p, int) else (f".{p}" if i else p)
                       for i, p in enumerate(self.path))

    def at(self, lang: str | None = None) -> Position:
        return self.origin.at(*self.path, *((lang,) if lang else ()))


def lock_path(content: Path) -> Path:
    return content / LOCK_FILE


def text_hash(text: str) -> str:
    """Hash of a text's words: re-wrapping lines or re-indenting is not an edit."""
    return hashlib.sha256(" ".join(text.split()).encode("utf-8")).hexdigest()[:16]


# -- reading the content -------------------------------------------------------------

def _load(content: Path) -> tuple[Library, list[Problem]]:
    """The content as `check` and `build` read it (every file validated on its own),
    before references are resolved: the report is made even when some are broken."""
    from ..building.config import available_cores
    from ..building.steps import read
    result = read(content, available_cores(), lambda _: None)
    library = Library.from_loaded(result.content)
    return library, result.problems + check_aliases(library)


def text_fields(library: Library) -> Iterator[TextField]:
    """Every text written in both languages (titles, labels, prose), entry by entry."""
    if library.site is not None and library.site_origin is not None:
        yield from _walk(library.site, "site", library.site_origin, ())
    for kind, entry in library.items():
        yield from _walk(entry, f"{kind}:{entry.id}", library.origins[(kind, entry.id)], ())


def _walk(value: Any, entry: str, origin: Any, path: FieldPath) -> Iterator[TextField]:
    if isinstance(value, (Text, Prose)):
        yield TextField(entry, path, value, origin)
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from _walk(getattr(value, name), entry, origin, path + (name,))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _walk(item, entry, origin, path + (index,))


def paragraph_count(parser: ProseParser, text: str, lang: str) -> int:
    """Top-level paragraphs and headings: what gets an anchor 'field-N'."""
    return sum(1 for token in parser.parse(text, lang).tokens
               if token.level == 0 and token.type in ("paragraph_open", "heading_open"))


# -- the lock file -------------------------------------------------------------------

def read_lock(path: Path) -> dict[str, dict[str, dict[str, str]]] | None:
    """entry -> field -> {fr: hash, en: hash}; None when there is no usable lock file
    (nor one that is a link out of the content folder: confine.py)."""
    if leaves(path, path.parent):
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    fields = data.get("fields") if isinstance(data, dict) else None
    return fields if isinstance(fields, dict) else None


def _recorded(lock: dict, library: Library, text: TextField) -> dict[str, str] | None:
    """The recorded hashes of a field, also under a former id of a renamed entry."""
    names = [text.entry]
    kind, _, id = text.entry.partition(":")
    if id:
        names += [f"{kind}:{old}" for (k, old), new in sorted(library.aliases.items()) if k == kind and new == id]
    for name in names:
        hashes = lock.get(name, {}).get(text.name)
        if isinstance(hashes, dict):
            return hashes
    return None


def mark_synced(content: Path, only: list[str] | None = None) -> tuple[int, list[str]]:
    """Record the current French and English of every text field as in sync (or of
    the entries in `only`, 'kind:id' or 'site'). Returns (fields recorded, unknown entries)."""
    library, _problems = _load(content)
    fields = list(text_fields(library))
    known = {text.entry for text in fields}
    unknown = [name for name in only or [] if name not in known]
    if unknown:
        return 0, unknown
    path = lock_path(content)
    # Marking some entries keeps what the others recorded (even under a former id);
    # marking everything starts afresh, which also drops entries that are gone.
    lock = {name: dict(hashes) for name, hashes in (read_lock(path) or {}).items()} if only else {}
    for name in only or []:
        lock[name] = {}
    recorded = 0
    for text in fields:
        if only and text.entry not in only:
            continue
        lock.setdefault(text.entry, {})[text.name] = {lang: text_hash(getattr(text.value, lang)) for lang in LANGUAGES}
        recorded += 1
    if not only:
        previous = read_lock(path) or {}
        for kind, id in library.broken:  # a file with errors keeps its last record
            if f"{kind}:{id}" in previous:
                lock[f"{kind}:{id}"] = previous[f"{kind}:{id}"]
    path.write_text(_lock_text(lock), encoding="utf-8")
    return recorded, []


def _lock_text(lock: dict[str, dict[str, dict[str, str]]]) -> str:
    """Stable JSON, one line per field, so that the file diffs well under version control."""
    entries = []
    for name, fields in sorted(lock.items()):
        rows = [f"   {json.dumps(field_name)}: {json.dumps({lang: hashes.get(lang) for lang in LANGUAGES})}"
                for field_name, hashes in sorted(fields.items())]
        entries.append(f"  {json.dumps(name, ensure_ascii=False)}: {{\n" + ",\n".join(rows) + "\n  }")
    about = ("Hashes of each text's French and English when last marked in sync "
             "(site-builder status --mark-synced). Commit this file with the content.")
    return (f'{{\n "version": {LOCK_VERSION},\n "about": {json.dumps(about)},\n "fields": {{\n'
            + ",\n".join(entries) + "\n }\n}\n")


# -- the report --------------------------------------------------------------------

def translation_status(content: Path) -> StatusReport:
    report = StatusReport(content)
    if not content.is_dir():
        report.missing.append(Finding(Position(str(content)), "content folder not found"))
        return report
    library, problems = _load(content)
    for problem in problems:
        if problem.severity != "error":
            continue
        if "text ('fr')" in problem.message or "text ('en')" in problem.message:
            report.missing.append(Finding(problem.position, problem.message))
    report.broken_files = len({p.position.file for p in problems if p.severity == "error"} -
                              {f.position.file for f in report.missing})
    parser = ProseParser(LINKABLE)
    lock = read_lock(lock_path(content))
    report.lock_found = lock is not None
    for text in text_fields(library):
        fr, en = text.value.fr, text.value.en
        if isinstance(text.value, Prose):
            if " ".join(fr.split()) == " ".join(en.split()):
                report.untranslated.append(Finding(text.at("en"), f"{text.label}: the English is the same as the French"))
            counts = {lang: paragraph_count(parser, getattr(text.value, lang), lang) for lang in LANGUAGES}
            if counts["fr"] != counts["en"]:
                report.paragraphs.append(Finding(
                    text.at(), f"{text.label}: {counts['fr']} paragraph(s) in French, {counts['en']} in English"))
        if lock is None:
            continue
        recorded = _recorded(lock, library, text)
        if recorded is None:
            report.unrecorded += 1
            continue
        changed = [lang for lang in LANGUAGES if recorded.get(lang) != text_hash(getattr(text.value, lang))]
        if len(changed) == 1:
            edited, other = changed[0], "en" if changed[0] == "fr" else "fr"
            report.edited.append(Finding(text.at(edited), f"{text.label}: the {LANGUAGE_NAMES[edited]} was edited "
                                         f"after the last sync; check the {LANGUAGE_NAMES[other]}"))
    _coverage(library, parser, report)
    for findings in (report.missing, report.untranslated, report.paragraphs, report.edited, report.uncited, report.unlinked):
        findings.sort(key=lambda f: (f.position, f.message))
    return report


def _coverage(library: Library, parser: ProseParser, report: StatusReport) -> None:
    if library.site is None:
        return  # references cannot be followed reliably: check reports why
    links, _problems = resolve(library, parser)
    for note in library.all("note"):
        if note.id not in links.cited_notes:
            report.uncited.append(Finding(library.origins[("note", note.id)].at("id"), f"note '{note.id}' is never cited"))
    linked_from_site = {(ref.kind, library.canonical(ref.kind, ref.target))
                        for text in text_fields(library) if text.entry == "site" and isinstance(text.value, Prose)
                        for lang in LANGUAGES for ref in parser.parse(getattr(text.value, lang), lang).references}
    linked_from_site |= {(kind, id) for figure in library.site.figures if figure.link
                         for kind, _, id in [figure.link.partition(":")]}
    for kind in LINKABLE:
        for entry in library.all(kind):
            if not links.links_to((kind, entry.id)) and (kind, entry.id) not in linked_from_site:
                report.unlinked.append(Finding(library.origins[(kind, entry.id)].at("id"),
                                               f"no other page links to {kind} '{entry.id}'"))


def format_report(report: StatusReport) -> str:
    sections = [
        ("Missing or empty translations (`site-builder check` refuses them)", report.missing),
        ("Untranslated copies: the same text in both languages", report.untranslated),
        ("Paragraph counts differ between French and English (paragraph links would not match)", report.paragraphs),
        ("Translations edited after their counterpart (update the other language, then "
         "`site-builder status --mark-synced KIND:ID`)", report.edited),
        ("Notes defined but never cited", report.uncited),
        ("Entries nothing links to", report.unlinked),
    ]
    lines = [f"Translation and coverage report for {report.content}/"]
    for title, findings in sections:
        if findings:
            lines += ["", f"{title}: {len(findings)}"] + [f"  {finding}" for finding in findings]
    if report.broken_files:
        lines += ["", f"{report.broken_files} file(s) have other errors and are left out: run `site-builder check`."]
    if not report.lock_found:
        lines += ["", f"No {LOCK_FILE} yet: edits cannot be compared between languages. When both languages are "
                      "in sync, run `site-builder status --mark-synced` and commit the file."]
    elif report.unrecorded:
        lines += ["", f"{report.unrecorded} text field(s) not yet marked in sync (new entries or fields): "
                      "run `site-builder status --mark-synced KIND:ID` once both languages are written."]
    lines += ["", summary_line(report)]
    return "\n".join(lines)


def summary_line(report: StatusReport) -> str:
    return (f"Status: {len(report.missing)} missing translation(s), {len(report.untranslated)} untranslated copy(ies), "
            f"{len(report.paragraphs)} paragraph-count mismatch(es), {len(report.edited)} translation(s) edited after "
            f"their counterpart, {len(report.uncited)} uncited note(s), {len(report.unlinked)} entry(ies) nothing links to.")
