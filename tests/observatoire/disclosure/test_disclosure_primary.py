"""Primary suppression, boundaries, dimensions and cube construction."""

from __future__ import annotations

import pytest

from observatoire.disclosure import (
    audit,
    build_cube,
    periods_dimension,
    primary_mask,
    protect,
    tree_dimension,
)

M = "2024-01"


def line_cube(values: dict[str, int], orgs: dict[str, dict[str, int]] | None = None):
    """One région of départements, one incident type, one month: a single line."""
    terr = tree_dimension({"FR": None, **{f"dep:{d}": "FR" for d in values}})
    inc = tree_dimension({"t": None})
    contrib = {(f"dep:{d}", "t", M): {"o": n} for d, n in values.items()}
    for d, per_org in (orgs or {}).items():
        contrib[(f"dep:{d}", "t", M)] = per_org
    return build_cube(contrib, terr, inc, periods_dimension([M]))


def test_periods_dimension_only_complete_quarters_and_years():
    months = [f"2023-{m:02d}" for m in range(1, 13)] + ["2024-01", "2024-02", "2024-04"]
    dim = periods_dimension(months)
    assert dim.parent["2023"] is None
    assert dim.parent["2023-T1"] == "2023"
    assert dim.parent["2023-03"] == "2023-T1"
    assert "2024-T1" not in dim.parent and "2024" not in dim.parent
    assert dim.parent["2024-01"] is None
    q = periods_dimension(["2024-01", "2024-02", "2024-03"])
    assert q.parent == {
        "2024-T1": None,
        "2024-01": "2024-T1",
        "2024-02": "2024-T1",
        "2024-03": "2024-T1",
    }
    with pytest.raises(ValueError):
        periods_dimension(["2024-13"])


def test_tree_dimension_rejects_unknown_parent_and_cycles():
    with pytest.raises(ValueError):
        tree_dimension({"a": "b"})
    with pytest.raises(ValueError):
        tree_dimension({"a": "b", "b": "a"})


def test_cube_values_contributions_and_relations():
    cube = line_cube({"1": 3, "2": 40}, orgs={"2": {"x": 35, "y": 5}})
    assert cube.cells == [("FR", "t", M), ("dep:1", "t", M), ("dep:2", "t", M)]
    assert cube.value(("FR", "t", M)) == 43
    assert cube.largest_contribution(("dep:2", "t", M)) == 35
    assert cube.largest_contribution(("FR", "t", M)) == 35
    rel = cube.relations.toarray().tolist()
    assert rel == [[-1, 1, 1]]
    with pytest.raises(ValueError):
        build_cube({("FR", "t", M): {"o": 1}}, *cube.dims)
    with pytest.raises(ValueError):
        build_cube({("dep:1", "t", M): {"o": -1}}, *cube.dims)


def test_all_levels_crossed():
    terr = tree_dimension({"FR": None, "reg:1": "FR", "dep:a": "reg:1", "dep:b": "reg:1"})
    inc = tree_dimension({"tous": None, "f": "tous", "x": "f", "y": "f"})
    per = periods_dimension(["2024-01", "2024-02", "2024-03"])
    cube = build_cube({("dep:a", "x", "2024-02"): {"o": 7}}, terr, inc, per)
    assert cube.n_cells == 4 * 4 * 4
    assert cube.value(("FR", "tous", "2024-T1")) == 7
    assert cube.value(("reg:1", "f", "2024-02")) == 7
    assert cube.value(("dep:b", "x", "2024-02")) == 0


@pytest.mark.parametrize(("n", "is_primary"), [(0, False), (1, True), (10, True), (11, False)])
def test_threshold_boundaries(n, is_primary):
    cube = line_cube({"1": n, "2": 50, "3": 60})
    assert bool(primary_mask(cube, 11)[cube.index_of(("dep:1", "t", M))]) is is_primary


def test_k_is_a_setting():
    cube = line_cube({"1": 4, "2": 5})
    assert primary_mask(cube, 5)[cube.index_of(("dep:1", "t", M))]
    assert not primary_mask(cube, 5)[cube.index_of(("dep:2", "t", M))]


def test_insider_rule():
    # 40 reports, 35 from one association: it can deduce the other 5.
    cube = line_cube({"1": 40, "2": 50, "3": 60}, orgs={"1": {"a": 35, "b": 5}})
    assert primary_mask(cube)[cube.index_of(("dep:1", "t", M))]
    # One association alone: n - largest = 0, nothing to learn about others.
    solo = line_cube({"1": 40, "2": 50}, orgs={"1": {"a": 40}})
    assert not primary_mask(solo)[solo.index_of(("dep:1", "t", M))]
    prot = protect(cube)
    assert ("dep:1", "t", M) in prot.hidden and audit(cube, prot.hidden).ok


def test_zeros_never_hidden():
    cube = line_cube({"1": 0, "2": 3, "3": 0, "4": 30})
    prot = protect(cube)
    for d in ("1", "3"):
        assert prot.published((f"dep:{d}", "t", M)) == 0
    assert prot.published(("dep:2", "t", M)) is None


def test_total_below_k_is_hidden():
    cube = line_cube({"1": 2, "2": 3, "3": 1})
    prot = protect(cube)
    assert ("FR", "t", M) in prot.primary
    assert prot.hidden == frozenset(cube.cells)
    rep = audit(cube, prot.hidden)
    assert rep.ok
    assert rep.bounds[("FR", "t", M)][1] >= 11


def test_line_with_single_nonzero_cell_hides_total_too():
    cube = line_cube({"1": 4, "2": 0, "3": 0})
    prot = protect(cube)
    assert prot.hidden == {("dep:1", "t", M), ("FR", "t", M)}
    rep = audit(cube, prot.hidden)
    assert rep.ok and rep.bounds[("dep:1", "t", M)][1] >= 11


def test_single_child_levels_hidden_together():
    terr = tree_dimension(
        {
            "FR": None,
            "reg:A": "FR",
            "reg:B": "FR",
            "dep:971": "reg:A",
            "dep:1": "reg:B",
            "dep:2": "reg:B",
        }
    )
    inc = tree_dimension({"tous": None, "x": "tous", "y": "tous"})
    contrib = {
        ("dep:971", "x", M): {"o": 4},
        ("dep:971", "y", M): {"o": 30},
        ("dep:1", "x", M): {"o": 25},
        ("dep:1", "y", M): {"o": 33},
        ("dep:2", "x", M): {"o": 40},
        ("dep:2", "y", M): {"o": 21},
    }
    cube = build_cube(contrib, terr, inc, periods_dimension([M]))
    prot = protect(cube)
    for i in ("x", "y", "tous"):
        assert (("reg:A", i, M) in prot.hidden) == (("dep:971", i, M) in prot.hidden)
    assert ("reg:A", "x", M) in prot.hidden
    assert audit(cube, prot.hidden).ok


def test_forced_published_primary_is_rejected():
    from observatoire.disclosure import ProtectionError

    cube = line_cube({"1": 3, "2": 30, "3": 40})
    with pytest.raises(ProtectionError, match="dep:1"):
        protect(cube, forced_published={("dep:1", "t", M)})
