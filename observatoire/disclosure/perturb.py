"""Perturbation witnesses on slabs: certify hidden cells, and repair by hiding what must move.

For a hidden cell c of value v, a *witness* is a perturbation y of the true values such that
v + y keeps every additive relation, moves no published cell, keeps every hidden cell >= 1 and
lifts c to >= k (or, when v >= k already, moves c at all). It proves that the attacker cannot
narrow c to [1, k-1] nor pin it. Hiding more cells only relaxes the attacker's system, so a
witness stays valid while the hidden set grows.

A witness is searched on a *slab*: every incident and period node, but only a few territory
nodes around c (c's territory, its children, its parent, its two largest siblings, and one
path through the largest other branch of the grandparent). Cells outside the slab keep their
true value, so any slab solution is a witness of the whole cube. When the slab has no
solution, wider slabs are tried, then the whole cube.

Two uses:
- *certify* (audit): only hidden cells may move; a feasible lift certifies it.
- *repair* (secondary suppression): published cells may move at a price (dearer for totals,
  dearer still for territory totals); the cheapest perturbation is found by linear
  programming and the published cells it moves are hidden. Unlike a single "box", the lift is
  spread over many small hidden cells, so year totals of small territories are rarely needed.

Several far-apart cells of one slab (different incident family and period parent) are lifted
in one solve; when that is infeasible the batch is split.
"""

from __future__ import annotations

import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from itertools import pairwise

import highspy
import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from observatoire.disclosure.boxes import witness_safe
from observatoire.disclosure.cube import BoolArray, Cube, IntArray
from observatoire.disclosure.lp import FloatArray, quiet_highs

EPS = 1e-6
UP = 1e6  # no cell ever needs to rise this much
SMALL_CUBE = 4000  # below this many cells, the slab is the whole cube
BATCH = 4
SLAB_WIDTHS = ((2, 1, 2), (99, 1, 2), (99, 3, 99))  # siblings, other branches, children each
PARTS = 2  # independent parts of a large witness search (one per core on this machine)
PARTS_MIN_TARGETS = 5000  # below, a second process (~2 s to start) does not pay
# Share of the targets in the first part, which runs in this process while the others start
# (~3.5 s of ~25 s measured on a sparse December): with halves, the other process ended ~7 s
# later; with 56 %, 0.5 to 4 s.
FIRST_PART = 0.56
MAP_FACTOR = 100.0  # all incidents x whole period (the map cells): hide them last
_OPTIONS: dict[str, bool | int | float | str] = {
    "output_flag": False,
    "presolve": "off",  # warm starts after bound changes: presolve would throw the basis away
    "simplex_strategy": 1,  # dual simplex: a bound change leaves the basis dual feasible
    "simplex_scale_strategy": 0,  # measured: scaling makes these 0/±1 models 3x slower
    # Measured on a sparse December (bench/bench_publish.py --signalements 3000): HiGHS's
    # cost perturbation, then its clean-up, made warm-started repair solves ~2x slower
    # (94.6 s -> 53.4 s in one process); the audit's (all costs 0) ~8% faster without it.
    "dual_simplex_cost_perturbation_multiplier": 0.0,
    "threads": 1,
}


def cell_weights(cube: Cube) -> FloatArray:
    """Price of moving a published cell: x4 per total dimension, more for territory totals."""
    t_dim = cube.dims[0]
    height = np.zeros(len(t_dim), dtype=np.int64)
    for node in range(len(t_dim)):  # children before parents is not guaranteed: walk up
        cur, h = node, 0
        while cur >= 0:
            height[cur] = max(height[cur], h)
            cur, h = t_dim.parent_index[cur], h + 1
    factor = np.array([1.0, 4.0, 50.0])[np.minimum(height, 2)]
    roots = [np.array([p < 0 for p in d.parent_index]) for d in cube.dims]
    tc, ic, pc = np.unravel_index(np.arange(cube.n_cells), cube.shape)
    w = (4.0**cube.agg_level) * factor[tc]
    return np.asarray(w * np.where(roots[1][ic] & roots[2][pc], MAP_FACTOR, 1.0), dtype=np.float64)


