"""One test per editor mistake: copy the minimal site, break exactly one thing,
run `site-builder check`, and expect exit code 1, no traceback, and the exact
`file:line:col: error: message` line an editor needs to find and fix it.

Broken files are written whole below, starting at column 0, so the expected
line and column can be read off the text (line 1 is the line after the
opening `\"\"\"\\`).

The files broken are ones nothing else in the fixture refers to
(actors/jane-example, equipment/example-missile, timeline/2022-06-example-delivery),
so that one mistake gives exactly one error and no knock-on "unknown ..." errors.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

ERROR_LINE = re.compile(r"^\S+?(:\d+:\d+)?: error: ")


def error_lines(stderr: str) -> list[str]:
    return [line.rstrip() for line in stderr.splitlines() if ERROR_LINE.match(line)]


def check(run_cli, tmp_path: Path):
    return run_cli("check", "--content", "content", cwd=tmp_path)


def assert_reported(result, expected: str, *, alone: bool = True) -> None:
    """Exit 1, no traceback, `expected` printed as a whole line (and, if `alone`, as the only error)."""
    output = f"--- exit {result.returncode}\n--- stdout:\n{result.stdout}\n--- stderr:\n{result.stderr}"
    assert "Traceback" not in result.stderr, output
    assert "Traceback" not in result.stdout, output
    assert result.returncode == 1, output
    assert expected in result.stderr, output
    assert expected in [line.rstrip() for line in result.stderr.splitlines()], output
    if alone:
        assert error_lines(result.stderr) == [expected], output


# --- the valid site ----------------------------------------------------------

def test_minimal_fixture_loads_without_problems(minimal_site, monkeypatch):
    from site_builder.content.loading import load_content

    monkeypatch.chdir(minimal_site.parent)
    content, problems = load_content(Path(minimal_site.name))
    assert [str(p) for p in problems] == []
    assert {kind: len(entries) for kind, entries in content.entries.items()} == {
        "theme": 2, "event": 4, "equipment": 3, "actor": 4, "source": 2, "note": 3, "dataset": 1,
    }
    assert content.site is not None


def test_check_valid_site_exits_0(site_copy, run_cli, tmp_path):
    result = check(run_cli, tmp_path)
    assert "Traceback" not in result.stderr + result.stdout
    assert result.returncode == 0, result.stderr
    assert error_lines(result.stderr) == []


# --- YAML-level mistakes ------------------------------------------------------

JANE_SYNTAX = """\
id: jane-example
kind: person
name: Jane Example: researcher
country: testland
parent: example-institute
summary:
  fr: >-
    Chercheuse à l'[Institut d'exemple](actor:example-institute).
  en: >-
    Researcher at the [Example Institute](actor:example-institute).
sources: [example-report]
"""


def test_yaml_syntax_error(site_copy, write_file, run_cli, tmp_path):
    import yaml

    from site_builder.content.yaml_source import _Loader

    # The problem text is the YAML parser's own, and libyaml (CSafeLoader)
    # words it differently from pure-Python PyYAML; the position is the same.
    problem = ("mapping values are not allowed in this context" if _Loader is getattr(yaml, "CSafeLoader", None)
               else "mapping values are not allowed here")
    write_file("actors/jane-example.yaml", JANE_SYNTAX)
    assert_reported(check(run_cli, tmp_path),
                    f"content/actors/jane-example.yaml:3:19: error: YAML syntax error: {problem}"
                    " (a value containing ': ' must be put in quotes)")


MISSILE_DUPLICATE_KEY = """\
id: example-missile
name: Example Missile
category: missile
category: drone
manufacturers: [example-corp]
summary:
  fr: >-
    Un missile proposé par [Example Corp](actor:example-corp).
  en: >-
    A missile offered by [Example Corp](actor:example-corp).
orders:
  - buyer: testland
    quantity: 4
    ordered: 2023
    sources: [example-database]
