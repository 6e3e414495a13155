"""Property-based tests: random and mutated content never breaks the build.

Hypothesis starts from the minimal fixture's files and breaks them: characters
and lines deleted, inserted, replaced, duplicated or re-indented; values swapped
for other types, huge numbers, deep nesting, random Unicode (control characters,
NUL, bidirectional marks, anything but lone surrogates); invalid UTF-8 bytes; and
prose made of Markdown's sharp edges (brackets, `[^`, `](`, backticks, HTML,
entity references, every link syntax).

The property, for every example: loading, validation and reference resolution
(`pipeline.check`) either succeed, or raise `ContentError` whose problems each
name a content file and a line and column inside it (or the file as a whole) -
never another exception, never a hang. When the content passes, the site is
rendered too (`site_in_memory.render_site`) and must not raise either; hostile prose
must come out inert.

Runs in-process (a `check` takes ~15 ms, against ~400 ms for the CLI in a
subprocess). Examples are derandomized (the same on every run, so CI is stable)
and nothing is saved between runs; set HOSTILE_EXAMPLES=N for N times as many,
randomly chosen.
"""
from __future__ import annotations

import os
import re
import shutil
import signal
from contextlib import contextmanager
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, Phase, event, given, settings
from hypothesis.control import currently_in_test_context
from hypothesis import strategies as st

from site_builder.core.errors import ContentError
from site_builder.building.pipeline import check
from site_in_memory import render_site
from site_builder.content.yaml_source import load_file

TESTS = Path(__file__).parent
MINIMAL = TESTS / "fixtures" / "minimal"
TEMPLATES = TESTS.parent / "templates"
FIXTURE_FILES = sorted(p.relative_to(MINIMAL).as_posix() for p in MINIMAL.rglob("*.yaml"))

# HOSTILE_EXAMPLES=20 runs 20 times as many examples, with a random seed: a deeper search
# to run by hand now and then (CI keeps the fixed, quick default).
SCALE = int(os.environ.get("HOSTILE_EXAMPLES", "1"))
SETTINGS = dict(derandomize=SCALE == 1, database=None, deadline=5_000, print_blob=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
# Rendering takes a few hundred milliseconds: tests that render do not shrink a failing
# example (that could take minutes); the example is printed as found.
NO_SHRINK = dict(phases=(Phase.explicit, Phase.reuse, Phase.generate))
EXAMPLE_TIMEOUT = 30  # seconds; far above the slowest example, far below "hung"


class Hang(Exception):
    pass


@contextmanager
def time_limit(seconds: float):
    """Fail an example that runs longer than `seconds` (Hypothesis' deadline only
    measures examples that return)."""
    def alarm(signum, frame):
        raise Hang(f"example still running after {seconds} s")
    previous = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@pytest.fixture(scope="module")
def content(tmp_path_factory) -> Path:
    """One copy of the minimal site for the module; each example restores what it changed."""
    destination = tmp_path_factory.mktemp("hostile") / "content"
    shutil.copytree(MINIMAL, destination)
    return destination


@contextmanager
def replaced(content: Path, relative: str, data: bytes):
    path = content / relative
    original = path.read_bytes() if path.exists() else None
    path.write_bytes(data)
    try:
        yield path
    finally:
        if original is None:
            path.unlink()
        else:
            path.write_bytes(original)


def assert_builds_or_reports(content: Path, render: bool = False) -> list[str] | None:
    """Run check (and render when it passes); return the error lines, or None on success.
    Fails on any exception but ContentError, on a hang, and on a problem without a place."""
    with time_limit(EXAMPLE_TIMEOUT):
        try:
            site, _ = check(content)
        except ContentError as exc:
            note_outcome("content errors")
            for problem in exc.problems:
                assert_located(problem, content)
            return [str(p) for p in exc.problems]
        note_outcome("valid content")
        if render:
            files = render_site(site, TEMPLATES)
            assert_inert(files)
    return None


def note_outcome(outcome: str) -> None:
    """Count outcomes, shown by `pytest --hypothesis-show-statistics`."""
    if currently_in_test_context():
        event(outcome)


def assert_located(problem, content: Path) -> None:
    position = problem.position
    assert position.file, problem
    path = Path(position.file)
    # Named from the folder that holds the content (errors.display_path), whatever the working folder.
    path = path if path.is_absolute() else content.parent / path
    assert path == content or content in path.parents, problem
    if position.line:  # a file-level problem has no line; any other points inside the file
        assert path.is_file(), problem
        lines = re.split(rb"\r\n|\r|\n", path.read_bytes())  # as YAML and editors count lines
        assert 1 <= position.line <= len(lines), (problem, len(lines))
        try:
            width = len(lines[position.line - 1].decode("utf-8"))
        except UnicodeDecodeError:  # the file's own problem; columns count characters
            width = len(lines[position.line - 1])
        assert 1 <= position.column <= width + 1, (problem, width)
    else:
        assert position.column == 0, problem
    line = str(problem)
    assert problem.message and not re.search("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e]", line), line
    assert "Traceback" not in line and "object at 0x" not in line, line


# the only scripts are the site's own files, loaded by src: never inline script
# (and JSON-LD structured data, whose text can hold no '<': it cannot end its element early)
SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc=\"[^\"<>]*(assets/(v/)?[\w-]+(\.[0-9a-f]{10})?\.js|pagefind/[\w./-]+)\"|"
                    r" type=\"application/ld\+json\">[^<>]*</script>)", re.I)
