"""The bilingual print view of an entry: French and English side by side.

One page per entry and interface language, below the entry's own page
(`fr/chronologie/<id>/bilingue/`, `en/timeline/<id>/bilingual/`, see
permalinks.py), linked from it. The interface (navigation, headings) is in the
page's language; each column is in its own language, with its own `lang`, links
to that language's pages and its own numbered notes. Not in the sitemap nor the
search index, and `noindex`: it repeats the two entry pages, for paper.

Pages are rendered like the others (jobs.py, parallel.py), through a
`BilingualRenderer` that has the same `render` as render.Renderer.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .i18n import Formatter
from ..content.models import Prose
from .permalinks import BilingualKey
from ..core.kinds import LANGUAGES
from .renderer import Renderer
from .views import PageView, SiteContext

TEMPLATE = "bilingual.html"


class ColumnView(PageView):
    """One language's column on a bilingual page. Its links are relative to the
    bilingual page; its note calls and notes carry the language in their ids
    (`note-fr-x`, `cite-fr-x-1`) so that the two columns never share an id."""

    def __init__(self, page: PageView, lang: str, fmt: Formatter):
        super().__init__(page.site, page.key, lang, fmt)
        self.path = page.path
        self.linked = page.linked  # one printed list of links for the whole page
        self.record_every_link = True  # its texts are rendered without paragraph anchors

    def cite(self, note_id: str) -> tuple[int, str]:
        number, anchor = super().cite(note_id)
        return number, anchor.replace("cite-", f"cite-{self.lang}-", 1)

    def note_href(self, note_id: str) -> str:
        return f"#note-{self.lang}-{note_id}"

    def footnotes(self) -> list[dict[str, Any]]:
        items = super().footnotes()
        for item in items:
            item["anchor"] = f"note-{self.lang}-{item['id']}"
            item["calls"] = [call.replace("cite-", f"cite-{self.lang}-", 1) for call in item["calls"]]
        return items


def prose_fields(entry: Any) -> list[Prose]:
    """The entry's own texts, in the order of its fields (summary, body, description, note)."""
    return [value for name in entry.__class__.model_fields if isinstance(value := getattr(entry, name), Prose)]


@dataclass(frozen=True)
class BilingualRenderer:
    renderer: Renderer

    def render(self, key: BilingualKey, lang: str, site: SiteContext | None = None) -> str:
        renderer, site = self.renderer, site or self.renderer.site
        page = PageView(site, key, lang, renderer.formatters[lang])  # type: ignore[arg-type]  # a PageKey look-alike
        columns = [ColumnView(page, column, renderer.formatters[column]) for column in LANGUAGES]
        entry = site.library.get(key.entry_kind, key.id)
        return renderer.environments[lang].get_template(TEMPLATE).render(
            page=page, site=site.library.site, lib=site.library, entry=entry, kind=key.entry_kind,
            columns=columns, texts=prose_fields(entry))
