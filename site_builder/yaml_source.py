"""YAML files to plain Python data, with the position of every value kept.

PyYAML composes the node tree (positions included); we construct the values
ourselves instead of letting PyYAML's YAML 1.1 resolver do it, so that nothing
changes meaning silently: `no` is not `False`, `010` is not 8, `2023-10-04` stays
the text the editor wrote. Values that YAML 1.1 and 1.2 read differently are
refused with a hint, because editors' tools disagree on them.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import Position, Problem

try:  # the C composer is several times faster; both give the same nodes
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader

MAX_FILE_BYTES = 1_000_000
MAX_DEPTH = 16
MAX_NODES = 50_000

Path_ = tuple  # a path into the data: keys and list indexes

_NULL = re.compile(r"^(~|null|Null|NULL|)$")
_TRUE = re.compile(r"^(true|True|TRUE)$")
_FALSE = re.compile(r"^(false|False|FALSE)$")
_YAML11_BOOL = re.compile(r"^(y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF)$")
_INT = re.compile(r"^[-+]?(0|[1-9][0-9]*)$")
_OCTAL_LOOKING = re.compile(r"^[-+]?0[0-9]+$")
_OTHER_BASE = re.compile(r"^[-+]?0[oxbOXB][0-9a-fA-F_]+$")
_SEPARATED_NUMBER = re.compile(r"^[-+]?[0-9][0-9_]*_[0-9_]*(\.[0-9_]*)?$")
_FLOAT = re.compile(r"^[-+]?([0-9]+\.[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?$|^[-+]?[0-9]+[eE][-+]?[0-9]+$")
_STANDARD_TAGS = {
    "tag:yaml.org,2002:" + name
    for name in ("str", "int", "float", "bool", "null", "map", "seq", "timestamp")
}


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


def load_file(path: Path, display: str) -> tuple[SourceFile, list[Problem]]:
    """Read and parse one file; never raises for bad content, returns problems."""
    source = SourceFile(path=path, display=display)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return source, [Problem(Position(display), f"cannot read file: {exc.strerror}")]
    if len(raw) > MAX_FILE_BYTES:
        return source, [Problem(Position(display), f"file is {len(raw):,} bytes, over the limit of {MAX_FILE_BYTES:,}",
                                "split it into several entries")]
    text, problem = _decode(raw, display)
    if problem:
        return source, [problem]
    source.lines = text.split("\n")
    problems = _tab_indentation(text, display)
    if problems:
        return source, problems
    try:
        aliases = _aliases(text, display) if "*" in text else []
        if aliases:
            return source, aliases
        nodes = list(yaml.compose_all(text, Loader=_Loader))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        pos = Position(display, mark.line + 1, mark.column + 1) if mark else Position(display)
        message = exc.problem or exc.context or "invalid YAML"
        return source, [Problem(pos, f"YAML syntax error: {message}", _syntax_hint(message))]
    except yaml.YAMLError as exc:  # pragma: no cover - unmarked errors are rare
        return source, [Problem(Position(display), f"YAML error: {exc}")]
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


def _aliases(text: str, display: str) -> list[Problem]:
    """Aliases are refused where they are written: they can blow a file up
    exponentially ("billion laughs") and content never needs them."""
    return [
        Problem(Position(display, event.start_mark.line + 1, event.start_mark.column + 1),
                f"YAML alias '*{event.anchor}' is not allowed in content", "write the value out in full")
        for event in yaml.parse(text, Loader=_Loader)
        if isinstance(event, yaml.AliasEvent)
    ]


def _decode(raw: bytes, display: str) -> tuple[str, Problem | None]:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        column = exc.start - (before.rfind(b"\n") + 1) + 1
        return "", Problem(Position(display, line, column), "file is not valid UTF-8",
                           "save it as UTF-8 in your editor")
    return text.removeprefix("\ufeff"), None


def _tab_indentation(text: str, display: str) -> list[Problem]:
    problems = []
    for number, line in enumerate(text.split("\n"), start=1):
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
        if node.tag not in _STANDARD_TAGS and not node.tag.startswith("tag:yaml.org,2002:"):
            self.problem(node, f"YAML tag '{node.tag}' is not allowed in content", "remove the tag")
            return None
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path, depth)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, path + (i,), depth + 1) for i, item in enumerate(node.value)]
        return self._scalar(node)

    def _mapping(self, node: yaml.MappingNode, path: Path_, depth: int) -> dict:
        result: dict[str, Any] = {}
        seen: dict[str, yaml.Node] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                self.problem(key_node, "YAML merge keys ('<<') are not allowed in content", "write the fields out")
                continue
            if not isinstance(key_node, yaml.ScalarNode):
                self.problem(key_node, "a field name must be plain text")
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
        if node.style:  # quoted or block scalar: always text (plain style is None or "")
            return text
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
        if _INT.match(text):
            return int(text)
        if _OCTAL_LOOKING.match(text) or _OTHER_BASE.match(text):
            self.problem(node, f"ambiguous number '{text}': YAML 1.1 reads a leading 0 as octal",
                         f"write it without the leading zero, or \"{text}\" in quotes for text")
            return text
        if _SEPARATED_NUMBER.match(text):
            self.problem(node, f"ambiguous number '{text}': YAML versions disagree on '_' in numbers",
                         "write the digits without separators")
            return text
        if _FLOAT.match(text):
            return float(text)
        return text

