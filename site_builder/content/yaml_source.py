"""YAML files to plain Python data, with the position of every value kept.

PyYAML composes the node tree (positions included); we construct the values
ourselves instead of letting PyYAML's YAML 1.1 resolver do it, so that nothing
changes meaning silently: `no` is not `False`, `010` is not 8, `2023-10-04` stays
the text the editor wrote. Values that YAML 1.1 and 1.2 read differently are
refused with a hint, because editors' tools disagree on them. A tag the editor
writes is applied (`!!str 5` is text) or refused, never ignored.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..core.errors import Position, Problem

# The C composer is several times faster; both give the same nodes. (CSafeLoader
# exists only where PyYAML was built with libyaml.)
_Loader: type[yaml.SafeLoader] | type[yaml.CSafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_YAML = "tag:yaml.org,2002:"
# The tag of every node written without one. PyYAML's composer asks the loader's
# resolver for the tag of an untagged node only (both composers), and its YAML 1.1
# resolver would give "5" the same int tag as "!!str 5" would give str: the builder
# could not tell a tag the editor wrote from a guess. It decides what an untagged
# value means itself (`_Builder._plain`); a written tag is then always the editor's.
_UNTAGGED = "?"  # YAML's own name for the tag of a plain value not yet resolved


class _Composer(_Loader):  # type: ignore[misc,valid-type]  # (the base is chosen at import)
    def resolve(self, kind: type[yaml.Node], value: Any, implicit: Any) -> str:
        return _UNTAGGED

MAX_FILE_BYTES = 1_000_000
MAX_DEPTH = 16
MAX_NODES = 50_000
MAX_DIGITS = 100  # a whole number longer than this is refused (Python refuses int() over 4,300 digits)
# libyaml's composer recurses in C (a few tens of thousands of levels crash the
# interpreter) and its scanner slows down quadratically with nesting depth. A file
# that could nest deeper than this, or hold more than MAX_NODES values (one value
# takes half a character at least), is first read event by event (`_scan`), which
# stops soon after a value nested too deep or too many values, before anything
# is composed: composing a million values takes seconds and hundreds of megabytes.
_COMPOSE_SAFE_DEPTH = 200
_NESTING_CHARACTERS = "[{-?:"  # every level of nesting needs one of these

Path_ = tuple[str | int, ...]  # a path into the data: keys and list indexes

_NULL = re.compile(r"^(~|null|Null|NULL|)$")
_TRUE = re.compile(r"^(true|True|TRUE)$")
_FALSE = re.compile(r"^(false|False|FALSE)$")
_YAML11_BOOL = re.compile(r"^(y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF)$")
_INT = re.compile(r"^[-+]?(0|[1-9][0-9]*)$")
# What YAML allows in a file (1.1 and 1.2 agree): anything else is refused by the parser.
_NOT_PRINTABLE = re.compile("[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
# Line breaks as YAML counts them; it also breaks lines at these three, which editors do not show.
_LINE_BREAK = re.compile("\r\n|\r|\n")
_YAML_ONLY_BREAK = re.compile("[\x85\u2028\u2029]")
_DIGITS = re.compile(r"^[-+]?[0-9]+$")
_OCTAL_LOOKING = re.compile(r"^[-+]?0[0-9]+$")
_OTHER_BASE = re.compile(r"^[-+]?0([oxbOXB])[0-9a-fA-F_]+$")
_BASES = {"x": 16, "o": 8, "b": 2}
_SEPARATED_NUMBER = re.compile(r"^[-+]?[0-9][0-9_]*_[0-9_]*(\.[0-9_]*)?$")
_FLOAT = re.compile(r"^[-+]?([0-9]+\.[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?$|^[-+]?[0-9]+[eE][-+]?[0-9]+$")
# Tags an editor may write, and what the value must then be (beside !!str, always text,
# and !!map / !!seq, on a mapping / list). Other tags (!!binary, !!timestamp, !!set,
# custom ones) are refused rather than ignored: a tag the builder does not apply would
# leave the value meaning something else than the editor asked for.
_VALUE_TAGS: dict[str, tuple[str, tuple[type, ...]]] = {
    _YAML + "int": ("a whole number", (int,)),
    _YAML + "float": ("a number", (float, int)),
    _YAML + "bool": ("true or false", (bool,)),
    _YAML + "null": ("empty (null)", (type(None),)),
}
_SCALAR_TAGS = {_YAML + "str", *_VALUE_TAGS}
_COLLECTION_TAGS: dict[type[yaml.Node], str] = {yaml.MappingNode: _YAML + "map", yaml.SequenceNode: _YAML + "seq"}
_KIND_NAMES: dict[type[yaml.Node], str] = {yaml.MappingNode: "a mapping of fields", yaml.SequenceNode: "a list"}


@dataclass
class SourceFile:
    """One content file: its data, and where each value and key sits in it."""

    path: Path
    display: str
    data: Any = None
    values: dict[Path_, Position] = field(default_factory=dict)
    keys: dict[Path_, Position] = field(default_factory=dict)
    lines: list[str] = field(default_factory=list)  # the file's text, to point inside long values

    def at(self, path: Path_) -> Position:
        """Position of the value at `path`, or of its nearest located ancestor."""
        path = tuple(path)
        while path:
            if path in self.values:
                return self.values[path]
            path = path[:-1]
        return self.values.get((), Position(self.display, 1, 1))

    def find_in_value(self, path: Path_, needle: str) -> Position:
        """Where `needle` is written inside the text value at `path` (which may span
        several lines, folded or not); the value's start if it cannot be found."""
        start = self.at(path)
        if not needle or not start.line:
            return start
        for index in range(start.line - 1, len(self.lines)):
            column = self.lines[index].find(needle, start.column - 1 if index == start.line - 1 else 0)
            if column >= 0:
                return Position(start.file, index + 1, column + 1)
        return start

    def key_at(self, path: Path_) -> Position:
        """Position of the key naming `path` (for unknown-field errors)."""
        return self.keys.get(tuple(path)) or self.at(path)


