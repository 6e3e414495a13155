"""Pages to HTML: the list of pages, and each one rendered with Jinja.

Jinja runs with autoescaping on and undefined variables as errors, so content
can never inject markup and a template typo fails the build instead of printing
an empty string. One Jinja environment per language, made once per build.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from types import FunctionType, MethodType
from typing import Any, Callable, Iterator

import jinja2
import jinja2.runtime
from markupsafe import Markup

from .exports import EXPORTS, orders_per_year
from .i18n import Formatter, load_translations
from .share_image import ImageCache
from ..content.library import natural_key
from ..content.models import Actor
from ..core.errors import TemplateFailure
from ..core.kinds import KIND, LANGUAGES, NAVIGATION
from ..core.typography import french_spacing
from .urls import ENTRY_KINDS, PageKey
from .views import PageView, SiteContext
from .words import Words, sort_text

TEMPLATES = {
    "home": "home.html", "about": "about.html", "search": "search.html", "not-found": "404.html",
    "event": ("timeline.html", "event.html"), "equipment": ("equipment_index.html", "equipment.html"),
    "actor": ("actor_index.html", "actor.html"), "source": ("sources_index.html", "source.html"),
    "theme": ("theme_index.html", "theme.html"), "dataset": ("data_index.html", "dataset.html"),
}


CHUNK = 1 << 16  # characters: pages are written in chunks of about this size (render_chunks)


class _Context(jinja2.runtime.Context):
    """Jinja's context, with a shorter way through every call a template makes.

    Each `{{ page.url(...) }}`, `{{ _("...") }}` or macro call goes through
    `Context.call`, which looks three times for a `pass_context`-style marker before
    calling. Functions, methods and macros without the marker are called directly
    here, exactly as Jinja would call them: a fifth of the time of rendering a page
    went into those checks. Anything else takes Jinja's own way."""

    def call(__self, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805 - Jinja's signature
        kind = type(__obj)
        if (kind is MethodType or kind is FunctionType or kind is jinja2.runtime.Macro) \
                and getattr(__obj, "jinja_pass_arg", None) is None:
            if kwargs:
                kwargs.pop("_block_vars", None)
                kwargs.pop("_loop_vars", None)
            try:
                return __obj(*args, **kwargs)
            except StopIteration:  # as Jinja does
                return __self.environment.undefined("value was undefined because a callable raised a "
                                                    "StopIteration exception")
        return jinja2.runtime.Context.call(__self, __obj, *args, **kwargs)


@jinja2.pass_context
def _cached_fragment(context: Any, name: str) -> Markup:
    """`{{ cached("_site_nav.html") }}`: a template fragment rendered once per language
    and kind of page (`PageView.fragment_key`), like Hugo's partialCached. Only for
    fragments that read nothing but the page's language, kind and depth (e.g. the
    navigation, whose links are the same from every event page); tests/test_render_cache.py
    checks that caching changes no page."""
    page = context["page"]
    key = (name, page.lang, page.fragment_key)
    memo = context.environment.fragment_memo
    if key not in memo or not context.environment.cache_fragments:
        memo[key] = Markup(context.environment.get_template(name).render(page=page, site=context["site"]))
    return memo[key]


def _template_position(exc: Exception) -> str:
    """The innermost template frame of a rendering error, as 'file:line: '."""
    tb, found = exc.__traceback__, ""
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith(".html"):
            found = f"{filename}:{tb.tb_lineno}: "
        tb = tb.tb_next
    return found


def template_failure(exc: jinja2.TemplateError) -> TemplateFailure:
    """A Jinja error as a TemplateFailure naming the template and line."""
    if isinstance(exc, jinja2.TemplateSyntaxError):
        return TemplateFailure(f"{exc.filename or exc.name}:{exc.lineno}: template error: {exc.message}")
    return TemplateFailure(f"{_template_position(exc)}template error: {exc}")


def rendered_chunks(render: Callable[[], str | list[bytes]]) -> list[bytes]:
    """A page as UTF-8, in chunks; template errors become a TemplateFailure naming the template line."""
    try:
        page = render()
        return page if isinstance(page, list) else [page.encode("utf-8")]
    except jinja2.TemplateError as exc:
        raise template_failure(exc) from None


def _typographic_gettext(translations: Any, lang: str) -> tuple:
    """Interface strings get the same French spacing as content ('Acheteur :')."""
    space = lru_cache(maxsize=None)(french_spacing) if lang == "fr" else (lambda text: text)
    return (lambda message: space(translations.gettext(message)),
            lambda singular, plural, n: space(translations.ngettext(singular, plural, n)))


def _fast_gettext(gettext: Callable[[str], str]) -> Callable[..., Markup]:
    """`_()` and `gettext()` for templates, with the semantics of Jinja's newstyle
    gettext (the translation is markup-safe and always %-formatted with the keyword
    arguments, escaped) but remembered per message: templates call it about forty
    times per page, and Jinja's own wrapper was a sixth of the rendering time."""
    plain: dict[str, Markup] = {}

    def translate(message: str, **variables: Any) -> Markup:
        if variables:
            return Markup(gettext(message)) % variables
        if message not in plain:
            plain[message] = Markup(gettext(message)) % {}
        return plain[message]
    return translate


def _bytecode_cache(folder: Path | None) -> jinja2.BytecodeCache | None:
    if folder is None:
        return None
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:  # no cache: only slower
        return None
    return jinja2.FileSystemBytecodeCache(str(folder))


def page_keys(site: SiteContext) -> list[PageKey]:
    """Every page of the site, the same in both languages."""
    keys = [PageKey("home"), PageKey("about"), PageKey("search"), PageKey("not-found")]
    for kind in ENTRY_KINDS:
        keys.append(PageKey(kind))
        keys.extend(PageKey(kind, id) for id in site.library.ids(kind))
    return keys


@dataclass(frozen=True)
class Renderer:
    site: SiteContext
    environments: dict[str, jinja2.Environment]
    formatters: dict[str, Formatter]
    images: ImageCache = ImageCache(None)  # share pictures kept between builds (share_image.py)

    @classmethod
    def create(cls, site: SiteContext, templates: Path, cache_fragments: bool = True,
               compiled_templates: Path | None = None, images: ImageCache = ImageCache(None)) -> "Renderer":
        """`compiled_templates`: a folder where Jinja keeps templates compiled between
        builds (checked against each template's source, so never stale)."""
        environments, formatters = {}, {}
        bytecode_cache = _bytecode_cache(compiled_templates)
        for lang in LANGUAGES:
            translations = load_translations(templates / "locale", lang)  # OSError/ValueError: the build says which file
            env = jinja2.Environment(
                loader=jinja2.FileSystemLoader(templates),
                autoescape=True,
                undefined=jinja2.StrictUndefined,
                extensions=["jinja2.ext.i18n"],
                trim_blocks=True,
                lstrip_blocks=True,
                auto_reload=False,  # templates do not change during a build
                bytecode_cache=bytecode_cache,
            )
            env.context_class = _Context
            gettext, ngettext = _typographic_gettext(translations, lang)
            env.install_gettext_callables(gettext, ngettext, newstyle=True)  # type: ignore[attr-defined]  # (added by the i18n extension)
            env.globals["_"] = env.globals["gettext"] = _fast_gettext(gettext)
            env.globals["cached"] = _cached_fragment
            env.globals.update(navigation=NAVIGATION, kinds=KIND)  # core/kinds.py: the sections and their labels
            env.fragment_memo, env.cache_fragments = {}, cache_fragments  # type: ignore[attr-defined]
            environments[lang] = env
            formatters[lang] = Formatter(lang, translations)
            env.globals["words"] = Words(lang, formatters[lang])  # labels, dates, numbers: words.py
        renderer = cls(site, environments, formatters, images)
        renderer.compile_templates()
        return renderer

    def compile_templates(self) -> None:
        """Compile every template now, once: worker processes inherit them compiled,
        instead of each compiling its own copy on first use."""
        for env in self.environments.values():
            for name in env.list_templates(filter_func=lambda name: name.endswith(".html")):
                env.get_template(name)

    def render_chunks(self, key: PageKey, lang: str, site: SiteContext | None = None, items: Any = None
                      ) -> list[bytes]:
        """The page as HTML in UTF-8, encoded piece by piece as the template yields them, and
        left in pieces (written with `writelines`): the page is never held whole, neither as
        text nor as bytes (at 5,000 entries the timeline is 4 MB of HTML, which as one
        text, plus the pieces it was joined from, took 20 MB more). The template's pieces
        (a few hundred per page, some of a few characters) are joined into chunks of about
        CHUNK characters first: encoding, hashing and writing them one by one cost more
        than joining them."""
        chunks, pending, size = [], [], 0
        for piece in self._pieces(key, lang, site, items):
            pending.append(piece)
            size += len(piece)
            if size >= CHUNK:
                chunks.append("".join(pending).encode("utf-8"))
                pending, size = [], 0
        if pending or not chunks:
            chunks.append("".join(pending).encode("utf-8"))
        return chunks

    def _pieces(self, key: PageKey, lang: str, site: SiteContext | None, items: Any) -> Iterator[str]:
        site = site or self.site
        page = PageView(site, key, lang, self.formatters[lang], items)
        template_name, context = self._template_and_context(key, page, site)
        template = self.environments[lang].get_template(template_name)
        return template.generate(page=page, site=site.library.site, lib=site.library, **context)

    def render_share_image(self, key: PageKey, lang: str, site: SiteContext | None = None) -> bytes:
        """The page's share picture (og:image), PNG."""
        page = PageView(site or self.site, key, lang, self.formatters[lang])
        return self.images.picture(page.share_card())

    def render_root(self) -> str:
        """The language picker at the site root, in both languages at once."""
        views = {lang: PageView(self.site, PageKey("home"), lang, self.formatters[lang]) for lang in LANGUAGES}
        return self.environments["en"].get_template("root.html").render(
            views=views, site=self.site.library.site, base_url=self.site.base_url)

    @staticmethod
    def _template_and_context(key: PageKey, page: PageView, site: SiteContext) -> tuple[str, dict[str, Any]]:
        names = TEMPLATES[key.kind]
        if isinstance(names, str):
            return names, _special_context(key.kind, site, page)
        if key.id:
            return names[1], {"entry": site.library.get(key.kind, key.id), "kind": key.kind}
        return names[0], _index_context(key.kind, site, page)


def _special_context(kind: str, site: SiteContext, page: PageView) -> dict[str, Any]:
    if kind == "home":
        return {"counts": {k: site.library.count(k) for k in ENTRY_KINDS}}
    return {}


def _index_context(kind: str, site: SiteContext, page: PageView) -> dict[str, Any]:
    lib = site.library
    if kind == "event":
        items = fold_orders(timeline_items(lib), lib)
        actor_ids = sorted({a for item in items for a in item.actors}, key=lambda a: sort_text(page.name_of("actor", a)))
        theme_ids = sorted({t for item in items for t in item.themes}, key=lambda t: sort_text(page.name_of("theme", t)))
        return {"years": by_year(items), "filter_actors": actor_ids, "filter_themes": theme_ids}
    if kind == "equipment":
        groups = defaultdict(list)
        for item in lib.all("equipment"):
            groups[item.category].append(item)
        return {"groups": [(category, sorted(items, key=lambda i: sort_text(page.words.text(i.name))))
                           for category, items in sorted(groups.items(), key=lambda g: sort_text(page.words.category_label(g[0])))],
                "orders": order_items(lib)}
    if kind == "actor":
        order = ("state", "organisation", "company", "person")
        actors: dict[str, list[Actor]] = defaultdict(list)
        for actor in lib.all("actor"):
            actors[actor.kind].append(actor)
        return {"groups": [(k, sorted(actors[k], key=lambda a: sort_text(page.words.text(a.name)))) for k in order if actors[k]]}
    if kind == "source":
        sources = sorted(lib.all("source"), key=lambda s: sort_text(page.words.source_label(s)))
        documents, document_of = defaultdict(list), lib.note_documents
        for note in lib.all("note"):
            documents[document_of.get(note.id) or ""].append(note)
        return {"sources": sources, "documents": [(doc, sorted(notes, key=lambda note: natural_key(note.id)))
                                                  for doc, notes in sorted(documents.items())]}
    if kind == "theme":
        return {"themes": sorted(lib.all("theme"), key=lambda t: sort_text(page.words.text(t.title)))}
    if kind == "dataset":
        return {"datasets": sorted(lib.all("dataset"), key=lambda d: sort_text(page.words.text(d.title))),
                "orders_by_year": orders_per_year(lib), "downloads": EXPORTS}
    raise KeyError(kind)


@dataclass(frozen=True)
class TimelineItem:
    """An event, or an arms order read from an equipment item, placed in time."""

    kind: str  # "event" or "order"
    entry: Any  # the Event, or the Equipment holding the order
    year: int
    sort_key: tuple
    themes: tuple[str, ...]
    actors: tuple[str, ...]
    order: Any = None
    order_number: int = 0  # 1-based position of the order in its equipment's list
    orders: tuple["TimelineItem", ...] = ()  # an event's: the orders it reports (fold_orders)

    @property
    def anchor(self) -> str:
        return self.entry.id if self.kind == "event" else f"order-{self.entry.id}-{self.order_number}"


def timeline_items(library: Any) -> list[TimelineItem]:
    items = [TimelineItem("event", e, e.date.year, (e.date.sort_key(), 0, e.id), tuple(e.themes), tuple(e.actors))
             for e in library.all("event")]
    return sorted(items + order_items(library), key=lambda item: item.sort_key)


def fold_orders(items: list[TimelineItem], library: Any) -> list[TimelineItem]:
    """The timeline's items with each arms order moved into the event that reports it (the
    first event of the order's year that names its equipment), instead of a card of its
    own repeating that event next to it; an order no event reports keeps its own card.
    An event's `themes` and `actors` then include its orders' (for the filters)."""
    folded: dict[str, list[TimelineItem]] = {}
    rest = []
    for item in items:
        if item.kind == "order":
            reporting = [event for event in library.events_with("equipment", item.entry.id)
                         if event.date.year == item.year]
            if reporting:
                folded.setdefault(reporting[0].id, []).append(item)
                continue
        rest.append(item)
    out = []
    for item in rest:
        orders = tuple(folded.get(item.entry.id, ())) if item.kind == "event" else ()
        if orders:
            item = replace(item, orders=orders,
                           themes=tuple(dict.fromkeys(item.themes + tuple(t for o in orders for t in o.themes))),
                           actors=tuple(dict.fromkeys(item.actors + tuple(a for o in orders for a in o.actors))))
        out.append(item)
    return out


def order_items(library: Any) -> list[TimelineItem]:
    """The arms orders alone, in time order (without reading any event: see dependencies.py)."""
    items = []
    for equipment in library.all("equipment"):
        for number, order in enumerate(equipment.orders, start=1):
            items.append(TimelineItem("order", equipment, order.ordered, ((order.ordered, 0, 0), 1, equipment.id, number),
                                      tuple(equipment.themes), equipment.order_parties(order), order, number))
    return sorted(items, key=lambda item: item.sort_key)


def by_year(items: list[TimelineItem]) -> list[tuple[int, list[TimelineItem]]]:
    groups: dict[int, list[TimelineItem]] = defaultdict(list)
    for item in items:
        groups[item.year].append(item)
    return sorted(groups.items())