HANDLER = re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.I)
BAD_URL = re.compile(r"""\b(href|src|action|formaction)\s*=\s*["']?\s*(javascript|vbscript|data):""", re.I)


def assert_inert(files: dict[str, bytes]) -> None:
    for path, data in files.items():
        if not path.endswith(".html"):
            continue
        html = data.decode("utf-8")
        assert not SCRIPT.search(html), path
        assert not HANDLER.search(html), path
        assert not BAD_URL.search(html), path
        assert not re.search(r"<(img|iframe|object|embed|svg(?! xmlns=\"http://www.w3.org/2000/svg\" class=\"(chart|qr-code|picture [a-z-]+)\"))\b",
                             html, re.I), path


# --- strategies ------------------------------------------------------------------

WEIRD = ["\x00", "\x01", "\x07", "\x08", "\x0b", "\x0c", "\x1b", "\x7f", "\x85", "\x9f", "\u00a0", "\u200b",
         "\u200e", "\u200f", "\u202a", "\u202e", "\u2066", "\u2069", "\u2028", "\u2029", "\ufeff", "\ufffd",
         "\ufffe", "\uffff", "\U0001f600", "\U0010ffff", "e\u0301", "\u0130", "\u05d0", "\u0627", "\t", "\r", "\r\n"]
YAML_BITS = [":", ": ", "-", "- ", "[", "]", "{", "}", ",", "#", " #", "&", "&a ", "*", "*a", "!", "!!str ", "!!int ",
             "!!python/object/apply:os.system ", "!custom ", "|", "|-\n", ">", ">-\n", "'", "''", '"', '\\"', "%",
             "@", "`", "?", "? ", "~", "\\", "\n", "\n  ", "  ", "    ", "---\n", "...\n", "%YAML 1.1\n",
             "<<: ", "<<: *a", "no", "yes", "on", "off", "Y", "010", "0x1F", "0o17", "1_000", "1e999", "-1e999",
             ".inf", ".nan", "1.5", "-0", "+1", "2023-02-30", "2023-13", "1799", "2023~/2021", "null", "true",
             "9" * 120, "9" * 5000, "[" * 40, "{a: " * 40, '"\\ud800"', '"\\x00"', '"\\u202e"', '"\\0"', "\x00"]
_random_text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=12)
snippets = st.one_of(
    st.sampled_from(YAML_BITS),
    st.sampled_from(WEIRD),
    st.lists(st.sampled_from(YAML_BITS + WEIRD + list("ab9 ")), max_size=6).map("".join),
    _random_text,
)


@st.composite
def mutated_file(draw) -> tuple[str, bytes]:
    """A fixture file with 1 to 6 character- or line-level mutations."""
    relative = draw(st.sampled_from(FIXTURE_FILES))
    text = (MINIMAL / relative).read_text(encoding="utf-8")
    for _ in range(draw(st.integers(1, 6))):
        operation = draw(st.sampled_from(["delete", "insert", "replace", "duplicate-line", "delete-line",
                                          "swap-lines", "indent", "dedent", "move-text"]))
        lines = text.split("\n")
        if operation in ("delete", "insert", "replace", "move-text"):
            start = draw(st.integers(0, len(text)))
            end = min(len(text), start + draw(st.integers(0, 12)))
            piece = draw(snippets)
            if operation == "delete":
                text = text[:start] + text[end:]
            elif operation == "insert":
                text = text[:start] + piece + text[start:]
            elif operation == "replace":
                text = text[:start] + piece + text[end:]
            else:
                moved, rest = text[start:end], text[:start] + text[end:]
                at = draw(st.integers(0, len(rest)))
                text = rest[:at] + moved + rest[at:]
            continue
        index = draw(st.integers(0, max(0, len(lines) - 1)))
        if operation == "duplicate-line":
            lines.insert(index, lines[index])
        elif operation == "delete-line":
            del lines[index]
        elif operation == "swap-lines":
            other = draw(st.integers(0, max(0, len(lines) - 1)))
            lines[index], lines[other] = lines[other], lines[index]
        elif operation == "indent":
            lines[index] = " " * draw(st.integers(1, 5)) + lines[index]
        else:
            lines[index] = lines[index][draw(st.integers(1, 4)):]
        text = "\n".join(lines)
    data = text.encode("utf-8")
    if draw(st.integers(0, 9)) == 0:  # now and then, bytes that are not UTF-8
        at = draw(st.integers(0, len(data)))
        data = data[:at] + draw(st.sampled_from([b"\xff", b"\xc3", b"\xe2\x80", b"\xed\xa0\x80", b"\xc0\xaf"])) + data[at:]
    return relative, data


