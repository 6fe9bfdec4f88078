"""Property tests on random small cubes, and the audit against brute-force enumeration."""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from observatoire.disclosure import (
    UNBOUNDED,
    audit,
    build_cube,
    periods_dimension,
    protect,
    tree_dimension,
)

MONTHS = ["2024-01", "2024-02", "2024-03"]
TERR = tree_dimension(
    {
        "FR": None,
        "reg:A": "FR",
        "reg:B": "FR",
        "dep:1": "reg:A",
        "dep:2": "reg:A",
        "dep:3": "reg:A",
        "dep:9": "reg:B",
    }
)
INC = tree_dimension(
    {"tous": None, "f1": "tous", "f2": "tous", "x": "f1", "y": "f1", "z": "f2", "w": "f2"}
)
DEPS = ["dep:1", "dep:2", "dep:3", "dep:9"]
TYPES = ["x", "y", "z", "w"]

small_count = st.one_of(st.just(0), st.just(0), st.integers(1, 6), st.integers(1, 30))


@st.composite
def sparse_cubes(draw):
    n_months = draw(st.sampled_from([1, 3]))
    months = MONTHS[:n_months]
    contrib = {}
    for d in DEPS:
        for t in TYPES:
            for m in months:
                a, b = draw(small_count), draw(st.one_of(st.just(0), small_count))
                if a or b:
                    contrib[(d, t, m)] = {"a": a, "b": b}
    return build_cube(contrib, TERR, INC, periods_dimension(months))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sparse_cubes(), st.sampled_from([3, 5, 11]))
def test_protect_on_random_sparse_cubes(cube, k):
    prot = protect(cube, k)
    assert prot.primary <= prot.hidden
    assert all(cube.value(c) > 0 for c in prot.hidden)
    assert prot.hidden == prot.primary | prot.secondary
    rep = audit(cube, prot.hidden, k)
    assert rep.ok, rep.exposed
    for c in prot.hidden:
        assert prot.published(c) is None
    for c in set(cube.cells) - prot.hidden:
        assert prot.published(c) == cube.value(c)


def brute_bounds(cube, hidden, cap):
    """Integer min/max of each hidden cell by exhaustive search with propagation."""
    rel = cube.relations
    hid = [cube.index_of(c) for c in hidden]
    pos = {c: j for j, c in enumerate(hid)}
    vals = cube.values
    rows = []
    for r in range(rel.shape[0]):
        cols = rel.indices[rel.indptr[r] : rel.indptr[r + 1]]
        coef = rel.data[rel.indptr[r] : rel.indptr[r + 1]]
        unk = [(pos[c], int(s)) for c, s in zip(cols, coef, strict=True) if c in pos]
        if unk:
            known = sum(
                int(s) * int(vals[c]) for c, s in zip(cols, coef, strict=True) if c not in pos
            )
            rows.append((unk, -known))
    lo = [None] * len(hid)
    hi = [None] * len(hid)

    def search(x):
        changed = True
        while changed:
            changed = False
            for unk, rhs in rows:
                free = [(j, s) for j, s in unk if x[j] is None]
                acc = sum(s * x[j] for j, s in unk if x[j] is not None)
                if not free:
                    if acc != rhs:
                        return
                elif len(free) == 1:
                    j, s = free[0]
                    v = (rhs - acc) * s
                    if v < 1 or v > cap:
                        return
                    x = list(x)
                    x[j] = v
                    changed = True
        if all(v is not None for v in x):
            for j, v in enumerate(x):
                lo[j] = v if lo[j] is None else min(lo[j], v)
                hi[j] = v if hi[j] is None else max(hi[j], v)
            return
        j = x.index(None)
        for v in range(1, cap + 1):
            y = list(x)
            y[j] = v
            search(y)

    search([None] * len(hid))
    return {c: (lo[j], hi[j]) for j, c in enumerate(hidden)}


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_audit_matches_brute_force(data):
    terr = tree_dimension({"FR": None, "dep:1": "FR", "dep:2": "FR", "dep:3": "FR"})
    inc = tree_dimension({"tous": None, "x": "tous", "y": "tous", "z": "tous"})
    contrib = {}
    for d in ("dep:1", "dep:2", "dep:3"):
        for t in ("x", "y", "z"):
            n = data.draw(st.integers(0, 5))
            if n:
                contrib[(d, t, "2024-01")] = {"o": n}
    cube = build_cube(contrib, terr, inc, periods_dimension(["2024-01"]))
    nonzero = [c for c in cube.cells if cube.value(c) > 0]
    if not nonzero:
        return
    hidden = data.draw(st.lists(st.sampled_from(nonzero), min_size=1, max_size=6, unique=True))
    # A cell is unbounded when its maximum grows with the search cap.
    cap = int(cube.values[cube.agg_level == 0].sum()) + 2
    expected = brute_bounds(cube, hidden, cap)
    wider = brute_bounds(cube, hidden, 2 * cap)
    rep = audit(cube, set(hidden), k=4)
    for c in hidden:
        lo, hi = rep.bounds[c]
        blo, bhi = expected[c]
        assert lo == blo, (c, rep.bounds[c], expected[c])
        assert hi == bhi or (hi == UNBOUNDED and wider[c][1] > bhi), (
            c,
            rep.bounds[c],
            expected[c],
        )
        assert (c in rep.exposed) == (hi < 4 or lo >= hi)
    fast = audit(cube, set(hidden), k=4, exact=False)
    assert fast.exposed == rep.exposed


def test_brute_force_helper_on_a_known_table():
    terr = tree_dimension({"FR": None, "dep:1": "FR", "dep:2": "FR"})
    inc = tree_dimension({"tous": None, "x": "tous", "y": "tous"})
    contrib = {
        ("dep:1", "x", "2024-01"): {"o": 1},
        ("dep:1", "y", "2024-01"): {"o": 1},
        ("dep:2", "x", "2024-01"): {"o": 3},
        ("dep:2", "y", "2024-01"): {"o": 4},
    }
    cube = build_cube(contrib, terr, inc, periods_dimension(["2024-01"]))
    hidden = [
        ("dep:1", "x", "2024-01"),
        ("dep:2", "x", "2024-01"),
        ("dep:1", "y", "2024-01"),
        ("dep:2", "y", "2024-01"),
    ]
    assert brute_bounds(cube, hidden, 20)[hidden[1]] == (3, 3)
    assert audit(cube, set(hidden)).bounds[hidden[1]] == (3, 3)
    assert np.all(cube.values >= 0)
