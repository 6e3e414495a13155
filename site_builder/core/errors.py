"""Problems found in the content, with the place they were found.

Every other module reports an editor's mistake as a `Problem`; nothing below the
CLI prints or exits. A `ContentError` carries every problem of a run at once, so
an editor fixes them all in one pass instead of one per build.
"""
from __future__ import annotations

import difflib
import os
import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Iterable, Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Position:
    """A place in a content file: 1-based line and column, as editors count."""

    file: str
    line: int = 0
    column: int = 0

    def __str__(self) -> str:
        if not self.line:
            return self.file
        return f"{self.file}:{self.line}:{self.column}"


@dataclass(frozen=True)
class Problem:
    position: Position
    message: str
    hint: str = ""
    severity: Severity = "error"

    def __str__(self) -> str:
        text = f"{self.position}: {self.severity}: {_one_line(self.message)}"
        return f"{text} ({_one_line(self.hint)})" if self.hint else text

    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.position.file, self.position.line, self.position.column, self.message)


# Line breaks, control characters and bidirectional controls quoted from content
# would break a problem's one line, or reorder it on the terminal: shown escaped.
_INVISIBLE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def _one_line(text: str) -> str:
    return _INVISIBLE.sub(lambda m: repr(m.group())[1:-1] if m.group() in "\n\r\t" or ord(m.group()) < 0x100
                          else f"\\u{ord(m.group()):04x}", text)


class TemplateFailure(Exception):
    """A template is missing or broken: a problem for whoever maintains templates/. The
    message names the template file and line; plain text only, so it crosses process
    boundaries intact."""


class ContentError(Exception):
    """Raised when the content has errors; carries all of them, sorted by place."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = sorted(problems, key=Problem.sort_key)
        super().__init__("\n".join(str(p) for p in self.problems))


def did_you_mean(word: str, candidates: Iterable[str]) -> str:
    """A 'did you mean ...?' hint, or '' when nothing is close enough."""
    matches = difflib.get_close_matches(word, sorted(set(candidates)), n=1, cutoff=0.6)
    return f"did you mean '{matches[0]}'?" if matches else ""


def display_path(path: Path, content_root: Path) -> str:
    """How problems name a file of the content: from the folder that holds the content
    folder (`content/actors/iai.yaml`), whatever the working directory, so that a file's
    result, kept between builds, is the same from any folder. (`as_seen_from` names it
    from where a command was run.)"""
    project = os.path.dirname(os.path.abspath(content_root))
    return Path(os.path.relpath(os.path.abspath(path), project)).as_posix()


def as_seen_from(problems: Iterable[Problem], content_root: Path, cwd: str | None = None) -> list[Problem]:
    """`problems` with their files named as a terminal in `cwd` (default: the working
    directory) opens them: relative when the content is below it, else absolute."""
    project = os.path.dirname(os.path.abspath(content_root))
    base = os.path.relpath(project, cwd or os.getcwd())
    if base == ".":
        return list(problems)
    if base == ".." or base.startswith(".." + os.sep):
        base = project
    return [problem if os.path.isabs(problem.position.file) else
            replace(problem, position=replace(problem.position, file=os.path.join(base, problem.position.file)))
            for problem in problems]
