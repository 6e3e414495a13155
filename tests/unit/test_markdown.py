"""Prose fields (site_builder/content/markdown.py): Markdown with entry links, shared
footnotes and French typography, parsed once and filled in on each page.

The page side is played by `Page`, a Linker with the site's real footnote numbering
(render/views.py FootnoteCalls): entry links resolve through it, note calls are numbered
by it in the order the text cites them.
"""
from __future__ import annotations

import pytest

from site_builder.content.markdown import ProseParser, Reference, fill, pack, plain_text, unpack
from site_builder.core.typography import NBSP, NNBSP
from site_builder.render.urls import ENTRY_KINDS
from site_builder.render.views import FootnoteCalls

PARSER = ProseParser(ENTRY_KINDS)


class Page:
    """A page as the renderer sees it: where entries are from here, and its footnote numbering."""

    def __init__(self, depth: int = 2, label: str = "Lien vers ce paragraphe"):
        self.depth, self.label = depth, label
        self.footnotes = FootnoteCalls()

    def anchor_label(self) -> str:
        return self.label

    def entry_url(self, kind: str, id: str) -> str:
        return "../" * self.depth + f"{kind}/{id}/"

    def cite(self, note_id: str) -> tuple[int, str]:
        return self.footnotes.cite(note_id)

    def note_href(self, note_id: str) -> str:
        return f"#note-{note_id}"


def html(text: str, lang: str = "fr", page: Page | None = None, **options) -> str:
    return PARSER.render(PARSER.parse(text, lang), lang, page or Page(), **options)


def call(note: str, number: int, nth: int = 1) -> str:
    return (f'<sup class="fn-call" data-pagefind-ignore><a href="#note-{note}" id="cite-{note}-{nth}" '
            f'role="doc-noteref">{number}</a></sup>')


# -- prose ---------------------------------------------------------------------------------

def test_paragraphs_emphasis_lists_and_quotes():
    text = "Un *drone* et **deux** radars.\n\n- un\n- deux\n\n> cité\n\n1. premier"
    assert html(text, "en") == ("<p>Un <em>drone</em> et <strong>deux</strong> radars.</p>\n"
                                "<ul>\n<li>un</li>\n<li>deux</li>\n</ul>\n"
                                "<blockquote>\n<p>cité</p>\n</blockquote>\n<ol>\n<li>premier</li>\n</ol>\n")


@pytest.mark.parametrize("lang, text, printed", [
    ("fr", 'Le "Dôme de fer"', f"<p>Le «{NBSP}Dôme de fer{NBSP}»</p>\n"),
    ("en", 'The "Iron Dome"', "<p>The “Iron Dome”</p>\n"),
    ("en", "The 'Iron Dome'", "<p>The ‘Iron Dome’</p>\n"),
    ("fr", "l'accord", "<p>l’accord</p>\n"),
    ("en", "2011--2013... (c)", "<p>2011–2013… ©</p>\n"),
])
def test_typographer_per_language(lang, text, printed):
    assert html(text, lang) == printed


@pytest.mark.parametrize("text", [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "<b>gras</b> & <i>x</i>",
    "<!-- commentaire -->",
])
def test_raw_html_is_printed_as_text(text):
    out = html(text, "en")
    assert "<script" not in out and "<img" not in out and "<b>" not in out and "<!--" not in out
    assert "&lt;" in out


def test_images_are_not_embedded():
    """Prose has no images (figures go through pictures.py): '![x](y)' is not an <img>."""
    parsed = PARSER.parse("![carte](carte.png)", "fr")
    assert "<img" not in html("![carte](carte.png)")
    assert parsed.references == [Reference("invalid", "carte.png", "(carte.png")]  # `check` reports it


@pytest.mark.parametrize("target", ["javascript:alert(1)", "JavaScript:alert(1)", "vbscript:x", "data:text/html,x",
                                    "file:///etc/passwd", " javascript:alert(1)", "<javascript:alert(1)>"])
def test_unsafe_link_targets_are_refused_and_never_linked(target):
    parsed = PARSER.parse(f"[clic]({target})", "en")
    scheme = target.strip(" <").split(":")[0]
    assert [message for _, message, _ in parsed.problems] == [f"unsafe link target '{scheme}:'"]
    out = html(f"[clic]({target})", "en").lower()
    assert "<a " not in out and scheme.lower() + ":" in out  # printed as text, not linked


