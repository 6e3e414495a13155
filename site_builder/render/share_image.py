"""The picture a page shows when its link is shared (og:image): 1200 × 630 PNG.

Drawn at build time with Pillow from three texts in the page's language (what
the page is, its title, the site's name), in Source Sans Pro (SIL Open Font
Licence), which the `font-source-sans-pro` package installs with the tool: the
picture is the same on every machine, and no font is fetched from elsewhere.

The picture is a palette image: its five flat colours, and for each of the three
text colours LEVELS shades towards the background for the text's anti-aliasing
(each text is drawn on a grayscale mask, whose coverage picks the shade). It looks
like the full-colour picture Pillow would draw (no pixel off by more than 2 of 255),
and it is three times faster to make and half the size: an RGB PNG is mostly
Pillow choosing a filter for each row of 3,600 bytes and compressing them (15 ms
of 18), a palette PNG is stored unfiltered, a third of the bytes to compress.

Drawing and encoding one picture still takes some 5 ms, so pictures are kept in a
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
VERSION = "2"  # bump when the drawing changes: cached pictures are then drawn again
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


LEVELS = 64  # shades of each text colour, the last one the colour itself (half a step: under 2 of 255)
INKS = (ACCENT, TEXT, MUTED)  # the colours text is written in
COMPRESS_LEVEL = 3  # zlib's: 2.2 ms and 25 KB a picture; 6 is 4.4 ms for 21 KB, 1 is 2.0 ms for 28 KB


def _rgb(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def _shade(ink: str, level: int) -> tuple[int, ...]:
    """`level` / LEVELS of the way from the background to `ink`: what Pillow's blending of
    `ink` over the background gives for that coverage."""
    return tuple(round(back + (front - back) * level / LEVELS) for back, front in zip(_rgb(BACKGROUND), _rgb(ink)))


# The palette: 0 the background, 1 the rule, then LEVELS shades of each ink (1 / LEVELS to all of it).
_RULE_INDEX = 1
PALETTE = bytes(value for colour in [_rgb(BACKGROUND), _rgb(RULE)]
                + [_shade(ink, level) for ink in INKS for level in range(1, LEVELS + 1)] for value in colour)


def _index(ink: str, coverage: int) -> int:
    """The palette entry of `ink` over the background at `coverage` (0–255) of a pixel."""
    level = round(coverage * LEVELS / 255)
    return 2 + INKS.index(ink) * LEVELS + level - 1 if level else 0


@lru_cache(maxsize=None)
def _shades(ink: str) -> tuple[int, ...]:
    """A mask's coverage → the palette entry (Image.point's table)."""
    return tuple(_index(ink, coverage) for coverage in range(256))


_COVERED = (0,) + (255,) * 255  # a mask's written pixels, as a "1" image (Image.point's table)


@dataclass(frozen=True)
class _Text:
    ink: str
    xy: tuple[int, int]  # its left and its ascender line (Pillow's "la" anchor)
    text: str
    font: ImageFont.FreeTypeFont


def _texts(card: ShareCard) -> list[_Text]:
    """The card's texts, where they go and in which colour."""
    inner = WIDTH - 2 * MARGIN
    texts = []
    if card.kicker:
        texts.append(_Text(ACCENT, (MARGIN, 78), _first_line(card.kicker, "Semibold"), _font("Semibold", 34)))
    font, lines = _fit_title(card.title, inner)
    line_height = round(font.size * 1.15)
    top = 150 + max(0, (MAX_LINES - len(lines)) * line_height // 4)
    texts += [_Text(TEXT, (MARGIN, top + number * line_height), line, font) for number, line in enumerate(lines)]
    texts.append(_Text(MUTED, (MARGIN, HEIGHT - 96), _first_line(card.site, "Regular"), _font("Regular", 34)))
    return [text for text in texts if text.text.strip()]


@lru_cache(maxsize=256)
def _first_line(text: str, weight: str) -> str:
    """The first line of a kicker or of the site's name (34 px): the same on many pictures."""
    return _wrap(text, _font(weight, 34), WIDTH - 2 * MARGIN)[0]


def draw(card: ShareCard) -> bytes:
    """The picture as PNG bytes (the same bytes for the same card)."""
    picture = Image.new("L", (WIDTH, HEIGHT), 0)  # palette entries, until the palette is put in
    pen = ImageDraw.Draw(picture)  # flat shapes: no anti-aliasing, one palette entry each
    pen.rectangle((0, 0, WIDTH, 14), fill=_index(ACCENT, 255))
    pen.line((MARGIN, HEIGHT - 120, WIDTH - MARGIN, HEIGHT - 120), fill=_RULE_INDEX, width=2)
    texts = _texts(card)  # (never over the bar or the rule: drawing them first changes nothing)
    for ink in INKS:
        same = tuple(text for text in texts if text.ink == ink)
        band = _band(ink, same) if ink == TEXT else _recurring_band(ink, same)
        if band is not None:  # only the pixels a text covers: a palette's entries cannot be blended
            picture.paste(band.shades, (0, band.top), band.covered)
    picture.putpalette(PALETTE)  # (an "L" image becomes a "P" one, its values the entries)
    out = io.BytesIO()
    picture.save(out, "PNG", optimize=False, compress_level=COMPRESS_LEVEL)
    return out.getvalue()


@dataclass(frozen=True)
class _Band:
    """Texts of one colour across the picture, from row `top`: their palette entries, and
    the pixels they cover (a "1" image). Never changed once made (pasted from only)."""

    top: int
    shades: Image.Image
    covered: Image.Image


def _band(ink: str, texts: tuple[_Text, ...]) -> _Band | None:
    """Texts of one colour, drawn on one grayscale band (where two of them touch, their
    coverages add up as their colours would) whose coverage picks the shades of `ink`."""
    if not texts:
        return None
    boxes = [text.font.getbbox(text.text) for text in texts]  # (whole pixels, typed as floats)
    top = min(text.xy[1] + int(box[1]) for text, box in zip(texts, boxes))
    bottom = max(text.xy[1] + int(box[3]) for text, box in zip(texts, boxes))
    if bottom <= top:
        return None
    band = Image.new("L", (WIDTH, bottom - top), 0)
    pen = ImageDraw.Draw(band)
    for text in texts:
        pen.text((text.xy[0], text.xy[1] - top), text.text, font=text.font, fill=255)
    return _Band(top, band.point(_shades(ink)), band.point(_COVERED, "1"))


# The kicker and the site's name, one line each, recur from picture to picture (every
# picture of a language has the same site's name): their bands are kept, a few dozen
# small images; the title's, different on each picture and up to 400 KB, are not.
_recurring_band = lru_cache(maxsize=32)(_band)


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