themes: [trade]
sources: [example-report]
"""


def test_duplicate_key(site_copy, write_file, run_cli, tmp_path):
    write_file("equipment/example-missile.yaml", MISSILE_DUPLICATE_KEY)
    assert_reported(check(run_cli, tmp_path),
                    "content/equipment/example-missile.yaml:4:1: error: duplicate field 'category', first defined on line 3"
                    " (keep one and delete the other)")


JANE_LATIN1 = """\
id: jane-example
kind: person
name: Jane Example
country: testland
parent: example-institute
summary:
  fr: >-
    Chercheuse à l'[Institut d'exemple](actor:example-institute).
  en: >-
    Researcher at the [Example Institute](actor:example-institute).
sources: [example-report]
"""


def test_file_not_utf8(site_copy, write_file, run_cli, tmp_path):
    write_file("actors/jane-example.yaml", JANE_LATIN1.encode("latin-1"))
    # 'à' is the first non-ASCII byte: line 8, after 4 spaces and "Chercheuse ".
    assert_reported(check(run_cli, tmp_path),
                    "content/actors/jane-example.yaml:8:16: error: file is not valid UTF-8 (save it as UTF-8 in your editor)")


JANE_TAB = """\
id: jane-example
kind: person
name: Jane Example
country: testland
parent: example-institute
summary:
  fr: >-
    Chercheuse à l'[Institut d'exemple](actor:example-institute).
\ten: >-
    Researcher at the [Example Institute](actor:example-institute).
sources: [example-report]
"""


def test_tab_indentation(site_copy, write_file, run_cli, tmp_path):
    write_file("actors/jane-example.yaml", JANE_TAB)
    assert_reported(check(run_cli, tmp_path),
                    "content/actors/jane-example.yaml:9:1: error: tab used for indentation (indent with spaces)")


JANE_NAME = """\
id: jane-example
kind: person
name: <VALUE>
country: testland
parent: example-institute
summary:
  fr: >-
    Chercheuse à l'[Institut d'exemple](actor:example-institute).
  en: >-
    Researcher at the [Example Institute](actor:example-institute).
sources: [example-report]
"""


@pytest.mark.parametrize("word", ["no", "yes", "on", "off", "No", "YES"])
def test_unquoted_yaml11_boolean(word, site_copy, write_file, run_cli, tmp_path):
    write_file("actors/jane-example.yaml", JANE_NAME.replace("<VALUE>", word))
    assert_reported(check(run_cli, tmp_path),
                    f"content/actors/jane-example.yaml:3:7: error: ambiguous value '{word}': YAML 1.1 reads it as a yes/no value"
                    f" (write \"{word}\" in quotes for text, or true/false)")


MISSILE_QUANTITY = """\
id: example-missile
name: Example Missile
category: missile
manufacturers: [example-corp]
summary:
  fr: >-
    Un missile proposé par [Example Corp](actor:example-corp).
  en: >-
    A missile offered by [Example Corp](actor:example-corp).
orders:
  - buyer: testland
    quantity: <VALUE>
    ordered: 2023
    sources: [example-database]
themes: [trade]
sources: [example-report]
"""


def test_octal_looking_number(site_copy, write_file, run_cli, tmp_path):
    write_file("equipment/example-missile.yaml", MISSILE_QUANTITY.replace("<VALUE>", "010"))
    assert_reported(check(run_cli, tmp_path),
                    "content/equipment/example-missile.yaml:12:15: error: ambiguous number '010': YAML 1.1 reads a leading 0"
                    " as octal (write it without the leading zero, or \"010\" in quotes for text)")


JANE_ALIAS = """\
id: jane-example
kind: person
name: &who Jane Example
country: testland
parent: example-institute
summary:
  fr: *who
  en: >-
    Researcher at the [Example Institute](actor:example-institute).
sources: [example-report]
"""


def test_yaml_alias(site_copy, write_file, run_cli, tmp_path):
    write_file("actors/jane-example.yaml", JANE_ALIAS)
    assert_reported(check(run_cli, tmp_path),
                    "content/actors/jane-example.yaml:7:7: error: YAML alias '*who' is not allowed in content"
                    " (write the value out in full)")


# --- model-level mistakes -----------------------------------------------------

JANE_UNKNOWN_FIELD = """\
id: jane-example
kind: person
name: Jane Example
country: testland
parent: example-institute
summary:
  fr: >-
    Chercheuse à l'[Institut d'exemple](actor:example-institute).
  en: >-
    Researcher at the [Example Institute](actor:example-institute).
