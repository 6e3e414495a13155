"""The site's files that are not pages: assets (each also under a fingerprinted name),
icons, the root language picker, robots.txt, _redirects, _headers and the web app
manifests."""
from __future__ import annotations

from pathlib import Path

from .fingerprint import HEADERS_FILE, fingerprinted, headers_file
from .redirects import REDIRECTS_FILE, redirect_rules
from .renderer import LANGUAGES, Renderer, rendered_chunks
from .share_image import ImageCache
from .sitemap import robots
from .views import SiteContext
from .webmanifest import ICONS, manifest, manifest_path


def asset_files(templates: Path, images: ImageCache) -> tuple[dict[str, bytes], dict[str, str]]:
    """Every asset (templates/static and the icons, drawn here or kept in `images`), also
    under its fingerprinted name, and {asset: fingerprinted name} for pages to link to."""
    assets: dict[str, bytes] = {}
    static = templates / "static"
    for asset in sorted(static.rglob("*")) if static.is_dir() else []:
        if asset.is_file():
            assets["assets/" + asset.relative_to(static).as_posix()] = asset.read_bytes()
    assets["assets/favicon.png"] = images.icon(32)
    assets["favicon.ico"] = images.icon_ico()
    assets.update({path: images.icon(size) for path, size in ICONS.items()})
    names = fingerprinted({path: data for path, data in assets.items() if path.startswith("assets/")})
    return {**assets, **{names[path]: data for path, data in assets.items() if path in names}}, names


def site_files(site: SiteContext, renderer: Renderer, assets: dict[str, bytes]) -> dict[str, bytes]:
    """Every output file that is not a page job: the root page, robots.txt, _redirects,
    _headers, the assets, the web app manifests and /favicon.ico (which browsers ask for
    whatever a page says). A template error raises TemplateFailure."""
    files = {"index.html": b"".join(rendered_chunks(renderer.render_root))}
    files["robots.txt"] = robots(site.base_url).encode("utf-8")
    files[REDIRECTS_FILE] = redirect_rules(site)
    files[HEADERS_FILE] = headers_file(site.base_url, LANGUAGES)
    files.update(assets)
    files.update({manifest_path(lang): manifest(site.library.site, lang, site.assets) for lang in LANGUAGES})
    return files
