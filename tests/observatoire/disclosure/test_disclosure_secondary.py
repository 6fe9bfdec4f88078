"""Secondary suppression on tables where naive rules leak."""

from __future__ import annotations

import pytest

from observatoire.disclosure import (
    ProtectionError,
    audit,
    build_cube,
    periods_dimension,
    protect,
    tree_dimension,
)

M = "2024-01"


def table(rows: dict[str, dict[str, int]]):
    """A 2-D table départements x types with both totals, one month."""
    deps = list(rows)
    types = list(next(iter(rows.values())))
    terr = tree_dimension({"FR": None, **{f"dep:{d}": "FR" for d in deps}})
    inc = tree_dimension({"tous": None, **dict.fromkeys(types, "tous")})
    contrib = {(f"dep:{d}", t, M): {"o": n} for d, line in rows.items() for t, n in line.items()}
    return build_cube(contrib, terr, inc, periods_dimension([M]))


def cell(d: str, t: str):
    return (f"dep:{d}", t, M)


def check_protection(cube, prot, k=11):
    assert prot.primary <= prot.hidden
    assert all(cube.value(c) > 0 for c in prot.hidden)
    rep = audit(cube, prot.hidden, k)
    assert rep.ok, rep.exposed
    for c, (lo, hi) in rep.bounds.items():
        assert hi >= k and lo < hi, (c, lo, hi)
    return rep


def test_two_hidden_cells_summing_to_two_are_both_one():
    cube = table(
        {
            "1": {"a": 1, "b": 1, "c": 50},
            "2": {"a": 20, "b": 30, "c": 40},
            "3": {"a": 25, "b": 35, "c": 45},
        }
    )
    naive = {cell("1", "a"), cell("1", "b"), cell("2", "a"), cell("2", "b")}
    rep = audit(cube, naive)
    assert not rep.ok
    assert rep.bounds[cell("1", "a")] == (1, 1)
    assert set(rep.exposed) >= {cell("1", "a"), cell("1", "b")}
    prot = protect(cube)
    assert prot.primary == {cell("1", "a"), cell("1", "b")}
    check_protection(cube, prot)


def test_bridge_between_two_cycles_leaks():
    rows = {
        "1": {"a": 30, "b": 40, "c": 50, "d": 60},
        "2": {"a": 35, "b": 45, "c": 3, "d": 55},
        "3": {"a": 50, "b": 60, "c": 25, "d": 35},
        "4": {"a": 65, "b": 70, "c": 45, "d": 30},
    }
    cube = table(rows)
    naive = {
        cell("1", "a"),
        cell("1", "b"),
        cell("2", "a"),
        cell("2", "b"),
        cell("3", "c"),
        cell("3", "d"),
        cell("4", "c"),
        cell("4", "d"),
        cell("2", "c"),
    }
    # Every line holding a hidden cell holds at least two.
    rel = cube.relations
    hidden_idx = {cube.index_of(c) for c in naive}
    for r in range(rel.shape[0]):
        n = len(hidden_idx & set(rel.indices[rel.indptr[r] : rel.indptr[r + 1]].tolist()))
        assert n != 1
    rep = audit(cube, naive)
    assert rep.exposed == [cell("2", "c")]
    assert rep.bounds[cell("2", "c")] == (3, 3)
    prot = protect(cube)
    assert prot.primary == {cell("2", "c")}
    check_protection(cube, prot)


def test_rectangle_bounds_are_exact():
    cube = table({"1": {"a": 5, "b": 20}, "2": {"a": 30, "b": 40}})
    hidden = {cell("1", "a"), cell("1", "b"), cell("2", "a"), cell("2", "b")}
    rep = audit(cube, hidden)
    assert rep.ok and rep.exact
    assert rep.bounds[cell("1", "a")] == (1, 24)
    assert rep.bounds[cell("2", "b")] == (36, 59)
    fast = audit(cube, hidden, exact=False)
    assert fast.ok
    lo, hi = fast.bounds[cell("1", "a")]
    assert 1 <= lo < hi <= 24 and hi >= 11


def test_narrow_range_below_k_is_exposed():
    # Two hidden cells of 4 and 5: each can reach at most 8 < 11.
    cube = table({"1": {"a": 4, "b": 5, "c": 50}, "2": {"a": 20, "b": 30, "c": 40}})
    rep = audit(cube, {cell("1", "a"), cell("1", "b"), cell("2", "a"), cell("2", "b")})
    assert cell("1", "a") in rep.exposed and rep.bounds[cell("1", "a")][1] == 8
    prot = protect(cube)
    check_protection(cube, prot)


def test_protect_is_deterministic_and_prefers_small_leaves():
    rows = {
        "1": {"a": 2, "b": 12, "c": 90},
        "2": {"a": 14, "b": 13, "c": 80},
        "3": {"a": 60, "b": 70, "c": 85},
    }
    cube = table(rows)
    p1, p2 = protect(cube), protect(cube)
    assert p1.hidden == p2.hidden
    assert cell("3", "c") not in p1.hidden and ("FR", "tous", M) not in p1.hidden
    check_protection(cube, p1)
    assert p1.stats.primaries == 1 and p1.stats.secondaries == len(p1.hidden) - 1


def test_impossible_under_forced_cells_names_them():
    cube = table({"1": {"a": 3, "b": 30}, "2": {"a": 40, "b": 50}})
    forced = {
        cell("1", "b"),
        cell("2", "a"),
        cell("2", "b"),
        ("FR", "a", M),
        ("FR", "b", M),
        ("dep:1", "tous", M),
        ("dep:2", "tous", M),
        ("FR", "tous", M),
    }
    with pytest.raises(ProtectionError, match="dep:1") as err:
        protect(cube, forced_published=forced)
    assert cell("1", "a") in err.value.exposed


def test_empty_and_all_large_cubes():
    cube = table({"1": {"a": 30, "b": 40}, "2": {"a": 50, "b": 60}})
    prot = protect(cube)
    assert prot.hidden == frozenset() and audit(cube, set()).ok
    assert prot.published(("FR", "tous", M)) == 180
