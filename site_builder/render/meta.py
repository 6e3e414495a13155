"""What a page tells the machines that read it: search engines, link previews, feeds.

`PageMeta` is mixed into views.PageView (it uses the page's `text`, `name`, `_`,
`site`, `key`...): a description of the page in plain text (from the entry's own
summary), OpenGraph and Twitter card values, the share picture's card
(share_image.py) and schema.org JSON-LD, all in the page's language and built
from the same data as the page, so they never say more than it does.
"""
from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from ..core.dates import DatePoint, FuzzyDate
from ..core.kinds import PAGE_KINDS
from ..core.typography import collapse_spaces
from .exports import FOLDER, dataset_csv_path
from .i18n import N_
from ..content.markdown import plain_text
from .permalinks import short_path
from .qr import qr_svg
from .share_image import HEIGHT, WIDTH, ShareCard
from .urls import ENTRY_KINDS, PageKey, absolute
from .words import Words

DESCRIPTION_LENGTH = 160  # what search engines show of a description, about
SHARE_IMAGE = "share.png"  # beside each page's index.html
OG_LOCALES = {"fr": "fr_FR", "en": "en_GB"}
SECTION_TITLES: dict[str, str] = {
    "home": N_("Home"), "about": N_("About"), "search": N_("Search"), **{kind.id: kind.title for kind in PAGE_KINDS},
}
SECTION_DESCRIPTIONS: dict[str, str] = {
    "about": N_("How this site was made: its sources, its method and its limits."),
    "search": N_("Search every event, equipment item, actor, source, theme and dataset of the site."),
    **{kind.id: kind.description for kind in PAGE_KINDS},
}
ACTOR_TYPES = {"state": "Country", "company": "Organization", "organisation": "Organization", "person": "Person"}
SOURCE_TYPES = {"article": "ScholarlyArticle", "report": "Report", "book": "Book", "chapter": "Chapter",
                "database": "DataCatalog", "web": "WebPage", "news": "NewsArticle", "interview": "CreativeWork",
                "note": "Report", "other": "CreativeWork"}
PAGINATED = ("ScholarlyArticle", "NewsArticle", "Chapter")  # types with `pagination`


