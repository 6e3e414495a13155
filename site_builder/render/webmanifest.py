"""The web app manifest of each language (`fr/manifest.webmanifest`): the site's name,
description, colours and icons, for browsers and systems that install or pin a site."""
from __future__ import annotations

import json
from typing import Any, Mapping

from ..core.typography import for_language

ICONS = {"assets/icon-192.png": 192, "assets/icon-512.png": 512}  # drawn at build time (share_image.icon)


def manifest_path(lang: str) -> str:
    return f"{lang}/manifest.webmanifest"


def manifest(site: Any, lang: str, assets: Mapping[str, str]) -> bytes:
    """`site`: the SiteSettings; `assets`: fingerprinted names of the assets (fingerprint.py).
    Addresses are relative to the manifest, so the site works under any base path."""
    title = for_language(site.title if isinstance(site.title, str) else getattr(site.title, lang), lang)
    data = {
        "name": title,
        "short_name": title.split(":")[0].strip()[:30],
        "description": for_language(getattr(site.tagline, lang), lang),
        "lang": lang, "dir": "ltr",
        "start_url": "./", "scope": "../",
        "display": "browser",
        "background_color": "#fdfcf9", "theme_color": "#1a5c96",
        "icons": [{"src": f"../{assets.get(path, path)}", "sizes": f"{size}x{size}", "type": "image/png"}
                  for path, size in ICONS.items()]
        + [{"src": f"../{assets.get('assets/favicon.svg', 'assets/favicon.svg')}", "sizes": "any", "type": "image/svg+xml"}],
    }
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
