"""QR codes as inline SVG (segno), for printed pages: a phone camera leads the reader
of a handout back to the page. Dark modules on white with a quiet zone, whatever the
colour scheme, so that every reader app can scan them."""
from __future__ import annotations

import io
import re
from functools import lru_cache

import segno
from markupsafe import Markup, escape


def qr_svg(url: str, label: str) -> Markup:
    """The QR code of `url` as an <svg> with role="img" and `label` as its accessible name."""
    view_box, body = _drawn(url)
    # an accessible name, and no fixed size: the stylesheet sizes it (about 3 cm printed)
    return Markup(f'<svg xmlns="http://www.w3.org/2000/svg" class="qr-code" viewBox="{view_box}" role="img" '
                  f'aria-label="{escape(label)}">{body}')


@lru_cache(maxsize=4096)
def _drawn(url: str) -> tuple[str, str]:
    """(viewBox, rest of the SVG) of the code: some 4 ms to compute, and an entry's four
    printed pages (its page and its bilingual view, in each language) share one short link."""
    code = segno.make(url, error="m", micro=False)
    out = io.BytesIO()
    code.save(out, kind="svg", xmldecl=False, svgns=True, nl=False, border=4, scale=1, omitsize=True,
              dark="#000", light="#fff", svgclass="qr-code", lineclass=None)
    svg = out.getvalue().decode("utf-8")
    size = re.match(r'<svg [^>]*viewBox="([0-9 ]+)"[^>]*>', svg)
    assert size, svg  # segno always writes a viewBox when the size is omitted
    return size.group(1), svg[size.end():]
