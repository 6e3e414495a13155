"""Items of long lists, and rows of download files, rendered once and kept between builds.

The timeline lists every event and arms order, a theme page every event of its
theme. After an edit to one event those pages must be rendered again, and at
5,000 entries that meant some 10,000 unchanged items: 0.8 s for each
language's timeline. A template renders such an item through
`page.item(macro, kind, entry, ...)`; the item's HTML is kept with what it
read, and reused while all of that is unchanged, like the pages themselves
(dependencies.py):

- the fields of entries it read, by their digests (observed.field_digests), and the
  questions it asked the library, with their answers;
- where it stands: the page's language and place in the site (its relative
  links), the macro and its arguments. The templates, the code and the site's
  settings are the build's render key: items kept under another are not used.

An item also acts on its page, and that is replayed every time, kept or not:
its footnote calls are numbered by the page in order of first use (the kept
HTML holds placeholders for their numbers and anchors: content never holds NUL,
yaml_source.py refuses it), the entries its text links to join the page's
printed list of links, and what it read joins the page's dependencies.

The rows of the download files (exports.py) are kept the same way, each with
the hash of the file of the one entry it is read from (`KeptRows`).

The items of a page are kept in one file in the cache folder, for pages with at
least MIN_KEPT of them (a list of three events is cheaper to render than to
load). Like every cache file it is checked by SHA-256 before use: missing,
damaged or stale, its items are simply rendered again.
"""
from __future__ import annotations

import hashlib
import itertools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import jinja2
from markdown_it.common.utils import escapeHtml
from markupsafe import Markup

from .cache import VERSION, read_checked_records, write_checked_records
from .dependencies import PageDeps
from ..content.observed import EXISTS, WHOLE, FieldKey, ObservedEntry, answer, unwrapped
from ..render.views import SiteContext

MIN_KEPT = 32  # items on a page before they are worth a file
_PLACEHOLDER = re.compile("\x00([na])([0-9]+)\x00")
_SIMPLE = (str, int, bool, type(None))  # what an item's arguments may be: they are part of its key

# (HTML with placeholders, in UTF-8: half the memory of a text that holds any typographic
#  quote; fields of entries read, hash of their digests, (query, answer) pairs,
#  notes cited in order, entries linked from its text in order, page.recording after it)
Fragment = tuple


@dataclass(frozen=True)
class ItemFiles:
    """Where pages keep their items between builds (None: nothing is kept, items are
    still replayed), under which render key, and from how many items on."""

    folder: Path | None
    render_key: str = ""
    min_kept: int = MIN_KEPT


def store_file(folder: Path, page_path: str) -> Path:
    return folder / (hashlib.sha1(page_path.encode(), usedforsecurity=False).hexdigest() + ".items")


class _PlaceholderCalls:
    """Stands in for the page's footnote numbering while an item is rendered."""

    def __init__(self) -> None:
        self.notes: list[str] = []

    def cite(self, note_id: str) -> tuple[str, str]:
        self.notes.append(note_id)
        index = len(self.notes) - 1
        return f"\x00n{index}\x00", f"\x00a{index}\x00"


