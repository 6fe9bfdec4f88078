"""Committed map layout: geodata/departements-carte.geojson (mainland + insets)."""

import json
from pathlib import Path

import pytest
import shapely
from shapely.geometry import box, shape

GEODATA = Path(__file__).resolve().parents[2] / "geodata"
INSETS = {"971", "972", "973", "974", "976", "paris"}


@pytest.fixture(scope="module")
def carte():
    return json.loads((GEODATA / "departements-carte.geojson").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def features(carte):
    return [(f["properties"], shape(f["geometry"])) for f in carte["features"]]


def test_feature_counts_and_codes(carte, features):
    reference = json.loads((GEODATA / "departements.json").read_text(encoding="utf-8"))
    codes = sorted(d["code"] for d in reference)
    assert len(features) == 105
    once = sorted(p["code"] for p, _ in features if p["encart"] != "paris")
    assert once == codes
    paris = sorted(p["code"] for p, _ in features if p["encart"] == "paris")
    assert paris == ["75", "92", "93", "94"]
    for code in ("971", "972", "973", "974", "976"):
        assert [p["encart"] for p, _ in features if p["code"] == code] == [code]
    mainland = [p["code"] for p, _ in features if p["encart"] is None]
    assert len(mainland) == 96


def test_projection_and_members(carte):
    assert carte["projection"] == {
        "type": "conicConformal",
        "parallels": [44, 49],
        "rotate": [-3, 0, 0],
    }
    assert {e["nom"] for e in carte["encarts"]} == INSETS


def test_everything_inside_cadre(carte, features):
    cadre = box(*carte["cadre"])
    assert all(cadre.contains(g) for _, g in features)
    assert all(cadre.contains(box(*e["bbox"])) for e in carte["encarts"])


def test_insets_inside_their_box(carte, features):
    for encart in carte["encarts"]:
        frame = box(*encart["bbox"])
        members = [g for p, g in features if p["encart"] == encart["nom"]]
        assert members, encart["nom"]
        assert all(frame.contains(g) for g in members), encart["nom"]


def test_inset_boxes_disjoint_from_mainland_and_each_other(carte, features):
    mainland = shapely.union_all([g for p, g in features if p["encart"] is None])
    mainland_bbox = box(*mainland.bounds)
    frames = {e["nom"]: box(*e["bbox"]) for e in carte["encarts"]}
    for name, frame in frames.items():
        assert not frame.intersects(mainland), name
        if name != "paris":
            # The overseas column lies wholly west of mainland's bounding box; the Paris
            # zoom sits in the Channel, inside that box but clear of any land.
            assert not frame.intersects(mainland_bbox), name
    names = sorted(frames)
    for i, a in enumerate(names):
        for b in names[i + 1 :]:
            assert not frames[a].intersects(frames[b]), (a, b)


def test_insets_are_readable(carte, features):
    for encart in carte["encarts"]:
        minx, miny, maxx, maxy = encart["bbox"]
        members = [g for p, g in features if p["encart"] == encart["nom"]]
        gx0, gy0, gx1, gy1 = shapely.total_bounds(members)
        # Each drawing fills most of its box along at least one axis.
        assert max((gx1 - gx0) / (maxx - minx), (gy1 - gy0) / (maxy - miny)) > 0.8


def test_paris_zoom_factor(features):
    national = {p["code"]: g for p, g in features if p["encart"] is None}
    zoomed = {p["code"]: g for p, g in features if p["encart"] == "paris"}
    ratio = (zoomed["75"].area / national["75"].area) ** 0.5
    assert 5 <= ratio <= 8


def test_valid_and_clockwise(features):
    for _, geom in features:
        assert shapely.is_valid(geom)
        for poly in shapely.get_parts(geom):
            assert not poly.exterior.is_ccw
