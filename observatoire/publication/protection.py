"""Protect the publication cube one calendar year at a time.

No relation crosses a calendar year: territory and incident totals are taken within one
period, and every period total (quarter, year) sums months of its own year. The attacker's
system is therefore block-diagonal by year, and protecting or auditing each year alone is
exactly equivalent to doing the whole cube at once — while scaling linearly with the years,
and letting a new vintage leave completed years untouched.
"""

from __future__ import annotations

import multiprocessing
import os
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from typing import Any, TypeVar

import numpy as np

from observatoire.disclosure import CellKey, Cube, build_cube, protect
from observatoire.disclosure.primary import primary_mask
from observatoire.disclosure.slab_lp import cell_weights
from observatoire.domain.periods import period_level
from observatoire.domain.taxonomy import Taxonomy
from observatoire.domain.territories import Territories
from observatoire.publication.dimensions import (
    incident_dimension,
    period_dimension,
    territory_dimension,
)
from observatoire.publication.plan import COMPLETE, Plan
from observatoire.publication.stored import HIDDEN, UNPLANNED, Contributions


@dataclass(frozen=True)
class ProtectedTable:
    """Published values (HIDDEN for hidden cells) of every year, side by side."""

    territories: list[str]
    incidents: list[str]
    periods: list[str]
    published: np.ndarray  # shape (territories, incidents, periods)
    seconds: float

    @property
    def cells(self) -> int:
        """Number of cells."""
        return int(self.published.size)

    @property
    def planned_cells(self) -> int:
        """Number of cells of the published tables (shown or secret)."""
        return self.cells - self.unplanned

    @property
    def hidden(self) -> int:
        """Number of hidden (secret) cells of the published tables."""
        return int((self.published == HIDDEN).sum())

    @property
    def unplanned(self) -> int:
        """Number of cells of tables outside the plan (neither published nor secret)."""
        return int((self.published == UNPLANNED).sum())


def year_cubes(
    contributions: Contributions, territories: Territories, taxonomy: Taxonomy, months: list[str]
) -> Iterator[tuple[str, Cube]]:
    """One cube per calendar year of `months`."""
    t_dim, i_dim = territory_dimension(territories), incident_dimension(taxonomy)
    for year in sorted({m[:4] for m in months}):
        in_year = [m for m in months if m[:4] == year]
        part = {key: v for key, v in contributions.items() if key[2][:4] == year}
        yield year, build_cube(part, t_dim, i_dim, period_dimension(in_year))


def forced_cells(
    cube: Cube, old: dict[CellKey, int], k: int, consolidate: bool
) -> tuple[set[CellKey], set[CellKey]]:
    """Earlier cells: hidden ones stay hidden; published ones stay published when still true.

    Cells new to this vintage (the new month, and a quarter or year it completes) are free:
    the protection decides, under every relation, including those tying a new quarter or
    year total to months hidden earlier (see `carried_protection`).
    """
    primary_now = primary_mask(cube, k) if consolidate else None
    forced_hidden: set[CellKey] = set()
    forced_published: set[CellKey] = set()
    for idx, key in enumerate(cube.cells):
        if key not in old or old[key] == UNPLANNED:
            continue
        value = int(cube.values[idx])
        if old[key] == HIDDEN:
            if value > 0 or not consolidate:
                forced_hidden.add(key)
        elif old[key] == value and not (primary_now is not None and primary_now[idx]):
            forced_published.add(key)
        elif not consolidate:
            raise RuntimeError(f"la cellule {key} a changé alors que ses mois étaient figés")
    return forced_hidden, forced_published


def carried_protection(cube: Cube, old: dict[CellKey, int]) -> set[CellKey]:
    """Earlier hidden cells whose audited protection still holds without a new search.

    It holds while this vintage adds no quarter or year total: the new month's cells enter no
    relation with earlier months (territory and incident totals are taken within one period),
    so every earlier witness, extended by zero on the new cells, is still a solution. A new
    quarter or year total sums earlier months: an earlier witness that moved one of them
    would move the total, which may now be published. Then every hidden cell of the year gets
    a new witness. The cost: such a vintage protects its whole year again (`bench/
    bench_publish.py`), instead of hiding each new total with a month hidden earlier, which hid
    66 of 101 yearly département totals of the demonstration's 2025 for good.
    """
    if any(key not in old and period_level(key[2]) != "mois" for key in cube.cells):
        return set()
    return {key for key in cube.cells if old.get(key) in (HIDDEN, UNPLANNED)}


