"""QR codes as inline SVG (segno), for printed pages: a phone camera leads the reader
of a handout back to the page. Dark modules on white with a quiet zone, whatever the
colour scheme, so that every reader app can scan them.

segno chooses a code's mask (one of eight patterns laid over the data) as the standard
says: it lays each mask over the symbol and keeps the one with the lowest penalty score.
Done cell by cell in Python, that was three quarters of the time of a code (3.5 ms of
4.5 ms; 2,500 codes at 2,000 entries: a quarter of a cold build's time). Here segno
encodes the data with mask 0, and the eight symbols are scored at once, by segno's own
rules, with every row and column of a symbol held in one integer (a byte per cell);
the chosen mask is then laid over the data and its format information written by
segno's encoder. The SVG is drawn here too, as segno's writer draws it (a generator
per cell there; a regular expression per row here). The bytes are those of segno.make()
and its SVG writer: tests/unit/test_qr.py compares them on codes of every size the site
makes, and larger.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Sequence

import segno
from markupsafe import Markup, escape
from segno import encoder


def qr_svg(url: str, label: str) -> Markup:
    """The QR code of `url` as an <svg> with role="img" and `label` as its accessible name."""
    view_box, body = _drawn(url)
    # an accessible name, and no fixed size: the stylesheet sizes it (about 3 cm printed)
    return Markup(f'<svg xmlns="http://www.w3.org/2000/svg" class="qr-code" viewBox="{view_box}" role="img" '
                  f'aria-label="{escape(label)}">{body}')


@lru_cache(maxsize=4096)
def _drawn(url: str) -> tuple[str, str]:
    """(viewBox, rest of the SVG) of the code: an entry's four printed pages (its page and
    its bilingual view, in each language) share one short link."""
    matrix = qr_matrix(url)
    side = len(matrix) + 2 * BORDER
    return f"0 0 {side} {side}", (f'<path fill="#fff" d="M0 0h{side}v{side}h-{side}z"/>'
                                  f'<path stroke="#000" d="{_dark_path(matrix)}"/></svg>')


BORDER = 4  # the quiet zone around the code, in modules
_DARK_RUN = re.compile(rb"\x01+")


def _dark_path(matrix: tuple[bytearray, ...]) -> str:
    """The path of the dark modules as segno's SVG writer draws them (writers.write_svg with
    one colour, utils.matrix_to_lines): a horizontal stroke per run of dark modules, row
    by row, each move relative to the end of the stroke before."""
    moves: list[str] = []
    x, y = 0, 0.0
    for number, row in enumerate(matrix):
        row_y = BORDER + 0.5 + number
        for run in _DARK_RUN.finditer(row):
            start, end = BORDER + run.start(), BORDER + run.end()
            dy = row_y - y
            moves.append(f"{'m' if moves else 'M'}{start - x} {int(dy) if int(dy) == dy else dy}h{end - start}")
            x, y = end, row_y
    return "".join(moves)


def qr_matrix(url: str) -> tuple[bytearray, ...]:
    """The modules of `segno.make(url, error="m", micro=False)`, mask included."""
    code = segno.make(url, error="m", micro=False, mask=0)
    size = len(code.matrix)
    layout = _layout(size)
    data = layout.data & _whole(code.matrix) ^ layout.masks[0]  # the data cells without a mask
    best, best_score = 0, -1
    for number, mask in enumerate(layout.masks):
        score = _penalty(data ^ mask | layout.fixed, layout)
        if best_score < 0 or score < best_score:  # the first of the lowest score, as segno
            best, best_score = number, score
    if best == 0:
        return code.matrix
    rows = (layout.masks[0] ^ layout.masks[best] ^ _whole(code.matrix)).to_bytes(2 * size * (size + 1), "big")
    matrix = tuple(bytearray(rows[i * (size + 1):i * (size + 1) + size]) for i in range(size))
    encoder.add_format_info(matrix, code._version, encoder.normalize_errorlevel(code.error), best)
    return matrix


def _whole(matrix: Sequence[bytes | bytearray]) -> int:
    """A symbol's rows, then its columns, as one integer: each of them `size` bytes (a cell
    each, 0 or 1, the first one the most significant) and a separating byte, always 0."""
    return _joined([bytes(row) for row in matrix] + [bytes(column) for column in zip(*matrix)])


def _joined(lines: list[bytes]) -> int:
    return int.from_bytes(b"\0".join(lines) + b"\0", "big")


@dataclass(frozen=True)
class _Layout:
    """A symbol of one size as segno sees it while it chooses a mask, as `_whole` integers."""

    size: int
    data: int  # the data cells, the ones masks change
    fixed: int  # the other cells' values then: finder, timing and alignment patterns; format areas 0
    masks: tuple[int, ...]  # each mask's dark cells, among the data cells
    after_first: int  # in every line, each cell but the first (it has one on its left)
    block_ends: int  # in the rows but the first, each cell but the first (a 2 × 2 block ends there)
    rows: int  # every cell of the rows


@lru_cache(maxsize=None)
def _layout(size: int) -> _Layout:
    # what segno's find_and_apply_best_mask sees: data cells still hold 0x2, every other
    # cell its value (the format and version areas, and the dark module, are reserved as 0)
    template = encoder.make_matrix(size, size)
    encoder.add_finder_patterns(template, size, size)
    encoder.add_alignment_patterns(template, size, size)
    data = [bytes(cell == 0x2 for cell in row) for row in template]
    masks = tuple(_whole([bytes(bool(pattern(i, j)) and data[i][j] for j in range(size)) for i in range(size)])
                  for pattern in encoder.get_data_mask_functions(False))
    after_first, nothing = b"\0" + b"\1" * (size - 1), bytes(size)
    return _Layout(size, _whole(data), _whole([bytes(0 if cell == 0x2 else cell for cell in row) for row in template]),
                   masks, _joined([after_first] * (2 * size)),
                   _joined([nothing] + [after_first] * (size - 1) + [nothing] * size),
                   _joined([b"\1" * size] * size + [nothing] * size))


_FINDER_LIKE = bytes((1, 0, 1, 1, 1, 0, 1))


def _penalty(symbol: int, layout: _Layout) -> int:
    """segno's penalty score of a symbol (encoder.mask_scores: N1 + N2 + N3 + N4)."""
    size = layout.size
    # N1: each run of 5 + k cells of one colour in a line: 3 + k. `same`: the cells equal to
    # the one on their left; `run`: those ending five equal cells (k + 1 of them per run),
    # of which the first in each run is counted twice more
    same = (symbol ^ (symbol >> 8) ^ layout.after_first) & layout.after_first
    run = same & (same >> 8) & (same >> 16) & (same >> 24)
    score = run.bit_count() + 2 * (run ^ (run & (run >> 8))).bit_count()
    # N2: each 2 × 2 block of one colour: 3 (counted at its lower right cell, as segno does)
    above = symbol >> 8 * (size + 1)
    different = ((symbol ^ (symbol >> 8)) | (above ^ (above >> 8)) | (symbol ^ above)) & layout.block_ends
    score += 3 * (layout.block_ends.bit_count() - different.bit_count())
    # N3: dark-light-dark-dark-dark-light-dark with four light cells on one side
    text = symbol.to_bytes(2 * size * (size + 1), "big")
    found = text.find(_FINDER_LIKE)
    while found != -1:
        start = found - found % (size + 1)  # (the line it is in, or begins in)
        score += _finder_like(text[start:start + size], size)
        found = text.find(_FINDER_LIKE, start + size + 1)
    # N4: the share of dark cells, by steps of 5 % away from half
    percent = float((symbol & layout.rows).bit_count()) / (size ** 2)
    return score + 10 * int(abs(percent * 100 - 50) / 5)


def _finder_like(cells: bytes, size: int) -> int:
    """N3 of one row or column, as segno counts it (mask_scores.n3_pattern_occurrences)."""
    count = 0
    index = cells.find(_FINDER_LIKE)
    while index != -1:
        offset = index + 7
        if index in (0, size - 7) \
                or not any(cells[max(index - 4, 0):min(index, size)]) \
                or not any(cells[max(offset, 0):min(offset + 4, size)]):
            count += 40
        else:
            offset = index + 4
        index = cells.find(_FINDER_LIKE, offset)
    return count
