"""Share pictures (site_builder/render/share_image.py): a palette PNG that looks like the
full-colour picture Pillow draws, the same bytes for the same card in every process.

The reference below is the picture as it was drawn before it became a palette image
(share_image VERSION 1): RGB, each text blended over the background by Pillow. The palette
picture may differ from it only by the rounding of the text's anti-aliasing to one of
share_image.LEVELS shades of its colour: the same layout, the same flat colours.
"""
from __future__ import annotations

import hashlib
import io
import os
import subprocess
import sys

import pytest
from PIL import Image, ImageChops, ImageDraw

from site_builder.render import share_image
from site_builder.render.share_image import (ACCENT, BACKGROUND, HEIGHT, MARGIN, MAX_LINES, MUTED, RULE, TEXT, WIDTH,
                                             ShareCard, _fit_title, _font, _wrap, draw)

CARDS = [
    ShareCard("Event · 15 March 2021", "Example contract", "Example Dynamics"),
    ShareCard("Événement · 15 mars 2021", "Contrat d’exemple : l’Azerbaïdjan achète des systèmes Barak MX à IAI",
              "Exportations d’armes, expliquées"),
    # four lines at the largest size, descenders on the last one (the line nearest the rule)
    ShareCard("Actor", "Gypsy jumping quays by gypsy jumping quays by gypsy jumping quays by gypsy quays, gypsy jumping quays",
              "Site"),
    # too long for four lines at the smallest size: cut, with an ellipsis
    ShareCard("Source · 2023", " ".join(["Extraordinarily long title words"] * 12), "Site"),
    ShareCard("", "Anunbreakablewordthatiswiderthanthewholepictureanditgoesonandonandonforever", "Site"),
]


def _full_colour(card: ShareCard) -> Image.Image:
    """The picture drawn in RGB, as share_image drew it before VERSION 2."""
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
    return image


def _opened(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def _rgb(colour: str) -> tuple[int, int, int]:
    return tuple(int(colour[i:i + 2], 16) for i in (1, 3, 5))  # type: ignore[return-value]


@pytest.mark.parametrize("card", CARDS)
def test_a_picture_is_a_1200_by_630_palette_png(card):
    picture = _opened(draw(card))
    assert picture.format == "PNG" and picture.size == (WIDTH, HEIGHT) == (1200, 630)
    assert picture.mode == "P" and len(picture.getpalette() or []) <= 3 * 256
    assert "transparency" not in picture.info


@pytest.mark.parametrize("card", CARDS)
def test_the_picture_looks_like_the_full_colour_one(card):
    """Every pixel within the rounding of the anti-aliasing (half a shade's step of the
    darkest ink against the background, under 2 of 255 for 64 shades)."""
    difference = ImageChops.difference(_opened(draw(card)).convert("RGB"), _full_colour(card))
    step = max(abs(a - b) for ink in (ACCENT, TEXT, MUTED) for a, b in zip(_rgb(ink), _rgb(BACKGROUND)))
    largest = max(high for _, high in difference.getextrema())
    assert largest <= step / share_image.LEVELS / 2 + 1


def test_the_flat_colours_are_the_sites_own():
    picture = _opened(draw(CARDS[0])).convert("RGB")
    assert picture.getpixel((0, 0)) == picture.getpixel((600, 7)) == _rgb(ACCENT)  # the bar
    assert picture.getpixel((WIDTH - 1, HEIGHT - 1)) == picture.getpixel((40, 300)) == _rgb(BACKGROUND)
    assert picture.getpixel((600, HEIGHT - 120)) == _rgb(RULE)
    colours = {colour for _, colour in picture.getcolors(maxcolors=256)}
    assert {_rgb(c) for c in (BACKGROUND, TEXT, MUTED, ACCENT, RULE)} <= colours


def test_the_same_card_gives_the_same_bytes_in_another_process():
    script = ("import hashlib, sys; from site_builder.render.share_image import ShareCard, draw; "
              "print(hashlib.sha256(draw(ShareCard(*sys.argv[1:]))).hexdigest())")
    card = CARDS[1]
    here = hashlib.sha256(draw(card)).hexdigest()
    assert hashlib.sha256(draw(card)).hexdigest() == here
    for seed in ("0", "1", "12345"):
        there = subprocess.run([sys.executable, "-c", script, card.kicker, card.title, card.site], check=True,
                               capture_output=True, text=True, env={**os.environ, "PYTHONHASHSEED": seed})
        assert there.stdout.strip() == here


def test_pictures_of_an_earlier_drawing_are_not_reused():
    """The cache keeps pictures by their card's digest, which holds VERSION: the palette
    pictures (VERSION 2) are drawn again rather than read from a cache of RGB ones."""
    assert share_image.VERSION != "1"


def test_a_picture_is_the_same_drawn_first_or_after_others_sharing_its_kicker_and_site():
    """The bands of the kicker and of the site's name are kept between pictures."""
    share_image._recurring_band.cache_clear()
    share_image._first_line.cache_clear()
    first = draw(CARDS[0])
    for title in ("Another title", "Yet another one, on two lines if the picture is not wide enough"):
        draw(ShareCard(CARDS[0].kicker, title, CARDS[0].site))
    assert share_image._recurring_band.cache_info().hits >= 4
    assert draw(CARDS[0]) == first