themse: [dynamics]
sources: [example-report]
"""


def test_unknown_field_with_did_you_mean(site_copy, write_file, run_cli, tmp_path):
    write_file("actors/jane-example.yaml", JANE_UNKNOWN_FIELD)
    assert_reported(check(run_cli, tmp_path),
                    "content/actors/jane-example.yaml:11:1: error: unknown field 'themse' (did you mean 'themes'?)")


def test_wrong_type_text_for_whole_number(site_copy, write_file, run_cli, tmp_path):
    write_file("equipment/example-missile.yaml", MISSILE_QUANTITY.replace("<VALUE>", "ten"))
    assert_reported(check(run_cli, tmp_path),
                    "content/equipment/example-missile.yaml:12:15: error: 'orders[1].quantity' should be a whole number,"
                    " not the text 'ten'")


DATASET_POINT = """\
id: example-exports
title:
  fr: Exportations d'exemple
  en: Example exports
description:
  fr: >-
    Exportations annuelles d'[Example Corp](actor:example-corp) vers le
    [Testland](actor:testland).
  en: >-
    Yearly exports of [Example Corp](actor:example-corp) to
    [Testland](actor:testland).
unit: USD
scale: million
series_label:
  fr: Exportations
  en: Exports
points:
  - period: 2020
    value: 120
  - period: 2021
    value: 340.5
  - period: 2022
    value: lots
themes: [trade]
sources: [example-database]
"""


def test_wrong_type_text_for_number(site_copy, write_file, run_cli, tmp_path):
    # Same wording as every other type error ("should be a number, not ..."),
    # not pydantic's "Input should be a valid number, unable to parse string as a number".
    write_file("data/example-exports.yaml", DATASET_POINT)
    assert_reported(check(run_cli, tmp_path),
                    "content/data/example-exports.yaml:23:12: error: 'points[3].value' should be a number, not the text 'lots'")


JANE_SUMMARY_EN_LIST = """\
id: jane-example
kind: person
name: Jane Example
country: testland
parent: example-institute
summary:
  fr: >-
    Chercheuse à l'[Institut d'exemple](actor:example-institute).
  en:
    - Researcher at the Example Institute.
sources: [example-report]
"""


def test_wrong_type_list_for_text(site_copy, write_file, run_cli, tmp_path):
    write_file("actors/jane-example.yaml", JANE_SUMMARY_EN_LIST)
    assert_reported(check(run_cli, tmp_path),
                    "content/actors/jane-example.yaml:10:5: error: 'summary.en' should be text, not a list")


def test_wrong_type_list_for_name(site_copy, write_file, run_cli, tmp_path):
    # A name is "text, or fr and en texts" (the wording loading.py uses for a
    # wrong mapping), not "fields (a mapping ...)".
    write_file("actors/jane-example.yaml", JANE_NAME.replace("<VALUE>", "[Jane, Example]"))
    assert_reported(check(run_cli, tmp_path),
                    "content/actors/jane-example.yaml:3:7: error: 'name' should be text, or fr and en texts, not a list")


JANE_MISSING_EN = """\
id: jane-example
kind: person
name: Jane Example
country: testland
parent: example-institute
summary:
  fr: >-
    Chercheuse à l'[Institut d'exemple](actor:example-institute).
sources: [example-report]
"""


def test_missing_en_in_prose(site_copy, write_file, run_cli, tmp_path):
    write_file("actors/jane-example.yaml", JANE_MISSING_EN)
    # Position: the 'summary:' key that lacks its English text (line 6).
    assert_reported(check(run_cli, tmp_path),
                    "content/actors/jane-example.yaml:6:1: error: missing English text ('en') in 'summary'"
                    " (every text is written in both fr and en)")


JANE_SUMMARY_FR = """\
id: jane-example
kind: person
name: Jane Example
country: testland
parent: example-institute
summary:
  fr: <VALUE>
  en: >-
    Researcher at the [Example Institute](actor:example-institute).