def _nested(depth: int, leaf, mapping: bool):
    value = leaf
    for _ in range(depth):
        value = {"a": value} if mapping else [value]
    return value


hostile_text = st.one_of(
    _random_text,
    st.lists(st.sampled_from(WEIRD + list("<>&\"'`[]()^:ab ")), min_size=1, max_size=20).map("".join),
    st.sampled_from(["<script>alert(1)</script>", "</textarea><script>x</script>", "]]><x/>", "javascript:alert(1)",
                     "https://example.org/\"><script>", "=HYPERLINK(\"http://x\")", "+1", "-1", "@SUM(A1)",
                     " ", "", "x" * 600, "é" * 100_001, "actor:testland", "[^example-report-1]"]),
)
values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.integers(-(10 ** 40), 10 ** 40),
              st.floats(), hostile_text,
              st.builds(_nested, st.integers(1, 60), st.just("x"), st.booleans())),
    lambda children: st.one_of(st.lists(children, max_size=4),
                               st.dictionaries(st.one_of(hostile_text, st.sampled_from(["fr", "en", "id", "name"])),
                                               children, max_size=4)),
    max_leaves=12,
)


FIELD_NAMES = st.sampled_from(["aliases", "id", "body", "figures", "orders", "notes", "themes", "sources", "date",
                               "name", "title", "url", "parent", "country", "document", "link", "max", "points"])


def _paths(data, prefix=()):
    yield prefix
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _paths(value, prefix + (key,))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _paths(value, prefix + (index,))


def _set(data, path, value, delete=False):
    parent = data
    for part in path[:-1]:
        parent = parent[part]
    if delete:
        del parent[path[-1]]
    else:
        parent[path[-1]] = value


@st.composite
def swapped_file(draw) -> tuple[str, bytes]:
    """A fixture file with a few values replaced by values of other types, deleted, or added."""
    relative = draw(st.sampled_from(FIXTURE_FILES))
    source, problems = load_file(MINIMAL / relative, relative)
    assert not problems
    data = source.data
    for _ in range(draw(st.integers(1, 3))):
        paths = [p for p in _paths(data) if p]
        if not paths:
            break
        path = draw(st.sampled_from(paths))
        operation = draw(st.sampled_from(["replace", "replace", "replace", "delete", "add", "add"]))
        if operation == "delete":
            _set(data, path, None, delete=True)
        elif operation == "add" and isinstance(path[-1], str):
            _set(data, path[:-1] + (draw(st.one_of(FIELD_NAMES, hostile_text)),), draw(values))
        else:
            _set(data, path, draw(values))
    text = yaml.safe_dump(data, allow_unicode=draw(st.booleans()), sort_keys=False, width=draw(st.sampled_from([40, 80, 10 ** 6])))
    return relative, text.encode("utf-8")


# Markdown that should build (and come out inert), and Markdown the check refuses.
MARKDOWN = ["[", "]", "(", ")", "[^", "](", "`", "``", "```\n", "~~~\n", "<script>alert(1)</script>",
            "<script", "</textarea>", "</title>", "</style>", "<!--", "-->", "]]>", "<![CDATA[", "&amp;", "&#0;",
            "&#x0;", "&#xD800;", "&#1114112;", "&#x110000;", "&nbsp;", "&bogus;", "&", "<", ">", '"', "'", "\\",
            "*", "**", "_", "~", "#", "# ", "###### ", "> ", "- ", "* ", "1. ", "1) ", "\n", "\n\n", "    ",
            "|", "| a | b |\n|---|---|\n", "---", "===", "[^example-report-1]", "[^example-report-2]",
            "[^example-report-1", "[x](actor:testland)", "[x](https://example.org/\"onmouseover=\"x)",
            "[x](https://e.org 'title \"q\" <b>')", "<https://example.org>", "<javascript:alert(1)>",
            "<mailto:a@b.c>", "a@b.c", "https://example.org", "javascript:alert(1)", "[x][y]", "[x][]",
            "![img](https://e.org/x.png)", "[x](actor:testland \"t\")",
            "[](actor:testland)", "[x](event:2022-06-example-delivery)", "<div>", "<b onclick=alert(1)>",
            "<img src=x onerror=alert(1)>", "word", " ", "«", "»", ":", ";", "!", "?", "%", "\u202e", "\u2028",
            "\ufeff", "\r"]
