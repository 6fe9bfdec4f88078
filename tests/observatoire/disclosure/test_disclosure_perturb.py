"""Slab perturbation witnesses: feasible, checked by an independent LP, and not over-hiding."""

from __future__ import annotations

import random

import numpy as np
import pytest
from scipy.optimize import linprog

from observatoire.disclosure import build_cube, periods_dimension, perturb, protect, tree_dimension
from observatoire.disclosure.perturb import Perturber, SlabLP
from observatoire.disclosure.primary import primary_mask
from tests.observatoire.disclosure.test_disclosure_boxes import INC, TERR, random_cube

K = 11
MONTHS_YEAR = [f"2024-{m:02d}" for m in range(1, 13)]
TERR_BIG = tree_dimension(
    {
        "FR": None,
        "reg:A": "FR",
        "reg:B": "FR",
        "reg:C": "FR",
        "dep:small": "reg:A",
        "dep:a2": "reg:A",
        "dep:a3": "reg:A",
        "dep:b1": "reg:B",
        "dep:b2": "reg:B",
        "dep:c1": "reg:C",  # a region with a single département, like the overseas ones
    }
)


def attacker_range(cube, hidden: np.ndarray, cell: int) -> tuple[float, float]:
    """LP minimum and maximum of one hidden cell, solved from scratch by scipy (not our code)."""
    hid = np.flatnonzero(hidden)
    rel = cube.relations.astype(np.float64)
    rows = np.flatnonzero(abs(rel) @ hidden.astype(np.float64) > 0)
    a = rel[rows][:, hid]
    b = -(rel[rows] @ np.where(hidden, 0, cube.values).astype(np.float64))
    j = int(np.searchsorted(hid, cell))
    c = np.zeros(hid.size)
    out = []
    for sign in (1.0, -1.0):
        c[j] = sign
        res = linprog(c, A_eq=a, b_eq=b, bounds=[(1, None)] * hid.size, method="highs")
        assert res.status == 0, res.message
        out.append(float(res.x[j]))
    return out[0], out[1]


def year_cube(seed: int):
    """A year of sparse counts: one small département beside larger ones."""
    rng = random.Random(seed)
    contrib = {}
    for d in ["dep:small", "dep:a2", "dep:a3", "dep:b1", "dep:b2", "dep:c1"]:
        for t in "abcde":
            for m in MONTHS_YEAR:
                if d == "dep:small":
                    n = rng.choice([0, 1, 1, 2, 3])
                else:
                    n = rng.choice([0, 2, 4, 7, 12, 20])
                if n:
                    contrib[(d, t, m)] = {"o1": n}
    return build_cube(contrib, TERR_BIG, INC, periods_dimension(MONTHS_YEAR))


@pytest.mark.parametrize("seed", range(4))
def test_slab_move_keeps_relations_and_bounds(seed):
    cube = random_cube(seed)
    v = cube.values
    cols = np.flatnonzero(v > 0)
    model = SlabLP(cube.relations.tocsc(), cols, v, np.ones(cols.size))
    prim = np.flatnonzero(primary_mask(cube, K))
    for c in prim[:10].tolist():
        y = model.move(np.array([c]), np.array([float(K - v[c])]))
        if y is None:
            continue
        full = np.zeros(cube.n_cells)
        full[cols] = y
        assert np.allclose(cube.relations @ full, 0, atol=1e-7)
        assert full[c] >= K - v[c] - 1e-7
        assert np.all(v[cols] + y >= 1 - 1e-7)  # every moved cell stays >= 1


@pytest.mark.parametrize("seed", range(3))
def test_protect_witnesses_hold_under_an_independent_lp(seed, monkeypatch):
    monkeypatch.setattr(perturb, "SMALL_CUBE", 0)  # use territory slabs even on a small cube
    cube = year_cube(seed)
    result = protect(cube, K)
    hidden = result.hidden_mask
    assert not np.any(hidden & (cube.values == 0))
    assert np.all(hidden[primary_mask(cube, K)])
    rng = np.random.default_rng(seed)
    for c in rng.choice(np.flatnonzero(hidden), size=12, replace=False).tolist():
        lo, hi = attacker_range(cube, hidden, c)
        assert hi >= K - 1e-6, cube.cells[c]
        assert lo < hi - 1e-6, cube.cells[c]


def test_small_territory_year_total_stays_published(monkeypatch):
    """Spreading the lift over many small hidden cells spares the year total of a small area.

    A single box would need minus cells >= 11 to lift a cell of value 1; in dep:small there
    are none, so box repair hid its totals. Its leaves still leave slack (total minus number
    of non-zero leaves >= k - 1), so a spread perturbation needs no total.
    """
    monkeypatch.setattr(perturb, "SMALL_CUBE", 0)
    cube = year_cube(1)
    small = TERR_BIG.index["dep:small"]
    leaves = cube.values.reshape(cube.shape)[small, 3:, 5:]  # types a-e x months
    assert leaves.sum() - np.count_nonzero(leaves) >= K - 1
    result = protect(cube, K)
    assert result.published(("dep:small", "tous", "2024")) == cube.value(
        ("dep:small", "tous", "2024")
    )
    for region in ["reg:A", "reg:B", "reg:C", "FR"]:
        assert result.published((region, "tous", "2024")) is not None


def test_a_cell_no_perturbation_can_lift_is_reported():
    cube = random_cube(3)
    v = cube.values
    hidden = primary_mask(cube, K)
    perturber = Perturber(cube, K, repair=False)  # nothing but hidden cells may move
    lone = np.flatnonzero(hidden)[:1]
    only = np.zeros_like(hidden)
    only[lone] = True  # a single hidden cell is pinned by its relations
    lo, hi = v.astype(float), v.astype(float)
    failed = perturber.run(lone, only, ~only, lo, hi)
    assert failed.tolist() == lone.tolist()
    assert hi[lone[0]] == v[lone[0]]


def test_territory_slab_holds_parent_siblings_and_a_far_branch():
    cube = year_cube(0)
    perturber = Perturber(cube, K, repair=True)
    perturber.whole = False
    names = TERR_BIG.nodes
    slab = {names[i] for i in perturber.slab(TERR_BIG.index["dep:small"])}
    assert {"dep:small", "reg:A", "dep:a2", "dep:a3", "FR"} <= slab
    assert "reg:B" in slab or "reg:C" in slab
    wide = {names[i] for i in perturber.slab(TERR_BIG.index["dep:small"], wide=True)}
    assert slab <= wide and {"reg:B", "reg:C"} <= wide
    # The overseas-like département has no sibling: its slab goes through another region.
    lone = {names[i] for i in perturber.slab(TERR_BIG.index["dep:c1"])}
    assert {"dep:c1", "reg:C", "FR"} <= lone and len(lone) > 3
    assert TERR is not TERR_BIG