@pytest.mark.parametrize("text, written, message", [
    ("voir [ref]\n\n[ref]: https://example.org", "]:", "link reference definition '[ref]:' is not supported in prose"),
    ("voir[^n]\n\n[^n]: source", "[^n]:", "footnote definition '[^n]:' is not supported in prose"),
])
def test_reference_definitions_are_refused(text, written, message):
    problems = PARSER.parse(text, "fr").problems
    assert [(w, m) for w, m, _ in problems] == [(written, message)]


@pytest.mark.parametrize("text", [
    "Voir[^n].\n\n[^n]: Une note en plusieurs mots.",
    "Voir[^n].\n[^n]: Une note sous le paragraphe,\nsur deux lignes.",  # GitHub reads this as a definition too
    "Voir[^n].\n\n> [^n]: Dans une citation.",
    "Voir[^n].\n\n  [^n]: Indentée de deux espaces.",
])
def test_footnote_definition_with_several_words_is_refused(text):
    parsed = PARSER.parse(text, "fr")
    assert parsed.problems == [("[^n]:", "footnote definition '[^n]:' is not supported in prose",
                                "define footnotes as notes in content/notes/ and cite them as [^note-id]")]
    assert parsed.references == [Reference("note", "n", "[^n]")]  # the call only, not the definition
    assert "note sous" not in html(text) and "Dans une" not in html(text)  # nothing printed of it


@pytest.mark.parametrize("text", ["```\n[^n]: dans du code\n```", "    [^n]: bloc de code indenté",
                                  "Voir [^n] : ceci.", "`[^n]: x`"])
def test_what_is_not_a_footnote_definition(text):
    assert PARSER.parse(text, "fr").problems == []


def test_footnote_definition_with_an_odd_label_still_gets_the_notes_hint():
    """CommonMark reads '[^a b]: x' as a link reference definition: it is a footnote's all the same."""
    assert PARSER.parse("x\n\n[^a b]: y z", "fr").problems == [
        ("[^a b]:", "footnote definition '[^a b]:' is not supported in prose",
         "define footnotes as notes in content/notes/ and cite them as [^note-id]")]


# -- entry links -------------------------------------------------------------------------------

def test_entry_links_resolve_relative_to_the_page():
    text = "Le [drone](equipment:hermes-900) de l'[IAI](actor:iai)."
    assert html(text, page=Page(depth=2)) == ('<p>Le <a href="../../equipment/hermes-900/">drone</a> de '
                                              'l’<a href="../../actor/iai/">IAI</a>.</p>\n')
    assert 'href="../actor/iai/"' in html(text, page=Page(depth=1))


def test_one_compiled_text_fills_many_pages():
    """Parsed and compiled once per language, then filled in per page: links and numbers are the page's."""
    compiled = unpack(pack(PARSER.compile("[IAI](actor:iai)[^n] et [^m][^n]", "fr")))
    deep, shallow = Page(depth=3), Page(depth=1)
    shallow.cite("m")  # this page already cited 'm' above the text
    assert fill(compiled, deep) == f'<p><a href="../../../actor/iai/">IAI</a>{call("n", 1)} et{call("m", 2)}{call("n", 1, 2)}</p>\n'
    assert fill(compiled, shallow) == f'<p><a href="../actor/iai/">IAI</a>{call("n", 2)} et{call("m", 1, 2)}{call("n", 2, 2)}</p>\n'


def test_link_titles_and_urls_are_escaped():
    out = html('[a](event:e1 \'T & "q"\') [b](https://example.org/?a=1&b=2 "x<y")', "en")
    assert '<a href="../../event/e1/" title="T &amp; &quot;q&quot;">a</a>' in out
    assert '<a href="https://example.org/?a=1&amp;b=2" title="x&lt;y">b</a>' in out


