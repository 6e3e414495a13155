"""Prose fields: Markdown with entry links and shared footnotes.

Parsing and rendering are split. `parse` runs once per field and language and
returns the tokens plus what they refer to (entry links, note citations), so
references can be checked and backlinks built before anything is rendered.
`render` turns those tokens into HTML for one page, resolving links and asking
the page's footnote numbering for each citation.
"""
from __future__ import annotations

import html
import marshal
import re
from functools import lru_cache
from dataclasses import dataclass, field
from typing import Any, Callable, MutableMapping, Protocol, Sequence

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline
from markdown_it.common.utils import escapeHtml
from markdown_it.token import Token
from markdown_it.utils import OptionsDict

from ..core.typography import collapse_spaces, french_spacing

ENTRY_LINK = re.compile(r"^([a-z]+):([^/?#\s]*)$")
WEB_LINK = re.compile(r"^(https?://|mailto:)", re.IGNORECASE)
UNSAFE_LINK = re.compile(r"\]\(\s*<?\s*(javascript|vbscript|data|file)\s*:", re.IGNORECASE)
_NOTE_REF = re.compile(r"\[\^([^\]\s]*)\]")
_NOTE_DEFINITION = re.compile(r"\[\^([^\]]*)\]:")  # any label: '[^a b]:' is one too

COMPILED_MEMO = 4096  # texts compiled on demand (those not compiled while reading)
_SLOT = re.compile("\x00([0-9]+)\x00")  # content cannot hold NUL (yaml_source.py refuses it)
Slot = tuple[Any, ...]  # ("link", kind, id, title attribute), ("note", id), ("open", "p" or level, top-level?), ("close", ...)
Compiled = tuple[Any, ...]  # of HTML strings and slots (tested by class in `fill`: a hot loop)
Env = MutableMapping[str, Any]  # markdown-it's per-render environment
QUOTES = {"fr": ["«\u00a0", "\u00a0»", "“", "”"], "en": ["“", "”", "‘", "’"]}


@dataclass(frozen=True)
class Reference:
    """Something a prose field points to: an entry link or a note citation."""

    kind: str  # an entry kind, "note", or "web"/"invalid" for other link targets
    target: str
    written: str  # how it is written in the text, to find its line and column in the file


@dataclass
class ParsedProse:
    tokens: list[Token]
    references: list[Reference] = field(default_factory=list)
    problems: list[tuple[str, str, str]] = field(default_factory=list)  # (text as written, message, hint)
    warnings: list[tuple[str, str, str]] = field(default_factory=list)  # the same, for `check` to warn of


class Linker(Protocol):
    def anchor_label(self) -> str: ...
    def entry_url(self, kind: str, id: str) -> str: ...
    def cite(self, note_id: str) -> tuple[int, str]: ...  # (number on the page, anchor id of this call)
    def note_href(self, note_id: str) -> str: ...


