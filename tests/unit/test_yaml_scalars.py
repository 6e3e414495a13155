"""How a content file's values load (site_builder/content/yaml_source.py).

The rule: nothing changes meaning silently. Quoted and block values are always text;
plain values are null, true/false, whole numbers or decimals only when YAML 1.1 and 1.2
agree; dates and times stay the text the editor wrote; values the two YAML versions read
differently (yes/no, leading zeros, '_' separators) are refused with a hint, at the
value's line:column. Every value and key keeps its position for later messages.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from site_builder.content import yaml_source
from site_builder.content.yaml_source import load_file

DISPLAY = "content/actors/x.yaml"


def load(text: str | bytes):
    raw = text if isinstance(text, bytes) else text.encode("utf-8")
    source, problems = load_file(Path("x.yaml"), DISPLAY, raw)
    return source, [str(problem) for problem in problems]


def value(text: str):
    """The value of `v: <text>`, which must load without problems."""
    source, problems = load(f"v: {text}\n")
    assert not problems, problems
    return source.data["v"]


@pytest.mark.parametrize("written, loaded", [
    # Dates and times stay text: the date parser reads them at the precision written.
    ("2023-10-04", "2023-10-04"),
    ("2023-11", "2023-11"),
    ("2008~", "2008~"),
    ("2020-09/2020-11", "2020-09/2020-11"),
    ("2001-12-14t21:59:43.10-05:00", "2001-12-14t21:59:43.10-05:00"),
    ("12:30", "12:30"),            # YAML 1.1 would read 750 (base 60)
    # Null, booleans, numbers YAML versions agree on.
    ("", None), ("~", None), ("null", None), ("NULL", None),
    ("true", True), ("False", False), ("TRUE", True),
    ("0", 0), ("2023", 2023), ("-0", 0), ("+5", 5), ("-12", -12),
    ("1.5", 1.5), ("3.", 3.0), (".5", 0.5), ("1e3", 1000.0), ("1.2e9", 1.2e9), ("-2.5E-3", -0.0025),
    # Things that look special somewhere but are text here.
    (".inf", ".inf"), (".nan", ".nan"), ("1.2.3", "1.2.3"), ("p. 12", "p. 12"), ("1-40", "1-40"),
    ("Example Corp", "Example Corp"), ("l'Azerbaïdjan", "l'Azerbaïdjan"),
    # Quoted values are always text, whatever they look like.
    ("'no'", "no"), ('"yes"', "yes"), ("'010'", "010"), ('"2023"', "2023"), ("'true'", "true"), ("''", ""),
    ('"null"', "null"), ("'1_000'", "1_000"),
])
def test_plain_and_quoted_scalars(written, loaded):
    result = value(written)
    assert result == loaded and type(result) is type(loaded)


def test_block_scalars_are_text():
    source, problems = load("a: |\n  no\n  2023\nb: >-\n  yes\n  010\n")
    assert not problems
    assert source.data == {"a": "no\n2023\n", "b": "yes 010"}


@pytest.mark.parametrize("word", ["no", "yes", "on", "off", "y", "N", "Yes", "NO", "Off"])
def test_yaml11_booleans_are_refused_not_guessed(word):
    source, problems = load(f"name: {word}\n")
    assert problems == [f"{DISPLAY}:1:7: error: ambiguous value '{word}': YAML 1.1 reads it as a yes/no value "
                        f"(write \"{word}\" in quotes for text, or true/false)"]
    assert source.data == {"name": word}  # kept as written, so later checks do not pile up on a None


@pytest.mark.parametrize("written, message", [
    ("010", "ambiguous number '010': YAML 1.1 reads a leading 0 as octal "
            "(write it without the leading zero, or \"010\" in quotes for text)"),
    ("-007", "ambiguous number '-007': YAML 1.1 reads a leading 0 as octal"),
    ("1_000", "ambiguous number '1_000': YAML versions disagree on '_' in numbers (write the digits without separators)"),
    ("1_000.5", "ambiguous number '1_000.5': YAML versions disagree on '_' in numbers"),
])
def test_numbers_yaml_versions_read_differently_are_refused(written, message):
    source, problems = load(f"value: {written}\n")
    assert len(problems) == 1 and problems[0].startswith(f"{DISPLAY}:1:8: error: {message}")
    assert source.data == {"value": written}


@pytest.mark.parametrize("written", ["0x1F", "0o17", "0b101"])
def test_numbers_in_other_bases_are_refused(written):
    source, problems = load(f"value: {written}\n")
    assert len(problems) == 1 and problems[0].startswith(f"{DISPLAY}:1:8: error: ambiguous number '{written}'")


@pytest.mark.parametrize("written, base, decimal", [("0x1F", 16, " (31)"), ("0o17", 8, " (15)"), ("0b101", 2, " (5)"),
                                                     ("-0X1f", 16, " (-31)"), ("0b102", 2, "")])
def test_numbers_in_other_bases_get_a_hint_that_fits(written, base, decimal):
    """YAML 1.1 reads 0b and 0x, 1.2 reads 0o and 0x: refused, with the base they are in
    and the number in base 10 (not the octal hint, whose 'remove the leading zero' gives 'x1F')."""
    source, problems = load(f"value: {written}\n")
    assert problems == [f"{DISPLAY}:1:8: error: ambiguous number '{written}': YAML versions disagree on numbers "
                        f"in base {base} (write it in base 10{decimal}, or \"{written}\" in quotes for text)"]
    assert source.data == {"value": written}


def test_number_digits_limit():
    """Python refuses int() of over 4,300 digits with a traceback: the limit comes first, at MAX_DIGITS."""
    longest = "9" * yaml_source.MAX_DIGITS
    assert value(longest) == int(longest)
    source, problems = load(f"v: {longest}9\n")
    assert problems == [f"{DISPLAY}:1:4: error: number with {yaml_source.MAX_DIGITS + 1:,} digits is too large "
                        "(write it in quotes if it is text)"]
    assert source.data == {"v": None}
    assert value(f"'{longest}9'") == longest + "9"


def test_float_overflow_is_refused():
    source, problems = load("v: 1e400\n")
    assert problems == [f"{DISPLAY}:1:4: error: number '1e400' is too large (write it in quotes if it is text)"]


@pytest.mark.parametrize("written, text", [("!!str 5", "5"), ("!!str no", "no"), ("!!str 010", "010"),
                                           ("!!str 2023", "2023"), ("!!str", ""), ("&a !!str 1.5", "1.5"),
                                           ("!!str 'x'", "x")])
def test_explicit_str_tag_gives_text(written, text):
    source, problems = load(f"v: {written}\n")
    assert (source.data, problems) == ({"v": text}, [])


@pytest.mark.parametrize("written, loaded", [
    ("!!int 5", 5), ("!!int '5'", 5), ("!!float 1", 1.0), ("!!float 2.5", 2.5), ("!!bool true", True),
    ("!!null", None), ("!!null ~", None), ("!!map {a: 1}", {"a": 1}), ("!!seq [1]", [1]),
])
def test_tags_that_say_what_the_value_is_are_applied(written, loaded):
    """YAML's own tags for numbers, true/false and null read the text as a plain value would be (even
    quoted, as YAML says), which must then be of that type."""
    result = value(written)
    assert result == loaded and type(result) is type(loaded)


@pytest.mark.parametrize("written, message", [
    ("!!int abc", "value 'abc' is not a whole number, as its tag '!!int' says (correct the value, or remove the tag)"),
    ("!!int 1.5", "value '1.5' is not a whole number, as its tag '!!int' says"),
    ("!!bool 1", "value '1' is not true or false, as its tag '!!bool' says"),
    ("!!null x", "value 'x' is not empty (null), as its tag '!!null' says"),
    ("!!bool yes", "ambiguous value 'yes': YAML 1.1 reads it as a yes/no value"),  # one problem, the value's
    ("!!str {a: 1}", "YAML tag '!!str' cannot be on a mapping of fields (remove the tag)"),
    ("!!map [1]", "YAML tag '!!map' cannot be on a list (remove the tag)"),
    ("!!seq x", "YAML tag '!!seq' cannot be on a single value (remove the tag)"),
    # tags the builder does not apply are refused, never ignored
    ("!!timestamp 2023-10-04", "YAML tag '!!timestamp' is not allowed in content (remove the tag)"),
    ("!!binary aGk=", "YAML tag '!!binary' is not allowed in content (remove the tag)"),
    ("!!python/object/apply:os.system x", "YAML tag '!!python/object/apply:os.system' is not allowed in content"),
])
def test_tags_that_do_not_fit_are_refused(written, message):
    _, problems = load(f"v: {written}\n")
    assert len(problems) == 1 and problems[0].startswith(f"{DISPLAY}:1:4: error: {message}")


def test_tags_on_field_names():
    source, problems = load("!!str 5: x\n!!int 6: y\n'<<': z\n")
    assert source.data == {"5": "x", "<<": "z"}  # a quoted '<<' is a field name like any other
    assert problems == [f"{DISPLAY}:2:1: error: YAML tag '!!int' on a field name (remove the tag)"]


def test_custom_tags_and_merge_keys_are_refused():
    _, problems = load("a: !secret x\n<<: {b: 1}\n!!merge <<: {c: 1}\n")
    assert problems == [f"{DISPLAY}:1:4: error: YAML tag '!secret' is not allowed in content (remove the tag)",
                        f"{DISPLAY}:2:1: error: YAML merge keys ('<<') are not allowed in content (write the fields out)",
                        f"{DISPLAY}:3:1: error: YAML merge keys ('<<') are not allowed in content (write the fields out)"]


def test_duplicate_field_keeps_the_first_and_names_both_lines():
    source, problems = load("id: x\nname: First\nsummary:\n  fr: a\n  fr: b\nname: Second\n")
    assert problems == [
        f"{DISPLAY}:5:3: error: duplicate field 'fr', first defined on line 4 (keep one and delete the other)",
        f"{DISPLAY}:6:1: error: duplicate field 'name', first defined on line 2 (keep one and delete the other)",
    ]
    assert source.data == {"id": "x", "name": "First", "summary": {"fr": "a"}}


def test_field_names_must_be_plain_text():
    _, problems = load("? [a, b]\n: 1\n")
    assert problems == [f"{DISPLAY}:1:3: error: a field name must be plain text"]


def test_positions_of_values_and_keys():
    text = ("id: x\n"
            "name:\n"
            "  fr: Nom\n"
            "  en:   Name\n"
            "sources:\n"
            "  - one\n"
            "  -   two\n"
            "orders: [{buyer: b}]\n")
    source, problems = load(text)
    assert not problems
    located = {path: str(position) for path, position in source.values.items()}
    assert located == {
        (): f"{DISPLAY}:1:1", ("id",): f"{DISPLAY}:1:5",
        ("name",): f"{DISPLAY}:3:3", ("name", "fr"): f"{DISPLAY}:3:7", ("name", "en"): f"{DISPLAY}:4:9",
        ("sources",): f"{DISPLAY}:6:3", ("sources", 0): f"{DISPLAY}:6:5", ("sources", 1): f"{DISPLAY}:7:7",
        ("orders",): f"{DISPLAY}:8:9", ("orders", 0): f"{DISPLAY}:8:10", ("orders", 0, "buyer"): f"{DISPLAY}:8:18",
    }
    assert str(source.key_at(("name",))) == f"{DISPLAY}:2:1"
    assert str(source.key_at(("orders", 0, "buyer"))) == f"{DISPLAY}:8:11"
    # A path with no value of its own points at its nearest located ancestor.
    assert str(source.at(("name", "de"))) == f"{DISPLAY}:3:3"
    assert str(source.at(("nowhere", 3))) == f"{DISPLAY}:1:1"


def test_find_in_value_points_inside_a_folded_value():
    text = "id: x\nsummary:\n  fr: >-\n    Un drone de\n    [Example Corp](actor:exmple-corp).\n"
    source, problems = load(text)
    assert not problems
    assert str(source.find_in_value(("summary", "fr"), "(actor:exmple-corp")) == f"{DISPLAY}:5:19"
    # Not found (or nothing to find): the value's start.
    assert str(source.find_in_value(("summary", "fr"), "absent")) == f"{DISPLAY}:3:7"
    assert str(source.find_in_value(("summary", "fr"), "")) == f"{DISPLAY}:3:7"


@pytest.mark.parametrize("raw, position", [
    (b"id: x\r\nname: y\r\nbad: a: b\r\n", "3:7"),   # Windows line endings count as one break
    (b"id: x\rname: y\rbad: a: b\r", "3:7"),         # old Mac line endings too
    (b"\xef\xbb\xbfbad: a: b\n", "1:7"),            # a byte order mark is not a column
])
def test_positions_count_lines_as_editors_do(raw, position):
    _, problems = load(raw)
    assert len(problems) == 1 and problems[0].startswith(f"{DISPLAY}:{position}: error: YAML syntax error")


@pytest.mark.parametrize("text, expected", [
    ("", f"{DISPLAY}:1:1: error: file is empty (write the entry's fields)"),
    ("- a\n- b\n", f"{DISPLAY}:1:1: error: expected a mapping of fields at the top of the file (write 'field: value' lines)"),
    ("just text\n", f"{DISPLAY}:1:1: error: expected a mapping of fields at the top of the file (write 'field: value' lines)"),
    ("a: 1\n---\nb: 2\n", f"{DISPLAY}:3:1: error: file holds several YAML documents "
                          "(keep one entry per file; remove the '---' separator)"),
    ("a:\n\tb: 1\n", f"{DISPLAY}:2:1: error: tab used for indentation (indent with spaces)"),
    ("title: a: b\n", f"{DISPLAY}:1:9: error: YAML syntax error: mapping values are not allowed in this context "
                      "(a value containing ': ' must be put in quotes)"),
    ("a: &x 1\nb: *x\n", f"{DISPLAY}:2:4: error: YAML alias '*x' is not allowed in content (write the value out in full)"),
])
def test_file_level_problems(text, expected):
    _, problems = load(text)
    assert problems == [expected]


def test_a_file_with_only_comments_is_empty():
    _, problems = load("# to do\n")
    assert problems == [f"{DISPLAY}:1:1: error: file is empty (write the entry's fields)"]


def test_nesting_limit_is_exact(monkeypatch):
    """MAX_DEPTH levels below the top mapping load; one more is refused where it starts."""
    def nested(levels: int) -> str:
        return "".join(" " * (2 * i) + f"k{i}:\n" for i in range(levels)) + " " * (2 * levels) + "leaf: 1\n"
    source, problems = load(nested(yaml_source.MAX_DEPTH - 1))
    assert not problems
    _, problems = load(nested(yaml_source.MAX_DEPTH))
    line = yaml_source.MAX_DEPTH + 1
    assert problems == [f"{DISPLAY}:{line}:{2 * yaml_source.MAX_DEPTH + 7}: error: values nested more than "
                        f"{yaml_source.MAX_DEPTH} levels deep (flatten the structure)"]


def test_file_size_limit(monkeypatch):
    monkeypatch.setattr(yaml_source, "MAX_FILE_BYTES", 20)
    assert load("a: " + "x" * 17)[1] == []  # 20 bytes
    assert load("a: " + "x" * 18)[1] == [f"{DISPLAY}: error: file is 21 bytes, over the limit of 20 "
                                          "(split it into several entries)"]


def test_not_utf8_points_at_the_first_bad_character():
    _, problems = load("name: Azerbaïdjan\nbad: é".encode("utf-8") + b"\xff\n")
    assert problems == [f"{DISPLAY}:2:7: error: file is not valid UTF-8 (save it as UTF-8 in your editor)"]