def _copy_year(cube: Cube, old: dict[CellKey, int]) -> np.ndarray | None:
    """The earlier published values of a year whose cells are all unchanged, else None."""
    keys = cube.cells
    if any(key not in old for key in keys):
        return None
    published = np.array([old[key] for key in keys], dtype=np.int64)
    shown = (published != HIDDEN) & (published != UNPLANNED)
    if not np.array_equal(published[shown], cube.values[shown]):
        raise RuntimeError("une année déjà publiée ne correspond plus à ses valeurs figées")
    return published


def _protect_year(
    cube: Cube,
    k: int,
    forced: tuple[set[CellKey], set[CellKey]],
    certified: set[CellKey],
    plan: Plan = COMPLETE,
    *,
    processes: int = 1,
) -> np.ndarray:
    unpublished = ~plan.mask(cube)
    protection = protect(
        cube,
        k,
        forced_hidden=forced[0],
        forced_published=forced[1],
        certified=certified,
        unpublished=unpublished,
        weights=plan.weights(cube, cell_weights(cube)) if plan.priorities else None,
        keep=plan.mask(cube, plan.kept) if plan.kept else None,
        processes=processes,
    )
    shown = np.where(protection.hidden_mask, HIDDEN, cube.values)
    return np.where(unpublished, UNPLANNED, shown)


PARALLEL_MIN_CELLS = 20_000  # nonzero cells per year below which one process is enough
R = TypeVar("R")


def _workers(nonzero: list[int]) -> int:
    # A process costs ~2 s to start: worth it only for several large years.
    large = sum(1 for n in nonzero if n >= PARALLEL_MIN_CELLS)
    if large < 2:
        return 1
    return max(1, min(large, os.cpu_count() or 1))


def run_years(
    work: Callable[..., R], jobs: dict[str, tuple[Any, ...]], cubes: dict[str, Cube]
) -> dict[str, R]:
    """`work(*jobs[year], processes=n)` for every year, in parallel processes when several
    years are large.

    Years share no relation, so their protections and audits are independent; the results
    are the same in one process or several (each year's computation is deterministic).
    Years run one at a time (one large year: a monthly publication) may each use every
    core (`processes`), years run in parallel one each.
    """
    nonzero = {year: int((cubes[year].values > 0).sum()) for year in jobs}
    workers = _workers(list(nonzero.values()))
    if workers <= 1:
        cores = os.cpu_count() or 1
        return {year: work(*args, processes=cores) for year, args in jobs.items()}
    spawn = multiprocessing.get_context("spawn")  # no fork: callers may hold threads
    with ProcessPoolExecutor(workers, mp_context=spawn) as pool:
        # Largest years first, so that a small one does not keep a process waiting at the end.
        order = sorted(jobs, key=lambda year: -nonzero[year])
        futures = {year: pool.submit(work, *jobs[year]) for year in order}
        return {year: futures[year].result() for year in jobs}


def protect_by_year(
    contributions: Contributions,
    territories: Territories,
    taxonomy: Taxonomy,
    months: list[str],
    k: int,
    old: dict[CellKey, int] | None,
    consolidate: bool,
    plan: Plan = COMPLETE,
    *,
    same_plan: bool = True,
) -> ProtectedTable:
    """Protect every year (copying years an incremental vintage leaves untouched).

    Years share no relation, so they are protected in parallel processes when large.
    In an incremental vintage, the cells hidden earlier keep their audited protection and
    are not certified again, unless the vintage completes a quarter or a year
    (see carried_protection).
    """
    started = time.perf_counter()
    cubes = list(year_cubes(contributions, territories, taxonomy, months))
    blocks: dict[str, np.ndarray] = {}
    jobs: dict[str, tuple[Cube, int, tuple[set[CellKey], set[CellKey]], set[CellKey], Plan]] = {}
    for year, cube in cubes:
        # A year is copied only under the same plan: a new plan publishes other tables.
        copy = old is not None and not consolidate and same_plan
        published = _copy_year(cube, old) if copy else None
        if published is not None:
            blocks[year] = published
            continue
        forced: tuple[set[CellKey], set[CellKey]] = (
            (set(), set()) if old is None else forced_cells(cube, old, k, consolidate)
        )
        certified = set() if old is None or consolidate else carried_protection(cube, old)
        jobs[year] = (cube, k, forced, certified, plan)
    blocks.update(run_years(_protect_year, jobs, dict(cubes)))
    t_nodes: list[str] = []
    i_nodes: list[str] = []
    periods: list[str] = []
    parts: list[np.ndarray] = []
    for year, cube in cubes:
        t_nodes, i_nodes = list(cube.dims[0].nodes), list(cube.dims[1].nodes)
        parts.append(blocks[year].reshape(cube.shape))
        periods += list(cube.dims[2].nodes)
    table = np.concatenate(parts, axis=2)
    return ProtectedTable(t_nodes, i_nodes, periods, table, time.perf_counter() - started)
