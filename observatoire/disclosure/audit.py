"""Attacker audit: integer bounds of every hidden cell given everything published."""

from __future__ import annotations

import math
import sys
import time
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components

from observatoire.disclosure.cube import BoolArray, CellKey, Cube, IntArray
from observatoire.disclosure.local import LOCAL_MIN_VARS, Slabs, certify_locally
from observatoire.disclosure.lp import BlockLP, FloatArray

UNBOUNDED = sys.maxsize  # reported maximum when nothing published bounds the cell
EPS = 1e-6
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
class Witnesses:
    """Smallest and largest values of each cell seen in feasible solutions (true data included).

    Hiding more cells only relaxes the attacker's system, so a witness stays valid while the
    hidden set grows: protect() keeps one instance across its repair passes.
    """

    lo: FloatArray
    hi: FloatArray
    lp_solves: int = 0
    blocks: int = 0
    exact_bounds: dict[int, tuple[int, int]] = field(default_factory=dict)

    @classmethod
    def from_cube(cls, cube: Cube) -> Witnesses:
        """Start from the true values, which are always a feasible solution."""
        v = cube.values.astype(np.float64)
        return cls(v.copy(), v.copy())

    def safe(self, idx: IntArray, k: int) -> BoolArray:
        """Cells certified not pinned and able to reach k."""
        top = np.floor(self.hi[idx] + EPS)
        bot = np.ceil(self.lo[idx] - EPS)
        return np.asarray((top >= k) & (bot < top), dtype=bool)


def _int_bounds(lo: float, hi: float, cap: float) -> tuple[int, int]:
    # A bounded cell never exceeds the grand total; an unbounded one reaches nearly the cap.
    top = UNBOUNDED if hi > cap / 2 else math.floor(hi + EPS)
    return math.ceil(lo - EPS), top


def _is_exposed(b: tuple[int, int], k: int) -> bool:
    return b[1] < k or b[0] >= b[1]


def cap_for(cube: Cube, k: int) -> float:
    """Upper bound on every unknown, twice above any bounded value: nearing it means unbounded."""
    grand = int(cube.values[cube.agg_level == 0].sum())
    return float(4 * (grand + k + cube.n_cells) + 100)


def certify(
    cube: Cube,
    hidden: BoolArray,
    k: int,
    wit: Witnesses,
    *,
    todo: BoolArray | None = None,
    exact: bool = False,
    trusted: BoolArray | None = None,
    conservative: bool = False,
) -> IntArray:
    """Check hidden cells (those in `todo`, default all); return the exposed cell indices.

    Fast mode certifies cells with witness solutions and solves per-cell LPs only for the
    rest; exact mode computes LP (or MILP on small blocks) bounds of every checked cell.
    Blocks whose relations involve only `trusted` cells (an audited earlier vintage) are skipped.
    Large blocks are first certified slab by slab (see local.py); with `conservative`, cells
    that no local witness certifies are returned as exposed without a global LP.
    """
    rel = cube.relations
    hid = np.flatnonzero(hidden)
    if hid.size == 0:
        return np.zeros(0, dtype=np.int64)
    todo_m = hidden if todo is None else (todo & hidden)
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
    row_trusted = None
    if trusted is not None:
        row_trusted = (pattern[rows] @ (~trusted).astype(np.int64)) == 0
    cap = cap_for(cube, k)
    slabs: Slabs | None = None
    exposed: list[int] = []
    for comp in range(n_comp):
        lv = var_order[var_start[comp] : var_start[comp + 1]]
        if lv.size == 0:
            continue
        cells = hid[lv]
        check = np.flatnonzero(todo_m[cells])
        if check.size == 0:
            continue
        lr = row_order[row_start[comp] : row_start[comp + 1]]
        if (
            row_trusted is not None
            and trusted is not None
            and bool(np.all(row_trusted[lr]))
            and bool(np.all(trusted[cells]))
        ):
            continue
        if not exact:
            check = check[~wit.safe(cells[check], k)]
            if check.size == 0:
                continue
        wit.blocks += 1
        block_a = a[lr][:, lv].tocsr()
        if not exact and lv.size >= LOCAL_MIN_VARS:
            slabs = slabs or Slabs(cube)
            lo, hi = wit.lo[cells].copy(), wit.hi[cells].copy()
            safe = np.zeros(cells.size, dtype=bool)
            true_vals = cube.values[cells].astype(np.float64)
            wit.lp_solves += certify_locally(
                slabs, block_a, b[lr], cells, true_vals, check, k, cap, lo, hi, safe
            )
            wit.lo[cells], wit.hi[cells] = lo, hi
            check = check[~safe[check]]
            if check.size == 0:
                continue
        big = conservative and lv.size >= LOCAL_MIN_VARS
        model = BlockLP(block_a, b[lr], k, cap, ipm=big)
        exposed.extend(_check_block(model, cells, check, k, wit, exact, big))
        wit.lp_solves += model.solves
    return np.array(sorted(exposed), dtype=np.int64)