@pytest.mark.parametrize("target, reference", [
    ("actor:iai", Reference("actor", "iai", "(actor:iai")),
    ("event:2008-first-contacts", Reference("event", "2008-first-contacts", "(event:2008-first-contacts")),
    ("https://example.org/a", Reference("web", "https://example.org/a", "https://example.org/a")),
    ("HTTPS://EXAMPLE.ORG", Reference("web", "HTTPS://EXAMPLE.ORG", "HTTPS://EXAMPLE.ORG")),
    ("mailto:a@example.org", Reference("web", "mailto:a@example.org", "mailto:a@example.org")),
    ("unknown:id", Reference("unknown", "id", "(unknown:id")),     # kind checked later, against the site's kinds
    ("event:", Reference("event", "", "(event:")),                  # id missing: reported by links.py
    ("event:a#x", Reference("invalid", "event:a#x", "(event:a#x")),  # no fragments into entries
    ("Actor:iai", Reference("invalid", "Actor:iai", "(Actor:iai")),
    ("../fr/acteurs/iai/", Reference("invalid", "../fr/acteurs/iai/", "(../fr/acteurs/iai/")),
])
def test_link_references_are_extracted_for_checking(target, reference):
    assert PARSER.parse(f"voir [ceci]({target})", "fr").references == [reference]


# -- footnotes ---------------------------------------------------------------------------------

def test_notes_numbered_in_order_of_first_use_and_repeated_calls_share_the_number():
    text = "Des drones [^b] et des radars[^a], encore des drones [^b]."
    assert html(text) == f"<p>Des drones{call('b', 1)} et des radars{call('a', 2)}, encore des drones{call('b', 1, 2)}.</p>\n"


def test_note_references_in_text_order_with_repeats():
    parsed = PARSER.parse("x[^b] y[^a] z[^b]", "en")
    assert [(r.kind, r.target, r.written) for r in parsed.references] == [
        ("note", "b", "[^b]"), ("note", "a", "[^a]"), ("note", "b", "[^b]")]


def test_numbering_runs_across_the_fields_of_a_page():
    page = Page()
    summary, body = html("Résumé[^a].", page=page), html("Corps[^c], puis[^a].", page=page)
    assert call("a", 1) in summary
    assert body == f"<p>Corps{call('c', 2)}, puis{call('a', 1, 2)}.</p>\n"
    assert page.footnotes.order == ["a", "c"] and page.footnotes.calls["a"] == ["cite-a-1", "cite-a-2"]


def test_both_languages_number_the_same_notes_the_same_way():
    fr = html("Le contrat[^prix] ; la livraison[^date] : 2022[^prix].", "fr")
    en = html("The contract[^prix]; the delivery[^date]: 2022[^prix].", "en")
    for out in (fr, en):
        assert out.index(call("prix", 1)) < out.index(call("date", 2)) < out.index(call("prix", 1, 2))


@pytest.mark.parametrize("text, printed", [
    ("drones [^a].", f"drones{call('a', 1)}."),     # the call sticks to the word before it
    ("drones   [^a]", f"drones{call('a', 1)}"),
    ("drones[^a] [^b]", f"drones{call('a', 1)}{call('b', 2)}"),
    ("Quoi [^a] ?", f"Quoi{call('a', 1)}{NNBSP}?"),  # French spacing after a call
    ("oui[^a] : non", f"oui{call('a', 1)}{NBSP}: non"),
])
def test_note_call_placement(text, printed):
    assert html(text) == f"<p>{printed}</p>\n"


@pytest.mark.parametrize("text", ["\\[^a] écrit", "`[^a]` en code", "[^ a] avec espace"])
def test_what_is_not_a_note_call(text):
    assert PARSER.parse(text, "fr").references == []
    assert "fn-call" not in html(text)


def test_note_call_inside_link_text():
    parsed = PARSER.parse("Voir [IAI[^a]](actor:iai).", "fr")
    assert Reference("actor", "iai", "(actor:iai") in parsed.references
    assert html("Voir [IAI[^a]](actor:iai).") == f'<p>Voir <a href="../../actor/iai/">IAI{call("a", 1)}</a>.</p>\n'


@pytest.mark.parametrize("text, printed", [
    # a passage in another language inside a link's text, a link inside a passage, passages nested
    ("[le [Dôme de fer]{lang=fr}](equipment:iron-dome)",
     '<a href="../../equipment/iron-dome/">le <span lang="fr">Dôme de fer</span></a>'),
    ("[voir [IAI](actor:iai) ici]{lang=fr}", '<span lang="fr">voir <a href="../../actor/iai/">IAI</a> ici</span>'),
    ("[a [b]{lang=fr} c]{lang=de}", '<span lang="de">a <span lang="fr">b</span> c</span>'),
    ("[a [b[^n]]{lang=fr}](actor:iai)", f'<a href="../../actor/iai/">a <span lang="fr">b{call("n", 1)}</span></a>'),
])
def test_nesting_of_links_passages_and_note_calls(text, printed):
    assert html(text, "en") == f"<p>{printed}</p>\n"


