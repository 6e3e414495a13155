"""Small helpers to read a built site the way a browser would: pages, links, ids."""
from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlparse


@dataclass
class ParsedPage:
    lang: str = ""
    ids: set[str] = field(default_factory=set)
    links: list[tuple[str, dict]] = field(default_factory=list)  # (href, attrs) of <a> and <link>
    text: list[str] = field(default_factory=list)


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = ParsedPage()

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "html":
            self.page.lang = attributes.get("lang", "")
        if "id" in attributes:
            self.page.ids.add(attributes["id"])
        if tag in ("a", "link") and "href" in attributes:
            self.page.links.append((attributes["href"], {"tag": tag, **attributes}))
        if tag == "script" or tag == "img":
            self.page.links.append((attributes.get("src", ""), {"tag": tag, **attributes}))

    def handle_data(self, data):
        self.page.text.append(data)


def parse_page(path: Path) -> ParsedPage:
    collector = _Collector()
    collector.feed(path.read_text(encoding="utf-8"))
    return collector.page


def html_pages(root: Path) -> list[Path]:
    return sorted(root.rglob("*.html"))


def resolve(root: Path, page: Path, href: str) -> tuple[Path, str] | None:
    """The file and fragment an internal link points to, or None for external links."""
    parsed = urlparse(href)
    if parsed.scheme or href.startswith("//"):
        return None
    page_dir = posixpath.dirname(page.relative_to(root).as_posix())
    if parsed.path.startswith("/"):  # root-relative (the 404 pages): the site is served at the root here
        page_dir, parsed = "", parsed._replace(path=parsed.path.lstrip("/") or ".")
    target = posixpath.normpath(posixpath.join(page_dir, unquote(parsed.path))) if parsed.path else page.relative_to(root).as_posix()
    path = root / target
    if parsed.path.endswith("/") or path.is_dir():
        path = path / "index.html"
    return path, parsed.fragment
