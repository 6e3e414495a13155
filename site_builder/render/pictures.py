"""Pictures drawn at build time as inline SVG: the timeline's overview and the arms
orders' heat map (the locator map is in geo.py).

Pure functions, like charts.py: numbers, already-translated labels and URLs in, an
SVG string out; every text and URL is escaped here. A picture is a visual shortcut:
the template always prints the same numbers, with the same links, in a table or a
list next to it. So the SVG is `aria-hidden` and its links are out of the tab order
(`tabindex="-1"`): keyboard and screen-reader users follow the table's links, and a
reader with a mouse may click a year or a cell directly.

Sizes are in viewBox units. The SVG is drawn about as wide as a phone's text column
(`WIDTH`), so at 375 px a unit is about a pixel and 14-unit text stays legible; on a
wide screen it is scaled up, within a maximum width set in the CSS.
"""
from __future__ import annotations

from typing import Callable, Sequence

from .charts import _esc, _fit, _num, _text_width, nice_ticks

WIDTH = 360
FONT = 14
KIND_CLASSES = ("pic-event", "pic-order")  # colours, from the CSS (light, dark and print)
FALLBACK_FILLS = ("#1a5c96", "#c2410c")
NARROW = 0.55  # average glyph width (ems) of words in lowercase, narrower than charts.CHAR


def _open_svg(css: str, height: float, label: str) -> str:
    # `label` is not read out (aria-hidden): it is a tooltip for readers who hover it.
    return (f'<svg xmlns="http://www.w3.org/2000/svg" class="picture {css}" viewBox="0 0 {WIDTH} {_num(height)}" '
            f'width="100%" aria-hidden="true" focusable="false" font-size="{FONT}" fill="currentColor">'
            f'<title>{_esc(label)}</title>')


def timeline_overview(years: Sequence[tuple[int, int, int]], *, href: Callable[[int], str],
                      tooltip: Callable[[int, int, int], str], legend: tuple[str, str], label: str) -> str:
    """Events and arms orders per year, one stacked column per year from the first year
    to the last (years without items stay as gaps, so time reads at its true scale).

    `years`: (year, events, orders) for each year that has items; `href(year)`: the
    link of a year's column; `tooltip(year, events, orders)`: its hover text;
    `legend`: the names of the two kinds (events, orders)."""
    if not years:
        return ""
    counts = {year: (events, orders) for year, events, orders in years}
    first, last = min(counts), max(counts)
    span = last - first + 1
    high = max(e + o for e, o in counts.values())
    ticks = nice_ticks(0, high, count=3, integer=True)
    top_value = ticks[-1]
    left, right = _text_width(str(int(top_value)), FONT) + 8, 4
    legend_height, axis_height, plot_height = 26, 22, 120
    plot_top = legend_height
    plot_bottom = plot_top + plot_height
    height = plot_bottom + axis_height
    step = (WIDTH - left - right) / span
    bar = max(step * 0.78, 1.5)

    def y(value: float) -> float:
        return plot_bottom - value / top_value * plot_height

    out = [_open_svg("timeline-overview", height, label)]
    # legend: a swatch and a name per kind
    x = 0.0
    for css, fill, name in zip(KIND_CLASSES, FALLBACK_FILLS, legend):
        out.append(f'<rect class="{css}" x="{_num(x)}" y="4" width="12" height="12" fill="{fill}"/>')
        out.append(f'<text x="{_num(x + 17)}" y="15">{_esc(name)}</text>')
        x += 17 + _text_width(name, FONT) + 18
    for tick in ticks:
        ty = _num(y(tick))
        out.append(f'<line class="pic-grid" x1="{_num(left)}" x2="{WIDTH}" y1="{ty}" y2="{ty}" '
                   f'stroke="currentColor" stroke-opacity="{1 if tick == 0 else 0.2}"/>')
        out.append(f'<text class="pic-tick" x="{_num(left - 6)}" y="{_num(y(tick) + 5)}" text-anchor="end">'
                   f'{int(tick)}</text>')
    # year labels: the first and last year, and every fifth year between if there is room
    every = 5 if step * 5 >= _text_width("2000", FONT) + 6 else 10
    labelled = {first, last} | {year for year in range(first, last + 1) if year % every == 0}
    for year in sorted(labelled):
        cx = left + (year - first + 0.5) * step
        if year not in (first, last) and (abs(year - first) * step < 40 or abs(last - year) * step < 40):
            continue  # too close to an end label
        anchor = "start" if year == first and cx - 16 < left else "end" if year == last and cx + 16 > WIDTH else "middle"
        out.append(f'<text class="pic-tick" x="{_num(max(cx, left) if anchor == "start" else min(cx, WIDTH) if anchor == "end" else cx)}" '
                   f'y="{_num(plot_bottom + 17)}" text-anchor="{anchor}">{year}</text>')
    for year, (events, orders) in sorted(counts.items()):
        x = left + (year - first) * step + (step - bar) / 2
        out.append(f'<a href="{_esc(href(year))}" tabindex="-1" class="pic-link">'
                   f'<title>{_esc(tooltip(year, events, orders))}</title>')
        out.append(f'<rect class="pic-hit" x="{_num(left + (year - first) * step)}" y="{plot_top}" '
                   f'width="{_num(step)}" height="{plot_height}" fill="transparent"/>')
        base = 0
        for value, css, fill in ((events, KIND_CLASSES[0], FALLBACK_FILLS[0]), (orders, KIND_CLASSES[1], FALLBACK_FILLS[1])):
            if value:
                out.append(f'<rect class="{css}" x="{_num(x)}" y="{_num(y(base + value))}" width="{_num(bar)}" '
                           f'height="{_num(y(base) - y(base + value))}" fill="{fill}"/>')
            base += value
        out.append("</a>")
    out.append("</svg>")
    return "\n".join(out)