def test_a_link_inside_a_link_is_still_not_nested():
    """HTML has no link inside a link; CommonMark keeps the inner one only."""
    assert html("[a [b](actor:iai)](event:e)", "en") == '<p>[a <a href="../../actor/iai/">b</a>](event:e)</p>\n'


# -- headings and paragraph anchors ----------------------------------------------------------

@pytest.mark.parametrize("shift, printed", [
    (1, "<h2>Contexte</h2>\n<p>x</p>\n<h3>Détail</h3>\n"),
    (2, "<h3>Contexte</h3>\n<p>x</p>\n<h4>Détail</h4>\n"),
    (4, "<h5>Contexte</h5>\n<p>x</p>\n<h6>Détail</h6>\n"),
    (5, "<h6>Contexte</h6>\n<p>x</p>\n<h6>Détail</h6>\n"),  # never past h6
])
@pytest.mark.parametrize("top", ["#", "##", "###"])
def test_headings_fit_under_the_page_outline(shift, printed, top):
    """The text's top level prints `shift` levels below the page's <h1>, whether its sections
    are written '# ' or '## ' (a fixed shift printed '## ' as <h3> right under the <h1>)."""
    text = f"{top} Contexte\n\nx\n\n{top}# Détail"
    assert html(text, "fr", heading_shift=shift) == printed


def test_headings_fit_by_the_top_level_not_the_first():
    assert html("### Un\n\n## Deux\n\nx", "fr") == "<h3>Un</h3>\n<h2>Deux</h2>\n<p>x</p>\n"


@pytest.mark.parametrize("text, warnings", [
    ("## A\n\n### B\n\n## C\n\n### D\n\n#### E", []),
    ("# A\n\nx\n\n### B", [("### B", "heading '### B' skips a level after '# A'",
                               "write it '## ', or add a '## ' heading before it")]),
    ("### A\n\n## B", [("### A", "heading '### A' skips a level as the text's first heading (its sections are '## ')",
                         "write it '## ', or add a '## ' heading before it")]),
    ("Titre\n=====\n\n### B *gras*", [("### B *gras*", "heading '### B *gras*' skips a level after 'Titre'",
                                         "write it '## ', or add a '## ' heading before it")]),
    ("> # A\n\n### B", [("### B", "heading '### B' skips a level after '# A'",
                          "write it '## ', or add a '## ' heading before it")]),
])
def test_headings_that_skip_a_level_are_warned_of(text, warnings):
    """Inside a text, a heading more than one level deeper than the one before it still skips a
    level of the page's outline: `check` warns (as markdownlint's MD001); it is not an error."""
    parsed = PARSER.parse(text, "fr")
    assert parsed.warnings == warnings and parsed.problems == []


def test_anchors_number_top_level_blocks_only():
    text = "Un.\n\n> cité\n\n## Titre\n\n- a\n- b\n\nDeux."
    out = html(text, anchor="body", page=Page(label='Lien "ici"'))
    assert [part.split('"')[0] for part in out.split(' id="')[1:]] == ["body-1", "body-2", "body-3"]
    assert out.startswith('<p id="body-1">Un.<a class="anchor" href="#body-1" aria-label="Lien &quot;ici&quot;" '
                          'title="Lien &quot;ici&quot;" data-pagefind-ignore>#</a></p>\n<blockquote>\n<p>cité</p>')
    assert '<h2 id="body-2">Titre<a class="anchor" href="#body-2"' in out
    assert '<p id="body-3">Deux.' in out


def test_anchor_ids_match_across_languages():
    fr = html("Premier.\n\n## Suite\n\nDernier : oui.", "fr", anchor="body")
    en = html("First.\n\n## Next\n\nLast: yes.", "en", anchor="body")
    ids = lambda out: [part.split('"')[0] for part in out.split(' id="')[1:]]
    assert ids(fr) == ids(en) == ["body-1", "body-2", "body-3"]


def test_no_anchor_no_ids():
    assert " id=" not in html("Un.\n\nDeux.")


