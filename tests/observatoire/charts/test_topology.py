"""The map geometry sent to browsers: a quantised topology that decodes to the layout's rings."""

from __future__ import annotations

import json

import pytest

from observatoire.charts import maps as charts
from observatoire.charts.topology import to_topology
from tests.support.live_servers import REPO_ROOT

MAP_LAYOUT = REPO_ROOT / "geodata" / "departements-carte.geojson"
# The layout is ~350 KB of GeoJSON; its topology must stay well under half of that.
MAX_TOPOLOGY_BYTES = 150_000


def make_square(x: float, y: float, code: str) -> dict:
    """A feature: a clockwise unit square (Vega's outer-ring convention)."""
    ring = [[x, y], [x, y + 1], [x + 1, y + 1], [x + 1, y], [x, y]]
    geometry = {"type": "Polygon", "coordinates": [ring]}
    return {"type": "Feature", "geometry": geometry, "properties": {"code": code, "nom": code}}


def decode_arc(topology: dict, index: int) -> list[tuple[float, float]]:
    """The points of arc `index` (`~i`: arc i reversed), in layout coordinates."""
    arc = topology["arcs"][~index if index < 0 else index]
    (kx, ky), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    x = y = 0
    points = []
    for dx, dy in arc:
        x, y = x + dx, y + dy
        points.append((x * kx + tx, y * ky + ty))
    return points[::-1] if index < 0 else points


def decode_ring(topology: dict, arcs: list[int]) -> list[tuple[float, float]]:
    """A closed ring from its arcs, each arc's first point dropped after the first arc."""
    ring: list[tuple[float, float]] = []
    for n, index in enumerate(arcs):
        points = decode_arc(topology, index)
        ring += points if n == 0 else points[1:]
    return ring


def same_cycle(a: list, b: list) -> bool:
    """Whether closed rings `a` and `b` visit the same points in the same order."""
    a, b = a[:-1], b[:-1]
    if len(a) != len(b):
        return False
    start = b.index(a[0]) if a[0] in b else -1
    return start >= 0 and b[start:] + b[:start] == a


def test_a_shared_border_is_stored_once_and_read_backwards_by_the_neighbour() -> None:
    topology = to_topology([make_square(0, 0, "A"), make_square(1, 0, "B")], "d", quantization=3)
    assert len(topology["arcs"]) == 3
    left, right = (g["arcs"][0] for g in topology["objects"]["d"]["geometries"])
    shared = set(left) & {~i for i in right}
    assert len(shared) == 1
    assert decode_ring(topology, left)[0] == decode_ring(topology, left)[-1]


def test_geometries_keep_the_requested_properties_only() -> None:
    square = make_square(0, 0, "A")
    square["properties"]["extra"] = "dropped"
    [geometry] = to_topology([square], "d", properties=("code",))["objects"]["d"]["geometries"]
    assert geometry == {"type": "Polygon", "arcs": [[0]], "properties": {"code": "A"}}


@pytest.fixture(scope="module")
def layout() -> dict:
    return json.loads(MAP_LAYOUT.read_text(encoding="utf-8"))


def test_the_map_layout_topology_is_small(layout: dict) -> None:
    topology = charts.map_topology(layout)
    size = len(json.dumps(topology, separators=(",", ":")).encode())
    assert size < MAX_TOPOLOGY_BYTES, f"{size} bytes"
    geometries = topology["objects"][charts.SHAPES_DATASET]["geometries"]
    assert [g["properties"]["code"] for g in geometries] == [
        f["properties"]["code"] for f in layout["features"]
    ]


def test_every_ring_decodes_to_the_layout_ring_on_the_grid(layout: dict) -> None:
    topology = charts.map_topology(layout)
    (kx, ky), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]

    def snapped(ring: list) -> list[tuple[float, float]]:
        points: list[tuple[float, float]] = []
        for x, y in ring:
            point = (round((x - tx) / kx) * kx + tx, round((y - ty) / ky) * ky + ty)
            if not points or point != points[-1]:
                points.append(point)
        return points

    geometries = topology["objects"][charts.SHAPES_DATASET]["geometries"]
    for feature, geometry in zip(layout["features"], geometries, strict=True):
        polygons = feature["geometry"]["coordinates"]
        if feature["geometry"]["type"] == "Polygon":
            polygons = [polygons]
        arcs = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        decoded = [decode_ring(topology, ring) for polygon in arcs for ring in polygon]
        expected = [snapped(ring) for polygon in polygons for ring in polygon]
        expected = [ring for ring in expected if len(ring) > 3]
        assert len(decoded) == len(expected), feature["properties"]["code"]
        for got, want in zip(decoded, expected, strict=True):
            # Same points in the same order (orientation kept), maybe from another start.
            got = [(round(x, 9), round(y, 9)) for x, y in got]
            want = [(round(x, 9), round(y, 9)) for x, y in want]
            assert same_cycle(got, want), feature["properties"]["code"]
