"""Protection with a publication plan, checked by an attacker written from scratch.

The attacker knows every published cell, every additive relation, that a secret cell of a
published table is >= 1 (zeros are published there) and that a cell outside the plan is >= 0.
For each secret cell he solves two LPs (scipy's HiGHS, nothing from the engine): its smallest
and largest value. The guarantee: the largest reaches k and the two differ.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from observatoire.disclosure import build_cube, periods_dimension, protect
from observatoire.disclosure.primary import primary_mask
from observatoire.publication.plan import Plan
from tests.observatoire.disclosure.test_disclosure_properties import (
    DEPS,
    INC,
    TERR,
    TYPES,
    sparse_cubes,
)

MONTHS = ["2024-01", "2024-02", "2024-03"]


def plan_mask(cube, tables):  # type: ignore[no-untyped-def]
    """Cells of the given (territory, incidents, period) level triples."""
    return Plan("essai", "1", "", frozenset(tables)).mask(cube)


# The département maps (all incidents, families) by quarter; régions and France monthly.
READERS = [
    ("departement", "tous", "trimestre"),
    ("departement", "famille", "trimestre"),
    ("region", "tous", "mois"),
    ("region", "tous", "trimestre"),
    ("france", "tous", "mois"),
    ("france", "famille", "mois"),
    ("france", "type", "mois"),
    ("france", "tous", "trimestre"),
]


def attacker_bounds(cube, shown, secret, unknown):  # type: ignore[no-untyped-def]
    """Min and max of every secret cell for the attacker (LP, rounded inwards)."""
    rel = cube.relations.toarray().astype(float)
    var = np.flatnonzero(secret | unknown)
    known = np.where(shown, cube.values, 0).astype(float)
    a_eq = rel[:, var]
    b_eq = -rel @ known
    rows = np.flatnonzero(np.abs(a_eq).sum(axis=1) > 0)
    lower = np.where(secret[var], 1.0, 0.0)
    bounds = list(zip(lower, [None] * var.size, strict=True))
    out = {}
    for j, c in enumerate(var):
        if not secret[c]:
            continue
        cost = np.zeros(var.size)
        cost[j] = 1.0
        lo = linprog(cost, A_eq=a_eq[rows], b_eq=b_eq[rows], bounds=bounds, method="highs")
        hi = linprog(-cost, A_eq=a_eq[rows], b_eq=b_eq[rows], bounds=bounds, method="highs")
        assert lo.status == 0, "the true values are feasible"
        top = np.inf if hi.status == 3 else -hi.fun
        out[int(c)] = (np.ceil(lo.fun - 1e-6), np.floor(top + 1e-6))
    return out


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sparse_cubes(), st.sampled_from([3, 5, 11]))
def test_no_secret_cell_of_a_planned_table_is_narrowed(cube, k):
    unpublished = ~plan_mask(cube, READERS)
    prot = protect(cube, k, unpublished=unpublished)
    hidden = prot.hidden_mask
    secret = hidden & ~unpublished
    shown = ~hidden & ~unpublished
    # Primaries are those of published cells; every one is secret, no zero is.
    assert not np.any(primary_mask(cube, k) & ~unpublished & ~secret)
    assert not np.any(secret & (cube.values == 0))
    assert np.array_equal(prot.secret_mask, secret)
    # The attacker sees the published cells only (derivable unplanned cells stay unknowns
    # for him: he derives them himself through the relations).
    bounds = attacker_bounds(cube, shown, secret, unpublished)
    for c, (lo, hi) in bounds.items():
        assert hi >= k and lo < hi, (cube.cells[c], cube.values[c], lo, hi)


def poisson_cube(seed: int, mean_a: float, mean_b: float):  # type: ignore[no-untyped-def]
    """A quarter of counts from two associations, Poisson around the given means."""
    rng = np.random.default_rng(seed)
    contrib = {
        (d, t, m): {"a": int(rng.poisson(mean_a)), "b": int(rng.poisson(mean_b))}
        for d in DEPS
        for t in TYPES
        for m in MONTHS
    }
    return build_cube(contrib, TERR, INC, periods_dimension(MONTHS))


def test_a_plan_publishes_fewer_secret_cells_than_every_table():
    cube = poisson_cube(4, 2, 1)
    planned = plan_mask(cube, READERS)
    everything = protect(cube, 11)
    with_plan = protect(cube, 11, unpublished=~planned)
    # On the planned tables, the plan hides at most what publishing everything hides.
    assert with_plan.secret_mask.sum() <= (everything.hidden_mask & planned).sum()
    assert with_plan.unpublished_mask.sum() == (~planned).sum()


@pytest.mark.parametrize("seed", [1, 2])
def test_plan_weights_keep_the_map_totals_when_detail_can_protect(seed):
    cube = poisson_cube(seed, 3, 2)
    unpublished = ~plan_mask(cube, READERS)
    dep_quarter = plan_mask(cube, [("departement", "tous", "trimestre")])
    cheap = protect(cube, 11, unpublished=unpublished)
    weights = np.where(dep_quarter, 1e6, 1.0)
    dear = protect(cube, 11, unpublished=unpublished, weights=weights, keep=dep_quarter)
    prim = primary_mask(cube, 11)
    secondary_totals = lambda p: int((p.secret_mask & dep_quarter & ~prim).sum())  # noqa: E731
    assert secondary_totals(dear) <= secondary_totals(cheap)
    bounds = attacker_bounds(cube, ~dear.hidden_mask & ~unpublished, dear.secret_mask, unpublished)
    assert all(hi >= 11 and lo < hi for lo, hi in bounds.values())
