"""Limits on what a content file may hold, each with a clear error at the right place.

A file over the size limit, a prose field over the length limit, YAML nested
deeper than anyone writes by hand, YAML aliases ("billion laughs"), and
references between entries that point at each other. None of these may crash,
hang or exhaust memory: each is one editor-readable `file:line:col: error:` line.

Most cases run `check` in-process (fast); the ones that once crashed the
interpreter (libyaml's composer recurses in C) run the CLI in a subprocess, so
that a regression fails one test instead of killing the test run.
"""
from __future__ import annotations

import time
from pathlib import Path

import pytest

from site_builder.core.errors import ContentError
from site_builder.building.pipeline import check
from site_builder.content.yaml_source import MAX_DEPTH, MAX_FILE_BYTES, MAX_NODES, load_file

JANE = """\
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


def errors_of(site_copy: Path, monkeypatch) -> list[str]:
    """The error lines `check` reports for the copy (paths as the CLI prints them)."""
    monkeypatch.chdir(site_copy.parent)
    try:
        check(Path(site_copy.name))
    except ContentError as exc:
        return [str(p) for p in exc.problems if p.severity == "error"]
    return []


def load(tmp_path: Path, text: str | bytes) -> list[str]:
    path = tmp_path / "x.yaml"
    path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    _, problems = load_file(path, "x.yaml")
    return [str(p) for p in problems]


# --- file size ----------------------------------------------------------------

def test_file_over_the_size_limit(site_copy, write_file, monkeypatch):
    padding = "# " + "x" * 78 + "\n"
    text = JANE + padding * (MAX_FILE_BYTES // len(padding) + 1)
    write_file("actors/jane-example.yaml", text)
    size = len(text.encode())
    assert errors_of(site_copy, monkeypatch) == [
        f"content/actors/jane-example.yaml: error: file is {size:,} bytes, over the limit of {MAX_FILE_BYTES:,}"
        " (split it into several entries)"]


def test_file_just_under_the_size_limit_is_read(site_copy, write_file, monkeypatch):
    padding = "# " + "x" * 78 + "\n"
    text = JANE + padding * ((MAX_FILE_BYTES - len(JANE)) // len(padding))
    assert len(text.encode()) <= MAX_FILE_BYTES
    write_file("actors/jane-example.yaml", text)
    assert errors_of(site_copy, monkeypatch) == []


# --- prose and text length ------------------------------------------------------

def test_prose_over_the_length_limit_names_the_field(site_copy, write_file, monkeypatch):
    long_text = "Chercheuse. " * 8_400  # 100,800 characters, under the file size limit
    write_file("actors/jane-example.yaml", JANE.replace("Chercheuse à l'[Institut d'exemple](actor:example-institute).",
                                                        long_text.strip()))
    assert errors_of(site_copy, monkeypatch) == [
        "content/actors/jane-example.yaml:7:7: error: 'summary.fr' is longer than 100,000 characters "
        f"(it has {len(long_text.strip()):,}) (shorten it or split the entry)"]


def test_title_over_the_length_limit_names_the_field(site_copy, write_file, monkeypatch):
    write_file("actors/jane-example.yaml", JANE.replace("name: Jane Example", "name: " + "Jane " * 120))
    assert errors_of(site_copy, monkeypatch) == [
        "content/actors/jane-example.yaml:3:7: error: 'name' is longer than 500 characters (it has 599)"
        " (shorten it or split the entry)"]


# --- nesting --------------------------------------------------------------------

@pytest.mark.parametrize("value, column", [
    ("[" * 1000 + "]" * 1000, 10 + MAX_DEPTH),  # the first list nested too deep: the 17th
    ("{a: " * 1000 + "1" + "}" * 1000, 10 + 4 * MAX_DEPTH),
], ids=["lists", "mappings"])
def test_1000_levels_of_flow_nesting(value, column, site_copy, write_file, monkeypatch):
    write_file("actors/jane-example.yaml", JANE.replace("country: testland", "country: " + value))
    assert errors_of(site_copy, monkeypatch) == [
        f"content/actors/jane-example.yaml:4:{column}: error: values nested more than {MAX_DEPTH} levels deep"
        " (flatten the structure)"]


def test_1000_levels_of_block_nesting(tmp_path):
    text = "".join(" " * level + "a:\n" for level in range(1000)) + " " * 1000 + "b\n"
    assert load(tmp_path, text) == [
        f"x.yaml:{MAX_DEPTH + 2}:{MAX_DEPTH + 2}: error: values nested more than {MAX_DEPTH} levels deep"
        " (flatten the structure)"]


def test_1000_levels_of_block_sequences_on_one_line(tmp_path):
    assert load(tmp_path, "a:\n" + "- " * 1000 + "x\n") == [
        f"x.yaml:2:{1 + 2 * MAX_DEPTH}: error: values nested more than {MAX_DEPTH} levels deep"
        " (flatten the structure)"]


@pytest.mark.parametrize("text", [
    "a: " + "[" * 400_000 + "]" * 400_000 + "\n",  # once a segmentation fault (C recursion in the composer)
    "[" * 999_000 + "\n",  # unclosed: once 40 minutes in libyaml's scanner (quadratic in depth)
    "a:\n" + "- " * 450_000 + "x\n",
], ids=["closed-lists", "unclosed-lists", "block-sequences"])
def test_nesting_up_to_the_size_limit_neither_crashes_nor_hangs(text, site_copy, write_file, run_cli, tmp_path):
    write_file("actors/jane-example.yaml", text)
    started = time.perf_counter()
    result = run_cli("check", "--content", "content", cwd=tmp_path, timeout=60)
    assert time.perf_counter() - started < 20
    assert result.returncode == 1, result.stderr  # not a crash (negative: killed by a signal)
    assert "Traceback" not in result.stderr
    assert "content/actors/jane-example.yaml:" in result.stderr
    assert f"values nested more than {MAX_DEPTH} levels deep" in result.stderr


@pytest.mark.parametrize("levels", [MAX_DEPTH + 1, 150, 250, 5000])
def test_same_error_whether_the_file_is_scanned_first_or_not(levels, tmp_path):
    # few nesting characters: composed then checked; many: read event by event first
    assert load(tmp_path, "a: " + "[" * levels + "]" * levels + "\n") == [
        f"x.yaml:1:{4 + MAX_DEPTH}: error: values nested more than {MAX_DEPTH} levels deep (flatten the structure)"]


def test_nesting_at_the_limit_is_allowed(tmp_path):
    # the top mapping is depth 0: its values may hold MAX_DEPTH - 1 levels of lists
    inner = "[" * (MAX_DEPTH - 1) + "x" + "]" * (MAX_DEPTH - 1)
    assert load(tmp_path, f"a: {inner}\n") == []
    assert load(tmp_path, f"a: [{inner}]\n") == [
        f"x.yaml:1:{5 + MAX_DEPTH - 1}: error: values nested more than {MAX_DEPTH} levels deep (flatten the structure)"]


# --- size blow-ups ----------------------------------------------------------------

BILLION_LAUGHS = """\
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
"""


def test_billion_laughs_is_refused_at_each_alias(site_copy, write_file, monkeypatch):
    write_file("actors/jane-example.yaml", BILLION_LAUGHS)
    started = time.perf_counter()
    errors = errors_of(site_copy, monkeypatch)
    assert time.perf_counter() - started < 5
    assert len(errors) == 8 * 9
    assert errors[0] == ("content/actors/jane-example.yaml:2:8: error: YAML alias '*a' is not allowed in content"
                         " (write the value out in full)")
    assert errors[-1].startswith("content/actors/jane-example.yaml:9:32: error: YAML alias '*h'")


def test_merge_key_with_alias_is_refused(tmp_path):
    assert load(tmp_path, "base: &base {a: 1}\nother:\n  <<: *base\n") == [
        "x.yaml:3:7: error: YAML alias '*base' is not allowed in content (write the value out in full)"]


def test_merge_key_and_custom_tag_are_refused(tmp_path):
    assert load(tmp_path, "a:\n  <<: {b: 1}\nc: !secret x\n") == [
        "x.yaml:2:3: error: YAML merge keys ('<<') are not allowed in content (write the fields out)",
        "x.yaml:3:4: error: YAML tag '!secret' is not allowed in content (remove the tag)"]


def test_too_many_values(tmp_path):
    text = "a: [" + ",".join(["1"] * (MAX_NODES + 10)) + "]\n"
    started = time.perf_counter()
    errors = load(tmp_path, text)
    assert time.perf_counter() - started < 10
    assert errors == [f"x.yaml:1:{4 + 2 * (MAX_NODES - 2) + 1}: error: file has more than {MAX_NODES:,} values"
                      " (split it into several entries)"]


@pytest.mark.parametrize("text", [
    "a: [" + "1," * 499_000 + "]\n",  # half a million values
    "a: " + "9" * 999_000 + "\n",  # a number with a million digits
    "a: '" + "x" * 999_000 + "'\n",
    "a: " + "[]," * 333_000 + "\n",
], ids=["many-values", "huge-number", "huge-string", "many-empty-lists"])
def test_big_files_under_the_size_limit_are_quick(text, tmp_path):
    started = time.perf_counter()
    load(tmp_path, text)
    assert time.perf_counter() - started < 10


def test_huge_number_in_a_field_is_a_clear_error(site_copy, write_file, monkeypatch):
    text = JANE.replace("summary:", "themes: " + "9" * 5000 + "\nsummary:")
    write_file("actors/jane-example.yaml", text)
    errors = errors_of(site_copy, monkeypatch)
    assert errors == ["content/actors/jane-example.yaml:6:9: error: number with 5,000 digits is too large"
                      " (write it in quotes if it is text)"]


def test_huge_quantity_is_out_of_range_or_accepted_never_a_crash(site_copy, write_file, monkeypatch):
    path = site_copy / "equipment" / "example-missile.yaml"
    write_file("equipment/example-missile.yaml", path.read_text().replace("quantity: 4", "quantity: " + "9" * 4000))
    errors = errors_of(site_copy, monkeypatch)
    assert all(e.startswith("content/equipment/example-missile.yaml:") for e in errors)


# --- references between entries ------------------------------------------------------

def test_mutual_links_between_entries_are_fine(site_copy, write_file, monkeypatch):
    """A links to B and B links to A (and A to itself): no loop, no error."""
    write_file("actors/jane-example.yaml", JANE.replace(
        "Researcher at the [Example Institute](actor:example-institute).",
        "Researcher at the [Example Institute](actor:example-institute), see [Jane](actor:jane-example)."))
    institute = (site_copy / "actors" / "example-institute.yaml").read_text()
    write_file("actors/example-institute.yaml", institute.replace(
        "An institute that publishes", "The employer of [Jane](actor:jane-example), an institute that publishes"
    ))
    assert errors_of(site_copy, monkeypatch) == []


def test_parent_cycle_between_actors_is_not_a_loop(site_copy, write_file, monkeypatch):
    """jane-example's parent is example-institute; making the institute's parent jane-example closes a cycle."""
    institute = (site_copy / "actors" / "example-institute.yaml").read_text()
    write_file("actors/example-institute.yaml", institute.replace("country: testland", "country: testland\nparent: jane-example"))
    started = time.perf_counter()
    errors_of(site_copy, monkeypatch)  # accepted or refused with a position, but it must return
    assert time.perf_counter() - started < 5



def _with_aliases(site_copy: Path, write_file, **aliases: list[str]) -> None:
    for actor, former in aliases.items():
        path = site_copy / "actors" / f"{actor.replace('_', '-')}.yaml"
        write_file(f"actors/{path.name}", path.read_text().replace("\nkind:", f"\naliases: [{', '.join(former)}]\nkind:", 1))


def test_entries_claiming_each_other_as_former_ids_do_not_loop(site_copy, write_file, monkeypatch):
    """A says B is its former id and B says A is: both are live ids, so both aliases are
    refused, each where it is written; nothing follows the chain."""
    _with_aliases(site_copy, write_file, jane_example=["example-institute"], example_institute=["jane-example"])
    started = time.perf_counter()
    errors = errors_of(site_copy, monkeypatch)
    assert time.perf_counter() - started < 5
    assert errors == [
        "content/actors/example-institute.yaml:2:11: error: alias 'jane-example' is the id of another actor"
        " (defined at content/actors/jane-example.yaml:1:5) (a former id must not be in use: remove the alias,"
        " or rename the actor that uses it)",
        "content/actors/jane-example.yaml:2:11: error: alias 'example-institute' is the id of another actor"
        " (defined at content/actors/example-institute.yaml:1:5) (a former id must not be in use: remove the alias,"
        " or rename the actor that uses it)"]


def test_a_ring_of_former_ids_does_not_loop(site_copy, write_file, monkeypatch):
    """a -> b -> c -> a through former ids that are no entry's id: each former id leads to
    the one entry that lists it, in one step; a link written with any of them resolves."""
    _with_aliases(site_copy, write_file, jane_example=["old-a"], example_institute=["old-b"], testland=["old-c"])
    jane = (site_copy / "actors" / "jane-example.yaml").read_text()
    write_file("actors/jane-example.yaml", jane.replace("(actor:example-institute).", "(actor:old-b), [c](actor:old-c)."))
    monkeypatch.chdir(site_copy.parent)
    started = time.perf_counter()
    site, problems = check(Path(site_copy.name))
    assert time.perf_counter() - started < 5
    assert sorted({p.message for p in problems if p.severity == "warning"}) == [  # in fr and en
        "'old-b' is a former id of actor 'example-institute'", "'old-c' is a former id of actor 'testland'"]
    assert site.library.canonical("actor", "old-a") == "jane-example"


def test_a_former_id_claimed_twice_is_refused(site_copy, write_file, monkeypatch):
    _with_aliases(site_copy, write_file, jane_example=["old-name", "jane-example"], testland=["old-name"])
    errors = errors_of(site_copy, monkeypatch)
    assert errors == [
        "content/actors/jane-example.yaml:2:21: error: alias 'jane-example' is this entry's own id"
        " (remove it: aliases list former ids only)",
        "content/actors/testland.yaml:2:11: error: alias 'old-name' is also claimed by actor 'jane-example'"
        " (at content/actors/jane-example.yaml:2:11) (a former id can lead to one entry only:"
        " keep it on the entry that replaced the old one)"]

# --- characters editors do not see ------------------------------------------------------

@pytest.mark.parametrize("character", ["\x00", "\x07", "\x1b", "\x9b", "\ufffe"])
def test_raw_control_character_is_refused_at_its_place(character, tmp_path):
    code = f"U+{ord(character):04X}"
    assert load(tmp_path, f"id: x\nname: ab{character}c\n") == [
        f"x.yaml:2:9: error: invisible character {code} is not allowed in content"
        " (delete it; retype the text around it if your editor does not show it)"]


def test_escaped_control_character_is_refused_too(tmp_path):
    assert load(tmp_path, 'id: x\nname: "ab\\0c"\n') == [
        "x.yaml:2:7: error: invisible character U+0000 is not allowed in content (remove its escape from the quoted text)"]
    assert load(tmp_path, 'id: x\nname: "tab\\there, line\\nthere, \\u00e9"\n') == []


@pytest.mark.parametrize("character", ["\x85", "\u2028", "\u2029"])
def test_unicode_line_separator_is_refused_at_its_place(character, tmp_path):
    # YAML reads these as line breaks, editors do not: every later line number would be off.
    assert load(tmp_path, f"id: x\nname: ab{character}c\nkind: y\n") == [
        f"x.yaml:2:9: error: invisible line break U+{ord(character):04X} is not allowed in content"
        " (delete it; YAML reads it as a line break, most editors do not show it)"]


def test_old_mac_line_endings_give_the_editors_line_numbers(tmp_path):
    assert load(tmp_path, "id: x\rname: a\rkind: [\r") == [
        "x.yaml:4:1: error: YAML syntax error: did not find expected node content"]
    assert load(tmp_path, "id: x\r\nname: a\r\nkind: [\r\n") == [
        "x.yaml:4:1: error: YAML syntax error: did not find expected node content"]


def test_messages_quoting_content_stay_on_one_line(tmp_path):
    problems = load_file(_write(tmp_path, "id: x\n? \"a\\nb\\u202e\\r\"\n: 1\n"), "x.yaml")[1]
    assert problems == []
    from site_builder.core.errors import Position, Problem
    problem = Problem(Position("x.yaml", 2, 1), "unknown field 'a\nb\u202e\r\x1b'", "did you mean 'c\u2028'?")
    assert str(problem) == "x.yaml:2:1: error: unknown field 'a\\nb\\u202e\\r\\x1b' (did you mean 'c\\u2028'?)"


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "x.yaml"
    path.write_text(text, encoding="utf-8", newline="")
    return path


# --- numbers every locale can print --------------------------------------------------------

@pytest.mark.parametrize("relative, old, new, expected", [
    ("equipment/example-missile.yaml", "quantity: 4", "quantity: 1000000000000000000000000000000",
     "content/equipment/example-missile.yaml:12:15: error: 'orders[1].quantity' is out of range:"
     " input should be less than or equal to 1000000000000"),
    ("data/example-exports.yaml", "value: 120", "value: 1.0e+300",
     "content/data/example-exports.yaml:19:12: error: 'points[1].value' is out of range:"
     " input should be less than or equal to 1000000000000000"),
    ("actors/testland.yaml", "value: 27", "value: -1.0e+30",
     "content/actors/testland.yaml:16:12: error: 'figures[1].value' is out of range:"
     " input should be greater than or equal to -1000000000000000"),
], ids=["quantity", "dataset-value", "figure-value"])
def test_numbers_too_large_to_print_are_refused(relative, old, new, expected, site_copy, write_file, monkeypatch):
    write_file(relative, (site_copy / relative).read_text().replace(old, new))
    assert errors_of(site_copy, monkeypatch) == [expected]


def test_float_overflowing_to_infinity_is_refused(tmp_path):
    assert load(tmp_path, "value: 1e999\n") == [
        "x.yaml:1:8: error: number '1e999' is too large (write it in quotes if it is text)"]


def test_large_and_tiny_numbers_within_limits_render(site_copy, write_file, monkeypatch):
    from site_in_memory import render_site

    data = (site_copy / "data" / "example-exports.yaml").read_text()
    write_file("data/example-exports.yaml", data.replace("value: 120", "value: 1.0e+15").replace(
        "value: 340.5", "value: -1.0e+15").replace("value: 95", "value: 1.0e-300"))
    missile = (site_copy / "equipment" / "example-missile.yaml").read_text()
    write_file("equipment/example-missile.yaml", missile.replace("quantity: 4", "quantity: 1000000000000"))
    monkeypatch.chdir(site_copy.parent)
    site, _ = check(Path(site_copy.name))
    files = render_site(site, Path(__file__).parent.parent / "templates")
    page = files["en/data/example-exports/index.html"].decode()
    assert "1,000,000,000,000,000" in page and "inf" not in page.lower().replace("info", "")


# --- found by the property tests ------------------------------------------------------------

@pytest.mark.parametrize("notes, described", [("1", "the number 1"), ("text", "the text 'text'"),
                                               ("{a: 1}", "a mapping of fields"), ("true", "'true'")])
def test_note_file_whose_notes_are_not_a_list(notes, described, site_copy, write_file, monkeypatch):
    write_file("notes/example-report.yaml", f"document: example-report\nnotes: {notes}\n")
    errors = errors_of(site_copy, monkeypatch)  # and the notes cited elsewhere are unknown
    assert [e for e in errors if e.startswith("content/notes/")] == [
        f"content/notes/example-report.yaml:2:8: error: 'notes' should be a list ('- item' lines), not {described}"]


def test_syntax_error_at_the_end_of_a_file_without_final_newline_points_inside_it(tmp_path):
    assert load(tmp_path, "id: x\nname: y\nkind") == [
        "x.yaml:3:5: error: YAML syntax error: could not find expected ':'"
        " (check the indentation and that each field is written 'name: value')"]


def test_a_named_pipe_among_content_files_does_not_hang_the_build(site_copy, monkeypatch):
    import os

    os.mkfifo(site_copy / "actors" / "pipe.yaml")
    (site_copy / "actors" / "loop").symlink_to("..")  # a symlink loop is not followed either
    with_timeout = time.perf_counter()
    errors = errors_of(site_copy, monkeypatch)
    assert time.perf_counter() - with_timeout < 5
    assert errors == ["content/actors/pipe.yaml: error: not a regular file (content files are plain text files)"]


def test_a_dangling_symlink_is_reported_as_unreadable(site_copy, monkeypatch):
    (site_copy / "actors" / "gone.yaml").symlink_to("nowhere.yaml")
    [error] = errors_of(site_copy, monkeypatch)
    assert error.startswith("content/actors/") and error.endswith(": error: cannot read file: No such file or directory")


@pytest.mark.parametrize("data, position", [(b"id: x\r\xffname: y\n", "2:1"), (b"id: x\nname: \xc3\xa9\xff\n", "2:8"),
                                            (b"id: x\r\nname: \xe2\x80\n", "2:7")])
def test_invalid_utf8_position_counts_lines_and_characters_as_editors_do(data, position, tmp_path):
    assert load(tmp_path, data) == [f"x.yaml:{position}: error: file is not valid UTF-8 (save it as UTF-8 in your editor)"]
