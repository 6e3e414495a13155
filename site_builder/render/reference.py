"""The reference of a source document itself, as a reader cites it in their own work.

A source page cites two things: the site's page about the document (citation.py:
the site as author, the page's own date) and, here, the document: its authors,
date, title, container, publisher, pages and address, in an APA-like and a
Chicago-like (bibliography) style and as a biblatex record. Interface words
("n.d.", "and") are in the page's language; the title stays in the language it was
published in and is marked with it (`lang`, WCAG 3.1.2) when that differs from the page's.

Names are written "First Last" in the content; the family name is taken to be the
last word ("Jean-Loup Samaan" -> "Samaan, J.-L."), which holds for every author the
site cites. A name that does not fit can be written "Last, First" and is kept as is.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

from markupsafe import Markup, escape

from .citation import Citation, apa_date, bibtex_date_fields, bibtex_url, tex_escape
from ..core.dates import FuzzyDate
from .i18n import N_
from ..core.typography import QUOTE_MARKS

NO_DATE = N_("n.d.")
AND = N_("and")
# Parts of a larger publication: their title is quoted (Chicago) or plain (APA), the container in italics.
PARTS = ("article", "chapter", "news")
BIBTEX_TYPES = {"article": "article", "news": "article", "report": "report", "book": "book", "chapter": "incollection",
                "database": "online", "web": "online"}
LANGIDS = {"fr": "french", "en": "english", "ru": "russian", "de": "german", "es": "spanish", "it": "italian",
           "he": "hebrew", "tr": "turkish", "ar": "arabic", "fa": "persian", "az": "azerbaijani"}


@dataclass(frozen=True)
class Document:
    """What a source entry says about its document, as written by the editor."""

    lang: str  # the page's language
    kind: str
    authors: tuple[str, ...]
    title: str
    language: str  # the document's own language
    container: str | None
    publisher: str | None
    date: FuzzyDate | None
    pages: str | None
    url: str | None
    key: str


def split_name(name: str) -> tuple[str, str]:
    """(family name, given names) of 'Given Family' or 'Family, Given'."""
    if "," in name:
        family, _, given = name.partition(",")
        return family.strip(), given.strip()
    given, _, family = name.strip().rpartition(" ")
    return family, given


def initials(given: str) -> str:
    """'Jean-Loup' -> 'J.-L.', 'Anne Marie' -> 'A. M.'"""
    words = [w for w in given.split() if w]
    return " ".join("-".join(f"{part[0]}." for part in word.split("-") if part) for word in words)


def _join(items: list[str], conjunction: str) -> str:
    if len(items) <= 1:
        return "".join(items)
    if len(items) == 2:
        return f"{items[0]} {conjunction} {items[1]}"
    return ", ".join(items[:-1]) + f", {conjunction} {items[-1]}"


def _title(doc: Document, italic: bool) -> Markup:
    tag = "cite" if italic else "span"
    lang = Markup(f' lang="{escape(doc.language)}"') if doc.language != doc.lang else Markup("")
    if not italic and not lang:
        return escape(_no_final_dot(doc.title))
    return Markup(f"<{tag}{lang}>{escape(_no_final_dot(doc.title))}</{tag}>")


def _no_final_dot(text: str) -> str:
    return text[:-1] if text.endswith(".") else text


def _sentence(text: Markup | str) -> Markup:
    """Text closed by a full stop, unless it already ends with punctuation."""
    text = escape(text)
    return text if re.search(r"[.?!…](</\w+>)?$", str(text)) else Markup(f"{text}.")


def _url(url: str | None) -> list[Markup]:
    return [Markup(f'<a href="{escape(url)}">{escape(url)}</a>')] if url else []


def reference(doc: Document, translate: Callable[[str], str], long_date: Callable[[FuzzyDate], str]) -> Citation:
    return Citation(apa(doc, translate, long_date), chicago(doc, translate, long_date), bibtex(doc), doc.url or "")


def apa(doc: Document, translate: Callable[[str], str], long_date: Callable[[FuzzyDate], str]) -> Markup:
    """Author, A. A., & Author, B. B. (Date). Title. *Container*, pages. Publisher. URL"""
    part = doc.kind in PARTS and doc.container
    names = [f"{family}, {initials(given)}" if given else family for family, given in map(split_name, doc.authors)]
    date = Markup(f"({escape(apa_date(doc.date, doc.lang, long_date) if doc.date else translate(NO_DATE))}).")
    title = _title(doc, italic=not part)
    if doc.container and not part:  # a report's series, a site's name: after the title, in parentheses
        title = Markup(f"{title} ({escape(doc.container)})")
    title = _sentence(title)
    if names:
        conjunction = "&" if doc.lang == "en" else translate(AND)
        authors = ", ".join(names[:-1]) + f", {conjunction} {names[-1]}" if len(names) > 1 else names[0]
        parts = [_sentence(authors), date, title]
    else:  # no author: the title takes the author's place
        parts = [title, date]
    if part:
        container = Markup(f"<cite>{escape(_no_final_dot(doc.container or ''))}</cite>")
        parts.append(Markup(f"{container}, {escape(doc.pages)}.") if doc.pages else container + Markup("."))
    if doc.publisher and doc.publisher != doc.container:
        parts.append(_sentence(doc.publisher))
    parts += _url(doc.url)
    return Markup(" ").join(parts)


def chicago(doc: Document, translate: Callable[[str], str], long_date: Callable[[FuzzyDate], str]) -> Markup:
    """Last, First, and First Last. "Title." *Container*, Date, pages. URL. (bibliography form)"""
    part = doc.kind in PARTS and doc.container
    parts: list[Markup] = []
    if doc.authors:
        family, given = split_name(doc.authors[0])
        names = [f"{family}, {given}" if given else family] + list(doc.authors[1:])
        # Chicago: "Frolov, Andreï, and Anastsia Tyniankina" (the comma before 'and' after the inverted name)
        parts.append(_sentence(f"{names[0]}, {translate(AND)} {names[1]}" if len(names) == 2 else _join(names, translate(AND))))
    date = long_date(doc.date) if doc.date else translate(NO_DATE)
    if part:
        opening, closing = QUOTE_MARKS[doc.lang]
        title = _title(doc, italic=False)
        # English puts the period inside the quotation marks; French after the guillemets.
        stop = "" if re.search(r"[.?!…]$", doc.title) else "."  # a title's own '?' ends it
        parts.append(Markup(f"{escape(opening)}{title}{stop}{escape(closing)}") if doc.lang == "en"
                     else Markup(f"{escape(opening)}{title}{escape(closing)}{stop}"))
        where = [Markup(f"<cite>{escape(_no_final_dot(doc.container or ''))}</cite>"), escape(date)]
        if doc.pages:
            where.append(escape(doc.pages))
        if doc.publisher and doc.publisher != doc.container:
            where.insert(1, escape(doc.publisher))
        parts.append(_sentence(Markup(", ").join(where)))
    else:
        parts.append(_sentence(_title(doc, italic=True)))
        if doc.container:
            parts.append(_sentence(doc.container))
        published = [escape(p) for p in (doc.publisher, date) if p]
        parts.append(_sentence(Markup(", ").join(published)))
    parts += [u + Markup(".") for u in _url(doc.url)]
    return Markup(" ").join(parts)


def _pages(pages: str) -> str:
    return re.sub(r"\s*[-–]\s*", "--", re.sub(r"^pp?\.\s*", "", pages.strip()))


def bibtex(doc: Document) -> str:
    """A biblatex record of the document (entry types and fields as in the biblatex manual)."""
    kind = BIBTEX_TYPES.get(doc.kind, "misc")
    fields: list[tuple[str, str]] = []
    if doc.authors:
        # "Family, Given"; a one-word name (an organisation) braced, so it is not split
        names = [f"{tex_escape(family)}, {tex_escape(given)}" if given else "{" + tex_escape(family) + "}"
                 for family, given in map(split_name, doc.authors)]
        fields.append(("author", " and ".join(names)))
    fields.append(("title", "{" + tex_escape(doc.title) + "}"))  # braced: keep the capitals as written
    container = tex_escape(doc.container) if doc.container else ""
    publisher = tex_escape(doc.publisher) if doc.publisher else ""
    if kind == "article" and container:
        fields.append(("journaltitle", container))
    elif kind == "incollection" and container:
        fields.append(("booktitle", container))
    elif kind == "report":
        fields.append(("type", container or "report"))
    elif container:
        fields.append(("howpublished" if kind == "misc" else "titleaddon", container))
    if publisher:
        fields.append(({"report": "institution", "online": "organization", "misc": "organization",
                        "article": "publisher"}.get(kind, "publisher"), publisher))
    fields += bibtex_date_fields(doc.date)
    if doc.pages:
        fields.append(("pages", tex_escape(_pages(doc.pages))))
    if doc.url:
        fields.append(("url", bibtex_url(doc.url)))
    if doc.language in LANGIDS:
        fields.append(("langid", LANGIDS[doc.language]))
    width = max(len(name) for name, _ in fields)
    body = ",\n".join(f"  {name.ljust(width)} = {{{value}}}" for name, value in fields)
    return f"@{kind}{{{doc.key},\n{body},\n}}"
