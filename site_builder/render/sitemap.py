"""sitemap.xml with language alternates, and robots.txt pointing to it."""
from __future__ import annotations

from xml.sax.saxutils import escape, quoteattr

from .urls import PageKey, absolute


def sitemap(keys: list[PageKey], base_url: str, languages: tuple[str, ...]) -> str:
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">']
    for key in keys:
        if key.kind == "not-found":
            continue
        alternates = [(lang, absolute(base_url, key.path(lang))) for lang in languages]
        for lang in languages:
            lines.append(f"  <url><loc>{escape(absolute(base_url, key.path(lang)))}</loc>")
            for hreflang, href in alternates:
                lines.append(f'    <xhtml:link rel="alternate" hreflang="{hreflang}" href={quoteattr(href)}/>')
            lines.append(f'    <xhtml:link rel="alternate" hreflang="x-default" href={quoteattr(absolute(base_url, ""))}/>')
            lines.append("  </url>")
    root = absolute(base_url, "")
    lines.append(f"  <url><loc>{escape(root)}</loc>")
    for hreflang, href in [(lang, absolute(base_url, f"{lang}/")) for lang in languages] + [("x-default", root)]:
        lines.append(f'    <xhtml:link rel="alternate" hreflang="{hreflang}" href={quoteattr(href)}/>')
    lines.append("  </url>")
    lines.append("</urlset>")
    return "\n".join(lines) + "\n"


def robots(base_url: str) -> str:
    return f"User-agent: *\nAllow: /\n\nSitemap: {absolute(base_url, 'sitemap.xml')}\n"
