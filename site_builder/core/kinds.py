"""The kinds of content and the site's languages: the one list every layer reads.

A kind is a folder of content files, a model (content/models.py, keyed by these
ids), and, for most kinds, a section of pages with its address in each language and
its place in the navigation. Adding a kind, or renaming a section, is one record
here; content/models.py then refuses to load until the kind has its model.

The order of `KINDS` is the site's order: the navigation, the list of sections, the
files read, the pages written, `site-builder new`'s choices.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Mapping, NamedTuple, get_args

# The languages of every page and every text, in the order they are written.
LANGUAGES: tuple[str, ...] = ("fr", "en")
# Their English names, for editor messages ("missing French text ('fr')"), which are English.
LANGUAGE_NAMES: Mapping[str, str] = {"fr": "French", "en": "English"}

KindId = Literal["event", "equipment", "actor", "source", "theme", "dataset", "note"]
PageKindId = Literal["event", "equipment", "actor", "source", "theme", "dataset"]


def N_(message: str) -> str:
    """Marks a string for extraction into the catalogs (`make translations`); translated where shown."""
    return message


@dataclass(frozen=True)
class Kind:
    """One kind of content. Labels are interface strings (gettext message ids in
    English), translated where shown; `sections` are part of published URLs, a contract
    with every reader who bookmarked or cited a page, so they live here and not in
    the translation catalogs, where a wording change could move pages."""

    id: KindId
    folder: str  # content/<folder>/
    singular: str  # "Event": an entry's kicker, a feed entry's category
    plural: str  # "Timeline events": a group of "What links here", a breadcrumb
    # Its section, for a kind with pages of its own (notes have none: they are printed
    # on the pages that cite them, and listed on the sources page).
    sections: Mapping[str, str] | None = None  # language -> the section's folder in URLs
    title: str = ""  # its section's title: index page heading, breadcrumbs, <title>
    nav: str = ""  # its label in the site's navigation
    search: str = ""  # its label among the search page's filters (Pagefind)
    description: str = ""  # its section's description (meta description, share card)

    @property
    def has_pages(self) -> bool:
        """Entries of this kind have pages, and prose links to them as [text](kind:id)."""
        return self.sections is not None


KINDS: tuple[Kind, ...] = (
    Kind("event", "timeline", N_("Event"), N_("Timeline events"), {"fr": "chronologie", "en": "timeline"},
         title=N_("Timeline"), nav=N_("Timeline"), search=N_("Events"),
         description=N_("Every dated event and arms order, year by year, with its sources.")),
    Kind("equipment", "equipment", N_("Equipment"), N_("Equipment"), {"fr": "equipements", "en": "equipment"},
         title=N_("Equipment"), nav=N_("Equipment"), search=N_("Equipment"),
         description=N_("The equipment, by category, with the orders of each item: buyer, quantity, years.")),
    Kind("actor", "actors", N_("Actor"), N_("Actors"), {"fr": "acteurs", "en": "actors"},
         title=N_("Actors"), nav=N_("Actors"), search=N_("Actors"),
         description=N_("The states, companies, organisations and people of the site, by kind.")),
    Kind("source", "sources", N_("Source"), N_("Sources"), {"fr": "sources", "en": "sources"},
         title=N_("Sources and notes"), nav=N_("Sources"), search=N_("Sources"),
         description=N_("The bibliography of the site and every footnote, with the document it comes from.")),
    Kind("theme", "themes", N_("Theme"), N_("Themes"), {"fr": "themes", "en": "themes"},
         title=N_("Themes"), nav=N_("Themes"), search=N_("Themes"),
         description=N_("The themes of the site, each with its events and entries.")),
    Kind("dataset", "data", N_("Dataset"), N_("Data"), {"fr": "donnees", "en": "data"},
         title=N_("Data"), nav=N_("Data"), search=N_("Datasets"),
         description=N_("The figures behind the charts, and every table of the site to download as CSV or JSON.")),
    # Notes are entries too (cited as [^id]), but one file holds a document's notes.
    Kind("note", "notes", N_("Note"), N_("Notes")),
)

KIND: Mapping[str, Kind] = {kind.id: kind for kind in KINDS}
KIND_IDS: tuple[KindId, ...] = tuple(kind.id for kind in KINDS)
# The kinds with pages, which prose links to by `kind:id`.
PAGE_KINDS: tuple[Kind, ...] = tuple(kind for kind in KINDS if kind.has_pages)
PAGE_KIND_IDS: tuple[str, ...] = tuple(kind.id for kind in PAGE_KINDS)


class NavItem(NamedTuple):
    page: str  # a kind with pages (its section), or one of the site's own pages
    label: str  # message id


# The site's main navigation: the sections, then two pages of the site's own.
NAVIGATION: tuple[NavItem, ...] = (*(NavItem(kind.id, kind.nav) for kind in PAGE_KINDS),
                                   NavItem("about", N_("About")), NavItem("search", N_("Search")))

# "What links here" groups a page's backlinks by kind, the entries most about one
# thing first (an event, an item, an actor, a dataset), the broadest last.
BACKLINK_ORDER: tuple[PageKindId, ...] = ("event", "equipment", "actor", "dataset", "theme", "source")

if set(get_args(KindId)) != set(KIND_IDS) or set(get_args(PageKindId)) != set(PAGE_KIND_IDS):
    raise ImportError("core/kinds.py: KindId and PageKindId must name exactly the kinds of KINDS")
if sorted(BACKLINK_ORDER) != sorted(PAGE_KIND_IDS):
    raise ImportError("core/kinds.py: BACKLINK_ORDER must order exactly the kinds with pages")

