"""Local witnesses: small LPs on the sub-cube around a cell, the rest fixed at true values.

Any solution of such a restricted LP, completed with the true values, is a feasible solution
of the whole attacker system, so it certifies cells soundly; failing to certify locally proves
nothing and the caller decides (global LP, or a conservative repair).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from observatoire.disclosure.cube import BoolArray, Cube, IntArray
from observatoire.disclosure.lp import BlockLP, FloatArray

LOCAL_MIN_VARS = 1500  # blocks at least this large are first certified slab by slab
PER_CELL_MAX_VARS = 1000  # above this, a per-cell LP costs ~0.5 s: witness rounds only


def _inside(parent_index: tuple[int, ...]) -> npt.NDArray[np.bool_]:
    n = len(parent_index)
    inside = np.eye(n, dtype=bool)
    for node in range(n):
        cur = parent_index[node]
        while cur >= 0:
            inside[cur, node] = True
            cur = parent_index[cur]
    return inside


class Slabs:
    """Groups cells by the sub-cube spanned by the parents of their three nodes."""

    def __init__(self, cube: Cube) -> None:
        self.shape = cube.shape
        self.inside = [_inside(d.parent_index) for d in cube.dims]
        self.anchor = [
            np.array([p if p >= 0 else i for i, p in enumerate(d.parent_index)]) for d in cube.dims
        ]

    def groups(self, cells: IntArray, check: IntArray) -> list[tuple[IntArray, IntArray]]:
        """(members, targets) local index arrays per slab holding some `check` cell."""
        coords = np.unravel_index(cells, self.shape)
        keys = np.stack([self.anchor[d][coords[d][check]] for d in range(3)], axis=1)
        uniq, inv = np.unique(keys, axis=0, return_inverse=True)
        out = []
        for g, key in enumerate(uniq):
            mem = self.inside[0][key[0], coords[0]]
            mem &= self.inside[1][key[1], coords[1]]
            mem &= self.inside[2][key[2], coords[2]]
            out.append((np.flatnonzero(mem), check[np.flatnonzero(inv.ravel() == g)]))
        return out


def certify_locally(
    slabs: Slabs,
    a: sp.csr_matrix,
    b: FloatArray,
    cells: IntArray,
    true_vals: FloatArray,
    check: IntArray,
    k: int,
    cap: float,
    lo: FloatArray,
    hi: FloatArray,
    safe: BoolArray,
) -> int:
    """Update witness ranges lo/hi (indexed like `cells`) from slab LPs; return LP count."""
    solves = 0
    a_csc = a.tocsc()
    for members, targets in slabs.groups(cells, check):
        targets = targets[~_safe(lo, hi, targets, k)]
        if targets.size == 0 or members.size >= cells.size:
            continue
        fixed = true_vals.copy()
        fixed[members] = 0.0
        sub = a_csc[:, members].tocsr()
        rows = np.flatnonzero(np.diff(sub.indptr) > 0)
        rhs = (b - a @ fixed)[rows]
        model = BlockLP(sub[rows], rhs, k, cap)
        pos = np.full(cells.size, -1)
        pos[members] = np.arange(members.size)
        local_t = pos[targets]
        prev = -1
        for _ in range(6):  # witness rounds: as many targets to k at once as possible
            need = local_t[np.floor(hi[targets] + 1e-6) < k]
            if need.size == 0 or need.size == prev:
                break
            prev = need.size
            _take(
                model.solve((need + members.size).astype(np.int32), -np.ones(need.size)),
                members,
                lo,
                hi,
            )
        if members.size > PER_CELL_MAX_VARS:
            solves += model.solves
            continue
        for j, t in zip(local_t.tolist(), targets.tolist(), strict=True):
            if _safe(lo, hi, np.array([t]), k)[0]:
                continue
            if np.floor(hi[t] + 1e-6) < k:
                _take(model.max_of(j)[1], members, lo, hi)
            if not _safe(lo, hi, np.array([t]), k)[0]:
                _take(model.min_of(j)[1], members, lo, hi)
        solves += model.solves
    safe[check] = _safe(lo, hi, check, k)
    return solves


def _take(x: FloatArray, members: IntArray, lo: FloatArray, hi: FloatArray) -> None:
    lo[members] = np.minimum(lo[members], x)
    hi[members] = np.maximum(hi[members], x)


def _safe(lo: FloatArray, hi: FloatArray, idx: IntArray, k: int) -> BoolArray:
    top = np.floor(hi[idx] + 1e-6)
    return np.asarray((top >= k) & (np.ceil(lo[idx] - 1e-6) < top), dtype=bool)