def _note_definition_rule(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
    """'[^n]: text', a footnote definition as GitHub and Pandoc write it. Notes are entries
    here (content/notes/), so it is refused (`parse`); recognised whatever its text, not
    only where the text is one word and CommonMark reads it as a link reference definition,
    and, as in GitHub's Markdown, even right under a paragraph's last line. It runs to the
    next blank line or definition, and prints nothing."""
    if state.is_code_block(start_line):
        return False
    start = state.bMarks[start_line] + state.tShift[start_line]
    match = _NOTE_DEFINITION.match(state.src, start, state.eMarks[start_line])
    if not match:
        return False
    if silent:
        return True
    line = start_line + 1
    while line < end_line and not state.isEmpty(line) and not _NOTE_DEFINITION.match(
            state.src, state.bMarks[line] + state.tShift[line], state.eMarks[line]):
        line += 1
    token = state.push("note_definition", "", 0)
    token.meta = {"id": match.group(1)}
    token.map = [start_line, line]
    state.line = line
    return True


# Rules starting at '[' say no in silent mode. markdown-it runs inline rules silently only
# to skip whole tokens while it looks for the ']' closing a link's text (parseLinkLabel),
# and it takes any token that starts with '[' there for a nested link, which it refuses:
# '[IAI[^a]](actor:iai)' was not a link. Saying no, the call's or passage's brackets are
# counted as text, and the token is made when the link's text is tokenized.

def _note_ref_rule(state: StateInline, silent: bool) -> bool:
    if silent or not state.src.startswith("[^", state.pos):
        return False
    match = _NOTE_REF.match(state.src, state.pos)
    if not match:
        return False
    if not silent:
        token = state.push("note_ref", "", 0)
        token.meta = {"id": match.group(1)}
    state.pos = match.end()
    return True


_LANG_ATTRIBUTE = re.compile(r"\{lang=([a-z]{2,3}(?:-[A-Za-z0-9]{1,8})*)\}")


def _lang_span_rule(state: StateInline, silent: bool) -> bool:
    """`[Patrie bleue]{lang=fr}`: a passage in another language than the text's, marked
    with `lang` (WCAG 3.1.2) so that screen readers pronounce it in its language."""
    if silent or state.src[state.pos] != "[" or state.src.startswith("[^", state.pos):
        return False
    end = state.md.helpers.parseLinkLabel(state, state.pos)  # links inside the passage are fine
    if end < 0:
        return False
    match = _LANG_ATTRIBUTE.match(state.src, end + 1)
    if not match:
        return False
    old_max = state.posMax
    state.pos, state.posMax = state.pos + 1, end
    state.push("lang_open", "span", 1).attrs = {"lang": match.group(1)}
    state.md.inline.tokenize(state)
    state.push("lang_close", "span", -1)
    state.posMax = old_max
    state.pos = match.end()
    return True


def _french_spacing_rule(lang: str) -> Callable[[StateCore], None]:
    """French spacing on the text tokens that are French: all of a French text but its
    passages marked in another language, and in a text in another language the
    passages marked French ('He said [« Oui ? »]{lang=fr}')."""
    def rule(state: StateCore) -> None:
        # Runs on each text token; punctuation right after a link or a note call
        # starts its token, which french_spacing handles.
        for block in state.tokens:
            french = [lang == "fr"]  # the language of the innermost passage: French or not
            for token in block.children or ():
                if token.type == "lang_open":
                    french.append(_is_french(str(token.attrs["lang"])))
                elif token.type == "lang_close" and len(french) > 1:
                    french.pop()
                elif token.type == "text" and french[-1]:
                    token.content = french_spacing(token.content)
    return rule


def _is_french(tag: str) -> bool:
    return tag == "fr" or tag.startswith("fr-")


def _attach_note_calls(state: StateCore) -> None:
    """A footnote call sticks to the word before it: 'drones [^n]' prints 'drones¹'."""
    for block in state.tokens:
        children = block.children or []
        for previous, token in zip(children, children[1:]):
            if token.type == "note_ref" and previous.type == "text":
                previous.content = previous.content.rstrip()


def make_parser(lang: str) -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "typographer": True, "quotes": QUOTES[lang]})
    md.enable(["replacements", "smartquotes"])
    md.disable(["image", "html_inline", "html_block"])
    md.block.ruler.before("reference", "note_definition", _note_definition_rule, {"alt": ["paragraph", "reference"]})
    md.inline.ruler.before("link", "note_ref", _note_ref_rule)
    md.inline.ruler.before("link", "lang_span", _lang_span_rule)
    md.core.ruler.push("attach_note_calls", _attach_note_calls)
    md.core.ruler.push("french_spacing", _french_spacing_rule(lang))
    md.add_render_rule("note_ref", _render_note_ref)
    md.add_render_rule("note_definition", lambda *_: "")
    md.add_render_rule("link_open", _render_link_open)
    md.add_render_rule("heading_open", _render_heading(open_=True))
    md.add_render_rule("heading_close", _render_heading(open_=False))
    md.add_render_rule("paragraph_open", _render_paragraph(open_=True))
    md.add_render_rule("paragraph_close", _render_paragraph(open_=False))
    return md