MARKDOWN_REFUSED = ["[^nope]", "[^]", "[^ ]", "]: ", "[x](actor:nope)", "[x](kind:id)", "[x](javascript:alert(1))",
                    "[x](JaVaScRiPt:alert(1))", "[x]( javascript:alert(1))", "[x](<javascript:alert(1)>)",
                    "[x](java\tscript:alert(1))", "[x](&#106;avascript:alert(1))", "[x](javascript&colon;alert(1))",
                    "[x](data:text/html,<script>)", "[x](vbscript:x)", "[x]: https://e.org", "[^x]: note",
                    "[x](actor:)", "[x](:)", "[x](note:example-report-1)", "[x](#frag)", "[x](/path)", "[x](../x)",
                    "[x]()", "![x](javascript:alert(1))", "\x00"]
_words = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=8)  # control characters: see above


@st.composite
def prose(draw) -> str:
    """Markdown from sharp pieces; one in three also holds a piece the check refuses."""
    pieces = draw(st.lists(st.one_of(st.sampled_from(MARKDOWN), st.sampled_from(MARKDOWN), _words), min_size=1, max_size=16))
    if draw(st.integers(0, 2)) == 0:
        pieces.insert(draw(st.integers(0, len(pieces))), draw(st.sampled_from(MARKDOWN_REFUSED)))
    return "".join(pieces)


JANE = "actors/jane-example.yaml"
NOTES = "notes/example-report.yaml"


# --- properties ---------------------------------------------------------------------

@settings(max_examples=90 * SCALE, **SETTINGS)
@given(mutated_file())
def test_mutated_files_build_or_report_located_errors(content, mutation):
    relative, data = mutation
    with replaced(content, relative, data):
        assert_builds_or_reports(content)


@settings(max_examples=60 * SCALE, **SETTINGS)
@given(swapped_file())
def test_values_of_other_types_build_or_report_located_errors(content, mutation):
    relative, data = mutation
    with replaced(content, relative, data):
        assert_builds_or_reports(content)


@settings(max_examples=20 * SCALE, **SETTINGS)
@given(st.lists(swapped_file(), min_size=2, max_size=4))
def test_several_broken_files_at_once(content, mutations):
    originals = {relative: (content / relative).read_bytes() for relative, _ in mutations}
    try:
        for relative, data in mutations:
            (content / relative).write_bytes(data)
        assert_builds_or_reports(content)
    finally:
        for relative, data in originals.items():
            (content / relative).write_bytes(data)


@settings(max_examples=40 * SCALE, **SETTINGS, **NO_SHRINK)
@given(fr=prose(), en=prose(), note=prose())
def test_hostile_prose_builds_inert_or_reports_located_errors(content, fr, en, note):
    jane = load_file(MINIMAL / JANE, JANE)[0].data
    jane["summary"] = {"fr": fr, "en": en + " [^example-report-1]"}
    notes = load_file(MINIMAL / NOTES, NOTES)[0].data
    notes["notes"][2]["text"]["fr"] = note
    with replaced(content, JANE, yaml.safe_dump(jane, allow_unicode=True, sort_keys=False).encode()), \
            replaced(content, NOTES, yaml.safe_dump(notes, allow_unicode=True, sort_keys=False).encode()):
        assert_builds_or_reports(content, render=True)


@settings(max_examples=12 * SCALE, **SETTINGS, **NO_SHRINK)
@given(title=hostile_text.filter(lambda t: t.strip() and len(t) <= 500), url_tail=hostile_text)
def test_hostile_titles_and_urls_render_inert(content, title, url_tail):
    source = load_file(MINIMAL / "sources/example-database.yaml", "x")[0].data
    source["title"] = title
    source["url"] = "https://example.org/" + url_tail
    event = load_file(MINIMAL / "timeline/2022-06-example-delivery.yaml", "x")[0].data
    event["title"] = {"fr": title, "en": title}
    with replaced(content, "sources/example-database.yaml", yaml.safe_dump(source, allow_unicode=True).encode()), \
            replaced(content, "timeline/2022-06-example-delivery.yaml", yaml.safe_dump(event, allow_unicode=True).encode()):
        assert_builds_or_reports(content, render=True)


def test_the_unchanged_fixture_renders(content):
    """The property tests start from a valid site: make sure it is one."""
    assert assert_builds_or_reports(content, render=True) is None