class PageItems:
    """The kept items of one page while it is rendered (see the module's docstring).

    `site` is the build's site, not the page's recording view of it; `deps` the
    page's dependencies, which every item's reads join; `digests` the hash of the
    file of every entry (reading.ContentRead.digests); `files` where pages keep
    their items."""

    def __init__(self, site: SiteContext, deps: PageDeps, digests: dict[FieldKey, str], page_path: str,
                 files: ItemFiles = ItemFiles(None)) -> None:
        self.site, self.deps, self.digests = site, deps, digests
        self.store = KeptFile(files, page_path)
        self._kept: dict[tuple, Fragment] | None = None  # loaded on first use
        self._used: dict[tuple, Fragment] = {}
        self._answers: dict[tuple, Any] = {}
        self.rendered = self.kept = 0  # items rendered, and taken as kept (--verbose says)

    def render(self, page: Any, macro: jinja2.runtime.Macro, kind: str, entry: Any,
               extra: tuple, options: dict[str, Any]) -> Markup:
        for value in (*extra, *options.values()):
            if not isinstance(value, _SIMPLE):
                raise jinja2.TemplateRuntimeError(
                    f"page.item(): arguments after the entry must be strings, numbers or booleans, "
                    f"not {type(value).__name__} (they identify the item)")
        key = (macro.name, kind, entry.id, extra, tuple(sorted(options.items())), page.lang, page.fragment_key,
               page.recording, page.record_every_link)
        if self._kept is None:
            self._kept = self.store.load()
        fragment = self._kept.get(key)
        if fragment is not None and self._still_valid(fragment):
            self.kept += 1
        else:
            fragment = self._render(page, macro, kind, entry, extra, options)
            self.rendered += 1
        self._used[key] = fragment
        return self._replay(page, fragment)

    def _render(self, page: Any, macro: jinja2.runtime.Macro, kind: str, entry: Any, extra: tuple,
                options: dict[str, Any]) -> Fragment:
        deps = PageDeps()
        deps.read(kind, entry.id, EXISTS)
        calls = _PlaceholderCalls()
        scoped = page.scoped(self.site.observed_by(deps), calls)
        # the item's entry reports to the item's recorder (it came wrapped for the page's)
        html = str(macro(scoped, ObservedEntry(unwrapped(entry), kind, deps), *extra, **options))
        entries = tuple(sorted(deps.entries))
        return (html.encode("utf-8"), entries, self._hash(entries), tuple(deps.answers.items()), tuple(calls.notes),
                tuple(scoped.linked), scoped.recording)

    def _replay(self, page: Any, fragment: Fragment) -> Markup:
        encoded, entries, _hash, answers, notes, linked, recording = fragment
        html = encoded.decode("utf-8")
        self.deps.entries.update(entries)
        self.deps.answers.update(answers)
        if notes:  # numbered now, in the order the page would have cited them
            calls = [page.cite(note_id) for note_id in notes]
            html = _PLACEHOLDER.sub(lambda match: str(calls[int(match[2])][0]) if match[1] == "n"
                                    else escapeHtml(calls[int(match[2])][1]), html)
        page.linked.update(dict.fromkeys(linked))
        page.recording = recording
        return Markup(html)

    def _hash(self, entries: tuple[FieldKey, ...]) -> bytes:
        files = "\0".join(self.digests.get(key, "-") for key in entries)
        return hashlib.sha1(files.encode(), usedforsecurity=False).digest()

    def _still_valid(self, fragment: Fragment) -> bool:
        if self._hash(fragment[1]) != fragment[2]:
            return False
        for query, then in fragment[3]:
            if query not in self._answers:
                self._answers[query] = answer(query, self.site.library, self.site.links)
            if self._answers[query] != then:
                return False
        return True

    def save(self) -> None:
        """Keep the items this render used (only those: items no longer listed go)."""
        if self._kept is not None:
            self.store.save(self._used, self._kept, self.rendered > 0)


class KeptRows:
    """The rows of a download file (exports.py), kept between builds like list items:
    a row's line is reused while the file of its entry is unchanged. (A row reads
    nothing else: exports.Row.) The file depends on the whole entry of each of its
    rows, kept or not (`deps`: the file's dependencies)."""

    def __init__(self, deps: PageDeps, digests: dict[FieldKey, str], path: str,
                 files: ItemFiles = ItemFiles(None)) -> None:
        self.deps, self.digests, self.store = deps, digests, KeptFile(files, path)
        self._kept: dict[tuple, tuple[str, bytes]] | None = self.store.load()
        self._used: dict[tuple, tuple[str, bytes]] = {}
        self.rendered = self.kept = 0

    def line(self, row: tuple[str, Any, tuple], make: Callable[[tuple[str, Any, tuple]], bytes]) -> bytes:
        kind, entry, extra = row
        self.deps.read(kind, entry.id, WHOLE)
        key, digest = (kind, entry.id, extra), self.digests.get((kind, entry.id, WHOLE), "-")
        stored = self._kept.get(key) if self._kept is not None else None
        if stored is not None and stored[0] == digest != "-":
            self.kept += 1
        else:
            stored = (digest, make(row))
            self.rendered += 1
        self._used[key] = stored
        return stored[1]

    def save(self) -> None:
        """Keep the rows used, then let go of what was loaded (saving twice saves once).
        Called as soon as every line is made, before the file is written: the timeline's
        rows are 11 MB at 5,000 entries."""
        if self._kept is not None:
            self.store.save(self._used, self._kept, self.rendered > 0)
            self._kept, self._used = None, {}


class KeptFile:
    """Where one page or file keeps its pieces: a file in the cache folder, stamped
    with the page's path and the build's render key, checked by SHA-256."""

    def __init__(self, files: ItemFiles, path: str) -> None:
        self.file = store_file(files.folder, path) if files.folder is not None else None
        self.path, self.render_key, self.min_kept = path, files.render_key, files.min_kept

    def load(self) -> dict:
        records = read_checked_records(self.file) if self.file is not None else None
        if not records or records[0] != self._header():
            return {}
        try:
            return dict(records[1:])
        except (TypeError, ValueError):  # (not pairs: not a file this code wrote)
            return {}

    def _header(self) -> dict[str, Any]:
        return {"version": VERSION, "render_key": self.render_key, "page": self.path}

    def save(self, used: dict, loaded: dict, changed: bool) -> None:
        """Keep `used` (only what this render used: what is no longer there goes), if
        there are enough pieces to be worth a file and they differ from `loaded`."""
        if self.file is None:
            return
        if len(used) >= self.min_kept:
            if changed or used.keys() != loaded.keys():  # the header, then each (key, piece), one by one
                write_checked_records(self.file, itertools.chain([self._header()], used.items()))
        elif loaded:
            try:
                self.file.unlink()
            except OSError:
                pass
