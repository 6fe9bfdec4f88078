"""Local witnesses: small LPs on the neighbourhood of a cell, the rest fixed at true values.

A cell's *neighbourhood* is the sub-cube spanned by the parents of its three nodes (every
node under them, in each dimension). Any solution of an LP restricted to it, completed with the
true values, is a feasible solution of the whole attacker system, so it certifies cells
soundly; failing to certify locally proves nothing and the audit then solves the block's LP.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from observatoire.disclosure.cube import Cube, FloatArray, IntArray
from observatoire.disclosure.lp import BlockLP
from observatoire.disclosure.ranges import Ranges

LOCAL_MIN_VARS = 1500  # blocks this large are first certified neighbourhood by neighbourhood
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


class Neighbourhoods:
    """Groups cells by neighbourhood (the sub-cube spanned by the parents of their nodes)."""

    def __init__(self, cube: Cube) -> None:
        self.shape = cube.shape
        self.inside = [_inside(d.parent_index) for d in cube.dims]
        self.anchor = [
            np.array([p if p >= 0 else i for i, p in enumerate(d.parent_index)]) for d in cube.dims
        ]

    def groups(self, cells: IntArray, check: IntArray) -> list[tuple[IntArray, IntArray]]:
        """(members, targets) local index arrays per neighbourhood holding some `check` cell."""
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
    hoods: Neighbourhoods,
    a: sp.csr_matrix,
    b: FloatArray,
    cells: IntArray,
    true_vals: FloatArray,
    check: IntArray,
    k: int,
    cap: float,
    ranges: Ranges,
    lower: FloatArray | None = None,
) -> int:
    """Widen `ranges` (indexed like `cells`) with neighbourhood LPs; return the LP count.

    `lower` (indexed like `cells`, default 1) is each cell's lower bound for the attacker."""
    solves = 0
    a_csc = a.tocsc()
    for members, targets in hoods.groups(cells, check):
        targets = targets[~ranges.safe(targets, k)]
        if targets.size == 0 or members.size >= cells.size:
            continue
        fixed = true_vals.copy()
        fixed[members] = 0.0
        sub = a_csc[:, members].tocsr()
        rows = np.flatnonzero(np.diff(sub.indptr) > 0)
        rhs = (b - a @ fixed)[rows]
        model = BlockLP(sub[rows], rhs, k, cap, None if lower is None else lower[members])
        pos = np.full(cells.size, -1)
        pos[members] = np.arange(members.size)
        local_t = pos[targets]
        prev = -1
        for _ in range(6):  # witness rounds: as many targets to k at once as possible
            need = local_t[~ranges.reaches(targets, k)]
            if need.size == 0 or need.size == prev:
                break
            prev = need.size
            x = model.solve((need + members.size).astype(np.int32), -np.ones(need.size))
            ranges.absorb(members, x)
        if members.size > PER_CELL_MAX_VARS:
            solves += model.solves
            continue
        for j, t in zip(local_t.tolist(), targets.tolist(), strict=True):
            if ranges.safe(np.array([t]), k)[0]:
                continue
            if not ranges.reaches(t, k):
                ranges.absorb(members, model.max_of(j)[1])
            if not ranges.safe(np.array([t]), k)[0]:
                ranges.absorb(members, model.min_of(j)[1])
        solves += model.solves
    return solves
