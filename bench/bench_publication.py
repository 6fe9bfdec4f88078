"""Benchmark of the disclosure-control pipeline on synthetic national data.

Usage: .venv/bin/python bench/bench_publication.py [--years N] [--quick] [--k 11]
Prints, for 1..N years (full recomputation) and for a monthly incremental publication,
cells, primaries, secondaries and seconds per stage.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from observatoire.disclosure import (  # noqa: E402
    Cube,
    Dimension,
    build_cube,
    periods_dimension,
    protect,
    tree_dimension,
)
from observatoire.publication.protection import carried_protection  # noqa: E402
from observatoire.publication.stored import HIDDEN  # noqa: E402

# COG régions and their départements (13 mainland régions, Corsica, 5 overseas).
REGIONS: dict[str, list[str]] = {
    "84": ["01", "03", "07", "15", "26", "38", "42", "43", "63", "69", "73", "74"],
    "27": ["21", "25", "39", "58", "70", "71", "89", "90"],
    "53": ["22", "29", "35", "56"],
    "24": ["18", "28", "36", "37", "41", "45"],
    "94": ["2A", "2B"],
    "44": ["08", "10", "51", "52", "54", "55", "57", "67", "68", "88"],
    "32": ["02", "59", "60", "62", "80"],
    "11": ["75", "77", "78", "91", "92", "93", "94", "95"],
    "28": ["14", "27", "50", "61", "76"],
    "75": ["16", "17", "19", "23", "24", "33", "40", "47", "64", "79", "86", "87"],
    "76": ["09", "11", "12", "30", "31", "32", "34", "46", "48", "65", "66", "81", "82"],
    "52": ["44", "49", "53", "72", "85"],
    "93": ["04", "05", "06", "13", "83", "84"],
    "01": ["971"],
    "02": ["972"],
    "03": ["973"],
    "04": ["974"],
    "06": ["976"],
}
FAMILIES = {"acces": 6, "delais": 3, "attestations": 3, "consequences": 5}
BIG = {"75": 5.0, "93": 4.0, "13": 3.0, "69": 3.0, "59": 3.0, "92": 2.5, "94": 2.5, "95": 2.0}
ORGS = ["cimade", "secours", "fas", "jrs", "emmaus"]
REPORTS_PER_MONTH = 3000


def dimensions() -> tuple[Dimension, Dimension, list[str], list[str]]:
    """Territory and incident dimensions, and their leaf ids."""
    terr: dict[str, str | None] = {"FR": None}
    for reg, deps in REGIONS.items():
        terr[f"reg:{reg}"] = "FR"
        for d in deps:
            terr[f"dep:{d}"] = f"reg:{reg}"
    inc: dict[str, str | None] = {"tous": None}
    types = []
    for fam, n in FAMILIES.items():
        inc[f"fam:{fam}"] = "tous"
        for j in range(n):
            inc[f"{fam}_{j}"] = f"fam:{fam}"
            types.append(f"{fam}_{j}")
    deps = [f"dep:{d}" for ds in REGIONS.values() for d in ds]
    return tree_dimension(terr), tree_dimension(inc), deps, types


def months_of(years: int, extra: int = 0) -> list[str]:
    """Consecutive months from January 2021: `years` full years plus `extra` months."""
    return [f"{2021 + i // 12}-{i % 12 + 1:02d}" for i in range(12 * years + extra)]


def synthetic(months: list[str], seed: int = 7) -> dict[tuple[str, str, str], dict[str, int]]:
    """Deterministic reports: population-like weights, sparse associations, many small counts."""
    _, _, deps, types = dimensions()
    rng = np.random.default_rng(seed)
    pop = rng.lognormal(0.0, 0.7, len(deps)) * np.array([BIG.get(d[4:], 1.0) for d in deps])
    typ = rng.lognormal(0.0, 0.8, len(types))
    # Each association is active in some départements only, with its own type profile.
    active = rng.random((len(ORGS), len(deps))) < np.array([0.95, 0.6, 0.5, 0.3, 0.25])[:, None]
    share = np.array([0.4, 0.25, 0.15, 0.1, 0.1])[:, None, None]
    prof = rng.lognormal(0.0, 0.5, (len(ORGS), 1, len(types)))
    base = pop[None, :, None] * typ[None, None, :] * prof * active[:, :, None] * share
    base *= REPORTS_PER_MONTH / base.sum()
    out: dict[tuple[str, str, str], dict[str, int]] = {}
    for m in months:
        lam = base * rng.gamma(4.0, 0.25, base.shape)  # month-to-month overdispersion
        counts = rng.poisson(lam)
        for o, d, t in zip(*np.nonzero(counts), strict=True):
            out.setdefault((deps[d], types[t], m), {})[ORGS[o]] = int(counts[o, d, t])
    return out


def cube_for(months: list[str], data: dict[tuple[str, str, str], dict[str, int]]) -> Cube:
    """Cube of the given months built from (a superset of) the data."""
    terr, inc, _, _ = dimensions()
    keep = set(months)
    sub = {key: v for key, v in data.items() if key[2] in keep}
    return build_cube(sub, terr, inc, periods_dimension(months))


def row(label: str, cube: Cube, prot_stats: object, build_s: float) -> str:
    """One formatted table line."""
    s = prot_stats
    return (
        f"{label:<22}{cube.n_cells:>9}{s.primaries:>9}{s.secondaries:>9}"  # type: ignore[attr-defined]
        f"{build_s:>8.1f}{s.primary_seconds:>8.2f}{s.secondary_seconds:>8.1f}"  # type: ignore[attr-defined]
        f"{s.audit_seconds:>8.1f}{s.audit_passes:>7}{s.seconds:>8.1f}"  # type: ignore[attr-defined]
        f"{s.lp_solves:>6}"  # type: ignore[attr-defined]
        f"{(s.primaries + s.secondaries) / cube.n_cells:>7.0%}{s.primaries / cube.n_cells:>7.0%}"  # type: ignore[attr-defined]
    )


def main() -> None:
    """Run the benchmark and print the table."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--years", type=int, default=5, help="largest number of years (default 5)")
    ap.add_argument("--quick", action="store_true", help="1 year and one incremental month")
    ap.add_argument("--k", type=int, default=11)
    args = ap.parse_args()
    years = 1 if args.quick else args.years
    data = synthetic(months_of(years))
    leaf = [(d, t, m) for (d, t, m) in data]
    print(f"synthetic data: {len(leaf)} non-zero leaf cells, k = {args.k}")
    head = (
        f"{'publication':<22}{'cells':>9}{'primary':>9}{'second.':>9}"
        f"{'build':>8}{'prim s':>8}{'sec s':>8}{'audit s':>8}{'passes':>7}{'total s':>8}"
        f"{'LPs':>6}{'hid%':>7}{'prim%':>7}"
    )
    print(head)
    print("-" * len(head))
    for y in range(1, years + 1):
        t0 = time.perf_counter()
        cube = cube_for(months_of(y), data)
        build_s = time.perf_counter() - t0
        prot = protect(cube, args.k)
        print(row(f"full {y} year(s)", cube, prot.stats, build_s), flush=True)
    # Monthly incremental: the last month arrives, everything earlier is forced.
    months = months_of(years)
    old_cube = cube_for(months[:-1], data)
    old = protect(old_cube, args.k)
    print(row(f"previous ({len(months) - 1} months)", old_cube, old.stats, 0.0), flush=True)
    t0 = time.perf_counter()
    cube = cube_for(months, data)
    build_s = time.perf_counter() - t0
    t1 = time.perf_counter()
    # As the product does (publication/protection.py): earlier cells keep their state; the
    # earlier hidden ones keep the protection the earlier audit proved unless this month
    # completes a quarter or the year (here: it completes the last year), when every hidden
    # cell of the year gets a new witness. One year alone may use every core.
    earlier = {
        key: HIDDEN if key in old.hidden else int(old.cube.value(key)) for key in old.cube.cells
    }
    new = protect(
        cube,
        args.k,
        forced_hidden=set(old.hidden),
        forced_published=set(old.published_cells()),
        certified=carried_protection(cube, earlier),
        processes=os.cpu_count() or 1,
    )
    inc_s = time.perf_counter() - t1
    print(row(f"incremental +{months[-1]}", cube, new.stats, build_s), flush=True)
    leaf_cells = cube.agg_level == 0
    prim_share = float(np.mean(cube.mask_of(new.primary)[leaf_cells]))
    print(f"\nprimary share of month x type x département cells: {prim_share:.0%}")
    print(f"monthly incremental publication: {inc_s:.1f} s (target <= 30 s)")


if __name__ == "__main__":
    main()
