"""Attacker audit: integer bounds of every hidden cell given everything published."""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components

from observatoire.disclosure.boxes import BoxFinder, box_certify
from observatoire.disclosure.cube import BoolArray, CellKey, Cube, IntArray
from observatoire.disclosure.local import LOCAL_MIN_VARS, Neighbourhoods, certify_locally
from observatoire.disclosure.lp import BlockLP
from observatoire.disclosure.perturb import Perturber
from observatoire.disclosure.ranges import Ranges, integer_bounds, safe_bounds

MILP_MAX_VARS = 40  # exact mode: integer programming is cheap below this block size


@dataclass(frozen=True)
class AuditReport:
    """Result of an audit: bounds per hidden cell and the exposed ones."""

    bounds: dict[CellKey, tuple[int, int]]
    exposed: list[CellKey]
    seconds: float
    exact: bool
    blocks: int = 0
    lp_solves: int = 0

    @property
    def ok(self) -> bool:
        """True when no hidden cell is exposed."""
        return not self.exposed


@dataclass
class Tally:
    """What the block LPs computed: counts, and the bounds solved cell by cell."""

    blocks: int = 0
    lp_solves: int = 0
    exact_bounds: dict[int, tuple[int, int]] = field(default_factory=dict)


def cap_for(cube: Cube, k: int) -> float:
    """Upper bound on every unknown, twice above any bounded value: nearing it means unbounded."""
    grand = int(cube.values[cube.agg_level == 0].sum())
    return float(4 * (grand + k + cube.n_cells) + 100)


def certify(
    cube: Cube,
    hidden: BoolArray,
    k: int,
    ranges: Ranges,
    tally: Tally,
    *,
    exact: bool,
    targets: BoolArray | None = None,
    maybe_zero: BoolArray | None = None,
) -> IntArray:
    """Check every hidden cell with block LPs; return the exposed cell indices.

    Blocks are the connected components of the attacker's system. Fast mode skips cells the
    ranges already certify and solves LPs only for the rest (large blocks first neighbourhood
    by neighbourhood, see local.py); exact mode computes LP (or MILP on small blocks) bounds
    of every hidden cell. Only `targets` (default: every hidden cell) are checked; the other
    hidden cells are unknowns that need not be safe (cells outside the publication plan).
    `maybe_zero` marks hidden cells the attacker only knows to be >= 0 (outside the plan).
    """
    rel = cube.relations
    wanted = hidden if targets is None else targets & hidden
    hid = np.flatnonzero(hidden)
    if hid.size == 0:
        return np.zeros(0, dtype=np.int64)
    pattern = abs(rel)
    rows = np.flatnonzero(pattern @ hidden.astype(np.int64) > 0)
    sub = rel[rows]
    a = sub[:, hid].astype(np.float64).tocsr()
    known = np.where(hidden, 0, cube.values).astype(np.float64)
    b = -(sub.astype(np.float64) @ known)
    n_rows, n_h = a.shape
    pat = (a != 0).astype(np.int8)
    graph = sp.bmat([[None, pat], [pat.T, None]], format="csr")
    n_comp, labels = connected_components(graph, directed=False)
    row_lab, var_lab = labels[:n_rows], labels[n_rows:]
    row_order = np.argsort(row_lab, kind="stable")
    var_order = np.argsort(var_lab, kind="stable")
    row_start = np.searchsorted(row_lab[row_order], np.arange(n_comp + 1))
    var_start = np.searchsorted(var_lab[var_order], np.arange(n_comp + 1))
    cap = cap_for(cube, k)
    floor = np.ones(cube.n_cells) if maybe_zero is None else np.where(maybe_zero, 0.0, 1.0)
    hoods: Neighbourhoods | None = None
    exposed: list[int] = []
    for comp in range(n_comp):
        lv = var_order[var_start[comp] : var_start[comp + 1]]
        if lv.size == 0:
            continue
        cells = hid[lv]
        check = np.flatnonzero(wanted[cells])
        if check.size == 0:
            continue
        lr = row_order[row_start[comp] : row_start[comp + 1]]
        if not exact:
            check = check[~ranges.safe(cells[check], k)]
            if check.size == 0:
                continue
        tally.blocks += 1
        block_a = a[lr][:, lv].tocsr()
        if not exact and lv.size >= LOCAL_MIN_VARS:
            hoods = hoods or Neighbourhoods(cube)
            local = ranges.part(cells)
            true_vals = cube.values[cells].astype(np.float64)
            tally.lp_solves += certify_locally(
                hoods, block_a, b[lr], cells, true_vals, check, k, cap, local, floor[cells]
            )
            ranges.put(cells, local)
            check = check[~local.safe(check, k)]
            if check.size == 0:
                continue
        model = BlockLP(block_a, b[lr], k, cap, floor[cells])
        exposed.extend(_check_block(model, cells, check, k, ranges, tally, exact))
        tally.lp_solves += model.solves
    return np.array(sorted(exposed), dtype=np.int64)


