"""Unit tests of the build's repair and layout helpers on tiny synthetic shapes."""

import numpy as np
import pytest
import shapely
from shapely.geometry import box

from etl.geodata import layout, shapes
from etl.geodata.reference import departement_populations, prefecture_name


def _holes(geoms):
    union = shapely.union_all(geoms)
    return [r for p in shapely.get_parts(union) for r in p.interiors]


def test_sliver_gap_between_two_squares_is_closed():
    squares = np.array([box(0, 0, 1, 1), box(1.0003, 0, 2, 1)])
    cleaned = shapes.clean(squares)
    union = shapely.union_all(cleaned)
    assert union.geom_type == "Polygon"
    assert union.area == pytest.approx(2.0, abs=1e-3)
    assert shapely.coverage_is_valid(cleaned)


def test_hole_goes_to_the_neighbour_with_the_longest_border():
    # A missing commune (1..2 x 1..2) mostly surrounded by the left département.
    left = box(0, 0, 2.5, 3).difference(box(1, 1, 2, 2))
    right = box(2.5, 0, 3, 3)
    filled = shapes.fill_holes(np.array([left, right]))
    assert not _holes(filled)
    assert filled[0].area == pytest.approx(7.5)
    assert filled[1].area == pytest.approx(1.5)


def test_real_enclave_is_kept():
    # An enclave covered by another département (like Valréas, 84, inside the Drôme).
    outer = box(0, 0, 3, 3).difference(box(1, 1, 2, 2))
    enclave = box(1, 1, 2, 2)
    filled = shapes.fill_holes(np.array([outer, enclave]))
    assert filled[0].area == pytest.approx(8.0)
    assert len(filled[0].interiors) == 1


def test_overlap_removed_and_simplified_coverage_stays_gap_free():
    squares = np.array([box(0, 0, 1.001, 1), box(1, 0, 2, 1)])
    cleaned = shapes.clean(squares)
    assert shapely.area(shapely.intersection(cleaned[0], cleaned[1])) < 1e-12
    simplified = shapes.simplify(cleaned, 0.01)
    assert shapely.is_valid(simplified).all()
    assert not _holes(simplified)
    for poly in simplified:
        assert not poly.exterior.is_ccw  # clockwise for Vega


def test_fit_transform_keeps_shape_and_fits_box():
    square = np.array([box(-61.0, 16.0, -60.0, 17.0)])
    target = (-8.0, 45.0, -5.0, 47.0)
    moved, _ = layout.place(square, target)
    assert box(*target).contains(moved[0])
    minx, miny, maxx, maxy = moved[0].bounds
    # cos(latitude) correction: a square at 16.5°N is wider in degrees once moved to 46°N.
    ratio = (maxx - minx) / (maxy - miny)
    assert ratio == pytest.approx(np.cos(np.radians(16.5)) / np.cos(np.radians(46)), rel=1e-6)


def test_departement_of():
    assert shapes.departement_of("97411") == "974"
    assert shapes.departement_of("2A004") == "2A"
    assert shapes.departement_of("01053") == "01"


def test_prefecture_articles():
    assert prefecture_name("75", "Paris", 0) == "Préfecture de police"
    assert prefecture_name("59", "Nord", 2) == "Préfecture du Nord"
    assert prefecture_name("974", "La Réunion", 0) == "Préfecture de la Réunion"
    assert prefecture_name("08", "Ardennes", 4) == "Préfecture des Ardennes"
    assert prefecture_name("36", "Indre", 5) == "Préfecture de l'Indre"


def test_population_skips_arrondissements_and_delegated_communes():
    communes = [
        {"type": "commune-actuelle", "departement": "75", "population": 100},
        {"type": "arrondissement-municipal", "departement": "75", "population": 60},
        {"type": "commune-deleguee", "departement": "49", "population": 5},
        {"type": "commune-actuelle", "departement": "49", "population": 7},
        {"type": "commune-actuelle", "departement": "976"},
    ]
    assert departement_populations(communes) == {"75": 100, "49": 7, "976": 0}
