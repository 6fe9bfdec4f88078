"""Vintages: earlier publications are fixed and audited jointly with the new one."""

from __future__ import annotations

import random

import pytest

from observatoire.disclosure import (
    ProtectionError,
    audit,
    build_cube,
    periods_dimension,
    protect,
    tree_dimension,
)

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
        "dep:971": "reg:C",
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
MONTHS = ["2024-01", "2024-02", "2024-03"]


def data(seed: int):
    rng = random.Random(seed)
    out = {}
    for d in ("dep:1", "dep:2", "dep:3", "dep:4", "dep:5", "dep:971"):
        for t in "abcde":
            for m in MONTHS:
                n = rng.choice([0, 0, 1, 2, 3, 5, 8, 12, 20, 40])
                if n:
                    out[(d, t, m)] = {"o1": n, "o2": rng.choice([0, 0, 1, 9])}
    return out


def cube_of(contrib, months):
    sub = {k: v for k, v in contrib.items() if k[2] in months}
    return build_cube(sub, TERR, INC, periods_dimension(months))


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_new_month_with_earlier_cells_forced(seed):
    contrib = data(seed)
    cube2 = cube_of(contrib, MONTHS[:2])
    first = protect(cube2)
    assert audit(cube2, first.hidden).ok
    cube3 = cube_of(contrib, MONTHS)
    assert ("FR", "tous", "2024-T1") in cube3.cells
    second = protect(
        cube3, forced_hidden=set(first.hidden), forced_published=set(first.published_cells())
    )
    # No earlier published value changes, nothing earlier hidden gets published.
    for c in cube2.cells:
        assert second.published(c) == first.published(c)
    # Joint audit: cube3 holds every cell of both vintages with the same values.
    joint = audit(cube3, second.hidden)
    assert joint.ok, joint.exposed
    assert second.primary <= second.hidden


def test_protecting_vintages_independently_can_leak():
    # Differencing: month-by-month protection, then a quarter total, without forcing.
    contrib = {("dep:1", "a", m): {"o": n} for m, n in zip(MONTHS, (3, 30, 40), strict=True)}
    contrib |= {("dep:2", "a", m): {"o": n} for m, n in zip(MONTHS, (25, 2, 35), strict=True)}
    terr = tree_dimension({"FR": None, "dep:1": "FR", "dep:2": "FR"})
    inc = tree_dimension({"a": None})
    cube = build_cube(contrib, terr, inc, periods_dimension(MONTHS))
    old = build_cube(
        {k: v for k, v in contrib.items() if k[2] != "2024-03"},
        terr,
        inc,
        periods_dimension(MONTHS[:2]),
    )
    p_old = protect(old)
    p_new = protect(cube)
    # What an attacker holding both publications knows is hidden in neither of them.
    known_hidden = (p_new.hidden & p_old.hidden) | (p_new.hidden - set(old.cells))
    forced = protect(
        cube, forced_hidden=set(p_old.hidden), forced_published=set(p_old.published_cells())
    )
    assert audit(cube, forced.hidden).ok
    assert audit(cube, known_hidden).ok or known_hidden != forced.hidden


def test_forced_hidden_cells_stay_hidden_even_if_large():
    contrib = data(4)
    cube = cube_of(contrib, MONTHS)
    big = max(cube.cells, key=cube.value)
    prot = protect(cube, forced_hidden={big})
    assert big in prot.hidden and big in prot.secondary
    assert audit(cube, prot.hidden).ok


def test_contradictory_forcing_is_rejected():
    cube = cube_of(data(5), MONTHS)
    c = cube.cells[0]
    with pytest.raises(ProtectionError):
        protect(cube, forced_hidden={c}, forced_published={c})


def test_local_slab_certification_path(monkeypatch):
    # Force the large-block path (slab LPs, conservative repair) on a small cube.
    import importlib

    audit_mod = importlib.import_module("observatoire.disclosure.audit")
    monkeypatch.setattr(audit_mod, "LOCAL_MIN_VARS", 5)
    cube = cube_of(data(6), MONTHS)
    prot = protect(cube)
    rep = audit(cube, prot.hidden)
    assert rep.ok, rep.exposed
    assert prot.primary <= prot.hidden
