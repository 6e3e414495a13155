#!/usr/bin/env python3
"""Realistic benchmark content: the project's real `content/` grown to N entries by cloning.

    python benchmarks/realistic.py --entries 2000 --out /tmp/content-2000 [--content content] [--force]

A synthetic site (generate.py) has even, sparse links; a real one has hubs. This writes the
real content folder unchanged and adds clones of its entries until N entries have a page,
the way the site would grow: each clone is a new entry (fresh id, `<id>-c0001`,
`<id>-c0002`…) with the real prose, figures, orders and relations of the entry it copies,
and it keeps linking to the ORIGINAL entries (`[Azerbaijan](actor:azerbaijan)`,
`actors: [azerbaijan, israel]`), as new pages link to the established ones. So the hubs
(`azerbaijan`, `israel`, the themes, the main sources) collect thousands of backlinks,
and a clone is a leaf: nothing links to it but the lists it belongs to.

What N counts: entries with their own page (events, actors, equipment, sources, themes,
datasets), like generate.py; footnotes come in addition. The 12 themes are the site's
sections and are not cloned (a growing site adds entries to its themes, not themes);
every other entry is cloned in turn, in a fixed order that mixes the kinds, so any N
keeps the real proportions of events, actors, equipment, sources and datasets.

Footnotes are cloned alongside their document: when the source a notes file belongs to
(`document: delanoe-2021`) is cloned as `delanoe-2021-c0002`, the clones of that same
round (`-c0002`) cite copies of its footnotes (`[^delanoe-2021-13-c0002]`, in
`notes/delanoe-2021-c0002.yaml`, document `delanoe-2021-c0002`) instead of the originals;
a copied note is written only if a clone cites it (an uncited note is a warning, and
`check --strict` refuses warnings). In a round where the document is not cloned (yet),
the clones cite the original footnotes. Every citation resolves either way.

What clones drop, because it must stay unique or would say something twice: `aliases`
(former ids belong to the original: two entries cannot claim one), and a state's
`map_code` (one country, one place on the locator map). Everything else is kept byte for
byte, comments included, so the YAML the tool reads is the real editors' YAML.

Deterministic: the same content folder and N always give the same bytes. Standard
library only; the files are edited as text (the fields touched are top-level lines).
"""
from __future__ import annotations

import argparse
import hashlib
import re
import shutil
import sys
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DEFAULT_CONTENT = ROOT / "content"

# Folders of the kinds that have a page, as in docs/content-conventions.md.
PAGE_FOLDERS = {"timeline": "event", "actors": "actor", "equipment": "equipment", "sources": "source",
                "themes": "theme", "data": "dataset"}
NOT_CLONED = {"themes"}  # the site's sections: see the module docstring
NOTES_FOLDER = "notes"

_ID_LINE = re.compile(r"^id: ([a-z0-9]+(?:-[a-z0-9]+)*)[ \t]*$", re.MULTILINE)
_CITATION = re.compile(r"\[\^([a-z0-9]+(?:-[a-z0-9]+)*)\]")
_TOP_LEVEL_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*:")
_DOCUMENT = re.compile(r"^document:[ \t]*([a-z0-9]+(?:-[a-z0-9]+)*|null|~)?[ \t]*$", re.MULTILINE)


class CloneError(Exception):
    """The content cannot be cloned as it is (a format this generator does not know)."""


def clone_id(original: str, round_number: int) -> str:
    return f"{original}-c{round_number:04d}"


@dataclass(frozen=True)
class Original:
    folder: str  # e.g. "timeline"
    id: str
    text: str

    @property
    def path(self) -> str:
        return f"{self.folder}/{self.id}.yaml"


@dataclass(frozen=True)
class NoteBlock:
    id: str
    lines: list[str]  # the item's lines, first one starting with "- "


@dataclass(frozen=True)
class NotesFile:
    name: str  # file stem
    document: str | None
    head: list[str]  # lines before the first item (comments, document:, notes:)
    notes: list[NoteBlock]


# --- reading the real content -------------------------------------------------


