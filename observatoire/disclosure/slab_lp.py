"""The HiGHS model of one slab: the cheapest perturbation lifting given cells, warm-started.

Columns are the perturbations y of the slab's movable cells; rows are the cube's relations
restricted to the slab (y keeps them: A y = 0); every cell stays >= 1. Moving a hidden cell is
free; moving a published one costs its weight (see `cell_weights`) and hides it. Only column
bounds change between solves, so each solve starts from the previous basis.
"""

from __future__ import annotations

import highspy
import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from observatoire.disclosure.cube import BoolArray, Cube, FloatArray, IntArray
from observatoire.disclosure.lp import quiet_highs

UP = 1e6  # no cell ever needs to rise this much
MAP_FACTOR = 100.0  # all incidents x whole period (the map cells): hide them last
_OPTIONS: dict[str, bool | int | float | str] = {
    "output_flag": False,
    "presolve": "off",  # warm starts after bound changes: presolve would throw the basis away
    "simplex_strategy": 1,  # dual simplex: a bound change leaves the basis dual feasible
    "simplex_scale_strategy": 0,  # these 0/±1 models are well scaled; scaling slows them
    # Off: the cost perturbation, and its clean-up after each warm start, doubles the time of
    # a repair solve (see docs/secret-statistique-recherche.md).
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

    A free cell (hidden when the model is built) is one column y in [1 − v, UP]: most of a
    sparse year's cells, and one column instead of two makes each solve ~3× faster. A priced
    cell (published) is two, y = p − q with 0 <= q <= v − 1, so that the LP can price |y|. A
    cell hidden after the build keeps its two columns, priced 0.
    """

    def __init__(
        self,
        relations: sp.csc_matrix,
        cols: IntArray,
        values: IntArray,
        cost: FloatArray,
        free: BoolArray | None = None,
        floor: FloatArray | None = None,
    ) -> None:
        sub = relations[:, cols].tocsr()
        rows = np.flatnonzero(np.diff(sub.indptr) > 0)
        a = sub[rows].astype(np.float64).tocsc()
        n = cols.size
        free = np.zeros(n, dtype=bool) if free is None else free
        priced = np.flatnonzero(~free)
        full = sp.hstack([a, -a[:, priced]], format="csc")
        low = (
            1.0 if floor is None else floor[cols]
        )  # a cell's least value: 1, or 0 outside the plan
        self.qmax = np.maximum(values[cols] - low, 0).astype(np.float64)
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
