"""One reusable HiGHS model per block of hidden cells: only the objective changes between solves."""

from __future__ import annotations

import os
import sys
import threading

import highspy
import numpy as np
import numpy.typing as npt
import scipy.sparse as sp
from scipy.optimize import Bounds, LinearConstraint, milp

from observatoire.disclosure.cube import FloatArray

_BANNER_LOCK = threading.Lock()
_banner_done = False


def quiet_highs() -> highspy.Highs:
    """A HiGHS instance that prints nothing.

    HiGHS writes a two-line banner to the process's standard output the first time an
    instance is created, before any option can be set: the command-line tools (`observatoire
    publier`, `make run`) would print it between their own lines. The first creation in a
    process therefore runs with file descriptor 1 pointed at /dev/null.
    """
    global _banner_done
    with _BANNER_LOCK:
        if _banner_done:
            h = highspy.Highs()
        else:
            sys.stdout.flush()
            saved = os.dup(1)
            try:
                with open(os.devnull, "w") as devnull:
                    os.dup2(devnull.fileno(), 1)
                    h = highspy.Highs()
            finally:
                os.dup2(saved, 1)
                os.close(saved)
            _banner_done = True
    h.setOptionValue("output_flag", False)
    return h


class BlockLP:
    """Hidden cells x >= 1 tied by A x = b; y <= min(x, k) columns serve the witness objective.

    `lower` (default 1 for every cell) gives 0 for the cells the attacker only knows to be
    >= 0: cells outside the publication plan that may be zero.
    """

    def __init__(
        self,
        a: sp.csr_matrix,
        b: FloatArray,
        k: int,
        cap: float,
        lower: FloatArray | None = None,
    ) -> None:
        self.n = a.shape[1]
        self.lower = np.ones(self.n) if lower is None else np.asarray(lower, dtype=np.float64)
        self.a = a
        self.b = b
        self.cap = cap
        n, m = self.n, a.shape[0]
        eye = sp.identity(n, format="csr", dtype=np.float64)
        full = sp.bmat([[a.astype(np.float64), None], [-eye, eye]], format="csc")
        lp = highspy.HighsLp()
        lp.num_col_ = 2 * n
        lp.num_row_ = m + n
        lp.col_cost_ = np.zeros(2 * n)
        lp.col_lower_ = np.concatenate([self.lower, np.zeros(n)])
        lp.col_upper_ = np.concatenate([np.full(n, cap), np.full(n, float(k))])
        inf = highspy.kHighsInf
        lp.row_lower_ = np.concatenate([b, np.full(n, -inf)])
        lp.row_upper_ = np.concatenate([b, np.zeros(n)])
        lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
        lp.a_matrix_.start_ = full.indptr.astype(np.int32)
        lp.a_matrix_.index_ = full.indices.astype(np.int32)
        lp.a_matrix_.value_ = full.data
        self.h = quiet_highs()
        self.h.passModel(lp)
        self._costed: npt.NDArray[np.int32] = np.zeros(0, dtype=np.int32)
        self.solves = 0

    def _set_costs(self, idx: npt.NDArray[np.int32], cost: FloatArray) -> None:
        if self._costed.size:
            self.h.changeColsCost(
                self._costed.size, self._costed, np.zeros(self._costed.size, dtype=np.float64)
            )
        if idx.size:
            self.h.changeColsCost(idx.size, idx, cost)
        self._costed = idx

    def solve(self, idx: npt.NDArray[np.int32], cost: FloatArray) -> FloatArray:
        """Minimise cost . cols (x are cols 0..n-1, y are n..2n-1); return the x part."""
        self._set_costs(idx.astype(np.int32), cost.astype(np.float64))
        self.solves += 1
        self.h.run()
        status = self.h.getModelStatus()
        if status != highspy.HighsModelStatus.kOptimal:
            # A stale basis can end in an unclear status: solve again from scratch.
            self.h.clearSolver()
            self.h.run()
            status = self.h.getModelStatus()
            if status != highspy.HighsModelStatus.kOptimal:
                raise RuntimeError(f"HiGHS ended with {self.h.modelStatusToString(status)}")
        sol = np.asarray(self.h.getSolution().col_value, dtype=np.float64)
        return sol[: self.n]

    def max_of(self, j: int) -> tuple[float, FloatArray]:
        """LP maximum of x_j and the optimal solution."""
        x = self.solve(np.array([j], dtype=np.int32), np.array([-1.0]))
        return float(x[j]), x

    def min_of(self, j: int) -> tuple[float, FloatArray]:
        """LP minimum of x_j and the optimal solution."""
        x = self.solve(np.array([j], dtype=np.int32), np.array([1.0]))
        return float(x[j]), x

    def exact_int_bounds(self, j: int) -> tuple[float, float]:
        """Integer minimum and maximum of x_j by MILP (for small blocks only)."""
        cons = LinearConstraint(self.a.astype(np.float64), self.b, self.b)
        out = []
        for sign in (1.0, -1.0):
            c = np.zeros(self.n)
            c[j] = sign
            res = milp(
                c,
                constraints=[cons] if self.a.shape[0] else [],
                integrality=np.ones(self.n),
                bounds=Bounds(self.lower, np.full(self.n, self.cap)),
            )
            self.solves += 1
            if res.x is None:
                raise RuntimeError(f"MILP failed: {res.message}")
            out.append(float(np.round(res.x[j])))
        return out[0], out[1]
