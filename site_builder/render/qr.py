"""QR codes as inline SVG, for printed pages: a phone camera leads the reader of a
handout back to the page. Dark modules on white with a quiet zone, whatever the colour
scheme, so that every reader app can scan them.

The codes are segno's (`segno.make(url, error="m", micro=False)`), made faster: segno
works module by module in Python (4.5 ms a code; 2,500 codes at 2,000 entries were a
quarter of a cold build's time). Here:

- an address (byte mode: every address the site prints) is encoded as segno encodes it
  (the smallest version, the error level raised while the version has room, segno's
  padding, Reed–Solomon error correction, the codewords' placement), with a table per
  generator polynomial and one precomputed placement per symbol size; the other modes
  (numeric, alphanumeric) are left to segno, with mask 0;
- the mask (one of eight patterns laid over the data) is chosen as segno does, by the
  standard's penalty rules, on the eight symbols scored at once with every row and column
  of a symbol held in one integer (a byte per cell); segno's encoder then writes the
  format and version information;
- the SVG is drawn as segno's writer draws it (a generator per cell there; a regular
  expression per row here).

0.4 ms a code instead of segno's 4.5 ms (and 1.3 ms with segno's encoding of the data).
The bytes are those of segno.make() and its SVG writer: tests/unit/test_qr.py compares
them on codes of every version, error level, mask and mode.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from operator import itemgetter
from typing import Any, Callable, Sequence, cast

import segno
from markupsafe import Markup, escape
from segno import consts, encoder


def qr_svg(url: str, label: str) -> Markup:
    """The QR code of `url` as an <svg> with role="img" and `label` as its accessible name."""
    view_box, body = _drawn(url)
    # an accessible name, and no fixed size: the stylesheet sizes it (about 3 cm printed)
    return Markup(f'<svg xmlns="http://www.w3.org/2000/svg" class="qr-code" viewBox="{view_box}" role="img" '
                  f'aria-label="{escape(label)}">{body}')


@lru_cache(maxsize=64)
def _drawn(url: str) -> tuple[str, str]:
    """(viewBox, rest of the SVG) of the code: an entry's four printed pages (its page and
    its bilingual view, in each language) share one short link, and are rendered one after
    the other (jobs.py), so a few codes kept are every hit: at 5,000 entries, 4,096 kept
    were 8 MB in each process for no more hits."""
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
    encoded = _encoded(url)
    if encoded is None:  # another mode than bytes, or too long: segno encodes it
        code = segno.make(url, error="m", micro=False, mask=0)
        layout = _layout(len(code.matrix))
        data = layout.data & _whole(code.matrix) ^ layout.masks[0]  # the data cells without the mask
        return _masked(data, layout, (layout.size - 17) // 4, encoder.normalize_errorlevel(code.error))
    version, error, message = encoded
    layout = _layout(version * 4 + 17)
    return _masked(int.from_bytes(bytes(layout.placed(message)), "big"), layout, version, error)


def _masked(data: int, layout: _Layout, version: int, error: int) -> tuple[bytearray, ...]:
    """The symbol with the mask of the lowest penalty (the first of them, as segno) and its
    format and version information."""
    best, best_score = 0, -1
    for number, mask in enumerate(layout.masks):
        score = _penalty(data ^ mask | layout.fixed, layout)
        if best_score < 0 or score < best_score:
            best, best_score = number, score
    size = layout.size
    rows = (data ^ layout.masks[best] | layout.fixed).to_bytes(2 * size * (size + 1), "big")
    matrix = tuple(bytearray(rows[i * (size + 1):i * (size + 1) + size]) for i in range(size))
    encoder.add_format_info(matrix, version, error, best)
    encoder.add_version_info(matrix, version)
    return matrix


# -- encoding an address, as segno does (encoder._encode with one byte-mode segment) --------

# segno's tables, typed (consts.py has no annotations: mypy sees dicts of objects)
_CAPACITY = cast("dict[int, dict[int, int]]", consts.SYMBOL_CAPACITY)  # bits of data, by version and level
_BLOCKS = cast("dict[int, dict[int, tuple[Any, ...]]]", consts.ECC)  # (num_blocks, num_total, num_data) groups
_OTHER_MODES = re.compile(b"[" + re.escape(consts.ALPHANUMERIC_CHARS) + b"]*")  # (digits among them)
_BITS = bytes.maketrans(b"01", b"\0\1")


def _encoded(url: str) -> tuple[int, int, bytes] | None:
    """(version, error level, the final message: a byte per bit, 0 or 1) of the address,
    or None if segno would not encode it in byte mode from ASCII (or it is too long)."""
    data = url.encode("ascii") if url.isascii() else b""
    if _OTHER_MODES.fullmatch(data):  # (the empty string too: segno's error)
        return None
    chosen = _version_and_level(len(data))
    if chosen is None:
        return None
    version, error = chosen
    blocks = _blocks(_data_codewords(data, version, error), version, error)
    errors = [_error_codewords(block, count) for block, count in blocks]
    message = _interleaved([block for block, _ in blocks]) + _interleaved(errors)
    # (the remainder bits, 0, are the placement's: it fills the data cells left with 0)
    return version, error, format(int.from_bytes(message, "big"), f"0{8 * len(message)}b").encode().translate(_BITS)


def _bit_length(length: int, version: int) -> int:
    """Mode indicator, character count (8 bits up to version 9, then 16), the bytes."""
    return 4 + (8 if version < 10 else 16) + 8 * length


def _version_and_level(length: int) -> tuple[int, int] | None:
    """The smallest version holding the data at level M, and the highest level that
    version still holds it at (segno's find_version and boost_error_level)."""
    capacity = _CAPACITY
    version = next((v for v in range(1, 41) if capacity[v][consts.ERROR_LEVEL_M] >= _bit_length(length, v)), None)
    if version is None:
        return None
    error = consts.ERROR_LEVEL_M
    for higher in (consts.ERROR_LEVEL_Q, consts.ERROR_LEVEL_H):
        if capacity[version][higher] < _bit_length(length, version):
            break
        error = higher
    return version, error


def _data_codewords(data: bytes, version: int, error: int) -> bytes:
    """The data bit stream cut in codewords, padded as segno pads it: a terminator of up
    to four 0 bits, then 0 bits to the next codeword (a whole 0 codeword when the
    terminator ends on one: segno's write_padding_bits), then 0xEC and 0x11 by turns."""
    capacity = _CAPACITY[version][error]
    length = _bit_length(len(data), version)
    count_bits = length - 4 - 8 * len(data)
    value = ((0b0100 << count_bits | len(data)) << 8 * len(data)) | int.from_bytes(data, "big")
    terminator = min(capacity - length, 4)
    zeros = terminator + 8 - (length + terminator) % 8
    codewords = (value << zeros).to_bytes((length + zeros) // 8, "big")
    pads = capacity // 8 - len(codewords)
    return (codewords + b"\xec\x11" * (max(pads, 0) // 2 + 1))[:capacity // 8]


def _blocks(codewords: bytes, version: int, error: int) -> list[tuple[bytes, int]]:
    """The data blocks, each with its number of error correction codewords."""
    blocks, start = [], 0
    for group in _BLOCKS[version][error]:
        for _ in range(group.num_blocks):
            blocks.append((codewords[start:start + group.num_data], group.num_total - group.num_data))
            start += group.num_data
    return blocks


def _interleaved(blocks: Sequence[bytes]) -> bytes:
    """The first codeword of each block, then the second… (shorter blocks come first)."""
    return bytes(block[i] for i in range(max(map(len, blocks))) for block in blocks if i < len(block))


def _error_codewords(block: bytes, count: int) -> bytes:
    """The remainder of the block (times x^count) divided by the generator polynomial of
    `count` codewords, in GF(256): segno's make_blocks as a shift register, one step a
    data codeword, each step one table look-up and a few integer operations."""
    products = _generator_products(count)
    shift, keep = 8 * (count - 1), (1 << 8 * count) - 1
    remainder = 0
    for value in block:
        remainder = ((remainder << 8) & keep) ^ products[value ^ (remainder >> shift)]
    return remainder.to_bytes(count, "big")


@lru_cache(maxsize=None)
def _generator_products(count: int) -> tuple[int, ...]:
    """For each codeword value, the generator polynomial's coefficients (but the leading
    one) times it, as one integer of `count` bytes."""
    log, exp = consts.GALIOS_LOG, consts.GALIOS_EXP
    return (0,) + tuple(int.from_bytes(bytes(exp[log[value] + power] for power in consts.GEN_POLY[count]), "big")
                        for value in range(1, 256))


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
    placed: Callable[[bytes], tuple[int, ...]]  # a message (a byte per bit) → its data cells, as `_whole` bytes


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
                   _joined([b"\1" * size] * size + [nothing] * size), _placement(data))


def _placement(data: Sequence[bytes]) -> Callable[[bytes], tuple[int, ...]]:
    """Where each bit of a message goes (segno's add_codewords): up and down two-module
    columns from the right, skipping the vertical timing pattern, into the data cells.
    The returned function takes the message and gives the `_whole` bytes of the data
    cells (the cells after the message, and all others, take its last byte: 0)."""
    size = len(data)
    order = []
    for right in range(size - 1, 0, -2):
        if right <= 6:  # (the vertical timing pattern's column is skipped)
            right -= 1
        for vertical in range(size):
            for j in (right, right - 1):
                upwards = ((right & 2) == 0) ^ (j < 6)
                i = size - 1 - vertical if upwards else vertical
                if data[i][j]:
                    order.append((i, j))
    sources = [len(order)] * (2 * size * (size + 1))
    for bit, (i, j) in enumerate(order):
        sources[i * (size + 1) + j] = sources[(size + j) * (size + 1) + i] = bit
    gather = itemgetter(*sources)

    def placed(message: bytes) -> tuple[int, ...]:
        if len(message) > len(order):  # (as segno's add_codewords: never for a valid code)
            raise ValueError(f"{len(message)} bits for {len(order)} data cells")
        return gather(message.ljust(len(order) + 1, b"\0"))
    return placed


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
