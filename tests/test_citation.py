"""'Cite this page' on entry pages: in the page's language, with the canonical URL,
two citation styles and a BibTeX record that no title can break."""
from __future__ import annotations

import html
import re
from pathlib import Path

from site_builder.render.citation import tex_escape

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
    """Dated by the page's own last revision (`updated`), not by the event it is about."""
    path = site_copy / "timeline" / "2021-03-15-example-contract.yaml"
    path.write_text(path.read_text().replace("id: 2021-03-15-example-contract\n",
                                             "id: 2021-03-15-example-contract\nadded: 2024-01-10\nupdated: 2024-03-02\n"))
    out = _build(site_copy, run_cli, tmp_path)
    fr = (out / "fr" / "chronologie" / "2021-03-15-example-contract" / "index.html").read_text()
    en = (out / "en" / "timeline" / "2021-03-15-example-contract" / "index.html").read_text()
    fr_cite, en_cite = _cite_section(fr), _cite_section(en)
    assert "<summary>Citer cette page</summary>" in fr_cite and "<summary>Cite this page</summary>" in en_cite
    fr_url, en_url = f"{BASE}fr/chronologie/2021-03-15-example-contract/", f"{BASE}en/timeline/2021-03-15-example-contract/"
    assert f'<link rel="canonical" href="{fr_url}">' in fr
    assert f'<a href="{fr_url}">{fr_url}</a>' in fr_cite and f'<a href="{en_url}">{en_url}</a>' in en_cite
    # APA-like: author, (date), title, site, "consulted" left to fill in
    assert ("Example Editors. (2024, 2 mars). <cite>Contrat d’exemple</cite>. Dynamiques d’exemple. "
            f'Consulté le …, à l’adresse <a href="{fr_url}">') in fr_cite
    assert ("Example Editors. (2024, March 2). <cite>Example contract</cite>. Example Dynamics. "
            f'Retrieved …, from <a href="{en_url}">') in en_cite
    # Chicago-like
    assert "Example Editors. «\u00a0Contrat d’exemple\u00a0». <cite>Dynamiques d’exemple</cite>, 2 mars 2024. Consulté le …." in fr_cite
    assert "Example Editors. “Example contract.” <cite>Example Dynamics</cite>, 2 March 2024. Accessed …." in en_cite
    kind, key, fields = parse_bibtex(_bibtex(en))
    assert (kind, key) == ("misc", "event-2021-03-15-example-contract-en")
    assert fields["url"] == en_url and fields["urldate"] == "" and fields["note"] == "In English"
    assert fields["author"] == "{Example Editors}" and fields["date"] == "2024-03-02" and fields["year"] == "2024"
    assert parse_bibtex(_bibtex(fr))[2]["note"] == "En français"


def test_entry_without_a_date_has_no_date_in_its_citation(site_copy, run_cli, tmp_path):
    out = _build(site_copy, run_cli, tmp_path)
    # an event's own date is not the page's: without `added`/`updated`, no date is invented
    event = _cite_section((out / "en" / "timeline" / "2021-03-15-example-contract" / "index.html").read_text())
    assert "Example Editors. <cite>Example contract</cite>. Example Dynamics. Retrieved …, from" in event
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


# -- a source page: the document's own reference, and the page's citation -------------

SOURCES = {
    "samaan-2014": """id: samaan-2014
added: 2024-02-01
kind: article
authors: ["Jean-Loup Samaan", "Anne Marie Example"]
title: "Israël et l’Eurasie : le retour de la doctrine de la périphérie ?"
container: "Géoéconomie, no. 72"
date: 2014
pages: "pp. 139-150"
language: fr
""",
    "wire-2020": """id: wire-2020
kind: news
title: "Armenia recalls ambassador"
container: Example Wire
date: 2020-10-01
url: https://example.org/wire
language: en
""",
}


def _document_section(page: str) -> str:
    return page[page.index('<section class="cite-document"'):page.index("</section>", page.index('class="cite-document"'))]


def _citations(section: str) -> list[str]:
    return re.findall(r'<dd class="citation">(.*?)</dd>', section, re.S)


def _source_pages(site_copy, write_file, run_cli, tmp_path, id):
    for name, text in SOURCES.items():
        write_file(f"sources/{name}.yaml", text)
    out = _build(site_copy, run_cli, tmp_path)
    return ((out / "fr" / "sources" / id / "index.html").read_text(),
            (out / "en" / "sources" / id / "index.html").read_text())


def test_a_report_is_cited_with_its_own_authors_date_and_publisher(site_copy, write_file, run_cli, tmp_path):
    fr, en = _source_pages(site_copy, write_file, run_cli, tmp_path, "example-report")
    assert _citations(_document_section(en)) == [
        "Example, J. (2023, November). <cite>A Report on Example Dynamics</cite>. Example Institute. "
        '<a href="https://example.org/report.pdf">https://example.org/report.pdf</a>',
        "Example, Jane. <cite>A Report on Example Dynamics</cite>. Example Institute, November 2023. "
        '<a href="https://example.org/report.pdf">https://example.org/report.pdf</a>.']
    # on the French page the English title is marked as English (WCAG 3.1.2); words are French
    assert _citations(_document_section(fr)) == [
        'Example, J. (2023, novembre). <cite lang="en">A Report on Example Dynamics</cite>. Example Institute. '
        '<a href="https://example.org/report.pdf">https://example.org/report.pdf</a>',
        'Example, Jane. <cite lang="en">A Report on Example Dynamics</cite>. Example Institute, novembre 2023. '
        '<a href="https://example.org/report.pdf">https://example.org/report.pdf</a>.']
    kind, key, fields = parse_bibtex(_bibtex(_document_section(en)))
    assert (kind, key) == ("report", "example-report")
    assert fields == {"author": "Example, Jane", "title": "{A Report on Example Dynamics}", "type": "report",
                      "institution": "Example Institute", "year": "2023", "date": "2023-11", "pages": "1--40",
                      "url": "https://example.org/report.pdf", "langid": "english"}


