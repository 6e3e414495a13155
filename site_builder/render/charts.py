"""Charts as inline SVG, drawn at build time: no JavaScript, no extra request.

Pure functions: numbers and already-translated labels in, an SVG string out.
Every piece of text is escaped here, so callers may pass content as written by
editors. Numbers are formatted by the caller's `format_number` (the page's
Formatter), so a French page shows "340,5" and an English one "340.5".

The drawing uses `currentColor` and CSS classes (`chart-bar`, `chart-grid`, …)
whose colours come from the site's CSS variables, so charts follow light and
dark mode; presentation attributes are fallbacks for readers without CSS. The
SVG scales with its container (viewBox, width 100%); its accessible name is its
<title>, its description the <desc>, and the same numbers are always printed
in a table next to it by the template.
"""
from __future__ import annotations

import math
from html import escape
from typing import Callable, Sequence

WIDTH = 380           # viewBox width; text sizes below are in the same units
# At 375 px a chart is about 335 px wide (0.88 px per unit): 14 units stay above 12 px.
FONT = 14             # labels and values
SMALL = 14            # axis ticks
ROW = 24              # height of one bar's row
BAR = 15              # height of a bar
HEADER = 22           # axis titles above the bars
FOOTER = 22           # tick labels below the bars
CHAR = 0.6            # average glyph width, in ems, to size label columns
GAP = 6
LINE = 17            # line height of a wrapped axis title


def _esc(text: object) -> str:
    return escape(str(text), quote=True)


def _num(value: float) -> str:
    """A coordinate: short and stable (no '12.000000001')."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _text_width(text: str, size: float) -> float:
    return len(text) * size * CHAR


def nice_ticks(low: float, high: float, count: int = 4, integer: bool = False) -> list[float]:
    """Round tick values covering [low, high] (which must include 0): 0, 100, 200…"""
    if high <= low:
        high = low + 1
    raw = (high - low) / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)
    if integer:
        step = max(1, round(step))
    first = math.floor(low / step + 1e-9)
    last = math.ceil(high / step - 1e-9)
    return [round(i * step, 10) for i in range(first, last + 1)]


def _wrap(text: str, width: float, size: float) -> list[str]:
    """Split `text` into lines of at most `width` units, at spaces."""
    limit = max(8, int(width / (size * CHAR)))
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= limit:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [""]


def _fit(text: str, width: float, size: float) -> str:
    """`text`, cut with an ellipsis if it is wider than `width` (the table has it in full)."""
    limit = max(4, int(width / (size * CHAR)))
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def bar_chart(points: Sequence[tuple[str, float]], *, chart_id: str, title: str, description: str,
              category_label: str, value_label: str, format_number: Callable[[float], str],
              integer: bool = False) -> str:
    """A horizontal bar chart, one row per point, its value printed at the end of its bar.

    `points` are (category label, value) in display order, e.g. [("2011", 125.8), …];
    `chart_id` prefixes the ids of <title> and <desc> (unique on the page);
    `category_label` and `value_label` title the two axes; `integer` keeps ticks whole.
    """
    values = [float(value) for _, value in points]
    value_texts = [format_number(value) for value in values]
    low, high = min([0.0, *values]), max([0.0, *values])
    ticks = nice_ticks(low, high, integer=integer)
    low, high = ticks[0], ticks[-1]
    has_negative = low < 0

    label_width = min(WIDTH * 0.45, max([_text_width(label, FONT) for label, _ in points] +
                                        [_text_width(category_label, FONT), 2 * FONT]) + GAP)
    value_room = max(_text_width(text, FONT) for text in value_texts) + GAP if values else 0
    plot_left = label_width + GAP + (value_room if has_negative else 0)
    plot_right = WIDTH - value_room - 2
    plot_width = max(plot_right - plot_left, WIDTH * 0.3)

    def x(value: float) -> float:
        return plot_left + (value - low) / (high - low) * plot_width

    title_lines = _wrap(value_label, WIDTH - plot_left, FONT)
    header = HEADER + (len(title_lines) - 1) * LINE
    height = header + len(points) * ROW + FOOTER
    rows_top, rows_bottom = header, header + len(points) * ROW
    title_id, desc_id = f"{chart_id}-title", f"{chart_id}-desc"
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {WIDTH} {height}" '
        f'width="100%" role="img" aria-labelledby="{_esc(title_id)}" aria-describedby="{_esc(desc_id)}" '
        f'font-size="{FONT}" fill="currentColor">',
        f'<title id="{_esc(title_id)}">{_esc(title)}</title>',
        f'<desc id="{_esc(desc_id)}">{_esc(description)}</desc>',
        # axis titles: categories above the labels, values (wrapped) above the bars
        f'<text class="chart-axis-title" x="{_num(label_width)}" y="{header - 8}" text-anchor="end">'
        f'{_esc(_fit(category_label, label_width, FONT))}</text>',
    ]
    for number, line in enumerate(title_lines):
        out.append(f'<text class="chart-axis-title" x="{_num(plot_left)}" y="{header - 8 - (len(title_lines) - 1 - number) * LINE}">'
                   f'{_esc(line)}</text>')
    # grid lines and tick labels
    for tick in ticks:
        tx = _num(x(tick))
        css = "chart-axis" if tick == 0 else "chart-grid"
        out.append(f'<line class="{css}" x1="{tx}" x2="{tx}" y1="{rows_top}" y2="{rows_bottom + 3}" '
                   f'stroke="currentColor" stroke-opacity="{1 if tick == 0 else 0.25}"/>')
        out.append(f'<text class="chart-tick" x="{tx}" y="{rows_bottom + 16}" text-anchor="middle" '
                   f'font-size="{SMALL}">{_esc(format_number(tick))}</text>')
    zero = x(0.0)
    for index, ((label, _), value, text) in enumerate(zip(points, values, value_texts)):
        top = rows_top + index * ROW
        middle = _num(top + ROW / 2 + FONT * 0.35)
        end = x(value)
        left, width = (end, zero - end) if value < 0 else (zero, end - zero)
        out.append(f'<text class="chart-label" x="{_num(label_width)}" y="{middle}" text-anchor="end">'
                   f'{_esc(_fit(label, label_width - 2, FONT))}</text>')
        out.append(f'<rect class="chart-bar" x="{_num(left)}" y="{_num(top + (ROW - BAR) / 2)}" '
                   f'width="{_num(max(width, 0))}" height="{BAR}"/>')
        if value < 0:
            out.append(f'<text class="chart-value" x="{_num(end - 4)}" y="{middle}" text-anchor="end">{_esc(text)}</text>')
        else:
            out.append(f'<text class="chart-value" x="{_num(end + 4)}" y="{middle}">{_esc(text)}</text>')
    out.append("</svg>")
    return "\n".join(out)
