"""'Cite this page' on entry pages: in the page's language, with the canonical URL,
two citation styles and a BibTeX record that no title can break."""
from __future__ import annotations

import html
import re
from pathlib import Path

from site_builder.citation import tex_escape

TEMPLATES = Path(__file__).parent.parent / "templates"
BASE = "https://example.org/dynamics/"
HOSTILE_TITLE = r'Contrat {x} & 50 % $_#^~\ <b>"q"</b>'


def _build(site_copy: Path, run_cli, tmp_path: Path) -> Path:
    result = run_cli("build", "--templates", TEMPLATES, "--no-search", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    return tmp_path / "build"


def _cite_section(page: str) -> str:
    start = page.index('<details class="cite-page"')
    return page[start:page.index("</details>", start)]


def _bibtex(page: str) -> str:
    match = re.search(r'<pre class="bibtex"><code>(.*?)</code></pre>', page, re.S)
    assert match, "no BibTeX block"
    return html.unescape(match.group(1))


def parse_bibtex(text: str) -> tuple[str, str, dict[str, str]]:
    """A strict reader of one `@type{key, name = {value}, ...}` record: braces balance
    (escaped ones aside) and no TeX special character is left unescaped in a value."""
    head = re.match(r"@(\w+)\{([A-Za-z0-9:_-]+),\n", text)
    assert head, text
    fields, pos = {}, head.end()
    while True:
        match = re.compile(r"\s*([a-z]+)\s*=\s*\{").match(text, pos)
        if not match:
            break
        depth, i = 1, match.end()
        while depth:
            assert i < len(text), f"unbalanced braces in {match.group(1)}"
            if text[i] == "\\":
                i += 2
                continue
            depth += {"{": 1, "}": -1}.get(text[i], 0)
            i += 1
        value = text[match.end():i - 1]
        if match.group(1) != "url":
            unescaped = re.findall(r"(?<!\\)[$&%#_^~]", re.sub(r"\\text\w+\{\}", "", value))
            assert not unescaped, f"{match.group(1)}: unescaped {unescaped} in {value!r}"
        fields[match.group(1)] = value
        assert text[i] == ",", f"no comma after {match.group(1)}"
        pos = i + 1
    assert text[pos:].strip() == "}", f"record does not end with a brace: {text[pos:]!r}"
    return head.group(1), head.group(2), fields


def test_cite_this_page_in_each_language_with_canonical_url(site_copy, run_cli, tmp_path):
    out = _build(site_copy, run_cli, tmp_path)
    fr = (out / "fr" / "chronologie" / "2021-03-15-example-contract" / "index.html").read_text()
    en = (out / "en" / "timeline" / "2021-03-15-example-contract" / "index.html").read_text()
    fr_cite, en_cite = _cite_section(fr), _cite_section(en)
    assert "<summary>Citer cette page</summary>" in fr_cite and "<summary>Cite this page</summary>" in en_cite
    fr_url, en_url = f"{BASE}fr/chronologie/2021-03-15-example-contract/", f"{BASE}en/timeline/2021-03-15-example-contract/"
    assert f'<link rel="canonical" href="{fr_url}">' in fr
    assert f'<a href="{fr_url}">{fr_url}</a>' in fr_cite and f'<a href="{en_url}">{en_url}</a>' in en_cite
    # APA-like: author, (date), title, site, "consulted" left to fill in
    assert ("Example Editors. (2021, 15 mars). <cite>Contrat d’exemple</cite>. Dynamiques d’exemple. "
            f'Consulté le …, à l’adresse <a href="{fr_url}">') in fr_cite
    assert ("Example Editors. (2021, March 15). <cite>Example contract</cite>. Example Dynamics. "
            f'Retrieved …, from <a href="{en_url}">') in en_cite
    # Chicago-like
    assert "Example Editors. «\u00a0Contrat d’exemple\u00a0». <cite>Dynamiques d’exemple</cite>, 15 mars 2021. Consulté le …." in fr_cite
    assert "Example Editors. “Example contract.” <cite>Example Dynamics</cite>, 15 March 2021. Accessed …." in en_cite
    kind, key, fields = parse_bibtex(_bibtex(en))
    assert (kind, key) == ("misc", "event-2021-03-15-example-contract-en")
    assert fields["url"] == en_url and fields["urldate"] == "" and fields["note"] == "In English"
    assert fields["author"] == "{Example Editors}" and fields["date"] == "2021-03-15" and fields["year"] == "2021"
    assert parse_bibtex(_bibtex(fr))[2]["note"] == "En français"


def test_entry_without_a_date_has_no_date_in_its_citation(site_copy, run_cli, tmp_path):
    out = _build(site_copy, run_cli, tmp_path)
    cite = _cite_section((out / "en" / "actors" / "testland" / "index.html").read_text())
    assert "Example Editors. <cite>Testland</cite>. Example Dynamics. Retrieved …, from" in cite
    assert "“Testland.” <cite>Example Dynamics</cite>. Accessed …." in cite
    fields = parse_bibtex(_bibtex((out / "en" / "actors" / "testland" / "index.html").read_text()))[2]
    assert "year" not in fields and "date" not in fields


def test_every_entry_page_can_be_cited_and_no_other_page(site_copy, run_cli, tmp_path):
    out = _build(site_copy, run_cli, tmp_path)
    for lang, sections in (("fr", ("chronologie", "equipements", "acteurs", "sources", "themes", "donnees")),
                           ("en", ("timeline", "equipment", "actors", "sources", "themes", "data"))):
        for section in sections:
            entries = [p for p in (out / lang / section).glob("*/index.html")]
            assert entries
            for page in entries:
                text = page.read_text()
                assert text.count('<details class="cite-page"') == 1, page
                parse_bibtex(_bibtex(text))
            index = (out / lang / section / "index.html").read_text()
            assert "cite-page" not in index


def test_hostile_title_is_escaped_in_html_and_bibtex(site_copy, write_file, run_cli, tmp_path):
    path = site_copy / "timeline" / "2021-03-15-example-contract.yaml"
    escaped = HOSTILE_TITLE.replace("\\", "\\\\").replace('"', '\\"')
    path.write_text(path.read_text().replace("fr: Contrat d'exemple", f'fr: "{escaped}"', 1))
    out = _build(site_copy, run_cli, tmp_path)
    page = (out / "fr" / "chronologie" / "2021-03-15-example-contract" / "index.html").read_text()
    assert "<b>" not in page and "&lt;b&gt;" in _cite_section(page)
    fields = parse_bibtex(_bibtex(page))[2]
    assert fields["title"] == "{" + r'Contrat \{x\} \& 50 \% \$\_\#\textasciicircum{}\textasciitilde{}\textbackslash{} <b>"q"</b>' + "}"


def test_tex_escape_handles_every_special_character():
    assert tex_escape("a\\b{c}$&%#_^~\nz") == r"a\textbackslash{}b\{c\}\$\&\%\#\_\textasciicircum{}\textasciitilde{} z"
