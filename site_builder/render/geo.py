"""The locator map: country outlines from TopoJSON, projected and drawn as SVG.

The outlines are Natural Earth's (public domain) 1:50m countries, as published in
TopoJSON by the npm package `world-atlas` (2.0.2). `site_builder/geodata/` keeps the
part of it around the Caucasus and the Middle East (`region_topology`, run by
`python -m site_builder.geo`, writes it from the npm package; a test checks that the
committed file is what the package gives), so a build needs no npm and no network.

Pure functions: TopoJSON decoding (quantized, delta-encoded arcs), an
equirectangular projection centred on the window (at these latitudes a locator
map's distortion is small, and the code stays short), point thinning, and the SVG.
Countries are identified by their ISO 3166-1 numeric code, world-atlas's ids.
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Sequence

from .charts import _esc, _num, _text_width

GEODATA = Path(__file__).parent / "geodata" / "countries-50m-region.json"
SOURCE_FILE = "countries-50m.json"  # in node_modules/world-atlas/
# What the committed extract keeps: every country whose outline reaches this box
# (west, south, east, north, in degrees), wider than any map drawn from it.
REGION = (0.0, 10.0, 75.0, 62.0)

Ring = list[tuple[float, float]]


@dataclass(frozen=True)
class Country:
    code: str  # ISO 3166-1 numeric, e.g. "031"
    name: str  # English name in the data (not shown: pages show the actor's name)
    polygons: tuple[tuple[Ring, ...], ...]  # each polygon: outer ring, then holes


def _arcs(topology: dict[str, Any]) -> list[Ring]:
    """Every arc in degrees: quantized positions are deltas from the previous one."""
    transform = topology.get("transform")
    arcs = []
    for arc in topology["arcs"]:
        if transform:
            (sx, sy), (tx, ty) = transform["scale"], transform["translate"]
            x = y = 0
            points = []
            for dx, dy in arc:
                x, y = x + dx, y + dy
                points.append((x * sx + tx, y * sy + ty))
        else:
            points = [(float(px), float(py)) for px, py in arc]
        arcs.append(points)
    return arcs


def _ring(indexes: Sequence[int], arcs: list[Ring]) -> Ring:
    """A ring from its arcs; ~i means arc i reversed; arcs share their end points."""
    points: Ring = []
    for index in indexes:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        points.extend(arc[1:] if points else arc)
    return points


def decode(topology: dict[str, Any], object_name: str = "countries") -> list[Country]:
    """The countries of a TopoJSON topology (Polygon and MultiPolygon geometries with
    an id; others, such as disputed areas without an ISO code, are left out)."""
    arcs = _arcs(topology)
    countries = []
    for geometry in topology["objects"][object_name]["geometries"]:
        if geometry.get("id") is None:
            continue
        if geometry["type"] == "Polygon":
            polygons = [geometry["arcs"]]
        elif geometry["type"] == "MultiPolygon":
            polygons = geometry["arcs"]
        else:
            continue
        countries.append(Country(str(geometry["id"]), geometry.get("properties", {}).get("name", ""),
                                 tuple(tuple(_ring(ring, arcs) for ring in polygon) for polygon in polygons)))
    return countries


def _arc_box(arc: list[list[int]], transform: dict[str, Any] | None) -> tuple[float, float, float, float]:
    xs, ys, x, y = [], [], 0, 0
    for dx, dy in arc:
        x, y = (x + dx, y + dy) if transform else (dx, dy)
        xs.append(x)
        ys.append(y)
    if transform:
        (sx, sy), (tx, ty) = transform["scale"], transform["translate"]
        return min(xs) * sx + tx, min(ys) * sy + ty, max(xs) * sx + tx, max(ys) * sy + ty
    return min(xs), min(ys), max(xs), max(ys)


def region_topology(topology: dict[str, Any], box: tuple[float, float, float, float] = REGION,
                    object_name: str = "countries") -> dict[str, Any]:
    """The same topology with only the countries that have an arc reaching `box`
    (west, south, east, north), and only their arcs, renumbered; arcs stay quantized."""
    transform = topology.get("transform")
    west, south, east, north = box

    def reaches(index: int) -> bool:
        x0, y0, x1, y1 = _arc_box(topology["arcs"][index if index >= 0 else ~index], transform)
        return x0 <= east and x1 >= west and y0 <= north and y1 >= south

    def arc_indexes(geometry: dict[str, Any]) -> list[int]:
        polygons = [geometry["arcs"]] if geometry["type"] == "Polygon" else geometry["arcs"]
        return [i for polygon in polygons for ring in polygon for i in ring]

    kept = [g for g in topology["objects"][object_name]["geometries"]
            if g.get("id") is not None and g["type"] in ("Polygon", "MultiPolygon")
            and any(reaches(i) for i in arc_indexes(g))]
    used = sorted({i if i >= 0 else ~i for g in kept for i in arc_indexes(g)})
    number = {old: new for new, old in enumerate(used)}

    def renumber(value: Any) -> Any:
        if isinstance(value, list):
            return [renumber(v) for v in value]
        return number[value] if value >= 0 else ~number[~value]

    geometries = [{"type": g["type"], "id": g["id"], "properties": {"name": g.get("properties", {}).get("name", "")},
                   "arcs": renumber(g["arcs"])} for g in kept]
    out: dict[str, Any] = {"type": "Topology", "objects": {object_name: {"type": "GeometryCollection",
                                                                         "geometries": geometries}},
                           "arcs": [topology["arcs"][i] for i in used]}
    if transform:
        out["transform"] = transform
    return out


def load_region() -> list[Country]:
    """The countries of the committed extract (see the module's docstring)."""
    return decode(json.loads(GEODATA.read_text(encoding="utf-8")))


@dataclass(frozen=True)
class Window:
    """The part of the world a map shows, in degrees."""

    west: float
    south: float
    east: float
    north: float

    def projector(self, width: float) -> tuple[Callable[[float, float], tuple[float, float]], float]:
        """(lon, lat) -> (x, y) in a `width`-wide box, and the box's height: longitudes
        shortened by the cosine of the middle latitude, so shapes look right there."""
        squeeze = math.cos(math.radians((self.south + self.north) / 2))
        scale = width / ((self.east - self.west) * squeeze)
        return (lambda lon, lat: ((lon - self.west) * squeeze * scale, (self.north - lat) * scale),
                (self.north - self.south) * scale)


def _thin(points: list[tuple[float, float]], tolerance: float) -> list[tuple[float, float]]:
    """Drop points closer than `tolerance` (map units) to the last one kept."""
    kept = points[:1]
    for x, y in points[1:]:
        if abs(x - kept[-1][0]) + abs(y - kept[-1][1]) >= tolerance:
            kept.append((x, y))
    return kept


def _short(value: float) -> str:
    text = f"{value:.1f}".removesuffix(".0")
    return "0" if text == "-0" else text


def _path(points: list[tuple[float, float]]) -> str:
    """A closed SVG path, in tenths of a unit, each point relative to the last: a third of
    the bytes of absolute coordinates (the map is most of its page's weight)."""
    tenths = [(round(x * 10), round(y * 10)) for x, y in points]
    parts = [f"M{_short(tenths[0][0] / 10)},{_short(tenths[0][1] / 10)}l"]
    for (x0, y0), (x1, y1) in zip(tenths, tenths[1:]):
        dx, dy = _short((x1 - x0) / 10), _short((y1 - y0) / 10)
        parts.append(("" if len(parts) == 1 or dx.startswith("-") else " ") + dx + ("" if dy.startswith("-") else ",") + dy)
    return "".join(parts) + "z"


def _area_and_centroid(ring: list[tuple[float, float]]) -> tuple[float, float, float]:
    area = cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1]):
        cross = x0 * y1 - x1 * y0
        area += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    if abs(area) < 1e-9:
        return 0.0, ring[0][0], ring[0][1]
    return abs(area) / 2, cx / (3 * area), cy / (3 * area)