def _check_block(
    model: BlockLP,
    cells: IntArray,
    check: npt.NDArray[np.intp],
    k: int,
    ranges: Ranges,
    tally: Tally,
    exact: bool,
) -> list[int]:
    n = cells.size
    out: list[int] = []
    if not exact:
        # Witness rounds: push as many unsure cells as possible to k at once.
        prev = -1
        for _ in range(12):
            need = check[~ranges.reaches(cells[check], k)]
            if need.size == 0 or need.size == prev:
                break
            prev = need.size
            x = model.solve((need + n).astype(np.int32), -np.ones(need.size))
            ranges.absorb(cells, x)
        spread = check[~ranges.safe(cells[check], k)]
        spread = spread[ranges.reaches(cells[spread], k)]
        if spread.size:
            x = model.solve(spread.astype(np.int32), np.ones(spread.size))
            ranges.absorb(cells, x)
        check = check[~ranges.safe(cells[check], k)]
    use_milp = exact and n <= MILP_MAX_VARS
    for j in check:
        c = int(cells[j])
        if not exact and bool(ranges.safe(np.array([c]), k)[0]):
            continue
        if use_milp:
            lo, hi = model.exact_int_bounds(int(j))
        else:
            hi, x = model.max_of(int(j))
            ranges.absorb(cells, x)
            lo, x = model.min_of(int(j))
            ranges.absorb(cells, x)
        bnd = integer_bounds(lo, hi, model.cap)
        tally.exact_bounds[c] = bnd
        if not safe_bounds(*bnd, k):
            out.append(c)
    return out


def audit(
    cube: Cube,
    hidden: Iterable[CellKey],
    k: int = 11,
    *,
    exact: bool = True,
    processes: int = 1,
    targets: Iterable[CellKey] | None = None,
    maybe_zero: Iterable[CellKey] = (),
) -> AuditReport:
    """Integer bounds of every hidden cell for an attacker knowing all published cells.

    exact=True computes each bound (MILP on blocks up to 40 cells, rounded LP above);
    exact=False certifies safe cells with witness solutions (box perturbations first, see
    boxes.py, then slab perturbations, see perturb.py, then LPs), and its bounds for those cells
    are only a guaranteed sub-range of the true ones. `processes` > 1 lets the slab
    perturbations use that many processes on a large cube. `targets` (default: every hidden
    cell) are the hidden cells that must be safe; the rest are unknowns only. `maybe_zero`
    (hidden cells outside the publication plan) are >= 0 for the attacker instead of >= 1.
    """
    t0 = time.perf_counter()
    mask = cube.mask_of(hidden)
    want = mask if targets is None else cube.mask_of(targets) & mask
    zero_ok = cube.mask_of(maybe_zero) & mask
    ranges = Ranges.of_values(cube.values)
    tally = Tally()
    if not exact:  # box then slab perturbation witnesses: sound, and small LPs only
        hid = np.flatnonzero(want)
        box_certify(BoxFinder(cube), mask, k, ranges, hid)
        floor = np.where(zero_ok, 0.0, 1.0) if zero_ok.any() else None
        perturber = Perturber(cube, k, repair=False, floor=floor)
        perturber.run(hid[~ranges.safe(hid, k)], mask, ~mask, ranges, processes)
        tally.lp_solves += perturber.solves
    exposed = certify(cube, mask, k, ranges, tally, exact=exact, targets=want, maybe_zero=zero_ok)
    keys = cube.cells
    cap = cap_for(cube, k)
    bounds: dict[CellKey, tuple[int, int]] = {}
    for c in np.flatnonzero(want):
        ci = int(c)
        bounds[keys[ci]] = tally.exact_bounds.get(ci) or ranges.integer_bounds(ci, cap)
    return AuditReport(
        bounds=bounds,
        exposed=[keys[int(c)] for c in exposed],
        seconds=time.perf_counter() - t0,
        exact=exact,
        blocks=tally.blocks,
        lp_solves=tally.lp_solves,
    )