def read_originals(content: Path) -> tuple[list[Original], list[NotesFile], dict[str, bytes]]:
    """(page entries, notes files, every file of the folder as bytes by relative path)."""
    if not (content / "site.yaml").is_file():
        raise CloneError(f"{content}: no site.yaml (pass --content with a site-builder content folder)")
    files: dict[str, bytes] = {}
    for path in sorted(content.rglob("*")):
        relative = path.relative_to(content)
        if path.is_file() and not any(part in (".cache",) for part in relative.parts):
            files[relative.as_posix()] = path.read_bytes()
    originals: list[Original] = []
    for folder in sorted(PAGE_FOLDERS):
        for path in sorted((content / folder).glob("*.yaml")):
            text = path.read_text(encoding="utf-8")
            ids = _ID_LINE.findall(text)
            if ids != [path.stem]:
                raise CloneError(f"{path}: expected one top-level 'id: {path.stem}' line, found {ids}")
            originals.append(Original(folder, path.stem, text))
    notes = [_read_notes(path) for path in sorted((content / NOTES_FOLDER).glob("*.yaml"))]
    return originals, notes, files


def _read_notes(path: Path) -> NotesFile:
    lines = path.read_text(encoding="utf-8").split("\n")
    try:
        start = lines.index("notes:")
    except ValueError:
        raise CloneError(f"{path}: no top-level 'notes:' line") from None
    document = _DOCUMENT.search("\n".join(lines[:start]))
    items: list[list[str]] = []
    indent: str | None = None
    for line in lines[start + 1:]:
        stripped = line.lstrip(" ")
        if stripped.startswith("- ") and (indent is None or line[:len(line) - len(stripped)] == indent):
            indent = line[:len(line) - len(stripped)]
            items.append([line])
        elif items:
            items[-1].append(line)
        elif line.strip() and not line.lstrip().startswith("#"):
            raise CloneError(f"{path}: unexpected line before the first note: {line!r}")
    if _TOP_LEVEL_KEY.search("\n".join(line for item in items for line in item)):
        raise CloneError(f"{path}: top-level keys after 'notes:' are not supported")
    blocks = []
    for item in items:
        found = [re.match(r"^\s*(?:- )?id: ([a-z0-9]+(?:-[a-z0-9]+)*)\s*$", line) for line in item]
        ids = [m.group(1) for m in found if m]
        if len(ids) != 1:
            raise CloneError(f"{path}: a note without exactly one 'id:' line: {item[0]!r}")
        blocks.append(NoteBlock(ids[0], item))
    value = document.group(1) if document else None
    return NotesFile(path.stem, None if value in (None, "null", "~") else value, lines[:start + 1], blocks)


def clone_order(originals: list[Original]) -> list[Original]:
    """The entries cloned in each round, in a fixed order that mixes the kinds (a hash of
    kind and id), so that a partial round keeps the kinds' proportions."""
    clonable = [o for o in originals if o.folder not in NOT_CLONED]
    return sorted(clonable, key=lambda o: hashlib.sha256(o.path.encode("utf-8")).hexdigest())


# --- cloning -------------------------------------------------------------------


def _drop_top_level(text: str, key: str) -> str:
    """`text` without the top-level `key:` line and the lines indented under it."""
    out: list[str] = []
    skipping = False
    for line in text.split("\n"):
        if line.startswith(f"{key}:"):
            skipping = True  # the key's line, then its block: indented lines or "- " items
            continue
        if skipping and line.startswith((" ", "-")):
            continue
        skipping = False
        out.append(line)
    return "\n".join(out)


def clone_entry(original: Original, round_number: int, cited_copies: dict[str, str]) -> str:
    """The clone's file text. `cited_copies` maps an original note id to the copied note
    this round cites instead (empty when the note's document is not cloned this round)."""
    new_id = clone_id(original.id, round_number)
    text = _ID_LINE.sub(f"id: {new_id}", original.text, count=1)
    for key in ("aliases", "map_code"):
        text = _drop_top_level(text, key)

    def cite(match: re.Match[str]) -> str:
        return f"[^{cited_copies.get(match.group(1), match.group(1))}]"

    return _CITATION.sub(cite, text)


def _notes_file_text(notes_file: NotesFile, round_number: int, cited: set[str]) -> str | None:
    """The copy of `notes_file` for round `round_number`, with the notes cited that round."""
    assert notes_file.document is not None
    kept = [block for block in notes_file.notes if block.id in cited]
    if not kept:
        return None
    head = "\n".join(notes_file.head)
    head = _DOCUMENT.sub(f"document: {clone_id(notes_file.document, round_number)}", head, count=1)
    body: list[str] = []
    for block in kept:
        for line in block.lines:
            body.append(re.sub(r"^(\s*(?:- )?id: )([a-z0-9-]+)(\s*)$",
                               lambda m: m.group(1) + clone_id(m.group(2), round_number) + m.group(3), line))
    text = head + "\n" + "\n".join(body)
    return text if text.endswith("\n") else text + "\n"