def test_render_inline_drops_a_single_paragraph_wrapper():
    assert PARSER.render_inline(PARSER.parse("Un *drone*.", "fr"), "fr", Page()) == "Un <em>drone</em>."
    assert PARSER.render_inline(PARSER.parse("Un.\n\nDeux.", "fr"), "fr", Page()) == "<p>Un.</p>\n<p>Deux.</p>\n"


def test_plain_text_for_descriptions():
    compiled = PARSER.compile("## Titre\n\nUn [drone](equipment:x)[^n] *armé* &amp; <b>.\n\nDeux\ntrois.", "en")
    assert plain_text(compiled) == "Titre Un drone armé & <b>. Deux trois."


def test_plain_text_keeps_french_no_break_spaces():
    """Page descriptions (meta description, share cards) come from here: a line must not
    break before '?' or inside « » there either."""
    compiled = PARSER.compile("Un « prix » : cher ?", "fr")
    assert plain_text(compiled) == f"Un «{NBSP}prix{NBSP}»{NBSP}: cher{NNBSP}?"
    compiled = PARSER.compile("Un\n« prix »  :\n\ncher ?", "fr")  # breakable whitespace still collapses
    assert plain_text(compiled) == f"Un «{NBSP}prix{NBSP}»{NBSP}: cher{NNBSP}?"


def test_page_description_keeps_no_break_spaces_and_never_cuts_at_one():
    from site_builder.render.meta import shorten
    text = "Un « prix » : cher ? " * 12
    description = plain_text(PARSER.compile(text, "fr"))
    assert shorten(description, 50) == f"Un «{NBSP}prix{NBSP}»{NBSP}: cher{NNBSP}? Un «{NBSP}prix{NBSP}»{NBSP}: cher{NNBSP}? Un…"
    # cut at the space after ':', then the colon and the no-break space before it dropped
    assert shorten(description, 40) == f"Un «{NBSP}prix{NBSP}»{NBSP}: cher{NNBSP}? Un «{NBSP}prix{NBSP}»…"


# -- French typography in prose ---------------------------------------------------------------

@pytest.mark.parametrize("text, printed", [
    ("Voir [le drone : « Harop »](equipment:harop) !",
     f'Voir <a href="../../equipment/harop/">le drone{NBSP}: «{NBSP}Harop{NBSP}»</a>{NNBSP}!'),
    ("Le [rapport](https://example.org/a?x=1) ; puis", f'Le <a href="https://example.org/a?x=1">rapport</a>{NNBSP}; puis'),
    ("**Bilan** : nul", f"<strong>Bilan</strong>{NBSP}: nul"),
    ("*Pourquoi* ?", f"<em>Pourquoi</em>{NNBSP}?"),
    ("À 10:30, `x : y ?` puis https://example.org/?q=1",
     "À 10:30, <code>x : y ?</code> puis https://example.org/?q=1"),   # code and URLs untouched
    ("Un [passage *anglais* : yes?]{lang=en} : oui ?",
     f'Un <span lang="en">passage <em>anglais</em> : yes?</span>{NBSP}: oui{NNBSP}?'),
    ("27 % des achats", f"27{NNBSP}% des achats"),
])
def test_french_spacing_in_prose(text, printed):
    assert html(text, "fr") == f"<p>{printed}</p>\n"


def test_english_prose_is_not_respaced():
    assert html("Why? Because: 27 % ; ok!", "en") == "<p>Why? Because: 27 % ; ok!</p>\n"


def test_french_passage_in_english_prose_gets_french_spacing():
    assert html("He said [« Oui ? »]{lang=fr}.", "en") == f'<p>He said <span lang="fr">«{NBSP}Oui{NNBSP}?{NBSP}»</span>.</p>\n'
    # a region subtag is still French; the English around it and passages nested in
    # another language keep their own spacing
    assert html("Why? [Pourquoi ? [why?]{lang=en} Parce que !]{lang=fr-CA} ok !", "en") == (
        f'<p>Why? <span lang="fr-CA">Pourquoi{NNBSP}? <span lang="en">why?</span> Parce que{NNBSP}!</span> ok !</p>\n')
    assert html("[fran ?]{lang=frr} ok ?", "en") == '<p><span lang="frr">fran ?</span> ok ?</p>\n'  # North Frisian
