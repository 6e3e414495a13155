"""French typographic spacing, applied to French text at render time.

Editors type ordinary spaces; the site prints what French typography requires:
a no-break space inside « » and before ':', a narrow no-break space before
';', '!', '?' and '%'. Kept as pure functions on strings so they apply to
Markdown text tokens and to plain titles alike.
"""
from __future__ import annotations

import re
from functools import lru_cache

NBSP = "\u00a0"
NNBSP = "\u202f"

_BEFORE_COLON = re.compile(r"(?:(?<=\S)[ \u00a0\u202f]*|^[ \u00a0\u202f]+):(?=\s|$)")
# A run of '!' and '?' ("?!", "!!!") is one group: one space before it, none inside it
# (matched whole, so a second pass finds the same group and changes nothing).
_BEFORE_TIGHT = re.compile(r"(?:(?<=[^\s(\[])[ \u00a0\u202f]*|^[ \u00a0\u202f]+)([!?]+|;)(?=\s|$|[)»\"”])")
_BEFORE_PERCENT = re.compile(r"(?<=\d)[ \u00a0\u202f]*%")
_OPEN_GUILLEMET = re.compile(r"«[ \u00a0\u202f]*")
_CLOSE_GUILLEMET = re.compile(r"[ \u00a0\u202f]*»")


# Whitespace a line may break at. The no-break spaces (U+00A0, U+202F, and the figure
# space U+2007) are not in it: they are characters of the text, which str.split() drops.
_BREAKABLE_SPACE = re.compile(r"[^\S\u00a0\u2007\u202f]+")


def collapse_spaces(text: str) -> str:
    """Runs of breakable whitespace as one space, none at either end; no-break spaces kept."""
    return _BREAKABLE_SPACE.sub(" ", text).strip(" ")


def french_spacing(text: str) -> str:
    text = _OPEN_GUILLEMET.sub("«" + NBSP, text)
    text = _CLOSE_GUILLEMET.sub(NBSP + "»", text)
    text = _BEFORE_COLON.sub(NBSP + ":", text)
    text = _BEFORE_TIGHT.sub(lambda m: NNBSP + m.group(1), text)
    return _BEFORE_PERCENT.sub(NNBSP + "%", text)


_DOUBLE_QUOTED = re.compile(r'"([^"]+)"')
QUOTE_MARKS = {"fr": ("«" + NBSP, NBSP + "»"), "en": ("“", "”")}


def smart_quotes(text: str, lang: str) -> str:
    """Typographic apostrophes and quotation marks for plain text (titles, names).
    Markdown prose gets the same from markdown-it's typographer."""
    opening, closing = QUOTE_MARKS[lang]
    text = _DOUBLE_QUOTED.sub(lambda m: opening + m.group(1) + closing, text)
    return text.replace("'", "’")


@lru_cache(maxsize=16384)  # names and titles are printed on many pages: a few regexes each time
def for_language(text: str, lang: str) -> str:
    text = smart_quotes(text, lang)
    return french_spacing(text) if lang == "fr" else text