def test_an_article_by_two_authors_in_french_on_an_english_page(site_copy, write_file, run_cli, tmp_path):
    fr, en = _source_pages(site_copy, write_file, run_cli, tmp_path, "samaan-2014")
    title = "Israël et l’Eurasie : le retour de la doctrine de la périphérie ?"
    assert _citations(_document_section(en)) == [
        f'Samaan, J.-L., &amp; Example, A. M. (2014). <span lang="fr">{title}</span> '
        "<cite>Géoéconomie, no. 72</cite>, pp. 139-150.",
        f'Samaan, Jean-Loup, and Anne Marie Example. “<span lang="fr">{title}</span>” '
        "<cite>Géoéconomie, no. 72</cite>, 2014, pp. 139-150."]
    assert _citations(_document_section(fr)) == [
        f"Samaan, J.-L., et Example, A. M. (2014). {title} <cite>Géoéconomie, no. 72</cite>, pp. 139-150.",
        f"Samaan, Jean-Loup, et Anne Marie Example. «\u00a0{title}\u00a0» <cite>Géoéconomie, no. 72</cite>, 2014, pp. 139-150."]
    kind, _, fields = parse_bibtex(_bibtex(_document_section(en)))
    assert kind == "article" and fields["author"] == "Samaan, Jean-Loup and Example, Anne Marie"
    assert fields["journaltitle"] == "Géoéconomie, no. 72" and fields["pages"] == "139--150" and fields["langid"] == "french"
    # the page's title, breadcrumb and "Published in" are marked French on the English page
    assert re.search(rf'<h1\b[^>]*\blang="fr"[^>]*>{re.escape(title)}</h1>', en) and f'<span aria-current="page"><span lang="fr">{title}</span></span>' in en
    assert "<dd>French</dd>" in en and "<dd>français</dd>" in fr


def test_a_news_item_without_author_and_a_database_without_date(site_copy, write_file, run_cli, tmp_path):
    _, en = _source_pages(site_copy, write_file, run_cli, tmp_path, "wire-2020")
    url = '<a href="https://example.org/wire">https://example.org/wire</a>'
    assert _citations(_document_section(en)) == [
        f"Armenia recalls ambassador. (2020, October 1). <cite>Example Wire</cite>. {url}",
        f"“Armenia recalls ambassador.” <cite>Example Wire</cite>, 1 October 2020. {url}."]
    assert "author" not in parse_bibtex(_bibtex(_document_section(en)))[2]
    fr, en = (tmp_path / "build" / lang / "sources" / "example-database" / "index.html" for lang in ("fr", "en"))
    url = '<a href="https://example.org/database">https://example.org/database</a>'
    assert _citations(_document_section(en.read_text())) == [
        f"<cite>Example Transfers Database</cite>. (n.d.). Example Institute. {url}",
        f"<cite>Example Transfers Database</cite>. Example Institute, n.d. {url}."]
    assert _citations(_document_section(fr.read_text()))[0].startswith(
        '<cite lang="en">Example Transfers Database</cite>. (s.\u00a0d.). Example Institute.')
    kind, _, fields = parse_bibtex(_bibtex(_document_section(en.read_text())))
    assert kind == "online" and fields["organization"] == "Example Institute" and "date" not in fields


def test_a_source_page_is_cited_as_the_sites_record_with_its_own_date(site_copy, write_file, run_cli, tmp_path):
    """Not the document's authors and date: the site's team, the page's own date (`updated`
    or else `added`), and a title that says it is the site's record of the document."""
    fr, en = _source_pages(site_copy, write_file, run_cli, tmp_path, "samaan-2014")
    title = "Israël et l’Eurasie : le retour de la doctrine de la périphérie ?"
    cite = _cite_section(en)
    assert (f'Example Editors. (2024, February 1). <cite lang="fr">{title}</cite> [Bibliographic record]. '
            "Example Dynamics. Retrieved …, from") in cite
    assert not any("Samaan" in c or "2014" in c.partition("<a ")[0] for c in _citations(cite))
    assert f"Example Editors. «\u00a0{title} [Notice bibliographique]\u00a0». <cite>Dynamiques d’exemple</cite>, 1er février 2024." \
        in _cite_section(fr)
    fields = parse_bibtex(_bibtex(cite))[2]
    assert fields["author"] == "{Example Editors}" and fields["date"] == "2024-02-01"
    assert fields["titleaddon"] == "Bibliographic record"
    # a source without `added` or `updated`: no date at all, never the document's
    _, report = _source_pages(site_copy, write_file, run_cli, tmp_path, "example-report")
    assert "Example Editors. <cite>A Report on Example Dynamics</cite> [Bibliographic record]. Example Dynamics." \
        in _cite_section(report)


def test_names_are_split_into_family_name_and_initials():
    from site_builder.render.reference import initials, split_name
    assert split_name("Jean-Loup Samaan") == ("Samaan", "Jean-Loup")
    assert split_name("de Gaulle, Charles") == ("de Gaulle", "Charles")
    assert split_name("SIPRI") == ("SIPRI", "")
    assert initials("Jean-Loup") == "J.-L." and initials("Anne Marie") == "A. M."
