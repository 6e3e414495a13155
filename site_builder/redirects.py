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

import jinja2

from .permalinks import redirects_file, short_path
from .render import LANGUAGES, Renderer
from .urls import ENTRY_KINDS, PageKey, absolute, relative
from .views import PageView, SiteContext

REDIRECTS_FILE = "_redirects"


def redirect_files(site: SiteContext, renderer: Renderer) -> dict[str, bytes]:
    """site-relative path -> bytes for every alias page, short link page and `_redirects`.
    Template errors are raised as jinja2 errors, like the other pages'."""
    library = site.library
    files: dict[str, bytes] = {}
    rules: list[tuple[str, str]] = []
    for (kind, old), new in sorted(library.aliases.items()):
        if kind not in ENTRY_KINDS:
            continue
        entry, old_key, new_key = library.get(kind, new), PageKey(kind, old), PageKey(kind, new)
        for lang in LANGUAGES:
            page = PageView(site, old_key, lang, renderer.formatters[lang])
            html = _template(renderer, lang, "redirect.html").render(
                page=page, site=library.site, title=page.name(kind, entry),
                target=relative(old_key.path(lang), new_key.path(lang)),
                canonical=absolute(site.base_url, new_key.path(lang)))
            files[old_key.output_file(lang)] = html.encode("utf-8")
            rules.append((old_key.path(lang), new_key.path(lang)))
    short = _template(renderer, "fr", "shortlink.html")
    for kind in ENTRY_KINDS:
        for entry in library.all(kind):
            views = {lang: PageView(site, PageKey(kind, entry.id), lang, renderer.formatters[lang]) for lang in LANGUAGES}
            for id in (entry.id, *entry.aliases):
                path = short_path(kind, id)
                html = short.render(
                    views=views, site=library.site, names={lang: views[lang].name(kind, entry) for lang in LANGUAGES},
                    links={lang: relative(path, PageKey(kind, entry.id).path(lang)) for lang in LANGUAGES},
                    alternates={lang: absolute(site.base_url, PageKey(kind, entry.id).path(lang)) for lang in LANGUAGES},
                    assets=relative(path, "assets/"))
                files[path + "index.html"] = html.encode("utf-8")
    files[REDIRECTS_FILE] = redirects_file(rules, site.base_url).encode("utf-8")
    return files


def _template(renderer: Renderer, lang: str, name: str) -> jinja2.Template:
    return renderer.environments[lang].get_template(name)