class ProseParser:
    """One Markdown parser per language, built once per build."""

    def __init__(self, entry_kinds: tuple[str, ...]):
        self.entry_kinds = entry_kinds
        self.parsers = {lang: make_parser(lang) for lang in QUOTES}
        # Texts compiled while the content was read (reading.py); others are compiled
        # on first use. A compiled text is about the size of its HTML, so the whole
        # site's fit in memory, unlike markdown-it's tokens.
        self.compiled: dict[tuple[str, str], bytes] = {}  # packed (see `pack`)
        self._compile_memo = lru_cache(maxsize=COMPILED_MEMO)(self.compile)

    def compiled_text(self, text: str, lang: str) -> Compiled:
        packed = self.compiled.get((text, lang))
        return unpack(packed) if packed is not None else self._compile_memo(text, lang)

    def compile(self, text: str, lang: str, parsed: ParsedProse | None = None) -> Compiled:
        """The text as HTML with slots for what depends on the page (see `fill`)."""
        parsed = parsed or self.parse(text, lang)
        env: Env = {"slots": []}
        html = self.parsers[lang].renderer.render(parsed.tokens, self.parsers[lang].options, env)
        parts: list[str | Slot] = []
        for index, piece in enumerate(_SLOT.split(html)):
            if index % 2 == 0:
                if piece:
                    parts.append(piece)
            else:
                parts.append(env["slots"][int(piece)])
        return tuple(parts)

    def parse(self, text: str, lang: str) -> ParsedProse:
        env: Env = {}
        tokens = self.parsers[lang].parse(text, env)
        parsed = ParsedProse(tokens)
        for match in UNSAFE_LINK.finditer(text):
            parsed.problems.append((match.group(0)[1:], f"unsafe link target '{match.group(1)}:'",
                                    "link to an entry (kind:id) or a web address (https://...)"))
        for label in env.get("references", {}):
            parsed.problems.append(("]:", f"link reference definition '[{label.lower()}]:' is not supported in prose",
                                    "write the link inline: [text](target)"))
        parsed.warnings += _skipped_heading_levels(tokens)
        for token in tokens:
            if token.type == "note_definition":
                written = f"[^{token.meta['id']}]:"
                parsed.problems.append((written, f"footnote definition '{written}' is not supported in prose",
                                        "define footnotes as notes in content/notes/ and cite them as [^note-id]"))
            for child in token.children or ():
                if child.type == "note_ref":
                    parsed.references.append(Reference("note", child.meta["id"], f"[^{child.meta['id']}]"))
                elif child.type == "link_open":
                    parsed.references.append(self._link_reference(str(child.attrGet("href") or "")))
        return parsed

    def _link_reference(self, href: str) -> Reference:
        if WEB_LINK.match(href):
            return Reference("web", href, href)
        match = ENTRY_LINK.match(href)
        if match:
            return Reference(match.group(1), match.group(2), f"({href}")
        return Reference("invalid", href, f"({href}")

    def render(self, parsed: ParsedProse | Compiled, lang: str, linker: Linker, heading_shift: int = 1,
               anchor: str = "") -> str:
        """`anchor` names the field ('body'): its top-level paragraphs and headings then get
        ids 'body-1', 'body-2'... counted by position, hence the same in both languages."""
        compiled = self.compile("", lang, parsed) if isinstance(parsed, ParsedProse) else parsed
        return fill(compiled, linker, heading_shift, anchor)

    def render_inline(self, parsed: ParsedProse | Compiled, lang: str, linker: Linker) -> str:
        """Render a one-paragraph field without its <p> wrapper (for summaries in lists)."""
        html = self.render(parsed, lang, linker)
        if html.count("<p>") == 1 and html.startswith("<p>") and html.rstrip().endswith("</p>"):
            return html.strip()[3:-4]
        return html


def _skipped_heading_levels(tokens: list[Token]) -> list[tuple[str, str, str]]:
    """Headings more than one level deeper than the heading before them, or, for the
    first, than the text's top level (which `fill` fits under the page's heading): the
    page's outline skips a level there whatever the shift (as markdownlint's MD001)."""
    headings = [(int(token.tag[1]), f"{token.markup} {inline.content}" if token.markup.startswith("#") else inline.content)
                for token, inline in zip(tokens, tokens[1:]) if token.type == "heading_open"]
    top = min((level for level, _ in headings), default=1)
    found: list[tuple[str, str, str]] = []
    previous, previous_written = top - 1, ""
    for level, written in headings:
        if level > previous + 1:
            after = f"after '{previous_written}'" if previous_written else f"as the text's first heading (its sections are '{'#' * top} ')"
            found.append((written, f"heading '{written}' skips a level {after}",
                          f"write it '{'#' * (previous + 1)} ', or add a '{'#' * (previous + 1)} ' heading before it"))
        previous, previous_written = level, written
    return found


def pack(compiled: Compiled) -> bytes:
    """A compiled text as one bytes object: a tenth of the objects and half the memory
    of the tuple, and a few microseconds to unpack where a page uses it."""
    return marshal.dumps(compiled)


def unpack(packed: bytes) -> Compiled:
    compiled: Compiled = marshal.loads(packed)
    return compiled