@dataclass
class Plan:
    originals: int
    clones: int
    rounds: int
    copied_notes: int
    by_kind: dict[str, int]

    def describe(self) -> str:
        kinds = ", ".join(f"{n} {kind}" for kind, n in sorted(self.by_kind.items()))
        return (f"{self.originals} original entries + {self.clones} clones ({kinds}) in {self.rounds} round(s), "
                f"{self.copied_notes} copied footnotes")


def generate(content: Path, entries: int) -> tuple[dict[str, bytes], Plan]:
    """The grown content folder as {relative path: bytes}, and what it holds."""
    originals, notes_files, files = read_originals(content)
    if entries < len(originals):
        raise CloneError(f"--entries must be at least {len(originals)}, the entries of {content} with a page")
    order = clone_order(originals)
    if not order and entries > len(originals):
        raise CloneError(f"{content}: nothing to clone")
    # Which document each note belongs to (only documents that are sources can be cloned).
    document_of = {block.id: nf.document for nf in notes_files if nf.document for block in nf.notes}
    all_ids = {(o.folder, o.id) for o in originals}
    plan = Plan(len(originals), entries - len(originals), 0, 0, {})
    out = dict(files)
    to_clone = [(order[i % len(order)], i // len(order) + 1) for i in range(entries - len(originals))]
    rounds: dict[int, list[Original]] = {}
    for original, round_number in to_clone:
        rounds.setdefault(round_number, []).append(original)
    plan.rounds = len(rounds)
    for round_number, members in rounds.items():
        cloned_sources = {o.id for o in members if o.folder == "sources"}
        copies = {note: clone_id(note, round_number) for note, document in document_of.items()
                  if document in cloned_sources}
        cited: set[str] = set()
        for original in members:
            new_id = clone_id(original.id, round_number)
            if (original.folder, new_id) in all_ids:
                raise CloneError(f"{original.path}: clone id {new_id} is already an entry's id")
            text = clone_entry(original, round_number, copies)
            cited.update(note for note in _CITATION.findall(original.text) if note in copies)
            out[f"{original.folder}/{new_id}.yaml"] = text.encode("utf-8")
            kind = PAGE_FOLDERS[original.folder]
            plan.by_kind[kind] = plan.by_kind.get(kind, 0) + 1
        for notes_file in notes_files:
            if notes_file.document in cloned_sources:
                text = _notes_file_text(notes_file, round_number, cited)
                if text is not None:
                    out[f"{NOTES_FOLDER}/{clone_id(notes_file.name, round_number)}.yaml"] = text.encode("utf-8")
                    plan.copied_notes += sum(block.id in cited for block in notes_file.notes)
    return out, plan


def write(files: dict[str, bytes], out: Path) -> None:
    for relative, data in files.items():
        path = out / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Grow the real content folder to N entries by cloning its entries.")
    parser.add_argument("--entries", "-n", type=int, required=True,
                        help="entries with a page in total, originals included (footnotes come in addition)")
    parser.add_argument("--out", type=Path, required=True, help="content folder to create (must be empty or absent)")
    parser.add_argument("--content", type=Path, default=DEFAULT_CONTENT,
                        help="the content folder to grow (default: the project's content/)")
    parser.add_argument("--force", action="store_true",
                        help="replace --out if it already holds a content folder (a site.yaml)")
    parser.add_argument("--quiet", "-q", action="store_true")
    args = parser.parse_args(argv)
    if args.out.exists() and (not args.out.is_dir() or any(args.out.iterdir())):
        if not (args.force and (args.out / "site.yaml").is_file()):
            parser.error(f"{args.out} exists and is not empty (use --force to replace a generated content folder)")
        shutil.rmtree(args.out)
    started = time.perf_counter()
    try:
        files, plan = generate(args.content, args.entries)
    except CloneError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    write(files, args.out)
    if not args.quiet:
        size = sum(len(data) for data in files.values())
        print(f"Wrote {len(files)} files ({size / 1e6:.1f} MB) to {args.out}: {plan.describe()} "
              f"in {time.perf_counter() - started:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
