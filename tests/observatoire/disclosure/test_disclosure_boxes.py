"""Box perturbations: they keep every relation, and their witnesses are feasible."""

from __future__ import annotations

import random

import numpy as np
import pytest

from observatoire.disclosure import build_cube, periods_dimension, tree_dimension
from observatoire.disclosure.boxes import BoxFinder, box_certify, box_vector
from observatoire.disclosure.ranges import Ranges

TERR = tree_dimension(
    {
        "FR": None,
        "reg:A": "FR",
        "reg:B": "FR",
        "reg:C": "FR",
        "dep:1": "reg:A",
        "dep:2": "reg:A",
        "dep:3": "reg:A",
        "dep:4": "reg:B",
        "dep:5": "reg:B",
        "dep:971": "reg:C",  # single-child level
    }
)
INC = tree_dimension(
    {
        "tous": None,
        "f1": "tous",
        "f2": "tous",
        "a": "f1",
        "b": "f1",
        "c": "f1",
        "d": "f2",
        "e": "f2",
    }
)
# A forest: one complete quarter plus two root months of an incomplete one.
MONTHS = ["2024-01", "2024-02", "2024-03", "2024-04", "2024-05"]
DEPS = ["dep:1", "dep:2", "dep:3", "dep:4", "dep:5", "dep:971"]


def random_cube(seed: int, dense: bool = False):
    rng = random.Random(seed)
    contrib = {}
    for d in DEPS:
        for t in "abcde":
            for m in MONTHS:
                pool = [3, 8, 15, 25, 40, 60] if dense else [0, 0, 1, 2, 5, 9, 14, 30, 60]
                n = rng.choice(pool)
                if n:
                    contrib[(d, t, m)] = {"o1": n, "o2": rng.choice([0, 0, 1, 9])}
    return build_cube(contrib, TERR, INC, periods_dimension(MONTHS))


def all_boxes(finder: BoxFinder, cells: np.ndarray):
    coords = np.unravel_index(cells, finder.shape)
    for combo in finder.combos:
        for rows, flat, sign in finder.boxes(coords, combo):
            yield cells[rows], flat, sign


def test_every_box_preserves_every_relation():
    cube = random_cube(1)
    finder = BoxFinder(cube)
    rel = cube.relations.astype(np.int64)
    rng = np.random.default_rng(0)
    cells = rng.choice(cube.n_cells, 150, replace=False)
    seen = 0
    kinds = set()
    for owner, flat, sign in all_boxes(finder, cells):
        for c, f, s in zip(owner.tolist(), flat, sign, strict=True):
            d = box_vector(cube.shape, f, s)
            assert d[c] == 1
            assert not np.any(rel @ d)
            kinds.add(int((s < 0).sum()) == 0)
            seen += 1
    assert seen > 1000 and kinds == {True, False}  # one-sided-only and two-sided boxes


@pytest.mark.parametrize("seed", [2, 3, 4])
def test_box_witness_is_feasible(seed):
    cube = random_cube(seed)
    k = 11
    rng = np.random.default_rng(seed)
    hidden = (cube.values > 0) & (rng.random(cube.n_cells) < 0.7)
    finder = BoxFinder(cube)
    choice = finder.search(np.flatnonzero(hidden), hidden, k)
    rel = cube.relations.astype(np.int64)
    checked = 0
    for c, got in zip(np.flatnonzero(hidden).tolist(), choice, strict=True):
        if got is None:
            continue
        t = max(k - int(cube.values[c]), 1)
        x = cube.values + t * box_vector(cube.shape, *got)
        assert not np.any(rel @ x)
        assert np.all(x[hidden] >= 1)
        assert np.array_equal(x[~hidden], cube.values[~hidden])
        assert x[c] >= k and x[c] != cube.values[c]
        checked += 1
    assert checked > 0
    ranges = Ranges.of_values(cube.values)
    assert box_certify(finder, hidden, k, ranges, np.flatnonzero(hidden)) == checked