def shorten(text: str, limit: int = DESCRIPTION_LENGTH) -> str:
    """At most `limit` characters, cut between words, with an ellipsis if cut."""
    text = collapse_spaces(text)  # French no-break spaces kept (str.split() drops them)
    if len(text) <= limit:
        return text
    cut = text[:limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:–—(\u00a0\u202f")
    return cut + "…"


def iso_date(value: FuzzyDate | DatePoint) -> str:
    """An ISO 8601 date at the precision known: '2021', '2021-03' or '2021-03-15' (schema.org
    Date and DateTime accept reduced precision); 'about 2008' is written 2008."""
    point = value.start if isinstance(value, FuzzyDate) else value
    return str(DatePoint(point.year, point.month, point.day))


def json_ld_markup(data: dict[str, Any]) -> Markup:
    """JSON for a <script type="application/ld+json">: '<' escaped, so no text can close the script."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=False)
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


class PageMeta:
    """Mixed into PageView: description, OpenGraph, share card and JSON-LD of the page.
    It uses the view's attributes (`site`, `key`, `lang`, `other`, `canonical`, `name_of`)
    and the words of its language (`words.text`, `words._`, `words.kind_label`...)."""

    site: Any
    key: Any
    lang: str
    other: str
    path: str

    words: Words  # what the page says in its language (words.py)

    if TYPE_CHECKING:  # the view's helpers it uses, for the type checker (views.PageView defines them)
        @property
        def canonical(self) -> str: ...
        def name_of(self, kind: str, id: str) -> str: ...

    # -- what the page is ---------------------------------------------------------
    @property
    def shareable(self) -> bool:
        """A reader's page (not a 404, a print view or a redirect): it gets a share picture and JSON-LD."""
        return isinstance(self.key, PageKey) and self.key.kind != "not-found"

    def _entry(self) -> Any:
        """The entry the page is about (also for its print view, whose key has `entry_kind`)."""
        kind = getattr(self.key, "entry_kind", self.key.kind)
        return self.site.library.get(kind, self.key.id) if self.key.id else None

    def page_title(self) -> str:
        entry = self._entry()
        if entry is not None:
            return self.words.name(self.key.kind, entry) if self.key.kind != "source" else entry.title
        if self.key.kind == "home":
            return self.words.text(self.site.library.site.title)
        return self.words._(SECTION_TITLES.get(self.key.kind, "Home"))

    def description(self) -> str:
        """The page's description in plain text: its entry's summary (or description),
        the site's tagline for the home page, a sentence for each section."""
        entry, site = self._entry(), self.site.library.site
        prose = None
        if entry is not None:
            prose = getattr(entry, "summary", None) or getattr(entry, "description", None) or None
        elif self.key.kind == "about":
            prose = site.about
        if prose is not None:
            text = plain_text(self.site.parser.compiled_text(getattr(prose, self.lang), self.lang))
        elif entry is not None and hasattr(entry, "language"):  # a source without a description: what it is
            text = f"{self.words.source_kind_label(entry.kind)}: {self.words.source_label(entry)}"
        elif self.key.kind in SECTION_DESCRIPTIONS:
            text = self.words._(SECTION_DESCRIPTIONS[self.key.kind])
        else:
            text = self.words.text(site.tagline)
        return shorten(text)

    def kicker(self) -> str:
        """What the page is, for the share picture: 'Event · 15 March 2021', 'Actor · State'."""
        entry, kind = self._entry(), self.key.kind
        if entry is None:  # a section: its title says it all (the site's name is at the foot)
            return self.words._("Home") if kind == "home" else ""
        label = self.words.kind_label(kind)
        detail = {"event": lambda: self.words.date_text(entry.date),
                  "equipment": lambda: self.words.category_label(entry.category),
                  "source": lambda: self.words.source_kind_label(entry.kind),
                  "actor": lambda: self.words._(ACTOR_KIND_SINGULAR[entry.kind])}.get(kind)
        return f"{label} · {detail()}" if detail else label

    def share_card(self) -> ShareCard:
        return ShareCard(self.kicker(), self.page_title(), self.words.text(self.site.library.site.title))

    def short_link(self) -> str:
        """The entry's language-neutral short link, absolute (for print and QR codes)."""
        return absolute(self.site.base_url, short_path(getattr(self.key, "entry_kind", self.key.kind), self.key.id))

    def qr_code(self) -> Markup:
        """The QR code of the entry's short link, for printed pages (print and bilingual views)."""
        return qr_svg(self.short_link(), self.words._("QR code of the short link %(url)s") % {"url": self.short_link()})

    # -- OpenGraph and Twitter ----------------------------------------------------
    @property
    def share_image_path(self) -> str:
        return self.key.path(self.lang) + SHARE_IMAGE

    def share_image(self) -> dict[str, Any]:
        """og:image: absolute URL, size and alternative text of the page's share picture."""
        card = self.share_card()
        return {"url": absolute(self.site.base_url, self.share_image_path), "width": WIDTH, "height": HEIGHT,
                "alt": " — ".join(dict.fromkeys(t for t in (card.title, card.kicker, card.site) if t)), "type": "image/png"}

    def open_graph(self) -> list[tuple[str, str]]:
        """(property, content) of the page's OpenGraph and Twitter card tags."""
        image = self.share_image()
        entry = self._entry()
        tags = [("og:type", "article" if entry is not None else "website"),
                ("og:title", self.page_title()), ("og:description", self.description()),
                ("og:url", self.canonical),
                ("og:site_name", self.words.text(self.site.library.site.title)),
                ("og:locale", OG_LOCALES[self.lang]), ("og:locale:alternate", OG_LOCALES[self.other]),
                ("og:image", image["url"]), ("og:image:type", image["type"]),
                ("og:image:width", str(image["width"])), ("og:image:height", str(image["height"])),
                ("og:image:alt", image["alt"])]
        if entry is not None and (entry.updated or entry.added):
            tags.append(("article:modified_time", iso_date(entry.updated or entry.added)))
        return tags

    def twitter_card(self) -> list[tuple[str, str]]:
        """Only the card's kind: for its title, description and picture, X (Twitter) reads
        the OpenGraph tags (the page stays within its size budget)."""
        return [("twitter:card", "summary_large_image")]

    # -- schema.org JSON-LD -------------------------------------------------------
    def _absolute(self, kind: str, id: str = "", lang: str | None = None) -> str:
        return absolute(self.site.base_url, PageKey(kind, id).path(lang or self.lang))

    def breadcrumb_list(self) -> dict[str, Any]:
        trail = [(self.words._("Home"), self._absolute("home"))]
        if self.key.kind != "home":
            trail.append((self.words._(SECTION_TITLES[self.key.kind]), self._absolute(self.key.kind)))
        if self.key.id:
            trail.append((self.page_title(), self.canonical))
        return {"@type": "BreadcrumbList", "itemListElement": [
            {"@type": "ListItem", "position": number, "name": name, "item": url}
            for number, (name, url) in enumerate(trail, start=1)]}

    def _ref(self, kind: str, id: str) -> dict[str, Any]:
        """A short node for a related actor: its type, name and page."""
        actor = self.site.library.get(kind, id)
        return {"@type": ACTOR_TYPES[actor.kind], "name": self.words.text(actor.name),
                "url": self._absolute(kind, actor.id)}

    def _publisher(self) -> dict[str, Any]:
        site = self.site.library.site
        return {"@type": "Organization", "name": self.words.text(site.author), "url": absolute(self.site.base_url, "")}

    def json_ld(self) -> Markup:
        graph = [node for node in (self._main_node(), self.breadcrumb_list()) if node]
        return json_ld_markup({"@context": "https://schema.org", "@graph": graph})

    def _main_node(self) -> dict[str, Any] | None:
        entry, kind = self._entry(), self.key.kind
        site = self.site.library.site
        common = {"name": self.page_title(), "description": self.description(), "url": self.canonical,
                  "image": self.share_image()["url"]}
        if entry is None:
            if kind == "home":
                return {"@type": "WebSite", **common, "inLanguage": self.lang, "publisher": self._publisher()}
            # (a section says little more than its breadcrumb: kept short, the timeline is large already)
            return {"@type": "CollectionPage" if kind in ENTRY_KINDS else "WebPage", "name": common["name"],
                    "url": common["url"], "inLanguage": self.lang}
        if kind == "event":
            node = {"@type": "Event", **common, "startDate": iso_date(entry.date), "inLanguage": self.lang,
}
            if entry.date.end is not None:
                node["endDate"] = iso_date(entry.date.end)
            if entry.themes:
                node["keywords"] = ", ".join(self.name_of("theme", t) for t in entry.themes)
            return node
        if kind == "actor":
            node = {"@type": ACTOR_TYPES[entry.kind], **common}
            if entry.parent and entry.kind != "state":
                node["parentOrganization" if entry.kind != "person" else "affiliation"] = self._ref("actor", entry.parent)
            if entry.country and entry.kind == "person":
                node["nationality"] = self._ref("actor", entry.country)
            return node
        if kind == "equipment":
            node = {"@type": "Product", **common, "category": self.words.category_label(entry.category)}
            if entry.manufacturers:
                node["manufacturer"] = [self._ref("actor", maker) for maker in entry.manufacturers]
            if entry.country:
                node["countryOfOrigin"] = {"@type": "Country", "name": self.name_of("actor", entry.country),
                                           "url": self._absolute("actor", entry.country)}
            return node
        if kind == "dataset":
            periods = [point.period for point in entry.points]
            node = {"@type": "Dataset", **common, "inLanguage": self.lang, "isAccessibleForFree": True,
                    "creator": self._publisher(), "license": self.words.text(site.licence),
                    "variableMeasured": self.words.text(entry.series_label),
                    "temporalCoverage": f"{iso_date(min(periods, key=FuzzyDate.sort_key))}/"
                                        f"{iso_date(max(periods, key=FuzzyDate.sort_key))}",
                    "distribution": [
                        {"@type": "DataDownload", "encodingFormat": "text/csv",
                         "contentUrl": absolute(self.site.base_url, dataset_csv_path(entry.id))},
                        {"@type": "DataDownload", "encodingFormat": "application/json",
                         "contentUrl": absolute(self.site.base_url, f"{FOLDER}/datasets.json")}]}
            return node
        if kind == "source":
            node = {"@type": SOURCE_TYPES[entry.kind], "name": entry.title, "inLanguage": entry.language,
                    "description": self.description(), "url": entry.url or self.canonical,
                    "mainEntityOfPage": self.canonical}
            if entry.authors:
                node["author"] = [{"@type": "Person", "name": name} for name in entry.authors]
            if entry.date:
                node["datePublished"] = iso_date(entry.date)
            if entry.publisher:
                node["publisher"] = {"@type": "Organization", "name": entry.publisher}
            if entry.container:
                node["isPartOf"] = {"@type": "CreativeWork", "name": entry.container}
            if entry.pages and node["@type"] in PAGINATED:
                node["pagination"] = entry.pages
            return node
        if kind == "theme":
            return {"@type": "CollectionPage", **common, "inLanguage": self.lang}
        return None


ACTOR_KIND_SINGULAR = {"state": N_("State"), "company": N_("Company"), "organisation": N_("Organisation"),
                       "person": N_("Person")}