def load_file(path: Path, display: str, raw: bytes | None = None) -> tuple[SourceFile, list[Problem]]:
    """Read (unless its bytes are given) and parse one file; never raises for bad
    content, returns problems."""
    source = SourceFile(path=path, display=display)
    try:
        raw = path.read_bytes() if raw is None else raw
    except OSError as exc:
        return source, [Problem(Position(display), f"cannot read file: {exc.strerror}")]
    if len(raw) > MAX_FILE_BYTES:
        return source, [Problem(Position(display), f"file is {len(raw):,} bytes, over the limit of {MAX_FILE_BYTES:,}",
                                "split it into several entries")]
    text, problem = _decode(raw, display)
    if problem:
        return source, [problem]
    source.lines = _LINE_BREAK.split(text)  # as YAML counts lines, hence positions
    problems = _tab_indentation(source.lines, display)
    if problems:
        return source, problems
    odd_break = _YAML_ONLY_BREAK.search(text)
    if odd_break:
        return source, [_character_problem(text, odd_break, display, "invisible line break",
                                           "delete it; YAML reads it as a line break, most editors do not show it")]
    try:
        if "*" in text or len(text) > MAX_NODES // 2 or sum(map(text.count, _NESTING_CHARACTERS)) > _COMPOSE_SAFE_DEPTH:
            problems = _scan(text, display)
            if problems:
                return source, problems
        nodes = list(yaml.compose_all(text, Loader=_Composer))
    except yaml.MarkedYAMLError as exc:
        own = _own_checks_before_failure(text, display)
        if own:
            return source, own
        mark = exc.problem_mark or exc.context_mark
        pos = _inside(source.lines, display, mark.line + 1, mark.column + 1) if mark else Position(display)
        message = exc.problem or exc.context or "invalid YAML"
        return source, [Problem(pos, f"YAML syntax error: {message}", _syntax_hint(message))]
    except yaml.reader.ReaderError:  # a character YAML does not allow anywhere, even quoted
        return source, [_forbidden_character(text, display)]
    except yaml.YAMLError as exc:  # pragma: no cover - other unmarked errors are rare
        return source, [Problem(Position(display), "YAML error: " + " ".join(str(exc).split()))]
    if len(nodes) != 1:
        if not nodes:
            return source, [Problem(Position(display, 1, 1), "file is empty", "write the entry's fields")]
        pos = _pos(nodes[1], display)
        return source, [Problem(pos, "file holds several YAML documents", "keep one entry per file; remove the '---' separator")]
    builder = _Builder(source)
    source.data = builder.build(nodes[0], (), 0)
    if not builder.problems and not isinstance(source.data, dict):
        builder.problems.append(Problem(_pos(nodes[0], display), "expected a mapping of fields at the top of the file",
                                        "write 'field: value' lines"))
    return source, builder.problems


