"""Everything that depends on the reader's language: interface strings from
gettext catalogs, and dates, numbers, money and percentages formatted by Babel.

All functions take the language explicitly; nothing touches the process-wide
locale, so both languages can be rendered side by side.
"""
from __future__ import annotations

import gettext
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

from babel import Locale
from babel.dates import format_date as babel_format_date
from babel.dates import format_skeleton
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import (format_compact_decimal, format_currency, format_decimal,
                           format_percent, get_currency_symbol)

from ..core.dates import DatePoint, FuzzyDate
from ..core.kinds import N_ as N_  # re-exported: the marker for interface strings in code
from ..core.typography import NBSP, for_language

# English for dates means day-month-year ("4 October 2023"), as in en_GB.
BABEL_LOCALES = {"fr": Locale.parse("fr_FR"), "en": Locale.parse("en_GB")}
OTHER = {"fr": "en", "en": "fr"}  # the other language of each
CATALOG_DOMAIN = "messages"


def load_translations(locale_dir: Path, lang: str) -> gettext.NullTranslations:
    """Interface strings are written in English in the templates; French comes
    from the catalog, read straight from the .po file (no compiled .mo to commit)."""
    if lang == "en":
        return gettext.NullTranslations()
    po_path = locale_dir / lang / "LC_MESSAGES" / f"{CATALOG_DOMAIN}.po"
    with po_path.open("rb") as handle:
        catalog = read_po(handle, locale=lang)
    buffer = BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


def shared_unit(low: str, high: str) -> tuple[str, str]:
    """A range's two ends with their common unit written once, at the end: ("200
    millions de dollars", "300 millions de dollars") -> ("200", "300 millions de dollars");
    ("20 %", "30 %") -> ("20", "30 %"). The unit is what follows the last digit of each."""
    def split(text: str) -> tuple[str, str]:
        end = max((i for i, c in enumerate(text) if c.isdigit()), default=-1) + 1
        return text[:end], text[end:]
    (low_number, low_unit), (_, high_unit) = split(low), split(high)
    if low_number and low_unit and low_unit == high_unit:
        return low_number, high
    return low, high


@dataclass(frozen=True)
class Formatter:
    """Locale-aware formatting for one language, with its translations."""

    lang: str
    translations: gettext.NullTranslations

    @property
    def locale(self) -> Locale:
        return BABEL_LOCALES[self.lang]

    def _(self, message: str) -> str:
        return self.translations.gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self.translations.ngettext(singular, plural, n)

    # -- dates ---------------------------------------------------------------
    def date(self, value: FuzzyDate) -> str:
        if value.end is None:
            return self._point(value.start)
        start, end = value.start, value.end
        if start.precision == end.precision == "year":
            text = f"{start.year}–{end.year}"
        elif start.precision == end.precision and start.year == end.year:
            text = f"{self._point(start, with_year=False)} – {self._point(end)}"
        else:
            text = f"{self._point(start)} – {self._point(end)}"
        text = text.replace(" – ", NBSP + "– ") if self.lang == "fr" else text
        return text

    def _point(self, point: DatePoint, with_year: bool = True) -> str:
        if point.precision == "year":
            text = str(point.year)
        elif point.precision == "month":
            day = point.first_day()
            text = (format_skeleton("yMMMM", day, locale=self.locale) if with_year
                    else babel_format_date(day, "LLLL", locale=self.locale))
        else:
            day = point.first_day()
            text = (babel_format_date(day, "long", locale=self.locale) if with_year
                    else babel_format_date(day, "d MMMM", locale=self.locale))
            if self.lang == "fr" and point.day == 1:
                text = "1er" + text[1:]  # French writes the first of the month as an ordinal
        if point.approximate:
            text = self._("about {date}").format(date=text)
        return text

    @staticmethod
    def iso(value: FuzzyDate) -> str:
        """Machine-readable value for <time datetime>: the start, at its precision."""
        start = value.start
        text = f"{start.year:04d}"
        if start.month:
            text += f"-{start.month:02d}"
        if start.day:
            text += f"-{start.day:02d}"
        return text

    # -- numbers -------------------------------------------------------------
    def number(self, value: float) -> str:
        return format_decimal(value, locale=self.locale)

    def year(self, value: int) -> str:
        return str(value)  # years are never grouped: 2023, not 2 023

    def percent(self, value: float) -> str:
        return format_percent(value / 100, "#,##0.#%", locale=self.locale)

    def money(self, value: float, currency: str) -> str:
        if abs(value) < 1_000_000:
            return format_currency(value, currency, format="#,##0 ¤" if self.lang == "fr" else "¤#,##0",
                                   locale=self.locale, currency_digits=False)
        amount = format_compact_decimal(value, format_type="long", locale=self.locale, fraction_digits=1)
        if self.lang == "fr":
            word = {"USD": "dollars", "EUR": "euros"}.get(currency, currency)
            return f"{amount} de {word}"
        return f"{get_currency_symbol(currency, locale='en')}{amount}"

    def quantity(self, value: float, unit: str, maximum: float | None = None, approximate: bool = False,
                 more_than: bool = False) -> str:
        def one(v: float) -> str:
            if unit == "percent":
                return self.percent(v)
            if unit == "count":
                return self.number(v)
            return self.money(v, unit)

        text = one(value)
        if maximum is not None:
            low, high = shared_unit(one(value), one(maximum))
            text = self._("{low} to {high}").format(low=low, high=high)
        if approximate:
            text = self._("about {value}").format(value=text)
        if more_than:
            text = self._("more than {value}").format(value=text)
        return for_language(text, self.lang)
