"""GeoJSON polygons to a quantised TopoJSON topology: each shared border is sent once.

The map's 105 features carry ~20,000 points as GeoJSON (~350 KB): every border between two
départements is written twice, at full precision. A topology cuts rings at the points where
neighbours change, keeps each resulting arc once (a neighbour refers to it reversed) and
stores integer deltas on a grid, which Vega decodes with `format: {type: "topojson"}`.
Pure functions, no third-party geometry library: the dashboard only needs this one step.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

Point = tuple[int, int]
Ring = list[Point]

# Grid cells per side of the bounding box. The map's 18° of longitude are drawn ~800 px wide
# (~0.02° a pixel; insets are already enlarged in the layout), so 5,000 cells (≈ 0.004°)
# stay well below a pixel, even on a high-density screen.
DEFAULT_QUANTIZATION = 5_000


def polygons_of(geometry: Mapping[str, Any]) -> list[list[list[list[float]]]]:
    """The polygons (lists of rings of [x, y]) of a Polygon or MultiPolygon geometry."""
    if geometry["type"] == "Polygon":
        return [geometry["coordinates"]]
    if geometry["type"] == "MultiPolygon":
        return list(geometry["coordinates"])
    raise ValueError(f"unsupported geometry type: {geometry['type']}")


def bounding_box(features: Iterable[Mapping[str, Any]]) -> tuple[float, float, float, float]:
    """[minx, miny, maxx, maxy] of every polygon vertex of `features`."""
    xs: list[float] = []
    ys: list[float] = []
    for feature in features:
        for polygon in polygons_of(feature["geometry"]):
            for ring in polygon:
                xs += [p[0] for p in ring]
                ys += [p[1] for p in ring]
    return min(xs), min(ys), max(xs), max(ys)


def quantized_ring(
    ring: Sequence[Sequence[float]], box: Sequence[float], kx: float, ky: float
) -> Ring:
    """`ring` on the integer grid, consecutive duplicates removed, without its closing point."""
    out: Ring = []
    for x, y, *_ in ring:
        point = (round((x - box[0]) / kx), round((y - box[1]) / ky))
        if not out or point != out[-1]:
            out.append(point)
    while len(out) > 1 and out[-1] == out[0]:
        out.pop()
    return out


def junctions(rings: Iterable[Ring]) -> set[Point]:
    """Points where a ring's neighbours differ from another visit's: where arcs must be cut."""
    seen: dict[Point, tuple[Point, Point]] = {}
    cuts: set[Point] = set()
    for ring in rings:
        n = len(ring)
        for i, point in enumerate(ring):
            around = (ring[i - 1], ring[(i + 1) % n])
            first = seen.setdefault(point, around)
            if first is not around and first != around and first != around[::-1]:
                cuts.add(point)
    return cuts


def ring_arcs(ring: Ring, cuts: set[Point]) -> list[list[Point]]:
    """`ring` split at its junctions into open arcs; one closed arc when it has none."""
    starts = [i for i, point in enumerate(ring) if point in cuts]
    if not starts:
        first = ring.index(min(ring))  # a canonical start, so identical rings match
        rotated = ring[first:] + ring[:first]
        return [[*rotated, rotated[0]]]
    rotated = ring[starts[0] :] + ring[: starts[0]]
    arcs: list[list[Point]] = []
    current = [rotated[0]]
    for point in rotated[1:]:
        current.append(point)
        if point in cuts:
            arcs.append(current)
            current = [point]
    current.append(rotated[0])
    arcs.append(current)
    return arcs


class ArcIndex:
    """Arcs kept once each; an arc already stored in the other direction is referred to as ~i."""

    def __init__(self) -> None:
        self.arcs: list[list[Point]] = []
        self._index: dict[tuple[Point, ...], int] = {}

    def add(self, arc: list[Point]) -> int:
        """The index of `arc` (negative, `~i`, when stored reversed), storing it if new."""
        key = tuple(arc)
        if key in self._index:
            return self._index[key]
        backwards = arc[::-1]
        if arc[0] == arc[-1]:  # a closed arc: compare both directions from the same start
            body = backwards[:-1]
            first = body.index(arc[0])
            backwards = body[first:] + body[:first] + [body[first]]
        reverse_key = tuple(backwards)
        if reverse_key in self._index:
            return ~self._index[reverse_key]
        self._index[key] = len(self.arcs)
        self.arcs.append(arc)
        return self._index[key]

    def delta_encoded(self) -> list[list[list[int]]]:
        """Each arc as its first point then the differences between consecutive points."""
        encoded = []
        for arc in self.arcs:
            x0, y0 = arc[0]
            deltas = [[x0, y0]]
            for x, y in arc[1:]:
                deltas.append([x - x0, y - y0])
                x0, y0 = x, y
            encoded.append(deltas)
        return encoded


def to_topology(
    features: Sequence[Mapping[str, Any]],
    name: str,
    properties: Sequence[str] = ("code", "nom", "encart"),
    quantization: int = DEFAULT_QUANTIZATION,
) -> dict[str, Any]:
    """A TopoJSON Topology whose object `name` holds `features` (Polygon/MultiPolygon).

    Each geometry keeps the listed `properties`. Rings that collapse below three distinct
    grid points (specks far smaller than a pixel) are dropped; so are polygons left without
    an exterior ring.
    """
    box = bounding_box(features)
    kx = (box[2] - box[0]) / (quantization - 1) or 1.0
    ky = (box[3] - box[1]) / (quantization - 1) or 1.0
    shapes: list[list[list[Ring]]] = []
    for feature in features:
        polygons = []
        for polygon in polygons_of(feature["geometry"]):
            rings = [quantized_ring(ring, box, kx, ky) for ring in polygon]
            if len(rings[0]) >= 3:
                polygons.append([r for r in rings if len(r) >= 3])
        shapes.append(polygons)
    cuts = junctions(ring for polygons in shapes for polygon in polygons for ring in polygon)
    index = ArcIndex()
    geometries = []
    for feature, polygons in zip(features, shapes, strict=True):
        arcs = [
            [[index.add(arc) for arc in ring_arcs(ring, cuts)] for ring in polygon]
            for polygon in polygons
        ]
        props = {key: feature["properties"].get(key) for key in properties}
        if len(arcs) == 1:
            geometries.append({"type": "Polygon", "arcs": arcs[0], "properties": props})
        else:
            geometries.append({"type": "MultiPolygon", "arcs": arcs, "properties": props})
    return {
        "type": "Topology",
        "transform": {"scale": [kx, ky], "translate": [box[0], box[1]]},
        "objects": {name: {"type": "GeometryCollection", "geometries": geometries}},
        "arcs": index.delta_encoded(),
    }