sources: [example-report]
"""


@pytest.mark.parametrize("value", ["''", '""', '"   "'])
def test_empty_fr_in_prose(value, site_copy, write_file, run_cli, tmp_path):
    write_file("actors/jane-example.yaml", JANE_SUMMARY_FR.replace("<VALUE>", value))
    assert_reported(check(run_cli, tmp_path),
                    "content/actors/jane-example.yaml:7:7: error: French text ('fr') of 'summary' is empty"
                    " (write the text; a missing translation is never filled in from the other language)")


DELIVERY_DATE = """\
id: 2022-06-example-delivery
date: <VALUE>
title:
  fr: Livraison d'exemple
  en: Example delivery
summary:
  fr: >-
    Les premiers [drones d'exemple](equipment:example-drone) arrivent au
    [Testland](actor:testland).
  en: >-
    The first [example drones](equipment:example-drone) reach
    [Testland](actor:testland).
themes: [trade]
actors: [testland]
equipment: [example-drone]
sources: [example-database]
"""

NOT_A_DATE = "is not a date: write YYYY, YYYY-MM or YYYY-MM-DD, with '~' after it if approximate"


@pytest.mark.parametrize("value, message", [
    ("June 2022", f"'June 2022' {NOT_A_DATE}"),
    ("2022-6", f"'2022-6' {NOT_A_DATE}"),
    ("2022-06-01T10:00", f"'2022-06-01T10:00' {NOT_A_DATE}"),
    ("2022-13", "'2022-13' has no month 13: months go from 01 to 12"),
    # A French-style date contains '/', so it must not be read as a range
    # and reported as "'15' is not a date".
    ("15/06/2022", "'15/06/2022' is not a date or a range: write YYYY, YYYY-MM or YYYY-MM-DD, "
                   "and a range as START/END, e.g. 2011/2013"),
], ids=["words", "one-digit-month", "time", "month-13", "french-style"])
def test_invalid_date_format(value, message, site_copy, write_file, run_cli, tmp_path):
    write_file("timeline/2022-06-example-delivery.yaml", DELIVERY_DATE.replace("<VALUE>", value))
    assert_reported(check(run_cli, tmp_path),
                    f"content/timeline/2022-06-example-delivery.yaml:2:7: error: {message}")


@pytest.mark.parametrize("value, message", [
    ("2023-02-30", "'2023-02-30' is impossible: February 2023 has 28 days"),
    ("2024-02-30", "'2024-02-30' is impossible: February 2024 has 29 days"),
    ("2022-06-31", "'2022-06-31' is impossible: June 2022 has 30 days"),
], ids=["2023-02-30", "2024-02-30", "2022-06-31"])
def test_impossible_date(value, message, site_copy, write_file, run_cli, tmp_path):
    write_file("timeline/2022-06-example-delivery.yaml", DELIVERY_DATE.replace("<VALUE>", value))
    assert_reported(check(run_cli, tmp_path),
                    f"content/timeline/2022-06-example-delivery.yaml:2:7: error: {message}")


JANE_ID = """\
id: <VALUE>
kind: person
name: Jane Example
country: testland
parent: example-institute
summary:
  fr: >-
    Chercheuse à l'[Institut d'exemple](actor:example-institute).
  en: >-
    Researcher at the [Example Institute](actor:example-institute).
sources: [example-report]
"""

INVALID_ID_HINT = "(use lowercase ASCII letters, digits and single hyphens, e.g. 'barak-mx')"
UNSAFE_IDS = ["../x", "/etc/passwd", "has space", "Upper"]


@pytest.mark.parametrize("bad_id", UNSAFE_IDS)
def test_unsafe_entry_id(bad_id, site_copy, write_file, run_cli, tmp_path):
    write_file("actors/jane-example.yaml", JANE_ID.replace("<VALUE>", bad_id))
    assert_reported(check(run_cli, tmp_path),
                    f"content/actors/jane-example.yaml:1:5: error: '{bad_id}' is not a valid id {INVALID_ID_HINT}")


NOTES_EXTRA = """\
document: example-report
notes:
  - id: example-report-1
    text:
      fr: Rapport d'exemple, chapitre 1.
      en: Example report, chapter 1.
    source: example-report
    locator: p. 3
  - id: example-report-2
    text:
      fr: Montant estimé par l'[Example Institute](actor:example-institute).
      en: Amount estimated by the [Example Institute](actor:example-institute).
    source: example-report
    locator: p. 12
  - id: example-report-3
    text:
      fr: Date approximative.
      en: Approximate date.
  - id: <VALUE>
    text:
      fr: Note ajoutée.
      en: Added note.
