"""Protecting year by year is exact: no relation of the cube crosses a calendar year."""

from __future__ import annotations

import numpy as np

from observatoire.disclosure import build_cube
from observatoire.domain.periods import month_range
from observatoire.domain.taxonomy import load_taxonomy
from observatoire.domain.territories import load_territories
from observatoire.publication.dimensions import (
    dep_id,
    incident_dimension,
    period_dimension,
    territory_dimension,
)
from observatoire.publication.protection import protect_by_year


def test_no_relation_crosses_a_calendar_year():
    months = month_range("2023-10", "2025-03")  # a complete year, complete quarters, a stub
    cube = build_cube(
        {(dep_id("93"), "rdv_indisponible", m): {"a": 12} for m in months},
        territory_dimension(load_territories()),
        incident_dimension(load_taxonomy()),
        period_dimension(months),
    )
    relations = cube.relations.tocsr()
    years = np.array([period[:4] for _t, _i, period in cube.cells])
    for row in range(relations.shape[0]):
        touched = set(years[relations.indices[relations.indptr[row] : relations.indptr[row + 1]]])
        assert len(touched) == 1, f"relation {row} links years {touched}"


def test_years_are_stored_side_by_side_with_every_period():
    months = month_range("2024-11", "2025-02")
    contributions = {(dep_id("75"), "depot_impossible", m): {"a": 40} for m in months}
    table = protect_by_year(
        contributions, load_territories(), load_taxonomy(), months, 11, None, False
    )
    assert table.periods == ["2024-11", "2024-12", "2025-01", "2025-02"]
    assert table.published.shape == (len(table.territories), len(table.incidents), 4)
    assert table.hidden == 0  # 40 everywhere it is not zero: nothing to hide


def test_years_in_parallel_processes_give_the_same_table_and_audit(monkeypatch):
    """Forced into worker processes (every year counts as large), the result is unchanged."""
    import observatoire.publication.protection as protection
    from observatoire.disclosure import audit
    from observatoire.publication.auditing import _audit_year
    from observatoire.publication.stored import HIDDEN
    from tests.support.seeding import random_rows

    months = month_range("2023-11", "2025-02")  # three calendar years
    contributions = {
        (dep_id(dep), typ, mois): {"a": n}
        for dep, mois, typ, n in random_rows(months, seed=5, density=0.04)
    }
    args = (contributions, load_territories(), load_taxonomy(), months, 11, None, False)
    one = protect_by_year(*args)
    monkeypatch.setattr(protection, "PARALLEL_MIN_CELLS", 1)
    cubes = dict(protection.year_cubes(*args[:4]))
    assert protection._workers([int((c.values > 0).sum()) for c in cubes.values()]) == 2
    several = protect_by_year(*args)
    assert np.array_equal(one.published, several.published)
    assert one.hidden > 0
    # The audit of each year, run in the workers, is the one run here.
    at = {
        (t, i, p): int(one.published[a, b, c])
        for a, t in enumerate(one.territories)
        for b, i in enumerate(one.incidents)
        for c, p in enumerate(one.periods)
    }
    hidden = {
        year: {key for key in cube.cells if at[key] == HIDDEN} for year, cube in cubes.items()
    }
    jobs = {year: (cube, hidden[year], 11, False) for year, cube in cubes.items()}
    reports = protection.run_years(_audit_year, jobs, cubes)
    for year, cube in cubes.items():
        alone = audit(cube, hidden[year], 11, exact=False)
        assert reports[year].bounds == alone.bounds and not reports[year].exposed


def test_earlier_protection_carries_over_only_while_no_quarter_or_year_completes():
    """A new month enters no relation with earlier months: earlier witnesses still hold.
    A new quarter (or year) total sums earlier months: every hidden cell needs a new one."""
    from observatoire.disclosure import periods_dimension, tree_dimension
    from observatoire.publication.protection import carried_protection, forced_cells
    from observatoire.publication.stored import HIDDEN

    terr = tree_dimension({"FR": None, "dep:1": "FR", "dep:2": "FR"})
    inc = tree_dimension({"tous": None, "a": "tous", "b": "tous"})
    counts = {(d, t, m): {"o": n} for d, t, m, n in [
        ("dep:1", "a", "2025-01", 3), ("dep:2", "a", "2025-01", 30), ("dep:1", "b", "2025-01", 25),
        ("dep:2", "b", "2025-01", 40), ("dep:1", "a", "2025-02", 2), ("dep:2", "a", "2025-02", 50),
        ("dep:1", "b", "2025-02", 60), ("dep:2", "b", "2025-02", 4), ("dep:1", "a", "2025-03", 5),
        ("dep:2", "a", "2025-03", 70), ("dep:1", "b", "2025-03", 80), ("dep:2", "b", "2025-03", 6),
    ]}  # fmt: skip

    def cube_of(months: list[str]):
        part = {key: v for key, v in counts.items() if key[2] in months}
        return build_cube(part, terr, inc, periods_dimension(months))

    first = cube_of(["2025-01"])
    old = {key: HIDDEN if key[0] == "dep:1" and key[1] == "a" else int(first.values[i])
           for i, key in enumerate(first.cells)}  # fmt: skip
    hidden_before = {key for key, value in old.items() if value == HIDDEN}
    # January + February: no quarter yet, earlier hidden cells keep their protection.
    two = cube_of(["2025-01", "2025-02"])
    forced = forced_cells(two, old, 11, consolidate=False)
    assert forced[0] == hidden_before
    assert carried_protection(two, old) == hidden_before
    # March completes the first quarter: its totals are free, and nothing carries over.
    old2 = old | {key: int(two.values[i]) for i, key in enumerate(two.cells) if key not in old}
    three = cube_of(["2025-01", "2025-02", "2025-03"])
    forced = forced_cells(three, old2, 11, consolidate=False)
    assert ("dep:1", "a", "2025-T1") not in forced[0] | forced[1]
    assert carried_protection(three, old2) == set()
