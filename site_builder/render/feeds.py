"""An Atom feed per language (RFC 4287): the entries most recently added or revised.

Dates come from each entry's `added` and `updated` fields (YYYY-MM-DD), written by
the editors, not from git: many hosts build from a copy without history (a shallow
clone, an uploaded archive), where the date of the last commit would be the day of
the build, and a typo fix would count as a revision. An entry without either date is
not in the feed (it was published before dates were kept, or is not dated yet).

An entry's id is its page's permanent address, so a reader's feed client knows it
again after an edit; its `updated` is the revision day at midnight UTC (the fields
are days).
"""
from __future__ import annotations

from typing import Any
from xml.sax.saxutils import escape, quoteattr

from .i18n import N_
from ..core.kinds import LANGUAGES
from .renderer import Renderer
from .urls import ENTRY_KINDS, PageKey, absolute
from .views import PageView, SiteContext

FEED_FILE = "atom.xml"
FEED_SIZE = 100  # the most recent entries; older ones are on the site
FEED_TITLE = N_("%(site)s — latest additions and revisions")


def feed_path(lang: str) -> str:
    return f"{lang}/{FEED_FILE}"


def _timestamp(day: Any) -> str:
    point = day.start
    return f"{point.year:04d}-{point.month:02d}-{point.day:02d}T00:00:00Z"


def dated_entries(site: SiteContext) -> list[tuple[str, Any]]:
    """(kind, entry) of every dated entry, most recently revised first (then by kind and id)."""
    entries = [(kind, entry) for kind in ENTRY_KINDS for entry in site.library.all(kind)
               if entry.updated or entry.added]
    entries.sort(key=lambda item: (item[0], item[1].id))
    entries.sort(key=lambda item: (item[1].updated or item[1].added).sort_key(), reverse=True)
    return entries[:FEED_SIZE]


def atom_feed(renderer: Renderer, site: SiteContext, lang: str) -> bytes:
    fmt = renderer.formatters[lang]
    home = PageView(site, PageKey("home"), lang, fmt)
    settings = site.library.site
    assert settings is not None  # a site is rendered from valid settings only
    base = site.base_url
    entries = dated_entries(site)
    updated = _timestamp(entries[0][1].updated or entries[0][1].added) if entries else "1970-01-01T00:00:00Z"
    title = home.words._(FEED_TITLE) % {"site": home.words.text(settings.title)}
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="{lang}">',
        f"  <id>{escape(absolute(base, feed_path(lang)))}</id>",
        f"  <title>{escape(title)}</title>",
        f"  <subtitle>{escape(home.words.text(settings.tagline))}</subtitle>",
        f"  <updated>{updated}</updated>",
        f'  <link rel="self" type="application/atom+xml" href={quoteattr(absolute(base, feed_path(lang)))}/>',
        f'  <link rel="alternate" type="text/html" hreflang="{lang}" href={quoteattr(absolute(base, f"{lang}/"))}/>',
    ]
    lines += [f'  <link rel="alternate" type="application/atom+xml" hreflang="{other}" '
              f'href={quoteattr(absolute(base, feed_path(other)))}/>' for other in LANGUAGES if other != lang]
    lines += [f"  <author><name>{escape(home.words.text(settings.author))}</name>"
              f"<uri>{escape(absolute(base, ''))}</uri></author>",
              f"  <rights>{escape(home.words.text(settings.licence))}</rights>",
              "  <generator>site-builder</generator>",
              f"  <icon>{escape(absolute(base, 'assets/icon-192.png'))}</icon>"]
    for kind, entry in entries:
        page = PageView(site, PageKey(kind, entry.id), lang, fmt)
        url = page.canonical
        lines += [
            "  <entry>",
            f"    <id>{escape(url)}</id>",
            f"    <title>{escape(page.page_title())}</title>",
            f'    <link rel="alternate" type="text/html" href={quoteattr(url)}/>',
            f"    <updated>{_timestamp(entry.updated or entry.added)}</updated>",
        ]
        if entry.added:
            lines.append(f"    <published>{_timestamp(entry.added)}</published>")
        lines += [f"    <summary>{escape(page.description())}</summary>",
                  f"    <category term={quoteattr(kind)} label={quoteattr(page.words.kind_label(kind))}/>",
                  "  </entry>"]
    lines.append("</feed>")
    return ("\n".join(lines) + "\n").encode("utf-8")
