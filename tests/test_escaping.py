"""Hostile content comes out inert: no markup or script from YAML reaches a page."""
from __future__ import annotations

import re
from pathlib import Path

TEMPLATES = Path(__file__).parent.parent / "templates"

HOSTILE_PERSON = '''id: jane-example
kind: person
name: "<script>alert('name')</script>"
country: testland
summary:
  fr: >-
    <img src=x onerror=alert(1)> « texte » [clic](javascript:alert(1))
    </textarea><script>alert(2)</script> [lien](https://example.org/"onmouseover="alert(3))
  en: >-
    <b onclick="alert(4)">bold</b> "quoted" </textarea><svg onload=alert(5)>
sources: [example-report]
'''

HOSTILE_SOURCE = '''id: example-database
kind: database
title: "Title </title><script>alert('t')</script>"
container: "\\"><script>alert('c')</script>"
url: "https://example.org/?q=script"
language: en
'''


def test_hostile_text_is_escaped_everywhere(site_copy, write_file, run_cli, tmp_path):
    write_file("actors/jane-example.yaml", HOSTILE_PERSON.replace(" [clic](javascript:alert(1))", ""))
    write_file("sources/example-database.yaml", HOSTILE_SOURCE)
    result = run_cli("build", "--templates", TEMPLATES, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    for page in (tmp_path / "build").rglob("*.html"):
        html = page.read_text()
        # the only scripts are the site's own files, loaded by src; never inline script
        assert not re.search(r"<script(?![^>]*\bsrc=\"[^\"]*(assets/(v/)?[a-z]+(\.[0-9a-f]{10})?\.js|pagefind/)[^\"]*\"|"
                             r" type=\"application/ld\+json\">[^<>]*</script>)", html), page
        assert not re.search(r"<(img|b)\b|<svg\b(?! xmlns=\"http://www.w3.org/2000/svg\" class=\"(chart|qr-code|picture [a-z-]+)\")", html), page
        # (a handler is an attribute: the scan stops at a quote, so text in a value is not one)
        assert not re.search(r"<[a-z][^>\"]*\son(error|load|click|mouseover)=", html), page
    person = (tmp_path / "build" / "fr" / "acteurs" / "jane-example" / "index.html").read_text()
    assert "&lt;script&gt;alert(" in person
    assert "&lt;/textarea&gt;" in person
    sitemap = (tmp_path / "build" / "sitemap.xml").read_text()
    assert "<script" not in sitemap


def test_javascript_link_in_prose_is_refused(site_copy, write_file, run_cli, tmp_path):
    write_file("actors/jane-example.yaml", HOSTILE_PERSON)
    result = run_cli("check", cwd=tmp_path)
    assert result.returncode == 1
    assert "content/actors/jane-example.yaml:7:50: error: unsafe link target 'javascript:'" in result.stderr


def test_unsafe_url_field_is_refused(site_copy, write_file, run_cli, tmp_path):
    write_file("sources/example-database.yaml", HOSTILE_SOURCE.replace("https://example.org/?q=script", "javascript:alert(1)"))
    result = run_cli("check", cwd=tmp_path)
    assert result.returncode == 1
    assert ("content/sources/example-database.yaml:5:6: error: 'javascript:alert(1)' is not a web address "
            "(write a full address starting with https:// or http://)") in result.stderr