@dataclass(frozen=True)
class Place:
    """A country the site names: its code, its label (the page's name), its link."""

    code: str
    label: str
    href: str
    tooltip: str


WIDTH = 360
FONT = 13
TOLERANCE = 1.5  # map units: finer detail is not seen at a phone's or a page's width


@dataclass(frozen=True)
class Shape:
    """A country as a map window draws it: its outline as an SVG path, and the centre of
    the largest visible part of its main land (where its label goes)."""

    code: str
    d: str
    centre: tuple[float, float]


def country_shapes(countries: Sequence[Country], window: Window) -> tuple[Shape, ...]:
    """The outlines of `countries` that reach into `window`, projected and thinned: the
    costly part of a map, the same whatever the map names (so a caller may keep it)."""
    project, height = window.projector(WIDTH)
    margin = 4  # map units outside the window still drawn, so outlines are not cut at the frame
    shapes = []
    for country in countries:
        paths, best = [], (0.0, 0.0, 0.0)
        for polygon in country.polygons:
            for number, ring in enumerate(polygon):
                # points beyond the frame (plus a margin) are moved onto the margin's edge: what
                # is drawn there is clipped anyway, and Russia's Arctic coast costs nothing
                points = _thin([(min(max(x, -margin), WIDTH + margin), min(max(y, -margin), height + margin))
                                for x, y in (project(lon, lat) for lon, lat in ring)], TOLERANCE)
                if len(points) < 3:
                    continue
                xs, ys = [p[0] for p in points], [p[1] for p in points]
                if max(xs) <= 0 or min(xs) >= WIDTH or max(ys) <= 0 or min(ys) >= height:
                    continue  # wholly outside the frame
                paths.append(_path(points))
                if number == 0:
                    inside = [(min(max(x, 0), WIDTH), min(max(y, 0), height)) for x, y in points]
                    area, cx, cy = _area_and_centroid(inside)
                    if area > best[0]:
                        best = (area, cx, cy)
        if paths:
            shapes.append(Shape(country.code, "".join(paths), (best[1], best[2])))
    return tuple(shapes)