def _own_checks_before_failure(text: str, display: str) -> list[Problem]:
    """Our limits, checked by PyYAML's pure-Python parser after libyaml gave up.

    libyaml has limits of its own, which change with its version: the one bundled
    with PyYAML 6.0.4 stops at 1,000 levels of flow nesting, and its scanner reads
    that far ahead before the first event, so our depth check never saw level 17.
    The Python parser has no such limit and streams its events; run again on the
    file, it finds any alias, value too deep or value too many written before the
    syntax error, so an editor gets the same message under every PyYAML version.
    Only failed files pay for the slower parser."""
    problems: list[Problem] = []
    try:
        _scan_into(problems, text, display, yaml.SafeLoader)
    except yaml.YAMLError:  # the syntax error itself: ours, if any, were found before it
        pass
    return problems


def _scan(text: str, display: str) -> list[Problem]:
    problems: list[Problem] = []
    _scan_into(problems, text, display, _Loader)
    return problems


def _scan_into(problems: list[Problem], text: str, display: str, loader: type) -> None:
    """Read the parser's events without composing anything: aliases are refused where
    they are written (they can blow a file up exponentially, "billion laughs", and
    content never needs them), and so are values nested deeper than MAX_DEPTH and
    values beyond the MAX_NODES-th, as the builder would; reading stops a little
    deeper than MAX_DEPTH, and at the first value too many. Problems are added to
    `problems` as found, so those before a syntax error are kept."""
    count = 0
    open_: list[list[bool]] = []  # per open collection: [is a mapping, its next node is a key]
    for event in yaml.parse(text, Loader=loader):
        if isinstance(event, yaml.CollectionEndEvent):
            open_.pop()
            continue
        if not isinstance(event, yaml.NodeEvent):
            continue
        is_key = bool(open_) and open_[-1][0] and open_[-1][1]
        if open_ and open_[-1][0]:
            open_[-1][1] = not open_[-1][1]
        mark = event.start_mark  # (the parser always sets it; the type allows None)
        position = Position(display, mark.line + 1, mark.column + 1) if mark else Position(display)
        if isinstance(event, yaml.AliasEvent):
            problems.append(Problem(position, f"YAML alias '*{event.anchor}' is not allowed in content",
                                    "write the value out in full"))
        elif len(open_) == MAX_DEPTH + 1 and not is_key:  # the builder's depth: the top value is at 0
            problems.append(Problem(position, f"values nested more than {MAX_DEPTH} levels deep", "flatten the structure"))
        if not is_key:
            count += 1
            if count > MAX_NODES:
                problems.append(Problem(position, f"file has more than {MAX_NODES:,} values", "split it into several entries"))
                return
        if isinstance(event, yaml.CollectionStartEvent):
            open_.append([isinstance(event, yaml.MappingStartEvent), True])
            if len(open_) > 2 * MAX_DEPTH:
                return


def _forbidden_character(text: str, display: str) -> Problem:
    match = _NOT_PRINTABLE.search(text)
    if not match:  # pragma: no cover - the parser refused a character this pattern allows
        return Problem(Position(display), "file holds a character YAML does not allow")
    return _character_problem(text, match, display, "invisible character",
                              "delete it; retype the text around it if your editor does not show it")


def _character_problem(text: str, match: re.Match[str], display: str, what: str, hint: str) -> Problem:
    lines = _LINE_BREAK.split(text[: match.start()])
    return Problem(Position(display, len(lines), len(lines[-1]) + 1),
                   f"{what} U+{ord(match.group()):04X} is not allowed in content", hint)


def _decode(raw: bytes, display: str) -> tuple[str, Problem | None]:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        lines = _LINE_BREAK.split(raw[: exc.start].decode("utf-8").removeprefix("\ufeff"))  # valid up to there
        return "", Problem(Position(display, len(lines), len(lines[-1]) + 1), "file is not valid UTF-8",
                           "save it as UTF-8 in your editor")
    return text.removeprefix("\ufeff"), None