class SlabLP:
    """min cost·|y| s.t. relations y = 0 on `cols`, v + y >= 1; moving a `free` cell costs nothing.

    A free cell (hidden when the model is built) is one column y in [1 − v, UP]. A priced cell
    (published) is two, y = p − q with 0 <= q <= v − 1, so that the LP can price |y|. Measured on
    a sparse year (`bench/bench_publication.py`): the free cells, most of a sparse year's
    cells, as one column each rather than two made each solve ~3× faster, with the same
    number of hidden cells. A cell hidden after the build keeps its two columns, priced 0.
    """

    def __init__(
        self,
        relations: sp.csc_matrix,
        cols: IntArray,
        values: IntArray,
        cost: FloatArray,
        free: BoolArray | None = None,
    ) -> None:
        sub = relations[:, cols].tocsr()
        rows = np.flatnonzero(np.diff(sub.indptr) > 0)
        a = sub[rows].astype(np.float64).tocsc()
        n = cols.size
        free = np.zeros(n, dtype=bool) if free is None else free
        priced = np.flatnonzero(~free)
        full = sp.hstack([a, -a[:, priced]], format="csc")
        self.qmax = np.maximum(values[cols] - 1, 0).astype(np.float64)
        self.lower = np.where(free, -self.qmax, 0.0)  # y's lower bound (p's when priced)
        self.q_col = np.full(n, -1, dtype=np.int64)  # column of q, -1 for a free cell
        self.q_col[priced] = n + np.arange(priced.size)
        lp = highspy.HighsLp()
        lp.num_col_ = n + priced.size
        lp.num_row_ = int(rows.size)
        lp.col_cost_ = np.concatenate([np.where(free, 0.0, cost), cost[priced]])
        lp.col_lower_ = np.concatenate([self.lower, np.zeros(priced.size)])
        lp.col_upper_ = np.concatenate([np.full(n, UP), self.qmax[priced]])
        lp.row_lower_ = np.zeros(rows.size)
        lp.row_upper_ = np.zeros(rows.size)
        lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
        lp.a_matrix_.start_ = full.indptr.astype(np.int32)
        lp.a_matrix_.index_ = full.indices.astype(np.int32)
        lp.a_matrix_.value_ = full.data
        self.h = quiet_highs()
        for key, value in _OPTIONS.items():
            self.h.setOptionValue(key, value)
        self.h.passModel(lp)
        self.n = n
        self.cols = cols
        self.pos = {int(c): i for i, c in enumerate(cols.tolist())}
        self.solves = 0

    def make_free(self, local: IntArray) -> None:
        """Moving these columns (cells hidden since the build) costs nothing from now on."""
        if local.size:
            zero = np.zeros(local.size)
            self.h.changeColsCost(local.size, local.astype(np.int32), zero)
            q = self.q_col[local]
            q = q[q >= 0].astype(np.int32)
            if q.size:
                self.h.changeColsCost(q.size, q, np.zeros(q.size))

    def _bounds(self, js: npt.NDArray[np.int32], lower: FloatArray, upper: FloatArray) -> None:
        self.h.changeColsBounds(js.size, js, lower, upper)

    def move(self, cells: IntArray, amounts: FloatArray, up: bool = True) -> FloatArray | None:
        """Cheapest y with y_c >= amount (or <= -amount) for each cell; None if infeasible."""
        js = np.array([self.pos[int(c)] for c in cells], dtype=np.int32)
        m = js.size
        zeros, big = np.zeros(m), np.full(m, UP)
        amounts = amounts.astype(np.float64)
        q = self.q_col[js]
        two = q >= 0
        qs = q[two].astype(np.int32)
        if up:  # y >= amount (a priced cell: p >= amount and q = 0)
            self._bounds(js, amounts, big)
            self._bounds(qs, zeros[two], zeros[two])
        else:  # y <= -amount (a priced cell: p = 0 and q >= amount)
            self._bounds(js, np.where(two, 0.0, self.lower[js]), np.where(two, 0.0, -amounts))
            self._bounds(qs, amounts[two], self.qmax[js][two])
        self.solves += 1
        self.h.run()
        status = self.h.getModelStatus()
        self._bounds(js, self.lower[js], big)
        self._bounds(qs, zeros[two], self.qmax[js][two])
        if status != highspy.HighsModelStatus.kOptimal:
            if status != highspy.HighsModelStatus.kInfeasible:
                self.h.clearSolver()  # an unclear end: next solve starts afresh
            return None
        x = np.asarray(self.h.getSolution().col_value, dtype=np.float64)
        y = x[: self.n].copy()
        priced = self.q_col >= 0
        y[priced] -= x[self.q_col[priced]]
        return y