def locator_map(countries: Sequence[Country], places: Sequence[Place], window: Window, *, label: str,
                label_at: dict[str, tuple[float, float]] | None = None,
                shapes: Sequence[Shape] | None = None) -> str:
    """The countries in `window`, those of `places` shaded, labelled and linked to their
    pages; the rest drawn faintly for context. `label_at`: a code's label position
    (lon, lat) where the middle of the country's visible part would crowd its neighbours;
    `shapes`: `country_shapes(countries, window)` if the caller already has them.
    aria-hidden like pictures.py: the template lists the same countries with links."""
    project, height = window.projector(WIDTH)
    wanted = {place.code: place for place in places}
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="picture locator-map" viewBox="0 0 {WIDTH} {_num(height)}" '
           f'width="100%" aria-hidden="true" focusable="false" font-size="{FONT}" fill="currentColor">'
           f'<title>{_esc(label)}</title>',
           f'<defs><clipPath id="map-window"><rect width="{WIDTH}" height="{_num(height)}"/></clipPath></defs>',
           f'<rect class="map-sea" width="{WIDTH}" height="{_num(height)}" fill="#dde9f3"/>',
           '<g clip-path="url(#map-window)">']
    labels = []
    for shape in (shapes if shapes is not None else country_shapes(countries, window)):
        d = shape.d
        place = wanted.get(shape.code)
        if place is None:
            out.append(f'<path class="map-land" d="{d}" fill="#f4f1ea" stroke="#9a968c" stroke-width="0.5"/>')
            continue
        out.append(f'<a href="{_esc(place.href)}" tabindex="-1" class="pic-link"><title>{_esc(place.tooltip)}</title>'
                   f'<path class="map-named" d="{d}" fill="#e8b48f" stroke="#5a3a22" stroke-width="0.8"/></a>')
        if label_at and shape.code in label_at:
            x, y = project(*label_at[shape.code])
        else:
            x, y = shape.centre
        labels.append((place, x, y))
    out.append("</g>")
    # labels last, on top, each with a halo; kept inside the frame
    for place, x, y in labels:
        half = _text_width(place.label, FONT) * 1.1 / 2
        x = min(max(x, half + 2), WIDTH - half - 2)
        y = min(max(y, FONT + 2), height - 4)
        out.append(f'<a href="{_esc(place.href)}" tabindex="-1" class="pic-link"><text class="map-label" x="{_num(x)}" '
                   f'y="{_num(y + FONT * 0.35)}" text-anchor="middle" stroke="#fff" stroke-width="2.5" stroke-opacity="0.85" '
                   f'paint-order="stroke" stroke-linejoin="round">{_esc(place.label)}</text></a>')
    out.append("</svg>")
    return "\n".join(out)


def main() -> None:
    """`python -m site_builder.geo [node_modules/world-atlas]`: write the committed extract."""
    import sys
    folder = Path(sys.argv[1] if len(sys.argv) > 1 else "node_modules/world-atlas")
    topology = json.loads((folder / SOURCE_FILE).read_text(encoding="utf-8"))
    GEODATA.parent.mkdir(exist_ok=True)
    GEODATA.write_text(json.dumps(region_topology(topology), separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"wrote {GEODATA}")


if __name__ == "__main__":
    main()