"""


@pytest.mark.parametrize("bad_id", UNSAFE_IDS)
def test_unsafe_note_id(bad_id, site_copy, write_file, run_cli, tmp_path):
    # Note ids have no file name to match, so the id pattern is their only guard.
    # The whole note file is refused, so its cited notes may also be reported
    # unknown elsewhere: only the presence of this line is asserted.
    write_file("notes/example-report.yaml", NOTES_EXTRA.replace("<VALUE>", bad_id))
    assert_reported(check(run_cli, tmp_path),
                    f"content/notes/example-report.yaml:19:9: error: '{bad_id}' is not a valid id {INVALID_ID_HINT}",
                    alone=False)


OTHER_NOTES = """\
document: example-database
notes:
  - id: example-report-2
    text:
      fr: Une autre note.
      en: Another note.
"""

DUPLICATE_NOTE_HINT = "(give each entry its own id)"


def test_duplicate_note_id_in_same_file(site_copy, write_file, run_cli, tmp_path):
    write_file("notes/example-report.yaml", NOTES_EXTRA.replace("<VALUE>", "example-report-2"))
    assert_reported(check(run_cli, tmp_path),
                    "content/notes/example-report.yaml:19:9: error: duplicate note id 'example-report-2'"
                    f" (first defined at content/notes/example-report.yaml:9:9) {DUPLICATE_NOTE_HINT}")


def test_duplicate_note_id_across_files(site_copy, write_file, run_cli, tmp_path):
    write_file("notes/other-notes.yaml", OTHER_NOTES)
    assert_reported(check(run_cli, tmp_path),
                    "content/notes/other-notes.yaml:3:9: error: duplicate note id 'example-report-2'"
                    f" (first defined at content/notes/example-report.yaml:9:9) {DUPLICATE_NOTE_HINT}")


def test_id_does_not_match_file_name(site_copy, write_file, run_cli, tmp_path):
    write_file("actors/jane-example.yaml", JANE_ID.replace("<VALUE>", "jane-sample"))
    assert_reported(check(run_cli, tmp_path),
                    "content/actors/jane-example.yaml:1:5: error: id 'jane-sample' does not match the file name"
                    " 'jane-example.yaml' (rename the file to 'jane-sample.yaml' or change the id; to rename a"
                    " published entry, change both and list the old id under 'aliases:')")


# --- references ---------------------------------------------------------------

DELIVERY_RELATIONS = """\
id: 2022-06-example-delivery
date: 2022-06
title:
  fr: Livraison d'exemple
  en: Example delivery