def _tab_indentation(lines: list[str], display: str) -> list[Problem]:
    problems = []
    for number, line in enumerate(lines, start=1):
        indent = line[: len(line) - len(line.lstrip(" \t"))]
        if "\t" in indent and line.strip():
            problems.append(Problem(Position(display, number, indent.index("\t") + 1),
                                    "tab used for indentation", "indent with spaces"))
    return problems


def _syntax_hint(message: str) -> str:
    if "mapping values are not allowed" in message:
        return "a value containing ': ' must be put in quotes"
    if "found character '@'" in message or "found character '`'" in message:
        return "put the value in quotes"
    if "could not find expected ':'" in message:
        return "check the indentation and that each field is written 'name: value'"
    return ""


def _inside(lines: list[str], display: str, line: int, column: int) -> Position:
    """A parser position, moved back inside the file when the parser points past its end
    (at the end of a file without a final line break, libyaml points at the next line)."""
    if line > len(lines):
        line, column = len(lines), len(lines[-1]) + 1
    return Position(display, line, column)


def _short(text: str) -> str:
    """A value as quoted in a message: whole if short, else its start."""
    return text if len(text) <= 40 else text[:39] + "…"


def _shown_tag(tag: str) -> str:
    """A tag as an editor writes it: '!!int' for YAML's own, others as they are."""
    return "!!" + tag.removeprefix(_YAML) if tag.startswith(_YAML) else tag


def _in_base_10(text: str) -> str:
    """' (31)' for '0x1F': the number in base 10, for a hint; nothing if it is not one."""
    if len(text) > 40:  # (a long one would need a long hint, and may exceed Python's int-to-text limit)
        return ""
    try:
        return f" ({int(text, 0)})"
    except ValueError:  # digits the base does not have: '0b102'
        return ""


def _pos(node: yaml.Node, display: str) -> Position:
    return Position(display, node.start_mark.line + 1, node.start_mark.column + 1)


