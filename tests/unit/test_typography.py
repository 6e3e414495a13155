"""French typographic spacing and quotation marks (site_builder/core/typography.py).

The rules pinned here: a no-break space (U+00A0) inside « » and before ':', a narrow
no-break space (U+202F) before ';', '!', '?' and '%' (after a digit); spaces the editor
typed are replaced, not doubled; punctuation that is not French punctuation (a colon
inside a URL or a time, a '?' in a query string, '(?)') is left alone; English is
never spaced.
"""
from __future__ import annotations

import pytest

from site_builder.core.typography import NBSP, NNBSP, for_language, french_spacing, smart_quotes


@pytest.mark.parametrize("typed, printed", [
    # The editor's ordinary space becomes the right no-break space...
    ("Bonjour : le monde", f"Bonjour{NBSP}: le monde"),
    ("Pourquoi ?", f"Pourquoi{NNBSP}?"),
    ("Enfin !", f"Enfin{NNBSP}!"),
    ("d'abord ; ensuite", f"d'abord{NNBSP}; ensuite"),
    # ...and a missing one is added.
    ("Pourquoi?", f"Pourquoi{NNBSP}?"),
    ("Bilan: rien", f"Bilan{NBSP}: rien"),
    # Several spaces, or the wrong kind of no-break space, become exactly one right one.
    ("mot   : suite", f"mot{NBSP}: suite"),
    (f"mot{NNBSP}: suite", f"mot{NBSP}: suite"),
    (f"mot{NBSP}? suite", f"mot{NNBSP}? suite"),
    # Punctuation at the end of the text, before a line break or before a closing mark.
    ("Qui ?\nQuoi ?", f"Qui{NNBSP}?\nQuoi{NNBSP}?"),
    ("(voir : ici)", f"(voir{NBSP}: ici)"),
    ("Quoi ?)", f"Quoi{NNBSP}?)"),
    ("ok ?”", f"ok{NNBSP}?”"),
    ('Ah !"', f'Ah{NNBSP}!"'),
    # A token that starts with the punctuation (text right after a link or a note call).
    (" : la suite", f"{NBSP}: la suite"),
    (" ?", f"{NNBSP}?"),
])
def test_space_before_french_punctuation(typed, printed):
    assert french_spacing(typed) == printed


@pytest.mark.parametrize("typed, printed", [
    ("«Bonjour»", f"«{NBSP}Bonjour{NBSP}»"),
    ("« Bonjour »", f"«{NBSP}Bonjour{NBSP}»"),
    ("«   Bonjour   »", f"«{NBSP}Bonjour{NBSP}»"),
    ("Il dit : « Vraiment ? »", f"Il dit{NBSP}: «{NBSP}Vraiment{NNBSP}?{NBSP}»"),
    ("« Vraiment ?»", f"«{NBSP}Vraiment{NNBSP}?{NBSP}»"),
])
def test_guillemets_hold_their_text_with_no_break_spaces(typed, printed):
    assert french_spacing(typed) == printed


@pytest.mark.parametrize("typed, printed", [
    ("27 %", f"27{NNBSP}%"),
    ("27%", f"27{NNBSP}%"),
    ("1 000%", f"1 000{NNBSP}%"),
    ("a%", "a%"),  # not a percentage: nothing to hold together
])
def test_percent_after_a_number(typed, printed):
    assert french_spacing(typed) == printed


@pytest.mark.parametrize("text", [
    "https://example.org/a:b",       # a colon inside a URL
    "https://example.org/?q=1",      # a question mark inside a URL
    "mailto:redaction@example.org",
    "à 10:30",                       # a time
    "un ratio 3:2",
    "x?y",                           # no space after: not sentence punctuation
    "(?)",                           # an editor's doubt mark
    "[!]",
    "C'est \"bien\"",                # straight quotes are smart_quotes' job, not this one's
])
def test_punctuation_that_is_not_french_punctuation_is_left_alone(text):
    assert french_spacing(text) == text


@pytest.mark.parametrize("text", [
    "Bonjour : « le monde » ; vraiment ? Oui ! 50 %",
    "Quoi ?", "«x»", " : début", "(voir : ici)", "mot\u00a0: x", "https://a.b/?q=1 ; ensuite",
])
def test_spacing_is_idempotent(text):
    """Titles pass through it more than once (a page title, then the share card): no doubling."""
    once = french_spacing(text)
    assert french_spacing(once) == once


def test_only_the_space_before_the_punctuation_is_changed():
    assert french_spacing("Note :\tsuite") == f"Note{NBSP}:\tsuite"
    assert french_spacing("Note :  suite") == f"Note{NBSP}:  suite"


@pytest.mark.parametrize("typed", ["Quoi ?!", "Quoi !?", "Quoi?!", "Quoi\u00a0?!", "Quoi !!!"])
def test_doubled_punctuation_is_one_group(typed):
    """French writes '?!' as one group after one narrow no-break space: the line may not
    break before it, and no space goes between the two marks."""
    marks = typed.split("i")[-1].strip(" \u00a0")
    assert french_spacing(typed) == f"Quoi{NNBSP}{marks}"
    assert french_spacing(f"« {typed} »") == f"«{NBSP}Quoi{NNBSP}{marks}{NBSP}»"


@pytest.mark.parametrize("typed", ["Quoi?!", "Quoi ?!", "Quoi!?", "Non!!!", "Quoi ? !"])
def test_doubled_punctuation_spacing_is_idempotent(typed):
    once = french_spacing(typed)
    assert french_spacing(once) == once


@pytest.mark.parametrize("lang, typed, printed", [
    ("fr", 'Le "Patrie bleue"', f"Le «{NBSP}Patrie bleue{NBSP}»"),
    ("en", 'The "Blue Homeland"', "The “Blue Homeland”"),
    ("en", '"a" and "b"', "“a” and “b”"),
    ("fr", "l'accord", "l’accord"),
    ("en", "Israel's", "Israel’s"),
    ("fr", '"non fermé', '"non fermé'),  # an unpaired quote is left as typed, not guessed
])
def test_smart_quotes(lang, typed, printed):
    assert smart_quotes(typed, lang) == printed


def test_for_language_spaces_french_only():
    assert for_language('L\'accord "Est" : signé ?', "fr") == f"L’accord «{NBSP}Est{NBSP}»{NBSP}: signé{NNBSP}?"
    assert for_language('The "East" deal: signed?', "en") == "The “East” deal: signed?"
    assert for_language("50 % ; ok !", "en") == "50 % ; ok !"  # English text is never respaced


def test_collapse_spaces_keeps_no_break_spaces():
    from site_builder.core.typography import collapse_spaces
    assert collapse_spaces(f" Un\n\t«{NBSP}prix{NBSP}»{NBSP}:  cher{NNBSP}? \n") == f"Un «{NBSP}prix{NBSP}»{NBSP}: cher{NNBSP}?"
    assert collapse_spaces("a\u2003\u2009b") == "a b"  # other spaces a line may break at are ordinary spaces
