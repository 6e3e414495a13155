"""Interface strings: every one is translated, and formatting follows each locale."""
from __future__ import annotations

import gettext
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from site_builder.core.dates import parse_date
from site_builder.render.i18n import Formatter

ROOT = Path(__file__).parent.parent
METHODS = [("site_builder/**.py", "python"), ("templates/**.html", "jinja2")]
OPTIONS = {"templates/**.html": {"extensions": "jinja2.ext.i18n", "trim_blocks": "true", "lstrip_blocks": "true"}}


def _extracted() -> set[str]:
    messages = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
            ROOT, METHODS, options_map=OPTIONS, keywords={"_": None, "N_": None, "gettext": None,
                                                         "ngettext": (1, 2)}):
        messages.add(message if isinstance(message, str) else message[0])
    return messages


def test_every_interface_string_is_translated_into_french():
    with (ROOT / "templates/locale/fr/LC_MESSAGES/messages.po").open("rb") as handle:
        catalog = read_po(handle, locale="fr")
    translated = {m.id if isinstance(m.id, str) else m.id[0]: m for m in catalog if m.id}
    untranslated = []
    for message in sorted(_extracted()):
        entry = translated.get(message)
        strings = [] if entry is None else ([entry.string] if isinstance(entry.string, str) else list(entry.string))
        if entry is None or entry.fuzzy or not all(strings):
            untranslated.append(message)
    assert not untranslated, "untranslated (run `make translations`, then translate in messages.po):\n" + "\n".join(untranslated)


@pytest.mark.parametrize("lang, text, expected", [
    ("fr", "2023-10-04", "4 octobre 2023"), ("en", "2023-10-04", "4 October 2023"),
    ("fr", "2023-10-01", "1er octobre 2023"), ("fr", "2023-11", "novembre 2023"), ("en", "2023-11", "November 2023"),
    ("fr", "2011", "2011"), ("fr", "2008~", "vers 2008"), ("en", "2008~", "about 2008"),
    ("en", "2011/2013", "2011–2013"), ("en", "2020-09-27/2020-11-10", "27 September – 10 November 2020"),
    ("fr", "2020-09/2020-11", "septembre\u00a0– novembre 2020"),
])
def test_dates_keep_precision_per_locale(lang, text, expected):
    french = {"about {date}": "vers {date}"}

    class Catalog(gettext.NullTranslations):
        def gettext(self, message):
            return french.get(message, message) if lang == "fr" else message

    assert Formatter(lang, Catalog()).date(parse_date(text)) == expected


@pytest.mark.parametrize("lang, value, unit, expected", [
    ("fr", 1.2e9, "USD", "1,2\u00a0milliard de dollars"), ("en", 1.2e9, "USD", "$1.2 billion"),
    ("fr", 27, "percent", "27\u202f%"), ("en", 27, "percent", "27%"),
    ("fr", 1000, "count", "1\u202f000"), ("en", 1000, "count", "1,000"),
])
def test_numbers_money_and_percentages_per_locale(lang, value, unit, expected):
    text = Formatter(lang, gettext.NullTranslations()).quantity(value, unit)
    assert text.replace("\u00a0", " ") == expected.replace("\u00a0", " ")


@pytest.mark.parametrize("lang, value, unit, expected", [
    ("fr", 1000, "count", "plus de 1\u202f000"), ("en", 1000, "count", "more than 1,000"),
    ("fr", 40, "percent", "plus de 40\u202f%"), ("en", 40, "percent", "more than 40%"),
])
def test_a_lower_bound_says_more_than(lang, value, unit, expected):
    # A note's « plus de 1 000 » is a lower bound: shown as such, not folded into the label.
    french = {"more than {value}": "plus de {value}"}

    class Catalog(gettext.NullTranslations):
        def gettext(self, message):
            return french.get(message, message) if lang == "fr" else message

    text = Formatter(lang, Catalog()).quantity(value, unit, more_than=True)
    assert text.replace("\u00a0", " ") == expected.replace("\u00a0", " ")
