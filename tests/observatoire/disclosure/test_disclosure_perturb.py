"""Slab perturbation witnesses: feasible, checked by an independent LP, and not over-hiding."""

from __future__ import annotations

import random

import numpy as np
import pytest
from scipy.optimize import linprog

from observatoire.disclosure import (
    audit,
    build_cube,
    parts,
    periods_dimension,
    perturb,
    protect,
    slabs,
    tree_dimension,
)
from observatoire.disclosure.perturb import Perturber
from observatoire.disclosure.primary import primary_mask
from observatoire.disclosure.ranges import Ranges
from observatoire.disclosure.slab_lp import SlabLP
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
    monkeypatch.setattr(slabs, "SMALL_CUBE", 0)  # use territory slabs even on a small cube
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
    monkeypatch.setattr(slabs, "SMALL_CUBE", 0)
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
    ranges = Ranges.of_values(v)
    failed = perturber.run(lone, only, ~only, ranges)
    assert failed.tolist() == lone.tolist()
    assert ranges.hi[lone[0]] == v[lone[0]]


def test_territory_slab_holds_parent_siblings_and_a_far_branch():
    cube = year_cube(0)
    perturber = Perturber(cube, K, repair=True)
    perturber.geometry.whole = False
    names = TERR_BIG.nodes
    slab = {names[i] for i in perturber.geometry.slab(TERR_BIG.index["dep:small"])}
    assert {"dep:small", "reg:A", "dep:a2", "dep:a3", "FR"} <= slab
    assert "reg:B" in slab or "reg:C" in slab
    medium = {names[i] for i in perturber.geometry.slab(TERR_BIG.index["dep:small"], 1)}
    wide = {names[i] for i in perturber.geometry.slab(TERR_BIG.index["dep:small"], 2)}
    assert slab <= medium <= wide and {"reg:B", "reg:C"} <= wide
    # The overseas-like département has no sibling: its slab goes through another region.
    lone = {names[i] for i in perturber.geometry.slab(TERR_BIG.index["dep:c1"])}
    assert {"dep:c1", "reg:C", "FR"} <= lone and len(lone) > 3
    assert TERR is not TERR_BIG


def _check_move(cube, cols: np.ndarray, y: np.ndarray, cell: int, amount: float, up: bool):
    full = np.zeros(cube.n_cells)
    full[cols] = y
    assert np.allclose(cube.relations @ full, 0, atol=1e-7)
    assert np.all(cube.values[cols] + y >= 1 - 1e-7)
    assert (full[cell] >= amount - 1e-7) if up else (full[cell] <= -amount + 1e-7)


