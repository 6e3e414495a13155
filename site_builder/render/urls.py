"""Where each page lives, per language, and how pages link to one another.

Paths are site-relative directory paths ("fr/chronologie/some-event/"). Links
between pages are written relative ("../some-event/"), so the same build works
at a domain root, under a sub-path and from any static host; only canonical,
alternate and sitemap URLs are absolute, built from the base URL.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Mapping

from ..core.kinds import PAGE_KIND_IDS, PAGE_KINDS

# Section names are part of published URLs (see core/kinds.py): the kinds' sections,
# and those of the site's own pages.
SECTIONS: dict[str, Mapping[str, str]] = {
    **{kind.id: kind.sections for kind in PAGE_KINDS if kind.sections is not None},
    "about": {"fr": "a-propos", "en": "about"},
    "search": {"fr": "recherche", "en": "search"},
}
ENTRY_KINDS = PAGE_KIND_IDS  # the kinds whose entries have pages


@dataclass(frozen=True, order=True)
class PageKey:
    """A page independent of language: a section index, an entry, or a special page."""

    kind: str  # "home", "about", "search", "not-found", a section kind (index) or an entry kind
    id: str = ""  # entry id; empty for index and special pages

    def path(self, lang: str) -> str:
        if self.kind == "home":
            return f"{lang}/"
        if self.kind == "not-found":
            return f"{lang}/404.html"
        section = SECTIONS[self.kind][lang]
        return f"{lang}/{section}/{self.id}/" if self.id else f"{lang}/{section}/"

    def output_file(self, lang: str) -> str:
        path = self.path(lang)
        return path + "index.html" if path.endswith("/") else path


@lru_cache(maxsize=4096)
def relative(from_path: str, to_path: str) -> str:
    """Relative URL from the page at `from_path` to `to_path` (both site-relative).

    Pure string work (no os.path.relpath, which consults the working directory):
    it runs tens of thousands of times per build. What repeats is a page's own links
    (its navigation, assets, an entry linked twice), so the cache need only hold a
    page's worth: 65,536 kept got no more hits than 4,096 and cost 20 MB per process."""
    from_dirs = from_path.split("/")[:-1]  # 'fr/a/b/' -> ['fr','a','b']; 'fr/404.html' -> ['fr']
    target, _, fragment = to_path.partition("#")
    parts = target.split("/")
    common = 0
    while common < len(from_dirs) and common < len(parts) - 1 and from_dirs[common] == parts[common]:
        common += 1
    rel = "../" * (len(from_dirs) - common) + "/".join(parts[common:])
    if not rel:
        rel = "./"
    return rel + (f"#{fragment}" if fragment else "")


def absolute(base_url: str, path: str) -> str:
    return base_url.rstrip("/") + "/" + path
