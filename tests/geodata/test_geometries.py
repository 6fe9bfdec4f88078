"""Committed geometries: geodata/departements.geojson (a gap-free, overlap-free coverage)."""

import json
import re
from pathlib import Path

import numpy as np
import pytest
import shapely
from shapely.geometry import shape

GEODATA = Path(__file__).resolve().parents[2] / "geodata"
MAX_BYTES = 500 * 1024
# Tolerances in square degrees (1e-6 deg² is about 0.008 km² at 46°N).
MAX_OVERLAP = 1e-6
MAX_HOLE = 1e-6


@pytest.fixture(scope="module")
def collection():
    return json.loads((GEODATA / "departements.geojson").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def geoms(collection):
    return np.array([shape(f["geometry"]) for f in collection["features"]], dtype=object)


def test_codes_match_reference(collection):
    reference = json.loads((GEODATA / "departements.json").read_text(encoding="utf-8"))
    codes = [f["properties"]["code"] for f in collection["features"]]
    assert collection["type"] == "FeatureCollection"
    assert codes == [d["code"] for d in reference]
    names = {d["code"]: d["nom"] for d in reference}
    assert all(
        f["properties"]["nom"] == names[f["properties"]["code"]] for f in collection["features"]
    )


def test_file_sizes():
    for name in ("departements.geojson", "departements-carte.geojson"):
        assert (GEODATA / name).stat().st_size <= MAX_BYTES, name


def test_geometries_valid_polygonal_wgs84(geoms):
    assert shapely.is_valid(geoms).all()
    assert all(g.geom_type in ("Polygon", "MultiPolygon") and not g.is_empty for g in geoms)
    minx, miny, maxx, maxy = shapely.total_bounds(geoms)
    assert -180 <= minx < maxx <= 180
    assert -90 <= miny < maxy <= 90


def test_outer_rings_clockwise(geoms):
    for geom in geoms:
        for poly in shapely.get_parts(geom):
            assert not poly.exterior.is_ccw
            assert all(ring.is_ccw for ring in poly.interiors)


def test_four_decimals(collection):
    text = (GEODATA / "departements.geojson").read_text(encoding="utf-8")
    assert not re.search(r"\d[eE][-+]?\d", text)
    coords = collection["features"][0]["geometry"]["coordinates"]
    while isinstance(coords[0], list):
        coords = coords[0]
    assert all(round(c, 4) == c for c in coords)


def test_neighbours_do_not_overlap(geoms):
    tree = shapely.STRtree(geoms)
    left, right = tree.query(geoms, predicate="intersects")
    pairs = left < right
    areas = shapely.area(shapely.intersection(geoms[left[pairs]], geoms[right[pairs]]))
    assert pairs.sum() > 200  # sanity: neighbours do touch
    assert areas.max() <= MAX_OVERLAP


def test_no_gaps_between_neighbours(geoms):
    union = shapely.union_all(geoms)
    holes = [shapely.Polygon(r) for p in shapely.get_parts(union) for r in p.interiors]
    assert all(h.area <= MAX_HOLE for h in holes), sorted(h.area for h in holes)[-3:]


def test_areas_plausible(collection, geoms):
    areas = dict(
        zip([f["properties"]["code"] for f in collection["features"]], shapely.area(geoms))
    )
    # Gironde ~1.2 deg² (10,000 km²); Paris ~0.013 deg² (105 km²).
    assert 1.0 < areas["33"] < 1.4
    assert 0.008 < areas["75"] < 0.02
