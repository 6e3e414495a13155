"""'Cite this page': a reference to an entry page, in the page's language.

Two common styles, APA-like (author-date) and Chicago-like (notes and
bibliography), plus a BibTeX `@misc` record. Each gives the author (the site's
author, or the site when they are the same), the entry's title, the site's
title, the page's own date (the day it was last revised, else first published:
the entry's `updated` or `added`; never the date of the event or document it is
about, and none is invented), the permanent (canonical) URL, and a "consulted on"
date left for the reader to fill in, since only they know when they read it.
A source document's own reference is in reference.py.

HTML comes out as Markup with every value escaped; BibTeX values are escaped
for TeX (`\\ { } $ & % # _ ^ ~`), so no title can break the record.
"""
from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Callable

from babel.dates import format_date
from markupsafe import Markup, escape

from ..core.dates import FuzzyDate
from .i18n import BABEL_LOCALES, N_
from ..core.typography import QUOTE_MARKS

# The reader fills in the date they consulted the page.
RETRIEVED = N_("Retrieved …, from {url}")  # APA-like
ACCESSED = N_("Accessed …")  # Chicago-like
LANGUAGE_NOTE = {"fr": N_("In French"), "en": N_("In English")}
LANGID = {"fr": "french", "en": "english"}

_TEX = {"\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "$": r"\$", "&": r"\&", "%": r"\%", "#": r"\#",
        "_": r"\_", "^": r"\textasciicircum{}", "~": r"\textasciitilde{}"}


@dataclass(frozen=True)
class Citation:
    apa: Markup
    chicago: Markup
    bibtex: str
    url: str


@dataclass(frozen=True)
class CitedPage:
    """What is cited: texts already in the page's language (typography applied)."""

    lang: str
    author: str
    title: str
    site_title: str
    date: FuzzyDate | None
    url: str
    key: str  # BibTeX key: slugs only
    raw_title: str  # as the editor wrote it, for BibTeX (no typographic characters)
    raw_author: str
    raw_site_title: str
    title_lang: str = ""  # the title's language, when it is not the page's (a source's title)
    description: str = ""  # what the page is, after the title in square brackets ("Bibliographic record")


def _title(page: CitedPage, tag: str) -> Markup:
    """The cited title, marked with its language when it differs from the page's (WCAG 3.1.2)."""
    lang = Markup(f' lang="{escape(page.title_lang)}"') if page.title_lang and page.title_lang != page.lang else Markup("")
    title = Markup(f"<{tag}{lang}>{escape(_no_final_dot(page.title))}</{tag}>") if tag else \
        escape(_no_final_dot(page.title))
    return title + (Markup(f" [{escape(page.description)}]") if page.description else Markup(""))


def cite(page: CitedPage, translate: Callable[[str], str], long_date: Callable[[FuzzyDate], str]) -> Citation:
    """`translate` gives interface strings in the page's language; `long_date` formats a date in it."""
    return Citation(_apa(page, translate, long_date), _chicago(page, translate, long_date), bibtex(page, translate), page.url)


def _apa(page: CitedPage, translate: Callable[[str], str], long_date: Callable[[FuzzyDate], str]) -> Markup:
    parts = [Markup(f"{escape(_no_final_dot(page.author))}.")]
    if page.date is not None:
        parts.append(Markup(f"({escape(apa_date(page.date, page.lang, long_date))})."))
    parts.append(_title(page, "cite") + Markup("."))
    if page.site_title != page.author:
        parts.append(Markup(f"{escape(_no_final_dot(page.site_title))}."))
    parts.append(_with_url(translate(RETRIEVED), page.url))
    return Markup(" ").join(parts)


def _chicago(page: CitedPage, translate: Callable[[str], str], long_date: Callable[[FuzzyDate], str]) -> Markup:
    opening, closing = QUOTE_MARKS[page.lang]
    title = _title(page, "span" if page.title_lang and page.title_lang != page.lang else "")
    # English puts the period inside the quotation marks; French after the guillemets.
    quoted = (Markup(f"{escape(opening)}{title}.{escape(closing)}") if page.lang == "en"
              else Markup(f"{escape(opening)}{title}{escape(closing)}."))
    parts = [] if page.site_title == page.author else [Markup(f"{escape(_no_final_dot(page.author))}.")]
    parts.append(quoted)
    site = Markup(f"<cite>{escape(page.site_title)}</cite>")
    parts.append(Markup(f"{escape(site)}, {escape(long_date(page.date))}.") if page.date is not None else site + ".")
    parts.append(Markup(f"{escape(translate(ACCESSED))}."))
    parts.append(Markup(f'<a href="{escape(page.url)}">{escape(page.url)}</a>.'))
    return Markup(" ").join(parts)


def _with_url(template: str, url: str) -> Markup:
    before, _, after = template.partition("{url}")
    return Markup(f'{escape(before)}<a href="{escape(url)}">{escape(url)}</a>{escape(after)}')


def _no_final_dot(text: str) -> str:
    return text[:-1] if text.endswith(".") else text


def apa_date(value: FuzzyDate, lang: str, long_date: Callable[[FuzzyDate], str]) -> str:
    """APA's year-first order, '2021, March 15'; ranges and approximate dates keep
    the site's own wording ('about 2008', '2011–2013')."""
    start = value.start
    if value.end is not None or start.approximate:
        return long_date(value)
    if start.precision == "year":
        return str(start.year)
    locale = BABEL_LOCALES[lang]
    day = datetime.date(start.year, start.month or 1, start.day or 1)
    if start.precision == "month":
        return f"{start.year}, {format_date(day, 'LLLL', locale=locale)}"
    return f"{start.year}, {format_date(day, 'MMMM d' if lang == 'en' else 'd MMMM', locale=locale)}"


# -- BibTeX ---------------------------------------------------------------------

def tex_escape(text: str) -> str:
    """Text safe inside a braced BibTeX value: TeX's special characters escaped,
    line breaks and other control characters made spaces."""
    return "".join(_TEX.get(c, " " if c < " " or c == "\x7f" else c) for c in text)


def bibtex_url(url: str) -> str:
    # biblatex reads url verbatim: percent-encode only what could unbalance the braces.
    return url.replace("\\", "%5C").replace("{", "%7B").replace("}", "%7D")


def bibtex_date_fields(date: FuzzyDate | None) -> list[tuple[str, str]]:
    """`year`, and `date` unless approximate: biblatex reads EDTF dates and ranges, not 'about'."""
    if date is None:
        return []
    return [("year", str(date.year))] + ([("date", str(date))] if "~" not in str(date) else [])


def bibtex(page: CitedPage, translate: Callable[[str], str]) -> str:
    fields: list[tuple[str, str]] = [
        ("author", "{" + tex_escape(page.raw_author) + "}"),  # braced: an organisation, not 'First Last'
        ("title", "{" + tex_escape(page.raw_title) + "}"),  # braced: keep the capitals as written
        *([("titleaddon", tex_escape(page.description))] if page.description else []),
        ("howpublished", tex_escape(page.raw_site_title)),
    ]
    fields += bibtex_date_fields(page.date)
    fields += [
        ("url", bibtex_url(page.url)),
        ("urldate", ""),  # the date you consulted the page: fill it in (YYYY-MM-DD)
        ("langid", LANGID[page.lang]),
        ("note", tex_escape(translate(LANGUAGE_NOTE[page.lang]))),
    ]
    width = max(len(name) for name, _ in fields)
    body = ",\n".join(f"  {name.ljust(width)} = {{{value}}}" for name, value in fields)
    return f"@misc{{{page.key},\n{body},\n}}"
