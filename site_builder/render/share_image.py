"""The picture a page shows when its link is shared (og:image): 1200 × 630 PNG.

Drawn at build time with Pillow from three texts in the page's language (what
the page is, its title, the site's name), in Source Sans Pro (SIL Open Font
Licence), which the `font-source-sans-pro` package installs with the tool: the
picture is the same on every machine, and no font is fetched from elsewhere.

Drawing and encoding one picture takes some 15 ms, so pictures are kept in a
folder of the build cache under the hash of what they show (`ImageCache`): a
build renders only pictures whose texts changed, even when templates or code
changed and every page is rendered again, and a clean build in the same folder
reuses them. The PNG's bytes depend only on the texts, so a cached picture is
the one a clean build would draw. The site's icons are kept there too.
"""
from __future__ import annotations

import hashlib
import io
import os
import tempfile
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files
from pathlib import Path
from typing import Callable

from PIL import Image, ImageDraw, ImageFont

WIDTH, HEIGHT = 1200, 630
MARGIN = 80
# The site's light palette (templates/static/style.css): background, text, muted, accent, rule.
BACKGROUND, TEXT, MUTED, ACCENT, RULE = "#fdfcf9", "#1d1d1f", "#5a5a60", "#1a5c96", "#d9d6cf"
TITLE_SIZES = (76, 66, 58, 50, 44)  # the largest at which the title fits in MAX_LINES
MAX_LINES = 4
VERSION = "1"  # bump when the drawing changes: cached pictures are then drawn again
SHARE_IMAGES = "share-images"  # the cache's folder, in the build cache (state.cache_folder)


@dataclass(frozen=True)
class ShareCard:
    kicker: str  # what the page is: "Event · 15 March 2021"
    title: str
    site: str  # the site's name

    def digest(self) -> str:
        text = "\0".join((VERSION, self.kicker, self.title, self.site))
        return hashlib.sha256(text.encode("utf-8")).hexdigest()


@lru_cache(maxsize=None)
def _font(weight: str, size: int) -> ImageFont.FreeTypeFont:
    path = files("font_source_sans_pro") / "files" / f"SourceSansPro-{weight}.ttf"
    return ImageFont.truetype(str(path), size)


def _wrap(text: str, font: ImageFont.FreeTypeFont, width: int) -> list[str]:
    """Lines of at most `width` pixels, broken between words (a word longer than a line is cut)."""
    lines: list[str] = []
    for word in text.split():
        candidate = f"{lines[-1]} {word}" if lines else word
        if lines and font.getlength(candidate) <= width:
            lines[-1] = candidate
            continue
        while font.getlength(word) > width:  # one unbreakable word wider than the picture
            cut = max(1, next(i for i in range(len(word), 0, -1) if font.getlength(word[:i]) <= width))
            lines.append(word[:cut])
            word = word[cut:]
        lines.append(word)
    return lines or [""]


def _fit_title(title: str, width: int) -> tuple[ImageFont.FreeTypeFont, list[str]]:
    for size in TITLE_SIZES:
        font = _font("Bold", size)
        lines = _wrap(title, font, width)
        if len(lines) <= MAX_LINES:
            return font, lines
    lines = lines[:MAX_LINES]
    while lines[-1] and font.getlength(lines[-1] + "…") > width:
        lines[-1] = lines[-1][:-1]
    lines[-1] = lines[-1].rstrip() + "…"
    return font, lines


def draw(card: ShareCard) -> bytes:
    """The picture as PNG bytes (the same bytes for the same card)."""
    image = Image.new("RGB", (WIDTH, HEIGHT), BACKGROUND)
    pen = ImageDraw.Draw(image)
    pen.rectangle((0, 0, WIDTH, 14), fill=ACCENT)
    inner = WIDTH - 2 * MARGIN
    kicker = _font("Semibold", 34)
    if card.kicker:
        pen.text((MARGIN, 78), _wrap(card.kicker, kicker, inner)[0], font=kicker, fill=ACCENT)
    font, lines = _fit_title(card.title, inner)
    line_height = round(font.size * 1.15)
    top = 150 + max(0, (MAX_LINES - len(lines)) * line_height // 4)
    for number, line in enumerate(lines):
        pen.text((MARGIN, top + number * line_height), line, font=font, fill=TEXT)
    pen.line((MARGIN, HEIGHT - 120, WIDTH - MARGIN, HEIGHT - 120), fill=RULE, width=2)
    footer = _font("Regular", 34)
    pen.text((MARGIN, HEIGHT - 96), _wrap(card.site, footer, inner)[0], font=footer, fill=MUTED)
    out = io.BytesIO()
    image.save(out, "PNG", optimize=False, compress_level=6)
    return out.getvalue()


@dataclass(frozen=True)
class ImageCache:
    """Pictures kept by the hash of their card, in `folder` (None: no cache, always drawn)."""

    folder: Path | None

    def picture(self, card: ShareCard) -> bytes:
        return self._kept(f"{card.digest()}.png", lambda: draw(card))

    def icon(self, size: int) -> bytes:
        """The site's icon (`icon`), kept too: drawing the 512 px one takes 0.1 s, on every build."""
        return self._kept(f"icon-{VERSION}-{size}.png", lambda: icon(size))

    def icon_ico(self) -> bytes:
        return self._kept(f"icon-{VERSION}.ico", icon_ico)

    def _kept(self, name: str, make: Callable[[], bytes]) -> bytes:
        if self.folder is None:
            return make()
        path = self.folder / name
        try:
            return path.read_bytes()
        except OSError:
            pass
        data = make()
        try:  # written beside, then renamed: a reader never sees half a picture
            self.folder.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=self.folder, suffix=".tmp")  # (never a picture's name)
            with os.fdopen(handle, "wb") as out:
                out.write(data)
            os.replace(temporary, path)
        except OSError:  # no cache: only slower
            pass
        return data


# -- the site's icon --------------------------------------------------------------
# Two linked rings on the accent colour: the same drawing as templates/static/favicon.svg,
# drawn here as PNG for browsers and systems that do not take SVG icons (and for favicon.ico).

def icon(size: int) -> bytes:
    """The icon as a `size` × `size` PNG, drawn four times larger and scaled down (smooth edges)."""
    return _encode(_icon_image(size), "PNG")


def icon_ico() -> bytes:
    """favicon.ico (16, 32 and 48 px), for browsers that ask for /favicon.ico whatever the page says."""
    return _encode(_icon_image(48), "ICO", sizes=[(16, 16), (32, 32), (48, 48)])


def _icon_image(size: int) -> Image.Image:
    scale = size * 4 / 64  # the SVG's viewBox is 64 × 64
    big = Image.new("RGBA", (size * 4, size * 4), (0, 0, 0, 0))
    pen = ImageDraw.Draw(big)
    pen.rounded_rectangle((0, 0, size * 4 - 1, size * 4 - 1), radius=round(12 * scale), fill=ACCENT)
    for cx in (25, 39):
        box = [round(v * scale) for v in (cx - 13, 32 - 13, cx + 13, 32 + 13)]
        pen.ellipse(box, outline=BACKGROUND, width=round(5 * scale))
    return big.resize((size, size), Image.Resampling.LANCZOS)


def _encode(image: Image.Image, kind: str, **options: object) -> bytes:
    out = io.BytesIO()
    image.save(out, kind, **options)
    return out.getvalue()