def fill(compiled: Compiled, linker: Linker, heading_shift: int = 1, anchor: str = "") -> str:
    """A compiled text as HTML on one page: entry links relative to it, footnote calls
    numbered by its linker (in the order of the text), paragraph anchors if asked.

    Headings are fitted under the page's outline: the text's top level prints
    `heading_shift` levels below the page's <h1> (<h2> in an entry's body, <h3> under
    each language's <h2> on a bilingual page), whether the editor wrote its sections
    '# ' or, as most Markdown does under a page title, '## '. A fixed shift printed
    '## ' as <h3> right under the <h1>, a skipped level (invalid for the Nu checker,
    and screen readers' outline shows a gap); levels below the top keep their steps."""
    levels = [part[1] for part in compiled if part.__class__ is tuple and part[0] == "open" and part[1] != "p"]
    heading_shift += 1 - min(levels, default=1)
    out: list[str] = []
    blocks, current = 0, ""
    for part in compiled:
        if part.__class__ is str:
            out.append(part)
            continue
        what = part[0]
        if what == "link":
            out.append(f'<a href="{escapeHtml(linker.entry_url(part[1], part[2]))}"{part[3]}>')
        elif what == "note":
            number, call = linker.cite(part[1])
            out.append(note_call_html(linker.note_href(part[1]), call, number))
        elif what == "open":  # ("open", "p" or level, top-level?)
            if anchor and part[2]:
                blocks += 1
                current = f"{anchor}-{blocks}"
                attribute = f' id="{current}"'
            else:
                attribute = ""
            tag = "p" if part[1] == "p" else f"h{min(6, part[1] + heading_shift)}"
            out.append(f"<{tag}{attribute}>")
        else:  # ("close", "p" or level)
            if current:
                label = escapeHtml(linker.anchor_label())
                out.append(f'<a class="anchor" href="#{current}" aria-label="{label}" title="{label}" data-pagefind-ignore>#</a>')
                current = ""
            tag = "p" if part[1] == "p" else f"h{min(6, part[1] + heading_shift)}"
            out.append(f"</{tag}>\n")
    return "".join(out)


def note_call_html(href: str, anchor: str, number: int) -> str:
    """The footnote call printed in text: the same markup from prose and from templates."""
    # data-pagefind-ignore: the number is not a word of the text (no "2018 1 2" in search excerpts)
    return (f'<sup class="fn-call" data-pagefind-ignore><a href="{escapeHtml(href)}" id="{escapeHtml(anchor)}" '
            f'role="doc-noteref">{number}</a></sup>')


def _slot(env: Env, slot: Slot) -> str:
    env["slots"].append(slot)
    return f"\x00{len(env['slots']) - 1}\x00"


def _render_note_ref(self: object, tokens: Sequence[Token], idx: int, options: OptionsDict, env: Env) -> str:
    return _slot(env, ("note", tokens[idx].meta["id"]))


def _render_link_open(self: object, tokens: Sequence[Token], idx: int, options: OptionsDict, env: Env) -> str:
    # Tokens are parsed once and rendered on many pages: never modify them here.
    token = tokens[idx]
    href = str(token.attrGet("href") or "")
    title = token.attrGet("title")
    title_attr = f' title="{escapeHtml(str(title))}"' if title else ""
    match = ENTRY_LINK.match(href)
    if match and not WEB_LINK.match(href):
        return _slot(env, ("link", match.group(1), match.group(2), title_attr))
    return f'<a href="{escapeHtml(href)}"{title_attr}>'


RenderRule = Callable[[object, Sequence[Token], int, OptionsDict, Env], str]


def _render_heading(open_: bool) -> RenderRule:
    def render(self: object, tokens: Sequence[Token], idx: int, options: OptionsDict, env: Env) -> str:
        level = int(tokens[idx].tag[1])
        return _slot(env, ("open", level, tokens[idx].level == 0) if open_ else ("close", level))
    return render


def _render_paragraph(open_: bool) -> RenderRule:
    def render(self: object, tokens: Sequence[Token], idx: int, options: OptionsDict, env: Env) -> str:
        if tokens[idx].hidden:  # paragraphs inside tight lists print no <p>
            return ""
        return _slot(env, ("open", "p", tokens[idx].level == 0) if open_ else ("close", "p"))
    return render


_TAG = re.compile(r"<[^>]*>")


def plain_text(compiled: Compiled) -> str:
    """A compiled text as plain text, for a page's description: no markup, no footnote
    calls, paragraphs joined by a space, entities decoded, French no-break spaces kept."""
    out: list[str] = []
    for part in compiled:
        if part.__class__ is str:
            out.append(part)
        elif part[0] == "close":
            out.append(" ")
    return collapse_spaces(html.unescape(_TAG.sub("", "".join(out))))
