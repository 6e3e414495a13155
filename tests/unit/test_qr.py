"""QR codes (site_builder/render/qr.py): the codes segno makes, chosen faster.

qr.py encodes addresses itself (byte mode, Reed–Solomon error correction, placement)
and scores segno's eight masks itself, a whole symbol per integer, instead of letting
segno lay each one out cell by cell; the printed pages must not change for it. These
tests hold it to segno's own output: the same modules (mask and format information
included) and the same SVG, on addresses of every length from a short link to the
largest QR code (every version, each filled to the last bit and one byte short of it,
every error level segno raises M to, every mask), on contents built to make several
masks score alike (ties go to the first), and on contents segno encodes in another mode.
"""
from __future__ import annotations

import io
import random
import re
from functools import lru_cache

import pytest
import segno
from segno import consts

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


def _at_every_version() -> list[str]:
    """For each version, contents that fill its data at error level M to the last bit (no
    room for a terminator) and one byte short of it; short ones that segno raises to H."""
    rng = random.Random(40)
    contents = ["a", "ab", "abcdefg", "ab/cd"]
    for version in range(1, 41):
        count_bits = 8 if version < 10 else 16
        most = (consts.SYMBOL_CAPACITY[version][consts.ERROR_LEVEL_M] - 4 - count_bits) // 8
        contents += ["https://" + "".join(rng.choice(_SAFE) for _ in range(n - 8)) for n in (most, most - 1)]
    return contents


OTHER_MODES = ["HTTPS://EXAMPLE.ORG/E/IAI/", "0123456789" * 5, "https://example.org/é", "https://example.org/€/",
               "https://example.org/日本"]  # alphanumeric, numeric, Latin-1 and UTF-8 bytes
ADDRESSES = _addresses() + _at_every_version() + OTHER_MODES


@lru_cache(maxsize=None)
def _segno(url: str) -> segno.QRCode:
    return segno.make(url, error="m", micro=False)


def _segno_svg(url: str) -> str:
    out = io.BytesIO()
    _segno(url).save(
        out, kind="svg", xmldecl=False, svgns=True, nl=False, border=4, scale=1, omitsize=True,
        dark="#000", light="#fff", svgclass="qr-code", lineclass=None)
    return out.getvalue().decode("utf-8")


def test_the_addresses_cover_every_size_error_level_mask_and_mode():
    codes = [_segno(url) for url in ADDRESSES]
    assert {code.version for code in codes} == set(range(1, 41))  # version info from 7, several alignment patterns
    assert {code.error for code in codes} == {"M", "Q", "H"}  # segno raises the level when the version has room
    assert {code.mask for code in codes} == set(range(8))  # every mask is chosen by segno somewhere
    assert {code.mode for code in codes} == {"byte", "alphanumeric", "numeric"}


@pytest.mark.parametrize("url", ADDRESSES)
def test_the_modules_are_segnos(url):
    assert [bytes(row) for row in qr_matrix(url)] == [bytes(row) for row in _segno(url).matrix]


@pytest.mark.parametrize("url", ADDRESSES)
def test_the_svg_is_segnos(url):
    """The printed page's markup: segno's SVG, in an opening tag with an accessible name."""
    reference = _segno_svg(url)
    opening = re.match(r'<svg [^>]*viewBox="([0-9 ]+)"[^>]*>', reference)
    assert opening
    assert str(qr_svg(url, "QR code & more")) == (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="qr-code" viewBox="{opening.group(1)}" role="img" '
        f'aria-label="QR code &amp; more">{reference[opening.end():]}')


def test_addresses_are_encoded_without_segnos_encoder(monkeypatch):
    """Byte mode, the mode of every address the site prints, is encoded by qr.py itself;
    segno, which lays a code out module by module in Python, only for the other modes."""
    url = "https://example.org/e/event/2023-10-barak-mx-contract-c0017/"
    expected = [bytes(row) for row in _segno(url).matrix]

    def refused(*args, **kwargs):
        raise AssertionError("segno.make was called")

    monkeypatch.setattr(segno, "make", refused)
    assert [bytes(row) for row in qr_matrix(url)] == expected