@dataclass
class Perturber:
    """Slab models of one cube, kept across calls so that each solve starts warm."""

    cube: Cube
    k: int
    repair: bool  # True: published cells may move (and are then hidden)
    solves: int = 0
    _models: dict[tuple[int, ...], tuple[SlabLP, BoolArray]] = field(default_factory=dict)
    _slabs: dict[tuple[int, int], tuple[int, ...]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        cube = self.cube
        self.relations = cube.relations.tocsc()
        self.tc, self.ic, self.pc = np.unravel_index(np.arange(cube.n_cells), cube.shape)
        t_dim = cube.dims[0]
        self.parent = t_dim.parent_index
        self.kids = [list(c) for c in t_dim.children]
        roots = [np.flatnonzero([p < 0 for p in d.parent_index]) for d in cube.dims[1:]]
        plane = cube.values.reshape(cube.shape)[:, roots[0], :][:, :, roots[1]]
        self.size = plane.reshape(cube.shape[0], -1).sum(axis=1)
        # What the leaves of a territory can give up while staying >= 1: lifts batched
        # together in one territory must fit in it, or they would move its totals.
        leaves = [np.flatnonzero([not c for c in d.children]) for d in cube.dims[1:]]
        grid = cube.values.reshape(cube.shape)[:, leaves[0], :][:, :, leaves[1]]
        self.slack = np.maximum(grid - 1, 0).reshape(cube.shape[0], -1).sum(axis=1)
        self.weights = cell_weights(cube) if self.repair else np.zeros(0)
        i_par = np.array(cube.dims[1].parent_index)
        p_par = np.array(cube.dims[2].parent_index)
        self.family = np.where(i_par[self.ic] >= 0, i_par[self.ic], self.ic)
        self.season = np.where(p_par[self.pc] >= 0, p_par[self.pc], self.pc)
        self.whole = cube.n_cells <= SMALL_CUBE

    def _largest(self, nodes: list[int], n: int, skip: int = -1) -> list[int]:
        return sorted((x for x in nodes if x != skip), key=lambda x: (-self.size[x], x))[:n]

    def slab(self, tn: int, width: int = 0) -> tuple[int, ...]:
        """Territory nodes of the slab around territory node tn (see `_slab`), computed once."""
        got = self._slabs.get((tn, width))
        if got is None:
            got = self._slabs[(tn, width)] = self._slab(tn, width)
        return got

    def _slab(self, tn: int, width: int) -> tuple[int, ...]:
        """Territory nodes of the slab around territory node tn (all of them for small cubes).

        Narrow (width 0): tn, its children, its parent, the two largest siblings (with their
        two largest children), the grandparent and its largest other child (with its two
        largest children). Medium (1): every sibling, each with its two largest children.
        Wide (2): every sibling and their children, and three other branches.
        """
        if self.whole:
            return ()
        near, far, kids = SLAB_WIDTHS[width]
        nodes = {tn, *self.kids[tn]}
        p = self.parent[tn]
        if p < 0:
            for r in self._largest(self.kids[tn], near):
                nodes.update(self._largest(self.kids[r], kids))
            return tuple(sorted(nodes))
        nodes.add(p)
        for s in self._largest(self.kids[p], near, tn):
            nodes.add(s)
            nodes.update(self._largest(self.kids[s], kids))
        g = self.parent[p]
        if g >= 0:
            nodes.add(g)
            for s in self._largest(self.kids[g], far, p):
                nodes.add(s)
                nodes.update(self._largest(self.kids[s], kids))
        return tuple(sorted(nodes))

    def _model(self, key: tuple[int, ...], hidden: BoolArray, blocked: BoolArray) -> SlabLP:
        got = self._models.get(key)
        if got is not None:
            model, seen = got
            if self.repair:  # cells hidden since the model was built now move almost freely
                now = hidden[model.cols]
                fresh = np.flatnonzero(now & ~seen)
                model.make_free(fresh)
                seen |= now
            return model
        inside = np.ones(self.cube.n_cells, dtype=bool) if not key else np.isin(self.tc, key)
        movable = ~blocked if self.repair else hidden
        cols = np.flatnonzero(inside & movable)
        cost = self.weights[cols] if self.repair else np.zeros(cols.size)
        model = SlabLP(self.relations, cols, self.cube.values, cost, free=hidden[cols])
        self._models[key] = (model, hidden[cols].copy())
        return model

    def run(
        self,
        targets: IntArray,
        hidden: BoolArray,
        blocked: BoolArray,
        lo: FloatArray,
        hi: FloatArray,
        processes: int = 1,
    ) -> IntArray:
        """Find witnesses for `targets`; update lo/hi (and hidden when repairing).

        With many targets, the narrow slabs are shared out in `PARTS` parts, run in parallel
        processes when `processes` > 1 (see `_narrow_in_parts`). Returns the targets for which
        no witness exists even on the whole cube.
        """
        groups: dict[tuple[int, ...], list[int]] = {}
        for c in targets.tolist():
            groups.setdefault(self.slab(int(self.tc[c])), []).append(c)
        if targets.size >= PARTS_MIN_TARGETS and len(groups) >= PARTS:
            too_narrow = self._narrow_in_parts(groups, hidden, blocked, lo, hi, processes)
        else:
            too_narrow = self.narrow(groups, hidden, blocked, lo, hi)
        # The slab was too narrow: a medium one (enough for most: measured on the demo's
        # December, the wide slab's LPs took 5 of 25 s for a handful of cells), a wide one,
        # then the whole cube.
        for width in (1, 2):
            wider: dict[tuple[int, ...], list[int]] = {}
            for c in too_narrow:
                wider.setdefault(self.slab(int(self.tc[c]), width), []).append(c)
            too_narrow = wider.pop((), []) + self.narrow(wider, hidden, blocked, lo, hi)
        failed = self._batches((), too_narrow, hidden, blocked, lo, hi) if too_narrow else []
        return np.array(sorted(failed), dtype=np.int64)

    def narrow(
        self,
        groups: dict[tuple[int, ...], list[int]],
        hidden: BoolArray,
        blocked: BoolArray,
        lo: FloatArray,
        hi: FloatArray,
    ) -> list[int]:
        """Witnesses on each group's slab; return the cells that need a wider one."""
        out: list[int] = []
        for key in sorted(groups):
            out += self._batches(key, groups[key], hidden, blocked, lo, hi)
        return out

    def _narrow_in_parts(
        self,
        groups: dict[tuple[int, ...], list[int]],
        hidden: BoolArray,
        blocked: BoolArray,
        lo: FloatArray,
        hi: FloatArray,
        processes: int,
    ) -> list[int]:
        """`narrow` with the slabs shared out, in key order, in `PARTS` independent parts.

        Every part starts from the same hidden cells and witnesses. A witness found by one
        part moves only cells hidden in the end (its own hides, or cells hidden before), and
        hiding more only relaxes the attacker's system: the union of the parts' hidden cells
        with all their witnesses is sound. Parts may hide a little more than one pass would,
        not knowing each other's hides. The parts run in other processes when `processes`
        > 1, one after the other otherwise: the result is the same either way, on any
        machine (the split depends only on the targets).
        """
        keys = sorted(groups)
        sizes = np.cumsum([len(groups[key]) for key in keys])
        shares = FIRST_PART + (1 - FIRST_PART) * np.arange(PARTS - 1) / (PARTS - 1)
        cut = np.searchsorted(sizes, sizes[-1] * shares)
        bounds = [0, *sorted({int(c) + 1 for c in cut if int(c) + 1 < len(keys)}), len(keys)]
        parts = [{key: groups[key] for key in keys[a:b]} for a, b in pairwise(bounds)]
        start = (hidden.copy(), lo.copy(), hi.copy())
        results: list[tuple[BoolArray, FloatArray, FloatArray, list[int], int]] = []
        if processes > 1:
            spawn = multiprocessing.get_context("spawn")  # no fork: callers may hold threads
            with ProcessPoolExecutor(min(processes, len(parts)) - 1, mp_context=spawn) as pool:
                futures = [
                    pool.submit(_narrow_part, self.cube, self.k, self.repair, part, *start, blocked)
                    for part in parts[1:]
                ]
                out = self.narrow(parts[0], hidden, blocked, lo, hi)
                results = [future.result() for future in futures]
        else:
            out = self.narrow(parts[0], hidden, blocked, lo, hi)
            for part in parts[1:]:
                copies = (start[0].copy(), start[1].copy(), start[2].copy())
                results.append(_narrow_part(self.cube, self.k, self.repair, part, *copies, blocked))
        for part_hidden, part_lo, part_hi, part_out, solves in results:
            hidden |= part_hidden
            np.minimum(lo, part_lo, out=lo)
            np.maximum(hi, part_hi, out=hi)
            out += part_out
            self.solves += solves
        return out

    def _batches(
        self,
        key: tuple[int, ...],
        cells: list[int],
        hidden: BoolArray,
        blocked: BoolArray,
        lo: FloatArray,
        hi: FloatArray,
    ) -> list[int]:
        v = self.cube.values
        failed: list[int] = []
        pending = _unsafe(lo, hi, cells, self.k)
        while pending:
            batch: list[int] = []
            groups: set[tuple[int, int]] = set()
            lift: dict[int, int] = {}
            for c in pending:  # one cell per (incident family, period parent): less rivalry
                if len(batch) >= BATCH:
                    break
                group = (int(self.family[c]), int(self.season[c]))
                tn = int(self.tc[c])
                need = lift.get(tn, 0) + max(self.k - int(v[c]), 1)
                if batch and (group in groups or 2 * need > self.slack[tn]):
                    continue
                batch.append(c)
                groups.add(group)
                lift[tn] = need
            stack = [batch]
            while stack:
                part = _unsafe(lo, hi, stack.pop(), self.k)
                if not part:
                    continue
                model = self._model(key, hidden, blocked)
                arr = np.array(part, dtype=np.int64)
                y = model.move(arr, np.maximum(self.k - v[arr], 1))
                if y is None and len(part) == 1 and v[part[0]] >= self.k:
                    y = model.move(arr, np.ones(1), up=False)  # a large cell may also go down
                self.solves += 1
                if y is None:
                    if len(part) == 1:
                        failed.append(part[0])
                    else:
                        stack += [part[: len(part) // 2], part[len(part) // 2 :]]
                    continue
                self._absorb(model, y, hidden, lo, hi)
            chosen = set(batch)
            pending = _unsafe(lo, hi, [c for c in pending if c not in chosen], self.k)
        return failed

    def _absorb(
        self, model: SlabLP, y: FloatArray, hidden: BoolArray, lo: FloatArray, hi: FloatArray
    ) -> None:
        moved = np.abs(y) > EPS
        cells = model.cols[moved]
        if self.repair:
            hidden[cells] = True
        x = self.cube.values[cells] + y[moved]
        hi[cells] = np.maximum(hi[cells], x)
        lo[cells] = np.minimum(lo[cells], x)


def _narrow_part(
    cube: Cube,
    k: int,
    repair: bool,
    groups: dict[tuple[int, ...], list[int]],
    hidden: BoolArray,
    lo: FloatArray,
    hi: FloatArray,
    blocked: BoolArray,
) -> tuple[BoolArray, FloatArray, FloatArray, list[int], int]:
    """One part of `Perturber._narrow_in_parts`, in this process or another."""
    perturber = Perturber(cube, k, repair)
    out = perturber.narrow(groups, hidden, blocked, lo, hi)
    return hidden, lo, hi, out, perturber.solves


def _unsafe(lo: FloatArray, hi: FloatArray, cells: list[int], k: int) -> list[int]:
    """The cells (in order) that no witness found so far certifies."""
    if not cells:
        return []
    idx = np.array(cells, dtype=np.int64)
    return idx[~witness_safe(lo, hi, idx, k)].tolist()