def heat_map(rows: Sequence[str], columns: Sequence[int], counts: dict[tuple[int, int], int], *,
             href: Callable[[int, int], str], tooltip: Callable[[int, int, int], str], label: str) -> str:
    """A matrix of counts: one row per label of `rows` (e.g. categories), one column per
    value of `columns` (years); `counts[(row index, column index)]` is the number in a
    cell (missing: none). Each non-empty cell shows its number, is shaded by it and
    links to `href(row, column)`; `tooltip(row, column, count)` is its hover text."""
    if not rows or not columns:
        return ""
    # category names are mostly lowercase letters, narrower than charts.CHAR's average
    label_width = min(WIDTH * 0.55, max(len(text) * FONT * NARROW for text in rows) + 8)
    cell = (WIDTH - label_width) / len(columns)
    size = min(cell, 30.0)
    header = max(_text_width(str(year), FONT) for year in columns) + 10  # years written upwards
    height = header + len(rows) * size + 2
    high = max(counts.values(), default=1)
    out = [_open_svg("heat-map", height, label)]
    for column, year in enumerate(columns):
        cx = label_width + (column + 0.5) * cell
        out.append(f'<text class="pic-tick" transform="translate({_num(cx + FONT * 0.35)} {_num(header - 6)}) rotate(-90)">'
                   f'{year}</text>')
    for row, name in enumerate(rows):
        top = header + row * size
        out.append(f'<text x="{_num(label_width - 8)}" y="{_num(top + size / 2 + FONT * 0.35)}" text-anchor="end">'
                   f'{_esc(name if len(name) * FONT * NARROW <= label_width - 8 else _fit(name, label_width - 8, FONT))}</text>')
        out.append(f'<line class="pic-grid" x1="{_num(label_width)}" x2="{WIDTH}" y1="{_num(top + size)}" '
                   f'y2="{_num(top + size)}" stroke="currentColor" stroke-opacity="0.2"/>')
        for column, _year in enumerate(columns):
            count = counts.get((row, column), 0)
            if not count:
                continue
            x = label_width + column * cell + (cell - size) / 2 + 1
            # shades from light to full: four steps are enough for these counts and print well
            level = 1 + min(3, round((count - 1) / max(high - 1, 1) * 3))
            out.append(f'<a href="{_esc(href(row, column))}" tabindex="-1" class="pic-link">'
                       f'<title>{_esc(tooltip(row, column, count))}</title>'
                       f'<rect class="heat-{level}" x="{_num(x)}" y="{_num(top + 1)}" width="{_num(size - 2)}" '
                       f'height="{_num(size - 2)}" rx="3" fill="{FALLBACK_FILLS[1]}" fill-opacity="{0.25 * level}"/>'
                       f'<text class="heat-count heat-count-{level}" x="{_num(x + (size - 2) / 2)}" '
                       f'y="{_num(top + size / 2 + FONT * 0.35)}" text-anchor="middle">{count}</text></a>')
    out.append("</svg>")
    return "\n".join(out)
