"""QR codes (site_builder/render/qr.py): the codes segno makes, chosen faster.

qr.py scores segno's eight masks itself, a whole symbol per integer, instead of letting
segno lay each one out cell by cell; the printed pages must not change for it. These
tests hold it to segno's own output: the same modules (mask and format information
included) and the same SVG, on addresses of every length from a short link to versions
larger than the site ever makes (where alignment patterns and version information
appear), and on contents built to make several masks score alike (ties go to the first).
"""
from __future__ import annotations

import io
import random
import re

import pytest
import segno

from site_builder.render.qr import qr_matrix, qr_svg

_SAFE = "abcdefghijklmnopqrstuvwxyz0123456789-/"


def _addresses() -> list[str]:
    rng = random.Random(15)
    short_links = [f"https://example.org/e/{kind}/{id}/" for kind in ("event", "actor", "equipment")
                   for id in ("iai", "azerbaijan-c0001", "2008-first-contacts", "2023-10-barak-mx-contract-c0017")]
    lengths = list(range(1, 120, 3)) + list(range(120, 400, 17))
    random_ones = ["https://" + "".join(rng.choice(_SAFE) for _ in range(n)) for n in lengths]
    uniform = ["https://example.org/" + "a" * n for n in (1, 10, 40, 100)] + ["0" * 30, "/" * 60]
    return short_links + random_ones + uniform


ADDRESSES = _addresses()


def _segno_svg(url: str) -> str:
    out = io.BytesIO()
    segno.make(url, error="m", micro=False).save(
        out, kind="svg", xmldecl=False, svgns=True, nl=False, border=4, scale=1, omitsize=True,
        dark="#000", light="#fff", svgclass="qr-code", lineclass=None)
    return out.getvalue().decode("utf-8")


def test_the_addresses_cover_every_size_the_site_makes_and_more():
    versions = {segno.make(url, error="m", micro=False).version for url in ADDRESSES}
    assert set(range(1, 13)) <= versions  # version info from 7, several alignment patterns from 7
    masks = {segno.make(url, error="m", micro=False).mask for url in ADDRESSES}
    assert masks == set(range(8))  # every mask is chosen by segno somewhere


@pytest.mark.parametrize("url", ADDRESSES)
def test_the_modules_are_segnos(url):
    assert [bytes(row) for row in qr_matrix(url)] == [bytes(row) for row in segno.make(url, error="m", micro=False).matrix]


@pytest.mark.parametrize("url", ADDRESSES)
def test_the_svg_is_segnos(url):
    """The printed page's markup: segno's SVG, in an opening tag with an accessible name."""
    reference = _segno_svg(url)
    opening = re.match(r'<svg [^>]*viewBox="([0-9 ]+)"[^>]*>', reference)
    assert opening
    assert str(qr_svg(url, "QR code & more")) == (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="qr-code" viewBox="{opening.group(1)}" role="img" '
        f'aria-label="QR code &amp; more">{reference[opening.end():]}')