summary:
  fr: >-
    Les premiers [drones d'exemple](equipment:example-drone) arrivent au
    [Testland](actor:testland).
  en: >-
    The first [example drones](equipment:example-drone) reach
    [Testland](actor:testland).
themes: <THEMES>
actors: <ACTORS>
equipment: [example-drone]
sources: <SOURCES>
"""


def _delivery(themes="[trade]", actors="[testland]", sources="[example-database]") -> str:
    return (DELIVERY_RELATIONS.replace("<THEMES>", themes).replace("<ACTORS>", actors)
            .replace("<SOURCES>", sources))


DELIVERY_FILE = "content/timeline/2022-06-example-delivery.yaml"


@pytest.mark.parametrize("text, expected", [
    (_delivery(actors="[exampl-corp]"),
     f"{DELIVERY_FILE}:14:10: error: unknown actor 'exampl-corp' (did you mean 'example-corp'?)"),
    (_delivery(actors="[testland, nobody-at-all]"),
     f"{DELIVERY_FILE}:14:20: error: unknown actor 'nobody-at-all'"),
    (_delivery(actors="\n  - testland\n  - exampl-corp"),
     f"{DELIVERY_FILE}:16:5: error: unknown actor 'exampl-corp' (did you mean 'example-corp'?)"),
    (_delivery(themes="[trde]"),
     f"{DELIVERY_FILE}:13:10: error: unknown theme 'trde' (did you mean 'trade'?)"),
    (_delivery(sources="[example-databse]"),
     f"{DELIVERY_FILE}:16:11: error: unknown source 'example-databse' (did you mean 'example-database'?)"),
], ids=["flow-list", "no-close-id", "block-list", "theme", "source"])
def test_unknown_reference_in_relation_list(text, expected, site_copy, write_file, run_cli, tmp_path):
    write_file("timeline/2022-06-example-delivery.yaml", text)
    assert_reported(check(run_cli, tmp_path), expected)


def test_unknown_reference_in_single_relation(site_copy, write_file, run_cli, tmp_path):
    text = JANE_ID.replace("<VALUE>", "jane-example").replace("parent: example-institute", "parent: example-institut")
    write_file("actors/jane-example.yaml", text)
    assert_reported(check(run_cli, tmp_path),
                    "content/actors/jane-example.yaml:5:9: error: unknown actor 'example-institut'"
                    " (did you mean 'example-institute'?)")


def test_unknown_reference_nested_in_order(site_copy, write_file, run_cli, tmp_path):
    text = MISSILE_QUANTITY.replace("<VALUE>", "4").replace("buyer: testland", "buyer: testlnd")
    write_file("equipment/example-missile.yaml", text)
    assert_reported(check(run_cli, tmp_path),
                    "content/equipment/example-missile.yaml:11:12: error: unknown actor 'testlnd' (did you mean 'testland'?)")


DELIVERY_PROSE = """\
id: 2022-06-example-delivery
date: 2022-06
title:
  fr: Livraison d'exemple
  en: Example delivery
summary:
  fr: >-
    Les premiers [drones d'exemple](<FR_LINK>) arrivent au
    [Testland](actor:testland).
  en: >-
    The first [example drones](<EN_LINK>) reach
    [Testland](actor:testland)<EN_NOTE>.
themes: [trade]
actors: [testland]
equipment: [example-drone]
sources: [example-database]
"""


def _delivery_prose(fr_link="equipment:example-drone", en_link="equipment:example-drone", en_note="") -> str:
    return (DELIVERY_PROSE.replace("<FR_LINK>", fr_link).replace("<EN_LINK>", en_link)
            .replace("<EN_NOTE>", en_note))


@pytest.mark.parametrize("text, expected", [
    # Position: where the link target is written, '(' included, inside the folded text.
    (_delivery_prose(en_link="equipment:example-dron"),
     f"{DELIVERY_FILE}:11:31: error: unknown equipment 'example-dron' (did you mean 'example-drone'?)"),
    (_delivery_prose(fr_link="actor:example-corpp"),
     f"{DELIVERY_FILE}:8:36: error: unknown actor 'example-corpp' (did you mean 'example-corp'?)"),
    (_delivery_prose(fr_link="event:no-such-event"),
     f"{DELIVERY_FILE}:8:36: error: unknown event 'no-such-event'"),
], ids=["en-equipment", "fr-actor", "no-close-id"])
def test_unknown_entry_in_markdown_link(text, expected, site_copy, write_file, run_cli, tmp_path):
    write_file("timeline/2022-06-example-delivery.yaml", text)
    assert_reported(check(run_cli, tmp_path), expected)


def test_unknown_footnote(site_copy, write_file, run_cli, tmp_path):
    write_file("timeline/2022-06-example-delivery.yaml", _delivery_prose(en_note="[^nope]"))
    assert_reported(check(run_cli, tmp_path), f"{DELIVERY_FILE}:12:31: error: unknown note 'nope'")


def test_footnote_definition_in_prose(site_copy, write_file, run_cli, tmp_path):
    """Written as GitHub or Pandoc would, whatever its text: notes are entries of their own."""
    write_file("timeline/2022-06-example-delivery.yaml", _delivery_prose(
        en_note="[^example-report-1]\n\n    [^example-report-1]: A note written here, in several words"))
    assert_reported(check(run_cli, tmp_path),
                    f"{DELIVERY_FILE}:14:5: error: footnote definition '[^example-report-1]:' is not supported in prose "
                    "(define footnotes as notes in content/notes/ and cite them as [^note-id])")


def test_prose_heading_that_skips_a_level_is_a_warning(site_copy, write_file, run_cli, tmp_path):
    write_file("timeline/2022-06-example-delivery.yaml", _delivery_prose(en_note="\n\n    ## Context\n\n    #### Detail"))
    expected = (f"{DELIVERY_FILE}:16:5: warning: heading '#### Detail.' skips a level after '## Context' "
                "(write it '### ', or add a '### ' heading before it)")
    result = check(run_cli, tmp_path)
    assert result.returncode == 0 and expected in result.stderr.splitlines(), result.stderr
    strict = run_cli("check", "--strict", "--content", "content", cwd=tmp_path)
    assert strict.returncode == 1 and expected in strict.stderr.splitlines(), strict.stderr


# --- several mistakes, one run ------------------------------------------------

JANE_TWO_MISTAKES = """\
id: jane-example
kind: human
name: Jane Example
country: testland
parent: example-institute
summary:
  fr: >-
    Chercheuse à l'[Institut d'exemple](actor:example-institute).
  en: >-
    Researcher at the [Example Institute](actor:example-institute).
themse: [dynamics]
sources: [example-report]
"""

AGREEMENT_UNKNOWN_ACTOR = """\
id: 2008-example-agreement
date: 2008~
title:
  fr: Premier accord d'exemple
  en: First example agreement
summary:
  fr: >-
    Vers 2008, le [Testland](actor:testland) signe un premier accord avec
    l'[Example Institute](actor:example-institute)[^example-report-3].
  en: >-
    Around 2008, [Testland](actor:testland) signs a first agreement with the
    [Example Institute](actor:example-institute)[^example-report-3].
themes: [dynamics]
actors: [testlnd, example-institute]
sources: [example-report]
"""


def _assert_error_lines(result, expected: list[str]) -> None:
    output = f"--- exit {result.returncode}\n--- stderr:\n{result.stderr}"
    assert "Traceback" not in result.stderr + result.stdout, output
    assert result.returncode == 1, output
    assert error_lines(result.stderr) == expected, output


JANE_KIND_ERROR = ("content/actors/jane-example.yaml:2:7: error: 'human' is not a valid kind"
                   " (use one of: state, company, organisation, person)")
JANE_THEMSE_ERROR = "content/actors/jane-example.yaml:11:1: error: unknown field 'themse' (did you mean 'themes'?)"
MISSILE_OCTAL_ERROR = ("content/equipment/example-missile.yaml:12:15: error: ambiguous number '010': YAML 1.1 reads"
                       " a leading 0 as octal (write it without the leading zero, or \"010\" in quotes for text)")
DELIVERY_DATE_ERROR = (f"{DELIVERY_FILE}:2:7: error: '2023-02-30' is impossible: February 2023 has 28 days")
AGREEMENT_ACTOR_ERROR = ("content/timeline/2008-example-agreement.yaml:14:10: error: unknown actor 'testlnd'"
                         " (did you mean 'testland'?)")


def test_all_load_errors_of_all_files_reported_in_one_run_sorted(site_copy, write_file, run_cli, tmp_path):
    # Written in an order that differs from both the loading order (themes,
    # timeline, equipment, actors...) and the sorted order; YAML-level, model
    # and date mistakes; two mistakes in one file.
    write_file("timeline/2022-06-example-delivery.yaml", DELIVERY_DATE.replace("<VALUE>", "2023-02-30"))
    write_file("equipment/example-missile.yaml", MISSILE_QUANTITY.replace("<VALUE>", "010"))
    write_file("actors/jane-example.yaml", JANE_TWO_MISTAKES)
    _assert_error_lines(check(run_cli, tmp_path),
                        [JANE_KIND_ERROR, JANE_THEMSE_ERROR, MISSILE_OCTAL_ERROR, DELIVERY_DATE_ERROR])


def test_reference_errors_reported_in_the_same_run_as_load_errors(site_copy, write_file, run_cli, tmp_path):
    # The same three broken files plus an unknown reference in a file that
    # loads fine: the editor sees all five mistakes at once, not the reference
    # one only after fixing the others. (None of the broken files is referred
    # to, so no knock-on "unknown ..." error is expected.)
    write_file("timeline/2022-06-example-delivery.yaml", DELIVERY_DATE.replace("<VALUE>", "2023-02-30"))
    write_file("equipment/example-missile.yaml", MISSILE_QUANTITY.replace("<VALUE>", "010"))
    write_file("timeline/2008-example-agreement.yaml", AGREEMENT_UNKNOWN_ACTOR)
    write_file("actors/jane-example.yaml", JANE_TWO_MISTAKES)
    _assert_error_lines(check(run_cli, tmp_path),
                        [JANE_KIND_ERROR, JANE_THEMSE_ERROR, MISSILE_OCTAL_ERROR, AGREEMENT_ACTOR_ERROR,
                         DELIVERY_DATE_ERROR])


def test_reference_errors_of_several_files_reported_in_one_run_sorted(site_copy, write_file, run_cli, tmp_path):
    write_file("timeline/2022-06-example-delivery.yaml", _delivery_prose(en_note="[^nope]"))
    write_file("timeline/2008-example-agreement.yaml", AGREEMENT_UNKNOWN_ACTOR)
    write_file("actors/jane-example.yaml",
               JANE_ID.replace("<VALUE>", "jane-example").replace("parent: example-institute", "parent: example-institut"))
    _assert_error_lines(check(run_cli, tmp_path), [
        "content/actors/jane-example.yaml:5:9: error: unknown actor 'example-institut' (did you mean 'example-institute'?)",
        AGREEMENT_ACTOR_ERROR,
        f"{DELIVERY_FILE}:12:31: error: unknown note 'nope'",
    ])


# --- a failed build changes nothing -------------------------------------------

def _snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _tree(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) + ("/" if p.is_dir() else "") for p in folder.rglob("*"))


def test_failed_build_leaves_existing_build_untouched(site_copy, write_file, run_cli, tmp_path, templates_dir):
    def run_build():
        return run_cli("build", "--content", "content", "--out", "build", "--templates", templates_dir, cwd=tmp_path)

    first = run_build()
    assert "Traceback" not in first.stderr + first.stdout, first.stderr
    assert first.returncode == 0, first.stderr
    build = tmp_path / "build"
    before, tree_before = _snapshot(build), _tree(build)
    assert before, "the first build wrote no files"
    siblings_before = sorted(p.name for p in tmp_path.iterdir())

    write_file("actors/jane-example.yaml", JANE_UNKNOWN_FIELD)
    second = run_build()
    assert_reported(second, "content/actors/jane-example.yaml:11:1: error: unknown field 'themse' (did you mean 'themes'?)")
    assert _tree(build) == tree_before
    assert _snapshot(build) == before
    # No half-written build left next to it either.
    assert sorted(p.name for p in tmp_path.iterdir()) == siblings_before


FIGURE_EVENT = """\
id: 2021-04-example-training
date: 2021-04
title:
  fr: Formation d'exemple
  en: Example training
summary:
  fr: Le [Testland](actor:testland) annonce une formation[^example-report-1].
  en: "[Testland](actor:testland) announces a training programme[^example-report-1]."
figures:
  - label:
      fr: Personnes à former
      en: People to be trained
    value: 1000
    unit: count
    more_than: true
<QUALIFIER>
    sources: [example-report]
sources: [example-report]
"""


@pytest.mark.parametrize("qualifier", ["    approximate: true", "    max: 2000"])
def test_more_than_cannot_go_with_approximate_or_max(qualifier, site_copy, write_file, run_cli, tmp_path):
    # "more than about 1,000" or "more than 1,000 to 2,000" would say nothing clear.
    write_file("timeline/2021-04-example-training.yaml", FIGURE_EVENT.replace("<QUALIFIER>", qualifier))
    assert_reported(check(run_cli, tmp_path),
                    "content/timeline/2021-04-example-training.yaml:10:5: error: "
                    "'more_than' cannot be combined with 'approximate' or 'max'")


def test_more_than_alone_is_valid(site_copy, write_file, run_cli, tmp_path):
    write_file("timeline/2021-04-example-training.yaml", FIGURE_EVENT.replace("<QUALIFIER>\n", ""))
    result = check(run_cli, tmp_path)
    assert result.returncode == 0, result.stderr
