"""Pages that only send the reader on: former addresses and short links.

- Each alias (former id) of an entry gets a page at its old address in both
  languages (`fr/equipements/<old>/`): `noindex`, a canonical link to the live
  page, a visible link to it, and a redirect — by script, keeping a
  `#paragraph` fragment, or by `<meta http-equiv="refresh">` without script.
  They are also listed in `_redirects` (Netlify, Cloudflare Pages), where the
  host answers with a real 301. None of these pages is in the sitemap.
- Each entry (and each of its aliases) gets a language-neutral short link,
  `e/<kind>/<id>/` (see permalinks.py): a small script sends the reader to the
  page in the first of their browser's languages the site has; without script,
  or when none matches, the page shows both languages as links.
"""
from __future__ import annotations

from typing import Any, NamedTuple

import jinja2

from .permalinks import redirects_file, short_path
from ..core.kinds import LANGUAGES
from .renderer import Renderer
from .urls import ENTRY_KINDS, PageKey, absolute, relative
from .views import PageView, SiteContext

REDIRECTS_FILE = "_redirects"


class AliasPage(NamedTuple):
    """A redirect page: a former id of an entry, in one language."""

    kind: str
    old: str  # the former id
    new: str  # the live id
    lang: str


class ShortLink(NamedTuple):
    """A short link page, `e/<kind>/<id>/`."""

    kind: str
    entry_id: str  # the live id
    id: str  # the id in the link: the live id or a former one


def alias_pages(library: Any) -> list[AliasPage]:
    """Every redirect page."""
    return [AliasPage(kind, old, new, lang) for (kind, old), new in sorted(library.aliases.items())
            if kind in ENTRY_KINDS for lang in LANGUAGES]


def render_alias(renderer: Renderer, site: SiteContext, kind: str, old: str, new: str, lang: str) -> str:
    entry, old_key, new_key = site.library.get(kind, new), PageKey(kind, old), PageKey(kind, new)
    page = PageView(site, old_key, lang, renderer.formatters[lang])
    return _template(renderer, lang, "redirect.html").render(
        page=page, site=site.library.site, title=page.words.name(kind, entry),
        target=relative(old_key.path(lang), new_key.path(lang)),
        canonical=absolute(site.base_url, new_key.path(lang)))


def short_pages(library: Any) -> list[ShortLink]:
    """Every short link page: one per id and former id."""
    return [ShortLink(kind, entry.id, id) for kind in ENTRY_KINDS for entry in library.all(kind) for id in (entry.id, *entry.aliases)]


def render_short(renderer: Renderer, site: SiteContext, kind: str, entry_id: str, id: str) -> str:
    entry = site.library.get(kind, entry_id)
    views = {lang: PageView(site, PageKey(kind, entry.id), lang, renderer.formatters[lang]) for lang in LANGUAGES}
    path = short_path(kind, id)
    return _template(renderer, "fr", "shortlink.html").render(
        views=views, site=site.library.site, names={lang: views[lang].words.name(kind, entry) for lang in LANGUAGES},
        links={lang: relative(path, PageKey(kind, entry.id).path(lang)) for lang in LANGUAGES},
        alternates={lang: absolute(site.base_url, PageKey(kind, entry.id).path(lang)) for lang in LANGUAGES},
        assets=relative(path, "assets/"))


def redirect_rules(site: SiteContext) -> bytes:
    """The `_redirects` file: each former address to the live one, for hosts that read it."""
    rules = [(PageKey(page.kind, page.old).path(page.lang), PageKey(page.kind, page.new).path(page.lang))
             for page in alias_pages(site.library)]
    return redirects_file(rules, site.base_url).encode("utf-8")


def _template(renderer: Renderer, lang: str, name: str) -> jinja2.Template:
    return renderer.environments[lang].get_template(name)