class _Builder:
    """Turns composed nodes into dicts, lists and scalars, recording positions."""

    def __init__(self, source: SourceFile):
        self.source = source
        self.problems: list[Problem] = []
        self.count = 0

    def problem(self, node: yaml.Node, message: str, hint: str = "") -> None:
        self.problems.append(Problem(_pos(node, self.source.display), message, hint))

    def build(self, node: yaml.Node, path: Path_, depth: int) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            if self.count == MAX_NODES + 1:
                self.problem(node, f"file has more than {MAX_NODES:,} values", "split it into several entries")
            return None
        if depth > MAX_DEPTH:
            self.problem(node, f"values nested more than {MAX_DEPTH} levels deep", "flatten the structure")
            return None
        self.source.values[path] = _pos(node, self.source.display)
        if node.tag != _UNTAGGED and not self._tag_fits(node):
            return None
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path, depth)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, path + (i,), depth + 1) for i, item in enumerate(node.value)]
        assert isinstance(node, yaml.ScalarNode)  # the third and last kind of node
        return self._scalar(node)

    def _tag_fits(self, node: yaml.Node) -> bool:
        """Whether the tag written on `node` is one content may use, on a value of its
        kind; if not, a problem says which (and the value is left out)."""
        own = _COLLECTION_TAGS.get(type(node))  # a mapping's or a list's one tag; None: a single value
        if node.tag == own or (own is None and node.tag in _SCALAR_TAGS):
            return True
        if node.tag in _SCALAR_TAGS or node.tag in _COLLECTION_TAGS.values():
            what = _KIND_NAMES.get(type(node), "a single value")
            self.problem(node, f"YAML tag '{_shown_tag(node.tag)}' cannot be on {what}", "remove the tag")
        else:
            self.problem(node, f"YAML tag '{_shown_tag(node.tag)}' is not allowed in content", "remove the tag")
        return False

    def _mapping(self, node: yaml.MappingNode, path: Path_, depth: int) -> dict[str, Any]:
        result: dict[str, Any] = {}
        seen: dict[str, yaml.Node] = {}
        for key_node, value_node in node.value:
            if key_node.tag == _YAML + "merge" or (key_node.tag == _UNTAGGED and isinstance(key_node, yaml.ScalarNode)
                                                   and not key_node.style and key_node.value == "<<"):
                self.problem(key_node, "YAML merge keys ('<<') are not allowed in content", "write the fields out")
                continue
            if not isinstance(key_node, yaml.ScalarNode):
                self.problem(key_node, "a field name must be plain text")
                continue
            if key_node.tag not in (_UNTAGGED, _YAML + "str"):
                self.problem(key_node, f"YAML tag '{_shown_tag(key_node.tag)}' on a field name", "remove the tag")
                continue
            key = key_node.value
            if key in seen:
                first = seen[key].start_mark.line + 1
                self.problem(key_node, f"duplicate field '{key}', first defined on line {first}",
                             "keep one and delete the other")
                continue
            seen[key] = key_node
            self.source.keys[path + (key,)] = _pos(key_node, self.source.display)
            result[key] = self.build(value_node, path + (key,), depth + 1)
        return result

    def _scalar(self, node: yaml.ScalarNode) -> Any:
        text = node.value
        escaped = _NOT_PRINTABLE.search(text) if node.style == '"' else None
        if escaped:  # written as an escape: "\0", "\x07"...
            character = escaped.group()
            self.problem(node, f"invisible character U+{ord(character):04X} is not allowed in content",
                         "remove its escape from the quoted text")
            return text
        if node.tag == _YAML + "str" or (node.style and node.tag == _UNTAGGED):
            return text  # asked for text, or quoted or block (plain style is None or "")
        if node.tag not in _VALUE_TAGS:
            return self._plain(node, text)
        # A tag asking for a number, true/false or null: the text read as a plain value
        # (even quoted, as YAML says), which must be one.
        reported = len(self.problems)
        value = self._plain(node, text)
        what, types = _VALUE_TAGS[node.tag]
        if len(self.problems) > reported:  # refused as ambiguous or too large already
            return value
        if not isinstance(value, types) or (isinstance(value, bool) and bool not in types):
            self.problem(node, f"value '{_short(text)}' is not {what}, as its tag '{_shown_tag(node.tag)}' says",
                         "correct the value, or remove the tag")
            return text
        return float(value) if isinstance(value, int) and float in types else value  # !!float 1 is 1.0

    def _plain(self, node: yaml.ScalarNode, text: str) -> Any:
        """What a plain value means: null, true/false, a number, or text, where YAML 1.1 and
        1.2 agree; a problem (and the text as written) where they do not."""
        if _NULL.match(text):
            return None
        if _TRUE.match(text):
            return True
        if _FALSE.match(text):
            return False
        if _YAML11_BOOL.match(text):
            self.problem(node, f"ambiguous value '{text}': YAML 1.1 reads it as a yes/no value",
                         f"write \"{text}\" in quotes for text, or true/false")
            return text
        if len(text) > MAX_DIGITS and _DIGITS.match(text):
            self.problem(node, f"number with {len(text.lstrip('+-')):,} digits is too large",
                         "write it in quotes if it is text")
            return None
        if _INT.match(text):
            return int(text)
        if _OCTAL_LOOKING.match(text):
            self.problem(node, f"ambiguous number '{_short(text)}': YAML 1.1 reads a leading 0 as octal",
                         f"write it without the leading zero, or \"{_short(text)}\" in quotes for text")
            return text
        other_base = _OTHER_BASE.match(text)
        if other_base:  # YAML 1.1 reads 0b and 0x but not 0o, 1.2 reads 0o and 0x but not 0b
            base = _BASES[other_base.group(1).lower()]
            self.problem(node, f"ambiguous number '{_short(text)}': YAML versions disagree on numbers in base {base}",
                         f"write it in base 10{_in_base_10(text)}, or \"{_short(text)}\" in quotes for text")
            return text
        if _SEPARATED_NUMBER.match(text):
            self.problem(node, f"ambiguous number '{_short(text)}': YAML versions disagree on '_' in numbers",
                         "write the digits without separators")
            return text
        if _FLOAT.match(text):
            number = float(text)
            if math.isinf(number):
                self.problem(node, f"number '{_short(text)}' is too large", "write it in quotes if it is text")
                return None
            return number
        return text