@pytest.mark.parametrize("seed", range(3))
def test_slab_free_cells_move_at_no_cost_and_priced_ones_only_when_needed(seed):
    """Hidden cells (free, one column each) beside published ones (priced, two columns).

    A lift that hidden cells alone can carry moves no published cell (the protected pattern:
    every hidden cell has such a lift); one that they cannot carry moves some (primary cells
    only: secondary suppression still to do). Either way relations hold and every cell stays
    >= 1, up or down.
    """
    cube = year_cube(seed)
    v = cube.values
    cols = np.flatnonzero(v > 0)
    counts = {}
    for name, hidden in (
        ("carried", protect(cube, K).hidden_mask),
        ("primary", primary_mask(cube, K)),
    ):
        free = hidden[cols]
        mixed = SlabLP(cube.relations.tocsc(), cols, v, np.ones(cols.size), free=free)
        hid = np.flatnonzero(hidden)
        alone = SlabLP(
            cube.relations.tocsc(), hid, v, np.zeros(hid.size), free=np.ones(hid.size, bool)
        )
        carried = needed = downs = 0
        for c in hid[:: max(1, hid.size // 15)].tolist():
            amount = float(max(K - v[c], 1))
            y = mixed.move(np.array([c]), np.array([amount]))
            assert y is not None  # hiding published cells can always make room
            _check_move(cube, cols, y, c, amount, up=True)
            y_alone = alone.move(np.array([c]), np.array([amount]))
            if y_alone is not None:
                carried += 1
                _check_move(cube, hid, y_alone, c, amount, up=True)
                assert np.all(np.abs(y[~free]) < 1e-7), "a published cell moved for nothing"
            else:
                needed += 1
                assert np.any(np.abs(y[~free]) > 1e-7)
            # Down is impossible when every leaf under the cell is 1; it may be elsewhere.
            down = mixed.move(np.array([c]), np.array([1.0]), up=False)
            if down is not None:
                downs += 1
                _check_move(cube, cols, down, c, 1.0, up=False)
        counts[name] = (carried, needed)
    assert counts["carried"][0] > 0 and counts["carried"][1] == 0
    assert counts["primary"][1] > 0  # lifts that need published cells really occur
    assert downs > 0


def test_slab_make_free_stops_pricing_a_cell():
    """Once a published cell is hidden (make_free), moving it costs nothing: it moves first."""
    cube = year_cube(0)
    v = cube.values
    cols = np.flatnonzero(v > 0)
    target = int(np.flatnonzero((v == 1) & (cube.agg_level == 0))[0])
    model = SlabLP(cube.relations.tocsc(), cols, v, np.ones(cols.size))
    first = model.move(np.array([target]), np.array([float(K - 1)]))
    assert first is not None
    moved = np.flatnonzero(np.abs(first) > 1e-7)
    model.make_free(moved)
    again = model.move(np.array([target]), np.array([float(K - 1)]))
    assert again is not None
    # The same lift is now free: the optimum moves no cell outside the freed ones.
    assert set(np.flatnonzero(np.abs(again) > 1e-7).tolist()) <= set(moved.tolist())


def test_witness_search_in_parts_is_sound_and_the_same_in_one_or_two_processes(monkeypatch):
    """A large search is shared out in parts (parts.PARTS): run in two processes or one
    after the other, the parts give the same hidden cells; each part knows nothing of the
    other's hides, yet every hidden cell keeps a witness (checked by an independent LP).
    """
    monkeypatch.setattr(slabs, "SMALL_CUBE", 0)
    monkeypatch.setattr(parts, "PARTS_MIN_TARGETS", 1)
    cube = year_cube(2)
    calls = []
    real = parts.search_in_parts

    def spy(groups, *args):
        calls.append(len(groups))
        return real(groups, *args)

    monkeypatch.setattr(parts, "search_in_parts", spy)
    alone = protect(cube, K, processes=1)
    assert calls, "the search was not shared out"
    several = protect(cube, K, processes=2)
    assert np.array_equal(alone.hidden_mask, several.hidden_mask)
    hidden = several.hidden_mask
    assert np.all(hidden[primary_mask(cube, K)]) and not np.any(hidden & (cube.values == 0))
    rng = np.random.default_rng(2)
    for c in rng.choice(np.flatnonzero(hidden), size=12, replace=False).tolist():
        lo, hi = attacker_range(cube, hidden, c)
        assert hi >= K - 1e-6 and lo < hi - 1e-6, cube.cells[c]


def test_the_first_part_of_a_shared_search_is_the_larger(monkeypatch):
    """The first part runs in this process while the others start: it takes FIRST_PART of
    the targets (to the nearest slab), the others the rest."""
    monkeypatch.setattr(slabs, "SMALL_CUBE", 0)
    monkeypatch.setattr(parts, "PARTS_MIN_TARGETS", 1)
    cube = year_cube(2)
    searches: list[list[int]] = []  # targets per slab of each shared search
    others: list[int] = []  # targets given to the other parts
    real_parts, real_part = parts.search_in_parts, perturb._narrow_part

    def spy_parts(groups, *args):
        searches.append([len(groups[key]) for key in groups])
        return real_parts(groups, *args)

    def spy_part(cube, k, repair, groups, *args, **kwargs):
        others.append(sum(map(len, groups.values())))
        return real_part(cube, k, repair, groups, *args, **kwargs)

    monkeypatch.setattr(parts, "search_in_parts", spy_parts)
    monkeypatch.setattr(perturb, "_narrow_part", spy_part)
    protect(cube, K, processes=1)
    assert len(searches) == len(others) == 1  # PARTS = 2: one other part
    total, first = sum(searches[0]), sum(searches[0]) - others[0]
    assert abs(first - parts.FIRST_PART * total) <= max(searches[0])
    assert first > others[0] > 0


@pytest.mark.parametrize("seed", [5, 6])
def test_protect_passes_exact_audit(seed):
    cube = random_cube(seed)
    prot = protect(cube)
    rep = audit(cube, prot.hidden)
    assert rep.ok, rep.exposed
    assert audit(cube, prot.hidden, exact=False).ok
    assert all(cube.value(c) > 0 for c in prot.hidden)