def _absorb(wit: Witnesses, cells: IntArray, x: FloatArray) -> None:
    wit.lo[cells] = np.minimum(wit.lo[cells], x)
    wit.hi[cells] = np.maximum(wit.hi[cells], x)


def _check_block(
    model: BlockLP,
    cells: IntArray,
    check: npt.NDArray[np.intp],
    k: int,
    wit: Witnesses,
    exact: bool,
    conservative: bool = False,
) -> list[int]:
    n = cells.size
    out: list[int] = []
    if not exact:
        # Witness rounds: push as many unsure cells as possible to k at once.
        prev = -1
        for _ in range(12):
            need = check[np.floor(wit.hi[cells[check]] + EPS) < k]
            if need.size == 0 or need.size == prev:
                break
            prev = need.size
            x = model.solve((need + n).astype(np.int32), -np.ones(need.size))
            _absorb(wit, cells, x)
        spread = check[~wit.safe(cells[check], k)]
        spread = spread[np.floor(wit.hi[cells[spread]] + EPS) >= k]
        if spread.size:
            x = model.solve(spread.astype(np.int32), np.ones(spread.size))
            _absorb(wit, cells, x)
        check = check[~wit.safe(cells[check], k)]
        if conservative:  # per-cell LPs on a large block are too slow: let protect repair
            return cells[check].tolist()
    use_milp = exact and n <= MILP_MAX_VARS
    for j in check:
        c = int(cells[j])
        if not exact and bool(wit.safe(np.array([c]), k)[0]):
            continue
        if use_milp:
            lo, hi = model.exact_int_bounds(int(j))
        else:
            hi, x = model.max_of(int(j))
            _absorb(wit, cells, x)
            lo, x = model.min_of(int(j))
            _absorb(wit, cells, x)
        bnd = _int_bounds(lo, hi, model.cap)
        wit.exact_bounds[c] = bnd
        if _is_exposed(bnd, k):
            out.append(c)
    return out


def audit(
    cube: Cube, hidden: Iterable[CellKey], k: int = 11, *, exact: bool = True, processes: int = 1
) -> AuditReport:
    """Integer bounds of every hidden cell for an attacker knowing all published cells.

    exact=True computes each bound (MILP on blocks up to 40 cells, rounded LP above);
    exact=False certifies safe cells with witness solutions (box perturbations first, see
    boxes.py, then slab perturbations, see perturb.py, then LPs), and its bounds for those cells
    are only a guaranteed sub-range of the true ones. `processes` > 1 lets the slab
    perturbations use that many processes on a large cube.
    """
    t0 = time.perf_counter()
    mask = cube.mask_of(hidden)
    wit = Witnesses.from_cube(cube)
    if not exact:  # box then slab perturbation witnesses: sound, and small LPs only
        from observatoire.disclosure.boxes import BoxFinder, box_certify
        from observatoire.disclosure.perturb import Perturber

        hid = np.flatnonzero(mask)
        box_certify(BoxFinder(cube), mask, k, wit.lo, wit.hi, hid)
        perturber = Perturber(cube, k, repair=False)
        perturber.run(hid[~wit.safe(hid, k)], mask, ~mask, wit.lo, wit.hi, processes)
        wit.lp_solves += perturber.solves
    exposed = certify(cube, mask, k, wit, exact=exact)
    keys = cube.cells
    cap = cap_for(cube, k)
    bounds: dict[CellKey, tuple[int, int]] = {}
    for c in np.flatnonzero(mask):
        ci = int(c)
        bounds[keys[ci]] = wit.exact_bounds.get(ci) or _int_bounds(wit.lo[ci], wit.hi[ci], cap)
    return AuditReport(
        bounds=bounds,
        exposed=[keys[int(c)] for c in exposed],
        seconds=time.perf_counter() - t0,
        exact=exact,
        blocks=wit.blocks,
        lp_solves=wit.lp_solves,
    )
